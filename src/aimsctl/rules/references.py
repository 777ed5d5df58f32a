"""AIMS201: every id a record points to names an existing record of the right kind."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import (
    KINDS,
    Control,
    Evaluation,
    ImpactAssessment,
    Incident,
    InternalAudit,
    Monitor,
    Objective,
    Risk,
    Role,
    Waiver,
)
from aimsctl.records.clauses import is_requirement
from aimsctl.rules.registry import Finding, rule
from aimsctl.validation_messages import did_you_mean

if TYPE_CHECKING:
    from aimsctl.repository import Repository

Parts = tuple[str | int, ...]


def _an(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "AEIOU" else f"a {kind}"


def _kinds(kinds: tuple[str, ...]) -> str:
    return " or ".join(_an(kind) for kind in kinds)


def _known_ids(repo: Repository) -> list[str]:
    return sorted({*repo.entries, *repo.invalid})


def reference_problem(
    repo: Repository, target: str, kinds: tuple[str, ...] | None, field: str
) -> str | None:
    """Why ``target`` is a broken reference (None when it is fine).

    ``kinds`` are the record kinds the field may name; None means any kind. A
    record that exists but failed validation is not reported as missing; when its
    kind is known and wrong, the wrong kind is still reported.
    """
    if not repo.exists(target):
        hint = did_you_mean(target, _known_ids(repo))
        wanted = "record" if kinds is None else " or ".join(kinds)
        return f"{field} names {wanted} {target!r}, which does not exist{hint}"
    found = repo.kind_of(target)
    if kinds is None or found is None or found in kinds:
        return None
    return f"{field} names {target!r}, which is {_an(found)}, not {_kinds(kinds)}"


class _Checker:
    """Reference checks of one run; references into files that cannot be read are set
    aside (the record may be there) and reported once per file."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.unchecked: dict[str, dict[str, None]] = {}

    def problem(self, target: str, kinds: tuple[str, ...] | None, field: str) -> str | None:
        if not self.repo.exists(target):
            unread = self.repo.unread_file_naming(target)
            if unread is not None:
                self.unchecked.setdefault(unread, {})[target] = None
                return None
        return reference_problem(self.repo, target, kinds, field)

    def each(
        self,
        record: str,
        field: str,
        targets: Iterable[str],
        parts: Parts,
        kinds: tuple[str, ...] | None,
    ) -> Iterator[Finding]:
        for index, target in enumerate(targets):
            problem = self.problem(target, kinds, field)
            if problem is not None:
                yield Finding(problem, record=record, parts=(*parts, index))

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
    why="The AIMS is a web of links: risks belong to inventoried systems (6.1.2, A.4), "
    "treatments are carried out by controls in the Statement of Applicability (6.1.3), "
    "impact assessments are about a system and the parties it affects (6.1.4, A.5). A "
    "dangling link means a risk without a system, a treatment without a control, or an "
    "impact nobody is named as bearing, and reports built from the records silently "
    "drop it.",
    fix="Correct the id (the message suggests the closest existing one), create the missing "
    "record, or remove the reference. For impact groups, use a `group` name listed in the "
    "same assessment's `stakeholders`.",
    example="kind: Risk\nid: R-7\ntitle: Unfair ranking\nsystems: [SYS-HIRING]   "
    "# the inventory says SYS-HIRE\n...",
)
def broken_reference(repo: Repository) -> Iterator[Finding]:
    check = _Checker(repo)
    for risk in repo.of_kind(Risk):
        yield from check.each(risk.id, "systems", risk.systems, ("systems",), ("AISystem",))
        if risk.treatment is not None:
            yield from check.each(
                risk.id,
                "treatment.controls",
                risk.treatment.controls,
                ("treatment", "controls"),
                ("Control",),
            )
    for assessment in repo.of_kind(ImpactAssessment):
        problem = check.problem(assessment.system, ("AISystem",), "system")
        if problem is not None:
            yield Finding(problem, record=assessment.id, parts=("system",))
        groups = [stakeholder.group for stakeholder in assessment.stakeholders]
        for i, impact in enumerate(assessment.impacts):
            yield from check.each(
                assessment.id,
                "mitigations",
                impact.mitigations,
                ("impacts", i, "mitigations"),
                ("Risk", "Control"),
            )
            for j, group in enumerate(impact.groups):
                if group not in groups:
                    listed = ", ".join(repr(g) for g in groups) if groups else "none"
                    hint = did_you_mean(group, groups)
                    yield Finding(
                        f"impact group {group!r} is not one of this assessment's stakeholder "
                        f"groups (listed: {listed}){hint}",
                        record=assessment.id,
                        parts=("impacts", i, "groups", j),
                    )
    for control in repo.of_kind(Control):
        yield from check.each(control.id, "systems", control.systems, ("systems",), ("AISystem",))
    for waiver in repo.of_kind(Waiver):
        yield from check.each(waiver.id, "records", waiver.records, ("records",), None)
    yield from _monitoring_references(check, repo)
    yield from _management_references(check, repo)
    yield from check.notes()


def _nonconformity_kinds() -> tuple[str, ...] | None:
    """The kinds a `nonconformity` reference may name: None (any record) until the
    Nonconformity kind is registered."""
    return ("Nonconformity",) if "Nonconformity" in KINDS else None


def _monitoring_references(check: _Checker, repo: Repository) -> Iterator[Finding]:
    """Evaluations, monitors and incidents: their systems, risks and nonconformities."""
    tracker_kinds = ("Risk", "Nonconformity") if "Nonconformity" in KINDS else ("Risk",)
    for evaluation in repo.of_kind(Evaluation):
        problem = check.problem(evaluation.system, ("AISystem",), "system")
        if problem is not None:
            yield Finding(problem, record=evaluation.id, parts=("system",))
        for index, metric in enumerate(evaluation.metrics):
            yield from check.each(
                evaluation.id,
                "tracked_by",
                metric.tracked_by,
                ("metrics", index, "tracked_by"),
                tracker_kinds,
            )
    for monitor in repo.of_kind(Monitor):
        problem = check.problem(monitor.system, ("AISystem",), "system")
        if problem is not None:
            yield Finding(problem, record=monitor.id, parts=("system",))
    for incident in repo.of_kind(Incident):
        yield from check.each(incident.id, "systems", incident.systems, ("systems",), ("AISystem",))
        yield from check.each(incident.id, "risks", incident.risks, ("risks",), ("Risk",))
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
    """Roles, objectives and internal audits: whom a role reports to, what it is
    accountable for, the systems an objective or audit covers, the nonconformities
    audit findings raised."""
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
    for objective in repo.of_kind(Objective):
        yield from check.each(
            objective.id, "systems", objective.systems, ("systems",), ("AISystem",)
        )
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
