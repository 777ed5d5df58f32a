"""`aimsctl risk score|matrix|show` through the real entry point, on hand-computed repositories."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pytest

from conftest import AS_OF, EXAMPLE, CliResult, closed_untreated_r020

Cli = Callable[..., CliResult]
MakeRepo = Callable[..., Path]

CONFIG = """\
version: 1
organization: Test Org
risk:
  appetite: medium
  vulnerable_uplift: 1
"""


def system(system_id: str) -> str:
    return f"""\
kind: AISystem
id: {system_id}
title: System {system_id}
owner: owner@example.com
purpose: Test purpose.
type: predictive
stage: production
human_oversight: {{mode: human-in-the-loop}}
"""


# Hand-computed on the default 5 x 5 scale (bands low <= 4 < medium <= 9 < high <= 16 <
# critical <= 25), appetite medium, vulnerable_uplift 1, as of 2026-11-26:
#   R-1  inherent 4 x (4+1) = 20 critical, residual 2 x (4+1) = 10 high (the treatment is
#        completed, so the residual is current): above appetite,
#        accepted until 2026-11-26 (the as-of date itself: still in force)
#   R-2  inherent 3 x 3 = 9 medium, no residual: within appetite
#   R-3  inherent 5 x 5 = 25 critical, residual 1 x 2 = 2 low, closed
#   R-4  inherent 4 x 3 = 12 high, no residual: above appetite, acceptance expired 2026-11-25
# Tiers: SYS-A high (R-1 high, R-2 medium, R-4 high), SYS-B medium (R-2; R-3 is closed),
# SYS-C unassessed.
RISKS = {
    "risks/R-1.yaml": """\
        kind: Risk
        id: R-1
        title: Screening misses harm to children
        owner: alice@example.com
        description: d
        systems: [SYS-A]
        affects_vulnerable: true
        inherent: {likelihood: Likely, severity: Major}
        treatment: {option: mitigate, controls: [], due: 2027-01-31, completed: 2026-10-01}
        residual: {likelihood: unlikely, severity: 4}
        acceptance: {by: cro@example.com, on: 2026-02-01, rationale: r, expires: 2026-11-26}
        status: treating
        """,
    "risks/R-2.yaml": """\
        kind: Risk
        id: R-2
        title: Drift, with a | pipe
        owner: bob@example.com
        description: d
        systems: [SYS-A, SYS-B]
        inherent: {likelihood: 3, severity: 3}
        status: open
        """,
    "risks/R-3.yaml": """\
        kind: Risk
        id: R-3
        title: Retired feature leaks data
        owner: carol@example.com
        description: d
        systems: [SYS-B]
        inherent: {likelihood: 5, severity: 5}
        treatment: {option: avoid, completed: 2026-03-01}
        residual: {likelihood: 1, severity: 2}
        status: closed
        """,
    "risks/R-4.yaml": """\
        kind: Risk
        id: R-4
        title: Outage of the model host
        owner: dave@example.com
        description: d
        systems: [SYS-A]
        inherent: {likelihood: 4, severity: 3}
        acceptance: {by: cio@example.com, on: 2025-11-01, rationale: r, expires: 2026-11-25}
        status: open
        """,
}


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    files = {f"systems/{s}.yaml": system(s) for s in ("SYS-A", "SYS-B", "SYS-C")}
    return make_repo({**files, **RISKS}, config=CONFIG)


def level(likelihood: int, severity: int, band: str) -> dict[str, Any]:
    return {
        "likelihood": likelihood,
        "severity": severity,
        "score": likelihood * severity,
        "band": band,
    }


EXPECTED_RISKS = {
    "R-1": {
        "id": "R-1",
        "title": "Screening misses harm to children",
        "systems": ["SYS-A"],
        "status": "treating",
        "inherent": level(4, 5, "critical"),
        "residual": level(2, 5, "high"),
        "within_appetite": False,
        "accepted": True,
        "current": {**level(2, 5, "high"), "basis": "residual"},
    },
    "R-2": {
        "id": "R-2",
        "title": "Drift, with a | pipe",
        "systems": ["SYS-A", "SYS-B"],
        "status": "open",
        "inherent": level(3, 3, "medium"),
        "residual": None,
        "within_appetite": True,
        "accepted": False,
        "current": {**level(3, 3, "medium"), "basis": "inherent"},
    },
    "R-3": {
        "id": "R-3",
        "title": "Retired feature leaks data",
        "systems": ["SYS-B"],
        "status": "closed",
        "inherent": level(5, 5, "critical"),
        "residual": level(1, 2, "low"),
        "within_appetite": True,
        "accepted": False,
        "current": {**level(1, 2, "low"), "basis": "residual"},
    },
    "R-4": {
        "id": "R-4",
        "title": "Outage of the model host",
        "systems": ["SYS-A"],
        "status": "open",
        "inherent": level(4, 3, "high"),
        "residual": None,
        "within_appetite": False,
        "accepted": False,
        "current": {**level(4, 3, "high"), "basis": "inherent"},
    },
}
EXPECTED_SYSTEMS = [
    {"id": "SYS-A", "tier": "high", "open_risks": 3},
    {"id": "SYS-B", "tier": "medium", "open_risks": 1},
    {"id": "SYS-C", "tier": "unassessed", "open_risks": 0},
]


def score_json(cli: Cli, repo: Path, *args: str) -> dict[str, Any]:
    result = cli("risk", "score", repo, "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def ids(document: dict[str, Any]) -> list[str]:
    return [risk["id"] for risk in document["risks"]]


# --- risk score ----------------------------------------------------------------------


def test_score_json_is_exactly_the_contract_shape(cli: Cli, repo: Path) -> None:
    document = score_json(cli, repo)
    assert document == {
        "version": 1,
        # default sort: current score (residual where given) highest first, then id
        "risks": [EXPECTED_RISKS[i] for i in ("R-4", "R-1", "R-2", "R-3")],
        "systems": EXPECTED_SYSTEMS,
    }


def test_acceptance_expires_after_its_date(cli: Cli, repo: Path) -> None:
    result = cli("risk", "score", repo, "--as-of", "2026-11-27", "--format", "json")
    accepted = {r["id"]: r["accepted"] for r in json.loads(result.stdout)["risks"]}
    assert accepted == {"R-1": False, "R-2": False, "R-3": False, "R-4": False}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("score", ["R-4", "R-1", "R-2", "R-3"]),
        ("inherent", ["R-3", "R-1", "R-4", "R-2"]),
        ("residual", ["R-1", "R-3", "R-2", "R-4"]),
        ("id", ["R-1", "R-2", "R-3", "R-4"]),
    ],
)
def test_sort(cli: Cli, repo: Path, sort: str, expected: list[str]) -> None:
    assert ids(score_json(cli, repo, "--sort", sort)) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--system", "SYS-B"], ["R-2", "R-3"]),
        (["--system", "SYS-C"], []),
        (["--system", "SYS-B", "--system", "SYS-A"], ["R-4", "R-1", "R-2", "R-3"]),
        (["--band", "high"], ["R-4", "R-1"]),  # the current band: R-1's residual is high
        (["--band", "HIGH", "--band", "low"], ["R-4", "R-1", "R-3"]),
        (["--band", "critical"], []),
        (["--status", "open"], ["R-4", "R-2"]),
        (["--status", "closed", "--status", "treating"], ["R-1", "R-3"]),
        (["--above-appetite"], ["R-4", "R-1"]),
        (["--above-appetite", "--status", "open", "--system", "SYS-A"], ["R-4"]),
    ],
)
def test_filters_apply_to_risks_only(
    cli: Cli, repo: Path, args: list[str], expected: list[str]
) -> None:
    document = score_json(cli, repo, *args)
    assert ids(document) == expected
    assert document["systems"] == EXPECTED_SYSTEMS


def test_band_filter_prefers_the_band_of_that_exact_name(cli: Cli, make_repo: MakeRepo) -> None:
    # Bands 'low' and 'LOW' (aims.yaml allows both): --band low kept only the LOW
    # risks, the last band of that name in any letter case, and left out the low ones.
    config = CONFIG + "  bands:\n    - {name: low, max: 4}\n    - {name: LOW, max: 9}\n"
    config += "    - {name: medium, max: 25}\ngovernance: {}\n"
    files = {f"systems/{s}.yaml": system(s) for s in ("SYS-A", "SYS-B", "SYS-C")}
    root = make_repo({**files, **RISKS}, config=config)
    assert ids(score_json(cli, root, "--band", "low", "--sort", "id")) == ["R-3"]
    assert ids(score_json(cli, root, "--band", "LOW", "--sort", "id")) == ["R-2"]
    assert ids(score_json(cli, root, "--band", "Low", "--sort", "id")) == ["R-2", "R-3"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml"], "--format 'yaml' is not one of table, json, csv, md"),
        (["--sort", "owner"], "--sort 'owner' is not one of score, id, residual, inherent"),
        (["--band", "severe"], "--band 'severe' is not one of low, medium, high, critical"),
        (
            ["--status", "opened"],
            "--status 'opened' is not one of open, treating, monitoring, "
            "closed; did you mean 'open'?",
        ),
        (["--system", "SYS-X"], "--system 'SYS-X' is not one of SYS-A, SYS-B, SYS-C"),
        (["--as-of", "26/11/2026"], "--as-of '26/11/2026' is not a date"),
    ],
)
def test_score_bad_options_exit_2(cli: Cli, repo: Path, args: list[str], message: str) -> None:
    result = cli("risk", "score", repo, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_score_system_in_a_repository_without_systems(cli: Cli, make_repo: MakeRepo) -> None:
    """It said "--system 'SYS-X' is not one of " and named nothing."""
    result = cli("risk", "score", make_repo({}, CONFIG), "--system", "SYS-X")
    assert result.exit_code == 2
    assert result.stderr == "aimsctl: error: --system 'SYS-X': the repository has no AI system\n"
    assert result.stdout == ""


def test_score_summary_leaves_closed_risks_out_of_above_appetite(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A closed risk whose current band exceeds the appetite was counted '1 above', while
    AIMS303 and the risks report ('Above appetite: 0') leave closed risks out."""
    closed = """\
        kind: Risk
        id: R-1
        title: t
        owner: o
        description: d
        systems: [SYS-A]
        inherent: {likelihood: 5, severity: 5}
        status: closed
        """
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": closed}, CONFIG)
    for args in ((), ("--above-appetite",)):
        result = cli("risk", "score", root, "--as-of", AS_OF, *args)
        assert (
            "1 of 1 risk shown; appetite medium: 0 above (0 accepted); 1 closed risk above "
            "it not counted"
        ) in result.stdout


def test_score_plain_table_when_piped(cli: Cli, repo: Path) -> None:
    result = cli("risk", "score", "--as-of", AS_OF, "--repo", repo)
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "ID",
        "TITLE",
        "SYSTEMS",
        "INHERENT",
        "RESIDUAL",
        "CURRENT",
        "APPETITE",
        "ACCEPTANCE",
        "OWNER",
        "STATUS",
    ]
    rows = {line.split()[0]: line for line in lines[1:5]}
    assert list(rows) == ["R-4", "R-1", "R-2", "R-3"]
    assert "4 x 3 = 12 high" in rows["R-4"]
    assert "expired 2026-11-25" in rows["R-4"]
    assert "exceeded" in rows["R-4"]
    assert "4 x 5 = 20 critical" in rows["R-1"]
    assert "2 x 5 = 10 high" in rows["R-1"]
    assert "high (residual)" in rows["R-1"]
    assert "high (inherent)" in rows["R-4"]
    assert "until 2026-11-26" in rows["R-1"]
    assert "SYS-A, SYS-B" in rows["R-2"]
    assert "within" in rows["R-2"]
    assert rows["R-2"].rstrip().endswith("open")
    assert "1 x 2 = 2 low" in rows["R-3"]
    assert "4 of 4 risks shown; appetite medium: 2 above (1 accepted)" in result.stdout
    tiers = lines[lines.index("System tiers (the highest band among each system's open risks):") :]
    assert [line.split() for line in tiers[1:]] == [
        ["SYSTEM", "TIER", "OPEN", "RISKS"],
        ["SYS-A", "high", "3"],
        ["SYS-B", "medium", "1"],
        ["SYS-C", "unassessed", "0"],
    ]
    # the columns line up: every row starts its INHERENT cell at the header's column
    column = lines[0].index("INHERENT")
    assert all(line[column].isdigit() for line in lines[1:5])


def test_score_plain_is_stable(cli: Cli, repo: Path) -> None:
    first = cli("risk", "score", repo, "--as-of", AS_OF).stdout
    assert cli("risk", "score", repo, "--as-of", AS_OF).stdout == first


def test_score_csv(cli: Cli, repo: Path) -> None:
    result = cli("risk", "score", repo, "--as-of", AS_OF, "--format", "csv", "--sort", "id")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == (
        "id,title,systems,status,owner,inherent_likelihood,inherent_severity,inherent_score,"
        "inherent_band,residual_likelihood,residual_severity,residual_score,residual_band,"
        "within_appetite,accepted,acceptance_expires,current_band,current_basis"
    )
    assert [r["id"] for r in rows] == ["R-1", "R-2", "R-3", "R-4"]
    assert rows[0] == {
        "id": "R-1",
        "title": "Screening misses harm to children",
        "systems": "SYS-A",
        "status": "treating",
        "owner": "alice@example.com",
        "inherent_likelihood": "4",
        "inherent_severity": "5",
        "inherent_score": "20",
        "inherent_band": "critical",
        "residual_likelihood": "2",
        "residual_severity": "5",
        "residual_score": "10",
        "residual_band": "high",
        "within_appetite": "false",
        "accepted": "true",
        "acceptance_expires": "2026-11-26",
        "current_band": "high",
        "current_basis": "residual",
    }
    assert rows[1]["systems"] == "SYS-A;SYS-B"
    assert rows[1]["residual_score"] == ""
    assert rows[1]["within_appetite"] == "true"
    assert rows[3]["acceptance_expires"] == "2026-11-25"


def test_score_csv_header_only_when_nothing_matches(cli: Cli, repo: Path) -> None:
    result = cli("risk", "score", repo, "--format", "csv", "--band", "critical")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("id,title,")


def test_score_markdown(cli: Cli, repo: Path) -> None:
    result = cli("risk", "score", repo, "--as-of", AS_OF, "--format", "md", "--sort", "id")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "| Id | Title | Systems | Inherent | Residual | Current | Appetite | Acceptance | Owner "
        "| Status |"
    )
    assert lines[1] == "|---|---|---|---|---|---|---|---|---|---|"
    assert lines[2] == (
        "| R-1 | Screening misses harm to children | SYS-A | 4 x 5 = 20 critical "
        "| 2 x 5 = 10 high | high (residual) | exceeded | until 2026-11-26 | alice@example.com "
        "| treating |"
    )
    assert lines[3] == (
        "| R-2 | Drift, with a \\| pipe | SYS-A, SYS-B | 3 x 3 = 9 medium | - "
        "| medium (inherent) | within | - | bob@example.com | open |"
    )
    assert "| SYS-A | high | 3 |" in lines
    assert "| SYS-C | unassessed | 0 |" in lines
    assert "| System | Tier | Open risks |" in lines


def test_score_markdown_and_table_say_when_nothing_matches(cli: Cli, repo: Path) -> None:
    md = cli("risk", "score", repo, "--format", "md", "--band", "critical").stdout
    assert md.startswith("No risks match the filters.\n")
    assert "| SYS-A | high | 3 |" in md
    text = cli("risk", "score", repo, "--band", "critical").stdout
    assert text.startswith("no risks match the filters\n")


def test_score_empty_register(cli: Cli, make_repo: MakeRepo) -> None:
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A")})
    assert cli("risk", "score", root).stdout.startswith("no risks in the register\n")
    assert score_json(cli, root) == {
        "version": 1,
        "risks": [],
        "systems": [{"id": "SYS-A", "tier": "unassessed", "open_risks": 0}],
    }


def test_score_without_systems_says_so_under_the_tiers_title(cli: Cli, make_repo: MakeRepo) -> None:
    """A repository with no AI system: the tiers title was followed by a table of
    headers alone (a Markdown table with no row), with nothing saying why."""
    root = make_repo()
    text = cli("risk", "score", root).stdout.splitlines()
    title = text.index("System tiers (the highest band among each system's open risks):")
    assert text[title + 1 :] == ["no AI systems in the repository, so no tiers"]
    md = cli("risk", "score", root, "--format", "md").stdout.splitlines()
    title = md.index("System tiers (the highest band among each system's open risks):")
    assert md[title + 1 :] == ["", "No AI systems in the repository, so no tiers."]
    assert score_json(cli, root) == {"version": 1, "risks": [], "systems": []}


def test_score_without_systems_on_a_terminal(
    cli: Cli, make_repo: MakeRepo, terminal: Callable[[], None]
) -> None:
    terminal()
    result = cli("risk", "score", make_repo())
    assert result.exit_code == 0
    assert "System tiers: no AI systems in the repository, so no tiers" in result.stdout
    assert "┃" not in result.stdout  # no table of headers alone


# Record text that Markdown would read as markup, a table cell break, code or a mention.
HOSTILE_TITLE = "<b>x</b> *y* [z](http://e.example) a | b ``c`` @acme/team"


def test_score_markdown_shows_record_text_as_text(cli: Cli, make_repo: MakeRepo) -> None:
    risk = f"""\
        kind: Risk
        id: R-1
        title: '{HOSTILE_TITLE}'
        owner: '@acme/team'
        description: d
        systems: [SYS-A]
        inherent: {{likelihood: 3, severity: 3}}
        status: open
        """
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk}, CONFIG)
    result = cli("risk", "score", root, "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0, result.stderr
    row = result.stdout.splitlines()[2]
    # Escaped like the reports: no HTML, emphasis, link or code span; the pipe stays in its
    # cell; a word joiner after the @ keeps GitHub from notifying the team.
    assert row == (
        "| R-1 | \\<b\\>x\\</b\\> \\*y\\* \\[z\\](http://e.example) a \\| b "
        "\\`\\`c\\`\\` @\u2060acme/team | SYS-A | 3 x 3 = 9 medium | - | medium (inherent) "
        "| within | - "
        "| @\u2060acme/team | open |"
    )
    assert len(re.split(r"(?<!\\)\|", row)) == 12  # ten cells between the outer pipes
    # The other formats carry the text as it is written.
    assert HOSTILE_TITLE in cli("risk", "score", root, "--as-of", AS_OF).stdout
    assert score_json(cli, root)["risks"][0]["title"] == HOSTILE_TITLE


def test_matrix_markdown_escapes_scale_labels(cli: Cli, make_repo: MakeRepo) -> None:
    # The matrix shows no record text, but its labels come from aims.yaml.
    config = CONFIG + "  likelihood: [Rare, '*Often*']\n  severity: [Low, '<b>High</b>']\n"
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A")}, config)
    result = cli("risk", "matrix", root, "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == "| Likelihood / Severity | 1 Low | 2 \\<b\\>High\\</b\\> |"
    assert lines[4] == "| 2 \\*Often\\* | 0 low | 0 low |"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it in the test body to make stdout a wide colour terminal to aimsctl and Rich.

    (In the body, because only then is sys.stdout the stream capsys captures.)
    """
    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)

    def enable() -> None:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)

    return enable


def test_score_rich_table_coloured_by_band_on_a_terminal(
    cli: Cli, repo: Path, terminal: Callable[[], None]
) -> None:
    terminal()
    result = cli("risk", "score", repo, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "┃" in result.stdout  # a Rich table, not the plain one
    assert "Risk register" in result.stdout
    assert "System tiers" in result.stdout
    for text in ("4 x 5 = 20 critical", "2 x 5 = 10 high", "unassessed", "until 2026-11-26"):
        assert text in result.stdout


def test_score_no_color_on_a_terminal(
    cli: Cli, repo: Path, terminal: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal()
    monkeypatch.setenv("NO_COLOR", "1")
    result = cli("risk", "score", repo, "--as-of", AS_OF)
    assert "\x1b[" not in result.stdout
    assert "┃" in result.stdout
    assert "4 x 5 = 20 critical" in result.stdout


# --- risk matrix ---------------------------------------------------------------------


def matrix_json(cli: Cli, repo: Path, *args: str) -> dict[str, Any]:
    result = cli("risk", "matrix", repo, "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def occupied(document: dict[str, Any]) -> dict[tuple[int, int], list[str]]:
    return {(c["likelihood"], c["severity"]): c["risks"] for c in document["cells"] if c["count"]}


def test_matrix_json_inherent(cli: Cli, repo: Path) -> None:
    document = matrix_json(cli, repo)
    assert document["position"] == "inherent"
    assert document["likelihood"] == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert document["severity"] == ["Negligible", "Minor", "Moderate", "Major", "Severe"]
    assert occupied(document) == {(4, 5): ["R-1"], (3, 3): ["R-2"], (4, 3): ["R-4"]}
    assert (document["counted"], document["closed_excluded"]) == (3, 1)
    cells = document["cells"]
    assert len(cells) == 25
    # rows high to low, columns low to high
    assert [(c["likelihood"], c["severity"]) for c in cells[:6]] == [
        (5, 1),
        (5, 2),
        (5, 3),
        (5, 4),
        (5, 5),
        (4, 1),
    ]
    assert cells[0] == {
        "likelihood": 5,
        "severity": 1,
        "score": 5,
        "band": "medium",
        "count": 0,
        "risks": [],
    }
    by_cell = {(c["likelihood"], c["severity"]): c for c in cells}
    assert by_cell[(4, 5)]["band"] == "critical"
    assert by_cell[(4, 3)]["band"] == "high"
    assert by_cell[(2, 2)]["band"] == "low"


def test_matrix_json_residual(cli: Cli, repo: Path) -> None:
    document = matrix_json(cli, repo, "--residual")
    assert document["position"] == "residual"
    assert occupied(document) == {(2, 5): ["R-1"], (3, 3): ["R-2"], (4, 3): ["R-4"]}
    assert document["closed_excluded"] == 1


def test_matrix_without_options_shows_inherent_and_residual(cli: Cli, repo: Path) -> None:
    # cli.md: `aimsctl risk matrix [REPO]` is the grid with counts, inherent and
    # residual. Without --residual it showed the inherent grid alone.
    text = cli("risk", "matrix", repo, "--as-of", AS_OF).stdout.splitlines()
    titles = [line for line in text if line.endswith("matrix") or "risk matrix (" in line]
    assert titles == [
        "Inherent risk matrix",
        "Current risk matrix (residual once the treatment is in place, else inherent)",
    ]
    rows = [line for line in text if line.startswith("2 Unlikely")]
    assert [row.split()[-2:] for row in rows] == [["0", "high"], ["1", "high"]]
    assert text[-1].startswith("3 risks counted; closed risks are excluded (1 closed).")
    md = cli("risk", "matrix", repo, "--as-of", AS_OF, "--format", "md").stdout
    assert md.count("**Inherent risk matrix**") == md.count("**Current risk matrix (") == 1
    document = matrix_json(cli, repo)
    assert document["position"] == "inherent"
    assert occupied(document) == {(4, 5): ["R-1"], (3, 3): ["R-2"], (4, 3): ["R-4"]}
    assert document["residual"]["position"] == "residual"
    assert occupied(document["residual"]) == {(2, 5): ["R-1"], (3, 3): ["R-2"], (4, 3): ["R-4"]}
    assert document["residual"]["counted"] == 3
    # --residual is the current grid alone, as before.
    only = matrix_json(cli, repo, "--residual")
    assert "residual" not in only
    plain = cli("risk", "matrix", repo, "--residual", "--as-of", AS_OF).stdout
    assert "Inherent risk matrix" not in plain


def cells(line: str) -> list[str]:
    """The cells of a plain-text table row: columns are two or more spaces apart."""
    return re.split(r"\s{2,}", line.strip())


def test_matrix_text_when_piped(cli: Cli, repo: Path) -> None:
    result = cli("risk", "matrix", repo, "--as-of", AS_OF)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Inherent risk matrix"
    assert cells(lines[2]) == [
        "Likelihood / Severity",
        "1 Negligible",
        "2 Minor",
        "3 Moderate",
        "4 Major",
        "5 Severe",
    ]
    grid = {cells(line)[0]: cells(line)[1:] for line in lines[3:8]}
    assert list(grid) == ["5 Almost certain", "4 Likely", "3 Possible", "2 Unlikely", "1 Rare"]
    assert grid["4 Likely"] == ["0 low", "0 medium", "1 high", "0 high", "1 critical"]
    assert grid["3 Possible"] == ["0 low", "0 medium", "1 medium", "0 high", "0 high"]
    assert grid["1 Rare"] == ["0 low", "0 low", "0 low", "0 low", "0 medium"]
    assert "closed risks are excluded (1 closed)" in result.stdout
    assert "3 risks counted" in result.stdout
    assert "\x1b[" not in result.stdout


def test_matrix_residual_text(cli: Cli, repo: Path) -> None:
    result = cli("risk", "matrix", repo, "--residual", "--as-of", AS_OF)
    # The title said "Residual risk matrix" while a risk whose treatment is not in place
    # sits at its inherent position: the risks report calls this view "Current risk".
    assert result.stdout.startswith(
        "Current risk matrix (residual once the treatment is in place, else inherent)"
    )
    row = next(line for line in result.stdout.splitlines() if line.startswith("2 Unlikely"))
    assert row.split()[-2:] == ["1", "high"]


def test_matrix_residual_title_follows_residual_credit(cli: Cli, make_repo: MakeRepo) -> None:
    # The title said "residual where given" while a planned residual left its risk at
    # the inherent position; only residual_credit: planned places it as written.
    files = {f"systems/{s}.yaml": system(s) for s in ("SYS-A", "SYS-B", "SYS-C")}
    root = make_repo({**files, **RISKS}, config=CONFIG + "  residual_credit: planned\n")
    result = cli("risk", "matrix", root, "--residual", "--as-of", AS_OF)
    assert result.stdout.startswith("Current risk matrix (residual where given, else inherent)")


def test_matrix_markdown(cli: Cli, repo: Path) -> None:
    result = cli("risk", "matrix", repo, "--format", "md", "--as-of", AS_OF)
    lines = result.stdout.splitlines()
    assert lines[0] == "**Inherent risk matrix**"
    assert lines[2] == (
        "| Likelihood / Severity | 1 Negligible | 2 Minor | 3 Moderate | 4 Major | 5 Severe |"
    )
    assert lines[3] == "|---|---|---|---|---|---|"
    assert lines[5] == "| 4 Likely | 0 low | 0 medium | 1 high | 0 high | 1 critical |"
    assert "closed risks are excluded (1 closed)" in lines[-1]


def test_on_a_terminal_record_and_scale_text_is_shown_as_written_not_as_markup(
    cli: Cli, make_repo: MakeRepo, terminal: Callable[[], None]
) -> None:
    # Rich read a plain string as markup: a risk titled '[/x]', or a likelihood label
    # or band so named, ended the register and the matrix with an internal error
    # (exit 3), and '[bold]b[/bold]' showed 'b' in bold, its brackets gone.
    config = CONFIG.replace("  appetite: medium\n", "") + (
        "  likelihood: ['[/r]', Unlikely, Possible, Likely, Almost certain]\n"
        "  severity: ['[/s]', Minor, Moderate, Major, Severe]\n"
        "  bands:\n    - {name: '[/low]', max: 4}\n    - {name: medium, max: 9}\n"
        "    - {name: high, max: 16}\n    - {name: critical, max: 25}\n"
        "  appetite: medium\n"
        "governance:\n"
        "  '[/low]': {review_days: 730}\n  medium: {review_days: 365}\n"
        "  high: {review_days: 180}\n  critical: {review_days: 90}\n"
    )
    risk = RISKS["risks/R-2.yaml"].replace("Drift, with a | pipe", "'[/x] and [bold]b[/bold]'")
    risk = risk.replace("systems: [SYS-A, SYS-B]", "systems: [SYS-A]")
    risk = risk.replace("{likelihood: 3, severity: 3}", "{likelihood: 1, severity: 1}")
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "risks/R-2.yaml": risk}, config)
    piped = cli("risk", "score", root, "--as-of", AS_OF)
    assert piped.exit_code == 0 and "[/x] and [bold]b[/bold]" in piped.stdout, piped.stderr
    terminal()
    score = cli("risk", "score", root, "--as-of", AS_OF)
    assert score.exit_code == 0, score.stderr
    assert "[/x] and [bold]b[/bold]" in score.stdout and "[/low]" in score.stdout
    matrix = cli("risk", "matrix", root, "--as-of", AS_OF)
    assert matrix.exit_code == 0, matrix.stderr
    assert all(f"[/{name}]" in matrix.stdout for name in ("r", "s", "low"))


def test_matrix_coloured_on_a_terminal(
    cli: Cli, repo: Path, terminal: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal()
    result = cli("risk", "matrix", repo, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "Bands:" in result.stdout
    assert "closed risks are excluded" in result.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = cli("risk", "matrix", repo, "--as-of", AS_OF).stdout
    assert "\x1b[" not in plain
    assert "1 critical" in plain  # without colour the band is spelled out


ONE_BAND_CONFIG = """\
version: 1
organization: Test Org
risk:
  bands:
    - {name: only, max: 25}
  appetite: only
governance: {}
"""


def test_a_single_band_takes_the_top_colour_on_a_terminal(
    cli: Cli, make_repo: MakeRepo, terminal: Callable[[], None]
) -> None:
    # As in the HTML reports (aimsctl.text.band_colour): one band is the top colour, red.
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), **RISKS}, ONE_BAND_CONFIG)
    terminal()
    result = cli("risk", "matrix", root, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "Bands: \x1b[30;41m only \x1b[0m" in result.stdout


def test_matrix_bad_format(cli: Cli, repo: Path) -> None:
    result = cli("risk", "matrix", repo, "--format", "table")
    assert result.exit_code == 2
    assert "--format 'table' is not one of text, json, md" in result.stderr


# --- risk show -----------------------------------------------------------------------


def show(cli: Cli, repo: Path, risk_id: str, as_of: str = AS_OF) -> list[str]:
    result = cli("risk", "show", risk_id, repo, "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def test_show_explains_the_computation(cli: Cli, repo: Path) -> None:
    assert show(cli, repo, "R-1") == [
        "R-1: Screening misses harm to children",
        "Systems: SYS-A (tier high)",
        "Status: treating; owner: alice@example.com",
        "",
        "Inherent",
        '  likelihood "Likely" = 4',
        '  severity "Major" = 4, +1 for vulnerable groups = 5',
        "  score 4 x 5 = 20, band critical (17-25)",
        "Residual",
        '  likelihood "Unlikely" = 2',
        '  severity "Major" = 4, +1 for vulnerable groups = 5',
        "  score 2 x 5 = 10, band high (10-16)",
        "Current: high, the residual: the treatment is in place (completed on 2026-10-01)",
        "Appetite medium: exceeded (the current band is high)",
        "Acceptance: accepted by cro@example.com on 2026-02-01 until 2026-11-26 "
        "(in force on 2026-11-26)",
        "Treatment: mitigate; due 2027-01-31; completed 2026-10-01",
    ]


def test_show_names_a_system_that_fails_validation(cli: Cli, example_copy: Path) -> None:
    # SYS-HIRE's file fails validation: the system may well exist, as the reports and
    # `due` say; `risk show` called it "no such system".
    path = example_copy / "systems/SYS-HIRE.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("stage: production", "stage: nonsense", 1),
        encoding="utf-8",
    )
    assert "Systems: SYS-HIRE (fails validation)" in show(cli, example_copy, "R-001")
    assert "Systems: SYS-NONE (no such system)" in show(
        cli, _with_system(example_copy, "R-001", "SYS-NONE"), "R-001"
    )


def _with_system(repo: Path, risk_id: str, system_id: str) -> Path:
    path = repo / f"risks/{risk_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("systems: [SYS-HIRE]", f"systems: [{system_id}]"), encoding="utf-8"
    )
    return repo


def test_show_expired_acceptance(cli: Cli, repo: Path) -> None:
    lines = show(cli, repo, "R-1", as_of="2026-11-27")
    assert (
        "Acceptance: accepted by cro@example.com on 2026-02-01, expired on 2026-11-26 "
        "(as of 2026-11-27)"
    ) in lines
    assert "Needs treatment or a formal acceptance: the risk is above appetite." in lines


def test_show_acceptance_not_yet_in_force(cli: Cli, repo: Path) -> None:
    lines = show(cli, repo, "R-1", as_of="2026-01-31")
    assert (
        "Acceptance: accepted by cro@example.com on 2026-02-01 until 2026-11-26, "
        "not yet in force on 2026-01-31"
    ) in lines


def test_show_untreated_and_closed(cli: Cli, repo: Path) -> None:
    lines = show(cli, repo, "R-2")
    assert "Systems: SYS-A (tier high), SYS-B (tier medium)" in lines
    assert "  score 3 x 3 = 9, band medium (5-9)" in lines
    assert "Residual: none given" in lines
    assert "Current: medium, the inherent position: no residual is given" in lines
    assert "Appetite medium: within (the current band is medium)" in lines
    assert "Acceptance: none" in lines
    assert "Treatment: none" in lines
    closed = show(cli, repo, "R-3")
    assert "Closed: this risk does not count toward any system's tier." in closed
    assert "Treatment: avoid; completed 2026-03-01" in closed


def test_show_a_closed_risk_above_appetite_asks_for_no_acceptance(
    cli: Cli, example_copy: Path
) -> None:
    # R-020 closed with its treatment never recorded as in place: its current band
    # (high) is above the appetite; AIMS303 judges open risks, so AIMS308 warns, yet
    # `risk show` said it needed treatment or a formal acceptance.
    (example_copy / "risks/R-020.yaml").write_text(closed_untreated_r020(), encoding="utf-8")
    lines = show(cli, example_copy, "R-020")
    assert "Appetite medium: exceeded (the current band is high)" in lines
    assert not [line for line in lines if line.startswith("Needs treatment")]
    assert lines[-1] == (
        "Closed: this risk does not count toward any system's tier, and needs no "
        "acceptance although above appetite."
    )
    validate = cli("validate", example_copy, "--as-of", AS_OF, "--format", "json")
    codes = {(d["code"], d["record"]) for d in json.loads(validate.stdout)["diagnostics"]}
    assert ("AIMS303", "R-020") not in codes
    assert ("AIMS308", "R-020") in codes


def test_show_escapes_who_accepted_and_owns_the_treatment(cli: Cli, make_repo: MakeRepo) -> None:
    """An escape sequence or a bidi control in acceptance.by or treatment.owner is shown
    escaped, as the title and owner are: they reached the terminal as they were."""
    risk = """\
        kind: Risk
        id: R-1
        title: t
        owner: o
        description: d
        systems: [SYS-A]
        inherent: {likelihood: 4, severity: 4}
        treatment: {option: mitigate, owner: "ops\\u202e\\e[2J"}
        residual: {likelihood: 1, severity: 1}
        acceptance: {by: "cro\\e[31m\\u202e", on: 2026-01-10, rationale: r, expires: 2027-01-10}
        status: open
        """
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk}, CONFIG)
    lines = show(cli, root, "R-1")
    assert (
        "Acceptance: accepted by cro\\x1b[31m\\u202e on 2026-01-10 until 2027-01-10 "
        "(in force on 2026-11-26)"
    ) in lines
    assert "Treatment: mitigate; owner ops\\u202e\\x1b[2J" in lines


def test_an_acceptance_signed_by_a_placeholder_is_not_signed_in_the_register(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A `TODO:` in acceptance.by is nobody's signature: the register said "not
    designated", as if someone had signed who may not; it says "not signed", and
    `risk show` why (AIMS305's reason)."""
    risk = """\
        kind: Risk
        id: R-{n}
        title: t
        owner: o
        description: d
        systems: [SYS-A]
        inherent: {{likelihood: 4, severity: 4}}
        acceptance: {{by: "{by}", on: 2026-01-10, rationale: r, expires: 2027-01-10}}
        status: open
        """
    files = {
        "systems/SYS-A.yaml": system("SYS-A"),
        "risks/R-1.yaml": risk.format(n=1, by="TODO: who accepts"),
    }
    root = make_repo(files, CONFIG)
    for form in ("table", "md"):
        result = cli("risk", "score", root, "--as-of", "2026-11-26", "--format", form)
        assert result.exit_code == 0, result.stderr
        rows = {
            cells[0]: cells
            for line in result.stdout.splitlines()
            if (cells := [c.strip() for c in re.split(r"\s{2,}|\|", line.strip(" |"))])
            and cells[0] == "R-1"
        }
        assert "not signed" in rows["R-1"] and "not designated" not in rows["R-1"], form
    assert (
        "Acceptance: accepted by TODO: who accepts on 2026-01-10 until 2027-01-10, not "
        "counted: 'TODO: who accepts' is a placeholder (TODO:): nobody has signed it yet"
    ) in show(cli, root, "R-1")


@pytest.mark.parametrize(
    ("risk_id", "message"),
    [
        ("R-5", "no risk 'R-5' in the repository; did you mean 'R-4'?"),
        ("r-01", "no risk 'r-01' in the repository; did you mean 'R-1'?"),
        ("ZZZZZZ", "no risk 'ZZZZZZ' in the repository"),
        ("SYS-A", "'SYS-A' is not a Risk but a record of kind AISystem"),
    ],
)
def test_show_unknown_id_exits_2(cli: Cli, repo: Path, risk_id: str, message: str) -> None:
    result = cli("risk", "show", risk_id, repo)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


UPLIFT_CONFIG = """\
version: 1
organization: Test Org
risk:
  vulnerable_uplift: 2
"""


def test_show_capped_uplift_and_zero_uplift(cli: Cli, make_repo: MakeRepo) -> None:
    risk = """\
        kind: Risk
        id: R-9
        title: t
        owner: o
        description: d
        systems: [SYS-A]
        affects_vulnerable: true
        inherent: {likelihood: 2, severity: Major}
        status: open
        """
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "r.yaml": risk}, UPLIFT_CONFIG)
    assert (
        '  severity "Major" = 4, +1 for vulnerable groups (uplift 2 capped at the top level 5) = 5'
    ) in show(cli, root, "R-9")
    (root / "aims.yaml").write_text("version: 1\norganization: Test Org\n")
    assert (
        '  severity "Major" = 4 (affects vulnerable groups; risk.vulnerable_uplift is 0)'
        in show(cli, root, "R-9")
    )


FLOORS_CONFIG = """\
version: 1
organization: Test Org
risk:
  severity_floor:
    - {severity: Severe, min_band: high}
    - {severity: moderate, min_band: high}
"""


def test_show_names_the_floor_the_severity_reaches(cli: Cli, make_repo: MakeRepo) -> None:
    # Two floors give the same band: the explanation named the first one listed
    # ("severity 3 reaches Severe"), which severity 3 does not reach.
    risk = """\
        kind: Risk
        id: R-9
        title: t
        owner: o
        description: d
        systems: [SYS-A]
        inherent: {likelihood: Rare, severity: Moderate}
        status: open
        """
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "r.yaml": risk}, FLOORS_CONFIG)
    assert (
        "  score 1 x 3 = 3, band high: raised by the severity floor (severity 3 reaches "
        '"Moderate", so at least high)'
    ) in show(cli, root, "R-9")


def test_show_says_why_a_treatment_is_not_in_place(cli: Cli, make_repo: MakeRepo) -> None:
    # It said "no completed date" of a treatment completed after the as-of date, and
    # spoke of a treatment (and its controls) where none was recorded.
    def risk(risk_id: str, treatment: str) -> str:
        return f"""\
            kind: Risk
            id: {risk_id}
            title: t
            owner: o
            description: d
            systems: [SYS-A]
            inherent: {{likelihood: 4, severity: 4}}
            {treatment}
            residual: {{likelihood: 1, severity: 1}}
            status: treating
            """

    root = make_repo(
        {
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1", "treatment: {option: mitigate, completed: 2026-12-01}"),
            "risks/R-2.yaml": risk("R-2", "reviewed: {on: 2026-01-01, by: r}"),
        }
    )
    assert (
        "Current: high, the inherent position: the treatment is not in place yet "
        "(completed only on 2026-12-01, and it names no control)"
    ) in show(cli, root, "R-1")
    assert "Current: high, the inherent position: no treatment is recorded" in show(
        cli, root, "R-2"
    )


# records-v2.md, "Current position": with residual_credit implemented the residual is
# current only when treatment.completed is on or before the as-of date, or every id in
# treatment.controls is an applicable Control with status implemented.
IMPLEMENTED = (
    "applicable: true\njustification: j\nowner: o\nstatus: implemented\n"
    "evidence:\n  - {url: 'https://evidence.example/x'}\n"
)
SECOND_CONTROL = {
    "implemented": IMPLEMENTED,
    "partial": "applicable: true\njustification: j\nowner: o\nstatus: partial\n",
    # excluded from the SoA, whatever its status says
    "excluded-implemented": IMPLEMENTED.replace("applicable: true", "applicable: false"),
}


@pytest.mark.parametrize(
    ("second", "completed", "basis"),
    [
        ("implemented", None, "residual"),
        ("partial", None, "inherent"),
        ("excluded-implemented", None, "inherent"),
        ("partial", AS_OF, "residual"),  # completed on the as-of date counts
        ("partial", "2026-11-27", "inherent"),  # completed only the day after
    ],
)
def test_the_residual_is_current_only_once_the_treatment_is_in_place(
    cli: Cli, make_repo: MakeRepo, second: str, completed: str | None, basis: str
) -> None:
    done = f", completed: {completed}" if completed else ""
    root = make_repo(
        {
            "systems/SYS-A.yaml": system("SYS-A"),
            "controls/ORG-1.yaml": f"kind: Control\nid: ORG-1\ntitle: t\n{IMPLEMENTED}",
            "controls/ORG-2.yaml": f"kind: Control\nid: ORG-2\ntitle: t\n{SECOND_CONTROL[second]}",
            "risks/R-1.yaml": (
                "kind: Risk\nid: R-1\ntitle: t\nowner: o\ndescription: d\nsystems: [SYS-A]\n"
                "inherent: {likelihood: 5, severity: 4}\n"
                f"treatment: {{option: mitigate, controls: [ORG-1, ORG-2]{done}}}\n"
                "residual: {likelihood: 1, severity: 2}\nstatus: treating\n"
            ),
        },
        CONFIG,
    )
    [risk] = score_json(cli, root)["risks"]
    # Computed by hand: inherent 5 x 4 = 20 (critical), residual 1 x 2 = 2 (low);
    # the appetite (medium) is judged on the current position.
    position = {"inherent": (5, 4, 20, "critical"), "residual": (1, 2, 2, "low")}[basis]
    assert risk["current"] == dict(
        zip(("likelihood", "severity", "score", "band", "basis"), (*position, basis), strict=True)
    )
    assert risk["residual"] == {"likelihood": 1, "severity": 2, "score": 2, "band": "low"}
    assert risk["within_appetite"] is (basis == "residual")


# --- the matrix method ---------------------------------------------------------------

MATRIX_CONFIG = """\
version: 1
organization: Test Org
risk:
  likelihood: [Low, Medium, High]
  severity: [Minor, Moderate, Major]
  method: matrix
  matrix:
    - [low, low, high]
    - [low, medium, high]
    - [medium, high, critical]
  bands:
    - {name: low, max: 2}
    - {name: medium, max: 4}
    - {name: high, max: 6}
    - {name: critical, max: 9}
  appetite: medium
"""


def matrix_risk(risk_id: str, likelihood: str, severity: str) -> str:
    return f"""\
kind: Risk
id: {risk_id}
title: Risk {risk_id}
owner: o
description: d
systems: [SYS-A]
inherent: {{likelihood: {likelihood}, severity: {severity}}}
status: open
"""


@pytest.fixture
def matrix_repo(make_repo: MakeRepo) -> Path:
    return make_repo(
        {
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/M-1.yaml": matrix_risk("M-1", "Low", "Major"),
            "risks/M-2.yaml": matrix_risk("M-2", "High", "Minor"),
            "risks/M-3.yaml": matrix_risk("M-3", "2", "2"),
        },
        MATRIX_CONFIG,
    )


def test_matrix_method_register(cli: Cli, matrix_repo: Path) -> None:
    document = score_json(cli, matrix_repo)
    # M-1 and M-2 both score 3 (ordered by id), M-3 scores 4; the band is the matrix cell
    assert [(r["id"], r["inherent"], r["within_appetite"]) for r in document["risks"]] == [
        ("M-3", level(2, 2, "medium"), True),
        ("M-1", level(1, 3, "high"), False),
        ("M-2", level(3, 1, "medium"), True),
    ]
    assert document["systems"] == [{"id": "SYS-A", "tier": "high", "open_risks": 3}]


def test_matrix_method_grid(cli: Cli, matrix_repo: Path) -> None:
    document = matrix_json(cli, matrix_repo)
    assert occupied(document) == {(1, 3): ["M-1"], (3, 1): ["M-2"], (2, 2): ["M-3"]}
    bands = [[c["band"] for c in document["cells"][row * 3 : row * 3 + 3]] for row in range(3)]
    assert bands == [
        ["medium", "high", "critical"],
        ["low", "medium", "high"],
        ["low", "low", "high"],
    ]


def test_matrix_method_show_names_the_cell(cli: Cli, matrix_repo: Path) -> None:
    assert (
        '  score 1 x 3 = 3, band high from the matrix cell likelihood 1 "Low" x severity 3 "Major"'
    ) in show(cli, matrix_repo, "M-1")


# --- invalid records and configuration -----------------------------------------------


def test_invalid_records_are_skipped_with_one_line(cli: Cli, repo: Path) -> None:
    (repo / "risks" / "R-5.yaml").write_text(
        "kind: Risk\nid: R-5\ntitle: t\nowner: o\ndescription: d\nsystems: [SYS-A]\n"
        "inherent: {likelihood: Sometimes, severity: 2}\nstatus: open\n"
    )
    (repo / "risks" / "broken.yaml").write_text("kind: Risk\nid: [unclosed\n")
    commands = {
        ("score",): "R-1",
        ("score", "--format", "json"): "R-1",
        ("matrix",): "3 risks counted",
        ("show", "R-1"): "R-1: Screening",
    }
    for command, shown in commands.items():
        result = cli("risk", *command, repo, "--as-of", AS_OF)
        assert result.exit_code == 0
        assert result.stderr == (
            "aimsctl: warning: skipped 2 invalid records (2 errors); "
            "run `aimsctl validate` to see them\n"
        )
        assert shown in result.stdout
    assert ids(json.loads(cli("risk", "score", repo, "--format", "json").stdout)) == [
        "R-4",
        "R-1",
        "R-2",
        "R-3",
    ]
    result = cli("risk", "show", "R-5", repo)
    assert result.exit_code == 2
    assert "'R-5' is invalid and was skipped; run `aimsctl validate`" in result.stderr


def test_tables_and_markdown_say_they_are_incomplete_where_records_were_skipped(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # A 5 x 5 risk with a typo in its status was skipped: the register said 'appetite
    # medium: 0 above' and SYS-A 'low', the matrix '1 risk counted', the skip said only
    # on standard error (which a redirect to a file or a CI log of stdout loses).
    low = RISKS["risks/R-2.yaml"].replace("systems: [SYS-A, SYS-B]", "systems: [SYS-A]")
    high = "kind: Risk\nid: R-9\ntitle: t\nowner: o\ndescription: d\nsystems: [SYS-A]\n"
    high += "inherent: {likelihood: 5, severity: 5}\nstatus: opne\n"
    files = {"systems/SYS-A.yaml": system("SYS-A"), "risks/R-2.yaml": low}
    root = make_repo({**files, "risks/R-9.yaml": high}, config=CONFIG)
    note = (
        "Incomplete: 1 file with records that failed validation left out (risks/R-9.yaml), "
        "so what its records hold is not scored, and more risks may be above appetite and "
        "tiers higher; run aimsctl validate"
    )
    for command in (("score",), ("score", "-f", "md"), ("matrix",), ("matrix", "-f", "md")):
        result = cli("risk", *command, root, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        assert "skipped 1 invalid record" in result.stderr
        assert result.stdout.splitlines()[-1] == note, command
    shown = cli("risk", "show", "R-2", root, "--as-of", AS_OF)
    assert shown.stdout.splitlines()[-1] == note
    # The matrix's JSON names the file too (`left_out`, as due and obligations do); the
    # register's JSON is the contract's shape, exactly, so only stderr says it there.
    matrix = json.loads(cli("risk", "matrix", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert matrix["left_out"] == ["risks/R-9.yaml"]
    (root / "risks" / "R-9.yaml").unlink()
    for command in (("score",), ("score", "-f", "md"), ("matrix",), ("show", "R-2")):
        assert "Incomplete" not in cli("risk", *command, root, "--as-of", AS_OF).stdout
    matrix = json.loads(cli("risk", "matrix", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert matrix["left_out"] == []


def test_on_a_terminal_the_skipped_file_is_named_as_written_not_as_markup(
    cli: Cli, make_repo: MakeRepo, terminal: Callable[[], None]
) -> None:
    bad = "kind: Risk\nid: R-9\ntitle: t\nowner: o\ndescription: d\nsystems: [SYS-A]\n"
    bad += "inherent: {likelihood: 5, severity: 5}\nstatus: opne\n"
    files = {"systems/SYS-A.yaml": system("SYS-A"), "risks/[/x]/R-9.yaml": bad}
    root = make_repo(files, config=CONFIG)
    terminal()
    for command in ("score", "matrix"):
        result = cli("risk", command, root, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        assert "Incomplete: 1 file" in result.stdout and "risks/[/x]/R-9.yaml" in result.stdout


def test_a_record_kept_despite_an_error_is_not_called_skipped(cli: Cli, repo: Path) -> None:
    # A duplicate key (AIMS005) is an error, but the record is read and scored: the
    # warning said "skipped 1 invalid record" while R-1 was in the register.
    path = repo / "risks" / "R-1.yaml"
    path.write_text(path.read_text() + "status: open\n")
    result = cli("risk", "score", repo, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "R-1" in ids(json.loads(result.stdout))
    assert "AIMS005" in cli("validate", repo, "--as-of", AS_OF).stdout
    # ... nor passed over in silence: a later line may say the risk is worse.
    assert result.stderr == (
        "aimsctl: warning: R-1 gives a key twice (AIMS005) and is scored with the first "
        "value; run `aimsctl validate` to see where\n"
    )


BAD_CONFIGS = {
    "matrix not N x N": (
        MATRIX_CONFIG.replace("    - [medium, high, critical]\n", ""),
        "aims.yaml:8:",
        "risk.matrix must have 3 rows",
    ),
    "row too short": (
        MATRIX_CONFIG.replace("[low, medium, high]", "[low, medium]"),
        "aims.yaml:9:",
        "risk.matrix row 2 must have 3 cells",
    ),
    "band name unknown": (
        MATRIX_CONFIG.replace("[medium, high, critical]", "[medium, hihg, critical]"),
        "aims.yaml:10:",
        "risk.matrix cell 'hihg' is not a band",
    ),
    "bands not reaching N x N": (
        MATRIX_CONFIG.replace("max: 9", "max: 8"),
        "aims.yaml:15:",
        "risk.bands must reach the highest score 9 (3 x 3)",
    ),
    "appetite not a band": (
        MATRIX_CONFIG.replace("appetite: medium", "appetite: moderate"),
        "aims.yaml:16:",
        "risk.appetite 'moderate' is not a band",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
@pytest.mark.parametrize("command", [["score"], ["matrix"], ["show", "M-1"]])
def test_config_errors_exit_2_with_the_line(
    cli: Cli, make_repo: MakeRepo, case: str, command: list[str]
) -> None:
    config, where, message = BAD_CONFIGS[case]
    root = make_repo({"risks/M-1.yaml": matrix_risk("M-1", "Low", "Major")}, config)
    result = cli("risk", *command, root)
    assert result.exit_code == 2
    assert where in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_no_repository_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("risk", "score", tmp_path / "missing")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_risk_help_lists_the_commands(cli: Cli) -> None:
    result = cli("risk", "--help")
    assert result.exit_code == 0
    for command in ("score", "matrix", "show"):
        assert command in result.stdout


def test_help_names_every_status_and_sort_key(cli: Cli) -> None:
    # The help is written out so that `aimsctl --help` need not import the models.
    from aimsctl.records.risk import RiskStatus
    from aimsctl.risk_register import SORT

    text = " ".join(cli("risk", "score", "--help").stdout.split())
    assert f"one of these statuses: {', '.join(get_args(RiskStatus))} (repeat" in text
    assert all(key in text.partition("--sort")[2] for key in SORT.names)


def test_the_command_module_imports_no_models_and_no_rich() -> None:
    code = (
        "import sys\n"
        "import aimsctl.cli.risk\n"
        "heavy = ['rich', 'pydantic', 'aimsctl.records', 'aimsctl.risk_register',"
        " 'aimsctl.outputs.risk']\n"
        "loaded = [name for name in heavy if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_score_filters_take_commas_as_monitor_check_does(cli: Cli) -> None:
    """`risk score --system SYS-HIRE,SYS-CREDIT` was refused ("'SYS-HIRE,SYS-CREDIT' is
    not one of ...; did you mean 'SYS-CREDIT'?") where `monitor check --system` and
    `diff --fail-on` take commas; now the same as repeating the option."""

    def ids(*args: str) -> list[str]:
        result = cli("risk", "score", EXAMPLE, "--as-of", AS_OF, "-f", "json", *args)
        assert result.exit_code == 0, result.stderr
        return [risk["id"] for risk in json.loads(result.stdout)["risks"]]

    repeated = ids("--system", "SYS-HIRE", "--system", "SYS-CREDIT")
    assert repeated and ids("--system", "SYS-HIRE, SYS-CREDIT") == repeated
    assert set(ids("--system", "SYS-HIRE")) < set(repeated)
    both = ids("--band", "high", "--band", "critical", "--status", "open", "--status", "treating")
    assert both and ids("--band", "HIGH,critical", "--status", "open,treating") == both


@pytest.mark.parametrize("option", ["--system", "--band", "--status"])
@pytest.mark.parametrize("blank", ["", " ", ","])
def test_a_blank_score_filter_is_refused_not_dropped(cli: Cli, option: str, blank: str) -> None:
    """With commas read, a blank value must not become no filter: `--system "$SYSTEM"`
    with the variable unset would list the whole register."""
    result = cli("risk", "score", EXAMPLE, "--as-of", AS_OF, option, blank)
    assert result.exit_code == 2
    what = {
        "--system": "the system whose",
        "--band": "the band of the",
        "--status": "the status of the",
    }
    assert result.stderr == (
        f"aimsctl: error: {option} is blank: name {what[option]} risks to list, "
        f"or leave {option} out\n"
    )
    assert result.stdout == ""


def test_markdown_writes_a_line_break_in_a_title_as_a_space(cli: Cli, make_repo: MakeRepo) -> None:
    # A quoted title may hold a line break; the Markdown table showed it as a literal
    # backslash-n (the terminal's escape), where md_text writes it as a space.
    risk = (
        'kind: Risk\nid: R-1\ntitle: "Ranking\\nbias \\x1b[31mred"\nowner: o@acme.example\n'
        "description: d\nsystems: [SYS-A]\ninherent: {likelihood: 3, severity: 3}\nstatus: open\n"
    )
    root = make_repo({"systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk}, CONFIG)
    result = cli("risk", "score", root, "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0, result.stderr
    row = result.stdout.splitlines()[2]
    assert row.startswith("| R-1 | Ranking bias \\\\x1b\\[31mred | SYS-A |"), row
    # The terminal table still shows each control character as its escape.
    assert "Ranking\\nbias" in cli("risk", "score", root, "--as-of", AS_OF).stdout
