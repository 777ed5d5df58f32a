"""The testing and monitoring report: structure of the HTML, the sparklines, the
verdicts and deadlines it shows, and record text kept as text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, Page, repository_files, write_repository

from aimsctl.readiness import readiness
from aimsctl.records import Evaluation
from aimsctl.reports import Provenance, render_reports
from aimsctl.repository import load_repository
from aimsctl.text import natural_key
from conftest import EXAMPLE, CliResult
from factory import evaluation, levels, monitor, risk, system, yaml_of

Cli = Callable[..., CliResult]
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} a|b *x*"


def _render(root: Path, fmt: str) -> str:
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    provenance = Provenance("O", "", day, "c")
    return render_reports(repo, ["monitoring"], fmt, provenance)[f"monitoring.{fmt}"]


@pytest.fixture(scope="module")
def fixture_html(tmp_path_factory: pytest.TempPathFactory) -> Page:
    root = write_repository(tmp_path_factory.mktemp("monitoring"))
    return Page(_render(root, "html"))


@pytest.fixture(scope="module")
def example_pages() -> dict[str, str]:
    return {fmt: _render(EXAMPLE, fmt) for fmt in ("md", "html")}


def test_sections_and_records_are_all_there(fixture_html: Page) -> None:
    sections = [a.get("aria-labelledby") for a in fixture_html.find("section")]
    assert sections[:5] == ["summary", "due", "evaluations", "e-EVAL-HIRE-1", "e-EVAL-HIRE-2"]
    assert {"monitors", "incidents", "m-MON-HIRE-RATIO", "i-INC-1"} <= set(sections)
    assert [
        a["data-evaluation"] for a in fixture_html.find("section") if "data-evaluation" in a
    ] == [
        "EVAL-HIRE-1",
        "EVAL-HIRE-2",
    ]
    assert [a["data-monitor"] for a in fixture_html.find("section") if "data-monitor" in a] == [
        "MON-HIRE-QUEUE",
        "MON-HIRE-RATIO",
    ]
    # Every table says what it holds and every header cell its scope.
    assert len(fixture_html.find("caption")) == len(fixture_html.find("table"))
    assert all(a.get("scope") in ("col", "row") for a in fixture_html.find("th"))
    # Anchors point at sections that exist.
    anchors = [h[1:] for h in fixture_html.hrefs() if h.startswith("#")]
    assert anchors and set(anchors) <= fixture_html.ids


def test_metric_rows_carry_their_verdict(fixture_html: Page) -> None:
    verdicts = [a["class"] for a in fixture_html.find("tr") if "metric-" in str(a.get("class"))]
    assert verdicts == [
        "metric-pass",
        "metric-pass",
        "metric-informational",
        "metric-pass",
        "metric-fail",
    ]
    text = fixture_html.text
    assert (
        "Scoring-rate impact ratio Applicants with disabilities Résumés from screen readers "
        "still parse badly. fairness 0.76 ≥ 0.8 fail 0.9 worse"
    ) in text
    assert "R-1 Ranking repeats past hiring imbalances" in text


def test_each_monitor_has_a_sparkline_of_numbers_only(fixture_html: Page) -> None:
    svgs = fixture_html.find("svg")
    assert len(svgs) == 2 and all(a.get("role") == "img" for a in svgs)
    assert fixture_html.find("script") == [] and fixture_html.find("foreignobject") == []
    for polyline in fixture_html.find("polyline"):
        assert re.fullmatch(r"[0-9. ,]+", str(polyline["points"]))
    # Breaching observations are red dots: one in MON-HIRE-QUEUE, two in MON-HIRE-RATIO.
    breaches = [a for a in fixture_html.find("circle") if a.get("class") == "spark-breach"]
    assert len(breaches) == 3
    labels = [a for a in fixture_html.find("text") if a.get("class") == "spark-label"]
    assert len(labels) == 3  # min and max of the queue monitor, min of the ratio
    assert "min 0.01" in fixture_html.text and "max 0.3" in fixture_html.text


def _hire_monitor_edited(edits: dict[str, str]) -> dict[str, str | bytes]:
    """The fixture repository with each text of the hiring monitor's file (which must
    be there) replaced as ``edits`` says."""
    files = repository_files()
    monitors = files["monitors/hire.yaml"]
    assert isinstance(monitors, str)
    for old, new in edits.items():
        assert old in monitors, old
        monitors = monitors.replace(old, new)
    files["monitors/hire.yaml"] = monitors
    return files


def test_a_sparkline_of_one_observation_names_its_day_once(tmp_path: Path) -> None:
    # Its description read "1 observation from 2026-11-25 to 2026-11-25".
    files = _hire_monitor_edited(
        {
            "  - {on: 2026-09-30, value: 0.12}\n": "",
            "  - {on: 2026-10-31, value: 0.34, note: Told the recruiting leads.}\n": "",
        }
    )
    page = Page(_render(write_repository(tmp_path / "repo", files), "html"))
    assert "1 observation on 2026-11-25." in page.text
    assert "from 2026-11-25 to 2026-11-25" not in page.text


@pytest.mark.parametrize(
    ("values", "threshold"),
    [
        (("-1.0e308", "1.0e308"), "{min: -1.0e308, max: 1.0e308}"),
        (("1.7e308", "1.7e308"), "{max: 1.79e308}"),
    ],
)
def test_a_sparkline_of_the_largest_numbers_has_finite_points(
    tmp_path: Path, values: tuple[str, str], threshold: str
) -> None:
    # Valid observations near the largest float: their range overflowed, and every
    # coordinate of the sparkline was NaN (an SVG a browser cannot draw).
    files = _hire_monitor_edited(
        {
            "threshold: {min: 0.01, max: 0.3}": f"threshold: {threshold}",
            "  - {on: 2026-09-30, value: 0.12}": f"  - {{on: 2026-09-30, value: {values[0]}}}",
            "  - {on: 2026-11-25, value: 0.2}": f"  - {{on: 2026-11-25, value: {values[1]}}}",
        }
    )
    page = Page(_render(write_repository(tmp_path / "repo", files), "html"))
    coordinates = [str(a["points"]) for a in page.find("polyline")]
    coordinates += [str(a[k]) for a in page.find("circle") for k in ("cx", "cy")]
    coordinates += [str(a["y"]) for a in page.find("rect") if "y" in a]
    assert coordinates and all(re.fullmatch(r"[0-9. ,]+", c) for c in coordinates), coordinates


def test_breaches_say_what_followed(fixture_html: Page) -> None:
    text = fixture_html.text
    assert "evidence/monitoring/hire-ratio.csv:4 incident INC-1, detected on 2026-11-05" in text
    assert "observations entry 2 a note on 2026-10-31: Told the recruiting leads." in text


def test_the_example_shows_the_art_73_deadline_and_the_breach_that_led_to_it(
    example_pages: dict[str, str],
) -> None:
    md = example_pages["md"]
    row = next(line for line in md.splitlines() if line.startswith("| INC-2026-02 "))
    assert row.endswith("| 2026-10-01 (15 days): reported in time on 2026-09-25 |")
    row = next(line for line in md.splitlines() if line.startswith("| INC-2026-01 "))
    assert row.endswith("| not applicable |")  # limited risk: no Art. 73 deadline
    assert (
        "| MON-TRIAGE-75PLUS Under-triage rate, patients aged 75 and over (≤ 0.05) | SYS-TRIAGE "
        "| 2026-09-16 | 2026-09-16 | 0.081 | evidence/monitoring/triage-under-triage-75plus-2026"
        ".csv:13 | incident INC-2026-02, detected on 2026-09-16 |"
    ) in md
    assert "| evaluations overdue | 0 |" in md and "| stale monitors | 0 |" in md
    html = Page(example_pages["html"])
    assert len(html.find("svg")) == 4
    assert "reported in time" in html.text


def test_the_markdown_says_what_the_html_says_of_metrics_and_monitors(
    example_pages: dict[str, str],
) -> None:
    """A metric's note (why categories were left out of an LL144 ratio, the restriction
    a waiver relies on) and each monitor's owner, response to a breach and source were
    in the HTML only."""
    md = example_pages["md"]
    repo = load_repository(EXAMPLE, date.fromisoformat(AS_OF))
    notes = [m.note for e in repo.of_kind(Evaluation) for m in e.metrics if m.note]
    assert notes and all(f"(note: {note})" in md for note in notes)
    for line in ("owner clinical-safety-officer@northwind.example; on a breach incident",):
        assert line in md and line.split("; ")[0].removeprefix("owner ") in example_pages["html"]


def test_a_serious_incident_not_yet_due_or_overdue_is_shown_as_such(
    tmp_path: Path,
) -> None:
    files = repository_files()
    hire = files["systems/hire.yaml"]
    assert isinstance(hire, str)
    files["systems/hire.yaml"] = hire.replace("eu_role: deployer", "eu_role: provider")
    files["incidents/more.yaml"] = (
        "kind: Incident\nid: INC-DUE\ntitle: t\nsystems: [SYS-HIRE]\noccurred: 2026-11-20\n"
        "detected: 2026-11-20\nseverity: 5\nserious: true\nserious_kind: death\n"
        "description: d\nstatus: open\n---\n"
        "kind: Incident\nid: INC-LATE\ntitle: t\nsystems: [SYS-HIRE]\noccurred: 2026-11-01\n"
        "detected: 2026-11-01\nseverity: 5\nserious: true\nserious_kind: widespread\n"
        "description: d\nstatus: open\n"
    )
    md = _render(write_repository(tmp_path / "repo", files), "md")
    rows = {line.split(" ")[1]: line for line in md.splitlines() if line.startswith("| INC-")}
    assert rows["INC-DUE"].endswith("| 2026-11-30 (10 days): due |")
    assert rows["INC-LATE"].endswith("| 2026-11-03 (2 days): overdue |")


def test_a_deadline_that_could_not_be_judged_is_shown_as_due_lists_it(tmp_path: Path) -> None:
    """A serious incident on a system that fails validation (and may be high-risk) was
    'not applicable' in the report while `due` listed its Art. 73 report as overdue."""
    files = repository_files()
    hire = files["systems/hire.yaml"]
    assert isinstance(hire, str)
    files["systems/hire.yaml"] = hire.replace("eu_role: deployer", "eu_role: provider") + (
        "misspelt: true\n"
    )
    files["incidents/more.yaml"] = (
        "kind: Incident\nid: INC-LATE\ntitle: t\nsystems: [SYS-HIRE]\noccurred: 2026-11-01\n"
        "detected: 2026-11-01\nseverity: 5\nserious: true\nserious_kind: widespread\n"
        "description: d\nstatus: open\n"
    )
    md = _render(write_repository(tmp_path / "repo", files), "md")
    rows = {line.split(" ")[1]: line for line in md.splitlines() if line.startswith("| INC-")}
    assert rows["INC-LATE"].endswith(
        "| 2026-11-03 (2 days): overdue (SYS-HIRE fails validation, so whether the article "
        "applies could not be judged) |"
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_record_text_stays_text(tmp_path: Path, fmt: str) -> None:
    files = repository_files()
    for rel in ("monitors/hire.yaml", "evaluations/hire.yaml", "incidents/inc-1.yaml"):
        text = files[rel]
        assert isinstance(text, str)
        files[rel] = (
            text.replace("title: Weekly impact ratio", f"title: '{HOSTILE}'")
            .replace("metric: Lowest scoring-rate impact ratio", f"metric: '{HOSTILE}'")
            .replace("title: Ranking half-year review", f"title: '{HOSTILE}'")
            .replace("title: Parser update sank screen-reader résumés", f"title: '{HOSTILE}'")
        )
    files["evidence/monitoring/hire-ratio.csv"] = (
        'on,value,note\n2026-11-20,0.7,"<img src=x onerror=alert(1)> | **bold**"\n'
    )
    rendered = _render(write_repository(tmp_path / "repo", files), fmt)
    if fmt == "html":
        page = Page(rendered)
        assert page.find("script") == [] and page.find("img") == []
        assert "<script>alert" not in rendered
        assert rendered.count("&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}") >= 4
    else:
        assert "<script>" not in rendered and "<img" not in rendered
        assert "\\<script\\>" in rendered or "&lt;script&gt;" in rendered
        assert "**bold**" not in rendered
        # A pipe in record text never splits a table row: every row of every table
        # has as many cells as its header.
        from markdown_it import MarkdownIt

        html = Page(MarkdownIt("commonmark").enable("table").render(rendered))
        assert html.find("script") == [] and html.find("img") == []
        assert "a|b" in html.text
        tables = rendered.split("\n\n")
        for block in tables:
            rows = [line for line in block.splitlines() if line.startswith("| ")]
            widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
            assert len(widths) <= 1, block


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_stale_monitor_is_not_said_of_one_whose_observations_cannot_be_read(
    tmp_path: Path, fmt: str
) -> None:
    # MON-HIRE-RATIO's observations file is gone (AIMS708): it is neither current nor
    # stale, and `aimsctl monitor check` counts it unreadable.
    files = repository_files()
    del files["evidence/monitoring/hire-ratio.csv"]
    rendered = _render(write_repository(tmp_path / "repo", files), fmt)
    text = Page(rendered).text if fmt == "html" else rendered
    assert "every monitor of a running system has an observation" not in text
    assert (
        "None of the monitors whose observations can be read; the observations of "
        "MON-HIRE-RATIO cannot be read."
    ) in " ".join(text.split()).replace(" .", ".")  # HTML text parts are spaced


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_with_no_monitors_nothing_is_said_of_every_monitor(
    cli: Cli, make_repo: Callable[..., Path], fmt: str
) -> None:
    # No Monitor at all, a system in production: the report said "None: every monitor of
    # a running system has an observation within twice its interval" and "No observation
    # is outside its threshold", true of an empty set and read as monitoring that works.
    root = make_repo({"systems/SYS-1.yaml": system("SYS-1", stage="production")})
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    text = " ".join((Page(result.stdout).text if fmt == "html" else result.stdout).split())
    assert "every monitor of a running system has an observation" not in text
    assert "No observation is outside its threshold" not in text
    assert "None to judge: the repository holds no monitors, so no observation shows" in text
    assert "None to judge: the repository holds no monitors, so there are no observations" in text
    # SYS-1 is unassessed, a tier that asks for no monitoring: none is missing.
    assert (
        "None asked: no system in production has a tier that asks for monitoring"
    ) in _unmonitored_section(result.stdout, fmt)


def _breaches_section(text: str) -> str:
    """The words from the "Breaches" heading to the "Incidents" one, spaces collapsed."""
    text = " ".join(text.split())
    return text[text.index("Breaches") : text.index("Incidents", text.index("Breaches"))]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    "csv",
    [None, "on,value,note\n2026-11-19,0.83,\n2026-11-20,low,\n"],
    ids=["file-gone", "bad-row"],
)
def test_breaches_say_they_leave_out_observations_that_cannot_be_used(
    cli: Cli, tmp_path: Path, fmt: str, csv: str | None
) -> None:
    # MON-HIRE-RATIO's breach of 2026-11-05 is in a CSV that is gone (or a row of it
    # cannot be read): the Breaches section listed MON-HIRE-QUEUE's breach alone, or
    # said "No observation is outside its threshold", with no word that the
    # observations of MON-HIRE-RATIO were never judged; nothing named the bad row.
    files = repository_files()
    if csv is None:
        del files["evidence/monitoring/hire-ratio.csv"]
        why = "evidence/monitoring/hire-ratio.csv: path"
    else:
        files["evidence/monitoring/hire-ratio.csv"] = csv
        why = "evidence/monitoring/hire-ratio.csv:3: value must be a plain number, not 'low'"
    root = write_repository(tmp_path / "repo", files)
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    text = " ".join((Page(result.stdout).text if fmt == "html" else result.stdout).split())
    text = text.replace(" .", ".").replace(" :", ":")  # HTML text parts are spaced
    listed = text[text.index("Observations that cannot be used") : text.index("Breaches")]
    assert f"MON-HIRE-RATIO (SYS-HIRE): {why}" in listed
    breaches = _breaches_section(text)
    assert "MON-HIRE-QUEUE" in breaches  # its breach of 2026-10-31 is still listed
    assert (
        "This list is incomplete: the observations of MON-HIRE-RATIO that cannot be used "
        "(listed above) are not judged, and a breach among them would not be shown."
    ) in breaches

    # With the other monitor's breach gone too, nothing reads as "no breach".
    queue = files["monitors/hire.yaml"]
    assert isinstance(queue, str) and "value: 0.34" in queue
    files["monitors/hire.yaml"] = queue.replace("value: 0.34", "value: 0.24")
    root = write_repository(tmp_path / "again", files)
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    text = " ".join((Page(result.stdout).text if fmt == "html" else result.stdout).split())
    breaches = _breaches_section(text.replace(" .", ".").replace(" ,", ","))
    assert "No observation is outside its threshold" not in breaches
    assert (
        "None found among the observations that can be used, which are not all of them: "
        "the observations of MON-HIRE-RATIO that cannot be used (listed above) are not "
        "judged, and a breach among them would not be shown."
    ) in breaches


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_monitors_with_no_observation_are_not_read_as_free_of_breaches(
    cli: Cli, make_repo: Callable[..., Path], fmt: str
) -> None:
    # A monitor that has never been observed: the report said "No observation is
    # outside its threshold", true of no observations at all.
    root = make_repo(
        {
            "systems/SYS-1.yaml": yaml_of(system("SYS-1", stage="production")),
            "monitors/MON-1.yaml": yaml_of(monitor("MON-1")),
        }
    )
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    text = " ".join((Page(result.stdout).text if fmt == "html" else result.stdout).split())
    breaches = _breaches_section(text.replace(" .", "."))
    assert "No observation is outside its threshold" not in breaches
    assert "None to judge: no monitor has an observation yet." in breaches


def test_a_system_whose_monitor_has_only_unusable_rows_is_not_said_to_have_none(
    tmp_path: Path,
) -> None:
    # The system documentation said "no observation yet" of a monitor whose only row
    # could not be read, and nothing of rows that could not be read beside good ones.
    files = repository_files()
    files["evidence/monitoring/hire-ratio.csv"] = "on,value\n2026-11-20,low\n"
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("O", "", day, "c")
    md = render_reports(load_repository(root, day), ["systems"], "md", provenance)["systems.md"]
    line = next(x for x in md.splitlines() if x.startswith("MON-HIRE-RATIO "))
    assert "no observation yet" not in line
    assert "no observation that can be used" in line
    files["evidence/monitoring/hire-ratio.csv"] = "on,value\n2026-11-20,0.9\n2026-11-21,low\n"
    root = write_repository(tmp_path / "again", files)
    md = render_reports(load_repository(root, day), ["systems"], "md", provenance)["systems.md"]
    line = next(x for x in md.splitlines() if x.startswith("MON-HIRE-RATIO "))
    assert "latest 0.9 on 2026-11-20; some of its observations cannot be used" in line


@pytest.mark.parametrize(
    ("change", "unreadable"),
    [
        (lambda files: None, 0),
        # The file is gone: nothing can be read.
        (lambda files: files.pop("evidence/monitoring/hire-ratio.csv"), 1),
        # A row that is no observation: the rest is read.
        (
            lambda files: files.update(
                {"evidence/monitoring/hire-ratio.csv": "on,value\n2026-11-20,0.9\nsoon,0.9\n"}
            ),
            1,
        ),
        # A row dated after the as-of date (AIMS708): it cannot be used either.
        (
            lambda files: files.update(
                {
                    "evidence/monitoring/hire-ratio.csv": (
                        "on,value\n2026-11-20,0.9\n2026-11-27,0.9\n"
                    )
                }
            ),
            1,
        ),
    ],
    ids=["readable", "file-gone", "bad-row", "future-row"],
)
def test_the_summary_counts_unreadable_monitors_as_monitor_check_does(
    tmp_path: Path, cli: Cli, change: Callable[[dict[str, str | bytes]], object], unreadable: int
) -> None:
    files = repository_files()
    change(files)
    root = write_repository(tmp_path / "repo", files)
    checked = json.loads(cli("monitor", "check", root, "--as-of", AS_OF, "--format", "json").stdout)
    assert checked["summary"]["unreadable"] == unreadable
    markdown = _render(root, "md")
    assert f"| monitors with unreadable observations | {unreadable} |" in markdown
    # Counted unreadable, it is not called current beside the count: its state says so
    # (a row not read may be the latest), and readiness counts it stopped.
    [state] = [m["state"] for m in checked["monitors"] if m["id"] == "MON-HIRE-RATIO"]
    row = next(x for x in markdown.splitlines() if x.startswith("| MON-HIRE-RATIO Weekly"))
    day = date.fromisoformat(AS_OF)
    found = readiness(load_repository(root, day))
    [nine_one] = [r for line in found.clauses for r in line.requirements if r.id == "9.1"]
    if unreadable:
        assert state == "unreadable"
        assert "unreadable" in row.split("|")[-2]
        assert any("MON-HIRE-RATIO" in why for why in nine_one.missing)
    else:
        assert state != "unreadable" and not any("MON-HIRE-RATIO" in w for w in nine_one.missing)


def test_each_evaluation_is_compared_with_the_one_before_it(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Many evaluations of one system: each is compared with the system's evaluation
    # done just before it (by date, then id, numbers by value: EVAL-9 before EVAL-10
    # on one day, as the rules read them), those performed after the as-of date too,
    # and the system's evaluations are walked once, not once per evaluation (a time
    # quadratic in them).
    from aimsctl.reports import monitoring

    days = ["2026-01-05", "2026-03-01", "2026-03-01", "2026-06-30", "2027-02-01"]
    made = [
        evaluation(
            f"EVAL-{n}",
            system="SYS-1" if n % 7 else "SYS-2",
            performed={"on": days[n * 3 % len(days)], "by": "qa@acme.example"},
        )
        for n in range(1, 61)
    ]
    root = make_repo(
        {"systems/s.yaml": [system("SYS-1"), system("SYS-2")], "evaluations/e.yaml": made}
    )
    repo = load_repository(root, date.fromisoformat(AS_OF))
    walked = [0]

    class Walked(list[Evaluation]):
        def __iter__(self) -> Iterator[Evaluation]:
            for item in super().__iter__():
                walked[0] += 1
                yield item

    grouped = monitoring.evaluations_by_system(repo)
    monkeypatch.setattr(
        monitoring,
        "evaluations_by_system",
        lambda repo: {system_id: Walked(done) for system_id, done in grouped.items()},
    )
    shown = {e["id"]: e["previous"] for e in monitoring.build(repo, None)["evaluations"]}

    def order(e: Evaluation) -> tuple[date, tuple[tuple[int, int | str], ...]]:
        return e.performed.on, natural_key(e.id)

    expected = {}
    for e in repo.of_kind(Evaluation):
        done = [d for d in grouped[e.system] if order(d) < order(e)]
        before = max(done, key=order) if done else None
        expected[e.id] = (
            None if before is None else {"id": before.id, "on": before.performed.on.isoformat()}
        )
    assert shown == expected and len(shown) == 60
    # on one day by id, numbers by value, as the rules read them; the first of all has
    # none; one performed after the as-of date is compared with the last done, never
    # with another not yet done
    assert shown["EVAL-59"] == {"id": "EVAL-57", "on": "2026-03-01"}
    assert shown["EVAL-5"] is None and shown["EVAL-10"] == {"id": "EVAL-5", "on": "2026-01-05"}
    assert shown["EVAL-8"] == {"id": "EVAL-51", "on": "2026-06-30"}
    assert walked[0] <= 3 * 60


def test_each_metric_is_compared_with_the_same_measurement_before(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two evaluations of 300 metrics each: every metric is compared with the same
    # measurement (name and group) of the evaluation before, and the earlier metrics
    # are looked up, not scanned once per metric (a time quadratic in one
    # evaluation's metrics). EVAL-1 lists them in another order.
    from aimsctl.records.evaluation import Metric
    from aimsctl.reports import monitoring

    def metrics(shift: float) -> list[dict[str, object]]:
        made: list[dict[str, object]] = []
        for n in range(300):
            made.append(
                {"name": f"m{n % 150}", "dimension": "performance", "value": n / 1000 + shift}
                | ({"group": "older"} if n >= 150 else {})
            )
        return made

    earlier = metrics(0.0)[::-1]
    files = {
        "systems/s.yaml": system("SYS-1"),
        "evaluations/e.yaml": [
            evaluation(
                "EVAL-1", performed={"on": "2026-01-05", "by": "qa@acme.example"}, metrics=earlier
            ),
            evaluation(
                "EVAL-2",
                performed={"on": "2026-02-05", "by": "qa@acme.example"},
                metrics=metrics(0.5),
            ),
        ],
    }
    repo = load_repository(make_repo(files), date.fromisoformat(AS_OF))
    asked = [0]
    key = Metric.key.fget
    assert key is not None

    def counted(metric: Metric) -> tuple[str, str]:
        asked[0] += 1
        return key(metric)

    monkeypatch.setattr(Metric, "key", property(counted))
    shown = {e["id"]: e for e in monitoring.build(repo, None)["evaluations"]}
    latest = shown["EVAL-2"]["metrics"]
    assert [m["previous"] for m in latest] == [f"{n / 1000:g}" for n in range(300)]
    assert latest[7]["trend"] == "up" and latest[157]["group"] == "older"
    assert all(m["previous"] == "" for m in shown["EVAL-1"]["metrics"])
    assert asked[0] <= 4 * 600


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_evaluation_or_incident_dated_after_the_as_of_date_is_said_so_and_not_counted(
    cli: Cli, example_in_git: Path, fmt: str
) -> None:
    """Reported as of 2026-06-01, the example's summary counted 3 failing evaluations
    and 1 open incident, though EVAL-ASSIST-2026-10 and EVAL-TRIAGE-2026-09 were
    performed and INC-2026-02 detected months later (AIMS508: not happened yet; the
    systems report and `aimsctl due` already leave such evaluations out), and listed
    them with their dates as if past. They are now marked as dated after the as-of
    date and left out of the counts."""
    result = cli(
        "report", "monitoring", example_in_git, "--as-of", "2026-06-01",
        "-f", fmt, "--out", "-", "--force",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    names = "systems with a failing metric|open incidents"
    if fmt == "md":
        counts = dict(re.findall(rf"\| ({names}) \| (\d+) \|", result.stdout))
    else:
        found = re.findall(rf'"n">(\d+)</span><span class="l">({names})<', result.stdout)
        counts = {name: count for count, name in found}
    text = re.sub(r"<[^>]+>", "", result.stdout)
    # EVAL-CREDIT-2026-02, the one failure performed by then, was superseded by the
    # passing EVAL-CREDIT-2026-03.
    assert counts == {"systems with a failing metric": "0", "open incidents": "0"}
    for day in ("2026-10-08", "2026-09-08", "2026-09-16"):
        assert f"{day} (dated after the as-of date)" in text, day
    assert "2026-02-20 (dated after" not in text  # EVAL-CREDIT-2026-02 was performed


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_summary_counts_systems_whose_latest_evaluation_fails(
    cli: Cli, example_in_git: Path, fmt: str
) -> None:
    """The example's summary said 3 failing evaluations, counting EVAL-CREDIT-2026-02,
    whose failure the passing EVAL-CREDIT-2026-03 of the same system has since
    replaced. It now counts the systems whose latest evaluation by the as-of date
    fails (SYS-ASSIST and SYS-TRIAGE), as `validate` (AIMS701) reads "latest", and
    keeps the superseded failure in the list, marked."""
    result = cli(
        "report", "monitoring", example_in_git, "--as-of", "2026-11-26",
        "-f", fmt, "--out", "-",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    name = "systems with a failing metric"
    if fmt == "md":
        counts = re.findall(rf"\| {name} \| (\d+) \|", result.stdout)
    else:
        counts = re.findall(rf'"n">(\d+)</span><span class="l">{name}<', result.stdout)
    assert counts == ["2"]
    assert "failing evaluations" not in result.stdout
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", result.stdout))
    superseded = "fail (superseded by EVAL-CREDIT-2026-03 of 2026-03-27)"
    places = 2 if fmt == "md" else 1  # Markdown: in the list and in the section
    assert text.count(superseded) == places
    # Every earlier evaluation is marked (EVAL-ASSIST-2026-04 and EVAL-TRIAGE-2025-12
    # passed), the latest of each system never, whatever its verdict.
    assert text.count("(superseded by ") == places * 3
    assert "pass (superseded by EVAL-ASSIST-2026-10 of 2026-10-08)" in text
    assert "superseded by EVAL-ASSIST-2026-04" not in text


def _unmonitored_repo(make_repo: Callable[..., Path]) -> Path:
    """SYS-A in production, tier high (monitoring asked, no Monitor); SYS-B in
    production, tier low (none asked); SYS-C tier high but in development."""
    return make_repo(
        {
            "systems/SYS-A.yaml": yaml_of(system("SYS-A", stage="production")),
            "systems/SYS-B.yaml": yaml_of(system("SYS-B", stage="production")),
            "systems/SYS-C.yaml": yaml_of(system("SYS-C", stage="development")),
            "risks/R-1.yaml": yaml_of(
                risk("R-1", systems=["SYS-A", "SYS-C"], inherent=levels(4, 4))
            ),
            "risks/R-2.yaml": yaml_of(risk("R-2", systems=["SYS-B"], inherent=levels(1, 2))),
        }
    )


def _unmonitored_section(rendered: str, fmt: str) -> str:
    """The words from "Systems with no monitor" to "Stale monitors", spaced as read."""
    text = " ".join((Page(rendered).text if fmt == "html" else rendered).split())
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+([,.:)])", r"\1", text))
    return text[text.index("Systems with no monitor") : text.index("Stale monitors")]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_system_whose_tier_asks_for_a_monitor_and_has_none_is_named_and_counted(
    cli: Cli, make_repo: Callable[..., Path], fmt: str
) -> None:
    """With no Monitor, the report said "The repository holds no monitors" and counted
    nothing, while `validate` reported AIMS703 for SYS-A: in production, its tier
    (high) asks for monitoring. The report now names every system AIMS703 names, and
    counts them among what needs attention."""
    root = _unmonitored_repo(make_repo)
    checked = cli("validate", root, "--as-of", AS_OF)
    assert re.findall(r"AIMS703 .*\[(SYS-\w+)\]", checked.stdout) == ["SYS-A"]
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    name = "systems with no monitor their tier asks for"
    if fmt == "md":
        counts = re.findall(rf"\| {name} \| (\d+) \|", result.stdout)
    else:
        counts = re.findall(rf'"n">(\d+)</span><span class="l">{name}<', result.stdout)
    assert counts == ["1"]
    section = _unmonitored_section(result.stdout, fmt)
    assert (
        "SYS-A System SYS-A (tier high, production): its tier asks for monitoring, but no "
        "Monitor names it (AIMS703)."
    ) in section
    assert "SYS-B" not in section and "SYS-C" not in section

    # With a monitor of SYS-A, nothing is missing, and the section says so.
    (root / "monitors").mkdir()
    (root / "monitors/MON-1.yaml").write_text(yaml_of(monitor("MON-1", system="SYS-A")))
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    section = _unmonitored_section(result.stdout, fmt)
    assert (
        "None: every system in production whose tier asks for monitoring has one (SYS-A)."
    ) in section


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_system_with_no_evaluation_at_all_is_said_to_have_none(
    cli: Cli, make_repo: Callable[..., Path], fmt: str
) -> None:
    """SYS-A's tier asks for an evaluation and it has never had one (AIMS701: "there is
    none"); its row said "none" under both last passed and latest, which reads as well
    as a missing value. It now says no evaluation of it was performed."""
    root = _unmonitored_repo(make_repo)
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    if fmt == "md":
        row = next(x for x in result.stdout.splitlines() if x.startswith("| SYS-A "))
    else:
        start = result.stdout.index('<tr data-system="SYS-A">')
        row = Page(result.stdout[start : result.stdout.index("</tr>", start)]).text
    assert "none performed" in row and "(overdue)" in row
    # SYS-B's tier (low) asks for no evaluation: it has no row.
    assert "| SYS-B " not in result.stdout and 'data-system="SYS-B"' not in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_breach_nothing_followed_names_a_record_that_may_have(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    # INC-1, MON-HIRE-RATIO's follow-up, written with `kind: [Incident]` (AIMS101):
    # AIMS705 and `monitor check` say it may be the one that followed; the report said
    # "nothing yet" alone.
    files = repository_files()
    files["incidents/inc-1.yaml"] = "kind: [Incident]\nid: INC-1\n"
    root = write_repository(tmp_path / "repo", files)
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    text = " ".join((Page(result.stdout).text if fmt == "html" else result.stdout).split())
    breaches = _breaches_section(text.replace(" ;", ";").replace(" )", ")"))
    note = (
        "a record whose kind or id cannot be read (at incidents/inc-1.yaml:1) may be the one "
        "that followed"
    )
    assert f"nothing yet; {note}" in breaches.replace("**", "")
    check = cli("monitor", "check", root, "--as-of", AS_OF).stdout
    assert note in check  # the same words as monitor check
    # Read in full, nothing may be it: "nothing yet" alone.
    files["incidents/inc-1.yaml"] = "# to be written\n"
    root = write_repository(tmp_path / "again", files)
    result = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert "nothing yet" in result.stdout and "cannot be read" not in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_results_and_observation_files_are_linked_from_the_report_folder(
    example_copy: Path, cli: Cli, tmp_path: Path, fmt: str
) -> None:
    # They were text (<code>) while every other report links a repository path.
    results = "evidence/lifecycle/assist-evaluation-2026-10.csv"
    observations = "evidence/monitoring/credit-psi-2026.csv"
    out = example_copy / "reports"
    args = ("report", "monitoring", example_copy, "-f", fmt, "--as-of", AS_OF)
    assert cli(*args, "-o", out).exit_code == 0
    text = (out / f"monitoring.{fmt}").read_text("utf-8")
    for path in (results, observations):
        link = f"[{path}](../{path})" if fmt == "md" else f'<a href="../{path}">{path}</a>'
        assert link in text, path
    if fmt == "md":
        assert f"- **Results file:** [{results}](../{results})\n" in text
        assert f"; observations in [{observations}](../{observations});" in text
    # Written outside the repository, no relative link could reach them: text.
    elsewhere = tmp_path / "elsewhere"
    assert cli(*args, "-o", elsewhere).exit_code == 0
    text = (elsewhere / f"monitoring.{fmt}").read_text("utf-8")
    assert "../evidence/" not in text
    if fmt == "html":
        assert f"<dt>Results file</dt><dd><code>{results}</code></dd>" in text
        assert f" in <code>{observations}</code>" in text
