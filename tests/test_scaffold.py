"""scaffold: the starter repository validates clean; the example ships with the package."""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import pytest
import yaml

from aimsctl import fileio, scaffold
from aimsctl.catalog import annex_a
from aimsctl.config import AimsConfig, RiskConfig, SeverityFloor, parse_config
from aimsctl.engine import run
from aimsctl.errors import ScaffoldError
from aimsctl.loader import FileTree
from aimsctl.records import (
    Control,
    ImpactAssessment,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Objective,
    Policy,
    Risk,
    Role,
)
from aimsctl.repository import load_repository
from aimsctl.scaffold import create, example_files, starter_files
from conftest import BUNDLED_EXAMPLE, PROJECT

TODAY = date(2026, 11, 26)


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# The placeholders of the starter: the scope, every control's justification, the
# three example records, and in the management system the policy (its description
# and where its text is kept), the three role holders, the objective, the audit (its
# description and auditor) and the nonconformity.
PLACEHOLDERS = 1 + 38 + 3 + (2 + 3 + 1 + 2 + 1)
# What the starter leaves for a person to claim: whether the first audit's auditor is
# independent (`independent: false` until someone names one who is), and the policy's
# approval (AIMS601: the starter's policy is a draft until top management approves it).
TO_CLAIM = {"AIMS613", "AIMS601"}
# Until aims.yaml says when the management system was established (the starter does
# not: only top management can), it is being set up (AIMS624), and the placeholders and
# what the starter leaves to claim are warnings. With no start known, the first
# management review and the first audit cannot be dated (AIMS617, AIMS612: the
# starter's audit names no auditor, and a plan nobody is assigned to is no plan).
SETTING_UP = {"AIMS624", "AIMS617", "AIMS612"}
# What falls due on a starter left alone: the example objective, a year after init.
OBJECTIVE_OVERDUE = "AIMS609"


@pytest.mark.parametrize("as_of", [TODAY, date(2027, 6, 1), date(2027, 11, 26), date(2031, 1, 1)])
def test_the_starter_repository_validates_clean_now_or_later(as_of: date) -> None:
    files = starter_files(TODAY, "Acme Health")
    repo = load_repository(Path("/starter"), as_of, source=FileTree(files))
    result = run(repo)
    # No error: a new repository validates clean, as cli.md asks. What is left to
    # decide is listed as warnings: the scope, every control's justification and the
    # example records say TODO until someone decides them, and what they leave to claim.
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    placeholders = [d for d in result.diagnostics if d.code == "AIMS107"]
    assert len(placeholders) == PLACEHOLDERS
    # Read from files with no git history, the records never reviewed cannot be dated
    # (in a real repository the first commit dates them; see test_init_cli).
    never_reviewed = {
        (d.code, d.message.split(",")[0]) for d in result.diagnostics if d.code == "AIMS501"
    }
    assert never_reviewed <= {("AIMS501", "never reviewed")}
    others = {d.code for d in result.diagnostics if d.code not in ("AIMS107", "AIMS501")}
    overdue = {OBJECTIVE_OVERDUE} if as_of > TODAY + timedelta(days=365) else set()
    assert others == TO_CLAIM | SETTING_UP | overdue
    # 38 controls, a system, a risk, an assessment; a policy, three roles, an
    # objective, an audit and a nonconformity.
    assert result.records == 48
    assert repo.invalid == {}


def test_once_established_the_starters_placeholders_are_errors() -> None:
    files = dict(starter_files(TODAY, "Acme Health"))
    files["aims.yaml"] += f"established: {TODAY}\n".encode()
    repo = load_repository(Path("/starter"), TODAY, source=FileTree(files))
    errors = {d.code for d in run(repo).diagnostics if d.severity == "error"}
    assert errors == {"AIMS107"} | TO_CLAIM


def test_the_example_records_are_consistent() -> None:
    repo = load_repository(Path("/starter"), TODAY, source=FileTree(starter_files(TODAY)))
    assert repo.tiers == {"SYS-EXAMPLE": "medium"}
    score = repo.risk_scores["R-EXAMPLE-1"]
    # The treatment is only planned (its controls are not started), so the current
    # position is the inherent one and the residual 6 is planned.
    assert (score.inherent.score, score.current.score, score.within_appetite) == (9, 9, True)
    assert score.planned and score.residual is not None and score.residual.score == 6
    [assessment] = repo.of_kind(ImpactAssessment)
    assert (assessment.system, assessment.assessed.on) == ("SYS-EXAMPLE", TODAY)
    risk = repo.of_kind(Risk)[0]
    assert risk.treatment is not None
    controls = {c.id: c for c in repo.of_kind(Control)}
    assert all(controls[c].applicable for c in risk.treatment.controls)


def test_the_starter_management_system_is_consistent() -> None:
    repo = load_repository(Path("/starter"), TODAY, source=FileTree(starter_files(TODAY)))
    # Only top management can say when it established the management system.
    assert repo.config.established is None
    [policy] = repo.of_kind(Policy)
    roles = {role.id: role for role in repo.of_kind(Role)}
    # The policy is a draft: an approval is a decision of top management, and a
    # starter's approved on the day of init claimed one nobody gave. Its owner is a
    # role, and a top-management role is there to approve it. No management review is
    # written either: one is a meeting held, and a starter's claimed one nobody held.
    assert policy.status == "draft" and policy.approval is None
    assert policy.owner in roles
    assert any(role.top_management for role in roles.values())
    assert repo.of_kind(ManagementReview) == []
    # Every owner in the starter is a role, and every role but the top reports to it.
    owners = {e.record.owner for e in repo.entries.values() if e.record.owner is not None}
    assert owners <= set(roles)
    assert {role.reports_to for role in roles.values()} == {None, "chief-executive"}
    # The first audit is planned within the first year, over the whole system; the
    # objective falls due at its end.
    [audit] = repo.of_kind(InternalAudit)
    assert audit.status == "planned" and audit.planned <= TODAY + timedelta(days=365)
    assert {"4", "5", "6", "7", "8", "9", "10"} <= set(audit.scope)
    [objective] = repo.of_kind(Objective)
    assert objective.due == TODAY + timedelta(days=365)
    [nonconformity] = repo.of_kind(Nonconformity)
    assert (nonconformity.raised, nonconformity.status) == (TODAY, "open")


def test_aims_yaml_writes_out_every_default_with_comments() -> None:
    text = starter_files(TODAY, "Acme Health")["aims.yaml"].decode()
    config = parse_config(text.encode())
    # Every default, but the severity floor the starter recommends for the top severity
    # (the day the management system was established is left for the user to set).
    floor = [SeverityFloor(severity="Severe", min_band="high")]
    expected = AimsConfig(
        version=1,
        organization="Acme Health",
        scope=config.scope,
        risk=RiskConfig(severity_floor=floor),
    )
    assert config == expected
    assert config.scope.startswith("TODO: ")
    data = yaml.safe_load(text)
    # Every setting, `established` as a comment to fill in.
    assert [*data, "established"] == list(AimsConfig.model_fields)
    assert f"\n# established: {TODAY}\n" in text
    assert list(data["risk"]) == list(RiskConfig.model_fields)
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 30
    # A name YAML would misread is quoted.
    tricky = starter_files(TODAY, 'Acme: "Health" #1')["aims.yaml"]
    assert parse_config(tricky).organization == 'Acme: "Health" #1'


def test_aims_yaml_names_every_report_documents_may_hold() -> None:
    from aimsctl.vocabulary import REPORT_NAMES

    text = starter_files(TODAY, "Acme Health")["aims.yaml"].decode()
    comment = text.split("\ndocuments:")[0].rsplit("\n\n", 1)[1]
    words = " ".join(line.lstrip("# ") for line in comment.splitlines())
    assert f"by report name ({', '.join(REPORT_NAMES)})" in words


def test_every_annex_a_control_is_ready_to_decide_in_catalogue_order() -> None:
    text = starter_files(TODAY)["controls/annex-a.yaml"].decode()
    documents = list(yaml.safe_load_all(text))
    assert [d["id"] for d in documents] == list(annex_a())
    assert len(documents) == 38
    for document in documents:
        assert document == {
            "kind": "Control",
            "id": document["id"],
            "owner": "ai-governance-lead",
            "applicable": True,
            "status": "not-started",
            "justification": "TODO: say why this control applies (and set its status), or "
            "set applicable: false and say why it does not.",
        }
    for control in annex_a().values():
        assert f"\n# {control.id} {control.title}\n" in text
        assert f"# ===== {control.area} {control.area_title} =====" in text
        assert f"# {control.summary.split()[0]}" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_layout_and_the_tool_files() -> None:
    files = starter_files(TODAY)
    assert sorted(files) == [
        ".github/workflows/aimsctl.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "aims.yaml",
        "assessments/IA-EXAMPLE.yaml",
        "audits/AUD-FIRST.yaml",
        "controls/annex-a.yaml",
        "evidence/README.md",
        "nonconformities/NC-SOA.yaml",
        "objectives/OBJ-SOA.yaml",
        "policies/POL-AI.yaml",
        "risks/R-EXAMPLE-1.yaml",
        "roles/roles.yaml",
        "systems/SYS-EXAMPLE.yaml",
    ]
    hook = yaml.safe_load(files[".pre-commit-config.yaml"])
    assert hook["repos"][0]["hooks"][0] == {
        "id": "aimsctl-validate",
        "name": "aimsctl validate",
        "entry": "aimsctl validate --staged",
        "language": "system",
        "pass_filenames": False,
        "always_run": True,
    }
    workflow = yaml.safe_load(files[".github/workflows/aimsctl.yml"])
    assert workflow["env"] == {"AIMSCTL_VERSION": "0.1.0", "GOVERNANCE": "."}
    steps = {
        job: [s.get("run", s.get("uses", "")) for s in spec["steps"]]
        for job, spec in workflow["jobs"].items()
    }
    # The aimsctl action at the version that wrote the file does the checking; every
    # job runs on pull requests and on pushes to the default branch, whatever its name.
    assert "aimsctl/aimsctl@v0.1.0" in steps["aimsctl"]
    triggers = workflow[True]  # PyYAML reads the key `on` as YAML 1.1's true
    assert triggers == {"pull_request": None, "push": None}
    for spec in workflow["jobs"].values():
        assert "github.event.repository.default_branch" in spec["if"]
    action = next(
        s for s in workflow["jobs"]["aimsctl"]["steps"] if s["uses"].startswith("aimsctl/")
    )
    assert action["with"]["fail-on"].startswith("appetite-crossed,tier-raised,")
    permissions = workflow["jobs"]["aimsctl"]["permissions"]
    assert permissions["pull-requests"] == "write" and permissions["security-events"] == "write"
    assert 'aimsctl report all "$GOVERNANCE" --format html --out reports' in steps["reports"]
    assert "actions/upload-artifact@v4" in steps["reports"]


def test_docs_git_md_shows_what_init_writes() -> None:
    """docs/git.md's table names every file `init` writes, and the workflow lines it
    quotes are lines of the workflow `init` writes (it once showed a `diff` job that
    the workflow no longer had, and left out the management system's starters)."""
    files = starter_files(TODAY)
    guide = (PROJECT / "docs" / "git.md").read_text(encoding="utf-8")
    init = guide.split("\n## `aimsctl init`\n", 1)[1]
    table = init.split("\n| file | what it is |\n", 1)[1].split("\n\n", 1)[0]
    assert [name for name in files if f"`{name}`" not in table] == []
    hooks = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][0]["hooks"]
    assert all(f"`{hook['entry']}`" in table for hook in hooks)
    section = guide.split("\n### In a pull-request workflow\n", 1)[1].split("\n## ", 1)[0]
    quoted = section.split("```yaml\n", 1)[1].split("\n```", 1)[0]
    workflow = files[".github/workflows/aimsctl.yml"].decode().splitlines()
    assert [line for line in quoted.splitlines() if line not in workflow] == []


def test_tool_files_name_a_governance_subfolder() -> None:
    files = starter_files(TODAY, governance_path="compliance/aims")
    hook = yaml.safe_load(files[".pre-commit-config.yaml"])
    assert hook["repos"][0]["hooks"][0]["entry"] == "aimsctl validate --staged compliance/aims"
    workflow_text = files[".github/workflows/aimsctl.yml"].decode()
    assert yaml.safe_load(workflow_text)["env"]["GOVERNANCE"] == "compliance/aims"
    assert "move this file to the same place at the top" in workflow_text


@pytest.mark.parametrize(
    "folder", ["AI Governance", 'gov "x" #y', "it's: {a}", "line\nbreak", "Conformité/ü"]
)
def test_tool_files_name_any_governance_subfolder_as_written(folder: str) -> None:
    # pre-commit splits its entry as a shell does, and both files are YAML: a space
    # split the folder in two, and a quote or ' #' broke or cut the files.
    files = starter_files(TODAY, governance_path=folder)
    hook = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][0]["hooks"][0]
    assert shlex.split(hook["entry"]) == ["aimsctl", "validate", "--staged", folder]
    workflow = yaml.safe_load(files[".github/workflows/aimsctl.yml"])
    assert workflow["env"]["GOVERNANCE"] == folder


def template_names(folder: Traversable, prefix: str = "") -> list[str]:
    names: list[str] = []
    for item in folder.iterdir():
        if item.is_dir():
            names += template_names(item, f"{prefix}{item.name}/")
        else:
            names.append(f"{prefix}{item.name}")
    return sorted(names)


def test_the_starter_templates_are_exactly_the_starter_files() -> None:
    # A template nobody renders, or a file without its template, fails here.
    folder = resources.files("aimsctl").joinpath(scaffold.STARTER_PACKAGE_DIR)
    produced = starter_files(TODAY, "Acme Health", "compliance/aims")
    assert template_names(folder) == sorted(f"{path}.j2" for path in produced)


def test_no_template_syntax_is_left_and_none_is_read_from_the_input() -> None:
    name = "{{ 7 * 7 }} {% raw %} {# x #} @TODAY@"
    files = starter_files(TODAY, name, "gov/{{ path }}")
    assert parse_config(files["aims.yaml"]).organization == name
    for path, content in starter_files(TODAY).items():
        text = content.decode()
        for syntax in ("{%", "{#", "@TODAY@", "@GOVERNANCE"):
            assert syntax not in text, path
        # GitHub's own expressions are the only "{{" of the starter.
        assert text.count("{{") == text.count("${{ env.GOVERNANCE }}")
    workflow = yaml.safe_load(files[".github/workflows/aimsctl.yml"])
    assert workflow["env"]["GOVERNANCE"] == "gov/{{ path }}"


def test_the_bundled_example_is_found_and_complete() -> None:
    root = scaffold.example_root()
    assert root.joinpath("aims.yaml").is_file()
    assert example_files() == tree(BUNDLED_EXAMPLE)


def test_create_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "gov"
    (target / "controls").mkdir(parents=True)
    (target / "controls" / "annex-a.yaml").write_text("mine\n", encoding="utf-8")
    (target / "risks").write_text("a file where a folder goes\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as caught:
        create(target, starter_files(TODAY))
    message = str(caught.value)
    assert "already has 2 of the files to create (controls/annex-a.yaml, risks)" in message
    assert tree(target) == {
        "controls/annex-a.yaml": b"mine\n",
        "risks": b"a file where a folder goes\n",
    }


def test_create_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="is a file, not a folder"):
        create(tmp_path / "file", {"aims.yaml": b""})


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    real = fileio.create_exclusive

    def flaky(path: Path, content: str | bytes) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        real(path, content)
        written.append(path)

    monkeypatch.setattr(fileio, "create_exclusive", flaky)
    with pytest.raises(ScaffoldError, match="No space left on device"):
        create(tmp_path / "new" / "gov", starter_files(TODAY))
    assert len(written) == 3
    assert not (tmp_path / "new").exists()


def test_created_files_get_ordinary_permissions(tmp_path: Path) -> None:
    create(tmp_path / "gov", {"aims.yaml": b"x", "a/b.yaml": b"y"})
    umask = os.umask(0o022)
    os.umask(umask)
    for rel in ("aims.yaml", "a/b.yaml"):
        assert (tmp_path / "gov" / rel).stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_wheel_ships_the_example_and_the_starter_as_package_data(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    project = PROJECT
    [wheel] = list(WheelBuilder(str(project)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        shipped = {
            name.removeprefix("aimsctl/_example/"): archive.read(name)
            for name in names
            if name.startswith("aimsctl/_example/")
        }
    assert shipped == tree(BUNDLED_EXAMPLE)
    # The starter's templates ship too, dot-files and the .github folder included.
    templates = {name for name in names if name.startswith("aimsctl/starter/")}
    assert templates == {f"aimsctl/starter/{path}.j2" for path in starter_files(TODAY)}
    # Imported from the wheel, importlib.resources finds the example there (not the
    # checkout), and Jinja renders the same starter from inside the archive.
    probe = (
        "import sys, hashlib, datetime; sys.path.insert(0, sys.argv[1]);"
        "from aimsctl import scaffold; root = scaffold.example_root();"
        "files = scaffold.starter_files(datetime.date(2026, 11, 26), 'Acme', 'gov');"
        "print(type(root).__module__, scaffold.__file__.startswith(sys.argv[1]),"
        " root.joinpath('aims.yaml').is_file(), len(scaffold.example_files()),"
        " hashlib.sha256(repr(files).encode()).hexdigest())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, wheel], capture_output=True, text=True, check=True
    )
    module, from_wheel, found, count, starter = done.stdout.split()
    assert module.startswith("zipfile")  # read from inside the wheel archive
    assert (from_wheel, found, count) == ("True", "True", str(len(shipped)))
    expected = repr(starter_files(TODAY, "Acme", "gov")).encode()
    assert starter == hashlib.sha256(expected).hexdigest()
