"""AIMS601-AIMS604: the AI policy: one approved, reviewed on time, making the
three commitments of clause 5.2; a status its fields bear out (a policy's approval, an
audit's dates)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, get_args

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import InternalAudit, Policy
from aimsctl.records.policy import Commitment
from aimsctl.rules.management.state import (
    NOT_JUDGED,
    has_invalid,
    judged,
    not_judged,
    noted,
    policy_approved,
    policy_in_force,
    policy_next_review,
    policy_owed,
)
from aimsctl.rules.placeholders import unwritten_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import plural, words

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING

COMMITMENTS: tuple[str, ...] = get_args(Commitment)


@rule(
    codes.AI_POLICY_MISSING,
    E,
    summary="The repository keeps its management system in records (a record of one of "
    "its kinds, or `established` or `cadence` in aims.yaml), and no Policy is approved: "
    "there is none, or each is a draft, retired, approved only after the as-of date, or "
    f"still holds a `TODO:` placeholder ({codes.PLACEHOLDER}: the starter's text is no policy "
    "anyone approved). Before `established` the policy is not yet due, unless the records show "
    f"the AIMS at work earlier ({codes.ESTABLISHED_AFTER_RECORDS}) or AI in use (a system in "
    "production or retired, an incident): that is governed by a management system that has "
    "started, so the policy is owed now. While the management "
    f"system is being set up ({codes.AIMS_BEING_SET_UP}), a warning." + NOT_JUDGED,
    why="Clause 5.2 asks top management to establish an AI policy, and control A.2.2 to "
    "document it: it is the first decision of the management system, the frame every "
    "objective, role and control refers to. Without an approved policy nothing else in "
    "the AIMS has a mandate.",
    fix="Have top management approve the policy: `status: approved` and `approval: {by, "
    "on}`. While it is being written, keep it as a draft and leave `established` unset "
    "or in the future.",
    example="kind: Policy\nid: POL-AI\ntitle: AI policy\nowner: cro@acme.example\n"
    'status: draft\nversion: "0.3"',
)
def ai_policy_missing(repo: Repository) -> Iterator[Finding]:
    owed = policy_owed(repo)
    if owed is None or owed > repo.as_of:
        return
    policies = repo.of_kind(Policy)
    if has_invalid(repo, Policy.KIND):
        # It may be the approved policy: neither approved nor missing as far as we know.
        yield not_judged(repo, Policy.KIND, "approved", "no valid AI policy is approved")
        return
    # A record whose kind or id cannot be read may be the approved policy: said.
    if not policies:
        yield judged(
            repo,
            Policy.KIND,
            "approved",
            Finding(
                "no AI policy is recorded; add a Policy record approved by top management "
                f"(folder {Policy.FOLDER}/)"
            ),
        )
        return
    for policy in policies:
        if policy_approved(policy, repo.as_of):  # approved, but not written yet
            state = unwritten_note([policy.id], "approved")
        elif policy.status == "approved" and policy.approval is not None:
            state = f"{policy.id} is approved only on {policy.approval.on}"
        else:
            state = f"{policy.id} is {policy.status}"
        yield Finding(
            noted(repo, Policy.KIND, "approved", f"no AI policy is approved: {state}"),
            record=policy.id,
            parts=("status",),
        )


@rule(
    codes.AI_POLICY_REVIEW_OVERDUE,
    W,
    summary="An approved policy is past its review date: `next_review`, or its approval "
    "plus `cadence.policy_review_days` (365 by default). A policy that still holds a "
    f"`TODO:` placeholder is not approved ({codes.AI_POLICY_MISSING} says so).",
    why="Control A.2.4 asks for the AI policy to be reviewed at planned intervals, and "
    "whenever changes call for it, so that it stays suitable, adequate and effective "
    "(5.2). A policy nobody has looked at for longer than planned may no longer fit the "
    "systems, laws and risks it governs.",
    fix="Review the policy with top management; record the new approval (or a new "
    "version) and the next review date. Retire a policy another one replaced.",
    example="kind: Policy\nid: POL-AI\n...\nstatus: approved\n"
    "approval: {by: ceo@acme.example, on: 2025-06-01}\n# no next_review: due 2026-06-01",
)
def ai_policy_review_overdue(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        if not policy_in_force(policy, repo):  # not approved: AIMS601 says so
            continue
        due = policy_next_review(policy, repo)
        if due is None or due >= repo.as_of:
            continue
        if policy.next_review is not None:
            yield Finding(
                f"the policy's review was due on {due}", record=policy.id, parts=("next_review",)
            )
        else:
            assert policy.approval is not None
            days = repo.config.cadence.policy_review_days
            yield Finding(
                f"approved on {policy.approval.on} and not reviewed since; "
                f"cadence.policy_review_days is {days}, so its review was due on {due}",
                record=policy.id,
                parts=("approval", "on"),
            )


@rule(
    codes.AI_POLICY_COMMITMENT_MISSING,
    E,
    summary="An approved policy does not list all three `commitments`: `requirements`, "
    "`continual-improvement` and `objectives-framework`.",
    why="Clause 5.2 says what an AI policy must contain: a frame for setting AI "
    "objectives, a commitment to meet the requirements that apply, and a commitment to "
    "continually improve the management system. An auditor reads the policy for each; "
    "the record says where the text makes them.",
    fix="Make sure the policy text makes the commitment, then list it under "
    "`commitments:`. If the text lacks it, revise the policy and have it approved again.",
    example="kind: Policy\nid: POL-AI\n...\nstatus: approved\n"
    "commitments: [requirements, continual-improvement]",
)
def ai_policy_commitment_missing(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        if policy.status != "approved":
            continue
        missing = [c for c in COMMITMENTS if c not in policy.commitments]
        if missing:
            yield Finding(
                f"approved policy lacks the {plural(len(missing), 'commitment')} "
                f"{words(missing, 'and')}",
                record=policy.id,
                parts=("commitments",) if policy.commitments else ("status",),
                at_key=bool(policy.commitments),
            )


@rule(
    codes.STATUS_INCOMPLETE,
    E,
    summary="A record's status claims what its fields do not show: a Policy `approved` "
    "with no `approval` (who, when), an InternalAudit `completed` with no `performed` "
    "dates.",
    why="An approval of the AI policy by top management (5.2) and the performance of "
    "an internal audit (9.2) are facts the management system retains as documented "
    "information; a status alone says neither who approved nor when the audit took "
    "place, and the rules that time the next review or audit cannot count from it.",
    fix="Add `approval: {by, on}` to the policy or `performed: {from, to}` to the "
    "audit, or set the status back to `draft` or `in-progress`.",
    example="kind: InternalAudit\nid: AUD-2026\n...\nstatus: completed\n# no performed",
)
def status_incomplete(repo: Repository) -> Iterator[Finding]:
    for policy in repo.of_kind(Policy):
        if policy.status == "approved" and policy.approval is None:
            yield Finding(
                "policy is approved but does not record the approval (by, on)",
                record=policy.id,
                parts=("status",),
            )
    for audit in repo.of_kind(InternalAudit):
        if audit.status == "completed" and audit.performed is None:
            yield Finding(
                "audit is completed but does not record when it was performed (from, to)",
                record=audit.id,
                parts=("status",),
            )
