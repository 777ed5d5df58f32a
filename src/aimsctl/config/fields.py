"""What every section's model is built from: strict frozen models, words, dates,
and the keyword naming the clause a field serves.

The sections' modules do without ``from __future__ import annotations``, as the
records' do: see records/base.py.
"""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from aimsctl.days import ISO_DATE, meant_date
from aimsctl.validation_messages import NOT_BLANK, describe_input

# The JSON Schema keyword naming the ISO/IEC 42001 clause or Annex A control a field
# serves (an annotation validators ignore): the schemas add it to the description
# editors show, the record reference shows it in a column. Records use it too.
CLAUSE_KEY = "x-iso42001"


# Words: blank text is refused once stripped (the pattern, which the stripped text
# always meets, tells editors the same).
Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True, pattern=NOT_BLANK)]


class StrictModel(BaseModel):
    # Built when aims.yaml is first validated, not at import (as the records' models:
    # see records/base.py); a section's own model, whose schema AimsConfig's includes,
    # and this base are then never built on their own.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


def iso_date(value: object, advice: str = "") -> object:
    """YYYY-MM-DD text as a date (YAML 1.2 reads dates as text; a date made in code
    passes as it is), for aims.yaml and the records alike; ``advice`` follows the
    words for a day that does not exist."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError(
            "iso_date",
            "must be a date written YYYY-MM-DD, not {input}{meant}",
            {"input": describe_input(value), "meant": meant_date(str(value))},
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        if value.startswith("0000") and _real_in_a_leap_year(value):
            # Its month and day are fine (year 0 would be a leap year): the year is not.
            advice = "; years start at 0001 (dates run from 0001-01-01 to 9999-12-31)"
        raise PydanticCustomError(
            "iso_date",
            "must be a real calendar date, and {input} does not exist{advice}",
            {"input": value, "advice": advice},
        ) from None


def _real_in_a_leap_year(value: str) -> bool:
    try:
        date.fromisoformat("2000" + value[4:])
    except ValueError:
        return False
    return True


ConfigDate = Annotated[date, BeforeValidator(iso_date)]
