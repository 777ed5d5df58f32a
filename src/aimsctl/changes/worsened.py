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


@dataclass(frozen=True, slots=True)
class RewrittenSignOff(AllFields):
    """A record signed off at both revisions, with the same sign-off, whose substance
    changed: an impact assessment or a policy approved at both by the same approval, or
    an internal audit completed at both on the same day. What was signed off is no
    longer what the record says. ``signed_off`` is the sign-off in words, ``fields``
    the fields of substance that changed, ``fix`` what to do, in words; ``path`` is at
    HEAD."""

    kind: str
    id: str
    path: str
    signed_off: str
    fields: tuple[str, ...]
    fix: str
