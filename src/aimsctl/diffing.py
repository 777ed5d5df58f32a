"""Compare the governance records of two revisions: what a change does to governance.

Records are matched by id, never by file, so a record that moves to another file
is one record with a new path, not a removal and an addition. Each side is a
:class:`Repository` loaded on its own, with its own aims.yaml: a change of the
scale, bands or appetite re-scores that side's risks through its own scorer, and
the comparison shows the result.

Fields are compared on the validated data (levels resolved to numbers, dates in
ISO form, defaults left out), so writing ``Likely`` as ``4`` is no change. A record
that is invalid at one of the two revisions cannot be validated there; both
sides are then compared as written, and the comparison says so.

Nothing here prints: :func:`compare` returns a plain :class:`Changes`, which the
formats in :mod:`aimsctl.diff_formats` render.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from aimsctl import codes
from aimsctl.diagnostics import Severity, pointer_of
from aimsctl.errors import ConfigError
from aimsctl.loader import CONFIG_FILE, YAML_SUFFIXES, FileTree, ParseMemo, parse_file
from aimsctl.records import AISystem, Control, ImpactAssessment, Risk
from aimsctl.repository import Repository, load_repository
from aimsctl.scoring import UNASSESSED, Scorer
from aimsctl.vocabulary import CONTROL_STATUS_ORDER

# --fail-on names: the ways a change can make governance worse.
APPETITE_CROSSED = "appetite-crossed"
TIER_RAISED = "tier-raised"
CONTROL_REGRESSED = "control-regressed"
SOA_EXCLUSION_ADDED = "soa-exclusion-added"
FAIL_ON = (APPETITE_CROSSED, TIER_RAISED, CONTROL_REGRESSED, SOA_EXCLUSION_ADDED)


WORKTREE = "worktree"


# --- values and field changes -------------------------------------------------------


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders the numbers inside ids by value: A.2.2 < A.10.1, R-9 < R-10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


def same(a: Any, b: Any) -> bool:
    """Equality of plain data that tells ``true`` from ``1`` and ``1`` from ``1.0``."""
    if a is b:  # records parsed once for both sides of a diff are the same object
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def jsonable(value: Any) -> Any:
    """Plain data that ``json.dumps`` writes as valid JSON (string keys, finite numbers)."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value that differs: an RFC 6901 pointer into the record, before and after.

    An absent field is ``None`` on that side. A list whose length changed is one
    change of the whole list; lists of the same length are compared item by item.
    """

    pointer: str
    before: Any
    after: Any

    def as_json(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "before": jsonable(self.before),
            "after": jsonable(self.after),
        }


def field_changes(before: Any, after: Any) -> list[FieldChange]:
    """The changes that turn ``before`` into ``after``, in document order."""
    changes: list[FieldChange] = []
    _walk(before, after, (), changes)
    return changes


def _walk(before: Any, after: Any, parts: tuple[str | int, ...], out: list[FieldChange]) -> None:
    if same(before, after):
        return
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*before, *(key for key in after if key not in before)]
        for key in keys:
            _walk(before.get(key), after.get(key), (*parts, key), out)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            _walk(old, new, (*parts, index), out)
        return
    out.append(FieldChange(pointer_of(parts), before, after))


# --- the two sides ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One side of a comparison: the records at a revision or in the working tree.

    ``repository`` is None when that revision has no aims.yaml (e.g. before the
    governance records were added): it then holds no records at all.
    """

    label: str  # "BASE" or "HEAD", for messages
    rev: str | None  # the revision as the user named it; None for the working tree
    sha: str | None  # its commit; None for the working tree
    repository: Repository | None

    @property
    def ref(self) -> str:
        """The commit sha, or ``worktree``: what the JSON output names."""
        return self.sha or WORKTREE

    def describe(self) -> str:
        """The side in words: ``main (1a2b3c4d5e6f)``, or ``the working tree``."""
        if self.sha is None:
            return "the working tree"
        short = self.sha[:12]
        if self.rev is None or self.sha.startswith(self.rev.lower()):
            return short
        return f"{self.rev} ({short})"


def _config_error(error: ConfigError, where: str) -> ConfigError:
    return ConfigError(f"{error.message} (in {where})", error.path, error.line, error.column)


def load_worktree(
    root: Path, as_of: date, label: str = "HEAD", memo: ParseMemo | None = None
) -> Snapshot:
    """The records in the working tree at ``root``.

    Raises ConfigError (exit 2) naming the side when aims.yaml is unusable.
    """
    try:
        repository = load_repository(root, as_of, memo=memo)
    except ConfigError as error:
        raise _config_error(error, f"{label}, the working tree") from None
    return Snapshot(label, None, None, repository)


def load_revision(
    root: Path, rev: str, as_of: date, label: str, memo: ParseMemo | None = None
) -> Snapshot:
    """The records below ``root`` as they were at git revision ``rev``.

    Read from git's objects (nothing is checked out). Raises GitError for an
    unusable revision and ConfigError, naming the revision, when its aims.yaml is
    unusable.
    """
    from aimsctl import gitio

    sha = gitio.resolve_revision(root, rev)
    files = gitio.read_tree(root, sha, suffixes=YAML_SUFFIXES)
    if CONFIG_FILE not in files:
        return Snapshot(label, rev, sha, None)
    try:
        repository = load_repository(root, as_of, source=FileTree(files), memo=memo)
    except ConfigError as error:
        raise _config_error(error, f"{label} {rev!r}, commit {sha[:12]}") from None
    return Snapshot(label, rev, sha, repository)


@dataclass(frozen=True, slots=True)
class RecordState:
    """A record at one revision: as written, and validated where it is valid."""

    id: str
    kind: str | None
    path: str
    raw: Any
    data: Any | None  # validated data in JSON form; None when the record is invalid

    @property
    def valid(self) -> bool:
        return self.data is not None


def _raw_documents(repo: Repository, ids: set[str]) -> dict[str, tuple[str, Any]]:
    """Where invalid records are and what they say as written, by id."""
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

    # The diagnostics about an invalid record name its file; look there first.
    scan(sorted({d.path for d in repo.diagnostics if d.record in ids}))
    if ids - found.keys():
        scan(repo.paths)
    return found


def record_states(
    snapshot: Snapshot, dumps: dict[int, Any] | None = None
) -> tuple[dict[str, RecordState], dict[str, str]]:
    """Every record of a side by id, and the files that side cannot read (path: why).

    ``dumps`` shares the validated data of record objects that both sides hold
    (see ParseMemo), so an unchanged record is dumped once and compares by identity.
    """
    repo = snapshot.repository
    if repo is None:
        return {}, {}
    dumps = {} if dumps is None else dumps
    states: dict[str, RecordState] = {}
    for record_id, entry in repo.entries.items():
        key = id(entry.record)
        if key not in dumps:
            dumps[key] = entry.record.model_dump(mode="json", exclude_defaults=True)
        states[record_id] = RecordState(
            record_id,
            entry.record.kind,
            entry.document.source.path,
            entry.document.data,
            dumps[key],
        )
    if repo.invalid:
        raw = _raw_documents(repo, set(repo.invalid))
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
            )
    unreadable: dict[str, str] = {}
    for diagnostic in sorted(repo.diagnostics, key=lambda d: d.sort_key()):
        if (
            diagnostic.code in codes.UNREADABLE
            and diagnostic.severity is Severity.ERROR
            and diagnostic.path not in unreadable
        ):
            unreadable[diagnostic.path] = diagnostic.message
    return states, unreadable


# --- the result ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordRef:
    kind: str | None
    id: str
    path: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "path": self.path}


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record present at both revisions whose content or file changed.

    ``path`` is where it is at HEAD; ``previous_path`` where it was at BASE, when it
    moved. ``invalid_at`` names the revisions ("BASE", "HEAD") where the record
    fails validation; both sides were then compared as written, not validated.
    """

    kind: str | None
    id: str
    path: str
    fields: tuple[FieldChange, ...]
    previous_path: str | None = None
    invalid_at: tuple[str, ...] = ()

    @property
    def as_written(self) -> bool:
        return bool(self.invalid_at)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "path": self.path,
            "fields": [change.as_json() for change in self.fields],
        }


@dataclass(frozen=True, slots=True)
class ScoreState:
    score: int
    band: str
    within_appetite: bool

    def as_json(self) -> dict[str, Any]:
        return {"score": self.score, "band": self.band}


@dataclass(frozen=True, slots=True)
class RiskChange:
    """A risk whose current score, band or standing against the appetite changed."""

    id: str
    before: ScoreState
    after: ScoreState

    @property
    def appetite_crossed(self) -> bool:
        return self.before.within_appetite != self.after.within_appetite

    @property
    def now_above(self) -> bool:
        """Crossed from within the appetite to above it."""
        return self.before.within_appetite and not self.after.within_appetite

    @property
    def now_within(self) -> bool:
        return not self.before.within_appetite and self.after.within_appetite

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "appetite_crossed": self.appetite_crossed,
        }


@dataclass(frozen=True, slots=True)
class TierChange:
    id: str
    before: str
    after: str
    raised: bool
    lowered: bool

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "before": self.before, "after": self.after}


# What a control change means for the Statement of Applicability.
REGRESSED = "regressed"  # status went down, or an applicable control was removed
PROGRESSED = "progressed"  # status went up
EXCLUDED = "excluded"  # flipped to applicable: false, or added as excluded
INCLUDED = "included"  # flipped to applicable: true, or added as applicable
ADDED_EXCLUDED = "added-excluded"
REMOVED = "removed"  # a control that was not applicable was removed
CHANGED = "changed"  # a status set or cleared


@dataclass(frozen=True, slots=True)
class ControlChange:
    """One SoA row change: ``field`` is ``applicable`` or ``status``.

    An added control shows as ``applicable`` from None, a removed one as
    ``applicable`` to None.
    """

    id: str
    field: str
    before: Any
    after: Any
    effect: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "field": self.field, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class NewRisk:
    id: str
    score: int
    band: str


@dataclass(frozen=True, slots=True)
class InvalidRecord:
    """A record that could not be validated at one or both revisions.

    ``base`` and ``head`` are ``valid``, ``invalid`` (the record fails
    validation: it was compared as written), ``unreadable`` (its file cannot be
    read there) or ``absent``.
    """

    kind: str | None
    id: str
    path: str
    base: str
    head: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "path": self.path,
            "base": self.base,
            "head": self.head,
        }


@dataclass
class Changes:
    """What differs between two revisions of a governance repository."""

    base: Snapshot
    head: Snapshot
    added: list[RecordRef] = field(default_factory=list)
    removed: list[RecordRef] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)
    risk_changes: list[RiskChange] = field(default_factory=list)
    tier_changes: list[TierChange] = field(default_factory=list)
    control_changes: list[ControlChange] = field(default_factory=list)
    new_systems_without_assessment: list[RecordRef] = field(default_factory=list)
    new_risks_above_appetite: list[NewRisk] = field(default_factory=list)
    invalid: list[InvalidRecord] = field(default_factory=list)
    config: list[FieldChange] = field(default_factory=list)  # aims.yaml, validated
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No record was added, removed or changed, and no score moved."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.risk_changes
            or self.tier_changes
            or self.control_changes
            or self.invalid
            or self.config
        )

    def gates(self) -> dict[str, list[str]]:
        """For each --fail-on name, the ids of the records that trip it."""
        return {
            APPETITE_CROSSED: [c.id for c in self.risk_changes if c.now_above],
            TIER_RAISED: [c.id for c in self.tier_changes if c.raised],
            CONTROL_REGRESSED: [c.id for c in self.control_changes if c.effect == REGRESSED],
            SOA_EXCLUSION_ADDED: [
                c.id for c in self.control_changes if c.effect in (EXCLUDED, ADDED_EXCLUDED)
            ],
        }

    def tripped(self, names: Iterable[str]) -> dict[str, list[str]]:
        """The named gates that trip, with their record ids."""
        gates = self.gates()
        return {name: gates[name] for name in names if gates[name]}

    def regressions(self) -> list[str]:
        """The ways governance gets worse, in words (empty: no regression)."""
        gates = self.gates()
        invalid_at_head = [
            r
            for r in self.invalid
            if r.head in ("invalid", "unreadable") and r.base not in ("invalid", "unreadable")
        ]
        counts = [
            (len(gates[APPETITE_CROSSED]), "risk crosses the appetite", "risks cross the appetite"),
            (
                len(self.new_risks_above_appetite),
                "new risk above the appetite",
                "new risks above the appetite",
            ),
            (len(gates[TIER_RAISED]), "system tier raised", "system tiers raised"),
            (len(gates[CONTROL_REGRESSED]), "control regressed", "controls regressed"),
            (len(gates[SOA_EXCLUSION_ADDED]), "SoA exclusion added", "SoA exclusions added"),
            (
                len(self.new_systems_without_assessment),
                "new system without impact assessment",
                "new systems without impact assessment",
            ),
            (len(invalid_at_head), "record invalid at HEAD", "records invalid at HEAD"),
        ]
        return [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]

    def improvements(self) -> list[str]:
        """The ways governance gets better, in words."""
        counts = [
            (
                sum(1 for c in self.risk_changes if c.now_within),
                "risk back within the appetite",
                "risks back within the appetite",
            ),
            (
                sum(1 for c in self.tier_changes if c.lowered),
                "system tier lowered",
                "system tiers lowered",
            ),
            (
                sum(1 for c in self.control_changes if c.effect == PROGRESSED),
                "control progressed",
                "controls progressed",
            ),
        ]
        return [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]

    def as_json(self) -> dict[str, Any]:
        """The binding JSON shape of `aimsctl diff --format json`, plus extra keys."""
        return {
            "version": 1,
            "base": self.base.ref,
            "head": self.head.ref,
            "added": [r.as_json() for r in self.added],
            "removed": [r.as_json() for r in self.removed],
            "changed": [c.as_json() for c in self.changed],
            "risk_changes": [c.as_json() for c in self.risk_changes],
            "tier_changes": [c.as_json() for c in self.tier_changes],
            "control_changes": [c.as_json() for c in self.control_changes],
            "moved": [
                {"kind": c.kind, "id": c.id, "from": c.previous_path, "to": c.path}
                for c in self.changed
                if c.previous_path is not None
            ],
            "new_systems_without_assessment": [
                r.as_json() for r in self.new_systems_without_assessment
            ],
            "new_risks_above_appetite": [
                {"id": r.id, "score": r.score, "band": r.band}
                for r in self.new_risks_above_appetite
            ],
            "invalid": [r.as_json() for r in self.invalid],
            "config": [c.as_json() for c in self.config],
            "regressions": self.gates(),
            "notes": list(self.notes),
        }


# --- the comparison -----------------------------------------------------------------


def _standing(state: RecordState | None, unreadable: dict[str, str], path: str) -> str:
    if state is None:
        return "unreadable" if path in unreadable else "absent"
    return "valid" if state.valid else "invalid"


def _rank(scorer: Scorer, other: Scorer, band: str) -> int:
    """A band's position on ``scorer``, else on ``other`` (a band renamed in between)."""
    return scorer.rank(band) if band in scorer.bands else other.rank(band)


def _score(repo: Repository, risk_id: str) -> ScoreState:
    score = repo.risk_scores[risk_id]
    return ScoreState(score.current.score, score.current.band, score.within_appetite)


def _valid_record(repo: Repository | None, record_id: str, kind: type[Any]) -> Any:
    if repo is None or record_id not in repo.entries:
        return None
    record = repo.entries[record_id].record
    return record if isinstance(record, kind) else None


def compare(base: Snapshot, head: Snapshot) -> Changes:
    """Everything that differs between two sides, each list sorted by id."""
    changes = Changes(base, head)
    dumps: dict[int, Any] = {}
    before, base_unreadable = record_states(base, dumps)
    after, head_unreadable = record_states(head, dumps)
    for side, label in ((base, "BASE"), (head, "HEAD")):
        if side.repository is None:
            other = "added" if side is base else "removed"
            changes.notes.append(
                f"{label} ({side.describe()}) has no {CONFIG_FILE}, so it holds no records: "
                f"every record of the other side counts as {other}"
            )
    if base.repository is not None and head.repository is not None:
        changes.config = field_changes(
            base.repository.config.model_dump(mode="json"),
            head.repository.config.model_dump(mode="json"),
        )
    for label, unreadable in (("BASE", base_unreadable), ("HEAD", head_unreadable)):
        for path, message in unreadable.items():
            changes.notes.append(
                f"{path} cannot be read in full at {label} ({message}); a record missing "
                "from it there is not counted as added or removed"
            )
    for record_id in sorted(before.keys() | after.keys(), key=natural_key):
        old, new = before.get(record_id), after.get(record_id)
        _compare_record(changes, record_id, old, new, base_unreadable, head_unreadable)
    added = {ref.id for ref in changes.added}
    removed = {ref.id for ref in changes.removed}
    _compare_risks(changes, before.keys() | after.keys(), added)
    _compare_tiers(changes)
    _compare_controls(changes, before.keys() | after.keys(), added, removed)
    _new_systems(changes, after, added)
    return changes


def _compare_record(
    changes: Changes,
    record_id: str,
    old: RecordState | None,
    new: RecordState | None,
    base_unreadable: dict[str, str],
    head_unreadable: dict[str, str],
) -> None:
    current = new if new is not None else old
    if current is None:
        return
    path, kind = current.path, current.kind
    base_standing = _standing(old, base_unreadable, path)
    head_standing = _standing(new, head_unreadable, path)
    invalid = InvalidRecord(kind, record_id, path, base_standing, head_standing)
    if old is None:
        assert new is not None
        if base_standing == "unreadable":  # its file exists at BASE but cannot be read
            changes.invalid.append(invalid)
            return
        changes.added.append(RecordRef(new.kind, record_id, new.path))
        if not new.valid:
            changes.invalid.append(invalid)
        return
    if new is None:
        if head_standing == "unreadable":
            changes.invalid.append(invalid)
            return
        changes.removed.append(RecordRef(old.kind, record_id, old.path))
        if not old.valid:
            changes.invalid.append(invalid)
        return
    invalid_at = tuple(label for label, state in (("BASE", old), ("HEAD", new)) if not state.valid)
    fields = field_changes(old.raw, new.raw) if invalid_at else field_changes(old.data, new.data)
    moved = old.path != new.path
    if fields or moved:
        changes.changed.append(
            RecordChange(
                new.kind or old.kind,
                record_id,
                new.path,
                tuple(fields),
                old.path if moved else None,
                invalid_at,
            )
        )
        if invalid_at:
            changes.invalid.append(invalid)


def _compare_risks(changes: Changes, ids: set[str], added: set[str]) -> None:
    base, head = changes.base.repository, changes.head.repository
    for record_id in sorted(ids, key=natural_key):
        old = _valid_record(base, record_id, Risk)
        new = _valid_record(head, record_id, Risk)
        if new is not None and record_id in added:
            assert head is not None
            score = head.risk_scores[record_id]
            if not score.within_appetite:
                changes.new_risks_above_appetite.append(
                    NewRisk(record_id, score.current.score, score.current.band)
                )
        if old is None or new is None:
            continue
        assert base is not None and head is not None
        was, now = _score(base, record_id), _score(head, record_id)
        if was != now:
            changes.risk_changes.append(RiskChange(record_id, was, now))


def _compare_tiers(changes: Changes) -> None:
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    for system_id in sorted(base.tiers.keys() & head.tiers.keys(), key=natural_key):
        was, now = base.tiers[system_id], head.tiers[system_id]
        if was == now:
            continue
        # A first assessment (from `unassessed`) raises nothing, and closing every
        # risk (to `unassessed`) lowers nothing: only band to band counts.
        banded = UNASSESSED not in (was, now)
        old_rank = _rank(head.scorer, base.scorer, was)
        new_rank = head.scorer.rank(now)
        changes.tier_changes.append(
            TierChange(
                system_id, was, now, banded and new_rank > old_rank, banded and new_rank < old_rank
            )
        )


def _status_effect(was: str | None, now: str | None) -> str:
    if was in CONTROL_STATUS_ORDER and now in CONTROL_STATUS_ORDER:
        assert was is not None and now is not None
        return (
            REGRESSED
            if CONTROL_STATUS_ORDER.index(now) < CONTROL_STATUS_ORDER.index(was)
            else PROGRESSED
        )
    return CHANGED


def _compare_controls(changes: Changes, ids: set[str], added: set[str], removed: set[str]) -> None:
    """SoA rows: a control invalid, unreadable or of another kind at one side is skipped."""
    base, head = changes.base.repository, changes.head.repository
    out = changes.control_changes
    for record_id in sorted(ids, key=natural_key):
        old: Control | None = _valid_record(base, record_id, Control)
        new: Control | None = _valid_record(head, record_id, Control)
        if old is None and new is None:
            continue
        if old is None:
            assert new is not None
            if record_id not in added:
                continue
            effect = INCLUDED if new.applicable else ADDED_EXCLUDED
            out.append(ControlChange(record_id, "applicable", None, new.applicable, effect))
            continue
        if new is None:
            if record_id not in removed:
                continue
            effect = REGRESSED if old.applicable else REMOVED
            out.append(ControlChange(record_id, "applicable", old.applicable, None, effect))
            continue
        if old.applicable != new.applicable:
            effect = INCLUDED if new.applicable else EXCLUDED
            out.append(
                ControlChange(record_id, "applicable", old.applicable, new.applicable, effect)
            )
        if old.status != new.status:
            out.append(
                ControlChange(
                    record_id,
                    "status",
                    old.status,
                    new.status,
                    _status_effect(old.status, new.status),
                )
            )


def _new_systems(changes: Changes, after: dict[str, RecordState], added: set[str]) -> None:
    head = changes.head.repository
    if head is None:
        return
    assessed = {assessment.system for assessment in head.of_kind(ImpactAssessment)}
    for system in head.of_kind(AISystem):  # sorted by id
        if system.id in added and system.id not in assessed:
            changes.new_systems_without_assessment.append(
                RecordRef(system.kind, system.id, after[system.id].path)
            )
    changes.new_systems_without_assessment.sort(key=lambda r: natural_key(r.id))
