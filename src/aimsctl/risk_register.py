"""The risk register as `aimsctl risk` shows it: which risks, in which order, one by id.

Nothing here prints: the commands parse their options and call these functions,
and :mod:`aimsctl.outputs.risk` renders the results. Every number comes from the
one scoring engine through ``Repository.risk_scores`` and ``Repository.tiers``, so
the register, the matrix and the explanation of one risk never disagree.

The values an option accepts come from the models: statuses from
:data:`aimsctl.records.risk.RiskStatus`, bands from the configured scorer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, TypeAlias, get_args

from aimsctl.codes import DUPLICATE_KEY
from aimsctl.errors import UsageError
from aimsctl.formats import Choices
from aimsctl.records import AISystem, Risk
from aimsctl.records.risk import RiskStatus
from aimsctl.text import comma_list, natural_key, plural

if TYPE_CHECKING:
    from aimsctl.repository import Repository
    from aimsctl.scoring import RiskScore, Scorer

Scored: TypeAlias = "tuple[Risk, RiskScore]"

SORT = Choices("--sort", ("score", "id", "residual", "inherent"))
STATUS = Choices("--status", get_args(RiskStatus))


class SystemTier(NamedTuple):
    """One system's derived tier and how many of its risks are not closed."""

    id: str
    tier: str
    open_risks: int


@dataclass(frozen=True)
class Register:
    """The risks chosen and sorted, with every system's tier: what `risk score` shows."""

    repository: Repository
    rows: list[Scored]
    systems: list[SystemTier]

    @property
    def scorer(self) -> Scorer:
        return self.repository.scorer

    @property
    def appetite(self) -> str:
        return self.repository.config.risk.appetite

    @property
    def total(self) -> int:
        """Valid risks in the repository, chosen or not."""
        return len(self.repository.of_kind(Risk))

    @property
    def left_out(self) -> tuple[str, ...]:
        """The files with records that failed validation: not scored, not in the tiers."""
        return self.repository.failed_files()


def load_warnings(repository: Repository) -> list[str]:
    """What the risk commands say on standard error about the records they read: how
    many invalid records they skip (only the errors that leave a record out), and the
    risks that give a key twice, which are kept and scored with the first value, never
    silently, since a later line may say the risk is worse."""
    said = []
    errors = [d for d in repository.diagnostics if repository.left_out_by(d)]
    if errors:
        unnamed = {d.path for d in errors if d.record is None}
        skipped = len(repository.invalid) + repository.duplicates + len(unnamed)
        said.append(
            f"skipped {plural(skipped, 'invalid record')} ({plural(len(errors), 'error')}); "
            "run `aimsctl validate` to see them"
        )
    twice = sorted(
        {d.record for d in repository.diagnostics if d.code == DUPLICATE_KEY and d.record},
        key=natural_key,
    )
    if twice:
        said.append(
            f"{', '.join(twice)} {'gives' if len(twice) == 1 else 'give'} a key twice "
            f"({DUPLICATE_KEY}) and is scored with the first value; run `aimsctl validate` "
            "to see where"
        )
    return said


def chosen_bands(repository: Repository, values: Sequence[str]) -> list[str]:
    """The bands ``--band`` names: comma-separated, except that a band whose own name
    holds a comma in aims.yaml stays whole (ids and statuses have none)."""
    names = {name.casefold() for name in repository.config.risk.band_names}
    return [
        band
        for value in values
        for band in ([value] if value.casefold() in names else comma_list([value]))
    ]


def register(
    repository: Repository,
    systems: Sequence[str] = (),
    bands: Sequence[str] = (),
    statuses: Sequence[str] = (),
    above_appetite: bool = False,
    sort: str = "score",
) -> Register:
    """The register filtered (filters apply to risks only, never to the systems) and sorted."""
    rows = select(repository, systems, bands, statuses, above_appetite)
    return Register(repository, sort_rows(rows, sort), systems_summary(repository))


def known_systems(repository: Repository) -> list[str]:
    """Every system id a ``--system`` may name: records (valid or not) and risks' references."""
    return sorted(
        {s.id for s in repository.of_kind(AISystem)}
        | {system_id for r in repository.of_kind(Risk) for system_id in r.systems}
        | {i for i, kind in repository.invalid.items() if kind == "AISystem"}
    )


def select(
    repository: Repository,
    systems: Sequence[str] = (),
    bands: Sequence[str] = (),
    statuses: Sequence[str] = (),
    above_appetite: bool = False,
) -> list[Scored]:
    """The risks that pass every filter, by id; an unknown value is a usage error (exit 2).

    Bands match case-insensitively and filter on the current band (residual where
    given); ``above_appetite`` keeps the risks whose current band exceeds appetite.
    """
    scorer = repository.scorer
    system_choices = Choices("--system", tuple(known_systems(repository)))
    for system_id in systems:
        if not system_choices.names:
            raise UsageError(f"--system {system_id!r}: the repository has no AI system")
        system_choices.check(system_id)
    band_choices = Choices("--band", tuple(scorer.bands))
    wanted_bands: set[str] = set()
    for wanted in bands:
        # The band of that exact name, else every band of that name in another letter case.
        same = [n for n in scorer.bands if n.casefold() == wanted.casefold()]
        wanted_bands.update(
            [wanted] if wanted in scorer.bands else same or [band_choices.check(wanted)]
        )
    for status in statuses:
        STATUS.check(status)
    scores = repository.risk_scores
    chosen: list[Scored] = []
    for risk in repository.of_kind(Risk):
        result = scores[risk.id]
        if systems and not set(systems) & set(risk.systems):
            continue
        if wanted_bands and result.current.band not in wanted_bands:
            continue
        if statuses and risk.status not in statuses:
            continue
        if above_appetite and result.within_appetite:
            continue
        chosen.append((risk, result))
    return chosen


def sort_rows(rows: list[Scored], key: str) -> list[Scored]:
    """Rows in the order of a ``--sort`` key; ties (and ``id``) by risk id, its numbers by
    value (R-2 before R-10), as every report orders records."""
    if key == "id":
        return sorted(rows, key=lambda row: natural_key(row[0].id))
    if key == "inherent":
        return sorted(rows, key=lambda row: (-row[1].inherent.score, natural_key(row[0].id)))
    if key == "residual":
        # Risks with a residual first (highest first), then the untreated ones by id.
        return sorted(
            rows,
            key=lambda row: (
                row[1].residual is None,
                -row[1].residual.score if row[1].residual else 0,
                natural_key(row[0].id),
            ),
        )
    return sorted(rows, key=lambda row: (-row[1].current.score, natural_key(row[0].id)))


def systems_summary(repository: Repository) -> list[SystemTier]:
    """Every system record's tier and open (not closed) risks, by id."""
    tiers = repository.tiers
    return [
        SystemTier(
            system_id,
            tiers[system_id],
            sum(1 for r in repository.risks_by_system.get(system_id, ()) if r.status != "closed"),
        )
        for system_id in sorted(tiers, key=natural_key)
    ]


# --- the matrix ---------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    """Risk ids per (likelihood, severity) cell, closed risks left out."""

    scorer: Scorer
    cells: dict[tuple[int, int], list[str]]
    closed: int  # closed risks, excluded from the cells
    residual: bool  # placed at the current position (the residual once credited)
    left_out: tuple[str, ...] = ()  # files with records that failed validation: not counted
    # The inherent grid carries the current one: `risk matrix` shows both unless asked
    # for --residual alone (cli.md: counts, inherent and residual).
    current: Matrix | None = None

    @property
    def counted(self) -> int:
        return sum(len(ids) for ids in self.cells.values())

    @property
    def likelihoods(self) -> range:
        """Likelihood levels, highest first: the rows."""
        return range(self.scorer.likelihood.top, 0, -1)

    @property
    def severities(self) -> range:
        """Severity levels, lowest first: the columns."""
        return range(1, self.scorer.severity.top + 1)

    def ids(self, likelihood: int, severity: int) -> list[str]:
        return self.cells.get((likelihood, severity), [])


def matrix(repository: Repository, residual: bool = False) -> Matrix:
    """The likelihood x severity grid of the open risks at their current position; or
    at their inherent one, with the current grid as its ``current``."""
    from aimsctl.scoring import matrix_cells

    cells, closed = matrix_cells(repository.of_kind(Risk), repository.risk_scores, residual)
    current = None if residual else matrix(repository, residual=True)
    return Matrix(repository.scorer, cells, closed, residual, repository.failed_files(), current)


# --- one risk -----------------------------------------------------------------------


def id_key(record_id: str) -> str:
    """An id folded for "did you mean": case and leading zeros ignored (r-7 = R-007)."""
    return re.sub(r"\d+", lambda m: str(int(m.group())), record_id.casefold())


def find_risk(repository: Repository, risk_id: str) -> Risk:
    """The valid risk with this id; otherwise a usage error that says why, with a hint."""
    entry = repository.entries.get(risk_id)
    if entry is not None and isinstance(entry.record, Risk):
        return entry.record
    if entry is not None:
        raise UsageError(f"{risk_id!r} is not a Risk but a record of kind {entry.record.kind}")
    if risk_id in repository.invalid:
        raise UsageError(
            f"{risk_id!r} is invalid and was skipped; run `aimsctl validate` to see why"
        )
    ids = [r.id for r in repository.of_kind(Risk)]
    same = [i for i in ids if id_key(i) == id_key(risk_id)]
    if same:
        hint = f"; did you mean {same[0]!r}?"
    else:
        from aimsctl.validation_messages import did_you_mean

        hint = did_you_mean(risk_id, ids)
    # A file that could not be read as records (bad YAML, a byte that is not UTF-8)
    # names no record: the risk may be in it.
    unread = sorted(
        {d.path for d in repository.diagnostics if d.record is None and repository.left_out_by(d)}
    )
    if unread:
        from aimsctl.text import plural

        raise UsageError(
            f"no risk {risk_id!r} in the files that could be read; {plural(len(unread), 'file')} "
            f"could not be ({', '.join(unread)}) and may hold it: run `aimsctl validate` "
            f"to see why{hint}"
        )
    raise UsageError(f"no risk {risk_id!r} in the repository{hint}")
