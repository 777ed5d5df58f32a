"""Validate a working tree: the rule engine, behind the cache.

What `aimsctl validate` does once its options are parsed; the result goes to an
output format of :mod:`aimsctl.outputs.validation`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl import collector
from aimsctl.diagnostics import ValidationResult
from aimsctl.errors import ConfigError, UsageError
from aimsctl.links import link_not_read
from aimsctl.loader import CONFIG_FILE, YAML_SUFFIXES, Document, WorkingTree

if TYPE_CHECKING:  # the caches are imported where they are used: not by --no-cache
    from aimsctl.cache import FileCache, HistoryCache
    from aimsctl.repository import Repository


def _checked(
    root: Path,
    as_of: date,
    source: WorkingTree,
    parsed: FileCache | None = None,
    history: HistoryCache | None = None,
) -> tuple[ValidationResult, dict[str, str]]:
    """Load and check the repository: the record models and rules are imported only
    here, so a cached answer is given without the cost of building them. With the
    caches, also the state of the paths the records cite (:func:`probes`), taken
    before the rules read them: an edit made while they run then shows when the
    cached answer is checked, instead of being recorded as what the answer saw."""
    with collector.importing():  # pydantic, the record models and the rules
        from aimsctl.engine import run
        from aimsctl.repository import load_repository

    # The records are alive until the answer is out, so a collection would walk them
    # all and free nothing: they are frozen once built, before the probes (which sort
    # every record by id: at 10,000 records one full collection there took 0.15 s).
    with collector.built_then_frozen() as built:
        repository = load_repository(
            root, as_of, source=source, parsed=parsed, release=_unread_after_check, two_cores=True
        )
        built()
        repository.history_memo = history  # outside git, Repository.history imports no git
        checked = probes(repository) if parsed is not None else {}
        collector.keep_to_exit(repository)  # not freed record by record once answered
        return run(repository), checked


def probes(repository: Repository) -> dict[str, str]:
    """:func:`aimsctl.cache.probes`, the cache imported only by a run that uses it."""
    from aimsctl.cache import probes as taken

    return taken(repository)


def _unread_after_check(document: Document) -> bool:
    """Whether nothing in validation reads a valid record's data once it is built
    (only the rules reading every text do, and they skip most files)."""
    from aimsctl.rules.texts import read_by_text_rules

    return not read_by_text_rules(document)


def check(root: Path, as_of: date, use_cache: bool) -> ValidationResult:
    """Validate the working tree at root, reusing the cached result when nothing changed.

    A cached answer is always the one ``use_cache=False`` gives: the key covers the
    repository, and the paths the records cite are checked again before it is used
    (see :mod:`aimsctl.cache`). When the repository changed, files whose bytes did
    not are not parsed again (:class:`aimsctl.cache.FileCache`), nor are committed
    files read for the dates taken from git (:class:`aimsctl.cache.HistoryCache`);
    records are checked and rules run as on a cold run.
    """
    if not use_cache:
        return _checked(root, as_of, WorkingTree(root))[0]
    from aimsctl.cache import FileCache, HistoryCache, KeyedTree, ResultCache

    cache = ResultCache(root)
    if cache.path is None:
        return _checked(root, as_of, WorkingTree(root))[0]
    source = KeyedTree(root)
    key = source.key(as_of)
    cached = cache.get(key)
    if cached is not None:
        return cached
    files, history = FileCache(root, digest=source.content_digest), HistoryCache(root)
    result, checked = _checked(root, as_of, source, files, history)
    files.save()  # first: an eviction by the result's write may then only take them
    history.save()
    if source.unchanged():
        cache.put(key, result, checked)
    return result


def check_staged(root: Path, as_of: date, use_cache: bool) -> ValidationResult:
    """Validate what the next commit will hold below ``root``: git's index, not the
    working tree (what a pre-commit hook must judge).

    A file deleted and staged is gone even if it is still on disk; an untracked
    draft is not read; a file edited but not staged is read as staged. YAML and
    CSV files are read from git's objects; every other staged path (evidence) is
    listed, so that a record citing it finds it. Raises GitError outside a git work
    tree and UsageError (exit 2) when no aims.yaml is staged.

    With ``use_cache``, a staged file whose bytes were parsed before (by this or a
    working-tree run: :class:`aimsctl.cache.FileCache` matches by content) is not
    parsed again, nor is a committed file read again for the dates taken from git
    (:class:`aimsctl.cache.HistoryCache`); the rest are parsed, on two cores when
    there are enough.
    """
    with collector.importing():  # the models and rules (imported by changed): see _checked
        from aimsctl import gitio  # GitPython is loaded only by the commands that read git
        from aimsctl.cache import FileCache, HistoryCache
        from aimsctl.changed import STAGED_CONFLICT, BaseTree

    # Git's index read and the records loaded are kept to the end (see _checked).
    with collector.built_then_frozen() as built:
        unchecked: list[str] = []
        links: dict[str, str] = {}
        conflicted: dict[str, bytes] = {}  # each with its sides' bytes
        ids: dict[str, str] = {}  # the blob of each file read, which the history reads
        empty: set[str] = set()  # files with no bytes (evidence nobody filled in)
        files, paths = gitio.read_index(
            root, (*YAML_SUFFIXES, ".csv"), unchecked, links, conflicted, ids, empty
        )
        if CONFIG_FILE in conflicted:
            raise ConfigError(STAGED_CONFLICT, line=None)
        if CONFIG_FILE not in files and CONFIG_FILE in links:
            raise ConfigError(link_not_read(CONFIG_FILE, links), line=None)
        if CONFIG_FILE not in files:
            raise UsageError(
                f"no {CONFIG_FILE} staged in {root}: `git add {CONFIG_FILE}` first, "
                "or validate the working tree without --staged"
            )
        from aimsctl.engine import run
        from aimsctl.repository import load_repository

        parsed = FileCache(root) if use_cache else None
        repository = load_repository(
            root,
            as_of,
            source=BaseTree(files, paths, unchecked, links, conflicted, root, empty),
            parsed=parsed,
            release=_unread_after_check,
            two_cores=True,
        )
        built()
        repository.history_from_git = True  # dates of records come from the commits made
        repository.history_tree = files  # and what the index holds is the change not committed
        repository.staged = True
        repository.history_tree_ids = ids
        history = HistoryCache(root) if use_cache else None
        repository.history_memo = history
        collector.keep_to_exit(repository)
        result = run(repository)
    if parsed is not None and history is not None:
        parsed.save()
        history.save()
    return result


def source_prefix(root: Path) -> str | None:
    """Where ``root`` lies in its git work tree: "" at its top, else "dir/" (what SARIF,
    JUnit and GitHub annotations put in front of repository paths); None outside git."""
    from aimsctl import gitio

    prefix = gitio.work_tree_prefix(root)
    return None if prefix is None else f"{prefix}/" if prefix else ""
