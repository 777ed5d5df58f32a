"""docs/records.md, the record reference, generated from the kind registry.

For every kind: what it is, where its records go, the clauses they evidence, the
reports that show them, and every field with its type, whether it is required, its
allowed values, what it means and the clause it serves, read from the same JSON
Schema editors use (the titles and descriptions are written on the models); then
the same for aims.yaml. Regenerate with
``python -m aimsctl.records.docs > docs/records.md`` (scripts/regenerate.py does);
a test fails when the committed file differs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aimsctl.config import CLAUSE_KEY, AimsConfig
from aimsctl.records import KINDS
from aimsctl.records.base import Record
from aimsctl.schemas import record_schema
from aimsctl.text import Markdown, md_code, md_table, words

REGENERATE = "python -m aimsctl.records.docs > docs/records.md"


def _summary(model: type[Record] | type[AimsConfig]) -> str:
    return " ".join((model.__doc__ or "").split())


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema a property means: references followed, `X or null` unwrapped."""
    if "$ref" in node:
        return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        return _resolve(options[0], defs)
    return node


# An enumeration longer than this is shown by its count, first and last value.
LONG_ENUM = 12


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    node = _resolve(node, defs)
    if "enum" in node or "const" in node:  # named by its values' type: `version: 1` is a number
        values = node.get("enum") or [node.get("const")]
        if all(isinstance(value, str) for value in values):
            return "text"
        if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
            return "whole number"
    if "anyOf" in node and "type" in node:  # a constraint on a type, e.g. a Control id
        return _type({k: v for k, v in node.items() if k != "anyOf"}, defs)
    if "anyOf" in node:
        return " or ".join(dict.fromkeys(_type(option, defs) for option in node["anyOf"]))
    kind = node.get("type")
    if kind == "array":
        return f"list of {_type(node.get('items', {}), defs)}"
    if kind == "object":
        return "mapping"
    if kind == "string" and node.get("format") == "date":
        return "date"
    words_for = {"string": "text", "integer": "whole number", "boolean": "true or false"}
    return words_for.get(str(kind), str(kind or "any"))


def _allowed(node: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    node = _resolve(node, defs)
    if node.get("type") == "array":
        return _allowed(node.get("items", {}), defs)
    if node.get("type") == "object" and "propertyNames" in node:  # keys: rule codes
        return _allowed(node["propertyNames"], defs)
    if "enum" not in node and "anyOf" in node:  # e.g. an Annex A id, or an own id
        return [value for option in node["anyOf"] for value in _allowed(option, defs)]
    values = node.get("enum") or ([node["const"]] if "const" in node else [])
    return [str(value) for value in values]


@dataclass(frozen=True)
class Row:
    field: str
    type: str
    required: bool
    allowed: list[str]
    description: str
    clause: str


def _rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> Iterator[Row]:
    required = set(schema.get("required", ()))
    for name, node in schema.get("properties", {}).items():
        field = prefix + name
        yield Row(
            field,
            _type(node, defs),
            name in required,
            _allowed(node, defs),
            str(node.get("description", "")),
            str(node.get(CLAUSE_KEY, "")),
        )
        target, step = _resolve(node, defs), "."
        if target.get("type") == "array":
            target, step = _resolve(target.get("items", {}), defs), "[]."
        elif target.get("type") == "object" and "additionalProperties" in target:
            # A mapping keyed by name (governance tiers, reports): its values' fields.
            values = target["additionalProperties"]
            if isinstance(values, dict):
                target, step = _resolve(values, defs), ".<name>."
        if target.get("type") == "object" and "properties" in target:
            yield from _rows(target, defs, field + step)


def rows(model: Any) -> list[Row]:
    """Every field of a model, nested fields after their parent (`treatment.option`)."""
    schema = record_schema(model)
    return list(_rows(schema, schema.get("$defs", {})))


def _codes(values: list[str]) -> Markdown:
    if len(values) > LONG_ENUM:
        return Markdown(f"{len(values)} values, {md_code(values[0])} to {md_code(values[-1])}")
    return Markdown(", ".join(md_code(value) for value in values))


def _table(model: Any) -> list[str]:
    return md_table(
        ("Field", "Type", "Required", "Allowed values", "Meaning", "Clause"),
        (
            (
                md_code(row.field),
                row.type,
                "yes" if row.required else "",
                _codes(row.allowed),
                Markdown(" ".join(row.description.split())),
                row.clause,
            )
            for row in rows(model)
        ),
    )


def _section(kind: str, model: type[Record]) -> list[str]:
    lines = [f"## {kind}", "", _summary(model), ""]
    facts = [f"Folder: {md_code(model.FOLDER + '/')}"]
    if model.CLAUSES:
        facts.append(f"ISO/IEC 42001: {', '.join(model.CLAUSES)}")
    if model.REPORTS:
        facts.append(f"Reports: {words([md_code(r) for r in model.REPORTS], 'and')}")
    lines += [" · ".join(facts), ""]
    return [*lines, *_table(model), ""]


def render_markdown() -> str:
    lines = [
        "# Record reference",
        "",
        "<!-- Generated from the record models; do not edit by hand. -->",
        f"<!-- Regenerate with: {REGENERATE} -->",
        "",
        "Every kind of record aimsctl reads, with every field. Every record also has",
        "`kind` and `id`; `title` is required except on Annex A controls. Dates are",
        "written `YYYY-MM-DD`; likelihood and severity are a level number or a label of",
        "the scale in `aims.yaml`. A number is finite, and a whole one lies within ±2^53",
        "(9,007,199,254,740,992): numbers are held as 64-bit floats, which hold larger",
        "whole numbers only approximately. A number other than zero so close to zero",
        "that a 64-bit float would read it as 0 (`1e-400`) is refused where it is written",
        "(in a record, an observations CSV or imported results), never judged as 0; so",
        "is a decimal with more than 15 significant digits that a float would read as",
        "a neighbouring number (`0.79999999999999999`, read as 0.8, which would pass a",
        "threshold of 0.8 it fails), and the message says what it would be read as. One",
        "beyond a float's range (`1e400`), which reads as infinity, is refused as not",
        "finite, and the message shows it as written.",
        "A required text field (a title, an owner, a",
        "rationale) holds a character that is not a space: spaces alone name nobody and",
        "say nothing, so they are refused. A text field given a number, such as a",
        "`model_version: 3.10`, which YAML reads as the number 3.1, is refused with a",
        "word to put it in quotes. Decimals take a point: `0,95` is refused as text, and",
        "inside braces (`{min: 0,95}`) the comma starts another field, which the message",
        "names. The contract behind this page is versioned:",
        "see `version: 1` in `aims.yaml`. Each field's meaning and clause are also what",
        "an editor shows on hover, from the JSON Schemas in `schemas/`; the clause is the",
        "ISO/IEC 42001 clause or Annex A control the field serves. The last section is",
        "[`aims.yaml`](#aimsyaml).",
        "",
        "| Kind | What it is |",
        "|---|---|",
        *(f"| [{kind}](#{kind.lower()}) | {_summary(model)} |" for kind, model in KINDS.items()),
        "",
    ]
    for kind, model in KINDS.items():
        lines += _section(kind, model)
    lines += [
        "## aims.yaml",
        "",
        _summary(AimsConfig),
        "Every setting but `version` and `organization` has a default. Under `governance`",
        "and `documents`, `<name>` stands for a band name and a report name.",
        "",
        *_table(AimsConfig),
        "",
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
