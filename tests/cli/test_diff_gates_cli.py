"""`aimsctl diff --fail-on` cannot be talked out of a weakening by how a pull request
writes it: each test commits a change to the bundled example on a branch and runs
the gates as CI does."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, CliResult
from gitrepo import GitRepo

Cli = Callable[..., CliResult]

GATES = (
    "appetite-crossed,tier-raised,control-regressed,soa-exclusion-added,"
    "system-changed-without-assessment"
)


def northwind(tmp_path: Path) -> GitRepo:
    """The bundled example committed on `main`, with a branch `change` checked out."""
    repo = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, repo.root, dirs_exist_ok=True)
    repo.commit("Northwind AIMS")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def edit(repo: GitRepo, rel: str, old: str, new: str, after: str = "") -> None:
    """Replace the one ``old`` in a file (the first after ``after``, when given)."""
    path = repo.root / rel
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    assert after or text.count(old) == 1
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def gated(repo: GitRepo, cli: Cli) -> tuple[CliResult, dict[str, list[str]]]:
    """The gates run on the branch: the result, and the JSON's ids for each gate."""
    repo.commit("The pull request")
    result = cli(
        "diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", GATES,
    )  # fmt: skip
    return result, json.loads(result.stdout)["regressions"]


def test_clearing_an_implemented_controls_status_is_a_regression(tmp_path: Path, cli: Cli) -> None:
    # A.8.4 is implemented and no risk's treatment relies on it, so nothing else moves.
    repo = northwind(tmp_path)
    edit(repo, "controls/annex-a.yaml", "status: implemented\n", "", after="id: A.8.4\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "control-regressed: A.8.4" in result.stderr
    assert gates["control-regressed"] == ["A.8.4"]


def test_a_control_rewritten_as_another_kind_leaves_the_soa(tmp_path: Path, cli: Cli) -> None:
    # ORG-3 applies; as a valid Role with the same id it is no longer a control.
    repo = northwind(tmp_path)
    path = repo.root / "controls" / "organization.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text[: text.index("kind: Control\nid: ORG-3\n")]
        + "kind: Role\nid: ORG-3\ntitle: Agent operations lead\n"
        + "holder: ciso@northwind.example\nresponsibilities: [Runs the agents.]\n",
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "control-regressed: ORG-3" in result.stderr
    assert gates["control-regressed"] == ["ORG-3"]


def test_a_duplicate_id_in_a_new_file_cannot_hide_a_raised_risk(tmp_path: Path, cli: Cli) -> None:
    # R-013 (9, medium) is left as it is; a new file holds a copy at 12 (high). Both
    # copies are invalid at HEAD, so the gates cannot tell which one holds: they trip.
    repo = northwind(tmp_path)
    text = (repo.root / "risks" / "R-013.yaml").read_text(encoding="utf-8")
    raised = text.replace("likelihood: Possible,", "likelihood: Likely,")
    assert raised != text
    (repo.root / "risks" / "zz-R-013.yaml").write_text(raised, encoding="utf-8")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "appetite-crossed: R-013" in result.stderr
    assert "the gates cannot judge: R-013" in result.stderr
    assert gates["appetite-crossed"] == ["R-013"]
    text_output = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "governance gets worse: 1 record invalid at HEAD\n" in text_output


def test_a_record_made_invalid_at_head_trips_the_gates_of_its_kind(
    tmp_path: Path, cli: Cli
) -> None:
    # A.8.4 drops to partial and gains an unknown field: its new status cannot be judged.
    repo = northwind(tmp_path)
    edit(
        repo,
        "controls/annex-a.yaml",
        "status: implemented\n",
        "status: partial\nnote: later\n",
        after="id: A.8.4\n",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "control-regressed: A.8.4; soa-exclusion-added: A.8.4" in result.stderr
    assert gates["control-regressed"] == gates["soa-exclusion-added"] == ["A.8.4"]
    assert gates["appetite-crossed"] == gates["tier-raised"] == []
