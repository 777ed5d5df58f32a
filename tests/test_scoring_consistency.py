"""One engine, one answer: the register, the matrix, the explanation and the tiers agree.

For every risk of the bundled example, the band `risk score --format json` reports,
the cell `risk matrix --format json` counts it in, the band `risk show` explains and
the tiers in `systems[]` all agree with `Repository.risk_scores` and `Repository.tiers`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from aimsctl.records import Risk
from aimsctl.repository import Repository, load_repository
from aimsctl.scoring import UNASSESSED
from conftest import AS_OF, EXAMPLE, CliResult

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def repository() -> Repository:
    repo = load_repository(EXAMPLE, date.fromisoformat(AS_OF))
    # Every check below compares risk by risk: with none loaded they would hold vacuously.
    assert repo.of_kind(Risk), f"no valid risk in the bundled example {EXAMPLE}"
    return repo


def run_json(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("risk", *args, EXAMPLE, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def cell_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Risk id -> the matrix cell that counts it (each risk in exactly one cell)."""
    found: dict[str, dict[str, Any]] = {}
    for cell in document["cells"]:
        assert cell["count"] == len(cell["risks"])
        for risk_id in cell["risks"]:
            assert risk_id not in found, f"{risk_id} counted in two cells"
            found[risk_id] = cell
    return found


def test_register_matches_the_engine(cli: Cli, repository: Repository) -> None:
    register = {r["id"]: r for r in run_json(cli, "score")["risks"]}
    assert sorted(register) == sorted(r.id for r in repository.of_kind(Risk))
    for risk_id, scored in repository.risk_scores.items():
        row = register[risk_id]
        assert row["inherent"]["band"] == scored.inherent.band, risk_id
        assert row["inherent"]["score"] == scored.inherent.score, risk_id
        residual = row["residual"]
        assert (residual["band"] if residual else None) == (
            scored.residual.band if scored.residual else None
        ), risk_id
        assert row["within_appetite"] == scored.within_appetite, risk_id
        assert row["accepted"] == scored.accepted, risk_id


@pytest.mark.parametrize("position", ["inherent", "residual"])
def test_matrix_cells_match_the_register(cli: Cli, repository: Repository, position: str) -> None:
    register = {r["id"]: r for r in run_json(cli, "score")["risks"]}
    matrix = run_json(cli, "matrix", *(["--residual"] if position == "residual" else []))
    assert matrix["position"] == position
    cells = cell_of(matrix)
    open_ids = {i for i, r in register.items() if r["status"] != "closed"}
    assert set(cells) == open_ids  # closed risks are left out, every open risk is in
    assert matrix["closed_excluded"] == len(register) - len(open_ids)
    for risk_id in open_ids:
        row = register[risk_id]
        placed = row["inherent"] if position == "inherent" else row["current"]
        cell = cells[risk_id]
        assert (cell["likelihood"], cell["severity"]) == (
            placed["likelihood"],
            placed["severity"],
        ), risk_id
        assert cell["band"] == placed["band"], risk_id
        assert cell["score"] == placed["score"], risk_id


def test_tiers_are_derived_from_the_register(cli: Cli, repository: Repository) -> None:
    document = run_json(cli, "score")
    ranks = {name: index for index, name in enumerate(repository.scorer.bands)}
    derived: dict[str, str] = {}
    for row in document["risks"]:
        if row["status"] == "closed":
            continue
        band = row["current"]["band"]
        for system_id in row["systems"]:
            if ranks[band] > ranks.get(derived.get(system_id, UNASSESSED), -1):
                derived[system_id] = band
    systems = {s["id"]: s for s in document["systems"]}
    assert {i: s["tier"] for i, s in systems.items()} == repository.tiers
    for system_id, tier in repository.tiers.items():
        assert derived.get(system_id, UNASSESSED) == tier, system_id
        assert systems[system_id]["open_risks"] == sum(
            1 for r in repository.risks_by_system.get(system_id, []) if r.status != "closed"
        )


def test_show_explains_the_same_band(cli: Cli, repository: Repository) -> None:
    for risk in repository.of_kind(Risk):
        scored = repository.risk_scores[risk.id]
        result = cli("risk", "show", risk.id, EXAMPLE, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        assert f"(the current band is {scored.current.band})" in result.stdout, risk.id
        assert f"Current: {scored.current.band}, the {scored.basis}" in result.stdout, risk.id
        current = scored.current
        assert f"score {current.likelihood} x {current.severity} = {current.score}" in (
            result.stdout
        ), risk.id
