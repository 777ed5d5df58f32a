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

import marshal
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

WORKERS = 2

T = TypeVar("T")

# What the workers make: set in the parent just before they are forked, read in
# them (fork copies it), cleared afterwards. Never pickled.
_JOB: Callable[[int], Any] | None = None


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


def _make(index: int) -> Any:
    assert _JOB is not None, "a worker runs only with a job set before it was forked"
    return _JOB(index)


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
    global _JOB
    _JOB = make
    pool = multiprocessing.get_context("fork").Pool(WORKERS, initializer=_as_worker)
    try:
        order = [*first, *(index for index in range(count) if index not in first)]
        pending = {index: pool.apply_async(_make, (index,)) for index in order}
        results = []
        for index in range(count):
            results.append(pending[index].get())
            done()
        pool.close()
        return results
    except BaseException:
        pool.terminate()  # the reports after a failing one are not wanted
        raise
    finally:
        pool.join()
        _JOB = None


def pack(data: Any) -> bytes:
    """Plain data (None, booleans, numbers, text, lists, tuples, dicts of them) as
    bytes for a worker to send back: unlike pickle's, the form keeps which texts were
    interned, so they are shared again in this process. Only :func:`unpack` in the
    process that forked the worker reads them; nothing packed is ever stored."""
    return marshal.dumps(data)


def unpack(packed: bytes) -> Any:
    """What :func:`pack` packed, in a worker this process forked (see there)."""
    return marshal.loads(packed)


def _as_worker() -> None:
    """A worker ends as it is told: the command's own handling of SIGTERM (clean up,
    then exit) is the parent's, and a worker has nothing to clean up."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
