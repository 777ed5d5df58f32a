"""AIMS201 broken-reference: every link between records resolves to the right kind."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rule_support import Cli, Make, at, of, validate

from conftest import AS_OF, EXCLUDED_SOA
from factory import control, levels, risk, system, yaml_of

# Line numbers below are those of these texts.
BROKEN_RISK = """\
kind: Risk
id: R-1
title: Unfair ranking
owner: risk@acme.example
description: Ranks some applicants lower.
systems: [SYS-1, SYS-2]
inherent: {likelihood: 2, severity: 2}
treatment:
  option: mitigate
  controls:
    - ORG-1
    - SYS-1
residual: {likelihood: 1, severity: 2}
status: open
"""

BROKEN_ASSESSMENT = """\
kind: ImpactAssessment
id: IA-1
title: Ranking impact
system: R-1
status: draft
assessed: {on: 2026-06-01, by: dpo@acme.example}
stakeholders:
  - group: Applicants
impacts:
  - dimension: fairness
    scope: group
    groups: [Applicants, Aplicants]
    description: Lower ranks for some groups.
    likelihood: 2
    severity: 3
    mitigations: [R-1, ORG-1, SYS-1, R-404]
"""

BROKEN_CONTROL = """\
kind: Control
id: ORG-1
title: Bias testing
applicable: true
justification: Needed.
owner: ciso@acme.example
status: partial
systems:
  - SYS-1
  - SYS-9
"""

BROKEN_WAIVER = """\
kind: Waiver
id: W-1
title: Temporary
rule: AIMS503
records: [ORG-1, GHOST]
justification: Evidence arrives next month.
approved_by: ciso@acme.example
expires: 2027-01-31
"""


def test_broken_references_are_reported_at_each_value(make_repo: Make, cli: Cli) -> None:
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "risks/R-1.yaml": BROKEN_RISK,
            "assessments/IA-1.yaml": BROKEN_ASSESSMENT,
            "controls/org.yaml": BROKEN_CONTROL,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "waivers/W-1.yaml": BROKEN_WAIVER,
        }
    )
    found = validate(cli, root)
    assert at(found, "AIMS201") == [
        ("assessments/IA-1.yaml", 4, 9),  # system: R-1 (a Risk)
        ("assessments/IA-1.yaml", 12, 26),  # groups: Aplicants
        ("assessments/IA-1.yaml", 16, 31),  # mitigations: SYS-1 (an AISystem)
        ("assessments/IA-1.yaml", 16, 38),  # mitigations: R-404
        ("controls/org.yaml", 10, 5),  # systems: SYS-9
        ("risks/R-1.yaml", 6, 18),  # systems: SYS-2
        ("risks/R-1.yaml", 12, 7),  # treatment.controls: SYS-1 (an AISystem)
        ("waivers/W-1.yaml", 5, 18),  # records: GHOST
    ]
    by_pointer = {d["pointer"]: d for d in of(found, "AIMS201")}
    assert set(by_pointer) == {
        "/system",
        "/impacts/0/groups/1",
        "/impacts/0/mitigations/2",
        "/impacts/0/mitigations/3",
        "/systems/1",
        "/treatment/controls/1",
        "/records/1",
    }
    assert by_pointer["/system"]["message"] == (
        "system names 'R-1', which is a Risk, not an AISystem"
    )
    assert by_pointer["/treatment/controls/1"]["message"] == (
        "treatment.controls names 'SYS-1', which is an AISystem, not a Control"
    )
    assert by_pointer["/impacts/0/mitigations/2"]["message"] == (
        "mitigations names 'SYS-1', which is an AISystem, not a Risk or a Control"
    )
    assert "'R-404', which does not exist" in by_pointer["/impacts/0/mitigations/3"]["message"]
    assert by_pointer["/systems/1"]["message"] == (
        "systems names AISystem 'SYS-2', which does not exist; did you mean 'SYS-1'?"
    )
    assert "did you mean 'Applicants'?" in by_pointer["/impacts/0/groups/1"]["message"]
    assert all(d["severity"] == "error" for d in of(found, "AIMS201"))
    records = {d["record"] for d in of(found, "AIMS201")}
    assert records == {"IA-1", "ORG-1", "R-1", "W-1"}


def test_resolving_references_are_not_reported(make_repo: Make, cli: Cli) -> None:
    assessment = (
        BROKEN_ASSESSMENT.replace("system: R-1", "system: SYS-1")
        .replace("[Applicants, Aplicants]", "[Applicants]")
        .replace("[R-1, ORG-1, SYS-1, R-404]", "[R-1, ORG-1, A.5.2]")
    )
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "systems/SYS-2.yaml": system("SYS-2"),
            "risks/R-1.yaml": BROKEN_RISK.replace("    - SYS-1\n", "    - A.5.4\n"),
            "assessments/IA-1.yaml": assessment,
            "controls/org.yaml": BROKEN_CONTROL.replace("SYS-9", "SYS-2"),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            # A waiver may name any kind of record.
            "waivers/W-1.yaml": BROKEN_WAIVER.replace("GHOST", "IA-1"),
        }
    )
    found = validate(cli, root)
    assert at(found, "AIMS201") == []


def test_records_that_failed_validation_are_not_missing(make_repo: Make, cli: Cli) -> None:
    # R-2 and SYS-2 exist but fail the schema: references to them are not "missing",
    # though a reference of the wrong kind to an invalid record is still wrong.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "systems/SYS-2.yaml": system("SYS-2", stage="live"),
            "risks/R-2.yaml": risk("R-2", status="unknown"),
            "risks/R-1.yaml": risk("R-1", systems=["SYS-1", "SYS-2", "R-2"]),
            "controls/annex-a.yaml": EXCLUDED_SOA,
        }
    )
    found = validate(cli, root, schema_ok=False)
    assert {d["code"] for d in found if d["code"] < "AIMS200"} == {"AIMS102"}
    assert [(d["path"], d["line"], d["column"], d["message"]) for d in of(found, "AIMS201")] == [
        ("risks/R-1.yaml", 6, 25, "systems names 'R-2', which is a Risk, not an AISystem"),
    ]


def test_a_reference_to_a_record_whose_own_id_is_invalid_points_at_it(
    make_repo: Make, cli: Cli
) -> None:
    # The nearest valid id (SYS-12) would send the reader to the wrong record.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system("SYS 1"),
            "systems/SYS-12.yaml": system("SYS-12"),
            "risks/R-1.yaml": risk("R-1", systems=["SYS-1"]),
            "controls/annex-a.yaml": EXCLUDED_SOA,
        }
    )
    found = validate(cli, root, schema_ok=False)
    assert [(d["path"], d["message"]) for d in of(found, "AIMS201")] == [
        (
            "risks/R-1.yaml",
            "systems names AISystem 'SYS-1', which does not exist; did you mean the "
            "record whose id 'SYS 1' is invalid?",
        ),
    ]


def test_a_reference_beside_a_record_whose_id_cannot_be_read_names_it_not_another_number(
    make_repo: Make, cli: Cli
) -> None:
    # risks/r7.yaml is a Risk with no `id:` (AIMS101), the R-7 the waiver means. The
    # waiver was told "did you mean 'R-2'?", another risk, by edit distance alone. Now
    # a close id of another number is not offered beside such a record, and the record
    # is named; a close id with the same numbers (a typo) still is.
    no_id = "kind: Risk\ntitle: Seven\nsystems: [SYS-HIRE]\n"
    files = {
        "systems/SYS-HIRE.yaml": system("SYS-HIRE"),
        "systems/x.yaml": "kind: AISystem\nid: 17\ntitle: Next\n",
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "risks/R-1.yaml": risk("R-1", systems=["SYS-HIRE"]),
        "risks/R-2.yaml": risk("R-2", systems=["SYS-HIRNG"]),
        "risks/r7.yaml": no_id,
        "waivers/w.yaml": yaml_of(
            {
                "kind": "Waiver",
                "id": "W-1",
                "title": "Temporary",
                "rule": "AIMS303",
                "records": ["R-7"],
                "justification": "Accepted next month.",
                "approved_by": "ciso@acme.example",
                "expires": "2027-01-31",
            }
        ),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert {d["record"]: d["message"] for d in of(found, "AIMS201")} == {
        "W-1": "records names record 'R-7', which does not exist; 2 records whose kind or "
        "id cannot be read (at risks/r7.yaml:1, systems/x.yaml:1) may include the one meant",
        "R-2": "systems names AISystem 'SYS-HIRNG', which does not exist; did you mean "
        "'SYS-HIRE'?; a record whose kind or id cannot be read (at systems/x.yaml:1) may be "
        "the one meant",
    }
    # Every record read in full: the nearest id is offered as before.
    files["risks/r7.yaml"] = files["systems/x.yaml"] = "# to be written\n"
    found = validate(cli, make_repo(files), schema_ok=False)
    assert {d["record"]: d["message"] for d in of(found, "AIMS201")} == {
        "W-1": "records names record 'R-7', which does not exist; did you mean 'R-2'?",
        "R-2": "systems names AISystem 'SYS-HIRNG', which does not exist; did you mean 'SYS-HIRE'?",
    }


def _waiver_of(waiver_id: str, rule: str, records: list[str]) -> str:
    return yaml_of(
        {
            "kind": "Waiver",
            "id": waiver_id,
            "title": "Temporary",
            "rule": rule,
            "records": records,
            "justification": "Accepted next month.",
            "approved_by": "ciso@acme.example",
            "expires": "2027-01-31",
        }
    )


def test_a_waiver_of_a_record_whose_id_cannot_be_read_is_not_called_simply_unused(
    make_repo: Make, cli: Cli
) -> None:
    # risks/r7.yaml is a Risk with no `id:` (AIMS101), the R-7 the waiver means. AIMS201
    # named it, but AIMS507 said "matches no finding on R-7; remove it": the finding it
    # waives may be on that record, once it can be read.
    files = {
        "systems/SYS-HIRE.yaml": system("SYS-HIRE"),
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "risks/R-1.yaml": risk("R-1", systems=["SYS-HIRE"], inherent=levels(5, 5)),
        "risks/r7.yaml": "kind: Risk\ntitle: Seven\nsystems: [SYS-HIRE]\n",
        "waivers/w1.yaml": _waiver_of("W-1", "AIMS303", ["R-7"]),
        "waivers/w2.yaml": _waiver_of("W-2", "AIMS303", ["R-1", "R-8"]),
        # SYS-HIRE is read in full: nothing unread may be it.
        "waivers/w3.yaml": _waiver_of("W-3", "AIMS303", ["SYS-HIRE"]),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    unread = "a record whose kind or id cannot be read (at risks/r7.yaml:1) may be the one meant"
    assert {d["record"]: d["message"] for d in of(found, "AIMS507")} == {
        "W-1": f"waiver of AIMS303 matches no finding on R-7; {unread} by R-7: fix that "
        "first, then remove the waiver or correct its rule and records if it still matches "
        "nothing",
        "W-2": f"waiver of AIMS303 matches no finding on R-8 (it covers R-1); {unread} by "
        "R-8: fix that first, then remove it from its records if the waiver still matches "
        "nothing on it",
        "W-3": "waiver of AIMS303 matches no finding on SYS-HIRE; remove it or correct its "
        "rule and records",
    }
    # Every record read in full: unused, as before.
    files["risks/r7.yaml"] = "# to be written\n"
    found = validate(cli, make_repo(files), schema_ok=False)
    assert {d["record"]: d["message"] for d in of(found, "AIMS507")} == {
        "W-1": "waiver of AIMS303 matches no finding on R-7; remove it or correct its rule "
        "and records",
        "W-2": "waiver of AIMS303 matches no finding on R-8 (it covers R-1); remove it from "
        "its records",
        "W-3": "waiver of AIMS303 matches no finding on SYS-HIRE; remove it or correct its "
        "rule and records",
    }


def test_a_waiver_of_a_record_that_fails_validation_cannot_be_judged_yet(
    make_repo: Make, cli: Cli
) -> None:
    # R-7 is a Risk that fails validation (no `systems`, `inherent`...): AIMS303 never
    # runs on it, yet AIMS507 said "matches no finding on R-7; remove it", advice to
    # delete a waiver whose finding may be there once R-7 is fixed.
    files = {
        "systems/SYS-HIRE.yaml": system("SYS-HIRE"),
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "risks/R-1.yaml": risk("R-1", systems=["SYS-HIRE"], inherent=levels(5, 5)),
        "risks/R-7.yaml": "kind: Risk\nid: R-7\ntitle: Seven\n",
        "waivers/w1.yaml": _waiver_of("W-1", "AIMS303", ["R-7"]),
        "waivers/w2.yaml": _waiver_of("W-2", "AIMS303", ["R-1", "R-7"]),
        # SYS-HIRE is valid and AIMS303 finds nothing on it: unused, as before.
        "waivers/w3.yaml": _waiver_of("W-3", "AIMS303", ["SYS-HIRE"]),
        # A Risk with no id may be R-8, not R-7, which is there: named for R-8 alone.
        "risks/r8.yaml": "kind: Risk\ntitle: Eight\n",
        "waivers/w4.yaml": _waiver_of("W-4", "AIMS303", ["R-7", "R-8"]),
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    unjudged = (
        "R-7 fails validation and may be the one with a finding to waive (AIMS303 does not "
        "run on a record that fails validation, so the waiver cannot be judged yet): fix "
        "that first"
    )
    assert {d["record"]: d["message"] for d in of(found, "AIMS507")} == {
        "W-1": f"waiver of AIMS303 matches no finding on R-7; {unjudged}, then remove the "
        "waiver or correct its rule and records if it still matches nothing",
        "W-2": f"waiver of AIMS303 matches no finding on R-7 (it covers R-1); {unjudged}, "
        "then remove it from its records if the waiver still matches nothing on it",
        "W-3": "waiver of AIMS303 matches no finding on SYS-HIRE; remove it or correct its "
        "rule and records",
        "W-4": "waiver of AIMS303 matches no finding on R-7, R-8; R-7 fails validation and "
        "may be the one with a finding to waive (AIMS303 does not run on a record that fails "
        "validation, so the waiver cannot be judged yet); a record whose kind or id cannot be "
        "read (at risks/r8.yaml:1) may be the one meant by R-8: fix that first, then remove "
        "the waiver or correct its rule and records if it still matches nothing",
    }
    # R-7 fixed, and below the appetite: the waivers are unused, as before.
    files["risks/R-7.yaml"] = risk("R-7", systems=["SYS-HIRE"], inherent=levels(1, 1))
    files["risks/r8.yaml"] = "# to be written\n"
    found = validate(cli, make_repo(files), schema_ok=False)
    assert {d["record"]: d["message"] for d in of(found, "AIMS507")} == {
        "W-1": "waiver of AIMS303 matches no finding on R-7; remove it or correct its rule "
        "and records",
        "W-2": "waiver of AIMS303 matches no finding on R-7 (it covers R-1); remove it from "
        "its records",
        "W-3": "waiver of AIMS303 matches no finding on SYS-HIRE; remove it or correct its "
        "rule and records",
        "W-4": "waiver of AIMS303 matches no finding on R-7, R-8; remove it or correct its "
        "rule and records",
    }


def test_references_into_a_file_that_cannot_be_read_are_noted_once(
    make_repo: Make, cli: Cli
) -> None:
    # risks/broken.yaml has a syntax error, so R-CL-2 in it never loads: a reference to
    # it is not "missing" (and no "did you mean R-CL-1"), it is unchecked, said once.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "risks/R-CL-1.yaml": risk("R-CL-1"),
            "risks/broken.yaml": "kind: Risk\nid: R-CL-2\ntitle: [unclosed\n",
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": control("ORG-1", status="planned"),
            "waivers/w.yaml": "kind: Waiver\nid: W-1\ntitle: t\nrule: AIMS503\n"
            "records: [R-CL-2, ORG-1]\njustification: j\napproved_by: a\nexpires: 2027-01-01\n",
        }
    )
    found = validate(cli, root, schema_ok=False)
    assert [(d["path"], d["line"], d["message"]) for d in of(found, "AIMS201")] == [
        (
            "risks/broken.yaml",
            1,
            "references to 'R-CL-2' were not checked: this file cannot be read, and the "
            "records may be in it; fix it first",
        )
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_references_into_a_file_saved_as_utf_16_are_noted_as_unchecked(
    make_repo: Make, cli: Cli, encoding: str
) -> None:
    # A record file an editor saved as UTF-16 is refused (AIMS002), so R-CL-2 in it
    # never loads. Its text was searched for the id as UTF-8, which finds none in
    # letters that each carry a NUL byte, so the waiver was told that R-CL-2 "does not
    # exist; did you mean 'R-CL-1'?": a record sent to the wrong one.
    text = yaml_of(risk("R-CL-2"))
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "risks/R-CL-1.yaml": risk("R-CL-1"),
            "risks/saved-by-notepad.yaml": text.encode(encoding),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "waivers/w.yaml": "kind: Waiver\nid: W-1\ntitle: t\nrule: AIMS503\n"
            "records: [R-CL-2]\njustification: j\napproved_by: a\nexpires: 2027-01-01\n",
        }
    )
    found = validate(cli, root, schema_ok=False)
    assert [(d["path"], d["message"]) for d in of(found, "AIMS201")] == [
        (
            "risks/saved-by-notepad.yaml",
            "references to 'R-CL-2' were not checked: this file cannot be read, and the "
            "records may be in it; fix it first",
        )
    ]


def test_impact_groups_need_the_assessments_own_stakeholders(make_repo: Make, cli: Cli) -> None:
    # The group is a stakeholder of the system, but not of this assessment.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(stakeholders=[{"group": "Patients"}]),
            "assessments/IA-1.yaml": BROKEN_ASSESSMENT.replace("system: R-1", "system: SYS-1")
            .replace("[Applicants, Aplicants]", "[Patients]")
            .replace("[R-1, ORG-1, SYS-1, R-404]", "[ORG-1]"),
            "controls/org.yaml": control(),
            "controls/annex-a.yaml": EXCLUDED_SOA,
        }
    )
    found = validate(cli, root)
    assert [(d["line"], d["column"], d["message"]) for d in of(found, "AIMS201")] == [
        (
            12,
            14,
            "impact group 'Patients' is not one of this assessment's stakeholder "
            "groups (listed: 'Applicants')",
        ),
    ]


def test_an_entry_named_twice_in_one_list_is_reported_where_it_repeats(
    make_repo: Make, cli: Cli
) -> None:
    # Every list kept resolving (no AIMS201), each with one entry written again.
    assessment = (
        BROKEN_ASSESSMENT.replace("system: R-1", "system: SYS-1")
        .replace("[Applicants, Aplicants]", "[Applicants, Applicants]")
        .replace("[R-1, ORG-1, SYS-1, R-404]", "[R-1, ORG-1, R-1]")
    )
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "systems/SYS-2.yaml": system("SYS-2"),
            "risks/R-1.yaml": BROKEN_RISK.replace("[SYS-1, SYS-2]", "[SYS-2, SYS-2]").replace(
                "    - SYS-1\n", "    - ORG-1\n"
            ),
            "assessments/IA-1.yaml": assessment,
            "controls/org.yaml": BROKEN_CONTROL.replace("SYS-9", "SYS-1"),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "waivers/W-1.yaml": BROKEN_WAIVER.replace("GHOST", "ORG-1"),
            "audits/AUD-1.yaml": "kind: InternalAudit\nid: AUD-1\ntitle: Audit\n"
            "status: planned\nplanned: 2027-03-01\nscope: ['9.2', A.5.2, '9.2']\n"
            "auditor: auditor@acme.example\nindependent: true\n",
        }
    )
    found = validate(cli, root)
    assert at(found, "AIMS201") == []
    assert [(d["path"], d["line"], d["column"], d["pointer"]) for d in of(found, "AIMS207")] == [
        ("assessments/IA-1.yaml", 12, 26, "/impacts/0/groups/1"),
        ("assessments/IA-1.yaml", 16, 31, "/impacts/0/mitigations/2"),
        ("audits/AUD-1.yaml", 6, 23, "/scope/2"),
        ("controls/org.yaml", 10, 5, "/systems/1"),
        ("risks/R-1.yaml", 6, 18, "/systems/1"),
        ("risks/R-1.yaml", 12, 7, "/treatment/controls/1"),
        ("waivers/W-1.yaml", 5, 18, "/records/1"),
    ]
    messages = {d["pointer"]: d["message"] for d in of(found, "AIMS207") if d["record"] == "R-1"}
    assert messages["/systems/1"] == (
        "systems names 'SYS-2' again (it is entry 1 of the list); another entry was probably meant"
    )
    assert all(d["severity"] == "warning" for d in of(found, "AIMS207"))


def test_a_tag_written_twice_is_reported_and_the_record_still_counts(
    make_repo: Make, cli: Cli
) -> None:
    # A slip in a free label is a warning, not a reason to drop the record.
    root = make_repo({"systems/SYS-1.yaml": system(tags=["eu", "hr", "eu"])})
    found = validate(cli, root)
    assert [(d["record"], d["pointer"], d["message"]) for d in of(found, "AIMS207")] == [
        (
            "SYS-1",
            "/tags/2",
            "tags names 'eu' again (it is entry 1 of the list); another entry was probably meant",
        )
    ]
    assert [d for d in found if d.get("record") == "SYS-1" and d["severity"] == "error"] == []


def test_a_review_input_listed_twice_is_reported(make_repo: Make, cli: Cli) -> None:
    # One of the seven inputs of 9.3.2 listed twice: another was probably meant, and it
    # passed in silence.
    from factory import management_review

    inputs = ["previous-actions", "external-internal-issues", "previous-actions"]
    root = make_repo({"reviews/MR-1.yaml": management_review("MR-1", inputs=inputs)})
    found = validate(cli, root)
    assert [(d["record"], d["pointer"]) for d in of(found, "AIMS207")] == [("MR-1", "/inputs/2")]


AUDIT_WITH_FINDINGS = """\
kind: InternalAudit
id: AUD-1
title: Audit
status: completed
planned: 2026-10-01
scope: ['4']
auditor: auditor@acme.example
independent: true
performed: {from: 2026-10-01, to: 2026-10-02}
findings:
  - id: F-1
    type: observation
    description: Minutes are kept in two places.
  - id: F-2
    type: opportunity
    description: Automate the risk review reminders.
  - id: F-2
    type: observation
    description: Two owners for one control.
  - id: F-1
    type: opportunity
    description: One template for impact assessments.
"""

ASSESSMENT_WITH_GROUPS = """\
kind: ImpactAssessment
id: IA-1
title: Ranking impact
system: SYS-1
status: draft
assessed: {on: 2026-06-01, by: dpo@acme.example}
stakeholders:
  - group: Applicants
  - group: Recruiters
  - group: Applicants
    vulnerable: true
impacts:
  - dimension: fairness
    scope: group
    groups: [Applicants]
    description: Lower ranks for some groups.
    likelihood: 2
    severity: 3
"""


def test_two_entries_of_one_record_with_one_id_or_group_are_reported_at_the_second(
    make_repo: Make, cli: Cli
) -> None:
    # Two findings F-2 (and two F-1) in one audit, two stakeholder groups 'Applicants'
    # in one assessment: a citation of either could mean both. Validate said nothing.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "audits/AUD-1.yaml": AUDIT_WITH_FINDINGS,
            "assessments/IA-1.yaml": ASSESSMENT_WITH_GROUPS,
        }
    )
    found = validate(cli, root)
    assert [
        (d["path"], d["line"], d["column"], d["record"], d["pointer"], d["severity"])
        for d in of(found, "AIMS209")
    ] == [
        ("assessments/IA-1.yaml", 10, 12, "IA-1", "/stakeholders/2/group", "warning"),
        ("audits/AUD-1.yaml", 17, 9, "AUD-1", "/findings/2/id", "warning"),
        ("audits/AUD-1.yaml", 20, 9, "AUD-1", "/findings/3/id", "warning"),
    ]
    messages = [d["message"] for d in of(found, "AIMS209")]
    assert messages[0] == (
        "stakeholder group 'Applicants' is given again (it is entry 1 of stakeholders); "
        "impacts name a group by it in `groups`, so which entry they mean (its concerns, "
        "whether it is vulnerable) cannot be told: give each its own name, or merge the two"
    )
    assert messages[1] == (
        "finding id 'F-2' is given again (it is entry 2 of findings); findings are cited by "
        "id (the management report, beside the nonconformity each raised; corrective "
        "actions; the audit trail), so a citation of it cannot tell which finding is meant: "
        "give each its own id"
    )
    assert messages[2].startswith("finding id 'F-1' is given again (it is entry 1 of findings)")
    assert of(found, "AIMS207") == []  # a repeated reference is another matter


def test_entries_of_one_record_each_with_their_own_id_or_group_are_silent(
    make_repo: Make, cli: Cli
) -> None:
    # The same id in two audits, the same group in two assessments: each is cited
    # within its own record, so neither is ambiguous.
    audit = AUDIT_WITH_FINDINGS.replace(
        "  - id: F-2\n    type: observation", "  - id: F-3\n    type: observation"
    )
    audit = audit.replace(
        "  - id: F-1\n    type: opportunity", "  - id: F-4\n    type: opportunity"
    )
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "audits/AUD-1.yaml": audit,
            "audits/AUD-2.yaml": audit.replace("id: AUD-1", "id: AUD-2"),
            "assessments/IA-1.yaml": ASSESSMENT_WITH_GROUPS.replace(
                "  - group: Applicants\n    vulnerable", "  - group: Children\n    vulnerable"
            ),
            "assessments/IA-2.yaml": ASSESSMENT_WITH_GROUPS.replace("id: IA-1", "id: IA-2").replace(
                "  - group: Applicants\n    vulnerable", "  - group: Children\n    vulnerable"
            ),
        }
    )
    found = validate(cli, root)
    assert of(found, "AIMS209") == []


def test_a_missing_id_is_matched_against_the_kinds_the_field_may_name(
    make_repo: Make, cli: Cli
) -> None:
    # `systems: [R-2]` was told "did you mean 'R-1'?", a Risk, which the field cannot
    # name; the hint is now drawn from the ids of the kinds the field takes.
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "risks/R-1.yaml": risk("R-1", systems=["R-2"]),
            "risks/R-3.yaml": risk("R-3", systems=["SYS-2"]),
        }
    )
    messages = {d["record"]: d["message"] for d in of(validate(cli, root), "AIMS201")}
    assert messages == {
        "R-1": "systems names AISystem 'R-2', which does not exist",
        "R-3": "systems names AISystem 'SYS-2', which does not exist; did you mean 'SYS-1'?",
    }


def test_a_missing_id_named_by_many_records_is_matched_once(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A deleted system named by 4,000 risks: each reference compared the id with every
    # id in the repository again (validate took 54 s instead of 2). The message of
    # every reference stays the same.
    from aimsctl.rules import references

    asked: list[str] = []
    real = references.did_you_mean

    def counted(name: str, choices: list[str]) -> str:
        asked.append(name)
        return real(name, choices)

    monkeypatch.setattr(references, "did_you_mean", counted)
    risks = {f"risks/R-{n}.yaml": risk(f"R-{n}", systems=["SYS-2"]) for n in range(30)}
    root = make_repo(
        {"systems/SYS-1.yaml": system(), "controls/annex-a.yaml": EXCLUDED_SOA, **risks}
    )
    from aimsctl.validation import check

    found = check(root, date.fromisoformat(AS_OF), use_cache=False)
    broken = [d for d in found.diagnostics if d.code == "AIMS201"]
    assert len(broken) == 30
    assert {d.message for d in broken} == {
        "systems names AISystem 'SYS-2', which does not exist; did you mean 'SYS-1'?"
    }
    assert asked == ["SYS-2"]


def test_a_group_in_another_unicode_form_is_the_same_group(make_repo: Make, cli: Cli) -> None:
    # "Élèves" with composed accents in `stakeholders` and decomposed ones (e plus a
    # combining mark, as some editors and PDFs write it) in an impact's `groups` look
    # alike: AIMS201 said the group was not listed and suggested the same-looking name,
    # and two stakeholders so written were not reported as one group given twice.
    composed, decomposed = "\u00c9l\u00e8ves", "E\u0301le\u0300ves"
    text = (
        ASSESSMENT_WITH_GROUPS.replace("group: Applicants\n", f"group: {composed}\n", 1)
        .replace("group: Applicants\n", f"group: {decomposed}\n")
        .replace("groups: [Applicants]", f"groups: [{decomposed}, {composed}]")
    )
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "assessments/IA-1.yaml": text,
        }
    )
    found = validate(cli, root)
    assert of(found, "AIMS201") == []
    assert [d["pointer"] for d in of(found, "AIMS209")] == ["/stakeholders/2/group"]
    assert [d["pointer"] for d in of(found, "AIMS207")] == ["/impacts/0/groups/1"]


def test_an_impact_on_a_vulnerable_group_in_another_unicode_form_is_on_a_vulnerable_group(
    make_repo: Make,
) -> None:
    from aimsctl.records import ImpactAssessment
    from aimsctl.repository import load_repository

    text = (
        ASSESSMENT_WITH_GROUPS.replace("  - group: Applicants\n  - group: Recruiters\n", "")
        .replace("group: Applicants\n", "group: \u00c9l\u00e8ves\n")
        .replace("groups: [Applicants]", "groups: [E\u0301le\u0300ves]")
    )
    root = make_repo({"systems/SYS-1.yaml": system(), "assessments/IA-1.yaml": text})
    [assessment] = load_repository(root, date.fromisoformat(AS_OF)).of_kind(ImpactAssessment)
    assert assessment.on_vulnerable(assessment.impacts[0])


def test_the_id_lists_are_each_repository_s_own(make_repo: Make) -> None:
    """The id lists AIMS201 and AIMS207 read are those of the repository asked about,
    and the lists of records `of_kind` gives are new each time (one changed by a caller
    changes nothing after)."""
    from aimsctl.records import Risk
    from aimsctl.repository import Repository, load_repository
    from aimsctl.rules.references import id_lists

    as_of = date.fromisoformat(AS_OF)
    files = {"systems/SYS-1.yaml": system(), "controls/annex-a.yaml": EXCLUDED_SOA}
    one = load_repository(make_repo({**files, "risks/R-1.yaml": risk()}), as_of)
    # The same folder, R-1 now treated: a repository read again is another one.
    treated = risk(treatment={"option": "mitigate", "controls": ["A.2.2"]})
    two = load_repository(make_repo({**files, "risks/R-1.yaml": treated}), as_of)

    def risks_listed(repo: Repository) -> list[tuple[str, str]]:
        return [(ids.record, ids.field) for ids in id_lists(repo) if ids.record.startswith("R-")]

    assert risks_listed(one) == [("R-1", "systems")]
    assert risks_listed(two) == [("R-1", "systems"), ("R-1", "treatment.controls")]
    assert risks_listed(one) == [("R-1", "systems")]
    risks = two.of_kind(Risk)
    risks.clear()
    assert [r.id for r in two.of_kind(Risk)] == ["R-1"]


def test_ids_that_differ_only_in_letter_case_are_named(make_repo: Make, cli: Cli) -> None:
    """`r-ab` and `R-Ab` beside `R-AB` validated clean: ids are case-sensitive
    (records.md), so all stood, while people and `aimsctl new` took one for the other.
    AIMS211 now names each, at its id; distinct ids say nothing."""
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "risks/a.yaml": yaml_of(risk("R-AB", inherent=levels(1, 1))),
            "risks/b.yaml": yaml_of(risk("r-ab", inherent=levels(1, 1))),
            "risks/c.yaml": yaml_of(risk("R-Ab", inherent=levels(1, 1))),
            "risks/d.yaml": yaml_of(risk("R-41", inherent=levels(1, 1))),
        }
    )
    found = of(validate(cli, root), "AIMS211")
    assert sorted(d["path"] for d in found) == ["risks/a.yaml", "risks/b.yaml", "risks/c.yaml"]
    assert all(d["severity"] == "warning" and d["pointer"] == "/id" for d in found)
    by_path = {d["path"]: d["message"] for d in found}
    assert by_path["risks/b.yaml"] == (
        "id 'r-ab' reads as 'R-AB', 'R-Ab', the id of another record: ids that differ only "
        "in letter case are taken for one another"
    )
    # One that fails validation is named beside a valid one (the review found it left
    # out); it is reported by its own errors.
    (root / "risks/c.yaml").write_text("kind: Risk\nid: R-Ab\ntitle: t\n", encoding="utf-8")
    result = cli("validate", root, "--as-of", AS_OF, "--format", "json")
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "AIMS211"]
    assert sorted(d["path"] for d in found) == ["risks/a.yaml", "risks/b.yaml"]
    assert all("'R-Ab'" in d["message"] for d in found)
    # A document of no known kind is no record: its `id` reads as none.
    (root / "risks/c.yaml").write_text("kind: Bogus\nid: R-Ab\n", encoding="utf-8")
    result = cli("validate", root, "--as-of", AS_OF, "--format", "json")
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "AIMS211"]
    assert sorted(d["path"] for d in found) == ["risks/a.yaml", "risks/b.yaml"]
    assert not any("'R-Ab'" in d["message"] for d in found)


def test_a_missing_annex_a_control_names_the_record_spelt_in_another_case(
    make_repo: Make, cli: Cli
) -> None:
    """`id: a.5.2`, meant to exclude A.5.2, left AIMS202 saying only that A.5.2 has no
    Control record; it now names the record and says ids are case-sensitive."""
    soa = EXCLUDED_SOA.replace("id: A.5.2\n", "id: a.5.2\ntitle: Impact assessment\n", 1)
    assert soa != EXCLUDED_SOA
    root = make_repo({"systems/SYS-1.yaml": system(), "controls/annex-a.yaml": soa})
    found = [d["message"] for d in of(validate(cli, root), "AIMS202")]
    assert found == [
        "Statement of Applicability has no Control record for Annex A A.5.2 'AI system impact "
        "assessment process'; include it with a status or exclude it with a justification; the "
        "record 'a.5.2' differs from it in letter case only, and ids are case-sensitive: if it "
        "is meant as this control, write its id as the catalogue does"
    ]
