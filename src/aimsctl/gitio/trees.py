"""The files of a commit or of git's index below the governance root.

The index is read as the tree the next commit will hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import GitError
from aimsctl.gitio.blobs import (
    REGULAR_MODES,
    blob_id,
    cat_blobs,
    empty_files,
    ends_with,
    read_blobs,
)
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.prefix import pathspec, root_prefix
from aimsctl.gitio.revisions import commit_date, head_commit, resolve
from aimsctl.gitio.running import run_git, split_z
from aimsctl.gitio.submodules import submodule_files

if TYPE_CHECKING:
    import git


def tree_entries(
    repo: git.Repo, sha: str, prefix: str, warn: bool = False, strict: bool = True
) -> dict[str, tuple[str, str]]:
    """Every file, symbolic link and submodule below the governance root at commit
    ``sha``: (mode, object id) by path relative to the root, and the files of each
    submodule at the commit it is pinned at (:func:`submodule_files`, which ``warn``
    and ``strict`` pass on). Reads no blob."""
    output = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", sha, *pathspec(prefix))
    start = len(prefix) + 1 if prefix else 0
    entries: dict[str, tuple[str, str]] = {}
    for line in split_z(output):
        meta, _tab, path = line.partition("\t")
        mode, _kind, oid = meta.split(" ")
        if not prefix or path.startswith(prefix + "/"):
            entries[path[start:]] = (mode, oid)
    return submodule_files(repo, entries, prefix, warn, strict)


def read_tree(
    root: Path,
    rev: str,
    suffixes: tuple[str, ...] | None = None,
    blobs: dict[str, bytes] | None = None,
    links: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """Every file below ``root`` as it was at ``rev``, read from git's objects.

    Keys are paths relative to ``root``, sorted. Nothing is checked out. Symbolic
    links and submodules are left out (a link's blob holds only its target). An
    empty dict when ``root`` did not exist at ``rev``. With ``suffixes``, only the
    files whose names end with one of them are read (e.g. the YAML files, leaving
    large evidence files unread). Reads that share ``blobs`` (contents by object id)
    read an object once: two revisions of a repository share most of their files.
    ``links`` gets the target of every symbolic link there, by path.
    """
    with open_repo(root) as repo:
        return _read_commit(repo, root, resolve(repo, rev), suffixes, blobs, links)


def _read_commit(
    repo: git.Repo,
    root: Path,
    sha: str,
    suffixes: tuple[str, ...] | None,
    blobs: dict[str, bytes] | None,
    links: dict[str, str] | None,
) -> dict[str, bytes]:
    """:func:`read_tree` of the commit ``sha`` (already resolved) in an open ``repo``."""
    entries = tree_entries(repo, sha, root_prefix(repo, root), warn=True)
    return read_blobs(repo, entries, suffixes, blobs, links)


@dataclass(frozen=True, slots=True)
class Parting:
    """BASE not an ancestor of HEAD: HEAD's commit, the commit where their histories
    part (None where git finds none), and whether the clone is shallow."""

    head: str
    fork: str | None
    shallow: bool


class Revisions:
    """The commits of the git repository holding ``root``, read through one opening of
    it: a run that reads several revisions (`aimsctl diff` reads two) opens the
    repository and checks it once, and asks git for each commit only once (which
    commit a name is; then its files, by that commit's id).

    Opened at the first question, so the errors are :func:`open_repo`'s, raised
    where :func:`resolve_revision` would raise them.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._repo: git.Repo | None = None

    def _opened(self) -> git.Repo:
        if self._repo is None:
            self._repo = open_repo(self.root)
        return self._repo

    def resolve(self, rev: str) -> str:
        """The full commit sha that ``rev`` names, as :func:`resolve_revision` says."""
        with self._opened() as repo:  # closing keeps it open for the next question
            return resolve(repo, rev)

    def committed(self, sha: str) -> str:
        """The date of commit ``sha`` (a full id :meth:`resolve` gave), as
        :func:`commit_date` says."""
        with self._opened() as repo:
            return commit_date(repo, sha)

    def parted(self, base: str, head: str | None) -> Parting | None:
        """How the commit ``base`` stands to ``head`` (a full id :meth:`resolve` gave;
        None: the commit HEAD names, for the working tree) where it is not an
        ancestor of it; None where it is, or where HEAD names no commit yet."""
        with self._opened() as repo:
            if head is None:
                head = head_commit(repo)
                if head is None:
                    return None
            # A commit of BASE's history that HEAD's lacks: BASE itself when it is
            # not an ancestor (one line at most, whatever the histories hold).
            if not run_git(repo, "rev-list", "--max-count=1", base, f"^{head}", "--").strip():
                return None
            try:  # no common commit: unrelated histories, or a shallow clone lacks it
                fork: str | None = run_git(repo, "merge-base", base, head).strip() or None
            except GitError:
                fork = None
            shallow = run_git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
            return Parting(head, fork, shallow)

    def read_tree(
        self,
        sha: str,
        suffixes: tuple[str, ...] | None = None,
        blobs: dict[str, bytes] | None = None,
        links: dict[str, str] | None = None,
    ) -> dict[str, bytes]:
        """:func:`read_tree` of the commit ``sha``, a full id :meth:`resolve` gave."""
        with self._opened() as repo:
            return _read_commit(repo, self.root, sha, suffixes, blobs, links)


# The empty blob's id under each hash algorithm git uses, to that algorithm.
_EMPTY_BLOBS = {blob_id(b"", algorithm): algorithm for algorithm in ("sha1", "sha256")}


def _index_entries(
    repo: git.Repo,
    prefix: str,
    missing: list[str] | None = None,
    conflicted: dict[str, list[str]] | None = None,
) -> dict[str, tuple[str, str]]:
    """Every file in git's index below the governance root: (mode, object id) by path
    relative to the root, with a submodule's files at the commit staged for it. A path
    in an unresolved merge conflict holds no one version (git keeps each side, and
    commits nothing until one is staged): it is left out and added to ``conflicted``
    with the blob of each side that is a file.
    A path only intended to be added (``git add -N``) is left out, as a commit leaves
    it out."""
    output = run_git(repo, "ls-files", "--stage", "-z", "--full-name", *pathspec(prefix))
    start = len(prefix) + 1 if prefix else 0
    entries: dict[str, tuple[str, str]] = {}
    empty: dict[str, str] = {}  # staged empty files, or intent-to-add entries
    for line in split_z(output):
        meta, _tab, path = line.partition("\t")
        mode, oid, stage = meta.split(" ")
        if prefix and not path.startswith(prefix + "/"):
            continue
        if stage != "0":
            if conflicted is not None:
                sides = conflicted.setdefault(path[start:], [])
                # Ours and theirs (2, 3), as the working tree's conflict shows them: the
                # common ancestor's (1) may name a record both sides removed.
                if mode in REGULAR_MODES and stage in ("2", "3"):
                    sides.append(oid)
            continue
        entries[path[start:]] = (mode, oid)
        if oid in _EMPTY_BLOBS:
            empty[path] = oid
    for path in _intent_to_add(repo, prefix, empty):
        del entries[path[start:]]
    return submodule_files(repo, entries, prefix, missing=missing)


def _intent_to_add(repo: git.Repo, prefix: str, empty: dict[str, str]) -> set[str]:
    """Which of the index paths in ``empty`` (each holding the empty blob, by path)
    are only intended to be added (``git add -N``).

    ``git ls-files --stage`` shows such an entry as a staged empty file; only a flag
    in the index tells them apart. ``git diff-index --cached`` with
    ``--ita-invisible-in-index`` (git 2.11 and later) reads the index as a commit
    does, so against the empty tree it lists every path the next commit will hold.
    Asked only when some entry holds the empty blob, which is rare.
    """
    if not empty:
        return set()
    empty_tree = blob_id(b"", _EMPTY_BLOBS[next(iter(empty.values()))], b"tree")
    output = run_git(
        repo,
        "diff-index",
        "--cached",
        "--ita-invisible-in-index",
        "--name-only",
        "-z",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--diff-filter=A",
        empty_tree,
        *pathspec(prefix),
    )
    return set(empty) - set(split_z(output))


def read_index(
    root: Path,
    suffixes: tuple[str, ...] | None = None,
    missing: list[str] | None = None,
    links: dict[str, str] | None = None,
    conflicted: dict[str, bytes] | None = None,
    ids: dict[str, str] | None = None,
    empty: set[str] | None = None,
) -> tuple[dict[str, bytes], frozenset[str]]:
    """The files below ``root`` as they are staged: what the next commit will hold.

    Returns the content of the regular files whose names end with one of
    ``suffixes`` (every regular file with None), read from git's objects, and the
    paths of every staged entry (so that a path can be checked for existence without
    reading it). Untracked files are not there; a file deleted with ``git rm`` is not
    either, though it may still be in the working tree, nor one only intended to be
    added (``git add -N``), which a commit leaves out. ``missing`` collects the
    submodules staged that were never initialised, whose files are not read;
    ``links`` the target of every symbolic link staged, by path; ``conflicted`` the
    paths in an unresolved merge conflict, which are not read as files nor listed,
    each with the bytes of its sides one after the other (the records the file may
    hold once resolved are in them).
    ``ids`` gets the blob id the index names for each regular file read, by path:
    its bytes are that blob's (as :meth:`aimsctl.gitio.CommitLog.blob` reads it), so
    the history need not read the blob again nor hash the bytes to know it.
    ``empty`` gets the regular files staged with no bytes, read or not.
    """
    with open_repo(root) as repo:
        prefix = root_prefix(repo, root)
        sides: dict[str, list[str]] | None = {} if conflicted is not None else None
        entries = _index_entries(repo, prefix, missing, sides)
        files = read_blobs(repo, entries, suffixes, links=links)
        if empty is not None:
            empty.update(empty_files(entries))
        if conflicted is not None and sides:
            # Only files of the kinds read (a record file), as a staged file is read.
            wanted = {
                rel: oids
                for rel, oids in sides.items()
                if suffixes is None or ends_with(rel, suffixes)
            }
            blobs = cat_blobs(repo, sorted({oid for oids in wanted.values() for oid in oids}))
            conflicted.update((rel, b"") for rel in sides)
            conflicted.update(
                (rel, b"\n".join(blobs[oid] for oid in oids)) for rel, oids in wanted.items()
            )
        if ids is not None:  # not a symbolic link read as the file it leads to
            ids.update(
                (rel, oid)
                for rel, (mode, oid) in entries.items()
                if rel in files and mode in REGULAR_MODES
            )
        return files, frozenset(entries)
