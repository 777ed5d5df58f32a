"""AIMS622: `established` in aims.yaml no later than the records show the
management system at work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.rules.management.state import records_start
from aimsctl.rules.registry import Finding, rule

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
