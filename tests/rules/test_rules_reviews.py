"""AIMS501-AIMS509: reviews on time, evidence for implemented controls, production systems,
future dates, review dates set beyond the review period."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rule_support import ACCEPTED, Cli, Make, at, of, validate

from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, excluded_soa
from factory import (
    OMIT,
    assessment,
    control,
    evaluation,
    levels,
    policy,
    risk,
    system,
    yaml_of,
)


def _reviewed(on: str) -> dict[str, Any]:
    return {"on": on, "by": "auditor@acme.example"}


# As of 2026-11-26: a high tier (180 days) review is overdue from 2026-05-29 back,
# a low tier (730 days) one from 2024-11-25 back.
LATE_HIGH, ON_TIME_HIGH = "2026-05-29", "2026-05-30"
LATE_LOW = "2024-11-25"


# --- AIMS501 review-overdue ---------------------------------------------------------


def test_reviews_overdue_for_the_tier(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
        "systems/HIGH.yaml": system("HIGH", reviewed=_reviewed(LATE_HIGH)),
        "systems/LOW.yaml": system("LOW", reviewed=_reviewed(LATE_LOW)),
        # The high-tier risk sets HIGH's tier; R-MIX spans both and takes the highest.
        "risks/R-HIGH.yaml": risk(
            "R-HIGH",
            systems=["HIGH"],
            inherent=levels(4, 4),
            acceptance=ACCEPTED,
            reviewed=_reviewed(ON_TIME_HIGH),
        ),
        "risks/R-LOW.yaml": risk("R-LOW", systems=["LOW"], reviewed=_reviewed(LATE_HIGH)),
        "risks/R-MIX.yaml": risk("R-MIX", systems=["LOW", "HIGH"], reviewed=_reviewed(LATE_HIGH)),
        # Unscoped: the highest tier of all systems.
        "controls/org.yaml": control("ORG-1", reviewed=_reviewed(LATE_HIGH)),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS501") == [
        ("controls/org.yaml", 9, 7),
        ("risks/R-MIX.yaml", 12, 7),
        ("systems/HIGH.yaml", 11, 7),
        ("systems/LOW.yaml", 11, 7),
    ]
    assert [d["message"] for d in of(found, "AIMS501")] == [
        "last reviewed on 2026-05-29; its systems' tier 'high' asks for a review every 180 "
        "days, so it was due on 2026-11-25",
        "last reviewed on 2026-05-29; its systems' tier 'high' asks for a review every 180 "
        "days, so it was due on 2026-11-25",
        "last reviewed on 2026-05-29; its tier 'high' asks for a review every 180 days, so "
        "it was due on 2026-11-25",
        "last reviewed on 2024-11-25; its tier 'low' asks for a review every 730 days, so it "
        "was due on 2026-11-25",
    ]
    assert all(d["severity"] == "warning" for d in of(found, "AIMS501"))


def test_reviews_on_time_or_not_applicable_pass(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
        "systems/HIGH.yaml": system("HIGH", reviewed=_reviewed(ON_TIME_HIGH)),
        "systems/LOW.yaml": system("LOW", reviewed=_reviewed("2024-11-26")),
        "systems/NEW.yaml": system("NEW"),  # unassessed: never reviewed, nothing asked
        "risks/R-HIGH.yaml": risk(
            "R-HIGH",
            systems=["HIGH"],
            inherent=levels(4, 4),
            acceptance=ACCEPTED,
            reviewed=_reviewed(ON_TIME_HIGH),
        ),
        "risks/R-LOW.yaml": risk("R-LOW", systems=["LOW"], reviewed=_reviewed(LATE_HIGH)),
        # Scoped to the low-tier system only, so its 730 days apply.
        "controls/org.yaml": control("ORG-1", systems=["LOW"], reviewed=_reviewed(LATE_HIGH)),
    }
    assert at(validate(cli, make_repo(files)), "AIMS501") == []


def test_a_record_never_reviewed_is_flagged_outside_git(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
        "systems/SYS-1.yaml": system(),
        "risks/R-1.yaml": risk(inherent=levels(3, 3), reviewed=_reviewed(ON_TIME_HIGH)),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS501") == [("systems/SYS-1.yaml", 1, 1)]
    assert of(found, "AIMS501")[0]["message"] == (
        "never reviewed, and its creation date is unknown (no git history); its tier "
        "'medium' asks for a review every 365 days: record `reviewed`"
    )


def test_a_record_never_reviewed_is_due_from_its_first_commit(tmp_path: Path, cli: Cli) -> None:
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")  # its commits are dated 2026-03-01
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system()),
            "risks/R-1.yaml": yaml_of(
                risk(inherent=levels(4, 4), acceptance=ACCEPTED, reviewed=_reviewed(ON_TIME_HIGH))
            ),
        }
    )
    repo.commit("Add the system")
    # Not committed yet: created today, so not due.
    repo.write({"systems/SYS-2.yaml": yaml_of(system("SYS-2"))})
    repo.write(
        {
            "risks/R-2.yaml": yaml_of(
                risk(
                    "R-2",
                    systems=["SYS-2"],
                    inherent=levels(4, 4),
                    acceptance=ACCEPTED,
                    reviewed=_reviewed(ON_TIME_HIGH),
                )
            )
        }
    )
    found = validate(cli, repo.root, schema_ok=False)
    assert [(d["record"], d["message"]) for d in of(found, "AIMS501")] == [
        (
            "SYS-1",
            "never reviewed since it was created on 2026-03-01; its tier 'high' asks for a "
            "review every 180 days, so it was due on 2026-08-28",
        )
    ]


def test_a_review_dated_after_the_as_of_date_does_not_count(tmp_path: Path, cli: Cli) -> None:
    """A `reviewed.on` ahead of the as-of date (a mistyped year, or a run as of an
    earlier day) is a review not held yet: the record is due from its creation, in
    validate and in `due` alike, not a tier's period after the day it names."""
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")  # its commits are dated 2026-03-01
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system(reviewed=_reviewed("2027-11-20"))),
            "risks/R-1.yaml": yaml_of(
                risk(inherent=levels(4, 4), acceptance=ACCEPTED, reviewed=_reviewed(ON_TIME_HIGH))
            ),
        }
    )
    repo.commit("Add the system")
    found = validate(cli, repo.root)
    assert at(found, "AIMS501") == [("systems/SYS-1.yaml", 11, 7)]
    assert of(found, "AIMS501")[0]["message"] == (
        "not reviewed by the as-of date (its `reviewed.on`, 2027-11-20, is later) since it "
        "was created on 2026-03-01; its tier 'high' asks for a review every 180 days, so it "
        "was due on 2026-08-28"
    )
    assert [d["record"] for d in of(found, "AIMS508")] == ["SYS-1"]
    ran = cli("due", repo.root, "--as-of", AS_OF, "--format", "json")
    items = [i for i in json.loads(ran.stdout)["items"] if i["record"] == "SYS-1"]
    reviews = [(i["due"], i["overdue"]) for i in items if i["item"] == "review"]
    assert reviews == [("2026-08-28", True)]
    assert any("its review of 2027-11-20 is after the as-of date" in i["what"] for i in items)


def test_a_review_by_a_placeholder_does_not_count(tmp_path: Path, cli: Cli) -> None:
    """`reviewed: {on: 2026-10-01, by: "TODO: who reviewed it"}` counted as the record's
    last review: AIMS501 and `due` put the next one a tier's period after a review
    nobody held. It counts not at all now: the record is due from its creation, and
    both say why, at `reviewed.by`."""
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")  # its commits are dated 2026-03-01
    unsigned = {"on": "2026-10-01", "by": "TODO: who reviewed it"}
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system(reviewed=unsigned)),
            "risks/R-1.yaml": yaml_of(
                risk(inherent=levels(4, 4), acceptance=ACCEPTED, reviewed=_reviewed(ON_TIME_HIGH))
            ),
        }
    )
    repo.commit("Add the system")
    found = validate(cli, repo.root, schema_ok=False)
    assert at(found, "AIMS501") == [("systems/SYS-1.yaml", 12, 7)]
    assert of(found, "AIMS501")[0]["message"] == (
        "not reviewed (SYS-1 names a placeholder (TODO:) as reviewed.by, so it does not count "
        "as reviewed) since it was created on 2026-03-01; its tier 'high' asks for a review "
        "every 180 days, so it was due on 2026-08-28"
    )
    ran = cli("due", repo.root, "--as-of", AS_OF, "--format", "json")
    items = [i for i in json.loads(ran.stdout)["items"] if i["record"] == "SYS-1"]
    reviews = [(i["due"], i["overdue"], i["what"]) for i in items if i["item"] == "review"]
    assert reviews == [
        (
            "2026-08-28",
            True,
            "review (high tier: every 180 days from its creation; SYS-1 names a placeholder "
            "(TODO:) as reviewed.by, so it does not count as reviewed)",
        )
    ]


def test_a_committed_id_that_is_a_list_does_not_stop_the_history(tmp_path: Path, cli: Cli) -> None:
    """A file whose second document has a list for its id (an invalid record) was
    committed next to a record never reviewed: reading the history for the record's
    creation compares ids, and a list must count as no id, not crash the run."""
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")  # its commits are dated 2026-03-01
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system()) + "---\nid: [SYS-1]\nkind: AISystem\n",
            "risks/R-1.yaml": yaml_of(
                risk(inherent=levels(4, 4), acceptance=ACCEPTED, reviewed=_reviewed(ON_TIME_HIGH))
            ),
        }
    )
    repo.commit("Add the system")
    found = validate(cli, repo.root, schema_ok=False)
    assert [d["record"] for d in of(found, "AIMS501")] == ["SYS-1"]
    assert "created on 2026-03-01" in of(found, "AIMS501")[0]["message"]


def test_in_a_shallow_clone_what_the_oldest_commit_holds_has_no_known_creation(
    tmp_path: Path, cli: Cli
) -> None:
    """A CI checkout of the newest commits only: records its oldest commit holds may
    be far older than it (whose parents were not fetched), so counting their review
    from that commit would hide reviews long overdue. They are reported as of
    unknown creation; a record added by a later commit keeps its date."""
    from factory import yaml_of
    from gitrepo import GitRepo

    high = {"inherent": levels(4, 4), "acceptance": ACCEPTED}  # SYS-1's tier: high
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system()),
            "risks/R-1.yaml": yaml_of(risk(**high)),
        }
    )
    repo.commit("Add the system", on="2025-01-10")
    repo.write({"risks/R-3.yaml": yaml_of(risk("R-3", **high))})
    repo.commit("Add R-3", on="2026-06-01")  # due 2026-11-28: not yet
    repo.write({"risks/R-2.yaml": yaml_of(risk("R-2", **high))})
    repo.commit("Add R-2", on="2026-11-20")

    def overdue(root: Path) -> dict[str, str]:
        return {d["record"]: d["message"] for d in of(validate(cli, root), "AIMS501")}

    assert sorted(overdue(repo.root)) == ["R-1", "SYS-1"]  # the whole history
    shallow = overdue(repo.shallow_clone(tmp_path / "ci", depth=2))
    assert sorted(shallow) == ["R-1", "R-3", "SYS-1"]  # R-2 came after the oldest commit
    assert shallow["R-3"] == (
        "never reviewed, and its creation date is unknown: this clone is shallow and its "
        "oldest commit, of 2026-06-01, already holds it; its systems' tier 'high' asks for a "
        "review every 180 days: record `reviewed`, or fetch the history too "
        "(actions/checkout with `fetch-depth: 0`, GitLab CI with `GIT_DEPTH: 0`)"
    )


def test_a_record_in_a_submodule_is_created_when_the_superproject_takes_it(
    tmp_path: Path, cli: Cli
) -> None:
    """R-1 lives in the team's repository, checked out as a submodule the
    superproject pulled in on 2025-01-10: its review counts from then. The history
    walked only YAML files, never the gitlink, so R-1 was taken as created on the
    as-of date and never due. Fetched shallow, the submodule lacks the commit pinned
    before the newest move, so R-1's creation is unknown, as in a shallow clone."""
    from factory import yaml_of
    from gitrepo import GitRepo, git

    high = {"inherent": levels(4, 4), "acceptance": ACCEPTED}  # SYS-1's tier: high
    team = GitRepo(tmp_path / "team")
    team.write({"risks/R-1.yaml": yaml_of(risk(**high))})
    team.commit("The team's risk", on="2025-01-01")
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system(reviewed=_reviewed(ON_TIME_HIGH))),
        }
    )
    repo.add_submodule("team", team)
    repo.commit("Pull in the team's risk", on="2025-01-10")
    team.write({"risks/R-1.yaml": yaml_of(risk(title="Renamed", **high))})
    team.commit("Rename the risk", on="2026-06-01")
    git(repo.root / "team", "pull", "-q", "origin", "main")
    repo.commit("Take the team's renamed risk", on="2026-06-02")

    def overdue(root: Path) -> dict[str, str]:
        return {d["record"]: d["message"] for d in of(validate(cli, root), "AIMS501")}

    assert overdue(repo.root) == {
        "R-1": "never reviewed since it was created on 2025-01-10; its systems' tier 'high' "
        "asks for a review every 180 days, so it was due on 2025-07-09"
    }
    clone = repo.clone_with_submodule(tmp_path / "ci", team.top)
    assert overdue(clone) == {
        "R-1": "never reviewed, and its creation date is unknown: the submodule at team was "
        "fetched shallow and the commit of 2026-06-02 that moves it already holds it; its "
        "systems' tier 'high' asks for a review every 180 days: record `reviewed`, or fetch "
        "the history too (actions/checkout with `fetch-depth: 0`, GitLab CI with "
        "`GIT_DEPTH: 0`)"
    }


def test_a_record_stored_with_git_lfs_is_dated_by_the_content_of_its_versions(
    tmp_path: Path, cli: Cli
) -> None:
    """R-1's file is tracked by Git LFS: each commit holds a pointer, the checkout and
    the LFS store the content. The history read the pointers, which name no record,
    so R-1 was taken as never committed, created on the as-of date, and its review
    long overdue was not due for another 180 days (validate silent, `due` in the
    future). A version whose content the store lacks (`git lfs pull` fetches only the
    one checked out) leaves its creation unknown; fetched, the cached answer follows."""
    from factory import yaml_of
    from gitrepo import GitRepo, lfs_pointer, lfs_store

    high = {"inherent": levels(4, 4), "acceptance": ACCEPTED}  # SYS-1's tier: high
    repo = GitRepo(tmp_path / "work")
    first = yaml_of(risk(**high)).encode()
    later = yaml_of(risk(title="Reworded", **high)).encode()
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            ".gitattributes": "risks/*.yaml filter=lfs diff=lfs merge=lfs -text\n",
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system(reviewed=_reviewed(ON_TIME_HIGH))),
            "risks/R-1.yaml": lfs_pointer(first),
        }
    )
    repo.commit("Add R-1", on="2025-01-10")
    repo.write({"risks/R-1.yaml": lfs_pointer(later)})
    repo.commit("Reword R-1", on="2026-06-01")
    (repo.root / "risks" / "R-1.yaml").write_bytes(later)  # what `git lfs pull` checks out
    lfs_store(repo.top, later)  # and fetches: the version checked out only

    def review(*extra: str) -> tuple[list[str], list[tuple[str, bool]]]:
        common = (repo.root, "--as-of", AS_OF, "--format", "json")
        found = json.loads(cli("validate", *common, *extra).stdout)["diagnostics"]
        messages = [d["message"] for d in of(found, "AIMS501")]
        due = cli("due", *common)
        items = json.loads(due.stdout)["items"]
        return messages, [(i["due"], i["overdue"]) for i in items if i["record"] == "R-1"]

    assert (
        review()
        == review("--no-cache")
        == (
            [
                "never reviewed, and its creation date is unknown (its systems' tier 'high' asks "
                "for a review every 180 days): record files are stored with Git LFS, and the LFS "
                "store of this clone lacks the content of some of their past versions, which "
                "aimsctl does not fetch; fetch them with `git lfs fetch --all` (`git lfs pull` "
                "fetches only the versions checked out); or record `reviewed`"
            ],
            [(AS_OF, True)],  # owed now
        )
    )
    lfs_store(repo.top, first)  # `git lfs fetch --all`
    assert (
        review()
        == review("--no-cache")
        == (
            [
                "never reviewed since it was created on 2025-01-10; its systems' tier 'high' "
                "asks for a review every 180 days, so it was due on 2025-07-09"
            ],
            [("2025-07-09", True)],
        )
    )


def test_without_a_git_program_the_dates_are_unknown_and_the_rule_says_why(
    tmp_path: Path,
) -> None:
    """A committed repository validated where no git program is on PATH: a record never
    reviewed was "unknown (no git history)", as if the folder had no history, and a
    cached answer made with git stood after git was gone (and the other way round)."""
    import os
    import subprocess
    import sys

    from factory import yaml_of
    from gitrepo import GitRepo

    high = {"inherent": levels(4, 4), "acceptance": ACCEPTED}  # SYS-1's tier: high
    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system(reviewed=_reviewed(ON_TIME_HIGH))),
            "risks/R-1.yaml": yaml_of(risk(**high)),
        }
    )
    repo.commit("Add R-1", on="2025-01-10")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["AIMSCTL_CACHE_DIR"] = str(tmp_path / "cache")

    def aims501(path: str) -> list[str]:
        args = [sys.executable, "-m", "aimsctl", "validate", str(repo.root), "--as-of", AS_OF]
        ran = subprocess.run(
            [*args, "--format", "json"],
            capture_output=True,
            text=True,
            env={**env, "PATH": path},
            timeout=120,
        )
        return [d["message"] for d in of(json.loads(ran.stdout)["diagnostics"], "AIMS501")]

    dated = [
        "never reviewed since it was created on 2025-01-10; its systems' tier 'high' asks "
        "for a review every 180 days, so it was due on 2025-07-09"
    ]
    assert aims501(os.environ["PATH"]) == dated
    assert aims501(str(tmp_path / "no-programs")) == [
        "never reviewed, and its creation date is unknown (its systems' tier 'high' asks for "
        "a review every 180 days): the git program is not installed or not on PATH, so the "
        "history that dates the records cannot be read; install git; or record `reviewed`"
    ]
    assert aims501(os.environ["PATH"]) == dated


def test_in_a_repository_git_cannot_read_the_dates_are_unknown_and_the_rule_says_why(
    tmp_path: Path, cli: Cli
) -> None:
    """A committed repository whose .git/HEAD is damaged: a record never reviewed was
    "unknown (no git history)", as if the folder were outside git, with nothing said of
    the history there that git could not read. It now gives git's reason."""
    from factory import yaml_of
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "work")
    repo.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
            "systems/SYS-1.yaml": yaml_of(system(reviewed=_reviewed(ON_TIME_HIGH))),
            "risks/R-1.yaml": yaml_of(risk(inherent=levels(4, 4), acceptance=ACCEPTED)),
        }
    )
    repo.commit("Add R-1", on="2025-01-10")
    (repo.top / ".git" / "HEAD").write_text("", encoding="ascii")
    assert [d["message"] for d in of(validate(cli, repo.root), "AIMS501")] == [
        "never reviewed, and its creation date is unknown (its systems' tier 'high' asks for "
        "a review every 180 days): git cannot read the history: "
        f"{repo.top / '.git'} is not a usable git repository: it is damaged or incomplete "
        "(for example an empty or invalid .git/HEAD file); `git fsck` lists what is "
        "damaged; restore the repository from another clone; or record `reviewed`"
    ]


# --- AIMS502 assessment-review-due --------------------------------------------------


def test_assessment_past_its_next_review(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA-1.yaml": assessment(next_review="2026-11-25"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS502") == [("assessments/IA-1.yaml", 13, 14)]
    assert of(found, "AIMS502")[0]["message"] == "review of this assessment was due on 2026-11-25"
    assert of(found, "AIMS502")[0]["severity"] == "warning"


def test_assessment_reviews_not_yet_due_or_superseded_pass(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "assessments/IA.yaml": [
            assessment("IA-1", next_review="2026-11-26"),
            assessment(
                "IA-2",
                status="superseded",
                approval=OMIT,
                decision=OMIT,
                next_review="2025-01-01",
            ),
            assessment("IA-3"),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS502") == []


def test_approved_assessment_without_next_review_is_due_by_its_tier(
    make_repo: Make, cli: Cli
) -> None:
    """No next_review: the tier's review period applies from assessed.on (records.md),
    the date `due` lists; AIMS502 stayed silent while `due` said it was overdue."""
    files = {
        "controls/annex-a.yaml": excluded_soa(reviewed=ON_TIME_HIGH),
        "systems/SYS-1.yaml": system(reviewed=_reviewed(ON_TIME_HIGH)),
        "risks/R-1.yaml": risk(inherent=levels(1, 2), reviewed=_reviewed(ON_TIME_HIGH)),
        # low tier, 730 days: due on 2026-11-25 (late) and on 2026-11-26 (on time)
        "assessments/IA-1.yaml": assessment(
            "IA-1", assessed={"on": LATE_LOW, "by": "dpo@acme.example"}
        ),
        "assessments/IA-2.yaml": assessment(
            "IA-2", assessed={"on": "2024-11-26", "by": "dpo@acme.example"}
        ),
    }
    root = make_repo(files)
    found = validate(cli, root)
    assert at(found, "AIMS502") == [("assessments/IA-1.yaml", 7, 7)]
    assert of(found, "AIMS502")[0]["message"] == (
        "review of this assessment was due on 2026-11-25: it sets no next_review, and its "
        "system's tier 'low' asks for a review every 730 days from 2024-11-25"
    )
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--format", "json").stdout)
    assert [(i["record"], i["due"]) for i in due["items"] if i["overdue"]] == [
        ("IA-1", "2026-11-25")
    ]


# --- AIMS503 implemented-without-evidence -------------------------------------------


def test_implemented_control_without_evidence(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": control(status="implemented"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS503") == [("controls/org.yaml", 7, 9)]
    assert of(found, "AIMS503")[0]["message"] == (
        "control is marked implemented but lists no evidence"
    )


def test_evidenced_or_unimplemented_controls_pass_aims503(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": [
            control(
                "ORG-1",
                status="implemented",
                evidence=[{"url": "https://wiki.acme.example/org-1"}],
            ),
            control("ORG-2", status="partial"),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS503") == []


def test_governance_records_are_no_evidence_of_a_control_at_work(make_repo: Make, cli: Cli) -> None:
    """The gaming audit set partial controls to implemented with evidence pointing at
    the SoA's own file, at aims.yaml: `validate --strict` was clean and readiness
    counted the controls ready. A record states the claim; it does not show it."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": [
            control("ORG-1", status="implemented", evidence=[{"path": "controls/org.yaml"}]),
            control("ORG-2", status="implemented", evidence=[{"path": "./aims.yaml"}]),
            control(
                "ORG-3",
                status="implemented",
                evidence=[{"path": "aims.yaml"}, {"path": "evidence/log.csv"}],
            ),
            # An evaluation's record shows the control at work; a link to the SoA
            # does not.
            control("ORG-4", status="implemented", evidence=[{"path": "evaluations/e.yaml"}]),
            control("ORG-5", status="implemented", evidence=[{"path": "evidence/soa.txt"}]),
        ],
        "evidence/log.csv": "on,value\n2026-01-01,1\n",
        "evaluations/e.yaml": evaluation("EVAL-1"),
        # A file keeping a system's evaluations beside its control shows it at work.
        "evaluations/bundle.yaml": [
            evaluation("EVAL-2"),
            control("ORG-6", status="implemented", evidence=[{"path": "evaluations/bundle.yaml"}]),
        ],
        "systems/s.yaml": system("SYS-1"),
    }
    files["controls/org.yaml"].append(  # a Role kept beside the controls changes nothing
        control("ORG-7", status="implemented", evidence=[{"path": "evidence/soa-dir/org.yaml"}])
    )
    root = make_repo(files)
    (root / "evidence/soa.txt").symlink_to("../controls/org.yaml")
    (root / "evidence/soa-dir").symlink_to("../controls")
    with (root / "controls/org.yaml").open("a") as handle:
        handle.write("---\nkind: Role\nid: cro\ntitle: CRO\nholder: cro@acme.example\n")
        handle.write("responsibilities: [Risk]\n")
    found = of(validate(cli, root), "AIMS503")
    assert [(f["record"], f["pointer"], f["message"]) for f in found] == [
        (
            "ORG-1",
            "/evidence",
            "control is marked implemented, but none of its evidence shows it at work: "
            "'controls/org.yaml' is a file of Control records, the Statement of "
            "Applicability, which states the claim rather than shows it; add evidence "
            "that shows the control at work",
        ),
        (
            "ORG-2",
            "/evidence",
            "control is marked implemented, but none of its evidence shows it at work: "
            "'./aims.yaml' is aims.yaml, the management system's settings; add "
            "evidence that shows the control at work",
        ),
        (
            "ORG-5",
            "/evidence",
            "control is marked implemented, but none of its evidence shows it at work: "
            "'evidence/soa.txt' is a file of Control records, the Statement of "
            "Applicability, which states the claim rather than shows it; add evidence "
            "that shows the control at work",
        ),
        (
            "ORG-7",
            "/evidence",
            "control is marked implemented, but none of its evidence shows it at work: "
            "'evidence/soa-dir/org.yaml' is a file of Control records, the "
            "Statement of Applicability, which states the claim rather than shows it; add "
            "evidence that shows the control at work",
        ),
    ]


def test_a_link_to_the_statement_is_followed_at_a_revision_too(tmp_path: Path, cli: Cli) -> None:
    # In the working tree a committed link to the SoA's file was not evidence; the
    # pre-commit hook (`--staged`) and `--at HEAD` read it as evidence all the same.
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "work")
    work.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": yaml_of(
                control("ORG-1", status="implemented", evidence=[{"path": "evidence/soa.txt"}])
            ),
        }
    )
    (work.root / "evidence").mkdir()
    (work.root / "evidence/soa.txt").symlink_to("../controls/org.yaml")
    work.commit("records")
    for extra in ((), ("--staged",)):
        found = cli("validate", work.root, "--as-of", AS_OF, "--format", "json", *extra)
        codes = [d["code"] for d in json.loads(found.stdout)["diagnostics"]]
        assert "AIMS503" in codes, (extra, found.stdout)


def test_an_empty_evidence_file_shows_no_control_at_work(tmp_path: Path, cli: Cli) -> None:
    """A team under audit pressure made `evidence/*.md` files, left them empty and
    marked the controls implemented: validate was clean, readiness counted the
    controls ready and the SoA listed the files as evidence. A file with no bytes
    shows nothing: in the working tree, git's index and a revision alike. One empty
    file beside evidence that shows something is harmless."""
    from gitrepo import GitRepo

    work = GitRepo(tmp_path / "work")
    work.write(
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/org.yaml": "---\n".join(
                yaml_of(record)
                for record in (
                    control("ORG-1", status="implemented", evidence=[{"path": "evidence/a.md"}]),
                    control("ORG-2", status="implemented", evidence=[{"path": "evidence/b.md"}]),
                    control(
                        "ORG-3",
                        status="implemented",
                        evidence=[{"path": "evidence/a.md"}, {"path": "evidence/c.md"}],
                    ),
                )
            ),
            "evidence/a.md": "",
            "evidence/c.md": "Test log, 2026-10-01: all checks passed.\n",
        }
    )
    (work.root / "evidence/b.md").symlink_to("a.md")
    work.commit("records")
    expected = [
        (
            "ORG-1",
            "control is marked implemented, but none of its evidence shows it at work: "
            "'evidence/a.md' is an empty file: it holds nothing to show; add evidence "
            "that shows the control at work",
        ),
        (
            "ORG-2",
            "control is marked implemented, but none of its evidence shows it at work: "
            "'evidence/b.md' is an empty file: it holds nothing to show; add evidence "
            "that shows the control at work",
        ),
    ]
    for extra in ((), ("--staged",), ("--no-cache",)):
        found = cli("validate", work.root, "--as-of", AS_OF, "--format", "json", *extra)
        diagnostics = json.loads(found.stdout)["diagnostics"]
        got = [(d["record"], d["message"]) for d in diagnostics if d["code"] == "AIMS503"]
        assert got == expected, extra
    # The Statement of Applicability at the commit says the file is no evidence.
    soa = cli("report", "soa", work.root, "--at", "HEAD", "--as-of", AS_OF, "--out", "-")
    assert soa.exit_code == 0, soa.stdout
    assert "not counted as evidence: 'evidence/a.md' is an empty file" in soa.stdout
    # Filled in, it shows the control at work; the base of --changed-since saw it empty.
    (work.root / "evidence/a.md").write_text("Access review, 2026-10-01.\n")
    changed = cli(
        "validate", work.root, "--as-of", AS_OF, "--changed-since", "HEAD", "--format", "json"
    )
    assert [d["code"] for d in json.loads(changed.stdout)["diagnostics"]] == []


def test_a_placeholder_control_implemented_without_evidence(make_repo: Make, cli: Cli) -> None:
    """A control whose justification is still the starter's TODO decides nothing, as
    the SoA and `aimsctl controls` say: its `applicable: false` excused its claim of
    an implementation nobody evidenced."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "controls/org.yaml": [
            control("ORG-1", status="implemented", justification="TODO: why"),
            control("ORG-2", status="implemented", justification="TODO: why", applicable=False),
            control("ORG-3", status="implemented", applicable=False),  # excluded: decided
        ],
    }
    found = of(validate(cli, make_repo(files), schema_ok=False), "AIMS503")
    assert [(f["record"], f["message"]) for f in found] == [
        (
            control_id,
            "control is marked implemented but lists no evidence, and is not decided (its "
            "justification is a placeholder)",
        )
        for control_id in ("ORG-1", "ORG-2")
    ]


# --- AIMS504 production-system-unassessed -------------------------------------------


def test_production_system_without_open_risk(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(stage="production"),
        "systems/SYS-2.yaml": system("SYS-2", stage="production"),
        # A closed risk does not set a tier.
        "risks/R-2.yaml": risk("R-2", systems=["SYS-2"], status="closed"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS504") == [("systems/SYS-1.yaml", 7, 8), ("systems/SYS-2.yaml", 7, 8)]
    assert of(found, "AIMS504")[0]["message"] == (
        "system is in production but has no open risk, so its tier is unassessed"
    )


def test_assessed_or_non_production_systems_pass_aims504(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(stage="production"),
        "systems/SYS-2.yaml": system("SYS-2", stage="validation"),
        "risks/R-1.yaml": risk(status="monitoring"),
    }
    assert at(validate(cli, make_repo(files)), "AIMS504") == []


# --- AIMS505 production-system-without-assessment -----------------------------------


def test_production_system_without_any_assessment(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(stage="production"),
        "systems/SYS-2.yaml": system("SYS-2", stage="production"),
        "risks/R-1.yaml": risk(systems=["SYS-1", "SYS-2"]),
        # An assessment of another system does not count.
        "assessments/IA-2.yaml": assessment(system="SYS-2"),
    }
    found = validate(cli, make_repo(files))
    assert at(found, "AIMS505") == [("systems/SYS-1.yaml", 7, 8)]
    assert of(found, "AIMS505")[0]["message"] == (
        "system is in production but has no impact assessment"
    )


def test_any_assessment_satisfies_aims505(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(stage="production"),
        "systems/SYS-2.yaml": system("SYS-2", stage="retired"),
        "risks/R-1.yaml": risk(),
        "assessments/IA-1.yaml": assessment(status="superseded", approval=OMIT, decision=OMIT),
    }
    assert at(validate(cli, make_repo(files)), "AIMS505") == []


# --- AIMS508 date-in-future ---------------------------------------------------------


def test_dates_of_things_done_cannot_lie_ahead(make_repo: Make, cli: Cli) -> None:
    from factory import assessment, risk

    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(reviewed={"on": "2026-11-27", "by": "a@acme.example"}),
        "assessments/IA-1.yaml": assessment(
            assessed={"on": "2027-01-10", "by": "dpo@acme.example"},
            approval={"by": "cro@acme.example", "on": "2027-01-11"},
        ),
        "risks/R-1.yaml": risk(
            treatment={"option": "mitigate", "completed": "2026-11-26"},
            residual={"likelihood": 1, "severity": 1},
        ),
    }
    found = validate(cli, make_repo(files))
    assert [d["pointer"] for d in of(found, "AIMS508")] == [
        "/assessed/on",
        "/approval/on",
        "/reviewed/on",
    ]
    assert of(found, "AIMS508")[0]["message"] == (
        "assessed.on is 2027-01-10, after the as-of date 2026-11-26: it cannot have happened yet"
    )


def test_optional_dates_of_things_done_cannot_lie_ahead(make_repo: Make, cli: Cli) -> None:
    # A date that may be left out (a treatment's `completed`, evidence's `date`) is a
    # date of something done too: AIMS508 said nothing about a treatment completed
    # next week, while the risk register gave its residual no credit.
    from factory import risk

    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "controls/ORG-1.yaml": control(
            status="implemented", evidence=[{"path": "aims.yaml", "date": "2026-12-01"}]
        ),
        "risks/R-1.yaml": risk(
            treatment={"option": "mitigate", "completed": "2026-11-27"},
            residual={"likelihood": 1, "severity": 1},
        ),
    }
    found = of(validate(cli, make_repo(files)), "AIMS508")
    assert [(d["record"], d["pointer"]) for d in found] == [
        ("ORG-1", "/evidence/0/date"),
        ("R-1", "/treatment/completed"),
    ]
    assert found[1]["message"] == (
        "treatment.completed is 2026-11-27, after the as-of date 2026-11-26: it cannot "
        "have happened yet"
    )
    # named by its entry ("evidence.date" could be any of the control's evidence)
    assert found[0]["message"].startswith("date of entry 1 of evidence is 2026-12-01, after")


def test_an_approval_dated_ahead_does_not_count_as_approved(make_repo: Make, cli: Cli) -> None:
    from factory import assessment, levels, risk

    accepted = {"by": "ceo@acme.example", "on": "2026-01-10", "rationale": "r"}
    approval = {"by": "cro@acme.example", "on": "2026-12-01"}
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "risks/R-1.yaml": risk(
            inherent=levels(4, 4), acceptance={**accepted, "expires": "2027-01-10"}
        ),
        "assessments/IA-1.yaml": assessment(approval=approval),
    }
    found = validate(cli, make_repo(files))
    [missing] = of(found, "AIMS401")
    assert "IA-1 is approved only on 2026-12-01" in missing["message"]


def test_an_assessment_made_after_the_as_of_date_is_not_current(make_repo: Make, cli: Cli) -> None:
    """An assessment dated a year ahead (a mistyped year) with an approval in the past
    counted as current, its tier's period running from a day not come yet: AIMS401
    was silent and `due` put its review off to 2027-11-28. It approves nothing yet."""
    from factory import assessment, levels, risk

    accepted = {"by": "ceo@acme.example", "on": "2026-01-10", "rationale": "r"}
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        "risks/R-1.yaml": risk(
            inherent=levels(4, 4), acceptance={**accepted, "expires": "2027-01-10"}
        ),
        "assessments/IA-1.yaml": assessment(
            assessed={"on": "2027-06-01", "by": "dpo@acme.example"}
        ),
    }
    root = make_repo(files)
    found = validate(cli, root)
    assert [d["message"] for d in of(found, "AIMS401")] == [
        "tier 'high' requires a current approved impact assessment, but IA-1 is assessed "
        "only on 2027-06-01"
    ]
    ran = cli("due", root, "--as-of", AS_OF, "--format", "json")
    owed = [i for i in json.loads(ran.stdout)["items"] if i["item"] == "impact-assessment"]
    assert [(i["record"], i["due"], i["overdue"]) for i in owed] == [("SYS-1", AS_OF, True)]


# --- AIMS509 next-review-beyond-period ----------------------------------------------


def _approved_policy(id: str, next_review: str) -> Any:
    """An approved policy (approval on line 7, next_review on line 10)."""
    return policy(
        id,
        status="approved",
        approval={"by": "ceo@acme.example", "on": "2026-06-01"},
        next_review=next_review,
    )


def test_a_next_review_beyond_the_period_is_reported(make_repo: Make, cli: Cli) -> None:
    """records.md makes an explicit next_review the due date, so one set years out was
    never due, although the tier asks for a review every 180 days: nothing said so."""
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-1.yaml": system(),
        # high tier: 180 days from assessed.on 2026-06-01 is 2026-11-28
        "risks/R-1.yaml": risk(inherent=levels(4, 4), acceptance=ACCEPTED),
        "assessments/IA-1.yaml": assessment("IA-1", next_review="2040-01-01"),
        "assessments/IA-2.yaml": assessment("IA-2", next_review="2026-11-29"),
        # a draft's written date is listed by `due` all the same
        "assessments/IA-3.yaml": assessment(
            "IA-3", status="draft", approval=OMIT, decision=OMIT, next_review="2027-06-01"
        ),
        # cadence.policy_review_days 365 from the approval on 2026-06-01 is 2027-06-01
        "policies/POL-1.yaml": _approved_policy("POL-1", "2027-06-02"),
    }
    root = make_repo(files)
    found = validate(cli, root)
    assert at(found, "AIMS509") == [
        ("assessments/IA-1.yaml", 13, 14),
        ("assessments/IA-2.yaml", 13, 14),
        ("assessments/IA-3.yaml", 9, 14),
        ("policies/POL-1.yaml", 10, 14),
    ]
    assert [d["message"] for d in of(found, "AIMS509")] == [
        "next_review is 2040-01-01, 4962 days after assessed.on (2026-06-01); its system's "
        "tier 'high' asks for a review every 180 days, so by 2026-11-28",
        "next_review is 2026-11-29, 181 days after assessed.on (2026-06-01); its system's "
        "tier 'high' asks for a review every 180 days, so by 2026-11-28",
        "next_review is 2027-06-01, 365 days after assessed.on (2026-06-01); its system's "
        "tier 'high' asks for a review every 180 days, so by 2026-11-28",
        "next_review is 2027-06-02, 366 days after the approval (2026-06-01); "
        "cadence.policy_review_days is 365, so by 2027-06-01",
    ]
    assert {d["severity"] for d in of(found, "AIMS509")} == {"warning"}
    # The date written stays the due date (records.md): not due yet, so AIMS502 is
    # silent, and `due` lists the written date.
    assert at(found, "AIMS502") == []
    due = json.loads(cli("due", root, "--as-of", AS_OF, "--within", "6000", "-f", "json").stdout)
    assert ("IA-1", "2040-01-01") in [(i["record"], i["due"]) for i in due["items"]]


def test_a_next_review_within_the_period_passes(make_repo: Make, cli: Cli) -> None:
    files = {
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/HIGH.yaml": system("HIGH"),
        "systems/LOW.yaml": system("LOW"),
        "risks/R-1.yaml": risk(systems=["HIGH"], inherent=levels(4, 4), acceptance=ACCEPTED),
        "risks/R-2.yaml": risk("R-2", systems=["LOW"], inherent=levels(1, 2)),
        "assessments/IA.yaml": [
            # the period's last day is allowed
            assessment("IA-1", system="HIGH", next_review="2026-11-28"),
            # low tier: 730 days, to 2028-05-31
            assessment("IA-2", system="LOW", next_review="2028-05-31"),
            assessment("IA-3", system="HIGH"),  # none written: the period applies
            assessment(
                "IA-4",
                system="HIGH",
                status="superseded",
                approval=OMIT,
                decision=OMIT,
                next_review="2040-01-01",
            ),
        ],
        "policies/POL.yaml": [
            _approved_policy("POL-1", "2027-06-01"),
            policy("POL-2", next_review="2040-01-01"),  # a draft: no approval to count from
            policy(
                "POL-3",
                status="retired",
                approval={"by": "ceo@acme.example", "on": "2024-06-01"},
                next_review="2040-01-01",
            ),
        ],
    }
    assert at(validate(cli, make_repo(files)), "AIMS509") == []


def test_the_policy_period_is_the_configured_cadence(make_repo: Make, cli: Cli) -> None:
    files = {"policies/POL-1.yaml": _approved_policy("POL-1", "2026-09-01")}
    shorter = MINIMAL_CONFIG + "cadence: {policy_review_days: 90}\n"
    found = validate(cli, make_repo(files, shorter))
    assert [d["message"] for d in of(found, "AIMS509")] == [
        "next_review is 2026-09-01, 92 days after the approval (2026-06-01); "
        "cadence.policy_review_days is 90, so by 2026-08-30"
    ]
    assert at(validate(cli, make_repo(files)), "AIMS509") == []


def test_a_far_next_review_on_the_example_shows_in_validate_and_sarif(
    cli: Cli, example_copy: Path
) -> None:
    """End to end on the example: IA-CREDIT-2026 (tier high) set for review in 2040."""
    path = example_copy / "assessments" / "IA-CREDIT-2026.yaml"
    text = path.read_text(encoding="utf-8")
    written = next(line for line in text.splitlines() if line.startswith("next_review:"))
    path.write_text(text.replace(written, "next_review: 2040-01-01", 1), "utf-8")
    result = cli("validate", example_copy, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0  # a warning
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["code"], d["record"], d["path"]) for d in found] == [
        ("AIMS509", "IA-CREDIT-2026", "assessments/IA-CREDIT-2026.yaml")
    ]
    assert cli("validate", example_copy, "--as-of", AS_OF, "--strict").exit_code == 1
    sarif = json.loads(cli("validate", example_copy, "--as-of", AS_OF, "-f", "sarif").stdout)
    run = sarif["runs"][0]
    assert "AIMS509" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    (hit,) = [r for r in run["results"] if r["ruleId"] == "AIMS509"]
    assert hit["level"] == "warning"
    region = hit["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "assessments/IA-CREDIT-2026.yaml"
    assert region["region"]["startLine"] == found[0]["line"]


def test_records_naming_the_same_systems_share_one_judged_tier(make_repo: Make) -> None:
    """reviewed_records judges the tier of each list of systems once: risks and
    controls naming the same list (in the same order) get the same tier, and a list in
    another order names what failed validation in its own order."""
    from datetime import date

    from aimsctl.repository import load_repository
    from aimsctl.rules.reviews import reviewed_records

    files = {
        "systems/SYS-1.yaml": system("SYS-1", stage="prodution"),
        "systems/SYS-2.yaml": system("SYS-2"),
        "systems/SYS-3.yaml": system("SYS-3", stage="prodution"),
        "risks/R-1.yaml": risk("R-1", systems=["SYS-1", "SYS-3", "SYS-2"]),
        "risks/R-2.yaml": risk("R-2", systems=["SYS-1", "SYS-3", "SYS-2"]),
        "risks/R-3.yaml": risk("R-3", systems=["SYS-3", "SYS-1", "SYS-2"]),
        "risks/R-4.yaml": risk("R-4", systems=["SYS-2"]),
        "controls/ORG-1.yaml": control("ORG-1", systems=["SYS-1", "SYS-3", "SYS-2"]),
    }
    repo = load_repository(make_repo(files), date.fromisoformat(AS_OF))
    tiers = {record.id: tier for record, tier in reviewed_records(repo)}
    assert tiers["R-1"] == tiers["R-2"] == tiers["ORG-1"]
    assert tiers["R-1"].unjudged == ("SYS-1", "SYS-3")
    assert tiers["R-3"].unjudged == ("SYS-3", "SYS-1")
    assert tiers["R-4"].unjudged == ()
    assert tiers["R-4"].name == tiers["SYS-2"].name
