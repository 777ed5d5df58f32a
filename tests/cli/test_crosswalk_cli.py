"""`aimsctl crosswalk` and `aimsctl controls --framework` end to end: both directions,
every format, every analytic link marked, coverage of the example, bad ids."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

import factory
from aimsctl.catalog import annex_a
from aimsctl.catalog.crosswalk import ANALYTIC, crosswalk
from aimsctl.repository import load_repository
from aimsctl.soa import control_states
from aimsctl.text import html_id
from conftest import AS_OF, EXAMPLE, CliResult

Cli = Callable[..., CliResult]
DIRECTIONS = [
    ("annex-a", "A.6.2.4"),
    ("nist-ai-rmf", "MEASURE 2.1"),
    ("eu-ai-act", "Art. 26"),
]


def _expected(source: str, target: str) -> list[tuple[str, str, str]]:
    """(control, target, confidence) of every link the command must show."""
    links = (
        crosswalk().of_control(target) if source == "annex-a" else crosswalk().to(source, target)
    )
    return [(link.control, link.target, link.confidence) for link in links]


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_json_lists_every_link_with_source_and_confidence(
    cli: Cli, source: str, target: str
) -> None:
    result = cli("crosswalk", "--from", source, target, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["crosswalk"]["version"] == crosswalk().version
    [entry] = document["entries"]
    assert entry["id"] == target and entry["framework"] == source
    shown = [(link["control"], link["target"], link["confidence"]) for link in entry["links"]]
    assert shown == _expected(source, target)
    assert all(link["source"] for link in entry["links"])


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_table_marks_each_analytic_link_on_its_row(cli: Cli, source: str, target: str) -> None:
    result = cli("crosswalk", "--from", source, target)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    for control, linked, confidence in _expected(source, target):
        other = linked if source == "annex-a" else control
        rows = [line for line in lines if f"  {other}  " in line + "  "]
        assert any(f"  {confidence}  " in row for row in rows), (control, linked)
    analytic_rows = [line for line in lines if "  analytic  " in line]
    assert len(analytic_rows) == sum(1 for *_, c in _expected(source, target) if c == ANALYTIC)
    assert any(line.startswith("analytic: inferred by the aimsctl maintainers") for line in lines)
    assert any("no official ISO/IEC 42001 to EU AI Act mapping" in line for line in lines)


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_markdown_marks_each_analytic_link(cli: Cli, source: str, target: str) -> None:
    result = cli("crosswalk", "--from", source, target, "--format", "md")
    assert result.exit_code == 0, result.stderr
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    analytic = sum(1 for *_, c in _expected(source, target) if c == ANALYTIC)
    assert html.count("<strong>analytic</strong>") == analytic
    assert "unreviewed and official for no one" in html


def test_the_whole_crosswalk_from_each_side(cli: Cli) -> None:
    whole = json.loads(cli("crosswalk", "--format", "json").stdout)
    assert [e["id"] for e in whole["entries"]] == list(annex_a())
    total = sum(len(e["links"]) for e in whole["entries"])
    assert total == len(crosswalk().links)
    nist = json.loads(cli("crosswalk", "--from", "nist-ai-rmf", "--format", "json").stdout)
    assert len(nist["entries"]) == 72
    unlinked = [e for e in nist["entries"] if not e["links"]]
    table = cli("crosswalk", "--from", "nist-ai-rmf").stdout
    assert table.count("no link recorded") == len(unlinked) > 0


def test_same_bytes_every_run(cli: Cli) -> None:
    for fmt in ("table", "json", "md"):
        assert cli("crosswalk", "-f", fmt).stdout == cli("crosswalk", "-f", fmt).stdout


def test_an_article_with_no_link_says_so(cli: Cli) -> None:
    result = cli("crosswalk", "--from", "eu-ai-act", "5")
    assert result.exit_code == 0
    assert "Art. 5" in result.stdout and "no link recorded" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "nist", "GOVERN 1.1"], "--from 'nist' is not one of"),
        (["--from", "nist-ai-rmf", "GOVERN 9.9"], "is not a subcategory of NIST AI RMF"),
        (["A.7.9"], "did you mean 'A.7.6'"),
        (["--from", "eu-ai-act", "Art. 999"], "is not an article of the EU AI Act"),
        (["-f", "yaml"], "--format 'yaml' is not one of"),
        # Longer than the 4,300 digits int() converts: an error, not a traceback.
        (["--from", "eu-ai-act", "9" * 5000], "is not an article of the EU AI Act"),
        (["--from", "nist-ai-rmf", f"GV-{'1' * 5000}.1"], "is not a subcategory"),
    ],
)
def test_bad_input_is_a_usage_error(cli: Cli, args: list[str], message: str) -> None:
    result = cli("crosswalk", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("aimsctl: error:") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_nist_coverage_of_the_example(cli: Cli) -> None:
    result = cli(
        "controls", EXAMPLE, "--as-of", AS_OF, "--framework", "nist-ai-rmf", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    targets = document["targets"]
    assert [t["id"] for t in targets] == list(crosswalk().subcategories)
    states = control_states(load_repository(EXAMPLE, date.fromisoformat(AS_OF)))
    for target in targets:
        for link in target["covered_by"]:
            assert states[link["control"]] == "implemented"
        for gap in target["gaps"]:
            assert gap["state"] == states.get(gap["control"], "missing") != "implemented"
        outstanding = [gap for gap in target["gaps"] if gap["state"] != "excluded"]
        assert target["covered"] == bool(target["covered_by"] and not outstanding)
        partly = bool(target["covered_by"] and outstanding)
        assert target["status"].startswith("partly covered") == partly
    summary = document["summary"]
    assert summary["total"] == 72
    assert (
        summary["covered"] + summary["partly_covered"] + summary["gaps"] + summary["no_link"] == 72
    )
    assert 0 < summary["covered"] < 72 and summary["gaps"] > 0
    assert summary["partly_covered"] > 0

    text = cli("controls", EXAMPLE, "--as-of", AS_OF, "--framework", "nist-ai-rmf").stdout
    assert f"{summary['covered']} of 72 NIST AI RMF subcategories covered" in text
    assert f"{summary['partly_covered']} partly covered" in text
    assert "covered (analytic links only)" in text
    assert "(analytic)" in text and "analytic: inferred by the aimsctl maintainers" in text


def test_a_control_linked_twice_to_one_article_covers_it_once(cli: Cli) -> None:
    """A.7.4 is linked to Art. 10 at two of its paragraphs; coverage named it twice, as
    if two controls covered the article ('A.7.4 (analytic), A.7.4 (analytic)')."""
    args = ("controls", EXAMPLE, "--as-of", AS_OF, "--framework", "eu-ai-act")
    document = json.loads(cli(*args, "--format", "json").stdout)
    for target in document["targets"]:
        for side in ("covered_by", "gaps"):
            named = [link["control"] for link in target[side]]
            assert len(named) == len(set(named)), (target["id"], side)
    art_10 = next(t for t in document["targets"] if t["id"] == "Art. 10")
    assert [link["control"] for link in art_10["covered_by"]] == [
        "A.4.3",
        "A.7.2",
        "A.7.3",
        "A.7.4",
    ]
    row = next(line for line in cli(*args).stdout.splitlines() if line.startswith("Art. 10 "))
    assert row.count("A.7.4") == 1


def test_controls_without_framework_is_unchanged(cli: Cli) -> None:
    plain = cli("controls", EXAMPLE, "--as-of", AS_OF)
    named = cli("controls", EXAMPLE, "--as-of", AS_OF, "--framework", "annex-a")
    assert plain.exit_code == named.exit_code == 0
    assert plain.stdout == named.stdout
    assert "Annex A controls decided" in plain.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # a name cut short: difflib finds 'nist' too far from 'nist-ai-rmf' to suggest it
        (["controls", EXAMPLE, "--framework", "nist"], "; did you mean 'nist-ai-rmf'?"),
        (["crosswalk", "--from", "NIST", "GOVERN 1.1"], "; did you mean 'nist-ai-rmf'?"),
        (["crosswalk", "--from", "eu", "73"], "; did you mean 'eu-ai-act'?"),
        # the start of two names: neither is suggested
        (["report", "m", EXAMPLE, "--as-of", "2026-11-26"], "readiness, all"),
    ],
)
def test_an_option_value_cut_short_names_the_one_choice_it_starts(
    cli: Cli, args: list[str], said: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.rstrip("\n").endswith(said), result.stderr


def test_coverage_needs_a_repository(cli: Cli) -> None:
    result = cli("controls", "--annex", "--framework", "nist-ai-rmf")
    assert result.exit_code == 2 and "coverage needs one" in result.stderr
    result = cli("controls", EXAMPLE, "--framework", "iso-27001")
    assert result.exit_code == 2 and "--framework 'iso-27001' is not one of" in result.stderr


def test_soa_with_crosswalk_shows_the_links_per_control(cli: Cli, tmp_path: Path) -> None:
    plain, linked = tmp_path / "plain", tmp_path / "linked"
    for out, extra in ((plain, []), (linked, ["--crosswalk"])):
        for fmt in ("md", "html"):
            result = cli("report", "soa", EXAMPLE, "--as-of", AS_OF, "-o", out, "-f", fmt, *extra)
            assert result.exit_code == 0, result.stderr
    assert "Crosswalk" not in (plain / "soa.md").read_text(encoding="utf-8")
    assert 'id="crosswalk"' not in (plain / "soa.html").read_text(encoding="utf-8")

    markdown = (linked / "soa.md").read_text(encoding="utf-8")
    before, _, section = markdown.partition("## Crosswalk to NIST AI RMF and the EU AI Act")
    assert before == (plain / "soa.md").read_text(encoding="utf-8")[: len(before)]
    analytic = sum(1 for link in crosswalk().links if link.analytic)
    rows = [line for line in section.splitlines() if line.startswith("| A.")]
    assert len(rows) == 38
    assert sum(row.count("*(analytic)*") for row in rows) == analytic
    for control in annex_a().values():
        assert f"| {control.id} " in section
    assert "official for no one" in section and "not a harmonised standard" in section

    html = (linked / "soa.html").read_text(encoding="utf-8")
    assert html.count('<em class="analytic">(analytic)</em>') == analytic
    assert all(f'id="{html_id("x", control)}"' in html for control in annex_a())


def test_soa_with_crosswalk_keeps_the_provenance_of_each_published_link(
    cli: Cli, tmp_path: Path
) -> None:
    """The reference marks the published links read from a partial transcription (the
    others from a text extract), and four controls mapped from a published row whose
    label could not be read. `aimsctl crosswalk` showed both; the SoA showed neither,
    so MEASURE 2.7 read from a partial transcription looked as sound as GOVERN 1.1."""
    for fmt in ("md", "html"):
        result = cli(
            "report", "soa", EXAMPLE, "--as-of", AS_OF, "-o", tmp_path, "-f", fmt, "--crosswalk"
        )
        assert result.exit_code == 0, result.stderr
    section = (tmp_path / "soa.md").read_text(encoding="utf-8").partition("## Crosswalk")[2]
    rows = {line.split(" ")[1]: line for line in section.splitlines() if line.startswith("| A.")}
    assert rows["A.2.3"].startswith(
        "| A.2.3 Alignment with other organizational policies | MEASURE 2.7 (read from a "
        "partial transcription), GOVERN 1.1 *(analytic)*, GOVERN 1.2 *(analytic)* |"
    )
    assert rows["A.2.2"].startswith("| A.2.2 AI policy | GOVERN 1.1, GOVERN 1.2 *(analytic)*")
    transcribed = [
        link for link in crosswalk().links if "partial transcription" in (link.note or "")
    ]
    assert len(transcribed) > 20
    assert section.count("(read from a partial transcription)") == len(transcribed)
    for control in ("A.5.2", "A.6.2.2", "A.9.4", "A.10.4"):
        assert f"; note: {crosswalk().notes[control]} |" in rows[control]
    html = (tmp_path / "soa.html").read_text(encoding="utf-8")
    assert html.count("(read from a partial transcription)") == len(transcribed)
    assert "; note: the published crosswalk also maps this control" in html


def _coverage_of(cli: Cli, repo: Path, framework: str, target: str) -> dict[str, Any]:
    result = cli("controls", repo, "--as-of", AS_OF, "--framework", framework, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return next(t for t in json.loads(result.stdout)["targets"] if t["id"] == target)


def _status_row(cli: Cli, repo: Path, framework: str, target: str) -> str:
    result = cli("controls", repo, "--as-of", AS_OF, "--framework", framework)
    assert result.exit_code == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith(f"{target}  "))


def test_one_implemented_control_among_others_undone_is_partly_covered(cli: Cli) -> None:
    """GOVERN 1.2 is linked to A.2.2, A.2.3 and A.6.1.2 (implemented in the example) and
    to A.9.3 (not started): it read 'covered', as if every control it needs were in
    place, and the summary counted it with the subcategories that are."""
    govern = _coverage_of(cli, EXAMPLE, "nist-ai-rmf", "GOVERN 1.2")
    assert govern["status"] == "partly covered" and govern["covered"] is False
    assert [gap["state"] for gap in govern["gaps"]] == ["not-started"]
    assert "partly covered" in _status_row(cli, EXAMPLE, "nist-ai-rmf", "GOVERN 1.2")
    # Only analytic links implemented, another linked control partial: Art. 11.
    article = _coverage_of(cli, EXAMPLE, "eu-ai-act", "Art. 11")
    assert article["status"] == "partly covered (analytic links only)"
    assert article["analytic_only"] is True and article["covered"] is False


# GOVERN 2.1 is linked to A.3.2 (published) and A.10.2 (analytic), and to nothing else.
@pytest.mark.parametrize(
    ("a_3_2", "a_10_2", "status"),
    [
        ({"status": "implemented"}, {"status": "planned"}, "partly covered"),
        ({"status": "implemented"}, None, "partly covered"),  # A.10.2 has no record
        (
            {"status": "implemented"},
            {"justification": "TODO: say why", "status": "implemented"},
            "partly covered",
        ),
        ({"status": "implemented"}, {"status": factory.OMIT}, "partly covered"),  # no status
        (
            {"status": "planned"},
            {"status": "implemented"},
            "partly covered (analytic links only)",
        ),
        (
            {"status": "implemented"},
            {"applicable": False, "justification": "We allocate no AI work to others."},
            "covered",
        ),
        # An exclusion that gives no reason is not a decision that A.10.2 does not apply.
        (
            {"status": "implemented"},
            {"applicable": False, "justification": "", "status": factory.OMIT},
            "partly covered",
        ),
        ({"status": "implemented"}, {"status": "implemented"}, "covered"),
        ({"status": "partial"}, {"status": "not-started"}, "gap"),
        (
            {"applicable": False, "justification": "Not ours.", "status": factory.OMIT},
            {"applicable": False, "justification": "Not ours either.", "status": factory.OMIT},
            "gap",
        ),
    ],
)
def test_coverage_needs_every_linked_control_that_is_not_excluded(
    cli: Cli,
    make_repo: Callable[..., Path],
    a_3_2: dict[str, Any],
    a_10_2: dict[str, Any] | None,
    status: str,
) -> None:
    records = [factory.control("A.3.2", title=factory.OMIT, **a_3_2)]
    if a_10_2 is not None:
        records.append(factory.control("A.10.2", title=factory.OMIT, **a_10_2))
    repo = make_repo({"controls/soa.yaml": records})
    target = _coverage_of(cli, repo, "nist-ai-rmf", "GOVERN 2.1")
    assert target["status"] == status
    assert target["covered"] is (status == "covered")
    row = _status_row(cli, repo, "nist-ai-rmf", "GOVERN 2.1")
    assert row.split("  ", 1)[1].strip().startswith(status + "  ")


def test_an_exclusion_without_a_justification_is_its_own_state(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    """`applicable: false` with an empty justification was listed as `excluded`, and so
    stood aside from coverage as a decided exclusion does."""
    repo = make_repo(
        {
            "controls/soa.yaml": [
                factory.control("A.3.2", title=factory.OMIT, status="implemented"),
                factory.control(
                    "A.10.2",
                    title=factory.OMIT,
                    applicable=False,
                    justification=" ",
                    status=factory.OMIT,
                ),
            ]
        }
    )
    target = _coverage_of(cli, repo, "nist-ai-rmf", "GOVERN 2.1")
    assert [gap["state"] for gap in target["gaps"]] == ["excluded without a justification"]
    listed = cli("controls", repo, "--as-of", AS_OF, "-f", "json")
    states = {c["id"]: c["state"] for c in json.loads(listed.stdout)["controls"]}
    assert states["A.10.2"] == "excluded without a justification"
    assert states["A.3.2"] == "implemented"


def test_the_summary_counts_partly_covered_apart(cli: Cli, make_repo: Callable[..., Path]) -> None:
    """Art. 72 is linked to A.6.2.6 and A.8.3 only (Art. 26 to A.6.2.6 and others): with
    A.6.2.6 implemented, both were counted among the 'covered' articles of the summary."""
    repo = make_repo(
        {
            "controls/soa.yaml": [
                factory.control("A.6.2.6", title=factory.OMIT, status="implemented"),
                factory.control("A.8.3", title=factory.OMIT, status="planned"),
            ]
        }
    )
    args = ("controls", repo, "--as-of", AS_OF, "--framework", "eu-ai-act")
    summary = json.loads(cli(*args, "-f", "json").stdout)["summary"]
    assert summary["covered"] == 0
    assert summary["partly_covered"] == summary["partly_covered_analytic_only"] == 2
    assert summary["covered"] + summary["partly_covered"] + summary["gaps"] == summary["total"]
    text = cli(*args).stdout
    assert "0 of 26 cited EU AI Act articles covered by applicable, implemented" in text
    assert "2 partly covered (some linked controls implemented, others not; 2 through" in text
    assert "partly covered (analytic links only)" in _status_row(cli, repo, "eu-ai-act", "Art. 72")
