"""Ids no record in the repository holds yet that are still not free: a draft's
(an excluded file) or one in a record file that cannot be read."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from aimsctl import yamlsafe
from aimsctl.fileio import read_regular
from aimsctl.loader import is_excluded
from aimsctl.record_dates import id_keys

if TYPE_CHECKING:
    from aimsctl.repository import Repository


def ids_in_excluded_files(repo: Repository) -> dict[str, str]:
    """Ids (with their kind) in YAML files the repository excludes (drafts): an id a
    draft uses is not free."""
    from aimsctl.loader import YAML_SUFFIXES, walk_files

    found: dict[str, str] = {}
    patterns = tuple(repo.config.exclude)
    if not patterns:
        return found
    for rel in sorted(walk_files(repo.root)):  # not the file system's order: a later
        # draft's kind for an id wins, and the kind decides the numbering it counts in
        if not rel.endswith(YAML_SUFFIXES) or not is_excluded(rel, patterns):
            continue
        raw = _bytes_of(repo, rel, yamlsafe.MAX_BYTES)
        if raw is None:
            continue
        text, _ = yamlsafe.decode(raw)
        parsed = yamlsafe.parse(text) if text is not None else None
        if parsed is None or parsed.problems:  # a draft half written: its id keys
            for record_id in id_keys(raw):
                found.setdefault(record_id, "")
        for document in parsed.documents if parsed is not None else ():
            data = document.data
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                found[data["id"]] = str(data.get("kind"))
    return found


def ids_in_unreadable_files(repo: Repository) -> set[str]:
    """Ids the ``id`` keys of record files that could not be read as YAML give: the
    file holds those records once it is fixed, so their ids are not free."""
    from aimsctl import codes

    found: set[str] = set()
    for rel in sorted({d.path for d in repo.diagnostics if d.code in codes.UNREADABLE}):
        raw = _bytes_of(repo, rel, sys.maxsize)  # all of it: one too large counts too
        if raw is not None:
            found |= id_keys(raw)
    return found


def _bytes_of(repo: Repository, rel: str, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the file; None when it cannot be read or is no
    regular file: a named pipe (`risks/pipe.yaml`) held the command forever, a link
    to /dev/zero read until memory ran out."""
    try:
        return read_regular(os.fspath(repo.root / rel), True, limit)
    except OSError:
        return None
