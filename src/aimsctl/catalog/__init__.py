"""The ISO/IEC 42001 Annex A catalogue, shipped as package data.

Identifiers and titles are facts about the standard; the summaries are our own
words, not the standard's text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class CatalogControl:
    id: str
    title: str
    area: str
    area_title: str
    summary: str
    aliases: tuple[str, ...] = ()

    def is_named(self, title: str) -> bool:
        """Whether ``title`` is this control's title or one of the variants the standard
        itself uses, ignoring case and runs of spaces."""
        said = " ".join(title.split()).casefold()
        return any(said == name.casefold() for name in (self.title, *self.aliases))


@dataclass(frozen=True, slots=True)
class Objective:
    """A control objective of an area, with the controls numbered below it."""

    id: str
    title: str
    controls: tuple[CatalogControl, ...]


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    title: str
    controls: tuple[CatalogControl, ...]
    # Only where Annex A gives the area more than one objective (A.6.1 and A.6.2);
    # every other area has the one objective `<area>.1`, which adds nothing to show.
    objectives: tuple[Objective, ...] = ()


def objective_id(control_id: str) -> str:
    """The objective an Annex A control serves, read from its id: A.6.2.4 serves
    A.6.2; A.2.3, in an area with one objective, serves A.2.1."""
    parts = control_id.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else ".".join([*parts[:2], "1"])


@cache
def _catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath("annex_a.json").read_text("utf-8")
    )
    return data


def standard() -> str:
    """The standard and edition the catalogue is of: ISO/IEC 42001:2023."""
    return str(_catalogue()["standard"])


def _objectives(
    area: dict[str, Any], controls: tuple[CatalogControl, ...]
) -> tuple[Objective, ...]:
    titles: dict[str, str] = {o["id"]: o["title"] for o in area.get("objectives", ())}
    if not titles:
        return ()
    grouped: dict[str, list[CatalogControl]] = {}
    for control in controls:
        grouped.setdefault(objective_id(control.id), []).append(control)
    if list(grouped) != list(titles):
        raise ValueError(f"annex_a.json: the objectives of {area['id']} do not match its controls")
    return tuple(Objective(key, titles[key], tuple(found)) for key, found in grouped.items())


@cache
def annex_a_areas() -> tuple[Area, ...]:
    areas: list[Area] = []
    for area in _catalogue()["areas"]:
        controls = tuple(
            CatalogControl(
                c["id"],
                c["title"],
                area["id"],
                area["title"],
                c["summary"],
                tuple(c.get("aliases", ())),
            )
            for c in area["controls"]
        )
        areas.append(Area(area["id"], area["title"], controls, _objectives(area, controls)))
    return tuple(areas)


@cache
def annex_a() -> dict[str, CatalogControl]:
    """Every Annex A control by id, in catalogue order."""
    return {c.id: c for area in annex_a_areas() for c in area.controls}
