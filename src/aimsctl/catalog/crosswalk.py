"""The crosswalk from ISO/IEC 42001 Annex A to NIST AI RMF 1.0 and the EU AI Act, as data.

The links live in ``crosswalk.json`` beside this module, versioned and shipped in
the package. Every link names its source and its confidence:

- ``published``: read from a crosswalk an organization published (the one NIST's AI
  Resource Center lists for ISO/IEC 42001, supplied by Microsoft and not endorsed by
  NIST). Only part of it could be read, so a missing published link means "not
  read", never "not mapped".
- ``analytic``: inferred by the aimsctl maintainers from the topics of the texts,
  unreviewed and official for no one. Every output shows these as analytic.

There is no official ISO/IEC 42001 to EU AI Act mapping, and ISO/IEC 42001 is not a
harmonised standard under the Act: every EU AI Act link is analytic.

This module also reads what a user types as an id (``gov 1.1``, ``GV-1.1``,
``art 10``, ``10(2)(b)``) into the framework's own form.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from aimsctl.catalog import annex_a
from aimsctl.errors import UsageError

Framework = Literal["annex-a", "nist-ai-rmf", "eu-ai-act"]
FRAMEWORKS: tuple[Framework, ...] = ("annex-a", "nist-ai-rmf", "eu-ai-act")
# The frameworks an Annex A control is linked to.
TARGETS: tuple[Framework, ...] = ("nist-ai-rmf", "eu-ai-act")
FRAMEWORK_TITLES: dict[str, str] = {
    "annex-a": "ISO/IEC 42001 Annex A",
    "nist-ai-rmf": "NIST AI RMF",
    "eu-ai-act": "EU AI Act",
}
PUBLISHED = "published"
ANALYTIC = "analytic"
CONFIDENCES = (PUBLISHED, ANALYTIC)

# What "analytic" means, said the same way in every output.
ANALYTIC_MEANING = (
    "analytic: inferred by the aimsctl maintainers from the topics of the texts; "
    "unreviewed and official for no one"
)
NO_OFFICIAL_AI_ACT = (
    "There is no official ISO/IEC 42001 to EU AI Act mapping, and ISO/IEC 42001 is not "
    "a harmonised standard under the Act: every EU AI Act link is analytic."
)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    confidence: str
    title: str
    publisher: str
    coverage: str
    note: str


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # "Art. 10" or "Annex IV"
    subject: str


@dataclass(frozen=True, slots=True)
class Link:
    """One Annex A control related to one NIST subcategory or EU AI Act article."""

    control: str
    framework: str
    target: str
    source: str
    confidence: str
    ref: str | None = None  # the precise citation, when finer than the target
    note: str | None = None

    @property
    def analytic(self) -> bool:
        return self.confidence == ANALYTIC

    @property
    def cited(self) -> str:
        """The target as cited: ``Art. 10(2)(b)`` where the link names a paragraph."""
        return self.ref or self.target


@dataclass(frozen=True, slots=True)
class Crosswalk:
    version: str
    description: str
    sources: tuple[Source, ...]
    subcategories: tuple[str, ...]
    articles: dict[str, Article]
    article_count: int
    annex_count: int
    notes: dict[str, str]
    links: tuple[Link, ...]

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def targets(self, framework: str) -> tuple[str, ...]:
        """Every id of a framework, in its own order (Annex A: catalogue order; the
        EU AI Act: the articles the crosswalk cites)."""
        if framework == "annex-a":
            return tuple(annex_a())
        if framework == "nist-ai-rmf":
            return self.subcategories
        return tuple(self.articles)

    def of_control(self, control: str) -> list[Link]:
        return [link for link in self.links if link.control == control]

    def to(self, framework: str, target: str) -> list[Link]:
        """The links into one NIST subcategory or EU AI Act article, in catalogue order."""
        return [
            link for link in self.links if link.framework == framework and link.target == target
        ]


_STRING_FIELDS = ("control", "framework", "target", "source", "confidence")


def _link(raw: dict[str, Any], sources: dict[str, Source]) -> Link:
    unknown = set(raw) - {*_STRING_FIELDS, "ref", "note"}
    if unknown or any(not isinstance(raw.get(key), str) for key in _STRING_FIELDS):
        raise ValueError(f"crosswalk.json: malformed link {raw}")
    link = Link(**raw)
    if link.framework not in TARGETS:
        raise ValueError(f"crosswalk.json: unknown framework in {raw}")
    if link.confidence not in CONFIDENCES or link.source not in sources:
        raise ValueError(f"crosswalk.json: unknown source or confidence in {raw}")
    if sources[link.source].confidence != link.confidence:
        raise ValueError(f"crosswalk.json: confidence differs from its source's in {raw}")
    return link


@cache
def crosswalk() -> Crosswalk:
    """The shipped crosswalk, checked as it is read (a broken file is a ValueError)."""
    data: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath("crosswalk.json").read_text("utf-8")
    )
    sources = {s["id"]: Source(**s) for s in data["sources"]}
    nist = data["frameworks"]["nist-ai-rmf"]
    act = data["frameworks"]["eu-ai-act"]
    articles = {a["id"]: Article(a["id"], a["subject"]) for a in act["cited"]}
    links = tuple(_link(raw, sources) for raw in data["links"])
    return Crosswalk(
        version=str(data["version"]),
        description=str(data["description"]),
        sources=tuple(sources.values()),
        subcategories=tuple(nist["subcategories"]),
        articles=articles,
        article_count=int(act["articles"]),
        annex_count=int(act["annexes"]),
        notes={n["control"]: n["note"] for n in data["notes"]},
        links=links,
    )


# --- ids as typed ---------------------------------------------------------------------

_FUNCTIONS = {
    "GOVERN": "GOVERN",
    "GOV": "GOVERN",
    "GV": "GOVERN",
    "MAP": "MAP",
    "MP": "MAP",
    "MEASURE": "MEASURE",
    "MEAS": "MEASURE",
    "MS": "MEASURE",
    "MANAGE": "MANAGE",
    "MAN": "MANAGE",
    "MG": "MANAGE",
}
# Numbers of at most 9 digits: int() refuses a longer run than 4,300 digits, and no
# article or subcategory number comes near 9. Digits 0-9 only, as in an Annex A id:
# \d and int() would read an Arabic-Indic or a full-width 1 as 1 (see _other_digits).
_SUBCATEGORY = re.compile(r"([A-Z]+)[\s_.-]*([0-9]{1,9})\.([0-9]{1,9})")
_ARTICLE = re.compile(r"(?:ART(?:ICLE)?\.?\s*)?([0-9]{1,9})(\s*\(.*)?")
_ANNEX = re.compile(r"ANNEX\s+([IVXL]+)(\s*\(.*)?")
# What may follow an article or annex: its paragraphs and points, each in brackets,
# a number, a letter or a roman numeral (10(1), 10(1)(a), 5(1)(h)(iii), Annex III(1)).
# A numeral of one letter is a letter: were both alternatives to read (I), a run of
# them followed by a slip would be tried every way, twice as long per bracket.
_PARTS = re.compile(r"(?:\s*\(\s*(?:[0-9]{1,9}|[A-Z]|[IVXL]{2,})\s*\))+")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")


def _parts(text: str, parts: str | None) -> None:
    """A UsageError unless what follows the article or annex in ``text`` is nothing or
    its paragraphs and points in brackets: ``10(anything`` is not Art. 10."""
    if parts is not None and not _PARTS.fullmatch(parts):
        raise UsageError(
            f"{text!r} is not an article or annex of the EU AI Act: after it, write only its "
            "paragraphs and points in brackets, each a number, a letter or a roman numeral "
            "(10(1), 10(1)(a), Art. 5(1)(h)(iii))"
        )


def _unknown(framework: str, text: str, known: list[str], what: str) -> UsageError:
    from aimsctl.validation_messages import did_you_mean

    return UsageError(
        f"{text!r} is not {what} of {FRAMEWORK_TITLES[framework]}{did_you_mean(text, known)}"
    )


def _other_digits(framework: str, text: str) -> UsageError | None:
    """The refusal of an id written with digits of another script (A.6.2.4 with an
    Arabic-Indic or a full-width 6), naming the id it would be in 0-9 when there is
    one; None when every digit is 0-9."""
    if all(c.isascii() or not c.isdecimal() for c in text):
        return None
    folded = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    try:
        meant = f"; did you mean {canonical(framework, folded)!r}?"
    except UsageError:
        meant = ""
    return UsageError(f"{text!r} is not an id: write its digits as 0 to 9{meant}")


def canonical(framework: str, text: str) -> str:
    """The id a user typed, in the framework's own form, or a UsageError.

    Annex A: ``a.6.2.4`` is A.6.2.4. NIST AI RMF: ``gov 1.1``, ``GV-1.1`` and
    ``govern1.1`` are GOVERN 1.1. EU AI Act: ``10``, ``art 10``, ``Article 10`` and
    ``Art. 10(2)(b)`` are Art. 10 (any article of the Act, cited or not), ``annex iv``
    is Annex IV. After the article or annex come only its paragraphs and points in
    brackets: ``10(anything`` is refused.
    """
    other_digits = _other_digits(framework, text) if framework in FRAMEWORKS else None
    if other_digits is not None:
        raise other_digits
    typed = " ".join(text.split()).upper()
    if framework == "annex-a":
        ids = list(annex_a())
        upper = {i.upper(): i for i in ids}
        for candidate in (typed, "A." + typed):
            if candidate in upper:
                return upper[candidate]
        raise _unknown(framework, text, ids, "a control")
    if framework == "nist-ai-rmf":
        ids = list(crosswalk().subcategories)
        match = _SUBCATEGORY.fullmatch(typed)
        if match and match.group(1) in _FUNCTIONS:
            found = f"{_FUNCTIONS[match.group(1)]} {int(match.group(2))}.{int(match.group(3))}"
            if found in ids:
                return found
        raise _unknown(framework, text, ids, "a subcategory")
    if framework == "eu-ai-act":
        walk = crosswalk()
        article = _ARTICLE.fullmatch(typed)
        if article and 1 <= int(article.group(1)) <= walk.article_count:
            _parts(text, article.group(2))
            return f"Art. {int(article.group(1))}"
        annex = _ANNEX.fullmatch(typed)
        if annex and annex.group(1) in _ROMAN[: walk.annex_count]:
            _parts(text, annex.group(2))
            return f"Annex {annex.group(1)}"
        raise UsageError(
            f"{text!r} is not an article of the EU AI Act (Art. 1 to Art. {walk.article_count}) "
            f"or one of its annexes (Annex I to Annex {_ROMAN[walk.annex_count - 1]})"
        )
    raise ValueError(f"unknown framework {framework!r}")
