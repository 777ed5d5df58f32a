"""docs/records.md, the record reference, generated from the kind registry.

For every kind: what it is, where its records go, the clauses they evidence, the
reports that show them, and every field with its type, whether it is required and
its allowed values, read from the same JSON Schema editors use. Regenerate with
``python -m aimsctl.records.docs > docs/records.md`` (scripts/regenerate.py does);
a test fails when the committed file differs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from aimsctl.records import KINDS
from aimsctl.records.base import Record
from aimsctl.schemas import record_schema
from aimsctl.text import Markdown, md_code, md_table, words

REGENERATE = "python -m aimsctl.records.docs > docs/records.md"


def _summary(model: type[Record]) -> str:
    return " ".join((model.__doc__ or "").split())


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema a property means: references followed, `X or null` unwrapped."""
    if "$ref" in node:
        return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        return _resolve(options[0], defs)
    return node


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    node = _resolve(node, defs)
    if "enum" in node or "const" in node:
        return "text"
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
    values = node.get("enum") or ([node["const"]] if "const" in node else [])
    return [str(value) for value in values]


def _rows(
    schema: dict[str, Any], defs: dict[str, Any], prefix: str = ""
) -> Iterator[tuple[str, str, str, list[str]]]:
    required = set(schema.get("required", ()))
    for name, node in schema.get("properties", {}).items():
        field = prefix + name
        yield field, _type(node, defs), "yes" if name in required else "", _allowed(node, defs)
        target, step = _resolve(node, defs), "."
        if target.get("type") == "array":
            target, step = _resolve(target.get("items", {}), defs), "[]."
        if target.get("type") == "object" and "properties" in target:
            yield from _rows(target, defs, field + step)


def _codes(values: list[str]) -> Markdown:
    return Markdown(", ".join(md_code(value) for value in values))


def _section(kind: str, model: type[Record], schema: dict[str, Any]) -> list[str]:
    defs = schema.get("$defs", {})
    lines = [f"## {kind}", "", _summary(model), ""]
    facts = [f"Folder: {md_code(model.FOLDER + '/')}"]
    if model.CLAUSES:
        facts.append(f"ISO/IEC 42001: {', '.join(model.CLAUSES)}")
    if model.REPORTS:
        facts.append(f"Reports: {words([md_code(r) for r in model.REPORTS], 'and')}")
    lines += [" · ".join(facts), ""]
    rows = [
        (md_code(field), type_, required, _codes(allowed))
        for field, type_, required, allowed in _rows(schema, defs)
    ]
    lines += md_table(("Field", "Type", "Required", "Allowed values"), rows)
    return [*lines, ""]


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
        "the scale in `aims.yaml`. The contract behind this page is versioned: see",
        "`version: 1` in `aims.yaml`.",
        "",
        "| Kind | What it is |",
        "|---|---|",
        *(f"| [{kind}](#{kind.lower()}) | {_summary(model)} |" for kind, model in KINDS.items()),
        "",
    ]
    for kind, model in KINDS.items():
        lines += _section(kind, model, record_schema(model))
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
