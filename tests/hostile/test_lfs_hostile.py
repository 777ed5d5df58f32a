"""Hostile Git LFS pointers: a committed file is read as the LFS object it names only
when the whole file is a pointer, as Git LFS itself reads it."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import AS_OF, CliResult
from gitrepo import GitRepo, lfs_pointer, lfs_store, one_system, risk

Cli = Callable[..., CliResult]


def test_a_pointer_with_lines_after_it_is_read_as_the_text_it_is(tmp_path: Path, cli: Cli) -> None:
    """A blob holding a pointer followed by more lines is no pointer to Git LFS, whose
    checkout holds that text as it is (here: no record). At a revision aimsctl read
    the LFS object its first lines name instead, and `report --at` rendered a record
    titled 'Smuggled' that no checkout of the commit holds."""
    repo = GitRepo(tmp_path / "work")
    repo.write(one_system())
    repo.commit("Start")
    hidden = risk("R-1").replace("title: ", "title: Smuggled ", 1).encode()
    lfs_store(repo.top, hidden)
    repo.write({"risks/R-1.yaml": lfs_pointer(hidden) + "extra: line\n"})
    smuggled = repo.commit("A pointer with a line after it")
    repo.write({"risks/R-1.yaml": risk("R-1")})
    repo.commit("Back to the record")
    out = tmp_path / "out"
    args = ("report", "risks", repo.root, "--at", smuggled, "--as-of", AS_OF, "--out", out)
    done = cli(*args, "--format", "md")
    assert done.exit_code == 1  # invalid records: nothing rendered
    assert "risks/R-1.yaml" in done.stderr and "AIMS001" in done.stderr
    assert not out.exists()
    forced = cli(*args, "--format", "md", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "Smuggled" not in (out / "risks.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("{version}{oid}{size}", True),
        ("{version}{oid}{size}\n\n", True),  # Git LFS trims white space at the end
        ("{version}ext-0-foo sha256:" + "0" * 64 + "\n{oid}{size}", True),  # an extension
        ("{version}{oid}{size}extra: line\n", False),
        ("{version}title: x\n{oid}{size}", False),
        ("{version}{oid}{size}# a comment\n", False),
    ],
)
def test_only_a_whole_pointer_is_a_pointer(text: str, pointer: bool) -> None:
    from aimsctl.fileio import lfs_pointer as parsed

    content = b"kind: Risk\n"
    data = text.format(
        version="version https://git-lfs.github.com/spec/v1\n",
        oid=f"oid sha256:{hashlib.sha256(content).hexdigest()}\n",
        size=f"size {len(content)}\n",
    ).encode()
    assert (parsed(data) is not None) is pointer


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_the_lfs_store_is_not_read(tmp_path: Path, cli: Cli) -> None:
    """The object a pointer names is read only from a regular file of the store. A
    named pipe there was opened and read: with nobody writing to it every run that
    read the history hung (validate too), and what another program fed it was read
    as the object. Here the pipe holds bytes already (so the old way did not hang
    but took them); now it is never read, and the object counts as not fetched, as
    an absent one does."""
    repo = GitRepo(tmp_path / "work")
    repo.write(one_system())
    repo.commit("Start")
    content = risk("R-1").encode()
    repo.write({"risks/R-1.yaml": lfs_pointer(content)})
    piped = repo.commit("R-1 in Git LFS")
    repo.write({"risks/R-1.yaml": risk("R-1")})
    repo.commit("R-1 back as a file")
    oid = hashlib.sha256(content).hexdigest()
    fifo = repo.top / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    held = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer: opening it never waits
    fed = b"x" * 32768  # within a pipe's buffer
    try:
        os.write(held, fed)
        out = tmp_path / "out"
        done = cli("report", "risks", repo.root, "--at", piped, "--as-of", AS_OF, "--out", out)
        left = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(held, 65536):
                left += chunk
    finally:
        os.close(held)
    assert left == fed
    assert done.exit_code == 1
    assert "risks/R-1.yaml:1:1: error AIMS003 the file is a Git LFS pointer" in done.stderr
    assert not out.exists()
