"""What JSON Schema can say, the committed schemas say, and the models agree.

Levels and day counts are whole numbers (not `3.5`, not the text `"4"`); Annex A
control ids are the catalogue's; rule codes under `rules:` and a Waiver's `rule` are
codes aimsctl has; clause references are clauses. Each case is checked against the
schemas in schemas/ with the `jsonschema` library (what check-jsonschema runs) and
against `aimsctl validate`'s own models, which must refuse at least as much.

One thing JSON Schema cannot say: its `integer` is a value, so `3.0` is an integer to
every conforming validator and editor (JSON has one number type). The models refuse
`3.0` where a whole number is asked for; validate stays the authority there.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from aimsctl import codes, yamlsafe
from aimsctl.catalog import annex_a
from aimsctl.config import parse_config
from aimsctl.engine import run
from aimsctl.errors import ConfigError
from aimsctl.repository import load_repository
from conftest import AS_OF, EXAMPLE, MINIMAL_CONFIG, PROJECT
from factory import (
    control,
    incident,
    internal_audit,
    levels,
    monitor,
    objective,
    risk,
    waiver,
    yaml_of,
)

SCHEMAS = PROJECT / "schemas"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


RECORDS = _validator("record.schema.json")
AIMS = _validator("aims.schema.json")


def _record_errors(record: dict[str, Any], tmp_path: Path) -> list[tuple[str, str]]:
    """What validate reports on a repository of this one record: (code, pointer), for
    the record schema's codes (AIMS1xx; the record's references go nowhere)."""
    root = tmp_path / "repo"
    root.mkdir(parents=True)
    (root / "aims.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (root / "r.yaml").write_text(yaml_of(record), encoding="utf-8")
    result = run(load_repository(root, date.fromisoformat(AS_OF)))
    return [
        (d.code, d.pointer or "")
        for d in result.diagnostics
        if d.path == "r.yaml" and d.code.startswith("AIMS1")
    ]


def _schema_and_model_refuse(
    record: dict[str, Any], pointer: str, tmp_path: Path
) -> list[tuple[str, str]]:
    assert not RECORDS.is_valid(json.loads(json.dumps(record))), "the schema accepts it"
    found = _record_errors(record, tmp_path)
    assert ("AIMS102", pointer) in found, found
    return found


def test_the_cases_are_valid_as_written(tmp_path: Path) -> None:
    # The records the cases below break are valid before they are broken.
    for number, record in enumerate(
        [risk(), monitor(), control("ORG-9"), control("A.6.2.4"), waiver(), internal_audit()]
    ):
        assert RECORDS.is_valid(record), record
        assert [c for c, _ in _record_errors(record, tmp_path / str(number))] == [], record


@pytest.mark.parametrize("value", [3.5, "4", " 2 ", 0, 11, True])
def test_a_level_is_a_whole_number_or_a_label(value: object, tmp_path: Path) -> None:
    record = risk(inherent=levels(value, 2))
    _schema_and_model_refuse(record, "/inherent/likelihood", tmp_path)


def test_a_level_label_is_accepted_by_both(tmp_path: Path) -> None:
    record = risk(inherent=levels("Likely", "minor"))
    assert RECORDS.is_valid(record)
    assert _record_errors(record, tmp_path) == []


def test_a_level_written_3_0_is_refused_by_validate(tmp_path: Path) -> None:
    record = risk(inherent=levels(3.0, 2))
    # JSON Schema's `integer` holds 3.0 (see the module docstring); the model does not.
    assert RECORDS.is_valid(record)
    assert ("AIMS102", "/inherent/likelihood") in _record_errors(record, tmp_path)


@pytest.mark.parametrize("value", ["4", 3.5, 0])
def test_every_days_is_a_whole_number(value: object, tmp_path: Path) -> None:
    _schema_and_model_refuse(monitor(every_days=value), "/every_days", tmp_path)


def test_every_days_3_0_is_refused_by_validate(tmp_path: Path) -> None:
    found = _record_errors(monitor(every_days=30.0), tmp_path)
    assert ("AIMS102", "/every_days") in found


def test_annex_a_control_ids_are_the_catalogues(tmp_path: Path) -> None:
    assert len(annex_a()) == 38
    for control_id in annex_a():
        assert RECORDS.is_valid(control(control_id))
    bad = control("A.6.2.99")
    assert not RECORDS.is_valid(bad)
    assert [c for c, _ in _record_errors(bad, tmp_path)] == ["AIMS106"]
    # A Risk treated by a control that is not in the catalogue: schema and validate.
    treated = risk(
        treatment={"option": "mitigate", "controls": ["A.7.9"]},
        residual=levels(1, 1),
    )
    assert not RECORDS.is_valid(treated)
    assert RECORDS.is_valid(risk(treatment={"option": "mitigate", "controls": ["ORG-1"]}))


def _without(record: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != name}


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(_without(control("ORG-9"), "title"), id="own-control-without-title"),
        pytest.param(control("ORG-9", title=None), id="own-control-title-null"),
        pytest.param(
            control("ORG-9", evidence=[{"description": "neither path nor url"}]),
            id="evidence-neither-path-nor-url",
        ),
        pytest.param(
            control("ORG-9", evidence=[{"path": "a.md", "url": "https://example.org/a"}]),
            id="evidence-both-path-and-url",
        ),
        pytest.param(monitor(threshold={}), id="threshold-empty"),
        pytest.param(monitor(threshold={"min": None, "max": None}), id="threshold-null-bounds"),
        pytest.param(objective(target="   "), id="objective-target-blank"),
        pytest.param(incident(serious_kind="death"), id="serious-kind-not-serious"),
        pytest.param(
            monitor(observations=[{"on": "2026-01-01", "value": 1}], observations_file="o.csv"),
            id="observations-in-two-places",
        ),
        pytest.param(risk("A.2.2"), id="annex-a-id-on-a-risk"),
    ],
)
def test_what_one_field_asks_of_another_both_refuse(record: Any, tmp_path: Path) -> None:
    assert not RECORDS.is_valid(json.loads(json.dumps(record))), "the schema accepts it"
    assert _record_errors(record, tmp_path), "validate accepts it"


# Every character a regex engine that reads the schemas counts as a space: ECMAScript's
# WhiteSpace and LineTerminator (an editor's `\s`), U+0085 (validate's, Rust's) and
# U+001C-U+001F (Python's `re`, the jsonschema library's).
SPACES = [
    *"\t\n\v\f\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff",
    *(chr(code) for code in range(0x2000, 0x200B)),
    "\x85",
    *(chr(code) for code in range(0x1C, 0x20)),
]


@pytest.mark.parametrize("space", SPACES, ids=lambda space: f"U+{ord(space):04X}")
def test_text_of_a_space_alone_is_refused_by_both(space: str, tmp_path: Path) -> None:
    """`\\S` was the pattern of required text, and each engine reads it with its own
    spaces: a title of U+FEFF passed validate while an editor flagged it, one of U+0085
    the reverse, one of U+001C validate and editors passed while check-jsonschema's
    Python engine refused it."""
    for number, record in enumerate(
        [risk(title=space), risk(title=f"{space}x{space}"), objective(target=space)]
    ):
        accepted = number == 1
        assert RECORDS.is_valid(json.loads(json.dumps(record))) is accepted, record
        found = _record_errors(record, tmp_path / str(number))
        assert (found == []) is accepted, found
    accepted, problem = _aims(MINIMAL_CONFIG.replace("Test Org", json.dumps(space)))
    assert not accepted
    assert problem is not None and "organization must" in problem


@pytest.mark.parametrize("rule", ["AIMS999", "AIMS5O3", "aims503", 503])
def test_a_waiver_of_an_unknown_rule_is_an_error(rule: object, tmp_path: Path) -> None:
    _schema_and_model_refuse(waiver(rule=rule), "/rule", tmp_path)


def test_the_waiver_message_names_the_command_and_a_near_code(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "aims.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (root / "w.yaml").write_text(yaml_of(waiver(rule="AIMS5033")), encoding="utf-8")
    result = run(load_repository(root, date.fromisoformat(AS_OF)))
    # One error, and no AIMS507 "matches no finding" warning as there used to be.
    [diagnostic] = [d for d in result.diagnostics if d.path == "w.yaml"]
    assert diagnostic.severity.value == "error"
    assert diagnostic.message == (
        "rule must be the code of a rule aimsctl has (`aimsctl rules` lists them), "
        "not 'AIMS5033'; did you mean 'AIMS503'?"
    )
    assert (diagnostic.line, diagnostic.column) == (4, 7)


def test_every_known_rule_code_can_be_waived_but_those_that_may_not_be_silenced() -> None:
    # The schema and validate agree: a waiver may not silence a record left out, nor
    # a key given twice.
    for code in sorted(codes.ALL):
        allowed = code not in codes.UNSILENCEABLE
        assert RECORDS.is_valid(waiver(rule=code)) is allowed, code


def test_clause_references_are_clauses_or_annex_a_ids() -> None:
    def audit(reference: str) -> dict[str, Any]:
        finding = {"id": "F1", "type": "observation", "reference": reference, "description": "d"}
        return internal_audit(findings=[finding])

    assert RECORDS.is_valid(audit("9.2"))
    assert RECORDS.is_valid(audit("A.6.2.4"))
    assert not RECORDS.is_valid(audit("11.1"))
    assert not RECORDS.is_valid(audit("A.6.2.99"))


def _aims(text: str) -> tuple[bool, str | None]:
    """(the schema accepts it, validate's error or None)."""
    data = yamlsafe.parse(text).documents[0].data
    try:
        parse_config(text.encode())
    except ConfigError as error:
        return AIMS.is_valid(data), str(error)
    return AIMS.is_valid(data), None


@pytest.mark.parametrize(
    "extra",
    [
        "rules:\n  AIMS999: off\n",
        "rules:\n  aims503: off\n",
        "cadence:\n  internal_audit_days: '30'\n",
        "cadence:\n  internal_audit_days: 30.5\n",
        "risk:\n  vulnerable_uplift: '1'\n",
        "risk:\n  bands:\n    - {name: low, max: 4.5}\n    - {name: high, max: 25}\n",
        "risk:\n  severity_floor:\n    - {severity: '5', min_band: high}\n",
        # above the longest scale there is (10 levels), whatever aims.yaml's scale
        "risk:\n  severity_floor:\n    - {severity: 11, min_band: high}\n",
        "governance:\n  high: {review_days: '90'}\n",
        "risk:\n  likelihood: [Only]\n",
        "risk:\n  severity: [A, B, C, D, E, F, G, H, I, J, K]\n",
        "risk:\n  likelihood: ['1', '2', '3']\n",
        "risk:\n  likelihood: [Rare, '1 2', Possible, Likely, Almost certain]\n",
        "risk:\n  likelihood: [Rare, Rare, Likely]\n",
        "risk:\n  severity: [Minor, Major, Major]\n",
        "risk:\n  bands: []\n",
        "risk:\n  matrix: []\n",
        "risk:\n  method: multiply\n  matrix: [[low, low], [low, high]]\n",
        "risk:\n  method: matrix\n",
        "risk:\n  method: matrix\n  matrix: null\n",
        "risk:\n  appetite: '   '\n",
    ],
)
def test_aims_yaml_refuses_what_validate_refuses(extra: str) -> None:
    accepted, problem = _aims(MINIMAL_CONFIG + extra)
    assert not accepted
    assert problem is not None


def test_aims_yaml_a_code_that_leaves_a_record_out_may_only_be_an_error() -> None:
    # The schema and validate agree, as for waivers: such a finding cannot be silenced.
    for code in sorted(codes.ALL):
        for setting in ("error", "warning", "off"):
            accepted, problem = _aims(MINIMAL_CONFIG + f"rules:\n  {code}: {setting}\n")
            allowed = setting == "error" or code not in codes.UNSILENCEABLE
            assert (accepted, problem is None) == (allowed, allowed), (code, setting)


@pytest.mark.parametrize(
    "name",
    [
        "unassessed",
        "Unassessed",
        "UNASSESSED",
        "una\u00dfe\u00dfed",
        "una\u017f\u017fe\u017f\u017fed",
    ],
)
def test_aims_yaml_a_band_named_unassessed_is_refused_by_both(name: str) -> None:
    text = (
        MINIMAL_CONFIG + f"risk:\n  bands: [{{name: low, max: 4}}, {{name: {name}, max: 25}}]\n"
        "  appetite: low\ngovernance:\n  low: {review_days: 365}\n"
    )
    accepted, problem = _aims(text)
    assert not accepted
    assert problem is not None and "the tier of a system with no open risk" in problem
    assert _aims(text.replace(name, "unassessed-x")) == (True, None)


@pytest.mark.parametrize(
    ("folder", "valid"),
    [
        ("report-templates", True),
        ("docs/report-templates/", True),
        ("./report-templates", True),
        ("a/./b", True),
        ("'   '", False),
        ("/etc", False),
        ("../outside", False),
        ("md/..", False),
        ("'.'", False),
        ("./", False),
        (".git/hooks", False),
        ("report-templates/.old", False),
        ("'a\\b'", False),
    ],
)
def test_aims_yaml_templates_is_a_visible_folder_below_the_root_for_both(
    folder: str, valid: bool
) -> None:
    # report refused these as it started (exit 2) while validate and the schema passed them
    accepted, problem = _aims(MINIMAL_CONFIG + f"templates: {folder}\n")
    assert (accepted, problem is None) == (valid, valid), problem


def test_aims_yaml_an_empty_exclude_pattern_is_refused_by_both() -> None:
    # '' matches no path: both passed it, so a slip in exclude: went unseen
    accepted, problem = _aims(MINIMAL_CONFIG + "exclude: ['drafts/**', '']\n")
    assert not accepted
    assert problem is not None and problem.endswith("entry 2 of exclude must not be empty")
    assert _aims(MINIMAL_CONFIG + "exclude: ['drafts/**', ' ']\n") == (True, None)


@pytest.mark.parametrize(
    ("pattern", "meant"),
    [("/drafts/**", "drafts/**"), ("./drafts/**", "drafts/**"), ("/", None), ("./", None)],
)
def test_aims_yaml_an_exclude_pattern_from_outside_the_root_is_refused_by_both(
    pattern: str, meant: str | None
) -> None:
    # Paths are matched as written from the root: such a pattern matched no file, so
    # the drafts it was meant to leave out were read as records
    accepted, problem = _aims(MINIMAL_CONFIG + f"exclude: [drafts/**, '{pattern}']\n")
    assert not accepted
    assert problem is not None and "entry 2 of exclude must be written from the root" in problem
    assert problem.endswith(f"; write {meant!r}" if meant else "matches no file")
    for fine in ("drafts", ".drafts/**", "**/drafts", "."):
        assert _aims(MINIMAL_CONFIG + f"exclude: ['{fine}']\n") == (True, None), fine


def test_aims_yaml_whole_numbers_written_with_a_point_are_refused_by_validate() -> None:
    accepted, problem = _aims(MINIMAL_CONFIG + "cadence:\n  internal_audit_days: 30.0\n")
    assert accepted  # JSON Schema's integer holds 30.0
    assert problem is not None and "whole number" in problem


def test_aims_yaml_known_rule_codes_and_labels_are_accepted() -> None:
    text = (
        MINIMAL_CONFIG + "rules:\n  AIMS503: off\n  AIMS204: warning\n"
        "risk:\n  severity_floor:\n    - {severity: Severe, min_band: high}\n"
    )
    assert _aims(text) == (True, None)


def test_aims_yaml_a_matrix_with_method_matrix_is_accepted_by_both() -> None:
    text = (
        MINIMAL_CONFIG + "risk:\n  likelihood: [Low, High]\n  severity: [Low, High]\n"
        "  method: matrix\n  matrix: [[low, medium], [medium, high]]\n"
        "  bands: [{name: low, max: 1}, {name: medium, max: 2}, {name: high, max: 4}]\n"
        "  appetite: medium\n"
        "governance:\n  low: {review_days: 365}\n  medium: {review_days: 180}\n"
        "  high: {review_days: 90}\n"
    )
    assert _aims(text) == (True, None)
    assert _aims(MINIMAL_CONFIG + "risk:\n  method: multiply\n  matrix: null\n") == (True, None)


def test_the_whole_example_satisfies_the_committed_schemas() -> None:
    config = yamlsafe.parse((EXAMPLE / "aims.yaml").read_text(encoding="utf-8"))
    assert list(AIMS.iter_errors(config.documents[0].data)) == []
    checked = 0
    for path in sorted(EXAMPLE.rglob("*.yaml")):
        rel = path.relative_to(EXAMPLE).as_posix()
        if rel == "aims.yaml" or rel.startswith("drafts/"):
            continue
        for document in yamlsafe.parse(path.read_text(encoding="utf-8")).documents:
            errors = [e.message for e in RECORDS.iter_errors(document.data)]
            assert errors == [], f"{rel}#{document.index}: {errors[0]}"
            checked += 1
    assert checked > 100
