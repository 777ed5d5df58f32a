"""The next free id of a kind, in the repository's own numbering (`R-025` ->
`R-026`), or the kind's first (`R-001`)."""

from __future__ import annotations

import re

from aimsctl.validation_messages import ID_PATTERN

# The first id of a kind in a repository that numbers none yet: PREFIX + 001.
DEFAULT_PREFIX: dict[str, str] = {
    "AISystem": "SYS-",
    "Risk": "R-",
    "ImpactAssessment": "IA-",
    "Control": "ORG-",
    "Waiver": "WVR-",
    "Evaluation": "EVAL-",
    "Monitor": "MON-",
    "Incident": "INC-",
    "Policy": "POL-",
    "Role": "ROLE-",
    "Objective": "OBJ-",
    "InternalAudit": "AUD-",
    "ManagementReview": "MR-",
    "Nonconformity": "NC-",
}


DEFAULT_WIDTH = 3


_NUMBERED = re.compile(r"^(.*?)([0-9]+)$")


# A year within an id's prefix (`NC-2026-` of `NC-2026-04`): the ids of one numbering
# by year differ there, so they count as one numbering.
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def next_id(kind: str, used: list[str], taken: set[str]) -> str:
    """The next id in the repository's numbering for ``kind``: the numbering that holds
    most of its numbered ids (`R-025` -> `R-026`, `RSK-0099` -> `RSK-0100`, padded as
    its ids are), a numbering by year going on in its latest year (`NC-2025-05`,
    `NC-2026-03` -> `NC-2026-04`). Where no numbering holds most of them (ids named by
    system and month, `EVAL-ASSIST-2026-10`, or two numberings as large), or there
    are none, the kind's own (`R-001`): the most used prefix would name the new record
    after another's system. Never an id in ``taken``, nor a number the numbering's
    prefix already gives at another width (`R-10` beside `R-010`)."""
    groups: dict[tuple[str, int], list[int]] = {}
    for record_id in used:
        if kind == "Control" and record_id.startswith("A."):
            continue  # Annex A ids are the catalogue's, not a numbering
        if "EXAMPLE" in record_id:
            continue  # the examples `aimsctl init` writes, to be replaced
        numbered = _numbered(record_id)
        if numbered:
            prefix, digits = numbered
            groups.setdefault((prefix, len(digits)), []).append(int(digits))
    numberings: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for prefix, width in groups:
        numberings.setdefault((_YEAR.sub("{year}", prefix), width), []).append((prefix, width))
    sizes = sorted(sum(len(groups[g]) for g in members) for members in numberings.values())
    total = sum(sizes)
    if sizes and sizes[-1] * 2 > total:
        members = max(numberings.values(), key=lambda m: sum(len(groups[g]) for g in m))
        # its latest year (the prefixes differ only there), else its one prefix
        prefix, width = max(members, key=lambda g: [int(y) for y in _YEAR.findall(g[0])])
        number = max(n for (p, _w), ns in groups.items() if p == prefix for n in ns) + 1
    else:
        prefix, width, number = DEFAULT_PREFIX.get(kind, kind.upper() + "-"), DEFAULT_WIDTH, 1
    taken_numbers = {int(n[1]) for n in map(_numbered, taken) if n is not None and n[0] == prefix}
    while True:
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in taken and number not in taken_numbers:
            return candidate
        number += 1


def _numbered(record_id: str) -> tuple[str, str] | None:
    """An id's prefix and number (`R-` and `010`); None for an id that ends in no number
    or is no id (a draft's, say: no numbering, nor thousands of digits)."""
    if not re.fullmatch(ID_PATTERN, record_id):
        return None
    match = _NUMBERED.match(record_id)
    return (match.group(1), match.group(2)) if match else None
