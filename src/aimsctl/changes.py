"""What a change does to governance: the result of comparing two revisions.

:func:`aimsctl.compare.compare` fills a :class:`Changes`; the formats in
:mod:`aimsctl.outputs.diff` render it, and ``--fail-on`` checks its gates. Each
list is sorted by id. Records are named by id, kind and file (at HEAD; at BASE
for a removed record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import TYPE_CHECKING, Any

from aimsctl.fielddiff import FieldChange
from aimsctl.text import natural_key, plural
from aimsctl.vocabulary import (  # the --fail-on names, which the CLI needs at start-up
    APPETITE_CROSSED,
    BREACH_REWRITTEN,
    CHANGED_WITHOUT_ASSESSMENT,
    CHECKS_RELAXED,
    CONTROL_REGRESSED,
    EVALUATION_REMOVED,
    FAILED_METRIC_REWRITTEN,
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


@dataclass(frozen=True, slots=True)
class AllFields:
    """``as_json`` of a change that shows every field, in order: a tuple as a list, a
    date as YYYY-MM-DD. A change that shows less, or under other names, writes its own."""

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for item in dataclass_fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, date):
                value = value.isoformat()
            shown[item.name] = value
        return shown


@dataclass(frozen=True, slots=True)
class RecordRef(AllFields):
    kind: str | None
    id: str
    path: str


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record present at both revisions whose content or file changed.

    ``path`` is where it is at HEAD; ``previous_path`` where it was at BASE, when it
    moved. ``invalid_at`` names the revisions ("BASE", "HEAD") where the record
    fails validation; both sides were then compared as written, not validated.
    """

    kind: str | None
    id: str
    path: str
    fields: tuple[FieldChange, ...]
    previous_path: str | None = None
    invalid_at: tuple[str, ...] = ()

    @property
    def as_written(self) -> bool:
        return bool(self.invalid_at)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "path": self.path,
            "fields": [change.as_json() for change in self.fields],
        }


@dataclass(frozen=True, slots=True)
class ScoreState:
    """A risk's current position on one side: residual once credited, else inherent."""

    score: int
    band: str
    within_appetite: bool
    basis: str = "inherent"  # "residual" or "inherent"

    def as_json(self) -> dict[str, Any]:
        # The binding shape of cli.md: score and band (the text shows the basis too).
        return {"score": self.score, "band": self.band}

    def text(self) -> str:
        return f"{self.score} {self.band} ({self.basis})"


@dataclass(frozen=True, slots=True)
class RiskChange:
    """A risk whose current score, band or standing against the appetite changed."""

    id: str
    before: ScoreState
    after: ScoreState

    @property
    def appetite_crossed(self) -> bool:
        return self.before.within_appetite != self.after.within_appetite

    @property
    def now_above(self) -> bool:
        """Crossed from within the appetite to above it."""
        return self.before.within_appetite and not self.after.within_appetite

    @property
    def now_within(self) -> bool:
        return not self.before.within_appetite and self.after.within_appetite

    @property
    def raised_above(self) -> bool:
        """Above the appetite at both sides, and its score raised: no crossing, but worse
        (an acceptance given for the lower score now covers a higher one)."""
        return (
            not self.before.within_appetite
            and not self.after.within_appetite
            and self.after.score > self.before.score
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "appetite_crossed": self.appetite_crossed,
        }


@dataclass(frozen=True, slots=True)
class RelaxedRisk:
    """A risk within the appetite by HEAD's aims.yaml that BASE's would put above it.

    ``by_base`` is the risk as it is at HEAD, scored by BASE's settings (None where
    they cannot score it: the scales changed length); ``before`` is the risk at BASE
    (None for a risk added at HEAD).
    """

    id: str
    before: ScoreState | None
    after: ScoreState
    by_base: ScoreState | None

    @property
    def hidden_raise(self) -> bool:
        """Within the appetite at BASE and, by BASE's settings, above it at HEAD: a
        crossing that only the new settings hide."""
        return (
            self.before is not None
            and self.before.within_appetite
            and self.by_base is not None
            and not self.by_base.within_appetite
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": None if self.before is None else self.before.as_json(),
            "after": self.after.as_json(),
            "by_base_settings": None if self.by_base is None else self.by_base.as_json(),
        }


@dataclass(frozen=True, slots=True)
class RelaxedTier:
    """A system whose tier at HEAD is lower by HEAD's aims.yaml than by BASE's, or
    which BASE's settings see raised where HEAD's see no raise (``hidden_raise``).

    ``before`` is its tier at BASE (None for a system added at HEAD); ``by_base`` its
    tier at HEAD by BASE's settings (None where they cannot give it).
    """

    id: str
    before: str | None
    after: str
    by_base: str | None
    hidden_raise: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "before": self.before,
            "after": self.after,
            "by_base_settings": self.by_base,
            "raised_by_base_settings": self.hidden_raise,
        }


@dataclass(frozen=True, slots=True)
class TierChange:
    id: str
    before: str
    after: str
    raised: bool
    lowered: bool

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "before": self.before, "after": self.after}


# What a control change means for the Statement of Applicability.
REGRESSED = "regressed"  # status went down, or an applicable control was removed
PROGRESSED = "progressed"  # status went up
EXCLUDED = "excluded"  # flipped to applicable: false, or added as excluded
INCLUDED = "included"  # flipped to applicable: true, or added as applicable
ADDED_EXCLUDED = "added-excluded"
REMOVED = "removed"  # a control that was not applicable was removed
CHANGED = "changed"  # a status set or cleared
# A control whose justification is still a placeholder decides nothing, whatever its
# applicable and status say: these are the effects of a ``decided`` row.
DECIDED = "decided"  # a placeholder replaced by a decision to apply the control
DECIDED_EXCLUDED = "decided-excluded"  # ... by a decision to exclude it
UNDECIDED = "undecided"  # an excluded control put back to a placeholder
UNDECIDED_REGRESSED = "undecided-regressed"  # an applicable control put back to one
ADDED_UNDECIDED = "added-undecided"  # a control added with a placeholder justification
REMOVED_UNDECIDED = "removed-undecided"  # ... removed while it still had one


@dataclass(frozen=True, slots=True)
class ControlChange:
    """One SoA row change: ``field`` is ``applicable``, ``status`` or ``decided``.

    An added control shows as ``applicable`` from None, a removed one as
    ``applicable`` to None; one added or removed undecided, as ``decided`` from None
    to False or from False to None. A control that goes from a placeholder justification to
    a decision, or back, shows as ``decided`` from False to True (or back), its
    ``applicable`` and ``status`` not compared: a placeholder's decide nothing.
    """

    id: str
    field: str
    before: Any
    after: Any
    effect: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "field": self.field, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class NewRisk:
    id: str
    score: int
    band: str


@dataclass(frozen=True, slots=True)
class RemovedOpen(AllFields):
    """A risk, nonconformity or incident not closed at BASE that HEAD no longer holds as
    one of its kind: deleted, moved where aims.yaml excludes it, or rewritten as a
    record of another kind. ``status`` is as BASE wrote it (None when it wrote none
    such a record could have)."""

    id: str
    path: str
    status: str | None


@dataclass(frozen=True, slots=True)
class RemovedRecord(AllFields):
    """A policy, objective, internal audit, management review or impact assessment at
    BASE, or an AI system not retired there, that HEAD no longer holds as one of its
    kind: deleted, moved where aims.yaml excludes it, or rewritten as another kind.
    ``status`` is as BASE wrote it, for a system its ``stage`` (None when it wrote none)."""

    kind: str
    id: str
    path: str
    status: str | None


@dataclass(frozen=True, slots=True)
class Worsened(AllFields):
    """A record present at both revisions whose standing goes backwards: an internal
    audit completed at BASE and not at HEAD, an impact assessment approved at BASE and
    back to draft or in review at HEAD, or a nonconformity closed by the change
    while its closure does not stand. ``now`` says how, in words; ``path`` is at HEAD."""

    kind: str
    id: str
    path: str
    now: str


@dataclass(frozen=True, slots=True)
class WithdrawnPolicy(AllFields):
    """A policy approved at BASE that is not at HEAD, where no policy is approved: the AI
    policy withdrawn without a successor. ``now`` says what became of it, in words."""

    id: str
    version: str
    now: str
    path: str


# What a RelaxedCheck relaxes: the `what` of its JSON.
RULE_SETTING = "rule"  # a rule's severity lowered in `rules:` (or an override removed)
WAIVER = "waiver"  # a Waiver that waives a rule on a record, or until a day, BASE did not
GOVERNANCE = "governance"  # what `governance:` asks of a system of one tier
CADENCE = "cadence"  # how often audits, reviews and policy reviews are due
ESTABLISHED = "established"  # when the first audit and review fall due
EXCLUDE = "exclude"  # files that validate read at BASE and `exclude:` leaves out at HEAD
SEVERITY_FLOOR = "severity-floor"  # a `risk.severity_floor` that holds a severity lower


@dataclass(frozen=True, slots=True)
class RelaxedCheck(AllFields):
    """A setting of aims.yaml, or a Waiver, by which validate asks less at HEAD than at
    BASE: a rule turned off or lowered, a waiver added, extended or widened, a tier's
    governance or the management cadence made laxer, files excluded, a severity floor
    lowered or removed.

    ``id`` is the setting (``rules.AIMS503``, ``governance.high.review_days``,
    ``cadence.internal_audit_days``, ``established``, ``exclude``,
    ``risk.severity_floor``) or the waiver's id;
    ``before`` and ``after`` its values (for a waiver ``{rule, records, expires}``, None
    where it is not a waiver at BASE); ``now`` says what is relaxed, from what to what,
    in words; ``records`` names the records it concerns (the records a waiver newly
    waives, or waives longer; those in the files an exclusion leaves out)."""

    what: str
    id: str
    before: Any
    after: Any
    now: str
    path: str
    records: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InvalidRecord(AllFields):
    """A record that could not be validated at one or both revisions.

    ``base`` and ``head`` are ``valid``, ``invalid`` (the record fails
    validation: it was compared as written), ``unreadable`` (its file cannot be
    read there) or ``absent``.
    """

    kind: str | None
    id: str
    path: str
    base: str
    head: str


@dataclass(frozen=True, slots=True)
class MaterialChange:
    """A system whose purpose, type, stage, decisions, data, third parties or oversight
    changed, with no impact assessment of it added or reassessed in the same change
    (its ``assessed.on`` or its approval moved later)."""

    id: str
    path: str
    fields: tuple[str, ...]  # the material fields that changed
    # The system's current assessments edited in the same change without being
    # reassessed (a text edit, a status put back): why each did not count.
    edited: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "fields": list(self.fields),
            "edited_assessments": list(self.edited),
        }


@dataclass(frozen=True, slots=True)
class UnassessedSystem(AllFields):
    """A system in validation or production at HEAD that was not in use at BASE under
    its id (``how``: ``new``, or ``reactivated`` from retired) and that no current
    approved impact assessment covers at HEAD (``missing`` says what was found)."""

    id: str
    path: str
    how: str
    stage: str
    missing: str


@dataclass(frozen=True, slots=True)
class FailingMetric(AllFields):
    """A metric outside its threshold at HEAD that was not failing at BASE: a new
    evaluation's, or an evaluation's whose result changed."""

    evaluation: str
    system: str
    metric: str  # its name, with the group measured in brackets
    value: float
    threshold: str  # in words: "≥ 0.8"
    path: str


@dataclass(frozen=True, slots=True)
class RelaxedThreshold(AllFields):
    """A threshold that admits at HEAD a value it did not admit at BASE: a `min` lowered
    or dropped, a `max` raised or dropped, or the whole threshold dropped (with the
    metric itself: ``metric_gone``). A Monitor's (``metric`` None) or one metric's of an
    Evaluation."""

    kind: str
    id: str
    metric: str | None  # an evaluation's metric: its name, with the group in brackets
    before: str  # in words: "≥ 0.95"
    after: str | None  # None: no threshold at HEAD
    path: str
    # The evaluation at HEAD holds no metric of this name and group (removed, renamed).
    metric_gone: bool = False


@dataclass(frozen=True, slots=True)
class RewrittenFailure(AllFields):
    """A metric that failed in an evaluation at BASE and does not fail in that
    evaluation at HEAD: its value or threshold was edited, or the metric or the whole
    evaluation is gone. ``now`` says which, in words."""

    evaluation: str
    system: str
    metric: str
    value: float
    threshold: str
    now: str
    path: str


@dataclass(frozen=True, slots=True)
class RewrittenBreach(AllFields):
    """Observations of a monitor outside its threshold at BASE that are not at HEAD: the
    observation was edited or deleted, the threshold relaxed until it admits it, or the
    monitor removed. ``first`` is the earliest such observation; ``now`` says what became
    of it, in words."""

    monitor: str
    system: str
    observations: int
    first: date
    value: float
    threshold: str
    now: str
    path: str


@dataclass(frozen=True, slots=True)
class RemovedMonitor(AllFields):
    """A monitor of a system that is in production at HEAD that no longer watches it
    there: removed, rewritten as another kind, or its ``system`` changed. ``now`` says
    which, in words; ``unmonitored`` is true when no monitor watches the system at HEAD."""

    monitor: str
    system: str
    now: str
    unmonitored: bool
    path: str


@dataclass(frozen=True, slots=True)
class RemovedEvaluation(AllFields):
    """An evaluation at BASE that is no longer one of its system at HEAD: removed,
    rewritten as another kind, or its ``system`` changed. ``passed`` is true when none of
    its metrics failed at BASE; ``last`` when the system has no evaluation left at HEAD."""

    evaluation: str
    system: str
    passed: bool
    last: bool
    now: str
    path: str


@dataclass(frozen=True, slots=True)
class NewIncident(AllFields):
    """An incident recorded by the change."""

    id: str
    systems: tuple[str, ...]
    severity: str  # the label of its level on the severity scale
    serious: bool
    status: str
    path: str


# What a change does to the management system, named in words (5.2, 9.2, 9.3, 10.2):
# the `event` of a ManagementEvent.
RAISED = "raised"  # a nonconformity recorded
CLOSED = "closed"  # a nonconformity's status became closed
REOPENED = "reopened"  # ... and left closed again
COMPLETED = "completed"  # an internal audit's status became completed
APPROVED = "approved"  # a policy approved: newly, in a new version, or again
RETIRED = "retired"  # a policy's status became retired
HELD = "held"  # a management review recorded
_NOUNS = {
    "Nonconformity": "nonconformity",
    "InternalAudit": "internal audit",
    "Policy": "policy",
    "ManagementReview": "management review",
}
MANAGEMENT_EVENT_KINDS: tuple[str, ...] = tuple(_NOUNS)
# The kinds of the management system in words, for people: ``internal audit``.
NOUNS: dict[str, str] = {
    **_NOUNS,
    "Objective": "objective",
    "ImpactAssessment": "impact assessment",
    "AISystem": "AI system",
}


@dataclass(frozen=True, slots=True)
class ManagementEvent:
    """Something that happened to the management system: a nonconformity raised, closed
    or reopened, an internal audit completed, a policy approved or retired, a management
    review held. ``detail`` says more in words (dates, version, outcome)."""

    kind: str
    id: str
    event: str
    detail: str = ""
    path: str = ""

    @property
    def noun(self) -> str:
        """The kind in words: ``internal audit``."""
        return _NOUNS.get(self.kind, self.kind)

    @property
    def words(self) -> str:
        """``nonconformity NC-1 closed``: the kind in words, the id and what happened."""
        return f"{self.noun} {self.id} {self.event}"

    def text(self) -> str:
        """The event in one line, for people: its words and, in brackets, the detail."""
        return self.words + (f" ({self.detail})" if self.detail else "")

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "event": self.event}


def _get(data: Any, *keys: str) -> Any:
    """A value inside plain data (validated, or as written), or None."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _word(value: Any) -> str:
    """A scalar as text (a date as YYYY-MM-DD); anything else as nothing."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str | int | float | date):
        return str(value)
    return ""


def _listed(data: Any, key: str) -> list[Any]:
    value = _get(data, key)
    return value if isinstance(value, list) else []


def _nonconformity_events(before: Any, after: Any) -> list[tuple[str, str]]:
    status, was = _word(_get(after, "status")), _word(_get(before, "status"))
    events: list[tuple[str, str]] = []
    if before is None:
        where = _word(_get(after, "reference"))
        source = _word(_get(after, "source"))
        detail = ", ".join(
            part
            for part in (
                f"from {source}" if source else "",
                f"requirement {where}" if where else "",
            )
            if part
        )
        events.append((RAISED, detail))
    if status == "closed" and (before is None or was != "closed"):
        review = _get(after, "effectiveness")
        on, effective = _word(_get(review, "on")), _get(review, "effective")
        if isinstance(effective, bool) and on:
            verdict = "effective" if effective else "not effective"
            events.append((CLOSED, f"effectiveness reviewed on {on}: {verdict}"))
        else:
            events.append((CLOSED, "no effectiveness review recorded"))
    elif before is not None and was == "closed" and status and status != "closed":
        events.append((REOPENED, f"now {status}"))
    return events


_FINDINGS = {
    "major-nonconformity": ("major nonconformity", "major nonconformities"),
    "minor-nonconformity": ("minor nonconformity", "minor nonconformities"),
    "observation": ("observation", "observations"),
    "opportunity": ("opportunity", "opportunities"),
}


def _audit_events(before: Any, after: Any) -> list[tuple[str, str]]:
    if _word(_get(after, "status")) != "completed":
        return []
    if before is not None and _word(_get(before, "status")) == "completed":
        return []
    start, end = _word(_get(after, "performed", "from")), _word(_get(after, "performed", "to"))
    found: dict[str, int] = {}
    for finding in _listed(after, "findings"):
        kind = _word(_get(finding, "type"))
        if kind:
            found[kind] = found.get(kind, 0) + 1
    parts = [f"performed {start} to {end}"] if start and end else []
    parts.append(
        ", ".join(
            plural(n, *_FINDINGS.get(kind, (kind, kind))) for kind, n in sorted(found.items())
        )
        or "no findings"
    )
    return [(COMPLETED, "; ".join(parts))]


def _policy_events(before: Any, after: Any) -> list[tuple[str, str]]:
    status, was = _word(_get(after, "status")), _word(_get(before, "status"))
    version = _word(_get(after, "version"))
    if status == "approved":
        again = before is not None and was == "approved"
        if (
            not again
            or _word(_get(before, "version")) != version
            or _get(before, "approval") != _get(after, "approval")
        ):
            by, on = _word(_get(after, "approval", "by")), _word(_get(after, "approval", "on"))
            detail = ", ".join(
                part
                for part in (
                    f"version {version}" if version else "",
                    " ".join(p for p in (f"by {by}" if by else "", f"on {on}" if on else "") if p),
                )
                if part
            )
            return [(APPROVED, detail)]
    if status == "retired" and (before is None or was != "retired"):
        return [(RETIRED, f"version {version}" if version else "")]
    return []


def _review_events(before: Any, after: Any) -> list[tuple[str, str]]:
    if before is not None:
        return []
    held = _word(_get(after, "held"))
    inputs = len({_word(item) for item in _listed(after, "inputs")} - {""})
    actions = len(_listed(after, "actions"))
    parts = [f"on {held}" if held else "", f"{inputs} of 7 inputs", plural(actions, "action")]
    return [(HELD, ", ".join(part for part in parts if part))]


_EVENTS = {
    "Nonconformity": _nonconformity_events,
    "InternalAudit": _audit_events,
    "Policy": _policy_events,
    "ManagementReview": _review_events,
}


def management_events(
    kind: str | None, record_id: str, before: Any, after: Any, path: str = ""
) -> list[ManagementEvent]:
    """What a change to one record does to the management system, in words.

    ``before`` and ``after`` are the record's data (validated JSON, or as written in
    its file; None where it is absent). A removed record is no event.
    """
    if kind not in _EVENTS or not isinstance(after, dict):
        return []
    if before is not None and not isinstance(before, dict):
        return []  # what it was is unknown
    return [
        ManagementEvent(kind, record_id, event, detail, path)
        for event, detail in _EVENTS[kind](before, after)
    ]


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
    THRESHOLD_RELAXED: ("Evaluation", "Monitor"),
    FAILED_METRIC_REWRITTEN: ("Evaluation",),
    BREACH_REWRITTEN: ("Monitor",),
    MONITOR_REMOVED: ("Monitor",),
    EVALUATION_REMOVED: ("Evaluation",),
    MANAGEMENT_RECORD_REMOVED: (*RETAINED_KINDS, "AISystem"),
    POLICY_WITHDRAWN: ("Policy",),
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
# waives by the first value, other YAML readers take the last) may waive anything.
NEW_GATE_KINDS: dict[str, tuple[str, ...]] = {
    SOA_EXCLUSION_ADDED: ("Control",),
    TIER_RAISED: ("Risk",),
    CHECKS_RELAXED: ("Waiver",),
}


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
        return ids + [r.id for r in self.unjudged_new if r.kind in NEW_GATE_KINDS.get(name, ())]

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
                {"id": r.id, "score": r.score, "band": r.band}
                for r in self.new_risks_above_appetite
            ],
            "relaxed_risks": [r.as_json() for r in self.relaxed_risks],
            "relaxed_tiers": [t.as_json() for t in self.relaxed_tiers],
            "removed_open_risks": [r.as_json() for r in self.removed_open_risks],
            "removed_open_nonconformities": [
                r.as_json() for r in self.removed_open_nonconformities
            ],
            "removed_open_incidents": [r.as_json() for r in self.removed_open_incidents],
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
