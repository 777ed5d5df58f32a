"""Records kept but gone backwards: an audit no longer completed, an approved
assessment back to draft, an acceptance lost, a closure that does not stand, a
record signed off whose substance changed under the same sign-off."""

from __future__ import annotations

import json
from typing import Any

from aimsctl import codes
from aimsctl.changes import (
    Changes,
    RewrittenSignOff,
    Worsened,
)
from aimsctl.compare.states import RecordState
from aimsctl.fielddiff import same
from aimsctl.records import (
    ImpactAssessment,
    InternalAudit,
    Nonconformity,
    Policy,
    Risk,
)
from aimsctl.repository import Repository
from aimsctl.rules.governance import approver_refused, not_approved
from aimsctl.rules.management import closure_problem
from aimsctl.text import person_key


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


def _approval_lost(changes: Changes, was: ImpactAssessment, now: ImpactAssessment) -> str | None:
    """How an assessment AIMS401 counts as approved at BASE is not at HEAD, in words;
    None when it still is, or was not. Back to draft or in review, the approved result
    is gone as if deleted (superseded is how an approved assessment is replaced); still
    saying approved with the approval deleted, its approver a `TODO:` placeholder, or
    dated later, is the same loss, judged as validate judges it (AIMS401, AIMS403)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None or was.status != "approved":
        return None
    if _not_counted(base, was) is not None:
        return None  # not approved at BASE either: not this change's
    if now.status in _UNAPPROVED:
        return f"approved at BASE, {now.status} at HEAD"
    why = _not_counted(head, now) if now.status == "approved" else None
    return None if why is None else f"approved at BASE; at HEAD {why}"


def _not_counted(repo: Repository, assessment: ImpactAssessment) -> str | None:
    return not_approved(assessment, repo.as_of, lambda by: approver_refused(repo, by))


def gone_backwards(
    changes: Changes, ids: list[str], before: dict[str, RecordState], after: dict[str, RecordState]
) -> None:
    """Internal audits completed at BASE that are not at HEAD (the documented result of
    an audit conducted, 9.2.2 and 7.5.3, is gone as if the record were deleted), impact
    assessments approved at BASE and back to draft or in review at HEAD (the approved
    result, 6.1.4 and 8.4, the same), and
    nonconformities closed at HEAD whose closure does not stand there, closed by the
    change (or added closed) or standing at BASE (its review edited to not effective, an
    action undone): an effectiveness review missing or not effective, or a corrective action not
    done (10.2, AIMS621). Read from records valid at both sides (or valid at HEAD and
    added there); one invalid at HEAD is for the gates' unjudged records."""
    base, head = changes.base.repository, changes.head.repository
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
            lost = _approval_lost(changes, was, now)
            if lost is not None:
                changes.unapproved_assessments.append(
                    Worsened(now.KIND, record_id, new.path, f"assessment of {now.system}, {lost}")
                )
        elif isinstance(was, Risk) and isinstance(now, Risk):
            lost = _lost_acceptance(changes, record_id, now)
            if lost is not None:
                changes.lost_acceptances.append(Worsened(now.KIND, record_id, new.path, lost))
        elif isinstance(now, Nonconformity) and now.status == "closed":
            if was is None and record_id not in added:
                continue  # its file cannot be read at BASE: not known to be closed here
            if (
                isinstance(was, Nonconformity)
                and was.status == "closed"
                and (base is None or closure_problem(was, base.as_of) is not None)
            ):
                continue  # a closure that did not stand at BASE either: not this change's
            problem = closure_problem(now, head.as_of)
            if problem is not None:
                changes.unverified_closures.append(Worsened(now.KIND, record_id, new.path, problem))


# The fields that hold what was signed off, by kind: what an impact assessment
# assessed and concluded (6.1.4, 8.4), what a policy says and commits to (5.2), what an
# internal audit found (9.2.2). The rest is upkeep of the record (title, description,
# owner, tags, next review, reviewed) or the sign-off itself.
_SUBSTANCE: dict[str, tuple[str, ...]] = {
    "ImpactAssessment": (
        "system",
        "assessed",
        "stakeholders",
        "impacts",
        "decision",
        "conclusion",
    ),
    "Policy": ("version", "document", "commitments"),
    # What a completed audit attests: who audited what, when, and what they found.
    "InternalAudit": ("findings", "scope", "auditor", "independent", "performed"),
}

# What to do about it, in words, by kind.
_FIXES: dict[str, str] = {
    "ImpactAssessment": (
        "have it approved again in this change (a new `approval`: its approver and day), "
        "or record the change in a new assessment that supersedes this one (putting it "
        "back to in-review leaves the system without an approved one until then)"
    ),
    "Policy": (
        "have it approved again in this change (a new `approval` by top management, "
        "usually with a new version), or make the change in a new draft beside it "
        "(putting the only approved policy back to draft withdraws it)"
    ),
    "InternalAudit": (
        "leave the completed audit as it was reported: a correction or a later finding "
        "goes in a new audit or a nonconformity"
    ),
}


def _sign_off(record: Any) -> tuple[Any, str] | None:
    """A record's sign-off (what must stay the same for the sign-off to be the same)
    and its words; None when the record is not signed off. An approver is compared as
    independence checks compare names (:func:`person_key`): a name written in another
    case, or with a look-alike letter, is the same approval. An audit is signed off by
    being completed: its dates are part of what it attests, so moving them is no new
    sign-off."""
    if isinstance(record, ImpactAssessment | Policy):
        approval = record.approval
        if record.status != "approved" or approval is None:
            return None
        key = (person_key(approval.by), approval.on)
        return key, f"approved by {approval.by} on {approval.on.isoformat()}"
    if isinstance(record, InternalAudit):
        performed = record.performed
        if record.status != "completed" or performed is None:
            return None
        return "completed", f"completed on {performed.to.isoformat()}"
    return None


def _unordered(value: Any) -> Any:
    """``value`` with every list in a fixed order: the lists of a signed-off record
    (impacts, stakeholders, mitigations, findings) are sets, so a reordering changes
    nothing that was signed off."""
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_unordered(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))
    return value


def rewritten_sign_offs(
    changes: Changes, ids: list[str], before: dict[str, RecordState], after: dict[str, RecordState]
) -> None:
    """Records signed off at both revisions with the same sign-off whose substance
    changed (see ``_SUBSTANCE``): an impact assessment or a policy approved at both by
    the same approval (who, and on which day), an internal audit completed at both on
    the same day. A new approval (or a new completion) is a new sign-off, and a record
    not signed off at one side has nothing signed off to rewrite. Read from records
    valid at both sides; one invalid at HEAD is for the gates' unjudged records."""
    for record_id in ids:
        old, new = before.get(record_id), after.get(record_id)
        if old is None or new is None or not (old.valid and new.valid):
            continue
        if old.kind != new.kind or old.kind not in _SUBSTANCE or old.record is new.record:
            continue
        was, now = _sign_off(old.record), _sign_off(new.record)
        if was is None or now is None or was[0] != now[0]:
            continue
        old_data, new_data = old.data or {}, new.data or {}
        fields = tuple(
            name
            for name in _SUBSTANCE[old.kind]
            if not same(_unordered(old_data.get(name)), _unordered(new_data.get(name)))
        )
        if fields:
            changes.rewritten_sign_offs.append(
                RewrittenSignOff(old.kind, record_id, new.path, now[1], fields, _FIXES[old.kind])
            )
