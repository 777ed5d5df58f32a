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


def _standing(state: RecordState | None, unreadable: dict[str, str], path: str) -> str:
    if state is None:
        return "unreadable" if path in unreadable else "absent"
    return "valid" if state.valid else "invalid"


def compare_record(
    changes: Changes,
    record_id: str,
    old: RecordState | None,
    new: RecordState | None,
    base_unreadable: dict[str, str],
    head_unreadable: dict[str, str],
) -> None:
    current = new if new is not None else old
    if current is None:
        return
    path, kind = current.path, current.kind
    base_standing = _standing(old, base_unreadable, path)
    head_standing = _standing(new, head_unreadable, path)
    invalid = InvalidRecord(kind, record_id, path, base_standing, head_standing)
    if old is None:
        assert new is not None
        if base_standing == "unreadable":  # its file exists at BASE but cannot be read
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
                changes.unjudged.append(RecordRef(old.kind, record_id, old.path))
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
