"""Progress of long runs: where core code says how far it has come.

Core code marks its long loops with :func:`each` or :func:`task` (reading the
files, running the rules, rendering the reports); it prints nothing itself. A
command that wants a bar installs one with :func:`installed` (the Rich bar of
:mod:`aimsctl.outputs.progress`, on standard error, only where a person watches).
Without one, or for a loop too short to be worth a bar, a mark costs a function
call per item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, TypeVar

T = TypeVar("T")

# Work smaller than this shows no bar: small repositories finish before one helps.
MIN_ITEMS = 500

Advance = Callable[[], None]


class Tracker(Protocol):
    """Shows one loop's progress: ``total`` items, advanced one at a time."""

    def task(self, description: str, total: int) -> AbstractContextManager[Advance]: ...


def _nothing() -> None:
    return None


_active: Tracker | None = None


@contextmanager
def installed(tracker: Tracker) -> Iterator[None]:
    """Show the loops run inside on ``tracker`` (unless one is installed already)."""
    global _active
    if _active is not None:
        yield
        return
    _active = tracker
    try:
        yield
    finally:
        _active = None


@contextmanager
def task(description: str, total: int, size: int | None = None) -> Iterator[Advance]:
    """A long loop of ``total`` items: call the advance function once per item.
    ``size`` is how big the work is when the items are few but each is long (the
    rules, over many records); by default, ``total``."""
    if _active is None or (total if size is None else size) < MIN_ITEMS:
        yield _nothing
        return
    with _active.task(description, total) as advance:
        yield advance


def each(description: str, items: Sequence[T], size: int | None = None) -> Iterator[T]:
    """``items`` one by one, the bar advancing after each (see :func:`task`)."""
    with task(description, len(items), size) as advance:
        for item in items:
            yield item
            advance()
