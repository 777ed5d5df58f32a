"""Faults: unreadable or vanishing files, full or unwritable output folders, broken git
repositories, unknown revisions and interrupted runs.

Each fault gets its documented exit code and one plain line naming what failed;
no report or output file is ever left half-written, and no temporary file stays.
Tests run as root in CI, where file modes do not stop reads and writes, so the
faults are simulated with monkeypatch; the chmod variants run for other users.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_records import HalfWriter, plain_words_problem

import aimsctl.loader.working_tree
from aimsctl.reports.render import Renderer
from conftest import (
    AS_OF,
    EXAMPLE,
    EXCLUDED_SOA,
    MINIMAL_CONFIG,
    CliResult,
    full_disk_at,
    run_with_reader_gone,
)
from gitrepo import CONFIG, GitRepo, inside_git, one_system, risk, system

Cli = Callable[..., CliResult]
IS_ROOT = os.geteuid() == 0
needs_non_root = pytest.mark.skipif(IS_ROOT, reason="root reads and writes regardless of mode")


def _one_plain_error(result: CliResult, exit_code: int = 2) -> str:
    """The single stderr line of a failed run, checked to be plain words."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert plain_words_problem(result.stderr) is None, result.stderr
    return lines[0]


def _clean(make_repo: Callable[..., Path]) -> Path:
    """A small repository that validates clean, so reports render."""
    return make_repo(
        {
            "controls/annex-a.yaml": EXCLUDED_SOA,
            "systems/SYS-A.yaml": system("SYS-A"),
            "risks/R-1.yaml": risk("R-1", system="SYS-A", likelihood=1, severity=2),
        }
    )


def _diagnostics(result: CliResult) -> list[dict[str, Any]]:
    diagnostics: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return diagnostics


# --- files that cannot be read ------------------------------------------------------


def _deny_open(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    original = os.open

    def deny(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.path.basename(os.fspath(path)) == name:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)


def test_unreadable_record_file(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    _deny_open(monkeypatch, "R-1.yaml")
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 1
    [found] = [d for d in _diagnostics(result) if d["path"] == "risks/R-1.yaml"]
    assert found["code"] == "AIMS008" and found["line"] == 1
    assert "permission denied" in found["message"] and "fix its permissions" in found["message"]


@needs_non_root
def test_unreadable_record_file_by_mode(make_repo: Callable[..., Path], cli: Cli) -> None:
    root = _clean(make_repo)
    (root / "risks" / "R-1.yaml").chmod(0)
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 1
    assert ("AIMS008", "risks/R-1.yaml") in {(d["code"], d["path"]) for d in _diagnostics(result)}


def _deny_listing(monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    original = os.scandir

    def deny(path: Any = ".") -> Any:
        if os.fspath(path).endswith(os.sep + folder):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return original(path)

    monkeypatch.setattr(os, "scandir", deny)


def test_unreadable_folder_is_reported_not_skipped(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    _deny_listing(monkeypatch, "risks")
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 1
    [found] = [d for d in _diagnostics(result) if d["path"] == "risks"]
    assert found["code"] == "AIMS008"
    assert "were not checked" in found["message"]


def test_unreadable_excluded_folder_is_not_reported(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    (root / "drafts").mkdir()
    (root / "aims.yaml").write_text(CONFIG + 'exclude: ["drafts/**"]\n')
    _deny_listing(monkeypatch, "drafts")
    result = cli("validate", root, "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 0, result.stdout


@needs_non_root
def test_unreadable_folder_by_mode(make_repo: Callable[..., Path], cli: Cli) -> None:
    root = _clean(make_repo)
    (root / "risks").chmod(0)
    try:
        result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    finally:
        (root / "risks").chmod(0o755)
    assert result.exit_code == 1
    assert ("AIMS008", "risks") in {(d["code"], d["path"]) for d in _diagnostics(result)}


def test_unreadable_config_is_exit_2(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    _deny_open(monkeypatch, "aims.yaml")
    line = _one_plain_error(cli("validate", root, "--as-of", AS_OF, "--no-cache"))
    assert line == (
        "aimsctl: error: aims.yaml: file cannot be read (permission denied); fix its permissions"
    )


def test_file_deleted_between_listing_and_reading(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    original = aimsctl.loader.working_tree.walk_files

    def list_then_delete(folder: Path, skipped: Any = None) -> Iterator[str]:
        listed = list(original(folder, skipped))
        (root / "risks" / "R-1.yaml").unlink()
        return iter(listed)

    monkeypatch.setattr(aimsctl.loader.working_tree, "walk_files", list_then_delete)
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 1
    [found] = [d for d in _diagnostics(result) if d["path"] == "risks/R-1.yaml"]
    assert found["code"] == "AIMS008"
    assert "disappeared" in found["message"] and "run again" in found["message"]


# --- output that cannot be written ------------------------------------------------------


OLD = "old report, still intact\n"


@pytest.fixture
def old_report(make_repo: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    """A clean repository and an --out folder holding an earlier soa.md."""
    root = _clean(make_repo)
    out = tmp_path / "out"
    out.mkdir()
    (out / "soa.md").write_text(OLD)
    return root, out


def _untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["soa.md"]  # no temporary file left
    assert (out / "soa.md").read_text() == OLD


def _full_disk(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_at_fsync_keeps_the_old_report(
    old_report: tuple[Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = old_report
    monkeypatch.setattr(os, "fsync", _full_disk)
    line = _one_plain_error(cli("report", "soa", root, "--out", out, "--as-of", AS_OF))
    assert line == (
        f"aimsctl: error: cannot write {out / 'soa.md'}: No space left on device; "
        "nothing was written"
    )
    _untouched(out)


def test_full_disk_halfway_through_a_write_keeps_the_old_report(
    old_report: tuple[Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = old_report
    original = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: HalfWriter(original(fd, *a, **k)))
    line = _one_plain_error(cli("report", "soa", root, "--out", out, "--as-of", AS_OF))
    assert "No space left on device" in line
    _untouched(out)


def test_unwritable_out_folder_keeps_the_old_report(
    old_report: tuple[Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = old_report

    def denied(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    line = _one_plain_error(cli("report", "soa", root, "--out", out, "--as-of", AS_OF))
    assert line == (
        f"aimsctl: error: cannot write {out / 'soa.md'}: Permission denied; nothing was written"
    )
    _untouched(out)


@needs_non_root
def test_unwritable_out_folder_by_mode(old_report: tuple[Path, Path], cli: Cli) -> None:
    root, out = old_report
    out.chmod(0o555)
    try:
        line = _one_plain_error(cli("report", "soa", root, "--out", out, "--as-of", AS_OF))
    finally:
        out.chmod(0o755)
    assert "Permission denied" in line
    _untouched(out)


def test_out_folder_below_a_file(make_repo: Callable[..., Path], tmp_path: Path, cli: Cli) -> None:
    root = _clean(make_repo)
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "a-file" / "reports"
    line = _one_plain_error(cli("report", "all", root, "--out", out, "--as-of", AS_OF))
    # The file in the way is named, not only the folder asked for.
    assert line == f"aimsctl: error: --out {out}: {tmp_path / 'a-file'} is a file, not a folder"
    assert (tmp_path / "a-file").read_text() == "not a folder"


def _mounted_read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """``folder`` as on a file system mounted read-only (a container's read-only
    volume): the system refuses every write there, with EROFS, whatever the modes."""
    below = f"{folder}{os.sep}"
    original_statvfs, original_access, original_mkstemp = os.statvfs, os.access, tempfile.mkstemp

    def inside(path: Any) -> bool:
        return os.path.abspath(os.fspath(path)).startswith(below)

    class ReadOnly:
        def __init__(self, real: os.statvfs_result) -> None:
            self.f_flag = real.f_flag | os.ST_RDONLY

    def statvfs(path: Any) -> Any:
        real = original_statvfs(path)
        return ReadOnly(real) if inside(path) else real

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and inside(path):
            return False
        return original_access(path, mode, *args, **kwargs)

    def mkstemp(*args: Any, dir: Any = None, **kwargs: Any) -> tuple[int, str]:
        if dir is not None and inside(f"{dir}{os.sep}x"):
            raise OSError(errno.EROFS, "Read-only file system")
        return original_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(os, "statvfs", statvfs)
    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_a_record_on_a_read_only_mount_names_the_mount(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record on a file system mounted read-only was "read-only; nothing was written
    (make it writable to edit it)": its mode was 0644 already, and chmod is refused
    there too. The system's own reason is given, as `new` gives it on the same mount."""
    root = make_repo({"risks/r.yaml": "id: R-1\nkind: Risk\n"})
    _mounted_read_only(monkeypatch, root)
    result = cli("fmt", "--repo", root)
    line = _one_plain_error(result)
    assert line == (f"aimsctl: error: cannot write {root / 'risks/r.yaml'}: Read-only file system")
    assert (root / "risks/r.yaml").read_text() == "id: R-1\nkind: Risk\n"


def test_a_report_on_a_read_only_mount_names_the_mount(
    old_report: tuple[Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = old_report
    _mounted_read_only(monkeypatch, out)
    line = _one_plain_error(cli("report", "soa", root, "--out", out, "--as-of", AS_OF))
    assert line == (
        f"aimsctl: error: cannot write {out / 'soa.md'}: Read-only file system; nothing was written"
    )
    _untouched(out)


_READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def _on_read_only_mount(folder: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """aimsctl run with ``folder`` bind-mounted read-only in a mount namespace of its
    own (`unshare`); skips where the system allows none."""
    mount = ["unshare", "--map-root-user", "--mount", "sh", "-c", _READ_ONLY_MOUNT, "sh"]
    try:
        probe = subprocess.run([*mount, str(folder), "true"], capture_output=True, check=False)
    except OSError:
        pytest.skip("no unshare program")
    if probe.returncode != 0:
        pytest.skip(f"no read-only bind mount here: {probe.stderr.decode(errors='replace')}")
    command = [*mount, str(folder), sys.executable, "-m", "aimsctl", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("command", ["fmt", "report"])
def test_writes_on_a_real_read_only_mount_name_it(
    old_report: tuple[Path, Path], command: str
) -> None:
    root, out = old_report
    (root / "risks/R-1.yaml").write_text((root / "risks/R-1.yaml").read_text() + "\n\n")
    if command == "fmt":
        done = _on_read_only_mount(root, "fmt", "--repo", root)
        target = root / "risks/R-1.yaml"
    else:
        done = _on_read_only_mount(out, "report", "soa", root, "--out", out, "--as-of", AS_OF)
        target = out / "soa.md"
    assert done.returncode == 2, done.stderr
    assert f"cannot write {target}: Read-only file system" in done.stderr
    assert "make it writable" not in done.stderr and "Traceback" not in done.stderr
    _untouched(out)


def test_failure_partway_through_all_reports_leaves_only_whole_files(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    out = tmp_path / "out"
    assert cli("report", "all", root, "--out", out, "--as-of", AS_OF).exit_code == 0
    fresh = {p.name: p.read_bytes() for p in out.iterdir()}
    for path in out.iterdir():
        path.write_text(OLD)
    original = os.replace
    calls: list[str] = []

    def fail_third(source: Any, target: Any) -> None:
        calls.append(os.fspath(target))
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(source, target)

    monkeypatch.setattr(os, "replace", fail_third)
    _one_plain_error(cli("report", "all", root, "--out", out, "--as-of", AS_OF))
    assert sorted(p.name for p in out.iterdir()) == sorted(fresh)  # no temporary files
    written = {Path(c).name for c in calls[:2]}
    for path in out.iterdir():
        expected = fresh[path.name] if path.name in written else OLD.encode()
        assert path.read_bytes() == expected, path.name


@pytest.mark.parametrize("command", ["schema", "export"])
def test_a_set_whose_third_file_finds_the_disk_full_writes_none(
    example_copy: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """`schema --out` wrote the files before the one that failed and named only that
    one; `export --out` left a catalog without its component. Either set is now
    written whole or not at all, and the folder made for it goes again."""
    out = tmp_path / "new" / "sub"
    full_disk_at(3 if command == "schema" else 2, monkeypatch)
    args = ("schema",) if command == "schema" else ("export", "oscal", example_copy)
    as_of = () if command == "schema" else ("--as-of", AS_OF)
    line = _one_plain_error(cli(*args, "--out", out, *as_of))
    assert line.startswith(f"aimsctl: error: cannot write {out}/"), line
    assert line.endswith(": No space left on device; nothing was written"), line
    assert not (tmp_path / "new").exists()


def test_validate_output_on_a_full_disk_keeps_the_old_file(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    output = tmp_path / "result.json"
    output.write_text(OLD)
    monkeypatch.setattr(os, "fsync", _full_disk)
    result = cli(
        "validate", root, "--format", "json", "--output", output, "--as-of", AS_OF, "--no-cache"
    )
    line = _one_plain_error(result)
    assert line == f"aimsctl: error: cannot write {output}: No space left on device"
    assert output.read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".result")) == []


def test_schema_into_an_unusable_folder(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "a-file").write_text("x")
    line = _one_plain_error(cli("schema", "--out", tmp_path / "a-file"))
    assert line == f"aimsctl: error: --out {tmp_path / 'a-file'}: is a file, not a folder"
    line = _one_plain_error(cli("schema", "--out", tmp_path / "a-file" / "below"))
    assert line.startswith("aimsctl: error: cannot write ")


# --- interrupted runs ---------------------------------------------------------------


def _interrupt(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


def test_interrupt_while_rendering_writes_nothing(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    out = tmp_path / "out"
    monkeypatch.setattr(Renderer, "render", _interrupt)
    result = cli("report", "all", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 130
    assert result.stderr == "aimsctl: interrupted\n"
    assert not out.exists()


def test_interrupt_while_writing_keeps_the_old_report(
    old_report: tuple[Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = old_report
    monkeypatch.setattr(os, "replace", _interrupt)
    result = cli("report", "soa", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 130
    assert result.stderr.endswith("aimsctl: interrupted\n")
    _untouched(out)


def test_interrupt_while_flushing_validate_output(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    output = tmp_path / "result.json"
    output.write_text(OLD)
    monkeypatch.setattr(os, "fsync", _interrupt)
    result = cli("validate", root, "--output", output, "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 130
    assert output.read_text() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".result")] == []


def test_interrupt_while_checking(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    output = tmp_path / "result.json"
    monkeypatch.setattr("aimsctl.engine.run", _interrupt)
    result = cli("validate", root, "--output", output, "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 130
    assert result.stderr == "aimsctl: interrupted\n"
    assert not output.exists()


# --- terminated runs (SIGTERM: a CI job cancelled, a container stopped) -------------


def _terminate_self(*args: Any, **kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def test_sigterm_while_writing_keeps_the_old_report(
    old_report: tuple[Path, Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = old_report
    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(os, "fsync", _terminate_self)  # the new file is written, not renamed
    result = cli("report", "soa", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 143
    assert result.stderr == "aimsctl: terminated\n"
    _untouched(out)
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back


def test_sigterm_while_rendering_writes_nothing(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    out = tmp_path / "out"
    monkeypatch.setattr(Renderer, "render", _terminate_self)
    result = cli("report", "all", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 143
    assert result.stderr == "aimsctl: terminated\n"
    assert not out.exists()


def test_sigterm_while_flushing_validate_output(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _clean(make_repo)
    output = tmp_path / "result.json"
    output.write_text(OLD)
    monkeypatch.setattr(os, "fsync", _terminate_self)
    result = cli("validate", root, "--output", output, "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 143
    assert output.read_text() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".result")] == []


# A real aimsctl process whose fsync says when the new report is written (but not yet
# renamed into place) and then waits: the test sends SIGTERM at exactly that moment.
_SLOW_WRITER = """
import os, signal
real_fsync = os.fsync
def announce_and_wait(fd):
    real_fsync(fd)
    print("written, not renamed", flush=True)
    signal.pause()  # until the test's SIGTERM (a timed sleep ends early under faketime)
os.fsync = announce_and_wait
from aimsctl.cli import main
main()
"""


def test_sigterm_to_a_real_process_leaves_no_temporary_file(
    old_report: tuple[Path, Path], tmp_path: Path
) -> None:
    root, out = old_report
    big = "\n".join(f"  - path: evidence/file-{n}.pdf" for n in range(20_000))  # a large report
    (root / "controls" / "big.yaml").write_text(
        "kind: Control\nid: ORG-1\ntitle: Big\napplicable: true\njustification: x\n"
        f"owner: o\nstatus: implemented\nevidence:\n{big}\n"
    )
    command = [sys.executable, "-c", _SLOW_WRITER, "report", "soa", str(root)]
    command += ["--out", str(out), "--as-of", AS_OF, "--force"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line == "written, not renamed\n", process.communicate(timeout=60)
            [partial] = [p for p in out.iterdir() if p.name.endswith(".tmp")]
            assert partial.stat().st_size > 100_000
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:  # a failed check must not leave it waiting for ever
                process.kill()
    assert process.returncode == 143, stderr
    assert stderr.endswith("aimsctl: terminated\n")
    assert "Traceback" not in stderr
    _untouched(out)


# A real process that receives SIGINT while Python loads one of aimsctl's modules
# (the first tenth of a second of every run): the finder sends it as the import begins.
_CTRL_C_WHILE_LOADING = """
import os, signal, sys
module = sys.argv.pop(1)

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == module:
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
from aimsctl.cli import main
main()
"""


@pytest.mark.parametrize("module", ["aimsctl.errors", "aimsctl.cli.validate_plain"])
def test_ctrl_c_while_aimsctl_loads_is_a_short_message_not_a_traceback(
    module: str, tmp_path: Path
) -> None:
    """The modules every command loads first were imported outside the handling of
    Ctrl-C: an early Ctrl-C printed a KeyboardInterrupt traceback through them."""
    output = tmp_path / "result.json"
    command = [sys.executable, "-c", _CTRL_C_WHILE_LOADING, module, "validate", str(EXAMPLE)]
    command += ["--as-of", AS_OF, "--output", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stderr, done.stdout) == (130, "aimsctl: interrupted\n", "")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ("validate",),
        ("status",),
        ("risk", "score"),
        ("report", "soa", "--out", "-"),
        ("validate", "--format", "sarif", "--output", "/dev/stdout"),
    ],
)
def test_a_reader_gone_from_standard_output_ends_the_run_quietly_with_141(
    command: tuple[str, ...],
) -> None:
    """`aimsctl status | head -1`: once the reader has gone, a write fails (EPIPE). The
    run ends silently with 141, as a program ended by SIGPIPE: not exit 1 ('findings')
    as Typer ends it, nor 'aimsctl: error: Broken pipe' and exit 2 ('usage error').
    Also through `--output /dev/stdout`, which is standard output by another name: it
    was 'aimsctl: error: cannot write /dev/stdout: Broken pipe', exit 2."""
    assert run_with_reader_gone(*command, str(EXAMPLE), "--as-of", AS_OF) == (141, b"")


def test_a_reader_that_leaves_after_a_few_bytes_of_a_long_document_ends_the_run_with_141() -> None:
    """`aimsctl schema | head -c 10`: the document (about 140 KB) is longer than the
    pipe holds. Written at once, the pipe took a part, the rest was lost without an
    error, and the run exited 0 as if it had been read. Written in pieces, the piece
    after the reader left fails, and the run ends as `| head` expects: 141."""
    command = [sys.executable, "-m", "aimsctl", "schema"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert len(process.stdout.read(10)) == 10
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait(timeout=300)
    assert (process.returncode, stderr) == (141, b"")


needs_dev_full = pytest.mark.skipif(
    not Path("/dev/full").exists(), reason="no /dev/full (a device that is always full)"
)


@needs_dev_full
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "command",
    [
        ("--version",),
        ("schema",),
        ("due", "--format", "ics", "{example}", "--as-of", AS_OF),
        ("validate", "--format", "json", "{example}", "--as-of", AS_OF),
        ("risk", "score", "--format", "json", "{example}", "--as-of", AS_OF),
        ("report", "soa", "{example}", "--out", "-", "--as-of", AS_OF),
    ],
    ids=" ".join,
)
def test_standard_output_on_a_full_disk_is_named(command: tuple[str, ...], buffered: bool) -> None:
    """`aimsctl due --format ics > /full/file`: the error said 'No space left on
    device' without saying what could not be written; with Python's own buffering (a
    short document, no PYTHONUNBUFFERED) the run ended in a traceback, 'Exception
    ignored' and exit 120. It names standard output now, once, with exit 2."""
    args = [arg.format(example=EXAMPLE) for arg in command]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if buffered:
        del env["PYTHONUNBUFFERED"]
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "aimsctl", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
        )
    assert (result.returncode, result.stderr.decode()) == (
        2,
        "aimsctl: error: cannot write to standard output: No space left on device\n",
    )


@needs_dev_full
def test_an_error_message_standard_error_cannot_take_keeps_the_exit_code() -> None:
    """`aimsctl validate /nowhere 2>/dev/full` ended with a traceback nobody could see
    and exit 120, where a CI job tests for 2 (a usage error)."""
    unbuffered = {**os.environ}
    unbuffered.pop("PYTHONUNBUFFERED", None)
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "aimsctl", "validate", "/nowhere"],
            stdout=subprocess.PIPE,
            stderr=full,
            env=unbuffered,
        )
    assert (result.returncode, result.stdout) == (2, b"")


def test_with_standard_error_closed_no_message_lands_in_standard_output() -> None:
    """`aimsctl validate /nowhere 2>&-`: Python sets sys.stderr to None, and
    print(file=None) writes to standard output, so the error message went into the
    document a script reads (a JSON result). Nothing is written there now."""
    result = subprocess.run(
        [sys.executable, "-m", "aimsctl", "validate", "/nowhere", "--format", "json"],
        stdout=subprocess.PIPE,
        preexec_fn=lambda: os.close(2),
    )
    assert (result.returncode, result.stdout) == (2, b"")


@pytest.mark.parametrize("encoding", [None, "latin-1"])
def test_output_is_utf8_in_a_locale_that_is_not(encoding: str | None) -> None:
    """Under LC_ALL=C without Python's UTF-8 mode, standard output was ASCII, and the
    example's first 'é' (a risk title) ended risk score in an internal error, exit 3.
    It is UTF-8 now, whatever the locale: the same bytes as in a UTF-8 one."""
    args = [sys.executable, "-m", "aimsctl", "risk", "score", str(EXAMPLE), "--as-of", AS_OF]
    utf8 = subprocess.run(args, capture_output=True, env={**os.environ, "PYTHONUTF8": "1"})
    assert utf8.returncode == 0 and "é".encode() in utf8.stdout, utf8.stderr
    c_locale = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    c_locale.pop("PYTHONIOENCODING", None)
    if encoding is not None:
        c_locale["PYTHONIOENCODING"] = encoding
    result = subprocess.run(args, capture_output=True, env=c_locale)
    assert (result.returncode, result.stderr, result.stdout) == (0, b"", utf8.stdout)


def _c_locale() -> dict[str, str]:
    """An environment in the C locale without Python's UTF-8 mode."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    return env


def test_names_arguments_and_git_are_utf8_in_a_locale_that_is_not(tmp_path: Path) -> None:
    """Under LC_ALL=C without Python's UTF-8 mode, Python decoded file names, arguments
    and git's output as ASCII: the record in `risks/équipe/` was an AIMS008 ("file name
    is not valid UTF-8") and not read, so validate failed and diff called the risk
    removed; `--set title=Crédit` was refused as "not UTF-8 text"; log showed the
    author as `Zo\\xc3\\xab`. Every one is read as UTF-8 now, as in a UTF-8 locale."""
    repo = GitRepo(tmp_path / "work")
    repo.write(one_system())
    repo.commit("First")
    repo.move("risks/R-1.yaml", "risks/équipe/R-1.yaml")
    repo.commit("Déplacé", author=("Zoë Ørsted", "zoe@example.org"))

    def run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "aimsctl", *map(str, args)]
        return subprocess.run(command, capture_output=True, env=_c_locale())

    validated = run("validate", repo.root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert json.loads(validated.stdout)["summary"]["records"] == 2 + 38
    changed = run("diff", "HEAD~1", "HEAD", repo.root, "--format", "json", "--as-of", AS_OF)
    assert changed.returncode == 0, changed.stderr
    moved = json.loads(changed.stdout)
    assert (moved["removed"], moved["added"]) == ([], [])
    logged = run("log", "R-1", repo.root)
    assert logged.returncode == 0, logged.stderr
    assert "Zoë Ørsted" in logged.stdout.decode() and "Déplacé" in logged.stdout.decode()
    made = run(
        "new",
        "Risk",
        repo.root,
        "--no-input",
        "--set",
        "inherent.likelihood=2",
        "--set",
        "inherent.severity=3",
        "--set",
        "title=Crédit",
        "--set",
        "systems=SYS-A",
        "--as-of",
        AS_OF,
    )
    assert made.returncode == 0, made.stderr
    written = Path(made.stdout.decode().strip())
    assert "title: Crédit\n" in written.read_text("utf-8")


def test_dates_from_git_history_are_the_same_in_every_time_zone(tmp_path: Path) -> None:
    """A commit's day is the day where it was made (its committer's offset), never
    the runner's: commits near midnight UTC fall on another local day at UTC+14 and
    UTC-12, and every output (findings, the record log, the diff, the calendar, the
    OSCAL export dated by the newest commit) must be the same bytes in both."""
    import shutil

    from gitrepo import GIT_ENV

    top = tmp_path / "work"
    shutil.copytree(EXAMPLE, top)
    stamps = ["2026-01-10T23:30:00+00:00", "2026-11-01T00:30:00+02:00"]
    system_file = top / "systems/SYS-CREDIT.yaml"
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=top, check=True)
    for index, stamp in enumerate(stamps):
        if index:  # a material change to the system, after its assessment's approval
            text = system_file.read_text("utf-8")
            system_file.write_text(text.replace("\npurpose: ", "\npurpose: Changed. ", 1))
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run(["git", "add", "-A"], cwd=top, env=env, check=True)
        commit = ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", f"c{index}"]
        subprocess.run(commit, cwd=top, env=env, check=True)

    def outputs(zone: str) -> dict[str, bytes]:
        env = {**os.environ, "TZ": zone}
        out = tmp_path / f"oscal-{zone.replace('/', '-')}"
        commands = {
            "validate": ["validate", top, "-f", "json", "--no-cache", "--as-of", AS_OF],
            "log": ["log", "SYS-CREDIT", "--repo", top, "-f", "json"],
            "diff": ["diff", "HEAD~1", "HEAD", "--repo", top, "-f", "json", "--as-of", AS_OF],
            "due": ["due", top, "-f", "ics", "--as-of", AS_OF],
            "export": ["export", "oscal", top, "--force", "--out", out],
        }
        found: dict[str, bytes] = {}
        for name, args in commands.items():
            command = [sys.executable, "-m", "aimsctl", *map(str, args)]
            done = subprocess.run(command, capture_output=True, env=env, check=False)
            assert done.returncode in (0, 1) and b"Traceback" not in done.stderr, done.stderr
            found[name] = done.stdout if name != "export" else b""  # it names the folder
        for path in sorted(out.iterdir()):
            found[path.name] = path.read_bytes()
        return found

    east, west = outputs("Pacific/Kiritimati"), outputs("Etc/GMT+12")
    assert east == west
    # The change made at 00:30 +02:00 on 1 November is dated that day, as committed.
    assert b"changed significantly on 2026-11-01" in east["validate"], east["validate"]


# --- git problems -------------------------------------------------------------------


@pytest.fixture
def history(tmp_path: Path) -> GitRepo:
    """Two commits: R-1 is added, then rescored."""
    repo = GitRepo(tmp_path / "work")
    repo.write(one_system(likelihood=1, severity=2))
    repo.commit("First")
    repo.write({"risks/R-1.yaml": risk("R-1", likelihood=2, severity=2)})
    repo.commit("Rescore R-1")
    return repo


def _git_commands(repo: GitRepo, tmp_path: Path) -> dict[str, tuple[str | Path, ...]]:
    return {
        "diff": ("diff", "HEAD~1", repo.root, "--as-of", AS_OF),
        "diff-two-revisions": ("diff", "HEAD~1", "HEAD", repo.root, "--as-of", AS_OF),
        "log": ("log", "R-1", repo.root),
        "report-at": (
            "report",
            "soa",
            repo.root,
            "--at",
            "HEAD~1",
            "--out",
            tmp_path / "o",
            "--as-of",
            AS_OF,
        ),
        "validate-changed-since": (
            "validate",
            repo.root,
            "--changed-since",
            "HEAD~1",
            "--as-of",
            AS_OF,
            "--no-cache",
        ),
    }


def test_a_missing_git_object(history: GitRepo, tmp_path: Path, cli: Cli) -> None:
    blob = history.git("rev-parse", "HEAD~1:risks/R-1.yaml").strip()
    (history.top / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    commands = _git_commands(history, tmp_path)
    for name in ("diff", "diff-two-revisions", "log", "report-at"):
        line = _one_plain_error(cli(*commands[name]))
        assert "is damaged" in line and "git fsck" in line, (name, line)
        assert blob in line, (name, line)
    assert not (tmp_path / "o").exists()


def test_a_damaged_git_object(history: GitRepo, tmp_path: Path, cli: Cli) -> None:
    blob = history.git("rev-parse", "HEAD~1:risks/R-1.yaml").strip()
    path = history.top / ".git" / "objects" / blob[:2] / blob[2:]
    path.chmod(0o644)
    path.write_bytes(b"not a zlib stream")
    for name, command in _git_commands(history, tmp_path).items():
        if name == "validate-changed-since":
            continue  # compares paths only; it reads no blob
        line = _one_plain_error(cli(*command))
        assert "git fsck" in line, (name, line)


def test_a_truncated_head(history: GitRepo, tmp_path: Path, cli: Cli) -> None:
    (history.top / ".git" / "HEAD").write_bytes(b"")
    for name, command in _git_commands(history, tmp_path).items():
        line = _one_plain_error(cli(*command))
        assert f"{history.top / '.git'} is not a usable git repository" in line, (name, line)
        assert "git fsck" in line


@pytest.mark.parametrize("command", ["diff", "diff-head", "report-at", "validate"])
def test_unknown_revisions(history: GitRepo, tmp_path: Path, cli: Cli, command: str) -> None:
    args: tuple[str | Path, ...] = {
        "diff": ("diff", "no-such-branch", history.root),
        "diff-head": ("diff", "HEAD", "no-such-branch", history.root),
        "report-at": (
            "report",
            "soa",
            history.root,
            "--at",
            "no-such-branch",
            "--out",
            tmp_path / "o",
        ),
        "validate": ("validate", history.root, "--changed-since", "no-such-branch"),
    }[command]
    line = _one_plain_error(cli(*args, "--as-of", AS_OF))
    assert line == (
        "aimsctl: error: unknown revision 'no-such-branch': no commit, branch or tag of that "
        f"name in the git repository at {history.top}"
    )
    assert not (tmp_path / "o").exists()


def test_a_revision_that_looks_like_an_option(history: GitRepo, tmp_path: Path, cli: Cli) -> None:
    """Given after `--`, a revision starting with `-` is never read as a git option."""
    target = tmp_path / "written-by-git"
    line = _one_plain_error(cli("diff", "--as-of", AS_OF, "--", f"--output={target}", history.root))
    assert f"unknown revision '--output={target}'" in line
    assert not target.exists()


def test_a_record_git_never_knew(history: GitRepo, cli: Cli) -> None:
    line = _one_plain_error(cli("log", "R-404", history.root))
    assert "R-404" in line


@pytest.mark.skipif(inside_git(Path(tempfile.gettempdir())), reason="tmp is inside git")
def test_a_folder_outside_git(make_repo: Callable[..., Path], cli: Cli) -> None:
    root = _clean(make_repo)
    for args in (
        ("diff", "HEAD", root),
        ("log", "R-1", root),
        ("validate", root, "--changed-since", "HEAD"),
    ):
        line = _one_plain_error(cli(*args))
        assert "is not inside a git repository" in line and "git init" in line


def test_a_repository_without_commits(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG})
    line = _one_plain_error(cli("diff", "HEAD", repo.root, "--as-of", AS_OF))
    assert "has no commits yet" in line


def test_git_not_installed(
    history: GitRepo, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    line = _one_plain_error(cli("diff", "HEAD~1", history.root, "--as-of", AS_OF))
    assert "git" in line and "not installed" in line


# --- output into streams and links ----------------------------------------------------


def test_output_into_a_pipe_writes_into_it(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli
) -> None:
    """`--output` naming a pipe (or `/dev/stdout`) writes into it; it never replaces it."""
    root = _clean(make_repo)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so the writer does not wait
    try:
        result = cli("validate", root, "--format", "json", "--output", pipe, "--as-of", AS_OF)
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert json.loads(received)["summary"]["errors"] == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pipe")] == []


def test_report_replaces_a_link_in_out_never_writes_through_it(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli
) -> None:
    root = _clean(make_repo)
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text(OLD)
    (out / "soa.md").symlink_to(outside)
    pipe = tmp_path / "outside-pipe"
    os.mkfifo(pipe)
    (out / "inventory.md").symlink_to(pipe)
    result = cli("report", "all", root, "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert outside.read_text() == OLD
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert not (out / "soa.md").is_symlink() and (out / "soa.md").read_text() != OLD
    assert not (out / "inventory.md").is_symlink()


def test_report_check_never_reads_a_pipe(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli
) -> None:
    root = _clean(make_repo)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "soa.md")
    result = cli("report", "soa", root, "--out", out, "--check", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"{out / 'soa.md'}: differs (not a regular file)" in result.stdout


# --- paths that are not ordinary files ----------------------------------------------


def test_a_named_pipe_with_a_yaml_name_is_reported_not_waited_on(
    make_repo: Callable[..., Path], cli: Cli
) -> None:
    root = _clean(make_repo)
    os.mkfifo(root / "risks" / "pipe.yaml")  # reading it would block the run forever
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 1
    [found] = [d for d in _diagnostics(result) if d["path"] == "risks/pipe.yaml"]
    assert found["code"] == "AIMS008" and "not a regular file" in found["message"]


def _memory_capped() -> None:
    """In the child: a read that never ends fails at 4 GB instead of filling the machine."""
    import resource

    gigabytes = 4 * 1024**3
    with contextlib.suppress(ValueError, OSError):  # a system that sets no such limit
        resource.setrlimit(resource.RLIMIT_AS, (gigabytes, gigabytes))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize(
    "args",
    [
        [
            "new",
            "Risk",
            "--no-input",
            "--set",
            "systems=SYS-A",
            "--set",
            "inherent={likelihood: 2, severity: 3}",
        ],
        ["soa", "sync", "--check"],
        ["soa", "sync"],
    ],
    ids=["new", "soa-sync-check", "soa-sync"],
)
@pytest.mark.parametrize("odd", ["pipe", "link-to-a-device", "pipe-in-drafts"], ids=lambda odd: odd)
def test_writing_commands_never_wait_on_a_pipe_or_read_a_device(
    make_repo: Callable[..., Path], args: list[str], odd: str
) -> None:
    # new and soa sync read the id keys of record files that failed to load (and new
    # those of excluded drafts) with a plain read: a named pipe called risks/pipe.yaml
    # held them forever, and a link to /dev/zero read until memory ran out (exit 3).
    root = make_repo(
        {"systems/SYS-A.yaml": system("SYS-A"), "controls/annex-a.yaml": EXCLUDED_SOA},
        config=f"{MINIMAL_CONFIG}exclude: [drafts/**]\n",
    )
    (root / "drafts").mkdir()
    odd_file = root / ("drafts/d.yaml" if odd == "pipe-in-drafts" else "risks/odd.yaml")
    odd_file.parent.mkdir(exist_ok=True)
    if odd == "link-to-a-device":
        odd_file.symlink_to("/dev/zero")
    else:
        os.mkfifo(odd_file)
    command = [sys.executable, "-m", "aimsctl", *args, str(root), "--as-of", AS_OF]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=root, preexec_fn=_memory_capped
    )
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_a_repository_path_no_file_can_have(cli: Cli) -> None:
    line = _one_plain_error(cli("validate", "x" * 5000, "--as-of", AS_OF))
    assert line.endswith("cannot be used as the repository: File name too long")


def test_changed_since_keeps_a_file_whose_name_is_not_utf8(tmp_path: Path, cli: Cli) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write({"aims.yaml": CONFIG, "controls/annex-a.yaml": EXCLUDED_SOA})
    repo.commit("Start")
    name = b"r\xff.yaml".decode("utf-8", "surrogateescape")
    (repo.root / name).write_text(risk("R-1"))
    result = cli(
        "validate", repo.root, "--changed-since", "HEAD", "--format", "json", "--as-of", AS_OF
    )
    assert result.exit_code == 1
    assert [(d["code"], d["path"]) for d in _diagnostics(result)] == [("AIMS008", "r\\xff.yaml")]


# --- paths the system refuses ------------------------------------------------------

TOO_LONG = "x" * 300  # longer than a file name may be (255 bytes on Linux)


def _refused_paths(tmp_path: Path) -> dict[str, str]:
    loop = tmp_path / "loop-a"
    loop.symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(loop)
    return {"too long": TOO_LONG, "link loop": str(loop / "out")}


# Every option that names a file or folder to write, and the data files read.
WRITES = {
    "report": ("report", "all", "{root}", "--out", "{path}", "--as-of", AS_OF),
    "export": ("export", "oscal", "{root}", "--out", "{path}", "--as-of", AS_OF),
    "schema": ("schema", "--out", "{path}"),
    "validate": ("validate", "{root}", "--output", "{path}", "--no-cache"),
    "init": ("init", "{path}"),
    "bias-audit": ("bias-audit", "{path}", "--outcome", "y", "--category", "g"),
    "eval-import": ("eval", "import", "{path}", "--system", "SYS-A", "--repo", "{root}"),
}


@pytest.mark.parametrize("problem", ("too long", "link loop"))
@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_path_the_system_refuses_is_one_plain_line(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, command: str, problem: str
) -> None:
    """A name too long or a symbolic link loop, given for a file to write or read:
    exit 2 and the system's reason, where each once ended in an internal error."""
    root = _clean(make_repo)
    path = _refused_paths(tmp_path)[problem]
    args = [arg.format(root=root, path=path) for arg in WRITES[command]]
    line = _one_plain_error(cli(*args))
    assert line.startswith("aimsctl: error: "), line


# Arguments that are an id or a revision unless they name a folder.
EITHER = {
    "new": (("new", "Risk", TOO_LONG, "--no-input"), "is not a record id"),
    "obligations": (("obligations", TOO_LONG), "is not a system of the repository"),
    "diff": (("diff", "HEAD", TOO_LONG), "unknown revision"),
}


@pytest.mark.parametrize("command", sorted(EITHER))
def test_a_name_too_long_for_a_folder_is_read_as_an_id_or_a_revision(
    tmp_path: Path, cli: Cli, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "work")
    repo.write(one_system())
    repo.commit("Start")
    monkeypatch.chdir(repo.root)
    args, expected = EITHER[command]
    line = _one_plain_error(cli(*args))
    assert expected in line, line


def test_an_os_error_anywhere_is_exit_2_with_the_path_and_the_reason(
    make_repo: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The floor under every command's own handling: an OSError that reaches the
    top names the path and the system's reason; it is not an internal error."""
    import aimsctl.engine

    def refused(*_: object) -> None:
        raise OSError(errno.ENAMETOOLONG, "File name too long", "/some/where")

    monkeypatch.setattr(aimsctl.engine, "run", refused)
    line = _one_plain_error(cli("validate", make_repo(), "--no-cache"))
    assert line == "aimsctl: error: /some/where: File name too long"


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("risk", "score"),
        ("report", "soa", "--out", "reports"),
        ("init", "new-aims"),
        ("schema", "--out", "schemas"),
        ("validate", "{root}", "--output", "result.json"),
    ],
    ids=" ".join,
)
def test_a_deleted_current_folder_is_named(
    args: tuple[str, ...],
    make_repo: Callable[..., Path],
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a folder deleted while the shell was in it, a command that needs the current
    folder said only "No such file or directory", naming nothing (or named the file it
    could not write, as if the fault were there)."""
    root = _clean(make_repo)
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    dated = () if args[0] == "schema" else ("--as-of", AS_OF)
    line = _one_plain_error(cli(*(arg.format(root=root) for arg in args), *dated))
    assert "the current folder no longer exists" in line, line


def test_a_deleted_current_folder_does_not_stop_commands_given_absolute_paths(
    make_repo: Callable[..., Path], tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fmt and new show paths relative to the current folder: in a deleted one they
    failed with "No such file or directory" though the repository was given whole."""
    root = _clean(make_repo)
    (root / "risks" / "R-1.yaml").write_text(risk("R-1").replace("id: R-1", "id:   R-1"))
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    formatted = cli("fmt", root)
    assert formatted.exit_code == 0, formatted.stderr
    assert f"reformatted {root / 'risks' / 'R-1.yaml'}" in formatted.stdout
    made = cli("new", "Role", root, "--no-input", "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    assert made.stdout.strip() == str(root / "roles" / "ROLE-001.yaml")
