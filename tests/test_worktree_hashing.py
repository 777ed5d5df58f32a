"""The working tree compared with HEAD by hashing, and parses taken from the per-file
cache: the fast paths give what the plain rules say, file by file."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from aimsctl.cache.file_cache import _parsed, _parsed_data
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.gitio import open_repo
from aimsctl.gitio.blobs import blob_id
from aimsctl.gitio.worktree import work_tree_of
from aimsctl.loader import ParsedFile
from gitrepo import GitRepo, git


def _git_object_id(data: bytes, algorithm: str) -> str:
    """The id git gives a blob, written out from git's definition (the header, then
    the bytes), not through aimsctl."""
    digest = hashlib.new(algorithm)
    digest.update(b"blob " + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


@pytest.mark.parametrize(
    "data",
    [b"", b"id: R-1\n", b"id: R-1\r\ntitle: \xc3\xa9\r\n", bytes(range(256)) * 300],
    # Named: an id holding 76,800 bytes goes into PYTEST_CURRENT_TEST, which made
    # the environment too large for git to start (E2BIG) under the lowest pytest.
    ids=["empty", "lf", "crlf", "every-byte"],
)
def test_blob_id_is_the_id_git_gives(data: bytes, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(data)
    assert blob_id(data, "sha1") == git(tmp_path, "hash-object", "f").strip()
    assert blob_id(data, "sha1") == _git_object_id(data, "sha1")
    assert blob_id(data, "sha256") == _git_object_id(data, "sha256")
    # Another kind of object, and a hash git does not name objects with, still hash.
    assert (
        blob_id(data, "sha1", b"tree") == hashlib.sha1(b"tree %d\0" % len(data) + data).hexdigest()
    )
    assert blob_id(data, "sha512") == _git_object_id(data, "sha512")


# How a file may stand on disk after its commit, and what the run may have read of it.
_DISK = ("as committed", "same size", "other size", "deleted", "link", "folder", "crlf")
_READ = ("nothing", "as on disk", "as committed", "stale same size", "stale other size")


def _content(n: int, variant: str) -> bytes:
    return f"id: R-{n}\ntitle: {variant}\n".encode()


@pytest.mark.parametrize("seed", range(6))
def test_each_file_is_compared_as_the_plain_rule_says(tmp_path: Path, seed: int) -> None:
    """A file is as HEAD holds it when the bytes the run read are HEAD's blob and the
    file on disk is still a regular file of their size; else (no bytes read, or of
    another size) when the file on disk is the blob, or is after git's CRLF
    conversion. Only the files of the first kind count as matched by the run's
    bytes. Random states of 30 files, checked file by file."""
    chance = random.Random(seed)
    repo = GitRepo(tmp_path / "work")
    committed = {f"risks/R-{n}.yaml": _content(n, "aaaa") for n in range(30)}
    for rel, raw in committed.items():
        (repo.root / "risks").mkdir(exist_ok=True)
        (repo.root / rel).write_bytes(raw)
    repo.commit("records")
    known: dict[str, bytes] = {}
    expected_same: dict[str, bool] = {}
    expected_unmatched: set[str] = set()
    for n, (rel, raw) in enumerate(committed.items()):
        path = repo.root / rel
        disk_state, read = chance.choice(_DISK), chance.choice(_READ)
        on_disk: bytes | None = raw
        if disk_state == "same size":
            on_disk = _content(n, "bbbb")
        elif disk_state == "other size":
            on_disk = _content(n, "bbbbbbbb")
        elif disk_state == "crlf":
            on_disk = raw.replace(b"\n", b"\r\n")
        if disk_state in ("deleted", "link", "folder"):
            path.unlink()
            on_disk = None
            if disk_state == "link":
                os.symlink(f"R-{(n + 1) % 30}.yaml", path)
            elif disk_state == "folder":
                path.mkdir()
        elif on_disk != raw:
            path.write_bytes(on_disk)
        if read == "as on disk" and on_disk is not None:
            known[rel] = on_disk
        elif read == "as committed":
            known[rel] = raw
        elif read == "stale same size":
            known[rel] = _content(n, "cccc")
        elif read == "stale other size":
            known[rel] = _content(n, "cc")
        oid = _git_object_id(raw, "sha1")
        held = known.get(rel)
        if on_disk is None:
            same, matched = False, False
        elif held is not None and len(held) == len(on_disk):
            matched = _git_object_id(held, "sha1") == oid
            converted = b"\r\n" in on_disk and on_disk.replace(b"\r\n", b"\n") == raw
            same = matched or converted
        else:
            matched = False
            same = on_disk == raw or (b"\r\n" in on_disk and on_disk.replace(b"\r\n", b"\n") == raw)
        expected_same[rel] = same
        if not matched:
            expected_unmatched.add(rel)
    with open_repo(repo.root) as opened:
        disk = work_tree_of(opened, "", known)
        found = {
            rel: disk.same(rel, "100644", _git_object_id(raw, "sha1"))
            for rel, raw in committed.items()
        }
        assert found == expected_same
        assert disk.unmatched == expected_unmatched


def test_a_file_the_run_read_behind_a_linked_folder_is_not_as_committed(tmp_path: Path) -> None:
    """The bytes the run read of a file whose folder became a symbolic link stand for
    nothing git holds: git sees a link where HEAD has a folder."""
    repo = GitRepo(tmp_path / "work")
    raw = _content(1, "aaaa")
    (repo.root / "risks").mkdir()
    (repo.root / "risks/R-1.yaml").write_bytes(raw)
    repo.commit("records")
    (repo.root / "risks").rename(repo.root / "elsewhere")
    os.symlink("elsewhere", repo.root / "risks")
    with open_repo(repo.root) as opened:
        disk = work_tree_of(opened, "", {"risks/R-1.yaml": raw})
        assert disk.same("risks/R-1.yaml", "100644", _git_object_id(raw, "sha1")) is False
        assert disk.unmatched == {"risks/R-1.yaml"}


def _diagnostic() -> Diagnostic:
    return Diagnostic(
        code="AIMS001",
        severity=Severity.ERROR,
        message="bad",
        path="risks/R-1.yaml",
        line=2,
        column=3,
        record=None,
    )


@pytest.mark.parametrize("diagnostics", [[], [_diagnostic()]])
def test_a_parse_comes_back_from_its_item_as_it_went_in(diagnostics: list[Diagnostic]) -> None:
    parse = ParsedFile(1, [(0, {"id": "R-1", "kind": "Risk"}, 1, 1)], diagnostics, 7)
    assert _parsed(_parsed_data(parse)) == parse


@pytest.mark.parametrize(
    "item",
    [
        [1, 7, [[0, {"id": "R-1"}, 1, 1]], {}],  # diagnostics not a list
        [1, 7, [[0, {"id": "R-1"}, 1, 1]], 0],
        [1, 7, [[0, {"id": "R-1"}, 1, 1]], [{}]],  # a diagnostic without its fields
        [1, 7, [[0, {"id": "R-1"}, "1", 1]], []],  # a line that is not a number
        [1, 7, [[0, {"id": "R-1"}, 1, True]], []],
        [1, 7, [[0.0, {"id": "R-1"}, 1, 1]], []],
        [1, 7, [[0, None, 1, 1]], []],  # no data
        [1, 7, [[0, {"id": "R-1"}, 1]], []],  # a field short
        [1, 7, [(0, {"id": "R-1"}, 1, 1)], []],  # not as JSON gives it
        [1, 7, {}, []],
        [1, -1, [], []],
        [1, 7, []],
    ],
)
def test_a_malformed_item_gives_no_parse(item: object) -> None:
    assert _parsed(item) is None
