"""Reading the CSV: its rows as a stream, checked line by line, and its outcome and
score values."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from aimsctl.bias_audit.errors import Changed, DataError
from aimsctl.errors import UsageError
from aimsctl.text import (
    clipped,
    csv_problem,
    declared_separator,
    number_advice,
    plural,
    printable,
    read_as_zero,
    rounded_on_reading,
    rounding_refused,
    semicolon_columns,
    separator_refused,
)
from aimsctl.text import (
    quoted as quoted_text,
)

MAX_LINE_BYTES = 1 << 20  # one physical line of the file
MAX_FIELD = 131_072  # the csv module's own limit on one field, in characters
OUTCOMES = {"1": True, "0": False, "true": True, "false": False}
_BOM = b"\xef\xbb\xbf"
_BLOCK = 1 << 16
_TOO_LONG = f"line is longer than {MAX_LINE_BYTES:,} bytes"
_NUL = "holds a NUL byte (byte {}): this is not CSV text; a UTF-16 file? save it as UTF-8"
_NOT_UTF8 = "is not UTF-8 text (byte {} of the line); save the file as UTF-8"


def quoted(value: str, width: int = 40) -> str:
    return quoted_text(clipped(printable(value), width, "..."))


class CsvFile:
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
                        raise DataError(self.shown, self.line, _width_problem(row, width))
                    yield row
            except csv.Error as error:
                raise DataError(self.shown, reader.line_num, _csv_problem(error)) from None
            if width < 0:
                raise DataError(self.shown, None, "is empty: no header row, no data")

    def _set_header(self, row: list[str]) -> None:
        header = [name.strip() for name in row]
        # Checked before any row: in a semicolon-separated file each row is one field
        # too, unless a decimal comma splits it, and "has 2 fields" would say nothing.
        if advice := semicolon_columns(header):
            raise DataError(
                self.shown,
                self.line,
                f"the header {quoted(header[0])} is one column{advice}",
            )
        if self.header and header != self.header:
            raise Changed
        self.header, self.header_line = header, self.line


def _width_problem(row: list[str], width: int) -> str:
    """A row of another width than the header's; a line of spaces only (left at the
    end of a file by an editor, say) is told as that, not as a row of 1 field."""
    if len(row) == 1 and not row[0].strip():
        return f"holds only spaces, not the {width} fields of the header; delete the line"
    return f"has {plural(len(row), 'field')}, the header has {width}"


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


def read_outcome(value: str, shown: str, line: int, column: str) -> bool:
    outcome = OUTCOMES.get(value.strip().lower())
    if outcome is None:
        raise DataError(
            shown,
            line,
            f"{column} is {quoted(value)}; an outcome is 1 or 0, true or false",
        )
    return outcome


def read_score(value: str, shown: str, line: int, column: str) -> float:
    """A decimal number (``12``, ``-0.5``, ``1e3``), spaces around it ignored."""
    try:
        number = float(value) + 0.0  # -0.0 is 0.0
    except ValueError:
        number = math.nan
    # Not infinite, not NaN (x - x is NaN for both), no 1_000, no digits of other scripts.
    if number - number or "_" in value or not value.isascii():
        advice = number_advice(value)
        raise DataError(shown, line, f"{column} is {quoted(value)}, not a number{advice}")
    if abs(number) >= _EXACT_WHOLE:  # rare: only here is the text looked at again
        _exact_whole(value, shown, line, column)
    # Changed by reading (to 0, or to a neighbour), a score could tie with the median
    # or rise above it: refused, as eval import and the records refuse it.
    if len(value) > 16 and (held := rounded_on_reading(value, number)) is not None:
        raise DataError(shown, line, f"{column}: {rounding_refused(quoted(value), held)}")
    if number == 0 and read_as_zero(value, number):
        raise DataError(
            shown,
            line,
            f"{column} is {quoted(value)}, too close to zero to be held: it would be read as 0",
        )
    return number


_EXACT_WHOLE = float(2**53)


def _exact_whole(value: str, shown: str, line: int, column: str) -> None:
    """Refuse a number beyond ±2**53, however it is written (``9007199254740993``,
    ``9007199254740993.0``, ``1.0000000000000001e16``), as eval import and the records
    refuse a whole number beyond it: as a float it would be a neighbouring number, and
    a score one above the median could tie with it, or one tied with it rise above it."""
    from aimsctl.rules.measurements import inexact_whole  # pydantic only on this path

    exact = Decimal(value.strip())  # float() read it, so Decimal does
    if abs(exact) > _EXACT_WHOLE:
        why = inexact_whole(int(exact)) if exact == exact.to_integral_value() else None
        shown_value = value.strip()
        raise DataError(
            shown,
            line,
            f"{column}: "
            + (
                why
                or f"{shown_value} is beyond ±2**53: a number is held as a 64-bit float, "
                "which cannot hold every number that large exactly; give it in larger units"
            ),
        )
