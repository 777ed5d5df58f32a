"""Python's cycle collector, kept from walking what cannot be garbage.

Loading a large repository makes millions of small objects; each full collection
walks every one alive (the records and their models), though none of them is
garbage while the run holds the repository. Importing aimsctl's modules is the same
on a small scale: the functions, classes and record models they make live as long
as the process. The helpers here are the one way the package adjusts the
collector; none changes anything when the collector is off or objects were frozen
already (by a caller embedding aimsctl: :func:`_callers`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


def _callers() -> bool:
    """Whether the collector is the caller's to manage: off, or objects frozen. Those a
    block of ours froze are known without asking: ``gc.get_freeze_count`` walks every
    frozen object (at 50,000 records 30-37 ms a call, and the rules' imports asked
    twice while the records were frozen)."""
    return bool(_ours) or not gc.isenabled() or bool(gc.get_freeze_count())


# How many blocks of this module hold objects frozen now (:func:`alive_frozen`, and
# :func:`built_then_frozen` once built): :func:`kept` adds to a freeze only inside one.
_ours = 0


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off during the block: for building many objects that hold no
    cycle (composing and walking YAML, building models), which would otherwise set off
    collections that free nothing. It runs as usual afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def alive_frozen() -> Iterator[None]:
    """The objects alive now (the repository and its records) left out of collections
    until the block ends (``gc.freeze``); objects made inside the block are collected
    as usual, so the work in it (rules, reports, a template) cannot pile up cycles."""
    if _callers():
        yield
        return
    global _ours
    gc.freeze()
    _ours += 1
    try:
        yield
    finally:
        _ours -= 1
        gc.unfreeze()


@contextlib.contextmanager
def built_then_frozen() -> Iterator[Callable[[], None]]:
    """For objects built once and kept to the end of the block (a repository loaded,
    then validated): the collector off while they are built, and the function this
    yields, called once they are, leaves everything alive then out of collections
    (``gc.freeze``) and turns the collector back on. The first collection after
    :func:`paused` would otherwise walk every object built in it, freeing nothing
    (at 10,000 records 45-50 ms), before :func:`alive_frozen` could freeze them.
    Until the function is called, the block is :func:`paused`."""
    global _ours
    if _callers():
        yield lambda: None
        return
    frozen = False

    def built() -> None:
        global _ours
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            _ours += 1
            gc.enable()

    gc.disable()
    try:
        yield built
    finally:
        if frozen:
            _ours -= 1
            gc.unfreeze()
        gc.enable()


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """For objects built inside :func:`alive_frozen` (or :func:`built_then_frozen`,
    once built) and kept alive past the block, freeing nothing: a report's context,
    built from the repository and held until its template has rendered. The
    collector is off while they are built, and what is alive at the end of the block
    is frozen with the rest, until the enclosing block unfreezes it all. Objects
    frozen are still freed as usual once nothing refers to them; only a cycle made
    inside the block waits for that unfreeze to be collected.

    Why: building the contexts of `report all` set off collections that walked every
    context built so far, freeing nothing (at 10,000 records about 0.2 s of the 2.3 s
    of rendering every report). Outside one of those blocks (nothing of ours frozen,
    as when a caller froze its own objects) the block is only :func:`paused`."""
    collecting = gc.isenabled()
    with paused():
        yield
        if collecting and _ours:
            gc.freeze()


@contextlib.contextmanager
def importing() -> Iterator[None]:
    """The collector off while the block imports modules, and what they made then put
    in the oldest generation (``gc.freeze`` then ``gc.unfreeze``), where the young
    collections of the run never walk it again.

    Why: importing what `validate` needs (pydantic, the record models, the rules) set
    off about 75 young collections, each walking the survivors of the last, about
    20 ms of a 0.3 s run on the bundled example; none of it was garbage. Left to the
    collector as usual when objects were frozen already: unfreezing would release
    the caller's too."""
    if _callers():
        yield
        return
    with paused():
        try:
            yield
        finally:  # before the collector is back on: nothing young is walked first
            gc.freeze()
            gc.unfreeze()


# What the command line's own run keeps until the process ends (:func:`keep_to_exit`),
# and whether this process is such a run (:func:`ends_with_process`).
_to_exit: list[object] = []
_process_ends_here = False


def ends_with_process() -> None:
    """Called by the console entry point: this process ends when the command does, so
    what :func:`keep_to_exit` is given may stay until the system takes the memory back."""
    global _process_ends_here
    _process_ends_here = True


def keep_to_exit(thing: object) -> None:
    """``thing`` (a command's repository, its records) kept alive until the process ends,
    when the process is the command line's own run; anywhere else (a test, a program
    calling aimsctl) nothing happens, and it is freed as usual.

    Why: once the answer is out, freeing a large repository object by object is work
    nobody waits for (10,000 records: 30-45 ms after validate, about 60 ms after
    `report all`; 50,000 records: 0.2-0.3 s)."""
    if _process_ends_here:
        _to_exit.append(thing)


def before_exit() -> None:
    """For the moment the process ends: everything alive is frozen, so the collections
    the interpreter makes as it shuts down do not walk it or take it apart object by
    object; the system takes the memory back at once.

    Why: after the answer was out, ending a run took 50-80 ms (the bundled example and
    1,000 records alike), the last collections walking every module, model and record.
    Standard streams are still flushed and atexit handlers still run; only reference
    cycles alive at the end are left as they are (Python does not promise to finalize
    those at exit)."""
    # The list refers to itself: clearing this module as the interpreter shuts down
    # then frees none of what it holds (a frozen cycle is never collected).
    if _to_exit:
        _to_exit.append(_to_exit)
    if _callers():
        return
    gc.freeze()
