"""Rows of the Statement of Applicability that changed, and what each change means."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What a control change means for the Statement of Applicability.
REGRESSED = "regressed"  # status went down, or an applicable control was removed
PROGRESSED = "progressed"  # status went up
EXCLUDED = "excluded"  # flipped to applicable: false, or added as excluded
INCLUDED = "included"  # flipped to applicable: true, or added as applicable
ADDED_EXCLUDED = "added-excluded"
REMOVED = "removed"  # a control that was not applicable was removed
CHANGED = "changed"  # a status set or cleared
# A control whose justification is still a placeholder decides nothing, whatever its
# applicable and status say: these are the effects of a ``decided`` row.
DECIDED = "decided"  # a placeholder replaced by a decision to apply the control
DECIDED_EXCLUDED = "decided-excluded"  # ... by a decision to exclude it
UNDECIDED = "undecided"  # an excluded control put back to a placeholder
UNDECIDED_REGRESSED = "undecided-regressed"  # an applicable control put back to one
ADDED_UNDECIDED = "added-undecided"  # a control added with a placeholder justification
REMOVED_UNDECIDED = "removed-undecided"  # ... removed while it still had one


@dataclass(frozen=True, slots=True)
class ControlChange:
    """One SoA row change: ``field`` is ``applicable``, ``status`` or ``decided``.

    An added control shows as ``applicable`` from None, a removed one as
    ``applicable`` to None; one added or removed undecided, as ``decided`` from None
    to False or from False to None. A control that goes from a placeholder justification to
    a decision, or back, shows as ``decided`` from False to True (or back), its
    ``applicable`` and ``status`` not compared: a placeholder's decide nothing.
    """

    id: str
    field: str
    before: Any
    after: Any
    effect: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "field": self.field, "before": self.before, "after": self.after}
