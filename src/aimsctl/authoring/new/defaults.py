"""The values a new record starts with where the first allowed one is not the best,
and the comments beside values a person must check."""

from __future__ import annotations

from typing import Any

from aimsctl.days import add_days
from aimsctl.vocabulary import PLACEHOLDER


def todo(what: str) -> str:
    return f"{PLACEHOLDER} {what}"


# Values better than the first allowed one, by kind and field path. A callable gets
# the as-of date.
DEFAULTS: dict[str, dict[str, Any]] = {
    "AISystem": {
        "stage": "proposed",
        "type": "other",
        "human_oversight": {
            # the weakest: the strongest, claimed for the user, hid AIMS402
            "mode": "none",
            "description": todo("how people oversee the system's outputs"),
        },
    },
    "Risk": {"status": "open"},
    "ImpactAssessment": {"status": "draft"},
    "Control": {
        "applicable": True,
        "status": "not-started",
        "owner": todo("who owns the control"),
    },
    "Evaluation": {"stage": "pre-deployment"},
    "Monitor": {"dimension": "performance", "every_days": 30, "threshold": {"min": 0}},
    "Incident": {"status": "open"},
    "Policy": {"status": "draft", "version": "0.1"},
    "Objective": {"status": "planned", "due": lambda today: add_days(today, 365)},
    "InternalAudit": {
        "status": "planned",
        "planned": lambda today: add_days(today, 30),
        "scope": ["4", "5", "6", "7", "8", "9", "10"],
    },
    "Nonconformity": {"status": "open", "source": "other"},
}


# Comments beside a value the tool chose that a person must check.
NOTES: dict[str, dict[str, str]] = {
    "Risk": {
        "inherent": "the rating before treatment, written {likelihood: L, severity: S}, "
        "each a level of the repository's scale (a number or its label)"
    },
    "Evaluation": {"metrics.0.value": f"{PLACEHOLDER} the measured value"},
    "Monitor": {"threshold": f"{PLACEHOLDER} the acceptable range: {{min}}, {{max}} or both"},
    "InternalAudit": {
        "independent": "true only when the auditor is independent of what they audit",
        "scope": "clauses, Annex A ids or AISystem ids",
    },
}
