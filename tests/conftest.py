"""Shared fixtures: governance repositories in temporary folders, and the real CLI."""

from __future__ import annotations

import atexit
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import aimsctl
import aimsctl.gitio
import aimsctl.loader.parsing
from aimsctl import yamlsafe
from aimsctl.cli import main
from aimsctl.loader import ParsedFile

# No test is timed (figures live in the benchmark): a first example that a busy
# runner happens to slow down must not fail a property as "too slow" or "flaky".
# The examples are the same every run (derandomize): a property that fails, fails on
# every machine and every day, never once in a while in CI.
settings.register_profile("aimsctl", deadline=None, derandomize=True)
settings.load_profile("aimsctl")

PROJECT = Path(__file__).resolve().parents[1]
# The bundled example as it ships: what `init --example` and the wheel must hold.
BUNDLED_EXAMPLE = PROJECT / "examples" / "northwind"
AS_OF = "2026-11-26"


def _git_paths(*args: str) -> list[Path]:
    """What ``git -C PROJECT ARGS`` prints, one path a line; none outside git."""
    done = subprocess.run(
        ["git", "-C", str(PROJECT), *args], capture_output=True, text=True, check=False
    )
    return [Path(line) for line in done.stdout.splitlines() if line] if not done.returncode else []


def shared_file(relative: str) -> tuple[Path | None, list[Path]]:
    """``relative`` in the project's shared folder (shared/README.md: every developer
    and CI run has it at ``../shared`` from the project's root), and every place looked
    at: beside this checkout; beside the main work tree of a git worktree; beside the
    repository a local clone was made from (a clone made to work in elsewhere)."""
    tops = [PROJECT]
    common = _git_paths("rev-parse", "--path-format=absolute", "--git-common-dir")
    tops.extend(path.parent for path in common if path.name == ".git")
    origin = _git_paths("config", "--get", "remote.origin.url")
    tops.extend(path for path in origin if path.is_absolute() and path.is_dir())
    places = list(dict.fromkeys(top.parent / "shared" / relative for top in tops))
    return next((place for place in places if place.is_file()), None), places


def shared_file_or_skip(relative: str) -> Path:
    """:func:`shared_file`, or the calling test skipped, naming every place looked at."""
    found, places = shared_file(relative)
    if found is None:
        looked = ", ".join(str(place) for place in places)
        pytest.skip(f"{relative} of the shared folder is not here: looked at {looked}")
    return found


def _example_outside_the_checkout() -> Path:
    """The bundled example, copied once per run to ``<temporary>/examples/northwind``,
    where tests read it (none writes to it; ``example_copy`` gives a writable copy).
    In place, inside aimsctl's checkout, its records' git history is aimsctl's: a
    shallow clone of aimsctl lacks it, and the date rules say that they cannot tell,
    so results would depend on how aimsctl was cloned."""
    top = Path(tempfile.mkdtemp(prefix="aimsctl-tests-"))
    atexit.register(shutil.rmtree, top, ignore_errors=True)
    target = top / "examples" / "northwind"
    shutil.copytree(BUNDLED_EXAMPLE, target)
    return target


EXAMPLE = _example_outside_the_checkout()


def closed_untreated_r020() -> str:
    """The example's R-020 as it was before its treatment recorded a completion: closed,
    its avoidance never recorded as carried out, so its current band (high, inherent)
    is above the appetite with no acceptance (AIMS308)."""
    text = (EXAMPLE / "risks/R-020.yaml").read_text(encoding="utf-8")
    changed = text.replace("  completed: 2026-07-09\n", "").replace(
        "  option: avoid\n", "  option: avoid\n  controls: [A.6.2.2]\n"
    )
    assert changed != text
    return changed


MINIMAL_CONFIG = "version: 1\norganization: Test Org\n"


def excluded_soa(reviewed: str | None = None) -> str:
    """Every Annex A control excluded; ``reviewed`` (a date) gives each a last review,
    for tests whose repositories have no git history to date the records."""
    from aimsctl.catalog import annex_a

    review = f"reviewed: {{on: {reviewed}, by: auditor@acme.example}}\n" if reviewed else ""
    return "---\n".join(
        f"kind: Control\nid: {control_id}\napplicable: false\n"
        f"justification: Outside the scope of this test repository.\n{review}"
        for control_id in annex_a()
    )


# Every Annex A control decided (excluded), so a repository can be clean under
# the Statement of Applicability rules: {"controls/annex-a.yaml": EXCLUDED_SOA}.
EXCLUDED_SOA = excluded_soa()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


# A file's content: text (dedented), bytes (as they are), or a record or a list of
# records from tests/factory.py (written with factory.yaml_of, one document each).
FileContent = str | bytes | dict[str, Any] | list[dict[str, Any]]


def write_files(root: Path, files: Mapping[str, FileContent]) -> Path:
    """Write files below root; str content is dedented, records are written as YAML."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, dict | list):
            from factory import yaml_of

            path.write_text(yaml_of(content), encoding="utf-8")
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all",
        action="store_true",
        help="also run the tests marked slow (the hostile corpus and fuzzing); "
        "the README's test command and CI use it",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A plain `pytest` leaves out the slow tests: not with --all, not when -m chooses
    tests by marker, and not when files or tests are named on the command line."""
    named = config.args_source is pytest.Config.ArgsSource.ARGS
    if config.getoption("--all") or config.getoption("markexpr") or named:
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own validation cache folder, never the user's."""
    monkeypatch.setenv("AIMSCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """make_repo({"risks/r.yaml": "..."}) -> a repository with a minimal aims.yaml."""

    def make(files: Mapping[str, FileContent] | None = None, config: str = MINIMAL_CONFIG) -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        write_files(root, {"aims.yaml": config, **(files or {})})
        return root

    return make


def full_disk_at(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``count``-th fsync (the end of a file's write) finds the disk full."""
    calls: list[int] = []
    original = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == count:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def run_with_reader_gone(*args: str | Path, timeout: float = 300) -> tuple[int, bytes]:
    """``aimsctl ARGS | head -0``: run aimsctl in a child process whose standard output
    has no reader from the start; its exit code and what it wrote to standard error."""
    import sys

    command = [sys.executable, "-m", "aimsctl", *(str(a) for a in args)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before the first line
        stderr = process.stderr.read()
        process.wait(timeout=timeout)
    return process.returncode, stderr


@pytest.fixture(scope="session")
def example_in_git(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example committed in a git repository of its own, as a user's
    checkout holds it (outside git, readiness finds clause 7.5.1 a gap): what the
    status and readiness golden files show. None writes to it."""
    from gitrepo import committed_example

    top = tmp_path_factory.mktemp("example-in-git") / "northwind"
    return committed_example(top, EXAMPLE).root


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled example repository."""
    target = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run aimsctl through its real entry point and capture what it prints."""

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def in_a_terminal(
    args: list[str | Path],
    answers: list[bytes] | None = None,
    env: Mapping[str, str] | None = None,
    columns: int | None = None,
    typed: bytes = b"",
) -> tuple[int, str]:
    """aimsctl run in a terminal of its own (a pseudo-terminal), as a person runs it:
    its exit code and what the terminal showed. The answers are typed ahead, a line
    each (the terminal hands the command one line per read), then ``typed`` as it is
    (``b"\\x04"``: Ctrl-D). ``columns`` sets the terminal's width, as a resized window
    does; COLUMNS in ``env`` says it as a shell does."""
    import fcntl
    import pty
    import select
    import struct
    import sys
    import termios

    master, slave = pty.openpty()
    if columns is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    command = [sys.executable, "-m", "aimsctl", *map(str, args)]
    environment = dict(os.environ if env is None else env)
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=environment)
    os.close(slave)
    shown = b""
    try:
        os.write(master, b"".join(answer + b"\r" for answer in answers or []) + typed)
        while select.select([master], [], [], 120)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the command ended, and the terminal with it
                break
            if not chunk:
                break
            shown += chunk
        code = process.wait(timeout=120)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return code, shown.decode("utf-8", "replace")


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The files actually parsed (not served by the per-file cache), by path."""
    counts: Counter[str] = Counter()
    real = aimsctl.loader.parsing._parse_text

    def counting(rel: str, text: str, budget: yamlsafe.Budget | None) -> ParsedFile:
        counts[rel] += 1
        return real(rel, text, budget)

    monkeypatch.setattr(aimsctl.loader.parsing, "_parse_text", counting)
    return counts


@pytest.fixture
def blobs_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every blob id read from git through CommitLog.blobs (the records' dates)."""
    read: list[str] = []
    real = aimsctl.gitio.CommitLog.blobs

    def counting(self: aimsctl.gitio.CommitLog, shas: list[str]) -> Iterator[bytes]:
        read.extend(shas)
        return real(self, shas)

    monkeypatch.setattr(aimsctl.gitio.CommitLog, "blobs", counting)
    return read


def modules_after_validate(root: Path, names: tuple[str, ...]) -> tuple[str, list[str]]:
    """The exit code of a cold `validate` of ``root`` in a fresh interpreter, and which
    of the modules ``names`` it imported (the aimsctl under test, wherever it is
    imported from: an installed wheel, src/)."""
    code = (
        "import sys\n"
        "from aimsctl.cli import main\n"
        f"code = main(['validate', {str(root)!r}, '--as-of', {AS_OF!r}, '--no-cache'])\n"
        f"print(code, [name for name in {names!r} if name in sys.modules])\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(aimsctl.__file__).parents[1])}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert ran.stdout, ran.stderr
    exit_code, _, loaded = ran.stdout.splitlines()[-1].partition(" ")
    return exit_code, [name for name in names if repr(name) in loaded]
