"""A results file in CSV: a header row ``metric,value[,...]``, then one row per
measurement."""

from __future__ import annotations

import csv
import io

from aimsctl.eval_import.results import (
    MAX_METRICS,
    Given,
    Problems,
    Results,
    check_duplicates,
    dimension_problem,
    threshold_of,
    tracked_ids,
)
from aimsctl.rules.measurements import number_from_text
from aimsctl.text import (
    csv_problem,
    declared_separator,
    plural,
    semicolon_columns,
    separator_refused,
)
from aimsctl.validation_messages import did_you_mean

REQUIRED_COLUMNS = ("metric", "value")
OPTIONAL_COLUMNS = ("group", "dimension", "threshold_min", "threshold_max", "note", "tracked_by")


def parse_csv(text: str, shown: str) -> Results:
    """A CSV results file: a header row ``metric,value[,...]``, one row per metric."""
    problems = Problems(shown)
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
    check_duplicates(metrics, problems)
    problems.raise_any()
    return Results(tuple(metrics))


def _header(cells: tuple[str, ...], line: int, problems: Problems) -> tuple[str, ...] | None:
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
    cells: tuple[str, ...], header: tuple[str, ...], line: int, problems: Problems
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
    if dimension is not None and (why := dimension_problem(dimension)) is not None:
        problems.add(line, why)
    threshold = threshold_of(*bounds)
    if isinstance(threshold, str):
        problems.add(line, threshold)
    tracked, why_not = tracked_ids(row.get("tracked_by", ""))
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
