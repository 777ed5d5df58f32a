"""`Objective`: an AI objective and the plan to reach it (ISO/IEC 42001 6.2)."""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import IsoDate, PastDate, Record, RecordId, Strict, Text
from aimsctl.validation_messages import describe_input

ObjectiveStatus = Literal["planned", "on-track", "at-risk", "achieved", "missed", "withdrawn"]
# An objective in one of these states is settled: it needs no more progress and is not
# overdue.
SETTLED: tuple[str, ...] = ("achieved", "missed", "withdrawn")


def _text_or_number(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise PydanticCustomError(
        "text_or_number",
        "must be text or a number, not {input}",
        {"input": describe_input(value)},
    )


# A target or a measured value: "95%", 0.95 or 12.
TextOrNumber = Annotated[str | int | float, BeforeValidator(_text_or_number)]


class ObjectiveProgress(Strict):
    on: PastDate
    value: TextOrNumber
    note: str | None = None


class Objective(Record):
    """An AI objective: what is measured, the target, the due date, its status and
    the progress recorded towards it."""

    KIND: ClassVar[str] = "Objective"
    FOLDER: ClassVar[str] = "objectives"
    CLAUSES: ClassVar[tuple[str, ...]] = ("6.2",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Objective"]

    owner: Text
    measure: Text  # how achievement is measured
    target: TextOrNumber
    due: IsoDate
    status: ObjectiveStatus
    progress: list[ObjectiveProgress] = []
    systems: list[RecordId] = []  # AISystems in scope, when not the whole AIMS
