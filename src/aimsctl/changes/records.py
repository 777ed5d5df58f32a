"""Records added, removed, changed or invalid: named by id, kind and file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aimsctl.changes.all_fields import AllFields
from aimsctl.fielddiff import FieldChange


@dataclass(frozen=True, slots=True)
class RecordRef(AllFields):
    kind: str | None
    id: str
    path: str


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record present at both revisions whose content or file changed.

    ``path`` is where it is at HEAD; ``previous_path`` where it was at BASE, when it
    moved. ``invalid_at`` names the revisions ("BASE", "HEAD") where the record
    fails validation; both sides were then compared as written, not validated.
    """

    kind: str | None
    id: str
    path: str
    fields: tuple[FieldChange, ...]
    previous_path: str | None = None
    invalid_at: tuple[str, ...] = ()

    @property
    def as_written(self) -> bool:
        return bool(self.invalid_at)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "path": self.path,
            "fields": [change.as_json() for change in self.fields],
        }


@dataclass(frozen=True, slots=True)
class InvalidRecord(AllFields):
    """A record that could not be validated at one or both revisions.

    ``base`` and ``head`` are ``valid``, ``invalid`` (the record fails
    validation: it was compared as written), ``unreadable`` (its file cannot be
    read there) or ``absent``.
    """

    kind: str | None
    id: str
    path: str
    base: str
    head: str
