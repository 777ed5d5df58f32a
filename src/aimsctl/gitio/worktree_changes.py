"""What differs between a commit and the working tree, as the commands ask it.

``diff`` and ``changed`` take a revision's files and the paths changed since
(:func:`changes_since`); report provenance asks whether HEAD is dirty
(:func:`head_state`). The comparison itself is :mod:`aimsctl.gitio.worktree`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aimsctl.gitio.blobs import read_blobs
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.prefix import root_prefix
from aimsctl.gitio.revisions import head_commit, resolve
from aimsctl.gitio.trees import tree_entries
from aimsctl.gitio.worktree import changed_against, listed_paths


@dataclass(frozen=True, slots=True)
class ChangesSince:
    """A commit's files below the governance root, and how the working tree differs.

    ``files`` holds the content of the regular files whose names end with the
    suffixes asked for; ``paths`` names every file, symbolic link and submodule
    there (so that a path can be checked for existence without reading it);
    ``changed`` the paths that differ between the commit and the working tree;
    ``links`` the target of every symbolic link of the commit, by path.
    """

    sha: str
    files: dict[str, bytes]
    paths: frozenset[str]
    changed: frozenset[str]
    links: Mapping[str, str]


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
        return ChangesSince(sha, files, frozenset(entries), frozenset(changed), links)


def changed_paths(root: Path, rev: str) -> set[str]:
    """Paths below ``root`` that differ between ``rev`` and the work tree.

    Counts edited (staged or not), deleted and untracked (not ignored) files, and
    both the old and the new path of a rename. Paths are relative to ``root``.
    Content decides, not git's index: see :class:`_WorkTree`.
    """
    with open_repo(root) as repo:
        prefix = root_prefix(repo, root)
        return changed_against(repo, prefix, tree_entries(repo, resolve(repo, rev), prefix))


def head_state(
    root: Path, known: Mapping[str, bytes] | None = None, ignore: Iterable[str] = ()
) -> tuple[str | None, bool]:
    """HEAD's commit sha (None before the first commit) and whether ``root`` is dirty.

    Dirty means a file below ``root`` differs from HEAD: changed, deleted or
    untracked (ignored files do not count, unless the run read them). For report
    provenance. ``known``: the bytes of files the run has read (see :class:`_WorkTree`).
    ``ignore``: paths whose changes do not count (the files the run itself writes).
    """
    with open_repo(root) as repo:
        prefix = root_prefix(repo, root)
        sha = head_commit(repo)
        if sha is None:
            return None, bool(listed_paths(repo, prefix).difference(ignore))
        changed = changed_against(repo, prefix, tree_entries(repo, sha, prefix), known)
        return sha, bool(changed.difference(ignore))
