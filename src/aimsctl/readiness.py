"""How ready the management system is for a Stage 1 audit: for every requirement of
clauses 4 to 10 and every Annex A control, the documented information that
evidences it, what is missing, and what falls due.

A clause is evidenced by the records of the kinds that declare it (each kind's
``CLAUSES``, a clause covering its sub-clauses) and by what aims.yaml itself
documents (the scope, the risk criteria, the document register); an AI policy
counts once approved, an impact assessment once approved, a management review once
held, an evaluation once performed, a nonconformity once raised, an incident once
detected and an internal audit (but for the programme, 9.2.2) once completed, as of
the as-of date, as `aimsctl validate` judges them (AIMS601, AIMS401, AIMS508, AIMS611);
a nonconformity once acted on (a correction or a corrective action recorded, or closed
as AIMS621 accepts), a risk for its treatment (6.1.3, 8.3) once it records one, a role
for leadership (5.1) only in top management, an objective unless withdrawn or
achieved with nothing to show it (AIMS623: no measurement, or one short of its
target), a management review for its inputs (9.3.2) when it is the latest held and records all
seven (AIMS618); aims.yaml evidences the management system as a whole (4.4) only once
every other requirement the repository can evidence is evidenced, the records kept
under version control (7.5.1) only once a git commit dated by the as-of date holds them
(a record file it does not hold is named, and 7.5.1 is a gap), and the creating and
updating of documents (7.5.2) only for the reports its register records approved, by
the as-of date, and not past their next review. What is missing says why one is not
counted, and names the records whose kind or id cannot be read, which may be the
evidence (as the rules name them).
An Annex A control is evidenced by its row of the Statement of Applicability (decided
as :mod:`aimsctl.soa` decides it, with its evidence files and links) and by the
records of the kinds that declare the control or its area. Due items come from
:mod:`aimsctl.due`, so `status`, `due` and the readiness report agree. Nothing here
prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from aimsctl import codes
from aimsctl.catalog import annex_a_areas
from aimsctl.due import DueItem, all_due
from aimsctl.errors import FETCH_HISTORY, GitError
from aimsctl.loader import CONFIG_FILE, WorkingTree
from aimsctl.records import (
    KINDS,
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
)
from aimsctl.records.clauses import CLAUSES, TOP_CLAUSES, covers, sub_clauses
from aimsctl.rules.governance import approver_refused, not_approved
from aimsctl.rules.management import (
    achievement_not_shown,
    audit_programme,
    chaired_outside,
    closure_problem,
    last_review,
    missing_inputs,
    not_met,
    not_top_management_because,
    outside_top_management,
    plan_not_counted,
    policy_approved,
    programme_since,
    recorded_unmet,
    unjudged_note,
    unread_note,
)
from aimsctl.rules.measurements import read_series, watched, why_stopped
from aimsctl.rules.placeholders import UNWRITTEN, unsigned_note
from aimsctl.rules.placeholders import unwritten as unwritten_ids
from aimsctl.rules.soa import (
    document_problem,
    empty_document,
    evidence_path_problem,
    relying_risks,
    shows_nothing,
)
from aimsctl.soa import UNJUSTIFIED, UNJUSTIFIED_INCLUDED, decided, justified, refused_controls
from aimsctl.text import Markdown, first_of, md_code, natural_key, plural, printable, words
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.config import DocumentControl
    from aimsctl.repository import Repository

# What a requirement's state is, in words the outputs show.
READY = "ready"  # evidenced (a control: implemented with evidence)
GAP = "gap"  # something is missing
OVERDUE = "overdue"  # evidenced, but something about it is overdue
# An Annex A control excluded with a justification, or an area whose controls are all
# so excluded: a sound decision in the Statement of Applicability (6.1.3), but nothing
# implemented, so never counted as ready.
NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of documented information: a record, an evidence file or link, or
    a setting of aims.yaml."""

    kind: str  # a record kind, "evidence" (a file or link of a control) or "aims.yaml"
    id: str  # the record id, or what the file or setting is
    title: str
    path: str  # a repository path, or the URL of a link
    url: bool = False


@dataclass(frozen=True, slots=True)
class Requirement:
    """A clause with no sub-clauses, or an Annex A control."""

    id: str
    title: str
    group: str  # "clause" or "annex-a"
    parent: str  # the top clause ("6") or the Annex A area ("A.6")
    evidence: tuple[Evidence, ...]
    missing: tuple[str, ...]
    due: tuple[DueItem, ...]
    audited_by: tuple[str, ...]  # completed internal audits whose scope covers it
    decision: str = ""  # an Annex A control's state in the SoA
    justification: str = ""  # an excluded control's, from its SoA row

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.due if item.overdue)

    @property
    def excluded(self) -> bool:
        """An Annex A control the Statement of Applicability excludes soundly: with a
        justification, and relied on by no risk's treatment. One a treatment relies on
        (AIMS205) is a gap instead (``missing`` says why), so that ready, excluded and
        gaps add up to the whole, as one excluded without a justification is."""
        return self.decision == "excluded" and not self.missing

    @property
    def state(self) -> str:
        if self.missing:
            return GAP
        if self.overdue:
            return OVERDUE
        return NOT_APPLICABLE if self.excluded else READY


@dataclass(frozen=True, slots=True)
class Line:
    """The readiness of a top clause or an Annex A area: its requirements counted."""

    id: str
    title: str
    group: str
    requirements: tuple[Requirement, ...]

    @property
    def ready(self) -> int:
        """Requirements evidenced: an excluded control is not one (see ``excluded``)."""
        return sum(1 for r in self.requirements if not r.missing and not r.excluded)

    @property
    def excluded(self) -> int:
        """Annex A controls excluded with a justification: decided, not implemented."""
        return sum(1 for r in self.requirements if r.excluded)

    @property
    def gaps(self) -> list[str]:
        return [r.id for r in self.requirements if r.missing]

    @property
    def items(self) -> list[DueItem]:
        """The due items of its requirements, each once."""
        return list({item.uid: item for r in self.requirements for item in r.due}.values())

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)

    @property
    def due(self) -> int:
        """Items due, not yet overdue, among those the caller gave."""
        return sum(1 for item in self.items if not item.overdue)

    @property
    def state(self) -> str:
        """Gap, overdue or ready; an area whose controls are all excluded is not
        applicable, never ready: nothing in it is implemented (6.1.3 asks for each
        exclusion's justification, which the Statement of Applicability shows)."""
        if self.gaps:
            return GAP
        if self.overdue:
            return OVERDUE
        if self.requirements and self.excluded == len(self.requirements):
            return NOT_APPLICABLE
        return READY


@dataclass(frozen=True)
class Readiness:
    clauses: tuple[Line, ...]
    annex_a: tuple[Line, ...]

    @property
    def lines(self) -> tuple[Line, ...]:
        return self.clauses + self.annex_a


# Files a 7.5.1 gap names, at most; then how many more.
FILES_NAMED = 10


def _version_control(repo: Repository) -> tuple[bool, list[str]]:
    """Whether the records were under version control on the as-of date (7.5.1), and
    why not (wholly): a commit dated by then must hold aims.yaml and a record file,
    read from the working tree's HEAD or the commit `--at` reads, the newest such
    commit of its history. A plain folder, a repository with no commit yet, one whose
    commits hold none of these files, or one whose every commit is dated later keeps
    no version of them that day, whatever the files say; a record file that commit
    does not hold (untracked, only staged, or committed later) is named, and so is
    one it holds that the working tree has changed since (the version in use is the
    working one, which no commit holds): the records are then not wholly kept."""
    if not isinstance(repo.source, WorkingTree) and repo.history_at is None:
        return True, []  # a revision diff reads: judged as committed, not dated
    from aimsctl import gitio

    start = repo.history_at or "HEAD"
    paths = {entry.document.source.path for entry in repo.entries.values()}
    # Only the working tree's files can differ from a commit; `--at` reads a commit.
    working = paths if repo.history_at is None else set()
    try:
        kept = gitio.committed_files(
            repo.root, repo.as_of, start, working, repo.files_read(), repo.head_changes
        )
    except GitError as error:
        return False, [f"whether the records are committed cannot be told: {error}"]
    if kept is None:
        return False, ["the records are not in a git repository, so no version of them is kept"]
    if CONFIG_FILE not in kept.files or not paths & kept.files:
        if not kept.later:
            return False, [
                f"no commit holds the records yet: commit {CONFIG_FILE} and the record files"
            ]
        why = f"no commit on or before {repo.as_of} holds the records"
        if kept.shallow:  # the commit that did may be one the clone did not fetch
            why += f"; this clone is shallow, so {FETCH_HISTORY}"
        return False, [why]
    whys = []
    if unkept := sorted(paths - kept.files, key=natural_key):
        one = len(unkept) == 1
        whys.append(
            f"{plural(len(unkept), 'record file')} {'is' if one else 'are'} in no commit on "
            f"or before {repo.as_of}, so no version of {'it' if one else 'them'} is kept: "
            f"{_named(unkept)}"
        )
    if changed := sorted(kept.changed & paths, key=natural_key):
        whys.append(
            f"{plural(len(changed), 'record file')} {'is' if len(changed) == 1 else 'are'} "
            f"changed since the last commit on or before {repo.as_of}, so the version in use "
            f"is not kept: {_named(changed)}"
        )
    return True, whys


def _named(paths: list[str]) -> str:
    return first_of([printable(path) for path in paths], FILES_NAMED)


def _uncontrolled(name: str, document: DocumentControl, as_of: date) -> str | None:
    """Why a report the register names is no controlled document (7.5.2), None when it
    is: its approval is recorded, given by the as-of date by someone (a `TODO:` name
    is nobody yet), and its next review has not passed (what the report's
    document-control block flags, and `aimsctl due`)."""
    what = f"the {name} report ({document.id})"
    approval = document.approval
    if approval is None:
        return f"{what} records no approval"
    if is_placeholder(approval.by):
        return unsigned_note(what, "approval.by", "approved")
    if approval.on > as_of:
        return f"{what} is approved only on {approval.on}, after the as-of date"
    if document.next_review is not None and document.next_review < as_of:
        return f"{what} was due for review on {document.next_review}"
    return None


def _config_evidence(repo: Repository) -> tuple[dict[str, list[Evidence]], dict[str, list[str]]]:
    """What aims.yaml documents, by clause, and why a setting that would evidence a
    clause does not (or not wholly)."""
    config = repo.config
    found: dict[str, list[Evidence]] = {}
    refused: dict[str, list[str]] = {}

    def add(clause: str, what: str, title: str) -> None:
        found.setdefault(clause, []).append(Evidence("aims.yaml", what, title, CONFIG_FILE))

    if config.scope.strip() and not is_placeholder(config.scope):
        add("4.3", "scope", "The scope of the AI management system")
    add("4.4", "configuration", "The AI management system kept as code, with its rules")
    if "risk" in config.model_fields_set:
        add("6.1.1", "risk", "Risk criteria: scales, bands and appetite")
    if repo.entries:
        # As for 7.5.2: records kept but some not is evidence and a gap, naming them.
        kept, whys = _version_control(repo)
        if kept:
            add("7.5.1", "records", "The records of this repository, under version control")
        if whys:
            refused["7.5.1"] = whys
    if config.documents:
        add("7.5.3", "documents", "The register of controlled documents")
        # An entry without a recorded approval in force is a document nobody approved:
        # the register then shows no creating and updating under control, and says which.
        failing = [
            why
            for name, document in sorted(config.documents.items())
            if (why := _uncontrolled(name, document, repo.as_of)) is not None
        ]
        if len(failing) < len(config.documents):
            add("7.5.2", "documents", "The register of controlled documents")
        if failing:
            refused["7.5.2"] = failing
    return found, refused


def _stopped_monitors(repo: Repository) -> dict[str, str]:
    """The monitors that have stopped, by id, with why in the words `aimsctl monitor
    check` and `aimsctl obligations` use: those whose observations cannot be read
    (AIMS708) and those of a running system AIMS704 finds stale (no observation within
    twice ``every_days``, or none at all). Such a monitor evidences no monitoring
    carried out (9.1, A.6.2.6): what it serves is a gap, whatever else evidences it,
    not merely an observation overdue."""
    stopped: dict[str, str] = {}
    for monitor in repo.of_kind(Monitor):
        series = read_series(repo, monitor)
        if series.unusable is None and not watched(repo, monitor):
            continue  # its system is retired: the monitor rests, as monitor check says
        why = why_stopped(series, repo.as_of)
        if why is not None:
            stopped[monitor.id] = why
    return stopped


# The one requirement a planned internal audit evidences: the programme it is part of.
AUDIT_PROGRAMME = "9.2.2"
# The requirements of risk treatment: a Risk with no treatment evidences its assessment
# (6.1.2, 8.2) but no treatment decided or carried out.
RISK_TREATMENT = ("6.1.3", "8.3")
# The requirement a management review evidences only with the inputs it considered.
REVIEW_INPUTS = "9.3.2"
# The needs and expectations of interested parties (4.2), evidenced by the stakeholders
# a system lists and those an impact assessment heard.
INTERESTED_PARTIES = "4.2"
# Leadership and commitment (5.1) is asked of top management: a role outside it shows
# responsibilities assigned (5.3), not leadership.
LEADERSHIP = "5.1"
# The management system as a whole (4.4): established, implemented, maintained and
# improved as the other requirements ask, so aims.yaml alone is no evidence of it.
MANAGEMENT_SYSTEM = "4.4"


def _completed(audit: InternalAudit, as_of: date) -> bool:
    """Whether an internal audit was carried out by ``as_of`` (as AIMS611 counts it)."""
    done = audit.performed
    return audit.status == "completed" and done is not None and done.to <= as_of


def _results_recorded(audit: InternalAudit) -> bool:
    """Whether an internal audit records its results (9.2.2): what it found, or a
    report. One completed with neither has nothing to show, whatever its status says."""
    return bool(audit.findings) or audit.report is not None


def _not_acted_on(nonconformity: Nonconformity, as_of: date) -> str | None:
    """Why a nonconformity shows no reaction to it (10.2), None when it does: one still
    open with no correction and no corrective action recorded shows a problem found, not
    dealt with; one closed counts only as AIMS621 accepts a closure (its actions done by
    ``as_of`` and their effectiveness reviewed and found effective)."""
    item = nonconformity
    if item.status == "closed":
        problem = closure_problem(item, as_of)
        return None if problem is None else f"{item.id} is {problem}"
    if not (item.correction or "").strip() and not item.actions:
        return f"{item.id} is {item.status} with no correction or corrective action recorded"
    return None


def _not_in_force_for_any(
    record: Record, repo: Repository, unwritten: frozenset[str]
) -> str | None:
    """Why a record shows no requirement done as of the as-of date, whichever it is
    judged for (None when it may show one): the part of :func:`_not_in_force` that does
    not depend on the requirement, so judged once per record. Its order within a kind is
    the order :func:`_not_in_force` gives its reasons in."""
    if record.id in unwritten:
        return f"{record.id} {UNWRITTEN}"
    # A role nobody holds (its holder `vacant`, `TBD`) is neither leadership (5.1) nor
    # a responsibility assigned (5.3), as it approves and accepts nothing (AIMS606, AIMS305).
    if isinstance(record, Role) and record.vacant:
        return f"{record.id} is vacant: its holder is {record.holder!r}"
    if isinstance(record, Policy) and record.status == "approved" and record.approval is None:
        # AIMS604's finding; a status alone shows no approval by top management (5.2).
        return f"{record.id} says approved without recording the approval (by, on)"
    if isinstance(record, Policy) and not policy_approved(record, repo.as_of):
        if record.status == "approved" and record.approval is not None:
            return f"{record.id} is approved only on {record.approval.on}"
        return f"{record.id} is {record.status}, not approved"
    if isinstance(record, ImpactAssessment):
        return not_approved(record, repo.as_of, lambda by: approver_refused(repo, by))
    # A policy or a review is top management's (5.2, 9.3): one approved or chaired by
    # someone no top-management Role names (AIMS606) shows a delegation, so it is
    # evidence of nothing, as an unapproved policy is (the Annex A policy controls, A.2,
    # included: what they rely on is the policy 5.2 asks for).
    if (
        isinstance(record, Policy)
        and record.approval is not None
        and outside_top_management(repo, record.approval.by)
    ):
        return (
            f"{record.id} is approved by {record.approval.by!r}, "
            f"{not_top_management_because(repo, record.approval.by)} ({codes.NOT_TOP_MANAGEMENT})"
        )
    if isinstance(record, ManagementReview) and record.held > repo.as_of:
        return f"{record.id} is held on {record.held}, after the as-of date"
    if isinstance(record, ManagementReview) and outside_top_management(repo, record.chair):
        return chaired_outside(record, repo)  # not counted as held either (last_review)
    # An evaluation performed, a nonconformity raised or an incident detected after the
    # as-of date has not happened either (AIMS508; validate counts no such evaluation).
    if isinstance(record, Evaluation) and record.performed.on > repo.as_of:
        return f"{record.id} is performed on {record.performed.on}, after the as-of date"
    if isinstance(record, Nonconformity) and record.raised > repo.as_of:
        return f"{record.id} is raised on {record.raised}, after the as-of date"
    if isinstance(record, Nonconformity):
        return _not_acted_on(record, repo.as_of)
    if isinstance(record, Objective) and record.status == "withdrawn":
        return f"{record.id} is withdrawn"
    # An objective achieved with nothing to show it (AIMS623) is a claim, not an
    # objective evaluated: no measurement, or a latest one short of its target.
    if isinstance(record, Objective) and (unshown := achievement_not_shown(repo, record)):
        return f"{record.id} is achieved, but {unshown} ({codes.OBJECTIVE_ACHIEVED_UNMEASURED})"
    if isinstance(record, Incident) and record.detected > repo.as_of:
        return f"{record.id} is detected on {record.detected}, after the as-of date"
    # A policy text, audit report or minutes nobody can inspect (AIMS206) is no
    # documented information, as a control's unusable evidence path is none.
    if (unusable := document_problem(repo, record)) is not None:
        field, problem = unusable
        return f"{record.id}'s {field} cannot be inspected: {problem} ({codes.EVIDENCE_PATH})"
    if (empty := empty_document(repo, record)) is not None:
        return (
            f"{record.id} names an empty file for its {empty}: it holds nothing to inspect "
            f"({codes.EVIDENCE_PATH})"
        )
    return None


def _untreated(risk: Risk, repo: Repository) -> str | None:
    return f"{risk.id} records no treatment" if risk.treatment is None else None


def _no_stakeholders(system: AISystem, repo: Repository) -> str | None:
    return None if system.stakeholders else f"{system.id} lists no stakeholders"


def _none_heard(assessment: ImpactAssessment, repo: Repository) -> str | None:
    # An engagement dated after the as-of date has not happened yet (AIMS508).
    heard = any(e.on <= repo.as_of for group in assessment.stakeholders for e in group.engagement)
    return (
        None
        if heard
        else f"{assessment.id} records no stakeholder engagement on or before {repo.as_of}"
    )


def _not_top_management(role: Role, repo: Repository) -> str | None:
    return None if role.top_management else f"{role.id} is not top management"


def _inputs_not_considered(review: ManagementReview, repo: Repository) -> str | None:
    """Why ``review`` does not evidence its inputs (9.3.2), None when it does: held by the
    as-of date (checked before), it must be the latest review held and list every input.
    The clause says what top management takes into account when it reviews the system;
    what it last considered is the latest review, so an earlier review that looked at
    everything does not make up for a later one that skipped something. The latest is
    the one the cadence rules count (AIMS616): held by then, with no placeholder. A
    review that fails validation, or a record whose kind or id cannot be read, may be a
    later one: while one is there, which review was the latest is not known, so none
    counts (the conservative reading; the review cadence rule names them too)."""
    latest = last_review(repo)
    if latest is not None and latest.id != review.id:
        return f"{review.id} is not the latest review held: {latest.id} is, on {latest.held}"
    if unjudged := unjudged_note(repo, ManagementReview.KIND, "held last"):
        return f"{review.id} may not be the latest review held: {unjudged}"
    if not review.inputs:
        return f"{review.id} records no inputs it considered"
    # A review that skipped some (AIMS618) did not look at the whole system: it shows
    # the review held (9.3.1), not its inputs.
    if skipped := missing_inputs(repo, review):
        one = len(skipped) == 1
        return (
            f"{review.id} does not record the {'input' if one else 'inputs'} "
            f"{words(skipped, 'and')} ({codes.MANAGEMENT_REVIEW_INPUTS_MISSING})"
        )
    return None


def _off_programme(audit: InternalAudit, repo: Repository) -> str | None:
    """Why ``audit`` does not evidence the audit programme (9.2.2), None when it does:
    a plan whose date has passed with the audit not begun, or one further ahead than
    the next interval, is no part of it, and a programme that leaves part of the
    management system unaudited (AIMS614) is no programme of the whole system, whatever
    audit shows it."""
    if (why := plan_not_counted(repo, audit)) is not None:
        return why
    programme = audit_programme(repo)
    if programme is None or audit not in programme.audits:  # placeholders: said before
        since = programme_since(repo)
        return f"{audit.id} is dated before the programme's three years (since {since})"
    return programme.message() if programme.missing else None


def _not_conducted(audit: InternalAudit, repo: Repository) -> str | None:
    if _completed(audit, repo.as_of):
        if not _results_recorded(audit):
            return f"{audit.id} is completed but records no findings and no report"
        return None
    if audit.status != "completed":
        return f"{audit.id} is {audit.status}, not completed"
    if audit.performed is None:
        return f"{audit.id} is completed with no performed dates"
    return f"{audit.id} ends on {audit.performed.to}, after the as-of date"


_R = TypeVar("_R", bound=Record)


@dataclass(frozen=True, slots=True)
class Judgement(Generic[_R]):
    """A judgement some requirements make of a record and others do not: a record of
    ``kind`` judged for a requirement ``applies`` accepts is also refused for what
    ``check`` says (None: nothing). See :data:`JUDGEMENTS`."""

    kind: type[_R]
    applies: Callable[[str], bool]
    check: Callable[[_R, Repository], str | None]


# Every judgement of a record that depends on the requirement it is judged for, in the
# order they are made (after the judgement every requirement makes,
# _not_in_force_for_any). This table is the one place that dependence is written down:
# _not_in_force judges by it, and _RecordEvidence keys what it keeps on the entries
# that apply, so a new entry here is both judged and kept apart, and nothing else can
# disagree with it.
JUDGEMENTS: tuple[Judgement[Any], ...] = (
    # Risk treatment (6.1.3, 8.3) needs a treatment recorded.
    Judgement(Risk, lambda requirement: requirement in RISK_TREATMENT, _untreated),
    # The interested parties (4.2): a system that names those it affects, an assessment
    # that records hearing them.
    Judgement(AISystem, lambda requirement: requirement == INTERESTED_PARTIES, _no_stakeholders),
    Judgement(ImpactAssessment, lambda requirement: requirement == INTERESTED_PARTIES, _none_heard),
    # Leadership (5.1) is top management's.
    Judgement(Role, lambda requirement: requirement == LEADERSHIP, _not_top_management),
    # The review inputs (9.3.2): the latest review held, recording all seven.
    Judgement(
        ManagementReview, lambda requirement: requirement == REVIEW_INPUTS, _inputs_not_considered
    ),
    # A planned audit is part of the programme (9.2.2), if planned in time and the
    # programme covers the whole system (AIMS614); for anything else, an audit is one
    # conducted (9.2.1, AIMS611).
    Judgement(InternalAudit, lambda requirement: requirement == AUDIT_PROGRAMME, _off_programme),
    Judgement(InternalAudit, lambda requirement: requirement != AUDIT_PROGRAMME, _not_conducted),
)


def judgements_for(model: type[Record], requirement: str) -> tuple[Judgement[Any], ...]:
    """The entries of :data:`JUDGEMENTS` a record of ``model`` is judged by when it is
    judged for ``requirement``, in the table's order."""
    return tuple(j for j in JUDGEMENTS if issubclass(model, j.kind) and j.applies(requirement))


def _not_in_force(
    record: Record, repo: Repository, general: str | None, judgements: Iterable[Judgement[Any]]
) -> str | None:
    """Why a record does not show a requirement done as of the as-of date (None when it
    does): ``general``, what :func:`_not_in_force_for_any` says of it, else the first
    reason of ``judgements``, those the requirement asks for (:func:`judgements_for`).

    An AI policy not approved (a draft, retired, approved later, or an approval not
    recorded: AIMS601, AIMS604) is no AI policy, a management review held, an evaluation
    performed, a nonconformity raised or an incident detected after the as-of date has
    not happened (AIMS508), an impact assessment not approved by then (a draft, one in
    review or superseded, an approval not recorded, dated later or by someone holding no
    Role) is no assessment of the system (AIMS401), and an internal audit not completed
    by then, or completed recording neither findings nor a report (no results to show,
    9.2.2), is part of the programme (9.2.2) but no audit conducted (9.2.1, AIMS611). A
    nonconformity nobody acted on, a risk with no treatment (for 6.1.3 and 8.3), a
    withdrawn objective or one achieved with nothing to show it (AIMS623), a review
    that is not the latest held or does not record every input (for 9.3.2) and a role
    outside top management (for leadership, 5.1) show nothing done either, nor does a
    policy, audit or review whose text, report or minutes nobody can inspect (AIMS206:
    the path names no file in the repository). A record
    that still holds a placeholder (`TODO:`, AIMS107), such as the examples `aimsctl
    init` writes, is the starter's text and evidences nothing yet (the ``unwritten``
    ids :func:`_not_in_force_for_any` is given)."""
    if general is not None:
        return general
    for judgement in judgements:
        why = judgement.check(record, repo)
        if why is not None:
            return why
    return None


@cache
def _kinds_declaring(requirement: str) -> tuple[type[Record], ...]:
    """The record kinds, in registry order, that declare ``requirement`` (or a clause or
    Annex A id above it), but for the Statement of Applicability's Control."""
    return tuple(
        model
        for kind, model in KINDS.items()
        if kind != Control.KIND and any(covers(c, requirement) for c in model.CLAUSES)
    )


@dataclass(frozen=True, slots=True)
class _Counted:
    """The records of one kind as some requirements judge them: those in force, as
    evidence (but for the monitors that have stopped), why the others are not counted,
    and why each monitor that has stopped is left out."""

    evidence: tuple[Evidence, ...]
    not_counted: tuple[str, ...]
    halted: tuple[str, ...]


class _RecordEvidence:
    """The records evidencing each requirement: every record judged once for what
    every requirement asks (:func:`_not_in_force_for_any`), and each kind's records
    counted once for each set of :data:`JUDGEMENTS` entries a requirement applies to it
    (most kinds have none: their records count the same for every requirement)."""

    def __init__(
        self, repo: Repository, unwritten: frozenset[str], stopped: dict[str, str]
    ) -> None:
        self._repo = repo
        self._unwritten = unwritten
        self._stopped = stopped
        self._general: dict[str, str | None] = {}
        self._counted: dict[tuple[type[Record], tuple[Judgement[Any], ...]], _Counted] = {}

    def of(self, requirement: str) -> tuple[list[Evidence], list[str], list[str]]:
        """The valid records in force of every kind that declares ``requirement``, by
        kind in registry order, then id, but for the monitors that have stopped; why
        the others are not counted; and why each monitor that has stopped is left out.
        The lists are the caller's own."""
        evidence: list[Evidence] = []
        not_counted: list[str] = []
        halted: list[str] = []
        for model in _kinds_declaring(requirement):
            key = (model, judgements_for(model, requirement))
            counted = self._counted.get(key)
            if counted is None:
                counted = self._counted[key] = self._count(*key)
            evidence += counted.evidence
            not_counted += counted.not_counted
            halted += counted.halted
        return evidence, not_counted, halted

    def _count(self, model: type[Record], judgements: tuple[Judgement[Any], ...]) -> _Counted:
        repo = self._repo
        evidence: list[Evidence] = []
        not_counted: list[str] = []
        halted: list[str] = []
        for record in repo.of_kind(model):
            if record.id in self._general:
                general = self._general[record.id]
            else:
                general = self._general[record.id] = _not_in_force_for_any(
                    record, repo, self._unwritten
                )
            why = _not_in_force(record, repo, general, judgements)
            if why is not None:
                not_counted.append(why)
            elif model is Monitor and record.id in self._stopped:
                halted.append(self._stopped[record.id])
            else:
                path = repo.entries[record.id].document.source.path
                evidence.append(Evidence(model.KIND, record.id, record.title or record.id, path))
        return _Counted(tuple(evidence), tuple(not_counted), tuple(halted))


# What is missing where aims.yaml alone would evidence a requirement.
# Those naming a setting are Markdown, the setting a code span: the reports show it as
# code (HTML through text.markdown_html), never as backticks.
_NO_DOCUMENTS = Markdown(f"aims.yaml registers no controlled documents ({md_code('documents')})")
_NO_SETTING: dict[str, str] = {
    "4.3": "aims.yaml states no scope (or only a placeholder)",
    "6.1.1": Markdown(
        f"aims.yaml does not set the risk criteria ({md_code('risk')}: scales, bands, appetite)"
    ),
    "7.5.1": "the repository holds no valid record",
    "7.5.2": _NO_DOCUMENTS,
    "7.5.3": _NO_DOCUMENTS,
}


def _nothing_evidences(repo: Repository, requirement: str, not_counted: list[str]) -> list[str]:
    """What is missing for a clause requirement nothing evidences: no record of the
    kinds that would (or none that counts, and why each does not), the setting of
    aims.yaml that would, or neither. With no Risk, 6.1.3 is a gap as 6.1.2 is: no
    risk assessed is none treated, whatever the Statement of Applicability holds."""
    kinds = [model.KIND for model in _kinds_declaring(requirement)]
    if kinds:
        invalid = sorted((i for i, kind in repo.invalid.items() if kind in kinds), key=natural_key)
        # A record whose kind or id cannot be read may be the evidence: named, as the
        # rules name it, and the requirement stays a gap.
        unread = unread_note(repo, kinds, "that evidences it")
        if not not_counted and not invalid and not unread:
            return [f"no {words(kinds)} is recorded"]
        failing = [f"{record_id} fails validation" for record_id in invalid]
        return [
            f"no {words(kinds)} record counts",
            *not_counted,
            *failing,
            *([unread] if unread else []),
        ]
    if requirement in _NO_SETTING:
        return [_NO_SETTING[requirement]]
    # No record kind or setting of aimsctl serves it (6.3, 7.1-7.4, 8.1, 10.1): still a
    # gap here, since nothing in the repository shows it, with where its evidence lives.
    return [
        "no record or setting evidences it: aimsctl keeps none for it, so its evidence is "
        "kept outside the repository"
    ]


def _due_by_requirement(
    items: Iterable[DueItem], requirements: Iterable[str]
) -> dict[str, tuple[DueItem, ...]]:
    """For each requirement, the items that serve it, in their order: those citing it
    (or a clause or id above it), and for an Annex A control its own SoA row. Items
    cite a few distinct sets of clauses, each matched against the requirements once
    (a repository of 10,000 records has about 20,000 items)."""
    found: dict[str, list[DueItem]] = {requirement: [] for requirement in requirements}
    reaches: dict[tuple[str, ...], list[str]] = {}
    for item in items:
        reached = reaches.get(item.clauses)
        if reached is None:
            reached = reaches[item.clauses] = [
                r for r in found if any(covers(c, r) for c in item.clauses)
            ]
        for requirement in reached:
            found[requirement].append(item)
        if item.record in found and item.record not in reached:
            found[item.record].append(item)
    return {requirement: tuple(served) for requirement, served in found.items()}


def _leaves(clause: str) -> list[str]:
    parts = sub_clauses(clause)
    return [leaf for part in parts for leaf in _leaves(part)] if parts else [clause]


def _audited(audits: list[InternalAudit], requirement: str) -> tuple[str, ...]:
    return tuple(a.id for a in audits if any(covers(item, requirement) for item in a.scope))


def _control(
    repo: Repository, control_id: str, record: Control | None
) -> tuple[str, list[Evidence], list[str]]:
    """An Annex A control's decision, its SoA evidence and what it lacks."""
    if record is None:
        if control_id in refused_controls(repo):  # as `aimsctl controls` and the SoA say
            return "invalid", [], ["not decided: its Control record fails validation"]
        # A record whose id cannot be read may be the row, as AIMS202 says.
        unread = unread_note(repo, (Control.KIND,), f"for {control_id}", ids={control_id})
        absent = ["not decided: no row in the Statement of Applicability"]
        return "missing", [], absent + ([unread] if unread else [])
    path = repo.entries[record.id].document.source.path
    row = Evidence(Control.KIND, record.id, "Statement of Applicability row", path)
    if not decided(record):
        return "undecided", [row], ["not decided: its justification is a placeholder"]
    if not justified(record):
        # No reason given (AIMS203): not the decision an exclusion, or an inclusion, is,
        # as `aimsctl controls` says; nor counted among the exclusions.
        state = UNJUSTIFIED_INCLUDED if record.applicable else UNJUSTIFIED
        return state, [row], [f"{state} ({codes.CONTROL_UNJUSTIFIED})"]
    if not record.applicable:
        # An exclusion a risk treatment relies on (AIMS205) is no sound decision: the
        # register says the control is needed, so it is a gap, not ready. The risks are
        # the rule's own, so the two cannot name different ones.
        relying = relying_risks(repo, record)
        if relying:
            who = words(sorted_ids(relying), "and")
            why = (
                f"excluded, but the treatment of {who} relies on it "
                f"({codes.TREATMENT_CONTROL_NOT_APPLICABLE})"
            )
            return "excluded", [row], [why]
        return "excluded", [row], []
    # A path validate refuses (AIMS206: missing, a folder, outside the repository) is
    # evidence nobody can inspect: it is not counted, and what is missing says why.
    evidence = [row]
    unusable: list[str] = []  # nobody can inspect it (AIMS206)
    claims: list[str] = []  # it states the claim (AIMS503)
    later: list[str] = []  # dated after the as-of date: not produced yet (AIMS508)
    for item in record.evidence:
        if item.date is not None and item.date > repo.as_of:
            later.append(f"{item.path or item.url} is dated {item.date}, after the as-of date")
            continue
        if item.path is not None:
            if (problem := evidence_path_problem(repo, item.path)) is not None:
                unusable.append(problem)
                continue
            if (nothing := shows_nothing(repo, item.path)) is not None:
                claims.append(nothing)
                continue
        evidence.append(
            Evidence(
                "evidence",
                item.description or (item.path or item.url or ""),
                item.description or "",
                item.path or item.url or "",
                url=item.url is not None,
            )
        )
    status = record.status
    missing: list[str] = []
    if status is None:
        missing.append("applicable, but no implementation status")
    elif status != "implemented":
        missing.append(f"applicable and {status}, not yet implemented")
    elif not record.evidence:
        missing.append("implemented, but no evidence is listed")
    elif len(evidence) == 1:  # only its SoA row
        said = [f"no evidence can be inspected: {'; '.join(unusable)}"] if unusable else []
        said += [f"no evidence counts: {'; '.join(claims)}"] if claims else []
        said += [f"no evidence exists yet: {'; '.join(later)}"] if later else []
        missing.append(f"implemented, but {', and '.join(said)}")
    if record.systems and not _in_use(repo, record.systems):
        # Scoped to systems none of which is in use (retired, or not recorded): the
        # control is in place for nothing the management system runs.
        missing.append(
            f"scoped to {words(sorted_ids(record.systems), 'and')} only, none of them an "
            "AI system in use (retired, or not recorded): it is in place for nothing that runs"
        )
    return status or "applicable", evidence, missing


def _in_use(repo: Repository, system_ids: Iterable[str]) -> bool:
    """Whether one of ``system_ids`` is a system of the repository that is not retired,
    or may be (its record fails validation: not judged, so not counted against it)."""
    for system_id in system_ids:
        entry = repo.entries.get(system_id)
        if entry is None:
            if system_id in repo.invalid:
                return True
            continue
        if isinstance(entry.record, AISystem) and entry.record.stage != "retired":
            return True
    return False


def _evidenceable(requirement: str) -> bool:
    """Whether a record kind or a setting of aims.yaml can evidence ``requirement`` (4.2,
    6.3, 7.1 to 7.4, 8.1 and 10.1 are held outside the repository: nothing here can)."""
    return requirement in _NO_SETTING or bool(_kinds_declaring(requirement))


def _management_system(clauses: list[Line]) -> list[Line]:
    """``clauses`` with 4.4 judged on the rest: the management system is established,
    implemented, maintained and improved as the requirements of clauses 4 to 10 ask, so
    aims.yaml, its configuration, evidences it only once every other requirement the
    repository can evidence is evidenced; while one is a gap, 4.4 is one too, naming
    them. (Those nothing here can evidence are gaps of their own and not repeated.)"""
    gaps = [
        r.id
        for line in clauses
        for r in line.requirements
        if r.id != MANAGEMENT_SYSTEM and r.missing and _evidenceable(r.id)
    ]
    if not gaps:
        return clauses
    why = (
        f"aims.yaml configures the management system, but {words(gaps, 'and')} "
        f"{'is a gap' if len(gaps) == 1 else 'are gaps'}, so it is not shown in operation"
    )
    judged = []
    for line in clauses:
        requirements = tuple(
            replace(r, missing=(*r.missing, why)) if r.id == MANAGEMENT_SYSTEM else r
            for r in line.requirements
        )
        judged.append(replace(line, requirements=requirements))
    return judged


def readiness(repo: Repository, due: Iterable[DueItem] | None = None) -> Readiness:
    """Every requirement of clauses 4 to 10 and every Annex A control, judged; ``due``
    (every due item when not given) is what each line counts as due."""
    items = list(all_due(repo) if due is None else due)
    config_evidence, config_refused = _config_evidence(repo)
    unwritten = unwritten_ids(repo)
    judged = _RecordEvidence(repo, unwritten, _stopped_monitors(repo))
    # an audit still holding a placeholder, whose report nobody can inspect (AIMS206) or
    # that records no results, audited nothing (the records it evidences say so)
    audits = [
        a
        for a in repo.of_kind(InternalAudit)
        if _completed(a, repo.as_of)
        and _results_recorded(a)
        and a.id not in unwritten
        and document_problem(repo, a) is None
        and empty_document(repo, a) is None
    ]
    unmet = recorded_unmet(repo)
    leaves = {top: _leaves(top) for top in TOP_CLAUSES}
    due_for = _due_by_requirement(
        items,
        [
            *(leaf for top in TOP_CLAUSES for leaf in leaves[top]),
            *(control.id for area in annex_a_areas() for control in area.controls),
        ],
    )
    clauses: list[Line] = []
    for top in TOP_CLAUSES:
        requirements = []
        for leaf in leaves[top]:
            records, not_counted, halted = judged.of(leaf)
            # aims.yaml's settings first, then the records (no setting is a monitor)
            evidence = config_evidence.get(leaf, []) + records
            # A monitor that has stopped is a gap whatever else evidences the clause, and
            # so is a setting of aims.yaml that claims more than it shows.
            refused = config_refused.get(leaf, [])
            if evidence:
                missing = halted + refused
            else:
                missing = refused or _nothing_evidences(repo, leaf, not_counted + halted)
            # A closure that does not stand is said once, whether as the reason the
            # nonconformity is no evidence of 10.2 or as what leaves 10.2 unmet.
            missing = list(dict.fromkeys([*missing, *not_met(unmet, leaf)]))
            requirements.append(
                Requirement(
                    id=leaf,
                    title=CLAUSES[leaf],
                    group="clause",
                    parent=top,
                    evidence=tuple(evidence),
                    missing=tuple(missing),
                    due=due_for[leaf],
                    audited_by=_audited(audits, leaf),
                )
            )
        clauses.append(Line(top, CLAUSES[top], "clause", tuple(requirements)))
    clauses = _management_system(clauses)
    rows = {c.id: c for c in repo.of_kind(Control) if c.is_annex_a}
    areas: list[Line] = []
    for area in annex_a_areas():
        requirements = []
        for control in area.controls:
            row = rows.get(control.id)
            decision, evidence, missing = _control(repo, control.id, row)
            others, _, halted = judged.of(control.id) if decision != "excluded" else ([], [], [])
            requirements.append(
                Requirement(
                    id=control.id,
                    title=control.title,
                    group="annex-a",
                    parent=area.id,
                    evidence=tuple(evidence + others),
                    missing=tuple(missing + halted + not_met(unmet, control.id)),
                    due=due_for[control.id],
                    audited_by=_audited(audits, control.id),
                    decision=decision,
                    justification=row.justification if row and decision == "excluded" else "",
                )
            )
        areas.append(Line(area.id, area.title, "annex-a", tuple(requirements)))
    return Readiness(tuple(clauses), tuple(areas))


def sorted_ids(ids: Iterable[str]) -> list[str]:
    return sorted(ids, key=natural_key)
