"""The history cache: what committed files name, by git blob id, kept between runs."""

from __future__ import annotations

from aimsctl.cache.entries import SideEntry
from aimsctl.record_dates import FileIds

# What committed files name, by git blob id, for the dates validation takes from git
# history (:mod:`aimsctl.record_dates`), in `validate-<hash>.history.json`. A blob's
# bytes never change, so what they name does not either: the item of a blob holds
# the ids its `id` keys give and, once a run has parsed it, the material fields of
# each record, which depend on aimsctl's code, the YAML library and Python, all in
# the entry's key. The dates themselves are worked out afresh every run, from the
# commits git lists (so a new commit, a rewritten branch or a shallow clone is seen);
# only reading and parsing the blobs is spared. Read, written and rewritten like the
# per-file entry; each write keeps the blobs of that run.

HISTORY_FORMAT = "aimsctl-history-cache"
# 2: ids are found in flow and JSON records too (record_dates); 3: a Git LFS pointer
# blob is read as the content the LFS store holds for it, not as its pointer text.
HISTORY_VERSION = 3


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


class HistoryCache(SideEntry):
    """A :class:`aimsctl.record_dates.BlobMemo` kept between runs (see the comment
    above). Load it, let the run ask and tell, then :meth:`save`."""

    FORMAT = HISTORY_FORMAT
    VERSION = HISTORY_VERSION
    SUFFIX = ".history.json"

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
