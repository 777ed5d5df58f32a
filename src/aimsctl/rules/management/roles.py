"""AIMS605-AIMS608: roles: top management named, approvals and review chairs
from it, owners that are roles, reporting lines that end."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import ManagementReview, Policy, Role, Waiver
from aimsctl.rules.management.state import (
    UNREAD_NAMED,
    not_top_management_because,
    noted,
    outside_top_management,
    top_management,
    unjudged_note,
    vacant_top_management_named,
)
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import name_key, natural_key, plural
from aimsctl.validation_messages import did_you_mean
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING


@rule(
    codes.NO_TOP_MANAGEMENT_ROLE,
    E,
    summary="Roles are recorded, but none has `top_management: true`." + UNREAD_NAMED,
    why="Clause 5.1 asks top management to lead the AI management system and 5.3 to "
    "assign its responsibilities and authorities. Once roles are recorded, the records "
    "must say who top management is: they approve the policy and chair the management "
    "review.",
    fix="Set `top_management: true` on the roles of the people who direct the "
    "organization at the highest level (the chief executive, the executive committee).",
    example="kind: Role\nid: ceo\ntitle: Chief executive\nholder: ceo@acme.example\n"
    "responsibilities: [Sets the AI policy]\n# top_management not set",
)
def no_top_management_role(repo: Repository) -> Iterator[Finding]:
    roles = repo.of_kind(Role)
    if roles and not top_management(repo):
        # A role that failed validation, or a record whose kind or id cannot be read,
        # may be the top-management one: said, not judged.
        yield Finding(
            noted(
                repo,
                Role.KIND,
                "marked top management",
                f"none of the {plural(len(roles), 'role')} is top management; set "
                "`top_management: true` on the roles that direct the organization",
            ),
            record=roles[0].id,
        )


@rule(
    codes.NOT_TOP_MANAGEMENT,
    W,
    summary="Where a Role is marked top management, a policy's approver "
    "(`approval.by`) or a management review's `chair` names none of such a Role's id, "
    "holder or title (letter case, spacing and look-alike letters aside), or names only "
    "such a Role that nobody holds (its holder a placeholder or `vacant`). One still a "
    f"`TODO:` placeholder is reported as one ({codes.PLACEHOLDER}). Readiness counts "
    "such a policy or review as evidence of nothing, and the review cadence counts such a "
    f"review as not held ({codes.MANAGEMENT_REVIEW_OVERDUE}); turning this rule off or "
    "waiving it changes neither.",
    why="Clause 5.2 gives the AI policy to top management, and 9.3 the management review: "
    "both are how the leadership of 5.1 shows. An approval or a chair outside top "
    "management is a delegation an auditor will question, or a role not yet recorded.",
    fix="Name a top-management role (its id or its holder), or record the person's role "
    "with `top_management: true` if they are top management.",
    example="kind: ManagementReview\nid: MR-2026\n...\nchair: ai-lead@acme.example   "
    "# not top management",
)
def not_top_management(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        approval = policy.approval
        if policy.status == "approved" and approval and outside_top_management(repo, approval.by):
            yield Finding(
                f"the policy was approved by {approval.by!r}, {_who_not(repo, approval.by)}",
                record=policy.id,
                parts=("approval", "by"),
            )
    for review in repo.of_kind(ManagementReview):
        if outside_top_management(repo, review.chair):
            yield Finding(
                f"the review was chaired by {review.chair!r}, {_who_not(repo, review.chair)}",
                record=review.id,
                parts=("chair",),
            )


def _who_not(repo: Repository, name: str) -> str:
    """Why ``name`` is not top management: it names only a vacant top-management role,
    or no top-management role at all."""
    if vacant_top_management_named(repo, name):
        return f"{not_top_management_because(repo, name)}; name the person who holds it"
    return "who is not top management (no Role with top_management: true names them)"


def owners_of(
    value: object, parts: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every `owner` in a record: its own, a treatment's, each action's."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            if name == "owner" and isinstance(item, str):
                yield (*parts, name), item
            else:
                yield from owners_of(item, (*parts, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from owners_of(item, (*parts, index))


def _by_domain(known: list[str]) -> dict[str, dict[str, str]]:
    """The names in ``known`` that hold an @, by their domain, each under the part
    before the @ in any letter case."""
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for name in known:
        local, at, domain = name.partition("@")
        if at:
            grouped[domain][local.casefold()] = name
    return grouped


def _owner_hint(owner: str, known: list[str], by_domain: dict[str, dict[str, str]]) -> str:
    """ "Did you mean" for an owner. Addresses at the same domain are compared by the
    part before the @, or the shared domain would make any two of them look alike."""
    local, at, domain = owner.partition("@")
    same = by_domain.get(domain, {}) if at else {}
    if not same:
        return did_you_mean(owner, known)
    import difflib  # here: only a run with a misspelt owner needs it

    close = difflib.get_close_matches(local.casefold(), list(same), n=1, cutoff=0.6)
    return f"; did you mean {same[close[0]]!r}?" if close else ""


@rule(
    codes.OWNER_NOT_A_ROLE,
    W,
    summary="Where Roles are recorded, an owner (a record's `owner`, a treatment's, a "
    "corrective or review action's), or the approver of a waiver (`approved_by`: a "
    "waiver sets a rule aside, as an acceptance sets a risk), is neither a Role id nor "
    "the `holder` of a Role. A name still a `TODO:` placeholder is reported as one "
    f"({codes.PLACEHOLDER}), not here; one naming a Role that fails validation is not reported, "
    "and a finding names the Roles that fail validation, whose holder cannot be read.",
    why="Clause 5.3 and control A.3.2 ask that responsibilities are assigned to roles "
    "and the roles communicated. An owner nobody can find among the roles is a "
    "responsibility outside the structure: it may be a typo, a person who left, or a "
    "role that was never recorded.",
    fix="Write the Role id or the holder exactly as the Role records it, or add the "
    "missing Role. The message suggests the closest name.",
    example="kind: Risk\nid: R-3\n...\nowner: head-of-dta-science@acme.example   "
    "# the Role's holder is head-of-data-science@acme.example",
)
def owner_not_a_role(repo: Repository) -> Iterator[Finding]:
    roles = repo.of_kind(Role)
    if not roles:
        return
    known = sorted({name for role in roles for name in (role.id, role.holder)})
    names = {name_key(name) for name in known}
    by_domain = _by_domain(known)
    # One "did you mean" per owner: 4,000 risks owned by names that are not roles, with
    # 400 roles, compared each owner with every role again (validate: 17 s, not 3).
    hints: dict[str, str] = {}
    # A Role that fails validation is a Role still: an owner naming its id is one, and
    # any other owner may be its holder, which cannot be read (said, not judged).
    invalid_roles = {rid for rid, kind in repo.invalid.items() if kind == Role.KIND}
    unjudged = unjudged_note(repo, Role.KIND, "whose holder it is")
    for record_id, entry in repo.entries.items():
        named = list(owners_of(entry.record))
        if isinstance(entry.record, Waiver):
            named.append((("approved_by",), entry.record.approved_by))
        for parts, owner in named:
            if owner in invalid_roles:
                continue
            # a placeholder is reported as such (AIMS107), not as a name to look up
            if name_key(owner) not in names and not is_placeholder(owner):
                if owner not in hints:
                    hint = _owner_hint(owner, known, by_domain)
                    hints[owner] = f"{hint}; {unjudged}" if unjudged else hint
                who = "approver" if parts == ("approved_by",) else "owner"
                yield Finding(
                    f"{who} {owner!r} is neither a Role id nor the holder of a Role{hints[owner]}",
                    record=record_id,
                    parts=parts,
                )


@rule(
    codes.REPORTING_CYCLE,
    E,
    summary="Roles report to each other in a circle: following `reports_to` from a role "
    "leads back to it. The cycle is reported once, naming its roles.",
    why="Clause 5.3 asks for responsibilities and authorities to be assigned, including "
    "for reporting on the performance of the management system to top management. A "
    "circle of reporting never reaches top management, so accountability has no top.",
    fix="Break the circle: the role at the top of a line reports to nobody (leave "
    "`reports_to` out) or to top management.",
    example="kind: Role\nid: cro\nreports_to: ceo\n---\nkind: Role\nid: ceo\nreports_to: cro",
)
def reporting_cycle(repo: Repository) -> Iterator[Finding]:
    parent = {role.id: role.reports_to for role in repo.of_kind(Role)}
    seen: set[str] = set()
    for start in sorted(parent, key=natural_key):
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parent and current not in seen:
            if current in path:
                cycle = path[path.index(current) :]
                first = min(cycle, key=natural_key)
                shown = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
                yield Finding(
                    f"roles report to each other in a circle: {' -> '.join([*shown, first])}",
                    record=first,
                    parts=("reports_to",),
                )
                break
            path.append(current)
            current = parent[current]
        seen.update(path)
