"""JSON Schemas generated from the models: one per kind, aims.yaml, and all records.

Editors (yaml-language-server in VS Code and others) use them for completion and
inline errors while records are written; `aimsctl validate` stays the authority.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aimsctl.config import CLAUSE_KEY, AimsConfig
from aimsctl.errors import AimsctlError
from aimsctl.records import KINDS

BASE_URI = "https://aimsctl.dev/schemas/v1/"
# The schemas kept in the project's schemas/ folder (the drift test compares them):
# the combined record schema holds every kind's schema, so a new kind changes one
# committed file. `aimsctl schema --out` writes every file of generate().
COMMITTED = ("aims.schema.json", "record.schema.json")


def _folded(node: Any) -> Any:
    """Descriptions on one line: docstrings are wrapped for the source, not for editors."""
    if isinstance(node, dict):
        return {
            key: " ".join(value.split())
            if key == "description" and isinstance(value, str)
            else _folded(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_folded(item) for item in node]
    return node


# RFC 3339's full-date, which JSON Schema's `date` format names, admits the year 0000,
# which a date of the records cannot hold; and editors check the format with a pattern
# alone (yaml-language-server: a month of 01-12, a day of 01-31), so `2026-02-30` or
# `2027-02-29` went unflagged while validate refuses them. The pattern names the real
# calendar days of the years 0001 to 9999, leap years as the Gregorian calendar counts
# them (every fourth year, not a century unless it divides by 400); ASCII digits only,
# as `[0-9]`, since Python's `\d` takes any script's digits and JavaScript's ASCII ones.
_DAY_OF_MONTH = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
DATE_MESSAGE = (
    "Not a day the calendar has: write YYYY-MM-DD, a month from 01 to 12 and a day "
    "that month has, in a year from 0001 (29 February only in a leap year)."
)
# `(?!\n)$`: Python's `$` (the `re.search` of the jsonschema package, and so of
# check-jsonschema) also matches before a final line break, which JavaScript's does not
# and validate refuses (AIMS102): the text ends there, in both.
CALENDAR_DATE = f"^(?!0000)(?:[0-9]{{4}}-{_DAY_OF_MONTH}|{_LEAP_YEAR}-02-29)(?!\\n)$"


def _calendar_dates(node: Any) -> Any:
    """Each `date` string also held to a real calendar day from the year 0001, as
    validate holds it."""
    if isinstance(node, dict):
        done = {key: _calendar_dates(value) for key, value in node.items()}
        if done.get("format") == "date" and "pattern" not in done:
            done["pattern"] = CALENDAR_DATE
            # What yaml-language-server shows for a pattern not met, instead of the regex.
            done["patternErrorMessage"] = DATE_MESSAGE
        return done
    if isinstance(node, list):
        return [_calendar_dates(item) for item in node]
    return node


def _with_clauses(node: Any) -> Any:
    """Each description followed by the clause its field serves: editors show only the
    description on hover, the record reference shows the clause in a column of its own."""
    if isinstance(node, dict):
        done = {key: _with_clauses(value) for key, value in node.items()}
        clause = done.get(CLAUSE_KEY)
        if isinstance(clause, str) and isinstance(done.get("description"), str):
            done["description"] += f" ISO/IEC 42001: {clause}."
        return done
    if isinstance(node, list):
        return [_with_clauses(item) for item in node]
    return node


def _schema(model: Any, name: str, title: str) -> dict[str, Any]:
    schema = _with_clauses(record_schema(model))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + name,
        **{k: v for k, v in schema.items() if k != "title"},
        "title": title,
    }


def record_schema(model: Any) -> dict[str, Any]:
    """The JSON Schema of one model, descriptions folded."""
    schema: dict[str, Any] = _calendar_dates(_folded(model.model_json_schema(mode="validation")))
    return schema


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name -> JSON text for every schema, deterministic."""
    if sys.flags.optimize >= 2:
        # Each kind's description is its model's docstring, which -OO strips: the
        # schemas would come out without them, unlike those the project ships.
        raise AimsctlError(
            "the schemas describe each kind with its model's docstring, which Python "
            "run with -OO (PYTHONOPTIMIZE=2) leaves out; run aimsctl schema without it"
        )
    files: dict[str, str] = {}
    per_kind: dict[str, dict[str, Any]] = {}
    for kind, model in sorted(KINDS.items()):
        name = f"{kind.lower()}.schema.json"
        per_kind[kind] = _schema(model, name, f"aimsctl {kind} record")
        files[name] = _dump(per_kind[kind])
    files["aims.schema.json"] = _dump(_schema(AimsConfig, "aims.schema.json", "aimsctl aims.yaml"))
    # One self-contained schema for any record file: editors resolve only internal
    # references, so each kind's schema and nested definitions move into $defs.
    definitions: dict[str, Any] = {}
    for kind, schema in per_kind.items():
        definitions.update(schema.get("$defs", {}))
        definitions[kind] = {
            k: v for k, v in schema.items() if k not in ("$defs", "$schema", "$id")
        }
    combined = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + "record.schema.json",
        "title": "aimsctl record (any kind)",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(KINDS)}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{kind}"},
            }
            for kind in sorted(KINDS)
        ],
        "$defs": dict(sorted(definitions.items())),
    }
    files["record.schema.json"] = _dump(combined)
    return files
