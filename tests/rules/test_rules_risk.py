"""AIMS301-AIMS303: treatment needs a residual, residual below inherent, risk appetite."""

from __future__ import annotations

import json

from rule_support import ACCEPTED, Cli, Make, at, of, validate

from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, FileContent
from factory import Record, control, flow, levels, risk, role, system


def _repo(risks: dict[str, Record]) -> dict[str, FileContent]:
    files: dict[str, FileContent] = {
        "systems/SYS-1.yaml": system(),
        "controls/annex-a.yaml": EXCLUDED_SOA,
    }
    files.update({f"risks/{name}.yaml": record for name, record in risks.items()})
    return files


# --- AIMS301 treatment-without-residual ---------------------------------------------


def test_treatment_without_residual(make_repo: Make, cli: Cli) -> None:
    treated = risk(treatment={"option": "avoid"})
    found = validate(cli, make_repo(_repo({"R-1": treated})))
    assert at(found, "AIMS301") == [("risks/R-1.yaml", 11, 1)]
    assert of(found, "AIMS301")[0]["pointer"] == "/treatment"


def test_residual_or_no_treatment_passes_aims301(make_repo: Make, cli: Cli) -> None:
    risks = {
        "R-1": risk(treatment={"option": "avoid"}, residual=flow(levels(1, 2))),
        "R-2": risk("R-2"),
    }
    assert at(validate(cli, make_repo(_repo(risks))), "AIMS301") == []


# --- AIMS302 residual-above-inherent ------------------------------------------------


def test_residual_above_inherent(make_repo: Make, cli: Cli) -> None:
    # Labels and numbers mix: Major is severity 4, Severe 5.
    worse = risk(
        inherent=levels(3, "Major"),
        treatment=flow({"option": "accept"}),
        residual=levels(4, "Severe"),
    )
    found = validate(cli, make_repo(_repo({"R-1": worse})))
    assert at(found, "AIMS302") == [("risks/R-1.yaml", 13, 15), ("risks/R-1.yaml", 14, 13)]
    assert [d["message"] for d in of(found, "AIMS302")] == [
        "residual likelihood 4 is above the inherent likelihood 3; treatment cannot raise a risk",
        "residual severity 5 is above the inherent severity 4; treatment cannot raise a risk",
    ]


def test_residual_equal_to_inherent_passes(make_repo: Make, cli: Cli) -> None:
    same = risk(
        inherent=levels(3, "Major"),
        treatment=flow({"option": "accept"}),
        residual=levels("Possible", 4),
    )
    assert at(validate(cli, make_repo(_repo({"R-1": same}))), "AIMS302") == []


# --- AIMS303 risk-above-appetite ----------------------------------------------------

EXPIRED = {
    "by": "ceo@acme.example",
    "on": "2025-01-10",
    "rationale": "Accepted for a year.",
    "expires": "2026-11-25",
}
TODAY = {**EXPIRED, "expires": "2026-11-26"}


def test_risk_above_appetite(make_repo: Make, cli: Cli) -> None:
    risks = {
        "R-1": risk("R-1", inherent=levels(4, 4)),  # high, no acceptance
        "R-2": risk("R-2", inherent=levels(5, 5), acceptance=EXPIRED),  # critical, expired
        # A residual written for a treatment that is not in place does not count yet.
        "R-3": risk(
            "R-3",
            inherent=levels(5, 5),
            treatment=flow({"option": "mitigate"}),
            residual=flow(levels(2, 2)),
        ),
        # A treatment carried out: the residual counts, and it is still high.
        "R-4": risk(
            "R-4",
            inherent=levels(5, 5),
            treatment=flow({"option": "mitigate", "completed": "2026-10-01"}),
            residual=flow(levels(4, 3)),
        ),
    }
    found = validate(cli, make_repo(_repo(risks)))
    assert at(found, "AIMS303") == [
        ("risks/R-1.yaml", 7, 1),
        ("risks/R-2.yaml", 15, 12),
        ("risks/R-3.yaml", 7, 1),
        ("risks/R-4.yaml", 12, 1),
    ]
    assert [d["message"] for d in of(found, "AIMS303")] == [
        "current risk is high (score 16, inherent), above the appetite 'medium', with no "
        "formal acceptance; treat it further or record an acceptance",
        "current risk is critical (score 25, inherent), above the appetite 'medium'; its "
        "acceptance expired on 2026-11-25: renew it or treat the risk further",
        "current risk is critical (score 25, inherent), above the appetite 'medium'; the "
        "planned residual (low) counts once the treatment is completed or its controls are "
        "implemented, with no formal acceptance; treat it further or record an acceptance",
        "current risk is high (score 12, residual), above the appetite 'medium', with no "
        "formal acceptance; treat it further or record an acceptance",
    ]
    assert [d["pointer"] for d in of(found, "AIMS303")] == [
        "/inherent",
        "/acceptance/expires",
        "/inherent",
        "/residual",
    ]


def test_risks_within_appetite_accepted_or_closed_pass(make_repo: Make, cli: Cli) -> None:
    risks = {
        "R-1": risk("R-1", inherent=levels(3, 3)),  # medium: the appetite
        "R-2": risk("R-2", inherent=levels(4, 4), acceptance=ACCEPTED),
        "R-3": risk("R-3", inherent=levels(4, 4), acceptance=TODAY),  # expires today
        "R-4": risk("R-4", inherent=levels(5, 5), status="closed"),
        "R-5": risk(
            "R-5",
            inherent=levels(5, 5),
            treatment=flow({"option": "mitigate", "completed": "2026-11-26"}),  # today
            residual=flow(levels(3, 3)),
        ),
    }
    assert at(validate(cli, make_repo(_repo(risks))), "AIMS303") == []


def test_a_residual_counts_once_every_treating_control_is_implemented(
    make_repo: Make, cli: Cli
) -> None:
    def treated(rid: str, controls: list[str]) -> Record:
        return risk(
            rid,
            inherent=levels(5, 5),
            treatment=flow({"option": "mitigate", "controls": flow(controls)}),
            residual=flow(levels(2, 2)),
        )

    files = _repo({"R-1": treated("R-1", ["ORG-1"]), "R-2": treated("R-2", ["ORG-1", "ORG-2"])})
    files["controls/org.yaml"] = [
        control("ORG-1", status="implemented", evidence=[{"url": "https://e.example/1"}]),
        control("ORG-2", status="partial"),
    ]
    found = validate(cli, make_repo(files))
    assert [d["record"] for d in of(found, "AIMS303")] == ["R-2"]  # ORG-2 is only partial


def test_an_excluded_control_marked_implemented_earns_a_treatment_no_credit(
    make_repo: Make, cli: Cli
) -> None:
    """A control the Statement of Applicability excludes (`applicable: false`) is not
    in place whatever its `status` says: a treatment naming only that control is not
    carried out, so the risk is scored on its inherent levels and stays above the
    appetite (mutation audit: `implemented` dropping its `applicable` test went
    unnoticed). AIMS205 says why the control does not count."""
    treated = risk(
        inherent=levels(5, 5),
        treatment=flow({"option": "mitigate", "controls": flow(["ORG-1"])}),
        residual=flow(levels(2, 2)),
    )
    files = _repo({"R-1": treated})
    files["controls/org.yaml"] = control(
        "ORG-1",
        applicable=False,
        justification="Outside the scope of this test repository.",
        status="implemented",
        evidence=[{"url": "https://e.example/1"}],
    )
    root = make_repo(files)
    found = validate(cli, root)
    assert at(found, "AIMS303") == [("risks/R-1.yaml", 7, 1)]
    assert [d["message"] for d in of(found, "AIMS303")] == [
        "current risk is critical (score 25, inherent), above the appetite 'medium'; the "
        "planned residual (low) counts once the treatment is completed or its controls are "
        "implemented, with no formal acceptance; treat it further or record an acceptance"
    ]
    assert [d["message"] for d in of(found, "AIMS205")] == [
        "treatment relies on control 'ORG-1', which the Statement of Applicability excludes "
        "(applicable: false)"
    ]
    scored = json.loads(cli("risk", "score", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [(r["current"]["basis"], r["current"]["band"]) for r in scored["risks"]] == [
        ("inherent", "critical")
    ]
    assert [(s["id"], s["tier"]) for s in scored["systems"]] == [("SYS-1", "critical")]


def test_a_completion_date_still_to_come_gives_no_credit(make_repo: Make, cli: Cli) -> None:
    later = risk(
        inherent=levels(5, 5),
        treatment=flow({"option": "mitigate", "completed": "2026-12-01"}),
        residual=flow(levels(2, 2)),
    )
    found = validate(cli, make_repo(_repo({"R-1": later})))
    assert "inherent" in of(found, "AIMS303")[0]["message"]


def test_residual_credit_planned_counts_a_written_residual(make_repo: Make, cli: Cli) -> None:
    config = MINIMAL_CONFIG + "risk:\n  residual_credit: planned\n"
    planned = risk(
        inherent=levels(5, 5), treatment=flow({"option": "mitigate"}), residual=flow(levels(2, 2))
    )
    assert at(validate(cli, make_repo(_repo({"R-1": planned}), config)), "AIMS303") == []


def test_appetite_follows_the_scoring_engine(make_repo: Make, cli: Cli) -> None:
    # 3 x 3 is medium, but the vulnerable uplift scores it 3 x 4 = 12 (high).
    config = MINIMAL_CONFIG + "risk:\n  appetite: medium\n  vulnerable_uplift: 1\n"
    uplifted = risk(inherent=levels(3, 3), affects_vulnerable=True)
    found = validate(cli, make_repo(_repo({"R-1": uplifted}), config))
    assert at(found, "AIMS303") == [("risks/R-1.yaml", 7, 1)]
    assert "high (score 12, inherent)" in of(found, "AIMS303")[0]["message"]


def test_a_lower_appetite_is_honoured(make_repo: Make, cli: Cli) -> None:
    # With a `low` appetite 2 x 2 = 4 is fine, 3 x 2 = 6 (medium) is not.
    config = MINIMAL_CONFIG + "risk:\n  appetite: low\n"
    risks = {"R-1": risk("R-1", inherent=levels(2, 2)), "R-2": risk("R-2", inherent=levels(3, 2))}
    found = validate(cli, make_repo(_repo(risks), config))
    assert [d["record"] for d in of(found, "AIMS303")] == ["R-2"]
    assert "above the appetite 'low'" in of(found, "AIMS303")[0]["message"]


# --- AIMS304 treatment-overdue ------------------------------------------------------


def test_treatment_past_due_and_not_in_place(make_repo: Make, cli: Cli) -> None:
    late = risk(
        inherent=levels(2, 2),
        treatment=flow({"option": "mitigate", "due": "2026-11-25"}),
        residual=flow(levels(1, 2)),
        status="treating",
    )
    found = validate(cli, make_repo(_repo({"R-1": late})))
    assert at(found, "AIMS304") == [("risks/R-1.yaml", 11, 36)]
    assert of(found, "AIMS304")[0]["pointer"] == "/treatment/due"
    assert "was due on 2026-11-25" in of(found, "AIMS304")[0]["message"]


def test_treatment_done_due_later_or_closed_passes_aims304(make_repo: Make, cli: Cli) -> None:
    def treated(rid: str, treatment: dict[str, str], status: str = "treating") -> Record:
        return risk(
            rid,
            inherent=levels(2, 2),
            treatment=flow({"option": "mitigate", **treatment}),
            residual=flow(levels(1, 2)),
            status=status,
        )

    risks = {
        "R-1": treated("R-1", {"due": "2026-11-26"}),  # due today
        "R-2": treated("R-2", {"due": "2026-06-30", "completed": "2026-06-20"}),
        "R-3": treated("R-3", {"due": "2026-06-30"}, status="closed"),
        "R-4": treated("R-4", {}),  # no due date
    }
    assert at(validate(cli, make_repo(_repo(risks))), "AIMS304") == []


# --- AIMS307 completed-treatment-not-in-place ---------------------------------------


def _completed(rid: str, controls: list[str], completed: str = "2026-06-30") -> Record:
    return risk(
        rid,
        inherent=levels(4, 4),
        treatment=flow({"option": "mitigate", "controls": flow(controls), "completed": completed}),
        residual=flow(levels(2, 2)),
    )


def test_a_completed_treatment_naming_a_control_not_in_place(make_repo: Make, cli: Cli) -> None:
    """The residual is credited on the completion date alone (records-v2), so a control
    still partial, planned or missing left the over-claim unreported."""
    files = _repo(
        {
            "R-1": _completed("R-1", ["ORG-1", "ORG-2"]),
            "R-2": _completed("R-2", ["ORG-3", "ORG-9"]),
        }
    )
    files["controls/org.yaml"] = [
        control("ORG-1", status="implemented", evidence=[{"url": "https://e.example/1"}]),
        control("ORG-2", status="partial"),
        control("ORG-3", status="planned"),
    ]
    root = make_repo(files)
    found = validate(cli, root, schema_ok=False)
    assert at(found, "AIMS307") == [("risks/R-1.yaml", 11, 68), ("risks/R-2.yaml", 11, 68)]
    assert of(found, "AIMS307")[0]["pointer"] == "/treatment/completed"
    assert [d["message"] for d in of(found, "AIMS307")] == [
        "treatment is recorded as completed on 2026-06-30, but ORG-2 (partial) is not in "
        "place; the residual is credited on that date alone: implement it for the risk's "
        "systems, or take it out of the treatment",
        "treatment is recorded as completed on 2026-06-30, but ORG-3 (planned), ORG-9 (no "
        "Control record) are not in place; the residual is credited on that date alone: "
        "implement them for the risk's systems, or take them out of the treatment",
    ]
    assert {d["severity"] for d in of(found, "AIMS307")} == {"warning"}
    # the engine credits both residuals, as the spec says: only the warning tells
    scores = json.loads(cli("risk", "score", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert {r["id"]: r["current"]["basis"] for r in scores["risks"]} == {
        "R-1": "residual",
        "R-2": "residual",
    }


def test_a_completed_treatment_whose_controls_are_in_place_passes(
    make_repo: Make, cli: Cli
) -> None:
    files = _repo(
        {
            "R-1": _completed("R-1", ["ORG-1"]),
            "R-2": _completed("R-2", ["ORG-2"], completed="2026-12-20"),  # not yet completed
            # no control named: nothing is left unimplemented (AIMS307 asks for controls
            # only of a mitigation that lowers the residual)
            "R-3": risk(
                "R-3",
                inherent=levels(4, 4),
                treatment=flow({"option": "transfer", "completed": "2026-06-30"}),
                residual=flow(levels(4, 2)),
            ),
            "R-4": risk("R-4", treatment=flow({"option": "mitigate", "controls": ["ORG-2"]})),
        }
    )
    files["controls/org.yaml"] = [
        control("ORG-1", status="implemented", evidence=[{"url": "https://e.example/1"}]),
        control("ORG-2", status="partial"),
    ]
    assert at(validate(cli, make_repo(files), schema_ok=False), "AIMS307") == []


def test_a_closed_risk_whose_completed_treatment_is_not_in_place(make_repo: Make, cli: Cli) -> None:
    """Closing a risk on the credit of a completion date, with its control still
    planned, took it out of sight: AIMS307 skipped closed risks and the credited
    residual kept AIMS308 quiet (mutation audit). Unless its systems are retired; the
    completion date counts on the as-of day; a mitigation that lowers nothing names no
    control it needs."""
    closed = _completed("R-1", ["ORG-3"]) | {"status": "closed"}
    retired = _completed("R-2", ["ORG-3"]) | {"status": "closed", "systems": ["SYS-OLD"]}
    today = _completed("R-3", ["ORG-3"], completed=AS_OF)
    unlowered = risk(
        "R-4",
        inherent=levels(4, 4),
        treatment=flow({"option": "mitigate", "completed": "2026-06-30"}),
        residual=flow(levels(4, 4)),
    )
    files = _repo({"R-1": closed, "R-2": retired, "R-3": today, "R-4": unlowered})
    files["systems/old.yaml"] = system("SYS-OLD", stage="retired")
    files["controls/org.yaml"] = [control("ORG-3", status="planned")]
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS307")
    assert [(d["record"], d["message"]) for d in found] == [
        (
            "R-1",
            "treatment is recorded as completed on 2026-06-30, but ORG-3 (planned) is not "
            "in place; the residual is credited on that date alone: implement it for the "
            "risk's systems, or take it out of the treatment",
        ),
        (
            "R-3",
            f"treatment is recorded as completed on {AS_OF}, but ORG-3 (planned) is not in "
            "place; the residual is credited on that date alone: implement it for the "
            "risk's systems, or take it out of the treatment",
        ),
    ]


# --- AIMS308 closed-above-appetite ------------------------------------------------


def test_a_closed_risk_above_the_appetite_untreated_and_unaccepted(
    make_repo: Make, cli: Cli
) -> None:
    """Closing a risk took it out of AIMS303 and its systems' tiers: a critical risk
    nobody treated or accepted went out of sight with one word."""
    closed = risk(inherent=levels(4, 5), status="closed")
    found = validate(cli, make_repo(_repo({"R-1": closed})))
    assert at(found, "AIMS308") == [("risks/R-1.yaml", 10, 9)]
    [finding] = of(found, "AIMS308")
    assert (finding["severity"], finding["pointer"]) == ("warning", "/status")
    assert finding["message"].startswith(
        "risk is closed, but its current risk is critical (score 20, inherent), above the "
        "appetite 'medium', with its treatment not in place and no acceptance in force"
    )
    assert at(found, "AIMS303") == []


def test_a_closed_risk_that_is_only_accepted_is_reported(make_repo: Make, cli: Cli) -> None:
    """An acceptance in force silenced AIMS308: closing an accepted, untreated high risk
    dropped a hiring system's tier from high to medium with nothing reduced (gaming
    audit, second pass). An accepted risk is one the organization still carries."""
    closed = risk(inherent=levels(4, 5), acceptance=ACCEPTED, status="closed")
    [finding] = of(validate(cli, make_repo(_repo({"R-1": closed}))), "AIMS308")
    assert finding["message"] == (
        "risk is closed, but its current risk is critical (score 20, inherent), above the "
        "appetite 'medium'; its acceptance keeps the risk, it does not end it, and closing "
        "takes it out of its systems' tiers: keep it open while it is accepted"
    )


def test_a_closed_risk_treated_within_appetite_or_retired_passes(make_repo: Make, cli: Cli) -> None:
    files = _repo(
        {
            "R-1": risk(
                "R-1",
                inherent=levels(4, 5),
                treatment=flow({"option": "avoid", "completed": "2026-06-30"}),
                residual=flow(levels(1, 2)),
                status="closed",
            ),
            "R-3": risk("R-3", inherent=levels(2, 2), status="closed"),
            "R-4": risk("R-4", systems=["SYS-OLD"], inherent=levels(4, 5), status="closed"),
        }
    )
    files["systems/SYS-OLD.yaml"] = system("SYS-OLD", stage="retired")
    assert at(validate(cli, make_repo(files), schema_ok=False), "AIMS308") == []


def test_a_closed_risk_whose_systems_are_only_partly_retired_is_reported(
    make_repo: Make, cli: Cli
) -> None:
    """A closed risk is out of use only when every system it concerns is retired: one
    retired beside one still in development leaves the risk with a live system, so
    AIMS308 warns as for any closed risk above the appetite (mutation audit: `all`
    read as `any` went unnoticed)."""
    closed = risk(systems=["SYS-1", "SYS-OLD"], inherent=levels(4, 5), status="closed")
    files = _repo({"R-1": closed})
    files["systems/SYS-OLD.yaml"] = system("SYS-OLD", stage="retired")
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS308") == [("risks/R-1.yaml", 10, 9)]
    assert [d["message"] for d in of(found, "AIMS308")] == [
        "risk is closed, but its current risk is critical (score 20, inherent), above the "
        "appetite 'medium', with its treatment not in place and no acceptance in force; "
        "closing takes it out of the appetite check and its systems' tiers: record the "
        "treatment's completion, an acceptance, or keep it open"
    ]


# --- AIMS309 accepted-risk-lowered ------------------------------------------------


def test_an_accepted_risk_whose_residual_is_lower_than_its_inherent_level(
    make_repo: Make, cli: Cli
) -> None:
    """`option: accept`, no controls, a completion date and a residual of 1 x 1: a
    critical risk became low and its system's tier fell, with nothing done (the
    gaming audit). Accepting a risk keeps it as it is."""
    lowered = risk(
        inherent=levels(4, 5),
        treatment=flow({"option": "accept", "completed": "2026-06-30"}),
        residual=flow(levels(1, 5)),
    )
    found = validate(cli, make_repo(_repo({"R-1": lowered})), schema_ok=False)
    [finding] = of(found, "AIMS309")
    assert (finding["severity"], finding["pointer"]) == ("error", "/residual/likelihood")
    assert finding["message"].startswith(
        "the treatment accepts the risk, which leaves it as it is, yet the residual "
        "likelihood 1 is below the inherent 4"
    )


def test_an_accepted_risk_kept_as_it_is_or_a_mitigated_one_passes(
    make_repo: Make, cli: Cli
) -> None:
    files = _repo(
        {
            "R-1": risk(
                "R-1",
                inherent=levels(2, 2),
                treatment=flow({"option": "accept"}),
                residual=flow(levels(2, 2)),
            ),
            "R-2": risk(
                "R-2",
                inherent=levels(4, 5),
                treatment=flow({"option": "avoid", "completed": "2026-06-30"}),
                residual=flow(levels(1, 2)),
            ),
            # Accepted after controls that are in place: they are what is credited.
            "R-3": risk(
                "R-3",
                inherent=levels(3, 3),
                treatment=flow({"option": "accept", "controls": ["ORG-1"]}),
                residual=flow(levels(2, 3)),
            ),
        }
    )
    files["controls/org.yaml"] = control("ORG-1", status="implemented")
    assert at(validate(cli, make_repo(files), schema_ok=False), "AIMS309") == []


def test_a_completed_mitigation_naming_no_control_is_reported(make_repo: Make, cli: Cli) -> None:
    # `accept` was an error (AIMS309); the same empty treatment written `mitigate`
    # lowered the band as well, with nothing on record behind it (review of AIMS309).
    files = _repo(
        {
            "R-1": risk(
                "R-1",
                inherent=levels(3, 3),
                treatment=flow({"option": "mitigate", "completed": "2026-10-01"}),
                residual=flow(levels(1, 1)),
            ),
            "R-2": risk(  # avoiding the activity needs no control
                "R-2",
                inherent=levels(3, 3),
                treatment=flow({"option": "avoid", "completed": "2026-10-01"}),
                residual=flow(levels(1, 1)),
            ),
        }
    )
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS307")
    assert [(d["record"], d["pointer"]) for d in found] == [("R-1", "/treatment/completed")]
    assert found[0]["message"].startswith(
        "treatment is recorded as completed on 2026-10-01 and lowers the residual, but "
        "names no control"
    )


# --- AIMS305 acceptance-not-designated -------------------------------------------------

ROLES: dict[str, FileContent] = {
    "roles/roles.yaml": [
        role("ROLE-CEO", holder="ceo@acme.example", top_management=True),
        role("ROLE-ML", holder="ml@acme.example", accountable_for=["SYS-1"]),
        role("ROLE-HR", holder="hr@acme.example"),
    ]
}


def _accepted_by(by: str) -> Record:
    return risk("R-1", inherent=levels(4, 4), acceptance={**ACCEPTED, "by": by})


def test_an_acceptance_by_no_designated_role(make_repo: Make, cli: Cli) -> None:
    """Written by hand, as `risk accept` would refuse it: by someone holding no Role,
    or a Role that is neither top management nor accountable for the risk."""
    for by, message in (
        (
            "intern@acme.example",
            "'intern@acme.example' holds no Role (neither a Role id nor a holder); where "
            "Roles are recorded, residual risk is accepted by designated management (6.1.3)",
        ),
        (
            "hr@acme.example",
            "'hr@acme.example' is neither top management nor accountable for R-1, its "
            "systems or risks; an acceptance comes from designated management (e.g. ROLE-CEO)",
        ),
    ):
        found = validate(cli, make_repo({**_repo({"R-1": _accepted_by(by)}), **ROLES}))
        assert [d["message"] for d in of(found, "AIMS305")] == [message]
        assert [d["pointer"] for d in of(found, "AIMS305")] == ["/acceptance/by"]


def test_an_acceptance_by_top_management_or_the_accountable_role_passes(
    make_repo: Make, cli: Cli
) -> None:
    for by in ("ceo@acme.example", "ROLE-CEO", "ml@acme.example"):
        found = validate(cli, make_repo({**_repo({"R-1": _accepted_by(by)}), **ROLES}))
        assert of(found, "AIMS305") == [], by
    # No Roles recorded: nobody to check against.
    root = make_repo(_repo({"R-1": _accepted_by("intern@acme.example")}))
    (root / "roles" / "roles.yaml").unlink()  # written by the runs above
    assert of(validate(cli, root), "AIMS305") == []


def test_an_acceptance_nobody_designated_gave_accepts_nothing(make_repo: Make, cli: Cli) -> None:
    """The risk stays above the appetite: AIMS303 fires beside AIMS305, and risk score,
    risk show and the register say it is not accepted (they said it was)."""
    root = make_repo({**_repo({"R-1": _accepted_by("hr@acme.example")}), **ROLES})
    found = validate(cli, root)
    assert [d["message"] for d in of(found, "AIMS303")] == [
        "current risk is high (score 16, inherent), above the appetite 'medium'; its "
        "acceptance by 'hr@acme.example' does not count, as AIMS305 says: have designated "
        "management accept it"
    ]
    assert [d["pointer"] for d in of(found, "AIMS303")] == ["/acceptance/by"]
    scored = json.loads(cli("risk", "score", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [(r["within_appetite"], r["accepted"]) for r in scored["risks"]] == [(False, False)]
    table = cli("risk", "score", root, "--as-of", AS_OF).stdout
    assert "not designated" in table and "1 above (0 accepted)" in table
    shown = cli("risk", "show", "R-1", root, "--as-of", AS_OF).stdout
    assert "until 2027-12-31, not counted: 'hr@acme.example' is neither" in shown
    assert "Needs treatment or a formal acceptance" in shown


def test_an_acceptance_naming_a_vacant_role_accepts_nothing(make_repo: Make, cli: Cli) -> None:
    """The chief executive left and the role's holder is now `vacant` (or a `TODO:`
    placeholder): an acceptance signed with the role's id counted as top management's,
    though nobody holding the role accepted anything, and `risk accept --by ROLE-CEO`
    wrote one. Both now refuse it, as AIMS613 reads a vacant holder: nobody."""
    for holder in ("vacant", "TBD", "TODO: appoint a successor"):
        roles = {"roles/roles.yaml": [role("ROLE-CEO", holder=holder, top_management=True)]}
        root = make_repo({**_repo({"R-1": _accepted_by("ROLE-CEO")}), **roles})
        found = validate(cli, root, schema_ok=False)
        assert [d["message"] for d in of(found, "AIMS305")] == [
            f"'ROLE-CEO' names only a vacant Role (ROLE-CEO: its holder is {holder!r}), so "
            "nobody holding it accepted the risk; name the person who holds the role"
        ], holder
        scored = json.loads(cli("risk", "score", root, "--as-of", AS_OF, "-f", "json").stdout)
        assert [r["accepted"] for r in scored["risks"]] == [False]
        refused = cli(
            "risk",
            "accept",
            "R-1",
            root,
            "--by",
            "ROLE-CEO",
            "--until",
            "2027-06-30",
            "--rationale",
            "Retrain first",
            "--as-of",
            AS_OF,
        )
        assert refused.exit_code == 1 and "names only a vacant Role" in refused.stderr
    # A held role still accepts.
    roles = {"roles/roles.yaml": [role("ROLE-CEO", holder="ceo@acme.example", top_management=True)]}
    root = make_repo({**_repo({"R-1": _accepted_by("ROLE-CEO")}), **roles})
    assert of(validate(cli, root), "AIMS305") == []


def test_an_acceptance_signed_by_a_placeholder_accepts_nothing(make_repo: Make, cli: Cli) -> None:
    """An acceptance `by: "TODO: who accepts"` counted as the formal acceptance of a risk
    above the appetite where no Roles are recorded: AIMS303 said nothing and `risk
    score` called it accepted, though nobody had accepted anything. It accepts nothing
    now, with or without Roles, and AIMS305 says why."""
    root = make_repo(_repo({"R-1": _accepted_by("TODO: who accepts")}))
    found = validate(cli, root, schema_ok=False)
    assert [(d["message"], d["pointer"]) for d in of(found, "AIMS305")] == [
        ("'TODO: who accepts' is a placeholder (TODO:): nobody has signed it yet", "/acceptance/by")
    ]
    assert [d["message"] for d in of(found, "AIMS303")] == [
        "current risk is high (score 16, inherent), above the appetite 'medium'; its "
        "acceptance by 'TODO: who accepts' does not count, as AIMS305 says: have designated "
        "management accept it"
    ]
    scored = json.loads(cli("risk", "score", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [(r["within_appetite"], r["accepted"]) for r in scored["risks"]] == [(False, False)]


# --- the severity floor -------------------------------------------------------------

FLOOR = MINIMAL_CONFIG + "risk:\n  severity_floor:\n    - {severity: Severe, min_band: high}\n"


def test_a_rare_catastrophe_is_never_averaged_away(make_repo: Make, cli: Cli) -> None:
    # Rare x Severe is 1 x 5 = 5, medium by the bands; the floor makes it high, so it is
    # above the appetite and its system's tier (high) needs an impact assessment.
    rare = risk(inherent=levels("Rare", "Severe"))
    files = _repo({"R-1": rare})
    without = validate(cli, make_repo(files))
    assert at(without, "AIMS303") == [] and at(without, "AIMS401") == []
    found = validate(cli, make_repo(files, FLOOR))
    assert "current risk is high (score 5, inherent)" in of(found, "AIMS303")[0]["message"]
    assert [d["record"] for d in of(found, "AIMS401")] == ["SYS-1"]


def test_the_floor_needs_a_real_level_and_band(make_repo: Make, cli: Cli) -> None:
    bad = MINIMAL_CONFIG + "risk:\n  severity_floor:\n    - {severity: Fatal, min_band: extreme}\n"
    result = cli("validate", make_repo(_repo({}), bad), "--as-of", "2026-11-26")
    assert result.exit_code == 2
    assert "severity_floor severity 'Fatal' is not a label of risk.severity" in result.stderr


# --- AIMS306 matrix-not-monotone ----------------------------------------------------


def _matrix_config(rows: list[str], extra: str = "") -> str:
    return (
        MINIMAL_CONFIG
        + "risk:\n  likelihood: [Low, Medium, High]\n  severity: [Minor, Serious, Grave]\n"
        + "  method: matrix\n  matrix:\n"
        + "".join(f"    - [{row}]\n" for row in rows)
        + "  bands:\n    - {name: low, max: 2}\n    - {name: medium, max: 4}\n"
        + "    - {name: high, max: 6}\n    - {name: critical, max: 9}\n"
        + "  appetite: medium\n"
        + extra
    )


def test_a_matrix_cell_below_a_less_likely_or_less_severe_one(make_repo: Make, cli: Cli) -> None:
    """Likelihood 3 x severity 2 rated low under medium made a worse risk acceptable."""
    rows = ["low, low, medium", "low, medium, high", "medium, low, critical"]
    found = validate(cli, make_repo(_repo({}), config=_matrix_config(rows)))
    assert at(found, "AIMS306") == [("aims.yaml", 10, 16)]  # the cell itself
    (finding,) = of(found, "AIMS306")
    assert finding["severity"] == "warning"
    assert finding["pointer"] == "/risk/matrix/2/1"
    assert finding["message"] == (
        "risk.matrix: likelihood 3 (High) x severity 2 (Serious) is 'low', a lower band "
        "than 'medium' at likelihood 2 (Medium) x severity 2 (Serious); a more likely or "
        "more severe risk must not fall in a lower band"
    )
    # Along a row: more severe, lower band.
    rows = ["low, medium, low", "low, medium, high", "medium, high, critical"]
    found = validate(cli, make_repo(_repo({}), config=_matrix_config(rows)))
    assert [d["pointer"] for d in of(found, "AIMS306")] == ["/risk/matrix/0/2"]


def test_a_monotone_matrix_or_the_rule_off_passes_aims306(make_repo: Make, cli: Cli) -> None:
    rows = ["low, low, medium", "low, medium, high", "medium, high, critical"]
    assert at(validate(cli, make_repo(_repo({}), config=_matrix_config(rows))), "AIMS306") == []
    bad = ["low, low, medium", "low, medium, high", "medium, low, critical"]
    off = _matrix_config(bad, "rules: {AIMS306: off}\n")
    assert at(validate(cli, make_repo(_repo({}), config=off)), "AIMS306") == []
