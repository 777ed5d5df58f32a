"""AIMS601-AIMS625: the management system itself: the AI policy, roles, objectives,
internal audits, management reviews, nonconformities and corrective actions, and
when the system started.

Rules about what must exist (a policy, an audit, a review) apply only to a
repository that keeps its management system in records: one with a record of one
of the six kinds, or `established` or `cadence` in aims.yaml. A repository that
only keeps a risk register validates as before.

- state.py: what the rules share, and what `due`, `status` and the reports read
- policy.py, roles.py, objectives.py, audits.py, management_reviews.py,
  nonconformities.py, established.py: the rules, one module per part of the system

Importing the package registers every rule.
"""

from aimsctl.rules.management import (  # noqa: F401  (each module registers its rules)
    audits,
    established,
    management_reviews,
    nonconformities,
    objectives,
    policy,
    roles,
)
from aimsctl.rules.management.audits import (
    PROGRAMME_YEARS,
    audit_programme,
    plan_not_counted,
    programme_since,
    to_audit,
)
from aimsctl.rules.management.management_reviews import REVIEW_INPUTS, missing_inputs
from aimsctl.rules.management.objectives import (
    achievement_not_shown,
    latest_progress,
    progress_owed,
)
from aimsctl.rules.management.policy import COMMITMENTS
from aimsctl.rules.management.state import (
    UNREAD_NAMED,
    action_done,
    ai_in_use,
    aims_start,
    being_set_up,
    chaired_outside,
    closure_problem,
    first_due,
    last_completed_audit,
    last_review,
    not_counted,
    not_met,
    not_met_by,
    not_top_management_because,
    noted,
    outside_top_management,
    policy_approved,
    policy_cadence_review,
    policy_in_force,
    policy_next_review,
    policy_owed,
    raised_otherwise,
    recorded_unmet,
    records_start,
    review_not_counted,
    status_not_met,
    top_management_named,
    unjudged_note,
    unread_note,
)

__all__ = [
    "COMMITMENTS",
    "PROGRAMME_YEARS",
    "REVIEW_INPUTS",
    "UNREAD_NAMED",
    "achievement_not_shown",
    "action_done",
    "ai_in_use",
    "aims_start",
    "audit_programme",
    "being_set_up",
    "chaired_outside",
    "closure_problem",
    "first_due",
    "last_completed_audit",
    "last_review",
    "latest_progress",
    "missing_inputs",
    "not_counted",
    "not_met",
    "not_met_by",
    "not_top_management_because",
    "noted",
    "outside_top_management",
    "plan_not_counted",
    "policy_approved",
    "policy_cadence_review",
    "policy_in_force",
    "policy_next_review",
    "policy_owed",
    "programme_since",
    "progress_owed",
    "raised_otherwise",
    "recorded_unmet",
    "records_start",
    "review_not_counted",
    "status_not_met",
    "to_audit",
    "top_management_named",
    "unjudged_note",
    "unread_note",
]
