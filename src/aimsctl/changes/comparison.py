"""The whole result of one comparison: every list, the gates it trips, the verdict
in words, and the JSON of `aimsctl diff`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aimsctl.changes.controls import (
    ADDED_EXCLUDED,
    DECIDED_EXCLUDED,
    EXCLUDED,
    PROGRESSED,
    REGRESSED,
    UNDECIDED_REGRESSED,
    ControlChange,
)
from aimsctl.changes.events import ManagementEvent
from aimsctl.changes.gates import GATE_KINDS, NEW_GATE_KINDS
from aimsctl.changes.records import InvalidRecord, RecordChange, RecordRef
from aimsctl.changes.relaxed_checks import RelaxedCheck
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
from aimsctl.changes.risks import NewRisk, RelaxedRisk, RelaxedTier, RiskChange, TierChange
from aimsctl.changes.systems import MaterialChange, UnassessedSystem
from aimsctl.changes.worsened import RewrittenSignOff, Worsened
from aimsctl.fielddiff import FieldChange
from aimsctl.text import natural_key, plural
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

if TYPE_CHECKING:
    from aimsctl.revision import Snapshot


@dataclass
class Changes:
    """What differs between two revisions of a governance repository."""

    base: Snapshot
    head: Snapshot
    added: list[RecordRef] = field(default_factory=list)
    removed: list[RecordRef] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)
    risk_changes: list[RiskChange] = field(default_factory=list)
    tier_changes: list[TierChange] = field(default_factory=list)
    control_changes: list[ControlChange] = field(default_factory=list)
    new_systems_without_assessment: list[RecordRef] = field(default_factory=list)
    # Systems whose material fields changed while no impact assessment of theirs did.
    changed_without_assessment: list[MaterialChange] = field(default_factory=list)
    # Systems put to use (new, or back from retired) with no current approved assessment.
    unassessed_systems: list[UnassessedSystem] = field(default_factory=list)
    new_risks_above_appetite: list[NewRisk] = field(default_factory=list)
    # Where aims.yaml's risk settings changed, HEAD's risks and tiers are also judged
    # by BASE's settings: what only the new settings let through is listed here.
    relaxed_risks: list[RelaxedRisk] = field(default_factory=list)
    relaxed_tiers: list[RelaxedTier] = field(default_factory=list)
    # Risks not closed at BASE that are gone at HEAD: the register loses them without
    # a record of their closing.
    removed_open_risks: list[RemovedOpen] = field(default_factory=list)
    # The same for nonconformities (10.2) and incidents.
    removed_open_nonconformities: list[RemovedOpen] = field(default_factory=list)
    removed_open_incidents: list[RemovedOpen] = field(default_factory=list)
    # Incidents HEAD calls less grave than BASE did (no longer serious, or less severe).
    downgraded_incidents: list[DowngradedIncident] = field(default_factory=list)
    # Acceptance criteria loosened, and recorded failures that no longer fail.
    relaxed_thresholds: list[RelaxedThreshold] = field(default_factory=list)
    rewritten_failures: list[RewrittenFailure] = field(default_factory=list)
    rewritten_breaches: list[RewrittenBreach] = field(default_factory=list)
    # Monitors that stop watching a system in production, and evaluations removed: the
    # monitoring (A.6.2.6, 9.1) and the verification evidence (A.6.2.4) that go with them.
    removed_monitors: list[RemovedMonitor] = field(default_factory=list)
    removed_evaluations: list[RemovedEvaluation] = field(default_factory=list)
    # Policies, objectives, internal audits and management reviews removed, and the
    # approved policy withdrawn with none approved at HEAD.
    removed_management_records: list[RemovedRecord] = field(default_factory=list)
    withdrawn_policies: list[WithdrawnPolicy] = field(default_factory=list)
    # Internal audits completed at BASE and no longer at HEAD (they trip
    # management-record-removed: the record of an audit conducted is gone), and
    # nonconformities closed by the change while AIMS621 refuses the closure.
    uncompleted_audits: list[Worsened] = field(default_factory=list)
    # Impact assessments approved at BASE and back to draft or in review at HEAD (they
    # trip management-record-removed: the approved result is gone).
    unapproved_assessments: list[Worsened] = field(default_factory=list)
    unverified_closures: list[Worsened] = field(default_factory=list)
    # Impact assessments and policies approved at both revisions by the same approval,
    # and internal audits completed at both on the same day, whose substance changed:
    # what was signed off is not what HEAD says.
    rewritten_sign_offs: list[RewrittenSignOff] = field(default_factory=list)
    # Risks above the appetite at both revisions whose acceptance in force at BASE is
    # not at HEAD: removed, signed by someone AIMS305 refuses, or its dates moved.
    lost_acceptances: list[Worsened] = field(default_factory=list)
    # What validate asks relaxed by aims.yaml (rules, governance, cadence, exclude) or by
    # a waiver added, extended or widened.
    relaxed_checks: list[RelaxedCheck] = field(default_factory=list)
    # Metrics failing at HEAD that were not failing at BASE, and incidents added.
    new_failing_metrics: list[FailingMetric] = field(default_factory=list)
    new_incidents: list[NewIncident] = field(default_factory=list)
    # Nonconformities raised, closed or reopened, audits completed, policies approved or
    # retired, management reviews held.
    management_events: list[ManagementEvent] = field(default_factory=list)
    invalid: list[InvalidRecord] = field(default_factory=list)
    # Records valid at BASE that are invalid or unreadable at HEAD, with their kind at
    # BASE: what the gates cannot judge.
    unjudged: list[RecordRef] = field(default_factory=list)
    # Records added at HEAD that are invalid or unreadable there: see NEW_GATE_KINDS.
    unjudged_new: list[RecordRef] = field(default_factory=list)
    config: list[FieldChange] = field(default_factory=list)  # aims.yaml, validated
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No record was added, removed or changed, and no score moved."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.risk_changes
            or self.tier_changes
            or self.control_changes
            or self.invalid
            or self.config
        )

    def gates(self) -> dict[str, list[str]]:
        """For each --fail-on name, the ids of the records that trip it: those that
        make governance worse, and those of the kinds it judges that it cannot judge."""
        found = self.judged()
        return {name: _sorted(ids + self._cannot_judge(name)) for name, ids in found.items()}

    def _cannot_judge(self, name: str) -> list[str]:
        ids = [r.id for r in self.unjudged if r.kind in GATE_KINDS.get(name, ())]
        # A record new at HEAD in a file that cannot be read is of no kind known: it may
        # be of any.
        kinds = NEW_GATE_KINDS.get(name, ())
        return ids + [r.id for r in self.unjudged_new if kinds and r.kind in (*kinds, None)]

    def judged(self) -> dict[str, list[str]]:
        """For each --fail-on name, the ids of the records seen to make governance worse."""
        hidden = [r.id for r in self.relaxed_risks if r.hidden_raise]
        return {
            APPETITE_CROSSED: _sorted([c.id for c in self.risk_changes if c.now_above] + hidden),
            TIER_RAISED: _sorted(
                [c.id for c in self.tier_changes if c.raised]
                + [t.id for t in self.relaxed_tiers if t.hidden_raise]
            ),
            CONTROL_REGRESSED: [
                c.id for c in self.control_changes if c.effect in (REGRESSED, UNDECIDED_REGRESSED)
            ],
            SOA_EXCLUSION_ADDED: [
                c.id
                for c in self.control_changes
                if c.effect in (EXCLUDED, ADDED_EXCLUDED, DECIDED_EXCLUDED)
            ],
            CHANGED_WITHOUT_ASSESSMENT: _sorted(
                [c.id for c in self.changed_without_assessment]
                + [u.id for u in self.unassessed_systems]
            ),
            RISK_CRITERIA_RELAXED: _sorted(
                [r.id for r in self.relaxed_risks] + [t.id for t in self.relaxed_tiers]
            ),
            OPEN_RISK_REMOVED: [r.id for r in self.removed_open_risks],
            OPEN_NONCONFORMITY_REMOVED: [r.id for r in self.removed_open_nonconformities],
            OPEN_INCIDENT_REMOVED: [r.id for r in self.removed_open_incidents],
            INCIDENT_DOWNGRADED: [i.id for i in self.downgraded_incidents],
            THRESHOLD_RELAXED: _sorted([t.id for t in self.relaxed_thresholds]),
            FAILED_METRIC_REWRITTEN: _sorted([f.evaluation for f in self.rewritten_failures]),
            BREACH_REWRITTEN: [b.monitor for b in self.rewritten_breaches],
            MONITOR_REMOVED: [m.monitor for m in self.removed_monitors],
            EVALUATION_REMOVED: [e.evaluation for e in self.removed_evaluations],
            MANAGEMENT_RECORD_REMOVED: _sorted(
                [r.id for r in self.removed_management_records]
                + [a.id for a in self.uncompleted_audits]
                + [a.id for a in self.unapproved_assessments]
            ),
            POLICY_WITHDRAWN: [p.id for p in self.withdrawn_policies],
            APPROVED_RECORD_REWRITTEN: [r.id for r in self.rewritten_sign_offs],
            CHECKS_RELAXED: _sorted([c.id for c in self.relaxed_checks]),
        }

    def unjudged_in(self, names: Iterable[str]) -> list[str]:
        """The ids of records the named gates trip for because they cannot judge them."""
        return _sorted([record_id for name in names for record_id in self._cannot_judge(name)])

    def tripped(self, names: Iterable[str]) -> dict[str, list[str]]:
        """The named gates that trip, with their record ids."""
        gates = self.gates()
        return {name: gates[name] for name in names if gates[name]}

    def regressions(self) -> list[str]:
        """The ways governance gets worse, in words (empty: no regression); what cannot
        be judged is counted as records invalid at HEAD, not as what it might hide."""
        gates = self.judged()
        invalid_at_head = [
            r
            for r in self.invalid
            if r.head in ("invalid", "unreadable") and r.base not in ("invalid", "unreadable")
        ]
        counts = [
            (len(gates[APPETITE_CROSSED]), "risk crosses the appetite", "risks cross the appetite"),
            (
                sum(1 for c in self.risk_changes if c.raised_above),
                "risk above the appetite raised further",
                "risks above the appetite raised further",
            ),
            (
                len(self.lost_acceptances),
                "risk above the appetite no longer accepted",
                "risks above the appetite no longer accepted",
            ),
            (
                len(self.new_risks_above_appetite),
                "new risk above the appetite",
                "new risks above the appetite",
            ),
            (
                len(self.relaxed_risks),
                "risk within the appetite only by HEAD's aims.yaml",
                "risks within the appetite only by HEAD's aims.yaml",
            ),
            (len(gates[TIER_RAISED]), "system tier raised", "system tiers raised"),
            (
                len(self.relaxed_tiers),
                "system tier lower only by HEAD's aims.yaml",
                "system tiers lower only by HEAD's aims.yaml",
            ),
            (
                len(gates[OPEN_RISK_REMOVED]),
                "open risk removed without being closed",
                "open risks removed without being closed",
            ),
            (
                len(gates[OPEN_NONCONFORMITY_REMOVED]),
                "open nonconformity removed without being closed",
                "open nonconformities removed without being closed",
            ),
            (
                len(gates[OPEN_INCIDENT_REMOVED]),
                "open incident removed without being closed",
                "open incidents removed without being closed",
            ),
            (
                len(self.downgraded_incidents),
                "incident recorded as less grave",
                "incidents recorded as less grave",
            ),
            (len(self.relaxed_thresholds), "threshold relaxed", "thresholds relaxed"),
            (
                len(self.rewritten_failures),
                "recorded failure no longer failing",
                "recorded failures no longer failing",
            ),
            (
                len(self.rewritten_breaches),
                "monitor whose recorded breach no longer shows",
                "monitors whose recorded breaches no longer show",
            ),
            (
                len(self.removed_monitors),
                "monitor of a system in production removed",
                "monitors of systems in production removed",
            ),
            (len(self.removed_evaluations), "evaluation removed", "evaluations removed"),
            (
                len(self.removed_management_records),
                "management system record removed",
                "management system records removed",
            ),
            (
                len(self.withdrawn_policies),
                "AI policy withdrawn without a successor",
                "AI policies withdrawn without a successor",
            ),
            (
                len(self.uncompleted_audits),
                "internal audit no longer completed",
                "internal audits no longer completed",
            ),
            (
                len(self.unapproved_assessments),
                "impact assessment no longer approved",
                "impact assessments no longer approved",
            ),
            (
                len(self.rewritten_sign_offs),
                "signed-off record changed without a new sign-off",
                "signed-off records changed without a new sign-off",
            ),
            (
                len(self.unverified_closures),
                "nonconformity closed without its closure standing",
                "nonconformities closed without their closure standing",
            ),
            (
                len(self.relaxed_checks),
                "check relaxed by aims.yaml or a waiver",
                "checks relaxed by aims.yaml or waivers",
            ),
            (len(gates[CONTROL_REGRESSED]), "control regressed", "controls regressed"),
            (len(gates[SOA_EXCLUSION_ADDED]), "SoA exclusion added", "SoA exclusions added"),
            (
                len(self.new_systems_without_assessment),
                "new system without an impact assessment",
                "new systems without an impact assessment",
            ),
            (
                len(self.changed_without_assessment),
                "system changed without its impact assessment",
                "systems changed without their impact assessment",
            ),
            (
                len(self.unassessed_unlisted()),
                "system put to use without a current approved impact assessment",
                "systems put to use without a current approved impact assessment",
            ),
            (len(invalid_at_head), "record invalid at HEAD", "records invalid at HEAD"),
        ]
        return [plural(n, one, many) for n, one, many in counts if n]

    def unassessed_unlisted(self) -> list[UnassessedSystem]:
        """The systems put to use without a current approved impact assessment that are
        not already listed as new without one or as changed without their assessment:
        what the verdict and the comment add for them."""
        listed = {r.id for r in self.new_systems_without_assessment}
        listed |= {c.id for c in self.changed_without_assessment}
        return [u for u in self.unassessed_systems if u.id not in listed]

    def relaxed_risk_ids(self) -> set[str]:
        """The risks within the appetite only by HEAD's more lenient aims.yaml."""
        return {r.id for r in self.relaxed_risks}

    def relaxed_tier_ids(self) -> set[str]:
        """The systems whose tier is lower only by HEAD's more lenient aims.yaml."""
        return {t.id for t in self.relaxed_tiers}

    def improvements(self) -> list[str]:
        """The ways governance gets better, in words. A risk back within the appetite,
        or a tier lowered, only because HEAD's aims.yaml is more lenient is not one."""
        risks, tiers = self.relaxed_risk_ids(), self.relaxed_tier_ids()
        counts = [
            (
                sum(1 for c in self.risk_changes if c.now_within and c.id not in risks),
                "risk back within the appetite",
                "risks back within the appetite",
            ),
            (
                sum(1 for c in self.tier_changes if c.lowered and c.id not in tiers),
                "system tier lowered",
                "system tiers lowered",
            ),
            (
                sum(1 for c in self.control_changes if c.effect == PROGRESSED),
                "control progressed",
                "controls progressed",
            ),
        ]
        return [plural(n, one, many) for n, one, many in counts if n]

    def as_json(self) -> dict[str, Any]:
        """The binding JSON shape of `aimsctl diff --format json`, plus extra keys."""
        return {
            "version": 1,
            "base": self.base.ref,
            "head": self.head.ref,
            "added": [r.as_json() for r in self.added],
            "removed": [r.as_json() for r in self.removed],
            "changed": [c.as_json() for c in self.changed],
            "risk_changes": [c.as_json() for c in self.risk_changes],
            "tier_changes": [c.as_json() for c in self.tier_changes],
            "control_changes": [c.as_json() for c in self.control_changes],
            "moved": [
                {"kind": c.kind, "id": c.id, "from": c.previous_path, "to": c.path}
                for c in self.changed
                if c.previous_path is not None
            ],
            "new_systems_without_assessment": [
                r.as_json() for r in self.new_systems_without_assessment
            ],
            "changed_without_assessment": [c.as_json() for c in self.changed_without_assessment],
            "unassessed_systems": [u.as_json() for u in self.unassessed_systems],
            "new_risks_above_appetite": [
                {"id": r.id, "score": r.score, "band": r.band, "path": r.path}
                for r in self.new_risks_above_appetite
            ],
            "relaxed_risks": [r.as_json() for r in self.relaxed_risks],
            "relaxed_tiers": [t.as_json() for t in self.relaxed_tiers],
            "removed_open_risks": [r.as_json() for r in self.removed_open_risks],
            "removed_open_nonconformities": [
                r.as_json() for r in self.removed_open_nonconformities
            ],
            "removed_open_incidents": [r.as_json() for r in self.removed_open_incidents],
            "downgraded_incidents": [i.as_json() for i in self.downgraded_incidents],
            "relaxed_thresholds": [t.as_json() for t in self.relaxed_thresholds],
            "rewritten_failures": [f.as_json() for f in self.rewritten_failures],
            "rewritten_breaches": [b.as_json() for b in self.rewritten_breaches],
            "removed_monitors": [m.as_json() for m in self.removed_monitors],
            "removed_evaluations": [e.as_json() for e in self.removed_evaluations],
            "removed_management_records": [r.as_json() for r in self.removed_management_records],
            "withdrawn_policies": [p.as_json() for p in self.withdrawn_policies],
            "uncompleted_audits": [a.as_json() for a in self.uncompleted_audits],
            "unapproved_assessments": [a.as_json() for a in self.unapproved_assessments],
            "unverified_closures": [c.as_json() for c in self.unverified_closures],
            "rewritten_sign_offs": [r.as_json() for r in self.rewritten_sign_offs],
            "raised_above_appetite": [c.id for c in self.risk_changes if c.raised_above],
            "lost_acceptances": [a.as_json() for a in self.lost_acceptances],
            "relaxed_checks": [c.as_json() for c in self.relaxed_checks],
            "invalid": [r.as_json() for r in self.invalid],
            "config": [c.as_json() for c in self.config],
            "new_failing_metrics": [m.as_json() for m in self.new_failing_metrics],
            "new_incidents": [i.as_json() for i in self.new_incidents],
            "management_events": [e.as_json() for e in self.management_events],
            "regressions": self.gates(),
            "notes": list(self.notes),
        }


def _sorted(ids: list[str]) -> list[str]:
    return sorted(dict.fromkeys(ids), key=natural_key)
