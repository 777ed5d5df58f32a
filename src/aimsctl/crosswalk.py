"""What `aimsctl crosswalk` and `aimsctl controls --framework` compute from the crosswalk.

:func:`view` looks the crosswalk up from any side: an Annex A control and the NIST
AI RMF subcategories and EU AI Act articles it is linked to, or a subcategory or
article and the controls linked to it. :func:`coverage` says which NIST
subcategories (or cited articles) the repository's applicable, implemented
controls reach, which they reach only in part, and where the gaps are. Nothing
here prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from aimsctl.catalog import annex_a
from aimsctl.catalog.crosswalk import Link, canonical, crosswalk

IMPLEMENTED = "implemented"
COVERED = "covered"
PARTLY = "partly covered"
GAP = "gap"
NO_LINK = "no link"
ANALYTIC_ONLY = " (analytic links only)"


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
    """A NIST subcategory (or an EU AI Act article) and the repository's controls.

    Covered only when every linked control the SoA does not exclude is implemented
    (and one is): one implemented control among others not implemented yet,
    undecided or missing covers it in part, never in full.
    """

    target: str
    title: str
    covered_by: tuple[Link, ...]  # links from applicable, implemented controls
    gaps: tuple[tuple[Link, str], ...]  # links from other controls, with their state
    # The gaps that hold coverage back: every one but the controls excluded (with a
    # justification), which the SoA decided do not apply.
    outstanding: tuple[tuple[Link, str], ...]

    @property
    def covered(self) -> bool:
        """Covered in full: an implemented control, and none outstanding."""
        return bool(self.covered_by) and not self.outstanding

    @property
    def partly_covered(self) -> bool:
        """An implemented control, and others linked that are not implemented yet,
        undecided or missing."""
        return bool(self.covered_by) and bool(self.outstanding)

    @property
    def analytic_only(self) -> bool:
        """Covered, in full or in part, but only through links the maintainers inferred."""
        return bool(self.covered_by) and all(link.analytic for link in self.covered_by)

    @property
    def status(self) -> str:
        if self.covered_by:
            reached = COVERED if self.covered else PARTLY
            return reached + ANALYTIC_ONLY if self.analytic_only else reached
        return GAP if self.gaps else NO_LINK


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
    """Each subcategory (or cited article) of ``framework``: covered, partly covered,
    a gap, or with no link.

    ``states`` is each control's SoA state (:func:`aimsctl.soa.control_states`): a
    control covers what it is linked to when its state is ``implemented``, which a
    control has only when it is decided and applicable; it stands aside only when
    its state is ``excluded`` (an exclusion with a justification). A control with no
    record is ``missing``.
    """
    from aimsctl.soa import EXCLUDED  # here: `aimsctl crosswalk` loads no record model

    rows: list[Coverage] = []
    for target in crosswalk().targets(framework):
        links = _one_per_control(crosswalk().to(framework, target))
        covered = tuple(link for link in links if states.get(link.control) == IMPLEMENTED)
        gaps = tuple(
            (link, states.get(link.control, "missing"))
            for link in links
            if states.get(link.control) != IMPLEMENTED
        )
        outstanding = tuple((link, state) for link, state in gaps if state != EXCLUDED)
        rows.append(Coverage(target, _title(framework, target), covered, gaps, outstanding))
    return rows
