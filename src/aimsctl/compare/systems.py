"""AI systems and their impact assessments: new systems without one, systems put to
use without a current approved one, significant changes made without reassessing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aimsctl.changes import (
    Changes,
    MaterialChange,
    RecordRef,
    UnassessedSystem,
)
from aimsctl.compare.sides import of_other_kind, valid_record
from aimsctl.compare.states import RecordState, raw_documents
from aimsctl.days import iso_date
from aimsctl.records import (
    AISystem,
    ImpactAssessment,
)
from aimsctl.rules.governance import approver_refused, assessment_missing
from aimsctl.text import natural_key
from aimsctl.vocabulary import MATERIAL_FIELDS


def new_systems(changes: Changes, after: dict[str, RecordState], added: set[str]) -> None:
    base, head = changes.base.repository, changes.head.repository
    if head is None:
        return
    assessed = {assessment.system for assessment in head.of_kind(ImpactAssessment)}
    for system in head.of_kind(AISystem):  # sorted by id
        # A valid record of another kind rewritten as a system is a new system.
        new = system.id in added or of_other_kind(base, system.id, AISystem)
        if new and system.id not in assessed:
            changes.new_systems_without_assessment.append(
                RecordRef(system.kind, system.id, after[system.id].path)
            )
    changes.new_systems_without_assessment.sort(key=lambda r: natural_key(r.id))


# The stages of a system in use, or being readied for it: where an approved impact
# assessment is expected before anything else (the record reference says production
# needs one; validation is the release test before it).
_IN_USE = ("validation", "production")


def unassessed_systems(
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
        if system.id in added or of_other_kind(base, system.id, AISystem):
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


def material_changes(changes: Changes) -> None:
    """Systems changed significantly (8.2, 8.4) while none of their impact assessments
    was added or reassessed in the same change: the assessment may no longer hold.

    A reassessment moves a date: the assessment's ``assessed.on``, or its approval
    (given, or given again on a later day). An edit that moves neither (a comma in the
    title, a status put back to ``in-review``) assesses nothing anew, and the change
    names it as such; nor does an assessment moved to another file with no field
    changed, or one superseded at HEAD (an edit to a replaced assessment, or one that
    marks the current assessment superseded). A system retired at HEAD needs none."""
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
        entry = head.entries.get(change.id)
        if (
            entry is not None
            and isinstance(entry.record, AISystem)
            and entry.record.stage == "retired"
        ):
            continue  # retired at HEAD: the change ends its use (AIMS407 agrees)
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
    if of_other_kind(base, assessment.id, ImpactAssessment):
        return True
    was = valid_record(base, assessment.id, ImpactAssessment)
    if was is not None:
        assessed_before = was.assessed.on
        approved_before = was.approval.on if was.approval is not None else None
    else:
        raw = raw_documents(base, {assessment.id}).get(assessment.id)
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
    """``data[key]["on"]`` of a record as written, when it is a date the records accept
    (YYYY-MM-DD, a day that exists)."""
    part = data.get(key) if isinstance(data, dict) else None
    value = part.get("on") if isinstance(part, dict) else None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return iso_date(value) if isinstance(value, str) else None
