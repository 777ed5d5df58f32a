"""AIMS501-AIMS509: reviews on time, evidence, production systems, waivers, dates
that cannot be true yet, and review dates set beyond the review period.

AIMS506 and AIMS507 are about waivers and depend on every other finding, so the
engine produces them after waivers are applied; they are registered here so that
they are documented and can be overridden like every other rule.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.errors import FETCH_HISTORY
from aimsctl.records import AISystem, Control, ImpactAssessment, Policy, Risk
from aimsctl.records.base import HAPPENED, Record
from aimsctl.rules.governance import tier_review, valid_until
from aimsctl.rules.management import UNREAD_NAMED, noted, policy_cadence_review
from aimsctl.rules.placeholders import unsigned_note
from aimsctl.rules.registry import Finding, Rule, register, rule
from aimsctl.rules.soa import evidence_path_problem, shows_nothing
from aimsctl.scoring import UNASSESSED
from aimsctl.soa import decided
from aimsctl.text import failing_validation, natural_key, plural
from aimsctl.validation_messages import field_label
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

W = Severity.WARNING


def highest_tier(repo: Repository, system_ids: Iterable[str]) -> str:
    """The highest tier among the named systems (unknown ids ignored)."""
    best = UNASSESSED
    for system_id in system_ids:
        tier = repo.tiers.get(system_id, UNASSESSED)
        if repo.scorer.rank(tier) > repo.scorer.rank(best):
            best = tier
    return best


def shortest_period_tier(repo: Repository) -> str:
    """The tier whose review period is the shortest (the highest such band on a tie):
    the period of a record whose tier cannot be judged."""
    bands = repo.scorer.bands
    return min(reversed(bands), key=lambda band: repo.config.policy(band).review_days)


@dataclass(frozen=True, slots=True)
class ReviewTier:
    """The tier whose review period a system, risk or control keeps, and whose tier it
    is ("its" or "its systems'"). ``unjudged``: the systems it concerns that failed
    validation, where their tier, unread, might ask for a shorter period than the
    others give: the shortest period of any tier is then used (``name`` is that tier)."""

    name: str
    whose: str
    unjudged: tuple[str, ...] = ()

    def note(self) -> str:
        """Why the shortest period is used ("" where the tier was judged)."""
        if not self.unjudged:
            return ""
        return (
            f"{failing_validation(self.unjudged)}, so {self.whose} tier could not be "
            "judged: the shortest period of any tier is used"
        )

    def asks(self, days: int) -> str:
        """What the tier asks for, as AIMS501 says it."""
        every = plural(days, "day")
        if not self.unjudged:
            return f"{self.whose} tier {self.name!r} asks for a review every {every}"
        return (
            f"{self.whose} tier could not be judged ({failing_validation(self.unjudged)}), "
            f"so the shortest period of any tier applies, a review every {every}"
        )


def _scoped_tier(
    repo: Repository,
    system_ids: Iterable[str],
    invalid: Iterable[str],
    whose: str = "its systems'",
) -> ReviewTier:
    """The tier of a record concerning ``system_ids``, of which ``invalid`` failed
    validation. A system that cannot be read has no tier to read, and may be riskier
    than the rest: the shortest period is used unless the others already give it."""
    judged = highest_tier(repo, system_ids)
    unjudged = tuple(dict.fromkeys(invalid))
    if unjudged:
        shortest = shortest_period_tier(repo)
        days = repo.config.policy(shortest).review_days
        if judged == UNASSESSED or repo.config.policy(judged).review_days > days:
            return ReviewTier(shortest, whose, unjudged)
    return ReviewTier(judged, whose)


def assessment_tier(repo: Repository, assessment: ImpactAssessment) -> ReviewTier:
    """The tier whose period an impact assessment that sets no `next_review` keeps: its
    system's, or, where that system failed validation, the shortest of any tier."""
    system = [assessment.system]
    return _scoped_tier(repo, system, invalid_systems(repo, system), "its system's")


def assessment_rests(repo: Repository, assessment: ImpactAssessment) -> bool:
    """Whether an impact assessment has no review running: superseded, or of a system
    that is retired (one failing validation is not known to be)."""
    if assessment.status == "superseded":
        return True
    entry = repo.entries.get(assessment.system)
    system = entry.record if entry is not None else None
    return isinstance(system, AISystem) and system.stage == "retired"


def invalid_systems(repo: Repository, system_ids: Iterable[str]) -> list[str]:
    """The named ids that are records failing validation and may be systems: read as
    an AISystem, or of a kind that could not be read."""
    return [i for i in system_ids if i in repo.invalid and repo.invalid[i] in (AISystem.KIND, None)]


def not_a_system(repo: Repository, system_id: str) -> str:
    """Why an id a record names is no valid system, in words: its record fails
    validation (it may well be a system), or there is none."""
    return "fails validation" if invalid_systems(repo, [system_id]) else "no such system"


@dataclass(frozen=True, slots=True)
class ReviewDue:
    """When a system, risk or control is next due for review under its tier."""

    days: int  # the tier's review interval
    last: date | None  # its last review; None: never reviewed (by the as-of date)
    created: date | None  # when never reviewed: its creation (None: unknown)
    # A `reviewed.on` after the as-of date (AIMS508): a review that has not happened
    # yet, so the record counts as never reviewed, due from its creation.
    ahead: date | None = None
    # Why a review recorded counts not: its `reviewed.by` is a `TODO:` placeholder,
    # a review nobody held (AIMS107); "" otherwise.
    unsigned: str = ""

    @property
    def due(self) -> date | None:
        start = self.last if self.last is not None else self.created
        return add_days(start, self.days) if start is not None else None

    @property
    def never(self) -> str:
        """ "never reviewed", or, for a review that does not count, why."""
        if self.unsigned:
            return f"not reviewed ({self.unsigned})"
        if self.ahead is None:
            return "never reviewed"
        return f"not reviewed by the as-of date (its `reviewed.on`, {self.ahead}, is later)"


def review_due(repo: Repository, record: Record, tier: str) -> ReviewDue | None:
    """The review a record owes under ``tier`` (None for an unassessed tier): counted
    from its last review or, never reviewed, from its creation (git history). A review
    dated after the as-of date has not happened yet: it is no last review to count
    from, or a mistyped year would put the next review off by as long."""
    if tier == UNASSESSED:
        return None
    days = repo.config.policy(tier).review_days
    reviewed = record.reviewed
    if reviewed is not None and reviewed.counts(repo.as_of):
        return ReviewDue(days, reviewed.on, None)
    unsigned = ""
    if reviewed is not None and is_placeholder(reviewed.by):
        unsigned = unsigned_note(record.id, "reviewed.by", "reviewed")
    history = repo.history
    created = history.created.get(record.id) if history is not None else None
    ahead = reviewed.on if reviewed is not None and reviewed.on > repo.as_of else None
    return ReviewDue(days, None, created, ahead, unsigned)


def reviewed_records(repo: Repository) -> Iterator[tuple[Record, ReviewTier]]:
    """Every system, risk and control with the tier that sets its review interval."""
    tiers = repo.tiers
    for system in repo.of_kind(AISystem):
        yield system, ReviewTier(tiers[system.id], "its")
    # Many risks and controls name the same systems: each list's tier is judged once.
    scoped: dict[tuple[str, ...], ReviewTier] = {}

    def tier_of(systems: list[str]) -> ReviewTier:
        key = tuple(systems)
        found = scoped.get(key)
        if found is None:
            found = scoped[key] = _scoped_tier(repo, systems, invalid_systems(repo, systems))
        return found

    for risk in repo.of_kind(Risk):
        yield risk, tier_of(risk.systems)
    every: ReviewTier | None = None  # the tier of all systems, once
    for control in repo.of_kind(Control):
        if control.systems:
            yield control, tier_of(control.systems)
            continue
        if every is None:
            # All systems: the valid ones, and every record read as an AISystem that failed.
            invalid = sorted(
                (i for i, kind in repo.invalid.items() if kind == AISystem.KIND), key=natural_key
            )
            every = _scoped_tier(repo, (s.id for s in repo.of_kind(AISystem)), invalid)
        yield control, every


def _overdue(repo: Repository, record: Record, tier: ReviewTier) -> Iterator[Finding]:
    found = review_due(repo, record, tier.name)
    if found is None:
        return
    days, due = found.days, found.due
    if found.last is not None:
        assert due is not None
        if due < repo.as_of:
            yield Finding(
                f"last reviewed on {found.last}; {tier.asks(days)}, so it was due on {due}",
                record=record.id,
                parts=("reviewed", "on"),
            )
        return
    # Never reviewed: due from its creation, when git history says when that was. A
    # review dated ahead is pointed at: it is what to correct.
    never = found.never
    at: tuple[str, ...] = ()
    if found.unsigned:
        at = ("reviewed", "by")
    elif found.ahead is not None:
        at = ("reviewed", "on")
    if found.created is None or due is None:
        unknown = repo.history.unknown if repo.history is not None else None
        if unknown is not None:
            yield Finding(
                f"{never}, and its creation date is unknown ({tier.asks(days)}): {unknown}; "
                "or record `reviewed`",
                record=record.id,
                parts=at,
            )
            return
        stop = repo.history.creation_stop(record.id) if repo.history is not None else None
        if stop is not None:  # it may be far older than the history fetched
            held = (
                f"this clone is shallow and its oldest commit, of {stop.on}, already holds it"
                if stop.submodule is None
                else f"the submodule at {stop.submodule} was fetched shallow and the commit "
                f"of {stop.on} that moves it already holds it"
            )
            yield Finding(
                f"{never}, and its creation date is unknown: {held}; {tier.asks(days)}: "
                f"record `reviewed`, or {FETCH_HISTORY}",
                record=record.id,
                parts=at,
            )
            return
        yield Finding(
            f"{never}, and its creation date is unknown (no git history); {tier.asks(days)}: "
            "record `reviewed`",
            record=record.id,
            parts=at,
        )
        return
    if due < repo.as_of:
        yield Finding(
            f"{never} since it was created on {found.created}; {tier.asks(days)}, so it was "
            f"due on {due}",
            record=record.id,
            parts=at,
        )


@rule(
    codes.REVIEW_OVERDUE,
    W,
    summary="A system, risk or control was last reviewed (`reviewed.on`) longer ago than the "
    "`review_days` of its tier. A risk takes the highest tier among its systems; a control "
    "the highest among the systems it is scoped to (all systems when unscoped); unassessed "
    "tiers are skipped. Where a system it concerns fails validation, its tier cannot be "
    "judged, and the shortest `review_days` of any tier applies unless the other systems "
    "already give it. A record never reviewed (or whose `reviewed.on` is after the as-of "
    "date, a review not held yet, or whose `reviewed.by` is still a `TODO:` placeholder, a "
    "review nobody held) is due counting from its creation, the "
    "date of the first commit that holds it (a record not committed yet is created today); "
    "where that date is unknown (outside git, without a git program to read the history, "
    "in a repository git cannot read, such as one with a damaged HEAD or a linked work "
    "tree whose main repository is gone, in a partial clone, which lacks the contents "
    "of past commits, where record files are stored with Git LFS and the content of a past "
    "version was not fetched, or held by the oldest commit of a shallow clone, whose "
    "history before was not fetched), it is reported as never reviewed.",
    why="AI risk assessments are to be performed at planned intervals (8.2), and what the "
    "management system relies on is monitored and reviewed (9.1). aims.yaml sets shorter "
    "intervals for higher tiers, so the records about the riskiest systems are looked at "
    "most often.",
    fix="Review the record, update what changed, and set `reviewed: {on: <date>, by: <reviewer>}`.",
    example="kind: AISystem\nid: SYS-CREDIT   # tier high: review every 180 days\n...\n"
    "reviewed: {on: 2025-01-15, by: cro@acme.example}",
)
def review_overdue(repo: Repository) -> Iterator[Finding]:
    for record, tier in reviewed_records(repo):
        yield from _overdue(repo, record, tier)


@rule(
    codes.ASSESSMENT_REVIEW_DUE,
    W,
    summary="An impact assessment (not superseded, and of a system not retired) is past "
    "its review date: its "
    "`next_review`, or, for an approved one that sets none, the `review_days` of its "
    "system's tier counted from `assessed.on` (the date `aimsctl due` lists); where the "
    "system fails validation its tier cannot be judged, and the shortest `review_days` of "
    "any tier applies.",
    why="Impact assessments are repeated at planned intervals and when systems change "
    "(6.1.4, 8.4). A missed review date means the assessment may no longer describe the "
    "system as it runs today.",
    fix="Review the assessment and set a new `next_review`, or mark it `superseded` by a "
    "newer assessment.",
    example="kind: ImpactAssessment\nid: IA-1\n...\nnext_review: 2026-01-31",
)
def assessment_review_due(repo: Repository) -> Iterator[Finding]:
    for assessment in repo.of_kind(ImpactAssessment):
        if assessment_rests(repo, assessment):
            continue
        due = assessment.next_review
        if due is not None and due < repo.as_of:
            yield Finding(
                f"review of this assessment was due on {due}",
                record=assessment.id,
                parts=("next_review",),
            )
        elif due is None and assessment.status == "approved":
            # No date written: the tier's review period applies (records.md).
            tier = assessment_tier(repo, assessment)
            policy = repo.config.policy(tier.name)
            due = valid_until(assessment, policy)
            if due < repo.as_of:
                yield Finding(
                    f"review of this assessment was due on {due}: it sets no next_review, "
                    f"and {tier.asks(policy.review_days)} from {assessment.assessed.on}",
                    record=assessment.id,
                    parts=("assessed", "on"),
                )


def _records_as_evidence(repo: Repository, control: Control) -> list[str]:
    """Why each evidence entry of ``control`` shows nothing, when that is all of them
    that validate accepts (AIMS206 reports the rest); [] when one shows something."""
    reasons: list[str] = []
    for item in control.evidence:
        if item.path is None:
            return []  # a link: not checked
        if evidence_path_problem(repo, item.path) is not None:
            continue
        reason = shows_nothing(repo, item.path)
        if reason is None:
            return []
        reasons.append(reason)
    return reasons


@rule(
    codes.IMPLEMENTED_WITHOUT_EVIDENCE,
    W,
    summary="An applicable control says `status: implemented` but lists no evidence; so "
    "does one not yet decided (its justification is still a `TODO:` placeholder), whatever "
    "its `applicable` says. Evidence that is aims.yaml or a file of Control records (the "
    "Statement of Applicability, such as the control's own) beside no record of work "
    "done (an evaluation, a monitor, an audit ...), also through a symbolic link (in "
    "the working tree, git's index or a revision alike), does not count: it states "
    "the claim, it does not show it. Nor does a file that holds no bytes at all: "
    "one made to be cited and never filled in.",
    why="The Statement of Applicability states whether each control is implemented (6.1.3); "
    "an auditor will ask to see it working (9.2), and documented information kept as "
    "evidence has to hold something to inspect (7.5.3). A claim with no evidence, or "
    "with an empty file for it, is a claim nobody has checked.",
    fix="Add `evidence:` entries: a `path` to a file in the repository or a `url`, with a "
    "description and date.",
    example="kind: Control\nid: A.6.2.8\napplicable: true\n...\nstatus: implemented\n# no evidence",
)
def implemented_without_evidence(repo: Repository) -> Iterator[Finding]:
    for control in repo.of_kind(Control):
        if control.status != "implemented":
            continue
        if control.evidence:
            records_only = _records_as_evidence(repo, control)
            if records_only and decided(control) and control.applicable:
                yield Finding(
                    "control is marked implemented, but none of its evidence shows it "
                    f"at work: {'; '.join(records_only)}; add evidence that shows the "
                    "control at work",
                    record=control.id,
                    parts=("evidence",),
                )
            continue
        # A placeholder decides nothing, so its `applicable: false` excludes nothing.
        if decided(control) and control.applicable:
            yield Finding(
                "control is marked implemented but lists no evidence",
                record=control.id,
                parts=("status",),
            )
        elif not decided(control):
            yield Finding(
                "control is marked implemented but lists no evidence, and is not decided "
                "(its justification is a placeholder)",
                record=control.id,
                parts=("status",),
            )


@rule(
    codes.PRODUCTION_SYSTEM_UNASSESSED,
    W,
    summary="A system in production has no open risk in the register, so its tier is "
    "`unassessed`." + UNREAD_NAMED,
    why="AI risk assessment covers every system in scope (6.1.2, 8.2). A production system "
    "with no open risk has either never been assessed or has had all of its risks closed; "
    "either way no proportional governance applies to it.",
    fix="Assess the system's risks and record them as Risk records naming the system; even "
    "a low risk sets its tier.",
    example="kind: AISystem\nid: SYS-CHAT\n...\nstage: production\n"
    "# no Risk lists SYS-CHAT in systems",
)
def production_system_unassessed(repo: Repository) -> Iterator[Finding]:
    for system in repo.of_kind(AISystem):
        if system.stage == "production" and repo.tiers[system.id] == UNASSESSED:
            # A risk that failed validation, or a record whose kind or id cannot be read,
            # may be an open risk of the system: said, not judged.
            yield Finding(
                noted(
                    repo,
                    Risk.KIND,
                    "open for it",
                    "system is in production but has no open risk, so its tier is unassessed",
                ),
                record=system.id,
                parts=("stage",),
            )


@rule(
    codes.PRODUCTION_SYSTEM_WITHOUT_ASSESSMENT,
    W,
    summary="A system in production has no ImpactAssessment at all." + UNREAD_NAMED,
    why="Clause 6.1.4 and control A.5.2 ask for a process that assesses the consequences "
    "of AI systems for people and society, for every system in scope. Even where aims.yaml "
    "does not demand an assessment for the system's tier, a production system that was "
    "never assessed is a gap worth closing.",
    fix="Carry out an impact assessment for the system and record it as an "
    "ImpactAssessment with `system:` set to its id.",
    example="kind: AISystem\nid: SYS-ROSTER\n...\nstage: production\n"
    "# no ImpactAssessment has system: SYS-ROSTER",
)
def production_system_without_assessment(repo: Repository) -> Iterator[Finding]:
    assessed = repo.assessments_by_system
    for system in repo.of_kind(AISystem):
        if system.stage == "production" and system.id not in assessed:
            # An assessment that failed validation, or a record whose kind or id cannot
            # be read, may be the system's: said, not judged.
            yield Finding(
                noted(
                    repo,
                    ImpactAssessment.KIND,
                    "for it",
                    "system is in production but has no impact assessment",
                ),
                record=system.id,
                parts=("stage",),
            )


WAIVER_EXPIRED = register(
    Rule(
        codes.WAIVER_EXPIRED,
        W,
        summary="A waiver's `expires` date has passed; the findings it covered are reported again.",
        why="A waiver is the organization's own control over its checks, not an ISO/IEC "
        "42001 requirement: it keeps every exception approved, visible and time-boxed, as "
        "documented information under control (7.5.3). An expired waiver left in the "
        "repository suggests the exception was forgotten rather than resolved.",
        fix="Fix the underlying findings and delete the waiver, or have it approved again with a "
        "new `expires` date.",
        example=f"kind: Waiver\nid: W-1\nrule: {codes.IMPLEMENTED_WITHOUT_EVIDENCE}\nrecords: "
        "[A.6.2.8]\njustification: Evidence arrives with the Q3 audit.\napproved_by: "
        "ciso@acme.example\nexpires: 2026-09-30",
    )
)

WAIVER_UNUSED = register(
    Rule(
        codes.WAIVER_UNUSED,
        W,
        summary="A waiver in force matches no finding on some or all of the records it "
        "names: its rule reports nothing there. (A waiver whose `approved_by` is still a "
        "`TODO:` placeholder was approved by nobody: it waives nothing, and each finding it "
        "names is reported, saying so.) Where a record it names may be one whose kind or id "
        f"cannot be read ({codes.RECORD_IDENTITY}) or one in a file that cannot be read, the "
        "finding names "
        f"where, as {codes.BROKEN_REFERENCE} does: the waiver may cover a finding there once it "
        "can be read, so that comes first. A record it names that fails validation is named too: "
        "its rule does not run on it, so the waiver cannot be judged until the record is fixed.",
        why="A waiver is an approved exception kept as controlled documented information "
        "(7.5.3); one that no longer covers anything is noise in the audit trail and would "
        "silently hide the same finding if it came back later.",
        fix="Delete the waiver, or the records it covers nothing on, or correct its `rule` "
        "and `records` if it was meant to cover something else.",
        example=f"kind: Waiver\nid: W-2\nrule: {codes.IMPLEMENTED_WITHOUT_EVIDENCE}\nrecords: "
        "[A.6.2.8]   # A.6.2.8 now has evidence\n...",
    )
)


@functools.cache
def _date_fields(model: type[BaseModel]) -> tuple[tuple[str, str, bool], ...]:
    """The fields of a model that are a date of something done (typed ``PastDate``:
    True) or may hold one further down (False), each with its key as written in a
    record (`from`, not `from_`). Fields that can hold neither are not walked."""
    found = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if HAPPENED in info.metadata or _happened_in(info.annotation):
            found.append((name, key, True))
        elif any(m is model or _date_fields(m) for m in _models_in(info.annotation)):
            found.append((name, key, False))
    return tuple(found)


def _happened_in(annotation: object) -> bool:
    """Whether an optional field's type is a ``PastDate`` (``PastDate | None``: the
    marker sits in the union's member, not in the field's own metadata)."""
    return any(
        HAPPENED in getattr(argument, "__metadata__", ())
        for argument in typing.get_args(annotation)
    )


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    """Every model class an annotation names, inside lists, unions and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _happened_after(value: object, as_of: date) -> list[tuple[tuple[str | int, ...], date]]:
    """Every date of a model that records something done and lies after ``as_of``,
    with where it is."""
    found: list[tuple[tuple[str | int, ...], date]] = []
    _walk_dates(value, as_of, (), found)
    return found


def _walk_dates(
    value: object,
    as_of: date,
    parts: tuple[str | int, ...],
    found: list[tuple[tuple[str | int, ...], date]],
) -> None:
    # Appends rather than yields: a generator for every model and list nested in every
    # record was most of the rule's time.
    if isinstance(value, BaseModel):
        for name, key, happened in _date_fields(type(value)):
            item = getattr(value, name)
            if happened:
                if isinstance(item, date) and item > as_of:
                    found.append(((*parts, key), item))
            elif item is not None:
                _walk_dates(item, as_of, (*parts, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_dates(item, as_of, (*parts, index), found)


@rule(
    codes.DATE_IN_FUTURE,
    Severity.ERROR,
    summary="A date of something done (a review, an assessment, an approval, an "
    "acceptance, an engagement, evidence, a completed treatment) lies after the as-of "
    "date.",
    why="Documented information is evidence of what happened (7.5.3, 9.1); an approval "
    "or a review dated next year has not happened, yet would count as current and keep "
    "the record from falling due. A future date is a typo, or a record written before "
    "the event.",
    fix="Correct the date, or leave the field out until the event has taken place "
    "(keep a draft assessment in `draft` until it is approved).",
    example="approval: {by: cro@acme.example, on: 2027-05-01}   # as of 2026-11-26",
)
def date_in_future(repo: Repository) -> Iterator[Finding]:
    for record_id, entry in repo.entries.items():
        for parts, day in _happened_after(entry.record, repo.as_of):
            yield Finding(
                f"{field_label(parts)} is {day}, after the as-of date {repo.as_of}: it "
                "cannot have happened yet",
                record=record_id,
                parts=parts,
            )


@rule(
    codes.NEXT_REVIEW_BEYOND_PERIOD,
    W,
    summary="A `next_review` is set later than the review period allows: on an impact "
    "assessment (not superseded), later than the `review_days` of its system's tier (as "
    "of the as-of date; the shortest of any tier where the system fails validation) "
    "counted from `assessed.on`; on an approved policy, later than "
    "`cadence.policy_review_days` counted from its approval. The date written stays the "
    f"review date (`aimsctl due` lists it, {codes.ASSESSMENT_REVIEW_DUE} and "
    f"{codes.AI_POLICY_REVIEW_OVERDUE} count from it); the period's "
    "last day is allowed, a day later is not. A report's `next_review` under `documents` "
    "in aims.yaml has no period to compare with and is not checked.",
    why="Impact assessments are repeated at the intervals the organization planned "
    "(6.1.4, 8.4), and the AI policy is reviewed at planned intervals (5.2, A.2.4); "
    "aims.yaml is where those intervals are planned. A `next_review` beyond them keeps the "
    "record from falling due until that day: a high-tier assessment set for review in "
    "2040 is never overdue, though its tier asks for a look every 180 days.",
    fix="Bring `next_review` forward to the date the message gives or earlier, or leave it "
    "out so that the period applies. If a longer interval is meant for every such record, "
    "change the tier's `review_days` or `cadence.policy_review_days`; for one record, "
    "waive this rule for it with the reason.",
    example="kind: ImpactAssessment\nid: IA-1\nsystem: SYS-CREDIT   # tier high: review "
    "every 180 days\n...\nassessed: {on: 2026-09-15, by: dpo@acme.example}\n"
    "next_review: 2027-09-15   # later than 2027-03-14",
)
def next_review_beyond_period(repo: Repository) -> Iterator[Finding]:
    yield from _assessments_beyond(repo)
    yield from _policies_beyond(repo)


def _assessments_beyond(repo: Repository) -> Iterator[Finding]:
    for assessment in repo.of_kind(ImpactAssessment):
        written = assessment.next_review
        if written is None or assessment.status == "superseded":
            continue
        tier = assessment_tier(repo, assessment)
        policy = repo.config.policy(tier.name)
        latest = tier_review(assessment, policy)
        if written > latest:
            later = plural((written - assessment.assessed.on).days, "day")
            yield Finding(
                f"next_review is {written}, {later} after assessed.on "
                f"({assessment.assessed.on}); {tier.asks(policy.review_days)}, so by {latest}",
                record=assessment.id,
                parts=("next_review",),
            )


def _policies_beyond(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        written = policy.next_review
        # A draft or retired policy has no review period running.
        if written is None or policy.status != "approved" or policy.approval is None:
            continue
        latest = policy_cadence_review(policy, repo)
        if latest is not None and written > latest:
            later = plural((written - policy.approval.on).days, "day")
            yield Finding(
                f"next_review is {written}, {later} after the approval "
                f"({policy.approval.on}); cadence.policy_review_days is "
                f"{repo.config.cadence.policy_review_days}, so by {latest}",
                record=policy.id,
                parts=("next_review",),
            )
