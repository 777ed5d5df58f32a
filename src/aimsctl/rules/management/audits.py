"""AIMS611-AIMS615: internal audits: done on time, the first planned in time, by
independent auditors, the programme covering the whole system, and every
nonconformity an audit finds recorded."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.days import add_days, years_before
from aimsctl.diagnostics import Severity
from aimsctl.records import AISystem, Control, InternalAudit, Nonconformity, Role
from aimsctl.records.clauses import TOP_CLAUSES, covers, sub_clauses
from aimsctl.rules.management.state import (
    NOT_JUDGED,
    aims_start,
    aside,
    at_left_out,
    first_due,
    has_invalid,
    judged,
    keeps_management_system,
    last_completed_audit,
    not_counted,
    not_judged,
    not_raised_for,
)
from aimsctl.rules.placeholders import still_unwritten, unwritten_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.soa import decided
from aimsctl.text import as_shown, natural_key, person_key

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING

PROGRAMME_YEARS = 3  # the audit programme is judged over a three-year certification cycle


def programme_since(repo: Repository) -> date:
    """The first day of the audit programme AIMS614 judges: three years before the
    as-of date, or the day the AIMS started where that is later (nothing before it
    could be audited)."""
    since = years_before(repo.as_of, PROGRAMME_YEARS)
    start = aims_start(repo)
    if start is not None and since < start.day <= repo.as_of:
        return start.day
    return since


def _not_done(repo: Repository) -> list[InternalAudit]:
    """Audits planned or under way, by planned date."""
    audits = [a for a in repo.of_kind(InternalAudit) if a.status != "completed"]
    return sorted(audits, key=lambda a: (a.planned, natural_key(a.id)))


def _lapsed(repo: Repository) -> list[str]:
    """Why each audit planned for a date that has passed, and not begun, plans nothing
    (one still holding placeholders is named for those: :func:`_plan_note`)."""
    return [
        why
        for a in _not_done(repo)
        if a.planned < repo.as_of
        and not still_unwritten(repo, a)
        and (why := plan_not_counted(repo, a)) is not None
    ]


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
    f"An audit that still holds a `TODO:` placeholder ({codes.PLACEHOLDER}) is not counted as "
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
    invalid = has_invalid(repo, InternalAudit.KIND)
    if last is not None:
        assert last.performed is not None
        due = add_days(last.performed.to, days)
        if due < repo.as_of:
            message = (
                f"the last internal audit ended on {last.performed.to}; "
                f"cadence.internal_audit_days is {days}, so the next was due on {due}"
                + aside(not_counted(repo, InternalAudit))
            )
            found = Finding(message, record=last.id, parts=("performed", "to"))
            yield judged(repo, InternalAudit.KIND, "held", found)
        return
    first = first_due(repo, InternalAudit, days, with_invalid=True)
    if first is None or first[1] >= repo.as_of:
        return
    start, due = first
    message = (
        f"no internal audit has been completed; {start.basis}, so the first was due on {due}"
        + aside(not_counted(repo, InternalAudit))
    )
    if invalid:
        yield not_judged(repo, InternalAudit.KIND, "held", message)
        return
    waiting = _not_done(repo)
    if waiting:
        audit = waiting[0]
        unwritten = [audit.id] if still_unwritten(repo, audit) else []
        found = Finding(
            f"{message}, and {audit.id} is {audit.status} for {audit.planned}"
            + aside(_plan_note(unwritten)),
            record=audit.id,
            parts=("status",),
        )
    else:
        found = at_left_out(repo, InternalAudit, Finding(message))
    yield judged(repo, InternalAudit.KIND, "held", found)


@rule(
    codes.INTERNAL_AUDIT_UNPLANNED,
    W,
    summary="The AIMS is younger than `cadence.internal_audit_days` (or its start is "
    "unknown), no internal audit has been completed, and none is planned on or before "
    "the day the first falls due. An audit that still holds a `TODO:` placeholder "
    f"({codes.PLACEHOLDER}), such as the starter's AUD-FIRST with no auditor named, counts as "
    "neither completed nor planned: the finding names it and is at it." + NOT_JUDGED,
    why="Clause 9.2 asks for an audit programme: the frequency, methods, "
    "responsibilities and planning of audits. A young management system need not have "
    "audited itself yet, but it should have planned its first audit in time.",
    fix="Plan the first audit: an InternalAudit with `status: planned` and a `planned` "
    "date no later than the due date in the message, its auditor named and its text "
    "your own (no `TODO:` left).",
    example="# aims.yaml: established: 2026-09-01\n# no InternalAudit record",
)
def internal_audit_unplanned(repo: Repository) -> Iterator[Finding]:
    # An audit that failed validation, or a record whose kind or id cannot be read, may
    # be the one planned or completed.
    for found in _unplanned_audit(repo):
        yield judged(repo, InternalAudit.KIND, "planned or held", found)


def _unplanned_audit(repo: Repository) -> Iterator[Finding]:
    if last_completed_audit(repo) is not None or not keeps_management_system(repo):
        return
    completed = not_counted(repo, InternalAudit)
    for found, plans in _first_audit_unplanned(repo):
        found = replace(
            found, message=found.message + aside(_plan_note(plans), *_lapsed(repo), completed)
        )
        if found.record is None and plans:  # the plan that does not count is what to fix
            latest = max((a for a in _not_done(repo) if a.id in plans), key=lambda a: a.planned)
            found = replace(found, record=latest.id, parts=("planned",))
        yield at_left_out(repo, InternalAudit, found) if found.record is None else found


def _first_audit_unplanned(repo: Repository) -> Iterator[tuple[Finding, list[str]]]:
    """The finding of AIMS612 (no first audit planned), with the audits planned that do
    not count as planned because they still hold placeholders (AIMS107)."""
    days = repo.config.cadence.internal_audit_days
    start = aims_start(repo)
    due = add_days(start.day, days) if start is not None else None
    if due is not None and due < repo.as_of:
        return  # overdue: internal-audit-overdue
    # A plan whose date has passed with the audit not begun plans nothing (AIMS614).
    waiting = [
        a
        for a in _not_done(repo)
        if not still_unwritten(repo, a) and not (a.status == "planned" and a.planned < repo.as_of)
    ]
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


# Where a name written as a team parts: `a, b`, `a; b`, `a & b`, `a / b`, `a | b`,
# `Name <address>`, `[a]`, a name on each line, and `and`, `with`, `led by`, `-`, `+`
# between spaces (a name may hold them: `risk-and-ai-office@...`, `ann+ai@...`).
# What is in round brackets is a part too. Linear: no part of the pattern repeats.
_PARTS = re.compile(r"[,;&/|<>()\[\]\n\r\t\v\f\u2028\u2029]|\s(?:and|with|led by|-|\+)\s")


def _names(text: str) -> tuple[str, list[str]]:
    """``text`` (an auditor, an owner) as :func:`aimsctl.text.person_key` keys it,
    whole, and each part of it that is an address or may be a person's name: `Harbour
    LLP (lead), a@acme.example` is whole that, and has the parts `harbour llp`, `lead`
    and `a@acme.example`. An address is also read without its sub-address and a
    `mailto:` in front (`a+ai@acme.example` is `a@acme.example`)."""
    shown = unicodedata.normalize("NFKC", as_shown(text))
    parts = [_address(person_key(part)) for part in _PARTS.split(shown)]
    return _address(person_key(shown)), [part for part in parts if part]


def _address(key: str) -> str:
    key = key.removeprefix("mailto:").strip()
    local, at, domain = key.rpartition("@")
    if at and "+" in local and " " not in local:
        return f"{local.split('+', 1)[0]}@{domain}"
    return key


def persons_named(repo: Repository) -> Callable[[str], set[str]]:
    """Who a name may stand for, as independence is judged (AIMS613, and the bias audit
    an obligation asks to be independent). The conservative reading is that names
    which may be one person are one: `Lead@Acme.example`, ` lead@acme.example` and one
    typed with a full-width letter are one mailbox; each name a role gives (its id,
    holder and title) stands for its holder, who may hold several roles; and a name
    written as a team (`lead@acme.example, with Internal Audit`) includes each of its
    members."""
    holders: dict[str, set[str]] = {}  # a name a role gives: the holders it names
    titled: dict[str, set[str]] = {}  # a title: the holders of the roles bearing it
    for role in repo.of_kind(Role):
        holder = person_key(role.holder)
        if role.vacant:
            continue  # nobody yet (init's roles share one placeholder holder)
        for name in (role.id, role.holder):
            holders.setdefault(person_key(name), set()).add(holder)
        titled.setdefault(person_key(role.title), set()).add(holder)
    for title, bearers in titled.items():
        if len(bearers) == 1:  # a title several roles bear (a CISO per subsidiary) names none
            holders.setdefault(title, set()).update(bearers)
    people_named = {key for names in holders.values() for key in names}

    def persons(text: str) -> set[str]:
        """Who ``text`` may name: itself whole (a role's id, holder or title, or a
        name as written), and each part of it that is an address or a role's holder.
        A part that is only a word (`Audit`, `IT` in `Baker Tilly - Audit & IT`) names
        no role by its id or title: an honest firm's name is not the role `audit`."""
        whole, parts = _names(text)
        found = {whole} | holders.get(whole, set())
        for part in parts:
            if "@" in part or part in people_named:
                found |= {part} | holders.get(part, set())
        return found

    return persons


@rule(
    codes.AUDITOR_NOT_INDEPENDENT,
    E,
    summary="An internal audit records `independent: false`: its auditor is not "
    "independent of the area audited; or it records `independent: true`, yet its "
    "auditor owns an AI system or a control its `scope` covers. Names that may be one "
    "person count as one: the same name in any letter case, spacing, dashes, "
    "full-width letters or with characters that show as nothing; a Role's id and "
    "holder, and its title where no other role bears it, for its holder, who may hold "
    "several roles (a vacant or placeholder holder is nobody); and, in an auditor or an "
    "owner written as a team or with an address (`a@acme.example, with Internal Audit`, "
    "`Ann Lee <a+ai@acme.example>`), each part that is an address or a role's holder. "
    "A word in a firm's name (`Baker Tilly - Audit`) names no role. While the management "
    f"system is being set up ({codes.AIMS_BEING_SET_UP}), a warning.",
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
    persons = persons_named(repo)
    owners: dict[str, set[str]] = {}  # each owner's persons, worked out once

    def owned_by(owner: str) -> set[str]:
        if owner not in owners:
            owners[owner] = persons(owner)
        return owners[owner]

    for audit in repo.of_kind(InternalAudit):
        if not audit.independent:
            yield Finding(
                f"the audit records `independent: false`: auditor {audit.auditor!r} is not "
                "independent of the area audited; name one who is, and say so",
                record=audit.id,
                parts=("independent",),
            )
            continue
        auditors = persons(audit.auditor)
        owned = sorted(
            {
                record.id
                for record in (*repo.of_kind(AISystem), *repo.of_kind(Control))
                if any(covers(item, record.id) for item in audit.scope)
                and record.owner is not None
                and auditors & owned_by(record.owner)
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
    summary="The audit programme (internal audits completed in the last three years, or "
    "since the AIMS started where that is later, those under way, and those planned for a "
    "date that has not passed and is at most `cadence.internal_audit_days` ahead) "
    "leaves part of the management system unaudited: a clause from 4 to 10 or an "
    "applicable Annex A control that no `scope` covers (or an undecided one: its "
    "justification is still a `TODO:` placeholder, whatever its "
    "`applicable` says). One finding lists everything missing. A clause is covered by "
    "itself, a parent clause, or all of its sub-clauses; a control by itself, its "
    "objective or its area. An audit that still holds a `TODO:` placeholder "
    f"({codes.PLACEHOLDER}), "
    "such as a `TODO:` auditor, covers nothing, and nor does a plan whose date has passed "
    "with the audit not begun, or one further ahead: the finding names them. With no audit "
    f"in the programme at all, {codes.INTERNAL_AUDIT_OVERDUE} reports instead." + NOT_JUDGED,
    why="Clause 9.2 asks for an audit programme that takes in the whole management "
    "system, its processes and the results of earlier audits. Over a three-year "
    "certification cycle every clause and every control in the Statement of "
    "Applicability (6.1.3) is expected to have been audited at least once.",
    fix="Record an audit that has begun as `in-progress`, plan a lapsed one again, and "
    "widen the scope of a planned audit, or plan another one, to take in what the "
    'message lists; a scope may name clauses ("7", "9.2"), Annex A areas, objectives '
    "or controls (A.6, A.6.2, A.6.2.4) and AI systems.",
    example='kind: InternalAudit\nid: AUD-2026\n...\nscope: ["4", "5", "6", "8", A.5, A.6]',
)
def audit_programme_incomplete(repo: Repository) -> Iterator[Finding]:
    programme = audit_programme(repo)
    if programme is None or not programme.missing:
        return
    counted = programme.audits
    latest = max(counted, key=lambda a: (a.planned, natural_key(a.id)))
    # An audit that failed validation, or a record whose kind or id cannot be read, may
    # be one whose scope covers what is missing.
    found = Finding(programme.message(), record=latest.id, parts=("scope",))
    yield judged(repo, InternalAudit.KIND, "whose scope covers it", found)


def plan_not_counted(repo: Repository, audit: InternalAudit) -> str | None:
    """Why an audit planned and not begun is no part of the programme (None for one
    under way or done, or planned in time): its date has passed, and a plan that
    lapsed audits nothing; or it lies more than one audit interval
    (`cadence.internal_audit_days`) ahead, beyond the audit the cycle is owed next."""
    if audit.status != "planned":
        return None
    if audit.planned < repo.as_of:
        return f"{audit.id} was planned for {audit.planned} and has not begun"
    days = repo.config.cadence.internal_audit_days
    if audit.planned > add_days(repo.as_of, days):
        return (
            f"{audit.id} is planned for {audit.planned}, more than "
            f"cadence.internal_audit_days ({days}) ahead"
        )
    return None


@dataclass(frozen=True, slots=True)
class Programme:
    """The audit programme AIMS614 judges, and readiness for 9.2.2 with it."""

    since: date
    audits: tuple[InternalAudit, ...]  # those that count, by planned date
    missing: tuple[str, ...]  # what no counted audit's scope covers, in words
    left: str  # why the audits of the period that do not count are left out

    def message(self) -> str:
        names = ", ".join(a.id for a in self.audits)
        return (
            f"the audit programme since {self.since} ({names}) does not cover "
            f"{' and '.join(self.missing)}" + aside(self.left)
        )


def audit_programme(repo: Repository) -> Programme | None:
    """The audits completed in the last three years (or since the AIMS started, where
    that is later), those under way, and those planned in time (:func:`plan_not_counted`),
    with what their scopes leave out; None when no audit counts. An audit still holding
    placeholders (a `TODO:` auditor) covers nothing either (AIMS107)."""
    since = programme_since(repo)
    recent = sorted(
        (
            audit
            for audit in repo.of_kind(InternalAudit)
            if (audit.performed.to if audit.performed else audit.planned) >= since
        ),
        key=lambda a: (a.planned, natural_key(a.id)),
    )
    unwritten = sorted((a.id for a in recent if still_unwritten(repo, a)), key=natural_key)
    judged = [(a, plan_not_counted(repo, a)) for a in recent]
    lapsed = [why for _, why in judged if why is not None]
    counted = tuple(a for a, why in judged if why is None and a.id not in unwritten)
    if not counted:
        return None  # no audit at all in three years: internal-audit-overdue says so
    left = "; ".join(
        note for note in (unwritten_note(unwritten, "part of the programme"), *lapsed) if note
    )
    cited = {item for audit in counted for item in audit.scope}
    return Programme(since, counted, _missing(repo, cited), left)


def _missing(repo: Repository, cited: set[str]) -> tuple[str, ...]:
    """What the scopes ``cited`` leave out of the management system, in words."""
    clauses = [m for clause in TOP_CLAUSES for m in _uncovered(clause, cited)]
    uncovered = [
        control
        for control in repo.of_kind(Control)
        if to_audit(control) and not any(covers(c, control.id) for c in cited)
    ]
    controls = sorted((c.id for c in uncovered if decided(c)), key=natural_key)
    undecided = sorted((c.id for c in uncovered if not decided(c)), key=natural_key)
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
    return tuple(missing)


@rule(
    codes.AUDIT_FINDING_WITHOUT_NONCONFORMITY,
    E,
    summary="An audit finding of type `major-nonconformity` or `minor-nonconformity` "
    "names no `nonconformity` record, or names one that was not raised for it: a "
    "Nonconformity raised before the audit began (`performed.from`, or `planned` while "
    "the audit records no performed dates), or one whose `source` is not "
    "`internal-audit`. A name that is no record is the reference rule's finding. "
    "Readiness counts such a finding as 10.2 not met, and what it cites with it.",
    why="Clause 10.2 asks that every nonconformity is reacted to, its causes found and "
    "corrective action taken, with the results retained. A nonconformity an audit found "
    "but nobody recorded as a Nonconformity has no owner, no root cause and no action. "
    "Nor has one that points at an earlier nonconformity, or at one raised from an "
    "incident or a review: a Nonconformity cannot be the reaction to an audit that had "
    "not begun when it was raised, and one closed long ago says nothing of what this "
    "audit found. A Nonconformity does not record which audit or finding raised it, "
    "so its date and source are what can be checked.",
    fix="Record a Nonconformity (source: internal-audit, raised on or after the day the "
    "audit began) and name its id under the finding's `nonconformity`. Where the audit "
    "found again what an earlier nonconformity was about, that is a new nonconformity "
    "(the earlier corrective action did not work): record it as such.",
    example='findings:\n  - id: F-3\n    type: minor-nonconformity\n    reference: "9.3"\n'
    "    description: Review minutes do not show the audit results were considered.\n"
    "# or, in an audit performed from 2026-06-08:\n"
    "    nonconformity: NC-2025-01  # raised: 2025-06-13",
)
def audit_finding_without_nonconformity(repo: Repository) -> Iterator[Finding]:
    for audit in repo.of_kind(InternalAudit):
        for index, found in enumerate(audit.findings):
            named = found.nonconformity
            entry = repo.entries.get(named) if named is not None else None
            if named is not None and (entry is None or entry.record.KIND != Nonconformity.KIND):
                continue  # no such valid Nonconformity: the reference rule's finding
            why = not_raised_for(repo, audit, found)
            if why is None:
                continue
            parts: tuple[str | int, ...] = ("findings", index)
            if named is not None:
                parts += ("nonconformity",)
            yield Finding(
                f"finding {found.id} is a {found.type.replace('-', ' ')} but {why}"
                + (
                    "" if named is None else "; record a Nonconformity for this finding and name it"
                ),
                record=audit.id,
                parts=parts,
            )
