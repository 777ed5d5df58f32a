"""Faults while aimsctl writes a file: a new record (`new`, `eval import`,
`bias-audit --record-out`) on a file system without hard links, a disk that fills
part way, Ctrl-C or SIGTERM at every step of a write, and a read-only target.

Whatever happens, each file is the old one or the new one, whole, and no temporary
file (`.NAME.<random>.tmp`) is left behind.
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hostile_records import HalfWriter

from aimsctl import fileio, writing
from aimsctl.errors import UsageError
from conftest import CliResult

Cli = Callable[..., CliResult]
TEXT = "kind: Risk\nid: R-1\n"
NEW_RISK = (
    "--no-input",
    "--set",
    "inherent.likelihood=2",
    "--set",
    "inherent.severity=3",
    "--set",
    "systems=SYS-HIRE",
    "--set",
    "title=Ranking favours past hires",
    "--set",
    "owner=chief-risk-officer",
    "--set",
    "description=The model learns from who was hired before.",
    "--as-of",
    "2026-11-26",
)


def _no_hard_links(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _new_risk(cli: Cli, root: Path) -> CliResult:
    return cli("new", "Risk", "--repo", root, *NEW_RISK)


def test_new_without_hard_links_writes_the_whole_record(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected_copy = tmp_path / "with-links"
    assert _new_risk(cli, example_copy.rename(expected_copy)).exit_code == 0
    expected_copy.rename(example_copy)
    expected = (example_copy / "risks/R-027.yaml").read_bytes()
    (example_copy / "risks/R-027.yaml").unlink()
    before = _names(example_copy / "risks")
    monkeypatch.setattr(os, "link", _no_hard_links)
    result = _new_risk(cli, example_copy)
    assert result.exit_code == 0, result.stderr
    assert (example_copy / "risks/R-027.yaml").read_bytes() == expected
    assert _names(example_copy / "risks") == sorted([*before, "R-027.yaml"])


def _half_writes(monkeypatch: pytest.MonkeyPatch, into: Callable[[int], bool]) -> None:
    """Writes into the files ``into`` picks (by descriptor) store half, then fail."""
    original = os.fdopen

    def half(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = original(fd, *args, **kwargs)
        return HalfWriter(handle) if into(fd) else handle

    monkeypatch.setattr(os, "fdopen", half)


def test_new_without_hard_links_never_writes_into_the_record_itself(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without hard links the record was created empty and then written in place: a
    # disk that filled part way left half a record under its name. Now the record is
    # written whole beside it first, and only then takes its name.
    target = example_copy / "risks/R-027.yaml"
    _half_writes(
        monkeypatch, lambda fd: target.exists() and os.path.samestat(os.fstat(fd), target.stat())
    )
    monkeypatch.setattr(os, "link", _no_hard_links)
    result = _new_risk(cli, example_copy)
    assert result.exit_code == 0, result.stderr
    assert "title: Ranking favours past hires\n" in target.read_text()
    assert not [name for name in _names(target.parent) if name.endswith(".tmp")]


@pytest.mark.parametrize("links", [True, False], ids=["hard links", "no hard links"])
def test_new_on_a_full_disk_leaves_nothing(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    target = example_copy / "risks/R-027.yaml"
    before = _names(target.parent)
    _half_writes(monkeypatch, lambda fd: True)
    if not links:
        monkeypatch.setattr(os, "link", _no_hard_links)
    result = _new_risk(cli, example_copy)
    assert result.exit_code == 2
    assert result.stderr == f"aimsctl: error: cannot write {target}: No space left on device\n"
    assert _names(target.parent) == before


@pytest.mark.parametrize("links", [True, False], ids=["hard links", "no hard links"])
def test_a_file_that_appears_meanwhile_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    if not links:
        monkeypatch.setattr(os, "link", _no_hard_links)
    target = tmp_path / "late.yaml"
    change = writing.Change(target, None, TEXT)
    target.write_text("first\n")
    with pytest.raises(UsageError, match=f"^{target} exists; aimsctl never overwrites a file$"):
        writing.commit(change)
    assert target.read_text() == "first\n"
    assert _names(tmp_path) == ["late.yaml"]


def test_a_file_in_the_way_of_the_folder_is_not_taken_for_the_record(tmp_path: Path) -> None:
    (tmp_path / "risks").write_text("a file")
    target = tmp_path / "risks/R-1.yaml"
    with pytest.raises(UsageError, match=f"^cannot write {target}: "):
        writing.commit(writing.Change(target, None, TEXT))
    assert (tmp_path / "risks").read_text() == "a file"


# --- a signal at every step ------------------------------------------------------------

# The calls a write is made of: each is a step after (or before) which a signal may land.
_STEPS = ("open", "fchmod", "fdopen", "fsync", "link", "replace", "fstat", "close", "unlink")


class _Stop(BaseException):
    """What the SIGTERM handler raises in these tests, as the CLI's ``Terminated``."""


def _stop(signum: int, frame: types.FrameType | None) -> None:
    raise _Stop


def _deliver() -> None:
    """A Python call: a signal that is not held is handled here, at the latest."""


@contextmanager
def _signal_at(number: int, when: str, signum: int, again: bool) -> Iterator[list[str]]:
    """Send ``signum`` to this process before or after the ``number``-th step of a
    write (counted from 0), and with ``again`` once more before each removal that
    follows (a second Ctrl-C while the first is cleaning up); the steps are listed
    as they run."""
    calls: list[str] = []
    sent: list[int] = []
    kill = os.kill

    def send() -> None:
        sent.append(signum)
        kill(os.getpid(), signum)
        _deliver()

    with pytest.MonkeyPatch.context() as patch:
        for name in _STEPS:
            original = getattr(os, name)

            def hooked(
                *args: Any, _name: str = name, _original: Any = original, **kwargs: Any
            ) -> Any:
                step = len(calls)
                calls.append(_name)
                if (step == number and when == "before") or (again and sent and _name == "unlink"):
                    send()
                try:
                    return _original(*args, **kwargs)
                finally:  # also after a step that failed
                    if step == number and when == "after":
                        send()

            patch.setattr(os, name, hooked)
        yield calls


def _write(operation: str, target: Path) -> None:
    if operation == "create":
        fileio.create_exclusive(target, TEXT)
    else:
        fileio.write_atomic(target, TEXT)


@pytest.mark.parametrize("operation", ["create", "replace"])
@pytest.mark.parametrize("links", [True, False], ids=["hard links", "no hard links"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_step_leaves_the_whole_file_or_none_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str, links: bool, signum: int
) -> None:
    # A create made its temporary file before the clean-up began, with signals let
    # through: Ctrl-C just after it was made left `.NAME.<random>.tmp` in the
    # repository; so did a Ctrl-C while the temporary file was being removed.
    if not links:
        monkeypatch.setattr(os, "link", _no_hard_links)
    old = "kind: Risk\nid: R-0\n"
    expected = [[], ["R-1.yaml"]] if operation == "create" else [["R-1.yaml"]]
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with _signal_at(-1, "after", signum, again=False) as calls:
            (tmp_path / "count").mkdir()
            _write(operation, tmp_path / "count/R-1.yaml")
        total = len(calls)
        assert total >= 5
        for again in (False, True):
            for when in ("before", "after"):
                for number in range(total):
                    folder = tmp_path / f"{again}-{when}-{number}"
                    folder.mkdir()
                    target = folder / "R-1.yaml"
                    if operation == "replace":
                        target.write_text(old)
                    with (
                        pytest.raises((KeyboardInterrupt, _Stop)),
                        _signal_at(number, when, signum, again) as calls,
                    ):
                        _write(operation, target)
                    where = f"{when} {calls[number]} (step {number} of {calls}, again: {again})"
                    assert _names(folder) in expected, where
                    if target.exists():
                        assert target.read_text() in (old, TEXT), where
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_ctrl_c_as_new_writes_its_record_leaves_no_temporary_file(
    example_copy: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _names(example_copy / "risks")
    original = tempfile.mkstemp

    def made_then_interrupted(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        _deliver()
        return made

    monkeypatch.setattr(tempfile, "mkstemp", made_then_interrupted)
    result = _new_risk(cli, example_copy)
    assert result.exit_code == 130
    assert result.stderr.endswith("aimsctl: interrupted\n")
    assert _names(example_copy / "risks") == before


# --- a read-only target ----------------------------------------------------------------

OLD = "old output, still intact\n"
READ_ONLY = "it is read-only; nothing was written (make it writable to replace it)"

# Each command that writes a file a user names, and the file in the folder ``out``.
OUTPUTS = {
    "validate --output": (
        ("validate", "{repo}", "--format", "json", "--output", "{file}"),
        "v.json",
    ),
    "report --out": (("report", "soa", "{repo}", "--format", "md", "--out", "{out}"), "soa.md"),
    "schema --out": (("schema", "--out", "{out}"), "aims.schema.json"),
    "export --out": (
        ("export", "oscal", "{repo}", "--out", "{out}"),
        "iso42001-annex-a-catalog.json",
    ),
}


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_read_only_output_file_is_not_replaced(
    example_copy: Path, tmp_path: Path, cli: Cli, command: str
) -> None:
    # The rename succeeds in a writable folder whatever the file's mode, so a file the
    # user had marked read-only was replaced (and `report --out` published over it).
    args, name = OUTPUTS[command]
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    target.write_text(OLD)
    target.chmod(0o444)
    fill = {"repo": str(example_copy), "out": str(out), "file": str(target)}
    as_of = () if command == "schema --out" else ("--as-of", "2026-11-26")
    result = cli(*(arg.format(**fill) for arg in args), *as_of)
    assert result.exit_code == 2, result.stdout
    assert result.stderr == f"aimsctl: error: cannot write {target}: {READ_ONLY}\n"
    assert target.read_text() == OLD
    assert target.stat().st_mode & 0o777 == 0o444
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_link_to_a_read_only_file_is_replaced_and_the_file_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(OLD)
    elsewhere.chmod(0o444)
    link = tmp_path / "v.json"
    link.symlink_to(elsewhere)
    fileio.write_atomic(link, "new")
    assert not link.is_symlink() and link.read_text() == "new"
    assert elsewhere.read_text() == OLD


def test_aimsctl_replaces_its_own_read_only_file_when_asked(tmp_path: Path) -> None:
    # The validation cache: a read-only entry of its own folder is still replaced.
    entry = tmp_path / "validate-x.json"
    entry.write_text(OLD)
    entry.chmod(0o400)
    fileio.write_atomic(entry, "new", replace_read_only=True)
    assert entry.read_text() == "new"


# Every command that writes where the user says, with a file standing where a folder
# of the path must be: the output's folder, and the output path with it.
IN_THE_WAY = {
    "validate --output": ("validate", "{repo}", "--format", "json", "--output", "{out}/v.json"),
    "diff --output": ("diff", "HEAD", "{repo}", "--output", "{out}/d.md"),
    "report all --out": ("report", "all", "{repo}", "--format", "md", "-o", "{out}"),
    "schema --out": ("schema", "--out", "{out}"),
    "export oscal --out": ("export", "oscal", "{repo}", "--out", "{out}"),
    "bias-audit --record-out": (
        *("bias-audit", "{csv}", "--outcome", "hired", "--category", "group"),
        *("--record", "SYS-HIRE", "--record-out", "{out}/EV.yaml", "--by", "auditor"),
    ),
}


@pytest.mark.parametrize("command", IN_THE_WAY)
def test_a_file_in_the_way_of_the_output_folder_is_named(
    example_copy: Path, tmp_path: Path, cli: Cli, command: str
) -> None:
    # `report all -o some_file/sub` said "cannot create the folder: File exists",
    # naming neither some_file nor what is wrong with it.
    blocker = tmp_path / "some_file"
    blocker.write_text(OLD)
    csv = tmp_path / "outcomes.csv"
    csv.write_text("group,hired\n" + "a,1\nb,0\n" * 30, encoding="utf-8")
    if command == "diff --output":
        from gitrepo import GitRepo

        GitRepo(example_copy).commit("the example")
    fill = {"repo": str(example_copy), "out": str(blocker / "sub"), "csv": str(csv)}
    args = [arg.format(**fill) for arg in IN_THE_WAY[command]]
    as_of = () if command == "schema --out" else ("--as-of", "2026-11-26")
    result = cli(*args, *as_of)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"{blocker} is a file, not a folder" in result.stderr, result.stderr
    assert str(blocker / "sub") in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert blocker.read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northwind", "outcomes.csv", "some_file"]
