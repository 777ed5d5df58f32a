"""Running git: every process hardened, every failure in plain words.

Each git command aimsctl runs, and each GitPython runs for it, starts with
:data:`SAFE_GIT_ARGS` and the environment of :func:`harden`. A failure becomes a
:class:`GitError` saying what went wrong (no git program, a damaged object store, an
object a partial clone left out, a repository of another user).
"""

from __future__ import annotations

import re
import shlex
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from aimsctl.errors import PARTIAL_CLONE, GitError, UntrustedRepository
from aimsctl.gitio.submodule_stores import alternates

if TYPE_CHECKING:
    import git


_SHA = re.compile(r"\b[0-9a-f]{40}\b")
# Phrases of git's own errors that mean an object is not there: the object store is
# damaged, or (a partial clone) the object was left out and is not fetched.
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
    "promisor",
)
FSCK_HINT = "; `git fsck` lists what is damaged; restore the repository from another clone"


GIT_MISSING = "the git program is not installed or not on PATH; install git"


class GitMissing(GitError):
    """No git program to run: never to be taken for "no commits" or "no revision"."""


def git_missing(error: GitError) -> bool:
    """Whether ``error`` says there is no git program to run."""
    return isinstance(error, GitMissing)


def import_failed(error: ImportError) -> GitError:
    """GitPython refuses to be imported: without a git program it says so in a page of
    its own settings; that is :data:`GIT_MISSING`, one line."""
    if "Bad git executable" in str(error):
        return GitMissing(GIT_MISSING)
    return GitError(f"git cannot be used: {error}")


# Settings of a repository's own config that would make a read-only git command run
# a program (or print in another encoding than the UTF-8 aimsctl reads), overridden
# for every git process aimsctl starts (`-c` outranks every config file). Clean and
# smudge filters (`filter.<driver>.*`, any driver name) and textconv drivers cannot be
# listed here: they only run when git converts a working-tree file or renders a diff's
# text, and aimsctl never asks for either (see _WorkTree; every diff is `--raw` or
# `--name-only`, with --no-ext-diff and --no-textconv as well).
_SAFE_CONFIG = (
    "core.fsmonitor=false",  # the file-system monitor hook, run whenever the index is read
    "core.hooksPath=/dev/null",  # hooks (post-index-change runs when the index is refreshed)
    "core.pager=cat",
    "log.showSignature=false",  # gpg.program, run to check commit signatures
    # what git prints is read as UTF-8: a log in another encoding garbled names and
    # subjects (`log`, the dates and authors of records)
    "i18n.logOutputEncoding=UTF-8",
    "protocol.allow=never",  # no transport: a partial clone's lazy fetch would run ssh
    "gc.auto=0",  # no background `git gc` or maintenance after a command
    "maintenance.auto=false",
)
_SAFE_FLAGS = ("--no-pager", "--no-optional-locks")  # no index refresh written back
SAFE_GIT_ARGS: tuple[str, ...] = (
    *_SAFE_FLAGS,
    *(arg for setting in _SAFE_CONFIG for arg in ("-c", setting)),
)
"""The options every git command aimsctl runs starts with, before the subcommand."""
_SAFE_ENV = {
    "GIT_ALLOW_PROTOCOL": "",  # no transport at all, whatever protocol.<name>.allow says
    "GIT_NO_LAZY_FETCH": "1",  # git 2.44 and later: a missing object is not fetched
    "GIT_TERMINAL_PROMPT": "0",
    # Pathspecs mean what aimsctl writes (`:(literal)...`, `:(glob)...`), whatever
    # the caller's environment says.
    "GIT_LITERAL_PATHSPECS": "0",
    "GIT_GLOB_PATHSPECS": "0",
    "GIT_NOGLOB_PATHSPECS": "0",
    "GIT_ICASE_PATHSPECS": "0",
}


def harden(command: git.Git) -> None:
    """Make every process a GitPython ``Git`` starts carry the safe options.

    GitPython runs its own commands (`git cat-file --batch` for objects, `git init`)
    through ``_call_process``, which puts the persistent options first; :func:`run_git`
    adds the same options itself.
    """
    command.set_persistent_git_options(no_pager=True, no_optional_locks=True, c=list(_SAFE_CONFIG))
    command.update_environment(**_SAFE_ENV)


def damaged_error(repo: git.Repo, error: BaseException | str) -> GitError:
    """A GitError for a git object that cannot be read: missing or damaged, or not
    in a partial clone (nothing is damaged there; a full clone has it)."""
    where = str(repo.working_tree_dir or repo.git_dir)
    found = _SHA.search(str(error).lower())
    what = f"git object {found.group()}" if found else "a git object"
    if is_partial(repo):
        return GitError(f"{what} is not in the git repository at {where}: {PARTIAL_CLONE}")
    return GitError(
        f"the git repository at {where} is damaged: {what} is missing or cannot be read{FSCK_HINT}"
    )


@contextmanager
def reading_objects(repo: git.Repo) -> Iterator[None]:
    """Turn a failure of GitPython to read git's objects into a plain GitError."""
    import git

    try:
        yield
    except (ValueError, OSError, git.ODBError, git.GitError) as error:
        raise damaged_error(repo, error) from None


def _not_owned(repo: git.Repo, detail: str) -> UntrustedRepository:
    """Git's refusal of a repository owned by another user, in plain words."""
    found = re.search(r"safe\.directory (.+)$", detail, flags=re.M)
    folder = found.group(1).strip().strip("'\"") if found else None
    folder = folder or str(repo.working_tree_dir or repo.git_dir)
    return UntrustedRepository(
        f"git refuses to read the repository at {folder}: it belongs to another user "
        '(git\'s "dubious ownership" check). If you trust it, allow it with '
        f"`git config --global --add safe.directory {shlex.quote(folder)}` and run "
        "aimsctl again"
    )


def run_git(repo: git.Repo, *args: str) -> str:
    """Run one git command in the top folder of the work tree; its raw stdout.

    The command runs with :data:`SAFE_GIT_ARGS` and the environment of
    :func:`harden`.
    """
    output: str = _execute(repo, args, None)
    return output


def run_git_objects(repo: git.Repo, *args: str) -> str:
    """As :func:`run_git`, also seeing the objects of the submodules whose files were
    listed (:func:`submodule_files`): for commands that read objects by id only."""
    output: str = _execute(repo, args, None, alternates(repo))
    return output


def run_git_bytes(repo: git.Repo, args: tuple[str, ...], stdin: bytes) -> bytes:
    """As :func:`run_git_objects`, with ``stdin`` as the command's input and its output as
    bytes.

    The input goes through an unnamed temporary file, not a pipe: git may fill its
    output pipe before it has read all of its input, and nothing would empty it."""
    with tempfile.TemporaryFile() as feed:
        feed.write(stdin)
        feed.seek(0)
        output: bytes = _execute(repo, args, feed, alternates(repo))
    return output


def _execute(
    repo: git.Repo,
    args: tuple[str, ...],
    feed: BinaryIO | None,
    env: dict[str, str] | None = None,
) -> Any:
    import git

    try:
        if feed is None:
            return repo.git.execute(
                ["git", *SAFE_GIT_ARGS, *args], strip_newline_in_stdout=False, env=env
            )
        return repo.git.execute(
            ["git", *SAFE_GIT_ARGS, *args],
            istream=feed,
            stdout_as_string=False,
            strip_newline_in_stdout=False,
            env=env,
        )
    except git.GitCommandNotFound:
        raise GitMissing(GIT_MISSING) from None
    except git.GitCommandError as error:
        raw = str(error.stderr or "")
        if "dubious ownership" in raw:
            raise _not_owned(repo, raw) from None
        detail = raw.strip().removeprefix("stderr:").strip(" '\n")
        detail = "; ".join(line.strip() for line in detail.splitlines() if line.strip())
        damaged = any(word in detail.lower() for word in _DAMAGE)
        # `config` is how is_partial asks: it must not ask again about its own failure.
        if damaged and args[0] != "config" and is_partial(repo):
            raise damaged_error(repo, detail) from None
        hint = FSCK_HINT if damaged else ""
        raise GitError(f"git {args[0]} failed: {detail or 'no details given'}{hint}") from None


def split_z(output: str) -> list[str]:
    """The entries of NUL-separated git output (``-z``), which needs no unquoting."""
    return [entry for entry in output.split("\0") if entry]


def is_partial(repo: git.Repo) -> bool:
    """:func:`is_partial_clone` for an open repository."""
    try:
        found = run_git(
            repo, "config", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$"
        )
    except GitError:
        return False
    return any(
        value.strip().lower() not in ("", "false", "no", "off", "0")
        for _key, _, value in (line.partition(" ") for line in found.splitlines())
    )
