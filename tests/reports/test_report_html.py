"""HTML reports, read with html.parser: structure, self-containment, links, colours."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from report_fixtures import AS_OF, Page, repository_files, write_repository

from aimsctl.catalog import annex_a
from aimsctl.reports import NAMES, Provenance, render_reports
from aimsctl.repository import load_repository
from conftest import CliResult
from factory import flow, levels, monitor, risk, system, yaml_of

Cli = Callable[..., CliResult]
# Every report `report all` writes, and its index: the checks below hold for each.
REPORT_FILES = (*NAMES, "index")
# The only web links a report may hold: the records' own evidence and documentation.
USER_URLS = {"https://audits.golden.example/2026", "https://jobs.golden.example/ai-notice"}


@pytest.fixture
def rendered(tmp_path: Path, cli: Cli) -> tuple[Path, dict[str, Page], dict[str, str]]:
    root = write_repository(tmp_path / "repo")
    out = root / "reports"
    result = cli("report", "all", root, "--format", "html", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.html" for n in REPORT_FILES)
    texts = {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in REPORT_FILES}
    return out, {name: Page(text) for name, text in texts.items()}, texts


def test_soa_has_one_row_per_annex_a_control_in_catalogue_order(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
) -> None:
    _, pages, _ = rendered
    rows = pages["soa"].annex_rows()
    assert rows == list(annex_a())
    assert len(rows) == 38
    organization = [
        a["data-control"] for a in pages["soa"].find("tr") if a.get("data-control") == "ORG-1"
    ]
    assert organization == ["ORG-1"]


def test_soa_of_the_bundled_example_has_38_annex_rows(example_copy: Path, cli: Cli) -> None:
    out = example_copy / "reports"
    result = cli("report", "soa", example_copy, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert len(Page((out / "soa.html").read_text(encoding="utf-8")).annex_rows()) == 38


def test_reports_are_self_contained(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
) -> None:
    _, pages, texts = rendered
    for name, page in pages.items():
        text = texts[name]
        assert not page.find("script"), name
        assert not page.find("link"), name  # no external stylesheets
        assert not page.find("iframe") and not page.find("img"), name
        assert all("src" not in attrs for _, attrs in page.tags), name
        assert not re.search(r"\son[a-z]+\s*=", text), name  # no event handlers
        css = "".join(page.styles)
        assert "@media print" in css, name
        assert "url(" not in css and "@import" not in css and "@font-face" not in css, name
        for href in page.hrefs():
            if urlsplit(href).scheme:
                assert href in USER_URLS, (name, href)
        assert len(page.find("style")) == 1, name


def test_every_link_resolves(rendered: tuple[Path, dict[str, Page], dict[str, str]]) -> None:
    out, pages, _ = rendered
    checked = 0
    for name, page in pages.items():
        for href in page.hrefs():
            if href in USER_URLS:
                continue
            target, _, fragment = href.partition("#")
            if not target:
                assert fragment in page.ids, (name, href)
            else:
                path = (out / unquote(target)).resolve()
                assert path.is_file(), (name, href)
                if fragment and path.suffix == ".html":
                    assert fragment in Page(path.read_text(encoding="utf-8")).ids, (name, href)
            checked += 1
    assert checked > 20
    # Evidence inside the repository is linked relative to --out.
    assert "../evidence/bias-review.md" in pages["soa"].hrefs()
    assert "../docs/hire.md" in pages["systems"].hrefs()


def test_tables_have_captions_and_scoped_headers(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
) -> None:
    _, pages, texts = rendered
    for name, page in pages.items():
        tables = texts[name].count("<table")
        assert tables, name
        assert texts[name].count("<caption") == tables, name
        headers = page.find("th")
        assert headers and all(h.get("scope") in ("col", "row") for h in headers), name
        assert len(page.find("h1")) == 1, name
        assert page.find("html")[0].get("lang") == "en", name


def test_provenance_in_every_report(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
) -> None:
    _, pages, _ = rendered
    for name, page in pages.items():
        text = page.text
        assert "Organization Golden Test Org" in text, name
        assert "AIMS scope The two AI systems of the report tests" in text, name
        assert "Git commit not a git repository" in text, name
        assert "As of 2026-11-26" in text, name


def test_band_colours_are_the_same_in_every_report(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
) -> None:
    _, pages, texts = rendered
    rules = {
        name: re.findall(
            r"\.band-\d \{ background: #[0-9a-f]{6}; color: #[0-9a-f]{6}; \}", "".join(page.styles)
        )
        for name, page in pages.items()
    }
    assert len(rules["soa"]) == 4
    assert all(found == rules["soa"] for found in rules.values())
    # The same band gets the same class wherever it appears.
    for name in ("risks", "inventory", "systems", "impact"):
        for band, css in re.findall(r'<span class="band (band-\d)">(\w+)</span>', texts[name]):
            assert {"band-0": "low", "band-1": "medium", "band-2": "high", "band-3": "critical"}[
                band
            ] == css, name


def test_heatmap_cells_come_from_the_scoring_engine(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
    tmp_path: Path,
) -> None:
    _, pages, texts = rendered
    repo = load_repository(tmp_path / "repo", date.fromisoformat(AS_OF))
    classes = {name: f"band-{rank}" for rank, name in enumerate(repo.scorer.bands)}
    cells = re.findall(
        r'<g class="cell" data-likelihood="(\d)" data-severity="(\d)" data-count="(\d+)">'
        r'\n<title>[^<]*</title>\n<rect class="cell (band-\d)"',
        texts["risks"],
    )
    assert len(cells) == 2 * 25
    for likelihood, severity, _, css in cells:
        assert css == classes[repo.scorer.band(int(likelihood), int(severity))]
    inherent, current = cells[:25], cells[25:]
    assert sum(int(c[2]) for c in inherent) == 2  # R-3 is closed
    placed = {(c[0], c[1]) for c in current if c[2] != "0"}
    scores = repo.risk_scores
    assert placed == {
        (str(scores[r].current.likelihood), str(scores[r].current.severity)) for r in ("R-1", "R-2")
    }
    # Axis labels come from the configured scale.
    svg_text = pages["risks"].text
    for label in (*repo.scorer.likelihood.labels, *repo.scorer.severity.labels):
        assert label in svg_text


def test_every_heatmap_cell_names_its_band_in_words(
    rendered: tuple[Path, dict[str, Page], dict[str, str]],
) -> None:
    """An occupied cell gave its band by its fill alone (the name only in a tooltip,
    which print drops): each cell now writes the band's name, inside the cell."""
    _, _, texts = rendered
    cells = re.findall(
        r'<g class="cell" [^>]*data-count="(\d+)">\n'
        r"<title>[^<]*, ([\w-]+): \d+ risks?[^<]*</title>\n"
        r'<rect class="cell ([\w-]+)" x="\d+" y="(\d+)" width="(\d+)" height="(\d+)"></rect>\n'
        r"(.*?)</g>",
        texts["risks"],
        re.S,
    )
    assert len(cells) == 50
    occupied = 0
    for count, band, css, top, width, height, body in cells:
        if count == "0":
            named = re.findall(rf'<text class="ids empty on-{css}" [^>]*>([^<]*)</text>', body)
        else:
            occupied += 1
            named = re.findall(
                rf'<text class="band-name on-{css}" [^>]*y="(\d+)"[^>]*>([^<]*)</text>', body
            )
            assert len(named) == 1, body
            y, named = named[0][0], [named[0][1]]
            assert int(top) < int(y) < int(top) + int(height)
            assert len(band) * 6 + 14 <= int(width)
        assert named == [band], body
    assert occupied >= 2  # the open risks, in the inherent and the current heatmap


def test_missing_annex_control_is_a_missing_row(tmp_path: Path, cli: Cli) -> None:
    root = write_repository(tmp_path / "repo", repository_files(omit=("A.7.4",)))
    out = tmp_path / "out"
    result = cli("report", "soa", root, "-f", "html", "-o", out, "--as-of", AS_OF, "--force")
    assert result.exit_code == 0, result.stderr
    page = Page((out / "soa.html").read_text(encoding="utf-8"))
    assert len(page.annex_rows()) == 38
    row = next(a for a in page.find("tr") if a.get("data-control") == "A.7.4")
    assert "state-missing" in str(row["class"])
    assert "No Control record decides this control." in page.text


def test_evidence_is_not_linked_when_out_is_outside_the_repository(
    tmp_path: Path,
    cli: Cli,
) -> None:
    root = write_repository(tmp_path / "repo")
    out = tmp_path / "elsewhere"
    result = cli("report", "soa", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (out / "soa.html").read_text(encoding="utf-8")
    assert "<code>evidence/bias-review.md</code>" in text
    assert 'bias-review.md"' not in text  # no href to it
    assert '<a href="https://audits.golden.example/2026">' in text


def test_heatmap_cells_write_out_every_id(tmp_path: Path) -> None:
    """However many risks share a cell, and however long their ids, each id is written
    in the cell (no "+N" that print would lose), inside the cell's bounds."""
    crowd = [f"R-C{n}" for n in range(1, 10)] + ["R-HIRE-2026-LONGEST-ID"]
    files = repository_files()
    files["risks/crowd.yaml"] = yaml_of(
        [risk(r, systems=["SYS-HIRE"], inherent={"likelihood": 5, "severity": 5}) for r in crowd]
    )
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    html = render_reports(repo, ["risks"], "html", Provenance("O", "", day, "c"))["risks.html"]
    cells = re.findall(
        r'<g class="cell" [^>]*data-count="(\d+)">\n<title>[^<]*</title>\n'
        r'<rect class="cell [^"]*" x="\d+" y="(\d+)" width="(\d+)" height="(\d+)"></rect>\n'
        r"(.*?)</g>",
        html,
        re.S,
    )
    assert len(cells) == 50
    crowded = 0
    for count, top, width, height, body in cells:
        if count == "0":
            continue
        lines = re.findall(r'<text class="ids" [^>]*y="(\d+)"[^>]*>([^<]*)</text>', body)
        ids = [i.strip() for _, line in lines for i in line.split(",") if i.strip()]
        assert len(ids) == int(count)  # every id, none elided
        for y, line in lines:  # each line inside its cell: across, and down
            assert len(line) * 6 + 14 <= int(width), line
            assert int(top) < int(y) < int(top) + int(height), line
        crowded += set(crowd) <= set(ids)
    assert crowded == 2  # the inherent and the current heatmap
    assert not re.search(r'<text class="ids"[^>]*>[^<]*\+\d', html)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_risk_summary_says_its_appetite_counts_are_of_open_risks(
    fmt: str, example_copy: Path
) -> None:
    # The example's R-020 closed with its treatment never carried out is above appetite
    # and not accepted, as its row and `risk score` say ("7 above (6 accepted)"); the
    # summary counts open risks only, as the band counts beside it do, but said "Above
    # appetite: 6, of which not accepted: 0", which the row of R-020 contradicted.
    from conftest import closed_untreated_r020

    (example_copy / "risks/R-020.yaml").write_text(closed_untreated_r020(), encoding="utf-8")
    day = date.fromisoformat(AS_OF)
    repo = load_repository(example_copy, day)
    provenance = Provenance("Org", "Scope", day, "c")
    text = render_reports(repo, ["risks"], fmt, provenance)[f"risks.{fmt}"]
    if fmt == "md":
        assert "- **Open risks above appetite:** 6, of which not accepted: 0\n" in text
        assert "R-020" in text and "| closed |" in text
    else:
        assert "open, above appetite and not accepted (6 open above appetite)" in text


def _register_of_acceptances(
    cli: Cli, tmp_path: Path, fmt: str, signers: dict[str, str]
) -> tuple[Path, str]:
    """The risks report (forced) of the fixture repository plus one high risk of SYS-HIRE
    per id in ``signers``, each accepted by its signer: the repository and the text."""
    acceptance = {"on": "2026-10-01", "rationale": "Manual.", "expires": "2027-03-31"}
    files = repository_files()
    files["risks/accepted.yaml"] = yaml_of(
        [
            risk(
                id, systems=["SYS-HIRE"], inherent=levels(4, 4), acceptance=acceptance | {"by": by}
            )
            for id, by in signers.items()
        ]
    )
    root = write_repository(tmp_path / "repo", files)
    out = root / "reports"
    args = ("report", "risks", root, "--format", fmt, "--out", out, "--as-of", AS_OF)
    result = cli(*args, "--force")
    assert result.exit_code == 0, result.stderr
    return root, (out / f"risks.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_acceptance_signed_by_a_placeholder_is_named_as_such_in_the_register(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    """An acceptance `by: "TODO: who accepts"` read "not accepted: TODO: who accepts may
    not accept it (not designated management)", as if someone named TODO: had signed and
    been refused. It names the placeholder, as `due` does, not AIMS305's reason for a
    real person (holds no Role)."""
    # AIMS107 and AIMS305 refuse both, so only a forced draft renders them.
    _, text = _register_of_acceptances(
        cli, tmp_path, fmt, {"R-8": "TODO: who accepts", "R-9": "intern@golden.example"}
    )
    assert (
        "above appetite; R-8 names a placeholder (TODO:) as acceptance.by, so it does not "
        "count as accepted"
    ) in text
    assert "TODO: who accepts may not accept it" not in text
    assert "holds no Role" not in text.split("R-8", 1)[1].split("R-9", 1)[0]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_acceptance_aims305_refuses_gives_aims305s_reason_in_the_register(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    """An acceptance by someone not designated read "not accepted: intern@... may not
    accept it (not designated management)", whether they hold no Role at all or hold
    one with no authority over the risk, while `validate` (AIMS305) and `risk show` say
    which. The register now gives AIMS305's own reason, from the one function that
    words it (records.role.acceptance_refused)."""
    # AIMS305 refuses both, so only a forced draft renders them.
    root, text = _register_of_acceptances(
        cli, tmp_path, fmt, {"R-9": "intern@golden.example", "R-10": "audit@golden.example"}
    )
    if fmt == "html":
        text = text.replace("&#39;", "'")
    assert "(not designated management)" not in text
    assert (
        "above appetite; not accepted: 'intern@golden.example' holds no Role (neither a "
        "Role id nor a holder); where Roles are recorded, residual risk is accepted by "
        "designated management (6.1.3)"
    ) in text
    assert (
        "above appetite; not accepted: 'audit@golden.example' is neither top management "
        "nor accountable for R-10, its systems or risks; an acceptance comes from "
        "designated management (e.g. chief-executive)"
    ) in text
    validated = cli("validate", root, "--as-of", AS_OF)
    assert "'audit@golden.example' is neither top management nor accountable for R-10" in (
        validated.stdout
    )


def test_html_id_of_two_ids_is_never_the_same() -> None:
    from aimsctl.text import html_id

    ids = ["R.1", "R_1", "R..1", "R__1", "R._1", "R_.1", "R.-1", "R_-1", "R-_1", "R--1"]
    assert len({html_id("r", i) for i in ids}) == len(ids)
    assert html_id("c", "A.6.2.4") == "c-A_6_2_4"  # ids without '_' as before
    assert html_id("r", "R_1") == "r--R__1"


def test_records_whose_ids_differ_in_a_dot_or_underscore_have_their_own_anchors(
    tmp_path: Path, cli: Cli
) -> None:
    # R.1 and R_1 were both r-R_1: a link to one landed on the other.
    files = repository_files()
    files["risks/pair.yaml"] = yaml_of(
        [risk(r, title=f"Risk {r}", systems=["SYS-HIRE"]) for r in ("R.1", "R_1")]
    )
    root = write_repository(tmp_path / "repo", files)
    out = root / "reports"
    result = cli("report", "all", root, "--format", "html", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for report in out.glob("*.html"):
        ids = re.findall(r' id="([^"]*)"', report.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), report.name
    risks = (out / "risks.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr id="([^"]*)" class="risk" data-risk="(R[._]1)"', risks))
    assert sorted(rows.values()) == ["R.1", "R_1"]


def test_parts_of_a_record_have_ids_no_record_can_have(tmp_path: Path, cli: Cli) -> None:
    # SYS-HIRE's parts were s-SYS-HIRE-users and s-SYS-HIRE-internal, and a monitor's
    # trend chart m-<id>-spark-title: the anchors of SYS-HIRE-users, SYS-HIRE-internal
    # and a monitor <id>-spark-title, which the page then held twice.
    files = repository_files()
    files["systems/more.yaml"] = yaml_of(
        [system(s) for s in ("SYS-HIRE-users", "SYS-HIRE-internal")]
    )
    files["monitors/more.yaml"] = yaml_of(
        [
            monitor(
                f"MON-HIRE-QUEUE-spark-{part}",
                system="SYS-HIRE",
                observations=[flow({"on": "2026-11-25", "value": 0.9})],
            )
            for part in ("title", "desc")
        ]
    )
    root = write_repository(tmp_path / "repo", files)
    out = root / "reports"
    result = cli("report", "all", root, "--format", "html", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for report in out.glob("*.html"):
        ids = re.findall(r' id="([^"]*)"', report.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), report.name
    systems = (out / "systems.html").read_text(encoding="utf-8")
    assert 'aria-labelledby="s-SYS-HIRE users-s-SYS-HIRE"' in systems
    assert '<h3 id="users-s-SYS-HIRE">' in systems


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_risk_register_says_which_severities_a_floor_raises(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    """With `severity_floor: [{severity: Severe, min_band: high}]`, a Rare x Severe risk
    (score 5) is high, but the register's legend gave only the score ranges: "medium
    5-9, within appetite", which its own row (high, above appetite) contradicted. The
    legend now names the floor, as the scoring engine applies it."""
    files = repository_files()
    config = str(files["aims.yaml"])
    files["aims.yaml"] = config.replace(
        "  vulnerable_uplift: 1\n",
        "  vulnerable_uplift: 1\n  severity_floor:\n    - {severity: Severe, min_band: high}\n",
    )
    files["risks/rare.yaml"] = yaml_of(
        risk("R-9", systems=["SYS-HIRE"], inherent=levels(1, 5), status="monitoring")
    )
    root = write_repository(tmp_path / "repo", files)
    out = root / "reports"
    args = ("report", "risks", root, "--format", fmt, "--out", out, "--as-of", AS_OF)
    result = cli(*args, "--force")
    assert result.exit_code == 0, result.stderr
    text = (out / f"risks.{fmt}").read_text(encoding="utf-8")
    assert (
        "a risk whose severity (with any uplift) reaches Severe (5) is at least high, "
        "however unlikely"
    ) in text
    plain = write_repository(tmp_path / "plain")
    result = cli("report", "risks", plain, "-f", fmt, "-o", out, "--as-of", AS_OF, "--force")
    assert result.exit_code == 0, result.stderr
    assert "however unlikely" not in (out / f"risks.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_risk_register_says_what_the_vulnerable_uplift_added_to_each_position(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    """With `vulnerable_uplift: 1`, a risk at Severe 5 (the top) inherent and Major 4
    residual has its residual raised to 5 but its inherent not: the register said only
    "(affects vulnerable people)", as if nothing had been added, while `risk show` said
    "+1 for vulnerable groups = 5" of the residual. Each position now says what it got,
    in risk show's words."""
    files = repository_files()
    done = {"option": "mitigate", "completed": "2026-10-01"}
    for risk_id, inherent, residual in (
        ("R-7", levels(4, 5), levels(3, 4)),  # inherent capped, residual raised
        ("R-8", levels(4, 5), levels(2, 5)),  # both already at the top
        ("R-9", levels(2, 4), None),  # raised, no residual
    ):
        fields = {"residual": residual, "treatment": done} if residual else {}
        files[f"risks/{risk_id}.yaml"] = yaml_of(
            risk(
                risk_id,
                systems=["SYS-HIRE"],
                affects_vulnerable=True,
                inherent=inherent,
                status="monitoring",
                **fields,
            )
        )
    root = write_repository(tmp_path / "repo", files)
    out = root / "reports"
    args = ("report", "risks", root, "--format", fmt, "--out", out, "--as-of", AS_OF)
    result = cli(*args, "--force")
    assert result.exit_code == 0, result.stderr
    text = (out / f"risks.{fmt}").read_text(encoding="utf-8")
    capped = "severity +0, uplift 1 capped at the top level 5"
    notes = {
        "R-7": f"inherent {capped}; residual severity +1",
        "R-8": capped,
        "R-9": "severity +1",
    }
    for risk_id, note in notes.items():
        start, said = (
            (f"| {risk_id} ", f"(affects vulnerable people: {note})")
            if fmt == "md"
            else (f'<th scope="row"><span class="id">{risk_id}</span>', f"people</strong> ({note})")
        )
        row = next(line for line in text.splitlines() if line.startswith(start))
        assert said in row, risk_id
    shown = cli("risk", "show", "R-7", root, "--as-of", AS_OF).stdout
    assert "+0 for vulnerable groups (uplift 1 capped at the top level 5) = 5" in shown
    assert '"Major" = 4, +1 for vulnerable groups = 5' in shown
