"""Warnings core code gives while it works, for the command line to show.

Core code prints nothing (tests/test_layers.py holds it to that): it calls
:func:`warn`. While a command runs, the command line shows each warning on standard
error (:func:`listening`); elsewhere, as when aimsctl is used as a library, a
warning goes to Python's :mod:`warnings`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator

_listener: Callable[[str], None] | None = None


def warn(message: str) -> None:
    """Give ``message``, one sentence in plain words, to whoever listens."""
    if _listener is not None:
        _listener(message)
    else:
        warnings.warn(message, UserWarning, stacklevel=2)


@contextlib.contextmanager
def listening(listener: Callable[[str], None]) -> Iterator[None]:
    """Every warning given inside the block goes to ``listener``."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous
