"""`aimsctl rules` and `aimsctl rules explain`: the rule registry as a table, text or JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from aimsctl.rules import Rule
from aimsctl.text import plain_table, wrap_words


def _as_json(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": str(rule.severity),
        "summary": rule.summary,
        "why": rule.why,
        "fix": rule.fix,
        "example": rule.example,
    }


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def list_text(rules: Sequence[Rule]) -> str:
    """One rule a line: code, name and severity in columns, then the summary."""
    header = ("CODE", "NAME", "SEVERITY", "SUMMARY")
    rows = ((r.code, r.name, str(r.severity), r.summary) for r in rules)
    return "".join(line + "\n" for line in plain_table(header, rows))


def list_json(rules: Sequence[Rule]) -> str:
    return _dump({"version": 1, "rules": [_as_json(rule) for rule in rules]})


def explain_text(rule: Rule) -> str:
    """What the rule checks, why it matters, how to fix it, and an example."""
    lines = [f"{rule.code} {rule.name} ({rule.severity})"]
    for heading, text in (
        ("What it checks", rule.summary),
        ("Why it matters", rule.why),
        ("How to fix it", rule.fix),
    ):
        lines += ["", f"{heading}:"]
        lines += wrap_words(text, 88, "  ")
    lines += ["", "Example:", textwrap.indent(rule.example, "    ")]
    return "\n".join(lines) + "\n"


def explain_json(rule: Rule) -> str:
    return _dump({"version": 1, "rule": _as_json(rule)})
