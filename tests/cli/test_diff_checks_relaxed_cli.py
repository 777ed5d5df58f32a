"""`aimsctl diff --fail-on checks-relaxed`: a pull request that makes `validate` ask
less (a rule switched off or lowered, a waiver added, extended or widened, a tier's
governance or the management cadence made laxer, checked files excluded) cannot pass
every gate. Each test commits a change to the bundled example on a branch and runs the
gates as CI does; tightening the same settings trips nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_diff_gates_cli import edit, gated, northwind  # the example on a branch, as CI runs

from aimsctl.vocabulary import CHECKS_RELAXED
from conftest import EXAMPLE, CliResult
from gitrepo import GitRepo

Cli = Callable[..., CliResult]
AS_OF = "2026-11-26"


def relaxed(result: CliResult) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = json.loads(result.stdout)["relaxed_checks"]
    return checks


def only_this_gate(gates: dict[str, list[str]]) -> None:
    """No gate but checks-relaxed trips: the records themselves did not change."""
    assert {name: ids for name, ids in gates.items() if ids and name != CHECKS_RELAXED} == {}


def rebase_main(repo: GitRepo, message: str) -> None:
    """Commit what is written so far and make it `main`: BASE of the next change."""
    repo.commit(message)
    repo.git("branch", "-f", "main")


def text_of(repo: GitRepo, cli: Cli, *options: str) -> str:
    return cli("diff", "main", "HEAD", repo.root, "--as-of", AS_OF, *options).stdout


def test_a_rule_switched_off_or_lowered_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    # AIMS503 (a warning) off, AIMS204 (an error) down to a warning, and the override
    # that made AIMS501 an error removed: three rules validate asks less of.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "rules: {}\n", "rules: {AIMS501: error}\n")
    rebase_main(repo, "AIMS501 is an error here")
    edit(
        repo, "aims.yaml", "rules: {AIMS501: error}\n", "rules: {AIMS503: off, AIMS204: warning}\n"
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "checks-relaxed: rules.AIMS204, rules.AIMS501, rules.AIMS503" in result.stderr
    only_this_gate(gates)
    assert relaxed(result)[0] == {
        "what": "rule",
        "id": "rules.AIMS204",
        "before": "error",
        "after": "warning",
        "now": "rule AIMS204 (applicable-control-incomplete): error (its default) -> warning; "
        "its findings no longer fail validate (only with --strict)",
        "path": "aims.yaml",
        "records": [],
    }
    assert [(c["before"], c["after"]) for c in relaxed(result)[1:]] == [
        ("error", "warning"),
        ("warning", "off"),
    ]
    text = text_of(repo, cli)
    assert text.splitlines()[1] == (
        "governance gets worse: 3 checks relaxed by aims.yaml or waivers"
    )
    assert (
        "  rules.AIMS501  rule AIMS501 (review-overdue): error -> warning (its default); its "
        "findings no longer fail validate (only with --strict)  aims.yaml\n"
    ) in text
    md = text_of(repo, cli, "--format", "md")
    assert "| Checks relaxed by aims.yaml or waivers | ⚠️ 3 |" in md
    assert (
        "| `rules.AIMS503` | ⚠️ rule AIMS503 (implemented-without-evidence): warning (its "
        "default) -\\> off; its findings are no longer reported | `aims.yaml` |"
    ) in md


def test_a_rule_raised_or_an_override_that_lowered_it_removed_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "rules: {}\n", "rules: {AIMS503: off, AIMS204: warning}\n")
    rebase_main(repo, "Two rules relaxed")
    edit(
        repo,
        "aims.yaml",
        "rules: {AIMS503: off, AIMS204: warning}\n",
        "rules: {AIMS503: warning, AIMS501: error}\n",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []


def test_a_waiver_added_or_extended_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    # WVR-1's expiry is pushed a year later; WVR-8 is new and waives AIMS503 on ORG-3.
    repo = northwind(tmp_path)
    edit(repo, "waivers/WVR-1.yaml", "expires: 2027-06-30\n", "expires: 2028-06-30\n")
    text = (repo.root / "waivers" / "WVR-1.yaml").read_text(encoding="utf-8")
    (repo.root / "waivers" / "WVR-8.yaml").write_text(
        text.replace("id: WVR-1", "id: WVR-8").replace("records: [ORG-2]", "records: [ORG-3]"),
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "checks-relaxed: WVR-1, WVR-8" in result.stderr
    only_this_gate(gates)
    assert relaxed(result) == [
        {
            "what": "waiver",
            "id": "WVR-1",
            "before": {"rule": "AIMS503", "records": ["ORG-2"], "expires": "2027-06-30"},
            "after": {"rule": "AIMS503", "records": ["ORG-2"], "expires": "2028-06-30"},
            "now": "AIMS503 (implemented-without-evidence) waived on ORG-2 until 2028-06-30; "
            "at BASE AIMS503 on ORG-2 until 2027-06-30",
            "path": "waivers/WVR-1.yaml",
            "records": ["ORG-2"],
        },
        {
            "what": "waiver",
            "id": "WVR-8",
            "before": None,
            "after": {"rule": "AIMS503", "records": ["ORG-3"], "expires": "2028-06-30"},
            "now": "new waiver: AIMS503 (implemented-without-evidence) waived on ORG-3 until "
            "2028-06-30",
            "path": "waivers/WVR-8.yaml",
            "records": ["ORG-3"],
        },
    ]
    assert (
        "  WVR-8  new waiver: AIMS503 (implemented-without-evidence) waived on ORG-3 until "
        "2028-06-30  waivers/WVR-8.yaml\n"
    ) in text_of(repo, cli)


def test_a_waiver_widened_to_more_records_or_another_rule_trips_the_gate(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "waivers/WVR-1.yaml", "records: [ORG-2]\n", "records: [ORG-2, ORG-3]\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["WVR-1"]
    assert relaxed(result)[0]["records"] == ["ORG-3"]  # ORG-2 is waived as long as before
    edit(repo, "waivers/WVR-1.yaml", "rule: AIMS503\n", "rule: AIMS204\n")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["WVR-1"]
    assert relaxed(result)[0]["records"] == ["ORG-2", "ORG-3"]
    assert relaxed(result)[0]["now"].endswith("at BASE AIMS503 on ORG-2 until 2027-06-30")


def test_a_waiver_renamed_shortened_narrowed_or_expired_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    # WVR-1 becomes WVR-9 in another file, expiring earlier: nothing more is waived. A
    # waiver added that has already expired waives nothing (validate reports it).
    repo = northwind(tmp_path)
    text = (repo.root / "waivers" / "WVR-1.yaml").read_text(encoding="utf-8")
    repo.git("rm", "-q", "waivers/WVR-1.yaml")
    (repo.root / "waivers").mkdir(exist_ok=True)  # WVR-2 keeps it
    (repo.root / "waivers" / "renamed.yaml").write_text(
        text.replace("id: WVR-1", "id: WVR-9").replace("2027-06-30", "2027-03-31"),
        encoding="utf-8",
    )
    (repo.root / "waivers" / "old.yaml").write_text(
        text.replace("id: WVR-1", "id: WVR-OLD").replace("2027-06-30", "2026-11-25"),
        encoding="utf-8",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []


def test_a_waiver_approved_at_head_by_someone_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    """WVR-1, approved by a `TODO:` placeholder at BASE, waived nothing there; filling
    in its approver makes it waive ORG-2's finding. The gate took it as in force at
    BASE and tripped nothing, even with the expiry shortened. A waiver added with a
    placeholder approver waives nothing, and trips nothing."""
    repo = northwind(tmp_path)
    path = repo.root / "waivers" / "WVR-1.yaml"
    signed = path.read_text(encoding="utf-8")
    approver = "approved_by: chief-risk-officer@northwind.example\n"
    unsigned = signed.replace(approver, 'approved_by: "TODO: who approves"\n')
    assert unsigned != signed
    path.write_text(unsigned, encoding="utf-8")
    rebase_main(repo, "WVR-1 not approved yet")
    path.write_text(signed.replace("2027-06-30", "2027-01-31"), encoding="utf-8")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["WVR-1"]
    [check] = relaxed(result)
    assert check["records"] == ["ORG-2"]
    assert check["now"].endswith(
        "at BASE it waived nothing (WVR-1 names a placeholder (TODO:) as approved_by, so it "
        "does not count as approved)"
    )
    path.write_text(unsigned, encoding="utf-8")
    (repo.root / "waivers" / "WVR-8.yaml").write_text(
        unsigned.replace("id: WVR-1", "id: WVR-8").replace("[ORG-2]", "[ORG-3]"), encoding="utf-8"
    )
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []


def test_a_waiver_that_cannot_be_judged_at_head_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    # WVR-1 gets its expiry twice: aimsctl reads the first, other YAML readers the last.
    repo = northwind(tmp_path)
    edit(
        repo,
        "waivers/WVR-1.yaml",
        "expires: 2027-06-30\n",
        "expires: 2027-06-30\nexpires: 2099-12-31\n",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["WVR-1"]
    assert "the gates cannot judge: WVR-1" in result.stderr


def test_a_tiers_governance_made_laxer_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "review_days: 90\n", "review_days: 120\n")
    edit(repo, "aims.yaml", "impact_assessment: true\n", "impact_assessment: false\n", "high:")
    edit(repo, "aims.yaml", "evaluation_days: 365\n", "evaluation_days: null\n", "high:")
    edit(repo, "aims.yaml", "monitoring: true\n", "monitoring: false\n", "critical:")
    edit(repo, "aims.yaml", "min_oversight: periodic-review\n", "min_oversight: none\n")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    only_this_gate(gates)
    assert gates[CHECKS_RELAXED] == [
        "governance.critical.monitoring",
        "governance.critical.review_days",
        "governance.high.evaluation_days",
        "governance.high.impact_assessment",
        "governance.medium.min_oversight",
    ]
    checks = {c["id"]: c for c in relaxed(result)}
    assert checks["governance.high.evaluation_days"] == {
        "what": "governance",
        "id": "governance.high.evaluation_days",
        "before": 365,
        "after": None,
        "now": "a system of tier high: evaluation_days 365 -> null; it no longer needs a "
        "passing evaluation",
        "path": "aims.yaml",
        "records": [],
    }
    assert (
        "  governance.medium.min_oversight  a system of tier medium: min_oversight "
        "periodic-review -> none; it may have weaker human oversight  aims.yaml\n"
    ) in text_of(repo, cli)


def test_a_renamed_band_cannot_ask_less_than_the_one_it_replaces(tmp_path: Path, cli: Cli) -> None:
    # `critical` becomes `severe`, with the governance of the old `high` tier.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "{name: critical, max: 25}", "{name: severe, max: 25}")
    edit(
        repo, "aims.yaml", "  critical:\n    review_days: 90\n", "  severe:\n    review_days: 180\n"
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert "governance.severe.review_days" in gates[CHECKS_RELAXED]
    checks = {c["id"]: c for c in relaxed(result)}
    assert checks["governance.severe.review_days"]["now"] == (
        "a system of tier severe: review_days 90 -> 180 (no band severe at BASE: compared "
        "with critical, at its place); its records are due for review less often"
    )


def test_tighter_governance_and_cadence_trip_nothing(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "review_days: 90\n", "review_days: 60\n")
    edit(repo, "aims.yaml", "monitoring: false\n", "monitoring: true\n", "medium:")
    edit(repo, "aims.yaml", "evaluation_days: null\n", "evaluation_days: 730\n", "low:")
    edit(repo, "aims.yaml", "internal_audit_days: 365", "internal_audit_days: 180")
    edit(repo, "aims.yaml", "established: 2024-09-02", "established: 2024-06-01")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []
    assert len(json.loads(result.stdout)["config"]) == 5  # shown, as every setting changed


def test_a_longer_cadence_or_a_later_start_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "management_review_days: 365", "management_review_days: 730")
    edit(repo, "aims.yaml", "established: 2024-09-02", "established: 2025-09-02")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    only_this_gate(gates)
    assert [(c["id"], c["before"], c["after"]) for c in relaxed(result)] == [
        ("cadence.management_review_days", 365, 730),
        ("established", "2024-09-02", "2025-09-02"),
    ]
    text = text_of(repo, cli)
    assert (
        "  cadence.management_review_days  management reviews are due every 730 days, not "
        "every 365  aims.yaml\n"
    ) in text
    # The records show the AIMS at work from the 2025 internal audit (2025-06-02), which
    # is the day counted (AIMS622): later than BASE's start all the same.
    assert (
        "  established  established 2024-09-02 -> 2025-09-02; the records show the management "
        "system at work since 2025-06-02, so the first internal audit and management review "
        "fall due later, from that day  aims.yaml\n"
    ) in text


def test_established_moved_later_than_the_records_says_what_counts(
    tmp_path: Path, cli: Cli
) -> None:
    # `established` moved from 2025-09-01 to 2026-09-01, while the records show the AIMS
    # at work since 2025-06-02: that day counted before and still does. The diff said
    # the first audit and review fall due later, which they no longer do; the setting
    # still moved later, so it is still listed, saying what counts.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "established: 2024-09-02", "established: 2025-09-01")
    rebase_main(repo, "The AIMS started later")
    edit(repo, "aims.yaml", "established: 2025-09-01", "established: 2026-09-01")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["established"]
    assert relaxed(result)[0]["now"] == (
        "established 2025-09-01 -> 2026-09-01; the records show the management system at "
        "work since 2025-06-02, so the first internal audit and management review fall due "
        "no later than before, counted from that day; but `established` no longer says when "
        "it started (AIMS622)"
    )


def test_established_dropped_counts_only_when_the_records_start_later(
    tmp_path: Path, cli: Cli
) -> None:
    # Without `established`, the AIMS starts on the first day its records show it at work:
    # in the example, the 2025 internal audit (2025-06-02), later than 2024-09-02.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "established: 2024-09-02\n", "")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["established"]
    assert relaxed(result)[0]["after"] is None
    assert relaxed(result)[0]["now"] == (
        "established 2024-09-02 -> null; the records show the management system at work "
        "since 2025-06-02, so the first internal audit and management review fall due later"
    )
    # Established after that day, its removal moves the start earlier: nothing relaxed.
    repo.git("checkout", "-q", "main", "--", "aims.yaml")
    edit(repo, "aims.yaml", "established: 2024-09-02", "established: 2025-09-01")
    rebase_main(repo, "The AIMS started later")
    edit(repo, "aims.yaml", "established: 2025-09-01\n", "")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == [], relaxed(result)


def test_files_excluded_that_were_checked_trip_the_gate(tmp_path: Path, cli: Cli) -> None:
    # The roles leave validation: their four files stay, excluded. Deleting a folder and
    # excluding it in the same change leaves out no file that is there: no relaxed check.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "exclude: [drafts/**]", "exclude: [drafts/**, roles/**, docs/**]")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["exclude"]
    (check,) = relaxed(result)
    assert check["before"] == ["drafts/**"]
    assert check["after"] == ["drafts/**", "roles/**", "docs/**"]
    assert check["now"] == (
        "4 files that BASE checked are no longer read: roles/executive.yaml, "
        "roles/group-functions.yaml, roles/northwind-health.yaml, roles/northwind-lending.yaml"
    )
    assert set(check["records"]) == {
        r["id"] for r in json.loads(result.stdout)["removed"] if r["path"].startswith("roles/")
    }


def test_a_folder_deleted_and_excluded_or_an_exclusion_narrowed_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "exclude: [drafts/**]", "exclude: [drafts/**, roles/**]")
    repo.git("rm", "-q", "-r", "roles")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []
    edit(repo, "aims.yaml", "exclude: [drafts/**, roles/**]", "exclude: []")
    _, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == []


def test_a_cadence_block_equal_to_the_defaults_deleted_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    # The example writes the defaults out (365 days each): without the block they hold.
    repo = northwind(tmp_path)
    edit(
        repo,
        "aims.yaml",
        "cadence: {internal_audit_days: 365, management_review_days: 365, "
        "policy_review_days: 365}\n",
        "",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 0, result.stderr
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []


def test_a_shorter_cadence_deleted_falls_back_to_the_default_and_trips_the_gate(
    tmp_path: Path, cli: Cli
) -> None:
    # BASE audits every 180 days; HEAD drops the block, so the default 365 days hold.
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "internal_audit_days: 365", "internal_audit_days: 180")
    rebase_main(repo, "Audits twice a year")
    edit(
        repo,
        "aims.yaml",
        "cadence: {internal_audit_days: 180, management_review_days: 365, "
        "policy_review_days: 365}\n",
        "",
    )
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    only_this_gate(gates)
    assert [(c["id"], c["before"], c["after"]) for c in relaxed(result)] == [
        ("cadence.internal_audit_days", 180, 365)
    ]


def test_a_stricter_governance_tier_deleted_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    # Without its own `medium:` policy, a medium system keeps medium's defaults (at least
    # what `low` asks): no evaluation, where the example asked one every 730 days.
    repo = northwind(tmp_path)
    text = (repo.root / "aims.yaml").read_text(encoding="utf-8")
    start = text.index("  medium:\n    review_days")
    end = text.index("  low:\n", start)
    (repo.root / "aims.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["governance.medium.evaluation_days"]


def test_the_whole_governance_block_deleted_trips_where_it_asked_more_than_the_default(
    tmp_path: Path, cli: Cli
) -> None:
    # The example re-tests medium systems every 730 days; the default asks no evaluation.
    repo = northwind(tmp_path)
    text = (repo.root / "aims.yaml").read_text(encoding="utf-8")
    start = text.index("governance:\n")
    end = text.index("rules: {}\n", start)
    (repo.root / "aims.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["governance.medium.evaluation_days"]
    assert relaxed(result)[0]["before"] == 730 and relaxed(result)[0]["after"] is None


def test_a_rules_block_that_raised_a_rule_deleted_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(repo, "aims.yaml", "rules: {}\n", "rules: {AIMS501: error}\n")
    rebase_main(repo, "AIMS501 is an error here")
    edit(repo, "aims.yaml", "rules: {AIMS501: error}\n", "")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    only_this_gate(gates)
    assert [(c["id"], c["before"], c["after"]) for c in relaxed(result)] == [
        ("rules.AIMS501", "error", "warning")
    ]


def test_files_validate_could_not_read_at_base_count_when_excluded(
    tmp_path: Path, cli: Cli
) -> None:
    # BASE holds files validate reports and cannot read: R-OLD.YAML (an upper-case
    # extension) and a name that is not UTF-8. Both are AIMS008 errors at BASE; HEAD's
    # `exclude:` silences them while the files stay, so validate sees less.
    repo = northwind(tmp_path)
    (repo.root / "legacy").mkdir()
    (repo.root / "legacy" / "R-OLD.YAML").write_text("id: R-OLD\n", encoding="utf-8")
    (repo.root / "latin1").mkdir()
    with open(os.fsencode(repo.root / "latin1") + b"/caf\xe9.yaml", "wb") as file:
        file.write(b"id: R-CAFE\n")
    rebase_main(repo, "Files validate cannot read")
    edit(repo, "aims.yaml", "exclude: [drafts/**]", "exclude: [drafts/**, legacy/**, latin1/**]")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    assert gates[CHECKS_RELAXED] == ["exclude"]
    (check,) = relaxed(result)
    assert check["now"] == (
        "2 files that BASE checked are no longer read: latin1/caf\\xe9.yaml, legacy/R-OLD.YAML"
    )
    assert check["records"] == []  # neither held a record BASE could read


def test_a_broken_file_excluded_counts_and_names_what_it_held(tmp_path: Path, cli: Cli) -> None:
    # A YAML error and a NUL byte: BASE read both files and reported them.
    repo = northwind(tmp_path)
    (repo.root / "legacy").mkdir()
    (repo.root / "legacy" / "bad.yaml").write_text("id: [R-BAD\n", encoding="utf-8")
    (repo.root / "legacy" / "nul.yaml").write_bytes(b"id: R-NUL\x00\n")
    rebase_main(repo, "Broken files")
    edit(repo, "aims.yaml", "exclude: [drafts/**]", "exclude: [drafts/**, legacy/**]")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["exclude"]
    assert relaxed(result)[0]["now"] == (
        "2 files that BASE checked are no longer read: legacy/bad.yaml, legacy/nul.yaml"
    )


def test_a_severity_floor_deleted_or_lowered_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    # No risk of the example is floored today, so no score moves and risk-criteria-relaxed
    # has nothing to judge; the criterion itself (a Severe harm is never below high) goes.
    repo = northwind(tmp_path)
    floor = "  severity_floor:\n    - {severity: Severe, min_band: high}\n"
    edit(repo, "aims.yaml", floor, "")
    result, gates = gated(repo, cli)
    assert result.exit_code == 1
    only_this_gate(gates)
    assert relaxed(result) == [
        {
            "what": "severity-floor",
            "id": "risk.severity_floor",
            "before": [{"severity": "Severe", "min_band": "high"}],
            "after": [],
            "now": "a risk of severity Severe (5) is no longer held at least high",
            "path": "aims.yaml",
            "records": [],
        }
    ]
    # Lowered to medium, or moved up the scale past Major: still less than BASE asked.
    edit(
        repo,
        "aims.yaml",
        "  residual_credit",
        floor.replace("high", "medium") + "  residual_credit",
    )
    _, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["risk.severity_floor"]
    repo.git("checkout", "-q", "main", "--", "aims.yaml")
    edit(
        repo, "aims.yaml", "{severity: Severe, min_band: high}", "{severity: Major, min_band: high}"
    )
    rebase_main(repo, "Major harm is never below high")
    edit(
        repo, "aims.yaml", "{severity: Major, min_band: high}", "{severity: Severe, min_band: high}"
    )
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["risk.severity_floor"]
    assert relaxed(result)[0]["now"] == (
        "a risk of severity Major (4) is no longer held at least high"
    )


def test_a_severity_floor_raised_or_widened_trips_nothing(tmp_path: Path, cli: Cli) -> None:
    repo = northwind(tmp_path)
    edit(
        repo,
        "aims.yaml",
        "{severity: Severe, min_band: high}",
        "{severity: Severe, min_band: critical}\n    - {severity: 4, min_band: medium}",
    )
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == [] and relaxed(result) == []


def test_a_linked_folder_or_a_submodule_never_checked_out_excluded_trips_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    # What BASE validated decides: validate follows no symbolic link to a folder (one
    # inside the repository, or one leading out of it, which a checkout reports as
    # AIMS008), and reads no file of a submodule never initialised (none is read at any
    # revision). Excluding them leaves validate reading the same records: nothing
    # relaxed. A submodule checked out is read at BASE, so excluding it trips the gate.
    team = GitRepo(tmp_path / "team")
    risk = (EXAMPLE / "risks" / "R-001.yaml").read_text(encoding="utf-8")
    team.write({"risks/R-T.yaml": risk.replace("id: R-001", "id: R-T01", 1)})
    team.commit("The team's risk")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "R-X.yaml").write_text("kind: Risk\nid: R-X\n", encoding="utf-8")
    repo = northwind(tmp_path)
    (repo.root / "mirror").symlink_to("roles", target_is_directory=True)
    (repo.root / "outside").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    pinned = team.git("rev-parse", "HEAD").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{pinned},absent")
    (repo.root / ".gitmodules").write_text(
        f'[submodule "absent"]\n\tpath = absent\n\turl = {team.top}\n', encoding="utf-8"
    )
    repo.add_submodule("present", team)
    rebase_main(repo, "A linked folder, a link out, two submodules")
    for folder in ("mirror", "outside", "absent"):
        repo.git("checkout", "-q", "main", "--", "aims.yaml")
        edit(repo, "aims.yaml", "exclude: [drafts/**]", f"exclude: [drafts/**, {folder}/**]")
        result, gates = gated(repo, cli)
        assert result.exit_code == 0, (folder, result.stderr)
        assert gates[CHECKS_RELAXED] == [] and relaxed(result) == [], folder
    repo.git("checkout", "-q", "main", "--", "aims.yaml")
    edit(repo, "aims.yaml", "exclude: [drafts/**]", "exclude: [drafts/**, present/**]")
    result, gates = gated(repo, cli)
    assert gates[CHECKS_RELAXED] == ["exclude"]
    assert relaxed(result)[0]["now"] == (
        "1 file that BASE checked is no longer read: present/risks/R-T.yaml"
    )


def test_a_management_system_set_up_again_trips_the_gate(tmp_path: Path, cli: Cli) -> None:
    """Taking `established` out of a management system still on paper makes its
    placeholders, the unapproved policy and auditors' independence warnings (AIMS624):
    the diff said only that no first audit or review falls due."""
    from gitrepo import CONFIG

    repo = GitRepo(tmp_path / "work")
    policy = (
        "kind: Policy\nid: POL-AI\ntitle: AI policy\nowner: lead@acme.example\n"
        "version: '0.1'\nstatus: draft\n"
    )
    repo.write({"aims.yaml": CONFIG + "established: 2026-01-05\n", "policies/p.yaml": policy})
    base = repo.commit("Established")
    repo.write({"aims.yaml": CONFIG})
    result = cli("diff", base, repo.root, "--as-of", AS_OF, "-f", "json")
    assert [(c["id"], c["before"], c["after"]) for c in relaxed(result)] == [
        ("established", "2026-01-05", None)
    ]
    assert relaxed(result)[0]["now"] == (
        "established 2026-01-05 -> null; the records show no start, so no internal "
        "audit or management review falls due; the management system reads as being set up "
        "(AIMS624), so placeholders (AIMS107), the policy's approval (AIMS601) and auditors' "
        "independence (AIMS613) are warnings, not errors"
    )
    # With `rules:` keeping all three errors, nothing is lowered, and nothing said of it.
    repo.write({"aims.yaml": CONFIG + "rules: {AIMS107: error, AIMS601: error, AIMS613: error}\n"})
    result = cli("diff", base, repo.root, "--as-of", AS_OF, "-f", "json")
    [only] = relaxed(result)
    assert "set up" not in only["now"]


def test_a_system_taken_out_of_production_that_sets_the_aims_up_again_says_so(
    tmp_path: Path, cli: Cli
) -> None:
    """With no `established`, a system in production is what makes the placeholders
    errors; moved back to development, they were warnings again, and the diff named
    aims.yaml, which had not changed, as if a setting had done it."""
    from gitrepo import CONFIG, system

    repo = GitRepo(tmp_path / "work")
    policy = (
        "kind: Policy\nid: POL-AI\ntitle: AI policy\nowner: lead@acme.example\n"
        "version: '0.1'\nstatus: draft\n"
    )
    running = system("SYS-A").replace("stage: development", "stage: production")
    repo.write({"aims.yaml": CONFIG, "policies/p.yaml": policy, "systems/a.yaml": running})
    base = repo.commit("Running")
    repo.write({"systems/a.yaml": system("SYS-A")})
    result = cli("diff", base, repo.root, "--as-of", AS_OF, "-f", "json")
    [check] = relaxed(result)
    assert check["records"] == ["SYS-A"]
    assert check["now"] == (
        "the management system reads as being set up (AIMS624): at BASE SYS-A is in "
        "production, and at HEAD no record shows AI in use, so placeholders (AIMS107), the "
        "policy's approval (AIMS601) and auditors' independence (AIMS613) are warnings, not "
        "errors"
    )
