"""`aimsctl crosswalk` and `aimsctl controls --framework`: tables, JSON and Markdown.

Every output marks each link's confidence. An analytic link (inferred by the
aimsctl maintainers, not published by anyone) says ``analytic`` on its own row or
next to its id, and every text or Markdown output ends with what that means.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aimsctl.catalog import annex_a
from aimsctl.catalog.crosswalk import (
    ANALYTIC_MEANING,
    FRAMEWORK_TITLES,
    NO_OFFICIAL_AI_ACT,
    Link,
    crosswalk,
)
from aimsctl.crosswalk import GAP, NO_LINK, Coverage, Entry
from aimsctl.text import Markdown, md_table, plain_table, plural

NONE = "—"


def legend() -> list[str]:
    """What each confidence means and where the links come from, one line each."""
    walk = crosswalk()
    lines = [f"Crosswalk {walk.version}, shipped with aimsctl."]
    for source in walk.sources:
        if source.confidence == "published":
            lines.append(
                f"published: read from {source.title!r} ({source.publisher}); {source.coverage}."
            )
    lines.append(ANALYTIC_MEANING + ".")
    lines.append(NO_OFFICIAL_AI_ACT)
    return lines


def _detail(link: Link) -> str:
    return "; ".join(part for part in (link.ref, link.note) if part)


def _rows(entries: Sequence[Entry]) -> tuple[list[str], list[list[str]]]:
    """Headers and one row per link (a row saying so for an id with none)."""
    framework = entries[0].framework if entries else "annex-a"
    if framework == "annex-a":
        headers = ["Control", "Title", "Framework", "Linked to", "Confidence", "Source", "Detail"]
    else:
        label = "Subcategory" if framework == "nist-ai-rmf" else "Article"
        headers = [label, "Control", "Control title", "Confidence", "Source", "Detail"]
    rows: list[list[str]] = []
    controls = annex_a()
    for entry in entries:
        if not entry.links:
            first = [entry.id, entry.title] if framework == "annex-a" else [entry.id]
            rows.append([*first, *[NONE] * (len(headers) - len(first) - 1), "no link recorded"])
            continue
        for link in entry.links:
            if framework == "annex-a":
                rows.append(
                    [
                        entry.id,
                        entry.title,
                        FRAMEWORK_TITLES[link.framework],
                        link.target,
                        link.confidence,
                        link.source,
                        _detail(link),
                    ]
                )
            else:
                rows.append(
                    [
                        entry.id,
                        link.control,
                        controls[link.control].title,
                        link.confidence,
                        link.source,
                        _detail(link),
                    ]
                )
        if entry.note:
            rows.append([entry.id, entry.title, *[""] * (len(headers) - 3), entry.note])
    return headers, rows


def _heading(entries: Sequence[Entry]) -> str:
    if len(entries) == 1:
        entry = entries[0]
        title = f" {entry.title}" if entry.title else ""
        return f"{FRAMEWORK_TITLES[entry.framework]} {entry.id}{title}"
    framework = entries[0].framework if entries else "annex-a"
    return f"Crosswalk from {FRAMEWORK_TITLES[framework]}"


def render_table(entries: Sequence[Entry]) -> str:
    headers, rows = _rows(entries)
    lines = [_heading(entries), "", *plain_table(headers, rows), "", *legend()]
    return "\n".join(lines) + "\n"


def render_markdown(entries: Sequence[Entry]) -> str:
    headers, rows = _rows(entries)
    confidence = headers.index("Confidence")
    marked = [
        [
            Markdown("**analytic**") if i == confidence and cell == "analytic" else cell
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    lines = [f"## {_heading(entries)}", "", *md_table(headers, marked), ""]
    lines += [f"- {line}" for line in legend()]
    return "\n".join(lines) + "\n"


def _link_json(link: Link) -> dict[str, Any]:
    return {
        "control": link.control,
        "control_title": annex_a()[link.control].title,
        "framework": link.framework,
        "target": link.target,
        "cited": link.cited,
        "confidence": link.confidence,
        "source": link.source,
        "note": link.note,
    }


def _crosswalk_json() -> dict[str, Any]:
    walk = crosswalk()
    return {
        "version": walk.version,
        "sources": [
            {
                "id": s.id,
                "confidence": s.confidence,
                "title": s.title,
                "publisher": s.publisher,
                "coverage": s.coverage,
                "note": s.note,
            }
            for s in walk.sources
        ],
    }


def render_json(entries: Sequence[Entry]) -> str:
    document = {
        "version": 1,
        "crosswalk": _crosswalk_json(),
        "entries": [
            {
                "framework": entry.framework,
                "id": entry.id,
                "title": entry.title,
                "note": entry.note,
                "links": [_link_json(link) for link in entry.links],
            }
            for entry in entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- coverage (aimsctl controls --framework) ---------------------------------------------


def _by(link: Link, state: str | None = None) -> str:
    what = link.confidence if state is None else f"{state}, {link.confidence}"
    return f"{link.control} ({what})"


def _nouns(framework: str) -> tuple[str, str]:
    if framework == "nist-ai-rmf":
        return "NIST AI RMF subcategory", "NIST AI RMF subcategories"
    return "cited EU AI Act article", "cited EU AI Act articles"


def _counts(rows: Sequence[Coverage]) -> dict[str, int]:
    """How many targets are covered, partly covered, gaps and without a link; the
    analytic-only counts are parts of the covered and partly covered ones."""
    return {
        "total": len(rows),
        "covered": sum(1 for row in rows if row.covered),
        "analytic_only": sum(1 for row in rows if row.covered and row.analytic_only),
        "partly_covered": sum(1 for row in rows if row.partly_covered),
        "partly_covered_analytic_only": sum(
            1 for row in rows if row.partly_covered and row.analytic_only
        ),
        "gaps": sum(1 for row in rows if row.status == GAP),
        "no_link": sum(1 for row in rows if row.status == NO_LINK),
    }


def _summary(framework: str, rows: Sequence[Coverage]) -> str:
    counts = _counts(rows)
    return (
        f"{counts['covered']} of {plural(len(rows), *_nouns(framework))} covered by "
        f"applicable, implemented controls ({counts['analytic_only']} through analytic links "
        f"only), {counts['partly_covered']} partly covered (some linked controls implemented, "
        f"others not; {counts['partly_covered_analytic_only']} through analytic links only), "
        f"{plural(counts['gaps'], 'gap')} (linked controls not implemented), "
        f"{counts['no_link']} with no link recorded"
    )


def coverage_text(framework: str, rows: Sequence[Coverage]) -> str:
    headers = [
        "Subcategory" if framework == "nist-ai-rmf" else "Article",
        "Status",
        "Implemented controls",
        "Linked controls not implemented",
    ]
    body = [
        [
            row.target,
            row.status,
            ", ".join(_by(link) for link in row.covered_by) or NONE,
            ", ".join(_by(link, state) for link, state in row.gaps) or NONE,
        ]
        for row in rows
    ]
    lines = [
        f"Coverage of the {_nouns(framework)[1]} by the repository's controls",
        "",
        *plain_table(headers, body),
        "",
        _summary(framework, rows),
        "",
        *legend(),
    ]
    return "\n".join(lines) + "\n"


def coverage_json(framework: str, rows: Sequence[Coverage]) -> str:
    document = {
        "version": 1,
        "framework": framework,
        "crosswalk": _crosswalk_json(),
        "targets": [
            {
                "id": row.target,
                "title": row.title,
                "status": row.status,
                "covered": row.covered,
                "analytic_only": row.analytic_only,
                "covered_by": [
                    {"control": link.control, "confidence": link.confidence, "source": link.source}
                    for link in row.covered_by
                ],
                "gaps": [
                    {
                        "control": link.control,
                        "state": state,
                        "confidence": link.confidence,
                        "source": link.source,
                    }
                    for link, state in row.gaps
                ],
            }
            for row in rows
        ],
        "summary": _counts(rows),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
