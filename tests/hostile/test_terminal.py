"""Human-readable outputs show untrusted text, never obey it.

A file name or a record field can hold an escape sequence (recolour or clear the
terminal), a carriage return (overwrite the line shown), a newline (in a GitHub
Actions log, a new line starting `::` is a workflow command) or a bidirectional
control (reorder what is shown). Every text output writes them as escapes.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl.text import md_code, md_text, plain_table, printable
from conftest import AS_OF, EXCLUDED_SOA, CliResult
from gitrepo import CONFIG, GitRepo, risk, system

Cli = Callable[..., CliResult]
Make = Callable[..., Path]
HOSTILE = "R\x1b[2J\r\n::error file=x::pwned \u202eevil"
QUOTED = json.dumps(HOSTILE)  # a YAML double-quoted string


def _assert_shown_not_obeyed(output: str) -> None:
    assert "\x1b" not in output and "\r" not in output and "\u202e" not in output
    assert not any(line.startswith("::") for line in output.splitlines())


def test_printable_escapes_every_control_and_keeps_other_text() -> None:
    assert printable(HOSTILE) == "R\\x1b[2J\\r\\n::error file=x::pwned \\u202eevil"
    assert printable("Tâche 日本 \u05d0") == "Tâche 日本 \u05d0"
    assert plain_table(("A",), [("x\ty",)]) == ["A", "x\\ty"]
    assert "\x1b" not in md_text("a\x1bb") and "\u202e" not in md_text("a\u202eb")
    assert md_code("a\x1bb\u202ec\x9bd") == "`a\\x1bb\\u202ec\\x9bd`"


def test_validate_text_shows_a_hostile_file_name_on_one_line(make_repo: Make, cli: Cli) -> None:
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA})
    (root / "risks").mkdir()
    (root / "risks" / "x\n::error::pwned\x1b[2J.yaml").write_text("kind: Risk\n")
    result = cli("validate", root, "--as-of", AS_OF)
    assert result.exit_code == 1
    _assert_shown_not_obeyed(result.stdout)
    [finding] = [line for line in result.stdout.splitlines() if "AIMS101" in line]
    assert finding.startswith("risks/x\\n::error::pwned\\x1b[2J.yaml:1:1: error AIMS101")
    # The machine-readable formats keep the name exactly.
    data = json.loads(cli("validate", root, "--as-of", AS_OF, "--format", "json").stdout)
    assert any(d["path"] == "risks/x\n::error::pwned\x1b[2J.yaml" for d in data["diagnostics"])


def test_validate_github_annotations_show_a_hostile_file_name_as_text(
    make_repo: Make, cli: Cli
) -> None:
    # The runner writes each annotation's message to the Actions log, whose viewer
    # obeys escape sequences, and shows it on the pull request, where a bidi control
    # reorders it. AIMS010 and AIMS105 quote a file's path in their message: it was
    # written raw, ESC and U+202E included, where the text format escapes it.
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA})
    (root / "risks").mkdir()
    name = "x\n::error::pwned\x1b[2J\u202eevil.yaml"
    (root / "risks" / name).write_text("kind: Risk\nid: R-1\n")
    (root / "risks" / "R-1.yaml").write_text("kind: Risk\nid: R-1\n")
    result = cli("validate", root, "--as-of", AS_OF, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if "\x1b" in line or "\u202e" in line] == []
    shown = "risks/x\\n::error::pwned\\x1b[2J\\u202eevil.yaml"
    assert any("AIMS010" in line and shown in line for line in lines)
    assert any("AIMS105" in line and shown in line for line in lines)
    # The file property is written with the escapes too (ESC reached a terminal as it
    # was), the line break as the runner's own %0A.
    written = "file=risks/x%0A%3A%3Aerror%3A%3Apwned\\x1b[2J\\u202eevil.yaml,"
    assert any(line.startswith(f"::warning {written}") for line in lines)


@pytest.mark.parametrize("format", ["table", "md", "csv"])
def test_risk_register_shows_hostile_titles_as_text(make_repo: Make, cli: Cli, format: str) -> None:
    root = make_repo(
        {
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1").replace(
                "title: Risk R-1", f"title: {json.dumps(HOSTILE)}"
            ),
        }
    )
    result = cli("risk", "score", root, "--as-of", AS_OF, "--format", format)
    assert result.exit_code == 0, result.stderr
    if format == "csv":  # data for a spreadsheet: quoted, exact
        assert HOSTILE.replace("\r\n", "\n") in result.stdout.replace("\r\n", "\n")
        return
    _assert_shown_not_obeyed(result.stdout)
    show = cli("risk", "show", "R-1", root, "--as-of", AS_OF)
    _assert_shown_not_obeyed(show.stdout)


def test_log_and_diff_show_hostile_commit_text_and_paths(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.write({"risks/R-7.yaml": risk("R-7")})
    repo.commit("Add R-7")
    hostile_title = risk("R-7").replace("title: Risk R-7", f"title: {QUOTED}")
    repo.write({"risks/R-7.yaml": hostile_title})
    repo.commit(f"Rename\x1b[2J {HOSTILE}")
    log = cli("log", "R-7", repo.root)
    assert log.exit_code == 0, log.stderr
    _assert_shown_not_obeyed(log.stdout)
    assert "\\x1b[2J" in log.stdout
    for format in ("text", "md"):  # md's code spans held the title's \u202e as it was
        diff = cli("diff", "HEAD~1", "HEAD", repo.root, "--as-of", AS_OF, "--format", format)
        assert diff.exit_code == 0, diff.stderr
        _assert_shown_not_obeyed(diff.stdout)
        assert "\\u202eevil" in diff.stdout, format


@pytest.mark.parametrize("command", [("validate",), ("status",), ("risk", "score"), ("due",)])
def test_a_repository_path_with_a_line_break_is_one_escaped_line(
    cli: Cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A repository path with a line break or an escape sequence in its name: the error
    named it as it was, so it spread over two 'aimsctl: error:' lines, the second
    starting mid-name."""
    empty = tmp_path / "empty\nfolder\x1b[2J"
    empty.mkdir()
    for path in (empty, tmp_path / "no\nsuch"):
        result = cli(*command, path, "--as-of", AS_OF)
        assert result.exit_code == 2
        [line] = result.stderr.splitlines()
        assert "\\n" in line and "\x1b" not in line


def test_a_usage_error_shows_the_arguments_escaped(cli: Cli, tmp_path: Path) -> None:
    """Typer's 'Got unexpected extra argument(s) (...)' quotes the argument as typed: a
    right-to-left override reached the terminal and reordered the line."""
    result = cli("status", tmp_path, "a\u202eb\x1b[2J")
    assert result.exit_code == 2
    assert "\u202e" not in result.stderr and "\x1b" not in result.stderr
    assert result.stderr.startswith("Usage: aimsctl status [OPTIONS] [REPO]\n")
    # click (older Typer) strips an ANSI sequence from text it writes to a file, so
    # the clear-screen is gone there; the Typer that vendors click keeps it, escaped.
    assert result.stderr.endswith(
        (
            "Error: Got unexpected extra argument(s) (a\\u202eb\\x1b[2J)\n",
            "Error: Got unexpected extra argument(s) (a\\u202eb)\n",
        )
    )


def test_printable_shows_a_zero_width_space_and_keeps_the_joiners() -> None:
    # SYS-A and SYS-\u200bA look alike on a terminal; the joiners are text.
    assert printable("SYS-\u200bA\ufeff") == "SYS-\\u200bA\\ufeff"
    assert printable("\u0646\u200c\u0645 \U0001f469\u200d\U0001f4bb") == (
        "\u0646\u200c\u0645 \U0001f469\u200d\U0001f4bb"
    )


def test_diff_gate_lines_show_hostile_ids_as_text(tmp_path: Path, cli: Cli) -> None:
    """The gate lines on stderr named the ids of records invalid at HEAD as written: an
    escape sequence or a right-to-left override in one reached the terminal."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    base = repo.commit("base")
    hostile = "R-\x1b[2J\u202eevil\u200b"
    repo.write({"risks/r\x1b[31m.yaml": f"kind: Risk\nid: {json.dumps(hostile)}\ntitle: t\n"})
    repo.commit("an invalid risk")
    result = cli("diff", base, "HEAD", repo.root, "--as-of", AS_OF, "--fail-on", "tier-raised")
    assert result.exit_code == 1
    _assert_shown_not_obeyed(result.stderr)
    _assert_shown_not_obeyed(result.stdout)
    assert result.stderr.splitlines() == [
        "aimsctl: governance gets worse (tier-raised: R-\\x1b[2J\\u202eevil\\u200b)",
        "aimsctl: invalid or unreadable at HEAD, so the gates cannot judge: "
        "R-\\x1b[2J\\u202eevil\\u200b",
    ]


def test_soa_sync_shows_a_hostile_file_name_as_text(make_repo: Make, cli: Cli) -> None:
    root = make_repo(
        {
            "controls/old\x1b[2J\u202e.yaml": (
                "kind: Control\nid: A.9.9\napplicable: false\njustification: x\n"
            )
        }
    )
    result = cli("soa", "sync", root, "--check", "--as-of", AS_OF)
    _assert_shown_not_obeyed(result.stdout)
    assert "controls/old\\x1b[2J\\u202e.yaml: A.9.9 is not an Annex A control" in result.stdout


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\u00adb", "a\\xadb"),  # soft hyphen: `ab` and `a-b` broken at no line
        ("a\u2060b\u2062c", "a\\u2060b\\u2062c"),  # word joiner, invisible times
        ("a\ufeffb", "a\\ufeffb"),  # a byte order mark inside text
        ("a\u180eb", "a\\u180eb"),  # Mongolian vowel separator
        ("a\u034fb", "a\\u034fb"),  # combining grapheme joiner
        ("\u115f\u1160a\u3164\uffa0", "\\u115f\\u1160a\\u3164\\uffa0"),  # Hangul fillers
        ("a\ufe00b\U000e0100", "a\\ufe00b\\U000e0100"),  # variation selectors
        # Tag characters spell hidden ASCII; eight digits, as `\ue0041` is U+E004 and 1.
        ("R-1\U000e0041\U000e007f", "R-1\\U000e0041\\U000e007f"),
    ],
)
def test_printable_escapes_each_kind_of_invisible_character(text: str, shown: str) -> None:
    """`R-\u00ad1` and `R-1` read the same on a terminal, in a Markdown table and in a
    pull-request comment: printable() escaped only U+200B and U+FEFF of the characters
    that show as nothing."""
    assert printable(text) == shown
    assert md_code(text) == f"`{shown}`"
    assert md_text(text) == shown.replace("\\", "\\\\")


def test_printable_escapes_every_format_character_but_the_joiners() -> None:
    # ZWNJ: Persian and Indic scripts; a lone ZWJ joins nothing (one inside an emoji
    # stays: test_text.py).
    kept = {"\u200c"}
    format_characters = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in format_characters if printable(c) == c] == sorted(kept)


def test_printable_keeps_an_emoji_selector_after_a_symbol_only() -> None:
    # The warning sign drawn as an emoji; the selector after a letter, or a second
    # one, shows as nothing.
    assert printable("\u26a0\ufe0f ok") == "\u26a0\ufe0f ok"
    assert printable("\u26a0\ufe0f\ufe0f A\ufe0f") == "\u26a0\ufe0f\\ufe0f A\\ufe0f"


def test_ids_that_differ_by_an_invisible_character_read_apart(tmp_path: Path, cli: Cli) -> None:
    """Two risks, `R-1` and `R-\u00ad1` (or `R-1` and a tag character): validate's
    lines and the diff's pull-request comment showed both as `R-1`."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    base = repo.commit("base")
    repo.write(
        {
            "risks/R-1.yaml": risk("R-1"),
            "risks/R-\u00ad1.yaml": risk("R-1"),
            "risks/R-2.yaml": risk("R-2").replace("id: R-2", 'id: "R-\\u00ad1"'),
            "risks/R-3.yaml": risk("R-3").replace("id: R-3", 'id: "R-1\\U000E0041"'),
        }
    )
    repo.commit("look-alikes")
    result = cli("validate", repo.root, "--as-of", AS_OF)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "\u00ad" not in result.stdout and "\U000e0041" not in result.stdout
    assert any(
        line.startswith(
            "risks/R-1.yaml:2:5: error AIMS105 duplicate id 'R-1': also used at "
            "risks/R-\\xad1.yaml:2:5"
        )
        for line in lines
    )
    assert any(
        line.startswith("risks/R-2.yaml:2:5: error AIMS102") and line.endswith("[R-\\xad1]")
        for line in lines
    )
    assert any(
        line.startswith("risks/R-3.yaml:2:5: error AIMS102") and line.endswith("[R-1\\U000e0041]")
        for line in lines
    )
    comment = cli("diff", base, "HEAD", repo.root, "--as-of", AS_OF, "--format", "md")
    assert comment.exit_code == 0, comment.stderr
    assert "\u00ad" not in comment.stdout and "\U000e0041" not in comment.stdout
    assert "| Risk | `R-\\xad1` | `risks/R-2.yaml` |" in comment.stdout
    assert "| Risk | `R-1\\U000e0041` | `risks/R-3.yaml` |" in comment.stdout
