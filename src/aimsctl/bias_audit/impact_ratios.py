"""The audit: options checked, one pass counting rows per combination of category
values, then per dimension the rates, shares and impact ratios."""

from __future__ import annotations

import itertools
import stat
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from pathlib import Path

from aimsctl.bias_audit.csv_input import OUTCOMES, CsvFile, quoted, read_outcome, read_score
from aimsctl.bias_audit.errors import Changed, DataError
from aimsctl.bias_audit.exact_median import Combination, Scores
from aimsctl.bias_audit.result import JOIN, SCORING, SELECTION, Audit, Dimension, Group, Mode
from aimsctl.errors import UsageError
from aimsctl.text import composed, number_text

MAX_COLUMNS = 6  # --category columns: 6 give 57 dimensions with the intersections
MAX_VALUES = 1_000  # distinct values in one category column
MAX_COMBINATIONS = 100_000  # distinct combinations of category values


def _column_index(data: CsvFile, name: str) -> int:
    header, shown, line = data.header, data.shown, data.header_line
    positions = [i for i, column in enumerate(header) if column == name]
    if len(positions) > 1:
        raise DataError(shown, line, f"column {quoted(name)} appears {len(positions)} times")
    if positions:
        return positions[0]
    from aimsctl.validation_messages import did_you_mean

    hint = did_you_mean(name, header)  # a semicolon-separated header: CsvFile refused it
    columns = ", ".join(quoted(c) for c in header[:20]) + (", ..." if len(header) > 20 else "")
    raise DataError(shown, line, f"no column {quoted(name)}{hint} (columns: {columns})")


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
    data = CsvFile(path, shown)
    try:
        return _audit(data, mode, column, tuple(categories), min_share, threshold)
    except Changed:
        raise DataError(shown, None, "the file changed while it was read") from None


def _audit(
    data: CsvFile,
    mode: Mode,
    column: str,
    categories: tuple[str, ...],
    min_share: float,
    threshold: float,
) -> Audit:
    """One pass counts the rows per combination of raw category values (and, for
    scores, feeds :class:`Scores`); the values are trimmed and grouped afterwards."""
    shown = data.shown
    raw: dict[Combination, list[int]] = {}  # -> [count, selected]
    values: list[set[str]] = [set() for _ in categories]
    scores = Scores()
    rows = 0
    at = -1
    pick: Callable[[list[str]], Combination] = itemgetter(0)
    outcomes = OUTCOMES
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
                outcome = read_outcome(row[at], shown, data.line, column)
            if outcome:
                counts[1] += 1
        else:
            scores.add(read_score(row[at], shown, data.line, column), combination)
    if at < 0:
        for name in (column, *categories):
            _column_index(data, name)
        raise DataError(shown, None, "has a header but no data rows")
    median: float | None = None
    if mode == SCORING:

        def reread() -> Iterator[tuple[float, Combination]]:
            for row in data.rows():
                yield read_score(row[at], shown, data.line, column), pick(row)

        median, above = scores.finish(reread)
        for combination, times in above.items():
            if combination not in raw:
                raise Changed
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
    """The category values with spaces trimmed and in one Unicode form (NFC: `Việt`
    typed as a letter and combining marks is the same group); an empty value is None
    (unknown)."""
    values = (combination,) if isinstance(combination, str) else combination
    return tuple(composed(value.strip()) or None for value in values)


def _new_combination(
    combination: Combination,
    values: list[set[str]],
    categories: tuple[str, ...],
    combinations: int,
    data: CsvFile,
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
                    f"column {quoted(name)} has more than {MAX_VALUES:,} distinct values; "
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
