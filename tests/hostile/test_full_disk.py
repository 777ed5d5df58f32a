"""A real full disk: a small tmpfs filled to the last byte, then every command that
writes into a repository or an output folder.

Each ends with exit 2 and one line naming the file and the reason, leaves every
file on the disk byte for byte as it was, and leaves no temporary file. Mounting
needs root (and a system that lets it mount); elsewhere these tests are skipped,
and they never leave a mount behind. The same faults are simulated in-process, on
any system, in test_faults.py and test_write_faults.py.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLE, CliResult
from gitrepo import two_commits

Cli = Callable[..., CliResult]
OLD = "old output, still intact\n"
FILLER = "filler"


def _mount(folder: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None or shutil.which("umount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs holding a copy of the example at ``repo``; unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(folder):
        pytest.skip("cannot mount a tmpfs here (needs root, and a system that allows it)")
    try:
        shutil.copytree(EXAMPLE, folder / "repo")
        yield folder
    finally:
        _unmount(folder)
    assert not os.path.ismount(folder)


def _fill(folder: Path) -> None:
    """Write a file until the disk holds not one byte more."""
    fd = os.open(folder / FILLER, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != FILLER
    }


def _unformatted(repo: Path) -> None:
    path = repo / "risks/R-007.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nid: ", "\nid:    ", 1))


def _old_outputs(disk: Path) -> None:
    for name in ("reports/soa.md", "schemas/aims.schema.json", "v.json", "d.md"):
        (disk / name).parent.mkdir(exist_ok=True)
        (disk / name).write_text(OLD)
    (disk / "oscal").mkdir()
    (disk / "oscal/iso42001-annex-a-catalog.json").write_text(OLD)


# Each command, with {repo} the example on the full disk and {disk} the disk itself;
# the file whose write fails (the first the command writes), relative to the disk.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "fmt": (("fmt", "--repo", "{repo}"), "repo/risks/R-007.yaml"),
    "new": (
        (
            "new", "Risk", "--repo", "{repo}", "--no-input", "--set", "systems=SYS-HIRE",
            "--set", "inherent.likelihood=2", "--set", "inherent.severity=3",
            "--set", "title=Ranking favours past hires", "--set", "owner=chief-risk-officer",
            "--set", "description=The model learns from who was hired before.",
        ),
        "repo/risks/R-027.yaml",
    ),
    "risk accept": (
        (
            "risk", "accept", "R-007", "{repo}", "--by", "chief-risk-officer",
            "--until", "2027-06-30", "--rationale", "Referral covers it",
        ),
        "repo/risks/R-007.yaml",
    ),
    "assessment approve": (
        (
            "assessment", "approve", "IA-FRAUD-2026", "{repo}", "--by", "chief-risk-officer",
            "--decision", "proceed",
        ),
        "repo/assessments/IA-FRAUD-2026.yaml",
    ),
    "eval import": (
        (
            "eval", "import", "{repo}/evidence/lifecycle/assist-periodic-2026-11.csv", "{repo}",
            "--system", "SYS-ASSIST", "--on", "2026-11-20",
            "--by", "conversation-quality-lead@northwind.example",
        ),
        "repo/evaluations/EVAL-SYS-ASSIST-2026-11-20.yaml",
    ),
    "bias-audit --record-out": (
        (
            "bias-audit", "{repo}/evidence/bias-audit/hire-2026-q3-applicants.csv",
            "--score", "score", "--category", "sex", "--record", "SYS-HIRE",
            "--record-out", "{repo}/evaluations/EVAL-HIRE-AUDIT.yaml",
        ),
        "repo/evaluations/EVAL-HIRE-AUDIT.yaml",
    ),
    "init": (("init", "{disk}/acme", "--organization", "Acme"), "acme"),
    "init --example": (("init", "{disk}/acme", "--example"), "acme"),
    "report --out": (
        ("report", "all", "{repo}", "--format", "md", "--out", "{disk}/reports"),
        "reports/soa.md",
    ),
    "schema --out": (("schema", "--out", "{disk}/schemas"), "schemas/aisystem.schema.json"),
    "export --out": (
        ("export", "oscal", "{repo}", "--out", "{disk}/oscal"),
        "oscal/iso42001-annex-a-catalog.json",
    ),
    "validate --output": (
        ("validate", "{repo}", "--format", "json", "--output", "{disk}/v.json"),
        "v.json",
    ),
}  # fmt: skip
NO_AS_OF = {"schema --out", "fmt"}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_keeps_every_file_and_leaves_no_temporary_one(
    disk: Path, cli: Cli, command: str
) -> None:
    args, failing = COMMANDS[command]
    repo = disk / "repo"
    _unformatted(repo)
    _old_outputs(disk)
    before = _files(disk)
    _fill(disk)
    fill = {"repo": str(repo), "disk": str(disk)}
    as_of = () if command in NO_AS_OF else ("--as-of", AS_OF)
    result = cli(*(arg.format(**fill) for arg in args), *as_of)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"aimsctl: error: cannot write {disk / failing}: ")
    assert "No space left on device" in lines[0]
    assert _files(disk) == before  # every old file as it was, nothing new, no .tmp
    assert "Traceback" not in result.stderr


def test_diff_output_on_a_full_disk(disk: Path, tmp_path: Path, cli: Cli) -> None:
    repository, base, head = two_commits(tmp_path / "git")
    (disk / "d.md").write_text(OLD)
    before = _files(disk)
    _fill(disk)
    result = cli("diff", base, head, repository.top, "--output", disk / "d.md", "--as-of", AS_OF)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert (
        result.stderr == f"aimsctl: error: cannot write {disk / 'd.md'}: No space left on device\n"
    )
    assert _files(disk) == before


def _leave_room(folder: Path, size: int) -> None:
    """Free ``size`` bytes of the full disk: room for the first files of a set."""
    filler = folder / FILLER
    os.truncate(filler, filler.stat().st_size - size)


# Commands that write a set of files into a folder they create; 48 KB holds the first
# of each set (soa.md, the catalog, aims.schema.json), not the whole set.
SETS = {
    "report all": ("report", "all", "{repo}", "--format", "md", "--out", "{out}"),
    "schema": ("schema", "--out", "{out}"),
    "export": ("export", "oscal", "{repo}", "--out", "{out}"),
}


@pytest.mark.parametrize("command", SETS)
def test_a_set_that_does_not_fit_is_not_written_in_part(disk: Path, cli: Cli, command: str) -> None:
    """The files before the one that did not fit were written (new schemas beside
    old, a catalog without its component), and the message named only the one that
    failed; the folders made for them stayed. Now nothing is written and the
    folders made for the set are removed."""
    out = disk / "new" / "sub"
    before = _files(disk)
    _fill(disk)
    _leave_room(disk, 48 * 1024)
    fill = {"repo": str(disk / "repo"), "out": str(out)}
    as_of = () if command == "schema" else ("--as-of", AS_OF)
    result = cli(*(arg.format(**fill) for arg in SETS[command]), *as_of)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"aimsctl: error: cannot write {out}/"), line
    assert line.endswith(": No space left on device; nothing was written"), line
    assert not (disk / "new").exists()
    assert _files(disk) == before


def test_a_report_that_does_not_fit_leaves_no_folder_behind(disk: Path, cli: Cli) -> None:
    # `report soa --out new/sub` on a full disk left new/ and new/sub/ behind, empty.
    _fill(disk)
    out = disk / "new" / "sub"
    result = cli("report", "soa", disk / "repo", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"aimsctl: error: cannot write {out / 'soa.md'}: ")
    assert not (disk / "new").exists()
