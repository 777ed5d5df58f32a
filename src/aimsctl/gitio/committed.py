"""What version control kept of a governance root on a given day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.days import iso_date
from aimsctl.gitio.opening import NotInRepository, may_be_in_git, open_repo
from aimsctl.gitio.prefix import root_prefix
from aimsctl.gitio.revisions import head_has_commits
from aimsctl.gitio.running import run_git, split_z
from aimsctl.gitio.trees import tree_entries
from aimsctl.gitio.worktree import differing, work_tree_of

if TYPE_CHECKING:
    from aimsctl.gitio.worktree_changes import HeadChanges

if TYPE_CHECKING:
    import git


@dataclass(frozen=True, slots=True)
class Kept:
    """What version control kept of a governance root on a day (:func:`committed_files`)."""

    files: frozenset[str]  # below the root, in the newest commit dated by the day
    later: bool = False  # a commit dated after the day was passed over
    shallow: bool = False  # a shallow clone: an older commit may not have been fetched
    # Of the files asked about that the commit holds, those the work tree holds otherwise.
    changed: frozenset[str] = frozenset()


def committed_files(
    root: Path,
    on: date,
    start: str = "HEAD",
    working: Iterable[str] = (),
    known: Mapping[str, bytes] | None = None,
    compared: HeadChanges | None = None,
) -> Kept | None:
    """The files below ``root`` (relative to it) that the newest commit of ``start``'s
    history dated on or before ``on`` holds: what was under version control that day.
    A commit's day is the committer's own, as record dates read it; a commit dated
    later kept nothing yet. None when ``root`` is in no git repository (learnt from
    the `.git` lookup, without importing GitPython); no files before the first commit
    or when every commit is dated later. Raises GitError when git cannot be used.

    Of the files ``working`` (of the work tree, read as ``known`` holds them: see
    :class:`_WorkTree`), those the commit holds otherwise are :attr:`Kept.changed`:
    the version in use is not the one kept. ``compared``: the working tree compared
    with HEAD earlier in the run (:class:`HeadChanges`), taken for the answer where
    that commit is HEAD's and the comparison still holds for those files."""
    if not may_be_in_git(root):
        return None
    try:
        with open_repo(root) as repo:
            if start == "HEAD" and not head_has_commits(repo):
                return Kept(frozenset())
            prefix = root_prefix(repo, root)
            sha, later = _newest_by(repo, start, on)
            if sha is None:
                shallow = Path(repo.common_dir, "shallow").is_file()
                return Kept(frozenset(), later=later, shallow=shallow)
            # A submodule not checked out holds nothing here, as on disk.
            entries = tree_entries(repo, sha, prefix, strict=False)
            asked = {rel: entries[rel] for rel in working if rel in entries}
            if compared is not None and compared.tells_of(sha, asked, known):
                changed = compared.changed.keys() & asked.keys()  # not hashed again
            else:
                changed = differing(repo, prefix, work_tree_of(repo, prefix, known), asked)
            return Kept(frozenset(entries), later=later, changed=frozenset(changed))
    except NotInRepository:
        return None


# Commits `_newest_by` reads first: enough for the usual as-of date, today or a recent
# day, at the cost of a few milliseconds; an older day reads on from there.
_RECENT_COMMITS = 64
# A commit's own day may be this much ahead of UTC (git takes offsets to ±99:59): one
# dated up to here after midnight UTC ending the as-of date may still be of that day.
_MAX_OFFSET = 100 * 3600


def _newest_by(repo: git.Repo, start: str, on: date) -> tuple[str | None, bool]:
    """The first commit of ``start``'s history, in git's newest-first walk, whose
    committer's day is ``on`` or earlier (None: none is), and whether one dated later
    came before it. One `git log` of the newest commits, ids and dates only; a second,
    of those git can tell are not too new, only when ``on`` is older than all of them."""
    found, later, read = _first_by(_log_dates(repo, start, f"-n{_RECENT_COMMITS}"), on)
    if found is not None or read < _RECENT_COMMITS:
        return found, later
    # Midnight (UTC) after ``on``, plus the furthest a committer's day can run ahead.
    bound = (on - date(1970, 1, 1)).days * 86400 + 86400 + _MAX_OFFSET
    if bound <= 0:
        return None, True
    found, _later, _read = _first_by(_log_dates(repo, start, f"--min-age={bound}"), on)
    return found, True


def _log_dates(repo: git.Repo, start: str, limit: str) -> list[str]:
    """``sha date`` of the commits of ``start``'s history within ``limit``, newest first."""
    output = run_git(
        repo,
        "log",
        "-z",
        "--no-color",
        "--no-show-signature",
        "--format=%H %cI",
        limit,
        start,
        "--",
    )
    return [entry.strip("\n") for entry in split_z(output)]


def _first_by(entries: list[str], on: date) -> tuple[str | None, bool, int]:
    """The first of ``entries`` (``sha date``) whose committer's day is ``on`` or
    earlier, whether one before it was dated later, and how many there were."""
    for index, entry in enumerate(entries):
        sha, _space, stamp = entry.partition(" ")
        day = iso_date(stamp[:10])
        if day is not None and day <= on:
            return sha, index > 0, len(entries)
    return None, bool(entries), len(entries)
