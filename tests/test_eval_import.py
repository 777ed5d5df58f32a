"""`aimsctl eval import`, the core: results files read (CSV and JSON), what they leave out
taken from earlier evaluations, the record planned, checked and compared."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from aimsctl import engine, writing
from aimsctl.diagnostics import Severity
from aimsctl.errors import UsageError
from aimsctl.eval_import import MAX_BYTES, MAX_METRICS, parse_csv, parse_json, plan_import
from aimsctl.records import Evaluation
from aimsctl.repository import Repository, load_repository
from conftest import AS_OF

ON = date(2026, 11, 20)
GINI = "Gini drop, development to out-of-time"
CALIBRATION = "Largest calibration gap by decile (percentage points)"
RATIO = "Approval-rate ratio at equal score bands"
THIN = "thin-file applicants (1-3 accounts)"

# SYS-CREDIT's previous evaluation is EVAL-CREDIT-2026-03: every metric passes. The
# Gini drop now fails (newly), tracked by R-007; the PSI is dropped; one metric is new.
CREDIT_CSV = (
    "metric,value,group,tracked_by,dimension,threshold_max\n"
    f'"{GINI}",0.062,,R-007,,\n'
    f"{CALIBRATION},0.8,,,,\n"
    f"{CALIBRATION},1.2,{THIN},,,\n"
    f"{RATIO},0.9,estimated Black applicants,,,\n"
    f"{RATIO},0.93,estimated Hispanic applicants,,,\n"
    "Share of decisions overridden by underwriters,0.04,,,robustness,0.1\n"
)


def _repo(root: Path) -> Repository:
    return load_repository(root, date.fromisoformat(AS_OF))


def _write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_csv_import_inherits_thresholds_and_names_what_newly_fails(example_copy: Path) -> None:
    results = _write(example_copy, "evidence/lifecycle/credit-2026-11.csv", CREDIT_CSV)
    imported = plan_import(
        _repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml-platform@northwind.example"
    )
    assert imported.rel == "evaluations/EVAL-SYS-CREDIT-2026-11-20.yaml"
    assert imported.previous is not None and imported.previous.id == "EVAL-CREDIT-2026-03"
    record = imported.record
    assert record["stage"] == "periodic"
    assert record["performed"] == {"on": "2026-11-20", "by": "ml-platform@northwind.example"}
    assert record["model_version"] == "7.1"  # the system's version: the file gives none
    assert record["results"] == "evidence/lifecycle/credit-2026-11.csv"
    metrics = {(m["name"], m.get("group")): m for m in record["metrics"]}
    # Thresholds and dimensions from EVAL-CREDIT-2026-03, where the file gives none.
    assert metrics[(GINI, None)] == {
        "name": GINI,
        "dimension": "performance",
        "value": 0.062,
        "threshold": {"max": 0.05},
        "tracked_by": ["R-007"],
    }
    assert metrics[(RATIO, "estimated Black applicants")]["threshold"] == {"min": 0.8}
    assert metrics[(RATIO, "estimated Black applicants")]["dimension"] == "fairness"
    assert metrics[("Share of decisions overridden by underwriters", None)]["threshold"] == {
        "max": 0.1
    }
    rows = {(r.name, r.group): r for r in imported.rows}
    gini = rows[(GINI, None)]
    assert (gini.before, gini.value, gini.trend, gini.passed, gini.passed_before) == (
        0.034,
        0.062,
        "worse",
        False,
        True,
    )
    assert gini.inherited == ("dimension", "threshold")
    assert [r.label for r in imported.newly_failing] == [GINI]
    assert rows[(CALIBRATION, THIN)].trend == "better"
    assert rows[("Population stability index against development", None)].change == "dropped"
    assert rows[("Share of decisions overridden by underwriters", None)].change == "added"

    assert not imported.change.path.exists()  # planned, not written
    writing.commit(imported.change)
    written = imported.change.path.read_text(encoding="utf-8")
    assert written == imported.text
    assert "threshold: {max: 0.05}" in written
    # The written record validates, and the repository gained no finding.
    result = engine.run(_repo(example_copy))
    assert [d for d in result.diagnostics if d.severity is Severity.ERROR] == []
    assert [d for d in result.diagnostics if d.record == imported.record_id] == []
    evaluation = _repo(example_copy).entries[imported.record_id].record
    assert isinstance(evaluation, Evaluation)
    assert evaluation.passed is False


def test_json_import_takes_what_the_file_gives(example_copy: Path) -> None:
    data = {
        "model_version": "7.2",
        "data": "Out-of-time sample 2026 H1",
        "metrics": [
            {"name": GINI, "value": 0.02, "threshold": {"max": 0.04}, "note": "tighter now"},
            {
                "name": "Brier score",
                "value": 0.11,
                "dimension": "performance",
                "group": "all applicants",
            },
        ],
    }
    results = _write(example_copy, "evidence/credit.json", json.dumps(data, indent=2))
    imported = plan_import(
        _repo(example_copy),
        results,
        "SYS-CREDIT",
        on=ON,
        by="model-risk",
        stage="change",
        record_id="EVAL-CREDIT-2026-11",
    )
    record = imported.record
    assert (record["id"], record["stage"], record["model_version"]) == (
        "EVAL-CREDIT-2026-11",
        "change",
        "7.2",
    )
    assert record["data"] == "Out-of-time sample 2026 H1"
    assert record["metrics"] == [
        {
            "name": GINI,
            "dimension": "performance",
            "value": 0.02,
            "threshold": {"max": 0.04},
            "note": "tighter now",
        },
        {
            "name": "Brier score",
            "dimension": "performance",
            "value": 0.11,
            "group": "all applicants",
        },
    ]
    assert [r.change for r in imported.rows].count("dropped") == 5
    assert imported.newly_failing == []
    # --model-version wins over the file.
    again = plan_import(
        _repo(example_copy), results, "SYS-CREDIT", on=ON, by="x", model_version="8.0"
    )
    assert again.record["model_version"] == "8.0"


def test_the_same_input_gives_the_same_bytes(tmp_path: Path, example_copy: Path) -> None:
    import shutil

    other = tmp_path / "other"
    shutil.copytree(example_copy, other)
    texts = []
    for root in (example_copy, other):
        results = _write(root, "evidence/credit.csv", CREDIT_CSV)
        imported = plan_import(_repo(root), results, "SYS-CREDIT", on=ON, by="ml")
        writing.commit(imported.change)
        texts.append(imported.change.path.read_bytes())
    assert texts[0] == texts[1]
    assert b"2026-11-20" in texts[0]


def test_a_newly_failing_metric_nobody_tracks_is_refused(example_copy: Path) -> None:
    untracked = CREDIT_CSV.replace(",R-007,", ",,")
    results = _write(example_copy, "evidence/credit.csv", untracked)
    before = _files(example_copy)
    planned = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert planned.change is None  # nothing a caller could write by mistake
    message = "\n".join(planned.refused)
    assert f"AIMS702 {GINI} is 0.062, outside its threshold" in message
    assert "tracked_by column" in message
    assert _files(example_copy) == before
    # A dry run shows it anyway.
    shown = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by=None, dry_run=True)
    assert [r.name for r in shown.newly_failing] == [GINI]
    assert "by: 'TODO: who performed the evaluation'" in shown.text or (
        'by: "TODO: who performed the evaluation"' in shown.text
    )


def test_tracked_by_of_a_still_failing_metric_is_carried_over(example_copy: Path) -> None:
    results = _write(
        example_copy,
        "evidence/assist.csv",
        "metric,value,group\nAnswers fully supported by retrieved articles,0.93,"
        "Dutch-language questions\n",
    )
    imported = plan_import(_repo(example_copy), results, "SYS-ASSIST", on=ON, by="qa")
    (metric,) = imported.record["metrics"]
    assert metric["tracked_by"] == ["R-015"]
    assert metric["dimension"] == "fairness"
    (row, *dropped) = imported.rows
    assert row.inherited == ("dimension", "threshold", "tracked_by")
    assert row.trend == "worse" and row.passed is False and not row.newly_failing
    assert len(dropped) == 7


def test_a_metric_with_no_dimension_anywhere_is_named(example_copy: Path) -> None:
    results = _write(
        example_copy,
        "evidence/new.csv",
        f'metric,value\n"{GINI}",0.01\nLatency p99 (ms),250\nRecall,0.9\n',
    )
    with pytest.raises(UsageError) as error:
        plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="x", shown="new.csv")
    lines = str(error.value).splitlines()
    assert lines[0].startswith(
        "new.csv:3: Latency p99 (ms) has no dimension, and no earlier evaluation of SYS-CREDIT "
        "measured it: give one in a dimension column"
    )
    assert lines[1].startswith("new.csv:4: Recall has no dimension")
    assert lines[-1] == "new.csv: 2 problems; nothing was written"


def test_a_spreadsheets_separator_line_is_skipped_and_another_separator_refused() -> None:
    # `sep=,` above the header, as a spreadsheet may write it, was refused as the header
    # ("must start with the header row metric,value[,...], not 'sep=,'").
    rows = "metric,value,dimension\r\naccuracy,0.9,performance\r\n"
    (metric,) = parse_csv("\ufeffsep=,\r\n" + rows, "r.csv").metrics
    assert (metric.name, metric.value, metric.dimension, metric.line) == (
        "accuracy",
        0.9,
        "performance",
        3,  # the line in the file, as a spreadsheet numbers it
    )
    with pytest.raises(UsageError) as error:
        parse_csv("sep=;\r\nmetric;value\r\naccuracy;0,9\r\n", "r.csv")
    assert str(error.value).splitlines()[0] == (
        "r.csv:1: starts with 'sep=;', a spreadsheet's note that its columns are separated "
        "by ';': save it with commas between columns (its first line then says sep=, or "
        "nothing)"
    )


def test_a_group_written_in_two_unicode_forms_is_one_measurement() -> None:
    # NFC and NFD of one group read the same, so the second row measures it twice.
    text = "metric,value,group\nrecall,0.9,Vi\u1ec7t\nrecall,0.8,Vie\u0323\u0302t\n"
    with pytest.raises(UsageError, match="measured twice"):
        parse_csv(text, "r.csv")


def test_bad_csv_rows_are_all_reported_at_their_lines() -> None:
    text = (
        "\ufeffmetric,value,group,dimension,threshold_min,threshold_max\r\n"
        "accuracy,0.9,,performance,0.8,\r\n"
        "recall,abc,,performance,,\r\n"
        '"two\nline name",0.5,,fairnes,,\r\n'
        "precision,0.7,,performance,0.9,0.5\r\n"
        "short,1\r\n"
        "\r\n"
        ",0.3,,safety,,\r\n"
        "accuracy,0.91,,performance,,\r\n"
        "bad id,0.1,,safety,,\r\n"
    )
    with pytest.raises(UsageError) as error:
        parse_csv(text.replace("bad id,0.1,,safety,,", "ok,nan,,safety,,"), "r.csv")
    assert str(error.value).splitlines() == [
        "r.csv:3: value must be a plain number, not 'abc'",
        "r.csv:4: dimension 'fairnes' is not a dimension; did you mean 'fairness'?",
        "r.csv:6: threshold min 0.9 is greater than max 0.5; a value passes when min <= value "
        "<= max",
        "r.csv:7: has 2 columns where the header has 6",
        "r.csv:9: metric is empty: name what was measured",
        "r.csv:10: accuracy is measured twice (line 2): one value per metric and group",
        "r.csv:11: value must be a plain number, not 'nan': it marks no number; write the "
        "number, or leave the row out",
        "r.csv: 7 problems; nothing was written",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "r.csv: is empty: it needs a header row starting metric,value"),
        ("name,value\nx,1\n", "r.csv:1: must start with the header row metric,value[,...]"),
        ("metric,value,treshold_min\n", "r.csv:1: column 'treshold_min' is not known; did you"),
        ("metric,value\n", "r.csv: has a header row and no metrics"),
        ("metric,value,tracked_by\nx,1,R-1 ../x\n", "r.csv:2: tracked_by '../x' is not a"),
        # Read leniently, the quote would take the failing recall into a note.
        (
            'metric,value,note\nacc,0.9,"open\nrecall,0.4,\n',
            "r.csv:2: cannot be read as CSV: the file ends inside a quoted field",
        ),
    ],
)
def test_unusable_csv_files(text: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_csv(text, "r.csv")
    assert str(error.value).startswith(message)


def test_a_lone_surrogate_escape_in_json_is_refused_in_words() -> None:
    # json.loads accepts "\\ud800" alone; the record could not hold it (it was exit 3).
    for text in (
        '{"metrics": [{"name": "Recall \\ud800", "value": 1}]}',
        '{"model_version": "v\\udfff", "metrics": [{"name": "A", "value": 1}]}',
        '{"metrics": [{"name": "A", "value": 1, "tracked_by": ["R-1", "\\ud83d"]}]}',
    ):
        with pytest.raises(UsageError, match="half of a UTF-16 surrogate pair"):
            parse_json(text, "r.json")
    pair = parse_json('{"metrics": [{"name": "Recall \\ud83d\\ude00", "value": 1}]}', "r.json")
    assert pair.metrics[0].name == "Recall \U0001f600"  # a whole pair is a character


def test_more_rows_than_allowed_are_refused() -> None:
    rows = "".join(f"m{i},1,performance\n" for i in range(MAX_METRICS + 1))
    with pytest.raises(UsageError) as error:
        parse_csv("metric,value,dimension\n" + rows, "r.csv")
    assert f"r.csv:{MAX_METRICS + 2}: more than {MAX_METRICS:,} metrics" in str(error.value)


def test_bad_json_is_reported_at_its_lines() -> None:
    text = (
        "{\n"
        '  "model_version": 7,\n'
        '  "metrics": [\n'
        '    {"name": "a", "value": "0.9"},\n'
        '    {"name": "b", "value": 1, "dimension": "speed",\n'
        '     "threshold": {"min": 2, "max": 1}},\n'
        '    {"name": "c", "value": true, "treshold": {}},\n'
        "    [1]\n"
        "  ]\n"
        "}\n"
    )
    with pytest.raises(UsageError) as error:
        parse_json(text, "r.json")
    lines = str(error.value).splitlines()
    assert lines == [
        "r.json:2: model_version must be text, not a number",
        "r.json:4: metrics[0].value must be a number, not text",
        "r.json:5: metrics[1].dimension 'speed' is not a dimension; use one of performance, "
        "fairness, robustness, safety, privacy, security, explainability",
        "r.json:6: metrics[1].threshold: threshold min 2 is greater than max 1; a value "
        "passes when min <= value <= max",
        "r.json:7: metrics[2]: 'treshold' is not a known key; did you mean 'threshold'?",
        "r.json:7: metrics[2].value must be a number, not true",
        "r.json:8: metrics[3] must be an object, not a list",
        "r.json: 7 problems; nothing was written",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "r.json:1: must be a JSON object"),
        ('{"metrics": []}', "r.json:1: metrics must be a non-empty list {"),
        ('{"metrics": {"a": 1}}', "r.json:1: metrics must be a non-empty list {"),
        ('{\n  "metrics": [\n    {,]\n}', "r.json:3: is not JSON: Expecting property name"),
        ('{"metrics": [], "metrics": []}', "r.json:1: cannot be used as JSON: the key 'metrics'"),
        ('{"metrics": [{"name": "a", "value": NaN}]}', "r.json:1: cannot be used as JSON: NaN"),
        ("[" * 100_000, "r.json: cannot be used as JSON: its lists and objects nest too deeply"),
        (
            '{"metrics": [{"name": "a", "value": ' + "1" * 5000 + "}]}",
            "r.json:1: metrics[0].value is too large",  # not Python's int() limit, in its words
        ),
    ],
)
def test_bad_json_shapes(text: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_json(text, "r.json")
    assert str(error.value).startswith(message)


def test_every_value_json_allows_but_a_record_cannot_hold_is_named_at_its_line() -> None:
    # A repeated key, NaN, a number read as 0 or half a surrogate pair was reported
    # without a line, and only the first of them.
    text = (
        '{"metrics": [\n'
        '  {"name": "a", "value": NaN},\n'
        '  {"name": "b", "value": -Infinity, "name": "c"},\n'
        '  {"name": "d \\ud800", "value": 1e-400, "tracked_by": ["R-1", "\\udfff"]},\n'
        '  {"name": "e: \\"NaN\\", [1e-400]", "value": 0.5}\n'
        '],\n"metrics": []}'
    )
    with pytest.raises(UsageError) as error:
        parse_json(text, "r.json")
    half = "holds half of a UTF-16 surrogate pair (an escape such as \\ud800 without its partner)"
    assert str(error.value).splitlines() == [
        "r.json:2: cannot be used as JSON: NaN is not a number JSON allows",
        "r.json:3: cannot be used as JSON: -Infinity is not a number JSON allows",
        "r.json:3: cannot be used as JSON: the key 'name' appears twice in one object",
        f"r.json:4: cannot be used as JSON: 'name' {half}, which is no character",
        "r.json:4: cannot be used as JSON: the number 1e-400 is too close to zero to be held: "
        "it would be read as 0",
        f"r.json:4: cannot be used as JSON: 'tracked_by' {half}, which is no character",
        "r.json:7: cannot be used as JSON: the key 'metrics' appears twice in one object",
        "r.json: 7 problems; nothing was written",
    ]
    with pytest.raises(UsageError, match=r"^r\.json:1: cannot be used as JSON: a key holds half"):
        parse_json('{"a\\ud800": 1, "metrics": []}', "r.json")


def test_what_metrics_is_when_it_is_not_a_list_of_metrics() -> None:
    """The message says what the file holds: an empty list is not 'a list'."""
    for text, what in (
        ('{"metrics": []}', "an empty list"),
        ('{"metrics": {"a": 1}}', "an object"),
        ('{"metrics": null}', "null"),
        ('{"data": "x"}', "missing"),
    ):
        with pytest.raises(UsageError) as error:
            parse_json(text, "r.json")
        assert str(error.value).splitlines()[0].endswith(f"}}, ...]}}: {what}"), error.value


def test_a_file_too_large_is_refused_before_it_is_read(example_copy: Path) -> None:
    results = example_copy / "evidence" / "huge.csv"
    with results.open("wb") as handle:
        handle.write(b"metric,value\n")
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(UsageError) as error:
        plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="x", shown="huge.csv")
    assert str(error.value).startswith("huge.csv: is larger than 8 MiB")
    assert not (example_copy / "evaluations" / "EVAL-SYS-CREDIT-2026-11-20.yaml").exists()


def test_results_outside_the_repository_are_not_linked(tmp_path: Path, example_copy: Path) -> None:
    results = _write(tmp_path, "outside/credit.csv", CREDIT_CSV)
    imported = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert "results" not in imported.record
    assert imported.results is None
    assert "from credit.csv, 6 metrics" in imported.record["description"]


def test_a_taken_default_id_gets_a_suffix_and_a_taken_id_is_refused(example_copy: Path) -> None:
    results = _write(example_copy, "evidence/credit.csv", CREDIT_CSV)
    first = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert first.change is not None
    writing.commit(first.change)
    # Another evaluation the same day: the calibration gap measured again.
    results = _write(example_copy, "evidence/credit.csv", CREDIT_CSV.replace(",0.8,", ",0.9,"))
    second = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert second.record_id == "EVAL-SYS-CREDIT-2026-11-20-2"
    assert second.previous is not None and second.previous.id == first.record_id
    assert second.newly_failing == []  # it failed in the previous one too
    with pytest.raises(UsageError, match="--id 'EVAL-CREDIT-2026-03' exists already"):
        plan_import(
            _repo(example_copy),
            results,
            "SYS-CREDIT",
            on=ON,
            by="ml",
            record_id="EVAL-CREDIT-2026-03",
        )


def test_a_default_id_whose_file_holds_another_record_is_passed_over(example_copy: Path) -> None:
    # evaluations/EVAL-SYS-CREDIT-2026-11-20.yaml holds another id: its name is taken.
    held = example_copy / "evaluations" / "EVAL-SYS-CREDIT-2026-11-20.yaml"
    text = (example_copy / "evaluations" / "EVAL-CREDIT-2026-03.yaml").read_text(encoding="utf-8")
    held.write_text(text.replace("id: EVAL-CREDIT-2026-03", "id: EVAL-CREDIT-MARCH"), "utf-8")
    results = _write(example_copy, "evidence/credit.csv", CREDIT_CSV)
    imported = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert imported.record_id == "EVAL-SYS-CREDIT-2026-11-20-2"
    assert imported.rel == "evaluations/EVAL-SYS-CREDIT-2026-11-20-2.yaml"
    assert imported.change is not None
    writing.commit(imported.change)
    assert "id: EVAL-CREDIT-MARCH" in held.read_text(encoding="utf-8")


def test_ids_in_a_file_that_cannot_be_read_are_taken(example_copy: Path) -> None:
    # A draft half written (a YAML error) holds its records once it is fixed: the
    # import took its id, so fixing the draft made two records of one id (AIMS105).
    draft = example_copy / "evaluations" / "draft.yaml"
    draft.write_text("kind: Evaluation\nid: EVAL-SYS-CREDIT-2026-11-20\ntitle: [\n", "utf-8")
    results = _write(example_copy, "evidence/credit.csv", CREDIT_CSV)
    imported = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert imported.record_id == "EVAL-SYS-CREDIT-2026-11-20-2"
    with pytest.raises(UsageError, match="--id 'EVAL-SYS-CREDIT-2026-11-20' exists already"):
        plan_import(
            _repo(example_copy),
            results,
            "SYS-CREDIT",
            on=ON,
            by="ml",
            record_id="EVAL-SYS-CREDIT-2026-11-20",
        )


def test_a_folder_aims_yaml_excludes_is_refused(example_copy: Path) -> None:
    config = example_copy / "aims.yaml"
    text = config.read_text(encoding="utf-8")
    assert "exclude: [drafts/**]" in text
    config.write_text(text.replace("[drafts/**]", '[drafts/**, "evaluations/**"]'), "utf-8")
    results = _write(example_copy, "evidence/credit.csv", "metric,value,dimension\na,1,safety\n")
    before = _files(example_copy)
    for dry_run in (False, True):
        with pytest.raises(UsageError) as refused:
            plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml", dry_run=dry_run)
        assert str(refused.value).startswith(
            "evaluations/EVAL-SYS-CREDIT-2026-11-20.yaml is excluded by aims.yaml (exclude:), so "
            "an Evaluation written there would never be read; nothing was written"
        )
    assert _files(example_copy) == before


def test_importing_the_same_results_again_writes_nothing(example_copy: Path) -> None:
    results = _write(example_copy, "evidence/credit.csv", CREDIT_CSV)
    first = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="ml")
    assert first.change is not None
    writing.commit(first.change)
    before = _files(example_copy)
    # The same run again, and a day later (the results file names the evaluation).
    for on in (ON, date(2026, 11, 26)):
        again = plan_import(_repo(example_copy), results, "SYS-CREDIT", on=on, by="ml")
        assert (again.recorded, again.change, again.record_id, again.rel) == (
            True,
            None,
            first.record_id,
            first.rel,
        )
        # Compared as when it was imported, not with itself.
        assert again.on == ON
        assert again.previous is not None and again.previous.id == "EVAL-CREDIT-2026-03"
        assert again.rows == first.rows and again.text == first.text
    # What the options or the file say otherwise is refused, not recorded a second time.
    with pytest.raises(UsageError) as refused:
        plan_import(_repo(example_copy), results, "SYS-CREDIT", on=ON, by="qa", stage="change")
    assert str(refused.value) == (
        f"{results}: these results of SYS-CREDIT are recorded already, as "
        "EVAL-SYS-CREDIT-2026-11-20 (evaluations/EVAL-SYS-CREDIT-2026-11-20.yaml, performed "
        "on 2026-11-20), which differs in stage ('periodic' there, 'change' now); "
        "performed.by ('ml' there, 'qa' now); nothing was written. Edit "
        "EVAL-SYS-CREDIT-2026-11-20, or delete it and import again"
    )
    tighter = _write(
        example_copy, "evidence/credit.csv", CREDIT_CSV.replace("robustness,0.1", "robustness,0.03")
    )
    with pytest.raises(UsageError, match="differs in the threshold of Share of decisions"):
        plan_import(_repo(example_copy), tighter, "SYS-CREDIT", on=ON, by="ml")
    assert _files(example_copy) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"system": "SYS-CREDT"}, "--system 'SYS-CREDT' is not an AISystem of the repository; did"),
        ({"stage": "nightly"}, "--stage 'nightly' is not one of pre-deployment"),
        ({"on": date(2026, 11, 27)}, "--on 2026-11-27 is after the as-of date 2026-11-26"),
        ({"by": None}, "say who performed the evaluation: --by WHO"),
        ({"record_id": "not an id"}, "--id 'not an id' is not a record id"),
    ],
)
def test_bad_options(example_copy: Path, options: dict[str, object], message: str) -> None:
    results = _write(example_copy, "evidence/credit.csv", CREDIT_CSV)
    given: dict[str, object] = {"system": "SYS-CREDIT", "on": ON, "by": "ml", **options}
    system = given.pop("system")
    assert isinstance(system, str)
    with pytest.raises(UsageError) as error:
        plan_import(_repo(example_copy), results, system, **given)
    assert str(error.value).startswith(message)


def test_a_json_number_a_float_reads_as_zero_is_refused() -> None:
    # `"value": 1e-400` was imported as 0 without a word.
    with pytest.raises(UsageError) as error:
        parse_json('{"metrics": [{"name": "a", "value": 1e-400}]}', "r.json")
    assert str(error.value).startswith(
        "r.json:1: cannot be used as JSON: the number 1e-400 is too close to zero to be held"
    )


def test_a_number_a_float_reads_as_a_neighbour_is_refused() -> None:
    """A result of 0.79999999999999999 against a minimum of 0.8 was read as 0.8 and
    passed; in CSV and in JSON it is now refused, saying what it would be read as."""
    with pytest.raises(UsageError) as error:
        parse_json('{"metrics": [{"name": "a", "value": 0.100000000000000001}]}', "r.json")
    assert str(error.value).startswith(
        "r.json:1: cannot be used as JSON: the number 0.100000000000000001 has more digits "
        "than can be held: it would be read as 0.1"
    )
    with pytest.raises(UsageError) as error:
        parse_csv("metric,value\nratio,0.79999999999999999\n", "r.csv")
    assert str(error.value).startswith(
        "r.csv:2: value '0.79999999999999999' has more digits than can be held: it "
        "would be read as 0.8; write at most 15 significant digits, rounded as you mean it"
    )


def test_the_walk_for_refused_values_is_bounded() -> None:
    # A whole number of 5,000 digits beside a NaN was an internal error (Python's
    # digit limit); a file of NaNs printed a line for each.
    big = "1" * 5000
    for text in (
        f'{{"metrics": [{{"name": "a", "value": NaN}}, {{"name": "b", "value": {big}}}]}}',
        f'{{"metrics": [{{"name": "a", "value": NaN}}, {{"name": "b", "value": {big}.0}}]}}',
    ):
        with pytest.raises(UsageError, match=r"^r\.json:1: cannot be used as JSON: NaN is not"):
            parse_json(text, "r.json")
    many = '{"metrics": [\n' + ",\n".join(['{"name": "a", "value": NaN}'] * 150) + "\n]}"
    with pytest.raises(UsageError) as error:
        parse_json(many, "r.json")
    lines = str(error.value).splitlines()
    assert len(lines) == 102
    assert lines[99] == "r.json:101: cannot be used as JSON: NaN is not a number JSON allows"
    assert lines[100] == (
        "r.json:101: cannot be used as JSON: and more from here on: only the first 100 are listed"
    )


def test_one_group_in_two_unicode_forms_is_said_to_be_measured_twice_in_words() -> None:
    nfc = unicodedata.normalize("NFC", "ni\u00f1os")
    nfd = unicodedata.normalize("NFD", nfc)
    with pytest.raises(UsageError) as error:
        parse_csv(f"metric,value,group\nrate,0.1,{nfc}\nrate,0.4,{nfd}\n", "r.csv")
    assert str(error.value).startswith(
        f"r.csv:3: rate ({nfd}) is measured twice (line 2), the group's Unicode composition "
        "composed -> decomposed: one value per metric and group"
    )
