"""Helpers for the governance-rule tests: small records, and `validate` run two ways.

Every repository is checked through the real CLI (`--format json`) and through
`load_repository` + `engine.run`; both must agree before a test looks at one code.
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


def system(
    id: str = "SYS-1",
    *,
    stage: str = "development",
    oversight: str = "human-in-the-loop",
    extra: str = "",
) -> str:
    """An AISystem; `stage` on line 7, `human_oversight.mode` on line 9, ``extra`` from 10."""
    return (
        f"kind: AISystem\nid: {id}\ntitle: System {id}\nowner: owner@acme.example\n"
        f"purpose: A system under test.\ntype: predictive\nstage: {stage}\n"
        f"human_oversight:\n  mode: {oversight}\n{extra}"
    )


def risk(
    id: str = "R-1",
    *,
    systems: str = "[SYS-1]",
    likelihood: int | str = 2,
    severity: int | str = 2,
    status: str = "open",
    extra: str = "",
) -> str:
    """A Risk; `systems` on line 6, `inherent` on 7-9, `status` on 10, ``extra`` from 11."""
    return (
        f"kind: Risk\nid: {id}\ntitle: Risk {id}\nowner: risk@acme.example\n"
        f"description: A risk under test.\nsystems: {systems}\ninherent:\n"
        f"  likelihood: {likelihood}\n  severity: {severity}\nstatus: {status}\n{extra}"
    )


# An acceptance in force as of AS_OF, for risks whose band is above the appetite.
ACCEPTED = (
    "acceptance:\n  by: ceo@acme.example\n  on: 2026-01-10\n"
    "  rationale: Accepted for the test.\n  expires: 2027-12-31\n"
)


def control(
    id: str = "ORG-1", *, applicable: bool = True, status: str = "partial", extra: str = ""
) -> str:
    """A Control; applicable ones get an owner and a status. ``extra`` comes last."""
    head = f"kind: Control\nid: {id}\ntitle: Control {id}\n"
    if not applicable:
        return head + f"applicable: false\njustification: Not needed here.\n{extra}"
    return head + (
        "applicable: true\njustification: Needed.\nowner: ciso@acme.example\n"
        f"status: {status}\n{extra}"
    )


def assessment(
    id: str = "IA-1",
    *,
    system: str = "SYS-1",
    status: str = "approved",
    assessed: str = "2026-06-01",
    extra: str = "",
) -> str:
    """An ImpactAssessment; approved ones carry approval and decision.

    `status` is on line 5, `assessed` on lines 6-8; ``extra`` comes last.
    """
    text = (
        f"kind: ImpactAssessment\nid: {id}\ntitle: Assessment {id}\nsystem: {system}\n"
        f"status: {status}\nassessed:\n  on: {assessed}\n  by: dpo@acme.example\n"
    )
    if status == "approved":
        text += f"approval:\n  by: cro@acme.example\n  on: {assessed}\ndecision: proceed\n"
    return text + extra
