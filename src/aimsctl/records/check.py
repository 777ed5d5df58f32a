"""Raw documents to typed records: kind dispatch, schema validation, diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from aimsctl import codes
from aimsctl.catalog import annex_a
from aimsctl.diagnostics import Diagnostic, Severity, identity_of, pointer_of
from aimsctl.errors import LFS_NOT_PULLED
from aimsctl.fileio import lfs_pointer
from aimsctl.loader import Document, Locator
from aimsctl.records import KINDS
from aimsctl.records.base import Record
from aimsctl.validation_messages import Parts, describe_error, did_you_mean

_CODE_FOR_ERROR = {"missing": codes.MISSING_FIELD, "extra_forbidden": codes.UNKNOWN_FIELD}
# Problems per record that get a "did you mean" hint; the rest are listed plainly.
_HINTED = 100


@dataclass(slots=True)
class Checked:
    """The outcome for one document: its identity (if readable) and its model (if valid)."""

    document: Document
    kind: str | None
    id: str | None
    record: Record | None


def record_position(document: Document, locator: Locator) -> tuple[int, int]:
    """Where a finding about the whole record points: its `kind` key."""
    if isinstance(document.data, dict) and "kind" in document.data:
        return locator.position(document, ("kind",), at_key=True)
    return document.line, document.column


def diagnostic_at(
    document: Document,
    locator: Locator,
    code: str,
    message: str,
    parts: Parts = (),
    at_key: bool = False,
    record: str | None = None,
    severity: Severity = Severity.ERROR,
    whole_record: bool = False,
) -> Diagnostic:
    """A diagnostic at ``parts`` inside the document, or at its kind line."""
    if parts and not whole_record:
        line, column = locator.position(document, parts, at_key)
    else:
        line, column = record_position(document, locator)
    identity = identity_of(document.data, parts) if any(isinstance(p, int) for p in parts) else ""
    return Diagnostic(
        code,
        severity,
        message,
        document.source.path,
        line,
        column,
        record,
        pointer_of(parts),
        identity=identity,
    )


def _identity(
    document: Document, locator: Locator
) -> tuple[str | None, str | None, list[Diagnostic]]:
    data = document.data
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        if isinstance(data, str) and lfs_pointer(document.source.raw):
            message = f"the file {LFS_NOT_PULLED}"
        else:
            message = f"document is {shape}, not a record; a record is a mapping with kind and id"
        return (
            None,
            None,
            [
                diagnostic_at(
                    document,
                    locator,
                    codes.NOT_A_RECORD,
                    message,
                )
            ],
        )
    kind, record_id = data.get("kind"), data.get("id")
    problems: list[Diagnostic] = []
    shown_id = record_id if isinstance(record_id, str) else None
    if kind is None:
        problems.append(
            diagnostic_at(
                document,
                locator,
                codes.RECORD_IDENTITY,
                f"record has no kind; add one of: {', '.join(KINDS)}",
                record=shown_id,
            )
        )
    elif not isinstance(kind, str) or kind not in KINDS:
        hint = did_you_mean(str(kind), list(KINDS)) or f"; use one of: {', '.join(KINDS)}"
        problems.append(
            diagnostic_at(
                document,
                locator,
                codes.RECORD_IDENTITY,
                f"unknown kind {kind!r}{hint}",
                ("kind",),
                record=shown_id,
            )
        )
        kind = None
    if record_id is None:
        problems.append(
            diagnostic_at(
                document,
                locator,
                codes.RECORD_IDENTITY,
                "record has no id; every record needs a unique id",
            )
        )
    return kind, shown_id, problems


def check_document(
    document: Document, locator: Locator, context: dict[str, Any]
) -> tuple[Checked, list[Diagnostic]]:
    kind, record_id, problems = _identity(document, locator)
    if problems or kind is None:
        return Checked(document, kind, record_id, None), problems
    model = KINDS[kind]
    try:
        record = model.model_validate(document.data, context=context)
    except ValidationError as error:
        for number, detail in enumerate(error.errors()):
            message, parts, at_key = describe_error(
                detail,
                model,
                hint=number < _HINTED,
                written=lambda parts: locator.written_unheld_number(document, parts),
            )
            problems.append(
                diagnostic_at(
                    document,
                    locator,
                    _CODE_FOR_ERROR.get(detail["type"], codes.INVALID_VALUE),
                    message,
                    parts,
                    at_key,
                    record_id,
                    whole_record=detail["type"] == "missing" and len(parts) == 1,
                )
            )
        return Checked(document, kind, record_id, None), problems
    # `A.` ids name Annex A controls: on a Control only a catalogue id, on any other
    # kind none (a Risk called A.6.2.4 would read as the control wherever it is named).
    if record.id.startswith("A.") and (kind != "Control" or record.id not in annex_a()):
        where = (
            "is not an Annex A control" if kind == "Control" else "is reserved for Annex A controls"
        )
        hint = did_you_mean(record.id, list(annex_a())) if kind == "Control" else ""
        problems.append(
            diagnostic_at(
                document,
                locator,
                codes.UNKNOWN_ANNEX_A_ID,
                f"id {record.id!r} {where}{hint}",
                ("id",),
                record=record.id,
            )
        )
    if record.title is None and not record.id.startswith("A."):
        problems.append(
            diagnostic_at(
                document,
                locator,
                codes.MISSING_FIELD,
                "missing required field 'title' (only Annex A controls take it from the catalogue)",
                record=record.id,
            )
        )
    return Checked(document, kind, record_id, None if problems else record), problems
