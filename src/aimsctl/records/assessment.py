"""`ImpactAssessment`: an AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, A.5)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ValidationInfo, field_validator

from aimsctl.records.base import (
    Approval,
    IsoDate,
    Level,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    resolve_level,
)

Dimension = Literal[
    "fairness",
    "accountability",
    "transparency",
    "privacy",
    "security",
    "safety",
    "health",
    "financial",
    "accessibility",
    "human-rights",
    "environment",
    "economic",
    "democracy",
    "culture",
]


class Assessed(Strict):
    on: PastDate
    by: Text


class Engagement(Strict):
    method: Literal[
        "interview", "survey", "workshop", "panel", "public-consultation", "document-review"
    ]
    on: PastDate
    summary: str | None = None


class AssessedStakeholder(Strict):
    group: Text
    vulnerable: bool = False
    concerns: list[str] = []
    engagement: list[Engagement] = []


class Impact(Strict):
    dimension: Dimension
    scope: Literal["individual", "group", "society"]
    groups: list[str] = []
    description: Text
    likelihood: Level
    severity: Level
    mitigations: list[RecordId] = []

    @field_validator("likelihood", "severity", mode="after")
    @classmethod
    def _on_scale(cls, value: int | str, info: ValidationInfo) -> int | str:
        assert info.field_name is not None
        return resolve_level(value, info.field_name, info)


class ImpactAssessment(Record):
    """An impact assessment of one AI system: stakeholders and how they were heard,
    impacts by dimension, the decision and its approval."""

    KIND: ClassVar[str] = "ImpactAssessment"
    FOLDER: ClassVar[str] = "assessments"
    CLAUSES: ClassVar[tuple[str, ...]] = ("6.1.4", "8.4", "A.5")
    REPORTS: ClassVar[tuple[str, ...]] = ("impact", "systems")

    kind: Literal["ImpactAssessment"]

    system: RecordId
    status: Literal["draft", "in-review", "approved", "superseded"]
    assessed: Assessed
    approval: Approval | None = None
    next_review: IsoDate | None = None
    stakeholders: list[AssessedStakeholder] = []
    impacts: list[Impact] = []
    decision: Literal["proceed", "proceed-with-conditions", "do-not-proceed"] | None = None
    conclusion: str | None = None

    def on_vulnerable(self, impact: Impact) -> bool:
        """Whether an impact falls on a stakeholder group this assessment marks vulnerable
        (such an impact is scored with the configured vulnerable uplift)."""
        vulnerable = {s.group for s in self.stakeholders if s.vulnerable}
        return any(group in vulnerable for group in impact.groups)
