"""AIMS401-AIMS409: impact assessments and oversight proportional to the system tier, and
tiers aims.yaml asks less of than the default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rule_support import ACCEPTED, Cli, Make, at, of, validate

from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, FileContent
from factory import OMIT, Record, assessment, control, levels, risk, role, system

# An assessment that is not approved records no approval and no decision.
UNAPPROVED: dict[str, Any] = {"approval": OMIT, "decision": OMIT}


def _assessed(on: str) -> dict[str, Any]:
    """An approved assessment made, and approved, on ``on``."""
    return {
        "assessed": {"on": on, "by": "dpo@acme.example"},
        "approval": {"by": "cro@acme.example", "on": on},
    }


def _high(system_id: str) -> Record:
    """A risk that makes ``system_id`` high tier (4 x 4 = 16, accepted)."""
    return risk(f"R-{system_id}", systems=[system_id], inherent=levels(4, 4), acceptance=ACCEPTED)


# --- AIMS401 impact-assessment-required ---------------------------------------------


def test_high_tier_systems_need_a_current_approved_assessment(make_repo: Make, cli: Cli) -> None:
    # Default governance: high -> impact_assessment, review_days 180.
    names = ["NONE", "DRAFT", "LAPSED", "DEFAULT", "OLD"]
    files: dict[str, FileContent] = {"controls/annex-a.yaml": EXCLUDED_SOA}
    for name in names:
        files[f"systems/{name}.yaml"] = system(name)
        files[f"risks/{name}.yaml"] = _high(name)
    files["assessments/draft.yaml"] = [
        assessment("IA-D", system="DRAFT", status="draft", **UNAPPROVED),
        assessment("IA-R", system="DRAFT", status="in-review", **UNAPPROVED),
    ]
    files["assessments/lapsed.yaml"] = assessment("IA-L", system="LAPSED", next_review="2026-11-25")
    # 2026-05-29 + 180 days = 2026-11-25, one day before AS_OF.
    files["assessments/default.yaml"] = assessment(
        "IA-X", system="DEFAULT", **_assessed("2026-05-29")
    )
    files["assessments/old.yaml"] = [
        assessment("IA-OLD", system="OLD", status="superseded", **UNAPPROVED),
        assessment("IA-OLD2", system="OLD", **_assessed("2025-01-01")),
    ]
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS401") == [
        ("systems/DEFAULT.yaml", 1, 1),
        ("systems/DRAFT.yaml", 1, 1),
        ("systems/LAPSED.yaml", 1, 1),
        ("systems/NONE.yaml", 1, 1),
        ("systems/OLD.yaml", 1, 1),
    ]
    prefix = "tier 'high' requires a current approved impact assessment, but "
    assert {d["record"]: d["message"].removeprefix(prefix) for d in of(found, "AIMS401")} == {
        "DEFAULT": "approved IA-X expired on 2026-11-25",
        "DRAFT": "IA-D is only a draft; IA-R is still in review",
        "LAPSED": "approved IA-L expired on 2026-11-25",
        "NONE": "there is none",
        "OLD": "approved IA-OLD2 expired on 2025-06-30; IA-OLD is superseded",
    }


def test_a_retired_system_needs_no_assessment_nor_oversight(make_repo: Make, cli: Cli) -> None:
    """A retired system with an open critical risk still carried (its data kept, say)
    was asked for a current approved assessment (AIMS401, and `due` owed one now) and
    in-the-loop oversight (AIMS402), though the docs say retiring a system asks for no
    new assessment and its last one is not due for review (AIMS502)."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(stage="retired", human_oversight={"mode": "none"}),
        "systems/SYS-2.yaml": system("SYS-2", human_oversight={"mode": "none"}),
        "risks/R-1.yaml": risk(inherent=levels(5, 5), acceptance=ACCEPTED),
        "risks/R-2.yaml": risk(
            "R-2", systems=["SYS-2"], inherent=levels(5, 5), acceptance=ACCEPTED
        ),
    }
    root = make_repo(files)
    found = validate(cli, root)
    # The one still in use is asked for both; the retired one for neither.
    assert [d["record"] for d in of(found, "AIMS401")] == ["SYS-2"]
    assert [d["record"] for d in of(found, "AIMS402")] == ["SYS-2"]
    owed = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [i["record"] for i in owed["items"] if i["item"] == "impact-assessment"] == ["SYS-2"]
    # Nor does the inventory call one required for it.
    inventory = cli("report", "inventory", root, "--out", "-", "--as-of", AS_OF, "--force")
    rows = [line for line in inventory.stdout.splitlines() if line.startswith("| SYS-")]
    assert [row.split()[1] for row in rows if "(required for this tier)" in row] == ["SYS-2"]


def test_an_approval_not_recorded_or_by_no_role_is_no_current_assessment(
    make_repo: Make, cli: Cli
) -> None:
    """AIMS403 says the approval is missing or signed by someone holding no Role; the
    assessment counted as the system's current approved one all the same, so AIMS401
    and due stayed silent."""
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "roles/ROLE-1.yaml": role(),  # held by ceo@acme.example
        "assessments/a.yaml": [
            assessment("IA-1", system="BARE", approval=OMIT),
            assessment("IA-2", system="INTERN", approval={"by": "intern", "on": "2026-06-01"}),
        ],
    }
    for name in ("BARE", "INTERN"):
        files[f"systems/{name}.yaml"] = system(name)
        files[f"risks/{name}.yaml"] = _high(name)
    root = make_repo(files)
    found = validate(cli, root)
    prefix = "tier 'high' requires a current approved impact assessment, but "
    assert {d["record"]: d["message"].removeprefix(prefix) for d in of(found, "AIMS401")} == {
        "BARE": "IA-1 says approved without recording the approval (by, on)",
        "INTERN": "IA-2 is approved by 'intern', who holds no Role",
    }
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)
    owed = [i["record"] for i in due["items"] if i["what"].startswith("a current approved")]
    assert owed == ["BARE", "INTERN"]


def test_an_assessment_signed_by_a_placeholder_is_no_current_assessment(
    make_repo: Make, cli: Cli
) -> None:
    """An approval `by: "TODO: who approves"` (or an assessment `by: "TODO: ..."`)
    counted as the system's current approved assessment, so AIMS401 and `due` said
    nothing: nobody had approved or assessed anything. Neither counts now, the message
    says why, and AIMS403 reports the placeholder approver (with or without Roles)."""
    todo = "TODO: who approves"
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "assessments/a.yaml": [
            assessment("IA-1", system="SIGNED", approval={"by": todo, "on": "2026-06-01"}),
            assessment("IA-2", system="ASSESSED", assessed={"on": "2026-06-01", "by": todo}),
        ],
    }
    for name in ("SIGNED", "ASSESSED"):
        files[f"systems/{name}.yaml"] = system(name)
        files[f"risks/{name}.yaml"] = _high(name)
    root = make_repo(files)
    found = validate(cli, root, schema_ok=False)
    prefix = "tier 'high' requires a current approved impact assessment, but "
    assert {d["record"]: d["message"].removeprefix(prefix) for d in of(found, "AIMS401")} == {
        "SIGNED": "IA-1 names a placeholder (TODO:) as approval.by, so it does not count as "
        "approved",
        "ASSESSED": "IA-2 names a placeholder (TODO:) as assessed.by, so it does not count as "
        "approved",
    }
    assert [(d["record"], d["pointer"], d["message"]) for d in of(found, "AIMS403")] == [
        (
            "IA-1",
            "/approval/by",
            "'TODO: who approves' is a placeholder (TODO:): nobody has signed it yet",
        )
    ]
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)
    owed = [i["record"] for i in due["items"] if i["what"].startswith("a current approved")]
    assert owed == ["ASSESSED", "SIGNED"]


def test_current_assessments_and_lower_tiers_pass_aims401(make_repo: Make, cli: Cli) -> None:
    files: dict[str, FileContent] = {"controls/annex-a.yaml": EXCLUDED_SOA}
    for name in ("ON-DAY", "DEFAULT", "NEWER", "MEDIUM", "UNASSESSED"):
        files[f"systems/{name}.yaml"] = system(name)
    for name in ("ON-DAY", "DEFAULT", "NEWER"):
        files[f"risks/{name}.yaml"] = _high(name)
    files["risks/MEDIUM.yaml"] = risk("R-MEDIUM", systems=["MEDIUM"], inherent=levels(3, 3))
    files["assessments/a.yaml"] = [
        assessment("IA-1", system="ON-DAY", next_review="2026-11-26"),
        # 2026-05-30 + 180 days = 2026-11-26 = AS_OF: still current.
        assessment("IA-2", system="DEFAULT", **_assessed("2026-05-30")),
        # A lapsed assessment does not matter once a current one exists.
        assessment("IA-3", system="NEWER", next_review="2026-01-01"),
        assessment("IA-4", system="NEWER", **_assessed("2026-10-01")),
    ]
    assert at(validate(cli, make_repo(files)), "AIMS401") == []


def test_governance_policy_comes_from_aims_yaml(make_repo: Make, cli: Cli) -> None:
    # Here medium systems need an assessment too; high ones do not.
    config = MINIMAL_CONFIG + (
        "governance:\n"
        "  medium: {review_days: 30, impact_assessment: true}\n"
        "  high: {review_days: 30, impact_assessment: false}\n"
    )
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/MED.yaml": system("MED"),
        "systems/HIGH.yaml": system("HIGH"),
        "risks/MED.yaml": risk("R-MED", systems=["MED"], inherent=levels(3, 3)),
        "risks/HIGH.yaml": _high("HIGH"),
        # assessed 2026-10-20 + 30 days = 2026-11-19: lapsed under this policy.
        "assessments/med.yaml": assessment("IA-MED", system="MED", **_assessed("2026-10-20")),
    }
    found = validate(cli, make_repo(files, config))
    assert [d["message"] for d in of(found, "AIMS401")] == [
        "tier 'medium' requires a current approved impact assessment, but approved IA-MED "
        "expired on 2026-11-19",
    ]


# --- AIMS409 governance-below-default --------------------------------------------


def test_a_tier_asking_less_than_its_default_is_said(make_repo: Make, cli: Cli) -> None:
    """`critical: {review_days: 3650, impact_assessment: false, ...}` took every demand off
    the riskiest systems in one line, and validate and status read clean (leftover of the
    gaming audits): each key that asks less is a warning at its place in aims.yaml. Keys
    left out take the default; a stricter key and governance not written at all are
    quiet."""
    config = MINIMAL_CONFIG + (
        "governance:\n"
        "  critical: {review_days: 3650, impact_assessment: false,"
        " min_oversight: periodic-review, evaluation_days: null, monitoring: false}\n"
        "  high: {review_days: 90, evaluation_days: 400}\n"
        "  medium: {review_days: 365, evaluation_days: 730}\n"
    )
    found = of(validate(cli, make_repo({}, config), schema_ok=False), "AIMS409")
    assert [(d["pointer"], d["severity"], d["message"]) for d in found] == [
        (
            "/governance/critical/review_days",
            "warning",
            "tier 'critical' asks less: a review every 3650 days, where the default for it "
            "asks one every 90",
        ),
        (
            "/governance/critical/impact_assessment",
            "warning",
            "tier 'critical' asks less: no impact assessment, where the default for it asks one",
        ),
        (
            "/governance/critical/min_oversight",
            "warning",
            "tier 'critical' asks less: 'periodic-review' as the least oversight, where the "
            "default for it asks 'human-in-the-loop'",
        ),
        (
            "/governance/critical/evaluation_days",
            "warning",
            "tier 'critical' asks less: no evaluation, where the default for it asks one "
            "within 180 days",
        ),
        (
            "/governance/critical/monitoring",
            "warning",
            "tier 'critical' asks less: no monitor for a system in production, where the "
            "default for it asks one",
        ),
        (
            "/governance/high/evaluation_days",
            "warning",
            "tier 'high' asks less: an evaluation within 400 days, where the default for it "
            "asks one within 365 days",
        ),
    ]
    assert {d["path"] for d in found} == {"aims.yaml"}
    assert of(validate(cli, make_repo({}), schema_ok=False), "AIMS409") == []


def test_a_renamed_tier_asking_less_than_the_tier_below_is_said(make_repo: Make, cli: Cli) -> None:
    """Renaming the band `high` to `elevated` took the default away, and with it every
    demand on those systems (review): a tier asking less than the one below it on the
    scale is said too, whatever the names."""
    config = MINIMAL_CONFIG + (
        "risk:\n  bands: [{name: low, max: 4}, {name: medium, max: 9},"
        " {name: elevated, max: 16}, {name: severe, max: 25}]\n"
        "  appetite: medium\n"
        "governance:\n"
        "  elevated: {review_days: 3650, impact_assessment: false, min_oversight: none}\n"
        "  severe: {review_days: 30}\n"
    )
    found = of(validate(cli, make_repo({}, config), schema_ok=False), "AIMS409")
    assert [(d["pointer"], d["message"]) for d in found] == [
        (
            "/governance/elevated/review_days",
            "tier 'elevated' asks less: a review every 3650 days, where tier 'medium', below "
            "it, asks one every 365",
        ),
        (
            "/governance/elevated/min_oversight",
            "tier 'elevated' asks less: 'none' as the least oversight, where tier 'medium', "
            "below it, asks 'periodic-review'",
        ),
        # a tier of another name takes no default for the keys it leaves out
        (
            "/governance/severe/min_oversight",
            "tier 'severe' asks less: 'none' as the least oversight, where tier 'medium', "
            "below it, asks 'periodic-review'",
        ),
    ]
    # the demand is named where it is made, not the tier it was passed up to, and the
    # strictest of them: the default for 'high' asks 180 days, 'low' asks 60
    passed_up = MINIMAL_CONFIG + (
        "governance:\n  low: {review_days: 60}\n  high: {review_days: 180}\n  critical: {}\n"
    )
    found = of(validate(cli, make_repo({}, passed_up), schema_ok=False), "AIMS409")
    assert [d["message"] for d in found] == [
        "tier 'high' asks less: a review every 180 days, where tier 'low', below it, asks one "
        "every 60",
        "tier 'critical' asks less: a review every 90 days, where tier 'low', below it, asks "
        "one every 60",
    ]


# --- AIMS402 oversight-below-tier ---------------------------------------------------


def test_oversight_below_the_tier_minimum(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(human_oversight={"mode": "human-on-the-loop"}),
        "risks/R-1.yaml": risk(inherent=levels(5, 5), acceptance=ACCEPTED),  # critical
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS402") == [("systems/SYS-1.yaml", 9, 9)]
    assert of(found, "AIMS402")[0]["message"] == (
        "human oversight 'human-on-the-loop' is below 'human-in-the-loop', the minimum for "
        "tier 'critical'"
    )
    assert of(found, "AIMS402")[0]["pointer"] == "/human_oversight/mode"


def test_oversight_meeting_the_tier_minimum_passes(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        # Enough for SYS-1's high tier and SYS-2's medium one; SYS-3 is unassessed.
        "systems/SYS-1.yaml": system(human_oversight={"mode": "human-on-the-loop"}),
        "systems/SYS-2.yaml": system("SYS-2", human_oversight={"mode": "periodic-review"}),
        "systems/SYS-3.yaml": system("SYS-3", human_oversight={"mode": "none"}),
        "risks/R-1.yaml": _high("SYS-1"),
        "risks/R-2.yaml": risk("R-2", systems=["SYS-2"], inherent=levels(3, 3)),
    }
    assert at(validate(cli, make_repo(files)), "AIMS402") == []


# --- AIMS403 approval-incomplete ----------------------------------------------------


def test_approved_assessment_without_approval_or_decision(make_repo: Make, cli: Cli) -> None:
    bare = assessment(**UNAPPROVED)
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA-1.yaml": bare,
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS403") == [("assessments/IA-1.yaml", 5, 9)] * 2
    assert [d["message"] for d in of(found, "AIMS403")] == [
        "assessment is approved but does not record the approval (by, on)",
        "assessment is approved but records no decision (proceed, proceed-with-conditions "
        "or do-not-proceed)",
    ]


def test_an_approval_by_no_role_where_roles_are_recorded(make_repo: Make, cli: Cli) -> None:
    """Written by hand, as `assessment approve` would refuse it; by a Role's holder or
    id it passes, and where no Role is recorded anyone may sign."""
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA-1.yaml": assessment(
            approval={"by": "intern@acme.example", "on": "2026-06-02"}
        ),
        "roles/ROLE-1.yaml": role(),  # held by ceo@acme.example
    }
    found = of(validate(cli, make_repo(files)), "AIMS403")
    assert [(d["message"], d["pointer"]) for d in found] == [
        (
            "'intern@acme.example' holds no Role (neither a Role id nor a holder); where "
            "Roles are recorded, an assessment is approved by a designated role",
            "/approval/by",
        )
    ]
    for by in ("ceo@acme.example", "ROLE-1"):
        files["assessments/IA-1.yaml"] = assessment(approval={"by": by, "on": "2026-06-02"})
        assert of(validate(cli, make_repo(files)), "AIMS403") == [], by


def test_complete_approval_and_drafts_pass_aims403(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA.yaml": [assessment(), assessment("IA-2", status="draft", **UNAPPROVED)],
    }
    assert at(validate(cli, make_repo(files)), "AIMS403") == []


# --- AIMS404 approval-before-assessment ---------------------------------------------


def test_approval_dated_before_the_assessment(make_repo: Make, cli: Cli) -> None:
    early = assessment(approval={"by": "cro@acme.example", "on": "2026-05-31"})
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA-1.yaml": early,
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS404") == [("assessments/IA-1.yaml", 11, 7)]
    assert of(found, "AIMS404")[0]["message"] == (
        "approved on 2026-05-31, before the assessment was made on 2026-06-01"
    )


def test_approval_on_the_day_of_the_assessment_passes(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA-1.yaml": assessment(),
    }
    assert at(validate(cli, make_repo(files)), "AIMS404") == []


# --- AIMS405 assessment-says-do-not-proceed -----------------------------------------


def test_a_system_running_against_its_do_not_proceed_decision(make_repo: Make, cli: Cli) -> None:
    files: dict[str, FileContent] = {"controls/annex-a.yaml": EXCLUDED_SOA}
    for name, stage in (("PROD", "production"), ("DEV", "development"), ("GONE", "retired")):
        files[f"systems/{name}.yaml"] = system(name, stage=stage)
        files[f"assessments/{name}.yaml"] = assessment(
            f"IA-{name}", system=name, decision="do-not-proceed"
        )
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS405") == [("systems/DEV.yaml", 7, 8), ("systems/PROD.yaml", 7, 8)]
    assert of(found, "AIMS405")[1]["message"] == (
        "system is in production, but its approved impact assessment IA-PROD decided "
        "do-not-proceed; stop the system or reassess it"
    )


def test_a_later_approved_assessment_allowing_it_passes_aims405(make_repo: Make, cli: Cli) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(stage="production"),
        "assessments/a.yaml": [
            assessment("IA-1", decision="do-not-proceed", **_assessed("2026-01-10")),
            assessment("IA-2", decision="proceed-with-conditions", **_assessed("2026-06-01")),
            # Not approved: it decides nothing yet.
            assessment("IA-3", status="draft", decision="do-not-proceed", approval=OMIT),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS405") == []


# --- AIMS406 impact-above-appetite-unmitigated --------------------------------------


def _impact(likelihood: str, severity: str, **fields: Any) -> dict[str, Any]:
    return {
        "dimension": "fairness",
        "scope": "group",
        "description": "Fewer offers to older applicants.",
        "likelihood": likelihood,
        "severity": severity,
        **fields,
    }


def test_an_impact_above_appetite_with_no_mitigation(make_repo: Make, cli: Cli) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/a.yaml": assessment(
            impacts=[_impact("Likely", "Major"), _impact("Rare", "Minor")]
        ),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS406") == [("assessments/a.yaml", 14, 5)]
    assert of(found, "AIMS406")[0]["message"].startswith(
        "fairness impact is high (score 16), above the appetite 'medium', and names no mitigation"
    )


def test_mitigated_low_and_superseded_impacts_pass_aims406(make_repo: Make, cli: Cli) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "risks/R-1.yaml": risk("R-1"),
        "assessments/a.yaml": [
            assessment("IA-1", impacts=[_impact("Likely", "Major", mitigations=["R-1"])]),
            assessment(
                "IA-0", status="superseded", impacts=[_impact("Likely", "Major")], **UNAPPROVED
            ),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS406") == []


def test_a_mitigation_that_does_not_apply_to_the_system_does_not_answer(
    make_repo: Make, cli: Cli
) -> None:
    """SYS-1's impact names a risk of SYS-2, an excluded control and a control scoped to
    SYS-2: none carries it into SYS-1's register, so AIMS406 reports it and says why;
    a control in force for SYS-1 (or a risk of SYS-1) answers it."""
    scoped = control("ORG-1", systems=["SYS-2"], status="implemented")
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": [scoped, control("ORG-2", systems=["SYS-1"])],
        "systems/SYS-1.yaml": system(),
        "systems/SYS-2.yaml": system("SYS-2"),
        "risks/R-2.yaml": risk("R-2", systems=["SYS-2"]),
        "assessments/a.yaml": assessment(
            impacts=[_impact("Likely", "Major", mitigations=["R-2", "A.7.4", "ORG-1"])]
        ),
    }
    found = of(validate(cli, make_repo(files)), "AIMS406")
    assert [f["message"] for f in found] == [
        "fairness impact is high (score 16), above the appetite 'medium', and names no "
        "mitigation that answers it for SYS-1 (R-2 is a risk of SYS-2; A.7.4 is excluded "
        "(applicable: false); ORG-1 applies to SYS-2 only); record it as a Risk of the "
        "system or name the Risk or Control that answers it"
    ]
    answered = _impact("Likely", "Major", mitigations=["R-2", "ORG-2"])
    files["assessments/a.yaml"] = assessment(impacts=[answered])
    assert of(validate(cli, make_repo(files)), "AIMS406") == []


def test_a_mitigation_of_another_kind_does_not_answer(make_repo: Make, cli: Cli) -> None:
    """A system or the assessment itself named as a mitigation is AIMS201; it answered
    the impact too, so AIMS406 stayed silent (and with AIMS201 waived, nothing was said)."""
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/a.yaml": assessment(
            impacts=[_impact("Likely", "Major", mitigations=["SYS-1", "IA-1"])]
        ),
    }
    found = validate(cli, make_repo(files))
    assert [f["message"] for f in of(found, "AIMS406")] == [
        "fairness impact is high (score 16), above the appetite 'medium', and names no "
        "mitigation that answers it for SYS-1 (SYS-1 is an AISystem, neither a Risk nor a "
        "Control; IA-1 is an ImpactAssessment, neither a Risk nor a Control); record it as "
        "a Risk of the system or name the Risk or Control that answers it"
    ]
    assert len(of(found, "AIMS201")) == 2


def test_a_placeholder_control_does_not_answer(make_repo: Make, cli: Cli) -> None:
    """ORG-1 still holds the starter's TODO justification: the SoA, `controls` and
    risk scoring call it undecided, yet it answered an impact above the appetite."""
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control("ORG-1", justification="TODO: why it applies"),
        "systems/SYS-1.yaml": system(),
        "assessments/a.yaml": assessment(
            impacts=[_impact("Likely", "Major", mitigations=["ORG-1"])]
        ),
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS406")
    assert [f["message"] for f in found] == [
        "fairness impact is high (score 16), above the appetite 'medium', and names no "
        "mitigation that answers it for SYS-1 (ORG-1 is not decided (its justification is "
        "a placeholder)); record it as a Risk of the system or name the Risk or Control "
        "that answers it"
    ]


def test_a_placeholder_control_is_not_decided_though_it_says_applicable_false(
    make_repo: Make, cli: Cli
) -> None:
    """A placeholder's `applicable: false` excludes nothing, as the SoA and `controls`
    say: AIMS406 called ORG-1 excluded."""
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control("ORG-1", justification="TODO: why", applicable=False),
        "systems/SYS-1.yaml": system(),
        "assessments/a.yaml": assessment(
            impacts=[_impact("Likely", "Major", mitigations=["ORG-1"])]
        ),
    }
    [found] = of(validate(cli, make_repo(files), schema_ok=False), "AIMS406")
    assert "(ORG-1 is not decided (its justification is a placeholder))" in found["message"]


# --- AIMS407 assessment-older-than-change -------------------------------------------


def _history(tmp_path: Path, approved_on: str) -> Path:
    """A system committed, assessed and approved on ``approved_on``, then changed in
    its purpose by a commit dated 2026-03-01 (GitRepo's clock)."""
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": yaml_of(system(reviewed={"on": "2026-11-01", "by": "a@b.c"})),
            "assessments/IA-1.yaml": yaml_of(assessment(**_assessed(approved_on))),
        }
    )
    repo.commit("Add the system")
    repo.write(
        {
            "systems/SYS-1.yaml": yaml_of(
                system(
                    purpose="Decide who gets a loan.",
                    reviewed={"on": "2026-11-01", "by": "a@b.c"},
                )
            )
        }
    )
    repo.commit("The system now decides")
    return repo.root


def test_an_assessment_approved_before_a_significant_change(tmp_path: Path, cli: Cli) -> None:
    found = validate(cli, _history(tmp_path, "2026-02-01"))
    assert at(found, "AIMS407") == [("systems/SYS-1.yaml", 1, 1)]
    assert of(found, "AIMS407")[0]["message"] == (
        "the system changed significantly on 2026-03-01, after its impact assessment IA-1 "
        "was approved on 2026-02-01; reassess it"
    )


def test_due_lists_the_reassessment_from_the_day_of_the_change(tmp_path: Path, cli: Cli) -> None:
    # AIMS407 is an error from the day of the change; due said nothing of it, so a team
    # working from `due` never saw the reassessment owed.
    import json

    root = _history(tmp_path, "2026-02-01")
    result = cli("due", root, "--as-of", AS_OF, "--format", "json", "--within", "0")
    assert result.exit_code == 0, result.stderr
    items = [i for i in json.loads(result.stdout)["items"] if i["record"] == "SYS-1"]
    owed = [(i["due"], i["overdue"], i["what"]) for i in items if i["item"] == "reassessment"]
    assert owed == [
        (
            "2026-03-01",
            True,
            "a new impact assessment (it changed significantly on 2026-03-01, after IA-1 "
            "was approved on 2026-02-01)",
        )
    ]
    # approved after the change: nothing owed
    later = cli(
        "due", _history(tmp_path / "later", "2026-03-02"), "--as-of", AS_OF, "--format", "json"
    )
    assert all(i["item"] != "reassessment" for i in json.loads(later.stdout)["items"])


def _committed_on(tmp_path: Path, added: str, changed: str) -> Path:
    """SYS-1, assessed and approved on 2026-02-01, added by a commit dated ``added``
    and changed in its purpose by one dated ``changed``."""
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")
    reviewed = {"on": "2026-02-01", "by": "a@b.c"}
    repo.write({"aims.yaml": MINIMAL_CONFIG, "controls/annex-a.yaml": EXCLUDED_SOA})
    repo.commit("Start", on="2026-01-10")
    repo.write(
        {
            "systems/SYS-1.yaml": yaml_of(system(reviewed=reviewed)),
            "assessments/IA-1.yaml": yaml_of(assessment(**_assessed("2026-02-01"))),
        }
    )
    repo.commit("Add the system", on=added)
    changed_system = system(purpose="Decide who gets a loan.", reviewed=reviewed)
    repo.write({"systems/SYS-1.yaml": yaml_of(changed_system)})
    repo.commit("The system now decides", on=changed)
    return repo.root


def _aims407_as_of(cli: Cli, root: Path, as_of: str) -> list[str]:
    """AIMS407's messages as of ``as_of``, the same fresh and cached."""
    said = []
    for extra in (("--no-cache",), ()):
        result = cli("validate", root, "--as-of", as_of, "--format", "json", *extra)
        found = json.loads(result.stdout)["diagnostics"]
        said.append([d["message"] for d in found if d["code"] == "AIMS407"])
    assert said[0] == said[1]
    return said[0]


def test_a_change_committed_after_the_as_of_date_is_dated_on_it(tmp_path: Path, cli: Cli) -> None:
    """The change is committed on 2026-03-01; judged as of 2026-02-20 (a pinned
    AIMSCTL_AS_OF, a committer's clock ahead) the commit was skipped and AIMS407 was
    silent, though the same change uncommitted is dated on the as-of day and reported
    (git-history audit). The files judged hold the change whenever it was committed."""
    root = _committed_on(tmp_path, added="2026-02-01", changed="2026-03-01")
    assert _aims407_as_of(cli, root, "2026-02-20") == [
        "the system changed significantly on 2026-02-20, after its impact assessment "
        "IA-1 was approved on 2026-02-01; reassess it"
    ]


def test_a_system_first_committed_after_the_as_of_date_changed_nothing_by_then(
    tmp_path: Path, cli: Cli
) -> None:
    """Created and then changed in commits dated after the as-of date, a system was
    reported changed on the as-of day (review): uncommitted, the same files are a
    new system, not a change, and so are they committed later."""
    root = _committed_on(tmp_path, added="2026-03-01", changed="2026-03-02")
    assert _aims407_as_of(cli, root, "2026-02-20") == []


def test_an_assessment_approved_after_the_change_passes(tmp_path: Path, cli: Cli) -> None:
    assert at(validate(cli, _history(tmp_path, "2026-03-02")), "AIMS407") == []


def test_a_retired_system_needs_no_reassessment(tmp_path: Path, cli: Cli) -> None:
    """Retiring SYS-1 is a change to a material field, and its assessment predates
    the purpose change too: AIMS407 asked to reassess a system that no longer runs,
    an error no edit but a pointless approval could clear. Its assessment's review
    rests too (AIMS502, long past by 2029)."""
    from factory import yaml_of
    from gitrepo import GitRepo

    root = _history(tmp_path, "2026-02-01")
    reviewed = {"on": "2026-11-01", "by": "a@b.c"}

    def found(stage: str) -> list[str]:
        changed = system(purpose="Decide who gets a loan.", stage=stage, reviewed=reviewed)
        GitRepo(root).write({"systems/SYS-1.yaml": yaml_of(changed)})
        shown = cli("validate", root, "--as-of", "2029-01-01", "--format", "json")
        return sorted({d["code"] for d in json.loads(shown.stdout)["diagnostics"]})

    assert {"AIMS407", "AIMS502"} <= set(found("production"))
    assert {"AIMS407", "AIMS502"}.isdisjoint(found("retired"))


def test_a_change_to_a_record_written_as_json_is_dated_too(tmp_path: Path, cli: Cli) -> None:
    # History finds a record by its `id` key in any style: JSON and flow mappings too.
    import json

    from factory import yaml_of
    from gitrepo import GitRepo

    reviewed = {"on": "2026-11-01", "by": "a@b.c"}
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": json.dumps(system(reviewed=reviewed), indent=2),
            "assessments/IA-1.yaml": yaml_of(assessment(**_assessed("2026-02-01"))),
        }
    )
    repo.commit("Add the system")
    changed = system(purpose="Decide who gets a loan.", reviewed=reviewed)
    repo.write({"systems/SYS-1.yaml": "{" + json.dumps(changed)[1:]})  # one line
    repo.commit("The system now decides")
    found = validate(cli, repo.root)
    assert at(found, "AIMS407") == [("systems/SYS-1.yaml", 1, 2)]  # at its `kind` key
    assert "changed significantly on 2026-03-01" in of(found, "AIMS407")[0]["message"]


def _staged_findings(cli: Cli, root: Path) -> list[str]:
    result = cli("validate", root, "--staged", "--no-cache", "--as-of", "2026-11-26")
    assert result.exit_code in (0, 1), result.stderr
    return [line for line in result.stdout.splitlines() if "AIMS407" in line]


def test_the_pre_commit_check_dates_a_change_by_what_is_staged(tmp_path: Path, cli: Cli) -> None:
    # `--staged` judges the next commit: a change staged is a change now, whatever the
    # working tree holds, and a change only in the working tree is no change.
    from factory import yaml_of
    from gitrepo import git

    root = _history(tmp_path, "2026-03-02")  # approved after the committed change
    changed = yaml_of(
        system(purpose="Set loan limits.", reviewed={"on": "2026-11-01", "by": "a@b.c"})
    )
    committed = (root / "systems/SYS-1.yaml").read_text()
    (root / "systems/SYS-1.yaml").write_text(changed)
    git(root, "add", "systems/SYS-1.yaml")
    (root / "systems/SYS-1.yaml").write_text(committed)  # the working tree is back at HEAD
    assert len(_staged_findings(cli, root)) == 1
    assert at(validate(cli, root), "AIMS407") == []  # the working tree did not change

    git(root, "reset", "-q")  # nothing staged now; the working tree changes instead
    (root / "systems/SYS-1.yaml").write_text(changed)
    assert _staged_findings(cli, root) == []
    assert at(validate(cli, root), "AIMS407") == [("systems/SYS-1.yaml", 1, 1)]


def test_a_record_file_git_ignores_is_still_a_change(tmp_path: Path, cli: Cli) -> None:
    # The system moved to a file .gitignore names: validation reads it all the same,
    # so its new purpose is a change, and the cached answer is the uncached one when
    # only the ignore rules change.
    from factory import yaml_of

    root = _history(tmp_path, "2026-03-02")
    moved = yaml_of(
        system(purpose="Set loan limits.", reviewed={"on": "2026-11-01", "by": "a@b.c"})
    )
    (root / "systems/SYS-1.yaml").unlink()
    (root / "systems/moved.yaml").write_text(moved)
    for ignore in ("systems/moved.yaml\n", "# nothing ignored\n"):
        (root / ".gitignore").write_text(ignore)
        cached = cli("validate", root, "--as-of", "2026-11-26", "--format", "json")
        assert at(validate(cli, root), "AIMS407") == [("systems/moved.yaml", 1, 1)]
        assert (
            cached.stdout
            == cli(
                "validate", root, "--as-of", "2026-11-26", "--format", "json", "--no-cache"
            ).stdout
        )


def _shallow_history(tmp_path: Path, approved_on: str) -> Path:
    """A system and its assessment, approved on ``approved_on``, committed on
    2026-01-05; a commit on 2026-06-01 that changes nothing material; a CI checkout
    of that last commit only."""
    from factory import yaml_of
    from gitrepo import GitRepo

    reviewed = {"on": "2026-11-01", "by": "a@b.c"}
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": yaml_of(system(reviewed=reviewed)),
            "assessments/IA-1.yaml": yaml_of(assessment(**_assessed(approved_on))),
        }
    )
    repo.commit("Add the system", on="2026-01-05")
    repo.write({"systems/SYS-1.yaml": yaml_of(system(title="Renamed", reviewed=reviewed))})
    repo.commit("Rename it", on="2026-06-01")
    return repo.shallow_clone(tmp_path / "ci", depth=1)


def test_a_shallow_clone_cannot_tell_a_change_before_its_oldest_commit(
    tmp_path: Path, cli: Cli
) -> None:
    """The approval predates the history fetched: a significant change may lie in
    what was not fetched, so the rule says it cannot tell rather than pass."""
    found = validate(cli, _shallow_history(tmp_path, "2026-01-05"))
    assert at(found, "AIMS407") == [("systems/SYS-1.yaml", 1, 1)]
    assert of(found, "AIMS407")[0]["message"] == (
        "whether the system changed significantly after its impact assessment IA-1 was "
        "approved on 2026-01-05 cannot be told: this clone is shallow and its history stops "
        "at a commit of 2026-06-01; fetch the history too (actions/checkout with "
        "`fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)"
    )


def test_due_lists_a_reassessment_owed_now_where_history_cannot_tell(
    tmp_path: Path, cli: Cli
) -> None:
    # AIMS407 is an error here; due listed nothing, so the two disagreed.
    import json

    root = _shallow_history(tmp_path, "2026-01-05")
    result = cli("due", root, "--as-of", AS_OF, "--format", "json", "--within", "0")
    owed = [i for i in json.loads(result.stdout)["items"] if i["item"] == "reassessment"]
    assert [(i["record"], i["due"], i["overdue"]) for i in owed] == [("SYS-1", AS_OF, True)]
    assert owed[0]["what"].startswith(
        "a new impact assessment, unless it did not change significantly after IA-1 was "
        "approved on 2026-01-05; git history cannot tell: this clone is shallow"
    )


def test_a_partial_clone_cannot_tell_and_says_so(tmp_path: Path, cli: Cli) -> None:
    """A blobless clone lacks the contents of past commits (aimsctl fetches nothing):
    the change committed after the approval cannot be seen, so the rule says it
    cannot tell; it stayed silent, as if outside git."""
    from gitrepo import git

    source = _history(tmp_path / "a", "2026-02-01")  # the full clone reports AIMS407
    assert at(validate(cli, source), "AIMS407") == [("systems/SYS-1.yaml", 1, 1)]
    git(source, "config", "uploadpack.allowFilter", "true")
    partial = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--filter=blob:none", source.as_uri(), str(partial))
    found = of(validate(cli, partial), "AIMS407")
    assert [d["message"] for d in found] == [
        "whether the system changed significantly after its impact assessment IA-1 was "
        "approved on 2026-02-01 cannot be told: this clone is partial (made with a filter "
        "such as `--filter=blob:none`) and lacks the contents of past commits, which "
        "aimsctl does not fetch; clone it in full (actions/checkout without `filter`, with "
        "`fetch-depth: 0`)"
    ]


def _unreadable(main: Path, how: str) -> tuple[Path, str]:
    """The repository at ``main`` made one git cannot read, ``how``: its HEAD damaged, or
    a linked work tree of it whose folder in the main repository is gone (removed, or
    the main repository moved); the governance root to validate and the start of what
    git's refusal is reported as."""
    import shutil

    from gitrepo import git

    if how == "damaged HEAD":
        (main / ".git" / "HEAD").write_text("ref: refs/he", encoding="ascii")
        return main, f"{main / '.git' / 'HEAD'} names 'refs/he', which is not a branch"
    linked = main.parent / "linked"
    git(main, "worktree", "add", "-q", str(linked))
    shutil.rmtree(main / ".git" / "worktrees")
    gone = main / ".git" / "worktrees" / "linked"
    return linked, f"{linked / '.git'} names the git folder {gone}, which is not there"


@pytest.mark.parametrize("how", ["damaged HEAD", "linked work tree gone"])
def test_a_repository_git_cannot_read_is_not_taken_for_a_plain_folder(
    tmp_path: Path, cli: Cli, how: str
) -> None:
    """A folder in a git repository that git refuses to read was judged as a folder
    outside git: the change committed after the approval went unseen and AIMS407 stayed
    silent, exit 0. The rule now says it cannot tell, with git's reason."""
    root, says = _unreadable(_history(tmp_path, "2026-02-01"), how)
    for _ in range(2):  # the cached answer is the same
        found = of(validate(cli, root), "AIMS407")
        assert [d["severity"] for d in found] == ["error"]
        assert found[0]["message"].startswith(
            "whether the system changed significantly after its impact assessment IA-1 was "
            f"approved on 2026-02-01 cannot be told: git cannot read the history: {says}"
        ), found[0]["message"]
    # The pre-commit check reads git's index: where git still can (HEAD alone is
    # damaged), it says the same; where it cannot, it stops with git's reason, as do
    # the commands that need a revision.
    staged = cli("validate", root, "--staged", "--no-cache", "--as-of", AS_OF)
    if how == "damaged HEAD":
        assert staged.exit_code == 1 and f"cannot be told: git cannot read the history: {says}" in (
            staged.stdout
        ), staged.stdout
    else:
        assert staged.exit_code == 2 and says in staged.stderr, staged.stderr
    for command in (
        ("validate", root, "--changed-since", "HEAD~1", "--as-of", AS_OF),
        ("log", "SYS-1", root),
    ):
        result = cli(*command)
        assert result.exit_code == 2 and says in result.stderr, (command, result.stderr)


def test_a_plain_folder_with_a_broken_git_file_is_not_answered_from_the_cache(
    tmp_path: Path, cli: Cli
) -> None:
    """A governance folder below a plain folder validated, then the plain folder given a
    `.git` file naming a folder that is not there (a linked work tree's, the main
    repository gone): the cached answer for a folder outside git, silent, must not
    stand for it."""
    from factory import yaml_of
    from gitrepo import plain_governance_folder

    top = plain_governance_folder(tmp_path)
    root = top / "governance"
    for name, text in {
        "aims.yaml": MINIMAL_CONFIG,
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": yaml_of(system(reviewed={"on": "2026-11-01", "by": "a@b.c"})),
        "assessments/IA-1.yaml": yaml_of(assessment(**_assessed("2026-02-01"))),
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert at(validate(cli, root), "AIMS407") == []  # outside git: nothing to tell
    (top / ".git").write_text(f"gitdir: {tmp_path / 'gone'}\n", encoding="utf-8")
    assert at(validate(cli, root), "AIMS407") == [("systems/SYS-1.yaml", 1, 1)]


def test_a_shallow_clone_with_an_approval_inside_its_history_passes(
    tmp_path: Path, cli: Cli
) -> None:
    assert at(validate(cli, _shallow_history(tmp_path / "a", "2026-06-01")), "AIMS407") == []
    # The whole history, for the earlier approval: no significant change at all.
    _shallow_history(tmp_path / "b", "2026-01-05")
    assert at(validate(cli, tmp_path / "b" / "work"), "AIMS407") == []


def _system_in_a_submodule(
    tmp_path: Path,
    depth: int | None = None,
    shallow: bool = False,
    moved: bool = False,
    approved: str = "2026-02-01",
) -> Path:
    """SYS-1 lives in the team's repository, a submodule pulled in on 2026-01-05 and
    moved on 2026-03-01 to the team's commit that makes the system decide; its
    assessment, in the superproject, was approved on ``approved``, 2026-02-01
    between the two unless told.
    SYS-2 and its assessment, approved on 2026-02-01 too, live in the superproject
    and never change. With ``depth``, a CI checkout that fetches the submodule that
    shallow; ``shallow``, one that fetches the superproject's newest commit only;
    ``moved``, the submodule is moved to `others/team` on 2026-04-01."""
    from factory import yaml_of
    from gitrepo import GitRepo, git

    reviewed = {"on": "2026-11-01", "by": "a@b.c"}
    team = GitRepo(tmp_path / "team")
    team.write({"systems/SYS-1.yaml": yaml_of(system(reviewed=reviewed))})
    team.commit("The team's system", on="2026-01-02")
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "assessments/IA-1.yaml": yaml_of(assessment(**_assessed(approved))),
            "systems/SYS-2.yaml": yaml_of(system("SYS-2", reviewed=reviewed)),
            "assessments/IA-2.yaml": yaml_of(
                assessment("IA-2", system="SYS-2", **_assessed("2026-02-01"))
            ),
        }
    )
    repo.add_submodule("team", team)
    repo.commit("Pull in the team's system", on="2026-01-05")
    decides = system(purpose="Decide who gets a loan.", reviewed=reviewed)
    team.write({"systems/SYS-1.yaml": yaml_of(decides)})
    team.commit("The system now decides", on="2026-01-20")
    git(repo.root / "team", "pull", "-q", "origin", "main")
    repo.commit("Take the team's change", on="2026-03-01")
    if moved:
        repo.move("team", "others/team")
        repo.commit("Move the team's records", on="2026-04-01")
    if depth is None and not shallow:
        return repo.root
    return repo.clone_with_submodule(tmp_path / "ci", team.top, depth, shallow)


def test_a_significant_change_a_submodule_brings_in_is_dated_by_the_superproject(
    tmp_path: Path, cli: Cli
) -> None:
    """The history walked only YAML files, never the submodule's gitlink: the change
    the superproject took on 2026-03-01 was not seen, and the rule stayed silent."""
    found = of(validate(cli, _system_in_a_submodule(tmp_path)), "AIMS407")
    assert [(d["path"], d["message"]) for d in found] == [
        (
            "team/systems/SYS-1.yaml",
            "the system changed significantly on 2026-03-01, after its impact assessment "
            "IA-1 was approved on 2026-02-01; reassess it",
        )
    ]


def test_a_shallow_submodule_cannot_tell_a_change_it_lacks(tmp_path: Path, cli: Cli) -> None:
    """The submodule was fetched at its pinned commit only: the commit pinned before
    is missing, so whether the move of 2026-03-01 changed the system cannot be
    told, as in a shallow clone."""
    found = of(validate(cli, _system_in_a_submodule(tmp_path, depth=1)), "AIMS407")
    assert [(d["path"], d["message"]) for d in found] == [
        (
            "team/systems/SYS-1.yaml",
            "whether the system changed significantly after its impact assessment IA-1 was "
            "approved on 2026-02-01 cannot be told: the submodule at team was fetched shallow "
            "and its history stops at a commit of 2026-03-01; fetch the history too "
            "(actions/checkout with "
            "`fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)",
        )
    ]


def test_a_shallow_submodule_leaves_the_superproject_s_systems_alone(
    tmp_path: Path, cli: Cli
) -> None:
    """The commit pinned before the move of 2026-03-01 is missing from the submodule
    only: SYS-2, in the superproject, has its whole history, no change in it, and
    passes; the submodule's gap made the rule say it cannot tell for every system of
    the repository. SYS-1 was in the submodule at the gap, also once moved since."""
    for moved in (False, True):
        root = _system_in_a_submodule(tmp_path / str(moved), depth=1, moved=moved)
        found = of(validate(cli, root), "AIMS407")
        assert [(d["record"], d["message"].split("cannot be told: ")[1]) for d in found] == [
            (
                "SYS-1",
                "the submodule at team was fetched shallow and its history stops at a "
                "commit of 2026-03-01; fetch the history too (actions/checkout with "
                "`fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)",
            )
        ]


def test_a_shallow_superproject_with_a_whole_submodule_cannot_tell_for_its_systems(
    tmp_path: Path, cli: Cli
) -> None:
    """The superproject's own shallow clone stops the history of every record, its
    own and the submodule's, at its oldest commit, as it did."""
    found = of(validate(cli, _system_in_a_submodule(tmp_path, shallow=True)), "AIMS407")
    assert {d["record"]: d["message"].split("cannot be told: ")[1] for d in found} == {
        system_id: "this clone is shallow and its history stops at a commit of 2026-03-01; "
        "fetch the history too (actions/checkout with `fetch-depth: 0`, GitLab CI with "
        "`GIT_DEPTH: 0`)"
        for system_id in ("SYS-1", "SYS-2")
    }


def test_a_submodule_not_updated_cannot_tell_a_change_and_says_to_update_it(
    tmp_path: Path, cli: Cli
) -> None:
    """A pull brought a commit of 2026-04-01 that moves the submodule to a commit its
    repository lacks (not updated since): whether that move changed SYS-1 after the
    approval of 2026-03-15 cannot be told, and `git submodule update` is what fetches
    the commit, not fetching history. The rule was silent (the change of 2026-03-01
    came before the approval), and with no change seen it said to fetch the history."""
    from gitrepo import git

    top = _system_in_a_submodule(tmp_path, approved="2026-03-15")
    assert of(validate(cli, top), "AIMS407") == []
    git(top / "team", "commit", "-q", "--allow-empty", "-m", "Only in this checkout")
    git(top, "commit", "-q", "-am", "Pin it", env={"GIT_COMMITTER_DATE": "2026-04-01T12:00Z"})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(top), str(clone))
    git(clone, "checkout", "-q", "HEAD~1")
    git(clone, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    git(clone, "checkout", "-q", "main")  # the submodule stays at the commit before
    found = of(validate(cli, clone), "AIMS407")
    assert [(d["record"], d["message"]) for d in found] == [
        (
            "SYS-1",
            "whether the system changed significantly after its impact assessment IA-1 was "
            "approved on 2026-03-15 cannot be told: the submodule at team lacks the commit "
            "that a commit of 2026-04-01 pins it at (it was not updated since): run "
            "`git submodule update`",
        )
    ]


# --- AIMS408 assessment-without-impacts ---------------------------------------------


def test_an_approved_assessment_that_records_no_impact(make_repo: Make, cli: Cli) -> None:
    """Approved by its own assessor with `impacts: []` and no stakeholders: 0 findings
    (gaming audit). An approval of an assessment with nothing in it endorses nothing."""
    impact = {
        "dimension": "fairness",
        "scope": "group",
        "description": "Ranking may favour past hires.",
        "likelihood": 2,
        "severity": 2,
    }
    files = {
        "systems/a.yaml": system("SYS-1"),
        "assessments/a.yaml": [
            assessment("IA-1", impacts=[]),
            assessment("IA-2", impacts=[impact]),
            assessment("IA-3", status="draft", **UNAPPROVED),
            assessment("IA-4", status="superseded"),
            assessment("IA-5", impacts=[], conclusion="No impact found: internal tool."),
            assessment("IA-6", impacts=[], conclusion="TODO: conclude"),
        ],
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS408")
    assert [(d["record"], d["severity"], d["pointer"], d["message"]) for d in found] == [
        (
            record_id,
            "warning",
            "/status",
            "the assessment is approved, but records no impacts: nothing shows which "
            "consequences for people, groups or society were weighed",
        )
        for record_id in ("IA-1", "IA-5", "IA-6")
    ]
