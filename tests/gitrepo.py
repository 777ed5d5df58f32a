"""Real git repositories in temporary folders, for diff, log and init tests.

Every git command runs with a fixed identity, no system or global git
configuration, and (for commits) fixed author and commit dates, so shas and
dates are stable within a test.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import textwrap
from pathlib import Path

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Ann Author",
    "GIT_AUTHOR_EMAIL": "ann@example.org",
    "GIT_COMMITTER_NAME": "Ann Author",
    "GIT_COMMITTER_EMAIL": "ann@example.org",
}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in ``cwd``; its stdout. Fails the test when git fails."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def missing_objects(cwd: Path) -> list[str]:
    """The objects of HEAD's history that the repository at ``cwd`` lacks (a partial
    clone's); listing them fetches none."""
    found = git(cwd, "rev-list", "--objects", "--missing=print", "HEAD")
    return sorted(line[1:] for line in found.splitlines() if line.startswith("?"))


def lfs_pointer(content: bytes) -> str:
    """The pointer file Git LFS commits in place of a file holding ``content``."""
    oid = hashlib.sha256(content).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(content)}\n"


def lfs_store(top: Path, content: bytes) -> Path:
    """``content`` put into the Git LFS store of the repository at ``top``, as `git lfs
    fetch` puts it there; its path in the store."""
    oid = hashlib.sha256(content).hexdigest()
    stored = top / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    return stored


def inside_git(path: Path) -> bool:
    """Whether ``path`` is already inside some git work tree (e.g. tmp in a checkout)."""
    probe = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],
        cwd=path,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )
    return probe.returncode == 0


def plain_governance_folder(parent: Path) -> Path:
    """A folder with a valid aims.yaml that is not inside any git repository.

    Skips the calling test when the temporary folder itself lies inside one.
    """
    import pytest

    plain = parent / "plain"
    plain.mkdir()
    if inside_git(plain):
        pytest.skip("the temporary folder itself lies inside a git repository")
    (plain / "aims.yaml").write_text(CONFIG, encoding="utf-8")
    return plain


class GitRepo:
    """A git work tree; ``root`` is the governance root (the folder of aims.yaml)."""

    def __init__(self, top: Path, governance: str = "") -> None:
        self.top = top
        self.root = top / governance if governance else top
        self._clock = 0
        top.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        git(top, "init", "-q", "-b", "main")
        git(top, "config", "commit.gpgsign", "false")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        return git(self.top, *args, env=env)

    def write(self, files: dict[str, str]) -> None:
        """Write files below the governance root; the text is dedented."""
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")

    def remove(self, *paths: str) -> None:
        for rel in paths:
            (self.root / rel).unlink()

    def move(self, old: str, new: str) -> None:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git(
            "mv",
            str((self.root / old).relative_to(self.top)),
            str((self.root / new).relative_to(self.top)),
        )

    def commit(
        self,
        message: str,
        author: tuple[str, str] = ("Ann Author", "ann@example.org"),
        on: str | None = None,
    ) -> str:
        """Commit everything; each commit is one minute after the previous one, or at
        noon UTC on the day ``on`` (YYYY-MM-DD)."""
        self._clock += 1
        stamp = f"{on}T12:00:00+00:00" if on else f"2026-03-01T10:{self._clock:02d}:00+01:00"
        name, email = author
        self.git("add", "-A")
        self.git(
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
            env={
                "GIT_AUTHOR_NAME": name,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_DATE": stamp,
            },
        )
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def merge(self, branch: str, message: str, *options: str) -> str:
        """Merge ``branch`` with a merge commit (``options`` such as ``-s ours``)."""
        self._clock += 1
        stamp = f"2026-03-01T10:{self._clock:02d}:00+01:00"
        self.git(
            "merge",
            "-q",
            "--no-ff",
            *options,
            "-m",
            message,
            branch,
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
        return self.head()

    def shallow_clone(self, to: Path, depth: int) -> Path:
        """A clone holding only the newest ``depth`` commits, as CI checkouts often
        are; its governance root."""
        git(to.parent, "clone", "-q", "--depth", str(depth), self.top.as_uri(), str(to))
        return to / self.root.relative_to(self.top)

    def partial_clone(self, to: Path) -> Path:
        """A clone without the contents of past commits' files (``--filter=blob:none``);
        its governance root. Git fetches a missing one from this repository on demand,
        unless told not to."""
        self.git("config", "uploadpack.allowFilter", "true")
        git(to.parent, "clone", "-q", "--filter=blob:none", self.top.as_uri(), str(to))
        return to / self.root.relative_to(self.top)

    def add_submodule(self, rel: str, other: GitRepo) -> None:
        """Check out ``other`` as a submodule at ``rel`` below the governance root
        (staged, not committed)."""
        path = (self.root / rel).relative_to(self.top).as_posix()
        self.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other.top), path)

    def clone_with_submodule(
        self, to: Path, team: Path, depth: int | None = 1, shallow: bool = False
    ) -> Path:
        """A clone at ``to`` whose submodule `team` is checked out from the repository
        at ``team``, fetched ``depth`` commits deep (None: its whole history), as a CI
        checkout with submodules is; ``shallow``: the clone itself holds the newest
        commit only. Its top folder."""
        fetched = ("--depth", "1") if shallow else ()
        git(to.parent, "clone", "-q", *fetched, self.top.as_uri(), str(to))
        git(to, "config", "submodule.team.url", team.as_uri())  # so named when moved too
        deep = ("--depth", str(depth)) if depth else ()
        git(to, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init", *deep)
        return to

    def files(self) -> dict[str, bytes]:
        """Every file of the work tree outside .git, for "nothing was written" checks."""
        found: dict[str, bytes] = {}
        for path in sorted(self.top.rglob("*")):
            if path.is_file() and ".git" not in path.relative_to(self.top).parts:
                found[path.relative_to(self.top).as_posix()] = path.read_bytes()
        return found


CONFIG = """\
version: 1
organization: Test Org
"""

SYSTEM = """\
kind: AISystem
id: {id}
title: System {id}
owner: owner@example.org
purpose: Sort things.
type: predictive
stage: development
human_oversight: {{mode: human-in-the-loop}}
"""

RISK = """\
kind: Risk
id: {id}
title: Risk {id}
owner: owner@example.org
description: Something could go wrong.
systems: [{system}]
inherent: {{likelihood: {likelihood}, severity: {severity}}}
status: {status}
"""

CONTROL = """\
kind: Control
id: {id}
title: Control {id}
owner: owner@example.org
applicable: {applicable}
justification: Because.
status: {status}
"""

ASSESSMENT = """\
kind: ImpactAssessment
id: {id}
title: Assessment {id}
system: {system}
status: draft
assessed: {{on: 2026-01-10, by: dpo@example.org}}
"""


def system(record_id: str) -> str:
    return SYSTEM.format(id=record_id)


def risk(
    record_id: str,
    system: str = "SYS-A",
    likelihood: int | str = 2,
    severity: int | str = 3,
    status: str = "open",
) -> str:
    return RISK.format(
        id=record_id, system=system, likelihood=likelihood, severity=severity, status=status
    )


def one_system(likelihood: int = 1, severity: int = 2) -> dict[str, str]:
    """The files of a small repository: aims.yaml, every Annex A control excluded,
    system SYS-A and its risk R-1 (scored ``likelihood`` x ``severity``)."""
    from conftest import EXCLUDED_SOA

    return {
        "aims.yaml": CONFIG,
        "controls/annex-a.yaml": EXCLUDED_SOA,
        "systems/SYS-A.yaml": system("SYS-A"),
        "risks/R-1.yaml": risk("R-1", likelihood=likelihood, severity=severity),
    }


def control(
    record_id: str,
    applicable: bool = True,
    status: str = "implemented",
    justification: str | None = None,
) -> str:
    """A Control; ``justification`` (say the starter's ``TODO:`` placeholder) replaces
    the default ``Because.``."""
    text = CONTROL.format(id=record_id, applicable=str(applicable).lower(), status=status)
    if justification is not None:
        text = text.replace("justification: Because.\n", f"justification: {justification!r}\n")
    if record_id.startswith("A."):
        text = text.replace(f"title: Control {record_id}\n", "")
    return text


def assessment(record_id: str, system: str) -> str:
    return ASSESSMENT.format(id=record_id, system=system)


def two_commits(top: Path, governance: str = "") -> tuple[GitRepo, str, str]:
    """A repository whose second commit changes governance in every documented way.

    From BASE to HEAD: R-1 crosses the appetite upward (SYS-A's tier rises), R-10
    comes back within it (SYS-C's tier falls), SYS-C moves to another file, R-2 is
    removed, SYS-B (no impact assessment), SYS-D with IA-D, R-3 (critical) and
    ORG-3 (excluded) are added, ORG-1 regresses, A.2.3 progresses and A.2.2 is
    excluded.
    """
    repo = GitRepo(top, governance)
    repo.write(
        {
            "aims.yaml": CONFIG,
            "systems/SYS-A.yaml": system("SYS-A"),
            "systems/SYS-C.yaml": system("SYS-C"),
            "risks/R-1.yaml": risk("R-1", likelihood=2, severity=3),
            "risks/R-2.yaml": risk("R-2", likelihood=1, severity=1),
            "risks/R-10.yaml": risk("R-10", system="SYS-C", likelihood=4, severity=4),
            "controls/org.yaml": control("ORG-1", status="implemented"),
            "controls/annex.yaml": control("A.2.2", status="partial")
            + "---\n"
            + control("A.2.3", status="not-started"),
        }
    )
    base = repo.commit("Record the first systems and risks")
    repo.write(
        {
            "risks/R-1.yaml": risk("R-1", likelihood=4, severity=3),
            "risks/R-10.yaml": risk("R-10", system="SYS-C", likelihood=1, severity=4),
            "risks/R-3.yaml": risk("R-3", system="SYS-B", likelihood=5, severity=5),
            "systems/SYS-B.yaml": system("SYS-B"),
            "systems/SYS-D.yaml": system("SYS-D"),
            "assessments/IA-D.yaml": assessment("IA-D", "SYS-D"),
            "controls/org.yaml": control("ORG-1", status="partial")
            + "---\n"
            + control("ORG-3", applicable=False, status="not-started"),
            "controls/annex.yaml": control("A.2.2", applicable=False, status="partial")
            + "---\n"
            + control("A.2.3", status="implemented"),
        }
    )
    repo.remove("risks/R-2.yaml")
    repo.move("systems/SYS-C.yaml", "systems/c/SYS-C.yaml")
    head = repo.commit(
        "Rescore risks, add systems, update the SoA", author=("Bo Builder", "bo@example.org")
    )
    return repo, base, head


def committed_example(top: Path, example: Path, governance: str = "") -> GitRepo:
    """A copy of the bundled example ``example`` at ``top`` (or in its folder
    ``governance``), committed on `main` (on 1 March 2026, by Ann Author): as a user's
    checkout holds it, so the records are under version control (readiness counts
    clause 7.5.1 only then, and only as of that day or later)."""
    import shutil

    repo = GitRepo(top, governance)
    shutil.copytree(example, repo.root, dirs_exist_ok=True)
    repo.commit("Northwind AIMS after the November review")
    return repo


def example_on_a_branch(top: Path, example: Path) -> GitRepo:
    """The bundled example committed on `main` (:func:`committed_example`), with a
    branch `change` checked out: where a test makes the change `diff main HEAD` judges."""
    repo = committed_example(top, example)
    repo.git("checkout", "-q", "-b", "change")
    return repo


def northwind_pull_request(top: Path, example: Path) -> GitRepo:
    """The bundled example on `main`, and a branch `voice-pilot` that reassesses it.

    The branch raises R-016's residual likelihood (it crosses the appetite and
    SYS-ASSIST's tier rises), lets A.6.2.6 slip back to partial and adds a system
    with no impact assessment. docs/git.md shows `aimsctl diff main HEAD` of it.
    """
    repo = committed_example(top, example)
    repo.git("checkout", "-q", "-b", "voice-pilot")
    risk_file = repo.root / "risks" / "R-016.yaml"
    risk_file.write_text(
        risk_file.read_text(encoding="utf-8").replace(
            "residual: {likelihood: 2, severity: 4}", "residual: {likelihood: 3, severity: 4}"
        ),
        encoding="utf-8",
    )
    soa = repo.root / "controls" / "annex-a.yaml"
    text = soa.read_text(encoding="utf-8")
    start = text.index("id: A.6.2.6\n")
    end = text.index("status: implemented", start)
    soa.write_text(
        text[:end] + "status: partial" + text[end + len("status: implemented") :], encoding="utf-8"
    )
    repo.write(
        {
            "systems/SYS-VOICE.yaml": """\
        kind: AISystem
        id: SYS-VOICE
        title: Nora on the phone (pilot)
        owner: head-of-digital-service@northwind.example
        purpose: Answer routine calls to the lending helpline with Nora's knowledge base.
        type: generative
        stage: validation
        human_oversight: {mode: human-on-the-loop}
        """
        }
    )
    repo.commit("Voice channel pilot for the assistant", author=("Bo Builder", "bo@example.org"))
    return repo


# --- programs a repository's own configuration can make git run ----------------------

PLANTED = (
    "fsmonitor",  # core.fsmonitor: run whenever git reads the index
    "clean",  # filter.planted.clean: run when git hashes a working-tree file
    "smudge",  # filter.planted.smudge: run when git writes a working-tree file
    "textconv",  # diff.planted.textconv: run when git shows a diff's text
    "diff-driver",  # diff.planted.command: an external diff for matching paths
    "external-diff",  # diff.external: an external diff for every path
    "gpg",  # gpg.program with log.showSignature: run for each signed commit
    "pager",  # core.pager
    "hook",  # every hook in core.hooksPath (post-index-change, reference-transaction...)
)
# Routes every file to the planted filter and diff drivers; commit it.
PLANTED_ATTRIBUTES = "* filter=planted diff=planted\n"
_HOOKS = (
    "post-index-change",
    "reference-transaction",
    "post-checkout",
    "pre-auto-gc",
    "post-rewrite",
)


def plant_programs(repo: GitRepo, markers: Path) -> None:
    """Configure ``repo`` (its .git/config) to run a program wherever git can be made
    to; each program creates the file ``markers/<name>`` (a name of PLANTED) when run.

    Plant them after the test's last commit made with git itself: git would run
    them for the test too. Filters and textconv pass the content through unchanged,
    so git would still work if it ran them.
    """
    markers.mkdir(parents=True, exist_ok=True)
    programs = markers.parent / f"{markers.name}-programs"
    hooks = programs / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)

    def program(name: str, body: str, folder: Path = programs, file: str | None = None) -> str:
        path = folder / (file or name)
        path.write_text(f'#!/bin/sh\ntouch "{markers / name}"\n{body}\n', encoding="utf-8")
        path.chmod(0o755)
        return str(path)

    settings = {
        "core.fsmonitor": program("fsmonitor", "exit 1"),
        "filter.planted.clean": program("clean", "cat"),
        "filter.planted.smudge": program("smudge", "cat"),
        "filter.planted.required": "false",
        "diff.planted.textconv": program("textconv", 'cat "$1"'),
        "diff.planted.command": program("diff-driver", "exit 0"),
        "diff.external": program("external-diff", "exit 0"),
        "gpg.program": program("gpg", "exit 1"),
        "log.showSignature": "true",
        "core.pager": program("pager", "cat"),
        "core.hooksPath": str(hooks),
    }
    for hook in _HOOKS:
        program("hook", "exit 0", hooks, hook)
    for key, value in settings.items():
        repo.git("config", key, value)


def ran(markers: Path) -> list[str]:
    """The planted programs that were run, by name."""
    return sorted(path.name for path in markers.iterdir())


def sign_head(repo: GitRepo) -> str:
    """Give HEAD's commit a (fake) signature, as `git commit -S` would; the new sha.

    `git log` checks it with gpg.program when log.showSignature is set.
    """
    raw = subprocess.run(
        ["git", "cat-file", "commit", "HEAD"],
        cwd=repo.top,
        env={**os.environ, **GIT_ENV},
        check=True,
        capture_output=True,
    ).stdout
    header, _blank, message = raw.partition(b"\n\n")
    signature = (
        b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAd\n -----END PGP SIGNATURE-----"
    )
    signed = header + b"\n" + signature + b"\n\n" + message
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo.top,
            env={**os.environ, **GIT_ENV},
            input=signed,
            check=True,
            capture_output=True,
        )
        .stdout.decode("ascii")
        .strip()
    )
    repo.git("update-ref", "HEAD", sha)
    return sha
