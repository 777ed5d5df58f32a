"""aimsctl.writing: round trip, edit, check, atomic replace; reading and writing agree."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimsctl import writing, yamlsafe
from aimsctl.errors import UsageError
from aimsctl.writing import Change, WriteRefused

KEYS = st.sampled_from(["title", "owner", "status", "purpose", "note", "version", "on", "rule"])
SCALARS = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    ).filter(lambda s: s.strip() == s and s.strip()),
    st.integers(-1000, 10**6),
    st.booleans(),
    st.sampled_from(["2026-01-31", "3.2", "yes", "null", "on", "0o17", "a: b", "#x", "- y"]),
)
COMMENT = st.sampled_from(["", "# a comment", "# ---", "#", "# key: value"])


def _scalar_text(value: Any) -> str:
    return writing.dump_all([writing.to_round_trip({"v": value})])[3:].rstrip("\n")


@st.composite
def files(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A hand-written-looking record file: keys with comments above, beside, between."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=6, unique=True))
    data: dict[str, Any] = {}
    lines = [draw(COMMENT) or "# head"]
    for key in keys:
        value = draw(SCALARS)
        data[key] = value
        above = draw(COMMENT)
        if above:
            lines.append(above)
        if draw(st.booleans()):
            lines.append("")
        beside = draw(COMMENT)
        lines.append(f"{key}: {_scalar_text(value)}" + (f"   {beside}" if beside else ""))
    lines.append(draw(COMMENT))
    return "\n".join(lines) + "\n", data


@settings(max_examples=150, deadline=None)
@given(file=files(), value=SCALARS, which=st.integers(0, 5))
def test_a_round_tripped_file_reads_the_same_and_keeps_unchanged_lines(
    file: tuple[str, dict[str, Any]], value: Any, which: int
) -> None:
    text, data = file
    parsed = yamlsafe.parse(text)
    assert parsed.problems == [] and parsed.documents[0].data == data
    # Unedited, the file comes back byte for byte.
    assert writing.edit_text(text, lambda docs: None, "f.yaml", records=False) == text
    key = list(data)[which % len(data)]

    def edit(documents: list[Any]) -> None:
        writing.set_field(documents[0], key, value)

    new = writing.edit_text(text, edit, "f.yaml", records=False)
    assert yamlsafe.parse(new).documents[0].data == {**data, key: value}
    old_lines, new_lines = text.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)  # every line keeps its position
    changed = [n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert len(changed) <= 1
    for number in changed:  # only the edited key's line, its comment kept
        assert new_lines[number].startswith(f"{key}:")
        if "#" in old_lines[number].split(":", 1)[1] and "   #" in old_lines[number]:
            assert old_lines[number].rsplit("   #", 1)[1] in new_lines[number]


def test_a_new_key_goes_in_the_contract_order_and_comments_stay_above_their_key() -> None:
    text = (
        "kind: Risk  # the kind\n"
        "residual: {likelihood: 1, severity: 1}\n"
        "# about the status\n"
        "status: open\n"
    )

    def edit(documents: list[Any]) -> None:
        writing.set_field(
            documents[0],
            "acceptance",
            {"by": "cro", "on": date(2026, 1, 2)},  # a date is a date, written plain
            ["kind", "residual", "acceptance", "status"],
        )

    assert writing.edit_text(text, edit, "r.yaml", records=False) == (
        "kind: Risk  # the kind\n"
        "residual: {likelihood: 1, severity: 1}\n"
        "acceptance:\n"
        "  by: cro\n"
        "  on: 2026-01-02\n"
        "# about the status\n"
        "status: open\n"
    )


def test_a_comment_indented_in_the_block_before_a_new_key_stays_in_that_block() -> None:
    # The comment closing `assessed` went below the new `approval`, where it then
    # annotated the sign-off; the one above `next_review` still moves with its key.
    text = (
        "kind: ImpactAssessment\n"
        "assessed:\n"
        "  on: 2026-11-16\n"
        "  # assessed by the fraud lead; see minutes\n"
        "\n"
        "# when it is looked at again\n"
        "next_review: 2027-11-16\n"
    )

    def edit(documents: list[Any]) -> None:
        order = ["kind", "assessed", "approval", "next_review"]
        writing.set_field(documents[0], "approval", {"by": "cro"}, order)

    assert writing.edit_text(text, edit, "a.yaml", records=False) == (
        "kind: ImpactAssessment\n"
        "assessed:\n"
        "  on: 2026-11-16\n"
        "  # assessed by the fraud lead; see minutes\n"
        "approval:\n"
        "  by: cro\n"
        "\n"
        "# when it is looked at again\n"
        "next_review: 2027-11-16\n"
    )


def test_a_new_key_among_keys_out_of_order_goes_after_those_before_it() -> None:
    # `status` first: the acceptance went above `kind`, at the top of the record.
    text = "status: open\nkind: Risk\nresidual: {likelihood: 1, severity: 1}\n"

    def edit(documents: list[Any]) -> None:
        order = ["kind", "residual", "acceptance", "status"]
        writing.set_field(documents[0], "acceptance", {"by": "cro"}, order)

    assert writing.edit_text(text, edit, "r.yaml", records=False) == (
        "status: open\nkind: Risk\nresidual: {likelihood: 1, severity: 1}\nacceptance:\n  by: cro\n"
    )


def test_a_layout_ruamel_would_change_is_kept_where_the_edit_does_not_reach() -> None:
    text = "a:\n  {x: 1, y: 2,\n   z: 3}\nb: 1\nc: ~\n"

    def edit(documents: list[Any]) -> None:
        documents[0]["b"] = 2

    new = writing.edit_text(text, edit, "f.yaml", records=False)
    assert new == text.replace("b: 1", "b: 2")


@pytest.mark.parametrize(
    ("top", "stays_first"),
    [
        ("# File\n\n# B own\n", "# File\n\n"),  # a blank line ends the file's header
        ("# File\n# B title\n", "# File\n"),  # or, without one, a line naming the id
        ("# File\n# more\n", "# File\n# more\n"),  # else the whole block heads the file
        ("", ""),
    ],
)
def test_a_document_inserted_first_goes_below_the_files_header(top: str, stays_first: str) -> None:
    new = writing.to_round_trip({"id": "A"})
    new.yaml_set_start_comment("A own")
    edited = writing.edit_text(
        f"{top}id: B\n---\nid: C\n",
        lambda docs: writing.insert_first(docs, new),
        "f.yaml",
        records=False,
    )
    own = top[len(stays_first) :]  # the comment lines of B stay above B
    assert edited == f"{stays_first}# A own\nid: A\n---\n{own}id: B\n---\nid: C\n"


def test_line_ends_and_a_byte_order_mark_are_kept() -> None:
    text = "\ufeffa: 1\r\nb: 2\r\n"

    def edit(documents: list[Any]) -> None:
        documents[0]["b"] = 3

    assert writing.edit_text(text, edit, "f.yaml", records=False) == "\ufeffa: 1\r\nb: 3\r\n"


def test_nel_ls_and_ps_written_raw_are_text_and_an_edit_keeps_their_lines() -> None:
    text = "a: x\u2028y  # c\u0085d\nb: '\u2029'\nc: 1\n"

    def edit(documents: list[Any]) -> None:
        documents[0]["c"] = 2

    assert writing.plain(writing.load_all(text)[0]) == yamlsafe.parse(text).documents[0].data
    assert writing.edit_text(text, edit, "f.yaml", records=False) == text.replace("1", "2")


def test_a_tab_inside_a_plain_value_is_text_and_an_edit_keeps_its_line() -> None:
    text = "title: Bias\tcheck # pasted\nc: 1\n"

    def edit(documents: list[Any]) -> None:
        documents[0]["c"] = 2

    assert writing.plain(writing.load_all(text)[0]) == yamlsafe.parse(text).documents[0].data
    assert writing.edit_text(text, edit, "f.yaml", records=False) == text.replace("1", "2")


def test_text_starting_with_a_colon_or_a_question_mark_is_written_as_text_in_a_flow_list() -> None:
    data = {"tags": [":-)", "?x", "ok"], "pair": {"k": ":x"}}
    text = writing.dump_all([writing.to_round_trip(data, flow=True)])
    assert yamlsafe.parse(text).documents[0].data == data


def test_a_byte_order_mark_read_from_disk_is_written_back(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb: 2\n")

    def edit(documents: list[Any]) -> None:
        documents[0]["b"] = 3

    writing.commit(writing.plan_edit(path, edit, "f.yaml", records=False))
    assert path.read_bytes() == b"\xef\xbb\xbfa: 1\nb: 3\n"


def test_a_last_line_without_its_line_end_takes_an_edit_and_stays_so() -> None:
    def edit(documents: list[Any]) -> None:
        documents[0]["c"] = 3

    text = "a: [1,   2]   # odd spacing\nb: 2"
    assert writing.edit_text(text, edit, "f.yaml", records=False) == (
        "a: [1,   2]   # odd spacing\nb: 2\nc: 3"
    )


def test_an_edit_that_would_rewrite_lines_it_does_not_touch_is_refused(
    tmp_path: Path,
) -> None:
    # An indentless list next to the edit: ruamel.yaml indents it, and drops the
    # comment on the block text's `|` line. Rather than that, nothing is written.
    path = tmp_path / "f.yaml"
    original = b"a: 1\nitems:\n- | # why\n  text\nb: 2\n"
    path.write_bytes(original)

    def edit(documents: list[Any]) -> None:
        documents[0]["items"].append("more")

    with pytest.raises(
        WriteRefused, match=r"without rewriting lines it does not touch.*aimsctl fmt"
    ):
        writing.commit(writing.plan_edit(path, edit, "f.yaml", records=False))
    assert path.read_bytes() == original


def _set(key: str, value: Any) -> Any:
    def edit(documents: list[Any]) -> None:
        documents[-1][key] = value

    return edit


@pytest.mark.parametrize(
    ("text", "edit", "message"),
    [
        (
            "a: &v 1\nb: 2\nc: *v\n",
            _set("a", 3),
            "f.yaml: `a` at line 1 carries the anchor &v, which line 3 uses (*v): replacing "
            "it would rewrite that line; write the value out in full there instead of *v "
            "first; nothing was written",
        ),
        (
            "a: 1\n---\nx: 0\nb: &v 2\nc: *v\nd: [*v]\n",
            _set("b", 3),
            "f.yaml: `b` at line 4 carries the anchor &v, which lines 5 and 6 use (*v): "
            "replacing it would rewrite line 5; write the value out in full at each instead "
            "of *v first; nothing was written",
        ),
        (
            "a: &m\n  k: 1\nc: *m\n",
            lambda documents: documents[0].pop("a"),
            "f.yaml: `a` at line 1 carries the anchor &m, which line 3 uses (*m): removing",
        ),
        (
            "l:\n  - &v x\n  - y\nc: *v\n",
            lambda documents: documents[0]["l"].__setitem__(0, "z"),
            "f.yaml: the list item at line 2 carries the anchor &v, which line 4 uses (*v)",
        ),
    ],
)
def test_an_edit_that_would_move_an_anchor_to_its_alias_is_refused(
    tmp_path: Path, text: str, edit: Any, message: str
) -> None:
    # ruamel.yaml writes an anchored value in full where it meets it first: replace
    # or remove it at its anchor and the first alias's line became `c: &v 1`, a line
    # the edit does not touch. Rather than that, nothing is written.
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode())
    with pytest.raises(WriteRefused) as refused:
        writing.commit(writing.plan_edit(path, edit, "f.yaml", records=False))
    assert str(refused.value).startswith(message)
    assert path.read_bytes() == text.encode()


def test_an_edit_names_every_anchor_it_would_move() -> None:
    def edit(documents: list[Any]) -> None:
        documents[0]["b"], documents[0]["a"] = 5, 6

    with pytest.raises(WriteRefused) as refused:
        writing.edit_text("a: &v 1\nb: &w 2\nc: *w\nd: *v\n", edit, "f.yaml", records=False)
    assert str(refused.value).splitlines() == [
        "f.yaml: this change cannot be made without rewriting lines it does not touch; "
        "nothing was written:",
        "`a` at line 1 carries the anchor &v, which line 4 uses (*v): replacing it would "
        "rewrite that line; write the value out in full there instead of *v first",
        "`b` at line 2 carries the anchor &w, which line 3 uses (*w): replacing it would "
        "rewrite that line; write the value out in full there instead of *w first",
    ]


@pytest.mark.parametrize(
    ("text", "edit", "expected"),
    [
        # nobody aliases it: the value replaced goes, its anchor with it
        ("a: &v 1\nb: 2\n", _set("a", 3), "a: 3\nb: 2\n"),
        # the alias is what is replaced, or something else is: the anchor stays
        ("a: &v 1\nc: *v\n", _set("c", 7), "a: &v 1\nc: 7\n"),
        ("a: &v 1\nc: *v\n", _set("e", 7), "a: &v 1\nc: *v\ne: 7\n"),
        # the anchor and every alias replaced together: nothing is left to move
        (
            "a: &v 1\nc: *v\n",
            lambda documents: documents[0].update({"a": 2, "c": 7}),
            "a: 2\nc: 7\n",
        ),
        # an item put before an anchored one in its list: it is written where it was
        (
            "l:\n  - &v x\n  - y\nc: *v\n",
            lambda documents: documents[0]["l"].insert(0, "z"),
            "l:\n  - z\n  - &v x\n  - y\nc: *v\n",
        ),
    ],
)
def test_an_edit_that_leaves_anchors_where_they_are_is_made(
    text: str, edit: Any, expected: str
) -> None:
    assert writing.edit_text(text, edit, "f.yaml", records=False) == expected


def test_no_write_goes_through_a_symbolic_link(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "real").mkdir(parents=True)
    (root / "real/r.yaml").write_text("a: 1\n")
    (root / "linked").symlink_to(root / "real")
    (root / "r.yaml").symlink_to(root / "real/r.yaml")
    with pytest.raises(UsageError, match=r"^linked is a symbolic link"):
        writing.plan_create(root / "linked/new.yaml", "a: 1\n", "linked/new.yaml", root=root)
    with pytest.raises(UsageError, match=r"^r\.yaml is a symbolic link"):
        writing.plan_edit(root / "r.yaml", lambda docs: None, "r.yaml", records=False, root=root)
    assert not (root / "real/new.yaml").exists() and (root / "r.yaml").is_symlink()
    # Real folders and files, and folders still to be made, are written as before.
    waiver = (
        "kind: Waiver\nid: W-1\ntitle: t\nrule: AIMS201\nrecords: [R-1]\n"
        "justification: j\napproved_by: x\nexpires: 2027-01-01\n"
    )
    made = writing.plan_create(root / "new/x.yaml", waiver, "new/x.yaml", root=root)
    assert made.path == root / "new/x.yaml"


@pytest.mark.parametrize("text", ["a: 1\r\nb: 2\n", "a: 1\rb: 2\r", "a: 1\nb: 2\r\n"])
def test_mixed_line_ends_are_refused_not_rewritten(text: str) -> None:
    def edit(documents: list[Any]) -> None:
        documents[0]["b"] = 3

    with pytest.raises(WriteRefused, match=r"mixes line ends.*aimsctl fmt f\.yaml"):
        writing.edit_text(text, edit, "f.yaml", records=False)


def test_a_tab_before_a_comment_is_named_with_its_fix() -> None:
    with pytest.raises(WriteRefused, match=r"a tab before a comment\? `aimsctl fmt`"):
        writing.edit_text("a: 1\t# note\nb: 2\n", lambda docs: None, "f.yaml", records=False)


def test_an_edit_that_breaks_a_record_is_refused_and_the_file_is_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.yaml"
    original = (
        b"# keep me\nkind: Waiver\nid: W-1\ntitle: t\nrule: AIMS201\nrecords: [R-1]\n"
        b"justification: j\napproved_by: x\nexpires: 2027-01-01\n"
    )
    path.write_bytes(original)

    def edit(documents: list[Any]) -> None:
        documents[0]["expires"] = "someday"

    with pytest.raises(WriteRefused, match="expires"):
        writing.commit(writing.plan_edit(path, edit, "r.yaml"))
    assert path.read_bytes() == original


def test_a_file_with_yaml_problems_is_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"a: 1\na: 2\n")
    with pytest.raises(WriteRefused, match="duplicate key"):
        writing.plan_edit(path, lambda docs: None, "r.yaml", records=False)


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("kept: 1\n")
    with pytest.raises(UsageError, match="never overwrites"):
        writing.plan_create(path, "a: 1\n", "x.yaml")
    # Even when the file appears between planning and writing.
    late = tmp_path / "late.yaml"
    change = Change(late, None, "a: 1\n")
    late.write_text("first\n")
    with pytest.raises(UsageError, match="never overwrites"):
        writing.commit(change)
    assert late.read_text() == "first\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_changed_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n")
    change = writing.plan_edit(
        path, lambda docs: docs[0].__setitem__("a", 2), "x.yaml", records=False
    )
    path.write_bytes(b"a: 5\n")
    with pytest.raises(UsageError, match="changed while"):
        writing.commit(change)
    assert path.read_bytes() == b"a: 5\n"


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n")
    os.chmod(path, 0o640)
    writing.commit(
        writing.plan_edit(path, lambda docs: docs[0].__setitem__("a", 2), "x.yaml", records=False)
    )
    assert path.read_bytes() == b"a: 2\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    # The rename succeeds in a writable folder whatever the file's mode: a file
    # marked read-only was edited all the same.
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n")
    os.chmod(path, 0o444)
    change = writing.plan_edit(
        path, lambda docs: docs[0].__setitem__("a", 2), "x.yaml", records=False
    )
    with pytest.raises(UsageError, match="read-only"):
        writing.commit(change)
    assert path.read_bytes() == b"a: 1\n"
    assert path.stat().st_mode & 0o777 == 0o444


def test_ruamel_reads_plain_values_as_yamlsafe_does() -> None:
    text = "a: 2026-01-31\nb: yes\nc: 0o17\nd: 1e3\ne: ~\nf: on\ng: <<\nh: .inf\n"
    assert writing.plain(writing.load_all(text)[0]) == yamlsafe.parse(text).documents[0].data


def test_only_writing_imports_ruamel() -> None:
    from conftest import PROJECT

    users = sorted(
        str(path.relative_to(PROJECT / "src"))
        for path in (PROJECT / "src").rglob("*.py")
        if "ruamel" in path.read_text(encoding="utf-8")
    )
    allowed = {
        "aimsctl/authoring/soa_sync.py",
    }
    packages = ("aimsctl/writing/", "aimsctl/authoring/canonical/")
    assert {user for user in users if not user.startswith(packages)} <= allowed


def test_every_float_written_reads_back_as_that_float_in_yaml_1_1_too() -> None:
    """`1e-05` is a float to the core schema and text to a YAML 1.1 reader (PyYAML's
    default loader): floats are written `1.0e-05`, which both read alike."""
    import math

    import yaml

    from aimsctl import yamlsafe

    values = [1e-05, 2.5e-07, 1e20, 1e300, 0.9, 1000.0, -3.0e-10, math.inf, -math.inf]
    text = writing.dump_all([writing.to_round_trip({"v": values})])
    assert "1.0e-05" in text and "1.0e+20" in text
    assert yaml.safe_load(text)["v"] == values
    assert yamlsafe.parse(text).documents[0].data["v"] == values


def test_the_core_schema_table_is_built_once_and_reading_leaves_it_as_it_was() -> None:
    """ruamel.yaml asks its resolver for the table of plain-scalar patterns two or three
    times for every scalar it reads or writes; the table was built anew each time (an
    eighth of what `fmt` of a large file took). It is built once, and ruamel.yaml's
    `resolvers += ...` still adds to a copy, not to the table."""
    first, second = writing.round_trip().resolver, writing.round_trip().resolver
    assert first.versioned_resolver is first.versioned_resolver
    assert first.versioned_resolver is second.versioned_resolver
    sizes = {key: len(dict.__getitem__(first.versioned_resolver, key)) for key in "tn1~"}
    text = "a: true\nb: null\nc: 12\nd: ~\ne: text\nf: 2026-01-02\n"
    read = {"a": True, "b": None, "c": 12, "d": None, "e": "text", "f": "2026-01-02"}
    for _ in range(3):
        assert writing.load_all(text) == [read]
    assert {key: len(dict.__getitem__(first.versioned_resolver, key)) for key in "tn1~"} == sizes


def test_thousands_of_values_with_a_tab_are_each_quoted_as_one_would_be() -> None:
    """Each plain value holding a tab is quoted before ruamel.yaml reads the file; the
    text was once rebuilt per value (quadratic in their number), now in one pass, with
    the same text out, checked here on thousands of such values."""
    from aimsctl.writing.yaml_round_trip import _tabs_quoted

    count = 3000
    text = "kind: Risk\nid: R-1\ntags:\n" + "".join(
        f"  - a\tb{n}\n  - &x{n} c\td{n}\n  - plain{n}\n" for n in range(count)
    )
    assert _tabs_quoted(text) == "kind: Risk\nid: R-1\ntags:\n" + "".join(
        f'  - "a\\tb{n}"\n  - &x{n} "c\\td{n}"\n  - plain{n}\n' for n in range(count)
    )
