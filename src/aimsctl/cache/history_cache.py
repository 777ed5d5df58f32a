"""The history cache: what committed files name, by git blob id, kept between runs."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from aimsctl.cache.entries import SideEntry
from aimsctl.cache.git_state import git_environment, history_state
from aimsctl.record_dates import CommittedDates, FileIds, HistoryStop

# What committed files name, by git blob id, for the dates validation takes from git
# history (:mod:`aimsctl.record_dates`), in `validate-<hash>.history.json`. A blob's
# bytes never change, so what they name does not either: the item of a blob holds
# the ids its `id` keys give and, once a run has parsed it, the material fields of
# each record, which depend on aimsctl's code, the YAML library and Python, all in
# the entry's key. Read, written and rewritten like the per-file entry; each write
# keeps the blobs of that run.
#
# One more item, `dates` (no blob id is spelt so), holds the last walk over the
# commits (:class:`aimsctl.record_dates.CommittedDates`: what the commits give, the
# working tree left aside) with what it depends on: the walk's own key from
# record_dates (the commit HEAD names as git resolved it, what is walked, a shallow
# clone's cut-off commits, the as-of date, the ids asked and the systems the working
# tree changes) and git's state as the cache key reads it without git
# (:func:`history_state`: HEAD and its branch, packed refs, shallow, grafts, replace
# refs, the config, the submodules' repositories, a partial clone's objects, the
# LFS store; and git's environment). A run after an edit, HEAD where it was, takes
# it instead of running `git log` and reading the blobs; a new commit, a rewritten
# branch, a fetch, another as-of date or another question is a miss, and the walk is
# made as on a cold run. The state is read again after the walk, which is kept only
# where it did not move meanwhile.

_DATES = "dates"

HISTORY_FORMAT = "aimsctl-history-cache"
# 2: ids are found in flow and JSON records too (record_dates); 3: a Git LFS pointer
# blob is read as the content the LFS store holds for it, not as its pointer text;
# 4: a material change committed after the as-of date is dated on it, and commits
# are walked in --date-order (the walk's dates changed).
HISTORY_VERSION = 4


def _file_ids(item: object) -> FileIds | None:
    """A blob's item from the entry; None for anything malformed."""
    if not isinstance(item, list) or len(item) != 2:
        return None
    ids, material = item
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    if material is None:
        return FileIds(frozenset(ids))
    if not isinstance(material, dict) or not all(isinstance(m, str) for m in material.values()):
        return None
    return FileIds(frozenset(ids), material)


def _stop(item: object) -> HistoryStop:
    """A HistoryStop from its item; raises TypeError or ValueError if malformed."""
    if not isinstance(item, list) or len(item) != 3:
        raise TypeError(item)
    on, submodule, not_updated = item
    if not isinstance(submodule, str | None) or not isinstance(not_updated, bool):
        raise TypeError(item)
    return HistoryStop(_day(on), submodule, not_updated)


def _day(item: object) -> date:
    if not isinstance(item, str):
        raise TypeError(item)
    return date.fromisoformat(item)


def _pairs(item: object) -> list[tuple[str, object]]:
    if not isinstance(item, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in item
    ):
        raise TypeError(item)
    return [(pair[0], pair[1]) for pair in item]


def _committed(item: object) -> CommittedDates | None:
    """A walk's answer from its item's body; None for anything malformed."""
    try:
        if not isinstance(item, dict):
            return None
        unknown, shallow = item["unknown"], item["shallow_from"]
        if not isinstance(unknown, list) or not all(isinstance(i, str) for i in unknown):
            return None
        return CommittedDates(
            tuple((i, _day(day)) for i, day in _pairs(item["created"])),
            frozenset(unknown),
            tuple((i, _day(day)) for i, day in _pairs(item["material_change"])),
            None if shallow is None else _day(shallow),
            tuple((path, _stop(stop)) for path, stop in _pairs(item["submodule_gaps"])),
            tuple((i, _stop(stop)) for i, stop in _pairs(item["held_at_gap"])),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _stop_item(stop: HistoryStop) -> list[Any]:
    return [stop.on.isoformat(), stop.submodule, stop.not_updated]


def _committed_item(found: CommittedDates) -> dict[str, Any]:
    return {
        "created": [[i, day.isoformat()] for i, day in found.created],
        "unknown": sorted(found.unknown),
        "material_change": [[i, day.isoformat()] for i, day in found.material_change],
        "shallow_from": None if found.shallow_from is None else found.shallow_from.isoformat(),
        "submodule_gaps": [[path, _stop_item(stop)] for path, stop in found.submodule_gaps],
        "held_at_gap": [[i, _stop_item(stop)] for i, stop in found.held_at_gap],
    }


class HistoryCache(SideEntry):
    """A :class:`aimsctl.record_dates.BlobMemo` kept between runs (see the comment
    above). Load it, let the run ask and tell, then :meth:`save`."""

    FORMAT = HISTORY_FORMAT
    VERSION = HISTORY_VERSION
    SUFFIX = ".history.json"

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        super().__init__(root, folder)
        self._root = root
        self._state: str | None = None  # git's state when the walk's answer was asked
        self._walked = False  # a walk's answer to keep

    def _git_state(self) -> str:
        state, found = history_state(self._root)
        return hashlib.blake2b(state + b"\0" + git_environment(found), digest_size=16).hexdigest()

    def committed(self, key: str) -> CommittedDates | None:
        """The last walk's answer where it was made for ``key`` with git's state as it
        is now (see the comment above); None otherwise."""
        if self.path is None:
            return None
        self._state = self._git_state()
        old = self._loaded()
        item = old.get(_DATES)
        if not isinstance(item, list) or len(item) != 3 or item[:2] != [self._state, key]:
            return None
        found = _committed(item[2])
        if found is not None:  # no blob is asked: the entry stays as it is
            for sha, kept in old.items():
                self._new.setdefault(sha, kept)
        return found

    def keep_committed(self, key: str, found: CommittedDates) -> None:
        """Keep a walk's answer for ``key``, unless git's state moved since
        :meth:`committed` was asked (a commit made while the walk ran)."""
        if self.path is None or self._state is None or self._git_state() != self._state:
            return
        self._new[_DATES] = [self._state, key, _committed_item(found)]
        self._added += 1
        self._walked = True

    def save(self) -> None:
        """As :meth:`SideEntry.save`, but a new walk's answer is always written: the
        next run, HEAD where it is, takes it instead of walking again."""
        if self._walked and self.path is not None:
            self._save_body(self._new)
        else:
            super().save()

    def get(self, sha: str) -> FileIds | None:
        old = self._loaded()
        found = self._new.get(sha)
        if found is not None:
            return _file_ids(found)
        found = _file_ids(old.get(sha))
        if found is not None:
            self._new[sha] = old[sha]
        return found

    def put(self, sha: str, found: FileIds) -> None:
        material = None if found.material is None else dict(found.material)
        self._new[sha] = [sorted(found.ids), material]
        self._added += 1
