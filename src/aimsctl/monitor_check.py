"""`aimsctl monitor check`: each monitor's observations read, breaches and staleness found.

The observations come inline or from the monitor's CSV file (through the
repository's file source); breaches, follow-ups and staleness are judged exactly
as the validation rules AIMS704, AIMS705 and AIMS708 judge them, so the command
and `aimsctl validate` never disagree. Nothing here prints: the formats are in
:mod:`aimsctl.outputs.monitor`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from aimsctl.records import Monitor
from aimsctl.rules.measurements import (
    TOO_MANY,
    Point,
    Series,
    breaches,
    follow_up,
    follow_up_note,
    freshness,
    read_series,
    watched,
)
from aimsctl.rules.monitoring import MAX_ROW_FINDINGS

if TYPE_CHECKING:
    from aimsctl.repository import Repository

# A monitor's state, worst first.
UNREADABLE = "unreadable"
STALE = "stale"
# The next observation was due before the as-of date and is missing, but the monitor
# is not stale yet (AIMS704 allows one late observation): not current, and listed
# overdue by `aimsctl due`.
LATE = "late"
BREACH = "breach"  # the latest observation is outside the threshold
OK = "ok"
RESTING = "resting"  # its system is retired
STATES = (UNREADABLE, STALE, LATE, BREACH, OK, RESTING)


@dataclass(frozen=True, slots=True)
class Observed:
    on: date
    value: float
    note: str | None
    where: str  # `file.csv:7` or `observations entry 3`

    def as_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "value": self.value, "note": self.note}


@dataclass(frozen=True, slots=True)
class BreachStatus:
    """One breach (a run of observations outside the threshold) and what answered it."""

    first: Observed
    last: Observed
    observations: int
    follow_up: str | None  # in words; None: nothing answered it
    # Where nothing answered it: the records that fail validation or cannot be read and
    # may be the follow-up, in AIMS705's words; None when there are none.
    unjudged: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.first.on.isoformat(),
            "to": self.last.on.isoformat(),
            "observations": self.observations,
            "value": self.first.value,
            "where": self.first.where,
            "followed_up": self.follow_up is not None,
            "follow_up": self.follow_up,
            "unjudged": self.unjudged,
        }


@dataclass(frozen=True)
class MonitorStatus:
    id: str
    title: str
    system: str
    owner: str
    metric: str
    dimension: str
    threshold_min: float | None
    threshold_max: float | None
    threshold: str  # in words: "≤ 0.1"
    every_days: int
    on_breach: str | None
    source: str | None
    path: str | None  # the observations file, if any
    observations: int
    latest: Observed | None
    latest_within: bool | None
    next_due: date | None
    stale_after: date | None
    state: str
    breaches: tuple[BreachStatus, ...]
    problems: tuple[str, ...]  # why observations could not be read
    # The observations file cannot be read at all (unreadable); else only some rows.
    file_unusable: bool = False
    # Observations read that cannot be used beyond those listed in problems, which
    # then count them by kind in one entry.
    unlisted: int = 0
    # Reading stopped before the file's end (past MAX_ROWS rows, or at a row that is no
    # CSV), which problems say: more rows may be unusable than are counted.
    rest_not_read: bool = False
    # How many observations read cannot be used, those not listed included.
    unusable_count: int = 0

    @property
    def unanswered(self) -> list[BreachStatus]:
        return [b for b in self.breaches if b.follow_up is None]

    @property
    def needs_attention(self) -> bool:
        """Stale, unreadable (in whole or in part), or a breach nobody answered."""
        return self.state in (UNREADABLE, STALE) or bool(self.unanswered or self.problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "system": self.system,
            "owner": self.owner,
            "metric": self.metric,
            "dimension": self.dimension,
            "threshold": {"min": self.threshold_min, "max": self.threshold_max},
            "every_days": self.every_days,
            "on_breach": self.on_breach,
            "observations_file": self.path,
            "observations": self.observations,
            "latest": None
            if self.latest is None
            else self.latest.as_json() | {"within": self.latest_within},
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "stale_after": self.stale_after.isoformat() if self.stale_after else None,
            "state": self.state,
            "breaches": [b.as_json() for b in self.breaches],
            "problems": list(self.problems),
            "problems_not_listed": self.unlisted,
            "rest_not_read": self.rest_not_read,
        }


@dataclass
class MonitorCheck:
    """Every monitor checked (or those of the systems asked for), sorted by id."""

    as_of: date
    monitors: list[MonitorStatus] = field(default_factory=list)
    # Files with a record that failed validation and is, or may be, a Monitor: not
    # checked, so the run does not pass for a complete one.
    left_out: tuple[str, ...] = ()

    @property
    def stale(self) -> int:
        return sum(1 for m in self.monitors if m.state == STALE)

    @property
    def late(self) -> int:
        return sum(1 for m in self.monitors if m.state == LATE)

    @property
    def breaches(self) -> int:
        return sum(len(m.breaches) for m in self.monitors)

    @property
    def unanswered(self) -> int:
        return sum(len(m.unanswered) for m in self.monitors)

    @property
    def unreadable(self) -> int:
        return sum(1 for m in self.monitors if m.state == UNREADABLE or m.problems)

    @property
    def exit_code(self) -> int:
        """1 when a monitor needs attention (stale, unreadable, a breach unanswered) or
        a monitor's record failed validation."""
        return 1 if self.left_out or any(m.needs_attention for m in self.monitors) else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "as_of": self.as_of.isoformat(),
            "monitors": [m.as_json() for m in self.monitors],
            "summary": {
                "monitors": len(self.monitors),
                "stale": self.stale,
                "late": self.late,
                "breaches": self.breaches,
                "unanswered": self.unanswered,
                "unreadable": self.unreadable,
            },
            "left_out": list(self.left_out),
        }


def monitor_status(
    repo: Repository, monitor: Monitor, series: Series | None = None
) -> MonitorStatus:
    """One monitor checked: its latest observation, freshness, state and breaches
    (``series``, its observations, when already read)."""
    series = read_series(repo, monitor) if series is None else series
    fresh = freshness(series, repo.as_of)

    def observed(point: Point) -> Observed:
        return Observed(point.on, point.value, point.note, series.where(point))

    found = []
    for b in breaches(series, repo.as_of):
        answer = follow_up(repo, monitor, b)
        # The breach stays unanswered, as AIMS705 finds it, but a record left out may be
        # what answered it: said in the rule's words, never silently "none".
        note = follow_up_note(repo, monitor) if answer is None else ""
        found.append(
            BreachStatus(observed(b.first), observed(b.last), len(b.points), answer, note or None)
        )
    problems, unusable, unlisted = _problems(series, repo.as_of)
    latest = fresh.latest
    within = None if latest is None else monitor.threshold.admits(latest.value)
    if series.unusable is not None:
        state = UNREADABLE
        problems.insert(0, f"{series.path}: {series.unusable}")
    elif series.unused(repo.as_of) and watched(repo, monitor):
        # in part: a row not read, or one dated after the as-of date (AIMS708, AIMS508),
        # may be the latest observation, or a breach
        state = UNREADABLE
    elif not watched(repo, monitor):
        state = RESTING
    elif fresh.stale:
        state = STALE
    elif fresh.late:
        state = LATE
    elif within is False:
        state = BREACH
    else:
        state = OK
    if state == RESTING:
        next_due = None
    elif state == UNREADABLE or fresh.due is None:
        # Owed now, as `aimsctl due` lists it (an observation that cannot be used may be
        # the latest), or since its last usable one fell due, if that was earlier.
        next_due = repo.as_of if fresh.due is None else min(fresh.due, repo.as_of)
    else:
        next_due = fresh.due
    return MonitorStatus(
        id=monitor.id,
        title=monitor.title,
        system=monitor.system,
        owner=monitor.owner,
        metric=monitor.metric,
        dimension=monitor.dimension,
        threshold_min=monitor.threshold.min,
        threshold_max=monitor.threshold.max,
        threshold=monitor.threshold.text(),
        every_days=monitor.every_days,
        on_breach=monitor.on_breach,
        source=monitor.source,
        path=series.path,
        observations=len(series.until(repo.as_of)),
        latest=None if latest is None else observed(latest),
        latest_within=within,
        next_due=next_due,
        stale_after=fresh.stale_after if state != RESTING else None,
        state=state,
        breaches=tuple(found),
        problems=tuple(problems),
        file_unusable=series.unusable is not None,
        unlisted=unlisted,
        rest_not_read=series.rest_not_read,
        unusable_count=unusable,
    )


def _problems(series: Series, as_of: date) -> tuple[list[str], int, int]:
    """The observations that cannot be used, ``where: why``: the first
    ``MAX_ROW_FINDINGS``, as validate names them, then one line counting the rest by
    kind (a file of 300,000 bad rows gave 100,001 lines), then where reading stopped
    past ``MAX_ROWS`` rows, which is no observation and counted as none; how many
    observations read cannot be used, and how many of them are not listed."""
    unused = series.unused_kinds(as_of)
    stopped = [(where, why) for where, why, kind in unused if kind == TOO_MANY]
    unused = [entry for entry in unused if entry[2] != TOO_MANY]
    problems = [f"{where}: {why}" for where, why, _ in unused[:MAX_ROW_FINDINGS]]
    rest = Counter(kind for _, _, kind in unused[MAX_ROW_FINDINGS:])
    if rest:
        kinds = sorted(rest.items(), key=lambda item: (-item[1], item[0]))
        counted = "; ".join(f"{count:,} {kind}" for kind, count in kinds)
        read = " of the rows read" if series.rest_not_read else ""
        problems.append(
            f"{series.path or 'observations'}: {sum(rest.values()):,} more{read} cannot be "
            f"used, not listed ({counted}); fix those above and run again"
        )
    problems += [f"{where}: {why}" for where, why in stopped]
    return problems, len(unused), sum(rest.values())


def monitors_left_out(repo: Repository) -> tuple[str, ...]:
    """The files with a record that failed validation whose kind is Monitor or cannot
    be told (bad YAML, a misspelt kind), sorted: monitors no check can read. An error
    that keeps the record (a duplicate key) is no reason: that monitor is checked."""
    return tuple(
        sorted(
            {
                d.path
                for d in repo.diagnostics
                if repo.left_out_by(d)
                and (d.record is None or repo.kind_of(d.record) in (Monitor.KIND, None))
            }
        )
    )


def check_monitors(repo: Repository, systems: Iterable[str] = ()) -> MonitorCheck:
    """Every monitor of the repository (of ``systems`` only, when given), checked;
    the files of monitors whose records failed validation in ``left_out`` (of which
    system cannot be told). A system named that is no valid system of the repository
    is a UsageError."""
    named = list(systems)
    repo.require_systems(named, "--system {id!r}", "its monitors cannot be checked")
    wanted = set(named)
    result = MonitorCheck(repo.as_of, left_out=monitors_left_out(repo))
    for monitor in repo.of_kind(Monitor):
        if wanted and monitor.system not in wanted:
            continue
        result.monitors.append(monitor_status(repo, monitor))
    return result
