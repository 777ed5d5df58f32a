"""System documentation in two parts: what users and affected people need (purpose,
version, how to use it, limitations, contact), then the internal risk detail."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, Page, repository_files, write_repository

from aimsctl.reports import Provenance, render_reports
from aimsctl.repository import load_repository
from conftest import CliResult
from factory import control, levels, risk, yaml_of

USERS = "For users and affected people"
INTERNAL = "Internal: governance and risk detail"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = write_repository(tmp_path_factory.mktemp("systems"))
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    provenance = Provenance("O", "", day, "c")
    return {
        fmt: render_reports(repo, ["systems"], fmt, provenance, out=root / "r")[f"systems.{fmt}"]
        for fmt in ("md", "html")
    }


def _parts(text: str, system: str, fmt: str) -> tuple[str, str]:
    """The users' part and the internal part of one system's section."""
    if fmt == "md":
        start = text.index(f"## {system}:")
        end = text.find("\n## ", start + 1)
        section = text[start : end if end > 0 else len(text)]
        users, internal = section.split(f"### {INTERNAL}\n")
        assert f"### {USERS}\n" in users
        return users, internal
    start = text.index(f'data-system="{system}"')
    section = text[start : text.index("</section>\n</section>", start)]
    users = section[section.index('<section class="part for-users"') :]
    users, internal = users.split('<section class="part internal"')
    assert f">{USERS}</h3>" in users and f">{INTERNAL}</h3>" in internal
    return users, internal


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_users_part_holds_what_users_need_and_no_risk_detail(
    rendered: dict[str, str], fmt: str
) -> None:
    users, internal = _parts(rendered[fmt], "SYS-HIRE", fmt)
    for shown in (
        "Rank applications so recruiters read the best matches first.",  # purpose
        "Recruiters",  # intended users
        "2.4.1",  # version
        "Open the review queue; read each application in full before deciding.",
        "talent-ai@golden.example",  # contact
        "Rejecting applicants on the rank alone",  # limitations: foreseeable misuse
        "Ranking repeats past hiring imbalances",  # limitations: a risk still open
        "How to use it",
        "Limitations",
    ):
        assert shown in users, shown
    for kept_inside in ("Risks and treatments", "Controls", "Impact assessments", "Data"):
        assert kept_inside not in users and kept_inside in internal, kept_inside
    assert "A.6.2.7" not in users and "A.6.2.7" in internal  # the controls table
    assert "Tier" not in users and "Tier" in internal


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_users_part_shows_the_latest_evaluation_with_its_trend_and_the_monitors(
    rendered: dict[str, str], fmt: str
) -> None:
    users, internal = _parts(rendered[fmt], "SYS-HIRE", fmt)
    assert "How well it performs" in users and "How it is monitored" in users
    # The latest evaluation only, against the one before it.
    assert "EVAL-HIRE-2" in users and "EVAL-HIRE-1" in users  # "trend against EVAL-HIRE-1"
    assert users.index("EVAL-HIRE-2") < users.index("EVAL-HIRE-1")
    assert "Applications scored" not in users  # a metric only the older one has
    if fmt == "md":
        assert "| Top-band precision | 0.83 | ≥ 0.75 | pass | better (was 0.81) |" in users
        assert (
            "| Scoring-rate impact ratio (Applicants with disabilities) | 0.76 | ≥ 0.8 | fail "
            "| worse (was 0.9) |" in users
        )
        # Each monitor with a small table of its latest observations.
        assert "| 2026-11-05 | 0.78 | no | export after the parser update |" in users
        assert "| 2026-10-31 | 0.34 | no | Told the recruiting leads. |" in users
    else:
        page = Page(users)
        assert [a["data-monitor"] for a in page.find("div") if "data-monitor" in a] == [
            "MON-HIRE-QUEUE",
            "MON-HIRE-RATIO",
        ]
        assert len(page.find("svg")) == 2 and page.find("script") == []
        assert {a["class"] for a in page.find("circle")} >= {"spark-breach", "spark-last"}
        assert "worse" in page.text and "better" in page.text
    # Who tracks a failing metric, and the history, stay inside.
    assert "R-1" not in users.split("Limitations")[0]
    for inside in ("INC-1", "Parser update sank screen-reader résumés"):
        assert inside not in users and inside in internal
    assert "EVAL-HIRE-1" in internal and "EVAL-HIRE-2" in internal


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_system_without_evaluations_or_monitors_says_so(
    rendered: dict[str, str], fmt: str
) -> None:
    users, internal = _parts(rendered[fmt], "SYS-CHAT", fmt)
    assert "No evaluation of this system is recorded." in users
    assert "No monitor watches this system." in users
    assert "None recorded." in internal


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_missing_version_instructions_and_contact_are_said_so(
    rendered: dict[str, str], fmt: str
) -> None:
    users, _ = _parts(rendered[fmt], "SYS-CHAT", fmt)
    assert "No instructions for use are recorded." in users
    if fmt == "md":
        assert "- **Version:** not recorded\n" in users
        assert "- **Contact:** not recorded\n" in users
    else:
        assert '<dt>Version</dt><dd><span class="muted">not recorded</span></dd>' in users
        assert '<dt>Contact</dt><dd><span class="muted">not recorded</span></dd>' in users


def test_each_part_starts_on_its_own_page_in_print(rendered: dict[str, str]) -> None:
    html = rendered["html"]
    assert "section.record { break-before: page;" in html
    assert "section.part.internal { break-before: page;" in html


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_annex_a_controls_with_no_valid_record_are_named_undecided(
    tmp_path: Path, fmt: str
) -> None:
    """A.2.2 has no Control record (AIMS202, so only `report --force` renders this) and
    A.2.3 one that fails validation: neither is decided, as a placeholder is not, and
    the count of the controls for every system says so; it named only the applicable
    ones and the placeholders, as though the Statement of Applicability were complete."""
    files = repository_files(omit=("A.2.2", "A.2.3"))
    files["controls/broken.yaml"] = "kind: Control\nid: A.2.3\napplicable: maybe\n"
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("O", "", day, "c")
    text = render_reports(load_repository(root, day), ["systems"], fmt, provenance)[
        f"systems.{fmt}"
    ]
    _, chat = _parts(text, "SYS-CHAT", fmt)
    assert (
        "1 further applicable control applies to every system, and 2 Annex A controls are "
        "not decided: they have no valid Control record (see the Statement of "
        "Applicability)." in chat
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_placeholder_control_is_shown_undecided_not_applicable(tmp_path: Path, fmt: str) -> None:
    """A Control whose justification is still the starter's TODO decides nothing, as the
    SoA and `aimsctl controls` say: one scoped to the system is listed as undecided
    though it says `applicable: false`, and one for every system is not counted among
    the applicable controls though it says `applicable: true` and `implemented`."""
    files = repository_files(omit=("A.2.2", "A.2.3"))
    files["controls/todo.yaml"] = yaml_of(
        [
            control("A.2.2", justification="TODO: why", applicable=False, systems=["SYS-HIRE"]),
            control("A.2.3", justification="TODO: why", status="implemented"),
        ]
    )
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("O", "", day, "c")
    text = render_reports(load_repository(root, day), ["systems"], fmt, provenance)[
        f"systems.{fmt}"
    ]
    _, hire = _parts(text, "SYS-HIRE", fmt)
    _, chat = _parts(text, "SYS-CHAT", fmt)
    if fmt == "md":
        assert "| A.2.2 Control A.2.2 | **undecided (placeholder)** | ciso@acme.example |" in hire
    else:
        assert '<span class="id">A.2.2</span>' in hire
        assert '<span class="pill state-placeholder">undecided (placeholder)</span>' in hire
        assert "<caption>Applicable controls, and undecided ones, scoped to SYS-HIRE" in hire
    assert "A.2.3" not in hire
    assert (
        "0 further applicable controls apply to every system, and 1 further control is "
        "still an undecided placeholder (see the Statement of Applicability)." in hire
    )
    assert (
        "1 further applicable control applies to every system, and 1 further control is "
        "still an undecided placeholder (see the Statement of Applicability)." in chat
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_residual_not_yet_in_place_is_shown_planned_with_the_current_band(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    """The risks of a system showed each residual as if in place: R-016 (its treatment
    relies on A.10.3, still partial) read "medium 8" beside "above appetite", a
    contradiction the risk register resolves with "(planned)" and a current band of
    high (inherent). The system documentation now says the same."""
    result = cli("report", "systems", example_in_git, "--as-of", AS_OF, "-f", fmt, "--out", "-")
    assert result.exit_code == 0, result.stderr
    _, internal = _parts(result.stdout, "SYS-ASSIST", fmt)
    table = internal[internal.index("Risks and treatments") : internal.index("Controls")]
    text = re.sub(r"<[^>]+>", "", table)  # the cells' words, in either format
    r015, r016 = text.split("R-015", 1)[1].split("R-017")[0].split("R-016")
    rows = {"R-015": r015, "R-016": r016}
    planned = "(planned)" if fmt == "md" else "planned: the treatment is not in place"
    assert planned in rows["R-016"] and "high (inherent)" in rows["R-016"]
    assert planned not in rows["R-015"] and "medium (residual)" in rows["R-015"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_how_it_is_monitored_says_how_many_observations_and_every_breach(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    """Markdown showed a monitor's last five observations and nothing more: SYS-ASSIST's
    grounding monitor read five rows all within the threshold, though it holds 17 and
    one of them, 0.943 on 2026-10-19, breached it (the HTML sparkline draws it as a red
    dot, with no words). Both now say how many observations there are, which the table
    shows, and each breach of the threshold by date and value."""
    result = cli("report", "systems", example_in_git, "--as-of", AS_OF, "-f", fmt, "--out", "-")
    assert result.exit_code == 0, result.stderr
    users, _ = _parts(result.stdout, "SYS-ASSIST", fmt)
    monitored = re.sub(r"<[^>]+>", "", users.split("How it is monitored", 1)[1])
    monitored = monitored.split("Limitations", 1)[0]
    assert "17 observations" in monitored
    assert "outside the threshold: 0.943 on 2026-10-19" in monitored
    if fmt == "md":
        assert "the last 5" in monitored
    credit, _ = _parts(result.stdout, "SYS-CREDIT", fmt)
    assert "none outside the threshold" in re.sub(r"<[^>]+>", "", credit)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_evaluation_marks_one_a_later_evaluation_superseded(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    """The internal list of a system's evaluations read "EVAL-CREDIT-2026-02 ...: fail"
    with nothing to say that EVAL-CREDIT-2026-03, performed later and passed, now speaks
    for SYS-CREDIT: an auditor took the failure for the system's current state. Each
    earlier evaluation now says "superseded by" the latest, as the monitoring report
    does, a pass too; the latest never."""
    result = cli("report", "systems", example_in_git, "--as-of", AS_OF, "-f", fmt, "--out", "-")
    assert result.exit_code == 0, result.stderr
    _, credit = _parts(result.stdout, "SYS-CREDIT", fmt)
    listed = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", credit.split("Evaluations", 1)[1]))
    listed = listed.split("Incidents", 1)[0]
    assert "fail (superseded by EVAL-CREDIT-2026-03 of 2026-03-27)" in listed
    assert listed.count("(superseded by ") == 1
    _, assist = _parts(result.stdout, "SYS-ASSIST", fmt)
    listed = re.sub(r"<[^>]+>", "", assist.split("Evaluations", 1)[1]).split("Incidents")[0]
    assert "pass (superseded by EVAL-ASSIST-2026-10 of 2026-10-08)" in listed
    assert "superseded by EVAL-ASSIST-2026-04" not in listed


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_evaluation_after_the_as_of_date_is_said_so_and_supersedes_nothing(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    """As of 2026-06-01 EVAL-ASSIST-2026-10 (performed 2026-10-08) was listed among
    SYS-ASSIST's evaluations as "fail", as if already performed. It is now marked as
    dated after the as-of date, as the monitoring report marks it, and the earlier
    EVAL-ASSIST-2026-04 is the latest, superseded by nothing."""
    result = cli(
        "report", "systems", example_in_git, "--as-of", "2026-06-01", "-f", fmt, "--out", "-",
        "--force",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    _, assist = _parts(result.stdout, "SYS-ASSIST", fmt)
    listed = re.sub(r"<[^>]+>", "", assist.split("Evaluations", 1)[1]).split("Incidents")[0]
    assert "2026-10-08 (dated after the as-of date)" in listed
    assert "superseded by" not in listed


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_incident_detected_after_the_as_of_date_is_said_so(
    cli: Callable[..., CliResult], example_in_git: Path, fmt: str
) -> None:
    """As of 2026-06-01 SYS-TRIAGE's incidents read "INC-2026-02 ...: detected
    2026-09-16, severity Severe, serious, contained", an incident three months ahead
    listed as past, while the monitoring report marks the same date as after the as-of
    date. The system documentation now marks it the same way."""
    result = cli(
        "report", "systems", example_in_git, "--as-of", "2026-06-01", "-f", fmt, "--out", "-",
        "--force",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    _, triage = _parts(result.stdout, "SYS-TRIAGE", fmt)
    listed = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", triage.split("Incidents", 1)[1]))
    assert "detected 2026-09-16 (dated after the as-of date)" in listed
    _, assist = _parts(result.stdout, "SYS-ASSIST", fmt)
    listed = re.sub(r"<[^>]+>", "", assist.split("Incidents", 1)[1])
    assert "detected 2026-05-11, " in listed  # before the as-of date: no mark


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_latest_evaluation_of_another_version_says_which_version_is_documented(
    cli: Callable[..., CliResult], tmp_path: Path, fmt: str
) -> None:
    """The users' part read "Version: 2.5.0" and then "Latest evaluation: EVAL-HIRE-2
    ... version 2.4.1: fail" under "How well it performs", as if that were how the
    documented version performs; the monitoring report says the system documents
    another version. The system documentation now says so too."""
    files = repository_files()
    hire = str(files["systems/hire.yaml"])
    files["systems/hire.yaml"] = hire.replace("version: 2.4.1", "version: 2.5.0")
    assert files["systems/hire.yaml"] != hire
    root = write_repository(tmp_path / "repo", files)
    result = cli("report", "systems", root, "--as-of", AS_OF, "-f", fmt, "--out", "-")
    assert result.exit_code == 0, result.stderr
    users, _ = _parts(result.stdout, "SYS-HIRE", fmt)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", users))
    assert "version 2.4.1, not the documented version 2.5.0" in text
    # The documented version tested: nothing more is said.
    result = cli(
        "report", "systems", write_repository(tmp_path / "same"), "--as-of", AS_OF,
        "-f", fmt, "--out", "-",
    )  # fmt: skip
    assert "not the documented version" not in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_assessment_past_its_next_review_is_said_overdue_as_the_inventory_says(
    tmp_path: Path, fmt: str
) -> None:
    """An approved assessment whose next review (2026-01-31) had passed by the as-of date
    read "next review 2026-01-31" in the system documentation, with nothing more, while
    the inventory and the impact assessments report said "(overdue)" beside the same
    date. The system documentation now says it too."""
    files = repository_files()
    text = files["assessments/ia-hire.yaml"]
    assert isinstance(text, str)
    files["assessments/ia-hire.yaml"] = text.replace(
        "next_review: 2027-08-31", "next_review: 2026-01-31"
    )
    root = write_repository(tmp_path / "repo", files)
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("O", "", day, "c")
    repo = load_repository(root, day)
    pages = render_reports(repo, ["systems", "inventory"], fmt, provenance)
    _, internal = _parts(pages[f"systems.{fmt}"], "SYS-HIRE", fmt)
    assert _assessment_line(internal).endswith("next review 2026-01-31 (overdue)")
    assert "(overdue)" in pages[f"inventory.{fmt}"]
    # One not yet due is not marked.
    current = render_reports(
        load_repository(write_repository(tmp_path / "ok"), day), ["systems"], fmt, provenance
    )
    _, internal = _parts(current[f"systems.{fmt}"], "SYS-HIRE", fmt)
    assert _assessment_line(internal).endswith("next review 2027-08-31")


def _assessment_line(internal: str) -> str:
    """The words of IA-HIRE's line in the list of impact assessments."""
    (line,) = [x for x in internal.splitlines() if "IA-HIRE" in x and "next review" in x]
    return re.sub(r"<[^>]+>", "", line).strip()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_excluded_control_a_risk_relies_on_is_listed_with_its_exclusion(
    cli: Callable[..., CliResult], tmp_path: Path, fmt: str
) -> None:
    """R-EXCL's treatment names A.4.4, which the Statement of Applicability excludes
    (AIMS205). The system's controls listed only applicable ones, so A.4.4 was absent
    and the risk's row said only "(planned)". The control is now listed, marked
    excluded with its justification, and that the risk relies on it, in AIMS205's
    words. So is ORG-2, which applies to SYS-CHAT only: it treats nothing of SYS-HIRE."""
    files = repository_files()
    files["risks/excl.yaml"] = yaml_of(
        risk(
            "R-EXCL",
            systems=["SYS-HIRE"],
            inherent=levels(2, 2),
            treatment={"option": "mitigate", "controls": ["A.4.4", "ORG-2"], "plan": "Tooling."},
            residual=levels(1, 2),
        )
    )
    files["controls/org-2.yaml"] = yaml_of(control("ORG-2", systems=["SYS-CHAT"]))
    root = write_repository(tmp_path / "repo", files)
    checked = cli("validate", root, "--as-of", AS_OF)
    assert re.search(r"AIMS205 treatment relies on control 'A\.4\.4', .*\[R-EXCL\]", checked.stdout)
    result = cli("report", "systems", root, "--as-of", AS_OF, "-f", fmt, "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    _, hire = _parts(result.stdout, "SYS-HIRE", fmt)
    _, chat = _parts(result.stdout, "SYS-CHAT", fmt)
    table = hire[hire.index("Controls") : hire.index("Impact assessments")]
    words = " ".join(re.sub(r"<[^>]+>", " ", table).split())
    words = re.sub(r"\s+([,.:;)])", r"\1", words).replace("**", "")
    assert "A.4.4 Tooling resources" in words
    assert "excluded" in words
    assert (
        "the treatment of R-EXCL relies on it, which the Statement of Applicability excludes "
        "(applicable: false) (AIMS205); excluded because: Outside the scope of the report tests."
    ) in words
    assert (
        "the treatment of R-EXCL relies on it, whose scope (systems: SYS-CHAT) leaves out "
        "SYS-HIRE, which the risk is about;"
    ) in words
    assert "treats R-EXCL" not in words
    assert "A.4.4" not in chat  # no risk of SYS-CHAT relies on it
    chat_words = " ".join(re.sub(r"<[^>]+>", " ", chat).split())
    assert "ORG-2 Control ORG-2" in chat_words and "R-EXCL" not in chat_words
    if fmt == "html":
        assert '<span class="pill state-excluded">excluded</span>' in table


def test_the_assessment_of_a_retired_system_is_not_called_overdue(tmp_path: Path) -> None:
    """SYS-HIRE retired, its assessment's review date past: AIMS502, `due` and `status`
    ask for no review, yet the inventory, impact and systems reports said "(overdue)"."""
    files = repository_files()
    hire, ia = files["systems/hire.yaml"], files["assessments/ia-hire.yaml"]
    assert isinstance(hire, str) and isinstance(ia, str)
    assert "stage: production" in hire and "next_review: 2027-08-31" in ia
    files["assessments/ia-hire.yaml"] = ia.replace("2027-08-31", "2026-10-01")
    day = date.fromisoformat(AS_OF)
    provenance = Provenance("O", "", day, "c")
    names = ["inventory", "impact", "systems"]

    def overdue(stage: str) -> list[str]:
        files["systems/hire.yaml"] = hire.replace("stage: production", f"stage: {stage}")
        root = write_repository(tmp_path / stage, files)
        pages = render_reports(load_repository(root, day), names, "md", provenance)
        return [name for name in names if "overdue" in pages[f"{name}.md"].lower()]

    assert overdue("production") == names  # the review is overdue while the system runs
    assert overdue("retired") == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_expired_acceptance_is_said_to_have_expired(tmp_path: Path, fmt: str) -> None:
    """The risk register wrote "expires 2026-10-01" of an acceptance that had expired."""
    files = repository_files()
    risks = files["risks/risks.yaml"]
    assert isinstance(risks, str) and "expires: 2027-09-01" in risks
    files["risks/risks.yaml"] = risks.replace("expires: 2027-09-01", "expires: 2026-10-01")
    day = date.fromisoformat(AS_OF)
    root = write_repository(tmp_path / "repo", files)
    page = render_reports(load_repository(root, day), ["risks"], fmt, Provenance("O", "", day, "c"))
    text = page[f"risks.{fmt}"]
    assert "expired on 2026-10-01" in text and "expires 2026-10-01" not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_latest_evaluation_that_passes_names_the_earlier_failures_it_left_standing(
    cli: Callable[..., CliResult], example_copy: Path, fmt: str
) -> None:
    """A later evaluation of SYS-ASSIST that left out the failing Dutch metric read
    "Latest evaluation: ...: pass" under "How well it performs", for the system's users,
    while AIMS702 still reported the Dutch failure of EVAL-ASSIST-2026-10 and the
    monitoring report counted SYS-ASSIST failing. The headline now names it."""
    results = example_copy / "evidence/lifecycle/assist-periodic-2026-11.csv"
    kept = [line for line in results.read_text("utf-8").splitlines(True) if "Dutch" not in line]
    no_dutch = example_copy / "no-dutch.csv"
    no_dutch.write_text("".join(kept), "utf-8")
    imported = cli(
        "eval", "import", no_dutch, example_copy, "--system", "SYS-ASSIST", "--as-of", AS_OF,
        "--by", "conversation-quality-lead@northwind.example",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.stderr
    before = cli("report", "systems", example_copy, "--as-of", AS_OF, "-f", fmt, "--out", "-")
    assert before.exit_code == 0, before.stderr
    users, _ = _parts(before.stdout, "SYS-ASSIST", fmt)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", users)).replace("*", "")
    assert re.search(r"Latest evaluation: EVAL-SYS-ASSIST-\S+ .*: pass", text)
    assert (
        "Still failing, in earlier evaluations no later one measured again: Answers fully "
        "supported by retrieved articles (Dutch-language questions) (EVAL-ASSIST-2026-10 of "
        "2026-10-08)."
    ) in text
    # Nowhere else in the example: SYS-CREDIT's failure was measured again and passed.
    assert before.stdout.count("Still failing") == 1


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_obligation_note_shows_where_no_obligation_is_derived(
    cli: Callable[..., CliResult], example_copy: Path, fmt: str
) -> None:
    """SYS-ROSTER in the EU with no EU AI Act class: `obligations` noted to classify it,
    while the systems report said only "None derived from its regulation fields", the
    notes being shown only beside a table of obligations (the review's finding)."""
    path = example_copy / "systems/SYS-ROSTER.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  eu_ai_act: high\n  eu_role: deployer\n" in text
    path.write_text(text.replace("  eu_ai_act: high\n  eu_role: deployer\n", ""), "utf-8")
    result = cli("report", "systems", example_copy, "--as-of", AS_OF, "-f", fmt, "--out", "-")
    assert result.exit_code == 0, result.stderr
    _, roster = _parts(result.stdout, "SYS-ROSTER", fmt)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", roster))
    assert "None derived from its regulation fields." in words
    assert "Note: its jurisdictions (EU, NL) name places the EU AI Act covers" in words
