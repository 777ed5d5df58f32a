"""`status` and readiness in the core, and the Rich layouts at 80 columns (status and
the risk register)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from aimsctl.config import CLAUSE_KEY, AimsConfig, RiskConfig
from aimsctl.engine import run
from aimsctl.monitor_check import check_monitors
from aimsctl.outputs.risk import register_table
from aimsctl.outputs.status import render_rich, render_text
from aimsctl.readiness import GAP, NOT_APPLICABLE, OVERDUE, READY, readiness
from aimsctl.repository import load_repository
from aimsctl.risk_register import register
from aimsctl.rules.management import REVIEW_INPUTS as REVIEW_INPUT_NAMES
from aimsctl.status import status
from conftest import EXAMPLE, CliResult
from factory import (
    OMIT,
    approved_policy,
    assessment,
    control,
    evaluation,
    incident,
    internal_audit,
    levels,
    management_review,
    monitor,
    nonconformity,
    objective,
    policy,
    risk,
    role,
    system,
    yaml_of,
)

AS_OF = date(2026, 11, 26)
MakeRepo = Callable[..., Path]
Cli = Callable[..., CliResult]
BORDER = re.compile(r"[│┃]")


def _example() -> object:
    return load_repository(EXAMPLE, AS_OF)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in BORDER.split(line)[1:-1]]


def test_status_counts_the_example() -> None:
    found = status(load_repository(EXAMPLE, AS_OF))
    assert len(found.systems) == 8
    assert found.tiers == (("high", 5), ("medium", 2), ("low", 1))
    assert dict(found.stages)["production"] == 4
    assert (found.errors, found.warnings) == (0, 0)
    assert found.placeholders == ()
    assert [item.record for item in found.due.items][:2] == [
        "MON-ASSIST-GROUNDED",
        "MON-CREDIT-PSI",
    ]
    assert [line.id for line in found.readiness.clauses] == [str(n) for n in range(4, 11)]
    assert [line.id for line in found.readiness.annex_a][:2] == ["A.2", "A.3"]


# Outside git a record never reviewed is owed a review now (its creation date is
# unknown), which makes its requirement overdue rather than ready.
REVIEWED = {"on": "2026-11-01", "by": "auditor@acme.example"}


def test_readiness_judges_clauses_and_controls(make_repo: MakeRepo) -> None:
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk("R-1"),
        "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-11-01", status="on-track"),
        "evidence/roles.md": "Roles and responsibilities, agreed 2026-09-01.\n",
        # in force, or the approval owed (AIMS601) makes A.2.3 overdue, not ready
        "policies/POL-0.yaml": approved_policy("POL-0", on="2026-09-01"),
        "controls/a.yaml": [
            control("A.2.2", title="AI policy", status="implemented"),
            control(
                "A.2.3",
                status="implemented",
                evidence=[{"path": "evidence/roles.md", "description": "Roles agreed"}],
                reviewed=REVIEWED,
            ),
            control(
                "A.2.4",
                applicable=False,
                justification="Out of scope here.",
                status=None,
                reviewed=REVIEWED,
            ),
            control("A.3.2", justification="TODO: say why"),
        ],
    }
    found = readiness(load_repository(make_repo(files), AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    # Clause 6.1.2 is evidenced by the risk register; 6.2 has an objective overdue.
    assert [e.id for e in requirements["6.1.2"].evidence] == ["R-1"]
    assert requirements["6.2"].state == OVERDUE
    assert requirements["4.2"].state == GAP
    assert requirements["4.4"].evidence[0].path == "aims.yaml"
    assert requirements["4.3"].state == GAP  # aims.yaml sets no scope
    assert requirements["A.2.2"].missing == ("implemented, but no evidence is listed",)
    assert requirements["A.2.3"].state == READY
    assert [e.path for e in requirements["A.2.3"].evidence] == [
        "controls/a.yaml",
        "evidence/roles.md",
        "policies/POL-0.yaml",
    ]
    # An exclusion with a justification is decided, not implemented: never ready.
    assert requirements["A.2.4"].decision == "excluded"
    assert requirements["A.2.4"].state == NOT_APPLICABLE
    assert requirements["A.2.4"].justification == "Out of scope here."
    assert requirements["A.3.2"].decision == "undecided"
    assert requirements["A.3.3"].missing == (
        "not decided: no row in the Statement of Applicability",
    )
    a2 = next(line for line in found.annex_a if line.id == "A.2")
    assert (a2.ready, a2.excluded, len(a2.requirements), a2.gaps) == (1, 1, 3, ["A.2.2"])


def test_readiness_counts_a_policy_once_approved_and_a_review_once_held(
    make_repo: MakeRepo,
) -> None:
    # validate said "no AI policy is approved" (AIMS601) and that a review held after
    # the as-of date cannot have happened (AIMS508); readiness said 5.2 and 9.3 ready.
    files = {
        "policies/POL-1.yaml": policy("POL-1", status="draft"),
        "policies/POL-2.yaml": policy(
            "POL-2", status="approved", approval={"by": "ceo@acme.example", "on": "2026-12-01"}
        ),
        "reviews/MR-1.yaml": management_review("MR-1", held="2026-12-01"),
    }
    root = make_repo(files)
    result = run(load_repository(root, AS_OF))
    assert {d.code for d in result.diagnostics} >= {"AIMS601", "AIMS508"}
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert requirements["5.2"].state == GAP and requirements["5.2"].evidence == ()
    assert requirements["5.2"].missing == (
        "no Policy record counts",
        "POL-1 is draft, not approved",
        "POL-2 is approved only on 2026-12-01",
    )
    assert requirements["9.3.1"].missing == (
        "no ManagementReview record counts",
        "MR-1 is held on 2026-12-01, after the as-of date",
    )
    assert [e.id for e in requirements["A.2.2"].evidence] == []  # no SoA row, no policy
    # On the day both happened, they count.
    later = readiness(load_repository(root, date(2026, 12, 1)))
    requirements = {r.id: r for line in later.lines for r in line.requirements}
    assert [e.id for e in requirements["5.2"].evidence] == ["POL-2"]
    assert requirements["5.2"].state == READY
    assert [e.id for e in requirements["9.3.1"].evidence] == ["MR-1"]


def test_readiness_counts_no_record_that_still_holds_a_placeholder(make_repo: MakeRepo) -> None:
    # The starter's examples of `aimsctl init`, still `TODO:` (AIMS107): readiness
    # counted a Role whose holder is a placeholder as leadership shown (5.1, 5.3) and a
    # policy whose text is a placeholder as the AI policy (5.2), "Leadership 3/3 ready".
    approval = {"by": "ceo@acme.example", "on": "2026-06-01"}
    files = {
        "roles/ROLE-1.yaml": role("ROLE-1", holder="TODO: who holds it", top_management=True),
        "policies/POL-1.yaml": policy(
            "POL-1", status="approved", approval=approval, description="TODO: the policy"
        ),
    }
    root = make_repo(files)
    assert [d.code for d in run(load_repository(root, AS_OF)).diagnostics].count("AIMS107") == 2
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    for clause in ("5.1", "5.3"):
        assert requirements[clause].state == GAP and requirements[clause].evidence == ()
        assert requirements[clause].missing == (
            "no Role record counts",
            "ROLE-1 still holds placeholder text (TODO:)",
        )
    assert requirements["5.2"].state == GAP
    assert "POL-1 still holds placeholder text (TODO:)" in requirements["5.2"].missing
    # Written by the organization, they count.
    make_repo(
        {
            "roles/ROLE-1.yaml": role("ROLE-1", holder="ceo@acme.example", top_management=True),
            "policies/POL-1.yaml": policy("POL-1", status="approved", approval=approval),
        }
    )
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert [requirements[c].state for c in ("5.1", "5.2", "5.3")] == [READY] * 3


# What a completed audit found: without it (or a report) it shows no results.
_FINDING = {"id": "F-1", "type": "observation", "reference": "4.1", "description": "Noted."}


def test_readiness_names_no_audit_that_still_holds_a_placeholder_as_auditing(
    make_repo: MakeRepo,
) -> None:
    # A completed audit still `TODO:` audited nothing: it was named under each clause
    # of its scope as the audit that covered it (audited_by), while 9.2.1 called it no
    # audit conducted.
    performed = {"from": "2026-03-02", "to": "2026-03-06"}
    audit = internal_audit(
        "AUD-1",
        status="completed",
        planned="2026-03-02",
        performed=performed,
        scope=["4"],
        findings=[_FINDING],
    )
    root = make_repo({"audits/AUD-1.yaml": {**audit, "description": "TODO: the audit"}})
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["4.1"].audited_by == ()
    assert "AUD-1 still holds placeholder text (TODO:)" in requirements["9.2.1"].missing
    make_repo({"audits/AUD-1.yaml": audit})
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["4.1"].audited_by == ("AUD-1",)


def test_readiness_counts_an_internal_audit_as_conducted_once_completed(
    make_repo: MakeRepo,
) -> None:
    # A planned audit is part of the programme (9.2.2), but no audit was conducted:
    # readiness said 9.2.1 ready, evidenced by it, while the management report said
    # "none completed" (and AIMS611 counts only completed audits). Its scope covers
    # the whole system, so that the programme is one (AIMS614).
    whole = ["4", "5", "6", "7", "8", "9", "10"]
    files = {
        "audits/AUD-1.yaml": internal_audit("AUD-1", planned="2027-03-01", scope=whole),
        "audits/AUD-2.yaml": internal_audit(
            "AUD-2",
            status="completed",
            planned="2026-12-01",
            performed={"from": "2026-12-01", "to": "2026-12-03"},
            findings=[_FINDING],
        ),
    }
    root = make_repo(files)
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert requirements["9.2.1"].state == GAP and requirements["9.2.1"].evidence == ()
    assert requirements["9.2.1"].missing == (
        "no InternalAudit record counts",
        "AUD-1 is planned, not completed",
        "AUD-2 ends on 2026-12-03, after the as-of date",
    )
    assert [e.id for e in requirements["9.2.2"].evidence] == ["AUD-1", "AUD-2"]
    # Once the audit has ended, it evidences both.
    later = readiness(load_repository(root, date(2026, 12, 3)))
    requirements = {r.id: r for line in later.lines for r in line.requirements}
    assert [e.id for e in requirements["9.2.1"].evidence] == ["AUD-2"]
    assert requirements["9.2.1"].state == READY


def test_readiness_takes_a_stopped_monitor_as_a_gap_not_an_overdue_observation(
    make_repo: MakeRepo,
) -> None:
    # A monitor AIMS704 finds stale, or whose observations AIMS708 cannot read, was
    # listed as the evidence of 9.1 and A.6.2.6, the requirement only "overdue" for its
    # next observation, while monitor check called it stale (or unreadable) and
    # obligations took Art. 72 as missing for it: monitoring that has stopped.
    week = {"every_days": 7}
    files = {
        "systems/SYS-1.yaml": system("SYS-1", stage="production"),
        "systems/SYS-2.yaml": system("SYS-2", stage="retired"),
        "evaluations/EVAL-1.yaml": evaluation("EVAL-1"),
        "monitors/m.yaml": [
            monitor("MON-1", **week, observations=[{"on": "2026-10-01", "value": 0.9}]),
            monitor("MON-2", **week, observations_file="gone.csv"),
            monitor("MON-3", **week, observations=[{"on": "2026-11-25", "value": 0.9}]),
            monitor("MON-4", system="SYS-2", observations=[{"on": "2026-01-05", "value": 0.9}]),
            monitor("MON-5", **week),
        ],
    }
    root = make_repo(files)
    checked = check_monitors(load_repository(root, AS_OF)).monitors
    states = {m.id: m.state for m in checked}
    assert states == {
        "MON-1": "stale",
        "MON-2": "unreadable",
        "MON-3": "ok",
        "MON-4": "resting",
        "MON-5": "stale",
    }
    stopped = (
        "Monitor MON-1 is stale: its latest observation is of 2026-10-01, and one is due "
        "every 7 days",
        "the observations of Monitor MON-2 cannot be read",
        "Monitor MON-5 is stale: it has no observation, and one is due every 7 days",
    )
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    clause = requirements["9.1"]
    assert [e.id for e in clause.evidence] == ["EVAL-1", "MON-3", "MON-4"]
    assert clause.missing == stopped and clause.state == GAP
    control_row = requirements["A.6.2.6"]
    assert [e.id for e in control_row.evidence] == ["MON-3", "MON-4"]
    assert control_row.missing[1:] == stopped and control_row.state == GAP
    # With nothing else to evidence it, the clause says so, then why each does not count.
    (root / "evaluations/EVAL-1.yaml").unlink()
    (root / "monitors/m.yaml").write_text(yaml_of(files["monitors/m.yaml"][:1]), "utf-8")
    found = readiness(load_repository(root, AS_OF))
    clause = next(r for line in found.lines for r in line.requirements if r.id == "9.1")
    assert clause.evidence == ()
    assert clause.missing == ("no Evaluation or Monitor record counts", stopped[0])


def test_readiness_counts_an_impact_assessment_once_approved(make_repo: MakeRepo) -> None:
    # A draft, an assessment in review, one approved only later and one approved by
    # someone holding no Role were each listed as the documented information of 6.1.4
    # and 8.4, and the requirements shown ready, though none is an approved assessment
    # (AIMS401, AIMS403); a low-tier system owes none, so nothing else said so.
    approval = {"by": "ceo@acme.example", "on": "2026-12-01"}
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk("R-1", inherent={"likelihood": 1, "severity": 1}),
        "roles/ceo.yaml": role("ceo", top_management=True),
        "assessments/IA-1.yaml": assessment("IA-1", status="draft", approval=OMIT, decision=OMIT),
        "assessments/IA-2.yaml": assessment("IA-2", status="in-review", approval=OMIT),
        "assessments/IA-3.yaml": assessment("IA-3", approval=approval),
        "assessments/IA-4.yaml": assessment(
            "IA-4", approval={"by": "intern@acme.example", "on": "2026-06-01"}
        ),
    }
    root = make_repo(files)
    assert load_repository(root, AS_OF).tiers["SYS-1"] == "low"
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    for clause in ("6.1.4", "8.4"):
        assert requirements[clause].state == GAP and requirements[clause].evidence == ()
        assert requirements[clause].missing == (
            "no ImpactAssessment record counts",
            "IA-1 is only a draft",
            "IA-2 is still in review",
            "IA-3 is approved only on 2026-12-01",
            "IA-4 is approved by 'intern@acme.example', who holds no Role",
        )
    assert [e.id for e in requirements["A.5.2"].evidence] == []
    # Once approved, it counts.
    later = readiness(load_repository(root, date(2026, 12, 1)))
    requirements = {r.id: r for line in later.lines for r in line.requirements}
    assert [e.id for e in requirements["6.1.4"].evidence] == ["IA-3"]
    assert requirements["6.1.4"].state == READY


def test_readiness_counts_no_policy_approved_without_an_approval(make_repo: MakeRepo) -> None:
    # AIMS604 reported the policy approved by nobody, yet readiness listed it as the
    # AI policy of 5.2 and showed 5.2 ready.
    root = make_repo({"policies/POL-1.yaml": policy("POL-1", status="approved")})
    assert "AIMS604" in {d.code for d in run(load_repository(root, AS_OF)).diagnostics}
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert requirements["5.2"].state == GAP and requirements["5.2"].evidence == ()
    assert requirements["5.2"].missing == (
        "no Policy record counts",
        "POL-1 says approved without recording the approval (by, on)",
    )


def test_readiness_counts_no_evaluation_nonconformity_or_incident_ahead_of_the_as_of_date(
    make_repo: MakeRepo,
) -> None:
    # An evaluation performed, a nonconformity raised and an incident detected after
    # the as-of date (AIMS508) were listed as the documented information of 9.1,
    # A.6.2.4, 10.2 and A.8.4, though validate counts no such evaluation (AIMS701)
    # and the review of the same run, held as late, was not counted.
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "evaluations/EVAL-1.yaml": evaluation(
            "EVAL-1", performed={"on": "2026-12-20", "by": "qa@acme.example"}
        ),
        "nonconformities/NC-1.yaml": nonconformity(
            "NC-1", raised="2026-12-20", correction="The batch was withdrawn."
        ),
        "incidents/INC-1.yaml": incident("INC-1", occurred="2026-12-19", detected="2026-12-20"),
    }
    root = make_repo(files)
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert requirements["9.1"].missing == (
        "no Evaluation or Monitor record counts",
        "EVAL-1 is performed on 2026-12-20, after the as-of date",
    )
    assert requirements["10.2"].missing == (
        "no Nonconformity record counts",
        "NC-1 is raised on 2026-12-20, after the as-of date",
    )
    for control_id in ("A.6.2.4", "A.8.4"):
        assert requirements[control_id].evidence == ()
    # On the day, they count.
    later = readiness(load_repository(root, date(2026, 12, 20)))
    requirements = {r.id: r for line in later.lines for r in line.requirements}
    assert [e.id for e in requirements["9.1"].evidence] == ["EVAL-1"]
    assert [e.id for e in requirements["10.2"].evidence] == ["NC-1"]
    assert [e.id for e in requirements["A.8.4"].evidence] == ["INC-1"]


def test_readiness_counts_a_nonconformity_only_once_it_was_acted_on(make_repo: MakeRepo) -> None:
    # A single open nonconformity with nothing done about it made 10.2 ready: it shows a
    # problem found, not the reaction, correction and corrective action 10.2 asks for;
    # a closure counts only as AIMS621 accepts one.
    effective = {"on": "2026-11-01", "by": "auditor@acme.example", "effective": True}
    done = {"description": "Fix it.", "owner": "cro@acme.example", "due": "2026-10-30"}
    files = {
        "nonconformities/NC-1.yaml": nonconformity("NC-1"),
        "nonconformities/NC-2.yaml": nonconformity(
            "NC-2", status="closed", root_cause="No check.", effectiveness=OMIT
        ),
        "nonconformities/NC-3.yaml": nonconformity(
            "NC-3",
            status="closed",
            root_cause="No check.",
            actions=[{**done, "done": None}],
            effectiveness=effective,
        ),
        "nonconformities/NC-4.yaml": nonconformity(
            "NC-4",
            status="closed",
            root_cause="No check.",
            effectiveness={**effective, "effective": False},
        ),
    }
    root = make_repo(files)
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["10.2"].state == GAP and requirements["10.2"].evidence == ()
    assert requirements["10.2"].missing == (
        "no Nonconformity record counts",
        "NC-1 is open with no correction or corrective action recorded",
        "NC-2 is closed without a review of its corrective action's effectiveness",
        "NC-3 is closed with 1 corrective action not done (1)",
        "NC-4 is closed, but its review found the corrective action not effective",
    )
    # A correction recorded, a corrective action planned, or a verified closure counts.
    files = {
        "nonconformities/NC-1.yaml": nonconformity("NC-1", correction="Stopped the batch."),
        "nonconformities/NC-2.yaml": nonconformity(
            "NC-2", status="action-planned", root_cause="No check.", actions=[done]
        ),
        "nonconformities/NC-3.yaml": nonconformity(
            "NC-3",
            status="closed",
            root_cause="No check.",
            actions=[{**done, "done": "2026-10-20"}],
            effectiveness=effective,
        ),
        "nonconformities/NC-4.yaml": OMIT,
    }
    for path, content in files.items():
        target = root / path
        if content is OMIT:
            target.unlink()
        else:
            target.write_text(yaml_of(content), encoding="utf-8")
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert [e.id for e in requirements["10.2"].evidence] == ["NC-1", "NC-2", "NC-3"]
    assert requirements["10.2"].missing == ()


def test_readiness_counts_no_untreated_risk_withdrawn_objective_or_review_without_inputs(
    make_repo: MakeRepo,
) -> None:
    # A risk only assessed made the risk treatment of 6.1.3 and 8.3 ready, a withdrawn
    # objective the AI objectives of 6.2, and a review that records no input the
    # management review inputs of 9.3.2.
    files = {
        "risks/R-1.yaml": risk("R-1"),
        "objectives/OBJ-1.yaml": objective("OBJ-1", status="withdrawn"),
        "reviews/MR-1.yaml": management_review("MR-1"),
    }
    root = make_repo(files)
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert [e.id for e in requirements["6.1.2"].evidence] == ["R-1"]
    assert [e.id for e in requirements["8.2"].evidence] == ["R-1"]
    for clause in ("6.1.3", "8.3"):
        assert requirements[clause].missing == ("no Risk record counts", "R-1 records no treatment")
    assert requirements["6.2"].missing == ("no Objective record counts", "OBJ-1 is withdrawn")
    assert [e.id for e in requirements["9.3.1"].evidence] == ["MR-1"]
    assert requirements["9.3.2"].missing == (
        "no ManagementReview record counts",
        "MR-1 records no inputs it considered",
    )
    files = {
        "risks/R-1.yaml": risk("R-1", treatment={"option": "accept"}, residual=levels(1, 1)),
        # achieved, with the measurement to show it (with none, AIMS623: not counted)
        "objectives/OBJ-1.yaml": objective(
            "OBJ-1", status="achieved", progress=[{"on": "2026-10-01", "value": "100%"}]
        ),
        "reviews/MR-1.yaml": management_review("MR-1", inputs=list(REVIEW_INPUT_NAMES)),
    }
    for path, content in files.items():
        (root / path).write_text(yaml_of(content), encoding="utf-8")
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    for clause in ("6.1.3", "8.3", "6.2", "9.3.2"):
        assert requirements[clause].evidence != (), clause
        assert requirements[clause].missing == (), clause


def test_readiness_says_what_is_missing_where_nothing_evidences_a_clause(
    make_repo: MakeRepo,
) -> None:
    # Every gap said "no record or setting evidences it": with no risk at all, 6.1.2 and
    # 6.1.3 (no risk assessed, so none treated, whatever the Statement of Applicability
    # holds) did not say that a Risk was what was missing, nor 4.3 that aims.yaml states
    # no scope.
    files = {
        "controls/a.yaml": control("A.2.2", status="implemented"),
        "policies/POL-1.yaml": policy("POL-1", status="draft"),
        "audits/AUD-1.yaml": internal_audit("AUD-1", status="bogus"),
    }
    found = readiness(load_repository(make_repo(files), AS_OF))
    missing = {r.id: r.missing for line in found.clauses for r in line.requirements}
    assert missing["6.1.2"] == missing["6.1.3"] == ("no Risk is recorded",)
    assert missing["6.1.4"] == ("no ImpactAssessment is recorded",)
    assert missing["9.1"] == ("no Evaluation or Monitor is recorded",)
    assert missing["5.2"] == ("no Policy record counts", "POL-1 is draft, not approved")
    assert missing["9.2.2"] == ("no InternalAudit record counts", "AUD-1 fails validation")
    assert missing["4.3"] == ("aims.yaml states no scope (or only a placeholder)",)
    assert missing["6.1.1"] == (
        "aims.yaml does not set the risk criteria (`risk`: scales, bands, appetite)",
    )
    assert missing["7.5.2"] == ("aims.yaml registers no controlled documents (`documents`)",)
    assert missing["4.2"] == ("no AISystem or ImpactAssessment is recorded",)
    assert missing["7.2"] == (  # nothing aimsctl keeps: said where its evidence lives
        "no record or setting evidences it: aimsctl keeps none for it, so its evidence is "
        "kept outside the repository",
    )


def test_interested_parties_are_evidenced_by_stakeholders_listed_or_heard(
    make_repo: MakeRepo,
) -> None:
    """The record reference maps `AISystem.stakeholders` and an assessment's stakeholder
    `engagement` to 4.2, yet readiness said "no record or setting evidences it" of 4.2
    in every repository, the bundled one too. A system that lists its stakeholders
    evidences it; one that lists none does not, nor an assessment that heard nobody."""
    bare = {"systems/SYS-1.yaml": system("SYS-1", stakeholders=[])}
    found = readiness(load_repository(make_repo(bare), AS_OF))
    [four_two] = [r for r in found.clauses[0].requirements if r.id == "4.2"]
    assert four_two.missing == (
        "no AISystem or ImpactAssessment record counts",
        "SYS-1 lists no stakeholders",
    )
    listed = {"systems/SYS-1.yaml": system("SYS-1", stakeholders=[{"group": "Applicants"}])}
    found = readiness(load_repository(make_repo(listed), AS_OF))
    [four_two] = [r for r in found.clauses[0].requirements if r.id == "4.2"]
    assert four_two.missing == () and [e.id for e in four_two.evidence] == ["SYS-1"]
    # An assessment that heard them only after the as-of date has not heard them yet.
    heard = {"group": "Applicants", "engagement": [{"method": "panel", "on": "2099-01-01"}]}
    later = {**bare, "assessments/IA-1.yaml": assessment("IA-1", stakeholders=[heard])}
    found = readiness(load_repository(make_repo(later), AS_OF))
    [four_two] = [r for r in found.clauses[0].requirements if r.id == "4.2"]
    assert f"IA-1 records no stakeholder engagement on or before {AS_OF}" in four_two.missing


def test_readiness_names_the_records_whose_kind_or_id_cannot_be_read_where_nothing_evidences(
    make_repo: MakeRepo,
) -> None:
    # `kind: [Policy]` (AIMS101) may be the approved AI policy, a review with no id the
    # one held, a control with `id: [A.2.2]` its row; readiness said only "no Policy is
    # recorded" and "no row in the Statement of Applicability", as if none existed.
    files = {
        "policies/a.yaml": "kind: [Policy]\nid: POL-1\nstatus: approved\n",
        "reviews/b.yaml": "# the first review\nkind: ManagementReview\nheld: 2026-10-01\n",
        "controls/c.yaml": "kind: Control\nid: [A.2.2]\napplicable: true\n",
    }
    root = make_repo(files)
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert requirements["5.2"].missing == (
        "no Policy record counts",
        "a record whose kind or id cannot be read (at policies/a.yaml:1) may be the one "
        "that evidences it",
    )
    # The review with no id is a ManagementReview; the unread kind may be one too.
    assert requirements["9.3.1"].missing == (
        "no ManagementReview record counts",
        "2 records whose kind or id cannot be read (at policies/a.yaml:1, reviews/b.yaml:2) "
        "may include the one that evidences it",
    )
    # A Control whose id cannot be read may be any row; the policy's id is POL-1.
    assert requirements["A.2.2"].missing == (
        "not decided: no row in the Statement of Applicability",
        "a record whose kind or id cannot be read (at controls/c.yaml:1) may be the one for A.2.2",
    )
    assert all(requirements[r].state == GAP for r in ("5.2", "9.3.1", "A.2.2"))
    # `status` counts the requirements as gaps and names the files left out.
    shown = status(load_repository(root, AS_OF))
    assert "5.2" in shown.readiness.clauses[1].gaps
    assert "left out (controls/c.yaml, policies/a.yaml, reviews/b.yaml)" in render_text(shown)
    # Read in full (or with nothing there at all), nothing more is said.
    root = make_repo(
        {
            "policies/a.yaml": "# none yet\n",
            "reviews/b.yaml": "---\n",
            "controls/c.yaml": control("A.2.3", applicable=False, justification="Not ours."),
        }
    )
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert requirements["5.2"].missing == ("no Policy is recorded",)
    assert requirements["9.3.1"].missing == ("no ManagementReview is recorded",)
    assert requirements["A.2.2"].missing == (
        "not decided: no row in the Statement of Applicability",
    )


def test_readiness_counts_for_7_5_2_only_the_documents_whose_approval_is_in_force(
    make_repo: MakeRepo,
) -> None:
    """7.5.2 (documented information reviewed and approved when created or updated) was
    evidenced by any `documents:` register, even one recording no approval at all, an
    approval dated after the as-of date or a review long past. A register entry counts
    now only with its approval recorded, given by the as-of date and not lapsed; each
    that fails is named, and leaves 7.5.2 a gap (7.5.3 keeps the register)."""
    config = """\
        version: 1
        organization: Test Org
        documents:
          soa:
            id: DOC-4
            approval: {by: ceo@acme.example, on: 2026-10-01}
            next_review: 2027-10-01
          risks: {id: DOC-6, version: "1.3"}
          impact: {id: DOC-7, approval: {by: ceo@acme.example, on: 2026-12-01}}
          inventory:
            id: DOC-5
            approval: {by: ceo@acme.example, on: 2025-01-01}
            next_review: 2026-01-01
        """
    found = readiness(load_repository(make_repo({}, config=config), AS_OF))
    requirements = {r.id: r for line in found.clauses for r in line.requirements}
    assert requirements["7.5.2"].state == GAP
    assert requirements["7.5.2"].missing == (
        "the impact report (DOC-7) is approved only on 2026-12-01, after the as-of date",
        "the inventory report (DOC-5) was due for review on 2026-01-01",
        "the risks report (DOC-6) records no approval",
    )
    assert [e.id for e in requirements["7.5.2"].evidence] == ["documents"]  # soa counts
    assert requirements["7.5.3"].missing == ()
    only_unapproved = "version: 1\norganization: Test Org\ndocuments: {risks: {id: DOC-6}}\n"
    found = readiness(load_repository(make_repo({}, config=only_unapproved), AS_OF))
    requirements = {r.id: r for line in found.clauses for r in line.requirements}
    assert requirements["7.5.2"].evidence == ()
    assert requirements["7.5.2"].missing == ("the risks report (DOC-6) records no approval",)
    approved = config.split("          risks:")[0]
    found = readiness(load_repository(make_repo({}, config=approved), AS_OF))
    requirements = {r.id: r for line in found.clauses for r in line.requirements}
    assert requirements["7.5.2"].missing == () and requirements["7.5.2"].evidence != ()
    # An approval `by` a `TODO:` placeholder was given by nobody yet.
    unsigned = approved.replace("by: ceo@acme.example", 'by: "TODO: who approves"')
    found = readiness(load_repository(make_repo({}, config=unsigned), AS_OF))
    requirements = {r.id: r for line in found.clauses for r in line.requirements}
    assert requirements["7.5.2"].evidence == ()
    assert requirements["7.5.2"].missing == (
        "the soa report (DOC-4) names a placeholder (TODO:) as approval.by, so it does not "
        "count as approved",
    )


def test_readiness_does_not_count_evidence_validate_refuses(make_repo: MakeRepo) -> None:
    # validate reported the path missing (AIMS206, an error); readiness said A.2.3 ready.
    files = {
        "evidence/policy.md": "The policy.\n",
        "controls/a.yaml": [
            control(
                "A.2.2",
                status="implemented",
                evidence=[{"path": "evidence/policy.md"}, {"path": "evidence/gone.md"}],
            ),
            control("A.2.3", status="implemented", evidence=[{"path": "evidence/gone.md"}]),
            control("A.2.4", status="implemented", evidence=[{"url": "https://x.example/r"}]),
            control("A.3.2", status="implemented", evidence=[{"path": "controls/a.yaml"}]),
        ],
    }
    root = make_repo(files)
    assert "AIMS206" in {d.code for d in run(load_repository(root, AS_OF)).diagnostics}
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for line in found.lines for r in line.requirements}
    assert [e.path for e in requirements["A.2.2"].evidence] == [
        "controls/a.yaml",
        "evidence/policy.md",
    ]
    assert requirements["A.2.2"].missing == ()
    assert requirements["A.2.3"].state == GAP
    assert requirements["A.2.3"].missing == (
        "implemented, but no evidence can be inspected: path 'evidence/gone.md' does not "
        "exist in the repository",
    )
    assert requirements["A.2.4"].missing == ()
    # Its own record file states the claim; it does not show it (AIMS503 says so too).
    assert requirements["A.3.2"].state == GAP
    assert requirements["A.3.2"].missing == (
        "implemented, but no evidence counts: 'controls/a.yaml' is a file of Control "
        "records, the Statement of Applicability, which states the claim rather than "
        "shows it",
    )


def test_readiness_names_an_invalid_soa_row_as_controls_does(make_repo: MakeRepo) -> None:
    # `aimsctl controls` and the SoA report said the row is invalid; readiness said
    # there was no row in the Statement of Applicability.
    root = make_repo({"controls/a.yaml": control("A.2.2", status="bogus")})
    found = readiness(load_repository(root, AS_OF))
    requirement = next(r for r in found.annex_a[0].requirements if r.id == "A.2.2")
    assert requirement.decision == "invalid" and requirement.state == GAP
    assert requirement.missing == ("not decided: its Control record fails validation",)
    other = next(r for r in found.annex_a[0].requirements if r.id == "A.2.3")
    assert other.decision == "missing"


def test_readiness_takes_an_exclusion_a_risk_treatment_relies_on_as_a_gap(
    make_repo: MakeRepo,
) -> None:
    # Excluding a partial control that R-1's treatment relies on (AIMS205, an error)
    # made it 'excluded' and ready: the change that made the programme worse raised
    # the count of controls decided and evidenced.
    treatment = {"option": "mitigate", "controls": ["A.2.2"]}
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk("R-1", treatment=treatment, residual=levels(1, 2)),
        "controls/a.yaml": [
            control("A.2.2", applicable=False, justification="No.", status=OMIT, reviewed=REVIEWED),
            control("A.2.3", applicable=False, justification="No.", status=OMIT, reviewed=REVIEWED),
        ],
    }
    root = make_repo(files)
    assert "AIMS205" in {d.code for d in run(load_repository(root, AS_OF)).diagnostics}
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for r in found.annex_a[0].requirements}
    assert requirements["A.2.2"].decision == "excluded" and requirements["A.2.2"].state == GAP
    assert requirements["A.2.2"].missing == (
        "excluded, but the treatment of R-1 relies on it (AIMS205)",
    )
    assert requirements["A.2.3"].state == NOT_APPLICABLE  # decided, nothing relies on it
    # The unsound exclusion is a gap and not counted excluded: counted as both, the
    # area's ready, excluded and gaps added up to more than its controls (0 + 2 + 2 of
    # 3), as `status` showed it.
    area = found.annex_a[0]
    assert (area.ready, area.excluded, area.gaps) == (0, 1, ["A.2.2", "A.2.4"])
    assert area.ready + area.excluded + len(area.gaps) == len(area.requirements)


def test_readiness_takes_an_exclusion_without_a_justification_as_a_gap(
    make_repo: MakeRepo,
) -> None:
    # `applicable: false` with an empty justification (AIMS203, an error) was counted
    # among the "Annex A controls excluded with a justification" and read 'not
    # applicable', where `aimsctl controls` says "excluded without a justification".
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "controls/a.yaml": [
            control("A.2.2", applicable=False, justification="", status=OMIT, reviewed=REVIEWED),
            control("A.2.3", applicable=False, justification="No.", status=OMIT, reviewed=REVIEWED),
        ],
    }
    root = make_repo(files)
    assert "AIMS203" in {d.code for d in run(load_repository(root, AS_OF)).diagnostics}
    found = readiness(load_repository(root, AS_OF))
    requirements = {r.id: r for r in found.annex_a[0].requirements}
    assert requirements["A.2.2"].state == GAP
    assert requirements["A.2.2"].missing == ("excluded without a justification (AIMS203)",)
    assert requirements["A.2.3"].state == NOT_APPLICABLE
    area = found.annex_a[0]
    assert (area.ready, area.excluded, area.gaps) == (0, 1, ["A.2.2", "A.2.4"])


def test_the_settings_readiness_counts_cite_the_clause_they_are_counted_for(
    make_repo: MakeRepo,
) -> None:
    """The settings of aims.yaml readiness counts as evidence (the scope, the risk
    criteria, the document register) name, in the schemas and the record reference,
    the clause readiness counts them for: the risk scales, bands and appetite are the
    risk criteria of 6.1.1, not the assessment of 6.1.2 that applies them."""
    config = (
        "version: 1\norganization: Test Org\nscope: Every AI system we build.\n"
        "risk: {appetite: medium}\n"
        "documents: {soa: {id: DOC-1, version: '1', owner: cro@acme.example}}\n"
    )
    found = readiness(load_repository(make_repo({}, config=config), AS_OF))
    counted: dict[str, set[str]] = {}
    for line in found.clauses:
        for requirement in line.requirements:
            for evidence in requirement.evidence:
                if evidence.kind == "aims.yaml":
                    counted.setdefault(evidence.id, set()).add(requirement.id)
    assert counted["risk"] == {"6.1.1"}
    for setting in ("scope", "risk", "documents"):
        extra = AimsConfig.model_fields[setting].json_schema_extra
        assert isinstance(extra, dict)
        assert extra[CLAUSE_KEY] in counted[setting], setting
    appetite = RiskConfig.model_fields["appetite"].json_schema_extra
    assert isinstance(appetite, dict) and appetite[CLAUSE_KEY] == "6.1.1"


def test_status_rich_layout_is_readable_at_80_columns(example_in_git: Path) -> None:
    text = render_rich(status(load_repository(example_in_git, AS_OF)), color=False, width=80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [_cells(line) for line in lines if line.startswith("│")]
    # Every readiness row shows its id, its title (the first words at least) and counts.
    clause = next(row for row in rows if row[0] == "7")
    assert clause[1].startswith("Support") and clause[2] == "3/7" and clause[3] == "gaps"
    area = next(row for row in rows if row[0] == "A.6")
    assert area[1] == "AI system life cycle"
    due = next(row for row in rows if row[2] == "MON-CREDIT-PSI")
    assert due[:2] == ["2026-12-01", "in 5 days"]
    assert due[3].startswith("next observation of")


def test_status_rich_layout_escapes_band_names(make_repo: MakeRepo) -> None:
    # A tier is a band name from aims.yaml; the plain layout escaped it, the Rich one
    # sent its escape sequence to the terminal.
    config = (
        "version: 1\norganization: Test Org\nrisk:\n  bands:\n"
        '    - {name: "lo\\e[31mw", max: 4}\n    - {name: high, max: 25}\n'
        "  appetite: high\n"
        'governance:\n  "lo\\e[31mw": {review_days: 365}\n  high: {review_days: 180}\n'
    )
    files = {"systems/SYS-1.yaml": system("SYS-1"), "risks/R-1.yaml": risk("R-1")}
    found = status(load_repository(make_repo(files, config=config), AS_OF))
    assert found.tiers == (("lo\x1b[31mw", 1),)
    text = render_rich(found, color=False, width=100)
    assert "\x1b" not in text and "1: 1 lo\\x1b[31mw" in text


def test_risk_register_at_80_columns_shows_ids_and_titles() -> None:
    repo = load_repository(EXAMPLE, AS_OF)
    text = register_table(register(repo), terminal=True, color=False, width=80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = _cells(next(line for line in lines if line.startswith("┃")))
    assert header == ["Id", "Title", "Current", "Appetite", "Status"]
    first = _cells(next(line for line in lines if line.startswith("│")))
    assert re.fullmatch(r"R-\d{3}", first[0])
    assert len(first[1]) >= 12  # the title has room, not zero width
    assert "Narrow terminal" in text
    wide = register_table(register(repo), terminal=True, color=False, width=250)
    assert _cells(next(line for line in wide.splitlines() if line.startswith("┃")))[-2:] == [
        "Owner",
        "Status",
    ]
    assert "Narrow terminal" not in wide


def test_readiness_counts_no_review_that_skipped_inputs_for_9_3_2(make_repo: MakeRepo) -> None:
    # A review that listed two of the seven inputs (AIMS618 names the other five) made
    # 9.3.2 ready: the report gave credit for inputs the review did not consider. It now
    # evidences the review held (9.3.1) and its results (9.3.3), not its inputs, unless
    # a later review recorded all seven.
    partial = management_review("MR-1", inputs=["previous-actions", "nonconformities"])
    root = make_repo({"reviews/MR-1.yaml": partial})
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert [e.id for e in requirements["9.3.1"].evidence] == ["MR-1"]
    assert [e.id for e in requirements["9.3.3"].evidence] == ["MR-1"]
    assert requirements["9.3.2"].missing == (
        "no ManagementReview record counts",
        "MR-1 does not record the inputs external-internal-issues, interested-parties, "
        "monitoring-results, audit-results and opportunities (AIMS618)",
    )
    full = management_review("MR-2", held="2026-10-15", inputs=list(REVIEW_INPUT_NAMES))
    (root / "reviews/MR-2.yaml").write_text(yaml_of(full), encoding="utf-8")
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert [e.id for e in requirements["9.3.2"].evidence] == ["MR-2"]
    assert requirements["9.3.2"].missing == ()


def test_readiness_names_the_risks_aims205_names_for_an_excluded_control(
    make_repo: MakeRepo,
) -> None:
    # Readiness kept its own copy of AIMS205's test for an excluded control: here it
    # must name exactly the risks the rule reports, and none for a control whose
    # exclusion is still a placeholder (the rule leaves that to AIMS107).
    both = {"option": "mitigate", "controls": ["A.2.2", "A.2.3"]}
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk("R-1", treatment=both, residual=levels(1, 2)),
        "risks/R-2.yaml": risk(
            "R-2",
            treatment={"option": "mitigate", "controls": ["A.2.2", "A.2.2"]},
            residual=levels(1, 2),
        ),
        "risks/R-3.yaml": risk("R-3"),  # no treatment: relies on nothing
        "controls/a.yaml": [
            control("A.2.2", applicable=False, justification="No.", status=OMIT, reviewed=REVIEWED),
            control(
                "A.2.3",
                applicable=False,
                justification="TODO: decide",
                status=OMIT,
                reviewed=REVIEWED,
            ),
        ],
    }
    root = make_repo(files)
    repo = load_repository(root, AS_OF)
    flagged = {
        (d.message.split("'")[1], d.record)  # "treatment relies on control 'A.2.2', ..."
        for d in run(repo).diagnostics
        if d.code == "AIMS205"
    }
    assert flagged == {("A.2.2", "R-1"), ("A.2.2", "R-2")}
    requirements = {r.id: r for r in readiness(repo).annex_a[0].requirements}
    assert requirements["A.2.2"].missing == (
        "excluded, but the treatment of R-1 and R-2 relies on it (AIMS205)",
    )
    assert requirements["A.2.3"].missing == ("not decided: its justification is a placeholder",)


def test_readiness_judges_9_3_2_on_the_latest_review_held(make_repo: MakeRepo, cli: Cli) -> None:
    # Any review that recorded all seven inputs evidenced 9.3.2, so MR-1 (complete, in
    # March) made it ready though MR-2, the review top management held last, skipped
    # two inputs: credit for inputs the latest review did not consider.
    complete = list(REVIEW_INPUT_NAMES)
    partial = [name for name in complete if name not in ("audit-results", "opportunities")]
    files = {
        "reviews/MR-1.yaml": management_review("MR-1", held="2026-03-01", inputs=complete),
        "reviews/MR-2.yaml": management_review("MR-2", held="2026-10-15", inputs=partial),
        # Held after the as-of date: not yet held, so not the latest review.
        "reviews/MR-3.yaml": management_review("MR-3", held="2026-12-01", inputs=complete),
    }
    root = make_repo(files)
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["9.3.2"].state == GAP
    assert requirements["9.3.2"].evidence == ()
    assert requirements["9.3.2"].missing == (
        "no ManagementReview record counts",
        "MR-1 is not the latest review held: MR-2 is, on 2026-10-15",
        "MR-2 does not record the inputs audit-results and opportunities (AIMS618)",
        "MR-3 is held on 2026-12-01, after the as-of date",
    )
    # 9.3.1 and 9.3.3 are about reviews held at all: every one held still counts.
    assert [e.id for e in requirements["9.3.1"].evidence] == ["MR-1", "MR-2"]
    # As `aimsctl status` shows it: MR-1 and MR-2 evidence 9.3.1 and 9.3.3, not 9.3.2.
    shown = cli("status", "--repo", root, "--as-of", AS_OF.isoformat()).stdout
    line = next(line for line in shown.splitlines() if "Performance evaluation" in line)
    assert line.split()[3:] == ["2/6", "gaps", "missing", "9.1,", "9.2.1,", "9.2.2,", "9.3.2"]
    # The latest review recording every input is what evidences 9.3.2.
    fixed = management_review("MR-2", held="2026-10-15", inputs=complete)
    (root / "reviews/MR-2.yaml").write_text(yaml_of(fixed), encoding="utf-8")
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["9.3.2"].state == READY
    assert [e.id for e in requirements["9.3.2"].evidence] == ["MR-2"]
    assert requirements["9.3.2"].missing == ()


def test_readiness_gives_no_9_3_2_credit_while_a_review_cannot_be_judged(
    make_repo: MakeRepo, cli: Cli
) -> None:
    # MR-1 records every input and is the latest valid review, but MR-2 fails validation
    # (a misspelt field) and may be a later one: which review top management held last,
    # and what it considered, cannot be known, so MR-1 counted for 9.3.2 on a guess.
    complete = list(REVIEW_INPUT_NAMES)
    broken = management_review("MR-2", held="2026-11-20", inputs=complete)
    broken["inputz"] = broken.pop("inputs")
    files = {
        "reviews/MR-1.yaml": management_review("MR-1", held="2026-03-01", inputs=complete),
        "reviews/MR-2.yaml": broken,
    }
    root = make_repo(files)
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["9.3.2"].state == GAP
    assert requirements["9.3.2"].missing == (
        "no ManagementReview record counts",
        "MR-1 may not be the latest review held: MR-2 fails validation and may be the one "
        "held last",
        "MR-2 fails validation",
    )
    # A review held still shows 9.3.1 done, whichever was the latest.
    assert [e.id for e in requirements["9.3.1"].evidence] == ["MR-1"]
    shown = cli("status", "--repo", root, "--as-of", AS_OF.isoformat()).stdout
    line = next(line for line in shown.splitlines() if "Performance evaluation" in line)
    assert "9.3.2" in line
    # A record whose kind cannot be read may be that review too.
    (root / "reviews/MR-2.yaml").write_text("kind: [ManagementReview]\nid: MR-2\n", "utf-8")
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["9.3.2"].state == GAP
    assert requirements["9.3.2"].missing[1] == (
        "MR-1 may not be the latest review held: a record whose kind or id cannot be read "
        "(at reviews/MR-2.yaml:1) may be the one held last"
    )
    # Fixed, MR-2 is the latest review and evidences 9.3.2.
    (root / "reviews/MR-2.yaml").write_text(
        yaml_of(management_review("MR-2", held="2026-11-20", inputs=complete)), "utf-8"
    )
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert [e.id for e in requirements["9.3.2"].evidence] == ["MR-2"]


def test_readiness_names_a_single_missing_review_input_in_the_singular(
    make_repo: MakeRepo,
) -> None:
    inputs = [name for name in REVIEW_INPUT_NAMES if name != "opportunities"]
    root = make_repo({"reviews/MR-1.yaml": management_review("MR-1", inputs=inputs)})
    requirements = {
        r.id: r for line in readiness(load_repository(root, AS_OF)).lines for r in line.requirements
    }
    assert requirements["9.3.2"].missing == (
        "no ManagementReview record counts",
        "MR-1 does not record the input opportunities (AIMS618)",
    )
