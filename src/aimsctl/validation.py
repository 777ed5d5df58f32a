"""Validate a working tree: the rule engine behind the cache, and narrowing to changes.

What `aimsctl validate` does once its options are parsed; the result goes to an
output format of :mod:`aimsctl.outputs.validation`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from aimsctl.cache import ResultCache, fingerprint
from aimsctl.diagnostics import ValidationResult
from aimsctl.engine import run
from aimsctl.loader import CONFIG_FILE, WorkingTree, printable_path
from aimsctl.repository import load_repository


def check(root: Path, as_of: date, use_cache: bool) -> ValidationResult:
    """Validate the working tree at root, reusing the cached result when nothing changed."""
    source = WorkingTree(root)
    if not use_cache:
        return run(load_repository(root, as_of, source=source))
    cache = ResultCache(root)
    key = fingerprint(source, as_of)
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = run(load_repository(root, as_of, source=source))
    cache.put(key, result)
    return result


def only_paths(result: ValidationResult, changed: set[str]) -> ValidationResult:
    """The result restricted to ``changed`` files and the repository-wide aims.yaml.

    The whole repository was checked (references resolve against every record);
    only the reporting narrows, and the error and warning counts with it.
    """
    # Diagnostics name a file whose name is not UTF-8 by its printable form.
    keep = {printable_path(path) for path in changed} | {CONFIG_FILE}
    return replace(
        result,
        diagnostics=[d for d in result.diagnostics if d.path in keep],
        waived=[d for d in result.waived if d.path in keep],
        paths=[path for path in result.paths if path in keep],
    )
