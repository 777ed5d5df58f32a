"""`aimsctl obligations`: the regulatory obligations of each system, through the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import AS_OF, EXAMPLE, CliResult

Cli = Callable[..., CliResult]


def test_the_example_as_a_table(cli: Cli) -> None:
    result = cli("obligations", EXAMPLE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "SYS-HIRE: Applicant ranking for corporate hiring (production; EU AI Act high, "
        "deployer; NYC automated employment decision tool)" in lines
    )
    audit = next(line for line in lines if "NYC Local Law 144 Bias audit" in line)
    assert audit.split()[-3:] == ["met", "EVAL-HIRE-2026", "-"]
    assert "SYS-CHURN" not in result.stdout  # retired
    assert any(line.startswith("Colorado SB 26-189: Colorado SB 24-205") for line in lines)
    # SYS-TRIAGE's technical documentation is not finished (A.6.2.7 partial): Art. 11 open.
    triage = next(line for line in lines if "EU AI Act Art. 11" in line and "SYS-TRIAGE" in line)
    assert triage.split()[-6:] == ["Control", "A.6.2.7", "is", "partial,", "not", "implemented"]
    assert lines[-1] == (
        "7 systems, 30 obligations: 11 met, 3 missing, 13 open, 3 not-in-force (as of 2026-11-26)"
    )


def test_one_system_before_the_repository(cli: Cli) -> None:
    result = cli("obligations", "SYS-HIRE", EXAMPLE, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    shape = json.loads(result.stdout)
    assert [s["id"] for s in shape["systems"]] == ["SYS-HIRE"]
    audit = next(o for o in shape["systems"][0]["obligations"] if o["id"] == "nyc-ll144-bias-audit")
    assert audit["status"] == "met"
    assert audit["evidence"] == [
        {
            "kind": "Evaluation",
            "id": "EVAL-HIRE-2026",
            "path": "evaluations/EVAL-HIRE-2026.yaml",
            "note": "bias audit performed 2026-04-15",
        }
    ]
    # The same through --repo.
    again = cli("obligations", "SYS-HIRE", "--repo", EXAMPLE, "--as-of", AS_OF, "-f", "json")
    assert again.stdout == result.stdout


def test_markdown_escapes_record_text(cli: Cli, example_copy: Path) -> None:
    hire = example_copy / "systems" / "SYS-HIRE.yaml"
    text = hire.read_text(encoding="utf-8")
    hire.write_text(
        text.replace("title: Applicant ranking for corporate hiring", "title: Ranking *bold* <b>"),
        encoding="utf-8",
    )
    result = cli("obligations", "SYS-HIRE", example_copy, "--as-of", AS_OF, "--format", "md")
    assert result.exit_code == 0, result.stderr
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "<em>" not in html and "<b>" not in html
    assert "<h2>SYS-HIRE: Ranking *bold* &lt;b&gt;</h2>" in html
    assert "<td>EU AI Act Art. 26</td>" in html


def test_bad_input_is_a_usage_error(cli: Cli) -> None:
    unknown = cli("obligations", "SYS-HIER", EXAMPLE, "--as-of", AS_OF)
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == (
        "aimsctl: error: 'SYS-HIER' is not a system of the repository; did you mean 'SYS-HIRE'?"
    )
    bad_format = cli("obligations", EXAMPLE, "--format", "csv")
    assert bad_format.exit_code == 2 and "--format 'csv' is not one of" in bad_format.stderr
    bad_date = cli("obligations", EXAMPLE, "--as-of", "tomorrow")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.stderr
    assert "Traceback" not in unknown.stderr + bad_format.stderr + bad_date.stderr


def test_help_ends_with_an_example(cli: Cli) -> None:
    result = cli("obligations", "--help")
    assert result.exit_code == 0
    assert "aimsctl obligations examples/northwind --as-of 2026-11-26" in result.stdout


def _misspell_the_class_of_sys_hire(example_copy: Path) -> None:
    """A typo in SYS-HIRE's EU AI Act class: the record fails validation."""
    hire = example_copy / "systems" / "SYS-HIRE.yaml"
    text = hire.read_text(encoding="utf-8")
    hire.write_text(text.replace("eu_ai_act: high", "eu_ai_act: hihg"), encoding="utf-8")


def test_a_system_that_fails_validation_is_named_not_silently_dropped(
    cli: Cli, example_copy: Path
) -> None:
    # A typo in the class drops the record: SYS-HIRE and its five obligations vanished
    # while the command exited 0 with a list that looked complete.
    _misspell_the_class_of_sys_hire(example_copy)
    result = cli("obligations", example_copy, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["left_out"] == ["systems/SYS-HIRE.yaml"]
    assert "1 file with records that failed validation" in result.stderr
    assert "systems/SYS-HIRE.yaml; run aimsctl validate" in result.stderr
    assert "run aimsctl validate" in cli("obligations", example_copy, "--as-of", AS_OF).stderr
    clean = cli("obligations", EXAMPLE, "--as-of", AS_OF, "--format", "json")
    assert json.loads(clean.stdout)["left_out"] == [] and clean.stderr == ""


def test_table_and_markdown_say_they_are_incomplete_where_records_failed_validation(
    cli: Cli, example_copy: Path
) -> None:
    # SYS-HIRE dropped by a typo: the table and the Markdown ended '6 systems, ...
    # obligations: ... met' as if complete, the file named only on standard error.
    _misspell_the_class_of_sys_hire(example_copy)
    note = (
        "Incomplete: 1 file with records that failed validation left out "
        "(systems/SYS-HIRE.yaml), so its systems are not shown and what its records "
        "evidence or owe is not counted; run aimsctl validate"
    )
    table = cli("obligations", example_copy, "--as-of", AS_OF)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[-1] == note
    markdown = cli("obligations", example_copy, "--as-of", AS_OF, "--format", "md")
    assert markdown.exit_code == 0, markdown.stderr
    rendered = MarkdownIt().render(markdown.stdout)
    assert f"<p>{note}</p>" in rendered
    for clean in (cli("obligations", EXAMPLE, "--as-of", AS_OF, *f) for f in ([], ["-f", "md"])):
        assert "Incomplete" not in clean.stdout


def test_a_named_system_that_fails_validation_is_said_to_be_invalid(
    cli: Cli, example_copy: Path
) -> None:
    # It was "not a system of the repository; did you mean 'SYS-CHURN'?".
    _misspell_the_class_of_sys_hire(example_copy)
    result = cli("obligations", "SYS-HIRE", example_copy, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "'SYS-HIRE' is not valid" in result.stderr
    assert "not a system of the repository" not in result.stderr


def test_a_named_system_in_a_file_that_cannot_be_read_is_not_called_unknown(
    cli: Cli, example_copy: Path
) -> None:
    # A tab indenting a line leaves the file unread, so SYS-ASSIST has no record: it was
    # "not a system of the repository; did you mean 'SYS-ROSTER'?".
    with (example_copy / "systems/SYS-ASSIST.yaml").open("a", encoding="utf-8") as file:
        file.write("\tstray: tab\n")
    result = cli("obligations", "SYS-ASSIST", example_copy, "--as-of", AS_OF)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.endswith(
        "aimsctl: error: 'SYS-ASSIST' may be in systems/SYS-ASSIST.yaml, which cannot be "
        "read, so its obligations cannot be derived; fix it first (aimsctl validate shows "
        "why)\n"
    )


def test_a_folder_as_system_with_repo_is_the_repository_given_twice(
    cli: Cli, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `obligations r3 --repo r3b` said "'r3' is not a system of the repository".
    other = tmp_path / "other"
    shutil.copytree(example_copy, other)
    monkeypatch.chdir(example_copy.parent)
    name = example_copy.name
    both = cli("obligations", name, "--repo", other, "--as-of", AS_OF)
    assert both.exit_code == 2
    assert "give the repository either as REPO or as --repo, not both" in both.stderr
    same = cli("obligations", name, "--repo", example_copy, "--as-of", AS_OF)
    assert same.exit_code == 0, same.stderr
    assert same.stdout == cli("obligations", example_copy, "--as-of", AS_OF).stdout
    # A system whose id also names a folder here is still the system.
    (example_copy.parent / "SYS-HIRE").mkdir()
    system = cli("obligations", "SYS-HIRE", "--repo", example_copy, "--as-of", AS_OF)
    assert system.exit_code == 0, system.stderr
    assert system.stdout.startswith("SYS-HIRE:")
