"""`Incident`: an AI incident and what followed from it (ISO/IEC 42001 A.8.4, A.6.2.6;
EU AI Act Art. 73)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import Level, PastDate, Record, RecordId, Strict, Text, resolve_level

SeriousKind = Literal["death", "widespread", "critical-infrastructure", "other"]
IncidentStatus = Literal["open", "contained", "resolved", "closed"]


class Report(Strict):
    """A notification about the incident: to an authority, customers or the people affected."""

    to: Text
    on: PastDate
    reference: Text | None = None  # the recipient's case number, a letter's reference
    # The report went to a market surveillance (or other competent) authority: the
    # report EU AI Act Art. 73 asks of providers of high-risk systems.
    authority: bool = False


class Incident(Record):
    """An AI incident: the systems involved, when it occurred and was detected, its
    severity, whether it is serious in the EU AI Act's sense, who was told and when,
    and the risks and nonconformity that followed from it."""

    KIND: ClassVar[str] = "Incident"
    FOLDER: ClassVar[str] = "incidents"
    CLAUSES: ClassVar[tuple[str, ...]] = ("A.8.4", "A.6.2.6")
    REPORTS: ClassVar[tuple[str, ...]] = ("systems", "monitoring")

    kind: Literal["Incident"]

    systems: list[RecordId] = Field(min_length=1)
    occurred: PastDate
    detected: PastDate  # not before `occurred`; reporting deadlines count from here
    severity: Level  # a level of the severity scale of aims.yaml
    serious: bool = False  # a serious incident in the EU AI Act's sense (Art. 3(49))
    serious_kind: SeriousKind | None = None
    description: Text
    affected: list[Text] = []  # who was harmed
    reports: list[Report] = []
    risks: list[RecordId] = []  # risks created or re-assessed because of it
    nonconformity: RecordId | None = None
    status: IncidentStatus

    @field_validator("detected", mode="after")
    @classmethod
    def _not_before_occurred(cls, value: date, info: ValidationInfo) -> date:
        occurred = info.data.get("occurred")
        if isinstance(occurred, date) and value < occurred:
            raise PydanticCustomError(
                "detected",
                "must not be before `occurred` ({occurred}), not {value}",
                {"occurred": occurred.isoformat(), "value": value.isoformat()},
            )
        return value

    @field_validator("severity", mode="after")
    @classmethod
    def _on_scale(cls, value: int | str, info: ValidationInfo) -> int | str:
        return resolve_level(value, "severity", info)

    @field_validator("serious_kind", mode="after")
    @classmethod
    def _only_when_serious(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("serious") is False:
            raise PydanticCustomError(
                "serious_kind",
                "must only be given for a serious incident: set `serious: true`, or remove it",
            )
        return value
