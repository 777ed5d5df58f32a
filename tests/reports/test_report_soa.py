"""The Statement of Applicability grouped as the catalogue is (A.6 by its two
objectives), each control's last review, and evidence links that open from wherever
the reports are written."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from report_fixtures import AS_OF, Page, repository_files, write_repository

from aimsctl.catalog import annex_a, annex_a_areas, objective_id
from aimsctl.reports import NAMES
from conftest import CliResult

Cli = Callable[..., CliResult]
A61 = ("A.6.1", "Management guidance for AI system development")
A62 = ("A.6.2", "AI system life cycle")


def test_the_catalogue_gives_a6_its_two_objectives_and_no_other_area_more_than_one() -> None:
    areas = {area.id: area for area in annex_a_areas()}
    a6 = areas["A.6"]
    assert [(o.id, o.title) for o in a6.objectives] == [A61, A62]
    assert [[c.id for c in o.controls] for o in a6.objectives] == [
        ["A.6.1.2", "A.6.1.3"],
        ["A.6.2.2", "A.6.2.3", "A.6.2.4", "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8"],
    ]
    assert [c for o in a6.objectives for c in o.controls] == list(a6.controls)
    assert [area.id for area in annex_a_areas() if area.objectives] == ["A.6"]
    # 10 objectives in all: A.6's two and one per other area, read from the ids.
    assert len({objective_id(control_id) for control_id in annex_a()}) == 10
    assert (objective_id("A.6.2.4"), objective_id("A.2.3")) == ("A.6.2", "A.2.1")


@pytest.fixture
def reports(tmp_path: Path, cli: Cli) -> dict[str, str]:
    root = write_repository(tmp_path / "repo")
    texts: dict[str, str] = {}
    for fmt in ("md", "html"):
        out = root / "reports"
        result = cli("report", "soa", root, "-f", fmt, "-o", out, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        texts[fmt] = (out / f"soa.{fmt}").read_text(encoding="utf-8")
    return texts


def test_markdown_soa_shows_a6_controls_under_their_objectives(reports: dict[str, str]) -> None:
    text = reports["md"]
    a6 = text[text.index("## A.6 AI system life cycle") : text.index("## A.7 ")]
    first, second = f"### {A61[0]} {A61[1]}\n", f"### {A62[0]} {A62[1]}\n"
    assert a6.index(first) < a6.index("| A.6.1.3 ") < a6.index(second) < a6.index("| A.6.2.2 ")
    assert a6.count("| Control |") == 2  # a table under each objective
    assert text.count("\n### ") == 2  # no other area has sub-headings


def test_html_soa_shows_a6_controls_under_their_objectives(reports: dict[str, str]) -> None:
    text = reports["html"]
    sections = re.findall(
        r'<section class="objective" aria-labelledby="objective-(A_6_\d)">\n'
        r'<h3 id="objective-A_6_\d">([^<]*)</h3>(.*?)</section>',
        text,
        re.S,
    )
    assert [(key, title) for key, title, _ in sections] == [
        ("A_6_1", " ".join(A61)),
        ("A_6_2", " ".join(A62)),
    ]
    rows = [re.findall(r'data-control="([^"]+)"', body) for _, _, body in sections]
    a6 = next(area for area in annex_a_areas() if area.id == "A.6")
    assert rows == [[c.id for c in o.controls] for o in a6.objectives]
    page = Page(text)
    assert page.annex_rows() == list(annex_a())  # still every control, in catalogue order
    assert {"objective-A_6_1", "objective-A_6_2"} <= page.ids


def test_each_control_row_shows_its_last_review(reports: dict[str, str]) -> None:
    md = reports["md"].splitlines()
    row = next(line for line in md if line.startswith("| A.5.4 "))
    assert "| responsible-ai@golden.example | 2026-09-30 |" in row
    row = next(line for line in md if line.startswith("| A.10.4 "))  # an exclusion, reviewed
    assert "| 2026-10-01 |" in row
    row = next(line for line in md if line.startswith("| A.6.2.7 "))
    assert "| never reviewed |" in row
    row = next(line for line in md if line.startswith("| ORG-1 "))
    assert "| never reviewed |" in row
    html = reports["html"]
    row_of = {
        control: body
        for control, body in re.findall(
            r'<tr id="c-[^"]+" [^>]*data-control="([^"]+)">(.*?)</tr>', html, re.S
        )
    }
    assert '<td class="date">2026-09-30</td>' in row_of["A.5.4"]
    assert '<td class="date"><span class="muted">never reviewed</span></td>' in row_of["A.6.2.7"]
    assert len(row_of) == 39  # 38 Annex A controls and ORG-1, each with its review cell


# --- evidence and documentation links, from every report and any --out ----------------

_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HREF = re.compile(r'href="([^"]+)"')


def _file_links(text: str, fmt: str) -> list[str]:
    """The links of a report to files (not to other reports, anchors or the web)."""
    found = (_MD_LINK if fmt == "md" else _HREF).findall(text)
    return [
        link
        for link in found
        if not link.startswith(("#", "http://", "https://"))
        and not re.fullmatch(rf"(index|{'|'.join(NAMES)})\.(md|html)(#.*)?", link)
    ]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("out", ["reports", "audit/2026/q4", "."])
def test_evidence_links_open_the_file_from_every_report_and_out_folder(
    tmp_path: Path, cli: Cli, fmt: str, out: str
) -> None:
    root = write_repository(tmp_path / "repo")
    folder = root / out
    result = cli("report", "all", root, "-f", fmt, "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    seen: dict[str, set[str]] = {}
    for report in folder.glob(f"*.{fmt}"):
        for link in _file_links(report.read_text(encoding="utf-8"), fmt):
            target = (report.parent / unquote(link)).resolve()
            assert target.is_file(), (report.name, link)
            seen.setdefault(report.stem, set()).add(target.relative_to(root.resolve()).as_posix())
    # The readiness report links every record file it cites, and the evidence.
    readiness = seen.pop("readiness")
    assert {"aims.yaml", "evidence/bias-review.md", "controls/annex-a.yaml"} <= readiness
    assert seen == {
        "soa": {"evidence/bias-review.md", "docs/hire.md"},
        "systems": {"docs/hire.md"},
        "management": {
            "evidence/audit-2026.md",
            "evidence/policy.md",
            "evidence/review-minutes.md",
        },
        "monitoring": {"evidence/hire-review.csv", "evidence/monitoring/hire-ratio.csv"},
    }


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_outside_the_repository_paths_stay_text(tmp_path: Path, cli: Cli, fmt: str) -> None:
    root = write_repository(tmp_path / "repo")
    out = tmp_path / "elsewhere" / "deep"
    result = cli("report", "all", root, "-f", fmt, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for report in out.glob(f"*.{fmt}"):
        text = report.read_text(encoding="utf-8")
        assert _file_links(text, fmt) == [], report.name
    assert "evidence/bias-review.md" in (out / f"soa.{fmt}").read_text(encoding="utf-8")


# --- the status column agrees with `aimsctl controls` ---------------------------------


def test_a_status_left_on_an_excluded_or_undecided_control_is_not_shown_as_its_status(
    example_copy: Path, cli: Cli
) -> None:
    """A control excluded (A.2.3) or still a placeholder (A.2.4) that keeps
    `status: implemented` from before: `aimsctl controls` and the OSCAL export call it
    excluded and undecided; the Markdown SoA said 'implemented' in its Status column."""
    AS = "2026-11-26"
    path = example_copy / "controls" / "annex-a.yaml"
    text = path.read_text(encoding="utf-8")
    a23 = text.index("id: A.2.3\n")
    text = text[:a23] + text[a23:].replace("applicable: true", "applicable: false", 1)
    a24 = text.index("id: A.2.4\n")
    text = text[:a24] + text[a24:].replace("justification: >-", "justification: >-\n  TODO:", 1)
    path.write_text(text, encoding="utf-8")
    listed = cli("controls", example_copy, "-f", "json", "--as-of", AS)
    state = {c["id"]: c["state"] for c in json.loads(listed.stdout)["controls"]}
    assert state["A.2.3"] == "excluded"
    assert state["A.2.4"].startswith("undecided")
    rows: dict[str, dict[str, str]] = {"md": {}, "html": {}}
    for fmt in rows:
        result = cli("report", "soa", example_copy, "-f", fmt, "-o", "-", "--force", "--as-of", AS)
        assert result.exit_code == 0, result.stderr
        if fmt == "md":
            for line in result.stdout.splitlines():
                cells = [cell.strip() for cell in line.strip("|").split(" | ")]
                if len(cells) == 10 and cells[0].split(" ")[0] in ("A.2.2", "A.2.3", "A.2.4"):
                    rows[fmt][cells[0].split(" ")[0]] = cells[3]
        else:
            for control, body in re.findall(
                r'data-control="(A\.2\.[234])">(.*?)</tr>', result.stdout, re.S
            ):
                status_cell = re.findall(r"<td>(.*?)</td>", body, re.S)[2]
                rows[fmt][control] = "—" if status_cell.startswith('<span class="muted">—') else "?"
    assert rows["md"] == {"A.2.2": "implemented", "A.2.3": "—", "A.2.4": "—"}
    assert rows["html"]["A.2.3"] == rows["html"]["A.2.4"] == "—"


# --- the waivers table agrees with the engine ------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_waiver_approved_by_a_placeholder_is_shown_as_not_in_force(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    """A waiver `approved_by: "TODO: ..."` waives nothing in validate (the engine reports
    the findings it names), yet the SoA's table of waivers listed it like any other, its
    placeholder in the Approved by column, as an exception in force until it expires."""
    files = repository_files()
    waiver = (
        "kind: Waiver\nid: {id}\ntitle: Evidence to follow\nrule: AIMS503\n"
        "records: [ORG-1]\njustification: The evidence is on its way.\n"
        "approved_by: {by}\nexpires: 2027-01-31\n"
    )
    files["waivers/w.yaml"] = "---\n".join(
        [
            waiver.format(id="W-OK", by="ciso@golden.example"),
            waiver.format(id="W-TODO", by='"TODO: who approves"'),
        ]
    )
    root = write_repository(tmp_path / "repo", files)
    result = cli("report", "soa", root, "-f", fmt, "-o", "-", "--force", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if fmt == "md":
        rows = {
            line.split(" ")[1]: line.replace("\\_", "_")  # Markdown escapes approved_by's _
            for line in text.splitlines()
            if line.startswith("| W-")
        }
    else:
        rows = {
            w: " ".join(re.sub(r"<[^>]+>", " ", row).split())
            for w, row in re.findall(r'<tr><th scope="row">(W-\S+) (.*?)</tr>', text, re.S)
        }
    assert set(rows) == {"W-OK", "W-TODO"}
    note = (
        "not in force: W-TODO names a placeholder (TODO:) as approved_by, so it does not "
        "count as approved"
    )
    assert note in rows["W-TODO"]
    assert "not in force" not in rows["W-OK"]


# --- evidence nobody can inspect is said so --------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_evidence_file_that_does_not_exist_is_said_so_beside_it(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    """A.5.4 lists evidence/bias-review.md, which is not in the repository (AIMS206). The
    SoA listed "evidence/bias-review.md: 2026 bias review (2026-04-15)" as if an auditor
    could open it, while the readiness report counted it as no evidence. The SoA now
    says beside it why nobody can inspect it; a file that exists is listed as before."""
    files = repository_files()
    del files["evidence/bias-review.md"]
    root = write_repository(tmp_path / "repo", files)
    result = cli("report", "soa", root, "-f", fmt, "-o", "-", "--force", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = html.unescape(re.sub(r"<[^>]+>", "", result.stdout))  # the words, either format
    said = (
        "evidence/bias-review.md: 2026 bias review (2026-04-15) (cannot be inspected: "
        "path 'evidence/bias-review.md' does not exist in the repository)"
    )
    assert said in text.replace("\\", "")
    assert "docs/hire.md" in text and "docs/hire.md (cannot" not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_statement_itself_given_as_evidence_is_said_not_to_count(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    # Readiness and AIMS503 do not count the SoA's own file as evidence; the SoA listed
    # it as any other.
    files = repository_files()
    files["controls/annex-a.yaml"] = str(files["controls/annex-a.yaml"]).replace(
        "path: evidence/bias-review.md", "path: controls/annex-a.yaml"
    )
    root = write_repository(tmp_path / "repo", files)
    result = cli("report", "soa", root, "-f", fmt, "-o", "-", "--force", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = html.unescape(re.sub(r"<[^>]+>", "", result.stdout)).replace("\\", "")
    assert (
        "controls/annex-a.yaml: 2026 bias review (2026-04-15) (not counted as evidence: "
        "'controls/annex-a.yaml' is a file of Control records"
    ) in text


# --- the risks a control treats agree with AIMS205 -------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_risk_a_control_does_not_apply_to_is_not_listed_as_treated(
    example_copy: Path, cli: Cli, fmt: str
) -> None:
    """A.9.4 scoped to SYS-HIRE while R-007, a SYS-CREDIT risk, names it: AIMS205 and
    the systems report say it does not treat R-007, yet the SoA's "Risks treated"
    listed R-007 (critical) beside an implemented control. It is named apart, with
    the rule's reason; R-002 (SYS-HIRE) is still treated."""
    AS = "2026-11-26"
    path = example_copy / "controls" / "annex-a.yaml"
    text = path.read_text(encoding="utf-8")
    a94 = text.index("id: A.9.4\n")
    text = text[:a94] + text[a94:].replace(
        "applicable: true", "applicable: true\nsystems: [SYS-HIRE]", 1
    )
    path.write_text(text, encoding="utf-8")
    found = json.loads(cli("validate", example_copy, "-f", "json", "--as-of", AS).stdout)
    assert ("AIMS205", "R-007") in {(d["code"], d["record"]) for d in found["diagnostics"]}
    result = cli("report", "soa", example_copy, "-f", fmt, "-o", "-", "--force", "--as-of", AS)
    assert result.exit_code == 0, result.stderr
    if fmt == "md":
        [row] = [line for line in result.stdout.splitlines() if line.startswith("| A.9.4 ")]
        risks = row.strip("|").split(" | ")[8]
    else:
        [row] = re.findall(r'data-control="A\.9\.4">(.*?)</tr>', result.stdout, re.S)
        [cell] = [c for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) if "R-002" in c]
        risks = " ".join(re.sub(r"<[^>]+>", " ", cell).split())
    treated, relied = risks.split("; ", 1) if fmt == "md" else risks.split(" the treatment", 1)
    assert "R-002" in treated and "R-007" not in treated
    assert "R-007" in relied and "leaves out SYS-CREDIT" in relied and relied.endswith("(AIMS205)")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_waiver_failing_validation_is_named_not_read_as_no_waiver(
    example_copy: Path, cli: Cli, fmt: str
) -> None:
    """WVR-1 with `expires: soon` fails validation and waives nothing; the SoA said
    "No waivers are recorded." under --force, as if none were on record."""
    path = example_copy / "waivers" / "WVR-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^expires: .*$", "expires: soon", text), encoding="utf-8")
    result = cli(
        "report", "soa", example_copy, "-f", fmt, "-o", "-", "--force", "--as-of", "2026-11-26"
    )
    assert result.exit_code == 0, result.stderr
    page = " ".join((Page(result.stdout).text if fmt == "html" else result.stdout).split())
    assert "No waivers are recorded" not in page
    assert "WVR-1 fails validation, so it waives nothing and is not listed." in page
