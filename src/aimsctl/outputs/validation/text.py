"""`--format text`: one line per diagnostic, grep-able, coloured only on a terminal."""

from __future__ import annotations

from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.text import plural, printable

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}
_RESET, _DIM, _BOLD = "\033[0m", "\033[2m", "\033[1m"


def line(d: Diagnostic, color: bool = False, suffix: str = "") -> str:
    """One diagnostic on one line: `path:line:col: severity CODE message [record]`."""
    # File names and record text are untrusted: a control character must not move the
    # cursor, recolour the terminal or start a new line in a CI log.
    where = f"{printable(d.path)}:{d.line}:{d.column}"
    record = f" [{printable(d.record)}]" if d.record else ""
    message = printable(d.message)
    if not color:
        return f"{where}: {d.severity} {d.code} {message}{record}{suffix}"
    tint = _COLORS[d.severity]
    return (
        f"{_BOLD}{where}{_RESET}: {tint}{d.severity}{_RESET} {_DIM}{d.code}{_RESET} "
        f"{message}{_DIM}{record}{suffix}{_RESET}"
    )


def render(result: ValidationResult, color: bool = False) -> str:
    lines = [line(d, color) for d in result.diagnostics]
    if result.waived:
        lines.append("")
        lines.append("Waived (still on record, not failing the run):")
        lines.extend(line(d, color, f" (waiver {d.waived_by})") for d in result.waived)
    summary = (
        f"{plural(result.records, 'record')} in {plural(result.files, 'file')}: "
        f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}, "
        f"{len(result.waived)} waived"
    )
    if lines:
        lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"
