"""AimsConfig: the whole of aims.yaml, each section's model in its place, with the
settings that have no section of their own (exclude, rules, established)."""

import re
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, JsonValue, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from aimsctl import codes
from aimsctl.config.cadence import Cadence
from aimsctl.config.document_control import DocumentControl
from aimsctl.config.fields import CLAUSE_KEY, ConfigDate, Label, StrictModel
from aimsctl.config.governance import (
    TIER_DEFAULTS,
    UNLISTED_BAND_POLICY,
    GovernancePolicy,
    default_governance,
    stricter,
    with_tier_defaults,
)
from aimsctl.config.risk_scoring import RiskConfig
from aimsctl.config.templates import TEMPLATES_PATTERN, templates_folder
from aimsctl.validation_messages import ITEM, describe_input, did_you_mean
from aimsctl.vocabulary import REPORT_NAMES, ReportName

RuleSetting = Literal["error", "warning", "off"]


# The rule codes a key under `rules:` may be, as the JSON Schema lists them.
_RULE_CODES: list[JsonValue] = [*sorted(codes.ALL)]
# A code that may not be silenced may only be `error` (as semantic_problems says).
_ERROR_ONLY: dict[str, JsonValue] = {
    code: {"const": "error", "description": f"Only `error`: {codes.unsilenceable_why(code)}."}
    for code in sorted(codes.UNSILENCEABLE)
}


# An exclude pattern is matched against paths written from the root: one starting
# with '/' or './' matches none.
_EXCLUDE_PATTERN = r"^(?:[^./]|\.(?:[^/]|$))"


def _report_name(value: object) -> object:
    if isinstance(value, str) and value not in REPORT_NAMES:
        raise PydanticCustomError(
            "report_name",
            "must be the name of a report ({names}), not {input}{hint}",
            {
                "names": ", ".join(REPORT_NAMES),
                "input": describe_input(value),
                "hint": did_you_mean(value, list(REPORT_NAMES)),
            },
        )
    return value


def _named_tiers_schema(schema: dict[str, JsonValue]) -> None:
    """The four named tiers in the JSON Schema: every key optional, its default shown
    (other band names keep GovernancePolicy, `review_days` required)."""
    keys = GovernancePolicy.model_json_schema()["properties"]
    schema["properties"] = {
        name: {
            "type": "object",
            "additionalProperties": False,
            "title": f"Tier {name}",
            "description": f"What a system of tier {name} needs; a key left out takes the "
            "default shown.",
            "properties": {key: {**keys[key], "default": value} for key, value in tier.items()},
        }
        for name, tier in TIER_DEFAULTS.items()
    }


class AimsConfig(StrictModel):
    """The repository's configuration and the scope of its AI management system."""

    version: Literal[1] = Field(
        title="Contract version",
        description="The version of the record contract the repository is written to: 1.",
    )
    organization: Label = Field(
        title="Organization", description="The organization whose AI management system this is."
    )
    scope: str = Field(
        default="",
        title="Scope",
        description="The scope of the AI management system: which AI systems, functions and "
        "places it covers.",
        json_schema_extra={CLAUSE_KEY: "4.3"},
    )
    # An empty pattern matches no path: a slip, never what was meant. Nor does one
    # that starts with '/' or './' (paths are matched as written from the root).
    exclude: list[Annotated[str, StringConstraints(min_length=1, pattern=_EXCLUDE_PATTERN)]] = (
        Field(
            default=[],
            title="Exclude",
            description="Glob patterns of YAML files below the root that are not records, e.g. "
            "`drafts/**`; none empty, none starting with `/` or `./`.",
        )
    )
    risk: RiskConfig = Field(
        default_factory=RiskConfig,
        title="Risk scoring",
        description="The likelihood and severity scales, scoring method, bands and appetite.",
        json_schema_extra={CLAUSE_KEY: "6.1.1"},
    )
    governance: dict[str, GovernancePolicy] = Field(
        default_factory=default_governance,
        title="Governance by tier",
        description="What a system needs by its tier (the highest band of its open risks), "
        "keyed by band name: review period, impact assessment, least oversight, evaluation "
        "and monitoring. A key left out of `critical`, `high`, `medium` or `low` takes that "
        "tier's default; a band left out asks at least what the band below it asks, and a "
        "named tier at least its defaults.",
        json_schema_extra=_named_tiers_schema,
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict,
        title="Rule settings",
        description="Per-rule severity overrides, keyed by rule code (`aimsctl rules` lists "
        "them): `error`, `warning` or `off`.",
        json_schema_extra={"propertyNames": {"enum": _RULE_CODES}, "properties": _ERROR_ONLY},
    )
    templates: str | None = Field(
        default=None,
        title="Templates",
        description="A folder in the repository with report templates that replace the "
        "built-in ones, given relative to the root: not the root, not hidden.",
        json_schema_extra={"pattern": TEMPLATES_PATTERN},
    )
    # Document control of each report, by report name (`aimsctl report` prints it).
    documents: dict[Annotated[ReportName, BeforeValidator(_report_name)], DocumentControl] = Field(
        default_factory=dict,
        title="Document control",
        description="Document control of each report, keyed by report name: `id`, "
        "`version`, `owner`, `approval`, `next_review`.",
        json_schema_extra={CLAUSE_KEY: "7.5.3"},
    )
    # How often internal audits, management reviews and policy reviews are due.
    cadence: Cadence = Field(
        default_factory=Cadence,
        title="Cadence",
        description="How often internal audits, management reviews and policy reviews are "
        "due, in days.",
    )
    # When the AI management system started: the first audit and review fall due
    # one cadence period later (from the records' first day where that is earlier).
    established: ConfigDate | None = Field(
        default=None,
        title="Established",
        description="When the AI management system started, YYYY-MM-DD: the first internal "
        "audit and management review fall due one cadence period later. Where the records "
        "show it at work earlier (a policy approved, an audit begun, a review held), that "
        f"day counts instead, and {codes.ESTABLISHED_AFTER_RECORDS} warns. Until either "
        f"says it started, the system is being set up ({codes.AIMS_BEING_SET_UP}).",
    )

    @field_validator("templates")
    @classmethod
    def _templates_folder_below_the_root(cls, value: str | None) -> str | None:
        # What report refuses before it looks at a file, so that validate does not
        # pass an aims.yaml that every report refuses.
        if value is not None:
            try:
                templates_folder(value)
            except ValueError as error:
                raise PydanticCustomError("templates", "{why}", {"why": str(error)}) from None
        return value

    @field_validator("exclude", mode="before")
    @classmethod
    def _exclude_from_the_root(cls, value: object) -> object:
        # The pattern's own words, not the schema pattern's.
        if isinstance(value, list):
            for index, pattern in enumerate(value):
                if isinstance(pattern, str) and re.match(r"\.?/", pattern):
                    meant = re.sub(r"^(?:\.?/+)+", "", pattern)
                    hint = f"; write {meant!r}" if meant else ""
                    raise PydanticCustomError(
                        "exclude",
                        "must be written from the root, without a leading '/' or './': "
                        "{pattern} matches no file{hint}",
                        {"pattern": repr(pattern), "hint": hint, ITEM: index},
                    )
        return value

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_the_number(cls, value: object) -> object:
        # Literal[1] would take true and 1.0, which equal 1 in Python.
        if isinstance(value, bool | float):
            raise PydanticCustomError(
                "version",
                "must be the number 1 (the version of the record contract), not {input}",
                {"input": describe_input(value)},
            )
        return value

    @field_validator("governance", mode="before")
    @classmethod
    def _tier_defaults(cls, value: object) -> object:
        return with_tier_defaults(value)

    def policy(self, band: str) -> GovernancePolicy:
        """The governance of a tier (see :attr:`band_policies`); a tier that is no band
        (``unassessed``) and a band with no policy: :data:`UNLISTED_BAND_POLICY`."""
        return self.band_policies.get(band) or UNLISTED_BAND_POLICY

    @cached_property
    def band_policies(self) -> dict[str, GovernancePolicy]:
        """Each band's policy: its own as written (the four named tiers with their
        defaults for the keys left out); where `governance:` names none, that of the
        nearest lower band (a riskier tier never asks less than a lower one does), and
        for a named tier also, key by key, at least its default (a tier left out is not
        a tier that asks nothing); a band with neither has none."""
        policies: dict[str, GovernancePolicy] = {}
        defaults: dict[str, GovernancePolicy] | None = None
        below: GovernancePolicy | None = None
        # With no `governance:` at all, every tier is a default, not a tier as written:
        # bands in another order (`high` below `medium`) would make a riskier tier ask
        # less, which the carry below prevents and no rule would say (AIMS409 judges
        # what is written).
        written = self.governance if "governance" in self.model_fields_set else {}
        for band in self.risk.band_names:
            policy = written.get(band)
            if policy is None and band in TIER_DEFAULTS:
                defaults = defaults or default_governance()
                policy = defaults[band] if below is None else stricter(defaults[band], below)
            policy = policy or below
            if policy is not None:
                policies[band] = below = policy
        return policies
