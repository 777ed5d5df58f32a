"""The per-file cache: what parsing gave for each record file, kept between runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from aimsctl.cache.entries import SideEntry, decode_diagnostics, diagnostic_data
from aimsctl.cache.hashing import content_digest
from aimsctl.loader import ParsedFile

# When the whole-repository entry misses (one file edited among thousands), what
# parsing gave for each file is taken from a second entry of the same repository
# folder, `validate-<hash>.files.json`, instead of parsing the file again. What a
# file's parse depends on, and where each is in the key:
#
# - the file's bytes: each file's item holds a BLAKE2b digest of them, compared
#   with the bytes read in this run; its path: the item is found by path (the path
#   is in every diagnostic and document); the positions (lines and columns of the
#   documents and of the YAML problems) are counted in those bytes alone;
# - aimsctl's code (yamlsafe, loader), the YAML library that composes and Python
#   (numbers, text): the entry's key holds aimsctl's version, :func:`code_state`,
#   the versions of PyYAML and libyaml (yamlsafe.PARSER) and Python's;
# - the run's budget of values, which earlier files spend from: a parse is taken from
#   the cache only when it would not depend on it (a whole file's budget left, no
#   anchor in the text: loader.parsing._replayable), and the values it took are spent again;
# - nothing else: not aims.yaml (exclusions only choose which files are read; its
#   scales are used when records are checked, which happens afresh every run, as
#   do every rule and every position found by a rule), not the as-of date, not git's
#   history, not the files around it.
#
# The entry is JSON bound to its key by a keyed digest, read and written like the
# whole-repository entry (owner-only, no link followed, at most MAX_ENTRY_BYTES,
# counted in MAX_CACHE_BYTES); anything wrong with it means parsing every file.
# Each write keeps only the files of that run, so it holds one repository's files.
# A run that parsed (or lost) fewer than 1 in REWRITE_SHARE files keeps the entry
# as it is: a later run parses those few files again, which costs less than
# rewriting the entry for every file (at 10,000 files, 0.12 s against a few ms).

FILES_FORMAT = "aimsctl-parse-cache"
FILES_VERSION = 1


def _content_digest(rel: str, raw: bytes) -> str:
    return content_digest(raw).hexdigest()


def _parsed_data(parsed: ParsedFile) -> list[Any]:
    return [
        parsed.read,
        parsed.used,
        [list(document) for document in parsed.documents],
        [diagnostic_data(d) for d in parsed.diagnostics],
    ]


def _parsed(data: object) -> ParsedFile | None:
    """A file's parse from its item in the entry; None for anything malformed."""
    if not isinstance(data, list) or len(data) != 4:
        return None
    read, used, documents, diagnostics = data
    if (read is not None and type(read) is not int) or type(used) is not int or used < 0:
        return None
    if not isinstance(documents, list):
        return None
    out: list[tuple[int, Any, int, int]] = []
    for document in documents:
        if not isinstance(document, list) or len(document) != 4:
            return None
        index, data, line, column = document
        if type(index) is not int or type(line) is not int or type(column) is not int:
            return None
        if data is None:
            return None
        out.append((index, data, line, column))
    # Most files have no diagnostic: an empty list needs no decoding (a hit per file,
    # at 10,000 files that was a tenth of taking the parses from the entry).
    found = [] if diagnostics == [] else decode_diagnostics(diagnostics)
    if found is None:
        return None
    return ParsedFile(read, out, found, used)


class FileCache(SideEntry):
    """What parsing gave for each record file of one repository folder, by path and
    content (see the comment above); the :class:`aimsctl.loader.ParsedFiles` of a
    validation run. Load it, let the run ask and tell, then :meth:`save`."""

    FORMAT = FILES_FORMAT
    VERSION = FILES_VERSION
    SUFFIX = ".files.json"

    def __init__(
        self,
        root: Path,
        folder: Path | None = None,
        digest: Callable[[str, bytes], str] = _content_digest,
    ) -> None:
        """``digest`` gives the hex content digest of the bytes read at a path: a
        :class:`aimsctl.cache.KeyedTree`'s ``content_digest`` gives the key's, taken
        of those very bytes (at 10,000 files hashing them again took 10 ms)."""
        super().__init__(root, folder)
        self.hits = 0
        self._digest = digest

    def get(self, rel: str, raw: bytes) -> ParsedFile | None:
        item = self._loaded().get(rel)
        if not isinstance(item, list) or len(item) != 2 or item[0] != self._digest(rel, raw):
            return None
        parsed = _parsed(item[1])
        if parsed is not None:
            self._new[rel] = item
            self.hits += 1
        return parsed

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None:
        self._new[rel] = [self._digest(rel, raw), _parsed_data(parsed)]
        self._added += 1

    def knows(self, rel: str) -> bool:
        return rel in self._loaded() or rel in self._new
