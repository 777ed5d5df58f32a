"""Anchored values an alias uses, and whether an edit moves where they are written.

ruamel.yaml writes an anchored value (``on: &d 2026-10-23``) in full where it meets
it first, and an alias (``*d``) everywhere after. An edit that replaces or removes
the value at its anchor leaves the aliases holding it: ruamel.yaml then moves the
anchor to the first of them and writes the value out in full there, a line the
edit does not touch. :func:`shared_values` notes, before the edit, where each such
value is written; :func:`moved_anchors` says, after it, which of them would move.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.anchor import Anchor
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from aimsctl import yamlsafe


@dataclass(frozen=True, slots=True)
class SharedValue:
    """An anchored value that aliases use: where it is written (the container and
    key holding it, the line of its anchor) and the lines of its aliases, from 1, as
    the text has them (ruamel.yaml places an alias in a list at its anchor)."""

    value: Any
    anchor: str
    parent: Any
    key: Any
    line: int | None
    alias_lines: tuple[int, ...]


def _anchor(value: Any) -> str | None:
    """The name of ``value``'s anchor as read, or None. Read from the attribute:
    ruamel.yaml's ``anchor`` property gives a value without one an empty anchor."""
    found = getattr(value, Anchor.attrib, None)
    name = getattr(found, "value", None)
    return name if isinstance(name, str) else None


def _occurrences(documents: list[Any]) -> Iterator[tuple[int, Any, Any, Any, bool]]:
    """(document, value, container, key, first) for every value, in the order
    ruamel.yaml writes them; an alias (a value met before) is not gone into again."""
    seen: set[int] = set()
    stack: list[tuple[int, Any, Any, Any]] = [(i, d, documents, i) for i, d in enumerate(documents)]
    stack.reverse()
    while stack:
        document, value, parent, key = stack.pop()
        first = id(value) not in seen
        yield document, value, parent, key, first
        if not first:
            continue
        seen.add(id(value))
        if isinstance(value, CommentedMap):
            stack.extend(reversed([(document, v, value, k) for k, v in value.items()]))
        elif isinstance(value, CommentedSeq):
            stack.extend(reversed([(document, v, value, i) for i, v in enumerate(value)]))


def shared_values(documents: list[Any], text: str) -> list[SharedValue]:
    """Every anchored value in ``documents`` (read from ``text``) that an alias uses,
    where it is written."""
    if "*" not in text:
        return []
    firsts: dict[int, tuple[int, Any, Any, Any]] = {}
    aliased: set[int] = set()
    for document, value, parent, key, first in _occurrences(documents):
        if _anchor(value) is None:
            continue  # None, True and small numbers are one object each, anchored or not
        if first:
            firsts[id(value)] = (document, value, parent, key)
        else:
            aliased.add(id(value))
    lines = yamlsafe.anchor_lines(text)
    found = []
    for identity, (document, value, parent, key) in firsts.items():
        if identity in aliased:
            anchor = _anchor(value)
            assert anchor is not None
            # where the text has them; the alias lines only name what would be rewritten
            line, aliases = (lines[document] if document < len(lines) else {}).get(
                anchor, (None, [])
            )
            found.append(SharedValue(value, anchor, parent, key, line, tuple(aliases)))
    return found


def moved_anchors(documents: list[Any], shared: list[SharedValue]) -> list[SharedValue]:
    """Those of ``shared`` that the edited ``documents`` no longer write where they
    were written (replaced or removed there, while an alias still uses them), in the
    order of their lines."""
    firsts = {
        id(value): (parent, key)
        for _, value, parent, key, first in _occurrences(documents)
        if first and _anchor(value) is not None
    }
    moved = []
    for value in shared:
        where = firsts.get(id(value.value))
        if where is None:
            continue  # no alias uses it any more either: nothing is written out anew
        parent, key = where
        # In a list, the item's index moves when an item is put before it; it stays.
        if parent is not value.parent or (not isinstance(parent, list) and key != value.key):
            moved.append(value)
    return sorted(moved, key=lambda value: value.line or 0)


def moved_anchors_message(rel: str, moved: list[SharedValue]) -> str:
    """Why the edit is refused, in plain words: each value, its anchor, its aliases."""
    reasons = [_reason(value) for value in moved]
    if len(reasons) == 1:
        return f"{rel}: {reasons[0]}; nothing was written"
    return "\n".join(
        [
            f"{rel}: this change cannot be made without rewriting lines it does not touch; "
            "nothing was written:",
            *reasons,
        ]
    )


def _reason(moved: SharedValue) -> str:
    if isinstance(moved.parent, CommentedMap):
        what = f"`{moved.key}`"
        gone = "replacing" if moved.key in moved.parent else "removing"
    else:
        what, gone = "the list item", "changing"
    at = f" at line {moved.line}" if moved.line is not None else ""
    lines = sorted(set(moved.alias_lines))
    if not lines:
        uses, rewritten, there = "an alias uses", "the alias's line", "at the alias"
    elif len(lines) == 1:
        uses, rewritten, there = f"which line {lines[0]} uses", "that line", "there"
    else:
        # ruamel.yaml writes the value at the first alias; the others stay aliases
        listed = ", ".join(str(line) for line in lines[:-1]) + f" and {lines[-1]}"
        uses, rewritten, there = f"which lines {listed} use", f"line {lines[0]}", "at each"
    return (
        f"{what}{at} carries the anchor &{moved.anchor}, {uses} (*{moved.anchor}): {gone} "
        f"it would rewrite {rewritten}; write the value out in full {there} instead of "
        f"*{moved.anchor} first"
    )
