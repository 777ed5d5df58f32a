"""Dates at the ends of the calendar: 9999-12-31 and 0001-01-01, in records and --as-of.

A record file may name any date Python can hold (a waiver "until the end of time", a
mistyped year), and so may --as-of. A review due a year after such a date lies
beyond the calendar: every command once ended there with an internal error (an
overflow), from validate to the OSCAL export. Each now answers in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hostile_records import plain_words_problem

from aimsctl.days import add_days, years_before
from conftest import AS_OF, PROJECT, CliResult, excluded_soa
from gitrepo import one_system

Cli = Callable[..., CliResult]
ENDS = ("9999-12-31", "0001-01-01")
_DATE = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b")


def _commands(root: Path, out: Path) -> dict[str, tuple[str | Path, ...]]:
    return {
        "validate": ("validate", root, "--no-cache"),
        "validate-sarif": ("validate", root, "--no-cache", "--format", "sarif"),
        "status": ("status", root),
        "due": ("due", root),
        "due-ics": ("due", root, "--format", "ics"),
        "report-all": ("report", "all", root, "--out", out / "reports", "--force"),
        "oscal": ("export", "oscal", root, "--out", out / "oscal.json", "--force"),
        "risk-score": ("risk", "score", root),
        "monitor-check": ("monitor", "check", root),
        "obligations": ("obligations", "SYS-HIRE", root),
        "soa-sync-check": ("soa", "sync", root, "--check"),
    }


def _with_every_date(root: Path, day: str) -> None:
    for path in sorted(root.rglob("*.yaml")):
        path.write_text(_DATE.sub(day, path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("records", ("as written", *ENDS))
@pytest.mark.parametrize("as_of", (AS_OF, *ENDS))
def test_every_command_answers_at_the_ends_of_the_calendar(
    example_copy: Path, tmp_path: Path, cli: Cli, records: str, as_of: str
) -> None:
    if records in ENDS:
        _with_every_date(example_copy, records)
    for name, args in _commands(example_copy, tmp_path).items():
        result = cli(*args, "--as-of", as_of)
        if name == "oscal" and as_of in ENDS:  # OSCAL dates documents in 1900-2999 only
            assert result.exit_code == 2, (name, result.exit_code, result.stderr[-2000:])
            assert "outside the years an OSCAL document can be dated" in result.stderr
            continue
        assert result.exit_code in (0, 1), (name, result.exit_code, result.stderr[-2000:])
        assert plain_words_problem(result.stderr) is None, (name, result.stderr)


@pytest.mark.parametrize("as_of", ENDS)
def test_new_records_and_a_new_repository_at_the_ends_of_the_calendar(
    tmp_path: Path, cli: Cli, as_of: str
) -> None:
    """The dates `init` and `new` fill in (a first audit, an objective's due date)
    are held at the calendar's end instead of overflowing."""
    root = tmp_path / "aims"
    assert cli("init", root, "--as-of", as_of).exit_code == 0
    created = cli("new", "Objective", "--repo", root, "--no-input", "--as-of", as_of)
    assert created.exit_code == 0, created.stderr
    written = Path(created.stdout.strip()).read_text(encoding="utf-8")
    if as_of == "9999-12-31":
        assert "due: 9999-12-31" in written
    assert cli("validate", root, "--as-of", as_of, "--no-cache").exit_code in (0, 1)


def test_a_due_date_past_the_calendar_is_held_at_its_last_day(
    make_repo: Callable[..., Path], cli: Cli
) -> None:
    """Controls reviewed in the calendar's last weeks fall due on its last day: the
    closest the calendar comes to the true date, and never later than it."""
    files = one_system()
    files["controls/annex-a.yaml"] = excluded_soa(reviewed="9999-12-20")
    root = make_repo(files, config=files.pop("aims.yaml"))
    result = cli("due", root, "--as-of", "9999-12-25", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"due": "9999-12-31"' in result.stdout


def test_adding_days_holds_at_the_ends() -> None:
    assert add_days(date(2026, 1, 31), 30) == date(2026, 3, 2)
    assert add_days(date(9999, 12, 1), 365) == date.max
    assert add_days(date(1, 1, 10), -30) == date.min
    assert add_days(date.max, 0) == date.max


def test_years_before_holds_at_the_start_and_minds_29_february() -> None:
    # The start of a window: for 29 February the narrower one, from 1 March (28
    # February 2025 is three years and a day before 29 February 2028).
    assert years_before(date(2028, 2, 29), 3) == date(2025, 3, 1)
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)
    assert years_before(date(2028, 2, 28), 3) == date(2025, 2, 28)
    assert years_before(date(2026, 11, 26), 3) == date(2023, 11, 26)
    assert years_before(date(2, 6, 1), 3) == date.min
    assert years_before(date(4, 2, 29), 3) == date(1, 3, 1)


def test_date_arithmetic_has_one_home() -> None:
    """Only days.py adds a timedelta: elsewhere `day + timedelta(...)` on a user's
    date would overflow again at the calendar's end."""
    package = PROJECT / "src" / "aimsctl"
    users = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "timedelta" in path.read_text(encoding="utf-8")
    )
    assert users == ["days.py"]


def test_the_earliest_day_of_a_moment_holds_at_the_calendars_ends() -> None:
    from aimsctl.days import earliest_day

    assert earliest_day("2026-11-27T01:00:00+14:00") == date(2026, 11, 25)
    assert earliest_day("2026-11-27T23:30:00-12:00") == date(2026, 11, 27)
    assert earliest_day("0001-01-01T00:00:00+14:00") == date(1, 1, 1)  # no earlier day
    assert earliest_day("9999-12-31T23:59:59-12:00") == date(9999, 12, 31)
    assert earliest_day("2026-11-27") == date(2026, 11, 27)  # no offset: as written
    assert earliest_day("not a date") is None
