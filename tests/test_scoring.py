"""The scoring engine: hand-computed cases for both methods and several scales, and properties."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimsctl.config import RiskConfig
from aimsctl.records.assessment import Impact
from aimsctl.records.base import scales_context
from aimsctl.records.risk import Risk
from aimsctl.scoring import UNASSESSED, RiskScore, Scale, Score, Scorer

DEFAULT_BANDS = [
    {"name": "low", "max": 4},
    {"name": "medium", "max": 9},
    {"name": "high", "max": 16},
    {"name": "critical", "max": 25},
]
AS_OF = date(2026, 11, 26)


def labels(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(1, count + 1)]


def scorer(**risk: Any) -> Scorer:
    return Scorer(RiskConfig.model_validate(risk))


def make_risk(engine: Scorer, **fields: Any) -> Risk:
    data: dict[str, Any] = {
        "kind": "Risk",
        "id": "R-1",
        "title": "A risk",
        "owner": "owner@example.com",
        "description": "What could go wrong.",
        "systems": ["SYS-A"],
        "inherent": {"likelihood": 1, "severity": 1},
        "status": "open",
    }
    data.update(fields)
    return Risk.model_validate(data, context=scales_context(engine.likelihood, engine.severity))


# --- hand-computed cases ------------------------------------------------------------

THREE = {
    "likelihood": ["Low", "Medium", "High"],
    "severity": ["Minor", "Moderate", "Major"],
    "bands": [{"name": "low", "max": 2}, {"name": "medium", "max": 4}, {"name": "high", "max": 9}],
}


@pytest.mark.parametrize(
    ("likelihood", "severity", "expected"),
    [
        (1, 1, Score(1, 1, 1, "low")),
        (1, 2, Score(1, 2, 2, "low")),
        (1, 3, Score(1, 3, 3, "medium")),
        (2, 2, Score(2, 2, 4, "medium")),
        (2, 3, Score(2, 3, 6, "high")),
        (3, 3, Score(3, 3, 9, "high")),
    ],
)
def test_multiply_3x3(likelihood: int, severity: int, expected: Score) -> None:
    assert scorer(**THREE).score(likelihood, severity) == expected


@pytest.mark.parametrize(
    ("likelihood", "severity", "score", "band"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (2, 5, 10, "high"),
        (3, 4, 12, "high"),
        (4, 4, 16, "high"),
        (3, 5, 15, "high"),
        (4, 5, 20, "critical"),
        (5, 5, 25, "critical"),
    ],
)
def test_multiply_default_5x5(likelihood: int, severity: int, score: int, band: str) -> None:
    assert scorer().score(likelihood, severity) == Score(likelihood, severity, score, band)


def test_default_band_ranges() -> None:
    engine = scorer()
    assert [engine.band_range(b) for b in engine.bands] == [(1, 4), (5, 9), (10, 16), (17, 25)]
    with pytest.raises(KeyError):
        engine.band_range("extreme")


FOUR_BY_SIX = {
    "likelihood": labels("L", 4),
    "severity": labels("S", 6),
    "bands": [
        {"name": "low", "max": 6},
        {"name": "medium", "max": 12},
        {"name": "high", "max": 24},
    ],
}


@pytest.mark.parametrize(
    ("likelihood", "severity", "score", "band"),
    [
        (1, 6, 6, "low"),
        (2, 3, 6, "low"),
        (1, 1, 1, "low"),
        (3, 3, 9, "medium"),
        (3, 4, 12, "medium"),
        (2, 6, 12, "medium"),
        (3, 5, 15, "high"),
        (4, 6, 24, "high"),
    ],
)
def test_multiply_4x6(likelihood: int, severity: int, score: int, band: str) -> None:
    engine = scorer(**FOUR_BY_SIX)
    assert engine.top_score == 24
    assert engine.score(likelihood, severity) == Score(likelihood, severity, score, band)


TEN = {
    "likelihood": labels("L", 10),
    "severity": labels("S", 10),
    "bands": [
        {"name": "low", "max": 10},
        {"name": "medium", "max": 30},
        {"name": "high", "max": 60},
        {"name": "critical", "max": 100},
    ],
}


@pytest.mark.parametrize(
    ("likelihood", "severity", "band"),
    [
        (1, 10, "low"),
        (2, 5, "low"),
        (1, 1, "low"),
        (3, 4, "medium"),
        (5, 6, "medium"),
        (6, 10, "high"),
        (7, 9, "critical"),
        (10, 10, "critical"),
    ],
)
def test_multiply_10x10(likelihood: int, severity: int, band: str) -> None:
    engine = scorer(**TEN)
    assert engine.score(likelihood, severity) == Score(
        likelihood, severity, likelihood * severity, band
    )
    assert engine.band_range("high") == (31, 60)


def test_band_range_is_capped_at_the_top_score() -> None:
    engine = scorer(
        bands=[
            {"name": "low", "max": 10},
            {"name": "high", "max": 30},
            {"name": "never", "max": 40},
        ]
    )
    assert engine.band_range("high") == (11, 25)
    low, high = engine.band_range("never")
    assert low > high  # an empty band: no score reaches it


MATRIX_3X3 = {
    **THREE,
    "method": "matrix",
    "bands": [
        {"name": "low", "max": 2},
        {"name": "medium", "max": 4},
        {"name": "high", "max": 6},
        {"name": "critical", "max": 9},
    ],
    "matrix": [
        ["low", "low", "high"],
        ["low", "medium", "high"],
        ["medium", "high", "critical"],
    ],
}


@pytest.mark.parametrize(
    ("likelihood", "severity", "expected"),
    [
        # score 3 would be medium under `multiply`; the matrix cell says high
        (1, 3, Score(1, 3, 3, "high")),
        (3, 1, Score(3, 1, 3, "medium")),
        (2, 2, Score(2, 2, 4, "medium")),
        (2, 3, Score(2, 3, 6, "high")),
        (3, 3, Score(3, 3, 9, "critical")),
        (1, 1, Score(1, 1, 1, "low")),
    ],
)
def test_matrix_3x3(likelihood: int, severity: int, expected: Score) -> None:
    assert scorer(**MATRIX_3X3).score(likelihood, severity) == expected


def test_matrix_4x6_rows_are_likelihood_and_columns_severity() -> None:
    rows = [
        ["low", "low", "low", "low", "medium", "medium"],
        ["low", "low", "medium", "medium", "medium", "high"],
        ["low", "medium", "medium", "high", "high", "high"],
        ["medium", "medium", "high", "high", "high", "high"],
    ]
    engine = scorer(**FOUR_BY_SIX, method="matrix", matrix=rows)
    assert engine.score(1, 6) == Score(1, 6, 6, "medium")
    assert engine.score(4, 1) == Score(4, 1, 4, "medium")
    assert engine.score(2, 6) == Score(2, 6, 12, "high")
    assert engine.score(3, 3) == Score(3, 3, 9, "medium")


def test_scale_levels_by_number_and_label() -> None:
    scale = Scale(("Rare", "Likely", "Almost certain"))
    assert scale.level(2) == 2
    assert scale.level("  almost CERTAIN ") == 3
    assert scale.level(0) is None
    assert scale.level(4) is None
    assert scale.level("Often") is None
    assert scale.level(True) is None
    assert scale.label(1) == "Rare"
    assert scale.top == 3


# --- vulnerable uplift ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("uplift", "severity", "vulnerable", "effective"),
    [
        (1, 4, True, 5),
        (1, 5, True, 5),  # capped at N
        (2, 4, True, 5),  # +1 only
        (2, 2, True, 4),
        (1, 4, False, 4),
        (0, 4, True, 4),
    ],
)
def test_uplift_capped_at_the_top(
    uplift: int, severity: int, vulnerable: bool, effective: int
) -> None:
    engine = scorer(vulnerable_uplift=uplift)
    result = engine.score(4, severity, vulnerable)
    assert result.severity == effective
    assert result.score == 4 * effective
    assert engine.uplift(severity, vulnerable) == effective - severity


def test_assess_applies_the_uplift_to_inherent_and_residual() -> None:
    engine = scorer(vulnerable_uplift=1)
    risk = make_risk(
        engine,
        affects_vulnerable=True,
        inherent={"likelihood": "Likely", "severity": "Major"},
        treatment={"option": "mitigate", "completed": AS_OF},
        residual={"likelihood": "Unlikely", "severity": "Severe"},
    )
    result = engine.assess(risk, AS_OF)
    # each position says what it got: the residual is at the top already
    assert result.inherent == Score(4, 5, 20, "critical", uplift=1)
    assert result.residual == Score(2, 5, 10, "high", uplift=0)
    assert engine.capped_uplift(result.inherent, vulnerable=True) == ""
    assert engine.capped_uplift(result.residual, vulnerable=True) == (
        "uplift 1 capped at the top level 5"
    )
    assert engine.capped_uplift(engine.score(2, 5), vulnerable=False) == ""
    assert result.current == result.residual
    assert result.within_appetite is False


# --- appetite and acceptance ---------------------------------------------------------


def test_appetite_judges_the_residual_once_the_treatment_is_in_place() -> None:
    engine = scorer()
    treated = make_risk(
        engine,
        inherent={"likelihood": 5, "severity": 5},
        treatment={"option": "mitigate", "completed": AS_OF},
        residual={"likelihood": 3, "severity": 3},
    )
    result = engine.assess(treated, AS_OF)
    assert result.inherent.band == "critical"
    assert (result.current.band, result.basis, result.planned) == ("medium", "residual", False)
    assert result.within_appetite is True


def test_a_planned_treatment_earns_no_credit() -> None:
    engine = scorer()
    planned = make_risk(
        engine,
        inherent={"likelihood": 5, "severity": 5},
        treatment={"option": "mitigate", "controls": ["A.7.4"], "due": "2030-01-31"},
        residual={"likelihood": 1, "severity": 2},
    )
    result = engine.assess(planned, AS_OF)  # no control is implemented
    assert (result.current.band, result.basis, result.planned) == ("critical", "inherent", True)
    assert result.residual == Score(1, 2, 2, "low")
    assert result.within_appetite is False
    done = engine.assess(planned, AS_OF, implemented={"A.7.4"}.__contains__)
    assert (done.current.band, done.basis, done.in_place) == ("low", "residual", True)
    assert scorer(residual_credit="planned").assess(planned, AS_OF).basis == "residual"


def test_a_treatment_naming_no_control_needs_its_completion_date() -> None:
    engine = scorer()
    vague = make_risk(
        engine,
        inherent={"likelihood": 5, "severity": 5},
        treatment={"option": "mitigate", "completed": "2026-12-31"},  # after AS_OF
        residual={"likelihood": 1, "severity": 2},
    )
    assert engine.assess(vague, AS_OF, implemented=lambda _: True).basis == "inherent"


def test_the_severity_floor_raises_the_band_never_the_score() -> None:
    engine = scorer(severity_floor=[{"severity": "Severe", "min_band": "high"}])
    assert engine.score(1, 5) == Score(1, 5, 5, "high", floored=True)
    assert engine.score(5, 5) == Score(5, 5, 25, "critical")  # already above the floor
    assert engine.score(1, 4) == Score(1, 4, 4, "low")
    # With vulnerable_uplift the floor applies to the effective severity.
    uplifted = scorer(vulnerable_uplift=1, severity_floor=[{"severity": 5, "min_band": "high"}])
    assert uplifted.score(1, 4, vulnerable=True).band == "high"


def test_the_highest_applicable_floor_wins() -> None:
    engine = scorer(
        severity_floor=[
            {"severity": "Major", "min_band": "medium"},
            {"severity": "Severe", "min_band": "critical"},
        ]
    )
    assert engine.band(1, 4) == "medium"
    assert engine.band(1, 5) == "critical"
    assert engine.band(1, 3) == "low"


def test_among_the_floors_reached_the_highest_band_wins_whatever_their_order() -> None:
    # records-v2.md: "the highest applicable floor wins". Read conservatively, that is
    # the highest band among the floors a severity reaches, not the floor with the
    # highest severity: a Major risk reaches both floors below and gets high.
    engine = scorer(
        severity_floor=[
            {"severity": "Moderate", "min_band": "high"},
            {"severity": "Major", "min_band": "medium"},
        ]
    )
    assert engine.band(1, 4) == "high"
    assert engine.band(1, 3) == "high"
    assert engine.band(1, 2) == "low"


def test_the_severity_floor_holds_under_the_matrix_method_too() -> None:
    # The floor is applied after the band is found, however it was found. In THREE,
    # Major is severity 3; the matrix cell for likelihood 1, severity 3 is high.
    engine = scorer(**MATRIX_3X3, severity_floor=[{"severity": "Major", "min_band": "high"}])
    assert engine.score(1, 3) == Score(1, 3, 3, "high")  # the cell is high already
    assert engine.score(2, 2) == Score(2, 2, 4, "medium")  # below the floor's severity
    floored = scorer(**MATRIX_3X3, severity_floor=[{"severity": "Major", "min_band": "critical"}])
    assert floored.score(1, 3) == Score(1, 3, 3, "critical", floored=True)
    assert floored.score(3, 1).band == "medium"


def test_appetite_judges_the_inherent_where_untreated() -> None:
    engine = scorer(appetite="low")
    untreated = make_risk(engine, inherent={"likelihood": 2, "severity": 3})
    result = engine.assess(untreated, AS_OF)
    assert result.residual is None
    assert result.current == Score(2, 3, 6, "medium")
    assert result.within_appetite is False
    assert engine.within_appetite("low") is True


ACCEPTANCE = {
    "by": "cro@example.com",
    "on": "2026-01-15",
    "rationale": "r",
    "expires": "2026-11-26",
}


@pytest.mark.parametrize(
    ("as_of", "accepted", "expired"),
    [
        (date(2026, 11, 25), True, False),
        (date(2026, 11, 26), True, False),  # valid through the expiry date itself
        (date(2026, 11, 27), False, True),
        (date(2026, 1, 15), True, False),  # in force from the day it was given
        (date(2026, 1, 14), False, False),  # not yet given on that date
    ],
)
def test_acceptance_on_the_as_of_date(as_of: date, accepted: bool, expired: bool) -> None:
    engine = scorer()
    risk = make_risk(engine, inherent={"likelihood": 5, "severity": 4}, acceptance=ACCEPTANCE)
    result = engine.assess(risk, as_of)
    assert (result.accepted, result.acceptance_expired) == (accepted, expired)
    assert result.within_appetite is False  # acceptance never changes the verdict


def test_no_acceptance() -> None:
    engine = scorer()
    result = engine.assess(make_risk(engine), AS_OF)
    assert (result.accepted, result.acceptance_expired) == (False, False)


# --- tiers -----------------------------------------------------------------------------


def scored(engine: Scorer, status: str, likelihood: int, severity: int) -> tuple[Risk, RiskScore]:
    risk = make_risk(
        engine, status=status, inherent={"likelihood": likelihood, "severity": severity}
    )
    return risk, engine.assess(risk, AS_OF)


def test_tier_is_the_highest_band_of_open_risks() -> None:
    engine = scorer()
    risks = [
        scored(engine, "closed", 5, 5),  # critical, but closed
        scored(engine, "monitoring", 3, 3),  # medium
        scored(engine, "treating", 1, 2),  # low
        scored(engine, "open", 2, 2),  # low
    ]
    assert engine.tier(risks) == "medium"


def test_tier_with_only_closed_risks_or_none_is_unassessed() -> None:
    engine = scorer()
    assert engine.tier([scored(engine, "closed", 5, 5)]) == UNASSESSED
    assert engine.tier([]) == UNASSESSED
    assert engine.rank(UNASSESSED) < engine.rank("low")


def test_tier_uses_the_residual() -> None:
    engine = scorer()
    risk = make_risk(
        engine,
        inherent={"likelihood": 5, "severity": 5},
        treatment={"option": "mitigate", "completed": AS_OF},
        residual={"likelihood": 1, "severity": 3},
    )
    assert engine.tier([(risk, engine.assess(risk, AS_OF))]) == "low"


def test_impacts_are_scored_on_the_same_scale() -> None:
    engine = scorer(vulnerable_uplift=1)
    impact = Impact.model_validate(
        {
            "dimension": "fairness",
            "scope": "group",
            "description": "d",
            "likelihood": "Possible",
            "severity": "Major",
        },
        context=scales_context(engine.likelihood, engine.severity),
    )
    assert engine.impact(impact) == Score(3, 4, 12, "high")
    assert engine.impact(impact, vulnerable=True) == Score(3, 5, 15, "high", uplift=1)


# --- properties ----------------------------------------------------------------------


@st.composite
def risk_configs(draw: st.DrawFn, method: str = "multiply") -> dict[str, Any]:
    n_l = draw(st.integers(2, 10))
    n_s = draw(st.integers(2, 10))
    top = n_l * n_s
    count = draw(st.integers(1, min(5, top)))
    inner = sorted(draw(st.sets(st.integers(1, top - 1), min_size=count - 1, max_size=count - 1)))
    last = top + draw(st.integers(0, 5))
    names = [f"band{i}" for i in range(count)]
    config: dict[str, Any] = {
        "likelihood": labels("L", n_l),
        "severity": labels("S", n_s),
        "bands": [{"name": n, "max": m} for n, m in zip(names, [*inner, last], strict=True)],
        "appetite": draw(st.sampled_from(names)),
        "vulnerable_uplift": draw(st.integers(0, 3)),
        "method": method,
    }
    if method == "matrix":
        config["matrix"] = [[draw(st.sampled_from(names)) for _ in range(n_s)] for _ in range(n_l)]
    return config


@st.composite
def monotone_matrix_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A matrix whose band never falls as likelihood or severity rises (a 2-D running max)."""
    config = draw(risk_configs("matrix"))
    names = [b["name"] for b in config["bands"]]
    ranks = [[names.index(cell) for cell in row] for row in config["matrix"]]
    for r, row in enumerate(ranks):
        for c in range(len(row)):
            above = ranks[r - 1][c] if r else 0
            left = row[c - 1] if c else 0
            row[c] = max(row[c], above, left)
    config["matrix"] = [[names[rank] for rank in row] for row in ranks]
    return config


@st.composite
def steps(draw: st.DrawFn, config: dict[str, Any]) -> tuple[int, int, int, int]:
    """(l, s, l2, s2) on the config's scales with l2 >= l and s2 >= s."""
    n_l, n_s = len(config["likelihood"]), len(config["severity"])
    likelihood = draw(st.integers(1, n_l))
    severity = draw(st.integers(1, n_s))
    return (
        likelihood,
        severity,
        draw(st.integers(likelihood, n_l)),
        draw(st.integers(severity, n_s)),
    )


def assert_monotone(config: dict[str, Any], data: st.DataObject) -> None:
    engine = scorer(**config)
    likelihood, severity, higher_l, higher_s = data.draw(steps(config))
    vulnerable = data.draw(st.booleans())
    low = engine.score(likelihood, severity, vulnerable)
    high = engine.score(higher_l, higher_s, vulnerable)
    assert engine.rank(high.band) >= engine.rank(low.band)
    assert high.score >= low.score


@given(risk_configs(), st.data())
def test_raising_a_level_never_lowers_the_band_multiply(
    config: dict[str, Any], data: st.DataObject
) -> None:
    assert_monotone(config, data)


@given(monotone_matrix_configs(), st.data())
def test_raising_a_level_never_lowers_the_band_monotone_matrix(
    config: dict[str, Any], data: st.DataObject
) -> None:
    assert_monotone(config, data)


@given(risk_configs())
def test_bands_partition_every_score(config: dict[str, Any]) -> None:
    engine = scorer(**config)
    ranges = {band: engine.band_range(band) for band in engine.bands}
    for value in range(1, engine.top_score + 1):
        holders = [band for band, (low, high) in ranges.items() if low <= value <= high]
        assert holders == [engine.band_of_score(value)]
    for likelihood in range(1, engine.likelihood.top + 1):
        for severity in range(1, engine.severity.top + 1):
            assert engine.band(likelihood, severity) == engine.band_of_score(likelihood * severity)


@given(risk_configs("matrix"), st.data())
def test_matrix_returns_exactly_the_configured_cell(
    config: dict[str, Any], data: st.DataObject
) -> None:
    engine = scorer(**config)
    likelihood = data.draw(st.integers(1, engine.likelihood.top))
    severity = data.draw(st.integers(1, engine.severity.top))
    result = engine.score(likelihood, severity)
    assert result.band == config["matrix"][likelihood - 1][severity - 1]
    assert result.score == likelihood * severity


@given(risk_configs(), st.data())
def test_uplift_never_passes_the_top_nor_lowers_severity(
    config: dict[str, Any], data: st.DataObject
) -> None:
    engine = scorer(**config)
    severity = data.draw(st.integers(1, engine.severity.top))
    result = engine.score(1, severity, vulnerable=True)
    assert result.severity == min(severity + config["vulnerable_uplift"], engine.severity.top)
    assert engine.score(1, severity).severity == severity


def test_a_scale_renumbers_only_where_a_label_names_another_level() -> None:
    base = Scale(("Rare", "Unlikely", "Possible", "Likely", "Almost certain"))
    # Letter case is no other label, and a label renamed in its place names no other level.
    assert not base.renumbers(Scale(("rare", "UNLIKELY", "Possible", "Likely", "Certain")))
    assert base.renumbers(Scale(("Likely", "Unlikely", "Possible", "Rare", "Almost certain")))
    assert base.renumbers(Scale(("Unlikely", "Possible", "Likely", "Almost certain", "Sure")))
