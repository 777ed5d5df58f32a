"""Which repository paths are record files: YAML, not hidden, not excluded; and the
files left out only for the case of their extension."""

from __future__ import annotations

from collections.abc import Iterable

from aimsctl import globs
from aimsctl.diagnostics import Diagnostic
from aimsctl.loader.names import CONFIG_FILE, YAML_SUFFIXES, printable_path
from aimsctl.loader.reading import unreadable_file
from aimsctl.text import printable


def is_excluded(path: str, patterns: Iterable[str]) -> bool:
    """True when ``path`` or one of its parent folders matches an exclude glob."""
    return globs.excluded(path, patterns)


def select_record_paths(
    paths: Iterable[str],
    exclude: Iterable[str],
    miscased: list[str] | None = None,
    excluded_paths: list[str] | None = None,
) -> list[str]:
    """The record files among repository paths: YAML, not hidden, not excluded, sorted.

    ``miscased`` gets, sorted, the paths that would be record files but for the case
    of their extension (``R-9.YAML``, ``R-9.Yml``): they are not read, and each is
    reported (:func:`miscased_problems`) rather than silently left out.
    ``excluded_paths`` gets the YAML files ``exclude`` leaves out, which `validate`
    counts aloud.
    """
    patterns = tuple(exclude)
    records: list[str] = []
    others: list[str] = []
    for rel in paths:
        if not rel.endswith(YAML_SUFFIXES):
            if miscased is not None and _miscased(rel) and _selected(rel, patterns):
                others.append(rel)
        elif rel != CONFIG_FILE and not rel.startswith(".") and "/." not in rel:
            if not (patterns and is_excluded(rel, patterns)):
                records.append(rel)
            elif excluded_paths is not None:
                excluded_paths.append(rel)
    if miscased is not None:
        miscased.extend(sorted(others))
    return sorted(records)


def _selected(rel: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``rel`` is neither hidden nor excluded."""
    return not (rel.startswith(".") or "/." in rel or (patterns and is_excluded(rel, patterns)))


def _miscased(rel: str) -> bool:
    """Whether ``rel`` ends in .yaml or .yml in another case (not lower-case), and is
    not aims.yaml at the root so named (on a file system that ignores case, that file
    is read as aims.yaml)."""
    return (
        rel.endswith(("L", "l"))  # most files of a listing are left here, cheaply
        and rel[-5:].lower().endswith(YAML_SUFFIXES)
        and rel.lower() != CONFIG_FILE
    )


def miscased_problems(paths: Iterable[str]) -> list[Diagnostic]:
    """An AIMS008 for each file whose extension is .yaml or .yml in another case
    (``select_record_paths`` collects them): read on no system, its records would
    vanish without a word while validation passes."""
    problems = []
    for rel in paths:
        stem, _, suffix = rel.rpartition("/")[2].rpartition(".")
        problems.append(
            unreadable_file(
                printable_path(rel),
                f"file name ends in .{suffix}, so its records are not read: aimsctl reads "
                "only the lower-case extensions .yaml and .yml; rename it to "
                f"{printable(stem)}.{suffix.lower()}, or exclude it in aims.yaml",
            )
        )
    return problems
