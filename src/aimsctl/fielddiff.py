"""The generic field diff: which values differ between two versions of plain data.

Used by `aimsctl diff` (a record at two revisions, aims.yaml at two revisions)
and by `aimsctl log` (a record before and after each commit). The data is what
YAML or ``model_dump(mode="json")`` gives: dicts, lists, strings, numbers,
booleans, None and dates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aimsctl.diagnostics import pointer_of
from aimsctl.text import (
    clipped,
    cluster_boundary,
    composition_change,
    lookalike_key,
    lookalikes_told_apart,
)


def same(a: Any, b: Any) -> bool:
    """Equality of plain data that tells ``true`` from ``1`` and ``1`` from ``1.0``."""
    if a is b:  # records parsed once for both sides of a diff are the same object
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def jsonable(value: Any) -> Any:
    """Plain data that ``json.dumps`` writes as valid JSON (string keys, finite numbers)."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def value_text(value: Any, width: int) -> str:
    """A field value on one line: JSON, cut to ``width`` characters (between visible
    characters); absent is `(none)`."""
    if value is None:
        return "(none)"
    text = json.dumps(jsonable(value), ensure_ascii=False)
    return clipped(text, width)


def pair_text(before: Any, after: Any, width: int) -> tuple[str, str]:
    """Both sides of a change, each on one line of at most ``width`` characters. Cut
    at their start, two long values that begin alike read the same (a purpose with a
    clause added at its end): each is then shown from a little before the first
    character where they differ, so that what changed is in sight. Two that read the
    same (a non-breaking hyphen for a hyphen, a Cyrillic letter for a Latin one) show
    those characters as escapes, or the change could not be seen."""
    if before is None or after is None:
        return value_text(before, width), value_text(after, width)
    texts = [json.dumps(jsonable(value), ensure_ascii=False) for value in (before, after)]
    if texts[0] != texts[1] and lookalike_key(texts[0]) == lookalike_key(texts[1]):
        texts = list(lookalikes_told_apart(*texts))
    if all(len(text) <= width for text in texts):
        return texts[0], texts[1]
    same = next(
        (i for i, (a, b) in enumerate(zip(*texts, strict=False)) if a != b),
        min(len(text) for text in texts),
    )
    lead = max(0, same - width // 3) if same >= width - 1 else 0
    return _window(texts[0], lead, width), _window(texts[1], lead, width)


def recomposed(before: Any, after: Any) -> str:
    """``same text, Unicode composition changed: decomposed -> composed`` when the
    two values differ only in how their accents are written (both sides would show
    the same), else ""."""
    if before is None or after is None:
        return ""
    texts = [json.dumps(jsonable(value), ensure_ascii=False) for value in (before, after)]
    change = composition_change(*texts)
    return f"same text, Unicode composition changed: {change}" if change else ""


def pair_line(before: Any, after: Any, width: int) -> str:
    """A change on one line, ``before -> after`` (:func:`pair_text`); a change of
    Unicode composition alone as the value once, and that change in words."""
    said = recomposed(before, after)
    if said:
        return f"{value_text(after, width)} ({said})"
    return " -> ".join(pair_text(before, after, width))


def _window(text: str, lead: int, width: int) -> str:
    """``text`` from character ``lead`` on (an ellipsis for what is left out before
    it), cut to ``width`` characters; both cuts fall between visible characters."""
    lead = cluster_boundary(text, lead)
    shown, room = (text[lead:], width - 1) if lead else (text, width)
    return ("…" if lead else "") + clipped(shown, room)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value that differs: an RFC 6901 pointer into the record, before and after.

    An absent field is ``None`` on that side. A list whose length changed is one
    change of the whole list; lists of the same length are compared item by item.
    """

    pointer: str
    before: Any
    after: Any
    parts: tuple[str | int, ...] = field(default=(), compare=False, repr=False)

    def as_written(self, before: Any, after: Any) -> FieldChange:
        """This change with each side's value as the file writes it (a level's label
        rather than its number), taken from the raw documents where the field is there;
        as it is where both sides write the same (`Likely`, a label aims.yaml moved to
        another level): the levels it names are what changed."""
        written = (
            _value_at(before, self.parts, self.before),
            _value_at(after, self.parts, self.after),
        )
        if type(written[0]) is type(written[1]) and written[0] == written[1]:
            return self
        return FieldChange(self.pointer, written[0], written[1], self.parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "before": jsonable(self.before),
            "after": jsonable(self.after),
        }


def field_changes(before: Any, after: Any) -> list[FieldChange]:
    """The changes that turn ``before`` into ``after``, in document order."""
    changes: list[FieldChange] = []
    _walk(before, after, (), changes)
    return changes


def own_changes(before: Any, after: Any, others: Sequence[Any] = ()) -> list[FieldChange]:
    """The changes from ``before`` to ``after`` whose new value none of ``others`` has.

    For a merge (``before`` its first parent's version, ``others`` its other parents'):
    a value the merge took from a parent is that parent's history, not the merge's
    change. Field by field, as git's combined diff is line by line.
    """
    return [
        change
        for change in field_changes(before, after)
        if not any(same(_value_at(other, change.parts, None), change.after) for other in others)
    ]


def _walk(before: Any, after: Any, parts: tuple[str | int, ...], out: list[FieldChange]) -> None:
    if same(before, after):
        return
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*before, *(key for key in after if key not in before)]
        for key in keys:
            _walk(before.get(key), after.get(key), (*parts, key), out)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            _walk(old, new, (*parts, index), out)
        return
    out.append(FieldChange(pointer_of(parts), before, after, parts))


def readable(change: FieldChange) -> list[FieldChange]:
    """A change as the lines text shows people (`log`, `diff` and its comment): a
    mapping added or removed whole (an effectiveness review, an approval) value by
    value, and items added to or removed from the end of a list (a tag, an action, a
    finding) item by item, rather than the whole value cut to the width of a line.
    The JSON keeps the change as it is."""
    before, after, parts = change.before, change.after, change.parts
    if not parts:
        return [change]
    old = [] if before is None and isinstance(after, list) else before
    new = [] if after is None and isinstance(before, list) else after
    if isinstance(old, list) and isinstance(new, list):
        kept = min(len(old), len(new))
        if all(same(x, y) for x, y in zip(old[:kept], new[:kept], strict=True)):
            lines = [
                leaf
                for index in range(kept, max(len(old), len(new)))
                for leaf in _leaves(
                    (*parts, index),
                    old[index] if index < len(old) else None,
                    new[index] if index < len(new) else None,
                )
            ]
            if lines:
                return lines
    return _leaves(parts, before, after)


def _leaves(parts: tuple[str | int, ...], before: Any, after: Any) -> list[FieldChange]:
    """A mapping added or removed whole, one change per value inside it."""
    value = after if before is None else before
    if (before is None or after is None) and isinstance(value, dict):
        lines = [
            leaf
            for key, item in value.items()
            if item is not None  # null is absent: nothing to show
            for leaf in _leaves(
                (*parts, key),
                None if before is None else item,
                None if after is None else item,
            )
        ]
        if lines:
            return lines
    return [FieldChange(pointer_of(parts), before, after, parts)]


def _value_at(data: Any, parts: tuple[str | int, ...], default: Any) -> Any:
    """The value at ``parts`` inside plain data, or ``default`` when it is not there."""
    for part in parts:
        found = isinstance(data, dict) and part in data
        found = found or (isinstance(data, list) and isinstance(part, int) and part < len(data))
        if not found:
            return default
        data = data[part]
    return data
