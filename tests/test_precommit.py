"""The pre-commit hook judges what will be committed: git's index, not the work tree.

First `validate --staged` itself, then the hook as shipped in .pre-commit-hooks.yaml,
run by real pre-commit through `git commit` in a temporary git repository: deleting
a cited system or evidence file fails the commit although pre-commit passes no file
for a deletion, and an untracked broken draft does not block an unrelated commit.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from aimsctl.changed import STAGED_CONFLICT
from conftest import AS_OF, EXAMPLE, MINIMAL_CONFIG, PROJECT, CliResult
from gitrepo import GIT_ENV, GitRepo

Cli = Callable[..., CliResult]
SYSTEM = "systems/SYS-HIRE.yaml"  # cited by risks, assessments and controls
EVIDENCE = "evidence/policy/ai-policy.md"  # cited by controls/annex-a.yaml
BROKEN = "kind: [\n"


@pytest.fixture
def example(tmp_path: Path) -> GitRepo:
    """The bundled example, committed in a git repository of its own."""
    work = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, work.root, dirs_exist_ok=True)
    work.commit("records")
    return work


def staged(cli: Cli, work: GitRepo) -> CliResult:
    result = cli("validate", work.root, "--staged", "--as-of", AS_OF, "--format", "json")
    assert "Traceback" not in result.stderr
    return result


def test_the_committed_example_is_clean_when_staged(cli: Cli, example: GitRepo) -> None:
    assert staged(cli, example).exit_code == 0


def test_a_staged_deletion_is_seen_though_nothing_else_changed(cli: Cli, example: GitRepo) -> None:
    example.git("rm", "-q", SYSTEM)
    result = staged(cli, example)
    assert result.exit_code == 1
    # The records citing the deleted system now cite nothing, and nothing else is wrong.
    found = {(d["code"], d["path"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert ("AIMS201", "risks/R-001.yaml") in found
    assert {code for code, _ in found} == {"AIMS201"}


def test_a_file_deleted_but_not_staged_is_still_in_the_commit(cli: Cli, example: GitRepo) -> None:
    example.remove(EVIDENCE)
    assert staged(cli, example).exit_code == 0
    assert cli("validate", example.root, "--as-of", AS_OF, "--no-cache").exit_code == 1


def test_an_untracked_draft_is_not_read_and_an_unstaged_edit_is_read_as_staged(
    cli: Cli, example: GitRepo
) -> None:
    example.write({"risks/draft.yaml": BROKEN})
    assert staged(cli, example).exit_code == 0
    example.git("add", "risks/draft.yaml")
    assert staged(cli, example).exit_code == 1
    example.write({"risks/draft.yaml": ""})  # fixed on disk, not staged
    assert staged(cli, example).exit_code == 1


def test_a_file_added_with_intent_to_add_is_not_staged_but_an_empty_staged_file_is(
    cli: Cli, example: GitRepo
) -> None:
    """`git add -N` puts a path in the index with the empty blob, as a staged empty
    file would be; `git commit` leaves it out, and so does --staged."""
    example.write({"risks/R-9.yaml": "id: R-9\n"})
    example.git("add", "-N", "risks/R-9.yaml")
    result = staged(cli, example)
    assert result.exit_code == 0, result.stdout
    example.write({"risks/empty.yaml": ""})
    example.git("add", "risks/empty.yaml")
    result = staged(cli, example)
    assert result.exit_code == 1
    assert {(d["code"], d["path"]) for d in json.loads(result.stdout)["diagnostics"]} == {
        ("AIMS003", "risks/empty.yaml")
    }


def test_a_staged_submodule_never_initialised_is_an_error(
    cli: Cli, example: GitRepo, tmp_path: Path
) -> None:
    """A clone without --recurse-submodules stages the submodule's commit but holds no
    repository to read its files from: its records were silently absent from
    `--staged`; it is AIMS008, as for the working tree, until it is checked out."""
    from gitrepo import git, risk

    team = GitRepo(tmp_path / "team")
    team.write({"risks/R-900.yaml": risk("R-900", system="SYS-HIRE")})
    team.commit("The team's risk")
    example.add_submodule("team", team)
    example.commit("Pull in the team's risk")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(example.top), str(clone))  # no --recurse-submodules
    args = ("validate", clone, "--staged", "--as-of", AS_OF, "--format", "json")
    found = cli(*args)
    assert found.exit_code == 1, found.stderr
    diagnostics = json.loads(found.stdout)["diagnostics"]
    assert [(d["code"], d["path"]) for d in diagnostics] == [("AIMS008", "team")]
    git(clone, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    assert cli(*args).exit_code == 0


def _conflict_on(example: GitRepo, rel: str, old: str, ours: str, theirs: str) -> None:
    """A merge of two branches that each replaced ``old`` in ``rel``, left unresolved."""
    path = example.root / rel
    text = path.read_text(encoding="utf-8")
    example.git("checkout", "-q", "-b", "theirs")
    path.write_text(text.replace(old, theirs, 1), encoding="utf-8")
    example.commit("Theirs")
    example.git("checkout", "-q", "main")
    path.write_text(text.replace(old, ours, 1), encoding="utf-8")
    example.commit("Ours")
    merged = subprocess.run(
        ["git", "merge", "-q", "theirs"], cwd=example.top, capture_output=True, check=False
    )
    assert merged.returncode == 1  # the conflict is left for the user
    assert example.git("ls-files", "--unmerged", rel)


def test_a_file_in_an_unresolved_merge_conflict_is_no_staged_version(
    cli: Cli, example: GitRepo
) -> None:
    """Mid-merge the index holds both sides of a conflicted file, and git commits
    nothing until one is staged: --staged validated "ours" and passed, while the
    file on disk held conflict markers. It is AIMS001 at the file, and references to
    its record are not judged (rather than reported as missing)."""
    _conflict_on(example, "risks/R-001.yaml", "title: ", "title: Ours, ", "title: Theirs, ")
    result = staged(cli, example)
    assert result.exit_code == 1, result.stderr
    found = [(d["code"], d["path"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert ("AIMS001", "risks/R-001.yaml", STAGED_CONFLICT) in found
    assert [code for code, path, _ in found if path != "risks/R-001.yaml"] == []
    example.git("checkout", "-q", "--theirs", "risks/R-001.yaml")
    example.git("add", "risks/R-001.yaml")
    assert staged(cli, example).exit_code == 0


def test_references_into_a_conflicted_file_of_several_records_are_not_judged(
    cli: Cli, example: GitRepo
) -> None:
    """A conflicted file named for none of its records (controls/organization.yaml
    holds ORG-1 to ORG-3): --staged read no text of it, so every reference to its
    records was AIMS201 "does not exist", where the working tree, reading the
    conflict markers, says the references were not checked. The sides' staged bytes
    now say which records the file may hold, as the working tree's text does."""
    rel = "controls/organization.yaml"
    _conflict_on(example, rel, "title: ", "title: Ours, ", "title: Theirs, ")
    result = staged(cli, example)
    assert result.exit_code == 1, result.stderr
    found = [(d["code"], d["path"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert ("AIMS001", rel, STAGED_CONFLICT) in found
    assert [m for _, _, m in found if "which does not exist" in m] == []
    notes = [m for code, path, m in found if code == "AIMS201" and path == rel]
    assert len(notes) == 1 and "'ORG-1'" in notes[0] and "were not checked" in notes[0]
    on_disk = cli("validate", example.root, "--as-of", AS_OF, "--format", "json")
    on_disk_found = json.loads(on_disk.stdout)["diagnostics"]
    assert [d["code"] for d in on_disk_found if d["path"] != rel] == [
        code for code, path, _ in found if path != rel
    ]


def test_a_record_both_sides_of_a_conflict_removed_is_missing_as_in_the_working_tree(
    cli: Cli, example: GitRepo
) -> None:
    """Both branches delete ORG-3 (still cited) and edit ORG-1 apart: the common
    ancestor's side still holds ORG-3, which must not stand for the file's text, or the
    references to it are "not checked" where the working tree says they are missing."""
    rel = "controls/organization.yaml"
    path = example.root / rel
    text = path.read_text(encoding="utf-8")
    without = text[: text.index("---\nkind: Control\nid: ORG-3")]
    example.git("checkout", "-q", "-b", "theirs")
    path.write_text(without.replace("title: ", "title: Theirs, ", 1), encoding="utf-8")
    example.commit("Theirs")
    example.git("checkout", "-q", "main")
    path.write_text(without.replace("title: ", "title: Ours, ", 1), encoding="utf-8")
    example.commit("Ours")
    merged = subprocess.run(
        ["git", "merge", "-q", "theirs"], cwd=example.top, capture_output=True, check=False
    )
    assert merged.returncode == 1
    found = json.loads(staged(cli, example).stdout)["diagnostics"]
    missing = [d["record"] for d in found if "'ORG-3', which does not exist" in d["message"]]
    on_disk = cli("validate", example.root, "--as-of", AS_OF, "--format", "json")
    on_disk_missing = [
        d["record"]
        for d in json.loads(on_disk.stdout)["diagnostics"]
        if "'ORG-3', which does not exist" in d["message"]
    ]
    assert missing == on_disk_missing and len(missing) == 2, (missing, on_disk_missing)


def test_aims_yaml_in_an_unresolved_merge_conflict_stops_staged(cli: Cli, example: GitRepo) -> None:
    _conflict_on(example, "aims.yaml", "organization: ", "organization: A ", "organization: B ")
    result = cli("validate", example.root, "--staged", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert f"aimsctl: error: aims.yaml: {STAGED_CONFLICT}" in result.stderr


def test_staged_needs_a_staged_aims_yaml_and_goes_alone(tmp_path: Path, cli: Cli) -> None:
    work = GitRepo(tmp_path / "work")
    work.write({"aims.yaml": MINIMAL_CONFIG})
    result = cli("validate", work.root, "--staged", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "aimsctl: error: no aims.yaml staged in" in result.stderr
    work.git("add", "aims.yaml")
    now_staged = cli("validate", work.root, "--staged", "--as-of", AS_OF)
    assert now_staged.exit_code == 1  # read: a minimal aims.yaml misses its controls
    assert "AIMS202" in now_staged.stdout
    both = cli("validate", work.root, "--staged", "--changed-since", "HEAD", "--as-of", AS_OF)
    assert both.exit_code == 2
    assert "--staged or --changed-since, not both" in both.stderr


# A hook script of git's own ------------------------------------------------------------

RISK = "risks/R-001.yaml"


def plain_hook(git_dir: Path, *args: str) -> dict[str, str]:
    """`validate --staged` (then ``args``) as a pre-commit hook script of git's own in
    the repository whose (common) git folder is ``git_dir``; the environment to commit
    with."""
    hook = git_dir / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    command = shlex.join([sys.executable, "-m", "aimsctl", "validate", "--staged", *args])
    hook.write_text(f"#!/bin/sh\nexec {command}\n", encoding="utf-8")
    hook.chmod(0o755)
    return {**os.environ, **GIT_ENV, "AIMSCTL_AS_OF": AS_OF}


def git_commit(top: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", "-m", "change", *args],
        cwd=top,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("where", ["checkout", "linked work tree"])
def test_a_hook_judges_the_index_git_commits_from_with_a_and_with_paths(
    example: GitRepo, tmp_path: Path, where: str
) -> None:
    """`git commit -a` and `git commit <path>` run the hook with a temporary index
    (GIT_INDEX_FILE, `index.lock` or `next-index-*.lock`), which holds what is being
    committed; .git/index does not. In a linked work tree git also sets GIT_DIR for the
    hook. A broken record committed that way is refused, and a fix committed that way
    passes although the broken version is still staged."""
    env = plain_hook(example.top / ".git")  # the hooks every work tree of it runs
    top = example.top
    if where == "linked work tree":
        top = tmp_path / "linked"
        example.git("worktree", "add", "-q", str(top))
    good = (top / RISK).read_text(encoding="utf-8")
    head = example.git("-C", str(top), "rev-parse", "HEAD")
    (top / RISK).write_text(BROKEN, encoding="utf-8")  # nothing staged
    for args in (("-a",), (RISK,)):
        done = git_commit(top, env, *args)
        assert done.returncode != 0, (args, done.stdout, done.stderr)
        assert "AIMS001" in done.stderr, args  # git shows a hook's output on stderr
        assert example.git("-C", str(top), "rev-parse", "HEAD") == head
    example.git("-C", str(top), "add", RISK)  # the broken version staged, then fixed on disk
    (top / RISK).write_text(good + "# reviewed\n", encoding="utf-8")
    done = git_commit(top, env, RISK)
    assert done.returncode == 0, done.stdout + done.stderr
    (top / RISK).write_text(BROKEN, encoding="utf-8")
    example.git("-C", str(top), "add", RISK)
    (top / RISK).write_text(good, encoding="utf-8")
    done = git_commit(top, env, "-a")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_hook_in_a_submodule_holding_the_records_judges_its_commit(
    example: GitRepo, tmp_path: Path
) -> None:
    """The records in a submodule: git runs the submodule's hook with GIT_DIR naming
    its repository under the superproject's .git/modules, which is the repository the
    folder's `.git` file names, so it is read (not refused as another repository)."""
    from gitrepo import git

    outer = GitRepo(tmp_path / "outer")
    outer.write({"README.md": "outer\n"})
    outer.commit("Outer")
    outer.add_submodule("governance", example)
    outer.commit("The records as a submodule")
    inner = outer.top / "governance"
    env = plain_hook(Path(git(inner, "rev-parse", "--absolute-git-dir").strip()))
    head = git(inner, "rev-parse", "HEAD")
    good = (inner / RISK).read_text(encoding="utf-8")
    (inner / RISK).write_text(BROKEN, encoding="utf-8")
    done = git_commit(inner, env, "-a")
    assert done.returncode != 0, done.stdout + done.stderr
    assert "AIMS001" in done.stderr
    assert git(inner, "rev-parse", "HEAD") == head
    (inner / RISK).write_text(good + "# reviewed\n", encoding="utf-8")
    done = git_commit(inner, env, "-a")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("where", ["checkout", "linked work tree"])
def test_a_superproject_hook_validating_records_in_a_submodule(
    example: GitRepo, tmp_path: Path, where: str
) -> None:
    """The superproject's hook runs `validate --staged governance`, the records being
    a submodule. git gives the hook the superproject's index (GIT_INDEX_FILE), which
    aimsctl passed on to git in the submodule's repository: `git commit` failed with
    "git ls-files failed: .git/index: index file open failed", `git commit -a` with "no
    aims.yaml staged", whatever was committed. The submodule's repository is read with
    its own index, as git reads a submodule's. In a linked work tree of the
    superproject, git sets GIT_DIR for the hook too: the submodule's repository is
    kept inside that git folder, so it is not refused as another repository."""
    from gitrepo import git

    outer = GitRepo(tmp_path / "outer")
    outer.write({"README.md": "outer\n"})
    outer.commit("Outer")
    outer.add_submodule("governance", example)
    outer.commit("The records as a submodule")
    env = plain_hook(outer.top / ".git", "governance")
    top = outer.top
    if where == "linked work tree":
        top = tmp_path / "linked"
        outer.git("worktree", "add", "-q", str(top))
        git(top, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    for args in ((), ("-a",)):
        (top / "README.md").write_text(f"outer {args}\n", encoding="utf-8")
        git(top, "add", "README.md")
        done = git_commit(top, env, *args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    inner = top / "governance"
    (inner / RISK).write_text(BROKEN, encoding="utf-8")
    git(inner, "add", RISK)  # staged in the submodule: its index is what is judged
    (top / "README.md").write_text("outer again\n", encoding="utf-8")
    done = git_commit(top, env, "-a")
    assert done.returncode != 0 and "AIMS001" in done.stderr, done.stdout + done.stderr


def test_a_hook_of_a_bare_repository_with_a_work_tree_elsewhere(tmp_path: Path) -> None:
    """The dotfiles layout (`git init --bare`, then `git --git-dir --work-tree`): git
    runs the hook in the work tree with GIT_DIR and GIT_WORK_TREE=".". The hook said the
    repository was bare and refused every commit, a clean one too; it now judges it."""
    from gitrepo import git

    store, home = tmp_path / "store.git", tmp_path / "home"
    git(tmp_path, "init", "-q", "--bare", str(store))
    shutil.copytree(EXAMPLE, home)
    env = plain_hook(store)

    def commit_all() -> subprocess.CompletedProcess[str]:
        apart = ["--git-dir", str(store), "--work-tree", str(home)]
        subprocess.run(["git", *apart, "add", "-A"], cwd=tmp_path, env=env, check=True)
        return subprocess.run(
            ["git", *apart, "commit", "-q", "-m", "change"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )

    done = commit_all()
    assert done.returncode == 0, done.stdout + done.stderr
    good = (home / RISK).read_text(encoding="utf-8")
    (home / RISK).write_text(BROKEN, encoding="utf-8")
    done = commit_all()
    assert done.returncode != 0 and "AIMS001" in done.stderr, done.stdout + done.stderr
    (home / RISK).write_text(good + "# reviewed\n", encoding="utf-8")
    done = commit_all()
    assert done.returncode == 0, done.stdout + done.stderr


# Real pre-commit ---------------------------------------------------------------------


def shipped_hook() -> dict[str, object]:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "aimsctl-validate"]
    assert isinstance(hook, dict)
    return hook


def test_the_shipped_hook_reads_the_index_and_runs_on_every_commit() -> None:
    hook = shipped_hook()
    assert hook["entry"] == "aimsctl validate --staged"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True


def test_docs_ci_md_shows_every_shipped_hook_as_init_writes_it() -> None:
    """docs/ci.md's pre-commit section names each hook of .pre-commit-hooks.yaml in
    both configurations it shows, and its local one is the one `aimsctl init` writes
    (it once said aimsctl ships one hook and left out `aimsctl-fmt`)."""
    from datetime import date

    from aimsctl.scaffold import starter_files

    shipped = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    guide = (PROJECT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = guide.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    remote, local = (
        yaml.safe_load(block.split("\n```", 1)[0]) for block in section.split("```yaml\n")[1:]
    )
    ids = [hook["id"] for hook in shipped]
    assert [hook["id"] for hook in remote["repos"][0]["hooks"]] == ids
    written = starter_files(date(2026, 11, 26))[".pre-commit-config.yaml"]
    assert local == yaml.safe_load(written)


def install_hook(work: GitRepo, tmp_path: Path, args: list[str] | None = None) -> dict[str, str]:
    """The shipped hook as a local one (same entry and settings, run with this
    Python rather than from a download), installed with `pre-commit install`; with
    ``args`` as docs/ci.md has them for a governance folder below the top."""
    hook = shipped_hook()
    entry = str(hook["entry"]).split(" ")
    assert entry[0] == "aimsctl"
    local = {
        **hook,
        "language": "system",
        "entry": shlex.join([sys.executable, "-m", "aimsctl", *entry[1:]]),
        **({"args": args} if args else {}),
    }
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (work.top / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "AIMSCTL_AS_OF": AS_OF,
        "GIT_AUTHOR_DATE": "2026-03-02T10:00:00+01:00",
        "GIT_COMMITTER_DATE": "2026-03-02T10:00:00+01:00",
    }
    env.pop("NO_COLOR", None)
    # pre-commit is not ours to run under CI's shifted clock: under libfaketime it
    # failed now and then with "timestamp too large to convert to C _PyTime_t" in its
    # own process. The hook's dates come from AIMSCTL_AS_OF, not from the clock.
    for name in [n for n in env if n == "LD_PRELOAD" or n.startswith("FAKETIME")]:
        env.pop(name)
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=work.top,
        env=env,
        check=True,
        capture_output=True,
    )
    work.git("add", ".pre-commit-config.yaml")
    return env


def commit(work: GitRepo, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", "-m", "change"],
        cwd=work.top,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("deleted", [SYSTEM, EVIDENCE], ids=["system", "evidence"])
def test_pre_commit_stops_a_commit_that_deletes_a_cited_file(
    example: GitRepo, tmp_path: Path, deleted: str
) -> None:
    env = install_hook(example, tmp_path)
    assert commit(example, env).returncode == 0  # the config alone: clean
    head = example.head()
    example.git("rm", "-q", deleted)
    done = commit(example, env)
    assert done.returncode != 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "aimsctl validate" in output and "Failed" in output
    assert "Skipped" not in output
    assert example.head() == head  # nothing was committed


def test_pre_commit_stops_commit_a_of_a_broken_edit_nothing_staged(
    example: GitRepo, tmp_path: Path
) -> None:
    """`git commit -a` stages into a temporary index that pre-commit's hook reads
    through GIT_INDEX_FILE: the broken edit is what would be committed."""
    env = install_hook(example, tmp_path)
    assert commit(example, env).returncode == 0  # the config alone: clean
    head = example.head()
    example.write({RISK: BROKEN})
    done = subprocess.run(
        ["git", "commit", "-q", "-a", "-m", "change"],
        cwd=example.top,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0, done.stdout + done.stderr
    assert "aimsctl validate" in done.stdout + done.stderr
    assert example.head() == head


def test_pre_commit_ignores_an_untracked_broken_draft(example: GitRepo, tmp_path: Path) -> None:
    env = install_hook(example, tmp_path)
    example.write({"risks/draft.yaml": BROKEN, "NOTES.txt": "unrelated\n"})
    example.git("add", "NOTES.txt")
    head = example.head()
    done = commit(example, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr
    assert example.head() != head
    assert (example.root / "risks/draft.yaml").read_text(encoding="utf-8") == BROKEN


def test_pre_commit_in_a_monorepo_names_files_from_the_top(tmp_path: Path) -> None:
    """The governance folder below the top of a monorepo, the hook given it as docs/ci.md
    says (`args: [governance]`): pre-commit runs it at the top, and the failing file is
    named from there (it said `risks/R-001.yaml`, which does not open from the top)."""
    work = GitRepo(tmp_path / "work", "governance")
    shutil.copytree(EXAMPLE, work.root, dirs_exist_ok=True)
    (work.top / "service.py").write_text("print('the product')\n", encoding="utf-8")
    work.commit("records and code")
    env = install_hook(work, tmp_path, ["governance"])
    assert commit(work, env).returncode == 0  # the config alone: clean
    risk = work.root / RISK
    risk.write_text(risk.read_text(encoding="utf-8").replace("status:", "stauts:"), "utf-8")
    work.git("add", "-A")
    done = commit(work, env)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert f"\ngovernance/{RISK}:1:1: error AIMS103 missing required field 'status'" in output
    assert f"\n{RISK}:" not in output
