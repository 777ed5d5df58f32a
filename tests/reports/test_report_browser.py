"""The HTML reports in a real browser: headless Chromium, on screen and in print.

Skipped when Chromium (or, for the printed tests, pdftotext from poppler-utils) is
not installed, except in CI (``CI=true``), where a missing tool fails the run
instead of silently testing less.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import (
    AS_OF,
    LONG_SYSTEM_ID,
    Page,
    make_hostile,
    repository_files,
    write_repository,
)

from aimsctl.catalog import annex_a
from aimsctl.reports.common import bands_context
from aimsctl.reports.render import Renderer
from aimsctl.reports.risks import heatmap
from aimsctl.repository import load_repository
from conftest import CliResult
from factory import risk, yaml_of

Cli = Callable[..., CliResult]
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any name lookup fails: a page that tried to fetch from the network would break.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _required(found: str | None, message: str) -> str:
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def chromium() -> str:
    return _required(_chromium(), "headless Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def pdftotext() -> str:
    return _required(
        shutil.which("pdftotext"),
        "pdftotext is not installed (apt-get install poppler-utils)",
    )


# The browser is a consumer of our output, not code under test: it runs on the real
# clock even when the suite runs under faketime (its timers hang with libfaketime).
_CLOCK_SHIFT = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name not in _CLOCK_SHIFT}
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _console_problems(stderr: str) -> list[str]:
    """Console output of the page: our reports have no script, so any is a problem."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def _loaded(chromium: str, page: Path, tmp_path: Path) -> Page:
    """The page's DOM after Chromium loaded it, which it did with no console output."""
    done = _run(
        chromium,
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        page.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_problems(done.stderr) == []
    return Page(done.stdout)


@pytest.fixture
def soa_html(example_copy: Path, cli: Cli, tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    result = cli(
        "report", "soa", example_copy, "--format", "html", "--out", out, "--as-of", AS_OF, "--force"
    )
    assert result.exit_code == 0, result.stderr
    return out / "soa.html"


def test_rendered_dom_has_the_38_annex_a_rows(
    chromium: str,
    soa_html: Path,
    tmp_path: Path,
) -> None:
    done = _run(chromium, tmp_path / "profile", "--dump-dom", soa_html.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    page = Page(done.stdout)
    assert page.annex_rows() == list(annex_a())
    assert "Statement of Applicability" in page.text
    assert len(page.find("table")) >= 10


def test_no_console_errors(chromium: str, soa_html: Path, tmp_path: Path) -> None:
    _loaded(chromium, soa_html, tmp_path)  # asserts a clean load with no console output


def test_console_check_catches_a_broken_page(chromium: str, tmp_path: Path) -> None:
    """The check above can fail: a page with a script error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><p>x</p>"
        "<script>throw new Error('broken page')</script></body></html>",
        encoding="utf-8",
    )
    done = _run(
        chromium,
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        bad.as_uri(),
    )
    assert any("broken page" in line for line in _console_problems(done.stderr))


def test_screenshot(chromium: str, soa_html: Path, tmp_path: Path) -> None:
    shot = tmp_path / "soa.png"
    done = _run(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        "--hide-scrollbars",
        soa_html.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a rendered page of tables, not a blank image
    keep = os.environ.get("AIMSCTL_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "soa.png")


# --- in print: page numbers, and heatmaps that keep every id ---------------------------


def _printed_pages(chromium: str, pdftotext: str, page: Path, tmp_path: Path) -> list[str]:
    """The text of each page of ``page`` printed to PDF by Chromium, without the
    header and footer Chromium adds of its own (date, title, URL, page count)."""
    pdf = tmp_path / f"{page.stem}.pdf"
    done = _run(
        chromium,
        tmp_path / "profile",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    )
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


@pytest.fixture
def example_html(example_copy: Path, cli: Cli, tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    result = cli("report", "all", example_copy, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("report", ["soa", "systems", "management"])
def test_printed_pages_are_numbered_n_of_total(
    chromium: str, pdftotext: str, example_html: Path, tmp_path: Path, report: str
) -> None:
    pages = _printed_pages(chromium, pdftotext, example_html / f"{report}.html", tmp_path)
    total = len(pages)
    assert total > 2
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"(?<!\d){number} / {total}(?!\d)", text), (number, text[-300:])


def test_every_printed_page_says_which_document_it_is(
    chromium: str, pdftotext: str, tmp_path: Path, cli: Cli
) -> None:
    """The title, organization, as-of date and document id and version head every
    printed page, the second and later too; an organization name that holds a quote,
    a backslash and `</style>` shows as written (in CSS it is escaped: a closed style
    element would lose the page its stylesheet and show the rest as text)."""
    org = 'Acme "Q" </style><b>x</b> \\ \U0001d538 Ltd'
    files = repository_files()
    config = files["aims.yaml"]
    assert isinstance(config, str)
    files["aims.yaml"] = config.replace("organization: Golden Test Org", f"organization: '{org}'")
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "reports"
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    pages = _printed_pages(chromium, pdftotext, out / "soa.html", tmp_path)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        head = text.lstrip().splitlines()[0]
        assert f"Statement of Applicability: {org}" in head, (number, head)
        assert f"As of {AS_OF} \u00b7 GT-AIMS-004, version 2.1" in head, (number, head)


def test_page_numbers_come_from_the_report_stylesheet(
    chromium: str, pdftotext: str, tmp_path: Path
) -> None:
    """The check above can fail: a page without the reports' print stylesheet, printed
    the same way, carries no page numbers."""
    plain = tmp_path / "plain.html"
    plain.write_text(
        "<!DOCTYPE html><html><body>" + "<p>line</p>" * 200 + "</body></html>", encoding="utf-8"
    )
    pages = _printed_pages(chromium, pdftotext, plain, tmp_path)
    assert len(pages) > 1
    assert not any(re.search(r"\d+ / \d+", text) for text in pages)


def test_a_printed_heatmap_shows_every_id_of_a_crowded_cell(
    chromium: str, pdftotext: str, tmp_path: Path
) -> None:
    crowd = [f"R-C{n}" for n in range(1, 12)] + ["R-HIRE-2026-LONGEST-ID"]
    files = repository_files()
    files["risks/crowd.yaml"] = yaml_of(
        [risk(r, systems=["SYS-HIRE"], inherent={"likelihood": 5, "severity": 5}) for r in crowd]
    )
    repo = load_repository(write_repository(tmp_path / "repo", files), date.fromisoformat(AS_OF))
    renderer = Renderer()
    css = renderer.render("html/_style.css.j2", {"bands": bands_context(repo)})
    figure = renderer.render("html/_heatmap.html.j2", {"hm": heatmap(repo, residual=False)})
    page = tmp_path / "heatmap.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><style>{css}</style></head><body>{figure}</body></html>",
        encoding="utf-8",
    )
    [printed] = _printed_pages(chromium, pdftotext, page, tmp_path)
    words = set(re.findall(r"R-[A-Z0-9-]+", printed))
    assert set(crowd) <= words
    assert "+" not in printed


def test_monitoring_sparklines_render_without_console_errors(
    chromium: str, example_html: Path, tmp_path: Path
) -> None:
    page = example_html / "monitoring.html"
    dom = _loaded(chromium, page, tmp_path)
    assert len(dom.find("svg")) == 4 and len(dom.find("polyline")) == 4
    assert [a.get("class") for a in dom.find("circle")].count("spark-breach") == 2
    systems = Page((example_html / "systems.html").read_text(encoding="utf-8"))
    assert len(systems.find("svg")) == 4  # each monitor drawn once, in its system's section


def test_management_chart_and_coverage_grid_render_without_console_errors(
    chromium: str, example_html: Path, tmp_path: Path
) -> None:
    page = example_html / "management.html"
    dom = _loaded(chromium, page, tmp_path)
    roles = [a["data-role"] for a in dom.find("li") if "data-role" in a]
    assert len(roles) == len(set(roles)) == 29  # every role once in the chart
    assert len(dom.find("table")) == len(dom.find("caption"))
    cells = [a for a in dom.find("td") if "coverage" in str(a.get("class"))]
    assert len(cells) == (7 + 9) * 4
    assert "Every clause and every Annex A area that applies is covered" in dom.text


# --- accessibility: axe-core in Chromium, and what axe cannot see ----------------------

REPORTS = (
    "index",
    "soa",
    "inventory",
    "risks",
    "impact",
    "systems",
    "monitoring",
    "management",
    "readiness",
)
# axe runs after the page has loaded and writes its violations into the page, which
# --dump-dom then prints (--virtual-time-budget lets its promises settle first).
AXE_RUNNER = """<script>
axe.run(document, {resultTypes: ["violations"]}).then(function (found) {
  var out = document.createElement("pre");
  out.id = "axe-violations";
  out.textContent = JSON.stringify(found.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) {
      return n.target.join(" "); })};
  }));
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def axe_core() -> str:
    """axe.min.js of the npm package axe-core: .ci/run installs it (a pinned version)
    and names it in AIMSCTL_AXE_CORE."""
    named = os.environ.get("AIMSCTL_AXE_CORE")
    found = named if named and Path(named).is_file() else None
    path = _required(
        found,
        "axe-core is not installed: `npm install axe-core` and set AIMSCTL_AXE_CORE to "
        "node_modules/axe-core/axe.min.js",
    )
    return Path(path).read_text(encoding="utf-8")


def _axe(chromium: str, axe_core: str, html: str, tmp_path: Path) -> list[dict[str, object]]:
    """axe's violations on ``html`` in a window 800 px wide (tables scroll there)."""
    page = tmp_path / "axe.html"
    runner = f"<script>{axe_core}</script>{AXE_RUNNER}"
    assert "</body>" in html
    page.write_text(html.replace("</body>", runner + "</body>", 1), encoding="utf-8")
    done = _run(
        chromium,
        tmp_path / "profile",
        "--window-size=800,1000",
        "--virtual-time-budget=60000",
        "--dump-dom",
        page.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="axe-violations">(.*?)</pre>', done.stdout, re.S)
    assert found, "axe did not finish: " + done.stdout[-500:]
    violations: list[dict[str, object]] = json.loads(html_lib.unescape(found.group(1)))
    return violations


@pytest.mark.parametrize("report", REPORTS)
def test_axe_finds_no_violation(
    chromium: str, axe_core: str, example_html: Path, tmp_path: Path, report: str
) -> None:
    html = (example_html / f"{report}.html").read_text(encoding="utf-8")
    assert _axe(chromium, axe_core, html, tmp_path) == []


@pytest.mark.slow
def test_axe_finds_no_violation_with_hostile_titles_and_a_long_id(
    chromium: str, axe_core: str, example_copy: Path, cli: Cli, tmp_path: Path
) -> None:
    """Every report of the example with each title hostile (markup, bidi controls) and
    a system's id 80 characters long: loaded with no console output and no script, and
    clean for axe in a window 800 px wide."""
    out = tmp_path / "reports"
    root = make_hostile(example_copy)
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for report in REPORTS:
        page = out / f"{report}.html"
        dom = _loaded(chromium, page, tmp_path)
        assert not dom.find("script"), report
        html = page.read_text(encoding="utf-8")
        assert (report, _axe(chromium, axe_core, html, tmp_path)) == (report, [])
    assert LONG_SYSTEM_ID in (out / "inventory.html").read_text(encoding="utf-8")


def test_axe_catches_a_scroll_container_the_keyboard_cannot_reach(
    chromium: str, axe_core: str, example_html: Path, tmp_path: Path
) -> None:
    """The run above can fail: the SoA with its tables' wrappers made plain again."""
    html = (example_html / "soa.html").read_text(encoding="utf-8")
    plain = re.sub(r'<div class="table-wrap"[^>]*>', '<div class="table-wrap">', html)
    assert plain != html
    rules = {v["id"] for v in _axe(chromium, axe_core, plain, tmp_path)}
    assert "scrollable-region-focusable" in rules


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, two: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_scroll_container_is_focusable_and_named_uniquely(example_html: Path) -> None:
    """What axe checks only at the widths it runs: every table wrapper, in every report,
    is reachable by keyboard and named (its table's caption) uniquely on its page."""
    total = 0
    for report in REPORTS:
        page = Page((example_html / f"{report}.html").read_text(encoding="utf-8"))
        wraps = [a for a in page.find("div") if a.get("class") == "table-wrap"]
        total += len(wraps)
        labels = [a.get("aria-label") for a in wraps]
        assert all(a.get("tabindex") == "0" and a.get("role") == "region" for a in wraps)
        assert all(labels) and len(set(labels)) == len(labels), report
    assert total > 40


def test_empty_heatmap_cells_name_their_band_at_4_5_to_1(example_html: Path) -> None:
    """axe does not judge SVG text: the band named in an empty cell is drawn in the
    band's own text colour, whose contrast with the cell's fill is checked here."""
    html = (example_html / "risks.html").read_text(encoding="utf-8")
    fills = dict(re.findall(r"rect\.([\w-]+) \{ fill: (#[0-9a-fA-F]{6}); \}", html))
    texts = dict(re.findall(r"svg text\.on-([\w-]+) \{ fill: (#[0-9a-fA-F]{6}); \}", html))
    empty = re.findall(r'<text class="ids empty on-([\w-]+)"', html)
    assert empty, "the example has empty heatmap cells"
    named = re.findall(r'<text class="band-name on-([\w-]+)"', html)
    assert named, "the example has occupied heatmap cells, each naming its band"
    assert "fill-opacity" not in html
    for band in set(empty) | set(named):
        assert contrast(texts[band], fills[band]) >= 4.5, band


def test_the_contrast_check_can_fail() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") < 4.5


def test_every_element_id_is_a_css_identifier_as_written(example_html: Path) -> None:
    """`#c-A_6_2_4` selects a control's row as written: ids hold no dot (or anything else
    a CSS selector would need escaped), and each is used once on its page; every
    in-page link finds its target."""
    plain = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")
    for report in REPORTS:
        page = Page((example_html / f"{report}.html").read_text(encoding="utf-8"))
        ids = [str(a["id"]) for _tag, a in page.tags if a.get("id")]
        assert len(ids) == len(set(ids)), report
        assert [i for i in ids if not plain.fullmatch(i)] == [], report
        targets = [h[1:] for h in page.hrefs() if h.startswith("#")]
        assert set(targets) <= set(ids), (report, set(targets) - set(ids))
    soa = Page((example_html / "soa.html").read_text(encoding="utf-8"))
    assert "c-A_6_2_4" in soa.ids


def test_a_long_word_breaks_in_print_instead_of_running_off_the_page(
    chromium: str, pdftotext: str, tmp_path: Path, cli: Cli
) -> None:
    # An unbroken URL in a risk's title and description and in a system's contact ran
    # past the page's edge: the register's row and the system's list lost their end.
    url = "https://evidence.golden.example/" + "".join(f"part{n:03d}" for n in range(60)) + "END"
    files = repository_files()
    hire = files["systems/hire.yaml"]
    assert isinstance(hire, str) and "contact: talent-ai@golden.example\n" in hire
    files["systems/hire.yaml"] = hire.replace(
        "contact: talent-ai@golden.example\n", f"contact: {url}\n"
    )
    files["risks/long.yaml"] = yaml_of(
        [risk("R-LONG", title=f"Long {url}", description=f"See {url}", systems=["SYS-HIRE"])]
    )
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "reports"
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for name, shown in (("risks", 2), ("systems", 4)):
        pdf = tmp_path / f"{name}.pdf"
        done = _run(
            chromium,
            tmp_path / "profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (out / f"{name}.html").as_uri(),
        )
        assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
        # In reading order (not -layout) the last lines of a broken word follow each
        # other: its end is on the page, once for each place that shows it.
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        assert "".join(text.split()).count("part059END") == shown, name
