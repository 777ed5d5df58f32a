"""The pull-request comment stays within GitHub's size limit, however large the change,
and lists every group of changes the text lists."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from markdown_it import MarkdownIt

from aimsctl.changes import Changes
from aimsctl.compare import compare
from aimsctl.loader import FileTree
from aimsctl.outputs.diff import GROUPS, MARKER, MAX_COMMENT, render_markdown
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
    assert text.count("| inherent.likelihood |") == 3


def test_a_mapping_added_whole_is_rows_counted_against_the_limit() -> None:
    """A mapping added whole is a row per value, as in the text, and the 25 rows a
    record shows count those rows: the rest is counted in the note."""

    def side(label: str, extra: str) -> Snapshot:
        files = {
            "aims.yaml": CONFIG.encode(),
            "systems/SYS-A.yaml": system("SYS-A").encode(),
            "risks/R-1.yaml": (risk("R-1") + extra).encode(),
        }
        repository = load_repository(Path("/repo"), date(2026, 11, 26), source=FileTree(files))
        return Snapshot(label, label.lower(), "0" * 39 + label[0].lower(), repository)

    notes = "".join(f"  n{n}: {n}\n" for n in range(30))
    changes = compare(side("BASE", ""), side("HEAD", f"extra:\n{notes}"))
    assert [f.pointer for f in changes.changed[0].fields] == ["/extra"]
    text = render_markdown(changes)
    assert "| extra.n0 | `(none)` | `0` |" in text and "| extra.n24 |" in text
    assert "| extra.n25 |" not in text
    assert "… and 5 more fields; run `aimsctl diff` to see all." in text


# The lists of Changes that text and the comment each show in a layout of their own
# (record tables, scores, the SoA, aims.yaml, events); unjudged ones are counted in
# the gates, their records listed as invalid.
OWN_LAYOUT = {
    "added", "removed", "changed", "risk_changes", "tier_changes", "control_changes",
    "relaxed_risks", "relaxed_tiers", "management_events", "invalid", "config", "notes",
    "unjudged", "unjudged_new",
}  # fmt: skip


def test_every_list_of_changes_is_a_group_both_formats_show() -> None:
    """The text and the comment each listed the groups of what needs attention on
    their own, so a new one had to be added twice. They render from one list now:
    every other list of Changes is in it, shown as a text section (or in one) and
    counted in the comment's summary (or in its own row) with its items' rows."""
    fields = [f.name for f in dataclasses.fields(Changes) if f.name not in ("base", "head")]
    marked = {name: SimpleNamespace(id=name, raised_above=True) for name in fields}
    changes = Changes(None, None, **{name: [item] for name, item in marked.items()})  # type: ignore[arg-type]
    grouped = {item.id for group in GROUPS for item in group.items(changes)}
    # risk_changes have a layout of their own, and a group: those raised further.
    assert grouped == set(fields) - OWN_LAYOUT | {"risk_changes"}
    assert set(fields) >= OWN_LAYOUT
    # Each group is a section of the text, but the raised risks: a word in "Risk scores".
    untitled = [group for group in GROUPS if group.title is None]
    assert [item.id for group in untitled for item in group.items(changes)] == ["risk_changes"]
