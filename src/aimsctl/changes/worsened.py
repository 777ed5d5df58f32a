"""Records kept whose standing goes backwards."""

from __future__ import annotations

from dataclasses import dataclass

from aimsctl.changes.all_fields import AllFields


@dataclass(frozen=True, slots=True)
class Worsened(AllFields):
    """A record present at both revisions whose standing goes backwards: an internal
    audit completed at BASE and not at HEAD, an impact assessment approved at BASE and
    back to draft or in review at HEAD, or a nonconformity closed by the change
    while its closure does not stand. ``now`` says how, in words; ``path`` is at HEAD."""

    kind: str
    id: str
    path: str
    now: str
