"""docs/rules.md, generated from the rule registry.

Regenerate with ``python -m aimsctl.rules.docs > docs/rules.md``; a test fails
when the committed file differs from what this module renders.
"""

from __future__ import annotations

import sys

from aimsctl import codes
from aimsctl.rules import Rule, all_rules
from aimsctl.text import Markdown, md_code, md_fence, md_table

REGENERATE = "python -m aimsctl.rules.docs > docs/rules.md"

_LAYERS = (
    ("AIMS0", "Reading files"),
    ("AIMS1", "Record schema"),
    ("AIMS2", "References and the Statement of Applicability"),
    ("AIMS3", "Risk"),
    ("AIMS4", "Proportional governance and impact assessments"),
    ("AIMS5", "Reviews, evidence and waivers"),
    ("AIMS6", "The management system"),
    ("AIMS7", "Testing and monitoring"),
    ("AIMS8", "Regulatory obligations"),
)


def _section(rule: Rule) -> list[str]:
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
        *md_fence(rule.example),
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
        f"off, under `rules:` in `aims.yaml` (`{codes.IMPLEMENTED_WITHOUT_EVIDENCE}: off`, "
        f"`{codes.BROKEN_REFERENCE}: warning`); waive",
        "single findings with a `Waiver` record. The exceptions are the codes after which",
        "a record is left out of every rule, report and register ("
        + ", ".join(sorted(codes.LEAVES_RECORD_OUT))
        + "): neither may silence them, or the run would pass while the record vanished",
        "from the Statement of Applicability or the risk register; correct the record, or",
        f"exclude its file. Nor {codes.DUPLICATE_KEY}, a key given twice: the record is kept,",
        "read with the first value, and a later line may say the risk is worse. Nor may a",
        "waiver cover a finding on a waiver (its own placeholder",
        "approver, a record it names that does not exist): a waiver would approve itself.",
        "A change that lowers a rule or turns it off, or adds, extends or widens a waiver,",
        "trips `aimsctl diff --fail-on checks-relaxed` (see [git.md](git.md)), and",
        "`validate` and `status` say under their counts which rules `rules:` turns off or",
        "lowers from an error to a warning, so a clean run under them is not taken for one.",
        "`aimsctl rules explain CODE` prints the same text in the terminal.",
        "",
    ]
    # Our own text, written in Markdown: only the table cells need guarding.
    lines += md_table(
        ("Code", "Name", "Severity", "Summary"),
        (
            (
                Markdown(f"[{r.code}](#{r.code.lower()}-{r.name})"),
                md_code(r.name),
                r.severity,
                Markdown(r.summary),
            )
            for r in rules
        ),
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
