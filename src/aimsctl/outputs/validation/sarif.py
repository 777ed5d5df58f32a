"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every rule (so a viewer can explain any code), each
result has exactly one physical location relative to ``%SRCROOT%`` (the
governance root). Waived diagnostics stay in the log as results carrying an
external suppression that names the waiver. No timestamps: the same
repository gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aimsctl import __version__
from aimsctl.diagnostics import Diagnostic, ValidationResult
from aimsctl.rules import Rule, all_rules
from aimsctl.text import md_fence

SCHEMA_URI = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/aimsctl/"
SRCROOT = "%SRCROOT%"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The SARIF reportingDescriptor of one rule, with its help as text and Markdown."""
    example = "\n".join(md_fence(rule.example))
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": (
                f"{rule.summary}\n\nWhy it matters: {rule.why}\n\nHow to fix: {rule.fix}\n\n"
                f"Example:\n{rule.example}"
            ),
            "markdown": (
                f"{rule.summary}\n\n**Why it matters.** {rule.why}\n\n**How to fix.** "
                f"{rule.fix}\n\n**Example**\n\n{example}"
            ),
        },
        "defaultConfiguration": {"level": str(rule.severity)},
    }


def _result(diagnostic: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": diagnostic.code}
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    result["level"] = str(diagnostic.severity)
    result["message"] = {"text": diagnostic.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": quote(diagnostic.path, safe="/"), "uriBaseId": SRCROOT},
                "region": {"startLine": diagnostic.line, "startColumn": diagnostic.column},
            }
        }
    ]
    properties: dict[str, str] = {}
    if diagnostic.record is not None:
        properties["record"] = diagnostic.record
    if diagnostic.pointer:
        properties["pointer"] = diagnostic.pointer
    if properties:
        result["properties"] = properties
    if diagnostic.waived_by is not None:
        result["suppressions"] = [
            {"kind": "external", "justification": f"waiver {diagnostic.waived_by}"}
        ]
    return result


def document(result: ValidationResult) -> dict[str, Any]:
    """The SARIF log as plain data, keys in a fixed order."""
    rules = all_rules()
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    diagnostics = sorted([*result.diagnostics, *result.waived], key=Diagnostic.sort_key)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aimsctl",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {"uri": Path(result.repository).absolute().as_uri().rstrip("/") + "/"}
                },
                # Columns count characters (code points), as aimsctl reports them.
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, rule_index) for d in diagnostics],
            }
        ],
    }


def render(result: ValidationResult, color: bool = False) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
