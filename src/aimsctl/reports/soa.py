"""The Statement of Applicability (ISO/IEC 42001 6.1.3): every Annex A control, then ours.

Controls are grouped as the catalogue groups them: by area, and in A.6 by its two
objectives (A.6.1, A.6.2). Which risks a control treats is derived from the risks'
treatments; a control of the catalogue with no record is shown as missing, never
left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimsctl.catalog import annex_a, annex_a_areas
from aimsctl.records import Control, Waiver
from aimsctl.reports.common import Context, Shared, reference, risk_summary, risks_by_control
from aimsctl.rules.management import status_not_met
from aimsctl.rules.placeholders import waiver_not_in_force
from aimsctl.rules.soa import evidence_path_problem, shows_nothing, treatment_control_problem
from aimsctl.soa import decided, justified, qualified_status, refused_controls
from aimsctl.text import failing_validation, html_id, natural_key
from aimsctl.vocabulary import CONTROL_STATUS_ORDER

if TYPE_CHECKING:
    from aimsctl.records import Risk
    from aimsctl.repository import Repository

STATUSES = tuple(reversed(CONTROL_STATUS_ORDER))  # most done first
STATES = ("applicable", "excluded", "placeholder", "unjustified", "missing", "invalid")
UNDECIDED = ("placeholder", "unjustified", "missing", "invalid")


def _state(repo: Repository, control_id: str, control: Control | None) -> str:
    if control is not None and not decided(control):
        return "placeholder"  # the starter's text, not a decision
    if control is not None and not justified(control):
        return "unjustified"  # no reason given (AIMS203): no decision either
    if control is not None:
        return "applicable" if control.applicable else "excluded"
    return "invalid" if control_id in refused_controls(repo) else "missing"


def _not_counted(repo: Repository, path: str) -> str:
    """Why evidence at ``path`` does not count, in the words the table shows; ""."""
    if (problem := evidence_path_problem(repo, path)) is not None:
        return f"cannot be inspected: {problem}"
    if (nothing := shows_nothing(repo, path)) is not None:
        return f"not counted as evidence: {nothing}"
    return ""


def _row(
    repo: Repository,
    control_id: str,
    title: str,
    control: Control | None,
    treats: dict[str, list[Risk]],
    base: str | None,
    unmet: dict[str, dict[str, str]],
) -> Context:
    evidence = []
    if control is not None:
        for item in control.evidence:
            target = item.path if item.path is not None else item.url
            assert target is not None  # the model requires exactly one of them
            evidence.append(
                reference(repo, target, base)
                | {
                    "description": item.description or "",
                    "date": item.date.isoformat() if item.date else "",
                    # A path validate refuses (AIMS206) is evidence nobody can open, and
                    # a governance record states the claim (AIMS503): said beside it,
                    # as readiness does not count it.
                    "problem": _not_counted(repo, item.path) if item.path is not None else "",
                }
            )
    systems = [] if control is None else sorted(dict.fromkeys(control.systems))
    state = _state(repo, control_id, control)
    status = (control.status or "") if control and state == "applicable" else ""
    not_met = list(unmet.get(control_id, {}).values()) if status else []
    # A treatment naming a control that does not apply to its risk (excluded, or scoped
    # to other systems) gets no credit from it (AIMS205): that risk is not treated here.
    treated: list[Context] = []
    relied_on: list[Context] = []
    for risk in treats.get(control_id, []):
        problem = treatment_control_problem(control, risk) if control is not None else None
        summary = risk_summary(repo, risk)
        if problem is None:
            treated.append(summary)
        else:
            relied_on.append(summary | {"problem": problem})
    return {
        "id": control_id,
        "anchor": html_id("c", control_id),
        "title": title,
        "state": state,
        "justification": control.justification if control else "",
        "basis": list(control.basis) if control else [],
        # An implementation status only means something for a control that applies: one
        # left over on an excluded or undecided control claims nothing, as `aimsctl
        # controls` and the OSCAL export say.
        "status": status,
        # Why the organization's own open nonconformities record the control as not
        # met, as readiness and `obligations` say it: the status stays the record's,
        # and the table shows it qualified, so that the SoA never shows as plainly
        # implemented what a finding of the organization says is not.
        "not_met": not_met,
        "qualified": qualified_status(status, not_met) if status else "",
        "owner": (control.owner or "") if control else "",
        # The last review (`reviewed.on`); empty when the control was never reviewed.
        "reviewed": control.reviewed.on.isoformat() if control and control.reviewed else "",
        "implementation": (control.implementation or "") if control else "",
        "evidence": evidence,
        "risks": treated,
        "relied_on": relied_on,
        "systems": systems,
        # Scope only means something for a control that applies.
        "all_systems": control is not None and control.applicable and not systems,
    }


def _counts(rows: list[Context]) -> Context:
    counts: Context = {"total": len(rows)}
    for state in STATES:
        counts[state] = sum(1 for row in rows if row["state"] == state)
    counts["undecided"] = sum(counts[state] for state in UNDECIDED)
    for status in STATUSES:
        counts[status.replace("-", "_")] = sum(
            1 for row in rows if row["state"] == "applicable" and row["status"] == status
        )
    counts["no_status"] = sum(
        1 for row in rows if row["state"] == "applicable" and row["status"] not in STATUSES
    )
    counts["not_met"] = sum(1 for row in rows if row["not_met"])
    return counts


def _waivers(repo: Repository) -> list[Context]:
    """Approved exceptions to aimsctl's rules, with whether each is still in force: one
    approved by a `TODO:` placeholder never is (the engine applies it to nothing)."""
    return [
        {
            "id": waiver.id,
            "title": waiver.title,
            "rule": waiver.rule,
            "records": list(waiver.records),
            "justification": waiver.justification,
            "approved_by": waiver.approved_by,
            # Why it waives nothing though not expired (no approver, a key given twice).
            "unapproved": waiver_not_in_force(repo, waiver) or "",
            "expires": waiver.expires.isoformat(),
            "expired": waiver.expires < repo.as_of,
        }
        for waiver in repo.of_kind(Waiver)
    ]


def crosswalk_context() -> Context:
    """For ``report soa --crosswalk``: each Annex A control's NIST AI RMF subcategories
    and EU AI Act articles, each link flagged when it is analytic and with its note
    (a published link read from a partial transcription says so), the control's note
    (a published row whose label could not be read), and what the confidences mean."""
    from aimsctl.catalog.crosswalk import ANALYTIC_MEANING, NO_OFFICIAL_AI_ACT, crosswalk

    walk = crosswalk()
    published = next(s for s in walk.sources if s.confidence == "published")
    rows = [
        {
            "id": control.id,
            "anchor": html_id("x", control.id),
            "title": control.title,
            "nist": [
                {"id": link.cited, "analytic": link.analytic, "note": link.note or ""}
                for link in walk.of_control(control.id)
                if link.framework == "nist-ai-rmf"
            ],
            "note": walk.notes.get(control.id, ""),
            "act": [
                {"id": link.cited, "analytic": link.analytic, "note": link.note or ""}
                for link in walk.of_control(control.id)
                if link.framework == "eu-ai-act"
            ],
        }
        for control in annex_a().values()
    ]
    return {
        "version": walk.version,
        "controls": rows,
        "published": f"{published.title} ({published.publisher}); {published.coverage}",
        "analytic": ANALYTIC_MEANING,
        "no_official": NO_OFFICIAL_AI_ACT,
    }


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    controls = {control.id: control for control in repo.of_kind(Control)}
    treats = risks_by_control(repo)
    unmet = status_not_met(repo)
    areas: list[Context] = []
    for area in annex_a_areas():
        rows = [
            _row(repo, c.id, c.title, controls.get(c.id), treats, base, unmet)
            for c in area.controls
        ]
        by_id = {row["id"]: row for row in rows}
        objectives = []
        for objective in area.objectives:  # only where the area has more than one
            mine = [by_id[c.id] for c in objective.controls]
            objectives.append(
                {
                    "id": objective.id,
                    "anchor": html_id("objective", objective.id),
                    "title": objective.title,
                    "controls": mine,
                    "counts": _counts(mine),
                }
            )
        areas.append(
            {
                "id": area.id,
                "anchor": html_id("area", area.id),
                "title": area.title,
                "controls": rows,
                "objectives": objectives,
                "counts": _counts(rows),
            }
        )
    catalogue = annex_a()
    organization = [
        _row(repo, control.id, control.title or control.id, control, treats, base, unmet)
        for control_id, control in sorted(controls.items())
        if control_id not in catalogue
    ]
    annex_rows = [row for area in areas for row in area["controls"]]
    return {
        "areas": areas,
        "organization_controls": organization,
        "summary": {
            "annex_a": _counts(annex_rows),
            "organization": _counts(organization),
            "all": _counts(annex_rows + organization),
        },
        "statuses": list(STATUSES),
        # The rows whose status an open nonconformity records as not met, in table order.
        "not_met": [
            {"id": row["id"], "anchor": row["anchor"], "status": row["status"]}
            for row in annex_rows + organization
            if row["not_met"]
        ],
        "waivers": _waivers(repo),
        # A waiver failing validation waives nothing and has no row: said, so that the
        # table (or "No waivers are recorded") does not pass for every waiver on record.
        "waivers_left_out": _waivers_left_out(repo),
    }


def _waivers_left_out(repo: Repository) -> str:
    ids = sorted((i for i, kind in repo.invalid.items() if kind == Waiver.KIND), key=natural_key)
    if not ids:
        return ""
    rest = "it waives nothing and is" if len(ids) == 1 else "they waive nothing and are"
    return f"{failing_validation(ids)}, so {rest} not listed"
