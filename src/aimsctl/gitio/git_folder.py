"""The git folder a `.git` names, read from the files on disk without git.

Cheap to import (no GitPython, no git process): the validation cache keys on it, and
every validate asks whether a sparse checkout may be on before it asks git.
"""

from __future__ import annotations

import os
from pathlib import Path


def gitfile_target(dot_git: Path) -> Path | None:
    """The folder a `.git` file ("gitdir: <path>", a linked work tree's or a
    submodule's) names, relative to the file's folder as git takes it; None when
    ``dot_git`` is no such file or cannot be read."""
    try:
        if not dot_git.is_file():
            return None
        text = dot_git.read_text("utf-8", "replace").strip()
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        return None
    if not text.startswith("gitdir:"):
        return None
    return dot_git.parent / text.removeprefix("gitdir:").strip()


def git_folder(dot_git: Path) -> Path:
    """The git folder ``dot_git`` is, or names when it is a `.git` file."""
    return gitfile_target(dot_git) or dot_git


def nearest_dot_git(start: Path) -> Path | None:
    """The `.git` (folder or file) in ``start`` or the nearest folder above it."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        try:
            if os.path.lexists(folder / ".git"):
                return folder / ".git"
        except ValueError:
            return None
    return None
