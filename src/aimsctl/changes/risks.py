"""Risk scores and system tiers: moved, new above the appetite, or judged more
leniently by HEAD's aims.yaml than by BASE's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ScoreState:
    """A risk's current position on one side: residual once credited, else inherent."""

    score: int
    band: str
    within_appetite: bool
    basis: str = "inherent"  # "residual" or "inherent"

    def as_json(self) -> dict[str, Any]:
        # The binding shape of cli.md: score and band (the text shows the basis too).
        return {"score": self.score, "band": self.band}

    def text(self) -> str:
        return f"{self.score} {self.band} ({self.basis})"


@dataclass(frozen=True, slots=True)
class RiskChange:
    """A risk whose current score, band or standing against the appetite changed."""

    id: str
    before: ScoreState
    after: ScoreState

    @property
    def appetite_crossed(self) -> bool:
        return self.before.within_appetite != self.after.within_appetite

    @property
    def now_above(self) -> bool:
        """Crossed from within the appetite to above it."""
        return self.before.within_appetite and not self.after.within_appetite

    @property
    def now_within(self) -> bool:
        return not self.before.within_appetite and self.after.within_appetite

    @property
    def raised_above(self) -> bool:
        """Above the appetite at both sides, and its score raised: no crossing, but worse
        (an acceptance given for the lower score now covers a higher one)."""
        return (
            not self.before.within_appetite
            and not self.after.within_appetite
            and self.after.score > self.before.score
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "appetite_crossed": self.appetite_crossed,
        }


@dataclass(frozen=True, slots=True)
class RelaxedRisk:
    """A risk within the appetite by HEAD's aims.yaml that BASE's would put above it.

    ``by_base`` is the risk as it is at HEAD, scored by BASE's settings (None where
    they cannot score it: the scales changed length); ``before`` is the risk at BASE
    (None for a risk added at HEAD).
    """

    id: str
    before: ScoreState | None
    after: ScoreState
    by_base: ScoreState | None

    @property
    def hidden_raise(self) -> bool:
        """Within the appetite at BASE and, by BASE's settings, above it at HEAD: a
        crossing that only the new settings hide."""
        return (
            self.before is not None
            and self.before.within_appetite
            and self.by_base is not None
            and not self.by_base.within_appetite
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": None if self.before is None else self.before.as_json(),
            "after": self.after.as_json(),
            "by_base_settings": None if self.by_base is None else self.by_base.as_json(),
        }


@dataclass(frozen=True, slots=True)
class RelaxedTier:
    """A system whose tier at HEAD is lower by HEAD's aims.yaml than by BASE's, or
    which BASE's settings see raised where HEAD's see no raise (``hidden_raise``).

    ``before`` is its tier at BASE (None for a system added at HEAD); ``by_base`` its
    tier at HEAD by BASE's settings (None where they cannot give it).
    """

    id: str
    before: str | None
    after: str
    by_base: str | None
    hidden_raise: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": self.before,
            "after": self.after,
            "by_base_settings": self.by_base,
            "raised_by_base_settings": self.hidden_raise,
        }


@dataclass(frozen=True, slots=True)
class TierChange:
    id: str
    before: str
    after: str
    raised: bool
    lowered: bool

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class NewRisk:
    id: str
    score: int
    band: str
    path: str  # where HEAD keeps it
