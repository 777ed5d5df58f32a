"""Opening the git repository that holds a folder, and the checks git itself makes.

:func:`open_repo` finds the repository as git would (GIT_DIR, GIT_WORK_TREE and
core.worktree read as git reads them) and refuses, in plain words, one that git would
not use there or that would show other content than git sees.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl import collector
from aimsctl.errors import GitDirMismatch, GitError, UntrustedRepository
from aimsctl.gitio.git_folder import git_folder, gitfile_target
from aimsctl.gitio.running import FSCK_HINT, GitMissing, harden, import_failed, is_partial, run_git
from aimsctl.text import printable

if TYPE_CHECKING:
    import git


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


def may_be_in_git(path: Path) -> bool:
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
    if not may_be_in_git(path):  # not worth importing GitPython to learn it (0.03 s)
        raise _not_in_git(path)
    try:
        with collector.importing():  # GitPython's modules, without collections
            import git
    except ImportError as error:  # GitPython refuses to load without a git program
        raise import_failed(error) from None
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
        run_git(repo, "rev-parse", "--git-dir")
    except GitMissing:
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
    harden(repo.git)
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
    where = Path(run_git(repo, "rev-parse", "--show-toplevel").rstrip("\n")).resolve()
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
        return git_folder(folder).resolve()
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
        "(for example an empty or invalid .git/HEAD file)" + FSCK_HINT
    )


def _linked_folder_gone(dot_git: Path) -> Path | None:
    """The folder a `.git` file names, when it is not there; None otherwise (what else
    is wrong with it, git's other checks say)."""
    target = gitfile_target(dot_git)
    try:
        return None if target is None or target.exists() else Path(os.path.normpath(target))
    except (OSError, ValueError):
        return None


def is_partial_clone(root: Path) -> bool:
    """Whether the repository holding ``root`` is a partial clone (``git clone
    --filter=blob:none``): the contents of past commits' files were not fetched, and
    aimsctl never fetches them (``GIT_NO_LAZY_FETCH``). False when git cannot tell."""
    try:
        with open_repo(root) as repo:
            return is_partial(repo)
    except GitError:
        return False
