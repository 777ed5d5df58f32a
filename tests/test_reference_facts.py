"""The shipped catalogues against the facts, written out here rather than read from
the catalogues themselves: the 38 Annex A controls of ISO/IEC 42001:2023 with their
areas and titles, and every link of the crosswalk with its provenance, as the
project's reference (checked against two public sources) gives them.

A change to annex_a.json or crosswalk.json that is not a change of the facts fails
here: a title reworded, a control invented or lost, a published link that the
published crosswalk does not hold, an analytic link passed off as published, a
link read from a partial transcription that no longer says so.
"""

from __future__ import annotations

import pytest

from aimsctl.catalog import annex_a, annex_a_areas, objective_id
from aimsctl.catalog.crosswalk import ANALYTIC, PUBLISHED, crosswalk

AREAS = {
    "A.2": "Policies related to AI",
    "A.3": "Internal organization",
    "A.4": "Resources for AI systems",
    "A.5": "Assessing impacts of AI systems",
    "A.6": "AI system life cycle",
    "A.7": "Data for AI systems",
    "A.8": "Information for interested parties of AI systems",
    "A.9": "Use of AI systems",
    "A.10": "Third-party and customer relationships",
}

CONTROLS = {
    "A.2.2": "AI policy",
    "A.2.3": "Alignment with other organizational policies",
    "A.2.4": "Review of the AI policy",
    "A.3.2": "AI roles and responsibilities",
    "A.3.3": "Reporting of concerns",
    "A.4.2": "Resource documentation",
    "A.4.3": "Data resources",
    "A.4.4": "Tooling resources",
    "A.4.5": "System and computing resources",
    "A.4.6": "Human resources",
    "A.5.2": "AI system impact assessment process",
    "A.5.3": "Documentation of AI system impact assessments",
    "A.5.4": "Assessing AI system impact on individuals or groups of individuals",
    "A.5.5": "Assessing societal impacts of AI systems",
    "A.6.1.2": "Objectives for responsible development of AI system",
    "A.6.1.3": "Processes for responsible AI system design and development",
    "A.6.2.2": "AI system requirements and specification",
    "A.6.2.3": "Documentation of AI system design and development",
    "A.6.2.4": "AI system verification and validation",
    "A.6.2.5": "AI system deployment",
    "A.6.2.6": "AI system operation and monitoring",
    "A.6.2.7": "AI system technical documentation",
    "A.6.2.8": "AI system recording of event logs",
    "A.7.2": "Data for development and enhancement of AI system",
    "A.7.3": "Acquisition of data",
    "A.7.4": "Quality of data for AI systems",
    "A.7.5": "Data provenance",
    "A.7.6": "Data preparation",
    "A.8.2": "System documentation and information for users",
    "A.8.3": "External reporting",
    "A.8.4": "Communication of incidents",
    "A.8.5": "Information for interested parties",
    "A.9.2": "Processes for responsible use of AI systems",
    "A.9.3": "Objectives for responsible use of AI system",
    "A.9.4": "Intended use of the AI system",
    "A.10.2": "Allocating responsibilities",
    "A.10.3": "Suppliers",
    "A.10.4": "Customers",
}

# Wordings the standard itself also uses (Annex B, the body of Annex A).
ALIASES = {
    "A.5.4": "Assessing AI system impact on individuals and groups of individuals",
    "A.6.1.3": "Processes for responsible design and development of AI systems",
}

# Per control: the NIST AI RMF subcategories of the published crosswalk (a dagger:
# read from a partial transcription; the others from a text extract), the analytic
# ones, and the EU AI Act citations (all analytic: there is no official mapping).
CROSSWALK = [
    ("A.2.2", "GOV 1.1", "GOV 1.2, GOV 1.4", "Art. 17(1)(a)"),
    ("A.2.3", "MEAS 2.7†", "GOV 1.1, GOV 1.2", "Art. 17"),
    ("A.2.4", "GOV 1.1", "GOV 1.5", "Art. 17; Art. 9(2)"),
    ("A.3.2", "GOV 2.1, MEAS 2.7†", "GOV 2.3, GOV 3.2", "Art. 17(1)(m); Art. 26(2)"),
    ("A.3.3", "", "GOV 4.1, GOV 4.3", "Art. 87; Art. 26(5)"),
    ("A.4.2", "GOV 1.6†, MAP 2.1, MEAS 2.1†", "MANAGE 2.1", "Art. 11; Annex IV; Art. 17(1)(l)"),
    ("A.4.3", "GOV 1.6†, MAP 2.1", "MAP 2.3", "Art. 10"),
    ("A.4.4", "GOV 1.6†, MAP 2.1", "MEAS 2.1", "Art. 11; Annex IV(2)"),
    ("A.4.5", "GOV 1.6†, MAP 2.1", "MEAS 2.12", "Art. 11; Annex IV(1)"),
    (
        "A.4.6",
        "GOV 1.6†, GOV 3.2†, MAP 2.1",
        "GOV 2.2, GOV 3.1, MAP 1.2",
        "Art. 4; Art. 14(4); Art. 26(2)",
    ),
    (
        "A.5.2",
        "MAP 1.1†, MAP 5.1†, MEAS 2.7†",
        "MAP 3.1, MAP 3.2, GOV 4.2",
        "Art. 27; Art. 9(2)(a)",
    ),
    ("A.5.3", "GOV 3.2†, MAP 1.1†", "GOV 4.2", "Art. 27(1),(3); Art. 11"),
    (
        "A.5.4",
        "MAP 1.1†, MAP 1.6",
        "MAP 5.1, MEAS 2.10, MEAS 2.11",
        "Art. 27(1)(c)-(d); Art. 9(9)",
    ),
    ("A.5.5", "MAP 1.1†, MAP 1.6", "MAP 5.1, MEAS 2.12", "Art. 27; Art. 9"),
    ("A.6.1.2", "GOV 1.2, MEAS 2.7†", "MAP 1.3", "Art. 9; Art. 17(1)(b)"),
    (
        "A.6.1.3",
        "GOV 3.2†, MAP 3.5†, MANAGE 2.4†",
        "GOV 1.4, GOV 1.7",
        "Art. 17(1)(b)-(d); Art. 9; Art. 14(3)",
    ),
    ("A.6.2.2", "MAP 1.6", "MAP 1.1, MAP 2.1, MAP 3.3", "Art. 17(1)(e); Annex IV(2)(b)"),
    ("A.6.2.3", "MAP 2.1, MEAS 2.7†", "MAP 2.3", "Art. 11; Annex IV(2)"),
    (
        "A.6.2.4",
        "MEAS 2.1†",
        "MAP 2.3, MEAS 2.3, MEAS 2.5, MEAS 2.6, MEAS 2.9, MEAS 2.11, MEAS 2.13",
        "Art. 15; Art. 9(6)-(8); Art. 17(1)(d)",
    ),
    ("A.6.2.5", "", "MANAGE 1.1, MAP 3.4", "Art. 26(1); Art. 16; Art. 43"),
    (
        "A.6.2.6",
        "MEAS 2.3†, MANAGE 4.1†, MANAGE 4.3†",
        "MEAS 2.4, MEAS 3.1, MANAGE 2.2, MANAGE 2.3, MANAGE 3.2",
        "Art. 72; Art. 26(5)",
    ),
    (
        "A.6.2.7",
        "MAP 2.2, MAP 3.5†, MEAS 2.1†, MANAGE 2.4†",
        "MEAS 2.9",
        "Art. 11; Annex IV; Art. 13; Art. 18",
    ),
    ("A.6.2.8", "", "MEAS 2.4, MEAS 3.1", "Art. 12; Art. 19; Art. 26(6)"),
    ("A.7.2", "MEAS 2.7†", "MAP 2.3, MEAS 2.10", "Art. 10(2)"),
    ("A.7.3", "", "MAP 2.3, MAP 4.1, GOV 6.1", "Art. 10(2)(b)"),
    (
        "A.7.4",
        "MEAS 2.3†",
        "MEAS 2.1, MEAS 2.11",
        "Art. 10(3)-(4); Art. 10(2)(f)-(g); Art. 26(4)",
    ),
    ("A.7.5", "", "MAP 2.3, MAP 4.1", "Art. 10(2)(b); Annex IV(2)(d)"),
    ("A.7.6", "", "MAP 2.3", "Art. 10(2)(c)"),
    (
        "A.8.2",
        "MAP 3.5†, MANAGE 2.4†",
        "MAP 2.2, MEAS 2.8, MEAS 2.9",
        "Art. 13; Art. 50; Art. 26(11)",
    ),
    ("A.8.3", "MANAGE 4.1†", "MEAS 3.3, GOV 5.1, MAP 5.2", "Art. 72; Art. 27(1)(f)"),
    ("A.8.4", "MEAS 2.1†", "MANAGE 4.3, GOV 4.3", "Art. 73; Art. 26(5); Art. 20"),
    ("A.8.5", "MANAGE 4.3†", "GOV 4.2, GOV 5.1", "Art. 13; Art. 21; Art. 49; Art. 86"),
    ("A.9.2", "", "GOV 1.4, MAP 3.5", "Art. 26(1)"),
    ("A.9.3", "GOV 1.2, GOV 3.2†, MEAS 2.7†", "MAP 3.5", "Art. 26; Art. 14"),
    (
        "A.9.4",
        "MANAGE 2.4†",
        "MAP 1.1, MAP 3.3",
        "Art. 26(1),(4),(5); Art. 13(3)(b); Art. 25(1)(c)",
    ),
    ("A.10.2", "GOV 6.1†", "GOV 2.1, MAP 4.1", "Art. 25"),
    (
        "A.10.3",
        "GOV 6.1†",
        "GOV 6.2, MAP 4.1, MAP 4.2, MANAGE 3.1, MANAGE 3.2",
        "Art. 25(4); Art. 53(1)(b)",
    ),
    ("A.10.4", "MANAGE 4.1†", "GOV 5.1", "Art. 13; Art. 25"),
]

# The controls the published crosswalk also maps from a row whose label could not be
# read: recorded as a note, never as a link.
UNLABELLED_ROWS = {"A.5.2", "A.6.2.2", "A.9.4", "A.10.4"}

_FUNCTIONS = {"GOV": "GOVERN", "MAP": "MAP", "MEAS": "MEASURE", "MANAGE": "MANAGE"}


def _subcategories(cell: str) -> list[tuple[str, bool]]:
    """``"GOV 1.6†, MAP 2.1"`` as [("GOVERN 1.6", True), ("MAP 2.1", False)]."""
    found = []
    for item in filter(None, (part.strip() for part in cell.split(","))):
        function, number = item.rstrip("†").split(" ")
        found.append((f"{_FUNCTIONS[function]} {number}", item.endswith("†")))
    return found


def test_annex_a_has_the_38_controls_of_the_standard_with_their_titles() -> None:
    assert len(CONTROLS) == 38
    assert {cid: control.title for cid, control in annex_a().items()} == CONTROLS
    assert list(annex_a()) == list(CONTROLS)  # in the standard's order
    for cid, control in annex_a().items():
        assert control.aliases == ((ALIASES[cid],) if cid in ALIASES else ()), cid
        assert control.area == cid.rsplit(".", 2 if cid.startswith("A.6.") else 1)[0]


def test_annex_a_has_nine_areas_and_ten_objectives() -> None:
    assert {area.id: area.title for area in annex_a_areas()} == AREAS
    objectives = {objective_id(cid) for cid in CONTROLS}
    assert len(objectives) == 10 and {"A.6.1", "A.6.2"} <= objectives
    [life_cycle] = [area for area in annex_a_areas() if area.id == "A.6"]
    assert [(o.id, o.title) for o in life_cycle.objectives] == [
        ("A.6.1", "Management guidance for AI system development"),
        ("A.6.2", "AI system life cycle"),
    ]


@pytest.mark.parametrize(("control", "published", "analytic", "act"), CROSSWALK)
def test_each_control_is_linked_as_the_reference_says(
    control: str, published: str, analytic: str, act: str
) -> None:
    links = crosswalk().of_control(control)
    nist = [link for link in links if link.framework == "nist-ai-rmf"]
    shipped = [
        (link.target, "partial transcription" in (link.note or ""))
        for link in nist
        if link.confidence == PUBLISHED
    ]
    assert shipped == _subcategories(published)
    assert [link.target for link in nist if link.confidence == ANALYTIC] == [
        name for name, _ in _subcategories(analytic)
    ]
    eu = [link for link in links if link.framework == "eu-ai-act"]
    assert [link.cited for link in eu] == act.split("; ")
    assert all(link.confidence == ANALYTIC for link in eu)
    assert all(link.source == "nist-airc-42001-crosswalk" for link in nist if not link.analytic)
    assert all(link.source == "aimsctl-analytic" for link in links if link.analytic)


def test_the_crosswalk_holds_no_control_or_link_beyond_the_reference() -> None:
    assert [row[0] for row in CROSSWALK] == list(CONTROLS)
    expected = sum(
        len(_subcategories(published)) + len(_subcategories(analytic)) + len(act.split("; "))
        for _, published, analytic, act in CROSSWALK
    )
    assert len(crosswalk().links) == expected
    assert set(crosswalk().notes) == UNLABELLED_ROWS
    for control in UNLABELLED_ROWS:
        assert "label could not be read" in crosswalk().notes[control]
        assert "no link is recorded" in crosswalk().notes[control]
