"""The AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3) with its heatmaps.

Every score, band and appetite verdict comes from ``repo.risk_scores`` and
``repo.scorer``, the one scoring engine, so the register, the heatmap and the
other reports agree about each risk.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from aimsctl.records import Risk
from aimsctl.reports.common import (
    Context,
    Shared,
    appetite_text,
    band_css,
    control_title,
    score_context,
    system_title,
)
from aimsctl.scoring import matrix_cells
from aimsctl.text import html_id

if TYPE_CHECKING:
    from aimsctl.repository import Repository
    from aimsctl.scoring import RiskScore, Score


def _uplift_note(repo: Repository, risk: Risk, result: RiskScore) -> str:
    """What the vulnerable uplift added, in `risk show`'s words: "severity +1", and
    per position where the two differ ("inherent severity +0, uplift 1 capped at the top
    level 5; residual severity +1"), so a residual raised under an inherent already at
    the top is not shown as raised by nothing. Empty with no uplift configured."""
    if not risk.affects_vulnerable or not repo.config.risk.vulnerable_uplift:
        return ""

    def said(score: Score) -> str:
        capped = repo.scorer.capped_uplift(score, vulnerable=True)
        return f"severity +{score.uplift}" + (f", {capped}" if capped else "")

    inherent = said(result.inherent)
    residual = said(result.residual) if result.residual is not None else inherent
    return inherent if residual == inherent else f"inherent {inherent}; residual {residual}"


def risk_row(repo: Repository, risk: Risk) -> Context:
    result = repo.risk_scores[risk.id]
    treatment = risk.treatment
    acceptance = risk.acceptance
    inherent = score_context(repo, result.inherent)
    residual = score_context(repo, result.residual)
    return {
        "id": risk.id,
        "anchor": html_id("r", risk.id),
        "title": risk.title,
        "description": risk.description,
        "owner": risk.owner,
        "status": risk.status,
        "systems": [
            {"id": system_id, "title": system_title(repo, system_id)}
            for system_id in dict.fromkeys(risk.systems)
        ],
        "sources": list(risk.sources),
        "objectives": list(risk.objectives),
        "data_stage": risk.data_stage or "",
        "misuse": risk.misuse,
        "affects": list(risk.affects),
        "affects_vulnerable": risk.affects_vulnerable,
        "uplift": result.inherent.uplift,
        "uplift_note": _uplift_note(repo, risk, result),
        "inherent": inherent,
        "residual": residual,
        # The current position is one of the two: the same context.
        "current": residual if result.current is result.residual else inherent,
        "basis": result.basis,
        "planned": result.planned,
        "treatment": None
        if treatment is None
        else {
            "option": treatment.option,
            "controls": [
                {"id": control_id, "title": control_title(repo, control_id)}
                for control_id in dict.fromkeys(treatment.controls)
            ],
            "plan": treatment.plan or "",
            "due": treatment.due.isoformat() if treatment.due else "",
            "completed": treatment.completed.isoformat() if treatment.completed else "",
            "owner": treatment.owner or "",
        },
        "within_appetite": result.within_appetite,
        "accepted": result.accepted,
        "appetite": appetite_text(repo, risk, result),
        "acceptance": None
        if acceptance is None
        else {
            "by": acceptance.by,
            "on": acceptance.on.isoformat(),
            "rationale": acceptance.rationale,
            "expires": acceptance.expires.isoformat(),
            "in_force": result.accepted,
            "expired": result.acceptance_expired,
        },
    }


def risk_rows(repo: Repository, risks: list[Risk], shared: Shared) -> list[Context]:
    """The rows of ``risks``, each made once per render."""
    return [shared.once("risk", risk.id, partial(risk_row, repo, risk)) for risk in risks]


# How many characters of risk ids one line of a heatmap cell holds before the next id
# starts a new line (an id longer than this has a line of its own, and widens the cells).
CELL_LINE_CHARS = 14


def cell_lines(ids: list[str]) -> list[str]:
    """A cell's risk ids as lines of text, every id on one of them (none left out)."""
    lines: list[str] = []
    for risk_id in ids:
        if lines and len(lines[-1]) + 2 + len(risk_id) <= CELL_LINE_CHARS:
            lines[-1] += ", " + risk_id
        else:
            lines.append(risk_id)
    for index in range(len(lines) - 1):
        lines[index] += ","
    return lines


def heatmap(repo: Repository, residual: bool) -> Context:
    """Risk ids per likelihood x severity cell, each cell with the engine's band.

    Rows run from the highest likelihood down, columns from the lowest severity
    up; closed risks are left out. ``residual`` places each risk at its current
    score (the residual once it is credited, else inherent).
    """
    scorer = repo.scorer
    cells, closed = matrix_cells(repo.of_kind(Risk), repo.risk_scores, residual)
    rows: list[Context] = []
    for likelihood in range(scorer.likelihood.top, 0, -1):
        row_cells: list[Context] = []
        for severity in range(1, scorer.severity.top + 1):
            band = scorer.band(likelihood, severity)
            ids = cells.get((likelihood, severity), [])
            row_cells.append(
                {
                    "likelihood": likelihood,
                    "severity": severity,
                    "score": likelihood * severity,
                    "band": band,
                    "css": band_css(repo, band),
                    "count": len(ids),
                    "ids": ids,
                    "lines": cell_lines(ids),
                }
            )
        rows.append(
            {
                "level": likelihood,
                "label": scorer.likelihood.label(likelihood),
                "cells": row_cells,
                # The most lines of ids a cell of the row has: the row grows to show them.
                "lines": max(len(cell["lines"]) for cell in row_cells),
            }
        )
    return {
        "kind": "residual" if residual else "inherent",
        "title": f"Current risk ({scorer.current_words})" if residual else "Inherent risk",
        "rows": rows,
        "severities": [
            {"level": level, "label": scorer.severity.label(level)}
            for level in range(1, scorer.severity.top + 1)
        ],
        "counted": sum(len(ids) for ids in cells.values()),
        # The longest line of ids or band name in any cell, in characters: the cells
        # widen to fit it (every cell writes its band's name).
        "widest": max(
            (
                len(text)
                for row in rows
                for cell in row["cells"]
                for text in (*cell["lines"], cell["band"])
            ),
            default=0,
        ),
        "closed": closed,
    }


def floors(repo: Repository) -> list[Context]:
    """The severity floors as the engine applies them, lowest severity first: the
    legend's score ranges alone would put a rare catastrophe in a lower band than its
    row shows. A floor that raises nothing above a lower floor's band is left out."""
    scorer = repo.scorer
    shown: list[Context] = []
    for level in sorted({level for level, _ in scorer.floors}):
        band = scorer.floor(level)
        if band is None or (shown and shown[-1]["band"] == band):
            continue
        shown.append({"level": level, "label": scorer.severity.label(level), "band": band})
    return shown


def build(repo: Repository, base: str | None, shared: Shared | None = None) -> Context:
    rows = risk_rows(repo, repo.of_kind(Risk), shared or Shared())
    live = [row for row in rows if row["status"] != "closed"]
    by_band = [
        {
            "name": name,
            "css": band_css(repo, name),
            "count": sum(1 for row in live if row["current"]["band"] == name),
        }
        for name in reversed(repo.scorer.bands)
    ]
    return {
        "risks": rows,
        "heatmaps": [heatmap(repo, residual=False), heatmap(repo, residual=True)],
        "summary": {
            "total": len(rows),
            "closed": len(rows) - len(live),
            "by_band": by_band,
            "above_appetite": sum(1 for row in live if not row["within_appetite"]),
            "above_appetite_unaccepted": sum(
                1 for row in live if not row["within_appetite"] and not row["accepted"]
            ),
        },
        "appetite": repo.config.risk.appetite,
        "current_rule": repo.scorer.current_rule,
        "method": repo.config.risk.method,
        "vulnerable_uplift": repo.config.risk.vulnerable_uplift,
        "floors": floors(repo),
        "likelihood_scale": list(repo.scorer.likelihood.labels),
        "severity_scale": list(repo.scorer.severity.labels),
    }
