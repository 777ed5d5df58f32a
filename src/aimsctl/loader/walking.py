"""Listing the files of a working tree: hidden folders pruned, folders that cannot
be listed or lead outside the repository noted."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from aimsctl.links import DiskLinks, Unfollowed, follow_links
from aimsctl.loader.selection import select_record_paths

_FOLDER_UNREADABLE = (
    "folder cannot be read (permission denied, or it vanished), so the records in it "
    "were not checked; fix its permissions or exclude it in aims.yaml"
)


FOLDER_LINK_OUT = (
    "folder is a symbolic link leading outside the repository, so the files in it "
    "are not read; move them into the repository, or exclude the folder in aims.yaml"
)


def walk_files(root: Path, skipped: list[tuple[str, str]] | None = None) -> Iterator[str]:
    """Every file below root as a relative POSIX path, hidden folders pruned.

    Symbolic links to folders are not followed. Folders that cannot be listed, and
    linked folders that lead outside the repository, are added to ``skipped`` as
    (relative path, why), so their files are reported rather than silently missed.
    """

    def failed(error: OSError) -> None:
        if skipped is not None and error.filename is not None:
            rel = os.path.relpath(error.filename, root).replace(os.sep, "/")
            skipped.append((rel, _FOLDER_UNREADABLE))

    for folder, dirs, files in os.walk(root, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        if skipped is not None:
            for name in dirs:
                linked = Path(folder, name)
                if linked.is_symlink() and not lies_inside(linked, root):
                    skipped.append((prefix + name, FOLDER_LINK_OUT))
        for name in files:
            yield prefix + name


def lies_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (below ``root``), symbolic links followed, lies inside ``root``
    in any checkout: a link with an absolute target, or one that climbs out of the root
    and back in, leads elsewhere in a checkout under another folder (CI's, at a git
    revision), so it does not, wherever it leads on this machine."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return False
    if isinstance(follow_links(rel, DiskLinks(root)), Unfollowed):
        return False
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return False


def record_paths(root: Path, exclude: Iterable[str]) -> list[str]:
    """Repository-relative paths of every record file in a working tree, sorted."""
    return select_record_paths(walk_files(root), exclude)
