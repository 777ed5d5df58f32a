"""The Evaluation record of a bias audit: one fairness metric per category that has
an impact ratio."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from aimsctl.bias_audit.result import SELECTION, Audit, Dimension, is_four_fifths, uncompared
from aimsctl.errors import UsageError
from aimsctl.text import number_text, percent_text


def evaluation_record(
    result: Audit, system: str, on: date, by: str | None = None
) -> dict[str, Any]:
    """An ``Evaluation`` record (records-v2.md) of the audit for ``system``, checked
    against the Evaluation model: one fairness metric per category that has an impact
    ratio, the threshold its minimum. Without ``by``, who performed the audit is a
    ``TODO:`` placeholder, which `aimsctl validate` reports until it is written."""
    from pydantic import ValidationError

    from aimsctl.records.evaluation import Evaluation
    from aimsctl.validation_messages import ID_PATTERN, describe_error
    from aimsctl.vocabulary import PLACEHOLDER

    record_id = f"EVAL-{system}-{on.isoformat()}"
    if not re.fullmatch(ID_PATTERN, system) or not re.fullmatch(ID_PATTERN, record_id):
        raise UsageError(
            f"--record {system!r} is not an AISystem id an Evaluation id can be made from "
            "(letters, digits, '.', '_', '-', at most 64 characters)"
        )
    _refuse_uncompared(result)
    rate = "selection rate" if result.mode == SELECTION else "scoring rate"
    metrics = [
        {
            "name": f"{rate.capitalize().replace(' ', '-')} impact ratio",
            "dimension": "fairness",
            "value": group.impact_ratio,
            "threshold": {"min": result.threshold},
            "group": f"{group.dimension}: {group.category}",
            "note": f"{rate} {group.rate:.4f} ({group.selected:,} of {group.count:,}); "
            f"highest in {dimension.name}: {dimension.highest_rate:.4f}",
        }
        for dimension in result.dimensions
        for group in dimension.groups
        if group.impact_ratio is not None
    ]
    record = {
        "kind": "Evaluation",
        "id": record_id,
        "title": f"Bias audit of {system}: impact ratios (NYC Local Law 144)",
        "description": _record_description(result),
        "system": system,
        "stage": "periodic",
        "performed": {"on": on, "by": by if by is not None else f"{PLACEHOLDER} who audited"},
        "data": result.data,
        "metrics": metrics,
    }
    try:
        Evaluation.model_validate(record)
    except ValidationError as error:
        # In validate's words: an entry of a list by its number, not pydantic's path.
        message, _, _ = describe_error(error.errors()[0], Evaluation)
        raise UsageError(f"the Evaluation record would not be valid: {message}") from None
    return record


def _refuse_uncompared(result: Audit) -> None:
    """UsageError when a dimension asked for compares fewer than two categories: one
    category's ratio, 1 by definition, would stand in the record as a bias audit that
    passed (and count for NYC Local Law 144 in `aimsctl obligations`), and a dimension
    with no ratio at all would be named in the record yet measured nowhere."""
    missing = uncompared(result.dimensions)
    if not missing:
        return
    listed = "; ".join(
        f"{d.name} ({'one category' if d.compared else 'no category'} with an impact ratio)"
        for d in missing
    )
    why = []
    if any(d.compared for d in missing):
        why.append(
            "where one category alone has a ratio, that ratio is 1 by definition and would "
            "read as a pass"
        )
    if any(not d.compared for d in missing):
        why.append("where none has, the record would name a dimension it measured nowhere")
    # A --category may be left out only where another stays.
    columns = sum(1 for d in result.dimensions if len(d.columns) == 1)
    scoring = result.mode != SELECTION
    chosen = "score above the median" if scoring else "are selected"
    none = "has a score above the median" if scoring else "is selected"
    advice = ". ".join(_uncompared_advice(d, columns > 1, chosen) for d in missing)
    raise UsageError(
        f"no Evaluation record is made: nothing was compared in {listed}. Comparing needs "
        "at least two categories with an impact ratio (a category has none when it falls "
        f"under --min-share or no category {none}, and a column empty in every row has "
        f"no category); {' and '.join(why)}. {advice}; nothing was written"
    )


def _uncompared_advice(dimension: Dimension, others: bool, chosen: str) -> str:
    """What to do about one dimension that compares nothing: a column given with
    --category can be left out where ``others`` (another --category) stay, an
    intersection only through the columns it joins."""
    lower = ", a lower --min-share" if dimension.excluded else ""
    if len(dimension.columns) == 1:
        leave = f", or leave --category {dimension.name} out" if others else ""
        return (
            f"For {dimension.name}: audit data in which at least two of its categories reach "
            f"--min-share and some {chosen}{lower}{leave}"
        )
    return (
        f"For {dimension.name}, the intersection of the columns "
        f"{', '.join(dimension.columns)}: audit data in which at least two of its "
        f"combinations reach --min-share and some {chosen}{lower}, or fewer --category "
        "columns"
    )


def _record_description(result: Audit) -> str:
    if result.median is None:  # selection mode
        measure = f"selection rates from the outcome column {result.column!r}"
    else:  # the median as held, never rounded (a score equal to it is not above it)
        measure = (
            f"scoring rates (share scoring above the sample median "
            f"{number_text(result.median)}) from the score column {result.column!r}"
        )
    parts = [
        f"Impact ratios of {measure}, {result.rows:,} rows, by "
        f"{', '.join(d.name for d in result.dimensions)}."
    ]
    excluded = [g for g in result.groups if g.excluded]
    chosen = "selected" if result.mode == SELECTION else "above the median"
    if excluded:
        listed = "; ".join(
            f"{g.dimension}: {g.category} ({g.count:,}, {g.selected:,} {chosen})" for g in excluded
        )
        parts.append(
            f"Excluded from impact ratios as under {percent_text(result.min_share)} of the "
            f"classified rows, counts reported: {listed}."
        )
    unknown = [f"{name} {count:,}" for name, count in result.unknown.items() if count]
    if unknown:
        parts.append(f"Rows with an unknown category, left out: {', '.join(unknown)}.")
    minimum = number_text(result.threshold)
    if is_four_fifths(result.threshold):
        parts.append(
            f"The minimum of {minimum} is the EEOC four-fifths rule of thumb; "
            "Local Law 144 itself sets no pass mark."
        )
    else:
        parts.append(
            f"The minimum of {minimum} was set for this audit (the EEOC four-fifths rule of "
            "thumb is 0.8); Local Law 144 itself sets no pass mark."
        )
    return " ".join(parts)
