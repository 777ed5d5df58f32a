"""`Policy`: the AI policy top management sets (ISO/IEC 42001 5.2, A.2.2-A.2.4)."""

from __future__ import annotations

from typing import ClassVar, Literal

from aimsctl.records.base import Approval, IsoDate, Record, Text

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

    kind: Literal["Policy"]

    owner: Text
    status: Literal["draft", "approved", "retired"]
    version: Text  # text, e.g. "2.1"
    approval: Approval | None = None  # required once approved
    document: Text | None = None  # the policy text: a path in the repository or a URL
    commitments: list[Commitment] = []
    next_review: IsoDate | None = None  # default: approval + cadence.policy_review_days
