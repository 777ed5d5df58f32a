"""The ``as_json`` shared by every change that shows all its fields, under their names."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class AllFields:
    """``as_json`` of a change that shows every field, in order: a tuple as a list, a
    date as YYYY-MM-DD. A change that shows less, or under other names, writes its own."""

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for item in dataclass_fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, date):
                value = value.isoformat()
            shown[item.name] = value
        return shown
