"""What a results file holds, whichever its format: the measurements, the problems
found reading it, and the checks the CSV and JSON readers share."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import NoReturn

from aimsctl.errors import UsageError
from aimsctl.records.evaluation import Threshold, measurement_key, measurement_label
from aimsctl.text import composition_change, number_text, plural, printable
from aimsctl.validation_messages import ID_PATTERN, did_you_mean
from aimsctl.vocabulary import MetricDimension

MAX_METRICS = 1_000  # measurements in one file; an Evaluation is read by people
DIMENSIONS: tuple[str, ...] = typing.get_args(MetricDimension)
RECORD_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class Given:
    """One measurement as the results file gives it; None where the file is silent."""

    name: str
    value: float
    line: int | None
    group: str | None = None
    dimension: str | None = None
    threshold: Threshold | None = None
    note: str | None = None
    tracked_by: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return measurement_key(self.name, self.group)

    @property
    def label(self) -> str:
        return measurement_label(self.name, self.group)


@dataclass(frozen=True)
class Results:
    """What a results file holds."""

    metrics: tuple[Given, ...]
    model_version: str | None = None
    data: str | None = None


class Problems:
    """The problems of one file, each at its line, reported together."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.found: list[tuple[int, str]] = []

    def add(self, line: int | None, message: str) -> None:
        self.found.append((line or 0, message))

    def raise_any(self) -> None:
        if self.found:
            self.fail()

    def fail(self) -> NoReturn:
        # One problem, one line: a line break inside a quoted cell is written as an
        # escape, so no text of the file reads as a message of its own.
        lines = [
            printable(f"{self.shown}:{line}: {message}" if line else f"{self.shown}: {message}")
            for line, message in sorted(self.found, key=lambda found: found[0])
        ]
        count = plural(len(self.found), "problem")
        raise UsageError("\n".join([*lines, f"{self.shown}: {count}; nothing was written"]))


def tracked_ids(text: str) -> tuple[tuple[str, ...], str | None]:
    ids = tuple(dict.fromkeys(text.replace(",", " ").split()))
    bad = [record_id for record_id in ids if not RECORD_ID.fullmatch(record_id)]
    if bad:
        return (), f"tracked_by {bad[0][:40]!r} is not a record id"
    return ids, None


def dimension_problem(text: str) -> str | None:
    """Why ``text`` is no dimension, or None."""
    if text in DIMENSIONS:
        return None
    hint = did_you_mean(text, list(DIMENSIONS)) or f"; use one of {', '.join(DIMENSIONS)}"
    return f"dimension {text[:40]!r} is not a dimension{hint}"


def threshold_of(low: float | None, high: float | None) -> Threshold | str | None:
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        return (
            f"threshold min {number_text(low)} is greater than max {number_text(high)}; "
            "a value passes when min <= value <= max"
        )
    return Threshold(min=low, max=high)


def check_duplicates(metrics: list[Given], problems: Problems) -> None:
    first: dict[tuple[str, str], Given] = {}
    for given in metrics:
        if given.key in first:
            earlier = first[given.key]
            where = f" (line {earlier.line})" if earlier.line else ""
            forms = composition_change(earlier.group or "", given.group or "")
            if forms:  # one group in two Unicode forms, which read the same
                where += f", the group's Unicode composition {forms}"
            problems.add(
                given.line,
                f"{given.label} is measured twice{where}: one value per metric and group",
            )
        else:
            first[given.key] = given
