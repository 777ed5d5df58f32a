"""Every registered record kind is whole: schema, docs entry, report section, example.

The registry (`aimsctl.records.KINDS`) is the one list of kinds; these tests fail
when a kind is registered without the parts every kind needs. CONTRIBUTING.md
says which files a new kind touches.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from aimsctl.loader import FileTree
from aimsctl.records import KINDS
from aimsctl.reports import NAMES, Provenance, render_reports
from aimsctl.repository import Repository, load_repository
from aimsctl.schemas import generate
from conftest import AS_OF, EXAMPLE, PROJECT

REFERENCE = PROJECT / "docs" / "records.md"


@pytest.fixture(scope="module")
def example() -> Repository:
    return load_repository(EXAMPLE, date.fromisoformat(AS_OF))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_schema_committed_in_the_record_schema(kind: str) -> None:
    generated = generate()
    assert f"{kind.lower()}.schema.json" in generated  # written by `aimsctl schema`
    committed = PROJECT / "schemas" / "record.schema.json"
    assert committed.read_text(encoding="utf-8") == generated["record.schema.json"]
    combined = json.loads(committed.read_text(encoding="utf-8"))
    assert kind in combined["$defs"] and kind in combined["properties"]["kind"]["enum"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_docs_entry(kind: str) -> None:
    model = KINDS[kind]
    assert (model.__doc__ or "").strip(), f"{kind} needs a docstring saying what it is"
    assert model.FOLDER, f"{kind} needs FOLDER, the folder its records go in"
    assert f"\n## {kind}\n" in REFERENCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_shown_by_its_reports(kind: str, example: Repository) -> None:
    model = KINDS[kind]
    assert model.REPORTS, f"{kind} names no report that shows its records"
    assert set(model.REPORTS) <= set(NAMES)
    records = example.of_kind(model)
    assert records, f"the bundled example has no {kind} record to show"
    provenance = Provenance("Northwind", "", example.as_of, "abc")
    rendered = render_reports(example, list(model.REPORTS), "md", provenance)
    for name in model.REPORTS:
        text = rendered[f"{name}.md"]
        missing = [record.id for record in records if record.id not in text]
        assert not missing, f"report {name} does not show {kind} records {missing}"


def test_an_unknown_kind_is_answered_with_every_registered_kind() -> None:
    files = {"aims.yaml": b"version: 1\norganization: T\n", "x.yaml": b"kind: Risks\nid: X\n"}
    repo = load_repository(Path("/t"), date(2026, 1, 1), source=FileTree(files))
    [message] = [d.message for d in repo.diagnostics if d.path == "x.yaml"]
    assert "did you mean 'Risk'" in message
    files["x.yaml"] = b"kind: Nothing\nid: X\n"
    repo = load_repository(Path("/t"), date(2026, 1, 1), source=FileTree(files))
    [message] = [d.message for d in repo.diagnostics if d.path == "x.yaml"]
    assert all(kind in message for kind in KINDS)


def test_the_identity_rule_names_every_kind() -> None:
    from aimsctl import codes
    from aimsctl.rules import RULES

    assert all(kind in RULES[codes.RECORD_IDENTITY].fix for kind in KINDS)
