"""What the management system's rules share: whether a repository keeps its
management system in records, when it started, the policy in force, the last audit
and review that count, the records left out for their placeholders (a review, for a
chair outside top management too), and what a rule says when a record it needs failed
validation. `due`, `status`, the readiness and management reports and `diff` read the
same answers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.records import (
    AISystem,
    Control,
    Incident,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Objective,
    Policy,
    Record,
    Role,
)
from aimsctl.records.audit import NONCONFORMITY_TYPES, AuditFinding
from aimsctl.records.base import Action
from aimsctl.records.clauses import covers
from aimsctl.rules.placeholders import still_unwritten, unsigned_note, unwritten_note
from aimsctl.rules.registry import Finding
from aimsctl.soa import settled
from aimsctl.text import failing_validation, first_of, natural_key, person_key, plural
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

MANAGEMENT_KINDS: tuple[type[Record], ...] = (
    Policy,
    Role,
    Objective,
    InternalAudit,
    ManagementReview,
    Nonconformity,
)
# What a rule that finds a record missing says of records it could not read: any of
# them may be the one missing.
UNREAD_NAMED = (
    f" A record whose kind cannot be read ({codes.RECORD_IDENTITY}: `kind: 7`, `kind: [Policy]`, "
    "none at all), one of the kind asked for whose id cannot be, or a file that cannot be read "
    f"({codes.YAML_SYNTAX}-{codes.UNREADABLE_FILE}, from the line where reading stopped) may "
    "hold the one missing: the finding stays, and names where they are (the first three, and how "
    "many more)."
)
# How the rules about the management system's own records treat one that failed validation.
NOT_JUDGED = (
    " Where a record of that kind fails validation (it may be the one that answers the "
    "rule), the finding says the question cannot be judged until it is fixed, instead of "
    "calling the requirement met or missing." + UNREAD_NAMED
)


def keeps_management_system(repo: Repository) -> bool:
    """Whether the repository keeps its management system in records, so that a
    missing policy, audit or review is worth reporting."""
    config = repo.config
    if config.established is not None or "cadence" in config.model_fields_set:
        return True
    return any(repo.of_kind(kind) for kind in MANAGEMENT_KINDS) or has_invalid(
        repo, *(kind.KIND for kind in MANAGEMENT_KINDS)
    )


def has_invalid(repo: Repository, *kinds: str) -> bool:
    """Whether a record of one of ``kinds`` exists but failed validation: its schema
    findings come first, and it may be the record a rule would miss."""
    return any(kind in kinds for kind in repo.invalid.values())


def _invalid_of(
    repo: Repository, kind: str | tuple[str, ...], ids: Collection[str] | None = None
) -> list[str]:
    """The ids of the records of ``kind`` (or of one of several kinds) that failed
    validation (of ``ids`` only, where given), in natural order."""
    kinds = _kinds(kind)
    return sorted(
        (i for i, k in repo.invalid.items() if k in kinds and (ids is None or i in ids)),
        key=natural_key,
    )


def _kinds(kind: str | tuple[str, ...]) -> tuple[str, ...]:
    """One kind, or several (a follow-up may be an Incident or a Risk review), as a tuple."""
    return (kind,) if isinstance(kind, str) else kind


def _unread_of(
    repo: Repository, kinds: Collection[str] | None, ids: Collection[str] | None = None
) -> list[str]:
    """Where records that may be of one of ``kinds`` (None: of any kind) and carry one of
    ``ids`` (where given) were left out unread, as "path:line": a record whose kind
    cannot be read, one of those kinds whose id cannot be, and a file that could not be
    read from that line on (one whose text never names any of ``ids`` cannot hold
    them). In path and line order."""
    places = {
        (u.path, u.line)
        for u in repo.unidentified
        if (u.kind is None or (u.id is None and (kinds is None or u.kind in kinds)))
        and (ids is None or u.id is None or u.id in ids)
    }
    texts = repo.unread_texts if ids is not None else {}
    places |= {
        (path, line)
        for path, line in repo.unread_from
        if ids is None or not texts.get(path) or any(i in texts[path] for i in ids)
    }
    return [f"{path}:{line}" for path, line in sorted(places)]


# How many places :func:`unread_note` names before it counts the rest.
_PLACES_SHOWN = 3


def unread_note(
    repo: Repository, kinds: Collection[str] | None, done: str, ids: Collection[str] | None = None
) -> str:
    """ "a record whose kind or id cannot be read (at evals/x.yaml:1) may be the one that
    passed": the records left out unread that may be of one of ``kinds`` (None: any) and
    carry one of ``ids`` (where given), one of which may be the record that did what is
    asked (``done``); "" when there are none. Part of :func:`unjudged_note`; a broken
    reference says it of the record it may have meant."""
    unread = _unread_of(repo, kinds, ids)
    if len(unread) == 1:
        return f"a record whose kind or id cannot be read (at {unread[0]}) may be the one {done}"
    if unread:
        return (
            f"{len(unread)} records whose kind or id cannot be read (at "
            f"{first_of(unread, _PLACES_SHOWN)}) may include the one {done}"
        )
    return ""


def unjudged_note(
    repo: Repository,
    kind: str | tuple[str, ...],
    done: str,
    ids: Collection[str] | None = None,
    *,
    unread: bool = True,
) -> str:
    """ "EVAL-1 fails validation and may be the one that passed": the records of
    ``kind`` (or of any of several) that failed validation, one of which may be the
    record that did what is asked (``done``), and those whose kind or id cannot be read
    (:func:`unread_note`); with ``ids``, only those that may carry one of them; "" when
    there are none. What `due` and a rule add to "none has" or "since this one", so
    that a record left out is never left out silently. Without ``unread``, only those
    that fail validation: where ``ids`` are their own ids, no record unread carries one.
    """
    said: list[str] = []
    invalid = _invalid_of(repo, kind, ids)
    if invalid:
        said.append(f"{failing_validation(invalid)} and may be the one {done}")
    unread_said = unread_note(repo, _kinds(kind), done, ids) if unread else ""
    if unread_said:
        said.append(unread_said)
    return "; ".join(said)


def noted(
    repo: Repository,
    kind: str | tuple[str, ...],
    done: str,
    message: str,
    ids: Collection[str] | None = None,
) -> str:
    """``message`` (a rule's "none has" or "since this one") with :func:`unjudged_note`
    after it, where it says anything."""
    note = unjudged_note(repo, kind, done, ids)
    return f"{message}; {note}" if note else message


def not_judged(repo: Repository, kind: str, done: str, finding: str) -> Finding:
    """What a rule says instead of ``finding`` when records of ``kind`` failed
    validation: one of them may be the record that answers it (the one ``done``), so
    the repository neither meets the requirement nor misses it as far as aimsctl can
    tell; in :func:`unjudged_note`'s words, as `due` says it beside the same item.
    Said at the first such record's file (its own errors say what is wrong with it)."""
    ids = _invalid_of(repo, kind)
    path = next((d.path for d in repo.diagnostics if d.record == ids[0]), None)
    many = len(ids) + len(_unread_of(repo, (kind,))) > 1
    return Finding(
        f"{finding}; whether that holds cannot be judged: {kind} "
        f"{unjudged_note(repo, kind, done)}; fix {'them' if many else 'it'} "
        "(aimsctl validate lists the errors)",
        record=ids[0],
        path=path,
    )


def judged(repo: Repository, kind: str, done: str, found: Finding) -> Finding:
    """``found``, a finding that no record of ``kind`` did what is asked (``done``), as a
    rule says it: :func:`not_judged` where a record of ``kind`` failed validation, else
    with the records whose kind or id cannot be read named (:func:`noted`), still a
    finding at its own place: the rule's question stays open until they are fixed."""
    if has_invalid(repo, kind):
        return not_judged(repo, kind, done, found.message)
    return replace(found, message=noted(repo, kind, done, found.message))


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


def being_set_up(repo: Repository) -> bool:
    """Whether the management system is still being set up as of the as-of date: the
    repository keeps it in records, but aims.yaml sets no `established` on or before
    that day, no record shows it at work (:func:`aims_start`), and none shows AI in use
    (:func:`ai_in_use`). What only the organization can decide is then still to do,
    not yet a nonconformity (AIMS624)."""
    return not_yet_started(repo) and ai_in_use(repo) is None


def not_yet_started(repo: Repository) -> bool:
    """Whether the repository keeps its management system in records and neither
    `established` nor a record says it had started by the as-of date."""
    if not keeps_management_system(repo):
        return False
    start = aims_start(repo)
    return start is None or start.day > repo.as_of


@dataclass(frozen=True, slots=True)
class InUse:
    """A record that shows AI put to use, and how it shows it, in words."""

    record: str
    shown: str


def ai_in_use(repo: Repository) -> InUse | None:
    """The first record that shows, by the as-of date, AI put to use (None: none does):
    a system in production, or retired after it ran; an incident, which a system in use
    caused. The work of setting up (controls decided and put in place, risks assessed
    and accepted, assessments approved, monitors and evaluations prepared, systems
    evaluated before release) does not: a management system is set up before its AI
    runs under it. Where AI is in use, the system governing it is read as established,
    whatever `established` says."""
    for system in repo.of_kind(AISystem):
        if system.stage == "production":
            return InUse(system.id, f"{system.id} is in production")
        if system.stage == "retired":
            return InUse(system.id, f"{system.id} is retired (it ran)")
    for incident in repo.of_kind(Incident):
        if incident.occurred <= repo.as_of:
            return InUse(incident.id, f"{incident.id} occurred on {incident.occurred}")
    return None


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
    if not with_invalid and has_invalid(repo, kind.KIND):
        return None
    start = aims_start(repo)
    return None if start is None else (start, add_days(start.day, days))


def top_management(repo: Repository) -> list[Role]:
    """The Roles marked top management."""
    return [role for role in repo.of_kind(Role) if role.top_management]


def top_management_named(repo: Repository, name: str) -> list[Role]:
    """The Roles marked top management that ``name`` (an approver, a chair) may be, as
    AIMS606 reads names: letter case, spacing and look-alike letters aside (AIMS012
    reports those), by a role's id, holder or title. Not being top management discounts
    a review or an approval, so a near miss in spelling must not; the management report
    names the same roles. A vacant role (its holder a placeholder or `vacant`) is held
    by nobody, so nobody approves or chairs by naming it, as nobody accepts a risk
    (:func:`aimsctl.records.role.acceptance_refused`)."""
    return [role for role in _top_management_meant(repo, name) if not role.vacant]


def vacant_top_management_named(repo: Repository, name: str) -> list[Role]:
    """The vacant Roles marked top management ``name`` may be (read as
    :func:`top_management_named` reads it): a role nobody holds approves nothing."""
    return [role for role in _top_management_meant(repo, name) if role.vacant]


def _top_management_meant(repo: Repository, name: str) -> list[Role]:
    key = person_key(name)
    return [
        role
        for role in top_management(repo)
        if role.names(name)
        or key in {person_key(role.id), person_key(role.holder), person_key(role.title)}
    ]


def outside_top_management(repo: Repository, name: str) -> bool:
    """Whether ``name`` (an approver, a chair) is none of the Roles marked top
    management (:func:`top_management_named`), where one is (AIMS606). A placeholder is
    AIMS107's finding, not this; with no top-management Role recorded, nobody can be
    told apart."""
    if not top_management(repo) or is_placeholder(name):
        return False
    return not top_management_named(repo, name)


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
    Where AI is in use (:func:`ai_in_use`), by the as-of date at the latest, whatever
    day to come `established` names (AIMS624 says the system has started). AIMS601
    reports it once that day has come; `due` lists it ahead too."""
    if not keeps_management_system(repo):
        return None
    if any(policy_in_force(policy, repo) for policy in repo.of_kind(Policy)):
        return None
    start = aims_start(repo) if repo.config.established is not None else None
    if start is None:
        return repo.as_of
    # AI in use is governed by a management system that has started (AIMS624), whatever
    # day to come aims.yaml names: the policy is owed by now.
    if start.day > repo.as_of and ai_in_use(repo) is not None:
        return repo.as_of
    return start.day


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


def review_too_early(item: Nonconformity) -> str | None:
    """Why the effectiveness review cannot have judged the corrective action: it is
    dated before the nonconformity was raised, or before an action was done (in
    words that follow "reviewed on <date>, "); None otherwise."""
    review = item.effectiveness
    if review is None:
        return None
    if review.on < item.raised:
        return f"before the nonconformity was raised on {item.raised}"
    later = [
        (index, action.done)
        for index, action in enumerate(item.actions)
        if action.done is not None and action.done > review.on
    ]
    if later:
        index, done = max(later, key=lambda pair: pair[1])
        return f"before corrective action {index + 1} was done on {done}"
    return None


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
    if early := review_too_early(item):
        return f"closed on a review dated {review.on}, {early}"
    if not review.effective:
        return "closed, but its review found the corrective action not effective"
    undone = [str(i + 1) for i, action in enumerate(item.actions) if not action_done(action, as_of)]
    if undone:
        return (
            f"closed with {plural(len(undone), 'corrective action')} not done ({', '.join(undone)})"
        )
    return None


# Clause 10.2 (nonconformity and corrective action): a closure that does not stand
# leaves it unmet, whatever the nonconformity was about.
CORRECTIVE_ACTION = "10.2"


def audit_began(audit: InternalAudit) -> date:
    """The first day of an internal audit: `performed.from`, or `planned` while it
    records no performed dates."""
    return audit.performed.from_ if audit.performed is not None else audit.planned


def not_raised_for(repo: Repository, audit: InternalAudit, finding: AuditFinding) -> str | None:
    """Why nothing shows the nonconformity a finding of ``audit`` found raised as a
    Nonconformity of its own (10.2), in words that follow "the finding is a minor
    nonconformity but"; None when it is no nonconformity finding, or the one it names
    may be the one raised for it. The conservative reading: a Nonconformity raised
    before the audit began, or one that records another source than an internal
    audit, was raised for something else, so it is no reaction to this finding (the
    record says no more of where it came from: no audit or finding id)."""
    if finding.type not in NONCONFORMITY_TYPES:
        return None
    name = finding.nonconformity
    if name is None:
        return "names no Nonconformity record"
    entry = repo.entries.get(name)
    item = entry.record if entry is not None else None
    if not isinstance(item, Nonconformity):
        return f"names {name}, and no valid Nonconformity record has that id"
    reasons = raised_otherwise(audit, item)
    if reasons is None:
        return None
    return (
        f"names {name}, which {reasons}: it was raised for something else, "
        "so it is no reaction to this finding"
    )


def raised_otherwise(audit: InternalAudit, item: Nonconformity) -> str | None:
    """What shows that ``item``, named by a nonconformity finding of ``audit``, was not
    raised for it ("was raised on ..., before the audit began on ..." and "records its
    source as ..."), None when nothing does (:func:`not_raised_for`)."""
    began = audit_began(audit)
    reasons = []
    if item.raised < began:
        start = (
            f"the audit began on {began}"
            if audit.performed is not None
            else f"the audit's planned start on {began} (it records no performed dates)"
        )
        reasons.append(f"was raised on {item.raised}, before {start}")
    if item.source != "internal-audit":
        reasons.append(f"records its source as {item.source}, not internal-audit")
    return " and ".join(reasons) or None


def recorded_unmet(repo: Repository) -> list[tuple[str, str, str]]:
    """What the organization's own nonconformities record as not met, as of the as-of
    date: (the requirement cited, the nonconformity, why it is a gap) for every
    nonconformity raised by then and not closed (or closed as AIMS621 does not accept
    a closure), for what it cites (its `reference`, which covers the requirements
    below it) and then for what the nonconformity findings of audits under way or
    done that raised it cite. A nonconformity is a requirement not fulfilled: until
    it is closed, evidence beside it does not make the requirement ready. One still
    holding a placeholder counts too: it is raised, whatever its text lacks. A
    nonconformity finding of such an audit that no Nonconformity was raised for
    (:func:`not_raised_for`, AIMS615: none named, or one raised before the audit or
    from another source) is a nonconformity nobody reacted to: 10.2 is not met, nor
    what the finding cites."""
    open_ones: dict[str, str] = {}
    cited: list[tuple[str, str, str]] = []
    for item in repo.of_kind(Nonconformity):
        if item.raised > repo.as_of:
            continue
        if item.status == "closed":
            problem = closure_problem(item, repo.as_of)
            if problem is None:
                continue
            open_ones[item.id] = problem
            # A closure that does not stand is 10.2 not met as well, whatever the
            # nonconformity was about: its corrective action was not seen to work.
            cited.append((CORRECTIVE_ACTION, item.id, f"{item.id} is {problem}"))
        else:
            open_ones[item.id] = f"{item.status}, not closed"
        if item.reference is not None:
            why = f"{item.id} records it as not met and is {open_ones[item.id]}"
            cited.append((item.reference, item.id, why))
    for audit in repo.of_kind(InternalAudit):
        if audit.status == "planned":
            continue  # its findings are not made yet
        for finding in audit.findings:
            raised = finding.nonconformity
            if (unraised := not_raised_for(repo, audit, finding)) is not None:
                # A nonconformity found that no Nonconformity answers (AIMS615) has
                # been reacted to by nobody: 10.2 is not met, nor what it cites.
                why = (
                    f"finding {finding.id} of {audit.id} is a "
                    f"{finding.type.replace('-', ' ')} but {unraised} "
                    f"({codes.AUDIT_FINDING_WITHOUT_NONCONFORMITY})"
                )
                key = f"{audit.id} finding {finding.id}"
                cited.append((CORRECTIVE_ACTION, key, why))
                if finding.reference is not None:
                    cited.append((finding.reference, key, why))
            elif (
                finding.type in NONCONFORMITY_TYPES
                and raised in open_ones
                and finding.reference is not None
            ):
                why = (
                    f"finding {finding.id} of {audit.id} records it as not met, and "
                    f"{raised}, raised for it, is {open_ones[raised]}"
                )
                cited.append((finding.reference, raised, why))
    return cited


def not_met_by(unmet: list[tuple[str, str, str]], requirement: str) -> dict[str, str]:
    """The nonconformities that record ``requirement`` as not met, each with why: in
    its own words where it cites the requirement itself, in the order found."""
    said: dict[str, str] = {}
    for cited, raised, why in unmet:
        if covers(cited, requirement):
            said.setdefault(raised, why)
    return said


def not_met(unmet: list[tuple[str, str, str]], requirement: str) -> list[str]:
    """Why ``requirement`` is recorded as not met: once per nonconformity, in its own
    words where it cites the requirement itself."""
    return list(not_met_by(unmet, requirement).values())


def status_not_met(repo: Repository) -> dict[str, dict[str, str]]:
    """The controls whose recorded implementation status the organization's own
    nonconformities contradict, as of the as-of date: for each Control that the
    Statement of Applicability shows with a status (applicable, decided, justified),
    the nonconformities that record it as not met (:func:`recorded_unmet`), each with
    why, as readiness and `obligations` read them. The SoA, `aimsctl controls` and the
    OSCAL export keep the status the record binds and qualify it with these
    (:func:`aimsctl.soa.qualified_status`); a control none records is not named."""
    unmet = recorded_unmet(repo)
    if not unmet:
        return {}
    found: dict[str, dict[str, str]] = {}
    for control in repo.of_kind(Control):
        shown = control.applicable and control.status and settled(control)
        if shown and (said := not_met_by(unmet, control.id)):
            found[control.id] = said
    return found


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


def chaired_outside(review: ManagementReview, repo: Repository) -> str:
    """ "MR-2026 is chaired by 'head-of-responsible-ai', who is not top management
    (AIMS606)": why readiness and the review cadence count ``review`` for nothing, where
    :func:`outside_top_management` says so of its chair."""
    return (
        f"{review.id} is chaired by {review.chair!r}, "
        f"{not_top_management_because(repo, review.chair)} ({codes.NOT_TOP_MANAGEMENT})"
    )


def not_top_management_because(repo: Repository, name: str) -> str:
    """Why ``name``, which :func:`outside_top_management` puts outside top management,
    is: "who is not top management", or, where it names only top-management Roles
    nobody holds, "which names group-ceo, a top-management role whose holder is
    'vacant'", as AIMS606 says it: the role is top management, its holder nobody."""
    vacant = vacant_top_management_named(repo, name)
    if vacant:
        return (
            f"which names {vacant[0].id}, a top-management role whose holder is "
            f"{vacant[0].holder!r}"
        )
    return "who is not top management"


def review_not_counted(repo: Repository, review: ManagementReview) -> str | None:
    """Why ``review``, held, does not count as a management review held, None when it
    counts: it still holds a placeholder (AIMS107: it records no review held), or its
    chair is outside top management (AIMS606: clause 9.3.1 asks top management to review
    the AIMS, and a review it did not chair is not that review; readiness counts it as
    evidence of nothing either). "MR-1 still holds placeholder text (TODO:), so it does
    not count as held"; "MR-2026 is chaired by 'head-of-responsible-ai', who is not top
    management (AIMS606), so it does not count as held". The one notion of a review
    that counts: :func:`last_review`, :func:`left_out`, `due` and the reports read it."""
    if still_unwritten(repo, review):
        return unwritten_note([review.id], "held")
    if outside_top_management(repo, review.chair):
        return f"{chaired_outside(review, repo)}, so it does not count as held"
    return None


def last_review(repo: Repository) -> ManagementReview | None:
    """The management review held last (by as-of) that counts: one that still holds a
    placeholder (AIMS107) records no review held, and one chaired outside top management
    (AIMS606) is not top management's review (:func:`review_not_counted`); neither is
    counted."""
    held = [r for r in _held_reviews(repo) if review_not_counted(repo, r) is None]
    return max(held, key=lambda r: (r.held, r.id), default=None)


def left_out(
    repo: Repository, kind: type[InternalAudit] | type[ManagementReview]
) -> list[InternalAudit] | list[ManagementReview]:
    """The audits completed, or reviews held, after the last that counts (all of them
    where none counts) that still hold placeholders, or (reviews) are chaired outside
    top management (:func:`review_not_counted`), by id: the records the cadence rules
    and `due` leave out and say so."""
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
        if review_not_counted(repo, r) is not None
        and (last is None or (r.held, r.id) > (last.held, last.id))
    ]
    return sorted(reviews, key=lambda r: natural_key(r.id))


def not_counted(repo: Repository, kind: type[InternalAudit] | type[ManagementReview]) -> str:
    """Why the records :func:`left_out` returns are not counted: they still hold
    placeholders ("MR-1 still holds placeholder text (TODO:), so it does not count as
    held"), or a review's chair is outside top management ("MR-2026 is chaired by
    'head-of-responsible-ai', who is not top management (AIMS606), so it does not count
    as held"); "" when no such record would have counted. What the cadence rules and
    `due` add to what they say, so that a record left out is never left out silently."""
    if kind is InternalAudit:
        return unwritten_note([a.id for a in left_out(repo, kind)], "completed")
    reviews = [r for r in left_out(repo, kind) if isinstance(r, ManagementReview)]
    unwritten = [r.id for r in reviews if still_unwritten(repo, r)]
    chaired = [
        f"{chaired_outside(r, repo)}, so it does not count as held"
        for r in reviews
        if not still_unwritten(repo, r)
    ]
    return "; ".join(note for note in (unwritten_note(unwritten, "held"), *chaired) if note)


def at_left_out(
    repo: Repository, kind: type[InternalAudit] | type[ManagementReview], found: Finding
) -> Finding:
    """``found`` (a finding with no record to point at) at the record left out for its
    placeholders (or, a review, for its chair) that would have counted last, at the date
    it would have counted from: that record, not aims.yaml, is what to fix. Unchanged
    where none was left out."""
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


def aside(*notes: str) -> str:
    """``notes`` (see :func:`not_counted`) as the end of a finding's sentence."""
    said = "; ".join(note for note in notes if note)
    return f" ({said})" if said else ""
