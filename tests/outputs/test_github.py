"""GitHub Actions workflow commands: escaped, one per finding (a notice for a waived one),
a summary notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.outputs.validation.github import annotation, escape_data, escape_property, render
from aimsctl.outputs.validation.text import render as text_render

E, W = Severity.ERROR, Severity.WARNING


def sample(repository: str = "/srv/governance") -> ValidationResult:
    return ValidationResult(
        repository=repository,
        records=3,
        files=3,
        diagnostics=[
            Diagnostic("AIMS102", E, "status is 'opne'", "risks/R-1.yaml", 8, 9, "R-1"),
            Diagnostic("AIMS104", W, "unknown field 'stauts'", "risks/R-2.yaml", 8, 1, "R-2"),
        ],
        waived=[
            Diagnostic(
                "AIMS104",
                E,
                "unknown field 'x'",
                "systems/SYS-A.yaml",
                3,
                1,
                "SYS-A",
                waived_by="WVR-7",
            ),
        ],
    )


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation_escapes_message_and_properties() -> None:
    # A line break in a message is shown as an escape, as the text format shows it;
    # in the file property it is the runner's %0A, the name kept exact.
    d = Diagnostic("AIMS102", E, "50% of\nvalues: bad", "odd,dir/a:b\n.yaml", 4, 2)
    assert annotation(d) == (
        "::error file=odd%2Cdir/a%3Ab%0A.yaml,line=4,col=2,title=AIMS102::50%25 of\\nvalues: bad"
    )


def test_a_name_a_terminal_would_obey_is_written_with_its_escapes() -> None:
    # ESC, BEL and a bidi control in a file name would reach a terminal or a log as
    # they are; written as escapes, the annotation shows without its file.
    d = Diagnostic("AIMS010", W, "odd name", "risks/c\x1b[31m\u202e\x07.yaml", 1, 1)
    assert annotation(d).startswith("::warning file=risks/c\\x1b[31m\\u202e\\x07.yaml,line=1,")


def test_one_command_per_finding_a_notice_per_waived_one_then_the_summary() -> None:
    # records.md, Waiver: "Waived findings are counted and listed separately, never
    # silently dropped." The waived finding was only counted in the summary; it is a
    # notice on its line now, naming the waiver (a notice fails no run).
    lines = render(sample()).splitlines()
    assert lines == [
        "::error file=risks/R-1.yaml,line=8,col=9,title=AIMS102::status is 'opne'",
        "::warning file=risks/R-2.yaml,line=8,col=1,title=AIMS104::unknown field 'stauts'",
        "::notice file=systems/SYS-A.yaml,line=3,col=1,title=AIMS104 waived (WVR-7)"
        "::unknown field 'x' (error, waived by WVR-7)",
        "::notice::aimsctl validate: 3 records in 3 files: 1 error, 1 warning, 1 waived",
    ]


def test_paths_gain_the_subfolder_inside_the_actions_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "checkout" / "gov"
    root.mkdir(parents=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "checkout"))
    first = render(sample(str(root))).splitlines()[0]
    assert first.startswith("::error file=gov/risks/R-1.yaml,line=8,")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    assert render(sample(str(root))).startswith("::error file=risks/R-1.yaml,")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "elsewhere"))
    assert render(sample(str(root))).startswith("::error file=risks/R-1.yaml,")


def test_a_clean_run_is_only_the_notice() -> None:
    result = ValidationResult(repository="/srv/g", records=1, files=1)
    assert render(result) == (
        "::notice::aimsctl validate: 1 record in 1 file: 0 errors, 0 warnings, 0 waived\n"
    )


def test_the_notice_counts_the_records_whose_id_cannot_be_read_as_text_does() -> None:
    result = ValidationResult(repository="/srv/g", records=1, files=2, unidentified=2)
    notice = "1 record in 2 files, and 2 records whose kind or id cannot be read: 0 errors"
    assert render(result) == f"::notice::aimsctl validate: {notice}, 0 warnings, 0 waived\n"
    assert text_render(result).endswith(f"{notice}, 0 warnings, 0 waived\n")
