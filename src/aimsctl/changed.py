"""`validate --changed-since`: what a change does to the findings, wherever they land.

A pull request that deletes a cited evidence file, or a risk another record points
to, breaks records it never touched. So both sides are validated in full: the base
revision (read from git's objects, nothing checked out) and the working tree. What
is reported:

- every finding in a file that differs between the two (edited, staged,
  untracked, deleted, both sides of a rename);
- every finding in the working tree that the base revision did not have, in
  whatever file it lands;
- every finding on aims.yaml, which is about the whole repository.

A finding present at the base and still present, in a file the change did not
touch, is not reported: the change did not cause it. Two findings are the same
when their code, severity, file, record, JSON pointer and message match (and the
waiver, for waived ones); in the message, what another file contributes and a
change elsewhere alters without altering the problem is ignored: the line numbers
of other places (``also used at risks/a.yaml:12:5``) and the closest existing id
offered as a hint (``did you mean 'SYS-B'?``). Positions are compared too, but
only to pair findings up when a file holds several identical ones.

When the base revision has no aims.yaml (the records are being added) or one that
cannot be used, every finding is new. The error and warning counts are those of
what is reported.

Both sides are loaded with one :class:`ParseMemo`, so a file identical on both is
parsed and schema-checked once. The validation cache is not used: the base has to
be validated anyway, and the memo already saves what the cache would.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.engine import run
from aimsctl.errors import ConfigError
from aimsctl.links import Unfollowed, follow_links, link_not_read
from aimsctl.loader import (
    CONFIG_FILE,
    FOLDER_LINK_OUT,
    SUBMODULE_NOT_CHECKED_OUT,
    YAML_SUFFIXES,
    ParseMemo,
    is_excluded,
    printable_path,
)
from aimsctl.record_dates import RecordDates
from aimsctl.repository import load_repository

if TYPE_CHECKING:
    from aimsctl.gitio import ChangesSince

__all__ = ["BaseTree", "check_changes", "new_findings", "same_finding_key"]

# `risks/a.yaml:12` in a message names another place; its line moves when that file
# is edited above it, which does not change the problem.
_OTHER_PLACE = re.compile(r"(\.ya?ml):\d+(?::\d+)?")
# The "did you mean" hint offers the closest existing id, which any added or
# removed record can change.
_HINT = re.compile(r"; did you mean (?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\?")


STAGED_CONFLICT = (
    "the file is in an unresolved merge conflict: git's index holds the versions of both "
    "sides and commits none until one is staged; resolve the conflict (keep the version "
    "you want, or combine them, without the marker lines), then `git add` the file"
)


class BaseTree:
    """The files of the base revision, as a :class:`aimsctl.loader.FileSource`.

    YAML and CSV files (monitors' observations) are held in memory; every other path
    (evidence, documentation) is only listed, so that "does this path exist" is
    answered as a checkout of that revision would answer it, without reading large
    files: through its symbolic links too (``links``, the target of each, by path).

    A link a checkout would report is reported here too (AIMS008), so that the
    pre-commit hook stops what CI's checkout would fail on, and `--changed-since`
    does not take a checkout's finding for new: one named like a record file that
    was not read (it leads out, to nothing, round a loop), and, given ``root`` (the
    governance root on disk), one leading out to a folder there.
    """

    def __init__(
        self,
        files: dict[str, bytes],
        paths: Iterable[str],
        unchecked: Iterable[str] = (),
        links: Mapping[str, str] | None = None,
        conflicted: Mapping[str, bytes] | None = None,
        root: Path | None = None,
        empty: Iterable[str] = (),
    ) -> None:
        self._files = files
        self._empty = frozenset(empty)  # regular files with no bytes, read or not
        self._unchecked = tuple(unchecked)  # submodules never initialised
        self._links = dict(links or {})
        self._root = root
        # Paths git's index holds in an unresolved merge conflict: listed, never read
        # as a file; the bytes of their sides say which records they may hold.
        self._sides = dict(conflicted or {})
        self._conflicted = frozenset(self._sides)
        self._paths = frozenset(paths) | frozenset(files) | self._conflicted
        self._folders = frozenset(
            path.rsplit("/", depth)[0]
            for path in self._paths
            for depth in range(1, path.count("/") + 1)
        )
        # A checkout lists such a link as a file, and reading it says why it fails.
        self._unread_links = frozenset(
            rel
            for rel in self._links
            if rel not in files and rel.lower().endswith(YAML_SUFFIXES) and not self._to_folder(rel)
        )

    def _to_folder(self, rel: str) -> bool:
        """Whether the link ``rel`` leads to a folder inside the root (which a checkout
        walks past: no file there is read through it)."""
        found = follow_links(rel, self._links)
        return isinstance(found, str) and (found in ("", ".") or found in self._folders)

    def _folder_outside(self, rel: str) -> bool:
        """Whether the link ``rel``, leading out of the root, leads to a folder on this
        machine, as the working tree's walk finds it (a link to a file outside that is
        not named like a record is no record file, and goes unreported there too)."""
        if self._root is None or follow_links(rel, self._links) is not Unfollowed.OUTSIDE:
            return False
        # An absolute target replaces what comes before it.
        place = Path(os.path.join(self._root, os.path.dirname(rel), self._links[rel]))
        # Wherever the folder is on this machine (even back inside the root): the walk
        # refuses such a link as a revision does (`lies_inside`).
        try:
            return place.is_dir()
        except (OSError, ValueError):
            return False

    def _followed(self, rel: str) -> str | None:
        if not self._links:
            return rel
        found = follow_links(rel, self._links)
        return found if isinstance(found, str) else None

    def paths(self) -> Iterable[str]:
        others = (self._conflicted | self._unread_links) - self._files.keys()
        return [*self._files, *sorted(others)]

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        target = rel if rel in self._files else self._followed(rel)
        if target is not None and target in self._files:
            return self._files[target], None
        if target is not None and target in self._conflicted:
            return None, Diagnostic(codes.YAML_SYNTAX, Severity.ERROR, STAGED_CONFLICT, rel, 1, 1)
        if rel in self._unread_links:
            message = link_not_read(rel, self._links)
            return None, Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, message, rel, 1, 1)
        return None, Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, "file is missing", rel, 1, 1)

    def unread_text(self, rel: str) -> bytes | None:
        target = self._followed(rel)
        if target is not None and target in self._sides:
            return self._sides[target]
        return self.read(rel)[0]

    def exists(self, rel: str) -> bool:
        target = self._followed(rel.rstrip("/"))
        if target is None:
            return False
        return target in ("", ".") or target in self._paths or target in self._folders

    def is_file(self, rel: str) -> bool:
        target = self._followed(rel)
        return target is not None and target in self._paths and target not in self._folders

    def is_empty(self, rel: str) -> bool:
        target = self._followed(rel)
        return target is not None and (target in self._empty or self._files.get(target) == b"")

    def link_trouble(self, rel: str) -> Unfollowed | None:
        found = follow_links(rel, self._links) if self._links else None
        return found if isinstance(found, Unfollowed) else None

    def followed(self, rel: str) -> str:
        found = follow_links(rel, self._links) if self._links else rel
        return rel if isinstance(found, Unfollowed) else found

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]:
        """An AIMS008 for every submodule never initialised and every link to a folder
        outside the root (neither hidden nor excluded), whose files are not read, as for
        the working tree."""
        patterns = tuple(exclude)
        linked_out = [
            rel
            for rel in self._links
            if not (rel.startswith(".") or "/." in rel) and self._folder_outside(rel)
        ]
        skipped = [
            *((rel, SUBMODULE_NOT_CHECKED_OUT) for rel in self._unchecked),
            *((rel, FOLDER_LINK_OUT) for rel in linked_out),
        ]
        return [
            Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, why, rel, 1, 1)
            for rel, why in sorted(skipped)
            if not (patterns and is_excluded(rel + "/", patterns))
        ]


def check_changes(root: Path, rev: str, as_of: date) -> ValidationResult:
    """Validate the working tree at ``root`` and report what changed since ``rev``.

    Raises GitError for an unusable revision or a folder outside git, and
    ConfigError when the working tree's aims.yaml is unusable (exit 2).
    """
    from aimsctl import gitio  # GitPython is loaded only by the commands that read git

    sha = gitio.resolve_revision(root, rev)  # an unusable revision fails before any work
    memo = ParseMemo()
    working = load_repository(root, as_of, memo=memo, two_cores=True)
    # Monitors read their observations from CSV files: the base needs their bytes too.
    # The working tree's files were just read: they are compared with the base as read.
    base = gitio.changes_since(root, sha, (*YAML_SUFFIXES, ".csv"), working.files_read())
    head = run(working)
    based = validate_base(root, base, as_of, memo, working.history)
    return replace(new_findings(head, based, base.changed), changed_since=sha)


def validate_base(
    root: Path,
    base: ChangesSince,
    as_of: date,
    memo: ParseMemo | None = None,
    history: RecordDates | None = None,
) -> ValidationResult | None:
    """The validation result of the base revision; None when it has no usable aims.yaml.

    ``history`` is the working tree's git history: both sides take the dates of
    records (creation, material changes) from the same history, so a finding about
    such a date is new only where the records differ.
    """
    if CONFIG_FILE not in base.files:
        return None
    try:
        repository = load_repository(
            root,
            as_of,
            source=BaseTree(base.files, base.paths, links=base.links, root=root, empty=base.empty),
            memo=memo,
        )
    except ConfigError:
        return None  # the change repairs aims.yaml (or adds it): everything is new
    repository.history = history
    return run(repository)


def same_finding_key(diagnostic: Diagnostic) -> tuple[str, ...]:
    """What makes two findings the same problem, on either side of a change."""
    message = _HINT.sub("", _OTHER_PLACE.sub(r"\1", diagnostic.message))
    return (
        diagnostic.code,
        str(diagnostic.severity),
        diagnostic.path,
        diagnostic.record or "",
        diagnostic.pointer,
        message,
        diagnostic.waived_by or "",
    )


@dataclass(frozen=True, slots=True)
class _Place:
    key: tuple[str, ...]
    line: int
    column: int


def _unmatched(found: list[Diagnostic], before: list[Diagnostic]) -> set[int]:
    """The indexes of ``found`` with no counterpart in ``before``, one for one.

    Pairs at the same position are made first, so that when a file holds several
    identical findings the ones that were already there are the ones matched.
    """
    exact = Counter(_Place(same_finding_key(d), d.line, d.column) for d in before)
    left: list[tuple[int, tuple[str, ...]]] = []
    for index, d in enumerate(found):
        place = _Place(same_finding_key(d), d.line, d.column)
        if exact[place] > 0:
            exact[place] -= 1
        else:
            left.append((index, place.key))
    loose: Counter[tuple[str, ...]] = Counter()
    for place, count in exact.items():
        loose[place.key] += count
    new: set[int] = set()
    for index, key in left:
        if loose[key] > 0:
            loose[key] -= 1
        else:
            new.add(index)
    return new


def new_findings(
    head: ValidationResult, base: ValidationResult | None, changed: Iterable[str]
) -> ValidationResult:
    """``head`` narrowed to what the change brings (see the module docstring).

    ``changed`` are the paths that differ between the base and the working tree;
    ``base`` is None when the base revision has no usable aims.yaml.
    """
    # Diagnostics name a file whose name is not UTF-8 by its printable form.
    touched = {printable_path(path) for path in changed} | {CONFIG_FILE}

    def keep(found: list[Diagnostic], before: list[Diagnostic] | None) -> list[Diagnostic]:
        new = set(range(len(found))) if before is None else _unmatched(found, before)
        return [d for index, d in enumerate(found) if d.path in touched or index in new]

    return replace(
        head,
        diagnostics=keep(head.diagnostics, None if base is None else base.diagnostics),
        waived=keep(head.waived, None if base is None else base.waived),
        paths=[path for path in head.paths if path in touched],
    )
