"""Golden files: the Markdown reports of a small fixed repository, byte for byte.

Regenerate after an intended change with ``AIMSCTL_UPDATE_GOLDEN=1 pytest
tests/reports/test_report_golden.py`` and review the diff like any other change.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, repository_files, write_repository

from aimsctl.reports import NAMES, Provenance, render_reports
from aimsctl.repository import load_repository
from gitrepo import GitRepo

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AIMSCTL_UPDATE_GOLDEN") == "1"
COMMIT = "0123456789abcdef0123456789abcdef01234567 with uncommitted changes"
FILES = [f"{name}.md" for name in (*NAMES, "index")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # A.10.4 is left out on purpose: the SoA must show it as a missing row. The records
    # are committed, as in a user's checkout (outside git, 7.5.1 is a gap).
    repo = GitRepo(tmp_path_factory.mktemp("golden") / "repo")
    root = write_repository(repo.root, repository_files(omit=("A.10.4",)))
    repo.commit("The golden repository")
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    # HEAD dated after the as-of date: the provenance says so.
    provenance = Provenance("Golden Test Org", repo.config.scope, day, COMMIT, date(2026, 12, 7))
    return render_reports(repo, list(NAMES), "md", provenance, out=root / "reports", index=True)


def test_every_report_and_the_index_are_rendered(rendered: dict[str, str]) -> None:
    assert sorted(rendered) == sorted(FILES)


@pytest.mark.parametrize("name", FILES)
def test_markdown_matches_golden(rendered: dict[str, str], name: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered[name], encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden}; run with AIMSCTL_UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    assert rendered[name] == expected, (
        f"{name} differs from {golden}; if the change is intended, regenerate with "
        "AIMSCTL_UPDATE_GOLDEN=1 and review the diff"
    )


def test_golden_soa_shows_the_missing_control_and_the_derived_risks(
    rendered: dict[str, str],
) -> None:
    soa = rendered["soa.md"]
    assert "| A.10.4 Customers | **missing** | No Control record decides this control." in soa
    row = next(line for line in soa.splitlines() if line.startswith("| A.5.4 "))
    assert "R-1 (medium), R-2 (high)" in row  # from the risks' treatments, never stored
    assert "[evidence/bias-review.md](../evidence/bias-review.md)" in row
    assert "[https://audits.golden.example/2026](https://audits.golden.example/2026)" in row


def test_golden_provenance_is_in_every_report(rendered: dict[str, str]) -> None:
    for name, text in rendered.items():
        assert f"- **Git commit:** {COMMIT} (commit dated 2026-12-07, **after the" in text, name
        assert "- **As of:** 2026-11-26" in text, name
        assert "- **Organization:** Golden Test Org" in text, name
