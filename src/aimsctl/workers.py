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
import select
import signal
import sys
import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:  # imported where workers start (4 ms): most runs start none
    from multiprocessing.connection import Connection

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


@overload
def made(
    make: Callable[[int], T],
    count: int,
    parallel: bool,
    done: Callable[[], object],
    first: Sequence[int] = (),
    ahead: None = None,
    *,
    then: Mapping[int, int] | None = None,
) -> list[T]: ...


@overload
def made(
    make: Callable[[int], T],
    count: int,
    parallel: bool,
    done: Callable[[], object],
    first: Sequence[int] = (),
    *,
    ahead: int,
    then: Mapping[int, int] | None = None,
) -> Generator[T, None, None]: ...


def made(
    make: Callable[[int], T],
    count: int,
    parallel: bool,
    done: Callable[[], object],
    first: Sequence[int] = (),
    ahead: int | None = None,
    *,
    then: Mapping[int, int] | None = None,
) -> list[T] | Generator[T, None, None]:
    """``make(0)``, ..., ``make(count - 1)``, in that order; ``done()`` after each.

    With ``parallel`` they are made by two forked worker processes, starting with
    the indexes in ``first`` (the longest, so that the two finish together), and an
    exception raised making one is raised here, the first in index order, as in a
    serial run; else they are made one after another in this process.

    With ``ahead``, they come as an iterator, each as its turn comes, while the
    workers make the next ones: at most ``ahead`` results wait here for their turn (a
    worker that finished one more is given nothing until one is taken), so what the
    caller keeps of each can be let go before all are made. Close the iterator
    (``contextlib.closing``) if it is left before its end: the workers end then.

    ``then`` maps an index to the one the same worker makes right after it, reusing
    what making the first left in that process (rows two reports share).
    """
    after = dict(then or {})
    order = [*first, *(index for index in range(count) if index not in first)]
    order = [index for index in order if index not in after.values()]
    if ahead is not None:
        return _in_turn(make, order, after, parallel, done, ahead)
    return list(_in_turn(make, order, after, parallel, done, None))


def beside(there: Callable[[], T], here: Callable[[], object]) -> T:
    """``there()``, made by a worker process forked for it while this process makes
    ``here()`` (what later work, and workers forked later, use): ``there``'s result,
    or the exception it raised, raised here once ``here`` is done. An exception from
    ``here`` is raised as it is, and the worker ended. Only where :func:`worth_it`
    says two cores pay."""
    worker = _fork(lambda _index: there(), [])
    try:
        worker.connection.send(0)
        here()
        try:
            ok, value = _received(worker.connection)
        except EOFError:
            raise WorkerLost("a worker process ended before it sent its result") from None
    finally:
        _end([worker])
    if not ok:
        raise value
    result: T = value
    return result


# Why not multiprocessing.Pool: a worker that Ctrl-C (sent to the whole process group)
# or a SIGTERM ended while it was sending a result left half a message in the pool's
# pipe, and the pool's clean-up then waited for the rest for ever: an interrupted
# `report all` or `validate` of a large repository hung instead of ending with 130.
# Here each worker has its own connection (multiprocessing's, which the pool used
# too), ignores SIGINT (the command handles Ctrl-C and ends the workers), and a worker
# that ends is seen at once (end of file on its connection): nothing ever waits on a
# process that is gone.


class WorkerLost(RuntimeError):
    """A worker process ended before sending the result it was making (killed, out
    of memory): an internal failure, never a result made up."""


@dataclass
class _Worker:
    pid: int
    connection: Connection  # the command's end: indexes go out, results come back
    index: int | None = None  # what it is making


def _in_turn(
    make: Callable[[int], T],
    order: list[int],
    after: dict[int, int],
    parallel: bool,
    done: Callable[[], object],
    ahead: int | None,
) -> Generator[T, None, None]:
    count = len(order) + len(after)
    if not parallel:
        for index in range(count):
            yield make(index)
            done()
        return
    from multiprocessing.connection import wait

    pending = iter(order)

    def next_for(worker: _Worker) -> int | None:
        """What ``worker`` makes next: what follows the one it made, else the next."""
        follows = None if worker.index is None else after.pop(worker.index, None)
        return next(pending, None) if follows is None else follows

    started: list[_Worker] = []
    finished: dict[int, tuple[bool, Any]] = {}
    busy: dict[Connection, _Worker] = {}
    held: list[_Worker] = []  # done, given nothing more while ``ahead`` wait their turn

    def receive(block: bool) -> None:
        # Without blocking, a plain select: multiprocessing's wait(timeout=0) reads the
        # clock in Python, and a faked clock (libfaketime, in CI) once gave it a reading
        # too large to convert: the run failed with OverflowError, not a result.
        ready_ones = wait(list(busy)) if block else select.select(list(busy), [], [], 0)[0]
        for ready in ready_ones:
            worker = busy.pop(ready)  # type: ignore[call-overload]
            assert worker.index is not None
            try:
                finished[worker.index] = _received(worker.connection)
            except EOFError:
                raise WorkerLost("a worker process ended before it sent its result") from None
            if ahead is not None and len(finished) >= ahead:
                held.append(worker)
            else:
                _give(worker, next_for(worker), busy)

    try:
        for _ in range(min(WORKERS, len(order))):
            started.append(_fork(make, started))
        for worker in started:
            _give(worker, next_for(worker), busy)
        for turn in range(count):
            while turn not in finished:
                # The one in turn is not given yet: a held worker makes it. One with
                # nothing left to give it stops, and the next held one is asked (the one
                # in turn may follow what that one made).
                while not busy:
                    worker = held.pop()
                    _give(worker, next_for(worker), busy)
                receive(block=True)
            ok, value = finished.pop(turn)
            while held and (ahead is None or len(finished) < ahead):
                worker = held.pop()
                _give(worker, next_for(worker), busy)
            if busy and (ahead is None or len(finished) < ahead):
                receive(block=False)  # the results ready: their workers take the next at once
            if not ok:
                raise value
            yield value
            done()
    finally:
        _end(started)


def _fork(make: Callable[[int], Any], others: list[_Worker]) -> _Worker:
    from multiprocessing.connection import Pipe

    ours, theirs = Pipe()
    pid = os.fork()
    if pid == 0:  # the worker: it never returns from here
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # nothing to clean up here
            for connection in (ours, *(other.connection for other in others)):
                connection.close()  # only the command holds these
            _serve(make, theirs)
        finally:
            os._exit(0)
    theirs.close()  # else a worker that ended would leave its connection open
    return _Worker(pid, ours)


def _serve(make: Callable[[int], Any], connection: Connection) -> None:
    """In a worker: make each index the command sends, and send back what came of it
    (the result, or the exception), until it sends None or goes away."""
    while True:
        try:
            index = connection.recv()
        except EOFError:
            return
        if index is None:
            return
        try:
            outcome: tuple[bool, Any] = (True, make(index))
        except Exception as error:  # raised in the command, in its turn
            outcome = (False, error)
        raws: list[bytes] = []
        try:
            connection.send(_lifted(outcome, raws))
        except Exception as error:  # a result or an exception that cannot be sent
            connection.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
            continue
        for raw in raws:
            connection.send_bytes(raw)


# Bytes at least this long in a result (a report, a task's parsed documents) are sent
# as they are, after the rest of it: in the pickle each was copied twice more (a 60 MB
# report took 0.15 s to come back that way, 0.08 s sent as it is).
_RAW_FROM = 64 * 1024


class _Raw:
    """Holds the place, in a result sent, of bytes sent after it (:func:`_lifted`)."""


def _lifted(value: Any, raws: list[bytes]) -> Any:
    """``value`` with its long bytes, alone or in tuples (nested), replaced by _Raw and
    added to ``raws`` in the order :func:`_received` puts them back."""
    if isinstance(value, bytes) and len(value) >= _RAW_FROM:
        raws.append(value)
        return _Raw()
    if type(value) is tuple:
        return tuple(_lifted(item, raws) for item in value)
    return value


def _received(connection: Connection) -> Any:
    """What a worker sent with :func:`_lifted`, its long bytes back in their places."""

    def restored(value: Any) -> Any:
        if isinstance(value, _Raw):
            return connection.recv_bytes()
        if type(value) is tuple:
            return tuple(restored(item) for item in value)
        return value

    return restored(connection.recv())


def _give(worker: _Worker, index: int | None, busy: dict[Connection, _Worker]) -> None:
    worker.index = index
    worker.connection.send(index)
    if index is None:  # told to stop: its connection ends next
        busy.pop(worker.connection, None)
    else:
        busy[worker.connection] = worker


def _end(started: list[_Worker]) -> None:
    """Stop every worker and wait for it: after an error or an interrupt one may be
    busy, and nothing it makes is wanted any more (SIGKILL: it cannot be ignored or
    held). Runs however the work ended, so no worker outlives the command."""
    for worker in started:
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGKILL)
    for worker in started:
        with contextlib.suppress(OSError):
            worker.connection.close()
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
