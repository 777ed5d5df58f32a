"""`ImpactAssessment`: an AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, A.5)."""

from typing import ClassVar, Literal

from pydantic import ValidationInfo, field_validator

from aimsctl import codes
from aimsctl.records.base import (
    Approval,
    IsoDate,
    Level,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    kind_field,
    resolve_level,
)
from aimsctl.text import name_key

Dimension = Literal[
    "fairness",
    "accountability",
    "transparency",
    "privacy",
    "security",
    "safety",
    "health",
    "financial",
    "accessibility",
    "human-rights",
    "environment",
    "economic",
    "democracy",
    "culture",
]


class Assessed(Strict):
    """When the assessment was made, and by whom."""

    on: PastDate = about("Assessed on", "The day the assessment was made, YYYY-MM-DD.")
    by: Text = about("Assessed by", "Who made the assessment: a person or a Role id.")


class Engagement(Strict):
    """One occasion on which a stakeholder group was heard."""

    method: Literal[
        "interview", "survey", "workshop", "panel", "public-consultation", "document-review"
    ] = about(
        "Method",
        "How the group was heard: `interview`, `survey`, `workshop`, `panel`, "
        "`public-consultation` or `document-review`.",
        clause="4.2",
    )
    on: PastDate = about("Engaged on", "The day it took place, YYYY-MM-DD.")
    summary: str | None = about("Summary", "What was learnt.", default=None)


class AssessedStakeholder(Strict):
    """A stakeholder group the assessment considered, its concerns and how it was heard."""

    group: Text = about(
        "Group",
        "The group of people; impacts name it in `groups`, so each group is listed once "
        f"(a second is reported, {codes.DUPLICATE_ENTRY}).",
        clause="A.5.4",
    )
    vulnerable: bool = about(
        "Vulnerable",
        "true when the group is vulnerable; impacts on it are scored with "
        "`risk.vulnerable_uplift`.",
        clause="A.5.4",
        default=False,
    )
    concerns: list[str] = about("Concerns", "What the group worries about.", default=[])
    engagement: list[Engagement] = about(
        "Engagement",
        "How and when the group was heard: `method`, `on`, `summary`.",
        clause="4.2",
        default=[],
    )


class Impact(Strict):
    """One potential consequence of the system, scored on the risk scales."""

    dimension: Dimension = about(
        "Dimension",
        "Which aspect of people's lives or rights the impact touches.",
        clause="A.5.4",
    )
    scope: Literal["individual", "group", "society"] = about(
        "Scope",
        "Whom it falls on: an `individual`, a `group` of people, or `society`; "
        "`society` is a societal impact (A.5.5).",
        clause="A.5.4",
    )
    groups: list[str] = about(
        "Groups",
        "The stakeholder groups affected, by the `group` names under `stakeholders`.",
        default=[],
    )
    description: Text = about("Description", "What could happen, to whom.")
    likelihood: Level = about(
        "Likelihood",
        "How likely the impact is: a level number or a label of the likelihood scale of aims.yaml.",
        clause="6.1.4",
    )
    severity: Level = about(
        "Severity",
        "How severe the impact would be: a level number or a label of the severity scale "
        "of aims.yaml.",
        clause="6.1.4",
    )
    mitigations: list[RecordId] = about(
        "Mitigations",
        "The ids of the Risk or Control records that reduce the impact; an impact above "
        "the appetite needs one.",
        default=[],
    )

    @field_validator("likelihood", "severity", mode="after")
    @classmethod
    def _on_scale(cls, value: int | str, info: ValidationInfo) -> int | str:
        assert info.field_name is not None
        return resolve_level(value, info.field_name, info)


class ImpactAssessment(Record):
    """An impact assessment of one AI system: stakeholders and how they were heard,
    impacts by dimension, the decision and its approval."""

    KIND: ClassVar[str] = "ImpactAssessment"
    FOLDER: ClassVar[str] = "assessments"
    CLAUSES: ClassVar[tuple[str, ...]] = ("4.2", "6.1.4", "8.4", "A.5")
    REPORTS: ClassVar[tuple[str, ...]] = ("impact", "systems")

    kind: Literal["ImpactAssessment"] = kind_field()

    system: RecordId = about("System", "The id of the AISystem assessed.", clause="A.5.2")
    status: Literal["draft", "in-review", "approved", "superseded"] = about(
        "Status",
        "`draft`, `in-review`, `approved` (needs `approval` and `decision`) or "
        "`superseded` (replaced by a newer assessment).",
        clause="A.5.3",
    )
    assessed: Assessed = about(
        "Assessed", "When the assessment was made (`on`) and by whom (`by`).", clause="8.4"
    )
    approval: Approval | None = about(
        "Approval",
        "Who approved the assessment, and when; required once `approved`.",
        clause="A.5.3",
        default=None,
    )
    next_review: IsoDate | None = about(
        "Next review",
        "When the assessment is to be looked at again, YYYY-MM-DD; without it, the review "
        "period of the system's governance tier applies. A date later than that period "
        f"allows is still the date, and validate warns of it ({codes.NEXT_REVIEW_BEYOND_PERIOD}).",
        clause="8.4",
        default=None,
    )
    stakeholders: list[AssessedStakeholder] = about(
        "Stakeholders",
        "The groups considered, whether each is vulnerable, their concerns and how they "
        "were heard.",
        clause="A.5.4",
        default=[],
    )
    impacts: list[Impact] = about(
        "Impacts",
        "The potential consequences for individuals, groups and society, each scored.",
        clause="A.5.4",
        default=[],
    )
    decision: Literal["proceed", "proceed-with-conditions", "do-not-proceed"] | None = about(
        "Decision",
        "What the assessment concludes: `proceed`, `proceed-with-conditions` or "
        "`do-not-proceed`; required once `approved`.",
        clause="6.1.4",
        default=None,
    )
    conclusion: str | None = about(
        "Conclusion", "The reasoning behind the decision, and any conditions.", default=None
    )

    def on_vulnerable(self, impact: Impact) -> bool:
        """Whether an impact falls on a stakeholder group this assessment marks vulnerable
        (such an impact is scored with the configured vulnerable uplift)."""
        vulnerable = {name_key(s.group) for s in self.stakeholders if s.vulnerable}
        return any(name_key(group) in vulnerable for group in impact.groups)
