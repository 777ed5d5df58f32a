"""What a small repository's `validate` leaves unimported: the modules only a syntax
error or a very large file needs (the pre-commit hook runs validate on every commit,
and each module imported at start-up is paid on every run; timed in benchmarks/run.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import aimsctl
from conftest import AS_OF, EXAMPLE, modules_after_validate
from gitrepo import committed_example, inside_git

# Only a file with a syntax error needs these words; only one with more than
# 5,000 indicators (a very large or hostile file) needs the event scan.
ERROR_PATH_ONLY = ("aimsctl.yamlsafe.syntax_problems", "aimsctl.yamlsafe.scanner")


# The modules that read git: a folder git could find no repository for needs none of
# them (only `aimsctl.gitio.opening`, which says so), and gets no dates from history.
GIT_READING = (
    "aimsctl.gitio.attributes",
    "aimsctl.gitio.blobs",
    "aimsctl.gitio.committed",
    "aimsctl.gitio.history",
    "aimsctl.gitio.new_repository",
    "aimsctl.gitio.prefix",
    "aimsctl.gitio.revisions",
    "aimsctl.gitio.submodules",
    "aimsctl.gitio.trees",
    "aimsctl.gitio.worktree",
    "aimsctl.gitio.worktree_changes",
    "git",
)
# What only a run with the caches needs, and only workers that start.
CACHES = ("aimsctl.cache", "aimsctl.record_dates")
WORKERS_ONLY = ("multiprocessing.connection",)


def test_a_validate_outside_git_imports_no_module_that_reads_git(example_copy: Path) -> None:
    if inside_git(example_copy):
        pytest.skip("the temporary folder itself lies inside a git repository")
    assert modules_after_validate(example_copy, GIT_READING) == ("0", [])


def test_a_validate_in_git_still_reads_its_history(tmp_path: Path) -> None:
    """The check that no repository can be found lets a real one be read: the dates
    come from its history, as before."""
    repo = committed_example(tmp_path / "repo", EXAMPLE)
    code, loaded = modules_after_validate(repo.root, ("aimsctl.gitio.history", "git"))
    assert (code, loaded) == ("0", ["aimsctl.gitio.history", "git"])


def test_a_validate_without_the_caches_imports_none(example_copy: Path) -> None:
    """`--no-cache` (and a small repository outside git) needs neither the caches nor
    the dates from git history."""
    if inside_git(example_copy):
        pytest.skip("the temporary folder itself lies inside a git repository")
    assert modules_after_validate(example_copy, CACHES) == ("0", [])


def test_a_small_validate_starts_no_workers_and_imports_their_pipes(example_copy: Path) -> None:
    """Under 2,000 records nothing is parsed on two cores: multiprocessing's
    connections are imported where workers start."""
    assert modules_after_validate(example_copy, WORKERS_ONLY) == ("0", [])


def test_a_valid_repository_imports_no_error_path_module(example_copy: Path) -> None:
    assert modules_after_validate(example_copy, ERROR_PATH_ONLY) == ("0", [])


def test_a_syntax_error_still_gets_its_words(example_copy: Path) -> None:
    """The words are imported when needed: the diagnostic is the same as ever."""
    broken = example_copy / "risks" / "broken.yaml"
    broken.write_text("kind: Risk\nid: [R-X\n", encoding="utf-8")
    code, loaded = modules_after_validate(example_copy, ERROR_PATH_ONLY)
    assert (code, loaded) == ("1", ["aimsctl.yamlsafe.syntax_problems"])

    from aimsctl import yamlsafe

    problems = yamlsafe.parse("kind: Risk\nid: [R-X\n").problems
    assert [problem.message.startswith("YAML syntax error") for problem in problems] == [True]


def test_a_file_with_many_indicators_is_scanned_first() -> None:
    """More than 5,000 indicator bytes: the event scan runs (imported then), and its
    limit on values still stops the file."""
    from aimsctl import yamlsafe

    text = "items:\n" + "".join(f"- {n}\n" for n in range(6_000))
    assert yamlsafe.parse(text).problems == []
    spent = yamlsafe.parse(text, yamlsafe.Budget(values=100)).problems
    assert len(spent) == 1
    assert "values" in spent[0].message


def test_a_kind_the_repository_does_not_hold_is_never_built(example_copy: Path) -> None:
    """The models are built when they first validate (``defer_build``): without a
    Monitor record, Monitor's validator is not built; Risk's is, and a part of a
    record (Treatment) only inside its record's."""
    for monitor in (example_copy / "monitors").glob("*.yaml"):
        monitor.unlink()
    code = (
        "from aimsctl.cli import main\n"
        "from aimsctl.records import Monitor, Risk\n"
        "from aimsctl.records.risk import Treatment\n"
        f"code = main(['validate', {str(example_copy)!r}, '--as-of', {AS_OF!r}, '--no-cache'])\n"
        "print(code, [m.__pydantic_complete__ for m in (Monitor, Risk, Treatment)])\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(aimsctl.__file__).parents[1])}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    last = ran.stdout.splitlines()[-1]
    assert last.endswith("[False, True, False]"), ran.stderr
