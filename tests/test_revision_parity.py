"""A revision read from git answers as a checkout of it does.

`report --at REV` must give the bytes `report` gives in a checkout of REV,
`validate --staged` the findings `validate` gives once the index is committed, and
`validate --changed-since REV` judge REV as a checkout of REV is judged. Each test
builds a real repository and runs both sides on the same commit: the working tree
is clean, so it is the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult, FileContent, write_files
from factory import control, incident, monitor, risk, system
from gitrepo import GitRepo

Cli = Callable[..., CliResult]


def _findings(result: CliResult) -> list[tuple[Any, ...]]:
    found = json.loads(result.stdout)
    return [
        (d["code"], d["path"], d["line"], d["record"], d["pointer"], d["message"])
        for d in found["diagnostics"]
    ]


def _linked_evidence(tmp_path: Path) -> GitRepo:
    """A control citing evidence through each kind of committed symbolic link: to a
    file, through a linked folder, to nothing, to a folder, and out of the root; and a
    monitor whose observations are in the linked folder."""
    repo = GitRepo(tmp_path / "work", "gov")
    evidence = ["file-link.md", "linked/report.md", "dangling.md", "folder-link.md", "out.md"]
    write_files(
        repo.root,
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "controls/ORG-1.yaml": control(
                "ORG-1",
                status="implemented",
                evidence=[{"path": f"evidence/{name}"} for name in evidence],
            ),
            "evidence/real.md": "The audit report.\n",
            "evidence/folder/report.md": "The other report.\n",
            "evidence/folder/observations.csv": "on,value,note\n2026-11-20,0.5,\n",
            "systems/SYS-1.yaml": system("SYS-1"),
            "monitors/MON-1.yaml": monitor(
                "MON-1", observations_file="evidence/linked/observations.csv"
            ),
        },
    )
    (repo.top / "outside.md").write_text("Outside the governance root.\n", encoding="utf-8")
    for name, target in {
        "file-link.md": "real.md",
        "linked": "folder",
        "dangling.md": "nothing.md",
        "folder-link.md": "folder",
        "out.md": "../../outside.md",
    }.items():
        os.symlink(target, repo.root / "evidence" / name)
    repo.commit("Evidence through links")
    return repo


def _one_system_repo(tmp_path: Path, extra: dict[str, FileContent] | None = None) -> GitRepo:
    """A git repository whose governance folder `gov` holds aims.yaml, every Annex A
    control excluded, system SYS-1 and ``extra``; nothing committed yet."""
    repo = GitRepo(tmp_path / "work", "gov")
    write_files(
        repo.root,
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": system("SYS-1"),
            **(extra or {}),
        },
    )
    return repo


def test_evidence_through_committed_links_is_judged_as_in_a_checkout(
    tmp_path: Path, cli: Cli
) -> None:
    repo = _linked_evidence(tmp_path)
    checkout = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    found = _findings(checkout)
    messages = sorted(message for *_, message in found)
    assert [m.split("' ")[0] for m in messages if m.startswith("evidence path")] == [
        "evidence path 'evidence/dangling.md",
        "evidence path 'evidence/folder-link.md",
        "evidence path 'evidence/out.md",
    ]
    # MON-1's observations are read through the linked folder: its breach is found.
    assert any(m.startswith("evidence/linked/observations.csv:2: 0.5 ") for m in messages)
    staged = cli("validate", repo.root, "--staged", "--as-of", AS_OF, "--format", "json")
    assert (staged.exit_code, _findings(staged)) == (checkout.exit_code, found)

    out = {side: tmp_path / side for side in ("at", "checkout")}
    common = ("all", repo.root, "--as-of", AS_OF, "--force", "-f", "md")
    at = cli("report", *common, "-o", out["at"], "--at", "HEAD")
    plain = cli("report", *common, "-o", out["checkout"])
    assert (at.exit_code, at.stderr) == (plain.exit_code, plain.stderr)
    for name in ("soa.md", "monitoring.md"):
        assert (out["at"] / name).read_bytes() == (out["checkout"] / name).read_bytes()


def test_changed_since_judges_evidence_through_a_linked_folder_at_the_base(
    tmp_path: Path, cli: Cli
) -> None:
    """The change deletes the file a linked folder led to: its evidence is gone."""
    repo = _linked_evidence(tmp_path)
    repo.remove("evidence/folder/report.md")
    result = cli(
        "validate", repo.root, "--changed-since", "HEAD", "--as-of", AS_OF, "--format", "json"
    )
    assert ("evidence path 'evidence/linked/report.md' does not exist in the repository") in [
        message for *_, message in _findings(result)
    ]


def test_observations_stored_with_git_lfs_are_read_as_a_checkout_reads_them(
    tmp_path: Path, cli: Cli
) -> None:
    """A monitor's CSV tracked by Git LFS: git holds a pointer, the checkout (and the
    repository's LFS store) the observations."""
    repo = GitRepo(tmp_path / "work", "gov")
    observations = b"on,value,note\n2026-11-20,0.5,\n"
    oid = hashlib.sha256(observations).hexdigest()
    write_files(
        repo.root,
        {
            "aims.yaml": MINIMAL_CONFIG,
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-1.yaml": system("SYS-1"),
            "monitors/MON-1.yaml": monitor("MON-1", observations_file="data/observations.csv"),
            "data/observations.csv": (
                "version https://git-lfs.github.com/spec/v1\n"
                f"oid sha256:{oid}\nsize {len(observations)}\n"
            ),
        },
    )
    repo.commit("Observations in Git LFS")
    store = repo.top / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4]
    store.mkdir(parents=True)
    (store / oid).write_bytes(observations)  # what `git lfs pull` fetches
    (repo.root / "data" / "observations.csv").write_bytes(observations)  # and checks out

    checkout = cli("validate", repo.root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    # MON-1's observation is read: below its threshold, a breach nothing followed.
    assert [(code, path) for code, path, *_ in _findings(checkout)] == [
        ("AIMS705", "monitors/MON-1.yaml")
    ]
    staged = cli("validate", repo.root, "--staged", "--as-of", AS_OF, "--format", "json")
    assert (staged.exit_code, _findings(staged)) == (checkout.exit_code, _findings(checkout))
    since = cli("validate", repo.root, "--changed-since", "HEAD", "--as-of", AS_OF)
    assert since.exit_code == 0, since.stdout  # nothing changed

    common = ("monitoring", repo.root, "--as-of", AS_OF, "--force", "-o", "-")
    at = cli("report", *common, "--at", "HEAD")
    assert (at.exit_code, at.stdout) == (0, cli("report", *common).stdout)


def test_an_aims_yaml_linked_out_of_the_root_is_unusable_at_a_revision(
    tmp_path: Path, cli: Cli
) -> None:
    """Not a revision without aims.yaml: diff took every record for removed."""
    repo = GitRepo(tmp_path / "work", "gov")
    write_files(repo.root, {"aims.yaml": MINIMAL_CONFIG, "controls/annex-a.yaml": EXCLUDED_SOA})
    base = repo.commit("Governance records")
    (repo.root / "aims.yaml").rename(repo.top / "shared.yaml")
    (repo.root / "aims.yaml").symlink_to("../shared.yaml")
    head = repo.commit("Share aims.yaml")
    problem = "aims.yaml: symbolic link leads outside the repository; it is not read"

    checkout = cli("validate", repo.root, "--as-of", AS_OF)
    assert (checkout.exit_code, checkout.stderr) == (2, f"aimsctl: error: {problem}\n")
    staged = cli("validate", repo.root, "--staged", "--as-of", AS_OF)
    assert (staged.exit_code, staged.stderr) == (checkout.exit_code, checkout.stderr)
    common = ("soa", repo.root, "--as-of", AS_OF, "-o", "-")
    at = cli("report", *common, "--at", "HEAD")
    assert (at.exit_code, at.stderr) == (2, cli("report", *common).stderr)
    diff = cli("diff", base, head, repo.root, "--as-of", AS_OF)
    assert (diff.exit_code, diff.stdout) == (2, "")
    assert diff.stderr == f"aimsctl: error: {problem} (in HEAD {head!r}, commit {head[:12]})\n"


_UPPER_CASE = (
    "file name ends in .YAML, so its records are not read: aimsctl reads only the "
    "lower-case extensions .yaml and .yml; rename it to R-1.yaml, or exclude it in aims.yaml"
)


def _upper_case_risk(tmp_path: Path) -> tuple[GitRepo, str]:
    """A risk saved as `risks/R-1.YAML` (as an editor on Windows or macOS may name it),
    which an incident names; and the commit before it was added."""
    repo = _one_system_repo(tmp_path)
    base = repo.commit("Governance records")
    write_files(
        repo.root,
        {"risks/R-1.YAML": risk("R-1"), "incidents/INC-1.yaml": incident("INC-1", risks=["R-1"])},
    )
    repo.commit("A risk saved with an upper-case extension")
    return repo, base


def _findings_said(stderr: str) -> str:
    """A report refusal's standard error without the command it points to."""
    return re.sub(r"Fix them \(.*?\), or pass", "Fix them (...), or pass", stderr)


def test_an_upper_case_yaml_extension_is_reported_wherever_the_files_are_read(
    tmp_path: Path, cli: Cli
) -> None:
    """`risks/R-1.YAML` was silently not read: the risk vanished, and the only trace was
    the incident's reference to a risk "which does not exist" (with no reference, none
    at all). It is an AIMS008 now, and a reference to a record the file may hold is set
    aside as for any file that cannot be read (and AIMS707, which finds no risk of the
    system, names the file as one that may hold it): the same in the working tree, cold and
    cached, staged, since a revision, at a revision and in a diff (a revision's
    `R-1.YAML` is read from git for that, as a checkout holds it)."""
    repo, base = _upper_case_risk(tmp_path)
    expected = [
        (
            "AIMS707",
            "incidents/INC-1.yaml",
            4,
            "INC-1",
            "/systems/0",
            "incident detected on 2026-06-02, but it has no risks in the register; review "
            "the risks of SYS-1 in the light of it; a record whose kind or id cannot be "
            "read (at risks/R-1.YAML:1) may be the one reviewed since",
        ),
        ("AIMS008", "risks/R-1.YAML", 1, None, "", _UPPER_CASE),
        (
            "AIMS201",
            "risks/R-1.YAML",
            1,
            None,
            "",
            "references to 'R-1' were not checked: this file cannot be read, and the "
            "records may be in it; fix it first",
        ),
    ]
    validate = ("validate", repo.root, "--as-of", AS_OF, "--format", "json")
    cold = cli(*validate, "--no-cache")
    assert (cold.exit_code, _findings(cold)) == (1, expected)
    for run in (cli(*validate), cli(*validate)):  # the entry written, then read
        assert (run.exit_code, run.stdout) == (cold.exit_code, cold.stdout)
    staged = cli(*validate, "--staged")
    assert (staged.exit_code, _findings(staged)) == (1, expected)
    since = cli(*validate, "--changed-since", base)
    assert (since.exit_code, _findings(since)) == (1, expected)
    unchanged = cli(*validate, "--changed-since", "HEAD")  # there before: not this change's
    assert (unchanged.exit_code, _findings(unchanged)) == (0, [])

    common = ("risks", repo.root, "--as-of", AS_OF, "-o", "-")
    at = cli("report", *common, "--at", "HEAD")
    plain = cli("report", *common)
    # The same findings; only the refusal's pointer to a validate run differs (--at's
    # errors are the revision's, which validate lists in a checkout of it).
    assert (at.exit_code, _findings_said(at.stderr)) == (
        plain.exit_code,
        _findings_said(plain.stderr),
    )
    assert plain.exit_code == 1 and f"risks/R-1.YAML:1:1: error AIMS008 {_UPPER_CASE}" in at.stderr

    diff = cli("diff", base, "HEAD", repo.root, "--as-of", AS_OF, "--format", "json")
    notes = json.loads(diff.stdout)["notes"]
    assert f"risks/R-1.YAML cannot be read in full at HEAD ({_UPPER_CASE}); a record " in (
        " ".join(notes)
    )


def test_an_upper_case_yaml_extension_excluded_in_aims_yaml_is_silent(
    tmp_path: Path, cli: Cli
) -> None:
    repo, _base = _upper_case_risk(tmp_path)
    (repo.root / "incidents" / "INC-1.yaml").unlink()
    (repo.root / "risks" / "R-2.Yml").write_text("not: read\n", encoding="utf-8")
    (repo.root / ".drafts").mkdir()
    (repo.root / ".drafts" / "R-3.YAML").write_text("hidden: folder\n", encoding="utf-8")
    validate = ("validate", repo.root, "--as-of", AS_OF, "--format", "json")
    found = _findings(cli(*validate))
    assert [(code, path) for code, path, *_ in found] == [
        ("AIMS008", "risks/R-1.YAML"),
        ("AIMS008", "risks/R-2.Yml"),
    ]
    assert "rename it to R-2.yml," in found[1][-1]
    (repo.root / "aims.yaml").write_text(
        MINIMAL_CONFIG + 'exclude: ["risks/*.YAML", "**/*.Yml"]\n', encoding="utf-8"
    )
    assert _findings(cli(*validate)) == [] == _findings(cli(*validate, "--no-cache"))
    repo.commit("Exclude them")
    assert _findings(cli(*validate, "--staged")) == []


def test_observations_in_an_upper_case_csv_are_read_at_a_revision_as_in_a_checkout(
    tmp_path: Path, cli: Cli
) -> None:
    """`data/obs.CSV` is read from disk, but a revision read only names ending in
    lower-case `.csv`: `--staged` called the file missing (AIMS708) where the checkout
    found the breach in it (AIMS705)."""
    repo = _one_system_repo(
        tmp_path,
        {
            "monitors/MON-1.yaml": monitor("MON-1", observations_file="data/obs.CSV"),
            "data/obs.CSV": "on,value,note\n2026-11-20,0.5,\n",
        },
    )
    repo.commit("Observations exported by a spreadsheet")
    validate = ("validate", repo.root, "--as-of", AS_OF, "--format", "json")
    checkout = cli(*validate, "--no-cache")
    assert [(code, path) for code, path, *_ in _findings(checkout)] == [
        ("AIMS705", "monitors/MON-1.yaml")
    ]
    staged = cli(*validate, "--staged")
    assert (staged.exit_code, _findings(staged)) == (checkout.exit_code, _findings(checkout))
    common = ("monitoring", repo.root, "--as-of", AS_OF, "--force", "-o", "-")
    at = cli("report", *common, "--at", "HEAD")
    assert (at.exit_code, at.stdout) == (0, cli("report", *common).stdout)


def test_record_links_that_cannot_be_read_are_reported_staged_as_in_a_checkout(
    tmp_path: Path, cli: Cli
) -> None:
    """A committed link named like a record file that leads out of the repository, to
    nothing or round a loop, and a folder of records linked in from outside, are
    AIMS008 in a checkout (their records are not read). `--staged` left them out in
    silence, so the pre-commit hook passed a commit that CI then failed; and
    `--changed-since` called the checkout's AIMS008 new on every pull request, the
    base having none. Hidden and excluded paths stay silent on every side."""
    outside = tmp_path / "elsewhere"
    write_files(outside, {"risks/R-9.yaml": risk("R-9", systems="[SYS-1]"), "note.md": "x\n"})
    repo = _one_system_repo(tmp_path, {"aims.yaml": MINIMAL_CONFIG + 'exclude: ["drafts/**"]\n'})
    (repo.root / "drafts").mkdir()
    (repo.root / "risks").mkdir()
    for rel, target in {
        "risks/R-out.yaml": str(outside / "risks" / "R-9.yaml"),
        "risks/R-climbs.yml": "../../../elsewhere/risks/R-9.yaml",
        "risks/R-gone.yaml": "R-nothing.yaml",
        "risks/R-loop.yaml": "R-loop.yaml",
        "risks/shared": str(outside / "risks"),
        "risks/systems.yaml": "../systems",  # a folder inside: not a file, not read
        "evidence-note.md": str(outside / "note.md"),  # not a record file: no finding
        "drafts/R-out.yaml": str(outside / "risks" / "R-9.yaml"),
        ".hidden.yaml": str(outside / "risks" / "R-9.yaml"),
    }.items():
        os.symlink(target, repo.root / rel)
    base = repo.commit("Links")

    validate = ("validate", repo.root, "--as-of", AS_OF, "--format", "json")
    checkout = cli(*validate, "--no-cache")
    expected = [
        ("AIMS008", "risks/R-climbs.yml", "symbolic link leads outside the repository"),
        ("AIMS008", "risks/R-gone.yaml", "symbolic link points to a file that does not exist"),
        ("AIMS008", "risks/R-loop.yaml", "symbolic link loop: the link leads back to itself"),
        ("AIMS008", "risks/R-out.yaml", "symbolic link leads outside the repository"),
        ("AIMS008", "risks/shared", "folder is a symbolic link leading outside the repository"),
    ]
    shown = [
        (code, path, message.split(";")[0].split(",")[0])
        for code, path, *_, message in _findings(checkout)
    ]
    assert (checkout.exit_code, shown) == (1, expected)
    staged = cli(*validate, "--staged")
    assert (staged.exit_code, _findings(staged)) == (checkout.exit_code, _findings(checkout))
    unchanged = cli(*validate, "--changed-since", base)  # there before: not this change's
    assert (unchanged.exit_code, _findings(unchanged)) == (0, [])


def test_links_out_of_the_root_and_back_in_are_not_followed_in_a_checkout_either(
    tmp_path: Path, cli: Cli
) -> None:
    """A committed link whose target is an absolute path inside the root, or climbs out
    of it and comes back in (`../../gov/...`), leads nowhere in another checkout (CI's,
    a colleague's, one under another folder name). The checkout followed both, so its
    records were read twice and their evidence counted, while `--staged`, `--at` and
    CI's fresh clone said AIMS008: the hook and the run disagreed."""
    repo = _one_system_repo(
        tmp_path,
        {
            "controls/ORG-1.yaml": control(
                "ORG-1",
                status="implemented",
                evidence=[{"path": "evidence/abs.md"}, {"path": "evidence/back.md"}],
            ),
            "evidence/real.md": "The audit report.\n",
        },
    )
    (repo.root / "risks").mkdir()
    for rel, target in {
        "risks/SYS-abs.yaml": str(repo.root / "systems" / "SYS-1.yaml"),
        "risks/SYS-back.yaml": "../../gov/systems/SYS-1.yaml",
        "risks/systems-abs": str(repo.root / "systems"),
        "evidence/abs.md": str(repo.root / "evidence" / "real.md"),
        "evidence/back.md": "../../gov/evidence/real.md",
    }.items():
        os.symlink(target, repo.root / rel)
    repo.commit("Links that leave the root")

    validate = ("validate", repo.root, "--as-of", AS_OF, "--format", "json")
    checkout = cli(*validate, "--no-cache")
    shown = [
        (code, path, message.split(";")[0].split(",")[0].split(" (")[0])
        for code, path, *_, message in _findings(checkout)
        if code in ("AIMS008", "AIMS105", "AIMS206")  # links, ids read twice, evidence
    ]
    assert (checkout.exit_code, shown) == (
        1,
        [
            (
                "AIMS206",
                "controls/ORG-1.yaml",
                "evidence path 'evidence/abs.md' is a symbolic link",
            ),
            (
                "AIMS206",
                "controls/ORG-1.yaml",
                "evidence path 'evidence/back.md' is a symbolic link",
            ),
            ("AIMS008", "risks/SYS-abs.yaml", "symbolic link leads outside the repository"),
            ("AIMS008", "risks/SYS-back.yaml", "symbolic link leads outside the repository"),
            (
                "AIMS008",
                "risks/systems-abs",
                "folder is a symbolic link leading outside the repository",
            ),
        ],
    )
    staged = cli(*validate, "--staged")
    assert (staged.exit_code, _findings(staged)) == (checkout.exit_code, _findings(checkout))
