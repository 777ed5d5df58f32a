"""AIMS202-AIMS206: the Statement of Applicability, treatments and evidence paths."""

from __future__ import annotations

import json
import os
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rule_support import Cli, Make, at, of, validate

from aimsctl import engine
from aimsctl.catalog import annex_a
from aimsctl.loader import FileTree
from aimsctl.repository import load_repository
from conftest import AS_OF, EXAMPLE, EXCLUDED_SOA, MINIMAL_CONFIG
from factory import (
    OMIT,
    approved_policy,
    block,
    control,
    flow,
    internal_audit,
    levels,
    management_review,
    policy,
    risk,
    system,
    yaml_of,
)
from gitrepo import GitRepo


def _soa_without(*dropped: str) -> str:
    documents = EXCLUDED_SOA.split("---\n")
    return "---\n".join(d for d in documents if d.split("\n")[1][4:] not in dropped)


# --- AIMS202 soa-incomplete -------------------------------------------------------


def test_missing_annex_a_controls_are_reported_on_aims_yaml(make_repo: Make, cli: Cli) -> None:
    # A.2.2 exists but is invalid: it still counts as decided.
    invalid = "kind: Control\nid: A.2.2\napplicable: maybe\njustification: x\n"
    root = make_repo(
        {
            "controls/annex-a.yaml": _soa_without("A.2.2", "A.6.2.8", "A.10.4"),
            "controls/a22.yaml": invalid,
        }
    )
    found = validate(cli, root, schema_ok=False)
    assert at(found, "AIMS202") == [("aims.yaml", 1, 1), ("aims.yaml", 1, 1)]
    assert sorted(d["message"] for d in of(found, "AIMS202")) == [
        "Statement of Applicability has no Control record for Annex A A.10.4 'Customers'; "
        "include it with a status or exclude it with a justification",
        "Statement of Applicability has no Control record for Annex A A.6.2.8 "
        "'AI system recording of event logs'; include it with a status or exclude it "
        "with a justification",
    ]
    assert {d["record"] for d in of(found, "AIMS202")} == {None}


def test_a_control_whose_id_cannot_be_read_is_named_where_one_is_missing(
    make_repo: Make, cli: Cli
) -> None:
    # A Control with `id: [A.10.4]`, and a record of no kind and no id, fail AIMS101:
    # either may be the missing control, and AIMS202 said nothing of them. A record
    # whose kind cannot be read but whose id is another's cannot be A.10.4.
    files = {
        "controls/annex-a.yaml": _soa_without("A.10.4"),
        "controls/a104.yaml": "kind: Control\nid: [A.10.4]\napplicable: false\n",
        "controls/x.yaml": "applicable: false\njustification: We supply no AI.\n",
        "risks/r.yaml": "kind: [Risk]\nid: R-1\n",
    }
    found = validate(cli, make_repo(files), schema_ok=False)
    assert at(found, "AIMS202") == [("aims.yaml", 1, 1)]
    assert of(found, "AIMS202")[0]["message"] == (
        "Statement of Applicability has no Control record for Annex A A.10.4 'Customers'; "
        "include it with a status or exclude it with a justification; 2 records whose kind "
        "or id cannot be read (at controls/a104.yaml:1, controls/x.yaml:1) may include "
        "the one for A.10.4"
    )
    # Only the record of another id: the finding is as before.
    files["controls/a104.yaml"] = files["controls/x.yaml"] = "# to be written\n"
    found = validate(cli, make_repo(files), schema_ok=False)
    assert of(found, "AIMS202")[0]["message"] == (
        "Statement of Applicability has no Control record for Annex A A.10.4 'Customers'; "
        "include it with a status or exclude it with a justification"
    )


def test_empty_repository_misses_every_annex_a_control(make_repo: Make, cli: Cli) -> None:
    found = validate(cli, make_repo())
    assert len(of(found, "AIMS202")) == len(annex_a()) == 38


def test_complete_soa_is_not_reported(make_repo: Make, cli: Cli) -> None:
    assert at(validate(cli, make_repo({"controls/annex-a.yaml": EXCLUDED_SOA})), "AIMS202") == []


# --- AIMS203 control-unjustified -----------------------------------------------------


def test_exclusion_without_justification(make_repo: Make, cli: Cli) -> None:
    text = (
        "kind: Control\nid: A.10.4\napplicable: false\njustification: '   '\n"
        "---\nkind: Control\nid: ORG-1\ntitle: Org\napplicable: false\njustification: ''\n"
    )
    root = make_repo({"controls/annex-a.yaml": _soa_without("A.10.4"), "controls/x.yaml": text})
    found = validate(cli, root)
    assert at(found, "AIMS203") == [("controls/x.yaml", 4, 16), ("controls/x.yaml", 10, 16)]
    assert of(found, "AIMS203")[0]["pointer"] == "/justification"


# An excluded control: a justification, and neither owner nor status.
EXCLUDED: dict[str, Any] = {
    "applicable": False,
    "justification": "Not needed here.",
    "owner": OMIT,
    "status": OMIT,
}


def test_an_included_control_without_a_justification_is_reported(make_repo: Make, cli: Cli) -> None:
    """records.md: `justification` is "why included, or why excluded"; 6.1.3 asks the
    SoA for both. An empty one on an applicable control passed, and its risk took the
    residual credit of a control nobody had given a reason for."""
    records = [control("ORG-2", **EXCLUDED), control(justification="  ")]
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "controls/x.yaml": records})
    found = of(validate(cli, root), "AIMS203")
    assert [(d["record"], d["message"]) for d in found] == [
        (
            "ORG-1",
            "control is included (applicable: true) without a justification; say why it is "
            "needed: until then it is no decision, and a risk it treats earns no residual "
            "credit from it",
        )
    ]


@pytest.mark.parametrize(
    "given", ["N/A", "n.a.", "Not applicable.", "none", "TBD", "\uff2e/\uff21", "N/\u0410"]
)
def test_a_justification_that_only_says_there_is_none_is_none(
    make_repo: Make, cli: Cli, given: str
) -> None:
    """An exclusion justified with `N/A` passed: it says again that the control does
    not apply, not why (6.1.3). A reason that names the word stays a reason."""
    records = [
        control("ORG-2", **{**EXCLUDED, "justification": given}),
        control("ORG-3", **{**EXCLUDED, "justification": "N/A: we train no models."}),
        control(justification=given),
    ]
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "controls/x.yaml": records})
    found = of(validate(cli, root, schema_ok=False), "AIMS203")  # AIMS012 for look-alikes
    without = f"with {given!r} for a justification, which gives no reason"
    assert [(d["record"], d["message"]) for d in found] == [
        ("ORG-2", f"control is excluded (applicable: false) {without}; say why it does not apply"),
        (
            "ORG-1",
            f"control is included (applicable: true) {without}; say why it is needed: until "
            "then it is no decision, and a risk it treats earns no residual credit from it",
        ),
    ]


def test_an_empty_justification_decides_nothing_and_earns_no_credit(
    example_copy: Path, cli: Cli
) -> None:
    """A.6.2.4 included with an empty justification: no decision in `controls`, the
    SoA, coverage and readiness, and no residual credit for the risks it treats."""
    import json

    soa = example_copy / "controls" / "annex-a.yaml"
    text = soa.read_text(encoding="utf-8")
    start = text.index("id: A.6.2.4\n")
    head, rest = text[:start], text[start:]
    begin = rest.index("justification:")
    end = rest.index("\nbasis:", begin)
    soa.write_text(head + rest[:begin] + "justification: ''" + rest[end:], encoding="utf-8")
    found = of(validate(cli, example_copy), "AIMS203")
    assert [d["record"] for d in found] == ["A.6.2.4"]
    shown = cli("controls", example_copy, "--as-of", "2026-11-26").stdout
    assert "[included without a justification]" in shown
    assert shown.endswith(
        "37 of 38 Annex A controls decided, 0 missing, 1 without a justification\n"
    )
    before = json.loads(
        cli("risk", "score", EXAMPLE, "--as-of", "2026-11-26", "--format", "json").stdout
    )
    after = json.loads(
        cli("risk", "score", example_copy, "--as-of", "2026-11-26", "--format", "json").stdout
    )
    relying = [r["id"] for r in before["risks"] if r["current"] != r["inherent"]]
    changed = [
        r["id"]
        for r, b in zip(after["risks"], before["risks"], strict=True)
        if r["current"] != b["current"]
    ]
    assert changed and set(changed) <= set(relying)
    report = cli(
        "report", "soa", example_copy, "--as-of", "2026-11-26", "--format", "md", "--force",
        "--out", "-",
    )  # fmt: skip
    assert "| **unjustified** | No justification given (AIMS203). |" in report.stdout
    systems = cli(
        "report", "systems", example_copy, "--as-of", "2026-11-26", "--format", "md",
        "--force", "--out", "-",
    )  # fmt: skip
    assert "included without a justification" in systems.stdout


def test_justified_exclusion_and_applicable_controls_pass(make_repo: Make, cli: Cli) -> None:
    records = [control("ORG-2", **EXCLUDED), control(justification="Needed.")]
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "controls/x.yaml": records})
    assert at(validate(cli, root), "AIMS203") == []


# --- AIMS204 applicable-control-incomplete ------------------------------------------


def test_applicable_control_without_owner_or_status(make_repo: Make, cli: Cli) -> None:
    text = (
        yaml_of(control("ORG-2"))
        + "---\n"
        + ("kind: Control\nid: ORG-1\ntitle: Org\napplicable: true\njustification: Needed.\n")
    )
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "controls/org.yaml": text})
    found = validate(cli, root)
    # Both at the record's kind line (line 1 of the second document).
    assert at(found, "AIMS204") == [("controls/org.yaml", 9, 1), ("controls/org.yaml", 9, 1)]
    assert [d["message"] for d in of(found, "AIMS204")] == [
        "applicable control has no owner; name the person or role accountable for it",
        "applicable control has no status; say whether it is not-started, planned, partial "
        "or implemented",
    ]


def test_complete_or_excluded_controls_pass_aims204(make_repo: Make, cli: Cli) -> None:
    # An excluded control needs neither owner nor status.
    records = [control(), control("ORG-2", **EXCLUDED)]
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "controls/org.yaml": records})
    assert at(validate(cli, root), "AIMS204") == []


@pytest.mark.parametrize("applicable", [True, False])
def test_placeholder_control_without_owner_or_status_is_left_to_aims107(
    make_repo: Make, cli: Cli, applicable: bool
) -> None:
    # The starter's placeholder decides nothing: AIMS107 reports it whatever its
    # applicable says. AIMS204 called one with applicable: true an "applicable control"
    # lacking its owner and status, and passed one with applicable: false, so the same
    # undecided row got one error or two depending on a value nobody decided.
    placeholder = control(
        "ORG-2", applicable=applicable, justification="TODO: decide", owner=OMIT, status=OMIT
    )
    root = make_repo(
        {"controls/annex-a.yaml": EXCLUDED_SOA, "controls/org.yaml": [control(), placeholder]}
    )
    found = validate(cli, root, schema_ok=False)
    assert [d["record"] for d in of(found, "AIMS107")] == ["ORG-2"]
    assert at(found, "AIMS204") == []


# --- AIMS205 treatment-control-not-applicable ---------------------------------------

# A treatment relying on ORG-1 and A.7.4; A.7.4 is on line 15 of the risk.
TREATED: dict[str, Any] = {
    "treatment": {"option": "mitigate", "controls": block(["ORG-1", "A.7.4"])},
    "residual": flow(levels(1, 2)),
}


def test_treatment_citing_an_excluded_control(make_repo: Make, cli: Cli) -> None:
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "risks/R-1.yaml": risk(**TREATED),
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": control(),
        }
    )
    found = validate(cli, root)
    assert at(found, "AIMS205") == [("risks/R-1.yaml", 15, 7)]
    assert of(found, "AIMS205")[0]["message"] == (
        "treatment relies on control 'A.7.4', which the Statement of Applicability excludes "
        "(applicable: false)"
    )


@pytest.mark.parametrize("applicable", [True, False])
def test_treatment_citing_an_undecided_placeholder_control(
    make_repo: Make, cli: Cli, applicable: bool
) -> None:
    # The starter's placeholder decides nothing: AIMS107 reports it, and AIMS205 does
    # not call it excluded (nor report it again), whatever its applicable says.
    placeholder = control(
        "A.7.4", applicable=applicable, status="implemented", justification="TODO: decide"
    )
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "risks/R-1.yaml": risk(**TREATED),
            "controls/annex-a.yaml": _soa_without("A.7.4"),
            "controls/org.yaml": [control(), placeholder],
        }
    )
    found = validate(cli, root, schema_ok=False)
    assert at(found, "AIMS107") == [("controls/org.yaml", 13, 16)]
    assert at(found, "AIMS205") == []


def test_treatment_with_applicable_controls_passes(make_repo: Make, cli: Cli) -> None:
    applicable = control("A.7.4")
    root = make_repo(
        {
            "systems/SYS-1.yaml": system(),
            "risks/R-1.yaml": risk(**TREATED),
            "controls/annex-a.yaml": _soa_without("A.7.4"),
            "controls/org.yaml": [control(), applicable],
        }
    )
    assert at(validate(cli, root), "AIMS205") == []


def test_a_control_scoped_to_other_systems_does_not_treat_the_risk(
    make_repo: Make, cli: Cli
) -> None:
    """ORG-1 is implemented, but only for SYS-2: it does not put R-1's treatment in
    place for SYS-1, so the residual levels get no credit (the risk stands at its
    inherent band) and AIMS205 says why. Scoped to both systems, it does."""
    files = {
        "systems/SYS-1.yaml": system(),
        "systems/SYS-2.yaml": system("SYS-2"),
        "risks/R-1.yaml": risk(
            inherent=flow(levels(5, 5)),
            treatment={"option": "mitigate", "controls": ["ORG-1"]},
            residual=flow(levels(1, 1)),
        ),
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control(systems=["SYS-2"], status="implemented"),
    }
    root = make_repo(files)
    found = validate(cli, root)
    assert [f["message"] for f in of(found, "AIMS205")] == [
        "treatment relies on control 'ORG-1', whose scope (systems: SYS-2) leaves out SYS-1, "
        "which the risk is about; it does not treat the risk there"
    ]
    repo = load_repository(root, date.fromisoformat(AS_OF))
    assert not repo.risk_scores["R-1"].in_place
    assert of(found, "AIMS303")  # above the appetite: the inherent band stands
    # Recorded as completed, the residual is credited on the date alone (records-v2):
    # AIMS307 then says the control that date stands for is not in place for SYS-1.
    done = {"option": "mitigate", "controls": ["ORG-1"], "completed": "2026-01-10"}
    completed = risk(inherent=flow(levels(5, 5)), treatment=done, residual=flow(levels(1, 1)))
    root = make_repo({**files, "risks/R-1.yaml": completed})
    found = validate(cli, root)
    assert load_repository(root, date.fromisoformat(AS_OF)).risk_scores["R-1"].in_place
    assert [f["message"] for f in of(found, "AIMS307")] == [
        "treatment is recorded as completed on 2026-01-10, but ORG-1 (implemented for SYS-2 "
        "only, not SYS-1) is not in place; the residual is credited on that date alone: "
        "implement it for the risk's systems, or take it out of the treatment"
    ]
    assert len(of(found, "AIMS205")) == 1 and of(found, "AIMS303") == []
    both = control(systems=["SYS-1", "SYS-2"], status="implemented")
    root = make_repo({**files, "controls/org.yaml": both})
    found = validate(cli, root)
    assert of(found, "AIMS205") == [] and of(found, "AIMS303") == []
    assert load_repository(root, date.fromisoformat(AS_OF)).risk_scores["R-1"].in_place


def test_one_scoped_control_is_judged_for_each_risk_s_systems(make_repo: Make, cli: Cli) -> None:
    """The rule judges a control once for each list of systems: of three risks treated by
    ORG-1 (scoped to SYS-2), the two about SYS-1 are reported, at their own entries, and
    the one about SYS-2 alone is not; an unscoped control treats every risk."""
    treated = {"option": "mitigate", "controls": ["ORG-1"]}
    files = {
        "systems/SYS-1.yaml": system(),
        "systems/SYS-2.yaml": system("SYS-2"),
        "risks/R-1.yaml": risk(treatment=treated),
        "risks/R-2.yaml": risk("R-2", systems=["SYS-2"], treatment=treated),
        "risks/R-3.yaml": risk("R-3", systems=["SYS-1", "SYS-2"], treatment=treated),
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control(systems=["SYS-2"], status="implemented"),
    }
    found = of(validate(cli, make_repo(files)), "AIMS205")
    assert [(d["record"], d["pointer"], d["message"].split(", ", 1)[1]) for d in found] == [
        (
            record,
            "/treatment/controls/0",
            "whose scope (systems: SYS-2) leaves out SYS-1, which the risk is about; it does "
            "not treat the risk there",
        )
        for record in ("R-1", "R-3")
    ]


def test_a_placeholder_control_does_not_treat_the_risk(make_repo: Make, cli: Cli) -> None:
    """ORG-1 says implemented, but its justification is still the starter's TODO:
    `aimsctl controls` and the SoA call it undecided, so the residual levels get no
    credit either (the inherent band stands, AIMS303), as they get none for a control
    that is not implemented."""
    files = {
        "systems/SYS-1.yaml": system(),
        "risks/R-1.yaml": risk(
            inherent=flow(levels(5, 5)),
            treatment={"option": "mitigate", "controls": ["ORG-1"]},
            residual=flow(levels(1, 1)),
        ),
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control(
            status="implemented", justification="TODO: say why this control applies"
        ),
    }
    root = make_repo(files)
    found = validate(cli, root, schema_ok=False)
    assert of(found, "AIMS107") and of(found, "AIMS303")
    assert not load_repository(root, date.fromisoformat(AS_OF)).risk_scores["R-1"].in_place


# --- AIMS206 evidence-path ----------------------------------------------------------

EVIDENCE = """\
kind: Control
id: ORG-1
title: Logging
applicable: true
justification: Needed.
owner: ciso@acme.example
status: implemented
evidence:
  - path: /etc/passwd
  - path: ../outside.md
  - path: evidence/missing.md
  - path: evidence/escape.md
  - path: https://wiki.acme.example/logging
  - path: evidence/present.md
  - url: https://wiki.acme.example/logging
"""

DOCUMENTED = system(
    documentation=block(
        [
            "docs/overview.md",
            "https://docs.acme.example/sys-1",
            "C:\\Users\\me\\notes.md",
            "docs/../docs/missing.md",
        ]
    )
)


def _evidence_repo(make_repo: Make, tmp_path: Path) -> Path:
    outside = tmp_path / "outside.md"
    outside.write_text("secret\n", encoding="utf-8")
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": EVIDENCE,
            "systems/SYS-1.yaml": DOCUMENTED,
            "evidence/present.md": "Logging standard\n",
            "docs/overview.md": "Overview\n",
        }
    )
    os.symlink(outside, root / "evidence" / "escape.md")
    return root


def test_evidence_in_the_git_folder_is_refused(make_repo: Make, cli: Cli) -> None:
    # `.git/config` passed as evidence, and an HTML report written in the repository
    # linked it: git's own files are no version of anything.
    text = EVIDENCE.split("evidence:\n")[0] + "evidence:\n  - path: .git/config\n"
    root = make_repo({"controls/annex-a.yaml": EXCLUDED_SOA, "controls/org.yaml": text})
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    found = of(validate(cli, root), "AIMS206")
    assert [d["message"] for d in found] == [
        "evidence path '.git/config' is in the .git folder, which holds git's own files"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_evidence_and_documentation_paths(make_repo: Make, cli: Cli, tmp_path: Path) -> None:
    found = validate(cli, _evidence_repo(make_repo, tmp_path))
    assert [(d["path"], d["line"], d["column"], d["message"]) for d in of(found, "AIMS206")] == [
        (
            "controls/org.yaml",
            9,
            11,
            "evidence path '/etc/passwd' is absolute; write it relative to the repository root",
        ),
        (
            "controls/org.yaml",
            10,
            11,
            "evidence path '../outside.md' leads outside the repository (through '..')",
        ),
        (
            "controls/org.yaml",
            11,
            11,
            "evidence path 'evidence/missing.md' does not exist in the repository",
        ),
        (
            "controls/org.yaml",
            12,
            11,
            "evidence path 'evidence/escape.md' is a symbolic link (or passes through one) "
            "whose target is outside the repository",
        ),
        (
            "controls/org.yaml",
            13,
            11,
            "evidence path 'https://wiki.acme.example/logging' is a link; give it as `url:` "
            "instead of `path:`",
        ),
        (
            "systems/SYS-1.yaml",
            13,
            5,
            "documentation path 'C:\\\\Users\\\\me\\\\notes.md' is absolute; write it relative "
            "to the repository root",
        ),
        (
            "systems/SYS-1.yaml",
            14,
            5,
            "documentation path 'docs/../docs/missing.md' does not exist in the repository",
        ),
    ]
    assert of(found, "AIMS206")[0]["pointer"] == "/evidence/0/path"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_paths_inside_the_repository_pass(make_repo: Make, cli: Cli, tmp_path: Path) -> None:
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": EVIDENCE.split("evidence:\n")[0]
            + (
                "evidence:\n  - path: evidence/present.md\n  - path: ./evidence//present.md\n"
                "  - path: evidence/link.md\n  - url: https://wiki.acme.example/logging\n"
            ),
            "systems/SYS-1.yaml": system(
                documentation=block(
                    [
                        "docs/overview.md",
                        "./docs/../docs/overview.md",
                        "https://docs.acme.example/sys-1",
                    ]
                )
            ),
            "evidence/present.md": "Logging standard\n",
            "docs/overview.md": "Overview\n",
        }
    )
    # A link that stays inside the repository is fine.
    os.symlink("present.md", root / "evidence" / "link.md")
    assert at(validate(cli, root), "AIMS206") == []


def test_policy_text_audit_report_and_review_minutes_are_paths_checked(
    make_repo: Make, cli: Cli
) -> None:
    # An approved policy whose text is a file nobody committed stood as the policy in
    # force: the policy text, an audit report and review minutes are documents that
    # must be there to inspect, as a control's evidence is. A link and a placeholder
    # (AIMS107 reports it) are not checked.
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "policies/POL-1.yaml": approved_policy(
                "POL-1", on="2026-01-05", document="evidence/ai-policy.pdf"
            ),
            "policies/POL-2.yaml": policy("POL-2", document="https://intranet.acme.example/ai"),
            "policies/POL-3.yaml": policy("POL-3", document="TODO: where the text is kept"),
            "audits/AUD-1.yaml": internal_audit("AUD-1", report="evidence"),
            "reviews/MR-1.yaml": management_review("MR-1", minutes="evidence/minutes.md"),
            "evidence/minutes.md": "Minutes\n",
        }
    )
    found = of(validate(cli, root, schema_ok=False), "AIMS206")
    assert [(d["path"], d["record"], d["pointer"], d["message"]) for d in found] == [
        (
            "audits/AUD-1.yaml",
            "AUD-1",
            "/report",
            "report path 'evidence' is a folder, not a file; name the document itself "
            "(e.g. a file inside the folder)",
        ),
        (
            "policies/POL-1.yaml",
            "POL-1",
            "/document",
            "document path 'evidence/ai-policy.pdf' does not exist in the repository",
        ),
    ]


def test_a_file_named_with_a_trailing_slash_is_no_document(make_repo: Make, cli: Cli) -> None:
    # `evidence/minutes.md/` passed (the slash dropped on reading); every system reads
    # it as a folder's name and opening it fails.
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "reviews/MR-1.yaml": management_review("MR-1", minutes="evidence/minutes.md/"),
            "reviews/MR-2.yaml": management_review("MR-2", minutes="evidence/minutes.md/."),
            "reviews/MR-3.yaml": management_review("MR-3", minutes="./evidence//minutes.md"),
            "reviews/MR-4.yaml": management_review("MR-4", minutes="evidence/minutes.md/x/.."),
            "reviews/MR-5.yaml": management_review("MR-5", minutes="evidence/gone/../minutes.md"),
            "reviews/MR-6.yaml": management_review("MR-6", minutes="evidence/x/../minutes.md"),
            "reviews/MR-7.yaml": management_review(
                "MR-7", minutes="evidence/minutes.md/../minutes.md"
            ),
            "evidence/minutes.md": "Minutes\n",
            "evidence/x/note.md": "A folder\n",
        }
    )
    found = of(validate(cli, root, schema_ok=False), "AIMS206")
    assert [(d["record"], d["message"]) for d in found] == [
        (record, f"minutes path {shown!r} ends with '/' but names a file; write it without the '/'")
        for record, shown in (("MR-1", "evidence/minutes.md/"), ("MR-2", "evidence/minutes.md/."))
    ] + [
        (
            record,
            f"minutes path {shown!r} steps back ('..') out of {before!r}, which is {what}, so "
            "it cannot be opened; write the path to the file without '..'",
        )
        for record, shown, before, what in (
            ("MR-4", "evidence/minutes.md/x/..", "evidence/minutes.md/x", "not in the repository"),
            ("MR-5", "evidence/gone/../minutes.md", "evidence/gone", "not in the repository"),
            ("MR-7", "evidence/minutes.md/../minutes.md", "evidence/minutes.md", "a file"),
        )
    ]


FOLDERS = EVIDENCE.split("evidence:\n")[0] + (
    "evidence:\n"
    "  - path: evidence\n"
    "  - path: evidence/\n"
    "  - path: evidence/audits\n"
    "  - path: evidence/audits/2026.md\n"
    "  - path: evidence/linked\n"
)


def _folder_repo(make_repo: Make) -> Path:
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": FOLDERS,
            "systems/SYS-1.yaml": system(documentation=block(["docs", "docs/overview.md"])),
            "evidence/audits/2026.md": "Audit\n",
            "docs/overview.md": "Overview\n",
        }
    )
    if hasattr(os, "symlink"):  # a link to a folder inside the repository is a folder too
        os.symlink("audits", root / "evidence" / "linked")
    else:
        (root / "evidence" / "linked").mkdir()
    return root


def _is_a_folder(path: str, line: int, field: str, reference: str) -> tuple[str, int, str]:
    return (
        path,
        line,
        f"{field} path {reference!r} is a folder, not a file; name the document itself "
        "(e.g. a file inside the folder)",
    )


FOLDER_FINDINGS = [
    _is_a_folder("controls/org.yaml", 9, "evidence", "evidence"),
    _is_a_folder("controls/org.yaml", 10, "evidence", "evidence/"),
    _is_a_folder("controls/org.yaml", 11, "evidence", "evidence/audits"),
    _is_a_folder("controls/org.yaml", 13, "evidence", "evidence/linked"),
    _is_a_folder("systems/SYS-1.yaml", 11, "documentation", "docs"),
]


def test_a_folder_is_not_evidence_or_documentation(make_repo: Make, cli: Cli) -> None:
    found = validate(cli, _folder_repo(make_repo))
    assert [(d["path"], d["line"], d["message"]) for d in of(found, "AIMS206")] == FOLDER_FINDINGS


def test_a_folder_is_not_evidence_in_a_git_tree_either(make_repo: Make) -> None:
    """In a git tree a folder is only a prefix of files (FileTree.exists says yes to it);
    the rule still tells it from a file."""
    root = _folder_repo(make_repo)
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
    files["evidence/linked/x.md"] = b"a folder in git\n"
    repo = load_repository(root, date.fromisoformat(AS_OF), source=FileTree(files))
    found = [d.as_json() for d in engine.run(repo).diagnostics]
    assert [(d["path"], d["line"], d["message"]) for d in of(found, "AIMS206")] == FOLDER_FINDINGS


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_evidence(make_repo: Make, cli: Cli) -> None:
    root = make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": EVIDENCE.split("evidence:\n")[0]
            + "evidence:\n  - path: evidence/pipe\n",
        }
    )
    (root / "evidence").mkdir()
    os.mkfifo(root / "evidence" / "pipe")
    found = validate(cli, root)
    assert [d["message"] for d in of(found, "AIMS206")] == [
        "evidence path 'evidence/pipe' is not a regular file (a pipe, socket or device); "
        "point to the document itself"
    ]


DECOMPOSED = unicodedata.normalize("NFD", "evidence/équipe.md")  # as macOS may name it

NEAR_MISSES = EVIDENCE.split("evidence:\n")[0] + (
    "evidence:\n"
    "  - path: evidence/Logging.MD\n"
    "  - path: evidence\\logging.md\n"
    "  - path: evidence/équipe.md\n"
    "  - path: evidence/gone.md\n"
)


def _near_miss_files() -> dict[str, str]:
    return {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": NEAR_MISSES,
        "evidence/logging.md": "Logging standard\n",
        DECOMPOSED: "Team charter\n",
    }


NEAR_MISS_FINDINGS = [
    (
        9,
        "evidence path 'evidence/Logging.MD' does not exist in the repository; there is "
        "'evidence/logging.md', differing only in letter case: Windows and macOS find the "
        "file either way, git and a Linux CI do not; write the name as the file has it",
    ),
    (
        10,
        "evidence path 'evidence\\\\logging.md' does not exist in the repository; there is "
        "'evidence/logging.md', written with '\\' between folders, as Windows writes paths: "
        "write '/', which every system reads",
    ),
    (
        11,
        "evidence path 'evidence/équipe.md' does not exist in the repository; there is "
        f"{DECOMPOSED!r}, differing only in how an accented letter is encoded (one "
        "character, or a letter and a combining accent, as macOS may write a file name): "
        "the two look the same, but git and Linux tell them apart; write the path as the "
        "file's name is written, or rename the file",
    ),
    (12, "evidence path 'evidence/gone.md' does not exist in the repository"),
]


def test_a_path_that_names_a_file_only_on_windows_or_macos_says_which(
    make_repo: Make, cli: Cli
) -> None:
    # Each of these finds its file on a Windows or macOS laptop and none in git or on a
    # Linux CI, where the finding once said only "does not exist in the repository".
    found = validate(cli, make_repo(_near_miss_files()))
    assert [(d["line"], d["message"]) for d in of(found, "AIMS206")] == NEAR_MISS_FINDINGS


def test_a_path_that_names_a_file_only_on_windows_or_macos_in_a_git_tree(
    make_repo: Make,
) -> None:
    """Read from a revision (diff, report --at), the same words name the same file."""
    root = make_repo(_near_miss_files())
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
    repo = load_repository(root, date.fromisoformat(AS_OF), source=FileTree(files))
    found = [d.as_json() for d in engine.run(repo).diagnostics]
    assert [(d["line"], d["message"]) for d in of(found, "AIMS206")] == NEAR_MISS_FINDINGS


def test_a_path_that_names_a_file_only_on_windows_or_macos_fails_there_too(
    make_repo: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system that ignores letter case and accent encoding and reads '\\' as
    '/' (as Windows and macOS laptops do) each near miss found its file, so validate
    passed there and failed in CI. Emulated here: a name missing from its folder is
    looked up as such a file system looks it up."""
    root = make_repo(_near_miss_files())
    real_stat = os.stat

    def laptop_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        try:
            return real_stat(path, *args, **kwargs)
        except FileNotFoundError:
            text = os.fsdecode(path)
            found: Path | None = root if text.startswith(f"{root}{os.sep}") else None
            for name in text[len(str(root)) + 1 :].replace("\\", "/").split("/"):
                key = unicodedata.normalize("NFC", name).casefold()
                listed = os.listdir(found) if found is not None and found.is_dir() else []
                same = [n for n in listed if unicodedata.normalize("NFC", n).casefold() == key]
                found = found / same[0] if found is not None and same else None
            if found is None:
                raise
        return real_stat(found, *args, **kwargs)

    monkeypatch.setattr(os, "stat", laptop_stat)
    assert (root / "evidence/Logging.MD").is_file()  # the emulation finds it
    found = validate(cli, root)
    assert [(d["line"], d["message"]) for d in of(found, "AIMS206")] == NEAR_MISS_FINDINGS


# --- AIMS208 annex-a-title-mismatch ---------------------------------------------------


def test_an_annex_a_control_titled_as_another_control_is_reported(
    make_repo: Make, cli: Cli
) -> None:
    """A title on an Annex A control was read by no one: the reports show the catalogue's,
    so a record calling A.6.2.4 'Penetration testing' validated clean."""
    text = (
        "kind: Control\nid: A.6.2.4\ntitle: Penetration testing\napplicable: false\n"
        "justification: We build no models.\n"
        "---\nkind: Control\nid: A.5.4\ntitle: Information security roles\n"
        "applicable: false\njustification: Not here.\n"
    )
    root = make_repo(
        {"controls/annex-a.yaml": _soa_without("A.6.2.4", "A.5.4"), "controls/x.yaml": text}
    )
    found = validate(cli, root)
    assert at(found, "AIMS208") == [("controls/x.yaml", 3, 8), ("controls/x.yaml", 9, 8)]
    first = of(found, "AIMS208")[0]
    assert (first["severity"], first["record"], first["pointer"]) == (
        "warning",
        "A.6.2.4",
        "/title",
    )
    assert first["message"] == (
        "title 'Penetration testing' is not the title of Annex A A.6.2.4, "
        "'AI system verification and validation', which every report shows; leave title "
        "out or write the catalogue's"
    )
    soa = cli("report", "soa", root, "--as-of", AS_OF, "--out", root / "out")
    assert soa.exit_code == 0, soa.stderr
    shown = (root / "out" / "soa.md").read_text(encoding="utf-8")
    assert "AI system verification and validation" in shown
    assert "Penetration testing" not in shown


def test_the_catalogue_title_its_variants_or_none_are_not_reported(
    make_repo: Make, cli: Cli
) -> None:
    text = (
        "kind: Control\nid: A.6.2.4\ntitle: '  ai system  Verification and validation'\n"
        "applicable: false\njustification: We build no models.\n"
        # The wording the standard itself uses in Annex B: an alias of the catalogue.
        "---\nkind: Control\nid: A.6.1.3\n"
        "title: Processes for responsible design and development of AI systems\n"
        "applicable: false\njustification: Not here.\n"
        "---\nkind: Control\nid: A.5.4\napplicable: false\njustification: Not here.\n"
        # An organization control names itself.
        "---\nkind: Control\nid: ORG-9\ntitle: Penetration testing\napplicable: false\n"
        "justification: Not here.\n"
    )
    files = {
        "controls/annex-a.yaml": _soa_without("A.6.2.4", "A.6.1.3", "A.5.4"),
        "controls/x.yaml": text,
    }
    assert at(validate(cli, make_repo(files)), "AIMS208") == []


# --- AIMS210 exclusion-contradicted ----------------------------------------------------


def test_an_exclusion_the_systems_records_contradict_is_reported(make_repo: Make, cli: Cli) -> None:
    """Suppliers and data for AI systems excluded beside a system built on a supplier's
    model and trained on recorded data validated clean, and readiness read A.10 ready."""
    supplied = [{"name": "Hosted LLM", "supplies": "model"}]
    training = [
        {
            "name": "crm-notes",
            "stage": "training",
            "source": "CRM",
            "personal": True,
            "sensitive": False,
            "provenance": "Exported monthly.",
        }
    ]
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/a.yaml": system("SYS-A", third_parties=supplied, data=training),
        "systems/b.yaml": system("SYS-B", third_parties=supplied),
        "systems/old.yaml": system("SYS-OLD", stage="retired", data=training),
    }
    found = of(validate(cli, make_repo(files)), "AIMS210")
    assert [(d["record"], d["severity"], d["pointer"]) for d in found] == [
        (control_id, "warning", "/applicable")
        for control_id in ("A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6", "A.10.2", "A.10.3")
    ]
    messages = {d["record"]: d["message"] for d in found}
    assert messages["A.10.3"] == (
        "A.10.3 is excluded, but SYS-A, SYS-B record third parties (`third_parties`): check "
        "the exclusion, or make the control applicable"
    )
    assert messages["A.7.5"] == (
        "A.7.5 is excluded, but SYS-A records development data (`data`): check the "
        "exclusion, or make the control applicable"
    )


def test_input_data_a_retired_system_or_an_applicable_control_contradicts_nothing(
    make_repo: Make, cli: Cli
) -> None:
    given = [{"name": "chats", "stage": "input", "source": "Users", "provenance": "Live."}]
    supplied = [{"name": "Hosted LLM", "supplies": "model"}]
    files = {
        "controls/annex-a.yaml": _soa_without("A.10.3"),
        "controls/a10.yaml": control("A.10.3", status="implemented", owner="cpo@acme.example"),
        "systems/a.yaml": system("SYS-A", data=given),
        "systems/old.yaml": system("SYS-OLD", stage="retired", third_parties=supplied),
        "systems/b.yaml": system("SYS-B", third_parties=supplied),
        # A customer's record of its vendor's training data is not its own, and a
        # system still holding a placeholder counts for nothing.
        "systems/c.yaml": system(
            "SYS-C",
            ai_roles=["customer"],
            data=[{**given[0], "stage": "training", "source": "The vendor"}],
        ),
        "systems/todo.yaml": system(
            "SYS-TODO",
            purpose="TODO: say what the system is for",
            data=[{**given[0], "stage": "training"}],
        ),
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS210")
    assert [d["record"] for d in found] == ["A.10.2"]


def _aims206_messages(cli: Cli, root: Path, *args: str) -> list[str]:
    """The AIMS206 messages of an uncached validate of ``root`` (``args``: --staged)."""
    result = cli("validate", root, *args, "--no-cache", "--as-of", AS_OF, "-f", "json")
    found = json.loads(result.stdout)["diagnostics"]
    return [d["message"] for d in found if d["code"] == "AIMS206"]


def test_staged_evidence_left_unstaged_says_to_add_it(tmp_path: Path, cli: Cli) -> None:
    """The pre-commit check (`validate --staged`) said an evidence file written but not
    added "does not exist", while it was right there on disk: it now says the commit
    would not hold it, and to `git add` it. A path on disk nowhere stays missing."""
    repo = GitRepo(tmp_path / "top", "governance")
    repo.write({"aims.yaml": MINIMAL_CONFIG, "controls/annex-a.yaml": EXCLUDED_SOA})
    repo.commit("Start")
    evidence = [{"path": "evidence/new.md"}, {"path": "evidence/gone.md"}]
    repo.write(
        {
            "controls/c.yaml": yaml_of(control("ORG-1", status="implemented", evidence=evidence)),
            "evidence/new.md": "Proof\n",
        }
    )
    repo.git("add", "governance/controls/c.yaml")

    def refused(*args: str) -> list[str]:
        return _aims206_messages(cli, repo.root, *args)

    assert refused("--staged") == [
        "evidence path 'evidence/new.md' is in the working tree but not staged, so the "
        "commit would not hold it; `git add` it (`git add -f` where .gitignore leaves it out)",
        "evidence path 'evidence/gone.md' does not exist in the repository",
    ]
    repo.git("add", "governance/evidence/new.md")
    gone = "evidence path 'evidence/gone.md' does not exist in the repository"
    assert refused("--staged") == [gone]
    repo.git("rm", "-q", "--cached", "governance/evidence/new.md")
    assert refused() == [gone]  # the working tree holds the file


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_dot_dot_out_of_a_linked_folder_is_read_as_the_system_follows_it(
    tmp_path: Path, cli: Cli
) -> None:
    """`linked/../a.md`, linked a link to sub/deep, reads as a.md but every system
    follows the link first and opens sub/a.md: it was passed while a.md existed, and
    `linked/../only.md` refused as missing while `cat` opened it. Both now say where
    the path leads, from the working tree and from git's index alike; a `..` out of a
    link whose parent is the one the text reads (linked2 -> evidence) stays fine."""
    repo = GitRepo(tmp_path / "top", "governance")
    cited = ["linked/../a.md", "linked/../only.md", "linked2/../a.md"]
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/c.yaml": yaml_of(
                control("ORG-1", status="implemented", evidence=[{"path": p} for p in cited])
            ),
            "a.md": "At the top\n",
            "sub/only.md": "Beside deep\n",
            "sub/deep/kept.md": "Inside deep\n",
            "evidence/e.md": "Evidence\n",
        }
    )
    os.symlink("sub/deep", repo.root / "linked")
    os.symlink("evidence", repo.root / "linked2")
    repo.git("add", "-A")

    def refused(*args: str) -> list[str]:
        return _aims206_messages(cli, repo.root, *args)

    expected = [
        f"evidence path {path!r} steps back ('..') out of a symbolic link, so it leads to "
        f"{opened!r}{missing}, not to {normal!r} as it reads; write the path to the file "
        "without '..'"
        for path, opened, missing, normal in (
            ("linked/../a.md", "sub/a.md", ", which does not exist in the repository", "a.md"),
            ("linked/../only.md", "sub/only.md", "", "only.md"),
        )
    ]
    assert refused() == expected
    assert refused("--staged") == expected


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_no_add_it_hint_for_an_unstaged_link_out_of_the_repository(
    tmp_path: Path, cli: Cli
) -> None:
    """An unstaged link on disk to a file outside the repository was said to be 'in
    the working tree but not staged ...; `git add` it': adding it adds a link whose
    target no checkout holds. It is missing from the commit, as any path is."""
    repo = GitRepo(tmp_path / "top", "governance")
    repo.write({"aims.yaml": MINIMAL_CONFIG, "controls/annex-a.yaml": EXCLUDED_SOA})
    repo.commit("Start")
    (tmp_path / "outside.md").write_text("Outside\n", encoding="utf-8")
    evidence = [{"path": "evidence/out.md"}]
    repo.write(
        {"controls/c.yaml": yaml_of(control("ORG-1", status="implemented", evidence=evidence))}
    )
    (repo.root / "evidence").mkdir()
    os.symlink(tmp_path / "outside.md", repo.root / "evidence" / "out.md")
    repo.git("add", "governance/controls/c.yaml")
    assert _aims206_messages(cli, repo.root, "--staged") == [
        "evidence path 'evidence/out.md' does not exist in the repository"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_dot_dot_out_of_a_link_to_no_folder_says_it_cannot_be_opened(
    tmp_path: Path, cli: Cli
) -> None:
    """`filelink/../a.md` (filelink -> e/e.md) and `dangling/../a.md` (dangling ->
    nowhere/deep) open nothing (`cat`: not a directory, no such file): the finding
    named 'e/a.md' and 'nowhere/a.md' as where they lead. It now says the path cannot
    be opened and where the link leads, from the working tree and git's index alike;
    a `..` after a link (linked/../x/..) is checked where the link leads (sub/x), and
    a link to a folder leading to a missing file says the file does not exist."""
    repo = GitRepo(tmp_path / "top", "governance")
    cited = ["filelink/../a.md", "dangling/../a.md", "linked/../x/../a.md", "linked/../b.md"]
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/c.yaml": yaml_of(
                control("ORG-1", status="implemented", evidence=[{"path": p} for p in cited])
            ),
            "a.md": "At the top\n",
            "b.md": "At the top\n",
            "x/kept.md": "A folder x at the top\n",
            "e/e.md": "Evidence\n",
            "sub/deep/kept.md": "Inside deep\n",
        }
    )
    os.symlink("e/e.md", repo.root / "filelink")
    os.symlink("nowhere/deep", repo.root / "dangling")
    os.symlink("sub/deep", repo.root / "linked")
    repo.git("add", "-A")

    def refused(*args: str) -> list[str]:
        return _aims206_messages(cli, repo.root, *args)

    def unopenable(path: str, written: str, place: str, what: str) -> str:
        return (
            f"evidence path {path!r} steps back ('..') out of {written!r}, which leads to "
            f"{place!r}, {what}, so it cannot be opened; write the path to the file without '..'"
        )

    expected = [
        unopenable("filelink/../a.md", "filelink", "e/e.md", "a file"),
        unopenable("dangling/../a.md", "dangling", "nowhere/deep", "not in the repository"),
        unopenable("linked/../x/../a.md", "linked/../x", "sub/x", "not in the repository"),
        "evidence path 'linked/../b.md' steps back ('..') out of a symbolic link, so it "
        "leads to 'sub/b.md', which does not exist in the repository, not to 'b.md' as it "
        "reads; write the path to the file without '..'",
    ]
    assert sorted(refused()) == sorted(expected)
    assert sorted(refused("--staged")) == sorted(expected)


def test_an_empty_policy_text_audit_report_or_minutes_is_refused(
    example_copy: Path, cli: Cli
) -> None:
    """An approved policy whose `document` is an empty file, and an audit report and
    review minutes emptied, passed validate while readiness counted them for nothing:
    AIMS206 says so, as it does of a path that names no file."""
    for rel in (
        "evidence/policy/ai-policy.md",
        "evidence/audit/internal-audit-2026.md",
        "evidence/governance/management-review-2026-10.md",
    ):
        (example_copy / rel).write_bytes(b"")
    found = of(validate(cli, example_copy, schema_ok=False), "AIMS206")
    said = (
        "path names an empty file: it holds nothing to inspect; write the document into "
        "it, or name the file that holds it"
    )
    assert [(d["record"], d["pointer"], d["message"]) for d in found] == [
        ("AUD-2026", "/report", f"report {said}"),
        ("POL-AI", "/document", f"document {said}"),
        ("MR-2026", "/minutes", f"minutes {said}"),
    ]
