"""compare: two revisions of a governance repository compared record by record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aimsctl.changes import Changes
from aimsctl.compare import compare
from aimsctl.errors import ConfigError, GitError
from aimsctl.fielddiff import FieldChange, field_changes, pair_text, same
from aimsctl.revision import load_revision, load_worktree
from aimsctl.text import natural_key
from aimsctl.vocabulary import (
    APPETITE_CROSSED,
    APPROVED_RECORD_REWRITTEN,
    BREACH_REWRITTEN,
    CHANGED_WITHOUT_ASSESSMENT,
    CHECKS_RELAXED,
    CONTROL_REGRESSED,
    EVALUATION_REMOVED,
    FAILED_METRIC_REWRITTEN,
    INCIDENT_DOWNGRADED,
    MANAGEMENT_RECORD_REMOVED,
    MONITOR_REMOVED,
    OPEN_INCIDENT_REMOVED,
    OPEN_NONCONFORMITY_REMOVED,
    OPEN_RISK_REMOVED,
    POLICY_WITHDRAWN,
    RISK_CRITERIA_RELAXED,
    SOA_EXCLUSION_ADDED,
    THRESHOLD_RELAXED,
    TIER_RAISED,
)
from gitrepo import CONFIG, GitRepo, control, risk, system, two_commits

DAY = date(2026, 11, 26)
# The gates about nonconformities, incidents, evaluations and monitors: these commits
# touch none of them (tests/cli/test_diff_gates_cli.py trips each).
NONE_OF_THE_TESTING_GATES: dict[str, list[str]] = {
    OPEN_NONCONFORMITY_REMOVED: [],
    OPEN_INCIDENT_REMOVED: [],
    INCIDENT_DOWNGRADED: [],
    THRESHOLD_RELAXED: [],
    FAILED_METRIC_REWRITTEN: [],
    BREACH_REWRITTEN: [],
    MONITOR_REMOVED: [],
    EVALUATION_REMOVED: [],
    MANAGEMENT_RECORD_REMOVED: [],
    POLICY_WITHDRAWN: [],
    APPROVED_RECORD_REWRITTEN: [],
    CHECKS_RELAXED: [],
}


def diff(root: Path, base: str, head: str | None = None) -> Changes:
    before = load_revision(root, base, DAY, "BASE")
    after = load_worktree(root, DAY) if head is None else load_revision(root, head, DAY, "HEAD")
    return compare(before, after)


# --- field changes ------------------------------------------------------------------


def test_field_changes_walk_mappings_and_same_length_lists_in_document_order() -> None:
    before = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "gone": True, "e/f~": 1}
    after = {"a": 1, "b": {"c": [1, 3], "d": "y"}, "new": [1], "e/f~": 2}
    assert field_changes(before, after) == [
        FieldChange("/b/c/1", 2, 3),
        FieldChange("/b/d", "x", "y"),
        FieldChange("/gone", True, None),
        FieldChange("/e~1f~0", 1, 2),  # RFC 6901 escaping
        FieldChange("/new", None, [1]),
    ]


def test_a_list_that_changes_length_is_one_change() -> None:
    assert field_changes({"systems": ["A"]}, {"systems": ["A", "B"]}) == [
        FieldChange("/systems", ["A"], ["A", "B"])
    ]


def test_types_matter_and_null_equals_absent() -> None:
    assert same(1, 1) and not same(1, True) and not same(1, 1.0)
    assert same(float("nan"), float("nan"))
    assert field_changes({"x": 1}, {"x": True}) == [FieldChange("/x", 1, True)]
    assert field_changes({"x": None}, {}) == []


def test_natural_order_of_ids() -> None:
    ids = ["A.10.1", "R-10", "A.2.2", "R-9", "A.2.10", "ORG-1"]
    assert sorted(ids, key=natural_key) == ["A.2.2", "A.2.10", "A.10.1", "ORG-1", "R-9", "R-10"]
    # A prefix first; ids equal by number in the order of their text, whatever came first.
    assert sorted(["R-1a", "R-1", "R-01", "R-001"], key=natural_key) == [
        "R-001",
        "R-01",
        "R-1",
        "R-1a",
    ]
    # Any text sorts: a superscript is a digit to str.isdigit but no number (it sorts
    # as text), and other scripts' decimal digits are numbers.
    assert sorted(["x²", "x10", "x\u0663"], key=natural_key) == ["x\u0663", "x10", "x²"]


# --- a real history -------------------------------------------------------------------


@pytest.fixture
def history(tmp_path: Path) -> tuple[GitRepo, str, str]:
    return two_commits(tmp_path / "work")


def test_every_kind_of_change_between_two_commits(history: tuple[GitRepo, str, str]) -> None:
    repo, base, head = history
    changes = diff(repo.root, base, head)
    assert changes.base.sha == base and changes.head.sha == head
    assert [(r.kind, r.id, r.path) for r in changes.added] == [
        ("ImpactAssessment", "IA-D", "assessments/IA-D.yaml"),
        ("Control", "ORG-3", "controls/org.yaml"),
        ("Risk", "R-3", "risks/R-3.yaml"),
        ("AISystem", "SYS-B", "systems/SYS-B.yaml"),
        ("AISystem", "SYS-D", "systems/SYS-D.yaml"),
    ]
    assert [(r.kind, r.id, r.path) for r in changes.removed] == [("Risk", "R-2", "risks/R-2.yaml")]
    assert [(c.id, c.path, c.previous_path, c.fields) for c in changes.changed] == [
        ("A.2.2", "controls/annex.yaml", None, (FieldChange("/applicable", True, False),)),
        (
            "A.2.3",
            "controls/annex.yaml",
            None,
            (FieldChange("/status", "not-started", "implemented"),),
        ),
        ("ORG-1", "controls/org.yaml", None, (FieldChange("/status", "implemented", "partial"),)),
        ("R-1", "risks/R-1.yaml", None, (FieldChange("/inherent/likelihood", 2, 4),)),
        ("R-10", "risks/R-10.yaml", None, (FieldChange("/inherent/likelihood", 4, 1),)),
        ("SYS-C", "systems/c/SYS-C.yaml", "systems/SYS-C.yaml", ()),  # a move, not add+remove
    ]
    assert [
        (c.id, c.before.as_json(), c.after.as_json(), c.appetite_crossed, c.now_above)
        for c in changes.risk_changes
    ] == [
        ("R-1", {"score": 6, "band": "medium"}, {"score": 12, "band": "high"}, True, True),
        ("R-10", {"score": 16, "band": "high"}, {"score": 4, "band": "low"}, True, False),
    ]
    assert [(c.id, c.before, c.after, c.raised, c.lowered) for c in changes.tier_changes] == [
        ("SYS-A", "medium", "high", True, False),
        ("SYS-C", "high", "low", False, True),
    ]
    assert [(c.id, c.field, c.before, c.after, c.effect) for c in changes.control_changes] == [
        ("A.2.2", "applicable", True, False, "excluded"),
        ("A.2.3", "status", "not-started", "implemented", "progressed"),
        ("ORG-1", "status", "implemented", "partial", "regressed"),
        ("ORG-3", "applicable", None, False, "added-excluded"),
    ]
    assert [r.id for r in changes.new_systems_without_assessment] == ["SYS-B"]
    assert [(r.id, r.score, r.band) for r in changes.new_risks_above_appetite] == [
        ("R-3", 25, "critical")
    ]
    assert changes.gates() == {
        APPETITE_CROSSED: ["R-1"],
        TIER_RAISED: ["SYS-A"],
        CONTROL_REGRESSED: ["ORG-1"],
        SOA_EXCLUSION_ADDED: ["A.2.2", "ORG-3"],
        CHANGED_WITHOUT_ASSESSMENT: [],
        RISK_CRITERIA_RELAXED: [],
        OPEN_RISK_REMOVED: ["R-2"],  # open at BASE, deleted
        **NONE_OF_THE_TESTING_GATES,
    }
    assert changes.regressions() == [
        "1 risk crosses the appetite",
        "1 new risk above the appetite",
        "1 system tier raised",
        "1 open risk removed without being closed",
        "1 control regressed",
        "2 SoA exclusions added",
        "1 new system without an impact assessment",
    ]
    assert changes.improvements() == [
        "1 risk back within the appetite",
        "1 system tier lowered",
        "1 control progressed",
    ]
    assert changes.config == [] and changes.invalid == [] and changes.notes == []


def test_the_reverse_comparison_mirrors_it(history: tuple[GitRepo, str, str]) -> None:
    repo, base, head = history
    back = diff(repo.root, head, base)
    assert [r.id for r in back.added] == ["R-2"]
    assert [r.id for r in back.removed] == ["IA-D", "ORG-3", "R-3", "SYS-B", "SYS-D"]
    assert back.gates() == {
        APPETITE_CROSSED: ["R-10"],
        TIER_RAISED: ["SYS-C"],
        CONTROL_REGRESSED: ["A.2.3"],
        SOA_EXCLUSION_ADDED: [],
        CHANGED_WITHOUT_ASSESSMENT: [],
        RISK_CRITERIA_RELAXED: [],
        OPEN_RISK_REMOVED: ["R-3"],
        **NONE_OF_THE_TESTING_GATES,
        # an impact assessment's results are kept, and systems not retired stay in the inventory
        MANAGEMENT_RECORD_REMOVED: ["IA-D", "SYS-B", "SYS-D"],
    }
    moved = next(c for c in back.changed if c.id == "SYS-C")
    assert (moved.path, moved.previous_path) == ("systems/SYS-C.yaml", "systems/c/SYS-C.yaml")


def test_the_working_tree_is_the_default_head(history: tuple[GitRepo, str, str]) -> None:
    repo, _base, head = history
    assert diff(repo.root, head).empty
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=1, severity=3)})
    changes = diff(repo.root, "HEAD")
    assert changes.head.sha is None and changes.head.ref == "worktree"
    assert [(c.id, c.before.band, c.after.band) for c in changes.risk_changes] == [
        ("R-1", "high", "low")
    ]


def test_a_rewrite_of_a_level_as_a_label_is_no_change(history: tuple[GitRepo, str, str]) -> None:
    repo, _base, _head = history
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood="likely", severity="Moderate")})
    assert diff(repo.root, "HEAD").empty


def test_a_changed_level_is_shown_as_each_side_writes_it(
    history: tuple[GitRepo, str, str],
) -> None:
    repo, _base, _head = history
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood="Likely", severity="Moderate")})
    repo.commit("labels")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood="Almost certain", severity="Moderate")})
    [change] = diff(repo.root, "HEAD").changed
    assert [(f.pointer, f.before, f.after) for f in change.fields] == [
        ("/inherent/likelihood", "Likely", "Almost certain")
    ]


@pytest.mark.parametrize("copy", ["risks/R-1-copy.yaml", "risks/zz.yaml"])
def test_a_duplicated_id_is_judged_alike_whatever_the_copy_is_named(
    history: tuple[GitRepo, str, str], copy: str
) -> None:
    # A copy of R-1 named to sort first was a move of R-1 to it; named to sort last, it
    # was nowhere in the output. Either way R-1 is compared where BASE holds it, and a
    # note names both files.
    repo, _base, _head = history
    repo.write({copy: risk("R-1", likelihood=5, severity=5)})
    changes = diff(repo.root, "HEAD")
    assert [(r.id, r.path) for r in changes.invalid] == [("R-1", "risks/R-1.yaml")]
    assert not changes.changed and not changes.added  # no move: nothing changed
    both = ", ".join(sorted([copy, "risks/R-1.yaml"]))
    assert changes.notes == [
        f"R-1 is given by more than one record at HEAD ({both}; AIMS105): compared as "
        "written in risks/R-1.yaml, and not judged there"
    ]


def test_a_label_aims_yaml_moves_to_another_level_is_shown_as_the_levels(
    history: tuple[GitRepo, str, str],
) -> None:
    # `Likely` named level 4, then level 1: the change read "Likely" -> "Likely".
    repo, _base, _head = history
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood="Likely", severity="Moderate")})
    repo.commit("labels")
    swapped = "risk:\n  likelihood: [Likely, Unlikely, Possible, Rare, Almost certain]\n"
    repo.write({"aims.yaml": CONFIG + swapped})
    [change] = diff(repo.root, "HEAD").changed
    assert [(f.pointer, f.before, f.after) for f in change.fields] == [
        ("/inherent/likelihood", 4, 1)
    ]


def test_an_aims_yaml_change_rebands_each_side_with_its_own_scale(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1", likelihood=2, severity=3),
            "risks/R-2.yaml": risk("R-2", likelihood=3, severity=3),
        }
    )
    repo.commit("base")
    repo.write(
        {
            "aims.yaml": CONFIG + "risk:\n  appetite: low\n  bands:\n"
            "    - {name: low, max: 6}\n    - {name: medium, max: 12}\n"
            "    - {name: high, max: 25}\n"
            "governance:\n"
            "  high: {review_days: 180, impact_assessment: true, "
            "min_oversight: human-on-the-loop, evaluation_days: 365, monitoring: true}\n"
            "  medium: {review_days: 365, min_oversight: periodic-review}\n"
            "  low: {review_days: 730}\n"
        }
    )
    changes = diff(repo.root, "HEAD")
    assert changes.changed == [] and changes.added == []
    assert [(f.pointer, f.before, f.after) for f in changes.config] == [
        (
            "/risk/bands",
            [
                {"name": "low", "max": 4},
                {"name": "medium", "max": 9},
                {"name": "high", "max": 16},
                {"name": "critical", "max": 25},
            ],
            [{"name": "low", "max": 6}, {"name": "medium", "max": 12}, {"name": "high", "max": 25}],
        ),
        ("/risk/appetite", "medium", "low"),
        (
            "/governance/critical",
            {
                "review_days": 90,
                "impact_assessment": True,
                "min_oversight": "human-in-the-loop",
                "evaluation_days": 180,
                "monitoring": True,
            },
            None,
        ),
    ]
    # R-1 (6) falls to low: still within the new appetite. R-2 (9) stays medium,
    # which is now above the appetite.
    assert [
        (c.id, c.before.as_json(), c.after.as_json(), c.appetite_crossed)
        for c in changes.risk_changes
    ] == [
        ("R-1", {"score": 6, "band": "medium"}, {"score": 6, "band": "low"}, False),
        ("R-2", {"score": 9, "band": "medium"}, {"score": 9, "band": "medium"}, True),
    ]
    assert changes.gates()[APPETITE_CROSSED] == ["R-2"]
    assert changes.tier_changes == []  # SYS-A stays medium


def test_a_record_invalid_at_one_revision_is_compared_as_written(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk("R-1")}
    )
    repo.commit("base")
    invalid = risk("R-1", likelihood=9).replace("status: open", "status: unknown")
    repo.write({"risks/R-1.yaml": invalid})
    changes = diff(repo.root, "HEAD")
    [change] = changes.changed
    assert change.as_written and change.invalid_at == ("HEAD",)
    assert change.fields == (
        FieldChange("/inherent/likelihood", 2, 9),
        FieldChange("/status", "open", "unknown"),
    )
    assert [r.as_json() for r in changes.invalid] == [
        {"kind": "Risk", "id": "R-1", "path": "risks/R-1.yaml", "base": "valid", "head": "invalid"}
    ]
    assert changes.risk_changes == []  # it cannot be scored at HEAD
    assert changes.regressions() == ["1 record invalid at HEAD"]


def test_an_unreadable_file_is_not_a_removal(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1"),
            "controls/org.yaml": control("ORG-1"),
        }
    )
    repo.commit("base")
    repo.write(
        {
            "risks/R-1.yaml": "kind: Risk\nid: R-1\ntitle: [unclosed\n",
            "controls/org.yaml": control("ORG-1") + "evidence: [unclosed\n",
        }
    )
    changes = diff(repo.root, "HEAD")
    assert changes.removed == [] and changes.control_changes == []
    assert changes.judged()[CONTROL_REGRESSED] == []
    # ... but the gate cannot judge what it cannot read, and trips for it.
    assert changes.gates()[CONTROL_REGRESSED] == ["ORG-1"]
    assert [(r.id, r.base, r.head) for r in changes.invalid] == [
        ("ORG-1", "valid", "unreadable"),
        ("R-1", "valid", "unreadable"),
    ]
    [_, note] = changes.notes
    assert note.startswith("risks/R-1.yaml cannot be read in full at HEAD (YAML syntax error")
    assert note.endswith("); a record missing from it there is not counted as added or removed")


def test_aims_yaml_invalid_at_one_revision_names_it(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG + "risk: {appetite: extreme}\n"})
    bad = repo.commit("a bad appetite")
    repo.write({"aims.yaml": CONFIG})
    repo.commit("fixed")
    with pytest.raises(ConfigError) as caught:
        diff(repo.root, "HEAD~1")
    message = str(caught.value)
    assert message.startswith("aims.yaml:3:")
    assert "'extreme' is not a band" in message
    assert f"(in BASE 'HEAD~1', commit {bad[:12]})" in message
    repo.write({"aims.yaml": "version: 2\norganization: X\n"})
    with pytest.raises(ConfigError, match=r"\(in HEAD, the working tree\)"):
        diff(repo.root, "HEAD")


def test_a_revision_without_aims_yaml_holds_no_records(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"README.md": "code first\n"})
    first = repo.commit("before governance")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    changes = diff(repo.root, first)
    assert [r.id for r in changes.added] == ["SYS-A"]
    assert changes.base.repository is None
    assert changes.notes == [
        f"BASE ({first[:12]}) has no aims.yaml, so it holds no records: every record of the "
        "other side counts as added"
    ]
    assert [r.id for r in changes.new_systems_without_assessment] == ["SYS-A"]


def test_a_governance_root_in_a_subfolder(tmp_path: Path) -> None:
    repo, base, head = two_commits(tmp_path / "work", governance="governance/aims")
    repo.write({"../../app/main.py": "print()\n"})  # outside the governance root
    changes = diff(repo.root, base, head)
    assert [r.path for r in changes.added][:2] == ["assessments/IA-D.yaml", "controls/org.yaml"]
    assert changes.gates()[APPETITE_CROSSED] == ["R-1"]


def test_first_risk_of_a_system_does_not_raise_its_tier(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.commit("base")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=5, severity=5)})
    [tier] = diff(repo.root, "HEAD").tier_changes
    assert (tier.before, tier.after, tier.raised, tier.lowered) == (
        "unassessed",
        "critical",
        False,
        False,
    )


def test_removing_an_applicable_control_is_a_regression(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "controls/org.yaml": control("ORG-1") + "---\n" + control("ORG-2", applicable=False),
        }
    )
    repo.commit("base")
    repo.write(
        {
            "controls/org.yaml": "# nothing left\n{kind: Control, id: ORG-9, title: T, "
            "owner: o, applicable: true, justification: j, status: planned}\n"
        }
    )
    changes = diff(repo.root, "HEAD")
    assert [(c.id, c.field, c.before, c.after, c.effect) for c in changes.control_changes] == [
        ("ORG-1", "applicable", True, None, "regressed"),
        ("ORG-2", "applicable", False, None, "removed"),
        ("ORG-9", "applicable", None, True, "included"),
    ]
    assert changes.gates()[CONTROL_REGRESSED] == ["ORG-1"]


PLACEHOLDER = "TODO: say why this control applies, or set applicable: false."


def test_a_placeholder_decides_nothing_and_its_decision_is_an_soa_row(tmp_path: Path) -> None:
    # A control whose justification is still the starter's TODO: is undecided (as
    # aimsctl.soa.decided says), whatever its applicable and status say.
    todo = PLACEHOLDER
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "controls/org.yaml": "---\n".join(
                [
                    control("ORG-1", status="not-started", justification=todo),
                    control("ORG-2", status="not-started", justification=todo),
                    control("ORG-3"),
                    control("ORG-4", applicable=False),
                    control("ORG-5", status="implemented", justification=todo),
                    control("ORG-6", status="implemented"),
                ]
            ),
        }
    )
    repo.commit("base")
    repo.write(
        {
            "controls/org.yaml": "---\n".join(
                [
                    control("ORG-1", status="not-started"),  # decided: applies
                    control("ORG-2", applicable=False),  # decided: excluded
                    control("ORG-3", justification=todo),  # back to undecided
                    control("ORG-4", applicable=False, justification="  " + todo),
                    control("ORG-5", applicable=False, status="partial", justification=todo),
                    control("ORG-6", status="partial"),  # decided at both: as before
                ]
            )
        }
    )
    changes = diff(repo.root, "HEAD")
    assert [(c.id, c.field, c.before, c.after, c.effect) for c in changes.control_changes] == [
        ("ORG-1", "decided", False, True, "decided"),
        ("ORG-2", "decided", False, True, "decided-excluded"),
        ("ORG-3", "decided", True, False, "undecided-regressed"),
        ("ORG-4", "decided", True, False, "undecided"),
        ("ORG-6", "status", "implemented", "partial", "regressed"),
    ]  # ORG-5: undecided at both, its flags changed no decision
    assert changes.gates()[CONTROL_REGRESSED] == ["ORG-3", "ORG-6"]
    assert changes.gates()[SOA_EXCLUSION_ADDED] == ["ORG-2"]
    assert changes.improvements() == []
    head = repo.commit("head")
    reverse = diff(repo.root, head, "HEAD~1")
    assert [(c.id, c.field, c.before, c.after, c.effect) for c in reverse.control_changes] == [
        ("ORG-1", "decided", True, False, "undecided-regressed"),
        ("ORG-2", "decided", True, False, "undecided"),
        ("ORG-3", "decided", False, True, "decided"),
        ("ORG-4", "decided", False, True, "decided-excluded"),
        ("ORG-6", "status", "partial", "implemented", "progressed"),
    ]


def test_a_merge_commit_compared_with_its_first_parent(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A"), "risks/R-1.yaml": risk("R-1")}
    )
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=5)})
    repo.commit("raise R-1")
    repo.git("checkout", "-q", "main")
    repo.write({"risks/R-2.yaml": risk("R-2")})
    repo.commit("add R-2")
    repo.merge("feature", "Merge feature")
    changes = diff(repo.root, "HEAD^1", "HEAD")
    assert [c.id for c in changes.changed] == ["R-1"]
    assert changes.added == []
    assert [c.id for c in diff(repo.root, "HEAD^2", "HEAD").added] == ["R-2"]


def test_revisions_that_git_cannot_give(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG})
    with pytest.raises(GitError, match="has no commits yet"):
        diff(repo.root, "HEAD")
    repo.commit("first")
    with pytest.raises(GitError, match="unknown revision 'nope'"):
        diff(repo.root, "nope")


def test_a_shared_memo_parses_unchanged_files_once(tmp_path: Path) -> None:
    from aimsctl.loader import ParseMemo

    repo, base, head = two_commits(tmp_path / "work")
    memo = ParseMemo()
    before = load_revision(repo.root, base, DAY, "BASE", memo)
    after = load_revision(repo.root, head, DAY, "HEAD", memo)
    assert before.repository is not None and after.repository is not None
    old, new = before.repository.entries, after.repository.entries
    assert old["SYS-A"].record is new["SYS-A"].record  # same file, same bytes
    assert old["R-1"].record is not new["R-1"].record  # the file changed
    shared = compare(before, after)
    assert shared.as_json() == diff(repo.root, base, head).as_json()


def test_a_significant_system_change_without_its_assessment_is_named(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "systems/SYS-B.yaml": system("SYS-B"),
        }
    )
    repo.commit("base")
    # SYS-A changes its purpose with no assessment touched; SYS-B changes its stage and
    # gets a new assessment in the same change; a title is not a significant change.
    repo.write(
        {
            "systems/SYS-A.yaml": system("SYS-A").replace(
                "purpose: Sort things.", "purpose: Decide who gets a loan."
            ),
            "systems/SYS-B.yaml": system("SYS-B")
            .replace("stage: development", "stage: production")
            .replace("title: System SYS-B", "title: Renamed"),
            "assessments/IA-B.yaml": (
                "kind: ImpactAssessment\nid: IA-B\ntitle: t\nsystem: SYS-B\nstatus: draft\n"
                "assessed: {on: 2026-11-01, by: dpo@example.org}\n"
            ),
        }
    )
    changes = diff(repo.root, "HEAD")
    assert [(c.id, c.fields) for c in changes.changed_without_assessment] == [
        ("SYS-A", ("purpose",))
    ]
    assert changes.gates()[CHANGED_WITHOUT_ASSESSMENT] == ["SYS-A"]
    assert "1 system changed without its impact assessment" in changes.regressions()


def test_retiring_a_system_needs_no_reassessment_but_putting_it_back_does(
    tmp_path: Path,
) -> None:
    """Retiring SYS-A (its stage a material field) tripped the gate, so the change
    docs/git.md recommends over deleting a system failed CI. It ends the system's use;
    another edit made with it is moot. Putting it back in use is a change again."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.commit("base")
    retired = (
        system("SYS-A")
        .replace("stage: development", "stage: retired")
        .replace("purpose: Sort things.", "purpose: Sorted things.")
    )
    repo.write({"systems/SYS-A.yaml": retired})
    changes = diff(repo.root, "HEAD")
    assert [c.id for c in changes.changed] == ["SYS-A"]
    assert changes.changed_without_assessment == []
    assert changes.gates()[CHANGED_WITHOUT_ASSESSMENT] == []
    repo.commit("retired")
    repo.write({"systems/SYS-A.yaml": system("SYS-A")})
    assert [c.id for c in diff(repo.root, "HEAD").changed_without_assessment] == ["SYS-A"]


def test_only_a_moved_date_makes_an_edited_assessment_a_reassessment(tmp_path: Path) -> None:
    # SYS-A's purpose changes at every step; its assessment IA-A is edited each time.
    draft = (
        "kind: ImpactAssessment\nid: IA-A\ntitle: t\nsystem: SYS-A\nstatus: draft\n"
        "assessed: {on: 2026-11-01, by: dpo@example.org}\n"
    )
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.write({"assessments/IA-A.yaml": draft + "unknown: 1\n"})  # invalid at BASE
    repo.commit("base")
    changed = system("SYS-A").replace("purpose: Sort things.", "purpose: Decide on loans.")
    # Made valid, its date as written at BASE: fixed, not reassessed.
    repo.write({"systems/SYS-A.yaml": changed, "assessments/IA-A.yaml": draft})
    changes = diff(repo.root, "HEAD")
    assert [(c.id, c.edited) for c in changes.changed_without_assessment] == [("SYS-A", ("IA-A",))]
    # Assessed again on a later day than written at BASE: a reassessment.
    repo.write({"assessments/IA-A.yaml": draft.replace("2026-11-01", "2026-11-20")})
    assert diff(repo.root, "HEAD").changed_without_assessment == []
    repo.write({"assessments/IA-A.yaml": draft})
    repo.commit("valid")
    repo.write({"systems/SYS-A.yaml": system("SYS-A")})
    # Put in review with a title changed: no reassessment; approved now: one.
    in_review = draft.replace("status: draft", "status: in-review").replace("title: t", "title: T")
    repo.write({"assessments/IA-A.yaml": in_review})
    assert [c.id for c in diff(repo.root, "HEAD").changed_without_assessment] == ["SYS-A"]
    approved = in_review + "approval: {by: ceo@example.org, on: 2026-11-10}\n"
    repo.write({"assessments/IA-A.yaml": approved})
    assert diff(repo.root, "HEAD").changed_without_assessment == []


def test_moving_an_assessment_file_is_not_reassessing(tmp_path: Path) -> None:
    # The gate must not open because the system's assessment moved to another folder.
    assessment = (
        "kind: ImpactAssessment\nid: IA-A\ntitle: t\nsystem: SYS-A\nstatus: draft\n"
        "assessed: {on: 2026-11-01, by: dpo@example.org}\n"
    )
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "assessments/IA-A.yaml": assessment,
        }
    )
    repo.commit("base")
    repo.write(
        {
            "systems/SYS-A.yaml": system("SYS-A").replace(
                "purpose: Sort things.", "purpose: Decide who gets a loan."
            )
        }
    )
    repo.move("assessments/IA-A.yaml", "assessments/lending/IA-A.yaml")
    changes = diff(repo.root, "HEAD")
    assert [(c.id, c.fields) for c in changes.changed if c.id == "IA-A"] == [("IA-A", ())]
    assert changes.gates()[CHANGED_WITHOUT_ASSESSMENT] == ["SYS-A"]


def test_ids_equal_by_their_numbers_keep_one_order(tmp_path: Path) -> None:
    """R-01 and R-1 sort alike by number; text breaks the tie, so the order is the
    same in every run (a set's order varies with Python's hash seed)."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    base = repo.commit("base")
    names = ["R-1", "R-01", "R-001", "R-2"]
    repo.write({f"risks/{name}.yaml": risk(name, likelihood=5, severity=5) for name in names})
    repo.move("systems/SYS-A.yaml", "systems/moved.yaml")
    head = repo.commit("risks")
    changes = diff(repo.root, base, head)
    assert [r.id for r in changes.added] == ["R-001", "R-01", "R-1", "R-2"]
    assert [r.id for r in changes.new_risks_above_appetite] == ["R-001", "R-01", "R-1", "R-2"]
    # The same record object at both sides, in another file: moved, no field changed.
    assert [(c.id, c.fields, c.previous_path) for c in changes.changed] == [
        ("SYS-A", (), "systems/SYS-A.yaml")
    ]


def test_a_record_rewritten_as_a_risk_or_a_system_is_new(tmp_path: Path) -> None:
    # R-9 and SYS-9 were valid Policies; rewritten under the same ids as a critical
    # risk and a system no assessment names, they are as new as added ones.
    repo = GitRepo(tmp_path / "work")
    policy = (
        "kind: Policy\nid: {}\ntitle: A policy\nowner: owner@example.org\n"
        "version: '1'\nstatus: draft\n"
    )
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "policies/R-9.yaml": policy.format("R-9"),
            "policies/SYS-9.yaml": policy.format("SYS-9"),
        }
    )
    base = repo.commit("policies")
    repo.write(
        {
            "policies/R-9.yaml": risk("R-9", likelihood=5, severity=5),
            "policies/SYS-9.yaml": system("SYS-9"),
        }
    )
    changes = diff(repo.root, base)
    assert [(r.id, r.score, r.band) for r in changes.new_risks_above_appetite] == [
        ("R-9", 25, "critical")
    ]
    assert [r.id for r in changes.new_systems_without_assessment] == ["SYS-9"]


def test_a_risk_added_closed_is_no_new_risk_above_the_appetite(tmp_path: Path) -> None:
    """A past risk recorded closed (it counts toward no tier and needs no acceptance)
    was headlined as a new risk above the appetite, "governance gets worse"."""
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    base = repo.commit("a system")
    repo.write(
        {
            "risks/R-1.yaml": risk("R-1", likelihood=5, severity=5, status="closed"),
            "risks/R-2.yaml": risk("R-2", likelihood=5, severity=5, status="treating"),
        }
    )
    changes = diff(repo.root, base)
    assert [r.id for r in changes.new_risks_above_appetite] == ["R-2"]


def test_a_tier_that_drops_with_a_risk_head_cannot_judge_is_not_lowered(tmp_path: Path) -> None:
    # R-1 (critical) is invalid at HEAD, so SYS-A's tier is made of R-2 alone there:
    # the drop says nothing about the risks, and is no improvement.
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1", likelihood=4, severity=5),
            "risks/R-2.yaml": risk("R-2"),
        }
    )
    repo.commit("base")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=9, severity=5)})
    changes = diff(repo.root, "HEAD")
    assert [(c.id, c.before, c.after, c.raised, c.lowered) for c in changes.tier_changes] == [
        ("SYS-A", "critical", "medium", False, False)
    ]
    assert changes.improvements() == []
    assert changes.regressions() == ["1 record invalid at HEAD"]


def test_an_excluded_controls_status_neither_regresses_nor_progresses(tmp_path: Path) -> None:
    # The status of a control the SoA excludes says nothing is, or is not, in place:
    # a change of it is listed, but no gate trips and nothing counts as progress.
    repo = GitRepo(tmp_path / "work")
    base_controls = (
        control("ORG-1", applicable=False, status="implemented")
        + "---\n"
        + control("ORG-2", applicable=False, status="implemented")
        + "---\n"
        + control("ORG-3", applicable=False, status="not-started")
    )
    repo.write({"aims.yaml": CONFIG, "controls/org.yaml": base_controls})
    base = repo.commit("base")
    head_controls = (
        control("ORG-1", applicable=False, status="partial")
        + "---\n"
        + control("ORG-2", applicable=True, status="partial")
        + "---\n"
        + control("ORG-3", applicable=False, status="implemented")
    )
    repo.write({"controls/org.yaml": head_controls})
    head = repo.commit("head")
    changes = diff(repo.root, base, head)
    assert [(c.id, c.field, c.before, c.after, c.effect) for c in changes.control_changes] == [
        ("ORG-1", "status", "implemented", "partial", "changed"),
        ("ORG-2", "applicable", False, True, "included"),
        ("ORG-2", "status", "implemented", "partial", "changed"),
        ("ORG-3", "status", "not-started", "implemented", "changed"),
    ]
    assert changes.gates()[CONTROL_REGRESSED] == []
    assert "1 control progressed" not in changes.improvements()


def test_two_long_values_that_begin_alike_show_where_they_differ() -> None:
    """A system's purpose with a clause added at its end read the same on both sides
    of `diff` and `log`, each cut after its first 80 characters: the reviewer could not
    see what changed. Each side now starts a little before the first difference."""
    purpose = "Help recruiters cope with high application volumes by ranking the applications."
    widened = purpose[:-1] + ", and automatically reject the lowest-ranked third."
    before, after = pair_text(purpose, widened, 80)
    assert before != after and len(before) <= 80 and len(after) <= 80
    assert before == '…y ranking the applications."'
    assert (
        after == '…y ranking the applications, and automatically reject the lowest-ranked third."'
    )
    # Short values, and values that differ early, are shown as before.
    assert pair_text("Likely", "Rare", 80) == ('"Likely"', '"Rare"')
    assert pair_text(None, "x" * 100, 80) == ("(none)", '"' + "x" * 78 + "…")
    assert pair_text("a" + "x" * 99, "b" + "x" * 99, 80)[0] == '"a' + "x" * 77 + "…"


def test_a_change_of_spacing_alone_is_said_in_the_comment() -> None:
    """A code span shows two spaces as one: `c twice` and `c  twice` read the same in
    the pull-request comment (the text output shows both)."""
    from aimsctl.outputs.diff.markdown import _code_values

    assert _code_values("ranks a c twice", "ranks a c  twice") == [
        '`"ranks a c twice"`',
        '`"ranks a c twice"` (only the spacing differs)',
    ]
