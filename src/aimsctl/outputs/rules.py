"""`aimsctl rules` and `aimsctl rules explain`: the rule registry as a table, text or JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from aimsctl.rules import Rule


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
    rows = [header, *((r.code, r.name, str(r.severity), r.summary) for r in rules)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + f"  {row[3]}\n"
        for row in rows
    )


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
        # Lines break between words only: a value such as `continual-improvement` or
        # human-in-the-loop is typed into records as printed, so it stays whole.
        lines.append(
            textwrap.fill(
                text,
                width=88,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    lines += ["", "Example:", textwrap.indent(rule.example, "    ")]
    return "\n".join(lines) + "\n"


def explain_json(rule: Rule) -> str:
    return _dump({"version": 1, "rule": _as_json(rule)})
