"""`aimsctl diff --fail-on` cannot be talked out of a weakening by how a pull request
writes it: each test commits a change to the bundled example on a branch and runs
the gates as CI does."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from aimsctl.text import natural_key
from aimsctl.vocabulary import FAIL_ON
from conftest import EXAMPLE, CliResult
from gitrepo import GitRepo, example_on_a_branch

Cli = Callable[..., CliResult]

GATES = ",".join(FAIL_ON)
# The risks above the bundled example's appetite (medium) at 2026-11-26: all high
# (R-007's current position too), so an appetite of high lets every one through.
ABOVE_MEDIUM = ["R-003", "R-006", "R-007", "R-010", "R-016", "R-019"]


def northwind(tmp_path: Path) -> GitRepo:
    return example_on_a_branch(tmp_path / "work", EXAMPLE)


def edit(repo: GitRepo, rel: str, old: str, new: str, after: str = "") -> None:
    """Replace the one ``old`` in a file (the first after ``after``, when given)."""
    path = repo.root / rel
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    assert after or text.count(old) == 1
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def gated(repo: GitRepo, cli: Cli) -> tuple[CliResult, dict[str, list[str]]]:
    """The gates run on the branch: the result, and the JSON's ids for each gate."""
    repo.commit("The pull request")
    result = cli(
        "diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", GATES,
    )  # fmt: skip
    return result, json.loads(result.stdout)["regressions"]


def test_clearing_an_implemented_controls_status_is_a_regression(tmp_path: Path, cli: Cli) -> None:
    # A.8.4 is implemented and no risk's treatment relies on it, so nothing else moves.
    repo = northwind(tmp_path)
    edit(repo, "controls/annex-a.yaml", "status: implemented\n", "", after="id: A.8.4\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "control-regressed: A.8.4" in result.stderr
    assert gates["control-regressed"] == ["A.8.4"]


def test_a_control_rewritten_as_another_kind_leaves_the_soa(tmp_path: Path, cli: Cli) -> None:
    # ORG-3 applies; as a valid Role with the same id it is no longer a control.
    repo = northwind(tmp_path)
    path = repo.root / "controls" / "organization.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text[: text.index("kind: Control\nid: ORG-3\n")]
        + "kind: Role\nid: ORG-3\ntitle: Agent operations lead\n"
        + "holder: ciso@northwind.example\nresponsibilities: [Runs the agents.]\n",
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "control-regressed: ORG-3" in result.stderr
    assert gates["control-regressed"] == ["ORG-3"]


def test_a_duplicate_id_in_a_new_file_cannot_hide_a_raised_risk(tmp_path: Path, cli: Cli) -> None:
    # R-013 (9, medium) is left as it is; a new file holds a copy at 12 (high). Both
    # copies are invalid at HEAD, so the gates cannot tell which one holds: they trip.
    repo = northwind(tmp_path)
    text = (repo.root / "risks" / "R-013.yaml").read_text(encoding="utf-8")
    raised = text.replace("likelihood: Possible,", "likelihood: Likely,")
    assert raised != text
    (repo.root / "risks" / "zz-R-013.yaml").write_text(raised, encoding="utf-8")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "appetite-crossed: R-013" in result.stderr
    assert "the gates cannot judge: R-013" in result.stderr
    assert gates["appetite-crossed"] == ["R-013"]
    text_output = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "governance gets worse: 1 record invalid at HEAD\n" in text_output


def test_a_key_given_twice_cannot_hide_a_raised_risk(tmp_path: Path, cli: Cli) -> None:
    # R-015 gets a second residual line, Almost certain x Severe, below its own: aimsctl
    # reads the first (unchanged), PyYAML and most YAML readers the last. A waiver of
    # AIMS005 is itself refused now (AIMS102: the rule cannot be silenced), so validate
    # fails; the comparison cannot tell which holds either way.
    repo = northwind(tmp_path)
    edit(
        repo,
        "risks/R-015.yaml",
        "residual: {likelihood: Unlikely, severity: Minor}\n",
        "residual: {likelihood: Unlikely, severity: Minor}\n"
        "residual: {likelihood: Almost certain, severity: Severe}\n",
    )
    waiver = (repo.root / "waivers" / "WVR-1.yaml").read_text(encoding="utf-8")
    waiver = waiver.replace("id: WVR-1", "id: WVR-8").replace("rule: AIMS503", "rule: AIMS005")
    (repo.root / "waivers" / "WVR-8.yaml").write_text(
        waiver.replace("records: [ORG-2]", "records: [R-015]"), encoding="utf-8"
    )
    checked = cli("validate", repo.root, "--as-of", "2026-11-26")
    assert checked.exit_code == 1
    assert "rule must not be AIMS005: a key given twice is read with its first value" in (
        checked.stdout
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["appetite-crossed"] == gates["tier-raised"] == ["R-015"]
    assert "the gates cannot judge: R-015" in result.stderr
    report = json.loads(result.stdout)
    assert report["invalid"][0]["id"] == "R-015"
    assert report["notes"] == [
        "R-015 gives a key twice at HEAD (risks/R-015.yaml:27:1: duplicate key 'residual': "
        "it is already given at line 26; delete one of the two): aimsctl reads the first "
        "value and other YAML readers the last, so it is compared as written and not judged "
        "there"
    ]
    # The same key given twice at both revisions, the record otherwise unchanged, is
    # no change at all.
    edit(repo, "waivers/WVR-8.yaml", "title: ", "title: Still ")
    repo.commit("Another change")
    again = cli(
        "diff", "HEAD~1", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", GATES,
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["notes"] == []


def test_a_key_given_twice_counts_in_no_score_tier_or_soa_section(tmp_path: Path, cli: Cli) -> None:
    # A lower `inherent:` line above R-019's own, and `applicable: false` above A.2.2's:
    # listed as invalid, R-019 was still scored by its first line (12 high -> 1 low,
    # "better: 1 risk back within the appetite") and A.2.2 excluded in control_changes.
    repo = northwind(tmp_path)
    edit(
        repo,
        "risks/R-019.yaml",
        "inherent: {likelihood: 3, severity: 4}\n",
        "inherent: {likelihood: 1, severity: 1}\ninherent: {likelihood: 3, severity: 4}\n",
    )
    edit(repo, "controls/annex-a.yaml", "id: A.2.2\n", "id: A.2.2\napplicable: false\n")
    repo.commit("The pull request")
    result = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json")
    report = json.loads(result.stdout)
    assert {(r["id"], r["head"]) for r in report["invalid"]} == {
        ("R-019", "invalid"),
        ("A.2.2", "invalid"),
    }
    assert report["risk_changes"] == [] and report["control_changes"] == []
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "better" not in text and "back within the appetite" not in text


def test_a_risk_whose_basis_alone_moves_is_no_risk_change(tmp_path: Path, cli: Cli) -> None:
    # `residual_credit: planned` credits R-017's planned treatment: the same 5 medium,
    # now from its residual levels. The binding row said 5 medium -> 5 medium.
    repo = northwind(tmp_path)
    config = (repo.root / "aims.yaml").read_text(encoding="utf-8")
    assert "residual_credit: implemented" in config
    edit(repo, "aims.yaml", "residual_credit: implemented", "residual_credit: planned")
    repo.commit("Credit planned treatment")
    result = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json")
    rows = {row["id"]: row for row in json.loads(result.stdout)["risk_changes"]}
    assert "R-017" not in rows
    assert all(row["before"] != row["after"] or row["appetite_crossed"] for row in rows.values())


def test_a_record_made_invalid_at_head_trips_the_gates_of_its_kind(
    tmp_path: Path, cli: Cli
) -> None:
    # A.8.4 drops to partial and gains an unknown field: its new status cannot be judged.
    repo = northwind(tmp_path)
    edit(
        repo,
        "controls/annex-a.yaml",
        "status: implemented\n",
        "status: partial\nnote: later\n",
        after="id: A.8.4\n",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "control-regressed: A.8.4; soa-exclusion-added: A.8.4" in result.stderr
    assert gates["control-regressed"] == gates["soa-exclusion-added"] == ["A.8.4"]
    assert gates["appetite-crossed"] == gates["tier-raised"] == []


def test_an_appetite_raised_in_the_same_change_cannot_hide_a_crossing(
    tmp_path: Path, cli: Cli
) -> None:
    # R-013 goes from 9 (medium, within) to 12 (high); the same change raises the
    # appetite to high, so HEAD's own settings see it within. BASE's see it cross.
    repo = northwind(tmp_path)
    edit(repo, "risks/R-013.yaml", "likelihood: Possible,", "likelihood: Likely,")
    edit(repo, "aims.yaml", "  appetite: medium\n", "  appetite: high\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["appetite-crossed"] == ["R-013"]
    assert gates["risk-criteria-relaxed"] == sorted([*ABOVE_MEDIUM, "R-013"], key=natural_key)
    assert json.loads(result.stdout)["relaxed_tiers"] == []  # tiers are bands, not appetite
    report = json.loads(result.stdout)
    assert report["relaxed_risks"][ABOVE_MEDIUM.index("R-010") + 1] == {
        "id": "R-013",
        "before": {"score": 9, "band": "medium"},
        "after": {"score": 12, "band": "high"},
        "by_base_settings": {"score": 12, "band": "high"},
    }
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 1 risk crosses the appetite, "
        "7 risks within the appetite only by HEAD's aims.yaml"
    )
    assert "better:" not in text  # seven risks "back within" only by the new settings
    assert (
        "  R-013  12 high (inherent), within the appetite; by BASE's settings 12 high "
        "(inherent), above it; it crosses the appetite by BASE's settings\n"
    ) in text
    comment = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md")
    assert "| `R-003` | 16 high (inherent) | 16 high (inherent) | ⚠️ within only by HEAD's" in (
        comment.stdout
    )
    assert "✅" not in comment.stdout


def test_bands_widened_in_the_same_change_cannot_hide_a_raised_tier(
    tmp_path: Path, cli: Cli
) -> None:
    # SYS-ROSTER's one risk, R-025, goes from 9 to 12; medium now reaches 12, so by
    # HEAD's bands both it and the system stay medium. By BASE's they are high.
    repo = northwind(tmp_path)
    edit(repo, "risks/R-025.yaml", "likelihood: Possible,", "likelihood: Likely,")
    edit(repo, "aims.yaml", "{name: medium, max: 9}", "{name: medium, max: 12}")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["tier-raised"] == ["SYS-ROSTER"]
    assert "R-025" in gates["appetite-crossed"]
    report = json.loads(result.stdout)
    assert "SYS-ROSTER" not in {c["id"] for c in report["tier_changes"]}  # by HEAD's bands
    assert report["relaxed_tiers"][-1] == {
        "id": "SYS-ROSTER",
        "before": "medium",
        "after": "medium",
        "by_base_settings": "high",
        "raised_by_base_settings": True,
    }
    # SYS-ASSIST's high risks now score medium: a tier lowered only by the new bands,
    # which is not counted as better.
    assert report["relaxed_tiers"][0] == {
        "id": "SYS-ASSIST",
        "before": "high",
        "after": "medium",
        "by_base_settings": "high",
        "raised_by_base_settings": False,
    }
    assert "SYS-ASSIST" in gates["risk-criteria-relaxed"]
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "  SYS-ASSIST  high -> medium  lowered only by HEAD's aims.yaml\n" in text
    assert "system tier lowered" not in text


def test_a_relaxed_appetite_alone_trips_only_its_own_gate(tmp_path: Path, cli: Cli) -> None:
    # No risk changes: nothing crosses, but seven risks are let through.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "  appetite: medium\n", "  appetite: high\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["appetite-crossed"] == gates["tier-raised"] == []
    assert gates["risk-criteria-relaxed"] == ABOVE_MEDIUM
    assert "risk-criteria-relaxed: R-003, R-006" in result.stderr
    args = ("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26")
    assert cli(*args, "--fail-on", "appetite-crossed,tier-raised").exit_code == 0


def test_a_stricter_appetite_lists_nothing_as_relaxed(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "  appetite: medium\n", "  appetite: low\n")
    result, gates = gated(repo, cli)
    report = json.loads(result.stdout)
    assert report["relaxed_risks"] == report["relaxed_tiers"] == []
    assert gates["risk-criteria-relaxed"] == []
    assert gates["appetite-crossed"]  # the medium risks now cross, as before


def test_scales_of_another_length_cannot_be_judged_by_base_settings(
    tmp_path: Path, cli: Cli
) -> None:
    # A sixth likelihood level: HEAD's level numbers mean something else on BASE's
    # scale. A risk that goes from above the appetite to within cannot be credited.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "Likely, Almost certain]", "Likely, Almost certain, Certain]")
    edit(repo, "aims.yaml", "{name: critical, max: 25}", "{name: critical, max: 30}")
    edit(repo, "aims.yaml", "  appetite: medium\n", "  appetite: high\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert gates["risk-criteria-relaxed"] == ABOVE_MEDIUM
    assert {r["by_base_settings"] for r in report["relaxed_risks"]} == {None}
    assert any("cannot be scored by BASE's settings" in note for note in report["notes"])


def test_labels_moved_to_other_levels_cannot_be_judged_by_base_settings(
    tmp_path: Path, cli: Cli
) -> None:
    # Likely and Rare change places: the scale still has five levels, but R-003, written
    # Likely x Major (16, high, above the appetite), now reads 1 x 4 (low). Its number
    # at HEAD names another level on BASE's scale, so BASE's settings cannot score it.
    repo = northwind(tmp_path)
    edit(
        repo,
        "aims.yaml",
        "[Rare, Unlikely, Possible, Likely, Almost certain]",
        "[Likely, Unlikely, Possible, Rare, Almost certain]",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert "R-003" in gates["risk-criteria-relaxed"]
    relaxed = {r["id"]: r for r in report["relaxed_risks"]}
    assert relaxed["R-003"]["after"]["band"] == "low"
    assert relaxed["R-003"]["by_base_settings"] is None
    assert any("which level a label names" in note for note in report["notes"])


def test_an_edit_to_a_superseded_assessment_is_no_reassessment(tmp_path: Path, cli: Cli) -> None:
    # SYS-HIRE's decisions change; the only assessment touched is IA-HIRE-2025, which
    # IA-HIRE-2026 superseded: a comma in its title assesses nothing anew.
    repo = northwind(tmp_path)
    edit(
        repo,
        "systems/SYS-HIRE.yaml",
        "  Informs the order",
        "  Rejects the lowest-ranked applicants and informs the order",
    )
    edit(
        repo,
        "assessments/IA-HIRE-2025.yaml",
        "impact assessment, 2025",
        "impact assessment (2025)",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["system-changed-without-assessment"] == ["SYS-HIRE"]
    # Superseding the current assessment, with no successor, is no reassessment either.
    edit(repo, "assessments/IA-HIRE-2026.yaml", "status: approved", "status: superseded")
    result, gates = gated(repo, cli)
    assert gates["system-changed-without-assessment"] == ["SYS-HIRE"]
    # Putting the current assessment back in review reassesses nothing yet either.
    edit(repo, "assessments/IA-HIRE-2026.yaml", "status: superseded", "status: in-review")
    result, gates = gated(repo, cli)
    assert gates["system-changed-without-assessment"] == ["SYS-HIRE"]
    # The current assessment made again in the same change is a reassessment.
    edit(repo, "assessments/IA-HIRE-2026.yaml", "  on: 2026-08-20", "  on: 2026-11-20")
    result, gates = gated(repo, cli)
    assert gates["system-changed-without-assessment"] == []


def test_a_text_edit_to_the_current_assessment_is_no_reassessment(tmp_path: Path, cli: Cli) -> None:
    # SYS-HIRE's decisions change; its current assessment IA-HIRE-2026 gets a comma in
    # its title and nothing else: neither assessed.on nor its approval moved.
    repo = northwind(tmp_path)
    edit(
        repo,
        "systems/SYS-HIRE.yaml",
        "  Informs the order",
        "  Rejects the lowest-ranked applicants and informs the order",
    )
    edit(
        repo,
        "assessments/IA-HIRE-2026.yaml",
        "impact assessment, 2026",
        "impact assessment (2026)",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["system-changed-without-assessment"] == ["SYS-HIRE"]
    assert json.loads(result.stdout)["changed_without_assessment"] == [
        {
            "id": "SYS-HIRE",
            "path": "systems/SYS-HIRE.yaml",
            "fields": ["decisions"],
            "edited_assessments": ["IA-HIRE-2026"],
        }
    ]
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert (
        "    IA-HIRE-2026 edited, but neither its assessed.on nor its approval moved later: "
        "an edit is no reassessment\n" in text
    )
    # Approving it again on a later day is a reassessment.
    edit(repo, "assessments/IA-HIRE-2026.yaml", "  on: 2026-09-03", "  on: 2026-11-20")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0
    assert gates["system-changed-without-assessment"] == []


def test_a_control_added_invalid_cannot_pass_for_one_that_applies(tmp_path: Path, cli: Cli) -> None:
    # ORG-9 is new and fails validation (an unknown field): whether it is added as
    # excluded cannot be told, so soa-exclusion-added trips; nothing could regress.
    repo = northwind(tmp_path)
    path = repo.root / "controls" / "organization.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "---\nkind: Control\nid: ORG-9\ntitle: Model cards\nowner: cdo@northwind.example\n"
        + "applicable: false\njustification: Not yet.\nexcluded_because: later\n",
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["soa-exclusion-added"] == ["ORG-9"]
    assert gates["control-regressed"] == []
    assert "invalid or unreadable at HEAD, so the gates cannot judge: ORG-9\n" in result.stderr


def test_deleting_an_open_risk_is_not_closing_it(tmp_path: Path, cli: Cli) -> None:
    # R-005 is monitored, R-024 closed: only the one still open leaves the register
    # without a record of its end.
    repo = northwind(tmp_path)
    repo.git("rm", "-q", "risks/R-005.yaml", "risks/R-024.yaml")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "open-risk-removed: R-005" in result.stderr
    assert gates["open-risk-removed"] == ["R-005"]
    report = json.loads(result.stdout)
    assert report["removed_open_risks"] == [
        {"id": "R-005", "path": "risks/R-005.yaml", "status": "monitoring"}
    ]
    assert "1 open risk removed without being closed" in cli(
        "diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26"
    ).stdout  # fmt: skip


def test_moving_an_open_risk_where_aims_yaml_excludes_it_removes_it(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    repo.git("mv", "risks/R-013.yaml", "drafts/R-013.yaml")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["open-risk-removed"] == ["R-013"]
    markdown = cli(
        "diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md"
    ).stdout  # fmt: skip
    assert (
        "| `R-013` | open risk removed without being closed (status at BASE: treating) "
        "| `risks/R-013.yaml` |" in markdown
    )
    # The comment listed the deleted risk under "New records that need attention".
    assert "<details><summary>Records that need attention (1)</summary>" in markdown
    assert "New records" not in markdown


def test_closing_a_risk_then_deleting_it_trips_nothing(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "risks/R-005.yaml", "status: monitoring", "status: closed")
    repo.commit("Close R-005")
    repo.git("rm", "-q", "risks/R-005.yaml")
    repo.commit("Drop the closed R-005")
    result = cli(
        "diff", "HEAD~1", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", "open-risk-removed",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["regressions"]["open-risk-removed"] == []


def test_a_risk_invalid_at_base_counts_as_open_unless_written_closed(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "risks/R-005.yaml", "status: monitoring", "status: monitoring\nbogus: 1")
    edit(repo, "risks/R-024.yaml", "status: closed", "status: closed\nbogus: 1")
    repo.commit("Two risks that fail validation")
    repo.git("rm", "-q", "risks/R-005.yaml", "risks/R-024.yaml")
    repo.commit("Drop them")
    result = cli(
        "diff", "HEAD~1", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", "open-risk-removed",
    )  # fmt: skip
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["removed_open_risks"] == [
        {"id": "R-005", "path": "risks/R-005.yaml", "status": "monitoring"}
    ]


def test_a_risk_added_invalid_cannot_pass_for_one_that_raises_no_tier(
    tmp_path: Path, cli: Cli
) -> None:
    # R-099 is new, 5 x 5 on SYS-FRAUD (medium), and fails validation (a misspelt
    # status): valid, it would raise SYS-FRAUD to critical and trip tier-raised; invalid,
    # it passed every gate, though what tier it gives cannot be told.
    repo = northwind(tmp_path)
    (repo.root / "risks" / "R-099.yaml").write_text(
        "kind: Risk\nid: R-099\ntitle: Fraud model blocks every payment\n"
        "owner: cro@northwind.example\ndescription: d\nsystems: [SYS-FRAUD]\n"
        "inherent: {likelihood: 5, severity: 5}\nstatus: opne\n",
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["tier-raised"] == ["R-099"]
    assert gates["appetite-crossed"] == gates["open-risk-removed"] == []
    assert "invalid or unreadable at HEAD, so the gates cannot judge: R-099\n" in result.stderr


def test_deleting_an_open_nonconformity_or_incident_is_not_closing_it(
    tmp_path: Path, cli: Cli
) -> None:
    # NC-2026-02 (action-planned) and INC-2026-02 (contained) are still being handled;
    # NC-2025-01 and INC-2026-01 are closed, and deleting them trips nothing.
    repo = northwind(tmp_path)
    repo.git(
        "rm", "-q", "nonconformities/NC-2026-02.yaml", "nonconformities/NC-2025-01.yaml",
        "incidents/INC-2026-02.yaml", "incidents/INC-2026-01.yaml",
    )  # fmt: skip
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["open-nonconformity-removed"] == ["NC-2026-02"]
    assert gates["open-incident-removed"] == ["INC-2026-02"]
    assert "open-nonconformity-removed: NC-2026-02" in result.stderr
    report = json.loads(result.stdout)
    assert report["removed_open_nonconformities"] == [
        {"id": "NC-2026-02", "path": "nonconformities/NC-2026-02.yaml", "status": "action-planned"}
    ]
    assert report["removed_open_incidents"] == [
        {"id": "INC-2026-02", "path": "incidents/INC-2026-02.yaml", "status": "contained"}
    ]
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 1 open nonconformity removed without being closed, "
        "1 open incident removed without being closed"
    )
    assert "  INC-2026-02  incidents/INC-2026-02.yaml  status at BASE: contained\n" in text


def test_an_incident_recorded_as_less_grave_is_a_way_governance_gets_worse(
    tmp_path: Path, cli: Cli
) -> None:
    # INC-2026-02, serious on a high-risk system, made not serious: its overdue
    # Art. 73 report vanished from due and validate, and the diff saw no regression.
    repo = northwind(tmp_path)
    edit(repo, "incidents/INC-2026-02.yaml", "serious: true\nserious_kind: other\n", "")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["incident-downgraded"] == ["INC-2026-02"]
    (downgraded,) = json.loads(result.stdout)["downgraded_incidents"]
    assert downgraded["before"].startswith("serious") and downgraded["after"].startswith(
        "not serious"
    )
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "Incidents recorded as less grave (1)" in text


def test_an_incident_downgraded_while_the_severity_scale_changes_is_listed(
    tmp_path: Path, cli: Cli
) -> None:
    """Each revision reads an incident's severity label by its own aims.yaml, and the
    gate compared the level numbers: with levels added below `Severe` in the same
    change, INC-2026-02 rewritten from `Severe` (5 of 5) to `Major` (5 of 7) passed,
    and with two labels swapped an incident left alone was listed. Where the scales
    number levels otherwise, an incident is listed unless it keeps its label."""
    repo = northwind(tmp_path)
    edit(
        repo,
        "aims.yaml",
        "severity: [Negligible, Minor, Moderate, Major, Severe]",
        "severity: [Negligible, Minor, Moderate, Significant, Major, Serious, Severe]",
    )
    edit(repo, "aims.yaml", "{name: critical, max: 25}", "{name: critical, max: 35}")
    edit(repo, "incidents/INC-2026-02.yaml", "severity: Severe", "severity: Major")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["incident-downgraded"] == ["INC-2026-02"]  # INC-2026-01 is Major still
    (downgraded,) = json.loads(result.stdout)["downgraded_incidents"]
    assert downgraded["scale_changed"] is True
    assert downgraded["before"].endswith("severity Severe")
    assert downgraded["after"].endswith("severity Major")
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert (
        "severity Major; by BASE's settings its severity cannot be compared (aims.yaml "
        "changes the severity levels)  incidents/INC-2026-02.yaml" in text
    )
    # Two labels swapped, no incident edited: INC-2026-02 is `Severe` still (now level
    # 4), so it is no less grave.
    swapped = northwind(tmp_path / "swapped")
    edit(swapped, "aims.yaml", "Major, Severe]", "Severe, Major]")
    result, gates = gated(swapped, cli)
    assert result.stdout, result.stderr
    assert gates["incident-downgraded"] == []


def test_a_relaxed_threshold_is_a_way_governance_gets_worse(tmp_path: Path, cli: Cli) -> None:
    # The PSI monitor's limit goes from 0.1 to 0.5, and a passing metric's threshold of
    # EVAL-FRAUD-2026-10 is dropped; the grounding monitor's limit is tightened, which
    # is no relaxation.
    repo = northwind(tmp_path)
    edit(repo, "monitors/MON-CREDIT-PSI.yaml", "{max: 0.1}", "{max: 0.5}")
    edit(repo, "monitors/MON-ASSIST-GROUNDED.yaml", "{min: 0.95}", "{min: 0.96}")
    fraud = repo.root / "evaluations" / "EVAL-FRAUD-2026-10.yaml"
    text = fraud.read_text(encoding="utf-8")
    first = text.index("    threshold:")
    fraud.write_text(text[:first] + text[text.index("\n", first) + 1 :], encoding="utf-8")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["threshold-relaxed"] == ["EVAL-FRAUD-2026-10", "MON-CREDIT-PSI"]
    assert gates["failed-metric-rewritten"] == []
    relaxed = json.loads(result.stdout)["relaxed_thresholds"]
    assert relaxed[1] == {
        "kind": "Monitor", "id": "MON-CREDIT-PSI", "metric": None, "before": "≤ 0.1",
        "after": "≤ 0.5", "path": "monitors/MON-CREDIT-PSI.yaml", "metric_gone": False,
        "loosens": None,
    }  # fmt: skip
    assert relaxed[0]["kind"] == "Evaluation" and relaxed[0]["after"] is None
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "  Monitor MON-CREDIT-PSI  ≤ 0.1 -> ≤ 0.5  monitors/MON-CREDIT-PSI.yaml\n" in text
    assert "-> no threshold" in text


def test_a_monitor_observed_less_often_is_a_relaxation(tmp_path: Path, cli: Cli) -> None:
    # every_days 7 -> 3650: nothing was due any more and the monitor could not go stale,
    # yet the diff said "no governance regressions"; observed more often is none.
    repo = northwind(tmp_path)
    edit(repo, "monitors/MON-TRIAGE-75PLUS.yaml", "every_days: 7", "every_days: 3650")
    edit(repo, "monitors/MON-CREDIT-PSI.yaml", "every_days: 31", "every_days: 7")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["threshold-relaxed"] == ["MON-TRIAGE-75PLUS"]
    (relaxed,) = json.loads(result.stdout)["relaxed_thresholds"]
    assert (relaxed["metric"], relaxed["before"], relaxed["after"]) == (
        "cadence",
        "every 7 days",
        "every 3650 days",
    )


def test_a_metric_renamed_cannot_take_its_threshold_away(tmp_path: Path, cli: Cli) -> None:
    # EVAL-HIRE-2026's impact ratio for sex by race/ethnicity (0.86, >= 0.8) passes; its
    # group is respelt and its threshold lowered to 0.5 in the same edit, so no metric
    # of the old name and group is left to compare; another metric is deleted outright.
    repo = northwind(tmp_path)
    edit(
        repo,
        "evaluations/EVAL-HIRE-2026.yaml",
        "threshold: {min: 0.8}\n    group: sex by race/ethnicity\n",
        "threshold: {min: 0.5}\n    group: sex and race/ethnicity\n",
    )
    edit(
        repo,
        "evaluations/EVAL-HIRE-2026.yaml",
        "  - name: Lowest scoring-rate impact ratio\n    dimension: fairness\n    value: 0.967\n"
        "    threshold: {min: 0.8}\n    group: sex\n",
        "",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["threshold-relaxed"] == ["EVAL-HIRE-2026"]
    assert gates["failed-metric-rewritten"] == []
    relaxed = json.loads(result.stdout)["relaxed_thresholds"]
    assert [(r["metric"], r["before"], r["after"], r["metric_gone"]) for r in relaxed] == [
        ("Lowest scoring-rate impact ratio (sex)", "≥ 0.8", None, True),
        ("Lowest scoring-rate impact ratio (sex by race/ethnicity)", "≥ 0.8", None, True),
    ]
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert (
        "  Evaluation EVAL-HIRE-2026  Lowest scoring-rate impact ratio (sex by race/ethnicity): "
        "≥ 0.8 -> no such metric at HEAD (removed, or its name or group changed)  "
        "evaluations/EVAL-HIRE-2026.yaml\n" in text
    )


def test_a_recorded_failure_cannot_be_edited_away(tmp_path: Path, cli: Cli) -> None:
    # At BASE three metrics fail: EVAL-CREDIT-2026-02's calibration gap (2.4, <= 1.5),
    # EVAL-TRIAGE-2026-09's sensitivity for the over-75s (0.87, >= 0.9) and
    # EVAL-ASSIST-2026-10's Dutch grounding (0.941, >= 0.95). The change relaxes the
    # first threshold, edits the second value and deletes the third evaluation.
    repo = northwind(tmp_path)
    edit(
        repo, "evaluations/EVAL-CREDIT-2026-02.yaml", "{max: 1.5}", "{max: 2.5}", after="value: 2.4"
    )
    edit(repo, "evaluations/EVAL-TRIAGE-2026-09.yaml", "value: 0.87\n", "value: 0.91\n")
    repo.git("rm", "-q", "evaluations/EVAL-ASSIST-2026-10.yaml")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["failed-metric-rewritten"] == [
        "EVAL-ASSIST-2026-10", "EVAL-CREDIT-2026-02", "EVAL-TRIAGE-2026-09"
    ]  # fmt: skip
    assert gates["threshold-relaxed"] == ["EVAL-CREDIT-2026-02"]
    now = {f["evaluation"]: f["now"] for f in json.loads(result.stdout)["rewritten_failures"]}
    assert now == {
        "EVAL-ASSIST-2026-10": "the evaluation is no longer in the repository",
        "EVAL-CREDIT-2026-02": "passes at HEAD: threshold ≤ 1.5 -> ≤ 2.5",
        "EVAL-TRIAGE-2026-09": "passes at HEAD: value 0.87 -> 0.91",
    }
    markdown = cli(
        "diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md"
    ).stdout  # fmt: skip
    assert "| Recorded failures no longer failing | ⚠️ 3 |" in markdown
    assert (
        "| `EVAL-TRIAGE-2026-09` | metric Sensitivity for the two most urgent categories "
        "(aged 75 and over) of `SYS-TRIAGE` failed at BASE (`0.87`, threshold `≥ 0.9`); "
        "passes at HEAD: value 0.87 -\\> 0.91 |" in markdown
    )


def test_a_failure_that_still_fails_or_a_metric_made_stricter_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "evaluations/EVAL-TRIAGE-2026-09.yaml", "value: 0.87\n", "value: 0.88\n")
    edit(
        repo, "evaluations/EVAL-CREDIT-2026-02.yaml", "{max: 1.5}", "{max: 1.0}", after="value: 2.4"
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates["failed-metric-rewritten"] == gates["threshold-relaxed"] == []


def test_an_evaluation_invalid_at_head_cannot_pass_for_one_whose_failure_stands(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "evaluations/EVAL-TRIAGE-2026-09.yaml", "value: 0.87\n", "value: high\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["failed-metric-rewritten"] == ["EVAL-TRIAGE-2026-09"]
    assert gates["threshold-relaxed"] == ["EVAL-TRIAGE-2026-09"]
    assert "cannot judge: EVAL-TRIAGE-2026-09\n" in result.stderr


def test_a_recorded_breach_cannot_be_edited_away(tmp_path: Path, cli: Cli) -> None:
    # At BASE the grounding monitor breached on 2026-10-19 (0.943, >= 0.95) and the
    # under-triage monitor on 2026-09-16 (0.081, <= 0.05), both in their CSV files. The
    # change deletes the first row and edits the second value; a later, passing row of
    # the first file is edited too, which hides nothing.
    repo = northwind(tmp_path)
    grounding = "evidence/monitoring/assist-grounding-weekly-2026.csv"
    edit(repo, grounding, "2026-10-19,0.943,", "")
    edit(repo, grounding, "2026-10-12,0.961", "2026-10-12,0.962")
    triage = "evidence/monitoring/triage-under-triage-75plus-2026.csv"
    edit(repo, triage, "2026-09-16,0.081", "2026-09-16,0.049")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["breach-rewritten"] == ["MON-ASSIST-GROUNDED", "MON-TRIAGE-75PLUS"]
    assert gates["threshold-relaxed"] == []
    breaches = json.loads(result.stdout)["rewritten_breaches"]
    assert [(b["monitor"], b["first"], b["value"], b["now"]) for b in breaches] == [
        ("MON-ASSIST-GROUNDED", "2026-10-19", 0.943,
         "the observation of 2026-10-19 is no longer recorded"),
        ("MON-TRIAGE-75PLUS", "2026-09-16", 0.081,
         "the observation of 2026-09-16 reads 0.049 at HEAD, threshold ≤ 0.05"),
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "2 monitors whose recorded breaches no longer show" in text.splitlines()[1]
    assert (
        "  MON-TRIAGE-75PLUS  SYS-TRIAGE  outside ≤ 0.05 at BASE: 0.081 on 2026-09-16; "
        "the observation of 2026-09-16 reads 0.049 at HEAD, threshold ≤ 0.05  "
        "monitors/MON-TRIAGE-75PLUS.yaml\n" in text
    )


def test_a_breach_hidden_by_a_relaxed_threshold_or_a_removed_monitor(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "monitors/MON-TRIAGE-75PLUS.yaml", "{max: 0.05}", "{max: 0.1}")
    repo.git("rm", "-q", "monitors/MON-ASSIST-GROUNDED.yaml")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["breach-rewritten"] == ["MON-ASSIST-GROUNDED", "MON-TRIAGE-75PLUS"]
    assert gates["threshold-relaxed"] == ["MON-TRIAGE-75PLUS"]
    now = {b["monitor"]: b["now"] for b in json.loads(result.stdout)["rewritten_breaches"]}
    assert now == {
        "MON-ASSIST-GROUNDED": "the monitor is no longer in the repository",
        "MON-TRIAGE-75PLUS": "the observation of 2026-09-16 reads 0.081 at HEAD, threshold ≤ 0.1",
    }


def test_a_breach_that_still_shows_trips_nothing(tmp_path: Path, cli: Cli) -> None:
    # The breaching value is corrected but still outside; an observation is added.
    repo = northwind(tmp_path)
    triage = "evidence/monitoring/triage-under-triage-75plus-2026.csv"
    edit(repo, triage, "2026-09-16,0.081", "2026-09-16,0.082")
    with (repo.root / triage).open("a", encoding="utf-8") as file:
        file.write("2026-11-25,0.02,\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates["breach-rewritten"] == []


def test_a_monitor_of_a_system_in_production_cannot_be_removed_silently(
    tmp_path: Path, cli: Cli
) -> None:
    # SYS-CREDIT and SYS-HIRE are in production with one monitor each: the first is
    # deleted, the second pointed at a proposed system. SYS-ASSIST is retired in the same
    # change that deletes its monitor: nothing is left to watch in operation.
    repo = northwind(tmp_path)
    repo.git("rm", "-q", "monitors/MON-CREDIT-PSI.yaml", "monitors/MON-ASSIST-GROUNDED.yaml")
    edit(repo, "monitors/MON-HIRE-IMPACT.yaml", "system: SYS-HIRE\n", "system: SYS-ROSTER\n")
    edit(repo, "systems/SYS-ASSIST.yaml", "stage: production\n", "stage: retired\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["monitor-removed"] == ["MON-CREDIT-PSI", "MON-HIRE-IMPACT"]
    assert json.loads(result.stdout)["removed_monitors"] == [
        {"monitor": "MON-CREDIT-PSI", "system": "SYS-CREDIT",
         "now": "the monitor is no longer in the repository", "unmonitored": True,
         "path": "monitors/MON-CREDIT-PSI.yaml"},
        {"monitor": "MON-HIRE-IMPACT", "system": "SYS-HIRE",
         "now": "it watches SYS-ROSTER at HEAD", "unmonitored": True,
         "path": "monitors/MON-HIRE-IMPACT.yaml"},
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "2 monitors of systems in production removed" in text.splitlines()[1]
    assert (
        "  MON-CREDIT-PSI  watched SYS-CREDIT, in production at HEAD; no monitor watches it "
        "at HEAD; the monitor is no longer in the repository  monitors/MON-CREDIT-PSI.yaml\n"
        in text
    )
    md = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md")
    assert "| Monitors of systems in production removed | ⚠️ 2 |" in md.stdout
    assert "monitor removed: watched `SYS-HIRE`, in production at HEAD" in md.stdout


def test_a_monitor_made_invalid_or_its_system_invalid_is_not_let_through(
    tmp_path: Path, cli: Cli
) -> None:
    # MON-HIRE-IMPACT cannot be read as a monitor at HEAD; MON-CREDIT-PSI is deleted
    # while SYS-CREDIT is invalid there, so whether it is still in production cannot be
    # told.
    repo = northwind(tmp_path)
    edit(repo, "monitors/MON-HIRE-IMPACT.yaml", "every_days: ", "every_days: often #")
    repo.git("rm", "-q", "monitors/MON-CREDIT-PSI.yaml")
    edit(repo, "systems/SYS-CREDIT.yaml", "stage: production\n", "stage: live\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["monitor-removed"] == ["MON-CREDIT-PSI", "MON-HIRE-IMPACT"]
    assert "cannot judge: MON-HIRE-IMPACT, SYS-CREDIT\n" in result.stderr


def test_an_evaluation_removed_takes_verification_evidence_away(tmp_path: Path, cli: Cli) -> None:
    # EVAL-HIRE-2026 is SYS-HIRE's only evaluation; EVAL-ASSIST-2026-04 passed and
    # SYS-ASSIST keeps EVAL-ASSIST-2026-10; EVAL-FRAUD-2026-10 is pointed at another system.
    repo = northwind(tmp_path)
    repo.git("rm", "-q", "evaluations/EVAL-HIRE-2026.yaml", "evaluations/EVAL-ASSIST-2026-04.yaml")
    edit(repo, "evaluations/EVAL-FRAUD-2026-10.yaml", "system: SYS-FRAUD\n", "system: SYS-CREDIT\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["evaluation-removed"] == [
        "EVAL-ASSIST-2026-04", "EVAL-FRAUD-2026-10", "EVAL-HIRE-2026"
    ]  # fmt: skip
    removed = json.loads(result.stdout)["removed_evaluations"]
    assert [(e["evaluation"], e["passed"], e["last"], e["now"]) for e in removed] == [
        ("EVAL-ASSIST-2026-04", True, False, "the evaluation is no longer in the repository"),
        ("EVAL-FRAUD-2026-10", True, True, "it evaluates SYS-CREDIT at HEAD"),
        ("EVAL-HIRE-2026", True, True, "the evaluation is no longer in the repository"),
    ]
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert "3 evaluations removed" in text.splitlines()[1]
    assert (
        "  EVAL-HIRE-2026  evaluated SYS-HIRE (passed at BASE); SYS-HIRE has no evaluation "
        "left at HEAD; the evaluation is no longer in the repository  "
        "evaluations/EVAL-HIRE-2026.yaml\n" in text
    )


def test_a_monitor_or_evaluation_edited_in_place_trips_neither_removal_gate(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "monitors/MON-CREDIT-PSI.yaml", "every_days: 31", "every_days: 30")
    repo.git("mv", "evaluations/EVAL-HIRE-2026.yaml", "evaluations/hire.yaml")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates["monitor-removed"] == gates["evaluation-removed"] == []


def test_records_of_the_management_system_cannot_be_deleted_silently(
    tmp_path: Path, cli: Cli
) -> None:
    # A completed audit, the management review, an objective at risk and the retired
    # 1.x policy are deleted; the objective OBJ-LITERACY is rewritten as a Risk, which is
    # invalid (it cannot be judged, so the gate trips for it too).
    repo = northwind(tmp_path)
    repo.git(
        "rm", "-q", "audits/AUD-2025.yaml", "reviews/MR-2026.yaml",
        "objectives/OBJ-FAIRNESS.yaml", "policies/POL-AI-2025.yaml",
    )  # fmt: skip
    edit(repo, "objectives/OBJ-LITERACY.yaml", "kind: Objective\n", "kind: Risk\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["management-record-removed"] == [
        "AUD-2025", "MR-2026", "OBJ-FAIRNESS", "OBJ-LITERACY", "POL-AI-2025"
    ]  # fmt: skip
    assert gates["policy-withdrawn"] == []  # POL-AI is still approved
    removed = json.loads(result.stdout)["removed_management_records"]
    assert removed[:3] == [
        {"kind": "InternalAudit", "id": "AUD-2025", "path": "audits/AUD-2025.yaml",
         "status": "completed"},
        {"kind": "ManagementReview", "id": "MR-2026", "path": "reviews/MR-2026.yaml",
         "status": None},
        {"kind": "Objective", "id": "OBJ-FAIRNESS", "path": "objectives/OBJ-FAIRNESS.yaml",
         "status": "at-risk"},
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 4 management system records removed, 1 record invalid at HEAD"
    )
    assert (
        "  InternalAudit AUD-2025  audits/AUD-2025.yaml  internal audit removed "
        "(status at BASE: completed)\n" in text
    )


def test_an_impact_assessment_cannot_be_deleted_silently(tmp_path: Path, cli: Cli) -> None:
    # IA-HIRE-2025, superseded by IA-HIRE-2026, is deleted (validate stays clean: the
    # current assessment still covers SYS-HIRE); IA-ROSTER-2026 leaves the records with
    # a file extension aimsctl does not read. The results of each are to be retained.
    repo = northwind(tmp_path)
    repo.git("rm", "-q", "assessments/IA-HIRE-2025.yaml")
    repo.move("assessments/IA-ROSTER-2026.yaml", "assessments/IA-ROSTER-2026.yaml.old")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["management-record-removed"] == ["IA-HIRE-2025", "IA-ROSTER-2026"]
    removed = json.loads(result.stdout)["removed_management_records"]
    assert removed[0] == {
        "kind": "ImpactAssessment", "id": "IA-HIRE-2025",
        "path": "assessments/IA-HIRE-2025.yaml", "status": "superseded",
    }  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == "governance gets worse: 2 management system records removed"
    assert (
        "  ImpactAssessment IA-HIRE-2025  assessments/IA-HIRE-2025.yaml  impact assessment "
        "removed (status at BASE: superseded)\n" in text
    )
    assert cli("validate", repo.root, "--as-of", "2026-11-26").exit_code == 0


def test_an_ai_system_cannot_be_deleted_from_the_inventory_unless_retired(
    tmp_path: Path, cli: Cli
) -> None:
    # SYS-OPSAGENT is in development and SYS-ROSTER proposed: their inventory entries
    # (A.4, 7.5.3) go with their files. SYS-CHURN was retired: deleting it trips nothing.
    repo = northwind(tmp_path)
    repo.git(
        "rm", "-q", "systems/SYS-OPSAGENT.yaml", "systems/SYS-CHURN.yaml",
        "systems/SYS-ROSTER.yaml",
    )  # fmt: skip
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "management-record-removed: SYS-OPSAGENT, SYS-ROSTER" in result.stderr
    assert gates["management-record-removed"] == ["SYS-OPSAGENT", "SYS-ROSTER"]
    removed = json.loads(result.stdout)["removed_management_records"]
    assert removed == [
        {"kind": "AISystem", "id": "SYS-OPSAGENT", "path": "systems/SYS-OPSAGENT.yaml",
         "status": "development"},
        {"kind": "AISystem", "id": "SYS-ROSTER", "path": "systems/SYS-ROSTER.yaml",
         "status": "proposed"},
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert (
        "  AISystem SYS-OPSAGENT  systems/SYS-OPSAGENT.yaml  AI system removed, not retired "
        "(stage at BASE: development)\n" in text
    )
    md = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md")
    assert (
        "| `SYS-ROSTER` | AI system removed, not retired (stage at BASE: proposed) | "
        "`systems/SYS-ROSTER.yaml` |" in md.stdout
    )


def test_a_retired_ai_system_may_leave_the_inventory(tmp_path: Path, cli: Cli) -> None:
    # Retired first (a change of its own), then deleted: neither step trips the gate.
    repo = northwind(tmp_path)
    edit(repo, "systems/SYS-ROSTER.yaml", "stage: proposed\n", "stage: retired\n")
    repo.commit("Retire SYS-ROSTER")
    repo.git("branch", "-f", "main")
    repo.git("rm", "-q", "systems/SYS-ROSTER.yaml")
    result, gates = gated(repo, cli)
    assert gates["management-record-removed"] == []
    assert json.loads(result.stdout)["removed"] == [
        {"kind": "AISystem", "id": "SYS-ROSTER", "path": "systems/SYS-ROSTER.yaml"}
    ]


def test_an_ai_system_made_invalid_cannot_be_judged_still_in_the_inventory(
    tmp_path: Path, cli: Cli
) -> None:
    # SYS-FRAUD gains an unknown field: whether it is still a system there cannot be told.
    repo = northwind(tmp_path)
    edit(repo, "systems/SYS-FRAUD.yaml", "stage: production\n", "stage: production\nnote: x\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["management-record-removed"] == ["SYS-FRAUD"]
    assert "the gates cannot judge: SYS-FRAUD" in result.stderr


def test_the_ai_policy_withdrawn_without_a_successor(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "policies/POL-AI.yaml", "status: approved\n", "status: retired\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["policy-withdrawn"] == ["POL-AI"]
    assert gates["management-record-removed"] == []
    assert json.loads(result.stdout)["withdrawn_policies"] == [
        {"id": "POL-AI", "version": "2.1", "now": "retired at HEAD",
         "path": "policies/POL-AI.yaml"}
    ]  # fmt: skip
    md = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md")
    assert md.stdout.splitlines()[1] == (
        "### ⚠️ governance gets worse: 1 AI policy withdrawn without a successor"
    )
    assert (
        "| `POL-AI` | AI policy withdrawn: version 2.1 approved at BASE, retired at HEAD; "
        "no policy is approved at HEAD | `policies/POL-AI.yaml` |" in md.stdout
    )


def test_a_policy_superseded_by_an_approved_successor_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    text = (repo.root / "policies/POL-AI.yaml").read_text(encoding="utf-8")
    successor = text.replace("id: POL-AI\n", "id: POL-AI-3\n").replace('"2.1"', '"3.0"')
    (repo.root / "policies/POL-AI-3.yaml").write_text(successor, encoding="utf-8")
    edit(repo, "policies/POL-AI.yaml", "status: approved\n", "status: retired\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates["policy-withdrawn"] == gates["management-record-removed"] == []


def test_an_approval_deleted_under_an_approved_status_is_no_approval(
    tmp_path: Path, cli: Cli
) -> None:
    # POL-AI and IA-HIRE-2026 keep `status: approved` with their `approval` deleted:
    # validate reports AIMS604, AIMS403 and AIMS401 at HEAD, and this was "no governance
    # regressions" with every gate, the policy's line even reading "approved".
    repo = northwind(tmp_path)
    edit(repo, "policies/POL-AI.yaml", "approval:\n  by: board-risk-committee-chair\n", "")
    edit(repo, "policies/POL-AI.yaml", "  on: 2026-09-24\n", "")
    edit(
        repo,
        "assessments/IA-HIRE-2026.yaml",
        "approval:\n  by: chief-people-officer@northwind.example\n  on: 2026-09-03\n",
        "",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["policy-withdrawn"] == ["POL-AI"]
    assert gates["management-record-removed"] == ["IA-HIRE-2026"]
    document = json.loads(result.stdout)
    assert document["management_events"] == []
    assert document["withdrawn_policies"][0]["now"] == (
        "approved at HEAD without its approval recorded"
    )
    assert document["unapproved_assessments"] == [
        {"kind": "ImpactAssessment", "id": "IA-HIRE-2026",
         "path": "assessments/IA-HIRE-2026.yaml",
         "now": "assessment of SYS-HIRE, approved at BASE; at HEAD IA-HIRE-2026 says "
                "approved without recording the approval (by, on)"}
    ]  # fmt: skip
    # Left unrecorded by an earlier change, a later one is not blamed for it.
    edit(repo, "policies/POL-AI.yaml", "tags: [policy, board]\n", "tags: [policy]\n")
    repo.commit("A later change")
    later = cli(
        "diff", "HEAD~1", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", "policy-withdrawn",
    )  # fmt: skip
    assert later.exit_code == 0, later.stderr
    assert json.loads(later.stdout)["withdrawn_policies"] == []
    # Still the policy AIMS601 counts in force: retiring it, with no successor, is.
    edit(repo, "policies/POL-AI.yaml", "status: approved", "status: retired")
    repo.commit("Retired")
    retired = cli(
        "diff", "HEAD~1", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "json",
        "--fail-on", "policy-withdrawn",
    )  # fmt: skip
    assert retired.exit_code == 1, retired.stderr
    assert json.loads(retired.stdout)["withdrawn_policies"][0]["now"] == "retired at HEAD"


def test_an_approver_made_a_placeholder_is_no_approval(tmp_path: Path, cli: Cli) -> None:
    # `approval.by: "TODO: ..."` under `status: approved`: validate counts neither the
    # policy (AIMS601) nor the assessment (AIMS401); diff said "no governance
    # regressions" and logged the policy as approved "by TODO: chair".
    repo = northwind(tmp_path)
    edit(repo, "policies/POL-AI.yaml", "by: board-risk-committee-chair", 'by: "TODO: chair"')
    edit(
        repo,
        "assessments/IA-HIRE-2026.yaml",
        "by: chief-people-officer@northwind.example",
        'by: "TODO: approver"',
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["policy-withdrawn"] == ["POL-AI"]
    assert gates["management-record-removed"] == ["IA-HIRE-2026"]
    document = json.loads(result.stdout)
    assert document["management_events"] == []
    assert document["withdrawn_policies"][0]["now"] == (
        "approved at HEAD while it holds placeholder text (TODO:)"
    )
    [assessment] = document["unapproved_assessments"]
    assert "placeholder (TODO:) as approval.by" in assessment["now"], assessment


def test_a_closure_that_stood_at_base_cannot_be_undone_silently(tmp_path: Path, cli: Cli) -> None:
    # NC-2025-01, closed at both revisions, its effectiveness review edited to "not
    # effective": validate reports AIMS621 at HEAD; this was "no governance regressions".
    repo = northwind(tmp_path)
    edit(repo, "nonconformities/NC-2025-01.yaml", "effective: true", "effective: false")
    result, _ = gated(repo, cli)
    assert json.loads(result.stdout)["unverified_closures"] == [
        {"kind": "Nonconformity", "id": "NC-2025-01", "path": "nonconformities/NC-2025-01.yaml",
         "now": "closed, but its review found the corrective action not effective"}
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 1 nonconformity closed without its closure standing"
    )


def test_the_shipped_workflows_gate_on_every_way_governance_gets_worse() -> None:
    """The action's default `fail-on`, the workflow `init` writes and docs/ci.md name
    every --fail-on gate: a gate added later is not left out of them."""
    every = ",".join(FAIL_ON)
    root = Path(__file__).parents[2]
    for rel in (
        "action.yml",
        "src/aimsctl/starter/.github/workflows/aimsctl.yml.j2",
        "docs/ci.md",
    ):
        text = (root / rel).read_text(encoding="utf-8")
        named = re.findall(r"appetite-crossed[a-z,-]*", text)
        assert named and set(named) == {every}, rel


def test_statuses_going_backwards_are_regressions(tmp_path: Path, cli: Cli) -> None:
    # A completed audit set back to planned, a nonconformity closed while both its
    # corrective actions are open, and R-010 (accepted above the appetite at 10 high)
    # raised to 15: "no governance regressions", exit 0 with every gate.
    repo = northwind(tmp_path)
    edit(repo, "audits/AUD-2025.yaml", "status: completed\n", "status: planned\n")
    edit(
        repo,
        "nonconformities/NC-2026-02.yaml",
        "status: action-planned\n",
        "effectiveness:\n  on: 2026-11-20\n  by: internal-audit@northwind.example\n"
        "  effective: true\nstatus: closed\n",
    )
    edit(
        repo,
        "risks/R-010.yaml",
        "likelihood: Unlikely, severity: Major}",
        "likelihood: Possible, severity: Major}",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    # The record of an audit conducted is gone as surely as if it were deleted.
    assert gates["management-record-removed"] == ["AUD-2025"]
    assert {name for name, ids in gates.items() if ids} == {"management-record-removed"}
    document = json.loads(result.stdout)
    assert document["uncompleted_audits"] == [
        {"kind": "InternalAudit", "id": "AUD-2025", "path": "audits/AUD-2025.yaml",
         "now": "completed at BASE, planned at HEAD"}
    ]  # fmt: skip
    assert document["unverified_closures"] == [
        {"kind": "Nonconformity", "id": "NC-2026-02", "path": "nonconformities/NC-2026-02.yaml",
         "now": "closed with 2 corrective actions not done (1, 2)"}
    ]  # fmt: skip
    assert document["raised_above_appetite"] == ["R-010"]
    assert document["risk_changes"][0]["appetite_crossed"] is False
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 1 risk above the appetite raised further, 1 internal audit "
        "no longer completed, 1 nonconformity closed without its closure standing"
    )
    md = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md").stdout
    assert (
        "| `AUD-2025` | internal audit no longer completed (completed at BASE, planned at HEAD) |"
        in md
    )
    assert "| `NC-2026-02` | nonconformity closed with 2 corrective actions not done (1, 2) |" in md
    assert (
        "| `R-010` | risk above the appetite raised further (10 high (residual) -\\> 15 high" in md
    )


def test_a_closure_that_stands_or_a_risk_lowered_above_the_appetite_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    # NC-2026-01 closed with both actions done and an effective review; R-010 lowered.
    repo = northwind(tmp_path)
    edit(
        repo,
        "nonconformities/NC-2026-01.yaml",
        "status: verifying\n",
        "effectiveness:\n  on: 2026-11-20\n  by: internal-audit@northwind.example\n"
        "  effective: true\nstatus: closed\n",
    )
    edit(repo, "risks/R-010.yaml", "severity: Major}", "severity: Moderate}", "residual:")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert not any(gates.values())
    document = json.loads(result.stdout)
    assert document["raised_above_appetite"] == document["unverified_closures"] == []
    assert (
        "no governance regressions"
        in cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    )


def test_an_approved_impact_assessment_set_back_to_draft_is_a_record_removed(
    tmp_path: Path, cli: Cli
) -> None:
    # IA-CREDIT-2026, SYS-CREDIT's current approved assessment, back to draft and
    # IA-HIRE-2026 back to in-review: validate reports AIMS401 at HEAD, and this was
    # "no governance regressions" with every gate. The approved result is gone as if
    # the record were deleted.
    repo = northwind(tmp_path)
    edit(repo, "assessments/IA-CREDIT-2026.yaml", "status: approved\n", "status: draft\n")
    edit(repo, "assessments/IA-HIRE-2026.yaml", "status: approved\n", "status: in-review\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["management-record-removed"] == ["IA-CREDIT-2026", "IA-HIRE-2026"]
    assert {name for name, ids in gates.items() if ids} == {"management-record-removed"}
    assert json.loads(result.stdout)["unapproved_assessments"] == [
        {"kind": "ImpactAssessment", "id": "IA-CREDIT-2026",
         "path": "assessments/IA-CREDIT-2026.yaml",
         "now": "assessment of SYS-CREDIT, approved at BASE, draft at HEAD"},
        {"kind": "ImpactAssessment", "id": "IA-HIRE-2026",
         "path": "assessments/IA-HIRE-2026.yaml",
         "now": "assessment of SYS-HIRE, approved at BASE, in-review at HEAD"},
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == "governance gets worse: 2 impact assessments no longer approved"
    md = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md").stdout
    assert (
        "| `IA-CREDIT-2026` | impact assessment no longer approved (assessment of SYS-CREDIT, "
        "approved at BASE, draft at HEAD) | `assessments/IA-CREDIT-2026.yaml` |" in md
    )


def test_an_approved_impact_assessment_superseded_trips_nothing(tmp_path: Path, cli: Cli) -> None:
    # Superseding is how an approved assessment is replaced: IA-HIRE-2025 is superseded
    # already; IA-CREDIT-2026 superseded by IA-CREDIT-2027, approved the same day.
    repo = northwind(tmp_path)
    text = (repo.root / "assessments/IA-CREDIT-2026.yaml").read_text(encoding="utf-8")
    successor = text.replace("id: IA-CREDIT-2026\n", "id: IA-CREDIT-2027\n").replace(
        "on: 2026-09-15", "on: 2026-11-20"
    )
    (repo.root / "assessments/IA-CREDIT-2027.yaml").write_text(successor, encoding="utf-8")
    edit(repo, "assessments/IA-CREDIT-2026.yaml", "status: approved\n", "status: superseded\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates["management-record-removed"] == []
    assert json.loads(result.stdout)["unapproved_assessments"] == []


def reactivate_churn(repo: GitRepo, new_id: str | None = None) -> None:
    """SYS-CHURN (retired at BASE, no impact assessment) back in production, under
    ``new_id`` when given (its file moved to match)."""
    path = repo.root / "systems" / "SYS-CHURN.yaml"
    text = path.read_text(encoding="utf-8").replace("stage: retired", "stage: production")
    if new_id is not None:
        repo.git("rm", "-q", "systems/SYS-CHURN.yaml")
        text = text.replace("id: SYS-CHURN\n", f"id: {new_id}\n")
        path = repo.root / "systems" / f"{new_id}.yaml"
    path.write_text(text, encoding="utf-8")


def test_a_retired_system_renamed_and_back_in_production_needs_an_assessment(
    tmp_path: Path, cli: Cli
) -> None:
    # SYS-CHURN (retired) becomes SYS-RETAIN in production: its removal trips nothing
    # (it was retired), and the new id has no approved impact assessment.
    repo = northwind(tmp_path)
    reactivate_churn(repo, "SYS-RETAIN")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["system-changed-without-assessment"] == ["SYS-RETAIN"]
    assert json.loads(result.stdout)["unassessed_systems"] == [
        {
            "id": "SYS-RETAIN",
            "path": "systems/SYS-RETAIN.yaml",
            "how": "new",
            "stage": "production",
            "missing": "there is none",
        }
    ]


def test_a_retired_system_back_in_production_needs_an_approved_assessment(
    tmp_path: Path, cli: Cli
) -> None:
    # The same id back from retired: a draft assessment added with it is no approval.
    repo = northwind(tmp_path)
    reactivate_churn(repo)
    text = (repo.root / "assessments" / "IA-ROSTER-2026.yaml").read_text(encoding="utf-8")
    (repo.root / "assessments" / "IA-CHURN.yaml").write_text(
        text.replace("id: IA-ROSTER-2026", "id: IA-CHURN")
        .replace("system: SYS-ROSTER", "system: SYS-CHURN")
        .replace("status: approved", "status: draft"),
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["system-changed-without-assessment"] == ["SYS-CHURN"]
    (unassessed,) = json.loads(result.stdout)["unassessed_systems"]
    assert unassessed["how"] == "reactivated"
    assert unassessed["missing"] == "IA-CHURN is only a draft"
    text_out = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert (
        "  SYS-CHURN  systems/SYS-CHURN.yaml  back from retired to production; no current "
        "approved impact assessment: IA-CHURN is only a draft\n"
    ) in text_out
    # Approved (by the same approver as IA-ROSTER-2026's), it covers the system.
    edit(repo, "assessments/IA-CHURN.yaml", "status: draft", "status: approved")
    result, gates = gated(repo, cli)
    assert gates["system-changed-without-assessment"] == []
    assert json.loads(result.stdout)["unassessed_systems"] == []


def test_a_new_system_not_yet_in_use_needs_no_approved_assessment_to_pass(
    tmp_path: Path, cli: Cli
) -> None:
    # A proposal enters the inventory before its assessment is approved; the gate
    # judges it when its stage moves on (a material change).
    repo = northwind(tmp_path)
    reactivate_churn(repo, "SYS-RETAIN")
    edit(repo, "systems/SYS-RETAIN.yaml", "stage: production", "stage: proposed")
    result, gates = gated(repo, cli)
    assert gates["system-changed-without-assessment"] == []
    assert json.loads(result.stdout)["new_systems_without_assessment"][0]["id"] == "SYS-RETAIN"


def test_a_risk_above_the_appetite_left_without_its_acceptance_is_a_regression(
    tmp_path: Path, cli: Cli
) -> None:
    # R-010 (10 high, above a medium appetite) loses its acceptance, and R-003's is
    # re-signed by someone who holds no Role (AIMS305): both scores stay as they were,
    # so nothing crossed or rose, and the diff said "no governance regressions" while
    # validate at HEAD reports both above the appetite with no acceptance in force.
    repo = northwind(tmp_path)
    path = repo.root / "risks" / "R-010.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("acceptance:\n")
    path.write_text(text[:start] + text[text.index("status: treating\n") :], encoding="utf-8")
    edit(repo, "risks/R-003.yaml", "by: chief-people-officer@", "by: intern@")
    result, gates = gated(repo, cli)
    assert not any(gates.values())  # no gate of its own: validate's AIMS303 fails at HEAD
    document = json.loads(result.stdout)
    assert document["risk_changes"] == []
    assert document["lost_acceptances"] == [
        {"kind": "Risk", "id": "R-003", "path": "risks/R-003.yaml",
         "now": "above the appetite (16 high, inherent), accepted at BASE; at HEAD its "
         "acceptance by 'intern@northwind.example' does not count (AIMS305)"},
        {"kind": "Risk", "id": "R-010", "path": "risks/R-010.yaml",
         "now": "above the appetite (10 high, residual), accepted at BASE; at HEAD its "
         "acceptance is removed"},
    ]  # fmt: skip
    text = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 2 risks above the appetite no longer accepted"
    )
    md = cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26", "--format", "md").stdout
    assert "| `R-010` | risk no longer accepted: above the appetite (10 high, residual)" in md


def test_an_acceptance_renewed_or_given_above_the_appetite_is_no_regression(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "risks/R-010.yaml", "expires: 2027-09-30", "expires: 2028-03-31")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert not any(gates.values())
    assert json.loads(result.stdout)["lost_acceptances"] == []
    assert (
        "no governance regressions"
        in cli("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26").stdout
    )


def test_each_group_has_one_name_in_the_text_and_the_comment(tmp_path: Path, cli: Cli) -> None:
    # A recorded breach deleted, a new risk above the appetite and a risk made invalid:
    # the text's heading of each group is the comment's summary row for it, word for
    # word. The text said "Recorded breaches no longer showing" and "Invalid records",
    # the comment "Monitors whose recorded breaches no longer show" and "Records
    # invalid at a revision"; the comment's "New risks above appetite" lacked "the".
    repo = northwind(tmp_path)
    edit(repo, "evidence/monitoring/assist-grounding-weekly-2026.csv", "2026-10-19,0.943,", "")
    risk = (repo.root / "risks" / "R-007.yaml").read_text(encoding="utf-8")
    (repo.root / "risks" / "R-900.yaml").write_text(
        risk.replace("id: R-007", "id: R-900").replace(
            "residual: {likelihood: Unlikely, severity: Major}",
            "residual: {likelihood: Likely, severity: Major}",
        ),
        encoding="utf-8",
    )
    owner = "\nowner: hr-analytics-lead@northwind.example"
    edit(repo, "risks/R-001.yaml", owner, "\nowner: [1, 2]")
    repo.commit("The pull request")
    args = ("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26")
    text = cli(*args).stdout
    markdown = cli(*args, "--format", "md").stdout
    for name in [
        "Monitors whose recorded breaches no longer show",
        "New risks above the appetite",
        "Records invalid at a revision",
    ]:
        assert f"\n{name} (1)\n" in text
        assert re.search(rf"^\| {name} \| (⚠️ )?1 \|$", markdown, re.MULTILINE), name
    headings = re.findall(r"^(\S[^\n]*) \(\d+\)$", text, re.MULTILINE)
    rows = re.findall(r"^\| ([^|`]+) \| ", markdown, re.MULTILINE)
    layout = {"Added", "Removed", "Changed", "Risk scores", "System tiers"}
    assert set(headings) - layout <= set(rows)


def test_a_record_signed_off_cannot_be_rewritten_under_the_same_sign_off(
    tmp_path: Path, cli: Cli
) -> None:
    # IA-CREDIT-2026 (approved 2026-09-15) gets a lower rating and a mitigation less on
    # an impact, POL-AI (approved 2026-09-24) loses a commitment, AUD-2025 (completed
    # 2025-06-13) has a finding rewritten: each still vouched for by the same sign-off.
    repo = northwind(tmp_path)
    edit(
        repo,
        "assessments/IA-CREDIT-2026.yaml",
        "    likelihood: Possible\n    severity: Major\n    mitigations: [R-007, ORG-2, A.9.4]",
        "    likelihood: Rare\n    severity: Major\n    mitigations: [R-007, ORG-2]",
    )
    edit(
        repo,
        "policies/POL-AI.yaml",
        "commitments: [requirements, continual-improvement, objectives-framework]",
        "commitments: [requirements, continual-improvement]",
    )
    edit(repo, "audits/AUD-2025.yaml", "two to four months later", "a few weeks later")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates["approved-record-rewritten"] == ["AUD-2025", "IA-CREDIT-2026", "POL-AI"]
    assert {name for name, ids in gates.items() if ids} == {"approved-record-rewritten"}
    assert "approved-record-rewritten: AUD-2025, IA-CREDIT-2026, POL-AI" in result.stderr
    rewritten = json.loads(result.stdout)["rewritten_sign_offs"]
    assert [(r["kind"], r["id"], r["path"], r["signed_off"], r["fields"]) for r in rewritten] == [
        ("InternalAudit", "AUD-2025", "audits/AUD-2025.yaml", "completed on 2025-06-13",
         ["findings"]),
        ("ImpactAssessment", "IA-CREDIT-2026", "assessments/IA-CREDIT-2026.yaml",
         "approved by chief-credit-officer@northwind.example on 2026-09-15", ["impacts"]),
        ("Policy", "POL-AI", "policies/POL-AI.yaml",
         "approved by board-risk-committee-chair on 2026-09-24", ["commitments"]),
    ]  # fmt: skip
    assert rewritten[1]["fix"].startswith("have it approved again in this change")
    assert rewritten[2]["fix"].startswith("have it approved again in this change")
    assert rewritten[0]["fix"].startswith("leave the completed audit as it was reported")
    args = ("diff", "main", "HEAD", repo.root, "--as-of", "2026-11-26")
    text = cli(*args).stdout
    assert text.splitlines()[1] == (
        "governance gets worse: 3 signed-off records changed without a new sign-off"
    )
    assert (
        "\nSigned-off records changed without a new sign-off (3)\n"
        "  AUD-2025  internal audit completed on 2025-06-13 at both revisions; changed: "
        "findings  audits/AUD-2025.yaml\n"
        "    fix: leave the completed audit as it was reported" in text
    )
    assert (
        "  IA-CREDIT-2026  impact assessment approved by chief-credit-officer@northwind.example "
        "on 2026-09-15 at both revisions; changed: impacts  assessments/IA-CREDIT-2026.yaml\n"
        "    fix: have it approved again in this change" in text
    )
    md = cli(*args, "--format", "md").stdout
    assert "| Signed-off records changed without a new sign-off | ⚠️ 3 |" in md
    assert (
        "| `POL-AI` | policy approved by board-risk-committee-chair on 2026-09-24 at both "
        "revisions; changed: commitments; fix: have it approved again in this change" in md
    )


def test_a_sign_off_is_not_renewed_by_a_name_in_another_case_or_an_audit_moved_a_day(
    tmp_path: Path, cli: Cli
) -> None:
    # The same approver written in capitals, or a completed audit's end moved a day
    # with findings deleted, read as a new sign-off and passed every gate; a reordered
    # list of mitigations tripped the gate although nothing signed off changed.
    repo = northwind(tmp_path)
    edit(
        repo,
        "assessments/IA-CREDIT-2026.yaml",
        "  by: chief-credit-officer@northwind.example",
        "  by: Chief-Credit-Officer@Northwind.example",
    )
    edit(repo, "assessments/IA-CREDIT-2026.yaml", "Continue automated", "Resume automated")
    edit(repo, "audits/AUD-2025.yaml", "  to: 2025-06-13", "  to: 2025-06-14")
    edit(
        repo,
        "assessments/IA-HIRE-2026.yaml",
        "mitigations: [R-001, ORG-1, A.5.4]",
        "mitigations: [A.5.4, R-001, ORG-1]",
    )
    result, gates = gated(repo, cli)
    assert gates["approved-record-rewritten"] == ["AUD-2025", "IA-CREDIT-2026"]
    fields = {r["id"]: r["fields"] for r in json.loads(result.stdout)["rewritten_sign_offs"]}
    assert fields == {"AUD-2025": ["performed"], "IA-CREDIT-2026": ["conclusion"]}


def test_a_new_sign_off_or_upkeep_of_a_signed_off_record_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    # Upkeep only: tags, owner, next review and title of records signed off.
    edit(repo, "policies/POL-AI.yaml", "tags: [policy, board]", "tags: [policy, board, ai]")
    edit(repo, "policies/POL-AI.yaml", "next_review: 2027-09-24", "next_review: 2027-06-24")
    edit(
        repo,
        "assessments/IA-CREDIT-2026.yaml",
        "owner: responsible-ai-office@northwind.example",
        "owner: head-of-model-risk@northwind.example",
    )
    edit(
        repo,
        "assessments/IA-CREDIT-2026.yaml",
        "next_review: 2027-03-12",
        "next_review: 2027-01-12",
    )
    edit(repo, "audits/AUD-2025.yaml", "management system, 2025", "management system (2025)")
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rewritten_sign_offs"] == []
    # The conclusion changed and approved again (a new day): a new sign-off.
    edit(repo, "assessments/IA-CREDIT-2026.yaml", "Continue automated", "Resume automated")
    edit(
        repo, "assessments/IA-CREDIT-2026.yaml", "  on: 2026-09-15\nnext", "  on: 2026-11-20\nnext"
    )
    # The same policy change approved again by someone else, the same day.
    edit(
        repo,
        "policies/POL-AI.yaml",
        "commitments: [requirements, continual-improvement, objectives-framework]",
        "commitments: [requirements, continual-improvement]",
    )
    edit(repo, "policies/POL-AI.yaml", "by: board-risk-committee-chair", "by: ceo")
    result, gates = gated(repo, cli)
    assert gates["approved-record-rewritten"] == []
    # An approved assessment changed and set back to in-review, awaiting approval: no
    # longer approved at HEAD, so nothing signed off is rewritten (the approval lost
    # trips management-record-removed).
    edit(repo, "assessments/IA-HIRE-2026.yaml", "Continue in New York", "Continue in Boston")
    edit(repo, "assessments/IA-HIRE-2026.yaml", "status: approved\n", "status: in-review\n")
    result, gates = gated(repo, cli)
    assert gates["approved-record-rewritten"] == []
    assert gates["management-record-removed"] == ["IA-HIRE-2026"]
    assert json.loads(result.stdout)["rewritten_sign_offs"] == []


def test_a_record_signed_off_for_the_first_time_in_the_change_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    # IA-FRAUD-2026 is in review at BASE; the change rewrites a concern and approves it.
    repo = northwind(tmp_path)
    edit(
        repo,
        "assessments/IA-FRAUD-2026.yaml",
        "status: in-review\n",
        "status: approved\napproval:\n  by: head-of-fraud@northwind.example\n  on: 2026-11-20\n"
        "decision: proceed\n",
    )
    edit(repo, "assessments/IA-FRAUD-2026.yaml", "Delays caused by", "Delays and costs caused by")
    result, gates = gated(repo, cli)
    assert gates["approved-record-rewritten"] == []
    assert json.loads(result.stdout)["rewritten_sign_offs"] == []
    assert result.exit_code == 0, result.stderr
