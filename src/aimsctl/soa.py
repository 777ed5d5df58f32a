"""The Statement of Applicability as the repository decides it: a state per control.

One place answers "is this Annex A control decided, and how": `aimsctl controls`
lists it, and the rules and reports that count decided controls agree with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimsctl.records import Control
from aimsctl.vocabulary import is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

EXCLUDED = "excluded"
# `applicable: false` with an empty justification (EXCLUSION_UNJUSTIFIED): no reason
# given, so not the decision that the control does not apply that an exclusion is.
UNJUSTIFIED = "excluded without a justification"
NO_STATUS = "applicable, no status"
PLACEHOLDER = "undecided (placeholder)"
INVALID = "invalid"  # a Control record validation refuses: no decision


def decided(control: Control) -> bool:
    """Whether the SoA decides the control: its justification is not a placeholder."""
    return not is_placeholder(control.justification)


def implemented(control: Control) -> bool:
    """Whether the SoA has the control in place: applicable, decided and implemented.
    What a risk's residual and an impact's mitigation may take credit for."""
    return control.applicable and control.status == "implemented" and decided(control)


def refused_controls(repo: Repository) -> set[str]:
    """Ids of records validation refused that are, or may be, Controls (their kind is
    Control, or could not be read): a control with such a record is not missing, and
    not decided either."""
    return {rid for rid, kind in repo.invalid.items() if kind in ("Control", None)}


def control_states(repo: Repository) -> dict[str, str]:
    """Each decided Control's state: ``excluded``, its status, or applicable with none.

    A control whose justification is still a placeholder is listed as undecided; a
    Control record validation refuses is invalid; a control with no record is
    absent. None of them counts as decided. A control excluded with an empty
    justification is ``excluded without a justification``, never ``excluded``: what
    counts an exclusion as a decision (coverage through the crosswalk) does not
    count it.
    """
    return dict.fromkeys(refused_controls(repo), INVALID) | {
        control.id: (
            PLACEHOLDER
            if not decided(control)
            else (EXCLUDED if control.justification.strip() else UNJUSTIFIED)
            if not control.applicable
            else control.status or NO_STATUS
        )
        for control in repo.of_kind(Control)
    }
