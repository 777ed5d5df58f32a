"""Git access: the only package that imports GitPython.

Everything here only reads: nothing is checked out, staged or committed. Paths
given and returned are relative to the *governance root* (the folder holding
aims.yaml) with POSIX separators; the governance root may be a subfolder of the
git work tree, and the prefix between the two is handled in one place
(:mod:`aimsctl.gitio.prefix`).

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

One module per concern, lowest first: ``git_folder`` (the git folder a `.git` names,
read without git), ``submodule_stores`` (the object folders of submodules git reads
too), ``running`` (hardened git processes and their errors), ``opening``
(:func:`open_repo` and its checks), ``prefix`` (the governance root in the work tree),
``revisions``, ``submodules``, ``sparse`` (what a sparse checkout left off the disk),
``blobs``, ``trees`` (a commit's or the index's files), ``worktree`` (a commit against
the working tree, by content), ``worktree_changes`` (what commands ask of that
comparison), ``committed`` (what was kept on a day), ``attributes``,
``new_repository`` and ``history`` (:class:`CommitLog`). This module names what the
rest of aimsctl uses; GitPython is imported only inside functions, where a command
needs it; and each module here only when a name it defines is first used (see
``__getattr__``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aimsctl.errors import GitDirMismatch, GitError, UntrustedRepository

if TYPE_CHECKING:
    from aimsctl.gitio.attributes import checkout_encodings
    from aimsctl.gitio.committed import Kept, committed_files
    from aimsctl.gitio.history import Commit, CommitLog, FileChange, WorkChange
    from aimsctl.gitio.new_repository import check_init, init_repository
    from aimsctl.gitio.opening import NotInRepository, is_partial_clone, open_repo
    from aimsctl.gitio.prefix import work_tree_prefix
    from aimsctl.gitio.revisions import is_revision, resolve, resolve_revision
    from aimsctl.gitio.running import SAFE_GIT_ARGS, git_missing
    from aimsctl.gitio.sparse import sparse_skipped
    from aimsctl.gitio.submodules import unchecked_submodules
    from aimsctl.gitio.trees import Revisions, read_index, read_tree
    from aimsctl.gitio.worktree_changes import (
        ChangesSince,
        HeadChanges,
        changed_paths,
        changes_since,
        head_changes,
    )

# Where each name is defined: its module is imported when the name is first asked
# for, so that a command learning only that a folder is in no git repository (a
# validate outside git, :func:`aimsctl.gitio.opening.may_be_in_git`) does not import
# every module here (about 6 ms at start-up).
_HOME = {
    "checkout_encodings": "attributes",
    "Kept": "committed",
    "committed_files": "committed",
    "Commit": "history",
    "CommitLog": "history",
    "FileChange": "history",
    "WorkChange": "history",
    "check_init": "new_repository",
    "init_repository": "new_repository",
    "NotInRepository": "opening",
    "is_partial_clone": "opening",
    "open_repo": "opening",
    "work_tree_prefix": "prefix",
    "is_revision": "revisions",
    "resolve": "revisions",
    "resolve_revision": "revisions",
    "SAFE_GIT_ARGS": "running",
    "git_missing": "running",
    "sparse_skipped": "sparse",
    "unchecked_submodules": "submodules",
    "Revisions": "trees",
    "read_index": "trees",
    "read_tree": "trees",
    "ChangesSince": "worktree_changes",
    "HeadChanges": "worktree_changes",
    "changed_paths": "worktree_changes",
    "changes_since": "worktree_changes",
    "head_changes": "worktree_changes",
}
# The modules of the package, each one importable as an attribute of it as when the
# package imported them all.
_MODULES = frozenset(
    {
        *_HOME.values(),
        "blobs",
        "submodule_stores",
        "worktree",
    }
)


def __getattr__(name: str) -> Any:
    """A name of ``__all__`` (or a module of the package), imported on first use."""
    if name in _HOME:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    elif name in _MODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "SAFE_GIT_ARGS",
    "ChangesSince",
    "Commit",
    "CommitLog",
    "FileChange",
    "GitDirMismatch",
    "GitError",
    "HeadChanges",
    "Kept",
    "NotInRepository",
    "Revisions",
    "UntrustedRepository",
    "WorkChange",
    "changed_paths",
    "changes_since",
    "check_init",
    "checkout_encodings",
    "committed_files",
    "git_missing",
    "head_changes",
    "init_repository",
    "is_partial_clone",
    "is_revision",
    "open_repo",
    "read_index",
    "read_tree",
    "resolve",
    "resolve_revision",
    "sparse_skipped",
    "unchecked_submodules",
    "work_tree_prefix",
]
