"""The Statement of Applicability: controls included, excluded, decided or taken
back, and statuses that move."""

from __future__ import annotations

from aimsctl.changes import (
    ADDED_EXCLUDED,
    ADDED_UNDECIDED,
    CHANGED,
    DECIDED,
    DECIDED_EXCLUDED,
    EXCLUDED,
    INCLUDED,
    PROGRESSED,
    REGRESSED,
    REMOVED,
    REMOVED_UNDECIDED,
    UNDECIDED,
    UNDECIDED_REGRESSED,
    Changes,
    ControlChange,
)
from aimsctl.compare.sides import of_other_kind, valid_record
from aimsctl.records import Control
from aimsctl.soa import settled
from aimsctl.vocabulary import CONTROL_STATUS_ORDER


def _status_effect(was: str | None, now: str | None, applicable: bool) -> str:
    if not applicable:
        return CHANGED
    if was is not None and now is None:
        # A status cleared on a control that applies says nothing is in place any more;
        # the README names only steps down, so this is the conservative reading: a
        # regression, below `not-started` (validate then asks for a status, AIMS204).
        return REGRESSED
    if was in CONTROL_STATUS_ORDER and now in CONTROL_STATUS_ORDER:
        assert was is not None and now is not None
        return (
            REGRESSED
            if CONTROL_STATUS_ORDER.index(now) < CONTROL_STATUS_ORDER.index(was)
            else PROGRESSED
        )
    return CHANGED


def compare_controls(changes: Changes, ids: list[str], added: set[str], removed: set[str]) -> None:
    """SoA rows: a control invalid, unreadable or of another kind at one side is skipped."""
    base, head = changes.base.repository, changes.head.repository
    out = changes.control_changes
    for record_id in ids:
        old: Control | None = valid_record(base, record_id, Control)
        new: Control | None = valid_record(head, record_id, Control)
        if old is None and new is None:
            continue
        if old is None:
            assert new is not None
            if record_id not in added and not of_other_kind(base, record_id, Control):
                continue
            if not settled(new):  # its applicable is no decision: neither in nor out
                out.append(ControlChange(record_id, "decided", None, False, ADDED_UNDECIDED))
                continue
            effect = INCLUDED if new.applicable else ADDED_EXCLUDED
            out.append(ControlChange(record_id, "applicable", None, new.applicable, effect))
            continue
        if new is None:
            # A control that became a valid record of another kind has left the SoA as
            # surely as a removed one (an invalid or unreadable one is not judged here).
            if record_id not in removed and not of_other_kind(head, record_id, Control):
                continue
            if not settled(old):  # it applied no more than it was excluded
                out.append(ControlChange(record_id, "decided", False, None, REMOVED_UNDECIDED))
                continue
            effect = REGRESSED if old.applicable else REMOVED
            out.append(ControlChange(record_id, "applicable", old.applicable, None, effect))
            continue
        if settled(old) != settled(new):
            # A placeholder's applicable and status decide nothing: the row is the
            # decision made, or taken back (the conservative reading: an applicable
            # control taken back regresses, an exclusion made is one added).
            if settled(new):
                effect = DECIDED if new.applicable else DECIDED_EXCLUDED
            else:
                effect = UNDECIDED_REGRESSED if old.applicable else UNDECIDED
            out.append(ControlChange(record_id, "decided", settled(old), settled(new), effect))
            continue
        if not settled(new):
            continue  # undecided at both: its flags changed no decision
        if old.applicable != new.applicable:
            effect = INCLUDED if new.applicable else EXCLUDED
            out.append(
                ControlChange(record_id, "applicable", old.applicable, new.applicable, effect)
            )
        if old.status != new.status:
            out.append(
                ControlChange(
                    record_id,
                    "status",
                    old.status,
                    new.status,
                    # Only a control that applies at both sides moves: an excluded
                    # one's status puts nothing in place, nor takes anything away.
                    _status_effect(old.status, new.status, old.applicable and new.applicable),
                )
            )
