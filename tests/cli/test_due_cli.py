"""`aimsctl due`: the contract's JSON, CSV, the table, and an RFC 5545 calendar that
an independent parser (icalendar) reads back."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from aimsctl.outputs.ics import AllDayEvent, calendar, escape_text, fold
from conftest import AS_OF, EXAMPLE, CliResult, write_files
from factory import (
    Record,
    approved_policy,
    assessment,
    control,
    evaluation,
    incident,
    internal_audit,
    management_review,
    nonconformity,
    objective,
    risk,
    role,
    system,
    waiver,
    yaml_of,
)

Cli = Callable[..., CliResult]
MakeRepo = Callable[..., Path]
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "due-northwind.txt"
# A policy in force, so that the approval AIMS601 asks for (listed as owed while none
# is approved) is not among the items these tests count.
POLICY_IN_FORCE = {"policies/POL-0.yaml": approved_policy("POL-0", on="2026-09-01")}
TRICKY = "Fix it, then; check \\ twice — Zoë's «review»\nsecond line"


def _tricky_repo(make_repo: MakeRepo) -> Path:
    return make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-11-01", status="on-track"),
            "objectives/OBJ-2.yaml": objective(
                "OBJ-2", due="2026-12-05", status="planned", owner="zoë@acme.example"
            ),
            "waivers/W-1.yaml": waiver("W-1", expires="2026-12-20", records=["SYS-1"]),
            **POLICY_IN_FORCE,
        }
    )


def test_json_is_the_contract_shape(cli: Cli, make_repo: MakeRepo) -> None:
    root = _tricky_repo(make_repo)
    result = cli("due", root, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["as_of"] == AS_OF
    items = document["items"]
    assert [(i["record"], i["due"], i["overdue"]) for i in items] == [
        ("OBJ-1", "2026-11-01", True),
        ("OBJ-2", "2026-12-05", False),
        ("W-1", "2026-12-20", False),
    ]
    first = items[0]
    assert {"due", "overdue", "what", "record", "kind", "path", "owner"} <= set(first)
    assert first["kind"] == "Objective"
    assert first["path"] == "objectives/OBJ-1.yaml"
    assert first["owner"] == "cro@acme.example"
    assert first["days"] == -25
    # --within: only what is overdue, or due within that many days.
    narrow = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json", "--within", "9").stdout)
    assert [i["record"] for i in narrow["items"]] == ["OBJ-1", "OBJ-2"]
    mine = json.loads(
        cli("due", root, "--as-of", AS_OF, "-f", "json", "--owner", "zoë@acme.example").stdout
    )
    assert [i["record"] for i in mine["items"]] == ["OBJ-2"]


def test_items_due_the_same_day_are_in_record_order_not_file_or_kind_order(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # cli-v2.md: sorted by `due`, then `record`. On one day, file order (objectives/
    # before waivers/) and kind order (Objective before Waiver) both put ZZ-OBJ first;
    # record order puts A-WVR first.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "objectives/ZZ-OBJ.yaml": objective("ZZ-OBJ", due="2026-12-10", status="planned"),
            "waivers/A-WVR.yaml": waiver("A-WVR", expires="2026-12-10", records=["SYS-1"]),
            **POLICY_IN_FORCE,
        }
    )
    items = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    assert [(i["due"], i["record"]) for i in items] == [
        ("2026-12-10", "A-WVR"),
        ("2026-12-10", "ZZ-OBJ"),
    ]


def test_within_defaults_to_30_days_after_the_as_of_date(cli: Cli, make_repo: MakeRepo) -> None:
    # Due 30 days after 2026-11-26 is in; 31 days after is not, until --within 31.
    root = make_repo(
        {
            "objectives/OBJ-30.yaml": objective("OBJ-30", due="2026-12-26", status="planned"),
            "objectives/OBJ-31.yaml": objective("OBJ-31", due="2026-12-27", status="planned"),
            **POLICY_IN_FORCE,
        }
    )
    default = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert default["within"] == 30
    assert [i["record"] for i in default["items"]] == ["OBJ-30"]
    wider = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json", "--within", "31").stdout)
    assert [i["record"] for i in wider["items"]] == ["OBJ-30", "OBJ-31"]


def test_csv_and_table(cli: Cli, make_repo: MakeRepo) -> None:
    root = _tricky_repo(make_repo)
    rows = list(csv.DictReader(io.StringIO(cli("due", root, "--as-of", AS_OF, "-f", "csv").stdout)))
    assert [(r["record"], r["overdue"], r["days"]) for r in rows] == [
        ("OBJ-1", "true", "-25"),
        ("OBJ-2", "false", "9"),
        ("W-1", "false", "24"),
    ]
    table = cli("due", root, "--as-of", AS_OF).stdout.splitlines()
    assert table[0].split() == ["DUE", "WHEN", "RECORD", "OWNER", "WHAT"]
    assert table[1].startswith("2026-11-01  25 days late  OBJ-1")
    assert table[-1] == "3 items overdue or due within 30 days of 2026-11-26: 1 overdue"


def test_bad_options_are_usage_errors(cli: Cli, make_repo: MakeRepo) -> None:
    root = _tricky_repo(make_repo)
    result = cli("due", root, "--as-of", AS_OF, "--format", "ical")
    assert result.exit_code == 2
    assert "aimsctl: error: --format 'ical' is not one of table, json, csv, ics" in result.stderr
    assert cli("due", root, "--within", "-1").exit_code == 2
    assert "Traceback" not in result.stderr
    # A blank owner (an unset variable) matches nobody: refused, not an empty list.
    for blank in ("", "  "):
        result = cli("due", root, "--as-of", AS_OF, "--owner", blank, "-f", "json")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "aimsctl: error: --owner is blank" in result.stderr


def _events(text: str) -> list[object]:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_ics_parses_back_with_icalendar(cli: Cli, make_repo: MakeRepo) -> None:
    root = _tricky_repo(make_repo)
    first = cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout
    raw = first.encode("utf-8")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    events = _events(first)
    assert len(events) == 3
    by_uid = {str(e["UID"]): e for e in events}  # type: ignore[index]
    assert len(by_uid) == 3
    obj1 = next(e for e in events if str(e["SUMMARY"]).startswith("OVERDUE: OBJ-1"))  # type: ignore[index]
    assert obj1.decoded("DTSTART") == date(2026, 11, 1)  # type: ignore[attr-defined]
    assert obj1.decoded("DTEND") == date(2026, 11, 2)  # type: ignore[attr-defined]
    assert obj1.decoded("DTSTAMP").date() == date(2026, 11, 26)  # type: ignore[attr-defined]
    # A later run: the dates and summaries move, the UIDs do not.
    later = cli("due", root, "--as-of", "2026-12-06", "-f", "ics").stdout
    assert later != first
    assert {str(e["UID"]) for e in _events(later)} == set(by_uid)  # type: ignore[index]
    # The same run twice: the same bytes.
    assert cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout == first


def test_ics_is_a_snapshot_not_an_itip_message(cli: Cli, make_repo: MakeRepo) -> None:
    # METHOD:PUBLISH made the file an iTIP message (RFC 5546), whose PUBLISH asks every
    # VEVENT for an ORGANIZER, which the due dates, nobody's meetings, have none of.
    # Without METHOD (optional in RFC 5545) it is a plain calendar to import or
    # subscribe to.
    root = _tricky_repo(make_repo)
    text = cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout
    parsed = Calendar.from_ical(text)
    assert "METHOD" not in parsed and "ORGANIZER" not in text
    assert text.split("\r\n")[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//aimsctl//due dates//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Test Org: AI management system due dates",
    ]


def test_ics_text_round_trips(tmp_path: Path) -> None:
    events = [
        AllDayEvent("a/b@x", date(2026, 12, 1), TRICKY, TRICKY * 3, ("Risk", "a,b")),
        AllDayEvent("c@x", date.max, "end of time"),
    ]
    text = calendar(events, date(2026, 11, 26), "Zoë; the, calendar", "-//test//EN")
    parsed = Calendar.from_ical(text)
    assert "X-WR-CALNAME:Zoë\\; the\\, calendar\r\n" in text
    found = list(parsed.walk("VEVENT"))
    assert str(found[0]["SUMMARY"]) == TRICKY
    assert str(found[0]["DESCRIPTION"]) == TRICKY * 3
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert found[1].decoded("DTSTART") == date.max


@pytest.mark.parametrize("text", ["é" * 80, "a" * 74 + "€" * 3, "x" * 200])
def test_folding_never_splits_a_character(text: str) -> None:
    folded = fold("SUMMARY:" + text)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert parts[-1] == b""
    assert all(len(p) <= 75 for p in parts)
    for part in parts:
        part.decode("utf-8")  # each line is whole UTF-8
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "SUMMARY:" + text


def test_escaping() -> None:
    assert escape_text("a,b;c\\d\r\ne\rf\ng\x07") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"


def test_due_on_the_example_matches_its_golden_file(cli: Cli) -> None:
    result = cli("due", EXAMPLE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    if os.environ.get("AIMSCTL_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    document = json.loads(cli("due", EXAMPLE, "--as-of", AS_OF, "-f", "json").stdout)
    assert len(document["items"]) == len(result.stdout.splitlines()) - 3


def test_ics_event_on_the_calendars_last_day_is_valid(cli: Cli, make_repo: MakeRepo) -> None:
    # A waiver "until the end of time": DTEND may not equal DTSTART (RFC 5545 3.8.2.2),
    # and 9999-12-31 has no next day, so the event lasts its one day without DTEND.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "waivers/W-1.yaml": waiver("W-1", expires="9999-12-31", records=["SYS-1"]),
        }
    )
    result = cli("due", root, "--as-of", "9999-12-30", "-f", "ics")
    assert result.exit_code == 0, result.stderr
    (event,) = [e for e in _events(result.stdout) if str(e["UID"]).startswith("W-1/")]  # type: ignore[index]
    assert event.decoded("DTSTART") == date.max  # type: ignore[attr-defined]
    assert "DTEND" not in event


def test_an_empty_list_is_a_valid_calendar(cli: Cli, make_repo: MakeRepo) -> None:
    # RFC 5545 3.6: a VCALENDAR holds one component or more. With nothing due, an
    # x-comp that calendars ignore says so; icalendar's own check (from 6.x; 5.x, the
    # lowest version allowed, has none) accepts it.
    root = make_repo({"systems/SYS-1.yaml": system("SYS-1")})
    result = cli("due", root, "--as-of", AS_OF, "--within", "0", "-f", "ics")
    assert result.exit_code == 0, result.stderr
    parsed = Calendar.from_ical(result.stdout)
    validate = getattr(parsed, "validate", None)
    if validate is not None:
        validate()
    assert _events(result.stdout) == []
    (nothing,) = parsed.subcomponents
    assert nothing.name == "X-AIMSCTL-NOTHING"
    note = "Nothing overdue or due within 0 days of 2026-11-26"
    assert str(nothing["X-AIMSCTL-NOTE"]) == note
    # A calendar with events has no such component.
    events = [AllDayEvent("a@x", date(2026, 12, 1), "one")]
    assert "X-AIMSCTL" not in calendar(events, date(2026, 11, 26), "n", "-//test//EN")


def test_a_report_kept_as_a_controlled_document_falls_due(cli: Cli, make_repo: MakeRepo) -> None:
    # `documents.<report>.next_review` in aims.yaml is a review date of the contract
    # (records-v2.md); it was never listed, so an overdue document review went unseen.
    config = (
        "version: 1\norganization: Test Org\ndocuments:\n"
        "  soa: {id: DOC-SOA, owner: ciso@acme.example, next_review: 2026-11-25}\n"
        "  risks: {id: DOC-RISK, next_review: 2026-11-26}\n"
        "  impact: {id: DOC-IA}\n"
    )
    root = make_repo({"systems/SYS-1.yaml": system("SYS-1")}, config=config)
    result = cli("due", root, "--as-of", AS_OF, "-f", "json", "--within", "0")
    assert result.exit_code == 0, result.stderr
    items = [i for i in json.loads(result.stdout)["items"] if i["record"] == "aims.yaml"]
    assert [(i["item"], i["due"], i["overdue"], i["owner"]) for i in items] == [
        ("document-soa", "2026-11-25", True, "ciso@acme.example"),
        ("document-risks", "2026-11-26", False, None),
    ]
    status = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json", "--within", "0").stdout)
    support = next(line for line in status["readiness"]["clauses"] if line["id"] == "7")
    assert (support["overdue"], support["due"]) == (1, 1)


def test_a_controlled_documents_placeholder_owner_is_no_owner(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # A record's `TODO:` owner is listed as no owner (`--owner` reports it among the
    # unowned); a controlled document's `owner: "TODO: ..."` in aims.yaml was listed as
    # the owner "TODO: who owns it".
    config = (
        "version: 1\norganization: Test Org\ndocuments:\n"
        "  soa: {id: DOC-SOA, owner: 'TODO: who owns it', next_review: 2026-12-01}\n"
    )
    root = make_repo({"systems/SYS-1.yaml": system("SYS-1")}, config=config)
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    items = [i for i in json.loads(result.stdout)["items"] if i["item"] == "document-soa"]
    assert [(i["due"], i["owner"]) for i in items] == [("2026-12-01", None)]


def test_a_waiver_that_gives_a_key_twice_is_owed_a_fix_not_an_expiry(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """W-DUP gives `expires` twice, so it waives nothing (AIMS005): `due` listed its
    first expiry as if it were in force."""
    dup = yaml_of(waiver("W-DUP", expires="2026-12-10", records=["SYS-1"]))
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "waivers/W-DUP.yaml": dup + "expires: 2026-01-01\n",
            **POLICY_IN_FORCE,
        }
    )
    items = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    [item] = [i for i in items if i["kind"] == "Waiver"]
    assert (item["due"], item["overdue"]) == (AS_OF, True)
    assert item["what"] == (
        "waiver of AIMS503 for SYS-1 to be fixed (W-DUP gives a key twice (AIMS005), so "
        "what it waives cannot be told)"
    )
    assert_status_lists_the_same(cli, root, items, "expires")


def test_a_waiver_approved_by_a_placeholder_is_owed_its_approval_not_an_expiry(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A waiver `approved_by: "TODO: ..."` waives nothing in validate, yet `due` listed
    "waiver of AIMS503 for SYS-1 expires" on its expiry date, as if it were in force,
    and `status` repeated it. What is owed is its approval: now, as validate reports the
    findings it names now. Its item keeps its name, so a calendar entry moves to the
    expiry once someone approves it. One past its expiry is listed as expired, saying
    it never counted."""
    todo = 'approved_by: "TODO: who approves"'
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "waivers/W-SIGNED.yaml": waiver("W-SIGNED", expires="2026-12-20", records=["SYS-1"]),
            "waivers/W-TODO.yaml": yaml_of(
                waiver("W-TODO", expires="2026-12-10", records=["SYS-1"])
            ).replace("approved_by: ciso@acme.example", todo),
            "waivers/W-GONE.yaml": yaml_of(
                waiver("W-GONE", expires="2026-11-01", records=["SYS-1"])
            ).replace("approved_by: ciso@acme.example", todo),
            **POLICY_IN_FORCE,
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    waivers = [
        (i["record"], i["item"], i["due"], i["overdue"], i["owner"], i["what"])
        for i in items
        if i["kind"] == "Waiver"
    ]
    assert waivers == [
        (
            "W-GONE",
            "expires",
            "2026-11-01",
            True,
            None,
            "waiver of AIMS503 for SYS-1 expires (W-GONE names a placeholder (TODO:) as "
            "approved_by, so it does not count as approved)",
        ),
        (
            "W-TODO",
            "expires",
            AS_OF,
            True,
            None,
            "waiver of AIMS503 for SYS-1 to be approved (W-TODO names a placeholder (TODO:) "
            "as approved_by, so it does not count as approved)",
        ),
        (
            "W-SIGNED",
            "expires",
            "2026-12-20",
            False,
            "ciso@acme.example",
            "waiver of AIMS503 for SYS-1 expires",
        ),
    ]
    status = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [i for i in status["due"]["items"] if i["kind"] == "Waiver"] == [
        i for i in items if i["kind"] == "Waiver"
    ]


def accepted(id: str, by: str, expires: str) -> Record:
    """A risk above the appetite, accepted by ``by`` on 2026-10-01 until ``expires``."""
    acceptance = {"by": by, "on": "2026-10-01", "rationale": "Manual review.", "expires": expires}
    return risk(id, inherent={"likelihood": 4, "severity": 4}, acceptance=acceptance)


def _acceptance_items(
    cli: Cli, root: Path
) -> tuple[list[dict[str, Any]], list[tuple[str, str, bool, str]]]:
    """`due --format json` as of AS_OF: every item, and (record, due, overdue, what) of
    each risk acceptance item."""
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    items: list[dict[str, Any]] = json.loads(result.stdout)["items"]
    acceptances = [
        (i["record"], i["due"], i["overdue"], i["what"]) for i in items if i["item"] == "acceptance"
    ]
    return items, acceptances


def assert_status_lists_the_same(
    cli: Cli, root: Path, items: list[dict[str, object]], item: str
) -> None:
    """`status` lists the due items named ``item`` as `due` does."""
    status = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [i for i in status["due"]["items"] if i["item"] == item] == [
        i for i in items if i["item"] == item
    ]


def test_the_acceptance_of_a_risk_back_within_the_appetite_is_nothing_due(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """R-LOW's treatment brought it within the appetite, and its acceptance then
    expired: `due` and `status` called the expiry overdue for ever, though validate
    asks for no acceptance (AIMS303 is above the appetite only). One above it keeps
    its item."""
    low = risk(
        "R-LOW",
        inherent={"likelihood": 2, "severity": 2},
        acceptance={
            "by": "cro@acme.example",
            "on": "2026-01-01",
            "rationale": "r",
            "expires": "2026-06-01",
        },
    )
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "risks/R-LOW.yaml": low,
            "risks/R-OK.yaml": accepted("R-OK", "cro@acme.example", "2026-12-15"),
            **POLICY_IN_FORCE,
        }
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [d["code"] for d in found["diagnostics"] if d["record"] == "R-LOW"] == ["AIMS501"]
    items = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    assert [i["record"] for i in items if i["item"] == "acceptance"] == ["R-OK"]
    assert_status_lists_the_same(cli, root, items, "acceptance")


def test_a_risk_acceptance_signed_by_a_placeholder_is_owed_its_signature_not_an_expiry(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A risk `acceptance.by: "TODO: ..."` accepts nothing (AIMS303, AIMS305), yet `due`
    listed "risk acceptance by TODO: who accepts expires" on its expiry date, as if the
    risk were accepted until then. What is owed is the signature, now, as validate
    reports it now; one already expired keeps its expiry, saying it never counted."""

    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "risks/R-OK.yaml": accepted("R-OK", "cro@acme.example", "2026-12-15"),
            "risks/R-TODO.yaml": accepted("R-TODO", "TODO: who accepts", "2026-12-15"),
            "risks/R-GONE.yaml": accepted("R-GONE", "TODO: who accepts", "2026-11-01"),
            **POLICY_IN_FORCE,
        }
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    refused = {d["record"] for d in found["diagnostics"] if d["code"] == "AIMS305"}
    assert refused == {"R-TODO", "R-GONE"}
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    acceptances = [
        (i["record"], i["due"], i["overdue"], i["owner"], i["what"])
        for i in items
        if i["item"] == "acceptance"
    ]
    note = "names a placeholder (TODO:) as acceptance.by, so it does not count as accepted"
    assert acceptances == [
        (
            "R-GONE",
            "2026-11-01",
            True,
            "risk@acme.example",
            f"risk acceptance expires (R-GONE {note})",
        ),
        (
            "R-TODO",
            AS_OF,
            True,
            "risk@acme.example",
            f"risk acceptance to be signed (R-TODO {note})",
        ),
        (
            "R-OK",
            "2026-12-15",
            False,
            "risk@acme.example",
            "risk acceptance by cro@acme.example expires",
        ),
    ]
    assert_status_lists_the_same(cli, root, items, "acceptance")


def test_a_risk_acceptance_by_someone_not_designated_is_owed_now_not_an_expiry(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """An acceptance signed by someone who holds no Role, or a Role neither top
    management nor accountable for the risk, accepts nothing (AIMS305, AIMS303), yet
    `due` listed "risk acceptance by hr@acme.example expires" on its expiry date, as if
    the risk were accepted until then. As for a `TODO:` signer: an acceptance by
    designated management is owed now, with AIMS305's reason in its words; one already
    expired keeps its expiry, saying it never counted."""

    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "roles/roles.yaml": [
                role("ROLE-CEO", holder="ceo@acme.example", top_management=True),
                role("ROLE-HR", holder="hr@acme.example"),
            ],
            "risks/R-OK.yaml": accepted("R-OK", "ceo@acme.example", "2026-12-15"),
            "risks/R-HR.yaml": accepted("R-HR", "hr@acme.example", "2026-12-15"),
            "risks/R-NONE.yaml": accepted("R-NONE", "intern@acme.example", "2026-12-20"),
            "risks/R-GONE.yaml": accepted("R-GONE", "hr@acme.example", "2026-11-01"),
            **POLICY_IN_FORCE,
        }
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    refused = {d["record"]: d["message"] for d in found["diagnostics"] if d["code"] == "AIMS305"}
    assert sorted(refused) == ["R-GONE", "R-HR", "R-NONE"]
    items, acceptances = _acceptance_items(cli, root)

    def note(id: str) -> str:
        return f"{id}'s acceptance does not count: {refused[id]}"

    assert acceptances == [
        ("R-GONE", "2026-11-01", True, f"risk acceptance expires ({note('R-GONE')})"),
        ("R-HR", AS_OF, True, f"risk acceptance to be signed ({note('R-HR')})"),
        ("R-NONE", AS_OF, True, f"risk acceptance to be signed ({note('R-NONE')})"),
        ("R-OK", "2026-12-15", False, "risk acceptance by ceo@acme.example expires"),
    ]
    assert refused["R-HR"].startswith("'hr@acme.example' is neither top management")
    assert refused["R-NONE"].startswith("'intern@acme.example' holds no Role")
    assert_status_lists_the_same(cli, root, items, "acceptance")


def test_an_undesignated_acceptance_of_a_risk_within_the_appetite_is_owed_its_signature(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A risk within the appetite needs no acceptance, so the expiry of one that counts
    is nothing due; one signed by someone who holds no Role counts not at all (AIMS305
    reports it whatever the band): the signature is owed now, with AIMS305's reason, as
    above the appetite (mutation audit: skipping every acceptance within the appetite
    went unnoticed)."""
    low = accepted("R-LOW", "intern@acme.example", "2026-12-15")
    low["inherent"] = {"likelihood": 2, "severity": 2}
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "roles/roles.yaml": role("ROLE-CEO", holder="ceo@acme.example", top_management=True),
            "risks/R-LOW.yaml": low,
            **POLICY_IN_FORCE,
        }
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    refused = [d["message"] for d in found["diagnostics"] if d["code"] == "AIMS305"]
    assert refused == [
        "'intern@acme.example' holds no Role (neither a Role id nor a holder); where Roles "
        "are recorded, residual risk is accepted by designated management (6.1.3)"
    ]
    assert [d for d in found["diagnostics"] if d["code"] == "AIMS303"] == []
    items, acceptances = _acceptance_items(cli, root)
    assert acceptances == [
        (
            "R-LOW",
            AS_OF,
            True,
            f"risk acceptance to be signed (R-LOW's acceptance does not count: {refused[0]})",
        )
    ]
    assert_status_lists_the_same(cli, root, items, "acceptance")


def test_records_that_fail_validation_are_named_not_silently_dropped(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # Two files with one id: neither record is loaded, so its objective date vanished
    # from the list while `due` exited 0 as if the list were complete.
    overdue = objective("OBJ-1", due="2026-11-01", status="on-track")
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "objectives/OBJ-1.yaml": overdue,
            "objectives/copy.yaml": overdue,
            "objectives/OBJ-2.yaml": objective("OBJ-2", due="2026-11-02", status="oops"),
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["left_out"] == [
        "objectives/OBJ-1.yaml",
        "objectives/OBJ-2.yaml",
        "objectives/copy.yaml",
    ]
    assert "3 files with records that failed validation" in result.stderr
    assert "run aimsctl validate" in cli("due", root, "--as-of", AS_OF).stderr
    clean = cli("due", EXAMPLE, "--as-of", AS_OF, "-f", "json")
    assert json.loads(clean.stdout)["left_out"] == [] and clean.stderr == ""


def test_the_table_says_the_list_is_incomplete_where_records_failed_validation(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # An objective overdue since 2026-11-01 with a typo in its status: the table said
    # '0 items ...: 0 overdue' on standard output, the only word of the left-out file
    # a warning on standard error (a redirect or a CI log that keeps stdout loses it).
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1", reviewed={"on": AS_OF, "by": "a@b.example"}),
            "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-11-01", status="on-trak"),
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "--within", "0")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Incomplete: 1 file with records that failed validation left out "
        "(objectives/OBJ-1.yaml), so its dates are not listed and more may be overdue; "
        "run aimsctl validate"
    )
    clean = cli("due", EXAMPLE, "--as-of", AS_OF)
    assert "Incomplete" not in clean.stdout


def _with_an_unowned_incident(make_repo: MakeRepo, objective_record: Record) -> Path:
    """A high-risk EU system whose serious incident (detected 2026-11-01, so its report
    is overdue) has no owner, beside the objective given."""
    high = {"eu_ai_act": "high", "eu_role": "provider"}
    return make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1", regulation=high, jurisdictions=["EU"]),
            "objectives/OBJ-1.yaml": objective_record,
            "incidents/INC-1.yaml": incident(
                "INC-1", detected="2026-11-01", serious=True, serious_kind="other"
            ),
            **POLICY_IN_FORCE,
        }
    )


def test_an_incident_detected_after_the_as_of_date_owes_no_report_yet(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # As of the day before INC-1's detection, due and status listed its Art. 73 report
    # (due in 15 days) while obligations said nothing-to-report and validate that the
    # detection had not happened yet (AIMS508). From the day of detection it is owed.
    root = _with_an_unowned_incident(
        make_repo, objective("OBJ-1", due="2026-12-01", owner="a@b.example")
    )

    def reports(as_of: str) -> list[tuple[str, bool]]:
        result = cli("due", root, "--as-of", as_of, "-f", "json")
        assert result.exit_code == 0, result.stderr
        items = json.loads(result.stdout)["items"]
        status = json.loads(cli("status", root, "--as-of", as_of, "-f", "json").stdout)
        listed = [(i["due"], i["overdue"]) for i in items if i["item"] == "art73-report"]
        shown = status["due"]["items"]
        assert listed == [(i["due"], i["overdue"]) for i in shown if i["item"] == "art73-report"]
        return listed

    assert reports("2026-10-31") == []
    assert reports("2026-11-01") == [("2026-11-16", False)]


def test_an_owners_table_says_what_it_leaves_out_for_having_no_owner(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # A serious incident's report to the authority, overdue since 2026-11-16, has no
    # owner (Incident.owner is optional): 'due --owner' of anyone left it out without a
    # word, so if each owner reads their own list nobody sees it. (The review of its
    # system's risks after it is the system owner's.)
    root = _with_an_unowned_incident(
        make_repo, objective("OBJ-1", due="2026-12-01", owner="a@b.example")
    )
    every = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    assert ("INC-1", None, True) in [(i["record"], i["owner"], i["overdue"]) for i in every]
    result = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.example")
    assert result.exit_code == 0, result.stderr
    assert "INC-1" not in result.stdout.split("\n\n")[0]
    assert result.stdout.splitlines()[-1] == (
        "Not listed: 1 item with no owner recorded (1 overdue), which --owner leaves out: "
        "INC-1; run aimsctl due without --owner to see it"
    )
    assert "Not listed" not in cli("due", root, "--as-of", AS_OF).stdout


def test_an_owners_json_and_csv_say_what_they_leave_out_for_having_no_owner(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # The table named the serious incident nobody owns; JSON gave "items": [] and CSV
    # only its header, with nothing on standard error and exit 0: a job reading one
    # owner's JSON saw a clean list while an Art. 73 report was overdue.
    root = _with_an_unowned_incident(
        make_repo, objective("OBJ-1", due="2026-12-01", owner="a@b.example")
    )
    warning = (
        "aimsctl: warning: 1 item with no owner recorded (1 overdue), which --owner leaves "
        "out: INC-1; run aimsctl due without --owner to see it\n"
    )
    every = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)
    theirs = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.example", "-f", "json")
    assert theirs.exit_code == 0 and theirs.stderr == warning
    document = json.loads(theirs.stdout)
    # The contract's keys as they were, in their order; the items left out after them,
    # each as the whole list gives it.
    keys = ["version", "as_of", "within", "owner", "items", "left_out", "unowned"]
    assert list(document) == keys
    assert [i["record"] for i in document["items"]] == ["OBJ-1"]
    assert document["unowned"] == [i for i in every["items"] if i["owner"] is None]
    assert [(i["record"], i["item"], i["overdue"]) for i in document["unowned"]] == [
        ("INC-1", "art73-report", True)
    ]
    assert every["unowned"] == []  # without --owner, nothing is left out
    rows = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.example", "-f", "csv")
    assert rows.exit_code == 0 and rows.stderr == warning
    assert "INC-1" not in rows.stdout
    # The table and the calendar say it in their own text, not twice.
    for shown in ("table", "ics"):
        said = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.example", "-f", shown)
        assert said.stderr == "" and "INC-1" in said.stdout.replace("\r\n ", "")


def test_an_owner_no_record_names_is_warned_of(cli: Cli, make_repo: MakeRepo) -> None:
    # A mistyped --owner listed nothing, exit 0, as if nothing were due: the same words as
    # an owner with nothing to do.
    root = make_repo(
        {"objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-12-01", owner="a@b.example")}
    )
    typo = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.exampel")
    assert typo.exit_code == 0
    assert typo.stderr == (
        "aimsctl: warning: no record names 'a@b.exampel' as an owner, and no Role is "
        "'a@b.exampel'; did you mean 'a@b.example'?\n"
    )
    result = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.example")
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    assert "OBJ-1" in result.stdout
    # Names are compared as written, letter case included (as AIMS607 compares them):
    # another case is another name, so it is warned of too.
    other = cli("due", root, "--as-of", AS_OF, "--owner", "A@B.example")
    assert "did you mean 'a@b.example'?" in other.stderr


def test_an_auditor_due_lists_as_an_owner_is_not_warned_of(cli: Cli, make_repo: MakeRepo) -> None:
    # The next internal audit is the last auditor's where the audit records no owner,
    # and `due` lists it so; yet --owner with that auditor warned that no record names
    # them as an owner, beside the very item it listed as theirs.
    firm = "Harbour Assurance LLP"
    root = make_repo(
        {
            "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-12-01", owner="a@b.example"),
            "audits/AUD-1.yaml": internal_audit(
                "AUD-1",
                status="completed",
                planned="2026-06-01",
                performed={"from": "2026-06-01", "to": "2026-06-02"},
                auditor=firm,
            ),
        }
    )
    listed = cli("due", root, "--as-of", AS_OF, "--within", "400", "--owner", firm)
    assert listed.exit_code == 0 and listed.stderr == "", listed.stderr
    assert "next internal audit" in listed.stdout and "AUD-1" in listed.stdout
    # Nothing of theirs in a shorter window: still a name `due` knows.
    quiet = cli("due", root, "--as-of", AS_OF, "--owner", firm)
    assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr
    # A near miss is still warned of, with the auditor among the names suggested.
    typo = cli("due", root, "--as-of", AS_OF, "--owner", "Harbour Assurance LP")
    assert f"did you mean {firm!r}?" in typo.stderr


def test_a_calendar_says_what_it_lacks_in_its_description(cli: Cli, make_repo: MakeRepo) -> None:
    # An owner's calendar, with a file left out and an overdue item nobody owns, said
    # nothing of either: its empty-calendar note read 'Nothing ... overdue'. Then it
    # said less than the table: a count of the items nobody owns without their records,
    # and of the files left out not that more may be overdue. It says what the table says.
    root = _with_an_unowned_incident(
        make_repo, objective("OBJ-1", due="2026-11-01", status="on-trak")
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "ics", "--owner", "a@b.example")
    assert result.exit_code == 0, result.stderr
    Calendar.from_ical(result.stdout)  # still a calendar
    table = cli("due", root, "--as-of", AS_OF, "--owner", "a@b.example").stdout.splitlines()
    assert table[-2:] == [
        "Not listed: 1 item with no owner recorded (1 overdue), which --owner leaves out: "
        "INC-1; run aimsctl due without --owner to see it",
        "Incomplete: 1 file with records that failed validation left out "
        "(objectives/OBJ-1.yaml), so its dates are not listed and more may be overdue; "
        "run aimsctl validate",
    ]
    caveat = ". ".join(table[-2:]).replace(",", "\\,").replace(";", "\\;")
    unfolded = result.stdout.replace("\r\n ", "").splitlines()
    assert f"X-WR-CALDESC:{caveat}" in unfolded
    nothing = "Nothing of a@b.example overdue or due within 30 days of 2026-11-26. "
    assert f"X-AIMSCTL-NOTE:{nothing}{caveat}" in unfolded
    # Nothing lacking, nothing said.
    (root / "objectives" / "OBJ-1.yaml").unlink()
    whole = cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout
    assert "X-WR-CALDESC" not in whole and "Incomplete" not in whole


def test_a_record_kept_despite_an_error_is_listed_not_called_left_out(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # A duplicate key (AIMS005) is an error that keeps the record: its date is listed,
    # yet left_out (and the warning) named its file as one whose dates are not.
    text = yaml_of(objective("OBJ-1", due="2026-11-01", status="on-track"))
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "objectives/OBJ-1.yaml": text + "status: on-track\n",
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert "OBJ-1" in [item["record"] for item in document["items"]]
    assert document["left_out"] == []
    assert "AIMS005" in cli("validate", root, "--as-of", AS_OF).stdout


def test_an_impact_assessment_the_tier_requires_and_lacks_is_owed_now(
    cli: Cli, example_copy: Path
) -> None:
    # validate's AIMS401 found it; due listed nothing for it (an evaluation that never
    # passed was listed as owed now). Every system AIMS401 names must be in due.
    path = example_copy / "assessments" / "IA-CREDIT-2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: approved", "status: draft", 1), "utf-8"
    )
    lapsed = example_copy / "assessments" / "IA-ASSIST-2026.yaml"
    lapsed.write_text(
        lapsed.read_text(encoding="utf-8").replace(
            "next_review: 2027-03-19", "next_review: 2026-11-01"
        ),
        "utf-8",
    )
    found = json.loads(cli("validate", example_copy, "--as-of", AS_OF, "-f", "json").stdout)
    flagged = {d["record"] for d in found["diagnostics"] if d["code"] == "AIMS401"}
    assert flagged == {"SYS-CREDIT", "SYS-ASSIST"}
    items = json.loads(cli("due", example_copy, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    overdue = {(i["record"], i["what"]) for i in items if i["overdue"]}
    assert (
        "SYS-CREDIT",
        "a current approved impact assessment (high tier requires one, but "
        "IA-CREDIT-2026 is only a draft)",
    ) in overdue
    # The lapsed one is listed once: its review, overdue since the date it gave.
    assert [r for r, what in overdue if "SYS-ASSIST" in what or r == "SYS-ASSIST"] == [
        "IA-ASSIST-2026"
    ]


def test_an_objectives_next_progress_measurement_falls_due(cli: Cli, make_repo: MakeRepo) -> None:
    # AIMS610 asks for progress at least once per management review period while an
    # objective is pursued; due did not list when that measurement fell due.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "objectives/OBJ-STALE.yaml": objective(
                "OBJ-STALE",
                due="2027-06-30",
                status="on-track",
                progress=[{"on": date(2025, 11, 1), "value": "40%"}],
            ),
            "objectives/OBJ-NONE.yaml": objective("OBJ-NONE", due="2027-06-30", status="at-risk"),
            "objectives/OBJ-SOON.yaml": objective(
                "OBJ-SOON",
                due="2027-06-30",
                status="on-track",
                progress=[{"on": date(2026, 1, 10), "value": "60%"}],
            ),
            # Its next measurement would fall after its own due date: none is owed.
            "objectives/OBJ-ENDS.yaml": objective(
                "OBJ-ENDS",
                due="2026-12-31",
                status="on-track",
                progress=[{"on": date(2026, 10, 1), "value": "90%"}],
            ),
        }
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    stale = {d["record"] for d in found["diagnostics"] if d["code"] == "AIMS610"}
    assert stale == {"OBJ-STALE", "OBJ-NONE"}
    result = cli("due", root, "--as-of", AS_OF, "-f", "json", "--within", "60")
    items = json.loads(result.stdout)["items"]
    progress = [(i["record"], i["due"], i["overdue"]) for i in items if "progress" in i["what"]]
    assert progress == [
        ("OBJ-STALE", "2026-11-01", True),  # 365 days after its last measurement
        ("OBJ-NONE", AS_OF, True),  # none recorded: owed now
        ("OBJ-SOON", "2027-01-10", False),
    ]


def test_ics_dates_before_the_year_1000_have_four_digits(cli: Cli, make_repo: MakeRepo) -> None:
    # RFC 5545 3.3.4: date-fullyear is 4DIGIT; strftime's %Y wrote 999.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "waivers/W-1.yaml": waiver("W-1", expires="0999-03-01", records=["SYS-1"]),
        }
    )
    result = cli("due", root, "--as-of", "0999-02-15", "-f", "ics")
    assert result.exit_code == 0, result.stderr
    assert "DTSTAMP:09990215T000000Z\r\n" in result.stdout
    (event,) = [e for e in _events(result.stdout) if str(e["UID"]).startswith("W-1/")]  # type: ignore[index]
    assert event.decoded("DTSTART") == date(999, 3, 1)  # type: ignore[attr-defined]
    assert event.decoded("DTEND") == date(999, 3, 2)  # type: ignore[attr-defined]


def _action(description: str, due: str) -> dict[str, str]:
    return {"description": description, "owner": "cro@acme.example", "due": due}


def _uids_by_summary(cli: Cli, root: Path) -> dict[str, str]:
    text = cli("due", root, "--as-of", AS_OF, "--within", "400", "-f", "ics").stdout
    found = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(text)}  # type: ignore[index]
    return {summary: uid for summary, uid in found.items() if summary.startswith("NC-1: ")}


def test_ics_an_action_keeps_its_uid_when_others_are_added_or_removed(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # The UID was the action's place in the list (NC-1/action-2): removing the first
    # action moved the second's UID onto the third, so an imported calendar showed
    # one action on another's date. It is now the action's own text; two of the same
    # text are told apart by their order among themselves.
    actions = [
        _action("Add reminders", "2027-01-10"),
        _action("Retrain the reviewers", "2027-02-10"),
        _action("Audit the queue", "2027-03-10"),
        _action("Retrain the reviewers", "2027-04-10"),
    ]
    root = make_repo({"nonconformities/NC-1.yaml": nonconformity("NC-1", actions=actions)})
    before = _uids_by_summary(cli, root)
    assert len(set(before.values())) == 4
    # The first "Retrain" moves to the front, the first action is respaced and its
    # date moves, the audit is removed, a new action comes in.
    changed = [
        actions[1],
        _action("Call the vendor", "2027-01-05"),
        _action("Add  reminders", "2027-01-20"),
        actions[3],
    ]
    (root / "nonconformities" / "NC-1.yaml").write_text(
        yaml_of(nonconformity("NC-1", actions=changed)), encoding="utf-8"
    )
    after = _uids_by_summary(cli, root)
    # The summaries name each action's new place; the UIDs follow the actions.
    retrain = "corrective action {}: Retrain the reviewers"
    assert (
        after["NC-1: corrective action 3: Add  reminders"]
        == before["NC-1: corrective action 1: Add reminders"]
    )
    assert after[f"NC-1: {retrain.format(1)}"] == before[f"NC-1: {retrain.format(2)}"]
    assert after[f"NC-1: {retrain.format(4)}"] == before[f"NC-1: {retrain.format(4)}"]
    assert after["NC-1: corrective action 2: Call the vendor"] not in before.values()


def _next_held(cli: Cli, root: Path) -> dict[str, tuple[str, date]]:
    """The calendar's first or next internal audit and management review: what (as
    the summary says) -> UID and day."""
    text = cli("due", root, "--as-of", AS_OF, "--within", "800", "-f", "ics").stdout
    found = {}
    for event in _events(text):
        summary = str(event["SUMMARY"])  # type: ignore[index]
        if held := re.search(r"(first|next) (internal audit|management review) \(", summary):
            found[held[0][:-2]] = (str(event["UID"]), event.decoded("DTSTART"))  # type: ignore[attr-defined, index]
    return found


def test_ics_the_next_audit_and_review_keep_their_uid_when_one_is_held(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # The next internal audit's UID was the last audit's (AUD-1/next-audit): once
    # AUD-2 was held, AUD-2/next-audit came in and AUD-1/next-audit left the file, and
    # a calendar that imported the older file kept an audit due that had been held.
    # It is one item of the AIMS, the first and each next alike: its entry moves.
    config = "version: 1\norganization: Test Org\nestablished: 2025-06-01\n"
    root = make_repo({}, config=config)
    seen = [_next_held(cli, root)]
    audit = {"status": "completed", "planned": "2025-12-01", "scope": ["4"]}
    write_files(
        root,
        {
            "audits/AUD-1.yaml": internal_audit(
                "AUD-1", **audit, performed={"from": "2025-12-01", "to": "2025-12-02"}
            ),
            "reviews/MR-1.yaml": management_review("MR-1", held="2026-01-15"),
        },
    )
    seen.append(_next_held(cli, root))
    write_files(
        root,
        {
            "audits/AUD-2.yaml": internal_audit(
                "AUD-2", **audit, performed={"from": "2026-11-02", "to": "2026-11-03"}
            ),
            "reviews/MR-2.yaml": management_review("MR-2", held="2026-11-20"),
        },
    )
    seen.append(_next_held(cli, root))
    assert [sorted(s) for s in seen] == [
        ["first internal audit", "first management review"],
        ["next internal audit", "next management review"],
        ["next internal audit", "next management review"],
    ]
    words = ("first", "next", "next")
    audits = [s[f"{w} internal audit"] for s, w in zip(seen, words, strict=True)]
    reviews = [s[f"{w} management review"] for s, w in zip(seen, words, strict=True)]
    assert [day for _, day in audits] == [date(2026, 6, 1), date(2026, 12, 2), date(2027, 11, 3)]
    assert [day for _, day in reviews] == [date(2026, 6, 1), date(2027, 1, 15), date(2027, 11, 20)]
    assert len({uid for uid, _ in audits}) == 1
    assert len({uid for uid, _ in reviews}) == 1
    assert audits[0][0] != reviews[0][0]


def test_ics_a_later_calendar_is_a_later_revision_of_each_event(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # No SEQUENCE was written (0 by default): a calendar made as of a later date
    # carried the moved entries at the same revision, which a client that applies an
    # imported event only over a lower SEQUENCE (Google Calendar) ignores. SEQUENCE is
    # now the as-of date as YYYYMMDD: higher for a later date, the same for the same.
    root = _tricky_repo(make_repo)

    def revisions(as_of: str) -> dict[str, int]:
        text = cli("due", root, "--as-of", as_of, "-f", "ics").stdout
        return {str(e["UID"]): int(e["SEQUENCE"]) for e in _events(text)}  # type: ignore[index]

    first, later = revisions(AS_OF), revisions("2026-12-06")
    assert set(first.values()) == {20261126}
    assert set(later.values()) == {20261206}
    assert set(first) == set(later)
    # Across a year's end, and before the year 1000: still a larger number later.
    assert max(revisions("2026-12-31").values()) < min(revisions("2027-01-01").values())
    assert set(revisions("0999-12-31").values()) == {9991231}


def test_a_daily_monitor_is_due_every_1_day_not_1_days(tmp_path: Path, cli: Cli) -> None:
    """The cadence is counted in words everywhere it is shown: `due`, the monitoring
    and systems reports; "every 1 days" read as a typo in an auditor's copy."""
    root = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, root)
    monitor = root / "monitors" / "MON-ASSIST-GROUNDED.yaml"
    monitor.write_text(monitor.read_text("utf-8").replace("every_days: 7", "every_days: 1"))
    result = cli("due", root, "--as-of", AS_OF, "--within", "30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    said = [i["what"] for i in items if i["record"] == "MON-ASSIST-GROUNDED"]
    assert said and all("(every 1 day" in what for what in said), said
    out = tmp_path / "reports"
    for fmt in ("md", "html"):
        made = cli("report", "monitoring", root, "--as-of", AS_OF, "-f", fmt, "--out", out)
        assert made.exit_code == 0, made.stderr
        text = (out / f"monitoring.{fmt}").read_text("utf-8")
        assert "every 1 day" in text and "every 1 days" not in text


def test_ics_uids_of_records_whose_ids_differ_only_in_case_differ_in_more_than_case(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # OBJ-1 and obj-1 are two records, but their entries had the UIDs
    # `OBJ-1/due/<org>@aimsctl` and `obj-1/due/<org>@aimsctl`, which calendar
    # clients take for one entry (they match UIDs regardless of case): importing the
    # calendar showed one objective and dropped the other. An id with lower-case
    # letters now says which ones, so no two UIDs are the same in any case.
    root = make_repo(
        {
            "objectives/OBJ-1.yaml": objective("OBJ-1", due="2026-12-01", status="planned"),
            "objectives/obj-1.yaml": objective("obj-1", due="2026-12-02", status="planned"),
            "objectives/Obj-1.yaml": objective("Obj-1", due="2026-12-03", status="planned"),
            "nonconformities/nc-1.yaml": nonconformity(
                "nc-1", actions=[_action("Retrain the reviewers", "2026-12-04")]
            ),
            "nonconformities/NC-1.yaml": nonconformity(
                "NC-1", actions=[_action("Retrain the reviewers", "2026-12-05")]
            ),
            **POLICY_IN_FORCE,
        }
    )
    text = cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout
    uids = {str(e["SUMMARY"]).split(":")[0]: str(e["UID"]) for e in _events(text)}  # type: ignore[index]
    assert len(uids) == 5
    assert len({uid.casefold() for uid in uids.values()}) == 5
    where = uids["OBJ-1"].removeprefix("OBJ-1/due/").removesuffix("@aimsctl")
    assert re.fullmatch("[0-9a-f]{12}", where)
    # An id in capitals keeps the UID it always had; the others name their small letters.
    assert uids["obj-1"] == f"obj-1/due/{where}.7@aimsctl"
    assert uids["Obj-1"] == f"Obj-1/due/{where}.6@aimsctl"
    assert uids["nc-1"].endswith(f"/{where}.3@aimsctl")
    assert uids["NC-1"].endswith(f"/{where}@aimsctl")
    # Stable: the same names in a later run.
    later = cli("due", root, "--as-of", "2026-12-02", "-f", "ics").stdout
    assert {str(e["UID"]) for e in _events(later)} == set(uids.values())  # type: ignore[index]


def test_the_first_audit_and_review_are_listed_while_the_only_ones_fail_validation(
    cli: Cli, make_repo: MakeRepo
) -> None:
    # The only InternalAudit fails validation (no auditor): `due` listed no first audit,
    # as if the programme were on time, though AIMS611 says it cannot judge it and the
    # AIMS has run for almost two years. The first audit is listed, overdue, saying
    # that the invalid record may be the one held; so is the first review.
    config = "version: 1\norganization: Test Org\nestablished: 2025-01-01\n"
    files = {
        "audits/AUD-1.yaml": internal_audit(
            "AUD-1",
            status="completed",
            planned="2025-06-01",
            performed={"from": "2025-06-01", "to": "2025-06-02"},
            auditor=None,
        ),
        "reviews/MR-1.yaml": management_review("MR-1", chair=None),
    }
    root = make_repo(files, config=config)
    result = cli("due", root, "--as-of", AS_OF, "--format", "json")
    items = {i["what"].split(" (")[0]: i for i in json.loads(result.stdout)["items"]}
    audit, review = items["first internal audit"], items["first management review"]
    assert (audit["record"], audit["due"], audit["overdue"]) == ("aims.yaml", "2026-01-01", True)
    assert audit["what"].endswith("; AUD-1 fails validation and may be the one held")
    assert review["what"].endswith("; MR-1 fails validation and may be the one held")
    # A valid record that answers the cadence still answers it.
    (root / "audits/AUD-2.yaml").write_text(
        yaml_of(
            internal_audit(
                "AUD-2",
                status="completed",
                planned="2026-06-01",
                performed={"from": "2026-06-01", "to": "2026-06-02"},
            )
        ),
        encoding="utf-8",
    )
    result = cli("due", root, "--as-of", AS_OF, "--format", "json")
    whats = [i["what"] for i in json.loads(result.stdout)["items"]]
    assert not any(w.startswith("first internal audit") for w in whats)


def test_a_risk_acceptance_dated_after_the_as_of_date_is_owed_now_not_an_expiry(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """An acceptance whose `on` is after the as-of date has not been given yet: the
    scorer does not count it and validate says so (AIMS303 "its acceptance starts only
    on 2027-01-10", AIMS508), yet `due`, `status` and the calendar listed "risk
    acceptance by ceo@acme.example expires" on 2027-06-30, as if the risk were accepted
    until then. An acceptance that counts is owed now, as for one signed by nobody."""

    ahead = accepted("R-AHEAD", "cro@acme.example", "2027-06-30")
    ahead["acceptance"]["on"] = "2027-01-10"
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "risks/R-OK.yaml": accepted("R-OK", "cro@acme.example", "2026-12-15"),
            "risks/R-AHEAD.yaml": ahead,
            **POLICY_IN_FORCE,
        }
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    above = [d["message"] for d in found["diagnostics"] if d["code"] == "AIMS303"]
    assert len(above) == 1 and "its acceptance starts only on 2027-01-10" in above[0]
    items, acceptances = _acceptance_items(cli, root)
    assert acceptances == [
        (
            "R-AHEAD",
            AS_OF,
            True,
            "risk acceptance to be signed (R-AHEAD's acceptance starts only on 2027-01-10, "
            "after the as-of date)",
        ),
        ("R-OK", "2026-12-15", False, "risk acceptance by cro@acme.example expires"),
    ]
    assert_status_lists_the_same(cli, root, items, "acceptance")
    ics = cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout
    starts = [
        event.decoded("DTSTART").isoformat()  # type: ignore[attr-defined]
        for event in _events(ics)
        if str(event["UID"]).startswith("R-AHEAD/acceptance/")  # type: ignore[index]
    ]
    assert starts == [AS_OF]


def test_a_risk_acceptance_dated_on_the_as_of_date_counts_from_that_day(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """An acceptance counts from its `on` date, that day included (the scorer, AIMS303):
    one given on the as-of day is in force, so `due` lists its expiry, not "to be
    signed ... starts only on" (mutation audit: `>` read as `>=` went unnoticed)."""
    today = accepted("R-TODAY", "cro@acme.example", "2026-12-15")
    today["acceptance"]["on"] = AS_OF
    root = make_repo(
        {"systems/SYS-1.yaml": system("SYS-1"), "risks/R-TODAY.yaml": today, **POLICY_IN_FORCE}
    )
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    codes = {d["code"] for d in found["diagnostics"] if d["record"] == "R-TODAY"}
    assert not codes & {"AIMS303", "AIMS305", "AIMS508"}, codes
    items, acceptances = _acceptance_items(cli, root)
    assert acceptances == [
        ("R-TODAY", "2026-12-15", False, "risk acceptance by cro@acme.example expires")
    ]
    assert_status_lists_the_same(cli, root, items, "acceptance")


def test_a_serious_incident_on_a_system_that_fails_validation_still_owes_its_report(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """A serious incident (a death, detected 2026-11-01, not reported) on SYS-1, a
    high-risk system the organization provides whose file fails validation (`stage:
    prodution`): `due` listed nothing for INC-1, and its "Incomplete" line named only
    the system's file as the one whose dates were missing, though the overdue Art. 73
    report is INC-1's, in a file that validates. Whether the article applies cannot be
    told from a system that cannot be read, so the deadline is listed, counted as for
    an incident it applies to, saying so."""

    root = make_repo(
        {
            "systems/SYS-1.yaml": system(
                "SYS-1",
                stage="prodution",
                regulation={"eu_ai_act": "high", "eu_role": "provider"},
            ),
            "incidents/INC-1.yaml": incident(
                "INC-1",
                occurred="2026-11-01",
                detected="2026-11-01",
                serious=True,
                serious_kind="death",
            ),
            **POLICY_IN_FORCE,
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["left_out"] == ["systems/SYS-1.yaml"]
    reports = [
        (i["record"], i["due"], i["overdue"], i["what"])
        for i in listed["items"]
        if i["item"] == "art73-report"
    ]
    assert reports == [
        (
            "INC-1",
            "2026-11-11",
            True,
            "report of a serious incident to an authority (EU AI Act Art. 73, 10 days from "
            "detection; SYS-1 fails validation, so whether the article applies could not "
            "be judged)",
        )
    ]
    assert_status_lists_the_same(cli, root, listed["items"], "art73-report")


def test_risks_and_controls_scoped_to_a_system_that_fails_validation_keep_a_review_date(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """R-1 and ORG-1 concern only SYS-1, whose file fails validation (`stage:
    prodution`); ORG-3 is unscoped, so it concerns SYS-1 too. SYS-1's tier could not
    be read, so theirs read as `unassessed`, which has no review period: `due`,
    `status`, the calendar and AIMS501 gave them no review date at all, though all
    three were last reviewed in August. The tier cannot be judged, so the shortest
    period any tier has (critical, 90 days) is used and the item says why. A record of
    a valid system keeps its tier's period, as does one of a system with no risk."""

    reviewed = {"on": "2026-08-01", "by": "cro@acme.example"}
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1", stage="prodution"),
            "systems/SYS-2.yaml": system("SYS-2", reviewed=reviewed),
            "systems/SYS-3.yaml": system("SYS-3"),
            "risks/R-1.yaml": risk("R-1", systems=["SYS-1"], reviewed=reviewed),
            "risks/R-2.yaml": risk("R-2", systems=["SYS-2"], reviewed=reviewed),
            "risks/R-3.yaml": risk("R-3", systems=["SYS-2", "SYS-1"], reviewed=reviewed),
            "controls/ORG-1.yaml": control("ORG-1", systems=["SYS-1"], reviewed=reviewed),
            "controls/ORG-2.yaml": control("ORG-2", systems=["SYS-2"], reviewed=reviewed),
            "controls/ORG-3.yaml": control("ORG-3", reviewed=reviewed),
            "controls/ORG-4.yaml": control("ORG-4", systems=["SYS-3"], reviewed=reviewed),
            **POLICY_IN_FORCE,
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["left_out"] == ["systems/SYS-1.yaml"]
    reviews = [
        (i["record"], i["due"], i["overdue"], i["what"])
        for i in listed["items"]
        if i["item"] == "review"
    ]
    why = (
        "review (every 90 days from its last review; SYS-1 fails validation, so its "
        "systems' tier could not be judged: the shortest period of any tier is used)"
    )
    assert reviews == [
        ("ORG-1", "2026-10-30", True, why),
        ("ORG-3", "2026-10-30", True, why),
        ("R-1", "2026-10-30", True, why),
        ("R-3", "2026-10-30", True, why),
    ]
    assert_status_lists_the_same(cli, root, listed["items"], "review")
    ics = cli("due", root, "--as-of", AS_OF, "-f", "ics").stdout
    assert sorted(
        str(event["UID"]).split("/")[0]  # type: ignore[index]
        for event in _events(ics)
        if "/review/" in str(event["UID"])  # type: ignore[index]
    ) == ["ORG-1", "ORG-3", "R-1", "R-3"]
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    overdue = {d["record"]: d["message"] for d in found["diagnostics"] if d["code"] == "AIMS501"}
    assert sorted(overdue) == ["ORG-1", "ORG-3", "R-1", "R-3"]
    assert overdue["R-1"] == (
        "last reviewed on 2026-08-01; its systems' tier could not be judged (SYS-1 fails "
        "validation), so the shortest period of any tier applies, a review every 90 days, "
        "so it was due on 2026-10-30"
    )


def test_an_evaluation_or_audit_that_fails_validation_is_named_beside_what_it_may_answer(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """SYS-1 (high tier, in production, a NYC automated employment decision tool) owes
    an evaluation that passes and a bias audit; EVAL-1, which may be either, fails
    validation (no metrics). AUD-2 and MR-2, later than the valid AUD-1 and MR-1, fail
    validation too (no auditor, no chair). `due` and `status` read "none has" and
    "next internal audit ... since this one ended" as if nothing else were written,
    while only the Incomplete line named the files; AIMS701 and AIMS802 said "there is
    none". Each item and finding now names the record that may answer it, as the first
    audit and review items already did."""

    config = "version: 1\norganization: Test Org\nestablished: 2025-01-01\n"
    audit = {"status": "completed", "planned": "2025-06-01"}
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(
                "SYS-1", stage="production", regulation={"nyc_aedt": True}
            ),
            "risks/R-1.yaml": risk("R-1", inherent={"likelihood": 4, "severity": 3}),
            "evaluations/EVAL-1.yaml": evaluation("EVAL-1", metrics=[]),
            "audits/AUD-1.yaml": internal_audit(
                "AUD-1", **audit, performed={"from": "2025-06-01", "to": "2025-06-02"}
            ),
            "audits/AUD-2.yaml": internal_audit(
                "AUD-2", **audit, performed={"from": "2026-06-01", "to": "2026-06-02"}, auditor=None
            ),
            "reviews/MR-1.yaml": management_review("MR-1", held="2025-07-01"),
            "reviews/MR-2.yaml": management_review("MR-2", held="2026-07-01", chair=None),
            **POLICY_IN_FORCE,
        },
        config=config,
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["left_out"] == [
        "audits/AUD-2.yaml",
        "evaluations/EVAL-1.yaml",
        "reviews/MR-2.yaml",
    ]
    whats = {i["item"]: i["what"] for i in listed["items"]}
    assert whats["evaluation"] == (
        "an evaluation that passes (none has; every 365 days; EVAL-1 fails validation and "
        "may be the one that passed)"
    )
    assert whats["bias-audit"] == (
        "a bias audit (none is recorded; NYC Local Law 144, every year; EVAL-1 fails "
        "validation and may be the one performed)"
    )
    assert whats["next-audit"] == (
        "next internal audit (every 365 days since this one ended; AUD-2 fails validation "
        "and may be the one held)"
    )
    assert whats["next-review"] == (
        "next management review (every 365 days since this one; MR-2 fails validation and "
        "may be the one held)"
    )
    for item in ("evaluation", "bias-audit", "next-audit", "next-review"):
        assert_status_lists_the_same(cli, root, listed["items"], item)
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    messages = {d["code"]: d["message"] for d in found["diagnostics"]}
    assert messages["AIMS701"].endswith(
        "but there is none; EVAL-1 fails validation and may be the one that passed"
    )
    assert messages["AIMS802"].endswith(
        "but there is none; EVAL-1 fails validation and may be the one performed"
    )
    # validate says what `due` says beside the item, in the same words.
    assert "AUD-2 fails validation and may be the one held; fix it" in messages["AIMS611"]


def test_a_record_whose_kind_cannot_be_read_is_named_beside_what_it_may_answer(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """reviews/b.yaml says `kind: [ManagementReview]` and fails validation (AIMS101): it
    may be the review held since MR-1, or the first internal audit. `due` said "every
    365 days since this one" and "first internal audit" without a word of it; each item
    now names where it is, in the words AIMS616 and AIMS611 use."""

    config = "version: 1\norganization: Test Org\nestablished: 2025-01-01\n"
    root = make_repo(
        {
            "reviews/a.yaml": management_review("MR-1", held="2025-07-01"),
            "reviews/b.yaml": "kind: [ManagementReview]\nid: MR-2\nheld: 2026-07-01\n",
            **POLICY_IN_FORCE,
        },
        config=config,
    )
    result = cli("due", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed["left_out"] == ["reviews/b.yaml"]
    whats = {i["item"]: i["what"] for i in listed["items"]}
    unread = "a record whose kind or id cannot be read (at reviews/b.yaml:1) may be the one held"
    assert (
        whats["next-review"] == f"next management review (every 365 days since this one; {unread})"
    )
    assert whats["first-audit"].endswith(f"; {unread}")
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    messages = {d["code"]: d["message"] for d in found["diagnostics"]}
    assert messages["AIMS611"].endswith(f"; {unread}")


def test_the_assessment_of_a_retired_system_is_not_due_for_review(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """SYS-3 is retired: the review of its assessment IA-3 was listed as due (and
    AIMS502 warned) for a system that no longer runs. A superseded one rests too."""
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1"),
            "systems/SYS-3.yaml": system("SYS-3", stage="retired"),
            "assessments/IA-1.yaml": assessment("IA-1", next_review="2026-08-01"),
            "assessments/IA-3.yaml": assessment("IA-3", system="SYS-3", next_review="2026-08-01"),
            **POLICY_IN_FORCE,
        }
    )
    listed = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    assert [i["record"] for i in listed if i["kind"] == "ImpactAssessment"] == ["IA-1"]
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert [d["record"] for d in found["diagnostics"] if d["code"] == "AIMS502"] == ["IA-1"]


def test_an_assessment_of_a_system_that_fails_validation_is_reviewed_on_the_shortest_period(
    cli: Cli, make_repo: MakeRepo
) -> None:
    """IA-1, approved on 2026-06-01 with no `next_review`, assesses SYS-1, whose file
    fails validation. Its review date comes from its system's tier, which could not be
    read: the period of an unlisted band (365 days) was used, so `due` listed nothing
    until June 2027, and AIMS502 and AIMS509 stayed silent, though SYS-1 may be
    critical (90 days). The shortest period of any tier is used, saying why; an
    assessment of a valid system with no risk keeps today's period."""

    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS-1", stage="prodution"),
            "systems/SYS-3.yaml": system("SYS-3"),
            "assessments/IA-1.yaml": assessment("IA-1"),
            "assessments/IA-2.yaml": assessment("IA-2", next_review="2027-06-01"),
            "assessments/IA-3.yaml": assessment("IA-3", system="SYS-3"),
            **POLICY_IN_FORCE,
        }
    )
    result = cli("due", root, "--as-of", AS_OF, "--within", "400", "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    reviews = [
        (i["record"], i["due"], i["overdue"], i["what"])
        for i in listed["items"]
        if i["item"] == "next-review" and i["kind"] == "ImpactAssessment"
    ]
    assert reviews == [
        (
            "IA-1",
            "2026-08-30",
            True,
            "review of the impact assessment of SYS-1 (SYS-1 fails validation, so its "
            "system's tier could not be judged: the shortest period of any tier is used)",
        ),
        ("IA-2", "2027-06-01", False, "review of the impact assessment of SYS-1"),
        ("IA-3", "2027-06-01", False, "review of the impact assessment of SYS-3"),
    ]
    month = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    assert [i["record"] for i in month if i["item"] == "next-review"] == ["IA-1"]
    assert_status_lists_the_same(cli, root, month, "next-review")
    found = json.loads(cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout)
    messages = {
        (d["code"], d["record"]): d["message"]
        for d in found["diagnostics"]
        if d["code"] in ("AIMS502", "AIMS509")
    }
    assert messages == {
        ("AIMS502", "IA-1"): "review of this assessment was due on 2026-08-30: it sets no "
        "next_review, and its system's tier could not be judged (SYS-1 fails validation), so "
        "the shortest period of any tier applies, a review every 90 days from 2026-06-01",
        ("AIMS509", "IA-2"): "next_review is 2027-06-01, 365 days after assessed.on "
        "(2026-06-01); its system's tier could not be judged (SYS-1 fails validation), so "
        "the shortest period of any tier applies, a review every 90 days, so by 2026-08-30",
    }
