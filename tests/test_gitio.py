"""gitio on real git repositories made in temporary folders."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from aimsctl.errors import GitError
from aimsctl.gitio import changed_paths, head_state, open_repo, read_tree, resolve


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity; its stdout."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True)
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
    write(root, {
        "gov/aims.yaml": "version: 1\n",
        "gov/risks/R-1.yaml": "id: R-1\n",
        "gov/risks/R-2.yaml": "id: R-2\n",
        "gov/systems/S.yaml": "id: S\n",
        "app/main.py": "print()\n",
        ".gitignore": "*.tmp\n",
    })
    commit(root, "first")
    return root


def test_changed_paths_cover_edits_staged_untracked_deleted_and_renames(work: Path) -> None:
    write(work, {"gov/risks/R-1.yaml": "id: R-1\ntitle: edited\n",   # unstaged edit
                 "gov/risks/R-9.yaml": "id: R-9\n",                  # untracked
                 "gov/new/staged.yaml": "id: N\n",                   # staged new file
                 "gov/scratch.tmp": "ignored\n"})                    # ignored: not a change
    git(work, "add", "gov/new/staged.yaml")
    git(work, "mv", "gov/systems/S.yaml", "gov/systems/SYS.yaml")     # staged rename
    (work / "gov/risks/R-2.yaml").unlink()                           # deleted
    assert changed_paths(work, "HEAD") == {
        "gov/risks/R-1.yaml", "gov/risks/R-9.yaml", "gov/new/staged.yaml",
        "gov/systems/S.yaml", "gov/systems/SYS.yaml", "gov/risks/R-2.yaml",
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
    write(work, {"gov/risks/R-1.yaml": "id: R-1\nx: 1\n", "app/main.py": "pass\n",
                 "gov-other/x.yaml": "a: 1\n"})
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
    assert set(whole) == {"gov/aims.yaml", "gov/risks/R-1.yaml", "gov/risks/R-2.yaml",
                          "gov/systems/S.yaml", "app/main.py", ".gitignore"}
    # Nothing was checked out: the work tree and HEAD are as they were.
    assert (work / "gov/risks/R-1.yaml").read_text() == "working tree only\n"
    assert git(work, "rev-parse", "HEAD").strip() != first


def test_read_tree_of_a_root_that_did_not_exist_yet_is_empty(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD").strip()
    write(work, {"later/aims.yaml": "version: 1\n"})
    commit(work)
    assert read_tree(work / "later", first) == {}
    assert read_tree(work / "later", "HEAD") == {"aims.yaml": b"version: 1\n"}
