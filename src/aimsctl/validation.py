"""Validate a working tree: the rule engine, behind the cache.

What `aimsctl validate` does once its options are parsed; the result goes to an
output format of :mod:`aimsctl.outputs.validation`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aimsctl.cache import KeyedTree, ResultCache, probes
from aimsctl.diagnostics import ValidationResult
from aimsctl.engine import run
from aimsctl.loader import WorkingTree
from aimsctl.repository import load_repository


def check(root: Path, as_of: date, use_cache: bool) -> ValidationResult:
    """Validate the working tree at root, reusing the cached result when nothing changed.

    A cached answer is always the one ``use_cache=False`` gives: the key covers the
    repository, and the paths the records cite are checked again before it is used
    (see :mod:`aimsctl.cache`).
    """
    cache = ResultCache(root) if use_cache else None
    if cache is None or cache.path is None:
        return run(load_repository(root, as_of, source=WorkingTree(root)))
    source = KeyedTree(root)
    key = source.key(as_of)
    cached = cache.get(key)
    if cached is not None:
        return cached
    repo = load_repository(root, as_of, source=source)
    result = run(repo)
    if source.unchanged():
        cache.put(key, result, probes(repo))
    return result
