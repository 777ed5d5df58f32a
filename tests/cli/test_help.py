"""The terminal, as a new user meets it: every --help has an example, placeholders are
words, positionals are upper case, and the small things a first run trips over."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import termios
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aimsctl.cli.app import command
from conftest import AS_OF, EXAMPLE, CliResult, in_a_terminal

Cli = Callable[..., CliResult]


def commands(
    group: Any = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every registered command and subcommand (groups too), with its path of names."""
    group = command() if group is None else group
    for name, sub in sorted(getattr(group, "commands", {}).items()):
        yield (*path, name), sub
        yield from commands(sub, (*path, name))


ALL = [path for path, _cmd in commands()]


def test_the_walk_finds_the_commands_and_their_subcommands() -> None:
    assert {("validate",), ("report",), ("risk", "score"), ("rules", "explain")} <= set(ALL)
    assert len(ALL) > 15


def example_of(help_text: str) -> list[str]:
    """The example lines under "Example:" in a help text, continuations joined."""
    found = re.search(r"\n *Example:\n", help_text)
    assert found, "no Example: paragraph"
    after = help_text[found.end() :]
    lines: list[str] = []
    for raw in after.splitlines():
        if not raw.strip():
            break
        text = raw.strip()
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1].rstrip() + " " + text
        else:
            lines.append(text)
    return lines


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_every_help_shows_a_real_example_of_that_command(cli: Cli, path: tuple[str, ...]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.stderr
    examples = example_of(result.stdout)
    assert examples
    options = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", result.stdout.split("\nOptions:")[-1]))
    for example in examples:
        words = shlex.split(example)
        assert words[0] == "aimsctl"
        # It runs this command (or, for a group, one of its subcommands)...
        assert tuple(words[1 : 1 + len(path)]) == path, example
        # ...with options the command has.
        if not any(path == p[: len(path)] and len(p) > len(path) for p in ALL):
            used = {w.split("=")[0] for w in words if w.startswith("-")}
            assert used <= options, (example, used - options)


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_placeholders_are_words_and_positionals_upper_case(cli: Cli, path: tuple[str, ...]) -> None:
    text = cli(*path, "--help").stdout
    assert not re.search(r"<(str|int|float|path|list\[[^\]]*\]|[a-z_]+)>", text), text
    usage = text.splitlines()[0]
    assert usage.startswith("Usage: aimsctl")
    for word in re.findall(r"[\[{]+([A-Za-z_.][\w.-]*)", usage):
        # DATA.csv: the spec's name for bias-audit's file, its extension kept.
        assert word == "OPTIONS" or word.split(".")[0].isupper(), usage
    arguments = text.partition("\nArguments:\n")[2].partition("\n\n")[0]
    for entry in re.findall(r"^  (\S+)", arguments, re.M):
        assert entry.split(".")[0].replace("-", "_").isupper(), entry


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_the_usage_line_brackets_each_argument_once(cli: Cli, path: tuple[str, ...]) -> None:
    """`new` read `{KIND} [[ID]] [[REPO]]` and `fmt` `[[PATH]...]...`: metavars written
    with their own brackets, which Typer 0.29 adds around optional arguments again."""
    usage = cli(*path, "--help").stdout.splitlines()[0]
    assert not re.search(r"\[\[|\]\]|\{\{|\}\}|\.\.\.\]|\.\.\.\.\.\.", usage), usage


def test_usage_lines_read_as_the_contract_writes_them(cli: Cli) -> None:
    """cli.md and cli-v2.md write `diff BASE [HEAD] [REPO]`, `new KIND [ID] [REPO]`,
    `bias-audit DATA.csv`: a required argument bare (Typer 0.29 wrote `{KIND}`, as
    click writes a set of choices), the same with every Typer release allowed."""
    for args, usage in (
        (("new",), "new [OPTIONS] KIND [ID] [REPO]"),
        (("fmt",), "fmt [OPTIONS] [PATH]..."),
        (("diff",), "diff [OPTIONS] BASE [HEAD] [REPO]"),
        (("bias-audit",), "bias-audit [OPTIONS] DATA.csv"),
        (("risk", "accept"), "risk accept [OPTIONS] ID [REPO]"),
        (("init",), "init [OPTIONS] DIR"),
    ):
        assert cli(*args, "--help").stdout.startswith(f"Usage: aimsctl {usage}\n")
    # A usage error shows the same line.
    assert cli("log").stderr.startswith("Usage: aimsctl log [OPTIONS] ID [REPO]\n")
    # --output takes a file, as cli.md and docs/ci.md write it (it read OUTPUT).
    for name in ("validate", "diff"):
        assert "-o, --output FILE " in cli(name, "--help").stdout


def test_common_options_read_as_words(cli: Cli) -> None:
    text = cli("risk", "score", "--help").stdout
    for placeholder in ("--as-of DATE", "--band BAND", "--system SYSTEM", "--repo PATH"):
        assert placeholder in text
    assert "Usage: aimsctl risk score [OPTIONS] [REPO]" in text


def test_the_top_help_names_debug(cli: Cli) -> None:
    """--debug works on every command (taken before Typer sees the arguments), and the
    README names it, but no --help did."""
    text = " ".join(cli("--help").stdout.split())
    assert "Every command also takes --debug (or AIMSCTL_DEBUG=1)" in text


# --- what a first run trips over --------------------------------------------------------


def test_a_missing_report_lists_the_choices(cli: Cli) -> None:
    result = cli("report")
    assert result.exit_code == 2
    assert result.stderr.startswith("aimsctl: error: missing REPORT: name one of soa, ")
    assert "readiness" in result.stderr or "management" in result.stderr
    assert result.stderr.rstrip().endswith("or all")


def test_controls_annex_rejects_a_stray_argument(cli: Cli) -> None:
    result = cli("controls", "--annex", "extra")
    assert result.exit_code == 2
    assert result.stderr == "aimsctl: error: --annex reads no repository; leave out 'extra'\n"
    assert result.stdout == ""
    assert cli("controls", "--annex").exit_code == 0


def test_report_out_dash_writes_one_report_to_standard_output(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("report", "soa", EXAMPLE, "--out", "-", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Statement of Applicability\n")
    assert not (tmp_path / "-").exists()
    assert list(tmp_path.iterdir()) == []
    for refused in (["all", EXAMPLE, "--out", "-"], ["soa", EXAMPLE, "--out", "-", "--check"]):
        result = cli("report", *refused, "--as-of", AS_OF)
        assert result.exit_code == 2
        assert "writes a single report to standard output" in result.stderr


@pytest.mark.parametrize(
    "args",
    (
        ["report", "soa", EXAMPLE, "--as-of", AS_OF],
        ["report", "all", EXAMPLE, "--as-of", AS_OF, "--format", "html"],
        ["export", "oscal", EXAMPLE, "--as-of", AS_OF],
        ["schema"],
    ),
    ids=("report", "report-all", "export-oscal", "schema"),
)
@pytest.mark.parametrize("blank", ("", " "))
def test_a_blank_out_is_refused_not_the_current_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], blank: str
) -> None:
    """`--out "$REPORTS"` with the variable unset: an empty name is the current folder,
    and the reports (the schemas, the OSCAL documents) were written there, into the
    repository when run from its root, with exit 0."""
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "--out", blank)
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: --out is empty: name the folder to write to (. for the current folder)\n"
    )
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_out_dash_is_standard_output_even_beside_a_file_named_dash(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report --out -` is standard output; a file named '-' in the current folder made
    it an error ('--out -: is a file, not a folder')."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("kept\n", encoding="utf-8")
    result = cli("report", "soa", EXAMPLE, "--out", "-", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Statement of Applicability\n")
    assert (tmp_path / "-").read_text(encoding="utf-8") == "kept\n"


def test_schema_without_out_prints_the_combined_schema(cli: Cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$id"].endswith("/record.schema.json")
    assert "Risk" in schema["properties"]["kind"]["enum"]


def test_schema_out_dash_prints_the_combined_schema(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out -` is standard output, as report's: it made a folder named '-' in the
    current folder (inside the repository, run from there) and wrote every schema in it."""
    monkeypatch.chdir(tmp_path)
    result = cli("schema", "--out", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == cli("schema").stdout
    assert list(tmp_path.iterdir()) == []


def test_text_paths_are_shown_from_the_current_folder(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example_copy / "risks" / "zz-broken.yaml").write_text("kind: [\n", encoding="utf-8")
    monkeypatch.chdir(example_copy / "risks")
    text = cli("validate", "--as-of", AS_OF, "--no-cache")
    assert text.exit_code == 1
    assert text.stdout.startswith("zz-broken.yaml:2:1: error AIMS001 ")
    assert "\n../controls/organization.yaml:" in text.stdout  # the waived finding
    monkeypatch.chdir(example_copy / "systems")
    assert cli("validate", "--as-of", AS_OF, "--no-cache").stdout.startswith(
        "../risks/zz-broken.yaml:2:1: "
    )
    # JSON keeps paths from the repository root, wherever it runs.
    data = json.loads(cli("validate", "--as-of", AS_OF, "--format", "json").stdout)
    assert data["diagnostics"][0]["path"] == "risks/zz-broken.yaml"
    monkeypatch.chdir(example_copy)
    assert cli("validate", "--as-of", AS_OF).stdout.startswith("risks/zz-broken.yaml:2:1: ")


@pytest.mark.parametrize("args", (["rules"], ["validate", str(EXAMPLE), "--as-of", AS_OF]))
def test_a_closed_standard_output_is_a_clear_error(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`aimsctl ... >&-`: Python then sets sys.stdout to None; that is the shell's
    doing, not a bug to report (exit 2 with the reason, not an internal error)."""
    from aimsctl.cli import main

    monkeypatch.setattr(sys, "stdout", None)
    assert main(args) == 2
    assert capsys.readouterr().err == (
        "aimsctl: error: standard output is closed; nothing could be written\n"
    )


# --- numbers as people type them ------------------------------------------------------

BIAS_CSV = EXAMPLE / "evidence" / "bias-audit" / "hire-2026-q3-applicants.csv"
BIAS = ("bias-audit", BIAS_CSV, "--score", "score", "--category", "sex")


@pytest.mark.parametrize(
    ("args", "message"),
    (
        (
            ("due", EXAMPLE, "--within", "0,5"),
            "--within '0,5' is not a whole number; write it in digits, e.g. --within 30",
        ),
        (
            ("status", EXAMPLE, "--within", ""),
            "--within '' is not a whole number; write it in digits, e.g. --within 30",
        ),
        (("due", EXAMPLE, "--within", "-1"), "--within must be from 0 to 36500, not -1"),
        (("status", EXAMPLE, "--within", "36501"), "--within must be from 0 to 36500, not 36501"),
        (
            ("log", "R-007", EXAMPLE, "-n", "ten"),
            "--max-count 'ten' is not a whole number; write it in digits, e.g. --max-count 10",
        ),
        (("log", "R-007", EXAMPLE, "-n", "0"), "--max-count must be 1 or more, not 0"),
        (
            (*BIAS, "--threshold", "0,8"),
            "--threshold '0,8' is not a number: write the decimals after a point, as 0.8",
        ),
        (
            (*BIAS, "--min-share", ",02"),
            "--min-share ',02' is not a number: write the decimals after a point, as .02",
        ),
        (
            (*BIAS, "--threshold", "80%"),
            "--threshold '80%' is a percentage: write it as a fraction of one, as 0.8",
        ),
        (
            (*BIAS, "--threshold", "nan"),
            "--threshold 'nan' is not a number; write it as a decimal, e.g. --threshold 0.8",
        ),
        (
            (*BIAS, "--min-share", ""),
            "--min-share '' is not a number; write it as a decimal, e.g. --min-share 0.02",
        ),
    ),
)
def test_a_malformed_number_is_one_sentence_saying_how_to_write_it(
    cli: Cli, args: tuple[str | Path, ...], message: str
) -> None:
    """A number the option cannot read: Typer's four lines ending in 'Input should be a
    valid number, unable to parse string as a number' said nothing of the comma a
    European keyboard types, and the ranges were worded by the parser for --within but
    by aimsctl for --max-count; now one line of aimsctl's, exit 2, as for --as-of."""
    result = cli(*args, "--as-of", AS_OF) if args[0] != "log" else cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: {message}\n"
    assert result.stdout == ""


def test_numbers_in_range_still_read(cli: Cli) -> None:
    assert cli("due", EXAMPLE, "--within", " 0 ", "--as-of", AS_OF).exit_code == 0
    text = cli(*BIAS, "--threshold", ".75", "--min-share", "5e-2", "-f", "json").stdout
    assert {g["category"] for g in json.loads(text)["groups"]} == {"Female", "Male"}
    assert "0 to 36500" in cli("due", "--help").stdout
    assert "--within DAYS" in cli("status", "--help").stdout


@pytest.mark.parametrize(
    ("args", "plain"),
    (
        (("validate", EXAMPLE), True),
        (("validate", EXAMPLE, "-f", "json"), True),
        (("due", EXAMPLE), False),
    ),
)
@pytest.mark.parametrize(
    ("value", "problem"),
    (
        ("3/12/2026", "is not a date; write it YYYY-MM-DD"),
        ("2026-02-30", "is not a day of the calendar"),
    ),
)
def test_a_bad_as_of_from_the_environment_names_the_variable(
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str | Path, ...],
    plain: bool,
    value: str,
    problem: str,
) -> None:
    """AIMSCTL_AS_OF left over in a shell: the error said "--as-of '3/12/2026' is not a
    date" to a command line with no --as-of in it (through validate's fast path and
    through Typer alike)."""
    from aimsctl.cli import validate_plain

    assert (validate_plain.read([str(a) for a in args]) is not None) is plain
    monkeypatch.setenv("AIMSCTL_AS_OF", value)
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: AIMSCTL_AS_OF {value!r} {problem}\n"
    # Given on the command line, the option is named, as before.
    result = cli(*args, "--as-of", "2026-13-01")
    assert result.stderr == "aimsctl: error: --as-of '2026-13-01' is not a day of the calendar\n"


@pytest.mark.parametrize("args", (BIAS, ("controls", "--annex"), ("init", "{dir}", "--example")))
def test_a_bad_as_of_is_refused_where_no_date_is_judged_too(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str | Path, ...]
) -> None:
    """A bias audit without --record, the bare catalogue and a copy of the example judge
    no date, and took `--as-of 2026-13-01` (or a bad AIMSCTL_AS_OF) without a word,
    exit 0: a typo the user meant to apply went unnoticed. cli.md: a usage error is 2."""
    target = tmp_path / "new-aims"
    line = [str(target) if a == "{dir}" else a for a in args]
    result = cli(*line, "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert result.stderr == "aimsctl: error: --as-of '2026-13-01' is not a day of the calendar\n"
    assert result.stdout == ""
    monkeypatch.setenv("AIMSCTL_AS_OF", "3/12/2026")
    result = cli(*line)
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: AIMSCTL_AS_OF '3/12/2026' is not a date; write it YYYY-MM-DD\n"
    )
    assert not target.exists()


def _runnable_examples() -> list[tuple[str, str]]:
    """(command, example) for every example line of every --help, but those that need a
    file the bundled example does not have (eval import's results.csv)."""
    import contextlib
    import io

    found = []
    for path in ALL:
        with contextlib.redirect_stdout(io.StringIO()) as shown, contextlib.suppress(SystemExit):
            command().main(args=[*path, "--help"], prog_name="aimsctl", standalone_mode=False)
        found += [
            (" ".join(path), example)
            for example in example_of(shown.getvalue())
            if "results.csv" not in example
        ]
    return found


@pytest.mark.parametrize(("name", "example"), _runnable_examples())
def test_every_help_example_runs_on_the_bundled_example(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, example: str
) -> None:
    """An example is what a newcomer types first: `assessment approve IA-HIRE-2026`
    (both examples) was refused with exit 1, the assessment being approved already."""
    import shutil

    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work", governance="examples/northwind")
    shutil.copytree(EXAMPLE, repo.root, dirs_exist_ok=True)
    repo.commit("the example", on=AS_OF)
    monkeypatch.setenv("AIMSCTL_AS_OF", AS_OF)  # for the examples without --as-of
    # In the example's folder, where the example names none; init makes a repository
    # of its own, outside any other.
    folder = repo.top if "examples/northwind" in example else repo.root
    monkeypatch.chdir(tmp_path if name == "init" else folder)
    result = cli(*shlex.split(example)[1:])
    assert result.exit_code == 0, (example, result.stderr)


def test_bias_audit_refuses_an_empty_format(cli: Cli) -> None:
    """`--format "$FORMAT"` with the variable unset: bias-audit alone took '' for its
    default and printed the table (exit 0); every other command refuses it."""
    result = cli(*BIAS, "--format", "")
    assert result.exit_code == 2
    assert result.stderr == "aimsctl: error: --format '' is not one of table, json, md\n"
    assert result.stdout == ""
    assert "table, json or md.  [default: table]" in cli("bias-audit", "--help").stdout


# --- colour ---------------------------------------------------------------------------

# Every variable that says something about colour or the terminal, left out of the
# environment each terminal test starts from.
TERMINAL_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CI")


def terminal_env(**settings: str) -> dict[str, str]:
    """The environment of a colour terminal 200 columns wide, with ``settings``."""
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_VARIABLES}
    return env | {"TERM": "xterm-256color", "COLUMNS": "200"} | settings


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with one file that does not parse: validate prints an error."""
    root = tmp_path_factory.mktemp("broken") / "aims"
    shutil.copytree(EXAMPLE, root)
    (root / "risks" / "broken.yaml").write_text("kind: Risk\nid: [\n", encoding="utf-8")
    return root


COLOURING = {
    "validate": ["validate", "--as-of", AS_OF],
    "status": ["status", "--as-of", AS_OF],
    "risk score": ["risk", "score", "--as-of", AS_OF],
    "risk matrix": ["risk", "matrix", "--as-of", AS_OF],
}


@pytest.mark.parametrize(
    ("settings", "coloured"),
    [
        ({}, True),
        ({"NO_COLOR": ""}, True),
        ({"NO_COLOR": "1"}, False),
        ({"TERM": "dumb"}, False),
        ({"FORCE_COLOR": ""}, True),
    ],
    ids=["default", "empty-NO_COLOR", "NO_COLOR", "TERM=dumb", "empty-FORCE_COLOR"],
)
@pytest.mark.parametrize("name", list(COLOURING))
def test_every_colouring_command_reads_the_environment_alike(
    broken: Path, name: str, settings: dict[str, str], coloured: bool
) -> None:
    """An empty NO_COLOR turned colour off (no-color.org: only a value does); under
    TERM=dumb validate coloured its lines while status and risk did not; an empty
    FORCE_COLOR left the Rich tables plain while validate's lines were coloured."""
    code, shown = in_a_terminal([*COLOURING[name], broken], env=terminal_env(**settings))
    assert code in (0, 1), shown
    assert "Traceback" not in shown
    assert ("\x1b[" in shown) is coloured, shown


def test_piped_output_is_plain_whatever_force_color_says(broken: Path) -> None:
    """cli.md: colour only on a terminal. FORCE_COLOR (force-color.org) would colour a
    pipe; the contract's plain, stable text wins."""
    env = terminal_env(FORCE_COLOR="1", TTY_COMPATIBLE="1")
    for args in COLOURING.values():
        done = subprocess.run(
            [sys.executable, "-m", "aimsctl", *args, str(broken)],
            capture_output=True, env=env, check=False,
        )  # fmt: skip
        assert done.returncode in (0, 1), done.stderr
        assert b"\x1b" not in done.stdout and b"\xe2\x94\x83" not in done.stdout, args


# --- width ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in git with a branch that changes it: something for diff and log."""
    from gitrepo import northwind_pull_request

    return northwind_pull_request(tmp_path_factory.mktemp("pr") / "aims", EXAMPLE).root


def every_command(repo: Path) -> dict[str, list[str | Path]]:
    """Each command that prints for people, as a person runs it on ``repo``."""
    return {
        "validate": ["validate", repo, "--as-of", AS_OF],
        "due": ["due", repo, "--as-of", AS_OF],
        "status": ["status", repo, "--as-of", AS_OF],
        "diff": ["diff", "main", "HEAD", repo, "--as-of", AS_OF],
        "log": ["log", "R-016", repo],
        "risk score": ["risk", "score", repo, "--as-of", AS_OF],
        "risk matrix": ["risk", "matrix", repo, "--as-of", AS_OF],
        "rules": ["rules"],
        "report": ["report", "soa", repo, "--out", "-", "--as-of", AS_OF],
    }


# Record ids as the example writes them: R-003, SYS-HIRE, MON-ASSIST-GROUNDED.
RECORD_ID = re.compile(r"\b[A-Z]{1,4}-[A-Z0-9][A-Z0-9-]*[A-Z0-9]\b")


@pytest.mark.parametrize("columns", [20, 30, 40])
@pytest.mark.parametrize("name", ["status", "risk score", "risk matrix"])
def test_a_narrow_terminal_shows_every_record_id_whole(
    pull_request: Path, name: str, columns: int
) -> None:
    """At 40 columns status cut record ids to "MON-ASSIST-GROU…" and left the column
    of what is due, and the notes, no room; risk score drew its id column zero wide
    (no id at all) and "SYS-AS…" for the systems. Where a Rich table cannot keep
    them whole, the plain layout is shown, as piped: the terminal wraps its lines."""
    args = every_command(pull_request)[name]
    piped = subprocess.run(
        [sys.executable, "-m", "aimsctl", *map(str, args)],
        capture_output=True, text=True, env=terminal_env(), check=False,
    )  # fmt: skip
    code, shown = in_a_terminal(args, env=terminal_env(NO_COLOR="1", COLUMNS=str(columns)))
    assert code == piped.returncode == 0, shown
    assert "…" not in shown and "Traceback" not in shown
    assert shown.replace("\r\n", "\n") == piped.stdout
    if name != "risk matrix":  # counts and bands, no ids
        assert len(RECORD_ID.findall(shown)) > 5


def test_a_diagnostic_is_one_line_whatever_the_width(broken: Path) -> None:
    """validate prints `path:line:col: ...` on one line at any width: the terminal
    wraps it, so it copies whole, and an editor opens the path as printed."""
    env = terminal_env(NO_COLOR="1", COLUMNS="20")
    code, shown = in_a_terminal(["validate", broken, "--as-of", AS_OF], env=env, columns=20)
    assert code == 1, shown
    assert re.search(r"^risks/broken\.yaml:\d+:\d+: error AIMS\d{3} [^\r\n]+\r$", shown, re.M)


# A file name longer than a dumb terminal's 80 columns, left out for failing validation.
LONG_NAME = "risks/" + "a-risk-whose-file-name-runs-on-" * 3 + "and-on.yaml"


@pytest.mark.parametrize("name", ["status", "risk score"])
def test_a_dumb_terminal_takes_its_width_from_columns(
    make_repo: Callable[..., Path], name: str
) -> None:
    """Under TERM=dumb Rich drew at 80 columns whatever COLUMNS said, so with
    COLUMNS=120 the note naming a file left out folded its 93-character path over two
    lines (no longer one to copy). The width is COLUMNS's; a word longer than the
    width would still be kept whole, for the terminal to wrap."""
    from factory import risk, system

    root = make_repo(
        {"systems/SYS-1.yaml": system("SYS-1"), "risks/R-1.yaml": risk("R-1"), LONG_NAME: "id: ["}
    )
    args = {"status": ["status"], "risk score": ["risk", "score"]}[name]
    env = terminal_env(TERM="dumb", COLUMNS="120", NO_COLOR="1")
    code, shown = in_a_terminal([*args, root, "--as-of", AS_OF], env=env, columns=120)
    assert code == 0, shown
    lines = shown.replace("\r\n", "\n").splitlines()
    assert "┃" in shown or "━" in shown, shown  # the Rich layout, not the plain one
    assert max(map(len, lines)) > 80, shown
    assert any(LONG_NAME in line for line in lines), shown


def test_a_word_longer_than_the_terminal_is_never_folded(
    make_repo: Callable[..., Path],
) -> None:
    """Narrower than a path in a note (COLUMNS=90 under TERM=dumb, 80 before), Rich
    folded the path at the edge; the note wraps between words and the path stays
    whole on its line, for the terminal to wrap as it does the plain layout's."""
    from factory import risk, system

    root = make_repo(
        {"systems/SYS-1.yaml": system("SYS-1"), "risks/R-1.yaml": risk("R-1"), LONG_NAME: "id: ["}
    )
    env = terminal_env(TERM="dumb", COLUMNS="90", NO_COLOR="1")
    code, shown = in_a_terminal(["risk", "score", root, "--as-of", AS_OF], env=env, columns=90)
    assert code == 0, shown
    assert "┃" in shown or "━" in shown, shown
    assert any(LONG_NAME in line for line in shown.replace("\r\n", "\n").splitlines()), shown


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["1", "1000000"])
def test_every_command_ends_at_any_width(pull_request: Path, columns: str) -> None:
    """COLUMNS=1 or a million: every command ends, as it does at 80, and draws no line
    longer than it would at 300 columns (nothing is padded to a million)."""
    for name, args in every_command(pull_request).items():
        code, shown = in_a_terminal(args, env=terminal_env(NO_COLOR="1", COLUMNS=columns))
        assert code in (0, 1), (name, shown)
        assert "Traceback" not in shown and "internal error" not in shown, name
        assert max(map(len, shown.splitlines())) < 2000, name


@pytest.mark.slow
def test_piped_output_does_not_depend_on_the_terminal(pull_request: Path) -> None:
    """Redirected, what a command prints is the same bytes whatever width the
    terminal that runs it (standard error, where progress goes) or COLUMNS says."""
    for name, args in every_command(pull_request).items():
        printed = set()
        for columns in (20, 300):
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "aimsctl", *map(str, args)],
                    stdout=subprocess.PIPE, stderr=slave, stdin=slave,
                    env=terminal_env(COLUMNS=str(columns)), check=False, timeout=120,
                )  # fmt: skip
            finally:
                os.close(slave)
                os.close(master)
            assert done.returncode in (0, 1), name
            printed.add(done.stdout)
        assert len(printed) == 1, name


@pytest.mark.slow
@pytest.mark.parametrize("columns", [10, 1])
def test_every_help_renders_in_a_tiny_terminal_in_the_c_locale(columns: int) -> None:
    """--help of every command at COLUMNS=10 (and 1) in the C locale, in a terminal:
    the help, exit 0, no traceback."""
    env = terminal_env(COLUMNS=str(columns), LC_ALL="C", LANG="C", PYTHONUTF8="0")
    for path in [(), *ALL]:
        code, shown = in_a_terminal([*path, "--help"], env=env, columns=columns)
        assert code == 0, (path, shown)
        assert shown.startswith("Usage: aimsctl") and "Traceback" not in shown, (path, shown)


def test_piped_help_does_not_depend_on_columns() -> None:
    """`COLUMNS=20 aimsctl validate --help | less` wrapped the help at 50 columns, with
    COLUMNS=300 at 78: piped, the help is the same bytes whatever COLUMNS says."""
    printed = set()
    for columns in ("20", "300"):
        done = subprocess.run(
            [sys.executable, "-m", "aimsctl", "validate", "--help"],
            capture_output=True, env=terminal_env(COLUMNS=columns), check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        printed.add(done.stdout)
    assert len(printed) == 1
    assert max(map(len, printed.pop().decode().splitlines())) <= 80


@pytest.mark.parametrize("command", ["log", "fmt"])
def test_commands_that_read_no_date_take_as_of_as_every_command_does(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    """cli.md gives every command `--as-of`; `log` and `fmt` refused it ("No such option"),
    so a script passing it everywhere stopped there. They take it, and still refuse a date
    that is none."""
    from gitrepo import committed_example

    root = committed_example(tmp_path, EXAMPLE).root
    args = ["log", "R-007", root] if command == "log" else ["fmt", "--check", "--repo", root]
    assert cli(*args, "--as-of", AS_OF).exit_code == 0
    refused = cli(*args, "--as-of", "2026-13-01")
    assert refused.exit_code == 2
    assert "--as-of '2026-13-01' is not a day of the calendar" in refused.stderr
