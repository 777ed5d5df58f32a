"""AI systems changed, or put to use, without a current impact assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aimsctl.changes.all_fields import AllFields


@dataclass(frozen=True, slots=True)
class MaterialChange:
    """A system whose purpose, type, stage, decisions, data, third parties, oversight,
    regulation or jurisdictions changed, with no impact assessment of it added or
    reassessed in the same change (its ``assessed.on`` or its approval moved later)."""

    id: str
    path: str
    fields: tuple[str, ...]  # the material fields that changed
    # The system's current assessments edited in the same change without being
    # reassessed (a text edit, a status put back): why each did not count.
    edited: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "fields": list(self.fields),
            "edited_assessments": list(self.edited),
        }


@dataclass(frozen=True, slots=True)
class UnassessedSystem(AllFields):
    """A system in validation or production at HEAD that was not in use at BASE under
    its id (``how``: ``new``, or ``reactivated`` from retired) and that no current
    approved impact assessment covers at HEAD (``missing`` says what was found)."""

    id: str
    path: str
    how: str
    stage: str
    missing: str
