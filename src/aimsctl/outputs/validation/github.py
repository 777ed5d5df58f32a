"""`--format github`: GitHub Actions workflow commands that annotate the pull request.

One ``::error`` or ``::warning`` line per diagnostic, then one ``::notice`` per
waived finding (on its file and line, naming the waiver: listed, as in every
format, but never failing the run), then a ``::notice::`` with the summary and
what `rules:` or `exclude:` in aims.yaml sets aside. Data and property values are
escaped as the Actions runner expects.

A message is shown in the Actions log, whose viewer obeys escape sequences, and on
the pull request: its control characters (a path quoted in it may hold ESC or a
bidi control) are written as escapes, as in the text format. ``file=`` keeps the
exact name, so that GitHub finds the file, unless the name holds such a character
other than a line break (which the runner's own escapes carry): it is then written
with its escapes too, and the annotation is shown without its file.

GitHub places an annotation on a pull request's file when ``file=`` is relative to
the top of the repository: in git, that is the top of the work tree, as for SARIF
(``source_prefix``), wherever the checkout lies (`actions/checkout` with `path:`
puts it below ``GITHUB_WORKSPACE``; a job may clone it elsewhere). Outside git, a
governance root below ``GITHUB_WORKSPACE`` is taken as the subfolder of it.
Bytes of a name that are not UTF-8 are shown as their escapes (``\\xff``), as in
every other output.
"""

from __future__ import annotations

import os
from pathlib import Path

from aimsctl.diagnostics import Diagnostic, ValidationResult
from aimsctl.loader import printable_path
from aimsctl.outputs.validation.text import counts, excluded_note, relaxed_note
from aimsctl.text import printable


def escape_data(text: str) -> str:
    """Escape a command's message: `%`, carriage return and line feed."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus `:` and `,`, which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_prefix(repository: str, workspace: str | None) -> str:
    """The governance root relative to the Actions workspace: "" or "sub/dir/"."""
    if not workspace:
        return ""
    try:
        relative = Path(repository).resolve().relative_to(Path(workspace).resolve())
    except ValueError:
        return ""
    return f"{printable_path(relative.as_posix())}/" if relative.parts else ""


def annotation(d: Diagnostic, prefix: str = "") -> str:
    """The workflow command for one finding: ``::error`` or ``::warning``, or a
    ``::notice`` naming the waiver for a waived one (shown, not failing the run)."""
    if d.waived_by is None:
        command, title, message = str(d.severity), d.code, d.message
    else:
        command = "notice"
        title = f"{d.code} waived ({d.waived_by})"
        message = f"{d.message} ({d.severity}, waived by {d.waived_by})"
    properties = ",".join(
        f"{name}={escape_property(value)}"
        for name, value in (
            ("file", printable(prefix + d.path, keep="\r\n")),
            ("line", str(d.line)),
            ("col", str(d.column)),
            ("title", title),
        )
    )
    return f"::{command} {properties}::{escape_data(printable(message))}"


def render(result: ValidationResult, color: bool = False) -> str:
    if result.source_prefix is not None:
        prefix = printable_path(result.source_prefix)
    else:
        prefix = workspace_prefix(result.repository, os.environ.get("GITHUB_WORKSPACE"))
    # Waived findings are listed too, never silently dropped (records.md, Waiver).
    lines = [annotation(d, prefix) for d in [*result.diagnostics, *result.waived]]
    summary = "; ".join(
        [
            counts(result),
            *([relaxed_note(result.relaxed)] if result.relaxed else []),
            *([excluded_note(result.excluded)] if result.excluded else []),
        ]
    )
    lines.append(f"::notice::{escape_data('aimsctl validate: ' + summary)}")
    return "\n".join(lines) + "\n"
