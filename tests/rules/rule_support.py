"""Helpers for the governance-rule tests: `validate` run two ways, and where findings are.

Every repository is checked through the real CLI (`--format json`) and through
`load_repository` + `engine.run`; both must agree before a test looks at one code.
The records come from tests/factory.py (`system()`, `risk()`, ...): the line
numbers the tests assert are those of its minimal records, with extra fields
after them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from aimsctl import engine
from aimsctl.repository import load_repository
from conftest import AS_OF, CliResult

Diag = dict[str, Any]
Cli = Callable[..., CliResult]
Make = Callable[..., Path]


def validate(cli: Cli, root: Path, *, schema_ok: bool = True) -> list[Diag]:
    """Every diagnostic of ``root`` as of AS_OF, checked to agree between CLI and engine.

    With ``schema_ok`` (the default) the test repository must be free of load and
    schema findings, so a rule never stays silent because a record failed to load.
    """
    result = cli("validate", root, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found: list[Diag] = json.loads(result.stdout)["diagnostics"]
    has_errors = any(d["severity"] == "error" for d in found)
    assert result.exit_code == (1 if has_errors else 0)
    direct = engine.run(load_repository(root, date.fromisoformat(AS_OF)))
    assert [d.as_json() for d in direct.diagnostics] == found
    if schema_ok:
        early = [d for d in found if d["code"] < "AIMS200"]
        assert not early, early
    return found


def at(found: list[Diag], code: str) -> list[tuple[str, int, int]]:
    """Where ``code`` was reported: (path, line, column), in report order."""
    return [(d["path"], d["line"], d["column"]) for d in found if d["code"] == code]


def of(found: list[Diag], code: str) -> list[Diag]:
    return [d for d in found if d["code"] == code]


# An acceptance in force as of AS_OF, for risks whose band is above the appetite:
# ``risk(..., acceptance=ACCEPTED)``.
ACCEPTED: dict[str, Any] = {
    "by": "ceo@acme.example",
    "on": "2026-01-10",
    "rationale": "Accepted for the test.",
    "expires": "2027-12-31",
}
