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
import weakref
from dataclasses import dataclass
from typing import Any

import yaml
from yaml._yaml import CParser

from aimsctl import codes

MAX_DEPTH = 64
MAX_NODES = 200_000  # per document, aliases expanded: a "billion laughs" stops here
MAX_BYTES = 8 * 1024 * 1024
MAX_DOCUMENTS = 10_000  # per file: each document costs a fixed overhead to read and check
# The C composer recurses without a guard, and builds every node before the walker
# counts them. Every level of nesting, every value after the first in a collection
# and every document needs one of these indicator bytes, so their count bounds
# depth, values and documents, and lets ordinary files skip the slower event scan.
_INDICATORS = "[{-:?,"
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
_TOO_DEEP = (
    f"nesting deeper than {MAX_DEPTH} levels is not allowed; records need only a few "
    "levels, so write the values out plainly"
)
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


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
        raise YamlProblem(
            codes.YAML_TAG,
            f"value {value!r} does not fit its tag {_short_tag(tag)}; remove the tag and "
            "write the plain value",
            line,
            col,
        )
    raise YamlProblem(
        codes.YAML_TAG,
        f"tag {_short_tag(tag)} is not allowed: governance records use plain YAML values "
        "only; remove the tag",
        line,
        col,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _tag_refused(tag: str) -> str:
    return (
        f"tag {_short_tag(tag)} is not allowed: governance records use plain YAML values "
        "only; remove the tag"
    )


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
                codes.YAML_LIMITS,
                f"document expands to more than {MAX_NODES} values (alias bomb or oversized "
                "document); split it or remove the aliases",
                line,
                col,
            )
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise YamlProblem(codes.YAML_LIMITS, _TOO_DEEP, line, col)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _PLAIN:
                return _core_scalar(node.value)
            return _explicit_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                line, col = _mark(node)
                raise YamlProblem(codes.YAML_TAG, _tag_refused(node.tag), line, col)
            return [self.value(item, depth + 1) for item in node.value]
        if node.tag != _MAP:
            line, col = _mark(node)
            raise YamlProblem(codes.YAML_TAG, _tag_refused(node.tag), line, col)
        result: dict[str, Any] = {}
        key_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_PLAIN, _STR):
                line, col = _mark(key_node)
                raise YamlProblem(
                    codes.YAML_TAG,
                    "a field name must be plain text, not a list, mapping or tagged value; "
                    "write the field name as a word",
                    line,
                    col,
                )
            key = key_node.value
            if key == "<<" and key_node.tag == _PLAIN:
                line, col = _mark(key_node)
                raise YamlProblem(
                    codes.YAML_TAG,
                    "merge keys (<<) are not supported: governance records use plain YAML "
                    "values only; write the fields out in full",
                    line,
                    col,
                )
            if key in result:
                line, col = _mark(key_node)
                self.duplicates.append(
                    Problem(
                        codes.DUPLICATE_KEY,
                        f"duplicate key {key!r}: it is already given at line "
                        f"{_mark(key_nodes[key])[0]}; delete one of the two",
                        line,
                        col,
                    )
                )
                continue
            key_nodes[key] = key_node
            result[key] = self.value(value_node, depth + 1)
        return result


# libyaml's problem texts, by a distinctive part, in plain words with what to do.
_SYNTAX_WORDS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "a ':' stands where no field can start; put quotes around a value that "
        "contains ': ', or line this field up with the fields above it",
    ),
    (
        "block sequence entries are not allowed",
        "a '- ' list item stands where no list can start; check the indentation of this line",
    ),
    (
        "mapping keys are not allowed",
        "a '? ' key stands where no field can start; check the indentation of this line",
    ),
    (
        "could not find expected ':'",
        "a field name is not followed by ':'; add the ':', or put quotes around a "
        "value that runs over several lines",
    ),
    (
        "did not find expected key",
        "this line does not line up with the fields of the mapping it belongs to; "
        "check its indentation, and that quotes and brackets opened above are closed",
    ),
    (
        "did not find expected '-' indicator",
        "this line does not line up with the list items above it; check its indentation",
    ),
    (
        "did not find expected ',' or ']'",
        "a list opened with '[' is not closed; add the missing ']' (or a ',' between the items)",
    ),
    (
        "did not find expected ',' or '}'",
        "a mapping opened with '{' is not closed; add the missing '}' (or a ',' "
        "between the fields)",
    ),
    (
        "found unexpected end of stream",
        "a quoted value is never closed; add the closing quote",
    ),
    (
        "found unexpected document indicator",
        "a quoted value is not closed before a '---' or '...' line; add the closing quote",
    ),
    (
        "found unknown escape character",
        "a backslash in a double-quoted value starts an unknown escape; write a "
        "backslash as \\\\, or use single quotes",
    ),
    (
        "did not find expected hexdecimal number",
        "a \\x, \\u or \\U escape in a double-quoted value is not followed by hex "
        "digits; write the character itself, or use single quotes",
    ),
    (
        "found invalid Unicode character escape code",
        "a \\u or \\U escape in a double-quoted value names no valid character; "
        "write the character itself",
    ),
    (
        "found a tab character",
        "a tab is used for indentation; indent with spaces",
    ),
    (
        "found character that cannot start any token",
        "a value cannot start with this character ('@', '`' and tabs are reserved); "
        "put quotes around the value",
    ),
    (
        "did not find expected <document start>",
        "there is content after a '...' end marker; start the next record with '---' "
        "or remove the '...'",
    ),
    (
        "did not find expected comment or line break",
        "unexpected text after a marker or value on the same line; move it to its own "
        "line or put quotes around the value",
    ),
    (
        "found undefined alias",
        "an alias (*name) refers to no anchor (&name) defined before it; write the "
        "value out in full",
    ),
    (
        "found duplicate anchor",
        "the same anchor name (&name) is defined twice; rename one, or write the "
        "values out in full",
    ),
    (
        "did not find expected alphabetic or numeric character",
        "an anchor (&) or alias (*) has no name; put quotes around a value that "
        "starts with '&' or '*'",
    ),
    (
        "did not find expected node content",
        "a value is missing here; look for a stray ',', '-', '?' or ':'",
    ),
    (
        "found an indentation indicator equal to 0",
        "a '|' or '>' block value has the indentation indicator 0; use 1 to 9, or leave it out",
    ),
    (
        "directive",
        "this '%' directive line is not valid YAML 1.2; remove it (records need no "
        "directives), or put quotes around a value that starts with '%'",
    ),
    (
        "tag",
        "a tag (a word starting with '!') is malformed; remove it, or put quotes "
        "around a value that starts with '!'",
    ),
)


def _plain_words(problem: str, context: str | None) -> str | None:
    """libyaml's problem text as plain words, or None when it is not known."""
    for needle, words in _SYNTAX_WORDS:
        if needle in problem or (context is not None and needle in context):
            return words
    return None


def _syntax_problem(error: yaml.YAMLError, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        # libyaml counts the offset in UTF-8 bytes.
        before = text.encode("utf-8")[: max(error.position, 0)]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        code = error.character if isinstance(error.character, int) else 0
        return Problem(
            codes.ENCODING,
            f"the file contains the control character U+{code:04X}, which YAML does not "
            "allow; delete it (it often comes from text copied out of another program), "
            "or move a binary file out of the record folders",
            line,
            column,
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", None) or error)
    context = getattr(error, "context", None)
    if problem == _LIBYAML_TOO_DEEP:
        # libyaml (PyYAML 6.0.4 and later) refuses deep nesting itself, while scanning
        # ahead of our event count: the same problem, reported as ours.
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return Problem(codes.YAML_LIMITS, _TOO_DEEP, line, column)
    words = _plain_words(problem, context)
    if words is not None:
        message = f"YAML syntax error: {words}"
    else:
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    context_mark = getattr(error, "context_mark", None)
    began = _began(context)
    if (
        began is not None
        and context_mark is not None
        and mark is not None
        and context_mark.line != mark.line
    ):
        message += f" ({began} at line {context_mark.line + 1})"
    if mark is None:
        return Problem(codes.YAML_SYNTAX, message, 1, 1)
    lines = text.splitlines()
    if mark.line < len(lines) and "\t" in lines[mark.line]:
        line_text = lines[mark.line]
        if line_text[mark.column : mark.column + 1] == "\t" or line_text.startswith("\t"):
            message = "YAML syntax error: a tab is used for indentation; indent with spaces"
        elif "tab" not in message:
            message += "; indent with spaces, not tabs"
    return Problem(codes.YAML_SYNTAX, message, mark.line + 1, mark.column + 1)


def _began(context: str | None) -> str | None:
    """Where the construct that the error interrupts began, in words (None: not useful)."""
    if not context:
        return None
    if "duplicate anchor" in context:
        return "the first one is"
    if "quoted scalar" in context:
        return "the quoted value began"
    if "block scalar" in context:
        return "the block value began"
    if "flow sequence" in context:
        return "the list began"
    if "flow mapping" in context:
        return "the mapping began"
    return None


def _check_limits(text: str) -> None:
    """Measure nesting, values and documents with the event parser, before the composer.

    The C composer recurses without a guard and builds every node before our walker
    can count them, so a deep or huge document is refused here, from the events.
    Stops scanning after MAX_DOCUMENTS documents (the composer stops there too).
    """
    if sum(text.count(c) for c in _INDICATORS) <= _SAFE_INDICATOR_COUNT:
        return
    parser = CParser(text)
    # Per open collection: [is a mapping, the next node in it is a key].
    stack: list[list[bool]] = []
    values = documents = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.NodeEvent):
                top = stack[-1] if stack else None
                is_key = top is not None and top[0] and top[1]
                if top is not None and top[0]:
                    top[1] = not top[1]
                if not is_key:
                    values += 1
                    if values > MAX_NODES:
                        raise _event_problem(
                            event,
                            f"document holds more than {MAX_NODES} values; split it into "
                            "several files",
                        )
                if isinstance(event, yaml.CollectionStartEvent):
                    stack.append([isinstance(event, yaml.MappingStartEvent), True])
                    if len(stack) > MAX_DEPTH:
                        raise _event_problem(event, _TOO_DEEP)
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
            elif isinstance(event, yaml.DocumentStartEvent):
                values = 0
                documents += 1
                if documents > MAX_DOCUMENTS:
                    break
            elif isinstance(event, yaml.StreamEndEvent):
                break
    finally:
        parser.dispose()


def _event_problem(event: yaml.Event, message: str) -> YamlProblem:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlProblem(codes.YAML_LIMITS, message, line, column)


# Byte-order marks of the encodings YAML files are wrongly saved in most often;
# the UTF-32 marks come first because they begin with the UTF-16 ones.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# The first bytes of binary files that end up with a .yaml name.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
)
_NOT_TEXT = "move it out of the record folders, or exclude it in aims.yaml"


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) to text, or a problem at the first bad byte."""
    if len(raw) > MAX_BYTES:
        return None, Problem(
            codes.FILE_TOO_LARGE,
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it into smaller "
            "files, or exclude it in aims.yaml if it is not a record",
            1,
            1,
        )
    for bom, encoding in _OTHER_BOMS:
        if raw.startswith(bom):
            return None, Problem(
                codes.ENCODING,
                f"the file is saved as {encoding} (it starts with a {encoding} byte-order "
                "mark); save it as UTF-8",
                1,
                1,
            )
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            return None, Problem(
                codes.ENCODING, f"the file is {what}, not YAML text; {_NOT_TEXT}", 1, 1
            )
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        return None, Problem(
            codes.ENCODING,
            f"the file contains NUL bytes: it looks binary, not YAML text; {_NOT_TEXT}",
            line,
            1,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, Problem(
            codes.ENCODING,
            f"the file is not valid UTF-8 text (byte 0x{raw[error.start]:02x}; perhaps "
            "it was saved as Latin-1 or Windows-1252); save it as UTF-8",
            line,
            column,
        )
    return text, None


# libyaml follows YAML 1.1, which reads NEL, LS and PS as line breaks; YAML 1.2, like
# every editor, reads them as ordinary characters. While libyaml reads the text they
# are replaced by noncharacters, one for one, so lines and columns are counted as
# the editor counts them and values keep the characters (restored in the nodes).
_YAML11_BREAKS = "\x85\u2028\u2029"
_STAND_INS = "\ufdd0\ufdd1\ufdd2"
_TO_STAND_IN = str.maketrans(_YAML11_BREAKS, _STAND_INS)
_FROM_STAND_IN = str.maketrans(_STAND_INS, _YAML11_BREAKS)


def _stand_in(text: str) -> tuple[str, bool]:
    """The text with YAML 1.1-only line breaks replaced, and whether any were."""
    if not any(c in text for c in _YAML11_BREAKS) or any(c in text for c in _STAND_INS):
        return text, False
    return text.translate(_TO_STAND_IN), True


def _restore(nodes: list[yaml.Node]) -> None:
    """Put the replaced characters back into every scalar (each node once)."""
    seen: set[int] = set()
    stack: list[yaml.Node] = list(nodes)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            node.value = node.value.translate(_FROM_STAND_IN)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def _compose(text: str) -> tuple[list[yaml.Node], Problem | None]:
    """Every document node up to the first syntax error (and that error)."""
    text, replaced = _stand_in(text)
    nodes, problem = _compose_text(text)
    if replaced:
        _restore(nodes)
    return nodes, problem


def _compose_text(text: str) -> tuple[list[yaml.Node], Problem | None]:
    nodes: list[yaml.Node] = []
    try:
        _check_limits(text)
    except YamlProblem as problem:
        return nodes, Problem(problem.code, problem.message, problem.line, problem.column)
    except yaml.YAMLError as error:
        return nodes, _syntax_problem(error, text)
    composer = _Composer(text)
    try:
        while composer.check_node():
            if len(nodes) == MAX_DOCUMENTS:
                event = composer.peek_event()
                mark = event.start_mark if event is not None else None
                return nodes, Problem(
                    codes.YAML_LIMITS,
                    f"file holds more than {MAX_DOCUMENTS} YAML documents; split it into "
                    "several files",
                    mark.line + 1 if mark is not None else 1,
                    mark.column + 1 if mark is not None else 1,
                )
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
            problems.append(Problem(codes.YAML_LIMITS, _TOO_DEEP, line, col))
            continue
        problems.extend(walker.duplicates)
        documents.append(ParsedDocument(index, data, line, col))
    if syntax_problem is not None:
        problems.append(syntax_problem)
    return ParseResult(documents, problems)


def document_nodes(text: str) -> list[yaml.Node]:
    """The composed documents of a text that already parsed (for locating positions)."""
    return _compose(text)[0]


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
