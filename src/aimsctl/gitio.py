"""Git access: the only module that imports GitPython.

Everything here only reads: nothing is checked out, staged or committed. Paths
given and returned are relative to the *governance root* (the folder holding
aims.yaml) with POSIX separators; the governance root may be a subfolder of the
git work tree, and the prefix between the two is handled here, once.

Every failure becomes :class:`GitError` with a message in plain words, which the
command line turns into exit 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import GitError

if TYPE_CHECKING:
    import git

__all__ = ["GitError", "changed_paths", "head_state", "open_repo", "read_tree", "resolve"]

_SYMLINK_MODE = 0o120000
_SHALLOW_HINT = (
    "; this clone is shallow, so fetch the history too (actions/checkout with "
    "`fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)"
)


def open_repo(path: Path) -> git.Repo:
    """The git repository holding ``path``, searching parent folders.

    The caller closes it (``with open_repo(p) as repo:``) so that git's helper
    processes end. Raises GitError when ``path`` is not inside a git repository
    or git cannot be run.
    """
    try:
        import git
    except ImportError as error:  # GitPython refuses to load without a git program
        raise GitError(f"git cannot be used: {error}") from None
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(
            f"{path} is not inside a git repository (no .git folder there or in any "
            "parent folder); run `git init` and commit the records first"
        ) from None
    except OSError as error:
        raise GitError(f"{path}: the git repository cannot be read: {error}") from None


def _git(repo: git.Repo, *args: str) -> str:
    """Run one git command in the top folder of the work tree; its raw stdout."""
    import git

    try:
        output: str = repo.git.execute(["git", *args], strip_newline_in_stdout=False)
    except git.GitCommandNotFound:
        raise GitError("the git program is not installed or not on PATH") from None
    except git.GitCommandError as error:
        detail = str(error.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
        raise GitError(f"git {args[0]} failed: {detail or 'no details given'}") from None
    return output


def _split_z(output: str) -> list[str]:
    """The entries of NUL-separated git output (``-z``), which needs no unquoting."""
    return [entry for entry in output.split("\0") if entry]


def _has_commits(repo: git.Repo) -> bool:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return False
    return True


def resolve(repo: git.Repo, rev: str) -> str:
    """The full commit sha that ``rev`` names (a sha, branch, tag, ``HEAD~2``...).

    Raises GitError for an unknown revision and for a repository with no commits.
    """
    try:
        # --end-of-options: a revision that starts with "-" is never read as an option.
        output = _git(
            repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
        )
    except GitError:
        where = repo.working_tree_dir or repo.git_dir
        if not _has_commits(repo):
            raise GitError(
                f"the git repository at {where} has no commits yet, so there is no revision "
                f"{rev!r} to compare with; commit the records once first"
            ) from None
        shallow = _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
        raise GitError(
            f"unknown revision {rev!r}: no commit, branch or tag of that name in the git "
            f"repository at {where}{_SHALLOW_HINT if shallow else ''}"
        ) from None
    return output.strip()


def _prefix(repo: git.Repo, root: Path) -> str:
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


def _below(paths: list[str], prefix: str) -> set[str]:
    """The paths below the governance root, made relative to it."""
    if not prefix:
        return set(paths)
    start = prefix + "/"
    return {path[len(start):] for path in paths if path.startswith(start)}


def _changed_since(repo: git.Repo, sha: str, prefix: str) -> set[str]:
    # `git diff <commit>` compares the commit with the work tree, so staged and
    # unstaged edits both count; without rename detection a rename shows as the
    # deletion of the old path and the addition of the new one: both sides.
    tracked = _git(repo, "diff", "--name-only", "--no-renames", "--no-ext-diff", "-z", sha, "--")
    untracked = _git(repo, "ls-files", "--others", "--exclude-standard", "--full-name", "-z")
    return _below(_split_z(tracked) + _split_z(untracked), prefix)


def changed_paths(root: Path, rev: str) -> set[str]:
    """Paths below ``root`` that differ between ``rev`` and the work tree.

    Counts staged, unstaged and untracked (not ignored) files, deleted files, and
    both the old and the new path of a rename. Paths are relative to ``root``.
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        return _changed_since(repo, resolve(repo, rev), prefix)


def head_state(root: Path) -> tuple[str | None, bool]:
    """HEAD's commit sha (None before the first commit) and whether ``root`` is dirty.

    Dirty means a file below ``root`` differs from HEAD: changed, staged, deleted
    or untracked (ignored files do not count). For report provenance.
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        if not _has_commits(repo):
            listed = _git(
                repo, "ls-files", "--cached", "--others", "--exclude-standard", "--full-name", "-z"
            )
            return None, bool(_below(_split_z(listed), prefix))
        sha = resolve(repo, "HEAD")
        return sha, bool(_changed_since(repo, sha, prefix))


def read_tree(root: Path, rev: str) -> dict[str, bytes]:
    """Every file below ``root`` as it was at ``rev``, read from git's objects.

    Keys are paths relative to ``root``, sorted. Nothing is checked out. Symbolic
    links and submodules are left out (a link's blob holds only its target). An
    empty dict when ``root`` did not exist at ``rev``.
    """
    import git

    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        tree = repo.commit(resolve(repo, rev)).tree
        if prefix:
            try:
                below = tree / prefix
            except KeyError:
                return {}
            if not isinstance(below, git.Tree):
                return {}
            tree = below
        files: dict[str, bytes] = {}
        for item in tree.traverse():
            if isinstance(item, git.Blob) and item.mode != _SYMLINK_MODE:
                path = str(item.path)
                files[path[len(prefix) + 1:] if prefix else path] = item.data_stream.read()
        return dict(sorted(files.items()))
