"""`governance:`: what a system of each tier needs (proportional governance)."""

from pydantic import Field

from aimsctl.config.fields import CLAUSE_KEY, StrictModel
from aimsctl.vocabulary import OversightMode


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


def default_governance() -> dict[str, GovernancePolicy]:
    return {
        "critical": GovernancePolicy(
            review_days=90,
            impact_assessment=True,
            min_oversight="human-in-the-loop",
            evaluation_days=180,
            monitoring=True,
        ),
        "high": GovernancePolicy(
            review_days=180,
            impact_assessment=True,
            min_oversight="human-on-the-loop",
            evaluation_days=365,
            monitoring=True,
        ),
        "medium": GovernancePolicy(
            review_days=365, impact_assessment=False, min_oversight="periodic-review"
        ),
        "low": GovernancePolicy(review_days=730, impact_assessment=False, min_oversight="none"),
    }


# Policy for a band that `governance:` does not name, when no lower band has one
# either: no proportional demands, a yearly review.
UNLISTED_BAND_POLICY = GovernancePolicy(review_days=365)
