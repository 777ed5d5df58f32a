"""Where a new record's file goes, and names a checkout on Windows or macOS could
not hold."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import UsageError
from aimsctl.fileio import case_twin, windows_device
from aimsctl.records import Record

if TYPE_CHECKING:
    from aimsctl.repository import Repository


def record_place(repo: Repository, model: type[Record], record_id: str) -> tuple[Path, str]:
    """Where a new record of ``model`` goes: the folder most of its records are in
    (the kind's usual folder when it has none), as ``<id>.yaml`` (or ``.yml`` when
    the repository's files of that kind end so)."""
    folders: Counter[str] = Counter()
    suffixes: Counter[str] = Counter()
    for entry in repo.entries.values():
        if entry.record.kind == model.KIND:
            rel = entry.document.source.path
            folders[rel.rpartition("/")[0]] += 1
            suffixes[".yml" if rel.endswith(".yml") else ".yaml"] += 1
    folder = folders.most_common(1)[0][0] if folders else model.FOLDER
    suffix = suffixes.most_common(1)[0][0] if suffixes else ".yaml"
    rel = f"{folder}/{record_id}{suffix}" if folder else f"{record_id}{suffix}"
    return repo.root / rel, rel


def unportable(root: Path, rel: str) -> str | None:
    """Why a new file at ``rel`` would leave a repository that a colleague on Windows or
    macOS cannot check out whole, or None: its name is one Windows reserves for a
    device (``con.yaml``), or it differs only in letter case from a file or folder
    that exists (``r-1.yaml`` beside ``R-1.yaml``), which a file system that ignores
    case holds as one."""
    device = windows_device(rel.rpartition("/")[2])
    if device is not None:
        return (
            f"{rel} would be named as the device {device}, a name Windows reserves "
            "(CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9, with any extension): no Windows "
            "checkout of the repository could hold the file"
        )
    twin = case_twin(root, rel)
    if twin is not None:
        return (
            f"{rel} differs only in letter case from {twin}, which exists: Windows and "
            "macOS keep one file for both names, so a checkout there would lose one"
        )
    return None


def free_place(repo: Repository, model: type[Record], record_id: str) -> bool:
    """Whether the file a new record ``record_id`` would get (:func:`record_place`) does not
    exist and would not make the repository unportable (:func:`unportable`)."""
    path, rel = record_place(repo, model, record_id)
    return not os.path.lexists(path) and unportable(repo.root, rel) is None


def refuse_unportable(root: Path, rel: str, option: str = "id") -> None:
    """UsageError when a new record file at ``rel`` would be :func:`unportable`."""
    problem = unportable(root, rel)
    if problem is not None:
        raise UsageError(f"{problem}; choose another {option}")
