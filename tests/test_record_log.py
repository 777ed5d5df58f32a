"""record_log: one record's changes from git, followed across files by id."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from aimsctl.errors import GitError, RecordNotFound
from aimsctl.fielddiff import FieldChange
from aimsctl.record_log import (
    SHALLOW_NOTE,
    SUBMODULE_NOTE,
    UNPINNED_NOTE,
    History,
    record_history,
)
from gitrepo import CONFIG, GitRepo, git, risk, system


def summary(history: History) -> list[tuple[str | None, str, str, str | None, list[str]]]:
    """(subject, change, path, previous path, pointers) per entry, newest first."""
    return [
        (e.subject, e.change, e.path, e.previous_path, [f.pointer for f in e.fields])
        for e in history.entries
    ]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """R-1 added, changed, renamed, joined by R-2 in its file, moved and changed."""
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk("R-1")}
    )
    repo.commit("Add R-1")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=3)})
    repo.commit("Raise the likelihood of R-1", author=("Bo Builder", "bo@example.org"))
    repo.move("risks/R-1.yaml", "register/hiring.yaml")
    repo.commit("Rename the file")
    repo.write({"register/hiring.yaml": risk("R-1", likelihood=3) + "---\n" + risk("R-2")})
    repo.commit("Add R-2 next to R-1")
    repo.write(
        {
            "register/hiring.yaml": risk("R-2"),
            "register/all.yaml": risk("R-9")
            + "---\n"
            + risk("R-1", likelihood=3, status="treating"),
        }
    )
    repo.commit("Move R-1 into the full register and start treating it")
    return repo


def test_history_follows_the_record_across_renames_and_moves(repo: GitRepo) -> None:
    history = record_history(repo.root, "R-1")
    assert (history.id, history.kind, history.path, history.shallow) == (
        "R-1",
        "Risk",
        "register/all.yaml",
        False,
    )
    assert summary(history) == [
        (
            "Move R-1 into the full register and start treating it",
            "changed",
            "register/all.yaml",
            "register/hiring.yaml",
            ["/status"],
        ),
        ("Rename the file", "moved", "register/hiring.yaml", "risks/R-1.yaml", []),
        (
            "Raise the likelihood of R-1",
            "changed",
            "risks/R-1.yaml",
            None,
            ["/inherent/likelihood"],
        ),
        ("Add R-1", "added", "risks/R-1.yaml", None, []),
    ]
    raised = history.entries[2]
    assert raised.fields == (FieldChange("/inherent/likelihood", 2, 3),)
    assert (raised.author, raised.email, raised.date) == (
        "Bo Builder",
        "bo@example.org",
        "2026-03-01T10:02:00+01:00",
    )
    assert raised.commit == repo.git("rev-parse", "HEAD~3").strip()
    assert not raised.uncommitted


def test_uncommitted_changes_come_first(repo: GitRepo) -> None:
    repo.write(
        {
            "register/all.yaml": risk("R-9")
            + "---\n"
            + risk("R-1", likelihood=3, severity=4, status="treating")
        }
    )
    history = record_history(repo.root, "R-1")
    first = history.entries[0]
    assert (first.commit, first.uncommitted, first.author, first.date, first.change) == (
        None,
        True,
        None,
        None,
        "changed",
    )
    assert first.fields == (FieldChange("/inherent/severity", 3, 4),)
    assert len(history.entries) == 5
    # A change to another record in the same file is not a change of R-1.
    repo.write(
        {
            "register/all.yaml": risk("R-9", likelihood=5)
            + "---\n"
            + risk("R-1", likelihood=3, status="treating")
        }
    )
    assert record_history(repo.root, "R-1").entries[0].subject is not None


def test_max_count_keeps_the_newest(repo: GitRepo) -> None:
    history = record_history(repo.root, "R-1", max_count=2)
    assert [e.subject for e in history.entries] == [
        "Move R-1 into the full register and start treating it",
        "Rename the file",
    ]


def test_a_removed_record_still_has_its_history(repo: GitRepo) -> None:
    repo.write({"register/all.yaml": risk("R-9")})
    repo.commit("Retire R-1")
    history = record_history(repo.root, "R-1")
    assert (history.kind, history.path) == ("Risk", None)
    assert summary(history)[0] == ("Retire R-1", "removed", "register/all.yaml", None, [])


def test_excluded_files_are_not_records(repo: GitRepo) -> None:
    repo.write({"aims.yaml": CONFIG + "exclude: [drafts/**]\n"})
    repo.commit("Exclude the drafts")
    repo.write({"drafts/R-1.yaml": risk("R-1", likelihood=5)})
    repo.commit("A draft copy")
    assert len(record_history(repo.root, "R-1", exclude=["drafts/**"]).entries) == 4


def excluded_later(tmp_path: Path) -> GitRepo:
    """R-5 a record in old/ and R-6 a draft, until a commit excludes old/ instead."""
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG + "exclude: [drafts/**]\n",
            "systems/SYS-A.yaml": system("SYS-A"),
            "old/R-5.yaml": risk("R-5"),
            "drafts/R-6.yaml": risk("R-6"),
        }
    )
    repo.commit("Add R-5 and draft R-6")
    repo.write({"old/R-5.yaml": risk("R-5", severity=5), "drafts/R-6.yaml": risk("R-6", 4)})
    repo.commit("Raise R-5, edit the draft")
    repo.write({"aims.yaml": CONFIG + "exclude: [old/**]\n"})
    repo.commit("Exclude old/, take the drafts in")
    return repo


def test_each_commit_judges_its_files_by_its_own_exclude(tmp_path: Path) -> None:
    # A record whose folder is excluded today was a record until then, as diff shows it;
    # a draft excluded then was no record, and becomes one at the commit that says so.
    repo = excluded_later(tmp_path)
    today = ["old/**"]
    assert summary(record_history(repo.root, "R-5", exclude=today)) == [
        ("Exclude old/, take the drafts in", "removed", "old/R-5.yaml", None, []),
        ("Raise R-5, edit the draft", "changed", "old/R-5.yaml", None, ["/inherent/severity"]),
        ("Add R-5 and draft R-6", "added", "old/R-5.yaml", None, []),
    ]
    assert summary(record_history(repo.root, "R-6", exclude=today)) == [
        ("Exclude old/, take the drafts in", "added", "drafts/R-6.yaml", None, []),
    ]


def test_an_uncommitted_exclude_is_judged_against_heads(tmp_path: Path) -> None:
    repo = excluded_later(tmp_path)
    repo.write({"aims.yaml": CONFIG + "exclude: [drafts/**]\n"})
    history = record_history(repo.root, "R-6", exclude=["drafts/**"])
    assert (history.path, summary(history)[0]) == (
        None,
        (None, "removed", "drafts/R-6.yaml", None, []),
    )
    history = record_history(repo.root, "R-5", exclude=["drafts/**"])
    assert (history.path, summary(history)[0]) == (
        "old/R-5.yaml",
        (None, "added", "old/R-5.yaml", None, []),
    )


def test_an_unknown_id_suggests_a_close_one(repo: GitRepo) -> None:
    with pytest.raises(RecordNotFound, match=r"no record with id 'R-01'.*did you mean 'R-1'\?"):
        record_history(repo.root, "R-01")
    with pytest.raises(RecordNotFound):
        record_history(repo.root, "r-1")  # ids are case-sensitive


def test_a_merged_branch_shows_the_change_once_at_its_commit(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1"), "risks/R-2.yaml": risk("R-2")})
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"risks/R-1.yaml": risk("R-1", severity=4)})
    repo.commit("Feature: severity of R-1")
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-2.yaml": risk("R-2", severity=5)})
    repo.commit("Main: severity of R-2")
    repo.merge("feature", "Merge feature")
    assert [e.subject for e in record_history(repo.root, "R-1").entries] == [
        "Feature: severity of R-1",
        "base",
    ]
    assert [e.subject for e in record_history(repo.root, "R-2").entries] == [
        "Main: severity of R-2",
        "base",
    ]


def test_a_merge_that_makes_its_own_change_is_listed(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1")})
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"risks/R-1.yaml": risk("R-1", severity=4)})
    repo.commit("Feature: severity 4")
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-1.yaml": risk("R-1", severity=5)})
    repo.commit("Main: severity 5")
    with pytest.raises(subprocess.CalledProcessError):  # a conflict on R-1
        repo.git("merge", "-q", "feature")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=1, severity=4)})
    repo.commit("Merge feature, resolving R-1")
    history = record_history(repo.root, "R-1")
    # The severity the merge kept is the feature's change, listed at its commit.
    assert summary(history)[:3] == [
        (
            "Merge feature, resolving R-1",
            "changed",
            "risks/R-1.yaml",
            None,
            ["/inherent/likelihood"],
        ),
        ("Main: severity 5", "changed", "risks/R-1.yaml", None, ["/inherent/severity"]),
        ("Feature: severity 4", "changed", "risks/R-1.yaml", None, ["/inherent/severity"]),
    ]


def test_a_governance_root_in_a_subfolder(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work", governance="gov")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1")})
    repo.commit("base")
    (repo.top / "other").mkdir()
    (repo.top / "other" / "R-1.yaml").write_text(risk("R-1", likelihood=5), encoding="utf-8")
    repo.commit("A copy outside the governance root")
    repo.move("risks/R-1.yaml", "R-1.yaml")
    repo.commit("Flatten")
    assert summary(record_history(repo.root, "R-1")) == [
        ("Flatten", "moved", "R-1.yaml", "risks/R-1.yaml", []),
        ("base", "added", "risks/R-1.yaml", None, []),
    ]


def test_before_the_first_commit_everything_is_uncommitted(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1")})
    history = record_history(repo.root, "R-1")
    assert [(e.uncommitted, e.change, e.path) for e in history.entries] == [
        (True, "added", "risks/R-1.yaml")
    ]


def test_a_shallow_clone_says_where_the_history_stops(repo: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.top}", str(clone))
    history = record_history(clone, "R-1")
    assert history.shallow
    assert [(e.subject, e.change, e.note) for e in history.entries] == [
        ("Move R-1 into the full register and start treating it", "changed", None),
        ("Add R-2 next to R-1", "added", SHALLOW_NOTE),
    ]


def _team_in_a_submodule(tmp_path: Path, governance: str = "", exclude: str = "") -> GitRepo:
    """R-9 lives in the team's repository, checked out as the submodule `team`:
    pulled in, then rescored there and taken by a later superproject commit (after
    one that takes a change to the team's readme only). ``exclude``: the aims.yaml
    line the commit taking the readme adds too."""
    team = GitRepo(tmp_path / "team")
    team.write({"risks/R-9.yaml": risk("R-9"), "README.md": "The team's risks.\n"})
    team.commit("The team's risks")
    repo = GitRepo(tmp_path / "work", governance)
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.add_submodule("team", team)
    repo.commit("Pull in the team's records")
    team.write({"README.md": "Only the readme changes.\n"})
    team.commit("Reword the readme")
    git(repo.root / "team", "pull", "-q", "origin", "main")
    repo.write({"aims.yaml": CONFIG + exclude})
    repo.commit("Take the team's new readme")
    team.write({"risks/R-9.yaml": risk("R-9", likelihood=5)})
    team.commit("Rescore R-9")
    git(repo.root / "team", "pull", "-q", "origin", "main")
    repo.commit("Take the team's rescored risk")
    return repo


@pytest.mark.parametrize("governance", ["", "gov"])
def test_a_record_in_a_submodule_changes_where_the_superproject_moves_it(
    tmp_path: Path, governance: str
) -> None:
    """A commit that moves the submodule's gitlink changes the records whose files
    differ between the two commits it pins, dated by the superproject's commit: git
    log matched YAML files only, so R-9 had no change at all."""
    repo = _team_in_a_submodule(tmp_path, governance)
    history = record_history(repo.root, "R-9")
    assert summary(history) == [
        (
            "Take the team's rescored risk",
            "changed",
            "team/risks/R-9.yaml",
            None,
            ["/inherent/likelihood"],
        ),
        ("Pull in the team's records", "added", "team/risks/R-9.yaml", None, []),
    ]
    assert [e.date for e in history.entries] == [
        "2026-03-01T10:03:00+01:00",
        "2026-03-01T10:01:00+01:00",
    ]


def test_a_record_in_a_moved_submodule_keeps_its_history(tmp_path: Path) -> None:
    """`git mv` of a submodule changes the path .gitmodules gives it: the history at
    the old path is the record's too, so the move is a move, not an addition."""
    repo = _team_in_a_submodule(tmp_path)
    repo.move("team", "others/team")
    repo.commit("Move the team's records")
    assert summary(record_history(repo.root, "R-9")) == [
        (
            "Move the team's records",
            "moved",
            "others/team/risks/R-9.yaml",
            "team/risks/R-9.yaml",
            [],
        ),
        (
            "Take the team's rescored risk",
            "changed",
            "team/risks/R-9.yaml",
            None,
            ["/inherent/likelihood"],
        ),
        ("Pull in the team's records", "added", "team/risks/R-9.yaml", None, []),
    ]


def _shallow_submodule_clone(repo: GitRepo, tmp_path: Path) -> Path:
    """A clone of ``repo`` whose submodule `team` is fetched at its pinned commit only."""
    return repo.clone_with_submodule(tmp_path / "clone", tmp_path / "team")


def test_a_shallow_submodule_says_where_its_history_stops(tmp_path: Path) -> None:
    """CI fetches a submodule at the pinned commit only: the commits pinned before
    are not in its repository, so what the newest move holds may be older, as in a
    shallow clone; the older moves cannot be read at all."""
    clone = _shallow_submodule_clone(_team_in_a_submodule(tmp_path), tmp_path)
    history = record_history(clone, "R-9")
    assert [(e.subject, e.change, e.note) for e in history.entries] == [
        ("Take the team's rescored risk", "added", SUBMODULE_NOTE),
    ]


def test_a_shallow_submodule_is_a_gap_where_aims_yaml_changes_what_it_excludes(
    tmp_path: Path,
) -> None:
    """A commit whose aims.yaml excludes other files than its parent's has every file
    of both sides read: the submodule's files at a commit its repository lacks were
    read strictly, so `aimsctl log` exited 2 for any record, one of the superproject
    too, where the commits that change no exclude take the missing commit as a gap."""
    repo = _team_in_a_submodule(tmp_path, exclude="exclude: ['drafts/**']\n")
    clone = _shallow_submodule_clone(repo, tmp_path)
    history = record_history(clone, "R-9")
    assert [(e.subject, e.change, e.note) for e in history.entries] == [
        ("Take the team's rescored risk", "added", SUBMODULE_NOTE),
    ]
    assert summary(record_history(clone, "SYS-A")) == [
        ("Pull in the team's records", "added", "systems/SYS-A.yaml", None, []),
    ]


def test_a_submodule_not_updated_is_no_removal_where_aims_yaml_changes_what_it_excludes(
    tmp_path: Path,
) -> None:
    """The newest commit pins a commit the clone's submodule lacks (it was not
    updated after a pull) and changes aims.yaml's exclude: R-9 cannot be told there,
    as where no exclude changes, not removed (nor exit 2, as it was); nor is it added
    in the working tree when the working tree's aims.yaml excludes other files."""
    repo = _team_in_a_submodule(tmp_path)
    git(repo.root / "team", "commit", "-q", "--allow-empty", "-m", "Only here")
    repo.write({"aims.yaml": CONFIG + "exclude: ['drafts/**']\n"})
    repo.commit("Pin a commit only this checkout holds")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.top), str(clone))
    git(clone, "checkout", "-q", "HEAD~1")
    git(clone, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    git(clone, "checkout", "-q", "main")  # the submodule stays at the commit before
    for exclude in (["drafts/**"], ["other/**"]):
        history = record_history(clone, "R-9", exclude)
        assert [(e.subject, e.change) for e in history.entries] == [
            ("Pin a commit only this checkout holds", "unknown"),
            ("Take the team's rescored risk", "changed"),
            ("Pull in the team's records", "added"),
        ]


def test_a_submodule_not_updated_is_a_gap_at_the_commit_it_lacks(tmp_path: Path) -> None:
    """The newest commit moves the submodule to a commit the clone's submodule lacks
    (not updated after a pull): R-9 looked unchanged there, with no note; the commit is
    now listed as one where its change cannot be told, saying why."""
    repo = _team_in_a_submodule(tmp_path)
    git(repo.root / "team", "commit", "-q", "--allow-empty", "-m", "Only here")
    repo.commit("Pin a commit only this checkout holds")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.top), str(clone))
    git(clone, "checkout", "-q", "HEAD~1")
    git(clone, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    git(clone, "checkout", "-q", "main")  # the submodule stays at the commit before
    history = record_history(clone, "R-9")
    assert [(e.subject, e.change, e.path, e.note) for e in history.entries] == [
        ("Pin a commit only this checkout holds", "unknown", "team/risks/R-9.yaml", UNPINNED_NOTE),
        ("Take the team's rescored risk", "changed", "team/risks/R-9.yaml", None),
        ("Pull in the team's records", "added", "team/risks/R-9.yaml", None),
    ]
    assert [e.change for e in record_history(clone, "R-9", max_count=1).entries] == ["unknown"]
    assert summary(record_history(clone, "SYS-A")) == [  # the superproject's own: no gap
        ("Pull in the team's records", "added", "systems/SYS-A.yaml", None, []),
    ]


def test_outside_git_is_a_git_error(tmp_path: Path) -> None:
    from gitrepo import plain_governance_folder

    plain = plain_governance_folder(tmp_path)
    with pytest.raises(GitError, match="is not inside a git repository"):
        record_history(plain, "R-1")


def test_a_yaml_error_is_not_a_removal(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1")})
    repo.commit("base")
    repo.write({"risks/R-1.yaml": risk("R-1").replace("status: open", "status: [open")})
    repo.commit("Break the file")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=4)})
    repo.commit("Fix the file")
    repo.write({"risks/R-1.yaml": "kind: Risk\nid: R-1\ntitle: {oops\n"})
    history = record_history(repo.root, "R-1")
    assert history.kind == "Risk" and history.path == "risks/R-1.yaml"
    assert [(e.subject, e.change, e.fields) for e in history.entries] == [
        (None, "unreadable", ()),
        ("Fix the file", "repaired", ()),
        ("Break the file", "unreadable", ()),
        ("base", "added", ()),
    ]
    assert history.entries[1].note == (
        "its file could not be parsed before this commit; now it can be again"
    )


def test_a_broken_file_that_only_refers_to_the_record_is_not_its_history(
    tmp_path: Path,
) -> None:
    # R-1 names SYS-A in its systems; breaking and fixing R-1's file is no event of
    # SYS-A's (it was shown as "unreadable", then "removed").
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk("R-1")}
    )
    repo.commit("base")
    assert "SYS-A" in (repo.root / "risks/R-1.yaml").read_text()
    repo.write({"risks/R-1.yaml": risk("R-1") + "broken: [unclosed\n"})
    repo.commit("Break R-1")
    repo.write({"risks/R-1.yaml": risk("R-1")})
    history = record_history(repo.root, "SYS-A")
    assert [(e.subject, e.change, e.path) for e in history.entries] == [
        ("base", "added", "systems/SYS-A.yaml")
    ]


def test_a_log_encoding_set_in_git_config_does_not_garble_names_and_subjects(
    tmp_path: Path,
) -> None:
    """`i18n.logOutputEncoding = latin1` in the user's git config made git print Latin-1,
    which aimsctl reads as UTF-8: "résidual" came out with U+FFFD in `log --format
    json` (environment audit)."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1")})
    repo.commit("R-1: résidual risk raised (équipe)", author=("Zoë Ünal", "z@example.org"))
    repo.git("config", "i18n.logOutputEncoding", "latin1")
    printed = subprocess.run(
        ["git", "-C", str(repo.top), "log", "-1", "--format=%s"], capture_output=True, check=True
    ).stdout
    assert printed == "R-1: résidual risk raised (équipe)\n".encode("latin-1")
    history = record_history(repo.root, "R-1")
    assert [(e.subject, e.author) for e in history.entries] == [
        ("R-1: résidual risk raised (équipe)", "Zoë Ünal")
    ]
