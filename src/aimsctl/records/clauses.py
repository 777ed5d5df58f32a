"""Clauses 4 to 10 of ISO/IEC 42001 and the Annex A ids records may cite.

Audit scopes, audit findings and nonconformities name the requirement they are
about: a clause number (``"9.2"``) or an Annex A id (a control, an objective or an
area: ``A.6.2.4``, ``A.6.2``, ``A.6``). Numbers and titles are facts about the
standard; nothing here quotes its text.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from aimsctl.catalog import annex_a, annex_a_areas, objective_id
from aimsctl.validation_messages import ID_PATTERN, describe_input, did_you_mean

# The clauses of the management system, by number, with their titles.
CLAUSES: dict[str, str] = {
    "4": "Context of the organization",
    "4.1": "Understanding the organization and its context",
    "4.2": "Understanding the needs and expectations of interested parties",
    "4.3": "Determining the scope of the AI management system",
    "4.4": "AI management system",
    "5": "Leadership",
    "5.1": "Leadership and commitment",
    "5.2": "AI policy",
    "5.3": "Roles, responsibilities and authorities",
    "6": "Planning",
    "6.1": "Actions to address risks and opportunities",
    "6.1.1": "General",
    "6.1.2": "AI risk assessment",
    "6.1.3": "AI risk treatment",
    "6.1.4": "AI system impact assessment",
    "6.2": "AI objectives and planning to achieve them",
    "6.3": "Planning of changes",
    "7": "Support",
    "7.1": "Resources",
    "7.2": "Competence",
    "7.3": "Awareness",
    "7.4": "Communication",
    "7.5": "Documented information",
    "7.5.1": "General",
    "7.5.2": "Creating and updating documented information",
    "7.5.3": "Control of documented information",
    "8": "Operation",
    "8.1": "Operational planning and control",
    "8.2": "AI risk assessment",
    "8.3": "AI risk treatment",
    "8.4": "AI system impact assessment",
    "9": "Performance evaluation",
    "9.1": "Monitoring, measurement, analysis and evaluation",
    "9.2": "Internal audit",
    "9.2.1": "General",
    "9.2.2": "Internal audit programme",
    "9.3": "Management review",
    "9.3.1": "General",
    "9.3.2": "Management review inputs",
    "9.3.3": "Management review results",
    "10": "Improvement",
    "10.1": "Continual improvement",
    "10.2": "Nonconformity and corrective action",
}
TOP_CLAUSES: tuple[str, ...] = tuple(number for number in CLAUSES if "." not in number)


def sub_clauses(number: str) -> list[str]:
    """The clauses one level below ``number``: 9 has 9.1, 9.2 and 9.3."""
    depth = number.count(".") + 1
    return [c for c in CLAUSES if c.startswith(number + ".") and c.count(".") == depth]


@cache
def annex_a_ids() -> frozenset[str]:
    """Every Annex A id a record may cite: areas, control objectives and controls."""
    ids: set[str] = set()
    for area in annex_a_areas():
        ids.add(area.id)
        for control in area.controls:
            ids.update((control.id, objective_id(control.id)))
    return frozenset(ids)


def is_requirement(text: str) -> bool:
    """Whether ``text`` is a clause number of 4 to 10 or an Annex A id."""
    return text in CLAUSES or text in annex_a_ids()


def covers(cited: str, requirement: str) -> bool:
    """Whether citing ``cited`` covers ``requirement``: a clause covers its sub-clauses,
    an Annex A area or objective the controls in it."""
    if cited == requirement or requirement.startswith(cited + "."):
        return True
    return requirement in annex_a() and cited == objective_id(requirement)


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "clause_number",
            "must be text, not the number {input}: write clause numbers in quotes, "
            '"{input}", or YAML reads them as numbers',
            {"input": describe_input(value)},
        )
    return value


def _requirement(value: str) -> str:
    if not is_requirement(value):
        hint = did_you_mean(value, [*CLAUSES, *sorted(annex_a_ids())])
        raise PydanticCustomError(
            "requirement",
            'must be a clause number of ISO/IEC 42001 ("4" to "10.2") or an Annex A '
            "id (A.2 to A.10.4), not {input}{hint}",
            {"input": repr(value), "hint": hint},
        )
    return value


# An entry of an audit scope: a clause, an Annex A id or an AISystem id (checked by
# the reference rule, which knows the systems).
ScopeItem = Annotated[str, BeforeValidator(_not_a_number), StringConstraints(min_length=1)]
# A requirement a finding or a nonconformity is about: a clause or an Annex A id.
Requirement = Annotated[
    str,
    BeforeValidator(_not_a_number),
    StringConstraints(min_length=1),
    AfterValidator(_requirement),
    WithJsonSchema({"type": "string", "enum": [*CLAUSES, *sorted(annex_a_ids())]}),
]

# The id of a Control record as the JSON Schema states it: one of the catalogue's
# Annex A controls, or an organization control whose id does not start with `A.`
# (record check reports an unknown `A.` id as AIMS106, and the schema agrees).
CONTROL_ID_SCHEMA: dict[str, object] = {
    "type": "string",
    "pattern": ID_PATTERN,
    "anyOf": [{"enum": list(annex_a())}, {"not": {"pattern": "^A\\."}}],
}
ControlId = Annotated[str, StringConstraints(pattern=ID_PATTERN), WithJsonSchema(CONTROL_ID_SCHEMA)]
