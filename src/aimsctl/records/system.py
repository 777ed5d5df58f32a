"""`AISystem`: one entry of the AI inventory (ISO/IEC 42001 4.1, A.4, A.9.4)."""

from __future__ import annotations

from typing import ClassVar, Literal

from aimsctl.records.base import Record, Strict, Text
from aimsctl.vocabulary import OversightMode

DataStage = Literal["training", "validation", "test", "input", "output"]


class HumanOversight(Strict):
    mode: OversightMode
    description: str | None = None


class Stakeholder(Strict):
    group: Text
    vulnerable: bool = False
    description: str | None = None


class DataEntry(Strict):
    name: Text
    stage: DataStage
    source: str | None = None
    personal: bool = False
    sensitive: bool = False
    provenance: str | None = None


class ThirdParty(Strict):
    name: Text
    supplies: Literal["model", "data", "platform", "service"]


class Regulation(Strict):
    eu_ai_act: (
        Literal["prohibited", "high", "limited", "minimal", "gpai", "not-applicable"] | None
    ) = None
    eu_role: Literal["provider", "deployer", "importer", "distributor"] | None = None
    nyc_aedt: bool = False
    colorado_consequential: bool = False


class AISystem(Record):
    """One entry of the AI inventory: purpose, type, stage, oversight, data, third
    parties and regulation of an AI system the organization builds or uses."""

    KIND: ClassVar[str] = "AISystem"
    FOLDER: ClassVar[str] = "systems"
    CLAUSES: ClassVar[tuple[str, ...]] = ("4.1", "A.4", "A.9.4")
    REPORTS: ClassVar[tuple[str, ...]] = ("inventory", "systems")

    kind: Literal["AISystem"]

    owner: Text
    purpose: Text
    type: Literal["predictive", "generative", "agentic", "rule-based", "other"]
    stage: Literal["proposed", "development", "validation", "production", "retired"]
    intended_users: list[str] = []
    foreseeable_misuse: list[str] = []
    decisions: str | None = None
    human_oversight: HumanOversight
    stakeholders: list[Stakeholder] = []
    data: list[DataEntry] = []
    third_parties: list[ThirdParty] = []
    ai_roles: list[Literal["provider", "producer", "customer", "partner"]] = []
    jurisdictions: list[str] = []
    regulation: Regulation | None = None
    documentation: list[Text] = []
    # The model or system version the documentation describes, e.g. "2.3.1".
    version: Text | None = None
    # Instructions for use: how to operate the system, and what to do when it is wrong.
    instructions: str | None = None
    # Where users and affected people can ask questions or raise concerns.
    contact: Text | None = None
