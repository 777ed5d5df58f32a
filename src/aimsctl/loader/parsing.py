"""A file's bytes parsed into documents and problems, or taken from a per-file cache
where the parse does not depend on what earlier files spent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from aimsctl import codes, yamlsafe
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.loader.documents import Document, SourceFile


def _problem(path: str, problem: yamlsafe.Problem) -> Diagnostic:
    return Diagnostic(
        problem.code,
        Severity.ERROR,
        problem.message,
        path,
        problem.line,
        problem.column,
        problem.record,
    )


def parse_file(
    rel: str, raw: bytes, budget: yamlsafe.Budget | None = None
) -> tuple[list[Document], list[Diagnostic]]:
    """The documents of one file and the problems met reading them.

    ``budget`` is what is left of the run's budget of values, which this file
    spends from (None: the file's own limits only).
    """
    text, parsed = parse_bytes(rel, raw, budget)
    return _documents(rel, raw if text is not None else None, parsed), parsed.diagnostics


@dataclass(slots=True)
class ParsedFile:
    """What parsing one file's bytes gave, in plain data: what a per-file cache keeps
    (:class:`aimsctl.cache.FileCache`). It depends on the file's path and bytes alone
    when the file was parsed with the whole of a file's budget of values and holds no
    anchor (see :func:`_replayable`)."""

    read: int | None  # documents composed (SourceFile.documents)
    documents: list[tuple[int, Any, int, int]]  # index, data, line, column
    diagnostics: list[Diagnostic]
    used: int  # values the parse took from the run's budget


def parse_bytes(
    rel: str, raw: bytes, budget: yamlsafe.Budget | None
) -> tuple[str | None, ParsedFile]:
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        return None, ParsedFile(None, [], [_problem(rel, problem)], 0)
    return text, _parse_text(rel, text, budget)


def _parse_text(rel: str, text: str, budget: yamlsafe.Budget | None) -> ParsedFile:
    run = budget if budget is not None else yamlsafe.Budget()
    before = run.values
    parsed = yamlsafe.parse(text, run)
    diagnostics = [_problem(rel, p) for p in parsed.problems]
    documents = [
        (d.index, d.data, d.line, d.column)
        for d in parsed.documents
        if d.data is not None  # an empty document, e.g. after a trailing `---`
    ]
    if not documents and not diagnostics:
        diagnostics.append(
            Diagnostic(
                codes.NOT_A_RECORD,
                Severity.ERROR,
                "file holds no record; add one or exclude the file in aims.yaml",
                rel,
                1,
                1,
            )
        )
    return ParsedFile(parsed.read, documents, diagnostics, before - run.values)


def _documents(rel: str, raw: bytes | None, parsed: ParsedFile) -> list[Document]:
    """The documents of a parse; none when ``raw`` (the file's bytes) was not text."""
    if raw is None:
        return []
    source = SourceFile(rel, raw, parsed.read)
    return [Document(source, *document) for document in parsed.documents]


def _replayable(text: str, budget: yamlsafe.Budget) -> bool:
    """Whether parsing ``text`` with ``budget`` gives what it gives with a fresh budget,
    so a per-file cache may stand in for the parse: the run's budget still holds a
    whole file's values (so the file's own limit applies, as in a fresh run) and the
    text has no anchor (so no alias spends from the run's budget of aliased values,
    which earlier files may have used)."""
    return _whole_budget(budget) and "&" not in text


def _whole_budget(budget: yamlsafe.Budget) -> bool:
    return budget.values >= yamlsafe.MAX_FILE_VALUES and not budget.spent


class ParsedFiles(Protocol):
    """A per-file cache of parses, keyed by a file's path and bytes."""

    def get(self, rel: str, raw: bytes) -> ParsedFile | None: ...

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None: ...

    def knows(self, rel: str) -> bool:
        """Whether it holds a parse of some bytes of ``rel`` (no side effect)."""
        ...


def cached_parse(
    rel: str, raw: bytes, budget: yamlsafe.Budget, cache: ParsedFiles
) -> tuple[list[Document], list[Diagnostic]]:
    """A file's documents and problems from ``cache`` when it holds them and the parse
    would not depend on the budget; else parsed, and stored when it may be replayed.

    The cache is asked before the bytes are decoded: it is asked exactly when
    :func:`_replayable` holds of the text (an anchor's ``&`` is that one byte in UTF-8,
    and in no other character's bytes), and a parse of text (``read`` set) was made of
    these very bytes, which therefore decode to that text: decoding them again (14 ms
    at 10,000 files) would change nothing. A parse without ``read`` (bytes that did
    not decode, from the workers) is not taken here: the bytes are decoded as usual.
    """
    whole = _whole_budget(budget)
    found = cache.get(rel, raw) if whole and b"&" not in raw else None
    if found is not None and found.read is not None and found.used <= budget.values:
        budget.values -= found.used
        return _documents(rel, raw, found), list(found.diagnostics)
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        return [], [_problem(rel, problem)]
    replayable = _replayable(text, budget)
    parsed = _parse_text(rel, text, budget)
    # Stored only when the parse did not run out of the run's budget (it cannot, given
    # a whole file's budget) and was not clamped at zero: then a replay subtracts
    # exactly what parsing again would.
    if replayable and not budget.spent and budget.values > 0:
        cache.put(rel, raw, parsed)
    return _documents(rel, raw, parsed), parsed.diagnostics
