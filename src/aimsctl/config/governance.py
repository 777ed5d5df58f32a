"""`governance:`: what a system of each tier needs (proportional governance)."""

from pydantic import Field, JsonValue

from aimsctl.config.fields import CLAUSE_KEY, StrictModel
from aimsctl.vocabulary import OVERSIGHT_ORDER, OversightMode


class GovernancePolicy(StrictModel):
    """What a system of one tier needs (proportional governance)."""

    review_days: int = Field(
        ge=1,
        title="Review every (days)",
        description="How often the records of a system of this tier are reviewed, in days.",
        json_schema_extra={CLAUSE_KEY: "9.1"},
    )
    impact_assessment: bool = Field(
        default=False,
        title="Impact assessment required",
        description="true when a system of this tier needs an approved impact assessment.",
        json_schema_extra={CLAUSE_KEY: "6.1.4"},
    )
    min_oversight: OversightMode = Field(
        default="none",
        title="Least oversight",
        description="The weakest human oversight a system of this tier may have: `none`, "
        "`periodic-review`, `human-on-the-loop` or `human-in-the-loop`.",
        json_schema_extra={CLAUSE_KEY: "A.9.3"},
    )
    # A system of the tier in validation or production needs an Evaluation that
    # passed within this many days (None: no such demand).
    evaluation_days: int | None = Field(
        default=None,
        ge=1,
        le=36_500,
        title="Evaluation within (days)",
        description="When set, a system of this tier in `validation` or `production` needs "
        "an Evaluation that passed within this many days; null for no such demand.",
        json_schema_extra={CLAUSE_KEY: "A.6.2.4"},
    )
    # A system of the tier in production needs at least one Monitor.
    monitoring: bool = Field(
        default=False,
        title="Monitoring required",
        description="true when a system of this tier in `production` needs at least one Monitor.",
        json_schema_extra={CLAUSE_KEY: "A.6.2.6"},
    )


# What records.md and records-v2.md give each of the four tiers they name, key by
# key: a tier written with keys left out takes them from here, and one left out of a
# written `governance:` is held to at least this (see AimsConfig.band_policies).
TIER_DEFAULTS: dict[str, dict[str, JsonValue]] = {
    "critical": {
        "review_days": 90,
        "impact_assessment": True,
        "min_oversight": "human-in-the-loop",
        "evaluation_days": 180,
        "monitoring": True,
    },
    "high": {
        "review_days": 180,
        "impact_assessment": True,
        "min_oversight": "human-on-the-loop",
        "evaluation_days": 365,
        "monitoring": True,
    },
    "medium": {
        "review_days": 365,
        "impact_assessment": False,
        "min_oversight": "periodic-review",
        "evaluation_days": None,
        "monitoring": False,
    },
    "low": {
        "review_days": 730,
        "impact_assessment": False,
        "min_oversight": "none",
        "evaluation_days": None,
        "monitoring": False,
    },
}


def default_governance() -> dict[str, GovernancePolicy]:
    return {name: GovernancePolicy.model_validate(keys) for name, keys in TIER_DEFAULTS.items()}


def with_tier_defaults(written: object) -> object:
    """`governance:` as written, each of the four named tiers with the keys it leaves
    out taken from its defaults (a tier of another name keeps only what it says)."""
    if not isinstance(written, dict):
        return written
    return {
        name: {**TIER_DEFAULTS[name], **policy}
        if name in TIER_DEFAULTS and isinstance(policy, dict)
        else policy
        for name, policy in written.items()
    }


def stricter(one: GovernancePolicy, other: GovernancePolicy) -> GovernancePolicy:
    """Key by key, what asks more of the two policies."""
    days = [d for d in (one.evaluation_days, other.evaluation_days) if d is not None]
    return GovernancePolicy(
        review_days=min(one.review_days, other.review_days),
        impact_assessment=one.impact_assessment or other.impact_assessment,
        min_oversight=max(one.min_oversight, other.min_oversight, key=OVERSIGHT_ORDER.index),
        evaluation_days=min(days) if days else None,
        monitoring=one.monitoring or other.monitoring,
    )


# Policy for a band that `governance:` does not name, when no lower band has one
# either: no proportional demands, a yearly review.
UNLISTED_BAND_POLICY = GovernancePolicy(review_days=365)
