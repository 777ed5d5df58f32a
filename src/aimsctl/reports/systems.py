"""System documentation (ISO/IEC 42001 A.6.2.7, A.8.2): one section per AI system.

Each section has two parts. The part for users and affected people says what the
system is for and for whom, its version, what it decides and how people oversee
it, how to use it, its known limitations (foreseeable misuse and the risks still
open) and whom to contact. The internal part holds the governance detail: tier,
regulation, stakeholders, data, risks and their treatment, the controls that
apply, and impact assessments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimsctl.records import AISystem, Control, Risk
from aimsctl.reports.common import (
    Context,
    control_order,
    control_title,
    reference,
)
from aimsctl.reports.inventory import assessment_context, system_row
from aimsctl.reports.risks import risk_row
from aimsctl.rules.governance import valid_until

if TYPE_CHECKING:
    from aimsctl.repository import Repository


def _controls(repo: Repository, system: AISystem, risks: list[Risk]) -> tuple[list[Context], int]:
    """Applicable controls scoped to the system or treating its risks, and how many
    other applicable controls apply to every system."""
    # From the system's own risks: scanning every risk per system is quadratic.
    treats: dict[str, list[str]] = {}
    for risk in risks:
        if risk.treatment is not None:
            for control_id in dict.fromkeys(risk.treatment.controls):
                treats.setdefault(control_id, []).append(risk.id)
    listed: list[Context] = []
    everywhere = 0
    for control in sorted(repo.of_kind(Control), key=lambda c: control_order(c.id)):
        if not control.applicable:
            continue
        treated = treats.get(control.id, [])
        scoped = system.id in control.systems
        if not scoped and not treated:
            if not control.systems:
                everywhere += 1
            continue
        listed.append(
            {
                "id": control.id,
                "title": control_title(repo, control.id),
                "status": control.status or "",
                "owner": control.owner or "",
                "scoped": scoped,
                "treats": treated,
            }
        )
    return listed, everywhere


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
            "assessed_on": a.assessed.on.isoformat(),
            "decision": a.decision or "",
            "next_review": valid_until(a, policy).isoformat(),
        }
        for a in mine
    ]


def _system(repo: Repository, system: AISystem, base: str | None) -> Context:
    risks = repo.risks_by_system.get(system.id, [])
    controls, everywhere = _controls(repo, system, risks)
    open_risks = [risk for risk in risks if risk.status != "closed"]
    return system_row(repo, system) | {
        "description": system.description or "",
        "version": system.version or "",
        "instructions": system.instructions or "",
        "contact": system.contact or "",
        # The latest evaluation results join the users' part once the Evaluation kind
        # exists (see the place marked in templates/*/systems.*.j2).
        "intended_users": list(system.intended_users),
        "foreseeable_misuse": list(system.foreseeable_misuse),
        "decisions": system.decisions or "",
        "stakeholders": [
            {"group": s.group, "vulnerable": s.vulnerable, "description": s.description or ""}
            for s in system.stakeholders
        ],
        "risks": [risk_row(repo, risk) for risk in risks],
        "controls": controls,
        "controls_everywhere": everywhere,
        "assessments": _assessments(repo, system),
        "assessment": assessment_context(repo, system),
        "documentation": [reference(repo, item, base) for item in system.documentation],
        "limitations": {
            "misuse": list(system.foreseeable_misuse),
            "open_risks": [
                {"id": r.id, "title": r.title, "description": r.description} for r in open_risks
            ],
        },
    }


def build(repo: Repository, base: str | None) -> Context:
    return {"systems": [_system(repo, system, base) for system in repo.of_kind(AISystem)]}
