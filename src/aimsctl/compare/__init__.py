"""Compare the governance records of two revisions: what a change does to governance.

Records are matched by id, never by file, so a record that moves to another file
is one record with a new path, not a removal and an addition. Each side is a
:class:`~aimsctl.revision.Snapshot` loaded on its own, with its own aims.yaml: a
change of the scale, bands or appetite re-scores that side's risks through its
own scorer, and the comparison shows the result.

Fields are compared on the validated data (levels resolved to numbers, dates in
ISO form, defaults left out), so writing ``Likely`` as ``4`` is no change. A record
that is invalid at one of the two revisions cannot be validated there; both
sides are then compared as written, and the comparison says so.

Nothing here prints: :func:`compare` returns a plain :class:`~aimsctl.changes.Changes`,
which the formats in :mod:`aimsctl.outputs.diff` render.
"""

from __future__ import annotations

from typing import Any

from aimsctl import codes, collector
from aimsctl.changes import Changes
from aimsctl.compare.controls import compare_controls
from aimsctl.compare.events import collect_management_events
from aimsctl.compare.records import compare_record
from aimsctl.compare.relaxed_checks import relaxed_checks
from aimsctl.compare.removed import (
    removed_evaluations,
    removed_management_records,
    removed_monitors,
    removed_open_records,
    removed_systems,
    withdrawn_policies,
)
from aimsctl.compare.results import (
    downgraded_incidents,
    relaxed_thresholds,
    rewritten_breaches,
    rewritten_failures,
    testing_and_monitoring,
)
from aimsctl.compare.risks import compare_risks, compare_tiers, judge_by_base_settings
from aimsctl.compare.states import (
    RecordState,
    duplicated_ids,
    record_states,
    repeated_keys,
    set_apart_repeated_keys,
    unreadable_ids,
    written_in,
)
from aimsctl.compare.systems import material_changes, new_systems, unassessed_systems
from aimsctl.compare.worsened import gone_backwards, rewritten_sign_offs
from aimsctl.fielddiff import field_changes
from aimsctl.loader import CONFIG_FILE
from aimsctl.revision import Snapshot
from aimsctl.text import natural_key


def compare(base: Snapshot, head: Snapshot) -> Changes:
    """Everything that differs between two sides, each list sorted by id."""
    with collector.alive_frozen():  # both sides' records are alive throughout
        return _compare(base, head)


def _compare(base: Snapshot, head: Snapshot) -> Changes:
    changes = Changes(base, head)
    set_apart_repeated_keys(base.repository)
    set_apart_repeated_keys(head.repository)
    dumps: dict[int, Any] = {}
    before, base_unreadable = record_states(base, dumps)
    after, head_unreadable = record_states(head, dumps)
    for side, label in ((base, "BASE"), (head, "HEAD")):
        if side.repository is None:
            other = "added" if side is base else "removed"
            changes.notes.append(
                f"{label} ({side.describe()}) has no {CONFIG_FILE}, so it holds no records: "
                f"every record of the other side counts as {other}"
            )
    if base.repository is not None and head.repository is not None:
        changes.config = field_changes(
            base.repository.config.model_dump(mode="json"),
            head.repository.config.model_dump(mode="json"),
        )
    _duplicated_ids(changes, (("BASE", base, before, after), ("HEAD", head, after, before)), dumps)
    for label, unreadable in (("BASE", base_unreadable), ("HEAD", head_unreadable)):
        for path, message in unreadable.items():
            changes.notes.append(
                f"{path} cannot be read in full at {label} ({message}); a record missing "
                "from it there is not counted as added or removed"
            )
    # The records the files a side cannot read hold, by the ids they name.
    base_held = unreadable_ids(base, before, base_unreadable)
    head_held = unreadable_ids(head, after, head_unreadable)
    ids = sorted(before.keys() | after.keys(), key=natural_key)  # one order for every list
    held = base_held.keys() | head_held.keys()
    for record_id in sorted(before.keys() | after.keys() | held, key=natural_key):
        old, new = before.get(record_id), after.get(record_id)
        compare_record(
            changes, record_id, old, new, base_unreadable, head_unreadable, base_held, head_held
        )
    listed = {record.id for record in changes.invalid}
    for label, side in (("BASE", base), ("HEAD", head)):
        for record_id, where in repeated_keys(side.repository).items():
            if record_id in listed:
                changes.notes.append(
                    f"{record_id} gives a key twice at {label} ({where}): aimsctl reads the "
                    "first value and other YAML readers the last, so it is compared as "
                    "written and not judged there"
                )
    added = {ref.id for ref in changes.added}
    removed = {ref.id for ref in changes.removed}
    compare_risks(changes, ids, added)
    compare_tiers(changes)
    judge_by_base_settings(changes, ids)
    compare_controls(changes, ids, added, removed)
    removed_open_records(changes, ids, before, removed)
    new_systems(changes, after, added)
    unassessed_systems(changes, before, after, added)
    material_changes(changes)
    testing_and_monitoring(changes, after, added)
    relaxed_thresholds(changes, ids, after)
    downgraded_incidents(changes, ids, after)
    rewritten_failures(changes, ids, before, after, removed)
    rewritten_breaches(changes, ids, before, after, removed)
    removed_monitors(changes, ids, before, after, removed)
    removed_evaluations(changes, ids, before, after, removed)
    removed_management_records(changes, ids, before, removed)
    removed_systems(changes, ids, before, removed)
    withdrawn_policies(changes, before, after, removed)
    gone_backwards(changes, ids, before, after)
    rewritten_sign_offs(changes, ids, before, after)
    relaxed_checks(changes, before)
    collect_management_events(changes, ids, before, after)
    return changes


def _duplicated_ids(
    changes: Changes,
    sides: tuple[tuple[str, Snapshot, dict[str, RecordState], dict[str, RecordState]], ...],
    dumps: dict[int, Any],
) -> None:
    """An id that several records give at a side (AIMS105) is compared as written in the
    file the other side holds it in, where that is one of them: which file a name sorts
    first in must not make a move of it, nor hide the copy. A note names every file."""
    for label, side, states, other in sides:
        for record_id, paths in duplicated_ids(side.repository).items():
            repo = side.repository
            assert repo is not None
            theirs = other.get(record_id)
            mine = states.get(record_id)
            if (
                theirs is not None
                and theirs.path in paths
                and (mine is None or mine.path != theirs.path)
            ):
                states[record_id] = mine = written_in(repo, record_id, theirs.path, dumps)
            where = f"compared as written in {mine.path}" if mine is not None else "not compared"
            changes.notes.append(
                f"{record_id} is given by more than one record at {label} ({', '.join(paths)}; "
                f"{codes.DUPLICATE_ID}): {where}, and not judged there"
            )
