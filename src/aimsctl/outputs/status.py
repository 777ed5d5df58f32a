"""The formats of `aimsctl status`: one screen of text (Rich on a terminal, plain
columns in a pipe) and JSON.

Both text layouts show the same facts in the same order: the systems by tier and
stage, validation, what is overdue and due soon, placeholders, and a readiness
line per clause 4 to 10 and per Annex A area. The Rich layout stays readable at 80
columns: only titles and descriptions wrap, never ids, dates or counts.
"""

from __future__ import annotations

import json
from typing import Any

from aimsctl import codes
from aimsctl.outputs.due import when
from aimsctl.outputs.validation.text import excluded_note, relaxed_note
from aimsctl.readiness import GAP, NOT_APPLICABLE, OVERDUE, READY, Line
from aimsctl.status import Status
from aimsctl.text import failed_places, left_out_note, plain_table, plural, printable

# Due items and placeholders listed on the screen; `aimsctl due` and `validate` list all.
SHOWN = 10
STATE_WORDS = {READY: "ready", GAP: "gaps", OVERDUE: "overdue", NOT_APPLICABLE: "not applicable"}
STATE_STYLES = {READY: "green", GAP: "yellow", OVERDUE: "bold red", NOT_APPLICABLE: "dim"}


def _title(status: Status) -> str:
    return f"{status.organization}: AI management system status as of {status.as_of}"


def _counts(pairs: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{count} {name}" for name, count in pairs) or "none"


def _systems_lines(status: Status) -> list[str]:
    return [
        f"Systems: {len(status.systems)}",
        f"  by tier:  {_counts(status.tiers)}",
        f"  by stage: {_counts(status.stages)}",
    ]


def _validation_line(status: Status) -> str:
    """Errors, warnings and waived findings, as `validate` counts them: a waived
    finding is counted, never silently dropped; "(clean)" only when there is none."""
    found = (status.errors, status.warnings, status.waived)
    line = (
        f"Validation: {plural(status.errors, 'error')}, {plural(status.warnings, 'warning')}, "
        f"{status.waived} waived" + ("" if any(found) else " (clean)")
    )
    if status.relaxed:  # a clean run under rules set aside is said to be one
        line += f"; {relaxed_note(list(status.relaxed))}"
    if status.excluded:  # and so is one over fewer files than the repository holds
        line += f"; {excluded_note(status.excluded)}"
    if status.set_up is not None:  # a clean run of a system on paper is said to be one
        line += (
            f"; the management system is being set up ({codes.AIMS_BEING_SET_UP}), so "
            f"{status.set_up} until "
            + (str(status.established) if status.established else "`established` is set")
        )
    return line


def _obligations_line(status: Status, repository: str = "") -> str | None:
    """The obligations by status, as `aimsctl obligations` sums them (on the same day);
    None where no system owes any."""
    counts = status.obligations
    if not any(counts.values()):
        return None
    shown = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    listing = _command("obligations", repository, f"--as-of {status.due.as_of.isoformat()}")
    return f"Obligations: {shown} (`{listing}` lists them)"


def _due_heading(status: Status) -> str:
    due = status.due
    upcoming = len(due.items) - due.overdue
    return f"Due: {due.overdue} overdue, {upcoming} due within {plural(due.within, 'day')}"


def _left_out_lines(status: Status, repository: str = "") -> list[str]:
    """The files whose records failed validation: their dates are not in the list, so
    a short list never passes for a complete one (as `aimsctl due` warns)."""
    files = status.due.left_out
    if not files:
        return []
    validate = _command("validate", repository)
    listed = ", ".join(files)
    return [f"  Not listed: the dates in {failed_places(files)}: {listed}; run {validate}"]


def _incomplete_lines(status: Status, repository: str = "") -> list[str]:
    """Where records failed validation: what they hold is in none of the tiers, due
    items and readiness lines, so the screen never reads as complete."""
    files = status.due.left_out
    if not files:
        return []
    what = "the tiers, due items and readiness below leave out what {its} records hold"
    return [left_out_note(files, what, _command("validate", repository))]


def _command(name: str, repository: str, *options: str) -> str:
    """A command to run from where status ran: ``repository`` is the repository as it
    was given ("" for the current folder), already quoted for a shell."""
    return " ".join(("aimsctl", name, *([repository] if repository else []), *options))


def _due_command(status: Status, repository: str) -> str:
    """The `due` run that lists every item this status counts (the same window and day)."""
    due = status.due
    return _command("due", repository, f"--within {due.within}", f"--as-of {due.as_of.isoformat()}")


def _more(total: int, what: str, command: str) -> list[str]:
    """The line that says where the rest is, past the first SHOWN (``what`` singular)."""
    if total <= SHOWN:
        return []
    return [f"  ... and {plural(total - SHOWN, 'more ' + what)}: {command}"]


def _placeholder_lines(status: Status, repository: str = "") -> list[str]:
    found = status.placeholders
    if not found:
        return ["Placeholders: none left"]
    lines = [f"Placeholders: {len(found)} left (TODO: text to write)"]
    for item in found[:SHOWN]:
        lines.append(f"  {item.path}:{item.line}" + (f" [{item.record}]" if item.record else ""))
    return lines + _more(len(found), "placeholder", _command("validate", repository))


def _line_cells(line: Line) -> list[str]:
    gaps = f"missing {', '.join(line.gaps)}" if line.gaps else ""
    if line.excluded:
        # An exclusion is decided, not implemented: counted apart, never as ready.
        every = line.excluded == len(line.requirements)
        excluded = "all excluded in the SoA" if every else f"{line.excluded} excluded"
        gaps = "; ".join(part for part in (gaps, excluded) if part)
    due = []
    if line.overdue:
        due.append(f"{line.overdue} overdue")
    if line.due:
        due.append(f"{line.due} due")
    return [
        line.id,
        line.title,
        f"{line.ready}/{len(line.requirements)}",
        STATE_WORDS[line.state],
        "; ".join(part for part in (gaps, ", ".join(due)) if part),
    ]


READINESS_HEADERS = ("", "", "READY", "STATE", "NOTES")


def _readiness_rows(lines: tuple[Line, ...]) -> list[str]:
    return ["  " + row for row in plain_table(READINESS_HEADERS, map(_line_cells, lines))]


def render_text(
    status: Status, terminal: bool = False, color: bool = False, repository: str = ""
) -> str:
    """The screen: Rich panels and tables on a terminal, plain text otherwise.
    ``repository``: the repository as given, for the commands the screen suggests."""
    rich = render_rich(status, color, repository=repository) if terminal else None
    if rich is not None:
        return rich
    lines = [_title(status), "", *_systems_lines(status), _validation_line(status)]
    duties = _obligations_line(status, repository)
    lines += [duties] if duties is not None else []
    lines += [*_incomplete_lines(status, repository), ""]
    lines.append(_due_heading(status))
    items = status.due.items
    if items:
        lines += [
            "  " + row
            for row in plain_table(
                ("DUE", "WHEN", "RECORD", "WHAT"),
                ((i.due.isoformat(), when(i), i.record, i.what) for i in items[:SHOWN]),
            )
        ]
        lines += _more(len(items), "item", _due_command(status, repository))
    lines += _left_out_lines(status, repository)
    lines += ["", *_placeholder_lines(status, repository), ""]
    lines.append("Readiness, clauses 4 to 10 (requirements evidenced of all):")
    lines += _readiness_rows(status.readiness.clauses)
    lines += ["", "Readiness, Annex A controls (implemented and evidenced of all):"]
    lines += _readiness_rows(status.readiness.annex_a)
    return "".join(printable(line.rstrip()) + "\n" for line in lines)


def render_rich(
    status: Status, color: bool, width: int | None = None, repository: str = ""
) -> str | None:
    """The Rich layout: a heading, a summary, the due items and the readiness tables;
    None on a terminal too narrow for them (the plain layout is shown there)."""
    from rich.table import Table
    from rich.text import Text

    from aimsctl.outputs.terminal import fits, on_terminal

    shown: list[Any] = [Text(printable(_title(status)), style="bold"), ""]
    summary = Table.grid(padding=(0, 2))
    summary.add_column(no_wrap=True, style="bold")
    summary.add_column(overflow="fold")
    # Tiers are band names from aims.yaml: text the user wrote, escaped as elsewhere.
    summary.add_row("Systems", Text(printable(f"{len(status.systems)}: {_counts(status.tiers)}")))
    summary.add_row("Stages", Text(_counts(status.stages)))
    summary.add_row(
        "Validation",
        Text(
            _validation_line(status).partition(": ")[2],
            style="bold red" if status.errors else "",
        ),
    )
    duties = _obligations_line(status, repository)
    if duties is not None:
        missing = status.obligations.get("missing", 0)
        summary.add_row(
            "Obligations", Text(duties.partition(": ")[2], style="bold red" if missing else "")
        )
    summary.add_row("Placeholders", Text(_placeholder_lines(status)[0].partition(": ")[2]))
    shown += [summary]
    shown += [Text(line, style="bold red") for line in _incomplete_lines(status, repository)]
    shown += [""]

    due = Table(title=_due_heading(status), title_justify="left", header_style="bold")
    due.add_column("Due", no_wrap=True)
    due.add_column("When", no_wrap=True)
    due.add_column("Record", no_wrap=True)
    due.add_column("What", overflow="fold", min_width=20, ratio=1)
    for item in status.due.items[:SHOWN]:
        due.add_row(
            item.due.isoformat(),
            Text(when(item), style="bold red" if item.overdue else ""),
            Text(printable(item.record)),
            Text(printable(item.what)),
        )
    tables = [due] if status.due.items else []
    shown.append(due if status.due.items else Text(_due_heading(status)))
    more = _more(len(status.due.items), "item", _due_command(status, repository))
    shown += [Text(printable(line)) for line in more]
    unlisted = _left_out_lines(status, repository)
    shown += [Text(printable(line.strip()), style="bold red") for line in unlisted]
    for title, lines in (
        ("Readiness, clauses 4 to 10", status.readiness.clauses),
        ("Readiness, Annex A", status.readiness.annex_a),
    ):
        table = Table(title=title, title_justify="left", header_style="bold")
        table.add_column("", no_wrap=True)
        table.add_column("", overflow="fold", min_width=14, ratio=2)
        table.add_column("Ready", no_wrap=True, justify="right")
        table.add_column("State", no_wrap=True)
        table.add_column("Notes", overflow="fold", min_width=12, ratio=2)
        for line in lines:
            cells = _line_cells(line)
            table.add_row(
                cells[0],
                Text(printable(cells[1])),
                cells[2],
                Text(cells[3], style=STATE_STYLES[line.state]),
                Text(cells[4]),
            )
        shown += ["", table]
        tables.append(table)
    if not all(fits(table, width) for table in tables):
        return None
    return on_terminal(color, *shown, width=width)


def render_json(
    status: Status, terminal: bool = False, color: bool = False, repository: str = ""
) -> str:
    """The documented shape (``version`` 1; see the README); it suggests no command."""
    return json.dumps(status.as_json(), indent=2, ensure_ascii=False) + "\n"
