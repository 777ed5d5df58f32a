"""The safe YAML layer: core-schema values, limits, and exact 1-based positions."""

from __future__ import annotations

import pytest
import yaml

from aimsctl import yamlsafe
from aimsctl.yamlsafe.syntax_problems import syntax_problem
from aimsctl.yamlsafe.walker import Walker


def _only(text: str) -> object:
    result = yamlsafe.parse(text)
    assert result.problems == []
    assert len(result.documents) == 1
    return result.documents[0].data


def _position(text: str, *parts: str | int, at_key: bool = False) -> tuple[int, int]:
    node = yamlsafe.document_nodes(text)[0]
    line, column, found = yamlsafe.locate(node, parts, at_key)
    assert found
    return line, column


def test_core_schema_scalars() -> None:
    data = _only(
        "on: yes\nno: off\na: 0x10\nb: 0o17\nc: -3\nd: 1.5\ne: ~\nf: 2026-01-02\n"
        "g: TRUE\nh: '12'\ni: .inf\nj: null\nk:\n"
    )
    assert data == {
        "on": "yes",
        "no": "off",
        "a": 16,
        "b": 15,
        "c": -3,
        "d": 1.5,
        "e": None,
        "f": "2026-01-02",
        "g": True,
        "h": "12",
        "i": float("inf"),
        "j": None,
        "k": None,
    }


def test_explicit_core_tags_are_allowed() -> None:
    assert _only("a: !!str 12\nb: !!int '7'\nc: !!bool true\n") == {"a": "12", "b": 7, "c": True}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['id']\n",
        "a: !custom 1\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x}\n",
        "a: !!int abc\n",
        "!!python/name:os.system\n",
    ],
)
def test_other_tags_are_rejected(text: str) -> None:
    result = yamlsafe.parse(text)
    assert result.documents == []
    assert [p.code for p in result.problems] == ["AIMS004"]


def test_positions_block_style() -> None:
    text = "kind: Risk\ninherent:\n  likelihood: 4\n  severity: Major\nsystems:\n  - A\n  - B\n"
    assert _position(text, "inherent", "severity") == (4, 13)
    assert _position(text, "inherent", "severity", at_key=True) == (4, 3)
    assert _position(text, "systems", 1) == (7, 5)


def test_positions_flow_style() -> None:
    text = "kind: Risk\ninherent: {likelihood: 4, severity: Major}\nsystems: [A, B]\n"
    assert _position(text, "inherent", "severity") == (2, 37)
    assert _position(text, "systems", 1) == (3, 14)


def test_positions_in_later_documents_and_crlf() -> None:
    text = "kind: A\r\nid: one\r\n---\r\nkind: B\r\nid: two\r\n"
    result = yamlsafe.parse(text)
    assert [(d.index, d.line) for d in result.documents] == [(0, 1), (1, 4)]
    second = yamlsafe.document_nodes(text)[1]
    assert yamlsafe.locate(second, ("id",), False)[:2] == (5, 5)


def test_missing_path_falls_back_to_nearest_ancestor() -> None:
    text = "kind: Risk\ninherent:\n  likelihood: 4\n"
    node = yamlsafe.document_nodes(text)[0]
    assert yamlsafe.locate(node, ("inherent", "severity"), True) == (2, 1, False)


def test_columns_count_characters_not_bytes() -> None:
    assert _position("title: Zürich\nowner: ø\n", "owner") == (2, 8)
    assert _position("a: 'ééé'\nb: x\n", "b") == (2, 4)


def test_bom_and_crlf_are_accepted() -> None:
    text, problem = yamlsafe.decode(b"\xef\xbb\xbfkind: Risk\r\nid: R-1\r\n")
    assert problem is None and text is not None
    assert _only(text) == {"kind": "Risk", "id": "R-1"}


def test_non_utf8_is_reported_at_its_byte() -> None:
    text, problem = yamlsafe.decode(b"kind: Risk\nid: R-\xff1\n")
    assert text is None and problem is not None
    assert (problem.code, problem.line, problem.column) == ("AIMS002", 2, 7)


@pytest.mark.parametrize(
    "raw",
    [
        b"kind: Risk\rid: R-\xff1\r",  # lines ended by CR alone
        b"kind: Risk\r\nid: R-\xff1\r\n",
        b"\xef\xbb\xbfkind: Risk\nid: R-\xff1\n",  # after a byte-order mark
    ],
)
def test_bad_bytes_are_reported_at_their_line_and_column(raw: bytes) -> None:
    text, problem = yamlsafe.decode(raw)
    assert text is None and problem is not None
    assert (problem.code, problem.line, problem.column) == ("AIMS002", 2, 7)
    assert "byte 0xff" in problem.message
    text, problem = yamlsafe.decode(raw.replace(b"\xff", b"\x00"))
    assert problem is not None and (problem.line, problem.column) == (2, 7)
    result = yamlsafe.parse(raw.replace(b"\xff", b"\x07").decode("utf-8-sig"))
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS002", 2, 7)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("kind: Risk\r\nid: R-1\r\n\x1a", "end-of-file mark (Ctrl-Z) some old Windows tools add"),
        ("kind: Risk\nid: R-1\x1a\n", "end-of-file mark (Ctrl-Z)"),
        ("kind: Risk\nid: R-\x1a1\n", "copied out of another program"),  # not at the end
        ("kind: Risk\x1a\nid: R-1\x1a", "copied out of another program"),  # not the only one
    ],
)
def test_a_trailing_ctrl_z_is_named_as_the_end_of_file_mark(text: str, words: str) -> None:
    (problem,) = yamlsafe.parse(text).problems
    assert problem.code == "AIMS002" and "U+001A" in problem.message
    assert words in problem.message


def test_a_bom_does_not_shift_the_first_line() -> None:
    _text, problem = yamlsafe.decode(b"\xef\xbb\xbfid: R-\xe91\n")
    assert problem is not None and (problem.line, problem.column) == (1, 7)
    assert "byte 0xe9" in problem.message


def test_binary_content_is_reported() -> None:
    text, problem = yamlsafe.decode(b"\x00\x01\x02binary")
    assert text is None and problem is not None and problem.code == "AIMS002"


def test_oversized_file_is_refused_before_parsing() -> None:
    text, problem = yamlsafe.decode(b"a: " + b"x" * (yamlsafe.MAX_BYTES + 1))
    assert text is None and problem is not None and problem.code == "AIMS007"


def test_duplicate_keys_keep_the_first_and_are_reported() -> None:
    result = yamlsafe.parse("a: 1\nb: 2\na: 3\n")
    assert result.documents[0].data == {"a": 1, "b": 2}
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS005", 3, 1)]


def test_two_records_without_a_separator_are_told_to_add_one() -> None:
    text = "kind: Risk\nid: R-1\nkind: Control\nid: C-1\nnested: {kind: a, kind: b}\n"
    messages = [(p.line, p.message) for p in yamlsafe.parse(text).problems]
    assert messages[0] == (
        3,
        "a second 'kind' at the top level: the record from line 1 runs into another one; "
        "put a line '---' above this one to separate the two records",
    )
    # Only a record's own kind gets that advice; other repeated keys are duplicates.
    assert messages[1][1].startswith("duplicate key 'id': it is already given at line 2")
    assert messages[2][1].startswith("duplicate key 'kind': it is already given at line 5")


def test_alias_bomb_is_stopped_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    visited: list[int] = []
    walk = Walker.value

    def counting(self: Walker, node: yaml.Node, depth: int) -> object:
        visited.append(1)
        return walk(self, node, depth)

    monkeypatch.setattr(Walker, "value", counting)
    result = yamlsafe.parse("\n".join(lines) + "\n")
    assert [p.code for p in result.problems] == ["AIMS006"]
    assert result.documents == []
    # Stopped by counting, not by time: the 9**10 values are never visited.
    assert len(visited) == yamlsafe.MAX_NODES + 1


def test_small_aliases_still_work() -> None:
    assert _only("base: &b [x, y]\ncopy: *b\n") == {"base": ["x", "y"], "copy": ["x", "y"]}


@pytest.mark.parametrize("depth", [yamlsafe.MAX_DEPTH + 5, 200_000])
def test_deep_nesting_is_reported_not_crashed(depth: int) -> None:
    result = yamlsafe.parse("a: " + "[" * depth + "]" * depth + "\n")
    assert [p.code for p in result.problems] == ["AIMS006"]
    assert f"deeper than {yamlsafe.MAX_DEPTH} levels" in result.problems[0].message


def test_the_parsers_own_depth_refusal_is_the_nesting_problem() -> None:
    # libyaml 0.2.5 as built into PyYAML 6.0.4 refuses nesting past 1000 levels while
    # scanning ahead, before our own count sees an event; older builds never do. The
    # refusal must read as AIMS006 whichever PyYAML is installed.
    mark = yaml.Mark("<text>", 0, 0, 1000, None, None)
    error = yaml.scanner.ScannerError(
        "while increasing flow level", mark, "exceeded maximum nesting depth", mark
    )
    problem = syntax_problem(error, "a: [[[")
    assert (problem.code, problem.line, problem.column) == ("AIMS006", 1, 1001)
    assert f"deeper than {yamlsafe.MAX_DEPTH} levels" in problem.message


def test_deep_block_nesting_is_reported() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v\n"
    result = yamlsafe.parse(text)
    assert [p.code for p in result.problems] == ["AIMS006"]


def test_syntax_error_keeps_earlier_documents() -> None:
    result = yamlsafe.parse("a: 1\n---\nb: [\n")
    assert [d.data for d in result.documents] == [{"a": 1}]
    assert result.problems[0].code == "AIMS001"
    assert result.problems[0].line == 4


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_an_error_at_the_end_of_a_last_line_without_a_line_break_is_on_that_line(
    end: str,
) -> None:
    # libyaml puts it on the line after, which the file does not have.
    text = f"kind: Risk{end}systems: [SYS-1, SYS-2"
    assert [(p.code, p.line, p.column) for p in yamlsafe.parse(text).problems] == [
        ("AIMS001", 2, 23)
    ]
    problem = yamlsafe.parse(f"kind: Risk{end}systems: [SYS-1,{end}  SYS-2").problems[0]
    assert (problem.line, problem.column) == (3, 8)
    assert problem.message.endswith("(the list began at line 2)")
    # With the line break, the end of the file is the start of the line after.
    assert [(p.line, p.column) for p in yamlsafe.parse(text + end).problems] == [(3, 1)]


def test_a_field_without_a_space_after_its_colon_names_the_line_it_began() -> None:
    # `owner:me` is one plain value, not a field; libyaml notices on the next line.
    problem = yamlsafe.parse("kind: Risk\nowner:me\nid: R-1\n").problems[0]
    assert (problem.code, problem.line) == ("AIMS001", 3)
    assert "': ' (a colon, then a space)" in problem.message
    assert problem.message.endswith("(the field began at line 2)")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('title: "Ranking "bias" issue"\nid: R-1\n', 1, 18),
        ("title: 'It's a risk'\nid: R-1\n", 1, 12),
        ('tags:\n  - "a "b" c"\n  - d\n', 2, 9),
        ('tags: ["a "b" c"]\n', 1, 12),
        ('a:\n  title: "x" y\n  b: 1\n', 2, 14),
    ],
)
def test_a_quote_inside_a_quoted_value_is_named(text: str, line: int, column: int) -> None:
    # libyaml says "did not find expected key", which sends a reader to indentation.
    problem = yamlsafe.parse(text).problems[0]
    assert (problem.code, problem.line, problem.column) == ("AIMS001", line, column)
    assert "text follows the closing quote of a quoted value" in problem.message
    assert "('it''s')" in problem.message


def test_a_misaligned_field_after_a_quoted_value_is_still_an_indentation_problem() -> None:
    problem = yamlsafe.parse('a:\n  title: "x"\n    b: 1\n').problems[0]
    assert "closing quote" not in problem.message


@pytest.mark.parametrize("odd", ["\u00a0", "\u3000", "\u2003"])
def test_indentation_with_a_space_that_is_not_one_is_named_at_its_line(odd: str) -> None:
    # libyaml reads a no-break space as text, and fails on the line after.
    text = f"kind: Risk\ntreatment:\n{odd}{odd}option: mitigate\n  controls: [A.5.4]\n"
    problem = yamlsafe.parse(text).problems[0]
    assert (problem.code, problem.line, problem.column) == ("AIMS001", 3, 1)
    assert f"indented with U+{ord(odd):04X} (" in problem.message
    assert "indent with ordinary spaces" in problem.message


def test_a_directive_inside_a_record_is_named_at_its_line() -> None:
    # A '%' line ends the record as '...' would; the message names no '...' then.
    problem = yamlsafe.parse("kind: Risk\n%YAML 1.1\n# a note\n\nid: R-1\n").problems[0]
    assert (problem.code, problem.line, problem.column) == ("AIMS001", 2, 1)
    assert "'%'" in problem.message and "'...'" not in problem.message
    problem = yamlsafe.parse("kind: Risk\n...\nid: R-1\n").problems[0]
    assert (problem.line, problem.column) == (3, 1)
    assert "after a '...' end marker" in problem.message


def test_mapping_keys_must_be_text() -> None:
    result = yamlsafe.parse("? [a, b]\n: 1\n")
    assert [p.code for p in result.problems] == ["AIMS004"]


# --- budgets of values per file and per run ---------------------------------------


def _alias_documents(count: int) -> str:
    """The red team's input: ``count`` documents of nested aliases, each expanding to
    just under MAX_NODES values (about 210 bytes a document). All the anchors of a
    document stand on its second line, so every value reached through an alias is
    on that line."""
    chain = "b: &b [x, x, x, x, x, x, x, x, x]"
    for previous, name in zip("bcd", "cde", strict=True):
        chain += f", {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]"
    return (f"---\na: {{{chain}}}\nz: [" + ", ".join(["*e"] * 25) + "]\n") * count


# b holds 10 values, c 1 + 9 * 10, d 1 + 9 * 91, e 1 + 9 * 820; z 1 + 25 * 7381.
PER_DOCUMENT = 1 + 1 + 10 + 91 + 820 + 7381 + 1 + 25 * 7381  # values, aliases expanded
THROUGH_ALIASES = 9 * 10 + 9 * 91 + 9 * 820 + 25 * 7381  # of them reached through an alias


def _count_visits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every value the walker visits, counted (work is bounded by count, not by time)."""
    visited: list[int] = []
    walk = Walker.value

    def counting(self: Walker, node: yaml.Node, depth: int) -> object:
        visited.append(1)
        return walk(self, node, depth)

    monkeypatch.setattr(Walker, "value", counting)
    return visited


def test_file_budget_stops_many_documents_of_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each document is within the limits of a document...
    assert yamlsafe.parse(_alias_documents(1)).problems == []
    assert PER_DOCUMENT < yamlsafe.MAX_NODES < yamlsafe.MAX_FILE_VALUES
    ran_out = yamlsafe.MAX_FILE_VALUES // PER_DOCUMENT  # the document it runs out in
    visited = _count_visits(monkeypatch)
    # A run with aliases to spare: the file's own budget must stop it.
    result = yamlsafe.parse(_alias_documents(10_000), yamlsafe.Budget(aliased=10**9))
    assert [(p.code, p.line) for p in result.problems] == [("AIMS006", 3 * ran_out + 2)]
    assert result.problems[0].message.startswith(
        f"file holds more than {yamlsafe.MAX_FILE_VALUES} values in all its documents, "
        "counted with aliases expanded"
    )
    assert [d.index for d in result.documents] == list(range(ran_out))  # those before
    # Stopped by counting: 10,000 documents would be 1.9 billion values.
    assert len(visited) == yamlsafe.MAX_FILE_VALUES + 1


def test_alias_cap_stops_values_reached_through_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    ran_out = yamlsafe.MAX_ALIAS_VALUES // THROUGH_ALIASES  # the document it runs out in
    visited = _count_visits(monkeypatch)
    result = yamlsafe.parse(_alias_documents(10_000))
    assert [(p.code, p.line) for p in result.problems] == [("AIMS006", 3 * ran_out + 2)]
    assert f"aliases (*name) expand to more than {yamlsafe.MAX_ALIAS_VALUES} values" in (
        result.problems[0].message
    )
    assert len(result.documents) == ran_out
    direct = PER_DOCUMENT - THROUGH_ALIASES  # values written out, visited once each
    assert len(visited) == yamlsafe.MAX_ALIAS_VALUES + 1 + direct * (ran_out + 1)


def test_the_alias_cap_counts_an_alias_of_a_single_value() -> None:
    budget = yamlsafe.Budget(aliased=3)
    result = yamlsafe.parse("a: &a x\nb: [*a, *a, *a]\n", budget)
    assert result.problems == [] and budget.aliased == 0
    result = yamlsafe.parse("a: &a x\nb: [*a, *a,\n  *a, *a]\n", yamlsafe.Budget(aliased=3))
    # The value that runs over is the aliased one, at its anchor.
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS006", 1, 4)]


def test_values_without_aliases_count_once_and_need_no_tracking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visited = _count_visits(monkeypatch)
    budget = yamlsafe.Budget()
    text = "kind: Risk\nid: R-1\ntags: [a, b, c]\n"
    assert yamlsafe.parse(text, budget).problems == []
    assert len(visited) == 7  # the mapping, its three values, the list's three
    assert budget.values == yamlsafe.MAX_RUN_VALUES - 7
    assert budget.aliased == yamlsafe.MAX_ALIAS_VALUES


def test_run_budget_is_shared_by_the_files_of_a_run() -> None:
    budget = yamlsafe.Budget(values=1_000)
    items = "[" + ", ".join(["x"] * 599) + "]\n"  # 600 values
    assert yamlsafe.parse(items, budget).problems == []
    assert (budget.values, budget.spent) == (400, False)
    second = yamlsafe.parse("---\nkind: A\n---\n" + items, budget)
    assert [d.data for d in second.documents] == [{"kind": "A"}]
    assert [(p.code, p.line, p.column) for p in second.problems] == [
        ("AIMS006", 4, 2 + 3 * 397)  # value 401 of the run: item 397 of the second list
    ]
    assert second.problems[0].message.startswith(
        f"the files read so far hold more than {yamlsafe.MAX_RUN_VALUES} values in all"
    )
    assert (budget.values, budget.spent) == (0, True)


def test_the_event_scan_stops_a_file_over_the_budget_before_composing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large file (more than 5,000 indicator bytes) over the budget is refused from
    the parser's events: none of its nodes is built, none walked."""
    visited = _count_visits(monkeypatch)
    text = "[" + ",".join(["x"] * 12_000) + "]\n"
    result = yamlsafe.parse(text, yamlsafe.Budget(values=10_000))
    # Value 10,001 is item 10,000, at column 2 * 10,000.
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS006", 1, 20_000)]
    assert result.documents == [] and visited == []


def test_documents_before_a_limit_in_a_large_file_are_kept() -> None:
    """Past 5,000 indicator bytes the event scan checks each document before it is
    composed: one too deep stops reading there, the documents before it are read."""
    big = "tags: [" + ",".join(["a"] * 6_000) + "]\n"
    text = big + "---\na: " + "[" * 100 + "]" * 100 + "\n---\nb: 1\n"
    result = yamlsafe.parse(text)
    assert [len(d.data["tags"]) for d in result.documents] == [6_000]
    assert [(p.code, p.line) for p in result.problems] == [("AIMS006", 3)]


def test_document_nodes_composes_only_the_documents_asked_for() -> None:
    text = "a: 1\n---\nb: 2\n---\nc: [\n"  # the third does not even parse
    assert [yamlsafe.locate(n, (), False)[0] for n in yamlsafe.document_nodes(text, 2)] == [1, 3]


# --- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["1" * 5_000, "-" + "9" * 501, "0x" + "f" * 5_000, "0o" + "7" * 600]
)
def test_a_number_too_long_to_convert_is_refused(number: str) -> None:
    """Python refuses to convert more than 4,300 digits (and takes quadratic time up
    to there); a hex number can be converted but not printed in a message."""
    result = yamlsafe.parse(f"id: R-1\nlikelihood: {number}\nimpact: !!int {number}\n")
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS006", 2, 13)]
    assert f"more than {yamlsafe.MAX_NUMBER_DIGITS} digits" in result.problems[0].message
    limit = "9" * yamlsafe.MAX_NUMBER_DIGITS
    assert _only(f"a: {limit}\nb: 0x{limit}\n") == {
        "a": int(limit),
        "b": int(limit, 16),
    }


def test_a_float_tag_on_an_integer_beyond_the_float_range_is_infinity() -> None:
    text = "a: !!float 1" + "0" * 400 + "\nb: !!float -1" + "0" * 400 + "\n"
    assert _only(text + "c: !!float 0x" + "f" * 300 + "\n") == {
        "a": float("inf"),
        "b": float("-inf"),
        "c": float("inf"),
    }


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_a_wide_encoding_without_a_byte_order_mark_is_named(encoding: str, named: str) -> None:
    # It was called binary ("it looks binary, not YAML text"), which sent the user to
    # exclude a record file rather than save it as UTF-8.
    text, problem = yamlsafe.decode("kind: Risk\nid: R-1\ntitle: Café\n".encode(encoding))
    assert text is None and problem is not None
    assert (problem.code, problem.line, problem.column) == ("AIMS002", 1, 1)
    assert problem.message == (
        f"the file looks saved as {named} without a byte-order mark (a NUL byte beside "
        "each letter); save it as UTF-8"
    )


def test_a_binary_file_with_nul_bytes_is_still_binary() -> None:
    _, problem = yamlsafe.decode(b"\x89\x01\x00\x00\xff\x10\x00\x07\x00\x00\x00\x01")
    assert problem is not None and "it looks binary" in problem.message


def test_merge_conflict_markers_are_refused_only_as_a_whole() -> None:
    """Start, separator and end, each a line of its own (any line breaks, labels or
    none); the start of one alone is no conflict, and libyaml speaks for it."""
    lines = ["kind: Risk", "id: R-1", "<<<<<<<", "title: A", "=======", "title: B", ">>>>>>> b"]
    conflict = "\r\n".join(lines) + "\r\n"
    problems = yamlsafe.parse(conflict).problems
    assert [(p.code, p.line, p.column) for p in problems] == [("AIMS001", 3, 1)]
    assert problems[0].message.startswith("the file holds an unresolved merge conflict")
    lone = yamlsafe.parse("kind: Risk\nid: R-1\n<<<<<<< HEAD\ntitle: A\n").problems
    assert [p.message.startswith("YAML syntax error") for p in lone] == [True]
    # No line starts a conflict: the first marker is inside a value.
    assert yamlsafe.parse('title: "<<<<<<< a\n=======\n>>>>>>> b"\n').problems == []


@pytest.mark.parametrize("number", ["1e-400", "-2.5E-999", "0.000001e-320", "!!float 1e-400"])
def test_a_number_a_float_reads_as_zero_is_refused_at_its_place(number: str) -> None:
    # `max: 1e-400` was read as 0 without a word: a threshold, a metric or an
    # observation silently changed by parsing can turn a breach into a pass.
    result = yamlsafe.parse(f"id: R-1\nthreshold:\n  max: {number}\n")
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS006", 3, 8)]
    assert "too close to zero for a record to hold: it would be read as 0" in (
        result.problems[0].message
    )


@pytest.mark.parametrize(
    ("number", "held"),
    [
        ("0.79999999999999999", "0.8"),
        ("-0.10000000000000001", "-0.1"),
        ("1.0000000000000001e16", "1e+16"),
        ("3.14159265358979323846", "3.141592653589793"),
        # Whole, beyond ±2**53: the record model refuses such a whole number only
        # written without a point.
        ("9007199254740993.0", "9007199254740992.0"),
    ],
)
def test_a_number_a_float_reads_as_a_neighbour_is_refused_at_its_place(
    number: str, held: str
) -> None:
    # `min: 0.79999999999999999` was read as 0.8 without a word, so a value of 0.8
    # passed a minimum it fails.
    result = yamlsafe.parse(f"id: R-1\nthreshold:\n  min: {number}\n")
    assert [(p.code, p.line, p.column) for p in result.problems] == [("AIMS006", 3, 8)]
    assert result.problems[0].message == (
        f"the number {number} has more digits than can be held: it would be read as "
        f"{held}; write at most 15 significant digits, rounded as you mean it"
    )


def test_a_whole_number_beyond_2_to_the_53_written_with_a_point_is_refused() -> None:
    # 10000000000000000.0 is held exactly, but not every whole number that large is:
    # refused as the same number written without the point is (AIMS102).
    [problem] = yamlsafe.parse("id: R-1\nvalue: 10000000000000000.0\n").problems
    assert (problem.code, problem.line, problem.column) == ("AIMS006", 2, 8)
    assert problem.message.startswith(
        "the number 10000000000000000.0 is a whole number beyond ±2**53 (9007199254740992)"
    )
    assert _only("a: 1e16\nb: 9007199254740992.0\n") == {"a": 1e16, "b": 9007199254740992.0}


def test_numbers_a_float_reads_back_as_written_are_read() -> None:
    # Fifteen significant digits always read back, trailing zeros are no more digits,
    # and a longer number a float holds as written (its shortest form) is read.
    assert _only(
        "a: 0.123456789012345\nb: 0.10000000000000000000\nc: 1e23\n"
        "d: 9007199254740992.0\ne: 0.12345678901234568\n"
    ) == {
        "a": 0.123456789012345,
        "b": 0.1,
        "c": 1e23,
        "d": 9007199254740992.0,
        "e": 0.12345678901234568,
    }


def test_zero_and_the_smallest_numbers_a_float_holds_are_read() -> None:
    assert _only("a: 0.0\nb: 0e-400\nc: -0.000\nd: 5e-324\ne: 1e-300\n") == {
        "a": 0.0,
        "b": 0.0,
        "c": -0.0,
        "d": 5e-324,
        "e": 1e-300,
    }
