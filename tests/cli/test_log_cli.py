"""`aimsctl log` end to end: a record's history across a rename, text and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from gitrepo import CONFIG, GitRepo, plain_governance_folder, risk, system

Cli = Callable[..., CliResult]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-7.yaml": risk("R-7")}
    )
    repo.commit("Add R-7")
    repo.move("risks/R-7.yaml", "risks/hiring/ranking-bias.yaml")
    repo.commit("Group the hiring risks")
    repo.write({"risks/hiring/ranking-bias.yaml": risk("R-7", likelihood=4, severity=5)})
    repo.commit(
        "Reassess R-7 after the audit\n\nThe audit found more cases.",
        author=("Bo Builder", "bo@example.org"),
    )
    return repo


def test_text_history_across_a_rename(repo: GitRepo, cli: Cli) -> None:
    repo.write(
        {"risks/hiring/ranking-bias.yaml": risk("R-7", likelihood=4, severity=5, status="treating")}
    )
    result = cli("log", "R-7", repo.root)
    assert result.exit_code == 0, result.stderr
    shas = repo.git("log", "--format=%h", "--abbrev=12").split()
    assert result.stdout == (
        "Risk R-7 (risks/hiring/ranking-bias.yaml): 4 changes\n"
        "\n"
        "uncommitted  working tree  changed in risks/hiring/ranking-bias.yaml\n"
        '    /status: "open" -> "treating"\n'
        "\n"
        f"{shas[0]}  2026-03-01T10:03:00+01:00  Bo Builder <bo@example.org>  "
        "changed in risks/hiring/ranking-bias.yaml\n"
        "    Reassess R-7 after the audit\n"
        "    /inherent/likelihood: 2 -> 4\n"
        "    /inherent/severity: 3 -> 5\n"
        "\n"
        f"{shas[1]}  2026-03-01T10:02:00+01:00  Ann Author <ann@example.org>  "
        "moved from risks/R-7.yaml to risks/hiring/ranking-bias.yaml\n"
        "    Group the hiring risks\n"
        "\n"
        f"{shas[2]}  2026-03-01T10:01:00+01:00  Ann Author <ann@example.org>  "
        "added in risks/R-7.yaml\n"
        "    Add R-7\n"
    )


def test_json_history(repo: GitRepo, cli: Cli) -> None:
    result = cli("log", "R-7", "--repo", repo.root, "--format", "json", "--max-count", "2")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    head = repo.head()
    assert report == {
        "version": 1,
        "id": "R-7",
        "kind": "Risk",
        "path": "risks/hiring/ranking-bias.yaml",
        "shallow": False,
        "entries": [
            {
                "commit": head,
                "uncommitted": False,
                "author": "Bo Builder",
                "email": "bo@example.org",
                "date": "2026-03-01T10:03:00+01:00",
                "subject": "Reassess R-7 after the audit",
                "change": "changed",
                "kind": "Risk",
                "path": "risks/hiring/ranking-bias.yaml",
                "previous_path": None,
                "fields": [
                    {"pointer": "/inherent/likelihood", "before": 2, "after": 4},
                    {"pointer": "/inherent/severity", "before": 3, "after": 5},
                ],
                "note": None,
            },
            {
                "commit": repo.git("rev-parse", "HEAD~1").strip(),
                "uncommitted": False,
                "author": "Ann Author",
                "email": "ann@example.org",
                "date": "2026-03-01T10:02:00+01:00",
                "subject": "Group the hiring risks",
                "change": "moved",
                "kind": "Risk",
                "path": "risks/hiring/ranking-bias.yaml",
                "previous_path": "risks/R-7.yaml",
                "fields": [],
                "note": None,
            },
        ],
    }


def test_an_unknown_id_is_exit_2(repo: GitRepo, cli: Cli) -> None:
    result = cli("log", "R-77", repo.root)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: no record with id 'R-77' in {repo.root.resolve()} or in its git "
        "history (ids are case-sensitive); did you mean 'R-7'?\n"
    )


def test_bad_options_are_exit_2(repo: GitRepo, cli: Cli) -> None:
    assert cli("log", "R-7", repo.root, "--format", "md").exit_code == 2
    assert cli("log", "R-7", repo.root, "--max-count", "0").exit_code == 2


def test_outside_git_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    plain = plain_governance_folder(tmp_path)
    result = cli("log", "R-1", plain)
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
