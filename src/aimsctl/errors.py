"""The errors aimsctl raises for input it cannot use: one base, handled in one place.

Every error here is something the person at the terminal can fix, so the command
line prints it as one line, ``aimsctl: error: <message>``, and exits with the
error's ``exit_code`` (2: a usage error or an unusable repository). Anything
else that escapes is an internal failure (exit 3).

This module imports nothing heavy, so the CLI can name these exceptions without
loading pydantic, YAML or GitPython.
"""

from __future__ import annotations

from collections.abc import Sequence


class AimsctlError(Exception):
    """A problem with the input or the options, explained in plain words."""

    exit_code = 2


class UsageError(AimsctlError):
    """Bad arguments or an unusable path."""


class ConfigError(AimsctlError):
    """aims.yaml cannot be used; the message names the file and line.

    ``also`` holds further problems of the same file, as (message, line, column):
    all of them are reported at once, one per line, so a user fixes them in one go.
    """

    def __init__(
        self,
        message: str,
        path: str = "aims.yaml",
        line: int | None = 1,
        column: int = 1,
        also: Sequence[tuple[str, int, int]] = (),
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.also = tuple(also)
        first = f"{path}:{line}:{column}: {message}" if line is not None else f"{path}: {message}"
        super().__init__(
            "\n".join([first, *(f"{path}:{ln}:{col}: {m}" for m, ln, col in self.also)])
        )


class GitError(AimsctlError):
    """A git operation cannot be done: no repository, no commits, an unknown revision."""


# What to do about a shallow clone, wherever the history it lacks is the cause: an
# unknown revision, a record's creation date, a system's last significant change.
FETCH_HISTORY = (
    "fetch the history too (actions/checkout with `fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)"
)
PARTIAL_CLONE = (
    "this clone is partial (made with a filter such as `--filter=blob:none`) and lacks "
    "the contents of past commits, which aimsctl does not fetch; clone it in full "
    "(actions/checkout without `filter`, with `fetch-depth: 0`)"
)
LFS_NOT_FETCHED = (
    "record files are stored with Git LFS, and the LFS store of this clone lacks the "
    "content of some of their past versions, which aimsctl does not fetch; fetch them "
    "with `git lfs fetch --all` (`git lfs pull` fetches only the versions checked out)"
)
LFS_NOT_PULLED = (
    "is a Git LFS pointer, not its content: the content was never fetched into this "
    "checkout; run `git lfs pull`"
)
LFS_NOT_IN_STORE = (
    "is a Git LFS pointer, and the LFS store of this clone lacks its content at this "
    "revision, which aimsctl does not fetch; fetch it with `git lfs fetch --all`"
)
NO_GIT = (
    "the git program is not installed or not on PATH, so the history that dates the "
    "records cannot be read; install git"
)


class ReportError(AimsctlError):
    """A report cannot be rendered: a template is broken, missing or unreadable.

    The message names the template (a repository path for an override, or
    ``built-in template NAME``) and, where known, the line.
    """


class ScaffoldError(AimsctlError):
    """A new repository cannot be created as asked; nothing was written."""


class RecordNotFound(AimsctlError, LookupError):
    """No record with the id exists (in the repository, or in its git history)."""


class UntrustedRepository(AimsctlError):
    """git refuses to read a repository that belongs to another user ("dubious
    ownership"), until the user says it is safe (`safe.directory`).

    Deliberately not a :class:`GitError`: callers that read a GitError as "no git
    here" (a report's provenance, `diff`'s folder-or-revision guess) must not carry
    on as if the folder were not in a repository. Exit 2.
    """


class GitDirMismatch(AimsctlError):
    """GIT_DIR names another git repository than the one holding the folder aimsctl is
    given (or none at all): git run there reads the one GIT_DIR names, so reading the
    folder's own would judge other content than git commits. Also GIT_WORK_TREE (or the
    repository's core.worktree) naming another folder than the work tree holding it:
    git reads the files there.

    Not a :class:`GitError`, for the reason :class:`UntrustedRepository` is not one.
    Exit 2.
    """
