"""Compare the governance records of two revisions: what a change does to governance.

Records are matched by id, never by file, so a record that moves to another file
is one record with a new path, not a removal and an addition. Each side is a
:class:`~aimsctl.revision.Snapshot` loaded on its own, with its own aims.yaml: a
change of the scale, bands or appetite re-scores that side's risks through its
own scorer, and the comparison shows the result.

Fields are compared on the validated data (levels resolved to numbers, dates in
ISO form, defaults left out), so writing ``Likely`` as ``4`` is no change. A record
that is invalid at one of the two revisions cannot be validated there; both
sides are then compared as written, and the comparison says so.

Nothing here prints: :func:`compare` returns a plain :class:`~aimsctl.changes.Changes`,
which the formats in :mod:`aimsctl.outputs.diff` render.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from aimsctl import codes, collector
from aimsctl.changes import (
    ADDED_EXCLUDED,
    ADDED_UNDECIDED,
    CADENCE,
    CHANGED,
    DECIDED,
    DECIDED_EXCLUDED,
    ESTABLISHED,
    EXCLUDE,
    EXCLUDED,
    GOVERNANCE,
    INCLUDED,
    MANAGEMENT_EVENT_KINDS,
    PROGRESSED,
    REGRESSED,
    REMOVED,
    REMOVED_UNDECIDED,
    RULE_SETTING,
    SEVERITY_FLOOR,
    UNDECIDED,
    UNDECIDED_REGRESSED,
    WAIVER,
    Changes,
    ControlChange,
    FailingMetric,
    InvalidRecord,
    MaterialChange,
    NewIncident,
    NewRisk,
    RecordChange,
    RecordRef,
    RelaxedCheck,
    RelaxedRisk,
    RelaxedThreshold,
    RelaxedTier,
    RemovedEvaluation,
    RemovedMonitor,
    RemovedOpen,
    RemovedRecord,
    RewrittenBreach,
    RewrittenFailure,
    RiskChange,
    ScoreState,
    TierChange,
    UnassessedSystem,
    WithdrawnPolicy,
    Worsened,
    management_events,
)
from aimsctl.config import AimsConfig, GovernancePolicy
from aimsctl.diagnostics import Severity
from aimsctl.fielddiff import field_changes
from aimsctl.loader import (
    CONFIG_FILE,
    WorkingTree,
    is_excluded,
    parse_file,
    printable_path,
    select_record_paths,
)
from aimsctl.records import (
    AISystem,
    Control,
    Evaluation,
    ImpactAssessment,
    Incident,
    InternalAudit,
    ManagementReview,
    Monitor,
    Nonconformity,
    Objective,
    Policy,
    Risk,
    Waiver,
)
from aimsctl.records.evaluation import Metric
from aimsctl.repository import Repository
from aimsctl.revision import Snapshot
from aimsctl.rules import all_rules
from aimsctl.rules.governance import approver_refused, assessment_missing
from aimsctl.rules.management import aims_start, closure_problem, policy_approved
from aimsctl.rules.measurements import Point, read_series, same_observations
from aimsctl.scoring import UNASSESSED, RiskScore, Scorer
from aimsctl.soa import decided
from aimsctl.text import first_of, natural_key, number_text, plural
from aimsctl.vocabulary import CONTROL_STATUS_ORDER, MATERIAL_FIELDS, OVERSIGHT_ORDER

K = TypeVar("K")

# --- the records of one side --------------------------------------------------------


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


def record_states(
    snapshot: Snapshot, dumps: dict[int, Any] | None = None
) -> tuple[dict[str, RecordState], dict[str, str]]:
    """Every record of a side by id, and the files that side cannot read (path: why).

    ``dumps`` shares the validated data of record objects that both sides hold
    (see ParseMemo): an unchanged record is one object at both sides. A record that
    gives a key twice (see :func:`repeated_keys`) is not taken as valid: what it says
    is compared as written, and a gate cannot judge it.
    """
    repo = snapshot.repository
    if repo is None:
        return {}, {}
    dumps = {} if dumps is None else dumps
    ambiguous = repeated_keys(repo)
    states: dict[str, RecordState] = {}
    for record_id, entry in repo.entries.items():
        states[record_id] = RecordState(
            record_id,
            entry.record.kind,
            entry.document.source.path,
            entry.document.data,
            None if record_id in ambiguous else entry.record,
            dumps,
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
                dumps,
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


# --- the comparison -----------------------------------------------------------------


def _standing(state: RecordState | None, unreadable: dict[str, str], path: str) -> str:
    if state is None:
        return "unreadable" if path in unreadable else "absent"
    return "valid" if state.valid else "invalid"


def _rank(scorer: Scorer, other: Scorer, band: str) -> int:
    """A band's position on ``scorer``, else on ``other`` (a band renamed in between)."""
    return scorer.rank(band) if band in scorer.bands else other.rank(band)


def _score(repo: Repository, risk_id: str) -> ScoreState:
    return _state(repo.risk_scores[risk_id])


def _state(score: RiskScore) -> ScoreState:
    current = score.current
    return ScoreState(current.score, current.band, score.within_appetite, score.basis)


def _valid_record(repo: Repository | None, record_id: str, kind: type[Any]) -> Any:
    if repo is None or record_id not in repo.entries:
        return None
    record = repo.entries[record_id].record
    return record if isinstance(record, kind) else None


def _of_other_kind(repo: Repository | None, record_id: str, kind: type[Any]) -> bool:
    """Whether ``repo`` holds a valid record with this id that is not of ``kind``."""
    return (
        repo is not None
        and record_id in repo.entries
        and not isinstance(repo.entries[record_id].record, kind)
    )


def compare(base: Snapshot, head: Snapshot) -> Changes:
    """Everything that differs between two sides, each list sorted by id."""
    with collector.alive_frozen():  # both sides' records are alive throughout
        return _compare(base, head)


def _compare(base: Snapshot, head: Snapshot) -> Changes:
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
    ids = sorted(before.keys() | after.keys(), key=natural_key)  # one order for every list
    for record_id in ids:
        old, new = before.get(record_id), after.get(record_id)
        _compare_record(changes, record_id, old, new, base_unreadable, head_unreadable)
    listed = {record.id for record in changes.invalid}
    for label, side in (("BASE", base), ("HEAD", head)):
        for record_id, where in repeated_keys(side.repository).items():
            if record_id in listed:
                changes.notes.append(
                    f"{record_id} gives a key twice at {label} ({where}): aimsctl reads the "
                    "first value and other YAML readers the last, so it is compared as "
                    "written and not judged there"
                )
    added = {ref.id for ref in changes.added}
    removed = {ref.id for ref in changes.removed}
    _compare_risks(changes, ids, added)
    _compare_tiers(changes)
    _judge_by_base_settings(changes, ids)
    _compare_controls(changes, ids, added, removed)
    _removed_open_records(changes, ids, before, removed)
    _new_systems(changes, after, added)
    _unassessed_systems(changes, before, after, added)
    _material_changes(changes)
    _testing_and_monitoring(changes, after, added)
    _relaxed_thresholds(changes, ids, after)
    _rewritten_failures(changes, ids, before, after, removed)
    _rewritten_breaches(changes, ids, before, after, removed)
    _removed_monitors(changes, ids, before, after, removed)
    _removed_evaluations(changes, ids, before, after, removed)
    _removed_management_records(changes, ids, before, removed)
    _removed_systems(changes, ids, before, removed)
    _withdrawn_policies(changes, before, after, removed)
    _gone_backwards(changes, ids, before, after)
    _relaxed_checks(changes, before)
    _management_events(changes, ids, before, after)
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
            changes.unjudged_new.append(RecordRef(new.kind, record_id, new.path))
        return
    if new is None:
        if head_standing == "unreadable":
            changes.invalid.append(invalid)
            if old.valid:
                changes.unjudged.append(RecordRef(old.kind, record_id, old.path))
            return
        changes.removed.append(RecordRef(old.kind, record_id, old.path))
        if not old.valid:
            changes.invalid.append(invalid)
        return
    invalid_at = tuple(label for label, state in (("BASE", old), ("HEAD", new)) if not state.valid)
    if old.record is not None and old.record is new.record:
        fields = []  # one object: the file did not change (the path may have)
    elif invalid_at:
        fields = field_changes(old.raw, new.raw)
    else:
        # Compared on the validated data (`Likely` and `4` are the same level), shown as
        # written in the files.
        fields = [f.as_written(old.raw, new.raw) for f in field_changes(old.data, new.data)]
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
    # A record that stops validating counts even when the text found for it did not
    # change: a duplicate of its id added in another file makes it invalid at HEAD.
    if invalid_at and (fields or moved or old.valid != new.valid):
        changes.invalid.append(invalid)
        if old.valid:
            changes.unjudged.append(RecordRef(old.kind, record_id, new.path))


def _compare_risks(changes: Changes, ids: list[str], added: set[str]) -> None:
    base, head = changes.base.repository, changes.head.repository
    for record_id in ids:
        old = _valid_record(base, record_id, Risk)
        new = _valid_record(head, record_id, Risk)
        # A valid record of another kind rewritten as a risk is a new risk, as an added one.
        if new is not None and (record_id in added or _of_other_kind(base, record_id, Risk)):
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
    # A risk valid at BASE that HEAD cannot judge (invalid, unreadable) is left out of
    # its systems' tiers there: a tier that goes down with it is not lowered.
    left_out = {
        system_id
        for ref in changes.unjudged
        if (risk := _valid_record(base, ref.id, Risk)) is not None
        for system_id in risk.systems
    }
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
                system_id,
                was,
                now,
                banded and new_rank > old_rank,
                banded and new_rank < old_rank and system_id not in left_out,
            )
        )


def _judge_by_base_settings(changes: Changes, ids: list[str]) -> None:
    """Where aims.yaml's risk settings changed, judge HEAD's risks and tiers by BASE's
    settings as well, so that risk criteria made more lenient in the same change can
    neither hide a raise nor pass for an improvement (6.1.2: the criteria a risk is
    judged by are themselves a decision to review)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None or base.config.risk == head.config.risk:
        return
    old, new = base.scorer, head.scorer
    by_base: dict[str, RiskScore] | None = None
    # HEAD's risks hold level numbers read by HEAD's scales: BASE's settings can score
    # them only where each number names the same level at both, which a label moved to
    # another place (`Likely` now the first level) breaks as surely as a level added.
    if (old.likelihood.top, old.severity.top) == (
        new.likelihood.top,
        new.severity.top,
    ) and not (old.likelihood.renumbers(new.likelihood) or old.severity.renumbers(new.severity)):
        by_base = head.scores_by(old)
    else:
        changes.notes.append(
            f"{CONFIG_FILE} changes how many likelihood or severity levels there are, or "
            "which level a label names, so HEAD's risks cannot be scored by BASE's settings: "
            "a raise the new scales hide cannot be seen, and a risk that goes from above the "
            "appetite to within it, or a system whose tier goes down, is listed as judged "
            "more leniently"
        )
    _relaxed_risks(changes, ids, by_base)
    tiers = None
    if by_base is not None and old.bands == new.bands:
        tiers = head.tiers_by(old, by_base)
    elif by_base is not None:
        changes.notes.append(
            f"{CONFIG_FILE} renames, adds or removes bands, so systems' tiers cannot be "
            "compared by BASE's settings: a system whose tier goes down is listed as judged "
            "more leniently"
        )
    _relaxed_tiers(changes, tiers)


def _relaxed_risks(changes: Changes, ids: list[str], by_base: dict[str, RiskScore] | None) -> None:
    """Risks within the appetite by HEAD's settings that BASE's put above it (without
    ``by_base``, BASE's settings cannot score them: those that were above it at BASE)."""
    base, head = changes.base.repository, changes.head.repository
    assert base is not None and head is not None
    for record_id in ids:
        if _valid_record(head, record_id, Risk) is None:
            continue
        after = _score(head, record_id)
        if not after.within_appetite:
            continue
        before = _score(base, record_id) if _valid_record(base, record_id, Risk) else None
        judged = None if by_base is None else _state(by_base[record_id])
        if judged is None:
            relaxed = before is not None and not before.within_appetite
        else:
            relaxed = not judged.within_appetite
        if relaxed:
            changes.relaxed_risks.append(RelaxedRisk(record_id, before, after, judged))


def _relaxed_tiers(changes: Changes, by_base: dict[str, str] | None) -> None:
    """Systems whose tier at HEAD is lower by HEAD's settings than by BASE's (the same
    bands at both); without ``by_base``, those whose tier goes down."""
    base, head = changes.base.repository, changes.head.repository
    assert base is not None and head is not None
    scorer = head.scorer
    if by_base is None:
        for change in changes.tier_changes:
            if change.lowered:
                changes.relaxed_tiers.append(
                    RelaxedTier(change.id, change.before, change.after, None)
                )
        return
    raised = {c.id for c in changes.tier_changes if c.raised}
    for system_id in sorted(head.tiers, key=natural_key):
        now, judged = head.tiers[system_id], by_base[system_id]
        was = base.tiers.get(system_id)
        banded = was is not None and UNASSESSED not in (was, judged)
        hidden = banded and system_id not in raised and scorer.rank(judged) > scorer.rank(was or "")
        if scorer.rank(judged) > scorer.rank(now) or hidden:
            changes.relaxed_tiers.append(RelaxedTier(system_id, was, now, judged, hidden))


def _status_effect(was: str | None, now: str | None, applicable: bool) -> str:
    if not applicable:
        return CHANGED
    if was is not None and now is None:
        # A status cleared on a control that applies says nothing is in place any more;
        # the README names only steps down, so this is the conservative reading: a
        # regression, below `not-started` (validate then asks for a status, AIMS204).
        return REGRESSED
    if was in CONTROL_STATUS_ORDER and now in CONTROL_STATUS_ORDER:
        assert was is not None and now is not None
        return (
            REGRESSED
            if CONTROL_STATUS_ORDER.index(now) < CONTROL_STATUS_ORDER.index(was)
            else PROGRESSED
        )
    return CHANGED


def _removed_open(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    removed: set[str],
    kind: type[Risk | Nonconformity | Incident],
) -> list[RemovedOpen]:
    """Records of ``kind`` not closed at BASE that HEAD no longer holds as records of
    that kind. One invalid at BASE counts unless it says ``status: closed`` as written:
    what it was cannot be told."""
    found: list[RemovedOpen] = []
    for record_id, old in _gone_of_kind(changes, ids, before, removed, kind):
        status = old.text(kind, "status")
        if status == "closed":
            continue
        found.append(RemovedOpen(record_id, old.path, status))
    return found


def _removed_open_records(
    changes: Changes, ids: list[str], before: dict[str, RecordState], removed: set[str]
) -> None:
    changes.removed_open_risks = _removed_open(changes, ids, before, removed, Risk)
    changes.removed_open_nonconformities = _removed_open(
        changes, ids, before, removed, Nonconformity
    )
    changes.removed_open_incidents = _removed_open(changes, ids, before, removed, Incident)


def _compare_controls(changes: Changes, ids: list[str], added: set[str], removed: set[str]) -> None:
    """SoA rows: a control invalid, unreadable or of another kind at one side is skipped."""
    base, head = changes.base.repository, changes.head.repository
    out = changes.control_changes
    for record_id in ids:
        old: Control | None = _valid_record(base, record_id, Control)
        new: Control | None = _valid_record(head, record_id, Control)
        if old is None and new is None:
            continue
        if old is None:
            assert new is not None
            if record_id not in added and not _of_other_kind(base, record_id, Control):
                continue
            if not decided(new):  # its applicable is no decision: neither in nor out
                out.append(ControlChange(record_id, "decided", None, False, ADDED_UNDECIDED))
                continue
            effect = INCLUDED if new.applicable else ADDED_EXCLUDED
            out.append(ControlChange(record_id, "applicable", None, new.applicable, effect))
            continue
        if new is None:
            # A control that became a valid record of another kind has left the SoA as
            # surely as a removed one (an invalid or unreadable one is not judged here).
            if record_id not in removed and not _of_other_kind(head, record_id, Control):
                continue
            if not decided(old):  # it applied no more than it was excluded
                out.append(ControlChange(record_id, "decided", False, None, REMOVED_UNDECIDED))
                continue
            effect = REGRESSED if old.applicable else REMOVED
            out.append(ControlChange(record_id, "applicable", old.applicable, None, effect))
            continue
        if decided(old) != decided(new):
            # A placeholder's applicable and status decide nothing: the row is the
            # decision made, or taken back (the conservative reading: an applicable
            # control taken back regresses, an exclusion made is one added).
            if decided(new):
                effect = DECIDED if new.applicable else DECIDED_EXCLUDED
            else:
                effect = UNDECIDED_REGRESSED if old.applicable else UNDECIDED
            out.append(ControlChange(record_id, "decided", decided(old), decided(new), effect))
            continue
        if not decided(new):
            continue  # undecided at both: its flags changed no decision
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
                    # Only a control that applies at both sides moves: an excluded
                    # one's status puts nothing in place, nor takes anything away.
                    _status_effect(old.status, new.status, old.applicable and new.applicable),
                )
            )


def _new_systems(changes: Changes, after: dict[str, RecordState], added: set[str]) -> None:
    base, head = changes.base.repository, changes.head.repository
    if head is None:
        return
    assessed = {assessment.system for assessment in head.of_kind(ImpactAssessment)}
    for system in head.of_kind(AISystem):  # sorted by id
        # A valid record of another kind rewritten as a system is a new system.
        new = system.id in added or _of_other_kind(base, system.id, AISystem)
        if new and system.id not in assessed:
            changes.new_systems_without_assessment.append(
                RecordRef(system.kind, system.id, after[system.id].path)
            )
    changes.new_systems_without_assessment.sort(key=lambda r: natural_key(r.id))


# The stages of a system in use, or being readied for it: where an approved impact
# assessment is expected before anything else (the record reference says production
# needs one; validation is the release test before it).
_IN_USE = ("validation", "production")


def _unassessed_systems(
    changes: Changes,
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    added: set[str],
) -> None:
    """Systems in validation or production at HEAD that BASE did not have in use under
    their id (added, a record of another kind there, or `stage: retired` there, valid
    or as written) and that no current approved impact assessment covers at HEAD, as
    AIMS401 judges one, whatever the tier asks: putting a system to use anew is a
    significant change (8.4) with no earlier assessment of this use to rely on. A
    retired system renamed and put back is new under its new id."""
    base, head = changes.base.repository, changes.head.repository
    if head is None:
        return
    by_system = head.assessments_by_system
    for system in head.of_kind(AISystem):  # sorted by id
        if system.stage not in _IN_USE:
            continue
        old = before.get(system.id)
        if system.id in added or _of_other_kind(base, system.id, AISystem):
            how = "new"
        elif old is not None and old.kind == AISystem.KIND and _stage(old) == "retired":
            how = "reactivated"
        else:
            continue
        missing = assessment_missing(
            by_system.get(system.id, []),
            head.config.policy(head.tiers[system.id]),
            head.as_of,
            lambda by: approver_refused(head, by),
        )
        if missing is not None:
            changes.unassessed_systems.append(
                UnassessedSystem(system.id, after[system.id].path, how, system.stage, missing)
            )


def _stage(state: RecordState) -> Any:
    """A system's stage: validated, else as written (an invalid one still says it)."""
    written = state.data if state.valid else state.raw
    return written.get("stage") if isinstance(written, dict) else None


def _material_changes(changes: Changes) -> None:
    """Systems changed significantly (8.2, 8.4) while none of their impact assessments
    was added or reassessed in the same change: the assessment may no longer hold.

    A reassessment moves a date: the assessment's ``assessed.on``, or its approval
    (given, or given again on a later day). An edit that moves neither (a comma in the
    title, a status put back to ``in-review``) assesses nothing anew, and the change
    names it as such; nor does an assessment moved to another file with no field
    changed, or one superseded at HEAD (an edit to a replaced assessment, or one that
    marks the current assessment superseded)."""
    head = changes.head.repository
    if head is None:
        return
    touched = {c.id for c in changes.changed if c.fields} | {r.id for r in changes.added}
    reassessed: set[str] = set()
    edited: dict[str, list[str]] = {}
    for assessment in head.of_kind(ImpactAssessment):  # sorted by id
        if assessment.id not in touched or assessment.status == "superseded":
            continue
        if _reassessed(changes, assessment):
            reassessed.add(assessment.system)
        else:
            edited.setdefault(assessment.system, []).append(assessment.id)
    for change in changes.changed:
        if change.kind != "AISystem" or change.id in reassessed or change.as_written:
            continue
        fields = tuple(
            name
            for name in MATERIAL_FIELDS
            if any(
                f.pointer == f"/{name}" or f.pointer.startswith(f"/{name}/") for f in change.fields
            )
        )
        if fields:
            changes.changed_without_assessment.append(
                MaterialChange(change.id, change.path, fields, tuple(edited.get(change.id, ())))
            )


def _reassessed(changes: Changes, assessment: ImpactAssessment) -> bool:
    """Whether a current assessment at HEAD is a new one (added, or a valid record of
    another kind at BASE) or was made or approved again: its ``assessed.on`` or its
    approval's day later than at BASE (an approval given where there was none counts).
    An assessment invalid at BASE is judged on its dates as written there; a date that
    cannot be read there is no earlier one."""
    base = changes.base.repository
    if base is None or any(ref.id == assessment.id for ref in changes.added):
        return True
    if _of_other_kind(base, assessment.id, ImpactAssessment):
        return True
    was = _valid_record(base, assessment.id, ImpactAssessment)
    if was is not None:
        assessed_before = was.assessed.on
        approved_before = was.approval.on if was.approval is not None else None
    else:
        raw = _raw_documents(base, {assessment.id}).get(assessment.id)
        data = raw[1] if raw is not None else None
        assessed_before = _written_date(data, "assessed")
        approved_before = _written_date(data, "approval")
        if assessed_before is None:
            return False  # which day it was assessed at BASE cannot be told
        if approved_before is None and isinstance(data, dict) and data.get("approval") is not None:
            approved_before = date.max  # an approval written there, on a day unreadable
    if assessment.assessed.on > assessed_before:
        return True
    approval = assessment.approval
    return approval is not None and (approved_before is None or approval.on > approved_before)


def _written_date(data: Any, key: str) -> date | None:
    """``data[key]["on"]`` of a record as written, when it is a date."""
    part = data.get(key) if isinstance(data, dict) else None
    value = part.get("on") if isinstance(part, dict) else None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _testing_and_monitoring(
    changes: Changes, after: dict[str, RecordState], added: set[str]
) -> None:
    """Metrics that fail at HEAD and did not at BASE (in a new evaluation, or one whose
    metrics changed), and the incidents the change records."""
    base, head = changes.base.repository, changes.head.repository
    if head is None:
        return
    for evaluation in head.of_kind(Evaluation):  # sorted by id
        old: Evaluation | None = _valid_record(base, evaluation.id, Evaluation)
        failing_before: set[tuple[str, str]] = set()
        if old is not None:
            failing_before = {metric.key for _, metric in old.failing()}
        for _, metric in evaluation.failing():
            if metric.key in failing_before:
                continue
            assert metric.threshold is not None
            changes.new_failing_metrics.append(
                FailingMetric(
                    evaluation.id,
                    evaluation.system,
                    metric.label,
                    metric.value,
                    metric.threshold.text(),
                    after[evaluation.id].path,
                )
            )
    for incident in head.of_kind(Incident):
        if incident.id not in added:
            continue
        changes.new_incidents.append(
            NewIncident(
                incident.id,
                tuple(dict.fromkeys(incident.systems)),
                head.scorer.severity.label(int(incident.severity)),
                incident.serious,
                incident.status,
                after[incident.id].path,
            )
        )
    changes.new_failing_metrics.sort(key=lambda m: (natural_key(m.evaluation), m.metric))
    changes.new_incidents.sort(key=lambda i: natural_key(i.id))


def _at_head(
    head: Repository | None, record_id: str, kind: type[K], removed: set[str]
) -> tuple[K | None, bool]:
    """A record of ``kind`` valid at BASE, at HEAD: the valid record (None when it is gone:
    removed, or rewritten as another kind), and whether HEAD can be judged at all (not
    where the record is invalid or unreadable: the gates trip for it, see GATE_KINDS)."""
    new: K | None = _valid_record(head, record_id, kind)
    return new, new is not None or _gone(head, record_id, kind, removed)


def _gone_of_kind(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    removed: set[str],
    kind: type[Any],
) -> Iterator[tuple[str, RecordState]]:
    """Each record of ``kind`` at BASE (valid or as written) that HEAD no longer holds
    as a record of that kind, with its BASE state."""
    head = changes.head.repository
    for record_id in ids:
        old = before.get(record_id)
        if old is not None and old.kind == kind.KIND and _gone(head, record_id, kind, removed):
            yield record_id, old


def _gone(head: Repository | None, record_id: str, kind: type[Any], removed: set[str]) -> bool:
    """Whether HEAD no longer holds the record as one of ``kind``: removed (deleted, or
    moved where aims.yaml excludes it), or rewritten as a valid record of another kind."""
    return record_id in removed or _of_other_kind(head, record_id, kind)


def _relaxed_thresholds(changes: Changes, ids: list[str], after: dict[str, RecordState]) -> None:
    """Monitors, and metrics of evaluations, whose threshold admits at HEAD a value it
    did not at BASE (9.1: the criteria a result is judged by). Read from records valid
    at both sides; a metric is matched by name and group, and one with a threshold at
    BASE that HEAD's evaluation no longer holds (removed or renamed) is relaxed too."""
    base, head = changes.base.repository, changes.head.repository
    for record_id in ids:
        old_monitor = _valid_record(base, record_id, Monitor)
        new_monitor = _valid_record(head, record_id, Monitor)
        if (
            old_monitor is not None
            and new_monitor is not None
            and new_monitor.threshold.looser_than(old_monitor.threshold)
        ):
            changes.relaxed_thresholds.append(
                RelaxedThreshold(
                    "Monitor",
                    record_id,
                    None,
                    old_monitor.threshold.text(),
                    new_monitor.threshold.text(),
                    after[record_id].path,
                )
            )
        old: Evaluation | None = _valid_record(base, record_id, Evaluation)
        new: Evaluation | None = _valid_record(head, record_id, Evaluation)
        if old is None or new is None:
            continue
        now = {metric.key: metric for metric in new.metrics}
        for metric in old.metrics:
            later = now.get(metric.key)
            if metric.threshold is None:
                continue
            # A metric no longer in the evaluation (removed, or renamed: its name or
            # group changed) takes its threshold with it: what a renamed metric is
            # judged by at HEAD is another metric's threshold.
            if (
                later is None
                or later.threshold is None
                or later.threshold.looser_than(metric.threshold)
            ):
                changes.relaxed_thresholds.append(
                    RelaxedThreshold(
                        "Evaluation",
                        record_id,
                        metric.label,
                        metric.threshold.text(),
                        None
                        if later is None or later.threshold is None
                        else later.threshold.text(),
                        after[record_id].path,
                        metric_gone=later is None,
                    )
                )


def _rewritten_failures(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Metrics that failed in an evaluation valid at BASE and do not fail in it at HEAD:
    a result on record changed after the fact (A.6.2.4, 7.5.3). An evaluation invalid
    or unreadable at HEAD cannot be judged (see GATE_KINDS)."""
    base, head = changes.base.repository, changes.head.repository
    for record_id in ids:
        old: Evaluation | None = _valid_record(base, record_id, Evaluation)
        if old is None or not old.failing():
            continue
        new, judged = _at_head(head, record_id, Evaluation, removed)
        if not judged:
            continue
        now = {} if new is None else {metric.key: metric for metric in new.metrics}
        for _, metric in old.failing():
            assert metric.threshold is not None
            later = now.get(metric.key)
            if new is None:
                words = "the evaluation is no longer in the repository"
            elif later is None:
                words = "the metric is no longer in the evaluation"
            elif later.passed is False:
                continue
            else:
                words = _rewritten_words(metric, later)
            changes.rewritten_failures.append(
                RewrittenFailure(
                    record_id,
                    old.system,
                    metric.label,
                    metric.value,
                    metric.threshold.text(),
                    words,
                    _file_of(record_id, new, before, after),
                )
            )


def _file_of(
    record_id: str, new: object, before: dict[str, RecordState], after: dict[str, RecordState]
) -> str:
    """Where a record judged by a BASE-to-HEAD check is: its file at HEAD, or at BASE
    when HEAD no longer holds it as its kind (``new`` is None)."""
    return before[record_id].path if new is None else after[record_id].path


def _rewritten_breaches(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Monitors valid at BASE with observations outside the threshold there that are not
    outside it at HEAD: a breach on record edited or deleted (9.1, 7.5.3). A monitor
    invalid or unreadable at HEAD cannot be judged (see GATE_KINDS)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None:
        return
    for record_id in ids:
        old: Monitor | None = _valid_record(base, record_id, Monitor)
        if old is None:
            continue
        new, judged = _at_head(head, record_id, Monitor, removed)
        if not judged:
            continue
        if new is old and head is not None and same_observations(base, head, old):
            continue  # one record, one file: every breach of BASE is there at HEAD
        series = read_series(base, old)
        was = [p for p in series.until(base.as_of) if not old.threshold.admits(p.value)]
        if not was:
            continue
        if new is None or head is None:
            gone, words = was, "the monitor is no longer in the repository"
        else:
            gone, words = _breaches_gone(head, new, was)
        if gone:
            changes.rewritten_breaches.append(
                RewrittenBreach(
                    record_id,
                    old.system,
                    len(gone),
                    gone[0].on,
                    gone[0].value,
                    old.threshold.text(),
                    words,
                    _file_of(record_id, new, before, after),
                )
            )


def _gone_words(head: Repository | None, record_id: str, noun: str) -> str:
    """What became at HEAD of a record no longer there as one of its kind, in words."""
    if head is not None and record_id in head.entries:
        return f"rewritten as a record of kind {head.entries[record_id].record.kind}"
    return f"the {noun} is no longer in the repository"


def _removed_monitors(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Monitors valid at BASE that no longer watch their system at HEAD (removed,
    rewritten as another kind, or pointed at another system) while that system is in
    production at HEAD: watching it in operation (A.6.2.6, 9.1) is cut back. A system
    invalid at HEAD may still be in production and counts; one gone from HEAD, or valid
    there in another stage, does not. A monitor invalid or unreadable at HEAD cannot be
    judged (see GATE_KINDS)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    watched = {monitor.system for monitor in head.of_kind(Monitor)}
    for record_id in ids:
        old: Monitor | None = _valid_record(base, record_id, Monitor)
        if old is None:
            continue
        new, judged = _at_head(head, record_id, Monitor, removed)
        if not judged or (new is not None and new.system == old.system):
            continue
        system: AISystem | None = _valid_record(head, old.system, AISystem)
        if system is None and old.system not in head.invalid:
            continue  # the system is gone from HEAD too: nothing left to watch
        if system is not None and system.stage != "production":
            continue
        if new is None:
            words = _gone_words(head, record_id, "monitor")
        else:
            words = f"it watches {new.system} at HEAD"
        changes.removed_monitors.append(
            RemovedMonitor(
                record_id,
                old.system,
                words,
                old.system not in watched,
                _file_of(record_id, new, before, after),
            )
        )


def _removed_evaluations(
    changes: Changes,
    ids: list[str],
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Evaluations valid at BASE that are no longer evaluations of their system at HEAD
    (removed, rewritten as another kind, or pointed at another system): verification
    evidence (A.6.2.4) that the change takes away, kept as documented information
    (7.5.3) whether it passed or failed. An evaluation invalid or unreadable at HEAD
    cannot be judged (see GATE_KINDS)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None:
        return
    evaluated = set() if head is None else {e.system for e in head.of_kind(Evaluation)}
    for record_id in ids:
        old: Evaluation | None = _valid_record(base, record_id, Evaluation)
        if old is None:
            continue
        new, judged = _at_head(head, record_id, Evaluation, removed)
        if not judged or (new is not None and new.system == old.system):
            continue
        if new is None:
            words = _gone_words(head, record_id, "evaluation")
        else:
            words = f"it evaluates {new.system} at HEAD"
        changes.removed_evaluations.append(
            RemovedEvaluation(
                record_id,
                old.system,
                not old.failing(),
                old.system not in evaluated,
                words,
                _file_of(record_id, new, before, after),
            )
        )


# The kinds management-record-removed judges (changes.RETAINED_KINDS), by name.
_RETAINED: dict[
    str, type[Policy | Objective | InternalAudit | ManagementReview | ImpactAssessment]
] = {
    kind.KIND: kind
    for kind in (Policy, Objective, InternalAudit, ManagementReview, ImpactAssessment)
}


def _removed_management_records(
    changes: Changes, ids: list[str], before: dict[str, RecordState], removed: set[str]
) -> None:
    """Policies, objectives, internal audits, management reviews and impact assessments
    at BASE that HEAD no longer holds as records of their kind: documented information
    the management system keeps (5.2, 6.2, 9.2.2, 9.3.3, and 6.1.4 with 8.4 for the
    results of every impact assessment; 7.5.3), whatever their status. A retired
    policy, a withdrawn objective, a planned audit or a superseded assessment stays on
    record as such. One invalid at BASE counts too: what it was cannot be told."""
    head = changes.head.repository
    for record_id in ids:
        old = before.get(record_id)
        kind = _RETAINED.get(old.kind or "") if old is not None else None
        if old is None or kind is None or not _gone(head, record_id, kind, removed):
            continue
        changes.removed_management_records.append(
            RemovedRecord(kind.KIND, record_id, old.path, old.text(kind, "status"))
        )


def _removed_systems(
    changes: Changes, ids: list[str], before: dict[str, RecordState], removed: set[str]
) -> None:
    """AI systems not retired at BASE that HEAD no longer holds as systems: the entry of
    the AI inventory (A.4, 7.5.3) goes with its documented information while the system
    may still be proposed, built or in use. Retire it (`stage: retired`) instead, and the
    inventory keeps it. One invalid at BASE counts unless it is written `stage: retired`.
    Listed with management-record-removed, whose list stays sorted by id."""
    found = False
    for record_id, old in _gone_of_kind(changes, ids, before, removed, AISystem):
        stage = old.text(AISystem, "stage")
        if stage == "retired":
            continue
        changes.removed_management_records.append(
            RemovedRecord(AISystem.KIND, record_id, old.path, stage)
        )
        found = True
    if found:
        changes.removed_management_records.sort(key=lambda r: natural_key(r.id))


def _withdrawn_policies(
    changes: Changes,
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Policies approved at BASE that are not at HEAD, where no policy is approved (5.2:
    top management keeps an AI policy in force; AIMS601 at HEAD). A policy invalid or
    unreadable at HEAD cannot be judged (see GATE_KINDS), nor can whether HEAD approves
    one: the gate trips for it."""
    base, head = changes.base.repository, changes.head.repository
    if base is None:
        return
    if head is not None and any(policy_approved(p, head.as_of) for p in head.of_kind(Policy)):
        return  # a policy is in force at HEAD: a successor, or one approved all along
    for old in base.of_kind(Policy):
        if not policy_approved(old, base.as_of):
            continue
        new, judged = _at_head(head, old.id, Policy, removed)
        if not judged:
            continue
        if new is None:
            words = _gone_words(head, old.id, "policy")
        elif new.status == "approved":
            words = "approved only after the as-of date at HEAD"
        else:
            words = f"{new.status} at HEAD"
        changes.withdrawn_policies.append(
            WithdrawnPolicy(
                old.id, old.version, words, (before if new is None else after)[old.id].path
            )
        )


def _breaches_gone(head: Repository, monitor: Monitor, was: list[Point]) -> tuple[list[Point], str]:
    """The breaching observations of BASE (``was``) that no observation on their day
    breaches at HEAD, and what became of the first of them, in words."""
    series = read_series(head, monitor)
    if series.unusable is not None:
        return was, f"its observations cannot be read at HEAD ({series.path} {series.unusable})"
    by_day: dict[date, list[float]] = {}
    for point in series.points:
        by_day.setdefault(point.on, []).append(point.value)
    gone = [
        p for p in was if all(monitor.threshold.admits(value) for value in by_day.get(p.on, []))
    ]
    if not gone:
        return [], ""
    first = gone[0]
    values = by_day.get(first.on)
    if not values:
        return gone, f"the observation of {first.on.isoformat()} is no longer recorded"
    return gone, (
        f"the observation of {first.on.isoformat()} reads "
        f"{', '.join(number_text(v) for v in values)} at HEAD, threshold "
        f"{monitor.threshold.text()}"
    )


def _rewritten_words(metric: Metric, later: Metric) -> str:
    """What changed a failing metric into one that does not fail, in words."""
    parts = []
    if later.value != metric.value:
        parts.append(f"value {number_text(metric.value)} -> {number_text(later.value)}")
    if later.threshold is None:
        parts.append("threshold removed")
    elif later.threshold != metric.threshold:
        assert metric.threshold is not None
        parts.append(f"threshold {metric.threshold.text()} -> {later.threshold.text()}")
    return "passes at HEAD: " + ", ".join(parts)


def _lost_acceptance(changes: Changes, record_id: str, now: Risk) -> str | None:
    """Why a risk above the appetite at both revisions, whose acceptance was in force at
    BASE, stands without one at HEAD (AIMS303 at HEAD); None when it does not. Its score
    may not move at all (the acceptance removed, re-signed by someone AIMS305 refuses,
    its dates moved), so neither a crossing nor a raise shows it."""
    base, head = changes.base.repository, changes.head.repository
    assert base is not None and head is not None
    was, score = base.risk_scores[record_id], head.risk_scores[record_id]
    if now.status == "closed" or score.within_appetite or score.accepted:
        return None
    if was.within_appetite or not was.accepted:
        return None  # a crossing, or no acceptance to lose
    current = score.current
    acceptance = now.acceptance
    if acceptance is None:
        why = "is removed"
    elif not score.acceptance_designated:
        why = f"by {acceptance.by!r} does not count ({codes.ACCEPTANCE_NOT_DESIGNATED})"
    elif score.acceptance_expired:
        why = f"expired on {acceptance.expires}"
    else:
        why = f"starts only on {acceptance.on}"
    return (
        f"above the appetite ({current.score} {current.band}, {score.basis}), accepted at "
        f"BASE; at HEAD its acceptance {why}"
    )


# The statuses of an impact assessment not yet approved: one approved at BASE and so at
# HEAD no longer holds the result that was approved (superseded is how it is replaced).
_UNAPPROVED = ("draft", "in-review")


def _gone_backwards(
    changes: Changes, ids: list[str], before: dict[str, RecordState], after: dict[str, RecordState]
) -> None:
    """Internal audits completed at BASE that are not at HEAD (the documented result of
    an audit conducted, 9.2.2 and 7.5.3, is gone as if the record were deleted), impact
    assessments approved at BASE and back to draft or in review at HEAD (the approved
    result, 6.1.4 and 8.4, the same), and
    nonconformities closed by the change (or added closed) whose closure does not stand
    at HEAD: an effectiveness review missing or not effective, or a corrective action not
    done (10.2, AIMS621). Read from records valid at both sides (or valid at HEAD and
    added there); one invalid at HEAD is for the gates' unjudged records."""
    head = changes.head.repository
    added = {ref.id for ref in changes.added}
    for record_id in ids:
        old, new = before.get(record_id), after.get(record_id)
        if new is None or not new.valid or head is None:
            continue
        if old is not None and (not old.valid or old.kind != new.kind):
            continue
        was, now = (old.record if old is not None else None), new.record
        if isinstance(was, InternalAudit) and isinstance(now, InternalAudit):
            if was.status == "completed" and now.status != "completed":
                changes.uncompleted_audits.append(
                    Worsened(
                        now.KIND, record_id, new.path, f"completed at BASE, {now.status} at HEAD"
                    )
                )
        elif isinstance(was, ImpactAssessment) and isinstance(now, ImpactAssessment):
            # Approved, then back to draft or in review: the approved result is gone as
            # if deleted. Superseded is how an approved assessment is replaced.
            if was.status == "approved" and now.status in _UNAPPROVED:
                changes.unapproved_assessments.append(
                    Worsened(
                        now.KIND,
                        record_id,
                        new.path,
                        f"assessment of {now.system}, approved at BASE, {now.status} at HEAD",
                    )
                )
        elif isinstance(was, Risk) and isinstance(now, Risk):
            lost = _lost_acceptance(changes, record_id, now)
            if lost is not None:
                changes.lost_acceptances.append(Worsened(now.KIND, record_id, new.path, lost))
        elif isinstance(now, Nonconformity) and now.status == "closed":
            if was is None and record_id not in added:
                continue  # its file cannot be read at BASE: not known to be closed here
            if isinstance(was, Nonconformity) and was.status == "closed":
                continue  # closed already: validate judges it at HEAD
            problem = closure_problem(now, head.as_of)
            if problem is not None:
                changes.unverified_closures.append(Worsened(now.KIND, record_id, new.path, problem))


def _management_events(
    changes: Changes, ids: list[str], before: dict[str, RecordState], after: dict[str, RecordState]
) -> None:
    """Nonconformities raised, closed or reopened, internal audits completed, policies
    approved or retired and management reviews held by the change: read from records
    valid at HEAD (and at BASE, where they were there), so an invalid record says nothing."""
    added = {ref.id for ref in changes.added}
    for record_id in ids:
        if record_id not in after:
            continue
        new, old = after[record_id], before.get(record_id)
        if new.kind not in MANAGEMENT_EVENT_KINDS or not new.valid:
            continue
        if old is None and record_id not in added:
            continue  # its file cannot be read at BASE: not known to be new
        if old is not None and (not old.valid or old.kind != new.kind):
            continue
        changes.management_events.extend(
            management_events(
                new.kind, record_id, old.data if old is not None else None, new.data, new.path
            )
        )


# --- checks relaxed: what validate asks, at BASE and at HEAD ---------------------------


def _relaxed_checks(changes: Changes, before: dict[str, RecordState]) -> None:
    """What HEAD's aims.yaml and waivers let validate ask less than BASE's did: rules
    turned off or lowered, a tier's governance or the management cadence made laxer,
    a severity floor lowered or removed, files BASE checked excluded, waivers added,
    extended or widened. Each is a decision
    about the management system's criteria (6.1.2, 9.1, 9.2, 9.3) that a change must
    not make unnoticed. A side without aims.yaml checks nothing to relax."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    found = [
        *_relaxed_rules(base.config, head.config),
        *_relaxed_governance(base.config, head.config),
        *_relaxed_cadence(base, head),
        *_relaxed_floor(base, head),
        *_relaxed_exclude(base, head, before),
        *_relaxed_waivers(base, head),
    ]
    changes.relaxed_checks = sorted(found, key=lambda check: natural_key(check.id))


# A rule's settings, laxest first.
_SETTINGS = ("off", "warning", "error")


def _relaxed_rules(base: AimsConfig, head: AimsConfig) -> list[RelaxedCheck]:
    """Rules whose severity at HEAD is below BASE's: turned off, an error made a warning,
    or an override that raised a rule removed (each side's setting, else the rule's own
    severity)."""
    default = {rule.code: rule.severity.value for rule in all_rules()}
    found: list[RelaxedCheck] = []
    for code in sorted(base.rules.keys() | head.rules.keys()):
        own = default.get(code, "error")  # every code has a rule; else the strictest
        was, now = base.rules.get(code, own), head.rules.get(code, own)
        if _SETTINGS.index(now) >= _SETTINGS.index(was):
            continue
        was_own = "" if code in base.rules else " (its default)"
        now_own = "" if code in head.rules else " (its default)"
        effect = (
            "its findings are no longer reported"
            if now == "off"
            else "its findings no longer fail validate (only with --strict)"
        )
        found.append(
            RelaxedCheck(
                RULE_SETTING,
                f"rules.{code}",
                was,
                now,
                f"rule {code} ({codes.name(code)}): {was}{was_own} -> {now}{now_own}; " + effect,
                CONFIG_FILE,
            )
        )
    return found


def _governance_relaxed(was: GovernancePolicy, now: GovernancePolicy) -> list[tuple[str, str]]:
    """The fields of a tier's governance that ask less at HEAD (``now``), each with what
    that means in words."""
    found: list[tuple[str, str]] = []
    if now.review_days > was.review_days:
        found.append(("review_days", "its records are due for review less often"))
    if was.impact_assessment and not now.impact_assessment:
        found.append(("impact_assessment", "it no longer needs an approved impact assessment"))
    if OVERSIGHT_ORDER.index(now.min_oversight) < OVERSIGHT_ORDER.index(was.min_oversight):
        found.append(("min_oversight", "it may have weaker human oversight"))
    if was.evaluation_days is not None and (
        now.evaluation_days is None or now.evaluation_days > was.evaluation_days
    ):
        found.append(
            (
                "evaluation_days",
                "it no longer needs a passing evaluation"
                if now.evaluation_days is None
                else "a passing evaluation may be older",
            )
        )
    if was.monitoring and not now.monitoring:
        found.append(("monitoring", "in production it no longer needs a monitor"))
    return found


def _relaxed_governance(base: AimsConfig, head: AimsConfig) -> list[RelaxedCheck]:
    """What `governance:` asks of a system of each tier of HEAD, against what BASE's asks
    of that tier: each side's own policy for it (written, or its nearest lower band's).
    A band BASE does not have is held to the policy of BASE's band at its place (its
    position from the lowest; past BASE's highest, the highest): a band renamed, or
    added above the others, cannot ask less than the one it takes the place of."""
    old_bands, new_bands = base.risk.band_names, head.risk.band_names
    found: list[RelaxedCheck] = []
    for index, band in enumerate(new_bands):
        counterpart = band if band in old_bands else old_bands[min(index, len(old_bands) - 1)]
        was, now = base.policy(counterpart), head.policy(band)
        place = (
            ""
            if counterpart == band
            else f" (no band {band} at BASE: compared with {counterpart}, at its place)"
        )
        for name, effect in _governance_relaxed(was, now):
            before, after = getattr(was, name), getattr(now, name)
            found.append(
                RelaxedCheck(
                    GOVERNANCE,
                    f"governance.{band}.{name}",
                    before,
                    after,
                    f"a system of tier {band}: {name} {_setting_text(before)} -> "
                    f"{_setting_text(after)}{place}; {effect}",
                    CONFIG_FILE,
                )
            )
    return found


def _setting_text(value: Any) -> str:
    """A setting's value as aims.yaml writes it: ``true``, ``null``, ``365``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_CADENCE_WORDS = {
    "internal_audit_days": "internal audits",
    "management_review_days": "management reviews",
    "policy_review_days": "reviews of the AI policy",
}


def _relaxed_cadence(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """The management system's cadence made longer (9.2, 9.3, A.2.4), and its start
    (`established`) moved later, or dropped where the records show no earlier one: the
    first internal audit and management review fall due later."""
    found: list[RelaxedCheck] = []
    for name, what in _CADENCE_WORDS.items():
        was, now = getattr(base.config.cadence, name), getattr(head.config.cadence, name)
        if now > was:
            found.append(
                RelaxedCheck(
                    CADENCE,
                    f"cadence.{name}",
                    was,
                    now,
                    f"{what} are due every {now} days, not every {was}",
                    CONFIG_FILE,
                )
            )
    was_day, now_day = base.config.established, head.config.established
    if was_day is None or (now_day is not None and now_day <= was_day):
        return found
    if now_day is None:
        start = aims_start(head)  # without `established`, the records' first day
        if start is not None and start.day <= was_day:
            return found
        effect = (
            "the records show no start, so no internal audit or management review falls due"
            if start is None
            else f"the records show the management system at work since {start.day}, so the "
            "first internal audit and management review fall due later"
        )
    else:
        # A start the records show earlier than `established` is the one counted
        # (AIMS622), so the effect may be smaller than the setting's move, or none.
        start = aims_start(head)
        if start is None or start.day >= now_day:
            effect = "the first internal audit and management review fall due later"
        elif start.day > was_day:
            effect = (
                f"the records show the management system at work since {start.day}, so the "
                "first internal audit and management review fall due later, from that day"
            )
        else:
            effect = (
                f"the records show the management system at work since {start.day}, so the "
                "first internal audit and management review fall due no later than before, "
                "counted from that day; but `established` no longer says when it started "
                f"({codes.ESTABLISHED_AFTER_RECORDS})"
            )
    found.append(
        RelaxedCheck(
            ESTABLISHED,
            "established",
            was_day.isoformat(),
            None if now_day is None else now_day.isoformat(),
            f"established {was_day} -> {_setting_text(now_day)}; {effect}",
            CONFIG_FILE,
        )
    )
    return found


def _relaxed_floor(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """The severity levels that `risk.severity_floor` holds to a lower band at HEAD than
    at BASE, or to none (6.1.2): the criterion goes whether or not a risk is floored
    today, which `risk-criteria-relaxed` judges by each risk. Levels are BASE's, matched
    by number (a level past HEAD's top is held to HEAD's top level's floor)."""
    old, new = base.scorer, head.scorer
    lowered: list[str] = []
    for level in range(1, old.severity.top + 1):
        was = old.floor(level)
        if was is None:
            continue
        now = new.floor(min(level, new.severity.top))
        if now is not None and new.rank(now) >= _rank(new, old, was):
            continue
        name = f"a risk of severity {old.severity.label(level)} ({level})"
        lowered.append(
            f"{name} is no longer held at least {was}"
            if now is None
            else f"{name} is held at least {now}, not {was}"
        )
    if not lowered:
        return []
    return [
        RelaxedCheck(
            SEVERITY_FLOOR,
            "risk.severity_floor",
            _floors(base.config),
            _floors(head.config),
            "; ".join(lowered),
            CONFIG_FILE,
        )
    ]


def _floors(config: AimsConfig) -> list[dict[str, Any]]:
    return [floor.model_dump(mode="json") for floor in config.risk.severity_floor]


# At most this many files named in the words of an exclusion (the JSON names every record).
_FILES_SHOWN = 10


def _relaxed_exclude(
    base: Repository, head: Repository, before: dict[str, RecordState]
) -> list[RelaxedCheck]:
    """Files validate checked at BASE that are still there at HEAD but that HEAD's
    `exclude:` leaves out: their records are no longer checked at all. (The records they
    held are also removed at HEAD, and trip the gates of their kinds as removals.)"""
    patterns = tuple(head.config.exclude)
    if not patterns or head.config.exclude == base.config.exclude:
        return []
    dropped = [
        printable_path(path)
        for path in _checked_files(base)
        if is_excluded(path, patterns) and head.path_exists(path)
    ]
    if not dropped:
        return []
    left = set(dropped)
    records = sorted((i for i, s in before.items() if s.path in left), key=natural_key)
    return [
        RelaxedCheck(
            EXCLUDE,
            "exclude",
            list(base.config.exclude),
            list(head.config.exclude),
            f"{plural(len(dropped), 'file')} that BASE checked "
            f"{'is' if len(dropped) == 1 else 'are'} no longer read: "
            f"{first_of(dropped, _FILES_SHOWN)}",
            CONFIG_FILE,
            tuple(records),
        )
    ]


def _checked_files(repo: Repository) -> list[str]:
    """The files validate checks at a side, as listed: those it reads (a broken one
    too) and those it reports as unreadable by their name alone (an extension such as
    `.YAML`, a name that is not UTF-8). Excluding one that was an error is as much a
    relaxation as excluding one that held records."""
    source = repo.source if repo.source is not None else WorkingTree(repo.root)
    miscased: list[str] = []
    records = select_record_paths(source.paths(), repo.config.exclude, miscased)
    return sorted([*records, *miscased], key=printable_path)


def _waiver_data(waiver: Waiver) -> dict[str, Any]:
    return {"rule": waiver.rule, "records": list(waiver.records), "expires": str(waiver.expires)}


def _relaxed_waivers(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """Waivers in force at HEAD that waive a rule on a record that no waiver of BASE
    waived it on, or until a later day: a waiver added, its expiry pushed later, or its
    rule or records widened. Judged by what is waived, not by which record waives it: a
    waiver renamed, split or merged with nothing more waived relaxes nothing, and one
    expired at HEAD waives nothing (validate reports it, AIMS506)."""
    until: dict[tuple[str, str], date] = {}  # (rule, record): the last day BASE waives it
    for waiver in base.of_kind(Waiver):
        for record_id in waiver.records:
            key = (waiver.rule, record_id)
            until[key] = max(until.get(key, waiver.expires), waiver.expires)
    found: list[RelaxedCheck] = []
    for waiver in head.of_kind(Waiver):
        if waiver.expires < head.as_of:
            continue
        wider = sorted(
            {
                record_id
                for record_id in waiver.records
                if (waiver.rule, record_id) not in until
                or until[(waiver.rule, record_id)] < waiver.expires
            },
            key=natural_key,
        )
        if not wider:
            continue
        old: Waiver | None = _valid_record(base, waiver.id, Waiver)
        now = (
            f"{waiver.rule} ({codes.name(waiver.rule)}) waived on {', '.join(waiver.records)} "
            f"until {waiver.expires}"
        )
        if old is None:
            words = f"new waiver: {now}"
        else:
            words = f"{now}; at BASE {old.rule} on {', '.join(old.records)} until {old.expires}"
        found.append(
            RelaxedCheck(
                WAIVER,
                waiver.id,
                None if old is None else _waiver_data(old),
                _waiver_data(waiver),
                words,
                head.entries[waiver.id].document.source.path,
                tuple(wider),
            )
        )
    return found
