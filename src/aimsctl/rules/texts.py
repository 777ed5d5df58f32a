"""Every text of a record as written, for rules that look at wording, not fields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aimsctl.loader import Document

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


def may_hold(document: Document, written: Callable[[str], bool]) -> bool:
    """Whether the texts of a document can hold what a rule looks for, judged from its
    file's text: ``written(text)`` says whether the file holds it as written. Only an
    escape of a double-quoted string (a backslash) writes a character that the file
    does not hold literally, so without one, ``written`` is the whole answer; walking
    every text of every record is what costs (a quarter of a cold run)."""
    text = document.source.text
    return "\\" in text or written(text)
