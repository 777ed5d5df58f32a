"""`validate`, `report` and `diff` without Typer (aimsctl.cli.plain): the same options as
the Typer commands, the same output and exit code for every form the plain reader
takes, and Typer for the rest."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import pytest

import aimsctl
from aimsctl.cli import diff_plain, main, plain, report_plain, validate_plain
from conftest import AS_OF, EXAMPLE, CliResult, modules_after_validate
from gitrepo import two_commits

Cli = Callable[..., CliResult]

MODULES = {"validate": validate_plain, "report": report_plain, "diff": diff_plain}
ARGS = {
    "validate": validate_plain.ValidateArgs,
    "report": report_plain.ReportArgs,
    "diff": diff_plain.DiffArgs,
}


def _typer_command(name: str) -> object:
    from aimsctl.cli.app import command

    return command().commands[name]


def test_every_plain_command_is_tested() -> None:
    assert set(plain.COMMANDS) == set(MODULES) == set(ARGS)
    for name, module in MODULES.items():
        assert plain.COMMANDS[name] == module.__name__
        assert name == module.COMMAND


@pytest.mark.parametrize("name", list(MODULES))
def test_the_options_are_the_typer_commands(name: str) -> None:
    params = _typer_command(name).params  # type: ignore[attr-defined]
    declared = {param.name: param for param in params}
    fields = {field.name: field for field in dataclasses.fields(ARGS[name])}
    assert set(fields) == set(declared)
    # Positional arguments in the order Typer fills them.
    assert [f for f, field in fields.items() if not field.metadata["names"]] == [
        param.name for param in params if param.param_type_name == "argument"
    ]
    for field_name, field in fields.items():
        param = declared[field_name]
        names = tuple(field.metadata["names"])
        assert sorted(names) == sorted([*param.opts, *param.secondary_opts] if names else []), (
            field_name
        )
        assert (field.type == "bool") == bool(getattr(param, "is_flag", False)), field_name
        assert str(field.type).startswith("list[") == bool(param.multiple), field_name
        assert field.metadata.get("envvar") == param.envvar, field_name
        assert (field.default is dataclasses.MISSING) == param.required, field_name
        if not param.required:
            assert field.default == param.default, field_name
    # The same types as the Typer function's parameters (a path stays a path).
    function = getattr(import_module(f"aimsctl.cli.{name}"), name)
    assert typing.get_type_hints(ARGS[name]) == {
        key: hint for key, hint in typing.get_type_hints(function).items() if key != "return"
    }


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--help"],
        ["validate", "-h"],
        ["validate", "--", "repo"],
        ["validate", "--unknown"],
        ["validate", "-fjson"],
        ["validate", "-f=json"],
        ["validate", "--as-of="],
        ["validate", "--as-of"],
        ["validate", "--as-of", "--strict"],
        ["validate", "--format", "json", "--format", "text"],
        ["validate", "one", "two"],
        ["validate", "--strict=yes"],
        ["validate", "-"],
        ["validate", ""],
        ["report", "--help"],
        ["report", "soa", "--help"],
        ["report", "soa", "repo", "three"],
        ["report", "soa", "-"],
        ["report", "soa", "--out"],
        ["report", "soa", "--out="],
        ["report", "soa", "--force=yes"],
        ["report", "soa", "-o", "a", "--out", "b"],
        ["report", "soa", "--check-it"],
        ["diff"],  # BASE is required: Typer says so
        ["diff", "--format", "json"],
        ["diff", "--help"],
        ["diff", "a", "b", "c", "d"],
        ["diff", "a", "--fail-on", "tier-raised", "--fail-on", "appetite-crossed"],
        ["diff", "a", "--fail-on", "--format"],
        ["diff", "--", "-a"],
        ["diff", "-a"],
        ["risk", "score"],
        ["--version"],
        [],
    ],
)
def test_other_forms_are_left_to_typer(args: list[str]) -> None:
    assert plain.read(args) is None
    if args and args[0] in MODULES:
        assert MODULES[args[0]].read(args) is None


def test_reads_the_everyday_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    read = validate_plain.read
    assert read(["validate"]) == validate_plain.ValidateArgs()
    assert read(["validate", "r", "--as-of=2026-01-02", "-f", "json", "--strict", "--strict"]) == (
        validate_plain.ValidateArgs(repo=Path("r"), as_of="2026-01-02", format="json", strict=True)
    )
    assert read(["validate", "--repo", "x=y", "-o", "out.sarif", "--staged", "--no-cache"]) == (
        validate_plain.ValidateArgs(
            repo_option=Path("x=y"), output=Path("out.sarif"), staged=True, no_cache=True
        )
    )
    assert read(["validate", "-o", "-"]) == validate_plain.ValidateArgs(output=Path("-"))
    assert report_plain.read(["report"]) == report_plain.ReportArgs()
    assert report_plain.read(["report", "all", "r", "-f", "html", "--out=o", "--force"]) == (
        report_plain.ReportArgs(name="all", repo=Path("r"), format="html", out="o", force=True)
    )
    assert report_plain.read(["report", "--at", "HEAD~1", "soa", "-o", "-", "--check"]) == (
        report_plain.ReportArgs(name="soa", at="HEAD~1", out="-", check=True)
    )
    assert diff_plain.read(["diff", "main"]) == diff_plain.DiffArgs(base="main")
    assert diff_plain.read(["diff", "-f", "md", "main", "HEAD", "r", "--fail-on=a,b"]) == (
        diff_plain.DiffArgs(base="main", head="HEAD", repo=Path("r"), format="md", fail_on=["a,b"])
    )
    monkeypatch.setenv("AIMSCTL_AS_OF", "2026-03-04")
    assert read(["validate"]) == validate_plain.ValidateArgs(as_of="2026-03-04")
    assert read(["validate", "--as-of", "2026-05-06"]) == (
        validate_plain.ValidateArgs(as_of="2026-05-06")
    )
    assert diff_plain.read(["diff", "x"]) == diff_plain.DiffArgs(base="x", as_of="2026-03-04")
    monkeypatch.setenv("AIMSCTL_AS_OF", "")  # empty: as if not set, as Typer reads it
    assert read(["validate"]) == validate_plain.ValidateArgs()
    assert report_plain.read(["report"]) == report_plain.ReportArgs()


Outcome = tuple[int, str, str]


def _both_ways(
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh: Callable[[], None] = lambda: None,
) -> tuple[Outcome, Outcome]:
    """The run without Typer (checked to be taken), then the same through Typer;
    ``fresh`` puts back what a run changes (a folder of reports) before each."""
    assert plain.read(args) is not None, args
    fresh()
    capsys.readouterr()
    plain_code = main(args)
    plain_out = capsys.readouterr()
    fresh()
    with monkeypatch.context() as patch:
        patch.setattr(plain, "read", lambda args: None)
        typer_code = main(args)
    typer_out = capsys.readouterr()
    return (
        (plain_code, plain_out.out, plain_out.err),
        (typer_code, typer_out.out, typer_out.err),
    )


def _all_the_same(
    forms: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh: Callable[[], None] = lambda: None,
) -> set[int]:
    """Asserts each form gives the same both ways; the exit codes they gave."""
    codes = set()
    for args in forms:
        plain_run, through_typer = _both_ways(args, monkeypatch, capsys, fresh)
        assert plain_run == through_typer, args
        codes.add(plain_run[0])
    return codes


def test_validate_the_same_both_ways(
    example_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "aims.yaml").write_text("organization: [unclosed\n", encoding="utf-8")
    example = str(example_copy)
    forms = [
        ["validate", example, "--as-of", AS_OF],
        ["validate", example, "--as-of", AS_OF, "--no-cache"],
        ["validate", "--repo", example, f"--as-of={AS_OF}", "-f", "json"],
        ["validate", example, "--as-of", AS_OF, "--format", "sarif"],
        ["validate", example, "--as-of", AS_OF, "--format", "junit", "--strict"],
        ["validate", example, "--as-of", AS_OF, "--format", "github"],
        ["validate", example, "--as-of", AS_OF, "--format", "auto"],
        ["validate", example, "--as-of", AS_OF, "-f", "json", "-o", "-"],
        ["validate", example, "--as-of", "2031-01-01", "--strict"],  # much is overdue
        ["validate", example, "--as-of", "2026-13-01"],
        ["validate", example, "--as-of", AS_OF, "--format", "jsn"],
        ["validate", example, "--repo", str(tmp_path), "--as-of", AS_OF],
        ["validate", str(tmp_path / "missing"), "--as-of", AS_OF],
        ["validate", str(broken), "--as-of", AS_OF],
        ["validate", example, "--as-of", AS_OF, "--staged", "--changed-since", "HEAD"],
        ["validate", example, "--as-of", AS_OF, "--staged"],  # not a git work tree
    ]
    assert _all_the_same(forms, monkeypatch, capsys) == {0, 1, 2}  # every outcome


def test_report_the_same_both_ways(
    example_in_git: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    example, out = str(example_in_git), tmp_path / "reports"
    invalid = tmp_path / "invalid"
    shutil.copytree(example_in_git, invalid, ignore=shutil.ignore_patterns(".git"))
    [system] = sorted((invalid / "systems").glob("*.yaml"))[:1]
    system.write_text(system.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)

    day = ["--as-of", AS_OF]
    forms = [
        ["report", "soa", example, *day, "--out", "-"],
        ["report", "all", example, *day, "--format", "html", "--out", str(out), "--no-cache"],
        ["report", "all", "--repo", example, f"--as-of={AS_OF}", "-f", "md", f"--out={out}"],
        ["report", "all", example, *day, "-o", str(out), "--crosswalk"],
        ["report", "all", example, *day, "-o", str(out), "--check"],  # all missing
        ["report", "inventory", example, *day, "--out", "-", "--at", "HEAD"],
        ["report", "soa", example, *day, "--out", "-", "--at", "no-such-revision"],
        ["report", "sao", example, *day, "--out", "-"],  # unknown report
        ["report", "soa", example, *day, "--format", "pdf", "--out", "-"],
        ["report", example, *day, "--out", "-"],  # the folder read as REPORT
        ["report", *day],  # no REPORT
        ["report", "all", example, *day, "--out", "-"],
        ["report", "soa", example, *day],  # no --out
        ["report", "soa", str(invalid), *day, "--out", "-"],
        ["report", "soa", str(invalid), *day, "--out", "-", "--force"],
        ["report", "soa", str(tmp_path / "missing"), *day, "--out", "-"],
        ["report", "soa", example, "--as-of", "2026-02-30", "--out", "-"],
    ]
    assert _all_the_same(forms, monkeypatch, capsys, fresh) == {0, 1, 2}
    monkeypatch.setenv("AIMSCTL_AS_OF", AS_OF)
    assert _all_the_same([["report", "soa", example, "-o", "-"]], monkeypatch, capsys) == {0}


def test_diff_the_same_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, base, head = two_commits(tmp_path / "work")
    root = str(repo.root)
    gates = "appetite-crossed,tier-raised"
    forms = [
        ["diff", base, head, root],
        ["diff", base, head, "--repo", root, "-f", "json"],
        ["diff", base, head, root, "--format", "md", f"--fail-on={gates}"],
        ["diff", base, root, "--fail-on", "tier-raised"],  # a folder as HEAD is REPO
        ["diff", base, head, root, "--full-report", "https://example.org/run/1", "-f", "md"],
        ["diff", base, head, root, "-o", "-", "--as-of", AS_OF],
        ["diff", base, head, root, "--fail-on", "tier-rised"],
        ["diff", base, head, root, "--fail-on", ","],
        ["diff", base, head, root, "--format", "xml"],
        ["diff", "no-such-revision", head, root],
        ["diff", base, "no-such-revision", root],
        ["diff", base, head, str(tmp_path / "missing")],
        ["diff", base, head, root, "--as-of", "soon"],
    ]
    assert _all_the_same(forms, monkeypatch, capsys) == {0, 1, 2}
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("AIMSCTL_AS_OF", AS_OF)
    assert _all_the_same([["diff", "HEAD~1", "HEAD"], ["diff", "HEAD~1"]], monkeypatch, capsys)


def test_output_file_the_same_both_ways(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, base, head = two_commits(tmp_path / "work")
    for args in (
        ["validate", str(example_copy), "--as-of", AS_OF, "-f", "json", "-o"],
        ["diff", base, head, str(repo.root), "-f", "json", "--output"],
    ):
        without, through_typer = tmp_path / "plain.json", tmp_path / "typer.json"
        assert main([*args, str(without)]) == 0
        with monkeypatch.context() as patch:
            patch.setattr(plain, "read", lambda args: None)
            assert main([*args, str(through_typer)]) == 0
        assert without.read_bytes() == through_typer.read_bytes()


def test_a_cached_run_imports_neither_typer_nor_pydantic(tmp_path: Path) -> None:
    """What makes the hook cheap on a small repository (timed in benchmarks/run.py)."""
    code = (
        "import sys\n"
        "from aimsctl.cli import main\n"
        f"code = main(['validate', {str(EXAMPLE)!r}, '--as-of', {AS_OF!r}])\n"
        "loaded = [name for name in ('typer', 'pydantic') if name in sys.modules]\n"
        "print(code, loaded)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "AIMSCTL_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert first.stdout.splitlines()[-1] == "0 ['pydantic']", first.stderr  # checked afresh
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert again.stdout.splitlines()[-1] == "0 []", again.stderr


def test_a_folder_outside_git_does_not_import_gitpython(example_copy: Path) -> None:
    """GitPython takes 0.03-0.05 s to import: not worth it to learn there is no
    repository (no .git above the folder, no GIT_DIR); the dates are then unknown."""
    code = (
        "import sys\n"
        "from aimsctl.cli import main\n"
        f"code = main(['validate', {str(example_copy)!r}, '--as-of', {AS_OF!r}, '--no-cache'])\n"
        "print(code, 'git' in sys.modules)\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert ran.stdout.splitlines()[-1] == "0 False", ran.stderr
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env | {"GIT_DIR": "/"}
    )
    assert ran.stdout.splitlines()[-1].endswith(" True"), ran.stderr  # git is asked


def test_a_small_cold_run_imports_only_what_it_uses(example_copy: Path) -> None:
    """The hook's run on a small repository: no misspelling to suggest a name for, so
    difflib is not imported. (multiprocessing is: imported only where the workers
    fork, after a large repository's records were loaded, it raised the peak memory
    of validation at 50,000 records by 5.5 MB, past the 300 MB target.)"""
    assert modules_after_validate(example_copy, ("difflib",)) == ("0", [])


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["report", "soa", str(EXAMPLE), "--as-of", AS_OF, "--out", "-"], 0),
        (["diff", "HEAD", str(EXAMPLE), "--as-of", AS_OF], 2),  # not in git
    ],
)
def test_report_and_diff_do_not_import_typer(args: list[str], exit_code: int) -> None:
    """What the plain path saves CI on every pull request (timed in benchmarks/run.py)."""
    code = (
        "import sys\n"
        "from aimsctl.cli import main\n"
        f"code = main({args!r})\n"
        "print(code, 'typer' in sys.modules)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(aimsctl.__file__).parents[1])}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert ran.stdout.splitlines()[-1] == f"{exit_code} False", ran.stderr
