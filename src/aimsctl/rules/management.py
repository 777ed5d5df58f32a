"""AIMS601-AIMS622: the management system itself: the AI policy, roles, objectives,
internal audits, management reviews, nonconformities and corrective actions, and
when the system started.

Rules about what must exist (a policy, an audit, a review) apply only to a
repository that keeps its management system in records: one with a record of one
of the six kinds, or `established` or `cadence` in aims.yaml. A repository that
only keeps a risk register validates as before.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, get_args

from pydantic import BaseModel

from aimsctl import codes
from aimsctl.days import add_days, years_before
from aimsctl.diagnostics import Severity
from aimsctl.records import (
    AISystem,
    Control,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Objective,
    Policy,
    Record,
    Role,
)
from aimsctl.records.audit import NONCONFORMITY_TYPES
from aimsctl.records.base import Action
from aimsctl.records.clauses import TOP_CLAUSES, covers, sub_clauses
from aimsctl.records.objective import SETTLED
from aimsctl.records.policy import Commitment
from aimsctl.records.review import ReviewInput
from aimsctl.rules.placeholders import still_unwritten, unsigned_note, unwritten_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.soa import decided
from aimsctl.text import name_key, natural_key, plural, words
from aimsctl.validation_messages import did_you_mean
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING

MANAGEMENT_KINDS: tuple[type[Record], ...] = (
    Policy,
    Role,
    Objective,
    InternalAudit,
    ManagementReview,
    Nonconformity,
)
COMMITMENTS: tuple[str, ...] = get_args(Commitment)
REVIEW_INPUTS: tuple[str, ...] = get_args(ReviewInput)
PROGRAMME_YEARS = 3  # the audit programme is judged over a three-year certification cycle
# How the rules about the management system's own records treat one that failed validation.
NOT_JUDGED = (
    " Where a record of that kind fails validation (it may be the one that answers the "
    "rule), the finding says the question cannot be judged until it is fixed, instead of "
    "calling the requirement met or missing."
)


# --- the state of the management system ----------------------------------------------


def keeps_management_system(repo: Repository) -> bool:
    """Whether the repository keeps its management system in records, so that a
    missing policy, audit or review is worth reporting."""
    config = repo.config
    if config.established is not None or "cadence" in config.model_fields_set:
        return True
    return any(repo.of_kind(kind) for kind in MANAGEMENT_KINDS) or _has_invalid(
        repo, *(kind.KIND for kind in MANAGEMENT_KINDS)
    )


def _has_invalid(repo: Repository, *kinds: str) -> bool:
    """Whether a record of one of ``kinds`` exists but failed validation: its schema
    findings come first, and it may be the record a rule would miss."""
    return any(kind in kinds for kind in repo.invalid.values())


def _invalid_of(repo: Repository, kind: str) -> list[str]:
    """The ids of the records of ``kind`` that failed validation, in natural order."""
    return sorted((i for i, k in repo.invalid.items() if k == kind), key=natural_key)


def unjudged_note(repo: Repository, kind: str, done: str) -> str:
    """ "EVAL-1 fails validation and may be the one that passed": the records of
    ``kind`` that failed validation, one of which may be the record that did what is
    asked (``done``); "" when none did. What `due` and a rule add to "none has" or
    "since this one", so that a record left out is never left out silently."""
    invalid = _invalid_of(repo, kind)
    if not invalid:
        return ""
    verb = "fails" if len(invalid) == 1 else "fail"
    return f"{words(invalid, 'and')} {verb} validation and may be the one {done}"


def _not_judged(repo: Repository, kind: str, done: str, finding: str) -> Finding:
    """What a rule says instead of ``finding`` when records of ``kind`` failed
    validation: one of them may be the record that answers it (the one ``done``), so
    the repository neither meets the requirement nor misses it as far as aimsctl can
    tell; in :func:`unjudged_note`'s words, as `due` says it beside the same item.
    Said at the first such record's file (its own errors say what is wrong with it)."""
    ids = _invalid_of(repo, kind)
    path = next((d.path for d in repo.diagnostics if d.record == ids[0]), None)
    return Finding(
        f"{finding}; whether that holds cannot be judged: {kind} "
        f"{unjudged_note(repo, kind, done)}; fix {'it' if len(ids) == 1 else 'them'} "
        "(aimsctl validate lists the errors)",
        record=ids[0],
        path=path,
    )


@dataclass(frozen=True, slots=True)
class Start:
    """When the management system started, and how aimsctl knows."""

    day: date
    basis: str


def records_start(repo: Repository) -> tuple[date, str] | None:
    """The earliest day (by as-of) the records show the AIMS at work, a policy approved,
    an audit begun or a review held, with what shows it ("POL-AI was approved on
    2024-01-10"); None when none does. Of records the same day, the first by kind in
    that order, then by id, so the text is the same each run."""
    as_of = repo.as_of
    seen: list[tuple[date, int, tuple[tuple[int, int | str], ...], str]] = [
        *(
            (p.approval.on, 0, natural_key(p.id), f"{p.id} was approved on {p.approval.on}")
            for p in repo.of_kind(Policy)
            if p.approval and p.approval.on <= as_of
        ),
        *(
            (a.performed.from_, 1, natural_key(a.id), f"{a.id} began on {a.performed.from_}")
            for a in repo.of_kind(InternalAudit)
            if a.performed and a.performed.from_ <= as_of
        ),
        *(
            (r.held, 2, natural_key(r.id), f"{r.id} was held on {r.held}")
            for r in repo.of_kind(ManagementReview)
            if r.held <= as_of
        ),
    ]
    if not seen:
        return None
    first = min(seen)
    return first[0], first[3]


def aims_start(repo: Repository) -> Start | None:
    """When the AIMS started, read conservatively: the earlier of `established` in
    aims.yaml and the first day the records show it at work (a policy approved, an
    audit begun, a review held); either where only one says; None when neither does.
    A later `established` would move the first audit and review (and the policy owed)
    past what the records show: AIMS622 warns of it."""
    established = repo.config.established
    shown = records_start(repo)
    if established is not None and (shown is None or established <= shown[0]):
        return Start(established, f"the AIMS was established on {established}")
    if shown is None:
        return None
    first, evidence = shown
    if established is not None:
        return Start(first, f"aims.yaml says established {established}, but {evidence}")
    return Start(
        first,
        f"aims.yaml sets no `established`, and the records show the AIMS at work since {first}",
    )


def first_due(
    repo: Repository,
    kind: type[InternalAudit] | type[ManagementReview],
    days: int,
    with_invalid: bool = False,
) -> tuple[Start, date] | None:
    """When the first internal audit or management review falls due, ``days`` after
    the AIMS started; None when the repository keeps no management system in records,
    a record of ``kind`` failed validation (it may be the one held; ``with_invalid``:
    the date all the same, for a rule that says it cannot judge), or the start is
    unknown. What AIMS611 and AIMS616 report against, and what `due` lists."""
    if not keeps_management_system(repo):
        return None
    if not with_invalid and _has_invalid(repo, kind.KIND):
        return None
    start = aims_start(repo)
    return None if start is None else (start, add_days(start.day, days))


def policy_approved(policy: Policy, as_of: date) -> bool:
    """Approved as of ``as_of`` (an approval not recorded is AIMS604's finding)."""
    return policy.status == "approved" and (policy.approval is None or policy.approval.on <= as_of)


def policy_in_force(policy: Policy, repo: Repository) -> bool:
    """Approved as of the as-of date, and written: one that still holds a placeholder
    (AIMS107) is the starter's text, not a policy top management approved."""
    return policy_approved(policy, repo.as_of) and not still_unwritten(repo, policy)


def policy_owed(repo: Repository) -> date | None:
    """From when the repository owes an approved AI policy it does not have: the day
    the AIMS started where aims.yaml sets `established` (the records' first day where
    that is earlier: see :func:`aims_start`), or the as-of date where it does not say;
    None when it keeps no management system in records or a policy is in force.
    AIMS601 reports it once that day has come; `due` lists it ahead too."""
    if not keeps_management_system(repo):
        return None
    if any(policy_in_force(policy, repo) for policy in repo.of_kind(Policy)):
        return None
    start = aims_start(repo) if repo.config.established is not None else None
    return repo.as_of if start is None else start.day


def policy_next_review(policy: Policy, repo: Repository) -> date | None:
    """When an approved policy is next due for review: `next_review`, else the
    approval plus `cadence.policy_review_days`."""
    if policy.next_review is not None:
        return policy.next_review
    return policy_cadence_review(policy, repo)


def policy_cadence_review(policy: Policy, repo: Repository) -> date | None:
    """The approval plus `cadence.policy_review_days` (None: no approval recorded): the
    review date of a policy that sets no `next_review`, and the latest one it may set
    (AIMS509)."""
    if policy.approval is None:
        return None
    return add_days(policy.approval.on, repo.config.cadence.policy_review_days)


def action_done(action: Action, as_of: date) -> bool:
    """Whether an action was done by ``as_of``: a `done` date after it has not happened
    yet (AIMS508), so the action is still open."""
    return action.done is not None and action.done <= as_of


def closure_problem(item: Nonconformity, as_of: date) -> str | None:
    """Why a closed nonconformity's closure does not stand as of ``as_of`` (AIMS621's
    findings, in short), None when it does: no effectiveness review (or one dated later),
    a review that found the corrective action not effective, or an action not done."""
    review = item.effectiveness
    if review is None:
        return "closed without a review of its corrective action's effectiveness"
    if is_placeholder(review.by):
        return f"closed, but {unsigned_note(item.id, 'effectiveness.by', 'reviewed')}"
    if review.on > as_of:
        return f"closed on a review dated {review.on}, after the as-of date"
    if not review.effective:
        return "closed, but its review found the corrective action not effective"
    undone = [str(i + 1) for i, action in enumerate(item.actions) if not action_done(action, as_of)]
    if undone:
        return (
            f"closed with {plural(len(undone), 'corrective action')} not done ({', '.join(undone)})"
        )
    return None


def _completed_audits(repo: Repository) -> list[InternalAudit]:
    """The internal audits completed by as-of, whatever their text still holds."""
    return [
        audit
        for audit in repo.of_kind(InternalAudit)
        if audit.status == "completed"
        and audit.performed is not None
        and audit.performed.to <= repo.as_of
    ]


def _ended(audit: InternalAudit) -> tuple[date, str]:
    return (audit.performed.to if audit.performed else audit.planned, audit.id)


def last_completed_audit(repo: Repository) -> InternalAudit | None:
    """The completed internal audit that ended last (by as-of). One that still holds a
    placeholder (AIMS107) records no audit done and is not counted."""
    done = [a for a in _completed_audits(repo) if not still_unwritten(repo, a)]
    return max(done, key=_ended, default=None)


def _held_reviews(repo: Repository) -> list[ManagementReview]:
    return [r for r in repo.of_kind(ManagementReview) if r.held <= repo.as_of]


def last_review(repo: Repository) -> ManagementReview | None:
    """The management review held last (by as-of). One that still holds a placeholder
    (AIMS107) records no review held and is not counted."""
    held = [r for r in _held_reviews(repo) if not still_unwritten(repo, r)]
    return max(held, key=lambda r: (r.held, r.id), default=None)


def left_out(
    repo: Repository, kind: type[InternalAudit] | type[ManagementReview]
) -> list[InternalAudit] | list[ManagementReview]:
    """The audits completed, or reviews held, after the last that counts (all of them
    where none counts) that still hold placeholders, by id: the records the cadence
    rules and `due` leave out and say so."""
    if kind is InternalAudit:
        last_audit = last_completed_audit(repo)
        audits = [
            a
            for a in _completed_audits(repo)
            if still_unwritten(repo, a) and (last_audit is None or _ended(a) > _ended(last_audit))
        ]
        return sorted(audits, key=lambda a: natural_key(a.id))
    last = last_review(repo)
    reviews = [
        r
        for r in _held_reviews(repo)
        if still_unwritten(repo, r) and (last is None or (r.held, r.id) > (last.held, last.id))
    ]
    return sorted(reviews, key=lambda r: natural_key(r.id))


def not_counted(repo: Repository, kind: type[InternalAudit] | type[ManagementReview]) -> str:
    """Why the records :func:`left_out` returns are not counted: they still hold
    placeholders ("MR-1 still holds placeholder text (TODO:), so it does not count as
    held"); "" when no such record would have counted. What the cadence rules and `due`
    add to what they say, so that a record left out is never left out silently."""
    counts_as = "completed" if kind is InternalAudit else "held"
    return unwritten_note([r.id for r in left_out(repo, kind)], counts_as)


def _at_left_out(
    repo: Repository, kind: type[InternalAudit] | type[ManagementReview], found: Finding
) -> Finding:
    """``found`` (a finding with no record to point at) at the record left out for its
    placeholders that would have counted last, at the date it would have counted from:
    that record, not aims.yaml, is what to fix. Unchanged where none was left out."""
    records = left_out(repo, kind)
    if not records:
        return found
    if kind is InternalAudit:
        audit = max((a for a in records if isinstance(a, InternalAudit)), key=_ended)
        return replace(found, record=audit.id, parts=("performed", "to"))
    review = max(
        (r for r in records if isinstance(r, ManagementReview)), key=lambda r: (r.held, r.id)
    )
    return replace(found, record=review.id, parts=("held",))


def _also(*notes: str) -> str:
    """``notes`` (see :func:`not_counted`) as the end of a finding's sentence."""
    said = "; ".join(note for note in notes if note)
    return f" ({said})" if said else ""


def _top_management(repo: Repository) -> list[Role]:
    return [role for role in repo.of_kind(Role) if role.top_management]


def _is_top_management(name: str, roles: list[Role]) -> bool:
    return any(role.names(name) for role in roles)


# --- the AI policy ------------------------------------------------------------------


@rule(
    codes.AI_POLICY_MISSING,
    E,
    summary="The repository keeps its management system in records (a record of one of "
    "its kinds, or `established` or `cadence` in aims.yaml), and no Policy is approved: "
    "there is none, or each is a draft, retired, approved only after the as-of date, or "
    "still holds a `TODO:` placeholder (AIMS107: the starter's text is no policy anyone "
    "approved). Before `established` the policy is not yet due, unless the records show "
    f"the AIMS at work earlier ({codes.ESTABLISHED_AFTER_RECORDS})." + NOT_JUDGED,
    why="Clause 5.2 asks top management to establish an AI policy, and control A.2.2 to "
    "document it: it is the first decision of the management system, the frame every "
    "objective, role and control refers to. Without an approved policy nothing else in "
    "the AIMS has a mandate.",
    fix="Have top management approve the policy: `status: approved` and `approval: {by, "
    "on}`. While it is being written, keep it as a draft and leave `established` unset "
    "or in the future.",
    example="kind: Policy\nid: POL-AI\ntitle: AI policy\nowner: cro@acme.example\n"
    'status: draft\nversion: "0.3"',
)
def ai_policy_missing(repo: Repository) -> Iterator[Finding]:
    owed = policy_owed(repo)
    if owed is None or owed > repo.as_of:
        return
    policies = repo.of_kind(Policy)
    if _has_invalid(repo, Policy.KIND):
        # It may be the approved policy: neither approved nor missing as far as we know.
        yield _not_judged(repo, Policy.KIND, "approved", "no valid AI policy is approved")
        return
    if not policies:
        yield Finding(
            "no AI policy is recorded; add a Policy record approved by top management "
            f"(folder {Policy.FOLDER}/)"
        )
        return
    for policy in policies:
        if policy_approved(policy, repo.as_of):  # approved, but not written yet
            state = unwritten_note([policy.id], "approved")
        elif policy.status == "approved" and policy.approval is not None:
            state = f"{policy.id} is approved only on {policy.approval.on}"
        else:
            state = f"{policy.id} is {policy.status}"
        yield Finding(
            f"no AI policy is approved: {state}",
            record=policy.id,
            parts=("status",),
        )


@rule(
    codes.AI_POLICY_REVIEW_OVERDUE,
    W,
    summary="An approved policy is past its review date: `next_review`, or its approval "
    "plus `cadence.policy_review_days` (365 by default). A policy that still holds a "
    f"`TODO:` placeholder is not approved ({codes.AI_POLICY_MISSING} says so).",
    why="Control A.2.4 asks for the AI policy to be reviewed at planned intervals, and "
    "whenever changes call for it, so that it stays suitable, adequate and effective "
    "(5.2). A policy nobody has looked at for longer than planned may no longer fit the "
    "systems, laws and risks it governs.",
    fix="Review the policy with top management; record the new approval (or a new "
    "version) and the next review date. Retire a policy another one replaced.",
    example="kind: Policy\nid: POL-AI\n...\nstatus: approved\n"
    "approval: {by: ceo@acme.example, on: 2025-06-01}\n# no next_review: due 2026-06-01",
)
def ai_policy_review_overdue(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        if not policy_in_force(policy, repo):  # not approved: AIMS601 says so
            continue
        due = policy_next_review(policy, repo)
        if due is None or due >= repo.as_of:
            continue
        if policy.next_review is not None:
            yield Finding(
                f"the policy's review was due on {due}", record=policy.id, parts=("next_review",)
            )
        else:
            assert policy.approval is not None
            days = repo.config.cadence.policy_review_days
            yield Finding(
                f"approved on {policy.approval.on} and not reviewed since; "
                f"cadence.policy_review_days is {days}, so its review was due on {due}",
                record=policy.id,
                parts=("approval", "on"),
            )


@rule(
    codes.AI_POLICY_COMMITMENT_MISSING,
    E,
    summary="An approved policy does not list all three `commitments`: `requirements`, "
    "`continual-improvement` and `objectives-framework`.",
    why="Clause 5.2 says what an AI policy must contain: a frame for setting AI "
    "objectives, a commitment to meet the requirements that apply, and a commitment to "
    "continually improve the management system. An auditor reads the policy for each; "
    "the record says where the text makes them.",
    fix="Make sure the policy text makes the commitment, then list it under "
    "`commitments:`. If the text lacks it, revise the policy and have it approved again.",
    example="kind: Policy\nid: POL-AI\n...\nstatus: approved\n"
    "commitments: [requirements, continual-improvement]",
)
def ai_policy_commitment_missing(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        if policy.status != "approved":
            continue
        missing = [c for c in COMMITMENTS if c not in policy.commitments]
        if missing:
            yield Finding(
                f"approved policy lacks the {plural(len(missing), 'commitment')} "
                f"{words(missing, 'and')}",
                record=policy.id,
                parts=("commitments",) if policy.commitments else ("status",),
                at_key=bool(policy.commitments),
            )


@rule(
    codes.STATUS_INCOMPLETE,
    E,
    summary="A record's status claims what its fields do not show: a Policy `approved` "
    "with no `approval` (who, when), an InternalAudit `completed` with no `performed` "
    "dates.",
    why="An approval of the AI policy by top management (5.2) and the performance of "
    "an internal audit (9.2) are facts the management system retains as documented "
    "information; a status alone says neither who approved nor when the audit took "
    "place, and the rules that time the next review or audit cannot count from it.",
    fix="Add `approval: {by, on}` to the policy or `performed: {from, to}` to the "
    "audit, or set the status back to `draft` or `in-progress`.",
    example="kind: InternalAudit\nid: AUD-2026\n...\nstatus: completed\n# no performed",
)
def status_incomplete(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        if policy.status == "approved" and policy.approval is None:
            yield Finding(
                "policy is approved but does not record the approval (by, on)",
                record=policy.id,
                parts=("status",),
            )
    for audit in repo.of_kind(InternalAudit):
        if audit.status == "completed" and audit.performed is None:
            yield Finding(
                "audit is completed but does not record when it was performed (from, to)",
                record=audit.id,
                parts=("status",),
            )


# --- roles --------------------------------------------------------------------------


@rule(
    codes.NO_TOP_MANAGEMENT_ROLE,
    E,
    summary="Roles are recorded, but none has `top_management: true`.",
    why="Clause 5.1 asks top management to lead the AI management system and 5.3 to "
    "assign its responsibilities and authorities. Once roles are recorded, the records "
    "must say who top management is: they approve the policy and chair the management "
    "review.",
    fix="Set `top_management: true` on the roles of the people who direct the "
    "organization at the highest level (the chief executive, the executive committee).",
    example="kind: Role\nid: ceo\ntitle: Chief executive\nholder: ceo@acme.example\n"
    "responsibilities: [Sets the AI policy]\n# top_management not set",
)
def no_top_management_role(repo: Repository) -> Iterator[Finding]:
    roles = repo.of_kind(Role)
    if roles and not _top_management(repo):
        yield Finding(
            f"none of the {plural(len(roles), 'role')} is top management; set "
            "`top_management: true` on the roles that direct the organization",
            record=roles[0].id,
        )


@rule(
    codes.NOT_TOP_MANAGEMENT,
    W,
    summary="Where a Role is marked top management, a policy's approver "
    "(`approval.by`) or a management review's `chair` is neither the id nor the holder "
    "of such a Role.",
    why="Clause 5.2 gives the AI policy to top management, and 9.3 the management review: "
    "both are how the leadership of 5.1 shows. An approval or a chair outside top "
    "management is a delegation an auditor will question, or a role not yet recorded.",
    fix="Name a top-management role (its id or its holder), or record the person's role "
    "with `top_management: true` if they are top management.",
    example="kind: ManagementReview\nid: MR-2026\n...\nchair: ai-lead@acme.example   "
    "# not top management",
)
def not_top_management(repo: Repository) -> Iterator[Finding]:
    top = _top_management(repo)
    if not top:
        return
    for policy in repo.of_kind(Policy):
        approval = policy.approval
        if policy.status == "approved" and approval and not _is_top_management(approval.by, top):
            yield Finding(
                f"the policy was approved by {approval.by!r}, who is not top management "
                "(no Role with top_management: true names them)",
                record=policy.id,
                parts=("approval", "by"),
            )
    for review in repo.of_kind(ManagementReview):
        if not _is_top_management(review.chair, top):
            yield Finding(
                f"the review was chaired by {review.chair!r}, who is not top management "
                "(no Role with top_management: true names them)",
                record=review.id,
                parts=("chair",),
            )


def _owners(
    value: object, parts: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every `owner` in a record: its own, a treatment's, each action's."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            if name == "owner" and isinstance(item, str):
                yield (*parts, name), item
            else:
                yield from _owners(item, (*parts, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _owners(item, (*parts, index))


def _by_domain(known: list[str]) -> dict[str, dict[str, str]]:
    """The names in ``known`` that hold an @, by their domain, each under the part
    before the @ in any letter case."""
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for name in known:
        local, at, domain = name.partition("@")
        if at:
            grouped[domain][local.casefold()] = name
    return grouped


def _owner_hint(owner: str, known: list[str], by_domain: dict[str, dict[str, str]]) -> str:
    """ "Did you mean" for an owner. Addresses at the same domain are compared by the
    part before the @, or the shared domain would make any two of them look alike."""
    local, at, domain = owner.partition("@")
    same = by_domain.get(domain, {}) if at else {}
    if not same:
        return did_you_mean(owner, known)
    close = difflib.get_close_matches(local.casefold(), list(same), n=1, cutoff=0.6)
    return f"; did you mean {same[close[0]]!r}?" if close else ""


@rule(
    codes.OWNER_NOT_A_ROLE,
    W,
    summary="Where Roles are recorded, an owner (a record's `owner`, a treatment's, a "
    "corrective or review action's) is neither a Role id nor the `holder` of a Role. An "
    "owner still a `TODO:` placeholder is reported as one (AIMS107), not here.",
    why="Clause 5.3 and control A.3.2 ask that responsibilities are assigned to roles "
    "and the roles communicated. An owner nobody can find among the roles is a "
    "responsibility outside the structure: it may be a typo, a person who left, or a "
    "role that was never recorded.",
    fix="Write the Role id or the holder exactly as the Role records it, or add the "
    "missing Role. The message suggests the closest name.",
    example="kind: Risk\nid: R-3\n...\nowner: head-of-dta-science@acme.example   "
    "# the Role's holder is head-of-data-science@acme.example",
)
def owner_not_a_role(repo: Repository) -> Iterator[Finding]:
    roles = repo.of_kind(Role)
    if not roles:
        return
    known = sorted({name for role in roles for name in (role.id, role.holder)})
    names = {name_key(name) for name in known}
    by_domain = _by_domain(known)
    # One "did you mean" per owner: 4,000 risks owned by names that are not roles, with
    # 400 roles, compared each owner with every role again (validate: 17 s, not 3).
    hints: dict[str, str] = {}
    for record_id, entry in repo.entries.items():
        for parts, owner in _owners(entry.record):
            # a placeholder is reported as such (AIMS107), not as a name to look up
            if name_key(owner) not in names and not is_placeholder(owner):
                if owner not in hints:
                    hints[owner] = _owner_hint(owner, known, by_domain)
                yield Finding(
                    f"owner {owner!r} is neither a Role id nor the holder of a Role{hints[owner]}",
                    record=record_id,
                    parts=parts,
                )


@rule(
    codes.REPORTING_CYCLE,
    E,
    summary="Roles report to each other in a circle: following `reports_to` from a role "
    "leads back to it. The cycle is reported once, naming its roles.",
    why="Clause 5.3 asks for responsibilities and authorities to be assigned, including "
    "for reporting on the performance of the management system to top management. A "
    "circle of reporting never reaches top management, so accountability has no top.",
    fix="Break the circle: the role at the top of a line reports to nobody (leave "
    "`reports_to` out) or to top management.",
    example="kind: Role\nid: cro\nreports_to: ceo\n---\nkind: Role\nid: ceo\nreports_to: cro",
)
def reporting_cycle(repo: Repository) -> Iterator[Finding]:
    parent = {role.id: role.reports_to for role in repo.of_kind(Role)}
    seen: set[str] = set()
    for start in sorted(parent, key=natural_key):
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parent and current not in seen:
            if current in path:
                cycle = path[path.index(current) :]
                first = min(cycle, key=natural_key)
                shown = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
                yield Finding(
                    f"roles report to each other in a circle: {' -> '.join([*shown, first])}",
                    record=first,
                    parts=("reports_to",),
                )
                break
            path.append(current)
            current = parent[current]
        seen.update(path)


# --- objectives ---------------------------------------------------------------------


@rule(
    codes.OBJECTIVE_OVERDUE,
    W,
    summary="An objective's `due` date has passed and its status is not `achieved`, "
    "`missed` or `withdrawn`.",
    why="Clause 6.2 asks for AI objectives with a time by which each is to be met and "
    "for their results to be evaluated. Once the date has passed the objective was "
    "either met or not, and the record should say which.",
    fix="Record the outcome: `achieved` or `missed` (with a last `progress` entry), or "
    "`withdrawn` with a note why; or set a new `due` date if the plan changed.",
    example="kind: Objective\nid: OBJ-1\n...\ndue: 2026-06-30\nstatus: on-track",
)
def objective_overdue(repo: Repository) -> Iterator[Finding]:
    for objective in repo.of_kind(Objective):
        if objective.status not in SETTLED and objective.due < repo.as_of:
            yield Finding(
                f"objective was due on {objective.due} and is still {objective.status}; "
                "record whether it was achieved, missed or withdrawn",
                record=objective.id,
                parts=("due",),
            )


@rule(
    codes.OBJECTIVE_PROGRESS_STALE,
    W,
    summary="An objective `on-track` or `at-risk` (and not yet due) has no `progress` "
    "entry within the last `cadence.management_review_days`: progress is expected at "
    "least once between management reviews.",
    why="Clause 6.2 asks for AI objectives to be monitored, and 9.3 for top management to "
    "review how they are met. A status with no recent measurement behind it is an "
    "opinion; the management review period is the longest gap that still gives each "
    "review a fresh figure.",
    fix="Measure the objective and add a `progress` entry `{on, value, note}`; change the "
    "status if the figure says so.",
    example="kind: Objective\nid: OBJ-1\n...\nstatus: on-track\nprogress:\n"
    "  - {on: 2025-09-30, value: 62%}",
)
def objective_progress_stale(repo: Repository) -> Iterator[Finding]:
    days = repo.config.cadence.management_review_days
    for objective in repo.of_kind(Objective):
        owed = progress_owed(repo, objective)
        if owed is None:
            continue
        last, due = owed
        if last is None:
            yield Finding(
                f"objective is {objective.status} but records no progress; add a progress "
                "entry with the latest measurement",
                record=objective.id,
                parts=("status",),
            )
        elif due < repo.as_of:
            yield Finding(
                f"last progress was recorded on {last}; cadence.management_review_days is "
                f"{days}, so a new measurement was due by {due}",
                record=objective.id,
                parts=("progress",),
            )


def progress_owed(repo: Repository, objective: Objective) -> tuple[date | None, date] | None:
    """When an objective being pursued (`on-track`, `at-risk`, not yet due) owes its
    next progress measurement: (its last measurement, the day the next is due: the
    last plus `cadence.management_review_days`, or the as-of date with none yet).
    None for an objective that owes none before it is itself due."""
    if objective.status not in ("on-track", "at-risk") or objective.due < repo.as_of:
        return None
    measured = [p.on for p in objective.progress if p.on <= repo.as_of]
    if not measured:
        return None, repo.as_of
    last = max(measured)
    due = add_days(last, repo.config.cadence.management_review_days)
    # Owed only while the objective is pursued: from its due date on, AIMS609 asks
    # for its outcome instead.
    return (last, due) if due < objective.due else None


# --- internal audits ----------------------------------------------------------------


def _not_done(repo: Repository) -> list[InternalAudit]:
    """Audits planned or under way, by planned date."""
    audits = [a for a in repo.of_kind(InternalAudit) if a.status != "completed"]
    return sorted(audits, key=lambda a: (a.planned, natural_key(a.id)))


def _plan_note(ids: list[str]) -> str:
    """Why the audits ``ids``, planned or under way, are no plan: their placeholders
    (a starter's `TODO:` auditor is nobody assigned to audit)."""
    return unwritten_note(sorted(ids, key=natural_key), "planned")


@rule(
    codes.INTERNAL_AUDIT_OVERDUE,
    E,
    summary="No internal audit was completed within `cadence.internal_audit_days` (365 by "
    "default): the last one ended longer ago, or there has been none and the AIMS is "
    "older than that period. Its age counts from `established` in aims.yaml, or from "
    "the earliest policy approval, audit or review the records show where that is "
    f"earlier ({codes.ESTABLISHED_AFTER_RECORDS}) or `established` is not set. Where "
    f"neither says, a missing first audit is only {codes.INTERNAL_AUDIT_UNPLANNED}'s warning. "
    "An audit that still holds a `TODO:` placeholder (AIMS107) is not counted as "
    "completed (nor one planned as planned), and the finding names it; where such an "
    "audit is the reason, the finding is at that audit, not at aims.yaml." + NOT_JUDGED,
    why="Clause 9.2 asks for internal audits at planned intervals, to learn whether the "
    "management system meets the organization's own requirements and the standard's "
    "and is working. An AIMS younger than one interval may not have audited itself "
    "yet; once it is older, or once the records show it has run that long, a missing "
    "audit is a nonconformity an external auditor would raise.",
    fix="Carry out the audit and record it as an InternalAudit with `status: completed` "
    "and `performed: {from, to}`. Setting `established` later does not put it off: "
    "the records' first day counts where it is earlier.",
    example="# aims.yaml: established: 2025-01-15\n"
    "kind: InternalAudit\nid: AUD-2025\n...\nstatus: planned\nplanned: 2025-11-01",
)
def internal_audit_overdue(repo: Repository) -> Iterator[Finding]:
    days = repo.config.cadence.internal_audit_days
    last = last_completed_audit(repo)
    # An audit that failed validation may be the one completed: the programme is then
    # neither covered nor overdue as far as aimsctl can tell, and it says so (9.2).
    invalid = _has_invalid(repo, InternalAudit.KIND)
    if last is not None:
        assert last.performed is not None
        due = add_days(last.performed.to, days)
        if due < repo.as_of:
            message = (
                f"the last internal audit ended on {last.performed.to}; "
                f"cadence.internal_audit_days is {days}, so the next was due on {due}"
                + _also(not_counted(repo, InternalAudit))
            )
            if invalid:
                yield _not_judged(repo, InternalAudit.KIND, "held", message)
                return
            yield Finding(message, record=last.id, parts=("performed", "to"))
        return
    first = first_due(repo, InternalAudit, days, with_invalid=True)
    if first is None or first[1] >= repo.as_of:
        return
    start, due = first
    message = (
        f"no internal audit has been completed; {start.basis}, so the first was due on {due}"
        + _also(not_counted(repo, InternalAudit))
    )
    if invalid:
        yield _not_judged(repo, InternalAudit.KIND, "held", message)
        return
    waiting = _not_done(repo)
    if waiting:
        audit = waiting[0]
        unwritten = [audit.id] if still_unwritten(repo, audit) else []
        yield Finding(
            f"{message}, and {audit.id} is {audit.status} for {audit.planned}"
            + _also(_plan_note(unwritten)),
            record=audit.id,
            parts=("status",),
        )
    else:
        yield _at_left_out(repo, InternalAudit, Finding(message))


@rule(
    codes.INTERNAL_AUDIT_UNPLANNED,
    W,
    summary="The AIMS is younger than `cadence.internal_audit_days` (or its start is "
    "unknown), no internal audit has been completed, and none is planned on or before "
    "the day the first falls due. An audit that still holds a `TODO:` placeholder "
    "(AIMS107), such as the starter's AUD-FIRST with no auditor named, counts as neither "
    "completed nor planned: the finding names it and is at it." + NOT_JUDGED,
    why="Clause 9.2 asks for an audit programme: the frequency, methods, "
    "responsibilities and planning of audits. A young management system need not have "
    "audited itself yet, but it should have planned its first audit in time.",
    fix="Plan the first audit: an InternalAudit with `status: planned` and a `planned` "
    "date no later than the due date in the message, its auditor named and its text "
    "your own (no `TODO:` left).",
    example="# aims.yaml: established: 2026-09-01\n# no InternalAudit record",
)
def internal_audit_unplanned(repo: Repository) -> Iterator[Finding]:
    # An audit that failed validation may be the one planned or completed.
    invalid = _has_invalid(repo, InternalAudit.KIND)
    for found in _unplanned_audit(repo):
        if invalid:
            yield _not_judged(repo, InternalAudit.KIND, "planned or held", found.message)
        else:
            yield found


def _unplanned_audit(repo: Repository) -> Iterator[Finding]:
    if last_completed_audit(repo) is not None or not keeps_management_system(repo):
        return
    completed = not_counted(repo, InternalAudit)
    for found, plans in _first_audit_unplanned(repo):
        found = replace(found, message=found.message + _also(_plan_note(plans), completed))
        if found.record is None and plans:  # the plan that does not count is what to fix
            latest = max((a for a in _not_done(repo) if a.id in plans), key=lambda a: a.planned)
            found = replace(found, record=latest.id, parts=("planned",))
        yield _at_left_out(repo, InternalAudit, found) if found.record is None else found


def _first_audit_unplanned(repo: Repository) -> Iterator[tuple[Finding, list[str]]]:
    """The finding of AIMS612 (no first audit planned), with the audits planned that do
    not count as planned because they still hold placeholders (AIMS107)."""
    days = repo.config.cadence.internal_audit_days
    start = aims_start(repo)
    due = add_days(start.day, days) if start is not None else None
    if due is not None and due < repo.as_of:
        return  # overdue: internal-audit-overdue
    waiting = [a for a in _not_done(repo) if not still_unwritten(repo, a)]
    if any(due is None or audit.planned <= due for audit in waiting):
        return
    plans = [a.id for a in _not_done(repo) if still_unwritten(repo, a)]
    if due is None:
        yield (
            Finding(
                "no internal audit is completed or planned, and aims.yaml sets no "
                "`established`; plan the first audit and say when the AIMS started"
            ),
            plans,
        )
    elif waiting:
        audit = waiting[0]
        yield (
            Finding(
                f"the first internal audit falls due on {due}, but {audit.id} is planned "
                f"only for {audit.planned}",
                record=audit.id,
                parts=("planned",),
            ),
            plans,
        )
    else:
        assert start is not None
        yield (
            Finding(
                f"no internal audit is completed or planned; {start.basis}, so the first "
                f"falls due on {due}"
            ),
            plans,
        )


@rule(
    codes.AUDITOR_NOT_INDEPENDENT,
    E,
    summary="An internal audit records `independent: false`: its auditor is not "
    "independent of the area audited; or it records `independent: true`, yet its "
    "auditor owns an AI system or a control its `scope` covers (the same name, or names "
    "of one Role).",
    why="Clause 9.2 asks that auditors are selected, and audits conducted, so that the "
    "process is objective and impartial. An auditor who audits their own work cannot "
    "give the assurance the audit exists for.",
    fix="Give the audit (or the part of its scope the auditor works in) to someone "
    "independent of that area: another function, internal audit, or an external "
    "auditor; then record `independent: true`.",
    example="kind: InternalAudit\nid: AUD-2026\n...\nauditor: ai-governance-lead@acme.example\n"
    "independent: false",
)
def auditor_not_independent(repo: Repository) -> Iterator[Finding]:
    roles = repo.of_kind(Role)

    def same(owner: str, auditor: str) -> bool:
        return name_key(owner) == name_key(auditor) or any(
            r.names(owner) and r.names(auditor) for r in roles
        )

    for audit in repo.of_kind(InternalAudit):
        if not audit.independent:
            yield Finding(
                f"auditor {audit.auditor!r} is not independent of the area audited",
                record=audit.id,
                parts=("independent",),
            )
            continue
        owned = sorted(
            {
                record.id
                for record in (*repo.of_kind(AISystem), *repo.of_kind(Control))
                if any(covers(item, record.id) for item in audit.scope)
                and record.owner is not None
                and same(record.owner, audit.auditor)
            },
            key=natural_key,
        )
        if owned:
            yield Finding(
                f"the audit records its auditor {audit.auditor!r} as independent, but they "
                f"own {', '.join(owned)}, in the audit's scope: an auditor does not audit "
                "their own work",
                record=audit.id,
                parts=("independent",),
            )


def to_audit(control: Control) -> bool:
    """Whether the audit programme is to cover an Annex A control: it applies, or it is
    not decided yet (a placeholder justification decides nothing, `applicable: false`
    included, as `aimsctl controls` and the SoA say)."""
    return control.is_annex_a and (control.applicable or not decided(control))


def _uncovered(clause: str, cited: set[str]) -> list[str]:
    """The most specific parts of ``clause`` no cited scope covers."""
    if any(covers(c, clause) for c in cited):
        return []
    parts = sub_clauses(clause)
    found = [missing for part in parts for missing in _uncovered(part, cited)]
    return [clause] if not parts or found == parts else found


@rule(
    codes.AUDIT_PROGRAMME_INCOMPLETE,
    W,
    summary="The audit programme (internal audits completed in the last three years, and "
    "those planned or under way since) leaves part of the management system unaudited: "
    "a clause from 4 to 10 or an applicable Annex A control that no `scope` covers (or "
    "an undecided one: its justification is still a `TODO:` placeholder, whatever its "
    "`applicable` says). One finding lists everything missing. A clause is covered by "
    "itself, a parent clause, or all of its sub-clauses; a control by itself, its "
    "objective or its area. An audit that still holds a `TODO:` placeholder (AIMS107), "
    "such as a `TODO:` auditor, covers nothing, and the finding names it. With no audit "
    f"in the programme at all, {codes.INTERNAL_AUDIT_OVERDUE} reports instead." + NOT_JUDGED,
    why="Clause 9.2 asks for an audit programme that takes in the whole management "
    "system, its processes and the results of earlier audits. Over a three-year "
    "certification cycle every clause and every control in the Statement of "
    "Applicability (6.1.3) is expected to have been audited at least once.",
    fix="Widen the scope of a planned audit, or plan another one, to take in what the "
    'message lists; a scope may name clauses ("7", "9.2"), Annex A areas, objectives '
    "or controls (A.6, A.6.2, A.6.2.4) and AI systems.",
    example='kind: InternalAudit\nid: AUD-2026\n...\nscope: ["4", "5", "6", "8", A.5, A.6]',
)
def audit_programme_incomplete(repo: Repository) -> Iterator[Finding]:
    audits = repo.of_kind(InternalAudit)
    if not audits:
        return
    since = years_before(repo.as_of, PROGRAMME_YEARS)
    recent = [
        audit
        for audit in audits
        if (audit.performed.to if audit.performed else audit.planned) >= since
    ]
    # An audit still holding placeholders (a `TODO:` auditor) covers nothing (AIMS107).
    programme = [audit for audit in recent if not still_unwritten(repo, audit)]
    left = unwritten_note(
        sorted((a.id for a in recent if still_unwritten(repo, a)), key=natural_key),
        "part of the programme",
    )
    if not programme:
        return  # no audit at all in three years: internal-audit-overdue says so
    cited = {item for audit in programme for item in audit.scope}
    clauses = [m for clause in TOP_CLAUSES for m in _uncovered(clause, cited)]
    uncovered = [
        control
        for control in repo.of_kind(Control)
        if to_audit(control) and not any(covers(c, control.id) for c in cited)
    ]
    controls = sorted((c.id for c in uncovered if decided(c)), key=natural_key)
    undecided = sorted((c.id for c in uncovered if not decided(c)), key=natural_key)
    if not clauses and not controls and not undecided:
        return
    missing = []
    if clauses:
        missing.append(f"{'clause' if len(clauses) == 1 else 'clauses'} {', '.join(clauses)}")
    if controls:
        missing.append(
            f"applicable Annex A {'control' if len(controls) == 1 else 'controls'} "
            f"{', '.join(controls)}"
        )
    if undecided:
        one = len(undecided) == 1
        missing.append(
            f"undecided Annex A {'control' if one else 'controls'} {', '.join(undecided)} "
            f"({'its' if one else 'their'} justification is a placeholder)"
        )
    latest = max(programme, key=lambda a: (a.planned, natural_key(a.id)))
    names = ", ".join(a.id for a in sorted(programme, key=lambda a: (a.planned, a.id)))
    message = (
        f"the audit programme since {since} ({names}) does not cover {' and '.join(missing)}"
        + _also(left)
    )
    if _has_invalid(repo, InternalAudit.KIND):  # its scope may cover what is missing
        yield _not_judged(repo, InternalAudit.KIND, "whose scope covers it", message)
        return
    yield Finding(message, record=latest.id, parts=("scope",))


@rule(
    codes.AUDIT_FINDING_WITHOUT_NONCONFORMITY,
    E,
    summary="An audit finding of type `major-nonconformity` or `minor-nonconformity` "
    "names no `nonconformity` record.",
    why="Clause 10.2 asks that every nonconformity is reacted to, its causes found and "
    "corrective action taken, with the results retained. A nonconformity an audit found "
    "but nobody recorded as a Nonconformity has no owner, no root cause and no action.",
    fix="Record a Nonconformity (source: internal-audit) and name its id under the "
    "finding's `nonconformity`.",
    example='findings:\n  - id: F-3\n    type: minor-nonconformity\n    reference: "9.3"\n'
    "    description: Review minutes do not show the audit results were considered.",
)
def audit_finding_without_nonconformity(repo: Repository) -> Iterator[Finding]:
    for audit in repo.of_kind(InternalAudit):
        for index, found in enumerate(audit.findings):
            if found.type in NONCONFORMITY_TYPES and found.nonconformity is None:
                yield Finding(
                    f"finding {found.id} is a {found.type.replace('-', ' ')} but names no "
                    "Nonconformity record",
                    record=audit.id,
                    parts=("findings", index),
                )


# --- management reviews -------------------------------------------------------------


@rule(
    codes.MANAGEMENT_REVIEW_OVERDUE,
    E,
    summary="No management review was held within `cadence.management_review_days` (365 "
    "by default): the last one was held longer ago, or there has been none and the AIMS "
    f"is older than that period (counted as for {codes.INTERNAL_AUDIT_OVERDUE}). A review "
    "that still holds a `TODO:` placeholder (AIMS107) is not counted as held, and the "
    "finding names it; where such a review is the reason, the finding is at it, not at "
    "aims.yaml." + NOT_JUDGED,
    why="Clause 9.3 asks top management to review the AI management system at planned "
    "intervals, to make sure it stays suitable, adequate and effective. Once the AIMS "
    "is older than one interval, a missing review means top management has not looked "
    "at its own system, an external auditor's first question.",
    fix="Hold the review and record it as a ManagementReview with its date, chair, "
    "inputs, decisions and actions.",
    example="kind: ManagementReview\nid: MR-2025\n...\nheld: 2025-10-02   # as of 2026-11-26",
)
def management_review_overdue(repo: Repository) -> Iterator[Finding]:
    days = repo.config.cadence.management_review_days
    last = last_review(repo)
    invalid = _has_invalid(repo, ManagementReview.KIND)  # it may be the review held
    if last is not None:
        due = add_days(last.held, days)
        if due < repo.as_of:
            message = (
                f"the last management review was held on {last.held}; "
                f"cadence.management_review_days is {days}, so the next was due on {due}"
                + _also(not_counted(repo, ManagementReview))
            )
            if invalid:
                yield _not_judged(repo, ManagementReview.KIND, "held", message)
                return
            yield Finding(message, record=last.id, parts=("held",))
        return
    first = first_due(repo, ManagementReview, days, with_invalid=True)
    if first is not None and first[1] < repo.as_of:
        start, due = first
        message = (
            f"no management review has been held; {start.basis}, so the first was due on {due}"
            + _also(not_counted(repo, ManagementReview))
        )
        if invalid:
            yield _not_judged(repo, ManagementReview.KIND, "held", message)
            return
        yield _at_left_out(repo, ManagementReview, Finding(message))


@rule(
    codes.MANAGEMENT_REVIEW_PENDING,
    W,
    summary="No management review has been held yet (one that still holds a `TODO:` "
    "placeholder is not counted, and the finding is at it), and the AIMS is younger than "
    "`cadence.management_review_days`, or its start is unknown." + NOT_JUDGED,
    why="Clause 9.3 asks top management to review the management system at planned "
    "intervals. A young AIMS need not have held its first review, but it is on its way "
    "to falling due; the warning gives the date.",
    fix="Hold the first management review before the date in the message and record it; "
    "set `established` in aims.yaml if it is not set.",
    example="# aims.yaml: established: 2026-09-01\n# no ManagementReview record",
)
def management_review_pending(repo: Repository) -> Iterator[Finding]:
    # A review that failed validation may be the one held.
    invalid = _has_invalid(repo, ManagementReview.KIND)
    for found in _pending_review(repo):
        if invalid:
            yield _not_judged(repo, ManagementReview.KIND, "held", found.message)
        else:
            yield _at_left_out(repo, ManagementReview, found)


def _pending_review(repo: Repository) -> Iterator[Finding]:
    if last_review(repo) is not None or not keeps_management_system(repo):
        return
    days = repo.config.cadence.management_review_days
    start = aims_start(repo)
    also = _also(not_counted(repo, ManagementReview))
    if start is None:
        yield Finding(
            "no management review has been held, and aims.yaml sets no `established`, so "
            f"aimsctl cannot tell when the first falls due{also}"
        )
    elif add_days(start.day, days) >= repo.as_of:
        yield Finding(
            f"no management review has been held yet; {start.basis}, so the first falls "
            f"due on {add_days(start.day, days)}{also}"
        )


@rule(
    codes.MANAGEMENT_REVIEW_INPUTS_MISSING,
    W,
    summary="A management review does not list all seven `inputs`: previous-actions, "
    "external-internal-issues, interested-parties, nonconformities, monitoring-results, "
    "audit-results and opportunities.",
    why="Clause 9.3.2 says what a management review must take into account: the status "
    "of actions from earlier reviews, changes in the issues and in the needs of "
    "interested parties, the performance of the AIMS (nonconformities, monitoring and "
    "audit results) and opportunities to improve. A review that skipped one did not "
    "look at the whole system.",
    fix="If the review did consider it, add it to `inputs` (the minutes should show it); "
    "if not, take it into the next review.",
    example="kind: ManagementReview\nid: MR-2026\n...\ninputs: [previous-actions, audit-results]",
)
def management_review_inputs_missing(repo: Repository) -> Iterator[Finding]:
    for review in repo.of_kind(ManagementReview):
        missing = [item for item in REVIEW_INPUTS if item not in review.inputs]
        if missing:
            yield Finding(
                f"the review does not list the {plural(len(missing), 'input')} "
                f"{words(missing, 'and')}",
                record=review.id,
                parts=("inputs",),
                at_key=True,
            )


# --- nonconformities and corrective action -------------------------------------------


@rule(
    codes.NONCONFORMITY_WITHOUT_ROOT_CAUSE,
    E,
    summary="A nonconformity is past `open` (action-planned, verifying or closed) but "
    "records no `root_cause`.",
    why="Clause 10.2 asks that the causes of a nonconformity are determined before "
    "corrective action is decided, so the action removes the cause and the "
    "nonconformity does not come back. Actions planned without a cause treat the "
    "symptom.",
    fix="Analyse the cause (five whys, a cause-and-effect review) and record it as "
    "`root_cause`; set the status back to `open` until it is known.",
    example="kind: Nonconformity\nid: NC-4\n...\nstatus: action-planned\n# no root_cause",
)
def nonconformity_without_root_cause(repo: Repository) -> Iterator[Finding]:
    for item in repo.of_kind(Nonconformity):
        if item.status != "open" and not (item.root_cause or "").strip():
            yield Finding(
                f"nonconformity is {item.status} but records no root cause",
                record=item.id,
                parts=("status",),
            )


@rule(
    codes.ACTION_OVERDUE,
    E,
    summary="A corrective action of a nonconformity, or an action of a management review, "
    "is past its `due` date and not `done` (a `done` date after the as-of date has not "
    "happened yet).",
    why="Clause 10.2 asks for corrective action to be carried out, and 9.3 for the "
    "review's decisions to be acted on; an action past its date without being done is "
    "a commitment the management system did not keep (and the next review has to "
    "ask why).",
    fix="Do the action and record `done: <date>`, or agree a new `due` date with its "
    "owner and say why in the description.",
    example="actions:\n  - description: Add the audit results to the review agenda\n"
    "    owner: cro@acme.example\n    due: 2026-09-30\n    done: null",
)
def action_overdue(repo: Repository) -> Iterator[Finding]:
    def late(record_id: str, actions: list[Action]) -> Iterator[Finding]:
        for index, action in enumerate(actions):
            if not action_done(action, repo.as_of) and action.due < repo.as_of:
                ahead = (
                    f"; its done date {action.done} is after the as-of date" if action.done else ""
                )
                yield Finding(
                    f"action {index + 1} was due on {action.due} and is not done "
                    f"(owner {action.owner}){ahead}",
                    record=record_id,
                    parts=("actions", index, "due"),
                )

    for item in repo.of_kind(Nonconformity):
        yield from late(item.id, item.actions)
    for review in repo.of_kind(ManagementReview):
        yield from late(review.id, review.actions)


@rule(
    codes.NONCONFORMITY_CLOSED_UNVERIFIED,
    E,
    summary="A nonconformity is `closed` without an `effectiveness` review, or its review "
    "found the actions not effective (`effective: false`); or with an action not `done` "
    "(or done only after the as-of date), or with an action done before the "
    "nonconformity was `raised`. An effectiveness review whose `by` is still a `TODO:` "
    "placeholder is no review: nobody has judged the action effective.",
    why="Clause 10.2 asks for corrective action to be taken and its effectiveness "
    "reviewed, and the results retained: a nonconformity is closed when the cause is "
    "gone, not when the actions are ticked off. An action still open, or one done before "
    "the nonconformity was found, is no corrective action taken for it. (A closure with "
    "no `actions` is not reported: 10.2 lets the organization judge that none is needed, "
    "and the effectiveness review is then what records that judgement.)",
    fix="Record the corrective actions with the day each was `done`, review whether they "
    "worked and record `effectiveness: {on, by, effective: true, note}`; until then, or "
    "if they did not work, keep it open (`status: action-planned`).",
    example="kind: Nonconformity\nid: NC-2\n...\nstatus: closed\n# no effectiveness",
)
def nonconformity_closed_unverified(repo: Repository) -> Iterator[Finding]:
    for item in repo.of_kind(Nonconformity):
        if item.status != "closed":
            continue
        for index, action in enumerate(item.actions):
            if action.done is None:
                yield Finding(
                    f"nonconformity is closed, but action {index + 1} is not done",
                    record=item.id,
                    parts=("actions", index),
                )
            elif not action_done(action, repo.as_of):
                yield Finding(
                    f"nonconformity is closed, but action {index + 1} is done only on "
                    f"{action.done}, after the as-of date",
                    record=item.id,
                    parts=("actions", index, "done"),
                )
            elif action.done < item.raised:
                yield Finding(
                    f"nonconformity is closed, but action {index + 1} was done on "
                    f"{action.done}, before the nonconformity was raised on {item.raised}",
                    record=item.id,
                    parts=("actions", index, "done"),
                )
        if item.effectiveness is None:
            yield Finding(
                "nonconformity is closed, but the effectiveness of its corrective action was "
                "never reviewed",
                record=item.id,
                parts=("status",),
            )
        elif is_placeholder(item.effectiveness.by):  # nobody reviewed it (AIMS107)
            yield Finding(
                "nonconformity is closed, but "
                + unsigned_note(item.id, "effectiveness.by", "reviewed"),
                record=item.id,
                parts=("effectiveness", "by"),
            )
        elif not item.effectiveness.effective:
            yield Finding(
                f"nonconformity is closed, but the review on {item.effectiveness.on} found "
                "the corrective action not effective; reopen it with new actions",
                record=item.id,
                parts=("effectiveness", "effective"),
            )


# --- when the management system started ---------------------------------------------


@rule(
    codes.ESTABLISHED_AFTER_RECORDS,
    W,
    summary="`established` in aims.yaml is later than the first day the records show the "
    "AIMS at work: a policy approved, an internal audit begun or a management review held "
    "on or before the as-of date. aimsctl then counts the AIMS from the records' day, the "
    f"earlier one: the first audit ({codes.INTERNAL_AUDIT_OVERDUE}, "
    f"{codes.INTERNAL_AUDIT_UNPLANNED}) and review ({codes.MANAGEMENT_REVIEW_OVERDUE}, "
    f"{codes.MANAGEMENT_REVIEW_PENDING}) fall due a cadence after it, and the AI policy "
    f"({codes.AI_POLICY_MISSING}) is owed from it, in `validate`, `due`, `status` and the "
    "readiness report alike.",
    why="Clause 4.4 asks for the AI management system to be established and then kept "
    "running, and clauses 9.2 and 9.3 ask for internal audits and management reviews at "
    "planned intervals. The intervals count from the day the system started. A start "
    "written later than a policy approval, an audit or a review the records hold would "
    "put the first audit, the first review and the policy owed later than the records "
    "justify; an auditor reading those records dates the system from them.",
    fix="Set `established` to the day the AIMS started, no later than the record the "
    "message names; if that record's date is wrong, correct the record instead.",
    example="# aims.yaml: established: 2026-06-01\n"
    "kind: Policy\nid: POL-AI\n...\nstatus: approved\n"
    "approval: {by: ceo@acme.example, on: 2024-01-10}",
)
def established_after_records(repo: Repository) -> Iterator[Finding]:
    established = repo.config.established
    shown = records_start(repo)
    if established is None or shown is None or established <= shown[0]:
        return
    first, evidence = shown
    yield Finding(
        f"aims.yaml says established {established}, but {evidence}; the AIMS is counted "
        f"from {first}, the earlier day, so set `established` no later than that",
        parts=("established",),
    )
