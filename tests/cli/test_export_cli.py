"""`aimsctl export` and `aimsctl crosswalk` as a newcomer meets them: the example each
--help ends with runs as written."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl.oscal import CATALOG_FILE, COMPONENT_FILE
from conftest import EXAMPLE, CliResult

Cli = Callable[..., CliResult]


def _example(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Example:")
    command = lines[start + 1].strip()
    assert command.startswith("aimsctl ")
    return shlex.split(command)[1:]


@pytest.mark.parametrize(
    "command", [["export", "oscal"], ["crosswalk"], ["controls"]], ids=" ".join
)
def test_the_help_example_runs(
    cli: Cli, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = cli(*command, "--help")
    assert shown.exit_code == 0
    args = _example(shown.stdout)
    assert args[: len(command)] == command
    monkeypatch.chdir(tmp_path)  # the example's relative paths, as in the project root
    (tmp_path / "examples").symlink_to(EXAMPLE.parent, target_is_directory=True)
    monkeypatch.setenv("AIMSCTL_AS_OF", "2026-11-26")  # for an example that gives none
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    if command == ["export", "oscal"]:
        written = sorted(path.name for path in (tmp_path / "oscal").iterdir())
        assert written == sorted([CATALOG_FILE, COMPONENT_FILE])


def test_export_lists_its_formats(cli: Cli) -> None:
    result = cli("export", "--help")
    assert result.exit_code == 0
    assert "oscal" in result.stdout


def test_export_writes_both_documents_when_nobody_reads_what_it_prints(tmp_path: Path) -> None:
    """`aimsctl export oscal --out DIR | head -1` ended (141) after naming the catalog,
    leaving it without its component definition; both are written before either is
    named."""
    from aimsctl.oscal import CATALOG_FILE, COMPONENT_FILE
    from conftest import AS_OF, EXAMPLE, run_with_reader_gone

    out = tmp_path / "out"
    assert run_with_reader_gone(
        "export", "oscal", str(EXAMPLE), "--as-of", AS_OF, "--out", str(out)
    ) == (141, b"")
    assert sorted(p.name for p in out.iterdir()) == sorted([CATALOG_FILE, COMPONENT_FILE])


def test_a_repository_with_no_commit_is_exported_as_of_today(
    cli: Cli, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside git, with no --as-of, export refused ("no commit to date the export by")
    where cli.md says every command takes today: it dates the documents today."""
    import datetime
    import json

    import aimsctl.cli.common

    class Today(datetime.date):
        @classmethod
        def today(cls) -> Today:
            return cls(2026, 11, 26)

    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    monkeypatch.setattr(aimsctl.cli.common, "date", Today)
    result = cli("export", "oscal", example_copy, "--out", tmp_path / "oscal")
    assert result.exit_code == 0, result.stderr
    written = json.loads((tmp_path / "oscal" / COMPONENT_FILE).read_text(encoding="utf-8"))
    assert written["component-definition"]["metadata"]["last-modified"].startswith(
        "2026-11-26T00:00:00"
    )


def test_the_refusal_names_the_validate_command_and_the_day_the_export_checked(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Fix them (`aimsctl validate`)": at the top of a monorepo that finds no
    # aims.yaml, and without --as-of the export checks the day of the newest commit,
    # which a validate of today may not.
    from conftest import MINIMAL_CONFIG
    from gitrepo import GitRepo

    mono = GitRepo(tmp_path / "mono", "gov")
    mono.write({"aims.yaml": MINIMAL_CONFIG, "risks/bad.yaml": "kind: Risk\nid: R-9\n"})
    mono.commit("governance", on="2026-05-04")
    monkeypatch.chdir(mono.top)
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    result = cli("export", "oscal", "gov", "--out", "oscal")
    assert result.exit_code == 1
    assert "Fix them (`aimsctl validate gov --as-of 2026-05-04`)" in result.stderr
    assert not (mono.top / "oscal").exists()
