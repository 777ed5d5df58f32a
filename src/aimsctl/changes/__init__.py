"""What a change does to governance: the result of comparing two revisions.

:func:`aimsctl.compare.compare` fills a :class:`Changes`; the formats in
:mod:`aimsctl.outputs.diff` render it, and ``--fail-on`` checks its gates. Each
list is sorted by id. Records are named by id, kind and file (at HEAD; at BASE
for a removed record).

:class:`Changes`, its gates and verdict are in ``comparison.py``; the kinds each
gate judges in ``gates.py``; the entries of each list in one module per group,
named as the groups of :mod:`aimsctl.compare` that fill them.
"""

from __future__ import annotations

from aimsctl.changes.comparison import Changes
from aimsctl.changes.controls import (
    ADDED_EXCLUDED,
    ADDED_UNDECIDED,
    CHANGED,
    DECIDED,
    DECIDED_EXCLUDED,
    EXCLUDED,
    INCLUDED,
    PROGRESSED,
    REGRESSED,
    REMOVED,
    REMOVED_UNDECIDED,
    UNDECIDED,
    UNDECIDED_REGRESSED,
    ControlChange,
)
from aimsctl.changes.events import MANAGEMENT_EVENT_KINDS, NOUNS, management_events
from aimsctl.changes.records import InvalidRecord, RecordChange, RecordRef
from aimsctl.changes.relaxed_checks import (
    CADENCE,
    ESTABLISHED,
    EXCLUDE,
    GOVERNANCE,
    RULE_SETTING,
    SEVERITY_FLOOR,
    WAIVER,
    RelaxedCheck,
)
from aimsctl.changes.removed import (
    RemovedEvaluation,
    RemovedMonitor,
    RemovedOpen,
    RemovedRecord,
    WithdrawnPolicy,
)
from aimsctl.changes.results import (
    DowngradedIncident,
    FailingMetric,
    NewIncident,
    RelaxedThreshold,
    RewrittenBreach,
    RewrittenFailure,
)
from aimsctl.changes.risks import (
    NewRisk,
    RelaxedRisk,
    RelaxedTier,
    RiskChange,
    ScoreState,
    TierChange,
)
from aimsctl.changes.systems import MaterialChange, UnassessedSystem
from aimsctl.changes.worsened import RewrittenSignOff, Worsened

__all__ = [
    "ADDED_EXCLUDED",
    "ADDED_UNDECIDED",
    "CADENCE",
    "CHANGED",
    "DECIDED",
    "DECIDED_EXCLUDED",
    "ESTABLISHED",
    "EXCLUDE",
    "EXCLUDED",
    "GOVERNANCE",
    "INCLUDED",
    "MANAGEMENT_EVENT_KINDS",
    "NOUNS",
    "PROGRESSED",
    "REGRESSED",
    "REMOVED",
    "REMOVED_UNDECIDED",
    "RULE_SETTING",
    "SEVERITY_FLOOR",
    "UNDECIDED",
    "UNDECIDED_REGRESSED",
    "WAIVER",
    "Changes",
    "ControlChange",
    "DowngradedIncident",
    "FailingMetric",
    "InvalidRecord",
    "MaterialChange",
    "NewIncident",
    "NewRisk",
    "RecordChange",
    "RecordRef",
    "RelaxedCheck",
    "RelaxedRisk",
    "RelaxedThreshold",
    "RelaxedTier",
    "RemovedEvaluation",
    "RemovedMonitor",
    "RemovedOpen",
    "RemovedRecord",
    "RewrittenBreach",
    "RewrittenFailure",
    "RewrittenSignOff",
    "RiskChange",
    "ScoreState",
    "TierChange",
    "UnassessedSystem",
    "WithdrawnPolicy",
    "Worsened",
    "management_events",
]
