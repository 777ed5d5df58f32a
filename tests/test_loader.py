"""Finding record files and reading them: hidden paths, excludes, links, faults."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aimsctl.loader import FileTree, WorkingTree, is_excluded, load_files, record_paths


def test_record_paths_skip_hidden_config_and_other_files(tmp_path: Path) -> None:
    for rel in [
        "aims.yaml",
        "a.yaml",
        "b.yml",
        "c.txt",
        ".hidden.yaml",
        ".git/x.yaml",
        "sub/.secret/y.yaml",
        "sub/z.yaml",
        "drafts/d.yaml",
        "drafts/deep/e.yaml",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: X\n")
    assert list(record_paths(tmp_path, ["drafts/**"])) == ["a.yaml", "b.yml", "sub/z.yaml"]


@pytest.mark.parametrize(
    ("path", "patterns", "excluded"),
    [
        ("drafts/a.yaml", ["drafts/**"], True),
        ("drafts/x/a.yaml", ["drafts"], True),
        ("risks/draft-1.yaml", ["**/draft-*.yaml"], True),
        ("draft-1.yaml", ["**/draft-*.yaml"], True),
        ("risks/r.yaml", ["*.yaml"], False),
        ("r.yaml", ["*.yaml"], True),
        ("risks/r.yaml", ["risks/?.yaml"], True),
        ("risks/rr.yaml", ["risks/?.yaml"], False),
    ],
)
def test_exclude_globs(path: str, patterns: list[str], excluded: bool) -> None:
    assert is_excluded(path, patterns) is excluded


def test_several_documents_and_trailing_separator(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("kind: A\nid: one\n---\nkind: B\nid: two\n---\n")
    loaded = load_files(WorkingTree(tmp_path), ["c.yaml"])
    assert [d.data["id"] for d in loaded.documents] == ["one", "two"]
    assert loaded.diagnostics == []


def test_symlink_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("kind: Risk\nid: SECRET\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.yaml").symlink_to(outside)
    loaded = load_files(WorkingTree(repo), ["link.yaml"])
    assert loaded.documents == []
    assert [(d.code, d.path) for d in loaded.diagnostics] == [("AIMS008", "link.yaml")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("kind: Risk\n")
    path.chmod(0)
    loaded = load_files(WorkingTree(tmp_path), ["r.yaml"])
    assert [d.code for d in loaded.diagnostics] == ["AIMS008"]


def test_vanished_file_is_a_diagnostic(tmp_path: Path) -> None:
    loaded = load_files(WorkingTree(tmp_path), ["gone.yaml"])
    assert [(d.code, d.message) for d in loaded.diagnostics] == [
        ("AIMS008", "file disappeared while the repository was being read; run again")
    ]


def test_unreadable_record_file_end_to_end(
    make_repo: Callable[..., Path], cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"risks/r.yaml": "kind: Risk\n"})
    original = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "r.yaml":
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    result = cli("validate", root, "--as-of", "2026-11-26")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "risks/r.yaml:1:1: error AIMS008 file cannot be read (permission denied)" in (
        result.stdout  # type: ignore[attr-defined]
    )


def test_file_tree_source_reads_from_memory() -> None:
    tree = FileTree(
        {"aims.yaml": b"", "risks/r.yaml": b"kind: Risk\nid: R-1\n", "evidence/a.md": b""}
    )
    loaded = load_files(tree, ["risks/r.yaml", "risks/missing.yaml"])
    assert [d.data["id"] for d in loaded.documents] == ["R-1"]
    assert [d.code for d in loaded.diagnostics] == ["AIMS008"]
    assert tree.exists("evidence/a.md") and tree.exists("evidence")
    assert not tree.exists("evidence/b.md")
