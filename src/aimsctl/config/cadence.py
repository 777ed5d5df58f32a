"""`cadence:`: how often internal audits, management reviews and policy reviews are
due."""

from pydantic import Field

from aimsctl.config.fields import CLAUSE_KEY, StrictModel


class Cadence(StrictModel):
    """How often the management system's recurring work is due, in days."""

    internal_audit_days: int = Field(
        default=365,
        ge=1,
        title="Internal audit every (days)",
        description="The longest time between internal audits, in days.",
        json_schema_extra={CLAUSE_KEY: "9.2"},
    )
    management_review_days: int = Field(
        default=365,
        ge=1,
        title="Management review every (days)",
        description="The longest time between management reviews, in days.",
        json_schema_extra={CLAUSE_KEY: "9.3"},
    )
    policy_review_days: int = Field(
        default=365,
        ge=1,
        title="Policy review every (days)",
        description="How long after its approval the AI policy is next reviewed, in days, "
        "unless the Policy gives `next_review`.",
        json_schema_extra={CLAUSE_KEY: "A.2.4"},
    )
