"""Hostile Git LFS pointers: a committed file is read as the LFS object it names only
when the whole file is a pointer, as Git LFS itself reads it."""

from __future__ import annotations

import hashlib
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
