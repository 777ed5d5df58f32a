"""`ManagementReview`: a review of the AI management system by top management
(ISO/IEC 42001 9.3)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from aimsctl.records.base import Action, PastDate, Record, Text

# What a management review considers: the actions of earlier reviews, changes in
# internal and external issues, the needs of interested parties, nonconformities
# and corrective actions, monitoring and measurement results, audit results, and
# opportunities for improvement.
ReviewInput = Literal[
    "previous-actions",
    "external-internal-issues",
    "interested-parties",
    "nonconformities",
    "monitoring-results",
    "audit-results",
    "opportunities",
]


class ManagementReview(Record):
    """A management review: when top management held it, who chaired and attended,
    what it considered, what it decided and the actions it set."""

    KIND: ClassVar[str] = "ManagementReview"
    FOLDER: ClassVar[str] = "reviews"
    CLAUSES: ClassVar[tuple[str, ...]] = ("9.3",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["ManagementReview"]

    held: PastDate
    chair: Text  # top management
    attendees: list[Text] = []
    inputs: list[ReviewInput] = []
    decisions: list[Text] = Field(min_length=1)
    actions: list[Action] = []
    minutes: Text | None = None  # a path in the repository or a URL
