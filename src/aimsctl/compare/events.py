"""The management events a change records: nonconformities raised, closed or
reopened, audits completed, policies approved or retired, reviews held."""

from __future__ import annotations

from aimsctl.changes import (
    MANAGEMENT_EVENT_KINDS,
    Changes,
    management_events,
)
from aimsctl.compare.states import RecordState


def collect_management_events(
    changes: Changes, ids: list[str], before: dict[str, RecordState], after: dict[str, RecordState]
) -> None:
    """Nonconformities raised, closed or reopened, internal audits completed, policies
    approved or retired and management reviews held by the change: read from records
    valid at HEAD (and at BASE, where they were there), so an invalid record says nothing."""
    added = {ref.id for ref in changes.added}
    for record_id in ids:
        if record_id not in after:
            continue
        new, old = after[record_id], before.get(record_id)
        if new.kind not in MANAGEMENT_EVENT_KINDS or not new.valid:
            continue
        if old is None and record_id not in added:
            continue  # its file cannot be read at BASE: not known to be new
        if old is not None and (not old.valid or old.kind != new.kind):
            continue
        changes.management_events.extend(
            management_events(
                new.kind, record_id, old.data if old is not None else None, new.data, new.path
            )
        )
