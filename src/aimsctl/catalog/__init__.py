"""The ISO/IEC 42001 Annex A catalogue, shipped as package data.

Identifiers and titles are facts about the standard; the summaries are our own
words, not the standard's text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CatalogControl:
    id: str
    title: str
    area: str
    area_title: str
    summary: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    title: str
    controls: tuple[CatalogControl, ...]


@cache
def annex_a_areas() -> tuple[Area, ...]:
    raw = json.loads(resources.files(__package__).joinpath("annex_a.json").read_text("utf-8"))
    return tuple(
        Area(
            area["id"],
            area["title"],
            tuple(
                CatalogControl(
                    c["id"],
                    c["title"],
                    area["id"],
                    area["title"],
                    c["summary"],
                    tuple(c.get("aliases", ())),
                )
                for c in area["controls"]
            ),
        )
        for area in raw["areas"]
    )


@cache
def annex_a() -> dict[str, CatalogControl]:
    """Every Annex A control by id, in catalogue order."""
    return {c.id: c for area in annex_a_areas() for c in area.controls}
