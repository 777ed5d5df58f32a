"""Records HEAD no longer holds that governance still needs: open risks,
nonconformities and incidents, management system records, the approved AI policy,
monitors and evaluations."""

from __future__ import annotations

from dataclasses import dataclass

from aimsctl.changes.all_fields import AllFields


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
class WithdrawnPolicy(AllFields):
    """A policy approved at BASE that is not at HEAD, where no policy is approved: the AI
    policy withdrawn without a successor. ``now`` says what became of it, in words."""

    id: str
    version: str
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
