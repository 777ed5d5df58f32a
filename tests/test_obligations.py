"""Regulatory obligations per system (aimsctl.obligations and its catalogue).

Obligations are derived for every EU AI Act class and role, for NYC Local Law 144
and for Colorado, on the bundled example and on repositories built from
tests/factory.py; each is met by the records that evidence it, or not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from aimsctl.obligations import FINDERS, STATUSES, Result, catalogue, obligations
from aimsctl.repository import load_repository
from conftest import AS_OF, EXAMPLE, EXCLUDED_SOA, PROJECT, FileContent
from eu_ai_act import HEADINGS
from factory import (
    Record,
    assessment,
    control,
    evaluation,
    flow,
    incident,
    monitor,
    risk,
    role,
    system,
)

TODAY = date.fromisoformat(AS_OF)

LITERACY = "eu-ai-act-art-4"
PROVIDER_HIGH = [
    LITERACY,
    "eu-ai-act-art-9",
    "eu-ai-act-art-10",
    "eu-ai-act-art-11",
    "eu-ai-act-art-12",
    "eu-ai-act-art-13",
    "eu-ai-act-art-14",
    "eu-ai-act-art-15",
    "eu-ai-act-art-17",
    "eu-ai-act-art-43",
    "eu-ai-act-art-47",
    "eu-ai-act-art-48",
    "eu-ai-act-art-49",
    "eu-ai-act-art-72",
    "eu-ai-act-art-73",
]


def _derive(root: Path, as_of: date = TODAY, ids: list[str] | None = None) -> Result:
    return obligations(load_repository(root, as_of), ids)


ART_27_IF = (
    "the deployer is a public body or provides public services, or the system scores "
    "creditworthiness or prices life or health insurance"
)


def _by_system(result: Result) -> dict[str, dict[str, Any]]:
    """Per system id: obligation id -> (status, evidence ids, detail)."""
    return {
        entry.system.id: {
            o.spec.id: (o.status, [e.id for e in o.evidence], o.detail) for o in entry.obligations
        }
        for entry in result.systems
    }


def _regulated(system_id: str, stage: str = "production", **regulation: Any) -> Record:
    return system(system_id, stage=stage, regulation=regulation)


# --- the catalogue ------------------------------------------------------------------


def test_every_obligation_cites_its_law_and_asks_for_known_evidence() -> None:
    data = catalogue()
    assert data.version == 5
    assert [law.id for law in data.laws] == ["eu-ai-act", "nyc-ll144", "colorado"]
    ids = [spec.id for spec in data.obligations]
    assert len(ids) == len(set(ids))
    for spec in data.obligations:
        assert spec.law.source and spec.title and spec.summary, spec.id
        assert set(spec.evidence) <= set(FINDERS), spec.id
        assert set(spec.when) <= {
            "eu_ai_act",
            "eu_role",
            "nyc_aedt",
            "colorado_consequential",
            "jurisdictions",
        }
        if spec.law.id == "eu-ai-act":
            number = re.fullmatch(r"Art\. ([0-9]+)", spec.article)
            assert number is not None and 1 <= int(number.group(1)) <= 113, spec.id
            assert spec.id == f"eu-ai-act-art-{number.group(1)}"
    eu = {spec.article for spec in data.obligations if spec.law.id == "eu-ai-act"}
    wanted = {4, 9, 10, 11, 12, 13, 14, 15, 17, 43, 47, 48, 49, 72, 73, 26, 27, 50, 53, 5}
    assert {f"Art. {n}" for n in wanted} <= eu


def test_the_catalogue_refuses_a_tagged_value_it_does_not_know() -> None:
    # Read as "not required", a typo would silently drop what an obligation asks for.
    from aimsctl.catalog.obligations import _tag_required

    assert _tag_required({"id": "x", "tagged": "required"}) is True
    assert _tag_required({"id": "x"}) is False
    with pytest.raises(ValueError, match="obligation x: tagged must be 'required', not True"):
        _tag_required({"id": "x", "tagged": True})
    assert [spec.id for spec in catalogue().obligations if spec.tag_required] == [
        "nyc-ll144-summary"
    ]


def test_eu_ai_act_obligations_carry_the_articles_headings() -> None:
    titles = {
        spec.article: spec.title for spec in catalogue().obligations if spec.law.id == "eu-ai-act"
    }
    assert titles == {article: HEADINGS[article] for article in titles}


def test_colorado_is_recorded_as_the_law_that_replaced_sb_24_205() -> None:
    [law] = [law for law in catalogue().laws if law.id == "colorado"]
    assert law.status is not None
    assert "SB 24-205" in law.status and "never took effect" in law.status
    assert "SB 26-189" in law.source
    for spec in catalogue().obligations:
        if spec.law is law:
            assert spec.in_force == date(2027, 1, 1), spec.id


def test_the_catalogue_ships_in_the_wheel(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    [wheel] = list(WheelBuilder(str(PROJECT)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        assert "aimsctl/catalog/obligations.yaml" in archive.namelist()
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import aimsctl.obligations as o;"
        "print(o.__file__.startswith(sys.argv[1]), len(o.catalogue().obligations))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, wheel], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", str(len(catalogue().obligations))]


# --- the example ----------------------------------------------------------------------


def test_the_example_per_class_and_role() -> None:
    found = _by_system(_derive(EXAMPLE))
    # Retired (SYS-CHURN) is left out; the not-applicable class owes nothing here, the
    # minimal one AI literacy alone, which A.4.6 (partial in the example) does not meet.
    assert sorted(found) == [
        "SYS-ASSIST",
        "SYS-CREDIT",
        "SYS-FRAUD",
        "SYS-HIRE",
        "SYS-OPSAGENT",
        "SYS-ROSTER",
        "SYS-TRIAGE",
    ]
    assert found["SYS-FRAUD"] == {}
    literacy = ("open", ["A.4.6"], "Control A.4.6 is partial, not implemented")
    assert found["SYS-OPSAGENT"] == {LITERACY: literacy}
    # High-risk provider, in validation: met by records, or open before use.
    triage = found["SYS-TRIAGE"]
    assert list(triage) == PROVIDER_HIGH
    assert triage["eu-ai-act-art-9"][:2] == ("met", ["R-010", "R-011", "R-012", "R-013", "R-014"])
    assert triage["eu-ai-act-art-72"][:2] == ("met", ["MON-TRIAGE-75PLUS"])
    assert triage["eu-ai-act-art-73"][:2] == ("met", ["INC-2026-02"])
    assert triage["eu-ai-act-art-43"] == (
        "open",
        [],
        "no record of the system is tagged eu-ai-act-art-43",
    )
    # High-risk deployer in production: the hiring tool, every obligation evidenced but
    # AI literacy, its bias audit the Evaluation of 2026-04-15.
    assert found["SYS-HIRE"] == {
        LITERACY: ("missing", *literacy[1:]),
        "eu-ai-act-art-26": ("met", ["SYS-HIRE", "MON-HIRE-IMPACT", "A.6.2.8", "A.8.2"], ""),
        # Met where it applies: the condition is said (a private employer's hiring tool
        # may owe no fundamental rights impact assessment at all).
        "eu-ai-act-art-27": ("met", ["IA-HIRE-2026"], f"where it applies: only if {ART_27_IF}"),
        "nyc-ll144-bias-audit": ("met", ["EVAL-HIRE-2026"], ""),
        # The summary published (ORG-1) is of an audit that is current.
        "nyc-ll144-summary": ("met", ["EVAL-HIRE-2026", "ORG-1"], ""),
        "nyc-ll144-notice": ("met", ["R-005"], ""),
    }
    # High-risk deployer, proposed: what is not there yet is open, not missing.
    assert found["SYS-ROSTER"]["eu-ai-act-art-26"] == (
        "open",
        ["SYS-ROSTER", "A.6.2.8", "A.8.2"],
        "no Monitor watches the system",
    )
    # Limited, provider: AI literacy and Art. 50.
    assert list(found["SYS-ASSIST"]) == [LITERACY, "eu-ai-act-art-50"]
    assert found["SYS-ASSIST"]["eu-ai-act-art-50"][0] == "missing"
    # Colorado: not in force on 2026-11-26.
    assert {v[0] for v in found["SYS-CREDIT"].values()} == {"not-in-force"}


def test_colorado_applies_from_2027() -> None:
    found = _by_system(_derive(EXAMPLE, date(2027, 1, 1), ["SYS-CREDIT"]))
    assert list(found["SYS-CREDIT"]) == [
        "colorado-notice",
        "colorado-explanation",
        "colorado-records",
    ]
    assert {v[0] for v in found["SYS-CREDIT"].values()} == {"missing"}


def test_the_bias_audit_lapses_a_year_after_it_was_performed() -> None:
    # EVAL-HIRE-2026 was performed on 2026-04-15: 365 days later is the last day.
    assert _by_system(_derive(EXAMPLE, date(2027, 4, 15), ["SYS-HIRE"]))["SYS-HIRE"][
        "nyc-ll144-bias-audit"
    ][0] == ("met")
    late = _by_system(_derive(EXAMPLE, date(2027, 4, 16), ["SYS-HIRE"]))["SYS-HIRE"]
    assert late["nyc-ll144-bias-audit"] == (
        "missing",
        [],
        "the latest bias audit, EVAL-HIRE-2026, was performed on 2026-04-15, more than 365 "
        "days before 2027-04-16",
    )
    # What is published summarises that audit: once it lapses, the summary no longer
    # publishes an audit the tool may run on, whatever the tagged record says.
    assert late["nyc-ll144-summary"] == (
        "missing",
        ["ORG-1"],
        "the latest bias audit, EVAL-HIRE-2026, was performed on 2026-04-15, more than 365 "
        "days before 2027-04-16",
    )


def test_a_retired_system_named_is_shown_with_no_obligation() -> None:
    result = _derive(EXAMPLE, ids=["SYS-CHURN"])
    assert [(e.system.id, e.obligations) for e in result.systems] == [("SYS-CHURN", ())]
    # Said as retired, not as if its regulation fields brought nothing.
    from aimsctl.outputs.obligations import render_markdown, render_table

    assert "  no obligation: the system is retired, so it takes on none\n" in (render_table(result))
    assert "No obligation: the system is retired, so it takes on none.\n" in (
        render_markdown(result)
    )


# --- factory-built repositories -------------------------------------------------------


def _repo(make_repo: Any, files: dict[str, FileContent]) -> Path:
    root: Path = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, **files})
    return root


@pytest.mark.parametrize(
    ("regulation", "expected"),
    [
        ({"eu_ai_act": "high", "eu_role": "provider"}, PROVIDER_HIGH),
        (
            {"eu_ai_act": "high", "eu_role": "deployer"},
            [LITERACY, "eu-ai-act-art-26", "eu-ai-act-art-27"],
        ),
        ({"eu_ai_act": "high", "eu_role": "importer"}, ["eu-ai-act-art-23"]),
        ({"eu_ai_act": "high", "eu_role": "distributor"}, ["eu-ai-act-art-24"]),
        ({"eu_ai_act": "limited", "eu_role": "provider"}, [LITERACY, "eu-ai-act-art-50"]),
        ({"eu_ai_act": "limited", "eu_role": "deployer"}, [LITERACY, "eu-ai-act-art-50"]),
        # Art. 50 binds providers and deployers, as its heading says; importers and
        # distributors owe it nothing.
        ({"eu_ai_act": "limited", "eu_role": "importer"}, []),
        # AI literacy binds the providers and deployers of every AI system, one built
        # on a general-purpose model included.
        ({"eu_ai_act": "gpai", "eu_role": "provider"}, [LITERACY, "eu-ai-act-art-53"]),
        ({"eu_ai_act": "gpai", "eu_role": "deployer"}, [LITERACY]),
        ({"eu_ai_act": "prohibited", "eu_role": "deployer"}, ["eu-ai-act-art-5"]),
        ({"eu_ai_act": "minimal", "eu_role": "provider"}, [LITERACY]),
        ({"eu_ai_act": "minimal", "eu_role": "distributor"}, []),
        ({"eu_ai_act": "minimal"}, []),
        ({"eu_ai_act": "not-applicable"}, []),
        (
            {"nyc_aedt": True},
            ["nyc-ll144-bias-audit", "nyc-ll144-summary", "nyc-ll144-notice"],
        ),
        (
            {"colorado_consequential": True},
            ["colorado-notice", "colorado-explanation", "colorado-records"],
        ),
        ({}, []),
    ],
)
def test_obligations_per_class_and_role(
    make_repo: Any, regulation: dict[str, Any], expected: list[str]
) -> None:
    root = _repo(make_repo, {"systems/s.yaml": _regulated("S", **regulation)})
    assert list(_by_system(_derive(root))["S"]) == expected


def test_a_system_without_regulation_owes_nothing(make_repo: Any) -> None:
    root = _repo(make_repo, {"systems/s.yaml": system("S", stage="production")})
    assert _by_system(_derive(root)) == {"S": {}}


def test_a_prohibited_practice_is_shown_as_prohibited(make_repo: Any) -> None:
    root = _repo(make_repo, {"systems/s.yaml": _regulated("S", eu_ai_act="prohibited")})
    assert _by_system(_derive(root))["S"] == {
        "eu-ai-act-art-5": ("prohibited", [], "the practice is banned in the EU (Art. 5)")
    }


def test_a_prohibited_practice_before_the_bans_apply_is_not_in_force(make_repo: Any) -> None:
    """Art. 5 applies from 2 February 2025: it was shown as prohibited before, while
    Art. 4, which applies from the same day, was not in force."""
    root = _repo(make_repo, {"systems/s.yaml": _regulated("S", eu_ai_act="prohibited")})
    for day, expected in (
        (date(2025, 2, 1), ("not-in-force", [], "applies from 2025-02-02")),
        (date(2025, 2, 2), ("prohibited", [], "the practice is banned in the EU (Art. 5)")),
    ):
        assert _by_system(_derive(root, day))["S"]["eu-ai-act-art-5"] == expected


@pytest.mark.parametrize(
    ("regulation", "article", "first_day"),
    [
        ({"eu_ai_act": "gpai", "eu_role": "provider"}, "eu-ai-act-art-53", date(2025, 8, 2)),
        ({"eu_ai_act": "high", "eu_role": "provider"}, "eu-ai-act-art-9", date(2026, 8, 2)),
        ({"eu_ai_act": "high", "eu_role": "deployer"}, "eu-ai-act-art-26", date(2026, 8, 2)),
        ({"eu_ai_act": "high", "eu_role": "importer"}, "eu-ai-act-art-23", date(2026, 8, 2)),
        ({"eu_ai_act": "limited", "eu_role": "deployer"}, "eu-ai-act-art-50", date(2026, 8, 2)),
    ],
)
def test_an_eu_ai_act_duty_applies_from_its_date_in_art_113(
    make_repo: Any, regulation: dict[str, Any], article: str, first_day: date
) -> None:
    """Only Art. 4 and Art. 5 had a date: on 1 June 2024, before the Regulation even
    entered into force, a limited-risk system was shown as missing Art. 50. Art. 113
    applies Chapter V (general-purpose AI models) from 2 August 2025 and the rest from
    2 August 2026; the day before, the duty is not in force yet."""
    root = _repo(make_repo, {"systems/s.yaml": _regulated("S", **regulation)})
    before = _by_system(_derive(root, first_day - timedelta(days=1)))["S"][article]
    assert before[0] == "not-in-force" and before[2] == f"applies from {first_day}"
    assert _by_system(_derive(root, first_day))["S"][article][0] != "not-in-force"


def test_serious_incident_reporting_applies_on_every_day_as_its_deadlines_do(
    make_repo: Any,
) -> None:
    """The review found Art. 73 "not in force" before 2 August 2026 in `obligations`
    while AIMS706 and `due` counted the same incident's report overdue. Art. 73 has no
    date of its own: the deadlines are counted for every incident, conservatively."""
    root = _repo(
        make_repo, {"systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider")}
    )
    found = _by_system(_derive(root, date(2025, 1, 1)))["S"]["eu-ai-act-art-73"]
    assert found[0] != "not-in-force"


def test_provider_obligations_are_met_by_their_records(make_repo: Any) -> None:
    provider = system(
        "S",
        stage="production",
        data=[flow({"name": "Claims", "stage": "training", "provenance": "Claims system"})],
        documentation=["docs/s.md"],
        instructions="Read the score with the file.",
        regulation={"eu_ai_act": "high", "eu_role": "provider"},
    )
    files: dict[str, FileContent] = {
        "systems/s.yaml": provider,
        "docs/s.md": "# S\n",
        "risks/r.yaml": risk("R-1", systems=["S"]),
        "evaluations/e.yaml": evaluation("E-1", system="S"),
        "monitors/m.yaml": monitor(
            "M-1", system="S", observations=[flow({"on": "2026-11-25", "value": 0.9})]
        ),
        "incidents/i.yaml": incident(
            "INC-1",
            systems=["S"],
            serious=True,
            reports=[flow({"to": "Market surveillance", "on": "2026-06-05", "authority": True})],
        ),
        # A control of the system tagged with an obligation's id evidences it.
        "controls/org.yaml": control(
            "ORG-1", status="implemented", systems=["S"], tags=["eu-ai-act-art-43"]
        ),
        # The documentation, the information for users and the quality and provenance
        # of data, kept as the SoA says.
        "controls/annex-a.yaml": _soa_applying(
            {
                "A.6.2.7": "status: implemented\n",
                "A.8.2": "status: implemented\n",
                "A.7.4": "status: implemented\n",
                "A.7.5": "status: implemented\n",
            }
        ),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-9"][:2] == ("met", ["R-1"])
    assert found["eu-ai-act-art-10"][:2] == ("met", ["S", "A.7.4", "A.7.5"])
    assert found["eu-ai-act-art-11"][:2] == ("met", ["S", "A.6.2.7"])
    assert found["eu-ai-act-art-13"][:2] == ("met", ["S", "A.8.2"])
    assert found["eu-ai-act-art-14"][:2] == ("met", ["S"])
    assert found["eu-ai-act-art-15"][:2] == ("met", ["E-1"])
    assert found["eu-ai-act-art-43"][:2] == ("met", ["ORG-1"])
    assert found["eu-ai-act-art-72"][:2] == ("met", ["M-1"])
    assert found["eu-ai-act-art-73"][:2] == ("met", ["INC-1"])
    assert found["eu-ai-act-art-49"] == (
        "missing",
        [],
        "no record of the system is tagged eu-ai-act-art-49",
    )


def test_a_record_that_still_holds_a_placeholder_evidences_nothing(make_repo: Any) -> None:
    # As in the readiness report: the starter's text (`TODO:`, AIMS107) is not the
    # organization's own. A risk and a system still holding one met Art. 9 and Art. 14.
    files: dict[str, FileContent] = {
        "systems/s.yaml": system(
            "S",
            stage="production",
            description="TODO: what the system does",
            regulation={"eu_ai_act": "high", "eu_role": "provider"},
        ),
        "risks/r.yaml": risk("R-1", systems=["S"], description="TODO: what could happen"),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-9"] == (
        "missing",
        [],
        "R-1 still holds placeholder text (TODO:)",
    )
    assert found["eu-ai-act-art-14"] == (
        "missing",
        [],
        "S still holds placeholder text (TODO:)",
    )


def test_provider_obligations_say_what_is_missing(make_repo: Any) -> None:
    provider = system(
        "S",
        stage="production",
        human_oversight=flow({"mode": "none"}),
        regulation={"eu_ai_act": "high", "eu_role": "provider"},
    )
    files: dict[str, FileContent] = {
        "systems/s.yaml": provider,
        "incidents/i.yaml": incident("INC-1", systems=["S"], serious=True),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert {k: v[2] for k, v in found.items() if v[0] == "missing" and v[2].startswith("no ")} == {
        "eu-ai-act-art-9": "no Risk names the system",
        "eu-ai-act-art-12": "no record of the system is tagged eu-ai-act-art-12",
        "eu-ai-act-art-15": "no Evaluation of the system passed",
        "eu-ai-act-art-17": "no record of the system is tagged eu-ai-act-art-17",
        "eu-ai-act-art-43": "no record of the system is tagged eu-ai-act-art-43",
        "eu-ai-act-art-47": "no record of the system is tagged eu-ai-act-art-47",
        "eu-ai-act-art-48": "no record of the system is tagged eu-ai-act-art-48",
        "eu-ai-act-art-49": "no record of the system is tagged eu-ai-act-art-49",
        "eu-ai-act-art-72": "no Monitor watches the system",
    }
    assert found["eu-ai-act-art-10"][2] == "the system records no `data`"
    assert found["eu-ai-act-art-14"][2] == "`human_oversight.mode` is none"
    assert found["eu-ai-act-art-73"] == (
        "missing",
        [],
        "serious incidents not reported to an authority: INC-1",
    )


@pytest.mark.parametrize(
    ("stage", "performed", "expected"),
    [
        # Tier high (a risk scored 16) asks for a pass within 365 days: 2025-11-26 on.
        ("production", "2025-11-26", ("met", ["E-1"], "")),
        (
            "production",
            "2025-11-25",
            (
                "missing",
                [],
                "the latest Evaluation that passed, E-1, was performed on 2025-11-25, more "
                "than 365 days before 2026-11-26 (tier 'high' asks for one within 365 days)",
            ),
        ),
        ("validation", "2024-01-01", ("open", [], "the latest Evaluation that passed, E-1")),
        # AIMS701 asks nothing of a system in development: any pass stands.
        ("development", "2024-01-01", ("met", ["E-1"], "")),
        # Performed after the as-of date: not done yet, for AIMS701 as here.
        ("production", "2026-11-27", ("missing", [], "no Evaluation of the system passed")),
    ],
)
def test_art_15_counts_a_pass_only_as_aims701_does(
    make_repo: Any, cli: Any, stage: str, performed: str, expected: tuple[str, list[str], str]
) -> None:
    """A pass older than the tier's `evaluation_days` fails AIMS701, and Art. 15 was
    shown met on it, whatever its age."""
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", stage=stage, eu_ai_act="high", eu_role="provider"),
        "risks/r.yaml": risk("R-1", systems=["S"], inherent={"likelihood": 4, "severity": 4}),
        "evaluations/e.yaml": evaluation(
            "E-1", system="S", performed={"on": performed, "by": "qa@acme.example"}
        ),
    }
    root = _repo(make_repo, files)
    status, evidence, detail = _by_system(_derive(root))["S"]["eu-ai-act-art-15"]
    assert (status, evidence) == expected[:2]
    assert detail.startswith(expected[2])
    validated = cli("validate", root, "--as-of", AS_OF, "--no-cache")
    assert ("AIMS701" in validated.stdout) == (status != "met")


def _measured(evaluation_id: str, on: str, **values: float) -> Record:
    """An evaluation of S on the day, one metric (min 0.8) per name given."""
    metrics = [
        {"name": name, "dimension": "performance", "value": value, "threshold": {"min": 0.8}}
        for name, value in values.items()
    ]
    performed = {"on": on, "by": "qa@acme.example"}
    return evaluation(evaluation_id, system="S", performed=performed, metrics=metrics)


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        # Accuracy failed after the pass, and a later evaluation of latency passed.
        (
            [
                _measured("E-2", "2026-07-01", accuracy=0.7),
                _measured("E-3", "2026-08-01", latency=0.9),
            ],
            (
                "missing",
                ["E-3"],
                "accuracy is 0.7, outside its threshold ≥ 0.8, in its latest measurement, "
                "E-2 of 2026-07-01",
            ),
        ),
        # Measured again within the threshold: settled.
        (
            [
                _measured("E-2", "2026-07-01", accuracy=0.7),
                _measured("E-3", "2026-08-01", accuracy=0.9),
            ],
            ("met", ["E-3"], ""),
        ),
    ],
)
def test_art_15_is_not_met_while_a_metric_fails_in_its_latest_measurement(
    make_repo: Any, cli: Any, later: list[Record], expected: tuple[str, list[str], str]
) -> None:
    """A pass before a metric failed met Art. 15, as did a later pass of other
    metrics, while AIMS702 reports the metric failing in its latest measurement."""
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider"),
        "evaluations/e1.yaml": _measured("E-1", "2026-06-01", accuracy=0.9, latency=0.9),
        "evaluations/later.yaml": later,
    }
    root = _repo(make_repo, files)
    assert _by_system(_derive(root))["S"]["eu-ai-act-art-15"] == expected
    validated = cli("validate", root, "--as-of", AS_OF, "--no-cache")
    assert ("AIMS702" in validated.stdout) == (expected[0] != "met")


def test_art_15_names_a_failing_metric_beside_a_stale_pass(make_repo: Any, cli: Any) -> None:
    """A pass too old for the tier (AIMS701) hid the metric failing in its latest
    measurement since (AIMS702): only the stale pass was named."""
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider"),
        "risks/r.yaml": risk("R-1", systems=["S"], inherent={"likelihood": 4, "severity": 4}),
        "evaluations/e1.yaml": _measured("E-1", "2025-06-01", accuracy=0.9),
        "evaluations/e2.yaml": _measured("E-2", "2025-07-01", accuracy=0.7),
    }
    root = _repo(make_repo, files)
    assert _by_system(_derive(root))["S"]["eu-ai-act-art-15"] == (
        "missing",
        [],
        "the latest Evaluation that passed, E-1, was performed on 2025-06-01, more than 365 "
        f"days before {AS_OF} (tier 'high' asks for one within 365 days); accuracy is 0.7, "
        "outside its threshold ≥ 0.8, in its latest measurement, E-2 of 2025-07-01",
    )
    validated = cli("validate", root, "--as-of", AS_OF, "--no-cache")
    assert "AIMS701" in validated.stdout and "AIMS702" in validated.stdout


@pytest.mark.parametrize(
    ("observations", "expected"),
    [
        # Every 7 days: the latest of 2026-11-12 is late, not stale (AIMS704).
        ({"observations": [flow({"on": "2026-11-12", "value": 0.9})]}, ("met", ["M-1", "M-2"], "")),
        (
            {"observations": [flow({"on": "2026-11-11", "value": 0.9})]},
            (
                "missing",
                ["M-2"],
                "Monitor M-1 is stale: its latest observation is of 2026-11-11, and one is "
                "due every 7 days",
            ),
        ),
        (
            {},
            (
                "missing",
                ["M-2"],
                "Monitor M-1 is stale: it has no observation, and one is due every 7 days",
            ),
        ),
        (
            {"observations_file": "evidence/missing.csv"},
            ("missing", ["M-2"], "the observations of Monitor M-1 cannot be read"),
        ),
        # One dated after the as-of date (AIMS508) cannot have been observed yet: it may
        # be the latest, or a breach, so the monitoring is not shown carried out.
        (
            {
                "observations": [
                    flow({"on": "2026-11-25", "value": 0.9}),
                    flow({"on": "2026-11-27", "value": 0.1}),
                ]
            },
            (
                "missing",
                ["M-2"],
                "1 observation of Monitor M-1 cannot be used (the first at observations entry 2)",
            ),
        ),
    ],
)
def test_art_72_is_not_met_by_a_monitor_that_has_stopped(
    make_repo: Any, cli: Any, observations: dict[str, Any], expected: tuple[str, list[str], str]
) -> None:
    """A monitor AIMS704 finds stale, whose observations AIMS708 cannot read, or with
    one dated after the as-of date, met Art. 72 (post-market monitoring) as if it were
    carried out."""
    current = [flow({"on": "2026-11-25", "value": 0.9})]
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider"),
        "monitors/m.yaml": [
            monitor("M-1", system="S", **observations),
            monitor("M-2", system="S", observations=current),
        ],
    }
    root = _repo(make_repo, files)
    assert _by_system(_derive(root))["S"]["eu-ai-act-art-72"] == expected
    validated = cli("validate", root, "--as-of", AS_OF, "--no-cache").stdout
    stopped = any(code in validated for code in ("AIMS704", "AIMS708", "AIMS508"))
    assert stopped == (expected[0] != "met")


def test_art_73_is_met_only_by_reports_made_by_the_deadline(make_repo: Any) -> None:
    # AIMS706 reports a late report and one dated before the detection; obligations
    # showed both as met. 15 days from the detection, 2026-06-02, is 2026-06-17.
    def serious(incident_id: str, on: str) -> Record:
        report = flow({"to": "Market surveillance", "on": on, "authority": True})
        return incident(incident_id, systems=["S"], serious=True, reports=[report])

    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider"),
        "incidents/i.yaml": [
            serious("INC-1", "2026-06-17"),  # the last day: in time
            serious("INC-2", "2026-06-18"),  # a day late
            serious("INC-3", "2026-05-20"),  # before the detection
        ],
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-73"] == (
        "missing",
        ["INC-1", "INC-2"],
        "serious incidents not reported to an authority: INC-3; serious incidents reported "
        "after the Art. 73 deadline: INC-2 (due 2026-06-17, reported 2026-06-18)",
    )


def test_an_unreported_serious_incident_is_missing_before_production_too(
    make_repo: Any,
) -> None:
    # "open" means "to do before use"; a report owed for an incident that happened in
    # validation is not, and validate's AIMS706 fails for it at the same time.
    report = flow({"to": "Market surveillance", "on": "2026-06-18", "authority": True})
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", "validation", eu_ai_act="high", eu_role="provider"),
        "incidents/i.yaml": incident("INC-1", systems=["S"], serious=True, reports=[report]),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-73"][0] == "missing"
    assert found["eu-ai-act-art-9"][0] == "open"  # a duty before use stays open


def test_art_73_has_nothing_to_report_without_a_serious_incident(make_repo: Any) -> None:
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider"),
        "incidents/i.yaml": incident("INC-1", systems=["S"]),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-73"] == ("nothing-to-report", [], "no serious incident recorded")


def test_documentation_the_soa_calls_unfinished_does_not_meet_art_11(make_repo: Any) -> None:
    """Art. 11 read "met" from the documentation a system lists while the Statement of
    Applicability recorded A.6.2.7 (technical documentation) as partial: the file not
    finished. The control now has to be in place for the system, as A.4.6 is for Art.
    4; with none recorded, or one partial, Art. 11 and Art. 13 are not met."""
    provider = system(
        "S",
        documentation=["docs/s.md"],
        instructions="Read the score with the file.",
        regulation={"eu_ai_act": "high", "eu_role": "provider"},
    )
    files: dict[str, FileContent] = {"systems/s.yaml": provider, "docs/s.md": "# S\n"}
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-11"][1:] == (
        ["S"],
        "Control A.6.2.7 is excluded (applicable: false)",
    )
    files["controls/annex-a.yaml"] = _soa_applying(
        {"A.6.2.7": "status: partial\n", "A.8.2": "status: implemented\nsystems: [OTHER]\n"}
    )
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["eu-ai-act-art-11"][1:] == (
        ["S", "A.6.2.7"],
        "Control A.6.2.7 is partial, not implemented",
    )
    assert found["eu-ai-act-art-13"][1:] == (["S"], "Control A.8.2 applies to OTHER only")


def test_art_27_is_to_confirm_without_an_approved_assessment(make_repo: Any) -> None:
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="deployer"),
        "assessments/a.yaml": assessment("IA-1", system="S", status="draft"),
    }
    status, evidence, detail = _by_system(_derive(_repo(make_repo, files)))["S"]["eu-ai-act-art-27"]
    assert (status, evidence) == ("confirm", [])
    assert detail.startswith("applies only if the deployer is a public body")
    assert detail.endswith(": no approved ImpactAssessment of the system")


@pytest.mark.parametrize(
    ("approval", "with_role", "said"),
    [
        (None, False, "IA-1 says approved without recording the approval (by, on)"),
        ({"by": "cro@acme.example", "on": "2026-12-10"}, False, "IA-1 is approved only on"),
        ({"by": "intern@acme.example", "on": "2026-06-01"}, True, "who holds no Role"),
    ],
)
def test_art_27_counts_an_approval_only_as_aims401_does(
    make_repo: Any, approval: dict[str, str] | None, with_role: bool, said: str
) -> None:
    """An assessment marked approved whose approval is missing, later than the as-of
    date or given by someone holding no Role is no approved assessment: AIMS401 says
    so, and Art. 27 was shown met on it."""
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="deployer"),
        "assessments/a.yaml": assessment("IA-1", system="S", approval=approval),
    }
    if with_role:
        files["roles/r.yaml"] = role("ROLE-1")
    status, evidence, detail = _by_system(_derive(_repo(make_repo, files)))["S"]["eu-ai-act-art-27"]
    assert (status, evidence) == ("confirm", [])
    assert said in detail


def test_art_27_is_not_met_by_an_assessment_past_its_review(make_repo: Any) -> None:
    """An approved assessment whose review date had passed was shown as meeting Art.
    27, while AIMS401 called it expired and `due` listed its review as late."""
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="deployer"),
        "assessments/a.yaml": assessment("IA-1", system="S", next_review="2026-11-25"),
    }
    status, evidence, detail = _by_system(_derive(_repo(make_repo, files)))["S"]["eu-ai-act-art-27"]
    assert (status, evidence) == ("confirm", [])
    assert detail.endswith(": approved IA-1 expired on 2026-11-25")
    files["assessments/b.yaml"] = assessment("IA-2", system="S", next_review="2027-11-25")
    # A current one beside it meets it.
    found = _by_system(_derive(_repo(make_repo, files)))["S"]["eu-ai-act-art-27"]
    assert found == ("met", ["IA-2"], f"where it applies: only if {ART_27_IF}")


def _soa_applying(rows: dict[str, str], why: str = "Staff use AI.") -> str:
    """Every Annex A control excluded but those of ``rows``, applicable, each with the
    lines given (its status, its scope)."""
    others = [d for d in EXCLUDED_SOA.split("---\n") if not any(f"id: {c}\n" in d for c in rows)]
    applying = [
        f"kind: Control\nid: {control_id}\napplicable: true\njustification: {why}\n"
        f"owner: hr@acme.example\n{lines}"
        "evidence: [{path: aims.yaml, description: competence matrix}]\n"
        for control_id, lines in rows.items()
    ]
    return "---\n".join([*others, *applying])


def _soa_with_literacy(status: str, scope: str = "", why: str = "Staff use AI.") -> str:
    """Every Annex A control excluded but A.4.6 (human resources), applicable."""
    return _soa_applying({"A.4.6": f"status: {status}\n{scope}"}, why)


@pytest.mark.parametrize(
    ("soa", "expected"),
    [
        (EXCLUDED_SOA, ("missing", [], "Control A.4.6 is excluded (applicable: false)")),
        (_soa_with_literacy("implemented"), ("met", ["A.4.6"], "")),
        (
            _soa_with_literacy("planned"),
            ("missing", ["A.4.6"], "Control A.4.6 is planned, not implemented"),
        ),
        (
            _soa_with_literacy("implemented", "systems: [OTHER]\n"),
            ("missing", [], "Control A.4.6 applies to OTHER only"),
        ),
        (
            # A row still the starter's placeholder decides nothing (`aimsctl controls`
            # lists it undecided), whatever status it was given.
            _soa_with_literacy("implemented", why="'TODO: say why this control applies'"),
            ("missing", [], "Control A.4.6 is not decided: its justification is a placeholder"),
        ),
    ],
)
def test_ai_literacy_is_met_by_control_a_4_6_implemented_for_the_system(
    make_repo: Any, soa: str, expected: tuple[str, list[str], str]
) -> None:
    files: dict[str, FileContent] = {
        "controls/annex-a.yaml": soa,
        "systems/s.yaml": _regulated("S", eu_ai_act="minimal", eu_role="deployer"),
    }
    assert _by_system(_derive(_repo(make_repo, files)))["S"] == {LITERACY: expected}


def test_ai_literacy_applies_from_2_february_2025(make_repo: Any) -> None:
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="deployer"),
    }
    found = _by_system(_derive(_repo(make_repo, files), date(2025, 2, 1)))["S"]
    assert found[LITERACY] == ("not-in-force", [], "applies from 2025-02-02")


def test_a_tag_does_not_make_a_stale_bias_audit_current(make_repo: Any) -> None:
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", nyc_aedt=True),
        "evaluations/e.yaml": evaluation(
            "E-1",
            system="S",
            tags=["bias-audit", "nyc-ll144-bias-audit"],
            performed=flow({"on": "2025-01-10", "by": "auditor@audit.example"}),
        ),
    }
    status, evidence, detail = _by_system(_derive(_repo(make_repo, files)))["S"][
        "nyc-ll144-bias-audit"
    ]
    assert (status, evidence) == ("missing", ["E-1"])
    assert detail.startswith("the latest bias audit, E-1, was performed on 2025-01-10")


def test_a_tagged_record_of_another_system_is_not_evidence(make_repo: Any) -> None:
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", nyc_aedt=True),
        "systems/t.yaml": _regulated("T", nyc_aedt=True),
        "controls/org.yaml": control(
            "ORG-1", status="implemented", systems=["T"], tags=["nyc-ll144-notice"]
        ),
    }
    found = _by_system(_derive(_repo(make_repo, files)))
    assert found["S"]["nyc-ll144-notice"][0] == "missing"
    assert found["T"]["nyc-ll144-notice"][:2] == ("met", ["ORG-1"])


def _current_audit() -> Record:
    """An independent bias audit of system S, current on TODAY."""
    performed = flow({"on": "2026-09-01", "by": "auditor@audit.example"})
    return evaluation("E-AUDIT", system="S", tags=["bias-audit"], performed=performed)


def test_the_published_summary_needs_a_current_audit_and_a_tagged_record(
    make_repo: Any,
) -> None:
    # A summary is published of the latest audit: with no audit there is nothing a
    # candidate could read; with an audit and no record of its publication, nothing
    # shows it was published.
    tagged = control("ORG-1", status="implemented", systems=["S"], tags=["nyc-ll144-summary"])
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", nyc_aedt=True),
        "controls/org.yaml": [tagged],
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-summary"] == (
        "missing",
        ["ORG-1"],
        "no bias audit (an Evaluation tagged bias-audit or with impact ratios)",
    )
    files["evaluations/a.yaml"] = _current_audit()
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-summary"] == ("met", ["E-AUDIT", "ORG-1"], "")
    files["controls/org.yaml"] = [control("ORG-1", status="implemented", systems=["S"])]
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-summary"] == (
        "missing",
        ["E-AUDIT"],
        "no record of the system is tagged nyc-ll144-summary",
    )


@pytest.mark.parametrize("applicable", [True, False])
def test_a_tagged_control_that_is_not_decided_is_not_evidence(
    make_repo: Any, applicable: bool
) -> None:
    # A Control whose justification is still the starter's placeholder decides nothing
    # (aimsctl controls lists it undecided), whatever its applicable and status say.
    placeholder = {
        "applicable": applicable,
        "justification": "TODO: say why this control applies",
        "status": "implemented",
        "systems": ["S"],
    }
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", nyc_aedt=True),
        "controls/org.yaml": [
            control("ORG-1", **placeholder, tags=["nyc-ll144-notice", "nyc-ll144-summary"]),
            control("ORG-2", status="implemented", systems=["S"], tags=["nyc-ll144-summary"]),
        ],
        "evaluations/audit.yaml": _current_audit(),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-notice"] == (
        "missing",
        [],
        "no record of the system is tagged nyc-ll144-notice but Control ORG-1, which is "
        "not decided: its justification is a placeholder",
    )
    assert found["nyc-ll144-summary"] == ("met", ["E-AUDIT", "ORG-2"], "")


def test_a_tagged_control_that_puts_nothing_in_place_is_not_evidence(make_repo: Any) -> None:
    # Excluded, or applying but not implemented: the tag says what the control is
    # for, not that it is done.
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", nyc_aedt=True),
        "controls/org.yaml": [
            control(
                "ORG-1",
                applicable=False,
                justification="We publish no notice.",
                systems=["S"],
                tags=["nyc-ll144-notice"],
            ),
            control("ORG-2", status="partial", systems=["S"], tags=["nyc-ll144-notice"]),
            control("ORG-3", status="partial", systems=["S"], tags=["nyc-ll144-summary"]),
            control("ORG-4", status="implemented", systems=["S"], tags=["nyc-ll144-summary"]),
        ],
        "evaluations/audit.yaml": _current_audit(),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-notice"] == (
        "missing",
        [],
        "no record of the system is tagged nyc-ll144-notice but Control ORG-1, which is "
        "excluded (applicable: false); Control ORG-2, which is partial, not implemented",
    )
    assert found["nyc-ll144-summary"] == ("met", ["E-AUDIT", "ORG-4"], "")


def test_the_json_shape_is_stable(make_repo: Any) -> None:
    root = _repo(make_repo, {"systems/s.yaml": _regulated("S", nyc_aedt=True)})
    shape = _derive(root).as_json()
    assert shape["version"] == 1 and shape["as_of"] == AS_OF
    [entry] = shape["systems"]
    assert entry["id"] == "S" and entry["path"] == "systems/s.yaml"
    assert entry["regulation"]["nyc_aedt"] is True
    first = entry["obligations"][0]
    assert set(first) == {
        "id",
        "law",
        "article",
        "title",
        "summary",
        "source",
        "status",
        "detail",
        "in_force",
        "only_if",
        "evidence",
    }
    assert first["status"] in STATUSES


def test_the_systems_report_shows_each_systems_obligations() -> None:
    from aimsctl.reports import systems

    context = systems.build(load_repository(EXAMPLE, TODAY), None)
    by_id = {s["id"]: s for s in context["systems"]}
    assert by_id["SYS-HIRE"]["obligations"][3] == {
        "law": "NYC Local Law 144",
        "article": "Bias audit",
        "title": "Independent bias audit no more than one year before use",
        "status": "met",
        "evidence": ["EVAL-HIRE-2026"],
        "detail": "",
    }
    assert [o["article"] for o in by_id["SYS-TRIAGE"]["obligations"]][:3] == [
        "Art. 4",
        "Art. 9",
        "Art. 10",
    ]
    assert by_id["SYS-CHURN"]["obligations"] == []  # retired


def test_the_html_systems_report_has_an_obligations_table(tmp_path: Path) -> None:
    from aimsctl.reports import Provenance, render_reports

    repo = load_repository(EXAMPLE, TODAY)
    provenance = Provenance("Northwind", repo.config.scope, TODAY, "0" * 40)
    html = render_reports(repo, ["systems"], "html", provenance, out=tmp_path)["systems.html"]
    assert "<caption>Regulatory obligations of SYS-HIRE</caption>" in html
    assert (
        '<tr><th scope="row">NYC Local Law 144 Bias audit: Independent bias audit no more '
        "than one year before use</th><td>met</td><td>EVAL-HIRE-2026</td><td>—</td></tr>"
    ) in html
    assert "<caption>Regulatory obligations of SYS-CHURN</caption>" not in html


def test_a_law_none_of_whose_places_the_system_names_gets_a_note(make_repo: Any) -> None:
    files: dict[str, FileContent] = {
        "systems/s.yaml": system(
            "S",
            stage="production",
            jurisdictions=["US-CA"],
            regulation={"nyc_aedt": True, "eu_ai_act": "limited", "eu_role": "deployer"},
        ),
        "systems/t.yaml": system(
            "T",
            stage="production",
            jurisdictions=["FR"],
            regulation={"eu_ai_act": "limited", "eu_role": "deployer"},
        ),
        # Places in small letters are the same places: no note (there was one).
        "systems/v.yaml": system(
            "V",
            stage="production",
            jurisdictions=["eu", "us-nyc"],
            regulation={"nyc_aedt": True, "eu_ai_act": "limited", "eu_role": "deployer"},
        ),
        # No jurisdictions recorded: nothing to compare, no note.
        "systems/u.yaml": _regulated("U", nyc_aedt=True),
    }
    result = _derive(_repo(make_repo, files))
    notes = {entry.system.id: entry.notes for entry in result.systems}
    assert notes == {
        "S": (
            "EU AI Act obligations follow from its regulation fields, but its jurisdictions "
            "(US-CA) name none of the places the law covers (EU, AT, BE ...): check both",
            "NYC Local Law 144 obligations follow from its regulation fields, but its "
            "jurisdictions (US-CA) name none of the places the law covers (US-NYC): check both",
        ),
        "T": (),
        "U": (),
        "V": (),
    }
    assert result.as_json()["systems"][0]["notes"] == list(notes["S"])


def test_a_high_risk_or_gpai_class_without_a_role_gets_a_note(make_repo: Any, cli: Any) -> None:
    # Every obligation of these classes names a role: without one, none was listed and
    # nothing said why, as if a high-risk system owed nothing.
    files: dict[str, FileContent] = {
        "systems/h.yaml": _regulated("H", eu_ai_act="high"),
        "systems/g.yaml": _regulated("G", eu_ai_act="gpai"),
        "systems/l.yaml": _regulated("L", eu_ai_act="limited"),
        "systems/m.yaml": _regulated("M", eu_ai_act="minimal"),
        "systems/d.yaml": _regulated("D", eu_ai_act="minimal", eu_role="deployer"),
    }
    # Art. 4 binds a provider or deployer of a limited or minimal system too: without
    # a role it was dropped without a word (minimal said "no obligation derived").
    literacy = (
        "without `eu_role`: Art. 4 depends on the organization's role (provider, deployer, "
        "importer or distributor), so it is not listed: set `regulation.eu_role`"
    )
    root = _repo(make_repo, files)
    notes = {entry.system.id: entry.notes for entry in _derive(root).systems}
    assert notes == {
        "G": (
            "EU AI Act class gpai without `eu_role`: its obligations depend on the "
            "organization's role (provider, deployer, importer or distributor), so none of "
            "them is listed: set `regulation.eu_role`",
        ),
        "H": (
            "EU AI Act class high without `eu_role`: its obligations depend on the "
            "organization's role (provider, deployer, importer or distributor), so none of "
            "them is listed: set `regulation.eu_role`",
        ),
        "L": (
            "EU AI Act class limited without `eu_role`: Art. 4 and Art. 50 depend on the "
            "organization's role (provider, deployer, importer or distributor), so they are "
            "not listed: set `regulation.eu_role`",
        ),
        "M": (f"EU AI Act class minimal {literacy}",),
        "D": (),
    }
    shown = cli("obligations", "H", root, "--as-of", AS_OF).stdout
    assert "  note: EU AI Act class high without `eu_role`" in shown


def test_a_jurisdictions_condition_needs_one_of_its_places() -> None:
    from aimsctl.catalog.obligations import Law, Spec
    from aimsctl.obligations import applies
    from aimsctl.records import AISystem

    spec = Spec(
        id="x",
        law=Law("x", "X", "source"),
        article="1",
        title="t",
        summary="s",
        when={"jurisdictions": ["US-CO"], "colorado_consequential": True},
    )

    def made(jurisdictions: list[str], flag: bool) -> AISystem:
        return AISystem.model_validate(
            system("S", jurisdictions=jurisdictions, regulation={"colorado_consequential": flag})
        )

    assert applies(spec, made(["US-CO", "US-TX"], True))
    assert not applies(spec, made(["US-TX"], True))
    assert not applies(spec, made(["US-CO"], False))


def test_art_4_is_evidenced_by_the_crosswalks_analytic_match_and_the_docs_say_so() -> None:
    """Art. 4 is met by A.4.6, the control the crosswalk links to Art. 4; that link is
    analytic (no authority maps ISO/IEC 42001 to the EU AI Act), and docs/obligations.md
    says so rather than presenting it as a published mapping."""
    from aimsctl.catalog.crosswalk import crosswalk
    from aimsctl.obligations import LITERACY_CONTROL

    links = [link for link in crosswalk().links if link.target == "Art. 4"]
    assert [link.control for link in links] == [LITERACY_CONTROL]
    assert all(link.analytic for link in links)
    docs = (PROJECT / "docs" / "obligations.md").read_text("utf-8")
    row = next(line for line in docs.splitlines() if "Art. 4 AI literacy" in line)
    assert "analytic" in row


def test_a_tag_counts_only_on_a_record_that_shows_something_done(make_repo: Any) -> None:
    # The system's own tag, a risk that records the gap, a planned treatment, a failed
    # evaluation or an incident met the obligation they are tagged with.
    tag = {"tags": ["nyc-ll144-notice"]}
    treated = {
        "option": "mitigate",
        "controls": ["ORG-9"],
        "plan": "Send the notice.",
        "due": "2026-05-01",
        "owner": "risk@acme.example",
    }
    files: dict[str, FileContent] = {
        "systems/s.yaml": system("S", stage="production", regulation={"nyc_aedt": True}, **tag),
        "controls/org.yaml": control("ORG-9", status="partial", systems=["S"]),
        "risks/gap.yaml": risk("R-1", systems=["S"], **tag),
        "risks/planned.yaml": risk("R-2", systems=["S"], treatment=treated, **tag),
        "evaluations/e.yaml": evaluation(
            "EVAL-1",
            system="S",
            metrics=[
                {"name": "notices", "dimension": "safety", "value": 0.5, "threshold": {"min": 1}}
            ],
            **tag,
        ),
        "incidents/i.yaml": incident("INC-1", systems=["S"], **tag),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-notice"] == (
        "missing",
        [],
        "no record of the system is tagged nyc-ll144-notice but Evaluation EVAL-1, which "
        "failed; Incident INC-1: only a Control in force, a Risk whose treatment is in place "
        "or an Evaluation evidences a tagged obligation; Risk R-1, whose treatment is not in "
        "place (not completed, nor carried out by implemented controls); Risk R-2, whose "
        "treatment is not in place (not completed, nor carried out by implemented "
        "controls); S itself, whose tag says what it owes, not what is done",
    )
    # Done: the treatment completed, the evaluation passed.
    files["risks/planned.yaml"] = risk(
        "R-2", systems=["S"], treatment={**treated, "completed": "2026-04-20"}, **tag
    )
    files["evaluations/e.yaml"] = evaluation("EVAL-1", system="S", **tag)
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-notice"][:2] == ("met", ["EVAL-1", "R-2"])


def test_a_bias_audit_the_systems_owner_performed_is_not_independent(make_repo: Any) -> None:
    # The obligation is an independent audit: one run by the system's owner (by name,
    # in another letter case, or as the role they hold) was met.
    def audit(record_id: str, on: str, by: str) -> Record:
        performed = flow({"on": on, "by": by})
        return evaluation(record_id, system="S", tags=["bias-audit"], performed=performed)

    files: dict[str, FileContent] = {
        "systems/s.yaml": system(
            "S", owner="talent@acme.example", stage="production", regulation={"nyc_aedt": True}
        ),
        "roles/r.yaml": role("ROLE-TALENT", title="Head of talent", holder="talent@acme.example"),
        "evaluations/a.yaml": audit("E-1", "2026-09-01", "ROLE-TALENT"),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-bias-audit"] == (
        "missing",
        [],
        "the latest bias audit, E-1, was performed by 'ROLE-TALENT', who is (or may be) the "
        "system's owner 'talent@acme.example': the audit must be independent of the system",
    )
    # An independent audit within the year still counts beside a later one of the owner.
    files["evaluations/b.yaml"] = audit("E-0", "2026-03-01", "auditor@audit.example")
    files["evaluations/a.yaml"] = audit("E-1", "2026-09-01", "Talent@ACME.example")
    found = _by_system(_derive(_repo(make_repo, files)))["S"]
    assert found["nyc-ll144-bias-audit"][:2] == ("met", ["E-0"])


def test_art_26_needs_event_logs_and_information_for_users_in_force(make_repo: Any) -> None:
    # Art. 26 was met by oversight and a monitor, beside event logs and information
    # for users (A.6.2.8, A.8.2) excluded for the system.
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="deployer"),
        "monitors/m.yaml": monitor("MON-1", system="S"),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]["eu-ai-act-art-26"]
    assert found[0] == "missing"
    assert found[2].endswith(
        "Control A.6.2.8 is excluded (applicable: false); Control A.8.2 is excluded "
        "(applicable: false)"
    )


def test_art_10_is_not_met_by_provenance_beside_a_partial_data_provenance_control(
    make_repo: Any,
) -> None:
    # Any provenance text met Art. 10 while the SoA recorded A.7.5 partial and A.7.4
    # excluded for every system.
    data = [{"name": "d", "stage": "training", "source": "CRM", "provenance": "Unknown."}]
    files: dict[str, FileContent] = {
        "systems/s.yaml": system(
            "S",
            stage="production",
            data=data,
            regulation={"eu_ai_act": "high", "eu_role": "provider"},
        ),
        "controls/annex-a.yaml": _soa_applying({"A.7.5": "status: partial\n"}),
    }
    found = _by_system(_derive(_repo(make_repo, files)))["S"]["eu-ai-act-art-10"]
    assert found == (
        "missing",
        ["S", "A.7.5"],
        "Control A.7.4 is excluded (applicable: false); Control A.7.5 is partial, not implemented",
    )


def test_a_control_an_open_nonconformity_records_as_not_met_is_not_in_force(
    tmp_path: Path,
) -> None:
    # The organization's own nonconformity against A.8.2, still being verified, says
    # the control is not met, as readiness reads it: Art. 13 and Art. 26, which rely on
    # it, are not met on its `status: implemented`.
    root = tmp_path / "org"
    shutil.copytree(EXAMPLE, root)
    nonconformity = root / "nonconformities" / "NC-2026-01.yaml"
    text = nonconformity.read_text(encoding="utf-8")
    nonconformity.write_text(text.replace("reference: A.8.4", "reference: A.8.2"), "utf-8")
    found = _by_system(_derive(root, ids=["SYS-HIRE", "SYS-TRIAGE"]))
    why = (
        "Control A.8.2 is implemented, but NC-2026-01 records it as not met and is "
        "verifying, not closed"
    )
    # Listed, as a control under way is, with why it does not count.
    assert found["SYS-TRIAGE"]["eu-ai-act-art-13"] == ("open", ["SYS-TRIAGE", "A.8.2"], why)
    assert found["SYS-HIRE"]["eu-ai-act-art-26"] == (
        "missing",
        ["SYS-HIRE", "MON-HIRE-IMPACT", "A.6.2.8", "A.8.2"],
        why,
    )
    # A tagged Risk whose treatment relies on that control evidences nothing either.
    risk_file = root / "risks" / "R-005.yaml"
    text = risk_file.read_text(encoding="utf-8")
    assert "completed:" in text and "controls: [" in text
    text = re.sub(r"controls: \[[^\]]*\]", "controls: [A.8.2]", text)
    risk_file.write_text(text, "utf-8")
    notice = _by_system(_derive(root, ids=["SYS-HIRE"]))["SYS-HIRE"]["nyc-ll144-notice"]
    assert notice == (
        "missing",
        [],
        "no record of the system is tagged nyc-ll144-notice but Risk R-005, whose "
        "treatment relies on Control A.8.2: NC-2026-01 records it as not met and is "
        "verifying, not closed",
    )


def test_a_system_in_an_eu_jurisdiction_with_no_eu_ai_act_class_gets_a_note(
    make_repo: Any,
) -> None:
    """A production system listing `EU` in its jurisdictions, with no `regulation` (or
    none for the EU AI Act), showed "no obligation derived" and no note, as if it owed
    nothing under the Act. It now says to classify it; a system classified (even
    `not-applicable`), outside the Act's places, or retired gets no such note."""
    files: dict[str, FileContent] = {
        "systems/a.yaml": system("A", stage="production", jurisdictions=["EU", "US-NYC"]),
        "systems/b.yaml": system(
            "B", stage="production", jurisdictions=["de"], regulation={"nyc_aedt": True}
        ),
        "systems/c.yaml": _regulated("C", eu_ai_act="not-applicable") | {"jurisdictions": ["EU"]},
        "systems/d.yaml": system("D", stage="production", jurisdictions=["US-CA"]),
        "systems/e.yaml": system("E", stage="retired", jurisdictions=["EU"]),
    }
    root = _repo(make_repo, files)
    notes = {entry.system.id: entry.notes for entry in _derive(root, ids=list("ABCDE")).systems}
    said = (
        "its jurisdictions ({}) name places the EU AI Act covers, but no "
        "`regulation.eu_ai_act` class is recorded, so none of its obligations is derived: "
        "classify the system (`not-applicable` if the Act does not apply to it)"
    )
    assert notes["A"] == (said.format("EU, US-NYC"),)
    assert notes["B"][0] == said.format("de")
    assert notes["C"] == notes["D"] == notes["E"] == ()


def test_an_unreported_serious_incident_within_its_deadline_is_open_not_missing(
    make_repo: Any,
) -> None:
    """An incident detected four days before the as-of date, its 15-day report not yet
    due, made Art. 73 "missing" while `due` said "in 11 days" and validate reported
    nothing (the review's reproduction). It is open until the deadline passes."""
    files: dict[str, FileContent] = {
        "systems/s.yaml": _regulated("S", eu_ai_act="high", eu_role="provider"),
        "incidents/i.yaml": incident(
            "INC-1", systems=["S"], serious=True, occurred="2026-05-15", detected="2026-05-16"
        ),
    }
    root = _repo(make_repo, files)
    pending = _by_system(_derive(root, date(2026, 5, 20)))["S"]["eu-ai-act-art-73"]
    assert pending == (
        "open",
        [],
        "serious incidents to report to an authority, not yet due: INC-1 (by 2026-05-31)",
    )
    last_day = _by_system(_derive(root, date(2026, 5, 31)))["S"]["eu-ai-act-art-73"]
    assert last_day[0] == "open"
    overdue = _by_system(_derive(root, date(2026, 6, 1)))["S"]["eu-ai-act-art-73"]
    assert overdue == ("missing", [], "serious incidents not reported to an authority: INC-1")


def _ratios(*groups: str, value: float = 1.0) -> list[dict[str, Any]]:
    return [
        {"name": "Selection-rate impact ratio", "dimension": "fairness", "value": value,
         "threshold": flow({"min": 0.8}), "group": group}
        for group in groups
    ]  # fmt: skip


def _ratio(group: str | None, value: float, name: str = "Impact ratio") -> dict[str, Any]:
    metric = {"name": name, "dimension": "fairness", "value": value,
              "threshold": flow({"min": 0.8})}  # fmt: skip
    return metric if group is None else {**metric, "group": group}


@pytest.mark.parametrize(
    ("metrics", "counts"),
    [
        # What bias-audit --record wrote for data holding one category: 1.0 by definition.
        (_ratios("sex: A"), False),
        (_ratios("sex: A", "sex: B", "race: X"), False),
        (_ratios("sex: A", "sex: B"), True),
        # A lowest ratio per dimension, as the example writes it: under 1 it compared.
        (_ratios("sex", value=0.93), True),
        (_ratios("sex"), False),
        # Hand-written groups: plain names, or `dimension: category` spaced any way.
        ([_ratio("Female", 1.0), _ratio("Male", 0.85)], True),
        ([_ratio("sex:Female", 1.0), _ratio("sex:Male", 0.85)], True),
        ([_ratio("sex :Female", 1.0), _ratio("SEX : Male", 1.0)], True),
        # Two categories compared even when both ratios are 1 (equal rates)...
        ([_ratio("sex: Female", 1.0), _ratio("sex: Male", 1.0)], True),
        # ...but groups without a dimension may be dimensions' lowest ratios: at 1 each,
        # nothing shows a comparison.
        ([_ratio("Female", 1.0), _ratio("Male", 1.0)], False),
        (
            [_ratio("sex", 1.0, "Lowest impact ratio"), _ratio("race", 1.0, "Lowest impact ratio")],
            False,
        ),
        # A ratio above 1, against a reference group, is a comparison too.
        ([_ratio("sex: Male", 1.2)], True),
        # The metric's name in other spellings is still an impact ratio, and judged.
        ([_ratio("sex: A", 1.0, "Impact-ratio")], False),
        ([_ratio("sex: A", 1.0, "impact_ratio")], False),
        ([_ratio("sex: A", 1.0, "impact_ratio"), _ratio("sex: B", 0.9, "Impact-ratio")], True),
        # One category written twice (spacing, letter case): still one category.
        ([_ratio("Female", 1.0), _ratio(" female ", 1.0)], False),
        ([_ratio("sex: Female", 1.0), _ratio("sex:  FEMALE", 1.0)], False),
        # A lowest ratio of exactly 1 cannot be told from a category alone.
        ([_ratio("Lowest impact ratio", 1.0)], False),
        ([_ratio(None, 1.0)], False),
        # Tagged only, no impact ratio at all: taken as written.
        ([_ratio(None, 0.9, "Selection rate")], True),
    ],
)
def test_hand_written_bias_audits_are_judged_by_what_they_compare(
    make_repo: Any, cli: Any, metrics: list[dict[str, Any]], counts: bool
) -> None:
    performed = flow({"on": "2026-09-01", "by": "auditor@audit.example"})
    root = _repo(
        make_repo,
        {
            "systems/s.yaml": _regulated("S", nyc_aedt=True),
            "evaluations/a.yaml": evaluation("E-AUDIT", system="S", performed=performed,
                                             metrics=metrics, tags=["bias-audit"]),
        },
    )  # fmt: skip
    shown = " ".join(cli("obligations", "S", root, "--as-of", AS_OF).stdout.split())
    validated = " ".join(cli("validate", root, "--as-of", AS_OF, "--no-cache").stdout.split())
    due = " ".join(cli("due", root, "--as-of", AS_OF, "--within", "400").stdout.split())
    if counts:
        assert "Independent bias audit no more than one year before use met E-AUDIT" in shown
        assert "AIMS802" not in validated
        assert "next bias audit" in due
        return
    assert "Independent bias audit no more than one year before use missing" in shown
    assert "the latest bias audit, E-AUDIT, compares fewer than two categories in" in shown
    assert "record each category's ratio" in shown
    assert "E-AUDIT, was performed on 2026-09-01 and compares fewer than two" in validated
    assert "a bias audit (E-AUDIT compares fewer than two categories" in due
