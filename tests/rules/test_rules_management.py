"""AIMS601-AIMS622: the management system itself, and the references its records make.

AS_OF is 2026-11-26. The records come from tests/factory.py: a Policy's `status` is
on line 5 (its value at column 9), a Role's `responsibilities` on line 5, an
Objective's `due` on line 7 and `status` on line 8, an InternalAudit's `status` on
line 4 and `planned` on line 5, a ManagementReview's `held` on line 4 and `chair` on
line 5, a Nonconformity's `status` on line 7; extra fields follow from the next line.
A finding with no record to point at is at aims.yaml 1:1.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rule_support import ACCEPTED, Cli, Make, at, of, validate

from aimsctl.readiness import readiness
from aimsctl.repository import load_repository
from aimsctl.rules import all_rules
from conftest import AS_OF, MINIMAL_CONFIG, PROJECT, FileContent, write_files
from factory import (
    OMIT,
    block,
    control,
    internal_audit,
    management_review,
    nonconformity,
    objective,
    policy,
    risk,
    role,
    system,
    waiver,
)

CONFIG = "aims.yaml"


@pytest.fixture
def make_repo(tmp_path: Path) -> Make:
    """A new repository at each call (conftest's writes into the one before), so a
    test can try several repositories."""
    made: list[Path] = []

    def make(files: Mapping[str, FileContent], config: str = MINIMAL_CONFIG) -> Path:
        root = tmp_path / f"repo-{len(made)}"
        made.append(root)
        root.mkdir()
        return write_files(root, {"aims.yaml": config, **files})

    return make


COMMITMENTS = ["requirements", "continual-improvement", "objectives-framework"]
# The seven inputs of a management review, one a line (lines 8-14 after `inputs:`).
INPUTS = block(
    [
        "previous-actions",
        "external-internal-issues",
        "interested-parties",
        "nonconformities",
        "monitoring-results",
        "audit-results",
        "opportunities",
    ]
)


def _approved(on: str = "2026-06-01", by: str = "ceo@acme.example", **fields: Any) -> Any:
    """An approved policy with every commitment (approval on line 7, by on 8, on on 9)."""
    approved = {"status": "approved", "approval": {"by": by, "on": on}, "commitments": COMMITMENTS}
    return policy(**{**approved, **fields})


def _completed(start: str, end: str, audit_id: str = "AUD-1", **fields: Any) -> Any:
    """A completed audit performed from ``start`` to ``end`` (performed on lines 9-11)."""
    return internal_audit(
        audit_id,
        status="completed",
        planned=start,
        performed={"from": start, "to": end},
        **fields,
    )


def _with(established: str | None = None, **cadence: int) -> str:
    """aims.yaml with `established` and `cadence` settings."""
    text = MINIMAL_CONFIG
    if cadence:
        text += "cadence: {" + ", ".join(f"{k}: {v}" for k, v in cadence.items()) + "}\n"
    if established is not None:
        text += f"established: {established}\n"
    return text


# A management system in order as of AS_OF: an approved policy, a review and an
# audit within the year, so that one test can look at one rule.
IN_ORDER: dict[str, FileContent] = {
    "policies/POL-1.yaml": _approved(),
    "reviews/MR-1.yaml": management_review(inputs=INPUTS),
    "audits/AUD-1.yaml": _completed("2026-03-02", "2026-03-06", scope=["4"]),
}


# --- AIMS601 ai-policy-missing ------------------------------------------------------


def test_no_approved_policy_once_the_aims_is_kept_in_records(make_repo: Make, cli: Cli) -> None:
    # A role is enough to say the repository keeps its management system.
    found = validate(cli, make_repo({"roles/ROLE-1.yaml": role(top_management=True)}))
    assert at(found, "AIMS601") == [(CONFIG, 1, 1)]
    assert of(found, "AIMS601")[0]["message"].startswith("no AI policy is recorded;")
    # So is `cadence` or `established` in aims.yaml, with no record yet.
    for config in (_with(internal_audit_days=180), _with("2026-01-05")):
        assert at(validate(cli, make_repo({}, config)), "AIMS601") == [(CONFIG, 1, 1)]
    drafts = {
        "policies/a.yaml": policy("POL-A"),
        "policies/b.yaml": policy("POL-B", status="retired"),
        # Approved only after the as-of date: not in force yet.
        "policies/c.yaml": _approved("2026-12-01", id="POL-C"),
    }
    found = validate(cli, make_repo(drafts))
    assert at(found, "AIMS601") == [
        ("policies/a.yaml", 5, 9),
        ("policies/b.yaml", 5, 9),
        ("policies/c.yaml", 5, 9),
    ]
    assert [d["message"] for d in of(found, "AIMS601")] == [
        "no AI policy is approved: POL-A is draft",
        "no AI policy is approved: POL-B is retired",
        "no AI policy is approved: POL-C is approved only on 2026-12-01",
    ]


def test_an_approved_policy_or_no_management_system_passes_aims601(
    make_repo: Make, cli: Cli
) -> None:
    # A repository that keeps only a risk register validates as before.
    found = validate(cli, make_repo({"systems/SYS-1.yaml": system(), "risks/R-1.yaml": risk()}))
    assert [d for d in found if d["code"] >= "AIMS600"] == []
    files = {"policies/a.yaml": [policy("POL-OLD", status="retired"), _approved()]}
    assert at(validate(cli, make_repo(files)), "AIMS601") == []
    # Before the AIMS is established, its policy is not due yet.
    files = {"policies/a.yaml": policy()}
    assert at(validate(cli, make_repo(files, _with("2027-01-01"))), "AIMS601") == []


# --- AIMS602 ai-policy-review-overdue -------------------------------------------------


def test_a_policy_past_its_review(make_repo: Make, cli: Cli) -> None:
    files = {
        # Approved 2025-11-25: the default 365 days ran out on 2026-11-25.
        "policies/a.yaml": _approved("2025-11-25", id="POL-A"),
        "policies/b.yaml": _approved(id="POL-B", next_review="2026-11-25"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS602") == [("policies/a.yaml", 9, 7), ("policies/b.yaml", 11, 14)]
    assert [d["message"] for d in of(found, "AIMS602")] == [
        "approved on 2025-11-25 and not reviewed since; cadence.policy_review_days is 365, "
        "so its review was due on 2026-11-25",
        "the policy's review was due on 2026-11-25",
    ]
    # A shorter cadence brings the review forward.
    found = validate(cli, make_repo({"policies/a.yaml": _approved()}, _with(policy_review_days=90)))
    assert at(found, "AIMS602") == [("policies/a.yaml", 9, 7)]


def test_a_policy_reviewed_in_time_passes_aims602(make_repo: Make, cli: Cli) -> None:
    files = {
        "policies/a.yaml": _approved("2025-11-26", id="POL-A"),  # due on AS_OF itself
        "policies/b.yaml": _approved("2024-01-10", id="POL-B", next_review="2027-01-10"),
        "policies/c.yaml": policy("POL-C", next_review="2025-01-01"),  # a draft
    }
    assert at(validate(cli, make_repo(files)), "AIMS602") == []


# --- AIMS603 ai-policy-commitment-missing --------------------------------------------


def test_an_approved_policy_lacking_commitments(make_repo: Make, cli: Cli) -> None:
    files = {
        "policies/a.yaml": _approved(id="POL-A", commitments=["requirements"]),
        "policies/b.yaml": _approved(id="POL-B", commitments=OMIT),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS603") == [("policies/a.yaml", 10, 1), ("policies/b.yaml", 5, 9)]
    assert [d["message"] for d in of(found, "AIMS603")] == [
        "approved policy lacks the 2 commitments continual-improvement and objectives-framework",
        "approved policy lacks the 3 commitments requirements, continual-improvement and "
        "objectives-framework",
    ]


def test_a_draft_or_a_complete_policy_passes_aims603(make_repo: Make, cli: Cli) -> None:
    files = {"policies/a.yaml": [_approved(id="POL-A"), policy("POL-B", commitments=[])]}
    assert at(validate(cli, make_repo(files)), "AIMS603") == []


# --- AIMS604 status-incomplete ------------------------------------------------------


def test_a_status_its_fields_do_not_show(make_repo: Make, cli: Cli) -> None:
    files = {
        "policies/a.yaml": _approved(approval=OMIT),
        "audits/a.yaml": internal_audit(status="completed"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS604") == [("audits/a.yaml", 4, 9), ("policies/a.yaml", 5, 9)]
    assert [d["message"] for d in of(found, "AIMS604")] == [
        "audit is completed but does not record when it was performed (from, to)",
        "policy is approved but does not record the approval (by, on)",
    ]
    # The policy still counts as approved: no second finding that none is.
    assert at(found, "AIMS601") == []


def test_recorded_approvals_and_dates_pass_aims604(make_repo: Make, cli: Cli) -> None:
    files = {
        "policies/a.yaml": [_approved(id="POL-A"), policy("POL-B")],
        "audits/a.yaml": [_completed("2026-03-02", "2026-03-06"), internal_audit("AUD-2")],
    }
    assert at(validate(cli, make_repo(files)), "AIMS604") == []


# --- AIMS605 no-top-management-role, AIMS606 not-top-management ------------------------


def test_roles_without_top_management(make_repo: Make, cli: Cli) -> None:
    files = {"roles/a.yaml": [role("ROLE-B"), role("ROLE-A", holder="cro@acme.example")]}
    found = validate(cli, make_repo(files))
    # At the first role by id: ROLE-A, the second document (lines 7-11 after `---`).
    assert at(found, "AIMS605") == [("roles/a.yaml", 7, 1)]
    assert of(found, "AIMS605")[0]["message"].startswith("none of the 2 roles is top management")
    # With no top management, who approved and who chaired are not judged.
    assert at(found, "AIMS606") == []


def test_one_top_management_role_passes_aims605(make_repo: Make, cli: Cli) -> None:
    files = {"roles/a.yaml": [role("ROLE-A"), role("ROLE-B", top_management=True)]}
    assert at(validate(cli, make_repo(files)), "AIMS605") == []


def test_policy_approver_and_review_chair_outside_top_management(make_repo: Make, cli: Cli) -> None:
    files = {
        "roles/a.yaml": [
            role("ceo", top_management=True),
            role("ai-lead", holder="lead@acme.example", reports_to="ceo"),
        ],
        "policies/a.yaml": _approved(by="lead@acme.example"),
        "reviews/a.yaml": management_review(chair="ai-lead", inputs=INPUTS),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS606") == [("policies/a.yaml", 8, 7), ("reviews/a.yaml", 5, 8)]
    assert [d["message"] for d in of(found, "AIMS606")] == [
        "the policy was approved by 'lead@acme.example', who is not top management (no "
        "Role with top_management: true names them)",
        "the review was chaired by 'ai-lead', who is not top management (no Role with "
        "top_management: true names them)",
    ]


def test_a_chair_or_approver_still_a_placeholder_is_reported_once(
    make_repo: Make, cli: Cli
) -> None:
    # The review `aimsctl new ManagementReview` writes was told its `TODO:` chair is not
    # top management, beside the placeholder finding (AIMS107), as AIMS607 never does.
    files = {
        "roles/a.yaml": role("ceo", top_management=True),
        "policies/a.yaml": _approved(by="TODO: who approves"),
        "reviews/a.yaml": management_review(chair="TODO: who chairs", inputs=INPUTS),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS606") == []
    assert {d["path"] for d in of(found, "AIMS107")} >= {"policies/a.yaml", "reviews/a.yaml"}


def test_top_management_by_role_id_or_holder_passes_aims606(make_repo: Make, cli: Cli) -> None:
    files = {
        "roles/a.yaml": role("ceo", top_management=True),  # holder ceo@acme.example
        "policies/a.yaml": _approved(by="ceo"),
        "reviews/a.yaml": management_review(chair="ceo@acme.example", inputs=INPUTS),
    }
    assert at(validate(cli, make_repo(files)), "AIMS606") == []


@pytest.mark.parametrize("holder", ["vacant", "TBD", "TODO: appoint a successor"])
def test_naming_a_vacant_top_management_role_approves_nothing(
    make_repo: Make, cli: Cli, holder: str
) -> None:
    """With the CEO gone and the role's holder `vacant`, a policy approved `by: ceo`
    and a review chaired by `ceo` passed AIMS606 and counted for readiness: nobody
    holding the role approved or chaired anything (as nobody accepts a risk, AIMS305).
    A name that is also another top-management role's holder still counts."""
    files = {
        "roles/a.yaml": [
            role("ceo", holder=holder, top_management=True),
            role("chair", holder="chair@acme.example", top_management=True),
        ],
        "policies/a.yaml": _approved(by="ceo"),
        "reviews/a.yaml": management_review(chair="chair@acme.example", inputs=INPUTS),
    }
    root = make_repo(files)
    found = validate(cli, root, schema_ok=False)
    assert [(d["path"], d["message"]) for d in of(found, "AIMS606")] == [
        (
            "policies/a.yaml",
            "the policy was approved by 'ceo', which names ceo, a top-management role whose "
            f"holder is {holder!r}; name the person who holds it",
        )
    ]
    requirements = {
        r.id: r
        for line in readiness(load_repository(root, date.fromisoformat(AS_OF))).lines
        for r in line.requirements
    }
    assert not requirements["5.2"].evidence


def test_a_review_chaired_by_a_vacant_role_is_said_so_wherever_it_is_not_counted(
    make_repo: Make, cli: Cli
) -> None:
    """AIMS606 says the chair names a top-management role nobody holds, but the review
    cadence (AIMS616, `due`), readiness and the management report said the chair 'is
    not top management', and the report showed the chair as 'top management' in the
    same page that counted the review as not held. Each now says the role is vacant."""
    from aimsctl.reports.management import _Roles

    files = {
        "roles/a.yaml": [
            role("ceo", holder="vacant", top_management=True),
            role("chair", holder="chair@acme.example", top_management=True),
        ],
        "policies/a.yaml": _approved(by="ceo"),
        "reviews/a.yaml": management_review(chair="ceo", inputs=INPUTS),
    }
    root = make_repo(files)
    vacant = "which names ceo, a top-management role whose holder is 'vacant'"
    found = validate(cli, root, schema_ok=False)
    cadence = [d["message"] for d in of(found, "AIMS616") + of(found, "AIMS617")]
    assert cadence and all(f"'ceo', {vacant} (AIMS606)" in m for m in cadence), cadence
    repo = load_repository(root, date.fromisoformat(AS_OF))
    requirements = {r.id: r for line in readiness(repo).lines for r in line.requirements}
    assert f"is approved by 'ceo', {vacant} (AIMS606)" in str(requirements["5.2"].missing)
    assert f"is chaired by 'ceo', {vacant} (AIMS606)" in str(requirements["9.3.1"].missing)
    chair = _Roles(repo).signer("ceo")
    assert chair["top_management"] is False
    assert [(r["id"], r["vacant"]) for r in chair["roles"]] == [("ceo", True)]


# --- AIMS607 owner-not-a-role -------------------------------------------------------


def test_owners_that_name_no_role(make_repo: Make, cli: Cli) -> None:
    files = {
        "roles/a.yaml": [
            role("ceo", top_management=True),
            role("risk-lead", holder="risk@acme.example", reports_to="ceo"),
        ],
        # Owner by holder, by role id, and two that are neither.
        "systems/SYS-1.yaml": system(owner="risk@acme.example"),
        "risks/R-1.yaml": risk(
            owner="risk-lead",
            treatment={"option": "accept", "owner": "rsk@acme.example"},
        ),
        "nonconformities/NC-1.yaml": nonconformity(
            owner="ceo",
            actions=[
                {
                    "description": "Fix it.",
                    "owner": "someone@acme.example",
                    "due": "2027-01-31",
                    "done": None,
                }
            ],
        ),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS607") == [
        ("nonconformities/NC-1.yaml", 10, 12),
        ("risks/R-1.yaml", 13, 10),
    ]
    assert [d["message"] for d in of(found, "AIMS607")] == [
        "owner 'someone@acme.example' is neither a Role id nor the holder of a Role",
        "owner 'rsk@acme.example' is neither a Role id nor the holder of a Role; did you mean "
        "'risk@acme.example'?",
    ]


def test_a_waiver_approved_by_no_role(make_repo: Make, cli: Cli) -> None:
    # A waiver sets a rule aside as an acceptance sets a risk (AIMS303 can be waived),
    # yet its approver was never looked up among the roles (gaming audit).
    files = {
        "roles/a.yaml": role("ceo", holder="ceo@acme.example", top_management=True),
        "waivers/a.yaml": [
            waiver("W-1", approved_by="friend@acme.example"),
            waiver("W-2", approved_by="ceo@acme.example"),
            waiver("W-3", approved_by="ceo"),
        ],
    }
    found = of(validate(cli, make_repo(files)), "AIMS607")
    assert [(d["record"], d["pointer"], d["message"]) for d in found] == [
        (
            "W-1",
            "/approved_by",
            "approver 'friend@acme.example' is neither a Role id nor the holder of a Role",
        )
    ]


def test_a_role_that_fails_validation_is_still_a_role_for_owners(make_repo: Make, cli: Cli) -> None:
    """A Role with a misspelt key fails validation: every owner naming it got a false
    AIMS607, and an owner that may be its holder was judged as if it had none."""
    lead = role("lead", holder="lead@acme.example", reports_to="ceo")
    lead["reponsibilities"] = lead.pop("responsibilities")
    files = {
        "roles/a.yaml": [role("ceo", top_management=True), lead],
        "systems/SYS-1.yaml": system(owner="lead"),
        "risks/R-1.yaml": risk(owner="lead@acme.example"),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [d["message"] for d in of(found, "AIMS607")] == [
        "owner 'lead@acme.example' is neither a Role id nor the holder of a Role; lead "
        "fails validation and may be the one whose holder it is"
    ]


def test_an_owner_named_by_many_records_is_matched_once(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 4,000 risks owned by a name that is no role, with 400 roles: each finding
    # compared the owner with every role again (validate: 17 s, not 3). The message
    # of every finding stays the same.
    from aimsctl.rules.management import roles

    asked: list[str] = []
    real = roles._owner_hint

    def counted(owner: str, *args: Any) -> str:
        asked.append(owner)
        return real(owner, *args)

    monkeypatch.setattr(roles, "_owner_hint", counted)
    files: dict[str, FileContent] = {
        "roles/a.yaml": [
            role("ceo", top_management=True),
            role("risk-lead", holder="risk@acme.example", reports_to="ceo"),
        ],
        "systems/SYS-1.yaml": system(owner="risk@acme.example"),
        **{f"risks/R-{n}.yaml": risk(f"R-{n}", owner="rsk@acme.example") for n in range(20)},
    }
    from aimsctl.validation import check

    found = check(make_repo(files), date.fromisoformat(AS_OF), use_cache=False)
    messages = [d.message for d in found.diagnostics if d.code == "AIMS607"]
    assert messages == 20 * [
        "owner 'rsk@acme.example' is neither a Role id nor the holder of a Role; did you mean "
        "'risk@acme.example'?"
    ]
    assert asked == ["rsk@acme.example"]


def test_an_owner_still_a_placeholder_is_reported_once(make_repo: Make, cli: Cli) -> None:
    # Each record `aimsctl new` writes had its owner reported twice at one place: the
    # placeholder (AIMS107), and "owner 'TODO: who owns the control' is neither a Role
    # id nor the holder of a Role", as if a Role were what the writer had to find.
    files = {
        "roles/a.yaml": [role("ceo", top_management=True)],
        "systems/SYS-1.yaml": system(owner="TODO: who answers for the system"),
        "risks/R-1.yaml": risk(
            owner="ceo", treatment={"option": "accept", "owner": "TODO: who treats it"}
        ),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS607") == []
    assert ("systems/SYS-1.yaml", "owner is still a placeholder; write it or remove it") in [
        (d["path"], d["message"]) for d in of(found, "AIMS107")
    ]
    assert "treatment.owner is still a placeholder; write it or remove it" in [
        d["message"] for d in of(found, "AIMS107")
    ]


def test_owners_are_not_judged_without_roles(make_repo: Make, cli: Cli) -> None:
    files = {"systems/SYS-1.yaml": system(owner="anyone@acme.example"), **IN_ORDER}
    assert at(validate(cli, make_repo(files)), "AIMS607") == []


# --- AIMS608 reporting-cycle, and references between roles (AIMS201) -------------------


def test_a_circle_of_reporting_is_reported_once(make_repo: Make, cli: Cli) -> None:
    files = {
        "roles/a.yaml": [
            role("C", top_management=True, reports_to="A"),
            role("A", reports_to="B"),
            role("B", reports_to="C"),
            # D reports into the circle without being part of it; E reports to itself.
            role("D", reports_to="A"),
            role("E", reports_to="E"),
        ]
    }
    found = validate(cli, make_repo(files))
    # Each circle at the `reports_to` of its first role: A (document 2), E (document 5).
    assert at(found, "AIMS608") == [("roles/a.yaml", 14, 13), ("roles/a.yaml", 35, 13)]
    assert [d["message"] for d in of(found, "AIMS608")] == [
        "roles report to each other in a circle: A -> B -> C -> A",
        "roles report to each other in a circle: E -> E",
    ]


def test_a_line_of_reporting_passes_aims608(make_repo: Make, cli: Cli) -> None:
    files = {
        "roles/a.yaml": [
            role("ceo", top_management=True),
            role("cro", reports_to="ceo"),
            role("analyst", reports_to="cro"),
        ]
    }
    assert at(validate(cli, make_repo(files)), "AIMS608") == []


def test_references_of_roles_objectives_and_audits(make_repo: Make, cli: Cli) -> None:
    files = {
        "systems/SYS-1.yaml": system(),
        "roles/a.yaml": [
            role(
                "ceo",
                top_management=True,
                accountable_for=["Risk", "SYS-1", "Risks", "R-404"],
            ),
            role("cro", reports_to="chief", holder="cro@acme.example"),
            role("cfo", reports_to="SYS-1", holder="cfo@acme.example"),
        ],
        "objectives/a.yaml": objective(systems=["SYS-1", "SYS-2"]),
        "audits/a.yaml": internal_audit(
            scope=["4", "A.6.2", "SYS-1", "SYS-9", "11"],
            findings=[
                {
                    "id": "F-1",
                    "type": "minor-nonconformity",
                    "reference": "9.2",
                    "description": "A finding.",
                    "nonconformity": "NC-9",
                },
                {
                    "id": "F-2",
                    "type": "observation",
                    "description": "A finding.",
                    "nonconformity": "SYS-1",
                },
            ],
        ),
    }
    found = validate(cli, make_repo(files))
    assert [(d["path"], d["line"], d["column"], d["message"]) for d in of(found, "AIMS201")] == [
        (
            "audits/a.yaml",
            6,
            28,
            "scope names AISystem 'SYS-9', which does not exist; did you mean 'SYS-1'?; a "
            'scope entry is a clause ("4" to "10.2"), an Annex A id or an AISystem',
        ),
        (
            "audits/a.yaml",
            6,
            35,
            "scope names AISystem '11', which does not exist; a scope entry is a clause "
            '("4" to "10.2"), an Annex A id or an AISystem',
        ),
        (
            "audits/a.yaml",
            14,
            20,
            "nonconformity names Nonconformity 'NC-9', which does not exist",
        ),
        (
            "audits/a.yaml",
            18,
            20,
            "nonconformity names 'SYS-1', which is an AISystem, not a Nonconformity",
        ),
        (
            "objectives/a.yaml",
            9,
            18,
            "systems names AISystem 'SYS-2', which does not exist; did you mean 'SYS-1'?",
        ),
        (
            "roles/a.yaml",
            7,
            32,
            "accountable_for names 'Risks', neither a record nor a kind; did you mean 'Risk'?",
        ),
        (
            "roles/a.yaml",
            7,
            39,
            "accountable_for names record 'R-404', which does not exist",
        ),
        (
            "roles/a.yaml",
            14,
            13,
            "reports_to names Role 'chief', which does not exist",
        ),
        (
            "roles/a.yaml",
            21,
            13,
            "reports_to names 'SYS-1', which is an AISystem, not a Role",
        ),
    ]


def test_references_in_order_pass_aims201(make_repo: Make, cli: Cli) -> None:
    files = {
        "systems/SYS-1.yaml": system(),
        "roles/a.yaml": [
            role("ceo", top_management=True, accountable_for=["AISystem", "SYS-1"]),
            role("cro", reports_to="ceo", holder="cro@acme.example"),
        ],
        "objectives/a.yaml": objective(systems=["SYS-1"]),
        "audits/a.yaml": internal_audit(
            scope=["4", "6.1.2", "A.6", "A.6.2", "A.6.2.4", "SYS-1"],
            findings=[
                {
                    "id": "F-1",
                    "type": "major-nonconformity",
                    "description": "A finding.",
                    "nonconformity": "NC-1",
                }
            ],
        ),
        "nonconformities/a.yaml": nonconformity(),
    }
    assert at(validate(cli, make_repo(files)), "AIMS201") == []


# --- AIMS623 objective-achieved-unmeasured ------------------------------------------


def test_an_objective_achieved_with_no_measurement(make_repo: Make, cli: Cli) -> None:
    # Marked achieved with no progress at all, or only a measurement dated later:
    # readiness took 6.2 as evidenced and nothing said otherwise (gaming audit).
    files = {
        "objectives/a.yaml": [
            objective("OBJ-A", status="achieved"),
            objective("OBJ-B", status="achieved", progress=[{"on": "2026-12-20", "value": "100%"}]),
            objective("OBJ-C", status="achieved", progress=[{"on": "2026-10-01", "value": "100%"}]),
            objective("OBJ-D", status="on-track"),
        ]
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS623")
    assert [(d["record"], d["severity"], d["pointer"]) for d in found] == [
        ("OBJ-A", "warning", "/status"),
        ("OBJ-B", "warning", "/status"),
    ]
    assert found[0]["message"] == (
        "objective is achieved, but records no progress measurement: nothing shows its "
        "target (100%) was reached; add the measurement as a progress entry"
    )
    assert found[1]["message"].startswith(
        "objective is achieved, but records no progress measurement on or before 2026-11-26:"
    )


def test_an_objective_achieved_short_of_its_target(make_repo: Make, cli: Cli) -> None:
    """OBJ-ASSESSED `achieved` with a last measurement of 60% against a target of 100%
    passed, readiness counted it for 6.2 and the report showed "achieved | 60%". The
    latest measurement is judged against the target where both are numbers or both
    percentages and the target's direction is told; otherwise nothing is said."""

    def achieved(oid: str, target: object, *values: object, **fields: Any) -> Any:
        days = ["2026-09-30", "2026-10-31", "2026-11-20"]
        progress = [{"on": on, "value": v} for on, v in zip(days, values, strict=False)]
        return objective(oid, target=target, progress=progress, **{"status": "achieved", **fields})

    files = {
        "objectives/a.yaml": [
            achieved("OBJ-A", "100%", "75%", "60%"),  # a bare 100% is a minimum
            achieved("OBJ-B", "100%", "60%", "100%"),
            achieved("OBJ-C", "at most 5", 3, 7),  # a maximum, as it says
            achieved("OBJ-D", "at most 5", 7, 3),
            achieved("OBJ-E", 0.85, 0.84),  # a bare number: its direction is not told
            achieved("OBJ-F", "95%", 0.9),  # a number against a percentage
            achieved("OBJ-G", "at least 95%", "93 %"),
            achieved("OBJ-H", "100%", "all but two"),  # words
            achieved("OBJ-I", 0, 2),  # a bare zero is a maximum
            achieved("OBJ-J", "100%", "120%", "90%"),  # past 100%: not a share
            achieved("OBJ-K", ">= 0.85", "0.84"),
            achieved("OBJ-L", "100%", "60%", status="on-track"),  # not achieved
            achieved("OBJ-M", 0, -2, 1),  # below zero: the measure is signed
            achieved("OBJ-N", "5 or fewer", 6),
            achieved("OBJ-O", "below 2%", "2%"),
            # Judged exactly: read as a float, this was 80% and met the target.
            achieved("OBJ-P", "at least 80%", "79.999999999999999%"),
        ]
    }
    # a measurement dated after the as-of date is not the latest
    files["objectives/a.yaml"][6]["progress"].append({"on": "2026-12-01", "value": "99%"})
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS623")
    assert [(d["record"], d["severity"], d["pointer"]) for d in found] == [
        (oid, "warning", "/status")
        for oid in ("OBJ-A", "OBJ-C", "OBJ-G", "OBJ-I", "OBJ-K", "OBJ-N", "OBJ-O", "OBJ-P")
    ]
    assert found[0]["message"] == (
        "objective is achieved, but its latest progress measurement, 60% on 2026-10-31, "
        "does not meet its target (100%): nothing shows the target was reached; add the "
        "measurement that shows it, or set the status the latest measurement shows"
    )
    assert (
        "measurement, 7 on 2026-10-31, does not meet its target (at most 5)"
        in (found[1]["message"])
    )
    assert (
        "measurement, 93 % on 2026-09-30, does not meet its target (at least 95%)"
        in (found[2]["message"])
    )


# --- AIMS609 objective-overdue, AIMS610 objective-progress-stale -----------------------


def test_objectives_past_due_and_not_settled(make_repo: Make, cli: Cli) -> None:
    files = {
        "objectives/a.yaml": [
            objective("OBJ-A", due="2026-11-25", status="on-track"),
            objective("OBJ-B", due="2026-01-31", status="planned"),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS609") == [("objectives/a.yaml", 7, 6), ("objectives/a.yaml", 16, 6)]
    assert of(found, "AIMS609")[0]["message"] == (
        "objective was due on 2026-11-25 and is still on-track; record whether it was "
        "achieved, missed or withdrawn"
    )


def test_settled_or_not_yet_due_objectives_pass_aims609(make_repo: Make, cli: Cli) -> None:
    files = {
        "objectives/a.yaml": [
            objective("OBJ-A", due="2026-01-31", status="achieved"),
            objective("OBJ-B", due="2026-01-31", status="missed"),
            objective("OBJ-C", due="2026-01-31", status="withdrawn"),
            objective("OBJ-D", due="2026-11-26", status="at-risk"),  # due today
        ]
    }
    assert at(validate(cli, make_repo(files)), "AIMS609") == []


def test_objectives_under_way_without_recent_progress(make_repo: Make, cli: Cli) -> None:
    files = {
        "objectives/a.yaml": [
            objective("OBJ-A", status="on-track"),
            # 2025-11-25 + 365 days = 2026-11-25, a day before AS_OF.
            objective("OBJ-B", status="at-risk", progress=[{"on": "2025-11-25", "value": 40}]),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS610") == [("objectives/a.yaml", 8, 9), ("objectives/a.yaml", 19, 3)]
    assert [d["message"] for d in of(found, "AIMS610")] == [
        "objective is on-track but records no progress; add a progress entry with the latest "
        "measurement",
        "last progress was recorded on 2025-11-25; cadence.management_review_days is 365, so "
        "a new measurement was due by 2026-11-25",
    ]
    # The period is the management review's: a shorter one asks for fresher figures.
    files = {
        "objectives/a.yaml": objective(
            status="on-track", progress=[{"on": "2026-09-01", "value": "55%"}]
        )
    }
    found = validate(cli, make_repo(files, _with(management_review_days=60)))
    assert at(found, "AIMS610") == [("objectives/a.yaml", 10, 3)]


def test_measured_or_not_started_objectives_pass_aims610(make_repo: Make, cli: Cli) -> None:
    files = {
        "objectives/a.yaml": [
            objective("OBJ-A", status="planned"),
            objective("OBJ-B", status="on-track", progress=[{"on": "2025-11-26", "value": 1}]),
            objective("OBJ-C", status="achieved", progress=[{"on": "2024-01-01", "value": 1}]),
        ]
    }
    assert at(validate(cli, make_repo(files)), "AIMS610") == []


# --- AIMS611 internal-audit-overdue, AIMS612 internal-audit-unplanned ---------------------


def test_the_last_audit_is_too_old(make_repo: Make, cli: Cli) -> None:
    files = {
        "audits/a.yaml": [
            _completed("2025-06-02", "2025-06-06", "AUD-1"),
            # Ended 2025-11-25: the next was due on 2026-11-25.
            _completed("2025-11-17", "2025-11-25", "AUD-2"),
            internal_audit("AUD-3", planned="2026-12-01"),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS611") == [("audits/a.yaml", 23, 7)]
    assert of(found, "AIMS611")[0]["message"] == (
        "the last internal audit ended on 2025-11-25; cadence.internal_audit_days is 365, so "
        "the next was due on 2026-11-25"
    )
    assert at(found, "AIMS612") == []


def test_no_audit_once_the_aims_is_older_than_a_period(make_repo: Make, cli: Cli) -> None:
    # Established 2025-11-25: the first audit was due on 2026-11-25.
    found = validate(cli, make_repo({"policies/a.yaml": _approved()}, _with("2025-11-25")))
    assert at(found, "AIMS611") == [(CONFIG, 1, 1)]
    assert of(found, "AIMS611")[0]["message"] == (
        "no internal audit has been completed; the AIMS was established on 2025-11-25, so "
        "the first was due on 2026-11-25"
    )
    # Without `established`, the records date the start: here a policy approved in
    # 2025, and an audit planned but never carried out.
    files = {
        "policies/a.yaml": _approved("2025-06-01", next_review="2027-06-01"),
        "audits/a.yaml": internal_audit(planned="2026-09-01"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS611") == [("audits/a.yaml", 4, 9)]
    assert of(found, "AIMS611")[0]["message"] == (
        "no internal audit has been completed; aims.yaml sets no `established`, and the "
        "records show the AIMS at work since 2025-06-01, so the first was due on 2026-06-01, "
        "and AUD-1 is planned for 2026-09-01"
    )


def test_audits_in_time_pass_aims611(make_repo: Make, cli: Cli) -> None:
    # The last audit ended 2025-11-26: due on AS_OF itself.
    files = {"audits/a.yaml": _completed("2025-11-20", "2025-11-26"), **IN_ORDER}
    files.pop("audits/AUD-1.yaml")
    assert at(validate(cli, make_repo(files)), "AIMS611") == []
    # A young AIMS (established 2025-11-26) is not late yet: AIMS612 speaks for it.
    found = validate(cli, make_repo({"policies/a.yaml": _approved()}, _with("2025-11-26")))
    assert (at(found, "AIMS611"), at(found, "AIMS612")) == ([], [(CONFIG, 1, 1)])
    # A repository that keeps no management system is not asked for audits.
    assert at(validate(cli, make_repo({"systems/SYS-1.yaml": system()})), "AIMS611") == []


def test_a_young_aims_without_a_first_audit_planned_in_time(make_repo: Make, cli: Cli) -> None:
    found = validate(cli, make_repo({"policies/a.yaml": _approved()}, _with("2026-03-01")))
    assert at(found, "AIMS612") == [(CONFIG, 1, 1)]
    assert of(found, "AIMS612")[0]["message"] == (
        "no internal audit is completed or planned; the AIMS was established on 2026-03-01, "
        "so the first falls due on 2027-03-01"
    )
    files = {"policies/a.yaml": _approved(), "audits/a.yaml": internal_audit(planned="2027-03-02")}
    found = validate(cli, make_repo(files, _with("2026-03-01")))
    assert at(found, "AIMS612") == [("audits/a.yaml", 5, 10)]
    assert of(found, "AIMS612")[0]["message"] == (
        "the first internal audit falls due on 2027-03-01, but AUD-1 is planned only for 2027-03-02"
    )
    # Where nothing says when the AIMS started, a planned audit is all it can ask for.
    found = validate(cli, make_repo({"roles/a.yaml": role(top_management=True)}))
    assert at(found, "AIMS612") == [(CONFIG, 1, 1)]


def test_a_first_audit_planned_in_time_passes_aims612(make_repo: Make, cli: Cli) -> None:
    files = {"policies/a.yaml": _approved(), "audits/a.yaml": internal_audit(planned="2027-03-01")}
    assert at(validate(cli, make_repo(files, _with("2026-03-01"))), "AIMS612") == []
    files = {"roles/a.yaml": role(top_management=True), "audits/a.yaml": internal_audit()}
    assert at(validate(cli, make_repo(files)), "AIMS612") == []


def test_a_planned_audit_still_holding_placeholders_is_no_programme(
    make_repo: Make, cli: Cli
) -> None:
    """The starter's AUD-FIRST (auditor `TODO: who audits: ...`) counted as the first
    audit planned in time, so AIMS612 said nothing on a repository where nobody was
    assigned to audit anything. A plan still holding placeholder text is no plan now:
    AIMS612 names it, at its `planned` date, and so does AIMS611 once the first is late."""
    todo = "TODO: who audits"
    files = {"policies/a.yaml": _approved(), "audits/a.yaml": internal_audit(auditor=todo)}
    found = validate(cli, make_repo(files, _with("2026-03-01")), schema_ok=False)
    assert at(found, "AIMS612") == [("audits/a.yaml", 5, 10)]
    assert of(found, "AIMS612")[0]["message"] == (
        "no internal audit is completed or planned; the AIMS was established on 2026-03-01, "
        "so the first falls due on 2027-03-01 (AUD-1 still holds placeholder text (TODO:), so "
        "it does not count as planned)"
    )
    # Where nothing says when the AIMS started, it is named too.
    files["policies/a.yaml"] = policy()
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS612") == [("audits/a.yaml", 5, 10)]
    assert of(found, "AIMS612")[0]["message"].endswith(
        "(AUD-1 still holds placeholder text (TODO:), so it does not count as planned)"
    )
    # A written plan in time answers it; the unwritten one beside it is not named.
    files["audits/a.yaml"] = [
        internal_audit("AUD-1", auditor=todo),
        internal_audit("AUD-2", planned="2027-02-01"),
    ]
    found = validate(cli, make_repo(files, _with("2026-03-01")), schema_ok=False)
    assert at(found, "AIMS612") == []
    # Once the first audit is late, AIMS611 says the plan does not count either.
    files["audits/a.yaml"] = internal_audit(auditor=todo, planned="2026-09-01")
    found = validate(cli, make_repo(files, _with("2025-06-01")), schema_ok=False)
    assert at(found, "AIMS611") == [("audits/a.yaml", 4, 9)]
    assert of(found, "AIMS611")[0]["message"] == (
        "no internal audit has been completed; the AIMS was established on 2025-06-01, so "
        "the first was due on 2026-06-01, and AUD-1 is planned for 2026-09-01 (AUD-1 still "
        "holds placeholder text (TODO:), so it does not count as planned)"
    )


def test_a_cadence_finding_points_at_the_record_left_out_for_its_placeholders(
    make_repo: Make, cli: Cli
) -> None:
    """AIMS611, AIMS612, AIMS616 and AIMS617 said at aims.yaml:1:1 that no audit was
    completed or no review held, while the reason was a record in another file (its
    `TODO:` text left it out): an editor or a pull request annotation showed the finding
    nowhere near it. Each is now at that record's date (`held`, `performed.to`), and at
    aims.yaml only where no record exists."""
    todo = "TODO: an example to make your own."
    files: dict[str, FileContent] = {
        "policies/POL-1.yaml": _approved(),
        "reviews/MR-1.yaml": management_review(description=todo),
        "audits/AUD-1.yaml": _completed("2026-03-02", "2026-03-06", description=todo),
    }
    found = validate(cli, make_repo(files, _with("2025-01-01")), schema_ok=False)
    assert at(found, "AIMS611") == [("audits/AUD-1.yaml", 11, 7)]
    assert at(found, "AIMS616") == [("reviews/MR-1.yaml", 4, 7)]
    assert [d["record"] for d in found if d["code"] in ("AIMS611", "AIMS616")] == ["AUD-1", "MR-1"]
    # In a young AIMS, the reminders are at them too.
    found = validate(cli, make_repo(files, _with("2026-03-01")), schema_ok=False)
    assert at(found, "AIMS612") == [("audits/AUD-1.yaml", 11, 7)]
    assert at(found, "AIMS617") == [("reviews/MR-1.yaml", 4, 7)]
    # Of two left out, the latest: the one that would have counted.
    files["reviews/MR-1.yaml"] = [
        management_review("MR-1", held="2026-02-01", description=todo),
        management_review("MR-2", held="2026-05-01", description=todo),
    ]
    found = validate(cli, make_repo(files, _with("2025-01-01")), schema_ok=False)
    assert at(found, "AIMS616") == [("reviews/MR-1.yaml", 12, 7)]
    assert of(found, "AIMS616")[0]["record"] == "MR-2"
    # With no record to point at, aims.yaml.
    found = validate(cli, make_repo({"policies/POL-1.yaml": _approved()}, _with("2025-01-01")))
    assert (at(found, "AIMS611"), at(found, "AIMS616")) == ([(CONFIG, 1, 1)], [(CONFIG, 1, 1)])


def test_an_audit_that_fails_validation_leaves_the_programme_not_judged(
    make_repo: Make, cli: Cli
) -> None:
    # AUD-2 (no auditor: AIMS103) may be the audit completed in 2026. AIMS611 said
    # nothing where it was the only audit (the programme looked covered), and "the next
    # was due on 2026-06-06" after AUD-1 (as if none had followed); AIMS614 said its
    # scope was not covered. Now each says it cannot be judged, at AUD-2.
    broken = _completed("2026-06-01", "2026-06-05", "AUD-2", auditor=OMIT, scope=["9"])
    not_judged = (
        "; whether that holds cannot be judged: InternalAudit AUD-2 fails validation and "
        "may be the one held; fix it (aimsctl validate lists the errors)"
    )
    found = validate(
        cli, schema_ok=False, root=make_repo({"audits/a.yaml": broken}, _with("2024-01-10"))
    )
    assert "AIMS103" in {d["code"] for d in found}
    assert at(found, "AIMS611") == [("audits/a.yaml", 1, 1)]
    assert of(found, "AIMS611")[0]["message"] == (
        "no internal audit has been completed; the AIMS was established on 2024-01-10, so "
        "the first was due on 2025-01-09" + not_judged
    )
    files = {"audits/a.yaml": [_completed("2025-06-02", "2025-06-06", "AUD-1"), broken]}
    found = validate(cli, schema_ok=False, root=make_repo(files))
    assert at(found, "AIMS611") == [("audits/a.yaml", 1, 1)]
    assert of(found, "AIMS611")[0]["message"] == (
        "the last internal audit ended on 2025-06-06; cadence.internal_audit_days is 365, so "
        "the next was due on 2026-06-06" + not_judged
    )
    assert of(found, "AIMS614")[0]["message"].endswith(
        "; whether that holds cannot be judged: InternalAudit AUD-2 fails validation and "
        "may be the one whose scope covers it; fix it (aimsctl validate lists the errors)"
    )
    assert at(found, "AIMS614") == [("audits/a.yaml", 1, 1)]
    # An audit in time answers the question whatever else fails.
    files = {"audits/a.yaml": [_completed("2026-06-02", "2026-06-06", "AUD-1"), broken]}
    assert at(validate(cli, schema_ok=False, root=make_repo(files)), "AIMS611") == []


def test_a_review_decision_of_punctuation_alone_is_no_decision(make_repo: Make, cli: Cli) -> None:
    # records-v2: decisions are required and not empty; "-" passed where "" did not,
    # and the review counted as held with its decisions (9.3.3 ready).
    files = {"reviews/a.yaml": management_review(inputs=INPUTS, decisions=["Keep going.", "-"])}
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [(d["code"], d["pointer"], d["message"]) for d in found if d["code"] == "AIMS102"] == [
        (
            "AIMS102",
            "/decisions/1",
            "entry 2 of decisions: says nothing ('-'): write words, not only punctuation",
        )
    ]


def test_a_review_or_policy_that_fails_validation_is_not_judged(make_repo: Make, cli: Cli) -> None:
    # MR-1 without a chair, POL-1 without a version: either may be the one held or
    # approved, so AIMS616 and AIMS601 neither stay silent nor call them missing. They
    # say so in `due`'s words beside the same item ("may be the one held"), not in
    # words of their own ("may be the record that answers it").
    files = {
        "reviews/a.yaml": management_review(held="2025-06-01", chair=OMIT),
        "policies/a.yaml": _approved(version=OMIT),
    }
    found = validate(cli, schema_ok=False, root=make_repo(files, _with("2024-01-10")))
    assert at(found, "AIMS616") == [("reviews/a.yaml", 1, 1)]
    assert of(found, "AIMS616")[0]["message"].startswith(
        "no management review has been held; the AIMS was established on 2024-01-10, so the "
        "first was due on 2025-01-09; whether that holds cannot be judged: ManagementReview "
        "MR-1 fails validation and may be the one held; fix it (aimsctl validate lists the "
        "errors)"
    )
    assert at(found, "AIMS601") == [("policies/a.yaml", 1, 1)]
    assert of(found, "AIMS601")[0]["message"].startswith(
        "no valid AI policy is approved; whether that holds cannot be judged: Policy POL-1 "
        "fails validation and may be the one approved; fix it (aimsctl validate lists the "
        "errors)"
    )


def test_a_young_aims_with_only_an_invalid_audit_or_review_is_not_judged(
    make_repo: Make, cli: Cli
) -> None:
    # AIMS612 and AIMS617 speak for a young AIMS; the only audit (no auditor) or review
    # (no chair) failing validation may be the one planned or held, so neither rule
    # calls it missing, nor stays silent.
    files = {
        "audits/a.yaml": internal_audit(planned="2027-01-15", auditor=OMIT),
        "reviews/a.yaml": management_review(held="2026-10-01", chair=OMIT),
    }
    found = validate(cli, schema_ok=False, root=make_repo(files, _with("2026-03-01")))
    assert at(found, "AIMS612") == [("audits/a.yaml", 1, 1)]
    assert of(found, "AIMS612")[0]["message"] == (
        "no internal audit is completed or planned; the AIMS was established on 2026-03-01, "
        "so the first falls due on 2027-03-01; whether that holds cannot be judged: "
        "InternalAudit AUD-1 fails validation and may be the one planned or held; fix it "
        "(aimsctl validate lists the errors)"
    )
    assert at(found, "AIMS617") == [("reviews/a.yaml", 1, 1)]
    assert of(found, "AIMS617")[0]["message"].endswith(
        "; whether that holds cannot be judged: ManagementReview MR-1 fails validation and "
        "may be the one held; fix it (aimsctl validate lists the errors)"
    )
    # Valid, the same records answer both rules.
    files = {
        "audits/a.yaml": internal_audit(planned="2027-01-15"),
        "reviews/a.yaml": management_review(held="2026-10-01"),
    }
    found = validate(cli, make_repo(files, _with("2026-03-01")))
    assert (at(found, "AIMS612"), at(found, "AIMS617")) == ([], [])


def test_a_record_whose_kind_or_id_cannot_be_read_is_named_where_one_is_missing(
    make_repo: Make, cli: Cli
) -> None:
    # Each of these records fails AIMS101 and may be the review held (or the audit, or
    # the policy: a kind that cannot be read may be any). AIMS616 said "no management
    # review has been held" without a word of them; now the finding stays and names them
    # in `due`'s words ("may be the one held"). The ManagementReview with no id is a
    # candidate for AIMS616 only.
    files: dict[str, FileContent] = {
        "reviews/a.yaml": "kind: [ManagementReview]\nid: MR-1\nheld: 2025-06-01\n",
        "reviews/b.yaml": "title: Review of June\nheld: 2025-06-01\n",
        "reviews/c.yaml": "kind: ManagementReview\ntitle: June\nheld: 2025-06-01\n",
    }
    found = validate(cli, schema_ok=False, root=make_repo(files, _with("2024-01-10")))
    assert at(found, "AIMS616") == [(CONFIG, 1, 1)]
    assert of(found, "AIMS616")[0]["message"] == (
        "no management review has been held; the AIMS was established on 2024-01-10, so the "
        "first was due on 2025-01-09; 3 records whose kind or id cannot be read (at "
        "reviews/a.yaml:1, reviews/b.yaml:1, reviews/c.yaml:1) may include the one held"
    )
    assert of(found, "AIMS611")[0]["message"].endswith(
        "; 2 records whose kind or id cannot be read (at reviews/a.yaml:1, "
        "reviews/b.yaml:1) may include the one held"
    )
    assert of(found, "AIMS601")[0]["message"] == (
        "no AI policy is recorded; add a Policy record approved by top management (folder "
        "policies/); 2 records whose kind or id cannot be read (at reviews/a.yaml:1, "
        "reviews/b.yaml:1) may include the one approved"
    )
    # One, `kind: 7`, in a file of a valid review held too long ago: "since this one".
    files = {
        "reviews/a.yaml": [
            management_review("MR-1", held="2025-06-01", inputs=INPUTS),
            {"kind": 7, "id": "MR-2", "held": "2026-06-01"},
        ]
    }
    found = validate(cli, schema_ok=False, root=make_repo(files))
    assert at(found, "AIMS616") == [("reviews/a.yaml", 4, 7)]
    assert of(found, "AIMS616")[0]["message"].endswith(
        "so the next was due on 2026-06-01; a record whose kind or id cannot be read (at "
        "reviews/a.yaml:16) may be the one held"
    )
    # Beside a review that fails validation, the rule cannot judge, and names both.
    files = {
        "reviews/a.yaml": management_review(held="2025-06-01", chair=OMIT),
        "reviews/b.yaml": "kind: 7\nid: MR-2\n",
    }
    found = validate(cli, schema_ok=False, root=make_repo(files, _with("2024-01-10")))
    assert of(found, "AIMS616")[0]["message"].endswith(
        "; whether that holds cannot be judged: ManagementReview MR-1 fails validation and "
        "may be the one held; a record whose kind or id cannot be read (at reviews/b.yaml:1) "
        "may be the one held; fix them (aimsctl validate lists the errors)"
    )
    # More than three are counted after the first three.
    files = {f"reviews/{n}.yaml": "kind: 7\nid: MR-1\n" for n in "abcde"}
    found = validate(cli, schema_ok=False, root=make_repo(files, _with("2024-01-10")))
    assert of(found, "AIMS616")[0]["message"].endswith(
        "; 5 records whose kind or id cannot be read (at reviews/a.yaml:1, reviews/b.yaml:1, "
        "reviews/c.yaml:1 and 2 more) may include the one held"
    )


def test_records_read_in_full_add_no_word_to_a_missing_review(make_repo: Make, cli: Cli) -> None:
    # A document that holds no record (empty, a scalar) is no candidate, nor is a valid
    # record of another kind: the finding is as before.
    files: dict[str, FileContent] = {
        "reviews/a.yaml": "---\n---\njust a note\n",
        "policies/a.yaml": _approved(),
    }
    found = validate(cli, schema_ok=False, root=make_repo(files, _with("2024-01-10")))
    assert of(found, "AIMS616")[0]["message"] == (
        "no management review has been held; the AIMS was established on 2024-01-10, so the "
        "first was due on 2025-01-09"
    )


# --- AIMS613 auditor-not-independent -------------------------------------------------


def test_an_auditor_who_is_not_independent(make_repo: Make, cli: Cli) -> None:
    files = {"audits/a.yaml": internal_audit(independent=False)}
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS613") == [("audits/a.yaml", 8, 14)]
    assert of(found, "AIMS613")[0]["message"] == (
        "the audit records `independent: false`: auditor 'auditor@acme.example' is not "
        "independent of the area audited; name one who is, and say so"
    )


def test_an_independent_auditor_passes_aims613(make_repo: Make, cli: Cli) -> None:
    assert at(validate(cli, make_repo({"audits/a.yaml": internal_audit()})), "AIMS613") == []


def test_an_auditor_written_in_another_letter_case_is_still_the_owner(
    make_repo: Make, cli: Cli
) -> None:
    # `Auditor@Acme.example` auditing what `auditor@acme.example` owns, directly or as
    # the holder of its Role, passed as independent: one mailbox, one person.
    files = {
        "systems/a.yaml": system("SYS-1", owner="auditor@acme.example"),
        "controls/a.yaml": control("A.6.2.4", owner="ml-lead"),
        "roles/a.yaml": role("ml-lead", holder="auditor@acme.example", top_management=True),
        "audits/a.yaml": [
            internal_audit("AUD-1", scope=["SYS-1"], auditor="Auditor@Acme.example"),
            internal_audit("AUD-2", scope=["A.6"], auditor="AUDITOR@acme.example"),
        ],
    }
    found = of(validate(cli, make_repo(files)), "AIMS613")
    assert sorted(d["record"] for d in found) == ["AUD-1", "AUD-2"]


def test_an_auditor_who_owns_what_they_audit(make_repo: Make, cli: Cli) -> None:
    """`independent: true` does not stand against the records: the auditor owns a
    system the scope names, or (as the holder of its owning Role) a control an Annex A
    area in the scope covers. What they own outside the scope does not count."""
    files = {
        "systems/a.yaml": [
            system("SYS-1", owner="auditor@acme.example"),
            system("SYS-2", owner="auditor@acme.example"),
        ],
        "controls/a.yaml": control("A.6.2.4", owner="ml-lead"),
        "roles/a.yaml": role("ml-lead", holder="auditor@acme.example", top_management=True),
        "audits/a.yaml": [
            internal_audit("AUD-1", scope=["4", "A.6", "SYS-1"]),
            internal_audit("AUD-2", scope=["4"]),
        ],
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS613") == [("audits/a.yaml", 8, 14)]
    assert of(found, "AIMS613")[0]["message"] == (
        "the audit records its auditor 'auditor@acme.example' as independent, but they "
        "own A.6.2.4, SYS-1, in the audit's scope: an auditor does not audit their own work"
    )


def test_a_name_in_another_unicode_form_is_the_same_name(make_repo: Make, cli: Cli) -> None:
    # "José" typed as J-o-s-é or as J-o-s-e plus a combining accent (some editors and
    # PDFs write it so) looks the same and is one person: AIMS607 said the owner was no
    # role's holder and suggested the same-looking name, and AIMS613 let an auditor
    # audit a system they own.
    composed = "jos\u00e9@acme.example"
    decomposed = "jose\u0301@acme.example"
    files = {
        "roles/a.yaml": role("ai-lead", holder=composed, top_management=True),
        "systems/a.yaml": system("SYS-1", owner=decomposed),
        "audits/a.yaml": internal_audit("AUD-1", auditor=composed, scope=["SYS-1"]),
    }
    found = validate(cli, make_repo(files))
    assert of(found, "AIMS607") == []
    assert [d["message"] for d in of(found, "AIMS613")] == [
        f"the audit records its auditor {composed!r} as independent, but they own SYS-1, in "
        "the audit's scope: an auditor does not audit their own work"
    ]
    # Without the role, the owner and the auditor are still compared as one name.
    del files["roles/a.yaml"]
    assert len(of(validate(cli, make_repo(files)), "AIMS613")) == 1


def test_an_owner_spelled_otherwise_or_in_a_team_is_still_not_independent(
    make_repo: Make, cli: Cli
) -> None:
    # Spaces around the name, a no-break space, a full-width letter, Unicode hyphens,
    # the owning Role's title, and the owner named as one member of a team all passed
    # as independent: each may be the owner, so the audit is not shown as independent.
    owner = "chief-credit-officer@acme.example"
    auditors = {
        "AUD-1": f" {owner} ",
        "AUD-2": f"{owner}\u00a0",
        "AUD-3": "\uff43" + owner[1:],
        "AUD-4": owner.replace("-", "\u2010"),
        "AUD-5": "Chief  Credit Officer",
        "AUD-6": f"{owner}, with Group Internal Audit",
        "AUD-7": f"Group Internal Audit and {owner.upper()}",
        "AUD-8": "Deputy Chief Credit Officer",  # another person: independent
        "AUD-9": "internal-audit@acme.example; external@audit.example",
        "AUD-10": f"Chief Credit Officer <{owner}>",
        "AUD-11": f"mailto:{owner} (lead auditor)",
        "AUD-12": f"Harbour Assurance LLP | {owner}",
        "AUD-13": f"Harbour Assurance LLP\n{owner}",
        "AUD-14": f"Harbour Assurance LLP, led by {owner}",
        "AUD-15": "head-of-internal-audit",  # the same person's other role
        "AUD-16": "Anderson Assurance LLP",
    }
    files = {
        "systems/a.yaml": system("SYS-1", owner="cco"),
        "roles/a.yaml": [
            role("cco", holder=owner, title="Chief Credit Officer"),
            role("head-of-internal-audit", holder=f" {owner.upper()}"),
        ],
        "audits/a.yaml": [
            internal_audit(key, scope=["SYS-1"], auditor=name) for key, name in auditors.items()
        ],
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS613")
    independent = {"AUD-8", "AUD-9", "AUD-16"}
    assert sorted(d["record"] for d in found) == sorted(set(auditors) - independent)


def test_notes_shared_titles_and_placeholder_holders_name_nobody(make_repo: Make, cli: Cli) -> None:
    # False alarms of the first fix (an error, failing CI): "(support)" beside an audit
    # firm was read as the person holding the Role `support`; a title two roles bear
    # (a CISO per subsidiary) merged their holders; init's roles, which share one
    # placeholder holder, were one person.
    owner = "ciso@acme.example"
    files = {
        "systems/a.yaml": system("SYS-1", owner="ciso"),
        "roles/a.yaml": [
            role("ciso", holder=owner, title="Chief Information Security Officer"),
            role("support", holder=owner, title="Customer Support"),
            role(
                "ciso-health", holder="h@acme.example", title="Chief Information Security Officer"
            ),
            role("lead", holder="TODO: who holds it"),
            role("auditor", holder="TODO: who holds it"),
        ],
        "audits/a.yaml": [
            internal_audit(
                "AUD-1",
                scope=["SYS-1"],
                auditor="Harbour LLP (lead), Group Internal Audit (support)",
            ),
            internal_audit("AUD-2", scope=["SYS-1"], auditor="Chief Information Security Officer"),
            internal_audit("AUD-3", scope=["SYS-1"], auditor="auditor"),
            internal_audit("AUD-4", scope=["SYS-1"], auditor=f"Group Internal Audit ({owner})"),
        ],
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS613")
    assert [d["record"] for d in found] == ["AUD-4"]


@pytest.mark.parametrize(
    ("owner", "auditor", "independent"),
    [
        # The owner written exactly, though the name holds a separator: the second fix
        # split it and compared only the pieces.
        ("risk-and-ai-office@acme.example", "risk-and-ai-office@acme.example", False),
        ("Lindqvist, Anna", "Lindqvist, Anna", False),
        ("Head of AI and Data Ethics", "head of ai and data ethics", False),
        # Other ways of writing a member.
        ("a@acme.example", "Group Internal Audit (a@acme.example, lead)", False),
        ("a@acme.example", "Harbour LLP - a@acme.example", False),
        ("a@acme.example", "[a@acme.example]", False),
        ("a@acme.example", "a+audit@acme.example", False),
        ("a@acme.example", "Harbour LLP\uff0c a@acme.example", False),
        ("a@acme.example", "Harbour LLP\ta@acme.example", False),
        # The owner written otherwise than the auditor is.
        ("Jane Roe <jane.roe@acme.example>", "jane.roe@acme.example", False),
        ("jane.roe+ai@acme.example", "jane.roe@acme.example", False),
        ("mailto:jane.roe@acme.example", "jane.roe@acme.example", False),
        ("jane.roe@acme.example (ML lead)", "jane.roe@acme.example", False),
        # Who commissioned the audit is not who conducts it, and a word in a firm's
        # name is no role (the roles `audit` and `it` own nothing here).
        ("a@acme.example", "Harbour LLP, engaged by a@acme.example", True),
        ("a@acme.example", "Harbour LLP; sponsor: a@acme.example", True),
        ("a@acme.example", "Anderson and Partners LLP", True),
        ("audit", "Baker Tilly - Audit & IT", True),
    ],
)
def test_an_auditor_is_compared_whole_and_member_by_member(
    make_repo: Make, cli: Cli, owner: str, auditor: str, independent: bool
) -> None:
    files = {
        "systems/a.yaml": system("SYS-1", owner=owner),
        "audits/a.yaml": internal_audit("AUD-1", scope=["SYS-1"], auditor=auditor),
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS613")
    assert (found == []) is independent, found


def test_vacant_roles_are_nobody(make_repo: Make, cli: Cli) -> None:
    # Two roles written `holder: Vacant` were one person: an audit by one of them of
    # what the other owns was an error.
    files = {
        "systems/a.yaml": system("SYS-1", owner="head-of-ai"),
        "roles/a.yaml": [
            role("head-of-ai", holder="Vacant", top_management=True),
            role("head-of-internal-audit", holder="Vacant"),
        ],
        "audits/a.yaml": internal_audit("AUD-1", scope=["SYS-1"], auditor="head-of-internal-audit"),
    }
    assert of(validate(cli, make_repo(files), schema_ok=False), "AIMS613") == []


# --- AIMS614 audit-programme-incomplete ----------------------------------------------


def test_an_audit_programme_that_leaves_parts_out(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/a.yaml": [
            control("A.5.2", applicable=True),
            control("A.6.2.4", applicable=True),
            control("A.2.2", applicable=False),  # excluded: not asked for
        ],
        "audits/a.yaml": [
            # Outside the three years: it counts for nothing.
            _completed("2023-06-01", "2023-06-09", "AUD-OLD", scope=["7", "A.5"]),
            _completed("2025-06-02", "2025-06-06", "AUD-1", scope=["4", "5", "6.1", "6.2"]),
            internal_audit("AUD-2", planned="2027-03-01", scope=["8", "9.1", "9.2", "A.6.2"]),
        ],
    }
    found = validate(cli, make_repo(files))
    # At the scope of the audit planned last.
    assert at(found, "AIMS614") == [("audits/a.yaml", 30, 8)]
    assert of(found, "AIMS614")[0]["message"] == (
        "the audit programme since 2023-11-26 (AUD-1, AUD-2) does not cover clauses 6.3, 7, "
        "9.3, 10 and applicable Annex A control A.5.2"
    )


def test_the_audit_programme_counts_from_the_day_the_aims_started(
    make_repo: Make, cli: Cli
) -> None:
    """An AIMS established in 2026 was told its programme "since 2023-11-26" left
    clauses out, and the management report showed 2024 and 2025 as not audited: years
    before anything could be audited."""
    files = {
        "aims.yaml": _with("2026-02-02"),
        "audits/a.yaml": _completed("2026-05-04", "2026-05-08", scope=["4", "5", "6", "8", "9"]),
    }
    root = make_repo(files)
    found = validate(cli, root)
    assert of(found, "AIMS614")[0]["message"] == (
        "the audit programme since 2026-02-02 (AUD-1) does not cover clauses 7, 10"
    )
    made = cli("report", "management", root, "--out", "-", "--as-of", AS_OF, "--force")
    assert "| Requirement | 2026 | Programme since 2026-02-02 |" in made.stdout


def test_an_audit_still_holding_placeholders_covers_nothing_of_the_programme(
    make_repo: Make, cli: Cli
) -> None:
    """A planned audit with a `TODO:` auditor covered the whole system for AIMS614, as
    the starter's AUD-FIRST does: the programme looked complete with nobody to audit
    it. Its scope counts for nothing now, and the finding names it."""
    files = {
        "audits/a.yaml": [
            _completed("2026-03-02", "2026-03-06", "AUD-1", scope=["4", "5", "6", "7", "8"]),
            internal_audit("AUD-2", planned="2027-03-01", scope=["9", "10"], auditor="TODO: who"),
        ],
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS614") == [("audits/a.yaml", 6, 8)]
    assert of(found, "AIMS614")[0]["message"] == (
        "the audit programme since 2026-03-02 (AUD-1) does not cover clauses 9, 10 (AUD-2 "
        "still holds placeholder text (TODO:), so it does not count as part of the programme)"
    )


def test_the_programme_of_29_february_starts_on_1_march_three_years_before(
    make_repo: Make, cli: Cli
) -> None:
    # As of 29 February 2028 the three years start on 1 March 2025: an audit that
    # ended on 28 February 2025 ended three years and a day before, outside the
    # programme (it counted, from 28 February, and its scope covered clause 7).
    files = {
        "audits/a.yaml": [
            _completed("2025-02-24", "2025-02-28", "AUD-OLD", scope=["7"]),
            _completed("2027-06-01", "2027-06-04", "AUD-1", scope=["4", "5", "6", "8", "9", "10"]),
        ],
    }
    ran = cli("validate", make_repo(files), "--as-of", "2028-02-29", "--format", "json")
    found = [d for d in json.loads(ran.stdout)["diagnostics"] if d["code"] == "AIMS614"]
    assert [d["message"] for d in found] == [
        "the audit programme since 2025-03-01 (AUD-1) does not cover clause 7"
    ]
    files["audits/a.yaml"][0] = _completed("2025-02-24", "2025-03-01", "AUD-OLD", scope=["7"])
    ran = cli("validate", make_repo(files), "--as-of", "2028-02-29", "--format", "json")
    assert [d for d in json.loads(ran.stdout)["diagnostics"] if d["code"] == "AIMS614"] == []


def test_a_programme_over_the_whole_system_passes_aims614(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/a.yaml": [control("A.5.2", applicable=True), control("A.9.4", applicable=True)],
        "audits/a.yaml": [
            _completed("2024-06-03", "2024-06-07", "AUD-1", scope=["4", "5", "6", "A.5"]),
            _completed("2025-06-02", "2025-06-06", "AUD-2", scope=["7", "8", "9.1", "A.9.4"]),
            # Sub-clauses 9.2 and 9.3 complete clause 9 with 9.1.
            internal_audit("AUD-3", planned="2027-03-01", scope=["9.2", "9.3", "10"]),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS614") == []
    # No audit at all in three years is AIMS611's finding, not this one's.
    files = {"audits/a.yaml": _completed("2022-06-01", "2022-06-09", scope=["4"])}
    assert at(validate(cli, make_repo(files)), "AIMS614") == []


def test_a_lapsed_or_distant_audit_plan_covers_nothing_of_the_programme(
    make_repo: Make, cli: Cli
) -> None:
    """An audit planned for 2026-05-04 and never begun, or one planned four years
    ahead, covered clauses 9 and 10 for AIMS614, readiness called 9.2.2 ready, and the
    management report said they were covered once the planned audits were done."""
    files: dict[str, FileContent] = {
        "audits/a.yaml": [
            _completed("2026-03-02", "2026-03-06", "AUD-1", scope=["4", "5", "6", "7", "8"]),
            internal_audit("AUD-LAPSED", planned="2026-05-04", scope=["9"]),
            internal_audit("AUD-FAR", planned="2030-03-01", scope=["10"]),
            # Due within the next interval (cadence.internal_audit_days, 365): it counts.
            internal_audit("AUD-NEXT", planned="2027-11-26", scope=["9.1"]),
        ],
    }
    root = make_repo(files)
    [found] = of(validate(cli, root), "AIMS614")
    assert found["message"] == (
        "the audit programme since 2026-03-02 (AUD-1, AUD-NEXT) does not cover clauses 9.2, "
        "9.3, 10 (AUD-LAPSED was planned for 2026-05-04 and has not begun; AUD-FAR is "
        "planned for 2030-03-01, more than cadence.internal_audit_days (365) ahead)"
    )
    readiness = cli("report", "readiness", root, "--as-of", AS_OF, "-o", "-", "--force")
    [row] = [line for line in readiness.stdout.splitlines() if "| 9.2.2 " in line]
    assert "| gap |" in row and "does not cover clauses 9.2, 9.3, 10" in row
    made = cli("report", "management", root, "--out", "-", "--as-of", AS_OF, "--force")
    [gaps] = [line for line in made.stdout.splitlines() if "planned audits are done" in line]
    # (and every Annex A area: no Control record decides any control here)
    assert gaps.startswith("**Not covered by the programme, even once the planned audits")
    assert gaps.endswith(" are done:** 9, 10, A.2, A.3, A.4, A.5, A.6, A.7, A.8, A.9, A.10.")
    # Begun (in progress), the lapsed audit is part of the programme again; with the
    # far one planned within the interval, the programme covers everything.
    files["audits/a.yaml"][1]["status"] = "in-progress"
    files["audits/a.yaml"][2]["planned"] = "2027-03-01"
    files["audits/a.yaml"][3]["scope"] = ["9.2", "9.3"]
    root = make_repo(files)
    assert of(validate(cli, root), "AIMS614") == []
    readiness = cli("report", "readiness", root, "--as-of", AS_OF, "-o", "-", "--force")
    [row] = [line for line in readiness.stdout.splitlines() if "| 9.2.2 " in line]
    assert "| ready |" in row


def test_a_placeholder_control_is_to_be_audited_as_undecided(make_repo: Make, cli: Cli) -> None:
    """A control whose justification is still the starter's TODO decides nothing, as
    the SoA and `aimsctl controls` say: its `applicable: false` excused it from the
    programme, and its `applicable: true` was called applicable."""
    files = {
        "controls/a.yaml": [
            control("A.5.2", applicable=True),
            control("A.2.2", applicable=False, justification="TODO: why"),
            control("A.2.3", applicable=True, justification="TODO: why"),
            control("A.2.4", applicable=False),  # excluded: not asked for
        ],
        "audits/a.yaml": _completed(
            "2025-06-02", "2025-06-06", scope=["4", "5", "6", "7", "8", "9", "10"]
        ),
    }
    [found] = of(validate(cli, make_repo(files), schema_ok=False), "AIMS614")
    assert found["message"] == (
        "the audit programme since 2025-06-02 (AUD-1) does not cover applicable Annex A "
        "control A.5.2 and undecided Annex A controls A.2.2, A.2.3 (their justification is "
        "a placeholder)"
    )
    files["controls/a.yaml"] = control("A.2.2", applicable=False, justification="TODO: why")
    [found] = of(validate(cli, make_repo(files), schema_ok=False), "AIMS614")
    assert found["message"] == (
        "the audit programme since 2025-06-02 (AUD-1) does not cover undecided Annex A "
        "control A.2.2 (its justification is a placeholder)"
    )


# --- AIMS615 audit-finding-without-nonconformity --------------------------------------


def test_a_nonconformity_found_but_not_recorded(make_repo: Make, cli: Cli) -> None:
    finding = {"id": "F-1", "type": "major-nonconformity", "description": "Not met."}
    files = {
        "audits/a.yaml": internal_audit(
            findings=[{**finding, "type": "observation"}, finding, {**finding, "id": "F-3"}]
        )
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS615") == [("audits/a.yaml", 13, 5), ("audits/a.yaml", 16, 5)]
    assert of(found, "AIMS615")[0]["message"] == (
        "finding F-1 is a major nonconformity but names no Nonconformity record"
    )


def test_nonconformities_recorded_pass_aims615(make_repo: Make, cli: Cli) -> None:
    finding = {"id": "F-1", "type": "minor-nonconformity", "description": "Not met."}
    files = {
        # planned (not yet performed) for the day NC-1 was raised: the audit began then
        "audits/a.yaml": internal_audit(
            planned="2026-10-01", findings=[{**finding, "nonconformity": "NC-1"}]
        ),
        "nonconformities/a.yaml": nonconformity(),
    }
    assert at(validate(cli, make_repo(files)), "AIMS615") == []


def test_a_finding_naming_a_nonconformity_not_raised_for_it(make_repo: Make, cli: Cli) -> None:
    """A nonconformity finding of AUD-2026 could name NC-2025-01, raised a year before
    the audit (and closed): validate was clean and readiness read 10.2 as ready, while
    nobody reacted to what the audit found (10.2). A Nonconformity raised before the
    audit began, or from another source, was not raised for the finding."""
    finding = {"id": "F-1", "type": "minor-nonconformity", "description": "Not met."}
    findings = [
        {**finding, "nonconformity": "NC-OLD"},  # raised the year before
        {**finding, "id": "F-2", "nonconformity": "NC-INC"},  # raised from an incident
        {**finding, "id": "F-3", "nonconformity": "NC-NEW"},  # raised the day it ended
        {**finding, "id": "F-4", "nonconformity": "NC-DAY"},  # raised the day it began
        {**finding, "id": "F-5", "type": "observation", "nonconformity": "NC-OLD"},
        {**finding, "id": "F-6", "nonconformity": "NC-GONE"},  # the reference rule's
        {**finding, "id": "F-7", "nonconformity": "NC-BOTH"},
    ]
    files = {
        "audits/a.yaml": _completed("2026-06-08", "2026-06-19", findings=findings),
        "nonconformities/a.yaml": [
            nonconformity("NC-OLD", raised="2025-06-13"),
            nonconformity("NC-INC", raised="2026-06-10", source="incident"),
            nonconformity("NC-NEW", raised="2026-06-19"),
            nonconformity("NC-DAY", raised="2026-06-08"),
            nonconformity("NC-BOTH", raised="2026-05-01", source="monitoring"),
        ],
    }
    found = of(validate(cli, make_repo(files)), "AIMS615")
    assert [(d["record"], d["pointer"]) for d in found] == [
        ("AUD-1", "/findings/0/nonconformity"),
        ("AUD-1", "/findings/1/nonconformity"),
        ("AUD-1", "/findings/6/nonconformity"),
    ]
    assert [d["message"] for d in found] == [
        "finding F-1 is a minor nonconformity but names NC-OLD, which was raised on "
        "2025-06-13, before the audit began on 2026-06-08: it was raised for something "
        "else, so it is no reaction to this finding; record a Nonconformity for this "
        "finding and name it",
        "finding F-2 is a minor nonconformity but names NC-INC, which records its source "
        "as incident, not internal-audit: it was raised for something else, so it is no "
        "reaction to this finding; record a Nonconformity for this finding and name it",
        "finding F-7 is a minor nonconformity but names NC-BOTH, which was raised on "
        "2026-05-01, before the audit began on 2026-06-08 and records its source as "
        "monitoring, not internal-audit: it was raised for something else, so it is no "
        "reaction to this finding; record a Nonconformity for this finding and name it",
    ]
    # An audit that records no performed dates is taken to begin on its planned day,
    # and the message says that is what was compared.
    files["audits/a.yaml"] = internal_audit(
        status="in-progress",
        planned="2026-06-20",
        findings=[{**finding, "nonconformity": "NC-NEW"}],
    )
    [late] = of(validate(cli, make_repo(files)), "AIMS615")
    assert (
        "raised on 2026-06-19, before the audit's planned start on 2026-06-20 (it records "
        "no performed dates)"
    ) in late["message"]


# --- AIMS616 management-review-overdue, AIMS617 management-review-pending ----------------


def test_management_review_overdue(make_repo: Make, cli: Cli) -> None:
    files = {
        "reviews/a.yaml": [
            management_review("MR-1", held="2024-11-20", inputs=INPUTS),
            management_review("MR-2", held="2025-11-25", inputs=INPUTS),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS616") == [("reviews/a.yaml", 19, 7)]
    assert of(found, "AIMS616")[0]["message"] == (
        "the last management review was held on 2025-11-25; cadence.management_review_days is "
        "365, so the next was due on 2026-11-25"
    )
    found = validate(cli, make_repo({"policies/a.yaml": _approved()}, _with("2025-01-01")))
    assert at(found, "AIMS616") == [(CONFIG, 1, 1)]
    assert of(found, "AIMS616")[0]["message"] == (
        "no management review has been held; the AIMS was established on 2025-01-01, so the "
        "first was due on 2026-01-01"
    )


def test_reviews_in_time_pass_aims616(make_repo: Make, cli: Cli) -> None:
    files = {"reviews/a.yaml": management_review(held="2025-11-26", inputs=INPUTS)}
    assert at(validate(cli, make_repo(files)), "AIMS616") == []
    files = {"reviews/a.yaml": management_review(held="2026-05-26", inputs=INPUTS)}
    found = validate(cli, make_repo(files, _with(management_review_days=180)))
    assert at(found, "AIMS616") == [("reviews/a.yaml", 4, 7)]


def test_first_management_review_pending(make_repo: Make, cli: Cli) -> None:
    found = validate(cli, make_repo({"policies/a.yaml": _approved()}, _with("2026-02-01")))
    assert at(found, "AIMS617") == [(CONFIG, 1, 1)]
    assert of(found, "AIMS617")[0]["message"] == (
        "no management review has been held yet; the AIMS was established on 2026-02-01, so "
        "the first falls due on 2027-02-01"
    )
    found = validate(cli, make_repo({"roles/a.yaml": role(top_management=True)}))
    assert of(found, "AIMS617")[0]["message"] == (
        "no management review has been held, and aims.yaml sets no `established`, so aimsctl "
        "cannot tell when the first falls due"
    )


def test_a_review_held_or_no_management_system_passes_aims617(make_repo: Make, cli: Cli) -> None:
    assert at(validate(cli, make_repo(IN_ORDER, _with("2026-02-01"))), "AIMS617") == []
    assert at(validate(cli, make_repo({"risks/R-1.yaml": risk()})), "AIMS617") == []


# A top-management role and one outside it, for the chair of a review (AIMS606).
CHAIRS: FileContent = [
    role("ceo", top_management=True),  # holder ceo@acme.example
    role("ai-lead", holder="lead@acme.example", reports_to="ceo"),
]
OUTSIDE = "who is not top management (AIMS606), so it does not count as held"


def test_a_review_chaired_outside_top_management_does_not_count_as_held(
    make_repo: Make, cli: Cli
) -> None:
    """MR-2, chaired by someone no top-management Role names, was told so (AIMS606, a
    warning) and counted as evidence of nothing by readiness (9.3.1), yet AIMS616 and
    AIMS617 counted it as the review held: `due` gave the next a year after it, and no
    cadence finding fired. Clause 9.3.1 asks top management to review the AIMS: such a
    review does not count as held, and the finding names it (at it, where none counts),
    as it names a review still holding a placeholder."""
    files: dict[str, FileContent] = {
        "roles/a.yaml": CHAIRS,
        "reviews/MR-2.yaml": management_review("MR-2", chair="ai-lead", inputs=INPUTS),
    }
    found = validate(cli, make_repo(files, _with("2025-01-01")))
    assert at(found, "AIMS616") == [("reviews/MR-2.yaml", 4, 7)]
    assert of(found, "AIMS616")[0]["record"] == "MR-2"
    assert of(found, "AIMS616")[0]["message"] == (
        "no management review has been held that counts; the AIMS was established on "
        f"2025-01-01, so the first was due on 2026-01-01 (MR-2 is chaired by 'ai-lead', "
        f"{OUTSIDE})"
    )
    # AIMS606 stays as it was: a warning at the chair.
    assert at(found, "AIMS606") == [("reviews/MR-2.yaml", 5, 8)]
    # In a young AIMS, the reminder, at it.
    found = validate(cli, make_repo(files, _with("2026-03-01")))
    assert at(found, "AIMS617") == [("reviews/MR-2.yaml", 4, 7)]
    assert of(found, "AIMS617")[0]["message"] == (
        "no management review has been held yet; the AIMS was established on 2026-03-01, so "
        f"the first falls due on 2027-03-01 (MR-2 is chaired by 'ai-lead', {OUTSIDE})"
    )
    # After one that counts, the interval runs from that one, and the later is named.
    files["reviews/MR-1.yaml"] = management_review("MR-1", held="2025-11-20", inputs=INPUTS)
    found = validate(cli, make_repo(files, _with("2025-01-01")))
    assert at(found, "AIMS616") == [("reviews/MR-1.yaml", 4, 7)]
    assert of(found, "AIMS616")[0]["message"] == (
        "the last management review that counts was held on 2025-11-20; "
        "cadence.management_review_days is 365, so the next was due on 2026-11-20 (MR-2 is "
        f"chaired by 'ai-lead', {OUTSIDE})"
    )
    assert at(found, "AIMS617") == []


def test_a_review_chaired_by_top_management_or_with_none_recorded_counts(
    make_repo: Make, cli: Cli
) -> None:
    # By role id, holder or title, in any letter case or spacing (a look-alike letter
    # too: AIMS012 reports it): a near miss in spelling does not discount the review
    # (AIMS606 neither); with no top-management Role, no chair can be told apart.
    for chair in ("ceo", "ceo@acme.example", "CEO", " CEO@Acme.Example"):
        files = {
            "roles/a.yaml": CHAIRS,
            "reviews/MR-1.yaml": management_review("MR-1", chair=chair, inputs=INPUTS),
        }
        found = validate(cli, make_repo(files, _with("2025-01-01")))
        assert at(found, "AIMS616") == at(found, "AIMS617") == at(found, "AIMS606") == []
    files = {
        "roles/a.yaml": role("ai-lead", holder="lead@acme.example"),
        "reviews/MR-1.yaml": management_review("MR-1", chair="ai-lead", inputs=INPUTS),
    }
    found = validate(cli, make_repo(files, _with("2025-01-01")))
    assert at(found, "AIMS616") == at(found, "AIMS617") == at(found, "AIMS606") == []


# --- AIMS622 established-after-records, and the start counted from the records -------


def test_established_later_than_the_records_counts_from_the_records(
    make_repo: Make, cli: Cli
) -> None:
    """POL-1 approved on 2024-01-10, and aims.yaml set `established: 2026-06-01`: the
    first internal audit and management review fell due on 2027-06-01, so a system
    running for almost three years with neither got only AIMS612's and AIMS617's
    reminders. The earlier day counts now (both are errors), and AIMS622 says why at
    `established`."""
    files = {"policies/a.yaml": _approved("2024-01-10", next_review="2027-01-10")}
    found = validate(cli, make_repo(files, _with("2026-06-01")))
    basis = "aims.yaml says established 2026-06-01, but POL-1 was approved on 2024-01-10"
    assert at(found, "AIMS622") == [(CONFIG, 3, 14)]
    assert of(found, "AIMS622")[0]["severity"] == "warning"
    assert of(found, "AIMS622")[0]["message"] == (
        f"{basis}; the AIMS is counted from 2024-01-10, the earlier day, so set "
        "`established` no later than that"
    )
    assert [(d["code"], d["message"]) for d in found if d["code"] in ("AIMS611", "AIMS616")] == [
        ("AIMS611", f"no internal audit has been completed; {basis}, so the first was due on "
         "2025-01-09"),
        ("AIMS616", f"no management review has been held; {basis}, so the first was due on "
         "2025-01-09"),
    ]  # fmt: skip
    assert at(found, "AIMS612") == at(found, "AIMS617") == []


def test_aims622_names_the_first_record_at_work(make_repo: Make, cli: Cli) -> None:
    # An audit begun or a review held dates the start too; of several, the earliest,
    # and of one day, a policy before an audit before a review.
    files = {
        "audits/a.yaml": _completed("2025-03-02", "2025-03-06", scope=["4"]),
        "reviews/a.yaml": management_review(held="2025-05-01", inputs=INPUTS),
    }
    found = validate(cli, make_repo(files, _with("2025-06-01")))
    assert of(found, "AIMS622")[0]["message"].startswith(
        "aims.yaml says established 2025-06-01, but AUD-1 began on 2025-03-02;"
    )
    # A review alone: the first internal audit counts from the day it was held.
    files = {"reviews/a.yaml": management_review(held="2025-05-01", inputs=INPUTS)}
    found = validate(cli, make_repo(files, _with("2025-06-01")))
    assert of(found, "AIMS622")[0]["message"].startswith(
        "aims.yaml says established 2025-06-01, but MR-1 was held on 2025-05-01;"
    )
    assert of(found, "AIMS611")[0]["message"] == (
        "no internal audit has been completed; aims.yaml says established 2025-06-01, but "
        "MR-1 was held on 2025-05-01, so the first was due on 2026-05-01"
    )
    files = {
        "reviews/a.yaml": management_review(held="2025-03-02", inputs=INPUTS),
        "audits/a.yaml": _completed("2025-03-02", "2025-03-06", scope=["4"]),
    }
    found = validate(cli, make_repo(files, _with("2025-06-01")))
    assert "but AUD-1 began on 2025-03-02;" in of(found, "AIMS622")[0]["message"]


def test_established_on_or_before_the_records_passes_aims622(make_repo: Make, cli: Cli) -> None:
    files = {"policies/a.yaml": _approved("2024-01-10", next_review="2027-01-10")}
    for config in (_with("2024-01-10"), _with("2023-06-01"), _with()):
        assert at(validate(cli, make_repo(files, config)), "AIMS622") == []
    # A record dated after the as-of date shows nothing yet: the policy approved only
    # on 2026-12-01 does not date a start, and `established` stands.
    files = {"policies/a.yaml": _approved("2026-12-01")}
    found = validate(cli, make_repo(files, _with("2026-11-01")))
    assert at(found, "AIMS622") == []
    assert of(found, "AIMS617")[0]["message"].startswith(
        "no management review has been held yet; the AIMS was established on 2026-11-01"
    )


def test_a_policy_is_owed_from_the_records_first_day_before_a_later_established(
    make_repo: Make, cli: Cli
) -> None:
    """A management review held on 2025-03-01 and only a draft policy, with
    `established: 2027-01-01` still to come: AIMS601 waited for 2027 although the
    records show the AIMS at work since March 2025. The policy is owed now."""
    files = {
        "policies/a.yaml": policy(),
        "reviews/a.yaml": management_review(held="2025-03-01", inputs=INPUTS),
    }
    found = validate(cli, make_repo(files, _with("2027-01-01")))
    assert at(found, "AIMS601") == [("policies/a.yaml", 5, 9)]
    assert at(found, "AIMS622") == [(CONFIG, 3, 14)]
    # With no record at work before it, the future `established` still defers it.
    found = validate(cli, make_repo({"policies/a.yaml": policy()}, _with("2027-01-01")))
    assert at(found, "AIMS601") == at(found, "AIMS622") == []


# --- a record that still holds placeholders evidences nothing ------------------------


def test_a_review_audit_or_policy_still_holding_placeholders_is_not_counted(
    make_repo: Make, cli: Cli
) -> None:
    """A review, audit or policy whose text is still a `TODO:` placeholder (AIMS107),
    as `aimsctl init` writes them, counted as held, completed and approved: the starter's
    review held on the day of init answered AIMS616 for a year, no review having taken
    place. None counts now, and each finding names the record it leaves out."""
    todo = "TODO: an example to make your own."
    files: dict[str, FileContent] = {
        "policies/POL-1.yaml": _approved(description=todo),
        "reviews/MR-1.yaml": management_review(inputs=INPUTS, description=todo),
        "audits/AUD-1.yaml": _completed("2026-03-02", "2026-03-06", scope=["4"], description=todo),
    }
    found = validate(cli, make_repo(files, _with("2025-01-01")), schema_ok=False)
    assert at(found, "AIMS601") == [("policies/POL-1.yaml", 5, 9)]
    cadences = ("AIMS601", "AIMS611", "AIMS616")
    said = sorted((d["code"], d["message"]) for d in found if d["code"] in cadences)
    assert said == [
        ("AIMS601", "no AI policy is approved: POL-1 still holds placeholder text (TODO:), so "
         "it does not count as approved"),
        ("AIMS611", "no internal audit has been completed; the AIMS was established on "
         "2025-01-01, so the first was due on 2026-01-01 (AUD-1 still holds placeholder text "
         "(TODO:), so it does not count as completed)"),
        ("AIMS616", "no management review has been held that counts; the AIMS was "
         "established on 2025-01-01, so the first was due on 2026-01-01 (MR-1 still holds "
         "placeholder text (TODO:), so it does not count as held)"),
    ]  # fmt: skip
    assert at(found, "AIMS602") == []  # a policy not approved has no review to be late for
    # In a young AIMS the reminders name them too.
    found = validate(cli, make_repo(files, _with("2026-03-01")), schema_ok=False)
    assert of(found, "AIMS617")[0]["message"].endswith(
        "(MR-1 still holds placeholder text (TODO:), so it does not count as held)"
    )
    assert of(found, "AIMS612")[0]["message"].endswith(
        "(AUD-1 still holds placeholder text (TODO:), so it does not count as completed)"
    )
    # A newer review still to be written leaves the last one written as the last held.
    reviews = [
        management_review("MR-1", held="2025-11-20", inputs=INPUTS),
        management_review("MR-2", held="2026-06-01", inputs=INPUTS, description=todo),
    ]
    found = validate(cli, make_repo({"reviews/a.yaml": reviews}), schema_ok=False)
    assert at(found, "AIMS616") == [("reviews/a.yaml", 4, 7)]
    assert of(found, "AIMS616")[0]["message"] == (
        "the last management review that counts was held on 2025-11-20; "
        "cadence.management_review_days is 365, so the next was due on 2026-11-20 (MR-2 still "
        "holds placeholder text (TODO:), so it does not count as held)"
    )
    # Written, each counts again.
    written = {
        "policies/POL-1.yaml": _approved(),
        "reviews/MR-1.yaml": management_review(inputs=INPUTS),
        "audits/AUD-1.yaml": _completed("2026-03-02", "2026-03-06", scope=["4"]),
    }
    found = validate(cli, make_repo(written, _with("2025-01-01")))
    assert [d for d in found if d["code"] in cadences] == []


# --- AIMS618 management-review-inputs-missing -----------------------------------------


def test_a_review_that_skipped_inputs(make_repo: Make, cli: Cli) -> None:
    files = {
        "reviews/a.yaml": [
            management_review("MR-1", inputs=block(INPUTS[:5])),
            management_review("MR-2", held="2026-11-01"),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS618") == [("reviews/a.yaml", 7, 1), ("reviews/a.yaml", 14, 1)]
    assert [d["message"] for d in of(found, "AIMS618")] == [
        "the review does not list the 2 inputs audit-results and opportunities",
        "the review does not list the 7 inputs previous-actions, external-internal-issues, "
        "interested-parties, nonconformities, monitoring-results, audit-results and "
        "opportunities",
    ]


def test_the_first_review_is_not_asked_for_earlier_actions(make_repo: Make, cli: Cli) -> None:
    """AIMS618 asked the first management review ever held for the status of actions of
    earlier reviews, which do not exist: the only way to clear it was to list an input
    nobody considered (year-cycle audit). A later review is asked for it."""
    six = block([item for item in INPUTS if item != "previous-actions"])
    first = {"reviews/a.yaml": management_review("MR-1", held="2026-03-01", inputs=six)}
    assert at(validate(cli, make_repo(first)), "AIMS618") == []
    later = {
        "reviews/a.yaml": [
            management_review("MR-1", held="2026-03-01", inputs=six),
            management_review("MR-2", held="2026-11-01", inputs=six),
        ]
    }
    found = validate(cli, make_repo(later))
    assert [(d["record"], d["message"]) for d in of(found, "AIMS618")] == [
        ("MR-2", "the review does not list the input previous-actions")
    ]
    # Two held on one day: the first by id is the first review, not both.
    same_day = {
        "reviews/a.yaml": [
            management_review("MR-1", held="2026-03-01", inputs=six),
            management_review("MR-2", held="2026-03-01", inputs=six),
        ]
    }
    found = validate(cli, make_repo(same_day))
    assert [d["record"] for d in of(found, "AIMS618")] == ["MR-2"]


def test_a_review_that_does_not_count_as_held_still_has_actions_to_follow_up(
    make_repo: Make, cli: Cli
) -> None:
    """A review chaired outside top management does not count as held (AIMS616), but
    the actions it recorded are there all the same: the review after it is not the
    first, and is asked for previous-actions (the conservative reading), as it is after
    a review still holding a placeholder."""
    six = block([item for item in INPUTS if item != "previous-actions"])
    files = {
        "roles/a.yaml": CHAIRS,
        "reviews/a.yaml": [
            management_review("MR-1", held="2026-03-01", chair="ai-lead", inputs=six),
            management_review("MR-2", held="2026-11-01", chair="ceo", inputs=six),
        ],
    }
    found = validate(cli, make_repo(files))
    assert [(d["record"], d["message"]) for d in of(found, "AIMS618")] == [
        ("MR-2", "the review does not list the input previous-actions")
    ]


def test_a_review_of_all_seven_inputs_passes_aims618(make_repo: Make, cli: Cli) -> None:
    files = {"reviews/a.yaml": management_review(inputs=block(list(reversed(INPUTS))))}
    assert at(validate(cli, make_repo(files)), "AIMS618") == []


# --- AIMS619 nonconformity-without-root-cause ------------------------------------------


def test_nonconformities_past_open_without_a_root_cause(make_repo: Make, cli: Cli) -> None:
    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1", status="action-planned"),
            nonconformity("NC-2", status="verifying", root_cause="  "),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS619") == [
        ("nonconformities/a.yaml", 7, 9),
        ("nonconformities/a.yaml", 15, 9),
    ]
    assert of(found, "AIMS619")[0]["message"] == (
        "nonconformity is action-planned but records no root cause"
    )


def test_open_or_analysed_nonconformities_pass_aims619(make_repo: Make, cli: Cli) -> None:
    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1"),
            nonconformity("NC-2", status="action-planned", root_cause="No owner for reminders."),
        ]
    }
    assert at(validate(cli, make_repo(files)), "AIMS619") == []


# --- AIMS620 action-overdue -----------------------------------------------------------


def _action(due: str, done: str | None = None) -> dict[str, Any]:
    return {"description": "Do it.", "owner": "cro@acme.example", "due": due, "done": done}


def test_actions_past_due_and_not_done(make_repo: Make, cli: Cli) -> None:
    files = {
        "nonconformities/a.yaml": nonconformity(
            actions=[_action("2026-11-25"), _action("2026-11-01", "2026-11-20")]
        ),
        "reviews/a.yaml": management_review(inputs=INPUTS, actions=[_action("2026-10-31")]),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS620") == [("nonconformities/a.yaml", 11, 10), ("reviews/a.yaml", 18, 10)]
    assert of(found, "AIMS620")[0]["message"] == (
        "action 1 was due on 2026-11-25 and is not done (owner cro@acme.example)"
    )


def test_actions_done_or_not_yet_due_pass_aims620(make_repo: Make, cli: Cli) -> None:
    files = {
        "nonconformities/a.yaml": nonconformity(
            actions=[_action("2026-11-26"), _action("2026-01-31", "2026-01-30")]
        )
    }
    assert at(validate(cli, make_repo(files)), "AIMS620") == []


def test_an_action_done_after_the_as_of_date_is_not_done(make_repo: Make, cli: Cli) -> None:
    # A done date after the as-of date was AIMS508's finding alone: the action counted
    # as done, so AIMS620 said nothing of it past its due date, nor AIMS621 of the
    # nonconformity closed on it, and waiving or lowering AIMS508 let both pass.
    config = MINIMAL_CONFIG + "rules: {AIMS508: warning}\n"
    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1", actions=[_action("2026-11-01", "2027-01-15")]),
            nonconformity(
                "NC-2",
                status="closed",
                root_cause="No reminders.",
                actions=[_action("2026-12-31", "2026-12-01")],
                effectiveness={"on": "2026-11-20", "by": "audit@acme.example", "effective": True},
            ),
        ]
    }
    found = validate(cli, make_repo(files, config=config))
    assert of(found, "AIMS620")[0]["message"] == (
        "action 1 was due on 2026-11-01 and is not done (owner cro@acme.example); its done "
        "date 2027-01-15 is after the as-of date"
    )
    assert [d["record"] for d in of(found, "AIMS620")] == ["NC-1"]
    assert [d["message"] for d in of(found, "AIMS621")] == [
        "nonconformity is closed, but action 1 is done only on 2026-12-01, after the as-of date",
        # ... and the review of 2026-11-20 came before it, so it judged nothing.
        "nonconformity is closed, but its effectiveness review is dated 2026-11-20, before "
        "corrective action 1 was done on 2026-12-01: it cannot have judged the corrective "
        "action",
    ]


# --- AIMS625 nonconformity-status-unsupported -----------------------------------------


def test_a_nonconformity_status_that_runs_ahead_of_its_record(make_repo: Make, cli: Cli) -> None:
    """`action-planned` with no corrective action, and `verifying` with its actions still
    open (one not done, one done only after the as-of date), validated clean: the
    status, which `status`, `due` and the reports show, read further along than it was."""
    caused = {"root_cause": "No reminders."}
    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1", status="action-planned", **caused),
            nonconformity(
                "NC-2",
                status="verifying",
                actions=[_action("2026-12-31", None), _action("2026-12-31", "2026-12-01")],
                **caused,
            ),
            # What the statuses ask for: no finding.
            nonconformity(
                "NC-3", status="action-planned", actions=[_action("2026-12-31", None)], **caused
            ),
            nonconformity(
                "NC-4", status="verifying", actions=[_action("2026-10-31", "2026-10-20")], **caused
            ),
            nonconformity("NC-5", status="open"),
        ]
    }
    found = validate(cli, make_repo(files))
    assert [(d["record"], d["message"]) for d in of(found, "AIMS625")] == [
        ("NC-1", "nonconformity is action-planned but records no corrective action"),
        (
            "NC-2",
            "nonconformity is verifying whether its corrective action worked, but action 1 "
            "is not done",
        ),
        (
            "NC-2",
            "nonconformity is verifying whether its corrective action worked, but action 2 "
            "is done only on 2026-12-01, after the as-of date",
        ),
    ]
    assert all(d["severity"] == "error" for d in of(found, "AIMS625"))


# --- AIMS621 nonconformity-closed-unverified ------------------------------------------


def test_nonconformities_closed_without_effective_action(make_repo: Make, cli: Cli) -> None:
    closed = {
        "status": "closed",
        "root_cause": "No reminders.",
        "actions": [_action("2026-10-31", "2026-10-20")],
    }
    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1", **closed),
            nonconformity(
                "NC-2",
                **closed,
                effectiveness={"on": "2026-11-01", "by": "audit@acme.example", "effective": False},
            ),
        ]
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS621") == [
        ("nonconformities/a.yaml", 7, 9),
        ("nonconformities/a.yaml", 31, 14),
    ]
    assert [d["message"] for d in of(found, "AIMS621")] == [
        "nonconformity is closed, but the effectiveness of its corrective action was never "
        "reviewed",
        "nonconformity is closed, but the review on 2026-11-01 found the corrective action "
        "not effective; reopen it with new actions",
    ]


def test_nonconformities_closed_with_effective_action_pass_aims621(
    make_repo: Make, cli: Cli
) -> None:
    files = {
        "nonconformities/a.yaml": nonconformity(
            status="closed",
            root_cause="No reminders.",
            actions=[_action("2026-10-31", "2026-10-01")],
            effectiveness={"on": "2026-11-01", "by": "audit@acme.example", "effective": True},
        )
    }
    assert at(validate(cli, make_repo(files)), "AIMS621") == []


def test_a_closure_reviewed_too_early_or_not_yet_is_not_verified(make_repo: Make, cli: Cli) -> None:
    """An effectiveness review dated before the nonconformity was raised (2026-10-01),
    before its action was done, or after the as-of date closed it as verified, and the
    report read 'closed after -4 days'."""

    def closed(review_on: str, done: str) -> dict[str, Any]:
        return {
            "status": "closed",
            "root_cause": "No reminders.",
            "actions": [_action("2026-10-31", done)],
            "effectiveness": {"on": review_on, "by": "audit@acme.example", "effective": True},
        }

    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1", **closed("2026-09-27", "2026-10-05")),
            nonconformity("NC-2", **closed("2026-10-10", "2026-10-20")),
            nonconformity("NC-3", **closed("2026-11-30", "2026-10-20")),
            nonconformity("NC-4", **closed("2026-10-20", "2026-10-20")),  # the same day: fine
        ]
    }
    root = make_repo(files)
    found = validate(cli, root)
    assert [(d["record"], d["message"], d["pointer"]) for d in of(found, "AIMS621")] == [
        (
            "NC-1",
            "nonconformity is closed, but its effectiveness review is dated 2026-09-27, "
            "before the nonconformity was raised on 2026-10-01: it cannot have judged the "
            "corrective action",
            "/effectiveness/on",
        ),
        (
            "NC-2",
            "nonconformity is closed, but its effectiveness review is dated 2026-10-10, "
            "before corrective action 1 was done on 2026-10-20: it cannot have judged the "
            "corrective action",
            "/effectiveness/on",
        ),
        (
            "NC-3",
            "nonconformity is closed, but its effectiveness review is dated 2026-11-30, "
            "after the as-of date: it has not been held yet",
            "/effectiveness/on",
        ),
    ]
    report = cli(
        "report", "management", root, "--as-of", AS_OF, "--format", "md", "--out", "-", "--force"
    ).stdout
    assert "closed after -4 days" not in report
    assert report.count("the closure does not stand") == 3


def test_a_closure_reviewed_by_a_placeholder_is_not_verified(make_repo: Make, cli: Cli) -> None:
    """An effectiveness review `by: "TODO: who reviews"` closed the nonconformity as
    verified (AIMS621 silent): nobody had reviewed whether the action worked."""
    files = {
        "nonconformities/a.yaml": nonconformity(
            status="closed",
            root_cause="No reminders.",
            actions=[_action("2026-10-31", "2026-10-01")],
            effectiveness={"on": "2026-11-01", "by": "TODO: who reviews", "effective": True},
        )
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [(d["message"], d["pointer"]) for d in of(found, "AIMS621")] == [
        (
            "nonconformity is closed, but NC-1 names a placeholder (TODO:) as "
            "effectiveness.by, so it does not count as reviewed",
            "/effectiveness/by",
        )
    ]


def test_nonconformities_closed_without_corrective_action(make_repo: Make, cli: Cli) -> None:
    """An action not done, or one done before the nonconformity was raised
    (2026-10-01), is no corrective action taken, however the effectiveness review
    reads. A closure with no actions at all is not reported: 10.2 lets the
    organization judge that none is needed (records-v2 requires only the review)."""
    closed = {
        "status": "closed",
        "root_cause": "No reminders.",
        "effectiveness": {"on": "2026-11-20", "by": "audit@acme.example", "effective": True},
    }
    files = {
        "nonconformities/a.yaml": [
            nonconformity("NC-1", **closed),
            nonconformity(
                "NC-2",
                **closed,
                actions=[_action("2026-12-31"), _action("2026-10-31", "2026-09-15")],
            ),
        ]
    }
    found = validate(cli, make_repo(files))
    assert [d["message"] for d in of(found, "AIMS621")] == [
        "nonconformity is closed, but action 1 is not done",
        "nonconformity is closed, but action 2 was done on 2026-09-15, before the "
        "nonconformity was raised on 2026-10-01",
    ]
    assert {d["record"] for d in of(found, "AIMS621")} == {"NC-2"}


# --- AIMS508 date-in-future, on the dates of the management system -------------------


def test_dates_of_things_done_cannot_lie_ahead(make_repo: Make, cli: Cli) -> None:
    files = {
        "audits/a.yaml": _completed("2026-11-27", "2026-12-04"),
        "reviews/a.yaml": management_review(held="2026-12-01", inputs=INPUTS),
        "objectives/a.yaml": objective(progress=[{"on": "2026-12-31", "value": 1}]),
    }
    found = validate(cli, make_repo(files))
    assert [(d["path"], d["line"], d["pointer"]) for d in of(found, "AIMS508")] == [
        ("audits/a.yaml", 10, "/performed/from"),
        ("audits/a.yaml", 11, "/performed/to"),
        ("objectives/a.yaml", 10, "/progress/0/on"),
        ("reviews/a.yaml", 4, "/held"),
    ]
    assert of(found, "AIMS508")[0]["message"] == (
        "performed.from is 2026-11-27, after the as-of date 2026-11-26: it cannot have happened yet"
    )


# --- docs/management.md ---------------------------------------------------------------


def test_the_management_guide_lists_every_rule_of_its_layer() -> None:
    text = (PROJECT / "docs" / "management.md").read_text(encoding="utf-8")
    rules = [r for r in all_rules() if r.code.startswith("AIMS6")]
    assert len(rules) == 25
    for found in rules:
        assert f"| {found.code} | `{found.name}` | {found.severity} |" in text, found.code


# --- AIMS624 aims-being-set-up ----------------------------------------------------------


def _starting(**more: FileContent) -> dict[str, FileContent]:
    """A management system on paper: a draft policy with a placeholder, a planned audit
    whose auditor is not independent, no `established`."""
    return {
        "policies/p.yaml": policy(status="draft", approval=OMIT, description="TODO: write it"),
        "audits/a.yaml": internal_audit(independent=False),
        **more,
    }


def _severities(found: list[dict[str, Any]]) -> dict[str, str]:
    return {
        d["code"]: d["severity"] for d in found if d["code"] in ("AIMS107", "AIMS601", "AIMS613")
    }


def test_a_management_system_being_set_up_lists_what_is_left_as_warnings(
    make_repo: Make, cli: Cli
) -> None:
    found = validate(cli, make_repo(_starting()), schema_ok=False)
    assert _severities(found) == {"AIMS107": "warning", "AIMS601": "warning", "AIMS613": "warning"}
    [said] = of(found, "AIMS624")
    assert said["message"] == (
        "the AI management system is being set up: aims.yaml sets no `established`, and no "
        "record shows it at work or AI in use yet, so placeholders (AIMS107), the "
        "policy's approval (AIMS601) and auditors' independence (AIMS613) are warnings until "
        "it is established; set `established` to the day top management establishes it"
    )


def test_a_start_still_to_come_is_not_asked_for_again(make_repo: Make, cli: Cli) -> None:
    """With `established` set to a day to come and nothing at work yet, AIMS624 and
    `status` told the user to set `established`, which was set: they now say until
    when what is left stays a warning. They named the policy's approval (AIMS601)
    among those warnings, though it is not owed before that day and not reported."""
    root = make_repo(_starting(**{"aims.yaml": _with("2027-06-01")}))
    found = validate(cli, root, schema_ok=False)
    # The policy is owed from `established` on (AIMS601 waits for that day).
    assert _severities(found) == {"AIMS107": "warning", "AIMS613": "warning"}
    [said] = [d["message"] for d in of(found, "AIMS624")]
    assert said == (
        "the AI management system is being set up: aims.yaml says it is established on "
        "2027-06-01, and no record shows it at work or AI in use yet, so placeholders "
        "(AIMS107) and auditors' independence (AIMS613) are warnings until 2027-06-01"
    )
    text = cli("status", root, "--as-of", "2026-11-26").stdout
    assert "auditors' independence (AIMS613) are warnings until 2027-06-01\n" in text


@pytest.mark.parametrize(
    "in_use",
    [
        {"systems/s.yaml": system("SYS-1", stage="production")},
        {"systems/s.yaml": system("SYS-1", stage="retired")},
        {"aims.yaml": _with("2026-11-26")},
        {"aims.yaml": _with("2026-11-01")},
    ],
    ids=["a-system-in-production", "a-system-retired", "established-today", "established-before"],
)
def test_a_management_system_at_work_is_not_being_set_up_whatever_aims_yaml_says(
    make_repo: Make, cli: Cli, in_use: dict[str, FileContent]
) -> None:
    """Taking `established` out of a repository whose systems run made its missing
    policy and placeholders warnings: records showing AI in use end the set-up, and
    AIMS624 says that this is why they are errors."""
    found = validate(cli, make_repo(_starting(**in_use)), schema_ok=False)
    assert _severities(found) == {"AIMS107": "error", "AIMS601": "error", "AIMS613": "error"}
    said = [d["message"] for d in of(found, "AIMS624")]
    if "systems/s.yaml" in in_use:
        retired = "retired" in str(in_use["systems/s.yaml"])
        shown = "is retired (it ran)" if retired else "is in production"
        assert said == [
            f"aims.yaml sets no `established`, but SYS-1 {shown}: AI in use is "
            "governed by a management system that has started, so placeholders (AIMS107), "
            "the policy's approval (AIMS601) and auditors' independence (AIMS613) are errors "
            "now; set `established` to the day top management established it, no later than "
            "2026-11-26"
        ]
    else:
        assert said == []


def test_ai_in_use_owes_the_policy_now_whatever_day_to_come_aims_yaml_names(
    make_repo: Make, cli: Cli
) -> None:
    """With a system in production and `established` a day to come, AIMS624 said the
    management system had started while AIMS601 stayed silent until that day: writing
    a later date was more lenient than writing none. The policy is owed now, and `due`
    lists it as owed."""
    files = _starting(
        **{"aims.yaml": _with("2027-06-01"), "systems/s.yaml": system("SYS-1", stage="production")}
    )
    root = make_repo(files)
    found = validate(cli, root, schema_ok=False)
    assert _severities(found) == {"AIMS107": "error", "AIMS601": "error", "AIMS613": "error"}
    [said] = [d["message"] for d in of(found, "AIMS624")]
    assert "placeholders (AIMS107), the policy's approval (AIMS601) and auditors' " in said
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)
    assert [i["due"] for i in due["items"] if i["item"] == "approval"] == [AS_OF]


def test_the_work_of_setting_up_does_not_end_it(make_repo: Make, cli: Cli) -> None:
    """Deciding a control (partial), accepting a risk, approving an impact assessment
    and evaluating a system before release ended the set-up: one ordinary edit raised
    some forty errors, and the sign-off that approved an assessment was refused."""
    work = {
        "systems/s.yaml": system("SYS-1", stage="validation"),
        "risks/r.yaml": risk("R-1", systems=["SYS-1"], acceptance=ACCEPTED),
        "controls/c.yaml": control("A.6.2.4", applicable=True, status="partial"),
    }
    found = validate(cli, make_repo(_starting(**work)), schema_ok=False)
    assert _severities(found) == {"AIMS107": "warning", "AIMS601": "warning", "AIMS613": "warning"}
    assert len(of(found, "AIMS624")) == 1


def test_a_setting_in_rules_decides_over_the_set_up(make_repo: Make, cli: Cli) -> None:
    config = MINIMAL_CONFIG + "rules: {AIMS107: error, AIMS613: error}\n"
    found = validate(cli, make_repo(_starting(**{"aims.yaml": config})), schema_ok=False)
    assert _severities(found) == {"AIMS107": "error", "AIMS601": "warning", "AIMS613": "error"}
    [said] = of(found, "AIMS624")
    assert ", so the policy's approval (AIMS601) is a warning until it is" in said["message"]


def test_a_risk_register_alone_is_never_being_set_up(make_repo: Make, cli: Cli) -> None:
    files = {"systems/s.yaml": system("SYS-1", stage="development", description="TODO: say")}
    found = validate(cli, make_repo(files), schema_ok=False)
    assert _severities(found) == {"AIMS107": "error"}


def test_a_start_still_to_come_beside_ai_in_use_says_what_is_an_error_now(
    make_repo: Make, cli: Cli
) -> None:
    """With `established` in the future and a system in production, AIMS624 told the
    user to set `established`, which was set. The policy's approval is an error now too
    (AIMS601 no longer waits for that day: AI in use is governed by a management system
    that has started)."""
    files = _starting(
        **{
            "aims.yaml": _with("2027-06-01"),
            "systems/s.yaml": system("SYS-1", stage="production"),
        }
    )
    found = validate(cli, make_repo(files), schema_ok=False)
    assert _severities(found) == {"AIMS107": "error", "AIMS601": "error", "AIMS613": "error"}
    [said] = [d["message"] for d in of(found, "AIMS624")]
    assert said == (
        "aims.yaml says it is established on 2027-06-01, but SYS-1 is in production: AI in "
        "use is governed by a management system that has started, so placeholders (AIMS107), "
        "the policy's approval (AIMS601) and auditors' independence (AIMS613) are errors "
        "now; set `established` to the day top management established it, no later than "
        "2026-11-26"
    )
