"""Where entries are kept: the cache folder, which folder and entries to trust,
reading an entry safely, writing one (a temporary file, then a rename), and
evicting the least recently written."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path

from aimsctl.fileio import write_atomic

MAX_ENTRY_BYTES = 128 * 1024 * 1024
# The whole cache folder: each repository folder validated leaves one entry, so
# after a write the least recently written entries go until the rest fit (the
# entry just written always stays). 512 MiB holds thousands of ordinary entries.
MAX_CACHE_BYTES = 512 * 1024 * 1024
ENTRY_GLOB = "validate-*.json"
# Only names this module writes are entries: a user's own validate-report.json in
# the folder AIMSCTL_CACHE_DIR names is never counted nor removed.
ENTRY_NAME = re.compile(r"validate-[0-9a-f]{32}(?:\.files|\.history)?\.json")
# The temporary file of a write that a killed run left behind (write_atomic renames
# its file within moments): removed once it is this old, as no run still writes it.
STALE_TEMPORARY = re.compile(r"\.validate-[0-9a-f]{32}(?:\.files|\.history)?\.json\..+\.tmp")
STALE_AFTER_SECONDS = 24 * 60 * 60


def supported() -> bool:
    """Whether this system offers what the cache's safe reads and writes need. Asked
    each time, not once on import: `os.open in os.supports_dir_fd` compares
    functions, and a test that wrapped os.open while this module was first imported
    turned the cache off for the rest of its process."""
    return (
        hasattr(os, "geteuid")
        and hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
        and os.open in os.supports_dir_fd
        and os.stat in os.supports_dir_fd
    )


def cache_dir() -> Path | None:
    """The cache folder, or None when there is none (no usable home folder: none, a
    relative one, or one that does not exist)."""
    if configured := os.environ.get("AIMSCTL_CACHE_DIR"):
        return Path(os.path.abspath(configured))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "aimsctl"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    if not home.is_absolute():  # HOME set to "" or to a relative path
        return None
    # A home that does not exist is no home: making it (as root, a tree under /) to
    # hold a cache would write where nobody asked.
    if not home.is_dir():
        return None
    return home / ".cache" / "aimsctl"


def _trusted(info: os.stat_result, is_type: Callable[[int], bool]) -> bool:
    """Of the wanted type, owned by the current user, not writable by group or others."""
    return (
        is_type(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def work_tree_top(real_root: Path) -> Path:
    """The top of the git work tree holding ``real_root`` (the nearest folder with a
    `.git` entry, read without running git), or ``real_root`` itself outside git."""
    for folder in (real_root, *real_root.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return real_root


def _open_folder(folder: Path) -> int | None:
    """A handle on the cache folder when it is one to trust; None otherwise."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        trusted = _trusted(os.fstat(fd), stat.S_ISDIR)
    except OSError:
        trusted = False
    if not trusted:
        os.close(fd)
        return None
    return fd


def read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path`` when it is one to trust; None otherwise."""
    folder = _open_folder(path.parent)
    if folder is None:
        return None
    try:
        # Nothing but a regular file is opened (a device may act on open); the
        # open neither follows a link nor waits on a pipe swapped in meanwhile.
        if not stat.S_ISREG(os.stat(path.name, dir_fd=folder, follow_symlinks=False).st_mode):
            return None
        fd = os.open(
            path.name,
            os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
            dir_fd=folder,
        )
    except OSError:  # missing, a symbolic link (ELOOP), no permission
        return None
    finally:
        os.close(folder)
    with open(fd, "rb") as handle:  # closes fd
        info = os.fstat(handle.fileno())
        if not _trusted(info, stat.S_ISREG) or info.st_size > MAX_ENTRY_BYTES:
            return None
        # Sized to the file, not to the limit: a read of n bytes allocates n bytes
        # first (at the limit, 128 MiB, an 8.9 MB entry took 5-8 ms to read; sized, 0.45).
        # The byte past the size shows an entry that grew since (entries are replaced
        # by a rename, never written in place): a miss. One that shrank is read as it
        # is, and its digest decides.
        data = handle.read(info.st_size + 1)
    return data if len(data) <= info.st_size else None


def write_entry(path: Path, data: bytes) -> None:
    """Write an entry: the folder made owner-only if new, then an atomic replace."""
    folder = path.parent
    if not os.path.lexists(folder):
        # The folders above it that are missing (`~/.cache`, a new XDG_CACHE_HOME) are
        # owner-only too, as the XDG Base Directory specification asks.
        missing = [p for p in folder.parents if not os.path.lexists(p)]
        for above in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(above, 0o700)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(folder, 0o700)  # whatever the umask
    fd = _open_folder(folder)
    if fd is None:
        return
    os.close(fd)
    if len(data) > MAX_ENTRY_BYTES:  # would never be read: drop the old entry
        path.unlink(missing_ok=True)
        return
    write_atomic(path, data, replace_read_only=True)  # a link or pipe too; never follows it
    if stat.S_IMODE(os.lstat(path).st_mode) != 0o600:
        os.chmod(path, 0o600)  # a new file got the umask's mode, or a planted one's
    evict(folder, keep=path.name, limit=MAX_CACHE_BYTES)


def evict(folder: Path, keep: str, limit: int) -> list[str]:
    """Remove the least recently written entries of ``folder`` until its entries
    total at most ``limit`` bytes; never ``keep``. The names removed, oldest first.

    Only regular files named as our entries are (:data:`ENTRY_NAME`) are counted or
    removed; a temporary file a killed run left (:data:`STALE_TEMPORARY`) is removed
    once a day old. Two runs evicting at once may both try to remove one entry: a
    missing file is no error.
    """
    _remove_stale_temporaries(folder)
    entries: list[tuple[int, str, int]] = []
    for candidate in folder.glob(ENTRY_GLOB):
        if not ENTRY_NAME.fullmatch(candidate.name):
            continue
        try:
            info = candidate.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            entries.append((info.st_mtime_ns, candidate.name, info.st_size))
    total = sum(size for _, _, size in entries)
    removed: list[str] = []
    for _, name, size in sorted(entries):
        if total <= limit:
            break
        if name == keep:
            continue
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue
        total -= size
        removed.append(name)
    return removed


def _remove_stale_temporaries(folder: Path) -> None:
    too_old = time.time() - STALE_AFTER_SECONDS
    for candidate in folder.glob(".validate-*.tmp"):
        if not STALE_TEMPORARY.fullmatch(candidate.name):
            continue
        try:
            info = candidate.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mtime < too_old:
                candidate.unlink()
        except OSError:
            continue
