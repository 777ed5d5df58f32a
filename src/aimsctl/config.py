"""`aims.yaml`: the repository's configuration and AIMS scope.

An invalid configuration makes the repository unusable (exit 2), so every
problem here is raised as :class:`ConfigError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from aimsctl import codes, yamlsafe
from aimsctl.errors import ConfigError
from aimsctl.loader import CONFIG_FILE
from aimsctl.validation_messages import describe_error, describe_input, did_you_mean
from aimsctl.vocabulary import REPORT_NAMES, OversightMode, ReportName

RuleSetting = Literal["error", "warning", "off"]
Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Band(_Strict):
    name: Label
    max: int = Field(ge=1)


class GovernancePolicy(_Strict):
    review_days: int = Field(ge=1)
    impact_assessment: bool = False
    min_oversight: OversightMode = "none"
    # A system of the tier in validation or production needs an Evaluation that
    # passed within this many days (None: no such demand).
    evaluation_days: int | None = Field(default=None, ge=1, le=36_500)
    # A system of the tier in production needs at least one Monitor.
    monitoring: bool = False


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


# Policy for a band that `governance:` does not name: no proportional demands,
# a yearly review.
UNLISTED_BAND_POLICY = GovernancePolicy(review_days=365)


class SeverityFloor(_Strict):
    """A risk this severe gets at least this band, however unlikely it is."""

    severity: int | Label  # a level number or a label of the severity scale
    min_band: Label


class RiskConfig(_Strict):
    likelihood: list[Label] = DEFAULT_LIKELIHOOD
    severity: list[Label] = DEFAULT_SEVERITY
    method: Literal["multiply", "matrix"] = "multiply"
    matrix: list[list[Label]] | None = None
    bands: list[Band] = Field(default_factory=_default_bands)
    appetite: Label = "medium"
    vulnerable_uplift: int = Field(default=0, ge=0)
    # Whether a written residual counts before the treatment is in place.
    residual_credit: Literal["implemented", "planned"] = "implemented"
    severity_floor: list[SeverityFloor] = []

    @property
    def band_names(self) -> list[str]:
        return [b.name for b in self.bands]


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, unlike \d


def _date(value: object) -> object:
    """YYYY-MM-DD text as a date (YAML 1.2 reads dates as text)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError(
            "iso_date",
            "must be a date written YYYY-MM-DD, not {input}",
            {"input": describe_input(value)},
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

    by: Label
    on: ConfigDate


class DocumentControl(_Strict):
    """A report as a controlled document: what its document-control block prints."""

    id: Label  # the document's identifier in the organization's document register
    version: Label | None = None  # text, e.g. "2.1"
    owner: Label | None = None
    approval: Approval | None = None
    next_review: ConfigDate | None = None


class Cadence(_Strict):
    """How often the management system's recurring work is due, in days."""

    internal_audit_days: int = Field(default=365, ge=1)
    management_review_days: int = Field(default=365, ge=1)
    policy_review_days: int = Field(default=365, ge=1)


class AimsConfig(_Strict):
    version: Literal[1]
    organization: Label
    scope: str = ""
    exclude: list[str] = []
    risk: RiskConfig = Field(default_factory=RiskConfig)
    governance: dict[str, GovernancePolicy] = Field(default_factory=_default_governance)
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    templates: str | None = None
    # Document control of each report, by report name (`aimsctl report` prints it).
    documents: dict[Annotated[ReportName, BeforeValidator(_report_name)], DocumentControl] = Field(
        default_factory=dict
    )
    # How often internal audits, management reviews and policy reviews are due.
    cadence: Cadence = Field(default_factory=Cadence)
    # When the AI management system started: the first audit and review fall due
    # one cadence period later.
    established: ConfigDate | None = None

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
        return self.governance.get(band, UNLISTED_BAND_POLICY)


def _semantic_problems(config: AimsConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    """Checks that span fields: the scale, bands, matrix, appetite and governance agree."""
    risk = config.risk
    for axis in ("likelihood", "severity"):
        labels: list[str] = getattr(risk, axis)
        if not 2 <= len(labels) <= 10:
            yield f"risk.{axis} must have 2 to 10 levels, not {len(labels)}", ("risk", axis)
        folded = [label.casefold() for label in labels]
        for index, label in enumerate(folded):
            if label in folded[:index]:
                yield f"risk.{axis} repeats the label {labels[index]!r}", ("risk", axis, index)
            if label.isdigit():
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
            f"risk.appetite {risk.appetite!r} is not a band; choose one of {', '.join(names)}",
            ("risk", "appetite"),
        )
    yield from _floor_problems(risk)
    if risk.method == "matrix":
        yield from _matrix_problems(risk)
    elif risk.matrix is not None:
        yield "risk.matrix is only used with method: matrix; remove it", ("risk", "matrix")
    for name in config.governance:
        if name not in names:
            yield (
                f"governance names {name!r}, which is not a band ({', '.join(names)})",
                ("governance", name),
            )
    for code in config.rules:
        if code not in codes.ALL:
            yield f"rules: unknown rule code {code!r}; `aimsctl rules` lists them", ("rules", code)


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
                f"({', '.join(risk.band_names)})",
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
                    f"risk.matrix cell {cell!r} is not a band ({', '.join(names)})",
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
        message, parts, at_key = describe_error(detail, AimsConfig)
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


def find_root(start: Path) -> Path:
    """The folder holding aims.yaml: ``start`` or its nearest parent."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_FILE} found in {start} or any parent folder; "
        "pass the repository path or run `aimsctl init`",
        str(start),
        line=None,
    )
