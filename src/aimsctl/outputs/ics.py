"""A small iCalendar (RFC 5545) writer: all-day events, nothing else.

Enough of the format for a calendar of due dates: content lines end in CRLF and are
folded at 75 octets (never inside a UTF-8 character), TEXT values escape backslash,
semicolon, comma and line breaks, and nothing depends on the clock (the caller
gives DTSTAMP). Properties are written in a fixed order, so the same events give
the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from aimsctl.days import add_days

LINE_OCTETS = 75  # a content line's longest length, CRLF not counted (RFC 5545 3.1)
CRLF = "\r\n"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): ``\\``, ``;`` and ``,`` escaped, any line break
    written as ``\\n``; other control characters, which the format forbids, dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(ch for ch in value if ch == "\t" or (ch >= " " and ch != "\x7f"))


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets, each continuation
    starting with a space; a UTF-8 character is never split."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(ch)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces) + CRLF


def _date(day: date) -> str:
    """A DATE value (RFC 5545 3.3.4): four digits of year, even before 1000."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def sequence(stamp: date) -> int:
    """An event's SEQUENCE (RFC 5545 3.8.7.4, a revision number that only grows): the
    stamp's date as the number YYYYMMDD, so a calendar made as of a later date is a
    later revision of each event, which clients that apply an imported event over
    the one they hold only when its SEQUENCE is higher (Google Calendar) require;
    the same as of date gives the same number, as the output depends on nothing
    but its input."""
    return int(_date(stamp))


@dataclass(frozen=True, slots=True)
class AllDayEvent:
    uid: str
    day: date
    summary: str
    description: str = ""
    categories: tuple[str, ...] = ()


# A calendar holds at least one component (RFC 5545 3.6): with no event, this one,
# an x-comp, which a reader that does not know it ignores, says nothing is in it.
NOTHING = "X-AIMSCTL-NOTHING"


def calendar(
    events: Iterable[AllDayEvent],
    stamp: date,
    name: str,
    product: str,
    nothing: str = "",
    caveat: str = "",
) -> str:
    """A VCALENDAR of all-day VEVENTs; ``stamp`` is the DTSTAMP of every event (the
    as-of date at midnight UTC) and gives its SEQUENCE (:func:`sequence`), so a later
    run's entries replace earlier ones. With no event, a :data:`NOTHING` component
    whose note is ``nothing`` (the calendar's name when empty): a VCALENDAR with no
    component is not valid iCalendar. ``caveat`` (what the calendar lacks) becomes its
    description (X-WR-CALDESC, which calendar applications show) and ends the note."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        # No METHOD: with one, the file is an iTIP message (RFC 5546), whose PUBLISH
        # wants an ORGANIZER on every event; without, a plain calendar (RFC 5545).
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    if caveat:
        lines.append(f"X-WR-CALDESC:{escape_text(caveat)}")
        nothing = f"{nothing or name}. {caveat}"
    dtstamp = f"{_date(stamp)}T000000Z"
    revision = f"SEQUENCE:{sequence(stamp)}"
    written = 0
    for event in events:
        written += 1
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{dtstamp}",
            revision,
            f"DTSTART;VALUE=DATE:{_date(event.day)}",
        ]
        # DTEND must come after DTSTART (RFC 5545 3.8.2.2); the calendar's last day has
        # no next day, and a DATE DTSTART without DTEND lasts that one day (3.6.1).
        if event.day < date.max:
            lines.append(f"DTEND;VALUE=DATE:{_date(add_days(event.day, 1))}")
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.categories:
            lines.append(f"CATEGORIES:{','.join(escape_text(c) for c in event.categories)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    if not written:
        note = f"X-AIMSCTL-NOTE:{escape_text(nothing or name)}"
        lines += [f"BEGIN:{NOTHING}", note, f"END:{NOTHING}"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
