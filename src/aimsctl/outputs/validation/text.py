"""`--format text`: one line per diagnostic, grep-able, coloured only on a terminal.

Paths are shown from the current folder, so a terminal or an editor opens them as
printed: run from a folder inside the repository (``cd risks && aimsctl validate``
prints ``R-007.yaml:...``, ``../aims.yaml:...``) or above it (``aimsctl validate
governance``, as the pre-commit hook runs at the top of a monorepo, prints
``governance/risks/R-007.yaml:...``). Run from anywhere else, they are relative to the
repository root. The machine formats keep paths relative to the repository root, as
the contract says.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path

from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.text import plural, printable, words

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


def here_in(repository: str, here: Path | None = None) -> tuple[str, str] | None:
    """Where the current folder (or ``here``) is from the repository root: ("in",
    ``risks``) for a folder inside the repository, ("above", ``governance``) for a
    folder the root lies in (the root's path from there); None at the root itself or
    elsewhere."""
    try:
        root = Path(repository).resolve()
        current = (here or Path.cwd()).resolve()
    except OSError:
        return None
    if current == root:
        return None
    if current.is_relative_to(root):
        return "in", current.relative_to(root).as_posix()
    if root.is_relative_to(current):
        return "above", root.relative_to(current).as_posix()
    return None


def _shown(d: Diagnostic, here: tuple[str, str] | None) -> Diagnostic:
    """``d`` with its path as seen from ``here`` (:func:`here_in`)."""
    if here is None:
        return d
    where, folder = here
    if where == "above":
        return replace(d, path=f"{folder}/{d.path}")
    return replace(d, path=posixpath.relpath(d.path, folder))


def lines_from_here(diagnostics: list[Diagnostic], repository: str) -> list[str]:
    """``diagnostics`` of ``repository`` as `validate` prints them, paths from the
    current folder (for a command that lists what `validate` will report)."""
    here = here_in(repository)
    return [line(_shown(d, here)) for d in diagnostics]


def counts(result: ValidationResult) -> str:
    """The run in one line: "139 records in 75 files: 0 errors, 0 warnings, 1 waived"."""
    # Records whose id cannot be read are in no count of records by id: said beside it.
    unread = (
        f", and {plural(result.unidentified, 'record')} whose kind or id cannot be read"
        if result.unidentified
        else ""
    )
    return (
        f"{plural(result.records, 'record')} in {plural(result.files, 'file')}{unread}: "
        f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}, "
        f"{len(result.waived)} waived"
    )


def render(result: ValidationResult, color: bool = False) -> str:
    here = here_in(result.repository)
    lines = [line(_shown(d, here), color) for d in result.diagnostics]
    if result.waived:
        lines.append("")
        lines.append("Waived (still on record, not failing the run):")
        lines.extend(
            line(_shown(d, here), color, f" (waiver {d.waived_by})") for d in result.waived
        )
    summary = counts(result)
    if lines:
        lines.append("")
    lines.append(summary)
    if result.relaxed:
        lines.append(relaxed_note(result.relaxed))
    if result.excluded:
        lines.append(excluded_note(result.excluded))
    return "\n".join(lines) + "\n"


def excluded_note(excluded: int) -> str:
    """How many YAML files `exclude:` in aims.yaml leaves out, said under the counts."""
    return (
        f"aims.yaml leaves {plural(excluded, 'YAML file')} out (`exclude:`): "
        f"{'its' if excluded == 1 else 'their'} records, if any, are not validated"
    )


def relaxed_note(relaxed: list[str]) -> str:
    """What `rules:` in aims.yaml sets aside, said under the counts, so that a clean
    run under it is not taken for a clean run."""
    said = [
        f"{code} turned off" if setting == "off" else f"{code} lowered to a {setting}"
        for code, _, setting in (item.partition(" ") for item in relaxed)
    ]
    return (
        f"aims.yaml sets rules aside (`rules:`): {words(said, 'and')}; their findings "
        "are not reported as the rules define them"
    )
