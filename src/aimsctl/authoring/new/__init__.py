"""`aimsctl new`: a record of any kind, every required field present, ready to fill in.

What the tool cannot know starts as a `TODO:` placeholder, which `aimsctl validate`
reports (AIMS107) until it is replaced. A field with allowed values gets a valid
one, the others listed in a comment beside it; the day an assessment or a
nonconformity is made or raised gets the as-of date. What only a person can claim
and no placeholder can stand for (a measured value, a risk's or an incident's
rating, an auditor's independence, the day a review was held) must be given
(MUST_GIVE). The record lands
where the repository keeps that kind, under the next free id of the repository's
own numbering, and is checked before it is written. Nothing is ever overwritten.

The modules, in the order a record is made:
- kind_names.py: the kind a name means (`risks` is Risk)
- taken_ids.py, numbering.py: the ids not free; the next id of the numbering
- placement.py: where the file goes, and names no checkout could hold
- must_give.py: what only a person can give (MUST_GIVE) and the records named
- defaults.py: values better than the first allowed one, and notes to check
- model_fields.py: what a model's fields take
- skeleton.py: Draft, every required field with its default or placeholder
- assignments.py: `--set FIELD=VALUE`
- rendering.py: the draft as the text of a record file
- making.py: make, the whole, planned and checked (nothing written)
"""

from __future__ import annotations

from aimsctl.authoring.new.assignments import apply_set, coerce, parse_value
from aimsctl.authoring.new.defaults import DEFAULTS, NOTES
from aimsctl.authoring.new.kind_names import resolve_kind
from aimsctl.authoring.new.making import Made, make, scales_of
from aimsctl.authoring.new.model_fields import allowed_values, field_info
from aimsctl.authoring.new.must_give import MUST_GIVE, REFERENCES
from aimsctl.authoring.new.numbering import DEFAULT_PREFIX, DEFAULT_WIDTH, next_id
from aimsctl.authoring.new.placement import free_place, record_place, refuse_unportable, unportable
from aimsctl.authoring.new.rendering import render
from aimsctl.authoring.new.skeleton import Draft, draft
from aimsctl.authoring.new.taken_ids import ids_in_excluded_files, ids_in_unreadable_files

__all__ = [
    "DEFAULTS",
    "DEFAULT_PREFIX",
    "DEFAULT_WIDTH",
    "MUST_GIVE",
    "NOTES",
    "REFERENCES",
    "Draft",
    "Made",
    "allowed_values",
    "apply_set",
    "coerce",
    "draft",
    "field_info",
    "free_place",
    "ids_in_excluded_files",
    "ids_in_unreadable_files",
    "make",
    "next_id",
    "parse_value",
    "record_place",
    "refuse_unportable",
    "render",
    "resolve_kind",
    "scales_of",
    "unportable",
]
