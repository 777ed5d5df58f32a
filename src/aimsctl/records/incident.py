"""`Incident`: an AI incident and what followed from it (ISO/IEC 42001 A.8.4, A.6.2.6;
EU AI Act Art. 73)."""

import re
from datetime import date
from typing import ClassVar, Literal

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import (
    Level,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    across_fields,
    kind_field,
    resolve_level,
)

# Words that name an authority in a report's `to` that does not say `authority:`: whole
# words, so neither "regulatory affairs" nor "non-authority" reads as one.
_NAMES_AN_AUTHORITY = re.compile(
    r"(?<!non-)\bauthorit(?:y|ies)\b|\bregulators?\b|\bmarket[- ]surveillance\b|\bAI Office\b",
    re.I,
)

SeriousKind = Literal["death", "widespread", "critical-infrastructure", "other"]
IncidentStatus = Literal["open", "contained", "resolved", "closed"]


class Report(Strict):
    """A notification about the incident: to an authority, customers or the people affected."""

    to: Text = about(
        "Reported to",
        "Who was told: an authority, a customer, the people affected.",
        clause="A.8.4",
    )
    on: PastDate = about("Reported on", "The day of the report, YYYY-MM-DD.", clause="A.8.4")
    reference: Text | None = about(
        "Reference",
        "The recipient's case number, or the reference of the letter.",
        default=None,
    )
    authority: bool | None = about(
        "To an authority",
        "true when the report went to a market surveillance or other competent authority: "
        "the report EU AI Act Art. 73 asks of providers of high-risk systems; false when it "
        "did not. Left out, the report counts as one to an authority when `to` names one "
        "(the words authority, regulator, market surveillance or AI Office, as whole words: "
        "'regulatory affairs' or 'non-authority' is none).",
        default=None,
    )

    @property
    def to_authority(self) -> bool:
        """Whether this is a report to an authority: as `authority` says, or where it says
        nothing (records.md's shape has no such field), as `to` reads."""
        if self.authority is not None:
            return self.authority
        return _NAMES_AN_AUTHORITY.search(self.to) is not None


class Incident(Record):
    """An AI incident: the systems involved, when it occurred and was detected, its
    severity, whether it is serious in the EU AI Act's sense, who was told and when,
    and the risks and nonconformity that followed from it."""

    KIND: ClassVar[str] = "Incident"
    FOLDER: ClassVar[str] = "incidents"
    CLAUSES: ClassVar[tuple[str, ...]] = ("A.8.4", "A.6.2.6")
    REPORTS: ClassVar[tuple[str, ...]] = ("systems", "monitoring")
    # A serious_kind (the reporting deadline's kind) belongs to a serious incident only.
    model_config = across_fields(
        {
            "if": {
                "required": ["serious_kind"],
                "properties": {"serious_kind": {"type": "string"}},
            },
            "then": {"required": ["serious"], "properties": {"serious": {"const": True}}},
        }
    )

    kind: Literal["Incident"] = kind_field()

    systems: list[RecordId] = about(
        "Systems", "The ids of the AISystems involved; at least one.", min_length=1
    )
    occurred: PastDate = about("Occurred", "The day it happened, YYYY-MM-DD.")
    detected: PastDate = about(
        "Detected",
        "The day the organization learnt of it, YYYY-MM-DD; not before `occurred`. "
        "Reporting deadlines count from here.",
    )
    severity: Level = about(
        "Severity",
        "How severe it was: a level number or a label of the severity scale of aims.yaml.",
    )
    serious: bool = about(
        "Serious",
        "true for a serious incident in the EU AI Act's sense (Art. 3(49)).",
        default=False,
    )
    serious_kind: SeriousKind | None = about(
        "Kind of serious incident",
        "Only when `serious`: `death` (of a person; serious harm to health is `other`), "
        "`widespread` (a widespread infringement), `critical-infrastructure` (serious "
        "disruption of it) or `other`. It sets the reporting deadline: 2 days for `widespread` and "
        "`critical-infrastructure`, 10 for `death`, 15 otherwise.",
        default=None,
    )
    description: Text = about("Description", "What happened.", clause="A.8.4")
    affected: list[Text] = about("Affected", "Who was harmed.", default=[])
    reports: list[Report] = about(
        "Reports",
        "Who was told, and when: authorities, customers, the people affected.",
        clause="A.8.4",
        default=[],
    )
    risks: list[RecordId] = about(
        "Risks",
        "The ids of the Risks created or re-assessed because of it.",
        clause="6.1.2",
        default=[],
    )
    nonconformity: RecordId | None = about(
        "Nonconformity",
        "The id of the Nonconformity it raised, if any.",
        clause="10.2",
        default=None,
    )
    status: IncidentStatus = about(
        "Status",
        "`open`, `contained` (the harm is stopped), `resolved` (the cause is fixed) or `closed`.",
    )

    @field_validator("detected", mode="after")
    @classmethod
    def _not_before_occurred(cls, value: date, info: ValidationInfo) -> date:
        occurred = info.data.get("occurred")
        if isinstance(occurred, date) and value < occurred:
            raise PydanticCustomError(
                "detected",
                "must not be before `occurred` ({occurred}), not {value}",
                {"occurred": occurred.isoformat(), "value": value.isoformat()},
            )
        return value

    @field_validator("severity", mode="after")
    @classmethod
    def _on_scale(cls, value: int | str, info: ValidationInfo) -> int | str:
        return resolve_level(value, "severity", info)

    @field_validator("serious_kind", mode="after")
    @classmethod
    def _only_when_serious(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("serious") is False:
            raise PydanticCustomError(
                "serious_kind",
                "must only be given for a serious incident: set `serious: true`, or remove it",
            )
        return value
