"""What makes a report a document an auditor can sign: the standard with its edition,
the clauses each report evidences, and document control from `documents:` of aims.yaml."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, repository_files, write_repository

from aimsctl.catalog import standard
from aimsctl.reports import NAMES, REPORTS, Provenance, render_reports
from aimsctl.repository import Repository, load_repository

EDITION = "ISO/IEC 42001:2023"
# The clauses and Annex A items each report is evidence for (the registry holds them).
CLAUSES = {
    "soa": ("6.1.3",),
    "inventory": ("4.1", "A.4"),
    "risks": ("6.1.2", "6.1.3", "8.2", "8.3"),
    "impact": ("6.1.4", "8.4", "A.5"),
    "systems": ("A.6.2.7", "A.8.2"),
    "monitoring": ("9.1", "A.6.2.4", "A.6.2.6", "A.8.4"),
    "management": ("5.2", "5.3", "6.2", "9.2", "9.3", "10.2"),
    "readiness": ("4", "5", "6", "7.5", "8", "9", "10", "Annex A"),
}


def _repository(root: Path, config: str | None = None) -> Repository:
    files = repository_files()
    if config is not None:
        files["aims.yaml"] = config
    write_repository(root, files)
    return load_repository(root, date.fromisoformat(AS_OF))


def _flat(html: str) -> str:
    """The text of an HTML fragment as a reader sees it: block tags become spaces,
    inline tags (span, code, strong) disappear, spaces collapse."""
    blocks = re.sub(r"</?(?:dl|dt|dd|p|ul|li|table|tr|th|td|h\d|div|section|br)\b[^>]*>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", "", blocks).split())


def _render(repo: Repository, fmt: str) -> dict[str, str]:
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("Golden Test Org", "", day, "abc")
    return render_reports(repo, list(NAMES), fmt, provenance, out=repo.root / "r", index=True)


@pytest.fixture(scope="module")
def golden_repo(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    return _repository(tmp_path_factory.mktemp("document"))


def test_the_edition_comes_from_the_catalogue() -> None:
    assert standard() == EDITION


def test_each_report_states_the_clauses_it_evidences_in_its_registry_entry() -> None:
    assert {name: info.clauses for name, info in REPORTS.items()} == CLAUSES
    for info in REPORTS.values():  # stated once: the descriptions do not repeat them
        assert not re.search(r"\((clause )?[0-9A]\.[0-9]", info.description), info.name


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_report_names_the_standard_with_its_edition_and_its_clauses(
    golden_repo: Repository, fmt: str
) -> None:
    rendered = _render(golden_repo, fmt)
    for name in NAMES:
        text = rendered[f"{name}.{fmt}"]
        if fmt == "html":
            text = _flat(text)
        stated = ", ".join(CLAUSES[name])
        assert f"{EDITION}; this report evidences {stated}" in text, name
    index = rendered[f"index.{fmt}"]
    assert EDITION in index
    for name in NAMES:  # the index lists what each report evidences
        assert ", ".join(CLAUSES[name]) in index


def test_markdown_document_control_full_partial_and_none(golden_repo: Repository) -> None:
    rendered = _render(golden_repo, "md")
    assert (
        "**Document control**\n\n"
        "- **Standard:** ISO/IEC 42001:2023; this report evidences 6.1.3\n"
        "- **Document:** GT-AIMS-004, version 2.1\n"
        "- **Owner:** compliance-lead@golden.example\n"
        "- **Approved:** by chief-executive@golden.example on 2026-10-15\n"
        "- **Next review:** 2027-10-15\n"
    ) in rendered["soa.md"]
    assert (
        "- **Document:** GT-AIMS-006, version 1.3\n- **Owner:** not set\n"
        "- **Approved:** no approval recorded\n- **Next review:** not set\n"
    ) in rendered["risks.md"]
    for name in ("inventory", "impact", "systems"):
        assert (
            f"- **Document control:** none set in aims.yaml (no `{name}` entry under "
            "`documents:`)\n"
        ) in rendered[f"{name}.md"]
    # Next to the provenance, before the report's own content.
    soa = rendered["soa.md"]
    assert soa.index("- **As of:**") < soa.index("**Document control**") < soa.index("## Summary")


def test_html_document_control_sits_in_the_header(golden_repo: Repository) -> None:
    rendered = _render(golden_repo, "html")
    soa = rendered["soa.html"]
    header = _flat(soa[soa.index("<header>") : soa.index("</header>")])
    assert (
        "Document GT-AIMS-004, version 2.1 Owner compliance-lead@golden.example "
        "Approved by chief-executive@golden.example on 2026-10-15 Next review 2027-10-15"
    ) in header
    inventory = rendered["inventory.html"]
    assert "Document control none set in aims.yaml (no inventory entry under documents:)" in (
        _flat(inventory[: inventory.index("</header>")])
    )
    assert '<dl class="provenance document-control" aria-label="Document control">' in soa


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_approval_after_the_as_of_date_and_a_passed_review_are_flagged(
    tmp_path: Path, fmt: str
) -> None:
    config = (
        "version: 1\norganization: Golden Test Org\ndocuments:\n"
        "  soa: {id: D-1, approval: {by: ceo@golden.example, on: 2026-12-01}, "
        "next_review: 2026-11-25}\n"
        "  risks: {id: D-2, approval: {by: ceo@golden.example, on: 2026-11-26}, "
        "next_review: 2026-11-26}\n"
    )
    rendered = _render(_repository(tmp_path / "repo", config), fmt)
    soa, risks = rendered[f"soa.{fmt}"], rendered[f"risks.{fmt}"]
    if fmt == "html":
        soa, risks = _flat(soa), _flat(risks)
    assert "on 2026-12-01 (dated after the as-of date)" in soa
    assert "2026-11-25 (overdue)" in soa
    # On the as-of date itself: approved, and not yet overdue.
    assert "D-2" in risks and "by ceo@golden.example on 2026-11-26" in risks
    assert "(dated after the as-of date)" not in risks and "(overdue)" not in risks


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_approval_by_a_placeholder_is_shown_as_no_approval(tmp_path: Path, fmt: str) -> None:
    """`approval: {by: "TODO: who approves"}` printed "Approved: by TODO: who approves
    on 2026-10-01", unflagged, on a report an auditor may be handed as approved, while
    readiness already refused it for 7.5.2 (and AIMS107 now reports it)."""
    config = (
        "version: 1\norganization: Golden Test Org\ndocuments:\n"
        "  soa: {id: D-1, approval: {by: 'TODO: who approves', on: 2026-10-01}}\n"
        "  risks: {id: D-2, approval: {by: ceo@golden.example, on: 2026-10-01}}\n"
    )
    rendered = _render(_repository(tmp_path / "repo", config), fmt)
    soa, risks = rendered[f"soa.{fmt}"], rendered[f"risks.{fmt}"]
    if fmt == "html":
        soa, risks = _flat(soa), _flat(risks)
    assert (
        "not approved: approval.by is still a placeholder (TODO: who approves, dated 2026-10-01)"
        in soa
    )
    assert "by TODO: who approves" not in soa
    assert "by ceo@golden.example on 2026-10-01" in risks and "not approved" not in risks


def test_the_index_lists_each_reports_document(golden_repo: Repository) -> None:
    index = _render(golden_repo, "md")["index.md"]
    row = next(line for line in index.splitlines() if line.startswith("| [Statement"))
    assert row.endswith("| 6.1.3 | GT-AIMS-004, version 2.1 |")
    row = next(line for line in index.splitlines() if line.startswith("| [AI system inventory"))
    assert row.endswith("| 4.1, A.4 | no document control |")
