"""docs/rules.md is generated from the registry: what the generator writes.

That the committed docs/rules.md is the generator's output is checked with every
generated file by tests/test_docs.py (scripts/regenerate.py --check).
"""

from __future__ import annotations

import subprocess
import sys

from aimsctl.rules import all_rules
from aimsctl.rules.docs import render_markdown


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


def test_every_rule_is_under_the_heading_of_its_layer() -> None:
    """AIMS8xx (regulatory obligations) has a heading of its own, as every layer
    aimsctl.codes names does: no rule is left under a catch-all "Other rules"."""
    layer = ""
    for line in render_markdown().splitlines():
        if line.startswith("## "):
            layer = line
        elif line.startswith("### AIMS"):
            assert layer.startswith(f"## {line[4:9]}xx: "), (line, layer)
