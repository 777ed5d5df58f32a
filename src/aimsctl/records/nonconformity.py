"""`Nonconformity`: a nonconformity and its corrective action (ISO/IEC 42001 10.2)."""

from __future__ import annotations

from typing import ClassVar, Literal

from aimsctl.records.base import Action, PastDate, Record, Strict, Text
from aimsctl.records.clauses import Requirement

NonconformityStatus = Literal["open", "action-planned", "verifying", "closed"]


class Effectiveness(Strict):
    on: PastDate
    by: Text
    effective: bool
    note: str | None = None


class Nonconformity(Record):
    """A nonconformity: where it came from, the requirement not met, the correction,
    its root cause, the corrective actions and the review of whether they worked."""

    KIND: ClassVar[str] = "Nonconformity"
    FOLDER: ClassVar[str] = "nonconformities"
    CLAUSES: ClassVar[tuple[str, ...]] = ("10.2",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Nonconformity"]

    raised: PastDate
    source: Literal[
        "internal-audit",
        "external-audit",
        "incident",
        "monitoring",
        "management-review",
        "complaint",
        "other",
    ]
    reference: Requirement | None = None  # the clause or Annex A id not met
    owner: Text
    correction: str | None = None  # what was done at once to contain it
    root_cause: str | None = None  # required once past open
    actions: list[Action] = []  # corrective actions
    effectiveness: Effectiveness | None = None  # required to close
    status: NonconformityStatus
