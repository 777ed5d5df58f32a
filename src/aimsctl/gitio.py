"""Git access: the only module that imports GitPython.

Everything here only reads: nothing is checked out, staged or committed. Paths
given and returned are relative to the *governance root* (the folder holding
aims.yaml) with POSIX separators; the governance root may be a subfolder of the
git work tree, and the prefix between the two is handled here, once.

Every failure becomes :class:`GitError` with a message in plain words, which the
command line turns into exit 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from aimsctl.errors import GitError

if TYPE_CHECKING:
    import git

__all__ = [
    "Commit",
    "CommitLog",
    "FileChange",
    "GitError",
    "WorkChange",
    "changed_paths",
    "head_state",
    "init_repository",
    "is_revision",
    "open_repo",
    "read_tree",
    "resolve",
    "resolve_revision",
    "work_tree_prefix",
]

_SYMLINK_MODE = 0o120000
_SHALLOW_HINT = (
    "; this clone is shallow, so fetch the history too (actions/checkout with "
    "`fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)"
)


_SHA = re.compile(r"\b[0-9a-f]{40}\b")
# Phrases of git's own errors that mean its object store is damaged.
_DAMAGE = (
    "bad object",
    "bad tree",
    "could not read",
    "unable to read",
    "unable to unpack",
    "inflate",
    "corrupt",
    "missing",
    "invalid object",
    "broken",
)
_FSCK_HINT = "; `git fsck` lists what is damaged; restore the repository from another clone"


_GIT_MISSING = "the git program is not installed or not on PATH; install git"


class _GitMissing(GitError):
    """No git program to run: never to be taken for "no commits" or "no revision"."""


def _damaged(where: str | None, error: BaseException) -> GitError:
    """A GitError for a git object that cannot be read: missing or damaged."""
    found = _SHA.search(str(error).lower()) if str(error) else None
    what = f"git object {found.group()}" if found else "a git object"
    return GitError(
        f"the git repository at {where or 'this folder'} is damaged: {what} is missing or "
        f"cannot be read{_FSCK_HINT}"
    )


@contextmanager
def _reading_objects(repo: git.Repo) -> Iterator[None]:
    """Turn a failure of GitPython to read git's objects into a plain GitError."""
    import git

    try:
        yield
    except (ValueError, OSError, git.ODBError, git.GitError) as error:
        raise _damaged(str(repo.working_tree_dir or repo.git_dir), error) from None


def _git_dir_nearby(path: Path) -> Path | None:
    """A `.git` in ``path`` or a parent folder, whether or not git can use it."""
    try:
        start = path.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder / ".git"
    return None


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
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        found = _git_dir_nearby(path)
        if found is not None:
            raise _unusable(found) from None
        raise GitError(
            f"{path} is not inside a git repository (no .git folder there or in any "
            "parent folder); run `git init` and commit the records first"
        ) from None
    except OSError as error:
        raise GitError(f"{path}: the git repository cannot be read: {error}") from None
    # Older GitPython opens a repository that git itself refuses (an empty HEAD):
    # ask git, so the answer does not depend on the GitPython version.
    try:
        _git(repo, "rev-parse", "--git-dir")
    except _GitMissing:
        repo.close()
        raise
    except GitError:
        repo.close()
        raise _unusable(Path(repo.git_dir)) from None
    return repo


def _unusable(git_dir: Path) -> GitError:
    return GitError(
        f"{git_dir} is not a usable git repository: it is damaged or incomplete "
        "(for example an empty or invalid .git/HEAD file)" + _FSCK_HINT
    )


def _git(repo: git.Repo, *args: str) -> str:
    """Run one git command in the top folder of the work tree; its raw stdout."""
    import git

    try:
        output: str = repo.git.execute(["git", *args], strip_newline_in_stdout=False)
    except git.GitCommandNotFound:
        raise _GitMissing(_GIT_MISSING) from None
    except git.GitCommandError as error:
        detail = str(error.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
        detail = "; ".join(line.strip() for line in detail.splitlines() if line.strip())
        hint = _FSCK_HINT if any(word in detail.lower() for word in _DAMAGE) else ""
        raise GitError(f"git {args[0]} failed: {detail or 'no details given'}{hint}") from None
    return output


def _split_z(output: str) -> list[str]:
    """The entries of NUL-separated git output (``-z``), which needs no unquoting."""
    return [entry for entry in output.split("\0") if entry]


def _has_commits(repo: git.Repo) -> bool:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except _GitMissing:
        raise
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
    return {path[len(start) :] for path in paths if path.startswith(start)}


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


def read_tree(root: Path, rev: str, suffixes: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """Every file below ``root`` as it was at ``rev``, read from git's objects.

    Keys are paths relative to ``root``, sorted. Nothing is checked out. Symbolic
    links and submodules are left out (a link's blob holds only its target). An
    empty dict when ``root`` did not exist at ``rev``. With ``suffixes``, only the
    files whose names end with one of them are read (e.g. the YAML files, leaving
    large evidence files unread).
    """
    import git

    with open_repo(root) as repo, _reading_objects(repo):
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
                if suffixes is not None and not path.endswith(suffixes):
                    continue
                files[path[len(prefix) + 1 :] if prefix else path] = item.data_stream.read()
        return dict(sorted(files.items()))


def resolve_revision(root: Path, rev: str) -> str:
    """The full commit sha that ``rev`` names in the git repository holding ``root``."""
    with open_repo(root) as repo:
        return resolve(repo, rev)


def is_revision(path: Path, rev: str) -> bool:
    """Whether ``rev`` names a commit in the git repository holding ``path``.

    False, never an error, when ``path`` is not in a git repository at all.
    """
    try:
        with open_repo(path) as repo:
            resolve(repo, rev)
    except GitError:
        return False
    return True


def work_tree_prefix(path: Path) -> str | None:
    """Where ``path`` (which need not exist yet) lies in its git work tree.

    "" at the top of the work tree, "a/b" below it, None when ``path`` is not
    inside a git work tree at all.
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
    except GitError:
        return None


def init_repository(path: Path) -> None:
    """``git init`` in ``path``: a new, empty repository (no commit is made)."""
    try:
        import git
    except ImportError as error:
        raise GitError(f"git cannot be used: {error}") from None
    try:
        git.Repo.init(path).close()
    except git.GitCommandNotFound:
        raise _GitMissing(_GIT_MISSING) from None
    except (git.GitCommandError, OSError) as error:
        raise GitError(f"git init in {path} failed: {error}") from None


# --- history ------------------------------------------------------------------------

_NULL_SHA = "0" * 40
_REGULAR_MODES = frozenset({"100644", "100755"})
_COMMIT_MARK = "aimsctl-commit"
# The fields of one commit, NUL-separated (a NUL cannot occur in any of them).
_COMMIT_FORMAT = f"{_COMMIT_MARK}%x00%H%x00%P%x00%an%x00%ae%x00%cI%x00%s"


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file that differs between two commits, by blob: None where it is absent.

    ``path`` is relative to the governance root. A symbolic link or submodule
    counts as absent (its blob is not a file of the repository).
    """

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class WorkChange:
    """A file that differs between HEAD and the working tree, by content."""

    path: str
    head: bytes | None
    worktree: bytes | None


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit and the files below the governance root that it changes.

    ``changes`` compare the commit with its first parent (with the empty tree for a
    root commit, or for the oldest commit of a shallow clone, whose parents were
    not fetched: ``grafted``).
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    date: str  # the commit date, ISO 8601 with the committer's offset
    subject: str
    changes: tuple[FileChange, ...]
    grafted: bool = False


def _blob(mode: str, sha: str) -> str | None:
    return sha if mode in _REGULAR_MODES and sha != _NULL_SHA else None


def _raw_changes(tokens: list[str], prefix: str) -> list[FileChange]:
    """``--raw -z`` entries (``:mode mode sha sha status``, path) as FileChanges."""
    changes: list[FileChange] = []
    start = len(prefix) + 1 if prefix else 0
    for meta, path in zip(tokens[0::2], tokens[1::2], strict=True):
        old_mode, new_mode, old_sha, new_sha, _status = meta.lstrip("\n:").split(" ")
        old, new = _blob(old_mode, old_sha), _blob(new_mode, new_sha)
        if old is not None or new is not None:
            changes.append(FileChange(path[start:], old, new))
    return changes


class CommitLog:
    """The commits that touch files below a governance root, read with one ``git log``.

    Use as a context manager (it holds the repository open, so reading many blobs
    goes through one git process)::

        with CommitLog(root, (".yaml", ".yml")) as log:
            for commit in log.commits():
                ...
    """

    def __init__(self, root: Path, suffixes: tuple[str, ...]) -> None:
        self.root = root
        self.suffixes = suffixes
        self._repo: git.Repo | None = None
        self._prefix = ""

    def __enter__(self) -> CommitLog:
        self._repo = open_repo(self.root)
        try:
            self._prefix = _prefix(self._repo, self.root)
        except GitError:
            self._repo.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._repo is not None:
            self._repo.close()
            self._repo = None

    @property
    def repo(self) -> git.Repo:
        if self._repo is None:
            raise RuntimeError("CommitLog is used outside its `with` block")
        return self._repo

    def _pathspecs(self) -> list[str]:
        folder = f"{self._prefix}/" if self._prefix else ""
        return [f":(glob){folder}**/*{suffix}" for suffix in self.suffixes]

    @property
    def has_commits(self) -> bool:
        return _has_commits(self.repo)

    @property
    def shallow(self) -> bool:
        return _git(self.repo, "rev-parse", "--is-shallow-repository").strip() == "true"

    def _grafted(self) -> frozenset[str]:
        """The commits of a shallow clone whose parents were not fetched."""
        location = Path(_git(self.repo, "rev-parse", "--git-path", "shallow").strip())
        if not location.is_absolute():
            location = Path(self.repo.working_tree_dir or self.repo.git_dir) / location
        try:
            return frozenset(location.read_text("ascii").split())
        except OSError:
            return frozenset()

    def commits(self) -> Iterator[Commit]:
        """Every commit reachable from HEAD that changes a matching file, newest first.

        Side branches that were merged are walked too (``--full-history``). A merge
        commit comes with its changes against the first parent; ``changes`` gives
        them against any other parent.
        """
        if not self.has_commits:
            return
        grafted = self._grafted()
        output = _git(
            self.repo,
            "log",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--full-history",
            "--root",
            "--no-color",
            "--no-ext-diff",
            f"--format={_COMMIT_FORMAT}",
            "HEAD",
            "--",
            *self._pathspecs(),
        )
        tokens = output.split("\0")
        index = 0
        while index < len(tokens):
            if tokens[index].lstrip("\n") != _COMMIT_MARK:
                index += 1
                continue
            sha, parents, name, email, date, subject = tokens[index + 1 : index + 7]
            index += 7
            raw: list[str] = []
            while index < len(tokens) and tokens[index].lstrip("\n").startswith(":"):
                raw.extend(tokens[index : index + 2])
                index += 2
            parent_list = tuple(parents.split())
            if len(parent_list) > 1:  # git log shows no diff for a merge: ask for one
                changes = self.changes(parent_list[0], sha)
            else:
                changes = tuple(_raw_changes(raw, self._prefix))
            yield Commit(sha, parent_list, name, email, date, subject, changes, sha in grafted)

    def changes(self, old: str, new: str) -> tuple[FileChange, ...]:
        """The matching files that differ between two commits."""
        output = _git(
            self.repo,
            "diff-tree",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--no-ext-diff",
            old,
            new,
            "--",
            *self._pathspecs(),
        )
        return tuple(_raw_changes(_split_z(output), self._prefix))

    def blob(self, sha: str) -> bytes:
        """The content of one blob."""
        with _reading_objects(self.repo):
            data: bytes = self.repo.odb.stream(bytes.fromhex(sha)).read()
        return data

    def worktree_changes(self, paths: Iterable[str] | None = None) -> list[WorkChange]:
        """Matching files that differ between HEAD and the working tree, by content.

        Staged, unstaged and untracked (not ignored) files count, as with
        :func:`changed_paths`; before the first commit every file is new. ``paths``
        narrows the answer to those paths (relative to the governance root).
        """
        repo = self.repo
        if _has_commits(repo):
            head = resolve(repo, "HEAD")
            changed = _changed_since(repo, head, self._prefix)
            with _reading_objects(repo):
                tree = repo.commit(head).tree
        else:
            listed = _git(
                repo,
                "ls-files",
                "--cached",
                "--others",
                "--exclude-standard",
                "--full-name",
                "-z",
            )
            changed = _below(_split_z(listed), self._prefix)
            tree = None
        wanted = None if paths is None else set(paths)
        result: list[WorkChange] = []
        for rel in sorted(changed):
            if not rel.endswith(self.suffixes) or (wanted is not None and rel not in wanted):
                continue
            result.append(WorkChange(rel, self._head_bytes(tree, rel), self._disk_bytes(rel)))
        return [change for change in result if change.head != change.worktree]

    def _head_bytes(self, tree: git.Tree | None, rel: str) -> bytes | None:
        import git

        if tree is None:
            return None
        with _reading_objects(self.repo):
            try:
                item = tree / (f"{self._prefix}/{rel}" if self._prefix else rel)
            except KeyError:
                return None
            if not isinstance(item, git.Blob) or item.mode == _SYMLINK_MODE:
                return None
            data: bytes = item.data_stream.read()
        return data

    def _disk_bytes(self, rel: str) -> bytes | None:
        path = self.root / rel
        try:
            if path.is_symlink() or not path.is_file():
                return None
            return path.read_bytes()
        except OSError:
            return None
