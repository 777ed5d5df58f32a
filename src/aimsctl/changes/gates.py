"""The kinds of record each ``--fail-on`` gate judges."""

from __future__ import annotations

from aimsctl.vocabulary import (  # the --fail-on names, which the CLI needs at start-up
    APPETITE_CROSSED,
    APPROVED_RECORD_REWRITTEN,
    BREACH_REWRITTEN,
    CHANGED_WITHOUT_ASSESSMENT,
    CHECKS_RELAXED,
    CONTROL_REGRESSED,
    EVALUATION_REMOVED,
    FAILED_METRIC_REWRITTEN,
    INCIDENT_DOWNGRADED,
    MANAGEMENT_RECORD_REMOVED,
    MONITOR_REMOVED,
    OPEN_INCIDENT_REMOVED,
    OPEN_NONCONFORMITY_REMOVED,
    OPEN_RISK_REMOVED,
    POLICY_WITHDRAWN,
    RISK_CRITERIA_RELAXED,
    SOA_EXCLUSION_ADDED,
    THRESHOLD_RELAXED,
    TIER_RAISED,
)

# The records of the management system kept as documented information once made (5.2,
# 6.2, 9.2.2, 9.3.3, 7.5.3; 6.1.4 and 8.4 for the results of every impact assessment):
# management-record-removed trips when one is removed, and when an AI system that was
# not retired at BASE is (the AI inventory's entry, A.4).
RETAINED_KINDS: tuple[str, ...] = (
    "Policy",
    "Objective",
    "InternalAudit",
    "ManagementReview",
    "ImpactAssessment",
)


# The kinds of record each gate judges. A record of such a kind that was valid at BASE
# and is invalid or unreadable at HEAD cannot be judged there; the gate then trips
# for it rather than pass what it cannot see (the README is silent: the conservative
# reading).
GATE_KINDS: dict[str, tuple[str, ...]] = {
    APPETITE_CROSSED: ("Risk",),
    TIER_RAISED: ("Risk", "AISystem"),
    RISK_CRITERIA_RELAXED: ("Risk", "AISystem"),
    OPEN_RISK_REMOVED: ("Risk",),
    OPEN_NONCONFORMITY_REMOVED: ("Nonconformity",),
    OPEN_INCIDENT_REMOVED: ("Incident",),
    INCIDENT_DOWNGRADED: ("Incident",),
    THRESHOLD_RELAXED: ("Evaluation", "Monitor"),
    FAILED_METRIC_REWRITTEN: ("Evaluation",),
    BREACH_REWRITTEN: ("Monitor",),
    MONITOR_REMOVED: ("Monitor",),
    EVALUATION_REMOVED: ("Evaluation",),
    MANAGEMENT_RECORD_REMOVED: (*RETAINED_KINDS, "AISystem"),
    POLICY_WITHDRAWN: ("Policy",),
    APPROVED_RECORD_REWRITTEN: ("ImpactAssessment", "Policy", "InternalAudit"),
    CHECKS_RELAXED: ("Waiver",),
    CONTROL_REGRESSED: ("Control",),
    SOA_EXCLUSION_ADDED: ("Control",),
    CHANGED_WITHOUT_ASSESSMENT: ("AISystem",),
}


# The kinds of record added at HEAD, and invalid there, for which a gate cannot tell
# whether the record trips it: a control added as excluded trips soa-exclusion-added,
# and whether a control that fails validation is excluded cannot be told; a risk added
# above a system's tier raises it (tier-raised), and what band an invalid one has, or
# which systems it is of, cannot be told; a waiver added whose key is given twice (it
# waives by the first value, other YAML readers take the last) may waive anything. A
# record new at HEAD in a file that cannot be read (kind None: it cannot be told) may be
# of any of them, so each of these gates trips for it.
NEW_GATE_KINDS: dict[str, tuple[str, ...]] = {
    SOA_EXCLUSION_ADDED: ("Control",),
    TIER_RAISED: ("Risk",),
    CHECKS_RELAXED: ("Waiver",),
}
