"""docs/rules.md, generated from the rule registry.

Regenerate with ``python -m aimsctl.rules.docs > docs/rules.md``; a test fails
when the committed file differs from what this module renders.
"""

from __future__ import annotations

import sys

from aimsctl.rules import Rule, all_rules

REGENERATE = "python -m aimsctl.rules.docs > docs/rules.md"

_LAYERS = (
    ("AIMS0", "Reading files"),
    ("AIMS1", "Record schema"),
    ("AIMS2", "References and the Statement of Applicability"),
    ("AIMS3", "Risk"),
    ("AIMS4", "Proportional governance and impact assessments"),
    ("AIMS5", "Reviews, evidence and waivers"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _section(rule: Rule) -> list[str]:
    fence = _fence(rule.example)
    return [
        f"### {rule.code} `{rule.name}`",
        "",
        f"Default severity: **{rule.severity}**",
        "",
        rule.summary,
        "",
        f"**Why it matters.** {rule.why}",
        "",
        f"**How to fix it.** {rule.fix}",
        "",
        "**Example.**",
        "",
        fence,
        rule.example,
        fence,
        "",
    ]


def render_markdown() -> str:
    """The rule reference as Markdown: an index table, then one section per rule."""
    rules = all_rules()
    lines = [
        "# Rules of `aimsctl validate`",
        "",
        "<!-- Generated from the rule registry; do not edit by hand. -->",
        f"<!-- Regenerate with: {REGENERATE} -->",
        "",
        "Every diagnostic carries one of these codes. Change a rule's severity, or turn it",
        "off, under `rules:` in `aims.yaml` (`AIMS503: off`, `AIMS201: warning`); waive",
        "single findings with a `Waiver` record. `aimsctl rules explain CODE` prints the",
        "same text in the terminal.",
        "",
        "| Code | Name | Severity | Summary |",
        "|---|---|---|---|",
    ]
    lines.extend(
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity} | "
        f"{_cell(r.summary)} |"
        for r in rules
    )
    lines.append("")
    for prefix, title in _LAYERS:
        layer = [r for r in rules if r.code.startswith(prefix)]
        if not layer:
            continue
        lines.extend([f"## {prefix}xx: {title}", ""])
        for rule in layer:
            lines.extend(_section(rule))
    others = [r for r in rules if not r.code.startswith(tuple(p for p, _ in _LAYERS))]
    if others:
        lines.extend(["## Other rules", ""])
        for rule in others:
            lines.extend(_section(rule))
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
