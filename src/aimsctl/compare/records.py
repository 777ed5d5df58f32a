"""Record by record, matched by id: what is added, removed, changed or invalid."""

from __future__ import annotations

from aimsctl.changes import (
    Changes,
    InvalidRecord,
    RecordChange,
    RecordRef,
)
from aimsctl.compare.states import RecordState
from aimsctl.fielddiff import field_changes


def _standing(state: RecordState | None, unreadable: bool) -> str:
    if state is None:
        return "unreadable" if unreadable else "absent"
    return "valid" if state.valid else "invalid"


def compare_record(
    changes: Changes,
    record_id: str,
    old: RecordState | None,
    new: RecordState | None,
    base_unreadable: dict[str, str],
    head_unreadable: dict[str, str],
    base_held: dict[str, str],
    head_held: dict[str, str],
) -> None:
    """``base_unreadable`` and ``head_unreadable``: the files a side cannot read;
    ``base_held`` and ``head_held``: the ids those files name, each with its file (see
    :func:`~aimsctl.compare.states.unreadable_ids`). A record gone at HEAD is unreadable
    there, not removed, when its file is one HEAD cannot read (edited in place) or a file
    HEAD cannot read names it (one it moved to): its gates still trip, as for any record
    HEAD cannot judge. A record new at HEAD is unreadable at BASE, not added, only when
    its own file is one BASE cannot read (repaired in place): an id named in some other
    broken file at BASE, a comment or a nested finding's as much as a record's, does not
    spare a record added at HEAD its gates."""
    current = new if new is not None else old
    if current is None:
        _only_unreadable(changes, record_id, base_held, head_held)
        return
    path, kind = current.path, current.kind
    # Spared at BASE only where its own file, there and unreadable, names it: a broken
    # file once at its path that named another id (or none) spares nothing.
    base_standing = _standing(old, path in base_unreadable and base_held.get(record_id) == path)
    head_standing = _standing(new, path in head_unreadable or record_id in head_held)
    if new is None and path not in head_unreadable and record_id in head_held:
        path = head_held[record_id]  # moved to a file HEAD cannot read
    invalid = InvalidRecord(kind, record_id, path, base_standing, head_standing)
    if old is None:
        assert new is not None
        if base_standing == "unreadable":  # its own file cannot be read at BASE
            changes.invalid.append(invalid)
            return
        changes.added.append(RecordRef(new.kind, record_id, new.path))
        if not new.valid:
            changes.invalid.append(invalid)
            changes.unjudged_new.append(RecordRef(new.kind, record_id, new.path))
        return
    if new is None:
        if head_standing == "unreadable":
            changes.invalid.append(invalid)
            if old.valid:
                changes.unjudged.append(RecordRef(old.kind, record_id, path))
            return
        changes.removed.append(RecordRef(old.kind, record_id, old.path))
        if not old.valid:
            changes.invalid.append(invalid)
        return
    invalid_at = tuple(label for label, state in (("BASE", old), ("HEAD", new)) if not state.valid)
    if old.record is not None and old.record is new.record:
        fields = []  # one object: the file did not change (the path may have)
    elif invalid_at:
        fields = field_changes(old.raw, new.raw)
    else:
        # Compared on the validated data (`Likely` and `4` are the same level), shown as
        # written in the files.
        fields = [f.as_written(old.raw, new.raw) for f in field_changes(old.data, new.data)]
    moved = old.path != new.path
    if fields or moved:
        changes.changed.append(
            RecordChange(
                new.kind or old.kind,
                record_id,
                new.path,
                tuple(fields),
                old.path if moved else None,
                invalid_at,
            )
        )
    # A record that stops validating counts even when the text found for it did not
    # change: a duplicate of its id added in another file makes it invalid at HEAD.
    if invalid_at and (fields or moved or old.valid != new.valid):
        changes.invalid.append(invalid)
        if old.valid:
            changes.unjudged.append(RecordRef(old.kind, record_id, new.path))


def _only_unreadable(
    changes: Changes, record_id: str, base_held: dict[str, str], head_held: dict[str, str]
) -> None:
    """A record found only in a file a side cannot read, by its id: its kind cannot be
    told. New at HEAD in such a file, it is listed as unreadable there, and the gates
    for records added invalid cannot judge it (see NEW_GATE_KINDS: of no kind known,
    it may be of any); in such a file at BASE and gone at HEAD, it is listed as
    unreadable at BASE, not as removed. Unreadable at both sides, nothing is known of
    a change (the notes name the files)."""
    at_base, at_head = base_held.get(record_id), head_held.get(record_id)
    if at_head is not None and at_base is None:
        changes.invalid.append(InvalidRecord(None, record_id, at_head, "absent", "unreadable"))
        changes.unjudged_new.append(RecordRef(None, record_id, at_head))
    elif at_base is not None and at_head is None:
        changes.invalid.append(InvalidRecord(None, record_id, at_base, "unreadable", "absent"))
