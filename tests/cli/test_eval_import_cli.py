"""`aimsctl eval import`: the command, its outputs, its exit codes and what it writes."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl.records.evaluation import Evaluation
from conftest import AS_OF, CliResult

Cli = Callable[..., CliResult]

# The results file the bundled example keeps for SYS-ASSIST's November re-check.
RESULTS = "evidence/lifecycle/assist-periodic-2026-11.csv"
WRITTEN = "evaluations/EVAL-SYS-ASSIST-2026-11-20.yaml"
BY = "conversation-quality-lead@northwind.example"


def _yaml_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def _import(cli: Cli, root: Path, *more: str) -> CliResult:
    return cli(
        "eval", "import", root / RESULTS, root, "--system", "SYS-ASSIST", "--on", "2026-11-20",
        "--as-of", AS_OF, *more,
    )  # fmt: skip


def _import_file(cli: Cli, root: Path, results: Path) -> CliResult:
    """`eval import` of a results file of the test's own, for SYS-ASSIST."""
    return cli(
        "eval", "import", results, root, "--system", "SYS-ASSIST", "--as-of", AS_OF, "--by", BY
    )  # fmt: skip


def test_a_failing_metric_left_out_of_the_results_stays_failing(
    cli: Cli, example_copy: Path
) -> None:
    """Results that leave out the Dutch metric, failing in EVAL-ASSIST-2026-10, printed
    "7 pass, 0 fail" with the metric only "dropped", and the monitoring report's count
    of failing systems fell from 2 to 1: leaving a failure out settled it. AIMS702 reads
    each metric's latest measurement; the import and the report now do too."""
    source = (example_copy / RESULTS).read_text(encoding="utf-8").splitlines(keepends=True)
    results = example_copy / "no-dutch.csv"
    results.write_text("".join(line for line in source if "Dutch" not in line), "utf-8")
    result = _import_file(cli, example_copy, results)
    assert result.exit_code == 0, result.stderr
    assert (
        "Still failing (1): Answers fully supported by retrieved articles (Dutch-language "
        "questions) (failing in EVAL-ASSIST-2026-10); not measured against a threshold "
        "here, each stays failing until it is measured again and passes"
    ) in result.stdout.splitlines()
    # Left out a second time, it is still named, at the evaluation that last measured it
    # (the review found the first version compared with the previous evaluation only).
    again = cli(
        "eval", "import", results, example_copy, "--system", "SYS-ASSIST", "--as-of", AS_OF,
        "--by", BY, "--on", "2026-11-25", "--dry-run",
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert "(Dutch-language questions) (failing in EVAL-ASSIST-2026-10)" in again.stdout
    # Back-dated before an evaluation that measured it again and passed, a failure is
    # settled: SYS-CREDIT's calibration gap failed in EVAL-CREDIT-2026-02 and passed
    # in EVAL-CREDIT-2026-03, after the import's day.
    gini = example_copy / "gini.csv"
    gini.write_text('metric,value\n"Gini drop, development to out-of-time",0.03\n', "utf-8")
    back = cli(
        "eval", "import", gini, example_copy, "--system", "SYS-CREDIT", "--as-of", AS_OF,
        "--by", BY, "--on", "2026-03-01", "--dry-run", "--format", "json",
    )  # fmt: skip
    assert back.exit_code == 0, back.stderr
    assert json.loads(back.stdout)["still_failing"] == []
    report = cli("report", "monitoring", example_copy, "--as-of", AS_OF, "-f", "md", "-o", "-")
    assert report.exit_code == 0, report.stderr
    assert "| systems with a failing metric | 2 |" in report.stdout


def test_import_writes_a_valid_record_and_prints_the_comparison(
    cli: Cli, example_copy: Path
) -> None:
    result = _import(cli, example_copy, "--by", BY)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote {WRITTEN} (EVAL-SYS-ASSIST-2026-11-20)."
    assert lines[1] == "Compared with EVAL-ASSIST-2026-10 (2026-10-08, stage pre-deployment):"
    assert lines[3].split() == ["METRIC", "GROUP", "BEFORE", "NOW", "TREND", "THRESHOLD", "RESULT"]
    dutch = next(line for line in lines if "Dutch-language questions" in line)
    assert dutch.split()[-6:] == ["0.941", "0.946", "better", "≥", "0.95", "FAIL"]
    assert "Added (1): Answers a reader aged 12 can follow" in lines
    assert lines[-1] == "9 metrics: 7 pass, 1 fail, 1 informational; 0 newly failing."
    record = (example_copy / WRITTEN).read_text(encoding="utf-8")
    assert "tracked_by: [R-015]" in record  # the Dutch failure is still R-015's
    assert f"results: {RESULTS}" in record
    valid = cli("validate", example_copy, "--as-of", AS_OF, "--format", "json")
    report = json.loads(valid.stdout)
    assert valid.exit_code == 0 and report["diagnostics"] == []
    # The record is a real Evaluation.
    assert Evaluation.model_validate(_data(example_copy / WRITTEN)).system == "SYS-ASSIST"


def _data(path: Path) -> object:
    from aimsctl import yamlsafe

    return yamlsafe.parse(path.read_text(encoding="utf-8")).documents[0].data


def test_json_format_has_the_comparison_and_the_record(cli: Cli, example_copy: Path) -> None:
    result = _import(cli, example_copy, "--by", BY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["id"], data["path"], data["written"]) == (
        "EVAL-SYS-ASSIST-2026-11-20",
        WRITTEN,
        True,
    )
    assert data["previous"] == {
        "id": "EVAL-ASSIST-2026-10",
        "on": "2026-10-08",
        "stage": "pre-deployment",
    }
    dutch = next(m for m in data["metrics"] if m["group"] == "Dutch-language questions")
    assert dutch == {
        "name": "Answers fully supported by retrieved articles",
        "group": "Dutch-language questions",
        "dimension": "fairness",
        "before": 0.941,
        "value": 0.946,
        "threshold": "≥ 0.95",
        "trend": "better",
        "passed": False,
        "passed_before": False,
        "threshold_before": None,
        "change": "kept",
        "newly_failing": False,
        "inherited": ["dimension", "threshold", "tracked_by"],
    }
    assert data["dropped"] == [] and data["newly_failing"] == []
    assert data["record"]["performed"] == {"on": "2026-11-20", "by": BY}


def test_dry_run_prints_the_record_and_writes_nothing(cli: Cli, example_copy: Path) -> None:
    before = _yaml_files(example_copy)
    result = _import(cli, example_copy, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("kind: Evaluation\nid: EVAL-SYS-ASSIST-2026-11-20\n")
    assert "TODO: who performed the evaluation" in result.stdout
    assert f"Dry run: {WRITTEN} was not written." in result.stdout
    assert (
        json.loads(_import(cli, example_copy, "--dry-run", "--format", "json").stdout)["refused"]
        == []
    )
    assert _yaml_files(example_copy) == before


def test_same_input_same_bytes(cli: Cli, example_copy: Path, tmp_path: Path) -> None:
    import shutil

    other = shutil.copytree(example_copy, tmp_path / "other")
    outputs = [_import(cli, root, "--by", BY) for root in (example_copy, other)]
    assert outputs[0] == outputs[1]
    assert (example_copy / WRITTEN).read_bytes() == (other / WRITTEN).read_bytes()


def test_an_id_that_exists_is_refused_and_nothing_is_written(cli: Cli, example_copy: Path) -> None:
    before = _yaml_files(example_copy)
    result = _import(cli, example_copy, "--by", BY, "--id", "EVAL-ASSIST-2026-10")
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: --id 'EVAL-ASSIST-2026-10' exists already "
        "(evaluations/EVAL-ASSIST-2026-10.yaml); choose another, or leave --id out\n"
    )
    assert _yaml_files(example_copy) == before
    # Run twice: the second run never overwrites the first record, nor adds another.
    assert _import(cli, example_copy, "--by", BY).exit_code == 0
    first = _yaml_files(example_copy)
    again = _import(cli, example_copy, "--by", BY, "--id", "EVAL-SYS-ASSIST-2026-11-20")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[0] == (
        f"Recorded already: {WRITTEN} (EVAL-SYS-ASSIST-2026-11-20) holds these results of "
        "SYS-ASSIST, performed on 2026-11-20; nothing was written."
    )
    data = json.loads(_import(cli, example_copy, "--by", BY, "--format", "json").stdout)
    assert (data["id"], data["written"], data["recorded_already"]) == (
        "EVAL-SYS-ASSIST-2026-11-20",
        False,
        True,
    )
    other = _import(cli, example_copy, "--by", BY, "--id", "EVAL-ASSIST-2026-11")
    assert other.exit_code == 2
    assert "differs in id ('EVAL-SYS-ASSIST-2026-11-20' there, 'EVAL-ASSIST-2026-11' now)" in (
        other.stderr
    )
    assert _yaml_files(example_copy) == first


def test_an_id_whose_file_windows_cannot_hold_is_refused(cli: Cli, example_copy: Path) -> None:
    # --id nul once wrote evaluations/nul.yaml, which no Windows checkout can hold.
    before = _yaml_files(example_copy)
    result = _import(cli, example_copy, "--by", BY, "--id", "nul")
    assert result.exit_code == 2
    assert "evaluations/nul.yaml would be named as the device NUL" in result.stderr
    assert result.stderr.rstrip().endswith("choose another --id")
    assert _yaml_files(example_copy) == before


def test_a_refused_record_exits_1_and_writes_nothing(cli: Cli, example_copy: Path) -> None:
    results = example_copy / "evidence" / "worse.json"
    results.write_text(
        json.dumps({"metrics": [{"name": "Prompt-injection attacks resisted", "value": 0.9}]}),
        encoding="utf-8",
    )
    before = _yaml_files(example_copy)
    result = cli(
        "eval", "import", results, "--repo", example_copy, "--system", "SYS-ASSIST",
        "--as-of", AS_OF, "--by", BY,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "aimsctl: error: evaluations/EVAL-SYS-ASSIST-2026-11-26.yaml would make the repository "
        "invalid; nothing was written:" in result.stderr
    )
    assert "AIMS702 Prompt-injection attacks resisted is 0.9" in result.stderr
    assert _yaml_files(example_copy) == before
    # In JSON, for a CI job: not written, and why.
    refused_json = cli(
        "eval", "import", results, "--repo", example_copy, "--system", "SYS-ASSIST",
        "--as-of", AS_OF, "--by", BY, "--format", "json",
    )  # fmt: skip
    assert refused_json.exit_code == 1
    shown = json.loads(refused_json.stdout)
    assert shown["written"] is False
    assert [line for line in shown["refused"] if "AIMS702" in line]
    assert "nothing was written" in refused_json.stderr
    assert _yaml_files(example_copy) == before
    # A dry run shows the record and ends as the import would: refused, exit 1, with or
    # without --by (its TODO placeholder is no error of its own).
    for by in (("--by", BY), ()):
        dry = cli(
            "eval", "import", results, "--repo", example_copy, "--system", "SYS-ASSIST",
            "--as-of", AS_OF, "--dry-run", *by,
        )  # fmt: skip
        assert dry.exit_code == 1
        assert dry.stdout.startswith("kind: Evaluation\n")
        assert (
            "Dry run: evaluations/EVAL-SYS-ASSIST-2026-11-26.yaml would be refused (see below)."
            in dry.stdout
        )
        assert dry.stderr.startswith(
            "aimsctl: error: evaluations/EVAL-SYS-ASSIST-2026-11-26.yaml would make the "
            "repository invalid; the import would be refused:\n"
        )
        assert "AIMS702 Prompt-injection attacks resisted is 0.9" in dry.stderr
        assert "tracked_by column" in dry.stderr
        assert _yaml_files(example_copy) == before
    as_json = cli(
        "eval", "import", results, "--repo", example_copy, "--system", "SYS-ASSIST",
        "--as-of", AS_OF, "--dry-run", "--format", "json",
    )  # fmt: skip
    assert as_json.exit_code == 1
    refused = json.loads(as_json.stdout)["refused"]
    assert [line for line in refused if "AIMS702" in line]


def test_a_line_break_in_a_metric_name_stays_in_its_one_error_line(
    cli: Cli, example_copy: Path
) -> None:
    # A quoted cell's line break was written raw: one error read as three, the last
    # forged ("aimsctl: error: ::error file=aims.yaml::...").
    results = example_copy / "evidence" / "odd.csv"
    results.write_text('metric,value\n"acc\n::error file=x::forged",0.5\n', encoding="utf-8")
    result = _import_file(cli, example_copy, results)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"aimsctl: error: {results}:2: acc\\n::error file=x::forged ")


def test_bad_rows_are_errors_at_their_lines_with_exit_2(cli: Cli, example_copy: Path) -> None:
    results = example_copy / "evidence" / "bad.csv"
    results.write_text("metric,value\nrecall,high\nprecision,0.8\n,1\n", encoding="utf-8")
    result = _import_file(cli, example_copy, results)
    assert result.exit_code == 2
    shown = str(results)
    assert result.stderr.splitlines() == [
        f"aimsctl: error: {shown}:2: value must be a plain number, not 'high'",
        f"aimsctl: error: {shown}:4: metric is empty: name what was measured",
        f"aimsctl: error: {shown}: 2 problems; nothing was written",
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_numbers_as_spreadsheets_write_them_are_refused_saying_how_to_write_them(
    cli: Cli, example_copy: Path
) -> None:
    """A decimal comma, digit separators, a percent sign or a typographic minus: refused
    (nothing is guessed), with the plain number to write; a comma that may be either a
    decimal comma or a thousands separator gets both readings."""
    results = example_copy / "evidence" / "exported.csv"
    cells = ['"0,85"', '"1,000"', "85%", "\u22120.5", "1\u00a0000\u00a0000", '"1.000,5"', "n/a", ""]
    rows = "".join(f"m{i},{cell},,performance\n" for i, cell in enumerate(cells))
    results.write_text(f"metric,value,group,dimension\n{rows}", encoding="utf-8")
    before = _yaml_files(example_copy)
    result = _import_file(cli, example_copy, results)
    assert result.exit_code == 2
    said = [line.split(": value ", 1)[-1] for line in result.stderr.splitlines()[:-1]]
    assert said == [
        "must be a plain number, not '0,85': write decimals with a point (0.85), not a comma",
        "must be a plain number, not '1,000': its comma may separate thousands (1000) or "
        "decimals (1.000); write the number you mean that way, with no comma",
        "must be a plain number, not '85%': write it without '%', as a share (85% is 0.85) or "
        "in percent (85), the way the other values are written",
        "must be a plain number, not '\u22120.5': write its minus sign as '-' (the text has "
        "U+2212, which looks like one)",
        "must be a plain number, not '1\\xa0000\\xa0000': write it with no digit separators "
        "(1000000), decimals after a point",
        "must be a plain number, not '1.000,5': write it with no digit separators (1000.5), "
        "decimals after a point",
        "must be a plain number, not 'n/a': it marks no number; write the number, or leave "
        "the row out",
        "must be a plain number, not '': it is empty; write the number, or leave the row out",
    ]
    assert _yaml_files(example_copy) == before


def test_a_results_file_saved_with_semicolons_says_so(cli: Cli, example_copy: Path) -> None:
    results = example_copy / "evidence" / "exported.csv"
    results.write_text("metric;value;dimension\nrecall;0,91;performance\n", encoding="utf-8")
    result = _import_file(cli, example_copy, results)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"aimsctl: error: {results}:1: must start with the header row metric,value[,...], not "
        "'metric;value;dimension'; its columns are separated by ';', as a spreadsheet saves "
        "CSV where decimals are written with a comma: separate them with commas, and write "
        "decimals with a point"
    )


def test_a_whole_number_past_2_to_the_53_is_refused_not_rounded(
    cli: Cli, example_copy: Path
) -> None:
    """A metric's number is a 64-bit float: 2**53 + 1 would be recorded as 2**53."""
    results = example_copy / "evidence" / "big.json"
    metric = {"name": "Requests served", "dimension": "performance"}
    results.write_text(
        json.dumps({"metrics": [{**metric, "value": 2**53 + 1, "threshold": {"max": -(2**60)}}]}),
        encoding="utf-8",
    )
    args = ("--system", "SYS-ASSIST", "--on", "2026-11-20", "--as-of", AS_OF, "--by", BY)
    before = _yaml_files(example_copy)
    result = cli("eval", "import", results, example_copy, *args)
    assert result.exit_code == 2
    why = (
        "is beyond ±2**53 (9007199254740992): a number is held as a 64-bit float, which "
        "cannot hold every whole number that large exactly; give it in larger units"
    )
    assert result.stderr.splitlines() == [
        f"aimsctl: error: {results}:1: metrics[0].value 9007199254740993 {why}",
        f"aimsctl: error: {results}:1: metrics[0].threshold.max -1152921504606846976 {why}",
        f"aimsctl: error: {results}: 2 problems; nothing was written",
    ]
    assert _yaml_files(example_copy) == before
    rows = example_copy / "evidence" / "big.csv"
    rows.write_text(f"metric,value,dimension\nRequests,-{2**53 + 1},performance\n", "utf-8")
    result = cli("eval", "import", rows, example_copy, *args)
    assert result.exit_code == 2
    assert f"{rows}:2: value -9007199254740993 is beyond ±2**53" in result.stderr
    # Written with a point and zeros it is the same whole number, refused too (it was
    # recorded as 2**53, and an observation shown with a value the file does not hold);
    # an exponent says the number is approximate, and it is taken.
    rows.write_text("metric,value,dimension\nRequests,9007199254740993.0,performance\n", "utf-8")
    result = cli("eval", "import", rows, example_copy, *args)
    assert f"{rows}:2: value 9007199254740993 is beyond ±2**53" in result.stderr
    results.write_text(
        '{"metrics": [{"name": "Requests served", "dimension": "performance", '
        '"value": 9007199254740993.00}]}',
        encoding="utf-8",
    )
    result = cli("eval", "import", results, example_copy, *args, "--dry-run")
    assert f"{results}:1: metrics[0].value 9007199254740993 {why}" in result.stderr
    rows.write_text("metric,value,dimension\nRequests,1.5e16,performance\n", "utf-8")
    assert cli("eval", "import", rows, example_copy, *args, "--dry-run").exit_code == 0
    # 2**53 itself is exact, and written as it is.
    results.write_text(json.dumps({"metrics": [{**metric, "value": 2**53}]}), encoding="utf-8")
    result = cli("eval", "import", results, example_copy, *args)
    assert result.exit_code == 0, result.stderr
    record = _data(example_copy / WRITTEN)
    assert isinstance(record, dict) and record["metrics"][0]["value"] == 2**53


def test_a_results_file_whose_name_is_not_utf8_is_refused_in_words(
    cli: Cli, example_copy: Path, tmp_path: Path
) -> None:
    """The record names the results file: inside the repository such a name ended in
    an internal error (exit 3, pydantic's ValidationError), outside it in a YAML
    syntax error about a \\u escape in a record not yet written."""
    outside = tmp_path / os.fsdecode(b"results\xff.csv")
    try:
        shutil.copyfile(example_copy / RESULTS, outside)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    inside = example_copy / "evidence" / outside.name
    shutil.copyfile(outside, inside)
    before = _yaml_files(example_copy)
    for path, named in ((outside, outside.name), (inside, f"evidence/{outside.name}")):
        result = cli(
            "eval", "import", path, example_copy, "--system", "SYS-ASSIST", "--on", "2026-11-20",
            "--as-of", AS_OF, "--by", BY,
        )  # fmt: skip
        assert result.exit_code == 2, result.stderr
        shown = named.replace("\udcff", "\\xff")
        assert result.stderr == (
            f"aimsctl: error: the file name {shown} is not UTF-8, so the Evaluation record "
            "cannot name it; rename it using UTF-8 characters\n"
        )
    assert _yaml_files(example_copy) == before
    # A folder so named around a file that is not in the repository is not named.
    folder = tmp_path / os.fsdecode(b"run\xff")
    folder.mkdir()
    shutil.copyfile(example_copy / RESULTS, folder / "results.csv")
    result = cli(
        "eval", "import", folder / "results.csv", example_copy, "--system", "SYS-ASSIST",
        "--on", "2026-11-20", "--as-of", AS_OF, "--dry-run", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "from results.csv" in json.loads(result.stdout)["record"]["description"]


def test_bad_options(cli: Cli, example_copy: Path) -> None:
    results = example_copy / RESULTS
    base = ("eval", "import", results, example_copy, "--as-of", AS_OF)
    missing = cli(*base, "--by", BY)
    assert missing.exit_code == 2 and "--system" in missing.stderr
    bad_on = cli(*base, "--system", "SYS-ASSIST", "--on", "20 Nov", "--by", BY)
    assert bad_on.stderr == "aimsctl: error: --on '20 Nov' is not a date; write it YYYY-MM-DD\n"
    no_by = cli(*base, "--system", "SYS-ASSIST")
    assert no_by.exit_code == 2 and "--by WHO" in no_by.stderr
    bad_format = cli(*base, "--system", "SYS-ASSIST", "--by", BY, "--format", "jsn")
    assert bad_format.exit_code == 2 and "did you mean 'json'?" in bad_format.stderr
    folder = cli(
        "eval", "import", example_copy, example_copy, "--as-of", AS_OF, "--system", "SYS-ASSIST",
        "--by", BY,
    )  # fmt: skip
    assert folder.exit_code == 2
    assert folder.stderr == (
        f"aimsctl: error: {example_copy}: is a folder; give a results file ending in .csv or "
        ".json\n"
    )  # it said 'not none'
    (example_copy / "results").write_text("metric,value\nauc,0.9\n", encoding="utf-8")
    for name, problem in (("results", "has no extension"), ("aims.yaml", "ends in .yaml")):
        result = cli("eval", "import", example_copy / name, example_copy, "--as-of", AS_OF,
                     "--system", "SYS-ASSIST", "--by", BY)  # fmt: skip
        assert result.exit_code == 2
        assert result.stderr.endswith(
            f"{name}: {problem}; give a results file ending in .csv or .json\n"
        )


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        # A second file holding SYS-ASSIST makes both records invalid (AIMS105).
        ("copied", "is not valid"),
        # A tab indenting a line leaves the file unread, so SYS-ASSIST has no record.
        ("unread", "may be in systems/SYS-ASSIST.yaml, which cannot be read"),
    ],
)
def test_a_system_left_out_by_validation_is_not_called_unknown(
    cli: Cli, example_copy: Path, broken: str, why: str
) -> None:
    """The import said "--system 'SYS-ASSIST' is not an AISystem of the repository; did
    you mean 'SYS-ROSTER'?" of a system that is there, but invalid or in a file that
    cannot be read: it says which, and writes nothing."""
    systems = example_copy / "systems"
    if broken == "copied":
        shutil.copy(systems / "SYS-ASSIST.yaml", systems / "SYS-ASSIST-copy.yaml")
    else:
        with (systems / "SYS-ASSIST.yaml").open("a", encoding="utf-8") as file:
            file.write("\tstray: tab\n")
    before = _yaml_files(example_copy)
    result = _import(cli, example_copy, "--by", BY)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.endswith(
        f"aimsctl: error: --system 'SYS-ASSIST' {why}, so no evaluation of it can be "
        "recorded; fix it first (aimsctl validate shows why)\n"
    )
    assert _yaml_files(example_copy) == before


def test_evaluations_of_one_day_are_compared_in_the_order_the_rules_read_them(
    cli: Cli, example_copy: Path, tmp_path: Path
) -> None:
    """The rules read a system's evaluations of one day in id order; the import took its
    own record for the latest. A failing result imported as EVAL-AAA after a passing
    EVAL-ZZZ of the same day was written (exit 0, 'NEW FAIL') and then counted as
    superseded by EVAL-ZZZ, so no AIMS702; and a re-import of the first of two results of
    one day was compared with the second."""
    passing, failing = tmp_path / "pass.csv", tmp_path / "fail.csv"
    header = "metric,value,dimension,threshold_max\n"
    passing.write_text(header + "X,0.1,performance,0.5\n", encoding="utf-8")
    failing.write_text("metric,value\nX,0.9\n", encoding="utf-8")
    first = _import_file(cli, example_copy, passing)
    assert first.exit_code == 0, first.stderr
    before = _yaml_files(example_copy)
    refused = cli(
        "eval", "import", failing, example_copy, "--system", "SYS-ASSIST", "--as-of", AS_OF,
        "--by", BY, "--id", "EVAL-AAA",
    )  # fmt: skip
    assert refused.exit_code == 2
    assert "would count as later than EVAL-AAA" in refused.stderr
    assert _yaml_files(example_copy) == before
    # Without --id the next id of the day sorts after the first: compared with it.
    second = _import_file(cli, example_copy, failing)
    assert second.exit_code == 1, second.stdout  # a production failure nothing tracks
    assert "AIMS702" in second.stderr
    # Imported again, the first is compared with what came before it, as it was then.
    again = _import_file(cli, example_copy, passing)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[1] == first.stdout.splitlines()[1]


def test_a_looser_threshold_than_before_is_shown(
    cli: Cli, example_copy: Path, tmp_path: Path
) -> None:
    """A results file that brings its own lower bar read "same ... pass" beside the
    metric that failed it before; `diff` then found no threshold relaxed (ML audit)."""
    results = tmp_path / "results.csv"
    results.write_text(
        "metric,value,threshold_min\nAnswers fully supported by retrieved articles,0.9,0.5\n",
        encoding="utf-8",
    )
    shown = _import_file(cli, example_copy, results)
    assert shown.exit_code == 0, shown.stderr
    assert "≥ 0.5 (was ≥ 0.95)" in shown.stdout
    assert "Threshold looser than in EVAL-ASSIST-" in shown.stdout
    as_json = cli(
        "eval", "import", results, example_copy, "--system", "SYS-ASSIST", "--as-of", AS_OF,
        "--by", BY, "--dry-run", "--format", "json", "--on", "2026-11-25",
    )  # fmt: skip
    [row] = json.loads(as_json.stdout)["metrics"]
    assert (row["threshold"], row["threshold_before"]) == ("≥ 0.5", "≥ 0.95")
