"""Types and fields shared by every record kind."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from aimsctl.scoring import Scale
from aimsctl.validation_messages import describe_input, did_you_mean

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, unlike \d


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise PydanticCustomError(
            "iso_date",
            "must be a date written YYYY-MM-DD, not {input}",
            {"input": describe_input(value)},
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "iso_date",
            "must be a real calendar date, and {input} does not exist; write YYYY-MM-DD "
            "with a month from 01 to 12 and a day that month has",
            {"input": value},
        ) from None


def _level(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PydanticCustomError(
            "level_type",
            "must be a level number or a label of the configured scale, not {input}",
            {"input": describe_input(value)},
        )
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class Happened:
    """Marks a date of something that has taken place (an approval, a review, an
    assessment): it cannot lie after the as-of date. Due and expiry dates are not."""


HAPPENED = Happened()
# A date of something done: `aimsctl validate` reports one in the future.
PastDate = Annotated[date, BeforeValidator(_iso_date), HAPPENED]
RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
# A level as written: a number 1..N or a label; resolved to its number against the
# scale passed in the validation context (see `scales_context`).
Level = Annotated[int | str, BeforeValidator(_level)]


def scales_context(likelihood: Scale, severity: Scale) -> dict[str, Scale]:
    return {"likelihood": likelihood, "severity": severity}


def resolve_level(value: int | str, axis: str, info: ValidationInfo) -> int | str:
    """The level number of ``value`` on the context's scale for ``axis``."""
    context = info.context
    if not context or axis not in context:
        return value
    scale: Scale = context[axis]
    number = scale.level(value)
    if number is None:
        hint = did_you_mean(value, list(scale.labels)) if isinstance(value, str) else ""
        raise PydanticCustomError(
            "level",
            "must be a level from 1 to {top} or one of {labels}, not {value}{hint}",
            {
                "value": repr(value),
                "top": len(scale.labels),
                "labels": ", ".join(scale.labels),
                "hint": hint,
            },
        )
    return number


class Strict(BaseModel):
    """Strict, closed models: unknown fields and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Review(Strict):
    on: PastDate
    by: Text


class Approval(Strict):
    # Who approved something, and on which day.
    by: Text
    on: PastDate


class Action(Strict):
    """An action someone owns: what, who, by when, and when it was done (null: not yet)."""

    description: Text
    owner: Text
    due: IsoDate
    done: PastDate | None = None


class Record(Strict):
    """Fields every record has.

    Each kind's model says what its records are (its docstring, the first line of
    which is the summary shown in the docs), and declares where it belongs: the
    folder `aimsctl init` lays out for it, the ISO/IEC 42001 clauses and Annex A
    controls its records evidence, and the reports that show them.
    """

    KIND: ClassVar[str] = ""
    FOLDER: ClassVar[str] = ""
    CLAUSES: ClassVar[tuple[str, ...]] = ()
    REPORTS: ClassVar[tuple[str, ...]] = ()

    kind: str
    id: RecordId
    title: Text
    description: str | None = None
    owner: Text | None = None
    tags: list[str] = []
    reviewed: Review | None = None
