"""The history of one record from git: who changed it, when, and which fields.

The record is followed by id, not by file name: in every commit that touches a
YAML file below the governance root, the record is looked up in the changed
files on both sides of the commit (against its first parent), so a move to
another file or a rename is one entry, not a removal and an addition. Only the
changed files of each commit are read, and a blob is parsed only when its text
contains the id.

Fields are compared as written in the files (a record's history may cross
changes of aims.yaml that make older versions invalid today).

History is walked as ``git log FILE`` walks it (git's default history
simplification), with the record in place of the file: at a merge that leaves the
record as one of its parents had it, only that parent is followed, so a branch
whose change the merge discarded (``git merge -s ours``) is not part of the
record's history, and a change a merge brings in is listed once, at the commit
that made it. A merge that differs from every parent is listed with only what it
did itself: the fields it set to a value none of its parents had.

Nothing here prints: :func:`record_history` returns a :class:`History`, which
:mod:`aimsctl.outputs.log` renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aimsctl import codes, yamlsafe
from aimsctl.changes import management_events
from aimsctl.errors import RecordNotFound
from aimsctl.fielddiff import FieldChange, own_changes, same
from aimsctl.fileio import lfs_pointer
from aimsctl.loader import (
    CONFIG_FILE,
    YAML_SUFFIXES,
    parse_file,
    read_bytes,
    record_paths,
    select_record_paths,
)
from aimsctl.record_dates import named_ids
from aimsctl.text import natural_key

if TYPE_CHECKING:
    from aimsctl.gitio import Commit, CommitLog, FileChange

ADDED = "added"
CHANGED = "changed"
MOVED = "moved"
REMOVED = "removed"
UNREADABLE = "unreadable"  # the record's file cannot be parsed after the commit
REPAIRED = "repaired"  # ... and can be parsed again after this one
UNKNOWN = "unknown"  # its submodule's repository lacks the commit this one pins

SHALLOW_NOTE = (
    "the history before this commit was not fetched (shallow clone), so the record "
    "may be older than this"
)
SUBMODULE_NOTE = (
    "the commit its submodule was pinned at before this one is not in the submodule's "
    "repository (fetched shallow), so the record may be older than this"
)
UNFETCHED_AFTER_NOTE = (
    "its file is stored with Git LFS after this commit, and the LFS store lacks that "
    "content (`git lfs fetch --all` fetches it), so its fields are unknown"
)
UNFETCHED_BEFORE_NOTE = (
    "its file was stored with Git LFS before this commit, and the LFS store lacks that "
    "content (`git lfs fetch --all` fetches it), so what changed cannot be told"
)
UNPINNED_NOTE = (
    "the commit this one pins its submodule at is not in the submodule's repository "
    "(not updated after a pull: `git submodule update` fetches it), so whether the "
    "record changed here cannot be told"
)


@dataclass(frozen=True, slots=True)
class Found:
    """A record as written, and the file it is in.

    ``readable`` is false for a file that mentions the id but cannot be parsed
    (a YAML error, or not UTF-8 text): the record is there, its fields are unknown.
    ``fetched`` is false for the file the record was in that became a Git LFS pointer
    whose content the LFS store lacks: it cannot be read, so it may hold the record.
    """

    path: str
    data: dict[str, Any]
    readable: bool = True
    fetched: bool = True

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One change to the record: a commit, or the uncommitted working tree."""

    commit: str | None  # None: the working tree, not committed yet
    author: str | None
    email: str | None
    date: str | None  # commit date, ISO 8601
    subject: str | None
    change: str  # added | changed | moved | removed | unreadable | repaired | unknown
    path: str  # the record's file after the change (before it, for a removal)
    previous_path: str | None  # the file before, when it moved
    fields: tuple[FieldChange, ...]
    kind: str | None = None  # the record's kind after the change (before, for a removal)
    note: str | None = None
    # What the change did to the management system, in words ("nonconformity NC-1
    # closed (...)"): shown by the text format, derived from the fields (not in JSON).
    events: tuple[str, ...] = ()

    @property
    def uncommitted(self) -> bool:
        return self.commit is None

    def as_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "uncommitted": self.uncommitted,
            "author": self.author,
            "email": self.email,
            "date": self.date,
            "subject": self.subject,
            "change": self.change,
            "kind": self.kind,
            "path": self.path,
            "previous_path": self.previous_path,
            "fields": [change.as_json() for change in self.fields],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class History:
    """A record's changes, newest first."""

    id: str
    kind: str | None
    path: str | None  # where it is in the working tree; None when it was removed
    entries: tuple[LogEntry, ...]
    shallow: bool
    # Some version of a record file read is a Git LFS pointer whose content the LFS
    # store lacks: what that version held cannot be told, so changes may be missing.
    lfs_unfetched: bool = False
    # `--max-count` stopped the walk: older changes, if any, are not shown.
    capped: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "shallow": self.shallow,
            "lfs_unfetched": self.lfs_unfetched,
            "capped": self.capped,
            "entries": [entry.as_json() for entry in self.entries],
        }


def record_in(record_id: str, path: str, raw: bytes) -> Found | None:
    """The first document of a file whose ``id`` is ``record_id``, as written.

    None when the file does not hold the record. A file that cannot be parsed (a YAML
    error, or bytes that are not UTF-8 text) gives an unreadable Found when an ``id``
    key in it names the record (one that only refers to it, a risk naming its system,
    or a comment, does not hold it).
    """
    text, _ = yamlsafe.decode(raw)
    if text is None:
        return Found(path, {}, readable=False) if _names(record_id, raw) else None
    if record_id not in text:
        return None
    documents, problems = parse_file(path, raw)
    for document in documents:
        data = document.data
        if isinstance(data, dict) and data.get("id") == record_id:
            return Found(path, data)
    if _names(record_id, raw) and any(p.code != codes.NOT_A_RECORD for p in problems):
        return Found(path, {}, readable=False)
    return None


def _names(record_id: str, raw: bytes) -> bool:
    """Whether an ``id`` key outside the comments of a file names the record."""
    return record_id in named_ids(raw)


class _Finder:
    """Finds one record in files; each blob is parsed at most once."""

    def __init__(self, record_id: str, blob: Callable[[str], bytes]) -> None:
        self.record_id = record_id
        self._blob = blob
        self._cache: dict[tuple[str, str], Found | None] = {}

    def in_blob(self, path: str, sha: str) -> Found | None:
        if (path, sha) not in self._cache:
            self._cache[path, sha] = record_in(self.record_id, path, self._blob(sha))
        return self._cache[path, sha]

    def first(self, files: Iterable[tuple[str, str | None]]) -> Found | None:
        """The record in the first of ``(path, blob)`` that holds it, by path."""
        return _first(
            self.in_blob(path, sha)
            for path, sha in sorted((p, s) for p, s in files if s is not None)
        )

    def unfetched(self, sha: str | None) -> bool:
        """Whether blob ``sha`` is a Git LFS pointer whose content was not fetched
        (read as its pointer text)."""
        return sha is not None and lfs_pointer(self._blob(sha)) is not None

    def not_fetched(
        self,
        before: Found | None,
        after: Found | None,
        old: dict[str, str | None],
        new: dict[str, str | None],
    ) -> tuple[Found | None, Found | None]:
        """``before`` and ``after``, where the file the record is in at one side holds
        a Git LFS pointer whose content was not fetched at the other (blobs by path in
        ``old`` and ``new``): there the record is unreadable, neither removed nor added."""
        if after is None and before is not None and self.unfetched(new.get(before.path)):
            after = Found(before.path, {}, readable=False, fetched=False)
        elif before is None and after is not None and self.unfetched(old.get(after.path)):
            before = Found(after.path, {}, readable=False, fetched=False)
        return before, after


def _first(candidates: Iterable[Found | None]) -> Found | None:
    """The first readable record found, else the first unreadable file mentioning it."""
    unreadable: Found | None = None
    for found in candidates:
        if found is not None and found.readable:
            return found
        unreadable = unreadable or found
    return unreadable


def _first_in_bytes(record_id: str, files: Iterable[tuple[str, bytes | None]]) -> Found | None:
    return _first(
        record_in(record_id, path, raw)
        for path, raw in sorted(((p, r) for p, r in files if r is not None), key=lambda f: f[0])
    )


def _entry(
    before: Found | None,
    after: Found | None,
    commit: Commit | None,
    others: Sequence[Found | None] = (),
) -> LogEntry | None:
    """The change from ``before`` to ``after``; None when there is none.

    ``others`` is the record in a merge's other parents (``before`` is the first
    parent's): a field or a file the merge has from one of them is not its change.
    """
    sources = [other for other in others if other is not None and other.readable]
    note: str | None = None
    fields: tuple[FieldChange, ...]
    if after is not None and not after.readable:
        if before is not None and not before.readable and before.path == after.path:
            return None  # still unreadable
        change, fields, path = UNREADABLE, (), after.path
        previous = before.path if before is not None and before.path != after.path else None
        note = (
            "its file cannot be parsed after this commit (a YAML error, or not UTF-8 "
            "text), so its fields are unknown until the file is fixed"
            if after.fetched
            else UNFETCHED_AFTER_NOTE
        )
    elif after is not None and before is not None and not before.readable:
        change, fields, path = REPAIRED, (), after.path
        previous = before.path if before.path != after.path else None
        note = (
            "its file could not be parsed before this commit; now it can be again"
            if before.fetched
            else UNFETCHED_BEFORE_NOTE
        )
    elif after is not None and before is not None:
        fields = tuple(own_changes(before.data, after.data, [o.data for o in sources]))
        moved = before.path != after.path and all(o.path != after.path for o in sources)
        if not fields and not moved:
            return None
        change = CHANGED if fields else MOVED
        path, previous = after.path, before.path if moved else None
    elif after is not None:
        change, fields, path, previous = ADDED, (), after.path, None
    elif before is not None:
        change, fields, path, previous = REMOVED, (), before.path, None
    else:
        return None
    kind = next((f.kind for f in (after, before) if f is not None and f.kind), None)
    if commit is not None and commit.grafted and change == ADDED:
        note = SHALLOW_NOTE
    elif (
        commit is not None
        and change == ADDED
        and path.startswith(tuple(f"{unread}/" for unread in commit.unread))
    ):
        note = SUBMODULE_NOTE
    events: tuple[str, ...] = ()
    if change in (ADDED, CHANGED) and after is not None:
        record_id = after.data.get("id")
        rid = record_id if isinstance(record_id, str) else ""

        def said(old: Found | None) -> list[str]:
            data = old.data if old is not None else None
            return [event.text() for event in management_events(kind, rid, data, after.data)]

        # A merge's event is one it makes against each parent, not one a branch made.
        others_said = [said(other) for other in sources]
        events = tuple(e for e in said(before) if all(e in other for other in others_said))
    if commit is None:
        return LogEntry(
            None, None, None, None, None, change, path, previous, fields, kind, note, events
        )
    return LogEntry(
        commit.sha,
        commit.author_name,
        commit.author_email,
        commit.date,
        commit.subject,
        change,
        path,
        previous,
        fields,
        kind,
        note,
        events,
    )


def _same(a: Found | None, b: Found | None) -> bool:
    """Whether two versions are the same record: same file, same fields."""
    if a is None or b is None:
        return a is b
    return a.path == b.path and a.readable == b.readable and same(a.data, b.data)


def _in_parents(
    log: CommitLog, finder: _Finder, commit: Commit, excludes: _Excludes
) -> list[tuple[str, Found | None, Found | None]]:
    """Each other parent of a merge, with the record in it and in the merge, as
    found in the files that differ between the two."""
    found: list[tuple[str, Found | None, Found | None]] = []
    for parent in commit.parents[1:]:
        old, new = _sides(
            log, finder, excludes, parent, commit.sha, log.changes(parent, commit.sha)
        )
        found.append((parent, old, new))
    return found


class _Excludes:
    """The exclude globs of aims.yaml at each commit, as that commit has them: a file
    is a record at a commit when that commit's aims.yaml does not exclude it.

    A commit with no aims.yaml below the root, or one whose ``exclude`` cannot be
    read (a YAML error, not a list of text), is judged by ``fallback``, today's.
    """

    def __init__(self, log: CommitLog, fallback: tuple[str, ...]) -> None:
        self._log = log
        self._fallback = fallback
        self._by_commit: dict[str, tuple[str, ...]] = {}
        self._by_blob: dict[str, tuple[str, ...]] = {}

    def at(self, commit: str) -> tuple[str, ...]:
        if commit not in self._by_commit:
            blob = self._log.blob_at(commit, CONFIG_FILE)
            if blob is None:
                self._by_commit[commit] = self._fallback
            else:
                if blob not in self._by_blob:
                    self._by_blob[blob] = _exclude_in(self._log.blob(blob), self._fallback)
                self._by_commit[commit] = self._by_blob[blob]
        return self._by_commit[commit]


def _exclude_in(raw: bytes, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """The ``exclude`` globs an aims.yaml holds as written; ``fallback`` when they
    cannot be read."""
    text, _ = yamlsafe.decode(raw)
    if text is None:
        return fallback
    parsed = yamlsafe.parse(text)
    if parsed.problems or len(parsed.documents) != 1:
        return fallback
    data = parsed.documents[0].data
    if not isinstance(data, dict):
        return fallback
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        return fallback
    return tuple(exclude)


def _is_record(path: str, exclude: tuple[str, ...]) -> bool:
    return bool(select_record_paths([path], exclude))


def _sides(
    log: CommitLog,
    finder: _Finder,
    excludes: _Excludes,
    old: str | None,
    new: str,
    changes: Iterable[FileChange],
    unread: tuple[str, ...] = (),
) -> tuple[Found | None, Found | None]:
    """The record before and after a change from commit ``old`` (None: nothing) to
    ``new``, each side's files judged by its own aims.yaml. Only the ``changes``
    are searched, unless the two exclude different files: then every file of
    both, since a file can become a record (or stop being one) unchanged; the
    files of a submodule in ``unread`` (:attr:`Commit.unread`) are then left out
    before the change, as its changes leave them out."""
    after_exclude = excludes.at(new)
    before_exclude = excludes.at(old) if old is not None else after_exclude
    if before_exclude == after_exclude:
        records = [c for c in changes if _is_record(c.path, after_exclude)]
        return finder.not_fetched(
            finder.first((c.path, c.old) for c in records),
            finder.first((c.path, c.new) for c in records),
            {c.path: c.old for c in records},
            {c.path: c.new for c in records},
        )
    below = tuple(f"{path}/" for path in unread)
    before = [c for c in log.files(old) if not c.path.startswith(below)] if old is not None else []
    before = [c for c in before if _is_record(c.path, before_exclude)]
    after = [c for c in log.files(new) if _is_record(c.path, after_exclude)]
    return finder.not_fetched(
        finder.first((c.path, c.new) for c in before),
        finder.first((c.path, c.new) for c in after),
        {c.path: c.new for c in before},
        {c.path: c.new for c in after},
    )


def record_history(
    root: Path, record_id: str, exclude: Sequence[str] = (), max_count: int | None = None
) -> History:
    """The changes to one record, newest first, the uncommitted state included.

    ``exclude`` are the exclude globs of aims.yaml (files they match are not
    records). Raises RecordNotFound when no record has the id in the working
    tree or in any commit, and GitError when ``root`` is not in a git repository.
    """
    from aimsctl import gitio

    patterns = tuple(exclude)
    current, holding = _in_working_tree(root, record_id, patterns)
    entries: list[LogEntry] = []

    def full() -> bool:
        # One past the limit, so that `capped` says whether an older change exists.
        return max_count is not None and len(entries) > max_count

    with gitio.CommitLog(root, YAML_SUFFIXES) as log:
        shallow = log.has_commits and log.shallow
        finder = _Finder(record_id, log.blob)
        excludes = _Excludes(log, patterns)
        uncommitted = _entry(
            *_uncommitted(log, finder, excludes, record_id, patterns, current, holding), None
        )
        if uncommitted is not None and not full():
            entries.append(uncommitted)
        # The commits that change some YAML file; the others leave the record alone.
        touching = {commit.sha: commit for commit in log.commits()}
        # The commits whose version of the record leads to the current one.
        reached: set[str] = set()
        # Commits pinning a submodule at a commit its repository lacks, each with the
        # number of entries newer than it.
        gaps: list[tuple[int, Commit]] = []
        for index, (sha, parents) in enumerate(log.graph()):  # children before parents
            if full():
                break
            if index and sha not in reached:  # the first is the start of the walk
                continue  # only behind a merge that did not take the record from there
            commit = touching.get(sha)
            before, after = (
                _sides(
                    log,
                    finder,
                    excludes,
                    next(iter(parents), None),
                    sha,
                    commit.changes,
                    commit.unread,
                )
                if commit is not None
                else (None, None)
            )
            if commit is not None and commit.unpinned:
                gaps.append((len(entries), commit))
            if commit is None or _same(before, after):
                reached.update(parents[:1])  # as its first parent had it
                continue
            others: list[Found | None] = []
            if len(parents) > 1:
                # As `git log FILE` does: a merge that has the record as one of its
                # parents had it is followed into that parent only, so what other
                # branches did to it and the merge dropped is not its history.
                found = _in_parents(log, finder, commit, excludes)
                kept = next((p for p, old, new in found if _same(old, new)), None)
                if kept is not None:
                    reached.add(kept)
                    continue
                others = [old for _parent, old, _new in found]
            reached.update(parents)
            entry = _entry(before, after, commit, others)
            if entry is not None:
                entries.append(entry)
    _add_gaps(entries, gaps)
    capped = max_count is not None and len(entries) > max_count
    if max_count is not None:
        del entries[max_count:]
    if current is None and not entries:
        raise RecordNotFound(_not_found(root, record_id, patterns))
    kind = next(
        (k for k in (current.kind if current else None, *(e.kind for e in entries)) if k), None
    )
    return History(
        record_id,
        kind,
        current.path if current else _pointer_left(root, entries),
        tuple(entries),
        shallow,
        bool(log.unfetched),
        capped,
    )


def _pointer_left(root: Path, entries: list[LogEntry]) -> str | None:
    """Where the record is in a working tree whose file of it is still the Git LFS
    pointer its newest entry could not read: it is there, unread, not removed."""
    newest = entries[0] if entries else None
    if newest is None or newest.note != UNFETCHED_AFTER_NOTE:
        return None
    raw, _ = read_bytes(root, newest.path)
    return newest.path if raw is not None and lfs_pointer(raw) is not None else None


def _add_gaps(entries: list[LogEntry], gaps: list[tuple[int, Commit]]) -> None:
    """An ``unknown`` entry at each commit of ``gaps`` (with the number of entries
    newer than it) that pins the submodule the record was in before it, as its next
    older entry has it, at a commit the submodule's repository lacks: the record's
    files there cannot be read, so it would look unchanged."""
    for position, commit in reversed(gaps):
        older = next((e for e in entries[position:] if e.commit != commit.sha), None)
        below = tuple(f"{path}/" for path in commit.unpinned)
        if older is None or older.change == REMOVED or not older.path.startswith(below):
            continue
        entries.insert(
            position,
            LogEntry(
                commit.sha,
                commit.author_name,
                commit.author_email,
                commit.date,
                commit.subject,
                UNKNOWN,
                older.path,
                None,
                (),
                older.kind,
                UNPINNED_NOTE,
            ),
        )


def _uncommitted(
    log: CommitLog,
    finder: _Finder,
    excludes: _Excludes,
    record_id: str,
    exclude: tuple[str, ...],
    current: Found | None,
    holding: Mapping[str, bytes],
) -> tuple[Found | None, Found | None]:
    """The record at HEAD and in the working tree, each side's files judged by its
    own aims.yaml (the working tree's is ``exclude``). In a submodule whose
    repository lacks the commit HEAD pins (not updated), neither side is known.
    ``holding``: the working tree's files that hold the record, as read; one git
    ignores (.gitignore, .git/info/exclude) is still compared with HEAD, since
    validate and diff read it."""
    head = log.head() if log.has_commits else None
    head_exclude = excludes.at(head) if head is not None else exclude
    if head is not None and head_exclude != exclude:
        files = log.files(head)
        unread = tuple(f"{path}/" for path in log.unpinned(head))
        return finder.first(
            (c.path, c.new) for c in files if _is_record(c.path, head_exclude)
        ), None if current is not None and current.path.startswith(unread) else current
    # A submodule not updated has no files at HEAD here: its files are not new.
    not_updated = tuple(f"{path}/" for path in log.unpinned(head)) if head is not None else ()
    read = {rel: raw for rel, raw in holding.items() if not rel.startswith(not_updated)}
    work = log.worktree_changes(known=read)
    return (
        _first_in_bytes(
            record_id, ((c.path, c.head) for c in work if _is_record(c.path, head_exclude))
        ),
        _first_in_bytes(
            record_id, ((c.path, c.worktree) for c in work if _is_record(c.path, exclude))
        ),
    )


def _in_working_tree(
    root: Path, record_id: str, exclude: tuple[str, ...]
) -> tuple[Found | None, dict[str, bytes]]:
    """The record in the working tree, reading only files that mention its id, and the
    bytes of the files that hold it (or name it but cannot be parsed), by path."""
    candidates: list[Found | None] = []
    holding: dict[str, bytes] = {}
    for rel in record_paths(root, exclude):
        raw, _ = read_bytes(root, rel)
        if raw is not None:
            found = record_in(record_id, rel, raw)
            candidates.append(found)
            if found is not None:
                holding[rel] = raw
    return _first(candidates), holding


def _not_found(root: Path, record_id: str, exclude: tuple[str, ...]) -> str:
    from aimsctl.validation_messages import did_you_mean

    ids: set[str] = set()
    for rel in record_paths(root, exclude):
        raw, _ = read_bytes(root, rel)
        if raw is None:
            continue
        documents, _ = parse_file(rel, raw)
        for document in documents:
            data = document.data
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                ids.add(data["id"])
    hint = did_you_mean(record_id, sorted(ids, key=natural_key))
    return (
        f"no record with id {record_id!r} in {root} or in its git history (ids are "
        f"case-sensitive){hint}"
    )
