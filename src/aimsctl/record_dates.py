"""When records came into being, and when systems last changed significantly, from git.

Two dates the records do not carry but the rules need:

- a record's *creation*: the commit date of the oldest commit whose files hold its
  id (a record not committed yet is created on the as-of date). A record never
  reviewed falls due for review counting from it (AIMS501).
- a system's last *material change*: the newest commit that changed its purpose,
  type, stage, decisions, data, third parties or oversight (and the as-of date when
  the working tree changes them). An approved impact assessment older than that no
  longer describes the system (AIMS407).

In a shallow clone the history stops at the oldest commits fetched, whose parents
are missing: a record they hold may be older than they are, so its creation is
unknown, and a system's change before them cannot be seen (``shallow_from``); the
rules then say they cannot tell rather than assume the history began there.

Commits dated after the as-of date are left out, so a run pinned with ``--as-of``
sees the history as it stood that day. Records are followed by id, so a move to
another file is not a new record. Only the files that commits change are read, and
each blob is parsed only when it names a wanted id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from aimsctl import yamlsafe
from aimsctl.errors import GitError
from aimsctl.loader import YAML_SUFFIXES
from aimsctl.vocabulary import MATERIAL_FIELDS

# An `id:` at the start of a line: where a record names itself.
_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


@dataclass
class RecordDates:
    """Dates taken from git history; absent ids have none (not asked, or held by the
    oldest commit of a shallow clone, so of unknown age)."""

    created: dict[str, date] = field(default_factory=dict)
    material_change: dict[str, date] = field(default_factory=dict)
    # A shallow clone: the date of its oldest fetched commit, before which (and in
    # which) nothing is known. None when the whole history is there.
    shallow_from: date | None = None


def _records(raw: bytes | None, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The wanted records of one file as written, by id."""
    if raw is None or not wanted.intersection(m.decode() for m in _ID_LINE.findall(raw)):
        return {}
    text, _ = yamlsafe.decode(raw)
    if text is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for document in yamlsafe.parse(text).documents:
        data = document.data
        if isinstance(data, dict):
            record_id = data.get("id")  # any YAML value: a list cannot be looked up
            if isinstance(record_id, str) and record_id in wanted:
                found.setdefault(record_id, data)
    return found


def _gather(blobs: Iterable[bytes | None], wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The wanted records found in some files (one side of a commit), by id."""
    found: dict[str, dict[str, Any]] = {}
    for raw in blobs:
        for record_id, data in _records(raw, wanted).items():
            found.setdefault(record_id, data)
    return found


def _material(record: dict[str, Any]) -> str:
    """The material fields as text, so `true` and `1` are told apart."""
    return json.dumps([record.get(name) for name in MATERIAL_FIELDS], sort_keys=True, default=str)


def _changed_materially(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[str]:
    """Records on both sides whose material fields differ (an addition is not a change,
    nor is a move to another file)."""
    return [
        record_id
        for record_id in before.keys() & after.keys()
        if _material(before[record_id]) != _material(after[record_id])
    ]


def record_dates(
    root: Path,
    as_of: date,
    created_of: Iterable[str],
    systems: Iterable[str],
    known: Mapping[str, bytes] | None = None,
) -> RecordDates | None:
    """Creation dates of ``created_of`` and last material changes of ``systems``;
    ``known`` holds the bytes of the files the run read, by path (they stand for
    the working tree's, and are not read again).

    None when ``root`` is not in a git repository (or git cannot be used): the
    dates are then unknown, which the rules say.
    """
    from aimsctl import gitio

    wanted_created, wanted_systems = set(created_of), set(systems)
    dates = RecordDates()
    if not wanted_created and not wanted_systems:
        return dates
    wanted = wanted_created | wanted_systems
    try:
        with gitio.CommitLog(root, YAML_SUFFIXES) as log:
            work = log.worktree_changes(known=known)
            before = _gather((c.head for c in work), wanted_systems)
            after = _gather((c.worktree for c in work), wanted_systems)
            for system_id in _changed_materially(before, after):
                dates.material_change[system_id] = as_of
            committed: set[str] = set()
            unknown: set[str] = set()  # held by a shallow clone's oldest commit
            for commit in log.commits():
                day = date.fromisoformat(commit.date[:10])
                if commit.grafted:  # its parents were not fetched: what it holds may be older
                    found = log.blobs([f.new for f in commit.changes if f.new])
                    unknown.update(_gather(found, wanted_created).keys())
                    dates.shallow_from = min(day, dates.shallow_from or day)
                    continue
                if day > as_of:
                    continue
                new = _gather(log.blobs([f.new for f in commit.changes if f.new]), wanted)
                for record_id in wanted_created & new.keys():
                    dates.created[record_id] = day  # older commits come later
                    committed.add(record_id)
                pending = wanted_systems - dates.material_change.keys()
                if pending & new.keys():
                    old = _gather(log.blobs([f.old for f in commit.changes if f.old]), pending)
                    for system_id in _changed_materially(old, new):
                        dates.material_change.setdefault(system_id, day)
    except GitError:
        return None
    for record_id in wanted_created - committed - unknown:
        dates.created[record_id] = as_of  # not committed yet: created now
    for record_id in unknown:
        dates.created.pop(record_id, None)
    return dates
