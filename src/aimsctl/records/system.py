"""`AISystem`: one entry of the AI inventory (ISO/IEC 42001 4.1, A.4, A.9.4)."""

from typing import ClassVar, Literal

from aimsctl.records.base import Record, Strict, Text, about, kind_field, owner_field
from aimsctl.vocabulary import OversightMode

DataStage = Literal["training", "validation", "test", "input", "output"]


class HumanOversight(Strict):
    """How people oversee the system's outputs and decisions."""

    mode: OversightMode = about(
        "Oversight mode",
        "How closely people oversee the system, weakest first: `none`; `periodic-review` "
        "(outputs are sampled and reviewed after the fact); `human-on-the-loop` (a person "
        "watches in operation and can step in); `human-in-the-loop` (a person confirms each "
        "decision). A system's governance tier sets the least mode it needs.",
        clause="A.9.3",
    )
    description: str | None = about(
        "How oversight works", "Who oversees, what they see and how they intervene.", default=None
    )


class Stakeholder(Strict):
    """A group of interested parties the system affects."""

    group: Text = about("Group", "The people affected, e.g. `job applicants`.", clause="4.2")
    vulnerable: bool = about(
        "Vulnerable",
        "true when the group is vulnerable (children, patients, people in a dependent "
        "position...): impacts on it weigh more.",
        clause="A.5.4",
        default=False,
    )
    description: str | None = about(
        "How they are affected", "How the system touches this group.", default=None
    )


class DataEntry(Strict):
    """A data set the system uses at one stage of its life cycle."""

    name: Text = about("Data set", "The name of the data set.", clause="A.7.2")
    stage: DataStage = about(
        "Life-cycle stage",
        "Where the data is used: `training`, `validation`, `test` (building and checking the "
        "model), `input` (what it receives in operation) or `output` (what it produces).",
        clause="A.7.2",
    )
    source: str | None = about(
        "Source",
        "Where the data comes from: a system, a supplier, a public set.",
        clause="A.7.3",
        default=None,
    )
    personal: bool = about(
        "Personal data", "true when it holds data about identifiable people.", default=False
    )
    sensitive: bool = about(
        "Sensitive data",
        "true when it holds special categories of data (health, ethnicity, beliefs...).",
        default=False,
    )
    provenance: str | None = about(
        "Provenance",
        "How the data came to be and was prepared: collection, labelling, changes.",
        clause="A.7.5",
        default=None,
    )


class ThirdParty(Strict):
    """A supplier of part of the system."""

    name: Text = about("Supplier", "The third party's name.", clause="A.10.3")
    supplies: Literal["model", "data", "platform", "service"] = about(
        "Supplies",
        "What it provides: a `model`, `data`, a `platform` the system runs on, or a `service`.",
        clause="A.10.3",
    )


class Regulation(Strict):
    """How laws on AI classify the system."""

    eu_ai_act: (
        Literal["prohibited", "high", "limited", "minimal", "gpai", "not-applicable"] | None
    ) = about(
        "EU AI Act class",
        "The system's class under the EU AI Act: `prohibited` practice, `high` risk, "
        "`limited` risk (transparency duties), `minimal` risk, `gpai` (a general-purpose AI "
        "model), or `not-applicable` (outside the Act).",
        default=None,
    )
    eu_role: Literal["provider", "deployer", "importer", "distributor"] | None = about(
        "EU AI Act role",
        "The organization's role for the system under the EU AI Act; a `provider` of a "
        "`high` risk system must report serious incidents to the authorities.",
        default=None,
    )
    nyc_aedt: bool = about(
        "NYC AEDT",
        "true when the system is an automated employment decision tool under New York "
        "City Local Law 144 (a yearly bias audit is due).",
        default=False,
    )
    colorado_consequential: bool = about(
        "Colorado consequential decision",
        "true when the system makes, or substantially helps make, a consequential "
        "decision under the Colorado AI Act.",
        default=False,
    )


class AISystem(Record):
    """One entry of the AI inventory: purpose, type, stage, oversight, data, third
    parties and regulation of an AI system the organization builds or uses."""

    KIND: ClassVar[str] = "AISystem"
    FOLDER: ClassVar[str] = "systems"
    CLAUSES: ClassVar[tuple[str, ...]] = ("4.1", "4.2", "A.4", "A.9.4")
    REPORTS: ClassVar[tuple[str, ...]] = ("inventory", "systems")

    kind: Literal["AISystem"] = kind_field()

    owner: Text = owner_field("Who is accountable for the system.", "A.3.2")
    purpose: Text = about(
        "Intended purpose",
        "What the system is for: the use it is meant and built for.",
        clause="A.9.4",
    )
    type: Literal["predictive", "generative", "agentic", "rule-based", "other"] = about(
        "System type",
        "The kind of AI: `predictive` (scores, classifies, forecasts), `generative` "
        "(produces text, images, code), `agentic` (takes actions towards a goal), "
        "`rule-based` (expert rules), or `other`.",
        clause="A.6.2.3",
    )
    stage: Literal["proposed", "development", "validation", "production", "retired"] = about(
        "Life-cycle stage",
        "Where the system is in its life cycle: `proposed`, `development`, `validation` "
        "(being tested for release), `production` (in use), `retired`. A system in "
        "`production` needs an impact assessment and at least one open risk.",
        clause="A.6.2",
    )
    intended_users: list[str] = about(
        "Intended users", "Who is meant to use the system.", clause="A.9.4", default=[]
    )
    foreseeable_misuse: list[str] = about(
        "Foreseeable misuse",
        "Uses the system is not meant for but that can reasonably be expected.",
        clause="A.9.4",
        default=[],
    )
    decisions: str | None = about(
        "Decisions",
        "Which decisions the system informs or makes, and about whom.",
        clause="A.9.4",
        default=None,
    )
    human_oversight: HumanOversight = about(
        "Human oversight",
        "How people oversee the system: `mode` (ordered, weakest first) and a description.",
        clause="A.9.3",
    )
    stakeholders: list[Stakeholder] = about(
        "Stakeholders",
        "The interested parties the system affects: `group`, `vulnerable` and a description.",
        clause="4.2",
        default=[],
    )
    data: list[DataEntry] = about(
        "Data",
        "The data the system uses across its whole life cycle, one entry per data set and stage.",
        clause="A.7",
        default=[],
    )
    third_parties: list[ThirdParty] = about(
        "Third parties",
        "Suppliers of the system's parts: `name` and what it `supplies`.",
        clause="A.10",
        default=[],
    )
    ai_roles: list[Literal["provider", "producer", "customer", "partner"]] = about(
        "AI roles",
        "The organization's roles for this system, as ISO/IEC 22989 names them: "
        "`provider`, `producer`, `customer`, `partner`.",
        clause="4.1",
        default=[],
    )
    jurisdictions: list[str] = about(
        "Jurisdictions",
        "Where the system is used or placed on the market, e.g. `EU`, `US-CO`, `US-NYC`, `UK`.",
        clause="4.1",
        default=[],
    )
    regulation: Regulation | None = about(
        "Regulation",
        "How AI laws classify the system: EU AI Act class and role, NYC AEDT, Colorado.",
        clause="4.1",
        default=None,
    )
    documentation: list[Text] = about(
        "Documentation",
        "The system's documentation: paths in the repository or URLs.",
        clause="A.6.2.7",
        default=[],
    )
    version: Text | None = about(
        "Version",
        "The model or system version the documentation describes, e.g. `2.3.1`; quote it "
        "so YAML keeps it as text.",
        clause="A.6.2.7",
        default=None,
    )
    instructions: str | None = about(
        "Instructions for use",
        "How to operate the system, and what to do when it is wrong.",
        clause="A.8.2",
        default=None,
    )
    contact: Text | None = about(
        "Contact",
        "Where users and affected people can ask questions or raise concerns.",
        clause="A.8.2",
        default=None,
    )
