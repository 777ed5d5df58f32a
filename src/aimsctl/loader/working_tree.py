"""The files on disk below a repository's root, each read once per run, with the
folders and submodules whose files could not be listed."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from aimsctl.diagnostics import Diagnostic
from aimsctl.links import DiskLinks, Unfollowed, follow_links
from aimsctl.loader.reading import path_exists, read_bytes, unreadable_file
from aimsctl.loader.selection import is_excluded, select_record_paths
from aimsctl.loader.walking import lies_inside, walk_files

SUBMODULE_NOT_CHECKED_OUT = (
    "folder is a submodule that is not checked out, so the records in it were not "
    "checked; run `git submodule update --init --recursive` (in CI, check out "
    "submodules too), or exclude it in aims.yaml"
)


def _unchecked_submodules(root: Path) -> tuple[str, ...]:
    """:meth:`WorkingTree.unchecked_submodules`: the work tree's top is the nearest
    folder holding `.git`; gitio (costly to import) is loaded only where it holds a
    .gitmodules file."""
    start = Path(os.path.abspath(root))
    for top in (start, *start.parents):
        try:
            if not os.path.lexists(top / ".git"):
                continue
            if not stat.S_ISREG(os.lstat(top / ".gitmodules").st_mode):
                return ()
        except (OSError, ValueError):
            return ()
        from aimsctl.gitio import unchecked_submodules

        prefix = start.relative_to(top).as_posix()
        return unchecked_submodules(top, "" if prefix == "." else prefix)
    return ()


def _sparse_problems(
    listed: Iterable[str], skipped: Iterable[str], exclude: tuple[str, ...]
) -> list[Diagnostic]:
    """One AIMS008 per folder below the root (or file at the root) holding record files
    a sparse checkout left off the disk (:func:`select_record_paths`: YAML, not hidden,
    not excluded); a folder with files on disk (``listed``) is only partly checked
    out."""
    on_disk = {rel.partition("/")[0] + "/" for rel in listed if "/" in rel}
    by_folder: dict[str, int] = {}
    for rel in select_record_paths(skipped, exclude):
        folder, slash, _ = rel.partition("/")
        key = folder + slash
        by_folder[key] = by_folder.get(key, 0) + 1
    problems = []
    for where, count in sorted(by_folder.items()):
        files = f"{count} record {'file' if count == 1 else 'files'}"
        if not where.endswith("/"):
            message = (
                "file is left out of this sparse checkout (in git's index, not on disk), "
                "so its records were not checked; run `git sparse-checkout disable` (or "
                "`git sparse-checkout add` it), or exclude it in aims.yaml"
            )
        elif where in on_disk:
            message = (
                f"folder is only partly checked out: {files} in git's index below it "
                f"{'is' if count == 1 else 'are'} left out of this sparse checkout, so "
                f"{'its' if count == 1 else 'their'} records were not checked; run `git "
                "sparse-checkout disable` (or `git sparse-checkout add` the files)"
            )
        else:
            message = (
                f"folder is left out of this sparse checkout ({files} in git's index, not "
                f"on disk), so {'its' if count == 1 else 'their'} records were not "
                "checked; run `git sparse-checkout disable` (or `git sparse-checkout add` "
                "it), or exclude it in aims.yaml"
            )
        problems.append(unreadable_file(where.rstrip("/"), message))
    return problems


class WorkingTree:
    """Files on disk below ``root``; each file is read once per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listing: list[str] | None = None
        self._skipped: list[tuple[str, str]] = []
        self._folders_inside: dict[str, bool] = {}
        self._read: dict[str, tuple[bytes | None, Diagnostic | None]] = {}
        self._unchecked: tuple[str, ...] | None = None
        self._sparse: tuple[str, ...] | None = None
        # Paths a listing of their folder found to be regular files (read_bytes's
        # ``listed_regular``): a subclass that lists the tree fills it.
        self._listed_regular: set[str] = set()
        # The names in each folder, listed once: see :meth:`_spelled_as_listed`.
        self._names: dict[Path, frozenset[str] | None] = {}

    def paths(self) -> Iterable[str]:
        if self._listing is None:
            self._listing = sorted(walk_files(self.root, self._skipped))
        return self._listing

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]:
        """An AIMS008 for every folder (not excluded) whose files could not be listed,
        and for every submodule that is not checked out (:meth:`unchecked_submodules`)."""
        self.paths()
        patterns = tuple(exclude)
        skipped = [
            *self._skipped,
            *((folder, SUBMODULE_NOT_CHECKED_OUT) for folder in self.unchecked_submodules()),
        ]
        return [
            *(
                unreadable_file(folder, why)
                for folder, why in sorted(skipped)
                if not (patterns and is_excluded(folder + "/", patterns))
            ),
            *_sparse_problems(self.paths(), self.sparse_skipped(), patterns),
        ]

    def unchecked_submodules(self) -> tuple[str, ...]:
        """The submodules below the root that are not checked out, whose records are
        then not on disk (:func:`aimsctl.gitio.unchecked_submodules`). Without a
        .gitmodules at the top of the git work tree, a few `lstat` calls and no git."""
        if self._unchecked is None:
            self._unchecked = _unchecked_submodules(self.root)
        return self._unchecked

    def sparse_skipped(self) -> tuple[str, ...]:
        """The files a sparse checkout left off the disk below the root (in git's index,
        not on disk), whose records are then not read; without a sparse-checkout file,
        a few `lstat` calls and no git."""
        if self._sparse is None:
            from aimsctl.gitio.sparse import sparse_skipped

            self._sparse = sparse_skipped(self.root)
        return self._sparse

    def unread_text(self, rel: str) -> bytes | None:
        return self.read(rel)[0]

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        if rel not in self._read:
            folder = rel.rpartition("/")[0]
            if folder and folder not in self._folders_inside:
                self._folders_inside[folder] = lies_inside(self.root / folder, self.root)
            if folder and not self._folders_inside[folder]:
                self._read[rel] = (
                    None,
                    unreadable_file(
                        rel,
                        "file lies in a folder reached through a symbolic link that leads "
                        "outside the repository; it is not read",
                    ),
                )
            else:
                self._read[rel] = read_bytes(self.root, rel, rel in self._listed_regular)
        return self._read[rel]

    def exists(self, rel: str) -> bool:
        return path_exists(self.root / rel) and self._spelled_as_listed(rel)

    def _spelled_as_listed(self, rel: str) -> bool:
        """Whether each name on ``rel``'s way is one its folder lists, as it is written.
        A file system that ignores letter case or how an accent is encoded (Windows,
        macOS), or that takes '\\' for '/' (Windows), finds `evidence/Plan.PDF` for
        `evidence/plan.pdf`; git and a Linux CI do not, so the answer would depend on
        the machine. A folder that cannot be listed is left to the file system."""
        folder = self.root
        for name in rel.split("/"):
            if name in ("", "."):
                continue
            if name == "..":  # only the file system knows where it leads
                folder = folder / name
                continue
            if folder not in self._names:
                try:
                    self._names[folder] = frozenset(os.listdir(folder))
                except (OSError, ValueError):
                    self._names[folder] = None
            names = self._names[folder]
            if names is not None and name not in names:
                return False
            folder = folder / name
        return True

    def bytes_read(self) -> Mapping[str, bytes]:
        """The bytes of every file read so far, by path: a view, not a copy (at 50,000
        files a copy would add 2 MB to the peak memory of validation)."""
        return _BytesRead(self._read)

    def is_file(self, rel: str) -> bool:
        """Whether ``rel`` is a regular file (links followed), not a folder or a device."""
        try:
            regular = stat.S_ISREG((self.root / rel).stat().st_mode)
        except (OSError, ValueError):
            return False
        return regular and self._spelled_as_listed(rel)

    def is_empty(self, rel: str) -> bool:
        try:
            found = (self.root / rel).stat()
        except (OSError, ValueError):
            return False
        return stat.S_ISREG(found.st_mode) and found.st_size == 0

    def followed(self, rel: str) -> str:
        found = follow_links(rel, DiskLinks(self.root))
        return rel if isinstance(found, Unfollowed) else found

    def link_trouble(self, rel: str) -> Unfollowed | None:
        # As a revision follows them first (an absolute target or `..` past the root is
        # outside), then as this file system does.
        followed = follow_links(rel, DiskLinks(self.root))
        if isinstance(followed, Unfollowed):
            return followed
        try:
            target = (self.root / rel).resolve()
        except (OSError, RuntimeError, ValueError):
            return Unfollowed.LOOP
        return None if target.is_relative_to(self.root.resolve()) else Unfollowed.OUTSIDE


class _BytesRead(Mapping[str, bytes]):
    """The files a :class:`WorkingTree` read, by path, that it could read."""

    def __init__(self, read: dict[str, tuple[bytes | None, Diagnostic | None]]) -> None:
        self._read = read

    def __getitem__(self, rel: str) -> bytes:
        raw = self._read[rel][0]
        if raw is None:
            raise KeyError(rel)
        return raw

    def __iter__(self) -> Iterator[str]:
        return (rel for rel, (raw, _) in self._read.items() if raw is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
