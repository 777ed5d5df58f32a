"""The object folders of submodules that git is told to read as well.

Blobs and trees of a submodule live in the submodule's own repository. Once a tree's
listing has reached into a submodule (:mod:`aimsctl.gitio.submodules`), the commands
that read objects by id are given that repository's object folder too
(:func:`alternates`, used by :mod:`aimsctl.gitio.running`).
"""

from __future__ import annotations

import os
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import git


# The object folders of the submodules whose files a repository's trees listed: blobs
# and trees are read from them by id (GIT_ALTERNATE_OBJECT_DIRECTORIES), never a
# revision, which stays the superproject's.
STORES: weakref.WeakKeyDictionary[git.Repo, set[str]] = weakref.WeakKeyDictionary()


def alternates(repo: git.Repo) -> dict[str, str] | None:
    """The environment that lets git read the objects of ``repo``'s submodules."""
    stores = STORES.get(repo)
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
