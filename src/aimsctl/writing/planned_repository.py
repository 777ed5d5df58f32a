"""The repository with planned changes in place: validated as it would be, and the
errors the changes would add."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aimsctl.writing.checking import diagnostic_line
from aimsctl.writing.refused import WriteRefused

if TYPE_CHECKING:
    from aimsctl.diagnostics import Diagnostic, ValidationResult
    from aimsctl.writing.planning import Change


def _overlay(root: Path, changes: Sequence[Change]) -> Any:
    """A working tree of ``root`` that reads the planned texts in place of the files."""
    from aimsctl.loader import WorkingTree

    # The file's own name is not resolved: a link there (refused when written) would
    # lead out of the repository, and relative_to would fail.
    top = root.resolve()
    texts = {
        (change.path.parent.resolve() / change.path.name).relative_to(top).as_posix(): change
        for change in changes
    }

    class Overlay(WorkingTree):
        def paths(self) -> Iterable[str]:
            listed = list(super().paths())
            return sorted(set(listed) | set(texts))

        def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
            if rel in texts:
                return texts[rel].new.encode("utf-8"), None
            return super().read(rel)

        def exists(self, rel: str) -> bool:
            return rel in texts or super().exists(rel)

        def is_file(self, rel: str) -> bool:
            return rel in texts or super().is_file(rel)

        def is_empty(self, rel: str) -> bool:
            return not texts[rel].new if rel in texts else super().is_empty(rel)

    return Overlay(root)


def validate(root: Path, as_of: date, changes: Sequence[Change] = ()) -> ValidationResult:
    """The validation of the repository at ``root``, with ``changes`` in place."""
    from aimsctl import engine
    from aimsctl.repository import load_repository

    repo = load_repository(root, as_of, source=_overlay(root, changes))
    return engine.run(repo)


def _error_keys(result: ValidationResult) -> dict[tuple[str, str, str | None], list[Diagnostic]]:
    from aimsctl.diagnostics import Severity

    found: dict[tuple[str, str, str | None], list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.severity is Severity.ERROR:
            found.setdefault((diagnostic.code, diagnostic.path, diagnostic.record), []).append(
                diagnostic
            )
    return found


def new_errors(root: Path, as_of: date, changes: Sequence[Change]) -> list[Diagnostic]:
    """Errors the repository would have with ``changes`` that it does not have now:
    more findings of a code on a record (or a file) than before."""
    before = _error_keys(validate(root, as_of))
    after = _error_keys(validate(root, as_of, changes))
    found: list[Diagnostic] = []
    for key, diagnostics in after.items():
        extra = len(diagnostics) - len(before.get(key, []))
        if extra > 0:
            found += diagnostics[-extra:] if len(diagnostics) > extra else diagnostics
    return found


def refuse_new_errors(root: Path, as_of: date, changes: Sequence[Change], what: str) -> None:
    """Raise WriteRefused when ``changes`` would add errors to the repository."""
    errors = new_errors(root, as_of, changes)
    if errors:
        raise WriteRefused(
            "\n".join(
                [f"{what} would make the repository invalid; nothing was written:"]
                + [diagnostic_line(d) + (f" [{d.record}]" if d.record else "") for d in errors]
            )
        )
