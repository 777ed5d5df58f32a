"""diff names what a change does to the management system: a nonconformity raised,
closed or reopened, an internal audit completed, a policy approved or retired, a
management review held."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from aimsctl.changes import Changes, management_events
from aimsctl.compare import compare
from aimsctl.loader import FileTree
from aimsctl.outputs.diff import render_json, render_markdown, render_text
from aimsctl.repository import load_repository
from aimsctl.revision import Snapshot
from conftest import MINIMAL_CONFIG
from factory import (
    Record,
    flow,
    internal_audit,
    management_review,
    nonconformity,
    policy,
    role,
    yaml_of,
)

CLOSED_NC = {
    "root_cause": "Nobody was reminded.",
    "effectiveness": flow({"on": "2026-11-20", "by": "auditor@acme.example", "effective": True}),
    "status": "closed",
}


def _side(label: str, records: dict[str, Record | list[Record]]) -> Snapshot:
    files = {"aims.yaml": MINIMAL_CONFIG.encode()}
    files |= {path: yaml_of(content).encode() for path, content in records.items()}
    repository = load_repository(Path("/repo"), date(2026, 11, 26), source=FileTree(files))
    assert [d for d in repository.diagnostics if d.code < "AIMS200"] == []
    return Snapshot(label, label.lower(), "0" * 39 + label[0].lower(), repository)


BASE: dict[str, Record | list[Record]] = {
    "roles/roles.yaml": role("ceo", holder="ceo@acme.example", top_management=True),
    "policies/ai.yaml": policy(
        "POL-AI",
        status="approved",
        version="1.0",
        approval=flow({"by": "ceo", "on": "2025-09-01"}),
        commitments=["requirements", "continual-improvement", "objectives-framework"],
    ),
    "policies/old.yaml": policy("POL-OLD", status="approved", version="0.9"),
    "audits/a.yaml": internal_audit("AUD-2026", status="in-progress", planned="2026-10-01"),
    "nonconformities/nc.yaml": [
        nonconformity("NC-1", root_cause="Nobody was reminded.", status="verifying"),
        nonconformity("NC-2", **CLOSED_NC),
    ],
}


def _changes() -> Changes:
    head: dict[str, Record | list[Record]] = {
        **BASE,
        # A new version approved, and the old policy retired.
        "policies/ai.yaml": policy(
            "POL-AI",
            status="approved",
            version="2.0",
            approval=flow({"by": "ceo | *chair*", "on": "2026-11-02"}),
            commitments=["requirements", "continual-improvement", "objectives-framework"],
        ),
        "policies/old.yaml": policy("POL-OLD", status="retired", version="0.9"),
        "audits/a.yaml": internal_audit(
            "AUD-2026",
            status="completed",
            planned="2026-10-01",
            performed=flow({"from": "2026-10-05", "to": "2026-10-09"}),
            findings=[
                {
                    "id": "F-1",
                    "type": "minor-nonconformity",
                    "description": "Late reviews.",
                    "nonconformity": "NC-3",
                },
                {"id": "F-2", "type": "observation", "description": "No dashboard."},
            ],
        ),
        "nonconformities/nc.yaml": [
            nonconformity("NC-1", **CLOSED_NC),  # closed
            nonconformity("NC-2", root_cause="It came back.", status="action-planned"),  # reopened
            nonconformity("NC-3", raised="2026-10-09", reference="9.3"),  # raised
        ],
        "reviews/mr.yaml": management_review(
            "MR-2026", held="2026-11-12", chair="ceo", inputs=["audit-results", "opportunities"]
        ),
    }
    return compare(_side("BASE", BASE), _side("HEAD", head))


def test_each_event_is_found_once_in_id_order() -> None:
    events = _changes().management_events
    assert [(e.kind, e.id, e.event) for e in events] == [
        ("InternalAudit", "AUD-2026", "completed"),
        ("ManagementReview", "MR-2026", "held"),
        ("Nonconformity", "NC-1", "closed"),
        ("Nonconformity", "NC-2", "reopened"),
        ("Nonconformity", "NC-3", "raised"),
        ("Policy", "POL-AI", "approved"),
        ("Policy", "POL-OLD", "retired"),
    ]
    assert [e.text() for e in events] == [
        "internal audit AUD-2026 completed (performed 2026-10-05 to 2026-10-09; "
        "1 minor nonconformity, 1 observation)",
        "management review MR-2026 held (on 2026-11-12, 2 of 7 inputs, 0 actions)",
        "nonconformity NC-1 closed (effectiveness reviewed on 2026-11-20: effective)",
        "nonconformity NC-2 reopened (now action-planned)",
        "nonconformity NC-3 raised (from internal-audit, requirement 9.3)",
        "policy POL-AI approved (version 2.0, by ceo | *chair* on 2026-11-02)",
        "policy POL-OLD retired (version 0.9)",
    ]
    assert {e.path for e in events if e.kind == "Nonconformity"} == {"nonconformities/nc.yaml"}


def test_no_change_and_unrelated_edits_name_nothing() -> None:
    assert compare(_side("BASE", BASE), _side("HEAD", BASE)).management_events == []
    edited = {
        **BASE,
        "nonconformities/nc.yaml": [
            nonconformity("NC-1", root_cause="Nobody was reminded, twice.", status="verifying"),
            nonconformity("NC-2", **CLOSED_NC, title="Renamed"),
        ],
    }
    assert compare(_side("BASE", BASE), _side("HEAD", edited)).management_events == []


def test_a_policy_approved_again_in_the_same_version_is_an_approval() -> None:
    [event] = management_events(
        "Policy",
        "POL-AI",
        {"status": "approved", "version": "1.0", "approval": {"by": "ceo", "on": "2025-09-01"}},
        {"status": "approved", "version": "1.0", "approval": {"by": "ceo", "on": "2026-09-01"}},
    )
    assert event.text() == "policy POL-AI approved (version 1.0, by ceo on 2026-09-01)"
    # A draft is no event; neither is data of the wrong shape (a file as written).
    assert management_events("Policy", "P", None, {"status": "draft"}) == []
    assert management_events("Nonconformity", "N", [1], {"status": ["closed"]}) == []
    assert management_events("Risk", "R-1", None, {"status": "closed"}) == []


def test_text_markdown_and_json_name_them() -> None:
    changes = _changes()
    text = render_text(changes)
    assert (
        "Management system (7)\n"
        "  internal audit AUD-2026 completed (performed 2026-10-05 to 2026-10-09; "
        "1 minor nonconformity, 1 observation)  audits/a.yaml\n"
    ) in text
    assert "  policy POL-OLD retired (version 0.9)  policies/old.yaml\n" in text
    comment = render_markdown(changes)
    assert "| Management system events | 7 |" in comment
    assert "<details><summary>Management system (7)</summary>" in comment
    assert (
        "| `NC-1` | nonconformity closed (effectiveness reviewed on 2026-11-20: effective) "
        "| `nonconformities/nc.yaml` |"
    ) in comment
    # Record text (the approver) shows as text: it neither splits the row nor turns bold.
    row = next(line for line in comment.splitlines() if line.startswith("| `POL-AI` |"))
    assert row.replace("\\|", "").count(" | ") == 2
    html = MarkdownIt("commonmark").enable("table").render(comment)
    assert "<strong>chair</strong>" not in html and "<em>chair</em>" not in html
    document = json.loads(render_json(changes))
    assert document["management_events"][:2] == [
        {"kind": "InternalAudit", "id": "AUD-2026", "event": "completed"},
        {"kind": "ManagementReview", "id": "MR-2026", "event": "held"},
    ]
    # Every earlier key is still there.
    assert {"added", "changed", "new_incidents", "regressions", "notes"} <= document.keys()
    assert changes.regressions() == []  # news for the reviewer, not a regression
