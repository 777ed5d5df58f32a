"""The JSON Schemas: the command writes them, they accept the example's records, they are strict.

That the committed schemas/ equal the generated ones (the same files, the same
text) is checked with every generated file by tests/test_docs.py
(scripts/regenerate.py --check).
"""

from __future__ import annotations

import copy
import fnmatch
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from aimsctl import yamlsafe
from aimsctl.records import KINDS
from aimsctl.schemas import generate
from conftest import EXAMPLE, PROJECT, CliResult, run_with_reader_gone, write_files

SCHEMAS = PROJECT / "schemas"


def test_schema_command_writes_every_file(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("schema", "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(generate())
    # -o, as every --out and --output takes it (the README says so of them all)
    result = cli("schema", "-o", tmp_path / "short")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "short").iterdir()) == sorted(generate())


def test_schema_command_shows_the_paths_it_wrote_escaped(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """A control character in --out's name is shown as an escape, as report and export
    show theirs: it was printed as it was and reached the terminal."""
    result = cli("schema", "--out", tmp_path / "out\x1b[2J\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{tmp_path}/out\\x1b[2J\\n/{name}" for name in generate()
    ]


def test_schema_command_writes_nothing_when_a_schema_s_place_is_a_folder(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    # waiver.schema.json comes last of the kinds: the thirteen before it were written.
    out = tmp_path / "out"
    (out / "waiver.schema.json").mkdir(parents=True)
    result = cli("schema", "--out", out)
    assert result.exit_code == 2
    assert "it is a folder, not a file; nothing was written" in result.stderr
    assert [p.name for p in out.iterdir()] == ["waiver.schema.json"]


def test_schema_command_writes_every_file_when_nobody_reads_what_it_prints(
    tmp_path: Path,
) -> None:
    """`aimsctl schema --out DIR | head -1`: the run ends (141) once the reader has
    gone, and it printed each path after writing its file, so it stopped after the
    first schemas and left a partial set; every file is written before any is named."""
    out = tmp_path / "out"
    assert run_with_reader_gone("schema", "--out", str(out)) == (141, b"")
    assert sorted(p.name for p in out.iterdir()) == sorted(generate())


def _records() -> list[tuple[str, dict[str, object]]]:
    found = []
    for path in sorted(EXAMPLE.rglob("*.yaml")):
        rel = path.relative_to(EXAMPLE).as_posix()
        if rel == "aims.yaml" or rel.startswith("drafts/"):
            continue
        for document in yamlsafe.parse(path.read_text(encoding="utf-8")).documents:
            found.append((f"{rel}#{document.index}", document.data))
    return found


def test_example_records_satisfy_their_kind_schema() -> None:
    records = _records()
    assert records
    combined = jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / "record.schema.json").read_text())
    )
    generated = generate()
    for where, data in records:
        schema = json.loads(generated[f"{str(data['kind']).lower()}.schema.json"])
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert errors == [], f"{where}: {errors[0].message}"
        assert list(combined.iter_errors(data)) == [], where


def test_schema_rejects_unknown_fields() -> None:
    schema = json.loads(generate()["risk.schema.json"])
    bad = {
        "kind": "Risk",
        "id": "R-1",
        "title": "t",
        "owner": "o",
        "description": "d",
        "systems": ["S"],
        "inherent": {"likelihood": 1, "severity": 2},
        "status": "open",
        "stauts": "open",
    }
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)


# How yaml-language-server (VS Code's YAML extension) checks the `date` format: this
# pattern alone, so a month of 31 days everywhere and a 29 February every year.
EDITOR_DATE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
EDITOR_FORMATS = jsonschema.FormatChecker(formats=())
EDITOR_FORMATS.checks("date")(
    lambda value: not isinstance(value, str) or bool(EDITOR_DATE.match(value))
)
NO_SUCH_DAYS = ("2026-02-30", "2026-04-31", "2027-02-29", "1900-02-29", "0000-01-01")
REAL_DAYS = ("2028-02-29", "2000-02-29", "0001-01-01", "9999-12-31")


def _date_fields(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Where a record holds a date (YYYY-MM-DD) written as one."""
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _date_fields(value, (*path, key))]
    if isinstance(node, list):
        return [found for i, value in enumerate(node) for found in _date_fields(value, (*path, i))]
    return [path] if isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node) else []


def _with(record: dict[str, object], path: tuple[str | int, ...], value: str) -> dict[str, object]:
    changed = copy.deepcopy(record)
    node: Any = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_day_the_calendar_lacks_is_flagged_by_the_editor_as_validate_refuses_it(
    kind: str, tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """The editor's `date` check is a pattern (yaml-language-server: any month of 31
    days, 29 February every year), so `due: 2026-02-30` or an `expires: 2027-02-29`
    stayed unflagged while validate refuses it (AIMS102). Every date field of every
    kind, as the example writes them, is checked: an impossible day (or the year 0000)
    is refused by both, a real one (a leap day among them) accepted by both."""
    combined = jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / "record.schema.json").read_text()), format_checker=EDITOR_FORMATS
    )
    records = [data for _, data in _records() if data["kind"] == kind]
    if not any(_date_fields(record) for record in records):
        # The example dates no Role: its last review is the date every kind may have.
        records = [{**records[0], "reviewed": {"on": "2026-01-05", "by": "auditor@example.org"}}]
    cases = {
        (where, day): _with(record, where, day)
        for record in records
        for where in _date_fields(record)
        for day in (*NO_SUCH_DAYS, *REAL_DAYS)
    }
    assert cases, f"the example writes no date on a {kind}"
    root = tmp_path / "repo"
    files = {f"case-{number}.yaml": json.dumps(case) for number, case in enumerate(cases.values())}
    write_files(root, {"aims.yaml": (EXAMPLE / "aims.yaml").read_text(encoding="utf-8"), **files})
    report = json.loads(cli("validate", root, "--as-of", "2026-11-26", "--format", "json").stdout)
    # The day itself refused, where it is written: a real day may still come out of
    # order with another (an incident detected before it occurred), which no schema says.
    refused = {
        (d["path"], d["pointer"])
        for d in report["diagnostics"]
        if d["code"] == "AIMS102" and "real calendar date" in d["message"]
    }
    for (where, day), name in zip(cases, files, strict=True):
        wrong = day in NO_SUCH_DAYS
        pointer = "".join(f"/{step}" for step in where)
        assert ((name, pointer) in refused) is wrong, (kind, where, day, "validate")
        assert combined.is_valid(cases[where, day]) is not wrong, (kind, where, day, "editor")
    # The editor shows what a day must be, not the pattern's regex.
    messages = re.findall(
        r'"format": "date",\s*"pattern": "[^"]*",\s*"patternErrorMessage": "Not a day',
        (SCHEMAS / "record.schema.json").read_text(),
    )
    assert len(messages) == (SCHEMAS / "record.schema.json").read_text().count('"format": "date"')
    config = jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / "aims.schema.json").read_text()), format_checker=EDITOR_FORMATS
    )
    aims = yamlsafe.parse((EXAMPLE / "aims.yaml").read_text(encoding="utf-8")).documents[0].data
    assert isinstance(aims, dict) and config.is_valid(aims)
    for day in NO_SUCH_DAYS:
        assert not config.is_valid({**aims, "established": day}), day


def test_combined_schema_is_self_contained_and_strict() -> None:
    text = (SCHEMAS / "record.schema.json").read_text()
    assert '"$ref": "#/' in text
    assert '.schema.json"' not in text.replace('record.schema.json"', "")
    combined = jsonschema.Draft202012Validator(json.loads(text))
    assert not combined.is_valid({"kind": "AISystem", "id": "S-1", "title": "t"})
    assert not combined.is_valid({"kind": "Nope"})


def test_the_readme_s_editor_mapping_names_every_kind_s_folder_with_both_extensions() -> None:
    """Records are read from `.yml` files too, but the VS Code mapping named only
    `*.yaml`: a record in `risks/R-9.yml` got no completion or inline errors."""
    from aimsctl.records import KINDS

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    block = readme.split('```json\n{\n  "yaml.schemas"', 1)[1].split("\n```", 1)[0]
    mapping = json.loads('{"yaml.schemas"' + block)["yaml.schemas"]
    assert mapping["./schemas/aims.schema.json"] == "aims.yaml"
    patterns = mapping["./schemas/record.schema.json"]
    folders = {model.FOLDER for model in KINDS.values()}
    assert sorted(patterns) == sorted(f"{f}/*.{ext}" for f in folders for ext in ("yaml", "yml"))
    # Every record file of the example is matched, as the YAML language server
    # matches a pattern: `*` stands for any characters, at the end of the path.
    example_files = [
        p.relative_to(EXAMPLE).as_posix()
        for p in EXAMPLE.rglob("*.yaml")
        if p.name != "aims.yaml" and not p.relative_to(EXAMPLE).as_posix().startswith("drafts/")
    ]
    assert example_files
    for rel in example_files:
        assert any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns), rel


def test_schema_refuses_to_run_without_docstrings(tmp_path: Path) -> None:
    """Under `python -OO` the schemas came out without each kind's description (its
    model's docstring), unlike those the project ships: same input, other bytes
    (environment audit). They are refused instead, with what to do."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    ran = subprocess.run(
        [sys.executable, "-OO", "-m", "aimsctl", "schema", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr == (
        "aimsctl: error: the schemas describe each kind with its model's docstring, which "
        "Python run with -OO (PYTHONOPTIMIZE=2) leaves out; run aimsctl schema without it\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_date_with_a_trailing_line_break_is_no_date_to_a_python_validator() -> None:
    """Python's `$` matches before a final line break too, so the jsonschema package
    (check-jsonschema, a CI's schema check) took `"2026-01-01\\n"` for a day, while an
    editor (JavaScript's `$`) and validate (AIMS102) refuse it."""
    from aimsctl.schemas import CALENDAR_DATE

    assert re.search(CALENDAR_DATE, "2026-01-01") and not re.search(CALENDAR_DATE, "2026-01-01\n")
    config = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "aims.schema.json").read_text()))
    aims = yamlsafe.parse((EXAMPLE / "aims.yaml").read_text(encoding="utf-8")).documents[0].data
    assert isinstance(aims, dict)
    assert config.is_valid({**aims, "established": "2026-01-01"})
    assert not config.is_valid({**aims, "established": "2026-01-01\n"})
