"""`Objective`: an AI objective and the plan to reach it (ISO/IEC 42001 6.2)."""

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from aimsctl.records.base import (
    IsoDate,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    finite_number,
    kind_field,
    owner_field,
)
from aimsctl.validation_messages import NOT_BLANK, describe_input

ObjectiveStatus = Literal["planned", "on-track", "at-risk", "achieved", "missed", "withdrawn"]
# An objective in one of these states is settled: it needs no more progress and is not
# overdue.
SETTLED: tuple[str, ...] = ("achieved", "missed", "withdrawn")


def _text_or_number(value: Any) -> Any:
    if isinstance(value, str) and re.search(NOT_BLANK, value):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return finite_number(value)
    raise PydanticCustomError(
        "text_or_number",
        "must be text or a number, not {input}",
        {"input": describe_input(value)},
    )


# A target or a measured value: "95%", 0.95 or 12.
TextOrNumber = Annotated[
    str | int | float,
    BeforeValidator(_text_or_number),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": NOT_BLANK}, {"type": "number"}]}),
]


class ObjectiveProgress(Strict):
    on: PastDate = about("Measured on", "The day of the measurement, YYYY-MM-DD.")
    value: TextOrNumber = about("Value", "The measured value: text (`92%`) or a number.")
    note: str | None = about("Note", "What the value means, or what is being done.", default=None)


class Objective(Record):
    """An AI objective: what is measured, the target, the due date, its status and
    the progress recorded towards it."""

    KIND: ClassVar[str] = "Objective"
    FOLDER: ClassVar[str] = "objectives"
    CLAUSES: ClassVar[tuple[str, ...]] = ("6.2",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["Objective"] = kind_field()

    owner: Text = owner_field("Who is answerable for reaching the objective.", "6.2")
    measure: Text = about("Measure", "How achievement is measured.", clause="6.2")
    target: TextOrNumber = about(
        "Target", "The value to reach: text (`95%`) or a number.", clause="6.2"
    )
    due: IsoDate = about("Due", "When the target is to be reached, YYYY-MM-DD.", clause="6.2")
    status: ObjectiveStatus = about(
        "Status",
        "`planned`, `on-track`, `at-risk`, `achieved`, `missed` or `withdrawn`; the last "
        "three settle the objective.",
        clause="6.2",
    )
    progress: list[ObjectiveProgress] = about(
        "Progress",
        "Measurements towards the target: `on`, `value`, `note`.",
        clause="6.2",
        default=[],
    )
    systems: list[RecordId] = about(
        "Systems",
        "The ids of the AISystems in scope; leave it out when the objective is for the "
        "whole management system.",
        default=[],
    )
