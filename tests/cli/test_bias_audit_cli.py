"""`aimsctl bias-audit` end to end: the bundled sample and its published summary, the
formats read back by their consumers, the Evaluation record, exit codes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from aimsctl.records.evaluation import Evaluation
from aimsctl.yamlsafe import parse
from conftest import AS_OF, EXAMPLE, PROJECT, CliResult

Cli = Callable[..., CliResult]

FOLDER = EXAMPLE / "evidence" / "bias-audit"
SAMPLE = "evidence/bias-audit/hire-2026-q3-applicants.csv"
SUMMARY = FOLDER / "hire-2026-q3-summary.md"
GENERATOR = PROJECT / "benchmarks" / "bias_audit_data.py"
SCORING = ["--score", "score", "--category", "sex", "--category", "race_ethnicity"]


@pytest.fixture
def in_example(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the example's root, as the published summary was made."""
    monkeypatch.chdir(EXAMPLE)
    return EXAMPLE


def test_the_published_summary_is_what_the_command_prints(cli: Cli, in_example: Path) -> None:
    result = cli("bias-audit", SAMPLE, *SCORING, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SUMMARY.read_text(encoding="utf-8"), (
        "regenerate it: cd examples/northwind && aimsctl bias-audit "
        f"{SAMPLE} {' '.join(SCORING)} --format md > {SUMMARY.relative_to(EXAMPLE)}"
    )


def test_the_sample_is_what_its_generator_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bias_audit_data", GENERATOR)
    assert spec is not None and spec.loader is not None
    bias_audit_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bias_audit_data)
    written = bias_audit_data.write_applicants(tmp_path / "s.csv", bias_audit_data.SAMPLE_ROWS)
    assert written.read_bytes() == (EXAMPLE / SAMPLE).read_bytes()


def test_the_sample_has_unknowns_an_excluded_category_and_flagged_ratios(
    cli: Cli, in_example: Path
) -> None:
    data = json.loads(cli("bias-audit", SAMPLE, *SCORING, "--format", "json").stdout)
    assert data["rows"] == 3_000 and data["mode"] == "scoring"
    assert all(count > 0 for count in data["unknown"].values())
    excluded = {g["category"] for g in data["groups"] if g["excluded"]}
    assert "Native Hawaiian or Other Pacific Islander" in excluded
    assert any(g["below_threshold"] for g in data["groups"])


def test_table_is_plain_text_with_one_block_per_dimension(cli: Cli, in_example: Path) -> None:
    result = cli("bias-audit", SAMPLE, "--outcome", "advanced", "--category", "sex")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"Bias audit of {SAMPLE}", "Rows:         3,000"]
    assert "sex: 2,851 classified, 149 unknown" in lines
    header = next(line for line in lines if line.startswith("CATEGORY"))
    words = "CATEGORY COUNT SHARE SELECTED SELECTION RATE IMPACT RATIO NOTE"
    assert header.split() == words.split()
    assert "four-fifths rule of thumb" in result.stdout
    assert "sets no ratio that passes or fails" in result.stdout
    assert "\x1b" not in result.stdout


def test_json_is_the_binding_shape(cli: Cli, in_example: Path) -> None:
    data = json.loads(cli("bias-audit", SAMPLE, *SCORING, "-f", "json").stdout)
    assert [key for key in data if key in ("version", "rows", "unknown", "mode", "groups")] == [
        "version",
        "mode",
        "rows",
        "unknown",
        "groups",
    ]
    assert data["version"] == 1
    assert set(data["unknown"]) == {"sex", "race_ethnicity", "sex x race_ethnicity"}
    dimensions = {g["dimension"] for g in data["groups"]}
    assert dimensions == {"sex", "race_ethnicity", "sex x race_ethnicity"}
    for group in data["groups"]:
        assert {
            "dimension",
            "category",
            "count",
            "selected",
            "rate",
            "impact_ratio",
            "excluded",
        } <= (set(group))
        if group["dimension"] == "sex x race_ethnicity":
            assert re.fullmatch(r"(Female|Male) x [A-Z].*", group["category"])
        assert (group["impact_ratio"] is None) == group["excluded"]
    assert isinstance(data["median"], float)
    assert "record" not in data


def test_every_format_gives_the_same_bytes_twice(cli: Cli, in_example: Path) -> None:
    for form in ("table", "json", "md"):
        first = cli("bias-audit", SAMPLE, *SCORING, "-f", form).stdout
        assert cli("bias-audit", SAMPLE, *SCORING, "-f", form).stdout == first


HOSTILE = (
    'sex,ok\n"<img src=x onerror=alert(1)>",1\n"a|b",0\n"@org/team",1\n'
    '"[link](http://x.example)",1\n"line\nbreak",0\n"\u202eevil",1\n'
)


def test_markdown_shows_hostile_category_values_as_text(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "hostile.csv"
    data.write_text(HOSTILE, encoding="utf-8", newline="")
    result = cli("bias-audit", data, "--outcome", "ok", "--category", "sex", "-f", "md")
    assert result.exit_code == 0, result.stderr
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "<img" not in html and "<a " not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<td>a|b</td>" in html
    assert "\u202e" not in result.stdout
    table = cli("bias-audit", data, "--outcome", "ok", "--category", "sex").stdout
    assert "line\\nbreak" in table and "\\u202eevil" in table


def test_no_ratio_is_not_put_down_to_no_one_selected_when_an_excluded_category_was(
    cli: Cli, tmp_path: Path
) -> None:
    # A and B: none of 60 selected; C, 1 of 121 rows, excluded: selected. The note of A
    # and B said "no category selected", beside C's 1 selected.
    data = tmp_path / "d.csv"
    data.write_text("g,ok\n" + "A,0\n" * 60 + "B,0\n" * 60 + "C,1\n", encoding="utf-8")
    for form in ("table", "md"):
        result = cli("bias-audit", data, "--outcome", "ok", "--category", "g", "-f", form)
        assert result.exit_code == 0, result.stderr
        assert "no category selected" not in result.stdout
        assert result.stdout.count("none selected outside the excluded: no ratio") == 2
    data.write_text("g,ok\n" + "A,0\n" * 60 + "B,0\n" * 60, encoding="utf-8")
    result = cli("bias-audit", data, "--outcome", "ok", "--category", "g")
    assert result.stdout.count("no category selected: no ratio") == 2


def test_no_ratio_in_scoring_mode_is_put_in_scoring_words(cli: Cli, tmp_path: Path) -> None:
    # Every score equal: no one above the median. The note said "no category selected"
    # under the column "ABOVE MEDIAN", and the refused record asked for data in which
    # "some are selected", though scoring mode has no selection.
    data = tmp_path / "d.csv"
    data.write_text("g,s\n" + "A,1\n" * 5 + "B,1\n" * 5, encoding="utf-8")
    for form in ("table", "md"):
        result = cli("bias-audit", data, "--score", "s", "--category", "g", "-f", form)
        assert result.exit_code == 0, result.stderr
        assert "selected" not in result.stdout.lower()
        assert result.stdout.count("no category above median: no ratio") == 2
    refused = cli(
        "bias-audit", data, "--score", "s", "--category", "g", "--record", "SYS-A",
        "--record-out", "-",
    )  # fmt: skip
    assert refused.exit_code == 2
    message = " ".join(refused.stderr.split())
    assert "selected" not in message
    assert "or no category has a score above the median," in message
    assert "reach --min-share and some score above the median" in message


def test_no_ratio_at_all_is_not_reported_as_none_under_the_threshold(
    cli: Cli, tmp_path: Path
) -> None:
    # No one selected: not one ratio, and the table and summary said "No impact ratio is
    # under 0.8.", as for an audit that compared every category and found none under it.
    data = tmp_path / "d.csv"
    data.write_text("g,ok\n" + "A,0\n" * 5 + "B,0\n" * 5, encoding="utf-8")
    for form in ("table", "md"):
        result = cli("bias-audit", data, "--outcome", "ok", "--category", "g", "-f", form)
        assert result.exit_code == 0, result.stderr
        assert "No impact ratio is under" not in result.stdout
        assert "No category has an impact ratio (none selected, or every one excluded)" in (
            result.stdout
        )


# One category alone with a ratio: its ratio is 1 by definition. Every row A; A beside a
# B under --min-share; a category column empty in every row.
UNCOMPARED = {
    "alone": ("g,ok\n" + "A,1\n" * 7 + "A,0\n" * 23, ["g"]),
    "excluded": ("g,ok\n" + "A,1\n" * 7 + "A,0\n" * 92 + "B,1\n", ["g"]),
    "unknown": ("g,h,ok\n" + "A,,1\n" * 5 + "B,,0\n" * 5 + "B,,1\n" * 5, ["g", "h"]),
}


@pytest.mark.parametrize("case", sorted(UNCOMPARED))
def test_a_dimension_that_compares_nothing_is_said_so_and_never_recorded(
    cli: Cli, tmp_path: Path, case: str
) -> None:
    text, columns = UNCOMPARED[case]
    column = columns[-1]  # the one that compares nothing
    data = tmp_path / "d.csv"
    data.write_text(text, encoding="utf-8")
    audit = ["bias-audit", data, "--outcome", "ok", *(f"--category={c}" for c in columns)]
    for form in ("table", "md"):
        result = cli(*audit, "-f", form)
        assert result.exit_code == 0, result.stderr
        assert f"No impact ratio is under 0.8.{chr(10)}" not in result.stdout
        shown = " ".join(result.stdout.split())
        assert f"Nothing compared in {column}: " in shown
        assert f"Nothing was compared in {column}" in shown
    result = cli(*audit, "-f", "json")
    dimension = json.loads(result.stdout)["dimensions"][len(columns) - 1]
    assert (dimension["dimension"], dimension["nothing_compared"]) == (column, True)
    assert dimension["compared"] < 2
    out = tmp_path / "rec.yaml"
    result = cli(
        *audit, "--record", "SYS-HIRE", "--record-out", out, "--by", "me", "--as-of", AS_OF
    )
    assert result.exit_code == 2
    assert f"no Evaluation record is made: nothing was compared in {column} (" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()
    result = cli(*audit, "--record", "SYS-HIRE", "--record-out", "-", "--by", "me")
    assert (result.exit_code, result.stdout) == (2, "")


def test_one_dimension_that_compares_nothing_is_named_beside_the_others(
    cli: Cli, tmp_path: Path
) -> None:
    data = tmp_path / "d.csv"
    data.write_text("g,h,ok\n" + "A,X,1\n" * 4 + "A,Y,1\n" * 2 + "A,Y,0\n" * 2, "utf-8")
    result = cli("bias-audit", data, "--outcome", "ok", "--category", "g", "--category", "h")
    lines = " ".join(result.stdout.split())
    assert "Nothing compared in g: only one category has an impact ratio." in lines
    assert "Nothing compared in h:" not in lines
    assert "Nothing was compared in g: fewer than two categories" in lines
    result = cli(
        "bias-audit", data, "--outcome", "ok", "--category", "g", "--category", "h",
        "--record", "SYS-HIRE", "--record-out", "-",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "nothing was compared in g (one category with an impact ratio)" in result.stderr


@pytest.mark.parametrize(
    ("rows", "options", "said", "unsaid"),
    [
        # One category with a ratio: its 1 would read as a pass. The only --category
        # cannot be left out (a run needs one): no such advice.
        (
            "g,ok\n" + "A,1\n" * 3 + "A,0\n" * 3,
            ["--category", "g"],
            ["g (one category with an impact ratio)", "that ratio is 1 by definition"],
            ["where none has", "leave --category"],
        ),
        # No category with a ratio, in a column and in the intersection no --category names.
        (
            "sex,race,ok\n" + "".join(f"{s},{r},{i % 2}\n" for s in "FM" for r in "ABCD"
                                      for i in range(4)),
            ["--category", "sex", "--category", "race", "--min-share", "0.3"],
            ["race (no category with an impact ratio); sex x race (no category",
             "where none has, the record would name a dimension it measured nowhere",
             "a lower --min-share, or leave --category race out",
             "For sex x race, the intersection of the columns sex, race:",
             "a lower --min-share, or fewer --category columns; nothing was written"],
            ["1 by definition", "only category", "--category sex x race", "here one"],
        ),
        # A column empty in every row has no category: --min-share is not the cause.
        (
            "sex,g,ok\n" + "F,,1\nM,,0\n" * 3,
            ["--category", "sex", "--category", "g"],
            ["g (no category with an impact ratio)", "leave --category g out",
             "a column empty in every row has no category"],
            ["1 by definition", "a lower --min-share", "here one"],
        ),
    ],
)  # fmt: skip
def test_a_record_refused_for_comparing_nothing_says_why_for_each_case(
    cli: Cli, tmp_path: Path, rows: str, options: list[str], said: list[str], unsaid: list[str]
) -> None:
    # When no category had a ratio it still said "here one category alone" and "the
    # only category's ratio, 1 by definition", and advised leaving out a --category
    # that an intersection is not.
    data = tmp_path / "d.csv"
    data.write_text(rows, encoding="utf-8")
    result = cli(
        "bias-audit", data, "--outcome", "ok", *options, "--record", "SYS-HIRE",
        "--record-out", "-",
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (2, "")
    message = " ".join(result.stderr.split())
    assert [text for text in said if text not in message] == []
    assert [text for text in unsaid if text in message] == []


# --- the Evaluation record ------------------------------------------------------------


@pytest.mark.parametrize("format", ["table", "md"])
def test_a_threshold_or_min_share_of_many_decimals_is_shown_as_given_not_rounded(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format: str
) -> None:
    # A's ratio is exactly 0.8, under 0.8000001: it showed as "0.8000, under 0.8". B's
    # share is exactly 7%, under 7.00001%: it showed as "7.00%, excluded: under 7%".
    rows = ["A,1"] * 32 + ["A,0"] * 8 + ["B,0"] * 7 + ["C,1"] * 53
    (tmp_path / "data.csv").write_text("g,ok\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli(
        "bias-audit", "data.csv", "--outcome", "ok", "--category", "g", "--format", format,
        "--threshold", "0.8000001", "--min-share", "0.0700001",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    cells = [
        [cell.strip() for cell in re.split(r"  +|\|", line) if cell.strip()]
        for line in result.stdout.splitlines()
    ]
    by_category = {row[0]: row for row in cells if row and row[0] in ("A", "B")}
    # count, share, selected, rate, ratio, note
    assert by_category["A"][1:] == [
        "40", "40.00000%", "32", "0.8000", "0.8000000", "under 0.8000001"
    ]  # fmt: skip
    assert by_category["B"][1:3] == ["7", "7.00000%"]
    assert by_category["B"][-1].startswith("excluded: under 7.00001%")
    assert "under 0.8 " not in result.stdout and "under 7%" not in result.stdout
    reading = "An impact ratio under 0.8000001, the limit this audit was given, is flagged"
    assert reading in result.stdout.replace("\n", " ")


def test_a_limit_a_float_would_change_is_refused_and_a_zero_ratio_is_shown_in_digits(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `--threshold 0.80000000000000001` became 0.8, the four-fifths rule, so a ratio of
    # exactly 0.8 was not flagged under the limit given; a ratio of 0 cut to seven
    # places showed as 0E-7.
    rows = ["A,1"] * 5 + ["B,1"] * 4 + ["B,0"] + ["C,0"] * 5
    (tmp_path / "data.csv").write_text("g,ok\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    options = ("bias-audit", "data.csv", "--outcome", "ok", "--category", "g", "--threshold")
    refused = cli(*options, "0.80000000000000001")
    assert refused.exit_code == 2
    assert (
        "--threshold '0.80000000000000001' has more digits than can be held: it would be "
        "read as 0.8; write at most 15 significant digits, rounded as you mean it"
    ) in refused.stderr
    shown = cli(*options, "0.8000001")
    assert shown.exit_code == 0, shown.stderr
    [c_row] = [line for line in shown.stdout.splitlines() if line.lstrip().startswith("C ")]
    assert "0.0000000" in c_row and "E-" not in shown.stdout


def test_the_median_is_shown_as_held_never_rounded(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The median 0.12345678906 showed as 0.1234567891 (ten significant digits), "a score
    # equal to it is not above it", yet the row scoring 0.1234567891 counted above it.
    scores = ["0.1", "0.12345678906", "0.1234567891", "0.1", "0.2"]
    rows = [f"{'FM'[i % 2]},{score}" for i, score in enumerate(scores)]
    (tmp_path / "data.csv").write_text("g,s\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    options = ("bias-audit", "data.csv", "--score", "s", "--category", "g")
    data = json.loads(cli(*options, "--format", "json").stdout)
    assert data["median"] == 0.12345678906 and data["selected"] == 2
    for format in ("table", "md"):
        shown = cli(*options, "--format", format).stdout
        assert "0.12345678906" in shown and "0.1234567891 " not in shown, format
    record = cli(*options, "--record", "SYS-A", "--as-of", AS_OF, "--record-out", "-").stdout
    assert "sample median 0.12345678906)" in " ".join(record.split())


@pytest.mark.parametrize("format", ["table", "md"])
def test_a_threshold_of_its_own_is_not_called_the_four_fifths_rule(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format: str
) -> None:
    # `--threshold 0.5` said "Flagged: impact ratio under 0.5 (the four-fifths rule of
    # thumb)", and the Evaluation record "The minimum of 0.5 is the EEOC four-fifths rule".
    rows = ["A,1"] * 3 + ["A,0"] * 7 + ["B,1"] * 8 + ["B,0"] * 2
    (tmp_path / "data.csv").write_text("g,ok\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    own = cli(
        "bias-audit", "data.csv", "--outcome", "ok", "--category", "g", "--format", format,
        "--threshold", "0.5",
    )  # fmt: skip
    assert own.exit_code == 0, own.stderr
    text = " ".join(own.stdout.split())
    assert "under 0.5 suggests adverse impact under the four-fifths" not in text
    assert "flags one under 0.8" in text
    default = cli("bias-audit", "data.csv", "--outcome", "ok", "--category", "g", "-f", format)
    assert "under 0.8 suggests adverse impact under the four-fifths" in " ".join(
        default.stdout.split()
    )


def test_record_out_writes_an_evaluation_that_validates(cli: Cli, tmp_path: Path) -> None:
    repo = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, repo)
    out = repo / "evaluations" / "EVAL-HIRE-Q3.yaml"
    result = cli(
        "bias-audit",
        repo / SAMPLE,
        *SCORING,
        "--record",
        "SYS-HIRE",
        "--record-out",
        out,
        "--by",
        "hr-analytics-lead@northwind.example",
        "--as-of",
        "2026-10-05",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    assert result.stdout.startswith("Bias audit of ")
    text = out.read_text(encoding="utf-8")
    parsed = parse(text)
    assert parsed.problems == [] and len(parsed.documents) == 1
    record = parsed.documents[0].data
    evaluation = Evaluation.model_validate(record)
    assert (evaluation.id, evaluation.system, evaluation.stage) == (
        "EVAL-SYS-HIRE-2026-10-05",
        "SYS-HIRE",
        "periodic",
    )
    assert str(evaluation.performed.on) == "2026-10-05"
    assert evaluation.performed.by == "hr-analytics-lead@northwind.example"
    audit = json.loads(cli("bias-audit", repo / SAMPLE, *SCORING, "-f", "json").stdout)
    with_ratio = [g for g in audit["groups"] if g["impact_ratio"] is not None]
    assert len(evaluation.metrics) == len(with_ratio)
    for metric, group in zip(evaluation.metrics, with_ratio, strict=True):
        assert metric.dimension == "fairness"
        assert metric.value == group["impact_ratio"]  # the YAML keeps every digit
        assert metric.threshold is not None and metric.threshold.min == 0.8
        assert metric.group == f"{group['dimension']}: {group['category']}"
    assert evaluation.passed is False  # two intersections are under 0.8
    assert "Native Hawaiian or Other Pacific Islander (12, 5 above the median)" in (
        evaluation.description or ""
    )
    # The repository loads it as any other record: no error about its shape.
    check = cli("validate", repo, "--as-of", AS_OF, "--format", "json", "--no-cache")
    found = json.loads(check.stdout)["diagnostics"]
    assert [f for f in found if "EVAL-HIRE-Q3" in f["path"] and f["code"] < "AIMS200"] == []


def test_without_by_the_record_carries_a_placeholder(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "eval.yaml"
    result = cli(
        "bias-audit",
        EXAMPLE / SAMPLE,
        *SCORING,
        "--record",
        "SYS-HIRE",
        "--record-out",
        out,
        "--as-of",
        AS_OF,
    )
    assert result.exit_code == 0, result.stderr
    assert "  by: 'TODO: who audited'" in out.read_text() or '  by: "TODO: who audited"' in (
        out.read_text()
    )


def test_by_is_trimmed_and_may_not_be_blank(cli: Cli, tmp_path: Path) -> None:
    # --by "   " made a record performed by "   ", which validate passed as a bias audit
    # and the NYC obligation took as met; a name pasted with a no-break space after it
    # stopped the run with "formatting would change a value (please report this)".
    args = ("bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--as-of", AS_OF)
    blank = cli(*args, "--record-out", tmp_path / "blank.yaml", "--by", "   ")
    assert blank.exit_code == 2 and "--by is blank" in blank.stderr
    assert list(tmp_path.iterdir()) == []
    out = tmp_path / "eval.yaml"
    pasted = cli(*args, "--record-out", out, "--by", "Jane Auditor\u00a0")
    assert pasted.exit_code == 0, pasted.stderr
    assert parse(out.read_text()).documents[0].data["performed"]["by"] == "Jane Auditor"


def test_json_carries_the_record(cli: Cli, in_example: Path) -> None:
    result = cli(
        "bias-audit", SAMPLE, *SCORING, "-f", "json", "--record", "SYS-HIRE", "--as-of", AS_OF
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)["record"]
    assert record["kind"] == "Evaluation" and record["performed"]["on"] == AS_OF
    record["performed"]["on"] = AS_OF  # a date in YAML; text in JSON
    Evaluation.model_validate(record)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--record", "SYS-HIRE"], "--record SYSTEM needs --record-out FILE"),
        (["--record-out", "x.yaml"], "--record-out and --by go with --record SYSTEM"),
        (["--by", "me"], "--record-out and --by go with --record SYSTEM"),
        (["--record", "bad id!", "-f", "json"], "is not an AISystem id"),
        (["--format", "jsn"], "--format 'jsn' is not one of table, json, md; did you mean 'json'?"),
        (["--as-of", "2026-13-01", "--record", "S", "-f", "json"], "--as-of '2026-13-01'"),
        # A percentage where a fraction belongs: as typed, and how to write it.
        (
            ["--threshold", "80"],
            "--threshold must be above 0 and at most 1, not 80; it is an impact ratio, a "
            "fraction of one: 80% is 0.8\n",
        ),
        (
            ["--min-share", "2.5"],
            "--min-share must be at least 0 and below 1, not 2.5; it is a share of the rows, "
            "a fraction of one: 2.5% is 0.025\n",
        ),
        (["--threshold", "1e9"], "--threshold must be above 0 and at most 1, not 1000000000\n"),
        # Never rounded to the limit it is refused against.
        (["--threshold", "1.0000001"], "at most 1, not 1.0000001\n"),
    ],
)
def test_bad_options_exit_2(cli: Cli, in_example: Path, extra: list[str], message: str) -> None:
    result = cli("bias-audit", SAMPLE, *SCORING, *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_an_existing_record_file_is_never_overwritten(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "eval.yaml"
    out.write_text("mine\n")
    result = cli(
        "bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--record-out", out
    )
    assert result.exit_code == 2 and "exists; a record is never overwritten" in result.stderr
    assert out.read_text() == "mine\n"


def test_a_record_out_that_is_a_broken_symbolic_link_is_refused_as_one(
    cli: Cli, tmp_path: Path
) -> None:
    # It said "rec3.yaml: No such file or directory", of a name that is there.
    out = tmp_path / "rec3.yaml"
    out.symlink_to(tmp_path / "nowhere" / "rec.yaml")
    result = cli(
        "bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--record-out", out
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: {out} is a symbolic link to nothing that exists; nothing was "
        "written (give --record-out a name that does not exist yet)\n"
    )
    assert out.is_symlink() and not (tmp_path / "nowhere").exists()


def test_a_record_out_that_is_a_symbolic_link_loop_is_refused_as_one(
    cli: Cli, tmp_path: Path
) -> None:
    # A loop was called a link "to nothing that exists", and the comment said the write
    # would say why: exists() is False on a loop, so this refusal is the one given.
    out = tmp_path / "loop"
    out.symlink_to(out)
    result = cli(
        "bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--record-out", out
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"aimsctl: error: {out} is a symbolic link that leads nowhere (round in a loop); "
        "nothing was written (give --record-out a name that does not exist yet)\n"
    )
    assert out.is_symlink()


def test_a_record_out_through_a_symbolic_link_to_a_folder_is_written(
    cli: Cli, tmp_path: Path
) -> None:
    # The refusal of a broken link said records are written "only through real folders
    # and files"; a folder reached through a link is written into, as here.
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    out = tmp_path / "linked" / "rec.yaml"
    result = cli(
        "bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--record-out", out,
        "--by", "auditor@audit.example",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "real" / "rec.yaml").read_text(encoding="utf-8").startswith("kind: ")


def test_a_folder_as_record_out_is_refused_by_its_option(cli: Cli, tmp_path: Path) -> None:
    # The refusal named --output, an option bias-audit does not have.
    result = cli(
        "bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--record-out", tmp_path
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert f"cannot write {tmp_path}: it is a folder; give --record-out a file name" in (
        result.stderr
    )


def test_record_out_dash_is_standard_output_not_a_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As report's --out -: the record went to a new file named '-' in the current folder.
    monkeypatch.chdir(tmp_path)
    args = ("bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--as-of", AS_OF)
    result = cli(*args, "--record-out", "-")
    assert result.exit_code == 0, result.stderr
    assert list(tmp_path.iterdir()) == [] and result.stderr == ""
    record, audit = result.stdout.split("\nBias audit of ", 1)
    assert parse(record).documents[0].data["id"] == f"EVAL-SYS-HIRE-{AS_OF}"
    assert audit.startswith(str(EXAMPLE / SAMPLE))


def test_the_record_file_is_named_as_printable_text(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "eval\x1b[2J\n.yaml"
    result = cli(
        "bias-audit", EXAMPLE / SAMPLE, *SCORING, "--record", "SYS-HIRE", "--record-out", out
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {tmp_path}/eval\\x1b[2J\\n.yaml\n"
    assert out.is_file()


def test_a_data_file_whose_name_is_not_utf8_is_shown_escaped(cli: Cli, tmp_path: Path) -> None:
    """Its bad bytes went out as they were: JSON and Markdown that were not UTF-8,
    and an internal error (exit 3) where standard output refuses them; a record
    was refused by the schema's words ('unable to parse raw data')."""
    try:
        data = tmp_path / os.fsdecode(b"data\xff.csv")
        shutil.copyfile(EXAMPLE / SAMPLE, data)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    for name in ("json", "md", "table"):
        result = cli("bias-audit", data, *SCORING, "--format", name)
        assert result.exit_code == 0, (name, result.stderr)
        result.stdout.encode("utf-8")
        if name != "json":  # JSON writes the backslash as \\\\, checked below
            assert "data\\xff.csv" in result.stdout, name
    printed = cli("bias-audit", data, *SCORING, "--format", "json")
    assert json.loads(printed.stdout)["data"] == f"{tmp_path}/data\\xff.csv"
    refused = cli("bias-audit", data, *SCORING, "--format", "json", "--record", "SYS-HIRE")
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"aimsctl: error: the file name {tmp_path}/data\\xff.csv is not UTF-8, so the "
        "Evaluation record's data cannot name it; rename it using UTF-8 characters\n"
    )


def test_dimensions_that_read_alike_stop_the_run(cli: Cli, tmp_path: Path) -> None:
    # The column 'sex x race' and the intersection of sex and race had one name: two
    # dimensions 'sex x race' in JSON, two metrics of one name and group in the record.
    data = tmp_path / "data.csv"
    data.write_text("sex x race,sex,race,ok\nF x A,F,A,1\nM x B,M,B,0\n")
    out = tmp_path / "eval.yaml"
    columns = ["--category", "sex x race", "--category", "sex", "--category", "race"]
    result = cli(
        "bias-audit", data, "--outcome", "ok", *columns, "--record", "SYS-HIRE",
        "--record-out", out, "--as-of", AS_OF,
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "aimsctl: error: two dimensions read alike as 'sex x race': the columns "
        "('sex x race',) and ('sex', 'race'); rename a column that holds ' x '\n"
    )
    assert not out.exists()


# --- bad data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sex,ok\nF,1\nM,yes\n", "data.csv:3: ok is 'yes'; an outcome is 1 or 0, true or false"),
        (b"sex,ok\nF,1\nM,1\xff\n", "data.csv:3: is not UTF-8 text"),
        (b"sex,ok\nF,1\x00\n", "data.csv:2: holds a NUL byte"),
        (b"sex,okay\nF,1\n", "data.csv:1: no column 'ok'"),
        (b"sex,ok\n", "data.csv: has a header but no data rows"),
        (b'sex,ok\n"' + b"x" * 140_000 + b'",1\n', "data.csv:2: a field is longer than"),
    ],
)
def test_bad_data_exits_2_with_the_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, message: str
) -> None:
    (tmp_path / "data.csv").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = cli("bias-audit", "data.csv", "--outcome", "ok", "--category", "sex")
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: {result.stderr.removeprefix('aimsctl: error: ')}"
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    "score",
    [
        "9007199254740993",
        " +9007199254740994 ",
        "-9007199254740993",
        # Written with a point or an exponent: 9007199254740993.0 was read as 2**53, and
        # tied with it at the median.
        "9007199254740993.0",
        "9.007199254740993e15",
        "1e16",
    ],
)
def test_a_whole_score_beyond_2_53_is_refused_not_rounded(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, score: str
) -> None:
    # As a float 9007199254740993 is 9007199254740992, the median here: the one person
    # above it would tie with it and count as not above. Refused, as eval import and a
    # record refuse such a number.
    (tmp_path / "data.csv").write_text(
        f"sex,s\nM,{score}\nF,9007199254740992\nF,9007199254740992\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = cli("bias-audit", "data.csv", "--score", "s", "--category", "sex")
    assert result.exit_code == 2, result.stdout
    assert "data.csv:2: s: " in result.stderr and "is beyond ±2**53" in result.stderr
    assert result.stdout == ""
    # At 2**53, however it is written, it is read.
    for fine in ("9007199254740992", "-9007199254740992", "9.007199254740992e15", "1e15"):
        (tmp_path / "data.csv").write_text(f"sex,s\nM,{fine}\nF,1\n", encoding="utf-8")
        assert cli("bias-audit", "data.csv", "--score", "s", "--category", "sex").exit_code == 0


def test_a_score_with_a_decimal_comma_is_refused_saying_how_to_write_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data.csv").write_text('sex,s\nM,0.5\nF,"0,75"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("bias-audit", "data.csv", "--score", "s", "--category", "sex")
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: data.csv:3: s is '0,75', not a number: write decimals with a point "
        "(0.75), not a comma\n"
    )


def test_a_semicolon_separated_file_gets_the_advice_before_any_row_is_read(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a European spreadsheet saves CSV: row 2's decimal comma gave it 2 fields, and
    # "x.csv:2: has 2 fields, the header has 1" was all the run said.
    (tmp_path / "x.csv").write_text("sex;score\nA;0,5\nB;0,7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("bias-audit", "x.csv", "--score", "score", "--category", "sex")
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: x.csv:1: the header 'sex;score' is one column; its columns are "
        "separated by ';', as a spreadsheet saves CSV where decimals are written with a "
        "comma: separate them with commas, and write decimals with a point\n"
    )


def test_a_missing_file_or_a_folder_exits_2(cli: Cli, tmp_path: Path) -> None:
    missing = cli("bias-audit", tmp_path / "none.csv", "--outcome", "ok", "--category", "s")
    assert missing.exit_code == 2 and "No such file" in missing.stderr
    folder = cli("bias-audit", tmp_path, "--outcome", "ok", "--category", "s")
    assert folder.exit_code == 2 and "is not a file" in folder.stderr


def test_help_names_every_option(cli: Cli) -> None:
    result = cli("bias-audit", "--help")
    assert result.exit_code == 0
    for option in (
        "--outcome",
        "--score",
        "--category",
        "--min-share",
        "--threshold",
        "--format",
        "--record",
        "--record-out",
        "--by",
        "--as-of",
    ):
        assert option in result.stdout


def test_a_spreadsheets_separator_line_is_read_as_such(cli: Cli, tmp_path: Path) -> None:
    # A CSV file for a spreadsheet may start with `sep=,`, with a byte-order mark and
    # CRLF line ends. The line was once taken for the header (two columns, 'sep=' and
    # ''), and the file refused as "data.csv:2: has 4 fields, the header has 2".
    plain = (EXAMPLE / SAMPLE).read_bytes()
    (tmp_path / "plain.csv").write_bytes(plain)
    (tmp_path / "excel.csv").write_bytes(b"\xef\xbb\xbfsep=,\r\n" + plain.replace(b"\n", b"\r\n"))
    (tmp_path / "semicolons.csv").write_bytes(b"sep=;\r\nsex;advanced\r\nFemale;1\r\n")
    options = ["--outcome", "advanced", "--category", "sex", "--format", "json"]
    read = [
        json.loads(cli("bias-audit", tmp_path / n, *options).stdout)
        for n in ("plain.csv", "excel.csv")
    ]
    assert read[0].pop("data").endswith("plain.csv") and read[1].pop("data").endswith("excel.csv")
    assert read[0] == read[1] and read[0]["rows"] > 0
    refused = cli("bias-audit", tmp_path / "semicolons.csv", *options)
    assert refused.exit_code == 2
    assert refused.stderr.endswith(
        "semicolons.csv:1: starts with 'sep=;', a spreadsheet's note that its columns are "
        "separated by ';': save it with commas between columns (its first line then says "
        "sep=, or nothing)\n"
    )
