"""Python's cycle collector, kept from walking what cannot be garbage.

Loading a large repository makes millions of small objects; each full collection
walks every one alive (the records and their models), though none of them is
garbage while the run holds the repository. The two helpers here are the one way
the package adjusts the collector; neither changes anything when the collector is
off or objects were frozen already (by a caller embedding aimsctl).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


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
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
