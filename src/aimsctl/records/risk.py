"""`Risk`: one entry of the AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3)."""

from typing import ClassVar, Literal

from pydantic import ValidationInfo, field_validator

from aimsctl.records.base import (
    IsoDate,
    Level,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    kind_field,
    owner_field,
    resolve_level,
)
from aimsctl.records.clauses import ControlId

RiskSource = Literal[
    "complexity-of-environment",
    "lack-of-transparency",
    "level-of-automation",
    "machine-learning",
    "hardware",
    "life-cycle",
    "technology-readiness",
    "other",
]
RiskStatus = Literal["open", "treating", "monitoring", "closed"]
Objective = Literal[
    "accountability",
    "ai-expertise",
    "data-quality",
    "environmental-impact",
    "fairness",
    "maintainability",
    "privacy",
    "robustness",
    "safety",
    "security",
    "transparency",
]


LEVEL_TEXT = (
    "a level number from 1 (the lowest) to the number of levels of the {axis} scale in "
    "aims.yaml, or one of that scale's labels (case-insensitive)"
)


class Levels(Strict):
    """A likelihood and a severity; after validation with scales, both are numbers."""

    likelihood: Level = about(
        "Likelihood",
        f"How likely the harm is: {LEVEL_TEXT.format(axis='likelihood')}.",
        clause="6.1.2",
    )
    severity: Level = about(
        "Severity",
        f"How bad the harm would be: {LEVEL_TEXT.format(axis='severity')}.",
        clause="6.1.2",
    )

    @field_validator("likelihood", "severity", mode="after")
    @classmethod
    def _on_scale(cls, value: int | str, info: ValidationInfo) -> int | str:
        assert info.field_name is not None
        return resolve_level(value, info.field_name, info)


class Treatment(Strict):
    """How the risk is dealt with."""

    option: Literal["mitigate", "avoid", "transfer", "accept"] = about(
        "Treatment option",
        "`mitigate` (reduce it with controls), `avoid` (stop the activity that causes it), "
        "`transfer` (share it, e.g. by contract or insurance) or `accept` (retain it).",
        clause="6.1.3",
    )
    controls: list[ControlId] = about(
        "Controls",
        "The ids of the Control records that treat the risk (Annex A ids or the "
        "organization's own controls); they must be applicable.",
        clause="6.1.3",
        default=[],
    )
    plan: str | None = about(
        "Treatment plan",
        "What will be done, beyond the controls named.",
        clause="6.1.3",
        default=None,
    )
    due: IsoDate | None = about(
        "Due", "When the treatment should be in place, YYYY-MM-DD.", clause="8.3", default=None
    )
    owner: Text | None = about(
        "Treatment owner", "Who carries out the plan: a person or a Role id.", default=None
    )
    completed: PastDate | None = about(
        "Completed on",
        "The day the plan was carried out, YYYY-MM-DD; from then on the residual levels "
        "count as the risk's current position.",
        clause="8.3",
        default=None,
    )


class Acceptance(Strict):
    """The formal acceptance of a residual risk above the appetite."""

    by: Text = about(
        "Accepted by",
        "Who accepted the risk: a person or Role with the authority to.",
        clause="6.1.3",
    )
    on: PastDate = about("Accepted on", "The day of the acceptance, YYYY-MM-DD.")
    rationale: Text = about("Rationale", "Why the risk is acceptable as it stands.")
    expires: IsoDate = about(
        "Expires",
        "The last day the acceptance holds, YYYY-MM-DD; after it the risk is above appetite again.",
    )


class Risk(Record):
    """One entry of the AI risk register: the systems it concerns, its sources,
    inherent and residual likelihood and severity, treatment and acceptance."""

    KIND: ClassVar[str] = "Risk"
    FOLDER: ClassVar[str] = "risks"
    CLAUSES: ClassVar[tuple[str, ...]] = ("6.1.2", "6.1.3", "8.2", "8.3")
    REPORTS: ClassVar[tuple[str, ...]] = ("risks", "systems")

    kind: Literal["Risk"] = kind_field()

    owner: Text = owner_field("Who is answerable for the risk and its treatment.", "6.1.2")
    description: Text = about("Description", "What could happen, to whom, and why.", clause="6.1.2")
    systems: list[RecordId] = about(
        "Systems", "The ids of the AISystems the risk concerns; at least one.", min_length=1
    )
    sources: list[RiskSource] = about(
        "Risk sources",
        "What gives rise to the risk, from the risk sources of ISO/IEC 42001 Annex C.",
        clause="6.1.2",
        default=[],
    )
    objectives: list[Objective] = about(
        "Objectives at stake",
        "The organizational objectives of ISO/IEC 42001 Annex C the risk threatens.",
        clause="6.1.2",
        default=[],
    )
    data_stage: Literal["training", "input", "output"] | None = about(
        "Data stage",
        "Where in the data life cycle the risk arises: `training`, `input` or `output` data.",
        clause="A.7",
        default=None,
    )
    misuse: bool = about(
        "From misuse",
        "true when the risk comes from foreseeable misuse rather than intended use.",
        default=False,
    )
    affects: list[Literal["individuals", "groups", "society", "organization"]] = about(
        "Who bears the harm",
        "`individuals`, `groups` of people, `society` as a whole, or the `organization`.",
        clause="6.1.2",
        default=[],
    )
    affects_vulnerable: bool = about(
        "Falls on vulnerable people",
        "true when the harm falls on vulnerable people: the severity is raised by "
        "`risk.vulnerable_uplift` levels of aims.yaml.",
        default=False,
    )
    inherent: Levels = about(
        "Inherent levels",
        "Likelihood and severity before any treatment.",
        clause="8.2",
    )
    treatment: Treatment | None = about(
        "Treatment",
        "How the risk is treated: `option`, `controls`, `plan`, `due`, `owner`, "
        "`completed`. Once given, `residual` is needed too.",
        clause="6.1.3",
        default=None,
    )
    residual: Levels | None = about(
        "Residual levels",
        "Likelihood and severity expected after the treatment; they count once the "
        "treatment is in place (see `risk.residual_credit`).",
        clause="8.3",
        default=None,
    )
    acceptance: Acceptance | None = about(
        "Acceptance",
        "The formal acceptance of a risk whose current band is above the appetite: `by`, "
        "`on`, `rationale`, `expires`.",
        clause="6.1.3",
        default=None,
    )
    status: RiskStatus = about(
        "Status",
        "`open` (identified, not yet treated), `treating` (treatment under way), "
        "`monitoring` (treated and watched) or `closed` (no longer applies). Closed risks "
        "do not count towards a system's tier.",
    )
