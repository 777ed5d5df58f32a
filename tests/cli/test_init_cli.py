"""`aimsctl init` end to end: a repository that validates, the example, no overwrite."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, BUNDLED_EXAMPLE, CliResult, run_with_reader_gone
from gitrepo import GitRepo, git, inside_git

Cli = Callable[..., CliResult]


# What validate reports straight after init, all as warnings while the management
# system is being set up (AIMS624: aims.yaml says nothing of when it was established):
# the placeholders (AIMS107), and what init leaves unclaimed: the first audit's
# independence (AIMS613), the policy's approval (AIMS601: it is a draft), a management
# review held (AIMS617) and the first audit planned (AIMS612: its auditor is a `TODO:`,
# so nobody is to audit).
STARTER_CODES = {"AIMS107", "AIMS613", "AIMS601", "AIMS617", "AIMS612", "AIMS624"}


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def _decide_everything(root: Path) -> None:
    """What a new user does first: write the scope, decide every control, make the
    examples their own. Every `TODO:` placeholder gets real text."""
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "TODO: say why this control applies (and set its status), or set\n"
            "  applicable: false and say why it does not.",
            "Applies to every AI system in scope: we develop and run them ourselves.",
        )
        text = re.sub(r"TODO: the AI systems", "The AI systems", text)
        text = re.sub(r"TODO: an example [^.]*\. ?", "", text)
        # The management system: who holds each role, where the policy is kept, who
        # audits.
        text = text.replace(
            "TODO: the name or e-mail address of the person in this role", "Alex Morgan"
        )
        text = text.replace(
            "TODO: where the approved policy text is kept, a path in this repository or a\n  URL.",
            "https://intranet.acme.example/policies/ai-policy",
        )
        text = text.replace(
            "TODO: who audits: someone independent of what they audit", "Group Internal Audit"
        )
        # the starter claims no independence: the person naming the auditor does
        text = re.sub(r"independent: false.*", "independent: true", text)
        path.write_text(text, encoding="utf-8")


def _establish(root: Path, on: str) -> None:
    """What the comment on `established` in aims.yaml says to do once top management
    has established the management system."""
    path = root / "aims.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n# established: " in text
    path.write_text(re.sub(r"\n# established: .*", f"\nestablished: {on}", text), encoding="utf-8")


def _approve_policy(root: Path, on: str) -> None:
    """What top management's approval of the written policy adds, as its comment says:
    `status: approved` and who approved it (a top-management role) on which day."""
    path = root / "policies" / "POL-AI.yaml"
    text = path.read_text(encoding="utf-8")
    assert "status: draft\n" in text and "approval:" not in text.split("kind:", 1)[1]
    approved = f"status: approved\napproval: {{by: chief-executive, on: {on}}}\n"
    path.write_text(text.replace("status: draft\n", approved), encoding="utf-8")


def test_init_creates_a_repository_that_validates_clean_and_lists_what_is_left(
    tmp_path: Path, cli: Cli
) -> None:
    if inside_git(tmp_path):
        pytest.skip("the temporary folder itself lies inside a git repository")
    target = tmp_path / "governance"
    result = cli("init", target, "--organization", "Acme Health", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"Created 14 files in {target}.\nInitialized a git repository in {target}.\n"
    )
    assert (target / ".git").is_dir()
    assert "organization: Acme Health\n" in (target / "aims.yaml").read_text(encoding="utf-8")
    # Straight after init it validates clean (cli.md), and nothing is decided: the
    # management system is being set up, and what is left to decide is listed as
    # warnings. The Statement of Applicability counts no control as decided.
    checked = cli("validate", target, "--format", "json", "--as-of", AS_OF)
    assert checked.exit_code == 0
    report = json.loads(checked.stdout)
    codes = {d["code"] for d in report["diagnostics"]}
    assert codes == STARTER_CODES
    assert report["summary"]["errors"] == 0
    # The controls, the scope, the examples, and the management system's placeholders:
    # the policy (2), the role holders (3), the objective, the audit (2) and the
    # nonconformity.
    placeholders = [d for d in report["diagnostics"] if d["code"] == "AIMS107"]
    assert len(placeholders) == 38 + 1 + 3 + 9
    controls = cli("controls", target, "--as-of", AS_OF).stdout
    assert "0 of 38 Annex A controls decided, 0 missing, 38 still placeholders" in controls
    # Once the placeholders are replaced, the policy is still a draft: init claims no
    # approval, so AIMS601 stays until top management approves it.
    _decide_everything(target)
    checked = cli("validate", target, "--format", "json", "--as-of", AS_OF)
    assert checked.exit_code == 0
    assert [
        (d["code"], d["severity"], d["path"]) for d in json.loads(checked.stdout)["diagnostics"]
    ] == [
        ("AIMS617", "warning", "aims.yaml"),
        ("AIMS624", "warning", "aims.yaml"),
        ("AIMS601", "warning", "policies/POL-AI.yaml"),
    ]
    # Established without an approved policy, the management system lacks its first
    # decision: an error from that day.
    established = tmp_path / "established"
    shutil.copytree(target, established)
    _establish(established, AS_OF)
    checked = cli("validate", established, "--format", "json", "--as-of", AS_OF)
    assert checked.exit_code == 1
    assert [(d["code"], d["severity"]) for d in json.loads(checked.stdout)["diagnostics"]] == [
        ("AIMS617", "warning"),
        ("AIMS601", "error"),
    ]
    # Approved, it validates with no error through the first year of its management
    # system (the last day of which is 2027-11-26), and one reminder: the first
    # management review, which init does not claim was held. By that last day the
    # first audit, planned for 2027-10-03, has not begun: that plan plans nothing.
    _approve_policy(target, AS_OF)
    for day, codes in ((AS_OF, ["AIMS617"]), ("2027-11-26", ["AIMS612", "AIMS617"])):
        checked = cli("validate", target, "--format", "json", "--as-of", day)
        assert checked.exit_code == 0, checked.stdout
        assert [d["code"] for d in json.loads(checked.stdout)["diagnostics"]] == codes
        assert json.loads(checked.stdout)["summary"]["records"] == 48
    owed = json.loads(cli("due", target, "--as-of", AS_OF, "--within", "365", "-f", "json").stdout)
    [review] = [i for i in owed["items"] if i["kind"] == "ManagementReview"]
    assert (review["record"], review["item"], review["due"]) == (
        "aims.yaml",
        "first-review",
        "2027-11-26",
    )
    # Later, only the management system's recurring work has fallen due: the first
    # internal audit and the first management review (errors), the review of the
    # policy and the example objective (warnings). Nothing else has aged.
    later = json.loads(cli("validate", target, "--format", "json", "--as-of", "2029-12-31").stdout)
    assert sorted((d["code"], d["path"]) for d in later["diagnostics"]) == [
        ("AIMS602", "policies/POL-AI.yaml"),
        ("AIMS609", "objectives/OBJ-SOA.yaml"),
        ("AIMS611", "audits/AUD-FIRST.yaml"),
        ("AIMS616", "aims.yaml"),
    ]
    assert "38 of 38 Annex A controls decided" in cli("controls", target).stdout


def test_the_starters_placeholders_count_as_nothing_done(tmp_path: Path, cli: Cli) -> None:
    """The starter's review (held on the day of init, chaired by the chief executive,
    every input listed) counted as a management review held: on the day of init `due`
    put the next review a year later as MR-FIRST's, AIMS617 said nothing, and a year on
    AIMS616 counted from a review nobody held. Init writes no review now, and its
    policy is a draft: nothing it writes counts as done, and each output says what is
    owed."""
    target = tmp_path / "governance"
    assert cli("init", target, "--as-of", AS_OF).exit_code == 0
    _establish(target, AS_OF)
    owed = json.loads(cli("due", target, "--as-of", AS_OF, "--within", "365", "-f", "json").stdout)
    cadence = {
        (i["kind"], i["record"], i["item"]): (i["due"], i["overdue"], i["what"])
        for i in owed["items"]
        if i["kind"] in ("ManagementReview", "InternalAudit", "Policy")
    }
    established = f"the AIMS was established on {AS_OF}; every 365 days"
    assert cadence == {
        ("Policy", "POL-AI", "approval"): (
            AS_OF,
            True,
            "approval of the AI policy (POL-AI is a draft)",
        ),
        ("InternalAudit", "AUD-FIRST", "planned"): (
            "2027-09-22",
            False,
            "planned internal audit to begin (AUD-FIRST still holds placeholder text (TODO:), "
            "so it does not count as planned)",
        ),
        ("InternalAudit", "aims.yaml", "first-audit"): (
            "2027-11-26",
            False,
            f"first internal audit ({established})",
        ),
        ("ManagementReview", "aims.yaml", "first-review"): (
            "2027-11-26",
            False,
            f"first management review ({established})",
        ),
    }
    checked = json.loads(cli("validate", target, "--as-of", AS_OF, "-f", "json").stdout)
    said = {d["code"]: d["message"] for d in checked["diagnostics"] if d["code"] >= "AIMS600"}
    assert said["AIMS617"] == (
        f"no management review has been held yet; the AIMS was established on {AS_OF}, so "
        "the first falls due on 2027-11-26"
    )
    assert said["AIMS601"] == "no AI policy is approved: POL-AI is draft"
    # The first audit it plans names no auditor: no plan, said at its planned date.
    assert said["AIMS612"] == (
        f"no internal audit is completed or planned; the AIMS was established on {AS_OF}, so "
        "the first falls due on 2027-11-26 (AUD-FIRST still holds placeholder text (TODO:), so "
        "it does not count as planned)"
    )
    [unplanned] = [d for d in checked["diagnostics"] if d["code"] == "AIMS612"]
    assert (unplanned["path"], unplanned["pointer"]) == ("audits/AUD-FIRST.yaml", "/planned")
    [planned] = [i for i in owed["items"] if i["item"] == "planned"]
    assert planned["owner"] is None  # its auditor is a placeholder: nobody yet
    # A year on, the first review is overdue, not the next after one never held.
    late = json.loads(cli("validate", target, "--as-of", "2027-11-27", "-f", "json").stdout)
    [overdue] = [d for d in late["diagnostics"] if d["code"] == "AIMS616"]
    assert overdue["message"].startswith("no management review has been held;")
    status = cli("status", target, "--as-of", AS_OF)
    assert "Due: 1 overdue" in status.stdout
    assert "approval of the AI policy (POL-AI is a draft)" in status.stdout
    # A review recorded with `new`, its decisions still TODO, is no review held either.
    made = cli(
        "new", "ManagementReview", "--no-input", "--set", f"held={AS_OF}", "--as-of", AS_OF, target
    )
    assert made.exit_code == 0, made.stderr
    review_id = Path(made.stdout.strip()).stem
    owed = json.loads(cli("due", target, "--as-of", AS_OF, "--within", "365", "-f", "json").stdout)
    [first] = [i for i in owed["items"] if i["kind"] == "ManagementReview"]
    assert (first["record"], first["due"]) == ("aims.yaml", "2027-11-26")
    assert first["what"].endswith(
        f"; {review_id} still holds placeholder text (TODO:), so it does not count as held)"
    )


def test_the_starter_policy_claims_no_approval_until_one_is_recorded(
    tmp_path: Path, cli: Cli
) -> None:
    """The starter's POL-AI said `status: approved`, approved by chief-executive on the
    day init ran: once its `TODO:` text was replaced, the repository claimed that top
    management approved the AI policy that day, which nobody did. It is a draft now:
    `due` owes its approval from the day of init, AIMS601 reports it until the user
    records an approval, and then the approval starts the policy's review cadence."""
    target = tmp_path / "governance"
    made = cli("init", target, "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    assert "once top management has approved the AI policy: record who and when" in made.stdout
    assert "name who audits the first internal audit in audits/AUD-FIRST.yaml" in made.stdout
    text = (target / "policies/POL-AI.yaml").read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    assert record["status"] == "draft" and "approval" not in record
    assert "top_management: true" in text  # the comment says who may approve it
    _decide_everything(target)

    def policy_items(day: str) -> dict[str, tuple[str, bool, str]]:
        owed = json.loads(
            cli("due", target, "--as-of", day, "--within", "400", "-f", "json").stdout
        )
        return {
            i["item"]: (i["due"], i["overdue"], i["what"])
            for i in owed["items"]
            if i["record"] == "POL-AI"
        }

    assert policy_items(AS_OF) == {
        "approval": (AS_OF, True, "approval of the AI policy (POL-AI is a draft)")
    }
    checked = json.loads(cli("validate", target, "--as-of", AS_OF, "-f", "json").stdout)
    [missing] = [d for d in checked["diagnostics"] if d["code"] == "AIMS601"]
    assert (missing["path"], missing["message"]) == (
        "policies/POL-AI.yaml",
        "no AI policy is approved: POL-AI is draft",
    )
    # Top management approves it a week later; recorded, AIMS601 goes and the next
    # review falls due a cadence (365 days) after the approval.
    _approve_policy(target, "2026-12-03")
    later = "2026-12-04"
    checked = json.loads(cli("validate", target, "--as-of", later, "-f", "json").stdout)
    assert [d["code"] for d in checked["diagnostics"]] == ["AIMS617"]
    assert policy_items(later) == {"next-review": ("2027-12-03", False, "review of the AI policy")}


def test_deleting_the_example_system_as_its_comment_says_leaves_nothing_broken(
    tmp_path: Path, cli: Cli
) -> None:
    """The example system's comment said to delete it with its risk and assessment;
    roles/roles.yaml names it too (`accountable_for`), so doing just that left an error
    (AIMS201). The comment, and init's Next, now name every file that names it."""
    target = tmp_path / "governance"
    made = cli("init", target, "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    assert "roles/roles.yaml" in made.stdout
    opening = (target / "systems/SYS-EXAMPLE.yaml").read_text(encoding="utf-8").split("kind:")[0]
    naming = {
        rel
        for rel, data in tree(target).items()
        if rel.endswith(".yaml") and b"SYS-EXAMPLE" in data and "SYS-EXAMPLE" not in rel
    }
    assert naming == {"risks/R-EXAMPLE-1.yaml", "assessments/IA-EXAMPLE.yaml", "roles/roles.yaml"}
    assert all(rel in " ".join(opening.split()) for rel in naming)
    for rel in (
        "systems/SYS-EXAMPLE.yaml",
        "risks/R-EXAMPLE-1.yaml",
        "assessments/IA-EXAMPLE.yaml",
    ):
        (target / rel).unlink()
    roles = target / "roles/roles.yaml"
    text = roles.read_text(encoding="utf-8")
    roles.write_text(
        text.replace("accountable_for: [SYS-EXAMPLE]", "accountable_for: []"), encoding="utf-8"
    )
    report = json.loads(cli("validate", target, "--format", "json", "--as-of", AS_OF).stdout)
    assert {d["code"] for d in report["diagnostics"]} == STARTER_CODES


def test_the_new_repository_works_with_diff_once_committed(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "governance"
    assert cli("init", target).exit_code == 0
    if not (target / ".git").is_dir():
        pytest.skip("the temporary folder lies inside another git repository")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "Start the AIMS")
    risk = target / "risks" / "R-EXAMPLE-1.yaml"
    risk.write_text(
        risk.read_text(encoding="utf-8").replace(
            "inherent: {likelihood: Possible, severity: Moderate}",
            "inherent: {likelihood: Likely, severity: Major}",
        ),
        encoding="utf-8",
    )
    result = cli("diff", "HEAD", target, "--fail-on", "appetite-crossed")
    assert result.exit_code == 1
    assert (
        "R-EXAMPLE-1  9 medium (inherent) -> 16 high (inherent)  crosses the appetite: now above"
        in result.stdout
    )


def test_deleting_the_examples_in_a_pull_request_trips_no_gate(tmp_path: Path, cli: Cli) -> None:
    """init says to replace the examples or delete them, and its workflow runs every
    gate: deleting them failed the first pull request (open-risk-removed for
    R-EXAMPLE-1, management-record-removed for SYS-EXAMPLE and IA-EXAMPLE), though
    still placeholders they recorded nothing. Once written as the organization's own,
    deleting one counts like any other record."""
    from aimsctl.vocabulary import FAIL_ON, STARTER_EXAMPLES

    target = tmp_path / "governance"
    assert cli("init", target, "--as-of", AS_OF).exit_code == 0
    if not (target / ".git").is_dir():
        pytest.skip("the temporary folder lies inside another git repository")
    examples = ("systems/SYS-EXAMPLE.yaml", "risks/R-EXAMPLE-1.yaml", "assessments/IA-EXAMPLE.yaml")
    assert sorted(Path(rel).stem for rel in examples) == sorted(STARTER_EXAMPLES)
    roles = target / "roles/roles.yaml"
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "Start the AIMS")
    every = ",".join(FAIL_ON)

    def delete_examples() -> None:
        for rel in examples:
            (target / rel).unlink()
        text = roles.read_text(encoding="utf-8")
        roles.write_text(text.replace("[SYS-EXAMPLE]", "[]"), encoding="utf-8")

    delete_examples()
    result = cli("diff", "HEAD", target, "--fail-on", every, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout + result.stderr
    git(target, "checkout", "-q", "--", ".")
    # Made a real risk, its `TODO:` text left in place or not: its deletion counts.
    risk = target / "risks/R-EXAMPLE-1.yaml"
    starter = risk.read_text(encoding="utf-8")
    for made_real in (
        starter.replace("TODO: an example to replace", "Ours now:"),
        starter.replace(
            "{likelihood: Possible, severity: Moderate}", "{likelihood: 5, severity: 5}"
        ),
    ):
        risk.write_text(made_real, encoding="utf-8")
        git(target, "commit", "-q", "-am", "The risk is ours")
        delete_examples()
        shown = json.loads(
            cli("diff", "HEAD", target, "-f", "json", "--fail-on", every, "--as-of", AS_OF).stdout
        )
        assert [r["id"] for r in shown["removed_open_risks"]] == ["R-EXAMPLE-1"]
        git(target, "checkout", "-q", "--", ".")


def test_the_workflow_uses_the_action_and_any_default_branch(tmp_path: Path, cli: Cli) -> None:
    import yaml

    from aimsctl import __version__

    target = tmp_path / "governance"
    assert cli("init", target).exit_code == 0
    text = (target / ".github" / "workflows" / "aimsctl.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["aimsctl"]["steps"]
    assert f"aimsctl/aimsctl@v{__version__}" in [step["uses"] for step in steps]
    # Whatever branch git made (master or main, by the machine's init.defaultBranch),
    # no branch is named: the default branch is asked of GitHub at run time.
    if (target / ".git").is_dir():
        branch = git(target, "symbolic-ref", "--short", "HEAD").strip()
        assert branch not in text
    assert workflow[True]["push"] is None  # PyYAML reads `on` as YAML 1.1's true
    assert "github.event.repository.default_branch" in workflow["jobs"]["aimsctl"]["if"]


def test_init_inside_an_existing_git_repository(tmp_path: Path, cli: Cli) -> None:
    outer = GitRepo(tmp_path / "project")
    target = outer.top / "compliance"
    result = cli("init", target, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert not (target / ".git").exists()  # no nested repository
    assert "lies inside the git repository as compliance/" in result.stdout
    hook = (target / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: aimsctl validate --staged compliance\n" in hook
    _decide_everything(target)
    _approve_policy(target, AS_OF)
    assert cli("validate", target, "--as-of", AS_OF).exit_code == 0


def test_init_example_equals_the_bundled_example(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "northwind"
    result = cli("init", target, "--example")
    assert result.exit_code == 0, result.stderr
    assert tree(target) == tree(BUNDLED_EXAMPLE)
    checked = cli("validate", target, "--as-of", AS_OF, "--format", "json")
    assert checked.exit_code == 0
    assert json.loads(checked.stdout)["summary"]["errors"] == 0


def test_init_never_overwrites(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "governance"
    target.mkdir()
    (target / "aims.yaml").write_text("version: 1\norganization: Mine\n", encoding="utf-8")
    (target / ".gitignore").write_text("*.log\n", encoding="utf-8")
    result = cli("init", target)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: {target} already has 2 of the files to create (.gitignore, "
        "aims.yaml); nothing was written. Move them away, or choose an empty folder.\n"
    )
    assert tree(target) == {
        ".gitignore": b"*.log\n",
        "aims.yaml": b"version: 1\norganization: Mine\n",
    }
    assert not (target / ".git").exists()
    assert cli("init", target, "--example").exit_code == 2


def test_init_never_writes_through_a_linked_folder(tmp_path: Path, cli: Cli) -> None:
    # A folder of the new repository that was a link (risks -> a shared folder) took
    # the starter's example risk there: a file outside the repository, which its
    # validate never reads, and a repository without the risk its roles name.
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    target = tmp_path / "governance"
    target.mkdir()
    (target / "risks").symlink_to(elsewhere)
    for options in ((), ("--example",)):
        result = cli("init", target, *options)
        assert result.exit_code == 2
        assert result.stderr == (
            "aimsctl: error: risks is a symbolic link: aimsctl writes records only through "
            "real folders and files; nothing was written\n"
        )
        assert list(elsewhere.iterdir()) == []
        assert sorted(p.name for p in target.iterdir()) == ["risks"]
        assert (target / "risks").is_symlink()


def test_a_file_that_appears_while_init_writes_is_never_overwritten(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # init checked once that none of its files existed, then replaced whatever stood
    # at each name: an aims.yaml saved there meanwhile (a second init, an editor) was
    # lost without a word.
    from aimsctl import scaffold

    target = tmp_path / "governance"
    checked = scaffold.conflicts

    def then_saved(folder: Path, files: Mapping[str, bytes]) -> list[str]:
        found = checked(folder, files)
        folder.mkdir(exist_ok=True)
        (folder / "aims.yaml").write_text("version: 1\norganization: Mine\n")
        return found

    monkeypatch.setattr(scaffold, "conflicts", then_saved)
    result = cli("init", target)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: {target / 'aims.yaml'} appeared while init was writing; "
        "nothing was left behind, and that file is kept\n"
    )
    assert tree(target) == {"aims.yaml": b"version: 1\norganization: Mine\n"}
    assert not (target / ".git").exists()


def test_init_inside_another_governance_repository_writes_nothing(tmp_path: Path, cli: Cli) -> None:
    # The new repository's files lay among the outer one's records: its validate then
    # read 49 more records, every Annex A control and the examples twice (AIMS105).
    outer = tmp_path / "governance"
    assert cli("init", outer, "--as-of", AS_OF).exit_code == 0
    before = tree(outer)
    for target, options in ((outer / "systems", ()), (outer / "teams" / "a", ("--example",))):
        result = cli("init", target, *options)
        assert result.exit_code == 2
        assert result.stderr == (
            f"aimsctl: error: {target} lies inside the governance repository {outer} (it "
            "holds aims.yaml), which would read the new repository's files as its own "
            "records; nothing was written. Choose a folder outside it.\n"
        )
    assert tree(outer) == before


def test_init_over_a_file_and_bad_options(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = cli("init", tmp_path / "file")
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr
    result = cli("init", tmp_path / "x", "--example", "--organization", "Acme")
    assert result.exit_code == 2
    assert "--organization does not apply to --example" in result.stderr
    assert cli("init", tmp_path / "y", "--organization", " ").exit_code == 2
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_init_makes_the_git_repository_when_nobody_reads_what_it_prints(tmp_path: Path) -> None:
    """`aimsctl init DIR | head -0`: the run ends (141) once the reader has gone; it ran
    git init after printing 'Created ...', so the files stood without a repository, and
    init again refused them as existing."""
    assert run_with_reader_gone("init", str(tmp_path / "aims"), "--as-of", AS_OF) == (141, b"")
    assert (tmp_path / "aims" / ".git").is_dir()
    assert (tmp_path / "aims" / "aims.yaml").is_file()


def test_init_with_git_dir_set_writes_nothing_and_leaves_that_repository_alone(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With GIT_DIR set, `git init DIR` sets up the repository GIT_DIR names, not one in
    DIR: init said "Initialized a git repository in DIR" while DIR had no .git, and
    git had re-initialised the other repository. It now refuses before writing."""
    if inside_git(tmp_path):
        pytest.skip("the temporary folder itself lies inside a git repository")
    other = GitRepo(tmp_path / "other")
    other.write({"notes.txt": "kept\n"})
    other.commit("Notes")
    before = {p.relative_to(other.top).as_posix() for p in (other.top / ".git").rglob("*")}
    monkeypatch.setenv("GIT_DIR", str(other.top / ".git"))
    target = tmp_path / "aims"
    result = cli("init", target, "--as-of", AS_OF)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr == (
        f"aimsctl: error: GIT_DIR is set ({other.top / '.git'}), so `git init` would set up "
        f"the repository it names rather than make one in {target}; unset GIT_DIR to make "
        "a repository there, or set GIT_WORK_TREE to the top of the work tree of the one it "
        "names to add the files to that\n"
    )
    assert not target.exists()
    after = {p.relative_to(other.top).as_posix() for p in (other.top / ".git").rglob("*")}
    assert after == before
    # With the work tree named too, DIR lies in that repository: no git init is needed.
    monkeypatch.setenv("GIT_WORK_TREE", str(other.top))
    inside = cli("init", other.top / "compliance", "--as-of", AS_OF)
    assert inside.exit_code == 0, inside.stderr
    assert "lies inside the git repository as compliance/" in inside.stdout


def test_init_without_a_git_program_says_so_in_one_line(tmp_path: Path) -> None:
    """GitPython refuses to load without git, in a page about its own settings, which
    init passed on as 17 error lines; it is the one line git missing always gives."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["PATH"] = str(tmp_path / "no-programs")
    args = [sys.executable, "-m", "aimsctl", "init", str(tmp_path / "aims"), "--as-of", AS_OF]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert result.stdout == f"Created 14 files in {tmp_path / 'aims'}.\n"
    assert result.stderr == (
        "aimsctl: error: the git program is not installed or not on PATH; install git\n"
    )


def test_the_folder_is_shown_escaped(tmp_path: Path, cli: Cli) -> None:
    """A folder named with an escape sequence, a bidi override or a line break: init
    printed its name as it was, on every line that names it."""
    folder = tmp_path / "aims\x1b[2J\u202e\nnext"
    result = cli("init", folder, "--as-of", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    assert (folder / "aims.yaml").is_file()
    for char in "\x1b\u202e":
        assert char not in result.stdout
    shown = f"{tmp_path}/aims\\x1b[2J\\u202e\\nnext"
    assert f"Created 14 files in {shown}.\n" in result.stdout
    assert f"  aimsctl validate '{shown}'\n" in result.stdout  # quoted, as a shell needs


@pytest.mark.parametrize("name", ["my aims", "it's", "-aims", "plain-aims"])
def test_the_next_command_can_be_pasted_into_a_shell(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # 'aimsctl validate my aims' named a folder 'my' (and an extra argument 'aims'),
    # "it's" opened a quote the shell waited to see closed, and -aims was read as options.
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--as-of", AS_OF, "--", name)
    assert result.exit_code == 0, result.stderr
    line = result.stdout.splitlines()[-1]
    words = subprocess.run(
        ["sh", "-c", f"printf '%s\\n' {line}"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert words[:2] == ["aimsctl", "validate"]
    assert len(words) == 3 and not words[2].startswith("-"), line
    assert (tmp_path / words[2]).resolve() == (tmp_path / name).resolve()


def test_an_empty_folder_argument_is_refused(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `aimsctl init "$UNSET"`: Typer read "" as ".", and the starter went into the
    # current folder.
    monkeypatch.chdir(tmp_path)
    for empty in ("", "  "):
        result = cli("init", empty)
        assert (result.exit_code, result.stdout) == (2, "")
        assert "DIR is empty: name the folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_argument_that_is_not_utf8_is_refused_before_anything_is_made(
    tmp_path: Path, cli: Cli
) -> None:
    # Python keeps undecodable bytes as lone surrogates: written into aims.yaml, they
    # made a file aimsctl itself could not read. An existing path is read as it is.
    result = cli("init", tmp_path / "new", "--organization", "Caf\udce9 Corp")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "aimsctl: error: the argument b'Caf\\xe9 Corp' (after --organization) is not UTF-8 "
        "text: aimsctl takes text, and the names of files it makes, in UTF-8\n"
    )
    assert not (tmp_path / "new").exists()
    odd = tmp_path / "caf\udce9"
    odd.mkdir()
    assert cli("validate", odd).exit_code == 2  # read, and found to hold no aims.yaml
    assert "not UTF-8" not in cli("validate", odd).stderr


@pytest.mark.parametrize(
    ("signal_name", "code", "said"),
    [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")],
)
def test_an_init_interrupted_part_way_leaves_nothing_and_can_run_again(
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    signal_name: str,
    code: int,
    said: str,
) -> None:
    """Ctrl-C (or SIGTERM) while `init --example` wrote its 132 files left the ones
    written so far: a folder that is no repository, and that the next `init` refused
    ('already has 104 of the files to create'). They are removed again now."""
    import signal

    from aimsctl import fileio

    real = fileio.create_exclusive
    written: list[Path] = []

    def write_then_signal(path: Path, content: str | bytes) -> None:
        real(path, content)
        written.append(path)
        if len(written) == 5:  # a real signal, raised in the run's handler
            os.kill(os.getpid(), getattr(signal, signal_name))

    target = tmp_path / "new" / "gov"
    with monkeypatch.context() as patch:
        patch.setattr(fileio, "create_exclusive", write_then_signal)
        result = cli("init", target, "--example")
    assert (result.exit_code, result.stderr) == (code, f"aimsctl: {said}\n")
    assert len(written) == 5
    assert not (tmp_path / "new").exists()
    again = cli("init", target, "--example")
    assert again.exit_code == 0, again.stderr
    made = tree(target)
    assert all(made.get(rel) == data for rel, data in tree(BUNDLED_EXAMPLE).items())
