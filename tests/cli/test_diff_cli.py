"""`aimsctl diff` end to end on real git repositories: formats, gates, edge cases."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import aimsctl.gitio.submodules
import aimsctl.workers
from aimsctl.errors import PARTIAL_CLONE
from aimsctl.vocabulary import FAIL_ON
from conftest import EXCLUDED_SOA, CliResult
from gitrepo import (
    CONFIG,
    GitRepo,
    control,
    git,
    missing_objects,
    one_system,
    plain_governance_folder,
    risk,
    system,
    two_commits,
)

Cli = Callable[..., CliResult]


@pytest.fixture
def history(tmp_path: Path) -> tuple[GitRepo, str, str]:
    return two_commits(tmp_path / "work")


def test_json_has_exactly_the_documented_shape(history: tuple[GitRepo, str, str], cli: Cli) -> None:
    repo, base, head = history
    result = cli("diff", base, head, repo.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report)[:9] == [
        "version",
        "base",
        "head",
        "added",
        "removed",
        "changed",
        "risk_changes",
        "tier_changes",
        "control_changes",
    ]
    assert report["version"] == 1
    assert report["base"] == base
    assert report["head"] == head
    assert report["added"] == [
        {"kind": "ImpactAssessment", "id": "IA-D", "path": "assessments/IA-D.yaml"},
        {"kind": "Control", "id": "ORG-3", "path": "controls/org.yaml"},
        {"kind": "Risk", "id": "R-3", "path": "risks/R-3.yaml"},
        {"kind": "AISystem", "id": "SYS-B", "path": "systems/SYS-B.yaml"},
        {"kind": "AISystem", "id": "SYS-D", "path": "systems/SYS-D.yaml"},
    ]
    assert report["removed"] == [{"kind": "Risk", "id": "R-2", "path": "risks/R-2.yaml"}]
    assert report["changed"] == [
        {
            "kind": "Control",
            "id": "A.2.2",
            "path": "controls/annex.yaml",
            "fields": [{"pointer": "/applicable", "before": True, "after": False}],
        },
        {
            "kind": "Control",
            "id": "A.2.3",
            "path": "controls/annex.yaml",
            "fields": [{"pointer": "/status", "before": "not-started", "after": "implemented"}],
        },
        {
            "kind": "Control",
            "id": "ORG-1",
            "path": "controls/org.yaml",
            "fields": [{"pointer": "/status", "before": "implemented", "after": "partial"}],
        },
        {
            "kind": "Risk",
            "id": "R-1",
            "path": "risks/R-1.yaml",
            "fields": [{"pointer": "/inherent/likelihood", "before": 2, "after": 4}],
        },
        {
            "kind": "Risk",
            "id": "R-10",
            "path": "risks/R-10.yaml",
            "fields": [{"pointer": "/inherent/likelihood", "before": 4, "after": 1}],
        },
        {"kind": "AISystem", "id": "SYS-C", "path": "systems/c/SYS-C.yaml", "fields": []},
    ]
    assert report["risk_changes"] == [
        {
            "id": "R-1",
            "before": {"score": 6, "band": "medium"},
            "after": {"score": 12, "band": "high"},
            "appetite_crossed": True,
        },
        {
            "id": "R-10",
            "before": {"score": 16, "band": "high"},
            "after": {"score": 4, "band": "low"},
            "appetite_crossed": True,
        },
    ]
    assert report["tier_changes"] == [
        {"id": "SYS-A", "before": "medium", "after": "high"},
        {"id": "SYS-C", "before": "high", "after": "low"},
    ]
    assert report["control_changes"] == [
        {"id": "A.2.2", "field": "applicable", "before": True, "after": False},
        {"id": "A.2.3", "field": "status", "before": "not-started", "after": "implemented"},
        {"id": "ORG-1", "field": "status", "before": "implemented", "after": "partial"},
        {"id": "ORG-3", "field": "applicable", "before": None, "after": False},
    ]
    # Extra keys, beyond the binding shape.
    assert report["moved"] == [
        {
            "kind": "AISystem",
            "id": "SYS-C",
            "from": "systems/SYS-C.yaml",
            "to": "systems/c/SYS-C.yaml",
        }
    ]
    assert report["new_systems_without_assessment"] == [
        {"kind": "AISystem", "id": "SYS-B", "path": "systems/SYS-B.yaml"}
    ]
    assert report["new_risks_above_appetite"] == [
        {"id": "R-3", "score": 25, "band": "critical", "path": "risks/R-3.yaml"}
    ]
    assert report["regressions"] == {
        "appetite-crossed": ["R-1"],
        "tier-raised": ["SYS-A"],
        "control-regressed": ["ORG-1"],
        "soa-exclusion-added": ["A.2.2", "ORG-3"],
        "system-changed-without-assessment": [],
        "risk-criteria-relaxed": [],
        "open-risk-removed": ["R-2"],  # open at BASE, deleted
        "open-nonconformity-removed": [],
        "open-incident-removed": [],
        "incident-downgraded": [],
        "threshold-relaxed": [],
        "failed-metric-rewritten": [],
        "breach-rewritten": [],
        "monitor-removed": [],
        "evaluation-removed": [],
        "management-record-removed": [],
        "policy-withdrawn": [],
        "approved-record-rewritten": [],
        "checks-relaxed": [],
    }
    assert report["removed_open_risks"] == [
        {"id": "R-2", "path": "risks/R-2.yaml", "status": "open"}
    ]
    assert report["relaxed_risks"] == report["relaxed_tiers"] == []  # aims.yaml is the same
    assert report["changed_without_assessment"] == []
    assert report["invalid"] == [] and report["config"] == [] and report["notes"] == []
    # Deterministic: the same comparison gives the same bytes.
    assert cli("diff", base, head, repo.root, "--format", "json").stdout == result.stdout


def test_text_lists_each_change_with_its_direction(
    history: tuple[GitRepo, str, str], cli: Cli
) -> None:
    repo, base, head = history
    result = cli("diff", base, head, "--repo", repo.root)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"aimsctl diff: {base[:12]} -> {head[:12]}"
    assert lines[1] == (
        "governance gets worse: 1 risk crosses the appetite, 1 new risk above the appetite, "
        "1 system tier raised, 1 open risk removed without being closed, 1 control regressed, "
        "2 SoA exclusions added, 1 new system without an impact assessment"
    )
    for expected in [
        "  AISystem SYS-C  systems/c/SYS-C.yaml (moved from systems/SYS-C.yaml)",
        "    inherent.likelihood: 2 -> 4",
        "  Risk R-2  risks/R-2.yaml",
        "  R-1  6 medium (inherent) -> 12 high (inherent)  crosses the appetite: now above",
        "  R-10  16 high (inherent) -> 4 low (inherent)  crosses the appetite: now within",
        "  SYS-A  medium -> high  raised",
        "  SYS-C  high -> low  lowered",
        '  ORG-1  status  "implemented" -> "partial"  regressed',
        "  ORG-3  applicable  (none) -> false  added as excluded",
        "  SYS-B  systems/SYS-B.yaml",
        "  R-3  25 critical",
        "  R-2  risks/R-2.yaml  status at BASE: open",
    ]:
        assert expected in lines, expected


def test_markdown_is_a_pull_request_comment(history: tuple[GitRepo, str, str], cli: Cli) -> None:
    repo, base, head = history
    result = cli("diff", base, head, repo.root, "--format", "md")
    assert result.exit_code == 0
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "<!-- aimsctl-diff -->"
    assert lines[1].startswith("### ⚠️ governance gets worse: 1 risk crosses the appetite")
    assert f"Compared `{base[:12]}` with `{head[:12]}`." in text
    assert "| change | count |" in text
    assert "| Risk scores changed | 2 (⚠️ 1 now above appetite) |" in text
    assert "| System tiers changed | 2 (⚠️ 1 raised) |" in text
    assert "<details><summary>Risk scores (2)</summary>" in text
    assert "| `R-1` | 6 medium (inherent) | 12 high (inherent) | ⚠️ now above |" in text
    assert "| `R-10` | 16 high (inherent) | 4 low (inherent) | ✅ now within |" in text
    assert '| `ORG-1` | status | `"implemented"` | `"partial"` | ⚠️ regressed |' in text
    assert "| inherent.likelihood | `2` | `4` |" in text
    assert text.count("<details>") == text.count("</details>") == 7
    assert "**AISystem** `SYS-C` · `systems/c/SYS-C.yaml` (moved from systems/SYS-C.yaml)" in text


EVALUATION = """\
kind: Evaluation
id: E-1
title: Pre-release test
system: SYS-A
stage: pre-deployment
performed: {on: 2026-06-01, by: qa@example.org}
metrics:
  - {name: accuracy, dimension: performance, value: 0.9, threshold: {min: 0.8}}
  - {name: recall, dimension: performance, value: %s, threshold: {min: 0.8}}
"""


def test_fields_are_named_in_words_as_validate_names_them(tmp_path: Path, cli: Cli) -> None:
    """Text and the comment showed JSON pointers (`/metrics/1/value`); they name the
    field as validate does, a nested field and a list entry alike. JSON keeps the
    pointer the contract fixes."""
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "systems/SYS-B.yaml": system("SYS-B"),
            "risks/R-1.yaml": risk("R-1"),
            "evaluations/E-1.yaml": EVALUATION % "0.9",
        }
    )
    repo.commit("base")
    repo.write(
        {
            "risks/R-1.yaml": risk("R-1", system="SYS-B", likelihood=4),
            "evaluations/E-1.yaml": EVALUATION % "0.85",
        }
    )
    base = ("diff", "HEAD", repo.root, "--as-of", "2026-11-26")
    text = cli(*base)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    for expected in [
        "    value of entry 2 of metrics: 0.9 -> 0.85",
        '    entry 1 of systems: "SYS-A" -> "SYS-B"',
        "    inherent.likelihood: 2 -> 4",
    ]:
        assert expected in lines, expected
    assert "/" not in "".join(line for line in lines if " -> " in line)
    comment = cli(*base, "--format", "md").stdout
    assert "| value of entry 2 of metrics | `0.9` | `0.85` |" in comment
    assert '| entry 1 of systems | `"SYS-A"` | `"SYS-B"` |' in comment
    assert "| inherent.likelihood | `2` | `4` |" in comment
    assert "/metrics/1/value" not in comment and "/inherent/likelihood" not in comment
    report = json.loads(cli(*base, "--format", "json").stdout)
    assert [(c["id"], [f["pointer"] for f in c["fields"]]) for c in report["changed"]] == [
        ("E-1", ["/metrics/1/value"]),
        ("R-1", ["/systems/0", "/inherent/likelihood"]),
    ]


def test_a_mapping_or_list_items_added_read_value_by_value(tmp_path: Path, cli: Cli) -> None:
    """A mapping added whole showed as JSON cut to the line (`{"likelihood": 1, "se…`)
    and a list that grew as both lists; text and comment show them value by value, as
    `log` does. The JSON keeps the one change of the whole value."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.write({"risks/R-1.yaml": risk("R-1") + "tags: [bias]\n"})
    repo.commit("base")
    added = "tags: [bias, privacy]\nresidual: {likelihood: 1, severity: 2}\n"
    repo.write({"risks/R-1.yaml": risk("R-1") + added})
    base = ("diff", "HEAD", repo.root, "--as-of", "2026-11-26")
    lines = cli(*base).stdout.splitlines()
    start = lines.index("  Risk R-1  risks/R-1.yaml")
    assert lines[start + 1 : start + 4] == [
        '    entry 2 of tags: (none) -> "privacy"',
        "    residual.likelihood: (none) -> 1",
        "    residual.severity: (none) -> 2",
    ]
    comment = cli(*base, "--format", "md").stdout
    assert '| entry 2 of tags | `(none)` | `"privacy"` |' in comment
    assert "| residual.likelihood | `(none)` | `1` |" in comment
    assert "{" not in comment
    report = json.loads(cli(*base, "--format", "json").stdout)
    assert report["changed"][0]["fields"] == [
        {"pointer": "/tags", "before": ["bias"], "after": ["bias", "privacy"]},
        {"pointer": "/residual", "before": None, "after": {"likelihood": 1, "severity": 2}},
    ]


# Field names that a dot, a slash, a `~`, spaces or digits would make read as another
# path (each the last part of one below), with the JSON pointer of each.
ODD_KEYS = {
    '"inherent.likelihood": 9': ('"inherent.likelihood"', "/inherent.likelihood"),
    '"a/b": 9': ('"a/b"', "/a~1b"),
    '"~": 9': ('"~"', "/~0"),
    '"~1": 9': ('"~1"', "/~01"),
    '"a b": 9': ('"a b"', "/a b"),
    '"a  b": 9': ('"a \\u0020b"', "/a  b"),
    '"a\u00a0b": 9': ('"a\\u00a0b"', "/a\u00a0b"),
    '"1": 9': ('"1"', "/1"),
    '"": 9': ('""', "/"),
    '"entry 1 of systems": 9': ('"entry 1 of systems"', "/entry 1 of systems"),
    '"value": 9': ("value", "/value"),
    "the: 9": ("the", "/the"),
}


def test_odd_field_names_stay_apart_in_words(tmp_path: Path, cli: Cli) -> None:
    """A record invalid at HEAD is compared as written, whatever its field names: each
    is shown so that no two paths read the same, in text and in the comment."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.write({"risks/R-1.yaml": risk("R-1")})
    repo.commit("base")
    odd = "".join(f"{key}\n" for key in ODD_KEYS)
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=4) + odd})
    base = ("diff", "HEAD", repo.root, "--as-of", "2026-11-26")
    shown = [line.strip() for line in cli(*base).stdout.splitlines() if line.startswith("    ")]
    labels = [line.rsplit(": ", 1)[0] for line in shown]
    assert labels == ["inherent.likelihood", *(words for words, _ in ODD_KEYS.values())]
    assert len(set(labels)) == len(labels)
    comment = cli(*base, "--format", "md").stdout
    rows = [line for line in comment.splitlines() if line.endswith("| `9` |")]
    cells = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert len(cells) == len(ODD_KEYS) and len(set(cells)) == len(cells)
    assert '| "\\~" | `(none)` | `9` |' in comment  # text in a cell: markup escaped
    report = json.loads(cli(*base, "--format", "json").stdout)
    pointers = [f["pointer"] for f in report["changed"][0]["fields"]]
    assert pointers == ["/inherent/likelihood", *(p for _, p in ODD_KEYS.values())]


def test_markdown_without_regressions(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1", likelihood=4, severity=4),
        }
    )
    repo.commit("base")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=2, severity=4)})
    result = cli("diff", "HEAD", repo.root, "--format", "md")
    assert result.stdout.splitlines()[:2] == [
        "<!-- aimsctl-diff -->",
        "### ✅ no governance regressions",
    ]
    assert "Better: 1 risk back within the appetite, 1 system tier lowered." in result.stdout
    assert "with the working tree" in result.stdout


@pytest.mark.parametrize(
    ("gates", "code"),
    [
        (["appetite-crossed"], 1),
        (["tier-raised"], 1),
        (["control-regressed"], 1),
        (["soa-exclusion-added"], 1),
        (["appetite-crossed,tier-raised"], 1),
        ([], 0),
    ],
)
def test_fail_on_gates_a_change_that_makes_governance_worse(
    history: tuple[GitRepo, str, str], cli: Cli, gates: list[str], code: int
) -> None:
    repo, base, head = history
    options = [arg for gate in gates for arg in ("--fail-on", gate)]
    result = cli("diff", base, head, repo.root, "--format", "json", *options)
    assert result.exit_code == code
    json.loads(result.stdout)  # the output is still written in full
    if code:
        assert "aimsctl: governance gets worse (" in result.stderr


def test_fail_on_passes_the_change_in_the_other_direction(
    history: tuple[GitRepo, str, str], cli: Cli
) -> None:
    repo, base, head = history
    # From HEAD back to BASE: R-10 crosses upward, SYS-C rises, A.2.3 regresses,
    # but nothing is newly excluded.
    result = cli("diff", head, base, repo.root, "--fail-on", "soa-exclusion-added")
    assert result.exit_code == 0, result.stderr
    result = cli(
        "diff",
        head,
        base,
        repo.root,
        "--fail-on",
        "soa-exclusion-added",
        "--fail-on",
        "control-regressed",
    )
    assert result.exit_code == 1
    assert "control-regressed: A.2.3" in result.stderr


def test_a_justification_emptied_is_a_control_regressed(tmp_path: Path, cli: Cli) -> None:
    # An applicable control whose reason is deleted decides nothing (AIMS203) and earns
    # no credit: the risks' scores moved, but the SoA row read as no change at all.
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "controls/org.yaml": control("ORG-1", status="planned")})
    repo.commit("base")
    repo.write({"controls/org.yaml": control("ORG-1", status="planned", justification="")})
    result = cli("diff", "HEAD", repo.root, "--fail-on", "control-regressed")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    soa = lines.index("Statement of Applicability (1)")
    assert lines[soa + 1] == "  ORG-1  decided  true -> false  undecided again (was applicable)"


def test_a_placeholder_decided_or_put_back_in_every_format(tmp_path: Path, cli: Cli) -> None:
    # The starter's TODO: justification decides nothing: replacing it is the SoA's
    # decision, and a placeholder's own applicable is no exclusion.
    todo = "TODO: say why this control applies, or set applicable: false."
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "controls/org.yaml": "---\n".join(
                [
                    control("ORG-1", status="not-started", justification=todo),
                    control("ORG-2", status="not-started", justification=todo),
                    control("ORG-3"),
                    control("ORG-4", status="not-started", justification=todo),
                ]
            ),
        }
    )
    repo.commit("base")
    repo.write(
        {
            "controls/org.yaml": "---\n".join(
                [
                    control("ORG-1", status="planned"),
                    control("ORG-2", applicable=False),
                    control("ORG-3", justification=todo),
                    control("ORG-4", applicable=False, justification=todo),
                ]
            )
        }
    )
    gates = ("--fail-on", "control-regressed,soa-exclusion-added")
    text = cli("diff", "HEAD", repo.root, *gates)
    assert text.exit_code == 1
    assert text.stderr == (
        "aimsctl: governance gets worse (control-regressed: ORG-3; soa-exclusion-added: ORG-2)\n"
    )
    lines = text.stdout.splitlines()
    assert lines[1] == "governance gets worse: 1 control regressed, 1 SoA exclusion added"
    soa = lines.index("Statement of Applicability (3)")
    assert lines[soa + 1 : soa + 4] == [
        "  ORG-1  decided  false -> true  decided now: applicable",
        "  ORG-2  decided  false -> true  decided now: excluded",
        "  ORG-3  decided  true -> false  undecided again (was applicable)",
    ]
    assert "now excluded" not in text.stdout and "progressed" not in text.stdout
    md = cli("diff", "HEAD", repo.root, "--format", "md", *gates).stdout
    assert "| SoA rows changed | 3 (⚠️ 2 regressed or excluded) |" in md
    assert "| `ORG-1` | decided | `false` | `true` | decided now: applicable |" in md
    assert "| `ORG-2` | decided | `false` | `true` | ⚠️ decided now: excluded |" in md
    assert "| `ORG-3` | decided | `true` | `false` | ⚠️ undecided again (was applicable) |" in md
    assert "`ORG-4` | applicable" not in md
    report = json.loads(cli("diff", "HEAD", repo.root, "--format", "json", *gates).stdout)
    assert report["control_changes"] == [
        {"id": "ORG-1", "field": "decided", "before": False, "after": True},
        {"id": "ORG-2", "field": "decided", "before": False, "after": True},
        {"id": "ORG-3", "field": "decided", "before": True, "after": False},
    ]
    assert report["regressions"]["control-regressed"] == ["ORG-3"]
    assert report["regressions"]["soa-exclusion-added"] == ["ORG-2"]


def test_a_placeholder_added_or_removed_is_neither_included_nor_excluded(
    tmp_path: Path, cli: Cli
) -> None:
    # `aimsctl soa sync` adds a placeholder (applicable: true) for each Annex A control
    # not recorded: undecided, not 'now applicable'; nor is a TODO row with
    # applicable: false an exclusion added, nor removing one an applicable control lost.
    todo = "TODO: say why this control applies, or set applicable: false."
    soa = "---\n".join(
        document
        for document in EXCLUDED_SOA.split("---\n")
        if "id: A.10.3\n" not in document and "id: A.10.4\n" not in document
    )
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "controls/annex-a.yaml": soa,
            "controls/org.yaml": "---\n".join(
                [control("ORG-1", justification=todo), control("ORG-2", applicable=False)]
            ),
        }
    )
    repo.commit("base")
    assert cli("soa", "sync", repo.root, "--as-of", "2026-11-26").exit_code == 0
    repo.write(
        {
            "controls/org.yaml": "---\n".join(
                [
                    control("ORG-2", applicable=False),
                    control("ORG-3", applicable=False, justification=todo),
                ]
            )
        }
    )
    gates = ("--fail-on", "control-regressed,soa-exclusion-added")
    report = cli("diff", "HEAD", repo.root, "--format", "json", *gates)
    assert report.exit_code == 0, report.stderr
    assert json.loads(report.stdout)["control_changes"] == [
        {"id": "A.10.3", "field": "decided", "before": None, "after": False},
        {"id": "A.10.4", "field": "decided", "before": None, "after": False},
        {"id": "ORG-1", "field": "decided", "before": False, "after": None},
        {"id": "ORG-3", "field": "decided", "before": None, "after": False},
    ]
    text = cli("diff", "HEAD", repo.root, *gates).stdout.splitlines()
    assert text[1] == "no governance regressions"
    soa_rows = text.index("Statement of Applicability (4)")
    assert text[soa_rows + 1 : soa_rows + 5] == [
        "  A.10.3  decided  (none) -> false  added, undecided",
        "  A.10.4  decided  (none) -> false  added, undecided",
        "  ORG-1  decided  false -> (none)  removed, undecided",
        "  ORG-3  decided  (none) -> false  added, undecided",
    ]
    md = cli("diff", "HEAD", repo.root, "--format", "md").stdout
    assert "| SoA rows changed | 4 |" in md
    assert "| `ORG-3` | decided | `(none)` | `false` | added, undecided |" in md


def test_an_unknown_gate_or_format_is_a_usage_error(
    history: tuple[GitRepo, str, str], cli: Cli
) -> None:
    repo, base, _head = history
    result = cli("diff", base, repo.root, "--fail-on", "appetite-crossed,tier-rised")
    assert result.exit_code == 2
    assert "--fail-on 'tier-rised' is not one of" in result.stderr
    assert "did you mean 'tier-raised'?" in result.stderr
    assert cli("diff", base, repo.root, "--format", "html").exit_code == 2
    # `--fail-on "$GATES"` with GATES unset gated nothing and passed.
    for empty in ("", " , "):
        result = cli("diff", base, repo.root, "--fail-on", empty)
        assert (result.exit_code, result.stdout) == (2, "")
        assert "--fail-on names no gate; name one or more of appetite-crossed" in result.stderr


def test_output_file_and_repository_untouched(
    history: tuple[GitRepo, str, str], cli: Cli, tmp_path: Path
) -> None:
    repo, base, _head = history
    before = repo.files()
    status = repo.git("status", "--porcelain")
    target = tmp_path / "out" / "diff.md"
    result = cli("diff", base, repo.root, "--format", "md", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!-- aimsctl-diff -->\n")
    assert repo.files() == before
    assert repo.git("status", "--porcelain") == status


def test_second_argument_may_be_the_repository_folder(
    history: tuple[GitRepo, str, str], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, base, head = history
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=1, severity=3)})
    result = cli("diff", base, repo.root, "--format", "json")
    assert json.loads(result.stdout)["head"] == "worktree"
    monkeypatch.chdir(repo.root / "risks")  # found from a subfolder
    result = cli("diff", head, "--format", "json")
    assert [c["id"] for c in json.loads(result.stdout)["risk_changes"]] == ["R-1"]
    (repo.root / "risks" / "main").mkdir()
    result = cli("diff", base, "main")
    assert result.exit_code == 2
    assert "'main' is both a folder and a git revision" in result.stderr


def test_a_deletion_and_a_rename_in_the_working_tree(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1"),
            "risks/R-2.yaml": risk("R-2"),
        }
    )
    repo.commit("base")
    (repo.root / "risks/R-1.yaml").rename(repo.root / "risks/renamed.yaml")  # not staged
    repo.remove("risks/R-2.yaml")
    report = json.loads(cli("diff", "HEAD", repo.root, "--format", "json").stdout)
    assert report["added"] == []
    assert report["removed"] == [{"kind": "Risk", "id": "R-2", "path": "risks/R-2.yaml"}]
    assert report["changed"] == [
        {"kind": "Risk", "id": "R-1", "path": "risks/renamed.yaml", "fields": []}
    ]
    assert report["tier_changes"] == []


def test_a_merge_commit_and_a_detached_head(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk("R-1")}
    )
    base = repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=5, severity=3)})
    repo.commit("raise R-1")
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-2.yaml": risk("R-2")})
    repo.commit("add R-2")
    merge = repo.merge("feature", "Merge feature")
    repo.git("checkout", "-q", "--detach", merge)
    result = cli(
        "diff", base, "HEAD", repo.root, "--format", "json", "--fail-on", "appetite-crossed"
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["head"] == merge
    assert [r["id"] for r in report["added"]] == ["R-2"]
    assert report["risk_changes"] == [
        {
            "id": "R-1",
            "before": {"score": 6, "band": "medium"},
            "after": {"score": 15, "band": "high"},
            "appetite_crossed": True,
        }
    ]


def test_a_shallow_clone_has_no_history_to_compare_with(tmp_path: Path, cli: Cli) -> None:
    repo, _base, head = two_commits(tmp_path / "work")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.top}", str(clone))
    result = cli("diff", "HEAD~1", clone)
    assert result.exit_code == 2
    assert "unknown revision 'HEAD~1'" in result.stderr
    assert "this clone is shallow" in result.stderr and "fetch-depth: 0" in result.stderr
    result = cli("diff", "HEAD", clone, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["base"] == head


def test_a_repository_with_no_commits(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG})
    result = cli("diff", "HEAD", repo.root)
    assert result.exit_code == 2
    assert "has no commits yet" in result.stderr


def test_a_new_orphan_branch_is_not_called_a_repository_with_no_commits(
    tmp_path: Path, cli: Cli
) -> None:
    """On `git checkout --orphan`, HEAD names no commit though the repository has some:
    the message said the repository had none. It names the branch, and another
    branch's revision still compares."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG})
    repo.commit("first")  # on main
    repo.git("checkout", "-q", "--orphan", "fresh")
    result = cli("diff", "HEAD", repo.root)
    assert result.exit_code == 2
    assert "the current branch of the git repository at" in result.stderr
    assert "(a new orphan branch)" in result.stderr
    assert cli("diff", "main", repo.root).exit_code == 0
    unknown = cli("diff", "nosuch", repo.root)  # not taken for a revision of this branch
    assert unknown.exit_code == 2 and "unknown revision 'nosuch'" in unknown.stderr
    # Another branch's revision gets the usual diagnosis: `main` has no commit before it.
    back = cli("diff", "main~5", repo.root)
    assert back.exit_code == 2 and "no commit, branch or tag of that name" not in back.stderr


def test_a_range_of_revisions_is_refused_with_the_two_named(
    history: tuple[GitRepo, str, str], cli: Cli
) -> None:
    """`main...feature`, pasted from a compare page, said "no commit, branch or tag of
    that name"; it names the two revisions, and for `...` where they part."""
    repo, _base, _head = history
    result = cli("diff", "HEAD~1..HEAD", repo.root)
    assert result.exit_code == 2
    assert "'HEAD~1..HEAD' is a range of revisions; aimsctl takes revisions one by one: " in (
        result.stderr
    )
    assert "`HEAD~1` and `HEAD` here\n" in result.stderr
    result = cli("diff", "HEAD~1...HEAD", repo.root)
    assert result.exit_code == 2
    assert "`$(git merge-base HEAD~1 HEAD)`" in result.stderr
    # A path that does not exist, given as a revision, is no range.
    result = cli("diff", "../nosuch", repo.root)
    assert result.exit_code == 2 and "unknown revision '../nosuch'" in result.stderr


def test_an_unknown_revision(history: tuple[GitRepo, str, str], cli: Cli) -> None:
    repo, base, _head = history
    result = cli("diff", base, "no-such-branch", repo.root)
    assert result.exit_code == 2
    assert result.stderr.startswith("aimsctl: error: unknown revision 'no-such-branch'")


@pytest.mark.parametrize(
    ("rev", "named"),
    [("HEAD:risks", "a folder (a git tree)"), ("HEAD:aims.yaml", "a file (a git blob)")],
)
def test_a_revision_that_names_a_folder_or_file_says_so(
    history: tuple[GitRepo, str, str], cli: Cli, rev: str, named: str
) -> None:
    """`HEAD:risks` is a git object, only not a commit: "unknown revision" misled."""
    repo, base, _head = history
    result = cli("diff", rev, base, repo.root)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"aimsctl: error: revision {rev!r} names {named} in the git repository at "
    ), result.stderr
    assert "not a commit; give a commit, branch or tag" in result.stderr


def test_a_folder_that_is_not_a_git_repository(tmp_path: Path, cli: Cli) -> None:
    plain = plain_governance_folder(tmp_path)
    result = cli("diff", "main", plain)
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_record_invalid_at_one_revision_only(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1") + "colour: red\n",
        }
    )
    repo.commit("an invalid risk")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=3)})
    result = cli("diff", "HEAD", repo.root, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["changed"] == [
        {
            "kind": "Risk",
            "id": "R-1",
            "path": "risks/R-1.yaml",
            "fields": [
                {"pointer": "/inherent/likelihood", "before": 2, "after": 3},
                {"pointer": "/colour", "before": "red", "after": None},
            ],
        }
    ]
    assert report["invalid"] == [
        {"kind": "Risk", "id": "R-1", "path": "risks/R-1.yaml", "base": "invalid", "head": "valid"}
    ]
    text = cli("diff", "HEAD", repo.root).stdout
    assert "  Risk R-1  risks/R-1.yaml (invalid at BASE: compared as written)" in text
    assert "  Risk R-1  risks/R-1.yaml  BASE invalid, HEAD valid" in text


def test_aims_yaml_invalid_at_one_revision_is_exit_2_naming_it(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG + "risk: {method: matrix}\n"})
    bad = repo.commit("broken aims.yaml")
    repo.write({"aims.yaml": CONFIG})
    good = repo.commit("fixed")
    result = cli("diff", "HEAD~1", repo.root)
    assert result.exit_code == 2
    assert "method: matrix needs risk.matrix" in result.stderr
    assert f"(in BASE 'HEAD~1', commit {bad[:12]})" in result.stderr
    result = cli("diff", good, bad, repo.root)
    assert result.exit_code == 2
    assert f"(in HEAD {bad!r}, commit {bad[:12]})" in result.stderr


def test_the_governance_root_in_a_subfolder(tmp_path: Path, cli: Cli) -> None:
    repo, base, head = two_commits(tmp_path / "work", governance="gov")
    (repo.top / "app").mkdir()
    (repo.top / "app" / "settings.yaml").write_text("not: a record\n", encoding="utf-8")
    result = cli("diff", base, head, repo.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["removed"] == [{"kind": "Risk", "id": "R-2", "path": "risks/R-2.yaml"}]
    assert len(report["added"]) == 5


# --- record text in the pull-request comment ------------------------------------------

# Raw HTML that would close aimsctl's <details>, load a tracking image and notify a team.
PLAIN_PAYLOAD = "</details><img src=https://beacon.example/p.png> @acme/security-team"
# The same inside a run of two backticks, which closed a code span early.
TICKED_PAYLOAD = f"`` {PLAIN_PAYLOAD} ``"
HOSTILE_FILE = "risks/R-1 `` </details><img src=https://beacon.example/f.png> @acme.yaml"
HOSTILE_CONFIG = (
    CONFIG
    + f"""\
risk:
  appetite: medium
  bands:
    - {{name: low, max: 4}}
    - {{name: medium, max: 9}}
    - {{name: {json.dumps(PLAIN_PAYLOAD)}, max: 16}}
    - {{name: critical, max: 25}}
governance: {{}}
"""
)


def _invalid_record(kind: str, record_id: str, title: str) -> str:
    return f"kind: {json.dumps(kind)}\nid: {json.dumps(record_id)}\ntitle: {title}\n"


@pytest.fixture
def hostile_change(tmp_path: Path) -> GitRepo:
    """A change whose ids, kinds, titles, paths, bands and field values hold markup."""
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": HOSTILE_CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            HOSTILE_FILE: risk("R-1", likelihood=2, severity=3),
            "risks/R-2.yaml": risk("R-2", likelihood=1, severity=1),
            "risks/ticked.yaml": _invalid_record(PLAIN_PAYLOAD, TICKED_PAYLOAD, "before"),
        }
    )
    repo.commit("base")
    repo.move(HOSTILE_FILE, "risks/R-1.yaml")
    repo.write(
        {
            # Crosses into the band named like the payload; SYS-A's tier follows it.
            "risks/R-1.yaml": risk("R-1", likelihood=4, severity=3).replace(
                "title: Risk R-1", f"title: {json.dumps(TICKED_PAYLOAD)}"
            ),
            "risks/R-2.yaml": risk("R-2", likelihood=1, severity=1).replace(
                "Something could go wrong.", json.dumps(PLAIN_PAYLOAD)
            )
            + f"{json.dumps(TICKED_PAYLOAD)}: {json.dumps(PLAIN_PAYLOAD)}\n",
            "risks/ticked.yaml": _invalid_record(PLAIN_PAYLOAD, TICKED_PAYLOAD, "after"),
            HOSTILE_FILE.replace("R-1", "R-9"): _invalid_record(
                PLAIN_PAYLOAD, PLAIN_PAYLOAD, "added"
            ),
        }
    )
    repo.commit("head")
    return repo


def _outside_code(markdown: str) -> str:
    """The Markdown source without its code spans (a span's fence is its backtick run)."""
    return re.sub(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)


def test_record_text_in_the_comment_shows_as_text(hostile_change: GitRepo, cli: Cli) -> None:
    result = cli("diff", "HEAD~1", "HEAD", hostile_change.root, "--format", "md")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    ours = text.count("\n<details><summary>")
    # Every kind of change shows up: the payload reaches every place record text goes.
    for section in ["Risk scores", "System tiers", "Added records", "Changed records"]:
        assert f"<details><summary>{section} (" in text
    assert "Records invalid at a revision" in text
    # A value with backticks is one code span, whose fence outlasts the run inside it.
    assert f"```{json.dumps(TICKED_PAYLOAD)}```" in text
    assert f"``` {TICKED_PAYLOAD} ```" in text
    # Outside code spans, markup characters are escaped and the mention is broken.
    plain = "\n".join(
        line
        for line in _outside_code(text).splitlines()
        if line != "</details>" and not line.startswith("<details><summary>")
    )
    assert re.search(r"(?<!\\)<(img|/?details)", plain) is None
    assert re.search(r"@acme", plain) is None
    assert "@\u2060acme/security-team" in plain

    try:
        from markdown_it import MarkdownIt
    except ImportError:  # the Markdown source checks above still hold
        return
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html
    assert html.count("<details>") == html.count("</details>") == ours
    assert "&lt;/details&gt;&lt;img src=https://beacon.example/p.png&gt;" in html
    words = re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)
    assert re.search(r"@acme[A-Za-z]|@[A-Za-z]", words) is None
    assert "@\u2060acme/security-team" in words


def test_management_events_in_every_format(tmp_path: Path, cli: Cli) -> None:
    """A pull request that closes a nonconformity, completes an audit, approves a new
    policy version and records a management review says so in words."""
    repo = GitRepo(tmp_path / "work")
    role = (
        "kind: Role\nid: ceo\ntitle: CEO\nholder: ceo@example.org\ntop_management: true\n"
        "responsibilities: [Leads]\n"
    )
    policy = (
        "kind: Policy\nid: POL-AI\ntitle: AI policy\nowner: ceo\nstatus: approved\n"
        "commitments: [requirements, continual-improvement, objectives-framework]\n"
    )
    audit = (
        "kind: InternalAudit\nid: AUD-1\ntitle: Audit\nplanned: 2026-02-02\nscope: ['9']\n"
        "auditor: audit@example.org\nindependent: true\n"
    )
    nc = (
        "kind: Nonconformity\nid: NC-1\ntitle: Late\nraised: 2026-01-05\nsource: other\n"
        "owner: ceo\nroot_cause: Nobody was reminded.\n"
    )
    repo.write(
        {
            "aims.yaml": CONFIG,
            "roles/ceo.yaml": role,
            "policies/ai.yaml": policy + 'version: "1.0"\napproval: {by: ceo, on: 2025-06-01}\n',
            "audits/AUD-1.yaml": audit + "status: in-progress\n",
            "nonconformities/NC-1.yaml": nc + "status: verifying\n",
        }
    )
    base = repo.commit("base")
    repo.write(
        {
            "policies/ai.yaml": policy + 'version: "2.0"\napproval: {by: ceo, on: 2026-02-20}\n',
            "audits/AUD-1.yaml": audit
            + "status: completed\nperformed: {from: 2026-02-02, to: 2026-02-06}\n",
            "nonconformities/NC-1.yaml": nc
            + "effectiveness: {on: 2026-02-25, by: audit@example.org, effective: true}\n"
            + "status: closed\n",
            "reviews/MR-1.yaml": "kind: ManagementReview\nid: MR-1\ntitle: Review\n"
            "held: 2026-02-26\nchair: ceo\ndecisions: [Carry on]\n",
        }
    )
    head = repo.commit("head")
    args = ("diff", base, head, repo.root, "--as-of", "2026-03-01")
    text = cli(*args)
    assert text.exit_code == 0, text.stderr
    assert (
        "Management system (4)\n"
        "  internal audit AUD-1 completed (performed 2026-02-02 to 2026-02-06; no findings)"
        "  audits/AUD-1.yaml\n"
        "  management review MR-1 held (on 2026-02-26, 0 of 7 inputs, 0 actions)"
        "  reviews/MR-1.yaml\n"
        "  nonconformity NC-1 closed (effectiveness reviewed on 2026-02-25: effective)"
        "  nonconformities/NC-1.yaml\n"
        "  policy POL-AI approved (version 2.0, by ceo on 2026-02-20)  policies/ai.yaml\n"
    ) in text.stdout
    comment = cli(*args, "--format", "md").stdout
    assert "| Management system events | 4 |" in comment
    assert "| `POL-AI` | policy approved (version 2.0, by ceo on 2026-02-20) |" in comment
    report = json.loads(cli(*args, "--format", "json").stdout)
    assert report["management_events"] == [
        {"kind": "InternalAudit", "id": "AUD-1", "event": "completed"},
        {"kind": "ManagementReview", "id": "MR-1", "event": "held"},
        {"kind": "Nonconformity", "id": "NC-1", "event": "closed"},
        {"kind": "Policy", "id": "POL-AI", "event": "approved"},
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")
@pytest.mark.parametrize("fmt", ["json", "md"])
def test_two_cores_give_the_same_diff(
    history: tuple[GitRepo, str, str], cli: Cli, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    # Files parsed ahead by workers (at the second side only those the first did not
    # hold with the same bytes): the same answer as one process, between two commits
    # and between a commit and the working tree.
    repo, base, head = history
    between = ("diff", base, head, str(repo.root), "--format", fmt)
    to_tree = ("diff", base, str(repo.root), "--format", fmt)
    first, second = cli(*between), cli(*to_tree)
    assert first.exit_code == second.exit_code == 0, first.stderr + second.stderr
    serial = first.stdout, second.stdout
    parallel: list[bool] = []
    real = aimsctl.workers.made

    def spy(*args: Any, **named: Any) -> Any:
        parallel.append(args[2])
        return real(*args, **named)

    with monkeypatch.context() as patch:
        patch.setattr(aimsctl.workers, "worth_it", lambda size, least, tasks: size > 0)
        patch.setattr(aimsctl.workers, "made", spy)
        assert (cli(*between).stdout, cli(*to_tree).stdout) == serial
    assert parallel and all(parallel)


def test_a_partial_clone_is_said_plainly_and_nothing_is_fetched(
    history: tuple[GitRepo, str, str], cli: Cli, tmp_path: Path
) -> None:
    """A blobless clone lacks BASE's files: one line saying the clone is partial and
    how to get a full one, exit 2, against HEAD and against the working tree; git
    fetches nothing from the remote (which it could: it is on this machine)."""
    repo, base, head = history
    clone = repo.partial_clone(tmp_path / "partial")
    missing = missing_objects(clone)
    assert missing
    for args in ((base, head), (base,)):
        result = cli("diff", *args, clone)
        assert result.exit_code == 2
        found = re.fullmatch(
            rf"aimsctl: error: git object ([0-9a-f]{{40}}) is not in the git repository at "
            rf"{re.escape(str(clone.resolve()))}: {re.escape(PARTIAL_CLONE)}\n",
            result.stderr,
        )
        assert found is not None, result.stderr
        assert found.group(1) in missing
    assert missing_objects(clone) == missing
    assert cli("diff", head, clone).exit_code == 0  # HEAD's files are there


def _team_submodule(tmp_path: Path) -> tuple[GitRepo, str]:
    """A repository whose risk R-9 lives in another team's repository, checked out as
    the submodule `team`; the superproject's commit."""
    team = GitRepo(tmp_path / "team")
    team.write({"risks/R-9.yaml": risk("R-9")})
    team.commit("The team's risks")
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.add_submodule("team", team)
    return repo, repo.commit("Pull in the team's records")


def _ids(result: CliResult, key: str) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [entry["id"] for entry in json.loads(result.stdout)[key]]


def test_records_in_a_submodule_are_read_at_the_commit_it_pins(tmp_path: Path, cli: Cli) -> None:
    # validate reads a submodule's records, which are files on disk; at a revision the
    # submodule is a commit of its own repository, whose files diff reads from there.
    repo, base = _team_submodule(tmp_path)
    unchanged = cli("diff", "HEAD", repo.root, "--format", "json")
    assert _ids(unchanged, "added") == [] and _ids(unchanged, "changed") == []
    risk_file = repo.root / "team" / "risks" / "R-9.yaml"
    risk_file.write_text(risk("R-9", likelihood=5), encoding="utf-8")
    assert _ids(cli("diff", "HEAD", repo.root, "--format", "json"), "changed") == ["R-9"]
    git(repo.root / "team", "commit", "-q", "-a", "-m", "Rescore R-9")
    head = repo.commit("Take the team's rescored risk")
    between = cli("diff", base, head, repo.root, "--format", "json")
    assert _ids(between, "changed") == ["R-9"]
    assert _ids(between, "added") == [] and _ids(between, "removed") == []


def test_a_submodule_not_checked_out_is_named_and_not_read(tmp_path: Path, cli: Cli) -> None:
    repo, _base = _team_submodule(tmp_path)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.top), str(clone))  # no --recurse-submodules
    result = cli("diff", "HEAD", clone, "--format", "json")
    assert _ids(result, "added") == [] and _ids(result, "removed") == []
    assert "the submodule at team is not checked out" in result.stderr


def test_a_submodule_without_its_pinned_commit_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    repo, base = _team_submodule(tmp_path)
    git(repo.root / "team", "commit", "-q", "--allow-empty", "-m", "Only here")
    moved = repo.commit("Pin a commit only this checkout holds")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.top), str(clone))
    git(clone, "checkout", "-q", base)
    git(clone, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    result = cli("diff", base, moved, clone)
    assert result.exit_code == 2
    assert "the submodule at team is pinned at commit" in result.stderr
    assert "git submodule update --init" in result.stderr
    assert "fetch the submodule's history too: `git -C team fetch --unshallow`" in result.stderr
    # validate's dates come from the superproject's history, which is all there:
    # they stand (they were all unknown, as if git could not be read).
    git(clone, "checkout", "-q", "main")  # the submodule stays at base's commit
    found = cli("validate", clone, "--as-of", "2026-11-26", "--format", "json", "--no-cache")
    whole = cli("validate", repo.root, "--as-of", "2026-11-26", "--format", "json", "--no-cache")
    assert json.loads(found.stdout)["diagnostics"] == json.loads(whole.stdout)["diagnostics"]


def _assert_unchanged_in_a_process(root: Path) -> None:
    """`diff HEAD` finds no change, run in a separate process with a time limit, so
    that a regression that hangs fails the test instead."""
    done = subprocess.run(
        [sys.executable, "-m", "aimsctl", "diff", "HEAD", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changed"] == []


def test_a_long_run_of_blanks_in_gitmodules_does_not_stall_diff(tmp_path: Path) -> None:
    """.gitmodules is read for the name of each submodule: a path value with a long
    run of blanks inside was matched in a time quadratic in the run (300 KB: minutes).
    A separate process, so that a regression fails the test instead of hanging it."""
    repo, _base = _team_submodule(tmp_path)
    with (repo.top / ".gitmodules").open("a", encoding="utf-8") as modules:
        modules.write('[submodule "other"]\n\tpath = a' + " " * 300_000 + "b\n")
    _assert_unchanged_in_a_process(repo.root)


def test_a_submodule_git_file_naming_a_path_with_a_nul_byte_is_passed_over(
    tmp_path: Path, cli: Cli
) -> None:
    """A checkout's `.git` file names the submodule's repository: one holding a NUL
    byte ended diff with an internal error (exit 3); it names no folder, so the
    repository git keeps for the submodule in .git/modules is read instead."""
    repo, _base = _team_submodule(tmp_path)
    (repo.root / "team" / ".git").write_bytes(b"gitdir: ../.git/modules/te\0am\n")
    result = cli("diff", "HEAD", repo.root, "--format", "json")
    assert _ids(result, "added") == [] and _ids(result, "removed") == []
    assert "internal error" not in result.stderr


def test_a_submodule_path_with_control_characters_is_named_on_one_line(
    tmp_path: Path, cli: Cli
) -> None:
    """The warning and the error name a submodule by its path, which a tree may give a
    line break or a terminal escape: they were printed as they are (an escape that
    recoloured the terminal, a warning cut in two lines); they are now escaped."""
    repo, _base = _team_submodule(tmp_path)
    pinned = git(repo.root / "team", "rev-parse", "HEAD").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{pinned},odd\x1b[31m\nname")
    repo.git("commit", "-q", "-m", "A submodule never initialised")
    result = cli("diff", "HEAD", repo.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "aimsctl: warning: the submodule at odd\\x1b[31m\\nname is not checked out, so its "
        "files are not read at any revision (`git submodule update --init` checks it out)"
    ]
    repo.git("update-index", "--cacheinfo", f"160000,{'0' * 39}1,odd\x1b[31m\nname")
    (repo.root / "odd\x1b[31m\nname").mkdir()
    (repo.root / "odd\x1b[31m\nname" / ".git").write_text("gitdir: ../.git/modules/team\n")
    repo.git("commit", "-q", "-m", "Pinned at a commit nobody holds")
    result = cli("diff", "HEAD~1", "HEAD", repo.root)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "aimsctl: error: the submodule at odd\\x1b[31m\\nname is pinned at commit 000000000000"
    )
    assert len(result.stderr.splitlines()) == 1


def test_submodules_pinning_many_submodules_in_turn_are_refused_past_the_limit(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit may pin a commit whose tree pins several submodules, each pinning
    several in turn: every one was read at every level (ten to a level, eight levels
    deep, a hundred million reads: diff did not end). Past the limit (here 20, 1000
    in use) it is exit 2, saying so."""
    repo, _base = _team_submodule(tmp_path)
    team = repo.root / "team"
    store = Path(git(team, "rev-parse", "--absolute-git-dir").strip())
    pinned = git(team, "rev-parse", "HEAD").strip()
    (store / "modules").mkdir()
    for level in range(3):  # three at each of three levels below team: 40 in all
        index = {"GIT_INDEX_FILE": str(tmp_path / f"index-{level}")}
        for n in range(3):
            git(team, "update-index", "--add", "--cacheinfo", f"160000,{pinned},s{n}", env=index)
        tree = git(team, "write-tree", env=index).strip()
        pinned = git(team, "commit-tree", "-m", f"level {level}", tree).strip()
    for n in range(3):  # each nested one's repository is the team's own
        (store / "modules" / f"s{n}").symlink_to(store)
    repo.git("update-index", "--cacheinfo", f"160000,{pinned},team")
    repo.git("commit", "-q", "-m", "Pin the nested submodules")
    monkeypatch.setattr(aimsctl.gitio.submodules, "_MAX_SUBMODULES", 20)
    result = cli("diff", "HEAD~1", "HEAD", repo.root)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(
        "aimsctl: error: more than 20 submodules below the governance root, nested ones "
        "counted (the last at team/s"
    )
    monkeypatch.setattr(aimsctl.gitio.submodules, "_MAX_SUBMODULES", 40)
    found = cli("diff", "HEAD~1", "HEAD", repo.root, "--format", "json")
    assert found.exit_code == 0, found.stderr
    assert "R-9" in found.stdout  # the team's R-9, at each of the 27 deepest submodules


def test_a_submodule_nested_too_deep_is_named_once(tmp_path: Path, cli: Cli) -> None:
    """Submodules of submodules are followed eight deep: one deeper was left out of
    every revision without a word, so `diff HEAD` listed its records as added though
    nothing changed; it is now named on stderr, once."""
    repo, _base = _team_submodule(tmp_path)
    team = repo.root / "team"
    store = Path(git(team, "rev-parse", "--absolute-git-dir").strip())
    pinned = git(team, "rev-parse", "HEAD").strip()
    (store / "modules").mkdir()
    (store / "modules" / "s").symlink_to(store)  # each nested one's repository is the team's
    index = {"GIT_INDEX_FILE": str(tmp_path / "index")}
    git(team, "read-tree", pinned, env=index)
    for level in range(10):  # team/s/s/...: ten levels below team
        git(team, "update-index", "--add", "--cacheinfo", f"160000,{pinned},s", env=index)
        tree = git(team, "write-tree", env=index).strip()
        pinned = git(team, "commit-tree", "-m", f"level {level}", tree).strip()
    repo.git("update-index", "--cacheinfo", f"160000,{pinned},team")
    repo.git("commit", "-q", "-m", "Pin the nested submodules")
    result = cli("diff", "HEAD~1", "HEAD", repo.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    deepest = "team" + "/s" * 9
    assert result.stderr.splitlines() == [
        f"aimsctl: warning: the submodule at {deepest} lies within more than 8 other "
        "submodules, so its files (and those of any submodule nested that deep) are not "
        "read at any revision"
    ]


def test_a_gitmodules_that_is_no_regular_file_is_not_read(tmp_path: Path) -> None:
    """.gitmodules is read for the names of the submodules: a named pipe in its place
    held diff for ever (a link to /dev/zero, until memory ran out); git reads it only
    as a regular file, and so does aimsctl. A separate process, so that a regression
    fails the test instead of hanging it."""
    repo, _base = _team_submodule(tmp_path)
    (repo.top / ".gitmodules").unlink()
    os.mkfifo(repo.top / ".gitmodules")
    _assert_unchanged_in_a_process(repo.root)


def test_the_aims_yaml_section_counts_the_lines_it_shows(tmp_path: Path, cli: Cli) -> None:
    # A setting added whole is shown value by value; the header counted settings
    # ("aims.yaml (2)" above three lines).
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG})
    base = repo.commit("Start")
    repo.write(
        {
            "aims.yaml": CONFIG
            + "established: 2026-01-05\n"
            + "cadence: {internal_audit_days: 200, management_review_days: 300}\n"
        }
    )
    text = cli("diff", base, repo.root, "--as-of", "2026-11-26").stdout
    section = text.split("\naims.yaml (", 1)[1].split("\n\n", 1)[0]
    count, *lines = section.splitlines()
    assert count == f"{len(lines)})" and len(lines) >= 3, section


def test_a_base_that_is_no_ancestor_of_head_is_named_in_a_note(tmp_path: Path, cli: Cli) -> None:
    """The tip of `main`, moved on since `feature` branched, compared with `feature`:
    R-1 raised on main shows as if the branch lowered it. The comparison is made as
    before (the verdict is not changed) and a note says how to compare with where they
    part; comparing with that commit, or with the working tree on it, gives no note."""
    repo = GitRepo(tmp_path / "work")
    repo.write(one_system())
    parted = repo.commit("Record SYS-A")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"risks/R-2.yaml": risk("R-2", likelihood=1, severity=1)})
    feature = repo.commit("Add R-2")
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=5, severity=5)})
    main = repo.commit("Raise R-1")
    note = (
        f"BASE (main ({main[:12]})) is not an ancestor of HEAD (feature ({feature[:12]})): "
        "what changed on BASE's side since they parted shows here as if HEAD undid it. "
        f"To see only HEAD's changes, compare with where they part, {parted[:12]}: "
        f"`aimsctl diff {parted[:12]} feature --repo {repo.root}`"
    )
    args = ("diff", "main", "feature", repo.root, "--as-of", "2026-11-26")
    gates = ("--fail-on", ",".join(FAIL_ON))
    result = cli(*args, "--format", "json", *gates)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["notes"] == [note]
    assert [c["id"] for c in document["risk_changes"]] == ["R-1"]  # compared as before
    text = cli(*args).stdout
    assert text.splitlines()[1] == "no governance regressions"
    assert f"\nNotes\n  {note}\n" in text
    md = cli(*args, "--format", "md").stdout
    assert "> BASE (main (" in md and f"aimsctl diff {parted[:12]} feature" in md
    # The working tree counts as the commit it is on.
    repo.git("checkout", "-q", "feature")
    worktree = cli("diff", "main", repo.root, "--as-of", "2026-11-26", "--format", "json")
    assert json.loads(worktree.stdout)["notes"] == [
        f"BASE (main ({main[:12]})) is not an ancestor of HEAD (the working tree, on "
        f"{feature[:12]}): what changed on BASE's side since they parted shows here as if "
        f"HEAD undid it. To see only HEAD's changes, compare with where they part, "
        f"{parted[:12]}: `aimsctl diff {parted[:12]} --repo {repo.root}`"
    ]
    # Swapped: HEAD is an ancestor of BASE.
    swapped = cli("diff", "feature", parted, repo.root, "--as-of", "2026-11-26")
    assert "HEAD is an ancestor of BASE, so BASE and HEAD look swapped" in swapped.stdout
    assert f"`aimsctl diff {parted} feature --repo {repo.root}`" in swapped.stdout
    # No common commit: no command whose `$(git merge-base ...)` would come out empty.
    repo.git("checkout", "-q", "--orphan", "lonely")
    repo.commit("Start again")
    lonely = cli("diff", "lonely", "feature", repo.root, "--as-of", "2026-11-26").stdout
    assert "and their histories share no commit: what BASE holds and HEAD lacks" in lonely
    assert "aimsctl diff " not in lonely.split("Notes", 1)[1]
    repo.git("checkout", "-q", "-f", "feature")
    # Compared with where they part: BASE is an ancestor, and there is no note.
    for head in (["feature"], []):
        result = cli("diff", parted, *head, repo.root, "--as-of", "2026-11-26", "--format", "json")
        document = json.loads(result.stdout)
        assert document["notes"] == [] and document["risk_changes"] == [], head
        assert [r["id"] for r in document["added"]] == ["R-2"]
    # A shallow clone may lack the history that joins them: the note says so.
    shallow = tmp_path / "shallow"
    git(
        tmp_path, "clone", "-q", "--depth=1", "--no-single-branch", repo.root.as_uri(), str(shallow)
    )
    result = cli("diff", "origin/main", "origin/feature", shallow, "--as-of", "2026-11-26")
    assert "cannot be shown to be an ancestor of HEAD (origin/feature (" in result.stdout
    assert "this clone is shallow and holds no commit they share; fetch the history" in (
        result.stdout
    )
