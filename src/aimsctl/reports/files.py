"""Report files on disk: write the rendered reports, or say which are stale.

Only the fixed file names a render returns are ever written, each atomically
(the reader sees the old file or the new one, never half); a file whose bytes
would not change is left alone, so its modification time means something.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from pathlib import Path

from aimsctl.errors import UsageError
from aimsctl.fileio import NotAllWritten, first_folder, make_folders, remove_folders, write_all
from aimsctl.reports import Rendered, same_report


def stale_reports(out: Path, rendered: Mapping[str, str]) -> list[str]:
    """One line per report in ``out`` that is missing or differs from ``rendered``.

    A folder in a report's place is a usage error, as it is to :func:`write_reports`:
    the write that --check calls for would refuse it."""
    folder = first_folder(out / file for file in rendered)
    if folder is not None:
        raise UsageError(f"{folder}: is a folder, not a file, so no report can be written there")
    stale: list[str] = []
    for file, text in rendered.items():
        path = out / file
        if path.exists() and not path.is_file():  # a pipe, or a link to one: never read it
            stale.append(f"{path}: differs (not a regular file)")
            continue
        try:
            existing = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            stale.append(f"{path}: missing")
            continue
        except UnicodeDecodeError:
            stale.append(f"{path}: differs (not UTF-8 text)")
            continue
        except OSError as error:
            if error.errno == errno.ELOOP and path.is_symlink():  # the write replaces the link
                stale.append(f"{path}: differs (not a regular file)")
                continue
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
        if not same_report(existing, text):
            stale.append(f"{path}: differs")
    return stale


def write_reports(out: Path, rendered: Rendered, wrote: Callable[[Path], None]) -> tuple[int, int]:
    """Write the reports into ``out``, all those that changed or none, then call
    ``wrote`` for each file written; how many were written and unchanged. Nothing is
    printed until every file is written: with its reader gone (``| head -1``) a run
    ends at its first line. A folder ``out`` this run made is removed again when
    nothing could be written into it."""
    try:
        made = make_folders(out)
    except OSError as error:
        # The reason names the folder that could not be made (``out``, or one above it).
        raise UsageError(f"--out {out}: {error.strerror or error}") from None
    try:
        changed = _changed(out, rendered)
        write_all(changed)
    except NotAllWritten as error:
        if not error.written:
            remove_folders(made)
        for written in error.written:  # a rename refused part way
            wrote(written)
        raise UsageError(error.describe()) from None
    except BaseException:
        remove_folders(made)
        raise
    for written in changed:
        wrote(written)
    return len(changed), len(rendered) - len(changed)


def _changed(out: Path, rendered: Rendered) -> dict[Path, bytes]:
    """The reports whose bytes differ from those in ``out``. Every place is checked
    before anything is written, so that a folder in a report's place, or a report
    that cannot be read, leaves no partial set."""
    folder = first_folder(out / file for file in rendered)
    if folder is not None:
        raise UsageError(f"cannot write {folder}: it is a folder, not a file; nothing was written")
    changed: dict[Path, bytes] = {}
    for file in rendered:
        path = out / file
        data = rendered.data(file)
        try:
            found = path.read_bytes() if path.is_file() else None
            # the same bytes, or the same with CRLF line ends (a core.autocrlf checkout)
            if found == data or (b"\r" not in data and found == data.replace(b"\n", b"\r\n")):
                continue
        except OSError as error:
            raise UsageError(
                f"cannot read {path}: {error.strerror or error}; nothing was written"
            ) from None
        changed[path] = data
    return changed
