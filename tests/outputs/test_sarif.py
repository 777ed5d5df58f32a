"""SARIF 2.1.0 output: valid against the OASIS schema, every rule listed, stable."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from aimsctl import codes
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.formats import VALIDATE
from aimsctl.outputs.validation.sarif import MAX_RESULTS, document, render, rule_descriptor
from aimsctl.rules import Rule, all_rules
from conftest import AS_OF, MINIMAL_CONFIG, PROJECT, CliResult, shared_file_or_skip

SARIF_SCHEMA = "data/sarif-schema-2.1.0.json"  # in the shared folder


def sarif_validator() -> Any:
    """A jsonschema validator for the official SARIF schema, of the draft it declares."""
    import jsonschema

    schema = json.loads(shared_file_or_skip(SARIF_SCHEMA).read_text(encoding="utf-8"))
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
    assert driver["fullName"].startswith("aimsctl")
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        # PascalCase, as the SARIF guidance asks: risk-above-appetite is RiskAboveAppetite.
        assert descriptor["name"] == "".join(w.capitalize() for w in rule.name.split("-"))
        assert descriptor["helpUri"].startswith(
            f"https://github.com/aimsctl/aimsctl/blob/v{driver['version']}/docs/rules.md#"
        )
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


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown page."""
    anchors = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return anchors


def test_every_rule_links_to_its_own_section_of_the_rules_page() -> None:
    anchors = github_anchors((PROJECT / "docs" / "rules.md").read_text(encoding="utf-8"))
    driver = run_of(render(sample()))["tool"]["driver"]
    links = [d["helpUri"].partition("#")[2] for d in driver["rules"]]
    assert len(set(links)) == len(links)
    assert set(links) <= anchors
    assert links[0] == "aims001-yaml-syntax"


def test_the_run_names_its_automation_and_tool() -> None:
    run = run_of(render(sample()))
    assert run["automationDetails"] == {"id": "aimsctl/validate/"}
    assert "invocations" not in run  # nothing left out


def test_each_governance_folder_of_a_repository_is_a_category_of_its_own() -> None:
    """Code scanning's category is the automation id up to its last '/', and
    upload-sarif's `category` input does not replace an id the log has: with one id
    for every folder, the upload of a second governance folder (two action runs in a
    workflow) replaced the first one's alerts."""

    def automation(prefix: str) -> str:
        result = replace(sample(), repository=f"/srv/work/{prefix}", source_prefix=prefix)
        run = run_of(render(result))
        assert not list(sarif_validator().iter_errors(json.loads(render(result))))
        value: str = run["automationDetails"]["id"]
        return value

    assert automation("") == "aimsctl/validate/"
    assert automation("eu/") == "aimsctl/validate/eu/"
    assert automation("us gov/") == "aimsctl/validate/us gov/"
    assert automation(os.fsdecode(b"gov\xff") + "/") == "aimsctl/validate/gov\\xff/"


def fingerprint_of(result: dict[str, Any]) -> str:
    fingerprints = result["partialFingerprints"]
    assert fingerprints["primaryLocationLineHash"] == fingerprints["aimsctlFinding/v1"]
    value: str = fingerprints["aimsctlFinding/v1"]
    return value


def many_at_one_place() -> ValidationResult:
    """Findings code scanning's own line hash would merge: same rule, same line."""
    return ValidationResult(
        repository="/srv/g",
        records=1,
        files=1,
        diagnostics=[
            Diagnostic("AIMS202", Severity.ERROR, "no Control record for A.2.2", "aims.yaml", 1, 1),
            Diagnostic("AIMS202", Severity.ERROR, "no Control record for A.2.3", "aims.yaml", 1, 1),
            Diagnostic(
                "AIMS103", Severity.ERROR, "missing 'owner'", "r.yaml", 1, 1, "R-1", "/owner"
            ),
            Diagnostic(
                "AIMS103", Severity.ERROR, "missing 'title'", "r.yaml", 1, 1, "R-1", "/title"
            ),
            Diagnostic(
                "AIMS103", Severity.ERROR, "missing 'title'", "r.yaml", 9, 1, "R-2", "/title"
            ),
            Diagnostic("AIMS001", Severity.ERROR, "YAML syntax error", "x.yaml", 2, 1),
            Diagnostic("AIMS001", Severity.ERROR, "YAML syntax error", "x.yaml", 2, 1),
        ],
    )


def test_findings_at_the_same_place_get_distinct_fingerprints() -> None:
    results = run_of(render(many_at_one_place()))["results"]
    prints = [fingerprint_of(r) for r in results]
    assert len(set(prints)) == len(prints) == 7
    # Identical findings are told apart by their ordinal.
    twins = [fingerprint_of(r) for r in results if r["ruleId"] == "AIMS001"]
    assert [p.rpartition(":")[2] for p in twins] == ["1", "2"]
    assert twins[0].partition(":")[0] == twins[1].partition(":")[0]


def test_a_fingerprint_follows_its_record_not_its_line_or_file() -> None:
    before = Diagnostic(
        "AIMS102", Severity.ERROR, "status is 'x'", "risks/a.yaml", 8, 9, "R-1", "/status"
    )
    moved = replace(before, path="risks/b.yaml", line=30, column=3, message="status is 'y'")
    other = replace(before, pointer="/owner")

    def print_of(diagnostic: Diagnostic) -> str:
        result = ValidationResult(repository="/srv/g", records=1, files=1, diagnostics=[diagnostic])
        return fingerprint_of(run_of(render(result))["results"][0])

    assert print_of(before) == print_of(moved)
    assert print_of(before) != print_of(other)
    assert print_of(before) != print_of(replace(before, code="AIMS103"))


def test_a_governance_root_in_a_subfolder_is_located_from_the_git_top() -> None:
    result = replace(sample(), repository="/srv/work/governance", source_prefix="governance/")
    run = run_of(render(result))
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/work/"}}
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert uris[0] == "governance/risks/R-1.yaml"
    assert all(uri.startswith("governance/") for uri in uris)
    assert not list(sarif_validator().iter_errors(json.loads(render(result))))


def test_a_subfolder_whose_name_is_not_utf8_is_percent_encoded_byte_by_byte() -> None:
    """Linux names a folder with any bytes; Python keeps the ones that are not UTF-8
    as lone surrogates, which quoting the uri refused (exit 3). Each byte is now
    percent-encoded, as the root's file uri is."""
    folder = os.fsdecode(b"gov\xff")
    result = replace(sample(), repository=f"/srv/work/{folder}", source_prefix=f"{folder}/")
    run = run_of(render(result))
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/work/"}}
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert uris[0] == "gov%FF/risks/R-1.yaml"
    assert all(uri.startswith("gov%FF/") for uri in uris)


def test_a_run_over_the_cap_keeps_errors_first_and_says_what_it_left_out() -> None:
    warnings = [
        Diagnostic(
            "AIMS104", Severity.WARNING, f"unknown field 'f{i}'", "a.yaml", i, 1, "A", f"/f{i}"
        )
        for i in range(1, 6)
    ]
    errors = [
        Diagnostic("AIMS102", Severity.ERROR, f"bad {i}", "z.yaml", i, 1, "Z", f"/e{i}")
        for i in range(1, 4)
    ]
    result = ValidationResult(
        repository="/srv/g", records=2, files=2, diagnostics=[*warnings, *errors]
    )
    log = document(result, limit=5)
    assert not list(sarif_validator().iter_errors(log))
    run = log["runs"][0]
    kept = [
        (r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    ]
    # Every error, then the first warnings in path order; the output order stays path order.
    assert kept == [("warning", 1), ("warning", 2), ("error", 1), ("error", 2), ("error", 3)]
    assert run["properties"] == {"resultsLeftOut": 3, "resultsTotal": 8}
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("3 of 8 results were left out: a run holds at most 5")


def test_the_cap_is_github_s_25000_results() -> None:
    assert MAX_RESULTS == 25_000
    diagnostics = [
        Diagnostic(
            "AIMS104", Severity.WARNING, "unknown field", f"r/{i:05}.yaml", 1, 1, f"R-{i}", "/x"
        )
        for i in range(MAX_RESULTS + 7)
    ]
    result = ValidationResult(
        repository="/srv/g", records=len(diagnostics), files=1, diagnostics=diagnostics
    )
    run = json.loads(render(result))["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    assert run["properties"]["resultsLeftOut"] == 7
    assert (
        run["results"][-1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "r/24999.yaml"
    )


def test_from_a_git_repository_every_uri_names_a_file_from_the_top(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """aims.yaml in governance/ of a real git repository: code scanning resolves a
    result's path from the top of the checkout, and so does JUnit's test case name."""
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "work", "governance")
    work.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "risks/R-1.yaml": "kind: Risk\nid: R-1\nstatus: opne\n",
            "risks/broken.yaml": "kind: [\n",
        }
    )
    work.commit("records")
    sarif = cli("validate", work.root, "--as-of", AS_OF, "--format", "sarif")
    assert sarif.exit_code == 1, sarif.stderr
    log = json.loads(sarif.stdout)
    assert not list(sarif_validator().iter_errors(log))
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == work.top.resolve().as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert {"governance/risks/R-1.yaml", "governance/risks/broken.yaml"} <= uris
    assert all((work.top / uri).is_file() for uri in uris)
    junit = cli("validate", work.root, "--as-of", AS_OF, "--format", "junit")
    names = [case.get("name") for case in ET.fromstring(junit.stdout.encode()).iter("testcase")]
    assert names and all(name.startswith("governance/") for name in names)
    assert all((work.top / name).is_file() for name in names)
    # JSON keeps the repository-relative paths of the contract.
    data = json.loads(cli("validate", work.root, "--as-of", AS_OF, "--format", "json").stdout)
    assert {d["path"] for d in data["diagnostics"]} >= {"risks/R-1.yaml", "risks/broken.yaml"}


def test_a_changed_since_run_is_a_category_of_its_own(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """`--changed-since` leaves out a finding already there in a file the change does
    not touch. Under the whole run's category its upload replaced that analysis, and
    code scanning took each finding left out for fixed: a pull request that touched
    one risk showed the broken risk next to it as repaired. Its own category keeps
    the whole run's alerts; the run names the commit it compares with."""
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "work", "governance")
    work.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "risks/R-1.yaml": "kind: Risk\nid: R-1\nstatus: opne\n",
            "risks/R-2.yaml": "kind: Risk\nid: R-2\n",
        }
    )
    base = work.commit("records")
    work.write({"risks/R-2.yaml": "kind: Risk\nid: R-2\nstatus: shut\n"})

    def run(*extra: str) -> dict[str, Any]:
        done = cli("validate", work.root, "--as-of", AS_OF, "--format", "sarif", *extra)
        assert done.exit_code == 1, done.stderr
        log = json.loads(done.stdout)
        assert not list(sarif_validator().iter_errors(log))
        found: dict[str, Any] = log["runs"][0]
        return found

    def files(found: dict[str, Any]) -> set[str]:
        return {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in found["results"]
        }

    whole, changes = run(), run("--changed-since", base)
    assert files(whole) >= {"governance/risks/R-1.yaml", "governance/risks/R-2.yaml"}
    assert "governance/risks/R-1.yaml" not in files(changes)  # untouched, already there
    assert whole["automationDetails"] == {"id": "aimsctl/validate/governance/"}
    assert "properties" not in whole
    assert changes["automationDetails"] == {"id": "aimsctl/validate-changes/governance/"}
    assert changes["properties"] == {"changedSince": base}


def test_an_alert_stays_with_its_finding_through_edits_around_it(
    example_copy: Path, cli: Callable[..., CliResult]
) -> None:
    """What code scanning keeps an alert (and its dismissal) by: a broken reference
    took the fingerprint of its place in the list, so putting a system in front of it
    handed its alert to the next broken one; a finding about no record held its
    message, with the line it quotes and the days it counts, so a comment added
    above, or the next day, closed the alert and opened another."""
    risk = example_copy / "risks/R-001.yaml"
    text = risk.read_text(encoding="utf-8")
    assert "systems: [SYS-HIRE]" in text
    for audit in (example_copy / "audits").iterdir():
        audit.unlink()  # AIMS611 then names the unreadable file, at its line
    (example_copy / "audits/broken.yaml").write_text("kind: InternalAudit\nid: [\n")

    def prints(as_of: str = AS_OF) -> dict[tuple[str, str], str]:
        done = cli("validate", example_copy, "--as-of", as_of, "--format", "sarif")
        found: dict[tuple[str, str], str] = {}
        for result in json.loads(done.stdout)["runs"][0]["results"]:
            key = (result["ruleId"], result["message"]["text"].split(" (")[0])
            assert key not in found
            found[key] = fingerprint_of(result)
        return found

    risk.write_text(text.replace("systems: [SYS-HIRE]", "systems: [SYS-HIRE, SYS-X1, SYS-X2]"))
    before = prints()
    broken = {k: v for k, v in before.items() if k[0] == "AIMS201"}
    assert len(broken) == 2
    risk.write_text(
        text.replace("systems: [SYS-HIRE]", "systems: [SYS-CREDIT, SYS-HIRE, SYS-X1, SYS-X2]")
    )
    (example_copy / "audits/broken.yaml").write_text("# moved\n\nkind: InternalAudit\nid: [\n")
    after = prints()
    assert {k: after[k] for k in broken} == broken
    unrecorded = {k: v for k, v in before.items() if k[0] in {"AIMS001", "AIMS611"}}
    assert {k[0] for k in unrecorded} == {"AIMS001", "AIMS611"}
    assert {k: after.get(k) for k in unrecorded} == unrecorded
    assert {k: v for k, v in prints("2026-12-24").items() if k in unrecorded} == unrecorded
    # Fixing the first broken reference leaves the second its own alert.
    risk.write_text(text.replace("systems: [SYS-HIRE]", "systems: [SYS-HIRE, SYS-X2]"))
    left = {k: v for k, v in prints().items() if k[0] == "AIMS201"}
    assert list(left.values()) == [v for k, v in broken.items() if "SYS-X2" in k[1]]


def test_a_list_entry_is_named_by_what_it_holds() -> None:
    # A metric is one per name and group: named by its name alone, the Dutch and the
    # Spanish measurement of one metric shared an identity, and fixing one handed its
    # alert to the other. Evidence entries are named by their path or link.
    from aimsctl.diagnostics import identity_of

    metrics = {"metrics": [{"name": "grounded", "group": g, "tracked_by": ["R-9"]} for g in "ab"]}
    assert (
        identity_of(metrics, ("metrics", 0, "tracked_by", 0))
        == "/metrics/=grounded@a/tracked_by/=R-9"
    )
    assert (
        identity_of(metrics, ("metrics", 1, "tracked_by", 0))
        == "/metrics/=grounded@b/tracked_by/=R-9"
    )
    evidence = {"evidence": [{"url": "https://x.example"}, {"path": "e/gone.md"}]}
    assert identity_of(evidence, ("evidence", 1, "path")) == "/evidence/=e~1gone.md/path"
    assert identity_of({"systems": ["SYS-1", "SYS-9"]}, ("systems", 1)) == "/systems/=SYS-9"
    assert identity_of({"impacts": [{"scope": "group"}]}, ("impacts", 0, "scope")) == ""
    assert identity_of({"title": "x"}, ("title",)) == ""
