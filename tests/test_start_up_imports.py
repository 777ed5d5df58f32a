"""What a small repository's `validate` leaves unimported: the modules only a syntax
error or a very large file needs (the pre-commit hook runs validate on every commit,
and each module imported at start-up is paid on every run; timed in benchmarks/run.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import aimsctl
from conftest import AS_OF, modules_after_validate

# Only a file with a syntax error needs these words; only one with more than
# 5,000 indicators (a very large or hostile file) needs the event scan.
ERROR_PATH_ONLY = ("aimsctl.yamlsafe.syntax_problems", "aimsctl.yamlsafe.scanner")


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
