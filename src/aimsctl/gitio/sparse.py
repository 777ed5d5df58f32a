"""Files a sparse checkout left off the disk: in the index, not in the working tree."""

from __future__ import annotations

import os
from pathlib import Path

from aimsctl.errors import GitError
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.prefix import below_prefix, pathspec
from aimsctl.gitio.running import run_git, split_z


def sparse_skipped(root: Path) -> tuple[str, ...]:
    """The files below the governance root ``root`` that git's index holds and a sparse
    checkout left out (skip-worktree), with nothing on disk at their path, relative to
    the root and sorted. Validation reads the files on disk, so their records are not
    read. Empty when no sparse checkout is on (`core.sparseCheckout`: `git
    sparse-checkout disable` leaves its file behind) or git cannot say."""
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
