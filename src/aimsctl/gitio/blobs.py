"""Blob contents read from git's object store, as a checkout would hold them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.fileio import lfs_pointer, read_regular
from aimsctl.gitio.running import damaged_error, run_git_bytes
from aimsctl.links import DATA_SUFFIXES as _DATA_SUFFIXES
from aimsctl.links import follow_links

if TYPE_CHECKING:
    import git


SYMLINK_MODE = "120000"
REGULAR_MODES = frozenset({"100644", "100755"})
CONVERT_MAX = 32 * 1024 * 1024  # larger files are not tried with line endings converted


# The constructors of the two hashes git names objects with, called directly:
# ``hashlib.new`` looks the name up on every call, which took a third of the time of
# hashing a record file (10,000 files: 15 ms against 10 ms).
_HASHES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


def blob_id(data: bytes, algorithm: str, kind: bytes = b"blob") -> str:
    """The object id git gives a blob (or other ``kind``) of ``data``: sha1 (or
    sha256) of header and data."""
    make = _HASHES.get(algorithm)
    digest = (
        make(usedforsecurity=False)
        if make is not None
        else hashlib.new(algorithm, usedforsecurity=False)
    )
    digest.update(b"%s %d\0" % (kind, len(data)))
    digest.update(data)
    return digest.hexdigest()


# The object id of a file with no bytes, in either hash git may use.
EMPTY_BLOBS = frozenset(blob_id(b"", algorithm) for algorithm in _HASHES)


def empty_files(entries: dict[str, tuple[str, str]]) -> frozenset[str]:
    """The regular files among ``entries`` that hold no bytes: git knows them by their
    object id, so none is read (evidence nobody filled in, AIMS503)."""
    return frozenset(
        rel for rel, (mode, oid) in entries.items() if mode in REGULAR_MODES and oid in EMPTY_BLOBS
    )


def read_blobs(
    repo: git.Repo,
    entries: dict[str, tuple[str, str]],
    suffixes: tuple[str, ...] | None,
    blobs: dict[str, bytes] | None = None,
    links: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """The content of the regular files among ``entries`` (sorted by path), optionally
    only those whose names end with one of ``suffixes``. ``blobs`` holds contents by
    object id already read (and gets those read here). A symbolic link between data
    files (records, observations: :data:`_DATA_SUFFIXES`) inside the governance root
    is read as the file it leads to, as a checkout would be, through linked folders
    too; no other link is (a report template never is, as in the working tree).
    ``links`` gets the target of every symbolic link among ``entries``, by path."""
    blobs = {} if blobs is None else blobs
    wanted: dict[str, str] = {}
    data_links: list[str] = []
    for rel, (mode, oid) in sorted(entries.items()):
        if suffixes is not None and not ends_with(rel, suffixes):
            continue
        if mode in REGULAR_MODES:
            wanted[rel] = oid
        elif mode == SYMLINK_MODE and ends_with(rel, _DATA_SUFFIXES):
            data_links.append(rel)
    linked = {rel: oid for rel, (mode, oid) in entries.items() if mode == SYMLINK_MODE}
    if linked and (data_links or links is not None):
        blobs.update(_cat_all(repo, set(linked.values()) - blobs.keys()))
        targets = {
            rel: blobs[oid].decode("utf-8", "surrogateescape") for rel, oid in linked.items()
        }
        if links is not None:
            links.update(targets)
        for rel in data_links:
            followed = follow_links(rel, targets)
            if (
                isinstance(followed, str)
                and ends_with(followed, _DATA_SUFFIXES)
                and entries.get(followed, ("", ""))[0] in REGULAR_MODES
            ):
                wanted[rel] = entries[followed][1]
    blobs.update(_cat_all(repo, {oid for oid in wanted.values() if oid not in blobs}))
    return {
        rel: lfs_content(repo, blobs[oid]) if ends_with(rel, _DATA_SUFFIXES) else blobs[oid]
        for rel, oid in sorted(wanted.items())
    }


def ends_with(rel: str, suffixes: tuple[str, ...]) -> bool:
    """Whether ``rel``'s extension is one of ``suffixes`` (each one lower-case
    extension, such as ``.yaml``) in any case: a checkout holds `R-9.YAML` as well,
    which validation reports (AIMS008) and whose text it reads where a record it
    cannot find may be in it, so its bytes are read from git too and a revision
    answers as a checkout does. Which files are records is not decided here."""
    if rel.endswith(suffixes):
        return True
    dot = rel.rfind(".")
    return dot >= 0 and rel[dot:].lower() in suffixes


def lfs_content(repo: git.Repo, blob: bytes) -> bytes:
    """What a checkout holds for a data file whose blob is ``blob``: where it is a Git
    LFS pointer, the content the repository's LFS store holds for it (what `git lfs
    pull` fetched into `.git/lfs/objects`), checked against the pointer's sha256 and
    size; else the blob itself. aimsctl never fetches an object: one not in the store
    is read as its pointer (:func:`fileio.lfs_pointer` tells)."""
    found = lfs_pointer(blob)
    if found is None or int(found.group(2)) > CONVERT_MAX:
        return blob
    oid, size = found.group(1).decode("ascii"), int(found.group(2))
    stored = Path(repo.common_dir, "lfs", "objects", oid[:2], oid[2:4], oid)
    try:
        # Never waits on a named pipe in the store (the run hung), nor reads a device.
        data = read_regular(os.fspath(stored), True, size + 1)
    except OSError:
        return blob
    if data is None or len(data) != size or hashlib.sha256(data).hexdigest() != oid:
        return blob
    return data


# Objects asked of one `git cat-file --batch`, whose output is held whole. Fewer,
# larger batches pay: each git process starts its caches of packed objects afresh
# (50,000 blobs: 1.45 s in batches of 4,096, 1.05 s in batches of 16,384).
_BATCH = 16384


def _cat_all(repo: git.Repo, oids: Iterable[str]) -> dict[str, bytes]:
    """The contents of the blobs ``oids``, in batches of :data:`_BATCH`."""
    unread = sorted(set(oids))
    contents: dict[str, bytes] = {}
    for start in range(0, len(unread), _BATCH):
        contents.update(cat_blobs(repo, unread[start : start + _BATCH]))
    return contents


def cat_blobs(repo: git.Repo, oids: list[str]) -> dict[str, bytes]:
    """The contents of the blobs ``oids``, read by one git process: each object is
    asked for in the same input, not one round trip at a time."""
    output = run_git_bytes(repo, ("cat-file", "--batch"), "".join(f"{o}\n" for o in oids).encode())
    contents: dict[str, bytes] = {}
    at = 0
    for oid in oids:
        end = output.find(b"\n", at)
        header = output[at:end].split(b" ") if end >= 0 else []
        if len(header) != 3 or header[:2] != [oid.encode(), b"blob"] or not header[2].isdigit():
            raise damaged_error(repo, f"object {oid} cannot be read")
        size = int(header[2])
        contents[oid] = output[end + 1 : end + 1 + size]
        at = end + 2 + size
        if len(contents[oid]) != size or output[at - 1 : at] != b"\n":
            raise damaged_error(repo, f"object {oid} is cut short")
    return contents
