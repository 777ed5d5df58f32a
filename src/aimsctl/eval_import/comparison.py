"""The new evaluation compared metric by metric with the previous one of the system:
the rows `eval import` prints."""

from __future__ import annotations

from dataclasses import dataclass

from aimsctl.records import Evaluation
from aimsctl.records.evaluation import Metric
from aimsctl.rules.measurements import metrics_by_key, trend


@dataclass(frozen=True)
class Row:
    """One metric compared with the previous evaluation of the system."""

    name: str
    group: str | None
    dimension: str
    before: float | None  # the previous evaluation's value; None: not measured then
    value: float | None  # None: dropped (measured before, not now)
    threshold: str  # in words; "" without one
    trend: str
    passed: bool | None  # now; None: informational (or dropped)
    passed_before: bool | None
    inherited: tuple[str, ...] = ()  # what came from an earlier evaluation
    threshold_before: str = ""  # the previous evaluation's threshold, in words

    @property
    def loosened(self) -> bool:
        """The threshold admits now what the previous one did not."""
        return bool(self.threshold_before)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.group})" if self.group else self.name

    @property
    def change(self) -> str:
        """``added``, ``dropped`` or ``kept``."""
        if self.value is None:
            return "dropped"
        return "added" if self.before is None else "kept"

    @property
    def newly_failing(self) -> bool:
        """Fails now, and did not fail in the previous evaluation."""
        return self.passed is False and self.passed_before is not False


def _threshold_before(metric: Metric, before: Metric | None) -> str:
    """The previous threshold in words where the new one is looser than it, as `diff`
    judges one (a measurement with no threshold, now or before, judges nothing)."""
    if before is None or before.threshold is None or metric.threshold is None:
        return ""
    return before.threshold.text() if metric.threshold.looser_than(before.threshold) else ""


def comparison_rows(
    new: Evaluation, previous: Evaluation | None, inherited: dict[tuple[str, str], list[str]]
) -> list[Row]:
    rows: list[Row] = []
    earlier = metrics_by_key(previous)
    for metric in new.metrics:
        before = earlier.get(metric.key)
        rows.append(
            Row(
                metric.name,
                metric.group,
                metric.dimension,
                before.value if before is not None else None,
                metric.value,
                metric.threshold.text() if metric.threshold is not None else "",
                trend(metric, before),
                metric.passed,
                before.passed if before is not None else None,
                tuple(inherited.get(metric.key, ())),
                _threshold_before(metric, before),
            )
        )
    if previous is not None:
        now = {metric.key for metric in new.metrics}
        for metric in previous.metrics:
            if metric.key not in now:
                rows.append(
                    Row(
                        metric.name,
                        metric.group,
                        metric.dimension,
                        metric.value,
                        None,
                        metric.threshold.text() if metric.threshold is not None else "",
                        "",
                        None,
                        metric.passed,
                    )
                )
    return rows
