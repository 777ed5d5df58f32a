"""gitio on real git repositories made in temporary folders."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from aimsctl.errors import GitError
from aimsctl.gitio import changed_paths, head_state, open_repo, read_tree, resolve


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
    with pytest.raises(GitError, match="unknown revision"):
        changed_paths(work, "HEAD~5")
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
    assert "link.yaml" not in read_tree(work / "gov", "HEAD")  # a symlink is not a file
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


def test_a_commit_log_before_the_first_commit(tmp_path: Path) -> None:
    from aimsctl.gitio import CommitLog, WorkChange

    root = init(tmp_path / "empty")
    write(root, {"aims.yaml": "version: 1\n"})
    with CommitLog(root, (".yaml",)) as log:
        assert not log.has_commits
        assert list(log.commits()) == []
        assert log.worktree_changes() == [WorkChange("aims.yaml", None, b"version: 1\n")]
