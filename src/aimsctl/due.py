"""Everything that falls due in the records: what, which record, whose, and when.

One list gathers the dates the management system keeps: reviews of systems, risks
and controls under their tier, impact assessments to review, acceptances and
waivers that expire, treatments due, evaluations, bias audits and monitor
observations owed, corrective and review actions, objectives, internal audits, management reviews,
policy reviews, incident reports to an authority and the review of the reports kept
as controlled documents (`documents` in aims.yaml). Each date is computed by the
function the validation rules use, so `aimsctl due` never calls something overdue
later than `aimsctl validate` reports it; sooner where a rule allows a margin (a
monitor's observation, AIMS704 after two intervals), judges something else (a
planned audit's date, AIMS611 the cadence) or has no finding (a controlled
document's next review). Nothing here prints: the formats are in
:mod:`aimsctl.outputs.due`, and `aimsctl status` reads the same list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from aimsctl.days import add_days
from aimsctl.loader import CONFIG_FILE
from aimsctl.monitor_check import RESTING, UNREADABLE, monitor_status
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
    Record,
    Risk,
    Role,
    Waiver,
)
from aimsctl.records.objective import SETTLED
from aimsctl.records.role import acceptance_refused
from aimsctl.rules.governance import (
    approver_refused,
    assessment_missing,
    reassessment_owed,
    valid_until,
)
from aimsctl.rules.management import (
    action_done,
    first_due,
    last_completed_audit,
    last_review,
    not_counted,
    policy_next_review,
    policy_owed,
    progress_owed,
    unjudged_note,
)
from aimsctl.rules.measurements import (
    FOLLOW_UP_WANTED,
    art73_deadline,
    breaches,
    evaluation_due,
    evaluations_by_system,
    follow_up,
    monitoring_asked,
    read_series,
    risks_reviewed_since,
)
from aimsctl.rules.placeholders import (
    still_unwritten,
    unsigned_note,
    unwritten_note,
    waiver_not_in_force,
)
from aimsctl.rules.regulation import (
    BIAS_AUDIT_DAYS,
    compares,
    independent_audits,
    owner_ran_note,
    uncompared_note,
)
from aimsctl.rules.reviews import assessment_rests, assessment_tier, review_due, reviewed_records
from aimsctl.text import name_key, natural_key, plural
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.config import GovernancePolicy
    from aimsctl.repository import Repository

# The kinds of record an item of aims.yaml is owed in: the first audit or review, a policy.
Owed = InternalAudit | ManagementReview | Policy

DEFAULT_WITHIN = 30  # days after the as-of date that `due` and `status` look ahead
# What a review under the tier serves (8.2, 9.1), and an acceptance or a treatment.
REVIEW_CLAUSES = ("8.2", "9.1")
TREATMENT = ("6.1.3", "8.3")
DOCUMENT_CLAUSES = ("7.5.2", "7.5.3")  # a controlled document reviewed and kept current
ORGANIZATION_CONTROL_CLAUSES = ("6.1.3",)  # the SoA row of a control of the organization's own


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing due: ``item`` names it within its record (``action-2``, the second
    action, for a reader to find it); ``uid`` names it across runs, so a calendar
    entry made from it is updated, not duplicated, when it moves."""

    due: date
    overdue: bool
    what: str
    record: str
    kind: str
    path: str
    owner: str | None
    item: str
    days: int  # from the as-of date to the due date; negative when overdue
    # The clauses and Annex A ids of ISO/IEC 42001 the item serves (readiness counts it there).
    clauses: tuple[str, ...] = ()
    # The item's name across runs where ``record/item`` is not one: an action's is
    # its own text, as its place in the list moves when another is added or removed.
    key: str = ""

    @property
    def uid(self) -> str:
        """A name for the item that stays the same while its date changes."""
        return self.key or f"{self.record}/{self.item}"

    @property
    def uid_record(self) -> str:
        """The record id :attr:`uid` begins with; "" where it names none (an item of
        aims.yaml, the next internal audit or management review). What follows it
        holds no capital letter: an item name, or an action's digest."""
        if self.kind == CONFIG_FILE or self.key.startswith(f"{CONFIG_FILE}/next-"):
            return ""
        return self.record

    def as_json(self) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "what": self.what,
            "record": self.record,
            "kind": self.kind,
            "path": self.path,
            "owner": self.owner,
            "item": self.item,
            "days": self.days,
            "clauses": list(self.clauses),
        }


@dataclass(frozen=True)
class DueList:
    """The items due as of a date: overdue ones and those within ``within`` days."""

    as_of: date
    within: int
    owner: str | None
    items: tuple[DueItem, ...]
    organization: str = ""
    # Files with a record that failed validation (a schema error, a duplicate id, bad
    # YAML): its dates cannot be read, so the list may be short of them.
    left_out: tuple[str, ...] = ()
    # With ``owner``: the items in the window that have no owner recorded, which the
    # filter leaves out (nobody's list would show them). In the JSON after the
    # contract's keys, so a job reading one owner's list sees them too.
    unowned: tuple[DueItem, ...] = ()

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)

    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "as_of": self.as_of.isoformat(),
            "within": self.within,
            "owner": self.owner,
            "items": [item.as_json() for item in self.items],
            "left_out": list(self.left_out),
            "unowned": [item.as_json() for item in self.unowned],
        }


def _named(owner: str | None) -> str | None:
    """A `TODO:` owner (AIMS107) names nobody yet: no owner (`--owner` says so)."""
    return None if owner is not None and is_placeholder(owner) else owner


class _Collector:
    """Builds items for one repository, each with its record's kind and path.

    ``horizon``: the last due date a list asks for (None: every date). An item due
    later that is not overdue is left out of the list anyway: a source may skip it
    before writing what it says (:meth:`beyond`), which at 10,000 records is most of
    them."""

    def __init__(self, repo: Repository, horizon: date | None = None) -> None:
        self.repo = repo
        self.as_of = repo.as_of
        self.horizon = horizon
        self.entries = repo.entries
        self.owners: dict[str | None, str | None] = {}  # each owner as written, named once

    def beyond(self, due: date) -> bool:
        """Whether an item due on ``due`` (and overdue only from its date) falls after
        the horizon, so that the list leaves it out: never one overdue, whatever the
        horizon (a list keeps every item overdue)."""
        return self.horizon is not None and due > self.horizon and due >= self.as_of

    def item(
        self,
        record: Record,
        item: str,
        due: date,
        what: str,
        owner: str | None,
        overdue: bool | None = None,
        clauses: tuple[str, ...] | None = None,
        key: str = "",
    ) -> DueItem:
        as_of = self.as_of
        entry = self.entries[record.id]
        owners = self.owners
        if owner in owners:
            named = owners[owner]
        else:
            named = owners[owner] = _named(owner)
        return DueItem(
            due=due,
            overdue=due < as_of if overdue is None else overdue,
            what=what,
            record=record.id,
            kind=record.kind,
            path=entry.document.source.path,
            owner=named,
            item=item,
            days=(due - as_of).days,
            clauses=type(record).CLAUSES if clauses is None else clauses,
            key=key,
        )

    def owed_now(
        self,
        record: Record,
        item: str,
        what: str,
        owner: str | None,
        clauses: tuple[str, ...] | None = None,
    ) -> DueItem:
        """An item with no date of its own that is owed already (nothing was ever
        done): due, and overdue, on the as-of date."""
        return self.item(record, item, self.repo.as_of, what, owner, True, clauses)

    def owed_by_the_aims(self, kind: type[Owed], item: str, due: date, what: str) -> DueItem:
        """An item no record holds yet (the first audit or review, an approved policy):
        it is aims.yaml's, where the AIMS's start is set, and is of the kind of record
        that will hold it. A policy owed by the as-of date is owed now, as a draft's is."""
        overdue = due < self.repo.as_of
        if kind is Policy and due <= self.repo.as_of:
            due, overdue = self.repo.as_of, True
        return DueItem(
            due=due,
            overdue=overdue,
            what=what,
            record=CONFIG_FILE,
            kind=kind.KIND,
            path=CONFIG_FILE,
            owner=None,
            item=item,
            days=(due - self.repo.as_of).days,
            clauses=kind.CLAUSES,
            key=next_of(kind),
        )


def _reviews(c: _Collector) -> Iterator[DueItem]:
    for record, tier in reviewed_records(c.repo):
        found = review_due(c.repo, record, tier.name)
        if found is None:
            continue
        due = found.due
        if due is not None and c.beyond(due):
            continue
        # Reviews at planned intervals (8.2, 9.1); a control's, of its own SoA row: an
        # Annex A control's serves that control, an organization control's (its id no
        # clause) the Statement of Applicability it is a row of (6.1.3).
        serves: tuple[str, ...] = REVIEW_CLAUSES
        if isinstance(record, Control):
            serves = (record.id,) if record.is_annex_a else ORGANIZATION_CONTROL_CLAUSES
        # A tier that could not be judged is not named: the shortest period is, and why.
        every = plural(found.days, "day")
        period = f"every {every}" if tier.unjudged else f"{tier.name} tier: every {every}"
        unjudged = f"; {tier.note()}" if tier.unjudged else ""
        if due is None:  # never reviewed, created who knows when: owed now, as AIMS501 says
            what = f"review ({period}; {found.never}, and when it was created is unknown{unjudged})"
            yield c.owed_now(record, "review", what, record.owner, clauses=serves)
            continue
        since = "its last review" if found.last is not None else "its creation"
        if found.unsigned:  # a review by a `TODO:` name counts not at all
            since += f"; {found.unsigned}"
        elif found.ahead is not None:  # a review dated after the as-of date counts not yet
            since += f"; its review of {found.ahead} is after the as-of date"
        what = f"review ({period} from {since}{unjudged})"
        yield c.item(record, "review", due, what, record.owner, clauses=serves)


def _assessments(c: _Collector) -> Iterator[DueItem]:
    for assessment in c.repo.of_kind(ImpactAssessment):
        if assessment_rests(c.repo, assessment):
            continue
        unjudged = ""
        if assessment.next_review is not None:
            due = assessment.next_review
        elif assessment.status == "approved":
            # no date written: current until the tier's review period ends (AIMS502's date)
            tier = assessment_tier(c.repo, assessment)
            due = valid_until(assessment, c.repo.config.policy(tier.name))
            unjudged = f" ({tier.note()})" if tier.unjudged else ""
        else:
            continue
        owner = assessment.owner or _owner_of(c.repo, assessment.system)
        what = f"review of the impact assessment of {assessment.system}{unjudged}"
        yield c.item(assessment, "next-review", due, what, owner)


def _assessments_owed(c: _Collector) -> Iterator[DueItem]:
    """A system whose tier requires a current approved impact assessment and has none
    that is approved and lapsed (whose review is listed, overdue, above): one is owed
    now (AIMS401), as a passing evaluation is owed when none has passed."""
    by_system = c.repo.assessments_by_system
    for system in c.repo.of_kind(AISystem):
        if system.stage == "retired":  # needs none (AIMS401)
            continue
        tier = c.repo.tiers.get(system.id, "unassessed")
        policy = c.repo.config.policy(tier)
        if not policy.impact_assessment:
            continue
        assessments = by_system.get(system.id, [])
        missing = assessment_missing(
            assessments, policy, c.repo.as_of, lambda by: approver_refused(c.repo, by)
        )
        if missing is None or any(_lapsed(a, c, policy) for a in assessments):
            continue
        what = f"a current approved impact assessment ({tier} tier requires one, but {missing})"
        yield c.owed_now(
            system, "impact-assessment", what, system.owner, clauses=ImpactAssessment.CLAUSES
        )


def _reassessments(c: _Collector) -> Iterator[DueItem]:
    """A system changed significantly after its latest impact assessment was approved:
    a new assessment is owed from the day of the change, overdue at once, as AIMS407
    reports it at once (8.4: when significant changes occur). Where git history cannot
    tell whether it changed, it is owed now, as AIMS407 reports that too."""
    for system in c.repo.of_kind(AISystem):
        owed = reassessment_owed(c.repo, system)
        if owed is None:
            continue
        after = f"after {owed.latest.id} was approved on {owed.approved}"
        if owed.changed is None:
            what = (
                f"a new impact assessment, unless it did not change significantly {after}; "
                f"git history cannot tell: {owed.cannot_tell}"
            )
            yield c.owed_now(
                system, "reassessment", what, system.owner, clauses=ImpactAssessment.CLAUSES
            )
            continue
        what = f"a new impact assessment (it changed significantly on {owed.changed}, {after})"
        yield c.item(
            system,
            "reassessment",
            owed.changed,
            what,
            system.owner,
            overdue=True,
            clauses=ImpactAssessment.CLAUSES,
        )


def _lapsed(assessment: ImpactAssessment, c: _Collector, policy: GovernancePolicy) -> bool:
    """Whether an approved assessment's review date has passed (listed as overdue)."""
    approval = assessment.approval
    return (
        assessment.status == "approved"
        and (approval is None or approval.on <= c.repo.as_of)
        and valid_until(assessment, policy) < c.repo.as_of
    )


def _risks(c: _Collector) -> Iterator[DueItem]:
    for risk in c.repo.of_kind(Risk):
        if risk.status == "closed":
            continue
        score = c.repo.risk_scores[risk.id]
        # A risk within the appetite needs no acceptance (AIMS303 asks for one above
        # it): its expiry is nothing to do; one signed by someone who may not sign is
        # (AIMS305).
        acceptance = (
            None if score.within_appetite and score.acceptance_designated else risk.acceptance
        )
        refused = _acceptance_refused(c, risk) if acceptance is not None else None
        # One that counts is listed from its expiry: skipped where the list ends before.
        if acceptance is not None and (refused is not None or not c.beyond(acceptance.expires)):
            due, overdue = acceptance.expires, None  # overdue: from the date
            what = f"risk acceptance by {acceptance.by} expires"
            if refused is not None:
                # Signed by nobody, or by someone who may not accept the risk, it accepts
                # nothing (AIMS303, AIMS305): a signature that counts is owed now, not the
                # expiry. Same item, so a calendar entry moves once it is signed.
                what = f"risk acceptance expires ({refused})"
                if due >= c.repo.as_of:
                    due, overdue = c.repo.as_of, True  # owed now
                    what = f"risk acceptance to be signed ({refused})"
            yield c.item(risk, "acceptance", due, what, risk.owner, overdue, clauses=TREATMENT)
        treatment = risk.treatment
        in_place = score.in_place  # completed, or controls implemented
        if (
            treatment is not None
            and treatment.due is not None
            and not c.beyond(treatment.due)
            and not in_place
        ):
            what = f"treatment ({treatment.option}) to be completed"
            owner = treatment.owner or risk.owner
            yield c.item(risk, "treatment", treatment.due, what, owner, clauses=TREATMENT)


def _acceptance_refused(c: _Collector, risk: Risk) -> str | None:
    """Why ``risk``'s acceptance does not count, as AIMS305 (or AIMS303, for one given
    only after the as-of date) says it; None when it does."""
    acceptance = risk.acceptance
    if acceptance is None:
        return None
    if c.repo.risk_scores[risk.id].acceptance_designated:
        if acceptance.on > c.repo.as_of:  # not given yet: the scorer counts it from `on`
            return f"{risk.id}'s acceptance starts only on {acceptance.on}, after the as-of date"
        return None
    if is_placeholder(acceptance.by):
        return unsigned_note(risk.id, "acceptance.by", "accepted")
    why = acceptance_refused(c.repo.of_kind(Role), risk, acceptance.by)
    return f"{risk.id}'s acceptance does not count: {why}"


def _waivers(c: _Collector) -> Iterator[DueItem]:
    for waiver in c.repo.of_kind(Waiver):
        what = f"waiver of {waiver.rule} for {', '.join(waiver.records)}"
        owner = waiver.owner or waiver.approved_by
        note = waiver_not_in_force(c.repo, waiver)
        if note is not None:
            # Approved by nobody (or a key given twice), it waives nothing (the engine):
            # what is owed is a waiver that counts, now, not its expiry. Same item name,
            # so a calendar entry moves once it counts.
            if waiver.expires >= c.repo.as_of:
                owed = "to be approved" if is_placeholder(waiver.approved_by) else "to be fixed"
                yield c.owed_now(waiver, "expires", f"{what} {owed} ({note})", owner)
                continue
            what += f" expires ({note})"
        else:
            what += " expires"
        yield c.item(waiver, "expires", waiver.expires, what, owner)


def _evaluations(c: _Collector) -> Iterator[DueItem]:
    by_system = evaluations_by_system(c.repo)
    for system in c.repo.of_kind(AISystem):
        owed = evaluation_due(c.repo, system, by_system.get(system.id, []))
        if owed is None:
            continue
        due, last = owed.due, owed.last_passed
        if due is None or last is None:  # none ever passed: owed now
            what = (
                f"an evaluation that passes (none has; every {plural(owed.days, 'day')}"
                f"{_unjudged(c.repo, Evaluation, 'that passed')})"
            )
            yield c.owed_now(system, "evaluation", what, system.owner, clauses=Evaluation.CLAUSES)
        else:
            what = (
                f"next evaluation (every {plural(owed.days, 'day')} since {last.id} passed"
                f"{_unjudged(c.repo, Evaluation, 'that passed')})"
            )
            yield c.item(system, "evaluation", due, what, system.owner, clauses=Evaluation.CLAUSES)


def _bias_audits(c: _Collector) -> Iterator[DueItem]:
    """An automated employment decision tool in production (``nyc_aedt``) owes a bias
    audit a year after its last (NYC Local Law 144), on the date AIMS802 counts."""
    by_system = evaluations_by_system(c.repo)
    for system in c.repo.of_kind(AISystem):
        regulation = system.regulation
        if regulation is None or not regulation.nyc_aedt or system.stage != "production":
            continue
        audits, theirs = independent_audits(c.repo, system, by_system.get(system.id, []))
        # One that compares fewer than two categories counts for nothing, as for AIMS802.
        measuring = [a for a in audits if compares(a)]
        if not measuring:
            if audits:
                none = f"{audits[-1].id} {uncompared_note(audits[-1])}"
            else:
                none = "none is recorded" if not theirs else "none independent of its owner"
            what = f"a bias audit ({none}; NYC Local Law 144, every year"
            what += _unjudged(c.repo, Evaluation, "performed") + ")"
            yield c.owed_now(system, "bias-audit", what, system.owner, clauses=Evaluation.CLAUSES)
            continue
        last = measuring[-1]
        due = add_days(last.performed.on, BIAS_AUDIT_DAYS)
        what = f"next bias audit (NYC Local Law 144: within {BIAS_AUDIT_DAYS} days of {last.id}"
        later = [a for a in theirs if a.performed.on > last.performed.on]
        if later:  # why a later audit does not move the date
            what += f"; {owner_ran_note(system, later)}"
        what += _unjudged(c.repo, Evaluation, "performed") + ")"
        yield c.item(system, "bias-audit", due, what, system.owner, clauses=Evaluation.CLAUSES)


def _monitors(c: _Collector) -> Iterator[DueItem]:
    for monitor in c.repo.of_kind(Monitor):
        status = monitor_status(c.repo, monitor)
        if status.state == RESTING:
            continue
        assert status.next_due is not None  # given for every monitor not resting
        if status.state == UNREADABLE:  # its observations cannot all be used (AIMS708)
            if status.path is None:  # inline, one dated after the as-of date (AIMS508)
                unused = "some of its observations cannot be used"
            else:
                part = "" if status.file_unusable else ", in part"
                unused = f"its observations file cannot be used{part}"
            what = (
                f"observations of {monitor.metric} that can be read (every "
                f"{plural(monitor.every_days, 'day')}; {unused})"
            )
            yield c.item(monitor, "observation", status.next_due, what, monitor.owner, True)
            continue
        if status.latest is None:  # no observation at all: owed now, and stale
            every = plural(monitor.every_days, "day")
            what = f"first observation of {monitor.metric} (every {every})"
            yield c.owed_now(monitor, "observation", what, monitor.owner)
            continue
        state = ", stale" if status.state == "stale" else ""
        every = plural(monitor.every_days, "day")
        what = f"next observation of {monitor.metric} (every {every}{state})"
        yield c.item(monitor, "observation", status.next_due, what, monitor.owner)


def _monitoring_owed(c: _Collector) -> Iterator[DueItem]:
    """A system in production whose tier asks for monitoring and that no Monitor names
    owes one now, as AIMS703 reports it."""
    for system, monitors in monitoring_asked(c.repo):
        if not monitors:
            what = (
                f"a monitor (in production, and tier {c.repo.tiers[system.id]!r} asks for "
                f"monitoring{_unjudged(c.repo, Monitor, 'naming it')})"
            )
            yield c.owed_now(system, "monitor", what, system.owner, clauses=Monitor.CLAUSES)


def _breaches(c: _Collector) -> Iterator[DueItem]:
    """Each breach of a monitor's threshold that nothing followed (AIMS705): what its
    `on_breach` asks for, overdue from the day the breach began."""
    for monitor in c.repo.of_kind(Monitor):
        for breach in breaches(read_series(c.repo, monitor), c.as_of):
            if follow_up(c.repo, monitor, breach) is None:
                began = breach.first.on
                what = (
                    f"follow-up of the breach of {monitor.metric} from {began}: "
                    f"{FOLLOW_UP_WANTED[monitor.on_breach]}"
                )
                item = f"breach-{began.isoformat()}"
                yield c.item(monitor, item, began, what, monitor.owner, overdue=True)


def _incident_reviews(c: _Collector) -> Iterator[DueItem]:
    """For each system an incident names, a review of its risks on or after the
    incident was detected (AIMS707), overdue from that day."""
    for incident in c.repo.of_kind(Incident):
        if incident.detected > c.as_of:
            continue  # AIMS508 reports the date
        for system_id in dict.fromkeys(incident.systems):
            if risks_reviewed_since(c.repo, system_id, incident.detected):
                continue
            what = f"a review of the risks of {system_id} after the incident"
            # Named by a digest of the system's id: an item's name holds no capital.
            item = "risk-review-" + hashlib.sha256(system_id.encode("utf-8")).hexdigest()[:8]
            # The incident's owner, else the system's: an item nobody owns is nobody's.
            entry = c.repo.entries.get(system_id)
            system = entry.record if entry is not None else None
            owner = incident.owner or (system.owner if isinstance(system, AISystem) else None)
            # Cited as 8.2 asks it: risks assessed again when significant changes occur.
            yield c.item(incident, item, incident.detected, what, owner, True, clauses=("8.2",))


def _actions(c: _Collector) -> Iterator[DueItem]:
    records: list[Nonconformity | ManagementReview] = [
        *c.repo.of_kind(Nonconformity),
        *c.repo.of_kind(ManagementReview),
    ]
    for record in records:
        kind = "corrective action" if isinstance(record, Nonconformity) else "review action"
        keys = _action_keys(record.id, [action.description for action in record.actions])
        for index, action in enumerate(record.actions):
            if not action_done(action, c.repo.as_of):  # a done date ahead: not done yet
                what = f"{kind} {index + 1}: {action.description}"
                item = f"action-{index + 1}"
                yield c.item(record, item, action.due, what, action.owner, key=keys[index])


def _action_keys(record: str, descriptions: list[str]) -> list[str]:
    """Each action's name across runs: a digest of its text (spacing aside), so adding,
    removing or reordering other actions leaves it alone, while its owner and due date
    may change. Actions of the same text are told apart by their order among
    themselves, done ones counted: the second is ``-2``, whatever lies between."""
    seen: dict[str, int] = {}
    keys = []
    for description in descriptions:
        text = " ".join(description.split())
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        seen[digest] = count = seen.get(digest, 0) + 1
        keys.append(f"{record}/action-{digest}" + (f"-{count}" if count > 1 else ""))
    return keys


def _objectives(c: _Collector) -> Iterator[DueItem]:
    days = c.repo.config.cadence.management_review_days
    for objective in c.repo.of_kind(Objective):
        if objective.status not in SETTLED:
            what = f"objective to be met ({objective.status})"
            yield c.item(objective, "due", objective.due, what, objective.owner)
        owed = progress_owed(c.repo, objective)  # AIMS610's dates
        if owed is None:
            continue
        last, due = owed
        if last is None:
            what = "a progress measurement (none is recorded)"
            yield c.owed_now(objective, "progress", what, objective.owner)
        else:
            what = (
                f"next progress measurement (every {plural(days, 'day')}, the management "
                "review cadence)"
            )
            yield c.item(objective, "progress", due, what, objective.owner)


def _audits(c: _Collector) -> Iterator[DueItem]:
    repo = c.repo
    days = repo.config.cadence.internal_audit_days
    last = last_completed_audit(repo)
    if last is not None and last.performed is not None:
        due = add_days(last.performed.to, days)
        what = f"next internal audit (every {plural(days, 'day')} since this one ended"
        what += _also(not_counted(repo, InternalAudit)) + _unjudged(repo, InternalAudit) + ")"
        owner = last.owner or last.auditor
        yield c.item(last, "next-audit", due, what, owner, key=next_of(InternalAudit))
    elif (first := first_due(repo, InternalAudit, days, with_invalid=True)) is not None:
        what = f"first internal audit ({first[0].basis}; every {plural(days, 'day')}"
        what += _also(not_counted(repo, InternalAudit)) + ")" + _unjudged(repo, InternalAudit)
        yield c.owed_by_the_aims(InternalAudit, "first-audit", first[1], what)
    for audit in repo.of_kind(InternalAudit):
        if audit.status == "planned":
            what = "planned internal audit to begin"
            if still_unwritten(repo, audit):  # no plan for AIMS612 either
                what += f" ({unwritten_note([audit.id], 'planned')})"
            yield c.item(audit, "planned", audit.planned, what, audit.owner or audit.auditor)
    days = repo.config.cadence.management_review_days
    review = last_review(repo)
    if review is not None:
        due = add_days(review.held, days)
        what = f"next management review (every {plural(days, 'day')} since this one"
        what += _also(not_counted(repo, ManagementReview)) + _unjudged(repo, ManagementReview)
        what += ")"
        owner = review.owner or review.chair
        yield c.item(review, "next-review", due, what, owner, key=next_of(ManagementReview))
    elif (first := first_due(repo, ManagementReview, days, with_invalid=True)) is not None:
        what = f"first management review ({first[0].basis}; every {plural(days, 'day')}"
        what += _also(not_counted(repo, ManagementReview)) + ")"
        what += _unjudged(repo, ManagementReview)
        yield c.owed_by_the_aims(ManagementReview, "first-review", first[1], what)


def _also(note: str) -> str:
    """A record left out for its placeholders (``note``, see ``not_counted``), said."""
    return f"; {note}" if note else ""


def _unjudged(repo: Repository, kind: type[Record], done: str = "held") -> str:
    """Where records of ``kind`` fail validation: a word that one of them may be the
    record that answers the item (the one ``done``). A conservative `due` is not silent:
    the item is still listed, as AIMS611, AIMS616, AIMS601 and AIMS701 list theirs."""
    note = unjudged_note(repo, kind.KIND, done)
    return f"; {note}" if note else ""


def next_of(kind: type[Owed]) -> str:
    """The name across runs of the next internal audit or management review the
    cadence asks for (or of the approved policy owed): one item of the AIMS
    (aims.yaml's), the first and each next alike, whichever record it is counted
    from. Its entry moves to the next date when one is held; a name of the last
    record's would leave the held one's entry on calendars a newer import does not
    remove entries from."""
    return f"{CONFIG_FILE}/next-{kind.KIND}"


def _approval(c: _Collector, policy: Policy, owed: date, what: str) -> DueItem:
    """The approval a policy not in force owes: from ``owed``, now once that has come."""
    if owed <= c.repo.as_of:
        return c.owed_now(policy, "approval", what, policy.owner)
    return c.item(policy, "approval", owed, what, policy.owner)


def _policies(c: _Collector) -> Iterator[DueItem]:
    owed = policy_owed(c.repo)
    asked = False  # whether a record's item already asks for the approval owed
    for policy in c.repo.of_kind(Policy):
        if policy.status == "draft" and owed is not None:
            # none is in force: the draft's approval is what AIMS601 asks for
            asked = True
            yield _approval(c, policy, owed, f"approval of the AI policy ({policy.id} is a draft)")
            continue
        if policy.status != "approved":
            continue
        if still_unwritten(c.repo, policy):  # its approval counts for nothing (AIMS601)
            what = f"approval of the AI policy ({unwritten_note([policy.id], 'approved')})"
            asked = True
            yield c.owed_now(policy, "approval", what, policy.owner)
            continue
        approval = policy.approval
        if owed is not None and approval is not None and approval.on > c.repo.as_of:
            # not in force yet (AIMS601): its approval is what is owed, at the policy
            what = f"approval of the AI policy ({policy.id} is approved only on {approval.on})"
            asked = True
            yield _approval(c, policy, owed, what)
            continue
        due = policy_next_review(policy, c.repo)
        if due is not None:
            yield c.item(policy, "next-review", due, "review of the AI policy", policy.owner)
    if owed is not None and not asked:
        # No record to hang it on (none at all, or only retired ones): still owed, as
        # AIMS601 says, so aims.yaml's.
        what = "approval of an AI policy (no Policy record is approved or a draft"
        what += _unjudged(c.repo, Policy, "approved") + ")"
        yield c.owed_by_the_aims(Policy, "policy-approval", owed, what)


def _incidents(c: _Collector) -> Iterator[DueItem]:
    for incident in c.repo.of_kind(Incident):
        if incident.detected > c.as_of:
            continue  # not detected yet: nothing to report (AIMS508), as obligations says
        deadline = art73_deadline(c.repo, incident, with_invalid=True)
        if deadline is None or deadline.report_on is not None:
            continue
        what = (
            f"report of a serious incident to an authority (EU AI Act Art. 73, "
            f"{deadline.days} days from detection"
        )
        if deadline.unjudged:  # a system unread may be high-risk: listed, not dropped
            what += f"; {deadline.unjudged_note}"
        what += ")"
        yield c.item(incident, "art73-report", deadline.due, what, incident.owner)


def _documents(c: _Collector) -> Iterator[DueItem]:
    """The reports kept as controlled documents (`documents` in aims.yaml) whose
    register gives a `next_review` (7.5.2, 7.5.3): aims.yaml's own items."""
    as_of = c.repo.as_of
    for name, document in sorted(c.repo.config.documents.items()):
        due = document.next_review
        if due is None:
            continue
        yield DueItem(
            due=due,
            overdue=due < as_of,
            what=f"review of the {name} report, controlled document {document.id}",
            record=CONFIG_FILE,
            kind=CONFIG_FILE,
            path=CONFIG_FILE,
            owner=_named(document.owner),
            item=f"document-{name}",
            days=(due - as_of).days,
            clauses=DOCUMENT_CLAUSES,
        )


_SOURCES = (
    _reviews,
    _assessments,
    _assessments_owed,
    _reassessments,
    _risks,
    _waivers,
    _evaluations,
    _bias_audits,
    _monitors,
    _actions,
    _objectives,
    _audits,
    _policies,
    _incidents,
    _documents,
    _monitoring_owed,
    _breaches,
    _incident_reviews,
)


def _owner_of(repo: Repository, record_id: str) -> str | None:
    entry = repo.entries.get(record_id)
    return entry.record.owner if entry is not None else None


def all_due(repo: Repository) -> list[DueItem]:
    """Every dated item of the repository, overdue or not, by due date then record."""
    return _collected(_Collector(repo), _SOURCES)


def management_due(repo: Repository) -> list[DueItem]:
    """The items of the management system's own cadence: the AI policy's approval and
    review, the internal audits and management reviews; as :func:`all_due` gives them,
    without working out every other record's (a risk's review, a monitor's next
    observation), which at 10,000 records takes a third of a second."""
    return _collected(_Collector(repo), (_audits, _policies))


def _collected(
    collector: _Collector, sources: tuple[Callable[[_Collector], Iterator[DueItem]], ...]
) -> list[DueItem]:
    horizon = collector.horizon
    items = [
        item
        for source in sources
        for item in source(collector)
        if horizon is None or item.overdue or item.due <= horizon
    ]
    # By date, then record id as text (the order the contract names), then item. Items
    # are named by a few words ("review", "action-2"): each one's key is made once.
    names: dict[str, tuple[tuple[int, int | str], ...]] = {}
    for item in items:
        if item.item not in names:
            names[item.item] = natural_key(item.item)
    return sorted(items, key=lambda i: (i.due, i.record, names[i.item]))


def owned_by(repo: Repository, owner: str | None, who: str) -> bool:
    """Whether ``owner`` is ``who``: the same name, or names of one Role (its id and
    its holder)."""
    if owner is None:
        return False
    if name_key(owner) == name_key(who):
        return True
    return any(role.names(owner) and role.names(who) for role in repo.of_kind(Role))


def unknown_owner(repo: Repository, who: str) -> str | None:
    """Why ``who`` (--owner) names nobody the records know, with the closest name: no
    record has it as an owner (its own, a treatment's, an action's), no Role is it, and
    no item `due` lists, in any window, is its (an audit's auditor, a review's chair or a
    waiver's approver stands as the owner of the next one where no owner is recorded).
    An empty list for a mistyped name would read as nothing due. None when known."""
    from aimsctl.rules.management.roles import owners_of
    from aimsctl.validation_messages import did_you_mean

    names = {owner for entry in repo.entries.values() for _, owner in owners_of(entry.record)}
    names |= {name for role in repo.of_kind(Role) for name in (role.id, role.holder)}
    if name_key(who) in {name_key(name) for name in names}:
        return None
    if any(owned_by(repo, name, who) for name in names):
        return None
    # Only for a name not found above: every item's owner, as `due` names it.
    listed = {item.owner for item in all_due(repo) if item.owner is not None} - names
    if any(owned_by(repo, name, who) for name in listed):
        return None
    names |= listed
    hint = did_you_mean(who, sorted(names))
    return f"no record names {who!r} as an owner, and no Role is {who!r}{hint}"


def due_list(repo: Repository, within: int = DEFAULT_WITHIN, owner: str | None = None) -> DueList:
    """What is overdue and what falls due within ``within`` days of the as-of date,
    of ``owner`` only when given."""
    window = _collected(_Collector(repo, add_days(repo.as_of, within)), _SOURCES)
    items = tuple(item for item in window if owner is None or owned_by(repo, item.owner, owner))
    unowned = tuple(item for item in window if owner is not None and item.owner is None)
    return DueList(
        repo.as_of,
        within,
        owner,
        items,
        repo.config.organization,
        repo.failed_files(),
        unowned,
    )
