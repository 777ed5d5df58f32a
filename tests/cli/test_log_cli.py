"""`aimsctl log` end to end: a record's history across a rename, text and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl.errors import PARTIAL_CLONE
from conftest import CliResult
from gitrepo import CONFIG, GitRepo, missing_objects, plain_governance_folder, risk, system

Cli = Callable[..., CliResult]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-7.yaml": risk("R-7")}
    )
    repo.commit("Add R-7")
    repo.move("risks/R-7.yaml", "risks/hiring/ranking-bias.yaml")
    repo.commit("Group the hiring risks")
    repo.write({"risks/hiring/ranking-bias.yaml": risk("R-7", likelihood=4, severity=5)})
    repo.commit(
        "Reassess R-7 after the audit\n\nThe audit found more cases.",
        author=("Bo Builder", "bo@example.org"),
    )
    return repo


def test_text_history_across_a_rename(repo: GitRepo, cli: Cli) -> None:
    repo.write(
        {"risks/hiring/ranking-bias.yaml": risk("R-7", likelihood=4, severity=5, status="treating")}
    )
    result = cli("log", "R-7", repo.root)
    assert result.exit_code == 0, result.stderr
    shas = repo.git("log", "--format=%h", "--abbrev=12").split()
    assert result.stdout == (
        "Risk R-7 (risks/hiring/ranking-bias.yaml): 4 changes\n"
        "\n"
        "uncommitted  working tree  changed in risks/hiring/ranking-bias.yaml\n"
        '    status: "open" -> "treating"\n'
        "\n"
        f"{shas[0]}  2026-03-01T10:03:00+01:00  Bo Builder <bo@example.org>  "
        "changed in risks/hiring/ranking-bias.yaml\n"
        "    Reassess R-7 after the audit\n"
        "    inherent.likelihood: 2 -> 4\n"
        "    inherent.severity: 3 -> 5\n"
        "\n"
        f"{shas[1]}  2026-03-01T10:02:00+01:00  Ann Author <ann@example.org>  "
        "moved from risks/R-7.yaml to risks/hiring/ranking-bias.yaml\n"
        "    Group the hiring risks\n"
        "\n"
        f"{shas[2]}  2026-03-01T10:01:00+01:00  Ann Author <ann@example.org>  "
        "added in risks/R-7.yaml\n"
        "    Add R-7\n"
    )


def test_a_record_in_a_file_git_ignores_is_uncommitted_as_validate_and_diff_read_it(
    repo: GitRepo, cli: Cli
) -> None:
    """A record in a file git ignores (.git/info/exclude) is read by validate and is
    added by `diff HEAD`, but log said '0 changes' with no uncommitted entry: it asked
    git for the changed files, and git leaves ignored ones out. So was a record moved
    into such a file (its old file edited to drop it)."""
    info = repo.root / ".git" / "info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "exclude").write_text("risks/drafts/\n", encoding="utf-8")
    repo.write({"risks/drafts/R-9.yaml": risk("R-9")})
    assert "risks/drafts" not in repo.git("status", "--porcelain")
    assert "Risk R-9  risks/drafts/R-9.yaml" in cli("diff", "HEAD", repo.root).stdout
    result = cli("log", "R-9", repo.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Risk R-9 (risks/drafts/R-9.yaml): 1 change\n"
        "\n"
        "uncommitted  working tree  added in risks/drafts/R-9.yaml\n"
    )
    (repo.root / "risks" / "hiring" / "ranking-bias.yaml").unlink()
    repo.write({"risks/drafts/R-7.yaml": risk("R-7", likelihood=4, severity=5)})
    result = cli("log", "R-7", repo.root, "--max-count", "1")
    assert result.stdout.splitlines()[2] == (
        "uncommitted  working tree  moved from risks/hiring/ranking-bias.yaml to "
        "risks/drafts/R-7.yaml"
    )


def test_json_history(repo: GitRepo, cli: Cli) -> None:
    result = cli("log", "R-7", "--repo", repo.root, "--format", "json", "--max-count", "2")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    head = repo.head()
    assert report == {
        "version": 1,
        "id": "R-7",
        "kind": "Risk",
        "path": "risks/hiring/ranking-bias.yaml",
        "shallow": False,
        "lfs_unfetched": False,
        "capped": True,  # R-7 has three changes: the list stopped at two
        "entries": [
            {
                "commit": head,
                "uncommitted": False,
                "author": "Bo Builder",
                "email": "bo@example.org",
                "date": "2026-03-01T10:03:00+01:00",
                "subject": "Reassess R-7 after the audit",
                "change": "changed",
                "kind": "Risk",
                "path": "risks/hiring/ranking-bias.yaml",
                "previous_path": None,
                "fields": [
                    {"pointer": "/inherent/likelihood", "before": 2, "after": 4},
                    {"pointer": "/inherent/severity", "before": 3, "after": 5},
                ],
                "note": None,
            },
            {
                "commit": repo.git("rev-parse", "HEAD~1").strip(),
                "uncommitted": False,
                "author": "Ann Author",
                "email": "ann@example.org",
                "date": "2026-03-01T10:02:00+01:00",
                "subject": "Group the hiring risks",
                "change": "moved",
                "kind": "Risk",
                "path": "risks/hiring/ranking-bias.yaml",
                "previous_path": "risks/R-7.yaml",
                "fields": [],
                "note": None,
            },
        ],
    }


def test_an_unknown_id_is_exit_2(repo: GitRepo, cli: Cli) -> None:
    result = cli("log", "R-77", repo.root)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: no record with id 'R-77' in {repo.root.resolve()} or in its git "
        "history (ids are case-sensitive); did you mean 'R-7'?\n"
    )


def test_an_unknown_id_is_exit_2_whatever_ids_the_files_hold(repo: GitRepo, cli: Cli) -> None:
    # An id of 5,000 digits is more than int() converts when "did you mean" sorts ids.
    repo.write({"risks/long.yaml": f'kind: Risk\nid: "R-{"9" * 5000}"\n'})
    result = cli("log", "R-77", repo.root)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("aimsctl: error: no record with id 'R-77'")


def test_an_id_in_a_comment_of_a_broken_file_is_no_change_of_the_record(
    repo: GitRepo, cli: Cli
) -> None:
    # The draft cannot be parsed; an `id: R-7` in its comments is no record R-7 (it was
    # listed as R-7 "unreadable in risks/draft.yaml"), nor a record R-GHOST.
    repo.write({"risks/draft.yaml": "kind: Nonconformity\n# raised from id: R-7\ntitle: [\n"})
    repo.write({"risks/ghost.yaml": "kind: Risk\n  # id: R-GHOST  \nnotes: {\n"})
    repo.commit("Draft a nonconformity")
    result = cli("log", "R-7", repo.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    changes = [(e["change"], e["path"]) for e in json.loads(result.stdout)["entries"]]
    assert changes == [
        ("changed", "risks/hiring/ranking-bias.yaml"),
        ("moved", "risks/hiring/ranking-bias.yaml"),
        ("added", "risks/R-7.yaml"),
    ]
    ghost = cli("log", "R-GHOST", repo.root)
    assert ghost.exit_code == 2 and "no record with id 'R-GHOST'" in ghost.stderr


def test_a_file_made_binary_is_unreadable_not_a_removal(repo: GitRepo, cli: Cli) -> None:
    path = repo.root / "risks/hiring/ranking-bias.yaml"
    path.write_bytes(path.read_bytes() + b"\x00")
    repo.commit("Save R-7 with a NUL byte")
    result = cli("log", "R-7", repo.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Risk R-7 (risks/hiring/ranking-bias.yaml): 4 changes\n")
    assert "unreadable in risks/hiring/ranking-bias.yaml\n    Save R-7" in result.stdout
    assert "(a YAML error, or not UTF-8 text)" in result.stdout
    assert "removed" not in result.stdout


def test_a_list_cut_by_max_count_says_so(repo: GitRepo, cli: Cli) -> None:
    """`--max-count 1` printed "R-7 (...): 1 change" for a record changed three times,
    read as its whole history. The first line now says the list was cut; a limit above
    the count, or equal to it, says nothing more."""
    cut = cli("log", "R-7", repo.root, "--max-count", "1").stdout.splitlines()[0]
    assert cut == (
        "Risk R-7 (risks/hiring/ranking-bias.yaml): the latest 1 change (--max-count); "
        "older ones are not shown"
    )
    # A limit the history just reaches cuts nothing (the review found it said so).
    exact = cli("log", "R-7", repo.root, "-n", "3", "--format", "json").stdout
    assert json.loads(exact)["capped"] is False
    whole = cli("log", "R-7", repo.root, "--max-count", "9").stdout.splitlines()[0]
    assert whole == "Risk R-7 (risks/hiring/ranking-bias.yaml): 3 changes"
    found = json.loads(cli("log", "R-7", repo.root, "-n", "9", "--format", "json").stdout)
    assert found["capped"] is False


def test_bad_options_are_exit_2(repo: GitRepo, cli: Cli) -> None:
    # Each refusal names its option: exit 2 alone is also what an unknown id gives.
    fmt = cli("log", "R-7", repo.root, "--format", "md")
    assert (fmt.exit_code, fmt.stdout) == (2, "")
    assert fmt.stderr == "aimsctl: error: --format 'md' is not one of text, json\n"
    most = cli("log", "R-7", repo.root, "--max-count", "0")
    assert (most.exit_code, most.stdout) == (2, "")
    assert most.stderr == "aimsctl: error: --max-count must be 1 or more, not 0\n"


def test_outside_git_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    plain = plain_governance_folder(tmp_path)
    result = cli("log", "R-1", plain)
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


NONCONFORMITY = """\
kind: Nonconformity
id: NC-1
title: Risk reviews late
raised: 2026-02-13
source: internal-audit
reference: "8.2"
owner: cro@example.org
"""


def test_a_nonconformity_reads_as_what_happened_to_it(tmp_path: Path, cli: Cli) -> None:
    """Events of the management system in words, and an object or list item added
    shown value by value rather than as one cut-off line."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "nc/NC-1.yaml": NONCONFORMITY + "status: open\n"})
    repo.commit("Raise NC-1")
    planned = (
        NONCONFORMITY
        + "root_cause: Review dates lived in one spreadsheet.\n"
        + "actions:\n  - {description: Validate every change, owner: cro@example.org, "
        + "due: 2026-03-31}\n"
    )
    repo.write({"nc/NC-1.yaml": planned + "status: action-planned\n"})
    repo.commit("Plan the corrective action")
    repo.write(
        {
            "nc/NC-1.yaml": planned
            + "effectiveness: {on: 2026-02-27, by: audit@example.org, effective: true}\n"
            + "status: closed\n"
        }
    )
    repo.commit("Close NC-1", author=("Bo Builder", "bo@example.org"))
    result = cli("log", "NC-1", repo.root)
    assert result.exit_code == 0, result.stderr
    shas = repo.git("log", "--format=%h", "--abbrev=12").split()
    assert result.stdout == (
        "Nonconformity NC-1 (nc/NC-1.yaml): 3 changes\n"
        "\n"
        f"{shas[0]}  2026-03-01T10:03:00+01:00  Bo Builder <bo@example.org>  "
        "changed in nc/NC-1.yaml\n"
        "    Close NC-1\n"
        "    event: nonconformity NC-1 closed (effectiveness reviewed on 2026-02-27: effective)\n"
        '    status: "action-planned" -> "closed"\n'
        '    effectiveness.on: (none) -> "2026-02-27"\n'
        '    effectiveness.by: (none) -> "audit@example.org"\n'
        "    effectiveness.effective: (none) -> true\n"
        "\n"
        f"{shas[1]}  2026-03-01T10:02:00+01:00  Ann Author <ann@example.org>  "
        "changed in nc/NC-1.yaml\n"
        "    Plan the corrective action\n"
        '    status: "open" -> "action-planned"\n'
        '    root_cause: (none) -> "Review dates lived in one spreadsheet."\n'
        '    description of entry 1 of actions: (none) -> "Validate every change"\n'
        '    owner of entry 1 of actions: (none) -> "cro@example.org"\n'
        '    due of entry 1 of actions: (none) -> "2026-03-31"\n'
        "\n"
        f"{shas[2]}  2026-03-01T10:01:00+01:00  Ann Author <ann@example.org>  "
        "added in nc/NC-1.yaml\n"
        "    Raise NC-1\n"
        "    event: nonconformity NC-1 raised (from internal-audit, requirement 8.2)\n"
    )
    # The JSON keeps its documented shape: the fields as they are, no extra key.
    entries = json.loads(cli("log", "NC-1", repo.root, "--format", "json").stdout)["entries"]
    assert "events" not in entries[0]
    assert [f["pointer"] for f in entries[0]["fields"]] == ["/status", "/effectiveness"]


def test_fields_are_named_in_words_and_the_json_keeps_pointers(tmp_path: Path, cli: Cli) -> None:
    """Text showed JSON pointers (`/systems/0`); it names a field as validate does,
    and a field name with a dot or a slash in quotes, so it reads as no other path."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.write({"systems/SYS-B.yaml": system("SYS-B"), "risks/R-1.yaml": risk("R-1")})
    repo.commit("Add R-1")
    moved = risk("R-1", system="SYS-B", likelihood=4)
    repo.write({"risks/R-1.yaml": moved + '"inherent.likelihood": 5\n"a/b": {"~": 1}\n'})
    result = cli("log", "R-1", repo.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[3:7] == [
        '    entry 1 of systems: "SYS-A" -> "SYS-B"',
        "    inherent.likelihood: 2 -> 4",
        '    "inherent.likelihood": (none) -> 5',
        '    "a/b"."~": (none) -> 1',
    ]
    entries = json.loads(cli("log", "R-1", repo.root, "--format", "json").stdout)["entries"]
    assert [f["pointer"] for f in entries[0]["fields"]] == [
        "/systems/0",
        "/inherent/likelihood",
        "/inherent.likelihood",
        "/a~1b",
    ]


def test_a_clean_merge_lists_each_change_once_at_its_commit(tmp_path: Path, cli: Cli) -> None:
    """Both branches change R-1 and git merges them cleanly: the merge itself
    changes nothing, so it is not listed again with the feature's change."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1")})
    repo.commit("Add R-1")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"risks/R-1.yaml": risk("R-1", status="treating")})
    repo.commit("Start treating R-1", author=("Bo Builder", "bo@example.org"))
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-1.yaml": risk("R-1").replace("title: Risk R-1", "title: Ranking bias")})
    repo.commit("Name R-1")
    repo.merge("feature", "Merge feature")
    assert "status: treating" in repo.git("show", "HEAD:risks/R-1.yaml")
    result = cli("log", "R-1", repo.root)
    assert result.exit_code == 0, result.stderr
    sha = {
        s: repo.git("rev-parse", "--short=12", f":/{s}").strip() for s in ("Add", "Start", "Name")
    }
    assert result.stdout == (
        "Risk R-1 (risks/R-1.yaml): 3 changes\n"
        "\n"
        f"{sha['Name']}  2026-03-01T10:03:00+01:00  Ann Author <ann@example.org>  "
        "changed in risks/R-1.yaml\n"
        "    Name R-1\n"
        '    title: "Risk R-1" -> "Ranking bias"\n'
        "\n"
        f"{sha['Start']}  2026-03-01T10:02:00+01:00  Bo Builder <bo@example.org>  "
        "changed in risks/R-1.yaml\n"
        "    Start treating R-1\n"
        '    status: "open" -> "treating"\n'
        "\n"
        f"{sha['Add']}  2026-03-01T10:01:00+01:00  Ann Author <ann@example.org>  "
        "added in risks/R-1.yaml\n"
        "    Add R-1\n"
    )


def test_a_change_a_merge_discarded_is_not_the_records_history(tmp_path: Path, cli: Cli) -> None:
    """A branch's change to a record that the merge did not keep (`-s ours`, or a
    merge resolved with this branch's version of one file) is not listed; a change
    the same merge kept, to another record, is."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "risks/R-1.yaml": risk("R-1"), "risks/R-2.yaml": risk("R-2")})
    repo.commit("Add R-1 and R-2")
    repo.git("checkout", "-q", "-b", "rejected")
    repo.write({"risks/R-1.yaml": risk("R-1", severity=5)})
    repo.commit("Rejected: severity 5 for R-1")
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-2.yaml": risk("R-2", status="treating")})
    repo.commit("Start treating R-2")
    repo.merge("rejected", "Merge rejected, keeping ours", "-s", "ours")
    repo.git("checkout", "-q", "-b", "partly", "HEAD~1")
    repo.write(
        {
            "risks/R-1.yaml": risk("R-1", likelihood=4),
            "risks/R-2.yaml": risk("R-2", severity=4, status="treating"),
        }
    )
    repo.commit("Partly: likelihood of R-1, severity of R-2")
    repo.git("checkout", "-q", "main")
    repo.merge("partly", "Merge partly, keeping our R-1", "--no-commit")
    repo.git("checkout", "HEAD", "--", "risks/R-1.yaml")
    repo.commit("Merge partly, keeping our R-1")
    assert repo.git("diff", "HEAD~1", "HEAD", "--name-only") == "risks/R-2.yaml\n"

    r1 = json.loads(cli("log", "R-1", repo.root, "--format", "json").stdout)
    assert [(e["subject"], e["change"]) for e in r1["entries"]] == [("Add R-1 and R-2", "added")]
    r2 = json.loads(cli("log", "R-2", repo.root, "--format", "json").stdout)
    assert [(e["subject"], [f["pointer"] for f in e["fields"]]) for e in r2["entries"]] == [
        ("Partly: likelihood of R-1, severity of R-2", ["/inherent/severity"]),
        ("Start treating R-2", ["/status"]),
        ("Add R-1 and R-2", []),
    ]


def test_a_partial_clone_is_said_plainly_and_nothing_is_fetched(
    repo: GitRepo, tmp_path: Path, cli: Cli
) -> None:
    """A blobless clone lacks R-7's past versions: one line saying the clone is
    partial and how to get a full one, exit 2; git fetches nothing from the remote
    (which it could: the source allows filters and is on this machine)."""
    clone = repo.partial_clone(tmp_path / "partial")
    missing = missing_objects(clone)
    assert missing  # the first two versions of R-7
    result = cli("log", "R-7", clone)
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: a git object is not in the git repository at {clone.resolve()}: "
        f"{PARTIAL_CLONE}\n"
    )
    assert missing_objects(clone) == missing


def test_a_record_stored_with_git_lfs_has_the_history_of_its_content(
    tmp_path: Path, cli: Cli
) -> None:
    """R-7's file is tracked by Git LFS, so every commit holds a pointer: log read the
    pointers, found R-7 in none and said "0 changes". Each version is read as the
    content the LFS store holds; a version not fetched cannot be, which a note says."""
    from gitrepo import lfs_pointer, lfs_store

    repo = GitRepo(tmp_path / "work")
    first, later = risk("R-7").encode(), risk("R-7", likelihood=4).encode()
    repo.write(
        {
            "aims.yaml": CONFIG,
            ".gitattributes": "risks/*.yaml filter=lfs diff=lfs merge=lfs -text\n",
            "risks/R-7.yaml": lfs_pointer(first),
        }
    )
    repo.commit("Add R-7")
    repo.write({"risks/R-7.yaml": lfs_pointer(later)})
    repo.commit("Reassess R-7")
    (repo.root / "risks" / "R-7.yaml").write_bytes(later)  # `git lfs pull`: checked out
    lfs_store(repo.top, later)  # and the version checked out fetched

    def log() -> tuple[dict[str, object], str]:
        shown = cli("log", "R-7", repo.root, "--format", "json")
        assert shown.exit_code == 0, shown.stderr
        text = cli("log", "R-7", repo.root).stdout
        return json.loads(shown.stdout), text.splitlines()[-1]

    found, last = log()
    assert found["lfs_unfetched"] is True
    # Which record the first version held cannot be told: not "added" at the second.
    assert [(e["subject"], e["change"]) for e in found["entries"]] == [  # type: ignore[attr-defined]
        ("Reassess R-7", "repaired"),
    ]
    assert "stored with Git LFS before this commit" in found["entries"][0]["note"]  # type: ignore[index]
    assert last == (
        "note: record files are stored with Git LFS and the content of some past versions "
        "was not fetched, so changes in them are not shown (git lfs fetch --all)"
    )
    lfs_store(repo.top, first)  # `git lfs fetch --all`
    found, last = log()
    assert found["lfs_unfetched"] is False
    assert [(e["subject"], e["change"]) for e in found["entries"]] == [  # type: ignore[attr-defined]
        ("Reassess R-7", "changed"),
        ("Add R-7", "added"),
    ]
    assert last == "    Add R-7"  # no note


def test_a_record_whose_lfs_content_was_not_fetched_is_unreadable_not_removed(
    tmp_path: Path, cli: Cli
) -> None:
    """R-7 moves into Git LFS and that content is not in the store (a CI checkout
    without `git lfs fetch --all`): log said "removed" and gave no path. The file is
    there and cannot be read; so does diff, whose open-risk-removed gate tripped."""
    from gitrepo import lfs_pointer

    repo = GitRepo(tmp_path / "work")
    content = risk("R-7").encode()
    repo.write({"aims.yaml": CONFIG, "risks/R-7.yaml": content.decode()})
    repo.commit("Add R-7")
    repo.write(
        {
            ".gitattributes": "risks/*.yaml filter=lfs diff=lfs merge=lfs -text\n",
            "risks/R-7.yaml": lfs_pointer(content),
        }
    )
    repo.commit("Move R-7 to Git LFS")
    found = json.loads(cli("log", "R-7", repo.root, "--format", "json").stdout)
    assert found["path"] == "risks/R-7.yaml"
    assert [(e["subject"], e["change"]) for e in found["entries"]] == [
        ("Move R-7 to Git LFS", "unreadable"),
        ("Add R-7", "added"),
    ]
    assert "`git lfs fetch --all`" in found["entries"][0]["note"]
    shown = cli("diff", "HEAD~1", "HEAD", repo.root, "--format", "json")
    changes = json.loads(shown.stdout)
    assert changes["removed"] == [] and changes["removed_open_risks"] == []
    assert [(r["id"], r["base"], r["head"]) for r in changes["invalid"]] == [
        ("R-7", "valid", "unreadable")
    ]
    [note] = changes["notes"]
    assert note.startswith("risks/R-7.yaml cannot be read in full at HEAD (the file is a Git LFS")
    assert "`git lfs fetch --all`" in note
