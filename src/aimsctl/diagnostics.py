"""The result of a check: one diagnostic per problem, at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a governance repository.

    ``path`` is repository-relative with POSIX separators; ``line`` and ``column``
    are 1-based and point at the offending key or value.
    """

    code: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    record: str | None = None
    pointer: str = ""
    waived_by: str | None = None
    # The pointer with each list entry named by what it holds (:func:`identity_of`),
    # where that differs from ``pointer``: what identifies the finding across edits.
    identity: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def waived(self, waiver_id: str) -> Diagnostic:
        return replace(self, waived_by=waiver_id)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "record": self.record,
            "pointer": self.pointer,
        }


@dataclass(slots=True)
class ValidationResult:
    """Everything one `validate` run produced, ready for a reporter."""

    repository: str
    records: int
    files: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    waived: list[Diagnostic] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every record file checked, sorted
    # Where the repository lies in its git work tree ("" at the top, else "dir/"; None
    # outside git or where not asked): SARIF, JUnit and GitHub annotations name files
    # from the top, as code scanning, CI and pull requests resolve them.
    source_prefix: str | None = None
    # The commit a `--changed-since` run compares with: its findings are only what the
    # change brings, not every finding of the repository (None for a whole run).
    changed_since: str | None = None
    # Records whose id cannot be read (AIMS101): `records` cannot count them (the
    # binding JSON counts records by id), so the text summary counts them beside it.
    unidentified: int = 0
    # What `rules:` in aims.yaml sets aside, in code order: "AIMS401 off", "AIMS303
    # warning" (an error rule lowered). A clean run under them is said to be one.
    relaxed: list[str] = field(default_factory=list)
    # YAML files `exclude:` in aims.yaml leaves out: said under the counts, so that a
    # clean run of fewer files than the repository holds is not taken for a whole one.
    excluded: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def identity_of(data: Any, parts: tuple[str | int, ...]) -> str:
    """``parts`` as a JSON pointer that names a list entry by what it holds rather
    than by its place: ``/systems/=SYS-9`` for the entry SYS-9 wherever it sits in the
    list, and an entry that is a mapping by the first of its keys that name it
    (:data:`_NAMING_KEYS`: a metric by its name and group). An entry put in front of
    it, or removed before it, then leaves the finding the same one (code scanning
    keeps its alert, and a dismissal stays with it). "" when no part is a list index,
    or none names its entry: the pointer is the identity."""
    named: list[str | int] = []
    node = data
    changed = False
    for part in parts:
        listed = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        entry = node[part] if listed else None
        if entry is not None:
            label = _label(entry)
            named.append(part if label is None else f"={label}")
            changed = changed or label is not None
            node = entry
            continue
        named.append(part)
        node = node.get(part) if isinstance(node, dict) and isinstance(part, str) else None
    return pointer_of(tuple(named)) if changed else ""


# The keys that name an entry of a list of mappings, first found first: a record's
# `id`, a metric's `name` (with its `group`: one metric is measured per group), an
# evidence entry's `path` or `url`, a stakeholder's `group`.
_NAMING_KEYS = ("id", "name", "path", "url", "group")


def _label(entry: Any) -> str | None:
    """What names a list entry: a scalar itself, a mapping by :data:`_NAMING_KEYS`."""
    if isinstance(entry, dict):
        for key in _NAMING_KEYS:
            value = _label(entry.get(key)) if not isinstance(entry.get(key), dict) else None
            if value is not None:
                group = _label(entry.get("group")) if key == "name" else None
                return value if group is None else f"{value}@{group}"
        return None
    if isinstance(entry, str | int | float) and not isinstance(entry, bool):
        return str(entry)
    return None


def pointer_of(parts: tuple[str | int, ...]) -> str:
    """RFC 6901 JSON pointer for a path of keys and list indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
