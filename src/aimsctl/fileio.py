"""Atomic file writes: a temporary file in the same folder, then a rename.

The temporary file is removed on any exception, KeyboardInterrupt included; the
command line turns SIGTERM into an exception too (``cli.Terminated``), so a run
that is terminated leaves no ``.tmp`` file behind either.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _default_mode() -> int:
    """The mode a plain open() would give a new file under the current umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def first_folder(paths: Iterable[Path]) -> Path | None:
    """The first of ``paths`` that is a folder (a symbolic link is not: writing replaces
    it): asked of every file of a set before the first is written, so that a folder
    in one place leaves none written rather than some."""
    return next((path for path in paths if path.is_dir() and not path.is_symlink()), None)


def write_atomic(path: Path, content: str | bytes, into_streams: bool = False) -> None:
    """Write ``content`` to ``path`` so readers see the old file or the new, never half.

    The file gets the mode an ordinary write would give (mkstemp's temporary file
    is private), or keeps the mode of the file it replaces. A symbolic link is
    replaced, never followed. With ``into_streams`` (for an output path the user
    names), a target that is not a regular file (a pipe, a terminal, `/dev/stdout`)
    is written into instead: there is nothing to swap atomically, and renaming over
    it would destroy it.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        info = path.stat()
    except OSError:
        mode = _default_mode()
    else:
        if into_streams and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            with path.open("wb") as stream:
                stream.write(data)
            return
        mode = info.st_mode & 0o7777
    temporary: str | None = None
    try:
        with _signals_held():  # no Ctrl-C or SIGTERM between creating the file and naming it
            fd, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
            )
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:  # also KeyboardInterrupt, and the CLI's exception for SIGTERM
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (where the system can) while the body runs.

    A signal that arrives meanwhile is delivered, and its Python handler raises,
    right after the body: then ``write_atomic`` already knows the temporary file's
    name and can remove it.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
