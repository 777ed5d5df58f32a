"""`Policy`: the AI policy top management sets (ISO/IEC 42001 5.2, A.2.2-A.2.4)."""

from typing import ClassVar, Literal

from aimsctl import codes
from aimsctl.records.base import Approval, IsoDate, Record, Text, about, kind_field, owner_field

# What the policy commits the organization to: meeting the requirements that apply,
# improving the management system continually, and a frame for setting AI objectives.
Commitment = Literal["requirements", "continual-improvement", "objectives-framework"]


class Policy(Record):
    """The AI policy top management has set: its version, its approval, the
    commitments it makes, where its text is kept and when it is next reviewed."""

    KIND: ClassVar[str] = "Policy"
    FOLDER: ClassVar[str] = "policies"
    CLAUSES: ClassVar[tuple[str, ...]] = ("5.2", "A.2.2", "A.2.3", "A.2.4")
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Policy"] = kind_field()

    owner: Text = owner_field("Who keeps the policy up to date.", "5.2")
    status: Literal["draft", "approved", "retired"] = about(
        "Status", "`draft`, `approved` (in force; needs `approval`) or `retired`.", clause="5.2"
    )
    version: Text = about(
        "Version", 'The policy\'s version as text, e.g. "2.1" (quoted, so YAML keeps it).'
    )
    approval: Approval | None = about(
        "Approval",
        "Who approved the policy and when; required once `approved`, and by top management "
        "(a Role with `top_management: true`) where Roles exist.",
        clause="5.1",
        default=None,
    )
    document: Text | None = about(
        "Document",
        "Where the policy text is: a path in the repository or a URL.",
        clause="A.2.2",
        default=None,
    )
    commitments: list[Commitment] = about(
        "Commitments",
        "What the policy commits to: `requirements` (meeting the requirements that apply), "
        "`continual-improvement` (of the management system) and `objectives-framework` "
        "(a frame for setting AI objectives). All three are expected.",
        clause="5.2",
        default=[],
    )
    next_review: IsoDate | None = about(
        "Next review",
        "When the policy is next reviewed, YYYY-MM-DD; without it, the approval date plus "
        "`cadence.policy_review_days`. A date later than that is still the date, and "
        f"validate warns of it ({codes.NEXT_REVIEW_BEYOND_PERIOD}).",
        clause="A.2.4",
        default=None,
    )
