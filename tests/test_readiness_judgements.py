"""Readiness judges a record by the requirement it is judged for only through the one
table of requirement-specific judgements (``JUDGEMENTS``): the same table decides both
what a record is refused for and which judgements of a kind are kept apart. Each entry
is exercised: a record that fails only its check counts for every requirement its kind
declares but those the entry applies to, where the entry's message says why not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from aimsctl.readiness import JUDGEMENTS, Requirement, judgements_for, readiness
from aimsctl.records import (
    KINDS,
    Objective,
)
from aimsctl.records.clauses import covers
from aimsctl.repository import load_repository
from conftest import MINIMAL_CONFIG, write_files
from factory import (
    assessment,
    internal_audit,
    management_review,
    objective,
    risk,
    role,
    system,
)

AS_OF = date(2026, 11, 26)
MakeRepo = Callable[..., Path]

_WHOLE_SYSTEM = ["4", "5", "6", "7", "8", "9", "10"]

_FINDING = {"id": "F-1", "type": "observation", "reference": "9.2", "description": "Noted."}

# For each judgement of the table (by its check's name): a record that passes every
# judgement made for all requirements and every other judgement of its kind, and fails
# this one, and the message.
FAILING = {
    "_no_stakeholders": ("systems/SYS-1.yaml", system("SYS-1"), "SYS-1 lists no stakeholders"),
    "_none_heard": (
        "assessments/IA-1.yaml",
        # approved by ROLE-1's holder: no reason but its own to refuse it
        assessment("IA-1", approval={"by": "ceo@acme.example", "on": "2026-06-01"}),
        "IA-1 records no stakeholder engagement on or before 2026-11-26",
    ),
    "_untreated": ("risks/R-1.yaml", risk("R-1"), "R-1 records no treatment"),
    "_not_top_management": (
        "roles/ROLE-1.yaml",
        role("ROLE-1", top_management=False),
        "ROLE-1 is not top management",
    ),
    "_inputs_not_considered": (
        "reviews/MR-1.yaml",
        management_review("MR-1"),
        "MR-1 records no inputs it considered",
    ),
    # Planned in time, over the whole system: part of the programme (9.2.2), but no
    # audit conducted.
    "_not_conducted": (
        "audits/AUD-1.yaml",
        internal_audit("AUD-1", planned="2027-03-01", scope=_WHOLE_SYSTEM),
        "AUD-1 is planned, not completed",
    ),
    # Conducted, but before the programme's three years: no part of it.
    "_off_programme": (
        "audits/AUD-0.yaml",
        internal_audit(
            "AUD-0",
            status="completed",
            planned="2022-06-01",
            performed={"from": "2022-06-01", "to": "2022-06-03"},
            scope=_WHOLE_SYSTEM,
            findings=[_FINDING],
        ),
        "AUD-0 is dated before the programme's three years (since 2023-11-26)",
    ),
}


def _requirements(make_repo: MakeRepo, files: dict[str, object]) -> dict[str, Requirement]:
    found = readiness(load_repository(make_repo(files), AS_OF))
    return {r.id: r for line in found.lines for r in line.requirements}


def _declared(kind: str, requirements: dict[str, Requirement]) -> list[str]:
    return [r for r in requirements if any(covers(c, r) for c in KINDS[kind].CLAUSES)]


def test_every_entry_of_the_table_has_a_record_here_that_fails_it() -> None:
    assert JUDGEMENTS
    assert {judgement.check.__name__ for judgement in JUDGEMENTS} <= set(FAILING)


def test_each_requirement_specific_judgement_refuses_a_record_only_where_it_applies(
    tmp_path: Path,
) -> None:
    for judgement in JUDGEMENTS:
        kind = judgement.kind.KIND
        name = judgement.check.__name__
        _, content, message = FAILING[name]
        # Beside the records of other kinds, this kind's record for this judgement only:
        # another of its kind could evidence what this one is refused for.
        files = {
            path: record
            for other, (path, record, _) in FAILING.items()
            if other == name or record["kind"] != kind
        }
        root = tmp_path / name  # a repository of its own for each judgement
        write_files(root, {"aims.yaml": MINIMAL_CONFIG, **files})
        found_all = readiness(load_repository(root, AS_OF))
        requirements = {r.id: r for line in found_all.lines for r in line.requirements}
        record_id = content["id"]
        declared = _declared(kind, requirements)
        applying = [r for r in declared if judgement.applies(r)]
        # Each entry applies to some of what its kind declares, and not to all of it:
        # the record is judged for both, one after the other, and told apart.
        assert applying and len(applying) < len(declared), kind
        for requirement in declared:
            found = requirements[requirement]
            ids = [e.id for e in found.evidence]
            if requirement in applying:
                assert record_id not in ids, (kind, requirement)
                assert message in found.missing, (kind, requirement)
                assert judgement in judgements_for(judgement.kind, requirement)
            else:
                assert record_id in ids, (kind, requirement)
                assert message not in found.missing, (kind, requirement)
                assert judgement not in judgements_for(judgement.kind, requirement)


def test_a_kind_the_table_leaves_alone_counts_the_same_for_every_requirement(
    make_repo: MakeRepo,
) -> None:
    assert not any(issubclass(Objective, judgement.kind) for judgement in JUDGEMENTS)
    requirements = _requirements(
        make_repo, {"objectives/OBJ-1.yaml": objective("OBJ-1", status="on-track")}
    )
    declared = _declared(Objective.KIND, requirements)
    assert declared
    for requirement in declared:
        assert judgements_for(Objective, requirement) == ()
        assert [e.id for e in requirements[requirement].evidence] == ["OBJ-1"], requirement


def test_the_judgement_for_every_requirement_comes_before_the_specific_one(
    make_repo: MakeRepo,
) -> None:
    # A review held after the as-of date has not happened: that is why it evidences
    # neither 9.3.1 nor 9.3.2, the same message for both (not the inputs it lacks).
    requirements = _requirements(
        make_repo, {"reviews/MR-1.yaml": management_review("MR-1", held="2027-01-10")}
    )
    for requirement in ("9.3.1", "9.3.2"):
        assert requirements[requirement].missing == (
            "no ManagementReview record counts",
            "MR-1 is held on 2027-01-10, after the as-of date",
        ), requirement


def test_records_of_one_kind_are_told_apart_for_the_requirements_the_table_names(
    make_repo: MakeRepo,
) -> None:
    # R-2's treatment counts it for 6.1.3 and 8.3; R-1 counts only for the assessment.
    treated = risk(
        "R-2",
        treatment={"option": "accept"},
        residual={"likelihood": 1, "severity": 1},
    )
    requirements = _requirements(
        make_repo, {"risks/R-1.yaml": risk("R-1"), "risks/R-2.yaml": treated}
    )
    for requirement in ("6.1.2", "8.2"):
        assert [e.id for e in requirements[requirement].evidence] == ["R-1", "R-2"]
    for requirement in ("6.1.3", "8.3"):
        assert [e.id for e in requirements[requirement].evidence] == ["R-2"]
        assert requirements[requirement].missing == ()


def test_a_control_scoped_to_retired_systems_only_is_a_gap(make_repo: MakeRepo) -> None:
    """A.5.5 implemented with evidence, but scoped to a retired system alone, made its
    area ready: it is in place for nothing the management system runs."""
    from conftest import EXCLUDED_SOA
    from factory import control, system

    soa = "---\n".join(d for d in EXCLUDED_SOA.split("---\n") if "id: A.5.5\n" not in d)

    def files(stage: str) -> dict[str, object]:
        return {
            "controls/annex-a.yaml": soa,
            "controls/a55.yaml": control(
                "A.5.5",
                status="implemented",
                systems=["SYS-OLD"],
                evidence=[{"path": "evidence/a55.md"}],
            ),
            "evidence/a55.md": "Societal impact review\n",
            "systems/old.yaml": system("SYS-OLD", stage=stage),
        }

    retired = _requirements(make_repo, files("retired"))["A.5.5"]
    assert any("none of them an AI system in use" in why for why in retired.missing)
    in_use = _requirements(make_repo, files("production"))["A.5.5"]
    assert not any("in use" in why for why in in_use.missing)


def test_a_requirement_a_nonconformity_records_as_not_met_is_a_gap_until_it_closes(
    make_repo: MakeRepo,
) -> None:
    """A.8.4 implemented with evidence read "ready" beside the organization's own open
    nonconformity against it: a nonconformity is a requirement not fulfilled, so the
    requirement is a gap naming it until the nonconformity closes (as AIMS621 accepts a
    closure). A clause cited covers those below it; one raised after the as-of date, or
    citing nothing, names no requirement."""
    from conftest import EXCLUDED_SOA
    from factory import control, nonconformity

    soa = "---\n".join(d for d in EXCLUDED_SOA.split("---\n") if "id: A.8.4\n" not in d)
    done = {
        "description": "Rewrite the procedure",
        "owner": "cro@acme.example",
        "due": "2026-09-01",
        "done": "2026-08-20",
    }
    effective = {"on": "2026-10-01", "by": "cro@acme.example", "effective": True}

    def judged(**fields: object) -> dict[str, Requirement]:
        return _requirements(
            make_repo,
            {
                "controls/annex-a.yaml": soa,
                "controls/a84.yaml": control(
                    "A.8.4", status="implemented", evidence=[{"path": "evidence/a84.md"}]
                ),
                "evidence/a84.md": "Incident communication procedure\n",
                "nonconformities/NC-1.yaml": nonconformity("NC-1", **fields),
            },
        )

    open_one = judged(reference="A.8.4", correction="Procedure reissued")
    assert open_one["A.8.4"].state == "gap"
    assert open_one["A.8.4"].missing == ("NC-1 records it as not met and is open, not closed",)
    verifying = judged(reference="A.8.4", root_cause="No owner", actions=[done], status="verifying")
    assert verifying["A.8.4"].missing == (
        "NC-1 records it as not met and is verifying, not closed",
    )
    closed = judged(
        reference="A.8.4",
        root_cause="No owner",
        actions=[done],
        effectiveness=effective,
        status="closed",
    )
    assert closed["A.8.4"].state == "ready"
    not_effective = judged(
        reference="A.8.4",
        root_cause="No owner",
        actions=[done],
        effectiveness={**effective, "effective": False},
        status="closed",
    )
    assert (
        not_effective["A.8.4"]
        .missing[0]
        .startswith("NC-1 records it as not met and is closed, but")
    )
    clause = judged(reference="9", correction="Reports reviewed")
    assert [r for r, req in clause.items() if req.missing and "NC-1" in req.missing[-1]] == [
        "9.1",
        "9.2.1",
        "9.2.2",
        "9.3.1",
        "9.3.2",
        "9.3.3",
    ]
    assert judged(reference="A.8.4", raised="2026-12-01")["A.8.4"].state == "ready"
    assert judged()["A.8.4"].state == "ready"
    # Placeholder text in it does not make it unraised (review).
    held = judged(reference="A.8.4", correction="TODO: write what was done")
    assert held["A.8.4"].missing == ("NC-1 records it as not met and is open, not closed",)


def test_a_closure_that_does_not_stand_leaves_corrective_action_a_gap(
    make_repo: MakeRepo,
) -> None:
    """NC-1 closed on a review that found its corrective action not effective read 10.2
    "ready" beside NC-2 closed properly, while validate said AIMS621 and readiness's
    own 6.2 row named NC-1 (year-cycle audit). Such a closure leaves 10.2 a gap
    whatever the nonconformity cites; closed properly, 10.2 is ready."""
    from factory import nonconformity

    done = {"description": "Fix", "owner": "cro@acme.example", "due": "2026-09-01"}
    done["done"] = "2026-08-20"
    review = {"on": "2026-10-01", "by": "cro@acme.example", "effective": True}

    def closed(record_id: str, effective: bool) -> object:
        return nonconformity(
            record_id,
            reference="6.2",
            root_cause="No reminder",
            actions=[done],
            effectiveness={**review, "effective": effective},
            status="closed",
        )

    both = {f"nonconformities/{n}.yaml": closed(n, n == "NC-2") for n in ("NC-1", "NC-2")}
    judged = _requirements(make_repo, both)
    assert judged["10.2"].state == "gap"
    assert judged["10.2"].missing == (
        "NC-1 is closed, but its review found the corrective action not effective",
    )
    fine = {f"nonconformities/{n}.yaml": closed(n, True) for n in ("NC-1", "NC-2")}
    assert _requirements(make_repo, fine)["10.2"].state == "ready"


def test_a_policy_or_review_outside_top_management_evidences_neither(
    make_repo: MakeRepo,
) -> None:
    """A policy approved, or a management review chaired, by someone no top-management
    Role names read 5.2 and 9.3.1 "ready" beside validate's AIMS606 and readiness's own
    9.3.2 row saying no review counts (year-cycle audit). Clause 5.2 gives the policy
    to top management and 9.3 the review: a delegation shows neither."""
    from aimsctl.rules.management import REVIEW_INPUTS
    from factory import approved_policy

    inputs = list(REVIEW_INPUTS)
    files: dict[str, object] = {
        "roles/ceo.yaml": role("ceo", holder="ceo@acme.example", top_management=True),
        "roles/lead.yaml": role("lead", holder="lead@acme.example"),
    }

    def judged(by: str) -> dict[str, Requirement]:
        return _requirements(
            make_repo,
            {
                **files,
                "policies/POL-1.yaml": approved_policy(
                    "POL-1", on="2026-01-10", approval={"by": by, "on": "2026-01-10"}
                ),
                "reviews/MR-1.yaml": management_review("MR-1", chair=by, inputs=inputs),
            },
        )

    top = judged("ceo")
    assert (top["5.2"].state, top["9.3.1"].state, top["9.3.2"].state) == ("ready",) * 3
    delegated = judged("lead@acme.example")
    assert delegated["5.2"].state == delegated["9.3.1"].state == "gap"
    assert (
        delegated["5.2"]
        .missing[-1]
        .endswith("POL-1 is approved by 'lead@acme.example', who is not top management (AIMS606)")
    )
    assert (
        delegated["9.3.1"]
        .missing[-1]
        .endswith("MR-1 is chaired by 'lead@acme.example', who is not top management (AIMS606)")
    )


def test_an_audit_finding_keeps_its_requirement_a_gap_while_its_nonconformity_is_open(
    make_repo: MakeRepo,
) -> None:
    """Taking the `reference` off the nonconformity (or pointing it elsewhere) made the
    requirement ready again while the audit finding that raised it still cited it
    (review): what the findings cite counts as what the nonconformity records."""
    from factory import internal_audit, nonconformity

    finding = {
        "id": "F-1",
        "type": "minor-nonconformity",
        "reference": "A.8.4",
        "description": "Incident communication never exercised",
        "nonconformity": "NC-1",
    }
    audit = internal_audit(
        "AUD-1",
        status="completed",
        planned="2026-09-01",
        performed={"from": "2026-09-01", "to": "2026-09-02"},
        findings=[finding],
    )
    observation = {**finding, "id": "F-2", "type": "observation", "reference": "5.2"}
    planned = internal_audit(
        "AUD-2", planned="2027-03-01", findings=[{**finding, "id": "F-3", "reference": "5.3"}]
    )
    audit["findings"].append(observation)
    found = _requirements(
        make_repo,
        {
            "audits/AUD-1.yaml": audit,
            "audits/AUD-2.yaml": planned,
            "nonconformities/NC-1.yaml": nonconformity(
                "NC-1", reference="10.1", correction="Procedure reissued"
            ),
        },
    )
    assert (
        "finding F-1 of AUD-1 records it as not met, and NC-1, raised for it, is open, not closed"
    ) in found["A.8.4"].missing
    assert "NC-1 records it as not met and is open, not closed" in found["10.1"].missing
    # an observation raises nothing (review), and a planned audit has found nothing yet
    assert not any("NC-1" in why for why in found["5.2"].missing + found["5.3"].missing)


def test_a_finding_naming_an_earlier_nonconformity_leaves_corrective_action_a_gap(
    make_repo: MakeRepo,
) -> None:
    """A finding of AUD-2026 that named NC-1, raised and closed a year before the audit
    (AIMS615), left 10.2 ready: NC-1's closure stands, but nobody reacted to what
    AUD-2026 found. Neither 10.2 nor what the finding cites is met; a finding that
    names none is the same gap."""
    from factory import internal_audit, nonconformity

    finding = {
        "id": "F-1",
        "type": "minor-nonconformity",
        "reference": "7.2",
        "description": "Underwriters untrained",
        "nonconformity": "NC-1",
    }
    audit = internal_audit(
        "AUD-1",
        status="completed",
        planned="2026-06-08",
        performed={"from": "2026-06-08", "to": "2026-06-19"},
        findings=[finding, {**finding, "id": "F-2", "reference": "A.4.6", "nonconformity": None}],
    )
    del audit["findings"][1]["nonconformity"]
    closed = nonconformity(
        "NC-1",
        raised="2025-06-13",
        status="closed",
        correction="Fixed",
        root_cause="No check",
        effectiveness={"on": "2025-09-01", "by": "cro@acme.example", "effective": True},
    )
    found = _requirements(
        make_repo, {"audits/AUD-1.yaml": audit, "nonconformities/NC-1.yaml": closed}
    )
    why = (
        "finding F-1 of AUD-1 is a minor nonconformity but names NC-1, which was raised on "
        "2025-06-13, before the audit began on 2026-06-08: it was raised for something "
        "else, so it is no reaction to this finding (AIMS615)"
    )
    none = (
        "finding F-2 of AUD-1 is a minor nonconformity but names no Nonconformity record (AIMS615)"
    )
    assert found["10.2"].missing == (why, none)
    assert why in found["7.2"].missing
    assert none in found["A.4.6"].missing
    assert [e.id for e in found["10.2"].evidence] == ["NC-1"]


def test_an_objective_achieved_short_of_its_target_evidences_no_objective(
    make_repo: MakeRepo,
) -> None:
    """An objective `achieved` whose latest measurement (60%) does not meet its target
    (100%), or with no measurement, counted for 6.2 while validate said AIMS623: like
    a withdrawn one, it is not counted; one whose achievement is borne out is."""
    short = objective("OBJ-1", status="achieved", progress=[{"on": "2026-10-31", "value": "60%"}])
    found = _requirements(make_repo, {"objectives/OBJ-1.yaml": short})
    assert not found["6.2"].evidence
    assert any(
        "OBJ-1 is achieved, but its latest progress measurement, 60% on 2026-10-31, does "
        "not meet its target (100%) (AIMS623)" in why
        for why in found["6.2"].missing
    )
    unmeasured = objective("OBJ-1", status="achieved")
    found = _requirements(make_repo, {"objectives/OBJ-1.yaml": unmeasured})
    assert any(
        "OBJ-1 is achieved, but it records no progress measurement on or before 2026-11-26" in why
        for why in found["6.2"].missing
    )
    met = objective("OBJ-1", status="achieved", progress=[{"on": "2026-10-31", "value": "100%"}])
    found = _requirements(make_repo, {"objectives/OBJ-1.yaml": met})
    assert [e.id for e in found["6.2"].evidence] == ["OBJ-1"]


def test_an_audit_completed_with_no_findings_and_no_report_shows_no_results(
    make_repo: MakeRepo,
) -> None:
    """A completed internal audit that recorded neither what it found nor a report
    counted as an audit conducted (9.2.1): nothing shows its results (9.2.2). One
    finding, or a report, is enough to show them."""
    done = {
        "status": "completed",
        "planned": "2026-06-01",
        "performed": {"from": "2026-06-01", "to": "2026-06-03"},
        "scope": _WHOLE_SYSTEM,
    }
    hollow = _requirements(make_repo, {"audits/AUD-1.yaml": internal_audit("AUD-1", **done)})
    # The programme (9.2.2) counts an audit planned, let alone one completed.
    assert [e.id for e in hollow["9.2.2"].evidence] == ["AUD-1"]
    assert not hollow["9.2.1"].evidence
    assert "AUD-1 is completed but records no findings and no report" in str(
        hollow["9.2.1"].missing
    )
    for shown in ({"findings": [_FINDING]}, {"report": "evidence/audit.md"}):
        files: dict[str, object] = {"audits/AUD-1.yaml": internal_audit("AUD-1", **done, **shown)}
        files["evidence/audit.md"] = "The report.\n"
        found = _requirements(make_repo, files)
        assert [e.id for e in found["9.2.1"].evidence] == ["AUD-1"], shown


def test_an_empty_policy_text_audit_report_or_minutes_evidences_nothing(
    example_copy: Path,
) -> None:
    """An approved policy whose `document` is an empty file, and a review whose
    `minutes` are one, counted for 5.2 and 9.3: a text nobody wrote is none (as an
    empty evidence file shows no control at work, AIMS503)."""
    day = date(2026, 11, 26)
    before = {
        r.id: r
        for line in readiness(load_repository(example_copy, day)).lines
        for r in line.requirements
    }
    assert [e.id for e in before["5.2"].evidence] == ["POL-AI"]
    assert "MR-2026" in [e.id for e in before["9.3.1"].evidence]
    (example_copy / "evidence/policy/ai-policy.md").write_bytes(b"")
    (example_copy / "evidence/governance/management-review-2026-10.md").write_bytes(b"")
    after = {
        r.id: r
        for line in readiness(load_repository(example_copy, day)).lines
        for r in line.requirements
    }
    assert not after["5.2"].evidence
    empty = "names an empty file for its {}: it holds nothing to inspect (AIMS206)"
    assert "POL-AI " + empty.format("document") in after["5.2"].missing
    assert "MR-2026" not in [e.id for e in after["9.3.1"].evidence]
    assert "MR-2026 " + empty.format("minutes") in after["9.3.1"].missing


def test_a_vacant_role_is_neither_leadership_nor_a_responsibility_assigned(
    example_copy: Path,
) -> None:
    """Top-management roles whose holders left (`holder: vacant`) still made 5.1 ready:
    a role nobody holds leads nothing and is no responsibility assigned (5.3), as it
    approves and accepts nothing (AIMS606, AIMS305)."""
    day = date(2026, 11, 26)
    roles = example_copy / "roles" / "executive.yaml"
    text = roles.read_text(encoding="utf-8")
    holders = [line for line in text.splitlines() if line.startswith("holder: ")]
    for line in holders:
        text = text.replace(line + "\n", "holder: vacant\n")
    roles.write_text(text, encoding="utf-8")
    found = {
        r.id: r
        for line in readiness(load_repository(example_copy, day)).lines
        for r in line.requirements
    }
    assert not found["5.1"].evidence
    vacant = [
        why for why in found["5.1"].missing if why.endswith("is vacant: its holder is 'vacant'")
    ]
    assert len(vacant) == len(holders) > 0
    emptied = {line[len("id: ") :] for line in text.splitlines() if line.startswith("id: ")}
    assert emptied and not emptied & {e.id for e in found["5.3"].evidence}
