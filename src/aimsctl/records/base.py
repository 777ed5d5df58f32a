"""Types and fields shared by every record kind.

The models' modules (here, each kind's, and config/'s) do without
``from __future__ import annotations``: pydantic would otherwise compile and
evaluate every field's annotation from its text when it builds the model, about a
tenth of the time building the record models takes on each start-up
(tests/test_model_modules.py keeps it so).
"""

import math
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from aimsctl import codes
from aimsctl.config import CLAUSE_KEY, MAX_LEVELS, iso_date, level_as_written
from aimsctl.scoring import Scale
from aimsctl.text import has_words, number_advice
from aimsctl.validation_messages import (
    ID_PATTERN,
    NOT_BLANK,
    SPACES,
    describe_input,
    did_you_mean,
)
from aimsctl.vocabulary import is_placeholder


def _iso_date(value: Any) -> Any:
    return iso_date(value, "; write YYYY-MM-DD with a month from 01 to 12 and a day that month has")


def _empty_list() -> list[Any]:
    """A new empty list: the default of a list field a record leaves out. A function of
    ours rather than ``list``: pydantic asks each default factory for its signature, and
    a builtin's is parsed from its text (tokenize, ast) once per field, about 4 ms of
    every cold start over the record models' 50 list fields."""
    return []


def about(title: str, description: str, *, clause: str = "", **field: Any) -> Any:
    """A field of the record contract with its meaning: ``Field(...)`` with a title
    and a description (editors show them on hover, the record reference lists them)
    and, in ``clause``, the ISO/IEC 42001 clause or Annex A control it serves.

    Titles and descriptions are our own words for what records.md and records-v2.md
    define; allowed values are listed by the type, so a description says what they
    mean where the name alone does not.
    """
    extra: dict[str, Any] = dict(field.pop("json_schema_extra", None) or {})
    if clause:
        extra[CLAUSE_KEY] = clause
    if type(field.get("default")) is list and not field["default"]:
        # An empty list made afresh for each record that leaves the field out, where
        # pydantic deep-copied the default one (60,000 copies at 50,000 records); the
        # schema still says the default is an empty list.
        del field["default"]
        field["default_factory"] = _empty_list
        extra["default"] = []
    return Field(title=title, description=description, json_schema_extra=extra or None, **field)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class Happened:
    """Marks a date of something that has taken place (an approval, a review, an
    assessment): it cannot lie after the as-of date. Due and expiry dates are not."""


HAPPENED = Happened()
# A date of something done: `aimsctl validate` reports one in the future.
PastDate = Annotated[date, BeforeValidator(_iso_date), HAPPENED]
RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


# The largest whole number a 64-bit float (and so every JSON reader) holds exactly,
# with all below it: a larger one written as a whole number is refused, not rounded.
EXACT_WHOLE = 2**53


def finite_number(value: Any) -> int | float:
    """``value`` when it is a finite int or float that fits a float (a whole number:
    exactly, within ±:data:`EXACT_WHOLE`); not a boolean or text. Every numeric field
    checks its value here, so a huge or infinite number is refused the same way
    everywhere (and never reaches float())."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "number",
            "must be a number, not {input}{advice}",
            {
                "input": describe_input(value),
                "advice": (
                    number_advice(value, row=False, quoted=True) if isinstance(value, str) else ""
                ),
            },
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "number", "must be a finite number, not {input}", {"input": describe_input(value)}
        )
    try:
        float(value)
    except OverflowError:  # an int too large for a float
        raise PydanticCustomError(
            "number",
            "must be a number of a sensible size, not one of {digits} digits",
            {"digits": len(str(abs(value)))},
        ) from None
    if isinstance(value, int) and abs(value) > EXACT_WHOLE:
        raise PydanticCustomError(
            "number",
            "must be a whole number within ±2**53 ({limit}), not {input}: a number is held "
            "as a 64-bit float, which cannot hold every larger whole number exactly, so it "
            "would be judged as a neighbouring one; write an approximate one as a decimal "
            "(1.5e16)",
            {"limit": EXACT_WHOLE, "input": describe_input(value)},
        )
    return value


# A measured value or a limit: an int or a float, finite, held as a float.
Number = Annotated[float, BeforeValidator(lambda value: float(finite_number(value)))]
# Text a record must hold: at least one character that is not a space. A title, an
# owner or a rationale of spaces alone says nothing, yet "   " passed as one.
Text = Annotated[str, StringConstraints(pattern=NOT_BLANK)]


def _says_something(value: str) -> str:
    if not has_words(value):
        raise PydanticCustomError(
            "says_nothing",
            "says nothing ({input}): write words, not only punctuation",
            {"input": repr(value.strip())},
        )
    return value


# Text that is counted as done or decided where it is written (a review's decisions):
# "-" or "..." must not pass as one. Editors see the Text pattern only.
Said = Annotated[Text, AfterValidator(_says_something)]
# A level as written: a number 1..N or a label; resolved to its number against the
# scale passed in the validation context (see `scales_context`).
Level = Annotated[
    int | str,
    BeforeValidator(level_as_written),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_LEVELS},
                # A label: anything but a number written as text ("4").
                {"type": "string", "pattern": f"[^0-9{SPACES}]"},
            ]
        }
    ),
]


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


# One frozenset per distinct set of fields given (see Strict.model_post_init).
_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}


def across_fields(*constraints: dict[str, Any]) -> ConfigDict:
    """A model's JSON Schema constraints between its fields (one field needs another,
    or excludes it), so that editors flag what the model's validators refuse."""
    return ConfigDict(json_schema_extra={"allOf": list(constraints)})


class Strict(BaseModel):
    """Strict, closed models: unknown fields and loose types are errors.

    ``defer_build``: a model's validator is built when it first validates, not as its
    module is imported. A kind the repository holds no record of is then never built,
    nor is a part of a record (a Treatment, a Metric), whose schema its record's
    includes, nor this base; on the bundled example, which holds every kind, the work
    is the same either way (see config/fields.py for aims.yaml's).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

    def model_post_init(self, context: Any, /) -> None:
        # Every model keeps the set of fields it was given, about a fifth of a record's
        # memory, while thousands of records share a few dozen such sets. A frozen
        # model never adds to it, so equal sets become one frozenset (which refuses
        # any change rather than letting one model's change reach the others).
        given = frozenset(self.__pydantic_fields_set__)
        object.__setattr__(self, "__pydantic_fields_set__", _FIELD_SETS.setdefault(given, given))


class Review(Strict):
    """The last review of a record: when, and by whom."""

    on: PastDate = about(
        "Reviewed on",
        "The day the record was last reviewed, YYYY-MM-DD; for an AI system, a risk or a "
        "control, the next review falls due `review_days` later, as the governance tier "
        "of the systems it concerns sets.",
        clause="9.1",
    )
    by: Text = about("Reviewed by", "Who reviewed it: a person (e-mail or name) or a Role id.")

    def counts(self, as_of: date) -> bool:
        """Whether this is a review held by ``as_of``: not dated later (AIMS508), and by
        someone (a `TODO:` name is nobody yet, AIMS107). One that is not leaves the
        record due from its creation."""
        return self.on <= as_of and not is_placeholder(self.by)


class Approval(Strict):
    """Who approved something, and on which day."""

    by: Text = about(
        "Approved by", "Who gave the approval: a person (e-mail or name) or a Role id."
    )
    on: PastDate = about(
        "Approved on", "The day of the approval, YYYY-MM-DD; it cannot lie in the future."
    )


class Action(Strict):
    """An action someone owns: what, who, by when, and when it was done (null: not yet)."""

    description: Text = about("Action", "What is to be done.")
    owner: Text = about("Action owner", "Who must do it: a person or a Role id.")
    due: IsoDate = about("Due", "The day it must be done by, YYYY-MM-DD.")
    done: PastDate | None = about(
        "Done on",
        "The day it was done, YYYY-MM-DD; leave it out or null while the action is open "
        "(an open action past its due date is reported).",
        default=None,
    )


def kind_field() -> Any:
    """The `kind` field of a record kind's model (each kind narrows it to its name)."""
    return about(
        "Record kind",
        "What kind of record this document is; it decides which other fields are allowed.",
    )


def owner_field(description: str, clause: str = "") -> Any:
    """A required `owner`: a person or a Role id, with what they are answerable for."""
    return about(
        "Owner",
        f"{description} A person (e-mail address or name) or the id of a Role.",
        clause=clause,
    )


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

    kind: str = kind_field()
    id: RecordId = about(
        "Record id",
        "The record's identifier: a letter or digit, then up to 79 letters, digits, dots, "
        "hyphens or underscores. Unique across the whole repository (case-sensitive); "
        "other records refer to it by this id. Ids starting `A.` are kept for Annex A "
        "controls.",
        json_schema_extra={"not": {"pattern": "^A\\."}},
    )
    title: Text = about("Title", "A short name for the record, shown in reports and listings.")
    description: str | None = about(
        "Description", "Free text: what the record is about, in more detail.", default=None
    )
    owner: Text | None = about(
        "Owner",
        "Who is answerable for the record: a person (e-mail address or name) or a Role id.",
        default=None,
    )
    tags: list[str] = about(
        "Tags", "Free labels to group and filter records; they carry no rule.", default=[]
    )
    reviewed: Review | None = about(
        "Last review",
        "The last review of this record: `on` (date) and `by`. For an AI system, a risk "
        "or a control, the next falls due by the governance tier of the systems "
        f"concerned ({codes.REVIEW_OVERDUE}); other kinds have reviews of their own, or none due.",
        clause="9.1",
        default=None,
    )
