"""Every text of a record as written, for rules that look at wording, not fields."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from aimsctl.loader import Document
from aimsctl.text import as_shown
from aimsctl.vocabulary import PLACEHOLDER

if TYPE_CHECKING:
    from aimsctl.repository import Repository

Parts = tuple[str | int, ...]


def record_texts(value: Any, parts: Parts = ()) -> Iterator[tuple[Parts, bool, str]]:
    """(where, whether it is a field name, the text) for every key and string value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*parts, key), True, str(key)
            yield from record_texts(item, (*parts, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from record_texts(item, (*parts, index))
    elif isinstance(value, str):
        yield parts, False, value


def texts_holding(
    repo: Repository, written: Callable[[bytes], bool]
) -> Iterator[tuple[str, Parts, bool, str]]:
    """(record id, where, whether a field name, the text) for every text of the records
    whose file may hold what a rule looks for (``written``: see :func:`may_hold`); the
    records of the other files are not walked."""
    for record_id, entry in repo.entries.items():
        if may_hold(entry.document, written):
            for parts, is_key, text in record_texts(entry.document.data):
                yield record_id, parts, is_key, text


def non_ascii_texts(repo: Repository) -> list[tuple[str, Parts, bool, str]]:
    """The texts outside ASCII of every record, as :func:`texts_holding` gives them: what
    the rules for characters look at (each character they look for is outside ASCII).
    Where most records hold such a text (names with accents, a language other than
    English), walking every record cost each of three rules as much again, so the walk
    is made once for the repository last asked about."""
    if _NON_ASCII.repo is None or _NON_ASCII.repo() is not repo:
        _NON_ASCII.texts = [
            found for found in texts_holding(repo, non_ascii) if not found[3].isascii()
        ]
        _NON_ASCII.repo = weakref.ref(repo)  # never keeps a repository alive
    return _NON_ASCII.texts


class _Walked:
    """The texts outside ASCII of the repository last walked."""

    def __init__(self) -> None:
        self.repo: weakref.ref[Repository] | None = None
        self.texts: list[tuple[str, Parts, bool, str]] = []


_NON_ASCII = _Walked()


def may_hold(document: Document, written: Callable[[bytes], bool]) -> bool:
    """Whether the texts of a document can hold what a rule looks for, judged from its
    file's bytes (UTF-8: a text holds a character or word exactly when its bytes hold
    its encoding): ``written(raw)`` says whether the file holds it as written. Only an
    escape of a double-quoted string (a backslash) writes a character that the file
    does not hold literally, so without one, ``written`` is the whole answer; walking
    every text of every record is what costs (a quarter of a cold run). The documents
    of a file of many records ask a question of its bytes once between them."""
    raw = document.source.raw
    if document.index == 0:  # a file of one record (most): nothing to keep
        return escaped(raw) or written(raw)
    return _LAST_FILE.asks(raw, escaped) or _LAST_FILE.asks(raw, written)


class _Answers:
    """What a question asked of the file of several records met last answered. Its
    documents come one after another, and asking each question of the whole file
    for each of them took a time quadratic in the file's records. One file's answers
    are kept, not a table on every file (a repository of one record per file would
    hold 50,000 of them at the memory target)."""

    def __init__(self) -> None:
        self.raw: bytes | None = None  # held, so no other bytes can take its identity
        self.answers: dict[Callable[[bytes], bool], bool] = {}

    def asks(self, raw: bytes, question: Callable[[bytes], bool]) -> bool:
        if raw is not self.raw:
            self.raw, self.answers = raw, {}
        answer = self.answers.get(question)
        if answer is None:
            answer = self.answers[question] = question(raw)
        return answer


_LAST_FILE = _Answers()


def escaped(raw: bytes) -> bool:
    """Whether a file holds a backslash (only an escape writes a character that the
    file does not hold literally)."""
    return b"\\" in raw


def non_ascii(raw: bytes) -> bool:
    """Whether a file holds a character outside ASCII (every bidi control is one)."""
    return not raw.isascii()


_MARKER = PLACEHOLDER.encode()


def placeholder_marker(raw: bytes) -> bool:
    """Whether a file holds the placeholder marker (it has no space or line break, so
    no folding of lines can split it)."""
    if _MARKER in raw:
        return True
    # The marker with a character that shows as nothing in it (`T\u00adODO:`) is one.
    return not raw.isascii() and PLACEHOLDER in as_shown(raw.decode("utf-8", "replace"))


def read_by_text_rules(document: Document) -> bool:
    """Whether AIMS009 or AIMS107 will read the texts of this document: validation
    keeps the data of these documents and lets the others go once checked."""
    return may_hold(document, non_ascii) or may_hold(document, placeholder_marker)
