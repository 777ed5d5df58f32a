"""AIMS301-AIMS303: treatment needs a residual, residual below inherent, risk appetite."""

from __future__ import annotations

from rule_support import ACCEPTED, Cli, Make, at, of, risk, system, validate

from conftest import EXCLUDED_SOA, MINIMAL_CONFIG


def _repo(risks: dict[str, str]) -> dict[str, str]:
    files = {"systems/SYS-1.yaml": system(), "controls/annex-a.yaml": EXCLUDED_SOA}
    files.update({f"risks/{name}.yaml": text for name, text in risks.items()})
    return files


# --- AIMS301 treatment-without-residual ---------------------------------------------


def test_treatment_without_residual(make_repo: Make, cli: Cli) -> None:
    treated = risk(extra="treatment:\n  option: avoid\n")
    found = validate(cli, make_repo(_repo({"R-1": treated})))
    assert at(found, "AIMS301") == [("risks/R-1.yaml", 11, 1)]
    assert of(found, "AIMS301")[0]["pointer"] == "/treatment"


def test_residual_or_no_treatment_passes_aims301(make_repo: Make, cli: Cli) -> None:
    risks = {
        "R-1": risk(extra="treatment:\n  option: avoid\nresidual: {likelihood: 1, severity: 2}\n"),
        "R-2": risk("R-2"),
    }
    assert at(validate(cli, make_repo(_repo(risks))), "AIMS301") == []


# --- AIMS302 residual-above-inherent ------------------------------------------------


def test_residual_above_inherent(make_repo: Make, cli: Cli) -> None:
    # Labels and numbers mix: Major is severity 4, Severe 5.
    worse = risk(
        likelihood=3,
        severity="Major",
        extra="treatment: {option: accept}\nresidual:\n  likelihood: 4\n  severity: Severe\n",
    )
    found = validate(cli, make_repo(_repo({"R-1": worse})))
    assert at(found, "AIMS302") == [("risks/R-1.yaml", 13, 15), ("risks/R-1.yaml", 14, 13)]
    assert [d["message"] for d in of(found, "AIMS302")] == [
        "residual likelihood 4 is above the inherent likelihood 3; treatment cannot raise a risk",
        "residual severity 5 is above the inherent severity 4; treatment cannot raise a risk",
    ]


def test_residual_equal_to_inherent_passes(make_repo: Make, cli: Cli) -> None:
    same = risk(
        likelihood=3,
        severity="Major",
        extra="treatment: {option: accept}\nresidual:\n  likelihood: Possible\n  severity: 4\n",
    )
    assert at(validate(cli, make_repo(_repo({"R-1": same}))), "AIMS302") == []


# --- AIMS303 risk-above-appetite ----------------------------------------------------

EXPIRED = (
    "acceptance:\n  by: ceo@acme.example\n  on: 2025-01-10\n"
    "  rationale: Accepted for a year.\n  expires: 2026-11-25\n"
)
TODAY = EXPIRED.replace("2026-11-25", "2026-11-26")


def test_risk_above_appetite(make_repo: Make, cli: Cli) -> None:
    risks = {
        "R-1": risk("R-1", likelihood=4, severity=4),  # high, no acceptance
        "R-2": risk("R-2", likelihood=5, severity=5, extra=EXPIRED),  # critical, expired
        # The residual is what counts when given: still high.
        "R-3": risk(
            "R-3",
            likelihood=5,
            severity=5,
            extra=("treatment: {option: mitigate}\nresidual: {likelihood: 4, severity: 3}\n"),
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
        "R-1": risk("R-1", likelihood=3, severity=3),  # medium: the appetite
        "R-2": risk("R-2", likelihood=4, severity=4, extra=ACCEPTED),
        "R-3": risk("R-3", likelihood=4, severity=4, extra=TODAY),  # expires today
        "R-4": risk("R-4", likelihood=5, severity=5, status="closed"),
        "R-5": risk(
            "R-5",
            likelihood=5,
            severity=5,
            extra=("treatment: {option: mitigate}\nresidual: {likelihood: 3, severity: 3}\n"),
        ),
    }
    assert at(validate(cli, make_repo(_repo(risks))), "AIMS303") == []


def test_appetite_follows_the_scoring_engine(make_repo: Make, cli: Cli) -> None:
    # 3 x 3 is medium, but the vulnerable uplift scores it 3 x 4 = 12 (high).
    config = MINIMAL_CONFIG + "risk:\n  appetite: medium\n  vulnerable_uplift: 1\n"
    uplifted = risk(likelihood=3, severity=3, extra="affects_vulnerable: true\n")
    found = validate(cli, make_repo(_repo({"R-1": uplifted}), config))
    assert at(found, "AIMS303") == [("risks/R-1.yaml", 1, 1)]
    assert "high (score 12)" in of(found, "AIMS303")[0]["message"]


def test_a_lower_appetite_is_honoured(make_repo: Make, cli: Cli) -> None:
    # With a `low` appetite 2 x 2 = 4 is fine, 3 x 2 = 6 (medium) is not.
    config = MINIMAL_CONFIG + "risk:\n  appetite: low\n"
    risks = {"R-1": risk("R-1", likelihood=2, severity=2), "R-2": risk("R-2", likelihood=3)}
    found = validate(cli, make_repo(_repo(risks), config))
    assert [d["record"] for d in of(found, "AIMS303")] == ["R-2"]
    assert "above the appetite 'low'" in of(found, "AIMS303")[0]["message"]
