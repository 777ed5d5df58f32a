"""Evaluation and monitoring results: metrics that newly fail, the incidents the
change records, thresholds relaxed, failures and breaches on record rewritten."""

from __future__ import annotations

from datetime import date

from aimsctl.changes import (
    Changes,
    DowngradedIncident,
    FailingMetric,
    NewIncident,
    RelaxedThreshold,
    RewrittenBreach,
    RewrittenFailure,
)
from aimsctl.compare.sides import at_head, file_of, valid_record
from aimsctl.compare.states import RecordState
from aimsctl.records import (
    Evaluation,
    Incident,
    Monitor,
)
from aimsctl.records.evaluation import Metric
from aimsctl.repository import Repository
from aimsctl.rules.measurements import (
    Point,
    evaluations_by_system,
    read_series,
    same_observations,
)
from aimsctl.text import natural_key, number_text, plural


def testing_and_monitoring(
    changes: Changes, after: dict[str, RecordState], added: set[str]
) -> None:
    """Metrics that fail at HEAD and did not at BASE (in a new evaluation, or one whose
    metrics changed), and the incidents the change records."""
    base, head = changes.base.repository, changes.head.repository
    if head is None:
        return
    for evaluation in head.of_kind(Evaluation):  # sorted by id
        old: Evaluation | None = valid_record(base, evaluation.id, Evaluation)
        failing_before: set[tuple[str, str]] = set()
        if old is not None:
            failing_before = {metric.key for _, metric in old.failing()}
        for _, metric in evaluation.failing():
            if metric.key in failing_before:
                continue
            assert metric.threshold is not None
            changes.new_failing_metrics.append(
                FailingMetric(
                    evaluation.id,
                    evaluation.system,
                    metric.label,
                    metric.value,
                    metric.threshold.text(),
                    after[evaluation.id].path,
                )
            )
    for incident in head.of_kind(Incident):
        if incident.id not in added:
            continue
        changes.new_incidents.append(
            NewIncident(
                incident.id,
                tuple(dict.fromkeys(incident.systems)),
                head.scorer.severity.label(int(incident.severity)),
                incident.serious,
                incident.status,
                after[incident.id].path,
            )
        )
    changes.new_failing_metrics.sort(key=lambda m: (natural_key(m.evaluation), m.metric))
    changes.new_incidents.sort(key=lambda i: natural_key(i.id))


# The "metric" of a monitor's relaxed cadence (`every_days` lengthened).
CADENCE = "cadence"


def relaxed_thresholds(changes: Changes, ids: list[str], after: dict[str, RecordState]) -> None:
    """Monitors, and metrics of evaluations, whose threshold admits at HEAD a value it
    did not at BASE (9.1: the criteria a result is judged by); monitors observed less
    often at HEAD (their `every_days` longer, as ``CADENCE``). Read from records valid
    at both sides; a metric is matched by name and group, and one with a threshold at
    BASE that HEAD's evaluation no longer holds (removed or renamed) is relaxed too.
    A new evaluation is held to the thresholds of its system's latest evaluation at
    BASE (:func:`_loosened_by_new`)."""
    base, head = changes.base.repository, changes.head.repository
    _loosened_by_new(changes, after)
    for record_id in ids:
        old_monitor = valid_record(base, record_id, Monitor)
        new_monitor = valid_record(head, record_id, Monitor)
        if old_monitor is not None and new_monitor is not None:
            path = after[record_id].path
            if new_monitor.threshold.looser_than(old_monitor.threshold):
                changes.relaxed_thresholds.append(
                    RelaxedThreshold(
                        "Monitor",
                        record_id,
                        None,
                        old_monitor.threshold.text(),
                        new_monitor.threshold.text(),
                        path,
                    )
                )
            # Observed less often: a breach waits longer to be seen, and the monitor
            # longer to go stale (as a review period lengthened in aims.yaml).
            if new_monitor.every_days > old_monitor.every_days:
                changes.relaxed_thresholds.append(
                    RelaxedThreshold(
                        "Monitor",
                        record_id,
                        CADENCE,
                        f"every {plural(old_monitor.every_days, 'day')}",
                        f"every {plural(new_monitor.every_days, 'day')}",
                        path,
                    )
                )
        old: Evaluation | None = valid_record(base, record_id, Evaluation)
        new: Evaluation | None = valid_record(head, record_id, Evaluation)
        if old is None or new is None:
            continue
        now = {metric.key: metric for metric in new.metrics}
        for metric in old.metrics:
            later = now.get(metric.key)
            if metric.threshold is None:
                continue
            # A metric no longer in the evaluation (removed, or renamed: its name or
            # group changed) takes its threshold with it: what a renamed metric is
            # judged by at HEAD is another metric's threshold.
            if (
                later is None
                or later.threshold is None
                or later.threshold.looser_than(metric.threshold)
            ):
                changes.relaxed_thresholds.append(
                    RelaxedThreshold(
                        "Evaluation",
                        record_id,
                        metric.label,
                        metric.threshold.text(),
                        None
                        if later is None or later.threshold is None
                        else later.threshold.text(),
                        after[record_id].path,
                        metric_gone=later is None,
                    )
                )


def _loosened_by_new(changes: Changes, after: dict[str, RecordState]) -> None:
    """Metrics of an evaluation new at HEAD whose threshold admits a value the threshold
    of the same metric's latest measurement at BASE did not, where the new one becomes
    the latest (performed on or after it): a results file imported with a looser
    threshold turned a failing metric into a passing one, and no evaluation at both
    sides showed it. A new measurement with no threshold judges nothing, and neither
    does a latest one at BASE that has none (the metric made informational)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    new_ones = [e for e in head.of_kind(Evaluation) if valid_record(base, e.id, Evaluation) is None]
    if not new_ones:
        return
    latest: dict[tuple[str, tuple[str, str]], tuple[Evaluation, Metric]] = {}
    for system, done in evaluations_by_system(base).items():
        for evaluation in done:  # oldest first: the later measurement stays
            for metric in evaluation.metrics:
                latest[(system, metric.key)] = (evaluation, metric)
    for evaluation in new_ones:  # sorted by id
        for metric in evaluation.metrics:
            found = latest.get((evaluation.system, metric.key))
            if found is None or metric.threshold is None:
                continue
            earlier_evaluation, earlier = found
            if earlier.threshold is None or _order(evaluation) < _order(earlier_evaluation):
                continue  # nothing to loosen, or an older measurement added afterwards
            if metric.threshold.looser_than(earlier.threshold):
                changes.relaxed_thresholds.append(
                    RelaxedThreshold(
                        "Evaluation",
                        evaluation.id,
                        metric.label,
                        earlier.threshold.text(),
                        metric.threshold.text(),
                        after[evaluation.id].path,
                        loosens=earlier_evaluation.id,
                    )
                )


def _order(evaluation: Evaluation) -> tuple[date, tuple[tuple[int, int | str], ...]]:
    """Where an evaluation stands among its system's: by the day performed, then by id."""
    return evaluation.performed.on, natural_key(evaluation.id)


def rewritten_failures(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Metrics that failed in an evaluation valid at BASE and do not fail in it at HEAD:
    a result on record changed after the fact (A.6.2.4, 7.5.3). An evaluation invalid
    or unreadable at HEAD cannot be judged (see GATE_KINDS)."""
    base, head = changes.base.repository, changes.head.repository
    for record_id in ids:
        old: Evaluation | None = valid_record(base, record_id, Evaluation)
        if old is None or not old.failing():
            continue
        new, judged = at_head(head, record_id, Evaluation, removed)
        if not judged:
            continue
        now = {} if new is None else {metric.key: metric for metric in new.metrics}
        for _, metric in old.failing():
            assert metric.threshold is not None
            later = now.get(metric.key)
            if new is None:
                words = "the evaluation is no longer in the repository"
            elif later is None:
                words = "the metric is no longer in the evaluation"
            elif later.passed is False:
                continue
            else:
                words = _rewritten_words(metric, later)
            changes.rewritten_failures.append(
                RewrittenFailure(
                    record_id,
                    old.system,
                    metric.label,
                    metric.value,
                    metric.threshold.text(),
                    words,
                    file_of(record_id, new, before, after),
                )
            )


def _gravity(repo: Repository, incident: Incident) -> str:
    """How grave an incident is recorded, in words: "serious (death), severity Severe"."""
    serious = (
        f"serious ({incident.serious_kind})"
        if incident.serious and incident.serious_kind
        else "serious"
        if incident.serious
        else "not serious"
    )
    return f"{serious}, severity {repo.scorer.severity.label(int(incident.severity))}"


def downgraded_incidents(changes: Changes, ids: list[str], after: dict[str, RecordState]) -> None:
    """Incidents valid at both revisions that HEAD records as less grave: no longer
    `serious` (its report to an authority, EU AI Act Art. 73, is then owed by nobody), or
    of a lower `severity` level. A harm recorded is edited down, as a breach rewritten.

    Each side reads a severity by its own aims.yaml. Where the two severity scales do
    not number their levels alike (a level added, two labels swapped), a number is no
    measure across them: an incident is then listed unless it keeps its label, and its
    row says the levels cannot be compared (``scale_changed``)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    old_scale, new_scale = base.scorer.severity, head.scorer.severity
    alike = old_scale.reads_as(new_scale)
    for record_id in ids:
        old: Incident | None = valid_record(base, record_id, Incident)
        new: Incident | None = valid_record(head, record_id, Incident)
        if old is None or new is None:
            continue
        before, now = int(old.severity), int(new.severity)
        if alike:
            lower, unknown = now < before, False
        else:
            lower = unknown = not old_scale.same_label(before, new_scale, now)
        if (old.serious and not new.serious) or lower:
            changes.downgraded_incidents.append(
                DowngradedIncident(
                    record_id,
                    _gravity(base, old),
                    _gravity(head, new),
                    after[record_id].path,
                    unknown,
                )
            )


def rewritten_breaches(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Monitors valid at BASE with observations outside the threshold there that are not
    outside it at HEAD: a breach on record edited or deleted (9.1, 7.5.3). A monitor
    invalid or unreadable at HEAD cannot be judged (see GATE_KINDS)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None:
        return
    for record_id in ids:
        old: Monitor | None = valid_record(base, record_id, Monitor)
        if old is None:
            continue
        new, judged = at_head(head, record_id, Monitor, removed)
        if not judged:
            continue
        if new is old and head is not None and same_observations(base, head, old):
            continue  # one record, one file: every breach of BASE is there at HEAD
        series = read_series(base, old)
        was = [p for p in series.until(base.as_of) if not old.threshold.admits(p.value)]
        if not was:
            continue
        if new is None or head is None:
            gone, words = was, "the monitor is no longer in the repository"
        else:
            gone, words = _breaches_gone(head, new, was)
        if gone:
            changes.rewritten_breaches.append(
                RewrittenBreach(
                    record_id,
                    old.system,
                    len(gone),
                    gone[0].on,
                    gone[0].value,
                    old.threshold.text(),
                    words,
                    file_of(record_id, new, before, after),
                )
            )


def _breaches_gone(head: Repository, monitor: Monitor, was: list[Point]) -> tuple[list[Point], str]:
    """The breaching observations of BASE (``was``) that no observation on their day
    breaches at HEAD, and what became of the first of them, in words."""
    series = read_series(head, monitor)
    if series.unusable is not None:
        return was, f"its observations cannot be read at HEAD ({series.path} {series.unusable})"
    by_day: dict[date, list[float]] = {}
    for point in series.points:
        by_day.setdefault(point.on, []).append(point.value)
    gone = [
        p for p in was if all(monitor.threshold.admits(value) for value in by_day.get(p.on, []))
    ]
    if not gone:
        return [], ""
    first = gone[0]
    values = by_day.get(first.on)
    if not values:
        return gone, f"the observation of {first.on.isoformat()} is no longer recorded"
    return gone, (
        f"the observation of {first.on.isoformat()} reads "
        f"{', '.join(number_text(v) for v in values)} at HEAD, threshold "
        f"{monitor.threshold.text()}"
    )


def _rewritten_words(metric: Metric, later: Metric) -> str:
    """What changed a failing metric into one that does not fail, in words."""
    parts = []
    if later.value != metric.value:
        parts.append(f"value {number_text(metric.value)} -> {number_text(later.value)}")
    if later.threshold is None:
        parts.append("threshold removed")
    elif later.threshold != metric.threshold:
        assert metric.threshold is not None
        parts.append(f"threshold {metric.threshold.text()} -> {later.threshold.text()}")
    return "passes at HEAD: " + ", ".join(parts)
