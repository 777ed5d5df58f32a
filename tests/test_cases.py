"""The negative-case folders: every bad record or config is reported at its line.

Each file under cases/records states what it must produce in `# expect: CODE@LINE`
comments (`# expect-also:` for further findings; `*` for any line). Only the
load and schema codes (AIMS0xx and AIMS1xx) are compared, so governance rules
about the same file do not blur the contract being tested.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import AS_OF, MINIMAL_CONFIG, CliResult

CASES = Path(__file__).parent / "cases"
RECORD_CASES = sorted((CASES / "records").glob("*.yaml"))
CONFIG_CASES = sorted((CASES / "config").glob("*.yaml"))
# pydantic's names for the members of a union, as they appear in an error's location
_UNION_MEMBER = re.compile(r"\.(?:int|str|float|bool|constrained-str|function-[a-z]+)\b")
_EXPECT = re.compile(r"#\s*expect(?:-also)?:\s*(AIMS\d{3})@(\d+|\*)")


def _expected(path: Path) -> set[tuple[str, str]]:
    return set(_EXPECT.findall(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", RECORD_CASES, ids=lambda p: p.stem)
def test_record_case(case: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "aims.yaml").write_text(MINIMAL_CONFIG)
    shutil.copy(case, root / "case.yaml")
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    diagnostics = json.loads(result.stdout)["diagnostics"]
    found = {
        (d["code"], str(d["line"]))
        for d in diagnostics
        if d["path"] == "case.yaml" and d["code"] < "AIMS200"
    }
    expected = _expected(case)
    assert expected, f"{case.name} states no expectation"
    wildcard = {(code, "*") for code, line in expected if line == "*"}
    exact = expected - wildcard
    assert exact <= found, diagnostics
    assert {(code, "*") for code, _ in found - exact} == wildcard, diagnostics


@pytest.mark.parametrize("case", CONFIG_CASES, ids=lambda p: p.stem)
def test_config_case(case: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(case, root / "aims.yaml")
    line = re.search(r"#\s*expect-line:\s*(\d+)", case.read_text()).group(1)  # type: ignore[union-attr]
    result = cli("validate", root, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"aims.yaml:{line}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert "type=" not in result.stderr  # a plain message, not a raw pydantic error
    # nor one naming the member of a type union that refused the value
    assert not _UNION_MEMBER.search(result.stderr), result.stderr
