"""The shipped crosswalk: every id exists in its framework, every link carries its
source and confidence, and the provenance rules of the reference hold."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from typing import Any

import pytest

from aimsctl.catalog import annex_a
from aimsctl.catalog.crosswalk import ANALYTIC, PUBLISHED, canonical, crosswalk
from aimsctl.crosswalk import coverage, view
from aimsctl.errors import UsageError
from eu_ai_act import HEADINGS

RAW: dict[str, Any] = json.loads(
    resources.files("aimsctl.catalog").joinpath("crosswalk.json").read_text("utf-8")
)

# NIST AI RMF 1.0: 4 functions, 19 categories, 72 subcategories (shared/reference).
AI_RMF = {
    "GOVERN": {1: 7, 2: 3, 3: 2, 4: 3, 5: 2, 6: 2},
    "MAP": {1: 6, 2: 3, 3: 5, 4: 2, 5: 2},
    "MEASURE": {1: 3, 2: 13, 3: 3, 4: 3},
    "MANAGE": {1: 4, 2: 4, 3: 2, 4: 3},
}
SUBCATEGORIES = [
    f"{function} {category}.{n}"
    for function, categories in AI_RMF.items()
    for category, count in categories.items()
    for n in range(1, count + 1)
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]


def test_the_file_is_versioned_and_names_its_sources() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", RAW["version"])
    sources = {s["id"]: s for s in RAW["sources"]}
    assert {s["confidence"] for s in sources.values()} == {PUBLISHED, ANALYTIC}
    for source in sources.values():
        assert source["title"] and source["publisher"] and source["coverage"]
    published = next(s for s in sources.values() if s["confidence"] == PUBLISHED)
    assert "NIST AI Resource Center" in published["publisher"]
    assert "Microsoft" in published["publisher"] and "not endorse" in published["publisher"]
    assert "partial" in published["coverage"]


def test_the_72_subcategories_are_those_of_ai_rmf_1_0() -> None:
    assert len(SUBCATEGORIES) == 72 and sum(len(c) for c in AI_RMF.values()) == 19
    assert list(crosswalk().subcategories) == SUBCATEGORIES


def test_every_link_has_a_known_source_and_confidence() -> None:
    sources = {s["id"]: s["confidence"] for s in RAW["sources"]}
    assert RAW["links"]
    for link in RAW["links"]:
        assert link["source"] in sources, link
        assert link["confidence"] in (PUBLISHED, ANALYTIC), link
        assert link["confidence"] == sources[link["source"]], link


def test_every_id_exists_in_its_framework() -> None:
    articles = {a["id"] for a in RAW["frameworks"]["eu-ai-act"]["cited"]}
    for link in RAW["links"]:
        assert link["control"] in annex_a(), link
        if link["framework"] == "nist-ai-rmf":
            assert link["target"] in SUBCATEGORIES, link
        else:
            assert link["framework"] == "eu-ai-act", link
            assert link["target"] in articles, link
    for article in RAW["frameworks"]["eu-ai-act"]["cited"]:
        if "article" in article:
            assert 1 <= article["article"] <= 113  # Regulation (EU) 2024/1689
            assert article["id"] == f"Art. {article['article']}"
        else:
            assert article["annex"] in ROMAN and article["id"] == f"Annex {article['annex']}"
    for link in RAW["links"]:  # a finer citation stays inside its article or annex
        if "ref" in link:
            assert re.match(re.escape(link["target"]) + r"(\(|$)", link["ref"]), link
    assert {note["control"] for note in RAW["notes"]} <= set(annex_a())


def test_every_cited_article_carries_its_heading_in_the_act() -> None:
    cited = {a["id"]: a["subject"] for a in RAW["frameworks"]["eu-ai-act"]["cited"]}
    assert cited == {article: HEADINGS[article] for article in cited}


def test_every_control_is_linked_and_no_link_is_repeated() -> None:
    keys = [(link["control"], link["target"], link.get("ref")) for link in RAW["links"]]
    assert len(keys) == len(set(keys))
    linked = {link["control"] for link in RAW["links"]}
    assert linked == set(annex_a())


def test_provenance_rules_of_the_reference() -> None:
    # No official ISO/IEC 42001 to EU AI Act mapping: every EU AI Act link is analytic.
    for link in crosswalk().links:
        if link.framework == "eu-ai-act":
            assert link.analytic, link
    # The published crosswalk was read in part: about 20 of the 72 rows.
    published = {link.target for link in crosswalk().links if link.confidence == PUBLISHED}
    assert 15 <= len(published) <= 25
    # Rows from the reference, spot-checked: A.2.2 GOV 1.1 published; A.6.2.4 MEAS 2.1†.
    a22 = {(link.target, link.confidence) for link in crosswalk().of_control("A.2.2")}
    assert ("GOVERN 1.1", PUBLISHED) in a22 and ("GOVERN 1.2", ANALYTIC) in a22
    a624 = [link for link in crosswalk().of_control("A.6.2.4") if link.target == "MEASURE 2.1"]
    assert a624[0].confidence == PUBLISHED and "partial transcription" in (a624[0].note or "")
    assert not [link for link in crosswalk().of_control("A.3.3") if link.confidence == PUBLISHED]


@pytest.mark.parametrize(
    ("framework", "typed", "expected"),
    [
        ("annex-a", "a.6.2.4", "A.6.2.4"),
        ("annex-a", "6.2.4", "A.6.2.4"),
        ("nist-ai-rmf", "GOVERN 1.1", "GOVERN 1.1"),
        ("nist-ai-rmf", "gv-1.1", "GOVERN 1.1"),
        ("nist-ai-rmf", "meas 2.13", "MEASURE 2.13"),
        ("nist-ai-rmf", "MG4.3", "MANAGE 4.3"),
        ("eu-ai-act", "10", "Art. 10"),
        ("eu-ai-act", "Art. 10(2)(b)", "Art. 10"),
        ("eu-ai-act", "article 113", "Art. 113"),
        ("eu-ai-act", "annex iv", "Annex IV"),
        ("eu-ai-act", "10(1)", "Art. 10"),
        ("eu-ai-act", "10 (1) (a)", "Art. 10"),
        ("eu-ai-act", "Article 5(1)(h)(iii)", "Art. 5"),
        ("eu-ai-act", "Annex III(1)", "Annex III"),
    ],
)
def test_ids_are_read_as_typed(framework: str, typed: str, expected: str) -> None:
    assert canonical(framework, typed) == expected


@pytest.mark.parametrize(
    ("framework", "typed", "message"),
    [
        ("annex-a", "A.7.9", "did you mean 'A.7.6'"),
        ("nist-ai-rmf", "GOVERN 7.1", "is not a subcategory"),
        ("nist-ai-rmf", "MEASURE 2.14", "is not a subcategory"),
        ("eu-ai-act", "114", "Art. 1 to Art. 113"),
        ("eu-ai-act", "Annex XIV", "Annex I to Annex XIII"),
    ],
)
def test_unknown_ids_are_usage_errors(framework: str, typed: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        canonical(framework, typed)


@pytest.mark.parametrize(
    "typed", ["10(anything", "10(", "10()", "10(1)x", "10(1)(a", "Art. 10(ab)", "Annex IV("]
)
def test_an_article_followed_by_anything_but_its_paragraphs_is_refused(typed: str) -> None:
    """Anything after '(' was ignored: '10(anything' was Art. 10."""
    with pytest.raises(UsageError, match=re.escape("write only its paragraphs and points")):
        canonical("eu-ai-act", typed)


def test_a_long_run_of_points_with_a_slip_at_its_end_is_refused_at_once() -> None:
    """(I) is a letter and a roman numeral: both alternatives read it, so 40 of them
    before a '(' left open were tried every way (2**40) and crosswalk did not end. A
    separate process, so that a regression fails the test instead of hanging it."""
    typed = "10" + "(I)" * 40 + "("
    done = subprocess.run(
        [sys.executable, "-m", "aimsctl", "crosswalk", "--from", "eu-ai-act", typed],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "write only its paragraphs and points in brackets" in done.stderr
    assert canonical("eu-ai-act", "Article 5(1)(I)(II)(iii)") == "Art. 5"


@pytest.mark.parametrize(
    ("framework", "typed", "meant"),
    [
        ("annex-a", "A.\u0666.2.4", "A.6.2.4"),  # Arabic-Indic six
        ("annex-a", "A.\uff16.2.4", "A.6.2.4"),  # full-width six
        ("nist-ai-rmf", "GOV \u0661.\u0661", "GOVERN 1.1"),
        ("nist-ai-rmf", "MEASURE 2.\uff11\uff10", "MEASURE 2.10"),
        ("eu-ai-act", "Art. \u0661\u0660", "Art. 10"),
        ("eu-ai-act", "\u0663", "Art. 3"),
    ],
)
def test_digits_of_other_scripts_are_refused_in_words_in_every_framework(
    framework: str, typed: str, meant: str
) -> None:
    """\\d and int() read '\u0661' and '\uff11' as 1: a subcategory or article so typed
    was taken (GOV \u0661.\u0661 was GOVERN 1.1) while the same digits in an Annex A id
    were refused; every framework now refuses them, naming the id meant."""
    with pytest.raises(
        UsageError, match=re.escape(f"write its digits as 0 to 9; did you mean {meant!r}?")
    ):
        canonical(framework, typed)


def test_an_id_of_other_digits_that_names_nothing_is_refused_without_a_guess() -> None:
    with pytest.raises(UsageError) as refused:
        canonical("eu-ai-act", "\u0661\u0660\u0660\u0660")  # 1000
    assert (
        str(refused.value) == "'\u0661\u0660\u0660\u0660' is not an id: write its digits as 0 to 9"
    )


def test_either_direction_agrees() -> None:
    forward = {(link.control, link.target) for e in view("annex-a") for link in e.links}
    backward = {
        (link.control, link.target)
        for framework in ("nist-ai-rmf", "eu-ai-act")
        for e in view(framework)
        for link in e.links
    }
    assert forward == backward
    assert [e.id for e in view("nist-ai-rmf")] == SUBCATEGORIES


def test_coverage_counts_only_implemented_controls() -> None:
    states = {control: "implemented" for control in annex_a()} | {"A.2.2": "partial"}
    rows = {row.target: row for row in coverage("nist-ai-rmf", states)}
    assert len(rows) == 72
    # GOVERN 1.1: A.2.2 (published, partial here) no longer covers it; A.2.4 does.
    assert [link.control for link in rows["GOVERN 1.1"].covered_by] == ["A.2.3", "A.2.4"]
    assert [(link.control, s) for link, s in rows["GOVERN 1.1"].gaps] == [("A.2.2", "partial")]
    assert rows["GOVERN 1.1"].status == "partly covered"  # A.2.2 still to do
    assert rows["GOVERN 1.3"].status == "no link"
    none = coverage("nist-ai-rmf", {})
    assert {row.status for row in none} == {"gap", "no link"}
    assert all(state == "missing" for row in none for _, state in row.gaps)
    only_analytic = rows["GOVERN 1.5"]  # A.2.4, analytic
    assert only_analytic.status == "covered (analytic links only)"
