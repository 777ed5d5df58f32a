"""System documentation (ISO/IEC 42001 A.6.2.7, A.8.2): one section per AI system.

Each section has two parts. The part for users and affected people says what the
system is for and for whom, its version, what it decides and how people oversee
it, how to use it, how well it performs (its latest evaluation, with the trend
against the one before) and how it is monitored, its known limitations
(foreseeable misuse and the risks still open) and whom to contact. The internal
part holds the governance detail: tier, regulation and the regulatory obligations
derived from it (each with the records that evidence it or what is missing),
stakeholders, data, risks and their treatment, the controls that apply, impact
assessments, every evaluation and the incidents that involved it.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from aimsctl.catalog import annex_a
from aimsctl.obligations import SystemObligations, obligations
from aimsctl.records import AISystem, Control, Evaluation, Incident, Monitor, Risk
from aimsctl.reports.common import (
    Context,
    Shared,
    control_order,
    control_title,
    reference,
)
from aimsctl.reports.inventory import (
    approval_not_counted,
    review_overdue,
    system_row,
    unapproved,
)
from aimsctl.reports.monitoring import (
    earlier_failures,
    evaluation_context,
    incident_context,
    monitor_context,
    standing_failures,
    superseding,
    verdict,
)
from aimsctl.reports.risks import risk_rows
from aimsctl.rules.governance import review_date
from aimsctl.rules.measurements import evaluations_by_system
from aimsctl.rules.soa import treatment_control_problem
from aimsctl.soa import control_state, settled

if TYPE_CHECKING:
    from aimsctl.repository import Repository


def _decisions(
    repo: Repository, controls: list[Control]
) -> list[tuple[Control, bool, bool, Context]]:
    """Each control with whether the SoA decides it, whether it is excluded, and what
    every system's documentation says of it: the same for every system, so judged
    once per report, not once per system (500 systems and 38 controls: 19,000
    placeholder checks and title look-ups for 38 answers)."""
    decisions: list[tuple[Control, bool, bool, Context]] = []
    for control in controls:
        # A placeholder, or no reason at all (AIMS203), decides nothing: said as such.
        is_decision = settled(control)
        excluded = is_decision and not control.applicable
        said = {
            "id": control.id,
            "title": control_title(repo, control.id),
            "decided": is_decision,
            "excluded": excluded,
            "justification": control.justification if excluded else "",
            "status": (control.status or "") if is_decision else control_state(control),
            "owner": control.owner or "",
        }
        decisions.append((control, is_decision, excluded, said))
    return decisions


def _controls(
    system: AISystem,
    risks: list[Risk],
    controls: list[tuple[Control, bool, bool, Context]],
) -> tuple[list[Context], int, int]:
    """Of the ``controls`` (in catalogue order) that apply, and those not yet decided (a
    placeholder's `applicable` and `status` decide nothing, as the SoA says), those
    scoped to the system or treating its risks, and the excluded ones a treatment of
    its risks relies on all the same (AIMS205); how many others apply to every system,
    and how many others for every system are undecided. Each control comes with its
    decision (:func:`_decisions`)."""
    # From the system's own risks: scanning every risk per system is quadratic.
    treats: dict[str, list[Risk]] = {}
    for risk in risks:
        if risk.treatment is not None:
            for control_id in dict.fromkeys(risk.treatment.controls):
                treats.setdefault(control_id, []).append(risk)
    listed: list[Context] = []
    everywhere = undecided = 0
    for control, is_decision, excluded, said in controls:
        treated = treats.get(control.id, [])
        scoped = system.id in control.systems
        if excluded and not treated:
            continue
        if not scoped and not treated:
            if not control.systems and is_decision:
                everywhere += 1
            elif not control.systems:
                undecided += 1
            continue
        # A treatment that names a control not applying to its risk gets no credit
        # from it (AIMS205): said in the rule's words, not counted as treating.
        problems = {risk.id: treatment_control_problem(control, risk) for risk in treated}
        listed.append(
            said
            | {
                "scoped": scoped,
                "treats": [risk_id for risk_id, problem in problems.items() if problem is None],
                "relied_on": [
                    {"risk": risk_id, "problem": problem}
                    for risk_id, problem in problems.items()
                    if problem is not None
                ],
            }
        )
    return listed, everywhere, undecided


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def _assessments(repo: Repository, system: AISystem) -> list[Context]:
    policy = repo.config.policy(repo.tiers[system.id])
    mine = sorted(
        repo.assessments_by_system.get(system.id, []),
        key=lambda a: (a.assessed.on, a.id),
    )
    return [
        {
            "id": a.id,
            "title": a.title,
            "status": a.status,
            "not_counted": approval_not_counted(repo, a),
            "assessed_on": a.assessed.on.isoformat(),
            "decision": a.decision or "",
            "next_review": _day(review := review_date(a, policy)),  # none: not approved, none set
            "unapproved": review is not None and unapproved(a),
            "overdue": review_overdue(repo, a, review),
        }
        for a in mine
    ]


def _measures(repo: Repository, base: str | None) -> dict[str, Context]:
    """Per system: its latest evaluation against the one before, every evaluation, its
    monitors and the incidents that involve it (each list grouped in one pass)."""
    done = evaluations_by_system(repo)
    standing = standing_failures(done)
    found: dict[str, Context] = {}

    def of(system_id: str) -> Context:
        return found.setdefault(system_id, _no_measures())

    for system_id, evaluations in done.items():
        previous = evaluations[-2] if len(evaluations) > 1 else None
        # The latest evaluation's verdict, and the failures of earlier ones it left
        # standing by not measuring them again: "pass" alone would hide them.
        of(system_id)["evaluation"] = evaluation_context(
            repo, evaluations[-1], previous, latest=True, base=base
        ) | {"still_failing": earlier_failures(evaluations)}
    for e in sorted(repo.of_kind(Evaluation), key=lambda e: e.performed.on):  # ids in order
        of(e.system)["evaluations"].append(
            {
                "id": e.id,
                "title": e.title,
                "stage": e.stage,
                "on": e.performed.on.isoformat(),
                # As the monitoring report marks them: not done yet, or no longer the
                # evaluation that speaks for the system.
                "ahead": e.performed.on > repo.as_of,
                "superseded_by": superseding(repo, e, done.get(e.system, []), standing),
                "verdict": verdict(e.passed),
                "failing": [metric.label for _, metric in e.failing()],
            }
        )
    for monitor in repo.of_kind(Monitor):
        of(monitor.system)["monitors"].append(monitor_context(repo, monitor, base))
    for incident in sorted(repo.of_kind(Incident), key=lambda i: (i.detected, i.id)):
        context = incident_context(repo, incident)
        for system_id in dict.fromkeys(incident.systems):
            of(system_id)["incidents"].append(context)
    return found


def _obligations(entry: SystemObligations | None) -> list[Context]:
    """A system's regulatory obligations: article, title, status, evidence, detail."""
    if entry is None:
        return []
    return [
        {
            "law": o.spec.law.name,
            "article": o.spec.article,
            "title": o.spec.title,
            "status": o.status,
            "evidence": [e.id for e in o.evidence],
            "detail": o.detail,
        }
        for o in entry.obligations
    ]


def _no_measures() -> Context:
    return {"evaluation": None, "evaluations": [], "monitors": [], "incidents": []}


def _system(
    repo: Repository,
    system: AISystem,
    base: str | None,
    measures: dict[str, Context],
    duties: dict[str, SystemObligations],
    decisions: list[tuple[Control, bool, bool, Context]],
    unrecorded: int,
    shared: Shared,
) -> Context:
    risks = repo.risks_by_system.get(system.id, [])
    controls, everywhere, undecided = _controls(system, risks, decisions)
    open_risks = [risk for risk in risks if risk.status != "closed"]
    row = shared.once("system", system.id, partial(system_row, repo, system))
    return row | {
        "description": system.description or "",
        "version": system.version or "",
        "instructions": system.instructions or "",
        "contact": system.contact or "",
        # How well the system performs, for its users (A.8.2): the latest evaluation
        # and the monitors that watch it; internally, every evaluation and the incidents.
        **(measures.get(system.id) or _no_measures()),
        "intended_users": list(system.intended_users),
        "foreseeable_misuse": list(system.foreseeable_misuse),
        "decisions": system.decisions or "",
        "stakeholders": [
            {"group": s.group, "vulnerable": s.vulnerable, "description": s.description or ""}
            for s in system.stakeholders
        ],
        "risks": risk_rows(repo, risks, shared),
        "controls": controls,
        "controls_everywhere": everywhere,
        "controls_undecided": undecided,
        "controls_unrecorded": unrecorded,
        "assessments": _assessments(repo, system),
        "obligations": _obligations(duties.get(system.id)),
        "obligation_notes": list(duties[system.id].notes) if system.id in duties else [],
        "documentation": [reference(repo, item, base) for item in system.documentation],
        "limitations": {
            "misuse": list(system.foreseeable_misuse),
            "open_risks": [
                {"id": r.id, "title": r.title, "description": r.description} for r in open_risks
            ],
        },
    }


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    measures = _measures(repo, base)
    duties = {entry.system.id: entry for entry in obligations(repo).systems}
    controls = sorted(repo.of_kind(Control), key=lambda c: control_order(c.id))
    # An Annex A control with no valid Control record (missing, AIMS202, or failing
    # validation: only `report --force` renders it) is not decided.
    recorded = {control.id for control in controls}
    unrecorded = sum(1 for control_id in annex_a() if control_id not in recorded)
    decisions = _decisions(repo, controls)
    shared = shared or Shared()
    return {
        "systems": [
            _system(repo, system, base, measures, duties, decisions, unrecorded, shared)
            for system in repo.of_kind(AISystem)
        ]
    }
