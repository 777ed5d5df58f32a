"""docs/rules.md is generated from the registry and must be kept in step with it."""

from __future__ import annotations

import subprocess
import sys

from aimsctl.rules import all_rules
from aimsctl.rules.docs import REGENERATE, render_markdown
from conftest import PROJECT

DOCS = PROJECT / "docs" / "rules.md"


def test_committed_rules_md_matches_the_registry() -> None:
    committed = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    assert committed == render_markdown(), (
        f"docs/rules.md is out of date with the rule registry; regenerate it with `{REGENERATE}`"
    )


def test_every_rule_has_a_section_and_an_index_row() -> None:
    text = render_markdown()
    for rule in all_rules():
        assert f"\n### {rule.code} `{rule.name}`\n" in text
        assert f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) |" in text
        assert rule.why in text
        assert rule.example in text


def test_module_entry_point_prints_the_markdown() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aimsctl.rules.docs"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == render_markdown()
