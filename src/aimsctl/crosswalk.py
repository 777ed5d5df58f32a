"""What `aimsctl crosswalk` and `aimsctl controls --framework` compute from the crosswalk.

:func:`view` looks the crosswalk up from any side: an Annex A control and the NIST
AI RMF subcategories and EU AI Act articles it is linked to, or a subcategory or
article and the controls linked to it. :func:`coverage` says which NIST
subcategories (or cited articles) the repository's applicable, implemented
controls reach, and where the gaps are. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from aimsctl.catalog import annex_a
from aimsctl.catalog.crosswalk import Link, canonical, crosswalk

IMPLEMENTED = "implemented"


@dataclass(frozen=True, slots=True)
class Entry:
    """One id of the framework looked from, with its links (catalogue order)."""

    framework: str
    id: str
    title: str  # the control's title or the article's subject; "" for a NIST subcategory
    links: tuple[Link, ...]
    note: str | None = None  # what the crosswalk says about the control beyond its links


def _title(framework: str, target: str) -> str:
    if framework == "annex-a":
        return annex_a()[target].title
    if framework == "eu-ai-act":
        article = crosswalk().articles.get(target)
        return article.subject if article else ""
    return ""


def entry(framework: str, target: str) -> Entry:
    walk = crosswalk()
    if framework == "annex-a":
        links = walk.of_control(target)
        return Entry(
            framework, target, _title(framework, target), tuple(links), walk.notes.get(target)
        )
    return Entry(framework, target, _title(framework, target), tuple(walk.to(framework, target)))


def view(framework: str, typed: str | None = None) -> list[Entry]:
    """Every id of ``framework`` with its links, or only the one typed (any spelling
    :func:`~aimsctl.catalog.crosswalk.canonical` reads; a UsageError otherwise)."""
    if typed is not None:
        return [entry(framework, canonical(framework, typed))]
    return [entry(framework, target) for target in crosswalk().targets(framework)]


@dataclass(frozen=True, slots=True)
class Coverage:
    """A NIST subcategory (or an EU AI Act article) and the repository's controls."""

    target: str
    title: str
    covered_by: tuple[Link, ...]  # links from applicable, implemented controls
    gaps: tuple[tuple[Link, str], ...]  # links from other controls, with their state

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)

    @property
    def analytic_only(self) -> bool:
        """Covered, but only through links the maintainers inferred."""
        return self.covered and all(link.analytic for link in self.covered_by)

    @property
    def status(self) -> str:
        if self.covered:
            return "covered (analytic links only)" if self.analytic_only else "covered"
        return "gap" if self.gaps else "no link"


def _one_per_control(links: list[Link]) -> list[Link]:
    """The first link of each control and source: a control linked to one article
    twice, at two of its paragraphs (A.7.4 to Art. 10(3)-(4) and 10(2)(f)-(g)), is
    one control covering it, not two."""
    seen: set[tuple[str, str]] = set()
    kept: list[Link] = []
    for link in links:
        if (link.control, link.source) not in seen:
            seen.add((link.control, link.source))
            kept.append(link)
    return kept


def coverage(framework: str, states: dict[str, str]) -> list[Coverage]:
    """Each subcategory (or cited article) of ``framework``, covered or not.

    ``states`` is each control's SoA state (:func:`aimsctl.soa.control_states`): a
    control covers what it is linked to when its state is ``implemented``, which a
    control has only when it is decided and applicable. A control with no record
    is ``missing``.
    """
    rows: list[Coverage] = []
    for target in crosswalk().targets(framework):
        links = _one_per_control(crosswalk().to(framework, target))
        covered = tuple(link for link in links if states.get(link.control) == IMPLEMENTED)
        gaps = tuple(
            (link, states.get(link.control, "missing"))
            for link in links
            if states.get(link.control) != IMPLEMENTED
        )
        rows.append(Coverage(target, _title(framework, target), covered, gaps))
    return rows
