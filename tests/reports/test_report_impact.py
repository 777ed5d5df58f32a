"""The impact assessment report, and the inventory and system documentation that show
an assessment's next review, agree with `aimsctl validate` (AIMS502) and `aimsctl
due` on when each assessment is next due for review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aimsctl.due import all_due
from aimsctl.engine import run
from aimsctl.reports import Provenance, render_reports
from aimsctl.repository import load_repository
from factory import OMIT, Record, assessment, risk, system

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
        assert "| in-review | 2026-06-01 | proceed | 2026-11-01 (overdue) |" in text
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


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_inventory_and_systems_say_when_an_approval_does_not_count(
    make_repo: MakeRepo, fmt: str
) -> None:
    # An assessment marked approved on a later day showed as 'approved' in the inventory
    # and the system documentation, while AIMS401 said the system had no approved one.
    files = _low_tier(assessment("IA-1", approval={"by": "cro@acme.example", "on": "2026-12-01"}))
    repo = load_repository(make_repo(files), AS_OF)
    texts = render_reports(repo, ["inventory", "systems"], fmt, PROVENANCE)
    for name in ("inventory", "systems"):
        assert "not counted: IA-1 is approved only on 2026-12-01" in texts[f"{name}.{fmt}"]
    later = load_repository(make_repo(files), date(2026, 12, 1))
    texts = render_reports(later, ["inventory", "systems"], fmt, PROVENANCE)
    assert not any("not counted" in text for text in texts.values())
