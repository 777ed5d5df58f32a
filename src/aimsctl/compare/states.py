"""The records of one side of a comparison, by id: each as written, and validated
where it is valid; and the files that side cannot read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aimsctl import codes
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.errors import LFS_NOT_IN_STORE, LFS_NOT_PULLED
from aimsctl.fileio import lfs_pointer
from aimsctl.loader import parse_file, printable_path
from aimsctl.record_dates import unindented_ids
from aimsctl.repository import Repository
from aimsctl.revision import Snapshot


@dataclass(frozen=True, slots=True)
class RecordState:
    """A record at one revision: as written, and validated where it is valid."""

    id: str
    kind: str | None
    path: str
    raw: Any
    record: Any | None  # the validated record; None when it is invalid
    dumps: dict[int, Any]  # validated data by record object, shared by both sides

    @property
    def valid(self) -> bool:
        return self.record is not None

    @property
    def data(self) -> Any | None:
        """The validated data in JSON form (None when invalid), made when first asked
        for: a record both sides share is never compared field by field."""
        if self.record is None:
            return None
        key = id(self.record)
        if key not in self.dumps:
            self.dumps[key] = self.record.model_dump(
                mode="json", exclude_defaults=True, by_alias=True
            )
        return self.dumps[key]

    def text(self, kind: type, name: str) -> str | None:
        """A text field of the record: validated where it is a valid record of ``kind``,
        else as written (an invalid record is judged by what it says); None where it
        holds no text there."""
        if isinstance(self.record, kind):
            value = getattr(self.record, name, None)
        else:
            value = self.raw.get(name) if isinstance(self.raw, dict) else None
        return value if isinstance(value, str) else None


def raw_documents(
    repo: Repository, ids: set[str], only: list[str] | None = None
) -> dict[str, tuple[str, Any]]:
    """Where invalid records are and what they say as written, by id (in the files
    ``only`` names, where given)."""
    source = repo.source
    found: dict[str, tuple[str, Any]] = {}
    if source is None:
        return found

    def scan(paths: Iterable[str]) -> None:
        for path in paths:
            raw, _ = source.read(path)
            if raw is None:
                continue
            documents, _ = parse_file(path, raw)
            for document in documents:
                data = document.data
                record_id = data.get("id") if isinstance(data, dict) else None
                if isinstance(record_id, str) and record_id in ids and record_id not in found:
                    found[record_id] = (path, data)

    if only is not None:
        scan(only)
        return found
    # The diagnostics about an invalid record name its file; look there first.
    scan(sorted({d.path for d in repo.diagnostics if d.record in ids}))
    if ids - found.keys():
        scan(repo.paths)
    return found


def duplicated_ids(repo: Repository | None) -> dict[str, list[str]]:
    """Ids more than one record gives (AIMS105), each with the files that give it."""
    found: dict[str, set[str]] = {}
    for diagnostic in repo.diagnostics if repo is not None else ():
        if diagnostic.code == codes.DUPLICATE_ID and diagnostic.record is not None:
            found.setdefault(diagnostic.record, set()).add(diagnostic.path)
    return {record_id: sorted(paths) for record_id, paths in sorted(found.items())}


def written_in(repo: Repository, record_id: str, path: str, dumps: dict[int, Any]) -> RecordState:
    """The record ``record_id`` as the file at ``path`` writes it (its first document
    of that id), taken as invalid: one of the records that give a duplicated id."""
    raw = raw_documents(repo, {record_id}, [path])
    data = raw[record_id][1] if record_id in raw else None
    written = data.get("kind") if isinstance(data, dict) else None
    kind = repo.invalid.get(record_id) or (written if isinstance(written, str) else None)
    return RecordState(record_id, kind, path, data, None, dumps)


def repeated_keys(repo: Repository | None) -> dict[str, str]:
    """Records whose YAML gives a key twice (AIMS005, waived or not), by id: the first
    place, as ``path:line:col: message``. aimsctl reads the first value and many YAML
    readers the last, so what such a record says cannot be told for certain."""
    found: dict[str, str] = {}
    if repo is None:
        return found
    for diagnostic in sorted(repo.diagnostics, key=lambda d: d.sort_key()):
        if diagnostic.code == codes.DUPLICATE_KEY and diagnostic.record is not None:
            found.setdefault(
                diagnostic.record,
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.message}",
            )
    return found


def set_apart_repeated_keys(repo: Repository | None) -> None:
    """Take each record that gives a key twice (see :func:`repeated_keys`) as invalid at
    this side, before anything is worked out from its records: what it says cannot be
    told, so it is compared as written, a gate cannot judge it, and it counts in no
    score, tier or Statement of Applicability (a hidden first `inherent:` line once
    passed for a risk back within the appetite)."""
    if repo is None:
        return
    worked_out = {"_by_kind", "risk_scores", "risks_by_system", "tiers"} & repo.__dict__.keys()
    assert not worked_out, f"set apart before {worked_out} are worked out from the records"
    for record_id in repeated_keys(repo):
        entry = repo.entries.pop(record_id, None)
        if entry is not None:
            repo.invalid[record_id] = entry.record.kind


def record_states(
    snapshot: Snapshot, dumps: dict[int, Any] | None = None
) -> tuple[dict[str, RecordState], dict[str, str]]:
    """Every record of a side by id, and the files that side cannot read (path: why).

    ``dumps`` shares the validated data of record objects that both sides hold
    (see ParseMemo): an unchanged record is one object at both sides. An invalid
    record (a record that gives a key twice included: :func:`set_apart_repeated_keys`)
    is compared as written.
    """
    repo = snapshot.repository
    if repo is None:
        return {}, {}
    dumps = {} if dumps is None else dumps
    states: dict[str, RecordState] = {}
    for record_id, entry in repo.entries.items():
        states[record_id] = RecordState(
            record_id,
            entry.record.kind,
            entry.document.source.path,
            entry.document.data,
            entry.record,
            dumps,
        )
    if repo.invalid:
        raw = raw_documents(repo, set(repo.invalid))
        for record_id, kind in repo.invalid.items():
            if record_id not in raw:
                continue
            path, data = raw[record_id]
            written = data.get("kind")
            states[record_id] = RecordState(
                record_id,
                kind or (written if isinstance(written, str) else None),
                path,
                data,
                None,
                dumps,
            )
    unreadable: dict[str, str] = {}
    for diagnostic in sorted(repo.diagnostics, key=lambda d: d.sort_key()):
        if diagnostic.severity is not Severity.ERROR or diagnostic.path in unreadable:
            continue
        if diagnostic.code in codes.UNREADABLE:
            unreadable[diagnostic.path] = diagnostic.message
        elif _lfs_pointer(repo, diagnostic):
            # A revision's content comes from the LFS store, which `git lfs pull` fills
            # for the checkout only.
            where = LFS_NOT_PULLED if snapshot.sha is None else LFS_NOT_IN_STORE
            unreadable[diagnostic.path] = f"the file {where}"
    return states, unreadable


def unreadable_ids(
    snapshot: Snapshot, states: dict[str, RecordState], unreadable: dict[str, str]
) -> dict[str, str]:
    """The ids of the records a side's unreadable files may hold and that it read
    nowhere else, each with the first such file by name.

    A file that cannot be parsed (a YAML syntax error, bytes that are not UTF-8 text),
    and one whose name is not UTF-8 (the loader reads none: validate reports it), still
    names its records: their ids are found by the ``id`` keys, as `aimsctl log` finds a
    record in such a file (:func:`~aimsctl.record_dates.unindented_ids`). At HEAD a
    record there is unreadable, not removed, wherever it went (its own file, one it
    moved to, a new file); at BASE only where that file is its own at HEAD (repaired in
    place), so that no other broken file spares a record added at HEAD its gates.
    """
    repo = snapshot.repository
    if repo is None or repo.source is None or not unreadable:
        return {}
    source = repo.source
    # The loader names a file whose name is not UTF-8 by its escapes (printable_path);
    # it is read by the name the source lists.
    listed = {path: path for path in unreadable}
    if any("\\" in path for path in unreadable):
        for rel in source.paths():
            shown = printable_path(rel)
            if shown != rel and shown in unreadable:
                listed[shown] = rel
    found: dict[str, str] = {}
    for path in sorted(unreadable):
        raw, _ = source.read(listed[path])
        if raw is None:
            continue
        for record_id in sorted(unindented_ids(raw) - states.keys()):
            found.setdefault(record_id, path)
    return found


def _lfs_pointer(repo: Repository, diagnostic: Diagnostic) -> bool:
    """Whether ``diagnostic`` is AIMS003 on a file that is a Git LFS pointer whose
    content was never fetched: what it holds cannot be read, so a record there is
    neither removed nor added."""
    if diagnostic.code != codes.NOT_A_RECORD or repo.source is None:
        return False
    raw, _ = repo.source.read(diagnostic.path)
    return raw is not None and lfs_pointer(raw) is not None
