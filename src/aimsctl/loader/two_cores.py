"""Files parsed ahead by two worker processes, when there are enough of them."""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator

from aimsctl.diagnostics import Diagnostic
from aimsctl.loader.memo import ParseMemo
from aimsctl.loader.parsing import ParsedFile, ParsedFiles, parse_bytes
from aimsctl.loader.sources import FileSource

# Below this many files to parse, two workers save less than starting them and
# sending their results back costs (docs/performance.md has the figures).
MIN_FILES_ON_TWO_CORES = 2_000
_FILES_PER_TASK = 64
# Tasks whose parses are held before the load asks for them: enough that the load
# seldom waits for the workers, few enough that little is held.
_TASKS_AHEAD = 4


class _ParsedByWorkers:
    """The parses two worker processes make during a load, in front of ``cache``:
    a file is taken from them only for the very bytes they parsed, and only where
    :func:`cached_parse` may take a stored parse (each was made with a whole
    file's budget, as a cache's are); what they parsed is stored in ``cache``.

    Each task's parses are received when the load first asks for one of its files
    (``results`` gives them in task order, the workers making the next meanwhile),
    so what the load builds from a file and lets go (its data, once its record is
    built) is not held beside every other file's parse."""

    def __init__(
        self,
        cache: ParsedFiles | None,
        task_of: dict[str, int],
        results: Iterator[dict[str, tuple[bytes, ParsedFile]]],
    ):
        self.cache = cache
        self.task_of = task_of  # the task parsing each file not asked for yet
        self.results = results
        self.received = 0  # tasks whose parses were received
        self.made: dict[str, tuple[bytes, ParsedFile]] = {}  # received, not asked for

    def get(self, rel: str, raw: bytes) -> ParsedFile | None:
        found = self.cache.get(rel, raw) if self.cache is not None else None
        task = self.task_of.pop(rel, None)  # a load asks once for each file
        while task is not None and self.received <= task:
            self.made.update(next(self.results))
            self.received += 1
        made = self.made.pop(rel, None)
        if found is None and made is not None and made[0] is raw:
            found = made[1]
            if self.cache is not None:
                self.cache.put(rel, raw, found)
        return found

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None:
        if self.cache is not None:
            self.cache.put(rel, raw, parsed)

    def knows(self, rel: str) -> bool:
        return (
            rel in self.task_of
            or rel in self.made
            or (self.cache is not None and self.cache.knows(rel))
        )


@contextlib.contextmanager
def parsed_on_two_cores(
    source: FileSource, paths: list[str], cache: ParsedFiles | None, memo: ParseMemo | None
) -> Iterator[ParsedFiles | None]:
    """``cache``, with the files it does not know parsed by two workers in front of
    it when there are enough of them (see :mod:`aimsctl.workers`), for the block:
    the workers are ended when it ends."""
    from aimsctl import workers

    wanted: list[tuple[str, bytes]] = []
    for rel in paths:
        if cache is not None and cache.knows(rel):
            continue
        raw, _ = source.read(rel)  # kept by the source: the load reads these bytes
        if raw is None or b"&" in raw:  # an anchor's aliases spend the run's budget
            continue
        if memo is None or (rel, raw) not in memo.files:
            wanted.append((rel, raw))
    tasks = [wanted[n : n + _FILES_PER_TASK] for n in range(0, len(wanted), _FILES_PER_TASK)]
    if not workers.worth_it(len(wanted), MIN_FILES_ON_TWO_CORES, len(tasks)):
        yield cache
        return

    def parse(number: int) -> tuple[bytes, list[tuple[str, int | None, list[Diagnostic], int]]]:
        """One task's parses: the documents packed as plain data, which keeps which
        texts were interned (field names, short values), so the load shares them as a
        parse in its own process does; the rest of each parse beside it."""
        found = [(rel, parse_bytes(rel, raw, None)[1]) for rel, raw in tasks[number]]
        documents = workers.pack([parsed.documents for _, parsed in found])
        return documents, [(rel, p.read, p.diagnostics, p.used) for rel, p in found]

    def received() -> Generator[dict[str, tuple[bytes, ParsedFile]], None, None]:
        made = workers.made(parse, len(tasks), True, lambda: None, ahead=_TASKS_AHEAD)
        with contextlib.closing(made):
            for number, (documents, parts) in enumerate(made):
                raws = dict(tasks[number])
                yield {
                    rel: (raws[rel], ParsedFile(read, each, diagnostics, used))
                    for (rel, read, diagnostics, used), each in zip(
                        parts, workers.unpack(documents), strict=True
                    )
                }

    task_of = {rel: n // _FILES_PER_TASK for n, (rel, _) in enumerate(wanted)}
    results = received()
    try:
        yield _ParsedByWorkers(cache, task_of, results)
    finally:
        results.close()  # the workers are ended with it
