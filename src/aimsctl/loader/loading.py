"""load_files(): every file's documents and problems, within the run's budget of
values."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aimsctl import codes, progress, yamlsafe
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.loader.documents import Document, LoadedFiles
from aimsctl.loader.memo import ParseMemo
from aimsctl.loader.names import printable_path
from aimsctl.loader.parsing import ParsedFiles, cached_parse, parse_file
from aimsctl.loader.reading import unreadable_file
from aimsctl.loader.sources import FileSource
from aimsctl.loader.two_cores import parsed_on_two_cores


def _not_read(rel: str, spent_in: str) -> Diagnostic:
    """The diagnostic of a file left unread because the run's budget ran out."""
    return Diagnostic(
        codes.YAML_LIMITS,
        Severity.ERROR,
        f"file not read: the files read before it hold more than {yamlsafe.MAX_RUN_VALUES} "
        f"values in all, counted with aliases expanded, the most one run reads (the limit "
        f"was reached in {spent_in}); exclude generated or oversized files in aims.yaml, "
        "or remove aliases",
        rel,
        1,
        1,
    )


def load_files(
    source: FileSource,
    paths: Iterable[str],
    memo: ParseMemo | None = None,
    cache: ParsedFiles | None = None,
    two_cores: bool = False,
    then: Callable[[list[Document]], object] | None = None,
) -> LoadedFiles:
    """Every file's documents and the problems met reading them.

    Files are read until the run's budget of values (``memo.budget``, or the load's
    own) runs out; each file after that gets one AIMS006 and is not parsed.
    ``cache`` stands in for parsing a file whose bytes it has seen, where the
    parse would not depend on what earlier files spent (:func:`_replayable`).
    With ``two_cores``, the files neither ``cache`` nor ``memo`` holds are parsed
    ahead by two workers where there are enough of them; their parses are then
    taken exactly as a cache's are, so the result is the same. ``then`` is called
    with each file's documents as soon as they are read, in the order of ``paths``
    (to build what a load builds from them while the next files are parsed).
    """
    paths = list(paths)
    if not two_cores:
        return _loaded(source, paths, memo, cache, then)
    with parsed_on_two_cores(source, paths, cache, memo) as parsed:
        return _loaded(source, paths, memo, parsed, then)


def _loaded(
    source: FileSource,
    paths: list[str],
    memo: ParseMemo | None,
    cache: ParsedFiles | None,
    then: Callable[[list[Document]], object] | None,
) -> LoadedFiles:
    loaded = LoadedFiles()
    run = memo if memo is not None else ParseMemo()
    for rel in progress.each("Reading records", paths):
        shown = printable_path(rel)
        loaded.paths.append(shown)
        if shown != rel:
            loaded.diagnostics.append(
                unreadable_file(
                    shown,
                    "file name is not valid UTF-8, so the file is not read; rename it "
                    "using UTF-8 characters",
                )
            )
            continue
        if run.spent_in is not None and memo is None:
            loaded.diagnostics.append(_not_read(rel, run.spent_in))
            continue
        raw, error = source.read(rel)
        if raw is None:
            assert error is not None
            loaded.diagnostics.append(error)
            continue
        if memo is not None and (rel, raw) in memo.files:
            documents, diagnostics = memo.files[rel, raw]
        elif run.spent_in is not None:
            loaded.diagnostics.append(_not_read(rel, run.spent_in))
            continue
        elif cache is not None:
            documents, diagnostics = cached_parse(rel, raw, run.budget, cache)
            if run.budget.spent:
                run.spent_in = rel
            if memo is not None:
                memo.files[rel, raw] = documents, diagnostics
        else:
            documents, diagnostics = parse_file(rel, raw, run.budget)
            if run.budget.spent:
                run.spent_in = rel
            if memo is not None:
                memo.files[rel, raw] = documents, diagnostics
        loaded.documents.extend(documents)
        loaded.diagnostics.extend(diagnostics)
        if then is not None:
            then(documents)
    return loaded
