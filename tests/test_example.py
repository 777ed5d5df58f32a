"""The bundled example, examples/northwind, validates clean: no errors, no warnings.

Its one known exception is on record as a Waiver, and is listed as waived. It is
checked as a repository of its own, committed on a date before the as-of date:
where it lies, inside aimsctl's checkout, its history is aimsctl's, and a shallow
clone of aimsctl has too little of it to date the example's records (AIMS407
then says so).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aimsctl import engine
from aimsctl.repository import load_repository
from conftest import AS_OF, BUNDLED_EXAMPLE, CliResult
from gitrepo import GitRepo

Cli = Callable[..., CliResult]

# (code, record, waiver) of every finding the example waives on purpose.
EXPECTED_WAIVED = [
    ("AIMS503", "ORG-2", "WVR-1"),
    ("AIMS711", "SYS-ASSIST", "WVR-2"),
    ("AIMS711", "SYS-TRIAGE", "WVR-2"),
]


def _tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in sorted(root.rglob("*"))}


@pytest.fixture
def committed_example(tmp_path: Path) -> Path:
    """The example in a git repository of its own, committed on 2026-03-01."""
    repo = GitRepo(tmp_path / "northwind")
    shutil.copytree(BUNDLED_EXAMPLE, repo.root, dirs_exist_ok=True)
    repo.commit("Northwind AIMS")
    return repo.root


def test_example_validates_clean(cli: Cli, committed_example: Path) -> None:
    before = _tree(committed_example)
    result = cli("validate", committed_example, "--as-of", AS_OF, "--format", "json")
    report = json.loads(result.stdout)
    assert report["diagnostics"] == [], "\n".join(
        f"{d['path']}:{d['line']}:{d['column']}: {d['code']} {d['message']}"
        for d in report["diagnostics"]
    )
    assert result.exit_code == 0
    assert report["summary"]["errors"] == report["summary"]["warnings"] == 0
    assert [(d["code"], d["record"], d["waiver"]) for d in report["waived"]] == EXPECTED_WAIVED
    assert report["summary"]["waived"] == len(EXPECTED_WAIVED)
    assert _tree(committed_example) == before  # validate never writes into the repository


# cli.md: validate, risk, diff, rules and controls are read-only. `risk accept`, a
# sign-off that edits the risk, came later and is not among them.
READ_ONLY = [
    ["risk", "score", "--as-of", AS_OF],
    ["risk", "score", "--as-of", AS_OF, "--format", "csv"],
    ["risk", "matrix", "--as-of", AS_OF],
    ["risk", "show", "R-007", "--as-of", AS_OF],
    ["diff", "HEAD", "--as-of", AS_OF],
    ["diff", "HEAD", "--as-of", AS_OF, "--format", "json"],
    ["controls", "--as-of", AS_OF],
    ["controls", "--annex", "--as-of", AS_OF],
    ["rules"],
    ["rules", "explain", "AIMS303"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_read_only_commands_never_write_into_the_repository(
    cli: Cli, committed_example: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # Run from inside the repository, as a user does: nothing in it, .git included,
    # is created, removed or touched.
    monkeypatch.chdir(committed_example)
    before = _tree(committed_example)
    result = cli(*command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout
    assert _tree(committed_example) == before


def test_example_is_clean_through_the_engine_and_strict(committed_example: Path) -> None:
    result = engine.run(load_repository(committed_example, date.fromisoformat(AS_OF)))
    assert result.diagnostics == []
    assert result.exit_code(strict=True) == 0
    assert [(d.code, d.record, d.waived_by) for d in result.waived] == EXPECTED_WAIVED


def test_without_its_waiver_the_finding_is_reported(cli: Cli, example_copy: Path) -> None:
    repository = load_repository(example_copy, date.fromisoformat(AS_OF))
    for code, record, waiver in EXPECTED_WAIVED:
        (example_copy / repository.entries[waiver].document.source.path).unlink(missing_ok=True)
        result = cli("validate", example_copy, "--as-of", AS_OF, "--format", "json")
        found = [(d["code"], d["record"]) for d in json.loads(result.stdout)["diagnostics"]]
        assert (code, record) in found
