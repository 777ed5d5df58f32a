"""`InternalAudit`: an internal audit of the AI management system (ISO/IEC 42001 9.2)."""

from typing import ClassVar, Literal, Self

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from aimsctl import codes
from aimsctl.records.base import (
    IsoDate,
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    kind_field,
)
from aimsctl.records.clauses import Requirement, ScopeItem

FindingType = Literal["major-nonconformity", "minor-nonconformity", "observation", "opportunity"]
# Finding types that are nonconformities: each must lead to a Nonconformity record.
NONCONFORMITY_TYPES: tuple[str, ...] = ("major-nonconformity", "minor-nonconformity")


class AuditPeriod(Strict):
    from_: PastDate = about("From", "The first day of the audit, YYYY-MM-DD.", alias="from")
    to: PastDate = about("To", "The last day of the audit, YYYY-MM-DD; not before `from`.")

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.to < self.from_:
            raise PydanticCustomError(
                "period", "must not end ({to}) before it starts", {"to": str(self.to)}
            )
        return self


class AuditFinding(Strict):
    id: Text = about(
        "Finding id",
        "The finding's number or name within the audit, by which it is cited; each "
        f"finding of an audit has its own (a second is reported, {codes.DUPLICATE_ENTRY}).",
    )
    type: FindingType = about(
        "Finding type",
        "`major-nonconformity`, `minor-nonconformity` (a requirement not met; each needs "
        "a Nonconformity record), `observation` or `opportunity` (for improvement).",
        clause="9.2.2",
    )
    reference: Requirement | None = about(
        "Requirement",
        'The clause number (quoted, "4" to "10.2") or the Annex A id the finding is about.',
        default=None,
    )
    description: Text = about("Description", "What the auditor found.")
    nonconformity: RecordId | None = about(
        "Nonconformity",
        "The id of the Nonconformity the finding raised; required for the two nonconformity types.",
        clause="10.2",
        default=None,
    )


class InternalAudit(Record):
    """An internal audit: its status, plan and scope, the auditor and whether they are
    independent of what they audit, when it was performed and what it found."""

    KIND: ClassVar[str] = "InternalAudit"
    FOLDER: ClassVar[str] = "audits"
    CLAUSES: ClassVar[tuple[str, ...]] = ("9.2",)
    REPORTS: ClassVar[tuple[str, ...]] = ("management",)

    kind: Literal["InternalAudit"] = kind_field()

    status: Literal["planned", "in-progress", "completed"] = about(
        "Status", "`planned`, `in-progress` or `completed` (needs `performed`).", clause="9.2"
    )
    planned: IsoDate = about(
        "Planned for", "When the audit is planned, YYYY-MM-DD.", clause="9.2.2"
    )
    scope: list[ScopeItem] = about(
        "Scope",
        'What the audit covers: clause numbers (quoted, "4" to "10.2"), Annex A ids or '
        "AISystem ids; at least one. Together, the audits of the programme cover every "
        "clause from 4 to 10 and every applicable Annex A control.",
        clause="9.2.2",
        min_length=1,
    )
    auditor: Text = about("Auditor", "Who audits: a person or a firm.", clause="9.2.2")
    independent: bool = about(
        "Independent",
        "true when the auditor is independent of the area audited (objective and impartial).",
        clause="9.2.2",
    )
    performed: AuditPeriod | None = about(
        "Performed",
        "When the audit took place: `from` and `to`; required once `completed`.",
        default=None,
    )
    findings: list[AuditFinding] = about(
        "Findings",
        "What the audit found: `id`, `type`, `reference`, `description`, `nonconformity`.",
        clause="9.2.2",
        default=[],
    )
    report: Text | None = about(
        "Report",
        "The audit report: a path in the repository or a URL.",
        clause="9.2.2",
        default=None,
    )
