"""The Statement of Applicability as the repository decides it: a state per control.

One place answers "is this Annex A control decided, and how": `aimsctl controls`
lists it, and the rules and reports that count decided controls agree with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimsctl.records import Control

if TYPE_CHECKING:
    from aimsctl.repository import Repository

EXCLUDED = "excluded"
NO_STATUS = "applicable, no status"


def control_states(repo: Repository) -> dict[str, str]:
    """Each valid Control's state: ``excluded``, its status, or applicable with none.

    A control with no valid record is absent: it is not decided.
    """
    return {
        control.id: EXCLUDED if not control.applicable else control.status or NO_STATUS
        for control in repo.of_kind(Control)
    }
