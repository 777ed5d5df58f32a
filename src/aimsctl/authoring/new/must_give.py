"""What a new record needs from the person making it: the records it is about, and
the fields no placeholder can stand in for."""

from __future__ import annotations

from aimsctl import codes

# Fields that name other records: (kind, field) -> the kind they name (None: any).
REFERENCES: dict[tuple[str, str], str | None] = {
    ("Risk", "systems"): "AISystem",
    ("ImpactAssessment", "system"): "AISystem",
    ("Evaluation", "system"): "AISystem",
    ("Monitor", "system"): "AISystem",
    ("Incident", "systems"): "AISystem",
    ("Waiver", "records"): None,
}


# Required fields no placeholder can stand in for, with what to give: without a
# prompt, they must come from --set. A rule code cannot be a placeholder (the record
# would not be valid with one), and a number written for a person to replace would
# be taken for theirs: a metric's `value: 0` read as measured, so an Evaluation with
# a threshold passed on a value nobody measured; a Monitor's `threshold: {min: 0}`
# never breached. A `*` stands for every entry of the list.
MUST_GIVE: dict[tuple[str, str], str] = {
    ("Waiver", "rule"): f"the code of the rule it waives, e.g. {codes.REVIEW_OVERDUE} "
    "(`aimsctl rules` lists them)",
    ("Evaluation", "metrics.*.value"): "the measured value of each metric, a number no "
    "placeholder can stand for (`aimsctl eval import` makes an Evaluation from a results file)",
    ("Monitor", "threshold"): "its threshold, the acceptable range of the metric, which no "
    "placeholder can stand for (--set threshold.min=N, --set threshold.max=N, or both)",
    # A date of something done that the rules count from: the as-of date written for
    # the user would be taken for theirs. A review "held" today answered an overdue
    # review cadence, an evaluation "performed" today the re-evaluation cadence, an
    # incident "detected" today moved its reporting deadline.
    ("Evaluation", "performed.on"): "the day it was performed, YYYY-MM-DD (the "
    "re-evaluation cadence counts from it)",
    ("Incident", "occurred"): "the day it happened, YYYY-MM-DD",
    ("Incident", "detected"): "the day it was detected, YYYY-MM-DD (reporting deadlines "
    "count from it)",
    ("ManagementReview", "held"): "the day the review was held, YYYY-MM-DD (the next "
    "review falls due from it)",
    # A level written for the user would read as assessed: the middle of the scale put
    # a risk nobody rated within the appetite (no acceptance asked, a low tier), and an
    # incident nobody rated below the severity its deadlines and rules read.
    ("Risk", "inherent.likelihood"): "how likely it is before treatment, a level of the "
    "repository's likelihood scale (a number or its label), which only you can assess",
    ("Risk", "inherent.severity"): "how severe it would be before treatment, a level of "
    "the repository's severity scale (a number or its label), which only you can assess",
    ("Incident", "severity"): "how severe it was, a level of the repository's severity "
    "scale (a number or its label)",
    # AIMS613 trusts `independent: true`: a default would claim it for the user.
    ("InternalAudit", "independent"): "whether its auditor is independent of what they "
    "audit, which only you can say (true or false)",
}
