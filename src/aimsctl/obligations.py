"""The regulatory obligations of each AI system, and the records that evidence them.

The obligations are data (``catalog/obligations.yaml``): each names its law and
article, the `regulation` and `jurisdictions` values that make it apply, and the
evidence it asks for. Here each system's obligations are derived and every one is
given a status:

- ``met``: the repository holds the records it asks for (listed as evidence);
- ``missing``: a system in production lacks them;
- ``open``: a system not yet in production lacks them (to do before use);
- ``confirm``: it applies to some of the systems it matches only (`only_if`), and
  nothing evidences it: confirm whether it applies;
- ``nothing-to-report``: it is owed on an event that has not happened (no serious
  incident, for Art. 73);
- ``not-in-force``: the law that imposes it does not apply yet on the as-of date;
- ``prohibited``: the practice is banned (EU AI Act Art. 5).

A record of the system (one that names it in `system` or `systems`) tagged with an
obligation's id is listed as its evidence; for an obligation no record kind covers
(a conformity assessment, a candidate notice) it is the evidence: it is how a
control, a risk treatment or a document's record is linked to it.
Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from aimsctl.catalog.obligations import Catalogue, Spec, catalogue
from aimsctl.records import (
    AISystem,
    Control,
    Evaluation,
    ImpactAssessment,
    Incident,
    Monitor,
    Record,
    Risk,
)
from aimsctl.rules.governance import (
    approver_refused,
    assessment_missing,
    not_approved,
    valid_until,
)
from aimsctl.rules.management import not_met, recorded_unmet
from aimsctl.rules.measurements import (
    art73_deadline,
    evaluation_due,
    evaluations_by_system,
    latest_measurements,
    read_series,
    why_stopped,
)
from aimsctl.rules.placeholders import UNWRITTEN, unwritten
from aimsctl.rules.regulation import (
    current_bias_audit,
    independent_audits,
    owner_ran_note,
    uncompared_note,
)
from aimsctl.soa import decided
from aimsctl.text import number_text, words

if TYPE_CHECKING:
    from aimsctl.repository import Repository

MET = "met"
MISSING = "missing"
OPEN = "open"
CONFIRM = "confirm"
NOTHING_TO_REPORT = "nothing-to-report"
NOT_IN_FORCE = "not-in-force"
PROHIBITED = "prohibited"
STATUSES = (MET, MISSING, OPEN, CONFIRM, NOTHING_TO_REPORT, NOT_IN_FORCE, PROHIBITED)
# EU AI Act classes whose obligations all name the organization's role (`eu_role`).
ROLE_BOUND = ("high", "gpai")
EU_AI_ACT = "eu-ai-act"  # the law's id in the catalogue


@dataclass(frozen=True, slots=True)
class Evidence:
    """A record that evidences an obligation, and what it shows."""

    kind: str
    id: str
    path: str
    note: str


@dataclass(frozen=True, slots=True)
class Obligation:
    spec: Spec
    status: str
    evidence: tuple[Evidence, ...]
    detail: str  # what is missing, or why the status is what it is; "" when met

    def as_json(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "id": spec.id,
            "law": spec.law.id,
            "article": spec.article,
            "title": spec.title,
            "summary": spec.summary,
            "source": spec.law.source,
            "status": self.status,
            "detail": self.detail,
            "in_force": spec.in_force.isoformat() if spec.in_force else None,
            "only_if": spec.only_if,
            "evidence": [
                {"kind": e.kind, "id": e.id, "path": e.path, "note": e.note} for e in self.evidence
            ],
        }


@dataclass(frozen=True, slots=True)
class SystemObligations:
    system: AISystem
    path: str
    obligations: tuple[Obligation, ...]
    # Laws the system has obligations under while its `jurisdictions` name none of
    # the places the law covers: its classification or its jurisdictions need a look.
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATUSES, 0)
        for obligation in self.obligations:
            found[obligation.status] += 1
        return found

    def as_json(self) -> dict[str, Any]:
        regulation = self.system.regulation
        return {
            "id": self.system.id,
            "title": self.system.title,
            "stage": self.system.stage,
            "path": self.path,
            "jurisdictions": list(self.system.jurisdictions),
            "regulation": regulation.model_dump() if regulation is not None else None,
            "notes": list(self.notes),
            "obligations": [o.as_json() for o in self.obligations],
        }


@dataclass(frozen=True, slots=True)
class Result:
    as_of: date
    catalogue: Catalogue
    systems: tuple[SystemObligations, ...]
    # Files with a record that failed validation (a schema error, a duplicate id, bad
    # YAML): a system there is not shown, evidence there is not counted.
    left_out: tuple[str, ...] = ()

    def totals(self) -> dict[str, int]:
        """How many obligations of all the systems shown have each status."""
        found = dict.fromkeys(STATUSES, 0)
        for entry in self.systems:
            for status, count in entry.counts.items():
                found[status] += count
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "as_of": self.as_of.isoformat(),
            "catalogue_version": self.catalogue.version,
            "laws": [
                {
                    "id": law.id,
                    "name": law.name,
                    "source": law.source,
                    "url": law.url,
                    "jurisdictions": list(law.jurisdictions),
                }
                | ({"status": law.status} if law.status else {})
                for law in self.catalogue.laws
            ],
            "systems": [s.as_json() for s in self.systems],
            "left_out": list(self.left_out),
        }


def places(system: AISystem) -> set[str]:
    """The system's `jurisdictions` as the catalogue writes places: `eu` and ` EU` are
    the EU (the codes are upper case; reading them so never misses a law)."""
    return {place.strip().upper() for place in system.jurisdictions}


def applies(spec: Spec, system: AISystem, but: str | None = None) -> bool:
    """Whether every condition of ``spec.when`` holds for the system; with ``but``, an
    obligation that has that condition and whose other conditions hold."""
    regulation = system.regulation
    if regulation is None or (but is not None and but not in spec.when):
        return False
    for key, wanted in spec.when.items():
        if key == but:
            continue
        if key == "jurisdictions":
            if not set(wanted) & places(system):
                return False
        elif isinstance(wanted, list):
            if getattr(regulation, key) not in wanted:
                return False
        elif getattr(regulation, key) != wanted:
            return False
    return True


# --- evidence finders -----------------------------------------------------------------


@dataclass
class _Context:
    """The repository, and its records grouped once per system and per tag, so that
    deriving every system's obligations stays linear in the number of records."""

    repo: Repository
    evaluations: dict[str, list[Evaluation]] = field(default_factory=dict)
    monitors: dict[str, list[Monitor]] = field(default_factory=dict)
    incidents: dict[str, list[Incident]] = field(default_factory=dict)
    tagged: dict[str, list[Record]] = field(default_factory=dict)  # by tag, sorted by id
    # Records that still hold a placeholder (AIMS107): the starter's text, no evidence.
    unwritten: frozenset[str] = frozenset()
    # What the organization's own open nonconformities record as not met (readiness's
    # reading): (requirement cited, nonconformity, why).
    unmet: list[tuple[str, str, str]] = field(default_factory=list)

    def recorded_not_met(self, control_id: str) -> str | None:
        """Why open nonconformities say the control is not met (None: none does)."""
        return "; ".join(not_met(self.unmet, control_id)) or None

    @classmethod
    def of(cls, repo: Repository) -> _Context:
        context = cls(
            repo,
            evaluations_by_system(repo),
            unwritten=unwritten(repo),
            unmet=recorded_unmet(repo),
        )
        for monitor in repo.of_kind(Monitor):
            context.monitors.setdefault(monitor.system, []).append(monitor)
        for incident in repo.of_kind(Incident):
            for system_id in dict.fromkeys(incident.systems):
                context.incidents.setdefault(system_id, []).append(incident)
        for record_id in sorted(repo.entries):
            record = repo.entries[record_id].record
            for tag in dict.fromkeys(record.tags):
                context.tagged.setdefault(tag, []).append(record)
        return context

    def path(self, record_id: str) -> str:
        return self.repo.entries[record_id].document.source.path


# A finder returns the evidence found, and what is missing when nothing is (or when
# what is found is not enough). ``None`` as the second item means nothing is missing.
Found = tuple[list[Evidence], str | None]
Finder = Callable[[_Context, AISystem, Spec], Found]


def _evidence(context: _Context, record: Record, note: str) -> Evidence:
    return Evidence(record.kind, record.id, context.path(record.id), note)


def _risks(context: _Context, system: AISystem, spec: Spec) -> Found:
    risks = context.repo.risks_by_system.get(system.id, [])
    found = [_evidence(context, r, f"risk, {r.status}") for r in risks]
    return found, None if found else "no Risk names the system"


def _data(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The system's data entries, each with its provenance, and the Annex A controls on
    the quality and the provenance of data (A.7.4, A.7.5) in force for it, as for
    :func:`_documentation`: provenance written down beside a data provenance control
    still partial is data governance not finished."""
    if not system.data:
        return [], "the system records no `data`"
    bare = [d.name for d in system.data if not d.provenance]
    note = f"{len(system.data)} data entries with their provenance"
    if bare:
        return [], f"`data` entries without provenance: {', '.join(bare)}"
    found = [_evidence(context, system, note)]
    lacking = []
    for control_id, what in DATA_CONTROLS:
        shown, why = _control_in_force(context, system, control_id, what)
        found += shown
        if why is not None:
            lacking.append(why)
    return found, "; ".join(lacking) if lacking else None


def _documentation(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The documentation the system lists, kept as the Statement of Applicability says
    A.6.2.7 (technical documentation) is: a list with that control partial or planned
    is documentation not finished."""
    if not system.documentation:
        return [], "the system lists no `documentation`"
    shown = ", ".join(system.documentation)
    listed = _evidence(context, system, f"documentation: {shown}")
    found, why = _control_in_force(
        context, system, DOCUMENTATION_CONTROL, "technical documentation"
    )
    return [listed, *found], why


def _instructions(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The instructions for use, with A.8.2 (information for users) in force, as for
    :func:`_documentation`."""
    if not system.instructions:
        return [], "the system records no `instructions` for use"
    listed = _evidence(context, system, "instructions for use")
    found, why = _control_in_force(
        context, system, USER_INFORMATION_CONTROL, "information for users"
    )
    return [listed, *found], why


def _oversight(context: _Context, system: AISystem, spec: Spec) -> Found:
    mode = system.human_oversight.mode
    if mode == "none":
        return [], "`human_oversight.mode` is none"
    return [_evidence(context, system, f"human oversight: {mode}")], None


def _evaluation(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The latest evaluation of the system that passed, as AIMS701 judges it: where
    the system's tier and stage ask for one within `evaluation_days`, an older pass
    does not count. A metric outside its threshold in its latest measurement (as
    AIMS702 judges each metric) is not met by an earlier pass: it is listed with it."""
    repo = context.repo
    done = context.evaluations.get(system.id, [])
    passed = [e for e in done if e.passed]
    if not passed:
        return [], "no Evaluation of the system passed"
    latest = passed[-1]
    failing = []
    for evaluation, index in latest_measurements(done):
        metric = evaluation.metrics[index]
        if metric.passed is False:
            assert metric.threshold is not None
            failing.append(
                f"{metric.label} is {number_text(metric.value)}, outside its threshold "
                f"{metric.threshold.text()}, in its latest measurement, {evaluation.id} of "
                f"{evaluation.performed.on}"
            )
    owed = evaluation_due(repo, system, done)
    if owed is not None and owed.overdue(repo.as_of):
        stale = (
            f"the latest Evaluation that passed, {latest.id}, was performed on "
            f"{latest.performed.on}, more than {owed.days} days before {repo.as_of} (tier "
            f"{repo.tiers[system.id]!r} asks for one within {owed.days} days)"
        )
        return [], "; ".join([stale, *failing])  # the stale pass, and what still fails
    shown = [_evidence(context, latest, f"passed, performed {latest.performed.on}")]
    return shown, "; ".join(failing) if failing else None


def _monitor(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The monitors of the system that are carried out: one AIMS704 finds stale (no
    observation within twice its interval) or whose observations cannot be read
    (AIMS708) has stopped, and is named as missing."""
    monitors = context.monitors.get(system.id, [])
    if not monitors:
        return [], "no Monitor watches the system"
    found: list[Evidence] = []
    stopped: list[str] = []
    for monitor in monitors:
        why = why_stopped(read_series(context.repo, monitor), context.repo.as_of)
        if why is not None:
            stopped.append(why)
            continue
        found.append(_evidence(context, monitor, f"monitors {monitor.metric}"))
    return found, "; ".join(stopped) if stopped else None


def _impact_assessment(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The latest assessment of the system that is current, as AIMS401 counts one:
    approved by the as-of date, by someone who may approve it, and not past its review
    date (an assessment kept up to date is what Art. 27(2) asks for)."""
    repo = context.repo
    mine: list[ImpactAssessment] = repo.assessments_by_system.get(system.id, [])
    policy = repo.config.policy(repo.tiers.get(system.id, "unassessed"))
    refused = lambda by: approver_refused(repo, by)  # noqa: E731
    missing = assessment_missing(mine, policy, repo.as_of, refused)
    if missing is not None:
        if not any(a.status == "approved" for a in mine):
            return [], "no approved ImpactAssessment of the system"
        return [], missing
    current = [
        a
        for a in mine
        if not_approved(a, repo.as_of, refused) is None and repo.as_of <= valid_until(a, policy)
    ]
    latest = sorted(current, key=lambda a: a.assessed.on)[-1]
    return [_evidence(context, latest, f"approved, assessed {latest.assessed.on}")], None


def _bias_audit(context: _Context, system: AISystem, spec: Spec) -> Found:
    """The latest bias audit within ``within_days`` that the system's owner did not
    perform: an audit its owner ran (by name, role or address, as AIMS613 reads
    names) is not the independent audit the law asks for."""
    days = spec.within_days or 365
    done = context.evaluations.get(system.id, [])
    audits, theirs = independent_audits(context.repo, system, done)
    independent = current_bias_audit(context.repo, audits, days)
    if independent is not None:
        note = f"bias audit performed {independent.performed.on}"
        return [_evidence(context, independent, note)], None
    # Independent and recent, but one category's ratio of 1 is no comparison.
    uncompared = current_bias_audit(context.repo, audits, days, counts=lambda _: True)
    if uncompared is not None:
        return [], f"the latest bias audit, {uncompared.id}, {uncompared_note(uncompared)}"
    current = current_bias_audit(context.repo, theirs, days)
    if current is not None:
        return [], (
            f"the latest bias audit, {current.id}, was performed by {current.performed.by!r}, "
            f"who is (or may be) the system's owner {system.owner!r}: the audit must be "
            "independent of the system"
        )
    if audits:
        latest = audits[-1]
        return [], (
            f"the latest bias audit, {latest.id}, was performed on {latest.performed.on}, "
            f"more than {days} days before {context.repo.as_of}"
        )
    none = "no bias audit (an Evaluation tagged bias-audit or with impact ratios)"
    return [], f"{none}; {owner_ran_note(system, theirs)}" if theirs else none


# The Annex A control the crosswalk matches with Art. 4 (AI literacy), an analytic link
# (no authority maps ISO/IEC 42001 to the EU AI Act): the people and
# competences each AI system needs (A.4.6, human resources).
LITERACY_CONTROL = "A.4.6"  # human resources: the competences each system needs
DOCUMENTATION_CONTROL = "A.6.2.7"  # AI system technical documentation
USER_INFORMATION_CONTROL = "A.8.2"  # system documentation and information for users
EVENT_LOG_CONTROL = "A.6.2.8"  # AI system recording of event logs
DATA_CONTROLS = (("A.7.4", "quality of data"), ("A.7.5", "data provenance"))


def _not_in_force(context: _Context, control: Control, system: AISystem) -> str | None:
    """Why ``control`` puts nothing in place for ``system`` (None: it does): not
    decided (a placeholder justification), excluded, scoped to other systems, not
    implemented, or implemented while an open nonconformity records it as not met (as
    readiness reads it: the organization's own finding outweighs its status)."""
    if not decided(control):
        return "is not decided: its justification is a placeholder"
    if not control.applicable:
        return "is excluded (applicable: false)"
    if control.left_out([system.id]):
        return f"applies to {', '.join(control.systems)} only"
    if control.status != "implemented":
        return f"is {control.status or 'without a status'}, not implemented"
    if why := context.recorded_not_met(control.id):
        return f"is implemented, but {why}"
    return None


def _event_logs(context: _Context, system: AISystem, spec: Spec) -> Found:
    return _control_in_force(context, system, EVENT_LOG_CONTROL, "recording of event logs")


def _informing(context: _Context, system: AISystem, spec: Spec) -> Found:
    return _control_in_force(context, system, USER_INFORMATION_CONTROL, "information for users")


def _literacy(context: _Context, system: AISystem, spec: Spec) -> Found:
    return _control_in_force(
        context, system, LITERACY_CONTROL, "human resources", "records the competences"
    )


def _control_in_force(
    context: _Context, system: AISystem, control_id: str, what: str, records: str = "is recorded"
) -> Found:
    """The Control ``control_id`` as evidence where it is in place for the system (see
    :func:`_not_in_force`); one decided, applying and under way is listed with its
    status and what it lacks, not yet met."""
    entry = context.repo.entries.get(control_id)
    control = entry.record if entry is not None else None
    if not isinstance(control, Control):
        return [], f"no Control {control_id} ({what}) {records}"
    why = _not_in_force(context, control, system)
    if why is None:
        return [_evidence(context, control, f"{what}, implemented")], None
    under_way = decided(control) and control.applicable and not control.left_out([system.id])
    shown = [_evidence(context, control, f"{what}, {control.status}")] if under_way else []
    return shown, f"Control {control_id} {why}"


def _authority_reports(context: _Context, system: AISystem, spec: Spec) -> Found:
    serious = [
        i
        for i in context.incidents.get(system.id, [])
        if i.serious and i.detected <= context.repo.as_of
    ]
    found: list[Evidence] = []
    unreported: list[str] = []
    pending: list[str] = []
    late: list[str] = []
    for incident in serious:
        # The deadline AIMS706 judges (the first report on or after the detection).
        deadline = art73_deadline(context.repo, incident)
        unreported_yet = deadline is not None and deadline.report_index is None
        if deadline is not None and unreported_yet and deadline.due >= context.repo.as_of:
            pending.append(f"{incident.id} (by {deadline.due})")  # not overdue, as `due` says
            continue
        if deadline is None or deadline.report_index is None:
            unreported.append(incident.id)
            continue
        report = incident.reports[deadline.report_index]
        note = f"serious; reported to {report.to} on {report.on}"
        if not deadline.met:
            note += f", after the deadline {deadline.due}"
            late.append(f"{incident.id} (due {deadline.due}, reported {report.on})")
        found.append(_evidence(context, incident, note))
    missing = []
    if unreported:
        missing.append(f"serious incidents not reported to an authority: {', '.join(unreported)}")
    if late:
        missing.append("serious incidents reported after the Art. 73 deadline: " + ", ".join(late))
    if pending:
        missing.append(f"{REPORTS_PENDING}: {', '.join(pending)}")
    return found, "; ".join(missing) if missing else None


# What is owed for an incident whose report is not overdue yet: open, not missing.
REPORTS_PENDING = "serious incidents to report to an authority, not yet due"


FINDERS: dict[str, Finder] = {
    "risks": _risks,
    "data": _data,
    "documentation": _documentation,
    "instructions": _instructions,
    "oversight": _oversight,
    "evaluation": _evaluation,
    "monitor": _monitor,
    "impact-assessment": _impact_assessment,
    "bias-audit": _bias_audit,
    "authority-reports": _authority_reports,
    "literacy": _literacy,
    "event-logs": _event_logs,
    "information": _informing,
}


def _concerns(record: Record, system_id: str) -> bool:
    """Whether a record names the system in its `system` or `systems` field."""
    if getattr(record, "system", None) == system_id:
        return True
    systems = getattr(record, "systems", None)
    return isinstance(systems, list) and system_id in systems


def _tagged(context: _Context, system: AISystem, spec: Spec) -> tuple[list[Evidence], list[str]]:
    """The records of the system tagged with the obligation's id that evidence something
    done, and why each of the others does not count (see :func:`_tag_refused`)."""
    found: list[Evidence] = []
    refused: list[str] = []
    for record in context.tagged.get(spec.id, []):
        if record.id != system.id and not _concerns(record, system.id):
            continue
        why = _tag_refused(context, record, system)
        if why is not None:
            refused.append(why)
            continue
        found.append(_evidence(context, record, f"tagged {spec.id}"))
    return found, refused


def _tag_refused(context: _Context, record: Record, system: AISystem) -> str | None:
    """Why a tagged record evidences nothing done for the system (None: it does). A tag
    names what a record is about, not that it is done: a Control counts in force (not
    decided, excluded or not implemented evidences nothing), a Risk once its treatment
    is in place (as the residual is credited), an Evaluation performed and not failed.
    The system itself, or a record of another kind, says what is owed, not that it is
    met."""
    if isinstance(record, Control):
        why = _not_in_force(context, record, system)
        return None if why is None else f"Control {record.id}, which {why}"
    if isinstance(record, Risk):
        treatment = record.treatment
        relied_on = treatment.controls if treatment is not None else []
        unmet = [(c, why) for c in relied_on if (why := context.recorded_not_met(c))]
        if unmet:
            return f"Risk {record.id}, whose treatment relies on " + "; ".join(
                f"Control {control_id}: {why}" for control_id, why in unmet
            )
        if context.repo.risk_scores[record.id].in_place:
            return None
        return (
            f"Risk {record.id}, whose treatment is not in place (not completed, nor "
            "carried out by implemented controls)"
        )
    if isinstance(record, Evaluation):
        if record.performed.on > context.repo.as_of:
            return f"Evaluation {record.id}, performed after {context.repo.as_of}"
        return f"Evaluation {record.id}, which failed" if record.passed is False else None
    if record.id == system.id:
        return f"{system.id} itself, whose tag says what it owes, not what is done"
    return (
        f"{record.kind} {record.id}: only a Control in force, a Risk whose treatment is in "
        "place or an Evaluation evidences a tagged obligation"
    )


def _obligation(context: _Context, system: AISystem, spec: Spec) -> Obligation:
    as_of = context.repo.as_of
    if spec.in_force is not None and as_of < spec.in_force and spec.prohibited:
        return Obligation(spec, NOT_IN_FORCE, (), f"applies from {spec.in_force}")
    if spec.prohibited:
        return Obligation(
            spec, PROHIBITED, (), f"the practice is banned in the EU ({spec.article})"
        )
    found: list[Evidence] = []
    missing: list[str] = []
    happened = False  # what is missing is owed for what happened, not before use
    pending = False  # all that is owed is a report whose deadline has not passed
    for name in spec.evidence:
        shown, lacking = FINDERS[name](context, system, spec)
        found += shown
        if lacking is not None:
            missing.append(lacking)
            pending = lacking.startswith(REPORTS_PENDING)
            happened = happened or (name == "authority-reports" and not pending)
    # Tagged records are listed too, but stand in only where no record kind evidences
    # the obligation: a tag cannot make a stale bias audit current.
    tagged, refused = _tagged(context, system, spec)
    seen = {e.id for e in found}
    found += [e for e in tagged if e.id not in seen]
    if (spec.tag_required or not spec.evidence) and not tagged:
        lacking = f"no record of the system is tagged {spec.id}"
        if refused:
            lacking += " but " + "; ".join(refused)
        missing.append(lacking)
    # A record that still holds a placeholder evidences nothing yet (as in readiness).
    placeholders = list(dict.fromkeys(e.id for e in found if e.id in context.unwritten))
    if placeholders:
        found = [e for e in found if e.id not in context.unwritten]
        missing += [f"{record_id} {UNWRITTEN}" for record_id in placeholders]
    evidence = tuple(found)
    if spec.in_force is not None and as_of < spec.in_force:
        return Obligation(spec, NOT_IN_FORCE, evidence, f"applies from {spec.in_force}")
    if not missing:
        if "authority-reports" in spec.evidence and not found:
            return Obligation(spec, NOTHING_TO_REPORT, evidence, "no serious incident recorded")
        # Met where it applies: the condition stays in sight, so that "met" never reads
        # as the law applying (Art. 27 binds some deployers only).
        condition = f"where it applies: only if {spec.only_if}" if spec.only_if else ""
        return Obligation(spec, MET, evidence, condition)
    detail = "; ".join(missing)
    if spec.only_if is not None:
        return Obligation(spec, CONFIRM, evidence, f"applies only if {spec.only_if}: {detail}")
    # A serious incident owes its report whatever the stage: it is not "to do before use";
    # one not yet due is open, as `due` lists it, not missing.
    if pending and len(missing) == 1:
        return Obligation(spec, OPEN, evidence, detail)
    status = MISSING if system.stage == "production" or happened else OPEN
    return Obligation(spec, status, evidence, detail)


def _notes(system: AISystem, specs: list[Spec]) -> tuple[str, ...]:
    """A note per law the system owes obligations under whose places its non-empty
    `jurisdictions` do not name, and one for an EU AI Act class whose obligations
    depend on an `eu_role` the system does not give."""
    notes = []
    regulation = system.regulation
    unclassified = _unclassified(system)
    if unclassified is not None:
        notes.append(unclassified)
    if regulation is not None and regulation.eu_role is None and regulation.eu_ai_act in ROLE_BOUND:
        notes.append(
            f"EU AI Act class {regulation.eu_ai_act} without `eu_role`: its obligations depend "
            "on the organization's role (provider, deployer, importer or distributor), so "
            "none of them is listed: set `regulation.eu_role`"
        )
    elif regulation is not None and regulation.eu_role is None:
        # Art. 4 binds providers and deployers of every class: without a role it is
        # not listed, and the note says so rather than the duty vanishing unsaid.
        known = catalogue().obligations
        bound = [spec.article for spec in known if applies(spec, system, "eu_role")]
        if bound:
            one = len(bound) == 1
            notes.append(
                f"EU AI Act class {regulation.eu_ai_act} without `eu_role`: {words(bound, 'and')} "
                f"{'depends' if one else 'depend'} on the organization's role (provider, "
                f"deployer, importer or distributor), so {'it is' if one else 'they are'} not "
                "listed: set `regulation.eu_role`"
            )
    if not system.jurisdictions:
        return tuple(notes)
    for law in dict.fromkeys(spec.law for spec in specs):
        if law.jurisdictions and not set(law.jurisdictions) & places(system):
            notes.append(
                f"{law.name} obligations follow from its regulation fields, but its "
                f"jurisdictions ({', '.join(system.jurisdictions)}) name none of the places "
                f"the law covers ({', '.join(law.jurisdictions[:3])}"
                f"{' ...' if len(law.jurisdictions) > 3 else ''}): check both"
            )
    return tuple(notes)


def _unclassified(system: AISystem) -> str | None:
    """A note for a system in use whose jurisdictions name a place the EU AI Act covers
    and that records no EU AI Act class: none of the Act's obligations is derived for
    it, which would read as the system owing none."""
    if system.stage == "retired":
        return None
    if system.regulation is not None and system.regulation.eu_ai_act is not None:
        return None
    law = next((law for law in catalogue().laws if law.id == EU_AI_ACT), None)
    if law is None or not set(law.jurisdictions) & places(system):
        return None
    return (
        f"its jurisdictions ({', '.join(system.jurisdictions)}) name places the "
        f"{law.name} covers, but no `regulation.eu_ai_act` class is recorded, so none of "
        "its obligations is derived: classify the system (`not-applicable` if the Act "
        "does not apply to it)"
    )


def obligations(repo: Repository, system_ids: list[str] | None = None) -> Result:
    """The obligations of every system (or of ``system_ids``); retired systems are left
    out unless named."""
    systems = repo.of_kind(AISystem)
    if system_ids:
        repo.require_systems(system_ids, "{id!r}", "its obligations cannot be derived")
        systems = [s for s in systems if s.id in system_ids]
    context = _Context.of(repo)
    found = []
    for system in systems:
        if system.stage == "retired" and not system_ids:
            continue
        # A retired system is no longer used: it takes on no obligation here.
        specs = [
            spec
            for spec in catalogue().obligations
            if system.stage != "retired" and applies(spec, system)
        ]
        found.append(
            SystemObligations(
                system,
                context.path(system.id),
                tuple(_obligation(context, system, spec) for spec in specs),
                _notes(system, specs),
            )
        )
    return Result(repo.as_of, catalogue(), tuple(found), repo.failed_files())
