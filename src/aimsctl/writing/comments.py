"""Edits to round-trip documents that keep the comments a person wrote in their
place: a field set (:func:`set_field`), a document put first (:func:`insert_first`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from aimsctl.writing.refused import WriteRefused
from aimsctl.writing.yaml_round_trip import is_flow, to_round_trip


def _split_tail(value: str) -> tuple[str, str]:
    """A comment token's text split into what ends the line and what follows it (full
    comment lines and blank lines, which stand above the next key)."""
    line_end = value.find("\n")
    if line_end < 0:
        return value, ""
    return value[: line_end + 1], value[line_end + 1 :]


def _last_item(node: Any) -> tuple[Any, Any] | None:
    """The container and key whose comment token ends ``node`` when it is dumped."""
    if isinstance(node, CommentedMap) and len(node) and not node.fa.flow_style():
        key = list(node)[-1]
        return _last_item(node[key]) or (node, key)
    if isinstance(node, CommentedSeq) and len(node) and not node.fa.flow_style():
        return _last_item(node[-1]) or (node, len(node) - 1)
    return None


def _tail_of(container: Any, key: Any, column: int) -> str:
    """Detach and return the comment lines standing after ``container[key]`` above the
    next key of a mapping whose keys start at ``column``. Comment lines indented deeper,
    straight after the item, belong to the block that ends there and stay with it."""
    entry = container.ca.items.get(key)
    index = 2 if isinstance(container, CommentedMap) else 0
    if not entry or not isinstance(entry[index], CommentToken):
        return ""
    token: CommentToken = entry[index]
    own, tail = _split_tail(token.value)
    lines = tail.splitlines(keepends=True)
    inside = 0
    while inside < len(lines) and _indent(lines[inside]) > column and lines[inside].strip():
        inside += 1
    own, tail = own + "".join(lines[:inside]), "".join(lines[inside:])
    if not tail:
        return ""
    if own.strip():
        token.value = own
    else:
        entry[index] = None
    return tail


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _give_tail(container: Any, key: Any, tail: str) -> None:
    """Put comment lines after ``container[key]`` (a scalar item)."""
    if not tail:
        return
    index = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) < 4:
        entry.append(None)
    token = entry[index]
    if isinstance(token, CommentToken):
        own, rest = _split_tail(token.value)
        token.value = own + tail + rest
    else:
        entry[index] = CommentToken("\n" + tail, CommentMark(0), None)


# Text that a YAML 1.1 reader (PyYAML's safe loader, many other tools) takes for a date
# when it is written plain. The emitter writes it plain, as a date field's value is; text
# that only looks like a date is put in double quotes where its field is known.
DATE_LIKE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _text_apart_from_dates(value: Any) -> Any:
    """``value`` with every text that looks like a date in double quotes: a date is a
    ``date`` here, and is written plain."""
    if isinstance(value, dict):
        return {key: _text_apart_from_dates(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_text_apart_from_dates(item) for item in value]
    if type(value) is str and DATE_LIKE.match(value):
        return DoubleQuotedScalarString(value)
    return value


def set_field(mapping: Any, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """Set ``mapping[key]``, comments kept.

    An existing key keeps its place and its comments; a nested mapping is updated
    key by key, so the comments inside it stay too. A new key goes where ``order``
    (the contract's key order) puts it, after the keys that come before it, and the
    comment lines that stood above the following key stay above that key.

    A mapping that carries an anchor (``&name``) is not updated: an alias (``*name``)
    elsewhere is the same mapping, and would change with it. WriteRefused.

    A date is given as a ``date`` (written plain); text that looks like one is
    written in double quotes, so a YAML 1.1 reader does not take it for a date.
    """
    value = _text_apart_from_dates(value)
    if key in mapping:
        current = mapping[key]
        if isinstance(current, CommentedMap) and isinstance(value, dict):
            anchor = getattr(current.anchor, "value", None)
            if anchor is not None:
                raise WriteRefused(
                    f"{key} is a mapping shared through the YAML anchor &{anchor}: changing "
                    f"it would change every *{anchor} too; nothing was written. Write the "
                    "values out in full instead of the alias, then run this again."
                )
            inner = [k for k in value]
            for inner_key, inner_value in value.items():
                set_field(current, inner_key, inner_value, inner)
            return
        mapping[key] = to_round_trip(value, flow=is_flow(current))
        return
    keys = list(mapping)
    rank = {name: index for index, name in enumerate(order)}
    position = len(keys)
    if key in rank:
        for index, existing in enumerate(keys):
            if existing in rank and rank[existing] > rank[key]:
                position = index
                break
        # Keys out of the contract's order (`status` first): after those before it, not
        # above the record's `kind`.
        earlier = [i for i, k in enumerate(keys) if k in rank and rank[k] < rank[key]]
        if earlier and position <= earlier[-1]:
            position = earlier[-1] + 1
    node = to_round_trip(value)
    if position > 0 and not mapping.fa.flow_style():
        before = keys[position - 1]
        # Comment lines after the key before the new one stand above the key after it.
        last = _last_item(mapping[before]) or (mapping, before)
        tail = _tail_of(*last, column=getattr(mapping.lc, "col", None) or 0)
        mapping.insert(position, key, node)
        if tail:  # after the new key's last line, above the key that followed
            container, last_key = _last_item(node) or (mapping, key)
            _give_tail(container, last_key, tail)
        return
    mapping.insert(position, key, node)


def insert_first(documents: list[Any], document: Any) -> None:
    """Insert ``document`` before the other documents of a file, below the comment
    lines that head the file.

    ruamel.yaml keeps a file's opening comment with its first document, which would
    carry it below the new one. Only the first document's own comment lines stay
    with it: those after the last blank line of the block, or with no blank line,
    those from a line that starts with its id on (``# A.2.3 ...``, as soa sync
    writes above a control); with neither, the whole block heads the file.
    """
    first = documents[0] if documents else None
    if isinstance(first, CommentedMap) and isinstance(document, CommentedMap) and first.ca.comment:
        tokens = first.ca.comment[1] or []
        split = _header_end(tokens, str(first.get("id", "")))
        if split:
            first.ca.comment[1] = tokens[split:] or None
            kept = document.ca.comment or [None, None]
            document.ca.comment = [kept[0], tokens[:split] + (kept[1] or [])]
    documents.insert(0, document)


def _header_end(tokens: list[Any], record_id: str) -> int:
    """How many of the comment tokens above a first document head the file."""
    # A token ending in an empty line, or one that is only a line end, is a blank line.
    blank = [i for i, t in enumerate(tokens) if t.value.endswith("\n\n") or not t.value.strip()]
    if blank:
        return blank[-1] + 1
    for index, token in enumerate(tokens):
        if record_id and token.value.lstrip("#").split()[:1] == [record_id]:
            return index
    return len(tokens)
