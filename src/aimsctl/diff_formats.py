"""The formats of `aimsctl diff`: plain text, a pull-request comment in Markdown, JSON.

Each function takes the :class:`~aimsctl.diffing.Changes` of one comparison and
returns the whole output as a string; nothing here reads the clock or prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aimsctl.diffing import (
    ADDED_EXCLUDED,
    EXCLUDED,
    PROGRESSED,
    REGRESSED,
    Changes,
    ControlChange,
    RecordChange,
    RiskChange,
    Snapshot,
    TierChange,
    jsonable,
)

# The hidden first line of the Markdown comment, so that CI can find and update it.
MARKER = "<!-- aimsctl-diff -->"
VALUE_WIDTH = 80
MAX_FIELD_ROWS = 25  # per record in the Markdown comment
# GitHub refuses comments longer than 65,536 characters; stay well below.
MAX_COMMENT = 60_000

_EFFECT_WORDS = {
    REGRESSED: "regressed",
    PROGRESSED: "progressed",
    EXCLUDED: "now excluded",
    ADDED_EXCLUDED: "added as excluded",
    "included": "now applicable",
    "removed": "removed",
    "changed": "changed",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def value_text(value: Any, width: int = VALUE_WIDTH) -> str:
    """A field value on one line: JSON, cut to ``width`` characters; absent is `(none)`."""
    if value is None:
        return "(none)"
    text = json.dumps(jsonable(value), ensure_ascii=False, sort_keys=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def verdict(changes: Changes) -> str:
    """The one-line verdict, without decoration."""
    worse = changes.regressions()
    if worse:
        return "governance gets worse: " + ", ".join(worse)
    return "no governance regressions"


def _appetite_words(change: RiskChange) -> str:
    if change.now_above:
        return "crosses the appetite: now above"
    if change.now_within:
        return "crosses the appetite: now within"
    return "within the appetite" if change.after.within_appetite else "above the appetite"


def _tier_words(change: TierChange) -> str:
    if change.raised:
        return "raised"
    if change.lowered:
        return "lowered"
    return "changed"


def _record_note(change: RecordChange) -> str:
    notes = []
    if change.previous_path is not None:
        notes.append(f"moved from {change.previous_path}")
    if change.invalid_at:
        notes.append(f"invalid at {' and '.join(change.invalid_at)}: compared as written")
    return f" ({'; '.join(notes)})" if notes else ""


def _standing_words(base: str, head: str) -> str:
    return f"BASE {base}, HEAD {head}"


# --- text ---------------------------------------------------------------------------


def render_text(changes: Changes) -> str:
    """Plain text for a terminal or a log: stable, no colour."""
    lines = [
        f"aimsctl diff: {changes.base.describe()} -> {changes.head.describe()}",
        verdict(changes),
    ]
    better = changes.improvements()
    if better:
        lines.append("better: " + ", ".join(better))

    def section(title: str, items: Sequence[Any], show: Callable[[Any], Iterable[str]]) -> None:
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)})")
            for item in items:
                lines.extend(show(item))

    section(
        "aims.yaml",
        changes.config,
        lambda f: [f"  {f.pointer}: {value_text(f.before)} -> {value_text(f.after)}"],
    )
    section("Added", changes.added, lambda r: [f"  {r.kind} {r.id}  {r.path}"])
    section("Removed", changes.removed, lambda r: [f"  {r.kind} {r.id}  {r.path}"])
    section(
        "Changed",
        changes.changed,
        lambda c: [
            f"  {c.kind} {c.id}  {c.path}{_record_note(c)}",
            *(
                f"    {f.pointer}: {value_text(f.before)} -> {value_text(f.after)}"
                for f in c.fields
            ),
        ],
    )
    section(
        "Risk scores",
        changes.risk_changes,
        lambda c: [
            f"  {c.id}  {c.before.score} {c.before.band} -> {c.after.score} {c.after.band}"
            f"  {_appetite_words(c)}"
        ],
    )
    section(
        "System tiers",
        changes.tier_changes,
        lambda c: [f"  {c.id}  {c.before} -> {c.after}  {_tier_words(c)}"],
    )
    section(
        "Statement of Applicability",
        changes.control_changes,
        lambda c: [
            f"  {c.id}  {c.field}  {value_text(c.before)} -> {value_text(c.after)}"
            f"  {_EFFECT_WORDS[c.effect]}"
        ],
    )
    section(
        "New systems without an impact assessment",
        changes.new_systems_without_assessment,
        lambda r: [f"  {r.id}  {r.path}"],
    )
    section(
        "New risks above the appetite",
        changes.new_risks_above_appetite,
        lambda r: [f"  {r.id}  {r.score} {r.band}"],
    )
    section(
        "Invalid records",
        changes.invalid,
        lambda r: [f"  {r.kind} {r.id}  {r.path}  {_standing_words(r.base, r.head)}"],
    )
    if changes.notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(f"  {note}" for note in changes.notes)
    if changes.empty:
        lines.append("")
        lines.append("No governance record differs.")
    return "\n".join(lines) + "\n"


# --- JSON ---------------------------------------------------------------------------


def render_json(changes: Changes) -> str:
    return json.dumps(changes.as_json(), indent=2, ensure_ascii=False) + "\n"


# --- Markdown -----------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code that survives a table cell (pipes escaped, backticks fenced)."""
    text = " ".join(text.split()).replace("|", "\\|")
    if "`" in text:
        return f"`` {text} ``"
    return f"`{text}`"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _details(title: str, body: list[str]) -> list[str]:
    return ["", f"<details><summary>{title}</summary>", "", *body, "", "</details>"]


def _side(snapshot: Snapshot) -> str:
    if snapshot.sha is None:
        return "the working tree"
    short = _code(snapshot.sha[:12])
    if snapshot.rev is None or snapshot.sha.startswith(snapshot.rev.lower()):
        return short
    return f"{_code(snapshot.rev)} ({short})"


def _risk_row(change: RiskChange) -> list[str]:
    if change.now_above:
        appetite = "⚠️ now above"
    elif change.now_within:
        appetite = "✅ now within"
    else:
        appetite = "within" if change.after.within_appetite else "above"
    return [
        _code(change.id),
        f"{change.before.score} {_cell(change.before.band)}",
        f"{change.after.score} {_cell(change.after.band)}",
        appetite,
    ]


def _control_row(change: ControlChange) -> list[str]:
    words = _EFFECT_WORDS[change.effect]
    if change.effect in (REGRESSED, EXCLUDED, ADDED_EXCLUDED):
        words = "⚠️ " + words
    return [
        _code(change.id),
        change.field,
        _code(value_text(change.before, 40)),
        _code(value_text(change.after, 40)),
        words,
    ]


def _changed_body(changes: Changes, with_fields: bool) -> list[str]:
    body: list[str] = []
    for change in changes.changed:
        if body:
            body.append("")
        note = _record_note(change).strip()
        body.append(
            f"**{_cell(change.kind or 'record')}** {_code(change.id)} · "
            f"{_code(change.path)}{' ' + _cell(note) if note else ''}"
        )
        if not with_fields or not change.fields:
            continue
        body.append("")
        rows = [
            [_code(f.pointer), _code(value_text(f.before)), _code(value_text(f.after))]
            for f in change.fields[:MAX_FIELD_ROWS]
        ]
        body.extend(_table(["field", "before", "after"], rows))
        hidden = len(change.fields) - MAX_FIELD_ROWS
        if hidden > 0:
            body.append("")
            body.append(f"… and {_plural(hidden, 'more field')}; run `aimsctl diff` to see all.")
    return body


def _summary(changes: Changes) -> list[str]:
    gates = changes.gates()
    risk_note = sum(1 for c in changes.risk_changes if c.now_above)
    tier_note = sum(1 for c in changes.tier_changes if c.raised)
    control_note = len(gates["control-regressed"]) + len(gates["soa-exclusion-added"])

    def count(total: int, worse: int, words: str) -> str:
        return f"{total} (⚠️ {worse} {words})" if worse else str(total)

    rows = [["aims.yaml settings changed", str(len(changes.config))]] if changes.config else []
    rows += [
        ["Records added", str(len(changes.added))],
        ["Records removed", str(len(changes.removed))],
        ["Records changed", str(len(changes.changed))],
        ["Risk scores changed", count(len(changes.risk_changes), risk_note, "now above appetite")],
        ["System tiers changed", count(len(changes.tier_changes), tier_note, "raised")],
        [
            "SoA rows changed",
            count(len(changes.control_changes), control_note, "regressed or excluded"),
        ],
    ]
    if changes.new_systems_without_assessment:
        rows.append(
            [
                "New systems without impact assessment",
                f"⚠️ {len(changes.new_systems_without_assessment)}",
            ]
        )
    if changes.new_risks_above_appetite:
        rows.append(["New risks above appetite", f"⚠️ {len(changes.new_risks_above_appetite)}"])
    if changes.invalid:
        rows.append(["Records invalid at a revision", str(len(changes.invalid))])
    return _table(["change", "count"], rows)


def render_markdown(changes: Changes) -> str:
    """A pull-request comment: marker, verdict, summary table, collapsible details.

    The first line is the hidden marker :data:`MARKER`, so a CI job can find its
    earlier comment and update it instead of adding a new one.
    """
    text = _markdown(changes, with_fields=True)
    if len(text) > MAX_COMMENT:
        text = _markdown(changes, with_fields=False)
    return text


def _markdown(changes: Changes, with_fields: bool) -> str:
    worse = changes.regressions()
    icon = "⚠️" if worse else "✅"
    lines = [
        MARKER,
        f"### {icon} {verdict(changes)}",
        "",
        f"Compared {_side(changes.base)} with {_side(changes.head)}.",
    ]
    better = changes.improvements()
    if better:
        lines.extend(["", "Better: " + ", ".join(better) + "."])
    lines.append("")
    lines.extend(_summary(changes))
    if changes.config:
        lines.extend(
            _details(
                f"aims.yaml ({len(changes.config)})",
                _table(
                    ["setting", "before", "after"],
                    [
                        [_code(f.pointer), _code(value_text(f.before)), _code(value_text(f.after))]
                        for f in changes.config
                    ],
                ),
            )
        )
    if changes.risk_changes:
        lines.extend(
            _details(
                f"Risk scores ({len(changes.risk_changes)})",
                _table(
                    ["risk", "before", "after", "appetite"],
                    [_risk_row(c) for c in changes.risk_changes],
                ),
            )
        )
    if changes.tier_changes:
        lines.extend(
            _details(
                f"System tiers ({len(changes.tier_changes)})",
                _table(
                    ["system", "before", "after", "direction"],
                    [
                        [
                            _code(c.id),
                            _cell(c.before),
                            _cell(c.after),
                            ("⚠️ " if c.raised else "") + _tier_words(c),
                        ]
                        for c in changes.tier_changes
                    ],
                ),
            )
        )
    if changes.control_changes:
        lines.extend(
            _details(
                f"Statement of Applicability ({len(changes.control_changes)})",
                _table(
                    ["control", "field", "before", "after", "effect"],
                    [_control_row(c) for c in changes.control_changes],
                ),
            )
        )
    if changes.new_systems_without_assessment or changes.new_risks_above_appetite:
        rows = [
            [_code(r.id), "new system without an impact assessment", _code(r.path)]
            for r in changes.new_systems_without_assessment
        ]
        rows += [
            [_code(r.id), f"new risk above the appetite ({r.score} {_cell(r.band)})", ""]
            for r in changes.new_risks_above_appetite
        ]
        lines.extend(
            _details(
                f"New records that need attention ({len(rows)})",
                _table(["record", "why", "path"], rows),
            )
        )
    if changes.added:
        lines.extend(
            _details(
                f"Added records ({len(changes.added)})",
                _table(
                    ["kind", "id", "path"],
                    [[_cell(r.kind or ""), _code(r.id), _code(r.path)] for r in changes.added],
                ),
            )
        )
    if changes.removed:
        lines.extend(
            _details(
                f"Removed records ({len(changes.removed)})",
                _table(
                    ["kind", "id", "path"],
                    [[_cell(r.kind or ""), _code(r.id), _code(r.path)] for r in changes.removed],
                ),
            )
        )
    if changes.changed:
        body = _changed_body(changes, with_fields)
        if not with_fields:
            body += [
                "",
                "Field changes are left out to keep this comment within GitHub's "
                "size limit; run `aimsctl diff` to see them.",
            ]
        lines.extend(_details(f"Changed records ({len(changes.changed)})", body))
    if changes.invalid:
        lines.extend(
            _details(
                f"Records invalid at a revision ({len(changes.invalid)})",
                _table(
                    ["kind", "id", "path", "BASE", "HEAD"],
                    [
                        [_cell(r.kind or ""), _code(r.id), _code(r.path), r.base, r.head]
                        for r in changes.invalid
                    ],
                ),
            )
        )
    if changes.notes:
        lines.append("")
        lines.extend(f"> {_cell(note)}" for note in changes.notes)
    if changes.empty:
        lines.extend(["", "No governance record differs."])
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Changes], str]] = {
    "text": render_text,
    "md": render_markdown,
    "json": render_json,
}
