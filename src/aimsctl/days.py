"""Calendar arithmetic on dates the user gave, held at the ends of the calendar.

Record files and ``--as-of`` may name any date Python can hold, 9999-12-31
included (a waiver "until the end of time", a mistyped year). A review due a year
after such a date lies beyond the calendar; it is held at its last day instead of
ending the run with an overflow; a due date held so comes earlier than the true
one, never later.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

# How every date is written, in records, aims.yaml, CSV files and options: ASCII digits
# only (unlike \d), and not the compact 20270630 that date.fromisoformat also reads.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> date | None:
    """``text`` as a date when it is one written YYYY-MM-DD; None otherwise."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2027-02-30
        return None


# A day written another way: 20/11/2026, 11.20.2026, 2026/11/20 (separator kept
# throughout), or YYYY-MM-DD with a time after it.
_OTHER_ORDER = re.compile(r"([0-9]{1,4})([/.-])([0-9]{1,2})\2([0-9]{1,4})", flags=re.ASCII)
_WITH_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}\S*", flags=re.ASCII)


def meant_date(text: str) -> str:
    """``; did you mean YYYY-MM-DD?`` for a date written another way when only one
    day can be meant, else nothing. Day and month are told apart only where one of
    them is above 12: 05/11/2026 is 5 November in Europe and May 11 in the US, so it
    gets no guess."""
    text = text.strip()
    if (timed := _WITH_TIME.fullmatch(text)) is not None:
        day = iso_date(timed.group(1))
        return f"; did you mean {day.isoformat()}?" if day is not None else ""
    found = _OTHER_ORDER.fullmatch(text)
    if found is None:
        return ""
    first, _, second, last = found.groups()
    if len(first) == 4:
        year, month, day_of = int(first), int(second), int(last)
    elif len(last) == 4 and (int(first) > 12) != (int(second) > 12):
        year = int(last)
        day_of, month = (int(first), int(second)) if int(first) > 12 else (int(second), int(first))
    else:
        return ""
    try:
        return f"; did you mean {date(year, month, day_of).isoformat()}?"
    except ValueError:  # 31/11/2026
        return ""


def add_days(day: date, days: int) -> date:
    """``day`` plus ``days`` (minus, when negative), held at ``date.max`` or ``date.min``."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def years_before(day: date, years: int) -> date:
    """The first day of the ``years`` years up to ``day``: the same day ``years``
    earlier, held at ``date.min``. A window that starts there is the narrower one
    where that day does not exist: for 29 February, 1 March, as a day is within
    three years of 29 February 2028 when three years after it come on or after it
    (28 February 2025 is three years and a day before; 1 March 2025 is not)."""
    year = day.year - years
    if year < date.min.year:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return date(year, 3, 1)


def earliest_day(stamp: str) -> date | None:
    """The earliest calendar day anywhere on earth (at UTC-12) of the moment an ISO 8601
    date-time with an offset names (a git commit's `%cI`); None for text that is not
    one. Only what is later than a day by this is later wherever that day was meant.
    At the calendar's start the day itself (no earlier day to fall back to)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    try:
        return moment.astimezone(timezone(timedelta(hours=-12))).date()
    except OverflowError:
        return moment.date()
