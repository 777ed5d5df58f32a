"""Files a sparse checkout left off the disk: in the index, not in the working tree."""

from __future__ import annotations

import os
from pathlib import Path

from aimsctl.errors import GitError
from aimsctl.gitio.opening import open_repo
from aimsctl.gitio.prefix import below_prefix, pathspec
from aimsctl.gitio.running import run_git, split_z


def sparse_skipped(top: Path, prefix: str) -> tuple[str, ...]:
    """The files below the governance root (``prefix`` below the work tree's top
    ``top``) that git's index holds and marks as left out of the checkout
    (skip-worktree), with nothing on disk at their path, relative to the root and
    sorted. Validation reads the files on disk, so their records are not read. Empty
    when git cannot say."""
    try:
        with open_repo(top) as repo:
            output = run_git(repo, "ls-files", "-t", "--full-name", "-z", *pathspec(prefix))
    except GitError:
        return ()
    # `-t` puts a tag and a space before each path: `S` for skip-worktree.
    skipped = (entry[2:] for entry in split_z(output) if entry.startswith("S "))
    return tuple(
        sorted(
            rel
            for rel in below_prefix(skipped, prefix)
            if not os.path.lexists(top / prefix / rel if prefix else top / rel)
        )
    )
