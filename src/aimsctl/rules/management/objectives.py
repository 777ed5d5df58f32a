"""AIMS609, AIMS610, AIMS623: AI objectives settled once due, measured between
management reviews, and achieved only with a measurement to show it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.records import Objective
from aimsctl.records.objective import SETTLED, ObjectiveProgress
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import as_shown, number_text

if TYPE_CHECKING:
    from aimsctl.repository import Repository

W = Severity.WARNING


@rule(
    codes.OBJECTIVE_OVERDUE,
    W,
    summary="An objective's `due` date has passed and its status is not `achieved`, "
    "`missed` or `withdrawn`.",
    why="Clause 6.2 asks for AI objectives with a time by which each is to be met and "
    "for their results to be evaluated. Once the date has passed the objective was "
    "either met or not, and the record should say which.",
    fix="Record the outcome: `achieved` or `missed` (with a last `progress` entry), or "
    "`withdrawn` with a note why; or set a new `due` date if the plan changed.",
    example="kind: Objective\nid: OBJ-1\n...\ndue: 2026-06-30\nstatus: on-track",
)
def objective_overdue(repo: Repository) -> Iterator[Finding]:
    for objective in repo.of_kind(Objective):
        if objective.status not in SETTLED and objective.due < repo.as_of:
            yield Finding(
                f"objective was due on {objective.due} and is still {objective.status}; "
                "record whether it was achieved, missed or withdrawn",
                record=objective.id,
                parts=("due",),
            )


@rule(
    codes.OBJECTIVE_ACHIEVED_UNMEASURED,
    W,
    summary="An objective is `achieved`, but records no `progress` measurement (none "
    "on or before the as-of date): nothing shows the target was reached; or its latest "
    "measurement does not meet its `target`. The latest is judged against the target "
    "only where both are numbers (`0.85`, `12`) or both percentages (`95%`), and where "
    "the target says which way it points: `at least 95%`, `>= 0.85`, `95% or more`, "
    "`at most 5`, `<= 5`, `below 2%`, `5 or fewer`; a bare `100%` (which nothing above "
    "it can mean, unless a measurement is above 100%) is a minimum and a bare `0` or "
    "`0%` (unless a measurement is below zero) a maximum. Any other bare target, a "
    "target or value in words, and a number against a percentage are not judged. "
    "Readiness does not count such an objective as evidence of 6.2.",
    why="Clause 6.2 asks for AI objectives that are measurable where practicable and "
    "monitored, and for how their results will be evaluated; 9.1 for the results of "
    "measurement to be kept as evidence. An objective marked achieved with no "
    "measurement, or with a last measurement short of its target, is a claim the "
    "readiness report and the management review would otherwise take at its word. "
    "An Objective has no field for the direction of its target, so aimsctl reads it "
    "only where the target says it, and otherwise says nothing rather than guess.",
    fix="Add the measurement that shows the target was reached as a `progress` entry "
    "`{on, value, note}`; if there is none, the objective is not achieved yet: set "
    "`status` to what the latest measurement shows (`missed` once due). Write a "
    "target's direction where it is a maximum (`at most 5`).",
    example="kind: Objective\nid: OBJ-1\n...\ntarget: 95%\nstatus: achieved\n# no progress\n"
    "# or:\ntarget: 100%\nstatus: achieved\nprogress:\n  - {on: 2026-10-31, value: 60%}",
)
def objective_achieved_unmeasured(repo: Repository) -> Iterator[Finding]:
    for objective in repo.of_kind(Objective):
        if objective.status != "achieved":
            continue
        if not any(p.on <= repo.as_of for p in objective.progress):
            when = f" on or before {repo.as_of}" if objective.progress else ""
            yield Finding(
                f"objective is achieved, but records no progress measurement{when}: "
                f"nothing shows its target ({objective.target}) was reached; add the "
                "measurement as a progress entry",
                record=objective.id,
                parts=("status",),
            )
        elif (short := short_of_target(repo, objective)) is not None:
            yield Finding(
                f"objective is achieved, but {short}: nothing shows the target was "
                "reached; add the measurement that shows it, or set the status the "
                "latest measurement shows",
                record=objective.id,
                parts=("status",),
            )


def achievement_not_shown(repo: Repository, objective: Objective) -> str | None:
    """Why an objective recorded as `achieved` is not shown to be (AIMS623), in words
    that follow "it is achieved, but": no measurement by the as-of date ("it records
    no progress measurement"), or a latest one short of a target it can be judged
    against; None for one that is shown, or not achieved."""
    if objective.status != "achieved":
        return None
    if not any(p.on <= repo.as_of for p in objective.progress):
        return f"it records no progress measurement on or before {repo.as_of}"
    return short_of_target(repo, objective)


def latest_progress(repo: Repository, objective: Objective) -> ObjectiveProgress | None:
    """The latest progress measurement on or before the as-of date (of two on one day,
    the one listed last), as the management report shows it."""
    measured = [p for p in sorted(objective.progress, key=lambda p: p.on) if p.on <= repo.as_of]
    return measured[-1] if measured else None


Comparison = Literal[">=", "<=", ">", "<"]

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
# The words and signs before a target's figure that say which way it points.
_BEFORE: dict[str, Comparison] = {
    **dict.fromkeys(
        (
            *("at least", "at or above", "no less than", "not less than", "not below"),
            *("minimum", "min", "min.", ">=", "=>", "≥"),
        ),
        ">=",
    ),
    **dict.fromkeys(
        (
            *("at most", "at or below", "no more than", "not more than", "not above"),
            *("maximum", "max", "max.", "<=", "=<", "≤"),
        ),
        "<=",
    ),
    **dict.fromkeys(("more than", "greater than", "above", "over", ">"), ">"),
    **dict.fromkeys(("less than", "fewer than", "below", "under", "<"), "<"),
}
# ... and after it.
_AFTER: dict[str, Comparison] = {
    **dict.fromkeys(("or more", "or above", "or higher", "or greater", "+"), ">="),
    **dict.fromkeys(("or less", "or fewer", "or below", "or lower"), "<="),
}


def _words(words: dict[str, Comparison]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TARGET = re.compile(
    rf"(?:(?P<before>{_words(_BEFORE)})\s*)?(?P<number>{_NUMBER})\s*(?P<percent>%)?"
    rf"(?:\s*(?P<after>{_words(_AFTER)}))?"
)
_VALUE = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<percent>%)?")


@dataclass(frozen=True, slots=True)
class _Figure:
    number: Decimal  # exact: text with more digits than a float holds is not rounded
    percent: bool
    comparison: Comparison | None = None  # a target's direction, where it says one


def _read(value: str | int | float, pattern: re.Pattern[str]) -> _Figure | None:
    """A target or a measured value as a figure: a number, or a percentage (`95%`),
    with the direction a target's words give; None for anything else (words, units)."""
    if isinstance(value, int | float):
        return _Figure(Decimal(repr(float(value))), percent=False)
    text = " ".join(unicodedata.normalize("NFKC", as_shown(value)).lower().split())
    found = pattern.fullmatch(text)
    if found is None:
        return None
    before, after = found.groupdict().get("before"), found.groupdict().get("after")
    if before and after:
        return None  # `at least 5 or more`: not read
    way = _BEFORE[before] if before else _AFTER[after] if after else None
    return _Figure(Decimal(found["number"]), percent=bool(found["percent"]), comparison=way)


def _direction(target: _Figure, values: list[_Figure]) -> Comparison | None:
    """Which way a target points: as its words say; else a bare 100% can only be a
    minimum and a bare zero only a maximum (a share cannot pass the whole, a count
    cannot fall below none), unless a measurement shows the measure goes past them;
    else None: not told, so not judged."""
    if target.comparison is not None:
        return target.comparison
    if target.percent and target.number == 100 and all(v.number <= 100 for v in values):
        return ">="
    if target.number == 0 and all(v.number >= 0 for v in values):
        return "<="
    return None


_MEETS = {
    ">=": lambda value, target: value >= target,
    "<=": lambda value, target: value <= target,
    ">": lambda value, target: value > target,
    "<": lambda value, target: value < target,
}


def short_of_target(repo: Repository, objective: Objective) -> str | None:
    """How the latest measurement of ``objective`` falls short of its target ("its
    latest progress measurement, 60% on 2026-10-31, does not meet its target (100%)"),
    None where it meets it or the two cannot be judged against each other: not both
    numbers or both percentages, or a target whose direction is not told."""
    latest = latest_progress(repo, objective)
    target = _read(objective.target, _TARGET)
    if latest is None or target is None:
        return None
    value = _read(latest.value, _VALUE)
    if value is None or value.percent != target.percent:
        return None
    values = [
        v
        for p in objective.progress
        if (v := _read(p.value, _VALUE)) is not None and v.percent == target.percent
    ]
    way = _direction(target, values)
    if way is None or _MEETS[way](value.number, target.number):
        return None
    shown = _shown(latest.value)
    return (
        f"its latest progress measurement, {shown} on {latest.on}, does not meet its "
        f"target ({_shown(objective.target)})"
    )


def _shown(value: str | int | float) -> str:
    return value if isinstance(value, str) else number_text(float(value))


@rule(
    codes.OBJECTIVE_PROGRESS_STALE,
    W,
    summary="An objective `on-track` or `at-risk` (and not yet due) has no `progress` "
    "entry within the last `cadence.management_review_days`: progress is expected at "
    "least once between management reviews.",
    why="Clause 6.2 asks for AI objectives to be monitored, and 9.3 for top management to "
    "review how they are met. A status with no recent measurement behind it is an "
    "opinion; the management review period is the longest gap that still gives each "
    "review a fresh figure.",
    fix="Measure the objective and add a `progress` entry `{on, value, note}`; change the "
    "status if the figure says so.",
    example="kind: Objective\nid: OBJ-1\n...\nstatus: on-track\nprogress:\n"
    "  - {on: 2025-09-30, value: 62%}",
)
def objective_progress_stale(repo: Repository) -> Iterator[Finding]:
    days = repo.config.cadence.management_review_days
    for objective in repo.of_kind(Objective):
        owed = progress_owed(repo, objective)
        if owed is None:
            continue
        last, due = owed
        if last is None:
            yield Finding(
                f"objective is {objective.status} but records no progress; add a progress "
                "entry with the latest measurement",
                record=objective.id,
                parts=("status",),
            )
        elif due < repo.as_of:
            yield Finding(
                f"last progress was recorded on {last}; cadence.management_review_days is "
                f"{days}, so a new measurement was due by {due}",
                record=objective.id,
                parts=("progress",),
            )


def progress_owed(repo: Repository, objective: Objective) -> tuple[date | None, date] | None:
    """When an objective being pursued (`on-track`, `at-risk`, not yet due) owes its
    next progress measurement: (its last measurement, the day the next is due: the
    last plus `cadence.management_review_days`, or the as-of date with none yet).
    None for an objective that owes none before it is itself due."""
    if objective.status not in ("on-track", "at-risk") or objective.due < repo.as_of:
        return None
    measured = [p.on for p in objective.progress if p.on <= repo.as_of]
    if not measured:
        return None, repo.as_of
    last = max(measured)
    due = add_days(last, repo.config.cadence.management_review_days)
    # Owed only while the objective is pursued: from its due date on, AIMS609 asks
    # for its outcome instead.
    return (last, due) if due < objective.due else None
