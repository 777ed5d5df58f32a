"""Output formats for a validation result: one function per format, same input."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from aimsctl.diagnostics import ValidationResult

Reporter = Callable[[ValidationResult, bool], str]

# format name -> module exposing `render(result, color) -> str`
FORMATS = {
    "text": "aimsctl.reporters.text",
    "json": "aimsctl.reporters.json",
    "sarif": "aimsctl.reporters.sarif",
    "junit": "aimsctl.reporters.junit",
    "github": "aimsctl.reporters.github",
}


def reporter(name: str) -> Reporter:
    render: Reporter = import_module(FORMATS[name]).render
    return render
