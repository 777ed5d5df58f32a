"""The paths the records cite, which the key cannot see: where each resolves and
what it names, kept in an entry and probed again before a cached answer is used."""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.cache.key import type_of
from aimsctl.yamlsafe import MAX_BYTES

if TYPE_CHECKING:  # the models are loaded only on a miss: a cached answer needs none
    from aimsctl.repository import Repository


# Marks a cited path whose bytes validation reads, not only its place (a monitor's
# observations file): its probe holds a digest of its content too. No real path
# holds a NUL byte.
_CONTENT = "\0content\0"


def cited_paths(repo: Repository) -> list[str]:
    """Every path validation resolves on disk, as written: evidence paths, systems'
    documentation, evaluations' results, the policy text, audit reports and review
    minutes (`path_problem` in rules/soa.py; links among them are harmless), and
    monitors' observation files, whose content it reads."""
    from aimsctl.records import (
        AISystem,
        Control,
        Evaluation,
        InternalAudit,
        ManagementReview,
        Monitor,
        Policy,
    )

    found = {e.path for c in repo.of_kind(Control) for e in c.evidence if e.path is not None}
    found.update(reference for s in repo.of_kind(AISystem) for reference in s.documentation)
    found.update(e.results for e in repo.of_kind(Evaluation) if e.results is not None)
    documents = (
        *(p.document for p in repo.of_kind(Policy)),
        *(a.report for a in repo.of_kind(InternalAudit)),
        *(r.minutes for r in repo.of_kind(ManagementReview)),
    )
    found.update(document for document in documents if document is not None)
    found.update(
        _CONTENT + m.observations_file
        for m in repo.of_kind(Monitor)
        if m.observations_file is not None
    )
    return sorted(found)


def _content(root: Path, reference: str) -> str:
    """A digest of the bytes validation would read at ``reference`` (at most one byte
    more than a file may hold), or why there are none. Only a regular file is read,
    opened without blocking (a named pipe cannot hang the run)."""
    try:
        fd = os.open(
            root / posixpath.normpath(reference), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        )
    except (OSError, ValueError) as error:
        return "!" + type(error).__name__
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder cannot even be wrapped in a file
        os.close(fd)
        return "!not-a-file"
    with os.fdopen(fd, "rb") as handle:
        return hashlib.blake2b(handle.read(MAX_BYTES + 1), digest_size=32).hexdigest()


def probe(root: Path, reference: str) -> str:
    """What validation can learn from disk about a cited path: where it resolves (it
    may leave the repository through a link and come back through another) and what
    its normal form names, links followed (exists, a file, a folder), and whether a
    file holds no bytes (evidence that shows nothing, AIMS503); for a file whose
    content validation reads, a digest of that content too."""
    if reference.startswith(_CONTENT):
        path = reference[len(_CONTENT) :]
        return f"{probe(root, path)}\0{_content(root, path)}"
    try:
        where = os.fspath((root / reference).resolve())
    except (OSError, RuntimeError, ValueError) as error:  # a loop, a NUL byte
        where = "!" + type(error).__name__
    try:
        found = os.stat(root / posixpath.normpath(reference))
        what = type_of(found.st_mode)
        if what == "f" and found.st_size == 0:
            what = "f0"
    except OSError as error:
        what = f"!{error.errno}"
    except ValueError:
        what = "!ValueError"
    return f"{where}\0{what}"


def probes(repo: Repository) -> dict[str, str]:
    """The state of every cited path, to check again before a cached answer is used."""
    return {reference: probe(repo.root, reference) for reference in cited_paths(repo)}
