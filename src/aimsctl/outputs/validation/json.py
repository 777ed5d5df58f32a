"""`--format json`: the binding machine-readable shape of cli.md."""

from __future__ import annotations

import json

from aimsctl.diagnostics import ValidationResult


def render(result: ValidationResult, color: bool = False) -> str:
    document = {
        "version": 1,
        "repository": result.repository,
        "summary": {
            "records": result.records,
            "files": result.files,
            "errors": result.errors,
            "warnings": result.warnings,
            "waived": len(result.waived),
        },
        "diagnostics": [d.as_json() for d in result.diagnostics],
        "waived": [{**d.as_json(), "waiver": d.waived_by} for d in result.waived],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
