"""The validation cache: same diagnostics with and without it, and never stale.

Security (who may write the cache, planted and damaged entries) and random edit
sequences are tested in tests/hostile/test_cache_hostile.py.
"""

from __future__ import annotations

import ast
import gc
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import aimsctl.cache.key
import aimsctl.cache.storage
import aimsctl.engine
import aimsctl.repository
import aimsctl.validation
from aimsctl.cache import ResultCache, cache_dir, decode, evict, fingerprint
from aimsctl.cache.entries import _DIAGNOSTIC
from aimsctl.diagnostics import Diagnostic, ValidationResult
from aimsctl.repository import Repository
from aimsctl.validation import check
from conftest import AS_OF, EXAMPLE, EXCLUDED_SOA, MINIMAL_CONFIG, PROJECT, CliResult
from factory import control

Cli = Callable[..., CliResult]
DAY = date.fromisoformat(AS_OF)


def _json(cli: Cli, root: Path, *extra: str) -> dict[str, object]:
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, *extra)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _seed_defects(root: Path) -> None:
    risk = next((root / "risks").glob("*.yaml"))
    risk.write_text(risk.read_text().replace("status:", "stauts:", 1))
    (root / "controls" / "broken.yaml").write_text("kind: Control\nid: A.2.2\napplicable: maybe\n")
    shutil.rmtree(root / "evidence")


@pytest.mark.parametrize("defects", [False, True], ids=["example", "seeded-defects"])
def test_cached_result_is_identical(example_copy: Path, cli: Cli, defects: bool) -> None:
    if defects:
        _seed_defects(example_copy)
    cold = _json(cli, example_copy, "--no-cache")
    first = _json(cli, example_copy)
    second = _json(cli, example_copy)
    assert cold == first == second
    if defects:
        assert cold["summary"]["errors"] > 0  # type: ignore[index]


def test_unchanged_repository_is_not_checked_again(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _json(cli, example_copy)

    def fail(*_: object) -> None:
        raise AssertionError("the rules ran although nothing changed")

    monkeypatch.setattr(aimsctl.engine, "run", fail)
    _json(cli, example_copy)


def test_an_answer_worked_out_while_a_commit_was_made_is_not_cached(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit made during a run changed the history the run read (a record's
    creation date), not the tree's shape: the answer was kept under the key of the
    HEAD before it, and served again once HEAD was reset to it."""
    import aimsctl.validation
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, work.root, dirs_exist_ok=True)
    work.commit("records")
    real = aimsctl.validation._checked
    runs: list[int] = []

    def committing(*args: Any, **kwargs: Any) -> Any:
        answer = real(*args, **kwargs)
        runs.append(1)
        if len(runs) == 1:  # the first run: a commit lands before it ends
            work.git("commit", "--allow-empty", "-qm", "during the run")
        return answer

    monkeypatch.setattr(aimsctl.validation, "_checked", committing)
    _json(cli, work.root)
    work.git("reset", "-q", "--soft", "HEAD~1")
    _json(cli, work.root)
    assert len(runs) == 2  # not answered from what the first run kept
    _json(cli, work.root)
    assert len(runs) == 2  # kept by the second, which nothing disturbed


@pytest.mark.parametrize("mode", ["cached", "no-cache", "staged"])
def test_the_records_are_kept_from_collections_once_loaded(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """The loaded records stay alive until the answer is out: a collection walking
    them frees nothing. They were built with the collector off, and the first
    collection after the load walked every one of them (10,000 records: 45-50 ms);
    after an edit the cache then probed the cited paths, sorting every record, where
    a full collection took 0.15 s. The collector is now off while they are read and
    built (git's index too, for --staged), and they are frozen (gc.freeze) before
    anything else runs: the probes and the rules. The answer is the cold one."""
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "work")
    shutil.copytree(EXAMPLE, work.root, dirs_exist_ok=True)
    work.commit("records")
    extra = {"cached": (), "no-cache": ("--no-cache",), "staged": ("--staged",)}[mode]
    _json(cli, work.root, *extra)
    _edit_one_title(work.root)
    work.git("add", "-A")
    seen: dict[str, tuple[bool, int]] = {}
    load, probes, run = (
        aimsctl.repository.load_repository,
        aimsctl.validation.probes,
        aimsctl.engine.run,
    )

    def loading(*args: Any, **kwargs: Any) -> Repository:
        seen["load"] = gc.isenabled(), gc.get_freeze_count()
        return load(*args, **kwargs)

    def probing(repository: Repository) -> dict[str, str]:
        seen["probes"] = gc.isenabled(), gc.get_freeze_count()
        return probes(repository)

    def running(repository: Repository) -> ValidationResult:
        seen["rules"] = gc.isenabled(), gc.get_freeze_count()
        return run(repository)

    with monkeypatch.context() as patch:
        patch.setattr(aimsctl.repository, "load_repository", loading)
        patch.setattr(aimsctl.validation, "probes", probing)
        patch.setattr(aimsctl.engine, "run", running)
        answer = _json(cli, work.root, *extra)
    assert seen.pop("load") == (False, 0)
    assert seen and all(on and frozen > 0 for on, frozen in seen.values()), seen
    assert ("probes" in seen) == (mode == "cached")
    assert gc.isenabled() and gc.get_freeze_count() == 0  # as before, once answered
    assert answer == _json(cli, work.root, *extra, "--no-cache")


def _edit_one_title(root: Path) -> None:
    path = sorted((root / "risks").glob("*.yaml"))[0]
    path.write_text(path.read_text().replace("title: ", "title: Edited ", 1))


def test_a_repository_whose_folder_name_is_not_utf8_is_cached(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry's name hashes the folder's bytes: a path that is not UTF-8 (Linux
    allows any bytes) was an internal error (exit 3) on every run with the cache."""
    try:
        root = tmp_path / os.fsdecode(b"gov\xff")
        root.mkdir()
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (root / "aims.yaml").write_text("version: 1\norganization: Test Org\n")
    (root / "controls.yaml").write_text(EXCLUDED_SOA)
    first = cli("validate", root, "--as-of", AS_OF)
    assert first.exit_code == 0, first.stderr
    assert ResultCache(root).path is not None

    def fail(*_: object) -> None:
        raise AssertionError("the rules ran although nothing changed")

    monkeypatch.setattr(aimsctl.engine, "run", fail)
    assert cli("validate", root, "--as-of", AS_OF) == first


@pytest.mark.parametrize(
    "change",
    ["edit-record", "delete-evidence", "new-file", "other-date"],
)
def test_any_relevant_change_misses_the_cache(example_copy: Path, cli: Cli, change: str) -> None:
    before = _json(cli, example_copy)
    as_of = AS_OF
    if change == "edit-record":
        path = example_copy / "systems" / "SYS-HIRE.yaml"
        path.write_text(path.read_text().replace("stage: production", "stage: sunset"))
    elif change == "delete-evidence":
        next(p for p in (example_copy / "evidence").rglob("*") if p.is_file()).unlink()
    elif change == "new-file":
        (example_copy / "notes.yaml").write_text("- not a record\n")
    else:
        as_of = "2031-01-01"
    after = json.loads(cli("validate", example_copy, "--format", "json", "--as-of", as_of).stdout)
    assert after["diagnostics"] != before["diagnostics"]


def test_damaged_cache_is_ignored_and_rewritten(example_copy: Path, cli: Cli) -> None:
    expected = _json(cli, example_copy)
    path = ResultCache(example_copy).path
    assert path is not None
    path.write_bytes(b"not an entry")
    assert _json(cli, example_copy) == expected
    assert decode(path.read_bytes(), fingerprint(example_copy, DAY)) is not None


def test_cache_lives_outside_the_repository(example_copy: Path, cli: Cli) -> None:
    before = sorted(str(p) for p in example_copy.rglob("*"))
    _json(cli, example_copy)
    assert sorted(str(p) for p in example_copy.rglob("*")) == before
    path = ResultCache(example_copy).path
    assert path is not None and not path.is_relative_to(example_copy)


def test_entry_is_json_bound_to_its_key(example_copy: Path, cli: Cli) -> None:
    _json(cli, example_copy)
    path = ResultCache(example_copy).path
    assert path is not None and path.suffix == ".json"
    header_line, _, payload = path.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    assert header["format"] == "aimsctl-validate-cache" and header["version"] == 5
    assert header["key"] == fingerprint(example_copy, DAY)
    assert json.loads(payload)["result"]["repository"] == str(example_copy)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_entry_round_trips_every_diagnostic_field() -> None:
    assert set(_DIAGNOSTIC) == {field.name for field in fields(Diagnostic)}


# --- the key covers everything validation reads or checks -----------------------------


def _with_evidence(make_repo: Callable[..., Path], *paths: str) -> Path:
    """A clean repository whose control ORG-1 cites ``paths`` as evidence (all present)."""
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": control(
                "ORG-1",
                status="implemented",
                evidence=[{"path": path} for path in paths],
            ),
        }
    )
    for rel in paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("evidence\n")
    return root


def _replace(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _edit(root: Path, outside: Path, change: str) -> None:
    if change == "evidence-to-etc-passwd":
        _replace(root / "evidence/a.pdf")
        (root / "evidence/a.pdf").symlink_to("/etc/passwd")
    elif change == "evidence-to-outside-file":
        _replace(root / "evidence/a.pdf")
        (root / "evidence/a.pdf").symlink_to(outside / "file.pdf")
    elif change == "evidence-to-missing-file-inside":
        _replace(root / "evidence/a.pdf")
        (root / "evidence/a.pdf").symlink_to("missing.pdf")
    elif change == "evidence-to-folder":
        _replace(root / "evidence/a.pdf")
        (root / "evidence/a.pdf").mkdir()
    elif change == "evidence-to-pipe":
        _replace(root / "evidence/a.pdf")
        os.mkfifo(root / "evidence/a.pdf")
    elif change == "hidden-evidence-deleted":
        (root / "evidence/.x.pdf").unlink()
    elif change == "hidden-folder-evidence-deleted":
        (root / ".ev/x.pdf").unlink()
    elif change == "folder-link-retargeted":
        (root / "evidence/linked").unlink()
        (root / "evidence/linked").symlink_to("../other")
    elif change == "folder-link-target-deleted":
        (root / "docs/x.pdf").unlink()
    elif change == "folder-link-to-outside":
        (root / "evidence/linked").unlink()
        (root / "evidence/linked").symlink_to(outside)
    elif change == "github-evidence-deleted":
        (root / ".github/evidence.txt").unlink()
    else:
        raise AssertionError(change)


CHANGES = [
    "evidence-to-etc-passwd",
    "evidence-to-outside-file",
    "evidence-to-missing-file-inside",
    "evidence-to-folder",
    "evidence-to-pipe",
    "hidden-evidence-deleted",
    "hidden-folder-evidence-deleted",
    "folder-link-retargeted",
    "folder-link-target-deleted",
    "folder-link-to-outside",
    "github-evidence-deleted",
]


@pytest.mark.parametrize("change", CHANGES)
def test_cached_answer_equals_no_cache_after_a_change(
    make_repo: Callable[..., Path], tmp_path: Path, change: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "file.pdf").write_text("outside\n")
    (outside / "x.pdf").write_text("outside\n")
    root = _with_evidence(
        make_repo,
        "evidence/a.pdf",
        "evidence/.x.pdf",
        ".ev/x.pdf",
        "docs/x.pdf",
        ".github/evidence.txt",  # hidden; .git is refused as evidence (AIMS206)
    )
    # evidence/linked/x.pdf is cited through a link to a folder inside the repository.
    (root / "evidence/linked").symlink_to("../docs")
    (root / "controls/more.yaml").write_text(
        "kind: Control\nid: ORG-2\ntitle: More\napplicable: true\njustification: Needed.\n"
        "owner: ciso@acme.example\nstatus: implemented\nevidence:\n"
        "  - path: evidence/linked/x.pdf\n"
    )
    before = check(root, DAY, use_cache=False)
    assert check(root, DAY, use_cache=True) == before
    assert before.errors == 0, before.diagnostics
    _edit(root, outside, change)
    fresh = check(root, DAY, use_cache=False)
    assert check(root, DAY, use_cache=True) == fresh
    assert check(root, DAY, use_cache=True) == fresh
    if change not in ("evidence-to-folder", "evidence-to-pipe", "folder-link-retargeted"):
        assert fresh.errors > 0, "the change should make validation fail"


def test_yaml_behind_a_link_is_part_of_the_key(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"notes/risk.txt": "- not a record\n"})
    (root / "risk.yaml").symlink_to("notes/risk.txt")
    first = check(root, DAY, use_cache=True)
    (root / "notes/risk.txt").write_text("kind: [\n")
    assert check(root, DAY, use_cache=True) == check(root, DAY, use_cache=False) != first


def test_a_cited_path_that_leaves_the_repository_is_refused_whatever_lies_outside(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """`here/../x.pdf` climbs above the root through a link to the root and came back in
    through a link outside, so whether it was evidence hung on a file the cache key does
    not see. Followed as a git revision follows it, it leaves the repository: refused,
    whatever the link outside says, cached or not."""
    root = _with_evidence(make_repo, "x.pdf", "evidence/a.pdf")
    (root / "controls/more.yaml").write_text(
        "kind: Control\nid: ORG-2\ntitle: More\napplicable: true\njustification: Needed.\n"
        "owner: ciso@acme.example\nstatus: implemented\nevidence:\n"
        "  - path: here/../x.pdf\n"
    )
    (root / "here").symlink_to(".")
    (tmp_path / "x.pdf").symlink_to(root / "evidence/a.pdf")  # next to the repository
    first = check(root, DAY, use_cache=True)
    assert first.errors == 1 and check(root, DAY, use_cache=True) == first
    (tmp_path / "x.pdf").unlink()
    (tmp_path / "x.pdf").symlink_to("/etc/passwd")
    assert check(root, DAY, use_cache=False) == first
    assert check(root, DAY, use_cache=True) == first


def test_evidence_emptied_or_filled_in_is_a_new_answer(make_repo: Callable[..., Path]) -> None:
    """An empty evidence file shows nothing (AIMS503); the key does not hash evidence
    files, so the cited path's probe tells an empty file from a filled one."""
    root = _with_evidence(make_repo, "evidence/a.pdf")
    first = check(root, DAY, use_cache=True)
    assert first.warnings == 0
    (root / "evidence/a.pdf").write_bytes(b"")
    emptied = check(root, DAY, use_cache=True)
    assert emptied == check(root, DAY, use_cache=False) != first
    assert [d.code for d in emptied.diagnostics] == ["AIMS503"]
    (root / "evidence/a.pdf").write_text("the log\n")
    assert check(root, DAY, use_cache=True) == first


def test_a_hidden_file_or_folder_changes_the_key(make_repo: Callable[..., Path]) -> None:
    root = make_repo()
    keys = {fingerprint(root, DAY)}
    (root / ".hidden").mkdir()
    keys.add(fingerprint(root, DAY))
    (root / ".hidden" / "x.pdf").write_text("x")
    keys.add(fingerprint(root, DAY))
    (root / ".hidden" / "x.pdf").unlink()
    (root / ".hidden" / "x.pdf").symlink_to("../aims.yaml")
    keys.add(fingerprint(root, DAY))
    assert len(keys) == 4


def test_key_ignores_the_contents_of_git_but_follows_its_commit(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    (root / ".git" / "refs" / "heads").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    key = fingerprint(root, DAY)
    (root / ".git" / "objects").mkdir()
    (root / ".git" / "objects" / "x").write_text("an object")
    assert fingerprint(root, DAY) == key
    # A new commit: records' creation dates and systems' changes come from history.
    (root / ".git" / "refs" / "heads" / "main").write_text("0" * 40 + "\n")
    assert fingerprint(root, DAY) != key


def test_fetching_the_history_of_a_shallow_clone_is_a_new_answer(tmp_path: Path, cli: Cli) -> None:
    """`git fetch --unshallow` leaves HEAD where it was but gives records their
    creation dates: the cached answer of the shallow clone must not stand."""
    from gitrepo import GitRepo, one_system, risk

    repo = GitRepo(tmp_path / "work")
    repo.write(one_system(likelihood=4, severity=4))
    repo.commit("Add the system", on="2025-01-10")
    repo.write({"risks/R-2.yaml": risk("R-2", likelihood=1, severity=1)})
    repo.commit("Add R-2", on="2026-11-20")
    clone = repo.shallow_clone(tmp_path / "ci", depth=1)
    shallow = _json(cli, clone)
    assert "this clone is shallow" in json.dumps(shallow)
    subprocess.run(["git", "-C", str(clone), "fetch", "-q", "--unshallow"], check=True)
    whole = _json(cli, clone)
    assert whole == _json(cli, clone, "--no-cache") != shallow
    assert "this clone is shallow" not in json.dumps(whole)


def test_fetching_the_contents_a_partial_clone_lacks_is_a_new_answer(
    tmp_path: Path, cli: Cli
) -> None:
    """A blobless clone cannot date a system's change; once git fetched the contents
    of past commits (`git show`, `git log -p` fetch what they show) it can, while HEAD,
    every ref and the config stay: the cached "cannot be told" must not stand."""
    from factory import assessment, system, yaml_of
    from gitrepo import GitRepo, git, missing_objects

    repo = GitRepo(tmp_path / "work")
    reviewed = {"on": "2026-11-01", "by": "a@b.c"}
    approved = {"on": "2026-02-01", "by": "dpo@acme.example"}
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": yaml_of(system(reviewed=reviewed)),
            "assessments/IA-1.yaml": yaml_of(assessment(assessed=approved, approval=approved)),
        }
    )
    repo.commit("Add the system", on="2026-01-10")
    repo.write({"systems/SYS-1.yaml": yaml_of(system(purpose="Decide.", reviewed=reviewed))})
    repo.commit("The system now decides", on="2026-03-01")
    clone = repo.partial_clone(tmp_path / "ci")
    partial = _json(cli, clone)
    assert "this clone is partial" in json.dumps(partial)
    git(clone, "fetch", "-q", "origin", *missing_objects(clone))
    assert missing_objects(clone) == []
    whole = _json(cli, clone)
    assert whole == _json(cli, clone, "--no-cache") != partial
    assert "changed significantly on 2026-03-01" in json.dumps(whole)


def test_what_git_log_shows_at_the_same_head_is_a_new_answer(tmp_path: Path, cli: Cli) -> None:
    """A replace ref, `core.useReplaceRefs` and the grafts file change the commits
    `git log` shows, so the records' creation dates, while HEAD and its branch stay."""
    from gitrepo import GitRepo, one_system

    repo = GitRepo(tmp_path / "work")
    repo.write(one_system(likelihood=4, severity=4))
    first = repo.commit("Add the system", on="2025-01-10")

    def same_files(on: str) -> str:
        stamp = f"{on}T12:00:00+00:00"
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        return repo.git("commit-tree", f"{first}^{{tree}}", "-m", on, env=env).strip()

    def answer() -> dict[str, object]:
        cached = _json(cli, repo.root)
        assert cached == _json(cli, repo.root, "--no-cache")
        return cached

    plain = answer()
    repo.git("replace", first, same_files("2026-11-20"))
    replaced = answer()
    assert replaced != plain  # the records were created later
    repo.git("config", "core.useReplaceRefs", "false")
    assert answer() == plain
    repo.git("config", "--unset", "core.useReplaceRefs")
    assert answer() == replaced
    repo.git("replace", "-d", first)
    (repo.top / ".git" / "info" / "grafts").write_text(f"{first} {same_files('2024-01-10')}\n")
    assert answer() not in (plain, replaced)  # the records were created earlier


def test_the_git_environment_is_part_of_the_key(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_NO_REPLACE_OBJECTS (as any GIT_* variable not known to change nothing git reads)
    changes the history git shows."""
    from gitrepo import GitRepo, one_system

    repo = GitRepo(tmp_path / "work")
    repo.write(one_system(likelihood=4, severity=4))
    first = repo.commit("Add the system", on="2025-01-10")
    stamp = {"GIT_AUTHOR_DATE": "2026-11-20T12:00", "GIT_COMMITTER_DATE": "2026-11-20T12:00"}
    later = repo.git("commit-tree", f"{first}^{{tree}}", "-m", "Later", env=stamp).strip()
    repo.git("replace", first, later)
    replaced = _json(cli, repo.root)
    monkeypatch.setenv("GIT_NO_REPLACE_OBJECTS", "1")
    plain = _json(cli, repo.root, "--no-cache")
    assert plain != replaced
    assert _json(cli, repo.root) == plain


def test_a_file_read_only_for_the_key_is_not_one_the_run_read(example_copy: Path, cli: Cli) -> None:
    """The key reads the YAML files aims.yaml excludes too; git comparisons count a
    file the run read as changed even where git ignores it. An excluded, ignored draft
    of a system therefore made a cached run, not --no-cache, see a material change."""
    from gitrepo import GitRepo

    repo = GitRepo(example_copy)
    repo.write({".gitignore": "drafts/\n"})  # aims.yaml excludes drafts/** too
    repo.commit("Import the example", on="2026-01-05")
    system = example_copy / "systems" / "SYS-TRIAGE.yaml"
    text = system.read_text(encoding="utf-8")
    system.rename(example_copy / "systems" / "triage.yaml")  # not committed yet
    draft = text.replace("purpose: >-\n", "purpose: >-\n  A new purpose.\n", 1)
    assert draft != text
    (example_copy / "drafts" / "SYS-TRIAGE-next.yaml").write_text(draft, encoding="utf-8")
    cold = _json(cli, example_copy, "--no-cache")
    assert "AIMS407" not in json.dumps(cold)
    assert _json(cli, example_copy) == cold
    assert _json(cli, example_copy) == cold


def test_the_key_covers_what_git_compares_in_the_working_tree(example_copy: Path, cli: Cli) -> None:
    """A system's material change compares HEAD with every YAML file git does not
    ignore, hidden ones too: their bytes, `.gitignore` and `.git/info/exclude` are
    part of the key."""
    from gitrepo import GitRepo

    repo = GitRepo(example_copy)
    repo.write({".gitignore": "drafts/\n"})
    repo.commit("Import the example", on="2026-01-05")
    system = example_copy / "systems" / "SYS-TRIAGE.yaml"
    text = system.read_text(encoding="utf-8")
    system.rename(example_copy / "systems" / "triage.yaml")  # not committed yet
    hidden = example_copy / ".drafts" / "SYS-TRIAGE.yaml"
    hidden.parent.mkdir()

    def changed(draft: str) -> bool:
        hidden.write_text(draft, encoding="utf-8")
        cached = _json(cli, example_copy)
        assert cached == _json(cli, example_copy, "--no-cache")
        return "AIMS407" in json.dumps(cached)

    draft = text.replace("purpose: >-\n", "purpose: >-\n  A new purpose.\n", 1)
    assert changed(draft)
    assert not changed(text)
    assert changed(draft)
    (example_copy / ".gitignore").write_text("drafts/\n.drafts/\n", encoding="utf-8")
    assert not changed(draft)
    (example_copy / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    assert changed(draft)
    (example_copy / ".git" / "info" / "exclude").write_text(".drafts/\n", encoding="utf-8")
    assert not changed(draft)


def test_key_follows_a_commit_in_a_linked_work_tree(tmp_path: Path) -> None:
    """A linked work tree (`git worktree add`) keeps its HEAD in its own git folder
    and its branch in the main repository's."""
    from gitrepo import CONFIG, GitRepo

    repo = GitRepo(tmp_path / "main")
    repo.write({"aims.yaml": CONFIG})
    repo.commit("First")
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "-b", "feature", str(linked))
    key = fingerprint(linked, DAY)
    assert fingerprint(linked, DAY) == key
    repo.git("-C", str(linked), "commit", "-q", "--allow-empty", "-m", "Second")
    assert fingerprint(linked, DAY) != key


def test_git_files_that_are_named_pipes_do_not_hang_the_key(
    make_repo: Callable[..., Path],
) -> None:
    """HEAD, the branch file and `shallow` are opened without blocking: a pipe in
    their place (a planted .git) is no file, not a wait for ever."""
    root = make_repo()
    (root / ".git" / "refs" / "heads").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    os.mkfifo(root / ".git" / "refs" / "heads" / "main")
    os.mkfifo(root / ".git" / "shallow")
    probe = (
        "import sys, datetime; from pathlib import Path; from aimsctl.cache import fingerprint;"
        "print(fingerprint(Path(sys.argv[1]), datetime.date(2026, 11, 26)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == fingerprint(root, DAY)
    (root / ".git" / "shallow").unlink()
    (root / ".git" / "shallow").write_text("0" * 40 + "\n")
    assert fingerprint(root, DAY) != done.stdout.strip()  # a real shallow file counts


def test_key_follows_the_libraries_that_read_and_build_records(
    make_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another PyYAML, libyaml, Python or pydantic may read a record or word its
    error otherwise: the per-file entry's key holds the first three, and so must the
    whole result's, with pydantic found without importing it."""
    root = make_repo()
    key = fingerprint(root, DAY)
    monkeypatch.setattr(aimsctl.cache.key, "PARSER", "PyYAML 6.0.0, libyaml 0.2.4")
    assert fingerprint(root, DAY) != key
    monkeypatch.undo()
    assert fingerprint(root, DAY) == key
    installed = tmp_path / "site" / "pydantic"
    installed.mkdir(parents=True)
    (installed / "version.py").write_text("VERSION = '2.99.0'\n")
    monkeypatch.syspath_prepend(str(installed.parent))
    aimsctl.cache.key._models_state.cache_clear()
    try:
        assert fingerprint(root, DAY) != key
    finally:
        monkeypatch.undo()
        aimsctl.cache.key._models_state.cache_clear()
    assert fingerprint(root, DAY) == key


def test_code_state_follows_sources_not_bytecode(tmp_path: Path) -> None:
    """An edited module is a new key; bytecode Python writes after a run is not (it
    would make the next run miss for nothing)."""
    package = tmp_path / "package"
    (package / "rules" / "__pycache__").mkdir(parents=True)
    (package / "rules" / "one.py").write_text("A = 1\n")
    state = aimsctl.cache.key._folder_state(package)
    (package / "rules" / "__pycache__" / "one.cpython-311.pyc").write_bytes(b"\0" * 16)
    (package / "__pycache__").mkdir()
    assert aimsctl.cache.key._folder_state(package) == state
    (package / "rules" / "one.py").write_text("A = 12\n")
    edited = aimsctl.cache.key._folder_state(package)
    assert edited != state
    (package / "templates").mkdir()
    (package / "templates" / "x.j2").write_text("x")
    assert aimsctl.cache.key._folder_state(package) not in (state, edited)


_FILE_SYSTEM = re.compile(
    r"\.resolve\(|path_exists\(|\.exists\(\)|\.is_file\(|\.is_dir\(|\.is_symlink\(|\.stat\("
    r"|\bos\.|\bopen\(|\.read_(?:bytes|text)\(|\.iterdir\(|glob\("
    # A document's source.raw (the bytes already read and keyed) and source.path (its
    # repository path, a string) look at no file.
    r"|\.source\.(?!raw\b|path\b)"
)


def _functions(pattern: re.Pattern[str]) -> set[str]:
    """The rule functions (module.function) whose code matches pattern."""
    found = set()
    for path in sorted((PROJECT / "src" / "aimsctl" / "rules").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and pattern.search(
                ast.get_source_segment(text, node) or ""
            ):
                found.add(f"{path.stem}.{node.name}")
    return found


def test_the_cache_checks_again_every_path_a_rule_looks_up_on_disk() -> None:
    """A cached answer is reused only after the paths in cache.cited_paths are checked
    again. Those are what rules/soa.py's path_problem looks up; a rule that looks at
    the file system some other way must be added there, or the cache answers stale."""
    # soa._link_target follows an evidence path's links through the repository's
    # source, as path_problem does: where they lead is what the probe keeps
    # (cache.cited.probe resolves each cited path).
    # soa._through_no_folder asks of the folders a `..` steps back out of: folders of
    # the tree, which the key's scan sees, an empty one too (tested below).
    assert _functions(_FILE_SYSTEM) == {"soa.path_problem", "soa._through_no_folder"}
    # Monitors' observation files and evaluations' results are cited too; the content
    # of an observation file (read through the repository's source) is checked again.
    assert _functions(re.compile(r"\bpath_problem\(")) - {"soa.path_problem"} == {
        "soa.evidence_path",
        "soa.evidence_path_problem",
        "soa.document_problem",
        "measurements.observations_path_problem",
        "monitoring.monitoring_file_unusable",
    }


# --- where the cache lives ----------------------------------------------------------


def test_cache_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(tmp_path / "own"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "own"
    monkeypatch.delenv("AIMSCTL_CACHE_DIR")
    assert cache_dir() == tmp_path / "xdg" / "aimsctl"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_dir() is None  # the home folder does not exist: no cache, nothing made
    (tmp_path / "home").mkdir()
    assert cache_dir() == tmp_path / "home" / ".cache" / "aimsctl"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert cache_dir() == tmp_path / "home" / ".cache" / "aimsctl"


def test_a_home_folder_that_does_not_exist_is_not_made_for_the_cache(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AIMSCTL_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "nowhere" / "home"))
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0
    assert not (tmp_path / "nowhere").exists()
    # A cache home named but not there yet is made, owner-only all the way down.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg" / "cache"))
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0
    for made in ("xdg", "xdg/cache", "xdg/cache/aimsctl"):
        assert (tmp_path / made).stat().st_mode & 0o777 == 0o700, made


def test_a_cached_answer_follows_the_content_of_an_observations_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation reads a monitor's CSV observations: an edit that keeps the file's
    size (one digit) must not bring back the answer cached before it."""
    from aimsctl.validation import check

    root = tmp_path / "repo"
    (root / "monitors").mkdir(parents=True)
    (root / "aims.yaml").write_text("version: 1\norganization: T\n", encoding="utf-8")
    (root / "monitors" / "m.yaml").write_text(
        "kind: Monitor\nid: MON-1\ntitle: M\nsystem: SYS-1\nowner: o\nmetric: m\n"
        "dimension: performance\nthreshold: {min: 0.8}\nevery_days: 7\n"
        "observations_file: obs.csv\non_breach: notify\n",
        encoding="utf-8",
    )
    observations = root / "obs.csv"
    observations.write_text("on,value\n2026-11-20,0.9\n", encoding="utf-8")
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(tmp_path / "cache"))

    def breaches() -> int:
        return sum(1 for d in check(root, DAY, use_cache=True).diagnostics if d.code == "AIMS705")

    assert breaches() == 0 and breaches() == 0  # the second answer comes from the cache
    observations.write_text("on,value\n2026-11-20,0.1\n", encoding="utf-8")
    assert breaches() == 1
    # An edit made while the rules run (after they read the file) is not taken for
    # what the stored answer saw: the next run checks the file again.
    observations.write_text("on,value\n2026-11-20,0.9\n", encoding="utf-8")
    checked = aimsctl.engine.run

    def edited_meanwhile(repo: object) -> object:
        result = checked(repo)  # type: ignore[arg-type]
        observations.write_text("on,value\n2026-11-20,0.2\n", encoding="utf-8")
        return result

    monkeypatch.setattr(aimsctl.engine, "run", edited_meanwhile)
    assert breaches() == 0
    monkeypatch.setattr(aimsctl.engine, "run", checked)
    assert breaches() == 1


@pytest.mark.parametrize(
    ("record", "cited"),
    [
        ("policies/POL-AI.yaml", "evidence/policy/ai-policy.md"),
        ("audits/AUD-2026.yaml", "evidence/audit/internal-audit-2026.md"),
        ("reviews/MR-2026.yaml", "evidence/governance/management-review-2026-10.md"),
    ],
)
def test_a_cached_answer_follows_the_policy_text_audit_reports_and_minutes(
    example_copy: Path, record: str, cited: str
) -> None:
    """AIMS206 checks these paths too: one the key's scan of the tree does not see (in a
    folder named .git below the root) must still be looked at again, or the answer
    cached while the file was there is given after it is deleted."""
    hidden = example_copy / "vendor" / ".git" / "document.md"
    hidden.parent.mkdir(parents=True)
    hidden.write_text("The text.\n", encoding="utf-8")
    path = example_copy / record
    path.write_text(
        path.read_text("utf-8").replace(cited, "vendor/.git/document.md"), encoding="utf-8"
    )

    def missing() -> int:
        found = check(example_copy, DAY, use_cache=True).diagnostics
        return sum(1 for d in found if d.code == "AIMS206")

    assert missing() == 0 and missing() == 0  # the second answer comes from the cache
    hidden.unlink()
    assert missing() == 1


def test_a_cached_answer_follows_the_folder_a_dot_dot_steps_out_of(example_copy: Path) -> None:
    """`evidence/gone/../policy/ai-policy.md` cannot be opened until `evidence/gone` is
    made (AIMS206): an empty folder made later holds no file, and the key must still
    see it."""
    path = example_copy / "policies/POL-AI.yaml"
    cited = "evidence/policy/ai-policy.md"
    path.write_text(
        path.read_text("utf-8").replace(cited, "evidence/gone/../policy/ai-policy.md"),
        encoding="utf-8",
    )

    def refused() -> int:
        found = check(example_copy, DAY, use_cache=True).diagnostics
        return sum(1 for d in found if d.code == "AIMS206")

    assert refused() == 1 and refused() == 1  # the second answer comes from the cache
    (example_copy / "evidence" / "gone").mkdir()
    assert refused() == 0


# --- size and concurrency -------------------------------------------------------------


def test_the_oldest_entries_go_when_the_cache_is_over_its_size(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    a, b, c = (f"validate-{letter * 32}.json" for letter in "abc")
    for age, name in enumerate([c, a, b]):
        (folder / name).write_bytes(b"x" * 100)
        os.utime(folder / name, ns=(age * 10**9, age * 10**9))  # c oldest, b newest
    (folder / "notes.txt").write_bytes(b"y" * 1000)  # not an entry: never counted or removed
    link = f"validate-{'d' * 32}.json"
    (folder / link).symlink_to(folder / "notes.txt")  # not a regular file
    assert evict(folder, keep=c, limit=200) == [a]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", b, c, link]
    assert evict(folder, keep=b, limit=100) == [c]
    assert evict(folder, keep=b, limit=0) == []  # the kept one stays


def test_eviction_leaves_files_it_did_not_write(tmp_path: Path) -> None:
    # AIMSCTL_CACHE_DIR may name a folder of the user's: their validate-report.json
    # matches the entries' glob, and was removed once the folder was over its size.
    folder = tmp_path / "cache"
    folder.mkdir()
    mine = f"validate-{'a' * 32}.files.json"
    (folder / mine).write_bytes(b"x" * 100)
    for name in ("validate-report.json", "validate-A.json", f"validate-{'a' * 31}.json"):
        (folder / name).write_bytes(b"y" * 1000)
        os.utime(folder / name, ns=(0, 0))  # older than the entry
    assert evict(folder, keep="", limit=0) == [mine]
    assert len(list(folder.iterdir())) == 3


def test_a_killed_writes_temporary_file_goes_once_a_day_old(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    stale = folder / f".validate-{'a' * 32}.history.json.k3j_x.tmp"
    fresh = folder / f".validate-{'b' * 32}.json.k3j_x.tmp"  # a run may be writing it
    other = folder / ".validate-notes.txt.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"x" * 100)
    # No clock read: written in 1970, or in 2100 (a run writing it now, whatever day).
    for path in (stale, other):
        os.utime(path, (0, 0))
    os.utime(fresh, (4102444800, 4102444800))
    evict(folder, keep="", limit=10**9)
    assert sorted(p.name for p in folder.iterdir()) == sorted([fresh.name, other.name])


def test_a_run_evicts_old_entries_of_other_repositories(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stale = folder / "validate-0123456789abcdef0123456789abcdef.json"
    stale.write_bytes(b"{}")
    stale.chmod(0o600)
    os.utime(stale, ns=(0, 0))
    monkeypatch.setattr(aimsctl.cache.storage, "MAX_CACHE_BYTES", 1)  # any two entries are too many
    _json(cli, example_copy)
    entry = ResultCache(example_copy).path
    assert entry is not None and entry.is_file()
    assert not stale.exists()


def test_concurrent_runs_on_one_cache_read_no_torn_entry(
    example_copy: Path, tmp_path: Path
) -> None:
    """Four processes validate the same repository against one cache folder, five
    times each, writing and reading the one entry at once: every answer equals the
    --no-cache answer, and no temporary file is left behind."""
    cache = tmp_path / "shared-cache"
    env = {**os.environ, "AIMSCTL_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "aimsctl", "validate", str(example_copy)]
    command += ["--format", "json", "--as-of", AS_OF]
    expected = subprocess.run(
        [*command, "--no-cache"], env=env, capture_output=True, text=True, check=False
    )
    runs = [
        subprocess.Popen(
            ["bash", "-c", 'for i in 1 2 3 4 5; do "$@" || [ $? -eq 1 ]; done', "-", *command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], [err for _, err in outputs]
    for stdout, stderr in outputs:
        assert stderr == ""
        answers = stdout.replace("}\n{", "}\n\x00{").split("\x00")
        assert len(answers) == 5
        assert all(json.loads(answer) == json.loads(expected.stdout) for answer in answers)
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".json")] == []


def test_an_observations_file_that_is_a_folder_is_a_finding_not_an_error(
    make_repo: Callable[..., Path], cli: Cli
) -> None:
    """A monitor's `observations_file` naming a folder is AIMS708 at its line: the
    cache key read the path's content through a file object, which Python refuses for
    a folder, so validate stopped with 'aimsctl: error: 3: Is a directory', exit 2."""
    root = make_repo(
        {
            "monitors/MON-1.yaml": (
                "kind: Monitor\nid: MON-1\ntitle: M\nsystem: SYS-1\nowner: o\nmetric: m\n"
                "dimension: performance\nthreshold: {min: 0.8}\nevery_days: 7\n"
                "observations_file: monitors\n"
            ),
        }
    )
    for _ in range(2):  # the second answer comes from the cache
        result = cli("validate", root, "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 1, result.stderr
        found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "AIMS708"]
        assert [(d["record"], d["line"]) for d in found] == [("MON-1", 10)]
        assert "is a folder" in found[0]["message"]


def _system_changed_on_march_1(tmp_path: Path) -> tuple[Path, str]:
    """A system added on 2026-01-10 whose purpose a commit of 2026-03-01 changed, after
    its impact assessment was approved (AIMS407); the root and the first commit."""
    from factory import assessment, system, yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")
    reviewed = {"on": "2026-11-01", "by": "a@b.c"}
    approved = {"on": "2026-02-01", "by": "dpo@acme.example"}
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": yaml_of(system(reviewed=reviewed)),
            "assessments/IA-1.yaml": yaml_of(assessment(assessed=approved, approval=approved)),
        }
    )
    first = repo.commit("Add the system", on="2026-01-10")
    repo.write({"systems/SYS-1.yaml": yaml_of(system(purpose="Decide.", reviewed=reviewed))})
    repo.commit("The system now decides", on="2026-03-01")
    return repo.root, first


def test_a_branch_that_names_another_branch_is_followed(tmp_path: Path, cli: Cli) -> None:
    """HEAD names branch a, a symbolic ref to branch b: moving b moves HEAD."""
    from gitrepo import git

    root, first = _system_changed_on_march_1(tmp_path)
    git(root, "branch", "-q", "b")
    git(root, "symbolic-ref", "refs/heads/a", "refs/heads/b")
    git(root, "symbolic-ref", "HEAD", "refs/heads/a")
    assert "changed significantly on 2026-03-01" in json.dumps(_json(cli, root))
    git(root, "update-ref", "refs/heads/b", first)  # the change is now uncommitted
    moved = _json(cli, root, "--no-cache")
    assert f"changed significantly on {AS_OF}" in json.dumps(moved)
    assert _json(cli, root) == moved


def test_the_excludes_files_git_reads_outside_the_repository_are_part_of_the_key(
    example_copy: Path, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git ignores what the global excludes file lists ($XDG_CONFIG_HOME/git/ignore,
    or the file core.excludesFile names in any config git reads): a hidden draft it
    ignores is no material change of the system (see the test above)."""
    from gitrepo import GitRepo

    config = tmp_path / "gitconfig"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    default = tmp_path / "xdg" / "git" / "ignore"
    default.parent.mkdir(parents=True)
    repo = GitRepo(example_copy)
    repo.write({".gitignore": "drafts/\n"})
    repo.commit("Import the example", on="2026-01-05")
    system = example_copy / "systems" / "SYS-TRIAGE.yaml"
    text = system.read_text(encoding="utf-8")
    system.rename(example_copy / "systems" / "triage.yaml")  # not committed yet
    hidden = example_copy / ".drafts" / "SYS-TRIAGE.yaml"
    hidden.parent.mkdir()
    hidden.write_text(text.replace("purpose: >-\n", "purpose: >-\n  New.\n", 1), encoding="utf-8")

    def changed() -> bool:
        cached = _json(cli, example_copy)
        assert cached == _json(cli, example_copy, "--no-cache")
        return "AIMS407" in json.dumps(cached)

    assert changed()
    default.write_text(".drafts/\n", encoding="utf-8")
    assert not changed()
    default.write_text("", encoding="utf-8")
    assert changed()
    named = tmp_path / "excludes"
    named.write_text(".drafts/\n", encoding="utf-8")
    config.write_text(f"[core]\n\texcludesFile = {named}\n", encoding="utf-8")
    assert not changed()
    named.write_text("", encoding="utf-8")
    assert changed()
    own = tmp_path / "repository-excludes"
    own.write_text("", encoding="utf-8")
    repo.git("config", "core.excludesFile", str(own))  # the repository's config names it
    assert changed()
    own.write_text(".drafts/\n", encoding="utf-8")
    assert not changed()
    # A file the repository's config includes names the excludes file in turn, with a
    # comment after the value.
    repo.git("config", "--unset", "core.excludesFile")
    assert changed()
    other = tmp_path / "other-excludes"
    other.write_text("", encoding="utf-8")
    included = tmp_path / "included"
    included.write_text(f"[core]\n\texcludesFile = {other}   # the team's\n", encoding="utf-8")
    repo.git("config", "include.path", str(included))
    assert changed()
    other.write_text(".drafts/\n", encoding="utf-8")
    assert not changed()


def test_a_config_value_with_a_long_run_of_blanks_does_not_stall_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repository's and the global config are read for core.excludesFile and
    include.path: a value of half a megabyte with a run of blanks inside took a time
    quadratic in it (ten minutes). The excludes file it names, blanks around it aside,
    still counts. A separate process, so that a regression fails the test instead of
    hanging it."""
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": MINIMAL_CONFIG})
    repo.commit("Start")
    blanks = " " * (1 << 19)
    with (repo.top / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(f"[core]\n\texcludesFile = a{blanks}b\n")
    named = tmp_path / "excludes"
    named.write_text("", encoding="utf-8")
    everyone = tmp_path / "gitconfig"
    everyone.write_text(
        f"[core]\n\texcludesFile = {named}  \n[include]\n\tpath = a{blanks}b\n", encoding="utf-8"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(everyone))
    probe = (
        "import sys, datetime; from pathlib import Path; from aimsctl.cache import fingerprint;"
        "print(fingerprint(Path(sys.argv[1]), datetime.date(2026, 11, 26)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(repo.root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == fingerprint(repo.root, DAY)
    named.write_text("drafts/\n", encoding="utf-8")
    assert fingerprint(repo.root, DAY) != done.stdout.strip()


def test_a_git_file_naming_a_path_with_a_nul_byte_is_no_repository_for_the_key(
    make_repo: Callable[..., Path], cli: Cli
) -> None:
    """A `.git` file names the repository of a linked work tree: one holding a NUL
    byte ended a cached validate with an internal error (exit 3) while --no-cache
    answered; it names no repository, as for git."""
    root = make_repo()
    (root / ".git").write_bytes(b"gitdir: /tmp/x\0y\n")
    assert _json(cli, root) == _json(cli, root, "--no-cache")


def test_fetching_the_history_of_a_shallow_submodule_is_a_new_answer(
    tmp_path: Path, cli: Cli
) -> None:
    """A submodule fetched at its pinned commit only leaves a risk in it of unknown
    creation; `git fetch --unshallow` in the submodule dates it while nothing of the
    superproject changes: the cached answer of the shallow submodule must not stand."""
    from factory import levels, risk, system, yaml_of
    from gitrepo import GitRepo, git

    high = {
        "inherent": levels(4, 4),
        "acceptance": {
            "by": "ceo@acme.example",
            "on": "2026-01-10",
            "rationale": "Accepted.",
            "expires": "2027-12-31",
        },
    }
    team = GitRepo(tmp_path / "team")
    team.write({"risks/R-1.yaml": yaml_of(risk(**high))})
    team.commit("The team's risk", on="2025-01-01")
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": yaml_of(system()),
        }
    )
    repo.add_submodule("team", team)
    repo.commit("Pull in the team's risk", on="2025-01-10")
    team.write({"risks/R-1.yaml": yaml_of(risk(title="Renamed", **high))})
    team.commit("Rename the risk", on="2026-06-01")
    git(repo.root / "team", "pull", "-q", "origin", "main")
    repo.commit("Take the team's renamed risk", on="2026-06-02")
    clone = repo.clone_with_submodule(tmp_path / "ci", team.top)
    shallow = _json(cli, clone)
    assert "the submodule at team was fetched shallow" in json.dumps(shallow)
    git(clone / "team", "fetch", "-q", "--unshallow")
    whole = _json(cli, clone)
    assert whole == _json(cli, clone, "--no-cache") != shallow
    assert "created on 2025-01-10" in json.dumps(whole)


def test_a_submodule_not_checked_out_is_an_error_cold_and_cached(tmp_path: Path, cli: Cli) -> None:
    """A clone without --recurse-submodules leaves the submodule's folder empty: its
    risk was silently absent from validate, cold and cached (diff named it on stderr).
    Each run now reports the folder (AIMS008, as for a folder that cannot be read),
    nested submodules too, until it is checked out or excluded."""
    from factory import risk, system, yaml_of
    from gitrepo import GitRepo, git

    inner = GitRepo(tmp_path / "inner")
    inner.write({"risks/R-2.yaml": yaml_of(risk("R-2"))})
    inner.commit("The inner team's risk")
    team = GitRepo(tmp_path / "team")
    team.write({"risks/R-1.yaml": yaml_of(risk())})
    team.add_submodule("nested", inner)
    team.commit("The team's risk")
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": yaml_of(system()),
        }
    )
    repo.add_submodule("team", team)
    repo.commit("Pull in the team's risks")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.top), str(clone))

    def unread(found: dict[str, object]) -> list[object]:
        return [
            (d["path"], d["severity"])  # type: ignore[index]
            for d in found["diagnostics"]  # type: ignore[attr-defined]
            if "submodule that is not checked out" in d["message"]  # type: ignore[index]
        ]

    cold = _json(cli, clone, "--no-cache")
    assert unread(cold) == [("team", "error")]
    assert _json(cli, clone) == _json(cli, clone) == cold  # the cached answer says it too
    allow = ("-c", "protocol.file.allow=always")
    git(clone, *allow, "submodule", "update", "-q", "--init")  # not --recursive
    once = _json(cli, clone)
    assert unread(once) == [("team/nested", "error")] and once == _json(cli, clone, "--no-cache")
    assert once["summary"]["records"] == cold["summary"]["records"] + 1  # type: ignore[index]
    git(clone, *allow, "submodule", "update", "-q", "--init", "--recursive")
    whole = _json(cli, clone)
    assert unread(whole) == [] and whole == _json(cli, clone, "--no-cache")
    git(clone, "submodule", "deinit", "-q", "--all", "--force")  # the folders emptied
    assert unread(_json(cli, clone)) == [("team", "error")]
    (clone / "aims.yaml").write_text(MINIMAL_CONFIG + "exclude: [team/]\n", encoding="utf-8")
    assert unread(_json(cli, clone)) == [] == unread(_json(cli, clone, "--no-cache"))


def test_the_text_of_a_file_with_an_upper_case_yaml_extension_is_in_the_key(
    tmp_path: Path, cli: Cli
) -> None:
    """`risks/R-1.YAML` is not read as records (AIMS008), but its text decides whether a
    reference to a record it may hold is set aside: an edit to it that leaves the tree's
    shape as it was must not be answered from the cache."""
    from factory import incident, risk, system, yaml_of

    root = tmp_path / "repo"
    root.mkdir()
    (root / "aims.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    for rel, text in {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": yaml_of(system()),
        "incidents/INC-1.yaml": yaml_of(incident(risks=["R-1"])),
        "risks/R-1.YAML": yaml_of(risk("R-1")),
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")

    def codes_at(found: dict[str, object]) -> list[tuple[object, object]]:
        return [(d["code"], d["path"]) for d in found["diagnostics"]]  # type: ignore[attr-defined,index]

    before = _json(cli, root)
    assert ("AIMS008", "risks/R-1.YAML") in codes_at(before)
    assert ("AIMS201", "risks/R-1.YAML") in codes_at(before)  # R-1 may be in it
    (root / "risks" / "R-1.YAML").write_text(yaml_of(risk("R-7")), encoding="utf-8")
    after = _json(cli, root)
    assert after == _json(cli, root, "--no-cache") != before
    assert ("AIMS201", "incidents/INC-1.yaml") in codes_at(after)  # R-1 is nowhere now


def _entry_state(root: Path) -> tuple[int, int]:
    """The cache entry of ``root`` by inode and modification time: a miss writes a new
    file in its place (an atomic rename), a hit leaves it as it was."""
    path = ResultCache(root).path
    assert path is not None
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _validate_hook(git_dir: Path, name: str, out: Path, entry: Path) -> None:
    """A hook script of git's own that runs a plain `validate --format json` of the
    current folder (git runs a hook at the top of the work tree) into ``out``/<hook>,
    then writes the cache ``entry``'s inode and modification time beside it."""
    hook = git_dir / "hooks" / name
    hook.parent.mkdir(parents=True, exist_ok=True)
    validate = shlex.join([sys.executable, "-m", "aimsctl", "validate", "--format", "json"])
    state = "import os, sys; i = os.stat(sys.argv[1]); print(i.st_ino, i.st_mtime_ns)"
    stat_entry = shlex.join([sys.executable, "-c", state, str(entry)])
    target = shlex.quote(str(out / name))
    hook.write_text(
        f"#!/bin/sh\n{validate} > {target}.json\ncase $? in 0|1) ;; *) exit 3;; esac\n"
        f"exec {stat_entry} > {target}.entry\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)


@pytest.mark.parametrize("where", ["checkout", "linked work tree"])
def test_validate_in_a_git_hook_is_served_from_the_cache(
    tmp_path: Path, example_copy: Path, where: str
) -> None:
    """git gives a hook variables that change nothing git reads (GIT_EXEC_PATH,
    GIT_PREFIX, who commits and when, the editor; in a pre-commit hook GIT_INDEX_FILE
    naming the index git reads anyway; in a linked work tree GIT_DIR naming its own git
    folder): a plain validate in pre-commit, commit-msg and pre-push hooks gives the
    answer a run in the shell cached, without checking the repository again."""
    from gitrepo import GIT_ENV, committed_example, git

    repo = committed_example(tmp_path / "work", example_copy)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    top = repo.top
    if where == "linked work tree":
        top = tmp_path / "linked"
        repo.git("worktree", "add", "-q", "-b", "feature", str(top))
    entry = ResultCache(top).path
    assert entry is not None
    out = tmp_path / "out"
    out.mkdir()
    for name in ("pre-commit", "commit-msg", "pre-push"):
        _validate_hook(repo.top / ".git", name, out, entry)
    env = {**os.environ, **GIT_ENV, "AIMSCTL_AS_OF": AS_OF}

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd=top, env=env, capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
        return done.stdout

    def written() -> str:
        info = entry.stat()
        return f"{info.st_ino} {info.st_mtime_ns}\n"

    def hook_answer(name: str) -> tuple[str, str]:
        answer = (out / f"{name}.json").read_text(encoding="utf-8")
        return answer, (out / f"{name}.entry").read_text(encoding="utf-8")

    validate = (sys.executable, "-m", "aimsctl", "validate", "--format", "json")
    shell = run(*validate)
    cached = written()
    run("git", "commit", "-q", "--allow-empty", "-m", "Nothing")
    assert hook_answer("pre-commit") == hook_answer("commit-msg") == (shell, cached)
    shell = run(*validate)  # the commit moved HEAD: checked again and cached
    cached = written()
    run("git", "push", "-q", str(remote), "HEAD:refs/heads/main")
    assert hook_answer("pre-push") == (shell, cached)


def test_a_hook_variable_that_changes_what_git_reads_is_a_new_answer(
    tmp_path: Path, example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_INDEX_FILE naming another index than the repository's, or GIT_DIR another
    repository, changes what git reads: no answer cached without them is served. The
    same index or git folder spelled otherwise (relative, as git gives a hook) is the
    same answer."""
    from gitrepo import GitRepo, committed_example

    repo = committed_example(tmp_path / "work", example_copy)
    other = GitRepo(tmp_path / "other")
    other.write({"README.md": "other\n"})
    other.commit("Other")
    monkeypatch.chdir(repo.top)
    plain = _json(cli, repo.root)
    key = fingerprint(repo.root, DAY)
    same = {
        "GIT_INDEX_FILE": [".git/index", str(repo.top / ".git" / "index")],
        "GIT_DIR": [".git", str(repo.top / ".git")],
    }
    for name, values in same.items():
        for value in values:
            monkeypatch.setenv(name, value)
            assert fingerprint(repo.root, DAY) == key, (name, value)
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "another-index"))
    assert fingerprint(repo.root, DAY) != key
    monkeypatch.delenv("GIT_INDEX_FILE")
    monkeypatch.setenv("GIT_DIR", str(other.top / ".git"))
    assert fingerprint(repo.root, DAY) != key
    refused = cli("validate", repo.root, "--format", "json", "--as-of", AS_OF)
    assert refused.exit_code == 2, refused.stdout
    assert "GIT_DIR names the git repository at" in refused.stderr
    monkeypatch.delenv("GIT_DIR")
    assert _json(cli, repo.root) == plain


def _encoding_advice(cli: Cli, root: Path) -> str:
    """The message validate gives the record R-1 (written as UTF-16), cached and not
    (equal), which names the encoding git checks it out in, if it does."""
    cached = _json(cli, root)
    assert cached == _json(cli, root, "--no-cache")
    [problem] = [d for d in cached["diagnostics"] if d["path"] == "risks/R-1.yaml"]  # type: ignore[attr-defined,index]
    return problem["message"]  # type: ignore[no-any-return]


def test_the_attributes_git_reads_are_part_of_the_key(tmp_path: Path, cli: Cli) -> None:
    """A record that is not UTF-8 because git checks it out as UTF-16
    (`working-tree-encoding` in .gitattributes) names the attribute, so the answer
    depends on every attributes file git reads for it: the work tree's top one (above
    the governance folder), nested ones, and the repository's info/attributes. Their
    bytes were not in the key, so an edit of one (the attribute removed, another
    encoding) was served the advice given before it; an unchanged one still hits."""
    from gitrepo import GitRepo, one_system

    repo = GitRepo(tmp_path / "work", governance="gov")
    repo.write(one_system())
    repo.commit("Records")
    record = repo.root / "risks" / "R-1.yaml"
    record.write_bytes(record.read_text(encoding="utf-8").encode("utf-16"))
    top = repo.top / ".gitattributes"
    top.write_text("gov/risks/*.yaml text working-tree-encoding=UTF-16\n", encoding="utf-8")
    assert "git checks this file out as UTF-16 " in _encoding_advice(cli, repo.root)
    before = _entry_state(repo.root)
    assert "git checks this file out as UTF-16 " in _encoding_advice(cli, repo.root)
    assert _entry_state(repo.root) == before  # unchanged: served from the cache
    top.write_text("*.csv text working-tree-encoding=UTF-16\n", encoding="utf-8")
    assert "git checks this file out" not in _encoding_advice(cli, repo.root)
    nested = repo.root / "risks" / ".gitattributes"
    nested.write_text("*.yaml text working-tree-encoding=UTF-16\n", encoding="utf-8")
    assert "git checks this file out as UTF-16 " in _encoding_advice(cli, repo.root)
    nested.write_text("*.yaml text working-tree-encoding=UTF-16LE\n", encoding="utf-8")
    assert "git checks this file out as UTF-16LE " in _encoding_advice(cli, repo.root)
    before = _entry_state(repo.root)
    assert "git checks this file out as UTF-16LE " in _encoding_advice(cli, repo.root)
    assert _entry_state(repo.root) == before
    nested.write_text("", encoding="utf-8")
    assert "git checks this file out" not in _encoding_advice(cli, repo.root)
    info = repo.top / ".git" / "info" / "attributes"
    info.parent.mkdir(exist_ok=True)
    info.write_text("*.yaml text working-tree-encoding=UTF-16\n", encoding="utf-8")
    assert "git checks this file out as UTF-16 " in _encoding_advice(cli, repo.root)


@pytest.mark.parametrize("where", ["GIT_DIR with core.worktree", "core.worktree above .git"])
def test_the_key_reads_the_work_tree_git_reads(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """git's work tree is the folder core.worktree names (with GIT_DIR set and no
    GIT_WORK_TREE, or in the repository's own config), and validate reads git there:
    the .gitattributes at its top applies to the records. The key took the governance
    folder (with GIT_DIR) or the folder of `.git` for the top, so it held no
    attributes file above them, and the answer given before an edit of it stood."""
    from gitrepo import GitRepo, one_system

    repo = GitRepo(tmp_path / "work", governance="gov")
    repo.write(one_system())
    repo.commit("Records")
    if where == "GIT_DIR with core.worktree":
        git_dir = tmp_path / "kept-apart.git"
        (repo.top / ".git").rename(git_dir)
        monkeypatch.setenv("GIT_DIR", str(git_dir))
        repo.git("config", "core.worktree", "../work")  # from the git folder
        top, prefix = repo.top, "gov"
    else:
        repo.git("config", "core.worktree", "../..")
        top, prefix = tmp_path, "work/gov"
    assert repo.git("rev-parse", "--show-toplevel").strip() == str(top)
    record = repo.root / "risks" / "R-1.yaml"
    record.write_bytes(record.read_text(encoding="utf-8").encode("utf-16"))
    attributes = top / ".gitattributes"
    attributes.write_text(f"{prefix}/risks/*.yaml text working-tree-encoding=UTF-16\n")
    assert "git checks this file out as UTF-16 " in _encoding_advice(cli, repo.root)
    before = _entry_state(repo.root)
    assert "git checks this file out as UTF-16 " in _encoding_advice(cli, repo.root)
    assert _entry_state(repo.root) == before  # unchanged: served from the cache
    attributes.write_text(f"{prefix}/risks/*.yaml text working-tree-encoding=UTF-16LE\n")
    assert "git checks this file out as UTF-16LE " in _encoding_advice(cli, repo.root)
    if where == "GIT_DIR with core.worktree":
        # Without core.worktree git would take the current folder for the work tree;
        # aimsctl refuses to guess (no attributes read), wherever it runs from.
        repo.git("config", "--unset", "core.worktree")
        for folder in (repo.top, repo.root, tmp_path):
            monkeypatch.chdir(folder)
            assert "git checks this file out" not in _encoding_advice(cli, repo.root)
