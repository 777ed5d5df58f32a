"""The one risk-scoring engine: levels, scores, bands, appetite, acceptance, tiers.

Pure functions over the configuration and records; no I/O. Every view that shows
a score (register, heatmap, reports, diff, rules) calls this module, so two
screens never disagree about one risk.

The rules, in one place:

- A level is a number ``1..N`` or a label of the configured scale; likelihood and
  severity each have their own scale of 2 to 10 labels.
- ``affects_vulnerable: true`` adds ``vulnerable_uplift`` severity levels, capped
  at the top of the severity scale. Every score shows the effective levels.
- The score is always likelihood x severity (it orders risks). The band comes
  from ``bands`` (method ``multiply``: the first band whose ``max`` the score does
  not exceed) or from the ``matrix`` cell ``[likelihood][severity]`` (method
  ``matrix``).
- A severity floor (``severity_floor``) gives every score whose effective
  severity reaches a floor's level at least that floor's band, however unlikely:
  a rare catastrophe is never averaged away by the multiplication.
- The *current* position is the residual only once the treatment is in place
  (``residual_credit: implemented``, the default): the treatment's ``completed``
  date has come, or every control it names is an applicable Control with status
  ``implemented`` whose scope takes in the risk's systems (the repository decides
  which controls count: ``Repository.risk_scores``). Until then the current
  position is the inherent one and the residual is the *planned* position. With
  ``residual_credit: planned`` a written residual counts at once.
- Appetite judges the current band; an acceptance is in force from its ``on``
  date up to and including its ``expires`` date, and counts only when its signer
  may accept the risk (the repository decides who may: AIMS305's
  ``acceptance_refused``).
- A system's tier is the highest current band among its risks that are not
  closed; with none it is ``unassessed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from aimsctl.text import composed

if TYPE_CHECKING:
    from aimsctl.config import RiskConfig
    from aimsctl.records.assessment import Impact
    from aimsctl.records.risk import Acceptance, Levels, Risk

UNASSESSED = "unassessed"


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered list of level labels; level n is the n-th label (from 1)."""

    labels: tuple[str, ...]
    _numbers: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every record's levels pass through `level`: look labels up, don't scan.
        # Composed first: a label typed with a combining accent is the label it shows.
        numbers = {composed(label).casefold(): n for n, label in enumerate(self.labels, start=1)}
        object.__setattr__(self, "_numbers", numbers)

    def level(self, value: int | str) -> int | None:
        """The level number for a number or a (case-insensitive) label, else None."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value if 1 <= value <= len(self.labels) else None
        return self._numbers.get(composed(value.strip()).casefold())

    def label(self, number: int) -> str:
        return self.labels[number - 1]

    @property
    def top(self) -> int:
        return len(self.labels)

    def renumbers(self, other: Scale) -> bool:
        """Whether a label of this scale names a level of another number on ``other``
        (labels compared as :meth:`level` reads them): a level written by that label
        then means another level, though the numbers of the two scales look alike."""
        return any(other._numbers.get(label, n) != n for label, n in self._numbers.items())

    def reads_as(self, other: Scale) -> bool:
        """Whether a level number names the same level here and on ``other`` (as many
        levels, no label moved to another number): only then can a level read by one
        be compared with a level read by the other by number."""
        return self.top == other.top and not self.renumbers(other)

    def same_label(self, number: int, other: Scale, other_number: int) -> bool:
        """Whether level ``number`` here and level ``other_number`` on ``other`` have
        one label (compared as :meth:`level` reads labels)."""
        return (
            composed(self.label(number)).casefold()
            == composed(other.label(other_number)).casefold()
        )


@dataclass(frozen=True, slots=True)
class Score:
    likelihood: int  # effective levels, after the vulnerable uplift
    severity: int
    score: int
    band: str
    floored: bool = False  # the band was raised to a severity floor's min_band
    uplift: int = 0  # severity levels the vulnerable uplift added (after capping)


Basis = Literal["residual", "inherent"]


@dataclass(frozen=True, slots=True)
class RiskScore:
    """What the engine concludes about one risk as of a date."""

    inherent: Score
    residual: Score | None  # as written: the planned position until the treatment is in place
    basis: Basis  # which position is current
    in_place: bool  # the treatment is carried out (completed, or its controls implemented)
    within_appetite: bool  # judged on the current position
    accepted: bool  # an acceptance by someone who may give it is in force on the as-of date
    acceptance_expired: bool
    acceptance_designated: bool = True  # its signer may accept the risk (AIMS305)

    @property
    def current(self) -> Score:
        """The position that counts: the residual once it is credited, else inherent."""
        if self.basis == "residual" and self.residual is not None:
            return self.residual
        return self.inherent

    @property
    def planned(self) -> bool:
        """A residual is written but not credited yet: it is the planned position."""
        return self.residual is not None and self.basis == "inherent"


class Scorer:
    """Scores risks on one configured scale."""

    def __init__(self, config: RiskConfig) -> None:
        self.config = config
        self.likelihood = Scale(tuple(config.likelihood))
        self.severity = Scale(tuple(config.severity))
        self.bands = config.band_names
        self._rank = {name: index for index, name in enumerate(self.bands)}
        self._appetite_rank = self.rank(config.appetite)
        # (severity level, minimum band), for floors whose level is on the scale.
        self.floors: tuple[tuple[int, str], ...] = tuple(
            (level, floor.min_band)
            for floor in config.severity_floor
            if (level := self.severity.level(floor.severity)) is not None
        )
        # Scores by (likelihood, severity, vulnerable): a few dozen cells on a scale,
        # asked for by every risk and impact of a repository.
        self._scores: dict[tuple[int, int, bool], Score] = {}

    @property
    def current_words(self) -> str:
        """Which position is current, in words: the title of every current-position view."""
        if self.config.residual_credit == "planned":
            return "residual where given, else inherent"
        return "residual once the treatment is in place, else inherent"

    @property
    def current_rule(self) -> str:
        """Which position is current, as a sentence for a reader of the register."""
        if self.config.residual_credit == "planned":
            return (
                "The current risk is the residual wherever one is given, whether or not the "
                "treatment is in place yet (aims.yaml credits planned treatment), else the "
                "inherent risk."
            )
        return (
            "The current risk is the residual once the treatment is in place (completed, or "
            "every control it names implemented); until then it is the inherent risk and the "
            "residual is only planned."
        )

    @property
    def top_score(self) -> int:
        """The highest possible score: the top likelihood times the top severity."""
        return self.likelihood.top * self.severity.top

    def rank(self, band: str) -> int:
        """Position of a band, low to high; `unassessed` (or any unknown name) ranks below all."""
        return self._rank.get(band, -1)

    def band_of_score(self, score: int) -> str:
        """The band of a score under `multiply`: the first band whose max it does not exceed."""
        for band in self.config.bands:
            if score <= band.max:
                return band.name
        return self.config.bands[-1].name

    def band(self, likelihood: int, severity: int) -> str:
        """The band of effective levels: the matrix cell, or the band of their product,
        raised to the highest severity floor that applies."""
        return self._banded(likelihood, severity)[0]

    def _banded(self, likelihood: int, severity: int) -> tuple[str, bool]:
        """The band and whether a severity floor raised it."""
        if self.config.method == "matrix" and self.config.matrix is not None:
            band = self.config.matrix[likelihood - 1][severity - 1]
        else:
            band = self.band_of_score(likelihood * severity)
        floor = self.floor(severity)
        if floor is not None and self.rank(floor) > self.rank(band):
            return floor, True
        return band, False

    def floor(self, severity: int) -> str | None:
        """The highest min_band among the severity floors that ``severity`` reaches."""
        reached = [band for level, band in self.floors if severity >= level]
        return max(reached, key=self.rank) if reached else None

    def band_range(self, band: str) -> tuple[int, int]:
        """The scores a band covers under `multiply` (lowest, highest).

        The highest is capped at the top score, so the ranges of all bands
        partition ``1..top_score`` (a band that no score reaches is empty: its
        lowest exceeds its highest).
        """
        low = 1
        for entry in self.config.bands:
            if entry.name == band:
                return low, min(entry.max, self.top_score)
            low = entry.max + 1
        raise KeyError(band)

    def uplift(self, severity: int, vulnerable: bool) -> int:
        """Severity levels added for vulnerable groups, capped at the top of the scale."""
        if not vulnerable:
            return 0
        return max(0, min(self.config.vulnerable_uplift, self.severity.top - severity))

    def capped_uplift(self, score: Score, vulnerable: bool) -> str:
        """Why a position of a risk that affects vulnerable groups gained fewer levels
        than `vulnerable_uplift` ("uplift 1 capped at the top level 5"), else "": the
        words `risk show` and the risks report both use."""
        uplift = self.config.vulnerable_uplift
        if not vulnerable or score.uplift >= uplift:
            return ""
        return f"uplift {uplift} capped at the top level {self.severity.top}"

    def score(self, likelihood: int, severity: int, vulnerable: bool = False) -> Score:
        cell = (likelihood, severity, vulnerable)
        found = self._scores.get(cell)
        if found is None:
            added = self.uplift(severity, vulnerable)
            effective = severity + added
            band, floored = self._banded(likelihood, effective)
            found = Score(likelihood, effective, likelihood * effective, band, floored, added)
            self._scores[cell] = found
        return found

    def within_appetite(self, band: str) -> bool:
        return self._rank.get(band, -1) <= self._appetite_rank

    def levels(self, levels: Levels, vulnerable: bool) -> Score:
        return self.score(int(levels.likelihood), int(levels.severity), vulnerable)

    def impact(self, impact: Impact, vulnerable: bool = False) -> Score:
        """An impact of an impact assessment, on the same scale as the risks.

        ``vulnerable`` applies the uplift; whether an impact falls on vulnerable
        groups is the caller's judgement (e.g. one of its groups is a stakeholder
        marked vulnerable).
        """
        return self.score(int(impact.likelihood), int(impact.severity), vulnerable)

    @staticmethod
    def acceptance_in_force(acceptance: Acceptance | None, as_of: date) -> bool:
        """An acceptance counts from its `on` date up to and including `expires`."""
        return acceptance is not None and acceptance.on <= as_of <= acceptance.expires

    @staticmethod
    def treatment_in_place(risk: Risk, as_of: date, implemented: Callable[[str], bool]) -> bool:
        """Whether the treatment is carried out: its ``completed`` date has come, or it
        names controls and every one of them is implemented. A treatment that names no
        control and has no completion date is only a plan."""
        treatment = risk.treatment
        if treatment is None:
            return False
        if treatment.completed is not None and treatment.completed <= as_of:
            return True
        for control in treatment.controls:  # a loop: a generator per risk cost more
            if not implemented(control):
                return False
        return bool(treatment.controls)

    def assess(
        self,
        risk: Risk,
        as_of: date,
        implemented: Callable[[str], bool] = lambda _: False,
        designated: Callable[[str], bool] = lambda _: True,
    ) -> RiskScore:
        """One risk as of a date; ``implemented`` says whether a control id is an
        applicable Control with status implemented, ``designated`` whether someone may
        accept the risk (an acceptance signed by anyone else is not in force)."""
        vulnerable = risk.affects_vulnerable
        inherent = self.levels(risk.inherent, vulnerable)
        residual = self.levels(risk.residual, vulnerable) if risk.residual else None
        in_place = self.treatment_in_place(risk, as_of, implemented)
        credited = residual is not None and (in_place or self.config.residual_credit == "planned")
        current = residual if credited and residual is not None else inherent
        acceptance = risk.acceptance
        signed = acceptance is None or designated(acceptance.by)
        return RiskScore(
            inherent=inherent,
            residual=residual,
            basis="residual" if credited else "inherent",
            in_place=in_place,
            within_appetite=self.within_appetite(current.band),
            accepted=signed and self.acceptance_in_force(acceptance, as_of),
            acceptance_expired=acceptance is not None and acceptance.expires < as_of,
            acceptance_designated=signed,
        )

    def tier(self, scores: Iterable[tuple[Risk, RiskScore]]) -> str:
        """Highest band among the open (not closed) risks; `unassessed` with none."""
        best = UNASSESSED
        for risk, score in scores:
            if risk.status != "closed" and self.rank(score.current.band) > self.rank(best):
                best = score.current.band
        return best


def matrix_cells(
    risks: Iterable[Risk], scores: dict[str, RiskScore], residual: bool
) -> tuple[dict[tuple[int, int], list[str]], int]:
    """Risk ids per (likelihood, severity) cell of the heatmap, and how many were closed.

    Closed risks are left out; ``residual`` places each risk at its current position
    (the residual once credited, else inherent). Every heatmap and matrix view uses
    this.
    """
    cells: dict[tuple[int, int], list[str]] = {}
    closed = 0
    for risk in risks:
        if risk.status == "closed":
            closed += 1
            continue
        score = scores[risk.id].current if residual else scores[risk.id].inherent
        cells.setdefault((score.likelihood, score.severity), []).append(risk.id)
    return cells, closed
