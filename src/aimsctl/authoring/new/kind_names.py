"""The kind a name on the command line means: `Risk`, `risk`, `risks`, `system`."""

from __future__ import annotations

from aimsctl.errors import UsageError
from aimsctl.records import KINDS, Record
from aimsctl.validation_messages import did_you_mean


def resolve_kind(name: str) -> type[Record]:
    """The kind named (any letter case, or its folder: `risk`, `risks`, `system`)."""
    folded = name.strip().casefold()
    for kind, model in KINDS.items():
        aliases = {kind.casefold(), model.FOLDER.casefold(), model.FOLDER.casefold().rstrip("s")}
        if kind == "AISystem":
            aliases |= {"system", "systems", "ai-system"}
        if kind == "ImpactAssessment":
            aliases |= {"assessment", "assessments", "impact-assessment"}
        if folded in aliases:
            return model
    hint = did_you_mean(name, list(KINDS)) or f"; use one of: {', '.join(KINDS)}"
    raise UsageError(f"unknown kind {name!r}{hint}")
