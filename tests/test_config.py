"""aims.yaml: defaults, finding the repository, and every way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsctl.config import parse_config
from aimsctl.config.governance import UNLISTED_BAND_POLICY
from aimsctl.errors import ConfigError
from aimsctl.loader import find_root


def test_defaults_follow_the_contract() -> None:
    config = parse_config(b"version: 1\norganization: Acme\n")
    assert config.risk.likelihood == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert config.risk.severity == ["Negligible", "Minor", "Moderate", "Major", "Severe"]
    assert config.risk.method == "multiply"
    assert [(b.name, b.max) for b in config.risk.bands] == [
        ("low", 4),
        ("medium", 9),
        ("high", 16),
        ("critical", 25),
    ]
    assert config.risk.appetite == "medium"
    assert config.risk.vulnerable_uplift == 0
    assert config.policy("critical").min_oversight == "human-in-the-loop"
    assert config.policy("high").impact_assessment is True
    assert config.policy("medium").review_days == 365
    assert config.policy("low").review_days == 730
    assert config.rules == {}
    assert config.exclude == []


def test_custom_scale_and_matrix() -> None:
    config = parse_config(
        b"version: 1\norganization: Acme\nrisk:\n  likelihood: [Low, High]\n"
        b"  severity: [Minor, Major, Grave]\n  method: matrix\n"
        b"  matrix: [[low, low, high], [low, high, high]]\n"
        b"  bands: [{name: low, max: 2}, {name: high, max: 6}]\n  appetite: low\n"
        b"governance:\n  high: {review_days: 30, impact_assessment: true}\n"
    )
    assert config.risk.matrix == [["low", "low", "high"], ["low", "high", "high"]]
    assert config.policy("low").impact_assessment is False  # unlisted band: no demands


def test_error_names_file_line_and_column() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(b"version: 1\norganization: Acme\nrisk:\n  vulnerable_uplift: -1\n")
    assert str(caught.value).startswith("aims.yaml:4:22: ")


def test_config_with_bad_bytes() -> None:
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        parse_config(b"version: 1\norganization: \xff\n")


def test_find_root_walks_up(tmp_path: Path) -> None:
    (tmp_path / "aims.yaml").write_text("version: 1\norganization: A\n")
    deep = tmp_path / "risks" / "sub"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()


def test_find_root_without_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no aims\.yaml found"):
        find_root(tmp_path)


def test_every_problem_of_aims_yaml_is_reported_at_once() -> None:
    text = b"version: 1\norganisation: Acme\nrisk:\n  method: sum\n  appetite: medium\n"
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert str(raised.value).splitlines() == [
        "aims.yaml:1:1: missing required field 'organization'",
        "aims.yaml:2:1: unknown field 'organisation'; did you mean 'organization'?",
        "aims.yaml:4:11: risk.method is 'sum'; it must be one of: multiply or matrix",
    ]


def test_a_nested_value_is_named_by_its_path_and_a_label_gets_a_hint() -> None:
    from datetime import date

    from aimsctl.loader import FileTree
    from aimsctl.repository import load_repository

    files = {
        "aims.yaml": b"version: 1\norganization: T\n",
        "r.yaml": b"kind: Risk\nid: R-1\ntitle: t\nowner: o\ndescription: d\nsystems: [S]\n"
        b"inherent: {likelihood: Likley, severity: 2}\nstatus: open\n"
        b"acceptance: {by: a, on: 2026-02-30, rationale: r, expires: 2027-01-01}\n",
    }
    repo = load_repository(Path("/t"), date(2026, 11, 26), source=FileTree(files))
    messages = sorted(d.message for d in repo.diagnostics)
    assert messages[0].startswith("acceptance.on must be a real calendar date")
    assert messages[1].startswith("inherent.likelihood must be a level from 1 to 5")
    assert messages[1].endswith("not 'Likley'; did you mean 'Likely'?")


# --- documents: document control of the reports ---------------------------------------

DOCUMENTS = b"""version: 1
organization: Acme
documents:
  soa:
    id: ACME-AIMS-004
    version: "2.1"
    owner: compliance@acme.example
    approval: {by: ceo@acme.example, on: 2026-10-15}
    next_review: 2027-10-15
  risks: {id: ACME-AIMS-006}
"""


def test_documents_hold_the_document_control_of_named_reports() -> None:
    from datetime import date

    config = parse_config(DOCUMENTS)
    soa = config.documents["soa"]
    assert (soa.id, soa.version, soa.owner) == ("ACME-AIMS-004", "2.1", "compliance@acme.example")
    assert soa.approval is not None
    assert (soa.approval.by, soa.approval.on) == ("ceo@acme.example", date(2026, 10, 15))
    assert soa.next_review == date(2027, 10, 15)
    risks = config.documents["risks"]  # everything but the id is optional
    assert (risks.version, risks.owner, risks.approval, risks.next_review) == (None,) * 4
    assert parse_config(b"version: 1\norganization: Acme\n").documents == {}


def test_an_unknown_report_under_documents_is_an_error_at_its_line_with_the_rest() -> None:
    text = DOCUMENTS.replace(b"  risks:", b"  register:") + b"risk: {method: sum}\n"
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert str(raised.value).splitlines() == [
        "aims.yaml:10:3: documents.register must be the name of a report "
        "(soa, inventory, risks, impact, systems, monitoring, management, readiness), "
        "not 'register'",
        "aims.yaml:11:16: risk.method is 'sum'; it must be one of: multiply or matrix",
    ]


def test_a_misspelt_report_name_gets_a_hint_at_the_key() -> None:
    text = b"version: 1\norganization: Acme\ndocuments:\n  sao:\n    id: ACME-AIMS-004\n"
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    message = str(raised.value)
    assert message.startswith("aims.yaml:4:3: documents.sao must be the name of a report")
    assert message.endswith("not 'sao'; did you mean 'soa'?")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (b"{version: '1'}", "aims.yaml:4:3: missing required field 'id'"),
        (
            b"{id: D-1, version: 2.10}",
            "aims.yaml:4:27: documents.soa.version must be text, not 2.1; put quotes around it "
            "to keep it as written (unquoted, YAML reads a version 3.10 as the number 3.1)",
        ),
        (
            b"{id: D-1, author: me}",
            "aims.yaml:4:18: unknown field 'author'; allowed fields: approval, id, next_review, "
            "owner, version",
        ),
        (b"{id: D-1, ownr: me}", "aims.yaml:4:18: unknown field 'ownr'; did you mean 'owner'?"),
        (b"{id: ''}", "aims.yaml:4:13: documents.soa.id must not be empty"),
        (
            b"{id: D-1, next_review: soon}",
            "aims.yaml:4:31: documents.soa.next_review must be a date written YYYY-MM-DD, "
            "not 'soon'",
        ),
        (
            b"{id: D-1, approval: {by: ceo, on: 2026-02-30}}",
            "aims.yaml:4:42: documents.soa.approval.on must be a real calendar date, and "
            "2026-02-30 does not exist",
        ),
        (b"{id: D-1, approval: {by: ceo}}", "aims.yaml:4:18: missing required field 'on'"),
        (b"[D-1]", "aims.yaml:4:8: documents.soa must be a mapping of fields, not a list"),
    ],
)
def test_a_document_entry_is_strict(entry: bytes, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(b"version: 1\norganization: Acme\ndocuments:\n  soa: " + entry + b"\n")
    assert str(raised.value) == expected


def test_a_misspelt_field_of_a_tier_gets_a_hint_as_a_misspelt_setting_does() -> None:
    # governance: is keyed by band name: the field is the tier's, not the band's name.
    # `high` takes the review_days it leaves out from its defaults; a tier of another
    # name has none to take.
    text = b"version: 1\norganization: Acme\ngovernance:\n  high: {review_day: 90}\n"
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert str(raised.value).splitlines() == [
        "aims.yaml:4:10: unknown field 'review_day'; did you mean 'review_days'?",
    ]
    bands = b"risk:\n  bands: [{name: minor, max: 9}, {name: major, max: 25}]\n  appetite: minor\n"
    with pytest.raises(ConfigError) as raised:
        parse_config(text.replace(b"high", b"major").replace(b"governance", bands + b"governance"))
    assert str(raised.value).splitlines() == [
        "aims.yaml:7:3: missing required field 'review_days'",
        "aims.yaml:7:11: unknown field 'review_day'; did you mean 'review_days'?",
    ]


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("aims204", "; did you mean 'AIMS204'?"),
        ("AIMS2O4", "; did you mean 'AIMS204'?"),
        ("placeholder", "; 'placeholder' is the name of rule AIMS107: write its code"),
        ("AIMS9999", ""),
    ],
)
def test_a_rule_written_other_than_by_its_code_names_the_code_meant(key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(f"version: 1\norganization: Acme\nrules:\n  {key}: off\n".encode())
    assert str(raised.value) == (
        f"aims.yaml:4:{len(key) + 5}: rules: unknown rule code {key!r}; `aimsctl rules` lists "
        f"them{hint}"
    )


def test_a_band_governance_does_not_name_asks_what_the_band_below_it_asks() -> None:
    # `extreme` above `critical`: never less than critical asks. `low`, left out, keeps
    # its defaults.
    config = parse_config(
        b"version: 1\norganization: Acme\nrisk:\n  bands:\n    - {name: low, max: 4}\n"
        b"    - {name: high, max: 16}\n    - {name: critical, max: 20}\n"
        b"    - {name: extreme, max: 25}\n  appetite: low\ngovernance:\n"
        b"  high: {review_days: 180, impact_assessment: true}\n"
        b"  critical: {review_days: 90, impact_assessment: true, monitoring: true}\n"
    )
    assert config.policy("extreme") == config.governance["critical"]
    assert config.policy("critical") == config.governance["critical"]
    low = config.policy("low")
    assert (low.review_days, low.impact_assessment, low.monitoring) == (730, False, False)
    assert config.policy("unassessed") == UNLISTED_BAND_POLICY


def test_a_named_tier_takes_the_keys_it_leaves_out_from_its_defaults() -> None:
    # records.md writes governance: with the keys of contract version 1 only; records-v2
    # gives each tier's evaluation_days and monitoring defaults all the same.
    written = parse_config(
        b"version: 1\norganization: Acme\ngovernance:\n"
        b"  critical: {review_days: 90, impact_assessment: true,"
        b" min_oversight: human-in-the-loop}\n"
        b"  high: {review_days: 180, impact_assessment: true, min_oversight: human-on-the-loop}\n"
        b"  medium: {review_days: 365, impact_assessment: false, min_oversight: periodic-review}\n"
        b"  low: {review_days: 730, impact_assessment: false, min_oversight: none}\n"
    )
    defaults = parse_config(b"version: 1\norganization: Acme\n")
    for tier in ("critical", "high", "medium", "low"):
        assert written.policy(tier) == defaults.policy(tier)
    high = parse_config(
        b"version: 1\norganization: Acme\ngovernance:\n  high: {review_days: 90}\n"
    ).policy("high")
    assert high == defaults.policy("high").model_copy(update={"review_days": 90})
    # What is written stands, asking less than the default included.
    lax = parse_config(
        b"version: 1\norganization: Acme\ngovernance:\n"
        b"  high: {review_days: 180, monitoring: false, evaluation_days: null}\n"
    ).policy("high")
    assert (lax.monitoring, lax.evaluation_days, lax.impact_assessment) == (False, None, True)


def test_a_named_tier_left_out_asks_its_defaults_and_what_the_band_below_asks() -> None:
    # Only medium written, stricter than high's defaults in places: high (left out) asks,
    # key by key, the more of the two; critical the more of its defaults and high's.
    config = parse_config(
        b"version: 1\norganization: Acme\ngovernance:\n  medium: {review_days: 30, "
        b"impact_assessment: true, min_oversight: human-in-the-loop, evaluation_days: 500}\n"
    )
    high = config.policy("high")
    assert (
        high.review_days,
        high.impact_assessment,
        high.min_oversight,
        high.evaluation_days,
        high.monitoring,
    ) == (30, True, "human-in-the-loop", 365, True)
    critical = config.policy("critical")
    assert (critical.review_days, critical.evaluation_days) == (30, 180)
    low = config.policy("low")
    assert (low.review_days, low.min_oversight) == (730, "none")


def test_with_no_governance_a_band_ranked_above_another_never_asks_less() -> None:
    """Bands named in another order (`high` below `medium`) and no `governance:` at all:
    each tier took its default as if written, so `medium`, the riskier, asked less
    than `high` below it (no impact assessment, no monitor), and no rule said so
    (AIMS409 judges what is written). A default now asks at least what the band below
    asks, as it does when `governance:` leaves the tier out."""
    config = parse_config(
        b"version: 1\norganization: Acme\nrisk:\n  bands:\n    - {name: low, max: 4}\n"
        b"    - {name: high, max: 9}\n    - {name: medium, max: 16}\n"
        b"    - {name: critical, max: 25}\n  appetite: medium\n"
    )
    high, medium = config.policy("high"), config.policy("medium")
    assert (medium.impact_assessment, medium.monitoring) == (True, True)
    assert medium.review_days <= high.review_days
    assert medium.min_oversight == high.min_oversight
    # In the usual order the defaults stand as they are.
    usual = parse_config(b"version: 1\norganization: Acme\n")
    assert usual.policy("medium").impact_assessment is False


def test_a_number_too_large_to_hold_is_shown_as_written() -> None:
    # 1e400 reads as infinity: the message said "not inf", which was never written.
    with pytest.raises(ConfigError) as caught:
        parse_config(b"version: 1\norganization: Acme\nrisk:\n  vulnerable_uplift: 1e400\n")
    assert str(caught.value) == (
        "aims.yaml:4:22: risk.vulnerable_uplift must be a whole number, not 1e400"
    )


def test_a_date_in_year_zero_is_told_the_years_range_not_the_months() -> None:
    from datetime import date

    from aimsctl.loader import FileTree
    from aimsctl.repository import load_repository

    files = {
        "aims.yaml": b"version: 1\norganization: T\n",
        "w.yaml": b"kind: Waiver\nid: W-1\nrule: AIMS303\nrecords: [R-1]\nby: a\n"
        b"rationale: r\nexpires: 0000-12-31\n",
    }
    repo = load_repository(Path("/t"), date(2026, 11, 26), source=FileTree(files))
    expires = [d.message for d in repo.diagnostics if d.message.startswith("expires")]
    assert expires == [
        "expires must be a real calendar date, and 0000-12-31 does not exist; years start "
        "at 0001 (dates run from 0001-01-01 to 9999-12-31)"
    ]
    # A month or a day that is wrong too is told as any other: fixing the year alone
    # would not do. Year 0 would be a leap year, so its 29 February is only the year.
    for written, advice in [
        ("0000-13-45", "write YYYY-MM-DD with a month from 01 to 12 and a day that month has"),
        ("0000-02-30", "write YYYY-MM-DD with a month from 01 to 12 and a day that month has"),
        ("0000-02-29", "years start at 0001 (dates run from 0001-01-01 to 9999-12-31)"),
    ]:
        wrong = {**files, "w.yaml": files["w.yaml"].replace(b"0000-12-31", written.encode())}
        repo = load_repository(Path("/t"), date(2026, 11, 26), source=FileTree(wrong))
        said = [d.message for d in repo.diagnostics if d.message.startswith("expires")]
        assert said == [
            f"expires must be a real calendar date, and {written} does not exist; {advice}"
        ]


@pytest.mark.parametrize(
    "label",
    ["+1", "-2", "1.0", ".inf", "true", "null", "0x1F", "1e3", "~", "Low #2", "&a B", "!!str B"],
)
def test_a_label_a_record_would_read_as_a_number_is_refused(label: str) -> None:
    """Labels of digits were refused, but `+1`, `-2` or `1.0` were taken: a record
    writing `severity: +1` unquoted was read as level 1, not the label "+1" (level 4),
    and a high risk scored low without a word."""
    text = f'version: 1\norganization: Acme\nrisk:\n  severity: [Low, "{label}", High]\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text.encode())
    assert f"risk.severity label {label!r} is read as something else where a record" in str(
        caught.value
    )


def test_labels_and_band_names_differing_in_unicode_form_or_case_are_repeats() -> None:
    """`Modérée` typed composed and with a combining accent were two labels, and a
    record resolved by its bytes; so were two bands, each with its own governance. Each
    is a repeat now; a record's label in either form is the one level."""
    decomposed = "Mode\u0301re\u0301e"
    text = f"version: 1\norganization: Acme\nrisk:\n  severity: [Faible, {decomposed}, Modérée]\n"
    with pytest.raises(ConfigError, match="repeats the label"):
        parse_config(text.encode())
    bands = (
        "version: 1\norganization: Acme\nrisk:\n  bands:\n    - {name: faible, max: 4}\n"
        f"    - {{name: {decomposed}, max: 16}}\n    - {{name: Modérée, max: 25}}\n"
        "  appetite: faible\ngovernance:\n  faible: {review_days: 365}\n"
        f"  {decomposed}: {{review_days: 365}}\n  Modérée: {{review_days: 90}}\n"
    )
    with pytest.raises(ConfigError, match="repeats the band name 'Modérée'"):
        parse_config(bands.encode())
    config = parse_config(
        "version: 1\norganization: Acme\nrisk:\n  severity: [Faible, Modérée, Grave, Critique, "
        "Extrême]\n".encode()
    )
    from aimsctl.scoring import Scale

    scale = Scale(tuple(config.risk.severity))
    assert scale.level(decomposed) == scale.level("Modérée") == scale.level("MODÉRÉE") == 2


def test_a_number_as_a_label_is_told_that_labels_are_words() -> None:
    """`likelihood: [1, 2, 3]` was told to put quotes around each number, after which
    the next run refused "1" as a number: the first message now says a label is a word."""
    with pytest.raises(ConfigError) as caught:
        parse_config(b"version: 1\norganization: Acme\nrisk:\n  likelihood: [1, Two, 3]\n")
    message = str(caught.value)
    assert "entry 1 of risk.likelihood must be text, not 1; a label is a word" in message
    assert "put quotes around it" not in message
