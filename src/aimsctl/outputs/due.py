"""The formats of `aimsctl due`: a table, the contract's JSON, CSV, and an iCalendar.

Every renderer takes a :class:`~aimsctl.due.DueList` and returns the whole output.
Record text is untrusted: the table shows it through :func:`printable`; JSON, CSV
and the calendar carry it as written, each escaped the way its format requires.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

from aimsctl.due import DueItem, DueList
from aimsctl.outputs.ics import AllDayEvent, calendar
from aimsctl.text import csv_cell, left_out_note, plain_table, plural, printable

HEADERS = ("DUE", "WHEN", "RECORD", "OWNER", "WHAT")
CSV_HEADERS = ("due", "overdue", "days", "what", "record", "kind", "path", "owner", "item")
PRODUCT = "-//aimsctl//due dates//EN"


def when(item: DueItem) -> str:
    """How far the date is from the as-of date, in words: ``3 days late``, ``today``."""
    if item.overdue:
        return f"{plural(-item.days, 'day')} late" if item.days < 0 else "overdue"
    if item.days == 0:
        return "today"
    return f"in {plural(item.days, 'day')}"


def summary_line(due: DueList) -> str:
    whose = f" of {due.owner}" if due.owner else ""
    return (
        f"{plural(len(due.items), 'item')}{whose} overdue or due within "
        f"{plural(due.within, 'day')} of {due.as_of}: {due.overdue} overdue"
    )


def render_table(due: DueList) -> str:
    """The items in date order (overdue first, as they are the oldest), then a summary."""
    lines: list[str] = []
    if due.items:
        lines += plain_table(
            HEADERS,
            (
                (
                    item.due.isoformat(),
                    when(item),
                    item.record,
                    item.owner or "-",
                    item.what,
                )
                for item in due.items
            ),
        )
        lines.append("")
    lines.append(summary_line(due))
    lines += _caveats(due)
    return "".join(printable(line) + "\n" for line in lines)


def render_json(due: DueList) -> str:
    """The contract's shape (``version`` 1): items sorted by due date, then record."""
    return json.dumps(due.as_json(), indent=2, ensure_ascii=False) + "\n"


def render_csv(due: DueList) -> str:
    """One row per item, the header even when there are none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for item in due.items:
        writer.writerow(
            csv_cell(cell)
            for cell in [
                item.due.isoformat(),
                str(item.overdue).lower(),
                item.days,
                item.what,
                item.record,
                item.kind,
                item.path,
                item.owner or "",
                item.item,
            ]
        )
    return buffer.getvalue()


def uid(due: DueList, item: DueItem) -> str:
    """The item's calendar UID: its name across runs (:attr:`DueItem.uid`: its record
    id and what is due in it; an action's own text) and the organization (so two
    repositories with the same ids do not collide). It does not change with the
    date, so importing a later calendar moves the entry.

    Record ids are told apart by letter case (`OBJ-1` and `obj-1` are two records),
    but calendar clients match UIDs regardless of case, and would take one entry for
    the other: a record id with lower-case letters adds which of its letters are
    lower case (a bit per character, in hexadecimal) after the organization, so no
    two UIDs differ only in case. An id in capitals and digits adds nothing (its UID
    is what it always was); what follows the id is lower case
    (:attr:`DueItem.uid_record`), and the names of aims.yaml's items
    (`aims.yaml/next-InternalAudit`) differ from every other by more than case."""
    where = hashlib.sha256(due.organization.encode("utf-8")).hexdigest()[:12]
    lower = sum(1 << at for at, char in enumerate(item.uid_record) if "a" <= char <= "z")
    case = f".{lower:x}" if lower else ""
    return f"{item.uid}/{where}{case}@aimsctl"


def render_ics(due: DueList) -> str:
    """An RFC 5545 calendar: one all-day VEVENT per item on its due date (an overdue
    item stays on the day it fell due), stamped with the as-of date."""
    events = []
    for item in due.items:
        late = "OVERDUE: " if item.overdue else ""
        details = [
            f"{item.kind} {item.record}: {item.what}",
            f"Due {item.due.isoformat()} ({when(item)} as of {due.as_of.isoformat()}).",
            f"Owner: {item.owner or 'none recorded'}",
            f"File: {item.path}",
        ]
        events.append(
            AllDayEvent(
                uid=uid(due, item),
                day=item.due,
                summary=f"{late}{item.record}: {item.what}",
                description="\n".join(details),
                categories=(item.kind,),
            )
        )
    name = f"{due.organization}: AI management system due dates"
    whose = f" of {due.owner}" if due.owner else ""
    nothing = f"Nothing{whose} overdue or due within {plural(due.within, 'day')} of {due.as_of}"
    return calendar(events, due.as_of, name, PRODUCT, nothing, ". ".join(_caveats(due)))


def unowned_note(due: DueList) -> str:
    """The items --owner leaves out for having no owner: how many, how many overdue and
    their records ("" when none). The table and the calendar say it after "Not listed: ",
    and `due` warns of it where JSON or CSV cannot say it in words."""
    if not due.unowned:
        return ""
    late = sum(1 for item in due.unowned if item.overdue)
    records = ", ".join(dict.fromkeys(item.record for item in due.unowned))
    them = "it" if len(due.unowned) == 1 else "them"
    return (
        f"{plural(len(due.unowned), 'item')} with no owner recorded ({late} overdue), "
        f"which --owner leaves out: {records}; run aimsctl due without --owner to see {them}"
    )


def _caveats(due: DueList) -> list[str]:
    """What the list lacks, one line each, in the table's last lines and the calendar's
    description alike: the items --owner leaves out for having no owner, and the files
    whose records failed validation."""
    said = [f"Not listed: {unowned_note(due)}"] if due.unowned else []
    if due.left_out:
        consequence = "{its} dates are not listed and more may be overdue"
        said.append(left_out_note(due.left_out, consequence))
    return said
