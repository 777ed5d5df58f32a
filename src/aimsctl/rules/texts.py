"""Every text of a record as written, for rules that look at wording, not fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
