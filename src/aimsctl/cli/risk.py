"""`aimsctl risk`: the scored risk register, the likelihood x severity matrix, one risk explained.

Every number shown here comes from the one scoring engine (`aimsctl.scoring`)
through `Repository.risk_scores` and `Repository.tiers`, so the register, the
matrix and the explanation never disagree about a risk.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, get_args

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError

if TYPE_CHECKING:
    from datetime import date

    from aimsctl.records.risk import Levels, Risk
    from aimsctl.repository import Repository
    from aimsctl.scoring import RiskScore, Score, Scorer

app = typer.Typer(
    name="risk",
    help="Score the AI risk register: bands, appetite, acceptance and system tiers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SCORE_FORMATS = ("table", "json", "csv", "md")
MATRIX_FORMATS = ("text", "json", "md")
SORT_KEYS = ("score", "id", "residual", "inherent")
# Band colours, lowest band first; bands in between take the nearest colour.
PALETTE = ("green", "yellow", "dark_orange", "red")
NONE = "-"

Scored: TypeAlias = "tuple[Risk, RiskScore]"


# --- shared helpers -----------------------------------------------------------------


def _terminal() -> bool:
    return sys.stdout.isatty()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _choose(option: str, value: str, choices: Sequence[str]) -> str:
    """``value`` when it is one of ``choices``, else a usage error (exit 2)."""
    if value in choices:
        return value
    from aimsctl.validation_messages import did_you_mean

    hint = did_you_mean(value, list(choices))
    raise UsageError(f"{option} {value!r} is not one of {', '.join(choices)}{hint}")


def _load(repo: RepoArg, repo_option: RepoOpt, as_of: AsOfOpt) -> Repository:
    """The repository; invalid records are skipped with one line on stderr."""
    from aimsctl.cli.common import open_repository
    from aimsctl.diagnostics import Severity

    repository = open_repository(repo, repo_option, as_of)
    errors = [d for d in repository.diagnostics if d.severity == Severity.ERROR]
    if errors:
        unnamed = {d.path for d in errors if d.record is None}
        skipped = len(repository.invalid) + len(unnamed)
        print(
            f"aimsctl: warning: skipped {_plural(skipped, 'invalid record')} "
            f"({_plural(len(errors), 'error')}); run `aimsctl validate` to see them",
            file=sys.stderr,
        )
    return repository


def _band_style(scorer: Scorer, band: str) -> str:
    rank, count = scorer.rank(band), len(scorer.bands)
    if rank < 0:
        return "dim"
    index = 0 if count == 1 else round(rank * (len(PALETTE) - 1) / (count - 1))
    return PALETTE[index]


def _console(color: bool) -> Any:
    from rich.console import Console

    # Without colour (NO_COLOR), no escape sequences at all: not even bold or italic.
    return Console(
        file=sys.stdout,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
    )


def _plain_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Left-aligned columns two spaces apart; stable for pipes and diffs."""
    body = [list(row) for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(headers)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [list(headers), *body]
    ]


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    return lines


def _levels_text(score: Score | None) -> str:
    if score is None:
        return NONE
    return f"{score.likelihood} x {score.severity} = {score.score} {score.band}"


def _score_json(score: Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {
        "likelihood": score.likelihood,
        "severity": score.severity,
        "score": score.score,
        "band": score.band,
    }


def _acceptance_text(risk: Risk, result: RiskScore) -> str:
    acceptance = risk.acceptance
    if acceptance is None:
        return NONE
    if result.accepted:
        return f"until {acceptance.expires.isoformat()}"
    if result.acceptance_expired:
        return f"expired {acceptance.expires.isoformat()}"
    return f"starts {acceptance.on.isoformat()}"


def _appetite_text(result: RiskScore) -> str:
    return "within" if result.within_appetite else "exceeded"


def _systems_summary(repository: Repository) -> list[tuple[str, str, int]]:
    """(system id, tier, open risks) for every system record, by id."""
    tiers = repository.tiers
    return [
        (
            system_id,
            tiers[system_id],
            sum(1 for r in repository.risks_by_system.get(system_id, ()) if r.status != "closed"),
        )
        for system_id in sorted(tiers)
    ]


# --- aimsctl risk score -------------------------------------------------------------


def _select(
    repository: Repository,
    systems: list[str],
    bands: list[str],
    statuses: list[str],
    above_appetite: bool,
) -> list[Scored]:
    from aimsctl.records import AISystem, Risk
    from aimsctl.records.risk import RiskStatus

    scorer = repository.scorer
    known_systems = sorted(
        {s.id for s in repository.of_kind(AISystem)}
        | {system_id for r in repository.of_kind(Risk) for system_id in r.systems}
        | {i for i, kind in repository.invalid.items() if kind == "AISystem"}
    )
    for system_id in systems:
        _choose("--system", system_id, known_systems)
    by_fold = {name.casefold(): name for name in scorer.bands}
    wanted_bands = {by_fold.get(b.casefold()) or _choose("--band", b, scorer.bands) for b in bands}
    for status in statuses:
        _choose("--status", status, get_args(RiskStatus))
    scores = repository.risk_scores
    chosen: list[Scored] = []
    for risk in repository.of_kind(Risk):
        result = scores[risk.id]
        if systems and not set(systems) & set(risk.systems):
            continue
        if wanted_bands and result.current.band not in wanted_bands:
            continue
        if statuses and risk.status not in statuses:
            continue
        if above_appetite and result.within_appetite:
            continue
        chosen.append((risk, result))
    return chosen


def _sort(rows: list[Scored], key: str) -> list[Scored]:
    if key == "id":
        return sorted(rows, key=lambda row: row[0].id)
    if key == "inherent":
        return sorted(rows, key=lambda row: (-row[1].inherent.score, row[0].id))
    if key == "residual":
        # Risks with a residual first (highest first), then the untreated ones by id.
        return sorted(
            rows,
            key=lambda row: (
                row[1].residual is None,
                -row[1].residual.score if row[1].residual else 0,
                row[0].id,
            ),
        )
    return sorted(rows, key=lambda row: (-row[1].current.score, row[0].id))


def _risk_cells(risk: Risk, result: RiskScore) -> list[str]:
    return [
        risk.id,
        risk.title,
        ", ".join(risk.systems),
        _levels_text(result.inherent),
        _levels_text(result.residual),
        _appetite_text(result),
        _acceptance_text(risk, result),
        risk.owner,
        risk.status,
    ]


RISK_HEADERS = (
    "ID",
    "TITLE",
    "SYSTEMS",
    "INHERENT",
    "RESIDUAL",
    "APPETITE",
    "ACCEPTANCE",
    "OWNER",
    "STATUS",
)
SYSTEM_HEADERS = ("SYSTEM", "TIER", "OPEN RISKS")


def _summary_line(repository: Repository, rows: list[Scored]) -> str:
    from aimsctl.records import Risk

    above = [row for row in rows if not row[1].within_appetite]
    accepted = sum(1 for row in above if row[1].accepted)
    return (
        f"{len(rows)} of {_plural(len(repository.of_kind(Risk)), 'risk')} shown; "
        f"appetite {repository.config.risk.appetite}: {len(above)} above "
        f"({accepted} accepted)"
    )


def _empty_text(repository: Repository) -> str:
    from aimsctl.records import Risk

    return (
        "no risks in the register" if not repository.of_kind(Risk) else "no risks match the filters"
    )


def _render_json(repository: Repository, rows: list[Scored]) -> str:
    import json

    document = {
        "version": 1,
        "risks": [
            {
                "id": risk.id,
                "title": risk.title,
                "systems": list(risk.systems),
                "status": risk.status,
                "inherent": _score_json(result.inherent),
                "residual": _score_json(result.residual),
                "within_appetite": result.within_appetite,
                "accepted": result.accepted,
            }
            for risk, result in rows
        ],
        "systems": [
            {"id": system_id, "tier": tier, "open_risks": count}
            for system_id, tier, count in _systems_summary(repository)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CSV_HEADERS = (
    "id",
    "title",
    "systems",
    "status",
    "owner",
    "inherent_likelihood",
    "inherent_severity",
    "inherent_score",
    "inherent_band",
    "residual_likelihood",
    "residual_severity",
    "residual_score",
    "residual_band",
    "within_appetite",
    "accepted",
    "acceptance_expires",
)


def _render_csv(rows: list[Scored]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for risk, result in rows:
        inherent, residual = result.inherent, result.residual
        writer.writerow(
            [
                risk.id,
                risk.title,
                ";".join(risk.systems),
                risk.status,
                risk.owner,
                inherent.likelihood,
                inherent.severity,
                inherent.score,
                inherent.band,
                *(
                    ["", "", "", ""]
                    if residual is None
                    else [residual.likelihood, residual.severity, residual.score, residual.band]
                ),
                str(result.within_appetite).lower(),
                str(result.accepted).lower(),
                risk.acceptance.expires.isoformat() if risk.acceptance else "",
            ]
        )
    return buffer.getvalue()


def _render_md(repository: Repository, rows: list[Scored]) -> str:
    lines: list[str] = []
    if rows:
        headers = [h.capitalize() for h in RISK_HEADERS]
        lines.extend(_md_table(headers, (_risk_cells(risk, result) for risk, result in rows)))
        lines.append("")
        lines.append(_summary_line(repository, rows) + ".")
    else:
        lines.append(_empty_text(repository).capitalize() + ".")
    lines.append("")
    lines.append("System tiers (the highest band among each system's open risks):")
    lines.append("")
    lines.extend(
        _md_table(
            ("System", "Tier", "Open risks"),
            ([s, t, str(n)] for s, t, n in _systems_summary(repository)),
        )
    )
    return "\n".join(lines) + "\n"


def _render_plain(repository: Repository, rows: list[Scored]) -> str:
    lines: list[str] = []
    if rows:
        lines.extend(_plain_table(RISK_HEADERS, (_risk_cells(r, s) for r, s in rows)))
        lines.append("")
        lines.append(_summary_line(repository, rows))
    else:
        lines.append(_empty_text(repository))
    lines.append("")
    lines.append("System tiers (the highest band among each system's open risks):")
    lines.extend(
        _plain_table(SYSTEM_HEADERS, ([s, t, str(n)] for s, t, n in _systems_summary(repository)))
    )
    return "\n".join(lines) + "\n"


def _print_rich_register(repository: Repository, rows: list[Scored], color: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    scorer = repository.scorer
    console = _console(color)

    def banded(text: str, band: str | None) -> Text:
        return Text(text, style=_band_style(scorer, band) if band else "")

    if rows:
        table = Table(title="Risk register", header_style="bold")
        for header in RISK_HEADERS:
            table.add_column(header.capitalize(), no_wrap=header not in ("TITLE", "OWNER"))
        for risk, result in rows:
            cells = _risk_cells(risk, result)
            residual = result.residual
            table.add_row(
                *cells[:3],
                banded(cells[3], result.inherent.band),
                banded(cells[4], residual.band if residual else None),
                Text(cells[5], style="" if result.within_appetite else "bold"),
                *cells[6:],
            )
        console.print(table)
        console.print(_summary_line(repository, rows))
    else:
        console.print(_empty_text(repository))
    systems = Table(title="System tiers", header_style="bold")
    for header in SYSTEM_HEADERS:
        systems.add_column(header.capitalize())
    for system_id, tier, count in _systems_summary(repository):
        systems.add_row(system_id, banded(tier, tier), str(count))
    console.print(systems)


@app.command("score")
def score(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system", help="Only risks of this system (repeatable).", show_default=False
        ),
    ] = None,
    band: Annotated[
        list[str] | None,
        typer.Option(
            "--band",
            help="Only risks whose current band (residual where given) is this (repeatable).",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="Only risks with this status: open, treating, monitoring, closed (repeatable).",
            show_default=False,
        ),
    ] = None,
    above_appetite: Annotated[
        bool,
        typer.Option("--above-appetite", help="Only risks whose current band exceeds appetite."),
    ] = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="score (current score, highest first), inherent, residual, or id.",
        ),
    ] = "score",
    format: Annotated[
        str, typer.Option("--format", "-f", help="table, json, csv or md.")
    ] = "table",
) -> None:
    """The risk register scored: inherent and residual bands, appetite, acceptance, tiers."""
    _choose("--format", format, SCORE_FORMATS)
    _choose("--sort", sort, SORT_KEYS)
    repository = _load(repo, repo_option, as_of)
    rows = _sort(_select(repository, system or [], band or [], status or [], above_appetite), sort)
    if format == "json":
        sys.stdout.write(_render_json(repository, rows))
    elif format == "csv":
        sys.stdout.write(_render_csv(rows))
    elif format == "md":
        sys.stdout.write(_render_md(repository, rows))
    elif _terminal():
        from aimsctl.cli.common import use_color

        _print_rich_register(repository, rows, use_color())
    else:
        sys.stdout.write(_render_plain(repository, rows))


# --- aimsctl risk matrix ------------------------------------------------------------


def _matrix_title(residual: bool) -> str:
    if residual:
        return "Residual risk matrix (residual where given, else inherent)"
    return "Inherent risk matrix"


def _matrix_note(counted: int, closed: int) -> str:
    return (
        f"{_plural(counted, 'risk')} counted; closed risks are excluded ({closed} closed). "
        "Rows: likelihood, highest first; columns: severity; each cell: risk count and band."
    )


def _axis(scale_labels: Sequence[str], number: int) -> str:
    return f"{number} {scale_labels[number - 1]}"


@app.command("matrix")
def matrix(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    residual: Annotated[
        bool,
        typer.Option(
            "--residual", help="Place risks at their residual position (inherent where none)."
        ),
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or md.")] = "text",
) -> None:
    """The likelihood x severity grid with the number of open risks in each cell."""
    from aimsctl.records import Risk
    from aimsctl.scoring import matrix_cells

    _choose("--format", format, MATRIX_FORMATS)
    repository = _load(repo, repo_option, as_of)
    scorer = repository.scorer
    cells, closed = matrix_cells(repository.of_kind(Risk), repository.risk_scores, residual)
    counted = sum(len(ids) for ids in cells.values())
    likelihoods = range(scorer.likelihood.top, 0, -1)
    severities = range(1, scorer.severity.top + 1)
    l_labels, s_labels = scorer.likelihood.labels, scorer.severity.labels
    if format == "json":
        import json

        document = {
            "version": 1,
            "position": "residual" if residual else "inherent",
            "likelihood": list(l_labels),
            "severity": list(s_labels),
            "cells": [
                {
                    "likelihood": li,
                    "severity": si,
                    "score": li * si,
                    "band": scorer.band(li, si),
                    "count": len(cells.get((li, si), [])),
                    "risks": cells.get((li, si), []),
                }
                for li in likelihoods
                for si in severities
            ],
            "counted": counted,
            "closed_excluded": closed,
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    corner = "Likelihood / Severity"
    headers = [corner, *(_axis(s_labels, si) for si in severities)]

    def cell(li: int, si: int) -> str:
        return f"{len(cells.get((li, si), []))} {scorer.band(li, si)}"

    grid = [[_axis(l_labels, li), *(cell(li, si) for si in severities)] for li in likelihoods]
    title, note = _matrix_title(residual), _matrix_note(counted, closed)
    if format == "md":
        lines = [f"**{title}**", "", *_md_table(headers, grid), "", note]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    if not _terminal():
        lines = [title, "", *_plain_table(headers, grid), "", note]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from aimsctl.cli.common import use_color

    _print_rich_matrix(scorer, cells, title, note, use_color())


def _print_rich_matrix(
    scorer: Scorer,
    cells: dict[tuple[int, int], list[str]],
    title: str,
    note: str,
    color: bool,
) -> None:
    """The grid as a Rich table: cells coloured by band (band names too without colour)."""
    from rich.table import Table
    from rich.text import Text

    l_labels, s_labels = scorer.likelihood.labels, scorer.severity.labels
    table = Table(title=title, header_style="bold", show_lines=True)
    table.add_column("Likelihood / Severity", style="bold")
    for si in range(1, scorer.severity.top + 1):
        table.add_column(_axis(s_labels, si), justify="center")
    for li in range(scorer.likelihood.top, 0, -1):
        row: list[Text] = [Text(_axis(l_labels, li))]
        for si in range(1, scorer.severity.top + 1):
            band = scorer.band(li, si)
            count = len(cells.get((li, si), []))
            if color:
                style = f"black on {_band_style(scorer, band)}"
                row.append(Text(str(count) if count else "", style=style))
            else:
                row.append(Text(f"{count} {band}"))
        table.add_row(*row)
    console = _console(color)
    console.print(table)
    if color:
        legend = Text("Bands: ")
        for name in scorer.bands:
            legend.append(f" {name} ", style=f"black on {_band_style(scorer, name)}")
            legend.append(" ")
        console.print(legend)
    console.print(note)


# --- aimsctl risk show --------------------------------------------------------------


def _id_key(record_id: str) -> str:
    """An id folded for "did you mean": case and leading zeros ignored (r-7 = R-007)."""
    import re

    return re.sub(r"\d+", lambda m: str(int(m.group())), record_id.casefold())


def _find_risk(repository: Repository, risk_id: str) -> Risk:
    from aimsctl.records import Risk

    entry = repository.entries.get(risk_id)
    if entry is not None and isinstance(entry.record, Risk):
        return entry.record
    if entry is not None:
        raise UsageError(f"{risk_id!r} is not a Risk but a record of kind {entry.record.kind}")
    if risk_id in repository.invalid:
        raise UsageError(
            f"{risk_id!r} is invalid and was skipped; run `aimsctl validate` to see why"
        )
    ids = [r.id for r in repository.of_kind(Risk)]
    same = [i for i in ids if _id_key(i) == _id_key(risk_id)]
    if same:
        hint = f"; did you mean {same[0]!r}?"
    else:
        from aimsctl.validation_messages import did_you_mean

        hint = did_you_mean(risk_id, ids)
    raise UsageError(f"no risk {risk_id!r} in the repository{hint}")


def _position_lines(scorer: Scorer, written: Levels, score: Score, vulnerable: bool) -> list[str]:
    """How one (likelihood, severity) pair becomes a score and a band, in words."""
    likelihood, severity = int(written.likelihood), int(written.severity)
    lines = [f'  likelihood "{scorer.likelihood.label(likelihood)}" = {likelihood}']
    words = f'  severity "{scorer.severity.label(severity)}" = {severity}'
    uplift = scorer.config.vulnerable_uplift
    added = score.severity - severity
    if vulnerable and added == uplift and uplift:
        words += f", +{added} for vulnerable groups = {score.severity}"
    elif vulnerable and uplift:
        words += (
            f", +{added} for vulnerable groups (uplift {uplift} capped at the top level "
            f"{scorer.severity.top}) = {score.severity}"
        )
    elif vulnerable:
        words += " (affects vulnerable groups; risk.vulnerable_uplift is 0)"
    lines.append(words)
    product = f"  score {score.likelihood} x {score.severity} = {score.score}"
    if scorer.config.method == "matrix":
        lines.append(
            f"{product}, band {score.band} from the matrix cell likelihood {score.likelihood} "
            f'"{scorer.likelihood.label(score.likelihood)}" x severity {score.severity} '
            f'"{scorer.severity.label(score.severity)}"'
        )
    else:
        low, high = scorer.band_range(score.band)
        lines.append(f"{product}, band {score.band} ({low}-{high})")
    return lines


def _acceptance_lines(risk: Risk, result: RiskScore, as_of: date) -> str:
    acceptance = risk.acceptance
    if acceptance is None:
        return "Acceptance: none"
    said = f"accepted by {acceptance.by} on {acceptance.on.isoformat()}"
    until = acceptance.expires.isoformat()
    if result.accepted:
        return f"Acceptance: {said} until {until} (in force on {as_of.isoformat()})"
    if result.acceptance_expired:
        return f"Acceptance: {said}, expired on {until} (as of {as_of.isoformat()})"
    return f"Acceptance: {said} until {until}, not yet in force on {as_of.isoformat()}"


@app.command("show")
def show(
    risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk's id.")],
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Explain one risk's score in words: levels, uplift, band, appetite, acceptance."""
    repository = _load(repo, repo_option, as_of)
    risk = _find_risk(repository, risk_id)
    scorer = repository.scorer
    result = repository.risk_scores[risk.id]
    config = scorer.config
    tiers = repository.tiers
    systems = ", ".join(
        f"{s} (tier {tiers[s]})" if s in tiers else f"{s} (no such system)" for s in risk.systems
    )
    lines = [
        f"{risk.id}: {risk.title}",
        f"Systems: {systems}",
        f"Status: {risk.status}; owner: {risk.owner}",
        "",
        "Inherent",
        *_position_lines(scorer, risk.inherent, result.inherent, risk.affects_vulnerable),
    ]
    if risk.residual is not None and result.residual is not None:
        lines.append("Residual")
        lines.extend(
            _position_lines(scorer, risk.residual, result.residual, risk.affects_vulnerable)
        )
    else:
        lines.append("Residual: none given; the inherent score counts")
    which = "residual" if result.residual is not None else "inherent"
    verdict = "within" if result.within_appetite else "exceeded"
    lines.append(
        f"Appetite {config.appetite}: {verdict} (the {which} band is {result.current.band})"
    )
    lines.append(_acceptance_lines(risk, result, repository.as_of))
    if not result.within_appetite and not result.accepted:
        lines.append("Needs treatment or a formal acceptance: the risk is above appetite.")
    treatment = risk.treatment
    if treatment is not None:
        parts: list[str] = [treatment.option]
        if treatment.controls:
            parts.append(f"controls {', '.join(treatment.controls)}")
        if treatment.due is not None:
            parts.append(f"due {treatment.due.isoformat()}")
        if treatment.owner:
            parts.append(f"owner {treatment.owner}")
        lines.append(f"Treatment: {'; '.join(parts)}")
    else:
        lines.append("Treatment: none")
    if risk.status == "closed":
        lines.append("Closed: this risk does not count toward any system's tier.")
    sys.stdout.write("\n".join(lines) + "\n")
