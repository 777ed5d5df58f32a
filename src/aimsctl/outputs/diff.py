"""The formats of `aimsctl diff`: plain text, a pull-request comment in Markdown, JSON.

Each function takes the :class:`~aimsctl.changes.Changes` of one comparison and
returns the whole output as a string; nothing here reads the clock or prints.
The comment is built with the Markdown toolkit of :mod:`aimsctl.text`, so every
value that comes from the records (ids, titles, paths, kinds, bands, field
values) shows as that text: never as markup, raw HTML or an @-mention.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aimsctl.changes import (
    ADDED_EXCLUDED,
    ADDED_UNDECIDED,
    CHANGED,
    DECIDED,
    DECIDED_EXCLUDED,
    EXCLUDED,
    INCLUDED,
    PROGRESSED,
    REGRESSED,
    REMOVED,
    REMOVED_UNDECIDED,
    UNDECIDED,
    UNDECIDED_REGRESSED,
    Changes,
    ControlChange,
    MaterialChange,
    RecordChange,
    RecordRef,
    RelaxedRisk,
    RelaxedThreshold,
    RelaxedTier,
    RemovedEvaluation,
    RemovedMonitor,
    RemovedOpen,
    RemovedRecord,
    RewrittenBreach,
    RewrittenFailure,
    RiskChange,
    TierChange,
    UnassessedSystem,
    WithdrawnPolicy,
)
from aimsctl.changes import (
    NOUNS as _NOUNS,
)
from aimsctl.fielddiff import FieldChange, value_text
from aimsctl.revision import Snapshot
from aimsctl.text import (
    Markdown,
    md_code,
    md_href,
    md_table,
    md_text,
    number_text,
    plural,
    printable,
)
from aimsctl.vocabulary import CONTROL_REGRESSED, SOA_EXCLUSION_ADDED

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
    INCLUDED: "now applicable",
    REMOVED: "removed",
    CHANGED: "changed",
    DECIDED: "decided now: applicable",
    DECIDED_EXCLUDED: "decided now: excluded",
    UNDECIDED: "undecided again (was excluded)",
    UNDECIDED_REGRESSED: "undecided again (was applicable)",
    ADDED_UNDECIDED: "added, undecided",
    REMOVED_UNDECIDED: "removed, undecided",
}


def _value(value: Any) -> str:
    return value_text(value, VALUE_WIDTH)


def verdict(changes: Changes) -> str:
    """The one-line verdict, without decoration."""
    worse = changes.regressions()
    if worse:
        return "governance gets worse: " + ", ".join(worse)
    return "no governance regressions"


def _edited_words(change: MaterialChange) -> str:
    """Why the system's assessments edited in the same change are no reassessment."""
    ids = ", ".join(change.edited)
    if len(change.edited) == 1:
        moved = "neither its assessed.on nor its approval moved later"
    else:
        moved = "for none did assessed.on or the approval move later"
    return f"{ids} edited, but {moved}: an edit is no reassessment"


def _removed_words(record: RemovedOpen) -> str:
    return f"status at BASE: {record.status}" if record.status else "no status at BASE"


_NO_SUCH_METRIC = "no such metric at HEAD (removed, or its name or group changed)"


def _threshold_words(change: RelaxedThreshold) -> str:
    """``metric: ≥ 0.95 -> ≥ 0.9`` (an evaluation's) or ``≥ 0.95 -> ≥ 0.9`` (a monitor's)."""
    if change.metric_gone:
        after = _NO_SUCH_METRIC
    else:
        after = change.after if change.after is not None else "no threshold"
    metric = f"{change.metric}: " if change.metric is not None else ""
    return f"{metric}{change.before} -> {after}"


def _breach_words(breach: RewrittenBreach) -> str:
    more = (
        f" and {plural(breach.observations - 1, 'more observation')}"
        if breach.observations > 1
        else ""
    )
    return (
        f"outside {breach.threshold} at BASE: {number_text(breach.value)} on "
        f"{breach.first.isoformat()}{more}; {breach.now}"
    )


def _removed_monitor_words(monitor: RemovedMonitor) -> str:
    left = "; no monitor watches it at HEAD" if monitor.unmonitored else ""
    return f"watched {monitor.system}, in production at HEAD{left}; {monitor.now}"


def _removed_evaluation_words(evaluation: RemovedEvaluation) -> str:
    result = "passed" if evaluation.passed else "failed"
    last = f"; {evaluation.system} has no evaluation left at HEAD" if evaluation.last else ""
    return f"evaluated {evaluation.system} ({result} at BASE){last}; {evaluation.now}"


def _removed_record_words(record: RemovedRecord) -> str:
    """``internal audit removed (status at BASE: completed)``; a management review has
    no status, and one invalid at BASE may have written none. An AI system is removed
    while it was not retired: ``AI system removed, not retired (stage at BASE: ...)``."""
    if record.kind == "AISystem":
        stage = f" (stage at BASE: {record.status})" if record.status else ""
        return f"AI system removed, not retired{stage}"
    status = f" (status at BASE: {record.status})" if record.status else ""
    return f"{_NOUNS.get(record.kind, record.kind)} removed{status}"


def _withdrawn_words(policy: WithdrawnPolicy) -> str:
    return f"version {policy.version} approved at BASE, {policy.now}; no policy is approved at HEAD"


def _failure_words(failure: RewrittenFailure) -> str:
    return (
        f"{failure.metric}: failed at BASE ({number_text(failure.value)}, threshold "
        f"{failure.threshold}); {failure.now}"
    )


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


def _tier_words(change: TierChange, lenient: bool = False) -> str:
    if change.raised:
        return "raised"
    if change.lowered:
        return "lowered only by HEAD's aims.yaml" if lenient else "lowered"
    return "changed"


def _relaxed_risk_words(risk: RelaxedRisk) -> str:
    judged = (
        f"{risk.by_base.text()}, above it"
        if risk.by_base
        else "cannot score it (the scales changed)"
    )
    hidden = "; it crosses the appetite by BASE's settings" if risk.hidden_raise else ""
    return f"{risk.after.text()}, within the appetite; by BASE's settings {judged}{hidden}"


def _relaxed_tier_words(tier: RelaxedTier) -> str:
    before = tier.before or "new"
    judged = tier.by_base or "cannot give it (the scales or bands changed)"
    raised = ", raised" if tier.hidden_raise else ""
    return f"{before} -> {tier.after}; by BASE's settings {judged}{raised}"


def _record_note(change: RecordChange) -> str:
    notes = []
    if change.previous_path is not None:
        notes.append(f"moved from {change.previous_path}")
    if change.invalid_at:
        notes.append(f"invalid at {' and '.join(change.invalid_at)}: compared as written")
    return f" ({'; '.join(notes)})" if notes else ""


def _standing_words(base: str, head: str) -> str:
    return f"BASE {base}, HEAD {head}"


# --- the groups every format lists ---------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """One group of what needs attention in a comparison, as text and the comment
    both show it: a new group is added here once, not to each format.

    ``title`` heads its section of the text (None: the text shows its items in
    another section); ``summary`` names its row of the comment's summary table (None:
    the summary counts them in another row); ``row`` is an item's row of the
    comment's table of records that need attention (None: the comment gives the
    group a table of its own). ``lead``: listed first in that table."""

    items: Callable[[Changes], Sequence[Any]]
    title: str | None
    summary: str | None
    lines: Callable[[Any], list[str]]
    row: Callable[[Any], list[object]] | None
    lead: bool = False


def _threshold_cell(t: RelaxedThreshold) -> Markdown:
    after = (
        _NO_SUCH_METRIC
        if t.metric_gone
        else md_code(t.after)
        if t.after is not None
        else "no threshold"
    )
    metric = f"{md_text(t.metric)}: " if t.metric is not None else ""
    return Markdown(f"threshold relaxed: {metric}{md_code(t.before)} -> {after}")


def _removed_open_row(kind: str) -> Callable[[RemovedOpen], list[object]]:
    return lambda r: [
        md_code(r.id),
        f"open {kind} removed without being closed ({_removed_words(r)})",
        md_code(r.path),
    ]


def _id_now_path(item: Any) -> list[str]:
    return [f"  {item.id}  {item.now}  {item.path}"]


# In the order of the text's sections and the summary's rows; the table of records
# that need attention lists the ``lead`` groups first.
GROUPS: tuple[_Group, ...] = (
    _Group(
        lambda c: c.new_systems_without_assessment,
        "New systems without an impact assessment",
        "New systems without an impact assessment",
        lambda r: [f"  {r.id}  {r.path}"],
        lambda r: [md_code(r.id), "new system without an impact assessment", md_code(r.path)],
        lead=True,
    ),
    _Group(
        lambda c: c.changed_without_assessment,
        "Systems changed without their impact assessment",
        "Systems changed without their impact assessment",
        lambda c: [
            f"  {c.id}  {c.path}  changed: {', '.join(c.fields)}",
            *([f"    {_edited_words(c)}"] if c.edited else []),
        ],
        lambda c: [
            md_code(c.id),
            f"changed ({', '.join(c.fields)}) without a reassessment of its impact"
            + (f" ({_edited_words(c)})" if c.edited else ""),
            md_code(c.path),
        ],
        lead=True,
    ),
    _Group(
        lambda c: c.unassessed_unlisted(),
        "Systems put to use without a current approved impact assessment",
        "Systems put to use without a current approved impact assessment",
        lambda u: [f"  {u.id}  {u.path}  {_unassessed_words(u)}"],
        lambda u: [md_code(u.id), _unassessed_words(u), md_code(u.path)],
        lead=True,
    ),
    _Group(
        lambda c: c.removed_open_risks,
        "Open risks removed without being closed",
        "Open risks removed without being closed",
        lambda r: [f"  {r.id}  {r.path}  {_removed_words(r)}"],
        _removed_open_row("risk"),
    ),
    _Group(
        lambda c: c.removed_open_nonconformities,
        "Open nonconformities removed without being closed",
        "Open nonconformities removed without being closed",
        lambda r: [f"  {r.id}  {r.path}  {_removed_words(r)}"],
        _removed_open_row("nonconformity"),
    ),
    _Group(
        lambda c: c.removed_open_incidents,
        "Open incidents removed without being closed",
        "Open incidents removed without being closed",
        lambda r: [f"  {r.id}  {r.path}  {_removed_words(r)}"],
        _removed_open_row("incident"),
    ),
    _Group(
        lambda c: c.relaxed_thresholds,
        "Thresholds relaxed",
        "Thresholds relaxed",
        lambda t: [f"  {t.kind} {t.id}  {_threshold_words(t)}  {t.path}"],
        lambda t: [md_code(t.id), _threshold_cell(t), md_code(t.path)],
    ),
    _Group(
        lambda c: c.rewritten_failures,
        "Recorded failures no longer failing",
        "Recorded failures no longer failing",
        lambda f: [f"  {f.evaluation}  {f.system}  {_failure_words(f)}  {f.path}"],
        lambda f: [
            md_code(f.evaluation),
            Markdown(
                f"metric {md_text(f.metric)} of {md_code(f.system)} failed at BASE "
                f"({md_code(number_text(f.value))}, threshold {md_code(f.threshold)}); "
                f"{md_text(f.now)}"
            ),
            md_code(f.path),
        ],
    ),
    _Group(
        lambda c: c.rewritten_breaches,
        "Monitors whose recorded breaches no longer show",
        "Monitors whose recorded breaches no longer show",
        lambda b: [f"  {b.monitor}  {b.system}  {_breach_words(b)}  {b.path}"],
        lambda b: [
            md_code(b.monitor),
            Markdown(f"monitor of {md_code(b.system)}: {md_text(_breach_words(b))}"),
            md_code(b.path),
        ],
    ),
    _Group(
        lambda c: c.removed_monitors,
        "Monitors of systems in production removed",
        "Monitors of systems in production removed",
        lambda m: [f"  {m.monitor}  {_removed_monitor_words(m)}  {m.path}"],
        lambda m: [
            md_code(m.monitor),
            Markdown(
                f"monitor removed: watched {md_code(m.system)}, in production at HEAD"
                + ("; no monitor watches it at HEAD" if m.unmonitored else "")
                + f"; {md_text(m.now)}"
            ),
            md_code(m.path),
        ],
    ),
    _Group(
        lambda c: c.removed_evaluations,
        "Evaluations removed",
        "Evaluations removed",
        lambda e: [f"  {e.evaluation}  {_removed_evaluation_words(e)}  {e.path}"],
        lambda e: [
            md_code(e.evaluation),
            Markdown(
                f"evaluation removed: evaluated {md_code(e.system)} "
                f"({'passed' if e.passed else 'failed'} at BASE)"
                + (f"; {md_code(e.system)} has no evaluation left at HEAD" if e.last else "")
                + f"; {md_text(e.now)}"
            ),
            md_code(e.path),
        ],
    ),
    _Group(
        lambda c: c.removed_management_records,
        "Management system records removed",
        "Management system records removed",
        lambda r: [f"  {r.kind} {r.id}  {r.path}  {_removed_record_words(r)}"],
        lambda r: [md_code(r.id), _removed_record_words(r), md_code(r.path)],
    ),
    _Group(
        lambda c: c.withdrawn_policies,
        "AI policies withdrawn without a successor",
        "AI policies withdrawn without a successor",
        lambda p: [f"  {p.id}  {_withdrawn_words(p)}  {p.path}"],
        lambda p: [md_code(p.id), f"AI policy withdrawn: {_withdrawn_words(p)}", md_code(p.path)],
    ),
    _Group(
        lambda c: c.uncompleted_audits,
        "Internal audits no longer completed",
        "Internal audits no longer completed",
        _id_now_path,
        lambda a: [md_code(a.id), f"internal audit no longer completed ({a.now})", md_code(a.path)],
    ),
    _Group(
        lambda c: c.unapproved_assessments,
        "Impact assessments no longer approved",
        "Impact assessments no longer approved",
        _id_now_path,
        lambda a: [
            md_code(a.id),
            f"impact assessment no longer approved ({a.now})",
            md_code(a.path),
        ],
    ),
    _Group(
        lambda c: c.unverified_closures,
        "Nonconformities closed without their closure standing",
        "Nonconformities closed without their closure standing",
        _id_now_path,
        lambda c: [md_code(c.id), f"nonconformity {c.now}", md_code(c.path)],
    ),
    _Group(
        lambda c: c.relaxed_checks,
        "Checks relaxed by aims.yaml or waivers",
        "Checks relaxed by aims.yaml or waivers",
        _id_now_path,
        None,  # the comment's table of its own, next to the risk settings judged anew
    ),
    _Group(
        lambda c: c.new_risks_above_appetite,
        "New risks above the appetite",
        "New risks above the appetite",
        lambda r: [f"  {r.id}  {r.score} {r.band}"],
        lambda r: [md_code(r.id), f"new risk above the appetite ({r.score} {r.band})", ""],
        lead=True,
    ),
    _Group(
        # The text says so in its line under "Risk scores", the summary next to them.
        lambda c: [r for r in c.risk_changes if r.raised_above],
        None,
        None,
        lambda r: [],
        lambda r: [
            md_code(r.id),
            f"risk above the appetite raised further ({r.before.text()} -> {r.after.text()})",
            "",
        ],
    ),
    _Group(
        lambda c: c.lost_acceptances,
        "Risks above the appetite no longer accepted",
        "Risks above the appetite no longer accepted",
        _id_now_path,
        lambda a: [md_code(a.id), f"risk no longer accepted: {a.now}", md_code(a.path)],
    ),
    _Group(
        lambda c: c.new_failing_metrics,
        "New failing metrics",
        "New failing metrics",
        lambda m: [
            f"  {m.evaluation}  {m.system}  {m.metric}: {number_text(m.value)}, "
            f"threshold {m.threshold}"
        ],
        lambda m: [
            md_code(m.evaluation),
            Markdown(
                f"failing metric {md_text(m.metric)} of {md_code(m.system)}: "
                f"{md_code(number_text(m.value))}, threshold {md_code(m.threshold)}"
            ),
            md_code(m.path),
        ],
    ),
    _Group(
        lambda c: c.new_incidents,
        "New incidents",
        "New incidents",
        lambda i: [
            f"  {i.id}  {', '.join(i.systems)}  severity {i.severity}"
            f"{', serious' if i.serious else ''}, {i.status}  {i.path}"
        ],
        lambda i: [
            md_code(i.id),
            Markdown(
                f"new {'serious ' if i.serious else ''}incident on "
                f"{', '.join(md_code(system) for system in i.systems)}: severity "
                f"{md_text(i.severity)}, {md_text(i.status)}"
            ),
            md_code(i.path),
        ],
    ),
)


# --- text ---------------------------------------------------------------------------


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

    section(
        "aims.yaml",
        changes.config,
        lambda f: [f"  {f.pointer}: {_value(f.before)} -> {_value(f.after)}"],
    )
    section("Added", changes.added, lambda r: [f"  {r.kind} {r.id}  {r.path}"])
    section("Removed", changes.removed, lambda r: [f"  {r.kind} {r.id}  {r.path}"])
    section(
        "Changed",
        changes.changed,
        lambda c: [
            f"  {c.kind} {c.id}  {c.path}{_record_note(c)}",
            *(f"    {f.pointer}: {_value(f.before)} -> {_value(f.after)}" for f in c.fields),
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
        lambda c: [f"  {c.id}  {c.before} -> {c.after}  {_tier_words(c, c.id in low_tiers)}"],
    )
    section(
        "Within the appetite only by HEAD's aims.yaml",
        changes.relaxed_risks,
        lambda r: [f"  {r.id}  {_relaxed_risk_words(r)}"],
    )
    section(
        "System tiers lower only by HEAD's aims.yaml",
        changes.relaxed_tiers,
        lambda t: [f"  {t.id}  {_relaxed_tier_words(t)}"],
    )
    section(
        "Statement of Applicability",
        changes.control_changes,
        lambda c: [
            f"  {c.id}  {c.field}  {_value(c.before)} -> {_value(c.after)}"
            f"  {_EFFECT_WORDS[c.effect]}"
        ],
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
        lambda r: [f"  {r.kind} {r.id}  {r.path}  {_standing_words(r.base, r.head)}"],
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


# --- JSON ---------------------------------------------------------------------------


def render_json(changes: Changes, full_report: str | None = None) -> str:
    """The binding JSON shape, always complete (``full_report`` does not apply)."""
    return json.dumps(changes.as_json(), indent=2, ensure_ascii=False) + "\n"


# --- Markdown -----------------------------------------------------------------------
# Table cells given as plain strings are escaped by md_table (record text such as a
# band or a kind shows as text); ids, paths and values go in md_code spans.


def _code_value(value: Any, width: int = VALUE_WIDTH) -> Markdown:
    return md_code(value_text(value, width))


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
        ("⚠️ " if change.raised or lenient else "") + _tier_words(change, lenient),
    ]


def _control_row(change: ControlChange) -> list[object]:
    words = _EFFECT_WORDS[change.effect]
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
        _code_value(change.before, 40),
        _code_value(change.after, 40),
        words,
    ]


def _refs_table(refs: Iterable[RecordRef]) -> list[str]:
    return md_table(
        ["kind", "id", "path"], [[r.kind or "", md_code(r.id), md_code(r.path)] for r in refs]
    )


def _field_rows(fields: Iterable[FieldChange]) -> list[list[object]]:
    return [[md_code(f.pointer), _code_value(f.before), _code_value(f.after)] for f in fields]


def _changed_body(changes: Changes, with_fields: bool, rows: int | None) -> list[str]:
    body: list[str] = []
    shown = changes.changed if rows is None else changes.changed[:rows]
    for change in shown:
        if body:
            body.append("")
        note = _record_note(change).strip()
        body.append(
            f"**{md_text(change.kind or 'record')}** {md_code(change.id)} · "
            f"{md_code(change.path)}{' ' + md_text(note) if note else ''}"
        )
        if not with_fields or not change.fields:
            continue
        body.append("")
        body.extend(
            md_table(["field", "before", "after"], _field_rows(change.fields[:MAX_FIELD_ROWS]))
        )
        hidden = len(change.fields) - MAX_FIELD_ROWS
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
        lambda: md_table(["setting", "before", "after"], _field_rows(changes.config)),
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
        [md_code(r.id), "⚠️ " + _relaxed_risk_words(r)] for r in changes.relaxed_risks
    ]
    judged += [[md_code(t.id), "⚠️ tier " + _relaxed_tier_words(t)] for t in changes.relaxed_tiers]
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


def _unassessed_words(system: UnassessedSystem) -> str:
    """Why a system put to use trips system-changed-without-assessment, in words."""
    how = "new in" if system.how == "new" else "back from retired to"
    return f"{how} {system.stage}; no current approved impact assessment: {system.missing}"
