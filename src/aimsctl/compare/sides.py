"""A record looked up at BASE and at HEAD: valid as a record of a kind, of another
kind, or gone; shared by the groups of changes."""

from __future__ import annotations

from typing import Any, TypeVar

from aimsctl.compare.states import RecordState
from aimsctl.repository import Repository
from aimsctl.scoring import Scorer

K = TypeVar("K")


def band_rank(scorer: Scorer, other: Scorer, band: str) -> int:
    """A band's position on ``scorer``, else on ``other`` (a band renamed in between)."""
    return scorer.rank(band) if band in scorer.bands else other.rank(band)


def valid_record(repo: Repository | None, record_id: str, kind: type[Any]) -> Any:
    if repo is None or record_id not in repo.entries:
        return None
    record = repo.entries[record_id].record
    return record if isinstance(record, kind) else None


def of_other_kind(repo: Repository | None, record_id: str, kind: type[Any]) -> bool:
    """Whether ``repo`` holds a valid record with this id that is not of ``kind``."""
    return (
        repo is not None
        and record_id in repo.entries
        and not isinstance(repo.entries[record_id].record, kind)
    )


def at_head(
    head: Repository | None, record_id: str, kind: type[K], removed: set[str]
) -> tuple[K | None, bool]:
    """A record of ``kind`` valid at BASE, at HEAD: the valid record (None when it is gone:
    removed, or rewritten as another kind), and whether HEAD can be judged at all (not
    where the record is invalid or unreadable: the gates trip for it, see GATE_KINDS)."""
    new: K | None = valid_record(head, record_id, kind)
    return new, new is not None or gone(head, record_id, kind, removed)


def gone(head: Repository | None, record_id: str, kind: type[Any], removed: set[str]) -> bool:
    """Whether HEAD no longer holds the record as one of ``kind``: removed (deleted, or
    moved where aims.yaml excludes it), or rewritten as a valid record of another kind."""
    return record_id in removed or of_other_kind(head, record_id, kind)


def file_of(
    record_id: str, new: object, before: dict[str, RecordState], after: dict[str, RecordState]
) -> str:
    """Where a record judged by a BASE-to-HEAD check is: its file at HEAD, or at BASE
    when HEAD no longer holds it as its kind (``new`` is None)."""
    return before[record_id].path if new is None else after[record_id].path
