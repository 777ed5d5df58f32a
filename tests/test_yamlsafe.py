"""The safe YAML layer: core-schema values, limits, and exact 1-based positions."""

from __future__ import annotations

import pytest
import yaml

from aimsctl import yamlsafe


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


def test_alias_bomb_is_stopped_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    visited: list[int] = []
    walk = yamlsafe._Walker.value

    def counting(self: yamlsafe._Walker, node: yaml.Node, depth: int) -> object:
        visited.append(1)
        return walk(self, node, depth)

    monkeypatch.setattr(yamlsafe._Walker, "value", counting)
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
    problem = yamlsafe._syntax_problem(error, "a: [[[")
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


def test_mapping_keys_must_be_text() -> None:
    result = yamlsafe.parse("? [a, b]\n: 1\n")
    assert [p.code for p in result.problems] == ["AIMS004"]
