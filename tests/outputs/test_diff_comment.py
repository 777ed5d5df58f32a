"""The pull-request comment stays within GitHub's size limit, however large the change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from aimsctl.compare import compare
from aimsctl.loader import FileTree
from aimsctl.outputs.diff import MARKER, MAX_COMMENT, render_markdown
from aimsctl.repository import load_repository
from aimsctl.revision import Snapshot
from gitrepo import CONFIG, risk, system

GITHUB_LIMIT = 65_536


def _side(label: str, likelihood: int, count: int) -> Snapshot:
    files = {"aims.yaml": CONFIG.encode(), "systems/SYS-A.yaml": system("SYS-A").encode()}
    for n in range(count):
        title = f"Risk number {n} with a long title that fills the comment " + "x" * 80
        text = risk(f"R-{n}", likelihood=likelihood).replace(
            f"title: Risk R-{n}", f"title: {title}"
        )
        files[f"risks/R-{n}.yaml"] = text.encode()
    repository = load_repository(Path("/repo"), date(2026, 11, 26), source=FileTree(files))
    return Snapshot(label, label.lower(), "0" * 39 + label[0].lower(), repository)


def test_a_huge_change_is_shortened_with_a_note_and_a_link() -> None:
    changes = compare(_side("BASE", 2, 3000), _side("HEAD", 4, 3000))
    assert len(changes.changed) == 3000
    text = render_markdown(changes, "https://github.example/acme/aims/actions/runs/42")
    assert len(text) <= MAX_COMMENT < GITHUB_LIMIT
    assert text.startswith(MARKER)
    assert "shortened to stay within GitHub's size limit" in text
    assert "[the full comparison](https://github.example/acme/aims/actions/runs/42)" in text
    assert "| Records changed | 3000 |" in text  # the counts stay whole
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<details>") == html.count("</details>")


def test_a_small_change_is_not_shortened() -> None:
    changes = compare(_side("BASE", 2, 3), _side("HEAD", 4, 3))
    text = render_markdown(changes, "https://github.example/run")
    assert "shortened" not in text and "github.example" not in text
    assert text.count("/inherent/likelihood") == 3
