"""Questions to git asked together, or once for a run, answer as they did asked apart.

`aimsctl diff` reads both revisions through one opening of the repository
(:class:`aimsctl.gitio.Revisions`, kept in the run's ParseMemo); the history asks
for HEAD and for where a shallow clone lists its cut-off commits in one git process
(:func:`aimsctl.gitio.revisions.head_commit_and_path`). Each test here compares
with the questions asked one at a time, where a wrong answer would show.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aimsctl import gitio
from aimsctl.errors import GitError
from aimsctl.gitio import CommitLog, Revisions, open_repo, read_tree, resolve_revision
from aimsctl.gitio.revisions import head_commit, head_commit_and_path
from aimsctl.gitio.running import run_git
from aimsctl.loader import ParseMemo
from aimsctl.revision import load_revision
from conftest import MINIMAL_CONFIG
from gitrepo import GitRepo, git

AS_OF = date(2026, 11, 26)


def _history(top: Path, governance: str = "gov") -> GitRepo:
    """Three commits below ``gov/``, the second tagged (annotated) `v1`, and a
    symbolic link between record files."""
    repo = GitRepo(top, governance)
    repo.write({"aims.yaml": MINIMAL_CONFIG, "risks/R-1.yaml": "id: R-1\n"})
    repo.commit("first")
    repo.write({"risks/R-2.yaml": "id: R-2\n"})
    (repo.root / "risks" / "R-3.yaml").symlink_to("R-2.yaml")
    repo.commit("second")
    repo.git("tag", "-a", "v1", "-m", "release")
    repo.write({"risks/R-1.yaml": "id: R-1\ntitle: changed\n"})
    repo.commit("third")
    return repo


def _error(ask: object, *args: object) -> str:
    with pytest.raises(GitError) as raised:
        ask(*args)  # type: ignore[operator]
    return str(raised.value)


REVISIONS = ["HEAD", "HEAD~1", "HEAD~2", "v1", "main", "v1~1"]


def test_one_opening_reads_each_revision_as_its_own_opening_does(tmp_path: Path) -> None:
    repo = _history(tmp_path / "work")
    revisions = Revisions(repo.root)
    blobs: dict[str, bytes] = {}
    for rev in REVISIONS:
        sha = revisions.resolve(rev)
        assert sha == resolve_revision(repo.root, rev)
        assert sha == repo.git("rev-parse", f"{rev}^{{commit}}").strip()  # a tag's commit
        links: dict[str, str] = {}
        alone: dict[str, str] = {}
        # Shared blobs (as a diff shares them) change nothing that is read.
        assert revisions.read_tree(sha, (".yaml",), blobs, links) == read_tree(
            repo.root, rev, (".yaml",), links=alone
        )
        assert links == alone
    assert revisions.read_tree(revisions.resolve("HEAD"))["risks/R-3.yaml"] == b"id: R-2\n"
    assert revisions.read_tree(revisions.resolve("HEAD~2")) == {
        "aims.yaml": MINIMAL_CONFIG.encode(),
        "risks/R-1.yaml": b"id: R-1\n",
    }


@pytest.mark.parametrize(
    "rev",
    ["nothing-here", "HEAD~9", "HEAD:risks", "HEAD:gov/aims.yaml", "-p", "HEAD..HEAD~1"],
)
def test_one_opening_refuses_a_revision_as_its_own_opening_does(tmp_path: Path, rev: str) -> None:
    repo = _history(tmp_path / "work")
    revisions = Revisions(repo.root)
    assert revisions.resolve("HEAD") == repo.head()  # a question answered before
    message = _error(revisions.resolve, rev)
    assert message == _error(resolve_revision, repo.root, rev)
    assert repr(rev) in message
    assert revisions.resolve("HEAD~1") == resolve_revision(repo.root, "HEAD~1")  # and after


def test_one_opening_before_the_first_commit_says_there_is_none(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "new")
    repo.write({"aims.yaml": MINIMAL_CONFIG})
    message = _error(Revisions(repo.root).resolve, "HEAD")
    assert message == _error(resolve_revision, repo.root, "HEAD")
    assert "has no commits yet" in message


def test_one_opening_outside_git_fails_as_opening_does(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "aims.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    if gitio.is_revision(folder, "HEAD"):
        pytest.skip("the temporary folder is inside a git repository")
    assert _error(Revisions(folder).resolve, "HEAD") == _error(resolve_revision, folder, "HEAD")


def test_both_sides_of_a_diff_open_the_repository_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _history(tmp_path / "work")
    opened: list[Path] = []

    def counted(path: Path) -> object:
        opened.append(path)
        return open_repo(path)

    monkeypatch.setattr("aimsctl.gitio.trees.open_repo", counted)
    memo = ParseMemo()
    base = load_revision(repo.root, "v1", AS_OF, "BASE", memo)
    head = load_revision(repo.root, "HEAD", AS_OF, "HEAD", memo)
    assert opened == [repo.root]
    assert (base.sha, head.sha) == (repo.git("rev-parse", "v1^{commit}").strip(), repo.head())
    assert base.repository is not None and head.repository is not None
    assert (base.repository.paths, head.repository.paths) == (
        ["risks/R-1.yaml", "risks/R-2.yaml", "risks/R-3.yaml"],
        ["risks/R-1.yaml", "risks/R-2.yaml", "risks/R-3.yaml"],
    )
    # Another root is another repository: not read through the first one's opening.
    other = _history(tmp_path / "other")
    elsewhere = load_revision(other.root, "HEAD", AS_OF, "HEAD", memo)
    assert opened == [repo.root, other.root]
    assert elsewhere.sha == other.head()


def _asked_apart(root: Path) -> tuple[str | None, str | None]:
    with open_repo(root) as repo:
        sha = head_commit(repo)
        path = run_git(repo, "rev-parse", "--git-path", "shallow").strip() if sha else None
        return sha, path


def _asked_together(root: Path) -> tuple[str | None, str | None]:
    with open_repo(root) as repo:
        return head_commit_and_path(repo, "shallow")


def test_head_and_the_shallow_file_together_answer_as_apart(tmp_path: Path) -> None:
    full = _history(tmp_path / "full")
    shallow = full.shallow_clone(tmp_path / "shallow", depth=1)
    linked = tmp_path / "linked"
    git(shallow.parent, "worktree", "add", "-q", "--detach", str(linked))
    new = GitRepo(tmp_path / "new")
    for root in (full.root, shallow, linked / "gov", new.root):
        assert _asked_together(root) == _asked_apart(root)
    assert _asked_together(new.root) == (None, None)
    # A linked work tree's shallow file is the main repository's, not in its own git folder.
    together = _asked_together(linked / "gov")[1]
    assert together is not None
    assert (linked / together).resolve() == (shallow.parent / ".git" / "shallow").resolve()


@pytest.mark.parametrize("where", ["clone", "linked"])
def test_the_cut_off_commit_of_a_shallow_clone_is_found(tmp_path: Path, where: str) -> None:
    full = _history(tmp_path / "full")
    root = full.shallow_clone(tmp_path / "shallow", depth=2)
    if where == "linked":
        git(root.parent, "worktree", "add", "-q", "--detach", str(tmp_path / "linked"))
        root = tmp_path / "linked" / "gov"
    with CommitLog(root, (".yaml",)) as log:
        assert log.worktree_changes() == []  # asks for HEAD first, as validate does
        commits = list(log.commits())
    assert [(commit.subject, commit.grafted) for commit in commits] == [
        ("third", False),
        ("second", True),
    ]


def test_a_damaged_head_is_an_error_asked_together_too(tmp_path: Path) -> None:
    repo = _history(tmp_path / "work")
    (repo.top / ".git" / "HEAD").write_text("ref: refs/heads/ma", encoding="utf-8")
    with open_repo(repo.root) as opened:
        together = _error(head_commit_and_path, opened, "shallow")
        assert together == _error(head_commit, opened)
    assert "cut short" in together


@pytest.mark.parametrize("damage", ["object gone", "made-up sha", "all zeros"])
def test_a_branch_whose_commit_cannot_be_read_is_damage_not_a_branch_yet_unborn(
    tmp_path: Path, damage: str
) -> None:
    # Taken for "no commits yet", such a repository validated clean: AIMS407 could not
    # see the change to a system after its assessment's approval.
    repo = _history(tmp_path / "work")
    git_dir = repo.top / ".git"
    sha = git(repo.root, "rev-parse", "HEAD").strip()
    branch = git(repo.root, "symbolic-ref", "HEAD").strip()
    if damage == "object gone":
        (git_dir / "objects" / sha[:2] / sha[2:]).unlink()
    else:
        sha = "1234567890" * 4 if damage == "made-up sha" else "0" * 40
        (git_dir / branch).write_text(sha + "\n", encoding="utf-8")
    with open_repo(repo.root) as opened:
        message = _error(head_commit, opened)
        assert _error(head_commit_and_path, opened, "shallow") == message
    assert f"names the branch {branch!r}, which points at {sha}, no commit git can" in message
    assert "damaged or incomplete" in message
