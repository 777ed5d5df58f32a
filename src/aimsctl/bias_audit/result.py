"""What a bias audit finds: its categories, dimensions and the whole result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

Mode = Literal["selection", "scoring"]
SELECTION: Final = "selection"
SCORING: Final = "scoring"
JOIN = " x "  # joins the columns of an intersectional dimension, and its values
# The US EEOC's four-fifths rule of thumb (29 CFR 1607.4(D)): --threshold's default.
FOUR_FIFTHS: Final = 0.8


def is_four_fifths(threshold: float) -> bool:
    """Whether ``threshold`` is the four-fifths rule of thumb: only then is a ratio under
    it flagged by that rule (`--threshold 0.5` is a limit of the audit's own)."""
    return threshold == FOUR_FIFTHS


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

    @property
    def compared(self) -> int:
        """How many categories have an impact ratio. Under two, nothing was compared:
        the only category's ratio is 1 by definition, not a measurement."""
        return sum(1 for g in self.groups if g.impact_ratio is not None)


def uncompared(dimensions: tuple[Dimension, ...]) -> list[Dimension]:
    """The dimensions in which fewer than two categories have an impact ratio."""
    return [d for d in dimensions if d.compared < 2]


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
        inputs and per-dimension totals (``compared``: the categories with an impact
        ratio; under two, ``nothing_compared``). Numbers are not rounded."""
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
                    "compared": d.compared,
                    "nothing_compared": d.compared < 2,
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
