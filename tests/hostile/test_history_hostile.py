"""Hostile files in git history: every command that reads past commits gets plain words.

The hostile-input corpus checks files in the working tree. These commands also read
files as they were committed, through other code: validate (when records were
created, when systems last changed), diff, log, report --at, status, due and
validate --changed-since. Every case file of the corpus, and documents whose id is
not text, is committed, then edited, then removed from the working tree, where the
ids those files used become valid records, so that the history is asked about them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_records import plain_words_problem

from conftest import AS_OF, CliResult
from gitrepo import GitRepo, one_system, risk

# Long runs: left out of a plain `pytest`, run by `pytest --all` (the README, CI).
pytestmark = pytest.mark.slow

Cli = Callable[..., CliResult]
CASES = sorted((Path(__file__).resolve().parents[1] / "cases" / "records").glob("*.yaml"))
_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)\b", re.MULTILINE)

# Next to a record the history is asked about: ids that are a list, a mapping, a
# number and null, which cannot be looked up as text.
ODD_IDS = b"""\
kind: Risk
id: R-1
---
id: [R-1]
kind: Risk
---
id: {R-1: x}
kind: AISystem
---
id: 7
---
id:
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("history") / "work")
    repo.write(one_system(likelihood=1, severity=2))
    hostile = {f"hostile/{case.name}": case.read_bytes() for case in CASES}
    hostile["hostile/odd-ids.yaml"] = ODD_IDS
    for name, raw in hostile.items():
        (repo.root / name).parent.mkdir(exist_ok=True)
        (repo.root / name).write_bytes(raw)
    repo.commit("Hostile files")
    for name, raw in hostile.items():
        (repo.root / name).write_bytes(raw + b"\n# edited\n")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=4, severity=4)})  # SYS-A: high tier
    repo.commit("Edit them")
    ids = {m.decode() for raw in hostile.values() for m in _ID_LINE.findall(raw)}
    for name in hostile:
        (repo.root / name).unlink()
    repo.write({f"risks/{i}.yaml": risk(i) for i in sorted(ids - {"R-1", "SYS-A"})})
    return repo


def _commands(repo: GitRepo, out: Path) -> dict[str, tuple[str | Path, ...]]:
    root = repo.root
    return {
        "validate": ("validate", root, "--as-of", AS_OF, "--no-cache", "--format", "json"),
        "validate-changed-since": (
            *("validate", root, "--changed-since", "HEAD~1"),
            *("--as-of", AS_OF, "--no-cache"),
        ),
        "diff": ("diff", "HEAD~1", "HEAD", root, "--as-of", AS_OF, "--format", "json"),
        "diff-working-tree": ("diff", "HEAD~1", root, "--as-of", AS_OF),
        "report-at": (
            *("report", "all", root, "--at", "HEAD~1"),
            *("--out", out, "--as-of", AS_OF, "--force"),
        ),
        "status": ("status", root, "--as-of", AS_OF),
        "due": ("due", root, "--as-of", AS_OF),
        "log": ("log", "R-1", root),
        "log-waiver": ("log", "W-1", root),
    }


COMMANDS = (
    *("validate", "validate-changed-since", "diff", "diff-working-tree", "report-at"),
    *("status", "due", "log", "log-waiver"),
)


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_reading_history_give_plain_words(
    history: GitRepo, command: str, tmp_path: Path, cli: Cli
) -> None:
    commands = _commands(history, tmp_path / "out")
    assert sorted(commands) == sorted(COMMANDS)
    result = cli(*commands[command])
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr[-2000:])
    assert plain_words_problem(result.stderr) is None, result.stderr


def test_the_history_is_read_for_the_records_it_holds(history: GitRepo, cli: Cli) -> None:
    """The fixture does what it says: R-1 was never reviewed and dates from the
    first commit, read past the hostile files committed with it (its high score puts
    SYS-A in the high tier, reviewed every 180 days)."""
    result = cli("validate", history.root, "--as-of", AS_OF, "--no-cache", "--format", "json")
    assert "never reviewed since it was created on 2026-03-01" in result.stdout
