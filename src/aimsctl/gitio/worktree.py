"""A commit against the working tree, compared by content.

The files on disk are hashed here as git hashes a blob (see :class:`_WorkTree`), so
git never converts a working-tree file and no clean filter runs.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.fileio import LFS_POINTER, LFS_POINTER_MAX
from aimsctl.gitio.blobs import (
    CONVERT_MAX,
    REGULAR_MODES,
    SYMLINK_MODE,
    blob_id,
    cat_blobs,
)
from aimsctl.gitio.prefix import below_prefix, pathspec
from aimsctl.gitio.running import reading_objects, run_git, split_z
from aimsctl.gitio.submodule_stores import STORES

if TYPE_CHECKING:
    import git


_CHUNK = 1024 * 1024


def listed_paths(repo: git.Repo, prefix: str) -> set[str]:
    """Paths below the governance root in the index or untracked and not ignored.

    `git ls-files` reads the index and the folders but no file's content, so no
    filter runs; fsmonitor is off (SAFE_GIT_ARGS).
    """
    output = run_git(
        repo,
        "ls-files",
        "--cached",
        "--others",
        "--exclude-standard",
        "--full-name",
        "-z",
        *pathspec(prefix),
    )
    return {path for path in below_prefix(split_z(output), prefix) if not path.endswith("/")}


class _WorkTree:
    """The files of the work tree, compared with a commit's blobs by content.

    git is not asked to compare (`git diff <commit>` would run the clean filter a
    committed .gitattributes names for a file, and the fsmonitor hook): each file is
    hashed here the way git hashes a blob and the id compared with the commit's.
    Two conversions git makes on the way in are followed, so that an unchanged file
    does not count as changed: line endings checked out as CRLF (core.autocrlf), and
    Git LFS files, whose blob is a pointer holding the content's sha256. For any other
    conversion (``ident``, a ``filter=`` driver, ``working-tree-encoding``) the caller
    asks git's index (:func:`_unchanged_in_index`). The executable bit is not compared.

    ``known`` holds the bytes of files the run has read already (the records, by
    path): such a file, still a regular file of that size, is hashed from them, not
    read again, so the answer is about the very bytes that were validated.
    :attr:`unmatched` names the files compared whose bytes the run read are not the
    blob (changed, converted, or read from disk instead): of the others, those bytes
    are the blob, which the history then need not hash again (see
    :class:`aimsctl.record_dates._RunBytes`). The complement is kept, not the
    matches: it is usually empty, where the matches are every file.
    """

    def __init__(self, repo: git.Repo, root: Path, known: Mapping[str, bytes] | None) -> None:
        self.repo = repo
        self.root = root
        # Each file's path is this and its own, as text: a Path, or os.path.join, per
        # file costs about as much as its lstat.
        self._base = os.path.join(os.fspath(root), "")
        self._known = known if known is not None else {}
        self._folders: dict[str, bool] = {}
        self.unmatched: set[str] = set()

    def _reachable(self, rel: str) -> bool:
        """Whether every folder above ``rel`` is a real folder (not a symbolic link)."""
        folder = rel.rpartition("/")[0]
        if not folder:
            return True
        if folder not in self._folders:
            try:
                info = os.lstat(self.root / folder)
            except (OSError, ValueError):
                self._folders[folder] = False
            else:
                self._folders[folder] = stat.S_ISDIR(info.st_mode) and self._reachable(folder)
        return self._folders[folder]

    def present(self, rel: str) -> bool:
        """Whether ``rel`` is a file or a symbolic link on disk, as git would see it."""
        if not self._reachable(rel):
            return False
        try:
            mode = os.lstat(self.root / rel).st_mode
        except (OSError, ValueError):
            return False
        return stat.S_ISREG(mode) or stat.S_ISLNK(mode)

    def same(self, rel: str, mode: str, oid: str) -> bool:
        """Whether the file on disk is the blob ``oid`` of ``mode``."""
        algorithm = "sha1" if len(oid) == 40 else "sha256"
        path = self._base + rel
        if not self._reachable(rel):
            self.unmatched.add(rel)
            return False
        try:
            info = os.lstat(path)
            raw = self._known.get(rel)
            if (  # the usual case first: a file the run read, as HEAD holds it
                raw is not None
                and mode != SYMLINK_MODE
                and len(raw) == info.st_size
                and stat.S_ISREG(info.st_mode)
            ):
                if blob_id(raw, algorithm) == oid:
                    return True
                self.unmatched.add(rel)
                return self._converted(Path(path), info.st_size, oid, algorithm)
            self.unmatched.add(rel)  # the bytes the run read (if any) are not the blob
            if mode == SYMLINK_MODE:
                return stat.S_ISLNK(info.st_mode) and (
                    blob_id(os.readlink(os.fsencode(path)), algorithm) == oid
                )
            if not stat.S_ISREG(info.st_mode):
                return False
            if self._hash(path, info.st_size, algorithm) == oid:
                return True
            return self._converted(Path(path), info.st_size, oid, algorithm)
        except (OSError, ValueError):
            self.unmatched.add(rel)
            return False

    @staticmethod
    def _hash(path: str, size: int, algorithm: str) -> str:
        digest = hashlib.new(algorithm, usedforsecurity=False)
        digest.update(b"blob %d\0" % size)
        read = 0
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                read += len(chunk)
        return digest.hexdigest() if read == size else ""

    def _converted(self, path: Path, size: int, oid: str, algorithm: str) -> bool:
        """Whether the file is the blob after git's CRLF or Git LFS conversion."""
        pointer: bytes | None = None
        if STORES.get(self.repo):  # a submodule's blob is not in the superproject's objects
            pointer = cat_blobs(self.repo, [oid])[oid]
            blob_size = len(pointer)
            pointer = pointer if blob_size <= LFS_POINTER_MAX else None
        else:
            with reading_objects(self.repo):
                blob_size = self.repo.odb.info(bytes.fromhex(oid)).size
                if blob_size <= LFS_POINTER_MAX:
                    pointer = self.repo.odb.stream(bytes.fromhex(oid)).read()
        found = LFS_POINTER.match(pointer) if pointer is not None else None
        if found is not None:
            if int(found.group(2)) != size:
                return False
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
            return digest.hexdigest() == found.group(1).decode("ascii")
        if size > CONVERT_MAX or size <= blob_size:
            return False
        data = path.read_bytes()
        return b"\r\n" in data and blob_id(data.replace(b"\r\n", b"\n"), algorithm) == oid


# One entry of `git ls-files --stage --debug -z`: mode, id, stage and path, then the
# file's stat data as git recorded it when it last read the file.
_INDEX_ENTRY = re.compile(
    r"\d+ ([0-9a-f]+) (\d)\t([^\0]*)\0"
    r"  ctime: (\d+):(\d+)\n  mtime: (\d+):(\d+)\n  dev: \d+\tino: (\d+)\n"
    r"  uid: (\d+)\tgid: (\d+)\n  size: (\d+)\tflags: [0-9a-f]+\n"
)
_INDEX_LITERAL_MAX = 200  # more paths than this: the governance root's entries are listed
_U32 = 0xFFFFFFFF  # the index keeps times, inode and size in 32 bits


def _unchanged_in_index(
    repo: git.Repo, prefix: str, root: Path, suspects: Mapping[str, str]
) -> set[str]:
    """Which of the files ``suspects`` (path below the governance root: the commit's
    blob id), whose bytes hash to another blob, git itself holds unchanged: its index
    has that blob for the path, and the file's stat data as git recorded it when it
    last read the file (through its conversions: `ident`, a `filter=` driver,
    `working-tree-encoding`, line endings). That is how `git status` knows, without
    running any filter. A file as new as the index (racily clean: it may have changed
    within the same tick) is not vouched for, nor is one whose stat data git has not
    recorded, so an edit is never missed; at worst a file git would read again counts
    as changed. Asked only when some file's bytes differ, so a clean tree pays nothing.
    """
    if not suspects:
        return set()
    index = Path(run_git(repo, "rev-parse", "--git-path", "index").strip())
    try:
        # Before the entries are read: an index written meanwhile only makes more racy.
        written = os.stat(Path(repo.working_tree_dir or ".") / index).st_mtime_ns
    except OSError:
        return set()
    folder = f"{prefix}/" if prefix else ""
    if len(suspects) <= _INDEX_LITERAL_MAX:
        paths = ["--", *(f":(literal){folder}{rel}" for rel in sorted(suspects))]
    else:
        paths = pathspec(prefix)
    output = run_git(repo, "ls-files", "--stage", "--debug", "-z", "--full-name", *paths)
    unchanged: set[str] = set()
    for found in _INDEX_ENTRY.finditer(output):
        oid, stage, path = found.group(1, 2, 3)
        rel = path[len(folder) :]
        if stage != "0" or not path.startswith(folder) or suspects.get(rel) != oid:
            continue
        ctime_s, ctime_ns, mtime_s, mtime_ns, ino, uid, gid, size = map(int, found.groups()[3:])
        # Racily clean: git would read it again (one keeping no nanoseconds, 0,
        # compares seconds only).
        recorded = mtime_s * 1_000_000_000 + mtime_ns
        if recorded >= (written if mtime_ns else written - written % 1_000_000_000):
            continue
        try:
            info = os.lstat(os.path.join(root, rel))
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(info.st_mode) and _same_stat(
            info, (ctime_s, ctime_ns, mtime_s, mtime_ns, ino, uid, gid, size)
        ):
            unchanged.add(rel)
    return unchanged


def _same_stat(info: os.stat_result, recorded: tuple[int, ...]) -> bool:
    """Whether ``info`` is the stat data the index ``recorded`` (ctime and mtime in
    seconds and nanoseconds, inode, uid, gid, size), compared as git compares them.
    A value git leaves at zero where the system has none (the inode, owner and
    nanoseconds on Windows) is not compared."""
    ctime_s, ctime_ns, mtime_s, mtime_ns, ino, uid, gid, size = recorded
    if mtime_s == 0 or (info.st_size & _U32) != size:
        return False
    for seconds, nanos, actual in (
        (mtime_s, mtime_ns, info.st_mtime_ns),
        (ctime_s, ctime_ns, info.st_ctime_ns),
    ):
        if (actual // 1_000_000_000) & _U32 != seconds:
            return False
        if nanos and actual % 1_000_000_000 != nanos:
            return False
    return all(
        not kept or (actual & _U32) == kept
        for kept, actual in ((ino, info.st_ino), (uid, info.st_uid), (gid, info.st_gid))
    )


def changed_against(
    repo: git.Repo,
    prefix: str,
    entries: dict[str, tuple[str, str]] | None,
    known: Mapping[str, bytes] | None = None,
    unmatched: set[str] | None = None,
) -> set[str]:
    """Paths below the governance root that differ between a commit (its
    ``entries``; None before the first commit) and the working tree (``known``: see
    :class:`_WorkTree`). ``unmatched`` gets :attr:`_WorkTree.unmatched`.

    A file the run read (in ``known``) and the commit lacks is new even where git
    ignores it: the run judged its records, so what they say is not in the commit.
    """
    disk = work_tree_of(repo, prefix, known)
    committed = entries or {}
    changed = differing(repo, prefix, disk, committed)
    if unmatched is not None:
        unmatched.update(disk.unmatched)
    new = listed_paths(repo, prefix).union(known or ()) - set(committed)
    changed.update(rel for rel in new if disk.present(rel))
    return changed


def work_tree_of(repo: git.Repo, prefix: str, known: Mapping[str, bytes] | None) -> _WorkTree:
    top = Path(repo.working_tree_dir or ".")
    return _WorkTree(repo, top / prefix if prefix else top, known)


def differing(
    repo: git.Repo, prefix: str, disk: _WorkTree, committed: Mapping[str, tuple[str, str]]
) -> set[str]:
    """Which of the commit's files ``committed`` (path below the governance root: mode
    and object id) are not on disk as the commit holds them: edited (staged or not),
    deleted, or another type."""
    changed = {
        rel
        for rel, (mode, oid) in committed.items()
        if mode != "160000" and not disk.same(rel, mode, oid)  # submodules are not files
    }
    if changed:  # edits, or files git converted on checkout: git's index tells which
        regular = {rel: committed[rel][1] for rel in changed if committed[rel][0] in REGULAR_MODES}
        changed -= _unchanged_in_index(repo, prefix, disk.root, regular)
    return changed
