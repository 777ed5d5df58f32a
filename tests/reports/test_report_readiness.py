"""The Stage 1 readiness report: every clause requirement and Annex A control with its
documented information (linked), what is missing and what is due; on the fixture
repository (its golden file is tests/reports/golden/readiness.md) and the example."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, Page, write_repository

from aimsctl.catalog import annex_a
from aimsctl.reports import Provenance, render_reports
from aimsctl.repository import load_repository
from conftest import EXAMPLE, CliResult
from factory import control

Cli = Callable[..., CliResult]


def _render(root: Path, fmt: str, out: Path | None = None) -> str:
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    provenance = Provenance("O", "", day, "c")
    return render_reports(repo, ["readiness"], fmt, provenance, out=out)[f"readiness.{fmt}"]


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_repository(tmp_path_factory.mktemp("readiness"))


def test_html_has_a_row_per_requirement_and_control(fixture_root: Path) -> None:
    page = Page(_render(fixture_root, "html", fixture_root / "reports"))
    rows = [a["data-requirement"] for a in page.find("tr") if "data-requirement" in a]
    controls = [r for r in rows if r.startswith("A.")]
    assert controls == list(annex_a())  # every control, in catalogue order
    assert rows[:4] == ["4.1", "4.2", "4.3", "4.4"]
    assert "6.1.2" in rows and "9.2.2" in rows and "10.2" in rows
    assert len(page.find("caption")) == len(page.find("table"))
    assert all(a.get("scope") in ("col", "row") for a in page.find("th"))
    anchors = [h[1:] for h in page.hrefs() if h.startswith("#")]
    assert anchors and set(anchors) <= page.ids
    # Documented information links to the files, relative to the output folder.
    links = [h for h in page.hrefs() if not h.startswith("#")]
    assert "../aims.yaml" in links
    assert any(h.startswith("../risks/") for h in links)
    states = {a["data-requirement"]: a["data-state"] for a in page.find("tr") if "data-state" in a}
    assert states["4.2"] == "ready" and states["6.3"] == "gap"
    assert set(states.values()) <= {"ready", "gap", "overdue", "not applicable"}


def test_markdown_on_the_example(example_in_git: Path) -> None:
    text = _render(example_in_git, "md")
    # 9.1 and A.8.4 are gaps while NC-2026-03 and NC-2026-01 are not closed, and 4.4
    # (the management system shown in operation) while 9.1 is
    assert "| clause requirements evidenced | 23 of 32 |" in text
    assert "| Annex A controls implemented and evidenced | 23 of 38 |" in text
    row = next(line for line in text.splitlines() if line.startswith("| A.8.4 "))
    assert "| implemented | gap |" in row
    assert "NC-2026-01 records it as not met and is verifying, not closed" in row
    assert "| Annex A controls excluded with a justification | 3 of 38 |" in text
    row = next(line for line in text.splitlines() if line.startswith("| A.6.2.4 "))
    assert "| implemented | ready |" in row
    assert "Evaluation: EVAL-ASSIST-2026-04" in row
    assert "2026-12-12: SYS-TRIAGE, next evaluation" in row  # due within 30 days
    partial = next(line for line in text.splitlines() if line.startswith("| A.6.2.7 "))
    assert "applicable and partial, not yet implemented" in partial
    gap = next(line for line in text.splitlines() if line.startswith("| 7.2 Competence"))
    assert (
        "| gap | none | no record or setting evidences it: aimsctl keeps none for it, so its "
        "evidence is kept outside the repository; NC-2026-02 records it as not met and is "
        "action-planned, not closed |" in gap
    )


@pytest.mark.parametrize("which", ["example", "fixture"])
def test_the_summary_counts_the_annex_a_controls_its_rows_call_ready(
    which: str, example_in_git: Path, fixture_root: Path
) -> None:
    """The summary counted "Annex A controls decided and evidenced" with the excluded
    ones, though each area's row counts only what is implemented and evidenced (as
    status does): the example read 27 of 38 above rows adding up to 24, and a repository
    excluding nearly all of Annex A read 36 of 38 above rows adding up to 1. The
    summary now counts as the rows do, and the exclusions apart."""
    text = _render(example_in_git if which == "example" else fixture_root, "md")
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| A.")]
    areas = [cells for cells in rows if cells[0].count(".") == 1 and "/" in cells[2]]
    ready = sum(int(cells[2].split("/")[0]) for cells in areas)
    excluded = sum(int(cells[2].split("(")[1].split()[0]) for cells in areas if "(" in cells[2])
    assert f"| Annex A controls implemented and evidenced | {ready} of 38 |" in text
    assert f"| Annex A controls excluded with a justification | {excluded} of 38 |" in text
    assert "decided and evidenced" not in text


def test_report_all_includes_readiness(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("report", "all", EXAMPLE, "--format", "md", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert (out / "readiness.md").is_file()
    assert "[Stage 1 audit readiness](readiness.md)" in (out / "index.md").read_text("utf-8")


def test_markdown_on_the_example_matches_its_golden_file(example_in_git: Path) -> None:
    golden = Path(__file__).parent / "golden" / "readiness-northwind.md"
    text = _render(example_in_git, "md", example_in_git / "reports")
    if os.environ.get("AIMSCTL_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8")
    assert "[R-001](../risks/R-001.yaml)" in text  # linked to the record's file


def test_settings_named_in_what_is_missing_show_as_code_in_html_and_markdown(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # What is missing for 6.1.1, 7.5.2 and 7.5.3 names a setting of aims.yaml in
    # backticks: the HTML report showed the backticks (`risk`), the Markdown report
    # escaped them into literal backticks too. Both now show the setting as code,
    # while a path from a record keeps every character it has.
    files = {
        "controls/a.yaml": control(
            "A.2.2",
            status="implemented",
            evidence=[{"path": "evidence/`x`<b>.md", "description": "Policy"}],
        )
    }
    root = make_repo(files)
    html = cli(
        "report", "readiness", root, "--as-of", AS_OF, "-f", "html", "--out", "-", "--force"
    ).stdout
    assert "(<code>risk</code>: scales, bands, appetite)" in html
    assert html.count("no controlled documents (<code>documents</code>)") == 2
    assert "`risk`" not in html and "`documents`" not in html
    # Record text in the same list is escaped as before, backticks and all.
    assert "evidence/`x`&lt;b&gt;.md" in html
    markdown = cli(
        "report", "readiness", root, "--as-of", AS_OF, "-f", "md", "--out", "-", "--force"
    ).stdout
    assert "the risk criteria (`risk`: scales, bands, appetite)" in markdown
    assert "\\`risk\\`" not in markdown and "\\`documents\\`" not in markdown


def test_markdown_html_shows_what_the_markdown_shows() -> None:
    import jinja2

    from aimsctl.text import Markdown, markdown_html, md_code, md_text

    plain = "a \"b\" <c> & 'd' `e`"
    autoescaped = jinja2.Environment(autoescape=True).from_string("{{ x }}").render(x=plain)
    assert markdown_html(plain) == autoescaped
    built = Markdown(md_text("x <y> `z` \\ |") + " " + md_code("a`b"))
    assert markdown_html(built) == "x &lt;y&gt; `z` \\ | <code>a`b</code>"
