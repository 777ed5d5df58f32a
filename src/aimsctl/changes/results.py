"""Evaluation and monitoring results: failures new or rewritten away, thresholds
relaxed, incidents recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aimsctl.changes.all_fields import AllFields


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
    # A new evaluation: the system's evaluation at BASE whose threshold it loosens.
    loosens: str | None = None


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
class DowngradedIncident(AllFields):
    """An incident recorded at both revisions that HEAD calls less grave: no longer
    `serious` (so no authority need hear of it), or of a lower `severity`. ``before``
    and ``after`` say how, in words. ``scale_changed``: aims.yaml's severity scale
    numbers its levels otherwise at HEAD and the incident's label changed, so it may
    be less grave and is listed, since the levels cannot be compared."""

    id: str
    before: str
    after: str
    path: str
    scale_changed: bool = False


@dataclass(frozen=True, slots=True)
class NewIncident(AllFields):
    """An incident recorded by the change."""

    id: str
    systems: tuple[str, ...]
    severity: str  # the label of its level on the severity scale
    serious: bool
    status: str
    path: str
