"""`aimsctl validate` for CI: every format reports the same findings; --output,
--strict, --format auto and --changed-since end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from aimsctl import codes
from aimsctl.rules import all_rules
from conftest import (
    AS_OF,
    EXCLUDED_SOA,
    MINIMAL_CONFIG,
    PROJECT,
    CliResult,
    shared_file_or_skip,
    write_files,
)

Make = Callable[..., Path]
Cli = Callable[..., CliResult]
Finding = tuple[str, str, str, int, int]  # severity, code, path, line, column

SYSTEM = """\
kind: AISystem
id: SYS-A
title: Assistant
owner: owner@example.org
purpose: Answer questions from staff.
type: generative
stage: development
human_oversight: {mode: human-in-the-loop}
"""
RISK = """\
kind: Risk
id: {id}
title: Wrong answers
owner: owner@example.org
description: The assistant answers wrongly.
systems: [SYS-A]
inherent: {{likelihood: 2, severity: 2}}
status: open
"""
DEFECTS = {
    "systems/SYS-A.yaml": SYSTEM,
    "risks/R-1.yaml": RISK.format(id="R-1").replace("status: open", "status: opne"),  # enum
    "risks/R-2.yaml": RISK.format(id="R-2") + "stauts: open\n",  # unknown field
    "risks/R-3.yaml": 'kind: Risk\nid: R-3\ntitle: "unclosed\n',  # YAML syntax error
    "risks/R-4.yaml": RISK.format(id="R-4"),
}
KNOWN = {
    ("error", "AIMS102", "risks/R-1.yaml"),
    ("error", "AIMS104", "risks/R-2.yaml"),
    ("error", "AIMS001", "risks/R-3.yaml"),
}
# Every rule that may be silenced off but AIMS201, which becomes a warning: a
# repository whose only finding is a warning, however many rules the project grows.
ONLY_AIMS201_WARNING = (
    MINIMAL_CONFIG
    + "rules:\n"
    + "".join(
        f"  {r.code}: {'warning' if r.code == 'AIMS201' else 'off'}\n"
        for r in all_rules()
        if r.code not in codes.UNSILENCEABLE
    )
)
FORMATS = ("text", "json", "sarif", "junit", "github")


def validate(cli: Cli, root: Path, *args: str) -> CliResult:
    result = cli("validate", root, "--as-of", AS_OF, *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def from_json(text: str) -> list[Finding]:
    return [
        (d["severity"], d["code"], d["path"], d["line"], d["column"])
        for d in json.loads(text)["diagnostics"]
    ]


def from_sarif(text: str) -> list[Finding]:
    out = []
    for r in json.loads(text)["runs"][0]["results"]:
        if r.get("suppressions"):
            continue
        location = r["locations"][0]["physicalLocation"]
        out.append(
            (
                r["level"],
                r["ruleId"],
                unquote(location["artifactLocation"]["uri"]),
                location["region"]["startLine"],
                location["region"]["startColumn"],
            )
        )
    return out


_FAILED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>AIMS\d{3}) ")
_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning) "
    r"(?P<code>AIMS\d{3}) "
)


def from_junit(text: str) -> list[Finding]:
    out: list[Finding] = []
    for case in ET.fromstring(text.encode()).iter("testcase"):
        failures = case.findall("failure")
        assert len(failures) <= 1  # one failure per file, its errors inside
        for failure in failures:
            for line in (failure.text or "").splitlines():
                match = _FAILED.match(line)
                assert match and match["path"] == case.get("name")
                out.append(
                    ("error", match["code"], match["path"], int(match["line"]), int(match["col"]))
                )
        for line in (case.findtext("system-out") or "").splitlines():
            if (found := _LINE.match(line)) is not None:
                out.append(
                    (
                        found["sev"],
                        found["code"],
                        found["path"],
                        int(found["line"]),
                        int(found["col"]),
                    )
                )
    return out


_ANNOTATION = re.compile(
    r"^::(?P<sev>error|warning) file=(?P<path>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),title=(?P<code>AIMS\d{3})::"
)


def from_github(text: str) -> list[Finding]:
    out: list[Finding] = []
    for line in text.splitlines():
        if (found := _ANNOTATION.match(line)) is not None:
            out.append(
                (found["sev"], found["code"], found["path"], int(found["line"]), int(found["col"]))
            )
    return out


def from_text(text: str) -> list[Finding]:
    out: list[Finding] = []
    for line in text.split("\n\nWaived")[0].splitlines():
        if (found := _LINE.match(line)) is not None:
            out.append(
                (found["sev"], found["code"], found["path"], int(found["line"]), int(found["col"]))
            )
    return out


PARSERS: dict[str, Callable[[str], list[Finding]]] = {
    "text": from_text,
    "json": from_json,
    "sarif": from_sarif,
    "junit": from_junit,
    "github": from_github,
}


@pytest.fixture(autouse=True)
def _not_in_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


def test_every_format_reports_the_same_findings(make_repo: Make, cli: Cli) -> None:
    root = make_repo(DEFECTS)
    reference = from_json(validate(cli, root, "--format", "json").stdout)
    assert {f[:3] for f in reference} >= {
        ("warning", "AIMS501", "risks/R-4.yaml"),  # warnings take part too
        ("error", "AIMS102", "risks/R-1.yaml"),
        ("error", "AIMS104", "risks/R-2.yaml"),
        ("error", "AIMS001", "risks/R-3.yaml"),
    }
    for name, parse in PARSERS.items():
        result = validate(cli, root, "--format", name)
        assert result.exit_code == 1, name
        assert sorted(parse(result.stdout)) == sorted(reference), name


def test_sarif_from_the_cli_is_valid_and_lists_every_rule(make_repo: Make, cli: Cli) -> None:
    import jsonschema

    schema = shared_file_or_skip("data/sarif-schema-2.1.0.json")
    root = make_repo(DEFECTS)
    log = json.loads(validate(cli, root, "--format", "sarif").stdout)
    validator = jsonschema.Draft7Validator(json.loads(schema.read_text(encoding="utf-8")))
    errors = list(validator.iter_errors(log))
    assert not errors, errors[0].message
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.code for r in all_rules()]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    assert {
        (r["level"], r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
    } >= KNOWN


def test_junit_counts_files_and_failed_files(make_repo: Make, cli: Cli) -> None:
    root = make_repo(DEFECTS)
    report = json.loads(validate(cli, root, "--format", "json").stdout)
    failing = {d["path"] for d in report["diagnostics"] if d["severity"] == "error"}
    suite = ET.fromstring(validate(cli, root, "--format", "junit").stdout.encode()).find(
        "testsuite"
    )
    assert suite is not None
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names == sorted({"aims.yaml", *DEFECTS, *failing})
    assert suite.get("tests") == str(len(names))
    assert suite.get("failures") == str(len(failing))
    assert {"risks/R-1.yaml", "risks/R-2.yaml", "risks/R-3.yaml"} <= failing
    assert "risks/R-4.yaml" not in failing


@pytest.mark.parametrize("name", FORMATS)
def test_output_writes_the_file_and_nothing_to_stdout(
    name: str, make_repo: Make, cli: Cli, tmp_path: Path
) -> None:
    root = make_repo(DEFECTS)
    target = tmp_path / "out" / f"report.{name}"
    result = validate(cli, root, "--format", name, "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert sorted(PARSERS[name](written)) == sorted(
        from_json(validate(cli, root, "--format", "json").stdout)
    )
    assert "\033[" not in written


def test_a_repository_whose_folder_name_is_not_utf8_gives_utf8_in_every_format(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linux names a folder with any bytes; Python keeps the ones that are not UTF-8
    as lone surrogates. JSON's repository and the annotations' workspace subfolder
    carried them out: raw bytes on standard output (no longer UTF-8, so no longer JSON
    text) and an internal error (exit 3) with --output. Each such byte is its escape
    now (gov\\xff), as the bytes of a file name that is not UTF-8 are."""
    try:
        folder = tmp_path / os.fsdecode(b"gov\xff")
        folder.mkdir()
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    root = write_files(folder, {"aims.yaml": MINIMAL_CONFIG, **DEFECTS})
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    for name in FORMATS:
        printed = validate(cli, root, "--format", name)
        assert printed.exit_code == 1, (name, printed.stderr)
        printed.stdout.encode("utf-8")
        target = tmp_path / f"report.{name}"
        written = validate(cli, root, "--format", name, "--output", str(target))
        assert (written.exit_code, written.stderr) == (1, ""), name
        assert target.read_text(encoding="utf-8") == printed.stdout, name
    data = json.loads(validate(cli, root, "--format", "json").stdout)
    assert data["repository"] == str(tmp_path / "gov\\xff")
    annotated = {
        path for _, _, path, _, _ in from_github(validate(cli, root, "--format", "github").stdout)
    }
    assert "gov\\xff/risks/R-1.yaml" in annotated


def test_file_names_that_differ_only_in_bytes_not_utf8_are_told_apart(
    make_repo: Make, cli: Cli
) -> None:
    """r<ff>.yaml and r<fe>.yaml were both shown r\ufffd.yaml, in every format: an
    auditor could not tell which file a finding is about, nor that there are two.
    Each byte that is not UTF-8 is its escape now, as an argument's are; a name that is
    UTF-8 is shown as it is."""
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "risks/café.yaml": "kind: Risk\n"})
    try:
        for byte in (b"\xff", b"\xfe"):
            (root / os.fsdecode(b"risks/r" + byte + b".yaml")).write_text("kind: Risk\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    for name, parse in PARSERS.items():
        result = validate(cli, root, "--format", name)
        assert result.exit_code == 1, name
        result.stdout.encode("utf-8")
        unread = sorted(f[2] for f in parse(result.stdout) if f[1] == "AIMS008")
        assert unread == ["risks/r\\xfe.yaml", "risks/r\\xff.yaml"], name
        assert "risks/café.yaml" in {f[2] for f in parse(result.stdout)}, name


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_lists_a_waived_finding_with_its_waiver(
    name: str, make_repo: Make, cli: Cli
) -> None:
    # records.md, Waiver: "Waived findings are counted and listed separately, never
    # silently dropped." --format github only counted it in its summary notice.
    waiver = (
        "kind: Waiver\nid: WVR-7\ntitle: Known\nrule: AIMS501\nrecords: [R-4]\n"
        "justification: Reviewed at the next audit.\napproved_by: owner@example.org\n"
        "expires: 2099-12-31\n"
    )
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-A.yaml": SYSTEM,
            "risks/R-4.yaml": DEFECTS["risks/R-4.yaml"],
            "waivers/WVR-7.yaml": waiver,
        }
    )
    summary = json.loads(validate(cli, root, "--format", "json").stdout)["summary"]
    assert (summary["errors"], summary["waived"]) == (0, 1)
    printed = validate(cli, root, "--format", name).stdout
    assert "WVR-7" in printed, name
    assert "AIMS501" in printed, name
    assert "risks/R-4.yaml" in printed, name
    if name == "github":
        assert "::notice file=risks/R-4.yaml,line=1,col=1,title=AIMS501 waived (WVR-7)::" in (
            printed
        )


def test_strict_makes_warnings_fail(make_repo: Make, cli: Cli) -> None:
    # R-2 names SYS-A, which does not exist here: AIMS201, as a warning.
    root = make_repo({"risks/R-2.yaml": RISK.format(id="R-2")}, config=ONLY_AIMS201_WARNING)
    relaxed = validate(cli, root, "--format", "json")
    assert relaxed.exit_code == 0, relaxed.stdout
    assert json.loads(relaxed.stdout)["summary"]["warnings"] == 1
    assert json.loads(relaxed.stdout)["summary"]["errors"] == 0
    for name in FORMATS:
        assert validate(cli, root, "--format", name, "--strict").exit_code == 1, name
        assert validate(cli, root, "--format", name).exit_code == 0, name


def test_format_auto_is_github_inside_actions(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(DEFECTS)
    outside = validate(cli, root, "--format", "auto").stdout
    assert outside == validate(cli, root, "--format", "text").stdout
    assert "::error" not in outside
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    inside = validate(cli, root, "--format", "auto")
    assert inside.exit_code == 1
    assert inside.stdout == validate(cli, root, "--format", "github").stdout
    assert inside.stdout.splitlines()[-1].startswith("::notice::aimsctl validate: ")
    assert "::error file=risks/R-3.yaml," in inside.stdout


# --changed-since ---------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def commit_all(cwd: Path) -> None:
    git(cwd, "add", "-A")
    git(
        cwd,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.org",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        "records",
    )


def report(cli: Cli, root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = validate(cli, root, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_changed_since_reports_only_changed_files_and_aims_yaml(make_repo: Make, cli: Cli) -> None:
    root = make_repo(DEFECTS)
    git(root, "init", "-q")
    commit_all(root)
    # R-4 now points at a system that exists only in an unchanged file, and gains
    # an unknown field; R-5 is new and untracked, with a bad enum.
    (root / "risks/R-4.yaml").write_text(DEFECTS["risks/R-4.yaml"] + "colour: red\n")
    (root / "risks/R-5.yaml").write_text(RISK.format(id="R-5").replace("open", "shut"))

    _code, full = report(cli, root)
    code, narrowed = report(cli, root, "--changed-since", "HEAD")
    assert code == 1
    kept = {"risks/R-4.yaml", "risks/R-5.yaml", "aims.yaml"}
    expected = [d for d in full["diagnostics"] if d["path"] in kept]
    # The same findings as the full run for those files: references still resolve
    # against every record, so R-4's link to SYS-A is not reported as broken.
    assert narrowed["diagnostics"] == expected
    assert {d["path"] for d in expected} >= {"risks/R-4.yaml", "risks/R-5.yaml"}
    assert {d["path"] for d in full["diagnostics"]} - kept  # R-1..R-3 were hidden
    summary = narrowed["summary"]
    assert summary["errors"] == sum(d["severity"] == "error" for d in expected)
    assert summary["warnings"] == sum(d["severity"] == "warning" for d in expected)
    assert summary["errors"] < full["summary"]["errors"]

    junit = ET.fromstring(
        validate(cli, root, "--format", "junit", "--changed-since", "HEAD").stdout.encode()
    )
    assert sorted(c.get("name") or "" for c in junit.iter("testcase")) == sorted(kept)


def test_changed_since_with_a_governance_subfolder(tmp_path: Path, cli: Cli) -> None:
    top = tmp_path / "monorepo"
    root = top / "governance"
    root.mkdir(parents=True)
    (root / "aims.yaml").write_text(MINIMAL_CONFIG)
    for rel, text in DEFECTS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (top / "README.md").write_text("hello\n")
    git(top, "init", "-q")
    commit_all(top)
    (top / "README.md").write_text("changed outside the governance root\n")
    _code, clean = report(cli, root, "--changed-since", "HEAD")
    assert [d for d in clean["diagnostics"] if d["path"] != "aims.yaml"] == []
    (root / "risks/R-2.yaml").write_text(RISK.format(id="R-2"))  # fixed
    (root / "risks/R-4.yaml").write_text(RISK.format(id="R-4") + "stauts: x\n")
    _code, narrowed = report(cli, root, "--changed-since", "HEAD")
    assert {d["path"] for d in narrowed["diagnostics"]} - {"aims.yaml"} == {"risks/R-4.yaml"}


def test_changed_since_problems_exit_2(make_repo: Make, cli: Cli) -> None:
    root = make_repo(DEFECTS)
    probe = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=root, capture_output=True)
    if probe.returncode != 0:  # outside any git repository
        outside = validate(cli, root, "--changed-since", "HEAD")
        assert outside.exit_code == 2
        assert "not inside a git repository" in outside.stderr
    git(root, "init", "-q")
    empty = validate(cli, root, "--changed-since", "HEAD")
    assert empty.exit_code == 2
    assert "no commits yet" in empty.stderr
    commit_all(root)
    unknown = validate(cli, root, "--changed-since", "origin/nowhere")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("aimsctl: error: unknown revision 'origin/nowhere'")
    assert unknown.stdout == ""


# The CI guide and the pre-commit hook ----------------------------------------------


def test_ci_guide_examples_parse_and_use_real_options(cli: Cli) -> None:
    guide = (PROJECT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, flags=re.S)
    assert len(blocks) == 5
    workflows = [yaml.safe_load(block) for block in blocks]
    # The first: the aimsctl action, as the workflow `aimsctl init` writes uses it.
    action_steps = workflows[0]["jobs"]["aimsctl"]["steps"]
    assert any(str(s.get("uses", "")).startswith("aimsctl/aimsctl@v") for s in action_steps)
    steps = workflows[1]["jobs"]["validate"]["steps"]
    assert any(
        str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@") for s in steps
    )
    assert workflows[2]["governance"]["artifacts"]["reports"]["junit"] == "aimsctl-junit.xml"
    usage = cli("validate", "--help")
    assert usage.exit_code == 0
    # `fmt --check` is the second hook's; every other option is validate's.
    assert "--check" in cli("fmt", "--help").stdout
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", guide.replace("fmt --check", "fmt")))
    for option in options - {"--debug"}:
        assert option in usage.stdout, option
    for name in FORMATS:
        assert f"`{name}`" in guide


def test_pre_commit_hook_runs_aimsctl_validate_on_what_is_staged() -> None:
    """The shipped hook's settings; tests/test_precommit.py runs it with real pre-commit."""
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "aimsctl-validate"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True  # deletions are never passed as files
    assert "files" not in hook
    assert hook["entry"].split() == ["aimsctl", "validate", "--staged"]


@pytest.mark.parametrize("workspace", ["parent", "elsewhere", "unset"])
def test_annotations_name_files_from_the_top_of_the_git_work_tree(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, workspace: str
) -> None:
    """GitHub places an annotation on a pull request's file by its path from the top of
    the repository. They were named from GITHUB_WORKSPACE: `actions/checkout` with
    `path: checkout` put `checkout/` in front of every path, and a clone outside the
    workspace lost the governance subfolder; SARIF of the same run was right."""
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "ws" / "checkout", "governance")
    work.write({"aims.yaml": MINIMAL_CONFIG, "risks/R-1.yaml": "kind: Risk\nid: R-1\n"})
    work.commit("records")
    places = {"parent": tmp_path / "ws", "elsewhere": tmp_path / "other"}
    if workspace in places:
        monkeypatch.setenv("GITHUB_WORKSPACE", str(places[workspace]))
    else:
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    annotated = from_github(validate(cli, work.root, "--format", "github").stdout)
    paths = {path for _, _, path, _, _ in annotated}
    assert "governance/risks/R-1.yaml" in paths
    assert all((work.top / path).is_file() for path in paths)
