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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult, write_files
from factory import control, monitor, system
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
