"""diff names the metrics a change makes fail and the incidents it records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from aimsctl.changes import Changes
from aimsctl.compare import compare
from aimsctl.loader import FileTree
from aimsctl.outputs.diff import render_json, render_markdown, render_text
from aimsctl.records.evaluation import Threshold
from aimsctl.repository import load_repository
from aimsctl.revision import Snapshot
from conftest import MINIMAL_CONFIG
from factory import Record, evaluation, flow, incident, system, yaml_of


def _metric(name: str, value: float, **fields: Any) -> dict[str, Any]:
    """A metric with ``fields`` laid over it; ``threshold=None``: informational."""
    made = {
        "name": name,
        "dimension": "fairness",
        "value": value,
        "threshold": flow({"min": 0.8}),
        **fields,
    }
    return {key: value for key, value in made.items() if value is not None}


def _performed(record_id: str, on: str, *metrics: dict[str, Any]) -> Record:
    """An evaluation performed on ``on`` of ``metrics``."""
    return evaluation(
        record_id, performed=flow({"on": on, "by": "ml@acme.example"}), metrics=list(metrics)
    )


def _side(label: str, records: dict[str, Record | list[Record]]) -> Snapshot:
    files = {"aims.yaml": MINIMAL_CONFIG.encode(), "systems/s.yaml": yaml_of(system()).encode()}
    files |= {path: yaml_of(content).encode() for path, content in records.items()}
    repository = load_repository(Path("/repo"), date(2026, 11, 26), source=FileTree(files))
    assert [d for d in repository.diagnostics if d.code < "AIMS200"] == []
    return Snapshot(label, label.lower(), "0" * 39 + label[0].lower(), repository)


BASE: dict[str, Record | list[Record]] = {
    "evaluations/e1.yaml": evaluation(
        "E-1", metrics=[_metric("ratio", 0.7), _metric("parity", 0.9)]
    ),
    "incidents/i1.yaml": incident("INC-1"),
}


def _changes() -> Changes:
    head: dict[str, Record | list[Record]] = {
        # E-1: `ratio` failed before too; `parity` fails now.
        "evaluations/e1.yaml": evaluation(
            "E-1", metrics=[_metric("ratio", 0.6), _metric("parity", 0.75)]
        ),
        # A new evaluation with one failing metric, measured for a group.
        "evaluations/e2.yaml": evaluation(
            "E-2",
            metrics=[
                _metric("ratio", 0.5, group="Applicants over 55 | *bold*"),
                _metric("parity", 0.95),
            ],
        ),
        "incidents/i1.yaml": incident("INC-1", status="closed"),
        "incidents/i2.yaml": incident(
            "INC-2", title="<b>Leak</b>", severity="Major", serious=True, status="contained"
        ),
    }
    return compare(_side("BASE", BASE), _side("HEAD", head))


def test_new_failing_metrics_and_new_incidents_are_found() -> None:
    changes = _changes()
    assert [
        (m.evaluation, m.metric, m.value, m.threshold) for m in changes.new_failing_metrics
    ] == [
        ("E-1", "parity", 0.75, "≥ 0.8"),
        ("E-2", "ratio (Applicants over 55 | *bold*)", 0.5, "≥ 0.8"),
    ]
    assert [(i.id, i.systems, i.severity, i.serious, i.path) for i in changes.new_incidents] == [
        ("INC-2", ("SYS-1",), "Major", True, "incidents/i2.yaml")
    ]
    # Neither changes the verdict: they are news for the reviewer, not regressions.
    assert changes.regressions() == []


def test_no_change_names_nothing() -> None:
    changes = compare(_side("BASE", BASE), _side("HEAD", BASE))
    assert changes.new_failing_metrics == [] and changes.new_incidents == []


def test_the_comment_text_and_json_name_them() -> None:
    changes = _changes()
    comment = render_markdown(changes)
    assert "| New failing metrics | ⚠️ 2 |" in comment
    assert "| New incidents | ⚠️ 1 |" in comment
    assert "failing metric parity of `SYS-1`: `0.75`, threshold `≥ 0.8`" in comment
    assert "new serious incident on `SYS-1`: severity Major, contained" in comment
    # Record text shows as text: the pipe does not split the row, nothing is bold or HTML.
    html = MarkdownIt("commonmark").enable("table").render(comment)
    assert "<strong>bold</strong>" not in html and "<b>" not in html
    row = next(line for line in comment.splitlines() if line.startswith("| `E-2` |"))
    assert row.count(" | ") == 2
    text = render_text(changes)
    assert "New failing metrics (2)\n  E-1  SYS-1  parity: 0.75, threshold ≥ 0.8\n" in text
    assert "New incidents (1)\n  INC-2  SYS-1  severity Major, serious, contained" in text
    document = json.loads(render_json(changes))
    assert document["new_failing_metrics"][0] == {
        "evaluation": "E-1",
        "system": "SYS-1",
        "metric": "parity",
        "value": 0.75,
        "threshold": "≥ 0.8",
        "path": "evaluations/e1.yaml",
    }
    assert [i["id"] for i in document["new_incidents"]] == ["INC-2"]


@pytest.mark.parametrize(
    ("before", "after", "looser"),
    [
        ({"min": 0.8}, {"min": 0.7}, True),
        ({"min": 0.8}, {"min": 0.8}, False),
        ({"min": 0.8}, {"min": 0.9}, False),
        ({"max": 0.1}, {"max": 0.2}, True),
        ({"max": 0.1}, {"max": 0.05}, False),
        ({"min": 0.8, "max": 1.25}, {"min": 0.8}, True),  # the upper limit dropped
        ({"min": 0.8, "max": 1.25}, {"min": 0.9, "max": 1.3}, True),  # narrower below only
        ({"min": 0.8}, {"min": 0.8, "max": 1.0}, False),  # a limit added
        ({"min": 0.8}, {"max": 1.0}, True),  # the lower limit swapped for an upper one
    ],
)
def test_a_threshold_is_looser_when_it_admits_a_value_the_other_did_not(
    before: dict[str, float], after: dict[str, float], looser: bool
) -> None:
    assert Threshold(**after).looser_than(Threshold(**before)) is looser


def test_a_rewritten_failure_and_a_relaxed_threshold_show_record_text_as_text() -> None:
    name = "ratio | *bold* <b>x</b>"
    base = {"evaluations/e1.yaml": evaluation("E-1", metrics=[_metric(name, 0.7)])}
    head = {
        "evaluations/e1.yaml": evaluation(
            "E-1", metrics=[_metric(name, 0.7, threshold=flow({"min": 0.6}))]
        )
    }
    changes = compare(_side("BASE", base), _side("HEAD", head))
    assert changes.regressions() == ["1 threshold relaxed", "1 recorded failure no longer failing"]
    assert [(f.evaluation, f.now) for f in changes.rewritten_failures] == [
        ("E-1", "passes at HEAD: threshold ≥ 0.8 -> ≥ 0.6")
    ]
    comment = render_markdown(changes)
    html = MarkdownIt("commonmark").enable("table").render(comment)
    assert "<strong>bold</strong>" not in html and "<b>" not in html
    rows = [line for line in comment.splitlines() if line.startswith("| `E-1` |")]
    assert len(rows) == 2 and all(row.count(" | ") == 2 for row in rows)


def test_a_new_evaluation_with_a_looser_threshold_than_the_last_is_relaxed() -> None:
    """A results file imported with `threshold_min` 0.5 made a metric that failed at
    0.8 pass, in a new evaluation, and `diff --fail-on threshold-relaxed` said nothing:
    only evaluations at both revisions were compared (ML audit). A new evaluation is
    held to its system's latest threshold for each metric; a stricter one, or one for a
    metric not measured before, is no relaxation."""
    head = {
        **BASE,
        "evaluations/e2.yaml": _performed(
            "E-2",
            "2026-11-20",
            _metric("ratio", 0.7, threshold=flow({"min": 0.5})),
            _metric("parity", 0.95, threshold=flow({"min": 0.85})),
            _metric("recall", 0.5, threshold=flow({"min": 0.1})),
        ),
    }
    changes = compare(_side("BASE", BASE), _side("HEAD", head))
    assert [(t.id, t.metric, t.before, t.after, t.loosens) for t in changes.relaxed_thresholds] == [
        ("E-2", "ratio", "≥ 0.8", "≥ 0.5", "E-1")
    ]
    assert changes.regressions() == ["1 threshold relaxed"]
    line = "Evaluation E-2  ratio: ≥ 0.8 (in E-1) -> ≥ 0.5  evaluations/e2.yaml"
    assert line in render_text(changes)
    assert "threshold relaxed: ratio: `≥ 0.8` (in `E-1`) -> `≥ 0.5`" in render_markdown(changes)
    [item] = json.loads(render_json(changes))["relaxed_thresholds"]
    assert item["loosens"] == "E-1"


def test_no_threshold_now_or_before_and_an_older_measurement_loosen_nothing() -> None:
    """A metric made informational in the latest evaluation at BASE was flagged in every
    later pull request against an older threshold; a new measurement with no threshold
    judges nothing; an evaluation performed before BASE's latest (a backfill) changes
    no current verdict (review)."""
    base = {
        **BASE,
        "evaluations/e0.yaml": _performed(
            "E-0", "2026-11-10", _metric("ratio", 0.7, threshold=None)
        ),
    }
    head = {
        **base,
        "evaluations/e2.yaml": _performed(
            "E-2",
            "2026-11-20",
            _metric("ratio", 0.7, threshold=flow({"min": 0.5})),
            _metric("parity", 0.9, threshold=None),
        ),
        "evaluations/e9.yaml": _performed(
            "E-9", "2025-01-10", _metric("parity", 0.5, threshold=flow({"min": 0.1}))
        ),
    }
    changes = compare(_side("BASE", base), _side("HEAD", head))
    assert changes.relaxed_thresholds == []
