"""Writing planned changes: atomically, only onto the bytes they were planned from,
and a new file never over one that exists."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.errors import UsageError
from aimsctl.fileio import (
    LOCK_WAIT,
    create_exclusive,
    held_for_writing,
    read_only,
    read_regular,
    write_atomic,
)

if TYPE_CHECKING:
    from aimsctl.writing.planning import Change


def commit(change: Change) -> None:
    """Write one planned change: atomically, and only onto the bytes it was planned from.

    A new file is created with a hard link from a finished temporary file, which
    fails when the name exists meanwhile (never an overwrite). An edited file is
    replaced with ``os.replace``; when its bytes changed since they were read (an
    editor saved meanwhile), nothing is written.
    """
    if not change.changed:
        return
    data = change.new.encode("utf-8")
    if change.old is None:
        _create_exclusive(change.path, data)
        return
    # Asked again here, not only when planned: a link put in the file's place since
    # would be replaced by a regular file.
    if change.path.is_symlink():
        raise UsageError(
            f"{change.path} is a symbolic link: aimsctl writes records only through real "
            "folders and files; nothing was written"
        )
    try:
        with held_for_writing(change.path):
            _replace(change, data)
    except TimeoutError:
        raise UsageError(
            f"{change.path} is held by another program (another aimsctl run writing it, "
            f"or a program that locked it) and was not let go within {LOCK_WAIT:.0f} "
            "seconds; nothing was written"
        ) from None
    except OSError as error:
        raise UsageError(f"cannot write {change.path}: {error.strerror or error}") from None


def commit_all(changes: Sequence[Change]) -> None:
    """Write a set of planned changes, all of them or none: each is written as
    :func:`commit` writes it, and when one cannot be (a file made meanwhile, a full
    disk, Ctrl-C), those written before it are taken back (a file created is removed,
    as long as it is still the one written; a file edited gets its old bytes back)
    and the error says that nothing was written."""
    done: list[tuple[Change, os.stat_result | None]] = []
    try:
        for change in changes:
            if not change.changed:
                continue
            commit(change)
            try:
                done.append((change, os.lstat(change.path)))
            except OSError:
                done.append((change, None))
    except BaseException as error:  # also KeyboardInterrupt, and the CLI's SIGTERM
        for written, info in reversed(done):
            _take_back(written, info)
        if done and isinstance(error, UsageError):
            raise UsageError(
                f"{str(error).removesuffix('; nothing was written')}; nothing was written "
                f"(the {len(done)} file(s) written before it were taken back)"
            ) from None
        raise


def _take_back(change: Change, info: os.stat_result | None) -> None:
    """Undo one change :func:`commit` wrote, only where the file is still the one it wrote."""
    with contextlib.suppress(OSError):
        if info is None or not os.path.samestat(os.lstat(change.path), info):
            return  # replaced since by someone else: theirs stays
        if change.old is None:
            change.path.unlink()
        else:
            write_atomic(change.path, change.old)
        _sync_folder(change.path.parent)


def _replace(change: Change, data: bytes) -> None:
    """Replace the file, held against other aimsctl runs (:func:`held_for_writing`),
    once its bytes are still those the change was planned from: checked before the
    new file is written, and again right before it takes the name, so that an editor
    that saved meanwhile is not overwritten."""
    _unchanged(change)
    if read_only(change.path):
        raise UsageError(
            f"{change.path} is read-only; nothing was written (make it writable to edit it)"
        )
    _refuse_hard_link(change.path)
    write_atomic(change.path, data, before_replace=lambda: _unchanged(change))
    _sync_folder(change.path.parent)


def _unchanged(change: Change) -> None:
    """UsageError when the file's bytes are not those the change was planned from."""
    assert change.old is not None
    try:
        # No more than the planned bytes and one: a pipe swapped in is not waited on.
        current = read_regular(os.fspath(change.path), False, len(change.old) + 1)
    except OSError as error:
        raise UsageError(f"{change.path}: cannot be read: {error.strerror or error}") from None
    if current != change.old:
        # Exit 2, not WriteRefused's 1: the run could not do its work; nothing is
        # wrong with the change asked for.
        raise UsageError(f"{change.path} changed while aimsctl was editing it; nothing was written")


def _refuse_hard_link(path: Path) -> None:
    """UsageError when the file at ``path`` has other names (hard links): the atomic
    replace would give this name a new file, the others silently keeping the old
    text, as a symbolic link would be replaced by a copy (:func:`refuse_links`)."""
    try:
        names = os.stat(path).st_nlink
    except OSError:
        return
    if names > 1:
        raise UsageError(
            f"{path} is a hard link ({names} names for one file): the file written would "
            "take this name only, and the others would keep the old text; nothing was "
            "written (make it a file of its own first)"
        )


def _create_exclusive(path: Path, data: bytes) -> None:
    try:
        create_exclusive(path, data)
    except OSError as error:
        if isinstance(error, FileExistsError) and os.path.lexists(path):
            raise UsageError(f"{path} exists; aimsctl never overwrites a file") from None
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """fsync the folder, so the new name survives a crash (where the system allows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
