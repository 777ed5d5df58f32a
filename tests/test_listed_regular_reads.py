"""Reading a file the listing found regular (``read_bytes``'s ``listed_regular``, which
the cache key's scan gives, sparing an ``lstat`` per file) answers exactly as reading
it without that hint, whatever is at the path by the time it is read: a link swapped
in is still refused or followed as before, a pipe is never waited on."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aimsctl.cache import KeyedTree
from aimsctl.loader import WorkingTree, read_bytes


def _regular(root: Path) -> None:
    (root / "r.yaml").write_text("kind: Risk\n")


def _link_outside(root: Path) -> None:
    outside = root.parent / "outside.yaml"
    outside.write_text("kind: Risk\n")
    (root / "r.yaml").symlink_to(outside)


def _link_inside(root: Path) -> None:
    (root / "target.yaml").write_text("kind: Risk\n")
    (root / "r.yaml").symlink_to("target.yaml")


def _dangling(root: Path) -> None:
    (root / "r.yaml").symlink_to("missing.yaml")


def _loop(root: Path) -> None:
    (root / "r.yaml").symlink_to("r.yaml")


def _folder(root: Path) -> None:
    (root / "r.yaml").mkdir()


def _missing(root: Path) -> None:
    pass


def _pipe(root: Path) -> None:
    os.mkfifo(root / "r.yaml")


def _unreadable(root: Path) -> None:
    (root / "r.yaml").write_text("kind: Risk\n")
    (root / "r.yaml").chmod(0)


CASES: dict[str, Callable[[Path], None]] = {
    "regular": _regular,
    "link-outside": _link_outside,
    "link-inside": _link_inside,
    "dangling-link": _dangling,
    "link-loop": _loop,
    "folder": _folder,
    "missing": _missing,
    "pipe": _pipe,
    "unreadable": _unreadable,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hint_never_changes_the_answer(tmp_path: Path, case: str) -> None:
    if case == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    root = tmp_path / "repo"
    root.mkdir()
    CASES[case](root)
    hinted = read_bytes(root, "r.yaml", listed_regular=True)
    plain = read_bytes(root, "r.yaml")
    assert hinted == plain
    if case == "regular":
        assert hinted == (b"kind: Risk\n", None)
    elif case not in {"link-inside", "unreadable"}:  # root reads an unreadable file
        assert hinted[0] is None and hinted[1] is not None


def test_the_key_hints_only_regular_files(tmp_path: Path) -> None:
    """The key's scan marks the regular YAML files it listed, never a link, folder or
    pipe, and a link swapped in after the scan is refused as without the scan."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "aims.yaml").write_text("version: 1\n")
    (root / "a.yaml").write_text("kind: Risk\n")
    (root / "b.yaml").symlink_to("a.yaml")
    (root / "c.yaml").mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("kind: Risk\n")
    tree = KeyedTree(root)
    tree.key(date(2026, 11, 26))
    hinted = {rel for rel in ("aims.yaml", "a.yaml", "b.yaml", "c.yaml") if _hinted(tree, rel)}
    assert hinted == {"aims.yaml", "a.yaml"}
    # A link replaces a listed regular file after the scan: it is refused as before.
    later = KeyedTree(root)
    later.key(date(2026, 11, 26))
    (root / "a.yaml").unlink()
    (root / "a.yaml").symlink_to(outside)
    later._ahead.clear()  # read now, not the bytes the key read
    raw, problem = later.read("a.yaml")
    assert raw is None and problem is not None
    assert (raw, problem) == WorkingTree(root).read("a.yaml")
    assert "outside the repository" in problem.message


def _hinted(tree: KeyedTree, rel: str) -> bool:
    return rel in tree._listed_regular
