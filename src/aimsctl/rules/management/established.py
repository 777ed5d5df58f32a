"""AIMS622: `established` in aims.yaml no later than the records show the
management system at work; AIMS624: a management system still being set up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.rules.management.state import (
    ai_in_use,
    not_yet_started,
    policy_owed,
    records_start,
)
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import words

if TYPE_CHECKING:
    from aimsctl.repository import Repository

W = Severity.WARNING


@rule(
    codes.ESTABLISHED_AFTER_RECORDS,
    W,
    summary="`established` in aims.yaml is later than the first day the records show the "
    "AIMS at work: a policy approved, an internal audit begun or a management review held "
    "on or before the as-of date. aimsctl then counts the AIMS from the records' day, the "
    f"earlier one: the first audit ({codes.INTERNAL_AUDIT_OVERDUE}, "
    f"{codes.INTERNAL_AUDIT_UNPLANNED}) and review ({codes.MANAGEMENT_REVIEW_OVERDUE}, "
    f"{codes.MANAGEMENT_REVIEW_PENDING}) fall due a cadence after it, and the AI policy "
    f"({codes.AI_POLICY_MISSING}) is owed from it, in `validate`, `due`, `status` and the "
    "readiness report alike.",
    why="Clause 4.4 asks for the AI management system to be established and then kept "
    "running, and clauses 9.2 and 9.3 ask for internal audits and management reviews at "
    "planned intervals. The intervals count from the day the system started. A start "
    "written later than a policy approval, an audit or a review the records hold would "
    "put the first audit, the first review and the policy owed later than the records "
    "justify; an auditor reading those records dates the system from them.",
    fix="Set `established` to the day the AIMS started, no later than the record the "
    "message names; if that record's date is wrong, correct the record instead.",
    example="# aims.yaml: established: 2026-06-01\n"
    "kind: Policy\nid: POL-AI\n...\nstatus: approved\n"
    "approval: {by: ceo@acme.example, on: 2024-01-10}",
)
def established_after_records(repo: Repository) -> Iterator[Finding]:
    established = repo.config.established
    shown = records_start(repo)
    if established is None or shown is None or established <= shown[0]:
        return
    first, evidence = shown
    yield Finding(
        f"aims.yaml says established {established}, but {evidence}; the AIMS is counted "
        f"from {first}, the earlier day, so set `established` no later than that",
        parts=("established",),
    )


# What a management system being set up reports as warnings rather than errors: the
# decisions still to write (placeholders), the policy top management has not approved
# yet, and whether auditors are independent, not claimed yet. From the day it is
# established they are errors again (a setting in `rules:` decides over this).
_LOWERED = {
    codes.PLACEHOLDER: "placeholders",
    codes.AI_POLICY_MISSING: "the policy's approval",
    codes.AUDITOR_NOT_INDEPENDENT: "auditors' independence",
}
SET_UP_LATER = tuple(_LOWERED)


def set_up_later(repo: Repository, severity: str = "warning") -> str | None:
    """What a management system being set up lowers to warnings, in words ("placeholders
    (AIMS107) and ... are warnings"; with ``severity`` "error", what it no longer
    lowers): those of :data:`SET_UP_LATER` no setting of `rules:` decides; None for none.
    The policy's approval is left out until it is owed (:func:`policy_owed`: from an
    `established` day to come), as AIMS601 reports nothing before then."""
    owed = policy_owed(repo)
    waiting = owed is None or owed > repo.as_of
    lowered = [
        f"{what} ({code})"
        for code, what in _LOWERED.items()
        if code not in repo.config.rules and not (waiting and code == codes.AI_POLICY_MISSING)
    ]
    if not lowered:
        return None
    one = f"is {'an' if severity[0] in 'aeiou' else 'a'} {severity}"
    return f"{words(lowered, 'and')} {one if len(lowered) == 1 else f'are {severity}s'}"


@rule(
    codes.AIMS_BEING_SET_UP,
    W,
    summary="The management system is being set up: the repository keeps it in records "
    "(as `aimsctl init` writes them), but aims.yaml sets no `established` on or before the "
    "as-of date, no record shows it at work (a policy approved, an internal audit begun, "
    "a management review held) and none shows AI in use (a system in production or "
    "retired, an incident). Until then, "
    f"{codes.PLACEHOLDER} (placeholders), {codes.AI_POLICY_MISSING} (no approved policy) "
    f"and {codes.AUDITOR_NOT_INDEPENDENT} (an auditor's independence) are warnings, not "
    "errors, and no first internal audit or management review is due; the work of "
    "setting up (controls decided and put in place, risks accepted, assessments approved, "
    "monitors and evaluations prepared, systems evaluated before release) does not end "
    "it. Where AI is in use and `established` says nothing (or a day to come), the rule "
    "says that this is what made them errors. A "
    "setting of those codes in `rules:` decides over this.",
    why="Clause 4.4 asks for the AI management system to be established, implemented and "
    "kept running. Before top management establishes it there is a system under "
    "construction, with decisions still open (6.1.3, 5.2, 9.2), not yet one that fails "
    "to meet its own requirements. A repository just made with `aimsctl init` is in that "
    "state, and it validates with warnings only, as the list of what is left to decide. "
    "Nothing is credited meanwhile: a placeholder still counts as nothing done, and the "
    "readiness report shows every gap. AI put to use is governed by a management system "
    "that has started, whatever aims.yaml says.",
    fix="Once top management has established the AIMS, set `established` in aims.yaml "
    "to that day; approving the AI policy, beginning an internal audit or holding a "
    "management review also shows it at work, and so does a system put into production. "
    "Everything left to decide then becomes an error.",
    example="# aims.yaml: cadence: {...}, and no `established`\n"
    "kind: Policy\nid: POL-AI\n...\nstatus: draft",
)
def aims_being_set_up(repo: Repository) -> Iterator[Finding]:
    if not not_yet_started(repo):
        return
    established = repo.config.established
    if established is None:
        when = "aims.yaml sets no `established`"
    else:
        when = f"aims.yaml says it is established on {established}"
    at = ("established",) if established is not None else ()
    in_use = ai_in_use(repo)
    if in_use is not None:
        # No longer set up: said, so that the errors it brings have a reason.
        raised = set_up_later(repo, "error")
        if raised is not None:
            yield Finding(
                f"{when}, but {in_use.shown}: AI in use is governed by a management system "
                f"that has started, so {raised} now; set `established` to the day top "
                f"management established it, no later than {repo.as_of}",
                parts=at,
            )
        return
    lowered = set_up_later(repo)
    # A day to come already written is the plan: asking to set it would be no advice.
    if established is None:
        effect = f", so {lowered} until it is established" if lowered else ""
        advice = "; set `established` to the day top management establishes it"
    else:
        effect = f", so {lowered} until {established}" if lowered else ""
        advice = ""
    yield Finding(
        f"the AI management system is being set up: {when}, and no record shows it at "
        f"work or AI in use yet{effect}{advice}",
        parts=at,
    )
