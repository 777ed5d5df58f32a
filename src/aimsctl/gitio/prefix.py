"""Where the governance root lies in the git work tree.

The governance root (the folder holding aims.yaml) may be a subfolder of the work
tree; paths elsewhere in the package are relative to the root, and the prefix between
the two is added and removed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import GitError, UntrustedRepository
from aimsctl.gitio.opening import open_repo

if TYPE_CHECKING:
    import git


def root_prefix(repo: git.Repo, root: Path) -> str:
    """The governance root relative to the top of the work tree: "" or "a/b"."""
    top = repo.working_tree_dir
    if top is None:
        raise GitError(f"{repo.git_dir} is a bare git repository; aimsctl needs a work tree")
    try:
        relative = root.resolve().relative_to(Path(top).resolve())
    except ValueError:
        raise GitError(
            f"{root} is not inside the work tree of the git repository at {top}"
        ) from None
    return relative.as_posix() if relative.parts else ""


def below_prefix(paths: Iterable[str], prefix: str) -> set[str]:
    """The paths below the governance root, made relative to it."""
    if not prefix:
        return set(paths)
    start = prefix + "/"
    return {path[len(start) :] for path in paths if path.startswith(start)}


def pathspec(prefix: str) -> list[str]:
    """Arguments that limit a command to the governance root, taken literally."""
    return ["--", f":(literal){prefix}"] if prefix else []


def work_tree_prefix(path: Path) -> str | None:
    """Where ``path`` (which need not exist yet) lies in its git work tree.

    "" at the top of the work tree, "a/b" below it, None when ``path`` is not
    inside a git work tree at all, or only inside one git refuses to use (another
    user's: a repository made in ``path`` is then the one git uses there).
    """
    target = path.resolve()
    existing = target
    while not existing.exists():
        existing = existing.parent
    try:
        with open_repo(existing) as repo:
            top = repo.working_tree_dir
            if top is None:
                return None
            try:
                relative = target.relative_to(Path(top).resolve())
            except ValueError:
                return None
            return relative.as_posix() if relative.parts else ""
    except (GitError, UntrustedRepository):
        return None
