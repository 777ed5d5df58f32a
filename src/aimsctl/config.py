"""`aims.yaml`: the repository's configuration and AIMS scope.

An invalid configuration makes the repository unusable (exit 2), so every
problem here is raised as :class:`ConfigError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from aimsctl import codes, yamlsafe
from aimsctl.days import ISO_DATE, meant_date
from aimsctl.errors import ConfigError
from aimsctl.loader import CONFIG_FILE
from aimsctl.scoring import UNASSESSED
from aimsctl.text import NAME_CONTROLS
from aimsctl.validation_messages import (
    ITEM,
    NOT_BLANK,
    SPACES,
    describe_error,
    describe_input,
    did_you_mean,
)
from aimsctl.vocabulary import REPORT_NAMES, OversightMode, ReportName

RuleSetting = Literal["error", "warning", "off"]
# The JSON Schema keyword naming the ISO/IEC 42001 clause or Annex A control a field
# serves (an annotation validators ignore): the schemas add it to the description
# editors show, the record reference shows it in a column. Records use it too.
CLAUSE_KEY = "x-iso42001"
# The rule codes a key under `rules:` may be, as the JSON Schema lists them.
_RULE_CODES: list[JsonValue] = [*sorted(codes.ALL)]
# A code that leaves a record out may only be `error` (as _semantic_problems says).
_ERROR_ONLY: dict[str, JsonValue] = {
    code: {"const": "error", "description": f"Only `error`: {codes.LEAVES_RECORD_OUT_WHY}."}
    for code in sorted(codes.LEAVES_RECORD_OUT)
}
# Words: blank text is refused once stripped (the pattern, which the stripped text
# always meets, tells editors the same).
Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True, pattern=NOT_BLANK)]
# An exclude pattern is matched against paths written from the root: one starting
# with '/' or './' matches none.
_EXCLUDE_PATTERN = r"^(?:[^./]|\.(?:[^/]|$))"
# A scale has 2 to this many levels.
MAX_LEVELS = 10


# A scale's labels: words, since a level's number is its position (JSON Schema for
# editors; aims.yaml is checked in _semantic_problems).
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


# `templates:` as templates_folder takes it: once stripped, folder
# names separated by '/' ('.' names aside), at least one, none starting with '.', no '\\'
# and no control character.
_TEMPLATE_NAME = "[^./\\\\\\x00-\\x1f\\x7f][^/\\\\\\x00-\\x1f\\x7f]*"
_TEMPLATES_PATTERN = f"^\\s*(?!\\s)(?:\\./+)*{_TEMPLATE_NAME}(?:/+(?:\\.|{_TEMPLATE_NAME}))*/*\\s*$"


def templates_folder(folder: str) -> str:
    """The `templates:` folder of aims.yaml as a POSIX path, checked to be a visible
    folder below the root; ValueError saying why it is not (validate and report both
    refuse such a setting)."""
    text = folder.strip()
    pure = PurePosixPath(text)
    if not text or pure.is_absolute() or ".." in pure.parts or "\\" in folder:
        raise ValueError(
            f"{folder!r} must be a folder inside the repository, "
            "given relative to its root (e.g. report-templates)"
        )
    if not pure.parts:
        raise ValueError(
            f"{folder!r} names the repository root; templates must "
            "have a folder of their own (e.g. report-templates), so that they cannot "
            "include the repository's other files"
        )
    if NAME_CONTROLS.search(text):
        raise ValueError(f"{folder!r} holds a control character; write the plain folder name")
    hidden = next((part for part in pure.parts if part.startswith(".")), None)
    if hidden is not None:
        raise ValueError(
            f"{folder!r} is a hidden folder ({hidden!r} starts with "
            "'.'); templates are never read from hidden folders such as .git, so use a "
            "visible one (e.g. report-templates)"
        )
    return pure.as_posix()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _unassessed_pattern() -> str:
    """The band names whose casefold is UNASSESSED (`Unassessed`, `UNASSESSED`, `unaßeßed`),
    as a pattern for the JSON Schema, which has no casefold."""
    letters = {"s": "(?:[Ss\\u017f]{2}|[\\u00df\\u1e9e])"}
    word = "".join(letters.get(c, f"[{c.upper()}{c}]") for c in UNASSESSED.replace("ss", "s"))
    return f"^\\s*{word}\\s*$"


class Band(_Strict):
    """A band of risk scores: from above the previous band's `max` up to its own."""

    name: Label = Field(
        title="Band name",
        description="The band's name, e.g. `high`; tiers, the appetite and governance use it. "
        f"Not `{UNASSESSED}`, the tier of a system with no open risk.",
        # validate refuses it in any letter case (_semantic_problems)
        json_schema_extra={"not": {"pattern": _unassessed_pattern()}},
    )
    max: int = Field(
        ge=1,
        title="Highest score",
        description="The highest score (likelihood times severity) in the band, a whole number; "
        "bands are listed in ascending order and the last reaches the highest score.",
    )


class GovernancePolicy(_Strict):
    """What a system of one tier needs (proportional governance)."""

    review_days: int = Field(
        ge=1,
        title="Review every (days)",
        description="How often the records of a system of this tier are reviewed, in days.",
        json_schema_extra={CLAUSE_KEY: "9.1"},
    )
    impact_assessment: bool = Field(
        default=False,
        title="Impact assessment required",
        description="true when a system of this tier needs an approved impact assessment.",
        json_schema_extra={CLAUSE_KEY: "6.1.4"},
    )
    min_oversight: OversightMode = Field(
        default="none",
        title="Least oversight",
        description="The weakest human oversight a system of this tier may have: `none`, "
        "`periodic-review`, `human-on-the-loop` or `human-in-the-loop`.",
        json_schema_extra={CLAUSE_KEY: "A.9.3"},
    )
    # A system of the tier in validation or production needs an Evaluation that
    # passed within this many days (None: no such demand).
    evaluation_days: int | None = Field(
        default=None,
        ge=1,
        le=36_500,
        title="Evaluation within (days)",
        description="When set, a system of this tier in `validation` or `production` needs "
        "an Evaluation that passed within this many days; null for no such demand.",
        json_schema_extra={CLAUSE_KEY: "A.6.2.4"},
    )
    # A system of the tier in production needs at least one Monitor.
    monitoring: bool = Field(
        default=False,
        title="Monitoring required",
        description="true when a system of this tier in `production` needs at least one Monitor.",
        json_schema_extra={CLAUSE_KEY: "A.6.2.6"},
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


def _default_governance() -> dict[str, GovernancePolicy]:
    return {
        "critical": GovernancePolicy(
            review_days=90,
            impact_assessment=True,
            min_oversight="human-in-the-loop",
            evaluation_days=180,
            monitoring=True,
        ),
        "high": GovernancePolicy(
            review_days=180,
            impact_assessment=True,
            min_oversight="human-on-the-loop",
            evaluation_days=365,
            monitoring=True,
        ),
        "medium": GovernancePolicy(
            review_days=365, impact_assessment=False, min_oversight="periodic-review"
        ),
        "low": GovernancePolicy(review_days=730, impact_assessment=False, min_oversight="none"),
    }


# Policy for a band that `governance:` does not name, when no lower band has one
# either: no proportional demands, a yearly review.
UNLISTED_BAND_POLICY = GovernancePolicy(review_days=365)


class SeverityFloor(_Strict):
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


class RiskConfig(_Strict):
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


def _date(value: object) -> object:
    """YYYY-MM-DD text as a date (YAML 1.2 reads dates as text)."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError(
            "iso_date",
            "must be a date written YYYY-MM-DD, not {input}{meant}",
            {"input": describe_input(value), "meant": meant_date(str(value))},
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "iso_date", "must be a real calendar date, and {input} does not exist", {"input": value}
        ) from None


ConfigDate = Annotated[date, BeforeValidator(_date)]


def _report_name(value: object) -> object:
    if isinstance(value, str) and value not in REPORT_NAMES:
        raise PydanticCustomError(
            "report_name",
            "must be the name of a report ({names}), not {input}{hint}",
            {
                "names": ", ".join(REPORT_NAMES),
                "input": describe_input(value),
                "hint": did_you_mean(value, list(REPORT_NAMES)),
            },
        )
    return value


class Approval(_Strict):
    """Who approved a document, and on which day."""

    by: Label = Field(title="Approved by", description="Who approved the document.")
    on: ConfigDate = Field(title="Approved on", description="The day of approval, YYYY-MM-DD.")


class DocumentControl(_Strict):
    """A report as a controlled document: what its document-control block prints."""

    id: Label = Field(
        title="Document id",
        description="The document's identifier in the organization's document register.",
    )
    version: Label | None = Field(
        default=None, title="Version", description='The document\'s version as text, e.g. "2.1".'
    )
    owner: Label | None = Field(default=None, title="Owner", description="Who owns the document.")
    approval: Approval | None = Field(
        default=None, title="Approval", description="Who approved the document, and when."
    )
    next_review: ConfigDate | None = Field(
        default=None,
        title="Next review",
        description="When the document is next reviewed, YYYY-MM-DD.",
    )


class Cadence(_Strict):
    """How often the management system's recurring work is due, in days."""

    internal_audit_days: int = Field(
        default=365,
        ge=1,
        title="Internal audit every (days)",
        description="The longest time between internal audits, in days.",
        json_schema_extra={CLAUSE_KEY: "9.2"},
    )
    management_review_days: int = Field(
        default=365,
        ge=1,
        title="Management review every (days)",
        description="The longest time between management reviews, in days.",
        json_schema_extra={CLAUSE_KEY: "9.3"},
    )
    policy_review_days: int = Field(
        default=365,
        ge=1,
        title="Policy review every (days)",
        description="How long after its approval the AI policy is next reviewed, in days, "
        "unless the Policy gives `next_review`.",
        json_schema_extra={CLAUSE_KEY: "A.2.4"},
    )


class AimsConfig(_Strict):
    """The repository's configuration and the scope of its AI management system."""

    version: Literal[1] = Field(
        title="Contract version",
        description="The version of the record contract the repository is written to: 1.",
    )
    organization: Label = Field(
        title="Organization", description="The organization whose AI management system this is."
    )
    scope: str = Field(
        default="",
        title="Scope",
        description="The scope of the AI management system: which AI systems, functions and "
        "places it covers.",
        json_schema_extra={CLAUSE_KEY: "4.3"},
    )
    # An empty pattern matches no path: a slip, never what was meant. Nor does one
    # that starts with '/' or './' (paths are matched as written from the root).
    exclude: list[Annotated[str, StringConstraints(min_length=1, pattern=_EXCLUDE_PATTERN)]] = (
        Field(
            default=[],
            title="Exclude",
            description="Glob patterns of YAML files below the root that are not records, e.g. "
            "`drafts/**`; none empty, none starting with `/` or `./`.",
        )
    )
    risk: RiskConfig = Field(
        default_factory=RiskConfig,
        title="Risk scoring",
        description="The likelihood and severity scales, scoring method, bands and appetite.",
        json_schema_extra={CLAUSE_KEY: "6.1.1"},
    )
    governance: dict[str, GovernancePolicy] = Field(
        default_factory=_default_governance,
        title="Governance by tier",
        description="What a system needs by its tier (the highest band of its open risks), "
        "keyed by band name: review period, impact assessment, least oversight, evaluation "
        "and monitoring.",
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict,
        title="Rule settings",
        description="Per-rule severity overrides, keyed by rule code (`aimsctl rules` lists "
        "them): `error`, `warning` or `off`.",
        json_schema_extra={"propertyNames": {"enum": _RULE_CODES}, "properties": _ERROR_ONLY},
    )
    templates: str | None = Field(
        default=None,
        title="Templates",
        description="A folder in the repository with report templates that replace the "
        "built-in ones, given relative to the root: not the root, not hidden.",
        json_schema_extra={"pattern": _TEMPLATES_PATTERN},
    )
    # Document control of each report, by report name (`aimsctl report` prints it).
    documents: dict[Annotated[ReportName, BeforeValidator(_report_name)], DocumentControl] = Field(
        default_factory=dict,
        title="Document control",
        description="Document control of each report, keyed by report name: `id`, "
        "`version`, `owner`, `approval`, `next_review`.",
        json_schema_extra={CLAUSE_KEY: "7.5.3"},
    )
    # How often internal audits, management reviews and policy reviews are due.
    cadence: Cadence = Field(
        default_factory=Cadence,
        title="Cadence",
        description="How often internal audits, management reviews and policy reviews are "
        "due, in days.",
    )
    # When the AI management system started: the first audit and review fall due
    # one cadence period later (from the records' first day where that is earlier).
    established: ConfigDate | None = Field(
        default=None,
        title="Established",
        description="When the AI management system started, YYYY-MM-DD: the first internal "
        "audit and management review fall due one cadence period later. Where the records "
        "show it at work earlier (a policy approved, an audit begun, a review held), that "
        f"day counts instead, and {codes.ESTABLISHED_AFTER_RECORDS} warns.",
    )

    @field_validator("templates")
    @classmethod
    def _templates_folder_below_the_root(cls, value: str | None) -> str | None:
        # What report refuses before it looks at a file, so that validate does not
        # pass an aims.yaml that every report refuses.
        if value is not None:
            try:
                templates_folder(value)
            except ValueError as error:
                raise PydanticCustomError("templates", "{why}", {"why": str(error)}) from None
        return value

    @field_validator("exclude", mode="before")
    @classmethod
    def _exclude_from_the_root(cls, value: object) -> object:
        # The pattern's own words, not the schema pattern's.
        if isinstance(value, list):
            for index, pattern in enumerate(value):
                if isinstance(pattern, str) and re.match(r"\.?/", pattern):
                    meant = re.sub(r"^(?:\.?/+)+", "", pattern)
                    hint = f"; write {meant!r}" if meant else ""
                    raise PydanticCustomError(
                        "exclude",
                        "must be written from the root, without a leading '/' or './': "
                        "{pattern} matches no file{hint}",
                        {"pattern": repr(pattern), "hint": hint, ITEM: index},
                    )
        return value

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_the_number(cls, value: object) -> object:
        # Literal[1] would take true and 1.0, which equal 1 in Python.
        if isinstance(value, bool | float):
            raise PydanticCustomError(
                "version",
                "must be the number 1 (the version of the record contract), not {input}",
                {"input": describe_input(value)},
            )
        return value

    def policy(self, band: str) -> GovernancePolicy:
        """The governance of a tier: its own policy; where `governance:` names none,
        that of the nearest lower band that has one (a riskier tier never asks less
        than a lower one does); else :data:`UNLISTED_BAND_POLICY`."""
        found = self.governance.get(band)
        if found is not None:
            return found
        names = self.risk.band_names
        if band in names:
            for lower in reversed(names[: names.index(band)]):
                if lower in self.governance:
                    return self.governance[lower]
        return UNLISTED_BAND_POLICY


def _semantic_problems(config: AimsConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    """Checks that span fields: the scale, bands, matrix, appetite and governance agree."""
    risk = config.risk
    for axis in ("likelihood", "severity"):
        labels: list[str] = getattr(risk, axis)
        if not 2 <= len(labels) <= MAX_LEVELS:
            message = f"risk.{axis} must have 2 to {MAX_LEVELS} levels, not {len(labels)}"
            yield message, ("risk", axis)
        folded = [label.casefold() for label in labels]
        for index, label in enumerate(folded):
            if label in folded[:index]:
                yield f"risk.{axis} repeats the label {labels[index]!r}", ("risk", axis, index)
            # Digits alone, spaces between them or not ('1 2'), as the schema's pattern says.
            if all(char.isdigit() or char.isspace() for char in label):
                yield (
                    f"risk.{axis} label {labels[index]!r} is a number; labels must be words",
                    ("risk", axis, index),
                )
    if not risk.bands:
        yield "risk.bands must list at least one band", ("risk", "bands")
        return
    names = risk.band_names
    for index, band in enumerate(risk.bands):
        if band.name in names[:index]:
            yield f"risk.bands repeats the band name {band.name!r}", ("risk", "bands", index)
        if band.name.casefold() == UNASSESSED:
            yield (
                f"risk.bands names a band {band.name!r}: that word is the tier of a system "
                "with no open risk; choose another name",
                ("risk", "bands", index, "name"),
            )
        if index and band.max <= risk.bands[index - 1].max:
            yield (
                f"risk.bands must be ascending: {band.name!r} (max {band.max}) does not exceed "
                f"{risk.bands[index - 1].name!r} (max {risk.bands[index - 1].max})",
                ("risk", "bands", index, "max"),
            )
    top = len(risk.likelihood) * len(risk.severity)
    if risk.bands[-1].max < top:
        yield (
            f"risk.bands must reach the highest score {top} "
            f"({len(risk.likelihood)} x {len(risk.severity)}); the last band ends at "
            f"{risk.bands[-1].max}",
            ("risk", "bands", len(risk.bands) - 1, "max"),
        )
    if risk.appetite not in names:
        yield (
            f"risk.appetite {risk.appetite!r} is not a band; choose one of {', '.join(names)}"
            f"{did_you_mean(risk.appetite, names)}",
            ("risk", "appetite"),
        )
    yield from _floor_problems(risk)
    if risk.method == "matrix":
        yield from _matrix_problems(risk)
    elif risk.matrix is not None:
        yield "risk.matrix is only used with method: matrix; remove it", ("risk", "matrix")
    defaulted = "governance" not in config.model_fields_set
    for name in config.governance:
        if name not in names and defaulted:
            # Not written: the default governance (low to critical) meets the bands written.
            yield (
                f"governance is not written, and the default one names {name!r}, which is "
                f"not a band ({', '.join(names)}); write governance: with a policy for each "
                "band",
                ("risk", "bands"),
            )
        elif name not in names:
            yield (
                f"governance names {name!r}, which is not a band ({', '.join(names)})"
                f"{did_you_mean(name, names)}",
                ("governance", name),
            )
    for code, setting in config.rules.items():
        if code not in codes.ALL:
            # A code in other letters or with O for 0 (aims204, AIMS2O4) or a rule's name
            # (placeholder): the code meant; no guess between codes a digit apart.
            named = {codes.name(known): known for known in codes.ALL}
            written = code.strip().upper()
            meant = written[:4] + written[4:].replace("O", "0")
            hint = (
                f"; did you mean {meant!r}?"
                if meant in codes.ALL
                else f"; {code!r} is the name of rule {named[code.strip().casefold()]}: write "
                "its code"
                if code.strip().casefold() in named
                else ""
            )
            yield (
                f"rules: unknown rule code {code!r}; `aimsctl rules` lists them{hint}",
                ("rules", code),
            )
        elif code in codes.LEAVES_RECORD_OUT and setting != "error":
            yield (
                f"rules: {code} cannot be {setting!r}: {codes.LEAVES_RECORD_OUT_WHY}",
                ("rules", code),
            )


def _floor_problems(risk: RiskConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    folded = [label.casefold() for label in risk.severity]
    for index, floor in enumerate(risk.severity_floor):
        where: tuple[str | int, ...] = ("risk", "severity_floor", index)
        severity = floor.severity
        if isinstance(severity, bool) or (
            isinstance(severity, int) and not 1 <= severity <= len(folded)
        ):
            yield (
                f"risk.severity_floor severity {severity!r} is not a level from 1 to {len(folded)}",
                (*where, "severity"),
            )
        elif isinstance(severity, str) and severity.strip().casefold() not in folded:
            yield (
                f"risk.severity_floor severity {severity!r} is not a label of risk.severity "
                f"({', '.join(risk.severity)})",
                (*where, "severity"),
            )
        if floor.min_band not in risk.band_names:
            yield (
                f"risk.severity_floor min_band {floor.min_band!r} is not a band "
                f"({', '.join(risk.band_names)}){did_you_mean(floor.min_band, risk.band_names)}",
                (*where, "min_band"),
            )


def _matrix_problems(risk: RiskConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    rows, cols = len(risk.likelihood), len(risk.severity)
    if risk.matrix is None:
        yield (
            "method: matrix needs risk.matrix (rows = likelihood, columns = severity)",
            (
                "risk",
                "method",
            ),
        )
        return
    if len(risk.matrix) != rows:
        yield (
            f"risk.matrix must have {rows} rows (one per likelihood level), not {len(risk.matrix)}",
            ("risk", "matrix"),
        )
    names = risk.band_names
    for r, row in enumerate(risk.matrix):
        if len(row) != cols:
            yield (
                f"risk.matrix row {r + 1} must have {cols} cells (one per severity level), "
                f"not {len(row)}",
                ("risk", "matrix", r),
            )
        for c, cell in enumerate(row):
            if cell not in names:
                yield (
                    f"risk.matrix cell {cell!r} is not a band ({', '.join(names)})"
                    f"{did_you_mean(cell, names)}",
                    ("risk", "matrix", r, c),
                )


def parse_config(raw: bytes, path: str = CONFIG_FILE) -> AimsConfig:
    """Validate the bytes of aims.yaml, raising ConfigError at the first problem."""
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        raise ConfigError(problem.message, path, problem.line, problem.column)
    parsed = yamlsafe.parse(text)
    if parsed.problems:
        first = min(parsed.problems, key=lambda p: (p.line, p.column))
        raise ConfigError(first.message, path, first.line, first.column)
    if len(parsed.documents) > 1:
        extra = parsed.documents[1]
        raise ConfigError(
            f"aims.yaml must hold one document, but it holds {len(parsed.documents)}; "
            "remove the '---' and everything after it, or merge the settings into the first",
            path,
            extra.line,
            extra.column,
        )
    if not parsed.documents or not isinstance(parsed.documents[0].data, dict):
        only = parsed.documents[0] if parsed.documents else None
        raise ConfigError(
            "aims.yaml must hold one mapping of settings (version: 1, organization: ...); "
            "`aimsctl init` writes a complete one",
            path,
            only.line if only else 1,
            only.column if only else 1,
        )
    data = parsed.documents[0].data
    root = yamlsafe.document_nodes(text)[0]

    def at(
        message: str, parts: tuple[str | int, ...], at_key: bool = False
    ) -> tuple[str, int, int]:
        line, column, _ = yamlsafe.locate(root, parts, at_key)
        return message, line, column

    def described(detail: ErrorDetails) -> tuple[str, int, int]:
        message, parts, at_key = describe_error(
            detail, AimsConfig, written=lambda parts: yamlsafe.written_unheld_number(root, parts)
        )
        # A key that is not allowed (a report name under documents:) is shown at the key.
        return at(message, parts, at_key or detail["loc"][-1:] == ("[key]",))

    try:
        config = AimsConfig.model_validate(data)
    except ValidationError as error:
        problems = [described(detail) for detail in error.errors()]
    else:
        problems = [at(message, parts) for message, parts in _semantic_problems(config)]
    if problems:
        # Every problem at once, in file order.
        (message, line, column), *also = sorted(problems, key=lambda p: (p[1], p[2], p[0]))
        raise ConfigError(message, path, line, column, also)
    return config


def load_config(root: Path) -> AimsConfig:
    try:
        raw = (root / CONFIG_FILE).read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no {CONFIG_FILE} in {root}; run `aimsctl init` to create one", line=None
        ) from None
    except OSError as error:
        raise ConfigError(f"cannot read it: {error.strerror or error}", line=None) from None
    return parse_config(raw)
