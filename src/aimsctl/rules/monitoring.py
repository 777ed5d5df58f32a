"""AIMS701-AIMS711: evaluations on time and acted on, monitors in place, fresh and
followed up, serious incidents reported, and incidents fed back into the risks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.records import AISystem, Evaluation, Incident, Monitor, Risk
from aimsctl.rules.management import UNREAD_NAMED, noted, unjudged_note
from aimsctl.rules.measurements import (
    FOLLOW_UP_WANTED,
    TOO_MANY,
    EvaluationDue,
    Point,
    Series,
    art73_deadline,
    breaches,
    evaluation_due,
    evaluations_by_system,
    follow_up,
    follow_up_note,
    freshness,
    latest_measurements,
    monitoring_asked,
    open_trackers,
    read_series,
    risks_reviewed_since,
    unsigned_reviews_since,
    watched,
)
from aimsctl.rules.placeholders import UNWRITTEN, still_unwritten, unsigned_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.rules.soa import is_url, path_problem
from aimsctl.text import number_text, plural, words
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING

# Bad rows reported per observations file; the rest are counted in one more finding.
MAX_ROW_FINDINGS = 20


def _failed(evaluation: Evaluation) -> str:
    return ", ".join(metric.label for _, metric in evaluation.failing())


@rule(
    codes.EVALUATION_OVERDUE,
    E,
    summary="A system in validation or production has no passing Evaluation performed "
    "within the `evaluation_days` its tier sets (`governance.<tier>.evaluation_days` in "
    "aims.yaml). An evaluation passes when every metric with a threshold is within it, "
    "and at least one metric has a threshold; one that still holds a `TODO:` placeholder "
    f"({codes.PLACEHOLDER}) is not counted. An Evaluation that fails validation is named in the "
    "finding: it may be the one that passed." + UNREAD_NAMED,
    why="Control A.6.2.4 asks that AI systems are verified and validated against criteria "
    "set beforehand, before use and as they change; clause 9.1 asks the organization to "
    "decide what is measured and when, and to keep the results. aims.yaml makes the "
    "interval proportional to the tier: the riskier the system, the more recent the "
    "evidence that it still meets its criteria has to be.",
    fix="Evaluate the system and record an Evaluation naming it, with each metric's value "
    "and threshold and `performed: {on, by}`. If metrics fail, take them up "
    f"({codes.FAILING_METRIC_UNTRACKED}), fix "
    "the system and evaluate again; a system that cannot pass belongs back in development.",
    example="kind: Evaluation\nid: EVAL-CREDIT-2025\nsystem: SYS-CREDIT   # tier high: "
    "evaluation_days 365\nstage: periodic\nperformed: {on: 2025-06-30, by: "
    "model-risk@acme.example}   # as of 2026-11-26\n...",
)
def evaluation_overdue(repo: Repository) -> Iterator[Finding]:
    by_system = evaluations_by_system(repo)
    for system in repo.of_kind(AISystem):
        done = by_system.get(system.id, [])
        owed = evaluation_due(repo, system, done)
        if owed is None or not owed.overdue(repo.as_of):
            continue
        tier, days = repo.tiers[system.id], owed.days
        since = add_days(repo.as_of, -days)
        if not done:
            found = "there is none"
        else:
            latest = done[-1]
            if still_unwritten(repo, latest):
                found = (
                    f"the latest, {latest.id} of {latest.performed.on}, {UNWRITTEN}, so it "
                    "does not count as passed"
                )
            elif latest.passed is False:
                found = (
                    f"the latest, {latest.id} of {latest.performed.on}, failed on {_failed(latest)}"
                )
            elif latest.passed is None:
                found = (
                    f"the latest, {latest.id} of {latest.performed.on}, has no metric with "
                    "a threshold"
                )
            else:
                found = (
                    f"the latest that passed, {latest.id}, was performed on {latest.performed.on}"
                )
            passed = [e for e in done if e.passed and not still_unwritten(repo, e)]
            if (latest.passed is not True or still_unwritten(repo, latest)) and passed:
                found += f"; the last that passed, {passed[-1].id}, on {passed[-1].performed.on}"
        # An evaluation that failed validation may be the one that passed: said, not judged.
        unjudged = unjudged_note(repo, Evaluation.KIND, "that passed")
        if unjudged:
            found += f"; {unjudged}"
        yield Finding(
            f"tier {tier!r} asks for an evaluation that passed within {days} days (on or "
            f"after {since}), but {found}",
            record=system.id,
            parts=("stage",),
        )


def _versions_owing_evaluations(
    repo: Repository,
) -> Iterator[tuple[AISystem, str, list[Evaluation], EvaluationDue]]:
    """Each system that owes evaluations (its tier sets `evaluation_days`, its stage
    asks for them) and documents a `version`: the system, that version stripped, its
    evaluations performed by the as-of date, and the evaluation it owes."""
    by_system = evaluations_by_system(repo)
    for system in repo.of_kind(AISystem):
        done = by_system.get(system.id, [])
        owed = evaluation_due(repo, system, done) if system.version is not None else None
        if system.version is not None and owed is not None:
            yield system, system.version.strip(), done, owed


@rule(
    codes.VERSION_NOT_EVALUATED,
    W,
    summary="A system whose tier asks for evaluations (in validation or production, "
    "`evaluation_days` set) documents a `version` that no Evaluation of it performed by "
    "the as-of date tested, while its evaluations do record the versions they tested "
    f"(`model_version`). {codes.EVALUATION_OVERDUE} counts an evaluation of an earlier "
    "version, so the version in use may run on the strength of its predecessor's results.",
    why="Control A.6.2.4 asks that AI systems are verified and validated against their "
    "criteria before use and as they change, and 9.1 that the results are kept. A new "
    "model or release passes nothing on the strength of the old one's evaluation.",
    fix="Evaluate the version in use and record it (`aimsctl eval import` takes the "
    "version from the results file or `--model-version`); or correct the system's "
    "`version` if an evaluated one is what runs.",
    example="kind: AISystem\nid: SYS-CREDIT\nversion: '8.0'\n...\n---\n"
    "kind: Evaluation\nsystem: SYS-CREDIT\nmodel_version: '7.1'   # the only one",
)
def version_not_evaluated(repo: Repository) -> Iterator[Finding]:
    for system, version, done, _ in _versions_owing_evaluations(repo):
        tested = [e.model_version.strip() for e in done if e.model_version is not None]
        if tested and version not in tested:
            versions = ", ".join(repr(v) for v in dict.fromkeys(reversed(tested)))
            yield Finding(
                f"no evaluation tested the version the system documents, "
                f"{system.version!r}: its evaluations tested {versions} (latest first)",
                record=system.id,
                parts=("version",),
            )


@rule(
    codes.VERSION_IN_USE_FAILED,
    W,
    summary="A system whose tier asks for evaluations (in validation or production, "
    "`evaluation_days` set) documents a `version` whose own evaluations all failed (or "
    "have no metric with a threshold, or still hold a placeholder), while "
    f"{codes.EVALUATION_OVERDUE} counts a pass of another version: one that records "
    "another `model_version`, or none and was performed before the version in use was "
    "first evaluated. The version in use runs on its predecessor's pass. A system "
    f"overdue for an evaluation is {codes.EVALUATION_OVERDUE}'s alone, which names the "
    "last pass (turned off, it leaves this rule quiet there too).",
    why="Control A.6.2.4 asks that AI systems are verified and validated against their "
    "criteria before use and as they change, and 9.1 that the results are acted on. A "
    "release that failed its own evaluation is not validated by the one before it: "
    "putting it into use is a decision to record (a waiver of this rule names who took "
    "it, why and until when), not a pass.",
    fix="Fix the version in use and evaluate it again, or go back to the version that "
    "passed (and say so in `version`); where the organization decided to run it as it "
    "is, record that decision as a waiver of this rule for the system, with the "
    "restrictions it runs under and an expiry.",
    example="kind: AISystem\nid: SYS-CREDIT\nversion: '8.0'\n...\n---\nkind: Evaluation\n"
    "system: SYS-CREDIT\nmodel_version: '7.1'   # passed\n---\nkind: Evaluation\n"
    "system: SYS-CREDIT\nmodel_version: '8.0'   # failed",
)
def version_in_use_failed(repo: Repository) -> Iterator[Finding]:
    for system, in_use, done, owed in _versions_owing_evaluations(repo):
        if owed.overdue(repo.as_of):
            continue  # AIMS701's finding, which names the last pass: it counts none
        of_it = [e for e in done if (e.model_version or "").strip() == in_use]
        if not of_it:
            continue  # never evaluated: AIMS709's finding, or no versions recorded
        first = min(e.performed.on for e in of_it)
        passed = [e for e in done if e.passed and not still_unwritten(repo, e)]
        # An evaluation recording no version may have tested the version in use, unless
        # it was performed before that version was first evaluated.
        if any(
            (e.model_version or "").strip() == in_use
            or (e.model_version is None and e.performed.on >= first)
            for e in passed
        ):
            continue
        if not passed:
            continue  # nothing passed at all: AIMS701's finding
        counted = passed[-1]
        tested = (
            f"which tested {counted.model_version!r}"
            if counted.model_version is not None
            else "which records no version and was performed before the version in use "
            "was first evaluated"
        )
        held = [e.id for e in of_it if e.passed and still_unwritten(repo, e)]
        why = f"{words([e.id for e in of_it], 'and')} tested it"
        if held:
            why += f"; {words(held, 'and')} still {'holds' if len(held) == 1 else 'hold'} "
            why += "placeholder text (TODO:), so it does not count as passed"
        yield Finding(
            f"no evaluation of the version the system documents, {system.version!r}, "
            f"passed ({why}); {codes.EVALUATION_OVERDUE} counts {counted.id} of "
            f"{counted.performed.on}, {tested}",
            record=system.id,
            parts=("version",),
        )


@rule(
    codes.FAILING_METRIC_UNTRACKED,
    E,
    summary="A metric of a system in production is outside its threshold in its latest "
    "measurement (the latest Evaluation that measures that metric for that group), and "
    "its `tracked_by` names no open Risk of that system and no open Nonconformity that "
    "takes the failure up. A later evaluation of other metrics does not settle it, nor "
    "does measuring the metric again without a threshold.",
    why="A failed verification (A.6.2.4) is a result of measurement (9.1) that has to be "
    "acted on: either the risk it reveals is in the register and treated (6.1.2, 6.1.3, "
    "8.3), or it is a nonconformity with corrective action (10.2). A failing metric nobody "
    "owns is a known problem in production that the management system does not see.",
    fix="Under the metric's `tracked_by`, name the Risk (listing the system, not closed) "
    "that records what the failure means, or the Nonconformity raised for it; create one "
    "if none exists. Or fix the system and record a new evaluation that passes.",
    example="metrics:\n  - name: approval-rate ratio\n    dimension: fairness\n"
    "    value: 0.74\n    threshold: {min: 0.8}\n    group: thin-file applicants\n"
    "    tracked_by: []",
)
def failing_metric_untracked(repo: Repository) -> Iterator[Finding]:
    by_system = evaluations_by_system(repo)
    for system in repo.of_kind(AISystem):
        done = by_system.get(system.id)
        if system.stage != "production" or not done:
            continue
        # Each metric's latest measurement counts: a failure is settled by measuring
        # that metric again, not by a later evaluation of other metrics.
        for latest, index in latest_measurements(done):
            metric = latest.metrics[index]
            if metric.passed is not False or open_trackers(repo, system.id, metric):
                continue
            assert metric.threshold is not None
            named = (
                f"; tracked_by names {', '.join(metric.tracked_by)}, none of them an open "
                f"Risk of {system.id} or an open Nonconformity"
                if metric.tracked_by
                else ""
            )
            yield Finding(
                f"{metric.label} is {number_text(metric.value)}, outside its threshold "
                f"{metric.threshold.text()}, in {_latest_of(latest, done[-1], system.id)}, "
                f"and no open Risk or Nonconformity tracks it{named}",
                record=latest.id,
                parts=("metrics", index, "value"),
            )


def _latest_of(evaluation: Evaluation, last: Evaluation, system_id: str) -> str:
    if evaluation is last:
        return f"the latest evaluation of {system_id}"
    return (
        f"{evaluation.id}, the latest evaluation of {system_id} that measures it against "
        "a threshold"
    )


@rule(
    codes.PRODUCTION_SYSTEM_UNMONITORED,
    E,
    summary="A system in production whose tier asks for monitoring "
    "(`governance.<tier>.monitoring: true`) has no Monitor." + UNREAD_NAMED,
    why="Control A.6.2.6 asks that AI systems are watched in operation (performance, "
    "drift, errors, misuse), and clause 9.1 that monitoring is planned and its results "
    "kept. Providers of high-risk systems under the EU AI Act must also run post-market "
    "monitoring (Art. 72). Without a Monitor nothing says what is watched, against which "
    "threshold, or how often.",
    fix="Add a Monitor naming the system, with the metric, its threshold, `every_days`, "
    "what a breach leads to (`on_breach`) and the observations (inline or in "
    "`observations_file`).",
    example="kind: AISystem\nid: SYS-CREDIT   # tier high: monitoring: true\n...\n"
    "stage: production\n# no Monitor has system: SYS-CREDIT",
)
def production_system_unmonitored(repo: Repository) -> Iterator[Finding]:
    for system, monitors in monitoring_asked(repo):
        if not monitors:
            # A monitor that failed validation, or a record whose kind or id cannot be
            # read, may be the one: said, not judged.
            yield Finding(
                noted(
                    repo,
                    Monitor.KIND,
                    "naming it",
                    f"system is in production and tier {repo.tiers[system.id]!r} asks for "
                    "monitoring, but no Monitor names it",
                ),
                record=system.id,
                parts=("stage",),
            )


def _where(series: Series, point: Point | None) -> tuple[str | int, ...]:
    """Where a finding about an observation points: the inline entry, or the file."""
    if series.path is not None:
        return ("observations_file",)
    if point is not None and point.index is not None:
        return ("observations", point.index)
    return ()


@rule(
    codes.MONITOR_STALE,
    W,
    summary="A monitor of a system that is not retired has no observation within twice "
    "its `every_days` before the as-of date, or no observation at all.",
    why="Monitoring that is planned but not carried out gives no evidence: clause 9.1 asks "
    "for monitoring results to be kept as documented information, and control A.6.2.6 for "
    "the system to be watched while it runs. One late observation can happen; twice the "
    "interval without one means the monitoring has stopped.",
    fix="Record the missing observations (or append them to the observations file), or "
    "set `every_days` to the interval the monitoring really follows. Delete a monitor "
    "that is no longer used.",
    example="kind: Monitor\nid: MON-1\n...\nevery_days: 7\nobservations:\n"
    "  - {on: 2026-09-01, value: 0.97}   # as of 2026-11-26",
)
def monitor_stale(repo: Repository) -> Iterator[Finding]:
    for monitor in repo.of_kind(Monitor):
        if not watched(repo, monitor):
            continue
        series = read_series(repo, monitor)
        if series.unusable is not None:
            continue  # AIMS708 says why nothing could be read
        fresh = freshness(series, repo.as_of)
        if not fresh.stale:
            continue
        every = plural(monitor.every_days, "day")
        if fresh.latest is None:
            message = f"no observation is recorded; one is due every {every}"
        else:
            message = (
                f"the latest observation is of {fresh.latest.on} "
                f"({series.where(fresh.latest)}); one is due every {every}, so the monitor "
                f"went stale after {fresh.stale_after}"
            )
        yield Finding(message, record=monitor.id, parts=_where(series, fresh.latest))


@rule(
    codes.BREACH_WITHOUT_FOLLOW_UP,
    E,
    summary="An observation is outside its monitor's threshold and what `on_breach` asks "
    "for did not follow: an Incident naming the system, detected on or after the breach "
    "(`incident`); a review of one of the system's risks on or after it (`risk-review`); a "
    "`note` on a breaching observation saying who was told (`notify`); any of the three "
    "when `on_breach` is not set. Consecutive breaching observations are one breach, dated "
    "by the first. A risk review whose `by` is still a `TODO:` placeholder answers nothing. "
    "An Incident or Risk that fails validation is named in the finding: it may be the "
    "follow-up." + UNREAD_NAMED,
    why="Monitoring is only worth its results if they are analysed and acted on (9.1, "
    "A.6.2.6). A breach that should have become an incident and its communication (A.8.4), "
    "a risk reassessment (8.2) or a notification leaves the organization knowing of a "
    "problem without having responded to it.",
    fix="Do what the monitor's `on_breach` says and record it: the Incident (with the "
    "system in `systems`), the risk review (`reviewed: {on, by}` on a Risk of the system), "
    "or a `note` on the observation. If the threshold itself is wrong, change it and say "
    "why in the monitor's description.",
    example="kind: Monitor\nid: MON-1\n...\nthreshold: {max: 0.1}\non_breach: incident\n"
    "observations:\n  - {on: 2026-10-05, value: 0.14}   # no Incident since",
)
def breach_without_follow_up(repo: Repository) -> Iterator[Finding]:
    for monitor in repo.of_kind(Monitor):
        series = read_series(repo, monitor)
        for breach in breaches(series, repo.as_of):
            if follow_up(repo, monitor, breach) is not None:
                continue
            first = breach.first
            more = (
                f" (and {plural(len(breach.points) - 1, 'observation')} after it)"
                if len(breach.points) > 1
                else ""
            )
            asks = f"on_breach {monitor.on_breach} asks for" if monitor.on_breach else "it needs"
            message = (
                f"{series.where(first)}: {number_text(first.value)} on {first.on} is outside "
                f"the threshold {monitor.threshold.text()}{more}, and nothing followed: "
                f"{asks} {FOLLOW_UP_WANTED[monitor.on_breach]}"
            )
            # An Incident or Risk that failed validation, or a record whose kind or id
            # cannot be read, may be the follow-up: said, not judged.
            note = follow_up_note(repo, monitor)
            if note:
                message = f"{message}; {note}"
            yield Finding(message, record=monitor.id, parts=_where(series, first))


@rule(
    codes.SERIOUS_INCIDENT_NOT_REPORTED,
    E,
    summary="A serious incident (`serious: true`) involving a system with "
    "`regulation.eu_ai_act: high` and `eu_role: provider` was not reported to an authority "
    "(a `reports` entry with `authority: true`, or without `authority` whose `to` names "
    "an authority) within the EU AI Act Art. 73 deadline, in "
    "days from `detected`: 2 for `widespread` or `critical-infrastructure`, 10 for "
    "`death`, 15 otherwise. A report dated before `detected` is not counted, nor one whose "
    "`to` is still a `TODO:` placeholder (it went to nobody yet). Until the "
    "deadline has passed, the monitoring report lists the incident with its deadline instead.",
    why="Providers of high-risk AI systems must report serious incidents to the market "
    "surveillance authority within these periods (EU AI Act Art. 73(2)-(4)). Control A.8.4 "
    "asks the organization to decide how incidents are communicated to the parties that "
    "need to know, and A.8.5 to decide what it must tell interested parties (authorities "
    "among them) about its AI systems; a missed statutory deadline is a failure of both.",
    fix="Report the incident to the competent market surveillance authority and record the "
    "report under `reports` with `authority: true`, its date and the authority's reference. "
    "If the report was made in time but not recorded, add it. If the incident is not "
    "serious after all, set `serious: false` and say why in the description.",
    example="kind: Incident\nid: INC-7\nsystems: [SYS-TRIAGE]   # eu_ai_act: high, "
    "eu_role: provider\ndetected: 2026-09-16\nserious: true\nserious_kind: other   "
    "# 15 days: report by 2026-10-01\nreports: []",
)
def serious_incident_not_reported(repo: Repository) -> Iterator[Finding]:
    for incident in repo.of_kind(Incident):
        deadline = art73_deadline(repo, incident)
        if deadline is None or not deadline.late(repo.as_of):
            continue
        kind = incident.serious_kind or "other"
        rule_text = (
            f"a serious incident ({kind}) on {', '.join(deadline.systems)}, a high-risk "
            f"system this organization provides, must be reported to an authority within "
            f"{deadline.days} days of its detection on {incident.detected} (EU AI Act "
            f"Art. 73), by {deadline.due}"
        )
        if deadline.report_on is not None and deadline.report_index is not None:
            yield Finding(
                f"{rule_text}; it was reported only on {deadline.report_on}",
                record=incident.id,
                parts=("reports", deadline.report_index, "on"),
            )
        else:
            unsent = [
                index
                for index, report in enumerate(incident.reports)
                if report.to_authority and is_placeholder(report.to)
            ]
            if unsent:
                index = unsent[0]
                note = unsigned_note(f"report {index + 1}", "its `to`", "a report made")
                yield Finding(
                    f"{rule_text}; {note}", record=incident.id, parts=("reports", index, "to")
                )
                continue
            early = [
                (index, report.on)
                for index, report in enumerate(incident.reports)
                if report.to_authority and report.on < incident.detected
            ]
            if early:
                index, on = early[0]
                yield Finding(
                    f"{rule_text}; the report to an authority dated {on} is before the "
                    "detection, so it cannot be this incident's: correct its date",
                    record=incident.id,
                    parts=("reports", index, "on"),
                )
                continue
            yield Finding(
                f"{rule_text}; no report to an authority is recorded (a report counts with "
                "`authority: true`, or without `authority` when its `to` names an authority)",
                record=incident.id,
                parts=("serious",),
            )


@rule(
    codes.INCIDENT_RISKS_NOT_REVIEWED,
    W,
    summary="For a system an incident names, none of its risks was reviewed "
    "(`reviewed.on`) on or after the incident's `detected` date. A review whose `by` is "
    "still a `TODO:` placeholder was held by nobody: it does not count, and the finding "
    "names the risk." + UNREAD_NAMED,
    why="An incident is evidence that the risk assessment missed or under-rated something. "
    "Clause 8.2 asks that risks are assessed again when significant changes occur, and "
    "10.2 that the causes of a nonconformity are evaluated and the management system "
    "changed where needed; control A.8.4 covers "
    "communicating the incident. Feeding it back into the register is what keeps it from "
    "happening again.",
    fix="Review the system's risks in the light of the incident: reassess the ones it "
    "touches, or add a Risk for what it revealed, and record `reviewed: {on, by}`; list "
    "them under the incident's `risks`.",
    example="kind: Incident\nid: INC-7\nsystems: [SYS-ASSIST]\ndetected: 2026-10-06\n"
    "...\n# every Risk of SYS-ASSIST was last reviewed before 2026-10-06",
)
def incident_risks_not_reviewed(repo: Repository) -> Iterator[Finding]:
    for incident in repo.of_kind(Incident):
        if incident.detected > repo.as_of:
            continue  # AIMS508 reports the date
        for index, system_id in enumerate(incident.systems):
            if system_id in incident.systems[:index]:
                continue
            if risks_reviewed_since(repo, system_id, incident.detected):
                continue
            risks = repo.risks_by_system.get(system_id, [])
            if risks:
                last = max(
                    (r.reviewed.on for r in risks if r.reviewed and r.reviewed.counts(repo.as_of)),
                    default=None,
                )
                found = (
                    f"the risks of {system_id} were last reviewed on {last}"
                    if last is not None
                    else f"none of the risks of {system_id} records a review"
                )
                unsigned = unsigned_reviews_since(repo, system_id, incident.detected)
                found += f" ({unsigned})" if unsigned else ""
            else:
                found = "it has no risks in the register"
            # A risk that failed validation, or a record whose kind or id cannot be read,
            # may be one of the system's reviewed since: said, not judged.
            yield Finding(
                noted(
                    repo,
                    Risk.KIND,
                    "reviewed since",
                    f"incident detected on {incident.detected}, but {found}; review the "
                    f"risks of {system_id} in the light of it",
                ),
                record=incident.id,
                parts=("systems", index),
            )


@rule(
    codes.REPORTED_BEFORE_DETECTED,
    W,
    summary="An incident records a report (`reports[].on`) dated before its `detected` "
    "date: someone was told before the organization learnt of it. One of the dates is "
    f"wrong, and reporting deadlines (EU AI Act Art. 73, {codes.SERIOUS_INCIDENT_NOT_REPORTED}) "
    "count from `detected`, so a `detected` set too late shortens what was owed.",
    why="Control A.8.4 asks that incidents are communicated to those concerned, and "
    "reporting duties run from when the organization became aware of an incident. A "
    "detection date after the first report cannot be when it became aware; an auditor "
    "will ask which date is true.",
    fix="Correct the date that is wrong: `detected` is the day the organization first "
    "learnt of the incident, on or before any report about it.",
    example="detected: 2026-10-10\nreports:\n  - {to: Patient, on: 2026-09-16}",
)
def reported_before_detected(repo: Repository) -> Iterator[Finding]:
    for incident in repo.of_kind(Incident):
        for index, report in enumerate(incident.reports):
            if report.on < incident.detected:
                yield Finding(
                    f"reported to {report.to!r} on {report.on}, before the incident was "
                    f"detected on {incident.detected}: one of the dates is wrong, and "
                    "reporting deadlines count from `detected`",
                    record=incident.id,
                    parts=("reports", index, "on"),
                )


def _file_findings(repo: Repository, monitor: Monitor) -> Iterator[Finding]:
    series = read_series(repo, monitor)
    if series.path is None:
        return
    where = ("observations_file",)
    if series.unusable is not None:
        problem = series.unusable
        if not problem.startswith("path "):
            problem = f"{series.path} {problem}"
        yield Finding(f"observations_file {problem}", record=monitor.id, parts=where)
        return
    # Where reading stopped past MAX_ROWS is no row that cannot be used: said last.
    rows = [(p.line, p.message) for p in series.problems if p.kind != TOO_MANY]
    stopped = [(p.line, p.message) for p in series.problems if p.kind == TOO_MANY]
    rows += [
        (
            point.line,
            f"on is {point.on}, after the as-of date {repo.as_of}: it cannot have "
            "been observed yet",
        )
        for point in series.ahead(repo.as_of)
        if point.line is not None
    ]
    rows.sort()
    for line, message in rows[:MAX_ROW_FINDINGS]:
        yield Finding(f"{series.path}:{line}: {message}", record=monitor.id, parts=where)
    if len(rows) > MAX_ROW_FINDINGS:
        read = " of those read" if series.rest_not_read else ""
        yield Finding(
            f"{series.path}: {plural(len(rows) - MAX_ROW_FINDINGS, 'more row')}{read} cannot "
            "be used; fix the rows above and run again",
            record=monitor.id,
            parts=where,
        )
    for line, message in stopped:
        yield Finding(f"{series.path}:{line}: {message}", record=monitor.id, parts=where)


@rule(
    codes.MONITORING_FILE_UNUSABLE,
    E,
    summary="A monitor's `observations_file` or an evaluation's `results` is not a usable "
    "file in the repository (absolute, outside it, missing, a folder), or rows of the "
    "observations file cannot be used: no header row `on,value` or `on,value,note`, a "
    "wrong number of columns, a date that is not YYYY-MM-DD or lies after the as-of date, "
    "a value that is not a number. Each bad row is named as `file:line`; the other rows "
    "still count. Links (`https://...`) in `results` are not checked.",
    why="Monitoring and measurement results are documented information that must be "
    "available and kept under control (9.1, 7.5.3), and evaluation results are the "
    "evidence of verification (A.6.2.4). An observation that cannot be read is one no "
    "rule, report or auditor sees, so a breach written in it would go unnoticed.",
    fix="Commit the file and give its path relative to the repository root. Correct each "
    "named row: dates YYYY-MM-DD, values plain numbers such as 0.042, a note in the third "
    "column (quoted when it holds a comma).",
    example="# evidence/monitoring/psi.csv\non,value,note\n2026-10-31,0.08,\n"
    "2026-11-30,n/a,   # line 3: not a number",
)
def monitoring_file_unusable(repo: Repository) -> Iterator[Finding]:
    for monitor in repo.of_kind(Monitor):
        yield from _file_findings(repo, monitor)
    for evaluation in repo.of_kind(Evaluation):
        results = evaluation.results
        if results is None or is_url(results):
            continue
        problem = path_problem(repo, results)
        if problem is not None:
            yield Finding(f"results {problem}", record=evaluation.id, parts=("results",))
