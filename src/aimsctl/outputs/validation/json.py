"""`--format json`: the binding machine-readable shape of cli.md.

A path is JSON text, which is Unicode: bytes of a folder or file name that are not
UTF-8 are shown as their escapes (``\\xff``, the backslash written ``\\\\`` in JSON), as
every other output shows them."""

from __future__ import annotations

import json

from aimsctl.diagnostics import ValidationResult
from aimsctl.loader import printable_path


def render(result: ValidationResult, color: bool = False) -> str:
    document = {
        "version": 1,
        "repository": printable_path(result.repository),
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
