"""`aimsctl diff` on a record whose file cannot be read at one side, in a file other than
the one the other side has it in: a new file with a YAML syntax error, one whose name
is not UTF-8 (the loader reads none), or one the record moved to. Each test commits a
change to the bundled example on a branch and runs the gates as CI does."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aimsctl.vocabulary import FAIL_ON
from conftest import EXAMPLE, CliResult
from gitrepo import GitRepo, example_on_a_branch

Cli = Callable[..., CliResult]

GATES = ",".join(FAIL_ON)


def northwind(tmp_path: Path) -> GitRepo:
    return example_on_a_branch(tmp_path / "work", EXAMPLE)


def new_risk(repo: GitRepo) -> bytes:
    """R-050: R-003 (likelihood 4, severity 4) on SYS-FRAUD, a medium system, without
    its acceptance: valid, it raises SYS-FRAUD to high (tier-raised)."""
    text = (repo.root / "risks" / "R-003.yaml").read_text(encoding="utf-8")
    text = text.replace("id: R-003\n", "id: R-050\n")
    text = text.replace("systems: [SYS-HIRE]\n", "systems: [SYS-FRAUD]\n")
    start = text.index("acceptance:")
    end = text.index("\n", text.index("  expires:", start)) + 1
    return (text[:start] + text[end:]).encode("utf-8")


def broken(raw: bytes) -> bytes:
    """``raw`` with a YAML syntax error: a flow list opened in its title, never closed."""
    return raw.replace(b"\ntitle: ", b"\ntitle: [", 1)


def latin1(repo: GitRepo, record_id: str) -> bytes:
    """The path of risks/<record_id>-\xe9.yaml, a name that is not UTF-8 (Latin-1)."""
    return os.fsencode(repo.root / "risks") + f"/{record_id}-".encode() + b"\xe9.yaml"


def write_latin1(repo: GitRepo, record_id: str, raw: bytes) -> None:
    try:
        with open(latin1(repo, record_id), "wb") as file:
            file.write(raw)
    except OSError:  # pragma: no cover - a file system that takes UTF-8 names only
        pytest.skip("the file system refuses a file name that is not UTF-8")


def run(repo: GitRepo, cli: Cli, *options: str) -> CliResult:
    return cli(
        "diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--fail-on", GATES, *options
    )  # fmt: skip


def gated(repo: GitRepo, cli: Cli) -> tuple[CliResult, dict[str, Any]]:
    """The gates run on the branch: the result, and its JSON report."""
    repo.commit("The pull request")
    result = run(repo, cli, "--format", "json")
    return result, json.loads(result.stdout)


def test_a_risk_added_in_a_file_with_a_yaml_error_is_unreadable_at_head(
    tmp_path: Path, cli: Cli
) -> None:
    """A new record in a new file that cannot be parsed was not reported at all: not
    added, not invalid, "no governance regressions", and tier-raised passed; only a
    note said a record missing from the file is not counted. Its id is found as
    `aimsctl log` finds it, and it is listed as unreadable at HEAD: of no kind that can
    be told, it trips the gates for records added invalid."""
    repo = northwind(tmp_path)
    (repo.root / "risks" / "R-050.yaml").write_bytes(broken(new_risk(repo)))
    result, report = gated(repo, cli)
    assert result.exit_code == 1
    assert report["added"] == [] and report["removed"] == []
    assert report["invalid"] == [
        {"kind": None, "id": "R-050", "path": "risks/R-050.yaml", "base": "absent",
         "head": "unreadable"}
    ]  # fmt: skip
    gates = report["regressions"]
    assert gates["tier-raised"] == gates["checks-relaxed"] == ["R-050"]
    assert gates["soa-exclusion-added"] == ["R-050"]
    assert gates["appetite-crossed"] == gates["open-risk-removed"] == []
    assert "invalid or unreadable at HEAD, so the gates cannot judge: R-050\n" in result.stderr

    text = run(repo, cli).stdout
    assert "governance gets worse: 1 record invalid at HEAD\n" in text
    assert "  Record R-050  risks/R-050.yaml  BASE absent, HEAD unreadable\n" in text
    assert "Added" not in text and "No governance record differs." not in text


def test_a_risk_added_in_a_file_whose_name_is_not_utf8_is_unreadable_at_head(
    tmp_path: Path, cli: Cli
) -> None:
    """A valid record in a new file whose name is not UTF-8: the loader reads no such
    file (validate reports it, AIMS008) while `aimsctl log` reads the blob, and diff
    dropped the record without a word. It is unreadable at HEAD, as validate has it."""
    repo = northwind(tmp_path)
    write_latin1(repo, "R-050", new_risk(repo))
    result, report = gated(repo, cli)
    assert result.exit_code == 1
    assert report["added"] == []
    assert report["invalid"] == [
        {"kind": None, "id": "R-050", "path": "risks/R-050-\\xe9.yaml", "base": "absent",
         "head": "unreadable"}
    ]  # fmt: skip
    assert report["regressions"]["tier-raised"] == ["R-050"]
    assert "invalid or unreadable at HEAD, so the gates cannot judge: R-050\n" in result.stderr
    text = run(repo, cli).stdout
    assert "  Record R-050  risks/R-050-\\xe9.yaml  BASE absent, HEAD unreadable\n" in text


@pytest.mark.parametrize("how", ["yaml error", "name not utf-8"])
def test_a_risk_moved_into_a_file_that_cannot_be_read_is_not_removed(
    tmp_path: Path, cli: Cli, how: str
) -> None:
    """R-019 (open, high, SYS-OPSAGENT's only high risk) moved to a file HEAD cannot
    read was "Removed", and SYS-OPSAGENT's tier "lowered" (high -> low) as an
    improvement, though the note said such a record is not counted as removed. As when
    its own file is broken in place: unreadable at HEAD, the tier not lowered, and the
    gates of a risk trip for it as they cannot judge it."""
    repo = northwind(tmp_path)
    raw = (repo.root / "risks" / "R-019.yaml").read_bytes()
    repo.remove("risks/R-019.yaml")
    if how == "yaml error":
        (repo.root / "risks" / "R-019b.yaml").write_bytes(broken(raw))
        path = "risks/R-019b.yaml"
    else:
        write_latin1(repo, "R-019", raw)
        path = "risks/R-019-\\xe9.yaml"
    result, report = gated(repo, cli)
    assert result.exit_code == 1
    assert report["removed"] == [] and report["removed_open_risks"] == []
    assert report["invalid"] == [
        {"kind": "Risk", "id": "R-019", "path": path, "base": "valid", "head": "unreadable"}
    ]
    gates = report["regressions"]
    assert gates["open-risk-removed"] == gates["tier-raised"] == ["R-019"]
    assert "invalid or unreadable at HEAD, so the gates cannot judge: R-019\n" in result.stderr

    text = run(repo, cli).stdout
    assert "Removed" not in text and "better:" not in text
    assert "  SYS-OPSAGENT  high -> low  changed\n" in text
    assert f"  Risk R-019  {path}  BASE valid, HEAD unreadable\n" in text


def added_excluded_control(repo: GitRepo, cli: Cli) -> None:
    """The pull request adds ORG-9, an excluded Control: it must be added, and trip
    soa-exclusion-added."""
    (repo.root / "controls" / "ORG-9.yaml").write_text(
        "kind: Control\nid: ORG-9\ntitle: Our own check\napplicable: false\n"
        "justification: Not needed here.\n",
        encoding="utf-8",
    )
    result, report = gated(repo, cli)
    assert [r["id"] for r in report["added"]] == ["ORG-9"]
    assert report["regressions"]["soa-exclusion-added"] == ["ORG-9"]
    assert result.exit_code == 1


def test_a_record_base_could_not_read_in_another_file_is_added_and_judged(
    tmp_path: Path, cli: Cli
) -> None:
    """The mirror: BASE holds R-019 moved to a file with a YAML error, and R-050 in a
    file whose name is not UTF-8; HEAD repairs both in files of their own. A first
    version listed both as unreadable at BASE and not added; the review found that any
    broken file at BASE naming an id (in a comment, a nested finding) then spared a
    record added at HEAD its gates. A record is spared only when its own file is one
    BASE cannot read (repaired in place); these are added, and judged."""
    repo = northwind(tmp_path)
    raw = (repo.root / "risks" / "R-019.yaml").read_bytes()
    repo.remove("risks/R-019.yaml")
    (repo.root / "risks" / "R-019b.yaml").write_bytes(broken(raw))
    write_latin1(repo, "R-050", new_risk(repo))
    repo.commit("Broken at BASE")
    repo.git("branch", "-f", "main")
    repo.remove("risks/R-019b.yaml")
    (repo.root / "risks" / "R-019.yaml").write_bytes(raw)
    os.remove(latin1(repo, "R-050"))
    (repo.root / "risks" / "R-050.yaml").write_bytes(new_risk(repo))
    result, report = gated(repo, cli)
    assert [r["id"] for r in report["added"]] == ["R-019", "R-050"]
    assert report["regressions"]["tier-raised"] == ["SYS-FRAUD", "SYS-OPSAGENT"]
    assert result.exit_code == 1


def test_an_id_named_in_a_broken_file_at_base_spares_no_record_added_at_head(
    tmp_path: Path, cli: Cli
) -> None:
    """A broken audit at BASE naming ORG-9 as a finding's id hid a Control ORG-9 added
    at HEAD excluded: listed "BASE unreadable, HEAD valid", not added, and
    soa-exclusion-added did not trip (the review's reproduction). It is added now."""
    repo = northwind(tmp_path)
    (repo.root / "audits" / "AUD-2027.yaml").write_text(
        "kind: InternalAudit\nid: AUD-2027\ntitle: [broken\n"
        "findings: [{id: ORG-9, type: observation}]\n",
        encoding="utf-8",
    )
    repo.commit("A broken audit")
    repo.git("branch", "-f", "main")
    added_excluded_control(repo, cli)


def test_a_file_gone_unreadable_lists_its_records_not_what_they_nest(
    tmp_path: Path, cli: Cli
) -> None:
    """The ids of a file that cannot be read are its `id` keys at the start of a line:
    an internal audit broken in place is unreadable at HEAD, and the findings nested in
    it (`  - id: F-2026-01`) are not taken for records new at HEAD."""
    repo = northwind(tmp_path)
    path = repo.root / "audits" / "AUD-2026.yaml"
    path.write_bytes(broken(path.read_bytes()))
    result, report = gated(repo, cli)
    assert result.exit_code == 1
    assert [(r["id"], r["base"], r["head"]) for r in report["invalid"]] == [
        ("AUD-2026", "valid", "unreadable")
    ]
    assert report["regressions"]["tier-raised"] == []
    assert report["regressions"]["management-record-removed"] == ["AUD-2026"]


@pytest.mark.parametrize("held", ["notes: [draft\n", "kind: Control\nid: ORG-OTHER\ntitle: [x\n"])
def test_a_broken_file_once_at_a_record_s_path_spares_it_nothing(
    tmp_path: Path, cli: Cli, held: str
) -> None:
    """A broken file at BASE naming no id, or another, at controls/ORG-9.yaml; HEAD
    puts an excluded Control ORG-9 there. The second review found it listed "BASE
    unreadable, HEAD valid", not added, and soa-exclusion-added silent: the path alone
    spared it. Only a broken file that names the record spares it now."""
    repo = northwind(tmp_path)
    (repo.root / "controls" / "ORG-9.yaml").write_text(held, encoding="utf-8")
    repo.commit("A broken draft")
    repo.git("branch", "-f", "main")
    added_excluded_control(repo, cli)
