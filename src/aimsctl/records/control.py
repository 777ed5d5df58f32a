"""`Control`: one row of the Statement of Applicability (ISO/IEC 42001 6.1.3, Annex A)."""

from collections.abc import Iterable
from typing import ClassVar, Literal, Self

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from aimsctl import codes
from aimsctl.records.base import (
    PastDate,
    Record,
    RecordId,
    Strict,
    Text,
    about,
    across_fields,
    kind_field,
)
from aimsctl.records.clauses import ControlId
from aimsctl.vocabulary import ControlStatus


class Evidence(Strict):
    """A file in the repository (`path`) or a link (`url`), exactly one of them."""

    model_config = across_fields(
        {
            "oneOf": [
                {"required": ["path"], "properties": {"path": {"type": "string"}}},
                {"required": ["url"], "properties": {"url": {"type": "string"}}},
            ]
        }
    )

    path: Text | None = about(
        "Path",
        "A file or folder path relative to the repository root; it must exist inside the "
        "repository.",
        default=None,
    )
    url: Text | None = about("URL", "A link to evidence kept elsewhere.", default=None)
    description: str | None = about("Description", "What the evidence shows.", default=None)
    date: PastDate | None = about(
        "Dated", "When the evidence was produced, YYYY-MM-DD.", default=None
    )

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.path is None) == (self.url is None):
            raise PydanticCustomError("evidence", "give exactly one of `path` or `url`")
        return self


class Control(Record):
    """One row of the Statement of Applicability: an Annex A or organization control,
    applicable or excluded with a justification, its status and evidence."""

    KIND: ClassVar[str] = "Control"
    FOLDER: ClassVar[str] = "controls"
    CLAUSES: ClassVar[tuple[str, ...]] = ("6.1.3", "Annex A")
    REPORTS: ClassVar[tuple[str, ...]] = ("soa",)
    # Only an Annex A control may leave out its title: the catalogue supplies it.
    model_config = across_fields(
        {
            "if": {"required": ["id"], "properties": {"id": {"pattern": "^A\\."}}},
            "else": {"required": ["title"], "properties": {"title": {"type": "string"}}},
        }
    )

    kind: Literal["Control"] = kind_field()

    id: ControlId = about(
        "Control id",
        "An Annex A control id (`A.2.2` to `A.10.4`, one of the catalogue's 38) or an id of "
        "the organization's own control, which must not start with `A.`.",
        clause="6.1.3",
    )
    title: Text | None = about(  # type: ignore[assignment]  # the catalogue names Annex A controls
        "Title",
        "The control's name; leave it out on an Annex A control, whose title comes from "
        f"the catalogue (another title there is reported, {codes.ANNEX_A_TITLE_MISMATCH}).",
        default=None,
    )
    owner: Text | None = about(
        "Owner",
        "Who is answerable for the control; required when it is applicable. A person or a Role id.",
        default=None,
    )
    applicable: bool = about(
        "Applicable",
        "true when the control is included in the AI management system, false when it is excluded.",
        clause="6.1.3",
    )
    justification: str = about(
        "Justification",
        "Why the control is included, or why it is excluded; a control without one, either "
        f"way, is reported ({codes.CONTROL_UNJUSTIFIED}) and decides nothing.",
        clause="6.1.3",
    )
    basis: list[Literal["risk-treatment", "legal", "contractual", "best-practice", "business"]] = (
        about(
            "Basis",
            "The grounds for including it: `risk-treatment`, `legal`, `contractual`, "
            "`best-practice` or `business`.",
            clause="6.1.3",
            default=[],
        )
    )
    status: ControlStatus | None = about(
        "Implementation status",
        "How far it is implemented, least first: `not-started`, `planned`, `partial`, "
        "`implemented`; required when applicable. An implemented control needs evidence.",
        clause="6.1.3",
        default=None,
    )
    implementation: str | None = about(
        "Implementation", "How the control is implemented.", default=None
    )
    evidence: list[Evidence] = about(
        "Evidence",
        "Where to see that it works: each entry a `path` in the repository or a `url`, "
        "with an optional `description` and `date`.",
        clause="7.5",
        default=[],
    )
    systems: list[RecordId] = about(
        "Systems",
        "The ids of the AISystems it applies to; leave it out for all of them.",
        default=[],
    )

    @property
    def is_annex_a(self) -> bool:
        return self.id.startswith("A.")

    def left_out(self, system_ids: Iterable[str]) -> list[str]:
        """The systems among ``system_ids`` that the control's scope leaves out (none
        for a control that leaves `systems` out: it applies to them all)."""
        if not self.systems:
            return []
        return [system_id for system_id in system_ids if system_id not in self.systems]
