"""`aimsctl diff --format md`: a pull-request comment, shortened to fit GitHub's
size limit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aimsctl.changes import (
    ADDED_EXCLUDED,
    DECIDED_EXCLUDED,
    EXCLUDED,
    REGRESSED,
    UNDECIDED_REGRESSED,
    Changes,
    ControlChange,
    RecordRef,
    RiskChange,
    TierChange,
)
from aimsctl.fielddiff import FieldChange, pair_text, readable, recomposed, value_text
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
from aimsctl.revision import Snapshot
from aimsctl.text import Markdown, md_code, md_href, md_table, md_text, plural
from aimsctl.validation_messages import field_label
from aimsctl.vocabulary import CONTROL_REGRESSED, SOA_EXCLUSION_ADDED

# Table cells given as plain strings are escaped by md_table (record text such as a
# band or a kind shows as text); ids, paths and values go in md_code spans.


# The hidden first line of the Markdown comment, so that CI can find and update it.
MARKER = "<!-- aimsctl-diff -->"


MAX_FIELD_ROWS = 25  # per record in the Markdown comment


# GitHub refuses comments longer than 65,536 characters; stay well below.
MAX_COMMENT = 60_000


def _code_values(before: Any, after: Any, width: int = VALUE_WIDTH) -> list[Markdown]:
    """Both sides of a change as code, where they differ when cut (:func:`pair_text`).
    A code span shows a run of spaces or a line break as one space, so two values that
    differ only there would read the same: the second side says so, as it says a
    change of Unicode composition alone."""
    said = recomposed(before, after)
    if said:
        return [md_code(value_text(before, width)), Markdown(f"({said})")]
    was, now = pair_text(before, after, width)
    shown = [md_code(was), md_code(now)]
    if shown[0] == shown[1] and was != now:
        shown[1] = Markdown(f"{shown[1]} (only the spacing differs)")
    return shown


def _details(title: str, body: list[str]) -> list[str]:
    """A collapsible section; ``title`` is aimsctl's own words, never record text."""
    return ["", f"<details><summary>{title}</summary>", "", *body, "", "</details>"]


def _side(snapshot: Snapshot) -> str:
    if snapshot.sha is None:
        return "the working tree"
    short = md_code(snapshot.sha[:12])
    if snapshot.rev is None or snapshot.sha.startswith(snapshot.rev.lower()):
        return short
    return f"{md_code(snapshot.rev)} ({short})"


def _risk_row(change: RiskChange, lenient: bool) -> list[object]:
    if change.now_above:
        appetite = "⚠️ now above"
    elif lenient:
        appetite = "⚠️ within only by HEAD's aims.yaml"
    elif change.now_within:
        appetite = "✅ now within"
    elif change.raised_above:
        appetite = "⚠️ above, raised further"
    else:
        appetite = "within" if change.after.within_appetite else "above"
    return [
        md_code(change.id),
        change.before.text(),
        change.after.text(),
        appetite,
    ]


def _tier_row(change: TierChange, lenient: bool) -> list[object]:
    return [
        md_code(change.id),
        change.before,
        change.after,
        ("⚠️ " if change.raised or lenient else "") + tier_words(change, lenient),
    ]


def _control_row(change: ControlChange) -> list[object]:
    words = EFFECT_WORDS[change.effect]
    if change.effect in (
        REGRESSED,
        EXCLUDED,
        ADDED_EXCLUDED,
        DECIDED_EXCLUDED,
        UNDECIDED_REGRESSED,
    ):
        words = "⚠️ " + words
    return [
        md_code(change.id),
        change.field,
        *_code_values(change.before, change.after, 40),
        words,
    ]


def _refs_table(refs: Iterable[RecordRef]) -> list[str]:
    return md_table(
        ["kind", "id", "path"], [[r.kind or "", md_code(r.id), md_code(r.path)] for r in refs]
    )


def _field_lines(fields: Iterable[FieldChange]) -> list[FieldChange]:
    """The changes as the lines the text shows (a mapping added whole value by value)."""
    return [line for change in fields for line in readable(change)]


def _field_rows(lines: Iterable[FieldChange]) -> list[list[object]]:
    """The field in words, as validate names it (a text cell: md_table escapes it)."""
    return [[field_label(f.parts), *_code_values(f.before, f.after)] for f in lines]


def _changed_body(changes: Changes, with_fields: bool, rows: int | None) -> list[str]:
    body: list[str] = []
    shown = changes.changed if rows is None else changes.changed[:rows]
    for change in shown:
        if body:
            body.append("")
        note = record_note(change).strip()
        body.append(
            f"**{md_text(change.kind or 'record')}** {md_code(change.id)} · "
            f"{md_code(change.path)}{' ' + md_text(note) if note else ''}"
        )
        if not with_fields or not change.fields:
            continue
        body.append("")
        lines = _field_lines(change.fields)
        body.extend(md_table(["field", "before", "after"], _field_rows(lines[:MAX_FIELD_ROWS])))
        hidden = len(lines) - MAX_FIELD_ROWS
        if hidden > 0:
            body.append("")
            body.append(f"… and {plural(hidden, 'more field')}; run `aimsctl diff` to see all.")
    if len(shown) < len(changes.changed):
        body += ["", f"… and {plural(len(changes.changed) - len(shown), 'more record')}."]
    return body


def _summary(changes: Changes) -> list[str]:
    gates = changes.judged()  # the rows shown: what cannot be judged is counted apart
    risk_note = sum(1 for c in changes.risk_changes if c.now_above)
    raised = sum(1 for c in changes.risk_changes if c.raised_above)
    tier_note = sum(1 for c in changes.tier_changes if c.raised)
    control_note = len(gates[CONTROL_REGRESSED]) + len(gates[SOA_EXCLUSION_ADDED])

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
    if raised:
        rows.append(["Risks above the appetite raised further", f"⚠️ {raised}"])
    relaxed = len(changes.relaxed_risks) + len(changes.relaxed_tiers)
    if relaxed:
        rows.append(["Judged more leniently by HEAD's aims.yaml", f"⚠️ {relaxed}"])
    for group in GROUPS:
        items = group.items(changes)
        if group.summary is not None and items:
            rows.append([group.summary, f"⚠️ {len(items)}"])
    if changes.management_events:
        rows.append(["Management system events", str(len(changes.management_events))])
    if changes.invalid:
        rows.append(["Records invalid at a revision", str(len(changes.invalid))])
    return md_table(["change", "count"], rows)


# Ever shorter comments, tried in turn until one fits: field changes left out, then
# at most this many rows in each section (0: the counts alone).
_SHORTER: tuple[tuple[bool, int | None], ...] = (
    (True, None),
    (False, None),
    (False, 200),
    (False, 50),
    (False, 10),
    (False, 0),
)


def render_markdown(changes: Changes, full_report: str | None = None) -> str:
    """A pull-request comment: marker, verdict, summary table, collapsible details.

    The first line is the hidden marker :data:`MARKER`, so a CI job can find its
    earlier comment and update it instead of adding a new one. A comparison too
    large for one comment (GitHub refuses more than 65,536 characters) is
    shortened, section by section, and says so; ``full_report`` is where the whole
    comparison can be read (a CI run's page, say), linked from that note.
    """
    for with_fields, rows in _SHORTER:
        text = _markdown(changes, with_fields, rows, full_report)
        if len(text) <= MAX_COMMENT:
            break
    return text


def _see_all(full_report: str | None) -> str:
    if full_report:
        return f"[the full comparison]({md_href(full_report)}) has every change"
    return "run `aimsctl diff` locally for the full comparison"


def _markdown(
    changes: Changes, with_fields: bool, rows: int | None, full_report: str | None
) -> str:
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
    lenient, low_tiers = changes.relaxed_risk_ids(), changes.relaxed_tier_ids()
    if not with_fields or rows is not None:
        lines.extend(
            [
                "",
                "> This comment is shortened to stay within GitHub's size limit for a "
                f"comment; {_see_all(full_report)}.",
            ]
        )
    lines.append("")
    lines.extend(_summary(changes))

    def details(title: str, items: Sequence[Any], table: Callable[[], list[str]]) -> None:
        if items:
            lines.extend(_details(f"{title} ({len(items)})", _cut(table(), 2)))

    def _cut(body: list[str], head: int) -> list[str]:
        """The first ``head`` lines and at most ``rows`` more, and how many were left out."""
        if rows is None or len(body) - head <= rows:
            return body
        hidden = len(body) - head - rows
        return [*body[: head + rows], "", f"… and {hidden} more; {_see_all(full_report)}."]

    details(
        "aims.yaml",
        changes.config,
        lambda: md_table(["setting", "before", "after"], _field_rows(_field_lines(changes.config))),
    )
    details(
        "Risk scores",
        changes.risk_changes,
        lambda: md_table(
            ["risk", "before", "after", "appetite"],
            [_risk_row(c, c.id in lenient) for c in changes.risk_changes],
        ),
    )
    details(
        "System tiers",
        changes.tier_changes,
        lambda: md_table(
            ["system", "before", "after", "direction"],
            [_tier_row(c, c.id in low_tiers) for c in changes.tier_changes],
        ),
    )
    judged: list[list[object]] = [
        [md_code(r.id), "⚠️ " + relaxed_risk_words(r)] for r in changes.relaxed_risks
    ]
    judged += [[md_code(t.id), "⚠️ tier " + relaxed_tier_words(t)] for t in changes.relaxed_tiers]
    details(
        "Judged more leniently by HEAD's aims.yaml",
        judged,
        lambda: md_table(["record", "by HEAD's settings, and by BASE's"], judged),
    )
    details(
        "Checks relaxed by aims.yaml or waivers",
        changes.relaxed_checks,
        lambda: md_table(
            ["check", "relaxed, from BASE to HEAD", "path"],
            [[md_code(c.id), "⚠️ " + c.now, md_code(c.path)] for c in changes.relaxed_checks],
        ),
    )
    details(
        "Statement of Applicability",
        changes.control_changes,
        lambda: md_table(
            ["control", "field", "before", "after", "effect"],
            [_control_row(c) for c in changes.control_changes],
        ),
    )
    attention = [
        group.row(item)
        for lead in (True, False)
        for group in GROUPS
        if group.row is not None and group.lead is lead
        for item in group.items(changes)
    ]
    # Not only new records: a system changed without its assessment and an open risk
    # deleted are listed here too, so the heading names no age.
    details(
        "Records that need attention",
        attention,
        lambda: md_table(["record", "why", "path"], attention),
    )
    details(
        "Management system",
        changes.management_events,
        lambda: md_table(
            ["record", "what happened", "path"],
            [
                [
                    md_code(e.id),
                    f"{e.noun} {e.event}" + (f" ({e.detail})" if e.detail else ""),
                    md_code(e.path),
                ]
                for e in changes.management_events
            ],
        ),
    )
    details("Added records", changes.added, lambda: _refs_table(changes.added))
    details("Removed records", changes.removed, lambda: _refs_table(changes.removed))
    if changes.changed:
        body = _changed_body(changes, with_fields, rows)
        if not with_fields:
            body += [
                "",
                "Field changes are left out to keep this comment within GitHub's "
                "size limit; run `aimsctl diff` to see them.",
            ]
        lines.extend(_details(f"Changed records ({len(changes.changed)})", body))
    details(
        "Records invalid at a revision",
        changes.invalid,
        lambda: md_table(
            ["kind", "id", "path", "BASE", "HEAD"],
            [
                [r.kind or "", md_code(r.id), md_code(r.path), r.base, r.head]
                for r in changes.invalid
            ],
        ),
    )
    if changes.notes:
        lines.append("")
        lines.extend(_cut([f"> {md_text(note)}" for note in changes.notes], 0))
    if changes.empty:
        lines.extend(["", "No governance record differs."])
    return "\n".join(lines) + "\n"
