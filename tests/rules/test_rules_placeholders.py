"""AIMS107: text still to be written (a `TODO:` placeholder) is reported until replaced."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest
from rule_support import Cli, Make, at, of, validate

from aimsctl.records import AISystem
from aimsctl.repository import load_repository
from aimsctl.rules import placeholders
from aimsctl.rules.placeholders import still_unwritten, unwritten_note
from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG
from factory import assessment, control, system


def test_placeholders_are_reported_where_they_are(make_repo: Make, cli: Cli) -> None:
    """The scope's placeholder is reported at its value, as the document register's are
    (it was at aims.yaml:1:1, whatever line the scope is on)."""
    config = MINIMAL_CONFIG + "scope: >-\n  TODO: what the management system covers.\n"
    scope_line = config.splitlines().index("scope: >-") + 1
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control(
            "ORG-1", justification="TODO: say why this control applies", status="planned"
        ),
        "systems/SYS-1.yaml": system(description="  TODO: describe it", tags=["TODO: x"]),
    }
    found = validate(cli, make_repo(files, config), schema_ok=False)
    assert at(found, "AIMS107") == [
        ("aims.yaml", scope_line, 8),
        ("controls/org.yaml", 5, 16),
        ("systems/SYS-1.yaml", 10, 14),
        ("systems/SYS-1.yaml", 11, 8),
    ]
    assert [d["pointer"] for d in of(found, "AIMS107")] == [
        "/scope",
        "/justification",
        "/description",
        "/tags/0",
    ]
    assert all(d["severity"] == "error" for d in of(found, "AIMS107"))
    # an entry of a list is named as one, not by its index
    assert [d["message"].split(" is ")[0] for d in of(found, "AIMS107")] == [
        "scope in aims.yaml",
        "justification",
        "description",
        "entry 1 of tags",
    ]
    assert "38 of 38 Annex A controls decided" in cli("controls", make_repo(files, config)).stdout


def test_a_placeholder_in_the_document_register_of_aims_yaml_is_reported_where_it_is(
    make_repo: Make, cli: Cli
) -> None:
    """`documents:` of aims.yaml is the register of the reports kept as controlled
    documents (7.5.2): an entry `approval: {by: "TODO: who approves"}` was reported by
    nothing (readiness only refused it for 7.5.2), and the report printed "Approved: by
    TODO: who approves". Each placeholder there is reported at its value."""
    config = (
        MINIMAL_CONFIG + "documents:\n"
        "  soa:\n"
        "    id: DOC-4\n"
        "    owner: 'TODO: who owns it'\n"
        "    approval: {by: 'TODO: who approves', on: 2026-10-01}\n"
        "  risks: {id: DOC-6, approval: {by: ciso@acme.example, on: 2026-10-01}}\n"
    )
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA}, config)
    found = validate(cli, root, schema_ok=False)
    lines = config.splitlines()
    owner = next(n for n, line in enumerate(lines, 1) if "owner:" in line)
    assert at(found, "AIMS107") == [("aims.yaml", owner, 12), ("aims.yaml", owner + 1, 20)]
    assert [(d["pointer"], d["message"], d["record"]) for d in of(found, "AIMS107")] == [
        (
            "/documents/soa/owner",
            "documents.soa.owner in aims.yaml is still a placeholder; write it or remove it",
            None,
        ),
        (
            "/documents/soa/approval/by",
            "documents.soa.approval.by in aims.yaml is still a placeholder; write it or remove it",
            None,
        ),
    ]
    # `status` lists them with the other placeholders left.
    standing = json.loads(cli("status", root, "--as-of", AS_OF, "-f", "json").stdout)
    assert {"path": "aims.yaml", "line": owner, "record": None} in (
        standing["placeholders"]["items"]
    )


def test_a_nested_placeholder_is_named_by_the_fields_that_lead_to_it(
    make_repo: Make, cli: Cli
) -> None:
    """`assessed.by` read "by is still a placeholder", a name a record may hold under
    several fields (`assessed.by`, `approval.by`, `performed.by`)."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(
            human_oversight={"mode": "human-in-the-loop", "description": "TODO: say how"},
            stakeholders=[{"group": "TODO: who"}],
        ),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [d["message"].split(" is ")[0] for d in of(found, "AIMS107")] == [
        "human_oversight.description",
        "group of entry 1 of stakeholders",
    ]


def test_a_placeholder_inside_an_entry_of_a_list_names_the_entry(make_repo: Make, cli: Cli) -> None:
    """`aimsctl new Evaluation` then validate said "metrics.name is still a
    placeholder": with several metrics, which one? A value inside an entry of a list
    is named by the entry's number, at every depth."""
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA})
    made = cli(
        "new", "Evaluation", root, "--no-input",
        "--set", "system=SYS-1", "--set", "metrics.0.value=0.9",
        "--set", "performed.on=2026-06-01",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert "metrics.name" not in made.stdout + made.stderr
    assert "name of entry 1 of metrics is still a placeholder" in made.stdout + made.stderr
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "assessments/IA-1.yaml": assessment(
            stakeholders=[
                {"group": "Applicants", "concerns": ["Fair scoring", "TODO: which"]},
                {
                    "group": "Recruiters",
                    "engagement": [
                        {"method": "interview", "on": "2026-05-01", "summary": "Heard."},
                        {"method": "survey", "on": "2026-05-02", "summary": "TODO: what"},
                    ],
                },
            ],
        ),
        # mitigations are ids: a placeholder there fails the schema (AIMS102), and a
        # record that fails it is not read for placeholders, so it has a record of its own
        "assessments/IA-2.yaml": assessment(
            "IA-2",
            impacts=[
                {
                    "dimension": "fairness",
                    "scope": "group",
                    "description": "Unfair rejection",
                    "likelihood": 2,
                    "severity": 3,
                    "mitigations": ["A.6.2.4", "TODO: a control"],
                }
            ],
        ),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [d["message"].split(" is ")[0] for d in of(found, "AIMS107")] == [
        "entry 2 of concerns of entry 1 of stakeholders",
        "summary of entry 2 of engagement of entry 2 of stakeholders",
        "title",
        "performed.by",
        "name of entry 1 of metrics",
    ]
    # a schema message names the entry the same way (a placeholder is no record id)
    assert [d["message"].split(" 'TODO")[0] for d in of(found, "AIMS102")] == [
        "entry 2 of mitigations of entry 1 of impacts"
    ]


def test_text_that_merely_mentions_todo_passes(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(description="Replaces the TODO: list kept by hand."),
    }
    assert at(validate(cli, make_repo(files), schema_ok=False), "AIMS107") == []


def test_a_placeholder_written_with_an_escape_is_still_found(make_repo: Make, cli: Cli) -> None:
    # The rule skips files that cannot hold the marker; an escape can spell it.
    text = (
        "kind: AISystem\nid: SYS-1\ntitle: Hiring\nowner: owner@acme.example\n"
        "purpose: A system under test.\ntype: predictive\nstage: development\n"
        "human_oversight: {mode: human-in-the-loop}\n"
        'description: "\\x54ODO: describe it"\n'
    )
    files = {"controls/annex-a.yaml": EXCLUDED_SOA, "systems/SYS-1.yaml": text}
    found = validate(cli, make_repo(files), schema_ok=False)
    assert [d["pointer"] for d in of(found, "AIMS107")] == ["/description"]


def test_a_file_of_many_records_is_scanned_a_few_times_not_once_per_record(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whether a file can hold a placeholder (or a character outside ASCII, or an
    # escape) is a question about its bytes: each document of a file of 300 records
    # asked it of the whole file again, a time quadratic in the file's records.
    from aimsctl.rules import placeholders, texts

    asked: Counter[tuple[str, bytes]] = Counter()

    def counted(name: str, question: Callable[[bytes], bool]) -> Callable[[bytes], bool]:
        def ask(raw: bytes) -> bool:
            asked[name, raw] += 1
            return question(raw)

        return ask

    for module, name in (
        (texts, "escaped"),
        (texts, "non_ascii"),
        (texts, "placeholder_marker"),
        (placeholders, "placeholder_marker"),
    ):
        question = counted(f"{module.__name__}.{name}", getattr(module, name))
        monkeypatch.setattr(module, name, question)
    many = [control(f"ORG-{n}", status="planned") for n in range(300)]
    many[150]["justification"] = "TODO: say why this control applies"
    many[200]["title"] = "Caf\u00e9 \u202eloot"
    files = {"controls/annex-a.yaml": EXCLUDED_SOA, "controls/org.yaml": many}
    result = cli("validate", make_repo(files), "--as-of", AS_OF, "--format", "json", "--no-cache")
    found = json.loads(result.stdout)["diagnostics"]
    # what the rules find is what they found when every document scanned the file
    assert at(found, "AIMS107") == [("controls/org.yaml", 1205, 16)]
    assert at(found, "AIMS009") == [("controls/org.yaml", 1603, 8)]
    # A few times per file (once for each rule that reads texts, and the first document
    # asks for itself, which spares a file of one record a table of answers), never once
    # per record (300 here).
    assert asked and max(asked.values()) < 20, asked.most_common(3)


def test_a_record_holding_a_placeholder_is_no_evidence(make_repo: Make) -> None:
    """`still_unwritten` is AIMS107's own test, record by record: the one question the
    cadences, `due`, `status` and readiness ask before counting a record as done."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/a.yaml": [
            system("SYS-1", description="TODO: describe it"),
            system("SYS-2", stakeholders=[{"group": "TODO: who"}]),  # below a field
            system("SYS-3", description="Replaces the TODO: list kept by hand."),
            system("SYS-4"),
        ],
    }
    repo = load_repository(make_repo(files), date.fromisoformat(AS_OF))
    unwritten = {s.id for s in repo.of_kind(AISystem) if still_unwritten(repo, s)}
    assert unwritten == {"SYS-1", "SYS-2"} == set(placeholders.unwritten(repo))
    assert unwritten_note([], "held") == ""
    assert unwritten_note(["MR-1"], "held") == (
        "MR-1 still holds placeholder text (TODO:), so it does not count as held"
    )
    assert unwritten_note(["AUD-1", "AUD-2"], "completed") == (
        "AUD-1 and AUD-2 still hold placeholder text (TODO:), so they do not count as completed"
    )


@pytest.mark.parametrize(
    "marker", ["\u200bTODO:", "\ufeffTODO:", "T\u00adODO:", "\u200eTODO:", "\u2066TODO:"]
)
def test_a_placeholder_with_a_character_that_shows_as_nothing_is_still_one(
    make_repo: Make, cli: Cli, marker: str
) -> None:
    """`approved_by: "\u200bTODO: ..."` shows as the placeholder, yet counted as a
    name: the waiver waived its finding, and with AIMS011 off `validate --strict`
    passed clean. The marker is read as it shows, wherever such a character is."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(description=f"{marker} describe it"),
    }
    config = MINIMAL_CONFIG + "rules: {AIMS009: off, AIMS011: off}\n"
    found = validate(cli, make_repo(files, config), schema_ok=False)
    assert [d["pointer"] for d in of(found, "AIMS107")] == ["/description"]
