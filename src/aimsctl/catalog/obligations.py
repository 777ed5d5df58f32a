"""The obligations catalogue shipped with aimsctl (``catalog/obligations.yaml``): the
laws, and what each asks of which AI systems. Facts about the laws; the summaries are
our own words. What the repository's records show of each is :mod:`aimsctl.obligations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Law:
    id: str
    name: str
    source: str
    url: str | None = None
    status: str | None = None  # the law's current standing, where it needs saying
    # Where the law applies, as `AISystem.jurisdictions` writes it (EU, US-NYC ...).
    jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Spec:
    """One obligation of the catalogue."""

    id: str
    law: Law
    article: str
    title: str
    summary: str
    when: dict[str, Any]
    evidence: tuple[str, ...] = ()
    within_days: int | None = None
    in_force: date | None = None
    only_if: str | None = None
    prohibited: bool = False
    # A record tagged with the id is needed beside the evidence listed (with no
    # evidence listed, a tagged record is the evidence in any case).
    tag_required: bool = False


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: int
    laws: tuple[Law, ...]
    obligations: tuple[Spec, ...]


# --- the catalogue --------------------------------------------------------------------


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _tag_required(item: dict[str, Any]) -> bool:
    """`tagged: required`; any other value is a mistake in the shipped catalogue, not
    one to read as "not required"."""
    tagged = item.get("tagged")
    if tagged not in (None, "required"):
        raise ValueError(f"obligation {item['id']}: tagged must be 'required', not {tagged!r}")
    return tagged == "required"


@cache
def catalogue() -> Catalogue:
    """The obligations shipped with aimsctl (``catalog/obligations.yaml``)."""
    text = resources.files("aimsctl.catalog").joinpath("obligations.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)  # libyaml, as every read of YAML
    laws = {
        item["id"]: Law(
            id=item["id"],
            name=item["name"],
            source=item["source"],
            url=item.get("url"),
            status=" ".join(item["status"].split()) if item.get("status") else None,
            jurisdictions=tuple(item.get("jurisdictions") or ()),
        )
        for item in data["laws"]
    }
    specs = tuple(
        Spec(
            id=item["id"],
            law=laws[item["law"]],
            article=item["article"],
            title=item["title"],
            summary=" ".join(item["summary"].split()),
            when=dict(item["when"]),
            evidence=tuple(item.get("evidence") or ()),
            within_days=item.get("within_days"),
            in_force=_date(item.get("in_force")),
            only_if=" ".join(item["only_if"].split()) if item.get("only_if") else None,
            prohibited=bool(item.get("prohibited", False)),
            tag_required=_tag_required(item),
        )
        for item in data["obligations"]
    )
    return Catalogue(int(data["version"]), tuple(laws.values()), specs)


def banned_from() -> date | None:
    """The day the EU AI Act's bans (Art. 5) apply from: before it, a prohibited
    practice is not yet unlawful."""
    return next((spec.in_force for spec in catalogue().obligations if spec.prohibited), None)
