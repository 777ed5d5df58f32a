"""The AI system inventory (ISO/IEC 42001 4.1, A.4, A.9.4): one row per system."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from aimsctl.records import AISystem, ImpactAssessment
from aimsctl.reports.common import Context, Shared, band_css, risk_summary
from aimsctl.rules.governance import approver_refused, not_approved, review_date
from aimsctl.rules.reviews import assessment_rests
from aimsctl.text import html_id

if TYPE_CHECKING:
    from datetime import date

    from aimsctl.repository import Repository

DATA_STAGES = ("training", "validation", "test", "input", "output")


def current_assessment(
    assessments: list[ImpactAssessment],
) -> ImpactAssessment | None:
    """The assessment that speaks for a system now: the latest approved one, else the
    latest that is not superseded, else the latest of all (by assessment date, then id)."""
    ordered = sorted(assessments, key=lambda a: (a.assessed.on, a.id))
    for wanted in ("approved", None):
        candidates = [
            a for a in ordered if (a.status == wanted if wanted else a.status != "superseded")
        ]
        if candidates:
            return candidates[-1]
    return ordered[-1] if ordered else None


def approval_not_counted(repo: Repository, assessment: ImpactAssessment) -> str:
    """Why an assessment marked approved is no approved assessment, as AIMS401 judges
    it (an approval not recorded, dated later, or by someone holding no Role); empty
    when it is, or when it is not marked approved (its status says so)."""
    if assessment.status != "approved":
        return ""
    return not_approved(assessment, repo.as_of, lambda by: approver_refused(repo, by)) or ""


def unapproved(assessment: ImpactAssessment) -> bool:
    """Whether an assessment is still a draft or in review: a review date it sets is
    its own plan, not that of an approved assessment (AIMS502 and `due` still count it,
    so reports show it, marked)."""
    return assessment.status in ("draft", "in-review")


def review_overdue(repo: Repository, assessment: ImpactAssessment, review: date | None) -> bool:
    """Whether an assessment's next review (``review``) has passed by the as-of date: a
    superseded one, or one of a retired system, is not reviewed again (AIMS502 and
    `due` agree). One answer for every report that shows it."""
    return not assessment_rests(repo, assessment) and review is not None and review < repo.as_of


def assessment_context(repo: Repository, system: AISystem) -> Context:
    """The impact assessment status of a system, its next review, and whether it is due."""
    tier = repo.tiers[system.id]
    policy = repo.config.policy(tier)
    mine = repo.assessments_by_system.get(system.id, [])
    chosen = current_assessment(mine)
    # A retired system needs none, whatever its tier (AIMS401).
    required = policy.impact_assessment and system.stage != "retired"
    if chosen is None:
        return {
            "id": "",
            "status": "none",
            "not_counted": "",
            "required": required,
            "next_review": "",
            "unapproved": False,
            "overdue": False,
            "count": 0,
            "decision": "",
        }
    until = review_date(chosen, policy)  # none for one not approved that sets none
    return {
        "id": chosen.id,
        "status": chosen.status,
        "not_counted": approval_not_counted(repo, chosen),
        "required": required,
        "next_review": until.isoformat() if until is not None else "",
        "unapproved": until is not None and unapproved(chosen),
        "overdue": review_overdue(repo, chosen, until),
        "count": len(mine),
        # "approved" beside do-not-proceed must not read as the system approved.
        "decision": chosen.decision or "",
    }


def data_context(system: AISystem) -> list[Context]:
    """The system's data in life-cycle order (training to output), then by name."""
    order = {stage: index for index, stage in enumerate(DATA_STAGES)}
    return [
        {
            "name": entry.name,
            "stage": entry.stage,
            "source": entry.source or "",
            "personal": entry.personal,
            "sensitive": entry.sensitive,
            "provenance": entry.provenance or "",
        }
        for entry in sorted(system.data, key=lambda e: (order[e.stage], e.name))
    ]


def system_row(repo: Repository, system: AISystem) -> Context:
    tier = repo.tiers[system.id]
    regulation = system.regulation
    open_risks = [
        risk_summary(repo, risk)
        for risk in repo.risks_by_system.get(system.id, [])
        if risk.status != "closed"
    ]
    return {
        "id": system.id,
        "anchor": html_id("s", system.id),
        "title": system.title,
        "owner": system.owner,
        "purpose": system.purpose,
        "type": system.type,
        "stage": system.stage,
        "tier": tier,
        "tier_css": band_css(repo, tier),
        "oversight": {
            "mode": system.human_oversight.mode,
            "description": system.human_oversight.description or "",
        },
        "eu_ai_act": (regulation.eu_ai_act or "") if regulation else "",
        "eu_role": (regulation.eu_role or "") if regulation else "",
        "nyc_aedt": bool(regulation and regulation.nyc_aedt),
        "colorado_consequential": bool(regulation and regulation.colorado_consequential),
        "ai_roles": list(system.ai_roles),
        "jurisdictions": list(system.jurisdictions),
        "data": data_context(system),
        "third_parties": [
            {"name": party.name, "supplies": party.supplies} for party in system.third_parties
        ],
        "open_risks": open_risks,
        "assessment": assessment_context(repo, system),
    }


def system_rows(repo: Repository, systems: list[AISystem], shared: Shared) -> list[Context]:
    """The rows of ``systems``, each made once per render."""
    return [shared.once("system", s.id, partial(system_row, repo, s)) for s in systems]


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    rows = system_rows(repo, repo.of_kind(AISystem), shared or Shared())
    tiers: list[Context] = []
    for name in [*reversed(repo.scorer.bands), "unassessed"]:
        count = sum(1 for row in rows if row["tier"] == name)
        tiers.append({"name": name, "css": band_css(repo, name), "count": count})
    return {
        "systems": rows,
        "tier_counts": tiers,
        "stage_counts": [
            {"name": stage, "count": sum(1 for row in rows if row["stage"] == stage)}
            for stage in ("proposed", "development", "validation", "production", "retired")
        ],
    }
