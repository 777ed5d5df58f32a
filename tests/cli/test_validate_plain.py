"""`validate` without Typer (aimsctl.cli.validate_plain): the same options as the Typer
command, the same output and exit code for every form it takes, and Typer for the rest."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import aimsctl
from aimsctl.cli import main, validate_plain
from conftest import AS_OF, EXAMPLE, CliResult

Cli = Callable[..., CliResult]


def _typer_validate() -> object:
    from aimsctl.cli.app import command

    return command().commands["validate"]


def test_the_options_are_the_typer_commands() -> None:
    declared = {param.name: param for param in _typer_validate().params}  # type: ignore[attr-defined]
    fields = {field.name: field for field in dataclasses.fields(validate_plain.ValidateArgs)}
    assert set(fields) == set(declared)
    for name, field in fields.items():
        param = declared[name]
        names = tuple(field.metadata["names"])
        assert sorted(names) == sorted([*param.opts, *param.secondary_opts] if names else []), name
        assert (field.type == "bool") == bool(getattr(param, "is_flag", False)), name
        assert field.default == param.default, name


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
        ["risk", "score"],
        ["--version"],
        [],
    ],
)
def test_other_forms_are_left_to_typer(args: list[str]) -> None:
    assert validate_plain.read(args) is None


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
    monkeypatch.setenv("AIMSCTL_AS_OF", "2026-03-04")
    assert read(["validate"]) == validate_plain.ValidateArgs(as_of="2026-03-04")
    assert read(["validate", "--as-of", "2026-05-06"]) == (
        validate_plain.ValidateArgs(as_of="2026-05-06")
    )
    monkeypatch.setenv("AIMSCTL_AS_OF", "")  # empty: as if not set, as Typer reads it
    assert read(["validate"]) == validate_plain.ValidateArgs()


def _both_ways(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """The run without Typer (checked to be taken), then the same through Typer."""
    assert validate_plain.read(args) is not None, args
    capsys.readouterr()
    plain = main(args)
    plain_out = capsys.readouterr()
    with monkeypatch.context() as patch:
        patch.setattr(validate_plain, "read", lambda args: None)
        typer_code = main(args)
    typer_out = capsys.readouterr()
    return (plain, plain_out.out, plain_out.err), (typer_code, typer_out.out, typer_out.err)


def test_same_output_and_exit_code_as_through_typer(
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
        ["validate", example, "--as-of", "2031-01-01", "--strict"],  # much is overdue
        ["validate", example, "--as-of", "2026-13-01"],
        ["validate", example, "--as-of", AS_OF, "--format", "jsn"],
        ["validate", example, "--repo", str(tmp_path), "--as-of", AS_OF],
        ["validate", str(tmp_path / "missing"), "--as-of", AS_OF],
        ["validate", str(broken), "--as-of", AS_OF],
        ["validate", example, "--as-of", AS_OF, "--staged", "--changed-since", "HEAD"],
        ["validate", example, "--as-of", AS_OF, "--staged"],  # not a git work tree
    ]
    for args in forms:
        plain, through_typer = _both_ways(args, monkeypatch, capsys)
        assert plain == through_typer, args
    codes = {_both_ways(args, monkeypatch, capsys)[0][0] for args in forms}
    assert codes == {0, 1, 2}  # the forms cover every outcome


def test_output_file_the_same_both_ways(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, through_typer = tmp_path / "plain.json", tmp_path / "typer.json"
    args = ["validate", str(example_copy), "--as-of", AS_OF, "-f", "json", "-o"]
    assert main([*args, str(plain)]) == 0
    monkeypatch.setattr(validate_plain, "read", lambda args: None)
    assert main([*args, str(through_typer)]) == 0
    assert plain.read_bytes() == through_typer.read_bytes()


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
    unused = ("difflib",)
    code = (
        "import sys\n"
        "from aimsctl.cli import main\n"
        f"code = main(['validate', {str(example_copy)!r}, '--as-of', {AS_OF!r}, '--no-cache'])\n"
        f"print(code, [name for name in {unused!r} if name in sys.modules])\n"
    )
    # The aimsctl under test, wherever it is imported from (an installed wheel, src/).
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(aimsctl.__file__).parents[1])}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert ran.stdout.splitlines()[-1] == "0 []", ran.stderr
