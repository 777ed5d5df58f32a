"""`InternalAudit`: an internal audit of the AI management system (ISO/IEC 42001 9.2)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import IsoDate, PastDate, Record, RecordId, Strict, Text
from aimsctl.records.clauses import Requirement, ScopeItem

FindingType = Literal["major-nonconformity", "minor-nonconformity", "observation", "opportunity"]
# Finding types that are nonconformities: each must lead to a Nonconformity record.
NONCONFORMITY_TYPES: tuple[str, ...] = ("major-nonconformity", "minor-nonconformity")


class AuditPeriod(Strict):
    from_: PastDate = Field(alias="from")
    to: PastDate

    @model_validator(mode="after")
    def _in_order(self) -> AuditPeriod:
        if self.to < self.from_:
            raise PydanticCustomError(
                "period", "must not end ({to}) before it starts", {"to": str(self.to)}
            )
        return self


class AuditFinding(Strict):
    id: Text
    type: FindingType
    reference: Requirement | None = None  # the clause or Annex A id it is about
    description: Text
    nonconformity: RecordId | None = None  # the Nonconformity it raised


class InternalAudit(Record):
    """An internal audit: its status, plan and scope, the auditor and whether they are
    independent of what they audit, when it was performed and what it found."""

    KIND: ClassVar[str] = "InternalAudit"
    FOLDER: ClassVar[str] = "audits"
    CLAUSES: ClassVar[tuple[str, ...]] = ("9.2",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["InternalAudit"]

    status: Literal["planned", "in-progress", "completed"]
    planned: IsoDate
    scope: list[ScopeItem] = Field(min_length=1)  # clauses, Annex A ids, AISystem ids
    auditor: Text
    independent: bool
    performed: AuditPeriod | None = None  # required once completed
    findings: list[AuditFinding] = []
    report: Text | None = None  # a path in the repository or a URL
