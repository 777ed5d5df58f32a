"""`aimsctl validate` end to end: exit codes, repository discovery, text and JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import aimsctl.loader.root_folder
from conftest import AS_OF, EXAMPLE, EXCLUDED_SOA, CliResult, write_files
from factory import role

GOOD_SYSTEM = """\
kind: AISystem
id: SYS-1
title: Triage assistant
owner: lead@acme.example
purpose: Suggest a triage category for incoming tickets.
type: predictive
stage: development
human_oversight: {mode: human-in-the-loop}
"""

Make = Callable[..., Path]
Cli = Callable[..., CliResult]


def test_clean_repository_exits_zero(make_repo: Make, cli: Cli) -> None:
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM, "controls/annex-a.yaml": EXCLUDED_SOA})
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["repository"] == str(root.resolve())
    assert report["summary"] == {"records": 39, "files": 2, "errors": 0, "warnings": 0, "waived": 0}
    assert report["diagnostics"] == []


def test_json_diagnostic_shape(make_repo: Make, cli: Cli) -> None:
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM.replace("type: predictive", "type: x")})
    result = cli("validate", "--repo", root, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1
    diagnostics = json.loads(result.stdout)["diagnostics"]
    first = next(d for d in diagnostics if d["path"] == "systems/sys-1.yaml")
    assert first == {
        "code": "AIMS102",
        "severity": "error",
        "message": "type is 'x'; it must be one of: predictive, generative, agentic, "
        "rule-based or other",
        "path": "systems/sys-1.yaml",
        "line": 6,
        "column": 7,
        "record": "SYS-1",
        "pointer": "/type",
    }


def test_json_diagnostics_are_sorted_by_path_line_column_code(make_repo: Make, cli: Cli) -> None:
    # cli.md fixes the order. Here the rules find AIMS201 in risks/ after the schema
    # errors of systems/ were found, line 10 sorts after line 6 (not as text), and
    # three codes share one position at the risk's placeholder acceptance.
    risk = (
        "kind: Risk\nid: R-1\ntitle: Wrong queue\nowner: 'TODO: who owns it'\n"
        "description: A ticket is put in the wrong queue.\nsystems: [SYS-9]\n"
        "inherent: {likelihood: 5, severity: 5}\n"
        "acceptance: {by: 'TODO: who accepts', on: 2026-10-01, rationale: r, "
        "expires: 2027-01-01}\nstatus: open\n"
    )
    broken = GOOD_SYSTEM.replace("type: predictive", "type: x") + "tags: [a]\nthird_parties: no\n"
    root = make_repo(
        {
            "systems/sys-1.yaml": broken,
            "risks/r-1.yaml": risk,
            "roles/r.yaml": role("ROLE-1"),
            "controls/annex-a.yaml": EXCLUDED_SOA,
        }
    )
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    found = [
        (d["path"], d["line"], d["column"], d["code"])
        for d in json.loads(result.stdout)["diagnostics"]
        # the settings, and the SoA's reviews: with sys-1 failing validation its tier
        # cannot be judged, so every control owes one on the shortest period (AIMS501)
        if d["path"] not in ("aims.yaml", "controls/annex-a.yaml")
    ]
    assert found == [
        ("risks/r-1.yaml", 4, 8, "AIMS107"),
        ("risks/r-1.yaml", 6, 11, "AIMS201"),
        ("risks/r-1.yaml", 8, 18, "AIMS107"),
        ("risks/r-1.yaml", 8, 18, "AIMS303"),
        ("risks/r-1.yaml", 8, 18, "AIMS305"),
        ("roles/r.yaml", 1, 1, "AIMS605"),
        ("systems/sys-1.yaml", 6, 7, "AIMS102"),
        ("systems/sys-1.yaml", 10, 16, "AIMS102"),
    ]


def test_text_output_is_plain_when_piped(make_repo: Make, cli: Cli) -> None:
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM + "colour: blue\n"})
    result = cli("validate", root, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "\033[" not in result.stdout
    assert (
        "systems/sys-1.yaml:9:1: error AIMS104 unknown field 'colour'; allowed fields:"
        in result.stdout
    )


def test_finds_repository_from_a_subfolder(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM})
    monkeypatch.chdir(root / "systems")
    result = cli("validate", "--format", "json", "--as-of", AS_OF)
    assert json.loads(result.stdout)["repository"] == str(root.resolve())


def test_text_paths_open_from_the_current_folder(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Text output is for a terminal or an editor to open as printed. From a folder
    inside the repository that held; from a folder above it (the top of a monorepo,
    where the pre-commit hook runs `aimsctl validate --staged governance`) the paths
    lacked the folder: `systems/sys-1.yaml` where the file is `repo/systems/sys-1.yaml`,
    while `aimsctl fmt --check` in the same hook run names it in full. A repository
    elsewhere keeps paths from its root; the machine formats always do."""
    root = make_repo(
        {"systems/sys-1.yaml": GOOD_SYSTEM + "colour: red\n", "controls/annex-a.yaml": EXCLUDED_SOA}
    )
    wanted = "sys-1.yaml:9:1: error AIMS104 unknown field 'colour'"
    seen_from = {
        tmp_path: f"repo/systems/{wanted}",  # above: the folder in front
        root: f"systems/{wanted}",
        root / "systems": wanted,  # inside: from here
    }
    for here, line in seen_from.items():
        monkeypatch.chdir(here)
        result = cli("validate", root, "--as-of", AS_OF)
        assert result.exit_code == 1
        [colour] = [x for x in result.stdout.splitlines() if "colour" in x]
        assert colour.startswith(line), (here, colour)
        machine = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
        assert {d["path"] for d in machine["diagnostics"] if d["code"] == "AIMS104"} == {
            "systems/sys-1.yaml"
        }
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    shown = cli("validate", root, "--as-of", AS_OF).stdout.splitlines()
    assert next(x for x in shown if "colour" in x).startswith(f"systems/{wanted}")


def test_no_config_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    result = cli("validate", tmp_path)
    assert result.exit_code == 2
    assert "no aims.yaml found" in result.stderr


def test_no_config_names_the_governance_folders_below(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the top of a monorepo (where pre-commit runs its hooks) without the folder
    named, the error only said to pass a path or run `aimsctl init`, which would start
    a second governance repository there. It names the folders below that hold one
    (not hidden ones, nor through links), and `validate --staged` says it as well."""
    for folder in ("governance", "teams/ops/aims", ".cache/old", "teams/deep/a/b/c/d"):
        write_files(tmp_path / folder, {"aims.yaml": "version: 1\n"})
    (tmp_path / "linked").symlink_to(tmp_path / "governance")
    monkeypatch.chdir(tmp_path)
    for args in ([], ["--staged"]):
        result = cli("validate", *args)
        assert result.exit_code == 2
        top = tmp_path.resolve()
        assert result.stderr == (
            f"aimsctl: error: {top}: no aims.yaml found in {top} or any parent folder; "
            "below it, governance and teams/ops/aims hold one: pass the repository's "
            "folder (`--repo governance`)\n"
        )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "or run `aimsctl init`" in cli("validate", empty).stderr


def test_an_aims_yaml_named_in_another_letter_case_is_named_on_every_machine(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder holding `AIMS.yaml` alone was the repository on Windows and macOS
    (their file systems open it as aims.yaml), while Linux and CI said there is no
    aims.yaml, or went on to a parent's: the answer depended on the machine. Each says
    the name is wrong, also on a file system that ignores letter case (emulated)."""
    write_files(tmp_path, {"aims.yaml": "version: 1\n"})  # a parent that holds one
    write_files(tmp_path / "gov", {"AIMS.yaml": "version: 1\n"})
    (tmp_path / "gov" / "risks").mkdir()
    config = tmp_path.resolve() / "gov" / "AIMS.yaml"
    expected = (
        f"aimsctl: error: {config}: no aims.yaml in this folder, only 'AIMS.yaml', which "
        "differs in letter case: Windows and macOS read it as aims.yaml, git and a Linux "
        "CI do not; rename it to aims.yaml\n"
    )
    for start in (tmp_path / "gov", tmp_path / "gov" / "risks"):
        result = cli("validate", start)
        assert (result.exit_code, result.stderr) == (2, expected)
    write_files(tmp_path / "gov", {"risks/r.yaml": "id: R-1\nkind: Risk\n"})
    # fmt given a file, and init below, find the repository the same way too.
    on_linux = cli("fmt", "--check", tmp_path / "gov" / "risks" / "r.yaml")
    from aimsctl.scaffold import enclosing_repository

    enclosing = enclosing_repository(tmp_path / "gov" / "new")
    real_stat = os.stat

    def laptop_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        try:
            return real_stat(path, *args, **kwargs)
        except FileNotFoundError:
            folder, _, name = os.fsdecode(path).rpartition(os.sep)
            same = [n for n in os.listdir(folder) if n.casefold() == name.casefold()]
            if not same:
                raise
            return real_stat(os.path.join(folder, same[0]), *args, **kwargs)

    monkeypatch.setattr(os, "stat", laptop_stat)
    assert (tmp_path / "gov" / "aims.yaml").is_file()  # the emulation finds it
    result = cli("validate", tmp_path / "gov")
    assert (result.exit_code, result.stderr) == (2, expected)
    on_laptop = cli("fmt", "--check", tmp_path / "gov" / "risks" / "r.yaml")
    assert (on_laptop.exit_code, on_laptop.stdout) == (on_linux.exit_code, on_linux.stdout)
    assert enclosing_repository(tmp_path / "gov" / "new") == enclosing == tmp_path.resolve()
    # a folder below holding only `AIMS.yaml` is not named as holding aims.yaml
    (tmp_path / "aims.yaml").unlink()
    result = cli("validate", tmp_path)
    assert result.exit_code == 2
    assert "below it" not in result.stderr


def test_no_config_names_a_few_folders_below_quoted_for_a_shell(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of fixtures, each with an aims.yaml, made the error one line naming
    every one of them; a name with a space or a quote was given to `--repo` as it is,
    which a shell splits."""
    names = ["gov $(x) 'it'", *(f"fixtures/case-{n:03}" for n in range(40))]
    for folder in names:
        write_files(tmp_path / folder, {"aims.yaml": "version: 1\n"})
    monkeypatch.chdir(tmp_path)
    result = cli("validate")
    assert result.exit_code == 2
    top = tmp_path.resolve()
    assert result.stderr == (
        f"aimsctl: error: {top}: no aims.yaml found in {top} or any parent folder; "
        "below it, fixtures/case-000, fixtures/case-001, fixtures/case-002 and 38 more "
        "hold one: pass the repository's folder (`--repo fixtures/case-000`)\n"
    )
    (tmp_path / "fixtures").rename(tmp_path / "zz")
    shutil.rmtree(tmp_path / "zz")
    assert cli("validate").stderr.endswith(
        """below it, gov $(x) 'it' holds one: pass the repository's folder """
        """(`--repo 'gov $(x) '"'"'it'"'"''`)\n"""
    )


def test_the_repo_advice_is_a_path_from_the_current_folder(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From the folder above `mono`, `--repo teams/gov` (a path from `mono`) named no
    # folder at all.
    write_files(tmp_path / "mono/teams/gov", {"aims.yaml": "version: 1\n"})
    monkeypatch.chdir(tmp_path)
    result = cli("validate", "mono")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "below it, teams/gov holds one: pass the repository's folder (`--repo mono/teams/gov`)\n"
    )
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # not above it: the whole path
    elsewhere = cli("validate", tmp_path / "mono")
    assert elsewhere.stderr.endswith(f"(`--repo {(tmp_path / 'mono/teams/gov').resolve()}`)\n")


def test_the_look_below_for_aims_yaml_stops_after_2000_folders(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound counted only the folders listed, not their subfolders checked for an
    aims.yaml: 2,001 folders of 50 each had 102,000 looked into. Folders are looked
    into breadth first, in name order: the governance folder after the first 2,000 is
    not found."""
    for n in range(2000):
        (tmp_path / f"f{n:04}").mkdir()
    write_files(tmp_path / "governance", {"aims.yaml": "version: 1\n"})
    monkeypatch.chdir(tmp_path)
    looked: list[str] = []
    real_scandir = os.scandir

    def counted(path: Any) -> Any:
        looked.append(str(path))
        return real_scandir(path)

    checked: list[str] = []
    real_is_file = Path.is_file

    def counted_is_file(self: Path, *args: Any, **kwargs: Any) -> bool:
        if self.name == "aims.yaml":
            checked.append(str(self))
        return real_is_file(self, *args, **kwargs)

    monkeypatch.setattr(aimsctl.loader.root_folder.os, "scandir", counted)
    monkeypatch.setattr(Path, "is_file", counted_is_file)
    result = cli("validate")
    assert result.exit_code == 2
    assert "or run `aimsctl init`" in result.stderr
    assert len(checked) <= 2000 + 10  # the folder and its parents, then 2,000 below
    assert len(looked) <= 2000


def test_every_problem_of_aims_yaml_is_its_own_error_line(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "aims.yaml").write_text(
        'version: 1\norganisation: Acme\nrisk:\n  method: "sum\\e[31m"\n'
    )
    result = cli("validate", tmp_path, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "aimsctl: error: aims.yaml:1:1: missing required field 'organization'",
        "aimsctl: error: aims.yaml:2:1: unknown field 'organisation'; did you mean 'organization'?",
        "aimsctl: error: aims.yaml:4:11: risk.method is 'sum\\x1b[31m'; "
        "it must be one of: multiply or matrix",
    ]


def test_a_band_named_in_another_letter_case_names_the_band(tmp_path: Path, cli: Cli) -> None:
    # The bands are low, medium, high, critical: `appetite: Medium` said only
    # "risk.appetite 'Medium' is not a band; choose one of low, medium, high, critical".
    (tmp_path / "aims.yaml").write_text(
        "version: 1\norganization: Acme\nrisk:\n  appetite: Medium\n"
        "  severity_floor: [{severity: 5, min_band: Hihg}]\n"
        "governance:\n  Critical: {review_days: 90}\n  Big: {review_days: 90}\n"
    )
    result = cli("validate", tmp_path, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "aimsctl: error: aims.yaml:4:13: risk.appetite 'Medium' is not a band; choose one "
        "of low, medium, high, critical; did you mean 'medium'?",
        "aimsctl: error: aims.yaml:5:44: risk.severity_floor min_band 'Hihg' is not a band "
        "(low, medium, high, critical); did you mean 'high'?",
        "aimsctl: error: aims.yaml:7:13: governance names 'Critical', which is not a band "
        "(low, medium, high, critical); did you mean 'critical'?",
        "aimsctl: error: aims.yaml:8:8: governance names 'Big', which is not a band "
        "(low, medium, high, critical)",
    ]


def test_missing_path_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    result = cli("validate", tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


@pytest.mark.parametrize("name", [" ", "-", "--", " x"])
def test_a_blank_repository_or_one_read_as_an_option_is_quoted(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # `--repo ' '` said "aimsctl: error:  : no such file or folder".
    monkeypatch.chdir(tmp_path)
    result = cli("validate", "--repo", name)
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: the repository {name!r}: no such file or folder\n"


@pytest.mark.parametrize(
    "as_of", ["tomorrow", "20261126", "2026-W48-4", "\uff12\uff10\uff12\uff16-11-26"]
)
def test_bad_as_of_is_exit_2(make_repo: Make, cli: Cli, as_of: str) -> None:
    # Python reads the compact and week forms too; dates are written YYYY-MM-DD here,
    # in ASCII digits, as in the records.
    result = cli("validate", make_repo(), "--as-of", as_of)
    assert result.exit_code == 2
    assert f"--as-of {as_of!r} is not a date; write it YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize("as_of", ["2026-02-29", "2026-13-01", "2026-04-31"])
def test_an_as_of_written_right_that_is_no_day_says_so(
    make_repo: Make, cli: Cli, as_of: str
) -> None:
    # Written YYYY-MM-DD, yet no such day: 'write it YYYY-MM-DD' sent the user looking
    # for a typo in the format.
    result = cli("validate", make_repo(), "--as-of", as_of)
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: --as-of {as_of!r} is not a day of the calendar\n"


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["risk", "accept", "R-1", "--by", "a@b.c", "--rationale", "Low.", "--until"], "--until"),
        (
            [
                "risk",
                "accept",
                "R-1",
                "--by",
                "a@b.c",
                "--rationale",
                "Low.",
                "--until",
                "2027-06-30",
                "--on",
            ],
            "--on",
        ),
        (["eval", "import", "results.csv", "--system", "SYS-A", "--by", "a@b.c", "--on"], "--on"),
    ],
)
def test_a_compact_date_option_is_exit_2(
    make_repo: Make, cli: Cli, command: list[str], option: str
) -> None:
    root = make_repo()
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = cli(*command, "20270630", "--repo", root)
    assert result.exit_code == 2
    assert f"{option} '20270630' is not a date; write it YYYY-MM-DD" in result.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_unknown_format_is_exit_2(make_repo: Make, cli: Cli) -> None:
    result = cli("validate", make_repo(), "--format", "xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "aimsctl: error: --format 'xml' is not one of text, json, sarif, junit, github, auto\n"
    )


def test_as_of_from_environment(make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMSCTL_AS_OF", "not-a-date")
    result = cli("validate", make_repo())
    assert (result.exit_code, result.stdout) == (2, "")
    # The variable is named, not --as-of: the user never typed the option.
    assert result.stderr == (
        "aimsctl: error: AIMSCTL_AS_OF 'not-a-date' is not a date; write it YYYY-MM-DD\n"
    )


@pytest.mark.parametrize("given", (("--as-of", "not-a-date"), ("--as-of=not-a-date",)))
def test_a_bad_as_of_typed_and_in_the_environment_is_the_options(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch, given: tuple[str, ...]
) -> None:
    """The command line wins over AIMSCTL_AS_OF, so the same bad text in both is the
    option's: naming the variable sent the user to fix what was not read."""
    monkeypatch.setenv("AIMSCTL_AS_OF", "not-a-date")
    for command in (("validate", make_repo()), ("due", "--repo", make_repo())):
        result = cli(*command, *given)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "aimsctl: error: --as-of 'not-a-date' is not a date; write it YYYY-MM-DD\n"
        )
    # '--as-of' written as another argument's value is no option: the variable's
    # value is what was read (the words of the command line are not searched).
    for command in (("log", "--repo", make_repo(), "--", "--as-of"),):
        result = cli(*command)
        assert result.stderr == (
            "aimsctl: error: AIMSCTL_AS_OF 'not-a-date' is not a date; write it YYYY-MM-DD\n"
        )


def test_internal_error_is_one_line_exit_3(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aimsctl.engine

    def boom(*_: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(aimsctl.engine, "run", boom)
    result = cli("validate", make_repo())
    assert result.exit_code == 3
    assert result.stderr.strip().count("\n") == 0
    assert "kaboom" in result.stderr and "Traceback" not in result.stderr


def test_console_script_runs(make_repo: Make) -> None:
    """The installed entry point, in a real process: exit code and plain output."""
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM})
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "aimsctl", "validate", str(root), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "1 record in 1 file:" in done.stdout


def test_the_summary_counts_the_records_whose_kind_or_id_cannot_be_read(
    make_repo: Make, cli: Cli
) -> None:
    # Two records without a readable id (one with no `id:`, one with `kind: 7` and none)
    # were counted nowhere: "1 record in 3 files", as if the other files held nothing.
    # One with `kind: [Policy]` and an id was counted, and still is, once.
    root = make_repo(
        {
            "systems/sys-1.yaml": GOOD_SYSTEM,
            "risks/r.yaml": "kind: Risk\ntitle: No id\n---\nkind: 7\ntitle: Nothing\n",
            "policies/p.yaml": "kind: [Policy]\nid: POL-1\n---\n# a comment only\n",
        }
    )
    text = cli("validate", root, "--as-of", AS_OF)
    assert text.exit_code == 1
    summary = text.stdout.splitlines()[-1]
    assert summary.startswith(
        "2 records in 3 files, and 2 records whose kind or id cannot be read: "
    ), summary
    # Read again (from the validation cache, where it holds the result), the same.
    assert cli("validate", root, "--as-of", AS_OF).stdout == text.stdout
    # The JSON shape is binding (docs: cli.md): its count is the records with an id.
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "--format", "json").stdout)
    assert found["summary"]["records"] == 2
    assert set(found["summary"]) == {"records", "files", "errors", "warnings", "waived"}
    # With every record read, the summary is as it was.
    (root / "risks" / "r.yaml").write_text("# none yet\n", encoding="utf-8")
    summary = cli("validate", root, "--as-of", AS_OF).stdout.splitlines()[-1]
    assert summary.startswith("2 records in 3 files: "), summary


def test_validate_never_writes_into_the_repository(make_repo: Make, cli: Cli) -> None:
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM, "bad.yaml": "a: [\n"})
    before = sorted((p.relative_to(root), p.stat().st_mtime_ns) for p in root.rglob("*"))
    cli("validate", root, "--format", "json", "--as-of", AS_OF)
    after = sorted((p.relative_to(root), p.stat().st_mtime_ns) for p in root.rglob("*"))
    assert before == after


def test_a_whole_number_a_float_cannot_hold_exactly_is_refused(
    example_copy: Path, cli: Cli
) -> None:
    # 2**53 + 1 would be held, and judged against its threshold, as 2**53.
    path = example_copy / "evaluations" / "EVAL-ASSIST-2026-04.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 0.958\n", "value: 9007199254740993\n", 1), "utf-8")
    result = cli("validate", example_copy, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1
    # (and, the evaluation being invalid, its system has no recent pass: AIMS701)
    [found] = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "AIMS102"]
    assert (found["path"], found["line"], found["pointer"]) == (
        "evaluations/EVAL-ASSIST-2026-04.yaml",
        16,
        "/metrics/0/value",
    )
    assert "within ±2**53 (9007199254740992), not 9007199254740993" in found["message"]
    path.write_text(text.replace("value: 0.958\n", "value: 9007199254740992\n", 1), "utf-8")
    result = cli("validate", example_copy, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout


def _evaluation_edited(example_copy: Path, cli: Cli, old: str, new: str) -> str:
    """What validate prints (it exits 1) once ``old`` is ``new`` in an evaluation of the
    bundled example."""
    path = example_copy / "evaluations" / "EVAL-ASSIST-2026-04.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    result = cli("validate", example_copy, "--as-of", AS_OF)
    assert result.exit_code == 1
    return result.stdout


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("0,958", "not '0,958': write decimals with a point (0.958), not a comma"),
        ("95.8%", "not '95.8%': write it without '%', as a share (85% is 0.85) or in percent"),
        ("n/a", "not 'n/a': it marks no number; write the number ["),
        # Only the quotes are wrong: the advice once read the point as a digit separator
        # and said to write 0958, a number a thousand times the one written.
        ("'0.958'", "not the quoted text '0.958': write it without quotes, and it is read as "),
        ('"1.234"', "not the quoted text '1.234': write it without quotes, and it is read as "),
        (
            "' 0.958'",
            "not ' 0.958': write it without quotes and the spaces around it, "
            "and it is read as a number",
        ),
        # Unquoted, a record would refuse it too (AIMS006): no advice that leads there.
        ("'0.79999999999999999'", "not the quoted text '0.79999999999999999' ["),
        ("'1e-400'", "not '1e-400' ["),
    ],
)
def test_a_number_written_as_a_spreadsheet_shows_it_says_how_to_write_it(
    example_copy: Path, cli: Cli, written: str, said: str
) -> None:
    shown = _evaluation_edited(example_copy, cli, "value: 0.958\n", f"value: {written}\n")
    assert (
        "EVAL-ASSIST-2026-04.yaml:16:12: error AIMS102 value of entry 1 of metrics must be "
        f"a number, {said}" in shown
    )


def test_a_version_written_as_a_number_says_to_quote_it(example_copy: Path, cli: Cli) -> None:
    # YAML reads 2.10 as the number 2.1: the message cannot show what was written, so it
    # says how to keep it.
    shown = _evaluation_edited(example_copy, cli, 'model_version: "2.4"', "model_version: 2.10")
    assert (
        "AIMS102 model_version must be text, not 2.1; put quotes around it to keep it as "
        "written (unquoted, YAML reads a version 3.10 as the number 3.1) [EVAL-ASSIST-2026-04]"
    ) in shown


def test_a_decimal_comma_inside_braces_says_it_started_another_field(
    example_copy: Path, cli: Cli
) -> None:
    # `{min: 0,95}` is the mapping {min: 0, 95: null}: the message named an unknown
    # field '95' and left the writer to see why.
    shown = _evaluation_edited(example_copy, cli, "{min: 0.95}", "{min: 0,95}")
    assert (
        "AIMS104 unknown field '95'; allowed fields: max, min; if 95 is the decimals of the "
        "number before it, write them after a point (.95, not ,95): inside { } a comma "
        "starts another field [EVAL-ASSIST-2026-04]"
    ) in shown


def _messages(make_repo: Make, cli: Cli, system: str) -> dict[str, str]:
    """Each rule code's message when ``system`` is a repository's one record file."""
    root = make_repo({"systems/sys-1.yaml": system})
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    return {d["code"]: d["message"] for d in json.loads(result.stdout)["diagnostics"]}


@pytest.mark.parametrize(
    ("indented", "said"),
    [
        # a field indented under a folded value is more of its text
        ("owner: lead@acme.example\n", "('owner:' is inside the text of 'purpose'"),
        # a field a prose value merely mentions still gets the plain message
        ("owner: lead@acme.example\n", ""),
    ],
)
def test_a_field_indented_into_a_text_value_is_named_where_it_went(
    make_repo: Make, cli: Cli, indented: str, said: str
) -> None:
    text = GOOD_SYSTEM.replace(indented, "").replace(
        "purpose: Suggest a triage category for incoming tickets.\n",
        "purpose: >-\n  Suggest a triage category for incoming tickets.\n  "
        + ("owner: lead@acme.example\n" if said else "The owner is the lead.\n"),
    )
    found = _messages(make_repo, cli, text)["AIMS103"]
    assert found.startswith("missing required field 'owner'")
    assert said in found if said else "inside the text" not in found


def test_a_field_indented_into_a_mapping_without_it_is_named_where_it_went(
    make_repo: Make, cli: Cli
) -> None:
    text = GOOD_SYSTEM.replace("stage: development\n", "").replace(
        "human_oversight: {mode: human-in-the-loop}\n",
        "human_oversight:\n  mode: human-in-the-loop\n  stage: development\n",
    )
    found = _messages(make_repo, cli, text)
    assert found["AIMS103"] == (
        "missing required field 'stage' ('stage:' is indented under 'human_oversight', "
        "which has no such field; line it up with the other fields)"
    )
    assert found["AIMS104"].startswith("unknown field 'stage'")


def test_a_field_indented_with_a_no_break_space_says_so(make_repo: Make, cli: Cli) -> None:
    # YAML reads the pasted U+00A0 as part of the name: the field is unknown.
    text = GOOD_SYSTEM.replace("\ntype: predictive", "\n\u00a0type: predictive")
    found = _messages(make_repo, cli, text)
    assert found["AIMS104"].startswith(
        "unknown field '\\xa0type': it is indented with U+00A0 (no-break space), which "
        "looks like a space but is read as part of the name"
    )


@pytest.mark.parametrize(
    ("where", "shown"),
    [
        ("systems/sys-1.yaml", "systems/sys-1.yaml:2:1: error AIMS001 "),
        ("aims.yaml", "aimsctl: error: aims.yaml:2:1: "),
        # below a comment, libyaml stumbles a line later: it is still named where it is
        ("aims.yaml#", "aimsctl: error: aims.yaml:2:1: "),
    ],
)
def test_a_line_starting_with_an_invisible_character_says_so(
    make_repo: Make, cli: Cli, where: str, shown: str
) -> None:
    # A byte-order mark left where two files were joined (or pasted with text) starts
    # a line: the message was "this line does not line up with the fields of the
    # mapping" at column 2, or, in aims.yaml, "there is content after a '...' end
    # marker", neither of which the reader can see in the line.
    config = "# Acme\nversion: 1\norganization: Acme\n" if where.endswith("#") else None
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM}, *([config] if config else []))
    path = root / where.rstrip("#")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[1] = "\ufeff" + lines[1]
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("validate", root, "--as-of", AS_OF)
    said = (
        "YAML syntax error: this line starts with U+FEFF (zero width no-break space), an "
        "invisible character (a byte-order mark left where two files were joined, or "
        "pasted with text); delete it\n"
    )
    assert shown + said in result.stdout + result.stderr


@pytest.mark.parametrize("key", ["a[31m", "list[x]"])
def test_an_unknown_field_with_a_bracket_in_its_name_is_named_where_it_is(
    make_repo: Make, cli: Cli, key: str
) -> None:
    """Pydantic's own labels in an error's location hold brackets (`function-after[...]`)
    and were dropped as such, and so was a field of the record's whose name held one:
    `"a[31m": 1` was reported as "unknown field 'value'" at 1:1."""
    root = make_repo({"systems/sys-1.yaml": GOOD_SYSTEM + f'"{key}": 1\n'})
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    [found] = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "AIMS104"]
    assert found["message"].startswith(f"unknown field {key!r}; allowed fields:")
    assert found["line"] == GOOD_SYSTEM.count("\n") + 1


def test_a_list_written_as_one_text_says_how_to_write_a_list(make_repo: Make, cli: Cli) -> None:
    text = GOOD_SYSTEM.replace("type: predictive\n", "type: predictive\ntags: bias, fairness\n")
    found = _messages(make_repo, cli, text)
    assert found["AIMS102"] == (
        "tags must be a list, not 'bias, fairness'; write a list as [a, b], or one '- ' "
        "item per line"
    )


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("20/11/2026", "; did you mean 2026-11-20?"),  # day first: 20 is no month
        ("11/20/2026", "; did you mean 2026-11-20?"),  # month first: 20 is no month
        ("20.11.2026", "; did you mean 2026-11-20?"),
        ("2026/11/20", "; did you mean 2026-11-20?"),
        ("2026-11-20T10:00", "; did you mean 2026-11-20?"),  # a time after the day
        ("2026-11-20 10:00", "; did you mean 2026-11-20?"),
        ("05/11/2026", ""),  # 5 November or May 11: no guess
        ("31/11/2026", ""),  # no such day either way
        ("20th November", ""),
    ],
)
def test_a_date_written_another_way_names_the_day_it_surely_means(
    make_repo: Make, cli: Cli, written: str, said: str
) -> None:
    # `on: 20/11/2026` said "must be a date written YYYY-MM-DD, not '20/11/2026'",
    # leaving the reader to rewrite it; where only one day can be meant, it is named.
    text = GOOD_SYSTEM + f"reviewed: {{on: '{written}', by: lead@acme.example}}\n"
    assert _messages(make_repo, cli, text)["AIMS102"] == (
        f"reviewed.on must be a date written YYYY-MM-DD, not {written!r}{said}"
    )


@pytest.mark.parametrize(("as_of", "said"), [("26/11/2026", "; did you mean 2026-11-26?")])
def test_an_as_of_written_another_way_names_the_day_it_surely_means(
    make_repo: Make, cli: Cli, as_of: str, said: str
) -> None:
    result = cli("validate", make_repo(), "--as-of", as_of)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: --as-of {as_of!r} is not a date; write it YYYY-MM-DD{said}\n"
    )


def test_a_duplicate_id_names_the_line_and_column_of_the_other_id(
    make_repo: Make, cli: Cli
) -> None:
    # A record copied to start another, its id left as it was: each finding pointed at
    # its own `id` (3:5) but named the other's place by the line the record starts on
    # (2, its `kind`), so the two findings named one id at two places.
    text = "# Copied from the first system.\n" + GOOD_SYSTEM
    root = make_repo({"systems/sys-1.yaml": text, "systems/sys-2.yaml": text})
    result = cli("validate", root, "--as-of", AS_OF)
    assert (
        "systems/sys-1.yaml:3:5: error AIMS105 duplicate id 'SYS-1': also used at "
        "systems/sys-2.yaml:3:5 [SYS-1]"
    ) in result.stdout
    assert (
        "systems/sys-2.yaml:3:5: error AIMS105 duplicate id 'SYS-1': also used at "
        "systems/sys-1.yaml:3:5 [SYS-1]"
    ) in result.stdout


@pytest.mark.parametrize(
    ("written", "said"),
    [
        # the allowed values are lower case: a capital is the commonest slip
        ("Development", "; did you mean 'development'?"),
        ("prodution", "; did you mean 'production'?"),
        ("live", ""),  # nothing close: the list alone
    ],
)
def test_a_value_off_the_list_names_the_allowed_value_it_is_closest_to(
    make_repo: Make, cli: Cli, written: str, said: str
) -> None:
    # `stage: Development` said only "it must be one of: proposed, development, ...",
    # leaving the reader to spot that the one difference was a capital letter.
    text = GOOD_SYSTEM.replace("stage: development", f"stage: {written}")
    assert _messages(make_repo, cli, text)["AIMS102"] == (
        f"stage is {written!r}; it must be one of: proposed, development, validation, "
        f"production or retired{said}"
    )


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("SYS-1, SYS-2", "; to name several, give each its own entry: [SYS-1, SYS-2]"),
        ("SYS-1;SYS-2", "; to name several, give each its own entry: [SYS-1, SYS-2]"),
        ("SYS 1", ""),  # one id with a space: nothing to split
    ],
)
def test_ids_written_as_one_entry_say_how_to_list_them(
    make_repo: Make, cli: Cli, entry: str, said: str
) -> None:
    # `- SYS-1, SYS-2` is one entry: the message named the comma as a bad character
    # of an id and left the reader to see that two ids were meant.
    text = (
        "kind: Risk\nid: R-1\ntitle: t\nowner: o\ndescription: d\n"
        f"systems:\n  - {entry}\ninherent: {{likelihood: 2, severity: 2}}\nstatus: open\n"
    )
    found = _messages(make_repo, cli, text)["AIMS102"]
    assert found.startswith(f"entry 1 of systems {entry!r} is not a record id")
    assert found.endswith(f"starting with a letter or digit{said}")


@pytest.mark.parametrize("output", (["--output", "-"], ["--output=-"], ["-o", "-"]))
def test_output_dash_is_standard_output(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch, output: list[str]
) -> None:
    # As report's `--out -`: it wrote a file named '-' in the current folder (here the
    # repository, which a read-only command must leave as it was).
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA})
    monkeypatch.chdir(root)
    before = sorted(p.name for p in root.iterdir())
    result = cli("validate", "--as-of", AS_OF, "--format", "json", *output)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["errors"] == 0
    assert sorted(p.name for p in root.iterdir()) == before


@pytest.mark.parametrize("output", ("--output=", "--output=."))
def test_output_to_a_folder_says_so(cli: Cli, output: str) -> None:
    # `--output=` names no file: Python reads it as the current folder.
    result = cli("validate", EXAMPLE, "--as-of", AS_OF, output)
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: cannot write .: it is a folder; give --output a file name\n"
    )


@pytest.mark.parametrize("command", (["validate"], ["diff", "HEAD"]))
def test_output_never_replaces_a_yaml_file_of_the_repository(
    cli: Cli, example_copy: Path, command: list[str]
) -> None:
    # `--output risks/R-001.yaml` replaced the record with the report and exited 0: a
    # command that reads the records lost one. A new YAML file, such as
    # risks/report.yml, was written and then read as a record file by the next run.
    from gitrepo import GitRepo

    GitRepo(example_copy).commit("the example")
    for target in ("risks/R-001.yaml", "aims.yaml", "drafts/R-026.yaml"):
        path = example_copy / target
        before = path.read_bytes()
        result = cli(*command, example_copy, "--as-of", AS_OF, "--output", path)
        assert result.exit_code == 2, result.stderr
        assert "it is a YAML file of the repository" in result.stderr
        assert path.read_bytes() == before
    # In capitals too: the next validate refuses the suffix (AIMS008), exit 1.
    for name in ("report.yml", "report.YAML", "changes.Yml"):
        new = example_copy / "risks" / name
        result = cli(*command, example_copy, "--as-of", AS_OF, "--output", new)
        assert result.exit_code == 2, result.stderr
        assert "a new one would be read as records" in result.stderr
        assert not new.exists()
    # Any other file, inside the repository too, is written as asked.
    written = example_copy / "report.txt"
    assert cli(*command, example_copy, "--as-of", AS_OF, "--output", written).exit_code == 0
    assert written.read_text(encoding="utf-8")


def test_rules_set_aside_in_aims_yaml_are_said_under_the_counts(
    example_copy: Path, cli: Cli
) -> None:
    """Turning rules off in aims.yaml left `validate` and `status` reading clean, with
    nothing to say the checks were fewer (gaming audit, second pass). An error lowered
    to a warning is said too; a warning raised to an error, or a rule left as it is,
    relaxes nothing."""
    config = example_copy / "aims.yaml"
    text = config.read_text(encoding="utf-8")
    assert "rules: {}\n" in text
    settings = '{AIMS401: "off", AIMS303: warning, AIMS208: error, AIMS501: "off"}'
    config.write_text(text.replace("rules: {}\n", f"rules: {settings}\n"), encoding="utf-8")
    said = (
        "aims.yaml sets rules aside (`rules:`): AIMS303 lowered to a warning, AIMS401 "
        "turned off and AIMS501 turned off; their findings are not reported as the "
        "rules define them"
    )
    for extra in ((), ("--no-cache",), ()):  # the second run of the two is cached
        result = cli("validate", example_copy, "--as-of", AS_OF, *extra)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[-2] == said
    status = cli("status", example_copy, "--as-of", AS_OF)
    assert f"Validation: 0 errors, 0 warnings, 3 waived; {said}" in status.stdout
    config.write_text(text, encoding="utf-8")
    plain = cli("validate", example_copy, "--as-of", AS_OF)
    assert "sets rules aside" not in plain.stdout


def test_files_left_out_by_exclude_are_counted_under_the_counts(
    example_copy: Path, cli: Cli
) -> None:
    """`exclude: [risks/**]` left validate reading clean over fewer records with
    nothing to say a whole register was not read: how many YAML files the patterns
    leave out is said, in a fresh run and a cached one alike, and follows the files."""
    config = example_copy / "aims.yaml"
    text = config.read_text(encoding="utf-8")
    assert "exclude: [drafts/**]\n" in text
    one = "aims.yaml leaves 1 YAML file out (`exclude:`): its records, if any, are not validated"
    for extra in ((), ("--no-cache",), ()):
        result = cli("validate", example_copy, "--as-of", AS_OF, *extra)
        assert result.stdout.splitlines()[-1] == one, result.stdout
    (example_copy / "drafts" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    (example_copy / "drafts" / "README.md").write_text("not YAML\n", encoding="utf-8")
    result = cli("validate", example_copy, "--as-of", AS_OF)
    assert result.stdout.splitlines()[-1] == (
        "aims.yaml leaves 2 YAML files out (`exclude:`): their records, if any, are not validated"
    )
    risks = len(list((example_copy / "risks").glob("*.yaml")))
    config.write_text(text.replace("[drafts/**]", "[drafts/**, risks/**]"), encoding="utf-8")
    result = cli("validate", example_copy, "--as-of", AS_OF)
    assert f"leaves {risks + 2} YAML files out" in result.stdout.splitlines()[-1]
    config.write_text(text.replace("exclude: [drafts/**]\n", ""), encoding="utf-8")
    result = cli("validate", example_copy, "--as-of", AS_OF)
    assert "exclude" not in result.stdout
