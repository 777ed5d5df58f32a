"""Work made on two cores where that pays: by two worker processes forked from the
running command, each inheriting what the command has loaded instead of receiving
a copy.

Used for the reports of `report all` (independent of one another) and for parsing
the record files of a large repository (each file's parse depends on its bytes
alone, see :func:`aimsctl.loader.load_files`). Results come back in order, so the
output is the same as one process makes; an error is the first in order, as in
a serial run.

Only where ``fork`` is safe and cheap (Linux, and no other thread running, such as
a progress bar's on a terminal), with at least two cores to use and enough work to
outweigh starting the workers and sending results back: elsewhere the work is done
in this process, one item after another.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import selectors
import signal
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

WORKERS = 2

T = TypeVar("T")


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worth_it(size: int, minimum: int, tasks: int) -> bool:
    """Whether ``tasks`` tasks over work of ``size`` (records, files) pay on two cores:
    at least ``minimum`` of it, more than one task, and fork and two cores to use."""
    return (
        sys.platform == "linux"
        and tasks > 1
        and size >= minimum
        and usable_cores() >= WORKERS
        # Forking copies only the calling thread: a lock another one holds (a progress
        # bar drawing on a terminal) would stay held in the worker for ever.
        and threading.active_count() == 1
    )


def made(
    make: Callable[[int], T],
    count: int,
    parallel: bool,
    done: Callable[[], object],
    first: Sequence[int] = (),
) -> list[T]:
    """``make(0)``, ..., ``make(count - 1)``, in that order; ``done()`` after each.

    With ``parallel`` they are made by two forked worker processes, starting with
    the indexes in ``first`` (the longest, so that the two finish together), and an
    exception raised making one is raised here, the first in index order, as in a
    serial run; else they are made one after another in this process.
    """
    if not parallel:
        results: list[T] = []
        for index in range(count):
            results.append(make(index))
            done()
        return results
    order = [*first, *(index for index in range(count) if index not in first)]
    return _made_by_workers(make, count, done, order)


# Why not multiprocessing.Pool: a worker that Ctrl-C (sent to the whole process group)
# or a SIGTERM ended while it was sending a result left half a message in the pool's
# pipe, and the pool's clean-up then waited for the rest for ever: an interrupted
# `report all` or `validate` of a large repository hung instead of ending with 130.
# Here each worker has its own pipes, ignores SIGINT (the command handles Ctrl-C and
# ends the workers), and a worker that ends is seen at once (end of file on its pipe):
# nothing ever waits on a process that is gone.

_HEADER = struct.Struct(">Q")  # the length of a result message
_TASK = struct.Struct(">q")  # an index to make; -1: no more work


class WorkerLost(RuntimeError):
    """A worker process ended before sending the result it was making (killed, out
    of memory): an internal failure, never a result made up."""


@dataclass
class _Worker:
    pid: int
    tasks: int  # the parent's end of the pipe that sends indexes
    results: int  # the parent's end of the pipe results come back on
    index: int | None = None  # what it is making


def _made_by_workers(
    make: Callable[[int], T], count: int, done: Callable[[], object], order: list[int]
) -> list[T]:
    pending = iter(order)
    started: list[_Worker] = []
    finished: dict[int, tuple[bool, Any]] = {}
    results: list[T] = []
    try:
        for _ in range(min(WORKERS, count)):
            started.append(_fork(make, started))
        with selectors.DefaultSelector() as selector:
            for worker in started:
                _give(worker, next(pending, None))
                if worker.index is not None:
                    selector.register(worker.results, selectors.EVENT_READ, worker)
            while len(results) < count:
                while len(results) in finished:
                    ok, value = finished.pop(len(results))
                    if not ok:
                        raise value
                    results.append(value)
                    done()
                if len(results) == count:
                    break
                for key, _ in selector.select():
                    worker = key.data
                    assert worker.index is not None
                    finished[worker.index] = pickle.loads(_receive(worker.results))
                    _give(worker, next(pending, None))
                    if worker.index is None:  # told to stop: its pipe ends next
                        selector.unregister(worker.results)
        return results
    finally:
        _end(started)


def _fork(make: Callable[[int], Any], others: list[_Worker]) -> _Worker:
    tasks_read, tasks_write = os.pipe()
    results_read, results_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: it never returns from here
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # nothing to clean up here
            # Only the parent may hold the other ends: a copy here would keep a pipe
            # open after its worker ended, and the parent would wait on it.
            for fd in (tasks_write, results_read, *(o.tasks for o in others)):
                os.close(fd)
            for other in others:
                os.close(other.results)
            _serve(make, tasks_read, results_write)
        finally:
            os._exit(0)
    os.close(tasks_read)
    os.close(results_write)
    return _Worker(pid, tasks_write, results_read)


def _serve(make: Callable[[int], Any], tasks: int, results: int) -> None:
    """In a worker: make each index the parent sends, and send back what came of it
    (the result, or the exception), until it sends -1 or closes the pipe."""
    while True:
        head = _read_exactly(tasks, _TASK.size)
        if head is None:
            return
        (index,) = _TASK.unpack(head)
        if index < 0:
            return
        try:
            message = pickle.dumps((True, make(index)), pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # raised in the parent, in its turn
            try:
                message = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
            except Exception:
                message = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        _write_all(results, _HEADER.pack(len(message)) + message)


def _give(worker: _Worker, index: int | None) -> None:
    worker.index = index
    _write_all(worker.tasks, _TASK.pack(-1 if index is None else index))


def _receive(fd: int) -> bytes:
    head = _read_exactly(fd, _HEADER.size)
    body = None if head is None else _read_exactly(fd, _HEADER.unpack(head)[0])
    if body is None:
        raise WorkerLost("a worker process ended before it sent its result")
    return body


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``; None at the end of the pipe before them."""
    parts: list[bytes] = []
    left = size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _end(started: list[_Worker]) -> None:
    """Stop every worker and wait for it: after an error or an interrupt one may be
    busy, and nothing it makes is wanted any more (SIGKILL: it cannot be ignored or
    held). Runs however the work ended, so no worker outlives the command."""
    for worker in started:
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGKILL)
    for worker in started:
        for fd in (worker.tasks, worker.results):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)


def pack(data: Any) -> bytes:
    """Plain data (None, booleans, numbers, text, lists, tuples, dicts of them) as
    bytes for a worker to send back: unlike pickle's, the form keeps which texts were
    interned, so they are shared again in this process. Only :func:`unpack` in the
    process that forked the worker reads them; nothing packed is ever stored."""
    return marshal.dumps(data)


def unpack(packed: bytes) -> Any:
    """What :func:`pack` packed, in a worker this process forked (see there)."""
    return marshal.loads(packed)
