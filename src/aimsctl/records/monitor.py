"""`Monitor`: one metric of an AI system watched in operation (ISO/IEC 42001 A.6.2.6, 9.1)."""

from typing import ClassVar, Literal

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import (
    Number,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    across_fields,
    kind_field,
    owner_field,
)
from aimsctl.records.evaluation import DIMENSION_TEXT, Threshold
from aimsctl.vocabulary import MetricDimension

# The longest interval a monitor may name: a century, so date arithmetic stays sane.
MAX_EVERY_DAYS = 36_500

OnBreach = Literal["incident", "risk-review", "notify"]


class Observation(Strict):
    """One value of the metric, on the day it was observed."""

    on: PastDate = about("Observed on", "The day of the observation, YYYY-MM-DD.")
    value: Number = about("Value", "The observed value: a finite number.")
    note: str | None = about(
        "Note",
        "What was done about it; after a breach with `on_breach: notify`, who was told.",
        default=None,
    )


class Monitor(Record):
    """One metric of an AI system watched in operation: its threshold, how often a new
    observation is due, the observations themselves (inline or in a CSV file), and what
    a breach of the threshold must lead to."""

    KIND: ClassVar[str] = "Monitor"
    FOLDER: ClassVar[str] = "monitors"
    CLAUSES: ClassVar[tuple[str, ...]] = ("A.6.2.6", "9.1")
    REPORTS: ClassVar[tuple[str, ...]] = ("systems", "monitoring")
    # Observations are kept in one place: inline or in the file, not both.
    model_config = across_fields(
        {
            "not": {
                "required": ["observations", "observations_file"],
                "properties": {
                    "observations": {"minItems": 1},
                    "observations_file": {"type": "string"},
                },
            }
        }
    )

    kind: Literal["Monitor"] = kind_field()

    system: RecordId = about("System", "The id of the AISystem watched.", clause="A.6.2.6")
    owner: Text = owner_field("Who records the observations and acts on a breach.")
    metric: Text = about("Metric", "What is watched, e.g. `drift of the score distribution`.")
    dimension: MetricDimension = about("Dimension", DIMENSION_TEXT, clause="9.1")
    threshold: Threshold = about(
        "Threshold",
        "The acceptable range, `min`, `max` or both; an observation outside it is a breach.",
        clause="9.1",
    )
    every_days: int = about(
        "Every (days)",
        f"How often a new observation is due, in days: a whole number from 1 to "
        f"{MAX_EVERY_DAYS}. A monitor with none for longer is stale.",
        clause="A.6.2.6",
        ge=1,
        le=MAX_EVERY_DAYS,
    )
    source: Text | None = about(
        "Source", "The dashboard, job or query the values come from.", default=None
    )
    observations: list[Observation] = about(
        "Observations",
        "The values observed, most recent last, each with `on`, `value` and a `note`.",
        clause="9.1",
        default=[],
    )
    observations_file: Text | None = about(
        "Observations file",
        "A CSV file in the repository with the columns `on,value[,note]`, instead of "
        "`observations`.",
        default=None,
    )
    on_breach: OnBreach | None = about(
        "On breach",
        "What a breach must lead to: an `incident` record, a `risk-review` of the "
        "system's risks, or `notify` someone (noted on the observation).",
        clause="A.6.2.6",
        default=None,
    )

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
