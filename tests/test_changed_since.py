"""`validate --changed-since`: a change's findings are reported wherever they land.

Real git repositories: a base commit, then a working tree that changes it. The
gate must report findings in changed files, findings the change causes in files
it never touched, and findings on aims.yaml; it must not report what was already
wrong, unchanged, in an untouched file.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aimsctl import codes
from aimsctl.changed import new_findings
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult, write_files
from factory import assessment, control, flow, levels, risk, system
from gitrepo import GitRepo, inside_git

Cli = Callable[..., CliResult]
Found = tuple[str, str, str | None]  # code, path, record


def base_records() -> dict[str, Any]:
    """A clean repository: a system, a risk treated by a control with evidence on file,
    and an impact assessment whose impact the risk and the control mitigate."""
    return {
        "aims.yaml": MINIMAL_CONFIG,
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-A.yaml": system("SYS-A"),
        "risks/R-1.yaml": risk(
            "R-1",
            systems=flow(["SYS-A"]),
            treatment={"option": "mitigate", "controls": flow(["ORG-1"])},
            residual=flow(levels(1, 1)),
        ),
        "controls/ORG-1.yaml": control(
            "ORG-1", status="implemented", evidence=[{"path": "evidence/audit.pdf"}]
        ),
        "evidence/audit.pdf": b"%PDF-1.4 the audit\n",
        "assessments/IA-A.yaml": assessment(
            "IA-A",
            system="SYS-A",
            stakeholders=[{"group": "staff"}],
            impacts=[
                {
                    "dimension": "fairness",
                    "scope": "group",
                    "groups": flow(["staff"]),
                    "description": "Unequal answers.",
                    "likelihood": 1,
                    "severity": 1,
                    "mitigations": flow(["R-1", "ORG-1"]),
                }
            ],
        ),
    }


def committed(tmp_path: Path, files: dict[str, Any], governance: str = "") -> tuple[GitRepo, str]:
    repo = GitRepo(tmp_path / "work", governance)
    write_files(repo.root, files)
    return repo, repo.commit("Governance records")


def validate(cli: Cli, repo: GitRepo, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def found(report: dict[str, Any]) -> set[Found]:
    return {(d["code"], d["path"], d["record"]) for d in report["diagnostics"]}


def gate(cli: Cli, repo: GitRepo, base: str) -> tuple[int, set[Found]]:
    code, report = validate(cli, repo, "--changed-since", base)
    return code, found(report)


def test_the_base_repository_is_clean(tmp_path: Path, cli: Cli) -> None:
    repo, base = committed(tmp_path, base_records())
    code, report = validate(cli, repo)
    assert (code, found(report)) == (0, set())
    assert gate(cli, repo, base) == (0, set())


def test_deleting_a_cited_evidence_file_is_reported(tmp_path: Path, cli: Cli) -> None:
    repo, base = committed(tmp_path, base_records())
    repo.git("rm", "-q", "evidence/audit.pdf")
    code, reported = gate(cli, repo, base)
    # The control's file did not change; the finding lands there all the same.
    assert (codes.EVIDENCE_PATH, "controls/ORG-1.yaml", "ORG-1") in reported
    assert code == 1
    # A base revision read without its non-YAML files would have "lost" the
    # evidence too, and matched the finding away.
    repo.commit("Remove the audit")
    assert gate(cli, repo, base)[1] == reported


def test_deleting_a_referenced_risk_is_reported(tmp_path: Path, cli: Cli) -> None:
    repo, base = committed(tmp_path, base_records())
    repo.git("rm", "-q", "risks/R-1.yaml")
    code, reported = gate(cli, repo, base)
    assert code == 1
    assert (codes.BROKEN_REFERENCE, "assessments/IA-A.yaml", "IA-A") in reported


def test_renaming_a_system_id_is_reported_on_every_record_that_names_it(
    tmp_path: Path, cli: Cli
) -> None:
    repo, base = committed(tmp_path, base_records())
    write_files(repo.root, {"systems/SYS-A.yaml": system("SYS-B")})
    code, reported = gate(cli, repo, base)
    assert code == 1
    assert {
        (codes.BROKEN_REFERENCE, "risks/R-1.yaml", "R-1"),
        (codes.BROKEN_REFERENCE, "assessments/IA-A.yaml", "IA-A"),
    } <= reported


def test_an_edit_that_breaks_a_record_in_an_unchanged_file_is_reported(
    tmp_path: Path, cli: Cli
) -> None:
    repo, base = committed(tmp_path, base_records())
    # Excluding the control breaks the risk whose treatment relies on it.
    write_files(
        repo.root,
        {
            "controls/ORG-1.yaml": control(
                "ORG-1", applicable=False, justification="Not needed.", status="implemented"
            )
        },
    )
    code, reported = gate(cli, repo, base)
    assert code == 1
    assert (codes.TREATMENT_CONTROL_NOT_APPLICABLE, "risks/R-1.yaml", "R-1") in reported


def test_an_unchanged_problem_in_an_unchanged_file_is_not_reported(
    tmp_path: Path, cli: Cli
) -> None:
    files = base_records()
    files["risks/R-9.yaml"] = risk("R-9", systems=flow(["SYS-A"]), colour="red")
    repo, base = committed(tmp_path, files)
    assert (codes.UNKNOWN_FIELD, "risks/R-9.yaml", "R-9") in found(validate(cli, repo)[1])
    write_files(repo.root, {"systems/SYS-A.yaml": system("SYS-A", title="Renamed")})
    assert gate(cli, repo, base) == (0, set())
    # Once the file is touched, its findings are the change's to answer for.
    write_files(repo.root, {"risks/R-9.yaml": risk("R-9", systems=flow(["SYS-A"]), colour="b")})
    assert gate(cli, repo, base) == (1, {(codes.UNKNOWN_FIELD, "risks/R-9.yaml", "R-9")})


def test_line_numbers_of_other_files_and_new_hints_do_not_make_an_old_finding_new(
    tmp_path: Path, cli: Cli
) -> None:
    files = base_records()
    # Already wrong at the base: R-2 in two files, and a link to a system that
    # does not exist (the message suggests the closest id).
    files["risks/R-2.yaml"] = risk("R-2", systems=flow(["SYS-A"]))
    files["risks/copy/R-2.yaml"] = risk("R-2", systems=flow(["SYS-A"]))
    files["risks/R-3.yaml"] = risk("R-3", systems=flow(["SYS-X"]))
    repo, base = committed(tmp_path, files)
    before = validate(cli, repo)[1]["diagnostics"]
    # One copy moves down a line; a new system changes the closest id to SYS-X.
    (repo.root / "risks/R-2.yaml").write_text(
        "# moved down\n" + (repo.root / "risks/R-2.yaml").read_text("utf-8"), "utf-8"
    )
    write_files(repo.root, {"systems/SYS-Y.yaml": system("SYS-Y")})
    after = validate(cli, repo)[1]["diagnostics"]
    messages = {d["message"] for d in after} - {d["message"] for d in before}
    assert any("risks/R-2.yaml:3:" in m for m in messages)  # the other copy's message moved
    assert any("did you mean 'SYS-Y'" in m for m in messages)  # R-3's hint changed
    code, reported = gate(cli, repo, base)
    assert reported == {(codes.DUPLICATE_ID, "risks/R-2.yaml", "R-2")}  # the edited file only
    assert code == 1


def test_without_aims_yaml_at_the_base_everything_is_new(tmp_path: Path, cli: Cli) -> None:
    files = base_records()
    files["risks/R-9.yaml"] = risk("R-9", systems=flow(["SYS-A"]), colour="red")
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"README.md": "Records come later.\n"})
    before_records = repo.commit("Start")
    write_files(repo.root, files)
    repo.commit("Add the records")
    _code, full = validate(cli, repo)
    assert gate(cli, repo, before_records) == (1, found(full))
    # The same when aims.yaml at the base cannot be used: the change repairs it.
    write_files(repo.root, {"aims.yaml": "version: [\n"})
    broken = repo.commit("Break aims.yaml")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG})
    assert gate(cli, repo, broken) == (1, found(full))


def test_a_governance_subfolder_and_changes_outside_it(tmp_path: Path, cli: Cli) -> None:
    repo, base = committed(tmp_path, base_records(), governance="governance")
    (repo.top / "README.md").write_text("outside the governance root\n", "utf-8")
    assert gate(cli, repo, base) == (0, set())
    repo.git("rm", "-q", "governance/evidence/audit.pdf")
    assert gate(cli, repo, base) == (
        1,
        {(codes.EVIDENCE_PATH, "controls/ORG-1.yaml", "ORG-1")},
    )


def test_counts_and_junit_cases_follow_what_is_reported(tmp_path: Path, cli: Cli) -> None:
    files = base_records()
    files["risks/R-9.yaml"] = risk("R-9", systems=flow(["SYS-A"]), colour="red")
    repo, base = committed(tmp_path, files)
    write_files(repo.root, {"systems/SYS-A.yaml": system("SYS-B")})
    _code, report = validate(cli, repo, "--changed-since", base)
    summary = report["summary"]
    assert summary["errors"] == sum(d["severity"] == "error" for d in report["diagnostics"]) > 0
    assert summary["warnings"] == sum(d["severity"] == "warning" for d in report["diagnostics"])
    junit = cli(
        "validate", repo.root, "--as-of", AS_OF, "--format", "junit", "--changed-since", base
    )
    cases = {case.get("name") for case in ET.fromstring(junit.stdout).iter("testcase")}
    # The changed file, aims.yaml, and the files where the change's findings landed;
    # not R-9, whose old finding is not the change's.
    assert cases == {"aims.yaml", "systems/SYS-A.yaml", "risks/R-1.yaml", "assessments/IA-A.yaml"}


def test_unknown_revisions_and_folders_outside_git_are_exit_2(tmp_path: Path, cli: Cli) -> None:
    repo, _base = committed(tmp_path, base_records())
    unknown = cli("validate", repo.root, "--as-of", AS_OF, "--changed-since", "no-such-branch")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("aimsctl: error: unknown revision 'no-such-branch'")
    assert unknown.stdout == ""
    plain = Path(tempfile.mkdtemp(dir=tmp_path))
    probe = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=plain, capture_output=True)
    if probe.returncode == 0 or inside_git(plain):
        pytest.skip("the temporary folder itself lies inside a git repository")
    write_files(plain, {"aims.yaml": MINIMAL_CONFIG})
    outside = cli("validate", plain, "--as-of", AS_OF, "--changed-since", "HEAD")
    assert outside.exit_code == 2
    assert "is not inside a git repository" in outside.stderr


# new_findings, on its own -----------------------------------------------------------


def finding(
    path: str = "risks/R-1.yaml",
    line: int = 3,
    message: str = "systems names AISystem 'SYS-X', which does not exist",
    severity: Severity = Severity.ERROR,
    waived_by: str | None = None,
) -> Diagnostic:
    return Diagnostic(
        codes.BROKEN_REFERENCE,
        severity,
        message,
        path,
        line,
        9,
        "R-1",
        "/systems/0",
        waived_by,
    )


def result(
    diagnostics: list[Diagnostic], waived: list[Diagnostic] | None = None
) -> ValidationResult:
    return ValidationResult("repo", 1, 1, diagnostics, waived or [], ["risks/R-1.yaml"])


def test_identical_findings_are_paired_one_for_one() -> None:
    old = finding(line=3)
    head = result([finding(line=3), finding(line=7)])
    narrowed = new_findings(head, result([old]), changed=set())
    assert narrowed.diagnostics == [finding(line=7)]  # the one at the old place was there
    assert narrowed.errors == 1
    assert new_findings(head, result([old, finding(line=9)]), set()).diagnostics == []


def test_a_finding_whose_severity_or_waiver_changed_is_new() -> None:
    warning = finding(severity=Severity.WARNING)
    assert new_findings(result([finding()]), result([warning]), set()).diagnostics == [finding()]
    waived = finding(waived_by="W-2")
    narrowed = new_findings(result([], [waived]), result([], [finding(waived_by="W-1")]), set())
    assert narrowed.waived == [waived]
    assert new_findings(result([], [waived]), result([], [waived]), set()).waived == []


def test_messages_ignore_other_places_lines_and_hints_only() -> None:
    def says(message: str) -> ValidationResult:
        return result([finding(message=message)])

    moved = "duplicate id 'R-1': also used at risks/a.yaml:4:5, b.yml:9:5"
    assert not new_findings(says(moved), says(moved.replace(":4", ":12")), set()).diagnostics
    hint = "systems names AISystem 'SYS-X', which does not exist; did you mean 'SYS-A'?"
    other = hint.replace("SYS-A'", "SYS-Y'")
    assert not new_findings(says(other), says(hint), set()).diagnostics
    assert not new_findings(says(hint), says(hint.split(";")[0]), set()).diagnostics
    different = hint.replace("SYS-X", "SYS-Z")
    assert new_findings(says(different), says(hint), set()).diagnostics


def test_changed_files_and_aims_yaml_are_always_reported() -> None:
    head = result([finding(), finding(path="aims.yaml", line=1)])
    assert new_findings(head, head, {"risks/R-1.yaml"}).diagnostics == head.diagnostics
    assert new_findings(head, head, set()).diagnostics == [finding(path="aims.yaml", line=1)]
    assert new_findings(head, None, set()).diagnostics == head.diagnostics
    assert new_findings(head, head, set()).paths == []
