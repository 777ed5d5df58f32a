"""What `aimsctl obligations` prints: a plain table per system, JSON, or Markdown.

Record ids, titles and paths are untrusted text: printable in the table, escaped
in Markdown. The catalogue's own texts (articles, titles, summaries) are ours.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aimsctl.text import left_out_note, md_table, md_text, plain_table, plural, printable

if TYPE_CHECKING:
    from aimsctl.obligations import Obligation, Result, SystemObligations

NONE = "-"


def _regulation(entry: SystemObligations) -> str:
    """The system's regulation fields in a few words."""
    regulation = entry.system.regulation
    if regulation is None:
        return "no regulation recorded"
    parts = []
    if regulation.eu_ai_act is not None:
        role = f", {regulation.eu_role}" if regulation.eu_role else ""
        parts.append(f"EU AI Act {regulation.eu_ai_act}{role}")
    if regulation.nyc_aedt:
        parts.append("NYC automated employment decision tool")
    if regulation.colorado_consequential:
        parts.append("Colorado consequential decision")
    return "; ".join(parts) or "no regulation recorded"


def _evidence(obligation: Obligation) -> str:
    return ", ".join(e.id for e in obligation.evidence) or NONE


def _law_name(obligation: Obligation) -> str:
    return f"{obligation.spec.law.name} {obligation.spec.article}"


def _summary(result: Result) -> str:
    counts = result.totals()
    total = sum(counts.values())
    shown = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    return (
        f"{plural(len(result.systems), 'system')}, {plural(total, 'obligation')}"
        + (f": {shown}" if shown else "")
        + f" (as of {result.as_of})"
    )


def _notes(result: Result) -> list[str]:
    """The standing of laws whose obligations are shown, where it needs saying."""
    shown = {o.spec.law.id for entry in result.systems for o in entry.obligations}
    return [
        f"{law.name}: {law.status}"
        for law in result.catalogue.laws
        if law.status and law.id in shown
    ]


def _left_out(result: Result) -> list[str]:
    """The line that says the list is incomplete, where records failed validation."""
    if not result.left_out:
        return []
    return [
        left_out_note(
            result.left_out,
            "{its} systems are not shown and what {its} records evidence or owe is not counted",
        )
    ]


def _no_obligation(entry: SystemObligations) -> str:
    """Why a system shows no obligation: retired (named, it is shown, and takes on
    none), or its regulation fields bring none."""
    if entry.system.stage == "retired":
        return "no obligation: the system is retired, so it takes on none"
    return "no obligation derived from its regulation fields"


def render_table(result: Result) -> str:
    """Per system: its regulation, then one row per obligation with its status, the
    records that evidence it and what is missing."""
    lines: list[str] = []
    if not result.systems:
        lines.append("No AI systems to show.")
    for entry in result.systems:
        if lines:
            lines.append("")
        system = entry.system
        lines.append(
            printable(f"{system.id}: {system.title} ({system.stage}; {_regulation(entry)})")
        )
        lines += [printable(f"  note: {note}") for note in entry.notes]
        if not entry.obligations:
            lines.append(f"  {_no_obligation(entry)}")
            continue
        table = plain_table(
            ("OBLIGATION", "TITLE", "STATUS", "EVIDENCE", "DETAIL"),
            (
                (_law_name(o), o.spec.title, o.status, _evidence(o), o.detail or NONE)
                for o in entry.obligations
            ),
        )
        lines += [f"  {line}" for line in table]
    lines += ["", *_notes(result)] if _notes(result) else []
    lines += ["", _summary(result), *_left_out(result)]
    return "\n".join(lines) + "\n"


def render_json(result: Result) -> str:
    return json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"


def render_markdown(result: Result) -> str:
    """A section per system with a table of its obligations, for a pull request or a
    document."""
    lines = [f"# Regulatory obligations as of {result.as_of}", ""]
    lines.append(
        "Derived from each system's `regulation` and `jurisdictions` fields. Met means the "
        "repository holds records that evidence the obligation, not that the law is "
        "satisfied; this is not legal advice."
    )
    for entry in result.systems:
        system = entry.system
        lines += ["", f"## {md_text(system.id)}: {md_text(system.title)}", ""]
        lines.append(f"{md_text(system.stage)}; {md_text(_regulation(entry))}.")
        lines.append("")
        for note in entry.notes:
            lines += [f"Note: {md_text(note)}", ""]
        if not entry.obligations:
            lines.append(f"{_no_obligation(entry).capitalize()}.")
            continue
        lines += md_table(
            ("Obligation", "Title", "Status", "Evidence", "Detail"),
            (
                (
                    _law_name(o),
                    o.spec.title,
                    o.status,
                    ", ".join(f"{e.id} ({e.path})" for e in o.evidence) or NONE,
                    o.detail or NONE,
                )
                for o in entry.obligations
            ),
        )
    notes = _notes(result)
    if notes:
        lines += ["", *[md_text(note) for note in notes]]
    lines += ["", md_text(_summary(result))]
    lines += ["", *(md_text(line) for line in _left_out(result))] if result.left_out else []
    return "\n".join(lines) + "\n"
