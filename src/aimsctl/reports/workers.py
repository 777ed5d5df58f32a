"""The reports of one render made on two cores where that pays.

`report all` on a large repository spends about as long building and rendering its
reports as loading the repository; the reports are independent of one another, so
two worker processes forked from the loaded run make them side by side, each
inheriting the repository instead of receiving a copy. Each report is built and
rendered exactly as it would be in the parent (the same code, the same inputs,
its own limits on output and CPU time), and the reports come back in their order,
so the bytes written are the same; an error is the one of the first report in
order that fails, as in a serial run.

Only where ``fork`` is safe and cheap (Linux), with at least two cores to use and
a repository large enough (:data:`MIN_RECORDS`) for the work to outweigh starting
the workers: elsewhere the reports are made one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence

WORKERS = 2
# Below this many records a render takes a fraction of a second, less than what
# forking and collecting the results would save.
MIN_RECORDS = 2_000

# What the workers make: set in the parent just before they are forked, read in
# them (fork copies it), cleared afterwards. Never pickled.
_JOB: Callable[[int], str] | None = None


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worth_it(records: int, reports: int) -> bool:
    """Whether making ``reports`` reports of a repository of ``records`` records on
    two cores pays (see the module docstring)."""
    return (
        sys.platform == "linux"
        and reports > 1
        and records >= MIN_RECORDS
        and usable_cores() >= WORKERS
    )


def _make(index: int) -> str:
    assert _JOB is not None, "a worker runs only with a job set before it was forked"
    return _JOB(index)


def made(
    make: Callable[[int], str],
    count: int,
    parallel: bool,
    done: Callable[[], object],
    first: Sequence[int] = (),
) -> list[str]:
    """``make(0)``, ..., ``make(count - 1)``, in that order; ``done()`` after each.

    With ``parallel`` they are made by two forked worker processes, starting with
    the indexes in ``first`` (the longest, so that the two finish together), and an
    exception raised making one is raised here, the first in index order, as in a
    serial run; else they are made one after another in this process.
    """
    if not parallel:
        results = []
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


def _as_worker() -> None:
    """A worker ends as it is told: the command's own handling of SIGTERM (clean up,
    then exit) is the parent's, and a worker has nothing to clean up."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
