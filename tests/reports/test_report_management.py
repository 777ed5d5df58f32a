"""The management system report: the policy register, the responsibility chart, the
objectives, the audit programme and its coverage grid, the reviews and the
nonconformity log; its HTML structure and record text kept as text."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from report_fixtures import AS_OF, REVIEW, Page, repository_files, write_repository

from aimsctl.due import all_due
from aimsctl.engine import findings
from aimsctl.reports import Provenance, render_reports
from aimsctl.repository import load_repository
from aimsctl.text import md_text
from conftest import EXAMPLE, CliResult
from factory import (
    approved_policy,
    control,
    internal_audit,
    management_review,
    nonconformity,
    role,
    yaml_of,
)

Cli = Callable[..., CliResult]
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} a|b *x*"
STATES = ("covered", "partly covered", "planned", "not audited", "not applicable")


def _render(root: Path, fmt: str) -> str:
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    provenance = Provenance("O", "", day, "c")
    return render_reports(repo, ["management"], fmt, provenance)[f"management.{fmt}"]


def _rows(markdown: str, first: str) -> list[list[str]]:
    """The cells of the Markdown table rows that start with ``first``."""
    return [
        [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in markdown.splitlines()
        if line.startswith(f"| {first}")
    ]


def _cli_pages(cli: Cli, root: Path) -> dict[str, tuple[str, str]]:
    """The management report of ``root`` through the CLI, per format: the page as
    written, and its text with HTML tags taken out."""
    pages: dict[str, tuple[str, str]] = {}
    for fmt in ("md", "html"):
        result = cli(
            "report", "management", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force"
        )
        assert result.exit_code == 0, result.stderr
        pages[fmt] = (result.stdout, re.sub(r"<[^>]+>", "", result.stdout))
    return pages


@pytest.fixture(scope="module")
def fixture_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = write_repository(tmp_path_factory.mktemp("management"))
    return {fmt: _render(root, fmt) for fmt in ("md", "html")}


# --- HTML structure -------------------------------------------------------------------


def test_html_sections_tables_and_anchors(fixture_pages: dict[str, str]) -> None:
    text = fixture_pages["html"]
    page = Page(text)
    sections = [a.get("aria-labelledby") for a in page.find("section")]
    for section in ("summary", "policies", "chart", "objectives", "audits", "coverage"):
        assert section in sections
    assert {"reviews", "nonconformities", "mr-MR-2026", "nc-NC-1", "a-AUD-2026-B"} <= set(sections)
    # Every table says what it holds, and every header cell its scope.
    assert text.count("<table") == len(page.find("caption")) >= 12
    assert all(a.get("scope") in ("col", "row") for a in page.find("th"))
    assert not page.find("script") and not page.find("img")
    anchors = [h[1:] for h in page.hrefs() if h.startswith("#")]
    assert anchors and set(anchors) <= page.ids


def test_html_chart_is_a_nested_list_in_reporting_order(fixture_pages: dict[str, str]) -> None:
    text = fixture_pages["html"]
    chart = text[text.index('<ul class="chart">') : text.index('<h3 id="roles">')]
    order = re.findall(r'<li data-role="([^"]+)">', chart)
    assert order == ["chief-executive", "compliance-lead", "talent-lead", "internal-auditor"]
    # talent-lead sits two lists deep: below compliance-lead, below the chief executive.
    before = chart[: chart.index('data-role="talent-lead"')]
    assert before.count("<ul") - before.count("</ul>") == 3
    assert 'data-role="chief-executive"><a href="#role-chief-executive"' in chart
    assert chart.count("top management</span>") == 1


def test_html_coverage_grid_reads_without_colour(fixture_pages: dict[str, str]) -> None:
    text = fixture_pages["html"]
    cells = re.findall(r'<td class="coverage cov-([a-z-]+)">(.*?)</td>', text, re.S)
    # Clauses 4-10 and A.2-A.10; the years since the AIMS started (its policy approved in
    # 2025: no column for 2024, when nothing could be audited) and the programme.
    assert len(cells) == (7 + 9) * 3
    for css, body in cells:
        words = re.sub(r"<[^>]+>", " ", body)
        state = css.replace("-", " ")
        assert state in STATES
        assert re.search(rf"(^|\s){state}(\s|:|$)", " ".join(words.split())), (css, body)
    grid = re.findall(r'<tr data-requirement="9">(.*?)</tr>', text, re.S)[0]
    assert "partly covered: 9.1" in grid and "AUD-2025" in grid and "AUD-2026-B" in grid


def test_html_shows_hostile_text_as_text(tmp_path: Path) -> None:
    files = repository_files()
    files["roles/roles.yaml"] = yaml_of(
        [
            role(
                "chief-executive", title=HOSTILE, holder="ceo@golden.example", top_management=True
            ),
            role("internal-auditor", holder=HOSTILE, responsibilities=[HOSTILE]),
        ]
    )
    files["nonconformities/nonconformities.yaml"] = yaml_of(
        nonconformity("NC-1", title=HOSTILE, root_cause=HOSTILE, status="action-planned")
    )
    root = write_repository(tmp_path / "repo", files)
    html = _render(root, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} a|b *x*" in html
    assert not Page(html).find("script")
    markdown = _render(root, "md")
    assert "<script>" not in markdown
    escaped = r"\<script\>alert(1)\</script\> {{ 7\*7 }} a\|b \*x\*"
    assert f"- **Root cause:** {escaped}\n" in markdown
    [row] = _rows(markdown, "NC-1 ")
    assert len(row) == 9  # the escaped pipe did not split the row


# --- what the report shows -------------------------------------------------------------


def test_markdown_policy_register(fixture_pages: dict[str, str]) -> None:
    [current] = _rows(fixture_pages["md"], "POL-AI AI policy | 2.0")
    assert current[1:3] == ["2.0", "approved"]
    assert current[4] == "by chief-executive (Chief executive, top management) on 2026-03-02"
    assert current[5] == "2027-03-02"
    assert current[7] == "evidence/policy.md"  # no link: no --out to link from
    [old] = _rows(fixture_pages["md"], "POL-AI-1 ")
    assert old[2] == "retired"
    assert "continual-improvement: **missing**" in old[6]


def test_markdown_chart_is_an_indented_tree(fixture_pages: dict[str, str]) -> None:
    tree = [
        line
        for line in fixture_pages["md"].splitlines()
        if re.match(r"\s*- \*\*[a-z-]+\*\* ", line)
    ]
    assert [len(line) - len(line.lstrip()) for line in tree] == [0, 2, 4, 2]
    assert tree[0].startswith(
        "- **chief-executive** Chief executive: chief-executive@golden.example"
    )
    assert "top management; accountable for Policy, ManagementReview" in tree[0]
    assert tree[2].endswith("accountable for SYS-HIRE; owns SYS-HIRE, R-1, R-2")


def test_owners_of_systems_and_risks_resolve_to_roles(fixture_pages: dict[str, str]) -> None:
    markdown = fixture_pages["md"]
    [hire] = _rows(markdown, "SYS-HIRE Applicant ranking | AISystem")
    assert hire[3] == "talent-lead Talent lead"
    [chat] = _rows(markdown, "SYS-CHAT ")
    assert chat[2:] == ["it-lead@golden.example", "**no role**"]


def test_objectives_flag_the_overdue_as_of_the_date(fixture_pages: dict[str, str]) -> None:
    [train] = _rows(fixture_pages["md"], "OBJ-TRAIN ")
    assert train[4] == "2026-09-30 (**overdue** by 57 days)"
    assert train[6] == "85% on 2026-09-01"
    [fair] = _rows(fixture_pages["md"], "OBJ-FAIR ")
    assert fair[4] == "2027-06-30" and fair[6] == "0.83 on 2026-10-15"


def test_reviews_mark_every_input_and_the_actions(tmp_path: Path) -> None:
    files = repository_files()
    files["reviews/mr-2026.yaml"] = yaml_of(
        management_review(
            "MR-2026",
            held="2026-10-20",
            chair="chief-executive",
            inputs=["audit-results"],
            actions=[
                {"description": "Late one.", "owner": "chief-executive", "due": "2026-11-01"},
                {"description": "Open one.", "owner": "chief-executive", "due": "2027-01-01"},
                {
                    "description": "Done late.",
                    "owner": "chief-executive",
                    "due": "2026-10-25",
                    "done": "2026-11-02",
                },
            ],
        )
    )
    markdown = _render(write_repository(tmp_path / "repo", files), "md")
    inputs = [row for row in _rows(markdown, "") if len(row) == 2 and ": " in row[0]]
    # The first review is not asked for earlier reviews' actions (AIMS618 agrees).
    first = ["not asked of a first review"] + ["**missing**"] * 4 + ["present", "**missing**"]
    assert [row[1] for row in inputs] == first
    caption = "to MR-2026: 1 present, 5 missing, 1 not asked of a first review<"
    assert caption in _render(write_repository(tmp_path / "first", files), "html")
    files["reviews/mr-2025.yaml"] = yaml_of(
        management_review("MR-2025", held="2025-10-20", chair="chief-executive")
    )
    later = _render(write_repository(tmp_path / "later", files), "md")
    rows = [row for row in _rows(later, "") if len(row) == 2 and ": " in row[0]]
    assert [row[1] for row in rows[:7]] == ["**missing**"] * 5 + ["present", "**missing**"]
    html = _render(write_repository(tmp_path / "html", files), "html")
    assert "The seven inputs of clause 9.3.2 to MR-2026: 1 present, 6 missing<" in html
    assert _rows(markdown, "Late one.")[0][4] == "**overdue** by 25 days"
    assert _rows(markdown, "Open one.")[0][4] == "open"
    assert _rows(markdown, "Done late.")[0][4] == "done (after its due date)"
    assert "| actions overdue | 1 |" in markdown


def test_an_action_done_after_the_as_of_date_is_not_done(tmp_path: Path) -> None:
    # The report said "done" of an action whose done date had not come yet (AIMS508),
    # while validate (AIMS620) and due now call it overdue.
    files = repository_files()
    files["reviews/mr-2026.yaml"] = yaml_of(
        management_review(
            "MR-2026",
            held="2026-10-20",
            chair="chief-executive",
            actions=[
                {
                    "description": "Done ahead.",
                    "owner": "chief-executive",
                    "due": "2026-11-01",
                    "done": "2026-12-01",
                },
            ],
        )
    )
    root = write_repository(tmp_path / "repo", files)
    markdown = _render(root, "md")
    [row] = _rows(markdown, "Done ahead.")
    assert row[3:] == ["2026-12-01 (dated after the as-of date)", "**overdue** by 25 days"]
    assert "| actions overdue | 1 |" in markdown
    html = _render(root, "html")
    ahead = '2026-12-01 <strong class="verdict-above">(dated after the as-of date)</strong>'
    assert ahead in html


def test_a_review_held_after_the_as_of_date_is_not_counted_as_held(tmp_path: Path) -> None:
    # "management reviews held" counted a review dated after the as-of date (AIMS508),
    # which readiness (9.3) and AIMS616 do not count, and its section gave the date
    # without a word.
    files = repository_files()
    files["reviews/mr-2027.yaml"] = yaml_of(
        management_review("MR-2027", held="2027-01-20", chair="chief-executive")
    )
    root = write_repository(tmp_path / "repo", files)
    before = _render(write_repository(tmp_path / "before", repository_files()), "md")
    held = re.search(r"\| management reviews held \| (\d+) \|", before)
    assert held is not None
    markdown = _render(root, "md")
    assert f"| management reviews held | {held.group(1)} |" in markdown
    assert "- **Held:** 2027-01-20 (dated after the as-of date)\n" in markdown
    html = _render(root, "html")
    assert '2027-01-20 <strong class="verdict-above">(dated after the as-of date)</strong>' in html


def test_an_approver_or_chair_top_management_reads_as_one_is_named_so(tmp_path: Path) -> None:
    """The policy approved by the title of the top-management role ("Chief executive")
    and the review chaired by its id in another letter case ("Chief-Executive") are top
    management to AIMS606 (no finding) and to readiness, but the report said of both
    "(no role)": it looked names up by id or holder as written. It now names the roles
    AIMS606 reads them as."""
    files = repository_files()
    policies = str(files["policies/policies.yaml"])
    review = str(files["reviews/mr-2026.yaml"])
    assert "{by: chief-executive, on: 2026-03-02}" in policies
    assert "chair: chief-executive\n" in review
    files["policies/policies.yaml"] = policies.replace(
        "{by: chief-executive, on: 2026-03-02}", "{by: Chief executive, on: 2026-03-02}"
    )
    files["reviews/mr-2026.yaml"] = review.replace(
        "chair: chief-executive\n", "chair: Chief-Executive\n"
    )
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    assert not [f for f in findings(repo) if f.code == "AIMS606"]
    markdown = _render(root, "md")
    assert "(no role)" not in markdown
    [current] = _rows(markdown, "POL-AI AI policy | 2.0")
    assert current[4] == "by Chief executive (Chief executive, top management) on 2026-03-02"
    assert "- **Chair:** Chief-Executive (Chief executive, top management)\n" in markdown
    html = _render(root, "html")
    assert "Chief-Executive <small" in html and "(no role)" not in html


def test_a_review_chaired_outside_top_management_is_listed_but_not_counted_as_held(
    tmp_path: Path,
) -> None:
    """MR-2026, chaired by the compliance lead (not top management: AIMS606), was the
    summary's "Last management review ... next management review (every 365 days since
    this one)" and one of the "management reviews held", while readiness counted it as
    evidence of nothing for 9.3. The summary now says none counts and why, in `due`'s
    words; the review is still listed, marked as not counted, and not counted held."""
    files = repository_files()
    chaired = yaml_of(REVIEW)
    assert "chair: chief-executive\n" in chaired
    files["reviews/mr-2026.yaml"] = chaired.replace(
        "chair: chief-executive\n", "chair: compliance-lead\n"
    )
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    due = {i.uid: i for i in all_due(load_repository(root, day))}
    item = due["aims.yaml/next-ManagementReview"]
    note = (
        "MR-2026 is chaired by 'compliance-lead', who is not top management (AIMS606), so it "
        "does not count as held"
    )
    assert item.record == "aims.yaml" and note in item.what
    markdown = _render(root, "md")
    line = next(x for x in markdown.splitlines() if x.startswith("- **Last management review:**"))
    assert line.startswith("- **Last management review:** none that counts; first management")
    assert f"{md_text(item.what)}, due by {item.due.isoformat()}" in line
    assert "MR-2026, held on" not in line
    assert _rows(markdown, "management reviews held") == [["management reviews held", "0"]]
    assert f"- **Held:** 2026-10-20 (**{md_text(note)}**)\n" in markdown
    html = _render(root, "html")
    assert '<span class="muted">none that counts</span>' in html
    assert f'2026-10-20 <strong class="verdict-above">({escape(note)})</strong>' in html


def test_nonconformity_log_ages_open_items_as_of_the_date(fixture_pages: dict[str, str]) -> None:
    markdown = fixture_pages["md"]
    [closed] = _rows(markdown, "NC-1 ")
    assert closed[5:] == ["closed", "closed after 238 days", "1 (1 done)", "effective (2026-06-05)"]
    [open_] = _rows(markdown, "NC-2 ")
    assert open_[5:] == ["open", "37", "0", "not reviewed"]  # raised 2026-10-20
    assert "- **Raised:** 2025-10-10, from internal-audit: AUD-2025 finding F-1\n" in markdown
    assert "- **Oldest open nonconformity:** NC-2, 37 days open\n" in markdown
    html = fixture_pages["html"]
    assert (
        '<dt>Oldest open nonconformity</dt><dd><a href="#nc-NC-2" class="id">NC-2</a>, '
        "37 days open</dd>"
    ) in html


def test_the_oldest_open_nonconformities_are_named_when_several_share_the_age(
    tmp_path: Path,
) -> None:
    """ "Oldest open nonconformity: 160 days open" named none of the two that old."""
    files = repository_files()
    files["nonconformities/same-age.yaml"] = yaml_of(
        [
            nonconformity("NC-3", raised="2026-10-20", source="other"),
            nonconformity("NC-4", raised="2026-10-20", source="other"),
        ]
    )
    root = write_repository(tmp_path / "repo", files)
    markdown = _render(root, "md")
    line = "- **Oldest open nonconformities:** NC-2, NC-3 and NC-4, 37 days open each\n"
    assert line in markdown
    html = _render(root, "html")
    assert (
        '<dt>Oldest open nonconformities</dt><dd><a href="#nc-NC-2" class="id">NC-2</a>, '
        '<a href="#nc-NC-3" class="id">NC-3</a> and <a href="#nc-NC-4" class="id">NC-4</a>, '
        "37 days open each</dd>"
    ) in html


def test_a_nonconformity_raised_after_the_as_of_date_is_not_open_for_negative_days(
    cli: Cli, tmp_path: Path
) -> None:
    """A nonconformity raised after the as-of date (AIMS508; readiness counts no such
    one for 10.2) was in the log as open for "-8" days, counted among those open, and
    made the oldest open "-8 days open" where it was the only one (the starter of
    `aimsctl init` reported as of an earlier day). It is now in the log as raised
    after the as-of date, and neither open nor aged."""
    files = repository_files()
    root = write_repository(tmp_path / "before", files)
    before = cli("report", "management", root, "--as-of", AS_OF, "--out", "-", "--force")
    files["nonconformities/nc-9.yaml"] = yaml_of(
        nonconformity("NC-9", raised="2026-12-04", source="other")
    )
    pages = _cli_pages(cli, write_repository(tmp_path / "repo", files))
    for _, text in pages.values():
        assert not re.search(r"(?<![\w-])-8\b", text)
        assert "2026-12-04 (dated after the as-of date)" in text
    markdown = pages["md"][0]
    [row] = _rows(markdown, "NC-9 ")
    assert row[5:7] == ["open", "not yet raised"]
    for line in ("| nonconformities open |", "- **Oldest open nonconformity:**"):
        [was] = [x for x in before.stdout.splitlines() if x.startswith(line)]
        assert was in markdown.splitlines()


def test_an_audit_ending_after_the_as_of_date_is_said_so_and_its_findings_not_counted(
    cli: Cli, tmp_path: Path
) -> None:
    """Reported as of 2026-06-01, the example's AUD-2026 (completed, performed 2026-06-08
    to 2026-06-19) was listed with those dates as if past, and its two minor
    nonconformities were counted among "audit findings that are nonconformities" (3),
    while "internal audits completed" (1) and the coverage grid ("planned") already
    left it out. Its dates are now marked and its findings counted only once it ended."""
    files = repository_files()
    before = cli(
        "report", "management", write_repository(tmp_path / "before", files),
        "--as-of", AS_OF, "--out", "-", "--force",
    ).stdout  # fmt: skip
    files["audits/aud-ahead.yaml"] = yaml_of(
        internal_audit(
            "AUD-AHEAD",
            status="completed",
            planned="2026-12-01",
            performed={"from": "2026-12-01", "to": "2026-12-04"},
            findings=[{"id": "F-9", "type": "major-nonconformity", "description": "Found later."}],
        )
    )
    pages = _cli_pages(cli, write_repository(tmp_path / "repo", files))
    for _, text in pages.values():
        assert "2026-12-01 to 2026-12-04 (dated after the as-of date)" in text
    for line in ("| audit findings that are nonconformities |", "| internal audits"):
        [was] = [x for x in before.splitlines() if x.startswith(line)]
        assert was in pages["md"][0].splitlines()


def test_coverage_grid_by_year_and_over_the_programme(tmp_path: Path) -> None:
    files = repository_files()
    files["audits/audits.yaml"] = yaml_of(
        [
            internal_audit(
                "AUD-2024",
                status="completed",
                planned="2024-05-06",
                scope=["4", "5", "6", "7", "8", "9"],
                performed={"from": "2024-05-06", "to": "2024-05-10"},
            ),
            internal_audit("AUD-2027", status="planned", planned="2027-02-01", scope=["A.5.4"]),
        ]
    )
    files["nonconformities/nonconformities.yaml"] = yaml_of(nonconformity("NC-1"))
    markdown = _render(write_repository(tmp_path / "repo", files), "md")
    header = next(line for line in markdown.splitlines() if line.startswith("| Requirement |"))
    # The AIMS is at work from AUD-2024's first day: the programme counts from then.
    assert header == "| Requirement | 2024 | 2025 | 2026 | Programme since 2024-05-06 |"
    [nine] = _rows(markdown, "9 Performance")
    assert nine[1:] == [
        "✔ covered (AUD-2024)",
        "✘ not audited",
        "✘ not audited",
        "✔ covered (AUD-2024)",
    ]
    [ten] = _rows(markdown, "10 Improvement")
    assert ten[1:] == ["✘ not audited"] * 4
    [a5] = _rows(markdown, "A.5 ")  # only A.5.4 applies: planned for 2027, after the grid
    assert a5[1:] == ["✘ not audited"] * 3 + ["○ planned (AUD-2027)"]
    [a6] = _rows(markdown, "A.6 ")
    assert a6[1:] == ["✘ not audited"] * 4
    [a2] = _rows(markdown, "A.2 ")
    assert a2[1:] == ["— not applicable"] * 4
    assert (
        "**Not covered by the programme, even once the planned audits are done:** 10, A.6.\n"
        in markdown
    )
    assert "Covered once the planned audits are done: A.5.\n" in markdown


def test_coverage_grid_takes_a_placeholder_control_as_undecided(tmp_path: Path) -> None:
    """A.2's controls are all excluded but A.2.2, whose justification is still the
    starter's TODO: its `applicable: false` decides nothing, so A.2 is to be audited
    (as AIMS614 says), not shown as not applicable."""
    files = repository_files(omit=("A.2.2",))
    files["controls/todo.yaml"] = yaml_of(
        control("A.2.2", applicable=False, justification="TODO: why")
    )
    markdown = _render(write_repository(tmp_path / "repo", files), "md")
    [a2] = _rows(markdown, "A.2 ")
    assert a2[1:] == ["✘ not audited"] * 3  # 2025, 2026 (the AIMS started in 2025), programme
    assert "**Not covered by the programme, even once the planned audits are done:** A.2.\n" in (
        markdown
    )


def test_coverage_grid_takes_a_control_with_no_record_as_undecided(tmp_path: Path) -> None:
    """A.2.2 has no Control record (AIMS202, so only `report --force` renders this) and
    A.9.2 one that fails validation: neither is decided, as a placeholder is not, so A.2
    and A.9 are to be audited. Both were shown 'not applicable', which no one decided."""
    files = repository_files(omit=("A.2.2", "A.9.2"))
    files["controls/broken.yaml"] = "kind: Control\nid: A.9.2\napplicable: maybe\n"
    markdown = _render(write_repository(tmp_path / "repo", files), "md")
    [a2] = _rows(markdown, "A.2 ")
    assert a2[1:] == ["✘ not audited"] * 3
    [a9] = _rows(markdown, "A.9 ")
    assert a9[1:] == ["✘ not audited"] * 3
    gaps = "**Not covered by the programme, even once the planned audits are done:**"
    assert f"{gaps} A.2, A.9.\n" in markdown


def test_a_reporting_circle_loses_no_role(tmp_path: Path) -> None:
    files = repository_files()
    files["roles/roles.yaml"] = yaml_of(
        [
            role("chief-executive", holder="chief-executive@golden.example", top_management=True),
            role("a", reports_to="b"),
            role("b", reports_to="a"),
            role("c", reports_to="a"),
        ]
    )
    markdown = _render(write_repository(tmp_path / "repo", files), "md")
    tree = [line for line in markdown.splitlines() if re.match(r"\s*- \*\*[a-z-]+\*\* ", line)]
    assert [line.split("**")[1] for line in tree] == ["chief-executive", "a", "b", "c"]
    assert "(in a reporting circle: reports to b)" in tree[1]
    html = Page(_render(tmp_path / "repo", "html"))
    assert [a["data-role"] for a in html.find("li") if "data-role" in a] == [
        "chief-executive",
        "a",
        "b",
        "c",
    ]


def test_a_reporting_line_thousands_of_roles_long(tmp_path: Path) -> None:
    # Deeper than Python's recursion limit: the chart was an internal error
    # (RecursionError), and the HTML list failed at a few hundred levels.
    chain = [role("chief-executive", holder="chief-executive@golden.example")]
    chain += [
        role(f"r-{n:04d}", reports_to="chief-executive" if n == 0 else f"r-{n - 1:04d}")
        for n in range(1200)
    ]
    files = repository_files()
    files["roles/roles.yaml"] = yaml_of([*chain, role("side", reports_to="r-0001")])
    root = write_repository(tmp_path / "repo", files)
    markdown = _render(root, "md")
    assert "\n" + "  " * 1200 + "- **r-1199** " in markdown
    assert "\n      - **side** " in markdown  # under r-0001, after its longer branch
    html = _render(root, "html")
    start = html.index('<ul class="chart">')
    chart = html[start : html.index("</section>", start)]
    depth = deepest = 0
    for tag in re.findall(r"</?ul\b", chart):
        depth += 1 if tag == "<ul" else -1
        deepest = max(deepest, depth)
    assert depth == 0 and deepest == 1201
    assert [a["data-role"] for a in Page(html).find("li") if "data-role" in a][-2:] == [
        "r-1199",
        "side",
    ]


def test_the_bundled_example(example_management: dict[str, str]) -> None:
    markdown = example_management["md"]
    assert (
        "- **Policy in force:** POL-AI version 2.1, approved on 2026-09-24; review of the AI "
        "policy, due by 2027-09-24\n"
    ) in markdown
    assert (
        "Every clause and every Annex A area that applies is covered by the programme." in markdown
    )
    tree = [line for line in markdown.splitlines() if re.match(r"\s*- \*\*[a-z-]+\*\* ", line)]
    assert len(tree) == 29
    assert tree[0].startswith("- **board-risk-committee-chair** ")
    assert "(no role)" not in markdown and "**no role**" not in markdown


@pytest.fixture(scope="module")
def example_management() -> dict[str, str]:
    return {fmt: _render(EXAMPLE, fmt) for fmt in ("md", "html")}


def test_report_all_includes_it(tmp_path: Path, cli: Cli) -> None:
    root = write_repository(tmp_path / "repo")
    out = root / "reports"
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out / 'management.html'}" in result.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="management.html">AI management system</a>' in index
    assert "5.2, 5.3, 6.2, 9.2, 9.3, 10.2" in index


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_review_inputs_cite_the_clause_that_lists_them(
    fixture_pages: dict[str, str], fmt: str
) -> None:
    """The table of a review's inputs was headed "Input (9.3)" (HTML: "the seven inputs
    of clause 9.3"), where the readiness report and AIMS618 name the requirement 9.3.2,
    "Management review inputs". Both name 9.3.2 now."""
    page = fixture_pages[fmt]
    if fmt == "md":
        assert "| Input (9.3.2) | Considered |" in page and "Input (9.3)" not in page
    else:
        assert "<caption>The seven inputs of clause 9.3.2 to MR-2026:" in page
        assert "clause 9.3 to" not in page


def test_the_summary_says_what_is_overdue_as_due_does(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    """A policy approved on 2025-01-10 and no audit or review since: the summary read
    "Policy in force: POL-1 ... approved on 2025-01-10" and "Last internal audit: none
    completed", while the policy register called the review overdue and `aimsctl due`
    listed the policy review, the first audit and the first review, all overdue since
    2026-01-10. The summary now says each of them with `due`'s own date and words."""
    root = make_repo({"policies/POL-1.yaml": yaml_of(approved_policy("POL-1", on="2025-01-10"))})
    listed = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)["items"]
    kinds = {"Policy": "Policy in force", "InternalAudit": "Last internal audit"}
    kinds["ManagementReview"] = "Last management review"
    items = [i for i in listed if i["kind"] in kinds]
    assert [(i["kind"], i["due"], i["overdue"]) for i in items] == [
        ("Policy", "2026-01-10", True),
        ("InternalAudit", "2026-01-10", True),
        ("ManagementReview", "2026-01-10", True),
    ]
    pages = _cli_pages(cli, root)
    for fmt, (page, _) in pages.items():
        text = " ".join((Page(page).text if fmt == "html" else page.replace("**", "")).split())
        summary = text[text.index("Summary") : text.index("AI policy register")]
        for item in items:
            what = item["what"] if fmt == "html" else md_text(item["what"])
            line = re.split(
                r"[\s-]+(?=Last |Oldest open)", summary[summary.index(kinds[item["kind"]]) :]
            )[0]
            assert f"{what}, due by {item['due']} (overdue by 320 days)" in line, (fmt, line)
        assert re.search(
            r"Policy in force:? POL-1 version 1\.0 ?, approved on 2025-01-10 ?; review", summary
        )


def test_an_approval_owed_now_is_not_overdue_by_0_days(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    """With only a draft policy, its approval is owed now (due's date is the as-of
    date, overdue): the summary said "(overdue by 0 days)" on every day."""
    draft = approved_policy("POL-1", on="2025-01-10")
    draft.pop("approval", None)
    draft["status"] = "draft"
    root = make_repo({"policies/POL-1.yaml": yaml_of(draft)})
    for fmt, (_, text) in _cli_pages(cli, root).items():
        line = next(x for x in text.splitlines() if "Policy in force" in x)
        assert f"due by {AS_OF} (owed now)" in line.replace("**", ""), (fmt, line)
        assert "by 0 days" not in text


def test_the_summary_names_the_next_audit_and_review_as_due_does(tmp_path: Path) -> None:
    """With an audit and a review held, the next of each is due's item, date and words,
    and nothing is called overdue that is not."""
    root = write_repository(tmp_path / "repo")
    day = date.fromisoformat(AS_OF)
    due = {i.uid: i for i in all_due(load_repository(root, day))}
    md = _render(root, "md")
    for key, label in (
        ("aims.yaml/next-InternalAudit", "Last internal audit"),
        ("aims.yaml/next-ManagementReview", "Last management review"),
    ):
        item = due[key]
        line = next(x for x in md.splitlines() if x.startswith(f"- **{label}:**"))
        assert f"{md_text(item.what)}, due by {item.due.isoformat()}" in line
        assert ("overdue" in line) is item.overdue


def test_a_review_or_audit_holding_a_placeholder_is_not_counted_held_or_completed(
    tmp_path: Path,
) -> None:
    """MR-T (held) and AUD-T (completed) still hold `TODO:` text, so they record
    nothing done (AIMS107): the summary said so, yet the counts table below it said
    "management reviews held | 2" and "internal audits completed" one too many."""
    files = repository_files()
    files["reviews/todo.yaml"] = yaml_of(
        management_review("MR-T", held="2026-11-01", chair="TODO: who chaired it")
    )
    files["audits/todo.yaml"] = yaml_of(
        internal_audit(
            "AUD-T",
            status="completed",
            planned="2026-10-01",
            performed={"from": "2026-10-01", "to": "2026-10-02"},
            auditor="TODO: who audited",
            scope=["4", "5", "6", "7", "8", "9", "10"],
        )
    )
    root = write_repository(tmp_path / "repo", files)
    before = _render(write_repository(tmp_path / "plain", repository_files()), "md")
    after = _render(root, "md")
    for name in ("management reviews held", "internal audits completed"):
        [[_, was]] = _rows(before, name)
        [[_, now]] = _rows(after, name)
        assert now == was, name
    # Nor does the audit cover anything in the coverage grid (AIMS614 counts it not).

    def grid(page: str) -> dict[str, str]:
        rows = [x for x in page.splitlines() if re.match(r"\| (\d+|A\.\d+) [A-Z]", x)]
        return {row.split(" | ")[0]: row for row in rows}

    assert grid(before) and grid(after) == grid(before)


def test_a_finding_naming_an_earlier_nonconformity_is_not_where_it_came_from(
    tmp_path: Path,
) -> None:
    """With F-2026-02 naming NC-2025-01 (raised a year before AUD-2026, AIMS615), the
    log said NC-2025-01 was raised "from AUD-2025 finding F-2025-01, AUD-2026 finding
    F-2026-02". It came from AUD-2025 only, and the finding says what it names."""
    import shutil

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    audit = root / "audits" / "AUD-2026.yaml"
    text = audit.read_text(encoding="utf-8")
    audit.write_text(text.replace("nonconformity: NC-2026-02", "nonconformity: NC-2025-01"))
    (root / "nonconformities" / "NC-2026-02.yaml").unlink()
    markdown = _render(root, "md")
    assert "- **Raised:** 2025-06-13, from internal-audit: AUD-2025 finding F-2025-01\n" in (
        markdown
    )
    [row] = _rows(markdown, "F-2026-02 ")
    note = "it was raised on 2025-06-13, before the audit began on 2026-06-08"
    assert row[4] == f"NC-2025-01 (**not raised for this finding**: {note})"
    html = _render(root, "html")
    assert f'<small class="verdict-above">(not raised for this finding: {note})</small>' in html


def test_an_objective_achieved_short_of_its_target_says_so(tmp_path: Path) -> None:
    """OBJ-ASSESSED `achieved` with 60% against 100% showed as "achieved | 60% on
    2026-10-31" (AIMS623)."""
    import shutil

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    path = root / "objectives" / "OBJ-ASSESSED.yaml"
    text = path.read_text(encoding="utf-8").replace("status: on-track", "status: achieved")
    path.write_text(
        text.replace("  - on: 2026-10-31\n    value: 100%", "  - on: 2026-10-31\n    value: 60%")
    )
    why = "its latest progress measurement, 60% on 2026-10-31, does not meet its target (100%)"
    [row] = _rows(_render(root, "md"), "OBJ-ASSESSED ")
    assert row[5:] == [f"achieved (**not shown**: {why})", "60% on 2026-10-31"]
    assert f'<small class="verdict-above">(not shown: {why})</small>' in _render(root, "html")


def test_a_reopened_nonconformity_does_not_keep_its_effective_verdict(
    cli: Cli, tmp_path: Path
) -> None:
    """NC-2025-01, found effective on 2026-06-19 and closed, then opened again, read
    "open ... effective (2026-06-19)" in the log: a verdict that no longer speaks for
    it. Both the log and its details now say it is open now, that verdict outdated."""
    root = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, root)
    path = root / "nonconformities/NC-2025-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nstatus: closed\n" in text
    path.write_text(text.replace("\nstatus: closed\n", "\nstatus: open\n"), encoding="utf-8")
    pages = _cli_pages(cli, root)
    markdown = pages["md"][0]
    [row] = _rows(markdown, "NC-2025-01 ")
    assert row[-1] == "**effective (2026-06-19), but open now**"
    assert "(**it is open now, so that verdict no longer stands**)" in markdown
    html = " ".join(pages["html"][1].split())
    assert "effective (2026-06-19), but open now" in html
    assert "It is open now, so that verdict no longer stands." in html
    # Closed, the verdict stands as before; verifying (on its way to closure), or with
    # a review dated after the as-of date (which never stood), it is not called outdated.
    closed = " ".join(_cli_pages(cli, EXAMPLE)["html"][1].split())
    assert "but open now" not in closed and "no longer stands" not in closed
    for status, on in (("verifying", "2026-06-19"), ("open", "2026-12-20")):
        changed = text.replace("\nstatus: closed\n", f"\nstatus: {status}\n")
        path.write_text(changed.replace("on: 2026-06-19", f"on: {on}"), encoding="utf-8")
        page = _cli_pages(cli, root)["md"][0]
        assert "no longer stands" not in page and f"{status} now" not in page


def test_a_chair_naming_a_vacant_top_management_role_is_not_shown_as_top_management(
    tmp_path: Path,
) -> None:
    """With the chief executive's holder 'vacant', AIMS606 says the review chaired by
    'chief-executive' was chaired by a role nobody holds (and the review does not
    count), but the report named the chair "(Chief executive, top management)": it
    matched the role by id and read its flag alone. The role is now shown vacant, and
    not as top management."""
    files = repository_files()
    roles = str(files["roles/roles.yaml"])
    assert "chief-executive@golden.example" in roles
    files["roles/roles.yaml"] = roles.replace("chief-executive@golden.example", "vacant", 1)
    root = write_repository(tmp_path / "repo", files)
    repo = load_repository(root, date.fromisoformat(AS_OF))
    assert [f for f in findings(repo) if f.code == "AIMS606" and f.record == "MR-2026"]
    markdown = _render(root, "md")
    assert "- **Chair:** chief-executive (Chief executive, vacant)\n" in markdown
    assert "(Chief executive, top management)" not in markdown
    html = _render(root, "html")
    assert "Chief executive</a>, vacant)" in html
    assert "Chief executive</a>, top management" not in html
