"""`Role`: a role in the AI management system (ISO/IEC 42001 5.1, 5.3, A.3.2)."""

from __future__ import annotations

from typing import ClassVar, Literal

from aimsctl.records.base import Record, RecordId, Text, about, kind_field


class Role(Record):
    """A role in the AI management system: who holds it, whether it is top
    management, its responsibilities and authorities, whom it reports to and what
    it is accountable for."""

    KIND: ClassVar[str] = "Role"
    FOLDER: ClassVar[str] = "roles"
    CLAUSES: ClassVar[tuple[str, ...]] = ("5.1", "5.3", "A.3.2")
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Role"] = kind_field()

    holder: Text = about(
        "Holder",
        "The person who holds the role: an e-mail address or a name. Owners elsewhere may "
        "name the role's id or its holder.",
        clause="5.3",
    )
    top_management: bool = about(
        "Top management",
        "true when the role is part of top management, which approves the policy and "
        "chairs management reviews.",
        clause="5.1",
        default=False,
    )
    responsibilities: list[Text] = about(
        "Responsibilities",
        "What the role is responsible for; at least one.",
        clause="5.3",
        min_length=1,
    )
    authorities: list[Text] = about(
        "Authorities", "What the role may decide or approve.", clause="5.3", default=[]
    )
    reports_to: RecordId | None = about(
        "Reports to",
        "The id of the Role this one reports to; no cycles.",
        clause="A.3.2",
        default=None,
    )
    accountable_for: list[RecordId] = about(
        "Accountable for",
        "Record ids, or whole kinds (`AISystem`, `Risk`, ...), the role is accountable for.",
        clause="A.3.2",
        default=[],
    )

    def names(self, owner: str) -> bool:
        """Whether an owner written as ``owner`` means this role: its id or its holder."""
        return owner in (self.id, self.holder)
