"""What a change takes away: open risks, nonconformities and incidents, monitors and
evaluations, management records and AI systems, the approved AI policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from aimsctl.changes import (
    Changes,
    RemovedEvaluation,
    RemovedMonitor,
    RemovedOpen,
    RemovedRecord,
    WithdrawnPolicy,
)
from aimsctl.compare.sides import at_head, file_of, gone, valid_record
from aimsctl.compare.states import RecordState
from aimsctl.fielddiff import same
from aimsctl.records import (
    AISystem,
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
)
from aimsctl.repository import Repository
from aimsctl.rules.management import policy_in_force
from aimsctl.rules.placeholders import still_unwritten
from aimsctl.text import natural_key
from aimsctl.vocabulary import STARTER_EXAMPLES


def _starter_example(changes: Changes, old: RecordState) -> bool:
    """Whether ``old`` is one of the examples `aimsctl init` writes, at BASE still as
    init wrote it (its dates aside; comments and layout do not count): it recorded
    nothing, so deleting it, as init says to, takes nothing away. An example made into
    the organization's own (a risk raised, a title changed), `TODO:` text left in it or
    not, counts as any other record does."""
    base = changes.base.repository
    if old.id not in STARTER_EXAMPLES or base is None or old.record is None:
        return False
    if not still_unwritten(base, old.record):
        return False
    from aimsctl.scaffold import starter_example  # renders templates: only when asked

    # The example assessment is dated the day init ran: the starter made that day.
    assessed = old.raw.get("assessed") if isinstance(old.raw, dict) else None
    day = assessed.get("on") if isinstance(assessed, dict) else None
    try:
        made = date.fromisoformat(day) if isinstance(day, str) else date(2000, 1, 1)
    except ValueError:
        return False
    return same(starter_example(old.id, made), old.raw)


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


def removed_open_records(
    changes: Changes, ids: list[str], before: dict[str, RecordState], removed: set[str]
) -> None:
    changes.removed_open_risks = _removed_open(changes, ids, before, removed, Risk)
    changes.removed_open_nonconformities = _removed_open(
        changes, ids, before, removed, Nonconformity
    )
    changes.removed_open_incidents = _removed_open(changes, ids, before, removed, Incident)


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
        if old is None or old.kind != kind.KIND or not gone(head, record_id, kind, removed):
            continue
        if not _starter_example(changes, old):  # asked of a record gone only: it renders
            yield record_id, old


def _gone_words(head: Repository | None, record_id: str, noun: str) -> str:
    """What became at HEAD of a record no longer there as one of its kind, in words."""
    if head is not None and record_id in head.entries:
        return f"rewritten as a record of kind {head.entries[record_id].record.kind}"
    return f"the {noun} is no longer in the repository"


def removed_monitors(
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
        old: Monitor | None = valid_record(base, record_id, Monitor)
        if old is None:
            continue
        new, judged = at_head(head, record_id, Monitor, removed)
        if not judged or (new is not None and new.system == old.system):
            continue
        system: AISystem | None = valid_record(head, old.system, AISystem)
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
                file_of(record_id, new, before, after),
            )
        )


def removed_evaluations(
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
        old: Evaluation | None = valid_record(base, record_id, Evaluation)
        if old is None:
            continue
        new, judged = at_head(head, record_id, Evaluation, removed)
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
                file_of(record_id, new, before, after),
            )
        )


# The kinds management-record-removed judges (changes.RETAINED_KINDS), by name.
_RETAINED: dict[
    str, type[Policy | Objective | InternalAudit | ManagementReview | ImpactAssessment]
] = {
    kind.KIND: kind
    for kind in (Policy, Objective, InternalAudit, ManagementReview, ImpactAssessment)
}


def removed_management_records(
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
        if old is None or kind is None or not gone(head, record_id, kind, removed):
            continue
        if _starter_example(changes, old):
            continue
        changes.removed_management_records.append(
            RemovedRecord(kind.KIND, record_id, old.path, old.text(kind, "status"))
        )


def removed_systems(
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


def _approval_stands(policy: Policy, repo: Repository) -> bool:
    """In force as validate judges it: approved by the as-of date, its approval recorded
    (AIMS604) and its text the organization's own, no `TODO:` approver (AIMS601)."""
    return policy.approval is not None and policy_in_force(policy, repo)


def withdrawn_policies(
    changes: Changes,
    before: dict[str, RecordState],
    after: dict[str, RecordState],
    removed: set[str],
) -> None:
    """Policies in force at BASE that are not at HEAD, where none is (5.2: top management
    keeps an AI policy in force; AIMS601 and AIMS604 at HEAD). A policy invalid or
    unreadable at HEAD cannot be judged (see GATE_KINDS), nor can whether HEAD approves
    one: the gate trips for it."""
    base, head = changes.base.repository, changes.head.repository
    if base is None:
        return
    if head is not None and any(_approval_stands(p, head) for p in head.of_kind(Policy)):
        return  # a policy is in force at HEAD: a successor, or one approved all along
    for old in base.of_kind(Policy):
        # In force as AIMS601 judges it, its approval recorded or not: retiring the one
        # policy whose approval AIMS604 found unrecorded still leaves none.
        if not policy_in_force(old, base):
            continue  # not in force at BASE either (AIMS601): not this change's
        new, judged = at_head(head, old.id, Policy, removed)
        if not judged:
            continue
        if new is None:
            words = _gone_words(head, old.id, "policy")
        elif new.status != "approved":
            words = f"{new.status} at HEAD"
        elif new.approval is None:
            if old.approval is None:
                continue  # unrecorded at BASE too: AIMS604's finding, not this change's
            words = "approved at HEAD without its approval recorded"
        elif head is not None and still_unwritten(head, new):
            words = "approved at HEAD while it holds placeholder text (TODO:)"
        else:
            words = "approved only after the as-of date at HEAD"
        changes.withdrawn_policies.append(
            WithdrawnPolicy(
                old.id, old.version, words, (before if new is None else after)[old.id].path
            )
        )
