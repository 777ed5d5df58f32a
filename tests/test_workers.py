"""What workers send back: plain data, interned texts shared again in this process."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aimsctl import workers
from conftest import AS_OF, EXAMPLE


def test_packed_data_comes_back_equal_with_its_interned_texts_shared() -> None:
    name = sys.intern("likelihood-field-name")
    data = [{name: 3, "list": [1.5, None, True, "x" * 100]}, (1, {"a": -(10**40)})]
    back = workers.unpack(workers.pack(data))
    assert back == data
    (key,) = [k for k in back[0] if k != "list"]
    assert key is name  # one string for every record again, as a parse here makes


# --- interrupted and failing workers --------------------------------------------------

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")

# `report all` on two cores, where each worker's first render sends SIGINT to the whole
# process group, as Ctrl-C in a terminal does, and then goes on: the command and both
# workers receive it while the workers are busy.
_CTRL_C_IN_A_WORKER = """
import os, signal, sys
from aimsctl import workers
from aimsctl.cli import main
from aimsctl.reports.render import Renderer

workers.worth_it = lambda size, least, tasks: True
command = os.getpid()
real = Renderer.render

def render(self, *args, **kwargs):
    if os.getpid() != command:
        os.killpg(0, signal.SIGINT)
    return real(self, *args, **kwargs)

Renderer.render = render
main()
"""


@linux_only
def test_ctrl_c_while_workers_make_the_reports_ends_the_run_with_130(tmp_path: Path) -> None:
    """Ctrl-C reaches the workers too. Each one printed a KeyboardInterrupt traceback
    ('Process ForkPoolWorker-1: ...'), and one stopped while sending its report back
    left half a message in the pool's pipe, on which the pool's clean-up then waited
    for ever: the run hung. The workers ignore Ctrl-C now; the command ends them."""
    out = tmp_path / "out"
    command = [sys.executable, "-c", _CTRL_C_IN_A_WORKER, "report", "all", str(EXAMPLE)]
    command += ["--out", str(out), "--as-of", AS_OF]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=300)  # a hang fails, not waits
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    assert (process.returncode, stderr, stdout) == (130, b"aimsctl: interrupted\n", b"")
    assert not out.exists()
    assert _alive_in_group(process.pid) == []  # no worker outlives the command


def _alive_in_group(group: int, within: float = 10.0) -> list[str]:
    """The processes still running in the process group ``group`` ("pid: command
    line"), once those ending have had ``within`` seconds to go: a git process the
    command started ends when it reads the end of its pipe, a moment after the
    command, and on a loaded machine may still be listed when the command has ended.
    A worker the command did not end never goes: it ignores Ctrl-C."""
    deadline = time.monotonic() + within
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.getpgid(int(entry.name)) != group:
                    continue
                stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
                if stat.rpartition(")")[2].split()[0] == "Z":
                    continue  # ended, waiting to be reaped: not running
                line = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except (ProcessLookupError, FileNotFoundError):
                continue
            found.append(f"{entry.name}: {line.strip()}")
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


_A_WORKER_DIES = """
import os, signal
from aimsctl import workers

def make(index):
    if index == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # the out-of-memory killer, say
    return index

try:
    workers.made(make, 4, True, lambda: None)
except workers.WorkerLost as error:
    print(error)
"""


@linux_only
def test_a_worker_that_dies_is_an_error_not_a_wait_for_ever() -> None:
    """multiprocessing's pool never noticed a worker killed in the middle of a job,
    and waited for its result for ever."""
    done = subprocess.run(
        [sys.executable, "-c", _A_WORKER_DIES], capture_output=True, text=True, timeout=300
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "a worker process ended before it sent its result\n",
        "",
    )


@linux_only
def test_the_workers_are_gone_once_the_work_is_interrupted(tmp_path: Path) -> None:
    """An interrupt in the command (here raised by its ``done``) ends the workers, busy
    or not, and waits for them: none is left running or unreaped."""
    pids = tmp_path / "pids"

    def make(index: int) -> int:
        with pids.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return index

    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        workers.made(make, 6, True, interrupt)
    started = {int(pid) for pid in pids.read_text().split()}
    assert started and os.getpid() not in started
    for pid in started:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


# --- results taken in turn as they are made ---------------------------------------------


def _write_index(log: Path) -> Callable[[int], int]:
    def make(index: int) -> int:
        with log.open("a") as out:  # each worker writes whole lines: O_APPEND
            out.write(f"{index}\n")
        return index * 10

    return make


@linux_only
def test_results_come_in_turn_with_few_made_ahead_of_the_taker(tmp_path: Path) -> None:
    """The load takes each task's parses as its turn comes, so the workers make only a
    few ahead of it instead of holding every file's parse at once: a worker whose
    result is not taken yet is given nothing more."""
    log = tmp_path / "made"
    log.touch()
    results = workers.made(_write_index(log), 100, True, lambda: None, ahead=2)
    with contextlib.closing(results):
        assert next(results) == 0
        # Given so far: the first two, at most a few received ahead and each worker's
        # next; nothing else is made, however fast the workers are.
        assert len(log.read_text().split()) <= 8
        assert [next(results) for _ in range(4)] == [10, 20, 30, 40]
        assert len(log.read_text().split()) <= 12
        assert list(results) == [index * 10 for index in range(5, 100)]
    assert sorted(int(n) for n in log.read_text().split()) == list(range(100))


def _fails_at_3(index: int) -> int:
    if index == 3:
        raise ValueError("three")
    return index


@linux_only
def test_an_error_making_one_is_raised_in_its_turn() -> None:
    results = workers.made(_fails_at_3, 10, True, lambda: None, ahead=2)
    with contextlib.closing(results):
        assert [next(results) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(ValueError, match="three"):
            next(results)


def _times_ten(index: int) -> int:
    return index * 10


@linux_only
@pytest.mark.parametrize("ahead", [None, 2])
def test_the_workers_never_read_the_clock(
    monkeypatch: pytest.MonkeyPatch, ahead: int | None
) -> None:
    """Under CI's faked clock, multiprocessing's wait(timeout=0) once read a monotonic
    time too large to convert and raised OverflowError; waiting on the workers reads
    no clock, so a bad reading cannot end the run."""

    def bad_clock() -> float:
        raise OverflowError("timestamp too large to convert to C _PyTime_t")

    monkeypatch.setattr(time, "monotonic", bad_clock)
    results = workers.made(_times_ten, 200, True, lambda: None, ahead=ahead)
    assert list(results) == [index * 10 for index in range(200)]


def _made_where(index: int) -> tuple[int, int]:
    return os.getpid(), index


@linux_only
@pytest.mark.parametrize("ahead", [None, 2])
def test_what_follows_is_made_by_the_worker_that_made_what_it_follows(
    ahead: int | None,
) -> None:
    """Reports sharing rows: the worker that made one makes the next, in its process
    (where the rows are); results still come in index order, every one made once.

    Repeated, under an alarm: with a few results held ahead, the one in turn may
    follow what a held worker made while the other held one has nothing left; the
    run once asked only that other one, then waited on no worker for ever (about
    one run in six)."""

    def too_long(signum: int, frame: object) -> None:
        raise TimeoutError("the results were waited for with no worker making them")

    then = {1: 5, 5: 2, 3: 7}
    kept = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(60)
    try:
        for _ in range(20):
            made = workers.made(_made_where, 9, True, lambda: None, [1], ahead=ahead, then=then)
            results = list(made)
            assert [index for _, index in results] == list(range(9))
            pids = [pid for pid, _ in results]
            assert pids[1] == pids[5] == pids[2]
            assert pids[3] == pids[7]
            assert os.getpid() not in pids
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, kept)
    serial = workers.made(_made_where, 9, False, lambda: None, then=then)
    assert serial == [(os.getpid(), index) for index in range(9)]


# --- one result made beside this process's own work -----------------------------------


@linux_only
def test_beside_makes_there_in_a_worker_while_here_runs_in_this_process(
    tmp_path: Path,
) -> None:
    """``there`` runs in another process, ``here`` in this one (what it makes stays
    here), and the worker is gone once the result is in."""
    made_here: list[int] = []

    def there() -> tuple[int, int]:
        return os.getpid(), 42

    pid, value = workers.beside(there, lambda: made_here.append(os.getpid()))
    assert value == 42
    assert pid != os.getpid()
    assert made_here == [os.getpid()]
    with pytest.raises(ChildProcessError):  # reaped: no worker left behind
        os.waitpid(pid, os.WNOHANG)


def _raises_there() -> int:
    raise ValueError("made there")


@linux_only
def test_an_error_made_beside_is_raised_here_after_here_is_done() -> None:
    order: list[str] = []
    with pytest.raises(ValueError, match="made there"):
        workers.beside(_raises_there, lambda: order.append("here"))
    assert order == ["here"]


@linux_only
def test_an_error_here_ends_the_worker_beside(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"

    def there() -> int:
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)
        return 0

    def here() -> None:
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.01)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        workers.beside(there, here)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


# --- long bytes (reports, parsed documents) sent after the rest of a result -----------


def _with_long_bytes(index: int) -> tuple[object, ...]:
    long = bytes([index]) * (workers._RAW_FROM + index)
    return (index, (long, b"short"), [long[:10]], long[::-1], "text")


@linux_only
@pytest.mark.parametrize("ahead", [None, 2])
def test_long_bytes_come_back_whole_and_in_their_places(ahead: int | None) -> None:
    results = workers.made(_with_long_bytes, 6, True, lambda: None, ahead=ahead)
    assert list(results) == [_with_long_bytes(index) for index in range(6)]
    assert workers.beside(lambda: _with_long_bytes(7), lambda: None) == _with_long_bytes(7)


def test_long_bytes_are_sent_after_the_rest_not_pickled_with_it() -> None:
    """Each long bytes object is sent as it is, in order, after a small pickle holding
    its place; a result that cannot be pickled sends none of them, so what the worker
    sends next is read as the next result."""
    from multiprocessing.connection import Pipe

    value = _with_long_bytes(3)
    raws: list[bytes] = []
    header = workers._lifted((True, value), raws)
    assert len(pickle.dumps(header)) < 1_000
    assert raws == [value[1][0], value[3]]

    ours, theirs = Pipe()
    made = {0: (b"x" * workers._RAW_FROM, lambda: None), 1: value}  # 0 cannot be pickled
    serving = threading.Thread(target=workers._serve, args=(made.__getitem__, theirs))
    serving.start()
    ours.send(0)
    ok, error = workers._received(ours)
    assert not ok
    assert isinstance(error, RuntimeError)
    ours.send(1)
    assert workers._received(ours) == (True, value)
    ours.send(None)
    serving.join()
