"""Files a sparse checkout left off the disk: in the index, not in the working tree.

Every validate asks, so the question costs a few `lstat` calls where no sparse
checkout may be on (:func:`sparse_may_be_on`), and git, imported only then, decides.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from aimsctl.gitio.git_folder import git_folder, nearest_dot_git


def sparse_skipped(root: Path) -> tuple[str, ...]:
    """The files below the governance root ``root`` that git's index holds and a sparse
    checkout left out (skip-worktree), with nothing on disk at their path, relative to
    the root and sorted. Validation reads the files on disk, so their records are not
    read. Empty when no sparse checkout is on (`core.sparseCheckout`: `git
    sparse-checkout disable` leaves its file behind) or git cannot say."""
    if not sparse_may_be_on(root):
        return ()
    from aimsctl.errors import GitError
    from aimsctl.gitio.opening import open_repo
    from aimsctl.gitio.prefix import below_prefix, pathspec
    from aimsctl.gitio.running import run_git, split_z

    try:
        with open_repo(root) as repo:
            top = repo.working_tree_dir
            if top is None:
                return ()
            on = run_git(repo, "config", "--type=bool", "--default=false", "core.sparseCheckout")
            if on.strip() != "true":
                return ()
            prefix = Path(os.path.relpath(root.resolve(), Path(top).resolve())).as_posix()
            prefix = "" if prefix == "." else prefix
            if prefix == ".." or prefix.startswith("../"):
                return ()  # the root is outside the work tree
            output = run_git(repo, "ls-files", "-t", "--full-name", "-z", *pathspec(prefix))
    except (GitError, OSError, ValueError):
        return ()  # the history's reading says why git cannot be used
    # `-t` puts a tag and a space before each path: `S` for skip-worktree.
    skipped = (entry[2:] for entry in split_z(output) if entry.startswith("S "))
    on_disk = Path(top) / prefix if prefix else Path(top)
    return tuple(
        sorted(rel for rel in below_prefix(skipped, prefix) if not os.path.lexists(on_disk / rel))
    )


def sparse_may_be_on(root: Path) -> bool:
    """Whether a git folder that may be the repository's (the one GIT_DIR names, and the
    one the `.git` nearest above ``root`` is or names) looks like a sparse checkout's:
    so that a repository with none never asks git."""
    named = os.environ.get("GIT_DIR")
    found = [git_folder(Path(named))] if named else []
    dot_git = nearest_dot_git(root)
    if dot_git is not None:
        found.append(git_folder(dot_git))
    return any(_sparse_on(folder) for folder in found)


_SPARSE_SETTING = re.compile(
    r"^\s*sparsecheckout\s*(?:=\s*(\S*))?\s*$", re.IGNORECASE | re.MULTILINE
)


def _sparse_on(folder: Path) -> bool:
    """Whether the git folder ``folder`` has a sparse-checkout file and
    `core.sparseCheckout` true in its own config (a linked worktree's config.worktree
    first, then the repository's config; `git sparse-checkout disable` leaves the file
    and sets it false)."""
    try:
        if not os.path.lexists(folder / "info" / "sparse-checkout"):
            return False
        common = folder
        if os.path.lexists(folder / "commondir"):
            named = (folder / "commondir").read_text(encoding="utf-8", errors="replace")
            common = folder / named.strip()
        for config in (folder / "config.worktree", common / "config"):
            if not os.path.isfile(config):
                continue
            text = config.read_text(encoding="utf-8", errors="replace")
            settings = _SPARSE_SETTING.findall(text)
            if settings:
                return settings[-1].lower() in ("", "true", "yes", "on", "1")
    except (OSError, ValueError):
        return False
    return False
