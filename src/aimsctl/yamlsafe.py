"""Untrusted YAML in, plain data out, with positions available on demand.

libyaml's C parser composes the node tree (fast, and every node carries its
mark); our own walker turns nodes into plain Python values under the YAML 1.2
core schema. That keeps `on:` a string key (not the boolean of YAML 1.1), rejects
every tag outside the core schema, bounds nesting depth and alias expansion, and
reports duplicate keys. Positions are not stored per value: a finding asks for
one with :func:`locate`, which re-composes only the file it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml._yaml import CParser

MAX_DEPTH = 64
MAX_NODES = 200_000  # per document, aliases expanded: a "billion laughs" stops here
MAX_BYTES = 8 * 1024 * 1024
# The C composer recurses without a guard; a nesting deeper than this would crash
# it. Every level of nesting needs one of these indicator bytes, so their count
# bounds the depth and lets us skip the slower event scan for ordinary files.
_SAFE_INDICATOR_COUNT = 5_000

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ = _CORE + "map", _CORE + "seq"
_PLAIN = "?"  # our marker for an untagged plain scalar, resolved by the core schema

_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_MAYBE_SPECIAL = frozenset("0123456789+-.~tTfFnN")


class YamlProblem(Exception):
    """A problem that makes a document unusable; carries its position."""

    def __init__(self, code: str, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Problem:
    """A parse-level finding at a 1-based position."""

    code: str
    message: str
    line: int
    column: int


@dataclass(slots=True)
class ParsedDocument:
    index: int
    data: Any
    line: int
    column: int


@dataclass(slots=True)
class ParseResult:
    documents: list[ParsedDocument]
    problems: list[Problem]


class _Resolver(yaml.resolver.BaseResolver):
    """Tags only what is explicit; plain scalars are resolved later by the core schema."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    # The composer calls these for path-based resolvers, which we do not use, once
    # per node. Builtins accept the arguments, do nothing useful and cost far less
    # than a Python method call (about a tenth of the compose time).
    descend_resolver = slice  # type: ignore[assignment]
    ascend_resolver = tuple  # type: ignore[assignment]


class _Composer(CParser, _Resolver):
    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        _Resolver.__init__(self)


def _core_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar per the YAML 1.2 core schema."""
    if not value:
        return None
    if value[0] not in _MAYBE_SPECIAL:
        return value
    if value in ("~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT_RE.fullmatch(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT_RE.fullmatch(value):
        folded = value.lower()
        if folded.lstrip("+-") in (".inf", ".nan"):
            return float(folded.replace(".", ""))
        return float(value)
    return value


def _mark(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _explicit_scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _NULL and _core_scalar(value) is None:
        return None
    if tag == _BOOL and isinstance(_core_scalar(value), bool):
        return _core_scalar(value)
    if tag == _INT and _INT_RE.fullmatch(value):
        return _core_scalar(value)
    if tag == _FLOAT and (_INT_RE.fullmatch(value) or _FLOAT_RE.fullmatch(value)):
        return float(_core_scalar(value))
    line, col = _mark(node)
    if tag in (_NULL, _BOOL, _INT, _FLOAT):
        raise YamlProblem("AIMS004", f"value {value!r} does not fit its tag {tag}", line, col)
    raise YamlProblem(
        "AIMS004",
        f"tag {_short_tag(tag)} is not allowed: governance records use plain YAML values only",
        line,
        col,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _Walker:
    """Turns one composed document into plain data, enforcing the limits."""

    def __init__(self) -> None:
        self.nodes = 0
        self.duplicates: list[Problem] = []

    def value(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            line, col = _mark(node)
            raise YamlProblem(
                "AIMS006",
                f"document expands to more than {MAX_NODES} values (alias bomb or oversized "
                "document); split it or remove the aliases",
                line,
                col,
            )
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise YamlProblem(
                "AIMS006", f"nesting deeper than {MAX_DEPTH} levels is not allowed", line, col
            )
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _PLAIN:
                return _core_scalar(node.value)
            return _explicit_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                line, col = _mark(node)
                raise YamlProblem(
                    "AIMS004", f"tag {_short_tag(node.tag)} is not allowed", line, col
                )
            return [self.value(item, depth + 1) for item in node.value]
        if node.tag != _MAP:
            line, col = _mark(node)
            raise YamlProblem("AIMS004", f"tag {_short_tag(node.tag)} is not allowed", line, col)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_PLAIN, _STR):
                line, col = _mark(key_node)
                raise YamlProblem(
                    "AIMS004", "mapping keys must be plain text (field names)", line, col
                )
            key = key_node.value
            if key in result:
                line, col = _mark(key_node)
                self.duplicates.append(
                    Problem("AIMS005", f"duplicate key {key!r}: the first value is kept", line, col)
                )
                continue
            result[key] = self.value(value_node, depth + 1)
        return result


def _syntax_problem(error: yaml.YAMLError, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        return Problem(
            "AIMS002",
            f"the file contains a character YAML does not allow (code {error.character!r}); "
            "it may be binary or in the wrong encoding",
            1,
            1,
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and mark is not None and context_mark.line != mark.line:
        message += f"; the construct started at line {context_mark.line + 1}"
    if mark is None:
        return Problem("AIMS001", message, 1, 1)
    lines = text.splitlines()
    if mark.line < len(lines) and "\t" in lines[mark.line]:
        message += "; indent with spaces, not tabs"
    return Problem("AIMS001", message, mark.line + 1, mark.column + 1)


def _check_depth(text: str) -> None:
    """Measure the nesting with the event parser before the recursive composer sees it."""
    if sum(text.count(c) for c in "[{-:?") <= _SAFE_INDICATOR_COUNT:
        return
    parser = CParser(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    assert mark is not None
                    raise YamlProblem(
                        "AIMS006",
                        f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                break
    finally:
        parser.dispose()


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) to text, or a problem at the first bad byte."""
    if len(raw) > MAX_BYTES:
        return None, Problem(
            "AIMS007", f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it", 1, 1
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return None, Problem(
            "AIMS002",
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8",
            line,
            column,
        )
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return None, Problem(
            "AIMS002", "the file contains NUL bytes: it looks binary, not YAML", line, 1
        )
    return text, None


def _compose(text: str) -> tuple[list[yaml.Node], Problem | None]:
    """Every document node up to the first syntax error (and that error)."""
    nodes: list[yaml.Node] = []
    try:
        _check_depth(text)
    except YamlProblem as problem:
        return nodes, Problem(problem.code, problem.message, problem.line, problem.column)
    except yaml.YAMLError as error:
        return nodes, _syntax_problem(error, text)
    composer = _Composer(text)
    try:
        while composer.check_node():
            node = composer.get_node()
            if node is not None:
                nodes.append(node)
    except yaml.YAMLError as error:
        return nodes, _syntax_problem(error, text)
    finally:
        composer.dispose()
    return nodes, None


def parse(text: str) -> ParseResult:
    """All documents of a file as plain data, plus every problem found on the way."""
    nodes, syntax_problem = _compose(text)
    documents: list[ParsedDocument] = []
    problems: list[Problem] = []
    for index, node in enumerate(nodes):
        walker = _Walker()
        line, col = _mark(node)
        try:
            data = walker.value(node, 0)
        except YamlProblem as problem:
            problems.append(Problem(problem.code, problem.message, problem.line, problem.column))
            continue
        except RecursionError:
            problems.append(Problem("AIMS006", "nesting is too deep to read", line, col))
            continue
        problems.extend(walker.duplicates)
        documents.append(ParsedDocument(index, data, line, col))
    if syntax_problem is not None:
        problems.append(syntax_problem)
    return ParseResult(documents, problems)


def document_nodes(text: str) -> list[yaml.Node]:
    """The composed documents of a text that already parsed (for locating positions)."""
    return _compose(text)[0]


def locate(root: yaml.Node, parts: tuple[str | int, ...], at_key: bool) -> tuple[int, int, bool]:
    """Position of the value (or, with ``at_key``, the key) that ``parts`` leads to.

    When the path does not exist (a missing field) the deepest existing ancestor is
    used. The third item tells whether the full path was found.
    """
    node = root
    key_node: yaml.Node | None = None
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((kv for kv in node.value if kv[0].value == part), None)
            if match is None:
                return (*_mark(key_node or node), False)
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return (*_mark(key_node or node), False)
            key_node, node = None, node.value[part]
        else:
            return (*_mark(key_node or node), False)
    if at_key and key_node is not None:
        return (*_mark(key_node), True)
    return (*_mark(node), True)
