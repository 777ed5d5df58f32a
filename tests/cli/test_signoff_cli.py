"""`aimsctl risk accept` and `aimsctl assessment approve`: in place, or not at all."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aimsctl import yamlsafe
from conftest import AS_OF, CliResult

Cli = Callable[..., CliResult]


def _data(path: Path) -> dict[str, object]:
    return yamlsafe.parse(path.read_text(encoding="utf-8")).documents[0].data  # type: ignore[no-any-return]


def test_accept_records_the_acceptance_and_keeps_everything_else(
    cli: Cli, example_copy: Path
) -> None:
    path = example_copy / "risks/R-010.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    result = cli(
        "risk", "accept", "R-010", "--by", "chief-risk-officer", "--until", "2027-06-30",
        "--rationale", "Validation phase only.", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert _data(path)["acceptance"] == {
        "by": "chief-risk-officer",
        "on": AS_OF,
        "rationale": "Validation phase only.",
        "expires": "2027-06-30",
    }
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [line for line in after if line not in before]
    assert len(changed) <= 5 and len(after) <= len(before)
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0
    assert cli("fmt", "--check", path).exit_code == 0


def test_accept_says_which_acceptance_it_replaces(cli: Cli, example_copy: Path) -> None:
    # R-010 is accepted already: a second acceptance replaced who signed and when
    # without a word. It still does (renewing is routine), and says so.
    result = cli(
        "risk", "accept", "R-010", "--by", "chief-risk-officer", "--until", "2027-06-30",
        "--rationale", "Validation phase only.", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "aimsctl: note: this replaces the acceptance by ceo-northwind-health@northwind.example "
        "on 2026-10-20 (until 2027-09-30); the git history keeps it\n"
    )


def test_accept_judges_who_accepts_as_it_writes_them(cli: Cli, example_copy: Path) -> None:
    # The acceptance is written with --by stripped; the Role check took the text as
    # given, so ' chief-risk-officer ' was refused as holding no Role.
    path = example_copy / "risks/R-010.yaml"
    result = cli(
        "risk", "accept", "R-010", "--by", " chief-risk-officer ", "--until", "2027-06-30",
        "--rationale", "Validation phase only.", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert _data(path)["acceptance"]["by"] == "chief-risk-officer"  # type: ignore[index]


def test_accept_says_what_it_wrote(cli: Cli, make_repo: Callable[..., Path]) -> None:
    # The line echoed --by as typed: an escape sequence in --by reached the terminal.
    # (--until 20270630, a date Python reads, was taken too; it is refused now.)
    from factory import risk, system

    root = make_repo({"systems/SYS-1.yaml": system(), "risks/R-1.yaml": risk()})
    result = cli(
        "risk", "accept", "R-1", "--by", "cro\x1b[2J@acme.example ", "--until", " 2027-06-30",
        "--rationale", "r", "--as-of", AS_OF, root,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "R-1 accepted by cro\\x1b[2J@acme.example until 2027-06-30 (risks/R-1.yaml)\n"
    )


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["R-010", "--by", "nobody@example.com"], "holds no Role"),
        # nobody yet, whether or not a Role's holder is still the same `TODO:` text
        (["R-010", "--by", "TODO: who accepts"], "is a placeholder (TODO:): nobody has signed"),
        (["R-010", "--by", "head-of-health-it"], "designated management"),
        (["R-010", "--by", "chief-risk-officer", "--on", "2027-01-01"], "after the as-of"),
        (["R-010", "--by", "chief-risk-officer", "--until", "2026-01-01"], "before the"),
        (["R-010", "--by", "chief-risk-officer", "--rationale", "TODO: why"], "--rationale"),
    ],
)
def test_a_refused_acceptance_leaves_the_file_byte_identical(
    cli: Cli, example_copy: Path, args: list[str], why: str
) -> None:
    path = example_copy / "risks/R-010.yaml"
    before = path.read_bytes()
    options = {"--until": "2027-06-30", "--rationale": "Because."}
    for option, value in options.items():
        if option not in args:
            args = [*args, option, value]
    result = cli("risk", "accept", *args, "--as-of", AS_OF, example_copy)
    assert result.exit_code == 1, result.stdout
    assert why in result.stderr
    assert path.read_bytes() == before


def test_accepting_an_unknown_or_invalid_risk(cli: Cli, example_copy: Path) -> None:
    args = ["--by", "x", "--until", "2027-01-01", "--rationale", "r", "--as-of", AS_OF]
    missing = cli("risk", "accept", "R-999", *args, example_copy)
    assert missing.exit_code == 2 and "R-999" in missing.stderr
    path = example_copy / "risks/R-010.yaml"
    path.write_text(path.read_text().replace("status: ", "status: bogus-"), encoding="utf-8")
    before = path.read_bytes()
    invalid = cli("risk", "accept", "R-010", *args, example_copy)
    assert invalid.exit_code == 1 and "not valid" in invalid.stderr
    assert path.read_bytes() == before
    # A record of another kind is named as an unknown one is: a usage error (exit 2),
    # in English ("an AISystem"); it was exit 1, "is a AISystem".
    system = example_copy / "systems/SYS-HIRE.yaml"
    kept = system.read_bytes()
    wrong = cli("risk", "accept", "SYS-HIRE", *args, example_copy)
    assert wrong.exit_code == 2
    assert "SYS-HIRE is an AISystem, not a Risk" in wrong.stderr
    approve = ["--by", "x", "--on", "2026-11-01", "--as-of", AS_OF]
    wrong = cli("assessment", "approve", "SYS-HIRE", *approve, example_copy)
    assert wrong.exit_code == 2
    assert "SYS-HIRE is an AISystem, not an ImpactAssessment" in wrong.stderr
    assert system.read_bytes() == kept


@pytest.mark.parametrize(
    ("command", "record_id", "rel"),
    [
        (["assessment", "approve"], "IA-FRAUD-2026", "assessments/IA-FRAUD-2026.yaml"),
        (["risk", "accept"], "R-010", "risks/R-010.yaml"),
    ],
    ids=["approve", "accept"],
)
def test_a_record_in_a_file_that_cannot_be_read_is_not_called_missing(
    cli: Cli, example_copy: Path, command: list[str], record_id: str, rel: str
) -> None:
    # A tab indenting a line leaves the whole file unread, so no record in it has an id:
    # the sign-off said "no ImpactAssessment 'IA-FRAUD-2026' in ...; did you mean
    # 'IA-TRIAGE-2026'?", though the record is there, in a file to fix first.
    path = example_copy / rel
    path.write_bytes(path.read_bytes() + b"\tstray: tab\n")
    before = path.read_bytes()
    args = ["--by", "chief-risk-officer", "--as-of", AS_OF]
    more = ["--decision", "proceed"] if command[0] == "assessment" else []
    if command[0] == "risk":
        more = ["--until", "2027-06-30", "--rationale", "r"]
    result = cli(*command, record_id, *args, *more, example_copy)
    assert result.exit_code == 1, result.stderr
    assert result.stderr == (
        f"aimsctl: error: {record_id} may be in {rel}, which cannot be read; fix it first "
        "(aimsctl validate shows why), then sign it off\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "rel"),
    (
        (
            ("risk", "accept", "R-007", "--by", "chief-risk-officer", "--until", "2027-06-30",
             "--rationale", "Referral covers it"),
            "risks/R-007.yaml",
        ),
        (
            ("assessment", "approve", "IA-FRAUD-2026", "--by", "chief-risk-officer"),
            "assessments/IA-FRAUD-2026.yaml",
        ),
    ),
)  # fmt: skip
def test_a_record_file_that_is_a_symbolic_link_is_refused_as_fmt_refuses_it(
    cli: Cli, example_copy: Path, tmp_path: Path, args: tuple[str, ...], rel: str
) -> None:
    """A sign-off on a record whose file is a link leading outside the repository
    exited 1, "R-007 may be in risks/R-007.yaml, which cannot be read; fix it first":
    README refuses a record file that is a link with exit 2, and fmt did, with its
    own message. The sign-off now says what fmt says, exit 2, nothing written."""
    path = example_copy / rel
    outside = tmp_path / "outside.yaml"
    path.rename(outside)
    path.symlink_to(outside)
    before = outside.read_bytes()
    message = (
        f"aimsctl: error: {rel} is a symbolic link: aimsctl writes records only through "
        "real folders and files; nothing was written\n"
    )
    formatted = cli("fmt", "--repo", example_copy, path)
    assert (formatted.exit_code, formatted.stderr) == (2, message)
    result = cli(*args, "--as-of", AS_OF, example_copy)
    assert (result.exit_code, result.stderr) == (2, message)
    assert path.is_symlink() and outside.read_bytes() == before


def test_a_record_in_a_linked_folder_is_said_to_be_in_a_folder_not_read(
    cli: Cli, example_copy: Path, tmp_path: Path
) -> None:
    """With assessments/ a link leading outside the repository, `assessment approve`
    said only "no ImpactAssessment 'IA-ROSTER-2026'", while validate reported the
    folder (AIMS008): the review found the record's own folder left unsaid. The error
    now names the folder, exit 2, and nothing is written."""
    folder = example_copy / "assessments"
    outside = tmp_path / "outside"
    folder.rename(outside)
    folder.symlink_to(outside, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    result = cli(
        "assessment", "approve", "IA-ROSTER-2026", "--by", "chief-risk-officer@northwind.example",
        "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: no ImpactAssessment 'IA-ROSTER-2026' in {example_copy}; it may be in "
        "assessments, a folder aimsctl does not read (AIMS008: aimsctl validate says why), "
        "and no sign-off writes there\n"
    )
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_approve_an_assessment(cli: Cli, example_copy: Path) -> None:
    path = example_copy / "assessments/IA-HIRE-2026.yaml"
    text = path.read_text(encoding="utf-8")
    data = _data(path)
    text = text.replace("status: approved", "status: in-review")
    path.write_text(text, encoding="utf-8")
    refused = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", "someone@else.example",
        "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert refused.exit_code == 1 and "holds no Role" in refused.stderr
    assert path.read_text(encoding="utf-8") == text
    result = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", "chief-people-officer",
        "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = _data(path)
    assert after["status"] == "approved"
    assert after["approval"] == {"by": "chief-people-officer", "on": AS_OF}
    assert after["decision"] == data["decision"]


def test_approve_judges_and_says_who_approves_as_it_writes_them(
    cli: Cli, example_copy: Path
) -> None:
    # As for risk accept: ' chief-people-officer ' was refused as holding no Role
    # (checked as typed, written stripped), and the line echoed --by and --on as typed.
    # (--on 20261120, which Python reads, is refused now: dates are written YYYY-MM-DD.)
    path = example_copy / "assessments/IA-HIRE-2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: approved", "status: in-review"),
        encoding="utf-8",
    )
    result = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", " chief-people-officer ",
        "--on", "2026-11-20 ", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert _data(path)["approval"] == {"by": "chief-people-officer", "on": "2026-11-20"}
    assert result.stdout == (
        "IA-HIRE-2026 approved by chief-people-officer on 2026-11-20 "
        "(assessments/IA-HIRE-2026.yaml)\n"
    )


def test_an_approval_refused_for_placeholders_says_where_each_one_is(
    cli: Cli, example_copy: Path
) -> None:
    # Said as JSON pointers, "IA-HIRE-2026 still has placeholders to write first
    # (/assessed/by, /title)": a form validate never shows, and no line to go to.
    path = example_copy / "assessments/IA-HIRE-2026.yaml"
    text = path.read_text(encoding="utf-8").replace("status: approved", "status: in-review")
    text = text.replace("title: ", 'title: "TODO: a title"  # ', 1)
    text = text.replace("  by: ", '  by: "TODO: who assessed it"  # ', 1)
    path.write_text(text, encoding="utf-8")
    title = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("title:"))
    by = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  by:"))
    result = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", "chief-people-officer",
        "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"aimsctl: error: assessments/IA-HIRE-2026.yaml:{title}:8: title is still a "
        "placeholder; write it or remove it",
        f"aimsctl: error: assessments/IA-HIRE-2026.yaml:{by}:7: assessed.by is still a "
        "placeholder; write it or remove it",
    ]
    assert path.read_text(encoding="utf-8") == text


def test_an_approval_on_record_is_not_replaced(cli: Cli, example_copy: Path) -> None:
    # IA-HIRE-2026 is approved (chief-people-officer@..., 2026-09-03): approving it
    # again on another day, or as someone else, rewrote who approved it and when.
    path = example_copy / "assessments/IA-HIRE-2026.yaml"
    before = path.read_bytes()
    recorded = "chief-people-officer@northwind.example on 2026-09-03"
    for more in (
        ("--by", "chief-people-officer"),
        ("--by", "chief-people-officer@northwind.example"),
        ("--by", "chief-people-officer@northwind.example", "--on", "2026-09-03",
         "--decision", "proceed"),
    ):  # fmt: skip
        result = cli("assessment", "approve", "IA-HIRE-2026", *more, "--as-of", AS_OF, example_copy)
        assert result.exit_code == 1, result.stdout
        assert f"IA-HIRE-2026 is approved already (by {recorded})" in result.stderr
        assert path.read_bytes() == before
    # The same approval again changes nothing: the command is idempotent.
    same = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", "chief-people-officer@northwind.example",
        "--on", "2026-09-03", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert same.exit_code == 0, same.stderr
    assert path.read_bytes() == before
    # It said 'approved by ...' as if it had written the approval.
    assert same.stdout == (
        "IA-HIRE-2026 is approved already by chief-people-officer@northwind.example on 2026-09-03\n"
    )
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0


def test_an_approval_before_the_assessment_is_refused(cli: Cli, example_copy: Path) -> None:
    path = example_copy / "assessments/IA-HIRE-2026.yaml"
    before = path.read_bytes()
    result = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", "chief-people-officer",
        "--on", "2020-01-01", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 1 and "before the assessment" in result.stderr
    assert path.read_bytes() == before


def test_an_approval_shared_through_an_anchor_is_refused(cli: Cli, example_copy: Path) -> None:
    # `approval: *a` is the very mapping `assessed: &a` is: approving in place rewrote
    # who assessed it and when to the approver and the approval date.
    path = example_copy / "assessments/IA-HIRE-2026.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: approved", "status: in-review")
    text = text.replace("assessed:", "assessed: &a")
    text = text.replace(
        "approval:\n  by: chief-people-officer@northwind.example\n  on: 2026-09-03",
        "approval: *a",
    )
    path.write_text(text, encoding="utf-8")
    assert _data(path)["approval"] == _data(path)["assessed"]
    result = cli(
        "assessment", "approve", "IA-HIRE-2026", "--by", "chief-people-officer",
        "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 1, result.stdout
    assert "assessments/IA-HIRE-2026.yaml: approval is a mapping shared" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def _anchored_acceptance(example_copy: Path, aliased: bool) -> tuple[Path, bytes]:
    """R-007 with its acceptance's `by` and `on` anchored (&who, &d), and (with
    ``aliased``) its `reviewed:` giving them as aliases (*d, *who)."""
    path = example_copy / "risks/R-007.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "acceptance:\n  by: chief-risk-officer@northwind.example\n  on: 2026-10-23\n",
        "acceptance:\n  by: &who chief-risk-officer@northwind.example\n  on: &d 2026-10-23\n",
    )
    assert "&who" in text and "\nreviewed:\n  on: 2026-10-23\n  by: " in text
    if aliased:
        head, _, _ = text.partition("\nreviewed:\n")
        text = head + "\nreviewed:\n  on: *d\n  by: *who\n"
    path.write_text(text, encoding="utf-8")
    return path, text.encode()


def _accept_r007(cli: Cli, example_copy: Path) -> CliResult:
    return cli(
        "risk", "accept", "R-007", "--by", "chief-risk-officer", "--until", "2027-06-30",
        "--rationale", "Referral covers the rest.", "--as-of", AS_OF, example_copy,
    )  # fmt: skip


def test_accepting_over_an_anchor_an_alias_uses_is_refused(cli: Cli, example_copy: Path) -> None:
    # `reviewed: {on: *d, by: *who}` use the acceptance's values: replacing them,
    # ruamel.yaml moved the anchors to the aliases, and `reviewed:` (lines the
    # acceptance does not touch) came out as `on: &d 2026-10-23` and `by: &who ...`.
    path, before = _anchored_acceptance(example_copy, aliased=True)
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0
    result = _accept_r007(cli, example_copy)
    assert result.exit_code == 1, result.stdout  # as a change that would rewrite a flow mapping
    assert path.read_bytes() == before
    assert (
        "aimsctl: error: risks/R-007.yaml: this change cannot be made without rewriting lines "
        "it does not touch; nothing was written:\n"
        "aimsctl: error: `by` at line 28 carries the anchor &who, which line 40 uses "
        "(*who): replacing it would rewrite that line; write the value out in full there "
        "instead of *who first\n"
        "aimsctl: error: `on` at line 29 carries the anchor &d, which line 39 uses (*d): "
        "replacing it would rewrite that line; write the value out in full there instead "
        "of *d first\n"
    ) in result.stderr


def test_accepting_over_an_anchor_nobody_uses_replaces_it(cli: Cli, example_copy: Path) -> None:
    path, before = _anchored_acceptance(example_copy, aliased=False)
    result = _accept_r007(cli, example_copy)
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert "acceptance:\n  by: chief-risk-officer\n  on: 2026-11-26\n" in after
    assert "&" not in after
    changed = [line for line in after.splitlines() if line not in before.decode().splitlines()]
    assert len(changed) <= 5
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0


@pytest.mark.parametrize("aliased", [True, False])
def test_approving_over_an_anchored_status(cli: Cli, example_copy: Path, aliased: bool) -> None:
    # `description: *s` is the `status: &s in-review` the approval replaces: it came
    # out as `description: &s in-review`. Refused, and the file is as it was; with no
    # alias, the anchored status is simply replaced.
    path = example_copy / "assessments/IA-FRAUD-2026.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[5] == "status: in-review\n" and lines[31].startswith("    description: ")
    lines[5] = "status: &s in-review\n"
    if aliased:
        lines[31] = "    description: *s\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = path.read_bytes()
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0
    result = cli(
        "assessment", "approve", "IA-FRAUD-2026", "--by", "chief-risk-officer",
        "--decision", "proceed", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    if aliased:
        assert result.exit_code == 1, result.stdout
        assert result.stderr == (
            "aimsctl: error: assessments/IA-FRAUD-2026.yaml: `status` at line 6 carries the "
            "anchor &s, which line 32 uses (*s): replacing it would rewrite that line; write "
            "the value out in full there instead of *s first; nothing was written\n"
        )
        assert path.read_bytes() == before
    else:
        assert result.exit_code == 0, result.stderr
        after = path.read_text(encoding="utf-8")
        assert "\nstatus: approved\n" in after and "&s" not in after
        assert _data(path)["approval"] == {"by": "chief-risk-officer", "on": AS_OF}


def test_accept_edits_a_record_holding_a_str_tag(cli: Cli, example_copy: Path) -> None:
    # `!!str 2026` is the text '2026' to validate; ruamel.yaml wrote it back as
    # `!!%20str 2026`, so the acceptance was refused ('cannot be made without
    # rewriting lines'), and the `aimsctl fmt` it advised refused the file too.
    path = example_copy / "risks/R-010.yaml"
    text = path.read_text(encoding="utf-8").replace("tags: [patient-safety]", "tags: [!!str 2026]")
    path.write_text(text, encoding="utf-8")
    result = cli(
        "risk", "accept", "R-010", "--by", "chief-risk-officer", "--until", "2027-06-30",
        "--rationale", "Validation phase only.", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "tags: [!!str 2026]\n" in path.read_text(encoding="utf-8")
    assert _data(path)["tags"] == ["2026"]
    assert _data(path)["acceptance"]["by"] == "chief-risk-officer"  # type: ignore[index]


def test_accepted_text_that_looks_like_a_date_stays_text(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # Replacing a plain rationale, --rationale 2027-06-30 was written plain: text to
    # validate, a date to PyYAML's safe_load and every YAML 1.1 reader. The dates of
    # the acceptance stay plain.
    import yaml

    from factory import risk, system

    accepted = {"by": "cro", "on": "2026-10-01", "rationale": "old", "expires": "2027-01-31"}
    root = make_repo({"systems/SYS-1.yaml": system(), "risks/R-1.yaml": risk(acceptance=accepted)})
    path = root / "risks/R-1.yaml"
    assert "  rationale: old\n" in path.read_text(encoding="utf-8")
    result = cli(
        "risk", "accept", "R-1", "--by", "cro", "--until", "2027-06-30",
        "--rationale", "2027-06-30", "--as-of", AS_OF, root,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert '  rationale: "2027-06-30"\n' in text and "  expires: 2027-06-30\n" in text
    acceptance = yaml.safe_load(text)["acceptance"]
    assert acceptance["rationale"] == "2027-06-30" and acceptance["expires"] == date(2027, 6, 30)


@pytest.mark.parametrize("block", [">-", "|"])
@pytest.mark.parametrize("rationale", ["Retrain \x7f now", "Line one\r\nline two", "a \x01 b\nc"])
def test_accepted_text_a_block_cannot_hold_replaces_a_block_rationale(
    cli: Cli, example_copy: Path, block: str, rationale: str
) -> None:
    # ruamel.yaml keeps the `>-` or `|` of the rationale it replaces: a control
    # character was refused ('cannot be made without rewriting lines', and the fmt it
    # advised changed nothing), and a CR was written raw into the file, where a reader
    # takes it for a line break. Now the text is written in double quotes, escaped.
    import yaml

    path = example_copy / "risks/R-010.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("rationale: >-", f"rationale: {block}"),
        encoding="utf-8",
    )
    result = cli(
        "risk", "accept", "R-010", "--by", "chief-risk-officer", "--until", "2027-06-30",
        "--rationale", rationale, "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = path.read_bytes()
    assert b"\r" not in data and b"\x01" not in data and b"\x7f" not in data
    assert yaml.safe_load(data)["acceptance"]["rationale"] == rationale
    assert _data(path)["acceptance"]["rationale"] == rationale  # type: ignore[index]
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0


def _kept_as_the_editor_saved_it(result: CliResult, path: Path, before: bytes) -> None:
    """The run refused (exit 2, saying why), and the file is as the editor saved it."""
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"{path} changed while aimsctl was editing it; nothing was written\n"
    )
    assert path.read_bytes() == before + b"# saved by an editor meanwhile\n"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", ["accept", "approve"])
def test_a_file_edited_between_reading_and_writing_is_kept_and_the_run_exits_2(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # An editor saving the record while the sign-off was planned left it as the
    # editor saved it (right), but ended the run with exit 1, the code of a refused
    # sign-off, not of a run that could not do its work (2, as fmt ends then).
    from aimsctl import writing

    planned = writing.plan_edit

    def edited_meanwhile(path: Path, *args: Any, **kwargs: Any) -> writing.Change:
        change = planned(path, *args, **kwargs)
        path.write_bytes(path.read_bytes() + b"# saved by an editor meanwhile\n")
        return change

    monkeypatch.setattr(writing, "plan_edit", edited_meanwhile)
    if command == "accept":
        path = example_copy / "risks/R-010.yaml"
        args = ["risk", "accept", "R-010", "--until", "2027-06-30", "--rationale", "Again."]
    else:
        path = example_copy / "assessments/IA-FRAUD-2026.yaml"
        args = ["assessment", "approve", "IA-FRAUD-2026", "--decision", "proceed"]
    before = path.read_bytes()
    result = cli(*args, "--by", "chief-risk-officer", "--as-of", AS_OF, example_copy)
    _kept_as_the_editor_saved_it(result, path, before)


def test_a_file_saved_while_the_new_one_is_written_is_kept(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bytes were compared once, before the new file was written: an editor that
    # saved while it was written (a slow disk widens that) was overwritten, exit 0.
    from aimsctl import fileio

    path = example_copy / "assessments/IA-FRAUD-2026.yaml"
    before = path.read_bytes()
    fill = fileio._fill

    def saved_meanwhile(fd: int, *args: Any) -> None:
        fill(fd, *args)
        with path.open("ab") as handle:  # the editor writes in place
            handle.write(b"# saved by an editor meanwhile\n")

    monkeypatch.setattr(fileio, "_fill", saved_meanwhile)
    args = ["assessment", "approve", "IA-FRAUD-2026", "--decision", "proceed"]
    result = cli(*args, "--by", "chief-risk-officer", "--as-of", AS_OF, example_copy)
    _kept_as_the_editor_saved_it(result, path, before)


def test_two_runs_editing_one_file_never_lose_an_edit(example_copy: Path) -> None:
    # Two runs writing one file (two sign-offs of records kept in one file, `fmt` and
    # a sign-off) each compared the bytes, then replaced the file: an edit landing in
    # between was lost, both exiting 0. Here another run holds the file while this
    # approval is planned and edits it; the approval then starts from those bytes or
    # refuses, and the other edit stays.
    from aimsctl.fileio import held_for_writing, write_atomic

    path = example_copy / "assessments/IA-FRAUD-2026.yaml"
    other = b"# the other run's edit\n"
    command = [sys.executable, "-m", "aimsctl", "assessment", "approve", "IA-FRAUD-2026"]
    command += ["--decision", "proceed", "--by", "chief-risk-officer", "--as-of", AS_OF]
    with held_for_writing(path):
        read = path.read_bytes()
        run = subprocess.Popen(
            [*command, str(example_copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(1.5)  # the approval is planned meanwhile, from the bytes read
        write_atomic(path, read + other)
    out, err = run.communicate(timeout=60)
    final = path.read_bytes()
    assert final.endswith(other) or other in final  # the other run's edit is kept
    if run.returncode == 0:  # planned after the other edit: both are there
        assert b"status: approved" in final, out
    else:
        assert run.returncode == 2, err
        assert err.decode().endswith("changed while aimsctl was editing it; nothing was written\n")
        assert final == read + other


def test_a_record_swapped_for_a_symbolic_link_before_the_write_is_left_a_link(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The link check ran when the change was planned; a link put in the record's place
    # after that (to a copy outside, same bytes) was replaced by a regular file, so
    # the record no longer followed the file the link named.
    from aimsctl import writing

    path = example_copy / "risks/R-010.yaml"
    outside = tmp_path / "R-010.yaml"
    planned = writing.plan_edit

    def linked_meanwhile(at: Path, *args: Any, **kwargs: Any) -> writing.Change:
        change = planned(at, *args, **kwargs)
        outside.write_bytes(at.read_bytes())
        at.unlink()
        at.symlink_to(outside)
        return change

    monkeypatch.setattr(writing, "plan_edit", linked_meanwhile)
    before = path.read_bytes()
    result = cli(
        "risk", "accept", "R-010", "--by", "chief-risk-officer", "--until", "2027-06-30",
        "--rationale", "Again.", "--as-of", AS_OF, example_copy,
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: {path} is a symbolic link: aimsctl writes records only through "
        "real folders and files; nothing was written\n"
    )
    assert path.is_symlink() and outside.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
