"""`Nonconformity`: a nonconformity and its corrective action (ISO/IEC 42001 10.2)."""

from typing import ClassVar, Literal

from aimsctl.records.base import (
    Action,
    PastDate,
    Record,
    Strict,
    Text,
    about,
    kind_field,
    owner_field,
)
from aimsctl.records.clauses import Requirement

NonconformityStatus = Literal["open", "action-planned", "verifying", "closed"]


class Effectiveness(Strict):
    """The review of whether the corrective actions worked."""

    on: PastDate = about("Reviewed on", "The day of the review, YYYY-MM-DD.")
    by: Text = about("Reviewed by", "Who reviewed the actions: a person or a Role id.")
    effective: bool = about(
        "Effective", "true when the actions removed the cause and it has not recurred."
    )
    note: str | None = about("Note", "What the review looked at.", default=None)


class Nonconformity(Record):
    """A nonconformity: where it came from, the requirement not met, the correction,
    its root cause, the corrective actions and the review of whether they worked."""

    KIND: ClassVar[str] = "Nonconformity"
    FOLDER: ClassVar[str] = "nonconformities"
    CLAUSES: ClassVar[tuple[str, ...]] = ("10.2",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Nonconformity"] = kind_field()

    raised: PastDate = about("Raised on", "The day it was raised, YYYY-MM-DD.", clause="10.2")
    source: Literal[
        "internal-audit",
        "external-audit",
        "incident",
        "monitoring",
        "management-review",
        "complaint",
        "other",
    ] = about(
        "Source",
        "Where it came from: `internal-audit`, `external-audit`, `incident`, "
        "`monitoring`, `management-review`, `complaint` or `other`.",
        clause="10.2",
    )
    reference: Requirement | None = about(
        "Requirement not met",
        'The clause number (quoted, "4" to "10.2") or the Annex A id not met.',
        clause="10.2",
        default=None,
    )
    owner: Text = owner_field("Who sees the corrective action through.", "10.2")
    correction: str | None = about(
        "Correction",
        "What was done at once to contain it and deal with its consequences.",
        clause="10.2",
        default=None,
    )
    root_cause: str | None = about(
        "Root cause",
        "Why it happened; required once the status is past `open`.",
        clause="10.2",
        default=None,
    )
    actions: list[Action] = about(
        "Corrective actions",
        "What removes the cause so it does not recur: `description`, `owner`, `due`, `done`.",
        clause="10.2",
        default=[],
    )
    effectiveness: Effectiveness | None = about(
        "Effectiveness review",
        "Whether the corrective actions worked: `on`, `by`, `effective`, `note`; required "
        "to close.",
        clause="10.2",
        default=None,
    )
    status: NonconformityStatus = about(
        "Status",
        "`open`, `action-planned`, `verifying` (checking the actions worked) or `closed`.",
        clause="10.2",
    )
