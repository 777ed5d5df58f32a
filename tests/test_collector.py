"""`collector`: the cycle collector adjusted while modules load, left as it was after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from aimsctl import collector


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


def test_a_collector_switched_off_stays_off(collecting: None) -> None:
    gc.disable()
    with collector.importing():
        _Made()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
