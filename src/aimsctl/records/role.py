"""`Role`: a role in the AI management system (ISO/IEC 42001 5.1, 5.3, A.3.2)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from aimsctl.records.base import Record, RecordId, Text


class Role(Record):
    """A role in the AI management system: who holds it, whether it is top
    management, its responsibilities and authorities, whom it reports to and what
    it is accountable for."""

    KIND: ClassVar[str] = "Role"
    FOLDER: ClassVar[str] = "roles"
    CLAUSES: ClassVar[tuple[str, ...]] = ("5.1", "5.3", "A.3.2")
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Role"]

    holder: Text  # the person: an e-mail address or a name
    top_management: bool = False
    responsibilities: list[Text] = Field(min_length=1)
    authorities: list[Text] = []
    reports_to: RecordId | None = None  # a Role
    accountable_for: list[RecordId] = []  # record ids, or kinds (AISystem, Risk, ...)

    def names(self, owner: str) -> bool:
        """Whether an owner written as ``owner`` means this role: its id or its holder."""
        return owner in (self.id, self.holder)
