"""Every field of the contract says what it means: titles, descriptions and clauses on
the models, in the JSON Schemas editors read, and in the record reference (docs/records.md).

A new kind, or a new field on an old one, cannot skip its description: the first
test walks every model :data:`KINDS` reaches, and aims.yaml.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from aimsctl import codes
from aimsctl.config import CLAUSE_KEY, AimsConfig
from aimsctl.records import KINDS
from aimsctl.records.clauses import is_requirement
from aimsctl.records.docs import render_markdown, rows
from aimsctl.schemas import generate
from conftest import PROJECT


def _models(annotation: Any, found: dict[str, type[BaseModel]]) -> None:
    """Every model reachable from ``annotation``: fields, lists, optionals, mappings.
    Keyed by module and name: records and aims.yaml each have an ``Approval``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        key = f"{annotation.__module__.rsplit('.', 1)[-1]}.{annotation.__name__}"
        if key not in found:
            found[key] = annotation
            for info in annotation.model_fields.values():
                _models(info.annotation, found)
        return
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, dict):
        for argument in typing.get_args(annotation):
            _models(argument, found)


def _all_models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for model in (*KINDS.values(), AimsConfig):
        _models(model, found)
    return found


MODELS = _all_models()
FIELDS = [
    (f"{name}.{field}", info)
    for name, model in sorted(MODELS.items())
    for field, info in model.model_fields.items()
]


def test_the_walk_reaches_nested_models() -> None:
    names = {name.rsplit(".", 1)[-1] for name in MODELS}
    assert {"Risk", "Treatment", "Levels", "Threshold", "AuditPeriod", "GovernancePolicy"} <= names
    assert {"base.Approval", "document_control.Approval"} <= set(MODELS)
    assert len(FIELDS) > 200


@pytest.mark.parametrize(("where", "info"), FIELDS, ids=[where for where, _ in FIELDS])
def test_every_field_has_a_title_and_a_description(where: str, info: Any) -> None:
    assert info.description and info.description.strip(), f"{where} has no description"
    assert info.title and info.title.strip(), f"{where} has no title of its own"
    assert info.description.rstrip().endswith((".", ")")), f"{where}: end it with a full stop"


def test_every_clause_named_is_a_clause_or_an_annex_a_id() -> None:
    clauses = {
        where: extra[CLAUSE_KEY]
        for where, info in FIELDS
        if isinstance(extra := info.json_schema_extra, dict) and CLAUSE_KEY in extra
    }
    assert len(clauses) > 80
    wrong = {where: clause for where, clause in clauses.items() if not is_requirement(clause)}
    assert wrong == {}


def test_editor_schemas_carry_titles_descriptions_and_the_clause() -> None:
    risk = json.loads(generate()["risk.schema.json"])
    status = risk["properties"]["status"]
    assert status["title"] == "Status"
    assert "`treating` (treatment under way)" in status["description"]
    acceptance = risk["properties"]["acceptance"]
    assert acceptance["title"] == "Acceptance"
    assert acceptance["description"].endswith(" ISO/IEC 42001: 6.1.3.")
    assert acceptance[CLAUSE_KEY] == "6.1.3"
    option = risk["$defs"]["Treatment"]["properties"]["option"]
    assert option["description"].startswith("`mitigate` (reduce it with controls)")
    aims = json.loads(generate()["aims.schema.json"])
    scope = aims["properties"]["scope"]
    assert scope["description"].endswith(" ISO/IEC 42001: 4.3.")
    # No generated title is left: each one is ours ("Affects Vulnerable" was Pydantic's).
    text = json.dumps([risk, aims])
    assert '"title": "Affects Vulnerable"' not in text
    assert risk["properties"]["affects_vulnerable"]["title"] == "Falls on vulnerable people"


def _reference_rows(markdown: str, section: str) -> dict[str, list[str]]:
    """The table of one section of the record reference: field -> its cells."""
    lines = markdown.split("\n")
    start = lines.index(f"## {section}")
    found: dict[str, list[str]] = {}
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            found[cells[0].strip("`")] = cells[1:]
    return found


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_reference_lists_every_field_of_every_kind(kind: str) -> None:
    table = _reference_rows(render_markdown(), kind)
    model = KINDS[kind]
    top = {info.alias or name for name, info in model.model_fields.items()}
    assert top <= set(table)
    assert [row.field for row in rows(model)] == list(table)
    for field, (_type, _required, _allowed, meaning, _clause) in table.items():
        assert meaning, f"{kind}.{field} has no meaning in the reference"


def test_a_reference_row_shows_type_requiredness_values_meaning_and_clause() -> None:
    risk = _reference_rows(render_markdown(), "Risk")
    assert risk["status"][:3] == ["text", "yes", "`open`, `treating`, `monitoring`, `closed`"]
    assert risk["status"][3].startswith("`open` (identified, not yet treated)")
    assert risk["treatment.option"][4] == "6.1.3"
    assert risk["inherent.likelihood"][0] == "whole number or text"
    control = _reference_rows(render_markdown(), "Control")
    assert control["id"][2] == "38 values, `A.2.2` to `A.10.4`"
    audit = _reference_rows(render_markdown(), "InternalAudit")
    assert audit["performed.from"][:2] == ["date", "yes"]


def test_the_reference_ends_with_aims_yaml() -> None:
    markdown = render_markdown()
    table = _reference_rows(markdown, "aims.yaml")
    assert table["version"][:3] == ["whole number", "yes", "`1`"]  # not the quoted "1"
    assert table["governance.<name>.review_days"][:2] == ["whole number", "yes"]
    assert table["cadence.internal_audit_days"][4] == "9.2"
    assert table["rules"][2].endswith("values, `AIMS001` to `" + max(codes.ALL) + "`")
    assert markdown == (PROJECT / "docs" / "records.md").read_text(encoding="utf-8")


def test_what_users_are_told_cites_the_information_for_users() -> None:
    """A system's instructions for use and its contact are information for its users
    (A.8.2, whose guidance lists a contact among what users are told), as the systems
    report, which cites A.8.2, shows them in its part for users; the contact cited
    A.8.5, which is about what the organization must report to interested parties."""
    system = KINDS["AISystem"].model_fields
    for field in ("instructions", "contact"):
        extra = system[field].json_schema_extra
        assert isinstance(extra, dict) and extra[CLAUSE_KEY] == "A.8.2", field
