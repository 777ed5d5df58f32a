"""`Waiver`: an approved, time-boxed exception to a rule."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from aimsctl.records.base import IsoDate, Record, RecordId, Text


class Waiver(Record):
    """An approved, time-boxed exception to one rule for named records; its findings
    stay on record as waived."""

    KIND: ClassVar[str] = "Waiver"
    FOLDER: ClassVar[str] = "waivers"
    REPORTS: ClassVar[tuple[str, ...]] = ("soa",)

    kind: Literal["Waiver"]

    rule: Annotated[str, StringConstraints(pattern=r"^AIMS[0-9]{3}$")]
    records: list[RecordId] = Field(min_length=1)
    justification: Text
    approved_by: Text
    expires: IsoDate
