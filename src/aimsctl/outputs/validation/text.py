"""`--format text`: one line per diagnostic, grep-able, coloured only on a terminal.

Run from a folder inside the repository, paths are shown from that folder (``cd
risks && aimsctl validate`` prints ``R-007.yaml:...``, ``../aims.yaml:...``), so a
terminal or an editor opens them as printed. The machine formats keep paths relative
to the repository root, as the contract says.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path

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


def here_in(repository: str, here: Path | None = None) -> str | None:
    """The current folder (or ``here``) relative to the repository root, e.g.
    ``risks``, when it is a folder inside the repository; None at the root itself
    or outside it."""
    try:
        root = Path(repository).resolve()
        current = (here or Path.cwd()).resolve()
    except OSError:
        return None
    if current == root or not current.is_relative_to(root):
        return None
    return current.relative_to(root).as_posix()


def _shown(d: Diagnostic, here: str | None) -> Diagnostic:
    """``d`` with its path as seen from ``here`` (a folder of the repository)."""
    if here is None:
        return d
    return replace(d, path=posixpath.relpath(d.path, here))


def render(result: ValidationResult, color: bool = False) -> str:
    here = here_in(result.repository)
    lines = [line(_shown(d, here), color) for d in result.diagnostics]
    if result.waived:
        lines.append("")
        lines.append("Waived (still on record, not failing the run):")
        lines.extend(
            line(_shown(d, here), color, f" (waiver {d.waived_by})") for d in result.waived
        )
    summary = (
        f"{plural(result.records, 'record')} in {plural(result.files, 'file')}: "
        f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}, "
        f"{len(result.waived)} waived"
    )
    if lines:
        lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"
