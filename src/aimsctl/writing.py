"""Every YAML file aimsctl writes goes through here: round trip, edit, check, replace.

Reading stays on the fast safe loader (:mod:`aimsctl.yamlsafe`); writing uses
ruamel.yaml's round-trip mode, so the comments, key order, quoting and blank lines
a person wrote survive an edit. One path for every write:

1. the file is read and must already be readable YAML (:func:`text_problems`);
2. its documents are loaded in round-trip mode and the edit is applied to them;
3. they are dumped, and only the lines the edit changed replace lines of the
   original (:func:`splice`), so a file aimsctl would lay out differently keeps
   its own layout everywhere the edit did not reach;
4. the new text is checked: read back by yamlsafe and every record through the
   record checker (and, where a command's contract asks for it, the whole
   repository with the new text in place: :func:`new_errors`);
5. the file is replaced atomically (a temporary file in the same folder, fsync,
   ``os.replace``), or created without ever overwriting one (a hard link, which
   fails when the name exists).

Any check that fails raises :class:`WriteRefused` before anything is written, so
the file stays byte-identical, and the message says why. ruamel.yaml reads plain
scalars here with the same YAML 1.2 core schema as yamlsafe (no timestamps, no
merge keys), so both agree on what every value is, and a date is written plain.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import math
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.nodes import CollectionNode, MappingNode, ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)
from ruamel.yaml.tokens import CommentToken

from aimsctl import yamlsafe
from aimsctl.errors import AimsctlError, UsageError
from aimsctl.fileio import create_exclusive, read_only, read_regular, write_atomic

if TYPE_CHECKING:
    from aimsctl.diagnostics import Diagnostic, ValidationResult

# Lines are never wrapped: a long value stays on the line the person wrote it on.
# No finite width does that (4096 broke a longer pasted description in three).
WIDTH = sys.maxsize
# The canonical indentation: two spaces per mapping level, a sequence's dash two
# spaces in from its key.
MAPPING_INDENT, SEQUENCE_INDENT, SEQUENCE_DASH_OFFSET = 2, 4, 2


class WriteRefused(AimsctlError):
    """A write that would break a record, or a sign-off the rules do not allow.

    Nothing was written; the message says why, one problem per line. Exit 1: the
    input is usable, what it holds is not acceptable.
    """

    exit_code = 1


# --- ruamel.yaml, configured to agree with yamlsafe ---------------------------------

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


# --- comments a person wrote, kept in their place ------------------------------------


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


def _tail_of(container: Any, key: Any) -> str:
    """Detach and return the comment lines standing after ``container[key]``."""
    entry = container.ca.items.get(key)
    index = 2 if isinstance(container, CommentedMap) else 0
    if not entry or not isinstance(entry[index], CommentToken):
        return ""
    token: CommentToken = entry[index]
    own, tail = _split_tail(token.value)
    if not tail:
        return ""
    if own.strip():
        token.value = own
    else:
        entry[index] = None
    return tail


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
        mapping[key] = to_round_trip(value, flow=_is_flow(current))
        return
    keys = list(mapping)
    rank = {name: index for index, name in enumerate(order)}
    position = len(keys)
    if key in rank:
        for index, existing in enumerate(keys):
            if existing in rank and rank[existing] > rank[key]:
                position = index
                break
    node = to_round_trip(value)
    if position > 0 and not mapping.fa.flow_style():
        before = keys[position - 1]
        # Comment lines after the key before the new one stand above the key after it.
        last = _last_item(mapping[before]) or (mapping, before)
        tail = _tail_of(*last)
        mapping.insert(position, key, node)
        if tail:  # after the new key's last line, above the key that followed
            container, last_key = _last_item(node) or (mapping, key)
            _give_tail(container, last_key, tail)
        return
    mapping.insert(position, key, node)


def _is_flow(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node.fa.flow_style())


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


# --- splicing an edit into the text as written ------------------------------------


def splice(original: str, before: str, after: str) -> str | None:
    """``original`` with the change from ``before`` to ``after`` applied to its lines.

    ``before`` is ruamel's dump of ``original`` unedited and ``after`` the dump of
    the edited documents. Where ruamel lays out a line differently from the person
    (a wrapped flow mapping, another indentation), that line is kept as written;
    only the lines the edit changed come from ``after``. None when a changed line
    is one ruamel laid out differently (the caller then writes ``after``).
    """
    if before == original:
        return after
    old, ours, new = (text.splitlines(keepends=True) for text in (original, before, after))
    where: list[int | None] = [None] * len(ours)
    for tag, o1, o2, r1, _r2 in difflib.SequenceMatcher(
        None, old, ours, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            for offset in range(o2 - o1):
                where[r1 + offset] = o1 + offset
    result: list[str] = []
    position = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, ours, new, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            mapped = [where[i] for i in range(i1, i2)]
            if any(m is None for m in mapped):
                return None
            start = mapped[0]
            assert start is not None
            if mapped != list(range(start, start + len(mapped))):
                return None
            end = start + len(mapped)
        else:  # an insertion between two lines of `ours`
            previous = where[i1 - 1] if i1 > 0 else -1
            following = where[i1] if i1 < len(ours) else len(old)
            if previous is None or following is None or previous + 1 != following:
                return None
            start = end = following
        if start < position:
            return None
        result += old[position:start]
        result += new[j1:j2]
        position = end
    result += old[position:]
    return "".join(result)


# --- checking a text ---------------------------------------------------------------


def text_problems(
    text: str, rel: str, context: dict[str, Any] | None = None, records: bool = True
) -> list[str]:
    """What is wrong with ``text`` as a record file, one ``rel:line:col: CODE message``
    per problem: YAML yamlsafe cannot read, and (with ``records``) records the record
    checker refuses."""
    from aimsctl.loader import Locator, parse_file
    from aimsctl.records.check import check_document

    documents, diagnostics = parse_file(rel, text.encode("utf-8"))
    found = list(diagnostics)
    locator = Locator()
    for document in documents if records else ():
        _, problems = check_document(document, locator, context or {})
        found += problems
    return [_line(d) for d in sorted(found, key=lambda d: (d.line, d.column, d.code))]


def _line(diagnostic: Diagnostic) -> str:
    where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    return f"{where}: {diagnostic.code} {diagnostic.message}"


def same_data(first: str, second: str) -> bool:
    """Whether two texts hold the same documents, as yamlsafe reads them (an empty
    document, which the loader skips, does not count)."""
    one, two = yamlsafe.parse(first), yamlsafe.parse(second)
    return (
        not one.problems
        and not two.problems
        and [_comparable(d.data) for d in one.documents if d.data is not None]
        == [_comparable(d.data) for d in two.documents if d.data is not None]
    )


def _comparable(value: Any) -> Any:
    """``value`` with NaN made equal to itself (and kept apart from 1.0 and True)."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, bool | int):
        return (type(value).__name__, value)
    return value


# --- reading, planning and writing files -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """A planned write: ``path`` goes from ``old`` (None: it does not exist) to ``new``."""

    path: Path
    old: bytes | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old is None or self.old != self.new.encode("utf-8")

    def diff(self, shown: str) -> str:
        """A unified diff of the change, the file named ``shown``."""
        before = "" if self.old is None else self.old.decode("utf-8", "replace")
        return "".join(
            difflib.unified_diff(
                split_lines(before, keepends=True),
                split_lines(self.new, keepends=True),
                (shown if shown.startswith("/") else f"a/{shown}")
                if self.old is not None
                else "/dev/null",
                shown if shown.startswith("/") else f"b/{shown}",
            )
        )


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of ``text``, broken at LF, CR LF and CR only, as YAML breaks them:
    str.splitlines() also breaks at NEL, LS and PS, which a value may hold."""
    found = _LINE.findall(text)
    return found if keepends else [line.rstrip("\r\n") for line in found]


def read_text(path: Path, shown: str) -> tuple[bytes, str]:
    """The bytes of a YAML file and its text; UsageError when it cannot be read."""
    try:
        # Never a plain read: a named pipe with a record's name would block the run.
        # One byte past the limit is enough for decode to call the file too large.
        found = read_regular(os.fspath(path), True, yamlsafe.MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{shown} is a folder, not a file") from None
    except OSError as error:
        raise UsageError(f"{shown}: cannot be read: {error.strerror or error}") from None
    if found is None:
        if path.is_dir():
            raise UsageError(f"{shown} is a folder, not a file")
        raise UsageError(
            f"{shown}: not a regular file (a named pipe, socket or device); nothing was written"
        )
    raw = found
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        raise WriteRefused(f"{shown}:{problem.line}:{problem.column}: {problem.message}")
    # The decoder drops a byte-order mark; the text keeps it, so an edit writes it back.
    return raw, (_BOM + text if raw.startswith(_BOM.encode()) else text)


_BOM = "\ufeff"


def _split_newlines(text: str) -> tuple[str, str, str]:
    """(text with LF line ends and no BOM, the BOM, the line end the file uses)."""
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    return body.replace("\r\n", "\n"), bom, newline


def _mixed_line_ends(text: str) -> bool:
    """Whether ``text`` ends its lines in more than one way, or with a lone CR (which
    ruamel.yaml reads as a line end): it is written back with one kind only."""
    crlf = text.count("\r\n")
    return text.count("\r") > crlf or 0 < crlf < text.count("\n")


def _restore_newlines(text: str, bom: str, newline: str) -> str:
    return bom + (text.replace("\n", newline) if newline != "\n" else text)


def edit_text(
    text: str,
    edit: Callable[[list[Any]], None],
    rel: str,
    context: dict[str, Any] | None = None,
    records: bool = True,
    new_problems_only: bool = False,
) -> str:
    """``text`` with ``edit`` applied to its round-trip documents, every line the edit
    does not reach kept as written.

    Raises WriteRefused when ``text`` cannot be read as YAML, or has records the
    record checker refuses (with ``records``); and when the result would have any
    problem (with ``new_problems_only``: any it did not have before, so records
    already broken elsewhere in the file do not stop an edit that leaves them be).
    """
    before_problems = text_problems(text, rel, context, records or new_problems_only)
    yaml_level = text_problems(text, rel, context, records=False)
    if yaml_level or (before_problems and not new_problems_only):
        raise WriteRefused(
            "\n".join([f"{rel} has problems; fix them first (aimsctl validate):", *before_problems])
        )
    if _mixed_line_ends(text):
        raise WriteRefused(
            f"{rel} mixes line ends (CRLF with LF, or lone carriage returns): an edit would "
            f"rewrite them all; nothing was written. `aimsctl fmt {rel}` makes them one kind."
        )
    body, bom, newline = _split_newlines(text)
    ended = body.endswith("\n") or not body  # a last line without its line end stays so
    documents = load_all(body)
    before = dump_all(documents)
    edit(documents)
    after = dump_all(documents)
    spliced = splice(body if ended else body + "\n", before, after)
    if spliced is None or not same_data(spliced, after):
        # ruamel.yaml lays the lines around the change out otherwise than the file
        # does: writing its layout would rewrite lines the change does not touch, and
        # some comments are lost in its round trip.
        raise WriteRefused(
            f"{rel}: this change cannot be made without rewriting lines it does not "
            "touch; nothing was written. Put the file in canonical form with "
            f"`aimsctl fmt {rel}` (every comment stays), then run this again."
        )
    new = spliced if ended else spliced.removesuffix("\n")
    result = _restore_newlines(new, bom, newline)
    problems = text_problems(result, rel, context, records or new_problems_only)
    if new_problems_only:
        problems = _beyond(problems, before_problems)
    if problems:
        raise WriteRefused(
            "\n".join([f"the change would break {rel}; nothing was written:", *problems])
        )
    return result


def _beyond(after: list[str], before: list[str]) -> list[str]:
    """The problems of ``after`` that ``before`` does not have (positions ignored)."""

    def key(line: str) -> str:
        return line.split(": ", 1)[1] if ": " in line else line

    left = Counter(key(line) for line in before)
    found = []
    for line in after:
        if left[key(line)] > 0:
            left[key(line)] -= 1
        else:
            found.append(line)
    return found


def refuse_links(root: Path, rel: str) -> None:
    """UsageError when the file ``rel`` below ``root``, or a folder on the way to it,
    is a symbolic link. A write through one lands where the link leads (outside the
    repository, or on a record the loader reads at another path), or replaces the
    link with a copy that no longer follows its target."""
    here = root
    for part in rel.split("/"):
        here = here / part
        try:
            info = os.lstat(here)
        except FileNotFoundError:
            return  # made by the write
        except OSError as error:
            raise UsageError(f"{rel}: cannot be written: {error.strerror or error}") from None
        if stat.S_ISLNK(info.st_mode):
            shown = here.relative_to(root).as_posix()
            raise UsageError(
                f"{shown} is a symbolic link: aimsctl writes records only through real "
                "folders and files; nothing was written"
            )


def plan_edit(
    path: Path,
    edit: Callable[[list[Any]], None],
    rel: str,
    context: dict[str, Any] | None = None,
    records: bool = True,
    new_problems_only: bool = False,
    root: Path | None = None,
) -> Change:
    """The change ``edit`` makes to the file at ``path`` (nothing is written yet);
    with ``root``, the repository ``rel`` is in (see :func:`refuse_links`)."""
    if root is not None:
        refuse_links(root, rel)
    raw, text = read_text(path, rel)
    return Change(path, raw, edit_text(text, edit, rel, context, records, new_problems_only))


def refuse_excluded(rel: str, exclude: Sequence[str], written: str, instead: str) -> None:
    """UsageError when aims.yaml's ``exclude`` covers ``rel``: ``written`` (a record,
    say) put there would never be read, and every run would add it again. ``instead``
    says where else to keep it."""
    from aimsctl.loader import is_excluded

    if is_excluded(rel, exclude):
        raise UsageError(
            f"{rel} is excluded by aims.yaml (exclude:), so {written} written there would "
            f"never be read; nothing was written. Narrow the exclude globs, or {instead}"
        )


def plan_create(
    path: Path,
    text: str,
    rel: str,
    context: dict[str, Any] | None = None,
    root: Path | None = None,
) -> Change:
    """A new file holding ``text``, checked like any write; UsageError when ``path``
    exists (nothing is ever overwritten). With ``root``, the repository ``rel`` is in,
    no symbolic link may lie on the way (:func:`refuse_links`)."""
    if root is not None:
        refuse_links(root, rel)
    if os.path.lexists(path):
        raise UsageError(f"{rel} exists; aimsctl never overwrites a file")
    problems = text_problems(text, rel, context)
    if problems:
        raise WriteRefused(
            "\n".join([f"{rel} would not be valid; nothing was written:", *problems])
        )
    return Change(path, None, text)


def commit(change: Change) -> None:
    """Write one planned change: atomically, and only onto the bytes it was planned from.

    A new file is created with a hard link from a finished temporary file, which
    fails when the name exists meanwhile (never an overwrite). An edited file is
    replaced with ``os.replace``; when its bytes changed since they were read (an
    editor saved meanwhile), nothing is written.
    """
    if not change.changed:
        return
    data = change.new.encode("utf-8")
    if change.old is None:
        _create_exclusive(change.path, data)
        return
    # Asked again here, not only when planned: a link put in the file's place since
    # would be replaced by a regular file.
    if change.path.is_symlink():
        raise UsageError(
            f"{change.path} is a symbolic link: aimsctl writes records only through real "
            "folders and files; nothing was written"
        )
    try:
        # No more than the planned bytes and one: a pipe swapped in is not waited on.
        current = read_regular(os.fspath(change.path), False, len(change.old) + 1)
    except OSError as error:
        raise UsageError(f"{change.path}: cannot be read: {error.strerror or error}") from None
    if current != change.old:
        # Exit 2, not WriteRefused's 1: the run could not do its work; nothing is
        # wrong with the change asked for.
        raise UsageError(f"{change.path} changed while aimsctl was editing it; nothing was written")
    if read_only(change.path):
        raise UsageError(
            f"{change.path} is read-only; nothing was written (make it writable to edit it)"
        )
    _refuse_hard_link(change.path)
    try:
        write_atomic(change.path, data)
        _sync_folder(change.path.parent)
    except OSError as error:
        raise UsageError(f"cannot write {change.path}: {error.strerror or error}") from None


def _refuse_hard_link(path: Path) -> None:
    """UsageError when the file at ``path`` has other names (hard links): the atomic
    replace would give this name a new file, the others silently keeping the old
    text, as a symbolic link would be replaced by a copy (:func:`refuse_links`)."""
    try:
        names = os.stat(path).st_nlink
    except OSError:
        return
    if names > 1:
        raise UsageError(
            f"{path} is a hard link ({names} names for one file): the file written would "
            "take this name only, and the others would keep the old text; nothing was "
            "written (make it a file of its own first)"
        )


def commit_all(changes: Iterable[Change]) -> None:
    for change in changes:
        commit(change)


def _create_exclusive(path: Path, data: bytes) -> None:
    try:
        create_exclusive(path, data)
    except OSError as error:
        if isinstance(error, FileExistsError) and os.path.lexists(path):
            raise UsageError(f"{path} exists; aimsctl never overwrites a file") from None
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """fsync the folder, so the new name survives a crash (where the system allows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the repository with planned changes in place -------------------------------------


def _overlay(root: Path, changes: Sequence[Change]) -> Any:
    """A working tree of ``root`` that reads the planned texts in place of the files."""
    from aimsctl.loader import WorkingTree

    # The file's own name is not resolved: a link there (refused when written) would
    # lead out of the repository, and relative_to would fail.
    top = root.resolve()
    texts = {
        (change.path.parent.resolve() / change.path.name).relative_to(top).as_posix(): change
        for change in changes
    }

    class Overlay(WorkingTree):
        def paths(self) -> Iterable[str]:
            listed = list(super().paths())
            return sorted(set(listed) | set(texts))

        def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
            if rel in texts:
                return texts[rel].new.encode("utf-8"), None
            return super().read(rel)

        def exists(self, rel: str) -> bool:
            return rel in texts or super().exists(rel)

        def is_file(self, rel: str) -> bool:
            return rel in texts or super().is_file(rel)

    return Overlay(root)


def validate(root: Path, as_of: date, changes: Sequence[Change] = ()) -> ValidationResult:
    """The validation of the repository at ``root``, with ``changes`` in place."""
    from aimsctl import engine
    from aimsctl.repository import load_repository

    repo = load_repository(root, as_of, source=_overlay(root, changes))
    return engine.run(repo)


def _error_keys(result: ValidationResult) -> dict[tuple[str, str, str | None], list[Diagnostic]]:
    from aimsctl.diagnostics import Severity

    found: dict[tuple[str, str, str | None], list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.severity is Severity.ERROR:
            found.setdefault((diagnostic.code, diagnostic.path, diagnostic.record), []).append(
                diagnostic
            )
    return found


def new_errors(root: Path, as_of: date, changes: Sequence[Change]) -> list[Diagnostic]:
    """Errors the repository would have with ``changes`` that it does not have now:
    more findings of a code on a record (or a file) than before."""
    before = _error_keys(validate(root, as_of))
    after = _error_keys(validate(root, as_of, changes))
    found: list[Diagnostic] = []
    for key, diagnostics in after.items():
        extra = len(diagnostics) - len(before.get(key, []))
        if extra > 0:
            found += diagnostics[-extra:] if len(diagnostics) > extra else diagnostics
    return found


def refuse_new_errors(root: Path, as_of: date, changes: Sequence[Change], what: str) -> None:
    """Raise WriteRefused when ``changes`` would add errors to the repository."""
    errors = new_errors(root, as_of, changes)
    if errors:
        raise WriteRefused(
            "\n".join(
                [f"{what} would make the repository invalid; nothing was written:"]
                + [_line(d) + (f" [{d.record}]" if d.record else "") for d in errors]
            )
        )


def iter_mappings(node: Any) -> Iterator[CommentedMap]:
    """Every mapping in a round-trip tree, outermost first."""
    if isinstance(node, CommentedMap):
        yield node
        for value in node.values():
            yield from iter_mappings(value)
    elif isinstance(node, CommentedSeq):
        for value in node:
            yield from iter_mappings(value)
