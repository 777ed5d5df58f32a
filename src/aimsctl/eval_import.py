"""`aimsctl eval import`: an Evaluation record made from a machine-readable results file.

The results file is what an ML team's pipeline already writes, in one of two shapes
(docs/monitoring.md):

* CSV, UTF-8, a header row starting ``metric,value`` and then, in any order, any of
  ``group``, ``dimension``, ``threshold_min``, ``threshold_max``, ``note`` and
  ``tracked_by`` (record ids separated by spaces); one row per measurement.
* JSON: ``{"model_version", "data", "metrics": [{"name", "value", "dimension",
  "group", "threshold": {"min", "max"}, "note", "tracked_by"}]}``, everything but
  ``metrics`` and each metric's ``name`` and ``value`` optional.

What the file leaves out of a measurement (the same ``name`` and ``group``) is taken
from the most recent earlier evaluation of the system that measured it: the
dimension, the threshold, and, for a value that fails, the records that track the
failure (``tracked_by``). The record is placed where the repository keeps its
Evaluations, checked like every write (:mod:`aimsctl.writing`), and refused when the
repository would gain an error. The file is untrusted: every problem is reported at
once, each at ``file:line`` (a CSV row at its line, a JSON value at the line it
starts on), never a traceback. Nothing here prints.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from aimsctl import writing, yamlsafe
from aimsctl.errors import UsageError
from aimsctl.formats import Choices
from aimsctl.records import AISystem, Evaluation
from aimsctl.records.evaluation import Metric, Threshold
from aimsctl.rules.measurements import (
    evaluations_by_system,
    inexact_whole,
    metrics_by_key,
    number_from_text,
    trend,
)
from aimsctl.text import (
    csv_problem,
    declared_separator,
    is_text,
    number_text,
    plural,
    printable,
    read_as_zero,
    semicolon_columns,
    separator_refused,
)
from aimsctl.validation_messages import ID_PATTERN, did_you_mean
from aimsctl.vocabulary import PLACEHOLDER, MetricDimension

if TYPE_CHECKING:
    from aimsctl.diagnostics import Diagnostic
    from aimsctl.repository import Repository

MAX_BYTES = yamlsafe.MAX_BYTES  # a results file larger than a record file is refused
MAX_METRICS = 1_000  # measurements in one file; an Evaluation is read by people
DIMENSIONS: tuple[str, ...] = typing.get_args(MetricDimension)
STAGES: tuple[str, ...] = typing.get_args(Evaluation.model_fields["stage"].annotation)
DEFAULT_STAGE = "periodic"
REQUIRED_COLUMNS = ("metric", "value")
OPTIONAL_COLUMNS = ("group", "dimension", "threshold_min", "threshold_max", "note", "tracked_by")
TOP_KEYS = ("model_version", "data", "metrics")
METRIC_KEYS = ("name", "value", "dimension", "group", "threshold", "note", "tracked_by")
_ID = re.compile(ID_PATTERN)


# --- reading the results file ---------------------------------------------------------


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
        return self.name, self.group or ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.group})" if self.group else self.name


@dataclass(frozen=True)
class Results:
    """What a results file holds."""

    metrics: tuple[Given, ...]
    model_version: str | None = None
    data: str | None = None


class _Problems:
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
        lines = [
            f"{self.shown}:{line}: {message}" if line else f"{self.shown}: {message}"
            for line, message in sorted(self.found, key=lambda found: found[0])
        ]
        count = plural(len(self.found), "problem")
        raise UsageError("\n".join([*lines, f"{self.shown}: {count}; nothing was written"]))


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        info = os.stat(path)
    except OSError as error:
        raise UsageError(f"{shown}: cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{shown}: is not a file; give the results file (.csv or .json)")
    if info.st_size > MAX_BYTES:
        raise UsageError(
            f"{shown}: is larger than {MAX_BYTES // (1024 * 1024)} MiB; a results file holds "
            f"the measurements of one evaluation (at most {MAX_METRICS:,})"
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{shown}: cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{shown}: is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return raw


def _decode(raw: bytes, path: Path, shown: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = _not_text(path, shown) or "is not UTF-8 text; save it as UTF-8"
        raise UsageError(f"{shown}:{line}: {problem}") from None
    if "\x00" in text:  # UTF-16 without a byte-order mark, say
        line = text[: text.index("\x00")].count("\n") + 1
        problem = _not_text(path, shown) or "holds a NUL character: this is not a text file"
        raise UsageError(f"{shown}:{line}: {problem}")
    return text


def _not_text(path: Path, shown: str) -> str | None:
    """Where git writes the results file in another encoding on checkout, the attribute
    that does it (saving the file as UTF-8 would not last); None otherwise."""
    from aimsctl.loader import checkout_encoding_advice

    where = path.absolute()
    advice = checkout_encoding_advice(
        where.parent,
        where.name,
        shown=shown,
        read="results files are read",
        files=f"the {path.suffix.casefold()} files",
    )
    return None if advice is None else f"is not UTF-8 text: {advice}"


def read_results(path: Path, shown: str) -> Results:
    """The measurements of a results file, by its suffix (``.csv`` or ``.json``).
    UsageError listing every problem, each at its line."""
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".json"):
        # A folder (RESULTS and REPO swapped, or RESULTS left out) or a name without an
        # extension was told 'not none'.
        if path.is_dir():
            problem = "is a folder"
        elif not path.suffix:
            problem = "has no extension"
        else:
            problem = f"ends in {path.suffix}"
        raise UsageError(f"{shown}: {problem}; give a results file ending in .csv or .json")
    text = _decode(_read_bytes(path, shown), path, shown)
    return parse_csv(text, shown) if suffix == ".csv" else parse_json(text, shown)


def _ids(text: str) -> tuple[tuple[str, ...], str | None]:
    ids = tuple(dict.fromkeys(text.replace(",", " ").split()))
    bad = [record_id for record_id in ids if not _ID.fullmatch(record_id)]
    if bad:
        return (), f"tracked_by {bad[0][:40]!r} is not a record id"
    return ids, None


def _dimension(text: str) -> str | None:
    """Why ``text`` is no dimension, or None."""
    if text in DIMENSIONS:
        return None
    hint = did_you_mean(text, list(DIMENSIONS)) or f"; use one of {', '.join(DIMENSIONS)}"
    return f"dimension {text[:40]!r} is not a dimension{hint}"


def _threshold(low: float | None, high: float | None) -> Threshold | str | None:
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        return (
            f"threshold min {number_text(low)} is greater than max {number_text(high)}; "
            "a value passes when min <= value <= max"
        )
    return Threshold(min=low, max=high)


def parse_csv(text: str, shown: str) -> Results:
    """A CSV results file: a header row ``metric,value[,...]``, one row per metric."""
    problems = _Problems(shown)
    # Strict: an unclosed quote is an error, not a field that swallows the rows after it.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    header: tuple[str, ...] | None = None
    metrics: list[Given] = []
    read = 0
    try:
        for row in reader:
            line, read = read + 1, reader.line_num
            cells = tuple(cell.strip() for cell in row)
            if not any(cells):
                continue
            if header is None and line == 1 and (separator := declared_separator(cells)):
                if separator == ",":
                    continue  # `sep=,`, as a spreadsheet may write it above the header
                problems.add(line, separator_refused(separator))
                break
            if header is None:
                header = _header(cells, line, problems)
                if header is None:
                    break
                continue
            if len(metrics) >= MAX_METRICS:
                problems.add(line, f"more than {MAX_METRICS:,} metrics; split the file")
                break
            given = _csv_row(cells, header, line, problems)
            if given is not None:
                metrics.append(given)
    except csv.Error as error:
        problems.add(read + 1, f"cannot be read as CSV: {csv_problem(error)}")
    if header is None and not problems.found:
        problems.add(None, "is empty: it needs a header row starting metric,value")
    if header is not None and not metrics and not problems.found:
        problems.add(None, "has a header row and no metrics")
    _duplicates(metrics, problems)
    problems.raise_any()
    return Results(tuple(metrics))


def _header(cells: tuple[str, ...], line: int, problems: _Problems) -> tuple[str, ...] | None:
    names = tuple(cell.casefold() for cell in cells)
    if names[:2] != REQUIRED_COLUMNS:
        shown = ",".join(cells)
        problems.add(
            line,
            f"must start with the header row metric,value[,...], not {shown[:60]!r}"
            f"{semicolon_columns(cells)}",
        )
        return None
    ok = True
    for name in names[2:]:
        if name not in OPTIONAL_COLUMNS:
            hint = did_you_mean(name, list(OPTIONAL_COLUMNS)) or (
                f"; the columns after metric,value are {', '.join(OPTIONAL_COLUMNS)}"
            )
            problems.add(line, f"column {name[:40]!r} is not known{hint}")
            ok = False
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.add(line, f"column {repeated[0]!r} appears twice")
        ok = False
    return names if ok else None


def _csv_row(
    cells: tuple[str, ...], header: tuple[str, ...], line: int, problems: _Problems
) -> Given | None:
    if len(cells) != len(header):
        problems.add(
            line,
            f"has {plural(len(cells), 'column')} where the header has {len(header)}",
        )
        return None
    row = dict(zip(header, cells, strict=True))
    bad = len(problems.found)
    name = row["metric"]
    if not name:
        problems.add(line, "metric is empty: name what was measured")
    value = number_from_text(row["value"])
    if isinstance(value, str):
        problems.add(line, f"value {value}")
    bounds: list[float | None] = []
    for column in ("threshold_min", "threshold_max"):
        cell = row.get(column, "")
        bound = number_from_text(cell) if cell else None
        if isinstance(bound, str):
            problems.add(line, f"{column} {bound}")
            bound = None
        bounds.append(bound)
    dimension = row.get("dimension") or None
    if dimension is not None and (why := _dimension(dimension)) is not None:
        problems.add(line, why)
    threshold = _threshold(*bounds)
    if isinstance(threshold, str):
        problems.add(line, threshold)
    tracked, why_not = _ids(row.get("tracked_by", ""))
    if why_not is not None:
        problems.add(line, why_not)
    if len(problems.found) > bad or isinstance(value, str) or isinstance(threshold, str):
        return None
    return Given(
        name=name,
        value=value,
        line=line,
        group=row.get("group") or None,
        dimension=dimension,
        threshold=threshold,
        note=row.get("note") or None,
        tracked_by=tracked,
    )


def _duplicates(metrics: list[Given], problems: _Problems) -> None:
    first: dict[tuple[str, str], Given] = {}
    for given in metrics:
        if given.key in first:
            earlier = first[given.key].line
            where = f" (line {earlier})" if earlier else ""
            problems.add(
                given.line,
                f"{given.label} is measured twice{where}: one value per metric and group",
            )
        else:
            first[given.key] = given


# JSON ------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} appears twice in one object")
        for text in (key, *(value if isinstance(value, list) else [value])):
            if isinstance(text, str) and not is_text(text):
                raise ValueError(
                    f"{key!r} holds half of a UTF-16 surrogate pair (an escape such as "
                    "\\ud800 without its partner), which is no character"
                )
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_float(text: str) -> float:
    """A JSON decimal number; one so close to zero that a float reads it as 0 is
    refused (in our words, as a hook's ValueError), never silently taken as 0."""
    number = float(text)
    if read_as_zero(text, number):
        raise ValueError(
            f"the number {text[:40]} is too close to zero to be held: it would be read as 0"
        )
    return number


def _json_int(text: str) -> int | float:
    """A JSON whole number, kept exact; one longer than 400 characters is past 1e308
    and so taken as an infinite float ("too large"), where int() would refuse more
    than 4,300 digits in Python's words."""
    return int(text) if len(text) <= 400 else float(text)


def _locator(text: str) -> Callable[[tuple[str | int, ...]], int | None]:
    """The line a JSON value starts on, read through yamlsafe (JSON is YAML)."""
    parsed = yamlsafe.parse(text)
    if parsed.problems or len(parsed.documents) != 1:
        return lambda parts: None
    node = yamlsafe.document_nodes(text, 1)[0]

    def line_of(parts: tuple[str | int, ...]) -> int | None:
        return yamlsafe.locate(node, parts, at_key=False)[0]

    return line_of


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def parse_json(text: str, shown: str) -> Results:
    """A JSON results file: ``{"metrics": [{"name", "value", ...}], ...}``."""
    problems = _Problems(shown)
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
    except json.JSONDecodeError as error:
        problems.add(error.lineno, f"is not JSON: {error.msg}")
        problems.fail()
    except RecursionError:
        problems.add(None, "cannot be used as JSON: its lists and objects nest too deeply")
        problems.fail()
    except ValueError as error:  # a duplicate key or NaN, raised by the hooks in our words
        problems.add(None, f"cannot be used as JSON: {error}")
        problems.fail()
    line_of = _locator(text)
    shape = '{"metrics": [{"name": ..., "value": ...}, ...]}'
    if not isinstance(data, dict):
        problems.add(1, f"must be a JSON object {shape}, not {_kind_of(data)}")
        problems.fail()
    _unknown(data, TOP_KEYS, (), line_of, problems)
    texts: dict[str, str | None] = {}
    for key in ("model_version", "data"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.add(line_of((key,)), f"{key} must be text, not {_kind_of(value)}")
        texts[key] = value.strip() if isinstance(value, str) and value.strip() else None
    raw = data.get("metrics")
    metrics: list[Given] = []
    if not isinstance(raw, list) or not raw:
        what = (
            "missing" if "metrics" not in data else "an empty list" if raw == [] else _kind_of(raw)
        )
        problems.add(line_of(("metrics",)), f"metrics must be a non-empty list {shape}: {what}")
    elif len(raw) > MAX_METRICS:
        problems.add(line_of(("metrics",)), f"more than {MAX_METRICS:,} metrics; split the file")
    else:
        for index, item in enumerate(raw):
            given = _json_metric(item, index, line_of, problems)
            if given is not None:
                metrics.append(given)
    _duplicates(metrics, problems)
    problems.raise_any()
    return Results(tuple(metrics), texts["model_version"], texts["data"])


def _unknown(
    data: dict[str, Any],
    known: tuple[str, ...],
    parts: tuple[str | int, ...],
    line_of: Callable[[tuple[str | int, ...]], int | None],
    problems: _Problems,
) -> None:
    where = _path(parts)
    for key in data:
        if key not in known:
            hint = did_you_mean(key, list(known)) or f"; known: {', '.join(known)}"
            problems.add(line_of((*parts, key)), f"{where}{key[:40]!r} is not a known key{hint}")


def _path(parts: tuple[str | int, ...]) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    return f"{text}: " if text else ""


def _json_number(value: Any) -> float | str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, not {_kind_of(value)}"
    try:
        number = float(value)
    except OverflowError:
        return "is too large"
    if not math.isfinite(number):
        return "is too large"
    return (inexact_whole(value) if isinstance(value, int) else None) or number


def _json_metric(
    item: Any,
    index: int,
    line_of: Callable[[tuple[str | int, ...]], int | None],
    problems: _Problems,
) -> Given | None:
    at: tuple[str | int, ...] = ("metrics", index)
    line = line_of(at)
    if not isinstance(item, dict):
        problems.add(line, f"metrics[{index}] must be an object, not {_kind_of(item)}")
        return None
    bad = len(problems.found)
    _unknown(item, METRIC_KEYS, at, line_of, problems)
    prefix = f"metrics[{index}]"
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(line, f"{prefix}.name must be the name of what was measured")
    value = _json_number(item.get("value"))
    if isinstance(value, str):
        problems.add(line_of((*at, "value")), f"{prefix}.value {value}")
    texts: dict[str, str | None] = {}
    for key in ("dimension", "group", "note"):
        text = item.get(key)
        if text is not None and not isinstance(text, str):
            problems.add(line_of((*at, key)), f"{prefix}.{key} must be text, not {_kind_of(text)}")
        texts[key] = text.strip() if isinstance(text, str) and text.strip() else None
    dimension = texts["dimension"]
    if dimension is not None and (why := _dimension(dimension)) is not None:
        problems.add(line_of((*at, "dimension")), f"{prefix}.{why}")
    threshold = _json_threshold(item.get("threshold"), (*at, "threshold"), line_of, problems)
    tracked: tuple[str, ...] = ()
    raw_ids = item.get("tracked_by")
    if raw_ids is not None:
        if not isinstance(raw_ids, list) or not all(isinstance(i, str) for i in raw_ids):
            problems.add(line_of((*at, "tracked_by")), f"{prefix}.tracked_by must be a list of ids")
        else:
            tracked, why_not = _ids(" ".join(raw_ids))
            if why_not is not None:
                problems.add(line_of((*at, "tracked_by")), f"{prefix}.{why_not}")
    if len(problems.found) > bad or not isinstance(name, str) or isinstance(value, str):
        return None
    return Given(
        name=name.strip(),
        value=value,
        line=line,
        group=texts["group"],
        dimension=dimension,
        threshold=threshold,
        note=texts["note"],
        tracked_by=tracked,
    )


def _json_threshold(
    raw: Any,
    at: tuple[str | int, ...],
    line_of: Callable[[tuple[str | int, ...]], int | None],
    problems: _Problems,
) -> Threshold | None:
    where = _path(at).rstrip(": ")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add(line_of(at), f'{where} must be an object {{"min": ..., "max": ...}}')
        return None
    bad = len(problems.found)
    _unknown(raw, ("min", "max"), at, line_of, problems)
    bounds: dict[str, float | None] = {}
    for key in ("min", "max"):
        bound = None if raw.get(key) is None else _json_number(raw[key])
        if isinstance(bound, str):
            problems.add(line_of((*at, key)), f"{where}.{key} {bound}")
            bound = None
        bounds[key] = bound
    threshold = _threshold(bounds["min"], bounds["max"])
    if isinstance(threshold, str):
        problems.add(line_of(at), f"{where}: {threshold}")
        return None
    if threshold is None and len(problems.found) == bad:
        problems.add(line_of(at), f"{where} must give min, max or both")
    return threshold


# --- the record ------------------------------------------------------------------------


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


@dataclass
class Imported:
    """An import planned: the record, where it goes, and how it compares."""

    record_id: str
    rel: str
    text: str
    record: dict[str, Any]
    system: str
    on: date
    previous: Evaluation | None
    rows: list[Row]
    change: writing.Change | None  # None: the results are recorded already
    dry_run: bool
    results: str | None  # the results file's path in the repository, if it lies there
    recorded: bool = False  # the same results are ``record_id`` already: nothing written

    @property
    def newly_failing(self) -> list[Row]:
        return [row for row in self.rows if row.newly_failing]


def _history(repo: Repository, system: str, on: date) -> list[Evaluation]:
    """The system's evaluations performed on or before ``on``, oldest first."""
    return [e for e in evaluations_by_system(repo).get(system, []) if e.performed.on <= on]


def _earlier(history: list[Evaluation], key: tuple[str, str]) -> tuple[Evaluation, Metric] | None:
    """The latest earlier measurement of ``key``, with its evaluation."""
    for evaluation in reversed(history):
        for metric in evaluation.metrics:
            if metric.key == key:
                return evaluation, metric
    return None


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


def _recorded_already(
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


def _check_system(repo: Repository, system: str) -> AISystem:
    entry = repo.entries.get(system)
    if entry is None or not isinstance(entry.record, AISystem):
        known = sorted(s.id for s in repo.of_kind(AISystem))
        hint = did_you_mean(system, known)
        raise UsageError(f"--system {system!r} is not an AISystem of the repository{hint}")
    return entry.record


def _record_id(repo: Repository, wanted: str | None, system: str, on: date) -> str:
    from aimsctl.authoring.new import free_place, ids_in_excluded_files, ids_in_unreadable_files

    taken = set(repo.entries) | set(repo.invalid) | set(ids_in_excluded_files(repo))
    taken |= ids_in_unreadable_files(repo)  # the records of a file once it is fixed
    if wanted is not None:
        if not _ID.fullmatch(wanted):
            raise UsageError(
                f"--id {wanted!r} is not a record id: letters, digits, '.', '_' and '-', "
                "starting with a letter or digit, at most 80 characters"
            )
        if wanted in taken:
            entry = repo.entries.get(wanted)
            where = f" ({entry.document.source.path})" if entry is not None else ""
            raise UsageError(
                f"--id {wanted!r} exists already{where}; choose another, or leave --id out"
            )
        return wanted
    base = f"EVAL-{system}-{on.isoformat()}"  # as `bias-audit --record` names its record
    if not _ID.fullmatch(base):
        raise UsageError(f"cannot make an Evaluation id from {system!r}; give one with --id ID")
    # A file may hold another id than its name says (EVAL-...-20.yaml holding another
    # record): the next id whose file does not exist yet is the free one.
    candidate, number = base, 1
    while candidate in taken or not free_place(repo, Evaluation, candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _results_rel(repo: Repository, path: Path) -> str | None:
    """The results file's repository-relative path, or None when it lies outside."""
    try:
        rel = path.resolve().relative_to(repo.root.resolve())
    except ValueError:
        return None
    return rel.as_posix()


def _metric(
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
        metric["threshold"] = {key: _value(bound) for key, bound in bounds.items()}
    if given.group is not None:
        metric["group"] = given.group
    if given.note is not None:
        metric["note"] = given.note
    if tracked:
        metric["tracked_by"] = tracked
    return metric, inherited


def _value(value: float) -> float | int:
    """An integral value written as an integer (``12``, not ``12.0``)."""
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def plan_import(
    repo: Repository,
    results_path: Path,
    system: str,
    *,
    on: date,
    by: str | None,
    stage: str = DEFAULT_STAGE,
    model_version: str | None = None,
    record_id: str | None = None,
    dry_run: bool = False,
    shown: str | None = None,
) -> Imported:
    """Plan the Evaluation made from ``results_path`` (nothing is written: commit
    ``change`` to keep it). UsageError for bad options or a results file that cannot
    be used; WriteRefused when the record, or the repository with it, would not be
    valid (a dry run skips the repository check)."""
    shown = shown or str(results_path)
    stage = Choices("--stage", STAGES).check(stage)
    if on > repo.as_of:
        raise UsageError(
            f"--on {on} is after the as-of date {repo.as_of}: an evaluation is recorded once "
            "it was performed"
        )
    if by is not None and not by.strip():
        raise UsageError("--by is empty: say who performed the evaluation")
    if by is None and not dry_run:
        raise UsageError(
            "say who performed the evaluation: --by WHO (a person, team or Role id); "
            "--dry-run shows the record without it"
        )
    if model_version is not None and not model_version.strip():
        raise UsageError("--model-version is empty")
    system_record = _check_system(repo, system)
    results = read_results(results_path, shown)
    results_rel = _results_rel(repo, results_path)
    named = results_rel or Path(shown).name  # what the record's description names
    if not is_text(named):
        raise UsageError(
            f"the file name {printable(named)} is not UTF-8, so the Evaluation record "
            "cannot name it; rename it using UTF-8 characters"
        )
    same = _recorded_already(
        repo,
        system,
        results,
        shown,
        on,
        results_rel,
        stage=stage,
        by=by,
        model_version=model_version,
        record_id=record_id,
    )
    recorded = same[0] if same else None
    if recorded is not None:
        on = recorded.performed.on
    # Compared, and its gaps filled, as when it was imported: without itself.
    history = [e for e in _history(repo, system, on) if e not in same]
    previous = history[-1] if history else None

    problems = _Problems(shown)
    metrics: list[dict[str, Any]] = []
    inherited: dict[tuple[str, str], list[str]] = {}
    for given in results.metrics:
        made = _metric(given, history, system)
        if isinstance(made, str):
            problems.add(given.line, made)
            continue
        metrics.append({**made[0], "value": _value(given.value)})
        inherited[given.key] = made[1]
    problems.raise_any()

    new_id = recorded.id if recorded is not None else _record_id(repo, record_id, system, on)
    version = model_version or results.model_version or system_record.version
    record = _record(
        new_id,
        system,
        stage,
        on,
        by,
        version,
        results,
        metrics,
        previous,
        results_rel,
        shown,
        any(inherited.values()),
    )
    rows = _rows(Evaluation.model_validate(record), previous, inherited)

    from aimsctl.authoring.canonical import canonical
    from aimsctl.authoring.new import _place, _scales, refuse_unportable

    if recorded is not None:
        rel = repo.entries[recorded.id].document.source.path
        text = canonical(writing.dump_all([_round_trip(record)]), rel)
        return Imported(
            new_id, rel, text, record, system, on, previous, rows, None, dry_run, results_rel, True
        )
    path, rel = _place(repo, Evaluation, new_id)
    refuse_unportable(repo.root, rel, "--id")
    writing.refuse_excluded(
        rel, repo.config.exclude, "an Evaluation", "keep an Evaluation in another folder first"
    )
    text = canonical(writing.dump_all([_round_trip(record)]), rel)
    change = writing.plan_create(path, text, rel, _scales(repo), root=repo.root)
    if not dry_run:
        _refuse_new_errors(repo, change, rel)
    return Imported(
        new_id, rel, text, record, system, on, previous, rows, change, dry_run, results_rel
    )


def _round_trip(record: dict[str, Any]) -> Any:
    """The record as round-trip nodes, each threshold a flow mapping (``{min: 0.8}``)
    as the records of the example write it."""
    node = writing.to_round_trip(record)
    for metric in node["metrics"]:
        if "threshold" in metric:
            metric["threshold"].fa.set_flow_style()
    return node


def _record(
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


def _rows(
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


def _describe(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.path}:{diagnostic.line}: {diagnostic.code} {diagnostic.message}"


def _refuse_new_errors(repo: Repository, change: writing.Change, rel: str) -> None:
    from aimsctl import codes

    errors = writing.new_errors(repo.root, repo.as_of, [change])
    if not errors:
        return
    lines = [f"{rel} would make the repository invalid; nothing was written:"]
    lines += [_describe(d) for d in errors]
    if any(d.code == codes.FAILING_METRIC_UNTRACKED for d in errors):
        lines.append(
            "name the open Risk or Nonconformity that takes up each failing metric: a "
            'tracked_by column (ids separated by spaces) in CSV, "tracked_by": [ids] in JSON'
        )
    raise writing.WriteRefused("\n".join(lines))
