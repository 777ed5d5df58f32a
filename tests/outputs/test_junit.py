"""JUnit XML output: one test case per checked file, failures per error, counts right."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.outputs.validation.junit import render

E, W = Severity.ERROR, Severity.WARNING


def sample() -> ValidationResult:
    return ValidationResult(
        repository="/srv/governance",
        records=5,
        files=5,
        diagnostics=[
            Diagnostic("AIMS202", E, "no Control record for A.2.2", "aims.yaml", 1, 1),
            Diagnostic("AIMS102", E, "status is 'opne'", "risks/R-1.yaml", 8, 9, "R-1"),
            Diagnostic(
                "AIMS103", E, "missing required field 'owner'", "risks/R-1.yaml", 1, 1, "R-1"
            ),
            Diagnostic("AIMS104", W, "unknown field 'stauts'", "risks/R-2.yaml", 8, 1, "R-2"),
        ],
        waived=[
            Diagnostic(
                "AIMS104",
                E,
                "unknown field 'x'",
                "systems/SYS-A.yaml",
                3,
                1,
                "SYS-A",
                waived_by="WVR-7",
            ),
        ],
        paths=[
            "risks/R-1.yaml",
            "risks/R-2.yaml",
            "risks/R-3.yaml",
            "systems/SYS-A.yaml",
            "systems/SYS-B.yaml",
        ],
    )


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_one_suite_with_a_case_per_checked_file() -> None:
    root = parse(render(sample()))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == "aimsctl validate"
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names == [
        "aims.yaml",
        "risks/R-1.yaml",
        "risks/R-2.yaml",
        "risks/R-3.yaml",
        "systems/SYS-A.yaml",
        "systems/SYS-B.yaml",
    ]
    assert all(case.get("file") is None for case in suite.findall("testcase"))  # not in the XSD


def test_counts_are_failed_cases_out_of_all_cases() -> None:
    root = parse(render(sample()))
    suite = root.find("testsuite")
    assert suite is not None
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["aims.yaml", "risks/R-1.yaml"]
    for element in (root, suite):
        assert element.get("tests") == "6"
        assert element.get("failures") == "2"
        assert element.get("errors") == "0"
    assert suite.get("skipped") == "0"
    assert root.get("skipped") is None  # the Jenkins schema has no skipped on <testsuites>


def test_a_failing_file_has_one_failure_holding_every_error() -> None:
    suite = parse(render(sample())).find("testsuite")
    assert suite is not None
    case = next(c for c in suite.findall("testcase") if c.get("name") == "risks/R-1.yaml")
    failures = [(f.get("type"), f.get("message"), f.text) for f in case.findall("failure")]
    assert failures == [
        (
            "aimsctl.validate",
            "2 errors: AIMS102, AIMS103",
            "risks/R-1.yaml:1:1: AIMS103 missing required field 'owner'\n"
            "risks/R-1.yaml:8:9: AIMS102 status is 'opne'\n",
        )
    ]
    assert case.find("system-out") is None
    single = next(c for c in suite.findall("testcase") if c.get("name") == "aims.yaml")
    failures = [(f.get("type"), f.get("message"), f.text) for f in single.findall("failure")]
    assert failures == [
        (
            "AIMS202",
            "AIMS202 no Control record for A.2.2",
            "aims.yaml:1:1: AIMS202 no Control record for A.2.2\n",
        )
    ]


def test_warnings_and_waived_findings_are_output_lines_not_failures() -> None:
    suite = parse(render(sample())).find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    warned, waived, clean = (
        cases["risks/R-2.yaml"],
        cases["systems/SYS-A.yaml"],
        cases["risks/R-3.yaml"],
    )
    assert warned.find("failure") is None
    assert warned.findtext("system-out") == (
        "risks/R-2.yaml:8:1: warning AIMS104 unknown field 'stauts'\n"
    )
    assert waived.find("failure") is None
    assert waived.findtext("system-out") == (
        "systems/SYS-A.yaml:3:1: waived AIMS104 unknown field 'x' (waiver WVR-7)\n"
    )
    assert list(clean) == []


def test_a_file_known_only_from_its_diagnostics_still_gets_a_case() -> None:
    result = ValidationResult(
        repository="/srv/g",
        records=0,
        files=1,
        diagnostics=[Diagnostic("AIMS001", E, "YAML syntax error", "bad.yaml", 2, 3)],
    )
    suite = parse(render(result)).find("testsuite")
    assert suite is not None
    assert [c.get("name") for c in suite.findall("testcase")] == ["aims.yaml", "bad.yaml"]
    assert suite.get("failures") == "1"


def test_characters_xml_cannot_carry_are_written_as_escapes_and_markup_is_escaped() -> None:
    result = ValidationResult(
        repository="/srv/g",
        records=1,
        files=1,
        diagnostics=[Diagnostic("AIMS104", E, "unknown field '\x01<b>&\"'", "a.yaml", 2, 3, "A")],
        paths=["a.yaml"],
    )
    text = render(result)
    failure = parse(text).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "AIMS104 unknown field '\\x01<b>&\"'"
    assert failure.text == "a.yaml:2:3: AIMS104 unknown field '\\x01<b>&\"'\n"


def test_names_with_line_breaks_or_controls_stay_one_line_and_apart() -> None:
    # Read back from the XML, a raw carriage return would be a line feed, and U+FFFD in
    # place of \x01 and \x02 would give two files one name.
    names = ["risks/nl\nname\r.yaml", "risks/c\x01.yaml", "risks/c\x02.yaml", "risks/n\ufffe.yaml"]
    result = ValidationResult(
        repository="/srv/g",
        records=4,
        files=4,
        diagnostics=[Diagnostic("AIMS010", W, "odd name", name, 1, 1) for name in names],
        paths=names,
    )
    suite = parse(render(result)).find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    shown = [
        "risks/nl\\nname\\r.yaml",
        "risks/c\\x01.yaml",
        "risks/c\\x02.yaml",
        "risks/n\\ufffe.yaml",
    ]
    assert sorted(cases) == sorted(["aims.yaml", *shown])
    for name in shown:
        out = cases[name].find("system-out")
        assert out is not None
        assert out.text == f"{name}:1:1: warning AIMS010 odd name\n"


def test_a_clean_repository_has_no_failures_and_output_is_stable() -> None:
    result = ValidationResult(repository="/srv/g", records=2, files=2, paths=["b.yaml", "a.yaml"])
    text = render(result)
    assert text == render(result)
    root = parse(text)
    assert root.get("tests") == "3"
    assert root.get("failures") == "0"
    assert "time" not in text


# The Jenkins JUnit schema (xunit plugin, MIT licence kept in the file) as pytest's own
# test suite has it: testing/example_scripts/junit-10.xsd of the pytest 9.0.3 sdist.
# The pytest wheel does not ship it, so a copy lives here.
JUNIT_XSD = Path(__file__).resolve().parents[1] / "data" / "junit-10.xsd"


def junit_schema() -> Any:
    """The Jenkins JUnit schema pytest validates its own --junitxml against."""
    import xmlschema

    return xmlschema.XMLSchema10(JUNIT_XSD)


@pytest.mark.parametrize(
    "result",
    [
        sample(),
        ValidationResult(repository="/srv/g", records=0, files=0),
        replace(sample(), source_prefix="governance/"),
    ],
    ids=["findings", "clean", "in-a-subfolder"],
)
def test_output_is_valid_against_the_jenkins_junit_schema(result: ValidationResult) -> None:
    schema = junit_schema()
    errors = [str(e) for e in schema.iter_errors(render(result))]
    assert not errors, "\n".join(errors[:3])


def test_a_governance_root_in_a_subfolder_names_files_from_the_git_top() -> None:
    suite = parse(render(replace(sample(), source_prefix="governance/"))).find("testsuite")
    assert suite is not None
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names[:2] == ["governance/aims.yaml", "governance/risks/R-1.yaml"]
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.text is not None
    assert failure.text.startswith("governance/aims.yaml:1:1: AIMS202 ")
