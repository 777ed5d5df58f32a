"""`Monitor`: one metric of an AI system watched in operation (ISO/IEC 42001 A.6.2.6, 9.1)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import PastDate, Record, RecordId, Strict, Text
from aimsctl.records.evaluation import Number, Threshold
from aimsctl.vocabulary import MetricDimension

# The longest interval a monitor may name: a century, so date arithmetic stays sane.
MAX_EVERY_DAYS = 36_500

OnBreach = Literal["incident", "risk-review", "notify"]


class Observation(Strict):
    """One value of the metric, on the day it was observed."""

    on: PastDate
    value: Number
    note: str | None = None  # what was done; for on_breach: notify, who was told


class Monitor(Record):
    """One metric of an AI system watched in operation: its threshold, how often a new
    observation is due, the observations themselves (inline or in a CSV file), and what
    a breach of the threshold must lead to."""

    KIND: ClassVar[str] = "Monitor"
    FOLDER: ClassVar[str] = "monitors"
    CLAUSES: ClassVar[tuple[str, ...]] = ("A.6.2.6", "9.1")
    REPORTS: ClassVar[tuple[str, ...]] = ("systems", "monitoring")

    kind: Literal["Monitor"]

    system: RecordId
    owner: Text
    metric: Text
    dimension: MetricDimension
    threshold: Threshold
    every_days: int = Field(ge=1, le=MAX_EVERY_DAYS)  # how often an observation is due
    source: Text | None = None  # the dashboard, job or query the values come from
    observations: list[Observation] = []  # most recent last
    # A CSV file in the repository with the columns on,value[,note], instead of
    # `observations`.
    observations_file: Text | None = None
    on_breach: OnBreach | None = None  # what a breach must lead to

    @field_validator("observations_file", mode="after")
    @classmethod
    def _one_place(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("observations"):
            raise PydanticCustomError(
                "observations",
                "must not be given together with inline `observations`; keep the "
                "observations in one place",
            )
        return value
