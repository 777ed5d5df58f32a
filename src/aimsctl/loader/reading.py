"""Reading a file's bytes safely: regular files only, symbolic links kept inside the
repository, at most one byte past the size limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from aimsctl import codes, yamlsafe
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.fileio import read_regular
from aimsctl.links import DiskLinks, Unfollowed, follow_links


def path_exists(path: Path) -> bool:
    """Whether ``path`` exists; False, not an error, for a name no file can have
    (too long, or holding a NUL byte) or one behind a symbolic link loop."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def read_bytes(
    root: Path, rel: str, listed_regular: bool = False
) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes, or a diagnostic saying why they cannot be read.

    Reads at most one byte more than yamlsafe.MAX_BYTES, so a huge file costs no
    memory (it is then reported as too large); never opens anything but a regular
    file (a named pipe would block the run) or a symbolic link out of the repository.
    Plain ``os`` calls, not pathlib's: a large repository reads thousands of files.

    ``listed_regular``: a listing of the folder just found a regular file at ``rel``
    (its entry's type, no further call), so the file is opened straight away, never
    following a link (``O_NOFOLLOW``), and kept only when what was opened is a
    regular file; anything else (a link or a pipe swapped in since, an error) is
    read as below, with the same answer. That spares an ``lstat`` per file, 10,000
    of them in a large repository. Without ``O_NOFOLLOW`` (not POSIX), as below.
    """
    full = os.path.join(root, rel)
    if listed_regular and _NOFOLLOW:
        try:
            data = read_regular(full, False, yamlsafe.MAX_BYTES + 1)
        except OSError:
            data = None
        if data is not None:
            return data, None
    try:
        info = os.lstat(full)
        follow = stat.S_ISLNK(info.st_mode)
        if follow:
            problem = _link_problem(root, Path(full))
            if problem is not None:
                return None, unreadable_file(rel, problem)
            info = os.stat(full)
        if not stat.S_ISREG(info.st_mode):
            return None, unreadable_file(rel, _NOT_REGULAR)
        data = read_regular(full, follow, yamlsafe.MAX_BYTES + 1)
        return (data, None) if data is not None else (None, unreadable_file(rel, _NOT_REGULAR))
    except FileNotFoundError:
        message = "file disappeared while the repository was being read; run again"
    except PermissionError:
        message = "file cannot be read (permission denied); fix its permissions"
    except OSError as error:
        message = f"file cannot be read: {error.strerror or error}"
    return None, unreadable_file(rel, message)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NOT_REGULAR = (
    "not a regular file (a named pipe, socket or device); remove it or exclude it in aims.yaml"
)


def _link_problem(root: Path, link: Path) -> str | None:
    """Why a symbolic link is not read (it leads nowhere, in a loop, or out of the
    repository); None when it leads to a place inside. Outside is judged as at a git
    revision first (:func:`lies_inside`), then as this file system follows it."""
    followed = follow_links(link.relative_to(root).as_posix(), DiskLinks(root))
    if followed is Unfollowed.OUTSIDE:
        return "symbolic link leads outside the repository; it is not read"
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return "symbolic link points to a file that does not exist; fix or remove the link"
    except (RuntimeError, OSError):  # RuntimeError: a loop, before Python 3.13
        return "symbolic link loop: the link leads back to itself; remove it"
    if not target.is_relative_to(root.resolve()):
        return "symbolic link leads outside the repository; it is not read"
    return None


def unreadable_file(rel: str, message: str) -> Diagnostic:
    return Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, message, rel, 1, 1)
