"""AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5), one section each.

Impacts are scored on the risk scale by the one scoring engine. An impact on a
group that the assessment marks vulnerable takes the configured vulnerable
uplift, exactly as a risk with ``affects_vulnerable: true`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from aimsctl.catalog import annex_a
from aimsctl.records import Control, ImpactAssessment, Risk
from aimsctl.records.assessment import Dimension
from aimsctl.reports.common import Context, Shared, record_title, score_context, system_title
from aimsctl.reports.inventory import approval_not_counted, review_overdue, unapproved
from aimsctl.rules.governance import review_date
from aimsctl.rules.reviews import assessment_tier
from aimsctl.soa import control_states, implemented
from aimsctl.text import html_id

if TYPE_CHECKING:
    from aimsctl.repository import Repository

DIMENSIONS: tuple[str, ...] = get_args(Dimension)


NO_RECORD = "no Control record"


def _treatment_state(repo: Repository, risk: Risk) -> Context:
    """A Risk named as a mitigation: its treatment in words, and in place only where
    the scoring engine credits it (records-v2: completed by the as-of date, or every
    control it names implemented), as the risk register credits its residual."""
    treatment = risk.treatment
    in_place = repo.risk_scores[risk.id].in_place
    if treatment is None:
        return {"status": "no treatment recorded", "in_place": False}
    said = f"treatment {treatment.option}"
    completed = treatment.completed
    if in_place and completed is not None and completed <= repo.as_of:
        return {"status": f"{said}, completed {completed}", "in_place": True}
    if in_place:
        return {"status": f"{said}, every control it names implemented", "in_place": True}
    if completed is not None:  # not in place, so completed after the as-of date
        said = f"{said}, completed only on {completed}"
    else:
        said = f"{said}, no completed date"
    if treatment.controls:
        said = f"{said}, not every control it names implemented"
    return {"status": said, "in_place": False}


def _mitigation(
    repo: Repository, record_id: str, system_id: str, states: dict[str, str]
) -> Context:
    """A mitigation of an impact; a control with its state as the SoA decides it, and
    whether it is in place for the assessed system (as a risk's residual counts it: no
    credit for a treatment that is only planned, undecided or scoped elsewhere); a
    risk with its treatment, in place only once carried out."""
    kind = repo.kind_of(record_id)
    entry = repo.entries.get(record_id)
    control = entry.record if entry is not None and isinstance(entry.record, Control) else None
    risk = entry.record if entry is not None and isinstance(entry.record, Risk) else None
    state: Context | None = None
    if kind == "Control" or (kind is None and record_id in annex_a()):
        status = states.get(record_id, NO_RECORD)
        in_place = control is not None and implemented(control)
        if control is not None and in_place and control.left_out([system_id]):
            # Implemented, but its scope names other systems only.
            status, in_place = f"{status}, not for {system_id}", False
        state = {"status": status, "in_place": in_place}
    return {
        "id": record_id,
        "kind": kind or "",
        "title": record_title(repo, record_id),
        "control": state,
        "risk": _treatment_state(repo, risk) if risk is not None else None,
    }


def _assessment(repo: Repository, assessment: ImpactAssessment, states: dict[str, str]) -> Context:
    order = {name: index for index, name in enumerate(DIMENSIONS)}
    impacts: list[Context] = []
    indexed = sorted(enumerate(assessment.impacts), key=lambda p: (order[p[1].dimension], p[0]))
    for _, impact in indexed:
        on_vulnerable = assessment.on_vulnerable(impact)
        score = repo.scorer.impact(impact, vulnerable=on_vulnerable)
        impacts.append(
            {
                "dimension": impact.dimension,
                "scope": impact.scope,
                "groups": list(impact.groups),
                "description": impact.description,
                "on_vulnerable": on_vulnerable,
                "uplift": score.uplift,
                "score": score_context(repo, score),
                "mitigations": [
                    _mitigation(repo, record_id, assessment.system, states)
                    for record_id in dict.fromkeys(impact.mitigations)
                ],
            }
        )
    explicit = assessment.next_review is not None
    # As AIMS502 and `due` count it: a system that fails validation has no tier to
    # read, so the shortest period of any tier runs, and the source says why.
    tier = assessment_tier(repo, assessment)
    review = review_date(assessment, repo.config.policy(tier.name))
    period = f"({tier.note()})" if tier.unjudged else f"of tier {tier.name}"
    return {
        "id": assessment.id,
        "anchor": html_id("ia", assessment.id),
        "title": assessment.title,
        "description": assessment.description or "",
        "owner": assessment.owner or "",
        "system": {"id": assessment.system, "title": system_title(repo, assessment.system)},
        "status": assessment.status,
        # Marked approved, but not an approval AIMS401 counts (dated later, no one's,
        # by someone holding no Role): said beside the status, as the inventory says it.
        "not_counted": approval_not_counted(repo, assessment),
        "assessed": {"on": assessment.assessed.on.isoformat(), "by": assessment.assessed.by},
        "approval": None
        if assessment.approval is None
        else {"by": assessment.approval.by, "on": assessment.approval.on.isoformat()},
        "next_review": review.isoformat() if review is not None else "",
        "review_unapproved": review is not None and unapproved(assessment),
        "next_review_source": (
            "set in the assessment, which is not approved"
            if unapproved(assessment)
            else "set in the assessment"
        )
        if explicit
        else f"assessed date plus the review period {period}"
        if review is not None
        else "none set; the tier's review period runs for an approved assessment only",
        "review_overdue": review_overdue(repo, assessment, review),
        "decision": assessment.decision or "",
        "conclusion": assessment.conclusion or "",
        "stakeholders": [
            {
                "group": s.group,
                "vulnerable": s.vulnerable,
                "concerns": list(s.concerns),
                "engagement": [
                    {"method": e.method, "on": e.on.isoformat(), "summary": e.summary or ""}
                    for e in sorted(s.engagement, key=lambda e: e.on)
                ],
            }
            for s in assessment.stakeholders
        ],
        "vulnerable_groups": sorted({s.group for s in assessment.stakeholders if s.vulnerable}),
        "impacts": impacts,
    }


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    assessments = sorted(
        repo.of_kind(ImpactAssessment), key=lambda a: (a.system, a.assessed.on, a.id)
    )
    states = control_states(repo)
    rows = [_assessment(repo, assessment, states) for assessment in assessments]
    counts = [
        {
            "name": status,
            "count": sum(1 for row in rows if row["status"] == status and not row["not_counted"]),
        }
        for status in ("approved", "in-review", "draft", "superseded")
    ]
    # An approval that does not count is not counted as one; named apart when there is one.
    if uncounted := sum(1 for row in rows if row["not_counted"]):
        counts.insert(1, {"name": "marked approved but not counted", "count": uncounted})
    return {
        "assessments": rows,
        "status_counts": counts,
        "vulnerable_uplift": repo.config.risk.vulnerable_uplift,
    }
