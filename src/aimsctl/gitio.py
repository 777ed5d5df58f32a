"""Git access: the only module that imports GitPython.

Everything here only reads: nothing is checked out, staged or committed. Paths
given and returned are relative to the *governance root* (the folder holding
aims.yaml) with POSIX separators; the governance root may be a subfolder of the
git work tree, and the prefix between the two is handled here, once.

Every failure becomes :class:`GitError` with a message in plain words, which the
command line turns into exit 2; a repository git refuses to use because it belongs
to another user raises :class:`UntrustedRepository` instead, and a GIT_DIR that
names another repository than the folder's (or GIT_WORK_TREE or core.worktree
another work tree) :class:`GitDirMismatch`.

Every git process started here, by aimsctl or by GitPython, runs with the
repository's means of running programs switched off (:data:`SAFE_GIT_ARGS`): a
repository's .git/config is written by whoever prepared the repository, and a
read-only command must not run what it names. The working tree is compared with a
commit by hashing its files here, so git never converts a working-tree file and no
clean filter runs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import stat
import sys
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO

from aimsctl.days import iso_date
from aimsctl.errors import (
    FETCH_HISTORY,
    PARTIAL_CLONE,
    GitDirMismatch,
    GitError,
    UntrustedRepository,
)
from aimsctl.fileio import LFS_POINTER, LFS_POINTER_MAX, lfs_pointer, read_regular
from aimsctl.links import DATA_SUFFIXES as _DATA_SUFFIXES
from aimsctl.links import follow_links
from aimsctl.text import printable

if TYPE_CHECKING:
    import git

__all__ = [
    "SAFE_GIT_ARGS",
    "ChangesSince",
    "Commit",
    "CommitLog",
    "FileChange",
    "GitDirMismatch",
    "GitError",
    "Kept",
    "NotInRepository",
    "UntrustedRepository",
    "WorkChange",
    "changed_paths",
    "changes_since",
    "check_init",
    "committed_files",
    "head_state",
    "init_repository",
    "is_revision",
    "open_repo",
    "read_tree",
    "resolve",
    "resolve_revision",
    "unchecked_submodules",
    "work_tree_prefix",
]

_SHALLOW_HINT = f"; this clone is shallow, so {FETCH_HISTORY}"


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
_FSCK_HINT = "; `git fsck` lists what is damaged; restore the repository from another clone"


_GIT_MISSING = "the git program is not installed or not on PATH; install git"


class _GitMissing(GitError):
    """No git program to run: never to be taken for "no commits" or "no revision"."""


def git_missing(error: GitError) -> bool:
    """Whether ``error`` says there is no git program to run."""
    return isinstance(error, _GitMissing)


def _import_failed(error: ImportError) -> GitError:
    """GitPython refuses to be imported: without a git program it says so in a page of
    its own settings; that is :data:`_GIT_MISSING`, one line."""
    if "Bad git executable" in str(error):
        return _GitMissing(_GIT_MISSING)
    return GitError(f"git cannot be used: {error}")


# --- running git ----------------------------------------------------------------------

# Settings of a repository's own config that would make a read-only git command run
# a program, overridden for every git process aimsctl starts (`-c` outranks every
# config file). Clean and smudge filters (`filter.<driver>.*`, any driver name) and
# textconv drivers cannot be listed here: they only run when git converts a
# working-tree file or renders a diff's text, and aimsctl never asks for either (see
# _WorkTree; every diff is `--raw` or `--name-only`, with --no-ext-diff and
# --no-textconv as well).
_SAFE_CONFIG = (
    "core.fsmonitor=false",  # the file-system monitor hook, run whenever the index is read
    "core.hooksPath=/dev/null",  # hooks (post-index-change runs when the index is refreshed)
    "core.pager=cat",
    "log.showSignature=false",  # gpg.program, run to check commit signatures
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


def _harden(command: git.Git) -> None:
    """Make every process a GitPython ``Git`` starts carry the safe options.

    GitPython runs its own commands (`git cat-file --batch` for objects, `git init`)
    through ``_call_process``, which puts the persistent options first; :func:`_git`
    adds the same options itself.
    """
    command.set_persistent_git_options(no_pager=True, no_optional_locks=True, c=list(_SAFE_CONFIG))
    command.update_environment(**_SAFE_ENV)


def _damaged(repo: git.Repo, error: BaseException | str) -> GitError:
    """A GitError for a git object that cannot be read: missing or damaged, or not
    in a partial clone (nothing is damaged there; a full clone has it)."""
    where = str(repo.working_tree_dir or repo.git_dir)
    found = _SHA.search(str(error).lower())
    what = f"git object {found.group()}" if found else "a git object"
    if _partial(repo):
        return GitError(f"{what} is not in the git repository at {where}: {PARTIAL_CLONE}")
    return GitError(
        f"the git repository at {where} is damaged: {what} is missing or cannot be read{_FSCK_HINT}"
    )


@contextmanager
def _reading_objects(repo: git.Repo) -> Iterator[None]:
    """Turn a failure of GitPython to read git's objects into a plain GitError."""
    import git

    try:
        yield
    except (ValueError, OSError, git.ODBError, git.GitError) as error:
        raise _damaged(repo, error) from None


def _git_dir_nearby(path: Path, stray: bool = False) -> Path | None:
    """A `.git` in ``path`` or a parent folder, whether or not git can use it; but
    one that is :func:`_stray` only where ``stray`` asks for it."""
    try:
        start = path.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (start, *start.parents):
        found = folder / ".git"
        if found.exists() and _stray(found) is stray:
            return found
    return None


def _stray(dot_git: Path) -> bool:
    """Whether ``dot_git`` is a folder with no HEAD file (`mkdir .git`, a copy that left
    it empty): git takes it for no repository and looks further up, so it is neither
    a repository nor a damaged one."""
    return dot_git.is_dir() and not os.path.lexists(dot_git / "HEAD")


class NotInRepository(GitError):
    """``path`` is in no git repository at all: not to be taken for a repository git
    cannot be used in (no git program, a damaged one), where a report's provenance
    is unknown rather than "not a git repository"."""


def _not_in_git(path: Path) -> GitError:
    stray = _git_dir_nearby(path, stray=True)
    if stray is not None:
        return NotInRepository(
            f"{path} is not inside a git repository: {stray} holds no HEAD file, so git "
            "does not take it for one; remove that folder, or run `git init` there and "
            "commit the records"
        )
    return NotInRepository(
        f"{path} is not inside a git repository (no .git folder there or in any "
        "parent folder); run `git init` and commit the records first"
    )


def _may_be_in_git(path: Path) -> bool:
    """Whether git could find a repository holding ``path``: a `.git` there or in a
    parent folder, a folder that is itself a bare repository, or git told where one is
    (GIT_DIR). False only when none of these can be."""
    if os.environ.get("GIT_DIR"):
        return True
    try:
        start = path.resolve()
    except (OSError, RuntimeError):
        return True  # let git say what is wrong
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return True
        if (folder / "HEAD").is_file() and (folder / "objects").is_dir():
            return True
    return False


def open_repo(path: Path) -> git.Repo:
    """The git repository holding ``path``, searching parent folders.

    The caller closes it (``with open_repo(p) as repo:``) so that git's helper
    processes end. Every git command run through it is hardened (see
    :data:`SAFE_GIT_ARGS`). Raises GitError when ``path`` is not inside a git
    repository, git cannot be run or the repository is damaged, and
    UntrustedRepository when git refuses a repository of another user, and
    GitDirMismatch when GIT_DIR names another repository than the one holding
    ``path``.
    """
    if not _may_be_in_git(path):  # not worth importing GitPython to learn it (0.03 s)
        raise _not_in_git(path)
    try:
        import git
    except ImportError as error:  # GitPython refuses to load without a git program
        raise _import_failed(error) from None
    try:
        repo = git.Repo(path, search_parent_directories=True)
        _check_git_dir(repo, path)
        _check_work_tree(repo, path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        found = _git_dir_nearby(path)
        if found is not None:
            raise _unusable(found) from None
        if os.environ.get("GIT_DIR"):
            repo = _named_by_environment(path)
        else:
            raise _not_in_git(path) from None
    except OSError as error:
        raise GitError(f"{path}: the git repository cannot be read: {error}") from None
    _prepare(repo)
    # Older GitPython opens a repository that git itself refuses (an empty HEAD):
    # ask git, so the answer does not depend on the GitPython version. This is also
    # where git refuses a repository that belongs to another user.
    try:
        _git(repo, "rev-parse", "--git-dir")
    except _GitMissing:
        repo.close()
        raise
    except GitError:
        repo.close()
        gone = _configured_work_tree_gone(repo)
        if gone is not None:
            raise GitError(
                f"the git repository at {printable(str(Path(repo.git_dir).resolve()))} names "
                f"{printable(str(gone))} as its work tree (core.worktree), which is not there, "
                "so git refuses to run there; unset core.worktree (`git config --unset "
                "core.worktree` in that repository's git folder) or set it to the top of "
                "its work tree"
            ) from None
        # GitPython 3.1.41 opens a linked work tree whose `.git` file names a folder
        # that is gone (newer ones refuse it above): say that, not "damaged".
        found = _git_dir_nearby(path)
        if found is not None and _linked_folder_gone(found) is not None:
            raise _unusable(found) from None
        raise _unusable(Path(repo.git_dir)) from None
    except UntrustedRepository:
        repo.close()
        raise
    try:
        _check_configured_work_tree(repo, path)
    except BaseException:
        repo.close()
        raise
    return repo


def _prepare(repo: git.Repo) -> None:
    """Harden the commands run through ``repo`` and point them at its git folder and
    index, as git run in its work tree would use them."""
    _harden(repo.git)
    if os.environ.get("GIT_DIR"):
        # GitPython 3.1.41 passes GIT_DIR on as it is to the commands it runs: in a
        # submodule of the repository it names (a hook in a linked work tree) they
        # would read the superproject's objects. Newer ones name the one opened.
        repo.git.update_environment(GIT_DIR=os.fspath(Path(repo.git_dir).absolute()))
    if _index_of_another(repo):  # as git enters a submodule: with the submodule's index
        repo.git.update_environment(GIT_INDEX_FILE=os.path.join(repo.git_dir, "index"))


def _check_configured_work_tree(repo: git.Repo, path: Path) -> None:
    """Read the work tree the repository's core.worktree names, as git does.

    GitPython ignores core.worktree for a repository found through a `.git` (and takes
    a relative one from the current folder rather than the git folder), while git reads
    the files of the folder it names (`git status`, the index's paths). A work tree
    holding ``path`` becomes the one read (see :func:`_set_work_tree`); one elsewhere
    is refused, naming both: judging the files below ``path`` would pass or fail other
    content than git sees. Git is asked only where the repository's own config mentions
    a work tree at all: git reads core.worktree from that file alone (no includes, and
    not for a linked work tree, whose git folder holds no config)."""
    if os.environ.get("GIT_WORK_TREE") or repo.working_tree_dir is None:
        return  # GIT_WORK_TREE outranks core.worktree (see _check_work_tree)
    try:
        config = (Path(repo.git_dir) / "config").read_bytes()
    except OSError:
        return
    if b"worktree" not in config.lower():
        return
    where = Path(_git(repo, "rev-parse", "--show-toplevel").rstrip("\n")).resolve()
    top = Path(repo.working_tree_dir).resolve()
    if where == top and Path(repo.working_tree_dir).is_absolute():
        return
    target = path.resolve()
    if target == where or where in target.parents:
        _set_work_tree(repo, where)
        _prepare(repo)
        return
    shown = printable(str(top))
    raise GitDirMismatch(
        f"the git repository at {printable(str(Path(repo.git_dir).resolve()))} names "
        f"{printable(str(where))} as its work tree (core.worktree), but "
        f"{printable(str(path))} is not in that folder, and git run there reads the files "
        f"core.worktree names; unset core.worktree (`git config --unset core.worktree`) to "
        f"read {shown}, or set it to that folder"
    )


def _configured_work_tree_gone(repo: git.Repo) -> Path | None:
    """The folder the repository's core.worktree names, when it is not there (git then
    refuses every command); None otherwise. Read from the repository's config file
    alone, without includes, as git reads it."""
    import configparser

    import git

    config = os.path.join(repo.git_dir, "config")
    try:
        reader = git.GitConfigParser(config, read_only=True, merge_includes=False)
        value = str(reader.get_value("core", "worktree", ""))
    except (OSError, configparser.Error, ValueError):
        return None
    if not value:
        return None
    where = Path(os.path.normpath(Path(repo.git_dir).absolute() / value))
    try:
        return None if where.exists() else where
    except (OSError, ValueError):
        return None


def _named_git_dir() -> Path | None:
    """The git folder GIT_DIR names, as git finds it: relative to the current folder,
    a `.git` file ("gitdir: <path>", a linked work tree's or a submodule's) followed;
    None when GIT_DIR is not set."""
    named = os.environ.get("GIT_DIR")
    if not named:
        return None
    folder = Path(named)
    try:
        return (_gitfile_target(folder) or folder).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop, a NUL byte: git says what next
        return folder.absolute()


def _submodule_of(found: Path, named: Path) -> bool:
    """Whether the git folder ``found`` is that of a submodule of the repository whose
    git folder is ``named``: kept inside it (`.git/modules/<name>`), or inside the
    folder it shares with its other work trees (a linked work tree's `commondir`)."""
    common = named
    try:
        text = (named / "commondir").read_text("utf-8", "replace").strip()
    except (OSError, ValueError):
        text = ""
    if text:
        common = Path(os.path.normpath(named / text))
    return any(found.is_relative_to(folder) for folder in {named, common})


def _check_git_dir(repo: git.Repo, path: Path) -> None:
    """Refuse (closing ``repo``, the repository holding ``path``) when GIT_DIR names
    another repository: git run in ``path`` reads the one GIT_DIR names (its index,
    its history), so judging ``repo`` would pass or fail other content than git
    commits. GIT_DIR naming ``repo`` itself is what git sets for a hook in a linked
    work tree, and is fine; so is a ``repo`` that is a submodule of the one GIT_DIR
    names (that hook validating records kept in a submodule), which git too reads as
    a repository of its own, with its own index (see :func:`_index_of_another`)."""
    named = _named_git_dir()
    if named is None:
        return
    found = Path(repo.git_dir).resolve()
    if named == found or _submodule_of(found, named):
        return
    repo.close()
    shown = printable(os.environ.get("GIT_DIR", ""))
    if not (named / "HEAD").exists():
        raise GitDirMismatch(
            f"GIT_DIR ({shown}) names no git repository, and git run there would use no "
            "other; unset GIT_DIR, or set it to the repository's git folder"
        )
    top = repo.working_tree_dir or found
    raise GitDirMismatch(
        f"GIT_DIR names the git repository at {printable(str(named))}, but "
        f"{printable(str(path))} is in the one at {printable(str(found))}, and git run "
        f"there reads the one GIT_DIR names; unset GIT_DIR to read {printable(str(top))}, "
        "or give a folder of the work tree of the repository GIT_DIR names"
    )


def _check_work_tree(repo: git.Repo, path: Path) -> None:
    """Refuse (closing ``repo``, the repository holding ``path``) when GIT_WORK_TREE
    names another folder than its work tree: git reads the files GIT_WORK_TREE names
    (`git status` compares them with the index), so judging the files below ``path``
    would pass or fail other content than git sees. A GIT_WORK_TREE naming the work
    tree itself is read as usual, passed on whole: git takes a relative one from the
    current folder, and the commands here run at the top of the work tree."""
    named = os.environ.get("GIT_WORK_TREE")
    if not named:
        return
    try:
        where = Path(named).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop, a NUL byte
        where = Path(os.path.abspath(named))
    top = Path(repo.working_tree_dir).resolve() if repo.working_tree_dir else None
    if where == top:
        repo.git.update_environment(GIT_WORK_TREE=os.fspath(where))
        return
    repo.close()
    shown = printable(str(top or repo.git_dir))
    raise GitDirMismatch(
        f"GIT_WORK_TREE names {printable(str(where))} as the work tree, but "
        f"{printable(str(path))} is in the work tree at {shown}, and git run there reads "
        f"the files GIT_WORK_TREE names; unset GIT_WORK_TREE to read {shown}, or set it "
        "to that folder"
    )


def _index_of_another(repo: git.Repo) -> bool:
    """Whether GIT_INDEX_FILE is the index of another repository than ``repo``.

    git sets it for a hook, for the repository the hook runs in: the one GIT_DIR
    names (:func:`_check_git_dir` made sure ``repo`` is that one or one of its
    submodules) or else the one holding the current folder. A governance root in
    another repository (a submodule's records, validated from the superproject's hook)
    has an index of its own, which git too reads there (it drops GIT_INDEX_FILE when it
    enters a submodule). A current folder in no repository leaves the variable to
    ``repo``: set by hand, it is meant for it.
    """
    if not os.environ.get("GIT_INDEX_FILE"):
        return False
    opened = Path(repo.git_dir).resolve()
    named = _named_git_dir()
    if named is not None:
        return named != opened
    import git

    try:
        here = git.Repo(os.getcwd(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, OSError, ValueError):
        return False
    with here:
        return Path(here.git_dir).resolve() != opened


def _named_by_environment(path: Path) -> git.Repo:
    """The repository GIT_DIR names, for a ``path`` with no `.git` above it: a git
    folder kept apart from its work tree (`git --git-dir=... --work-tree=...` in the
    environment, as a bare repository with a work tree elsewhere is used), which git
    itself uses there. Its work tree is GIT_WORK_TREE or the repository's
    core.worktree; with neither, git takes the current folder for the top of the work
    tree, whatever it is, so aimsctl refuses to guess."""
    import configparser

    import git

    named = os.environ.get("GIT_DIR", "")
    try:
        repo = git.Repo()  # GIT_DIR, GIT_WORK_TREE and core.worktree, as git reads them
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(
            f"{path} is not inside a git repository, and GIT_DIR ({named}) names no git "
            "repository; unset GIT_DIR, or set it to the repository's git folder"
        ) from None
    try:
        placed = "GIT_WORK_TREE" in os.environ or repo.config_reader("repository").has_option(
            "core", "worktree"
        )
    except (OSError, configparser.Error):  # a config that cannot be read: git says so next
        placed = True
    if not placed:
        repo.close()
        raise GitError(
            f"{path} has no .git folder above it, and GIT_DIR ({named}) names a repository "
            "without saying where its work tree is; set GIT_WORK_TREE to the top of the "
            "work tree too (or core.worktree in that repository)"
        )
    work_tree = os.environ.get("GIT_WORK_TREE")
    if work_tree:
        _set_work_tree(repo, Path(work_tree).absolute())
    return repo


def _set_work_tree(repo: git.Repo, top: Path) -> None:
    """Make ``top`` the work tree of ``repo``, as GIT_WORK_TREE makes it for git.

    git lets GIT_WORK_TREE override core.bare (a bare repository used with a work tree
    elsewhere, as dotfiles are kept); GitPython drops the work tree of a repository
    whose core.bare is true. A relative GIT_WORK_TREE (git gives a hook ".") is taken
    from the current folder, as git takes it, so the commands run here get it whole.
    """
    repo._working_tree_dir = os.fspath(top)
    repo._bare = False
    repo.working_dir = os.fspath(top)
    repo.git = repo.GitCommandWrapperType(repo.working_dir)
    repo.git.update_environment(GIT_DIR=os.fspath(repo.git_dir), GIT_WORK_TREE=os.fspath(top))


def _unusable(git_dir: Path) -> GitError:
    gone = _linked_folder_gone(git_dir)
    if gone is not None:
        top = git_dir.parent
        return GitError(
            f"{printable(str(git_dir))} names the git folder {printable(str(gone))}, which is "
            "not there: this is a linked work tree (`git worktree add`) or a submodule whose "
            "repository was moved or removed; if the main repository moved, run `git "
            f"worktree repair {printable(shlex.quote(str(top)))}` in it; if the work tree "
            "was pruned, add it again with `git worktree add`"
        )
    return GitError(
        f"{git_dir} is not a usable git repository: it is damaged or incomplete "
        "(for example an empty or invalid .git/HEAD file)" + _FSCK_HINT
    )


def _gitfile_target(dot_git: Path) -> Path | None:
    """The folder a `.git` file ("gitdir: <path>", a linked work tree's or a
    submodule's) names, relative to the file as git takes it; None when ``dot_git`` is
    no such file."""
    try:
        if not dot_git.is_file():
            return None
        text = dot_git.read_text("utf-8", "replace").strip()
    except (OSError, ValueError):
        return None
    if not text.startswith("gitdir:"):
        return None
    return Path(os.path.normpath(dot_git.parent / text.removeprefix("gitdir:").strip()))


def _linked_folder_gone(dot_git: Path) -> Path | None:
    """The folder a `.git` file names, when it is not there; None otherwise (what else
    is wrong with it, git's other checks say)."""
    target = _gitfile_target(dot_git)
    try:
        return None if target is None or target.exists() else target
    except (OSError, ValueError):
        return None


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


def _git(repo: git.Repo, *args: str) -> str:
    """Run one git command in the top folder of the work tree; its raw stdout.

    The command runs with :data:`SAFE_GIT_ARGS` and the environment of
    :func:`_harden`.
    """
    output: str = _execute(repo, args, None)
    return output


def _git_objects(repo: git.Repo, *args: str) -> str:
    """As :func:`_git`, also seeing the objects of the submodules whose files were
    listed (:func:`_submodule_files`): for commands that read objects by id only."""
    output: str = _execute(repo, args, None, _alternates(repo))
    return output


def _git_bytes(repo: git.Repo, args: tuple[str, ...], stdin: bytes) -> bytes:
    """As :func:`_git_objects`, with ``stdin`` as the command's input and its output as
    bytes.

    The input goes through an unnamed temporary file, not a pipe: git may fill its
    output pipe before it has read all of its input, and nothing would empty it."""
    with tempfile.TemporaryFile() as feed:
        feed.write(stdin)
        feed.seek(0)
        output: bytes = _execute(repo, args, feed, _alternates(repo))
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
        raise _GitMissing(_GIT_MISSING) from None
    except git.GitCommandError as error:
        raw = str(error.stderr or "")
        if "dubious ownership" in raw:
            raise _not_owned(repo, raw) from None
        detail = raw.strip().removeprefix("stderr:").strip(" '\n")
        detail = "; ".join(line.strip() for line in detail.splitlines() if line.strip())
        damaged = any(word in detail.lower() for word in _DAMAGE)
        # `config` is how _partial asks: it must not ask again about its own failure.
        if damaged and args[0] != "config" and _partial(repo):
            raise _damaged(repo, detail) from None
        hint = _FSCK_HINT if damaged else ""
        raise GitError(f"git {args[0]} failed: {detail or 'no details given'}{hint}") from None


def _split_z(output: str) -> list[str]:
    """The entries of NUL-separated git output (``-z``), which needs no unquoting."""
    return [entry for entry in output.split("\0") if entry]


def _has_commits(repo: git.Repo) -> bool:
    """Whether HEAD names a commit; raises GitError for a damaged HEAD."""
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except _GitMissing:
        raise
    except GitError:
        _check_unborn_head(repo)
        return False
    return True


def _check_unborn_head(repo: git.Repo) -> None:
    """Raise GitError unless HEAD is a branch yet to get its first commit.

    A HEAD file cut short (``ref: refs/heads/ma``) still looks like a branch to
    git, one with no commits; it is told apart from a new branch by naming
    something that is not a branch, or the start of an existing branch's name.
    """
    head = Path(repo.git_dir) / "HEAD"
    try:
        target = _git(repo, "symbolic-ref", "-q", "HEAD").strip()
    except _GitMissing:
        raise
    except GitError:
        raise GitError(
            f"{head} names no commit that exists: the repository is damaged or "
            f"incomplete{_FSCK_HINT}"
        ) from None
    refs = _git(repo, "for-each-ref", "--format=%(refname)").split()
    longer = sorted(ref for ref in refs if ref.startswith(target) and ref != target)
    if target.startswith("refs/heads/") and not longer:
        return
    repair = longer[0] if longer else "refs/heads/main"
    if target.startswith("refs/heads/"):
        what = f"names the branch {target!r}, which does not exist, while {repair!r} does"
    else:
        what = f"names {target!r}, which is not a branch"
    raise GitError(
        f"{head} {what}: the file looks damaged or cut short. Repair it with "
        f"`git symbolic-ref HEAD {shlex.quote(repair)}` (naming the branch to check "
        "out); if you meant to start a new branch of that name, commit to it first"
    )


def resolve(repo: git.Repo, rev: str) -> str:
    """The full commit sha that ``rev`` names (a sha, branch, tag, ``HEAD~2``...).

    Raises GitError for an unknown revision and for a repository with no commits.
    """
    try:
        # --end-of-options: a revision that starts with "-" is never read as an option.
        output = _git(
            repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
        )
    except _GitMissing:
        raise
    except GitError:
        where = repo.working_tree_dir or repo.git_dir
        if not _has_commits(repo):
            raise GitError(
                f"the git repository at {where} has no commits yet, so there is no revision "
                f"{rev!r} to compare with; commit the records once first"
            ) from None
        other = _other_object(repo, rev)
        if other is not None:
            raise GitError(
                f"revision {rev!r} names {other} in the git repository at {where}, not a "
                "commit; give a commit, branch or tag (a folder of the repository is "
                "given as the repository path)"
            ) from None
        shallow = _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
        hint = _SHALLOW_HINT if shallow else ""
        past = _past_the_first_commit(repo, rev)
        if past is not None:
            raise GitError(f"unknown revision {rev!r}: {past}{hint}") from None
        raise GitError(
            f"unknown revision {rev!r}: no commit, branch or tag of that name in the git "
            f"repository at {where}{hint}"
        ) from None
    return output.strip()


_BACK = re.compile(r"(.+?)~([0-9]*)")


def _past_the_first_commit(repo: git.Repo, rev: str) -> str | None:
    """Why ``rev`` (``HEAD~5``) names no commit when it counts back from a commit that
    exists further than that commit's history goes; None for anything else."""
    found = _BACK.fullmatch(rev)
    if found is None:
        return None
    base, steps = found.group(1), int(found.group(2) or "1")
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
        count = _git(repo, "rev-list", "--count", "--first-parent", "--end-of-options", base)
        before = int(count.strip()) - 1
    except (GitError, ValueError):
        return None
    if before >= steps:
        return None
    return (
        f"{base} has {before} commit{'' if before == 1 else 's'} before it, so there is no "
        f"commit {steps} back"
    )


_OBJECT_WORDS = {"tree": "a folder (a git tree)", "blob": "a file (a git blob)"}


def _other_object(repo: git.Repo, rev: str) -> str | None:
    """What ``rev`` names when it is a git object but no commit (``HEAD:risks``, a
    folder; ``HEAD:aims.yaml``, a file), in words; None for anything else."""
    try:
        sha = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", rev).strip()
        kind = _git(repo, "cat-file", "-t", sha).strip()
    except _GitMissing:
        raise
    except GitError:
        return None
    return _OBJECT_WORDS.get(kind)


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


def _below(paths: Iterable[str], prefix: str) -> set[str]:
    """The paths below the governance root, made relative to it."""
    if not prefix:
        return set(paths)
    start = prefix + "/"
    return {path[len(start) :] for path in paths if path.startswith(start)}


def _pathspec(prefix: str) -> list[str]:
    """Arguments that limit a command to the governance root, taken literally."""
    return ["--", f":(literal){prefix}"] if prefix else []


# --- a commit against the working tree ------------------------------------------------

_SYMLINK = "120000"
_REGULAR_MODES = frozenset({"100644", "100755"})
_CONVERT_MAX = 32 * 1024 * 1024  # larger files are not tried with line endings converted
_CHUNK = 1024 * 1024


def _tree_entries(
    repo: git.Repo, sha: str, prefix: str, warn: bool = False, strict: bool = True
) -> dict[str, tuple[str, str]]:
    """Every file, symbolic link and submodule below the governance root at commit
    ``sha``: (mode, object id) by path relative to the root, and the files of each
    submodule at the commit it is pinned at (:func:`_submodule_files`, which ``warn``
    and ``strict`` pass on). Reads no blob."""
    output = _git(repo, "ls-tree", "-r", "-z", "--full-tree", sha, *_pathspec(prefix))
    start = len(prefix) + 1 if prefix else 0
    entries: dict[str, tuple[str, str]] = {}
    for line in _split_z(output):
        meta, _tab, path = line.partition("\t")
        mode, _kind, oid = meta.split(" ")
        if not prefix or path.startswith(prefix + "/"):
            entries[path[start:]] = (mode, oid)
    return _submodule_files(repo, entries, prefix, warn, strict)


# --- submodules -----------------------------------------------------------------------

_GITLINK = "160000"  # the mode of a submodule in a tree: a commit of another repository
_MAX_NESTING = 8  # submodules of submodules followed, at most
# Submodules read for one tree, nested ones counted: a commit may pin a commit whose
# tree pins many submodules in turn, each read again at every level (ten to a level,
# eight levels deep, are a hundred million), so a tree with more is refused.
_MAX_SUBMODULES = 1000
# The object folders of the submodules whose files a repository's trees listed: blobs
# and trees are read from them by id (GIT_ALTERNATE_OBJECT_DIRECTORIES), never a
# revision, which stays the superproject's.
_STORES: weakref.WeakKeyDictionary[git.Repo, set[str]] = weakref.WeakKeyDictionary()
# The submodules not checked out that were named on standard error, by work tree.
_WARNED: set[tuple[str, str]] = set()


class _NotPinned(GitError):
    """A submodule's repository lacks the commit a tree pins it at."""


def _alternates(repo: git.Repo) -> dict[str, str] | None:
    """The environment that lets git read the objects of ``repo``'s submodules."""
    stores = _STORES.get(repo)
    if not stores:
        return None
    given = os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES", "")
    quoted = [_quoted_store(store) for store in sorted(stores)]
    return {"GIT_ALTERNATE_OBJECT_DIRECTORIES": os.pathsep.join([*filter(None, [given]), *quoted])}


def _quoted_store(folder: str) -> str:
    """A folder as GIT_ALTERNATE_OBJECT_DIRECTORIES holds it (C-quoted when needed)."""
    if os.pathsep not in folder and not folder.startswith('"'):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _submodule_git_dir(checkout: Path, path: str, parent_git_dir: Path) -> Path | None:
    """The git folder of the submodule at ``path`` of the work tree ``checkout`` (whose
    own git folder is ``parent_git_dir``): the one its checkout names, else the one
    git keeps in ``modules/<name>`` for a submodule that is not checked out. None when
    there is neither (the submodule was never initialised)."""
    found: list[Path] = []
    dot_git = checkout / path / ".git"
    try:
        if dot_git.is_file():
            text = dot_git.read_text("utf-8", "replace").strip()
            found.append((dot_git.parent / text.removeprefix("gitdir:").strip()).resolve())
        elif dot_git.is_dir():
            found.append(dot_git)
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte in the path
        pass
    found.extend(parent_git_dir / "modules" / name for name in _submodule_names(checkout, path))
    return next((folder for folder in found if (folder / "objects").is_dir()), None)


def _submodule_names(checkout: Path, path: str) -> list[str]:
    """The names .gitmodules gives the submodule at ``path`` (the path itself first,
    git's default name)."""
    names = [path]
    modules = checkout / ".gitmodules"
    try:
        # A regular file only, as git reads it: a named pipe would be waited on for
        # ever, a link to /dev/zero read without end.
        if not stat.S_ISREG(modules.lstat().st_mode):
            return names
        text = modules.read_text("utf-8", "replace")
    except OSError:
        return names
    name = None
    for line in text.splitlines():
        header = re.match(r'\s*\[\s*submodule\s+"((?:[^"\\]|\\.)*)"\s*\]', line)
        if header:
            name = re.sub(r"\\(.)", r"\1", header.group(1))
            continue
        # The value is stripped after the match: `\s*=\s*(.*?)\s*$` took a time
        # quadratic in a run of blanks inside it (a line of 300 KB, minutes).
        value = re.match(r"\s*path\s*=(.*)", line, flags=re.I)
        if value and name is not None and value.group(1).strip().strip('"').rstrip("/") == path:
            names.append(name)
    return names


def _gitmodules_paths(top: Path, prefix: str) -> tuple[str, ...]:
    """The paths (from the top of the work tree) that the work tree's .gitmodules
    gives submodules below the governance root: where history looks for gitlinks.
    Reads one file and runs no git: none without a .gitmodules."""
    modules = top / ".gitmodules"
    try:
        if not stat.S_ISREG(modules.lstat().st_mode):  # as in _submodule_names
            return ()
        text = modules.read_text("utf-8", "replace")
    except OSError:
        return ()
    return _paths_named(text.splitlines(), prefix)


def unchecked_submodules(top: Path, prefix: str) -> tuple[str, ...]:
    """The submodules below the governance root (``prefix`` below the work tree's top
    ``top``) that the working tree does not hold, by path relative to the root: named in
    a .gitmodules (the work tree's, and those of the submodules checked out, nested),
    with nothing at their path or an empty folder (as `git clone` without
    `--recurse-submodules` or `git submodule deinit` leaves it). Validation reads the
    files on disk, so their records are not read. Hidden paths are left out (their
    files are never records). Runs no git."""
    found: list[str] = []
    # (the top of a work tree, the governance root below it, its path below the root)
    pending: list[tuple[Path, str, str, int]] = [(top, prefix, "", 0)]
    looked = 0
    while pending and looked <= _MAX_SUBMODULES:
        checkout, below, at, depth = pending.pop()
        for path in _gitmodules_paths(checkout, below):
            looked += 1
            inner = path[len(below) + 1 :] if below else path
            rel = f"{at}/{inner}" if at else inner
            if any(part in ("", ".", "..") or part.startswith(".") for part in rel.split("/")):
                continue
            folder = checkout / path
            try:
                if os.path.lexists(folder / ".git"):  # checked out: its own submodules next
                    if depth < _MAX_NESTING:
                        pending.append((folder, "", rel, depth + 1))
                    continue
                if os.path.lexists(folder):
                    if not stat.S_ISDIR(folder.lstat().st_mode):
                        continue
                    with os.scandir(folder) as listing:
                        if next(listing, None) is not None:  # files of a folder, read as such
                            continue
            except (OSError, ValueError):
                continue
            found.append(rel)
    return tuple(sorted(found))


def _paths_named(lines: Iterable[str], prefix: str, named: bool = False) -> tuple[str, ...]:
    """The submodule paths below the governance root that lines of a .gitmodules give
    (``named``: the lines are already known to be in a submodule's section)."""
    found: set[str] = set()
    for line in lines:
        if re.match(r"\s*\[", line):
            named = re.match(r'\s*\[\s*submodule\s+"', line) is not None
            continue
        value = re.match(r"\s*path\s*=(.*)", line, flags=re.I)
        path = value.group(1).strip().strip('"').rstrip("/") if value and named else ""
        if path and "\0" not in path and (not prefix or path.startswith(prefix + "/")):
            found.add(path)
    return tuple(sorted(found))


def _submodule_files(
    repo: git.Repo,
    entries: dict[str, tuple[str, str]],
    prefix: str,
    warn: bool = False,
    strict: bool = True,
    missing: list[str] | None = None,
) -> dict[str, tuple[str, str]]:
    """``entries`` (by path below the governance root) with the files of every
    submodule among them added, as they are at the commit it is pinned at, read from
    the submodule's own objects: the files a checkout holds, which validate reads.

    A submodule never initialised (no git folder of its own, so nothing is checked
    out) is left out, as its folder is empty on disk; with ``warn``, it is named on
    standard error (once per run: the commands that read revisions say it, not
    validate, whose cached answer could not). One
    whose repository lacks the pinned commit (not updated since the superproject
    moved it) raises GitError: its records at that commit cannot be told; not
    ``strict``, it is left out too (the dates history gives: its files then count as
    not committed, as they did before submodules were read). ``missing`` collects the
    paths of those never initialised.
    """
    if not any(mode == _GITLINK for mode, _oid in entries.values()):
        return entries
    top = Path(repo.working_tree_dir or ".")
    expanded = dict(entries)
    checkout = top / prefix if prefix else top
    _add_submodules(repo, expanded, "", checkout, None, 0, warn, strict, [0], missing)
    return expanded


def _add_submodules(
    repo: git.Repo,
    entries: dict[str, tuple[str, str]],
    below: str,
    checkout: Path,
    git_dir: Path | None,
    depth: int,
    warn: bool,
    strict: bool,
    read: list[int],
    missing: list[str] | None = None,
) -> None:
    """Add to ``entries`` the files of the submodules listed there below ``below``
    (a path relative to the governance root, "" for all of it). ``checkout`` is the
    folder on disk those paths are in; ``git_dir`` the git folder of the submodule
    ``below`` is (None: the superproject). ``read`` counts the submodules read so far
    for the tree; past :data:`_MAX_SUBMODULES`, GitError."""
    gitlinks = sorted(
        (rel, oid)
        for rel, (mode, oid) in entries.items()
        if mode == _GITLINK and (not below or rel.startswith(below + "/"))
    )
    top = Path(repo.working_tree_dir or ".")
    parent_dir = git_dir if git_dir is not None else Path(repo.common_dir)
    for rel, commit in gitlinks:
        inner = rel[len(below) + 1 :] if below else rel
        where = (checkout / inner).relative_to(top).as_posix()  # from the superproject's top
        # .gitmodules and the path it names are those of the submodule's parent.
        work, own = (top, where) if git_dir is None else (checkout, inner)
        store = _submodule_git_dir(work, own, parent_dir)
        shown = printable(where)  # a name may hold a line break or a terminal escape
        if store is None:
            if missing is not None:
                missing.append(rel)
            if warn and (str(top), where) not in _WARNED:
                _WARNED.add((str(top), where))
                print(
                    f"aimsctl: warning: the submodule at {shown} is not checked out, so its "
                    "files are not read at any revision (`git submodule update --init` "
                    "checks it out)",
                    file=sys.stderr,
                )
            continue
        read[0] += 1
        if read[0] > _MAX_SUBMODULES:
            raise GitError(
                f"more than {_MAX_SUBMODULES} submodules below the governance root, nested "
                f"ones counted (the last at {shown}): aimsctl reads at most "
                f"{_MAX_SUBMODULES}, so their records at that revision are not read"
            )
        _STORES.setdefault(repo, set()).add(str((store / "objects").resolve()))
        try:
            output = _git_objects(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
        except GitError:
            if not strict:
                continue
            raise _NotPinned(
                f"the submodule at {shown} is pinned at commit {commit[:12]}, which its "
                f"repository ({printable(str(store))}) does not hold: run "
                "`git submodule update --init` and try again (for a commit older than "
                "the one checked out, fetch the submodule's history too: "
                f"`git -C {shown} fetch --unshallow`)"
            ) from None
        for line in _split_z(output):
            meta, _tab, path = line.partition("\t")
            mode, _kind, oid = meta.split(" ")
            entries[f"{rel}/{path}"] = (mode, oid)
        if depth < _MAX_NESTING:
            _add_submodules(
                repo, entries, rel, checkout / inner, store, depth + 1, warn, strict, read, missing
            )
            continue
        deeper = next(
            (
                path
                for path in sorted(entries)
                if path.startswith(f"{rel}/") and entries[path][0] == _GITLINK
            ),
            None,
        )
        if warn and deeper is not None and (str(top), deeper) not in _WARNED:
            _WARNED.add((str(top), deeper))
            shown = printable((checkout / inner).relative_to(top).as_posix() + deeper[len(rel) :])
            print(
                f"aimsctl: warning: the submodule at {shown} lies within more than "
                f"{_MAX_NESTING} other submodules, so its files (and those of any submodule "
                "nested that deep) are not read at any revision",
                file=sys.stderr,
            )


def _listed(repo: git.Repo, prefix: str) -> set[str]:
    """Paths below the governance root in the index or untracked and not ignored.

    `git ls-files` reads the index and the folders but no file's content, so no
    filter runs; fsmonitor is off (SAFE_GIT_ARGS).
    """
    output = _git(
        repo,
        "ls-files",
        "--cached",
        "--others",
        "--exclude-standard",
        "--full-name",
        "-z",
        *_pathspec(prefix),
    )
    return {path for path in _below(_split_z(output), prefix) if not path.endswith("/")}


def _blob_id(data: bytes, algorithm: str, kind: bytes = b"blob") -> str:
    """The object id git gives a blob (or other ``kind``) of ``data``: sha1 (or
    sha256) of header and data."""
    digest = hashlib.new(algorithm, usedforsecurity=False)
    digest.update(b"%s %d\0" % (kind, len(data)))
    digest.update(data)
    return digest.hexdigest()


class _WorkTree:
    """The files of the work tree, compared with a commit's blobs by content.

    git is not asked to compare (`git diff <commit>` would run the clean filter a
    committed .gitattributes names for a file, and the fsmonitor hook): each file is
    hashed here the way git hashes a blob and the id compared with the commit's.
    Two conversions git makes on the way in are followed, so that an unchanged file
    does not count as changed: line endings checked out as CRLF (core.autocrlf), and
    Git LFS files, whose blob is a pointer holding the content's sha256. For any other
    conversion (``ident``, a ``filter=`` driver, ``working-tree-encoding``) the caller
    asks git's index (:func:`_unchanged_in_index`). The executable bit is not compared.

    ``known`` holds the bytes of files the run has read already (the records, by
    path): such a file, still a regular file of that size, is hashed from them, not
    read again, so the answer is about the very bytes that were validated.
    """

    def __init__(self, repo: git.Repo, root: Path, known: Mapping[str, bytes] | None) -> None:
        self.repo = repo
        self.root = root
        self._top = os.fspath(root)  # joined as text: a Path per file costs more than its lstat
        self._known = known if known is not None else {}
        self._folders: dict[str, bool] = {}

    def _reachable(self, rel: str) -> bool:
        """Whether every folder above ``rel`` is a real folder (not a symbolic link)."""
        folder = rel.rpartition("/")[0]
        if not folder:
            return True
        if folder not in self._folders:
            try:
                info = os.lstat(self.root / folder)
            except (OSError, ValueError):
                self._folders[folder] = False
            else:
                self._folders[folder] = stat.S_ISDIR(info.st_mode) and self._reachable(folder)
        return self._folders[folder]

    def present(self, rel: str) -> bool:
        """Whether ``rel`` is a file or a symbolic link on disk, as git would see it."""
        if not self._reachable(rel):
            return False
        try:
            mode = os.lstat(self.root / rel).st_mode
        except (OSError, ValueError):
            return False
        return stat.S_ISREG(mode) or stat.S_ISLNK(mode)

    def same(self, rel: str, mode: str, oid: str) -> bool:
        """Whether the file on disk is the blob ``oid`` of ``mode``."""
        algorithm = "sha1" if len(oid) == 40 else "sha256"
        path = os.path.join(self._top, rel)
        if not self._reachable(rel):
            return False
        try:
            info = os.lstat(path)
            if mode == _SYMLINK:
                return stat.S_ISLNK(info.st_mode) and (
                    _blob_id(os.readlink(os.fsencode(path)), algorithm) == oid
                )
            if not stat.S_ISREG(info.st_mode):
                return False
            raw = self._known.get(rel)
            if raw is not None and len(raw) == info.st_size:
                blob = _blob_id(raw, algorithm)
            else:
                blob = self._hash(path, info.st_size, algorithm)
            if blob == oid:
                return True
            return self._converted(Path(path), info.st_size, oid, algorithm)
        except (OSError, ValueError):
            return False

    @staticmethod
    def _hash(path: str, size: int, algorithm: str) -> str:
        digest = hashlib.new(algorithm, usedforsecurity=False)
        digest.update(b"blob %d\0" % size)
        read = 0
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                read += len(chunk)
        return digest.hexdigest() if read == size else ""

    def _converted(self, path: Path, size: int, oid: str, algorithm: str) -> bool:
        """Whether the file is the blob after git's CRLF or Git LFS conversion."""
        pointer: bytes | None = None
        if _STORES.get(self.repo):  # a submodule's blob is not in the superproject's objects
            pointer = _cat_blobs(self.repo, [oid])[oid]
            blob_size = len(pointer)
            pointer = pointer if blob_size <= LFS_POINTER_MAX else None
        else:
            with _reading_objects(self.repo):
                blob_size = self.repo.odb.info(bytes.fromhex(oid)).size
                if blob_size <= LFS_POINTER_MAX:
                    pointer = self.repo.odb.stream(bytes.fromhex(oid)).read()
        found = LFS_POINTER.match(pointer) if pointer is not None else None
        if found is not None:
            if int(found.group(2)) != size:
                return False
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
            return digest.hexdigest() == found.group(1).decode("ascii")
        if size > _CONVERT_MAX or size <= blob_size:
            return False
        data = path.read_bytes()
        return b"\r\n" in data and _blob_id(data.replace(b"\r\n", b"\n"), algorithm) == oid


# One entry of `git ls-files --stage --debug -z`: mode, id, stage and path, then the
# file's stat data as git recorded it when it last read the file.
_INDEX_ENTRY = re.compile(
    r"\d+ ([0-9a-f]+) (\d)\t([^\0]*)\0"
    r"  ctime: (\d+):(\d+)\n  mtime: (\d+):(\d+)\n  dev: \d+\tino: (\d+)\n"
    r"  uid: (\d+)\tgid: (\d+)\n  size: (\d+)\tflags: [0-9a-f]+\n"
)
_INDEX_LITERAL_MAX = 200  # more paths than this: the governance root's entries are listed
_U32 = 0xFFFFFFFF  # the index keeps times, inode and size in 32 bits


def _unchanged_in_index(
    repo: git.Repo, prefix: str, root: Path, suspects: Mapping[str, str]
) -> set[str]:
    """Which of the files ``suspects`` (path below the governance root: the commit's
    blob id), whose bytes hash to another blob, git itself holds unchanged: its index
    has that blob for the path, and the file's stat data as git recorded it when it
    last read the file (through its conversions: `ident`, a `filter=` driver,
    `working-tree-encoding`, line endings). That is how `git status` knows, without
    running any filter. A file as new as the index (racily clean: it may have changed
    within the same tick) is not vouched for, nor is one whose stat data git has not
    recorded, so an edit is never missed; at worst a file git would read again counts
    as changed. Asked only when some file's bytes differ, so a clean tree pays nothing.
    """
    if not suspects:
        return set()
    index = Path(_git(repo, "rev-parse", "--git-path", "index").strip())
    try:
        # Before the entries are read: an index written meanwhile only makes more racy.
        written = os.stat(Path(repo.working_tree_dir or ".") / index).st_mtime_ns
    except OSError:
        return set()
    folder = f"{prefix}/" if prefix else ""
    if len(suspects) <= _INDEX_LITERAL_MAX:
        paths = ["--", *(f":(literal){folder}{rel}" for rel in sorted(suspects))]
    else:
        paths = _pathspec(prefix)
    output = _git(repo, "ls-files", "--stage", "--debug", "-z", "--full-name", *paths)
    unchanged: set[str] = set()
    for found in _INDEX_ENTRY.finditer(output):
        oid, stage, path = found.group(1, 2, 3)
        rel = path[len(folder) :]
        if stage != "0" or not path.startswith(folder) or suspects.get(rel) != oid:
            continue
        ctime_s, ctime_ns, mtime_s, mtime_ns, ino, uid, gid, size = map(int, found.groups()[3:])
        # Racily clean: git would read it again (one keeping no nanoseconds, 0,
        # compares seconds only).
        recorded = mtime_s * 1_000_000_000 + mtime_ns
        if recorded >= (written if mtime_ns else written - written % 1_000_000_000):
            continue
        try:
            info = os.lstat(os.path.join(root, rel))
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(info.st_mode) and _same_stat(
            info, (ctime_s, ctime_ns, mtime_s, mtime_ns, ino, uid, gid, size)
        ):
            unchanged.add(rel)
    return unchanged


def _same_stat(info: os.stat_result, recorded: tuple[int, ...]) -> bool:
    """Whether ``info`` is the stat data the index ``recorded`` (ctime and mtime in
    seconds and nanoseconds, inode, uid, gid, size), compared as git compares them.
    A value git leaves at zero where the system has none (the inode, owner and
    nanoseconds on Windows) is not compared."""
    ctime_s, ctime_ns, mtime_s, mtime_ns, ino, uid, gid, size = recorded
    if mtime_s == 0 or (info.st_size & _U32) != size:
        return False
    for seconds, nanos, actual in (
        (mtime_s, mtime_ns, info.st_mtime_ns),
        (ctime_s, ctime_ns, info.st_ctime_ns),
    ):
        if (actual // 1_000_000_000) & _U32 != seconds:
            return False
        if nanos and actual % 1_000_000_000 != nanos:
            return False
    return all(
        not kept or (actual & _U32) == kept
        for kept, actual in ((ino, info.st_ino), (uid, info.st_uid), (gid, info.st_gid))
    )


def _changed(
    repo: git.Repo,
    prefix: str,
    entries: dict[str, tuple[str, str]] | None,
    known: Mapping[str, bytes] | None = None,
) -> set[str]:
    """Paths below the governance root that differ between a commit (its
    ``entries``; None before the first commit) and the working tree (``known``: see
    :class:`_WorkTree`).

    A file the run read (in ``known``) and the commit lacks is new even where git
    ignores it: the run judged its records, so what they say is not in the commit.
    """
    disk = _work_tree(repo, prefix, known)
    committed = entries or {}
    changed = _differing(repo, prefix, disk, committed)
    new = _listed(repo, prefix).union(known or ()) - set(committed)
    changed.update(rel for rel in new if disk.present(rel))
    return changed


def _work_tree(repo: git.Repo, prefix: str, known: Mapping[str, bytes] | None) -> _WorkTree:
    top = Path(repo.working_tree_dir or ".")
    return _WorkTree(repo, top / prefix if prefix else top, known)


def _differing(
    repo: git.Repo, prefix: str, disk: _WorkTree, committed: Mapping[str, tuple[str, str]]
) -> set[str]:
    """Which of the commit's files ``committed`` (path below the governance root: mode
    and object id) are not on disk as the commit holds them: edited (staged or not),
    deleted, or another type."""
    changed = {
        rel
        for rel, (mode, oid) in committed.items()
        if mode != "160000" and not disk.same(rel, mode, oid)  # submodules are not files
    }
    if changed:  # edits, or files git converted on checkout: git's index tells which
        regular = {rel: committed[rel][1] for rel in changed if committed[rel][0] in _REGULAR_MODES}
        changed -= _unchanged_in_index(repo, prefix, disk.root, regular)
    return changed


@dataclass(frozen=True, slots=True)
class ChangesSince:
    """A commit's files below the governance root, and how the working tree differs.

    ``files`` holds the content of the regular files whose names end with the
    suffixes asked for; ``paths`` names every file, symbolic link and submodule
    there (so that a path can be checked for existence without reading it);
    ``changed`` the paths that differ between the commit and the working tree;
    ``links`` the target of every symbolic link of the commit, by path.
    """

    sha: str
    files: dict[str, bytes]
    paths: frozenset[str]
    changed: frozenset[str]
    links: Mapping[str, str]


def changes_since(
    root: Path,
    rev: str,
    suffixes: tuple[str, ...] | None,
    known: Mapping[str, bytes] | None = None,
) -> ChangesSince:
    """The files below ``root`` at ``rev`` and the paths changed since, in one go.

    ``changed`` is :func:`changed_paths`; ``files`` what :func:`read_tree` reads;
    ``known``, the bytes of files the run has read (see :class:`_WorkTree`).
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        sha = resolve(repo, rev)
        entries = _tree_entries(repo, sha, prefix)
        links: dict[str, str] = {}
        files = _read_blobs(repo, entries, suffixes, links=links)
        changed = _changed(repo, prefix, entries, known)
        return ChangesSince(sha, files, frozenset(entries), frozenset(changed), links)


def changed_paths(root: Path, rev: str) -> set[str]:
    """Paths below ``root`` that differ between ``rev`` and the work tree.

    Counts edited (staged or not), deleted and untracked (not ignored) files, and
    both the old and the new path of a rename. Paths are relative to ``root``.
    Content decides, not git's index: see :class:`_WorkTree`.
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        return _changed(repo, prefix, _tree_entries(repo, resolve(repo, rev), prefix))


def head_state(
    root: Path, known: Mapping[str, bytes] | None = None, ignore: Iterable[str] = ()
) -> tuple[str | None, bool]:
    """HEAD's commit sha (None before the first commit) and whether ``root`` is dirty.

    Dirty means a file below ``root`` differs from HEAD: changed, deleted or
    untracked (ignored files do not count, unless the run read them). For report
    provenance. ``known``: the bytes of files the run has read (see :class:`_WorkTree`).
    ``ignore``: paths whose changes do not count (the files the run itself writes).
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        if not _has_commits(repo):
            return None, bool(_listed(repo, prefix).difference(ignore))
        sha = resolve(repo, "HEAD")
        changed = _changed(repo, prefix, _tree_entries(repo, sha, prefix), known)
        return sha, bool(changed.difference(ignore))


def checkout_encodings(root: Path, rels: Iterable[str]) -> dict[str, str]:
    """The encoding git writes each of the files ``rels`` (below ``root``) in when it
    checks them out (`working-tree-encoding` in .gitattributes), for those that have
    one other than UTF-8; git stores them as UTF-8. `git check-attr` reads attributes
    only: no program runs. Empty outside git, or where git cannot tell: this only
    words an error better."""
    wanted = sorted(set(rels))
    if not wanted or not _may_be_in_git(root):
        return {}
    try:
        with open_repo(root) as repo:
            folder = f"{_prefix(repo, root)}/".removeprefix("/")
            output = _git(
                repo,
                "check-attr",
                "-z",
                "working-tree-encoding",
                "--",
                *(folder + rel for rel in wanted),
            )
    except (GitError, GitDirMismatch, UntrustedRepository):  # an error is being worded
        return {}
    fields = output.split("\0")
    found: dict[str, str] = {}
    for path, _name, value in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
        if value not in ("unspecified", "unset", "set") and value.upper().replace("-", "") != (
            "UTF8"
        ):
            found[path.removeprefix(folder)] = value
    return found


@dataclass(frozen=True, slots=True)
class Kept:
    """What version control kept of a governance root on a day (:func:`committed_files`)."""

    files: frozenset[str]  # below the root, in the newest commit dated by the day
    later: bool = False  # a commit dated after the day was passed over
    shallow: bool = False  # a shallow clone: an older commit may not have been fetched
    # Of the files asked about that the commit holds, those the work tree holds otherwise.
    changed: frozenset[str] = frozenset()


def committed_files(
    root: Path,
    on: date,
    start: str = "HEAD",
    working: Iterable[str] = (),
    known: Mapping[str, bytes] | None = None,
) -> Kept | None:
    """The files below ``root`` (relative to it) that the newest commit of ``start``'s
    history dated on or before ``on`` holds: what was under version control that day.
    A commit's day is the committer's own, as record dates read it; a commit dated
    later kept nothing yet. None when ``root`` is in no git repository (learnt from
    the `.git` lookup, without importing GitPython); no files before the first commit
    or when every commit is dated later. Raises GitError when git cannot be used.

    Of the files ``working`` (of the work tree, read as ``known`` holds them: see
    :class:`_WorkTree`), those the commit holds otherwise are :attr:`Kept.changed`:
    the version in use is not the one kept."""
    if not _may_be_in_git(root):
        return None
    try:
        with open_repo(root) as repo:
            if start == "HEAD" and not _has_commits(repo):
                return Kept(frozenset())
            prefix = _prefix(repo, root)
            sha, later = _newest_by(repo, start, on)
            if sha is None:
                shallow = Path(repo.common_dir, "shallow").is_file()
                return Kept(frozenset(), later=later, shallow=shallow)
            # A submodule not checked out holds nothing here, as on disk.
            entries = _tree_entries(repo, sha, prefix, strict=False)
            asked = {rel: entries[rel] for rel in working if rel in entries}
            changed = _differing(repo, prefix, _work_tree(repo, prefix, known), asked)
            return Kept(frozenset(entries), later=later, changed=frozenset(changed))
    except NotInRepository:
        return None


# Commits `_newest_by` reads first: enough for the usual as-of date, today or a recent
# day, at the cost of a few milliseconds; an older day reads on from there.
_RECENT_COMMITS = 64
# A commit's own day may be this much ahead of UTC (git takes offsets to ±99:59): one
# dated up to here after midnight UTC ending the as-of date may still be of that day.
_MAX_OFFSET = 100 * 3600


def _newest_by(repo: git.Repo, start: str, on: date) -> tuple[str | None, bool]:
    """The first commit of ``start``'s history, in git's newest-first walk, whose
    committer's day is ``on`` or earlier (None: none is), and whether one dated later
    came before it. One `git log` of the newest commits, ids and dates only; a second,
    of those git can tell are not too new, only when ``on`` is older than all of them."""
    found, later, read = _first_by(_log_dates(repo, start, f"-n{_RECENT_COMMITS}"), on)
    if found is not None or read < _RECENT_COMMITS:
        return found, later
    # Midnight (UTC) after ``on``, plus the furthest a committer's day can run ahead.
    bound = (on - date(1970, 1, 1)).days * 86400 + 86400 + _MAX_OFFSET
    if bound <= 0:
        return None, True
    found, _later, _read = _first_by(_log_dates(repo, start, f"--min-age={bound}"), on)
    return found, True


def _log_dates(repo: git.Repo, start: str, limit: str) -> list[str]:
    """``sha date`` of the commits of ``start``'s history within ``limit``, newest first."""
    output = _git(
        repo,
        "log",
        "-z",
        "--no-color",
        "--no-show-signature",
        "--format=%H %cI",
        limit,
        start,
        "--",
    )
    return [entry.strip("\n") for entry in _split_z(output)]


def _first_by(entries: list[str], on: date) -> tuple[str | None, bool, int]:
    """The first of ``entries`` (``sha date``) whose committer's day is ``on`` or
    earlier, whether one before it was dated later, and how many there were."""
    for index, entry in enumerate(entries):
        sha, _space, stamp = entry.partition(" ")
        day = iso_date(stamp[:10])
        if day is not None and day <= on:
            return sha, index > 0, len(entries)
    return None, bool(entries), len(entries)


def _read_blobs(
    repo: git.Repo,
    entries: dict[str, tuple[str, str]],
    suffixes: tuple[str, ...] | None,
    blobs: dict[str, bytes] | None = None,
    links: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """The content of the regular files among ``entries`` (sorted by path), optionally
    only those whose names end with one of ``suffixes``. ``blobs`` holds contents by
    object id already read (and gets those read here). A symbolic link between data
    files (records, observations: :data:`_DATA_SUFFIXES`) inside the governance root
    is read as the file it leads to, as a checkout would be, through linked folders
    too; no other link is (a report template never is, as in the working tree).
    ``links`` gets the target of every symbolic link among ``entries``, by path."""
    blobs = {} if blobs is None else blobs
    wanted: dict[str, str] = {}
    data_links: list[str] = []
    for rel, (mode, oid) in sorted(entries.items()):
        if suffixes is not None and not _ends_with(rel, suffixes):
            continue
        if mode in _REGULAR_MODES:
            wanted[rel] = oid
        elif mode == _SYMLINK and _ends_with(rel, _DATA_SUFFIXES):
            data_links.append(rel)
    linked = {rel: oid for rel, (mode, oid) in entries.items() if mode == _SYMLINK}
    if linked and (data_links or links is not None):
        blobs.update(_cat_all(repo, set(linked.values()) - blobs.keys()))
        targets = {
            rel: blobs[oid].decode("utf-8", "surrogateescape") for rel, oid in linked.items()
        }
        if links is not None:
            links.update(targets)
        for rel in data_links:
            followed = follow_links(rel, targets)
            if (
                isinstance(followed, str)
                and _ends_with(followed, _DATA_SUFFIXES)
                and entries.get(followed, ("", ""))[0] in _REGULAR_MODES
            ):
                wanted[rel] = entries[followed][1]
    blobs.update(_cat_all(repo, {oid for oid in wanted.values() if oid not in blobs}))
    return {
        rel: _lfs_content(repo, blobs[oid]) if _ends_with(rel, _DATA_SUFFIXES) else blobs[oid]
        for rel, oid in sorted(wanted.items())
    }


def _ends_with(rel: str, suffixes: tuple[str, ...]) -> bool:
    """Whether ``rel``'s extension is one of ``suffixes`` (each one lower-case
    extension, such as ``.yaml``) in any case: a checkout holds `R-9.YAML` as well,
    which validation reports (AIMS008) and whose text it reads where a record it
    cannot find may be in it, so its bytes are read from git too and a revision
    answers as a checkout does. Which files are records is not decided here."""
    if rel.endswith(suffixes):
        return True
    dot = rel.rfind(".")
    return dot >= 0 and rel[dot:].lower() in suffixes


def _lfs_content(repo: git.Repo, blob: bytes) -> bytes:
    """What a checkout holds for a data file whose blob is ``blob``: where it is a Git
    LFS pointer, the content the repository's LFS store holds for it (what `git lfs
    pull` fetched into `.git/lfs/objects`), checked against the pointer's sha256 and
    size; else the blob itself. aimsctl never fetches an object: one not in the store
    is read as its pointer (:func:`fileio.lfs_pointer` tells)."""
    found = lfs_pointer(blob)
    if found is None or int(found.group(2)) > _CONVERT_MAX:
        return blob
    oid, size = found.group(1).decode("ascii"), int(found.group(2))
    stored = Path(repo.common_dir, "lfs", "objects", oid[:2], oid[2:4], oid)
    try:
        # Never waits on a named pipe in the store (the run hung), nor reads a device.
        data = read_regular(os.fspath(stored), True, size + 1)
    except OSError:
        return blob
    if data is None or len(data) != size or hashlib.sha256(data).hexdigest() != oid:
        return blob
    return data


# Objects asked of one `git cat-file --batch`, whose output is held whole. Fewer,
# larger batches pay: each git process starts its caches of packed objects afresh
# (50,000 blobs: 1.45 s in batches of 4,096, 1.05 s in batches of 16,384).
_BATCH = 16384


# From this many objects on, one `git cat-file --batch` process (about 3 ms to start)
# is cheaper than a round trip per object through GitPython's (about 0.1 ms each).
_ONE_PROCESS_FROM = 32
_HISTORY_CHUNK = 4096  # blobs of one commit read at a time (see CommitLog.blobs)


def _cat_all(repo: git.Repo, oids: Iterable[str]) -> dict[str, bytes]:
    """The contents of the blobs ``oids``, in batches of :data:`_BATCH`."""
    unread = sorted(set(oids))
    contents: dict[str, bytes] = {}
    for start in range(0, len(unread), _BATCH):
        contents.update(_cat_blobs(repo, unread[start : start + _BATCH]))
    return contents


def _cat_blobs(repo: git.Repo, oids: list[str]) -> dict[str, bytes]:
    """The contents of the blobs ``oids``, read by one git process: each object is
    asked for in the same input, not one round trip at a time."""
    output = _git_bytes(repo, ("cat-file", "--batch"), "".join(f"{o}\n" for o in oids).encode())
    contents: dict[str, bytes] = {}
    at = 0
    for oid in oids:
        end = output.find(b"\n", at)
        header = output[at:end].split(b" ") if end >= 0 else []
        if len(header) != 3 or header[:2] != [oid.encode(), b"blob"] or not header[2].isdigit():
            raise _damaged(repo, f"object {oid} cannot be read")
        size = int(header[2])
        contents[oid] = output[end + 1 : end + 1 + size]
        at = end + 2 + size
        if len(contents[oid]) != size or output[at - 1 : at] != b"\n":
            raise _damaged(repo, f"object {oid} is cut short")
    return contents


def read_tree(
    root: Path,
    rev: str,
    suffixes: tuple[str, ...] | None = None,
    blobs: dict[str, bytes] | None = None,
    links: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """Every file below ``root`` as it was at ``rev``, read from git's objects.

    Keys are paths relative to ``root``, sorted. Nothing is checked out. Symbolic
    links and submodules are left out (a link's blob holds only its target). An
    empty dict when ``root`` did not exist at ``rev``. With ``suffixes``, only the
    files whose names end with one of them are read (e.g. the YAML files, leaving
    large evidence files unread). Reads that share ``blobs`` (contents by object id)
    read an object once: two revisions of a repository share most of their files.
    ``links`` gets the target of every symbolic link there, by path.
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        entries = _tree_entries(repo, resolve(repo, rev), prefix, warn=True)
        return _read_blobs(repo, entries, suffixes, blobs, links)


# The empty blob's id under each hash algorithm git uses, to that algorithm.
_EMPTY_BLOBS = {_blob_id(b"", algorithm): algorithm for algorithm in ("sha1", "sha256")}


def _index_entries(
    repo: git.Repo,
    prefix: str,
    missing: list[str] | None = None,
    conflicted: set[str] | None = None,
) -> dict[str, tuple[str, str]]:
    """Every file in git's index below the governance root: (mode, object id) by path
    relative to the root, with a submodule's files at the commit staged for it. A path
    in an unresolved merge conflict holds no one version (git keeps each side, and
    commits nothing until one is staged): it is left out and added to ``conflicted``.
    A path only intended to be added (``git add -N``) is left out, as a commit leaves
    it out."""
    output = _git(repo, "ls-files", "--stage", "-z", "--full-name", *_pathspec(prefix))
    start = len(prefix) + 1 if prefix else 0
    entries: dict[str, tuple[str, str]] = {}
    empty: dict[str, str] = {}  # staged empty files, or intent-to-add entries
    for line in _split_z(output):
        meta, _tab, path = line.partition("\t")
        mode, oid, stage = meta.split(" ")
        if prefix and not path.startswith(prefix + "/"):
            continue
        if stage != "0":
            if conflicted is not None:
                conflicted.add(path[start:])
            continue
        entries[path[start:]] = (mode, oid)
        if oid in _EMPTY_BLOBS:
            empty[path] = oid
    for path in _intent_to_add(repo, prefix, empty):
        del entries[path[start:]]
    return _submodule_files(repo, entries, prefix, missing=missing)


def _intent_to_add(repo: git.Repo, prefix: str, empty: dict[str, str]) -> set[str]:
    """Which of the index paths in ``empty`` (each holding the empty blob, by path)
    are only intended to be added (``git add -N``).

    ``git ls-files --stage`` shows such an entry as a staged empty file; only a flag
    in the index tells them apart. ``git diff-index --cached`` with
    ``--ita-invisible-in-index`` (git 2.11 and later) reads the index as a commit
    does, so against the empty tree it lists every path the next commit will hold.
    Asked only when some entry holds the empty blob, which is rare.
    """
    if not empty:
        return set()
    empty_tree = _blob_id(b"", _EMPTY_BLOBS[next(iter(empty.values()))], b"tree")
    output = _git(
        repo,
        "diff-index",
        "--cached",
        "--ita-invisible-in-index",
        "--name-only",
        "-z",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--diff-filter=A",
        empty_tree,
        *_pathspec(prefix),
    )
    return set(empty) - set(_split_z(output))


def read_index(
    root: Path,
    suffixes: tuple[str, ...] | None = None,
    missing: list[str] | None = None,
    links: dict[str, str] | None = None,
    conflicted: set[str] | None = None,
) -> tuple[dict[str, bytes], frozenset[str]]:
    """The files below ``root`` as they are staged: what the next commit will hold.

    Returns the content of the regular files whose names end with one of
    ``suffixes`` (every regular file with None), read from git's objects, and the
    paths of every staged entry (so that a path can be checked for existence without
    reading it). Untracked files are not there; a file deleted with ``git rm`` is not
    either, though it may still be in the working tree, nor one only intended to be
    added (``git add -N``), which a commit leaves out. ``missing`` collects the
    submodules staged that were never initialised, whose files are not read;
    ``links`` the target of every symbolic link staged, by path; ``conflicted`` the
    paths in an unresolved merge conflict, which are neither read nor listed.
    """
    with open_repo(root) as repo:
        prefix = _prefix(repo, root)
        entries = _index_entries(repo, prefix, missing, conflicted)
        return _read_blobs(repo, entries, suffixes, links=links), frozenset(entries)


def is_partial_clone(root: Path) -> bool:
    """Whether the repository holding ``root`` is a partial clone (``git clone
    --filter=blob:none``): the contents of past commits' files were not fetched, and
    aimsctl never fetches them (``GIT_NO_LAZY_FETCH``). False when git cannot tell."""
    try:
        with open_repo(root) as repo:
            return _partial(repo)
    except GitError:
        return False


def _partial(repo: git.Repo) -> bool:
    """:func:`is_partial_clone` for an open repository."""
    try:
        found = _git(
            repo, "config", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$"
        )
    except GitError:
        return False
    return any(
        value.strip().lower() not in ("", "false", "no", "off", "0")
        for _key, _, value in (line.partition(" ") for line in found.splitlines())
    )


def resolve_revision(root: Path, rev: str) -> str:
    """The full commit sha that ``rev`` names in the git repository holding ``root``."""
    with open_repo(root) as repo:
        return resolve(repo, rev)


def is_revision(path: Path, rev: str) -> bool:
    """Whether ``rev`` names a commit in the git repository holding ``path``.

    False, never an error, when ``path`` is not in a git repository at all; a
    repository git refuses as another user's raises UntrustedRepository.
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
        raise _import_failed(error) from None
    command = git.Git(str(path))
    _harden(command)
    try:
        command.init()
    except git.GitCommandNotFound:
        raise _GitMissing(_GIT_MISSING) from None
    except (git.GitCommandError, OSError) as error:
        raise GitError(f"git init in {path} failed: {error}") from None


# --- history ------------------------------------------------------------------------

_NULL_SHA = "0" * 40
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
    not fetched: ``grafted``). A submodule whose commit pinned by the first parent
    is not in its repository (a shallow submodule fetch) is in ``unread``, by path
    below the governance root: its files at the commit count as added (``old``
    None), or, when the commit's own pinned commit is missing too, are not there.
    Those whose commit pinned by the commit itself is missing (the submodule was not
    updated after a pull, or this is an older move of one fetched shallow) are also
    in ``unpinned``.
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    date: str  # the commit date, ISO 8601 with the committer's offset
    subject: str
    changes: tuple[FileChange, ...]
    grafted: bool = False
    unread: tuple[str, ...] = ()
    unpinned: tuple[str, ...] = ()


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

    CHUNK = _HISTORY_CHUNK  # blobs :meth:`blobs` reads with one git process

    def __init__(self, root: Path, suffixes: tuple[str, ...], start: str = "HEAD") -> None:
        self.root = root
        self.suffixes = suffixes
        self.start = start  # the commit whose history is walked
        self._repo: git.Repo | None = None
        self._prefix = ""
        self._gitlinks: tuple[str, ...] = ()  # submodule paths, from the top of the work tree
        # The files of a submodule at a pinned commit, by (path, commit); None: its
        # repository lacks the commit. A few only: a commit's new side is the old side
        # of the next older one.
        self._pinned: dict[tuple[str, str], dict[str, tuple[str, str]] | None] = {}
        # The blobs read that are Git LFS pointers whose content the LFS store lacks
        # (read as their pointer text, which names no record), by id.
        self.unfetched: set[str] = set()

    def __enter__(self) -> CommitLog:
        self._repo = open_repo(self.root)
        try:
            self._prefix = _prefix(self._repo, self.root)
        except GitError:
            self._repo.close()
            raise
        self._gitlinks = _gitmodules_paths(Path(self._repo.working_tree_dir or "."), self._prefix)
        if self._gitlinks:
            self._gitlinks = tuple(sorted({*self._gitlinks, *self._past_gitlinks()}))
        return self

    def _past_gitlinks(self) -> tuple[str, ...]:
        """The submodule paths that past versions of .gitmodules gave (a submodule
        moved with `git mv` was pinned at another path before), read from the changes
        of .gitmodules along the history walked; none before the first commit."""
        try:
            output = _git(
                self.repo,
                "log",
                "-p",
                "--format=",
                "--full-history",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                self.start,
                "--",
                ":(literal).gitmodules",
            )
        except GitError:
            return ()
        lines = (
            line[1:]
            for line in output.splitlines()
            if line[:1] in (" ", "+", "-") and not line.startswith(("+++", "---"))
        )
        return _paths_named(lines, self._prefix, named=True)

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
        files = [f":(glob){folder}**/*{suffix}" for suffix in self.suffixes]
        return [*files, *(f":(literal){path}" for path in self._gitlinks)]

    def _diff(
        self, tokens: list[str]
    ) -> tuple[tuple[FileChange, ...], tuple[str, ...], tuple[str, ...], bool]:
        """``--raw -z`` entries as FileChanges, a moved gitlink as the files of its
        submodule that differ between the two commits it pins; the submodules whose
        files at either side cannot be read (:attr:`Commit.unread`), and those of them
        whose files at the new side cannot (:attr:`Commit.unpinned`); and whether the
        entries change a matching file or may (a move that changes none of the
        submodule's matching files does not; a submodule path also matches what was a
        folder of other files before it)."""
        if not self._gitlinks:
            return tuple(_raw_changes(tokens, self._prefix)), (), (), True
        changes: list[FileChange] = []
        unread: list[str] = []
        unpinned: list[str] = []
        matched = False
        start = len(self._prefix) + 1 if self._prefix else 0
        for meta, path in zip(tokens[0::2], tokens[1::2], strict=True):
            old_mode, new_mode, old_sha, new_sha, _status = meta.lstrip("\n:").split(" ")
            rel = path[start:]
            if _GITLINK not in (old_mode, new_mode):
                if rel.endswith(self.suffixes):
                    matched = True
                    changes.extend(_raw_changes([meta, path], self._prefix))
                continue
            before = self._files_pinned(rel, old_sha) if old_mode == _GITLINK else {}
            after = self._files_pinned(rel, new_sha) if new_mode == _GITLINK else {}
            if before is None or after is None:
                unread.append(rel)
                matched = True
            if after is None:  # what the commit holds there cannot be told
                unpinned.append(rel)
                continue
            before = before or {}
            for inner in sorted(before.keys() | after.keys()):
                if not inner.endswith(self.suffixes):
                    continue
                old = _blob(*before.get(inner, ("", _NULL_SHA)))
                new = _blob(*after.get(inner, ("", _NULL_SHA)))
                if old != new:
                    matched = True
                    changes.append(FileChange(inner, old, new))
            other = old_mode if new_mode == _GITLINK else new_mode  # a file in its place
            if other != _GITLINK and rel.endswith(self.suffixes):
                matched = True
                changes.extend(_raw_changes([meta, path], self._prefix))
        return tuple(changes), tuple(unread), tuple(unpinned), matched

    def _files_pinned(self, rel: str, commit: str) -> dict[str, tuple[str, str]] | None:
        """The files of the submodule at ``rel`` (below the governance root) at
        ``commit``, by path below the governance root, its own submodules' too; None
        when its repository lacks the commit, empty when it was never initialised."""
        key = (rel, commit)
        if key not in self._pinned:
            top = Path(self.repo.working_tree_dir or ".")
            checkout = top / self._prefix if self._prefix else top
            entries = {rel: (_GITLINK, commit)}
            try:
                _add_submodules(self.repo, entries, "", checkout, None, 0, False, True, [0])
            except _NotPinned:
                self._pinned[key] = None
            else:
                del entries[rel]
                self._pinned[key] = entries
            while len(self._pinned) > 4:
                del self._pinned[next(iter(self._pinned))]
        return self._pinned[key]

    @property
    def has_commits(self) -> bool:
        """Whether there is a commit to walk from: a given one always (`report --at`
        from a branch with no commits yet, such as a new orphan branch), HEAD once the
        branch has its first."""
        return self.start != "HEAD" or _has_commits(self.repo)

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
        """Every commit reachable from ``start`` that changes a matching file, newest first.

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
            "--no-textconv",
            "--no-show-signature",
            f"--format={_COMMIT_FORMAT}",
            self.start,
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
                diff = self._diff(self._diff_tree(parent_list[0], sha))
            else:
                diff = self._diff(raw)
                if not diff[3]:  # only other files below a submodule's path changed
                    continue
            changes, unread, unpinned, _matched = diff
            yield Commit(
                sha,
                parent_list,
                name,
                email,
                date,
                subject,
                changes,
                sha in grafted,
                unread,
                unpinned,
            )

    def graph(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every commit reachable from ``start`` with its parents, whatever files it
        changes; no commit comes before one of its children (``--date-order``)."""
        if not self.has_commits:
            return
        output = _git(self.repo, "rev-list", "--parents", "--date-order", self.start, "--")
        for line in output.splitlines():
            sha, *parents = line.split()
            yield sha, tuple(parents)

    def changes(self, old: str, new: str) -> tuple[FileChange, ...]:
        """The matching files that differ between two commits."""
        return self._diff(self._diff_tree(old, new))[0]

    def _diff_tree(self, old: str, new: str) -> list[str]:
        output = _git(
            self.repo,
            "diff-tree",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            old,
            new,
            "--",
            *self._pathspecs(),
        )
        return _split_z(output)

    def head(self) -> str:
        """The commit the walk starts from."""
        return resolve(self.repo, self.start)

    def files(self, commit: str) -> tuple[FileChange, ...]:
        """Every matching regular file below the governance root at ``commit``, each
        as added (``old`` None): the files a commit holds, not the ones it changes. A
        submodule whose repository lacks the commit pinned there is left out, as
        :meth:`commits` leaves it (:attr:`Commit.unread`)."""
        entries = _tree_entries(self.repo, commit, self._prefix, strict=False)
        return tuple(
            FileChange(rel, None, oid)
            for rel, (mode, oid) in sorted(entries.items())
            if mode in _REGULAR_MODES and rel.endswith(self.suffixes)
        )

    def unpinned(self, commit: str) -> tuple[str, ...]:
        """The submodules (by path below the governance root) whose repository lacks
        the commit that ``commit`` pins them at, which :meth:`files` leaves out."""
        if not self._gitlinks:
            return ()
        output = _git(
            self.repo, "ls-tree", "-r", "-z", "--full-tree", commit, *_pathspec(self._prefix)
        )
        start = len(self._prefix) + 1 if self._prefix else 0
        found: list[str] = []
        for line in _split_z(output):
            meta, _tab, path = line.partition("\t")
            mode, _kind, oid = meta.split(" ")
            if mode == _GITLINK and self._files_pinned(path[start:], oid) is None:
                found.append(path[start:])
        return tuple(found)

    def blob_at(self, commit: str, rel: str) -> str | None:
        """The blob of the regular file ``rel`` (relative to the governance root) at
        ``commit``; None when there is no such file there."""
        import git

        path = f"{self._prefix}/{rel}" if self._prefix else rel
        with _reading_objects(self.repo):
            try:
                item = self.repo.commit(commit).tree / path
            except KeyError:
                return None
            except git.BadName:
                raise _damaged(self.repo, commit) from None
        if item.type != "blob" or f"{item.mode:o}" not in _REGULAR_MODES:
            return None
        return str(item.hexsha)

    def blob(self, sha: str) -> bytes:
        """The content of one blob, as a checkout holds it: a Git LFS pointer is read
        as the content the LFS store holds for it (as :func:`read_tree` reads a data
        file), or, not there, as the pointer, its id then in :attr:`unfetched`."""
        if _STORES.get(self.repo):  # a submodule's blob is not in the superproject's objects
            return self._content(sha, _cat_blobs(self.repo, [sha])[sha])
        with _reading_objects(self.repo):
            data: bytes = self.repo.odb.stream(bytes.fromhex(sha)).read()
        return self._content(sha, data)

    def blobs(self, shas: list[str]) -> Iterator[bytes]:
        """The contents of several blobs, in order, as :meth:`blob` reads each. Many
        are read by one git process per :data:`_HISTORY_CHUNK` (a repository's first
        commit may add every record file), a chunk at a time, so memory holds one
        chunk, not a whole commit."""
        if len(shas) < _ONE_PROCESS_FROM:
            yield from (self.blob(sha) for sha in shas)
            return
        for start in range(0, len(shas), _HISTORY_CHUNK):
            chunk = shas[start : start + _HISTORY_CHUNK]
            found = _cat_blobs(self.repo, sorted(set(chunk)))
            yield from (self._content(sha, found[sha]) for sha in chunk)

    def _content(self, sha: str, blob: bytes) -> bytes:
        """A data file's content for its blob ``blob`` (see :meth:`blob`); every file a
        CommitLog reads is a data file (records and aims.yaml)."""
        data = _lfs_content(self.repo, blob)
        if data is blob and lfs_pointer(blob) is not None:
            self.unfetched.add(sha)
        return data

    def worktree_changes(
        self, paths: Iterable[str] | None = None, known: Mapping[str, bytes] | None = None
    ) -> list[WorkChange]:
        """Matching files that differ between HEAD and the working tree, by content.

        Staged, unstaged and untracked (not ignored) files count, as with
        :func:`changed_paths`; before the first commit every file is new. ``paths``
        narrows the answer to those paths (relative to the governance root);
        ``known`` holds the bytes of files the run has read (see :class:`_WorkTree`).
        """
        repo = self.repo
        entries = (
            _tree_entries(repo, resolve(repo, "HEAD"), self._prefix, strict=False)
            if _has_commits(repo)
            else None
        )
        changed = _changed(repo, self._prefix, entries, known)
        read = known if known is not None else {}
        wanted = None if paths is None else set(paths)
        result: list[WorkChange] = []
        for rel in sorted(changed):
            if not rel.endswith(self.suffixes) or (wanted is not None and rel not in wanted):
                continue
            mode, oid = (entries or {}).get(rel, ("", ""))
            head = self.blob(oid) if mode in _REGULAR_MODES else None
            result.append(WorkChange(rel, head, self._disk_bytes(rel, read)))
        return [change for change in result if change.head != change.worktree]

    def changes_to(self, files: Mapping[str, bytes]) -> list[WorkChange]:
        """Matching files that differ between HEAD and ``files`` (by path below the
        governance root): the tree a run checks when it is not the working tree, such
        as git's index for ``validate --staged``. A path only on one side is added or
        deleted."""
        repo = self.repo
        entries = (
            _tree_entries(repo, resolve(repo, "HEAD"), self._prefix, strict=False)
            if _has_commits(repo)
            else {}
        )
        result: list[WorkChange] = []
        for rel in sorted(entries.keys() | files.keys()):
            if not rel.endswith(self.suffixes):
                continue
            mode, oid = entries.get(rel, ("", ""))
            regular = mode in _REGULAR_MODES
            now = files.get(rel)
            algorithm = "sha1" if len(oid) == 40 else "sha256"
            if regular and now is not None and _blob_id(now, algorithm) == oid:
                continue
            head = self.blob(oid) if regular else None
            if head != now:
                result.append(WorkChange(rel, head, now))
        return result

    def _disk_bytes(self, rel: str, known: Mapping[str, bytes]) -> bytes | None:
        path = self.root / rel
        try:
            if path.is_symlink() or not path.is_file():
                return None
            raw = known.get(rel)
            return raw if raw is not None else path.read_bytes()
        except OSError:
            return None
