"""AIMS616-AIMS618: management reviews: held on time, the first on its way, and
every input of clause 9.3 considered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, get_args

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.records import ManagementReview
from aimsctl.records.review import ReviewInput
from aimsctl.rules.management.state import (
    NOT_JUDGED,
    aims_start,
    aside,
    at_left_out,
    first_due,
    judged,
    keeps_management_system,
    last_review,
    left_out,
    not_counted,
    unjudged_note,
)
from aimsctl.rules.registry import Finding, rule
from aimsctl.text import natural_key, words

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR
W = Severity.WARNING

REVIEW_INPUTS: tuple[str, ...] = get_args(ReviewInput)
PREVIOUS_ACTIONS = "previous-actions"  # the status of actions from earlier reviews


def missing_inputs(repo: Repository, review: ManagementReview) -> list[str]:
    """The inputs of 9.3.2 ``review`` does not list, in the clause's order: what
    AIMS618 reports, and what readiness and the management report show missing. The
    first review has no earlier review's actions to follow up: previous-actions is
    asked of it only where a review was held before it, or where a review that fails
    validation (or a record whose kind or id cannot be read) may have been. Any review
    held before it counts here, even one the cadence rules do not count as held (it
    still holds a placeholder, or top management did not chair it: see
    ``review_not_counted``): the actions it recorded are there to follow up, so the
    conservative reading asks for their status."""
    place = (review.held, natural_key(review.id))  # of two held on one day, by id
    first = not unjudged_note(repo, ManagementReview.KIND, "held earlier") and not any(
        (other.held, natural_key(other.id)) < place for other in repo.of_kind(ManagementReview)
    )
    return [
        item
        for item in REVIEW_INPUTS
        if item not in review.inputs and not (first and item == PREVIOUS_ACTIONS)
    ]


def _counting(repo: Repository) -> str:
    """ " that counts" where a review held was left out (the finding's aside says why):
    the sentence is then about the reviews that count, not every review held."""
    return " that counts" if left_out(repo, ManagementReview) else ""


@rule(
    codes.MANAGEMENT_REVIEW_OVERDUE,
    E,
    summary="No management review was held within `cadence.management_review_days` (365 "
    "by default): the last one was held longer ago, or there has been none and the AIMS "
    f"is older than that period (counted as for {codes.INTERNAL_AUDIT_OVERDUE}). A review "
    f"that still holds a `TODO:` placeholder ({codes.PLACEHOLDER}), or whose `chair` is "
    f"outside top management ({codes.NOT_TOP_MANAGEMENT}), is not counted as held, and the "
    "finding names it; where such a review is the reason, the finding is at it, not at "
    "aims.yaml." + NOT_JUDGED,
    why="Clause 9.3 asks top management to review the AI management system at planned "
    "intervals, to make sure it stays suitable, adequate and effective. Once the AIMS "
    "is older than one interval, a missing review means top management has not looked "
    "at its own system, an external auditor's first question. A review top management "
    "did not chair is not that review (readiness counts it as evidence of nothing for "
    "9.3 either), however well it was prepared.",
    fix="Hold the review and record it as a ManagementReview with its date, chair, "
    "inputs, decisions and actions.",
    example="kind: ManagementReview\nid: MR-2025\n...\nheld: 2025-10-02   # as of 2026-11-26",
)
def management_review_overdue(repo: Repository) -> Iterator[Finding]:
    days = repo.config.cadence.management_review_days
    last = last_review(repo)
    # A review that failed validation, or a record whose kind or id cannot be read, may
    # be the review held: `judged` says so.
    if last is not None:
        due = add_days(last.held, days)
        if due < repo.as_of:
            message = (
                f"the last management review{_counting(repo)} was held on {last.held}; "
                f"cadence.management_review_days is {days}, so the next was due on {due}"
                + aside(not_counted(repo, ManagementReview))
            )
            found = Finding(message, record=last.id, parts=("held",))
            yield judged(repo, ManagementReview.KIND, "held", found)
        return
    first = first_due(repo, ManagementReview, days, with_invalid=True)
    if first is not None and first[1] < repo.as_of:
        start, due = first
        message = (
            f"no management review has been held{_counting(repo)}; "
            f"{start.basis}, so the first was due on {due}"
            + aside(not_counted(repo, ManagementReview))
        )
        found = at_left_out(repo, ManagementReview, Finding(message))
        yield judged(repo, ManagementReview.KIND, "held", found)


@rule(
    codes.MANAGEMENT_REVIEW_PENDING,
    W,
    summary="No management review has been held yet (one that still holds a `TODO:` "
    f"placeholder, or is chaired outside top management ({codes.NOT_TOP_MANAGEMENT}), is not "
    "counted, and the finding is at it), and the AIMS is younger than "
    "`cadence.management_review_days`, or its start is unknown." + NOT_JUDGED,
    why="Clause 9.3 asks top management to review the management system at planned "
    "intervals. A young AIMS need not have held its first review, but it is on its way "
    "to falling due; the warning gives the date.",
    fix="Hold the first management review before the date in the message and record it; "
    "set `established` in aims.yaml if it is not set.",
    example="# aims.yaml: established: 2026-09-01\n# no ManagementReview record",
)
def management_review_pending(repo: Repository) -> Iterator[Finding]:
    # A review that failed validation, or a record whose kind or id cannot be read, may
    # be the one held.
    for found in _pending_review(repo):
        yield judged(
            repo, ManagementReview.KIND, "held", at_left_out(repo, ManagementReview, found)
        )


def _pending_review(repo: Repository) -> Iterator[Finding]:
    if last_review(repo) is not None or not keeps_management_system(repo):
        return
    days = repo.config.cadence.management_review_days
    start = aims_start(repo)
    also = aside(not_counted(repo, ManagementReview))
    if start is None:
        yield Finding(
            "no management review has been held, and aims.yaml sets no `established`, so "
            f"aimsctl cannot tell when the first falls due{also}"
        )
    elif add_days(start.day, days) >= repo.as_of:
        yield Finding(
            f"no management review has been held yet; {start.basis}, so the first falls "
            f"due on {add_days(start.day, days)}{also}"
        )


@rule(
    codes.MANAGEMENT_REVIEW_INPUTS_MISSING,
    W,
    summary="A management review does not list all seven `inputs`: previous-actions, "
    "external-internal-issues, interested-parties, nonconformities, monitoring-results, "
    "audit-results and opportunities. The first review (none held before it) is not "
    "asked for previous-actions: there are no earlier actions to follow up. A review held "
    "before it makes it not the first even where that one does not count as held (a "
    f"placeholder, a chair outside top management, {codes.NOT_TOP_MANAGEMENT}): the actions "
    "it recorded are still there to follow up.",
    why="Clause 9.3.2 says what a management review must take into account: the status "
    "of actions from earlier reviews, changes in the issues and in the needs of "
    "interested parties, the performance of the AIMS (nonconformities, monitoring and "
    "audit results) and opportunities to improve. A review that skipped one did not "
    "look at the whole system.",
    fix="If the review did consider it, add it to `inputs` (the minutes should show it); "
    "if not, take it into the next review.",
    example="kind: ManagementReview\nid: MR-2026\n...\ninputs: [previous-actions, audit-results]",
)
def management_review_inputs_missing(repo: Repository) -> Iterator[Finding]:
    for review in repo.of_kind(ManagementReview):
        if missing := missing_inputs(repo, review):
            yield Finding(
                "the review does not list the "
                + ("input " if len(missing) == 1 else f"{len(missing)} inputs ")
                + words(missing, "and"),
                record=review.id,
                parts=("inputs",),
                at_key=True,
            )
