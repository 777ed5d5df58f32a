"""Atomic writes: whole files only, ordinary permissions, nothing left behind."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl.fileio import (
    READ_ONLY,
    NotAllWritten,
    create_exclusive,
    make_folders,
    remove_folders,
    write_all,
    write_atomic,
)
from conftest import full_disk_at


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.txt", "hello")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").read_text() == "hello"
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640


def test_replacing_keeps_the_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "b.txt"
    target.write_text("old")
    target.chmod(0o604)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o604


def _owned_by_others(path: Path) -> tuple[int, int]:
    """Give ``path`` another owner and group; skips where this user may not (only the
    superuser may give a file away)."""
    others = (os.geteuid() + 4321, os.getegid() + 4321)
    try:
        os.chown(path, *others)
    except (PermissionError, AttributeError):
        pytest.skip("this user cannot give a file another owner")
    return others


def test_replacing_keeps_the_owner_and_group(tmp_path: Path) -> None:
    """The replacement was the writer's (`sudo aimsctl fmt` left root's records; a
    group member's edit moved a record to their own group, its group read lost)."""
    target = tmp_path / "b.txt"
    target.write_text("old")
    target.chmod(0o2640)
    owner = _owned_by_others(target)
    write_atomic(target, b"new")
    info = target.stat()
    assert (info.st_uid, info.st_gid) == owner
    assert info.st_mode & 0o7777 == 0o2640  # the set-group bit too, which a chown clears
    sets = tmp_path / "set"
    sets.mkdir()
    (sets / "a").write_text("old")
    (sets / "b").write_text("old")
    owner = _owned_by_others(sets / "a")
    write_all({sets / "a": "new", sets / "b": "new"})
    assert ((sets / "a").stat().st_uid, (sets / "a").stat().st_gid) == owner
    assert (sets / "b").stat().st_uid == os.geteuid()


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "c.txt"
    target.write_text("old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


@pytest.mark.parametrize("write", [write_atomic, create_exclusive])
def test_a_failed_write_removes_the_folders_it_made_and_only_those(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path, str], None]
) -> None:
    # `report soa --out new/sub` on a full disk left new/ and new/sub/ behind, empty.
    (tmp_path / "kept").mkdir()
    full_disk_at(1, monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        write(tmp_path / "kept" / "new" / "sub" / "x.html", "text")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["kept"]


def test_a_folder_made_is_kept_once_it_holds_another_file(tmp_path: Path) -> None:
    made = make_folders(tmp_path / "a" / "b")
    assert made == [tmp_path / "a", tmp_path / "a" / "b"]
    (tmp_path / "a" / "someone-else.txt").write_text("x")
    remove_folders(made)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "someone-else.txt"]
    assert make_folders(tmp_path / "a") == []


def test_write_all_writes_every_file(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text("old")
    old.chmod(0o604)
    write_all({old: "1", tmp_path / "new" / "b.json": b"2"})
    assert old.read_text() == "1" and old.stat().st_mode & 0o777 == 0o604
    assert (tmp_path / "new" / "b.json").read_text() == "2"


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_write_all_on_a_full_disk_writes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    # schema --out wrote the files before the one that did not fit, and said only
    # which one that was: a set of schemas half new, half old.
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("old")
    files = {out / "a.json": "1", out / "sub" / "b.json": "2", out / "c.json": "3"}
    full_disk_at(failing, monkeypatch)
    with pytest.raises(NotAllWritten) as raised:
        write_all(files)
    failed = list(files)[failing - 1]
    assert raised.value.filename == str(failed) and raised.value.written == ()
    assert raised.value.describe() == (
        f"cannot write {failed}: No space left on device; nothing was written"
    )
    assert sorted(p.name for p in out.rglob("*")) == ["a.json"]  # no sub/, no .tmp
    assert (out / "a.json").read_text() == "old"


def test_write_all_refuses_a_read_only_file_before_writing_any(tmp_path: Path) -> None:
    locked = tmp_path / "b.json"
    locked.write_text("old")
    locked.chmod(0o444)
    with pytest.raises(NotAllWritten) as raised:
        write_all({tmp_path / "a.json": "1", locked: "2"})
    assert raised.value.describe() == f"cannot write {locked}: {READ_ONLY}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]


def test_write_all_names_what_a_rename_refused_part_way_left_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {tmp_path / name: name for name in ("a", "b", "c")}
    original = os.replace

    def refuse_b(source: str, target: str) -> None:
        if Path(target).name == "b":
            raise OSError(errno.EBUSY, "Device or resource busy")
        original(source, target)

    monkeypatch.setattr(os, "replace", refuse_b)
    with pytest.raises(NotAllWritten) as raised:
        write_all(files)
    assert raised.value.written == (tmp_path / "a",)
    assert raised.value.describe() == (
        f"cannot write {tmp_path / 'b'}: Device or resource busy; written before it: "
        f"{tmp_path / 'a'} (the others were not)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
