"""The record kinds of the contract: the one registry every other part reads.

The loader's dispatch, the "unknown kind" message, the JSON Schemas, the record
reference in the docs and the rules' texts all derive from :data:`KINDS`. A new
kind is a model module here and one entry in the tuple below.
"""

from __future__ import annotations

from aimsctl.records.assessment import ImpactAssessment
from aimsctl.records.audit import InternalAudit
from aimsctl.records.base import Record
from aimsctl.records.control import Control
from aimsctl.records.evaluation import Evaluation
from aimsctl.records.incident import Incident
from aimsctl.records.monitor import Monitor
from aimsctl.records.nonconformity import Nonconformity
from aimsctl.records.objective import Objective
from aimsctl.records.policy import Policy
from aimsctl.records.review import ManagementReview
from aimsctl.records.risk import Risk
from aimsctl.records.role import Role
from aimsctl.records.system import AISystem
from aimsctl.records.waiver import Waiver

KINDS: dict[str, type[Record]] = {
    model.KIND: model
    for model in (
        AISystem,
        Risk,
        ImpactAssessment,
        Control,
        Waiver,
        Evaluation,
        Monitor,
        Incident,
        Policy,
        Role,
        Objective,
        InternalAudit,
        ManagementReview,
        Nonconformity,
    )
}

__all__ = [
    "KINDS",
    "AISystem",
    "Control",
    "Evaluation",
    "ImpactAssessment",
    "Incident",
    "InternalAudit",
    "ManagementReview",
    "Monitor",
    "Nonconformity",
    "Objective",
    "Policy",
    "Record",
    "Risk",
    "Role",
    "Waiver",
]
