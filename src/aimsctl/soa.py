"""The Statement of Applicability as the repository decides it: a state per control.

One place answers "is this Annex A control decided, and how": `aimsctl controls`
lists it, and the rules and reports that count decided controls agree with it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from aimsctl.records import Control
from aimsctl.vocabulary import gives_a_reason, is_placeholder

if TYPE_CHECKING:
    from aimsctl.repository import Repository

EXCLUDED = "excluded"
# A justification that is empty (CONTROL_UNJUSTIFIED): no reason given, so not the
# decision that the control does not apply that an exclusion is, nor the reason for
# including it that the SoA gives for each control it includes.
UNJUSTIFIED = "excluded without a justification"
UNJUSTIFIED_INCLUDED = "included without a justification"
NO_STATUS = "applicable, no status"
PLACEHOLDER = "undecided (placeholder)"
INVALID = "invalid"  # a Control record validation refuses: no decision


def justified(control: Control) -> bool:
    """Whether the control gives a reason at all: some word or number, not spaces or
    punctuation alone (`-`), nor only a mark of none (`N/A`, `not applicable`: an
    exclusion's reason is why it does not apply); a placeholder is text, so it does."""
    return gives_a_reason(control.justification)


def decided(control: Control) -> bool:
    """Whether the control's `applicable` says anything: its justification is not a
    placeholder. (An empty one is reported by AIMS203 and counts as no decision in
    the SoA's states, :func:`control_state`.)"""
    return not is_placeholder(control.justification)


def settled(control: Control) -> bool:
    """Whether the SoA counts the control's row as a decision: a reason is given, and it
    is not a placeholder (:func:`control_state` is neither undecided nor unjustified)."""
    return decided(control) and justified(control)


def implemented(control: Control) -> bool:
    """Whether the SoA has the control in place: applicable for a reason given, decided
    and implemented. What a risk's residual and an impact's mitigation may take credit
    for."""
    return control.applicable and control.status == "implemented" and settled(control)


def qualified_status(status: str, not_met: Collection[str]) -> str:
    """A control's recorded implementation status, qualified by why the organization's
    own open nonconformities record it as not met (the record binds the status, the
    finding outweighs it): "implemented; NC-2026-01 records it as not met and is
    verifying, not closed". ``status`` alone when none does."""
    return "; ".join([status, *not_met])


def refused_controls(repo: Repository) -> set[str]:
    """Ids of records validation refused that are, or may be, Controls (their kind is
    Control, or could not be read): a control with such a record is not missing, and
    not decided either."""
    return {rid for rid, kind in repo.invalid.items() if kind in ("Control", None)}


def control_state(control: Control) -> str:
    """A Control record's state: undecided while its justification is a placeholder,
    unjustified while it is empty, else ``excluded``, its status, or applicable with
    none."""
    if is_placeholder(control.justification):
        return PLACEHOLDER
    if not justified(control):
        return UNJUSTIFIED_INCLUDED if control.applicable else UNJUSTIFIED
    if not control.applicable:
        return EXCLUDED
    return control.status or NO_STATUS


def control_states(repo: Repository) -> dict[str, str]:
    """Each Control's state (:func:`control_state`); a Control record validation
    refuses is invalid, and a control with no record is absent. Only ``excluded`` and
    the statuses are decisions: what counts an exclusion as a decision (coverage
    through the crosswalk) counts no other state.
    """
    return dict.fromkeys(refused_controls(repo), INVALID) | {
        control.id: control_state(control) for control in repo.of_kind(Control)
    }
