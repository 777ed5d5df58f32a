"""Positions on demand: a text that already parsed, composed again to find where a
value is written, or what number text reads as infinity."""

from __future__ import annotations

import math
import weakref
from typing import Any

import yaml
from yaml._yaml import CParser

from aimsctl import collector
from aimsctl.yamlsafe.block_tabs import for_libyaml
from aimsctl.yamlsafe.core_schema import (
    FLOAT_RE,
    FLOAT_TAG,
    INT_RE,
    PLAIN,
    core_scalar,
    explicit_scalar,
    number_as_written,
)
from aimsctl.yamlsafe.limits import MAX_FILE_VALUES, MAX_NUMBER_DIGITS
from aimsctl.yamlsafe.line_breaks import restore_breaks
from aimsctl.yamlsafe.parsing import FILE_SPENT
from aimsctl.yamlsafe.problems import YamlProblem, node_position
from aimsctl.yamlsafe.reading import Reading


def document_nodes(text: str, documents: int | None = None) -> list[yaml.Node]:
    """The composed documents of a text that already parsed (for locating positions):
    the first ``documents`` (those that parse read), or all of them."""
    with collector.paused():
        return list(Reading(text, MAX_FILE_VALUES, FILE_SPENT, documents))


def positioned_nodes(text: str) -> list[yaml.Node]:
    """The documents of a text that already parsed, each alias a scalar node of its
    own (value ``*name``) at the alias's place, not the anchored node it names: for
    work on the lines of the text, where an alias's position is where it is written.
    Only positions and scalar text are meant; tags are not resolved."""
    text, replaced = for_libyaml(text)
    parser = CParser(text)
    documents: list[yaml.Node] = []
    try:
        while not parser.check_event(yaml.StreamEndEvent):
            if isinstance(_next(parser), yaml.DocumentStartEvent):
                documents.append(_positioned(parser, _next(parser)))
    finally:
        parser.dispose()
    if replaced:
        restore_breaks(documents)
    return documents


def aliases_follow_anchors(text: str) -> bool:
    """Whether every alias in ``text`` (which parses) comes after its anchor."""
    if "*" not in text:
        return True
    parser = CParser(for_libyaml(text)[0])
    anchors: set[str] = set()
    try:
        while (event := _next(parser)) is not None:
            if isinstance(event, yaml.AliasEvent) and event.anchor not in anchors:
                return False
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                anchors.add(event.anchor)
    finally:
        parser.dispose()
    return True


def anchor_lines(text: str) -> list[dict[str, tuple[int, list[int]]]]:
    """Where the anchors of a text that already parsed are, and their aliases: for
    each document that holds a value (an empty or null one is left out, as writing
    leaves it out), each anchor's name, its line and the lines of its aliases (from 1).
    """
    parser = CParser(for_libyaml(text)[0])
    found: list[dict[str, tuple[int, list[int]]]] = []
    anchors: dict[str, tuple[int, list[int]]] = {}
    root: Any = None
    try:
        while (event := _next(parser)) is not None:
            if isinstance(event, yaml.DocumentStartEvent):
                anchors, root = {}, None
            elif isinstance(event, yaml.DocumentEndEvent):
                null = isinstance(root, yaml.ScalarEvent) and root.implicit[0]
                if not (null and root.value in ("", "~", "null", "Null", "NULL")):
                    found.append(anchors)
            elif isinstance(event, yaml.NodeEvent):
                root = event if root is None else root
                mark: Any = event.start_mark
                name: Any = event.anchor
                line = mark.line + 1
                if isinstance(event, yaml.AliasEvent):
                    anchors.setdefault(name, (line, []))[1].append(line)
                elif name is not None:
                    anchors[name] = (line, [])
    finally:
        parser.dispose()
    return found


def _next(parser: CParser) -> Any:
    """The next event (typed Any: the C parser's marks are not yaml.Mark to mypy)."""
    return parser.get_event()


def _positioned(parser: CParser, event: Any) -> yaml.Node:
    start: Any = event.start_mark
    stop: Any = event.end_mark
    tag = getattr(event, "tag", None) or ""  # an alias has none
    if isinstance(event, yaml.AliasEvent):
        return yaml.ScalarNode("", f"*{event.anchor}", start, stop)
    if isinstance(event, yaml.ScalarEvent):
        return yaml.ScalarNode(tag, event.value, start, stop, event.style)
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[yaml.Node] = []
        while not parser.check_event(yaml.SequenceEndEvent):
            items.append(_positioned(parser, _next(parser)))
        end = _next(parser).end_mark
        return yaml.SequenceNode(tag, items, start, end, event.flow_style)
    assert isinstance(event, yaml.MappingStartEvent)
    pairs: list[_Pair] = []
    while not parser.check_event(yaml.MappingEndEvent):
        key = _positioned(parser, _next(parser))
        pairs.append((key, _positioned(parser, _next(parser))))
    end = _next(parser).end_mark
    return yaml.MappingNode(tag, pairs, start, end, event.flow_style)


_Pair = tuple[yaml.Node, yaml.Node]
# Key lookups in wide mappings, indexed once: a record with many thousands of
# unknown fields must not cost a scan of the mapping per finding.
_WIDE = 32
_INDEXES: weakref.WeakKeyDictionary[yaml.MappingNode, dict[str, _Pair]] = (
    weakref.WeakKeyDictionary()
)


def _entry(node: yaml.MappingNode, key: str) -> _Pair | None:
    """The first (key node, value node) pair of ``node`` whose key is ``key``."""
    pairs: list[_Pair] = node.value
    if len(pairs) <= _WIDE:
        return next((kv for kv in pairs if kv[0].value == key), None)
    index = _INDEXES.get(node)
    if index is None:
        index = {}
        for pair in pairs:
            if isinstance(pair[0], yaml.ScalarNode):
                index.setdefault(pair[0].value, pair)
        _INDEXES[node] = index
    return index.get(key)


def written_unheld_number(root: yaml.Node, parts: tuple[str | int, ...]) -> str | None:
    """The text as written (``1e400``, ``.inf``) of the number at ``parts`` when it reads
    as infinity or NaN: a message then shows what the person wrote, not ``inf``. None
    where ``parts`` leads to no such number."""
    node = root
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = _entry(node, part)
            if match is None:
                return None
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return None
            node = node.value[part]
        else:
            return None
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (PLAIN, FLOAT_TAG):
        return None
    try:
        value = core_scalar(node.value) if node.tag == PLAIN else explicit_scalar(node)
    except (ValueError, YamlProblem):
        return None
    if not isinstance(value, float) or math.isfinite(value):
        return None
    return number_as_written(node.value)


def overflows(node: yaml.ScalarNode) -> bool:
    """Whether a scalar of :func:`positioned_nodes` is a number beyond the float range
    (``1e400``, ``!!float 1e999``), which YAML reads as infinity: written back, it would
    be ``.inf``, not what the person wrote. ``.inf`` and ``.nan`` themselves do not."""
    if node.style or node.tag not in ("", FLOAT_TAG):  # plain, untagged or !!float
        return False
    text = node.value
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return False
    if node.tag == FLOAT_TAG and INT_RE.fullmatch(text):
        if len(text) > MAX_NUMBER_DIGITS:
            return False  # refused when the file is read (too many digits)
        try:
            float(int(text, 0) if text[:2] in ("0o", "0x") else int(text))
        except OverflowError:
            return True
        return False
    return bool(FLOAT_RE.fullmatch(text)) and not math.isfinite(float(text))


def locate(root: yaml.Node, parts: tuple[str | int, ...], at_key: bool) -> tuple[int, int, bool]:
    """Position of the value (or, with ``at_key``, the key) that ``parts`` leads to.

    When the path does not exist (a missing field) the deepest existing ancestor is
    used. The third item tells whether the full path was found.
    """
    node = root
    key_node: yaml.Node | None = None
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = _entry(node, part)
            if match is None:
                return (*node_position(key_node or node), False)
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return (*node_position(key_node or node), False)
            key_node, node = None, node.value[part]
        else:
            return (*node_position(key_node or node), False)
    if at_key and key_node is not None:
        return (*node_position(key_node), True)
    return (*node_position(node), True)
