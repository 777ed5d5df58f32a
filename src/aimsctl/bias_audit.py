"""The NYC Local Law 144 bias-audit computation: rates and impact ratios per category.

One row of the CSV is one person assessed by the tool. ``--outcome`` names a column
saying whether the person was selected (``1``/``0``, ``true``/``false``); ``--score``
names a numeric column instead, and a person counts as selected when the score is
strictly above the median score of every row of the file. Each ``--category``
column is one dimension; with two or more, every combination of two or more
columns is an intersectional dimension too (``sex x race``, categories ``Female x
Asian``). Per category: the count, the number selected, the rate (selected /
count), the share of the dimension's classified rows, and the impact ratio (the
rate over the highest rate among the categories of the same dimension that are
not excluded). A category whose share is below ``min_share`` is excluded from
impact ratios but keeps its counts. An empty value (after trimming spaces) is
``unknown`` for that column: the row counts in the dimension's unknowns and in no
category, rate or ratio of any dimension that includes the column.

The file is read as a stream with the ``csv`` module, row by row, keeping only
counts per combination of category values: memory does not grow with the rows.
Scoring needs the median first; it is found exactly in bounded memory (see
:class:`_Scores`), with at most one more pass over the file for most data. The CSV
is untrusted: every problem is a :class:`DataError` naming the line, never a
traceback. Nothing here prints.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import stat
import struct
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, Literal

from aimsctl.errors import UsageError
from aimsctl.text import (
    csv_problem,
    declared_separator,
    number_advice,
    number_text,
    percent_text,
    printable,
    separator_refused,
)

Mode = Literal["selection", "scoring"]
SELECTION: Final = "selection"
SCORING: Final = "scoring"
JOIN = " x "  # joins the columns of an intersectional dimension, and its values

MAX_LINE_BYTES = 1 << 20  # one physical line of the file
MAX_FIELD = 131_072  # the csv module's own limit on one field, in characters
MAX_COLUMNS = 6  # --category columns: 6 give 57 dimensions with the intersections
MAX_VALUES = 1_000  # distinct values in one category column
MAX_COMBINATIONS = 100_000  # distinct combinations of category values
_OUTCOMES = {"1": True, "0": False, "true": True, "false": False}
_BOM = b"\xef\xbb\xbf"
_BLOCK = 1 << 16
_TOO_LONG = f"line is longer than {MAX_LINE_BYTES:,} bytes"
_NUL = "holds a NUL byte (byte {}): this is not CSV text; a UTF-16 file? save it as UTF-8"
_NOT_UTF8 = "is not UTF-8 text (byte {} of the line); save the file as UTF-8"


class DataError(UsageError):
    """The CSV cannot be used as it is: ``path:line: message``, exit 2."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}" if line is not None else f"{path}: {message}")


@dataclass(frozen=True)
class Group:
    """One category of one dimension."""

    dimension: str
    category: str
    count: int
    selected: int
    share: float  # of the dimension's classified rows
    excluded: bool  # share below min_share: no impact ratio
    impact_ratio: float | None  # None where excluded, or where no category was selected
    below_threshold: bool | None  # impact ratio < threshold; None without a ratio

    @property
    def rate(self) -> float:
        return self.selected / self.count


@dataclass(frozen=True)
class Dimension:
    """A category column, or an intersection of several (their names joined by `` x ``)."""

    name: str
    columns: tuple[str, ...]
    classified: int  # rows with a value in every column of the dimension
    unknown: int  # rows with an empty value in at least one of them
    groups: tuple[Group, ...]

    @property
    def highest_rate(self) -> float | None:
        """The reference rate of the impact ratios: the highest rate among the
        categories that are not excluded (None when all are excluded)."""
        return max((g.rate for g in self.groups if not g.excluded), default=None)

    @property
    def excluded(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.excluded)


@dataclass(frozen=True)
class Audit:
    """The whole result of one bias audit."""

    data: str  # the CSV as named on the command line
    mode: Mode
    column: str  # the outcome or score column
    categories: tuple[str, ...]
    rows: int
    selected: int  # rows selected (scoring: above the median), whatever their categories
    median: float | None  # scoring only
    min_share: float
    threshold: float
    dimensions: tuple[Dimension, ...]

    @property
    def rate(self) -> float:
        return self.selected / self.rows

    @property
    def groups(self) -> list[Group]:
        return [group for dimension in self.dimensions for group in dimension.groups]

    @property
    def unknown(self) -> dict[str, int]:
        return {dimension.name: dimension.unknown for dimension in self.dimensions}

    @property
    def flagged(self) -> list[Group]:
        """Categories whose impact ratio is below the threshold."""
        return [group for group in self.groups if group.below_threshold]

    def as_json(self) -> dict[str, Any]:
        """The binding shape of cli-v2.md (version, rows, unknown, mode, groups with
        dimension, category, count, selected, rate, impact_ratio, excluded), plus the
        inputs and per-dimension totals. Numbers are not rounded."""
        return {
            "version": 1,
            "data": self.data,
            "mode": self.mode,
            "column": self.column,
            "categories": list(self.categories),
            "rows": self.rows,
            "selected": self.selected,
            "rate": self.rate,
            "median": self.median,
            "min_share": self.min_share,
            "threshold": self.threshold,
            "unknown": self.unknown,
            "dimensions": [
                {
                    "dimension": d.name,
                    "columns": list(d.columns),
                    "classified": d.classified,
                    "unknown": d.unknown,
                    "highest_rate": d.highest_rate,
                }
                for d in self.dimensions
            ],
            "groups": [
                {
                    "dimension": g.dimension,
                    "category": g.category,
                    "count": g.count,
                    "selected": g.selected,
                    "rate": g.rate,
                    "impact_ratio": g.impact_ratio,
                    "excluded": g.excluded,
                    "share": g.share,
                    "below_threshold": g.below_threshold,
                }
                for g in self.groups
            ],
        }


# --- reading the CSV ------------------------------------------------------------------


def _shown(value: str, width: int = 40) -> str:
    text = printable(value)
    return repr(text if len(text) <= width else text[: width - 3] + "...")


class _Csv:
    """The file read row by row, each row checked to have as many fields as the
    header; ``line`` is the line the current row starts on. The bytes are read in
    blocks, split at line feeds and decoded as UTF-8, so an encoding error or a NUL
    byte is reported at its line, and no line is held beyond ``MAX_LINE_BYTES``."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self.header: list[str] = []
        self.header_line = 1
        self.line = 0

    def _lines(self, stream: Any) -> Iterator[str]:
        pending = b""
        done = 0  # lines given out so far
        block: bytes = stream.read(_BLOCK)
        if block.startswith(_BOM):
            block = block[len(_BOM) :]
        while block:
            end = block.rfind(b"\n") + 1
            if not end:
                pending += block
                if len(pending) > MAX_LINE_BYTES:
                    raise DataError(self.shown, done + 1, _TOO_LONG)
                block = stream.read(_BLOCK)
                continue
            complete, pending = pending + block[:end], block[end:]
            if complete.index(b"\n") >= MAX_LINE_BYTES:
                raise DataError(self.shown, done + 1, _TOO_LONG)
            lines, problem = self._decoded(complete, done)
            yield from lines
            if problem:
                raise problem
            done += len(lines)
            block = stream.read(_BLOCK)
        if pending:
            if len(pending) > MAX_LINE_BYTES:
                raise DataError(self.shown, done + 1, _TOO_LONG)
            lines, problem = self._decoded(pending, done)
            yield from lines
            if problem:
                raise problem

    def _decoded(self, data: bytes, done: int) -> tuple[list[str], DataError | None]:
        """The lines of ``data`` (whole lines after ``done`` others), each ending in its
        line feed; at a NUL byte or a byte that is not UTF-8, the lines before its line
        and the error."""
        at, problem = data.find(b"\x00"), _NUL
        if at < 0:
            try:
                return _split(data.decode("utf-8")), None
            except UnicodeDecodeError as error:
                at, problem = error.start, _NOT_UTF8
        cut = data.rfind(b"\n", 0, at) + 1
        lines, earlier = self._decoded(data[:cut], done)
        if earlier is not None:
            return lines, earlier
        line = done + data.count(b"\n", 0, at) + 1
        return lines, DataError(self.shown, line, self._not_text(problem.format(at - cut + 1)))

    def _not_text(self, problem: str) -> str:
        """``problem``, or, where git writes the file in another encoding on checkout,
        the attribute that does it: saving it as UTF-8 would not last."""
        from aimsctl.loader import checkout_encoding_advice

        where = self.path.absolute()
        advice = checkout_encoding_advice(
            where.parent,
            where.name,
            shown=self.shown,
            read="bias-audit reads its data",
            files="the CSV files",
        )
        return problem if advice is None else f"is not UTF-8 text: {advice}"

    def rows(self) -> Iterator[list[str]]:
        """The data rows after the header (kept in ``header``); blank lines are skipped."""
        try:
            stream = self.path.open("rb")
        except OSError as error:
            raise UsageError(f"cannot read {self.shown}: {error.strerror or error}") from None
        with stream:
            reader = csv.reader(self._lines(stream), strict=True)
            start, width = 1, -1
            try:
                for row in reader:
                    self.line, start = start, reader.line_num + 1
                    if len(row) != width:
                        if not row:
                            continue
                        if self.line == 1 and (separator := declared_separator(row)):
                            if separator == ",":
                                continue  # `sep=,`, as a spreadsheet may write it
                            raise DataError(self.shown, 1, separator_refused(separator))
                        if width < 0:
                            self._set_header(row)
                            width = len(row)
                            continue
                        raise DataError(
                            self.shown, self.line, f"has {len(row)} fields, the header has {width}"
                        )
                    yield row
            except csv.Error as error:
                raise DataError(self.shown, reader.line_num, _csv_problem(error)) from None
            if width < 0:
                raise DataError(self.shown, None, "is empty: no header row, no data")

    def _set_header(self, row: list[str]) -> None:
        header = [name.strip() for name in row]
        if self.header and header != self.header:
            raise _Changed
        self.header, self.header_line = header, self.line


def _split(text: str) -> list[str]:
    """Lines split at line feeds only (a form feed or U+2028 inside a field stays)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field is longer than {MAX_FIELD:,} characters (an unclosed quote?)"
    return csv_problem(error)


def _outcome(value: str, shown: str, line: int, column: str) -> bool:
    outcome = _OUTCOMES.get(value.strip().lower())
    if outcome is None:
        raise DataError(
            shown,
            line,
            f"{column} is {_shown(value)}; an outcome is 1 or 0, true or false",
        )
    return outcome


def _score(value: str, shown: str, line: int, column: str) -> float:
    """A decimal number (``12``, ``-0.5``, ``1e3``), spaces around it ignored."""
    try:
        number = float(value) + 0.0  # -0.0 is 0.0
    except ValueError:
        number = math.nan
    # Not infinite, not NaN (x - x is NaN for both), no 1_000, no digits of other scripts.
    if number - number or "_" in value or not value.isascii():
        advice = number_advice(value)
        raise DataError(shown, line, f"{column} is {_shown(value)}, not a number{advice}")
    if abs(number) >= _EXACT_WHOLE:  # rare: only here is the text looked at again
        _exact_whole(value, shown, line, column)
    return number


_EXACT_WHOLE = float(2**53)


def _exact_whole(value: str, shown: str, line: int, column: str) -> None:
    """Refuse a whole number beyond ±2**53 written in digits, as eval import and the
    records refuse it: as a float it would be a neighbouring number, and a score one
    above the median could tie with it, or one tied with it rise above it."""
    from aimsctl.rules.measurements import inexact_whole  # pydantic only on this path

    text = value.strip()
    digits = text.removeprefix("-").removeprefix("+")
    if digits.isdigit():
        whole = int(digits)
        why = inexact_whole(-whole if text.startswith("-") else whole)
        if why is not None:
            raise DataError(shown, line, f"{column}: {why}")


# --- the median, exactly, in bounded memory -------------------------------------------

Combination = str | tuple[str, ...]  # the raw category values of a row, as read
_DOUBLE = struct.Struct(">d")
_SIGN = 1 << 63
_ALL = (1 << 64) - 1
_PAIRS = 1 << 16  # (score, combination) pairs counted before the first pass gives up
_COLLECT = 1 << 17  # at most this many candidates for a middle value are held to sort
_NEGATIVE_INFINITY = 0x000F_FFFF_FFFF_FFFF  # the keys of -inf and +inf
_POSITIVE_INFINITY = 0xFFF0_0000_0000_0000


def _key(number: float) -> int:
    """An unsigned 64-bit integer that orders like the (finite) float."""
    bits = int.from_bytes(_DOUBLE.pack(number), "big")
    return bits ^ _ALL if bits & _SIGN else bits | _SIGN


def _key_top(bits: int) -> int:
    """:func:`_key` for the top 16 bits of a float."""
    return bits ^ 0xFFFF if bits & 0x8000 else bits | 0x8000


def _unkey(key: int) -> float:
    bits = key ^ _SIGN if key & _SIGN else key ^ _ALL
    (number,) = _DOUBLE.unpack(bits.to_bytes(8, "big"))
    return float(number)


class _Changed(Exception):
    """The file did not read the same on a later pass."""


@dataclass
class _Target:
    """A middle rank being searched for: it is the ``rank``-th (from 0) of the
    ``count`` keys whose top ``64 - shift`` bits are ``prefix``; ``found`` once known."""

    rank: int
    prefix: int
    shift: int
    count: int
    found: int | None = None

    @property
    def low(self) -> int:
        return self.prefix << self.shift

    @property
    def high(self) -> int:
        return ((self.prefix + 1) << self.shift) - 1

    def bounds(self) -> tuple[float, float]:
        """The lowest and highest float whose key is in the bucket, so a score can be
        placed by comparing numbers (rows never hold -0.0, NaN or infinities)."""
        low = _unkey(max(self.low, _NEGATIVE_INFINITY))
        high = _unkey(min(self.high, _POSITIVE_INFINITY))
        if high == 0 and math.copysign(1, high) < 0:  # the bucket ends at -0.0
            high = -math.ulp(0.0)
        return low, high


def _bucket(histogram: list[int], rank: int, prefix: int, shift: int) -> _Target:
    """The bucket of ``histogram`` (counts of the keys under ``prefix`` by their next 16
    bits, which end at bit ``shift``) that holds ``rank``."""
    below = 0
    for index, times in enumerate(histogram):
        if rank < below + times:
            return _Target(rank - below, (prefix << 16) | index, shift, times)
        below += times
    raise _Changed


def _middle(values: Sequence[float]) -> tuple[float, float]:
    """The median (one middle value, or the mean of two, halved first where the sum
    would overflow) and the bar a score must pass to be above it.

    The mean of two scores may fall between two floats and round up to the higher,
    as the mean of two neighbouring floats always does: the score equal to it is then
    above the exact median, so the bar is the float just below."""
    if len(values) == 1:
        return values[0], values[0]
    low, high = values
    total = low + high
    median = total / 2 if math.isfinite(total) else low / 2 + high / 2
    exact = (Fraction(low) + Fraction(high)) / 2
    return median, (math.nextafter(median, -math.inf) if exact < median else median)


Reread = Callable[[], Iterator[tuple[float, Combination]]]


class _Scores:
    """The median of all scores and, per combination of category values, how many
    rows score strictly above it: exact, in memory that does not grow with the rows.

    The first pass counts (score, combination) pairs while there are at most
    ``_PAIRS`` of them (integer or rounded scores): then it is all there is. Beyond
    that it counts the scores by the top 16 bits of :func:`_key`. A middle rank lies
    in one of those buckets; a further pass either collects the keys of that bucket
    to sort (at most ``_COLLECT`` of them; that pass also counts the rows above the
    bucket, so it is the last), or narrows the bucket by the next 16 bits, and a
    last pass counts. Five passes at most, whatever the data; two for most.
    """

    def __init__(self) -> None:
        self.count = 0
        self.pairs: dict[tuple[float, Combination], int] | None = {}
        self.raw = [0] * 65536  # by the top 16 bits of the float, as they are

    def add(self, number: float, combination: Combination) -> None:
        self.count += 1
        pairs = self.pairs
        if pairs is None:
            self.raw[int.from_bytes(_DOUBLE.pack(number), "big") >> 48] += 1
            return
        pair = (number, combination)
        pairs[pair] = pairs.get(pair, 0) + 1
        if len(pairs) > _PAIRS:
            for (value, _), times in pairs.items():
                self.raw[int.from_bytes(_DOUBLE.pack(value), "big") >> 48] += times
            self.pairs = None

    def _top(self) -> list[int]:
        """The first pass's counts by the top 16 bits of the float, in key order."""
        top = [0] * 65536
        for bits, times in enumerate(self.raw):
            top[_key_top(bits)] = times
        return top

    def _ranks(self) -> tuple[int, ...]:
        middle = self.count // 2
        return (middle,) if self.count % 2 else (middle - 1, middle)

    def finish(self, reread: Reread) -> tuple[float, dict[Combination, int]]:
        """The median, and the rows above it per combination; ``reread()`` gives the
        (score, combination) of every row again, as often as needed."""
        if self.pairs is not None:
            return self._from_pairs(self.pairs)
        top = self._top()
        targets = [_bucket(top, rank, 0, 48) for rank in self._ranks()]
        while True:
            if all(t.found is None and t.count <= _COLLECT for t in targets):
                return self._last_pass(targets, reread)
            self._narrow([t for t in targets if t.found is None], reread)
            if all(t.found is not None for t in targets):
                median, bar = _middle([_unkey(t.found) for t in targets if t.found is not None])
                return median, self._above(bar, reread)

    def _from_pairs(
        self, pairs: dict[tuple[float, Combination], int]
    ) -> tuple[float, dict[Combination, int]]:
        totals: dict[float, int] = {}
        for (value, _), times in pairs.items():
            totals[value] = totals.get(value, 0) + times
        wanted, found, seen = self._ranks(), list[float](), 0
        for value in sorted(totals):
            seen += totals[value]
            while len(found) < len(wanted) and wanted[len(found)] < seen:
                found.append(value)
        median, bar = _middle(found)
        above: dict[Combination, int] = {}
        for (value, combination), times in pairs.items():
            if value > bar:
                above[combination] = above.get(combination, 0) + times
        return median, above

    def _narrow(self, pending: list[_Target], reread: Reread) -> None:
        """One pass: each target's bucket counted by its next 16 bits. A sub-bucket
        whose keys were all equal (ties) gives the value at once."""
        tallies = [([0] * 65536, [-1] * 65536, bytearray(65536)) for _ in pending]
        seen = 0
        for number, _ in reread():
            seen += 1
            key = _key(number)
            for target, (histogram, first, mixed) in zip(pending, tallies, strict=True):
                if key >> target.shift == target.prefix:
                    index = (key >> (target.shift - 16)) & 0xFFFF
                    histogram[index] += 1
                    if first[index] < 0:
                        first[index] = key
                    elif first[index] != key:
                        mixed[index] = 1
        if seen != self.count:
            raise _Changed
        for target, (histogram, first, mixed) in zip(pending, tallies, strict=True):
            narrower = _bucket(histogram, target.rank, target.prefix, target.shift - 16)
            index = narrower.prefix & 0xFFFF
            target.rank, target.prefix, target.shift = (
                narrower.rank,
                narrower.prefix,
                narrower.shift,
            )
            target.count = narrower.count
            if not mixed[index]:
                target.found = first[index]

    def _last_pass(
        self, targets: list[_Target], reread: Reread
    ) -> tuple[float, dict[Combination, int]]:
        """Collect the keys in the targets' buckets (with their combinations) and count
        the rows above the highest bucket; then the median, and the collected rows above it."""
        ranges = sorted({(t.low, t.high, t.count) for t in targets})
        bottom, top = targets[0].bounds()[0], targets[-1].bounds()[1]
        keys: array[int] = array("Q")
        combinations: list[Combination] = []
        above: dict[Combination, int] = {}
        seen = 0
        for number, combination in reread():
            seen += 1
            if number > top:
                above[combination] = above.get(combination, 0) + 1
            elif number >= bottom:  # in a bucket: between two adjacent ranks there is nothing
                keys.append(_key(number))
                combinations.append(combination)
        if seen != self.count or len(keys) != sum(count for _, _, count in ranges):
            raise _Changed
        values = []
        for target in targets:
            inside = sorted(key for key in keys if target.low <= key <= target.high)
            if len(inside) != target.count:
                raise _Changed
            values.append(_unkey(inside[target.rank]))
        median, bar = _middle(values)
        for key, combination in zip(keys, combinations, strict=True):
            if _unkey(key) > bar:
                above[combination] = above.get(combination, 0) + 1
        return median, above

    def _above(self, bar: float, reread: Reread) -> dict[Combination, int]:
        above: dict[Combination, int] = {}
        seen = 0
        for number, combination in reread():
            seen += 1
            if number > bar:
                above[combination] = above.get(combination, 0) + 1
        if seen != self.count:
            raise _Changed
        return above


# --- the audit ------------------------------------------------------------------------


def _column_index(data: _Csv, name: str) -> int:
    header, shown, line = data.header, data.shown, data.header_line
    positions = [i for i, column in enumerate(header) if column == name]
    if len(positions) > 1:
        raise DataError(shown, line, f"column {_shown(name)} appears {len(positions)} times")
    if positions:
        return positions[0]
    from aimsctl.validation_messages import did_you_mean

    # A semicolon-separated file first: its one column is no column to suggest.
    if len(header) == 1 and ";" in header[0]:
        hint = "; the header has one column holding ';': separate the columns with commas"
    else:
        hint = did_you_mean(name, header)
    columns = ", ".join(_shown(c) for c in header[:20]) + (", ..." if len(header) > 20 else "")
    raise DataError(shown, line, f"no column {_shown(name)}{hint} (columns: {columns})")


def _check_options(
    outcome: str | None,
    score: str | None,
    categories: Sequence[str],
    min_share: float,
    threshold: float,
) -> tuple[Mode, str]:
    if (outcome is None) == (score is None):
        raise UsageError("give either --outcome COLUMN or --score COLUMN (one of them)")
    if not categories:
        raise UsageError("give at least one --category COLUMN")
    if len(categories) > MAX_COLUMNS:
        raise UsageError(f"at most {MAX_COLUMNS} --category columns, not {len(categories)}")
    column = outcome if outcome is not None else score
    assert column is not None
    named = [column, *categories]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise UsageError(f"column {twice[0]!r} is named more than once")
    _distinct_dimensions(categories)
    if not 0 <= min_share < 1:
        raise UsageError(
            f"--min-share must be at least 0 and below 1, not {number_text(min_share)}"
            f"{_as_percent(min_share, 'a share of the rows')}"
        )
    if not 0 < threshold <= 1:
        raise UsageError(
            f"--threshold must be above 0 and at most 1, not {number_text(threshold)}"
            f"{_as_percent(threshold, 'an impact ratio')}"
        )
    return (SELECTION if outcome is not None else SCORING), column


def _as_percent(value: float, what: str) -> str:
    """For an option refused as out of range: when it reads as a percentage, how to
    write it as the fraction it is."""
    if not 1 <= value <= 100:
        return ""
    written = Decimal(repr(value))
    if written.quantize(Decimal("0.01")) != written:  # 80, 2, 2.5; not 1.0000001
        return ""
    fraction = format((written / 100).normalize(), "f")
    return f"; it is {what}, a fraction of one: {number_text(value)}% is {fraction}"


def _distinct_dimensions(categories: Sequence[str]) -> None:
    """UsageError when two dimensions would read alike: their columns are joined with
    JOIN, so the column 'sex x race' and the intersection of sex and race would both
    be named 'sex x race', in the output and in the Evaluation record alike."""
    named: dict[str, tuple[str, ...]] = {}
    for size in range(1, len(categories) + 1):
        for columns in itertools.combinations(categories, size):
            name = JOIN.join(columns)
            first = named.setdefault(name, columns)
            if first != columns:
                raise UsageError(
                    f"two dimensions read alike as {name!r}: the columns {first!r} and "
                    f"{columns!r}; rename a column that holds {JOIN!r}"
                )


def audit(
    path: Path,
    *,
    outcome: str | None = None,
    score: str | None = None,
    categories: Sequence[str],
    min_share: float = 0.02,
    threshold: float = 0.8,
    shown: str | None = None,
) -> Audit:
    """The bias audit of the CSV at ``path`` (named ``shown`` in messages and output)."""
    mode, column = _check_options(outcome, score, categories, min_share, threshold)
    shown = shown if shown is not None else str(path)
    try:
        info = path.stat()
    except OSError as error:
        raise UsageError(f"cannot read {shown}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{shown} is not a file (a folder, a pipe?); give the CSV file")
    data = _Csv(path, shown)
    try:
        return _audit(data, mode, column, tuple(categories), min_share, threshold)
    except _Changed:
        raise DataError(shown, None, "the file changed while it was read") from None


def _audit(
    data: _Csv,
    mode: Mode,
    column: str,
    categories: tuple[str, ...],
    min_share: float,
    threshold: float,
) -> Audit:
    """One pass counts the rows per combination of raw category values (and, for
    scores, feeds :class:`_Scores`); the values are trimmed and grouped afterwards."""
    shown = data.shown
    raw: dict[Combination, list[int]] = {}  # -> [count, selected]
    values: list[set[str]] = [set() for _ in categories]
    scores = _Scores()
    rows = 0
    at = -1
    pick: Callable[[list[str]], Combination] = itemgetter(0)
    outcomes = _OUTCOMES
    for row in data.rows():
        if at < 0:
            at = _column_index(data, column)
            pick = itemgetter(*(_column_index(data, name) for name in categories))
        combination = pick(row)
        counts = raw.get(combination)
        if counts is None:
            _new_combination(combination, values, categories, len(raw), data)
            counts = raw[combination] = [0, 0]
        counts[0] += 1
        rows += 1
        if mode == SELECTION:
            outcome = outcomes.get(row[at])
            if outcome is None:
                outcome = _outcome(row[at], shown, data.line, column)
            if outcome:
                counts[1] += 1
        else:
            scores.add(_score(row[at], shown, data.line, column), combination)
    if at < 0:
        for name in (column, *categories):
            _column_index(data, name)
        raise DataError(shown, None, "has a header but no data rows")
    median: float | None = None
    if mode == SCORING:

        def reread() -> Iterator[tuple[float, Combination]]:
            for row in data.rows():
                yield _score(row[at], shown, data.line, column), pick(row)

        median, above = scores.finish(reread)
        for combination, times in above.items():
            if combination not in raw:
                raise _Changed
            raw[combination][1] = times
    combos: dict[tuple[str | None, ...], list[int]] = {}
    for combination, (count, chosen) in raw.items():
        total = combos.setdefault(_trimmed(combination), [0, 0])
        total[0] += count
        total[1] += chosen
    subsets = [
        subset
        for size in range(1, len(categories) + 1)
        for subset in itertools.combinations(range(len(categories)), size)
    ]
    _distinct_labels(categories, subsets, combos, shown)
    dimensions = tuple(
        _dimension(categories, subset, combos, min_share, threshold) for subset in subsets
    )
    return Audit(
        data=shown,
        mode=mode,
        column=column,
        categories=categories,
        rows=rows,
        selected=sum(chosen for _, chosen in combos.values()),
        median=median,
        min_share=min_share,
        threshold=threshold,
        dimensions=dimensions,
    )


def _distinct_labels(
    categories: tuple[str, ...],
    subsets: list[tuple[int, ...]],
    combos: dict[tuple[str | None, ...], list[int]],
    shown: str,
) -> None:
    """DataError when two intersectional categories read alike: their values are
    joined with JOIN, so ('A x B', 'C') and ('A', 'B x C') would both be named
    'A x B x C', in the output and in the Evaluation record alike."""
    for subset in subsets:
        if len(subset) < 2:
            continue
        named: dict[str, tuple[str, ...]] = {}
        for key in combos:
            values = tuple(key[i] for i in subset)
            if None in values:
                continue
            known = tuple(v for v in values if v is not None)
            label = JOIN.join(known)
            first = named.setdefault(label, known)
            if first != known:
                columns = JOIN.join(categories[i] for i in subset)
                raise DataError(
                    shown,
                    None,
                    f"two categories of {columns} read alike as {label!r}: {first!r} and "
                    f"{known!r}; rename a value that holds {JOIN!r}",
                )


def _trimmed(combination: Combination) -> tuple[str | None, ...]:
    """The category values with spaces trimmed; an empty value is None (unknown)."""
    values = (combination,) if isinstance(combination, str) else combination
    return tuple(value.strip() or None for value in values)


def _new_combination(
    combination: Combination,
    values: list[set[str]],
    categories: tuple[str, ...],
    combinations: int,
    data: _Csv,
) -> None:
    if combinations >= MAX_COMBINATIONS:
        raise DataError(
            data.shown,
            data.line,
            f"more than {MAX_COMBINATIONS:,} combinations of category values; are the "
            "--category columns categories?",
        )
    for name, seen, value in zip(categories, values, _trimmed(combination), strict=True):
        if value is not None and value not in seen:
            seen.add(value)
            if len(seen) > MAX_VALUES:
                raise DataError(
                    data.shown,
                    data.line,
                    f"column {_shown(name)} has more than {MAX_VALUES:,} distinct values; "
                    "is it a category?",
                )


def _dimension(
    categories: tuple[str, ...],
    subset: tuple[int, ...],
    combos: dict[tuple[str | None, ...], list[int]],
    min_share: float,
    threshold: float,
) -> Dimension:
    columns = tuple(categories[i] for i in subset)
    totals: dict[tuple[str, ...], list[int]] = {}
    unknown = 0
    for key, (count, chosen) in combos.items():
        values = tuple(key[i] for i in subset)
        if None in values:
            unknown += count
            continue
        known = tuple(v for v in values if v is not None)
        total = totals.setdefault(known, [0, 0])
        total[0] += count
        total[1] += chosen
    classified = sum(count for count, _ in totals.values())
    name = JOIN.join(columns)
    # Shares, rates and ratios are compared as exact fractions with the limits as
    # written: 3/4 against 3/5 is 4/5, which is not below 0.8 (in floating point the
    # ratio is 0.7999999999999999, and 0.8 is a hair above 4/5).
    floor, limit = Fraction(repr(min_share)), Fraction(repr(threshold))
    kept = {values for values, (count, _) in totals.items() if Fraction(count, classified) >= floor}
    highest = max((Fraction(totals[v][1], totals[v][0]) for v in kept), default=Fraction(0))
    groups = []
    for values in sorted(totals):
        count, chosen = totals[values]
        excluded = values not in kept
        ratio = None if excluded or highest == 0 else Fraction(chosen, count) / highest
        groups.append(
            Group(
                dimension=name,
                category=JOIN.join(values),
                count=count,
                selected=chosen,
                share=count / classified,
                excluded=excluded,
                impact_ratio=None if ratio is None else float(ratio),
                below_threshold=None if ratio is None else ratio < limit,
            )
        )
    return Dimension(name, columns, classified, unknown, tuple(groups))


# --- the Evaluation record ------------------------------------------------------------


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
    if not metrics:
        raise UsageError(
            "no category has an impact ratio (none selected, or every one excluded): "
            "there is no metric to record"
        )
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


def _record_description(result: Audit) -> str:
    measure = (
        f"selection rates from the outcome column {result.column!r}"
        if result.mode == SELECTION
        else f"scoring rates (share scoring above the sample median {result.median:.10g}) "
        f"from the score column {result.column!r}"
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
    parts.append(
        f"The minimum of {number_text(result.threshold)} is the EEOC four-fifths rule of thumb; "
        "Local Law 144 itself sets no pass mark."
    )
    return " ".join(parts)
