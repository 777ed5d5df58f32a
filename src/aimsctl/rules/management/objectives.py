"""AIMS609, AIMS610, AIMS623: AI objectives settled once due, measured between
management reviews, and achieved only with a measurement to show it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.records import Objective
from aimsctl.records.objective import SETTLED
from aimsctl.rules.registry import Finding, rule

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
    "on or before the as-of date): nothing shows the target was reached.",
    why="Clause 6.2 asks for AI objectives that are measurable where practicable and "
    "monitored, and for how their results will be evaluated; 9.1 for the results of "
    "measurement to be kept as evidence. An objective marked achieved with no "
    "measurement is a claim the readiness report and the management review would "
    "otherwise take at its word.",
    fix="Add the measurement that shows the target was reached as a `progress` entry "
    "`{on, value, note}`; if there is none, the objective is not achieved yet.",
    example="kind: Objective\nid: OBJ-1\n...\ntarget: 95%\nstatus: achieved\n# no progress",
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
