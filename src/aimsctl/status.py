"""`aimsctl status`: where the management system stands, on one screen.

The systems by tier and stage, what validation finds, what is overdue and what
falls due within the window (:mod:`aimsctl.due`), the placeholders still to be
written (AIMS107's findings) and a readiness line per clause 4 to 10 and per
Annex A area (:mod:`aimsctl.readiness`). Nothing here prints: the formats are in
:mod:`aimsctl.outputs.status`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

from aimsctl import codes
from aimsctl.due import DEFAULT_WITHIN, DueList, due_list
from aimsctl.readiness import Line, Readiness, readiness
from aimsctl.records import AISystem
from aimsctl.scoring import UNASSESSED

if TYPE_CHECKING:
    from aimsctl.repository import Repository

STAGES: tuple[str, ...] = get_args(AISystem.model_fields["stage"].annotation)


@dataclass(frozen=True, slots=True)
class SystemRow:
    id: str
    title: str
    tier: str
    stage: str


@dataclass(frozen=True, slots=True)
class Placeholder:
    path: str
    line: int
    record: str | None


@dataclass(frozen=True)
class Status:
    organization: str
    as_of: date
    systems: tuple[SystemRow, ...]
    tiers: tuple[tuple[str, int], ...]  # highest band first, unassessed last
    stages: tuple[tuple[str, int], ...]  # in life-cycle order
    errors: int
    warnings: int
    waived: int  # findings a Waiver covers: counted, never silently dropped
    due: DueList
    placeholders: tuple[Placeholder, ...]
    readiness: Readiness
    relaxed: tuple[str, ...] = ()  # what `rules:` sets aside ("AIMS401 off")
    excluded: int = 0  # YAML files `exclude:` leaves out, not validated
    # The management system is being set up (AIMS624): what it lowers, in words.
    set_up: str | None = None
    # The day aims.yaml gives as `established`, when it gives one (a day to come while
    # the system is being set up).
    established: date | None = None
    # The systems' regulatory obligations by status (`aimsctl obligations`): a duty
    # missing for a system in use belongs on the one screen too.
    obligations: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        def line(found: Line) -> dict[str, Any]:
            return {
                "id": found.id,
                "title": found.title,
                "state": found.state,
                "ready": found.ready,
                "total": len(found.requirements),
                "gaps": found.gaps,
                "excluded": found.excluded,
                "overdue": found.overdue,
                "due": found.due,
            }

        return {
            "version": 1,
            "as_of": self.as_of.isoformat(),
            "organization": self.organization,
            "within": self.due.within,
            "systems": {
                "total": len(self.systems),
                "by_tier": dict(self.tiers),
                "by_stage": dict(self.stages),
                "items": [
                    {"id": s.id, "title": s.title, "tier": s.tier, "stage": s.stage}
                    for s in self.systems
                ],
            },
            "validation": {
                "errors": self.errors,
                "warnings": self.warnings,
                "waived": self.waived,
                "being_set_up": self.set_up is not None,
            },
            "due": {
                "overdue": self.due.overdue,
                "upcoming": len(self.due.items) - self.due.overdue,
                "items": [item.as_json() for item in self.due.items],
                "left_out": list(self.due.left_out),
            },
            "placeholders": {
                "count": len(self.placeholders),
                "items": [
                    {"path": p.path, "line": p.line, "record": p.record} for p in self.placeholders
                ],
            },
            "readiness": {
                "clauses": [line(found) for found in self.readiness.clauses],
                "annex_a": [line(found) for found in self.readiness.annex_a],
            },
            "obligations": self.obligations,
        }


def status(repo: Repository, within: int = DEFAULT_WITHIN) -> Status:
    """The repository's standing as of its as-of date, looking ``within`` days ahead."""
    from aimsctl.engine import run
    from aimsctl.obligations import obligations
    from aimsctl.rules.management import being_set_up
    from aimsctl.rules.management.established import set_up_later

    result = run(repo)
    systems = tuple(
        SystemRow(s.id, s.title, repo.tiers[s.id], s.stage) for s in repo.of_kind(AISystem)
    )
    tiers = Counter(s.tier for s in systems)
    bands = [*reversed(repo.scorer.bands), UNASSESSED]
    stages = Counter(s.stage for s in systems)
    due = due_list(repo, within)
    placeholders = tuple(
        Placeholder(d.path, d.line, d.record)
        for d in result.diagnostics
        if d.code == codes.PLACEHOLDER
    )
    return Status(
        organization=repo.config.organization,
        as_of=repo.as_of,
        systems=systems,
        tiers=tuple((band, tiers[band]) for band in bands if tiers[band]),
        stages=tuple((stage, stages[stage]) for stage in STAGES if stages[stage]),
        errors=result.errors,
        warnings=result.warnings,
        waived=len(result.waived),
        due=due,
        placeholders=placeholders,
        readiness=readiness(repo, due.items),
        relaxed=tuple(result.relaxed),
        excluded=result.excluded,
        set_up=set_up_later(repo) if being_set_up(repo) else None,
        established=repo.config.established,
        obligations=obligations(repo).totals(),
    )
