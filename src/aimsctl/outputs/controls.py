"""`aimsctl controls`: the Annex A catalogue by area, with each control's SoA state."""

from __future__ import annotations

import json

from aimsctl.catalog import annex_a_areas
from aimsctl.soa import INVALID, PLACEHOLDER, UNJUSTIFIED, UNJUSTIFIED_INCLUDED, qualified_status

MISSING = "missing"


def controls_text(
    states: dict[str, str] | None, not_met: dict[str, dict[str, str]] | None = None
) -> str:
    """The catalogue; with ``states`` (control id -> state), each control's state and
    a count of the controls decided. A status that open nonconformities record as not
    met (``not_met``: control id -> nonconformity -> why) is shown qualified, as the
    Statement of Applicability shows it."""
    unmet = not_met or {}
    areas = annex_a_areas()
    width = max(len(c.id) for area in areas for c in area.controls)
    lines: list[str] = []
    for area in areas:
        lines.append(f"{area.id} {area.title}")
        for c in area.controls:
            state = (
                ""
                if states is None
                else f"  [{_shown(states.get(c.id, MISSING), unmet.get(c.id))}]"
            )
            lines.append(f"  {c.id.ljust(width)}  {c.title}{state}")
    if states is not None:
        total = sum(len(a.controls) for a in areas)
        missing = sum(1 for a in areas for c in a.controls if c.id not in states)
        undecided = sum(1 for a in areas for c in a.controls if states.get(c.id) == PLACEHOLDER)
        invalid = sum(1 for a in areas for c in a.controls if states.get(c.id) == INVALID)
        unjustified = sum(
            1
            for a in areas
            for c in a.controls
            if states.get(c.id) in (UNJUSTIFIED, UNJUSTIFIED_INCLUDED)
        )
        decided = total - missing - undecided - invalid - unjustified
        summary = f"{decided} of {total} Annex A controls decided, {missing} missing"
        if undecided:
            summary += f", {undecided} still placeholders"
        if unjustified:
            summary += f", {unjustified} without a justification"
        if invalid:
            summary += f", {invalid} not valid"
        lines += ["", summary]
    return "\n".join(lines) + "\n"


def _shown(state: str, not_met: dict[str, str] | None) -> str:
    """A control's state, its status qualified where open nonconformities record it as
    not met (only a status is: `status_not_met` names no other control)."""
    return qualified_status(state, not_met.values()) if not_met else state


def controls_json(
    states: dict[str, str] | None, not_met: dict[str, dict[str, str]] | None = None
) -> str:
    """As :func:`controls_text`; with ``states``, each row's ``state`` stays the
    record's, and ``not_met`` lists why open nonconformities record it as not met
    (empty when none does)."""
    unmet = not_met or {}
    rows = [
        {"id": c.id, "title": c.title, "area": area.id, "area_title": area.title}
        | (
            {}
            if states is None
            else {
                "state": states.get(c.id, MISSING),
                "not_met": list(unmet.get(c.id, {}).values()),
            }
        )
        for area in annex_a_areas()
        for c in area.controls
    ]
    return json.dumps({"version": 1, "controls": rows}, indent=2) + "\n"
