"""The governance repository at a revision: the working tree, or a git commit.

A commit is read from git's objects, so nothing is checked out and the working
tree is never touched. `aimsctl diff` compares two sides, each a
:class:`Snapshot`; `aimsctl report --at` renders one, through
:func:`repository_at`. Each side is a :class:`Repository` loaded on its own,
with its own aims.yaml.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl import collector
from aimsctl.errors import FETCH_HISTORY, ConfigError
from aimsctl.links import link_not_read
from aimsctl.loader import CONFIG_FILE, YAML_SUFFIXES, FileTree, ParseMemo
from aimsctl.repository import Repository, load_repository

if TYPE_CHECKING:
    from aimsctl.gitio import Revisions

WORKTREE = "worktree"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One side of a comparison: the records at a revision or in the working tree.

    ``repository`` is None when that revision has no aims.yaml (e.g. before the
    governance records were added): it then holds no records at all. An aims.yaml
    that is a symbolic link not read is unusable, not absent (ConfigError).
    """

    label: str  # "BASE" or "HEAD", for messages
    rev: str | None  # the revision as the user named it; None for the working tree
    sha: str | None  # its commit; None for the working tree
    repository: Repository | None

    @property
    def ref(self) -> str:
        """The commit sha, or ``worktree``: what the JSON output names."""
        return self.sha or WORKTREE

    def describe(self) -> str:
        """The side in words: ``main (1a2b3c4d5e6f)``, or ``the working tree``."""
        if self.sha is None:
            return "the working tree"
        short = self.sha[:12]
        if self.rev is None or self.sha.startswith(self.rev.lower()):
            return short
        return f"{self.rev} ({short})"


def repository_at(
    root: Path,
    rev: str,
    as_of: date,
    *,
    label: str | None = None,
    suffixes: tuple[str, ...] | None = YAML_SUFFIXES,
    memo: ParseMemo | None = None,
    revisions: Revisions | None = None,
) -> tuple[str, Repository | None]:
    """The commit that ``rev`` names, and the repository below ``root`` in it.

    The repository is None when that commit has no aims.yaml below ``root``.
    Only files ending in one of ``suffixes`` are read (large evidence files stay
    unread); None reads every file. Raises GitError for an unusable revision and
    ConfigError when its aims.yaml is unusable, naming the side when ``label``
    (e.g. "BASE") is given. ``revisions``: the repository opened for the run, to ask
    more of the commit afterwards (report provenance asks its date).
    """
    from aimsctl import gitio  # GitPython is loaded only by the commands that read git

    opened = revisions if revisions is not None else memo.revisions if memo is not None else None
    if not isinstance(opened, gitio.Revisions) or opened.root != root:
        opened = gitio.Revisions(root)
        if memo is not None:
            memo.revisions = opened  # the other side of a diff reads the same repository
    sha = opened.resolve(rev)
    try:
        # What is alive already (the other side of a diff) is no garbage: a collection
        # set off while this side's entries are listed would walk all of it.
        with collector.alive_frozen():
            links: dict[str, str] = {}
            blobs = memo.blobs if memo is not None else None
            files = opened.read_tree(sha, suffixes, blobs, links)
            if CONFIG_FILE not in files and CONFIG_FILE in links:
                # There is one, as a checkout shows: unusable, not absent.
                raise ConfigError(link_not_read(CONFIG_FILE, links), line=None)
            if CONFIG_FILE not in files:
                return sha, None
            return sha, load_repository(
                root, as_of, source=FileTree(files, links), memo=memo, two_cores=True
            )
    except ConfigError as error:
        if label is None:
            raise
        raise _config_error(error, f"{label} {rev!r}, commit {sha[:12]}") from None


def _config_error(error: ConfigError, where: str) -> ConfigError:
    return ConfigError(
        f"{error.message} (in {where})", error.path, error.line, error.column, error.also
    )


def load_worktree(
    root: Path, as_of: date, label: str = "HEAD", memo: ParseMemo | None = None
) -> Snapshot:
    """The records in the working tree at ``root``.

    Raises ConfigError (exit 2) naming the side when aims.yaml is unusable.
    """
    try:
        with collector.alive_frozen():  # the other side of a diff: see repository_at
            repository = load_repository(root, as_of, memo=memo, two_cores=True)
    except ConfigError as error:
        raise _config_error(error, f"{label}, the working tree") from None
    return Snapshot(label, None, None, repository)


def load_revision(
    root: Path, rev: str, as_of: date, label: str, memo: ParseMemo | None = None
) -> Snapshot:
    """The records below ``root`` as they were at git revision ``rev``, with the CSV
    files there (monitors' observations: a breach on record is compared too).

    Raises GitError for an unusable revision and ConfigError, naming the
    revision, when its aims.yaml is unusable.
    """
    sha, repository = repository_at(
        root, rev, as_of, label=label, suffixes=(*YAML_SUFFIXES, ".csv"), memo=memo
    )
    return Snapshot(label, rev, sha, repository)


def parted_note(root: Path, base: Snapshot, head: Snapshot, memo: ParseMemo | None) -> str | None:
    """A note for a comparison whose BASE commit is not an ancestor of HEAD's (HEAD's
    commit for the working tree): the branches parted, so what was changed on BASE's
    side since shows as if HEAD undid it; or the two look swapped, or share no
    history. None where BASE is an ancestor, or where a side is no commit to ask
    about (the working tree of a branch with no commits)."""
    from aimsctl import gitio

    if base.sha is None:
        return None
    revisions = memo.revisions if memo is not None else None
    if not isinstance(revisions, gitio.Revisions) or revisions.root != root:
        revisions = gitio.Revisions(root)
    try:
        found = revisions.parted(base.sha, head.sha)
    except gitio.GitError:
        return None  # advice only: a comparison made is never refused for want of it
    if found is None:
        return None
    where = head.describe() if head.sha is not None else f"the working tree, on {found.head[:12]}"
    sides = f"BASE ({base.describe()}) is not an ancestor of HEAD ({where})"
    if found.fork is None and found.shallow:
        return (
            f"BASE ({base.describe()}) cannot be shown to be an ancestor of HEAD ({where}): "
            f"this clone is shallow and holds no commit they share; {FETCH_HISTORY}"
        )
    if found.fork is None:
        return (
            f"{sides}, and their histories share no commit: what BASE holds and HEAD lacks "
            "shows as removed, and the reverse as added"
        )
    # Commands are given with commit ids, not `$(git merge-base ...)`: pasted, an empty
    # substitution would silently compare something else.
    head_name = shlex.quote(head.rev) if head.rev is not None else "HEAD"
    repo = "" if root == Path.cwd() else f" --repo {shlex.quote(str(root))}"
    if found.fork == found.head:
        return (
            f"{sides}: HEAD is an ancestor of BASE, so BASE and HEAD look swapped, and "
            "what BASE added shows as removed: "
            f"`aimsctl diff {head_name} {shlex.quote(base.rev or base.sha)}{repo}`"
        )
    other = f" {head_name}" if head.rev is not None else ""  # the working tree as it is
    return (
        f"{sides}: what changed on BASE's side since they parted shows here as if HEAD "
        "undid it. To see only HEAD's changes, compare with where they part, "
        f"{found.fork[:12]}: `aimsctl diff {found.fork[:12]}{other}{repo}`"
    )
