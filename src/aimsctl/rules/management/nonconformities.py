"""AIMS619-AIMS621, AIMS625: nonconformities and corrective action: a root cause
before actions, actions done on time, a closure that stands, and a status the record
bears out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.records import ManagementReview, Nonconformity
from aimsctl.records.base import Action
from aimsctl.rules.management.state import action_done, review_too_early
from aimsctl.rules.placeholders import unsigned_note
from aimsctl.rules.registry import Finding, rule
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR


@rule(
    codes.NONCONFORMITY_WITHOUT_ROOT_CAUSE,
    E,
    summary="A nonconformity is past `open` (action-planned, verifying or closed) but "
    "records no `root_cause`.",
    why="Clause 10.2 asks that the causes of a nonconformity are determined before "
    "corrective action is decided, so the action removes the cause and the "
    "nonconformity does not come back. Actions planned without a cause treat the "
    "symptom.",
    fix="Analyse the cause (five whys, a cause-and-effect review) and record it as "
    "`root_cause`; set the status back to `open` until it is known.",
    example="kind: Nonconformity\nid: NC-4\n...\nstatus: action-planned\n# no root_cause",
)
def nonconformity_without_root_cause(repo: Repository) -> Iterator[Finding]:
    for item in repo.of_kind(Nonconformity):
        if item.status != "open" and not (item.root_cause or "").strip():
            yield Finding(
                f"nonconformity is {item.status} but records no root cause",
                record=item.id,
                parts=("status",),
            )


@rule(
    codes.ACTION_OVERDUE,
    E,
    summary="A corrective action of a nonconformity, or an action of a management review, "
    "is past its `due` date and not `done` (a `done` date after the as-of date has not "
    "happened yet).",
    why="Clause 10.2 asks for corrective action to be carried out, and 9.3 for the "
    "review's decisions to be acted on; an action past its date without being done is "
    "a commitment the management system did not keep (and the next review has to "
    "ask why).",
    fix="Do the action and record `done: <date>`, or agree a new `due` date with its "
    "owner and say why in the description.",
    example="actions:\n  - description: Add the audit results to the review agenda\n"
    "    owner: cro@acme.example\n    due: 2026-09-30\n    done: null",
)
def action_overdue(repo: Repository) -> Iterator[Finding]:
    def late(record_id: str, actions: list[Action]) -> Iterator[Finding]:
        for index, action in enumerate(actions):
            if not action_done(action, repo.as_of) and action.due < repo.as_of:
                ahead = (
                    f"; its done date {action.done} is after the as-of date" if action.done else ""
                )
                yield Finding(
                    f"action {index + 1} was due on {action.due} and is not done "
                    f"(owner {action.owner}){ahead}",
                    record=record_id,
                    parts=("actions", index, "due"),
                )

    for item in repo.of_kind(Nonconformity):
        yield from late(item.id, item.actions)
    for review in repo.of_kind(ManagementReview):
        yield from late(review.id, review.actions)


@rule(
    codes.NONCONFORMITY_CLOSED_UNVERIFIED,
    E,
    summary="A nonconformity is `closed` without an `effectiveness` review, or its review "
    "found the actions not effective (`effective: false`), is dated after the as-of date, "
    "or before the nonconformity was `raised` or an action was `done`; or with an action "
    "not `done` "
    "(or done only after the as-of date), or with an action done before the "
    "nonconformity was `raised`. An effectiveness review whose `by` is still a `TODO:` "
    "placeholder is no review: nobody has judged the action effective.",
    why="Clause 10.2 asks for corrective action to be taken and its effectiveness "
    "reviewed, and the results retained: a nonconformity is closed when the cause is "
    "gone, not when the actions are ticked off. An action still open, or one done before "
    "the nonconformity was found, is no corrective action taken for it. (A closure with "
    "no `actions` is not reported: 10.2 lets the organization judge that none is needed, "
    "and the effectiveness review is then what records that judgement.)",
    fix="Record the corrective actions with the day each was `done`, review whether they "
    "worked and record `effectiveness: {on, by, effective: true, note}`; until then, or "
    "if they did not work, keep it open (`status: action-planned`).",
    example="kind: Nonconformity\nid: NC-2\n...\nstatus: closed\n# no effectiveness",
)
def nonconformity_closed_unverified(repo: Repository) -> Iterator[Finding]:
    for item in repo.of_kind(Nonconformity):
        if item.status != "closed":
            continue
        for index, action in enumerate(item.actions):
            if action.done is None:
                yield Finding(
                    f"nonconformity is closed, but action {index + 1} is not done",
                    record=item.id,
                    parts=("actions", index),
                )
            elif not action_done(action, repo.as_of):
                yield Finding(
                    f"nonconformity is closed, but action {index + 1} is done only on "
                    f"{action.done}, after the as-of date",
                    record=item.id,
                    parts=("actions", index, "done"),
                )
            elif action.done < item.raised:
                yield Finding(
                    f"nonconformity is closed, but action {index + 1} was done on "
                    f"{action.done}, before the nonconformity was raised on {item.raised}",
                    record=item.id,
                    parts=("actions", index, "done"),
                )
        if item.effectiveness is None:
            yield Finding(
                "nonconformity is closed, but the effectiveness of its corrective action was "
                "never reviewed",
                record=item.id,
                parts=("status",),
            )
        elif is_placeholder(item.effectiveness.by):  # nobody reviewed it (AIMS107)
            yield Finding(
                "nonconformity is closed, but "
                + unsigned_note(item.id, "effectiveness.by", "reviewed"),
                record=item.id,
                parts=("effectiveness", "by"),
            )
        elif item.effectiveness.on > repo.as_of:  # not held yet (AIMS508 says the date)
            yield Finding(
                f"nonconformity is closed, but its effectiveness review is dated "
                f"{item.effectiveness.on}, after the as-of date: it has not been held yet",
                record=item.id,
                parts=("effectiveness", "on"),
            )
        elif early := review_too_early(item):
            yield Finding(
                f"nonconformity is closed, but its effectiveness review is dated "
                f"{item.effectiveness.on}, {early}: it cannot have judged the corrective "
                "action",
                record=item.id,
                parts=("effectiveness", "on"),
            )
        elif not item.effectiveness.effective:
            yield Finding(
                f"nonconformity is closed, but the review on {item.effectiveness.on} found "
                "the corrective action not effective; reopen it with new actions",
                record=item.id,
                parts=("effectiveness", "effective"),
            )


@rule(
    codes.NONCONFORMITY_STATUS_UNSUPPORTED,
    E,
    summary="A nonconformity's `status` claims more than its record shows: "
    "`action-planned` or `verifying` with no corrective action in `actions`, or "
    "`verifying` with an action not `done` (or done only after the as-of date). A "
    "closed one is AIMS621's to judge.",
    why="Clause 10.2 asks for the action needed to remove the causes to be decided and "
    "carried out, and then for its effectiveness to be reviewed. A nonconformity said to "
    "have its action planned with none recorded, or to be under verification while its "
    "actions are still open, reads further along than it is: the status is what "
    "`status`, `due` and the reports show, so it must not run ahead of the record.",
    fix="Record the corrective actions (`description`, `owner`, `due`) before setting "
    "`action-planned`; set `verifying` once every action is `done`, and keep "
    "`action-planned` until then.",
    example="kind: Nonconformity\nid: NC-5\n...\nstatus: verifying\nactions:\n"
    "  - description: Retrain the reviewers\n    owner: hr@acme.example\n"
    "    due: 2026-12-15\n    done: null",
)
def nonconformity_status_unsupported(repo: Repository) -> Iterator[Finding]:
    for item in repo.of_kind(Nonconformity):
        if item.status not in ("action-planned", "verifying"):
            continue
        if not item.actions:
            yield Finding(
                f"nonconformity is {item.status} but records no corrective action",
                record=item.id,
                parts=("status",),
            )
            continue
        if item.status != "verifying":
            continue
        for index, action in enumerate(item.actions):
            if action_done(action, repo.as_of):
                continue
            when = (
                "is not done"
                if action.done is None
                else f"is done only on {action.done}, after the as-of date"
            )
            yield Finding(
                f"nonconformity is verifying whether its corrective action worked, but "
                f"action {index + 1} {when}",
                record=item.id,
                parts=("actions", index) if action.done is None else ("actions", index, "done"),
            )
