"""AIMS010: record files that a checkout on Windows or macOS cannot hold as they are."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.fileio import windows_device
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import composed, path_key

if TYPE_CHECKING:
    from aimsctl.repository import Repository

# Characters Windows does not allow in a file or folder name (control characters too).
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def _clash_words(first: str, second: str) -> str:
    """How two paths with one :func:`path_key` differ, and where they are one file."""
    if first.casefold() == second.casefold():
        return "differ only in letter case: Windows and macOS keep"
    if composed(first) == composed(second):
        # NTFS compares names code point by code point; macOS file systems do not.
        return (
            "differ only in how an accented letter is encoded (composed or decomposed): macOS keeps"
        )
    return "differ only in letter case and in how an accented letter is encoded: macOS keeps"


def _windows_problem(rel: str, folders: dict[str, str | None]) -> str | None:
    """Why Windows cannot create the path ``rel``, in words, or None; ``folders`` keeps
    the answer for each folder already judged (most records share a few)."""
    folder, _, name = rel.rpartition("/")
    if folder not in folders:
        folders[folder] = next(filter(None, map(_name_problem, folder.split("/"))), None)
    return folders[folder] or _name_problem(name)


def _name_problem(name: str) -> str | None:
    """Why Windows cannot create a file or folder named ``name``, in words, or None."""
    device = windows_device(name)
    if device is not None:
        return f"{name!r} is the device name {device}, which Windows reserves"
    forbidden = _WINDOWS_FORBIDDEN.search(name)
    if forbidden is not None:
        return f"{name!r} holds {forbidden.group()!r}, which Windows does not allow in a name"
    if name.endswith((".", " ")):
        return f"{name!r} ends in {name[-1]!r}, which Windows drops from a name"
    return None


@rule(
    codes.UNPORTABLE_FILE_NAME,
    Severity.WARNING,
    summary="A record file's path cannot be checked out as it is on Windows or macOS: it "
    "differs from another record file's only in letter case (one file on Windows and "
    "macOS) or in how an accented letter is encoded (one file on macOS), or a name in it "
    "is one Windows reserves (`con`, `aux`, `nul`, `com1`..., with any extension), holds "
    'a character Windows does not allow (`< > : " | ? * \\`) or ends in a dot or a space.',
    why="Records are read where the people who keep them work. On a file system that "
    "ignores letter case (Windows, macOS) or accent encoding (macOS) two such files are "
    "checked out as one, so a colleague there silently works without one of the records; "
    "a name Windows refuses "
    "keeps the checkout from completing. Documented information has to be available "
    "where it is needed (7.5.3).",
    fix="Rename the file (`git mv`) so that no two record paths differ only in letter "
    "case or accent encoding, and no name is a Windows device name, holds one of those "
    "characters or ends in a dot or a space.",
    example="risks/R-001.yaml and risks/r-001.yaml   # one file on Windows and macOS",
)
def unportable_file_name(repo: Repository) -> Iterator[Finding]:
    # A file that cannot be read (AIMS008: its name not UTF-8, among others) is named
    # there, by a printable stand-in for its name that is not its name.
    unreadable = {d.path for d in repo.diagnostics if d.code == codes.UNREADABLE_FILE}
    by_key: dict[str, list[str]] = defaultdict(list)
    folders: dict[str, str | None] = {}
    for rel in repo.paths:  # sorted
        if rel in unreadable:
            continue
        by_key[path_key(rel)].append(rel)
        problem = _windows_problem(rel, folders)
        if problem is not None:
            yield Finding(f"{problem}: no Windows checkout can hold {rel}; rename it", path=rel)
    for same in by_key.values():
        first = same[0]
        for other in same[1:]:
            # Names that differ only in accent encoding look alike: show their code points.
            shown = (
                (other, first)
                if other.casefold() == first.casefold()
                else (ascii(other), ascii(first))
            )
            yield Finding(
                f"{shown[0]} and {shown[1]} {_clash_words(other, first)} "
                "one file for both names, so a checkout there loses one of the records; "
                "rename one",
                path=other,
            )
