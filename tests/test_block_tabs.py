"""Block text whose first line starts with a tab: libyaml refuses it unless the header
gives the indentation; yamlsafe reads it as YAML (and PyYAML's pure-Python reader)
reads it, and positions stay where the file has them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from aimsctl import yamlsafe
from aimsctl.yamlsafe.block_tabs import MAX_REPAIRS, MAX_TEXT, indicated
from conftest import AS_OF, CliResult

TEXTS = [
    "description: |\n  \tindented by tab, as pasted from a log\n  next\nx: 1\n",
    "description: >-\n  \tfolded\n  more\n\nx: 1\n",
    "description: |+  # a comment\n\n    \tafter a blank line\n",
    "outer:\n  steps:\n    - |\n      \tmake all\n      \tmake test\n    - plain\n",
    "- title: a\n  note: |\n    \tin a sequence's mapping\n- b\n",
    "a: |\r\n  \tcarriage returns\r\n  too\r\nb: >\r\n   \tthree spaces\r\n",
    "kind: Risk\ntitle: é😀 |\ndescription: |\n  \ttab\n---\nother: |\n\n  \tx\n",
    "keep: |\n  \t\ttwo tabs\n  \n  trailing\n",
    "deep:\n  er:\n    est: |\n            \tten past its parent\n",  # 8 past 'est'
    "cr: |\r  \tcarriage returns only\r  x\r",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_tab_led_block_reads_as_yaml_says(text: str) -> None:
    """libyaml refused each of these ("a tab is used for indentation"): the record
    dropped out of the register, and `fmt` refused the file, though the YAML is valid
    and PyYAML's pure-Python reader and ruamel.yaml read it."""
    with pytest.raises(yaml.YAMLError):
        list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    result = yamlsafe.parse(text)
    assert result.problems == []
    assert [d.data for d in result.documents] == list(yaml.load_all(text, yaml.SafeLoader))


def test_positions_stay_where_the_file_has_them() -> None:
    text = "a: 1\nnote: |  # why\n  \tx\nafter: [p, q]\n"
    node = yamlsafe.document_nodes(text)[0]
    assert yamlsafe.locate(node, ("after", 1), False) == (4, 12, True)
    assert yamlsafe.locate(node, ("note",), False) == (2, 7, True)


@pytest.mark.parametrize(
    "text",
    [
        # More than nine spaces past what holds the block: no indicator can say it (the
        # review found a first version read the spaces past nine into the text).
        "k: |\n            \tfoo\n            bar\n",
        "k: |-\n          \tdeep\n",
        # A blank line before the first one with more spaces than its indentation:
        # invalid YAML, which libyaml told the indentation would read as text.
        "k: |\n    \n  \tfoo\n",
        "- |+\n   \n \t\n   \tx\n",
        "a: |\n\tx\n",  # a tab where the indentation itself should be: refused
        "a: |\n  x\n  \ty\nb: [\n",  # readable block, a real error after it
        "a: b |\n  \tc\n",  # a plain value ending in '|' is no block header
        "a: |\n  \tx\nb: |\n\t  \n  \ty\n",  # one block this cannot mend: none is
        "",
        "a: 1\n",
    ],
)
def test_anything_else_is_left_as_libyaml_reads_it(text: str) -> None:
    assert indicated(text) == text


def test_too_many_such_blocks_or_too_long_a_text_keep_the_error() -> None:
    text = "".join(f"k{i}: |\n  \tv\n" for i in range(MAX_REPAIRS + 1))
    assert indicated(text) == text
    assert yamlsafe.parse(text).problems
    fewer = "".join(f"k{i}: |\n  \tv\n" for i in range(MAX_REPAIRS))
    parsed = yamlsafe.parse(fewer).documents[0].data
    assert parsed == {f"k{i}": "\tv\n" for i in range(MAX_REPAIRS)}


def test_validate_and_fmt_read_the_record(
    cli: Callable[..., CliResult], make_repo: Callable[..., Path]
) -> None:
    """A risk whose description was pasted from a log, a tab first, was AIMS001 with
    "a tab is used for indentation" and left out of `risk score`; `fmt` refused it."""
    root = make_repo(
        {
            "risks/y.yaml": "kind: Risk\nid: R-Y\ntitle: t\nowner: o\ndescription: |\n"
            "  \tfrom a log\n  next\nsystems: [SYS-1]\ninherent: {likelihood: 1, severity: 2}\n"
            "status: open\n"
        }
    )
    checked = cli("validate", root, "--as-of", AS_OF, "--format", "json")
    assert "AIMS001" not in checked.stdout
    scored = cli("risk", "score", root, "--as-of", AS_OF, "--format", "json")
    assert "R-Y" in scored.stdout
    formatted = cli("fmt", "--repo", root)
    assert formatted.exit_code == 0, formatted.stderr
    text = (root / "risks" / "y.yaml").read_text(encoding="utf-8")
    assert "description: |\n  \tfrom a log\n  next\n" in text


def test_a_text_longer_than_a_record_needs_is_left_as_libyaml_reads_it() -> None:
    """The review timed a 7.8 MB file with 20 such blocks at 41 s (2.6 s without them):
    each repair reads the text again. Past MAX_TEXT the error stands."""
    block = "k: |\n  \tv\n"
    padding = "# " + "x" * 100 + "\n"
    text = block + padding * (MAX_TEXT // len(padding) + 1)
    assert len(text) > MAX_TEXT
    assert indicated(text) == text
