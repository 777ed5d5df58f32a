"""gitio on real git repositories made in temporary folders."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import factory
from aimsctl.errors import GitError, UntrustedRepository
from aimsctl.gitio import (
    CommitLog,
    changed_paths,
    committed_files,
    head_changes,
    open_repo,
    read_tree,
    resolve,
)
from conftest import AS_OF, EXAMPLE, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult, write_files
from gitrepo import (
    PLANTED_ATTRIBUTES,
    GitRepo,
    committed_example,
    plain_governance_folder,
    plant_programs,
    ran,
    sign_head,
)

Cli = Callable[..., CliResult]


def head_state(root: Path, known: dict[str, bytes] | None = None) -> tuple[str | None, bool]:
    """What report provenance stamps: HEAD's commit and whether ``root`` is dirty."""
    compared = head_changes(root, known)
    return compared.sha, compared.dirty()


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity; its stdout."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def init(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    git(path, "config", "user.name", "Test")
    git(path, "config", "user.email", "test@example.org")
    git(path, "config", "commit.gpgsign", "false")
    return path


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def commit(root: Path, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A repository with one commit: a governance folder `gov/` and an app folder."""
    root = init(tmp_path / "work")
    write(
        root,
        {
            "gov/aims.yaml": "version: 1\n",
            "gov/risks/R-1.yaml": "id: R-1\n",
            "gov/risks/R-2.yaml": "id: R-2\n",
            "gov/systems/S.yaml": "id: S\n",
            "app/main.py": "print()\n",
            ".gitignore": "*.tmp\n",
        },
    )
    commit(root, "first")
    return root


def test_changed_paths_cover_edits_staged_untracked_deleted_and_renames(work: Path) -> None:
    write(
        work,
        {
            "gov/risks/R-1.yaml": "id: R-1\ntitle: edited\n",  # unstaged edit
            "gov/risks/R-9.yaml": "id: R-9\n",  # untracked
            "gov/new/staged.yaml": "id: N\n",  # staged new file
            "gov/scratch.tmp": "ignored\n",
        },
    )  # ignored: not a change
    git(work, "add", "gov/new/staged.yaml")
    git(work, "mv", "gov/systems/S.yaml", "gov/systems/SYS.yaml")  # staged rename
    (work / "gov/risks/R-2.yaml").unlink()  # deleted
    assert changed_paths(work, "HEAD") == {
        "gov/risks/R-1.yaml",
        "gov/risks/R-9.yaml",
        "gov/new/staged.yaml",
        "gov/systems/S.yaml",
        "gov/systems/SYS.yaml",
        "gov/risks/R-2.yaml",
    }


def test_an_unstaged_move_counts_both_sides(work: Path) -> None:
    (work / "gov/risks/R-1.yaml").rename(work / "gov/risks/R-one.yaml")
    assert changed_paths(work / "gov", "HEAD") == {"risks/R-1.yaml", "risks/R-one.yaml"}


def test_a_clean_tree_has_no_changes_but_older_revisions_do(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD").strip()
    assert changed_paths(work, "HEAD") == set()
    write(work, {"gov/risks/R-3.yaml": "id: R-3\n", "app/other.py": "pass\n"})
    commit(work)
    assert changed_paths(work, "HEAD") == set()
    assert changed_paths(work, first) == {"gov/risks/R-3.yaml", "app/other.py"}
    assert changed_paths(work, "HEAD~1") == changed_paths(work, first[:10])


def test_a_subfolder_root_gets_paths_relative_to_it_and_nothing_outside(work: Path) -> None:
    write(
        work,
        {
            "gov/risks/R-1.yaml": "id: R-1\nx: 1\n",
            "app/main.py": "pass\n",
            "gov-other/x.yaml": "a: 1\n",
        },
    )
    git(work, "mv", "gov/risks/R-2.yaml", "app/R-2.yaml")  # leaves the governance root
    assert changed_paths(work / "gov", "HEAD") == {"risks/R-1.yaml", "risks/R-2.yaml"}
    assert changed_paths(work / "gov" / "risks", "HEAD") == {"R-1.yaml", "R-2.yaml"}


def test_an_unknown_revision_is_a_git_error_in_plain_words(work: Path) -> None:
    with pytest.raises(GitError, match=r"unknown revision 'no-such-branch'"):
        changed_paths(work, "no-such-branch")
    # Counting back past the first commit says so; it said "no commit, branch or tag of
    # that name", as if HEAD were unknown.
    with pytest.raises(GitError) as past:
        changed_paths(work, "HEAD~5")
    assert str(past.value) == (
        "unknown revision 'HEAD~5': HEAD has 0 commits before it, so there is no commit 5 back"
    )
    with pytest.raises(GitError, match="no commit, branch or tag of that name"):
        changed_paths(work, "no-such-branch~2")
    with open_repo(work) as repo, pytest.raises(GitError, match="unknown revision '--all'"):
        resolve(repo, "--all")  # never read as an option


def test_a_folder_outside_git_is_a_git_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    probe = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=plain, capture_output=True)
    if probe.returncode == 0:
        pytest.skip("the temporary folder itself lies inside a git repository")
    with pytest.raises(GitError, match="is not inside a git repository"):
        changed_paths(plain, "HEAD")
    with pytest.raises(GitError, match="is not inside a git repository"):
        head_state(plain)
    with pytest.raises(GitError, match="is not inside a git repository"):
        open_repo(tmp_path / "missing")


def test_a_repository_without_commits(tmp_path: Path) -> None:
    root = init(tmp_path / "empty")
    assert head_state(root) == (None, False)
    write(root, {"aims.yaml": "version: 1\n"})
    assert head_state(root) == (None, True)
    with pytest.raises(GitError, match="has no commits yet"):
        changed_paths(root, "HEAD")
    with pytest.raises(GitError, match="has no commits yet"):
        read_tree(root, "main")


def test_resolve_gives_the_full_sha_of_branches_tags_and_short_shas(work: Path) -> None:
    head = git(work, "rev-parse", "HEAD").strip()
    git(work, "tag", "-a", "v1", "-m", "release")  # annotated: peeled to its commit
    branch = git(work, "branch", "--show-current").strip()
    with open_repo(work / "gov" / "risks") as repo:  # found from a subfolder
        assert resolve(repo, "HEAD") == head
        assert resolve(repo, "v1") == head
        assert resolve(repo, branch) == head
        assert resolve(repo, head[:8]) == head
        # `:/text`, the youngest commit whose message matches, read the `^{commit}` the
        # lookup adds as part of its pattern: "unknown revision", though git knows it.
        subject = git(work, "log", "-1", "--format=%s").strip()
        assert resolve(repo, f":/{subject.split()[0]}") == head
        with pytest.raises(GitError, match=r"unknown revision ':/no such message': no commit"):
            resolve(repo, ":/no such message")
    assert len(head) == 40


def test_detached_head(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD").strip()
    write(work, {"gov/risks/R-3.yaml": "id: R-3\n"})
    second = commit(work)
    git(work, "checkout", "-q", "--detach", first)
    assert git(work, "branch", "--show-current").strip() == ""
    assert head_state(work / "gov") == (first, False)
    assert changed_paths(work / "gov", second) == {"risks/R-3.yaml"}
    assert read_tree(work / "gov", second)["risks/R-3.yaml"] == b"id: R-3\n"


def test_head_state_is_dirty_only_for_changes_below_the_root(work: Path) -> None:
    head = git(work, "rev-parse", "HEAD").strip()
    assert head_state(work / "gov") == (head, False)
    write(work, {"app/main.py": "changed\n", "gov/x.tmp": "ignored\n"})
    assert head_state(work / "gov") == (head, False)
    assert head_state(work) == (head, True)
    write(work, {"gov/risks/R-4.yaml": "id: R-4\n"})
    assert head_state(work / "gov") == (head, True)


def test_bytes_the_run_read_stand_for_the_files_on_disk(work: Path) -> None:
    """What a run validated is what it compares with HEAD: a file it read is hashed
    from those bytes, not read again (a later edit of the same size is not seen),
    unless it is no longer a regular file of that size; CRLF is still followed."""
    gov = work / "gov"
    read = {"risks/R-1.yaml": b"id: R-1\n", "risks/R-2.yaml": b"id: R-2\r\n"}
    (gov / "risks/R-1.yaml").write_bytes(b"id: R-7\n")  # edited after the run read it
    (gov / "risks/R-2.yaml").write_bytes(b"id: R-2\r\n")
    assert head_state(gov) == (git(work, "rev-parse", "HEAD").strip(), True)
    assert head_state(gov, read)[1] is False
    with CommitLog(gov, (".yaml",)) as log:
        assert [c.path for c in log.worktree_changes()] == ["risks/R-1.yaml"]
        assert log.worktree_changes(known=read) == []
    (gov / "risks/R-1.yaml").write_bytes(b"id: R-10\n")  # another size: read from disk
    assert head_state(gov, read)[1] is True
    (gov / "risks/R-1.yaml").unlink()
    (gov / "risks/R-1.yaml").symlink_to("R-2.yaml")  # a link, whatever was read
    with CommitLog(gov, (".yaml",)) as log:
        assert [(c.path, c.worktree) for c in log.worktree_changes(known=read)] == [
            ("risks/R-1.yaml", None)
        ]


def test_read_tree_reads_a_revision_from_git_objects_without_checkout(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD").strip()
    write(work, {"gov/risks/R-1.yaml": "id: R-1\nnew: true\n", "gov/risks/R-5.yaml": "id: R-5\n"})
    second = commit(work)
    write(work, {"gov/risks/R-1.yaml": "uncommitted\n"})
    (work / "gov" / "link.yaml").symlink_to("risks/R-1.yaml")
    commit(work, "with a link")
    write(work, {"gov/risks/R-1.yaml": "working tree only\n"})

    assert read_tree(work / "gov", first) == {
        "aims.yaml": b"version: 1\n",
        "risks/R-1.yaml": b"id: R-1\n",
        "risks/R-2.yaml": b"id: R-2\n",
        "systems/S.yaml": b"id: S\n",
    }
    at_second = read_tree(work / "gov", second)
    assert at_second["risks/R-1.yaml"] == b"id: R-1\nnew: true\n"
    assert list(at_second) == sorted(at_second)
    # A committed link to a file below the root reads as that file, as a checkout does.
    assert read_tree(work / "gov", "HEAD")["link.yaml"] == b"uncommitted\n"
    whole = read_tree(work, first)
    assert set(whole) == {
        "gov/aims.yaml",
        "gov/risks/R-1.yaml",
        "gov/risks/R-2.yaml",
        "gov/systems/S.yaml",
        "app/main.py",
        ".gitignore",
    }
    # Nothing was checked out: the work tree and HEAD are as they were.
    assert (work / "gov/risks/R-1.yaml").read_text() == "working tree only\n"
    assert git(work, "rev-parse", "HEAD").strip() != first


def test_read_tree_follows_links_only_to_files_below_the_root(work: Path) -> None:
    links = {
        "to-link.yaml": "link.yaml",  # a link to a link to a file
        "link.yaml": "risks/R-1.yaml",
        "up.yaml": "../app/main.py",  # outside the governance root
        "absolute.yaml": "/etc/hostname",
        "nowhere.yaml": "risks/R-9.yaml",
        "loop-a.yaml": "loop-b.yaml",
        "loop-b.yaml": "loop-a.yaml",
    }
    for name, target in links.items():
        (work / "gov" / name).symlink_to(target)
    commit(work, "links")
    found = read_tree(work / "gov", "HEAD")
    assert found["to-link.yaml"] == found["link.yaml"] == found["risks/R-1.yaml"]
    assert not {"up.yaml", "absolute.yaml", "nowhere.yaml", "loop-a.yaml"} & found.keys()


def test_read_tree_of_a_root_that_did_not_exist_yet_is_empty(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD").strip()
    write(work, {"later/aims.yaml": "version: 1\n"})
    commit(work)
    assert read_tree(work / "later", first) == {}
    assert read_tree(work / "later", "HEAD") == {"aims.yaml": b"version: 1\n"}


def test_read_tree_can_read_only_some_files(work: Path) -> None:
    assert read_tree(work, "HEAD", suffixes=(".yaml", ".yml")) == {
        "gov/aims.yaml": b"version: 1\n",
        "gov/risks/R-1.yaml": b"id: R-1\n",
        "gov/risks/R-2.yaml": b"id: R-2\n",
        "gov/systems/S.yaml": b"id: S\n",
    }


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_read_index_leaves_out_intent_to_add_entries(tmp_path: Path, object_format: str) -> None:
    """Before the first commit too, below a governance subfolder, with either hash."""
    from aimsctl.gitio import read_index

    root = tmp_path / "work"
    root.mkdir()
    git(root, "init", "-q", f"--object-format={object_format}")
    write(root, {"gov/aims.yaml": "", "gov/R-1.yaml": "id: R-1\n", "gov/R-2.yaml": ""})
    write(root, {"app/R-3.yaml": "id: R-3\n"})
    git(root, "add", "gov/aims.yaml")  # staged empty: read, as the commit holds it
    git(root, "add", "-N", "gov/R-1.yaml", "gov/R-2.yaml", "app/R-3.yaml")
    files, paths = read_index(root / "gov")
    assert files == {"aims.yaml": b""}
    assert paths == {"aims.yaml"}


def test_revisions_and_work_tree_places(work: Path, tmp_path: Path) -> None:
    from aimsctl.gitio import is_revision, resolve_revision, work_tree_prefix

    head = git(work, "rev-parse", "HEAD").strip()
    assert resolve_revision(work / "gov", "HEAD") == head
    assert is_revision(work, "HEAD") and not is_revision(work, "nope")
    assert work_tree_prefix(work) == ""
    assert work_tree_prefix(work / "gov" / "risks") == "gov/risks"
    assert work_tree_prefix(work / "not" / "yet" / "made") == "not/yet/made"
    outside = tmp_path / "outside"
    outside.mkdir()
    probe = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=outside, capture_output=True)
    if probe.returncode != 0:
        assert work_tree_prefix(outside / "new") is None
        assert not is_revision(outside, "HEAD")


def test_init_repository_makes_an_empty_repository(tmp_path: Path) -> None:
    from aimsctl.gitio import init_repository, work_tree_prefix

    target = tmp_path / "fresh"
    target.mkdir()
    init_repository(target)
    assert (target / ".git").is_dir()
    assert work_tree_prefix(target) == ""
    assert head_state(target) == (None, False)


def test_commit_log_lists_changed_blobs_with_unusual_names(tmp_path: Path) -> None:
    from aimsctl.gitio import CommitLog, FileChange

    root = init(tmp_path / "names")
    odd = 'risks/ünïcode "quoted" name.yaml'
    write(
        root,
        {
            "gov/aims.yaml": "version: 1\n",
            f"gov/{odd}": "id: R-1\n",
            "gov/notes.txt": "not yaml\n",
            "outside.yaml": "id: X\n",
        },
    )
    first = commit(root, "first")
    write(root, {f"gov/{odd}": "id: R-1\nx: 1\n", "gov/notes.txt": "changed\n"})
    second = commit(root, "second\n\nwith a body")
    with CommitLog(root / "gov", (".yaml", ".yml")) as log:
        commits = list(log.commits())
        assert [(c.sha, c.parents, c.subject) for c in commits] == [
            (second, (first,), "second"),
            (first, (), "first"),
        ]
        [change] = commits[0].changes
        assert change.path == odd and change.old is not None and change.new is not None
        assert log.blob(change.old) == b"id: R-1\n"
        assert log.blob(change.new) == b"id: R-1\nx: 1\n"
        assert sorted(c.path for c in commits[1].changes) == ["aims.yaml", odd]
        assert all(c.old is None for c in commits[1].changes)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)", commits[0].date)
        assert log.changes(first, second) == commits[0].changes
        assert log.changes(second, first) == (FileChange(odd, change.new, change.old),)


def test_commit_log_gives_merges_their_first_parent_changes(tmp_path: Path) -> None:
    from aimsctl.gitio import CommitLog

    root = init(tmp_path / "merge")
    write(root, {"a.yaml": "a: 1\n", "b.yaml": "b: 1\n"})
    commit(root, "base")
    main = git(root, "branch", "--show-current").strip()
    git(root, "checkout", "-q", "-b", "side")
    write(root, {"a.yaml": "a: 2\n"})
    side = commit(root, "side")
    git(root, "checkout", "-q", main)
    write(root, {"b.yaml": "b: 2\n"})
    ours = commit(root, "ours")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "side")
    with CommitLog(root, (".yaml",)) as log:
        merge = next(iter(log.commits()))
        assert merge.parents == (ours, side)
        assert [c.path for c in merge.changes] == ["a.yaml"]
        assert [c.path for c in log.changes(side, merge.sha)] == ["b.yaml"]


def test_worktree_changes_compare_head_with_the_files_on_disk(work: Path) -> None:
    from aimsctl.gitio import CommitLog, WorkChange

    write(
        work,
        {
            "gov/risks/R-1.yaml": "id: R-1\nedited: true\n",
            "gov/risks/new.yaml": "x\n",
            "gov/notes.md": "not yaml\n",
        },
    )
    (work / "gov/risks/R-2.yaml").unlink()
    with CommitLog(work / "gov", (".yaml",)) as log:
        assert log.worktree_changes() == [
            WorkChange("risks/R-1.yaml", b"id: R-1\n", b"id: R-1\nedited: true\n"),
            WorkChange("risks/R-2.yaml", b"id: R-2\n", None),
            WorkChange("risks/new.yaml", None, b"x\n"),
        ]
        assert log.worktree_changes(["risks/new.yaml"]) == [
            WorkChange("risks/new.yaml", None, b"x\n")
        ]


def _read_by_a_run(root: Path) -> dict[str, bytes]:
    """The bytes of every file below ``root`` (outside .git), as a run reads them."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.mark.parametrize(
    "state",
    ["clean", "edited", "deleted", "untracked", "ignored but read", "crlf", "not yaml"],
)
def test_worktree_changes_taken_from_report_provenance_are_those_compared_again(
    work: Path, state: str
) -> None:
    """report compares the working tree with HEAD for its provenance, and the history
    of the same run compared it again (every file hashed twice): it now takes the
    provenance's comparison, which must give the very changes comparing again gives."""
    from aimsctl.gitio import CommitLog, head_changes

    root = work / "gov"
    write(work, {"gov/.gitignore": "drafts/\n"})
    commit(work, "ignore drafts")
    if state == "edited":
        write(work, {"gov/risks/R-1.yaml": "id: R-1\nedited: true\n"})
    elif state == "deleted":
        (root / "risks/R-2.yaml").unlink()
    elif state == "untracked":
        write(work, {"gov/risks/R-3.yaml": "id: R-3\n"})
    elif state == "ignored but read":
        write(work, {"gov/drafts/R-4.yaml": "id: R-4\n"})
    elif state == "crlf":
        (root / "risks/R-1.yaml").write_bytes(b"id: R-1\r\n")
    elif state == "not yaml":
        write(work, {"gov/notes.md": "notes\n"})
    known = _read_by_a_run(root)
    compared = head_changes(root, known)
    with CommitLog(root, (".yaml",)) as log:
        again = log.worktree_changes(known=known)
    with CommitLog(root, (".yaml",)) as log:
        taken = log.worktree_changes(known=known, compared=compared)
        assert log.head() == compared.sha == git(work, "rev-parse", "HEAD").strip()
    assert taken == again
    assert compared.dirty() is (state not in ("clean", "crlf"))


def test_a_record_file_read_after_the_provenance_is_compared_again(work: Path) -> None:
    """A YAML file the run reads after the provenance was compared (a monitor's
    observations file the repository ignores, say) is new to the history: the
    comparison is made again. A file of another kind read since changes nothing the
    history asks, so the comparison stands."""
    from aimsctl.gitio import CommitLog, WorkChange, head_changes

    root = work / "gov"
    write(work, {"gov/.gitignore": "drafts/\n", "gov/drafts/obs.yaml": "id: R-9\n"})
    commit(work, "ignore drafts")
    write(work, {"gov/drafts/obs.yaml": "id: R-9\n", "gov/drafts/obs.csv": "a,b\n"})
    known = _read_by_a_run(root)
    del known["drafts/obs.yaml"], known["drafts/obs.csv"]
    compared = head_changes(root, known)
    assert not compared.dirty()
    known["drafts/obs.csv"] = b"a,b\n"
    assert compared.holds_for(known, (".yaml",))
    known["drafts/obs.yaml"] = b"id: R-9\n"
    assert not compared.holds_for(known, (".yaml",))
    with CommitLog(root, (".yaml",)) as log:
        assert log.worktree_changes(known=known, compared=compared) == [
            WorkChange("drafts/obs.yaml", None, b"id: R-9\n")
        ]


def test_report_compares_the_working_tree_with_head_once(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """report all compared the working tree with HEAD twice (the provenance, then the
    history): git listed the untracked files twice and named HEAD four times."""
    repo = committed_example(tmp_path / "repo", EXAMPLE)
    (repo.root / "risks" / "R-NEW.yaml").write_text("kind: Risk\nid: R-NEW\n", "utf-8")
    out = tmp_path / "out"
    commands = _git_processes(
        cli,
        monkeypatch,
        tmp_path / "trace",
        "report",
        "all",
        repo.root,
        "-o",
        out,
        "--as-of",
        AS_OF,
        "--force",
    )
    assert any(words[:1] == ["log"] for words in commands)  # the history ran
    listed = [words for words in commands if words[:3] == ["ls-files", "--cached", "--others"]]
    assert len(listed) == 1, commands
    # One for the provenance and the history, one for readiness's commit of the day.
    assert _head_lookups(commands) == 2, commands
    head = repo.head()
    assert f"- **Git commit:** {head} with uncommitted changes (" in (out / "soa.md").read_text()


@pytest.mark.parametrize("state", ["clean", "edited", "deleted", "crlf", "read later"])
def test_what_was_kept_takes_the_runs_comparison_with_head_where_it_holds(
    work: Path, state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readiness (7.5.1) compared the record files with the commit kept that day, HEAD
    in the usual case, after the provenance or the history had compared them already:
    every file hashed a third time. Where that commit is HEAD and each file asked was
    read then as now, the earlier answer is taken, and it is the one comparing again
    gives; a file read since is compared again."""
    from aimsctl.gitio import committed, head_changes

    root = work / "gov"
    if state == "edited":
        write(work, {"gov/risks/R-1.yaml": "id: R-1\nedited: true\n"})
    elif state == "deleted":
        (root / "risks/R-2.yaml").unlink()
    elif state == "crlf":
        (root / "risks/R-1.yaml").write_bytes(b"id: R-1\r\n")
    known = _read_by_a_run(root)
    asked = {"risks/R-1.yaml", "risks/R-2.yaml", "systems/S.yaml"}
    compared = head_changes(
        root,
        {rel: raw for rel, raw in known.items() if rel != "risks/R-1.yaml"}
        if state == "read later"
        else known,
    )
    again = committed_files(root, date.max, "HEAD", asked, known)
    assert again is not None
    compare_again = committed.differing
    calls: list[int] = []

    def counted(*args: Any) -> set[str]:
        calls.append(1)
        return compare_again(*args)

    monkeypatch.setattr(committed, "differing", counted)
    assert committed_files(root, date.max, "HEAD", asked, known, compared) == again
    assert calls == ([1] if state == "read later" else [])
    assert sorted(again.changed) == {
        "edited": ["risks/R-1.yaml"],
        "deleted": ["risks/R-2.yaml"],
    }.get(state, [])


def test_status_and_report_compare_the_records_with_head_once(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`status` and `report` judged 7.5.1 by comparing every record file with HEAD
    again, after the history (status) or the provenance (report) had: now they take
    that comparison, and still find the file edited since the last commit."""
    from aimsctl.gitio import committed

    repo = committed_example(tmp_path / "repo", EXAMPLE)
    risk = sorted((repo.root / "risks").glob("*.yaml"))[0]
    risk.write_text(risk.read_text("utf-8") + "# edited\n", "utf-8")

    def runs(out: Path) -> tuple[str, dict[str, str]]:
        shown = cli("status", repo.root, "--as-of", AS_OF, "--format", "json")
        assert shown.exit_code in (0, 1), shown.stderr
        made = cli("report", "readiness", repo.root, "-o", out, "--as-of", AS_OF, "--force")
        assert made.exit_code == 0, made.stderr
        return shown.stdout, {p.name: p.read_text("utf-8") for p in sorted(out.iterdir())}

    before = runs(tmp_path / "compared again")

    def compared_again(*args: Any) -> set[str]:
        raise AssertionError("the record files were compared with HEAD again")

    monkeypatch.setattr(committed, "differing", compared_again)
    status, reports = runs(tmp_path / "compared once")
    assert (status, reports) == before
    support = next(c for c in json.loads(status)["readiness"]["clauses"] if c["id"] == "7")
    assert "7.5.1" in support["gaps"]  # the version in use is not kept
    assert any(f"risks/{risk.name}" in text for text in reports.values())


def test_a_commit_log_before_the_first_commit(tmp_path: Path) -> None:
    from aimsctl.gitio import CommitLog, WorkChange

    root = init(tmp_path / "empty")
    write(root, {"aims.yaml": "version: 1\n"})
    with CommitLog(root, (".yaml",)) as log:
        assert not log.has_commits
        assert list(log.commits()) == []
        assert log.worktree_changes() == [WorkChange("aims.yaml", None, b"version: 1\n")]


# --- git runs no program the repository configures ------------------------------------


def _planted_repository(tmp_path: Path) -> tuple[GitRepo, str, Path]:
    """Two commits (the second signed), planted programs, and uncommitted edits."""
    repo = GitRepo(tmp_path / "work")
    write_files(
        repo.root,
        {
            "aims.yaml": MINIMAL_CONFIG,
            ".gitattributes": PLANTED_ATTRIBUTES,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-A.yaml": factory.system("SYS-A"),
            "risks/R-1.yaml": factory.risk("R-1", systems=factory.flow(["SYS-A"])),
        },
    )
    base = repo.commit("Records")
    write_files(repo.root, {"risks/R-1.yaml": factory.risk("R-1", systems=["SYS-A"], title="B")})
    repo.commit("Retitle R-1")
    sign_head(repo)
    markers = tmp_path / "markers"
    plant_programs(repo, markers)
    # Edited and new files: git would hash them, through the clean filter, to
    # compare them with a commit.
    write_files(
        repo.root,
        {
            "risks/R-1.yaml": factory.risk("R-1", systems=["SYS-A"], title="C"),
            "risks/R-2.yaml": factory.risk("R-2", systems=["SYS-A"]),
        },
    )
    return repo, base, markers


def _git_reading_commands(repo: GitRepo, base: str, out: Path) -> dict[str, tuple[str | Path, ...]]:
    return {
        "validate --changed-since": (
            "validate",
            repo.root,
            "--changed-since",
            base,
            "--as-of",
            AS_OF,
            "--no-cache",
        ),
        "report": ("report", "soa", repo.root, "-o", out / "now", "--force", "--as-of", AS_OF),
        "report --at": (
            "report",
            "soa",
            repo.root,
            "-o",
            out / "then",
            "--force",
            "--at",
            base,
            "--as-of",
            AS_OF,
        ),
        "log": ("log", "R-1", repo.root),
        # readiness (7.5.1) walks the history for the newest commit dated by the as-of date
        "status": ("status", repo.root, "--as-of", AS_OF),
        "report readiness --at": (
            "report",
            "readiness",
            repo.root,
            "-o",
            out / "readiness",
            "--force",
            "--at",
            "HEAD",
            "--as-of",
            AS_OF,
        ),
        "diff": ("diff", base, repo.root, "--as-of", AS_OF),
        "diff two revisions": ("diff", base, "HEAD", repo.root, "--as-of", AS_OF),
    }


def test_no_command_runs_a_program_the_repository_configures(tmp_path: Path, cli: Cli) -> None:
    repo, base, markers = _planted_repository(tmp_path)
    for name, command in _git_reading_commands(repo, base, tmp_path / "out").items():
        result = cli(*command)
        assert result.exit_code in (0, 1), (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert ran(markers) == [], name
    # The plant works: plain git runs them.
    repo.git("diff", "HEAD")
    repo.git("log", "-1")
    assert {"fsmonitor", "clean", "gpg"} <= set(ran(markers))


def test_gitio_functions_run_no_planted_program(tmp_path: Path) -> None:
    from aimsctl.gitio import CommitLog, changes_since, is_revision, resolve_revision

    repo, base, markers = _planted_repository(tmp_path)
    assert changed_paths(repo.root, base) == {"risks/R-1.yaml", "risks/R-2.yaml"}
    assert head_state(repo.root)[1] is True
    assert "risks/R-1.yaml" in read_tree(repo.root, base)
    assert changes_since(repo.root, "HEAD", (".yaml",)).changed == {
        "risks/R-1.yaml",
        "risks/R-2.yaml",
    }
    assert is_revision(repo.root, base) and resolve_revision(repo.root, base) == base
    kept = committed_files(repo.root, date.fromisoformat(AS_OF))
    assert kept is not None and "risks/R-1.yaml" in kept.files and not kept.later
    with CommitLog(repo.root, (".yaml",)) as log:
        assert len(list(log.commits())) == 2
        assert {c.path for c in log.worktree_changes()} == {"risks/R-1.yaml", "risks/R-2.yaml"}
    assert ran(markers) == []


def test_every_git_process_starts_with_the_safe_options(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitPython's own processes (`git cat-file --batch`) too: a `git` first on PATH
    writes down how it was called, then runs the real one."""
    from aimsctl.gitio import SAFE_GIT_ARGS

    repo, base, _markers = _planted_repository(tmp_path)
    real = shutil.which("git")
    assert real is not None
    calls = tmp_path / "calls"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        f"#!/bin/sh\nprintf '%s\\0' \"$@\" >> '{calls}'\nprintf '\\n' >> '{calls}'\n"
        f"exec '{real}' \"$@\"\n",
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    for name, command in _git_reading_commands(repo, base, tmp_path / "out").items():
        assert cli(*command).exit_code in (0, 1), name
    lines = calls.read_bytes().decode().split("\0\n")
    invocations = [line.split("\0") for line in lines if line]
    subcommands = {args[len(SAFE_GIT_ARGS)] for args in invocations}
    assert {"cat-file", "ls-tree", "ls-files", "log", "rev-parse"} <= subcommands
    unsafe = [args for args in invocations if tuple(args[: len(SAFE_GIT_ARGS)]) != SAFE_GIT_ARGS]
    assert unsafe == []
    assert "core.fsmonitor=false" in SAFE_GIT_ARGS


def _git_processes(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, trace: Path, *args: str | Path
) -> list[list[str]]:
    """The git commands one aimsctl command runs, as git's own trace names them (its
    options read, so from the subcommand on), the command's exit code checked."""
    trace.unlink(missing_ok=True)
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = cli(*args)
    monkeypatch.delenv("GIT_TRACE")
    assert result.exit_code in (0, 1), result.stderr
    found = []
    for line in (trace.read_text("utf-8") if trace.exists() else "").splitlines():
        _, marker, command = line.partition(" trace: built-in: git ")
        if marker:
            found.append(shlex.split(command))
    return found


def _head_lookups(commands: list[list[str]]) -> int:
    """The git processes that ask which commit HEAD is (the provenance's asks its date
    too, with `git log -1`)."""
    return sum(
        1
        for words in commands
        if (words[:1] == ["rev-parse"] and "HEAD^{commit}" in words)
        or (words[:2] == ["log", "-1"] and "HEAD" in words)
    )


def test_a_run_asks_git_for_head_once_per_history(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history asked git three times which commit HEAD is (whether there is one,
    which for the working tree's changes, whether there is one for the walk): one
    process answers all three."""
    repo = committed_example(tmp_path / "repo", EXAMPLE)
    trace = tmp_path / "trace"
    for args in (
        ("validate", repo.root, "--as-of", AS_OF, "--no-cache"),
        ("validate", repo.root, "--as-of", AS_OF, "--no-cache", "--staged"),
    ):
        commands = _git_processes(cli, monkeypatch, trace, *args)
        assert any(words[:1] == ["log"] for words in commands), args  # the history ran
        assert _head_lookups(commands) == 1, (args, commands)


# --- the working tree compared with a commit, by content ------------------------------


def test_line_endings_checked_out_as_crlf_are_not_a_change(work: Path) -> None:
    (work / "gov/risks/R-1.yaml").write_bytes(b"id: R-1\r\n")  # core.autocrlf's checkout
    assert changed_paths(work / "gov", "HEAD") == set()
    (work / "gov/risks/R-1.yaml").write_bytes(b"id: R-1\r\ntitle: x\r\n")
    assert changed_paths(work / "gov", "HEAD") == {"risks/R-1.yaml"}


def test_a_git_lfs_file_is_compared_with_its_pointer(work: Path) -> None:
    content = b"%PDF-1.4 a large audit report\n"
    pointer = (
        "version https://git-lfs.github.com/spec/v1\n"
        f"oid sha256:{hashlib.sha256(content).hexdigest()}\nsize {len(content)}\n"
    )
    write(work, {"gov/evidence/audit.pdf": pointer})
    commit(work, "LFS pointer")
    (work / "gov/evidence/audit.pdf").write_bytes(content)  # what `git lfs pull` writes
    assert changed_paths(work / "gov", "HEAD") == set()
    (work / "gov/evidence/audit.pdf").write_bytes(content.replace(b"large", b"small"))
    assert changed_paths(work / "gov", "HEAD") == {"evidence/audit.pdf"}


# Files git converts between its objects and the work tree (.gitattributes `ident`, a
# `filter=` driver, line endings git rewrites on checkout): what is on disk is not the
# blob's bytes, and only git's index can tell whether such a file changed.

_LONG_AGO = 1_000_000_000 * 10**9  # 2001-09-09, in nanoseconds: older than any index


def _checked_out_through(repo: GitRepo, attributes: str, config: dict[str, str]) -> str:
    """Commit ``attributes`` as .gitattributes, set ``config`` and check every file out
    again through them, as a fresh clone does. The files are then dated long ago and
    git records that in its index (as `git status` does), so that no file is as new as
    the index (which would leave git itself unsure). HEAD's sha."""
    (repo.top / ".gitattributes").write_text(attributes, encoding="utf-8")
    for name, value in config.items():
        repo.git("config", name, value)
    repo.git("add", ".gitattributes")  # only: the files were written before it
    repo.git("commit", "-q", "-m", "Attributes")
    head = repo.head()
    repo.git("rm", "-q", "--cached", "-r", ".")
    repo.git("reset", "-q", "--hard")
    for path in repo.top.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(repo.top).parts:
            os.utime(path, ns=(_LONG_AGO, _LONG_AGO))
    repo.git("update-index", "-q", "--refresh")
    assert repo.git("status", "--porcelain") == ""
    return head


# A finding: the system it names is not recorded.
_RISK = factory.yaml_of(factory.risk("R-1", systems=["SYS-GONE"]))
_CONVERSIONS = {
    # $Id$ expanded to the blob's id on checkout
    "ident": ("*.yaml ident\n", {}, "risks/R-1.yaml", "# $Id$\n" + _RISK),
    # a clean/smudge filter that rewrites text (a placeholder filled in on checkout)
    "filter": (
        "*.yaml filter=fill\n",
        {
            "filter.fill.smudge": "sed -e s/PLACEHOLDER/filled-in/",
            "filter.fill.clean": "sed -e s/filled-in/PLACEHOLDER/",
        },
        "risks/R-1.yaml",
        "# PLACEHOLDER\n" + _RISK,
    ),
    # line ends: CRLF in the work tree, LF in git (Windows' default, and an attribute)
    "core.autocrlf": ("", {"core.autocrlf": "true"}, "risks/R-1.yaml", _RISK),
    "eol=crlf": ("*.yaml text eol=crlf\n", {}, "risks/R-1.yaml", _RISK),
    # evidence kept as UTF-16 in the work tree, UTF-8 in git
    "working-tree-encoding": (
        "*.txt text working-tree-encoding=UTF-16\n",
        {},
        "evidence/notes.txt",
        "Minutes of the review.\n",
    ),
}


def _committed_records(tmp_path: Path, risk: str, more: dict[str, str] | None = None) -> GitRepo:
    """A repository of one system and one risk (with ``more`` files), committed."""
    repo = GitRepo(tmp_path / "work")
    files = {
        "aims.yaml": MINIMAL_CONFIG,
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-A.yaml": factory.system("SYS-A"),
        "risks/R-1.yaml": risk,
    }
    write_files(repo.root, files | (more or {}))
    repo.commit("Records")
    return repo


@pytest.mark.parametrize("conversion", sorted(_CONVERSIONS))
def test_a_file_git_converts_on_checkout_is_no_change(
    tmp_path: Path, cli: Cli, conversion: str
) -> None:
    """git status says clean, but the bytes on disk hash to another blob than HEAD's:
    such a file counted as changed since HEAD, so a report named "<sha> with
    uncommitted changes" and `validate --changed-since HEAD` called the findings of a
    record nobody touched new."""
    attributes, config, converted, text = _CONVERSIONS[conversion]
    repo = _committed_records(tmp_path, _RISK, {converted: text})
    head = _checked_out_through(repo, attributes, config)
    on_disk = (repo.root / converted).read_bytes()
    assert on_disk != repo.git("show", f"HEAD:{converted}").encode()  # converted

    assert changed_paths(repo.root, "HEAD") == set()
    assert head_state(repo.root)[1] is False
    report = cli("report", "soa", repo.root, "-o", "-", "--as-of", AS_OF, "--force")
    assert report.exit_code == 0, report.stderr
    assert f"- **Git commit:** {head} (commit dated " in report.stdout
    everything = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert json.loads(everything.stdout)["diagnostics"] != []
    gate = cli(
        "validate", repo.root, "--as-of", AS_OF, "--format", "json", "--changed-since", "HEAD"
    )
    assert gate.exit_code == 0 and json.loads(gate.stdout)["diagnostics"] == [], gate.stdout
    # diff reads a revision as git stores it (`git show REV:FILE`), the work tree as it
    # is: a conversion in a comment changes no record on either comparison.
    for sides in (("HEAD~1", "HEAD"), ("HEAD",)):
        diff = cli("diff", *sides, repo.root, "--as-of", AS_OF, "--format", "json")
        assert diff.exit_code == 0, diff.stderr
        changes = json.loads(diff.stdout)
        assert (changes["added"], changes["removed"], changes["changed"]) == ([], [], [])
    # An edit is still one, though it keeps the size and the time of the file: git's
    # record of the file no longer matches (the change time moved).
    edited = on_disk.replace(b"e", b"E", 1)
    assert edited != on_disk
    (repo.root / converted).write_bytes(edited)
    os.utime(repo.root / converted, ns=(_LONG_AGO, _LONG_AGO))
    assert changed_paths(repo.root, "HEAD") == {converted}


def test_a_converted_file_as_new_as_the_index_counts_as_changed(tmp_path: Path) -> None:
    """Where a file is as new as git's index, its record there cannot vouch for it (it
    may have been changed within the same tick): git itself would read it again through
    the conversion, which aimsctl does not run, so it counts as changed."""
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG, "risks/R-1.yaml": "# $Id$\nid: R-1\n"})
    repo.commit("Records")
    _checked_out_through(repo, "*.yaml ident\n", {})
    assert changed_paths(repo.root, "HEAD") == set()
    index = repo.top / ".git" / "index"
    os.utime(index, ns=(_LONG_AGO, _LONG_AGO))
    assert changed_paths(repo.root, "HEAD") == {"risks/R-1.yaml"}


def test_a_record_git_checks_out_as_utf16_names_the_attribute(tmp_path: Path, cli: Cli) -> None:
    """`working-tree-encoding=UTF-16` on the YAML files: git stores UTF-8 and writes
    UTF-16 into the work tree. validate said to save the file as UTF-8, which the next
    checkout undoes (and which `git add` then refuses to decode); it names the attribute
    to remove now. What git stores is UTF-8, so `--staged` reads it as usual."""
    repo = _committed_records(tmp_path, factory.risk("R-1", systems=["SYS-A"]))
    _checked_out_through(repo, "risks/*.yaml text working-tree-encoding=UTF-16\n", {})
    assert (repo.root / "risks/R-1.yaml").read_bytes().startswith(b"\xff\xfe")
    for extra in ((), ("--no-cache",)):
        result = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", *extra)
        assert result.exit_code == 1, result.stderr
        [problem] = json.loads(result.stdout)["diagnostics"]
        assert (problem["code"], problem["path"]) == ("AIMS002", "risks/R-1.yaml")
        assert problem["message"] == (
            "git checks this file out as UTF-16 (`working-tree-encoding=UTF-16` in "
            ".gitattributes), and records are read as UTF-8: remove that attribute for "
            "the YAML files and stage .gitattributes (`git add .gitattributes`), then check "
            "them out again (`git checkout -- risks/R-1.yaml`)"
        )
    staged = cli("validate", repo.root, "--as-of", AS_OF, "--staged")
    assert staged.exit_code == 0, staged.stdout
    # aims.yaml too: exit 2, with the same advice.
    _checked_out_through(repo, "*.yaml text working-tree-encoding=UTF-16\n", {})
    config = cli("validate", repo.root, "--as-of", AS_OF)
    assert config.exit_code == 2
    assert "Traceback" not in config.stderr
    assert config.stderr == (
        "aimsctl: error: aims.yaml:1:1: git checks this file out as UTF-16 "
        "(`working-tree-encoding=UTF-16` in .gitattributes), and records are read as UTF-8: "
        "remove that attribute for the YAML files and stage .gitattributes (`git add "
        ".gitattributes`), then check them out again (`git checkout -- aims.yaml`)\n"
    )


@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-16LE"])
def test_csv_files_git_checks_out_as_utf16_name_the_attribute(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    """`working-tree-encoding=UTF-16` on the CSV files: records named the attribute,
    but a monitor's observations (validate's AIMS708, `monitor check`), `bias-audit`'s
    data and `eval import`'s results still said "save it as UTF-8", which the next
    checkout undoes. They now name the attribute in the words a record gets, UTF-16
    without a byte-order mark too (valid UTF-8 with a NUL after each letter)."""
    repo = GitRepo(tmp_path / "work")
    obs = "on,value\n2026-11-01,0.05\n"
    write_files(
        repo.root,
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-A.yaml": factory.system("SYS-A"),
            "monitors/MON-1.yaml": factory.monitor(
                "MON-1", system="SYS-A", observations_file="evidence/obs.csv"
            ),
            "evidence/obs.csv": obs,
            "data/audit.csv": "sex,ok\nF,1\nM,0\n",
            "data/results.csv": "metric,value,dimension\nAccuracy,0.9,performance\n",
        },
    )
    repo.commit("Records")
    _checked_out_through(repo, f"*.csv text working-tree-encoding={encoding}\n", {})
    assert b"\x00" in (repo.root / "evidence/obs.csv").read_bytes()

    def advice(read: str, files: str, shown: str) -> str:
        return (
            f"is not UTF-8 text: git checks this file out as {encoding} (`working-tree-"
            f"encoding={encoding}` in .gitattributes), and {read} as UTF-8: remove that "
            f"attribute for "
            f"{files} and stage .gitattributes (`git add .gitattributes`), then check them "
            f"out again (`git checkout -- {shown}`)"
        )

    observations = advice("observations are read", "the CSV files", "evidence/obs.csv")
    for extra in ((), ("--no-cache",)):
        result = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", *extra)
        assert result.exit_code == 1, result.stderr
        found = json.loads(result.stdout)["diagnostics"]
        assert [d["message"] for d in found if d["code"] == "AIMS708"] == [
            f"observations_file evidence/obs.csv {observations}"
        ]
    checked = cli("monitor", "check", repo.root, "--as-of", AS_OF)
    assert f"evidence/obs.csv: {observations}\n" in checked.stdout, checked.stdout
    # What git stores is UTF-8: the staged records read the observations as usual.
    staged = cli("validate", repo.root, "--as-of", AS_OF, "--staged", "--format", "json")
    assert "AIMS708" not in [d["code"] for d in json.loads(staged.stdout)["diagnostics"]]

    monkeypatch.chdir(repo.root)
    audit = cli("bias-audit", "data/audit.csv", "--outcome", "ok", "--category", "sex")
    assert (audit.exit_code, audit.stderr) == (
        2,
        "aimsctl: error: data/audit.csv:1: "
        + advice("bias-audit reads its data", "the CSV files", "data/audit.csv")
        + "\n",
    )
    imported = cli(
        "eval", "import", "data/results.csv", ".", "--system", "SYS-A", "--on", "2026-11-20",
        "--as-of", AS_OF, "--by", "lead@example.org",
    )  # fmt: skip
    assert (imported.exit_code, imported.stderr) == (
        2,
        "aimsctl: error: data/results.csv:1: "
        + advice("results files are read", "the .csv files", "data/results.csv")
        + "\n",
    )
    # Outside git the advice stays "save it as UTF-8".
    outside = plain_governance_folder(tmp_path) / "outside.csv"
    outside.write_bytes((repo.root / "data/audit.csv").read_bytes())
    audit = cli("bias-audit", outside, "--outcome", "ok", "--category", "sex")
    byte = 4 if encoding == "UTF-16" else 2  # after the byte-order mark, if any
    assert (audit.exit_code, audit.stderr) == (
        2,
        f"aimsctl: error: {outside}:1: holds a NUL byte (byte {byte}): this is not CSV text; "
        "a UTF-16 file? save it as UTF-8\n",
    )


def test_a_folder_replaced_by_a_symbolic_link_is_a_change(work: Path) -> None:
    shutil.copytree(work / "gov/risks", work / "elsewhere")
    shutil.rmtree(work / "gov/risks")
    (work / "gov/risks").symlink_to(work / "elsewhere")
    assert changed_paths(work / "gov", "HEAD") == {"risks", "risks/R-1.yaml", "risks/R-2.yaml"}


def test_changes_since_lists_every_path_and_reads_only_what_is_asked(work: Path) -> None:
    from aimsctl.gitio import changes_since

    write(work, {"gov/evidence/report.pdf": "pdf\n"})
    base = commit(work, "evidence")
    (work / "gov/evidence/report.pdf").unlink()
    found = changes_since(work / "gov", base, (".yaml",))
    assert found.sha == base
    assert found.files == read_tree(work / "gov", base, (".yaml",))
    assert found.paths == {*found.files, "evidence/report.pdf"}
    assert found.changed == {"evidence/report.pdf"}


# --- repositories git refuses -------------------------------------------------------


def _refused_by_git(path: Path, env: dict[str, str]) -> bool:
    probe = subprocess.run(
        ["git", "rev-parse", "--git-dir"],
        cwd=path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    return probe.returncode != 0 and "dubious ownership" in probe.stderr


def test_a_repository_owned_by_another_user_is_named_with_the_fix(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG, "risks/R-1.yaml": factory.risk("R-1")})
    base = repo.commit("Records")
    other_owner = {
        "GIT_TEST_ASSUME_DIFFERENT_OWNER": "1",  # git's own test switch (git 2.36 and later)
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,  # no safe.directory of the person running the tests
    }
    if not _refused_by_git(repo.top, other_owner):
        pytest.skip("this git does not know GIT_TEST_ASSUME_DIFFERENT_OWNER")
    for name, value in other_owner.items():
        monkeypatch.setenv(name, value)
    top = repo.top.resolve()
    commands = {
        **_git_reading_commands(repo, base, tmp_path / "out"),
        # the pre-commit hook's command, and the history that dates the records
        "validate --staged": ("validate", repo.root, "--staged", "--as-of", AS_OF),
        "validate": ("validate", repo.root, "--as-of", AS_OF, "--no-cache"),
        "validate, cached": ("validate", repo.root, "--as-of", AS_OF),
    }
    for name, command in commands.items():
        result = cli(*command)
        assert result.exit_code == 2, (name, result.stdout, result.stderr)
        assert result.stderr == (
            f"aimsctl: error: git refuses to read the repository at {top}: it belongs to "
            'another user (git\'s "dubious ownership" check). If you trust it, allow it with '
            f"`git config --global --add safe.directory {top}` and run aimsctl again\n"
        ), name
    assert not (tmp_path / "out").exists()
    with pytest.raises(UntrustedRepository, match=r"safe\.directory"):
        head_state(repo.root)
    # `aimsctl init` inside it makes a repository of its own, which git then uses.
    from aimsctl.gitio import work_tree_prefix

    assert work_tree_prefix(repo.root / "new") is None


@pytest.mark.parametrize(
    ("head", "says"),
    [
        ("ref: refs/heads/ma", "names the branch 'refs/heads/ma', which does not exist, while"),
        ("ref: refs/he", "names 'refs/he', which is not a branch"),
        ("ref: refs/", "names no commit that exists"),
    ],
)
def test_a_head_cut_short_is_not_a_repository_without_commits(
    tmp_path: Path, cli: Cli, head: str, says: str
) -> None:
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG, "risks/R-1.yaml": factory.risk("R-1")})
    repo.commit("Records")
    (repo.top / ".git" / "HEAD").write_text(head, encoding="ascii")
    with pytest.raises(GitError, match=re.escape(says)):
        head_state(repo.root)
    for command in (
        ("log", "R-1", repo.root),
        ("validate", repo.root, "--changed-since", "HEAD", "--as-of", AS_OF),
        ("diff", "HEAD", repo.root, "--as-of", AS_OF),
    ):
        result = cli(*command)
        assert result.exit_code == 2, (command, result.stderr)
        assert says in result.stderr and "no commits yet" not in result.stderr, command
    out = tmp_path / "out"
    assert cli("report", "soa", repo.root, "-o", out, "--force", "--as-of", AS_OF).exit_code == 0
    assert "no commits yet" not in (out / "soa.md").read_text("utf-8")
    # Other revisions still resolve: a pull-request gate against `main` still works.
    result = cli("validate", repo.root, "--changed-since", "main", "--as-of", AS_OF)
    assert result.exit_code in (0, 1) and result.stderr == ""


def test_a_new_branch_without_commits_still_has_no_commits_yet(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG})
    repo.commit("Records")
    repo.git("checkout", "-q", "--orphan", "fresh")
    assert head_state(repo.root) == (None, True)
    with pytest.raises(GitError, match="has no commits yet"):
        changed_paths(repo.root, "HEAD")


def test_a_new_branch_named_as_the_start_of_another_is_not_a_head_cut_short(
    tmp_path: Path, cli: Cli
) -> None:
    # Git wrote HEAD whole (its line ends); a file cut short loses that line break.
    repo = GitRepo(tmp_path / "work")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG})
    repo.commit("Records")
    branch = repo.git("symbolic-ref", "--short", "HEAD").strip()
    repo.git("checkout", "-q", "--orphan", branch[:-1])
    assert head_state(repo.root) == (None, True)
    result = cli("validate", repo.root, "--as-of", AS_OF)
    assert result.exit_code in (0, 1) and result.stderr == "", result.stderr
    with pytest.raises(GitError, match="has no commits yet"):
        changed_paths(repo.root, "HEAD")


def test_two_revisions_read_with_shared_blobs_read_an_unchanged_file_once(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD").strip()
    write(work, {"gov/risks/R-1.yaml": "id: R-1\nnew: true\n"})
    second = commit(work)
    blobs: dict[str, bytes] = {}
    before = read_tree(work / "gov", first, blobs=blobs)
    after = read_tree(work / "gov", second, blobs=blobs)
    assert after["risks/R-2.yaml"] is before["risks/R-2.yaml"]  # one object, read once
    assert after["risks/R-1.yaml"] == b"id: R-1\nnew: true\n" != before["risks/R-1.yaml"]
    assert len(blobs) == len(set(before.values()) | set(after.values()))


def test_read_tree_reads_any_bytes_in_batches(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Objects are asked of git many at a time: contents that look like git's own
    answer (a newline, a header, no final newline, nothing at all) come back whole,
    across batches."""
    contents = {
        "gov/a.bin": b"",
        "gov/b.bin": b"\n",
        "gov/c.bin": b"0123456789abcdef0123456789abcdef01234567 blob 3\nxyz\n",
        "gov/d.bin": bytes(range(256)) * 3,
        "gov/e.bin": b"no newline at the end",
        "gov/f.bin": b"no newline at the end",  # the same object as e.bin
    }
    for rel, data in contents.items():
        (work / rel).write_bytes(data)
    commit(work, "binary files")
    monkeypatch.setattr("aimsctl.gitio.blobs._BATCH", 2)
    read = read_tree(work / "gov", "HEAD", suffixes=(".bin",))
    assert read == {rel.removeprefix("gov/"): data for rel, data in contents.items()}


@pytest.mark.parametrize("one_process_from", [1, 1000], ids=["batched", "one-by-one"])
def test_commit_log_blobs_come_in_order_either_way(
    work: Path, monkeypatch: pytest.MonkeyPatch, one_process_from: int
) -> None:
    """A commit's blobs, read by one git process in chunks or one at a time: each in
    the order asked for, repeats included, as ``blob`` reads it."""
    from aimsctl.gitio import CommitLog

    contents = {f"gov/r{n}.yaml": f"id: R-{n % 3}\n".encode() for n in range(7)}
    contents["gov/odd.yaml"] = b"0123456789abcdef0123456789abcdef01234567 blob 3\nxyz"
    for rel, data in contents.items():
        (work / rel).write_bytes(data)
    commit(work, "records")
    monkeypatch.setattr("aimsctl.gitio.history._ONE_PROCESS_FROM", one_process_from)
    monkeypatch.setattr("aimsctl.gitio.history._HISTORY_CHUNK", 3)
    with CommitLog(work / "gov", (".yaml",)) as log:
        latest = next(log.commits())  # newest first
        shas = [change.new for change in latest.changes if change.new]
        shas += shas[:2]  # the same objects asked for twice
        read = list(log.blobs(shas))
        assert read == [log.blob(sha) for sha in shas]
    assert set(read) == set(contents.values())


def test_a_committed_link_to_a_record_reads_alike_from_disk_and_from_git(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    # The record lives in a hidden folder (not read itself) and is linked into risks/:
    # the pre-commit check and diff saw no record there, and refused a clean tree.
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": factory.yaml_of(factory.system()),
            ".shared/R-1.yaml": factory.yaml_of(factory.risk("R-1")),
        }
    )
    (repo.root / "risks").mkdir()
    (repo.root / "risks/R-1.yaml").symlink_to("../.shared/R-1.yaml")
    repo.commit("a linked record")
    disk = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    staged = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--staged")
    assert disk.exit_code == staged.exit_code == 0, staged.stdout
    assert disk.stdout == staged.stdout
    assert (
        "No governance record differs."
        in cli("diff", "HEAD", "--repo", repo.root, "--as-of", AS_OF).stdout
    )


def test_a_submodule_reads_alike_from_disk_from_the_index_and_from_git(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    # The system lives in another team's repository, checked out as a submodule:
    # validate read it from disk, while --staged and diff saw a gitlink and no record.
    team = GitRepo(tmp_path / "team")
    team.write({"systems/SYS-1.yaml": factory.yaml_of(factory.system())})
    team.commit("the team's system")
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "risks/R-1.yaml": factory.yaml_of(factory.risk("R-1")),
        }
    )
    repo.add_submodule("team", team)
    repo.commit("the team's records in a submodule")
    disk = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    staged = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--staged")
    assert disk.exit_code == staged.exit_code == 0, staged.stdout
    assert disk.stdout == staged.stdout
    assert (
        "No governance record differs."
        in cli("diff", "HEAD", "--repo", repo.root, "--as-of", AS_OF).stdout
    )


def test_a_sparse_checkout_names_the_folders_it_left_off_the_disk(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    # A sparse checkout of the risks alone: validate read the disk and found only
    # dangling references, never saying that the systems were not there to read.
    repo = GitRepo(tmp_path / "work", governance="governance")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "risks/R-1.yaml": factory.yaml_of(factory.risk("R-1")),
            "systems/SYS-1.yaml": factory.yaml_of(factory.system()),
            "systems/SYS-2.yaml": factory.yaml_of(factory.system("SYS-2")),
            "systems/notes.txt": "not a record",
        }
    )
    repo.commit("the records")
    full = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    repo.git("sparse-checkout", "set", "--no-cone", "/governance/aims.yaml", "/governance/r*/")
    repo.git("sparse-checkout", "add", "/governance/controls/")
    assert not (repo.root / "systems").exists()
    sparse = cli("validate", repo.root, "--as-of", AS_OF, "--no-cache")
    assert sparse.exit_code == 1
    assert (
        "systems:1:1: error AIMS008 folder is left out of this sparse checkout (2 record "
        "files in git's index, not on disk), so their records were not checked; run "
        "`git sparse-checkout disable` (or `git sparse-checkout add` it)"
    ) in sparse.stdout
    assert sparse.stdout.count("AIMS008") == 1
    # `due` (forced past the errors it cannot judge around) names the folder as one not
    # read: "1 file with records that failed validation" called it neither.
    owed = cli("due", repo.root, "--as-of", AS_OF)
    assert (
        "aimsctl: warning: 1 file or folder with records that failed validation or were not "
        "read, whose dates are not listed: systems; run aimsctl validate"
    ) in owed.stderr
    # The index holds every file: --staged reads them, as after the checkout is whole.
    staged = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--staged")
    repo.git("sparse-checkout", "disable")
    whole = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert full.exit_code == staged.exit_code == whole.exit_code == 0, whole.stdout
    assert full.stdout == staged.stdout == whole.stdout


def test_a_sparse_checkout_is_told_through_the_cache_git_dir_and_a_partial_folder(
    tmp_path: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review of the first version: the cached answer outlived a change of the sparse
    set that left the disk alone; a repository named by GIT_DIR was never asked; a file
    `git sparse-checkout disable` leaves behind made a hand-set skip-worktree bit read
    as a sparse checkout; and a folder partly checked out was told to be excluded."""
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": factory.yaml_of(factory.system()),
            "systems/SYS-2.yaml": factory.yaml_of(factory.system("SYS-2")),
        }
    )
    repo.commit("the records")

    def sparse008(*options: str) -> list[str]:
        result = cli("validate", repo.root, "--as-of", AS_OF, *options)
        return [line for line in result.stdout.splitlines() if "AIMS008" in line]

    # systems/SYS-2.yaml deleted by hand (no AIMS008), cached; then left out by the
    # sparse set: the same disk, another answer
    repo.git("sparse-checkout", "set", "--no-cone", "/*")
    (repo.root / "systems" / "SYS-2.yaml").unlink()
    assert sparse008() == []
    repo.git("sparse-checkout", "set", "--no-cone", "/*", "!/systems/SYS-2.yaml")
    partly = [
        "systems:1:1: error AIMS008 folder is only partly checked out: 1 record file in "
        "git's index below it is left out of this sparse checkout, so its records were not "
        "checked; run `git sparse-checkout disable` (or `git sparse-checkout add` the files)"
    ]
    assert sparse008() == sparse008("--no-cache") == partly
    # the repository named by GIT_DIR and GIT_WORK_TREE, its .git folder elsewhere
    (repo.top / ".git").rename(tmp_path / "store.git")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "store.git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo.top))
    assert sparse008("--no-cache") == partly
    # disabled: the sparse-checkout file stays, a skip-worktree bit set by hand is no
    # sparse checkout
    repo.git("sparse-checkout", "disable")
    assert (tmp_path / "store.git" / "info" / "sparse-checkout").exists()
    repo.git("update-index", "--skip-worktree", "systems/SYS-1.yaml")
    (repo.root / "systems" / "SYS-1.yaml").unlink()
    assert sparse008("--no-cache") == []


def test_a_git_folder_kept_apart_from_its_work_tree_is_the_one_git_dir_names(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git --git-dir=... --work-tree=...` kept in the environment (a bare repository
    used with a work tree elsewhere): git uses it, but with no .git above the folder
    aimsctl said it was not inside a git repository (diff, log, --staged and
    --changed-since exit 2), reports were stamped "not a git repository" and validate
    knew no record's creation. The cached answer follows a new commit there too."""
    from gitrepo import one_system, risk

    repo = GitRepo(tmp_path / "work")
    repo.write(one_system(likelihood=4, severity=4))  # high tier, never reviewed
    base = repo.commit("Add the system", on="2025-01-10")
    store = tmp_path / "store.git"
    (repo.top / ".git").rename(store)
    environment = {
        "GIT_DIR": str(store),
        "GIT_WORK_TREE": str(repo.top),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    def overdue() -> dict[str, str]:
        result = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json")
        assert result.exit_code in (0, 1), result.stderr
        found = json.loads(result.stdout)["diagnostics"]
        return {d["record"]: d["message"] for d in found if d["code"] == "AIMS501"}

    assert overdue()["R-1"].startswith("never reviewed since it was created on 2025-01-10;")
    for name, command in _git_reading_commands(repo, base, tmp_path / "out").items():
        result = cli(*command)
        assert result.exit_code in (0, 1), (name, result.stderr)
    staged = cli("validate", repo.root, "--staged", "--as-of", AS_OF)
    assert staged.exit_code in (0, 1), staged.stderr
    report = cli("report", "soa", repo.root, "-o", "-", "--force", "--as-of", AS_OF)
    assert f"- **Git commit:** {base} (commit dated " in report.stdout
    repo.write({"risks/R-2.yaml": risk("R-2", likelihood=4, severity=4)})
    assert "R-2" not in overdue()  # not committed: created today
    repo.commit("Add R-2", on="2025-02-01")
    assert overdue()["R-2"].startswith("never reviewed since it was created on 2025-02-01;")


def test_a_creation_is_dated_by_the_first_commit_whatever_the_clocks_of_later_ones(
    tmp_path: Path, cli: Cli
) -> None:
    """A side branch edits R-1, then makes a commit whose clock was set wrong (dated
    years before its parent), and is merged. By date alone git listed the commit
    that added R-1 before the branch's edit, so AIMS501 and `due` counted R-1's
    review from the edit, months late (git-history audit); `log` said otherwise."""
    from gitrepo import one_system, risk

    repo = GitRepo(tmp_path / "work")
    repo.write(one_system(likelihood=4, severity=4))  # high tier, never reviewed
    repo.commit("Add the system", on="2025-01-10")
    repo.git("checkout", "-q", "-b", "side")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=4, severity=4, status="treating")})
    repo.commit("Treat R-1", on="2025-06-01")
    repo.write({"notes.txt": "a commit made with a clock set wrong\n"})
    repo.commit("Notes", on="2020-01-01")
    # ... and an edit of R-1 itself with that clock: an edit is no creation.
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=4, severity=4, status="open")})
    repo.commit("Reopen R-1", on="2020-01-02")
    repo.git("checkout", "-q", "main")
    repo.merge("side", "Merge side")
    for extra in (("--no-cache",), (), ()):
        result = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", *extra)
        found = json.loads(result.stdout)["diagnostics"]
        said = [d["message"] for d in found if d["code"] == "AIMS501" and d["record"] == "R-1"]
        assert len(said) == 1 and said[0].startswith(
            "never reviewed since it was created on 2025-01-10;"
        ), said
    due = cli("due", "--repo", repo.root, "--as-of", AS_OF, "--format", "json")
    (item,) = [i for i in json.loads(due.stdout)["items"] if i.get("record") == "R-1"]
    assert item["due"] == "2025-07-09"


@pytest.mark.parametrize("how", ["pruned", "main repository moved"])
def test_a_linked_work_tree_whose_repository_is_gone_says_so(
    tmp_path: Path, cli: Cli, how: str
) -> None:
    """A `git worktree add` checkout whose `.git` file names a folder that is not there
    (the main repository moved, or the work tree's entry pruned): git says "not a git
    repository"; aimsctl said the repository was damaged, to run `git fsck` and restore
    it from another clone, which would not help. It now names the missing folder and
    what mends the link."""
    from gitrepo import one_system

    main = GitRepo(tmp_path / "main")
    main.write(one_system())
    main.commit("Records")
    linked = tmp_path / "linked"
    main.git("worktree", "add", "-q", str(linked))
    admin = (main.top / ".git" / "worktrees" / "linked").resolve()
    if how == "pruned":
        shutil.rmtree(admin)
    else:
        main.top.rename(tmp_path / "moved")
    says = (
        f"aimsctl: error: {linked / '.git'} names the git folder {admin}, which is not "
        "there: this is a linked work tree (`git worktree add`) or a submodule whose "
        "repository was moved or removed; if the main repository moved, run `git worktree "
        f"repair {linked}` in it; if the work tree was pruned, add it again with `git "
        "worktree add`\n"
    )
    for command in (
        ("validate", linked, "--staged", "--as-of", AS_OF),
        ("diff", "HEAD", linked, "--as-of", AS_OF),
        ("log", "R-1", linked),
    ):
        result = cli(*command)
        assert (result.exit_code, result.stderr) == (2, says), command


def test_a_bare_repository_with_git_work_tree_is_read_as_git_reads_it(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dotfiles layout: `git init --bare` and GIT_DIR with GIT_WORK_TREE, which git
    lets override core.bare (a hook of `git --git-dir=... --work-tree=... commit` gets
    them, GIT_WORK_TREE as "."). GitPython drops the work tree of a bare repository, so
    every command said "... is a bare git repository; aimsctl needs a work tree" (exit 2)
    and the hook refused every commit, a clean one too."""
    from gitrepo import GIT_ENV, git, one_system

    home = tmp_path / "home"
    store = tmp_path / "store.git"
    git(tmp_path, "init", "-q", "--bare", str(store))
    write_files(home / "gov", one_system(likelihood=4, severity=4))  # review owed
    apart = ("--git-dir", str(store), "--work-tree", str(home))
    git(tmp_path, *apart, "add", "-A")
    stamp = "2025-01-10T12:00:00+00:00"
    dated = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    git(tmp_path, *apart, "commit", "-q", "-m", "Records", env=dated)
    base = git(tmp_path, *apart, "rev-parse", "HEAD").strip()
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_DIR", str(store))
    monkeypatch.chdir(home)
    gov = home / "gov"
    for work_tree in (str(home), "."):
        monkeypatch.setenv("GIT_WORK_TREE", work_tree)
        staged = cli("validate", gov, "--staged", "--as-of", AS_OF, "--format", "json")
        result = cli("validate", gov, "--as-of", AS_OF, "--format", "json", "--no-cache")
        assert staged.stderr == result.stderr == "", work_tree
        assert staged.stdout == result.stdout, work_tree  # what is staged is on disk
        found = json.loads(result.stdout)["diagnostics"]
        overdue = {d["record"]: d["message"] for d in found if d["code"] == "AIMS501"}
        assert overdue["R-1"].startswith("never reviewed since it was created on 2025-01-10;")
        assert cli("diff", base, gov, "--as-of", AS_OF).exit_code == 0, work_tree
        assert cli("log", "R-1", gov).exit_code == 0, work_tree
    write_files(gov, {"risks/R-1.yaml": "kind: [\n"})
    git(tmp_path, *apart, "add", "-A")
    broken = cli("validate", gov, "--staged", "--as-of", AS_OF, "--format", "json")
    assert broken.exit_code == 1, broken.stderr
    assert "AIMS001" in [d["code"] for d in json.loads(broken.stdout)["diagnostics"]]


def test_git_dir_naming_another_repository_than_the_folder_s_is_refused(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_DIR named repository A while the governance folder sat in repository B:
    git run there reads A (A's index, A's history), aimsctl read B, so `validate
    --staged` passed a commit git would make from A's broken index. Every command that
    reads git now refuses, naming both repositories, rather than read either."""
    from gitrepo import one_system

    ours = GitRepo(tmp_path / "ours")
    ours.write(one_system())
    base = ours.commit("Records")
    other = GitRepo(tmp_path / "other")
    other.write({**one_system(), "risks/R-1.yaml": "kind: [\n"})
    other.git("add", "-A")  # staged there: the commit git would make is broken
    named = {"GIT_DIR": str(other.top / ".git")}
    assert "kind: [" in ours.git("show", ":risks/R-1.yaml", env=named)  # what git reads
    monkeypatch.setenv("GIT_DIR", named["GIT_DIR"])
    ours_git = (ours.top / ".git").resolve()
    says = (
        f"aimsctl: error: GIT_DIR names the git repository at {(other.top / '.git').resolve()}, "
        f"but {ours.root} is in the one at {ours_git}, and git run there reads the one "
        "GIT_DIR names; unset GIT_DIR to read "
    )
    commands = {
        **_git_reading_commands(ours, base, tmp_path / "out"),
        "validate --staged": ("validate", ours.root, "--staged", "--as-of", AS_OF),
        "validate": ("validate", ours.root, "--as-of", AS_OF, "--no-cache"),
    }
    for name, command in commands.items():
        result = cli(*command)
        assert result.exit_code == 2, (name, result.stdout, result.stderr)
        assert result.stderr.startswith(says), (name, result.stderr)
    assert not (tmp_path / "out").exists()
    # A GIT_DIR that names no repository at all: git refuses to run there.
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "nowhere"))
    result = cli("validate", ours.root, "--staged", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: GIT_DIR ({tmp_path / 'nowhere'}) names no git repository, and git "
        "run there would use no other; unset GIT_DIR, or set it to the repository's git folder\n"
    )
    # GIT_DIR naming the folder's own repository (as git sets it for a hook in a linked
    # work tree) is the repository read, however it is written.
    monkeypatch.chdir(ours.top)
    for named in (".git", str(ours.top / ".git"), str(ours_git)):
        monkeypatch.setenv("GIT_DIR", named)
        assert cli("validate", ours.root, "--staged", "--as-of", AS_OF).exit_code == 0, named


def test_a_record_left_with_merge_conflict_markers_is_refused_at_the_first_marker(
    tmp_path: Path, cli: Cli
) -> None:
    """A merge whose two sides reworded the same line of a quoted description leaves
    both versions between git's markers. Inside the quotes the markers parsed as text:
    the record validated clean with both versions in its description. Elsewhere
    libyaml's complaint asked for a colon or quotes. Both are now the same plain
    error, at the line of the first marker, and `fmt` refuses the file as well."""
    from gitrepo import GIT_ENV

    quoted = 'description: "Applicants are ranked\n  by a model.\n  {}\n  Logged."\n'
    repo = GitRepo(tmp_path / "work")
    write_files(
        repo.root,
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": factory.yaml_of(factory.system()),
            "risks/R-1.yaml": factory.yaml_of(factory.risk(description=factory.OMIT))
            + quoted.format("Reviewed."),
        },
    )
    repo.commit("Add R-1")
    repo.git("checkout", "-q", "-b", "other")
    risk_file = repo.root / "risks" / "R-1.yaml"
    risk_file.write_text(risk_file.read_text().replace("Reviewed.", "Reviewed weekly."))
    repo.commit("Weekly")
    repo.git("checkout", "-q", "main")
    risk_file.write_text(risk_file.read_text().replace("Reviewed.", "Reviewed daily."))
    repo.commit("Daily")
    merging = subprocess.run(
        ["git", "merge", "-q", "other"],
        cwd=repo.top,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        check=False,
    )
    assert merging.returncode == 1  # the conflict
    marker = risk_file.read_text().splitlines().index("<<<<<<< HEAD") + 1
    problem = (
        "the file holds an unresolved merge conflict: git's markers (<<<<<<<, =======, "
        ">>>>>>>) stand around both versions of the lines it could not merge; keep the "
        "version you want (or combine them), delete the marker lines, then `git add` the file"
    )
    result = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["code"], d["path"], d["line"], d["message"]) for d in found] == [
        ("AIMS001", "risks/R-1.yaml", marker, problem)
    ]
    formatted = cli("fmt", repo.root)
    assert formatted.exit_code == 2
    assert formatted.stderr == (
        f"aimsctl: error: {risk_file}:{marker}:1: {problem}; fix it before formatting\n"
    )


def _records_and_a_copy_elsewhere(tmp_path: Path) -> tuple[GitRepo, str, Path]:
    """A repository with one committed system, and a copy of its files in another
    folder holding one more record, which does not parse: what git reads once it is
    pointed at that folder as the work tree."""
    from gitrepo import one_system

    ours = GitRepo(tmp_path / "ours")
    ours.write(one_system())
    base = ours.commit("Records")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ours.top, elsewhere, ignore=shutil.ignore_patterns(".git"))
    (elsewhere / "risks" / "R-2.yaml").write_text("kind: [\n", encoding="utf-8")
    return ours, base, elsewhere


def _work_tree_reading_commands(
    repo: GitRepo, base: str, out: Path
) -> dict[str, tuple[str | Path, ...]]:
    """Every command that reads git, and those that read the work tree's files."""
    return {
        **_git_reading_commands(repo, base, out),
        "validate --staged": ("validate", repo.root, "--staged", "--as-of", AS_OF),
        "validate": ("validate", repo.root, "--as-of", AS_OF),
        "diff HEAD": ("diff", "HEAD", repo.root, "--as-of", AS_OF),
    }


def test_git_work_tree_naming_another_folder_than_the_repository_s_is_refused(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_WORK_TREE set without GIT_DIR: git finds the repository from the current
    folder and reads the files GIT_WORK_TREE names (`git rev-parse --show-toplevel`
    and `git status` name that folder). aimsctl read the governance folder's files:
    `diff HEAD` said no record differs where `git status` listed an edited and a new
    record. Every command that reads git now refuses, naming both folders; a
    GIT_WORK_TREE naming the repository's own work tree, relative or not, is read."""
    ours, base, elsewhere = _records_and_a_copy_elsewhere(tmp_path)
    monkeypatch.chdir(ours.top)
    monkeypatch.setenv("GIT_WORK_TREE", "../elsewhere")
    assert git(ours.top, "rev-parse", "--show-toplevel").strip() == str(elsewhere)
    assert "?? risks/R-2.yaml" in git(ours.top, "status", "--short")  # what git reads
    says = (
        f"aimsctl: error: GIT_WORK_TREE names {elsewhere} as the work tree, but "
        f"{ours.root} is in the work tree at {ours.top}, and git run there reads the files "
        "GIT_WORK_TREE names; unset GIT_WORK_TREE to read "
    )
    for name, command in _work_tree_reading_commands(ours, base, tmp_path / "out").items():
        result = cli(*command)
        assert result.exit_code == 2, (name, result.stdout, result.stderr)
        assert result.stderr.startswith(says), (name, result.stderr)
    assert not (tmp_path / "out").exists()
    # Naming the repository's own work tree, however it is written (from the current
    # folder, as git takes it), is what git reads anyway.
    (ours.root / "risks" / "R-2.yaml").write_text("kind: [\n", encoding="utf-8")
    monkeypatch.chdir(ours.top / "risks")
    for named in ("..", str(ours.top)):
        monkeypatch.setenv("GIT_WORK_TREE", named)
        result = cli("diff", "HEAD", ours.root, "--format", "json", "--as-of", AS_OF)
        assert result.exit_code == 0, (named, result.stderr)
        assert "risks/R-2.yaml" in result.stdout, named  # the new file that does not parse
        result = cli("validate", ours.root, "--format", "json", "--as-of", AS_OF)
        assert result.exit_code == 1, (named, result.stderr)
        assert "AIMS001" in [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_core_worktree_naming_another_folder_than_the_repository_s_is_refused(
    tmp_path: Path, cli: Cli
) -> None:
    """`git config core.worktree ...`: git reads the files of the folder it names
    (`git rev-parse --show-toplevel` and `git status` name it), while GitPython ignores
    core.worktree for a repository found through `.git`, so aimsctl read the governance
    folder's own files: `diff HEAD` said no record differs where `git status` listed a
    new record that does not parse. Every command that reads git now refuses, naming
    both folders, as it does for GIT_WORK_TREE."""
    ours, base, elsewhere = _records_and_a_copy_elsewhere(tmp_path)
    ours.git("config", "core.worktree", "../../elsewhere")  # from the git folder
    assert ours.git("rev-parse", "--show-toplevel").strip() == str(elsewhere)
    assert "?? risks/R-2.yaml" in ours.git("status", "--short")  # what git reads
    says = (
        f"aimsctl: error: the git repository at {ours.top / '.git'} names {elsewhere} as "
        f"its work tree (core.worktree), but {ours.root} is not in that folder, and git run "
        "there reads the files core.worktree names; unset core.worktree (`git config "
        f"--unset core.worktree`) to read {ours.top}, or set it to that folder\n"
    )
    for name, command in _work_tree_reading_commands(ours, base, tmp_path / "out").items():
        result = cli(*command)
        assert (result.exit_code, result.stderr) == (2, says), (name, result.stdout)
    assert not (tmp_path / "out").exists()
    # core.worktree naming the repository's own work tree is what GitPython reads too.
    ours.git("config", "core.worktree", str(ours.top))
    (ours.root / "risks" / "R-2.yaml").write_text("kind: [\n", encoding="utf-8")
    result = cli("diff", "HEAD", ours.root, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "risks/R-2.yaml" in result.stdout  # the new file that does not parse
    # A folder that is not there: git refuses to run at all, which aimsctl called a
    # damaged repository to restore from another clone.
    ours.git("config", "core.worktree", "../../gone")
    result = cli("diff", "HEAD", ours.root, "--as-of", AS_OF)
    assert (result.exit_code, result.stderr) == (
        2,
        f"aimsctl: error: the git repository at {ours.top / '.git'} names {tmp_path / 'gone'} "
        "as its work tree (core.worktree), which is not there, so git refuses to run there; "
        "unset core.worktree (`git config --unset core.worktree` in that repository's git "
        "folder) or set it to the top of its work tree\n",
    )


@pytest.mark.parametrize(
    ("worktree", "staged_as"), [("../gov", "aims.yaml"), ("../..", "work/gov/aims.yaml")]
)
def test_core_worktree_naming_a_folder_that_holds_the_governance_root_is_read(
    tmp_path: Path, cli: Cli, worktree: str, staged_as: str
) -> None:
    """core.worktree naming a folder below the one holding `.git` (`work/gov`) or above
    it (``tmp_path``): git's index holds paths from that folder (`aims.yaml`, or
    `work/gov/aims.yaml`), which aimsctl looked for as `gov/aims.yaml`, so `validate
    --staged` said no aims.yaml was staged and `diff` called every record new. The
    folder core.worktree names is now the work tree read, as git reads it."""
    from gitrepo import one_system

    repo = GitRepo(tmp_path / "work", "gov")
    repo.git("config", "core.worktree", worktree)
    repo.write(one_system())
    base = repo.commit("Records")
    listed = repo.git("ls-files", "--full-name", "--", ":/*aims.yaml").split()
    assert listed == [staged_as]  # the paths git keeps
    assert cli("validate", repo.root, "--staged", "--as-of", AS_OF).exit_code == 0
    result = cli("diff", base, repo.root, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"] == []
    repo.write({"risks/R-1.yaml": "kind: [\n"})
    repo.git("add", "-A")
    staged = cli("validate", repo.root, "--staged", "--as-of", AS_OF, "--format", "json")
    assert staged.exit_code == 1, staged.stderr
    assert [d["path"] for d in json.loads(staged.stdout)["diagnostics"]] == ["risks/R-1.yaml"]
    assert cli("log", "R-1", repo.root).exit_code == 0


def test_a_separate_git_dir_is_read_through_its_core_worktree(tmp_path: Path, cli: Cli) -> None:
    """`git init --separate-git-dir`: the work tree's `.git` is a file naming the git
    folder; with core.worktree there naming the work tree (as a checkout used from the
    git folder sets it), it is read as usual. core.worktree moved to another folder
    makes git read that one (GitPython still took the folder of the `.git` file): it
    is refused, naming both."""
    from gitrepo import git, one_system

    store, work = tmp_path / "store.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "-b", "main", "--separate-git-dir", str(store), str(work))
    git(store, "config", "core.worktree", str(work))
    write_files(work, one_system())
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Records")
    result = cli("diff", "HEAD", work, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert cli("validate", work, "--staged", "--as-of", AS_OF).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    git(store, "config", "core.worktree", str(elsewhere))
    result = cli("validate", work, "--staged", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"aimsctl: error: the git repository at {store} names {elsewhere} as its work tree "
        f"(core.worktree), but {work} is not in that folder"
    )


@pytest.mark.parametrize("recent", [64, 1])
def test_committed_files_are_those_of_the_newest_commit_dated_by_the_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recent: int
) -> None:
    """What version control kept on a day is the newest commit dated by then, the
    committer's own day; with more commits after the day than the first `git log`
    reads (``recent``: 1), the second finds the same."""
    from aimsctl.gitio import committed

    monkeypatch.setattr(committed, "_RECENT_COMMITS", recent)
    repo = GitRepo(tmp_path / "work", "governance")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG, "systems/SYS-A.yaml": factory.system()})
    repo.commit("Start", on="2026-01-10")
    write_files(repo.root, {"risks/R-1.yaml": factory.risk("R-1")})
    repo.commit("Add R-1", on="2026-02-01")
    write_files(repo.root, {"risks/R-2.yaml": factory.risk("R-2")})
    repo.commit("Add R-2", on="2026-03-01")

    def kept(day: date) -> tuple[list[str], bool]:
        found = committed_files(repo.root, day)
        assert found is not None
        return sorted(found.files), found.later

    everything = ["aims.yaml", "risks/R-1.yaml", "risks/R-2.yaml", "systems/SYS-A.yaml"]
    assert kept(date(2026, 3, 1)) == kept(date.max) == (everything, False)
    assert kept(date(2026, 2, 28)) == (["aims.yaml", "risks/R-1.yaml", "systems/SYS-A.yaml"], True)
    assert kept(date(2026, 1, 10)) == (["aims.yaml", "systems/SYS-A.yaml"], True)
    assert kept(date(2026, 1, 9)) == kept(date.min) == ([], True)
    found = committed_files(repo.root, date(2026, 2, 28), start="HEAD~2")
    assert found is not None and found.later is False and "risks/R-1.yaml" not in found.files


def test_a_stray_git_folder_with_no_head_is_no_repository(tmp_path: Path, cli: Cli) -> None:
    """A `.git` folder with no HEAD file (`mkdir .git`, a copy that left it empty): git
    does not take it for a repository and looks further up. aimsctl called it damaged,
    told the user to run `git fsck` and restore it from another clone, and validate
    raised AIMS407 for every approved impact assessment with that advice. validate now
    reads the folder as the plain folder it is; a command that needs git says in one
    line why there is none."""
    from conftest import EXAMPLE

    plain = plain_governance_folder(tmp_path)
    shutil.copytree(EXAMPLE, plain, dirs_exist_ok=True)
    as_plain = cli("validate", plain, "--as-of", AS_OF)
    (plain / ".git").mkdir()
    stray = cli("validate", plain, "--as-of", AS_OF)
    assert (stray.exit_code, stray.stdout, stray.stderr) == (
        as_plain.exit_code,
        as_plain.stdout,
        as_plain.stderr,
    )
    assert "AIMS407" not in stray.stdout
    says = (
        f"aimsctl: error: {plain} is not inside a git repository: {plain / '.git'} holds no "
        "HEAD file, so git does not take it for one; remove that folder, or run `git init` "
        "there and commit the records\n"
    )
    for command in (
        ("validate", plain, "--staged", "--as-of", AS_OF),
        ("validate", plain, "--changed-since", "HEAD", "--as-of", AS_OF),
        ("diff", "HEAD~1", "HEAD", plain, "--as-of", AS_OF),
        ("log", "R-007", plain),
    ):
        result = cli(*command)
        assert (result.exit_code, result.stderr) == (2, says), command
