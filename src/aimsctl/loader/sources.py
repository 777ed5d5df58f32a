"""Where a load's files come from (FileSource), and files held in memory, as a git
revision gives them (FileTree)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from aimsctl import codes
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.links import Unfollowed, follow_links


class FileSource(Protocol):
    """Where a repository's files come from: a working tree or a git revision."""

    def paths(self) -> Iterable[str]: ...

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]: ...

    def unread_text(self, rel: str) -> bytes | None:
        """What a record file that cannot be read in full may hold records in: its
        bytes, or for a file git's index holds in a merge conflict, those of its sides;
        None when there are none."""
        ...

    def exists(self, rel: str) -> bool: ...

    def is_file(self, rel: str) -> bool: ...

    def is_empty(self, rel: str) -> bool:
        """Whether ``rel`` is a file (links followed) that holds no bytes."""
        ...

    def link_trouble(self, rel: str) -> Unfollowed | None:
        """Why a symbolic link on the way to ``rel`` cannot be followed inside the
        repository; None when none is in the way."""
        ...

    def followed(self, rel: str) -> str:
        """The path ``rel`` names once the symbolic links on its way are followed;
        ``rel`` itself where one cannot be (:meth:`link_trouble` says why)."""
        ...

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]: ...


@dataclass(frozen=True, slots=True)
class FileTree:
    """Files held in memory, e.g. read from a git revision.

    ``links`` holds the target of each symbolic link of the revision, by path: a path
    through one is answered as a checkout of the revision answers it.
    """

    files: dict[str, bytes]
    links: Mapping[str, str] = field(default_factory=dict)

    def _followed(self, rel: str) -> str | None:
        if not self.links:
            return rel
        found = follow_links(rel, self.links)
        return found if isinstance(found, str) else None

    def paths(self) -> Iterable[str]:
        return self.files

    def unread_text(self, rel: str) -> bytes | None:
        return self.read(rel)[0]

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        target = rel if rel in self.files else self._followed(rel)
        if target is not None and target in self.files:
            return self.files[target], None
        return None, Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, "file is missing", rel, 1, 1)

    def exists(self, rel: str) -> bool:
        target = self._followed(rel.rstrip("/"))
        if target is None:
            return False
        if target in ("", ".") or target in self.files:
            return True
        prefix = target + "/"
        return any(p.startswith(prefix) for p in self.files)

    def is_file(self, rel: str) -> bool:
        """Whether ``rel`` is a file; a path that only prefixes files is a folder."""
        target = self._followed(rel)
        return target is not None and target in self.files

    def is_empty(self, rel: str) -> bool:
        target = self._followed(rel)
        return target is not None and self.files.get(target) == b""

    def link_trouble(self, rel: str) -> Unfollowed | None:
        found = follow_links(rel, self.links) if self.links else None
        return found if isinstance(found, Unfollowed) else None

    def followed(self, rel: str) -> str:
        found = follow_links(rel, self.links) if self.links else rel
        return rel if isinstance(found, Unfollowed) else found

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]:
        return []
