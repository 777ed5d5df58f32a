"""The history cache (cache.HistoryCache): what committed files name, by blob id, so a
warm run reads and parses no committed file again, and its dates are the dates of a
run without it.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aimsctl.gitio
from aimsctl.cache import HistoryCache
from aimsctl.cache.entries import _digest
from aimsctl.cli import main
from aimsctl.record_dates import FileIds, RecordDates, id_keys, record_dates
from conftest import AS_OF
from gitrepo import GitRepo, one_system, risk, system

DAY = date.fromisoformat(AS_OF)


@pytest.fixture
def history(tmp_path: Path) -> GitRepo:
    """Three commits: SYS-A goes into production (a material change), SYS-B moves
    to another file and changes only its title, R-2 and R-3 are added in one file."""
    repo = GitRepo(tmp_path / "work")
    repo.write({**one_system(), "systems/SYS-B.yaml": system("SYS-B")})
    repo.commit("Start", on="2026-01-10")
    in_production = system("SYS-A").replace("stage: development", "stage: production")
    repo.write(
        {"systems/SYS-A.yaml": in_production, "risks/R-2.yaml": risk("R-2") + "---\n" + risk("R-3")}
    )
    repo.move("systems/SYS-B.yaml", "systems/moved/SYS-B.yaml")
    repo.commit("SYS-A in production, SYS-B moved", on="2026-02-10")
    moved = repo.root / "systems/moved/SYS-B.yaml"
    moved.write_text(moved.read_text().replace("title: ", "title: Renamed ", 1))
    repo.commit("Rename SYS-B", on="2026-03-10")
    return repo


WANTED = (["R-1", "R-2", "R-3", "SYS-A", "SYS-B"], ["SYS-A", "SYS-B"])


def _dates(
    root: Path, memo: HistoryCache | None, wanted: tuple[list[str], list[str]] = WANTED
) -> RecordDates | None:
    return record_dates(root, DAY, wanted[0], wanted[1], memo=memo)


def test_the_fixture_has_the_changes_it_says(history: GitRepo) -> None:
    dates = _dates(history.root, None)
    assert dates is not None
    assert dates.created == {
        "R-1": date(2026, 1, 10),
        "SYS-A": date(2026, 1, 10),
        "SYS-B": date(2026, 1, 10),
        "R-2": date(2026, 2, 10),
        "R-3": date(2026, 2, 10),
    }
    assert dates.material_change == {"SYS-A": date(2026, 2, 10)}


def test_a_warm_run_reads_no_committed_file_and_gives_the_same_dates(
    history: GitRepo, tmp_path: Path, blobs_read: list[str]
) -> None:
    cold = HistoryCache(history.root, tmp_path / "cache")
    first = _dates(history.root, cold)
    cold.save()
    assert blobs_read and cold.path is not None and cold.path.exists()
    blobs_read.clear()
    warm = _dates(history.root, HistoryCache(history.root, tmp_path / "cache"))
    assert blobs_read == []
    assert warm == first == _dates(history.root, None)


def test_a_blob_not_parsed_before_is_read_when_one_of_its_ids_is_wanted(
    history: GitRepo, tmp_path: Path, blobs_read: list[str]
) -> None:
    """A first run that wants only R-1 stores the other files unparsed; a run that
    then wants R-2 reads the file naming it, and gets the dates of a fresh run."""
    only_r1 = (["R-1"], [])
    memo = HistoryCache(history.root, tmp_path / "cache")
    _dates(history.root, memo, only_r1)
    memo.save()
    blobs_read.clear()
    again = HistoryCache(history.root, tmp_path / "cache")
    assert _dates(history.root, again) == _dates(history.root, None)
    assert blobs_read  # some files had to be parsed this time
    again.save()
    blobs_read.clear()
    assert _dates(history.root, HistoryCache(history.root, tmp_path / "cache")) is not None
    assert blobs_read == []


def _read_by_run(root: Path) -> dict[str, bytes]:
    """The record files' bytes as a validation of the working tree reads them."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*.yaml")
        if ".git" not in path.relative_to(root).parts
    }


def test_a_blob_whose_bytes_the_run_read_is_not_read_from_git_again(
    history: GitRepo, blobs_read: list[str]
) -> None:
    """A committed blob whose id is the hash of bytes the run read from the working
    tree holds those bytes: git is asked only for the versions the working tree no
    longer holds (SYS-A before production, SYS-B before its rename), and the dates
    are those of a run that reads every blob from git."""
    from_git = _dates(history.root, None)
    head = {line.split()[2] for line in history.git("ls-tree", "-r", "HEAD").splitlines()}
    blobs_read.clear()
    held = record_dates(history.root, DAY, *WANTED, known=_read_by_run(history.root))
    assert held == from_git
    assert blobs_read
    assert head.isdisjoint(blobs_read)


def test_only_the_files_of_the_blobs_asked_for_are_hashed(
    history: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the history cache warm, a new commit adds one file: its blob is the only
    one asked for, and no file is hashed for it beyond the working tree's comparison
    with HEAD, which hashes each file the run read once (hashing every file again grew
    with the repository; the new file, HEAD's own, was hashed twice)."""
    memo = HistoryCache(history.root, tmp_path / "cache")
    record_dates(history.root, DAY, *WANTED, memo=memo, known=_read_by_run(history.root))
    memo.save()
    history.write({"risks/R-4.yaml": risk("R-4")})
    history.commit("Add R-4", on="2026-04-10")
    known = _read_by_run(history.root)
    hashed = _hashes(monkeypatch)
    wanted = ([*WANTED[0], "R-4"], WANTED[1])
    warm = HistoryCache(history.root, tmp_path / "cache")
    dates = record_dates(history.root, DAY, *wanted, memo=warm, known=known)
    assert sorted(hashed) == sorted(known.values())
    assert dates == record_dates(history.root, DAY, *wanted)
    assert dates is not None and dates.created["R-4"] == date(2026, 4, 10)


def test_a_commit_that_only_adds_files_is_parsed_only_for_creation_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A system's material change is told from its fields before and after a commit;
    a commit that replaces or deletes no file (a repository's first) changes no
    system, so of the files it adds only those naming a record whose creation is
    wanted are parsed: R-1's, not SYS-A's."""
    import aimsctl.yamlsafe

    repo = GitRepo(tmp_path / "work")
    repo.write(one_system())
    repo.commit("Start", on="2026-01-10")
    parsed: list[str] = []
    real = aimsctl.yamlsafe.parse

    def counting(text: str, budget: aimsctl.yamlsafe.Budget | None = None) -> object:
        parsed.append(text)
        return real(text, budget)

    monkeypatch.setattr(aimsctl.yamlsafe, "parse", counting)
    dates = record_dates(repo.root, DAY, ["R-1"], ["SYS-A"])
    assert dates is not None
    assert dates.created == {"R-1": date(2026, 1, 10)}
    assert dates.material_change == {}
    assert parsed == [risk("R-1", likelihood=1, severity=2)]


@pytest.mark.parametrize("state", ["edited", "an-old-version", "crlf", "lfs-pointer"])
def test_the_run_s_bytes_give_the_dates_git_s_blobs_give(history: GitRepo, state: str) -> None:
    """Whatever the working tree holds, the dates taken with the bytes the run read
    are those read from git alone: an uncommitted material change, a file holding
    the bytes of an older commit's blob, line endings git converts, and a Git LFS
    pointer (whose blob is read as the content the LFS store holds, not as the
    pointer the working tree holds)."""
    from gitrepo import lfs_pointer, lfs_store

    root = history.root
    wanted = WANTED
    system_a = root / "systems/SYS-A.yaml"
    if state == "edited":
        system_a.write_text(system_a.read_text().replace("stage: production", "stage: retired"))
    elif state == "an-old-version":
        system_a.write_text(system("SYS-A"))  # as the first commit holds it
    elif state == "crlf":
        system_a.write_bytes(system_a.read_bytes().replace(b"\n", b"\r\n"))
    else:
        content = risk("R-9").encode()
        history.write({"risks/R-9.yaml": lfs_pointer(content)})
        history.commit("R-9 in Git LFS", on="2026-04-10")
        lfs_store(history.top, content)
        wanted = ([*WANTED[0], "R-9"], WANTED[1])
    from_git = record_dates(root, DAY, *wanted)
    assert from_git is not None
    assert record_dates(root, DAY, *wanted, known=_read_by_run(root)) == from_git
    if state == "lfs-pointer":
        assert from_git.created["R-9"] == date(2026, 4, 10)


@pytest.fixture
def first_commit(tmp_path: Path) -> GitRepo:
    """A repository whose only commit, HEAD, adds every file: SYS-A, R-1, R-2."""
    repo = GitRepo(tmp_path / "first")
    repo.write({**one_system(), "risks/R-2.yaml": risk("R-2")})
    repo.commit("Start", on="2026-01-10")
    return repo


def _hashes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes given to every blob hash from now on (the working tree's comparison
    with HEAD imports the function by name, the history from its module)."""
    import aimsctl.gitio.blobs
    import aimsctl.gitio.worktree

    hashed: list[bytes] = []
    real = aimsctl.gitio.blobs.blob_id

    def counting(data: bytes, algorithm: str, kind: bytes = b"blob") -> str:
        hashed.append(data)
        return real(data, algorithm, kind)

    monkeypatch.setattr(aimsctl.gitio.blobs, "blob_id", counting)
    monkeypatch.setattr(aimsctl.gitio.worktree, "blob_id", counting)
    return hashed


def test_a_first_commit_s_files_are_hashed_once(
    first_commit: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HEAD's first commit adds every file: each was hashed twice, once to compare
    the working tree with HEAD and once to tell whether the bytes the run read are
    the blob the commit adds, the same hash of the same bytes."""
    root = first_commit.root
    known = _read_by_run(root)
    hashed = _hashes(monkeypatch)
    dates = record_dates(root, DAY, ["R-1", "R-2", "SYS-A"], ["SYS-A"], known=known)
    assert dates is not None and set(dates.created.values()) == {date(2026, 1, 10)}
    assert sorted(hashed) == sorted(known.values())


@pytest.mark.parametrize(
    "state", ["clean", "id-edited", "crlf", "changed-after-read", "untracked", "lfs-pointer"]
)
def test_a_first_commit_s_dates_from_the_run_s_bytes_are_git_s(
    first_commit: GitRepo, state: str
) -> None:
    """The first commit's files taken from the bytes the run read, as the working
    tree's comparison with HEAD found them, give the dates git's blobs give: a file
    whose bytes read are not HEAD's blob (an edit, line endings git converts, a file
    changed on disk after the run read it) is hashed again or read from git."""
    from gitrepo import lfs_pointer, lfs_store

    root = first_commit.root
    wanted = (["R-1", "R-2", "R-X", "SYS-A"], ["SYS-A"])
    r1 = root / "risks/R-1.yaml"
    known = _read_by_run(root)
    if state == "id-edited":  # the file HEAD adds for R-1 now holds R-X
        r1.write_text(r1.read_text().replace("id: R-1", "id: R-X"))
        known = _read_by_run(root)
    elif state == "crlf":
        r1.write_bytes(r1.read_bytes().replace(b"\n", b"\r\n"))
        known = _read_by_run(root)
    elif state == "changed-after-read":
        r1.write_text(r1.read_text().replace("id: R-1", "id: R-X") + "# longer\n")
    elif state == "untracked":
        first_commit.write({"risks/R-X.yaml": risk("R-X")})
        known = _read_by_run(root)
    elif state == "lfs-pointer":
        repo = GitRepo(root.parent / "lfs")
        content = risk("R-X").encode()
        repo.write({**one_system(), "risks/R-X.yaml": lfs_pointer(content)})
        repo.commit("Start", on="2026-01-10")
        lfs_store(repo.top, content)
        root, known = repo.root, _read_by_run(repo.root)
    from_git = record_dates(root, DAY, *wanted)
    assert from_git is not None
    assert record_dates(root, DAY, *wanted, known=known) == from_git
    created = from_git.created
    assert created.get("R-X") == (date(2026, 1, 10) if state == "lfs-pointer" else DAY)


def test_new_commits_are_seen(history: GitRepo, tmp_path: Path) -> None:
    memo = HistoryCache(history.root, tmp_path / "cache")
    _dates(history.root, memo)
    memo.save()
    system_b = history.root / "systems/moved/SYS-B.yaml"
    system_b.write_text(system_b.read_text().replace("stage: development", "stage: production"))
    history.commit("SYS-B in production", on="2026-04-10")
    dates = _dates(history.root, HistoryCache(history.root, tmp_path / "cache"))
    assert dates is not None and dates.material_change["SYS-B"] == date(2026, 4, 10)
    assert dates == _dates(history.root, None)


@pytest.mark.parametrize(
    "item",
    [
        "not a list",
        [["R-1"]],
        [["R-1"], ["not", "a", "mapping"]],
        [[1], None],
        [["R-1"], {"R-1": 7}],
        [None, None],
    ],
    ids=["text", "short", "list-material", "number-id", "number-material", "null-ids"],
)
def test_a_malformed_item_is_a_miss(history: GitRepo, tmp_path: Path, item: object) -> None:
    memo = HistoryCache(history.root, tmp_path / "cache")
    memo.put("a" * 40, FileIds(frozenset({"R-1"})))
    memo.save()
    assert memo.path is not None
    header, _, payload = memo.path.read_bytes().partition(b"\n")
    body = json.loads(payload)
    body["a" * 40] = item
    forged = json.dumps(body, separators=(",", ":")).encode("ascii")
    # Signed as the cache signs, so only the item's shape can refuse it.
    fields = json.loads(header)
    fields["digest"] = _digest(fields["key"], forged)
    memo.path.write_bytes(
        json.dumps(fields, separators=(",", ":")).encode("ascii") + b"\n" + forged
    )
    assert HistoryCache(history.root, tmp_path / "cache").get("a" * 40) is None


def test_a_tampered_entry_is_empty(history: GitRepo, tmp_path: Path) -> None:
    memo = HistoryCache(history.root, tmp_path / "cache")
    memo.put("b" * 40, FileIds(frozenset({"R-1"}), {"R-1": "[]"}))
    memo.save()
    assert memo.path is not None
    memo.path.write_bytes(memo.path.read_bytes().replace(b"R-1", b"R-9"))
    assert HistoryCache(history.root, tmp_path / "cache").get("b" * 40) is None


# --- a cached validate is `--no-cache`'s, whatever the history does -------------------

STEPS = st.lists(
    st.sampled_from(
        [
            "material",  # SYS-A's stage changes (a material change)
            "title",  # SYS-A's title changes (not material)
            "add-risk",
            "review",  # R-1 gets a review date
            "unreview",
            "move",  # SYS-A to another file
            "commit-old",
            "commit-new",
            "reset",  # drop the newest commit, keeping its files
            "amend",  # the newest commit again, with another date
        ]
    ),
    min_size=1,
    max_size=8,
)


def _step(repo: GitRepo, step: str, serial: int) -> None:
    root = repo.root
    found = sorted(root.rglob("SYS-A.yaml"))
    system_a = found[0] if found else None
    if step in ("material", "title") and system_a is not None:
        text = system_a.read_text()
        if step == "material":
            stages = ("development", "production")
            old, new = stages if f"stage: {stages[0]}" in text else stages[::-1]
            system_a.write_text(text.replace(f"stage: {old}", f"stage: {new}"))
        else:
            system_a.write_text(text.replace("title: ", f"title: {serial} ", 1))
    elif step == "add-risk":
        (root / f"risks/R-{100 + serial}.yaml").write_text(risk(f"R-{100 + serial}"))
    elif step in ("review", "unreview"):
        path = root / "risks/R-1.yaml"
        text = path.read_text().split("reviewed:")[0]
        if step == "review":
            text += "reviewed: {on: 2026-02-01, by: auditor@example.org}\n"
        path.write_text(text)
    elif step == "move" and system_a is not None:
        target = "systems/a" if system_a.parent.name != "a" else "systems/b"
        (root / target).mkdir(exist_ok=True)
        repo.move(system_a.relative_to(root).as_posix(), f"{target}/SYS-A.yaml")
    elif step in ("commit-old", "commit-new"):
        repo.commit(
            step, on="2026-01-05" if step == "commit-old" else f"2026-{3 + serial % 8:02d}-01"
        )
    elif step == "reset" and repo.git("rev-list", "--count", "HEAD").strip() != "1":
        repo.git("reset", "-q", "--soft", "HEAD~1")
    elif step == "amend":
        stamp = f"2026-{2 + serial % 9:02d}-15T12:00:00+00:00"
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        repo.git("add", "-A")
        repo.git("commit", "-q", "--amend", "--allow-empty", "-m", "amended", env=env)


@pytest.mark.slow
def test_cached_validate_equals_no_cache_as_the_history_changes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(STEPS)
    def sequence(steps: list[str]) -> None:
        top = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
        repo = GitRepo(top / "work")
        repo.write(one_system(likelihood=4, severity=4))  # high tier: reviews every 180 days
        repo.commit("Start", on="2026-01-10")
        for serial, step in enumerate(steps):
            _step(repo, step, serial)
            assert _validate(repo.root) == _validate(repo.root, "--no-cache"), steps[: serial + 1]

    sequence()


def _validate(root: Path, *extra: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(root), "--format", "json", "--as-of", AS_OF, *extra])
    return code, out.getvalue() + err.getvalue()


def test_a_one_file_edit_in_a_git_repository_reads_no_committed_file(
    history: GitRepo, blobs_read: list[str]
) -> None:
    """validate end to end: after a first run, an edit of one file misses the
    whole-repository entry, and the dates come without reading git's blobs."""
    _validate(history.root)
    risk_file = history.root / "risks/R-1.yaml"
    risk_file.write_text(risk_file.read_text().replace("title: ", "title: Edited ", 1))
    blobs_read.clear()
    cached = _validate(history.root)
    assert blobs_read == []
    assert cached == _validate(history.root, "--no-cache")


def _staged(repo: GitRepo) -> tuple[dict[str, bytes], dict[str, str]]:
    """Git's index as `validate --staged` reads it: the files' bytes and the blob id
    the index names for each, by path."""
    ids: dict[str, str] = {}
    files, _paths = aimsctl.gitio.read_index(repo.root, (".yaml", ".yml", ".csv"), ids=ids)
    return files, ids


@pytest.mark.parametrize(
    "state",
    [
        "clean",
        "staged-edit",
        "staged-new",
        "staged-deletion",
        "intent-to-add",
        "crlf",
        "lfs-pointer",
        "lfs-not-fetched",
    ],
)
def test_the_index_s_bytes_give_the_dates_git_s_blobs_give(history: GitRepo, state: str) -> None:
    """The files of git's index taken for the blobs the index names (`validate
    --staged`), not read from git again, give the dates git's blobs give: a staged
    material change, a new record, a deletion, a file only intended to be added (a
    commit leaves it out), line endings the index holds as they are, and a Git LFS
    pointer, read as the content the LFS store holds or, not there, left to git."""
    from gitrepo import lfs_pointer, lfs_store

    root = history.root
    wanted = ([*WANTED[0], "R-X"], WANTED[1])
    system_a = root / "systems/SYS-A.yaml"
    if state == "staged-edit":
        system_a.write_text(system_a.read_text().replace("stage: production", "stage: retired"))
    elif state in ("staged-new", "intent-to-add"):
        history.write({"risks/R-X.yaml": risk("R-X")})
    elif state == "staged-deletion":
        history.git("rm", "-q", "risks/R-2.yaml")
    elif state == "crlf":
        system_a.write_bytes(system_a.read_bytes().replace(b"\n", b"\r\n"))
    elif state.startswith("lfs"):
        content = risk("R-X").encode()
        history.write({"risks/R-X.yaml": lfs_pointer(content)})
        history.commit("R-X in Git LFS", on="2026-04-10")
        if state == "lfs-pointer":
            lfs_store(history.top, content)
    history.git("add", "-N" if state == "intent-to-add" else "-A")
    files, ids = _staged(history)
    from_git = record_dates(root, DAY, *wanted, tree=files)
    assert from_git is not None
    assert record_dates(root, DAY, *wanted, tree=files, tree_ids=ids) == from_git
    if state == "staged-edit":
        assert from_git.material_change["SYS-A"] == DAY
    if state == "lfs-pointer":
        assert from_git.created["R-X"] == date(2026, 4, 10)
    assert from_git.lfs_unfetched is (state == "lfs-not-fetched")


def test_validate_staged_reads_no_blob_the_index_holds_from_git_again(
    history: GitRepo, blobs_read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate --staged` read the index's files; where a commit of the history adds
    the very blob the index names at that path (a repository's first commit adds
    every file), the history took it from git again with `git cat-file`, and the
    comparison with HEAD hashed every file the index names the blob of. Only what
    the index no longer holds is read: here SYS-A's and SYS-B's older versions, to
    tell a material change."""
    import aimsctl.gitio.history

    root = history.root
    risk_file = root / "risks/R-1.yaml"
    risk_file.write_text(risk_file.read_text().replace("title: ", "title: Edited ", 1))
    history.git("add", "-A")
    held = set(_staged(history)[1].values())
    hashed = _hashes(monkeypatch)
    # the comparison with HEAD hashes with the name it imported: counted too
    monkeypatch.setattr(aimsctl.gitio.history, "blob_id", aimsctl.gitio.blobs.blob_id)
    code, out = _validate(root, "--staged", "--no-cache")
    assert blobs_read and held.isdisjoint(blobs_read)
    assert hashed == []
    blobs_read.clear()
    from_git = _validate_reading_git(root)
    assert blobs_read and not held.isdisjoint(blobs_read)  # the old way, for comparison
    assert (code, out) == from_git


def _validate_reading_git(root: Path) -> tuple[int, str]:
    """`validate --staged --no-cache` with every blob of the history read from git, as
    before the index's blob ids were handed over."""
    real = aimsctl.gitio.read_index

    def without_ids(*args: Any) -> tuple[dict[str, bytes], frozenset[str]]:
        return real(*args[:5])  # the ids it was to fill stay empty: none is known

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aimsctl.gitio, "read_index", without_ids)
        return _validate(root, "--staged", "--no-cache")


# --- the walk over the commits, kept while HEAD stays ------------------------------


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every walk over the commits (`git log`) the history makes."""
    made: list[str] = []
    real = aimsctl.gitio.CommitLog.commits

    def counting(self: aimsctl.gitio.CommitLog) -> Any:
        made.append(self.start)
        return real(self)

    monkeypatch.setattr(aimsctl.gitio.CommitLog, "commits", counting)
    return made


def test_a_run_at_the_same_head_takes_the_walk_kept(
    history: GitRepo, tmp_path: Path, walks: list[str], blobs_read: list[str]
) -> None:
    first = HistoryCache(history.root, tmp_path / "cache")
    cold = _dates(history.root, first)
    first.save()
    assert walks == ["HEAD"]
    walks.clear()
    blobs_read.clear()
    (history.root / "risks/R-9.yaml").write_text(risk("R-9"))  # not committed
    wanted = (["R-1", "R-2", "R-3", "SYS-A", "SYS-B", "R-9"], ["SYS-A", "SYS-B"])
    other = HistoryCache(history.root, tmp_path / "cache")
    assert _dates(history.root, other, wanted) == _dates(history.root, None, wanted)
    assert walks == ["HEAD", "HEAD"]  # other ids asked: a miss (and the cold run's walk)
    other.save()
    walks.clear()
    blobs_read.clear()
    warm = _dates(history.root, HistoryCache(history.root, tmp_path / "cache"), wanted)
    assert walks == [] and blobs_read == []
    assert warm is not None and warm == _dates(history.root, None, wanted)
    assert warm.created["R-9"] == DAY and cold is not None


def test_a_kept_walk_keeps_the_blobs_too(history: GitRepo, tmp_path: Path) -> None:
    """A run that takes the walk asks no blob: the entry is not rewritten without them."""
    first = HistoryCache(history.root, tmp_path / "cache")
    _dates(history.root, first)
    first.save()
    assert first.path is not None
    written = first.path.read_bytes()
    warm = HistoryCache(history.root, tmp_path / "cache")
    _dates(history.root, warm)
    warm.save()
    assert first.path.read_bytes() == written
    assert len(json.loads(written.partition(b"\n")[2])) > 1  # the blobs and the walk


def test_a_walk_is_not_kept_when_git_s_state_moves_meanwhile(
    history: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, walks: list[str]
) -> None:
    real = aimsctl.gitio.CommitLog.commits

    def committing(self: aimsctl.gitio.CommitLog) -> Any:
        found = list(real(self))
        (history.root / "risks/R-7.yaml").write_text(risk("R-7"))
        history.commit("While the walk ran", on="2026-04-01")
        return iter(found)

    memo = HistoryCache(history.root, tmp_path / "cache")
    monkeypatch.setattr(aimsctl.gitio.CommitLog, "commits", committing)
    _dates(history.root, memo)
    monkeypatch.setattr(aimsctl.gitio.CommitLog, "commits", real)
    memo.save()
    again = HistoryCache(history.root, tmp_path / "cache")
    assert again.committed("anything") is None
    assert again.path is not None and b'"dates"' not in again.path.read_bytes()


@pytest.mark.parametrize(
    "item",
    [
        "text",
        {"created": [["R-1", "2026-01-10"]]},
        {
            "created": [["R-1", "not a date"]],
            "unknown": [],
            "material_change": [],
            "shallow_from": None,
            "submodule_gaps": [],
            "held_at_gap": [],
        },
        {
            "created": [],
            "unknown": [3],
            "material_change": [],
            "shallow_from": None,
            "submodule_gaps": [],
            "held_at_gap": [],
        },
        {
            "created": [],
            "unknown": [],
            "material_change": [],
            "shallow_from": None,
            "submodule_gaps": [["sub", ["2026-01-10", None, "yes"]]],
            "held_at_gap": [],
        },
    ],
    ids=["text", "short", "bad-date", "number-id", "bad-stop"],
)
def test_a_malformed_walk_is_a_miss(
    history: GitRepo, tmp_path: Path, item: object, walks: list[str]
) -> None:
    memo = HistoryCache(history.root, tmp_path / "cache")
    _dates(history.root, memo)
    memo.save()
    assert memo.path is not None
    header, _, payload = memo.path.read_bytes().partition(b"\n")
    body = json.loads(payload)
    body["dates"][2] = item
    forged = json.dumps(body, separators=(",", ":")).encode("ascii")
    fields = json.loads(header)  # signed as the cache signs: only the shape refuses it
    fields["digest"] = _digest(fields["key"], forged)
    memo.path.write_bytes(
        json.dumps(fields, separators=(",", ":")).encode("ascii") + b"\n" + forged
    )
    walks.clear()
    assert _dates(history.root, HistoryCache(history.root, tmp_path / "cache")) == _dates(
        history.root, None
    )
    assert walks == ["HEAD", "HEAD"]


DATE_STEPS = st.lists(
    st.sampled_from(
        [
            "material",
            "title",
            "add-risk",
            "review",
            "unreview",
            "move",
            "commit-old",
            "commit-new",
            "reset",
            "amend",
            "delete",  # a record file deleted
            "id-move",  # SYS-B's record into SYS-A's file (two documents), its own file gone
            "as-of",  # the next run asks as of another day
        ]
    ),
    min_size=1,
    max_size=10,
)
AS_OF_DAYS = (DAY, date(2026, 2, 20), date(2026, 1, 10), date(2025, 12, 1))


def _delete_or_move(repo: GitRepo, step: str) -> None:
    root = repo.root
    if step == "delete":
        found = [p for p in sorted(root.rglob("*.yaml")) if p.name not in ("R-1.yaml", "aims.yaml")]
        if found and found[-1].name != "SYS-A.yaml":  # the steps above edit these two
            found[-1].unlink()
        return
    system_a, system_b = sorted(root.rglob("SYS-A.yaml")), sorted(root.rglob("SYS-B.yaml"))
    if system_a and system_b:
        text = system_b[0].read_text()
        system_b[0].unlink()
        system_a[0].write_text(system_a[0].read_text() + "---\n" + text)


@pytest.mark.slow
def test_cached_dates_equal_a_cold_run_s_as_the_history_changes(
    tmp_path_factory: pytest.TempPathFactory, walks: list[str]
) -> None:
    """Edits, deletes, moves of an id between files, commits, resets and amends, and
    other as-of days between runs: the dates through the history cache (the walk
    kept, or made again) are those of a run without it, every time."""

    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(DATE_STEPS)
    def sequence(steps: list[str]) -> None:
        top = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
        repo = GitRepo(top / "work")
        repo.write({**one_system(likelihood=4, severity=4), "systems/SYS-B.yaml": system("SYS-B")})
        repo.commit("Start", on="2026-01-10")
        day = DAY
        for serial, step in enumerate(steps):
            if step == "as-of":
                day = AS_OF_DAYS[serial % len(AS_OF_DAYS)]
            elif step in ("delete", "id-move"):
                _delete_or_move(repo, step)
            else:
                _step(repo, step, serial)
            read = _read_by_run(repo.root)
            ids = sorted({i for raw in read.values() for i in id_keys(raw)})
            systems = [i for i in ids if i.startswith("SYS-")]
            for again in (False, True):  # the walk made (or kept before) and kept, then taken
                memo = HistoryCache(repo.root, top / "cache")
                made = len(walks)
                cached = record_dates(repo.root, day, ids, systems, read, memo)
                assert not again or len(walks) == made  # taken, not made again
                memo.save()
                cold = record_dates(repo.root, day, ids, systems, read)
                assert cached == cold, steps[: serial + 1]

    sequence()
