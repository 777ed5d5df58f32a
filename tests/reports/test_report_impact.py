"""The impact assessment report, and the inventory and system documentation that show
an assessment's next review, agree with `aimsctl validate` (AIMS502) and `aimsctl
due` on when each assessment is next due for review."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aimsctl.due import all_due
from aimsctl.engine import run
from aimsctl.reports import Provenance, render_reports
from aimsctl.repository import load_repository
from conftest import CliResult
from factory import OMIT, Record, assessment, control, risk, system

AS_OF = date(2026, 11, 26)
MakeRepo = Callable[..., Path]
PROVENANCE = Provenance("O", "", AS_OF, "c")
# A draft assessed in 2024 that sets no review date: the low tier's 730 days from
# its assessed date would be 2026-06-01, past the as-of date.
OLD_DRAFT = assessment(
    "IA-1",
    status="draft",
    assessed={"on": "2024-06-01", "by": "dpo@acme.example"},
    approval=OMIT,
    decision=OMIT,
)


def _low_tier(*assessments: Record) -> dict[str, Record]:
    """SYS-1, of the low tier (its one risk is low), and these assessments of it."""
    files = {
        "systems/SYS-1.yaml": system("SYS-1"),
        "risks/R-1.yaml": risk("R-1", inherent={"likelihood": 1, "severity": 1}),
    }
    files.update({f"assessments/{a['id']}.yaml": a for a in assessments})
    return files


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_draft_that_sets_no_review_date_is_not_overdue(make_repo: MakeRepo, fmt: str) -> None:
    # The report gave a draft the tier's review period from its assessed date and
    # called it overdue, while validate (AIMS502) and due gave it no review date: the
    # tier's period runs for an approved assessment only (records.md).
    in_review = assessment("IA-2", status="in-review", approval=OMIT, next_review="2026-11-01")
    files = _low_tier(OLD_DRAFT, in_review)
    repo = load_repository(make_repo(files), AS_OF)
    found = [(d.code, d.record) for d in run(repo).diagnostics if d.code == "AIMS502"]
    assert found == [("AIMS502", "IA-2")]
    assert [i.record for i in all_due(repo) if i.kind == "ImpactAssessment"] == ["IA-2"]
    text = render_reports(repo, ["impact"], fmt, PROVENANCE)[f"impact.{fmt}"]
    assert text.count("overdue") == 2  # IA-2, in the table and in its section
    if fmt == "md":
        assert "| draft | 2024-06-01 | — | — |" in text
        assert "| in-review | 2026-06-01 | proceed | 2026-11-01 (not approved) (overdue) |" in text
        assert (
            "- **Next review:** — (none set; the tier's review period runs for an approved "
            "assessment only)\n" in text
        )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_inventory_and_systems_give_a_draft_no_review_date(make_repo: MakeRepo, fmt: str) -> None:
    # The inventory called the draft's review overdue (2026-06-01: assessed plus the
    # low tier's 730 days) and the system documentation gave it that date, while
    # validate and due gave it none.
    files = _low_tier(OLD_DRAFT)
    repo = load_repository(make_repo(files), AS_OF)
    assert not [d for d in run(repo).diagnostics if d.code == "AIMS502"]
    assert not [i for i in all_due(repo) if i.kind == "ImpactAssessment"]
    texts = render_reports(repo, ["inventory", "systems"], fmt, PROVENANCE)
    for name in ("inventory", "systems"):
        text = texts[f"{name}.{fmt}"]
        assert "2026-06-01" not in text and "next review none set" in text


# An assessment whose approval is dated after the as-of date (2026-11-26).
_APPROVED_LATER = assessment("IA-1", approval={"by": "cro@acme.example", "on": "2026-12-01"})


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_inventory_and_systems_say_when_an_approval_does_not_count(
    make_repo: MakeRepo, fmt: str
) -> None:
    # An assessment marked approved on a later day showed as 'approved' in the inventory
    # and the system documentation, while AIMS401 said the system had no approved one.
    files = _low_tier(_APPROVED_LATER)
    repo = load_repository(make_repo(files), AS_OF)
    texts = render_reports(repo, ["inventory", "systems"], fmt, PROVENANCE)
    for name in ("inventory", "systems"):
        assert "not counted: IA-1 is approved only on 2026-12-01" in texts[f"{name}.{fmt}"]
    later = load_repository(make_repo(files), date(2026, 12, 1))
    texts = render_reports(later, ["inventory", "systems"], fmt, PROVENANCE)
    assert not any("not counted" in text for text in texts.values())


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_impact_report_says_when_an_approval_does_not_count(
    make_repo: MakeRepo, fmt: str
) -> None:
    # The inventory and the system documentation said "not counted" of an assessment
    # approved only after the as-of date, but the impact report, the record of the
    # assessments themselves, read "Status: approved" and counted it among the approved.
    files = _low_tier(_APPROVED_LATER)
    repo = load_repository(make_repo(files), AS_OF)
    text = render_reports(repo, ["impact"], fmt, PROVENANCE)[f"impact.{fmt}"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    assert text.count("approved (not counted: IA-1 is approved only on 2026-12-01)") == 2
    if fmt == "md":
        assert "By status: approved 0, marked approved but not counted 1, in-review 0," in text
    else:
        assert "Impact assessments: 1 (0 approved, 1 marked approved but not counted, " in text
    later = load_repository(make_repo(files), date(2026, 12, 1))
    text = render_reports(later, ["impact"], fmt, PROVENANCE)[f"impact.{fmt}"]
    assert "not counted" not in text


def _report(cli: Callable[..., CliResult], repo: Path, name: str, fmt: str) -> str:
    """The report ``name`` of ``repo`` as `aimsctl report` writes it, tags taken out."""
    result = cli("report", name, repo, "--as-of", AS_OF.isoformat(), "-f", fmt, "--out", "-")
    assert result.exit_code == 0, result.stderr
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", result.stdout))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_mitigation_by_a_control_not_implemented_is_not_in_place(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    # IA-CREDIT-2026 listed A.7.6 among the fairness impact's mitigations with no word
    # on it, though the Statement of Applicability has A.7.6 only planned: the report
    # read as if the mitigation were in place.
    text = _report(cli, example_in_git, "impact", fmt)
    assert "A.7.6 Data preparation (planned: not in place)" in text
    assert "ORG-1 Independent bias audit of employment and lending models (implemented)" in text
    assert "A.5.5 Assessing societal impacts of AI systems (partial: not in place)" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_mitigation_by_a_risk_shows_whether_its_treatment_is_in_place(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    # A Risk among the mitigations had no mark at all, beside controls marked "not in
    # place": R-006 (treatment relies on A.7.6, still planned) read as mitigating the
    # credit fairness impact as much as an implemented control. A Risk is in place
    # only where its treatment is, as records-v2 credits a residual: completed by the
    # as-of date, or every control it names implemented.
    text = re.sub(r"\s+", " ", _report(cli, example_in_git, "impact", fmt))
    assert (
        "R-006 Credit model discriminates through proxies (treatment mitigate, no completed "
        "date, not every control it names implemented: not in place)"
    ) in text
    # R-005's treatment was completed on 2026-03-27; R-015's controls are implemented.
    assert (
        "R-005 Bias audit or candidate notice lapses under NYC Local Law 144 (treatment "
        "mitigate, completed 2026-03-27)"
    ) in text
    assert (
        "R-015 Assistant gives confident but wrong answers (treatment mitigate, every "
        "control it names implemented)"
    ) in text
    # R-021 records no treatment; R-017 accepts the risk: neither mitigates anything.
    assert (
        "R-021 Address rules flag recent movers and migrants more often (no treatment "
        "recorded: not in place)"
    ) in text
    assert (
        "R-017 Energy and water use of large-model inference (treatment accept, no completed "
        "date: not in place)"
    ) in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_risk_whose_treatment_is_completed_only_after_the_as_of_date_is_not_in_place(
    make_repo: MakeRepo, fmt: str
) -> None:
    impact = {
        "dimension": "fairness",
        "scope": "group",
        "groups": [],
        "description": "Unequal outcomes.",
        "likelihood": 2,
        "severity": 2,
        "mitigations": ["R-1"],
    }
    files = _low_tier(assessment("IA-1", impacts=[impact]))
    treatment = {"option": "mitigate", "controls": [], "completed": "2026-12-01"}
    files["risks/R-1.yaml"] = risk(
        "R-1", inherent={"likelihood": 1, "severity": 1}, treatment=treatment,
        residual={"likelihood": 1, "severity": 1},
    )  # fmt: skip
    repo = load_repository(make_repo(files), AS_OF)
    text = render_reports(repo, ["impact"], fmt, PROVENANCE)[f"impact.{fmt}"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    assert "R-1 Risk R-1 (treatment mitigate, completed only on 2026-12-01: not in place)" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_control_undecided_or_scoped_elsewhere_mitigates_nothing(
    make_repo: MakeRepo, fmt: str
) -> None:
    # A control still holding a TODO: justification decides nothing, whatever its status
    # says; one implemented only for another system is not in place for this one.
    files = _low_tier(
        assessment(
            "IA-1",
            impacts=[
                {
                    "dimension": "fairness",
                    "scope": "group",
                    "groups": [],
                    "description": "Unequal outcomes.",
                    "likelihood": 2,
                    "severity": 2,
                    "mitigations": ["A.7.6", "A.7.3", "A.9.4"],
                }
            ],
        )
    )
    files["controls/c.yaml"] = [
        control("A.7.6", title=OMIT, justification="TODO: decide", status="implemented"),
        control("A.7.3", title=OMIT, status="implemented", systems=["SYS-2"]),
        control("A.9.4", title=OMIT, status="implemented"),
    ]
    files["systems/SYS-2.yaml"] = system("SYS-2")
    repo = load_repository(make_repo(files), AS_OF)
    text = render_reports(repo, ["impact"], fmt, PROVENANCE)[f"impact.{fmt}"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    assert "A.7.6 Data preparation (undecided (placeholder): not in place)" in text
    assert "A.7.3 Acquisition of data (implemented, not for SYS-1: not in place)" in text
    assert "A.9.4 Intended use of the AI system (implemented)" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_review_date_of_an_assessment_not_approved_is_marked(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    # IA-FRAUD-2026, still in review, showed "next review 2027-11-16" in the inventory
    # and the impact report as if it were a current assessment's. AIMS502 and `due`
    # still count that date, so it stays, marked.
    inventory = _report(cli, example_in_git, "inventory", fmt)
    assert "next review 2027-11-16 (not approved)" in inventory
    assert "next review 2027-03-12 (not approved)" not in inventory  # IA-CREDIT-2026
    assert inventory.count("(not approved)") == 1
    impact = _report(cli, example_in_git, "impact", fmt)
    assert "2027-11-16 (not approved)" in impact
    assert "set in the assessment, which is not approved" in impact
    systems = _report(cli, example_in_git, "systems", fmt)
    assert "next review 2027-11-16 (not approved)" in systems


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_assessment_of_a_system_that_fails_validation_keeps_the_shortest_period(
    cli: Callable[..., CliResult], example_copy: Path, fmt: str
) -> None:
    # SYS-OPSAGENT made invalid: the report gave IA-OPSAGENT-2026 (approved, assessed
    # 2026-11-18, no next_review) tier "unassessed" and its 365 days, 2027-11-18, and
    # called the system "no such system", while `due` and AIMS502 keep the shortest
    # period of any tier (90 days: 2027-02-16) and say why.
    path = example_copy / "systems" / "SYS-OPSAGENT.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("stage: development", "stage: nonsense"),
        encoding="utf-8",
    )
    due = cli("due", example_copy, "--as-of", AS_OF.isoformat(), "--within", "120")
    line = next(x for x in due.stdout.splitlines() if "IA-OPSAGENT-2026" in x)
    note = line[line.index("(SYS-OPSAGENT fails") + 1 : -1]
    assert line.startswith("2027-02-16") and "could not be judged" in note
    args = ("report", "impact", example_copy, "--as-of", AS_OF.isoformat(), "-f", fmt)
    result = cli(*args, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", result.stdout))
    text = html.unescape(text).replace("\\", "")  # HTML's and Markdown's escapes
    assert f"2027-02-16 (assessed date plus the review period ({note}))" in text
    assert "2027-11-18" not in text and "unassessed" not in text
    assert "SYS-OPSAGENT (fails validation)" in text
    assert "no such system" not in text
