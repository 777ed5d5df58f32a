"""AIMS401-AIMS409: proportional governance by tier, impact assessment approval,
assessment results that must reach the risk register, and a tier that aims.yaml asks
less of than the record contract's default."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.config import GovernancePolicy
from aimsctl.config.governance import default_governance
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.errors import FETCH_HISTORY
from aimsctl.records import AISystem, Control, ImpactAssessment, Risk, Role
from aimsctl.rules.management import UNREAD_NAMED, noted
from aimsctl.rules.placeholders import unsigned_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.soa import decided
from aimsctl.text import a_kind
from aimsctl.vocabulary import OVERSIGHT_ORDER, is_placeholder, placeholder_signer

if TYPE_CHECKING:
    from aimsctl.record_dates import HistoryStop
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING


def tier_review(assessment: ImpactAssessment, policy: GovernancePolicy) -> date:
    """When the tier's review period, counted from `assessed.on`, runs out: the review
    date of an assessment that sets no `next_review`, and the latest one it may set
    (AIMS509)."""
    return add_days(assessment.assessed.on, policy.review_days)


def valid_until(assessment: ImpactAssessment, policy: GovernancePolicy) -> date:
    """The last day an assessment is current: `next_review`, else assessed + review period."""
    if assessment.next_review is not None:
        return assessment.next_review
    return tier_review(assessment, policy)


def review_date(assessment: ImpactAssessment, policy: GovernancePolicy) -> date | None:
    """When an assessment is next due for review, as AIMS502 and `aimsctl due` count
    it: `next_review`, else, for an approved one, assessed + review period; None for
    one not approved that sets none (the tier's period runs for an approved one only)."""
    if assessment.next_review is None and assessment.status != "approved":
        return None
    return valid_until(assessment, policy)


_NOT_CURRENT = {
    "draft": "is only a draft",
    "in-review": "is still in review",
    "superseded": "is superseded",
}


def assessment_missing(
    assessments: list[ImpactAssessment],
    policy: GovernancePolicy,
    as_of: date,
    refused: Callable[[str], str | None] = lambda _: None,
) -> str | None:
    """What keeps a system from having a current approved assessment (None: nothing).
    An assessment :func:`not_approved` finds fault with approves nothing."""
    if not assessments:
        return "there is none"
    expired: list[tuple[date, str]] = []
    others: list[str] = []
    for assessment in assessments:
        why = not_approved(assessment, as_of, refused)
        if why is not None:
            others.append(why)
            continue
        until = valid_until(assessment, policy)
        if as_of <= until:
            return None
        expired.append((until, assessment.id))
    found = [f"approved {record} expired on {until}" for until, record in sorted(expired)]
    return "; ".join(found + others)


def not_approved(
    assessment: ImpactAssessment,
    as_of: date,
    refused: Callable[[str], str | None] = lambda _: None,
) -> str | None:
    """Why an assessment is not approved as of ``as_of`` (None: it is): a draft, one in
    review or superseded, an approval that records no one, that is dated later, an
    assessment made only later (its period would run from a day not come yet), or an
    approval ``refused`` (AIMS403) refuses."""
    approval = assessment.approval
    if assessment.status != "approved":
        return f"{assessment.id} {_NOT_CURRENT[assessment.status]}"
    if approval is None:
        return f"{assessment.id} says approved without recording the approval (by, on)"
    # A `TODO:` approver or assessor is nobody: nothing was approved or assessed (AIMS107).
    if is_placeholder(approval.by):
        return unsigned_note(assessment.id, "approval.by", "approved")
    if is_placeholder(assessment.assessed.by):
        return unsigned_note(assessment.id, "assessed.by", "approved")
    if approval.on > as_of:
        return f"{assessment.id} is approved only on {approval.on}"
    if assessment.assessed.on > as_of:
        return f"{assessment.id} is assessed only on {assessment.assessed.on}"
    if refused(approval.by):
        return f"{assessment.id} is approved by {approval.by!r}, who holds no Role"
    return None


@rule(
    codes.IMPACT_ASSESSMENT_REQUIRED,
    E,
    summary="A system's tier calls for an impact assessment (`impact_assessment: true` in "
    "the tier's governance policy), and there is no current approved ImpactAssessment "
    f"for it. An approval that does not record who gave it, or that {codes.APPROVAL_INCOMPLETE} "
    "refuses (the approver holds no Role), approves nothing, nor does one dated after the as-of "
    "date or of an assessment made (`assessed.on`) after it, nor one whose `approval.by` or "
    "`assessed.by` is still a `TODO:` placeholder (nobody approved or assessed it). A "
    "retired system needs none: it is no longer used (nor is its last assessment due for "
    f"review, {codes.ASSESSMENT_REVIEW_DUE})." + UNREAD_NAMED,
    why="Clause 6.1.4 and control A.5.2 ask for an assessment of the consequences an AI "
    "system can have for individuals, groups and society; 8.4 asks for it to be "
    "performed at planned intervals and when significant changes are proposed or occur. "
    "aims.yaml sets which tiers need a current one; a draft, a superseded or a lapsed "
    "assessment does not meet that.",
    fix="Complete the assessment and approve it (`status: approved`, `approval`, "
    "`decision`), or review the lapsed one and set a new `next_review`. The message says "
    "what was found.",
    example="kind: ImpactAssessment\nid: IA-HIRE\nsystem: SYS-HIRE   # a high-tier system\n"
    "status: draft\n...",
)
def impact_assessment_required(repo: Repository) -> Iterator[Finding]:
    by_system = repo.assessments_by_system
    for system in repo.of_kind(AISystem):
        if system.stage == "retired":  # stopped: nothing is used to assess (AIMS502 alike)
            continue
        tier = repo.tiers[system.id]
        policy = repo.config.policy(tier)
        if not policy.impact_assessment:
            continue
        missing = assessment_missing(
            by_system.get(system.id, []),
            policy,
            repo.as_of,
            lambda by: approver_refused(repo, by),
        )
        if missing is not None:
            # An assessment that failed validation, or a record whose kind or id cannot be
            # read, may be the current approved one: said, not judged.
            yield Finding(
                noted(
                    repo,
                    ImpactAssessment.KIND,
                    "approved",
                    f"tier {tier!r} requires a current approved impact assessment, but {missing}",
                ),
                record=system.id,
            )


@rule(
    codes.OVERSIGHT_BELOW_TIER,
    E,
    summary="A system's `human_oversight.mode` is weaker than the `min_oversight` its tier's "
    "governance policy asks for. A retired system is left alone: it makes no decisions.",
    why="Human oversight is a main way of keeping an AI system's use responsible "
    "(controls A.9.2 and A.9.3 on processes and objectives for responsible use), and a "
    "control the risk treatment (6.1.3, 8.3) relies on. aims.yaml makes oversight "
    "proportional to risk: the higher the tier, the closer a person must be to each "
    "decision.",
    fix="Strengthen the oversight (none < periodic-review < human-on-the-loop < "
    "human-in-the-loop) and describe it, or treat the risks so the tier comes down.",
    example="kind: AISystem\nid: SYS-CREDIT   # tier critical\n...\nhuman_oversight:\n"
    "  mode: periodic-review",
)
def oversight_below_tier(repo: Repository) -> Iterator[Finding]:
    for system in repo.of_kind(AISystem):
        if system.stage == "retired":  # stopped: it makes no decision to oversee
            continue
        tier = repo.tiers[system.id]
        required = repo.config.policy(tier).min_oversight
        mode = system.human_oversight.mode
        if OVERSIGHT_ORDER.index(mode) < OVERSIGHT_ORDER.index(required):
            yield Finding(
                f"human oversight {mode!r} is below {required!r}, the minimum for tier {tier!r}",
                record=system.id,
                parts=("human_oversight", "mode"),
            )


@rule(
    codes.APPROVAL_INCOMPLETE,
    E,
    summary="An impact assessment says `status: approved` but has no `approval` (who, when) "
    "or no `decision`, or, where Roles are recorded, its `approval.by` holds no Role; or "
    "its `approval.by` is a `TODO:` placeholder, Roles or not (`aimsctl assessment "
    "approve` refuses such an approver).",
    why="The results of an impact assessment are retained as documented information (6.1.4, "
    "8.4, A.5.3). An approval that does not say who approved it, when, and whether the "
    "system may proceed is not evidence of an approval; nor is one signed by someone the "
    "management system gives no role (5.3).",
    fix="Add `approval: {by, on}` and `decision: proceed | proceed-with-conditions | "
    "do-not-proceed`, or set the status back to `in-review`; have a designated role "
    "approve it (its Role id or holder).",
    example="kind: ImpactAssessment\nid: IA-1\n...\nstatus: approved\n# no approval, no decision",
)
def approval_incomplete(repo: Repository) -> Iterator[Finding]:
    for assessment in repo.of_kind(ImpactAssessment):
        if assessment.status != "approved":
            continue
        if assessment.approval is None:
            yield Finding(
                "assessment is approved but does not record the approval (by, on)",
                record=assessment.id,
                parts=("status",),
            )
        elif (refused := approver_refused(repo, assessment.approval.by)) is not None:
            yield Finding(refused, record=assessment.id, parts=("approval", "by"))
        if assessment.decision is None:
            yield Finding(
                "assessment is approved but records no decision (proceed, "
                "proceed-with-conditions or do-not-proceed)",
                record=assessment.id,
                parts=("status",),
            )


def approver_refused(repo: Repository, by: str) -> str | None:
    """Why ``by`` may not approve an impact assessment; None when they may (anyone,
    where no Role is recorded; never a `TODO:` name, which is nobody)."""
    nobody = placeholder_signer(by)
    if nobody is not None:
        return nobody
    roles = repo.of_kind(Role)
    if not roles or any(role.names(by) for role in roles):
        return None
    return (
        f"{by!r} holds no Role (neither a Role id nor a holder); where Roles are recorded, "
        "an assessment is approved by a designated role"
    )


@rule(
    codes.APPROVAL_BEFORE_ASSESSMENT,
    E,
    summary="An impact assessment was approved (`approval.on`) before it was carried out "
    "(`assessed.on`).",
    why="An approval can only endorse an assessment that exists (6.1.4, 8.4). An approval "
    "dated before the assessment is a wrong date, or an approval of something else, and "
    "undermines the audit trail.",
    fix="Correct the dates; if the assessment was redone after approval, approve it again.",
    example="assessed: {on: 2026-05-10, by: dpo@acme.example}\n"
    "approval: {on: 2026-05-01, by: cro@acme.example}",
)
def approval_before_assessment(repo: Repository) -> Iterator[Finding]:
    for assessment in repo.of_kind(ImpactAssessment):
        approval = assessment.approval
        if approval is not None and approval.on < assessment.assessed.on:
            yield Finding(
                f"approved on {approval.on}, before the assessment was made on "
                f"{assessment.assessed.on}",
                record=assessment.id,
                parts=("approval", "on"),
            )


@rule(
    codes.ASSESSMENT_WITHOUT_IMPACTS,
    W,
    summary="An approved impact assessment (not superseded) records no `impacts`: it "
    "shows no potential consequence for people, groups or society was weighed. Its "
    "`conclusion` does not stand in for them: every approved assessment gives one.",
    why="Clause 6.1.4 asks the organization to assess the potential consequences of an "
    "AI system for individuals, groups and societies, and to document the results "
    "(8.4; A.5.4, A.5.5). An approved assessment with no impact in it documents no "
    "result: its approval endorses an empty page.",
    fix="Record the impacts considered, each with its dimension, scope, groups, "
    "likelihood and severity (and mitigations), the ones judged slight included: an "
    "assessment that found little still lists what it weighed, at the levels it found.",
    example="kind: ImpactAssessment\nid: IA-1\n...\nstatus: approved\nimpacts: []",
)
def assessment_without_impacts(repo: Repository) -> Iterator[Finding]:
    for assessment in repo.of_kind(ImpactAssessment):
        if assessment.status == "approved" and not assessment.impacts:
            yield Finding(
                "the assessment is approved, but records no impacts: nothing shows which "
                "consequences for people, groups or society were weighed",
                record=assessment.id,
                parts=("status",),
            )


def _asks_less(
    written: GovernancePolicy, other: GovernancePolicy, whose: str
) -> Iterator[tuple[str, str]]:
    """Each key of a tier's written policy that asks less than ``other`` (``whose``
    demand: "the default", "tier 'medium'"), with what it says against that demand."""
    if written.review_days > other.review_days:
        yield (
            "review_days",
            (
                f"a review every {written.review_days} days, where {whose} asks one every "
                f"{other.review_days}"
            ),
        )
    if other.impact_assessment and not written.impact_assessment:
        yield "impact_assessment", f"no impact assessment, where {whose} asks one"
    order = OVERSIGHT_ORDER.index
    if order(written.min_oversight) < order(other.min_oversight):
        yield (
            "min_oversight",
            (
                f"{written.min_oversight!r} as the least oversight, where {whose} asks "
                f"{other.min_oversight!r}"
            ),
        )
    days, other_days = written.evaluation_days, other.evaluation_days
    if other_days is not None and (days is None or days > other_days):
        said = "no evaluation" if days is None else f"an evaluation within {days} days"
        yield "evaluation_days", f"{said}, where {whose} asks one within {other_days} days"
    if other.monitoring and not written.monitoring:
        yield "monitoring", f"no monitor for a system in production, where {whose} asks one"


@rule(
    codes.GOVERNANCE_BELOW_DEFAULT,
    W,
    summary="aims.yaml's `governance:` asks less of a tier than the record contract's "
    "default for a tier of that name (`critical`, `high`, `medium`, `low`), or than a "
    "tier below it on the risk scale asks (whatever the names: a band renamed takes no "
    "default): reviews further apart, no impact assessment, weaker least oversight, a "
    "later evaluation or none, or no monitoring. Each key that asks less is one "
    "finding, naming the strictest of those demands and where it is made.",
    why="Clause 6.1.2 asks for risk criteria that are set and applied consistently, and "
    "6.1.3 and 8.3 that treatment is proportionate to the risk: a riskier tier asking "
    "less than a lower one inverts the scale, and the defaults are what a tier of that "
    "name is taken to require. Asking less of the riskiest systems is the "
    "organization's decision to make, but one that lowers every demand on them in a "
    "single line, so it is said, not taken silently: a clean run under it is not a "
    "clean run under the contract.",
    fix="Ask at least the default (`aimsctl init` writes them) and at least what the tier "
    "below asks, or keep the lower setting as a decision on record: say why in a comment "
    f"beside it, and turn the rule off in `rules:` ({codes.GOVERNANCE_BELOW_DEFAULT}: "
    "off), which `validate` and `status` then disclose under their counts.",
    example="governance:\n  critical: {review_days: 365, impact_assessment: false, "
    "min_oversight: periodic-review}",
)
def governance_below_default(repo: Repository) -> Iterator[Finding]:
    config = repo.config
    if "governance" not in config.model_fields_set:
        return  # the defaults themselves
    defaults = default_governance()
    policies = config.band_policies
    bands = config.risk.band_names
    for at, band in enumerate(bands):
        written = config.governance.get(band)
        if written is None:
            continue
        # Whose demand each key falls short of: the strictest among its default and
        # the tiers below it (the lowest that asks it, where a demand is passed up).
        demands = [("the default for it", defaults[band])] if band in defaults else []
        demands += [
            (f"tier {lower!r}, below it,", policies[lower])
            for lower in bands[:at]
            if lower in policies
        ]
        for key, strength in _STRENGTH.items():
            whose, strictest = max(demands, key=lambda d: strength(d[1]), default=(None, None))
            if strictest is None or strength(written) >= strength(strictest):
                continue
            for named, what in _asks_less(written, strictest, str(whose)):
                if named == key:
                    yield Finding(
                        f"tier {band!r} asks less: {what}", parts=("governance", band, key)
                    )


# How much each key of a policy asks: the higher, the more.
_STRENGTH: dict[str, Callable[[GovernancePolicy], int]] = {
    "review_days": lambda p: -p.review_days,
    "impact_assessment": lambda p: int(p.impact_assessment),
    "min_oversight": lambda p: OVERSIGHT_ORDER.index(p.min_oversight),
    "evaluation_days": lambda p: -(p.evaluation_days or 1_000_000),
    "monitoring": lambda p: int(p.monitoring),
}


def latest_approved(assessments: list[ImpactAssessment], as_of: date) -> ImpactAssessment | None:
    """The approved assessment a system stands on: the one approved last, by as-of."""
    approved = [
        a
        for a in assessments
        if a.status == "approved" and (a.approval is None or a.approval.on <= as_of)
    ]
    if not approved:
        return None
    return max(approved, key=lambda a: (a.approval.on if a.approval else a.assessed.on, a.id))


# Stages at which a system is being built, tested or used: a decision not to proceed
# forbids them. A proposed system has not started; a retired one has stopped.
_UNDER_WAY = ("development", "validation", "production")


@rule(
    codes.ASSESSMENT_SAYS_DO_NOT_PROCEED,
    E,
    summary="A system's latest approved impact assessment decided `do-not-proceed`, yet the "
    "system is in development, validation or production.",
    why="Clause 6.1.4 asks that the results of the impact assessment are considered in the "
    "risk assessment, and 8.4 that it is performed and acted on: a decision not to proceed "
    "is the assessment's result. A system that carries on regardless means the assessment "
    "decided nothing.",
    fix="Stop the system (set `stage: retired`, or back to `proposed` if it never ran), or "
    "carry out a new assessment whose decision allows it, approve it, and mark the old one "
    "`superseded`.",
    example="kind: ImpactAssessment\nid: IA-1\nsystem: SYS-X   # stage: production\n...\n"
    "status: approved\ndecision: do-not-proceed",
)
def assessment_says_do_not_proceed(repo: Repository) -> Iterator[Finding]:
    by_system = repo.assessments_by_system
    for system in repo.of_kind(AISystem):
        latest = latest_approved(by_system.get(system.id, []), repo.as_of)
        if latest is None or latest.decision != "do-not-proceed":
            continue
        if system.stage in _UNDER_WAY:
            yield Finding(
                f"system is in {system.stage}, but its approved impact assessment "
                f"{latest.id} decided do-not-proceed; stop the system or reassess it",
                record=system.id,
                parts=("stage",),
            )


@rule(
    codes.IMPACT_ABOVE_APPETITE_UNMITIGATED,
    E,
    summary="An impact in an impact assessment (not superseded) scores above `risk.appetite` "
    "on the risk scale, and no mitigation answers it for the assessed system: it names "
    "none, or only Risks about other systems, Controls that do not apply to the system "
    "(excluded, undecided, or scoped to other systems) and records of other kinds.",
    why="Clause 6.1.4 asks that the results of the impact assessment feed the AI risk "
    "assessment (6.1.2) and treatment (6.1.3): a serious impact on people that no risk "
    "and no control answers has not reached the register, so nobody owns it. A risk of "
    "another system, or a control not in force for this one, does not carry it there.",
    fix="Record the impact as a Risk of the system (or name the existing Risk or Control "
    "that answers it) under `mitigations:`; the risk then carries the treatment, owner and "
    "acceptance.",
    example="impacts:\n  - dimension: fairness\n    scope: group\n    description: ...\n"
    "    likelihood: Likely\n    severity: Major\n    mitigations: []",
)
def impact_above_appetite_unmitigated(repo: Repository) -> Iterator[Finding]:
    appetite = repo.config.risk.appetite
    for assessment in repo.of_kind(ImpactAssessment):
        if assessment.status == "superseded":
            continue
        for index, impact in enumerate(assessment.impacts):
            why_not = [_not_answering(repo, m, assessment.system) for m in impact.mitigations]
            if impact.mitigations and None in why_not:
                continue  # one answers it (or cannot be judged: AIMS201 or its own errors)
            score = repo.scorer.impact(impact, vulnerable=assessment.on_vulnerable(impact))
            if repo.scorer.within_appetite(score.band):
                continue
            named = (
                f"names no mitigation that answers it for {assessment.system} "
                f"({'; '.join(reason for reason in why_not if reason)})"
                if impact.mitigations
                else "names no mitigation"
            )
            yield Finding(
                f"{impact.dimension} impact is {score.band} (score {score.score}), above "
                f"the appetite {appetite!r}, and {named}; record it as a Risk of the system "
                "or name the Risk or Control that answers it",
                record=assessment.id,
                parts=("impacts", index),
            )


def _not_answering(repo: Repository, mitigation: str, system_id: str) -> str | None:
    """Why a mitigation does not answer an impact on ``system_id``; None when it does,
    or when it cannot be told (no such record, or one that failed validation). A record
    of another kind (a system, the assessment itself) answers nothing."""
    entry = repo.entries.get(mitigation)
    if entry is None:
        return None
    found = entry.record
    if isinstance(found, Risk) and system_id not in found.systems:
        return f"{mitigation} is a risk of {', '.join(found.systems)}"
    if isinstance(found, Control):
        if not decided(found):  # a placeholder's `applicable: false` excludes nothing
            return f"{mitigation} is not decided (its justification is a placeholder)"
        if not found.applicable:
            return f"{mitigation} is excluded (applicable: false)"
        if found.left_out([system_id]):
            return f"{mitigation} applies to {', '.join(found.systems)} only"
    elif not isinstance(found, Risk):
        return f"{mitigation} is {a_kind(found.kind)}, neither a Risk nor a Control"
    return None


def _where_history_stops(stop: HistoryStop) -> str:
    """Why no change before ``stop`` can be seen, and what to do."""
    if stop.submodule is None:
        return (
            f"this clone is shallow and its history stops at a commit of {stop.on}; {FETCH_HISTORY}"
        )
    if stop.not_updated:
        return (
            f"the submodule at {stop.submodule} lacks the commit that a commit of {stop.on} "
            "pins it at (it was not updated since): run `git submodule update`"
        )
    return (
        f"the submodule at {stop.submodule} was fetched shallow and its history stops at a "
        f"commit of {stop.on}; {FETCH_HISTORY}"
    )


@dataclass(frozen=True)
class Reassessment:
    """A new impact assessment a system owes (AIMS407): it changed significantly on
    ``changed`` after ``latest`` was approved on ``approved``, or whether it did
    ``cannot_tell`` (why git history cannot say)."""

    latest: ImpactAssessment
    approved: date
    changed: date | None = None
    cannot_tell: str | None = None

    def message(self) -> str:
        if self.changed is not None:
            return (
                f"the system changed significantly on {self.changed}, after its impact "
                f"assessment {self.latest.id} was approved on {self.approved}; reassess it"
            )
        return (
            "whether the system changed significantly after its impact assessment "
            f"{self.latest.id} was approved on {self.approved} cannot be told: "
            f"{self.cannot_tell}"
        )


def reassessment_owed(repo: Repository, system: AISystem) -> Reassessment | None:
    """The reassessment ``system`` owes for a significant change after its latest
    approved impact assessment, or may owe where git history cannot tell (AIMS407
    reports either; `due` lists it); None where it owes none, or outside git."""
    history = repo.history
    if history is None or system.stage == "retired":
        return None  # retired: stopped, retiring it or what changed before harms no one now
    latest = latest_approved(repo.assessments_by_system.get(system.id, []), repo.as_of)
    if latest is None or latest.approval is None:
        return None
    approved = latest.approval.on
    if history.unknown is not None:
        return Reassessment(latest, approved, cannot_tell=history.unknown)
    changed = history.material_change.get(system.id)
    if changed is not None and approved < changed:
        return Reassessment(latest, approved, changed=changed)
    # None seen after the approval: in a shallow clone, one may precede the history;
    # where a submodule was not updated, the commit moving it may hold one.
    stop = history.stops_at(system.id, repo.entries[system.id].document.source.path)
    if stop is not None and approved < stop.on:
        return Reassessment(latest, approved, cannot_tell=_where_history_stops(stop))
    return None


@rule(
    codes.ASSESSMENT_OLDER_THAN_CHANGE,
    E,
    summary="A system changed significantly (its purpose, type, stage, decisions, data, "
    "third parties, oversight, regulation or jurisdictions) after its latest approved "
    "impact assessment was approved. "
    "The date of the change comes from git history (a change not committed yet is dated "
    "today: one in the working tree, a file git ignores included, or with `--staged` one "
    "in git's index); outside git the rule cannot tell and stays silent. In a shallow "
    "clone, where no change is found in the history fetched and the approval is older "
    "than its oldest commit, a change may lie before it: the rule says it cannot tell, as "
    "an error, until "
    "the history is fetched; so it does where no git program is installed to read the "
    "history, in a repository git cannot read (a damaged HEAD, a linked work tree whose "
    "main repository is gone: the message gives git's reason), in a partial clone "
    "(`--filter=blob:none`), which "
    "lacks the contents of past commits, where record files are stored with Git LFS and "
    "the content of a past version was not fetched, and for a system in a submodule whose "
    "repository "
    "lacks a commit the history pins it at after the approval (fetched shallow, or not "
    "updated after a pull: the message says which). A retired system is left alone: "
    "retiring it is a change, but one that ends its use.",
    why="Clause 8.4 asks that impact assessments are performed when significant changes are "
    "proposed or occur, not only at planned intervals; an assessment approved before the "
    "change describes a system that no longer exists (6.1.4).",
    fix="Reassess the system: approve a new impact assessment (and mark the old one "
    "`superseded`), or review the current one and record its new approval.",
    example="# SYS-HIRE: stage changed to production on 2026-09-01 (a commit)\n"
    "kind: ImpactAssessment\nid: IA-HIRE\nsystem: SYS-HIRE\nstatus: approved\n"
    "approval: {by: cpo@acme.example, on: 2026-03-10}",
)
def assessment_older_than_change(repo: Repository) -> Iterator[Finding]:
    # Asked first, systems or none: a repository git refuses to read (owned by another
    # user, damaged) is an error of the run, as every command reading history says.
    if repo.history is None:
        return
    for system in repo.of_kind(AISystem):
        owed = reassessment_owed(repo, system)
        if owed is not None:
            yield Finding(owed.message(), record=system.id)
