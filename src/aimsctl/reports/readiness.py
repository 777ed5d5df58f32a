"""Stage 1 readiness (ISO/IEC 42001 4 to 10, Annex A, 7.5): for every requirement of
clauses 4 to 10 and every Annex A control, the documented information that evidences
it (linked), what is missing, and what falls due.

The judgements are :mod:`aimsctl.readiness`'s, which `aimsctl status` shows as one
line per clause and area; the due items are :mod:`aimsctl.due`'s, overdue or due
within its default window, so the report, `status` and `due` agree.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from aimsctl.due import DEFAULT_WITHIN, DueItem, due_list
from aimsctl.readiness import (
    GAP,
    NOT_APPLICABLE,
    OVERDUE,
    READY,
    Evidence,
    Line,
    Requirement,
    readiness,
)
from aimsctl.reports.common import Context, Shared, reference
from aimsctl.text import html_id

if TYPE_CHECKING:
    from aimsctl.repository import Repository

STATE_WORDS = {READY: "ready", GAP: "gap", OVERDUE: "overdue", NOT_APPLICABLE: "not applicable"}
# Not applicable: an en dash, decided but nothing done.
STATE_SYMBOLS = {READY: "✔", GAP: "✘", OVERDUE: "!", NOT_APPLICABLE: "\u2013"}


def _evidence(repo: Repository, found: Evidence, base: str | None, shared: Shared) -> Context:
    return {
        "kind": found.kind,
        "id": found.id,
        "title": found.title,
        # A record evidences many requirements: its link is made once.
        "ref": shared.once("link", found.path, partial(reference, repo, found.path, base)),
        "is_record": found.kind not in ("evidence", "aims.yaml"),
    }


def _grouped(
    repo: Repository, found: tuple[Evidence, ...], base: str | None, shared: Shared
) -> list[Context]:
    """The evidence by kind, in the order found: ``{kind, items}``."""
    groups: dict[str, list[Context]] = {}
    for item in found:
        groups.setdefault(item.kind, []).append(_evidence(repo, item, base, shared))
    return [{"kind": kind, "items": items} for kind, items in groups.items()]


def _due(item: DueItem) -> Context:
    return {
        "due": item.due.isoformat(),
        "overdue": item.overdue,
        "record": item.record,
        "what": item.what,
        "owner": item.owner or "",
    }


def _requirement(repo: Repository, found: Requirement, base: str | None, shared: Shared) -> Context:
    return {
        "id": found.id,
        "anchor": html_id("q", found.id),
        "title": found.title,
        "state": STATE_WORDS[found.state],
        "css": f"state-{found.state}",
        "symbol": STATE_SYMBOLS[found.state],
        "decision": found.decision,
        "justification": found.justification,
        "evidence": _grouped(repo, found.evidence, base, shared),
        "missing": list(found.missing),
        "due": [_due(item) for item in found.due],
        "audited_by": list(found.audited_by),
    }


def _line(repo: Repository, line: Line, base: str | None, shared: Shared) -> Context:
    return {
        "id": line.id,
        "anchor": html_id("l", line.id),
        "title": line.title,
        "state": STATE_WORDS[line.state],
        "css": f"state-{line.state}",
        "symbol": STATE_SYMBOLS[line.state],
        "ready": line.ready,
        "total": len(line.requirements),
        "gaps": line.gaps,
        "excluded": line.excluded,
        "overdue": line.overdue,
        "due": line.due,
        "requirements": [_requirement(repo, r, base, shared) for r in line.requirements],
    }


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    due = due_list(repo, DEFAULT_WITHIN)
    found = readiness(repo, due.items)
    shared = shared or Shared()
    clauses = [_line(repo, line, base, shared) for line in found.clauses]
    areas = [_line(repo, line, base, shared) for line in found.annex_a]
    requirements = [r for line in found.lines for r in line.requirements]
    controls = sum(1 for r in requirements if r.group == "annex-a")
    return {
        "window": DEFAULT_WITHIN,
        "clauses": clauses,
        "areas": areas,
        "counts": [
            {
                "name": "clause requirements evidenced",
                "count": sum(1 for r in requirements if r.group == "clause" and not r.missing),
                "of": sum(1 for r in requirements if r.group == "clause"),
            },
            # As each area's row counts them (and status): an exclusion is a decision,
            # not an implementation, so it is counted apart, never as ready.
            {
                "name": "Annex A controls implemented and evidenced",
                "count": sum(line.ready for line in found.annex_a),
                "of": controls,
            },
            {
                "name": "Annex A controls excluded with a justification",
                "count": sum(line.excluded for line in found.annex_a),
                "of": controls,
            },
            {"name": "items overdue", "count": due.overdue, "of": None},
            {
                "name": f"items due within {DEFAULT_WITHIN} days",
                "count": len(due.items) - due.overdue,
                "of": None,
            },
        ],
        "due": [_due(item) for item in due.items],
    }
