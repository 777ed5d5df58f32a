"""Enumerations the records and aims.yaml share, with the order some of them carry.

A leaf module: it imports nothing from aimsctl, so aims.yaml (which comes before
the records) and the records can both use it. Allowed values that only one
record kind uses live on that kind's model; code that needs them reads them with
``typing.get_args`` rather than repeating them.
"""

from __future__ import annotations

from typing import Literal, get_args

from aimsctl.text import as_shown, has_words, person_key

# How closely people oversee an AI system, weakest first.
OversightMode = Literal["none", "periodic-review", "human-on-the-loop", "human-in-the-loop"]
OVERSIGHT_ORDER: tuple[str, ...] = get_args(OversightMode)

# How far a control is implemented, least first.
ControlStatus = Literal["not-started", "planned", "partial", "implemented"]
CONTROL_STATUS_ORDER: tuple[str, ...] = get_args(ControlStatus)

# Text that still has to be written: `aimsctl init` and `aimsctl soa sync` start
# such values with this marker, and validate reports them until they are replaced.
PLACEHOLDER = "TODO:"


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is a `TODO:` placeholder as it shows: a character that shows
    as nothing before or inside the marker (a zero-width space, a soft hyphen) does
    not make it someone's name (AIMS011 warns of the character)."""
    if text.lstrip().startswith(PLACEHOLDER):
        return True
    return not text.isascii() and as_shown(text).lstrip().startswith(PLACEHOLDER)


# What marks a reason as missing rather than gives one ("N/A" beside an exclusion says
# again that the control does not apply): compared in lower case, with spaces and
# punctuation dropped.
_NO_REASON = frozenset(
    {"na", "notapplicable", "none", "nil", "null", "tbd", "tba", "tbc", "unknown", "nothing"}
)


def gives_a_reason(text: str) -> bool:
    """Whether ``text`` gives a reason: it says something (:func:`has_words`), and not
    only that there is none (`N/A`, `not applicable`, `none`, `TBD`)."""
    # Look-alike letters read as the Latin ones they show (full-width, Cyrillic).
    folded = "".join(character for character in person_key(text) if character.isalnum())
    return has_words(text) and folded not in _NO_REASON


# A Role's holder that names nobody yet (as person_key keys it): the role is vacant.
VACANT_HOLDERS = frozenset({"vacant", "tbd", "tba", "n/a", "none", "unassigned", "open", "-"})


def placeholder_signer(by: str) -> str | None:
    """Why ``by`` (who approved, accepted or signed) signs nothing: it is still a
    `TODO:` placeholder, a name nobody has written; None when it names someone."""
    return (
        f"{by!r} is a placeholder ({PLACEHOLDER}): nobody has signed it yet"
        if is_placeholder(by)
        else None
    )


# The example records `aimsctl init` writes for the organization to replace or delete
# (scaffold.STARTER_FILES holds them): one still holding its placeholder text records
# nothing, so deleting it takes nothing away (`diff`'s removal gates).
STARTER_EXAMPLES = ("SYS-EXAMPLE", "R-EXAMPLE-1", "IA-EXAMPLE")

# The fields of an AISystem whose change is a significant change (8.2, 8.4): its
# impact assessment must be looked at again. A new legal class or place of use
# (`regulation`, `jurisdictions`) changes what the system owes and whom it may harm.
MATERIAL_FIELDS = (
    "purpose",
    "type",
    "stage",
    "decisions",
    "data",
    "third_parties",
    "human_oversight",
    "regulation",
    "jurisdictions",
)

# The reports `aimsctl report` renders, in the order `report all` writes them: the
# report registry, the command's choices and `documents:` of aims.yaml read them here.
ReportName = Literal[
    "soa", "inventory", "risks", "impact", "systems", "monitoring", "management", "readiness"
]
REPORT_NAMES: tuple[str, ...] = get_args(ReportName)

# What a metric of an Evaluation or a Monitor measures (ISO/IEC 42001 Annex C objectives
# and the qualities A.6.2.4 verifies).
MetricDimension = Literal[
    "performance",
    "fairness",
    "robustness",
    "safety",
    "privacy",
    "security",
    "explainability",
]

# --fail-on names: the ways a change can make governance worse.
APPETITE_CROSSED = "appetite-crossed"
TIER_RAISED = "tier-raised"
CONTROL_REGRESSED = "control-regressed"
SOA_EXCLUSION_ADDED = "soa-exclusion-added"
CHANGED_WITHOUT_ASSESSMENT = "system-changed-without-assessment"
RISK_CRITERIA_RELAXED = "risk-criteria-relaxed"
OPEN_RISK_REMOVED = "open-risk-removed"
OPEN_NONCONFORMITY_REMOVED = "open-nonconformity-removed"
OPEN_INCIDENT_REMOVED = "open-incident-removed"
INCIDENT_DOWNGRADED = "incident-downgraded"
THRESHOLD_RELAXED = "threshold-relaxed"
FAILED_METRIC_REWRITTEN = "failed-metric-rewritten"
BREACH_REWRITTEN = "breach-rewritten"
MONITOR_REMOVED = "monitor-removed"
EVALUATION_REMOVED = "evaluation-removed"
MANAGEMENT_RECORD_REMOVED = "management-record-removed"
POLICY_WITHDRAWN = "policy-withdrawn"
APPROVED_RECORD_REWRITTEN = "approved-record-rewritten"
CHECKS_RELAXED = "checks-relaxed"
FAIL_ON = (
    APPETITE_CROSSED,
    TIER_RAISED,
    CONTROL_REGRESSED,
    SOA_EXCLUSION_ADDED,
    CHANGED_WITHOUT_ASSESSMENT,
    RISK_CRITERIA_RELAXED,
    OPEN_RISK_REMOVED,
    OPEN_NONCONFORMITY_REMOVED,
    OPEN_INCIDENT_REMOVED,
    INCIDENT_DOWNGRADED,
    THRESHOLD_RELAXED,
    FAILED_METRIC_REWRITTEN,
    BREACH_REWRITTEN,
    MONITOR_REMOVED,
    EVALUATION_REMOVED,
    MANAGEMENT_RECORD_REMOVED,
    POLICY_WITHDRAWN,
    APPROVED_RECORD_REWRITTEN,
    CHECKS_RELAXED,
)
