"""The Evaluation record's content: each metric, with what the latest earlier
evaluation fills in, and the record around them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from aimsctl import writing
from aimsctl.eval_import.results import DIMENSIONS, Given, Results
from aimsctl.records import Evaluation
from aimsctl.records.evaluation import Metric
from aimsctl.text import plural
from aimsctl.vocabulary import PLACEHOLDER


def _earlier(history: list[Evaluation], key: tuple[str, str]) -> tuple[Evaluation, Metric] | None:
    """The latest earlier measurement of ``key``, with its evaluation."""
    for evaluation in reversed(history):
        for metric in evaluation.metrics:
            if metric.key == key:
                return evaluation, metric
    return None


def metric_entry(
    given: Given, history: list[Evaluation], system: str
) -> tuple[dict[str, Any], list[str]] | str:
    """The metric as the record writes it, and what came from an earlier evaluation;
    or why it cannot be made."""
    earlier = _earlier(history, given.key)
    source = earlier[1] if earlier is not None else None
    inherited: list[str] = []
    dimension = given.dimension
    if dimension is None and source is not None:
        dimension = source.dimension
        inherited.append("dimension")
    if dimension is None:
        return (
            f"{given.label} has no dimension, and no earlier evaluation of {system} measured "
            f'it: give one in a dimension column (or "dimension" in JSON), one of '
            f"{', '.join(DIMENSIONS)}"
        )
    threshold = given.threshold
    if threshold is None and source is not None and source.threshold is not None:
        threshold = source.threshold
        inherited.append("threshold")
    tracked = list(given.tracked_by)
    fails = threshold is not None and not threshold.admits(given.value)
    if not tracked and fails and source is not None and source.tracked_by:
        tracked = list(source.tracked_by)
        inherited.append("tracked_by")
    metric: dict[str, Any] = {"name": given.name, "dimension": dimension, "value": given.value}
    if threshold is not None:
        bounds = threshold.model_dump(exclude_none=True)
        metric["threshold"] = {key: as_written(bound) for key, bound in bounds.items()}
    if given.group is not None:
        metric["group"] = given.group
    if given.note is not None:
        metric["note"] = given.note
    if tracked:
        metric["tracked_by"] = tracked
    return metric, inherited


def as_written(value: float) -> float | int:
    """An integral value written as an integer (``12``, not ``12.0``)."""
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def round_trip_nodes(record: dict[str, Any]) -> Any:
    """The record as round-trip nodes, each threshold a flow mapping (``{min: 0.8}``)
    as the records of the example write it."""
    node = writing.to_round_trip(record)
    for metric in node["metrics"]:
        if "threshold" in metric:
            metric["threshold"].fa.set_flow_style()
    return node


def record_data(
    record_id: str,
    system: str,
    stage: str,
    on: date,
    by: str | None,
    version: str | None,
    results: Results,
    metrics: list[dict[str, Any]],
    previous: Evaluation | None,
    results_rel: str | None,
    shown: str,
    inherited: bool,
) -> dict[str, Any]:
    title = f"{stage.capitalize()} evaluation of {system}"
    if version:
        title += f", model {version}"
    source = results_rel or Path(shown).name
    description = f"Made with aimsctl eval import from {source}, {plural(len(metrics), 'metric')}."
    if inherited:
        description += (
            " The dimension, threshold or tracked_by the file does not give for a metric come "
            "from the latest earlier evaluation that measured it."
        )
    if previous is not None:
        description += f" The previous evaluation is {previous.id}."
    record: dict[str, Any] = {
        "kind": "Evaluation",
        "id": record_id,
        "title": title,
        "description": description,
        "system": system,
        "stage": stage,
        "performed": {
            "on": on.isoformat(),
            "by": by.strip() if by else f"{PLACEHOLDER} who performed the evaluation",
        },
    }
    if version:
        record["model_version"] = version
    if results.data:
        record["data"] = results.data
    record["metrics"] = metrics
    if results_rel is not None:
        record["results"] = results_rel
    return record
