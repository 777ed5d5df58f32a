"""ruamel.yaml, configured to agree with yamlsafe: plain scalars read by the YAML 1.2
core schema, keys kept as the text they are written in, quotes wherever a YAML 1.1
reader would read another value, lines never wrapped. Loads and dumps documents, and
turns plain data into round-trip trees and back."""

from __future__ import annotations

import io
import json
import math
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import CollectionNode, MappingNode, ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from aimsctl import yamlsafe
from aimsctl.writing.refused import WriteRefused

# Lines are never wrapped: a long value stays on the line the person wrote it on.
# No finite width does that (4096 broke a longer pasted description in three).
WIDTH = sys.maxsize
# The canonical indentation: two spaces per mapping level, a sequence's dash two
# spaces in from its key.
MAPPING_INDENT, SEQUENCE_INDENT, SEQUENCE_DASH_OFFSET = 2, 4, 2


_CORE = "tag:yaml.org,2002:"
# Plain scalars resolve as yamlsafe's YAML 1.2 core schema resolves them.
_CORE_RESOLVERS: list[tuple[str, re.Pattern[str], str]] = [
    (_CORE + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_CORE + "int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (
        _CORE + "float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+0123456789.",
    ),
    (_CORE + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
]


class _FreshLists(dict[Any, list[Any]]):
    """ruamel adds to the list it is given (``resolvers += ...``): hand out copies."""

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        return list(found) if isinstance(found, list) else found


_NULL = re.compile(r"^$")


def _core_table() -> _FreshLists:
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {"": [(_CORE + "null", _NULL)]}
    for tag, pattern, first in _CORE_RESOLVERS:
        for char in first:
            table.setdefault(char, []).append((tag, pattern))
    return _FreshLists(table)


# Built once: ruamel.yaml asks for the table two or three times for every plain scalar
# it reads or writes (building it each time was an eighth of what `fmt` took).
_CORE_TABLE = _core_table()


class _CoreResolver(VersionedResolver):
    """The YAML 1.2 core schema and nothing more: a date stays text, `<<` is a key."""

    @property
    def versioned_resolver(self) -> Any:
        return _CORE_TABLE


class _Representer(RoundTripRepresenter):
    """``null`` written out (ruamel leaves a mapping value empty), and a float in a
    form every reader takes for a float."""

    def represent_none(self, data: Any) -> Any:
        return self.represent_scalar(_CORE + "null", "null")

    def represent_plain_float(self, data: float) -> Any:
        if not math.isfinite(data):
            return self.represent_float(data)  # .inf, .nan
        text = repr(data)
        mantissa, exponent, power = text.partition("e")
        if exponent and "." not in mantissa:
            # YAML 1.1 readers take `1e-05` for text; `1.0e-05` is a float to both.
            text = f"{mantissa}.0e{power}"
        return self.represent_scalar(_CORE + "float", text)


_Representer.add_representer(type(None), _Representer.represent_none)
_Representer.add_representer(float, _Representer.represent_plain_float)


# What a `|` or `>` text cannot hold as it is: a carriage return (a line break to a
# reader), a control character, or NEL, LS and PS (line breaks to a YAML 1.1 reader).
# ruamel.yaml keeps a value's style when a new text replaces it (a `risk accept`
# rationale over a `>-` one) and would write them raw: the file would not read back.
_NOT_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _as_double_quoted(
    representer: _Representer, data: FoldedScalarString | LiteralScalarString
) -> Any:
    # Without the marks where a line folds, which ruamel.yaml puts in the text (BEL)
    # for the `>` form only; escapes are written by the emitter.
    anchor = data.yaml_anchor(any=True)
    return representer.represent_scalar(_CORE + "str", str(data), style='"', anchor=anchor)


def _represent_folded(representer: _Representer, data: FoldedScalarString) -> Any:
    if _NOT_IN_BLOCK.search(data):
        return _as_double_quoted(representer, data)
    return representer.represent_folded_scalarstring(data)


def _represent_literal(representer: _Representer, data: LiteralScalarString) -> Any:
    if _NOT_IN_BLOCK.search(data):
        return _as_double_quoted(representer, data)
    return representer.represent_literal_scalarstring(data)


_Representer.add_representer(FoldedScalarString, _represent_folded)
_Representer.add_representer(LiteralScalarString, _represent_literal)


class PlainKey(str):
    """A plain key that the core schema reads as a null, a boolean or a number
    (`Null:`, `True:`, `+1:`), kept as the text it is written in. yamlsafe reads every
    key as text; ruamel.yaml would make it None, True or 1 and write it back as
    `null:`, `true:` or `1:`, another key (and take `1:` and `01:` for one key)."""


_PLAIN_KEY = "tag:aimsctl.dev,2025:plain-key"
_NOT_TEXT = {_CORE + name for name in ("null", "bool", "int", "float")}


class _Constructor(RoundTripConstructor):
    """Keys read as yamlsafe reads them: as the text they are written in."""

    def construct_mapping(  # type: ignore[override]  # as ruamel.yaml's own
        self, node: Any, maptyp: Any, deep: bool = False
    ) -> Any:
        for key_node, _ in node.value:
            if (
                isinstance(key_node, ScalarNode)
                and key_node.style is None
                and key_node.tag in _NOT_TEXT
            ):
                key_node.tag = _PLAIN_KEY
        return super().construct_mapping(node, maptyp, deep)

    def construct_plain_key(self, node: Any) -> PlainKey:
        return PlainKey(node.value)

    def construct_tagged_str(self, node: Any) -> Any:
        # `!!str 2026` is the text '2026' to yamlsafe. ruamel.yaml keeps the tag on a
        # TaggedScalar and writes it back as `!!%20str 2026` (0.19), a tag nothing
        # reads; as text, the emitter quotes it where it needs quotes ("2026").
        return self.construct_scalar(node)


_Constructor.add_constructor(_PLAIN_KEY, _Constructor.construct_plain_key)
_Constructor.add_constructor(_CORE + "str", _Constructor.construct_tagged_str)


def _represent_plain_key(representer: _Representer, data: PlainKey) -> Any:
    # Tagged as the core schema reads it, so the emitter writes it plain again; an
    # empty key (`? ` alone) cannot be written plain, and is text: `""`.
    text = str(data)
    tag = next((tag for tag, pattern, _ in _CORE_RESOLVERS if pattern.match(text)), _CORE + "str")
    if not text:
        tag = _CORE + "str"
    return representer.represent_scalar(tag, text)


_Representer.add_representer(PlainKey, _represent_plain_key)


# Plain values that YAML 1.1 readers (PyYAML's default loader, many other tools) take
# for a boolean, a number, a merge (`<<`), a value key (`=`) or a timestamp with a
# time of day, though the core schema reads them as text: they are quoted, so every
# reader agrees. Keys stay plain (`on:` is a field name); so do plain dates, which the
# contract's date fields are.
_YAML11_NOT_TEXT = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|="
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}.*"
    r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*"
    r"|[-+]?0x[0-9a-fA-F_]+)$"
)


class _Composer(Composer):
    """Puts NEL, LS and PS back where :func:`load_all` read stand-ins for them, in
    every value, key and comment."""

    def compose_document(self) -> Any:
        node = super().compose_document()
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, ScalarNode) and isinstance(current.value, str):
                current.value = current.value.translate(yamlsafe.FROM_STAND_IN)
            elif isinstance(current, MappingNode):
                stack.extend(item for pair in current.value for item in pair)
            elif isinstance(current, CollectionNode):
                stack.extend(current.value)
            _restore_comments(current.comment)
        return node


def _restore_comments(found: Any) -> None:
    if isinstance(found, CommentToken):
        found.value = found.value.translate(yamlsafe.FROM_STAND_IN)
    elif isinstance(found, list):
        for index, item in enumerate(found):
            if isinstance(item, str):  # a block scalar's comment on its `|` line
                found[index] = item.translate(yamlsafe.FROM_STAND_IN)
            else:
                _restore_comments(item)


class _Emitter(Emitter):
    """Quotes only where a plain value would read back as something else (here, or
    in a YAML 1.1 reader), and then double quotes, unless the text holds a double
    quote or a backslash (the person's own quotes are kept where they are
    preserved)."""

    def choose_scalar_style(self) -> Any:
        if any(c in (self.event.value or "") for c in yamlsafe.YAML11_BREAKS):
            # Written raw, the emitter (YAML 1.1) takes NEL, LS and PS for line breaks
            # and folds the line there, which reads back as other text: escaped.
            return '"'
        style = super().choose_scalar_style()
        if style == "" and self.flow_level and self.event.value.startswith((":", "?")):
            # YAML 1.2 allows `[:x, ?y]`; libyaml (yamlsafe) reads a missing value there
            # and a mapping: quoted.
            return '"' if self.analysis.allow_double_quoted else "'"
        if (
            style == ""
            and not self.simple_key_context
            and self.event.tag in (None, _CORE + "str")
            and _YAML11_NOT_TEXT.match(self.event.value)
        ):
            return '"' if self.analysis.allow_double_quoted else "'"
        if style == "'" and not self.event.style:
            value = self.event.value
            if '"' not in value and "\\" not in value and self.analysis.allow_double_quoted:
                return '"'
        return style


def round_trip(preserve_quotes: bool = True) -> YAML:
    """A ruamel.yaml instance for one load or dump (instances are not shared)."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _CoreResolver
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.Emitter = _Emitter
    yaml.indent(mapping=MAPPING_INDENT, sequence=SEQUENCE_INDENT, offset=SEQUENCE_DASH_OFFSET)
    yaml.width = WIDTH
    yaml.preserve_quotes = preserve_quotes
    yaml.allow_unicode = True
    return yaml


_LINE_START = re.compile(r"\r\n|\r|\n")


def _tabs_quoted(text: str) -> str:
    """``text`` with each plain value or key that holds a tab (`title: a<TAB>b`) in
    double quotes (`"a\\tb"`): ruamel.yaml reads no tab inside a plain value, which
    YAML allows and yamlsafe reads."""
    if "\t" not in text:
        return text
    try:
        nodes = yamlsafe.positioned_nodes(text)
    except pyyaml.YAMLError:
        return text  # ruamel.yaml says what it cannot read
    starts = [0] + [match.end() for match in _LINE_START.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    for root in nodes:
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, pyyaml.MappingNode):
                stack.extend(item for pair in node.value for item in pair)
            elif isinstance(node, pyyaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, pyyaml.ScalarNode) and not node.style and "\t" in node.value:
                begin = starts[node.start_mark.line] + node.start_mark.column
                end = starts[node.end_mark.line] + node.end_mark.column
                while text[begin] in "&!":  # an anchor or a tag before the value
                    while text[begin] not in " \t":
                        begin += 1
                    while text[begin] in " \t":
                        begin += 1
                spans.append((begin, end, json.dumps(node.value, ensure_ascii=False)))
    pieces: list[str] = []
    at = 0
    for begin, end, quoted in sorted(spans):  # scalars do not overlap: one pass, in order
        pieces += (text[at:begin], quoted)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def load_all(text: str, preserve_quotes: bool = True) -> list[Any]:
    """The documents of ``text`` in round-trip form (CommentedMap and friends).

    An empty document (after a trailing ``---``) is dropped. Raises WriteRefused
    when ruamel.yaml cannot read what yamlsafe read (it should not happen).
    """
    # ruamel.yaml, like libyaml, takes NEL, LS and PS for line breaks (YAML 1.1): it
    # reads stand-ins for them, as yamlsafe does, and _Composer puts them back.
    stood_in, replaced = yamlsafe.stand_in(_tabs_quoted(text))
    yaml = round_trip(preserve_quotes)
    if replaced:
        yaml.Composer = _Composer
    try:
        documents = list(yaml.load_all(stood_in))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or "YAML it cannot read"
        hint = ""
        if "'\\t'" in problem:  # ruamel.yaml reads no tab between a value and a comment
            hint = "; a tab before a comment? `aimsctl fmt` turns it into a space"
        raise WriteRefused(
            f"cannot be edited without changing it: {where}{problem} (aimsctl edits YAML "
            f"with ruamel.yaml, which does not read this; it was left as it is{hint})"
        ) from None
    return [document for document in documents if document is not None]


def dump_all(documents: Sequence[Any]) -> str:
    """The documents as YAML text, ``---`` between them."""
    stream = io.StringIO()
    round_trip().dump_all(list(documents), stream)
    return stream.getvalue()


def plain(value: Any) -> Any:
    """``value`` as plain data: dates as YYYY-MM-DD text, like yamlsafe reads them."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def to_round_trip(value: Any, flow: bool = False) -> Any:
    """Plain data as round-trip nodes; a date becomes text (written plain)."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = to_round_trip(item, flow)
        if flow:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list | tuple):
        sequence = CommentedSeq(to_round_trip(item, flow) for item in value)
        if flow or all(not isinstance(item, dict | list) for item in value):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, date):
        return value.isoformat()
    return value


def is_flow(node: Any) -> bool:
    """Whether a round-trip mapping or list is written in flow style (`[a, b]`)."""
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node.fa.flow_style())
