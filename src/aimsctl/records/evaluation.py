"""`Evaluation`: one verification or validation of an AI system (ISO/IEC 42001 A.6.2.4, 9.1)."""

from typing import ClassVar, Literal, Self

from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import (
    Approval,
    Number,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    across_fields,
    kind_field,
)
from aimsctl.text import composed, composition_change, number_text
from aimsctl.validation_messages import ITEM
from aimsctl.vocabulary import MetricDimension

DIMENSION_TEXT = (
    "The quality measured: `performance`, `fairness`, `robustness`, `safety`, `privacy`, "
    "`security` or `explainability`."
)


class Threshold(Strict):
    """The acceptable range of a metric: ``{min}``, ``{max}`` or both. A value passes
    when ``min <= value <= max``."""

    model_config = across_fields(
        {
            "anyOf": [
                {"required": ["min"], "properties": {"min": {"type": "number"}}},
                {"required": ["max"], "properties": {"max": {"type": "number"}}},
            ]
        }
    )

    min: Number | None = about(
        "Minimum",
        "The lowest acceptable value (inclusive); leave it out for no lower limit.",
        default=None,
    )
    max: Number | None = about(
        "Maximum",
        "The highest acceptable value (inclusive); leave it out for no upper limit.",
        default=None,
    )

    @model_validator(mode="after")
    def _a_range(self) -> Self:
        if self.min is None and self.max is None:
            raise PydanticCustomError(
                "threshold",
                "must give `min`, `max` or both (a value passes when min <= value <= max)",
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError(
                "threshold",
                "must have `min` no greater than `max`, not min {low} and max {high}",
                {"low": number_text(self.min), "high": number_text(self.max)},
            )
        return self

    def admits(self, value: float) -> bool:
        """Whether ``value`` is within the threshold."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def looser_than(self, before: "Threshold") -> bool:
        """Whether this threshold admits a value ``before`` did not: its `min` lower or
        gone, or its `max` higher or gone."""
        lower = before.min is not None and (self.min is None or self.min < before.min)
        higher = before.max is not None and (self.max is None or self.max > before.max)
        return lower or higher

    def text(self) -> str:
        """The threshold in words: ``≥ 0.8``, ``≤ 0.1``, ``0.8 to 1.25``."""
        if self.min is not None and self.max is not None:
            return f"{number_text(self.min)} to {number_text(self.max)}"
        if self.min is not None:
            return f"≥ {number_text(self.min)}"
        assert self.max is not None
        return f"≤ {number_text(self.max)}"

    def direction(self) -> int:
        """+1 when higher values are better (a `min` only), -1 when lower ones are (a
        `max` only), 0 for a range."""
        if self.max is None:
            return 1
        if self.min is None:
            return -1
        return 0


def measurement_key(name: str, group: str | None) -> tuple[str, str]:
    """What makes two metrics the same measurement: name and group, the group in one
    Unicode form (:func:`composed`), as two spellings that read alike are one group."""
    return name, composed(group or "")


def measurement_label(name: str, group: str | None) -> str:
    """A metric as people name it: "recall (women)", or "recall" for everyone."""
    return f"{name} ({group})" if group else name


class Metric(Strict):
    """One measured quality of the system, for one group or for everyone."""

    name: Text = about("Metric", "What was measured, e.g. `recall` or `selection rate`.")
    dimension: MetricDimension = about("Dimension", DIMENSION_TEXT, clause="A.6.2.4")
    value: Number = about("Value", "The measured value: a finite number.")
    threshold: Threshold | None = about(
        "Threshold",
        "The acceptable range, `min`, `max` or both; without one the metric is "
        "informational and neither passes nor fails.",
        clause="A.6.2.4",
        default=None,
    )
    group: Text | None = about(
        "Group",
        "The subgroup measured, e.g. `aged 75 and over`; leave it out for everyone.",
        default=None,
    )
    note: str | None = about(
        "Note", "Anything a reader needs to interpret the value.", default=None
    )
    tracked_by: list[RecordId] = about(
        "Tracked by",
        "The ids of open Risk or Nonconformity records that take up this metric when it "
        "fails; a failing metric tracked by none is reported.",
        clause="10.2",
        default=[],
    )

    @property
    def passed(self) -> bool | None:
        """Whether the value is within the threshold; None without a threshold."""
        if self.threshold is None:
            return None
        return self.threshold.admits(self.value)

    @property
    def key(self) -> tuple[str, str]:
        return measurement_key(self.name, self.group)

    @property
    def label(self) -> str:
        return measurement_label(self.name, self.group)


class Performed(Strict):
    """When the evaluation was carried out, and by whom."""

    on: PastDate = about("Performed on", "The day it was carried out, YYYY-MM-DD.")
    by: Text = about("Performed by", "Who carried it out: a person, team or Role id.")


class Evaluation(Record):
    """One verification or validation of an AI system against measured criteria: the
    stage it was made at, the model version and data tested, each metric with its
    threshold, and the sign-off of the release decision."""

    KIND: ClassVar[str] = "Evaluation"
    FOLDER: ClassVar[str] = "evaluations"
    CLAUSES: ClassVar[tuple[str, ...]] = ("A.6.2.4", "9.1")
    REPORTS: ClassVar[tuple[str, ...]] = ("systems", "monitoring")

    kind: Literal["Evaluation"] = kind_field()

    system: RecordId = about("System", "The id of the AISystem evaluated.", clause="A.6.2.4")
    stage: Literal["pre-deployment", "post-deployment", "periodic", "change"] = about(
        "Stage",
        "When it was made: `pre-deployment` (before release), `post-deployment` (after "
        "release), `periodic` (a scheduled re-check) or `change` (after a change to the "
        "system).",
        clause="A.6.2.4",
    )
    performed: Performed = about("Performed", "When (`on`) and by whom (`by`) it was made.")
    model_version: Text | None = about(
        "Model version", "The model or system version tested.", clause="A.6.2.4", default=None
    )
    data: Text | None = about(
        "Test data", "The test data used, or a path to it.", clause="A.7.4", default=None
    )
    metrics: list[Metric] = about(
        "Metrics",
        "Each measured quality with its value and threshold; at least one, and each metric "
        "(name and group) once. The evaluation passes when every metric with a threshold is "
        "within it (derived, never written).",
        clause="9.1",
        min_length=1,
    )
    results: Text | None = about(
        "Results file",
        "A path in the repository to the machine-readable results this record was made from.",
        default=None,
    )
    approval: Approval | None = about(
        "Release approval",
        "Who signed off the release decision, and when.",
        clause="A.6.2.5",
        default=None,
    )

    @field_validator("metrics", mode="after")
    @classmethod
    def _each_measured_once(cls, metrics: list[Metric]) -> list[Metric]:
        # Two values for one metric and group leave its result to whichever a reader
        # takes first; `eval import` refuses the same in a results file.
        seen: dict[tuple[str, str], Metric] = {}
        for index, metric in enumerate(metrics):
            earlier = seen.get(metric.key)
            if earlier is not None:
                # Groups in two Unicode forms are one group, and read the same: say so.
                forms = composition_change(earlier.group or "", metric.group or "")
                raise PydanticCustomError(
                    "metric_twice",
                    "must not repeat a metric and group given above: {label}{forms}",
                    {
                        "label": metric.label,
                        "forms": f" (the same group, its Unicode composition {forms})"
                        if forms
                        else "",
                        ITEM: index,
                    },
                )
            seen[metric.key] = metric
        return metrics

    @property
    def passed(self) -> bool | None:
        """True when every metric with a threshold is within it, False when one is not,
        None when no metric has a threshold (the evaluation is informational). Derived,
        never written."""
        verdicts = [metric.passed for metric in self.metrics if metric.passed is not None]
        if not verdicts:
            return None
        return all(verdicts)

    def failing(self) -> list[tuple[int, Metric]]:
        """The metrics outside their threshold, with their index in ``metrics``."""
        return [(index, m) for index, m in enumerate(self.metrics) if m.passed is False]
