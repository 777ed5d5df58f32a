"""`aimsctl status`: plain text in a pipe (golden on the example), Rich on a
terminal, and the JSON shape the README documents."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl.outputs.status import SHOWN
from conftest import AS_OF, EXAMPLE, CliResult, write_files
from factory import OMIT, control, levels, objective, risk, role, system, yaml_of
from gitrepo import CONFIG, GitRepo, plain_governance_folder

Cli = Callable[..., CliResult]
MakeRepo = Callable[..., Path]
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "status-northwind.txt"


def test_plain_text_on_the_example_matches_its_golden_file(
    cli: Cli, example_in_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_in_git)  # the commands it suggests name no repository
    result = cli("status", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    if os.environ.get("AIMSCTL_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    assert "┃" not in result.stdout and "\x1b[" not in result.stdout
    # A waived finding is counted (records.md, Waiver: never silently dropped).
    assert (
        "Validation: 0 errors, 0 warnings, 3 waived; aims.yaml leaves 1 YAML file out"
        in result.stdout
    )
    assert (
        "Obligations: 11 met, 3 missing, 13 open, 3 not-in-force (`aimsctl obligations "
        "--as-of 2026-11-26` lists them)\n" in result.stdout
    )


def test_json_shape(cli: Cli) -> None:
    result = cli("status", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--within", "10")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {
        "version",
        "as_of",
        "organization",
        "within",
        "systems",
        "validation",
        "due",
        "placeholders",
        "readiness",
        "obligations",
    }
    assert document["version"] == 1 and document["within"] == 10
    # The obligations as `aimsctl obligations` sums them: three duties missing for
    # systems in use were on no line of the one-screen view.
    assert document["obligations"] == {
        "met": 11,
        "missing": 3,
        "open": 13,
        "confirm": 0,
        "nothing-to-report": 0,
        "not-in-force": 3,
        "prohibited": 0,
    }
    assert document["systems"]["by_tier"] == {"high": 5, "medium": 2, "low": 1}
    assert document["systems"]["total"] == len(document["systems"]["items"]) == 8
    # records.md, Waiver: "Waived findings are counted and listed separately, never
    # silently dropped." The example's one waived finding (ORG-2, WVR-1) was missing
    # from status, whose validation read "0 errors, 0 warnings (clean)".
    assert document["validation"] == {
        "errors": 0,
        "warnings": 0,
        "waived": 3,
        "being_set_up": False,
    }
    assert document["due"]["overdue"] == 0
    assert [i["record"] for i in document["due"]["items"]] == [
        "MON-ASSIST-GROUNDED",
        "MON-CREDIT-PSI",
        "MON-TRIAGE-75PLUS",
    ]
    assert document["placeholders"] == {"count": 0, "items": []}
    clauses = document["readiness"]["clauses"]
    assert [c["id"] for c in clauses] == ["4", "5", "6", "7", "8", "9", "10"]
    assert set(clauses[0]) == {
        "id",
        "title",
        "state",
        "ready",
        "total",
        "gaps",
        "excluded",
        "overdue",
        "due",
    }
    assert len(document["readiness"]["annex_a"]) == 9


def test_rich_only_on_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    piped = cli("status", EXAMPLE, "--as-of", AS_OF).stdout
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    shown = cli("status", EXAMPLE, "--as-of", AS_OF).stdout
    assert "┃" in shown and "┃" not in piped
    assert max(len(line) for line in shown.splitlines()) <= 80


def test_placeholders_are_counted(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert cli("init", target, "--as-of", AS_OF).exit_code == 0
    document = json.loads(cli("status", target, "--as-of", AS_OF, "-f", "json").stdout)
    assert document["placeholders"]["count"] > 0
    first = document["placeholders"]["items"][0]
    assert set(first) == {"path", "line", "record"}
    # A new repository validates clean: its placeholders are warnings while the
    # management system is being set up (AIMS624).
    assert document["validation"]["errors"] == 0
    assert document["validation"]["warnings"] >= document["placeholders"]["count"]
    text = cli("status", target, "--as-of", AS_OF).stdout
    assert f"Placeholders: {document['placeholders']['count']} left" in text
    # A clean run of a management system still on paper says so, with why.
    assert document["validation"]["being_set_up"] is True
    assert (
        "; the management system is being set up (AIMS624), so placeholders (AIMS107), the "
        "policy's approval (AIMS601) and auditors' independence (AIMS613) are warnings until "
        "`established` is set\n"
    ) in text


def test_the_starter_of_init_is_ready_for_nothing_its_placeholders_hold(
    cli: Cli, tmp_path: Path
) -> None:
    """`init`'s starter, unfilled: its roles name no holder, its policy, risk, audit and
    review are examples still marked `TODO:`. status called leadership (clause 5) 3/3
    ready and the audit programme and management review evidenced, as the readiness
    report did; none of it is the organization's own yet."""
    target = tmp_path / "acme"
    assert cli("init", target).exit_code == 0
    document = json.loads(cli("status", target, "--as-of", AS_OF, "-f", "json").stdout)
    clauses = {line["id"]: line for line in document["readiness"]["clauses"]}
    assert clauses["5"]["state"] == "gap"
    assert (clauses["5"]["ready"], clauses["5"]["gaps"]) == (0, ["5.1", "5.2", "5.3"])
    assert {"9.2.1", "9.2.2", "9.3.1"} <= set(clauses["9"]["gaps"])
    assert "8.2" in clauses["8"]["gaps"]
    text = cli("status", target, "--as-of", AS_OF).stdout
    assert re.search(r"5 +Leadership +0/3 +gaps +missing 5\.1, 5\.2, 5\.3", text)
    report = cli(
        "report", "readiness", target, "--as-of", AS_OF, "-f", "md", "--out", "-", "--force"
    ).stdout
    row = next(line for line in report.splitlines() if line.startswith("| 5.2 AI policy |"))
    assert "| gap |" in row and "POL-AI still holds placeholder text (TODO:)" in row


def test_aims_yaml_alone_does_not_evidence_the_management_system(
    cli: Cli, make_repo: MakeRepo, example_in_git: Path
) -> None:
    """4.4 asks for the management system established, implemented, maintained and
    improved; aims.yaml alone (a scope, no record) read '4.4 ready' in status and the
    readiness report. It now counts only once every other requirement a record or a
    setting can evidence is evidenced, as in the example, and names those that are not."""
    root = make_repo(config="version: 1\norganization: Test Org\nscope: Our AI systems.\n")
    document = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)
    clauses = {line["id"]: line for line in document["readiness"]["clauses"]}
    assert (clauses["4"]["ready"], clauses["4"]["gaps"]) == (1, ["4.1", "4.2", "4.4"])
    report = cli(
        "report", "readiness", root, "--as-of", AS_OF, "-f", "md", "--out", "-", "--force"
    ).stdout
    row = next(line for line in report.splitlines() if line.startswith("| 4.4 "))
    assert "| gap |" in row
    assert "aims.yaml configures the management system, but 4.1, 4.2, 5.1, 5.2" in row
    assert "6.3" not in row  # nothing the repository keeps evidences it: its own gap
    example = json.loads(cli("status", example_in_git, "--as-of", AS_OF, "-f", "json").stdout)
    clauses = {line["id"]: line for line in example["readiness"]["clauses"]}
    # its systems list their stakeholders (4.2); 4.4 waits for 9.1, which NC-2026-03
    # records as not met
    assert clauses["4"]["gaps"] == ["4.4"]


def _readiness_row(
    cli: Cli, root: Path, requirement: str, as_of: str = AS_OF, *options: str
) -> str:
    report = cli(
        "report",
        "readiness",
        root,
        "--as-of",
        as_of,
        "-f",
        "md",
        "--out",
        "-",
        "--force",
        *options,
    ).stdout
    return next(line for line in report.splitlines() if line.startswith(f"| {requirement} "))


def _gaps_of_clause_7(cli: Cli, root: Path, as_of: str = AS_OF) -> list[str]:
    document = json.loads(cli("status", root, "--as-of", as_of, "-f", "json").stdout)
    line = next(line for line in document["readiness"]["clauses"] if line["id"] == "7")
    gaps: list[str] = line["gaps"]
    return gaps


def test_the_records_are_under_version_control_only_once_a_commit_holds_them(
    cli: Cli, tmp_path: Path
) -> None:
    """7.5.1 read ready, "The records of this repository, under version control", for
    any folder holding a valid record: a plain folder outside git, a repository with
    no commit, one whose commits hold none of the records. Each is now a gap saying
    why, in status and the readiness report alike; a commit holding them evidences it."""
    plain = plain_governance_folder(tmp_path)
    write_files(plain, {"systems/SYS-1.yaml": system("SYS-1")})
    assert "7.5.1" in _gaps_of_clause_7(cli, plain)
    assert _readiness_row(cli, plain, "7.5.1").endswith(
        "| gap | none | the records are not in a git repository, so no version of them "
        "is kept | — | — |"
    )
    repo = GitRepo(tmp_path / "work", "governance")
    write_files(repo.root, {"aims.yaml": CONFIG, "systems/SYS-1.yaml": system("SYS-1")})
    assert "7.5.1" in _gaps_of_clause_7(cli, repo.root)
    committed = "| no commit holds the records yet: commit aims.yaml and the record files |"
    assert committed in _readiness_row(cli, repo.root, "7.5.1")
    (repo.top / "README.md").write_text("Our work.\n", encoding="utf-8")
    repo.git("add", "README.md")
    stamp = "2026-02-01T12:00:00+00:00"  # fixed, as every commit of a test is
    repo.git(
        "commit", "-q", "-m", "Start", env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    )
    assert committed in _readiness_row(cli, repo.root, "7.5.1")  # only the README is
    repo.commit("Record SYS-1")
    assert "7.5.1" not in _gaps_of_clause_7(cli, repo.root)
    row = _readiness_row(cli, repo.root, "7.5.1")
    assert "| ready | aims.yaml: records | — |" in row


def test_only_a_commit_dated_by_the_as_of_date_puts_the_records_under_version_control(
    cli: Cli, tmp_path: Path
) -> None:
    """A commit dated after the as-of date counted as evidence that the records were
    under version control on it: `report readiness --as-of 2026-02-28` of a repository
    first committed on 2026-03-01 read 7.5.1 ready. Only commits dated on or before the
    as-of date count now (the committer's own day, as record dates are read), in status
    (its JSON too) and in the readiness report, Markdown and HTML; `--at` too."""
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": CONFIG, "systems/SYS-1.yaml": system("SYS-1")})
    repo.commit("Record SYS-1", on="2026-03-01")
    before = "no commit on or before 2026-02-28 holds the records"
    assert "7.5.1" in _gaps_of_clause_7(cli, repo.root, "2026-02-28")
    assert f"| gap | none | {before} |" in _readiness_row(cli, repo.root, "7.5.1", "2026-02-28")
    assert f"| gap | none | {before} |" in _readiness_row(
        cli, repo.root, "7.5.1", "2026-02-28", "--at", "HEAD"
    )
    html = cli(
        "report",
        "readiness",
        repo.root,
        "--as-of",
        "2026-02-28",
        "-f",
        "html",
        "--out",
        "-",
        "--force",
    ).stdout
    assert before in html
    assert "7.5.1" not in _gaps_of_clause_7(cli, repo.root, "2026-03-01")
    assert "| ready |" in _readiness_row(cli, repo.root, "7.5.1", "2026-03-01", "--at", "HEAD")
    # A shallow clone may lack the older commit that held them: it says so.
    repo.write({"risks/R-1.yaml": "kind: Risk\n"})
    repo.commit("Start R-1", on="2026-03-02")
    shallow = repo.shallow_clone(tmp_path / "shallow", 1)
    assert f"{before}; this clone is shallow, so fetch the history too" in _readiness_row(
        cli, shallow, "7.5.1", "2026-02-28"
    )
    # The committer's own day: late evening in New York is already 2 March in UTC.
    late = GitRepo(tmp_path / "late")
    write_files(late.root, {"aims.yaml": CONFIG, "systems/SYS-1.yaml": system("SYS-1")})
    late.git("add", "-A")
    stamp = {"GIT_COMMITTER_DATE": "2026-03-01T23:30:00-05:00"}
    late.git(
        "commit",
        "-q",
        "-m",
        "Record SYS-1",
        env={**stamp, "GIT_AUTHOR_DATE": stamp["GIT_COMMITTER_DATE"]},
    )
    assert "7.5.1" not in _gaps_of_clause_7(cli, late.root, "2026-03-01")
    assert "7.5.1" in _gaps_of_clause_7(cli, late.root, "2026-02-28")


def test_a_record_file_no_commit_by_the_as_of_date_holds_is_named(cli: Cli, tmp_path: Path) -> None:
    """A record file no commit held (new and untracked, or only staged) was counted as
    under version control, since HEAD held aims.yaml and other records: 7.5.1 read
    ready. Such files are now named, and 7.5.1 is a gap whose evidence is the records
    committed, as 7.5.2 is for a register with some documents not controlled; a file
    committed only after the as-of date is named too."""
    repo = GitRepo(tmp_path / "work", "governance")
    write_files(repo.root, {"aims.yaml": CONFIG, "systems/SYS-1.yaml": system("SYS-1")})
    repo.commit("Record SYS-1", on="2026-01-10")
    write_files(repo.root, {"systems/SYS-2.yaml": system("SYS-2"), "risks/R-1.yaml": risk("R-1")})
    repo.git("add", "governance/risks/R-1.yaml")  # staged, not committed
    named = (
        "2 record files are in no commit on or before 2026-11-26, so no version of them "
        "is kept: risks/R-1.yaml, systems/SYS-2.yaml"
    )
    assert "7.5.1" in _gaps_of_clause_7(cli, repo.root)
    row = _readiness_row(cli, repo.root, "7.5.1")
    assert f"| gap | aims.yaml: records | {named} |" in row
    html = cli(
        "report", "readiness", repo.root, "--as-of", AS_OF, "-f", "html", "--out", "-", "--force"
    ).stdout
    assert named in html
    repo.commit("Record SYS-2 and R-1", on="2026-02-01")
    assert "7.5.1" not in _gaps_of_clause_7(cli, repo.root)
    later = (
        "2 record files are in no commit on or before 2026-01-31, so no version of them "
        "is kept: risks/R-1.yaml, systems/SYS-2.yaml"
    )
    assert later in _readiness_row(cli, repo.root, "7.5.1", "2026-01-31")
    write_files(repo.root, {"systems/SYS-3.yaml": system("SYS-3")})
    one = "1 record file is in no commit on or before 2026-11-26, so no version of it is kept"
    assert f"{one}: systems/SYS-3.yaml |" in _readiness_row(cli, repo.root, "7.5.1")


def test_a_committed_record_file_edited_since_is_named(cli: Cli, tmp_path: Path) -> None:
    """A record file a commit holds but edited since (not committed, or only staged)
    counted as kept under version control: 7.5.1 read ready while the version the
    management system uses, the one in the work tree, was in no commit. Such files
    are now named, as new ones are, and 7.5.1 is a gap until the edit is committed;
    an edit committed only after the as-of date is named too."""
    repo = GitRepo(tmp_path / "work", "governance")
    write_files(
        repo.root,
        {
            "aims.yaml": CONFIG,
            "systems/SYS-1.yaml": system("SYS-1"),
            "systems/SYS-2.yaml": system("SYS-2"),
        },
    )
    repo.commit("Record SYS-1 and SYS-2", on="2026-01-10")
    assert "7.5.1" not in _gaps_of_clause_7(cli, repo.root)
    write_files(
        repo.root,
        {
            "systems/SYS-1.yaml": system("SYS-1", purpose="Screens applications."),
            "systems/SYS-2.yaml": system("SYS-2", purpose="Ranks applications."),
        },
    )
    repo.git("add", "governance/systems/SYS-2.yaml")  # staged, not committed
    named = (
        "2 record files are changed since the last commit on or before 2026-11-26, so "
        "the version in use is not kept: systems/SYS-1.yaml, systems/SYS-2.yaml"
    )
    assert "7.5.1" in _gaps_of_clause_7(cli, repo.root)
    assert f"| gap | aims.yaml: records | {named} |" in _readiness_row(cli, repo.root, "7.5.1")
    repo.commit("Purposes", on="2026-02-01")
    assert "7.5.1" not in _gaps_of_clause_7(cli, repo.root)
    later = (
        "2 record files are changed since the last commit on or before 2026-01-31, so "
        "the version in use is not kept: systems/SYS-1.yaml, systems/SYS-2.yaml"
    )
    assert later in _readiness_row(cli, repo.root, "7.5.1", "2026-01-31")
    # A new file and an edited one: each named, in its own words.
    write_files(
        repo.root,
        {
            "systems/SYS-1.yaml": system("SYS-1", purpose="Scores applications."),
            "systems/SYS-3.yaml": system("SYS-3"),
        },
    )
    row = _readiness_row(cli, repo.root, "7.5.1")
    assert (
        "1 record file is in no commit on or before 2026-11-26, so no version of it is "
        "kept: systems/SYS-3.yaml; 1 record file is changed since the last commit on or "
        "before 2026-11-26, so the version in use is not kept: systems/SYS-1.yaml |"
    ) in row
    # --at reads a commit, which holds what it holds: nothing is edited there.
    assert "| ready |" in _readiness_row(cli, repo.root, "7.5.1", AS_OF, "--at", "HEAD")


def test_the_record_files_7_5_1_names_are_capped(cli: Cli, tmp_path: Path) -> None:
    """Every record file outside version control was listed in the readiness cell,
    however many (a folder of 500 new records made one cell of 500 paths). The first
    ten, in natural order, are named now, then how many more."""
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": CONFIG, "systems/SYS-1.yaml": system("SYS-1")})
    repo.commit("Record SYS-1", on="2026-01-10")
    write_files(repo.root, {f"systems/SYS-{n}.yaml": system(f"SYS-{n}") for n in range(2, 15)})
    shown = ", ".join(f"systems/SYS-{n}.yaml" for n in range(2, 12))
    assert (
        "13 record files are in no commit on or before 2026-11-26, so no version of them "
        f"is kept: {shown} and 3 more |"
    ) in _readiness_row(cli, repo.root, "7.5.1")


def test_records_that_fail_validation_are_named_as_due_names_them(
    cli: Cli, make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An objective overdue in a file that fails validation: `due` names the file, status
    # said "0 overdue" as if its list were complete.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-11-01", status="oops"),
        }
    )
    due = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)
    document = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert document["due"]["left_out"] == due["left_out"] == ["objectives/OBJ-1.yaml"]
    note = "Not listed: the dates in 1 file with records that failed validation"
    text = cli("status", root, "--as-of", AS_OF).stdout
    assert f"{note}: objectives/OBJ-1.yaml; run aimsctl validate" in text
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert note in cli("status", root, "--as-of", AS_OF).stdout
    clean = json.loads(cli("status", EXAMPLE, "--as-of", AS_OF, "-f", "json").stdout)
    assert clean["due"]["left_out"] == []


def test_the_summary_says_tiers_and_readiness_are_incomplete_where_records_failed(
    cli: Cli, make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 5 x 5 risk with a misspelt status is left out: status showed SYS-1 'low' and
    # readiness as if complete; only the due list said a file was left out, of dates.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "risks/R-1.yaml": risk("R-1"),
            "risks/R-2.yaml": risk("R-2", inherent=levels(5, 5), status="opne"),
        }
    )
    note = (
        "Incomplete: 1 file with records that failed validation left out (risks/R-2.yaml), "
        "so the tiers, due items and readiness below leave out what its records hold; "
        "run aimsctl validate"
    )
    monkeypatch.chdir(root)  # the command it suggests names no repository from there
    lines = cli("status", "--as-of", AS_OF).stdout.splitlines()
    assert lines[lines.index("  by tier:  1 low") + 3] == note
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert note in cli("status", root, "--as-of", AS_OF).stdout
    assert "Incomplete" not in cli("status", EXAMPLE, "--as-of", AS_OF).stdout


def test_bad_format(cli: Cli) -> None:
    result = cli("status", EXAMPLE, "--format", "yaml")
    assert result.exit_code == 2
    assert "aimsctl: error: --format 'yaml' is not one of text, json" in result.stderr


def _more_items_hint(shown: str) -> tuple[int, str]:
    """How many more items status's hint counts, and the command it gives."""
    hint = next(line for line in shown.splitlines() if "more items:" in line)
    more, command = hint.split("more items: ")
    return int(more.split()[-1]), command


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (["my aims"], "'my aims'"),
        (["--repo", "my aims"], "--repo 'my aims'"),
        (["my aims/"], "'my aims'"),
    ],
)
def test_the_hint_for_more_due_items_runs_from_where_status_ran(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given: list[str],
    named: str,
) -> None:
    # The hint names the window and the day, so `due` lists what status counted; it
    # left out the repository, so pasted where `aimsctl status nw` ran it failed with
    # "no aims.yaml found". It names the repository as given, quoted for a shell.
    shutil.copytree(EXAMPLE, tmp_path / "my aims")
    monkeypatch.chdir(tmp_path)
    window = ["--as-of", "2027-06-30", "--within", "90"]
    result = cli("status", *given, *window)
    assert result.exit_code == 0, result.stderr
    more, command = _more_items_hint(result.stdout)
    assert command == f"aimsctl due {named} --within 90 --as-of 2027-06-30"
    listed = cli(*shlex.split(command)[1:], "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert more == len(json.loads(listed.stdout)["items"]) - SHOWN
    # The Rich layout on a terminal gives the same command.
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    rich = cli("status", *given, *window).stdout
    assert "┃" in rich and f"more items: {command}\n" in rich


@pytest.mark.parametrize("given", [[], ["."], ["--repo", "."]])
def test_the_hint_for_more_due_items_names_no_repository_for_the_current_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: list[str]
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "nw")
    monkeypatch.chdir(tmp_path / "nw")
    shown = cli("status", *given, "--as-of", "2027-06-30", "--within", "90").stdout
    assert _more_items_hint(shown)[1] == "aimsctl due --within 90 --as-of 2027-06-30"


def test_an_area_whose_controls_are_all_excluded_is_not_applicable_never_ready(
    cli: Cli, make_repo: MakeRepo, tmp_path: Path
) -> None:
    # A.10 with its three controls excluded read "3/3 ready" in status and in the
    # readiness report: an area with nothing implemented counted as ready. An exclusion
    # is a decision the Statement of Applicability justifies (6.1.3), not readiness.
    reviewed = {"on": "2026-11-01", "by": "auditor@acme.example"}
    excluded = [
        control(
            control_id,
            applicable=False,
            justification=f"We supply no AI to others ({control_id}).",
            status=OMIT,
            reviewed=reviewed,
        )
        for control_id in ("A.10.2", "A.10.3", "A.10.4")
    ]
    root = make_repo({"controls/a.yaml": excluded})
    result = cli("status", root, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    area = next(a for a in json.loads(result.stdout)["readiness"]["annex_a"] if a["id"] == "A.10")
    assert (area["state"], area["ready"], area["excluded"], area["total"]) == (
        "not-applicable",
        0,
        3,
        3,
    )
    text = cli("status", root, "--as-of", AS_OF).stdout
    line = next(x for x in text.splitlines() if x.strip().startswith("A.10 "))
    assert line.split()[-8:] == ["0/3", "not", "applicable", "all", "excluded", "in", "the", "SoA"]
    out = tmp_path / "out"
    # The other 35 controls are undecided (AIMS202): rendered anyway, with a warning.
    written = cli("report", "readiness", root, "--as-of", AS_OF, "--out", out, "--force")
    assert written.exit_code == 0, written.stderr
    report = (out / "readiness.md").read_text(encoding="utf-8")
    area_row = "| A.10 | Third-party and customer relationships | 0/3 (3 excluded) | not applicable"
    assert area_row in report
    # Each exclusion is shown with its justification.
    control_row = "| A.10.4 Customers | excluded: We supply no AI to others (A.10.4). | not app"
    assert control_row in report


def test_control_evidence_dated_after_the_as_of_date_does_not_make_it_ready(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A.3.2 implemented with its only evidence dated 2026-09-24 read ready in status
    and the readiness report as of 2025-01-01, while validate reported that date as
    not happened yet (AIMS508): evidence produced later shows nothing done then."""
    from conftest import EXCLUDED_SOA

    soa = "---\n".join(d for d in EXCLUDED_SOA.split("---\n") if "id: A.3.2\n" not in d)
    evidence = [{"path": "evidence/roles.md", "date": "2026-09-24"}]
    root = make_repo(
        {
            "controls/annex-a.yaml": soa,
            "controls/a32.yaml": control("A.3.2", status="implemented", evidence=evidence),
            "evidence/roles.md": "AI roles and responsibilities\n",
        }
    )

    def area(as_of: str) -> dict[str, object]:
        result = cli("status", root, "--as-of", as_of, "--format", "json")
        assert result.exit_code == 0, result.stderr
        lines = json.loads(result.stdout)["readiness"]["annex_a"]
        return next(line for line in lines if line["id"] == "A.3")

    before = area("2025-01-01")
    assert "A.3.2" in before["gaps"], before
    assert (
        _readiness_row(cli, root, "A.3.2", "2025-01-01").count(
            "no evidence exists yet: evidence/roles.md is dated 2026-09-24, after the as-of date"
        )
        == 1
    )
    # From its date on, it counts.
    assert "A.3.2" not in area("2026-09-24")["gaps"]


def test_leadership_is_evidenced_only_by_a_role_in_top_management(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """Clause 5.1 asks top management to lead the management system. Any Role counted
    for it: with one role, a data protection officer not in top management (AIMS605,
    no-top-management-role, an error), status and the readiness report called 5.1
    ready, naming that role as its evidence."""
    dpo = role("dpo", holder="dpo@acme.example")
    root = make_repo({"roles/dpo.yaml": yaml_of(dpo)})
    document = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)
    clauses = {line["id"]: line for line in document["readiness"]["clauses"]}
    assert clauses["5"]["gaps"][0] == "5.1"
    assert _readiness_row(cli, root, "5.1").endswith(
        "| gap | none | no Role record counts; dpo is not top management | — | — |"
    )
    assert "| ready | Role: dpo |" in _readiness_row(cli, root, "5.3")  # it holds a role
    (root / "roles" / "dpo.yaml").write_text(
        yaml_of(role("dpo", holder="dpo@acme.example", top_management=True)), encoding="utf-8"
    )
    assert "| ready | Role: dpo |" in _readiness_row(cli, root, "5.1")


def test_a_policy_review_or_audit_whose_document_is_missing_counts_for_nothing(
    cli: Cli, example_copy: Path
) -> None:
    """AIMS206 refuses a policy's document, a review's minutes and an audit's report
    that names no file, but readiness still counted such a policy for 5.2 (status
    said 5 Leadership 3/3 ready), as a control's evidence path is not counted."""
    edits = {
        "policies/POL-AI.yaml": ("evidence/policy/ai-policy.md", "evidence/missing.pdf"),
        "reviews/MR-2026.yaml": (
            "evidence/governance/management-review-2026-10.md",
            "evidence/missing-minutes.md",
        ),
        "audits/AUD-2025.yaml": (
            "evidence/audit/internal-audit-2025.md",
            "evidence/missing-report.md",
        ),
    }
    for name, (old, new) in edits.items():
        path = example_copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    document = json.loads(cli("status", example_copy, "--as-of", AS_OF, "-f", "json").stdout)
    clauses = {line["id"]: line for line in document["readiness"]["clauses"]}
    assert "5.2" in clauses["5"]["gaps"]
    assert {"9.3.1", "9.3.2", "9.3.3"} <= set(clauses["9"]["gaps"])
    assert (
        "POL-AI's document cannot be inspected: path 'evidence/missing.pdf' does not exist "
        "in the repository (AIMS206)" in _readiness_row(cli, example_copy, "5.2")
    )
    assert "MR-2026's minutes cannot be inspected" in _readiness_row(cli, example_copy, "9.3.1")
    # an audit whose report nobody can inspect audited nothing
    assert not _readiness_row(cli, example_copy, "5.2").endswith("| AUD-2025 |")


def test_every_command_status_suggests_runs_where_status_ran_through_a_shell(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The obligations hint named neither the repository nor the day (pasted, it counted
    # today's obligations elsewhere), and "run aimsctl validate" for a file left out no
    # repository; a name with a line break was shown escaped, as a folder that is not
    # there. Each is now a command bash runs as shown.
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash to paste the commands into")
    folder = "odd\nname's aims"
    shutil.copytree(EXAMPLE, tmp_path / folder)
    (tmp_path / folder / "objectives" / "OBJ-BAD.yaml").write_text(
        "kind: Objective\nid: OBJ-BAD\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    shown = cli("status", folder, "--as-of", "2026-06-01").stdout
    quoted = r"\$'[^']*(?:\\'[^']*)*'"
    commands = re.findall(rf"aimsctl (?:obligations|validate|due) {quoted}[^`;\n]*", shown)
    kinds = {command.split()[1] for command in commands}
    assert kinds == {"obligations", "validate", "due"}, shown
    assert "aimsctl obligations $'odd\\nname\\'s aims' --as-of 2026-06-01" in commands, commands
    counted = re.search(r"Obligations: (.*) \(`", shown)
    assert counted is not None
    for command in dict.fromkeys(commands):
        ran = subprocess.run(
            [bash, "-c", command.replace("aimsctl", f"{shlex.quote(sys.executable)} -m aimsctl")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "no aims.yaml found" not in ran.stderr and ran.returncode in (0, 1), ran.stderr
        if command.startswith("aimsctl obligations"):
            assert f"obligations: {counted.group(1)} (as of 2026-06-01)" in ran.stdout


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        # bash keeps $'\u200f' as it is where the locale is C: the UTF-8 bytes instead.
        ("rtl\u200fmark", "$'rtl\\xe2\\x80\\x8fmark'"),
        (os.fsdecode(b"bad\xffbyte"), "$'bad\\xffbyte'"),  # a byte that is not UTF-8, as itself
        ("tab\there", "$'tab\\there'"),
    ],
)
def test_a_repository_name_that_does_not_show_as_itself_is_quoted_for_any_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, shown: str
) -> None:
    from aimsctl.cli.common import repository_words

    monkeypatch.chdir(tmp_path)
    assert repository_words(Path(name), None) == shown
    folder = tmp_path / name
    folder.mkdir()
    ran = subprocess.run(
        ["bash", "-c", f"cd {shown}"], cwd=tmp_path, env={**os.environ, "LC_ALL": "C"}, check=False
    )
    assert ran.returncode == 0
