"""Evaluations, monitor observations and incident deadlines, as the testing and
monitoring rules, `aimsctl monitor check` and the reports read them.

A Monitor's observations are written inline or in a CSV file of the repository
(columns ``on,value`` and optionally ``note``), read through the repository's file
source, so the same answer comes from the working tree and from a git revision.
A row that cannot be read is a problem at its line of the file; the rows that can
still count. Nothing here reports: :mod:`aimsctl.rules.monitoring` turns what is
found into findings.
"""

from __future__ import annotations

import csv
import io
import math
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from aimsctl.days import ISO_DATE, add_days, meant_date
from aimsctl.errors import LFS_NOT_PULLED
from aimsctl.fileio import lfs_pointer
from aimsctl.loader import WorkingTree, checkout_encoding_advice
from aimsctl.records import AISystem, Evaluation, Incident, Monitor, Risk
from aimsctl.records.base import EXACT_WHOLE
from aimsctl.records.evaluation import Metric
from aimsctl.rules.management.state import unjudged_note
from aimsctl.rules.placeholders import still_unwritten, unsigned_note
from aimsctl.rules.soa import is_url, path_problem
from aimsctl.text import (
    csv_problem,
    declared_separator,
    failing_validation,
    has_words,
    number_advice,
    plural,
    read_as_zero,
    rounded_on_reading,
    rounding_refused,
    semicolon_columns,
    separator_refused,
)
from aimsctl.vocabulary import is_placeholder
from aimsctl.yamlsafe import MAX_BYTES

if TYPE_CHECKING:
    from aimsctl.repository import Repository

# The most rows one observations file may hold; the rest are not read.
MAX_ROWS = 100_000
HEADERS = (("on", "value"), ("on", "value", "note"))
# A plain decimal number as a CSV cell holds it (ASCII digits, no thousands separators).
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

# Stages at which a system is tested (validation) or used (production).
EVALUATED_STAGES = ("validation", "production")

# Reporting deadlines of EU AI Act Art. 73 for a serious incident, in days from its
# detection: 2 for a widespread infringement or a serious incident in critical
# infrastructure (73(3)), 10 for a death (73(4)), 15 otherwise (73(2)).
ART73_DAYS = {"widespread": 2, "critical-infrastructure": 2, "death": 10}
ART73_OTHERWISE = 15


# --- observations -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """One observation: inline (``index`` into ``observations``) or a CSV row (``line``)."""

    on: date
    value: float
    note: str | None
    line: int | None = None
    index: int | None = None


# What kept an observation from being used, in a few words: a long list of unusable
# rows is summed up by these (monitor check shows the first rows, then the count).
WRONG_COLUMNS = "with the wrong number of columns"
BAD_DATE = "with no date YYYY-MM-DD"
BAD_VALUE = "with a value that is no number"
NOT_CSV = "that cannot be read as CSV, the rest not read"
TOO_MANY = f"past the first {MAX_ROWS:,} rows, the rest not read"
AHEAD = "dated after the as-of date"


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    message: str
    kind: str = ""  # one of the kinds above


@dataclass(frozen=True)
class Series:
    """A monitor's observations, oldest first, and what kept any of them from being read.

    ``unusable`` says why the file could not be read at all (a bad path, an
    undecodable file, a missing header); ``problems`` are rows that could not be read.
    """

    monitor: Monitor
    points: tuple[Point, ...]
    path: str | None = None
    unusable: str | None = None
    problems: tuple[RowProblem, ...] = ()

    def until(self, as_of: date) -> list[Point]:
        """The observations on or before ``as_of``: a later one has not happened yet."""
        return [point for point in self.points if point.on <= as_of]

    def ahead(self, as_of: date) -> list[Point]:
        return [point for point in self.points if point.on > as_of]

    @property
    def rest_not_read(self) -> bool:
        """Whether reading stopped before the file's end (past ``MAX_ROWS`` rows, or at
        a row that is no CSV): how many more rows cannot be used is not known."""
        return any(problem.kind in (TOO_MANY, NOT_CSV) for problem in self.problems)

    def unused(self, as_of: date) -> list[str]:
        """Where each observation that cannot be used as of ``as_of`` is written, in the
        order written (``file.csv:7`` or an entry): see :meth:`unused_why`."""
        return [where for where, _ in self.unused_why(as_of)]

    def unused_why(self, as_of: date) -> list[tuple[str, str]]:
        """(where, why) of :meth:`unused_kinds`."""
        return [(where, why) for where, why, _ in self.unused_kinds(as_of)]

    def unused_kinds(self, as_of: date) -> list[tuple[str, str, str]]:
        """(where, why) for each observation that cannot be used as of ``as_of``, in the
        order written: the rows that cannot be read and the observations dated after
        ``as_of``, which cannot have been observed yet (AIMS708 for a file row, AIMS508
        inline). Any of them may be the latest observation, or a breach, so a monitor
        with one is unreadable in part, never current: the one judgement `monitor
        check`, `due`, the reports, readiness and obligations share. Each with its
        kind (``WRONG_COLUMNS``, ``AHEAD``...)."""
        rows = [
            (problem.line, f"{self.path}:{problem.line}", problem.message, problem.kind)
            for problem in self.problems
        ]
        rows += [
            (
                point.line if point.line is not None else point.index or 0,
                self.where(point),
                f"on is {point.on}, after the as-of date {as_of}",
                AHEAD,
            )
            for point in self.ahead(as_of)
        ]
        return [row[1:] for row in sorted(rows, key=lambda row: row[0])]

    def where(self, point: Point) -> str:
        """Where an observation is written, for a message: ``file.csv:7`` or an entry."""
        if point.line is not None:
            return f"{self.path}:{point.line}"
        assert point.index is not None
        return f"observations entry {point.index + 1}"


@lru_cache(maxsize=32)
def parse_observations(raw: bytes) -> tuple[tuple[Point, ...], str | None, tuple[RowProblem, ...]]:
    """The rows of an observations CSV: (points in file order, why the file is unusable,
    the rows that cannot be read)."""
    if len(raw) > MAX_BYTES:
        return (), f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it by period", ()
    if lfs_pointer(raw):
        return (), LFS_NOT_PULLED, ()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return (), f"is not UTF-8 text (line {line}); save it as UTF-8", ()
    points: list[Point] = []
    problems: list[RowProblem] = []
    # Lines end at \n, \r or \r\n only, as in an editor (not at the Unicode line
    # separators str.splitlines knows). Strict: an unclosed quote is an error, not a
    # note that swallows the rows after it, breaches included.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    read = 0
    header: tuple[str, ...] | None = None
    try:
        for row in reader:
            line, read = read + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = tuple(cell.strip() for cell in row)
            if header is None and line == 1 and (separator := declared_separator(cells)):
                if separator == ",":
                    continue  # `sep=,`, as a spreadsheet may write it above the header
                return (), f"{separator_refused(separator)} (line 1)", ()
            if header is None:
                # Names in any letter case, as eval import reads metric,value.
                names = tuple(cell.casefold() for cell in cells)
                if names not in HEADERS:
                    shown = ",".join(row)  # as written, spaces and letter case kept
                    return (
                        (),
                        f"must start with the header row on,value or on,value,note, not "
                        f"{shown[:60]!r} (line {line}){semicolon_columns(cells)}",
                        (),
                    )
                header = names
                continue
            if len(points) + len(problems) >= MAX_ROWS:
                problems.append(
                    RowProblem(line, f"more than {MAX_ROWS} rows; the rest are not read", TOO_MANY)
                )
                break
            point, problem = _row(cells, header, line)
            if point is not None:
                points.append(point)
            else:
                assert problem is not None
                problems.append(problem)
    except csv.Error as error:
        problems.append(
            RowProblem(
                read + 1,
                f"cannot be read as CSV: {csv_problem(error)}; the rest is not read",
                NOT_CSV,
            )
        )
    if header is None:
        return (), "is empty: it needs the header row on,value or on,value,note", ()
    return tuple(points), None, tuple(problems)


def _row(
    cells: tuple[str, ...], header: tuple[str, ...], line: int
) -> tuple[Point | None, RowProblem | None]:
    if len(cells) != len(header):
        columns = f"has {plural(len(cells), 'column')} where the header {','.join(header)} has"
        return None, RowProblem(line, f"{columns} {len(header)}", WRONG_COLUMNS)
    on_text, value_text = cells[0], cells[1]
    if not ISO_DATE.fullmatch(on_text):
        written = f"on must be a date written YYYY-MM-DD, not {on_text[:40]!r}"
        return None, RowProblem(line, written + meant_date(on_text), BAD_DATE)
    try:
        on = date.fromisoformat(on_text)
    except ValueError:
        return None, RowProblem(line, f"on {on_text!r} is not a real calendar date", BAD_DATE)
    value = number_from_text(value_text)
    if isinstance(value, str):
        return None, RowProblem(line, f"value {value}", BAD_VALUE)
    note = cells[2] if len(cells) > 2 and cells[2] else None
    return Point(on, value, note, line=line), None


def number_from_text(text: str) -> float | str:
    """A finite number from a CSV cell (monitor observations, evaluation results), or
    why it is not one."""
    if not NUMBER.fullmatch(text):
        return f"must be a plain number, not {text[:40]!r}{number_advice(text)}"
    value = float(text)
    if not math.isfinite(value):
        return f"{text[:40]!r} is too large"
    if read_as_zero(text, value):
        return f"{text[:40]!r} is too close to zero to be held: it would be read as 0"
    # A whole number, also written with a point and zeros (9007199254740993.0): one
    # the float would hold as its neighbour is refused, not rounded, in its own words.
    whole = written_whole(text)
    if whole is not None and (why := inexact_whole(whole)) is not None:
        return why
    if (held := rounded_on_reading(text, value)) is not None:
        return rounding_refused(repr(text[:40]), held)
    return value


def written_whole(text: str) -> int | None:
    """The whole number ``text`` writes in digits, with or without a point and zeros
    after it (``12``, ``-12.0``, ``12.``); None for anything else (a fraction, an
    exponent), and for more than 309 digits: past every float, such a number is read
    as infinite, and so too large (never converted: Python refuses 4,300 digits)."""
    sign, digits = ("-", text[1:]) if text[:1] in "+-" else ("", text)
    if "." in digits:
        digits = digits.rstrip("0").removesuffix(".")
    if not digits.isdigit() or not digits.isascii():
        return None
    digits = digits.lstrip("0") or "0"
    if len(digits) > 309:
        return None
    whole = int(digits)
    return -whole if sign == "-" and text[0] == "-" else whole


def inexact_whole(whole: int) -> str | None:
    """Why the whole number ``whole`` cannot be recorded as it is (None when it can):
    a record holds every number as a 64-bit float, so a whole number beyond
    EXACT_WHOLE would be kept, and judged against a threshold, as a neighbouring one.
    Refused, as the record model refuses it in a record."""
    if abs(whole) <= EXACT_WHOLE:
        return None
    digits = len(str(abs(whole)))
    shown = str(whole) if digits <= 40 else f"a whole number of {digits} digits"
    return (
        f"{shown} is beyond ±2**53 ({EXACT_WHOLE}): a number is held as a 64-bit float, "
        "which cannot hold every whole number that large exactly; give it in larger units"
    )


def observations_path_problem(repo: Repository, path: str) -> str | None:
    """Why ``observations_file`` cannot be read (None when it can be)."""
    if is_url(path):
        return f"path {path!r} is a link; observations must be a file in the repository"
    return path_problem(repo, path)


def read_series(repo: Repository, monitor: Monitor) -> Series:
    """The monitor's observations, oldest first (inline, or read from its CSV file),
    read once per load of the repository (:attr:`Repository.series`)."""
    found = repo.series.get(monitor.id)
    if found is not None and found.monitor is monitor:
        return found
    series = _read_series(repo, monitor)
    repo.series[monitor.id] = series
    return series


def _read_series(repo: Repository, monitor: Monitor) -> Series:
    path = monitor.observations_file
    if path is None:
        inline = [Point(o.on, o.value, o.note, index=i) for i, o in enumerate(monitor.observations)]
        return Series(monitor, tuple(sorted(inline, key=lambda p: p.on)))
    raw, problem = _observations_bytes(repo, path)
    if raw is None:
        return Series(monitor, (), path, problem)
    points, unusable, problems = parse_observations(raw)
    if unusable is not None and _not_text(raw) and not _at_a_revision(repo):
        # git may write the file in another encoding on checkout: then saving it as
        # UTF-8 would not last, and the message names the attribute instead
        advice = checkout_encoding_advice(
            repo.root,
            posixpath.normpath(path),
            shown=posixpath.normpath(path),
            read="observations are read",
            files="the CSV files",
        )
        unusable = unusable if advice is None else f"is not UTF-8 text: {advice}"
    return Series(monitor, tuple(sorted(points, key=lambda p: p.on)), path, unusable, problems)


def _not_text(raw: bytes) -> bool:
    """Whether ``raw`` is not UTF-8 text, or holds a NUL (UTF-16 without a byte-order
    mark, say)."""
    try:
        return "\x00" in raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True


def _at_a_revision(repo: Repository) -> bool:
    """Whether ``repo`` was read from a git revision or the index, whose files git keeps
    as it stores them, not as a checkout converts them."""
    return repo.source is not None and not isinstance(repo.source, WorkingTree)


def _observations_bytes(repo: Repository, path: str) -> tuple[bytes | None, str | None]:
    """The bytes of an observations file, or None and why they cannot be read."""
    problem = observations_path_problem(repo, path)
    if problem is not None:
        return None, problem
    source = repo.source if repo.source is not None else WorkingTree(repo.root)
    raw, unreadable = source.read(posixpath.normpath(path))
    if raw is None:
        why = unreadable.message if unreadable is not None else "it cannot be read"
        return None, f"cannot be read: {why}"
    return raw, None


def same_observations(first: Repository, second: Repository, monitor: Monitor) -> bool:
    """Whether ``monitor`` (one record in both repositories) reads the same observations
    in both: written inline, or its file holds the same bytes in each. Cheaper than
    reading them: nothing is parsed."""
    path = monitor.observations_file
    if path is None:
        return True
    raw, _ = _observations_bytes(first, path)
    return raw is not None and raw == _observations_bytes(second, path)[0]


# --- breaches and staleness ---------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """A run of consecutive observations outside the threshold: one breach to act on."""

    points: tuple[Point, ...]

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def last(self) -> Point:
        return self.points[-1]


def breaches(series: Series, as_of: date) -> list[Breach]:
    """Every breach of the monitor's threshold up to ``as_of``, oldest first."""
    threshold = series.monitor.threshold
    found: list[Breach] = []
    run: list[Point] = []
    for point in series.until(as_of):
        if threshold.admits(point.value):
            if run:
                found.append(Breach(tuple(run)))
                run = []
        else:
            run.append(point)
    if run:
        found.append(Breach(tuple(run)))
    return found


def follow_up(repo: Repository, monitor: Monitor, breach: Breach) -> str | None:
    """What answered a breach, in words, or None when nothing did.

    ``on_breach: incident``: an Incident naming the monitor's system, detected on or
    after the breach began. ``risk-review``: a Risk of the system reviewed on or
    after that day. ``notify``: a note on one of the breaching observations (who was
    told). Without ``on_breach`` any of the three answers it.
    """
    start = breach.first.on
    wanted = [monitor.on_breach] if monitor.on_breach else ["incident", "risk-review", "notify"]
    for kind in wanted:
        if kind == "incident":
            incidents = sorted(
                (
                    i
                    for i in repo.of_kind(Incident)
                    if monitor.system in i.systems and start <= i.detected <= repo.as_of
                ),
                key=lambda i: (i.detected, i.id),
            )
            if incidents:
                return f"incident {incidents[0].id}, detected on {incidents[0].detected}"
        elif kind == "risk-review":
            reviewed = sorted(
                (r.reviewed.on, r.id)
                for r in risks_reviewed_since(repo, monitor.system, start)
                if r.reviewed is not None
            )
            if reviewed:
                return f"the review of risk {reviewed[0][1]} on {reviewed[0][0]}"
        else:
            # A note that says something: not blank, `-` or a `TODO:` still to write.
            noted = next((p for p in breach.points if _says_who(p.note)), None)
            if noted is not None:
                return f"a note on {noted.on}: {noted.note}"
    return None


def _says_who(note: str | None) -> bool:
    """Whether an observation's note can say who was told: some words, not a `TODO:`."""
    return note is not None and has_words(note) and not is_placeholder(note)


# What each `on_breach` asks for, in a message.
FOLLOW_UP_WANTED = {
    "incident": "an Incident naming the system, detected on or after the breach began",
    "risk-review": "a review of one of the system's risks (reviewed.on) on or after the "
    "breach began",
    "notify": "a note on the breaching observation saying who was told",
    None: "an Incident, a review of one of the system's risks, or a note saying who was "
    "told (the monitor sets no on_breach)",
}
# The kinds of record each `on_breach` is answered by: a note is written on the
# monitor's own observation, so no other record can hold it.
FOLLOW_UP_KINDS: dict[str | None, tuple[str, ...]] = {
    "incident": (Incident.KIND,),
    "risk-review": (Risk.KIND,),
    "notify": (),
    None: (Incident.KIND, Risk.KIND),
}


def follow_up_note(repo: Repository, monitor: Monitor) -> str:
    """ "INC-8 fails validation and may be the one that followed": the records of a kind
    that answers ``monitor``'s breaches (FOLLOW_UP_KINDS) that fail validation or whose
    kind or id cannot be read, one of which may be the follow-up not found; "" when
    there are none. AIMS705 and `monitor check` say it of a breach nothing answered."""
    kinds = FOLLOW_UP_KINDS[monitor.on_breach]
    return unjudged_note(repo, kinds, "that followed") if kinds else ""


@dataclass(frozen=True)
class Freshness:
    """How recent a monitor's latest observation is."""

    latest: Point | None
    due: date | None  # when the next observation is due
    stale_after: date | None  # twice the interval after the latest observation
    stale: bool
    # The next observation is owed and missing: its due date is before the as-of date
    # (as `aimsctl due` calls it overdue). Stale is late by more than one interval.
    late: bool


def freshness(series: Series, as_of: date) -> Freshness:
    points = series.until(as_of)
    every = series.monitor.every_days
    if not points:
        return Freshness(None, None, None, True, True)
    # Of several observations on the latest day (no time of day tells them apart), one
    # outside the threshold: the conservative reading, as AIMS705 reports it anyway.
    threshold = series.monitor.threshold
    last_day = [point for point in points if point.on == points[-1].on]
    latest = next(
        (point for point in reversed(last_day) if not threshold.admits(point.value)),
        last_day[-1],
    )
    due = add_days(latest.on, every)
    stale_after = add_days(latest.on, 2 * every)
    return Freshness(latest, due, stale_after, as_of > stale_after, as_of > due)


def why_stopped(series: Series, as_of: date) -> str | None:
    """Why a monitor's monitoring has stopped, in the words `aimsctl obligations` and
    the readiness report use: its observations cannot be read, or some cannot be used
    (unreadable rows, or dated after the as-of date: AIMS708, AIMS508), or it is stale
    (AIMS704: no observation within twice ``every_days``, or none at all); None while
    it is observed. Whether its system still runs (``watched``) is the caller's to ask."""
    monitor = series.monitor
    if series.unusable is not None:
        return f"the observations of Monitor {monitor.id} cannot be read"
    unused = series.unused(as_of)
    if unused:  # one not read may be the latest, or a breach (AIMS708, AIMS508)
        return (
            f"{plural(len(unused), 'observation')} of Monitor {monitor.id} "
            f"cannot be used (the first at {unused[0]})"
        )
    fresh = freshness(series, as_of)
    if not fresh.stale:
        return None
    since = (
        f"its latest observation is of {fresh.latest.on}"
        if fresh.latest is not None
        else "it has no observation"
    )
    return (
        f"Monitor {monitor.id} is stale: {since}, and one is due every "
        f"{plural(monitor.every_days, 'day')}"
    )


def watched(repo: Repository, monitor: Monitor) -> bool:
    """Whether the monitor's system still runs: a retired system's monitors rest."""
    entry = repo.entries.get(monitor.system)
    if entry is None or not isinstance(entry.record, AISystem):
        return True
    return entry.record.stage != "retired"


def monitors_by_system(repo: Repository) -> dict[str, list[Monitor]]:
    grouped: dict[str, list[Monitor]] = defaultdict(list)
    for monitor in repo.of_kind(Monitor):
        grouped[monitor.system].append(monitor)
    return grouped


def monitoring_asked(repo: Repository) -> list[tuple[AISystem, list[Monitor]]]:
    """Each system in production whose tier asks for monitoring, with the monitors
    that name it: one with none is what AIMS703 reports, and the reports name it."""
    monitored = monitors_by_system(repo)
    return [
        (system, monitored.get(system.id, []))
        for system in repo.of_kind(AISystem)
        if system.stage == "production" and repo.config.policy(repo.tiers[system.id]).monitoring
    ]


# --- evaluations --------------------------------------------------------------------


def evaluations_by_system(repo: Repository) -> dict[str, list[Evaluation]]:
    """Each system's evaluations performed by the as-of date, oldest first; those of one
    day in id order, numbers by value (`...-9` before `...-10`), as of_kind gives them:
    the later of one day is the later one."""
    grouped: dict[str, list[Evaluation]] = defaultdict(list)
    done = [e for e in repo.of_kind(Evaluation) if e.performed.on <= repo.as_of]
    for evaluation in sorted(done, key=lambda e: e.performed.on):  # stable: ids stay in order
        grouped[evaluation.system].append(evaluation)
    return grouped


def latest_measurements(done: list[Evaluation]) -> list[tuple[Evaluation, int]]:
    """Each metric's latest measurement against a threshold (per name and group) among
    ``done``, a system's evaluations oldest first: the evaluation and the metric's index
    in it, in the order measured. A later evaluation of other metrics leaves a metric's
    verdict as it was, and so does a later measurement with no threshold: it is
    informational (records-v2) and judges nothing, so it cannot settle a failure."""
    measured: dict[tuple[str, str], tuple[int, int]] = {}
    for position, evaluation in enumerate(done):
        for index, metric in enumerate(evaluation.metrics):
            if metric.threshold is not None:
                measured[metric.key] = (position, index)
    return [(done[position], index) for position, index in sorted(measured.values())]


@dataclass(frozen=True)
class EvaluationDue:
    """When a system in validation or production next needs a passing evaluation."""

    days: int  # the tier's `evaluation_days`
    last_passed: Evaluation | None

    @property
    def due(self) -> date | None:
        """The last pass plus the interval; None when none ever passed (due now)."""
        last = self.last_passed
        return add_days(last.performed.on, self.days) if last is not None else None

    def overdue(self, as_of: date) -> bool:
        due = self.due
        return due is None or due < as_of


def evaluation_due(
    repo: Repository, system: AISystem, done: list[Evaluation]
) -> EvaluationDue | None:
    """The evaluation ``system`` owes under its tier (``done``: its evaluations, oldest
    first); None when its stage or tier asks for none. One that still holds a
    placeholder (AIMS107) passed nothing anyone measured and is not counted."""
    days = repo.config.policy(repo.tiers[system.id]).evaluation_days
    if days is None or system.stage not in EVALUATED_STAGES:
        return None
    passed = [e for e in done if e.passed and not still_unwritten(repo, e)]
    return EvaluationDue(days, passed[-1] if passed else None)


def metrics_by_key(previous: Evaluation | None) -> dict[tuple[str, str], Metric]:
    """Each measurement (name and group) of an earlier evaluation, the first where it
    repeats one: what a metric is compared with (``.get(metric.key)``). Made once per
    evaluation, not a scan of its metrics per metric, which took a time quadratic in
    the metrics of one evaluation."""
    found: dict[tuple[str, str], Metric] = {}
    for metric in previous.metrics if previous is not None else ():
        found.setdefault(metric.key, metric)
    return found


def trend(metric: Metric, before: Metric | None) -> str:
    """``better``, ``worse``, ``same``, ``up`` or ``down`` against the earlier value;
    empty when there is none. Better and worse follow a one-sided threshold."""
    if before is None:
        return ""
    if metric.value == before.value:
        return "same"
    up = metric.value > before.value
    direction = metric.threshold.direction() if metric.threshold is not None else 0
    if direction == 0:
        return "up" if up else "down"
    return "better" if up == (direction > 0) else "worse"


def open_trackers(repo: Repository, system_id: str, metric: Metric) -> list[str]:
    """The records in the metric's ``tracked_by`` that take it up: a Risk of the system
    that is not closed, or a Nonconformity that is not closed."""
    found: list[str] = []
    for record_id in dict.fromkeys(metric.tracked_by):
        entry = repo.entries.get(record_id)
        if entry is None:
            continue
        record = entry.record
        if isinstance(record, Risk):
            if record.status != "closed" and system_id in record.systems:
                found.append(record_id)
        elif record.kind == "Nonconformity" and getattr(record, "status", None) != "closed":
            found.append(record_id)
    return found


# --- incidents ----------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """The EU AI Act Art. 73 report a serious incident needs, and where it stands."""

    days: int
    due: date
    report_on: date | None  # the first report to an authority
    report_index: int | None
    systems: tuple[str, ...]  # the high-risk systems Northwind provides that it involves
    # With ``with_invalid``, where none is found: its systems that failed validation, so
    # whether the article applies cannot be told.
    unjudged: tuple[str, ...] = ()

    @property
    def met(self) -> bool:
        return self.report_on is not None and self.report_on <= self.due

    @property
    def unjudged_note(self) -> str:
        """ "SYS-A fails validation, so whether the article applies could not be judged",
        or "" where it was judged."""
        if not self.unjudged:
            return ""
        failing = failing_validation(self.unjudged)
        return f"{failing}, so whether the article applies could not be judged"

    def late(self, as_of: date) -> bool:
        """Reported after the deadline, or not reported and the deadline has passed."""
        if self.report_on is not None:
            return self.report_on > self.due
        return as_of > self.due


def art73_systems(repo: Repository, incident: Incident) -> tuple[str, ...]:
    """The incident's systems that are high-risk under the EU AI Act with the
    organization as their provider."""
    found: list[str] = []
    for system_id in dict.fromkeys(incident.systems):
        entry = repo.entries.get(system_id)
        if entry is None or not isinstance(entry.record, AISystem):
            continue
        regulation = entry.record.regulation
        if regulation is not None and (regulation.eu_ai_act, regulation.eu_role) == (
            "high",
            "provider",
        ):
            found.append(system_id)
    return tuple(found)


def art73_deadline(
    repo: Repository, incident: Incident, with_invalid: bool = False
) -> Deadline | None:
    """The Art. 73 reporting deadline of a serious incident on a high-risk system the
    organization provides; None where the article does not apply. ``with_invalid``:
    also where none of its systems is found so but one failed validation (`due`, which
    lists what it cannot rule out rather than drop it), naming those in ``unjudged``."""
    if not incident.serious:
        return None
    systems = art73_systems(repo, incident)
    unjudged: tuple[str, ...] = ()
    if not systems and with_invalid:
        # A record that failed validation keeps its id and, where it was read, its kind.
        unjudged = tuple(
            system_id
            for system_id in dict.fromkeys(incident.systems)
            if system_id in repo.invalid and repo.invalid[system_id] in (AISystem.KIND, None)
        )
    if not systems and not unjudged:
        return None
    days = ART73_DAYS.get(incident.serious_kind or "other", ART73_OTHERWISE)
    due = add_days(incident.detected, days)
    # A report dated before the detection cannot be this incident's, and one `to` a
    # `TODO:` placeholder went to nobody yet (AIMS107): neither is counted.
    reports = sorted(
        (report.on, index)
        for index, report in enumerate(incident.reports)
        if report.to_authority
        and incident.detected <= report.on <= repo.as_of
        and not is_placeholder(report.to)
    )
    first = reports[0] if reports else None
    return Deadline(
        days,
        due,
        first[0] if first else None,
        first[1] if first else None,
        systems,
        unjudged,
    )


def risks_reviewed_since(repo: Repository, system_id: str, since: date) -> list[Risk]:
    """The system's risks reviewed on or after ``since`` (and by the as-of date, by
    someone: a `TODO:` reviewer held no review)."""
    return [
        risk
        for risk in repo.risks_by_system.get(system_id, [])
        if risk.reviewed is not None
        and since <= risk.reviewed.on
        and risk.reviewed.counts(repo.as_of)
    ]


def unsigned_reviews_since(repo: Repository, system_id: str, since: date) -> str:
    """Why the system's risks reviewed since ``since`` by a `TODO:` name do not count
    (AIMS107), for a finding to say; "" when none is."""
    return "; ".join(
        unsigned_note(risk.id, "reviewed.by", "reviewed")
        for risk in repo.risks_by_system.get(system_id, [])
        if risk.reviewed is not None
        and since <= risk.reviewed.on <= repo.as_of
        and is_placeholder(risk.reviewed.by)
    )
