"""The GitHub Action (action.yml) and the workflow `aimsctl init` writes.

Both files are read as YAML. The action's shell steps are then run as a runner
would run them (bash -eo pipefail, GITHUB_OUTPUT, the step's env with its
``${{ ... }}`` expressions substituted) against a copy of the example in a git
repository, as on a pull request: the SARIF file and the comment body must come
out, and the last step must pass or fail as the change deserves. Steps that use
other actions (setup-python, upload-sarif, github-script) run only on GitHub; the
install step is checked for what it installs, since the aimsctl under test is
already installed here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from aimsctl import __version__
from aimsctl.outputs.diff import MARKER
from aimsctl.scaffold import ACTION, starter_files
from conftest import AS_OF, EXAMPLE, PROJECT, CliResult
from gitrepo import GIT_ENV, GitRepo, git

ACTION_FILE = PROJECT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION_FILE.read_text(encoding="utf-8"))
    return loaded


def _step(action: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in action["runs"]["steps"] if s.get("id") == name)


def test_the_action_is_composite_and_installs_its_own_version() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    install = _step(action, "install")
    # The action's own files, i.e. the ref the workflow names: never a registry version.
    assert install["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
    assert 'pip install --disable-pip-version-check --quiet "$ACTION_PATH"' in install["run"]
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            # Inputs reach the shell through env only, never pasted into the script.
            assert "${{" not in step["run"], step.get("name")
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert uses == [
        "actions/setup-python@v5",
        "github/codeql-action/upload-sarif@v4",
        "actions/github-script@v7",
    ]
    upload = next(s for s in action["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ steps.sarif.outputs.sarif-file }}"
    # The SARIF names its category (the governance folder): a `category` here is ignored.
    assert "category" not in upload["with"]
    assert "inputs.upload-sarif == 'true'" in upload["if"]


def test_the_comment_is_found_by_its_marker_and_edited_in_place() -> None:
    comment = next(s for s in _action()["runs"]["steps"] if "github-script" in s.get("uses", ""))
    script = comment["with"]["script"]
    # The marker is the folder step's: the bare one for the top of the checkout.
    assert comment["env"]["MARKER"] == "${{ steps.folder.outputs.marker }}"
    assert "const marker = process.env.MARKER;" in script
    assert "c.body.startsWith(marker)" in script
    assert "github.rest.issues.updateComment" in script
    assert "github.rest.issues.createComment" in script
    assert comment["with"]["github-token"] == "${{ inputs.github-token }}"
    diff = _step(_action(), "diff")
    assert "github.event_name == 'pull_request'" in diff["if"]


# Runs the comment step's script as github-script does (an async function given
# `github` and `context`), against a stand-in for GitHub's API that records calls.
COMMENT_HARNESS = """
const calls = [];
const comments = JSON.parse(process.env.COMMENTS);
const login = process.env.LOGIN;
const github = {
  paginate: async (list, params) => list(params),
  rest: {
    issues: {
      listComments: (params) => comments,
      updateComment: async (params) => { calls.push(['update', params.comment_id]); },
      createComment: async (params) => { calls.push(['create', params.issue_number]); },
    },
    users: {
      getAuthenticated: async () => {
        if (!login) { throw new Error('Resource not accessible by integration'); }
        return { data: { login } };
      },
    },
  },
};
const context = { repo: { owner: 'acme', repo: 'gov' }, issue: { number: 7 } };
(async function (github, context, require) {
SCRIPT
})(github, context, require).then(() => console.log(JSON.stringify(calls)));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node, as github-script runs it")
@pytest.mark.parametrize(
    ("login", "expected"),
    [
        # The workflow's GITHUB_TOKEN cannot ask whose it is: it writes as the bot.
        ("", [["update", 3]]),
        # A personal token edits its owner's comment only.
        ("alice", [["update", 2]]),
        # Nobody's comment of ours yet: a new one, the planted ones left alone.
        ("carol", [["create", 7]]),
    ],
)
def test_the_comment_step_edits_only_a_comment_its_own_token_wrote(
    tmp_path: Path, login: str, expected: list[list[object]]
) -> None:
    script = next(s for s in _action()["runs"]["steps"] if "github-script" in s.get("uses", ""))
    body = tmp_path / "comment.md"
    body.write_text(f"{MARKER}\nthe diff\n", encoding="utf-8")
    planted = f"{MARKER}\nnothing changes, merge it"
    comments = [
        {"id": 1, "user": {"login": "mallory"}, "body": planted},
        {"id": 2, "user": {"login": "alice"}, "body": f"{MARKER}\nold diff"},
        {"id": 3, "user": {"login": "github-actions[bot]"}, "body": f"{MARKER}\nold diff"},
        {"id": 4, "user": {"login": "github-actions[bot]"}, "body": "another bot's note"},
    ]
    harness = tmp_path / "harness.js"
    harness.write_text(
        COMMENT_HARNESS.replace("SCRIPT", script["with"]["script"]), encoding="utf-8"
    )
    env = {
        **os.environ,
        "COMMENT_FILE": str(body),
        "MARKER": MARKER,
        "COMMENTS": json.dumps(comments),
        "LOGIN": login,
    }
    done = subprocess.run(
        ["node", str(harness)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


def test_the_init_workflow_uses_the_action_at_the_version_that_wrote_it() -> None:
    workflow = yaml.safe_load(starter_files(date(2026, 11, 26))[".github/workflows/aimsctl.yml"])
    steps = workflow["jobs"]["aimsctl"]["steps"]
    used = next(s for s in steps if s["uses"].startswith(f"{ACTION}@"))
    assert used["uses"] == f"aimsctl/aimsctl@v{__version__}"
    # Every input the workflow passes is one the action declares.
    assert set(used["with"]) <= set(_action()["inputs"])
    # No branch is named: pushes count on the default branch, whatever it is called.
    assert workflow[True]["push"] is None  # PyYAML reads `on` as YAML 1.1's true
    text = starter_files(date(2026, 11, 26))[".github/workflows/aimsctl.yml"].decode()
    assert "main" not in text and "master" not in text
    for job in workflow["jobs"].values():
        assert job["if"] == (
            "github.event_name == 'pull_request' || "
            "github.ref_name == github.event.repository.default_branch"
        )
    checkout = steps[0]
    assert checkout["uses"] == "actions/checkout@v4" and checkout["with"]["fetch-depth"] == 0


def test_every_job_of_the_init_workflow_checks_out_the_whole_history(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # A shallow clone cannot tell whether a system changed after its impact assessment
    # was approved (AIMS407 errors), so `report all` refuses there what it renders in
    # the full clone the aimsctl job checks out: the reports job needs the history too.
    full = GitRepo(tmp_path / "full")
    shutil.copytree(EXAMPLE, full.root, dirs_exist_ok=True)
    full.commit("records", on="2026-11-24")
    full.write({"README.md": "# Governance\n"})
    full.commit("readme", on="2026-11-25")
    shallow = full.shallow_clone(tmp_path / "shallow", depth=1)
    for clone, code in ((full.root, 0), (shallow, 1)):
        result = cli("report", "all", clone, "--out", tmp_path / "out", "--as-of", AS_OF)
        assert result.exit_code == code, result.stderr
    workflow = yaml.safe_load(starter_files(date(2026, 11, 26))[".github/workflows/aimsctl.yml"])
    for name, job in workflow["jobs"].items():
        checkout = next(s for s in job["steps"] if s.get("uses") == "actions/checkout@v4")
        assert checkout.get("with", {}).get("fetch-depth") == 0, name


# --- running the shell steps ------------------------------------------------------------


def _substitute(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        return values[match.group(1)]  # an unknown expression fails the test

    return EXPRESSION.sub(one, text)


def _outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line)


# The parts of GitHub's expression syntax the action's `if:` conditions use.
CONDITION_TOKEN = re.compile(
    r"\s*(?:(?P<text>'[^']*')|(?P<operator>==|!=|&&|\|\||\(|\))|(?P<name>[A-Za-z_][\w.-]*))"
)


def _condition(expression: str, values: dict[str, str]) -> bool:
    """A step's `if:` as the runner evaluates it; a name without a value (the output
    of a step that did not run) is empty text."""
    python = []
    expression = expression.strip()
    position = 0
    while position < len(expression):
        token = CONDITION_TOKEN.match(expression, position)
        assert token is not None, f"cannot read {expression[position:]!r}"
        position = token.end()
        if token["text"] is not None:
            python.append(repr(token["text"][1:-1]))
        elif token["operator"] is not None:
            python.append({"&&": " and ", "||": " or "}.get(token["operator"], token["operator"]))
        else:
            python.append(repr(values.get(token["name"], "")))
    # Every value went in as a Python literal (repr), so only the operators are code.
    return bool(eval("".join(python), {"__builtins__": {}}))


def _run_action(
    workspace: Path,
    base: str,
    temp: Path,
    event: str = "pull_request",
    ran: list[str] | None = None,
    **inputs: str,
) -> tuple[int, str]:
    """Every shell step but the install whose `if:` holds, in order, as on a pull
    request (or ``event``); the last step's exit code and output. A step that fails
    stops the run, as on GitHub. ``ran`` gets the id (or the action used) of every
    step whose condition holds, the steps that run only on GitHub included."""
    action = _action()
    values = {f"inputs.{k}": str(v["default"]) for k, v in action["inputs"].items()}
    values |= {f"inputs.{k}": v for k, v in inputs.items()}
    values |= {
        "runner.temp": str(temp),
        "github.action_path": str(PROJECT),
        "github.event.pull_request.base.sha": base,
        "github.event_name": event,
    }
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    code, output = 0, ""
    for step in action["runs"]["steps"]:
        if "if" in step and not _condition(step["if"], values):
            continue
        if ran is not None:
            ran.append(step.get("id") or step.get("uses") or step["name"])
        if "run" not in step or step.get("id") == "install":
            continue
        github_output = temp / f"output-{step.get('id', 'last')}"
        github_output.unlink(missing_ok=True)  # a second run in the same runner.temp
        env = {k: _substitute(str(v), values) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env={**os.environ, **GIT_ENV, "PATH": path, "GITHUB_OUTPUT": str(github_output), **env},
            capture_output=True,
            text=True,
        )
        code, output = done.returncode, done.stdout + done.stderr
        if code != 0 and step is not action["runs"]["steps"][-1]:
            return code, output
        for key, value in _outputs(github_output).items():
            values[f"steps.{step['id']}.outputs.{key}"] = value
        values.setdefault("steps.diff.outputs.gate", "")
    return code, output


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str, Path]:
    """The example in a git repository: the base commit, and a workspace to change."""
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, workspace)
    git(workspace, "init", "-q", "-b", "trunk")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return workspace, base, temp


def test_the_steps_write_the_sarif_and_the_comment_and_pass_a_harmless_change(
    pull_request: tuple[Path, str, Path],
) -> None:
    workspace, base, temp = pull_request
    hire = workspace / "systems" / "SYS-HIRE.yaml"
    hire.write_text(hire.read_text().replace("Recruiters in the", "Recruiters of the", 1))
    git(workspace, "commit", "-q", "-am", "wording")
    code, output = _run_action(workspace, base, temp, **{"as-of": AS_OF})
    assert code == 0, output
    sarif = json.loads((temp / "aimsctl.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == [
        r for r in sarif["runs"][0]["results"] if r.get("suppressions")
    ]  # only the example's waived finding
    body = (temp / "aimsctl-diff.md").read_text(encoding="utf-8")
    assert body.startswith(MARKER + "\n")
    assert "SYS-HIRE" in body
    assert "::notice" in output  # the annotations of validate --format github


def test_a_change_that_makes_governance_worse_fails_with_the_comment_written(
    pull_request: tuple[Path, str, Path],
) -> None:
    workspace, base, temp = pull_request
    _make_worse(workspace)
    code, output = _run_action(workspace, base, temp, **{"as-of": AS_OF})
    assert code == 1
    assert "::error::this pull request makes governance worse" in output
    body = (temp / "aimsctl-diff.md").read_text(encoding="utf-8")
    assert body.startswith(MARKER) and "R-005" in body
    assert (temp / "aimsctl.sarif").is_file()


def _make_worse(workspace: Path) -> None:
    risk = workspace / "risks" / "R-005.yaml"
    text = risk.read_text()
    risk.write_text(
        text.replace(
            "residual: {likelihood: rare, severity: major}",
            "residual: {likelihood: almost certain, severity: severe}",
        )
    )
    assert risk.read_text() != text
    git(workspace, "commit", "-q", "-am", "worse")


def test_the_gates_hold_on_a_pull_request_that_is_not_commented(
    pull_request: tuple[Path, str, Path],
) -> None:
    """`comment: "false"` (say, for pull requests from forks, whose token cannot write
    a comment) skipped the comparison, and with it every `fail-on` gate: a pull
    request that relaxed a monitor's threshold tenfold passed. The comparison runs while
    `fail-on` names a gate; only the comment is left out, and the log shows why."""
    workspace, base, temp = pull_request
    # Valid records, so only the gate can fail the check: the limit raised tenfold.
    monitor = workspace / "monitors" / "MON-TRIAGE-75PLUS.yaml"
    text = monitor.read_text(encoding="utf-8")
    monitor.write_text(text.replace("threshold: {max: 0.05}", "threshold: {max: 0.5}"))
    assert monitor.read_text(encoding="utf-8") != text
    git(workspace, "commit", "-q", "-am", "relaxed")
    ran: list[str] = []
    code, output = _run_action(workspace, base, temp, ran=ran, comment="false", **{"as-of": AS_OF})
    assert code == 1, output
    assert "::error::this pull request makes governance worse" in output
    assert "diff" in ran and "actions/github-script@v7" not in ran
    assert "MON-TRIAGE-75PLUS" in (temp / "aimsctl-diff.md").read_text(encoding="utf-8")
    # With no gate named either, nothing is compared: no history is needed.
    ran.clear()
    code, output = _run_action(
        workspace, base, temp, ran=ran, comment="false", **{"fail-on": "", "as-of": AS_OF}
    )
    assert code == 0, output
    assert "diff" not in ran and "actions/github-script@v7" not in ran
    # Commented, as before; on a push there is no pull request to compare with.
    ran.clear()
    assert _run_action(workspace, base, temp, ran=ran, **{"as-of": AS_OF})[0] == 1
    assert "diff" in ran and "actions/github-script@v7" in ran
    ran.clear()
    assert _run_action(workspace, base, temp, event="push", ran=ran, **{"as-of": AS_OF})[0] == 0
    assert "diff" not in ran and "actions/github-script@v7" not in ran


@pytest.mark.parametrize(
    ("strict", "code"),
    [("true", 1), ("TRUE", 1), ("True", 1), ("false", 0), ("False", 0), ("yes", 2), ("", 2)],
)
def test_strict_is_true_or_false_in_any_case_and_nothing_else(
    strict: str, code: int, pull_request: tuple[Path, str, Path]
) -> None:
    """`strict: "yes"` (or "True", quoted) was read as "false": the warnings the
    workflow meant to fail the check passed it. Here the one warning left once the
    waiver of it is gone."""
    workspace, base, temp = pull_request
    git(workspace, "rm", "-q", "waivers/WVR-1.yaml")
    git(workspace, "commit", "-q", "-m", "no waiver")
    found, output = _run_action(workspace, base, temp, strict=strict, **{"as-of": AS_OF})
    assert found == code, output
    if code == 2:
        assert '::error::the strict input must be "true" or "false"' in output
    else:
        assert "title=AIMS503::control is marked implemented but lists no evidence" in output


def test_an_unusable_repository_stops_at_the_first_step(tmp_path: Path) -> None:
    workspace = tmp_path / "empty"
    workspace.mkdir()
    temp = tmp_path / "temp"
    temp.mkdir()
    code, output = _run_action(workspace, "0" * 40, temp, path="no-such-folder")
    assert code == 2
    assert "aimsctl: error:" in output
    assert not (temp / "aimsctl.sarif").exists()


def _comment(temp: Path) -> str:
    """The comment the last run of the action wrote (its comment-file output)."""
    return Path(_outputs(temp / "output-diff")["comment-file"]).read_text(encoding="utf-8")


def test_two_governance_folders_keep_their_own_files_and_comments(tmp_path: Path) -> None:
    """Both runs wrote $RUNNER_TEMP/aimsctl.sarif and aimsctl-diff.md, and both comments
    started with the bare marker: on one pull request the second run's comment
    replaced the first's, and in one job its files replaced those the first named."""
    workspace = tmp_path / "workspace"
    for folder in ("hr", "ops/ai"):
        shutil.copytree(EXAMPLE, workspace / folder)
    git(workspace, "init", "-q", "-b", "trunk")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    for folder in ("hr", "ops/ai"):
        hire = workspace / folder / "systems" / "SYS-HIRE.yaml"
        hire.write_text(hire.read_text().replace("Recruiters in the", f"{folder} in the", 1))
    git(workspace, "commit", "-q", "-am", "wording")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    written: dict[str, tuple[str, str, str]] = {}
    for path in ("hr", "./ops/ai/"):
        code, output = _run_action(workspace, base, temp, path=path, **{"as-of": AS_OF})
        assert code == 0, output
        sarif = _outputs(temp / "output-sarif")["sarif-file"]
        comment = _outputs(temp / "output-diff")["comment-file"]
        written[path] = (sarif, comment, Path(comment).read_text(encoding="utf-8"))
    (hr_sarif, hr_comment, hr_body), (ops_sarif, ops_comment, ops_body) = written.values()
    assert hr_body.startswith("<!-- aimsctl-diff hr/ -->\n### ")
    assert ops_body.startswith("<!-- aimsctl-diff ops/ai/ -->\n### ")
    assert "hr in the" in hr_body and "ops/ai in the" in ops_body
    # Four files under runner.temp, none the top folder's; the first run's still its own.
    assert len({hr_sarif, hr_comment, ops_sarif, ops_comment}) == 4
    assert {Path(f).parent for f in (hr_sarif, hr_comment, ops_sarif, ops_comment)} == {temp}
    assert not (temp / "aimsctl.sarif").exists() and not (temp / "aimsctl-diff.md").exists()
    assert Path(hr_comment).read_text(encoding="utf-8") == hr_body
    hr_log = json.loads(Path(hr_sarif).read_text(encoding="utf-8"))
    assert hr_log["runs"][0]["automationDetails"]["id"] == "aimsctl/validate/hr/"


@pytest.mark.parametrize("path", [".", "./", "hr/.."])
def test_the_top_of_the_checkout_keeps_the_bare_marker_and_file_names(
    path: str, pull_request: tuple[Path, str, Path]
) -> None:
    # Comments written before the marker named the folder are still found and edited.
    workspace, base, temp = pull_request
    (workspace / "hr").mkdir()
    code, output = _run_action(workspace, base, temp, path=path, **{"as-of": AS_OF})
    assert code == 0, output
    assert _outputs(temp / "output-folder") == {
        "marker": MARKER,
        "sarif": f"{temp}/aimsctl.sarif",
        "comment": f"{temp}/aimsctl-diff.md",
    }
    assert _comment(temp).startswith(MARKER + "\n### ")


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("gov -->x", "<!-- aimsctl-diff gov%20--%3Ex/ -->"),
        ("a\nb", "<!-- aimsctl-diff a%0Ab/ -->"),
        ("r\u00e9gie", "<!-- aimsctl-diff r%C3%A9gie/ -->"),
    ],
)
def test_a_folder_name_cannot_end_the_marker_or_its_line(
    path: str, marker: str, tmp_path: Path
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    code, _ = _run_action(tmp_path, "0" * 40, temp, path=path)
    assert code == 2  # no such folder: validate stops the run, after the names
    names = _outputs(temp / "output-folder")
    assert names["marker"] == marker
    assert Path(names["sarif"]).parent == temp and "\n" not in names["sarif"]


def test_a_folder_whose_name_starts_with_a_dash_is_a_folder(tmp_path: Path) -> None:
    """validate was given the folder before its options: a governance folder named
    '-gov' was read as options ('No such option: -g'), and the run stopped (exit 2)."""
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, workspace / "-gov")
    git(workspace, "init", "-q", "-b", "trunk")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    temp = tmp_path / "temp"
    temp.mkdir()
    code, output = _run_action(workspace, base, temp, path="-gov", **{"as-of": AS_OF})
    assert code == 0, output
    assert "::notice" in output  # the annotations of validate --format github
    sarif = json.loads(Path(_outputs(temp / "output-sarif")["sarif-file"]).read_text())
    assert sarif["runs"][0]["automationDetails"]["id"] == "aimsctl/validate/-gov/"
    assert _comment(temp).startswith("<!-- aimsctl-diff -gov/ -->\n")


# `uses: owner/name[/path]@ref` of another project's action, wherever a workflow is
# written out for people to copy or run.
USES = re.compile(r"uses:\s*([\w.-]+/[\w./-]+)@([\w.-]+)")


def test_every_action_is_used_at_one_version_everywhere() -> None:
    # docs/ci.md's hand-written workflow uploaded with codeql-action/upload-sarif@v4
    # while action.yml used @v3 (a major version GitHub is retiring): each action
    # another project publishes is now at one version in action.yml, the docs, the
    # README and the workflow `aimsctl init` writes.
    sources = [ACTION_FILE, PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
    sources += sorted((PROJECT / "src" / "aimsctl" / "starter").rglob("*.yml.j2"))
    versions: dict[str, set[str]] = {}
    for source in sources:
        for name, ref in USES.findall(source.read_text(encoding="utf-8")):
            if not name.startswith("aimsctl/"):  # aimsctl's own action: its release
                versions.setdefault(name, set()).add(ref)
    assert versions["github/codeql-action/upload-sarif"] == {"v4"}
    assert {name: refs for name, refs in versions.items() if len(refs) > 1} == {}
