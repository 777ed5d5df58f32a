"""The commands that open the working tree (`status`, `due`, `risk score` and the
others using cli.common.open_repository) read validate's per-file and history
caches and write none: right after a `validate` they parse no
file and read no committed file again, and what they print is byte for byte what
they print without a cache."""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from pathlib import Path

import pytest

from aimsctl.cache import FileCache, HistoryCache
from aimsctl.cli import main
from conftest import AS_OF
from gitrepo import GitRepo, one_system, risk, system

COMMANDS = [
    ["status"],
    ["status", "--format", "json"],
    ["due", "--format", "json", "--within", "3650"],
    ["risk", "score", "--format", "json"],
]


@pytest.fixture
def history(tmp_path: Path) -> GitRepo:
    """Records never reviewed, whose dates come from git: SYS-A goes into production
    (a material change), SYS-B is renamed, risks are added; and a working tree edited
    since the last commit."""
    repo = GitRepo(tmp_path / "work")
    repo.write({**one_system(), "systems/SYS-B.yaml": system("SYS-B")})
    repo.commit("Start", on="2026-01-10")
    in_production = system("SYS-A").replace("stage: development", "stage: production")
    repo.write(
        {"systems/SYS-A.yaml": in_production, "risks/R-2.yaml": risk("R-2") + "---\n" + risk("R-3")}
    )
    repo.commit("SYS-A in production", on="2026-02-10")
    renamed = repo.root / "systems/SYS-B.yaml"
    renamed.write_text(renamed.read_text().replace("title: ", "title: Renamed ", 1))
    repo.commit("Rename SYS-B", on="2026-03-10")
    repo.write({"risks/R-4.yaml": risk("R-4")})
    return repo


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, str(root), "--as-of", AS_OF])
    return code, out.getvalue(), err.getvalue()


def _without_cache(
    root: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """The command's answer with no usable cache folder (one inside the repository)."""
    with monkeypatch.context() as patched:
        patched.setenv("AIMSCTL_CACHE_DIR", str(root / "cache-inside"))
        assert FileCache(root).path is None
        answer = _run(root, *args)
    assert not (root / "cache-inside").exists()
    return answer


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_after_a_validate_nothing_is_parsed_or_read_again_and_the_answer_is_the_same(
    history: GitRepo,
    args: list[str],
    parsed: Counter[str],
    blobs_read: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = history.root
    cold = _without_cache(root, args, monkeypatch)
    assert parsed and cold[0] in (0, 1)
    if args[0] != "risk":  # risk score asks no date of git
        assert blobs_read
    assert _run(root, "validate")[0] in (0, 1)
    parsed.clear()
    blobs_read.clear()
    assert _run(root, *args) == cold
    assert parsed == Counter()
    assert blobs_read == []


@pytest.mark.parametrize(
    "args",
    [["status"], ["due"], ["risk", "score"], ["risk", "matrix"], ["controls"]],
    ids=" ".join,
)
def test_a_command_reads_the_caches_and_writes_none(
    history: GitRepo, args: list[str], parsed: Counter[str]
) -> None:
    root = history.root
    cold = _run(root, *args)
    for path in (FileCache(root).path, HistoryCache(root).path):
        assert path is not None and not path.exists()
    assert _run(root, "validate")[0] in (0, 1)
    parsed.clear()
    assert _run(root, *args) == cold
    assert parsed == Counter()


def test_after_an_edit_only_the_edited_file_is_parsed_and_the_answer_is_fresh(
    history: GitRepo, parsed: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = history.root
    assert _run(root, "validate")[0] in (0, 1)
    edited = root / "risks/R-4.yaml"
    edited.write_text(edited.read_text().replace("title: ", "title: Edited ", 1))
    parsed.clear()
    warm = _run(root, "status", "--format", "json")
    assert set(parsed) == {"risks/R-4.yaml"}
    assert warm == _without_cache(root, ["status", "--format", "json"], monkeypatch)


def test_a_damaged_entry_is_a_miss_and_the_answer_is_the_same(
    history: GitRepo, parsed: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = history.root
    assert _run(root, "validate")[0] in (0, 1)
    for path in (FileCache(root).path, HistoryCache(root).path):
        assert path is not None and path.is_file()
        data = bytearray(path.read_bytes())
        data[-2] ^= 0x01
        path.write_bytes(bytes(data))
    parsed.clear()
    damaged = _run(root, "due", "--format", "json", "--within", "3650")
    assert parsed  # parsed afresh
    assert damaged == _without_cache(
        root, ["due", "--format", "json", "--within", "3650"], monkeypatch
    )


def test_a_report_after_a_validate_reads_no_committed_file_again(
    history: GitRepo, blobs_read: list[str], tmp_path: Path
) -> None:
    """`report` reads the history cache too (and the per-file cache, tested with the
    reports): after a validate it reads no blob for the records' dates, and renders
    what it renders with --no-cache."""
    root = history.root
    args = ("report", "all", "-f", "md", "--force")
    assert _run(root, "validate")[0] in (0, 1)
    blobs_read.clear()
    cached = _run(root, *args, "-o", str(tmp_path / "cached"))
    assert blobs_read == []
    fresh = _run(root, *args, "-o", str(tmp_path / "fresh"), "--no-cache")
    assert blobs_read
    assert cached[0] == fresh[0] == 0
    names = sorted(p.name for p in (tmp_path / "cached").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "fresh").iterdir())
    for name in names:
        assert (tmp_path / "cached" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
