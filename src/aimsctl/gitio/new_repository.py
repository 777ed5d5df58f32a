"""Making a new git repository (`aimsctl init`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import GitDirMismatch, GitError
from aimsctl.gitio.running import GIT_MISSING, GitMissing, harden, import_failed
from aimsctl.text import printable

if TYPE_CHECKING:
    pass


def check_init(path: Path) -> None:
    """Refuse, before anything is written, to make a repository in ``path`` (which
    :func:`work_tree_prefix` found in none) while GIT_DIR is set: `git init` then sets
    up the repository GIT_DIR names, and ``path`` would get no `.git` of its own."""
    named = os.environ.get("GIT_DIR")
    if named:
        raise GitDirMismatch(
            f"GIT_DIR is set ({printable(named)}), so `git init` would set up the repository "
            f"it names rather than make one in {printable(str(path))}; unset GIT_DIR to make "
            "a repository there, or set GIT_WORK_TREE to the top of the work tree of the one "
            "it names to add the files to that"
        )


def init_repository(path: Path) -> None:
    """``git init`` in ``path``: a new, empty repository (no commit is made)."""
    try:
        import git
    except ImportError as error:
        raise import_failed(error) from None
    command = git.Git(str(path))
    harden(command)
    try:
        command.init()
    except git.GitCommandNotFound:
        raise GitMissing(GIT_MISSING) from None
    except (git.GitCommandError, OSError) as error:
        raise GitError(f"git init in {path} failed: {error}") from None
