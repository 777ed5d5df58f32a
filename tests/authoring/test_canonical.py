"""The canonical form of `aimsctl fmt`: comments in every position YAML allows survive."""

from __future__ import annotations

from typing import Any

import pytest

from aimsctl import writing, yamlsafe
from aimsctl.authoring.canonical import FormatError, canonical, comment_moves, comments

# Hand-written, with comments at the head, between keys, at the end of lines, inside
# lists, inside mappings, inside flow collections' lines, between documents and at
# the end; keys out of order; quotes where none are needed; a wide flow mapping.
CORPUS = """\
# head comment of the file

# second head paragraph
---   # on the first marker
# above kind
kind: Risk   # eol kind
id: 'R-1'  # eol id
# above title
title: "A title"
status: open # status before description (out of order)
description: >-   # eol folded
  Some text that
  # is not a comment
  continues.
owner: "3.2"
tags: [a,   'b', "c"]    # eol flow
systems:
  # head of list
  - SYS-1   # eol item
  # between items
  - SYS-2
  # after last item
inherent: {severity: 3, likelihood: 2}  # reversed
treatment:   # eol treatment
  # first in treatment
  plan: x
  option: mitigate   # eol option


  # after blank lines
  controls:
  - A.5.4
  - "A.6.2.4"
  due: '2026-01-01'
  # end of treatment
# between documents, before marker
---
# after marker
kind: Control
id: A.2.2
applicable: true
justification: "yes"
evidence: [{path: evidence/a-rather-long-file-name.md, description: a description long enough to wrap}]
---

kind: Control   # doc 3 after blank
id: A.2.3
justification: |
  literal


  with blanks
applicable: false
reviewed: {on: 2026-01-01, by: x}
# at the end
"""  # noqa: E501

EXPECTED = """\
# head comment of the file

# second head paragraph
# on the first marker
# above kind
kind: Risk   # eol kind
id: R-1    # eol id
# above title
title: A title
description: >-   # eol folded
  Some text that
  # is not a comment
  continues.
owner: "3.2"
tags: [a, b, c]          # eol flow
systems:
  # head of list
  - SYS-1   # eol item
  # between items
  - SYS-2
  # after last item
inherent: {likelihood: 2, severity: 3}  # reversed
treatment:   # eol treatment
  # first in treatment
  option: mitigate   # eol option

  # after blank lines
  controls:
    - A.5.4
    - A.6.2.4
  plan: x
  due: 2026-01-01
  # end of treatment
status: open # status before description (out of order)
# between documents, before marker
---
# after marker
kind: Control
id: A.2.2
applicable: true
justification: "yes"
evidence:
  - {path: evidence/a-rather-long-file-name.md, description: a description long enough to wrap}
---
kind: Control   # doc 3 after blank
id: A.2.3
applicable: false
justification: |
  literal


  with blanks
reviewed: {on: 2026-01-01, by: x}
# at the end
"""


def test_the_corpus_formats_to_the_canonical_form() -> None:
    assert canonical(CORPUS, "corpus.yaml") == EXPECTED


def test_formatting_keeps_every_comment_and_every_value() -> None:
    result = canonical(CORPUS, "corpus.yaml")
    assert comments(result) == comments(CORPUS)
    assert len(comments(CORPUS)) == 24  # "# eol folded", on a `>-` line, counts too
    assert "# is not a comment" not in comments(CORPUS)
    assert writing.same_data(CORPUS, result)


def test_formatting_a_formatted_file_changes_no_byte() -> None:
    assert canonical(EXPECTED, "corpus.yaml") == EXPECTED


@pytest.mark.parametrize(
    ("written", "formatted"),
    [
        ("kind: Policy\nversion: '2.1'\n", 'kind: Policy\nversion: "2.1"\n'),
        ("a: 'it''s'\n", "a: it's\n"),
        ("a: '#x'\n", 'a: "#x"\n'),
        ("a: '- say \"hi\"'\n", "a: '- say \"hi\"'\n"),
        ("on: 2026-01-01\nflag: 'on'\n", 'on: 2026-01-01\nflag: "on"\n'),
        ("a: ~\nb:\n", "a: null\nb: null\n"),
        ("a: 1\n\n\n\nb: 2\n\n", "a: 1\n\nb: 2\n"),
        ("a: 1\n\n---\n\nb: 2\n", "a: 1\n---\nb: 2\n"),
        ("a:\n    - 1\n    - 2\n", "a:\n  - 1\n  - 2\n"),
        # A file ending every line at CR LF keeps them (a checkout with core.autocrlf);
        # one that mixes line ends gets LF
        ("a:    1\r\nb: 2\r\n", "a: 1\r\nb: 2\r\n"),
        ("a: 1\r\nb: 2\n", "a: 1\nb: 2\n"),
        # Lines ended by CR alone: a comment line was read as running into the next
        ("# head\rt: x # c\r", "# head\nt: x # c\n"),
        ("kind: Risk\nid: R-1\n---\n", "kind: Risk\nid: R-1\n"),
        # What a YAML 1.1 reader takes for a merge, a value key or a timestamp
        (
            "a: '<<'\nb: '='\nc: '2026-01-01T10:00:00Z'\n",
            'a: "<<"\nb: "="\nc: "2026-01-01T10:00:00Z"\n',
        ),
        # Numbers in decimal: a YAML 1.1 reader takes 010 for 8, 0o2 and 1e-05 for text
        (
            "a: 010\nb: 0o2\nc: 0x10\nd: 9.000000e-01\ne: 1e-05\nf: 1_000\n",
            'a: 10\nb: 2\nc: 16\nd: 0.9\ne: 1.0e-05\nf: "1_000"\n',
        ),
        # A comment on a marker between documents: with the document that follows, or
        # above the marker when none does (ruamel.yaml drops it on the marker line)
        ("a: 1\n--- # second\nb: 2\n", "a: 1\n---\n# second\nb: 2\n"),
        ("a: 1\n--- # the end\n", "a: 1\n# the end\n"),
        # A tab that separates a value from its comment, or trails it
        ("title: t\t# note\nowner: o\t\n", "title: t # note\nowner: o\n"),
        # A no-break or ideographic space ending a value is part of it, not a trailing
        # space: formatting refused the file ("would change a value")
        ("title: t\u00a0\nowner: o\u3000 \n", "title: t\u00a0\nowner: o\u3000\n"),
        # NEL, LS and PS with a double quote: written raw in single quotes, the emitter
        # folded the line at them (YAML 1.1 breaks) and the file was refused; escaped
        ('title: "say \\"hi\\"\\u2028there"\n', 'title: "say \\"hi\\"\\Lthere"\n'),
        ('title: "x\\u0085\\"y\\u2029"\n', 'title: "x\\N\\"y\\P"\n'),
        # Raw NEL, LS and PS are text to yamlsafe (YAML 1.2); ruamel.yaml read them as
        # line breaks, so `a: <LS>` was null to it and the file was refused
        (
            "a: \u2028\nb: x\u0085y # c\u2029d\nc: [' \u2029''']\n",
            'a: "\\L"\nb: "x\\Ny" # c\u2029d\nc: [" \\P\'"]\n',
        ),
        # ... and in a comment on a block text's `|` line, which was left a stand-in
        ("t: | # c\u0085\n  x\n", "t: | # c\u0085\n  x\n"),
        # ... and one on the `>` line of a block text holding one, which is written in
        # double quotes: the comment was dropped, and the file refused
        ("r: > # c\n  x\u0085\n", '# c\nr: "x\\N\\n"\n'),
        ("n: >\n  \u2029a\n  b\n", 'n: "\\Pa b\\n"\n'),  # without ruamel's fold marks
        # A key is text to yamlsafe however it looks: ruamel.yaml read `Null:` as None
        # and wrote `null:`, `+1:` as `1:`, and took `1:` and `01:` for one key
        *[(keys, keys) for keys in ["Null: 1\nTrue: 2\n+1: 3\n-.INF: 4\nx: {~: 5}\n"]],
        ("1: a\n01: b\n", "1: a\n01: b\n"),
        # In a flow list, text that starts with ':' or '?' stays quoted: `[:-), ?x]` is a
        # missing value and a mapping to libyaml (formatting stopped on a parser error)
        ('tags: [":-)", "?x", "a:b"]\n', 'tags: [":-)", "?x", a:b]\n'),
        # An empty key is the text '' to yamlsafe: it was written `!!null ""`, a tag
        ("?\nb: {? : 1}\n", '"": null\nb: {"": 1}\n'),
        # A comment between a key and a value on a later line goes above the key, and a
        # blank line there goes: ruamel.yaml dropped the comment (the file was refused)
        # and failed on a flow list after a blank line
        ("a: 1\ntitle:\n  # why\n  t\n", "a: 1\n# why\ntitle: t\n"),
        ("s:\n\n  [x, z]\nm:\n  # c\n\n  {k: 1}\n", "s: [x, z]\n# c\nm: {k: 1}\n"),
        ("m:\n  k:\n    # c\n    1\n", "m:\n  # c\n  k: 1\n"),
        # The comments of what holds no record (a document of comments, what follows
        # `...`) stay with a record, the empty document gone: ruamel.yaml dropped them
        ("a: 1\n---\n# only a comment\n", "a: 1\n# only a comment\n"),
        ("a: 1\n... # end\n", "a: 1\n# end\n"),
        ("a: 1\n...\n# after\n---\nb: 2\n", "a: 1\n# after\n---\nb: 2\n"),
        (
            "a: 1\n---\n# empty\n--- # on b\n# b\nb: 2\n",
            "a: 1\n# empty\n---\n# on b\n# b\nb: 2\n",
        ),
        # A comment between an explicit key's `?` and its `:` goes above the key:
        # ruamel.yaml dropped the `?` there, and formatting stopped on a parser error
        ("x: 1\n? a # c\n# e\n: 3\n", "x: 1\n# c\n# e\na: 3\n"),
        # Text that looks like a date is quoted, but in a date field: a YAML 1.1 reader
        # (PyYAML's safe_load) took the unquoted title or tag for a date
        (
            "kind: Risk\ntitle: 2026-01-03\ntags: ['2026-01-01']\n"
            "reviewed: {on: '2026-01-01', by: 2026-01-01}\n",
            'kind: Risk\ntitle: "2026-01-03"\ntags: ["2026-01-01"]\n'
            'reviewed: {on: 2026-01-01, by: "2026-01-01"}\n',
        ),
        (
            "kind: Waiver\nexpires: '2027-01-31'\nx: '2027-01-31'\n",
            'kind: Waiver\nexpires: 2027-01-31\nx: "2027-01-31"\n',
        ),
        # `!!str` makes text of what would read as something else: ruamel.yaml wrote
        # the tag back as `!!%20str`, and the file was refused ('would change a value')
        (
            "a: !!str 2026\nb: [!!str yes, !!str '']\n!!str 1: !!str |\n  x\n"
            "c: &s !!str 5\nd: *s\n",
            'a: "2026"\nb: ["yes", ""]\n"1": |\n  x\nc: &s "5"\nd: *s\n',
        ),
        # A tab inside a plain value or key is text; ruamel.yaml could not read it, so
        # formatting refused the file and pointed at itself ('aimsctl fmt' fixes it)
        (
            "a: &x b\tc\n  d\te\nk\tz: [x\ty, 1]\nb: *x\n",
            'a: &x "b\\tc d\\te"\n"k\\tz": ["x\\ty", 1]\nb: *x\n',
        ),
    ],
)
def test_what_canonical_means(written: str, formatted: str) -> None:
    assert canonical(written, "f.yaml") == formatted
    assert canonical(formatted, "f.yaml") == formatted


def test_aims_yaml_takes_the_order_of_its_settings() -> None:
    written = "organization: Acme\nversion: 1\nrisk:\n  appetite: low\n  method: multiply\n"
    assert canonical(written, "aims.yaml", config=True) == (
        "version: 1\norganization: Acme\nrisk:\n  method: multiply\n  appetite: low\n"
    )


def test_a_file_that_is_not_yaml_is_reported_not_formatted() -> None:
    with pytest.raises(FormatError, match=r"f\.yaml:2:1"):
        canonical("a: 1\na: 2\n", "f.yaml")


def test_a_file_that_holds_no_record_is_left_alone() -> None:
    assert canonical("# just\n42\n", "f.yaml") == "# just\n42\n"


def test_a_list_item_whose_first_key_moves_keeps_its_dash() -> None:
    """`- description: ...` then `path:`: the dash shares the first key's line, and
    moving that line below the next key once broke the list (or merged two items)."""
    written = (
        "kind: Control\nid: ORG-9\ntitle: t\nevidence:\n"
        "  - description: one\n    path: a.md\n"
        "  - description: two\n    # the file\n    path: b.md  # beside\n"
    )
    result = canonical(written, "c.yaml")
    assert result == (
        "kind: Control\nid: ORG-9\ntitle: t\nevidence:\n"
        "  - path: a.md\n    description: one\n"
        "    # the file\n  - path: b.md  # beside\n    description: two\n"
    )
    assert writing.same_data(written, result)
    assert canonical(result, "c.yaml") == result


def test_aliases_stay_after_their_anchors() -> None:
    in_list = "kind: Risk\nid: R-1\ntitle: &t T\ntags:\n  - a\n  - *t\nowner: o\n"
    assert canonical(in_list, "r.yaml") == (
        "kind: Risk\nid: R-1\ntitle: &t T\nowner: o\ntags:\n  - a\n  - *t\n"
    )
    # title belongs above description, but its alias cannot come before the anchor
    anchored_below = "kind: Risk\nid: R-1\ndescription: &d same\ntitle: *d\n"
    assert canonical(anchored_below, "r.yaml") == anchored_below


def test_a_comment_inside_a_flow_list_over_several_lines_moves_above_its_key() -> None:
    """ruamel.yaml drops a comment inside a flow collection written over several
    lines; formatting refused such a file and asked for a bug report."""
    written = (
        "kind: Risk\nid: R-1\ntitle: t\ntags: [bias,  # the main one\n  fairness]\n"
        "systems:\n  - [SYS-1, # first\n    SYS-2]  # after\n"
        "inherent: {\n  # a guess\n  likelihood: 2, severity: 3}\n"
    )
    result = canonical(written, "r.yaml")
    assert result == (
        "kind: Risk\nid: R-1\ntitle: t\n# the main one\ntags: [bias, fairness]\n"
        "systems:\n  # first\n  - [SYS-1, SYS-2] # after\n"
        "# a guess\ninherent: {likelihood: 2, severity: 3}\n"
    )
    assert comments(result) == comments(written)
    assert canonical(result, "r.yaml") == result


def test_a_comment_on_a_list_items_block_text_line_moves_above_the_item() -> None:
    """ruamel.yaml drops a comment on the `|` line of a list item's block text (and
    its neighbours' comments with it); the check once missed it, as it counted that
    line as the value, and the comment was lost."""
    written = (
        "kind: Risk\nid: R-1\ntitle: t\ntags:\n  - a # one\n"
        "  - |- # why this tag\n    fairness\n  - b # bee\n"
    )
    assert comments(written)["# why this tag"] == 1
    result = canonical(written, "r.yaml")
    assert result == (
        "kind: Risk\nid: R-1\ntitle: t\ntags:\n  - a # one\n"
        "  # why this tag\n  - |-\n    fairness\n  - b # bee\n"
    )
    assert comments(result) == comments(written)


def test_many_mappings_out_of_order_are_all_put_in_order_in_one_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each mapping out of order took a pass of its own, the whole text parsed again
    for it, and after 800 (200 passes in each of four rounds) the rest stayed out of
    order: `fmt` then `fmt --check` said the file would change again, and 1,000
    records in one file took 79 s. Mappings beside each other are now put in order in
    the same pass: the passes follow how deep they are nested, not how many they are."""
    metrics = "".join(
        f"  - value: 0.{index % 10}\n    dimension: performance\n    name: m{index}\n"
        for index in range(900)
    )
    written = (
        "kind: Evaluation\nid: EVAL-1\nsystem: SYS-1\nstage: periodic\n"
        f"performed: {{by: a@example.org, on: 2026-01-02}}\nmetrics:\n{metrics}"
    )
    parses = 0
    real = yamlsafe.positioned_nodes

    def counted(text: str) -> list[Any]:
        nonlocal parses
        parses += 1
        return real(text)

    monkeypatch.setattr(yamlsafe, "positioned_nodes", counted)
    result = canonical(written, "e.yaml")
    assert parses <= 12  # before: 806
    assert result == (
        "kind: Evaluation\nid: EVAL-1\nsystem: SYS-1\nstage: periodic\n"
        "performed: {on: 2026-01-02, by: a@example.org}\nmetrics:\n"
        + "".join(
            f"  - name: m{index}\n    dimension: performance\n    value: 0.{index % 10}\n"
            for index in range(900)
        )
    )
    assert canonical(result, "e.yaml") == result


def test_nested_mappings_and_refused_moves_in_one_pass_format_as_one_at_a_time() -> None:
    """Documents formatted together come out as each formatted alone: an outer mapping
    put in order before what it holds, a move an alias refuses left as written while the
    mappings after it still move."""
    documents = [
        "kind: Risk\nid: R-1\ndescription: &d same\ntitle: *d\n"
        "treatment: {plan: p, option: mitigate}\n",
        "title: t\nid: R-2\nkind: Risk\ntreatment:\n  plan: p\n  option: mitigate\n",
        "id: A.2.2\nkind: Control\nevidence:\n  - description: d\n    path: a.md\n",
    ]
    alone = [canonical(document, "r.yaml") for document in documents]
    assert canonical("---\n".join(documents), "r.yaml") == "---\n".join(alone)
    assert alone[1] == "kind: Risk\nid: R-2\ntitle: t\ntreatment:\n  option: mitigate\n  plan: p\n"


def test_comment_moves_on_many_lines_give_each_line_as_one_move_would() -> None:
    """The moves before ruamel.yaml reads a file (a comment on a `---` line, on a list
    item's `|` line, inside a flow list, beside an explicit key) once cost a pass
    over the lines per move; they are one pass now, with the same lines out, checked
    here on thousands of moves in one file."""
    count = 3000
    markers = "kind: Risk\nid: R-0\n" + "".join(
        f"--- # part {n}\nkind: Risk\nid: R-{n + 1}\n" for n in range(count)
    )
    assert comment_moves.marker_comments_apart(markers + "--- # the end\n") == (
        "kind: Risk\nid: R-0\n"
        + "".join(f"---\n# part {n}\nkind: Risk\nid: R-{n + 1}\n" for n in range(count))
        + "# the end\n---\n"
    )
    blocks = "kind: Risk\nid: R-1\ntags:\n" + "".join(
        f"  - |- # why {n}\n    t{n}\n" for n in range(count)
    )
    assert comment_moves.block_comments_above(blocks) == (
        "kind: Risk\nid: R-1\ntags:\n"
        + "".join(f"  # why {n}\n  - |-\n    t{n}\n" for n in range(count))
    )
    flows = "kind: Risk\nid: R-1\n" + "".join(
        f"k{n}: [a,  # why {n}\n  # alone {n}\n  b]\n" for n in range(count)
    )
    assert comment_moves.flow_comments_above(flows) == (
        "kind: Risk\nid: R-1\n"
        + "".join(f"# why {n}\n# alone {n}\nk{n}: [a,\n  b]\n" for n in range(count))
    )
    keys = "kind: Risk\nid: R-1\n" + "".join(f"? k{n} # c{n}\n: v\n" for n in range(count))
    assert comment_moves.key_comments_above(keys) == (
        "kind: Risk\nid: R-1\n" + "".join(f"# c{n}\n? k{n}\n: v\n" for n in range(count))
    )
