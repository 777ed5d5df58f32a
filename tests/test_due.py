"""The due list: every dated obligation of the records, as the rules date it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from aimsctl.days import add_days
from aimsctl.due import all_due, due_list, management_due, next_of
from aimsctl.readiness import readiness
from aimsctl.records import InternalAudit, ManagementReview
from aimsctl.records.clauses import is_requirement
from aimsctl.repository import load_repository
from conftest import EXAMPLE
from factory import (
    approved_policy,
    assessment,
    control,
    evaluation,
    incident,
    internal_audit,
    management_review,
    monitor,
    nonconformity,
    objective,
    policy,
    risk,
    role,
    system,
    waiver,
)

AS_OF = date(2026, 11, 26)
MakeRepo = Callable[..., Path]


def _files() -> dict[str, object]:
    return {
        "systems/SYS-1.yaml": system(
            "SYS-1",
            stage="production",
            regulation={"eu_ai_act": "high", "eu_role": "provider"},
            reviewed={"on": "2026-01-10", "by": "cro@acme.example"},
        ),
        "risks/R-1.yaml": risk(
            "R-1",
            inherent={"likelihood": 3, "severity": 4},  # 12: high
            treatment={"option": "mitigate", "due": "2026-11-01", "owner": "eng@acme.example"},
            acceptance={
                "by": "cro@acme.example",
                "on": "2026-10-01",
                "rationale": "Manual review, in the meantime; with care.",
                "expires": "2026-12-10",
            },
            reviewed={"on": "2026-06-01", "by": "cro@acme.example"},
        ),
        "assessments/IA-1.yaml": assessment("IA-1", next_review="2026-12-20"),
        "waivers/W-1.yaml": waiver("W-1", expires="2026-12-01"),
        "monitors/MON-1.yaml": monitor("MON-1", observations=[{"on": "2026-11-20", "value": 0.9}]),
        "incidents/INC-1.yaml": incident(
            "INC-1",
            detected="2026-11-20",
            occurred="2026-11-19",
            serious=True,
            serious_kind="death",
            owner="safety@acme.example",
        ),
        "policies/POL-1.yaml": approved_policy("POL-1", on="2025-12-01"),
        "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-11-01", status="on-track"),
        "audits/AUD-1.yaml": internal_audit("AUD-1", planned="2026-12-15"),
        "reviews/MR-1.yaml": management_review(
            "MR-1",
            held="2026-01-15",
            actions=[
                {
                    "description": "Train the reviewers, all of them",
                    "owner": "hr@acme.example",
                    "due": "2026-11-30",
                },
                {
                    "description": "Done already",
                    "owner": "hr@acme.example",
                    "due": "2026-05-30",
                    "done": "2026-05-01",
                },
            ],
        ),
        "nonconformities/NC-1.yaml": nonconformity(
            "NC-1",
            actions=[{"description": "Fix it", "owner": "ROLE-CRO", "due": "2026-10-31"}],
        ),
        "roles/ROLE-CRO.yaml": role("ROLE-CRO", holder="cro@acme.example", top_management=True),
        # MR-1's chair: a review chaired outside top management does not count as held.
        "roles/ROLE-CEO.yaml": role("ROLE-CEO", holder="ceo@acme.example", top_management=True),
    }


def _items(make_repo: MakeRepo) -> dict[tuple[str, str], tuple[str, bool, str | None]]:
    repo = load_repository(make_repo(_files()), AS_OF)
    return {(i.record, i.item): (i.due.isoformat(), i.overdue, i.owner) for i in all_due(repo)}


def test_every_kind_of_date_is_gathered_with_its_owner(make_repo: MakeRepo) -> None:
    items = _items(make_repo)
    assert items[("R-1", "treatment")] == ("2026-11-01", True, "eng@acme.example")
    assert items[("R-1", "acceptance")] == ("2026-12-10", False, "risk@acme.example")
    assert items[("IA-1", "next-review")] == ("2026-12-20", False, "owner@acme.example")
    assert items[("W-1", "expires")] == ("2026-12-01", False, "ciso@acme.example")
    assert items[("MON-1", "observation")] == ("2026-11-27", False, "ops@acme.example")
    # A death: 10 days from detection (EU AI Act Art. 73), none reported.
    assert items[("INC-1", "art73-report")] == ("2026-11-30", False, "safety@acme.example")
    # Approved a year ago, no next_review: the cadence's 365 days.
    assert items[("POL-1", "next-review")] == ("2026-12-01", False, "cro@acme.example")
    assert items[("OBJ-1", "due")] == ("2026-11-01", True, "cro@acme.example")
    assert items[("AUD-1", "planned")] == ("2026-12-15", False, "auditor@acme.example")
    assert items[("MR-1", "next-review")] == ("2027-01-15", False, "ceo@acme.example")
    assert items[("MR-1", "action-1")] == ("2026-11-30", False, "hr@acme.example")
    assert ("MR-1", "action-2") not in items  # done
    assert items[("NC-1", "action-1")] == ("2026-10-31", True, "ROLE-CRO")
    # A production system with no passing evaluation owes one now.
    assert items[("SYS-1", "evaluation")] == ("2026-11-26", True, "owner@acme.example")
    # Reviews under the tier (high: every 180 days).
    assert items[("R-1", "review")] == ("2026-11-28", False, "risk@acme.example")
    assert items[("SYS-1", "review")] == ("2026-07-09", True, "owner@acme.example")


def test_overdue_items_agree_with_the_rules(make_repo: MakeRepo) -> None:
    from aimsctl import codes
    from aimsctl.engine import run

    repo = load_repository(make_repo(_files()), AS_OF)
    fired = {(d.code, d.record) for d in run(repo).diagnostics}
    assert (codes.OBJECTIVE_OVERDUE, "OBJ-1") in fired
    assert (codes.ACTION_OVERDUE, "NC-1") in fired
    assert (codes.EVALUATION_OVERDUE, "SYS-1") in fired
    assert (codes.REVIEW_OVERDUE, "SYS-1") in fired
    assert (codes.ACTION_OVERDUE, "MR-1") not in fired  # due in 4 days
    assert (codes.REVIEW_OVERDUE, "R-1") not in fired  # due in 2 days


def test_an_action_done_after_the_as_of_date_is_still_owed(make_repo: MakeRepo) -> None:
    # A done date ahead of the as-of date (AIMS508) counted as done: due listed
    # nothing, and the 10.2 line of status was ready, for an action 25 days late.
    action = {"description": "Fix it", "owner": "cro@acme.example", "due": "2026-11-01"}
    files = {
        "nonconformities/NC-1.yaml": nonconformity(
            "NC-1",
            status="action-planned",
            root_cause="No reminders.",
            actions=[action | {"done": "2027-01-15"}, action | {"done": "2026-11-20"}],
        ),
    }
    root = make_repo(files)
    listed = [
        (i.record, i.item, i.due.isoformat(), i.overdue)
        for i in all_due(load_repository(root, AS_OF))
    ]
    assert [item for item in listed if item[0] == "NC-1"] == [
        ("NC-1", "action-1", "2026-11-01", True)
    ]
    later = all_due(load_repository(root, date(2027, 1, 15)))
    assert not [i for i in later if i.record == "NC-1"]


def test_the_window_the_owner_and_the_order(make_repo: MakeRepo) -> None:
    repo = load_repository(make_repo(_files()), AS_OF)
    listed = due_list(repo, within=5)
    days = [i.due for i in listed.items]
    assert days == sorted(days)
    keys = [(i.due, i.record) for i in listed.items]
    assert keys == sorted(keys)
    assert all(i.overdue or i.due <= date(2026, 12, 1) for i in listed.items)
    assert {("W-1", "expires"), ("POL-1", "next-review")} <= {
        (i.record, i.item) for i in listed.items
    }
    assert ("IA-1", "next-review") not in {(i.record, i.item) for i in listed.items}
    assert listed.overdue == 6  # INC-1 too: no risk of SYS-1 reviewed since (AIMS707)
    # The role id and its holder are one owner.
    mine = due_list(repo, within=400, owner="cro@acme.example")
    assert {(i.record, i.item) for i in mine.items} >= {("NC-1", "action-1"), ("OBJ-1", "due")}
    assert all(i.owner in ("cro@acme.example", "ROLE-CRO") for i in mine.items)
    assert due_list(repo, owner="nobody@acme.example").items == ()


def test_an_owner_in_another_unicode_form_is_the_same_owner(make_repo: MakeRepo) -> None:
    # `due --owner josé@...` typed in a terminal (one character for é) left out the
    # items of a record whose owner was written as e plus a combining accent.
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk(
            "R-1",
            treatment={
                "option": "mitigate",
                "due": "2026-11-20",
                "owner": "jose\u0301@acme.example",
            },
        ),
    }
    repo = load_repository(make_repo(files), AS_OF)
    mine = due_list(repo, within=30, owner="jos\u00e9@acme.example")
    assert [(i.record, i.item) for i in mine.items] == [("R-1", "treatment")]


def test_a_completed_treatment_and_a_closed_risk_owe_nothing(make_repo: MakeRepo) -> None:
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk(
            "R-1", treatment={"option": "mitigate", "due": "2026-11-01", "completed": "2026-10-01"}
        ),
        "risks/R-2.yaml": risk(
            "R-2",
            status="closed",
            treatment={"option": "mitigate", "due": "2026-11-01"},
        ),
    }
    repo = load_repository(make_repo(files), AS_OF)
    assert [i for i in all_due(repo) if i.item == "treatment"] == []


def test_a_record_never_reviewed_of_unknown_creation_is_owed_now(make_repo: MakeRepo) -> None:
    """Outside git (as in a shallow clone's oldest commit) a record never reviewed has
    no known creation, so no date to count its review from: AIMS501 reports it, and
    the due list must show it too, owed now, not leave it out."""
    from aimsctl import codes
    from aimsctl.engine import run

    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk("R-1", inherent={"likelihood": 3, "severity": 4}),
    }
    repo = load_repository(make_repo(files), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    owed = items[("R-1", "review")]
    assert (owed.due, owed.overdue) == (AS_OF, True)
    assert owed.what == (
        "review (high tier: every 180 days; never reviewed, and when it was created is unknown)"
    )
    fired = {(d.code, d.record) for d in run(repo).diagnostics}
    assert {(codes.REVIEW_OVERDUE, "R-1"), (codes.REVIEW_OVERDUE, "SYS-1")} <= fired
    assert items[("SYS-1", "review")].overdue


FIRST = {
    "policies/POL-1.yaml": approved_policy("POL-1", on="2025-12-01"),
}


def test_a_first_audit_and_review_never_held_are_owed_by_the_aims(make_repo: MakeRepo) -> None:
    """No internal audit and no management review yet, the AIMS started more than a
    year ago: AIMS611 and AIMS616 are errors, and the due list (so `status` and the
    readiness report) owes both, overdue, instead of listing nothing."""
    from aimsctl import codes
    from aimsctl.engine import run

    config = "version: 1\norganization: Acme\nestablished: 2024-09-02\n"
    repo = load_repository(make_repo(FIRST, config=config), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    audit, review = items[("aims.yaml", "first-audit")], items[("aims.yaml", "first-review")]
    assert (audit.due, audit.overdue, audit.kind, audit.path) == (
        date(2025, 9, 2),
        True,
        "InternalAudit",
        "aims.yaml",
    )
    assert (review.due, review.overdue, review.kind) == (date(2025, 9, 2), True, "ManagementReview")
    assert audit.what == (
        "first internal audit (the AIMS was established on 2024-09-02; every 365 days)"
    )
    fired = {(d.code, d.record) for d in run(repo).diagnostics}
    assert {(codes.INTERNAL_AUDIT_OVERDUE, None), (codes.MANAGEMENT_REVIEW_OVERDUE, None)} <= fired
    assert due_list(repo).overdue >= 2


def test_a_young_aims_lists_its_first_audit_and_review_ahead(make_repo: MakeRepo) -> None:
    """Started in September: both fall due next September, listed but not overdue,
    as the warnings AIMS612 and AIMS617 say; a completed audit or a review held
    replaces the first with the next."""
    config = "version: 1\norganization: Acme\nestablished: 2026-09-01\n"
    # The policy approved on that day: an earlier approval would date the start (AIMS622).
    started = {"policies/POL-1.yaml": approved_policy("POL-1", on="2026-09-01")}
    repo = load_repository(make_repo(started, config=config), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    assert items[("aims.yaml", "first-audit")].due == date(2027, 9, 1)
    assert not items[("aims.yaml", "first-review")].overdue
    held = {
        **started,
        "reviews/MR-1.yaml": management_review("MR-1", held="2026-10-01"),
    }
    repo = load_repository(make_repo(held, config=config), AS_OF)
    keys = {(i.record, i.item) for i in all_due(repo)}
    assert ("aims.yaml", "first-review") not in keys and ("MR-1", "next-review") in keys
    assert ("aims.yaml", "first-audit") in keys


def test_a_review_chaired_outside_top_management_is_not_the_review_held(
    make_repo: MakeRepo,
) -> None:
    """MR-2, chaired by someone no top-management Role names (AIMS606), was listed as
    "next management review (every 365 days since this one)" a year after it, while
    readiness counted it as evidence of nothing for 9.3. It does not count as held: the
    first review is owed by the AIMS (overdue, as AIMS616 says), saying why MR-2 is not
    it; after a review that counts, the next is counted from that one."""
    from aimsctl import codes
    from aimsctl.engine import run

    config = "version: 1\norganization: Acme\nestablished: 2024-09-02\n"
    outside = (
        "MR-2 is chaired by 'ai-lead', who is not top management (AIMS606), so it does not "
        "count as held"
    )
    files: dict[str, object] = {
        **FIRST,
        "roles/a.yaml": [
            role("ceo", top_management=True),
            role("ai-lead", holder="lead@acme.example", reports_to="ceo"),
        ],
        "reviews/MR-2.yaml": management_review("MR-2", held="2026-10-01", chair="ai-lead"),
    }
    repo = load_repository(make_repo(files, config=config), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    assert ("MR-2", "next-review") not in items
    first = items[("aims.yaml", "first-review")]
    assert (first.due, first.overdue, first.what) == (
        date(2025, 9, 2),
        True,
        f"first management review (the AIMS was established on 2024-09-02; every 365 days; "
        f"{outside})",
    )
    fired = {(d.code, d.record) for d in run(repo).diagnostics}
    assert (codes.MANAGEMENT_REVIEW_OVERDUE, "MR-2") in fired
    files["reviews/MR-1.yaml"] = management_review("MR-1", held="2026-01-15", chair="ceo")
    repo = load_repository(make_repo(files, config=config), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    assert ("aims.yaml", "first-review") not in items and ("MR-2", "next-review") not in items
    after = items[("MR-1", "next-review")]
    assert (after.due, after.overdue, after.what) == (
        date(2027, 1, 15),
        False,
        f"next management review (every 365 days since this one; {outside})",
    )


def test_a_planned_audit_still_holding_placeholders_is_listed_as_no_plan(
    make_repo: MakeRepo,
) -> None:
    """The starter's AUD-FIRST was listed as "planned internal audit to begin", owned by
    its auditor `TODO: who audits: ...`: a plan nobody is assigned to, shown as a plan
    with a placeholder for its owner. It is listed still (the date is the user's to
    keep or move), saying why it counts as no plan, with no owner until one is named."""
    config = "version: 1\norganization: Acme\nestablished: 2026-09-01\n"
    files = {
        "audits/AUD-1.yaml": internal_audit("AUD-1", planned="2027-03-01", auditor="TODO: who"),
        "audits/AUD-2.yaml": internal_audit("AUD-2", planned="2027-04-01"),
    }
    repo = load_repository(make_repo(files, config=config), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    unwritten = items[("AUD-1", "planned")]
    assert (unwritten.due, unwritten.owner, unwritten.what) == (
        date(2027, 3, 1),
        None,
        "planned internal audit to begin (AUD-1 still holds placeholder text (TODO:), so it "
        "does not count as planned)",
    )
    written = items[("AUD-2", "planned")]
    assert (written.owner, written.what) == (
        "auditor@acme.example",
        "planned internal audit to begin",
    )


def test_a_repository_without_a_management_system_owes_no_first_audit(
    make_repo: MakeRepo,
) -> None:
    repo = load_repository(make_repo({"systems/SYS-1.yaml": system("SYS-1")}), AS_OF)
    assert not [i for i in all_due(repo) if i.record == "aims.yaml"]


def test_an_assessment_without_next_review_is_due_when_validate_says(make_repo: MakeRepo) -> None:
    """No `next_review` written: current until assessed + the tier's review period, the
    date AIMS401 uses. `due` once listed nothing for it, while validate reported the
    expiry and the reports showed the date."""
    from aimsctl import codes
    from aimsctl.days import add_days
    from aimsctl.engine import run

    files = {**_files(), "assessments/IA-1.yaml": assessment("IA-1")}
    root = make_repo(files)
    repo = load_repository(root, AS_OF)
    period = repo.config.policy(repo.tiers["SYS-1"]).review_days
    expected = add_days(date(2026, 6, 1), period)
    item = next(i for i in all_due(repo) if (i.record, i.item) == ("IA-1", "next-review"))
    assert item.due == expected
    after = load_repository(root, add_days(expected, 1))
    overdue = {(i.record, i.item) for i in all_due(after) if i.overdue}
    assert ("IA-1", "next-review") in overdue
    fired = [d for d in run(after).diagnostics if d.code == codes.IMPACT_ASSESSMENT_REQUIRED]
    assert any(f"expired on {expected}" in d.message for d in fired), fired


def test_a_bias_audit_is_due_a_year_after_the_last_as_validate_says(make_repo: MakeRepo) -> None:
    """An automated employment decision tool in production needs a bias audit every
    365 days (NYC Local Law 144, AIMS802): `due` once listed nothing for it, neither
    coming up nor overdue, while validate reported it lapsed."""
    from aimsctl import codes
    from aimsctl.engine import run

    files = {
        "systems/SYS-1.yaml": system(
            "SYS-1",
            stage="production",
            regulation={"nyc_aedt": True},
            reviewed={"on": "2026-11-01", "by": "cro@acme.example"},
        ),
        "evaluations/E-1.yaml": evaluation(
            "E-1", tags=["bias-audit"], performed={"on": "2025-12-01", "by": "qa@acme.example"}
        ),
    }
    root = make_repo(files)
    for as_of, overdue in ((date(2026, 12, 1), False), (date(2026, 12, 2), True)):
        repo = load_repository(root, as_of)
        item = next(i for i in all_due(repo) if (i.record, i.item) == ("SYS-1", "bias-audit"))
        assert (item.due, item.overdue) == (date(2026, 12, 1), overdue)
        fired = {(d.code, d.record) for d in run(repo).diagnostics}
        assert ((codes.BIAS_AUDIT_OVERDUE, "SYS-1") in fired) is overdue
    # None recorded: owed now, as AIMS802 reports it.
    (root / "evaluations" / "E-1.yaml").unlink()
    repo = load_repository(root, AS_OF)
    item = next(i for i in all_due(repo) if (i.record, i.item) == ("SYS-1", "bias-audit"))
    assert (item.due, item.overdue) == (AS_OF, True)


def test_a_bias_audit_is_not_due_for_a_system_not_in_production(make_repo: MakeRepo) -> None:
    """NYC Local Law 144 asks a bias audit of a tool in use: one still in development,
    though marked `nyc_aedt`, owes none, in `due` as in AIMS802 (mutation audit:
    `!= "production"` read as `== "retired"`, owing one before production, went
    unnoticed)."""
    from aimsctl import codes
    from aimsctl.engine import run

    files = {
        "systems/SYS-1.yaml": system("SYS-1", stage="development", regulation={"nyc_aedt": True})
    }
    repo = load_repository(make_repo(files), AS_OF)
    assert [(i.record, i.item) for i in all_due(repo) if i.item == "bias-audit"] == []
    assert codes.BIAS_AUDIT_OVERDUE not in {d.code for d in run(repo).diagnostics}


def test_a_monitor_whose_observations_cannot_be_read_is_not_owed_a_first_one(
    make_repo: MakeRepo,
) -> None:
    """An observations file without its header row holds observations no rule can read
    (AIMS708, `monitor check` says unreadable): the item is owed now, as before, but
    it said 'first observation of ...', as if the monitor had never been observed."""
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "monitors/MON-1.yaml": monitor("MON-1", observations_file="obs.csv"),
        "obs.csv": "date,val\n2026-11-20,0.9\n",
    }
    repo = load_repository(make_repo(files), AS_OF)
    item = next(i for i in all_due(repo) if (i.record, i.item) == ("MON-1", "observation"))
    assert (item.due, item.overdue) == (AS_OF, True)
    assert item.what == (
        "observations of accuracy that can be read (every 7 days; its observations file "
        "cannot be used)"
    )


def test_every_item_cites_clauses_or_annex_a_controls(make_repo: MakeRepo) -> None:
    """An item's `clauses` (in `due --format json`, and where readiness counts it) are
    clauses or Annex A ids: the review of an organization control cites the Statement
    of Applicability it is a row of (6.1.3), not its own id, as though ORG-1 were a
    clause of ISO/IEC 42001; an Annex A control's cites that control."""
    reviewed = {"on": "2025-01-10", "by": "cro@acme.example"}
    files = {
        **_files(),
        "controls/c.yaml": [
            control("ORG-1", title="Our own review board", reviewed=reviewed),
            control("A.6.2.4", reviewed=reviewed),
        ],
    }
    repo = load_repository(make_repo(files), AS_OF)
    items = all_due(repo)
    cited = {(i.record, i.item): i.clauses for i in items}
    assert cited[("ORG-1", "review")] == ("6.1.3",)
    assert cited[("A.6.2.4", "review")] == ("A.6.2.4",)
    wrong = {(i.record, i.item): c for i in items for c in i.clauses if not is_requirement(c)}
    assert wrong == {}
    # Readiness lists the organization control's review under the SoA clause.
    requirements = {r.id: r for line in readiness(repo).lines for r in line.requirements}
    assert "ORG-1" in {item.record for item in requirements["6.1.3"].due}


def test_a_draft_policy_while_none_is_approved_is_an_approval_owed(make_repo: MakeRepo) -> None:
    """A draft policy and none approved: AIMS601 reports the missing approval, and
    `due` (so `status`) listed nothing for it. The approval is owed from the day the
    AIMS is established, as AIMS601 counts it; a draft next to a policy in force (a
    successor being written) owes nothing."""
    from aimsctl import codes
    from aimsctl.engine import run

    draft = {"policies/POL-1.yaml": policy("POL-1")}

    def approval(config: str, files: dict[str, object]) -> tuple[str, bool, str] | None:
        repo = load_repository(make_repo(files, config=config), AS_OF)
        items = {(i.record, i.item): i for i in all_due(repo)}
        item = items.get(("POL-1", "approval"))
        return None if item is None else (item.due.isoformat(), item.overdue, item.what)

    started = "version: 1\norganization: Acme\nestablished: 2026-09-01\n"
    assert approval(started, draft) == (
        "2026-11-26",
        True,
        "approval of the AI policy (POL-1 is a draft)",
    )
    repo = load_repository(make_repo(draft, config=started), AS_OF)
    assert codes.AI_POLICY_MISSING in {d.code for d in run(repo).diagnostics}
    # Before `established`, AIMS601 waits, and `due` lists the approval on that day.
    starting = "version: 1\norganization: Acme\nestablished: 2027-01-04\n"
    assert approval(starting, draft) == (
        "2027-01-04",
        False,
        "approval of the AI policy (POL-1 is a draft)",
    )
    in_force = {
        **draft,
        "policies/POL-0.yaml": approved_policy("POL-0", on="2026-09-01"),
    }
    assert approval(started, in_force) is None


def test_a_policy_approved_after_the_as_of_date_owes_its_approval_at_the_policy(
    make_repo: MakeRepo,
) -> None:
    """Its approval counts only from its date (AIMS601: "approved only on ..."); `due`
    filed the approval under aims.yaml, with no owner (so `--owner` of the policy's
    owner hid it) and saying no Policy record was approved or a draft."""
    started = "version: 1\norganization: Acme\nestablished: 2026-09-01\n"
    files = {"policies/POL-1.yaml": approved_policy("POL-1", on="2027-01-10")}
    repo = load_repository(make_repo(files, config=started), AS_OF)
    items = [i for i in all_due(repo) if i.kind == "Policy"]
    assert [(i.record, i.item, i.due.isoformat(), i.overdue, i.owner, i.what) for i in items] == [
        (
            "POL-1",
            "approval",
            "2026-11-26",
            True,
            items[0].owner,
            "approval of the AI policy (POL-1 is approved only on 2027-01-10)",
        )
    ]
    assert items[0].owner is not None


def test_an_approved_policy_owed_with_no_policy_record_to_hang_it_on(
    make_repo: MakeRepo,
) -> None:
    """No Policy record at all, or only a retired one: AIMS601 reports that no policy
    is approved, and `due` (so `status`) listed nothing. The approval is now aims.yaml's
    item, owed from the day the AIMS is established, as a draft's is; once a policy is in
    force it goes."""
    from aimsctl import codes
    from aimsctl.engine import run

    def owed(config: str, files: dict[str, object]) -> tuple[str, bool, str, str] | None:
        repo = load_repository(make_repo(files, config=config), AS_OF)
        items = {(i.record, i.item): i for i in all_due(repo)}
        item = items.get(("aims.yaml", "policy-approval"))
        if item is None:
            return None
        return (item.due.isoformat(), item.overdue, item.what, item.kind)

    started = "version: 1\norganization: Acme\nestablished: 2026-09-01\n"
    what = "approval of an AI policy (no Policy record is approved or a draft)"
    assert owed(started, {}) == ("2026-11-26", True, what, "Policy")
    repo = load_repository(make_repo({}, config=started), AS_OF)
    assert codes.AI_POLICY_MISSING in {d.code for d in run(repo).diagnostics}
    # Before `established` it is listed on that day, not yet overdue.
    starting = "version: 1\norganization: Acme\nestablished: 2027-01-04\n"
    assert owed(starting, {}) == ("2027-01-04", False, what, "Policy")
    retired = {"policies/POL-0.yaml": approved_policy("POL-0", on="2025-09-01", status="retired")}
    assert owed(started, retired) == ("2026-11-26", True, what, "Policy")
    # Unless a policy approved before it shows the AIMS at work already (AIMS622).
    assert owed(starting, retired) == ("2026-11-26", True, what, "Policy")
    # A draft holds the item itself (see the test above); a policy in force owes nothing.
    assert owed(started, {"policies/POL-1.yaml": policy("POL-1")}) is None
    in_force = {"policies/POL-0.yaml": approved_policy("POL-0", on="2026-09-01")}
    assert owed(started, in_force) is None
    # A repository that keeps no management system in records owes no policy.
    assert owed("version: 1\norganization: Acme\n", {}) is None


def test_a_policy_approval_owed_from_the_as_of_day_is_overdue_on_that_day(
    make_repo: MakeRepo,
) -> None:
    """With no `established` in aims.yaml, an approved policy is owed from the as-of
    date itself (policy_owed), as AIMS601 reports it that day: the item is owed now,
    due and overdue on the as-of day, both where a draft holds it and where aims.yaml
    does (no Policy record; a Role shows a management system kept in records). Either
    `<=` read as `<` listed it as not yet overdue (mutation audit)."""
    from aimsctl import codes
    from aimsctl.engine import run

    def owed(root: Path) -> list[tuple[tuple[str, str], date, bool, int]]:
        repo = load_repository(root, AS_OF)
        assert repo.config.established is None
        assert codes.AI_POLICY_MISSING in {d.code for d in run(repo).diagnostics}
        items = [i for i in all_due(repo) if i.kind == "Policy"]
        return [((i.record, i.item), i.due, i.overdue, i.days) for i in items]

    root = make_repo({"policies/POL-1.yaml": policy("POL-1")})
    assert owed(root) == [(("POL-1", "approval"), AS_OF, True, 0)]
    (root / "policies" / "POL-1.yaml").unlink()
    root = make_repo({"roles/ROLE-1.yaml": role("ROLE-1")})
    assert owed(root) == [(("aims.yaml", "policy-approval"), AS_OF, True, 0)]


def test_an_established_later_than_the_records_puts_off_nothing_owed(
    make_repo: MakeRepo,
) -> None:
    """POL-0 was approved on 2024-01-10 (retired since), POL-1 is a draft, and aims.yaml
    says `established: 2027-01-04`. The first internal audit and management review were
    listed for 2028-01-04 and the policy's approval for 2027-01-04, none overdue, in
    `due`, `status` and the readiness report: later than the records justify. The AIMS
    is counted from 2024-01-10, so all three are overdue, and each says why."""
    config = "version: 1\norganization: Acme\nestablished: 2027-01-04\n"
    files = {
        "policies/POL-0.yaml": approved_policy("POL-0", on="2024-01-10", status="retired"),
        "policies/POL-1.yaml": policy("POL-1"),
    }
    repo = load_repository(make_repo(files, config=config), AS_OF)
    items = {(i.record, i.item): i for i in all_due(repo)}
    basis = "aims.yaml says established 2027-01-04, but POL-0 was approved on 2024-01-10"
    audit, review = items[("aims.yaml", "first-audit")], items[("aims.yaml", "first-review")]
    assert (audit.due, audit.overdue) == (date(2025, 1, 9), True)
    assert audit.what == f"first internal audit ({basis}; every 365 days)"
    assert (review.due, review.overdue) == (date(2025, 1, 9), True)
    approval = items[("POL-1", "approval")]
    assert (approval.due, approval.overdue) == (AS_OF, True)
    assert due_list(repo).overdue >= 3
    requirements = {r.id: r for line in readiness(repo).lines for r in line.requirements}
    owed = {(i.record, i.item, i.overdue) for r in requirements.values() for i in r.due}
    assert {("aims.yaml", "first-audit", True), ("POL-1", "approval", True)} <= owed


def test_the_management_items_are_those_of_all_due(make_repo: MakeRepo) -> None:
    """management_due (the management report's summary) works out the policy's, the
    audits' and the reviews' items alone: the same items all_due gives of those kinds."""
    for root in (make_repo(_files()), EXAMPLE):
        repo = load_repository(root, AS_OF)
        kinds = {"Policy", "InternalAudit", "ManagementReview"}
        everything = all_due(repo)
        management = management_due(repo)
        assert management == [i for i in everything if i in management]
        # Every policy item, and the first or next audit and review, are among them.
        wanted = {next_of(InternalAudit), next_of(ManagementReview)}
        used = [i for i in everything if i.kind == "Policy" or i.uid in wanted]
        assert used and all(item in management for item in used)
        assert {i.kind for i in management} <= kinds


def test_the_window_is_every_item_cut_at_the_horizon(make_repo: MakeRepo) -> None:
    """due_list leaves out, before writing them, the reviews, acceptances and
    treatments due after the window: what it lists is what all_due lists up to the
    horizon, in the same order. An acceptance that does not count is owed now however
    late it expires, so it stays."""
    accepted = {
        "by": "cro@acme.example",
        "on": "2026-10-01",
        "rationale": "Manual review, in the meantime; with care.",
        "expires": "2027-06-30",
    }
    files = {
        **_files(),
        "risks/R-2.yaml": risk(
            "R-2", inherent={"likelihood": 3, "severity": 4}, acceptance=accepted
        ),
        "risks/R-3.yaml": risk(
            "R-3",
            inherent={"likelihood": 3, "severity": 4},
            acceptance=accepted | {"by": "TODO: who accepts it"},
        ),
        "risks/R-4.yaml": risk(
            "R-4", treatment={"option": "mitigate", "due": "2027-03-01", "owner": "x@acme.example"}
        ),
    }
    for root in (make_repo(files), EXAMPLE):
        repo = load_repository(root, AS_OF)
        everything = all_due(repo)
        for within in (0, 5, 30, 120, 400):
            horizon = add_days(AS_OF, within)
            wanted = tuple(i for i in everything if i.overdue or i.due <= horizon)
            assert due_list(repo, within).items == wanted
    repo = load_repository(make_repo(files), AS_OF)
    listed = {(i.record, i.item): i for i in due_list(repo, within=0).items}
    assert listed[("R-3", "acceptance")].overdue
    assert listed[("R-3", "acceptance")].due == AS_OF
    assert ("R-2", "acceptance") not in listed and ("R-4", "treatment") not in listed
    later = {(i.record, i.item) for i in due_list(repo, within=400).items}
    assert {("R-2", "acceptance"), ("R-4", "treatment"), ("R-2", "review")} <= later


def test_every_monitoring_and_incident_finding_owes_an_item(tmp_path: Path) -> None:
    """A production system with no Monitor its tier asks for (AIMS703), a breach that
    nothing followed (AIMS705) and an incident after which no risk of its system was
    reviewed (AIMS707) were findings of `validate` that `due` and `status` never showed:
    nothing due may be seen by nobody."""
    import shutil

    from aimsctl import codes
    from aimsctl.engine import run

    root = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, root)
    (root / "monitors/MON-CREDIT-PSI.yaml").unlink()
    csv = root / "evidence/monitoring/assist-grounding-weekly-2026.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "2026-11-24,0.900,\n", encoding="utf-8")
    incident = root / "incidents/INC-2026-02.yaml"
    text = incident.read_text(encoding="utf-8")
    incident.write_text(
        text.replace("occurred: 2026-09-12\ndetected: 2026-09-16", "occurred: 2026-11-20\n"
                     "detected: 2026-11-21"),
        encoding="utf-8",
    )  # fmt: skip
    repo = load_repository(root, AS_OF)
    wanted = {
        codes.PRODUCTION_SYSTEM_UNMONITORED: "monitor",
        codes.BREACH_WITHOUT_FOLLOW_UP: "breach-2026-11-24",
        codes.INCIDENT_RISKS_NOT_REVIEWED: "risk-review-",
    }
    found = [(d.code, d.record) for d in run(repo).diagnostics if d.code in wanted]
    assert {code for code, _ in found} == set(wanted)
    items = all_due(repo)
    for code, record in found:
        owed = [i for i in items if i.record == record and i.item.startswith(wanted[code])]
        assert len(owed) == 1 and owed[0].overdue, (code, record)
    review = next(i for i in items if i.record == "INC-2026-02" and i.item.startswith("risk-"))
    assert (review.due, review.what, review.owner) == (
        date(2026, 11, 21),
        "a review of the risks of SYS-TRIAGE after the incident",
        "clinical-safety-officer@northwind.example",
    )
    # An incident that names no owner: the review is the system's owner's, not nobody's
    # (`due` showed "-"; year-cycle audit).
    incident.write_text(
        incident.read_text(encoding="utf-8").replace(
            "owner: clinical-safety-officer@northwind.example\n", ""
        ),
        encoding="utf-8",
    )
    items = all_due(load_repository(root, AS_OF))
    review = next(i for i in items if i.record == "INC-2026-02" and i.item.startswith("risk-"))
    assert review.owner == "chief-medical-officer@northwind.example"
