"""Inputs found by mutating the example repository one edit at a time and running
every command on it: each case failed one command before its fix (a wrong count, an
internal error, a write into the repository or output that differed between runs).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import AS_OF, CliResult
from factory import risk, system, yaml_of

Cli = Callable[..., CliResult]


def test_records_that_share_an_id_are_each_counted(
    make_repo: Callable[..., Path], cli: Cli
) -> None:
    """Two risks with one id are two records, both left out: validate counted one
    record for them and risk score said it skipped one."""
    root = make_repo({"systems/s.yaml": system(), "a.yaml": risk("R-1"), "b.yaml": risk("R-1")})
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    summary = json.loads(result.stdout)["summary"]
    assert (summary["records"], summary["files"]) == (3, 3)
    assert (
        cli("validate", root, "--as-of", AS_OF)
        .stdout.splitlines()[-1]
        .startswith("3 records in 3 files:")
    )
    scored = cli("risk", "score", root, "--as-of", AS_OF)
    assert "skipped 2 invalid records (2 errors)" in scored.stderr


def test_risk_show_of_a_risk_in_a_file_that_cannot_be_read(
    make_repo: Callable[..., Path], cli: Cli
) -> None:
    """A NUL byte leaves the whole file unread, so no record in it has an id: risk show
    said there was no such risk in the repository, though its file is there."""
    root = make_repo(
        {
            "systems/s.yaml": system(),
            "risks/R-1.yaml": yaml_of(risk("R-1")).encode() + b"tags: [\x00]\n",
            "risks/R-2.yaml": risk("R-2"),
        }
    )
    result = cli("risk", "show", "R-1", root, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert (
        "aimsctl: error: no risk 'R-1' in the files that could be read; 1 file could not be "
        "(risks/R-1.yaml) and may hold it: run `aimsctl validate` to see why"
    ) in result.stderr, result.stderr
    (root / "risks/R-1.yaml").unlink()
    other = cli("risk", "show", "R-1", root, "--as-of", AS_OF)
    assert other.stderr == "aimsctl: error: no risk 'R-1' in the repository; did you mean 'R-2'?\n"
