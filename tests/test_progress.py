"""Progress bars: on standard error, only on a terminal, only for people, never in
CI; the output on standard output is the same with or without one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl import progress
from aimsctl.outputs import progress as bar
from conftest import AS_OF, EXAMPLE, CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make standard output and standard error terminals (call it in the test body,
    where they are the streams capsys captures); every loop is long enough."""
    monkeypatch.setattr(progress, "MIN_ITEMS", 1)
    for name in ("CI", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")  # the same text output on a terminal as in a pipe

    def enable() -> None:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)

    return enable


def _validate(cli: Cli, *more: str) -> CliResult:
    return cli("validate", EXAMPLE, "--as-of", AS_OF, "--no-cache", *more)


def test_validate_shows_a_bar_on_a_terminal_and_not_in_a_pipe(
    cli: Cli, terminal: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = _validate(cli)
    assert "Reading records" not in piped.stderr
    terminal()
    shown = _validate(cli)
    assert "Reading records" in shown.stderr
    assert "Checking rules" in shown.stderr
    assert shown.stdout == piped.stdout  # the output is unchanged
    assert shown.exit_code == piped.exit_code == 0
    # Not for machines: JSON has no bar, nor does a run in CI.
    assert "Reading records" not in _validate(cli, "--format", "json").stderr
    monkeypatch.setenv("CI", "true")
    assert "Reading records" not in _validate(cli).stderr


def test_a_small_repository_shows_no_bar(cli: Cli, terminal: Callable[[], None]) -> None:
    terminal()
    progress.MIN_ITEMS = 10_000  # restored by monkeypatch
    assert "Reading records" not in _validate(cli).stderr


def test_report_and_diff_show_bars_on_a_terminal(
    cli: Cli, terminal: Callable[[], None], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    terminal()
    result = cli("report", "soa", EXAMPLE, "--format", "md", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "Rendering reports" in result.stderr
    assert "Reading records" in result.stderr
    assert result.stdout.startswith("wrote ")  # what it prints is the same


def test_each_advances_and_finishes_without_a_bar() -> None:
    assert list(progress.each("x", [1, 2, 3])) == [1, 2, 3]
    with progress.task("x", 5) as advance:
        advance()  # no bar installed: nothing happens
    assert not bar.wanted(for_people=False)


def test_diff_shows_a_bar_on_a_terminal_only_for_text(
    cli: Cli, terminal: Callable[[], None], example_copy: Path
) -> None:
    from gitrepo import git

    git(example_copy, "init", "-q")
    git(example_copy, "add", "-A")
    git(example_copy, "commit", "-q", "-m", "example")
    piped = cli("diff", "HEAD", example_copy, "--as-of", AS_OF)
    terminal()
    shown = cli("diff", "HEAD", example_copy, "--as-of", AS_OF)
    assert shown.exit_code == piped.exit_code == 0, shown.stderr
    assert "Reading records" in shown.stderr and "Reading records" not in piped.stderr
    assert shown.stdout == piped.stdout
    assert "Reading records" not in cli("diff", "HEAD", example_copy, "-f", "json").stderr


@pytest.mark.parametrize("term", ["dumb", "unknown", "DUMB", "dumb "])
def test_no_bar_on_a_terminal_that_shows_no_colour(
    cli: Cli, terminal: Callable[[], None], monkeypatch: pytest.MonkeyPatch, term: str
) -> None:
    """The bar read TERM on its own and knew only 'dumb' as written: 'dumb ' (a
    space left by a script's quoting), which turns colour off, still drew the bar
    with its cursor moves. 'unknown' and 'DUMB' drew nothing only because Rich's
    console happened to read them as dumb; all four go through one answer now."""
    terminal()
    monkeypatch.setenv("TERM", term)
    shown = _validate(cli)
    assert shown.exit_code == 0, shown.stderr
    assert "Reading records" not in shown.stderr
    assert "\x1b" not in shown.stderr
