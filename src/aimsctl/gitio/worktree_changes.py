"""What differs between a commit and the working tree, as the commands ask it.

``diff`` and ``changed`` take a revision's files and the paths changed since
(:func:`changes_since`); report provenance asks whether HEAD is dirty
(:func:`head_changes`), and the records' history which files
differ from HEAD (:func:`changes_from`, or the provenance's answer of the same run).
The comparison itself is :mod:`aimsctl.gitio.worktree`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.gitio.blobs import empty_files, read_blobs
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.prefix import root_prefix
from aimsctl.gitio.revisions import head_commit_dated, resolve
from aimsctl.gitio.trees import tree_entries
from aimsctl.gitio.worktree import changed_against, listed_paths

if TYPE_CHECKING:
    import git


@dataclass(frozen=True, slots=True)
class ChangesSince:
    """A commit's files below the governance root, and how the working tree differs.

    ``files`` holds the content of the regular files whose names end with the
    suffixes asked for; ``paths`` names every file, symbolic link and submodule
    there (so that a path can be checked for existence without reading it);
    ``changed`` the paths that differ between the commit and the working tree;
    ``links`` the target of every symbolic link of the commit, by path; ``empty``
    the regular files there that hold no bytes, read or not.
    """

    sha: str
    files: dict[str, bytes]
    paths: frozenset[str]
    changed: frozenset[str]
    links: Mapping[str, str]
    empty: frozenset[str] = frozenset()


def changes_since(
    root: Path,
    rev: str,
    suffixes: tuple[str, ...] | None,
    known: Mapping[str, bytes] | None = None,
) -> ChangesSince:
    """The files below ``root`` at ``rev`` and the paths changed since, in one go.

    ``changed`` is :func:`changed_paths`; ``files`` what :func:`read_tree` reads;
    ``known``, the bytes of files the run has read (see :class:`_WorkTree`).
    """
    with open_repo(root) as repo:
        prefix = root_prefix(repo, root)
        sha = resolve(repo, rev)
        entries = tree_entries(repo, sha, prefix)
        links: dict[str, str] = {}
        files = read_blobs(repo, entries, suffixes, links=links)
        changed = changed_against(repo, prefix, entries, known)
        return ChangesSince(
            sha, files, frozenset(entries), frozenset(changed), links, empty_files(entries)
        )


def changed_paths(root: Path, rev: str) -> set[str]:
    """Paths below ``root`` that differ between ``rev`` and the work tree.

    Counts edited (staged or not), deleted and untracked (not ignored) files, and
    both the old and the new path of a rename. Paths are relative to ``root``.
    Content decides, not git's index: see :class:`_WorkTree`.
    """
    with open_repo(root) as repo:
        prefix = root_prefix(repo, root)
        return changed_against(repo, prefix, tree_entries(repo, resolve(repo, rev), prefix))


@dataclass(frozen=True, slots=True)
class HeadChanges:
    """How the working tree below a governance root differs from HEAD, compared once
    in a run: report provenance asks whether it is dirty (:meth:`dirty`), and the
    records' history of the same run takes the files that differ from it instead of
    comparing again (:meth:`aimsctl.gitio.CommitLog.worktree_changes`).

    ``sha``: HEAD's commit, None before the first; ``changed``: the paths that differ
    (changed, deleted or new, as :func:`changed_against` finds them), each with HEAD's
    (mode, object id) for it, None where HEAD has no such path; before the first
    commit, every path git lists (in the index, or untracked and not ignored).
    ``read``: the paths of the files the run had read when they were compared (their
    bytes stood for the files on disk); ``unmatched``: those of HEAD's files whose
    bytes the run read are not HEAD's blob (:attr:`_WorkTree.unmatched`);
    ``committed``: HEAD's commit date, which report provenance shows beside its sha.
    """

    sha: str | None
    changed: Mapping[str, tuple[str, str] | None]
    read: frozenset[str]
    unmatched: frozenset[str] = frozenset()
    committed: str | None = None  # HEAD's commit date, ISO 8601 with the committer's offset

    def dirty(self, ignore: Iterable[str] = ()) -> bool:
        """Whether a path other than those of ``ignore`` differs from HEAD."""
        return bool(self.changed.keys() - set(ignore))

    def holds_for(self, known: Mapping[str, bytes], suffixes: tuple[str, ...]) -> bool:
        """Whether this comparison tells, of the files whose names end with one of
        ``suffixes``, what comparing again with ``known`` (the bytes the run has read by
        now) would: HEAD has commits, and those of its files the run has read are the
        ones it had read then. A run reads a file once and keeps its bytes (a
        WorkingTree), so it can only have read more since (a monitor's observations
        file, say): a file of those names read since then could count as new here,
        and the comparison is then made again."""
        if self.sha is None:  # ``changed`` lists every path git lists: another question
            return False
        now = frozenset(known)
        if now == self.read:  # nothing read since: the usual case, and the cheap test
            return True
        return {rel for rel in now if rel.endswith(suffixes)} == {
            rel for rel in self.read if rel.endswith(suffixes)
        }

    def tells_of(self, sha: str, paths: Iterable[str], known: Mapping[str, bytes] | None) -> bool:
        """Whether this comparison answers, for the files ``paths``, comparing commit
        ``sha`` with the working tree now, ``known`` being the bytes the run has read by
        now: it is that commit, and each of those files was read then if and only if it
        is read now (a run keeps the bytes it read, so they are the same bytes)."""
        now = known if known is not None else {}
        return self.sha == sha and all((rel in self.read) == (rel in now) for rel in paths)


def compared_with_head(
    repo: git.Repo, prefix: str, known: Mapping[str, bytes] | None, strict: bool = True
) -> HeadChanges:
    """The working tree below the governance root (``prefix`` in ``repo``) compared with
    HEAD (:class:`HeadChanges`); ``known``: the bytes of files the run has read (see
    :class:`_WorkTree`). ``strict``: a submodule whose repository lacks the commit HEAD
    pins is an error (report provenance); not ``strict``, its files are left out of
    HEAD's (the history's dates, see :func:`submodule_files`)."""
    read = frozenset(known or ())
    head = head_commit_dated(repo)
    if head is None:
        return HeadChanges(None, dict.fromkeys(listed_paths(repo, prefix)), read)
    sha, committed = head
    unmatched: set[str] = set()
    changed = changes_from(repo, prefix, sha, known, strict, unmatched)
    return HeadChanges(sha, changed, read, frozenset(unmatched), committed)


def changes_from(
    repo: git.Repo,
    prefix: str,
    sha: str | None,
    known: Mapping[str, bytes] | None,
    strict: bool = True,
    unmatched: set[str] | None = None,
) -> dict[str, tuple[str, str] | None]:
    """The paths below the governance root that differ between commit ``sha`` (None:
    no commit yet, so every file is new) and the working tree (:func:`changed_against`),
    each with the commit's (mode, object id) for it, None where it has no such path;
    ``strict`` as for :func:`compared_with_head`; ``unmatched`` gets the commit's files
    whose bytes the run read are not its blob (:attr:`_WorkTree.unmatched`)."""
    entries = tree_entries(repo, sha, prefix, strict=strict) if sha is not None else None
    changed = changed_against(repo, prefix, entries, known, unmatched)
    return {rel: (entries or {}).get(rel) for rel in sorted(changed)}


def head_changes(root: Path, known: Mapping[str, bytes] | None = None) -> HeadChanges:
    """:func:`compared_with_head` for the repository holding ``root``, submodules
    strictly: for report provenance, whose history then compares no more."""
    with open_repo(root) as repo:
        return compared_with_head(repo, root_prefix(repo, root), known)
