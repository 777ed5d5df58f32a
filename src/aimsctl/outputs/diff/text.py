"""`aimsctl diff` as plain text, for a terminal or a log."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aimsctl.changes import Changes, RiskChange
from aimsctl.fielddiff import FieldChange, pair_line, readable
from aimsctl.outputs.diff.groups import GROUPS
from aimsctl.outputs.diff.words import (
    EFFECT_WORDS,
    VALUE_WIDTH,
    record_note,
    relaxed_risk_words,
    relaxed_tier_words,
    tier_words,
    verdict,
)
from aimsctl.text import printable
from aimsctl.validation_messages import field_label


def _pair(before: Any, after: Any) -> str:
    return pair_line(before, after, VALUE_WIDTH)


def _field_lines(change: FieldChange) -> list[str]:
    """``inherent.likelihood: 2 -> 4``: the field named as validate names it, a
    mapping or list items added or removed value by value (the JSON keeps the pointer
    and the whole value)."""
    return [
        f"{field_label(line.parts)}: {_pair(line.before, line.after)}" for line in readable(change)
    ]


def _appetite_words(change: RiskChange, lenient: bool) -> str:
    if change.now_above:
        return "crosses the appetite: now above"
    if lenient:  # within only because HEAD's aims.yaml is more lenient: no improvement
        return "within the appetite only by HEAD's aims.yaml"
    if change.now_within:
        return "crosses the appetite: now within"
    if change.raised_above:
        return "above the appetite, and raised further"
    return "within the appetite" if change.after.within_appetite else "above the appetite"


def _standing_words(base: str, head: str) -> str:
    return f"BASE {base}, HEAD {head}"


def render_text(changes: Changes, full_report: str | None = None) -> str:
    """Plain text for a terminal or a log: stable, no colour. Always complete, so
    ``full_report`` (for a shortened comment) does not apply."""
    lines = [
        f"aimsctl diff: {changes.base.describe()} -> {changes.head.describe()}",
        verdict(changes),
    ]
    better = changes.improvements()
    if better:
        lines.append("better: " + ", ".join(better))
    lenient, low_tiers = changes.relaxed_risk_ids(), changes.relaxed_tier_ids()

    def section(title: str, items: Sequence[Any], show: Callable[[Any], Iterable[str]]) -> None:
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)})")
            for item in items:
                lines.extend(show(item))

    # Counted as shown: a setting added whole is a line per value.
    section(
        "aims.yaml",
        [line for change in changes.config for line in _field_lines(change)],
        lambda line: [f"  {line}"],
    )
    section("Added", changes.added, lambda r: [f"  {r.kind} {r.id}  {r.path}"])
    section("Removed", changes.removed, lambda r: [f"  {r.kind} {r.id}  {r.path}"])
    section(
        "Changed",
        changes.changed,
        lambda c: [
            f"  {c.kind} {c.id}  {c.path}{record_note(c)}",
            *(f"    {line}" for f in c.fields for line in _field_lines(f)),
        ],
    )
    section(
        "Risk scores",
        changes.risk_changes,
        lambda c: [
            f"  {c.id}  {c.before.text()} -> {c.after.text()}  "
            f"{_appetite_words(c, c.id in lenient)}"
        ],
    )
    section(
        "System tiers",
        changes.tier_changes,
        lambda c: [f"  {c.id}  {c.before} -> {c.after}  {tier_words(c, c.id in low_tiers)}"],
    )
    section(
        "Within the appetite only by HEAD's aims.yaml",
        changes.relaxed_risks,
        lambda r: [f"  {r.id}  {relaxed_risk_words(r)}"],
    )
    section(
        "System tiers lower only by HEAD's aims.yaml",
        changes.relaxed_tiers,
        lambda t: [f"  {t.id}  {relaxed_tier_words(t)}"],
    )
    section(
        "Statement of Applicability",
        changes.control_changes,
        lambda c: [f"  {c.id}  {c.field}  {_pair(c.before, c.after)}  {EFFECT_WORDS[c.effect]}"],
    )
    for group in GROUPS:
        if group.title is not None:
            section(group.title, group.items(changes), group.lines)
    section(
        "Management system",
        changes.management_events,
        lambda e: [f"  {e.text()}  {e.path}"],
    )
    section(
        "Records invalid at a revision",
        changes.invalid,
        lambda r: [f"  {r.kind or 'Record'} {r.id}  {r.path}  {_standing_words(r.base, r.head)}"],
    )
    if changes.notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(f"  {note}" for note in changes.notes)
    if changes.empty:
        lines.append("")
        lines.append("No governance record differs.")
    # Record text and paths are untrusted: shown, never obeyed by the terminal.
    return "".join(printable(line) + "\n" for line in lines)
