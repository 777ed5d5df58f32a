"""Symbolic links of a git revision, followed as a checkout's file system follows them.

A revision read from git holds each link as its target text; a path through one
(a linked file, or a file in a linked folder) is answered as in a checkout. A working
tree's links are followed by the same rule (:class:`DiskLinks`), so a link that only
this machine can follow (an absolute target, or one that climbs out of the root and
back in) is refused on both sides alike.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

__all__ = [
    "DATA_SUFFIXES",
    "MAX_LINKS",
    "DiskLinks",
    "LinkTargets",
    "Unfollowed",
    "first_link",
    "follow_links",
    "link_not_read",
]


class Unfollowed(enum.Enum):
    """Why a path cannot be followed through the symbolic links on its way."""

    OUTSIDE = "outside"  # a link leads out of the repository (absolute, or `..` past it)
    LOOP = "loop"  # links round a loop, or more in a row than the system follows


MAX_LINKS = 40  # links followed in a row, as the system follows them before ELOOP


class LinkTargets(Protocol):
    """The target of each symbolic link, by its path relative to the root (None where
    the path is no link): a revision's committed links, or a working tree's."""

    def get(self, path: str, /) -> str | None: ...


class DiskLinks:
    """A working tree's symbolic links, read as :func:`follow_links` asks for them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, path: str, /) -> str | None:
        try:
            return os.readlink(self.root / path)
        except (OSError, ValueError):  # no link (EINVAL), no file, or a name refused
            return None


def follow_links(rel: str, links: LinkTargets) -> str | Unfollowed:
    """The path that ``rel`` (relative to the root) names once every symbolic link on
    its way is followed, as the file system of a checkout follows it: a folder that is
    a link as well as the file itself, each target relative to the link's folder.
    ``links`` holds the target of each committed link, by path."""
    pending = rel.split("/")[::-1]
    done: list[str] = []
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not done:
                return Unfollowed.OUTSIDE
            done.pop()
            continue
        done.append(part)
        target = links.get("/".join(done))
        if target is None:
            continue
        hops += 1
        if hops > MAX_LINKS:
            return Unfollowed.LOOP
        if target.startswith("/"):
            return Unfollowed.OUTSIDE
        done.pop()
        pending.extend(target.split("/")[::-1])
    return "/".join(done)


def first_link(rel: str, links: Mapping[str, str]) -> str | None:
    """The first path on the way to ``rel`` (a folder above it, or ``rel`` itself) that
    is a committed symbolic link; None when no link is in the way."""
    if not links:
        return None
    parts = rel.split("/")
    for end in range(1, len(parts) + 1):
        path = "/".join(parts[:end])
        if path in links:
            return path
    return None


DATA_SUFFIXES = (".yaml", ".yml", ".csv")  # the files a revision's link is read as


def link_not_read(rel: str, links: Mapping[str, str]) -> str:
    """Why the committed symbolic link ``rel`` was not read as the data file it leads to
    (in the working tree's words where they apply)."""
    found = follow_links(rel, links)
    if found is Unfollowed.OUTSIDE:
        return "symbolic link leads outside the repository; it is not read"
    if found is Unfollowed.LOOP:
        return "symbolic link loop: the link leads back to itself; remove it"
    if not found.endswith(DATA_SUFFIXES):
        return (
            f"symbolic link leads to {found!r}, which is not a .yaml, .yml or .csv file; "
            "at a git revision it is not read"
        )
    return "symbolic link points to a file that does not exist; fix or remove the link"
