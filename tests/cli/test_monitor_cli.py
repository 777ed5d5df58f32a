"""`aimsctl monitor check`: observations read inline or from CSV, breaches and staleness."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aimsctl.readiness import readiness
from aimsctl.repository import load_repository
from conftest import AS_OF, EXAMPLE, CliResult
from factory import flow, incident, monitor, system, yaml_of
from gitrepo import GitRepo

Cli = Callable[..., CliResult]
Make = Callable[..., Path]


def _files() -> dict[str, object]:
    return {
        "systems/s.yaml": [system("SYS-1"), system("SYS-2"), system("OLD", stage="retired")],
        "monitors/m.yaml": [
            monitor(
                "MON-CSV",
                observations_file="evidence/obs.csv",
                on_breach="incident",
                threshold=flow({"max": 0.1}),
            ),
            monitor(
                "MON-STALE",
                system="SYS-2",
                observations=[flow({"on": "2026-10-01", "value": 0.9})],
            ),
            monitor("MON-OLD", system="OLD", observations=[flow({"on": "2025-01-01", "value": 1})]),
        ],
        # Two breaches: the first answered by INC-1, the second by nothing.
        "evidence/obs.csv": (
            "on,value,note\n"
            "2026-10-01,0.05,\n"
            "2026-10-08,0.2,first breach\n"
            "2026-10-15,0.25,\n"
            "2026-10-22,0.04,\n"
            "2026-11-19,0.3,\n"
            "2026-11-20,oops,\n"
        ),
        "incidents/i.yaml": incident("INC-1", occurred="2026-10-08", detected="2026-10-09"),
    }


def test_check_reports_breaches_followups_staleness_and_bad_rows(make_repo: Make, cli: Cli) -> None:
    root = make_repo(_files())
    result = cli("monitor", "check", root, "--as-of", AS_OF)
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "MONITOR",
        "SYSTEM",
        "METRIC",
        "THRESHOLD",
        "EVERY",
        "LATEST",
        "NEXT",
        "DUE",
        "STATE",
    ]
    rows = {line.split()[0]: line.split() for line in lines[1:4]}
    # Its latest observation read is outside, but its last row cannot be read, and may
    # be a later one: unreadable, the worst state (it read "breach", and the reports
    # "current" for a monitor whose latest row was within).
    assert rows["MON-CSV"][-1] == "unreadable"
    # `due` owes it now, saying only part of its file cannot be used.
    due = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    [owed] = [i["what"] for i in due if i["record"] == "MON-CSV" and i["item"] == "observation"]
    assert owed.endswith("its observations file cannot be used, in part)")
    assert rows["MON-CSV"][-3:-1] == ["0.3", "2026-11-26"]
    assert rows["MON-STALE"][-1] == "stale"
    assert rows["MON-OLD"][-1] == "resting" and rows["MON-OLD"][-2] == "-"
    text = result.stdout
    assert (
        "  MON-CSV  2026-10-08 0.2 outside ≤ 0.1 at evidence/obs.csv:3, 2 observations to "
        "2026-10-15: followed by incident INC-1, detected on 2026-10-09\n"
    ) in text
    assert (
        "  MON-CSV  2026-11-19 0.3 outside ≤ 0.1 at evidence/obs.csv:6: NOT FOLLOWED UP "
        "(on_breach: incident)\n"
    ) in text
    assert "  MON-CSV  evidence/obs.csv:7: value must be a plain number, not 'oops'\n" in text
    assert text.endswith(
        "3 monitors as of 2026-11-26: 1 stale, 0 late, 2 breaches (1 not followed up), 1 with "
        "unreadable observations\n"
    )


def test_an_observations_file_a_spreadsheet_saved_with_semicolons_says_so(
    make_repo: Make, cli: Cli
) -> None:
    files = _files()
    files["evidence/obs.csv"] = "on;value\n2026-11-20;0,04\n"
    result = cli("monitor", "check", make_repo(files), "--as-of", AS_OF, "--system", "SYS-1")
    assert result.exit_code == 1
    assert (
        "  MON-CSV  evidence/obs.csv: must start with the header row on,value or on,value,note, "
        "not 'on;value' (line 1); its columns are separated by ';', as a spreadsheet saves CSV "
        "where decimals are written with a comma: separate them with commas, and write "
        "decimals with a point\n"
    ) in result.stdout


@pytest.mark.parametrize("header", ["On,Value", "ON,VALUE,NOTE", " on , Value "])
def test_the_header_names_are_read_in_any_letter_case(
    make_repo: Make, cli: Cli, header: str
) -> None:
    # As eval import reads Metric,Value; these were refused as no header at all.
    files = _files()
    row = "2026-11-20,0.04" + ("," if header.count(",") == 2 else "")
    files["evidence/obs.csv"] = f"{header}\n{row}\n"
    root = make_repo(files)
    result = cli("monitor", "check", root, "--as-of", AS_OF, "--system", "SYS-1", "-f", "json")
    [checked] = json.loads(result.stdout)["monitors"]
    assert (checked["state"], checked["problems"]) == ("ok", [])
    assert checked["latest"]["value"] == 0.04
    validated = cli("validate", root, "--as-of", AS_OF, "--no-cache").stdout
    assert "AIMS708" not in validated


def test_a_header_refused_is_quoted_as_written(make_repo: Make, cli: Cli) -> None:
    files = _files()
    files["evidence/obs.csv"] = "On , Value ,Notes\n2026-11-20,0.04,\n"
    result = cli("monitor", "check", make_repo(files), "--as-of", AS_OF, "--system", "SYS-1")
    assert result.exit_code == 1
    assert (
        "  MON-CSV  evidence/obs.csv: must start with the header row on,value or on,value,note, "
        "not 'On , Value ,Notes' (line 1)\n"
    ) in result.stdout


def test_a_file_of_many_bad_rows_lists_the_first_twenty_and_counts_the_rest(
    make_repo: Make, cli: Cli
) -> None:
    # Every unreadable row was printed: 300,000 two-column rows under on,value,note gave
    # 100,001 lines. Now 20, then one line counting the rest by kind, in JSON too.
    files = _files()
    rows = "2026-11-01,0.01\n" * 30 + "2026-11-02,x,\n" * 4 + "11/03/2026,0.01,\n"
    files["evidence/obs.csv"] = "on,value,note\n" + rows
    root = make_repo(files)
    result = cli("monitor", "check", root, "--as-of", AS_OF, "--system", "SYS-1")
    assert result.exit_code == 1
    listed = [line for line in result.stdout.splitlines() if line.startswith("  MON-CSV  ")]
    assert len(listed) == 21
    assert listed[19] == (
        "  MON-CSV  evidence/obs.csv:21: has 2 columns where the header on,value,note has 3"
    )
    assert listed[20] == (
        "  MON-CSV  evidence/obs.csv: 15 more cannot be used, not listed (10 with the wrong "
        "number of columns; 4 with a value that is no number; 1 with no date YYYY-MM-DD); "
        "fix those above and run again"
    )
    assert "\nObservations that cannot be used (35)\n" in result.stdout
    document = json.loads(
        cli("monitor", "check", root, "--as-of", AS_OF, "--system", "SYS-1", "-f", "json").stdout
    )
    [checked] = document["monitors"]
    assert checked["state"] == "unreadable"
    assert (len(checked["problems"]), checked["problems_not_listed"]) == (21, 15)
    assert checked["rest_not_read"] is False
    assert checked["problems"][-1] == listed[20].removeprefix("  MON-CSV  ")


def test_rows_past_the_limit_are_not_counted_as_unusable_but_make_the_count_a_floor(
    make_repo: Make, cli: Cli
) -> None:
    # 300,000 bad rows: the heading said (100,001) and the count line 99,981, counting
    # where reading stopped as one unusable row; those past it are not known.
    files = _files()
    files["evidence/obs.csv"] = "on,value,note\n" + "2026-11-01,0.01\n" * 100_010
    root = make_repo(files)
    result = cli("monitor", "check", root, "--as-of", AS_OF, "--system", "SYS-1")
    assert result.exit_code == 1
    assert "\nObservations that cannot be used (at least 100,000)\n" in result.stdout
    listed = [line for line in result.stdout.splitlines() if line.startswith("  MON-CSV  ")]
    assert listed[20:] == [
        "  MON-CSV  evidence/obs.csv: 99,980 more of the rows read cannot be used, not "
        "listed (99,980 with the wrong number of columns); fix those above and run again",
        "  MON-CSV  evidence/obs.csv:100002: more than 100000 rows; the rest are not read",
    ]
    document = json.loads(
        cli("monitor", "check", root, "--as-of", AS_OF, "--system", "SYS-1", "-f", "json").stdout
    )
    [checked] = document["monitors"]
    assert (checked["problems_not_listed"], checked["rest_not_read"]) == (99_980, True)
    assert len(checked["problems"]) == 22
    validated = cli("validate", root, "--as-of", AS_OF, "--no-cache").stdout
    assert "evidence/obs.csv: 99980 more rows of those read cannot be used" in validated
    assert "evidence/obs.csv:100002: more than 100000 rows; the rest are not read" in validated
    # Every row read usable: the heading counts none ("at least 0" said nothing).
    files["evidence/obs.csv"] = "on,value,note\n" + "2026-11-01,0.01,ok\n" * 100_010
    fine = cli("monitor", "check", make_repo(files), "--as-of", AS_OF, "--system", "SYS-1")
    assert "\nObservations that cannot be used (rows not read)\n" in fine.stdout


def test_check_as_json_and_for_one_system(make_repo: Make, cli: Cli) -> None:
    root = make_repo(_files())
    result = cli(
        "monitor", "check", root, "--as-of", AS_OF, "--format", "json", "--system", "SYS-2"
    )
    assert result.exit_code == 1  # MON-STALE is stale
    document = json.loads(result.stdout)
    assert document["version"] == 1 and document["as_of"] == AS_OF
    [only] = document["monitors"]
    assert only["id"] == "MON-STALE" and only["state"] == "stale"
    assert only["latest"] == {"on": "2026-10-01", "value": 0.9, "note": None, "within": True}
    assert only["stale_after"] == "2026-10-15" and only["next_due"] == "2026-10-08"
    assert document["summary"] == {
        "monitors": 1,
        "stale": 1,
        "late": 0,
        "breaches": 0,
        "unanswered": 0,
        "unreadable": 0,
    }
    full = json.loads(cli("monitor", "check", root, "--as-of", AS_OF, "-f", "json").stdout)
    breaches = next(m for m in full["monitors"] if m["id"] == "MON-CSV")["breaches"]
    assert [(b["from"], b["to"], b["observations"], b["followed_up"]) for b in breaches] == [
        ("2026-10-08", "2026-10-15", 2, True),
        ("2026-11-19", "2026-11-19", 1, False),
    ]


def test_check_of_the_example_is_clean(cli: Cli) -> None:
    result = cli("monitor", "check", EXAMPLE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stdout
    assert "0 stale, 0 late, 2 breaches (0 not followed up)" in result.stdout


def test_a_monitor_whose_observation_is_overdue_is_late_not_ok(make_repo: Make, cli: Cli) -> None:
    """Past its next due date but within twice its interval, a monitor was shown "ok"
    by monitor check and "current" by the monitoring report while `aimsctl due`
    listed its observation as overdue. Due on the as-of date itself, it is not late."""

    def observed(monitor_id: str, on: str, value: float = 0.9) -> dict[str, object]:
        return monitor(monitor_id, observations=[flow({"on": on, "value": value})])

    root = make_repo(
        {
            "systems/s.yaml": system("SYS-1"),
            "monitors/m.yaml": [
                observed("MON-DUE", "2026-11-19"),  # due 2026-11-26: today
                observed("MON-LATE", "2026-11-18"),  # due 2026-11-25, stale after 12-02
                observed("MON-LATE-OUT", "2026-11-12", 0.1),  # late, and outside
                observed("MON-STALE", "2026-11-11"),  # stale after 2026-11-25
            ],
        }
    )
    result = cli("monitor", "check", root, "--as-of", AS_OF, "--format", "json")
    document = json.loads(result.stdout)
    states = {m["id"]: (m["state"], m["next_due"]) for m in document["monitors"]}
    assert states == {
        "MON-DUE": ("ok", "2026-11-26"),
        "MON-LATE": ("late", "2026-11-25"),
        "MON-LATE-OUT": ("late", "2026-11-19"),
        "MON-STALE": ("stale", "2026-11-18"),
    }
    assert (document["summary"]["late"], document["summary"]["stale"]) == (2, 1)
    text = cli("monitor", "check", root, "--as-of", AS_OF).stdout
    assert "0.9  2026-11-25  late\n" in text and ": 1 stale, 2 late, 1 breach" in text
    # What `aimsctl due` calls overdue is what monitor check calls late or stale.
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)
    overdue = {item["record"] for item in due["items"] if item["overdue"]}
    assert overdue == {m for m, (state, _) in states.items() if state in ("late", "stale")}
    # The monitoring report and the systems report say the same.
    md = cli(
        "report", "monitoring", root, "--as-of", AS_OF, "-f", "md", "-o", "-", "--force"
    ).stdout
    table = md.split("\n## Monitors\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| MON-")]
    assert [row.rstrip(" |").rsplit("| ", 1)[-1] for row in rows] == [
        "current",
        "late",
        "late",
        "**stale**",
    ]
    assert "| late monitors | 2 |" in md
    systems = cli("report", "systems", root, "--as-of", AS_OF, "-f", "md", "-o", "-", "--force")
    assert "latest 0.9 on 2026-11-18; late (next due 2026-11-25)." in systems.stdout


def test_a_monitor_owed_now_is_due_now_in_monitor_check_as_in_due(
    make_repo: Make, cli: Cli
) -> None:
    """A monitor whose observations cannot all be used (one dated after the as-of date)
    was given its next observation a week ahead by monitor check, from its last usable
    one, while `aimsctl due` listed it as owed now; one never observed had no date."""

    def observed(monitor_id: str, *days: str) -> dict[str, object]:
        return monitor(monitor_id, observations=[flow({"on": d, "value": 0.9}) for d in days])

    root = make_repo(
        {
            "systems/s.yaml": system("SYS-1"),
            "monitors/m.yaml": [
                observed("MON-AHEAD", "2026-11-25", "2026-12-01"),  # usable one due 12-02
                observed("MON-OVERDUE", "2026-11-01", "2026-12-01"),  # usable one due 11-08
                observed("MON-NEVER"),
            ],
        }
    )
    checked = json.loads(cli("monitor", "check", root, "--as-of", AS_OF, "-f", "json").stdout)
    states = {m["id"]: (m["state"], m["next_due"]) for m in checked["monitors"]}
    assert states == {
        "MON-AHEAD": ("unreadable", AS_OF),
        "MON-OVERDUE": ("unreadable", "2026-11-08"),
        "MON-NEVER": ("stale", AS_OF),
    }
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)
    listed = {i["record"]: (i["due"], i["overdue"]) for i in due["items"] if i["kind"] == "Monitor"}
    assert listed == {
        "MON-AHEAD": (AS_OF, True),
        "MON-OVERDUE": ("2026-11-08", True),
        "MON-NEVER": (AS_OF, True),
    }


def test_of_two_observations_on_the_latest_day_one_outside_is_the_latest(
    make_repo: Make, cli: Cli
) -> None:
    # No time of day orders them: a breach written first on that day was hidden behind a
    # value within the threshold written after it ("ok"), while AIMS705 reported it.
    root = make_repo(
        {
            "systems/s.yaml": system("SYS-1"),
            "monitors/m.yaml": monitor(
                "MON-1",
                observations=[
                    flow({"on": "2026-11-25", "value": 0.1, "note": "told cro@acme.example"}),
                    flow({"on": "2026-11-25", "value": 0.9}),
                ],
            ),
        }
    )
    document = json.loads(
        cli("monitor", "check", root, "--as-of", AS_OF, "--format", "json").stdout
    )
    (checked,) = document["monitors"]
    assert (checked["state"], checked["latest"]["value"]) == ("breach", 0.1)


def test_observations_are_read_from_a_git_revision(tmp_path: Path, cli: Cli) -> None:
    """Observations come through the repository's file source: a revision read from
    git (as `report --at` reads it) sees the CSV as committed, whatever the working
    tree holds now."""
    from aimsctl.monitor_check import check_monitors
    from aimsctl.revision import repository_at

    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": "version: 1\norganization: T\n",
            "systems/s.yaml": "kind: AISystem\nid: SYS-1\ntitle: S\nowner: o\npurpose: p\n"
            "type: predictive\nstage: production\nhuman_oversight: {mode: human-in-the-loop}\n",
            "monitors/m.yaml": "kind: Monitor\nid: MON-1\ntitle: M\nsystem: SYS-1\nowner: o\n"
            "metric: m\ndimension: performance\nthreshold: {min: 0.8}\nevery_days: 7\n"
            "observations_file: obs.csv\n",
            "obs.csv": "on,value\n2026-11-20,0.9\n",
        }
    )
    sha = repo.commit("observations")
    (repo.root / "obs.csv").write_text("on,value\n2026-11-20,0.1\n", encoding="utf-8")
    _, committed = repository_at(repo.root, sha, date.fromisoformat(AS_OF), suffixes=None)
    assert committed is not None
    [status] = check_monitors(committed).monitors
    assert status.latest is not None and status.latest.value == 0.9 and status.breaches == ()
    worktree = cli("monitor", "check", repo.root, "--as-of", AS_OF, "-f", "json")
    assert json.loads(worktree.stdout)["monitors"][0]["latest"]["value"] == 0.1
    out = tmp_path / "reports"
    result = cli(
        "report", "monitoring", repo.root, "--at", sha, "--out", out, "--as-of", AS_OF, "--force"
    )
    assert result.exit_code == 0, result.stderr
    assert "| 0.9 on 2026-11-20 |" in (out / "monitoring.md").read_text(encoding="utf-8")


def test_bad_options_are_usage_errors(make_repo: Make, cli: Cli) -> None:
    root = make_repo(_files())
    unknown = cli("monitor", "check", root, "--system", "SYS-3", "--as-of", AS_OF)
    assert unknown.exit_code == 2
    assert "--system 'SYS-3' is not a system of the repository; did you mean" in unknown.stderr
    bad = cli("monitor", "check", root, "--format", "yaml", "--as-of", AS_OF)
    assert bad.exit_code == 2 and "--format 'yaml' is not one of text, json" in bad.stderr
    # A blank id (an unset variable) names no system: refused, not every monitor checked.
    for values in ([""], [" , "], ["SYS-1", ""]):
        args = [arg for value in values for arg in ("--system", value)]
        result = cli("monitor", "check", root, *args, "--as-of", AS_OF, "-f", "json")
        assert result.exit_code == 2 and result.stdout == ""
        assert "aimsctl: error: --system is blank" in result.stderr


def test_a_monitor_whose_record_fails_validation_is_named_and_fails_the_check(
    make_repo: Make, cli: Cli
) -> None:
    """validate reports a broken Monitor (AIMS102); monitor check cannot read it, so it
    names its file and exits 1 instead of 'No monitors to check.' and exit 0."""
    root = make_repo(
        {
            "systems/s.yaml": [system("SYS-1")],
            "monitors/bad.yaml": monitor("MON-BAD", every_days=0),
            "monitors/typo.yaml": "kind: Monitr\nid: MON-T\ntitle: t\n",
            # A broken record of another kind holds no monitor.
            "risks/r.yaml": "kind: Risk\nid: R-1\ntitle: r\n",
        }
    )
    result = cli("monitor", "check", root, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout.startswith("No monitors to check.\n")
    # Standard output said nothing more than '0 monitors ...: 0 stale, ...', the files
    # named only on standard error: its last line now says the check is incomplete.
    assert result.stdout.splitlines()[-1] == (
        "Incomplete: 2 files with records that failed validation left out "
        "(monitors/bad.yaml, monitors/typo.yaml), so their monitors are not checked; "
        "run aimsctl validate"
    )
    assert result.stderr == (
        "aimsctl: warning: 2 files with records that failed validation, whose monitors are "
        "not checked: monitors/bad.yaml, monitors/typo.yaml; run aimsctl validate\n"
    )
    document = json.loads(cli("monitor", "check", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert document["left_out"] == ["monitors/bad.yaml", "monitors/typo.yaml"]
    assert cli("validate", root, "--as-of", AS_OF).exit_code == 1


def test_a_monitor_kept_despite_an_error_is_checked_not_called_left_out(
    make_repo: Make, cli: Cli
) -> None:
    # A duplicate key (AIMS005) keeps the record: the monitor was checked, yet its file
    # was named as one "whose monitors are not checked" (and that alone made exit 1).
    text = yaml_of(monitor("MON-1"))
    root = make_repo({"systems/s.yaml": [system("SYS-1")], "monitors/m.yaml": text})
    (root / "monitors" / "m.yaml").write_text(text + "kind: Monitor\n")
    result = cli("monitor", "check", root, "--as-of", AS_OF, "-f", "json")
    document = json.loads(result.stdout)
    assert document["left_out"] == [] and "not checked" not in result.stderr
    assert "MON-1" in [m["id"] for m in document["monitors"]]
    assert "AIMS005" in cli("validate", root, "--as-of", AS_OF).stdout


def test_a_breach_not_followed_up_names_the_records_that_may_be_its_follow_up(
    make_repo: Make, cli: Cli
) -> None:
    # AIMS705 names an Incident written with `kind: [Incident]` (AIMS101) as one that may
    # be the follow-up; monitor check said only "NOT FOLLOWED UP", as if nothing could be.
    files = _files()
    files["incidents/unread.yaml"] = "kind: [Incident]\nid: INC-9\nsystems: [SYS-1]\n"
    root = make_repo(files)
    unread = (
        "a record whose kind or id cannot be read (at incidents/unread.yaml:1) may be the one "
        "that followed"
    )
    result = cli("monitor", "check", root, "--as-of", AS_OF)
    assert result.exit_code == 1  # still not followed up, as AIMS705 still finds it
    assert (
        "  MON-CSV  2026-11-19 0.3 outside ≤ 0.1 at evidence/obs.csv:6: NOT FOLLOWED UP "
        f"(on_breach: incident); {unread}\n"
    ) in result.stdout
    assert "(1 not followed up)" in result.stdout
    document = json.loads(cli("monitor", "check", root, "--as-of", AS_OF, "-f", "json").stdout)
    breaches = next(m for m in document["monitors"] if m["id"] == "MON-CSV")["breaches"]
    assert [(b["followed_up"], b["follow_up"], b["unjudged"]) for b in breaches] == [
        (True, "incident INC-1, detected on 2026-10-09", None),
        (False, None, unread),
    ]
    aims705 = cli("validate", root, "--as-of", AS_OF, "-f", "json").stdout
    assert unread in aims705  # the rule's own words
    # An Incident that fails validation is named; a Risk does not answer `incident`.
    files["incidents/unread.yaml"] = "# to be written\n"
    files["incidents/bad.yaml"] = incident("INC-8", detected="soon")
    files["risks/r.yaml"] = "kind: Risk\nid: R-1\ntitle: r\n"
    root = make_repo(files)
    text = cli("monitor", "check", root, "--as-of", AS_OF).stdout
    assert (
        "NOT FOLLOWED UP (on_breach: incident); INC-8 fails validation and may be the one "
        "that followed\n"
    ) in text
    # Read in full, nothing may be it: no note.
    files["incidents/bad.yaml"] = files["risks/r.yaml"] = "# to be written\n"
    document = json.loads(
        cli("monitor", "check", make_repo(files), "--as-of", AS_OF, "-f", "json").stdout
    )
    breaches = next(m for m in document["monitors"] if m["id"] == "MON-CSV")["breaches"]
    assert [b["unjudged"] for b in breaches] == [None, None]


@pytest.mark.parametrize(
    ("second", "why"),
    [
        # A stage no one knows: validation refuses the record.
        (yaml_of(system("SYS-2", stage="someday")), "is not valid"),
        # A tab indenting a line leaves the file unread, so SYS-2 has no record.
        (
            yaml_of(system("SYS-2")) + "\tstray: tab\n",
            "may be in systems/two.yaml, which cannot be read",
        ),
    ],
)
def test_a_system_left_out_by_validation_is_not_called_unknown(
    make_repo: Make, cli: Cli, second: str, why: str
) -> None:
    """--system SYS-2 was "not a system of the repository; did you mean 'SYS-1'?" where
    it is there, but invalid or in a file that cannot be read: it says which."""
    files = _files()
    files["systems/s.yaml"] = [system("SYS-1")]
    files["systems/two.yaml"] = second
    root = make_repo(files)
    result = cli("monitor", "check", root, "--system", "SYS-2", "--as-of", AS_OF)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.endswith(
        f"aimsctl: error: --system 'SYS-2' {why}, so its monitors cannot be checked; "
        "fix it first (aimsctl validate shows why)\n"
    )


@pytest.mark.parametrize(
    ("where", "owed"),
    [
        ("obs.csv:3", "its observations file cannot be used, in part)"),
        ("observations entry 2", "some of its observations cannot be used)"),
    ],
    ids=["file-row", "inline"],
)
def test_an_observation_dated_after_the_as_of_date_is_one_that_cannot_be_used_in_every_view(
    make_repo: Make, cli: Cli, where: str, owed: str
) -> None:
    # An observation dated after the as-of date is an error (AIMS708 in a file, AIMS508
    # inline) as a row with an impossible date is; `monitor check` called the monitor
    # "ok" while counting it unreadable, the report "current", readiness took it as the
    # evidence of 9.1 and A.6.2.6, and `due` gave the next observation as if all were
    # read. It may be the latest, or a breach: unreadable in part, everywhere.
    rows = [{"on": "2026-11-20", "value": 0.9}, {"on": "2026-11-27", "value": 0.9}]
    if where.startswith("obs.csv"):
        made = monitor("MON-1", system="SYS-1", observations_file="obs.csv")
        files: dict[str, object] = {
            "obs.csv": "on,value\n" + "".join(f"{r['on']},{r['value']}\n" for r in rows)
        }
    else:
        made = monitor("MON-1", system="SYS-1", observations=[flow(r) for r in rows])
        files = {}
    files |= {"systems/s.yaml": system("SYS-1", stage="production"), "monitors/m.yaml": made}
    root = make_repo(files)
    result = cli("monitor", "check", root, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 1, result.stderr
    checked = json.loads(result.stdout)
    [only] = checked["monitors"]
    assert only["state"] == "unreadable" and checked["summary"]["unreadable"] == 1
    assert only["problems"] == [f"{where}: on is 2026-11-27, after the as-of date {AS_OF}"]
    # `due` owes observations that can be read now, not the next one on 2026-11-27.
    due = json.loads(cli("due", root, "--as-of", AS_OF, "-f", "json").stdout)["items"]
    [item] = [i for i in due if (i["record"], i["item"]) == ("MON-1", "observation")]
    assert item["due"] == AS_OF and item["what"].endswith(owed)
    # Readiness, in `status`, counts the monitor stopped: 9.1 and A.6.2.6 are gaps.
    shown = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)["readiness"]
    gaps = {gap for line in shown["clauses"] + shown["annex_a"] for gap in line["gaps"]}
    assert {"9.1", "A.6.2.6"} <= gaps
    found = readiness(load_repository(root, date.fromisoformat(AS_OF)))
    [control] = [r for line in found.lines for r in line.requirements if r.id == "A.6.2.6"]
    assert "MON-1" not in [e.id for e in control.evidence]
    assert f"1 observation of Monitor MON-1 cannot be used (the first at {where})" in (
        control.missing
    )
    # The monitoring report does not call it current.
    report = cli(
        "report", "monitoring", root, "--as-of", AS_OF, "-f", "md", "--out", "-", "--force"
    )
    row = next(x for x in report.stdout.splitlines() if x.startswith("| MON-1 "))
    assert row.split("|")[-2].strip() == "**unreadable in part**"
