"""The groups every format lists: what needs attention in a comparison, each group
with its title, its summary row, its lines of text and its row in the comment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aimsctl.changes import (
    NOUNS as _NOUNS,
)
from aimsctl.changes import (
    Changes,
    DowngradedIncident,
    MaterialChange,
    RelaxedThreshold,
    RemovedEvaluation,
    RemovedMonitor,
    RemovedOpen,
    RemovedRecord,
    RewrittenBreach,
    RewrittenFailure,
    RewrittenSignOff,
    UnassessedSystem,
    WithdrawnPolicy,
)
from aimsctl.text import Markdown, md_code, md_text, number_text, plural


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


def _scale_words(incident: DowngradedIncident) -> str:
    """Why an incident whose severity is named otherwise is listed where aims.yaml's
    severity levels changed: BASE's and HEAD's numbers are no measure of each other."""
    if not incident.scale_changed:
        return ""
    return (
        "; by BASE's settings its severity cannot be compared (aims.yaml changes the "
        "severity levels)"
    )


_NO_SUCH_METRIC = "no such metric at HEAD (removed, or its name or group changed)"


def _threshold_words(change: RelaxedThreshold) -> str:
    """``metric: ≥ 0.95 -> ≥ 0.9`` (an evaluation's) or ``≥ 0.95 -> ≥ 0.9`` (a monitor's)."""
    if change.metric_gone:
        after = _NO_SUCH_METRIC
    else:
        after = change.after if change.after is not None else "no threshold"
    metric = f"{change.metric}: " if change.metric is not None else ""
    was = f" (in {change.loosens})" if change.loosens is not None else ""
    return f"{metric}{change.before}{was} -> {after}"


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


def _sign_off_words(record: RewrittenSignOff) -> str:
    """``impact assessment approved by ... on ... at both revisions; changed: impacts``."""
    noun = _NOUNS.get(record.kind, record.kind)
    return f"{noun} {record.signed_off} at both revisions; changed: {', '.join(record.fields)}"


def _unassessed_words(system: UnassessedSystem) -> str:
    """Why a system put to use trips system-changed-without-assessment, in words."""
    how = "new in" if system.how == "new" else "back from retired to"
    return f"{how} {system.stage}; no current approved impact assessment: {system.missing}"


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
    was = f" (in {md_code(t.loosens)})" if t.loosens is not None else ""
    return Markdown(f"threshold relaxed: {metric}{md_code(t.before)}{was} -> {after}")


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
        lambda c: c.downgraded_incidents,
        "Incidents recorded as less grave",
        "Incidents recorded as less grave",
        lambda i: [f"  {i.id}  {i.before} -> {i.after}{_scale_words(i)}  {i.path}"],
        lambda i: [
            md_code(i.id),
            Markdown(
                f"recorded as less grave: {md_text(i.before)} -> {md_text(i.after)}"
                f"{md_text(_scale_words(i))}"
            ),
            md_code(i.path),
        ],
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
        lambda c: c.rewritten_sign_offs,
        "Signed-off records changed without a new sign-off",
        "Signed-off records changed without a new sign-off",
        lambda r: [
            f"  {r.id}  {_sign_off_words(r)}  {r.path}",
            f"    fix: {r.fix}",
        ],
        lambda r: [
            md_code(r.id),
            f"{_sign_off_words(r)}; fix: {r.fix}",
            md_code(r.path),
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
        lambda r: [
            md_code(r.id),
            f"new risk above the appetite ({r.score} {r.band})",
            md_code(r.path),
        ],
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
