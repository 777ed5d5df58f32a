"""The engine: waivers (AIMS506, AIMS507) and the per-rule severity overrides of aims.yaml."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from aimsctl import engine
from aimsctl.diagnostics import Severity
from aimsctl.repository import load_repository
from aimsctl.rules.registry import RULES
from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult

Make = Callable[..., Path]
Cli = Callable[..., CliResult]

IMPLEMENTED = """\
kind: Control
id: {id}
title: Control {id}
applicable: true
justification: Needed.
owner: ciso@acme.example
status: implemented
"""


def _waiver(id: str, rule: str, records: str, expires: str) -> str:
    return (
        f"kind: Waiver\nid: {id}\ntitle: Waiver {id}\nrule: {rule}\nrecords: {records}\n"
        f"justification: Evidence is on its way.\napproved_by: ciso@acme.example\n"
        f"expires: {expires}\n"
    )


def _files(**waivers: str) -> dict[str, str | bytes]:
    """Three implemented controls without evidence (AIMS503 on each), and waivers."""
    files: dict[str, str | bytes] = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": "---\n".join(IMPLEMENTED.format(id=f"ORG-{n}") for n in (1, 2, 3)),
    }
    files.update({f"waivers/{name}.yaml": text for name, text in waivers.items()})
    return files


def _report(cli: Cli, root: Path) -> tuple[int, dict[str, Any]]:
    result = cli("validate", root, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    direct = engine.run(load_repository(root, date.fromisoformat(AS_OF)))
    assert [d.as_json() for d in direct.diagnostics] == report["diagnostics"]
    return result.exit_code, report


def _where(report: dict[str, Any], key: str = "diagnostics") -> list[tuple[Any, ...]]:
    return [
        (d["code"], d["severity"], d["path"], d["line"], d["column"], d["record"])
        for d in report[key]
    ]


def test_waivers_expired_unused_and_used(make_repo: Make, cli: Cli) -> None:
    root = make_repo(
        _files(
            used=_waiver("W-USED", "AIMS503", "[ORG-1]", "2027-01-31"),
            today=_waiver("W-TODAY", "AIMS503", "[ORG-2]", AS_OF),  # last day: in force
            expired=_waiver("W-OLD", "AIMS503", "[ORG-3]", "2026-11-25"),
            idle=_waiver("W-IDLE", "AIMS204", "[ORG-1]", "2027-01-31"),  # ORG-1 is complete
        )
    )
    code, report = _report(cli, root)
    assert code == 0  # warnings only
    assert _where(report) == [
        ("AIMS503", "warning", "controls/org.yaml", 23, 9, "ORG-3"),  # no longer waived
        ("AIMS506", "warning", "waivers/expired.yaml", 8, 10, "W-OLD"),
        ("AIMS507", "warning", "waivers/idle.yaml", 1, 1, "W-IDLE"),
    ]
    by_code = {d["code"]: d for d in report["diagnostics"]}
    assert by_code["AIMS506"]["message"] == (
        "waiver of AIMS503 expired on 2026-11-25; the findings it covered are reported again"
    )
    assert by_code["AIMS506"]["pointer"] == "/expires"
    assert by_code["AIMS507"]["message"] == (
        "waiver of AIMS204 matches no finding on ORG-1; remove it or correct its rule and records"
    )
    assert [(d["code"], d["record"], d["waiver"]) for d in report["waived"]] == [
        ("AIMS503", "ORG-1", "W-USED"),
        ("AIMS503", "ORG-2", "W-TODAY"),
    ]
    assert report["summary"]["waived"] == 2


def test_two_waivers_of_one_finding_are_both_used(make_repo: Make, cli: Cli) -> None:
    # W-A expires today and names the finding; W-B covers it too, for longer: calling
    # W-B unused would have it removed, and the finding fail the run tomorrow.
    root = make_repo(
        _files(
            a=_waiver("W-A", "AIMS503", "[ORG-1]", AS_OF),
            b=_waiver("W-B", "AIMS503", "[ORG-1, ORG-2]", "2027-06-30"),
        )
    )
    _, report = _report(cli, root)
    assert _where(report) == [("AIMS503", "warning", "controls/org.yaml", 23, 9, "ORG-3")]
    assert [(d["record"], d["waiver"]) for d in report["waived"]] == [
        ("ORG-1", "W-A"),
        ("ORG-2", "W-B"),
    ]
    root = make_repo(
        _files(
            a=_waiver("W-A", "AIMS503", "[ORG-1]", AS_OF),
            b=_waiver("W-B", "AIMS503", "[ORG-1]", "2027-06-30"),
        )
    )
    _, report = _report(cli, root)
    assert {d["code"] for d in report["diagnostics"]} == {"AIMS503"}  # no AIMS507
    assert [(d["record"], d["waiver"]) for d in report["waived"]] == [("ORG-1", "W-A")]


def test_a_waiver_names_the_records_it_covers_nothing_on(make_repo: Make, cli: Cli) -> None:
    # ORG-1 and ORG-3 have the finding; ORG-9 has none (and is no record): waiving it
    # would hide a finding nobody approved, should one come.
    root = make_repo(
        _files(wide=_waiver("W-WIDE", "AIMS503", "[ORG-1, ORG-9, ORG-3, ORG-8]", "2027-01-31"))
    )
    _, report = _report(cli, root)
    unused = [d for d in report["diagnostics"] if d["code"] == "AIMS507"]
    assert [(d["record"], d["pointer"], d["line"]) for d in unused] == [("W-WIDE", "/records/1", 5)]
    assert unused[0]["message"] == (
        "waiver of AIMS503 matches no finding on ORG-9, ORG-8 (it covers ORG-1, ORG-3); "
        "remove them from its records"
    )
    assert [(d["record"], d["waiver"]) for d in report["waived"]] == [
        ("ORG-1", "W-WIDE"),
        ("ORG-3", "W-WIDE"),
    ]


def test_report_is_sorted_by_path_line_column(make_repo: Make, cli: Cli) -> None:
    root = make_repo(
        _files(
            expired=_waiver("W-OLD", "AIMS503", "[ORG-3]", "2026-11-25"),
            idle=_waiver("W-IDLE", "AIMS204", "[ORG-1]", "2027-01-31"),
        )
    )
    _, report = _report(cli, root)
    assert _where(report) == [
        ("AIMS503", "warning", "controls/org.yaml", 7, 9, "ORG-1"),
        ("AIMS503", "warning", "controls/org.yaml", 15, 9, "ORG-2"),
        ("AIMS503", "warning", "controls/org.yaml", 23, 9, "ORG-3"),
        ("AIMS506", "warning", "waivers/expired.yaml", 8, 10, "W-OLD"),
        ("AIMS507", "warning", "waivers/idle.yaml", 1, 1, "W-IDLE"),
    ]


def test_no_waivers_no_waiver_findings(make_repo: Make, cli: Cli) -> None:
    _, report = _report(cli, make_repo(_files()))
    assert {d["code"] for d in report["diagnostics"]} == {"AIMS503"}
    assert report["waived"] == []


def test_a_waiver_of_a_rule_turned_off_is_unused(make_repo: Make, cli: Cli) -> None:
    config = MINIMAL_CONFIG + "rules:\n  AIMS503: off\n"
    root = make_repo(_files(used=_waiver("W-1", "AIMS503", "[ORG-1]", "2027-01-31")), config)
    _, report = _report(cli, root)
    assert [(d["code"], d["record"]) for d in report["diagnostics"]] == [("AIMS507", "W-1")]


def test_waiver_rules_take_overrides(make_repo: Make, cli: Cli) -> None:
    config = MINIMAL_CONFIG + "rules:\n  AIMS506: error\n  AIMS507: off\n"
    root = make_repo(
        _files(
            expired=_waiver("W-OLD", "AIMS503", "[ORG-3]", "2026-11-25"),
            idle=_waiver("W-IDLE", "AIMS204", "[ORG-1]", "2027-01-31"),
        ),
        config,
    )
    code, report = _report(cli, root)
    assert code == 1
    assert [(d["code"], d["severity"]) for d in report["diagnostics"] if d["code"] > "AIMS503"] == [
        ("AIMS506", "error")
    ]


def test_waiver_findings_cannot_be_waived(make_repo: Make, cli: Cli) -> None:
    # A waiver of AIMS506 on an expired waiver does not hide it, and covers nothing itself.
    root = make_repo(
        _files(
            expired=_waiver("W-OLD", "AIMS503", "[ORG-3]", "2026-11-25"),
            meta=_waiver("W-META", "AIMS506", "[W-OLD]", "2027-01-31"),
        )
    )
    _, report = _report(cli, root)
    codes = [(d["code"], d["record"]) for d in report["diagnostics"] if d["code"] > "AIMS503"]
    assert codes == [("AIMS506", "W-OLD"), ("AIMS507", "W-META")]


def test_a_waiver_cannot_waive_findings_on_waivers(make_repo: Make, cli: Cli) -> None:
    # Each waiver names itself, or the other: its placeholder approver and the record it
    # names that does not exist stay failing, and neither waiver covers anything.
    placeholder = _waiver("W-TODO", "AIMS107", "[W-TODO]", "2027-01-31").replace(
        "approved_by: ciso@acme.example", 'approved_by: "TODO: who approved it"'
    )
    root = make_repo(
        _files(
            todo=placeholder,
            gone=_waiver("W-GONE", "AIMS201", "[W-GONE, W-TODO, NOPE]", "2027-01-31"),
        )
    )
    code, report = _report(cli, root)
    assert code == 1
    found = [(d["code"], d["record"]) for d in report["diagnostics"] if d["code"] != "AIMS503"]
    assert found == [
        ("AIMS507", "W-GONE"),
        ("AIMS201", "W-GONE"),
        ("AIMS507", "W-TODO"),
        ("AIMS107", "W-TODO"),
    ]
    assert report["waived"] == []


def test_a_waiver_approved_by_a_placeholder_waives_nothing(make_repo: Make, cli: Cli) -> None:
    """A waiver `approved_by: "TODO: who approved it"` hid the finding it named (ORG-1's
    AIMS503 went to `waived`), though nobody had approved the exception. The finding is
    reported now, saying which waiver does not count and why; the waiver is not called
    unused (it names the finding), and AIMS107 reports its placeholder."""
    placeholder = _waiver("W-TODO", "AIMS503", "[ORG-1]", "2027-01-31").replace(
        "approved_by: ciso@acme.example", 'approved_by: "TODO: who approved it"'
    )
    code, report = _report(cli, make_repo(_files(todo=placeholder)))
    assert code == 1  # the placeholder
    assert report["waived"] == []
    found = [(d["code"], d["record"]) for d in report["diagnostics"]]
    assert found == [
        ("AIMS503", "ORG-1"),
        ("AIMS503", "ORG-2"),
        ("AIMS503", "ORG-3"),
        ("AIMS107", "W-TODO"),
    ]
    [org1] = [d for d in report["diagnostics"] if d["record"] == "ORG-1"]
    assert org1["message"].endswith(
        " (W-TODO names a placeholder (TODO:) as approved_by, so it does not count as approved)"
    )


def test_a_waiver_that_gives_a_key_twice_waives_nothing(make_repo: Make, cli: Cli) -> None:
    """W-DUP gives `expires` twice: read with the first, it waived ORG-1's finding while
    its second line says it expired. Every other invalid waiver waives nothing; so does
    this one now, and the finding says why."""
    dup = _waiver("W-DUP", "AIMS503", "[ORG-1]", "2027-01-31") + "expires: 2026-01-01\n"
    code, report = _report(cli, make_repo(_files(dup=dup)))
    assert code == 1  # AIMS005
    assert report["waived"] == []
    [org1] = [d for d in report["diagnostics"] if d["record"] == "ORG-1"]
    assert org1["message"].endswith(
        " (W-DUP gives a key twice (AIMS005), so what it waives cannot be told)"
    )


def test_a_duplicate_key_names_its_record_and_cannot_be_waived(make_repo: Make, cli: Cli) -> None:
    # AIMS005 keeps the record, read with the first value, so it was silenced by a waiver
    # or `rules:` while a later line might say the risk is worse: neither may now.
    files = _files(dup=_waiver("W-DUP", "AIMS005", "[ORG-1]", "2027-01-31"))
    files["controls/org.yaml"] = str(files["controls/org.yaml"]).replace(
        "owner: ciso@acme.example\n", "owner: ciso@acme.example\nowner: ciso@acme.example\n", 1
    )
    root = make_repo(files)
    code, report = _report(cli, root)
    assert code == 1
    found = {(d["code"], d["record"]) for d in report["diagnostics"]}
    assert ("AIMS005", "ORG-1") in found  # named on its record, and not waived
    assert ("AIMS102", "W-DUP") in found  # the waiver of it is refused
    off = make_repo(files, config=MINIMAL_CONFIG + "rules: {AIMS005: off}\n")
    refused = cli("validate", off, "--as-of", AS_OF)
    assert refused.exit_code == 2
    assert "rules: AIMS005 cannot be 'off': a key given twice is read" in refused.stderr


def test_waiver_rules_are_registered_without_a_check() -> None:
    for code, name in (("AIMS506", "waiver-expired"), ("AIMS507", "waiver-unused")):
        assert RULES[code].name == name
        assert RULES[code].check is None
        assert RULES[code].severity is Severity.WARNING


# --- severity overrides ---------------------------------------------------------------

BROKEN = """\
kind: Risk
id: R-1
title: Broken link
owner: risk@acme.example
description: Names a system that does not exist.
systems: [SYS-GONE]
inherent: {likelihood: 1, severity: 1}
status: open
"""


def test_severity_overrides(make_repo: Make, cli: Cli) -> None:
    files = {**_files(), "risks/R-1.yaml": BROKEN}
    root = make_repo(files)
    code, report = _report(cli, root)
    assert code == 1
    assert {(d["code"], d["severity"]) for d in report["diagnostics"]} == {
        ("AIMS201", "error"),
        ("AIMS503", "warning"),
    }

    config = MINIMAL_CONFIG + "rules:\n  AIMS503: off\n  AIMS201: warning\n"
    (root / "aims.yaml").write_text(config, encoding="utf-8")
    code, report = _report(cli, root)
    assert code == 0
    assert _where(report) == [("AIMS201", "warning", "risks/R-1.yaml", 6, 11, "R-1")]
    assert report["summary"]["errors"] == 0
    assert report["summary"]["warnings"] == 1
    assert cli("validate", root, "--as-of", AS_OF, "--strict").exit_code == 1


def test_a_warning_raised_to_error_fails_the_run(make_repo: Make, cli: Cli) -> None:
    root = make_repo(_files(), MINIMAL_CONFIG + "rules:\n  AIMS503: error\n")
    code, report = _report(cli, root)
    assert code == 1
    assert {d["severity"] for d in report["diagnostics"]} == {"error"}


def test_unknown_code_in_rules_is_a_usage_error(make_repo: Make, cli: Cli) -> None:
    root = make_repo(_files(), MINIMAL_CONFIG + "rules:\n  AIMS503: off\n  AIMS999: warning\n")
    result = cli("validate", root, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "aims.yaml:5:" in result.stderr
    assert "unknown rule code 'AIMS999'" in result.stderr
