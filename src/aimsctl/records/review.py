"""`ManagementReview`: a review of the AI management system by top management
(ISO/IEC 42001 9.3)."""

from typing import ClassVar, Literal

from aimsctl.records.base import Action, PastDate, Record, Said, Text, about, kind_field

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

    kind: Literal["ManagementReview"] = kind_field()

    held: PastDate = about("Held on", "The day of the review, YYYY-MM-DD.", clause="9.3.1")
    chair: Text = about(
        "Chair",
        "Who chaired it: a member of top management (a person or Role id).",
        clause="9.3.1",
    )
    attendees: list[Text] = about("Attendees", "Who took part.", default=[])
    inputs: list[ReviewInput] = about(
        "Inputs",
        "What the review considered: `previous-actions` (of earlier reviews), "
        "`external-internal-issues` (changes in them), `interested-parties` (their needs), "
        "`nonconformities` (and corrective actions), `monitoring-results`, "
        "`audit-results` and `opportunities` (for improvement). All seven are expected.",
        clause="9.3.2",
        default=[],
    )
    decisions: list[Said] = about(
        "Decisions",
        "What the review decided: improvements, changes to the management system; at least one.",
        clause="9.3.3",
        min_length=1,
    )
    actions: list[Action] = about(
        "Actions",
        "Actions it set, each with `description`, `owner`, `due` and `done`.",
        clause="9.3.3",
        default=[],
    )
    minutes: Text | None = about(
        "Minutes",
        "The minutes: a path in the repository or a URL.",
        clause="9.3.3",
        default=None,
    )
