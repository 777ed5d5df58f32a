"""SARIF 2.1.0 output: valid against the OASIS schema, every rule listed, stable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aimsctl import codes
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.formats import VALIDATE
from aimsctl.outputs.validation.sarif import render, rule_descriptor
from aimsctl.rules import Rule, all_rules

PROJECT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = PROJECT / ".." / "shared" / "data" / "sarif-schema-2.1.0.json"


def sarif_validator() -> Any:
    """A jsonschema validator for the official SARIF schema, of the draft it declares."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (the shared data folder)")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft7Validator  # the schema declares draft-07
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sample() -> ValidationResult:
    return ValidationResult(
        repository="/srv/governance",
        records=4,
        files=4,
        diagnostics=[
            Diagnostic("AIMS001", Severity.ERROR, "YAML syntax error", "risks/R-3.yaml", 4, 1),
            Diagnostic(
                "AIMS102",
                Severity.ERROR,
                "status is 'opne'",
                "risks/R-1.yaml",
                8,
                9,
                "R-1",
                "/status",
            ),
            Diagnostic(
                "AIMS104",
                Severity.WARNING,
                "unknown field 'stauts'",
                "risks/folder with space/R-2.yaml",
                8,
                1,
                "R-2",
                "/stauts",
            ),
        ],
        waived=[
            Diagnostic(
                "AIMS104",
                Severity.ERROR,
                "unknown field 'x'",
                "systems/SYS-A.yaml",
                3,
                1,
                "SYS-A",
                "/x",
                waived_by="WVR-7",
            ),
        ],
        paths=[
            "risks/R-1.yaml",
            "risks/R-3.yaml",
            "risks/folder with space/R-2.yaml",
            "systems/SYS-A.yaml",
        ],
    )


def run_of(text: str) -> dict[str, Any]:
    log = json.loads(text)
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_sample_is_valid_sarif() -> None:
    log = json.loads(render(sample()))
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    assert log["version"] == "2.1.0"


def test_an_empty_result_is_valid_sarif() -> None:
    log = json.loads(render(ValidationResult(repository="/srv/g", records=0, files=0)))
    assert not list(sarif_validator().iter_errors(log))
    assert log["runs"][0]["results"] == []


def test_driver_lists_every_rule_with_its_documentation() -> None:
    driver = run_of(render(sample()))["tool"]["driver"]
    assert driver["name"] == "aimsctl"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    rules = all_rules()
    assert [d["id"] for d in driver["rules"]] == [r.code for r in rules]
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.why
        assert descriptor["defaultConfiguration"]["level"] == str(rule.severity)
        for part in (rule.summary, rule.why, rule.fix, rule.example):
            assert part in descriptor["help"]["text"]
            assert part in descriptor["help"]["markdown"]


def test_markdown_example_fence_outlasts_backticks_in_the_example() -> None:
    example = "````yaml\nkind: Risk\n````"
    rule = Rule(codes.YAML_SYNTAX, Severity.ERROR, "s", "w", "f", example)
    markdown = rule_descriptor(rule)["help"]["markdown"]
    assert "\n`````\n````yaml\nkind: Risk\n````\n`````" in markdown


def test_results_point_at_the_relative_path_line_and_column() -> None:
    run = run_of(render(sample()))
    rules = run["tool"]["driver"]["rules"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/governance/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    by_rule = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r
        for r in run["results"]
    }
    assert len(by_rule) == 4
    result = by_rule[("AIMS102", 8)]
    assert rules[result["ruleIndex"]]["id"] == "AIMS102"
    assert result["level"] == "error"
    assert result["message"] == {"text": "status is 'opne'"}
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "risks/R-1.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 8, "startColumn": 9},
            }
        }
    ]
    assert result["properties"] == {"record": "R-1", "pointer": "/status"}
    assert "suppressions" not in result
    warning = by_rule[("AIMS104", 8)]
    assert warning["level"] == "warning"
    # A URI reference: the space is percent-encoded.
    location = warning["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "risks/folder%20with%20space/R-2.yaml"
    assert "properties" not in by_rule[("AIMS001", 4)]


def test_waived_findings_are_results_with_an_external_suppression() -> None:
    results = run_of(render(sample()))["results"]
    waived = [r for r in results if "suppressions" in r]
    assert len(waived) == 1
    assert waived[0]["ruleId"] == "AIMS104"
    assert waived[0]["level"] == "error"
    loc = waived[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert loc == "systems/SYS-A.yaml"
    assert waived[0]["suppressions"] == [{"kind": "external", "justification": "waiver WVR-7"}]


def test_results_follow_the_diagnostic_order_and_output_is_stable() -> None:
    text = render(sample())
    assert text == render(sample())
    assert text == VALIDATE.renderer("sarif")(sample(), True)  # colour never changes SARIF
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run_of(text)["results"]
    ]
    assert uris == [
        "risks/R-1.yaml",
        "risks/R-3.yaml",
        "risks/folder%20with%20space/R-2.yaml",
        "systems/SYS-A.yaml",
    ]
    assert "Time" not in text  # no startTimeUtc / endTimeUtc


def test_a_code_without_a_rule_still_gives_a_valid_result() -> None:
    result = ValidationResult(
        repository="/srv/g",
        records=1,
        files=1,
        diagnostics=[Diagnostic("AIMS999", Severity.ERROR, "from a plugin", "a.yaml", 1, 1)],
    )
    log = json.loads(render(result))
    assert not list(sarif_validator().iter_errors(log))
    assert "ruleIndex" not in log["runs"][0]["results"][0]
