"""`collector`: the cycle collector adjusted while modules load, left as it was after."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from aimsctl import collector
from conftest import AS_OF


@pytest.fixture
def collecting() -> Iterator[None]:
    """The collector on and nothing frozen, as in a command's process; restored after."""
    was_enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()  # as it was, whatever the test left (a test switches it off)
    if frozen:
        gc.freeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


class _Made:
    """An object a module would make (a function, a class, a model): tracked by the
    collector, never garbage."""


def _young(made: object) -> bool:
    return any(obj is made for obj in gc.get_objects(generation=0))


def test_what_an_import_makes_skips_the_young_collections(collecting: None) -> None:
    with collector.importing():
        assert not gc.isenabled()  # no collection while modules load
        made = _Made()
        assert _young(made)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # in the oldest generation, not frozen for good
    assert not _young(made)
    assert any(obj is made for obj in gc.get_objects(generation=2))


def test_the_collector_comes_back_after_an_error(collecting: None) -> None:
    with pytest.raises(ImportError), collector.importing():
        raise ImportError("a module that fails to load")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_caller_s_frozen_objects_stay_frozen(collecting: None) -> None:
    """An embedding program froze its objects: unfreezing would release them, so the
    collector is left as the caller set it."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    with collector.importing():
        assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    gc.unfreeze()


def test_inside_a_freeze_of_ours_nothing_walks_the_frozen_objects(
    collecting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modules imported while the records are frozen (the rules import some lazily)
    leave the freeze as it is, told from our own count: asking gc how many objects are
    frozen walks them all (30-37 ms at 50,000 records)."""

    def walked() -> int:
        raise AssertionError("gc.get_freeze_count walks every frozen object")

    made = _Made()
    with collector.alive_frozen():
        monkeypatch.setattr(collector.gc, "get_freeze_count", walked)
        with collector.importing():
            assert gc.isenabled()  # the caller's (ours) to manage: left as it is
        with collector.built_then_frozen() as built:
            built()
        assert not any(obj is made for obj in gc.get_objects())  # still frozen
        monkeypatch.undo()
    assert gc.get_freeze_count() == 0
    assert any(obj is made for obj in gc.get_objects())


def test_a_collector_switched_off_stays_off(collecting: None) -> None:
    gc.disable()
    with collector.importing():
        _Made()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_before_exit_freezes_what_is_alive(collecting: None) -> None:
    made = _Made()
    collector.before_exit()
    assert gc.get_freeze_count() > 0
    assert not any(obj is made for obj in gc.get_objects())  # no collection walks it
    gc.unfreeze()


def test_a_command_ends_with_everything_frozen_and_its_output_whole(tmp_path: Path) -> None:
    """The console entry point freezes before the interpreter shuts down; what the run
    printed is all there, and atexit handlers still run (they see the frozen state)."""
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen' if gc.get_freeze_count() else 'not frozen',"
        " file=sys.stderr))\n"
        "from aimsctl.cli import main\n"
        "sys.argv = ['aimsctl', 'init', sys.argv[1]]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "new")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "frozen"
    assert (tmp_path / "new" / "aims.yaml").is_file()
    assert done.stdout.strip()


def test_what_kept_builds_inside_a_frozen_block_is_frozen_with_the_rest(
    collecting: None,
) -> None:
    with collector.alive_frozen():
        before = gc.get_freeze_count()
        with collector.kept():
            assert not gc.isenabled()  # no collection while the context is built
            made = _Made()
        assert gc.isenabled()
        assert gc.get_freeze_count() > before
        assert not any(obj is made for obj in gc.get_objects())  # no collection walks it
    assert gc.get_freeze_count() == 0  # released with the rest
    assert any(obj is made for obj in gc.get_objects())


def test_kept_after_built_freezes_too(collecting: None) -> None:
    with collector.built_then_frozen() as built:
        built()
        before = gc.get_freeze_count()
        with collector.kept():
            made = _Made()
        assert gc.get_freeze_count() > before
        assert not any(obj is made for obj in gc.get_objects())
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_kept_freezes_nothing_outside_a_block_of_ours(collecting: None) -> None:
    """Outside alive_frozen (here a caller froze its own objects), kept only pauses:
    what it made stays with the collector, which runs again after."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    with collector.kept():
        assert not gc.isenabled()
        made = _Made()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    assert _young(made)
    gc.unfreeze()


def test_kept_turns_the_collector_back_on_after_an_error(collecting: None) -> None:
    with collector.alive_frozen():
        before = gc.get_freeze_count()
        with pytest.raises(KeyError), collector.kept():
            raise KeyError("a report's context that failed to build")
        assert gc.isenabled()
        assert gc.get_freeze_count() == before  # nothing more frozen
    assert gc.get_freeze_count() == 0


def test_kept_leaves_a_collector_switched_off_off(collecting: None) -> None:
    with collector.alive_frozen():
        gc.disable()
        with collector.kept():
            _Made()
        assert not gc.isenabled()


def test_keep_to_exit_keeps_nothing_outside_the_command_line_s_own_run() -> None:
    """A test or a program calling aimsctl: what a command would keep to its end is
    freed as usual once nothing refers to it."""
    made = _Made()
    alive = weakref.ref(made)
    collector.keep_to_exit(made)
    del made
    assert alive() is None


_FREED_AT_EXIT_PROBE = (
    "import sys\n"
    "from aimsctl import collector\n"
    "class Repository:\n"
    "    def __del__(self):\n"
    "        print('freed', file=sys.stderr)\n"
    "if sys.argv[1] == 'own':\n"
    "    collector.ends_with_process()\n"
    "collector.keep_to_exit(Repository())\n"
    "print('answer')\n"
    "collector.before_exit()\n"
)


@pytest.mark.parametrize(("run", "freed"), [("own", False), ("embedded", True)])
def test_what_the_command_line_s_run_keeps_is_never_freed_one_by_one(run: str, freed: bool) -> None:
    """The console entry point's run: the repository it kept is left to the system
    when the process ends (no finalizer runs, as none runs for what is not freed);
    the answer is printed whole either way."""
    done = subprocess.run(
        [sys.executable, "-c", _FREED_AT_EXIT_PROBE, run],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "answer\n"
    assert ("freed" in done.stderr) is freed


_KEPT_PROBE = (
    "import atexit, sys\n"
    "from aimsctl import collector\n"
    "from aimsctl.cli import main\n"
    "def kept():\n"
    "    found = set()\n"
    "    for thing in collector._to_exit:\n"
    "        for one in thing if isinstance(thing, tuple) else (thing,):\n"
    "            if one is not collector._to_exit:\n"
    "                found.add(type(one).__name__)\n"
    "    print('kept: ' + ' '.join(sorted(found)), file=sys.stderr)\n"
    "atexit.register(kept)\n"
    "sys.argv = ['aimsctl', *sys.argv[1:]]\n"
    "main()\n"
)


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (("validate", "--no-cache"), "Repository"),
        (("validate",), "Repository"),
        (("validate", "--staged"), "Repository"),
        (("status",), "Repository"),
        (("report", "all", "--out", "{out}", "--no-cache"), "Repository"),
        (("diff", "HEAD", "--format", "json"), "Snapshot"),  # each side's records
    ],
)
def test_each_command_leaves_what_it_loaded_to_the_system(
    example_in_git: Path, tmp_path: Path, args: tuple[str, ...], loaded: str
) -> None:
    """Run as the command line, each command that loads a large repository keeps it
    to the process's end, where it is not freed record by record."""
    command = [arg.format(out=tmp_path / "reports") for arg in args]
    done = subprocess.run(
        [sys.executable, "-c", _KEPT_PROBE, *command, str(example_in_git), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "AIMSCTL_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode in (0, 1), done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("kept: ")]
    assert loaded in line.split(), line
