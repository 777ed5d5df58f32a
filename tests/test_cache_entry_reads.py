"""Reading a cache entry takes exactly its bytes, read in one request sized to the
file; an entry that grew since it was opened is a miss (one that shrank is read as it
is now, and its digest decides, as before)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aimsctl.cache import storage


def _entry(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    path = folder / ("validate-" + "0" * 32 + ".json")
    path.write_bytes(data)
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65537, 3 * 1024 * 1024 + 7])
def test_an_entry_is_read_whole(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert storage.read_entry(_entry(tmp_path, data)) == data


@pytest.mark.parametrize("change", [-1, 1])
def test_an_entry_that_grew_since_it_was_opened_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: int
) -> None:
    path = _entry(tmp_path, b"{}\n" * 1000)
    real_fstat = os.fstat

    def resized(fd: int) -> os.stat_result:
        """The entry's size as it was when opened: one byte more or less than now."""
        info = real_fstat(fd)
        fields = list(info)
        fields[6] = info.st_size + change  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(storage.os, "fstat", resized)
    # -1: the file holds a byte more than its size said (it grew): not the entry opened.
    assert storage.read_entry(path) == (None if change < 0 else b"{}\n" * 1000)
