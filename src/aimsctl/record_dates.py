"""When records came into being, and when systems last changed significantly, from git.

Two dates the records do not carry but the rules need:

- a record's *creation*: the commit date of the oldest commit whose files hold its
  id (a record not committed yet is created on the as-of date). A record never
  reviewed falls due for review counting from it (AIMS501).
- a system's last *material change*: the newest commit that changed its purpose,
  type, stage, decisions, data, third parties, oversight, regulation or
  jurisdictions (and the as-of date when the working tree changes them). An
  approved impact assessment older than that no longer describes the system
  (AIMS407).

In a shallow clone the history stops at the oldest commits fetched, whose parents
are missing: a record they hold may be older than they are, so its creation is
unknown, and a system's change before them cannot be seen (``shallow_from``); the
rules then say they cannot tell rather than assume the history began there. A
partial clone (``--filter=blob:none``) lacks the contents of past commits, which
aimsctl never fetches: no date is known there (``partial``), and the rules say so. So
it is where record files are stored with Git LFS and the LFS store lacks the content
of a past version read (``lfs_unfetched``): its pointer names no record, so a record
would seem younger than it is.

A record in a submodule changes where a superproject commit moves the submodule to
another commit, dated by that superproject commit (when the governance repository
took the change). A submodule fetched shallow lacks the commits pinned before: the
newest commit that moves it from one it lacks is read as a shallow clone's oldest
commit is, what it holds there of unknown age and a change before it unseen
(``submodule_gaps``); for the records below it only, not the superproject's own
(:meth:`RecordDates.stops_at`). A submodule not updated after a pull lacks the
commit the newest move pins: whether that move changed a record cannot be told.

Commits dated after the as-of date are left out, so a run pinned with ``--as-of``
sees the history as it stood that day. Records are followed by id, so a move to
another file is not a new record. Only the files that commits change are read, and
each blob is parsed only when it names a wanted id; what a blob names is kept by
blob id (:class:`BlobMemo`), so validate's cache spares a later run reading it. What
the walk over the commits gives (:class:`CommittedDates`) is kept there too, by what
it depends on: a later run whose HEAD and history did not move, asking the same, takes
it and compares only the working tree with HEAD again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aimsctl import yamlsafe
from aimsctl.errors import LFS_NOT_FETCHED, NO_GIT, PARTIAL_CLONE, GitError
from aimsctl.loader import YAML_SUFFIXES
from aimsctl.vocabulary import MATERIAL_FIELDS

if TYPE_CHECKING:
    from aimsctl.gitio import CommitLog, HeadChanges

# An `id` key and its value, in any style a record may be written in: block (`id: X`),
# flow or JSON (`{"id": "X"}`), behind a tag or an anchor. It finds the files that
# may hold a record; only parsing them tells (a nested `id` costs a parse, no more).
# The pattern starts with the key's letters, which the regex engine finds fast; what
# stands before them is checked in id_keys (a quote, then the start, a space, `{` or
# `,`), so `valid:` or `paid:` is no `id` key.
_ID_KEY = re.compile(
    rb"id['\"]?[ \t]*:[ \t]*(?:[&!][^ \t\r\n]*[ \t]+)*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)"
)
_BEFORE_KEY = frozenset(b" \t\r\n{,")
_QUOTES = frozenset(b"'\"")
# The bytes of a byte order mark a file may start with: UTF-8's, or UTF-16's and
# UTF-32's once their NUL bytes are gone (yamlsafe.narrowed).
_BYTE_ORDER_MARKS = b"\xef\xbb\xbf\xfe\xff"


@dataclass(frozen=True, slots=True)
class HistoryStop:
    """Where the history of a record stops: ``on``, the date of the commit before
    which (and in which) nothing is known of it. ``submodule``: the path of the
    submodule whose repository lacks a commit that commit pins (None: the commit is
    a shallow clone's oldest); ``not_updated``: it lacks the commit pinned there,
    the submodule not updated since (`git submodule update` fetches it), not only
    one pinned before (fetched shallow)."""

    on: date
    submodule: str | None = None
    not_updated: bool = False


@dataclass
class RecordDates:
    """Dates taken from git history; absent ids have none (not asked, or held by the
    oldest commit of a shallow clone, so of unknown age)."""

    created: dict[str, date] = field(default_factory=dict)
    material_change: dict[str, date] = field(default_factory=dict)
    # A shallow clone: the date of its oldest fetched commit, before which (and in
    # which) nothing is known. None when the whole history is there.
    shallow_from: date | None = None
    # The submodules, by path below the governance root, that some commit moves from
    # or to a commit their repository lacks: the newest such commit, before which (and
    # in which) nothing is known of the records below that path.
    submodule_gaps: dict[str, HistoryStop] = field(default_factory=dict)
    # The wanted records such a commit holds in the submodule, by id: the newest (they
    # may be below another path now, the submodule moved since).
    held_at_gap: dict[str, HistoryStop] = field(default_factory=dict)
    # A partial clone: the contents of past commits are missing, so no date is known.
    partial: bool = False
    # Record files stored with Git LFS, some past version of which the LFS store lacks
    # (read as its pointer, it names no record): no date is known either.
    lfs_unfetched: bool = False
    # A git repository, but no git program to read its history with.
    no_git: bool = False
    # A git repository that git cannot read (a damaged HEAD, a linked work tree whose
    # folder in the main repository is gone): git's reason.
    unreadable: str | None = None
    # The working tree compared with HEAD on the way (see CommitLog.compared): the
    # run's later questions about HEAD take it rather than hash every file again.
    head_changes: HeadChanges | None = field(default=None, repr=False, compare=False)

    @property
    def unknown(self) -> str | None:
        """Why no date at all can be known (a partial clone, Git LFS contents not
        fetched), in words that say what to do; None when dates are known."""
        if self.partial:
            return PARTIAL_CLONE
        if self.lfs_unfetched:
            return LFS_NOT_FETCHED
        if self.no_git:
            return NO_GIT
        if self.unreadable is not None:
            return f"git cannot read the history: {self.unreadable}"
        return None

    def stops_at(self, record_id: str, path: str) -> HistoryStop | None:
        """Where the history of a record (``record_id``, in the file ``path`` below
        the governance root) stops: a shallow clone's oldest commit, or the newest
        move of the submodule it is in (or was in there) from or to a commit the
        submodule's repository lacks, the later. None when its whole history is
        there."""
        found = [
            stop for folder, stop in self.submodule_gaps.items() if path.startswith(f"{folder}/")
        ]
        return _newest([*found, *self._created_stops(record_id)])

    def creation_stop(self, record_id: str) -> HistoryStop | None:
        """Where the history stops of a record whose creation is unknown: the commit
        that already holds it (a shallow clone's oldest, or a move of its submodule
        from a commit the submodule's repository lacks), the later."""
        return _newest(self._created_stops(record_id))

    def _created_stops(self, record_id: str) -> list[HistoryStop]:
        held = self.held_at_gap.get(record_id)
        shallow = HistoryStop(self.shallow_from) if self.shallow_from is not None else None
        return [stop for stop in (held, shallow) if stop is not None]


def _newest(stops: list[HistoryStop]) -> HistoryStop | None:
    """The stop of the newest commit (the first of those of one day)."""
    return max(stops, key=lambda stop: stop.on, default=None)


def _newer(held: HistoryStop | None, stop: HistoryStop) -> HistoryStop:
    """``stop`` when it is newer than ``held`` (commits come newest first)."""
    return stop if held is None or stop.on > held.on else held


@dataclass(frozen=True, slots=True)
class FileIds:
    """What one file's bytes name: the ids its ``id`` keys give and, once parsed, the
    material fields (:func:`_material`) of each record it holds, by id. A file is
    parsed only when a wanted id is on one of its lines; ``material`` is None until."""

    ids: frozenset[str]
    material: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class CommittedDates:
    """What the commits tell of the wanted records, the working tree left aside: the
    walk over the history, which a run whose HEAD, history and question are those of
    an earlier one need not make again (:meth:`BlobMemo.committed`). Each mapping in
    the order the walk found it (newest commit first); ``created`` before the ids
    held by a shallow clone's oldest commit (``unknown``) are taken out, and
    ``material_change`` without the systems the working tree changes (those were
    not asked)."""

    created: tuple[tuple[str, date], ...] = ()
    unknown: frozenset[str] = frozenset()
    material_change: tuple[tuple[str, date], ...] = ()
    shallow_from: date | None = None
    submodule_gaps: tuple[tuple[str, HistoryStop], ...] = ()
    held_at_gap: tuple[tuple[str, HistoryStop], ...] = ()


class BlobMemo(Protocol):
    """What committed files name, by git blob id (a blob's bytes never change, so
    neither does this), and the last walk's :class:`CommittedDates` by what it
    depends on: kept between runs by :class:`aimsctl.cache.HistoryCache`."""

    def get(self, sha: str) -> FileIds | None: ...

    def put(self, sha: str, found: FileIds) -> None: ...

    def committed(self, key: str) -> CommittedDates | None:
        """The walk's answer kept for ``key`` (what the walk depends on in the
        repository: the memo adds what it reads of git's state itself); None."""
        ...

    def keep_committed(self, key: str, found: CommittedDates) -> None: ...


class _NoMemo:
    """No memo (``--no-cache``): every blob is read when asked for, and nothing about
    it is held, so memory stays flat however long the history."""

    def get(self, sha: str) -> FileIds | None:
        return None

    def put(self, sha: str, found: FileIds) -> None:
        return None

    def committed(self, key: str) -> CommittedDates | None:
        return None

    def keep_committed(self, key: str, found: CommittedDates) -> None:
        return None


def id_keys(raw: bytes) -> frozenset[str]:
    """The ids a file's ``id`` keys give, found without parsing it (a file that cannot
    be parsed too): every record it may hold, and perhaps more."""
    found = set()
    raw = yamlsafe.narrowed(raw)  # a file saved as UTF-16 still holds its records
    start = len(raw) - len(raw.lstrip(_BYTE_ORDER_MARKS))  # an `id` first, after a mark
    for match in _ID_KEY.finditer(raw):
        before = match.start() - 1
        if before >= start and raw[before] in _QUOTES:
            before -= 1
        if before < start or raw[before] in _BEFORE_KEY:
            found.add(match.group(1).decode())
    return frozenset(found)


# A YAML comment: a `#` at the start of a line or after a space, with no quote before
# it on its line (a quoted `#` starts none). `# raised from id: R-7` holds no record.
_COMMENT = re.compile(rb"(?m)^([^'\"\r\n]*?)(?<![^ \t\r\n])#[^\r\n]*")
# A line that starts with something other than indentation or a sequence entry: in a
# block-style file, where the `id` keys of the records themselves are.
_UNINDENTED = re.compile(rb"(?m)^(?:---[ \t]*)?(?![ \t]|-[ \t\r\n])[^\r\n]*")


def named_ids(raw: bytes) -> frozenset[str]:
    """The ids the ``id`` keys outside a file's comments give, found without parsing
    it (a file that cannot be parsed too): what `aimsctl log` finds a record by in a
    file it cannot read."""
    return id_keys(_COMMENT.sub(rb"\1", raw))


def unindented_ids(raw: bytes) -> frozenset[str]:
    """:func:`named_ids`, of the ``id`` keys at the start of a line where there are any:
    in a file written in block style those are its records' ids, and an indented one
    is nested in a record (an audit's ``  - id: F-1`` finding holds no record). A file
    in flow or JSON style gives every id."""
    raw = _COMMENT.sub(rb"\1", yamlsafe.narrowed(raw))
    unindented = id_keys(b"\n".join(m.group(0) for m in _UNINDENTED.finditer(raw)))
    return unindented or id_keys(raw)


def _file_ids(raw: bytes | None, wanted: set[str]) -> FileIds:
    """What a file names, parsed when one of the ids its ``id`` keys give is wanted."""
    if raw is None:
        return FileIds(frozenset(), {})
    ids = id_keys(raw)
    if not wanted & ids:
        return FileIds(ids)
    material: dict[str, str] = {}
    text, _ = yamlsafe.decode(raw)
    for document in yamlsafe.parse(text).documents if text is not None else ():
        data = document.data
        if isinstance(data, dict):
            record_id = data.get("id")  # any YAML value: a list cannot be looked up
            if isinstance(record_id, str) and record_id not in material:
                material[record_id] = _material(data)
    return FileIds(ids, material)


def _wanted(files: Iterable[FileIds], wanted: set[str]) -> dict[str, str]:
    """The wanted records found in some files (one side of a change), by id: their
    material fields, the first file naming an id winning."""
    found: dict[str, str] = {}
    for file in files:
        for record_id, material in (file.material or {}).items():
            if record_id in wanted:
                found.setdefault(record_id, material)
    return found


class _RunBytes:
    """The bytes the run read of a committed file's path, where they are the blob.

    A committed blob whose id is the hash of the bytes the run read at its path holds
    those very bytes, so it is taken from them instead of from git: where a commit
    added the files the working tree still holds (a repository's first commit adds
    them all), reading them again cost a `git cat-file` of every file (1,000 records:
    50 ms of a 250 ms validation after the imports). Only the files of the blobs
    asked for are hashed, so a run that asks for a few blobs (the history cache
    knowing the rest) hashes a few files. The ids are not kept: a table of 50,000 of
    them weighs on the peak memory of validation, while a file is hashed again only
    where another commit added its path. A Git LFS pointer is left to git, which reads
    it as the content the LFS store holds.

    HEAD's own files were hashed already, when the working tree was compared with
    HEAD: ``unmatched_at_head`` names those whose bytes read are not HEAD's blob
    (:attr:`aimsctl.gitio.CommitLog.read_at_head`), and the bytes of the others are,
    so a blob of HEAD's tree (``at_head``) is not hashed again (a repository's first
    commit, when it is HEAD, adds every file).

    ``ids`` names the blob of each file's bytes where that is known without hashing
    (git's index names the blob of each file it holds, for ``validate --staged``):
    the bytes are taken where their id is the blob asked for, and nothing is hashed.
    """

    def __init__(
        self,
        known: Mapping[str, bytes] | None,
        unmatched_at_head: frozenset[str] | None = None,
        ids: Mapping[str, str] | None = None,
    ) -> None:
        self._known = known if known is not None else {}
        self._unmatched_at_head = unmatched_at_head
        self._ids = ids

    def get(self, path: str, sha: str, at_head: bool = False) -> bytes | None:
        """The bytes the run read of ``path`` where they are the blob ``sha``;
        ``at_head``: ``sha`` is HEAD's blob at ``path``."""
        raw = self._known.get(path)
        if raw is None:
            return None
        from aimsctl.fileio import lfs_pointer
        from aimsctl.gitio.blobs import blob_id

        if lfs_pointer(raw) is not None:
            return None
        if self._ids is not None:
            return raw if self._ids.get(path) == sha else None
        head = self._unmatched_at_head
        if at_head and head is not None and path not in head:
            return raw
        return raw if blob_id(raw, "sha1" if len(sha) == 40 else "sha256") == sha else None


def _in_blobs(
    log: CommitLog,
    files: list[tuple[str, str]],
    wanted: set[str],
    memo: BlobMemo,
    run_bytes: _RunBytes,
    at_head: bool = False,
) -> dict[str, str]:
    """:func:`_wanted` of committed files (path, blob id), the first in ``files``
    naming an id winning: a blob is read from git only when the memo does not already
    tell what is wanted of it and the run did not read its bytes (``run_bytes``), a
    chunk of blobs at a time with one git process (a first commit may add every
    file: memory holds one chunk). ``at_head``: the files are HEAD's, each blob
    HEAD's at its path (the new side of HEAD's own commit)."""
    found: dict[str, tuple[int, str]] = {}  # id: (where its file comes, material)

    def take(position: int, file: FileIds) -> None:
        for record_id, material in (file.material or {}).items():
            held = found.get(record_id)
            if record_id in wanted and (held is None or position < held[0]):
                found[record_id] = (position, material)

    for start in range(0, len(files), log.CHUNK):
        unread: dict[str, tuple[int, bytes | None]] = {}  # blob id: where first, bytes held
        for position, (path, sha) in enumerate(files[start : start + log.CHUNK], start):
            file = memo.get(sha)
            if file is None or (file.material is None and not wanted.isdisjoint(file.ids)):
                if sha not in unread:
                    unread[sha] = (position, run_bytes.get(path, sha, at_head))
            else:
                take(position, file)
        from_git = log.blobs([sha for sha, (_, held) in unread.items() if held is None])
        for sha, (position, held) in unread.items():
            file = _file_ids(next(from_git) if held is None else held, wanted)
            if sha not in log.unfetched:  # a pointer's content may be fetched later
                memo.put(sha, file)
            take(position, file)
    return {record_id: material for record_id, (_, material) in found.items()}


def _material(record: dict[str, Any]) -> str:
    """The material fields as text, so `true` and `1` are told apart."""
    return json.dumps([record.get(name) for name in MATERIAL_FIELDS], sort_keys=True, default=str)


def _changed_materially(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Records on both sides whose material fields differ (an addition is not a change,
    nor is a move to another file)."""
    return [
        record_id
        for record_id in before.keys() & after.keys()
        if before[record_id] != after[record_id]
    ]


def _walked(
    log: CommitLog,
    as_of: date,
    asked: tuple[set[str], set[str], frozenset[str]],
    memo: BlobMemo,
    run_bytes: _RunBytes,
    head: tuple[str, frozenset[str]] | None,
) -> CommittedDates:
    """The walk over the commits: creation dates of ``asked[0]`` and last material
    changes of ``asked[1]`` but those the working tree changes (``asked[2]``), with
    what a shallow clone's oldest commit or a submodule's missing commits leave
    unknown. ``head``: HEAD's commit and its files whose bytes read are not its blob."""
    wanted_created, wanted_systems, by_worktree = asked
    wanted = wanted_created | wanted_systems
    created: dict[str, date] = {}
    material_change: dict[str, date] = {}
    shallow_from: date | None = None
    submodule_gaps: dict[str, HistoryStop] = {}
    held_at_gap: dict[str, HistoryStop] = {}
    unknown: set[str] = set()  # held by a shallow clone's oldest commit
    later: set[str] = set()  # systems changed materially after the as-of date
    for commit in log.commits():
        day = date.fromisoformat(commit.date[:10])
        added = [(f.path, f.new) for f in commit.changes if f.new]
        # What HEAD's own commit adds (never what it removes) is HEAD's files.
        at_head = head is not None and commit.sha == head[0]
        if commit.grafted:  # its parents were not fetched: what it holds may be older
            awaiting = set() if day > as_of else later - material_change.keys()
            found = _in_blobs(log, added, wanted_created | awaiting, memo, run_bytes, at_head)
            unknown.update(found.keys() & wanted_created)
            for system_id in awaiting & found.keys():
                material_change[system_id] = as_of  # it existed by then: changed since
            shallow_from = min(day, shallow_from or day)
            continue
        # A commit dated after the as-of date made nothing by then, but what it changes
        # is in the files judged: a material change of a system that existed by then is
        # dated on the as-of day, as one not committed yet is (skipped, a purpose widened
        # and committed a day after a pinned AIMSCTL_AS_OF escaped AIMS407). It waits
        # in ``later`` until an older commit shows the system existed; a system first
        # committed after the as-of date changed nothing by then.
        future = day > as_of
        if future:
            day = as_of
        for path in commit.unread:  # a submodule's files before it are not in its repository
            stop = HistoryStop(day, path, path in commit.unpinned)
            submodule_gaps[path] = _newer(submodule_gaps.get(path), stop)
            held = [
                (f.path, f.new) for f in commit.changes if f.new and f.path.startswith(path + "/")
            ]
            for record_id in _in_blobs(log, held, wanted, memo, run_bytes, at_head):
                if record_id in wanted_created:
                    unknown.add(record_id)  # it may be older than the commit
                held_at_gap[record_id] = _newer(held_at_gap.get(record_id), stop)
        removed = [(f.path, f.old) for f in commit.changes if f.old]
        pending = wanted_systems - by_worktree - material_change.keys()
        awaiting = set() if future else later - material_change.keys()
        # A change is told from a system's fields on both sides: a commit that
        # replaces or deletes no file (a repository's first) changes none, so
        # its files are parsed only for the records whose creation is wanted.
        parsed_for = (wanted_created | pending if removed else wanted_created) | awaiting
        if future:
            parsed_for = parsed_for - wanted_created
        new = _in_blobs(log, added, parsed_for, memo, run_bytes, at_head)
        for system_id in awaiting & new.keys():
            material_change[system_id] = as_of  # it existed by then: changed since
        for record_id in () if future else wanted_created & new.keys():
            created[record_id] = day  # older commits come later (--date-order)
        if pending & new.keys():
            old = _in_blobs(log, removed, pending, memo, run_bytes)
            for system_id in _changed_materially(old, new):
                if future:
                    later.add(system_id)
                else:
                    material_change.setdefault(system_id, day)
    return CommittedDates(
        tuple(created.items()),
        frozenset(unknown),
        tuple(material_change.items()),
        shallow_from,
        tuple(submodule_gaps.items()),
        tuple(held_at_gap.items()),
    )


def record_dates(
    root: Path,
    as_of: date,
    created_of: Iterable[str],
    systems: Iterable[str],
    known: Mapping[str, bytes] | None = None,
    memo: BlobMemo | None = None,
    at: str | None = None,
    tree: Mapping[str, bytes] | None = None,
    compared: HeadChanges | None = None,
    tree_ids: Mapping[str, str] | None = None,
) -> RecordDates | None:
    """Creation dates of ``created_of`` and last material changes of ``systems``;
    ``known`` holds the bytes of the files the run read, by path (they stand for
    the working tree's, and are not read again); ``memo`` tells what committed
    files name without reading them again (none by default). ``at`` (a commit)
    takes the dates of the records as they are in that commit, from its history:
    the working tree plays no part. ``tree`` (the files by path, such as git's
    index) stands for the working tree: what differs from HEAD there is a change
    not committed yet. ``compared``: the working tree compared with HEAD earlier in
    the run, with the same ``known`` (report provenance, :func:`aimsctl.gitio.head_changes`),
    not compared again where it still holds. ``tree_ids``: the blob id of each file
    of ``tree``, by path, where git's index names it (:func:`aimsctl.gitio.read_index`):
    such a file is neither hashed nor read from git again for its blob.

    None when ``root`` is in no git repository at all: there is no history, and the
    rules say what that leaves unknown. A repository git cannot read is not taken for
    none: its dates are unknown (:attr:`RecordDates.unknown` says why), since a
    history there is, which may date what the rules look for.
    """
    from aimsctl import gitio

    wanted_created, wanted_systems = set(created_of), set(systems)
    dates = RecordDates()
    if not wanted_created and not wanted_systems:
        return dates
    memo = _NoMemo() if memo is None else memo
    try:
        with gitio.CommitLog(root, YAML_SUFFIXES, at or "HEAD") as log:
            if at is not None:
                work = []
            elif tree is not None:
                work = log.changes_to(tree, tree_ids)
            else:
                work = log.worktree_changes(known=known, compared=compared)
                dates.head_changes = log.compared
            before = _wanted((_file_ids(c.head, wanted_systems) for c in work), wanted_systems)
            after = _wanted((_file_ids(c.worktree, wanted_systems) for c in work), wanted_systems)
            for system_id in _changed_materially(before, after):
                dates.material_change[system_id] = as_of
            head = log.read_at_head  # HEAD's files whose bytes the run read, hashed
            if tree is not None and tree_ids is not None:
                run_bytes = _RunBytes(tree, ids=tree_ids)
            else:
                run_bytes = _RunBytes(known, head[1] if head is not None else None)
            part = None
            state = log.walk_state() if at is None else None
            by_worktree = frozenset(dates.material_change)  # not asked of the commits
            key = None
            if state is not None:  # what the walk depends on here, as text
                asked = [sorted(wanted_created), sorted(wanted_systems), sorted(by_worktree)]
                key = json.dumps([state, as_of.isoformat(), *asked])
                part = memo.committed(key)
            if part is None:
                asked_of = (wanted_created, wanted_systems, by_worktree)
                part = _walked(log, as_of, asked_of, memo, run_bytes, head)
                if key is not None and not log.unfetched:
                    memo.keep_committed(key, part)
            dates.created = dict(part.created)
            for system_id, day in part.material_change:
                dates.material_change.setdefault(system_id, day)
            dates.shallow_from = part.shallow_from
            dates.submodule_gaps = dict(part.submodule_gaps)
            dates.held_at_gap = dict(part.held_at_gap)
            committed, unknown = set(dates.created), part.unknown
    except GitError as error:
        if gitio.git_missing(error):  # a history there is, but no program to read it
            return RecordDates(no_git=True)
        if gitio.is_partial_clone(root):  # a blob of a past commit is not there
            return RecordDates(partial=True)
        if isinstance(error, gitio.NotInRepository):  # a plain folder: no history at all
            return None
        return RecordDates(unreadable=str(error))
    if log.unfetched:  # what the versions not fetched held cannot be told
        return RecordDates(lfs_unfetched=True)
    for record_id in wanted_created - committed - unknown:
        dates.created[record_id] = as_of  # not committed yet: created now
    for record_id in unknown:
        dates.created.pop(record_id, None)
    return dates
