"""Results imported before: the evaluation that holds the same measurements, and
what the options and the file now say otherwise."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from aimsctl.errors import UsageError
from aimsctl.eval_import.results import Results
from aimsctl.records import Evaluation
from aimsctl.rules.measurements import evaluations_by_system

if TYPE_CHECKING:
    from aimsctl.repository import Repository


def _same_results(evaluation: Evaluation, results: Results) -> bool:
    """Whether ``evaluation`` holds the measurements of ``results``: the same metrics
    (name and group), each with the same value."""
    recorded = {metric.key: metric.value for metric in evaluation.metrics}
    return recorded == {given.key: given.value for given in results.metrics}


def _differences(
    evaluation: Evaluation,
    results: Results,
    *,
    stage: str,
    by: str | None,
    model_version: str | None,
    record_id: str | None,
) -> list[str]:
    """What the options and the file say that ``evaluation``, which holds the same
    measurements, does not (what they leave out is not compared)."""
    found: list[str] = []

    def differ(what: str, recorded: object, given: object) -> None:
        if recorded != given:
            found.append(f"{what} ({recorded!r} there, {given!r} now)")

    if record_id is not None:
        differ("id", evaluation.id, record_id)
    differ("stage", evaluation.stage, stage)
    if by is not None:
        differ("performed.by", evaluation.performed.by, by.strip())
    version = model_version or results.model_version
    if version is not None:
        differ("model_version", evaluation.model_version, version)
    if results.data is not None:
        differ("data", evaluation.data, results.data)
    metrics = {metric.key: metric for metric in evaluation.metrics}
    for given in results.metrics:
        metric = metrics[given.key]
        if given.dimension is not None:
            differ(f"the dimension of {given.label}", metric.dimension, given.dimension)
        if given.threshold is not None and metric.threshold != given.threshold:
            before = metric.threshold.text() if metric.threshold is not None else None
            differ(f"the threshold of {given.label}", before, given.threshold.text())
        if given.note is not None:
            differ(f"the note of {given.label}", metric.note, given.note)
        if given.tracked_by:
            differ(
                f"the tracked_by of {given.label}",
                list(dict.fromkeys(metric.tracked_by)),
                list(given.tracked_by),
            )
    return found


def recorded_already(
    repo: Repository,
    system: str,
    results: Results,
    shown: str,
    on: date,
    results_rel: str | None,
    **options: Any,
) -> list[Evaluation]:
    """The evaluations of the system that hold these very measurements and were
    performed on ``on`` or made from the same results file of the repository: the
    same results imported before (the first is the one to name). UsageError when the
    options or the file say something else than that record: it is not changed, and
    a second record of the same measurements would leave readers two to choose from."""
    same = [
        e
        for e in evaluations_by_system(repo).get(system, [])
        if (e.performed.on == on or (results_rel is not None and e.results == results_rel))
        and _same_results(e, results)
    ]
    if not same:
        return same
    recorded = same[0]
    differs = _differences(recorded, results, **options)
    if differs:
        entry = repo.entries[recorded.id]
        raise UsageError(
            f"{shown}: these results of {system} are recorded already, as {recorded.id} "
            f"({entry.document.source.path}, performed on {recorded.performed.on}), which "
            f"differs in {'; '.join(differs)}; nothing was written. Edit {recorded.id}, or "
            "delete it and import again"
        )
    return same
