"""The record kinds of the contract: the one registry every other part reads.

The loader's dispatch, the "unknown kind" message, the JSON Schemas, the record
reference in the docs and the rules' texts all derive from :data:`KINDS`. A new
kind is a model module here and one entry in the tuple below.
"""

from __future__ import annotations

from aimsctl.records.assessment import ImpactAssessment
from aimsctl.records.base import Record
from aimsctl.records.control import Control
from aimsctl.records.risk import Risk
from aimsctl.records.system import AISystem
from aimsctl.records.waiver import Waiver

KINDS: dict[str, type[Record]] = {
    model.KIND: model for model in (AISystem, Risk, ImpactAssessment, Control, Waiver)
}

__all__ = ["KINDS", "AISystem", "Control", "ImpactAssessment", "Record", "Risk", "Waiver"]
