"""`aimsctl new`: a record of every kind that validates once its placeholders are written."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from aimsctl.records import KINDS
from conftest import AS_OF, PROJECT, CliResult, in_a_terminal
from factory import risk, yaml_of

Cli = Callable[..., CliResult]

# A risk's rating, which only a person can give (`new` writes no level for them).
RATED = ["--set", "inherent.likelihood=2", "--set", "inherent.severity=3"]
REFERENCES = {
    "Risk": ["--set", "systems=SYS-EXAMPLE", *RATED],
    "Incident": [
        "--set",
        "severity=3",
        "--set",
        "systems=SYS-EXAMPLE",
        "--set",
        f"occurred={AS_OF}",
        "--set",
        f"detected={AS_OF}",
    ],
    "ImpactAssessment": ["--set", "system=SYS-EXAMPLE"],
    "Evaluation": [
        "--set",
        "system=SYS-EXAMPLE",
        "--set",
        "metrics.0.value=0.9",
        "--set",
        f"performed.on={AS_OF}",
    ],
    "Monitor": ["--set", "system=SYS-EXAMPLE", "--set", "threshold.min=0.9"],
    "Waiver": ["--set", "rule=AIMS607", "--set", "records=[SYS-EXAMPLE]"],
    "InternalAudit": ["--set", "independent=true"],
    "ManagementReview": ["--set", f"held={AS_OF}"],
}


@pytest.mark.parametrize(
    "environment",
    [
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
        {"PYTHONIOENCODING": "utf-8:strict"},
        {"PYTHONIOENCODING": "latin-1"},
    ],
    ids=["c-locale", "strict-input", "latin-1-input"],
)
def test_an_answer_that_is_not_utf8_is_asked_again(
    starter: Path, environment: dict[str, str]
) -> None:
    """Bytes that are not UTF-8 typed at a prompt (a Latin-1 terminal's 'é') ended
    `new` in an internal error, exit 3 (UnicodeEncodeError: surrogates not allowed).
    The question is asked again, as for an empty answer. Answers are read as UTF-8
    whatever PYTHONIOENCODING says: with latin-1 a typed 'Crédit' was written into
    the record as 'CrÃ©dit'."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"} | environment
    answers = [b"Cr\xe9dit", "Crédit desk".encode(), b"", b""]
    code, shown = in_a_terminal(["new", "Role", starter, "--as-of", AS_OF], answers, env)
    assert code == 0, shown
    assert "internal error" not in shown and "Traceback" not in shown
    assert "not UTF-8 text" in shown, shown
    written = Path(starter / "roles").glob("ROLE-*.yaml")
    texts = [path.read_text("utf-8") for path in written]
    assert any("title: Crédit desk\n" in text for text in texts), texts


def test_half_a_rating_given_in_a_terminal_is_not_completed_for_the_user(starter: Path) -> None:
    """`new Risk --set inherent.likelihood=4` in a terminal asked nothing more of the
    rating and wrote the middle of the severity scale beside it, as if assessed."""
    before = sorted(starter.rglob("*"))
    args = ["new", "Risk", starter, "--as-of", AS_OF, "--set", "inherent.likelihood=4"]
    code, shown = in_a_terminal([*args, "--set", "systems=SYS-EXAMPLE"], [b""] * 12)
    assert code == 2, shown
    assert "--set inherent.severity=..." in shown and "inherent.likelihood=..." not in shown
    assert sorted(starter.rglob("*")) == before


@pytest.mark.parametrize("answered", [0, 1], ids=["first-question", "second-question"])
def test_standard_input_ending_at_a_prompt_is_no_answer(starter: Path, answered: int) -> None:
    """Ctrl-D at a question ended the run as Ctrl-C does: "aimsctl: interrupted", exit
    130. Standard input ending is no answer: exit 2, as a field missing without a
    terminal, saying which, and nothing is written."""
    before = sorted(starter.rglob("*"))
    code, shown = in_a_terminal(
        ["new", "Role", starter, "--as-of", AS_OF], [b"Credit desk"] * answered, typed=b"\x04"
    )
    assert code == 2, shown
    field = ("title", "holder")[answered]
    assert f"aimsctl: error: no answer for {field}: standard input ended (Ctrl-D)" in shown
    assert "interrupted" not in shown and "Traceback" not in shown
    assert sorted(starter.rglob("*")) == before


@pytest.fixture
def starter(cli: Cli, tmp_path: Path) -> Path:
    root = tmp_path / "aims"
    assert cli("init", root, "--as-of", AS_OF).exit_code == 0
    return root


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_validates_once_its_placeholders_are_replaced(
    cli: Cli, starter: Path, kind: str
) -> None:
    result = cli("new", kind, "--no-input", "--as-of", AS_OF, *REFERENCES.get(kind, []), starter)
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_file() and path.parent.name == KINDS[kind].FOLDER
    text = path.read_text(encoding="utf-8")
    record_id = re.search(r"^id: (.+)$", text, re.M).group(1)  # type: ignore[union-attr]
    assert cli("fmt", "--check", path).exit_code == 0  # written in canonical form
    assert "TODO:" in text
    path.write_text(re.sub(r"TODO: [^\"\n]*", "Written by a person", text), encoding="utf-8")
    if kind == "Policy":  # a new policy is a draft: the starter's, written, is approved
        starter_policy = starter / "policies/POL-AI.yaml"
        written = re.sub(
            r"TODO: [^\"\n]*", "Written by a person", starter_policy.read_text("utf-8")
        )
        approved = f"status: approved\napproval: {{by: chief-executive, on: {AS_OF}}}\n"
        starter_policy.write_text(written.replace("status: draft\n", approved), "utf-8")
    report = json.loads(cli("validate", starter, "--as-of", AS_OF, "-f", "json").stdout)
    own = [d for d in report["diagnostics"] if d["record"] == record_id]
    assert [d for d in own if d["severity"] == "error"] == [], own


def test_the_next_id_follows_the_repository_numbering(cli: Cli, example_copy: Path) -> None:
    # in risks/, and R-026 a draft in an excluded folder: it is taken.
    result = cli("new", "risk", "--no-input", *RATED, "--set", "systems=SYS-HIRE", example_copy)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-027.yaml")
    assert "id: R-027" in (example_copy / "risks/R-027.yaml").read_text()


def test_ids_that_follow_no_one_numbering_give_the_kind_s_own(cli: Cli, example_copy: Path) -> None:
    """The example's evaluations are named by system and month (EVAL-ASSIST-2026-10,
    EVAL-CREDIT-2026-03, ...): no numbering holds most of them. `new Evaluation` for
    SYS-HIRE took the most used prefix and wrote EVAL-ASSIST-2026-11, an id naming
    another system and a month nobody chose. It now numbers in the kind's own series."""
    result = cli(
        "new", "Evaluation", "--no-input", "--set", "system=SYS-HIRE",
        "--set", "metrics.0.value=0.9", "--set", "performed.on=2026-11-20", example_copy,
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.strip().endswith("evaluations/EVAL-001.yaml"), result.stdout


def test_a_numbering_by_year_goes_on_in_its_latest_year(cli: Cli, starter: Path) -> None:
    """NC-2025-01 to NC-2025-05 and NC-2026-01 to NC-2026-03: one numbering, by year.
    The year with more ids (2025) won, so the next was NC-2025-06; it is NC-2026-04."""
    for year, count in ((2025, 5), (2026, 3)):
        for n in range(1, count + 1):
            (starter / f"nonconformities/NC-{year}-{n:02d}.yaml").write_text(
                f"kind: Nonconformity\nid: NC-{year}-{n:02d}\n", encoding="utf-8"
            )
    result = cli("new", "Nonconformity", "--no-input", starter)
    assert "nonconformities/NC-2026-04.yaml" in result.stdout, (result.stdout, result.stderr)


def test_an_existing_id_or_file_is_never_overwritten(cli: Cli, example_copy: Path) -> None:
    before = (example_copy / "risks/R-001.yaml").read_bytes()
    result = cli(
        "new", "Risk", "R-001", "--no-input", *RATED, "--set", "systems=SYS-HIRE", example_copy
    )
    assert result.exit_code == 2 and "exists" in result.stderr
    assert (example_copy / "risks/R-001.yaml").read_bytes() == before


def test_the_next_id_skips_a_file_of_its_name_holding_another_id(cli: Cli, starter: Path) -> None:
    # risks/R-002.yaml holds R-001: R-002 is free, but its file is taken. `new` once
    # stopped there (exit 2, "exists") instead of going on to R-003.
    (starter / "risks/R-002.yaml").write_text(
        yaml_of(risk("R-001", systems=["SYS-EXAMPLE"])), encoding="utf-8"
    )
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-003.yaml")
    assert "id: R-003" in (starter / "risks/R-003.yaml").read_text()


def test_ids_in_files_that_cannot_be_read_are_taken(cli: Cli, starter: Path) -> None:
    # A draft half written (a YAML error), in the records or in an excluded folder,
    # holds its records once it is fixed: new took from them.
    (starter / "risks/draft.yaml").write_text("kind: Risk\nid: R-001\ntitle: [\n")
    config = starter / "aims.yaml"
    config.write_text(config.read_text().replace("exclude: []", 'exclude: ["drafts/**"]'))
    (starter / "drafts").mkdir()
    (starter / "drafts/next.yaml").write_text("kind: Risk\nid: R-002\ntitle: [\n")
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-003.yaml")
    taken = cli(
        "new", "Risk", "R-001", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter
    )
    assert taken.exit_code == 2 and "exists already" in taken.stderr


def test_ids_in_a_file_saved_as_utf_16_are_taken(cli: Cli, starter: Path) -> None:
    # An editor saved risks/notepad.yaml as UTF-16: validate refuses it
    # (AIMS002), and new, reading the file's id keys as UTF-8 bytes, found none and
    # wrote a second R-001, a duplicate id the moment the file is saved as UTF-8.
    (starter / "risks/notepad.yaml").write_bytes(yaml_of(risk("R-001")).encode("utf-16"))
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-002.yaml")


@pytest.mark.parametrize("reverse", [False, True])
def test_the_next_id_does_not_depend_on_the_order_folders_are_listed_in(
    cli: Cli, starter: Path, monkeypatch: pytest.MonkeyPatch, reverse: bool
) -> None:
    # Two drafts give R-099 two kinds: the kind of the draft listed last counted it in
    # its numbering, and folders list their files in the file system's order (ext4
    # hashes names, tmpfs lists the newest first), so `new risk` gave R-100 on one
    # machine and R-001 on another. The drafts are read in the order of their paths.
    import os

    walk = os.walk

    def listed(top: str, **options: Any) -> Iterator[tuple[str, list[str], list[str]]]:
        for folder, dirs, files in walk(top, **options):
            files.sort(reverse=reverse)
            yield folder, dirs, files

    monkeypatch.setattr("aimsctl.loader.walking.os.walk", listed)
    config = starter / "aims.yaml"
    config.write_text(config.read_text().replace("exclude: []", 'exclude: ["drafts/**"]'))
    (starter / "drafts").mkdir()
    (starter / "drafts/a.yaml").write_text("kind: Policy\nid: R-099\n")
    (starter / "drafts/b.yaml").write_text("kind: Risk\nid: R-099\n")
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-100.yaml")


def test_a_draft_id_of_thousands_of_digits_is_no_numbering(cli: Cli, starter: Path) -> None:
    # An excluded draft's id is no record id (at most 80 characters): its number of
    # 5,000 digits was an internal error (int() refuses more than 4,300).
    config = starter / "aims.yaml"
    config.write_text(config.read_text().replace("exclude: []", 'exclude: ["drafts/**"]'))
    (starter / "drafts").mkdir()
    (starter / "drafts/big.yaml").write_text(f"kind: Risk\nid: R-{'1' * 5000}\n")
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-001.yaml")


def test_a_numbering_grown_to_the_longest_id_asks_for_one(cli: Cli, starter: Path) -> None:
    """After an 80-character id, the next in its numbering is 81 long: `new` refused
    with the id checker's message about its own choice, without saying what to do."""
    (starter / "risks/long.yaml").write_text(f"kind: Risk\nid: R-{'9' * 78}\n")
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: the next id in the repository's numbering of Risk records would be "
        "81 characters long, and an id has at most 80: give the new record's id after the "
        "kind (`aimsctl new Risk ID`)\n"
    )
    assert sorted(p.name for p in (starter / "risks").iterdir()) == [
        "R-EXAMPLE-1.yaml",
        "long.yaml",
    ]
    result = cli(
        "new", "Risk", "R-1", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter
    )
    assert result.exit_code == 0, result.stderr


def test_a_record_is_never_written_where_aims_yaml_excludes_it(cli: Cli, starter: Path) -> None:
    # risks/ is excluded: new wrote risks/R-001.yaml there, exit 0, and validate never
    # read it.
    config = starter / "aims.yaml"
    config.write_text(config.read_text().replace("exclude: []", 'exclude: ["risks/**"]'))
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 2 and "excluded by aims.yaml" in result.stderr
    assert not (starter / "risks/R-001.yaml").exists()


def test_set_gives_values_and_rejects_unknown_fields(cli: Cli, starter: Path) -> None:
    result = cli(
        "new", "Risk", "R-9", "--no-input", "--set", "systems=SYS-EXAMPLE",
        "--set", "title=Chat answers leak data", "--set", "inherent.likelihood=4",
        "--set", "inherent.severity=3",
        "--set", "objectives=[privacy, security]", starter,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (starter / "risks/R-9.yaml").read_text()
    assert "title: Chat answers leak data\n" in text
    assert "likelihood: 4" in text and "objectives: [privacy, security]" in text
    assert "# one of: open, treating, monitoring, closed" in text
    assert "machine-learning," in text  # a value listed whole, never broken at its hyphen
    wrong = cli("new", "Risk", "--no-input", *RATED, "--set", "stauts=open", starter)
    assert wrong.exit_code == 2 and "did you mean 'status'" in wrong.stderr
    unknown = cli("new", "Riks", starter)
    assert unknown.exit_code == 2 and "did you mean 'Risk'" in unknown.stderr


@pytest.mark.parametrize(
    ("field", "said"),
    [
        # a field of a mapping named alone, misspelt: the paths to the field meant
        ("likelyhood", "; did you mean 'inherent.likelihood' or 'residual.likelihood'?"),
        ("severity", "; did you mean 'inherent.severity' or 'residual.severity'?"),
        # a dotted name with a typo in it
        ("inherent.likelyhood", "; did you mean 'inherent.likelihood'?"),
        ("treatment.optoin", "; did you mean 'treatment.option'?"),
        ("colour", ""),
    ],
)
def test_set_of_a_field_that_is_not_there_names_the_one_meant(
    cli: Cli, starter: Path, field: str, said: str
) -> None:
    # `--set likelyhood=3` said "Risk has no field 'likelyhood'" and no more: the field
    # is inherent.likelihood, and the hint only ever looked at the top-level fields.
    result = cli("new", "Risk", "--no-input", *RATED, "--set", f"{field}=3", starter)
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: --set {field}: Risk has no field {field!r}{said}\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_an_id_first_in_a_file_with_a_byte_order_mark_is_taken(
    cli: Cli, starter: Path, encoding: str
) -> None:
    # The byte before `id` was the mark's last byte, which stands before no key: the id
    # of a file that cannot be read, given first, was free to `new`, a duplicate id the
    # moment the file is fixed.
    text = "id: R-001\nkind: Risk\ntitle: [unclosed\n"
    (starter / "risks/wip.yaml").write_bytes(text.encode(encoding))
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-002.yaml")


def test_the_next_id_passes_every_number_given_at_another_width(cli: Cli, starter: Path) -> None:
    # number most risks, one digit wide, but R-010 gives 10: R-10 would be
    # a second risk numbered 10.
    for record_id in ("R-8", "R-9", "R-010"):
        (starter / f"risks/{record_id}.yaml").write_text(
            yaml_of(risk(record_id, systems=["SYS-EXAMPLE"])), encoding="utf-8"
        )
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-11.yaml")


@pytest.mark.parametrize("value", ["[a, b", "{a: 1}", "{}", "  [x"])
def test_a_list_typed_with_a_bracket_missing_is_refused_not_kept_as_text(
    cli: Cli, starter: Path, value: str
) -> None:
    result = cli(
        "new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE",
        "--set", f"tags={value}", starter,
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"--set tags: {value.strip()!r} is no list" in result.stderr
    assert not (starter / "risks/R-001.yaml").exists()
    # Quoted, it is the text of one entry.
    quoted = cli(
        "new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE",
        "--set", "tags='[a, b'", starter,
    )  # fmt: skip
    assert quoted.exit_code == 0, quoted.stderr
    assert yaml.safe_load((starter / "risks/R-001.yaml").read_text())["tags"] == ["[a, b"]


def test_a_set_value_no_record_can_hold_is_a_wrong_option_exit_2(cli: Cli, starter: Path) -> None:
    # cli-v2 and `new --help` keep exit 1 for findings and 2 for a wrong option: an
    # impossible date or a yes/no answered 'maybe' exited 1.
    for kind, given, rel in (
        ("Objective", "due=2025-02-30", "objectives/OBJ-001.yaml"),
        ("InternalAudit", "independent=maybe", "audits/AUD-001.yaml"),
    ):
        result = cli("new", kind, "--no-input", "--set", given, starter)
        assert result.exit_code == 2, (kind, result.stderr)
        assert f"{rel} would not be valid; nothing was written:" in result.stderr
        assert not (starter / rel).exists()


def test_set_of_ids_joined_by_commas_says_how_to_list_them(cli: Cli, starter: Path) -> None:
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE,SYS-2", starter)
    assert result.exit_code == 2  # a value no record can hold: a wrong option
    assert result.stderr.rstrip().endswith(
        "; to name several, give each its own entry: [SYS-EXAMPLE, SYS-2]"
    )
    assert not (starter / "risks/R-001.yaml").exists()


def test_list_entries_are_given_in_order(cli: Cli, starter: Path) -> None:
    """`tags.0=a --set tags.1=3`: each entry a value of the list's items (text here),
    and an entry past the next one is refused in plain words, not padded out (a
    `tags.999999999999` once filled the memory) nor an internal error."""
    made = cli(
        "new", "Risk", "R-9", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE",
        "--set", "tags.0=a", "--set", "tags.1=3", starter,
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert 'tags: [a, "3"]' in (starter / "risks/R-9.yaml").read_text()
    before = sorted(starter.rglob("*.yaml"))
    for far in ("tags.999999999999=x", "tags.1=x", "metrics.5.name=x"):
        kind, reference = (
            ("Evaluation", "system") if far.startswith("metrics") else ("Risk", "systems")
        )
        refused = cli(
            "new", kind, "--no-input", "--set", f"{reference}=SYS-EXAMPLE", "--set", far, starter
        )
        assert refused.exit_code == 2, (far, refused.stderr)
        assert "number the entries from 0, in order" in refused.stderr
    assert sorted(starter.rglob("*.yaml")) == before  # nothing written


def test_a_reference_that_cannot_be_guessed_is_asked_for(cli: Cli, example_copy: Path) -> None:
    result = cli("new", "Risk", "--no-input", *RATED, example_copy)
    assert result.exit_code == 2 and "--set systems=ID" in result.stderr


def test_a_closed_standard_input_is_no_terminal_to_ask_at(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`aimsctl new Risk <&-`: Python's sys.stdin is None, which ended the run in an
    internal error (exit 3); it is now as without a terminal."""
    monkeypatch.setattr("sys.stdin", None)
    result = cli("new", "Risk", example_copy)
    assert result.exit_code == 2 and "--set systems=ID" in result.stderr
    made = cli("new", "Risk", "--set", "systems=SYS-HIRE", *RATED, example_copy)
    assert made.exit_code == 0, made.stderr
    assert Path(made.stdout.strip()).parent == example_copy / "risks"


def test_a_set_value_is_the_text_as_typed(cli: Cli, starter: Path) -> None:
    """YAML would read `Bug #12` as `Bug` (a comment), `&draft Title` as an anchor and
    `!!str Title` as a tag: each once came out shortened, with exit 0."""
    for typed in ("Ranking bug #12 reopened", "&draft Title", "!!str Title", ">", "a\nb"):
        made = cli(
            "new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE",
            "--set", f"title={typed}", starter,
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
        written = Path(made.stdout.strip())
        record = yaml.safe_load(written.read_text(encoding="utf-8"))
        assert record["title"] == typed
        written.unlink()


def test_text_that_looks_like_a_date_stays_text_to_a_yaml_1_1_reader(
    cli: Cli, starter: Path
) -> None:
    """`version: 2026-11-01` was written plain: text to validate, a date to PyYAML's
    safe_load and every YAML 1.1 reader. It is quoted now; a date field stays plain."""
    made = cli(
        "new", "Policy", "--no-input", "--set", "version=2026-11-01",
        "--set", "tags=[2026-01-01]", "--set", "next_review=2027-11-01", starter,
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    text = Path(made.stdout.strip()).read_text(encoding="utf-8")
    assert 'version: "2026-11-01"\n' in text and "next_review: 2027-11-01\n" in text
    record = yaml.safe_load(text)
    assert record["version"] == "2026-11-01" and record["tags"] == ["2026-01-01"]
    assert record["next_review"] == date(2027, 11, 1)


def test_a_waiver_without_a_terminal_needs_the_rule_it_waives(cli: Cli, starter: Path) -> None:
    result = cli("new", "Waiver", "--no-input", "--set", "records=[SYS-EXAMPLE]", starter)
    assert result.exit_code == 2 and "--set rule=" in result.stderr
    assert not (starter / "waivers").exists() or not any((starter / "waivers").iterdir())


def test_the_records_a_waiver_may_name_are_listed_in_natural_order(cli: Cli, starter: Path) -> None:
    result = cli("new", "Waiver", "--no-input", "--set", "rule=AIMS501", starter)
    assert result.exit_code == 2
    listed = result.stderr.partition("(one of: ")[2].partition(" …)")[0].split(", ")
    assert listed[:3] == ["A.2.2", "A.2.3", "A.2.4"] and "A.10.2" not in listed, listed


def test_a_measured_value_or_a_threshold_is_never_made_up(cli: Cli, starter: Path) -> None:
    """`new Evaluation --set metrics.0.threshold.max=0.05` wrote `value: 0` (its TODO only
    a comment, which validate does not read): the evaluation passed, and AIMS701 was
    answered, on a value nobody measured. A Monitor got `threshold: {min: 0}`, which
    never breaches. Without a terminal, both must now come from --set."""
    base = ["new", "Evaluation", "--no-input", "--as-of", AS_OF, "--set", "system=SYS-EXAMPLE"]
    base += ["--set", f"performed.on={AS_OF}"]
    metric = ["--set", "metrics.0.name=Missed", "--set", "metrics.0.threshold.max=0.05"]
    refused = cli(*base, *metric, starter)
    assert refused.exit_code == 2
    assert "measured value of each metric" in refused.stderr
    assert "--set metrics.0.value=" in refused.stderr and "eval import" in refused.stderr
    second = cli(*base, "--set", "metrics.0.value=0.01", "--set", "metrics.1.name=b", starter)
    assert second.exit_code == 2 and "--set metrics.1.value=" in second.stderr
    monitor = cli("new", "Monitor", "--no-input", "--set", "system=SYS-EXAMPLE", starter)
    assert monitor.exit_code == 2 and "--set threshold" in monitor.stderr
    assert not (starter / "evaluations").exists() and not (starter / "monitors").exists()
    made = cli(*base, *metric, "--set", "metrics.0.value=0.02", starter)
    assert made.exit_code == 0, made.stderr
    written = yaml.safe_load(Path(made.stdout.strip()).read_text(encoding="utf-8"))
    assert written["metrics"][0]["value"] == 0.02
    whole = cli(*base, "--set", "metrics=[{name: a, dimension: safety, value: 1}]", starter)
    assert whole.exit_code == 0, whole.stderr
    watched = cli(
        "new", "Monitor", "--no-input", "--set", "system=SYS-EXAMPLE",
        "--set", "threshold.max=0.05", starter,
    )  # fmt: skip
    assert watched.exit_code == 0, watched.stderr
    written = yaml.safe_load(Path(watched.stdout.strip()).read_text(encoding="utf-8"))
    assert written["threshold"] == {"max": 0.05}


def test_an_auditors_independence_is_never_made_up(cli: Cli, starter: Path) -> None:
    """`new InternalAudit --no-input` wrote `independent: true` (its TODO only a comment,
    which validate never reads): AIMS613 trusted an independence nobody claimed. Without
    a terminal it must now come from --set, either way; the starter's first audit
    claims it no more than `new` does."""
    refused = cli("new", "InternalAudit", "--no-input", "--as-of", AS_OF, starter)
    assert refused.exit_code == 2
    assert "independent of what they audit" in refused.stderr
    assert "--set independent=" in refused.stderr
    assert sorted(p.name for p in (starter / "audits").iterdir()) == ["AUD-FIRST.yaml"]
    for given in ("true", "false"):
        made = cli(
            "new", "InternalAudit", "--no-input", "--as-of", AS_OF,
            "--set", f"independent={given}", starter,
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
        text = Path(made.stdout.strip()).read_text(encoding="utf-8")
        assert f"independent: {given}\n" in text  # no comment left beside what was given
    starter_audit = yaml.safe_load((starter / "audits/AUD-FIRST.yaml").read_text("utf-8"))
    assert starter_audit["independent"] is False
    checked = json.loads(cli("validate", starter, "--as-of", AS_OF, "-f", "json").stdout)
    assert [(d["code"], d["record"]) for d in checked["diagnostics"] if d["code"] == "AIMS613"]


@pytest.mark.parametrize(
    ("kind", "given", "needed"),
    [
        ("ManagementReview", [], ["held"]),
        ("Evaluation", ["system=SYS-EXAMPLE", "metrics.0.value=0.9"], ["performed.on"]),
        ("Incident", ["systems=SYS-EXAMPLE", "severity=3"], ["occurred", "detected"]),
    ],
)
def test_a_date_of_something_done_is_never_made_up(
    cli: Cli, starter: Path, kind: str, given: list[str], needed: list[str]
) -> None:
    """`new ManagementReview --no-input` wrote `held:` the as-of date: on a repository
    whose first review was overdue, `due` listed it no more and put the next review a
    year away, on a review nobody held. An Evaluation's `performed.on` answered the
    re-evaluation cadence alike, and an Incident's `detected` moved its reporting
    deadline. Without a terminal each must now come from --set, all named at once."""
    late = "2028-06-01"  # the first review, a year after init (AS_OF), is overdue by then
    sets = [part for assignment in given for part in ("--set", assignment)]
    before = sorted(starter.rglob("*.yaml"))
    refused = cli("new", kind, "--no-input", "--as-of", late, *sets, starter)
    assert refused.exit_code == 2
    assert all(f"--set {name}=" in refused.stderr for name in needed), refused.stderr
    assert sorted(starter.rglob("*.yaml")) == before  # nothing written
    dates = [part for name in needed for part in ("--set", f"{name}=2026-12-01")]
    made = cli("new", kind, "--no-input", "--as-of", late, *sets, *dates, starter)
    assert made.exit_code == 0, made.stderr
    text = Path(made.stdout.strip()).read_text(encoding="utf-8")
    for name in needed:
        assert f"{name.rpartition('.')[2]}: 2026-12-01\n" in text
    assert late not in text


def test_a_new_review_answers_no_overdue_review_on_its_own(cli: Cli, starter: Path) -> None:
    late = "2028-06-01"
    config = starter / "aims.yaml"  # established on the day of init, as its comment offers
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(f"# established: {AS_OF}", f"established: {AS_OF}"))
    owed = json.loads(cli("due", starter, "--as-of", late, "-f", "json").stdout)
    # the first review, owed by the AIMS: the starter holds none
    assert [i["item"] for i in owed["items"] if i["kind"] == "ManagementReview"] == ["first-review"]
    assert cli("new", "ManagementReview", "--no-input", "--as-of", late, starter).exit_code == 2
    after = json.loads(cli("due", starter, "--as-of", late, "-f", "json").stdout)
    assert after["items"] == owed["items"]


def test_placeholders_and_notes_say_what_is_left_to_write(cli: Cli, starter: Path) -> None:
    """A metric's placeholder read "TODO: what was measured, e.g" (its sentence cut at
    "e.g."), and a note stayed beside a value given: "TODO: the acceptable range" above
    `threshold: {max: 0.05}`, "TODO: the measured value" beside `metrics=[...]`'s."""
    made = cli(
        "new", "Monitor", "--no-input", "--set", "system=SYS-EXAMPLE",
        "--set", "threshold.max=0.05", starter,
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    text = Path(made.stdout.strip()).read_text(encoding="utf-8")
    assert 'metric: "TODO: what is watched, e.g. drift of the score distribution"' in text
    assert "acceptable range" not in text
    for metric in ("metrics.0.value=0.9", "metrics=[{name: a, dimension: safety, value: 1}]"):
        made = cli(
            "new", "Evaluation", "--no-input", "--set", "system=SYS-EXAMPLE", "--set", metric,
            "--set", "performed.on=2026-11-01", starter,
        )  # fmt: skip
        assert made.exit_code == 0, made.stderr
        text = Path(made.stdout.strip()).read_text(encoding="utf-8")
        assert "the measured value" not in text
        assert 'e.g"' not in text and "e.g\n" not in text
    assert 'name: "TODO: what was measured, e.g. recall or selection rate"' in (
        starter / "evaluations/EVAL-001.yaml"
    ).read_text(encoding="utf-8")


def test_a_nested_field_with_allowed_values_lists_them(cli: Cli, starter: Path) -> None:
    """`human_oversight.mode` got `human-in-the-loop` with no comment, though the README
    says a field with allowed values lists the others beside it; a mode given keeps none."""
    made = cli("new", "AISystem", "--no-input", starter)
    assert made.exit_code == 0, made.stderr
    text = Path(made.stdout.strip()).read_text(encoding="utf-8")
    listed = "  # one of: none, periodic-review, human-on-the-loop, human-in-the-loop\n"
    assert "  mode: none" + listed in text
    assert cli("fmt", "--check", Path(made.stdout.strip())).exit_code == 0
    given = cli(
        "new", "AISystem", "--no-input", "--set", "human_oversight.mode=human-on-the-loop", starter
    )  # fmt: skip
    assert given.exit_code == 0, given.stderr
    written = Path(given.stdout.strip()).read_text(encoding="utf-8")
    assert "  mode: human-on-the-loop\n" in written


def test_no_oversight_and_no_review_input_are_claimed_for_the_user(cli: Cli, starter: Path) -> None:
    """`new AISystem` wrote `mode: human-in-the-loop`, the strongest oversight, which no
    tier's minimum is above: AIMS402 could not fire on a system whose oversight nobody
    had described. `new ManagementReview` listed all seven inputs of 9.3.2, so AIMS618
    could not say which the review skipped. A new system now starts at `none` (what a
    proposed system has), and a new review lists no input until someone writes them."""
    system = cli("new", "AISystem", "--no-input", "--as-of", AS_OF, starter)
    assert system.exit_code == 0, system.stderr
    written = yaml.safe_load(Path(system.stdout.strip()).read_text(encoding="utf-8"))
    assert written["human_oversight"]["mode"] == "none"
    risky = cli(
        "new", "Risk", "--no-input", "--as-of", AS_OF, "--set", f"systems={written['id']}",
        "--set", "inherent.likelihood=5", "--set", "inherent.severity=5", starter,
    )  # fmt: skip
    assert risky.exit_code == 0, risky.stderr
    checked = json.loads(cli("validate", starter, "--as-of", AS_OF, "-f", "json").stdout)
    assert [d["record"] for d in checked["diagnostics"] if d["code"] == "AIMS402"] == [
        written["id"]
    ]
    review = cli(
        "new", "ManagementReview", "--no-input", "--as-of", AS_OF, "--set", f"held={AS_OF}", starter
    )
    assert review.exit_code == 0, review.stderr
    written = yaml.safe_load(Path(review.stdout.strip()).read_text(encoding="utf-8"))
    assert "inputs" not in written
    assert "AIMS618" in review.stderr


def _first_system_commands() -> list[str]:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your first system in five minutes", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("$ aimsctl ")]


def test_the_readme_first_system_in_five_minutes_is_true(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    monkeypatch.chdir(tmp_path)
    commands = _first_system_commands()
    assert [shlex.split(c)[1] for c in commands][:4] == ["init", "new", "new", "validate"]
    codes = []
    for command in commands:
        args = shlex.split(command)[1:]
        codes.append(cli(*args).exit_code)
    assert codes[:3] == [0, 0, 0]
    assert codes[-1] == 0  # the reports are written
    assert (tmp_path / "my-aims/systems/SYS-001.yaml").is_file()


@pytest.mark.parametrize("record_id", ["con", "NUL", "aux.1", "Com7", "lpt1"])
def test_an_id_windows_reserves_as_a_device_name_is_refused(
    cli: Cli, starter: Path, record_id: str
) -> None:
    # `new Risk con` once wrote risks/con.yaml: valid here, but no Windows checkout of
    # the repository can hold a file named after a device, whatever its extension.
    result = cli(
        "new", "Risk", record_id, "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter
    )
    assert result.exit_code == 2
    assert f"risks/{record_id}.yaml would be named as the device" in result.stderr
    assert "choose another id" in result.stderr
    assert not (starter / "risks" / f"{record_id}.yaml").exists()


def test_a_file_name_differing_only_in_case_from_one_that_exists_is_refused(
    cli: Cli, starter: Path
) -> None:
    # R-X is a free id; but risks/R-X.yaml beside risks/r-x.yaml (which holds R-LATE)
    # is one file on Windows and macOS: a colleague's checkout there would keep one of
    # the two records. (An id that differs from a record's in case only is refused
    # before its file is thought of: AIMS211.)
    (starter / "risks/r-x.yaml").write_text(
        yaml_of(risk("R-LATE", systems=["SYS-EXAMPLE"])), encoding="utf-8"
    )
    result = cli(
        "new", "Risk", "R-X", "--no-input", *RATED, "--set", "systems=SYS-EXAMPLE", starter
    )  # fmt: skip
    assert result.exit_code == 2
    assert "risks/R-X.yaml differs only in letter case from risks/r-x.yaml" in result.stderr
    assert sorted(p.name for p in (starter / "risks").iterdir()) == [
        "R-EXAMPLE-1.yaml",
        "r-x.yaml",
    ]


def test_the_next_id_skips_a_file_name_only_the_case_of_a_file_that_exists(
    cli: Cli, example_copy: Path
) -> None:
    # R-027 is the next free id, but risks/r-027.yaml (holding R-LATE) would be the
    # same file as risks/R-027.yaml on Windows and macOS: the next id is R-028.
    (example_copy / "risks/r-027.yaml").write_text(
        yaml_of(risk("R-LATE", systems=["SYS-HIRE"])), encoding="utf-8"
    )
    result = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-HIRE", example_copy)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("risks/R-028.yaml")
    assert not (example_copy / "risks/R-027.yaml").exists()


def test_what_is_left_to_do_names_files_from_the_current_folder(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From risks/, the new file was printed as R-027.yaml but what is left to do as
    # risks/R-027.yaml:7:8, a path that does not open from there.
    monkeypatch.chdir(example_copy / "risks")
    made = cli("new", "Risk", "--no-input", *RATED, "--set", "systems=SYS-HIRE", "--set", "title=x")
    assert made.exit_code == 0, made.stderr
    assert made.stdout == "R-027.yaml\n"
    left = made.stderr.splitlines()[1:]
    assert left and all(line.startswith("  R-027.yaml:") for line in left)
    assert all(line.endswith(" [R-027]") for line in left)


def test_a_record_written_before_standard_output_failed_is_named(example_copy: Path) -> None:
    # With standard output on a full disk, `new` wrote its record and then said
    # "nothing could be written", exit 2: a script that believed it and ran again made
    # a second record. It now names the record it wrote.
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    command = [sys.executable, "-m", "aimsctl", "new", "Risk", str(example_copy), "--no-input"]
    command += ["--set", "systems=SYS-HIRE", "--set", "title=x", *RATED, "--as-of", AS_OF]
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
    written = example_copy / "risks/R-027.yaml"
    assert written.is_file()
    assert done.returncode == 2
    assert done.stderr == (
        "aimsctl: error: cannot write to standard output: No space left on device; what "
        f"the command prints is lost, but it wrote {written}\n"
    )


def test_one_error_names_the_record_to_name_and_every_value_still_missing(
    cli: Cli, example_copy: Path
) -> None:
    """With several systems to choose from, `new Risk --no-input` named only `--set
    systems=ID`; given it, a second error named the likelihood and severity. The README
    says one error names every `--set` still missing: it now does, the system first."""
    before = sorted(p.name for p in (example_copy / "risks").iterdir())
    result = cli("new", "Risk", "--no-input", "--as-of", AS_OF, example_copy)
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "a new Risk needs the AISystem it is about: --set systems=ID (one of: " in message
    assert message.index("--set systems=ID") < message.index("--set inherent.likelihood=...")
    assert "--set inherent.severity=..." in message
    assert sorted(p.name for p in (example_copy / "risks").iterdir()) == before
    # Only the system left to name: the error says just that.
    alone = cli("new", "Risk", "--no-input", "--as-of", AS_OF, *RATED, example_copy)
    assert alone.exit_code == 2
    assert "say which AISystem the Risk is about: --set systems=ID" in alone.stderr


@pytest.mark.parametrize("given", ["", " NC-9", "a/b"])
def test_an_empty_id_is_refused_as_any_malformed_one(
    cli: Cli, example_copy: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """`aimsctl new Nonconformity ''` took the empty argument for the current folder
    (the repository) and wrote the next free id, where ' NC-9' and 'a/b' were refused:
    an explicitly empty ID is refused the same way now (exit 2, nothing written)."""
    monkeypatch.chdir(example_copy)
    before = sorted(p.name for p in (example_copy / "nonconformities").iterdir())
    result = cli("new", "Nonconformity", given, "--no-input", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"aimsctl: error: id {given!r} is not a record id")
    assert result.stdout == ""
    assert sorted(p.name for p in (example_copy / "nonconformities").iterdir()) == before


def test_an_id_that_differs_from_a_record_s_in_letter_case_only_is_refused(
    cli: Cli, example_copy: Path
) -> None:
    """With `id: r-040` in a file, `new Risk R-040` wrote risks/R-040.yaml beside it, and
    the next free id could be one that differs from a record's in case only: both read
    as one record (AIMS211). Both are refused or skipped now."""
    (example_copy / "risks" / "more.yaml").write_text(
        yaml_of(risk("r-040", systems=["SYS-HIRE"])), encoding="utf-8"
    )
    args = ("--no-input", "--as-of", AS_OF, *RATED, "--set", "systems=SYS-HIRE")
    refused = cli("new", "Risk", "R-040", *args, example_copy)
    assert refused.exit_code == 2
    assert (
        "id 'R-040' differs only in letter case from 'r-040', the id of a record, and would "
        "be taken for it (AIMS211) (risks/more.yaml)"
    ) in " ".join(refused.stderr.split())
    assert not (example_copy / "risks" / "R-040.yaml").exists()
    (example_copy / "risks" / "more.yaml").write_text(
        yaml_of(risk("r-027", systems=["SYS-HIRE"])), encoding="utf-8"
    )
    made = cli("new", "Risk", *args, example_copy)
    assert made.exit_code == 0, made.stderr
    assert made.stdout.splitlines()[0].endswith("risks/R-028.yaml")
