"""The validation cache: same diagnostics with and without it, and never stale."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import aimsctl.validation
from aimsctl.cache import ResultCache
from conftest import AS_OF, CliResult

Cli = Callable[..., CliResult]


def _json(cli: Cli, root: Path, *extra: str) -> dict[str, object]:
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, *extra)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _seed_defects(root: Path) -> None:
    risk = next((root / "risks").glob("*.yaml"))
    risk.write_text(risk.read_text().replace("status:", "stauts:", 1))
    (root / "controls" / "broken.yaml").write_text("kind: Control\nid: A.2.2\napplicable: maybe\n")
    shutil.rmtree(root / "evidence")


@pytest.mark.parametrize("defects", [False, True], ids=["example", "seeded-defects"])
def test_cached_result_is_identical(example_copy: Path, cli: Cli, defects: bool) -> None:
    if defects:
        _seed_defects(example_copy)
    cold = _json(cli, example_copy, "--no-cache")
    first = _json(cli, example_copy)
    second = _json(cli, example_copy)
    assert cold == first == second
    if defects:
        assert cold["summary"]["errors"] > 0  # type: ignore[index]


def test_unchanged_repository_is_not_checked_again(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _json(cli, example_copy)

    def fail(*_: object) -> None:
        raise AssertionError("the rules ran although nothing changed")

    monkeypatch.setattr(aimsctl.validation, "run", fail)
    _json(cli, example_copy)


@pytest.mark.parametrize(
    "change",
    ["edit-record", "delete-evidence", "new-file", "other-date"],
)
def test_any_relevant_change_misses_the_cache(example_copy: Path, cli: Cli, change: str) -> None:
    before = _json(cli, example_copy)
    as_of = AS_OF
    if change == "edit-record":
        path = example_copy / "systems" / "SYS-HIRE.yaml"
        path.write_text(path.read_text().replace("stage: production", "stage: sunset"))
    elif change == "delete-evidence":
        next(p for p in (example_copy / "evidence").rglob("*") if p.is_file()).unlink()
    elif change == "new-file":
        (example_copy / "notes.yaml").write_text("- not a record\n")
    else:
        as_of = "2031-01-01"
    after = json.loads(cli("validate", example_copy, "--format", "json", "--as-of", as_of).stdout)
    assert after["diagnostics"] != before["diagnostics"]


def test_damaged_cache_is_ignored(example_copy: Path, cli: Cli) -> None:
    expected = _json(cli, example_copy)
    cache = ResultCache(example_copy)
    cache.path.write_bytes(b"not a pickle")
    assert _json(cli, example_copy) == expected


def test_cache_lives_outside_the_repository(example_copy: Path, cli: Cli) -> None:
    before = sorted(str(p) for p in example_copy.rglob("*"))
    _json(cli, example_copy)
    assert sorted(str(p) for p in example_copy.rglob("*")) == before
    assert not ResultCache(example_copy).path.is_relative_to(example_copy)
