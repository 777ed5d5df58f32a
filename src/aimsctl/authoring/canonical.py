"""The canonical form of a record file, which `aimsctl fmt` writes and checks.

A file in canonical form:

- has its keys in the contract's order: `kind`, `id`, `title`, `description`,
  `owner`, `tags`, then the kind's own fields as its model declares them, and
  `reviewed` last; nested mappings (a treatment, an approval, each metric) in the
  order of their own model; `aims.yaml` in the order of its settings. Keys the
  contract does not know keep their order, after the known ones;
- is indented two spaces per level, a list's dash two spaces in from its key;
- quotes a value only where it would otherwise read back as something else (a
  number, `true`, `null`), in double quotes unless the text holds a double quote
  or a backslash; block scalars (`>-`, `|`) stay as written; dates are unquoted
  in the fields that hold dates, and text that looks like a date is quoted in every
  other field of a record (a YAML 1.1 reader takes it for a date);
- writes NEL, LS and PS in a value escaped in double quotes (`\\L`), a block
  scalar holding one too: a YAML 1.1 reader breaks the line at them;
- writes numbers in decimal, a float's exponent after a point (`1.0e-05`);
- writes `null` for an empty value;
- keeps a flow collection (`[a, b]`, `{likelihood: 2, severity: 3}`) on one line
  when it fits in 100 columns, and writes it as a block otherwise;
- separates documents with a single `---` line, with no blank line around it,
  allows no two blank lines in a row, and none at the start or end of the file.
- ends its lines at LF, or at CR LF where the file ends every line so (a checkout
  with `core.autocrlf=true`); a file that mixes line ends gets LF;
- keeps a UTF-8 byte-order mark where the file starts with one (as some Windows
  editors save): it means nothing to a reader, and dropping it made `fmt --check`
  show a line whose change cannot be seen.

Every comment is kept: one on the line of a key or value stays there (but one on
the `|` line of a list item's block text goes above the item, and one between an
explicit key's `?` and its `:` above the key: ruamel.yaml drops them there);
comment lines above a key move with the key when keys are put in order.
Formatting never changes what the file means: the result is read back and compared,
value for value and comment for comment, before anything is written, and
formatting a formatted file changes no byte.
"""

from __future__ import annotations

import itertools
import math
import re
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Union

import yaml
from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from aimsctl import writing, yamlsafe
from aimsctl.errors import AimsctlError

LINE_WIDTH = 100
# The fields every record has, first, in this order; `reviewed` goes last.
COMMON_FIRST = ("kind", "id", "title", "description", "owner", "tags")
COMMON_LAST = ("reviewed",)
_MAX_PASSES = 200


class FormatError(AimsctlError):
    """A file that cannot be put in canonical form without changing it (exit 2)."""


# --- the contract's key order ------------------------------------------------------


@dataclass
class Shape:
    """The key order of a mapping, and the shapes of what it holds."""

    order: tuple[str, ...] = ()
    fields: dict[str, Shape] = field(default_factory=dict)
    values: Shape | None = None  # every value of a mapping keyed by name
    items: Shape | None = None  # every item of a list
    dates: frozenset[str] = frozenset()  # the keys that hold a date

    def under(self, key: Any) -> Shape | None:
        if self.fields:
            return self.fields.get(key) if isinstance(key, str) else None
        return self.values


def _record_order(model: type[BaseModel]) -> tuple[str, ...]:
    names = [_name(model, n) for n in model.model_fields]
    first = [n for n in COMMON_FIRST if n in names]
    last = [n for n in COMMON_LAST if n in names]
    middle = [n for n in names if n not in first and n not in last]
    return (*first, *middle, *last)


def _name(model: type[BaseModel], field_name: str) -> str:
    alias = model.model_fields[field_name].alias
    return alias or field_name


def _shape_of(annotation: Any) -> Shape | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape_of(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        for member in typing.get_args(annotation):
            found = _shape_of(member)
            if found is not None:
                return found
        return None
    if origin is list:
        inner = _shape_of(typing.get_args(annotation)[0])
        return Shape(items=inner) if inner is not None else None
    if origin is dict:
        inner = _shape_of(typing.get_args(annotation)[1])
        return Shape(values=inner) if inner is not None else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_shape(annotation)
    return None


def _holds_date(annotation: Any) -> bool:
    """Whether ``annotation`` is a date (`IsoDate`, `PastDate | None`...)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _holds_date(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_holds_date(member) for member in typing.get_args(annotation))
    return annotation is date


@cache
def model_shape(model: type[BaseModel]) -> Shape:
    """The key order of ``model``'s mappings, nested models included."""
    from aimsctl.records.base import Record

    if issubclass(model, Record):
        order = _record_order(model)
    else:
        order = tuple(_name(model, n) for n in model.model_fields)
    fields: dict[str, Shape] = {}
    for name, info in model.model_fields.items():
        inner = _shape_of(info.annotation)
        if inner is not None:
            fields[_name(model, name)] = inner
    dates = frozenset(
        _name(model, name)
        for name, info in model.model_fields.items()
        if _holds_date(info.annotation)
    )
    return Shape(order=order, fields=fields, dates=dates)


def document_shape(data: Any, config: bool) -> Shape | None:
    """The shape of one document: aims.yaml's, or its record kind's."""
    from aimsctl.config import AimsConfig
    from aimsctl.records import KINDS

    if config:
        return model_shape(AimsConfig)
    if isinstance(data, dict) and isinstance(data.get("kind"), str) and data["kind"] in KINDS:
        return model_shape(KINDS[data["kind"]])
    return None


def ordered(keys: list[Any], order: tuple[str, ...]) -> list[Any]:
    """``keys`` in ``order``; keys it does not name after, as they came."""
    rank = {name: index for index, name in enumerate(order)}
    known = sorted((k for k in keys if isinstance(k, str) and k in rank), key=rank.__getitem__)
    return known + [k for k in keys if not (isinstance(k, str) and k in rank)]


# --- step 1: the round-trip tree, normalized ---------------------------------------


def _plain_scalar(value: Any, date_field: bool = False, known: bool = False) -> Any:
    """``value`` without the form a person wrote it in (None: it keeps it): text
    unquoted, the emitter quotes what needs it; numbers in decimal (`010`, `0o2`,
    `0x10`, `9.0e-01` read differently, or not at all, in a YAML 1.1 reader).

    Text that looks like a date is written plain in a field that holds a date, and
    in double quotes elsewhere: plain, a YAML 1.1 reader takes it for a date. Where
    the contract is not ``known`` (a document of no kind), quoted text stays quoted
    and plain text plain."""
    if _anchored(value):
        return None
    if isinstance(value, SingleQuotedScalarString | DoubleQuotedScalarString):
        if not (known and date_field) and writing.DATE_LIKE.match(value):
            return DoubleQuotedScalarString(value)
        return str(value)
    if type(value) is str and known and not date_field and writing.DATE_LIKE.match(value):
        return DoubleQuotedScalarString(value)
    if isinstance(value, ScalarInt):
        return int(value)
    if isinstance(value, ScalarFloat):
        return float(value)
    return None


def _unquote(node: Any, shape: Shape | None, date_field: bool = False, known: bool = False) -> None:
    """Drop the quoting and number forms a person chose (see _plain_scalar).
    ``shape`` says which keys hold dates; ``known``, whether the document's contract
    is (a record of a kind, aims.yaml): below a key it does not describe, no date."""
    known = known or shape is not None
    if isinstance(node, CommentedMap):
        for key in list(node):
            value = node[key]
            dated = shape is not None and isinstance(key, str) and key in shape.dates
            plain = _plain_scalar(value, dated, known)
            if plain is not None:
                # CommentedMap's own __setitem__ would keep the quoting.
                ordereddict.__setitem__(node, key, plain)
            else:
                _unquote(value, shape.under(key) if shape is not None else None, dated, known)
    elif isinstance(node, CommentedSeq):
        inner = shape.items if shape is not None else None
        for index, value in enumerate(node):
            plain = _plain_scalar(value, date_field, known)
            if plain is not None:
                list.__setitem__(node, index, plain)
            else:
                _unquote(value, inner, known=known)


def _anchored(value: Any) -> bool:
    anchor = getattr(value, "anchor", None)
    return anchor is not None and getattr(anchor, "value", None) is not None


def _flow_text(node: Any) -> str:
    return writing.dump_all([node]).rstrip("\n").removesuffix("\n...")


def _layout(node: Any, shape: Shape | None, column: int) -> None:
    """Flow mappings put in key order; a flow collection too wide for its line
    becomes a block. ``column`` is where the keys or dashes of ``node`` start."""
    if isinstance(node, CommentedMap):
        if node.fa.flow_style() and shape is not None and shape.order and not node.ca.items:
            for key in ordered(list(node), shape.order):
                node.move_to_end(key)
        for key in list(node):
            value = node[key]
            inner = shape.under(key) if shape is not None else None
            if (
                writing.is_flow(value)
                and column + len(str(key)) + 2 + len(_flow_text(value)) > LINE_WIDTH
            ):
                value.fa.set_block_style()
            if not node.fa.flow_style():
                nested = column + writing.MAPPING_INDENT
                if isinstance(value, CommentedSeq) and not value.fa.flow_style():
                    nested = column + writing.SEQUENCE_DASH_OFFSET
                _layout(value, inner, nested)
            else:
                _layout(value, inner, column)
    elif isinstance(node, CommentedSeq):
        inner = shape.items if shape is not None else None
        for value in node:
            if writing.is_flow(value) and column + 2 + len(_flow_text(value)) > LINE_WIDTH:
                value.fa.set_block_style()
            _layout(value, inner, column + 2)


# --- step 2: the text, in order and spaced --------------------------------------------


def _last_line(node: yaml.Node) -> int:
    """The last line (0-based) that holds part of ``node``."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style or not node.value:
            return node.end_mark.line
        return max(_last_line(item) for item in node.value)
    assert isinstance(node, yaml.MappingNode)
    if node.flow_style or not node.value:
        return node.end_mark.line
    return max(max(_last_line(k), _last_line(v)) for k, v in node.value)


def _scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            yield current
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))


def protected_lines(nodes: list[yaml.Node]) -> set[int]:
    """Lines inside a multi-line value (after its first line): they are the value."""
    lines: set[int] = set()
    for root in nodes:
        for scalar in _scalars(root):
            last = _last_line(scalar)
            lines.update(range(scalar.start_mark.line + 1, last + 1))
    return lines


def _reorder_once(lines: list[str], nodes: list[yaml.Node], shapes: list[Shape | None]) -> bool:
    """Put each block mapping found out of order in order, what one put in order holds
    left to the next pass; False when none is out of order.

    ``nodes`` are the positions of ``lines`` when the pass began. Putting a mapping in
    order moves lines within its own lines only, and as many as there are, so every
    position outside it still holds: the mappings beside it and in other documents are
    put in order in the same pass, and only what it holds, whose lines moved, waits for
    the text to be read again. A file of many records out of order takes as many passes
    as mappings out of order are nested, not one pass (and one parse of the whole file)
    per mapping."""
    found = False
    for root, shape in zip(nodes, shapes, strict=False):
        if shape is not None and _reorder_in(lines, root, shape):
            found = True
    return found


def _reorder_in(lines: list[str], node: yaml.Node, shape: Shape) -> bool:
    """Put ``node``, or else what it holds, in order (see :func:`_reorder_once`);
    whether any lines moved."""
    if isinstance(node, yaml.SequenceNode):
        if shape.items is None:
            return False
        found = False
        for item in node.value:
            if _reorder_in(lines, item, shape.items):
                found = True
        return found
    if not isinstance(node, yaml.MappingNode):
        return False
    pairs = node.value
    keys = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in pairs]
    if shape.order and not node.flow_style and len(pairs) > 1:
        rank = {name: index for index, name in enumerate(shape.order)}
        known = sorted(
            (i for i, k in enumerate(keys) if isinstance(k, str) and k in rank),
            key=lambda i: (rank[str(keys[i])], i),
        )
        wanted = known + [i for i, k in enumerate(keys) if not (isinstance(k, str) and k in rank)]
        if wanted != list(range(len(keys))):
            first, before = _permute(lines, pairs, wanted)
            # An alias must follow its anchor: such keys keep the order they have. Only
            # lines with an alias among them can put one before its anchor.
            block = lines[first : first + len(before)]
            if not any("*" in line for line in block) or yamlsafe.aliases_follow_anchors(
                "".join(lines)
            ):
                return True
            lines[first : first + len(before)] = before
    found = False
    for key, (_, value) in zip(keys, pairs, strict=True):
        inner = shape.under(key)
        if inner is not None and _reorder_in(lines, value, inner):
            found = True
    return found


def _permute(
    lines: list[str], pairs: list[tuple[yaml.Node, yaml.Node]], wanted: list[int]
) -> tuple[int, list[str]]:
    """Move the lines of each key (with the comment and blank lines above it) so the
    keys come in the ``wanted`` order. Lines above the first key stay on top. The
    index of the first line replaced and the lines it replaced (as many as it put)."""
    starts = [key.start_mark.line for key, _ in pairs]
    ends = [max(_last_line(key), _last_line(value)) for key, value in pairs]
    column = pairs[0][0].start_mark.column
    limit = len(lines)
    for index in range(len(pairs)):
        # Comment lines indented deeper than the keys end the value above them.
        stop = starts[index + 1] if index + 1 < len(pairs) else limit
        while ends[index] + 1 < stop and _deeper_comment(lines[ends[index] + 1], column):
            ends[index] += 1
    units: list[list[str]] = []
    for index in range(len(pairs)):
        begin = starts[index] if index == 0 else ends[index - 1] + 1
        units.append(lines[begin : ends[index] + 1])
    first, last = starts[0], ends[-1]
    # A list item's first key shares its line with the dash (`- description: ...`):
    # the dash stays at the top and goes to the key now first, on that key's line.
    lead = lines[first][:column]
    if lead.strip():
        units[0][0] = " " * column + units[0][0][column:]
        head = units[wanted[0]]
        at = starts[wanted[0]] - (ends[wanted[0] - 1] + 1 if wanted[0] else starts[0])
        head[at] = lead + head[at][column:]
    # A key that was first has no lines above it in its unit, and the key now first
    # brings its own: those stay, and blank lines at the very top are dropped later.
    before = lines[first : last + 1]
    lines[first : last + 1] = [line for index in wanted for line in units[index]]
    return first, before


def _deeper_comment(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and len(line) - len(stripped) > column


_SEPARATOR = re.compile(r"^---(?:\s|$)")
# What YAML strips from a line's end: spaces, tabs and the line break. Python's
# str.rstrip() would also take a no-break or ideographic space, which is content.
YAML_WHITE = " \t\r\n"


def _space(lines: list[str], protected: set[int]) -> list[str]:
    """Blank lines as the canonical form has them; trailing spaces dropped (never
    inside a multi-line value)."""
    kept: list[str] = []
    kept_protected: list[bool] = []
    for number, line in enumerate(lines):
        if number in protected:
            kept.append(line)
            kept_protected.append(True)
            continue
        text = line.rstrip(YAML_WHITE)  # a no-break space ending a value is part of it
        if text == "":
            if not kept or (kept[-1].strip() == "" and not kept_protected[-1]):
                continue
            if _SEPARATOR.match(kept[-1]):
                continue
        elif _SEPARATOR.match(text):
            while kept and kept[-1].strip() == "" and not kept_protected[-1]:
                kept.pop()
                kept_protected.pop()
        kept.append(text + "\n")
        kept_protected.append(False)
    while kept and kept[-1].strip() == "" and not kept_protected[-1]:
        kept.pop()
        kept_protected.pop()
    return kept


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def _lines(text: str) -> list[str]:
    """The lines of ``text``, ends kept, broken at newlines only: YAML counts no other
    character as a line break (str.splitlines() also breaks at NEL and others)."""
    return _LINE.findall(text)


# --- comments, for the check that none is lost ------------------------------------------

_COMMENT = re.compile(r"(?:^|[ \t])(#.*)$")
_BLOCK_HEADER = re.compile(r"[|>][0-9+-]*")


def _outside_values(text: str) -> list[str]:
    """The lines of ``text`` with every character of every value blanked: what is
    left is keys' punctuation, indicators, separators and comments."""
    lines = text.split("\n")
    masked = [list(line) for line in lines]
    for root in yamlsafe.positioned_nodes(text):
        for scalar in _scalars(root):
            start, end = scalar.start_mark, scalar.end_mark
            # A block scalar starts at its indicator (`|-`); a comment after it on that
            # line is a comment, not the value.
            header = _BLOCK_HEADER.match(lines[start.line], start.column) if scalar.style else None
            for number in range(start.line, min(end.line, len(lines) - 1) + 1):
                row = masked[number]
                begin = start.column if number == start.line else 0
                stop = end.column if number == end.line else len(row)
                if header is not None and number == start.line:
                    stop = header.end()
                for column in range(begin, min(stop, len(row))):
                    row[column] = " "
    return ["".join(row) for row in masked]


def comments(text: str) -> Counter[str]:
    """Every comment in ``text`` (its words, spaces at the end dropped), counted."""
    found: Counter[str] = Counter()
    for row in _outside_values(text):
        match = _COMMENT.search(row)
        if match:
            found[match.group(1).rstrip()] += 1
    return found


def _block_comments_above(text: str) -> str:
    """``text`` with a comment on the indicator line of a list item's block scalar
    (`- |- # why`) moved to a line of its own above the item: ruamel.yaml, which
    edits the file, drops it there (and loses its neighbours' comments with it). So
    is one on the indicator line of a block scalar that holds NEL, LS or PS, which
    is written in double quotes (with no indicator line)."""
    if "#" not in text:
        return text
    lines = text.split("\n")
    moves: list[tuple[int, int]] = []  # (line, where the comment starts)

    def move(item: yaml.ScalarNode) -> None:
        line = lines[item.start_mark.line]
        header = _BLOCK_HEADER.match(line, item.start_mark.column)
        found = _COMMENT.search(line, header.end()) if header else None
        if found:
            moves.append((item.start_mark.line, found.start(1)))

    for root in yamlsafe.positioned_nodes(text):
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    stack.append(key)
                    breaks = isinstance(value, yaml.ScalarNode) and any(
                        c in value.value for c in yamlsafe.YAML11_BREAKS
                    )
                    if breaks and value.style in ("|", ">"):
                        move(value)
                    else:
                        stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    if isinstance(item, yaml.ScalarNode) and item.style in ("|", ">"):
                        move(item)
                    else:
                        stack.append(item)
    out: list[str] = []
    done = 0
    for number, at in sorted(moves):  # one block scalar starts on a line: one pass
        line = lines[number]
        indent = len(line) - len(line.lstrip(" "))
        out += lines[done:number]
        out += (" " * indent + line[at:].rstrip(), line[:at].rstrip())
        done = number + 1
    out += lines[done:]
    return "\n".join(out)


def _comments_moved_above(text: str, rows: list[str], moves: list[tuple[int, list[int]]]) -> str:
    """``text`` with the comments on the lines of each move on lines of their own above
    its first line, at that line's indentation; ``rows`` are _outside_values(text)."""
    lines = text.split("\n")
    ordered = sorted(moves)
    if all(anchor <= found[0] for anchor, found in ordered) and all(
        earlier[-1] < anchor for (_, earlier), (anchor, _) in itertools.pairwise(ordered)
    ):
        return _comments_moved_above_apart(lines, rows, ordered)
    for anchor, found in sorted(moves, reverse=True):
        moved = []
        for number in found:
            at = _COMMENT.search(rows[number])
            assert at is not None
            moved.append(lines[number][at.start(1) :].rstrip())
            lines[number] = lines[number][: at.start(1)].rstrip()
        indent = len(lines[anchor]) - len(lines[anchor].lstrip(" "))
        # Lines left empty by a comment that stood alone go: they were the comment.
        for number in reversed(found):
            if number != anchor and not lines[number].strip():
                del lines[number]
        lines[anchor:anchor] = [" " * indent + comment for comment in moved]
    return "\n".join(lines)


def _comments_moved_above_apart(
    lines: list[str], rows: list[str], moves: list[tuple[int, list[int]]]
) -> str:
    """_comments_moved_above for ``moves`` in order, each after the one before it (the
    usual case): the same lines, in one pass over them."""
    out: list[str] = []
    done = 0
    for anchor, found in moves:
        moved, kept = [], {}
        for number in found:
            at = _COMMENT.search(rows[number])
            assert at is not None
            moved.append(lines[number][at.start(1) :].rstrip())
            kept[number] = lines[number][: at.start(1)].rstrip()
        first = kept.get(anchor, lines[anchor])
        indent = len(first) - len(first.lstrip(" "))
        out += lines[done:anchor]
        out += [" " * indent + comment for comment in moved]
        for number in range(anchor, found[-1] + 1):
            line = kept.get(number, lines[number])
            # Lines left empty by a comment that stood alone go: they were the comment.
            if number == anchor or number not in kept or line.strip():
                out.append(line)
        done = found[-1] + 1
    out += lines[done:]
    return "\n".join(out)


def _key_comments_above(text: str) -> str:
    """``text`` with the comments between an explicit key's `?` and its `:` (on the
    key's line, or lines of their own) on lines of their own above the `?`: ruamel.yaml,
    which edits the file, writes the key without its `?` then, which does not read."""
    if "?" not in text or "#" not in text:
        return text
    rows = _outside_values(text)
    moves: list[tuple[int, list[int]]] = []  # (the `?` line, lines holding a comment)
    for root in yamlsafe.positioned_nodes(text):
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            if not isinstance(node, yaml.MappingNode):
                continue
            for key, value in node.value:
                stack.extend((key, value))
                mark = key.start_mark
                before = rows[mark.line][: mark.column].rstrip()
                if node.flow_style or not before.endswith("?"):
                    continue
                found = []
                for number in range(mark.line, len(rows)):
                    if rows[number].lstrip().startswith(":"):
                        break
                    if _COMMENT.search(rows[number]):
                        found.append(number)
                if found:
                    moves.append((mark.line, found))
    return _comments_moved_above(text, rows, moves)


def _flow_comments_above(text: str) -> str:
    """``text`` with the comments inside a flow list or mapping written over several
    lines (`tags: [bias,  # why`) on lines of their own above its key (or its list
    item's dash): ruamel.yaml, which edits the file, drops comments inside a flow
    collection."""
    if "#" not in text or not any(c in text for c in "[{"):
        return text
    rows = _outside_values(text)
    moves: list[tuple[int, list[int]]] = []  # (the key's line, lines holding a comment)

    def inside(anchor: int, flow: yaml.Node) -> None:
        start, end = flow.start_mark, flow.end_mark
        found = []
        for number in range(start.line, end.line + 1):
            at = _COMMENT.search(rows[number])
            if at and not (number == end.line and at.start(1) >= end.column):
                found.append(number)
        if found:
            moves.append((anchor, found))

    for root in yamlsafe.positioned_nodes(text):
        stack: list[yaml.Node] = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.flow_style:
                continue  # an outer flow collection's comments are moved whole
            pairs: list[tuple[int, yaml.Node]] = []
            if isinstance(node, yaml.MappingNode):
                pairs = [(key.start_mark.line, value) for key, value in node.value]
            elif isinstance(node, yaml.SequenceNode):
                pairs = [(item.start_mark.line, item) for item in node.value]
            for anchor, value in pairs:
                flow = isinstance(value, yaml.MappingNode | yaml.SequenceNode) and value.flow_style
                if flow and value.start_mark.line != value.end_mark.line:
                    inside(anchor, value)
                else:
                    stack.append(value)
    return _comments_moved_above(text, rows, moves)


_MARKER_COMMENT = re.compile(r"^---[ \t]+(#.*)$")


def _is_content(row: str) -> bool:
    return bool(row.strip()) and not row.lstrip().startswith("#")


def _marker_comments_apart(text: str) -> str:
    """``text`` with a comment on a ``---`` line between documents on a line of its
    own: below the marker when a document follows, else above it (ruamel.yaml drops
    a comment on the marker line; the first document's marker is
    _without_first_marker's)."""
    if "---" not in text:
        return text
    lines = text.split("\n")
    rows = _outside_values(text)
    first = next((n for n, row in enumerate(rows) if _is_content(row)), -1)
    markers = [n for n, row in enumerate(rows) if _SEPARATOR.match(row)]
    out: list[str] = []
    at = 0
    # Each marker's stretch (up to the next marker) is looked at once: linear in the
    # lines, however many markers there are.
    for index, number in enumerate(markers):
        found = _MARKER_COMMENT.match(rows[number])
        if number == first or found is None:
            continue
        comment = lines[number][found.start(1) :].rstrip()
        following = markers[index + 1] if index + 1 < len(markers) else len(lines)
        document_follows = any(_is_content(row) for row in rows[number + 1 : following])
        out += lines[at:number]
        out += ["---", comment] if document_follows else [comment, "---"]
        at = number + 1
    out += lines[at:]
    return "\n".join(out)


def _tabs_as_spaces(text: str) -> str:
    """``text`` with each tab that separates (outside values and comments) a space:
    YAML reads both alike, and ruamel.yaml, which edits the file, refuses some tabs
    that libyaml reads (`title: t<TAB># note`)."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    for number, row in enumerate(_outside_values(text)):
        match = _COMMENT.search(row)
        limit = match.start(1) if match else len(row)
        if "\t" in row[:limit]:
            line = lines[number]
            lines[number] = "".join(
                " " if at < limit and row[at] == "\t" else char for at, char in enumerate(line)
            )
    return "\n".join(lines)


# --- the whole ---------------------------------------------------------------------------


_START = re.compile(r"^---[ \t]*(#.*)?$")


def _without_first_marker(text: str) -> str:
    """``text`` without the ``---`` that opens its first document, a comment on that
    line kept on its own line (ruamel.yaml would lose the comments above it)."""
    lines = _lines(text)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _START.match(line.rstrip("\n"))
        if match:
            lines[number] = (match.group(1) + "\n") if match.group(1) else ""
        break
    return "".join(lines)


def _once(text: str, config: bool) -> str:
    documents = writing.load_all(_without_first_marker(text))
    data = [writing.plain(d) for d in documents]
    for document, plain_data in zip(documents, data, strict=True):
        shape = document_shape(plain_data, config)
        _unquote(document, shape)
        _layout(document, shape, 0)
    dumped = writing.dump_all(documents) if documents else ""
    lines = _lines(dumped)
    for _ in range(_MAX_PASSES):
        nodes = yamlsafe.positioned_nodes("".join(lines))
        shapes = [document_shape(d, config) for d in data]
        if not _reorder_once(lines, nodes, shapes):
            break
    text_out = "".join(lines)
    nodes = yamlsafe.positioned_nodes(text_out)
    return "".join(_space(_lines(text_out), protected_lines(nodes)))


def _not_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_not_finite(k) or _not_finite(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_not_finite(item) for item in value)
    return False


def _refuse_overflow(body: str, rel: str) -> None:
    """FormatError at the first number beyond the float range (``1e400``): YAML reads
    it as infinity, which the dumper would write as ``.inf``, a value the person did
    not write. The file is left as it is; validate reports the value (AIMS102)."""
    found = [
        node for root in yamlsafe.positioned_nodes(body) for node in _scalars(root)
        if yamlsafe.overflows(node)
    ]  # fmt: skip
    if found:
        first = min(found, key=lambda n: (n.start_mark.line, n.start_mark.column))
        mark = first.start_mark
        raise FormatError(
            f"{rel}:{mark.line + 1}:{mark.column + 1}: {yamlsafe.number_as_written(first.value)} "
            "is beyond the largest number YAML holds, so it reads as infinity and would be "
            "written back as .inf, which is not what it says; the file was left as it is "
            "(write the number you mean)"
        )


def canonical(text: str, rel: str, config: bool = False) -> str:
    """``text`` in canonical form; FormatError when it cannot be read, or formatting
    would change a value or lose a comment (it should not: please report it)."""
    # Lines end at LF, CR LF or CR, as YAML reads them; the canonical form ends them at LF,
    # or at CR LF in a file that ends every line so (a checkout with core.autocrlf=true):
    # a file's line ends are its own, as for every edit (writing.edit_text).
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and text.count("\n") == crlf == text.count("\r") else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text.removeprefix(bom).replace("\r\n", "\n").replace("\r", "\n")
    parsed = yamlsafe.parse(body)
    if parsed.problems:
        first = parsed.problems[0]
        raise FormatError(
            f"{rel}:{first.line}:{first.column}: {first.message}; fix it before formatting"
        )
    documents = [d.data for d in parsed.documents if d.data is not None]
    if not documents or not all(isinstance(d, dict) for d in documents):
        return text  # not a record file: validate says what it is
    if any(_not_finite(d) for d in documents):
        _refuse_overflow(body, rel)
    result = _once(
        _marker_comments_apart(
            _flow_comments_above(_key_comments_above(_block_comments_above(_tabs_as_spaces(body))))
        ),
        config,
    )
    for _ in range(3):  # a second pass settles what the first one moved
        again = _once(result, config)
        if again == result:
            break
        result = again
    if not writing.same_data(body, result):
        raise FormatError(
            f"{rel}: formatting would change a value, so it was left as it is "
            "(please report this to the aimsctl project)"
        )
    if comments(body) != comments(result):
        lost = comments(body) - comments(result)
        shown = ", ".join(sorted(lost)[:3]) or "a comment"
        raise FormatError(
            f"{rel}: formatting would lose or change a comment ({shown}), so it was left "
            "as it is (please report this to the aimsctl project)"
        )
    return bom + (result.replace("\n", newline) if newline != "\n" else result)
