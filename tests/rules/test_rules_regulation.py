"""AIMS801-AIMS802: a prohibited practice in use, an NYC automated employment decision
tool in production without a bias audit less than a year old.

Records come from tests/factory.py. A minimal AISystem with `regulation` written
last has `regulation:` on line 10 and its first field on line 11: the value of
`eu_ai_act` at column 14, of `nyc_aedt` at column 13.
"""

from __future__ import annotations

import json
from typing import Any

from rule_support import Cli, Make, at, of, validate

from conftest import EXCLUDED_SOA, FileContent
from factory import Record, evaluation, flow, system


def _regulated(system_id: str, stage: str, **regulation: Any) -> Record:
    return system(system_id, stage=stage, regulation=regulation)


def _audit(eval_id: str, system_id: str, on: str, **fields: Any) -> Record:
    """An Evaluation of ``system_id`` performed on ``on``: an accuracy metric only,
    so it is a bias audit only when ``fields`` make it one."""
    return evaluation(
        eval_id,
        system=system_id,
        performed=flow({"on": on, "by": "auditor@audit.example"}),
        **fields,
    )


IMPACT_RATIO = {
    "name": "Selection-rate impact ratio",
    "dimension": "fairness",
    "value": 0.91,
    "threshold": flow({"min": 0.8}),
    "group": "sex: Female",
}


# --- AIMS801 prohibited-practice-in-use ---------------------------------------------


def test_a_prohibited_practice_in_validation_or_production_is_an_error(
    make_repo: Make, cli: Cli
) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/live.yaml": _regulated("LIVE", "production", eu_ai_act="prohibited"),
        "systems/pilot.yaml": _regulated("PILOT", "validation", eu_ai_act="prohibited"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS801") == [("systems/live.yaml", 11, 14), ("systems/pilot.yaml", 11, 14)]
    assert of(found, "AIMS801")[0]["message"] == (
        "system is in production, but its practice is prohibited by the EU AI Act (Art. 5): "
        "it may not be placed on the market, put into service or used in the EU"
    )
    assert {d["severity"] for d in of(found, "AIMS801")} == {"error"}


def test_a_prohibited_practice_not_in_use_or_another_class_passes_aims801(
    make_repo: Make, cli: Cli
) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/idea.yaml": _regulated("IDEA", "proposed", eu_ai_act="prohibited"),
        "systems/gone.yaml": _regulated("GONE", "retired", eu_ai_act="prohibited"),
        "systems/high.yaml": _regulated("HIGH", "production", eu_ai_act="high"),
        "systems/none.yaml": system("NONE", stage="production"),
    }
    assert at(validate(cli, make_repo(files)), "AIMS801") == []


def test_a_prohibited_practice_in_use_before_the_bans_apply_passes_aims801(
    make_repo: Make, cli: Cli
) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/live.yaml": _regulated("LIVE", "production", eu_ai_act="prohibited"),
    }
    root = make_repo(files)
    for day, count in (("2025-02-01", 0), ("2025-02-02", 1)):
        shown = cli("validate", root, "--as-of", day, "--format", "json")
        found = [d for d in json.loads(shown.stdout)["diagnostics"] if d["code"] == "AIMS801"]
        assert len(found) == count, day


# --- AIMS802 bias-audit-overdue -----------------------------------------------------


def test_an_aedt_in_production_needs_a_bias_audit_within_365_days(
    make_repo: Make, cli: Cli
) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/none.yaml": _regulated("NONE", "production", nyc_aedt=True),
        "systems/old.yaml": _regulated("OLD", "production", nyc_aedt=True),
        "systems/plain.yaml": _regulated("PLAIN", "production", nyc_aedt=True),
        "evaluations/e.yaml": [
            # 2026-11-26 - 365 days = 2025-11-26: one day too old.
            _audit("E-OLD", "OLD", "2025-11-25", tags=["bias-audit"]),
            # Recent, but an accuracy test is not a bias audit.
            _audit("E-PLAIN", "PLAIN", "2026-10-01"),
        ],
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS802") == [
        ("systems/none.yaml", 11, 13),
        ("systems/old.yaml", 11, 13),
        ("systems/plain.yaml", 11, 13),
    ]
    prefix = (
        "an automated employment decision tool in production needs a bias audit performed "
        "within 365 days (on or after 2025-11-26) under NYC Local Law 144, but "
    )
    assert {d["record"]: d["message"].removeprefix(prefix) for d in of(found, "AIMS802")} == {
        "NONE": "there is none",
        "OLD": "the latest, E-OLD, was performed on 2025-11-25",
        "PLAIN": "there is none",
    }


def test_a_recent_bias_audit_or_a_system_not_in_production_passes_aims802(
    make_repo: Make, cli: Cli
) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/tagged.yaml": _regulated("TAGGED", "production", nyc_aedt=True),
        "systems/ratios.yaml": _regulated("RATIOS", "production", nyc_aedt=True),
        "systems/dev.yaml": _regulated("DEV", "development", nyc_aedt=True),
        "systems/other.yaml": _regulated("OTHER", "production", nyc_aedt=False),
        "evaluations/e.yaml": [
            # The first day that still counts.
            _audit("E-TAGGED", "TAGGED", "2025-11-26", tags=["bias-audit"]),
            # What `aimsctl bias-audit --record` writes: impact-ratio metrics, no tag.
            _audit("E-RATIOS", "RATIOS", "2026-04-15", metrics=[IMPACT_RATIO]),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS802") == []


def test_a_bias_audit_dated_after_the_as_of_date_does_not_count(make_repo: Make, cli: Cli) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/s.yaml": _regulated("S", "production", nyc_aedt=True),
        "evaluations/e.yaml": [_audit("E-LATER", "S", "2026-12-01", tags=["bias-audit"])],
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS802") == [("systems/s.yaml", 11, 13)]


def test_a_bias_audit_the_systems_owner_ran_does_not_count(make_repo: Make, cli: Cli) -> None:
    # obligations refused an audit the owner ran while AIMS802 and `due` counted it.
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/s.yaml": _regulated("S", "production", nyc_aedt=True),
        "evaluations/e.yaml": evaluation(
            "E-1",
            system="S",
            tags=["bias-audit"],
            performed=flow({"on": "2026-10-01", "by": " Owner@ACME.example"}),
        ),
    }
    root = make_repo(files)
    [finding] = of(validate(cli, root), "AIMS802")
    assert finding["message"].endswith(
        "but there is none (E-1 was performed by the system's owner (owner@acme.example) or "
        "may have been, and so is not independent)"
    )
    due = cli("due", root, "--as-of", "2026-11-26", "--format", "json")
    [item] = [i for i in json.loads(due.stdout)["items"] if i["record"] == "S"]
    assert item["what"].startswith("a bias audit (none independent of its owner;")
