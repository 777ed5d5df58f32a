"""`risk:`: the likelihood and severity scales, the scoring method, the bands, the
appetite and the severity floors."""

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, JsonValue
from pydantic_core import PydanticCustomError

from aimsctl.config.fields import CLAUSE_KEY, Label, StrictModel
from aimsctl.scoring import UNASSESSED
from aimsctl.validation_messages import SPACES, describe_input

# A scale has 2 to this many levels.
MAX_LEVELS = 10


# A scale's labels: words, since a level's number is its position (JSON Schema for
# editors; aims.yaml is checked in semantic_problems).
def _scale_schema() -> dict[str, JsonValue]:
    # a new dict per field: pydantic may add to the schema it is given
    return {
        "type": "array",
        "minItems": 2,
        "maxItems": MAX_LEVELS,
        # validate also refuses two labels that differ only in case, which no schema says
        "uniqueItems": True,
        "items": {"type": "string", "pattern": f"[^0-9{SPACES}]"},
    }


_DIGITS_RE = re.compile(r"\s*[0-9]+\s*")


def level_as_written(value: object) -> object:
    """A level as aims.yaml or a record writes it: a number or a label (checked
    against its scale later), never a boolean, a list or digits in quotes."""
    if type(value) is int:  # most levels (a bool is of its own type): nothing to check
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PydanticCustomError(
            "level_type",
            "must be a level number or a label of the configured scale, not {input}",
            {"input": describe_input(value)},
        )
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        # Labels are words (aims.yaml refuses a numeric label), so quoted digits are a
        # number written as text: the JSON Schema refuses it too.
        raise PydanticCustomError(
            "level_type",
            "must be a level number without quotes ({number}) or a label of the configured "
            "scale, not the text {input}",
            {"number": value.strip(), "input": repr(value)},
        )
    return value


def _unassessed_pattern() -> str:
    """The band names whose casefold is UNASSESSED (`Unassessed`, `UNASSESSED`, `unaßeßed`),
    as a pattern for the JSON Schema, which has no casefold."""
    letters = {"s": "(?:[Ss\\u017f]{2}|[\\u00df\\u1e9e])"}
    word = "".join(letters.get(c, f"[{c.upper()}{c}]") for c in UNASSESSED.replace("ss", "s"))
    return f"^\\s*{word}\\s*$"


class Band(StrictModel):
    """A band of risk scores: from above the previous band's `max` up to its own."""

    name: Label = Field(
        title="Band name",
        description="The band's name, e.g. `high`; tiers, the appetite and governance use it. "
        f"Not `{UNASSESSED}`, the tier of a system with no open risk.",
        # validate refuses it in any letter case (semantic_problems)
        json_schema_extra={"not": {"pattern": _unassessed_pattern()}},
    )
    max: int = Field(
        ge=1,
        title="Highest score",
        description="The highest score (likelihood times severity) in the band, a whole number; "
        "bands are listed in ascending order and the last reaches the highest score.",
    )


DEFAULT_LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
DEFAULT_SEVERITY = ["Negligible", "Minor", "Moderate", "Major", "Severe"]


def _default_bands() -> list[Band]:
    return [
        Band(name="low", max=4),
        Band(name="medium", max=9),
        Band(name="high", max=16),
        Band(name="critical", max=25),
    ]


class SeverityFloor(StrictModel):
    """A risk this severe gets at least this band, however unlikely it is."""

    severity: Annotated[int | str, BeforeValidator(level_as_written)] = Field(
        title="From severity",
        description="A level number of the severity scale, or one of its labels: risks at "
        "least this severe (after the vulnerable uplift) get the floor's band.",
        # no scale has a level above MAX_LEVELS, as a record's level says (records.base.Level)
        json_schema_extra={
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_LEVELS},
                {"type": "string", "pattern": f"[^0-9{SPACES}]"},
            ]
        },
    )
    min_band: Label = Field(
        title="Least band", description="The band such a risk gets at least, by name."
    )


class RiskConfig(StrictModel):
    """How risks are scored: the two scales, the scoring method, the bands and the
    appetite (ISO/IEC 42001 6.1.1)."""

    # A matrix with method: matrix only, and always with it (as the checks below ask).
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"required": ["method"], "properties": {"method": {"const": "matrix"}}},
                    "then": {"required": ["matrix"], "properties": {"matrix": {"type": "array"}}},
                    "else": {"properties": {"matrix": {"type": "null"}}},
                }
            ]
        }
    )

    likelihood: list[Label] = Field(
        default=DEFAULT_LIKELIHOOD,
        title="Likelihood scale",
        description="The likelihood levels' labels, lowest first: 2 to 10 words; a level's "
        "number is its position, from 1.",
        json_schema_extra=_scale_schema(),
    )
    severity: list[Label] = Field(
        default=DEFAULT_SEVERITY,
        title="Severity scale",
        description="The severity levels' labels, lowest first: 2 to 10 words; a level's "
        "number is its position, from 1.",
        json_schema_extra=_scale_schema(),
    )
    method: Literal["multiply", "matrix"] = Field(
        default="multiply",
        title="Scoring method",
        description="How a band is found: `multiply` (the band of likelihood times severity) or "
        "`matrix` (the cell of `matrix`).",
    )
    matrix: list[list[Label]] | None = Field(
        default=None,
        title="Risk matrix",
        description="Only for `method: matrix`: one row per likelihood level, one cell per "
        "severity level, each cell a band name.",
    )
    bands: list[Band] = Field(
        default_factory=_default_bands,
        title="Bands",
        description="The bands of risk scores in ascending order, each with `name` and "
        "`max`; a score falls in the first band whose `max` it does not exceed.",
        json_schema_extra={"minItems": 1},
    )
    appetite: Label = Field(
        default="medium",
        title="Risk appetite",
        description="The highest band acceptable without formal acceptance, by name.",
        json_schema_extra={CLAUSE_KEY: "6.1.1"},
    )
    vulnerable_uplift: int = Field(
        default=0,
        ge=0,
        title="Vulnerable uplift",
        description="Severity levels added to a risk that affects vulnerable people, and to "
        "an impact on a vulnerable group (capped at the top level): a whole number.",
    )
    # Whether a written residual counts before the treatment is in place.
    residual_credit: Literal["implemented", "planned"] = Field(
        default="implemented",
        title="Residual credit",
        description="When a risk's residual levels count: `implemented` (once the treatment "
        "is in place) or `planned` (as soon as they are written).",
    )
    severity_floor: list[SeverityFloor] = Field(
        default=[],
        title="Severity floors",
        description="Bands that severe risks get however unlikely they are: each "
        "`{severity, min_band}`; the highest floor that applies wins.",
    )

    @property
    def band_names(self) -> list[str]:
        return [b.name for b in self.bands]
