"""AIMS201, AIMS207, AIMS209 and AIMS211: every id a record points to names an existing
record of the right kind, no list names one twice, no two entries of a record that
references name (audit findings, assessed stakeholder groups) share a name, and no two
records have ids that differ only in letter case."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import (
    KINDS,
    Control,
    Evaluation,
    ImpactAssessment,
    Incident,
    InternalAudit,
    ManagementReview,
    Monitor,
    Objective,
    Risk,
    Role,
    Waiver,
)
from aimsctl.records.clauses import is_requirement
from aimsctl.rules.management import unread_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import (
    a_kind,
    by_letter_case,
    lookalike_key,
    lookalikes_escaped,
    name_key,
    printable,
)
from aimsctl.validation_messages import did_you_mean

if TYPE_CHECKING:
    from aimsctl.repository import Repository

Parts = tuple[str | int, ...]


class Listed(NamedTuple):
    """One list of names a record holds: whose, which field, where, and the kinds of
    record it may name (None: any kind, or names that are not record ids)."""

    record: str
    field: str
    items: Sequence[str]
    parts: Parts
    kinds: tuple[str, ...] | None


def id_lists(repo: Repository) -> Iterator[Listed]:
    """Every list of record ids whose entries AIMS201 checks one by one (and AIMS207 for
    an entry named twice). Gathered afresh for each rule: kept between the two, the
    lists of 50,000 records added 9 MB to validate's peak, to save about 12 ms at
    10,000 records."""
    for risk in repo.of_kind(Risk):
        yield Listed(risk.id, "systems", risk.systems, ("systems",), ("AISystem",))
        if risk.treatment is not None:
            controls = risk.treatment.controls
            yield Listed(
                risk.id, "treatment.controls", controls, ("treatment", "controls"), ("Control",)
            )
    for assessment in repo.of_kind(ImpactAssessment):
        for i, impact in enumerate(assessment.impacts):
            parts = ("impacts", i, "mitigations")
            yield Listed(
                assessment.id, "mitigations", impact.mitigations, parts, ("Risk", "Control")
            )
    for control in repo.of_kind(Control):
        yield Listed(control.id, "systems", control.systems, ("systems",), ("AISystem",))
    for waiver in repo.of_kind(Waiver):
        yield Listed(waiver.id, "records", waiver.records, ("records",), None)
    tracker_kinds = ("Risk", "Nonconformity") if "Nonconformity" in KINDS else ("Risk",)
    for evaluation in repo.of_kind(Evaluation):
        for index, metric in enumerate(evaluation.metrics):
            parts = ("metrics", index, "tracked_by")
            yield Listed(evaluation.id, "tracked_by", metric.tracked_by, parts, tracker_kinds)
    for incident in repo.of_kind(Incident):
        yield Listed(incident.id, "systems", incident.systems, ("systems",), ("AISystem",))
        yield Listed(incident.id, "risks", incident.risks, ("risks",), ("Risk",))
    for objective in repo.of_kind(Objective):
        yield Listed(objective.id, "systems", objective.systems, ("systems",), ("AISystem",))


def _other_lists(repo: Repository) -> Iterator[Listed]:
    """The lists AIMS201 checks in their own way: impact groups (names of the
    assessment's stakeholders), what a role is accountable for (ids or kinds) and an
    audit's scope (clauses, Annex A ids or systems); and those it does not check: a
    management review's inputs and any record's tags."""
    for assessment in repo.of_kind(ImpactAssessment):
        for i, impact in enumerate(assessment.impacts):
            yield Listed(assessment.id, "groups", impact.groups, ("impacts", i, "groups"), None)
    for role in repo.of_kind(Role):
        parts = ("accountable_for",)
        yield Listed(role.id, "accountable_for", role.accountable_for, parts, None)
    for audit in repo.of_kind(InternalAudit):
        yield Listed(audit.id, "scope", audit.scope, ("scope",), None)
    for review in repo.of_kind(ManagementReview):  # one input twice: another was meant
        yield Listed(review.id, "inputs", list(review.inputs), ("inputs",), None)
    for record_id, entry in repo.entries.items():
        if entry.record.tags:
            yield Listed(record_id, "tags", entry.record.tags, ("tags",), None)


def _kinds(kinds: tuple[str, ...]) -> str:
    return " or ".join(a_kind(kind) for kind in kinds)


def _loosely(record_id: str) -> str:
    """``record_id`` as it reads: letters drawn alike as one, full-width digits as
    digits (:func:`lookalike_key`), case and punctuation aside."""
    return "".join(c for c in lookalike_key(record_id).casefold() if c.isalnum())


def _numbers(record_id: str) -> list[str]:
    return [number.lstrip("0") for number in re.findall(r"\d+", record_id)]


def _invalid_id_like(repo: Repository, target: str) -> str:
    """A record whose own id is not valid and reads as ``target`` but for its
    punctuation or letter case (`R 001` for `R-001`): the reference is broken because
    that id is, and fixing the id mends both."""
    loose = _loosely(target)
    for record_id in sorted(repo.invalid):
        if record_id != target and _loosely(record_id) == loose:
            shown = lookalikes_escaped(printable(record_id))
            return f"; did you mean the record whose id '{shown}' is invalid?"
    return ""


class _Checker:
    """Reference checks of one run; references into files that cannot be read are set
    aside (the record may be there) and reported once per file."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.unchecked: dict[str, dict[str, None]] = {}
        # "Did you mean" for an id that does not exist, worked out once per id: a
        # deleted system named by 4,000 risks asked it 4,000 times, each against every
        # id in the repository (validate took 54 s instead of 2).
        self.hints: dict[tuple[str, tuple[str, ...] | None], str] = {}
        self.known: dict[tuple[str, ...] | None, list[str]] = {}  # ids a field may name
        # Each answer of `problem`, by its question: thousands of risks name the same
        # few systems and controls.
        self.answers: dict[tuple[str, tuple[str, ...] | None, str], str | None] = {}

    def problem(self, target: str, kinds: tuple[str, ...] | None, field: str) -> str | None:
        """Why ``target`` is a broken reference (None when it is fine).

        ``kinds`` are the record kinds the field may name; None means any kind. A
        record that exists but failed validation is not reported as missing; when its
        kind is known and wrong, the wrong kind is still reported.
        """
        question = (target, kinds, field)
        if question not in self.answers:
            self.answers[question] = self._problem(target, kinds, field)
        return self.answers[question]

    def _problem(self, target: str, kinds: tuple[str, ...] | None, field: str) -> str | None:
        repo = self.repo
        if not repo.exists(target):
            unread = repo.unread_file_naming(target)
            if unread is not None:
                self.unchecked.setdefault(unread, {})[target] = None
                return None
            wanted = "record" if kinds is None else " or ".join(kinds)
            return (
                f"{field} names {wanted} {target!r}, which does not exist{self.hint(target, kinds)}"
            )
        found = repo.kind_of(target)
        if kinds is None or found is None or found in kinds:
            return None
        return f"{field} names {target!r}, which is {a_kind(found)}, not {_kinds(kinds)}"

    def hint(self, target: str, kinds: tuple[str, ...] | None) -> str:
        """The id ``target`` was probably meant to be: a record of a kind the field may
        name (or of no known kind) whose id is close; and the records whose id cannot be
        read that may be it. Beside those, a close id with other numbers ('R-1' for
        'R-7') is another record, not a typo, and is not offered."""
        key = (target, kinds)
        if key not in self.hints:
            if kinds not in self.known:
                ids = {*self.repo.entries, *self.repo.invalid}
                self.known[kinds] = sorted(
                    i for i in ids if kinds is None or self.repo.kind_of(i) in (*kinds, None)
                )
            unread = unread_note(self.repo, kinds, "meant", ids={target})
            meant = _invalid_id_like(self.repo, target)
            if not meant and not unread:
                meant = did_you_mean(target, self.known[kinds])
            elif not meant:
                numbers = _numbers(target)
                alike = [i for i in self.known[kinds] if _numbers(i) == numbers]
                meant = did_you_mean(target, alike)
            self.hints[key] = meant + (f"; {unread}" if unread else "")
        return self.hints[key]

    def notes(self) -> Iterator[Finding]:
        for path, targets in sorted(self.unchecked.items()):
            yield Finding(
                f"references to {', '.join(repr(t) for t in targets)} were not checked: "
                "this file cannot be read, and the records may be in it; fix it first",
                path=path,
            )


@rule(
    codes.BROKEN_REFERENCE,
    Severity.ERROR,
    summary="A record refers to an id that does not exist or that names a record of the "
    "wrong kind: the systems of a risk or control, the controls of a risk treatment, the "
    "system of an impact assessment, the mitigations and groups of its impacts, the "
    "records of a waiver, the system of an evaluation (and the Risk or Nonconformity "
    "records its metrics are `tracked_by`) or a monitor, and the systems, risks and "
    "nonconformity of an incident; the role a role `reports_to` and the records or kinds "
    "it is `accountable_for`, the systems of an objective, the scope of an internal audit "
    "(clauses, Annex A ids or systems) and the nonconformity each finding names.",
    why="The AIMS is a web of links: risks are assessed for the systems in its scope (4.3, "
    "6.1.2), "
    "treatments are carried out by controls in the Statement of Applicability (6.1.3), "
    "impact assessments are about a system and the parties it affects (6.1.4, A.5). A "
    "dangling link means a risk without a system, a treatment without a control, or an "
    "impact nobody is named as bearing, and reports built from the records silently "
    "drop it.",
    fix="Correct the id (the message suggests the closest id of a kind the field may name), "
    "create the missing record, or remove the reference. Where a record whose kind or id "
    f"cannot be read ({codes.RECORD_IDENTITY}) may be the one meant, the message names where it "
    "is, and suggests no id with other numbers ('R-2' for 'R-7' is another record, not a typo): "
    "give that record its id. For impact groups, use a `group` name listed in the same "
    "assessment's `stakeholders`.",
    example="kind: Risk\nid: R-7\ntitle: Unfair ranking\nsystems: [SYS-HIRING]   "
    "# the inventory says SYS-HIRE\n...",
)
def broken_reference(repo: Repository) -> Iterator[Finding]:
    check = _Checker(repo)
    for ids in id_lists(repo):
        for index, target in enumerate(ids.items):
            problem = check.problem(target, ids.kinds, ids.field)
            if problem is not None:
                yield Finding(problem, record=ids.record, parts=(*ids.parts, index))
    for assessment in repo.of_kind(ImpactAssessment):
        problem = check.problem(assessment.system, ("AISystem",), "system")
        if problem is not None:
            yield Finding(problem, record=assessment.id, parts=("system",))
        groups = [stakeholder.group for stakeholder in assessment.stakeholders]
        named = {name_key(group) for group in groups}
        for i, impact in enumerate(assessment.impacts):
            for j, group in enumerate(impact.groups):
                if name_key(group) not in named:
                    listed = ", ".join(repr(g) for g in groups) if groups else "none"
                    hint = did_you_mean(group, groups)
                    yield Finding(
                        f"impact group {group!r} is not one of this assessment's stakeholder "
                        f"groups (listed: {listed}){hint}",
                        record=assessment.id,
                        parts=("impacts", i, "groups", j),
                    )
    yield from _monitoring_references(check, repo)
    yield from _management_references(check, repo)
    yield from check.notes()


@rule(
    codes.DUPLICATE_REFERENCE,
    Severity.WARNING,
    summary="A record names the same id or name twice in one list: the systems of a risk, "
    "control, incident or objective, the controls of a treatment, the mitigations or "
    "groups of an impact, the records of a waiver, the `tracked_by` of a metric, the risks "
    "of an incident, what a role is `accountable_for`, the scope of an internal audit, the "
    "`inputs` of a management review, the `tags` of any record.",
    why="A repeated entry is nearly always a slip for another one. A risk meant for two "
    "systems that names one of them twice is missing from the other's risk assessment "
    "(6.1.2) and from every report read per system; a treatment relies on one control "
    "fewer than its author meant (6.1.3); every count made from the list (or, for tags, "
    "by tag) is off. Records "
    "are documented information, created with their correctness checked (7.5.2).",
    fix="Replace the repeated entry with the one that was meant, or delete it.",
    example="kind: Risk\nid: R-7\ntitle: Unfair ranking\n"
    "systems: [SYS-HIRE, SYS-HIRE]   # meant SYS-HIRE and SYS-SCREEN\n...",
)
def duplicate_reference(repo: Repository) -> Iterator[Finding]:
    for listed in (*id_lists(repo), *_other_lists(repo)):
        if len(listed.items) < 2:
            continue  # most lists: nothing to name twice
        first: dict[str, int] = {}
        for index, item in enumerate(listed.items):
            key = name_key(item)  # a name in two Unicode forms is one name, as it looks
            if key not in first:
                first[key] = index
                continue
            yield Finding(
                f"{listed.field} names {item!r} again (it is entry {first[key] + 1} of "
                "the list); another entry was probably meant",
                record=listed.record,
                parts=(*listed.parts, index),
            )


def _nonconformity_kinds() -> tuple[str, ...] | None:
    """The kinds a `nonconformity` reference may name: None (any record) until the
    Nonconformity kind is registered."""
    return ("Nonconformity",) if "Nonconformity" in KINDS else None


def _monitoring_references(check: _Checker, repo: Repository) -> Iterator[Finding]:
    """The system of an evaluation or monitor, the nonconformity of an incident."""
    for evaluation in repo.of_kind(Evaluation):
        problem = check.problem(evaluation.system, ("AISystem",), "system")
        if problem is not None:
            yield Finding(problem, record=evaluation.id, parts=("system",))
    for monitor in repo.of_kind(Monitor):
        problem = check.problem(monitor.system, ("AISystem",), "system")
        if problem is not None:
            yield Finding(problem, record=monitor.id, parts=("system",))
    for incident in repo.of_kind(Incident):
        if incident.nonconformity is not None:
            kinds = _nonconformity_kinds()
            problem = (
                check.problem(incident.nonconformity, kinds, "nonconformity")
                if kinds is not None
                else None
            )
            if problem is not None:
                yield Finding(problem, record=incident.id, parts=("nonconformity",))


def _management_references(check: _Checker, repo: Repository) -> Iterator[Finding]:
    """Roles and internal audits: whom a role reports to, what it is accountable for,
    the systems an audit covers, the nonconformities audit findings raised."""
    for role in repo.of_kind(Role):
        if role.reports_to is not None:
            problem = check.problem(role.reports_to, ("Role",), "reports_to")
            if problem is not None:
                yield Finding(problem, record=role.id, parts=("reports_to",))
        for index, item in enumerate(role.accountable_for):
            problem = None if item in KINDS else check.problem(item, None, "accountable_for")
            if problem is None:
                continue
            kind = did_you_mean(item, list(KINDS))  # a kind name, mistyped
            if kind:
                problem = f"accountable_for names {item!r}, neither a record nor a kind{kind}"
            yield Finding(problem, record=role.id, parts=("accountable_for", index))
    for audit in repo.of_kind(InternalAudit):
        for index, item in enumerate(audit.scope):
            if is_requirement(item):
                continue
            problem = check.problem(item, ("AISystem",), "scope")
            if problem is not None:
                yield Finding(
                    f'{problem}; a scope entry is a clause ("4" to "10.2"), an Annex A '
                    "id or an AISystem",
                    record=audit.id,
                    parts=("scope", index),
                )
        for index, found in enumerate(audit.findings):
            if found.nonconformity is not None:
                problem = check.problem(found.nonconformity, ("Nonconformity",), "nonconformity")
                if problem is not None:
                    yield Finding(
                        problem, record=audit.id, parts=("findings", index, "nonconformity")
                    )


class _Named(NamedTuple):
    """The entries of one list in a record that carry an id or a name of their own,
    by which they are cited."""

    record: str
    what: str  # the name's field, in words: "finding id"
    names: Sequence[str]
    field: str  # the list: "findings"
    key: str  # the name's field in each entry: "id"
    cited: str  # who cites an entry by it, and what is then ambiguous


def _named_entries(repo: Repository) -> Iterator[_Named]:
    """Every list of entries named within their record (AIMS209)."""
    for audit in repo.of_kind(InternalAudit):
        ids = [found.id for found in audit.findings]
        cited = (
            "findings are cited by id (the management report, beside the nonconformity "
            "each raised; corrective actions; the audit trail), so a citation of it cannot "
            "tell which finding is meant: give each its own id"
        )
        yield _Named(audit.id, "finding id", ids, "findings", "id", cited)
    for assessment in repo.of_kind(ImpactAssessment):
        groups = [stakeholder.group for stakeholder in assessment.stakeholders]
        cited = (
            "impacts name a group by it in `groups`, so which entry they mean (its "
            "concerns, whether it is vulnerable) cannot be told: give each its own name, "
            "or merge the two"
        )
        yield _Named(assessment.id, "stakeholder group", groups, "stakeholders", "group", cited)


@rule(
    codes.DUPLICATE_ENTRY,
    Severity.WARNING,
    summary="Two entries of one record share the id or name they are cited by: two "
    "findings of an internal audit with the same `id`, two `stakeholders` of an impact "
    "assessment with the same `group`.",
    why="An audit finding is cited by its id (the management report lists it beside the "
    "nonconformity it raised; corrective actions and the audit trail refer to it), an "
    "assessed stakeholder group by its name (the impacts on it). With two entries of one "
    "name a citation can mean either: a corrective action may be taken as answering the "
    "wrong finding (9.2.2, 10.2), an impact read against the wrong group's concerns "
    "(6.1.4, A.5.4). Records are documented information, to be identified and checked "
    "for correctness (7.5.2).",
    fix="Give each entry its own id or name (the auditor's numbering; the group as the "
    "impacts mean it), or merge the two entries into one.",
    example="findings:\n  - id: F-2\n    type: observation\n    description: ...\n"
    "  - id: F-2          # meant F-3\n    type: minor-nonconformity\n    ...",
)
def duplicate_entry(repo: Repository) -> Iterator[Finding]:
    for named in _named_entries(repo):
        first: dict[str, int] = {}
        for index, name in enumerate(named.names):
            key = name_key(name)
            if key not in first:
                first[key] = index
                continue
            yield Finding(
                f"{named.what} {name!r} is given again (it is entry {first[key] + 1} of "
                f"{named.field}); {named.cited}",
                record=named.record,
                parts=(named.field, index, named.key),
            )


@rule(
    codes.ID_READS_AS_ANOTHER,
    Severity.WARNING,
    summary="Two records have ids that differ only in letter case: `a.5.2` beside "
    "`A.5.2`, `r-40` beside `R-40`.",
    why="Ids are case-sensitive, so both records stand, but people read them as one: a "
    "reference meant for one may name the other, a Statement of Applicability shows an "
    "Annex A control undecided beside the organization's own `a.5.2` that was meant to "
    "decide it (6.1.3), and `aimsctl new` or `soa sync` add a record beside the one the "
    "author believes is there. Documented information must be identified so that it "
    "cannot be mistaken (7.5.2).",
    fix="Give the records ids that read apart: usually correct the case of the one "
    "misspelt (`a.5.2` to `A.5.2`) and update the references to it.",
    example="kind: Control\nid: a.5.2   # meant the Annex A control A.5.2\napplicable: false\n"
    "justification: We deploy no AI system affecting individuals.",
)
def id_reads_as_another(repo: Repository) -> Iterator[Finding]:
    # A record that fails validation keeps its id, and is read as the other once fixed:
    # it is named too, and reported itself by its own errors. A document of no known
    # kind is no record (AIMS101 says so), so its `id` names nothing.
    invalid = (rid for rid, kind in repo.invalid.items() if kind in KINDS)
    for alike in by_letter_case({*repo.entries, *invalid}).values():
        if len(alike) < 2:
            continue
        for record_id in (a for a in alike if a in repo.entries):
            others = ", ".join(repr(o) for o in sorted(alike) if o != record_id)
            yield Finding(
                f"id {record_id!r} reads as {others}, the id of another record: ids that "
                "differ only in letter case are taken for one another",
                record=record_id,
                parts=("id",),
            )
