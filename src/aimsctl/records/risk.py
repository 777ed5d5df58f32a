"""`Risk`: one entry of the AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from aimsctl.records.base import (
    IsoDate,
    Level,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    resolve_level,
)

RiskSource = Literal[
    "complexity-of-environment",
    "lack-of-transparency",
    "level-of-automation",
    "machine-learning",
    "hardware",
    "life-cycle",
    "technology-readiness",
    "other",
]
RiskStatus = Literal["open", "treating", "monitoring", "closed"]
Objective = Literal[
    "accountability",
    "ai-expertise",
    "data-quality",
    "environmental-impact",
    "fairness",
    "maintainability",
    "privacy",
    "robustness",
    "safety",
    "security",
    "transparency",
]


class Levels(Strict):
    """A likelihood and a severity; after validation with scales, both are numbers."""

    likelihood: Level
    severity: Level

    @field_validator("likelihood", "severity", mode="after")
    @classmethod
    def _on_scale(cls, value: int | str, info: ValidationInfo) -> int | str:
        assert info.field_name is not None
        return resolve_level(value, info.field_name, info)


class Treatment(Strict):
    option: Literal["mitigate", "avoid", "transfer", "accept"]
    controls: list[RecordId] = []
    plan: str | None = None
    due: IsoDate | None = None
    owner: str | None = None
    completed: PastDate | None = None  # when the plan was carried out


class Acceptance(Strict):
    by: Text
    on: PastDate
    rationale: Text
    expires: IsoDate


class Risk(Record):
    """One entry of the AI risk register: the systems it concerns, its sources,
    inherent and residual likelihood and severity, treatment and acceptance."""

    KIND: ClassVar[str] = "Risk"
    FOLDER: ClassVar[str] = "risks"
    CLAUSES: ClassVar[tuple[str, ...]] = ("6.1.2", "6.1.3", "8.2", "8.3")
    REPORTS: ClassVar[tuple[str, ...]] = ("risks", "systems")

    kind: Literal["Risk"]

    owner: Text
    description: Text
    systems: list[RecordId] = Field(min_length=1)
    sources: list[RiskSource] = []
    objectives: list[Objective] = []
    data_stage: Literal["training", "input", "output"] | None = None
    misuse: bool = False
    affects: list[Literal["individuals", "groups", "society", "organization"]] = []
    affects_vulnerable: bool = False
    inherent: Levels
    treatment: Treatment | None = None
    residual: Levels | None = None
    acceptance: Acceptance | None = None
    status: RiskStatus
