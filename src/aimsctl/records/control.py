"""`Control`: one row of the Statement of Applicability (ISO/IEC 42001 6.1.3, Annex A)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from aimsctl.records.base import PastDate, Record, RecordId, Strict, Text
from aimsctl.vocabulary import ControlStatus


class Evidence(Strict):
    """A file in the repository (`path`) or a link (`url`), exactly one of them."""

    path: Text | None = None
    url: Text | None = None
    description: str | None = None
    date: PastDate | None = None  # when the evidence was produced

    @model_validator(mode="after")
    def _one_target(self) -> Evidence:
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

    kind: Literal["Control"]

    title: Text | None = None  # type: ignore[assignment]  # the catalogue names Annex A controls
    applicable: bool
    justification: str
    basis: list[Literal["risk-treatment", "legal", "contractual", "best-practice", "business"]] = []
    status: ControlStatus | None = None
    implementation: str | None = None
    evidence: list[Evidence] = []
    systems: list[RecordId] = []

    @property
    def is_annex_a(self) -> bool:
        return self.id.startswith("A.")
