"""Testing and monitoring (ISO/IEC 42001 9.1, A.6.2.4, A.6.2.6, A.8.4): evaluations due,
every evaluation with its verdict, monitors and their freshness, breaches and what
followed them, and incidents with their reporting deadlines.

The contexts of one evaluation, one monitor (with the geometry of its sparkline)
and one incident are built here and shared with the system documentation. The
verdicts are the validation rules' own (:mod:`aimsctl.rules.measurements`), so a
report never disagrees with `aimsctl validate`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aimsctl.monitor_check import LATE, RESTING, STALE, UNREADABLE, monitor_status
from aimsctl.records import AISystem, Evaluation, Incident, Monitor
from aimsctl.records.evaluation import Metric, Threshold
from aimsctl.reports.common import (
    Context,
    Shared,
    band_css,
    record_title,
    reference,
    system_title,
)
from aimsctl.rules.measurements import (
    Point,
    Series,
    art73_deadline,
    evaluation_due,
    evaluations_by_system,
    latest_measurements,
    metrics_by_key,
    monitoring_asked,
    open_trackers,
    read_series,
    trend,
)
from aimsctl.text import html_id, natural_key, number_text

if TYPE_CHECKING:
    from datetime import date

    from aimsctl.repository import Repository

# The sparkline of a monitor: its size and the most observations it draws.
SPARK_WIDTH = 300
SPARK_HEIGHT = 56
SPARK_PAD = 6
SPARK_LABELS = 56  # room on the right for the threshold's values
SPARK_POINTS = 120
# Observations listed in the Markdown table of a monitor, the latest ones.
RECENT = 5

_VERDICT = {True: "pass", False: "fail", None: "informational"}


def verdict(passed: bool | None) -> str:
    """A metric's or an evaluation's result in a word: pass, fail or informational."""
    return _VERDICT[passed]


# --- evaluations --------------------------------------------------------------------


def _metric(repo: Repository, system_id: str, metric: Metric, before: Metric | None) -> Context:
    return {
        "name": metric.name,
        "label": metric.label,
        "group": metric.group or "",
        "dimension": metric.dimension,
        "value": number_text(metric.value),
        "threshold": metric.threshold.text() if metric.threshold is not None else "",
        "verdict": verdict(metric.passed),
        "previous": number_text(before.value) if before is not None else "",
        "trend": trend(metric, before),
        "note": metric.note or "",
        "tracked_by": [
            {"id": record_id, "title": record_title(repo, record_id)}
            for record_id in dict.fromkeys(metric.tracked_by)
        ],
        "tracked": bool(open_trackers(repo, system_id, metric)),
    }


def standing_failures(by_system: dict[str, list[Evaluation]]) -> set[str]:
    """The ids of the evaluations holding a failing metric no later evaluation of their
    system measured again (each metric's latest measurement, AIMS702's reading):
    ``by_system`` as ``evaluations_by_system`` gives it. Worked out once per report."""
    return {
        e.id
        for done in by_system.values()
        for e, i in latest_measurements(done)
        if e.metrics[i].passed is False
    }


def earlier_failures(done: list[Evaluation]) -> list[Context]:
    """The failing metrics of a system's earlier evaluations that no later one measured
    again (AIMS702's reading): the system still fails them, whatever its latest
    evaluation says. ``done`` as ``evaluations_by_system`` gives it, oldest first."""
    return [
        {"label": e.metrics[i].label, "id": e.id, "on": e.performed.on.isoformat()}
        for e, i in latest_measurements(done)
        if e is not done[-1] and e.metrics[i].passed is False
    ]


def superseding(
    repo: Repository, evaluation: Evaluation, done: list[Evaluation], standing: set[str]
) -> Context | None:
    """The evaluation that now speaks for ``evaluation``'s system, where a later one
    does: ``done`` is the system's evaluations performed by the as-of date, oldest first
    (``evaluations_by_system``), and its last is the one AIMS701 judges the system by.
    So an earlier evaluation, a failure too, is superseded by it; the latest is not, nor
    is one performed after the as-of date, which is not done yet, nor one holding a
    failing metric no later evaluation measured again (its id in ``standing``, from
    :func:`standing_failures`): that failure stands (AIMS702)."""
    if not done or done[-1] is evaluation or evaluation.performed.on > repo.as_of:
        return None
    if evaluation.id in standing:
        return None
    return {"id": done[-1].id, "on": done[-1].performed.on.isoformat()}


def evaluation_context(
    repo: Repository,
    evaluation: Evaluation,
    previous: Evaluation | None,
    latest: bool,
    superseded_by: Context | None = None,
    base: str | None = None,
) -> Context:
    """An evaluation with each metric's verdict and its trend against ``previous``. The
    ``latest`` evaluation of a system says when it tested another version than the one
    the system documents; an earlier one names the latest, ``superseded_by`` (from
    :func:`superseding`), whose verdict now speaks for the system. Its results file is
    linked from the report folder, ``base``, as every report links a repository path."""
    system = repo.entries.get(evaluation.system)
    version = system.record.version if system and isinstance(system.record, AISystem) else None
    earlier = metrics_by_key(previous)
    return {
        "id": evaluation.id,
        "anchor": html_id("e", evaluation.id),
        "title": evaluation.title,
        "system": {"id": evaluation.system, "title": system_title(repo, evaluation.system)},
        "stage": evaluation.stage,
        "on": evaluation.performed.on.isoformat(),
        # Performed after the as-of date (AIMS508): not done yet, so counted nowhere.
        "ahead": evaluation.performed.on > repo.as_of,
        "by": evaluation.performed.by,
        "model_version": evaluation.model_version or "",
        # The latest evaluation tested another version than the one documented.
        "system_version": version or "",
        "version_differs": bool(
            latest
            and evaluation.model_version
            and version
            and evaluation.model_version.strip() != version.strip()  # as AIMS709 compares
        ),
        "data": evaluation.data or "",
        "results": evaluation.results or "",
        "results_ref": reference(repo, evaluation.results, base) if evaluation.results else None,
        "approval": None
        if evaluation.approval is None
        else {"by": evaluation.approval.by, "on": evaluation.approval.on.isoformat()},
        "verdict": verdict(evaluation.passed),
        "failing": [metric.label for _, metric in evaluation.failing()],
        "previous": None
        if previous is None
        else {"id": previous.id, "on": previous.performed.on.isoformat()},
        "superseded_by": superseded_by,
        "metrics": [
            _metric(repo, evaluation.system, metric, earlier.get(metric.key))
            for metric in evaluation.metrics
        ],
    }


def _evaluation_due(repo: Repository, system: AISystem, done: list[Evaluation]) -> Context | None:
    owed = evaluation_due(repo, system, done)
    if owed is None:
        return None
    tier, days, last, due = repo.tiers[system.id], owed.days, owed.last_passed, owed.due
    latest = done[-1] if done else None
    return {
        "system": {"id": system.id, "title": system.title},
        "tier": tier,
        "tier_css": band_css(repo, tier),
        "stage": system.stage,
        "days": days,
        "last_passed": None
        if last is None
        else {"id": last.id, "on": last.performed.on.isoformat()},
        "latest": None
        if latest is None
        else {
            "id": latest.id,
            "on": latest.performed.on.isoformat(),
            "verdict": verdict(latest.passed),
        },
        "due": due.isoformat() if due is not None else "",
        "overdue": owed.overdue(repo.as_of),
    }


# --- monitors -----------------------------------------------------------------------


_HUGE = 2.0**1000
_HUGE_SCALE = 2.0**-64


def _scale(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def sparkline(points: Sequence[Point], threshold: Threshold) -> Context | None:
    """The geometry of a sparkline (numbers only; no record text): the observations
    as a line, breaches as dots, the threshold as lines and the acceptable band."""
    shown = list(points[-SPARK_POINTS:])
    if not shown:
        return None
    limits = [value for value in (threshold.min, threshold.max) if value is not None]
    values = [p.value for p in shown] + limits
    # Near the largest float the arithmetic below overflows (1e308 less -1e308 is inf,
    # and every coordinate NaN): scaled by a power of two, which is exact, the
    # values draw the same line.
    factor = _HUGE_SCALE if max(abs(v) for v in values) > _HUGE else 1.0
    low, high = _scale([v * factor for v in values])
    inner_w = SPARK_WIDTH - 2 * SPARK_PAD - SPARK_LABELS
    inner_h = SPARK_HEIGHT - 2 * SPARK_PAD
    first, last = shown[0].on, shown[-1].on
    span = (last - first).days

    def x(point: Point) -> float:
        if span == 0:
            return SPARK_PAD + inner_w / 2
        return SPARK_PAD + inner_w * (point.on - first).days / span

    def y(value: float) -> float:
        return SPARK_PAD + inner_h * (high - value * factor) / (high - low)

    top = y(threshold.max) if threshold.max is not None else SPARK_PAD
    bottom = y(threshold.min) if threshold.min is not None else SPARK_PAD + inner_h
    return {
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "points": " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in shown),
        "dots": [
            {"x": f"{x(p):.1f}", "y": f"{y(p.value):.1f}", "breach": not threshold.admits(p.value)}
            for p in shown
        ],
        "band": {
            "x": SPARK_PAD,
            "y": f"{top:.1f}",
            "width": inner_w,
            "height": f"{max(bottom - top, 0.0):.1f}",
        },
        "lines": [
            {
                "y": f"{y(limit):.1f}",
                "x1": SPARK_PAD,
                "x2": SPARK_PAD + inner_w,
                "label_x": SPARK_PAD + inner_w + 4,
                "label_y": f"{y(limit) + 4:.1f}",
                "label": f"{name} {number_text(limit)}",
            }
            for name, limit in (("min", threshold.min), ("max", threshold.max))
            if limit is not None
        ],
        "shown": len(shown),
        "first": first.isoformat(),
        "last": last.isoformat(),
    }


def _observation(series: Series, point: Point, threshold: Threshold) -> Context:
    return {
        "on": point.on.isoformat(),
        "value": number_text(point.value),
        "within": threshold.admits(point.value),
        "note": point.note or "",
        "where": series.where(point),
    }


def monitor_context(repo: Repository, monitor: Monitor, base: str | None) -> Context:
    """A monitor as `aimsctl monitor check` sees it (latest observation, freshness,
    breaches with what followed), with its recent observations and its sparkline; its
    observations file linked from the report folder, ``base``."""
    series = read_series(repo, monitor)
    points = series.until(repo.as_of)
    status = monitor_status(repo, monitor, series)
    latest = status.latest
    return {
        "id": monitor.id,
        "anchor": html_id("m", monitor.id),
        "title": monitor.title,
        "system": {"id": monitor.system, "title": system_title(repo, monitor.system)},
        "owner": monitor.owner,
        "metric": monitor.metric,
        "dimension": monitor.dimension,
        "threshold": status.threshold,
        "every_days": monitor.every_days,
        "source": monitor.source or "",
        "file": series.path or "",
        "file_ref": reference(repo, series.path, base) if series.path else None,
        "unreadable": series.unusable or "",
        # What `monitor check` says cannot be read: the file, rows of it, or
        # observations dated after the as-of date.
        "problems": list(status.problems),
        "on_breach": monitor.on_breach or "",
        "count": status.observations,
        "latest": None
        if latest is None
        else {
            "on": latest.on.isoformat(),
            "value": number_text(latest.value),
            "within": bool(status.latest_within),
            "note": latest.note or "",
            "where": latest.where,
        },
        "next_due": status.next_due.isoformat() if status.next_due else "",
        "stale": status.state == STALE,
        "late": status.state == LATE,
        "resting": status.state == RESTING,
        # Some observations cannot be used (a row not read, or dated after the as-of
        # date: AIMS708, AIMS508): one may be the latest, or a breach, so the
        # monitor is not called current (monitor check's state).
        "partly_unreadable": status.state == UNREADABLE and not series.unusable,
        "recent": [_observation(series, p, monitor.threshold) for p in points[-RECENT:]],
        "breaches": [
            {
                "from": b.first.on.isoformat(),
                "to": b.last.on.isoformat(),
                "observations": b.observations,
                "value": number_text(b.first.value),
                "where": b.first.where,
                "follow_up": b.follow_up or "",
                # Nothing followed, but a record that could not be judged may have.
                "unjudged": b.unjudged or "",
            }
            for b in status.breaches
        ],
        "spark": sparkline(points, monitor.threshold),
    }


# --- incidents ----------------------------------------------------------------------


def incident_context(repo: Repository, incident: Incident) -> Context:
    """An incident with its severity label and, where Art. 73 applies, its deadline."""
    # As `due` lists it: a system that fails validation may be high-risk, so its
    # deadline is shown, saying it could not be judged, never "not applicable".
    deadline = art73_deadline(repo, incident, with_invalid=True)
    severity = int(incident.severity)
    if deadline is None:
        reporting: Context | None = None
    else:
        if deadline.met:
            state = "reported in time"
        elif deadline.late(repo.as_of):
            state = "late" if deadline.report_on is not None else "overdue"
        else:
            state = "due"
        reporting = {
            "days": deadline.days,
            "due": deadline.due.isoformat(),
            "reported_on": deadline.report_on.isoformat() if deadline.report_on else "",
            "state": state,
            "systems": list(deadline.systems),
            "unjudged": deadline.unjudged_note,
        }
    return {
        "id": incident.id,
        "anchor": html_id("i", incident.id),
        "title": incident.title,
        "description": incident.description,
        "owner": incident.owner or "",
        "systems": [
            {"id": system_id, "title": system_title(repo, system_id)}
            for system_id in dict.fromkeys(incident.systems)
        ],
        "occurred": incident.occurred.isoformat(),
        "detected": incident.detected.isoformat(),
        # Detected after the as-of date (AIMS508): not known yet, so not counted open.
        "ahead": incident.detected > repo.as_of,
        "severity": repo.scorer.severity.label(severity),
        "severity_level": severity,
        "serious": incident.serious,
        "serious_kind": incident.serious_kind or "",
        "status": incident.status,
        "affected": list(incident.affected),
        "reports": [
            {
                "to": report.to,
                "on": report.on.isoformat(),
                "reference": report.reference or "",
                "authority": report.to_authority,
            }
            for report in sorted(incident.reports, key=lambda r: r.on)
        ],
        "risks": [
            {"id": risk_id, "title": record_title(repo, risk_id)}
            for risk_id in dict.fromkeys(incident.risks)
        ],
        "nonconformity": None
        if incident.nonconformity is None
        else {
            "id": incident.nonconformity,
            "title": record_title(repo, incident.nonconformity),
        },
        "reporting": reporting,
    }


# --- the report ---------------------------------------------------------------------


def _evaluation_order(evaluation: Evaluation) -> tuple[date, tuple[tuple[int, int | str], ...]]:
    """Where an evaluation stands among its system's: by date performed, then id, numbers
    by value (as ``evaluations_by_system`` orders them, and the rules read them)."""
    return evaluation.performed.on, natural_key(evaluation.id)


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    by_system = evaluations_by_system(repo)
    standing = standing_failures(by_system)
    due = [
        row
        for system in repo.of_kind(AISystem)
        if (row := _evaluation_due(repo, system, by_system.get(system.id, []))) is not None
    ]
    # Each system's evaluations done by the as-of date are in _evaluation_order:
    # the one before an evaluation is found by bisection, not by a scan of them all
    # (a scan per evaluation took a time quadratic in one system's evaluations).
    done_keys = {
        system_id: [_evaluation_order(e) for e in done] for system_id, done in by_system.items()
    }
    evaluations: list[Context] = []
    for evaluation in sorted(
        repo.of_kind(Evaluation), key=lambda e: (e.system, *_evaluation_order(e))
    ):
        done = by_system.get(evaluation.system, [])
        place = bisect_left(done_keys.get(evaluation.system, []), _evaluation_order(evaluation))
        latest = bool(done) and done[-1] is evaluation
        evaluations.append(
            evaluation_context(
                repo,
                evaluation,
                done[place - 1] if place else None,
                latest,
                superseded_by=superseding(repo, evaluation, done, standing),
                base=base,
            )
        )
    monitors = [
        monitor_context(repo, monitor, base)
        for monitor in sorted(repo.of_kind(Monitor), key=lambda m: (m.system, m.id))
    ]
    # The systems AIMS703 judges: a tier that asks for monitoring, in production.
    asked = [
        {
            "system": {"id": system.id, "title": system.title},
            "tier": repo.tiers[system.id],
            "tier_css": band_css(repo, repo.tiers[system.id]),
            "stage": system.stage,
            "monitored": bool(watching),
        }
        for system, watching in monitoring_asked(repo)
    ]
    found = [
        {"monitor": {"id": m["id"], "metric": m["metric"], "threshold": m["threshold"]}}
        | {"system": m["system"]}
        | breach
        for m in monitors
        for breach in m["breaches"]
    ]
    incidents = [
        incident_context(repo, incident)
        for incident in sorted(repo.of_kind(Incident), key=lambda i: (i.detected, i.id))
    ]
    return {
        "evaluations_due": due,
        "evaluations": evaluations,
        "monitors": monitors,
        "monitoring_asked": asked,
        "unmonitored": [row for row in asked if not row["monitored"]],
        "stale": [m for m in monitors if m["stale"]],
        # Monitors whose observations cannot be read (AIMS708): neither current nor
        # stale, so "no monitor is stale" says nothing about them.
        "unreadable": [m for m in monitors if m["unreadable"]],
        # Monitors with observations that cannot be used (the file, rows of it, or
        # observations dated after the as-of date), as `aimsctl monitor check` lists
        # them: a breach among them is in no list, so no list may read as complete.
        "unusable": [m for m in monitors if m["problems"]],
        # Observations read, of every monitor: with none, no breach is "none found".
        "observed": sum(m["count"] for m in monitors),
        "breaches": found,
        "incidents": incidents,
        "counts": [
            {"name": "evaluations overdue", "count": sum(1 for row in due if row["overdue"])},
            {
                # Per system, each metric's latest measurement by the as-of date, as
                # AIMS702 reads it: a failure is settled by measuring that metric again
                # and passing, not by a later evaluation that leaves it out.
                "name": "systems with a failing metric",
                "count": sum(
                    1 for done in by_system.values() if any(e.id in standing for e in done)
                ),
            },
            {
                "name": "systems with no monitor their tier asks for",
                "count": sum(1 for row in asked if not row["monitored"]),
            },
            {"name": "stale monitors", "count": sum(1 for m in monitors if m["stale"])},
            {"name": "late monitors", "count": sum(1 for m in monitors if m["late"])},
            {
                # As `aimsctl monitor check` counts them.
                "name": "monitors with unreadable observations",
                "count": sum(1 for m in monitors if m["unreadable"] or m["problems"]),
            },
            {
                "name": "breaches not followed up",
                "count": sum(1 for b in found if not b["follow_up"]),
            },
            {
                "name": "open incidents",
                "count": sum(
                    1 for i in incidents if i["status"] in ("open", "contained") and not i["ahead"]
                ),
            },
        ],
    }
