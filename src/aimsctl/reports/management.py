"""The management system (ISO/IEC 42001 5.2, 5.3, 6.2, 9.2, 9.3, 10.2): the AI policy
register, the responsibility chart, the objectives with their progress, the audit
programme with its coverage grid, the management reviews and the nonconformity log.

Every judgement (a policy's next review, what an audit scope covers, which inputs a
review lacks, which action or objective is overdue) is the validation rules' own
(:mod:`aimsctl.rules.management`, :mod:`aimsctl.records.clauses`), made as of the
as-of date, so the report never disagrees with `aimsctl validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, get_args

from aimsctl.catalog import annex_a, annex_a_areas
from aimsctl.due import DueItem, management_due, next_of
from aimsctl.records import (
    KINDS,
    AISystem,
    Control,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Objective,
    Policy,
    Risk,
    Role,
)
from aimsctl.records.audit import NONCONFORMITY_TYPES, AuditFinding, FindingType
from aimsctl.records.base import Action
from aimsctl.records.clauses import CLAUSES, TOP_CLAUSES, covers, sub_clauses
from aimsctl.records.objective import SETTLED
from aimsctl.reports.common import Context, Shared, record_title, reference
from aimsctl.rules.management import (
    COMMITMENTS,
    PROGRAMME_YEARS,
    REVIEW_INPUTS,
    achievement_not_shown,
    action_done,
    closure_problem,
    last_completed_audit,
    last_review,
    latest_progress,
    missing_inputs,
    plan_not_counted,
    policy_next_review,
    programme_since,
    raised_otherwise,
    review_not_counted,
    to_audit,
    top_management_named,
)
from aimsctl.rules.placeholders import still_unwritten
from aimsctl.text import html_id, natural_key, number_text, plural
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

# The three commitments of clause 5.2 and the seven inputs of 9.3.2, in our own words.
COMMITMENT_WORDS: dict[str, str] = {
    "requirements": "to meet the requirements that apply",
    "continual-improvement": "to improve the management system continually",
    "objectives-framework": "a frame for setting AI objectives",
}
INPUT_WORDS: dict[str, str] = {
    "previous-actions": "the status of actions from earlier reviews",
    "external-internal-issues": "changes in external and internal issues",
    "interested-parties": "changes in the needs and expectations of interested parties",
    "nonconformities": "nonconformities and corrective actions",
    "monitoring-results": "monitoring and measurement results",
    "audit-results": "audit results",
    "opportunities": "opportunities for continual improvement",
}
FINDING_TYPES: tuple[str, ...] = get_args(FindingType)
# Whether a set of cited scope items covers a requirement, and what of it they cover.
Check = Callable[[set[str]], tuple[bool, list[str]]]
FINDING_WORDS: dict[str, tuple[str, str]] = {
    "major-nonconformity": ("major nonconformity", "major nonconformities"),
    "minor-nonconformity": ("minor nonconformity", "minor nonconformities"),
    "observation": ("observation", "observations"),
    "opportunity": ("opportunity for improvement", "opportunities for improvement"),
}
# The states of a cell of the coverage grid, each with the words that show it without
# colour (the HTML adds a colour and a symbol, never only a colour).
COVERED = "covered"
PARTLY = "partly covered"
PLANNED = "planned"
NOT_AUDITED = "not audited"
NOT_APPLICABLE = "not applicable"
COVERAGE_STATES: tuple[str, ...] = (COVERED, PARTLY, PLANNED, NOT_AUDITED, NOT_APPLICABLE)
COVERAGE_SYMBOLS: dict[str, str] = {
    COVERED: "✔",
    PARTLY: "◐",
    PLANNED: "○",
    NOT_AUDITED: "✘",
    NOT_APPLICABLE: "—",
}


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def _value(value: str | int | float) -> str:
    if isinstance(value, str):
        return value
    return number_text(float(value))


def requirement_title(requirement: str) -> str:
    """The title of a clause, an Annex A area, objective or control, or "" when none."""
    if requirement in CLAUSES:
        return CLAUSES[requirement]
    catalogue = annex_a()
    if requirement in catalogue:
        return catalogue[requirement].title
    for area in annex_a_areas():
        if requirement == area.id:
            return area.title
        for objective in area.objectives:
            if requirement == objective.id:
                return objective.title
        if requirement == f"{area.id}.1" and not area.objectives:
            return area.title
    return ""


def _record(repo: Repository, record_id: str) -> object:
    entry = repo.entries.get(record_id)
    return entry.record if entry is not None else None


# --- people and roles ---------------------------------------------------------------


class _Roles:
    """The roles, and who an owner, approver or chair written as text is."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.roles = list(repo.of_kind(Role))
        self.by_id = {role.id: role for role in self.roles}

    def named(self, name: str) -> list[Role]:
        return [role for role in self.roles if role.names(name)]

    def signer(self, name: str) -> Context:
        """An approver or a chair with the roles it is: by Role id or holder, and the
        top-management roles AIMS606 reads it as (letter case, spacing, look-alike
        letters aside, or by title), so that the report names top management where
        validate and readiness count it."""
        loose = top_management_named(self.repo, name)
        return self.person(name, loose if not is_placeholder(name) else [])

    def person(self, name: str, also: Sequence[Role] = ()) -> Context:
        """A name with the roles it is (by Role id or holder), and ``also``."""
        chosen = {id(role) for role in (*self.named(name), *also)}
        matched = [role for role in self.roles if id(role) in chosen]
        return {
            "name": name,
            "roles": [
                {
                    "id": role.id,
                    "title": role.title,
                    "top_management": role.top_management,
                    "vacant": role.vacant,
                }
                for role in matched
            ],
            # A role nobody holds makes nobody top management (AIMS606 reads it so).
            "top_management": any(role.top_management and not role.vacant for role in matched),
            # Only where roles are recorded is a name outside them worth saying.
            "unmatched": bool(self.roles) and not matched,
        }


# --- the policy register ------------------------------------------------------------


def _policies(repo: Repository, roles: _Roles, base: str | None) -> list[Context]:
    rows: list[Context] = []
    for policy in sorted(repo.of_kind(Policy), key=lambda p: natural_key(p.id)):
        approval = policy.approval
        approved = policy.status == "approved"
        due = policy_next_review(policy, repo) if approved else policy.next_review
        rows.append(
            {
                "id": policy.id,
                "anchor": html_id("p", policy.id),
                "title": policy.title,
                "description": policy.description or "",
                "owner": roles.person(policy.owner),
                "status": policy.status,
                "version": policy.version,
                "approval": None
                if approval is None
                else {
                    "by": roles.signer(approval.by),
                    "on": approval.on.isoformat(),
                    "ahead": approval.on > repo.as_of,
                },
                "next_review": _iso(due),
                # Given on the record, or counted from the approval (cadence).
                "next_review_source": "record"
                if policy.next_review is not None
                else ("cadence" if due is not None else ""),
                "review_overdue": approved and due is not None and due < repo.as_of,
                "document": reference(repo, policy.document, base) if policy.document else None,
                "commitments": [
                    {
                        "name": name,
                        "words": COMMITMENT_WORDS[name],
                        "made": name in policy.commitments,
                    }
                    for name in COMMITMENTS
                ],
                "commitments_missing": [c for c in COMMITMENTS if c not in policy.commitments],
            }
        )
    return rows


# --- the responsibility chart -------------------------------------------------------


def _target(repo: Repository, target: str) -> Context:
    """Something a role is accountable for: a kind of record, or one record."""
    if target in KINDS:
        return {"id": target, "is_kind": True, "title": f"every {target} record"}
    entry = repo.entries.get(target)
    kind = entry.record.kind if entry is not None else ""
    return {"id": target, "is_kind": False, "title": record_title(repo, target), "kind": kind}


def _role_node(repo: Repository, role: Role, owns: dict[str, list[Context]]) -> Context:
    return {
        "id": role.id,
        "anchor": html_id("role", role.id),
        "title": role.title,
        "holder": role.holder,
        "top_management": role.top_management,
        "responsibilities": list(role.responsibilities),
        "authorities": list(role.authorities),
        "reports_to": role.reports_to or "",
        "reports_to_known": role.reports_to is not None
        and isinstance(_record(repo, role.reports_to), Role),
        "accountable_for": [
            _target(repo, target) for target in dict.fromkeys(role.accountable_for)
        ],
        "owns": owns.get(role.id, []),
        "depth": 0,
        "children": [],
        "in_cycle": False,
    }


def _chart(
    repo: Repository, roles: _Roles, owns: dict[str, list[Context]]
) -> tuple[list[Context], list[Context]]:
    """The reporting tree (roots with nested children) and the same nodes in tree order.

    Top management comes first at each level, then by id. A role that reports to a
    role that does not exist is a root; roles that report to each other in a circle
    (AIMS608, only shown with --force) are roots too, marked, so none is lost.
    """

    def order(role: Role) -> tuple[bool, tuple[tuple[int, int | str], ...]]:
        return (not role.top_management, natural_key(role.id))

    below: dict[str, list[Role]] = {}
    roots: list[Role] = []
    for role in roles.roles:
        parent = role.reports_to
        if parent is not None and parent in roles.by_id and parent != role.id:
            below.setdefault(parent, []).append(role)
        else:
            roots.append(role)
    nodes = {role.id: _role_node(repo, role, owns) for role in roles.roles}
    flat: list[Context] = []
    seen: set[str] = set()

    def walk(top: Role) -> Context:
        # Depth first with a stack of its own, not recursion: a reporting line
        # may be thousands of roles long.
        stack: list[tuple[Role, int, Context | None]] = [(top, 0, None)]
        while stack:
            role, depth, parent = stack.pop()
            if role.id in seen:
                continue
            node = nodes[role.id]
            seen.add(role.id)
            node["depth"] = depth
            flat.append(node)
            if parent is not None:
                parent["children"].append(node)
            children = sorted(below.get(role.id, []), key=order)
            stack.extend((child, depth + 1, node) for child in reversed(children))
        return nodes[top.id]

    tree = [walk(role) for role in sorted(roots, key=order)]
    for role in sorted(roles.roles, key=order):
        if role.id not in seen:  # in a reporting circle: no root reaches it
            nodes[role.id]["in_cycle"] = True
            tree.append(walk(role))
    return tree, flat


def _ownership(repo: Repository, roles: _Roles) -> tuple[dict[str, list[Context]], list[Context]]:
    """What each role owns among the systems and risks, and every system and risk with
    its owner resolved to roles (empty roles: no Role names the owner)."""
    owns: dict[str, list[Context]] = {}
    rows: list[Context] = []
    owned: list[AISystem | Risk] = [
        *sorted(repo.of_kind(AISystem), key=lambda r: natural_key(r.id)),
        *sorted(repo.of_kind(Risk), key=lambda r: natural_key(r.id)),
    ]
    people: dict[str, Context] = {}  # an owner owns many records: resolved once
    for record in owned:
        if record.owner not in people:
            people[record.owner] = roles.person(record.owner)
        person = people[record.owner]
        item = {"id": record.id, "kind": record.kind, "title": record.title}
        for role in person["roles"]:
            owns.setdefault(role["id"], []).append(item)
        rows.append(item | {"owner": person})
    return owns, rows


def _accountability(repo: Repository, roles: _Roles) -> list[Context]:
    """Who is accountable for what: kinds first (in registry order), then records."""
    kinds = list(KINDS)
    rows = [
        _target(repo, target) | {"role": {"id": role.id, "title": role.title}}
        for role in roles.roles
        for target in dict.fromkeys(role.accountable_for)
    ]

    def key(row: Context) -> tuple[int, int, tuple[tuple[int, int | str], ...], str]:
        if row["is_kind"]:
            return (0, kinds.index(row["id"]), (), row["role"]["id"])
        return (1, 0, natural_key(row["id"]), row["role"]["id"])

    return sorted(rows, key=key)


# --- objectives ---------------------------------------------------------------------


def _objectives(repo: Repository, roles: _Roles) -> list[Context]:
    rows: list[Context] = []
    for objective in sorted(repo.of_kind(Objective), key=lambda o: (o.due, natural_key(o.id))):
        progress = sorted(objective.progress, key=lambda p: p.on)
        latest = latest_progress(repo, objective)
        overdue = objective.status not in SETTLED and objective.due < repo.as_of
        rows.append(
            {
                "id": objective.id,
                "anchor": html_id("o", objective.id),
                "title": objective.title,
                "owner": roles.person(objective.owner),
                "measure": objective.measure,
                "target": _value(objective.target),
                "due": objective.due.isoformat(),
                "status": objective.status,
                "settled": objective.status in SETTLED,
                "overdue": overdue,
                "days_overdue": (repo.as_of - objective.due).days if overdue else 0,
                "systems": list(dict.fromkeys(objective.systems)),
                "progress": [
                    {"on": p.on.isoformat(), "value": _value(p.value), "note": p.note or ""}
                    for p in progress
                ],
                "latest": None
                if latest is None
                else {"on": latest.on.isoformat(), "value": _value(latest.value)},
                # Achieved with nothing to show it (AIMS623): why, or empty.
                "achievement_not_shown": achievement_not_shown(repo, objective) or "",
            }
        )
    return rows


# --- the audit programme ------------------------------------------------------------


def audit_year(audit: InternalAudit) -> int:
    """The year an audit belongs to in the programme: when it was performed, else planned."""
    return (audit.performed.from_ if audit.performed is not None else audit.planned).year


def _done(audit: InternalAudit, as_of: date) -> bool:
    return (
        audit.status == "completed" and audit.performed is not None and audit.performed.to <= as_of
    )


def _scope_item(repo: Repository, item: str) -> Context:
    title = requirement_title(item)
    if not title:
        entry = repo.entries.get(item)
        title = entry.record.title if entry is not None else ""
    return {"id": item, "title": title}


def _audit(repo: Repository, audit: InternalAudit, base: str | None) -> Context:
    counts = {kind: 0 for kind in FINDING_TYPES}
    for found in audit.findings:
        counts[found.type] += 1
    performed = audit.performed
    return {
        "id": audit.id,
        "anchor": html_id("a", audit.id),
        "title": audit.title,
        "status": audit.status,
        "done": _done(audit, repo.as_of),
        # Still holding a placeholder (AIMS107), it records no audit done: not counted.
        "unwritten": still_unwritten(repo, audit),
        "year": audit_year(audit),
        "planned": audit.planned.isoformat(),
        "performed": None
        if performed is None
        else {
            "from": performed.from_.isoformat(),
            "to": performed.to.isoformat(),
            # Ending after the as-of date (AIMS508): not carried out yet, whatever its status.
            "ahead": performed.to > repo.as_of,
        },
        "scope": [_scope_item(repo, item) for item in audit.scope],
        "auditor": audit.auditor,
        "independent": audit.independent,
        "findings": [
            {
                "id": found.id,
                "type": found.type,
                "nonconformity_type": found.type in NONCONFORMITY_TYPES,
                "reference": found.reference or "",
                "reference_title": requirement_title(found.reference) if found.reference else "",
                "description": found.description,
                "nonconformity": found.nonconformity or "",
                "nonconformity_known": found.nonconformity is not None
                and isinstance(_record(repo, found.nonconformity), Nonconformity),
                # A nonconformity named that was raised before the audit or from another
                # source was not raised for this finding (AIMS615): why, or empty.
                "nonconformity_not_raised": _raised_otherwise(repo, audit, found),
            }
            for found in audit.findings
        ],
        # The finding types found, with how many of each ("1 minor nonconformity").
        "counts": [
            {
                "type": kind,
                "count": counts[kind],
                "text": plural(counts[kind], *FINDING_WORDS[kind]),
            }
            for kind in FINDING_TYPES
            if counts[kind]
        ],
        "report": reference(repo, audit.report, base) if audit.report else None,
    }


def _clause_parts(clause: str, cited: set[str]) -> tuple[bool, list[str]]:
    """Whether the cited scopes cover ``clause`` in full (itself, a parent, or all of its
    sub-clauses), and the cited items that cover a part of it when they do not."""
    if any(covers(c, clause) for c in cited):
        return True, []
    parts = sub_clauses(clause)
    if parts and all(_clause_parts(part, cited)[0] for part in parts):
        return True, []
    within = sorted((c for c in cited if c.startswith(clause + ".")), key=natural_key)
    return False, within


def _area_parts(area_id: str, controls: list[str], cited: set[str]) -> tuple[bool, list[str]]:
    """Whether the cited scopes cover every control of an area that applies (the area,
    an objective or each control), and the cited items within the area when not."""
    if any(covers(c, area_id) for c in cited):
        return True, []
    if controls and all(any(covers(c, control) for c in cited) for control in controls):
        return True, []
    within = sorted((c for c in cited if c.startswith(area_id + ".")), key=natural_key)
    return False, within


def _cell(
    check: Check,
    done: list[InternalAudit],
    planned: list[InternalAudit],
) -> Context:
    """One cell of the grid: covered by a completed audit, partly, only planned, or not."""

    def touching(audits: Iterable[InternalAudit]) -> list[str]:
        return [a.id for a in audits if _touches(check, set(a.scope))]

    cited = {item for audit in done for item in audit.scope}
    full, parts = check(cited)
    state = COVERED if full else PARTLY if parts else NOT_AUDITED
    by = touching(done)
    ahead = touching(planned)
    if state == NOT_AUDITED and ahead:
        state = PLANNED
    return {
        "state": state,
        "css": state.replace(" ", "-"),
        "symbol": COVERAGE_SYMBOLS[state],
        "audits": by,
        "parts": parts if state == PARTLY else [],
        "planned": ahead,
    }


def _touches(check: Check, cited: set[str]) -> bool:
    full, parts = check(cited)
    return full or bool(parts)


def _coverage(repo: Repository, audits: list[InternalAudit]) -> Context:
    """Clauses 4 to 10 and the Annex A areas, by calendar year over the last three, and
    over the programme AIMS614 judges: the audits that ended in the three years up to
    the as-of date, those under way and those planned in time (not for a date passed,
    nor beyond the next interval, which cover nothing anywhere). An Annex A area is
    judged on its controls that a Control record makes applicable or leaves undecided (a
    placeholder), as AIMS614 does, and those no valid Control record decides (missing,
    AIMS202, or failing validation), which only `report --force` renders: nobody decided
    they do not apply."""
    last = repo.as_of.year
    since = programme_since(repo)
    # No column for a year before the AIMS started: nothing could be audited then.
    years = [year for year in range(last - PROGRAMME_YEARS + 1, last + 1) if year >= since.year]
    recorded = {c.id: c for c in repo.of_kind(Control) if c.is_annex_a}
    applicable = {
        control_id
        for control_id in annex_a()
        if control_id not in recorded or to_audit(recorded[control_id])
    }

    def split(chosen: list[InternalAudit]) -> tuple[list[InternalAudit], list[InternalAudit]]:
        # An audit still holding a placeholder covers nothing, done or planned, and nor
        # does a plan whose date has passed or that lies beyond the next interval (AIMS614).
        chosen = [
            a for a in chosen if not still_unwritten(repo, a) and plan_not_counted(repo, a) is None
        ]
        return (
            [a for a in chosen if _done(a, repo.as_of)],
            [a for a in chosen if not _done(a, repo.as_of)],
        )

    columns = [split([a for a in audits if audit_year(a) == year]) for year in years]
    programme = split(
        [a for a in audits if (a.performed.to if a.performed else a.planned) >= since]
    )
    checks: list[tuple[str, str, str, Check | None]] = [
        ("clause", clause, CLAUSES[clause], partial(_clause_parts, clause))
        for clause in TOP_CLAUSES
    ]
    for area in annex_a_areas():
        applying = [c.id for c in area.controls if c.id in applicable]
        area_check: Check | None = partial(_area_parts, area.id, applying) if applying else None
        checks.append(("annex-a", area.id, area.title, area_check))
    rows: list[Context] = []
    gaps: list[str] = []
    pending: list[str] = []
    for group, requirement, title, check in checks:
        if check is None:
            cells = [_not_applicable() for _ in range(len(years) + 1)]
        else:
            cells = [_cell(check, done, planned) for done, planned in [*columns, programme]]
            if cells[-1]["state"] != COVERED:
                done, planned = programme
                cited = {item for audit in [*done, *planned] for item in audit.scope}
                (pending if check(cited)[0] else gaps).append(requirement)
        rows.append(
            {
                "group": group,
                "id": requirement,
                "title": title,
                "years": cells[:-1],
                "programme": cells[-1],
            }
        )
    return {
        "years": years,
        "since": since.isoformat(),
        "rows": rows,
        "states": [
            {"state": s, "css": s.replace(" ", "-"), "symbol": COVERAGE_SYMBOLS[s]}
            for s in COVERAGE_STATES
        ],
        # Not covered even once the planned audits are done (AIMS614's finding), and
        # covered only once they are.
        "gaps": gaps,
        "pending": pending,
    }


def _not_applicable() -> Context:
    return {
        "state": NOT_APPLICABLE,
        "css": NOT_APPLICABLE.replace(" ", "-"),
        "symbol": COVERAGE_SYMBOLS[NOT_APPLICABLE],
        "audits": [],
        "parts": [],
        "planned": [],
    }


def _programme(repo: Repository, base: str | None) -> tuple[list[Context], Context]:
    audits = sorted(repo.of_kind(InternalAudit), key=lambda a: (a.planned, natural_key(a.id)))
    by_year: dict[int, list[Context]] = {}
    for audit in audits:
        by_year.setdefault(audit_year(audit), []).append(_audit(repo, audit, base))
    years = [{"year": year, "audits": by_year[year]} for year in sorted(by_year)]
    return years, _coverage(repo, audits)


# --- management reviews and actions -------------------------------------------------


def _action(action: Action, roles: _Roles, as_of: date) -> Context:
    done = action.done
    finished = action_done(action, as_of)  # a done date ahead has not happened yet
    overdue = not finished and action.due < as_of
    return {
        "description": action.description,
        "owner": roles.person(action.owner),
        "due": action.due.isoformat(),
        "done": _iso(done),
        "ahead": done is not None and not finished,
        "state": "done" if finished else "overdue" if overdue else "open",
        "late": finished and done is not None and done > action.due,
        "days_overdue": (as_of - action.due).days if overdue else 0,
    }


def _reviews(repo: Repository, roles: _Roles, base: str | None) -> list[Context]:
    rows: list[Context] = []
    for review in sorted(
        repo.of_kind(ManagementReview), key=lambda r: (r.held, natural_key(r.id)), reverse=True
    ):
        missing = missing_inputs(repo, review)
        rows.append(
            {
                "id": review.id,
                "anchor": html_id("mr", review.id),
                "title": review.title,
                "held": review.held.isoformat(),
                "ahead": review.held > repo.as_of,  # not held yet (AIMS508)
                # Still holding a placeholder (AIMS107): no review held, not counted.
                "unwritten": still_unwritten(repo, review),
                # Why a review held does not count (a placeholder, a chair outside top
                # management: AIMS606), in the words `due` and the cadence rules use.
                "not_counted": None
                if review.held > repo.as_of
                else review_not_counted(repo, review),
                "chair": roles.signer(review.chair),
                "attendees": [roles.person(name) for name in review.attendees],
                # Each input present, missing, or not asked (previous-actions of a first
                # review: AIMS618 asks it of none), as AIMS618 and readiness judge it.
                "inputs": [
                    {
                        "name": name,
                        "words": INPUT_WORDS[name],
                        "state": "present"
                        if name in review.inputs
                        else "missing"
                        if name in missing
                        else "not asked",
                    }
                    for name in REVIEW_INPUTS
                ],
                "inputs_present": sum(1 for name in REVIEW_INPUTS if name in review.inputs),
                "inputs_missing": missing,
                "decisions": list(review.decisions),
                "actions": [_action(action, roles, repo.as_of) for action in review.actions],
                "minutes": reference(repo, review.minutes, base) if review.minutes else None,
            }
        )
    return rows


# --- nonconformities ----------------------------------------------------------------


def _raised_otherwise(repo: Repository, audit: InternalAudit, finding: AuditFinding) -> str:
    """What shows the nonconformity a nonconformity finding names was not raised for
    it (AIMS615: raised before the audit began, or from another source), or empty."""
    item = _record(repo, finding.nonconformity) if finding.nonconformity else None
    if finding.type not in NONCONFORMITY_TYPES or not isinstance(item, Nonconformity):
        return ""
    return raised_otherwise(audit, item) or ""


def _found_by(repo: Repository) -> dict[str, list[Context]]:
    """The audit findings that name each nonconformity, but for those it was not
    raised for (AIMS615)."""
    found: dict[str, list[Context]] = {}
    for audit in repo.of_kind(InternalAudit):
        for finding in audit.findings:
            if finding.nonconformity and not _raised_otherwise(repo, audit, finding):
                found.setdefault(finding.nonconformity, []).append(
                    {"audit": audit.id, "finding": finding.id, "type": finding.type}
                )
    return found


def _nonconformities(repo: Repository, roles: _Roles) -> list[Context]:
    found_by = _found_by(repo)
    rows: list[Context] = []
    items = sorted(repo.of_kind(Nonconformity), key=lambda n: (n.raised, natural_key(n.id)))
    for item in items:
        closed = item.status == "closed"
        # Raised after the as-of date (AIMS508): not yet raised, so neither open nor aged.
        ahead = item.raised > repo.as_of
        review = item.effectiveness
        problem = closure_problem(item, repo.as_of) if closed else None
        actions = [_action(action, roles, repo.as_of) for action in item.actions]
        rows.append(
            {
                "id": item.id,
                "anchor": html_id("nc", item.id),
                "title": item.title,
                "description": item.description or "",
                "raised": item.raised.isoformat(),
                "source": item.source,
                "reference": item.reference or "",
                "reference_title": requirement_title(item.reference) if item.reference else "",
                "owner": roles.person(item.owner),
                "status": item.status,
                # A closure that does not stand (AIMS621) leaves it open in the counts.
                "open": (not closed or problem is not None) and not ahead,
                "ahead": ahead,
                # Ageing: days open as of the as-of date; a closed one, how long it took to
                # its effectiveness review.
                "days_open": (repo.as_of - item.raised).days
                if (not closed or problem is not None) and not ahead
                else None,
                # ... only for a closure that stands (AIMS621): a review dated before the
                # nonconformity, or after the as-of date, closed nothing.
                "days_to_close": (review.on - item.raised).days
                if closed and review is not None and problem is None
                else None,
                "closure_problem": problem or "",
                "correction": item.correction or "",
                "root_cause": item.root_cause or "",
                "actions": actions,
                "actions_overdue": sum(1 for a in actions if a["state"] == "overdue"),
                "effectiveness": None
                if review is None
                else {
                    "on": review.on.isoformat(),
                    "by": review.by,
                    "effective": review.effective,
                    "note": review.note or "",
                    # Found effective by the as-of date, yet open or with action
                    # planned again (reopened): the verdict no longer speaks for it. One
                    # verifying is on its way to closure: its review may well stand.
                    "outdated": review.effective
                    and review.on <= repo.as_of
                    and item.status in ("open", "action-planned"),
                },
                "found_by": found_by.get(item.id, []),
            }
        )
    return rows


# --- the report ---------------------------------------------------------------------


def _due(item: DueItem) -> Context:
    """An item of `aimsctl due`, in its own words and date."""
    return {
        "what": item.what,
        "due": item.due.isoformat(),
        "overdue": item.overdue,
        "days_overdue": -item.days if item.overdue else 0,
    }


def _standing(repo: Repository) -> Context:
    """Where the management system stands: the policy in force, the last audit and
    review, and what `aimsctl due` lists of them (the policy's review or the approval
    owed, the next or first audit and review), so the summary calls overdue exactly
    what `due` does, with its dates and words."""
    cadence = repo.config.cadence
    approved = [
        (p.approval.on, p.id, p)
        for p in repo.of_kind(Policy)
        if p.status == "approved" and p.approval is not None and p.approval.on <= repo.as_of
    ]
    in_force = max(approved, key=lambda a: (a[0], a[1]), default=None)
    audit = last_completed_audit(repo)
    review = last_review(repo)
    items = management_due(repo)
    # One item each, the first or the next, whichever record it is counted from.
    by_uid = {item.uid: item for item in items}
    audit_due = by_uid.get(next_of(InternalAudit))
    review_due = by_uid.get(next_of(ManagementReview))
    # The policy in force's review; with none in force, each approval owed.
    policy_due = [
        _due(item)
        for item in items
        if item.kind == Policy.KIND and (in_force is None or item.record == in_force[1])
    ]
    return {
        "policy": None
        if in_force is None
        else {
            "id": in_force[2].id,
            "version": in_force[2].version,
            "approved": in_force[0].isoformat(),
        },
        "policy_due": policy_due,
        "audit": None
        if audit is None or audit.performed is None
        else {
            "id": audit.id,
            "ended": audit.performed.to.isoformat(),
            "next_due": _iso(audit_due.due if audit_due else None),
            "overdue": bool(audit_due and audit_due.overdue),
        },
        "audit_due": _due(audit_due) if audit_due else None,
        "review": None
        if review is None
        else {
            "id": review.id,
            "held": review.held.isoformat(),
            "next_due": _iso(review_due.due if review_due else None),
            "overdue": bool(review_due and review_due.overdue),
        },
        "review_due": _due(review_due) if review_due else None,
        # Whether reviews were held that do not count (the due item says why), so the
        # summary says "none that counts" rather than "none held".
        "reviews_not_counted": any(
            r.held <= repo.as_of and review_not_counted(repo, r) is not None
            for r in repo.of_kind(ManagementReview)
        ),
        "cadence": {
            "internal_audit_days": cadence.internal_audit_days,
            "management_review_days": cadence.management_review_days,
            "policy_review_days": cadence.policy_review_days,
        },
    }


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    roles = _Roles(repo)
    owns, owners = _ownership(repo, roles)
    tree, chart = _chart(repo, roles, owns)
    objectives = _objectives(repo, roles)
    years, coverage = _programme(repo, base)
    reviews = _reviews(repo, roles, base)
    nonconformities = _nonconformities(repo, roles)
    audits = [audit for year in years for audit in year["audits"]]
    # Counted as the summary and readiness count them (last_completed_audit, last_review).
    done = [a for a in audits if a["done"] and not a["unwritten"]]
    open_items = [n for n in nonconformities if n["open"]]
    oldest_open = max((n["days_open"] for n in open_items), default=None)
    actions = [a for r in reviews for a in r["actions"]] + [
        a for n in nonconformities for a in n["actions"]
    ]
    counts = [
        {"name": "roles", "count": len(chart)},
        {"name": "roles in top management", "count": sum(1 for r in chart if r["top_management"])},
        {"name": "objectives overdue", "count": sum(1 for o in objectives if o["overdue"])},
        {"name": "internal audits completed", "count": len(done)},
        {
            "name": "audit findings that are nonconformities",
            # Only an audit carried out by the as-of date has found anything yet.
            "count": sum(1 for a in done for f in a["findings"] if f["nonconformity_type"]),
        },
        {
            "name": "management reviews held",
            "count": sum(1 for r in reviews if not r["ahead"] and not r["not_counted"]),
        },
        # One closed on a closure that does not stand (AIMS621) is still open: its row
        # in the log says "closed, closure not accepted".
        {"name": "nonconformities open", "count": len(open_items)},
        {"name": "actions overdue", "count": sum(1 for a in actions if a["state"] == "overdue")},
    ]
    return {
        "standing": _standing(repo),
        "counts": counts,
        "policies": _policies(repo, roles, base),
        "roles_recorded": bool(roles.roles),
        "tree": tree,
        "chart": chart,
        "accountability": _accountability(repo, roles),
        "owners": owners,
        "objectives": objectives,
        "audit_years": years,
        "coverage": coverage,
        "reviews": reviews,
        "nonconformities": nonconformities,
        "oldest_open": oldest_open,
        # Which are that old, in the log's order: several may share the age.
        "oldest_open_ncs": [
            {"id": n["id"], "anchor": n["anchor"]}
            for n in open_items
            if n["days_open"] == oldest_open
        ],
    }
