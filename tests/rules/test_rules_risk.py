"""AIMS301-AIMS303: treatment needs a residual, residual below inherent, risk appetite."""

from __future__ import annotations

from rule_support import ACCEPTED, Cli, Make, at, of, validate

from conftest import EXCLUDED_SOA, MINIMAL_CONFIG, FileContent
from factory import Record, flow, levels, risk, system


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
        # The residual is what counts when given: still high.
        "R-3": risk(
            "R-3",
            inherent=levels(5, 5),
            treatment=flow({"option": "mitigate"}),
            residual=flow(levels(4, 3)),
        ),
    }
    found = validate(cli, make_repo(_repo(risks)))
    assert at(found, "AIMS303") == [
        ("risks/R-1.yaml", 1, 1),
        ("risks/R-2.yaml", 15, 12),
        ("risks/R-3.yaml", 1, 1),
    ]
    assert [d["message"] for d in of(found, "AIMS303")] == [
        "inherent risk is high (score 16), above the appetite 'medium', with no formal "
        "acceptance; treat it further or record an acceptance",
        "inherent risk is critical (score 25), above the appetite 'medium', and its "
        "acceptance expired on 2026-11-25; renew it or treat the risk further",
        "residual risk is high (score 12), above the appetite 'medium', with no formal "
        "acceptance; treat it further or record an acceptance",
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
            treatment=flow({"option": "mitigate"}),
            residual=flow(levels(3, 3)),
        ),
    }
    assert at(validate(cli, make_repo(_repo(risks))), "AIMS303") == []


def test_appetite_follows_the_scoring_engine(make_repo: Make, cli: Cli) -> None:
    # 3 x 3 is medium, but the vulnerable uplift scores it 3 x 4 = 12 (high).
    config = MINIMAL_CONFIG + "risk:\n  appetite: medium\n  vulnerable_uplift: 1\n"
    uplifted = risk(inherent=levels(3, 3), affects_vulnerable=True)
    found = validate(cli, make_repo(_repo({"R-1": uplifted}), config))
    assert at(found, "AIMS303") == [("risks/R-1.yaml", 1, 1)]
    assert "high (score 12)" in of(found, "AIMS303")[0]["message"]


def test_a_lower_appetite_is_honoured(make_repo: Make, cli: Cli) -> None:
    # With a `low` appetite 2 x 2 = 4 is fine, 3 x 2 = 6 (medium) is not.
    config = MINIMAL_CONFIG + "risk:\n  appetite: low\n"
    risks = {"R-1": risk("R-1", inherent=levels(2, 2)), "R-2": risk("R-2", inherent=levels(3, 2))}
    found = validate(cli, make_repo(_repo(risks), config))
    assert [d["record"] for d in of(found, "AIMS303")] == ["R-2"]
    assert "above the appetite 'low'" in of(found, "AIMS303")[0]["message"]
