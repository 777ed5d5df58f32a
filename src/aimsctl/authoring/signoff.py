"""The two sign-offs people do most: accepting a risk, approving an impact assessment.

Each edits the record in place through :mod:`aimsctl.writing` (comments, key order
and layout kept) and is refused, with nothing written, when the record is not valid
or the sign-off is not one the rules allow:

- the record must exist and be valid, and not be closed (a risk) or superseded (an
  assessment); an assessment must hold no `TODO:` placeholder;
- dates must be possible: a sign-off dated after the as-of date, an acceptance that
  has expired before it starts or by the as-of date, an approval before the
  assessment was made are refused;
- where Roles are recorded, the person signing must hold one (their Role id or the
  holder's name); a risk acceptance must come from designated management: a
  top-management Role, or one accountable for the risk, its systems or risks in
  general (6.1.3);
- the repository must have no error after the sign-off that it did not have before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from aimsctl import codes, writing
from aimsctl.authoring.canonical import model_shape
from aimsctl.errors import RecordNotFound
from aimsctl.records import ImpactAssessment, Record, Risk, Role
from aimsctl.records.role import acceptance_refused
from aimsctl.rules.governance import approver_refused
from aimsctl.text import a_kind, printable
from aimsctl.validation_messages import did_you_mean
from aimsctl.vocabulary import is_placeholder
from aimsctl.writing import WriteRefused

if TYPE_CHECKING:
    from aimsctl.repository import Repository


@dataclass
class SignOff:
    change: writing.Change
    rel: str
    notes: list[str]


def _record(repo: Repository, record_id: str, model: type[Record]) -> Record:
    entry = repo.entries.get(record_id)
    if entry is None:
        unread = repo.unread_file_naming(record_id)
        if unread is not None:
            # A record file that is a symbolic link is not read, and no sign-off writes
            # through one: refused as fmt refuses it (exit 2), not as a file to fix (exit
            # 1). A linked folder is not listed at all: the error below names it.
            writing.refuse_links(repo.root, unread)
        why = repo.why_left_out(record_id)
        if why is not None:
            raise WriteRefused(
                f"{record_id} {why}; fix it first (aimsctl validate shows why), then sign it off"
            )
        known = [r.id for r in repo.of_kind(model)]
        hint = did_you_mean(record_id, known)
        unread = _unread_folders(repo)
        if unread:
            unread = f" It may also be {unread}" if hint else f"; it may be {unread}"
        raise RecordNotFound(f"no {model.KIND} {record_id!r} in {repo.root}{hint}{unread}")
    if not isinstance(entry.record, model):
        # Naming a record of another kind is a usage error, as an unknown id is (exit 2).
        raise RecordNotFound(
            f"{record_id} is {a_kind(entry.record.kind)}, not {a_kind(model.KIND)}"
            f"{did_you_mean(record_id, [r.id for r in repo.of_kind(model)])}"
        )
    return entry.record


def _unread_folders(repo: Repository) -> str:
    """Where a record not found may be: "in F, a folder aimsctl does not read ..." for
    the folders validation does not read (a symbolic link leading outside, one that
    cannot be listed: AIMS008); "" when none."""
    folders = sorted(
        d.path
        for d in repo.diagnostics
        if d.code == codes.UNREADABLE_FILE and d.path and d.message.startswith("folder ")
    )
    if not folders:
        return ""
    which = "a folder" if len(folders) == 1 else "folders"
    return (
        f"in {', '.join(folders)}, {which} aimsctl does not read "
        f"({codes.UNREADABLE_FILE}: aimsctl validate says why), and no sign-off writes there"
    )


def _edit(repo: Repository, record: Record, fields: dict[str, Any]) -> tuple[writing.Change, str]:
    from aimsctl.records.base import scales_context

    entry = repo.entries[record.id]
    rel = entry.document.source.path
    order = model_shape(type(record)).order

    def change(documents: list[Any]) -> None:
        targets = [
            d
            for d in documents
            if isinstance(d, dict) and d.get("id") == record.id and d.get("kind") == record.kind
        ]
        if len(targets) != 1:
            raise WriteRefused(f"{rel}: cannot find {record.id} in the file to edit it")
        for key, value in fields.items():
            try:
                writing.set_field(targets[0], key, value, order)
            except WriteRefused as refused:
                raise WriteRefused(f"{rel}: {refused}") from None

    context = scales_context(repo.scorer.likelihood, repo.scorer.severity)
    return writing.plan_edit(repo.root / rel, change, rel, context, root=repo.root), rel


def accept_risk(
    repo: Repository, risk_id: str, by: str, until: date, rationale: str, on: date | None = None
) -> SignOff:
    """Record the formal acceptance of a risk (nothing is written yet)."""
    risk = _record(repo, risk_id, Risk)
    assert isinstance(risk, Risk)
    on = on or repo.as_of
    by = by.strip()  # judged as it is written
    refusals: list[str] = []
    if risk.status == "closed":
        refusals.append(f"{risk_id} is closed: there is no risk left to accept")
    if on > repo.as_of:
        refusals.append(f"the acceptance date {on} is after the as-of date {repo.as_of}")
    if until < on:
        refusals.append(f"--until {until} is before the acceptance date {on}")
    elif until < repo.as_of:
        refusals.append(f"--until {until} has passed (as of {repo.as_of}): it would accept nothing")
    if not by or is_placeholder(by):
        refusals.append("--by must name who accepts the risk")
    if not rationale.strip() or is_placeholder(rationale):
        refusals.append("--rationale must say why the risk is accepted")
    if (refused := acceptance_refused(repo.of_kind(Role), risk, by)) is not None:
        refusals.append(refused)
    if refusals:
        raise WriteRefused("\n".join([f"cannot accept {risk_id}:", *refusals]))
    notes: list[str] = []
    score = repo.risk_scores[risk.id]
    if score.within_appetite:
        notes.append(
            f"{risk_id} is within the appetite ({score.current.band}); an acceptance is only "
            "needed above it, but is recorded as asked"
        )
    earlier = risk.acceptance
    if earlier is not None:
        # Renewing an acceptance is routine; replacing who signed it, silently, is not.
        notes.append(
            f"this replaces the acceptance by {printable(earlier.by)} on {earlier.on} "
            f"(until {earlier.expires}); the git history keeps it"
        )
    acceptance = {"by": by, "on": on, "rationale": rationale.strip(), "expires": until}
    change, rel = _edit(repo, risk, {"acceptance": acceptance})
    writing.refuse_new_errors(repo.root, repo.as_of, [change], f"accepting {risk_id}")
    return SignOff(change, rel, notes)


def approve_assessment(
    repo: Repository,
    assessment_id: str,
    by: str,
    on: date | None = None,
    decision: str | None = None,
) -> SignOff:
    """Record the approval of an impact assessment (nothing is written yet)."""
    from aimsctl import codes
    from aimsctl.engine import run

    assessment = _record(repo, assessment_id, ImpactAssessment)
    assert isinstance(assessment, ImpactAssessment)
    on = on or repo.as_of
    by = by.strip()  # judged as it is written
    refusals: list[str] = []
    if assessment.status == "superseded":
        refusals.append(f"{assessment_id} is superseded; approve the assessment that replaced it")
    recorded = assessment.approval if assessment.status == "approved" else None
    if recorded is not None and (
        (recorded.by, recorded.on) != (by, on)
        or (decision is not None and decision != assessment.decision)
    ):
        # Run again on another day (or by someone else), it rewrote who approved and
        # when: the sign-off on record is evidence, and is never replaced behind it.
        refusals.append(
            f"{assessment_id} is approved already (by {recorded.by} on {recorded.on}); an "
            "approval on record is not replaced: to approve a revised assessment, set its "
            "status to in-review first"
        )
    if on > repo.as_of:
        refusals.append(f"the approval date {on} is after the as-of date {repo.as_of}")
    if on < assessment.assessed.on:
        refusals.append(
            f"the approval date {on} is before the assessment was made ({assessment.assessed.on})"
        )
    if not by.strip() or is_placeholder(by):
        refusals.append("--by must name who approves the assessment")
    if decision is None and assessment.decision is None:
        refusals.append(
            "the assessment records no decision: give --decision proceed, "
            "proceed-with-conditions or do-not-proceed"
        )
    if (refused := approver_refused(repo, by)) is not None:
        refusals.append(refused)
    placeholders = [
        d
        for d in run(repo).diagnostics
        if d.record == assessment_id and d.code == codes.PLACEHOLDER
    ]
    # each where validate reports it, in its words: a line to go to, not a JSON pointer
    for d in sorted(placeholders, key=lambda d: (d.line, d.column)):
        refusals.append(f"{d.path}:{d.line}:{d.column}: {d.message}")
    if refusals:
        raise WriteRefused("\n".join([f"cannot approve {assessment_id}:", *refusals]))
    fields: dict[str, Any] = {"status": "approved", "approval": {"by": by, "on": on}}
    if decision is not None:
        fields["decision"] = decision
    change, rel = _edit(repo, assessment, fields)
    writing.refuse_new_errors(repo.root, repo.as_of, [change], f"approving {assessment_id}")
    return SignOff(change, rel, [])
