"""Checking a text: what yamlsafe and the record checker say of it, one line per
problem, and whether two texts hold the same data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aimsctl import yamlsafe

if TYPE_CHECKING:
    from aimsctl.diagnostics import Diagnostic


def text_problems(
    text: str, rel: str, context: dict[str, Any] | None = None, records: bool = True
) -> list[str]:
    """What is wrong with ``text`` as a record file, one ``rel:line:col: CODE message``
    per problem: YAML yamlsafe cannot read, and (with ``records``) records the record
    checker refuses."""
    from aimsctl.loader import Locator, parse_file
    from aimsctl.records.check import check_document

    documents, diagnostics = parse_file(rel, text.encode("utf-8"))
    found = list(diagnostics)
    locator = Locator()
    for document in documents if records else ():
        _, problems = check_document(document, locator, context or {})
        found += problems
    return [diagnostic_line(d) for d in sorted(found, key=lambda d: (d.line, d.column, d.code))]


def diagnostic_line(diagnostic: Diagnostic) -> str:
    where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    return f"{where}: {diagnostic.code} {diagnostic.message}"


def same_data(first: str, second: str) -> bool:
    """Whether two texts hold the same documents, as yamlsafe reads them (an empty
    document, which the loader skips, does not count)."""
    one, two = yamlsafe.parse(first), yamlsafe.parse(second)
    return (
        not one.problems
        and not two.problems
        and [_comparable(d.data) for d in one.documents if d.data is not None]
        == [_comparable(d.data) for d in two.documents if d.data is not None]
    )


def _comparable(value: Any) -> Any:
    """``value`` with NaN made equal to itself (and kept apart from 1.0 and True)."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, bool | int):
        return (type(value).__name__, value)
    return value
