"""Untrusted YAML in, plain data out, with positions available on demand.

libyaml's C parser composes the node tree (fast, and every node carries its
mark); our own walker turns nodes into plain Python values under the YAML 1.2
core schema. That keeps `on:` a string key (not the boolean of YAML 1.1), rejects
every tag outside the core schema, bounds nesting depth and alias expansion, and
reports duplicate keys. Positions are not stored per value: a finding asks for
one with :func:`locate`, which re-composes only the file it needs.
"""

from __future__ import annotations

import codecs
import math
import re
import sys
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import yaml
from yaml._yaml import CParser, get_version_string

from aimsctl import codes, collector
from aimsctl.text import invisible_start, lookalike_space, read_as_zero

# What reads the YAML: a cache of parses (aimsctl.cache.FileCache) is keyed by it.
PARSER = f"PyYAML {yaml.__version__}, libyaml {get_version_string()}"
MAX_DEPTH = 64
MAX_NODES = 200_000  # per document, aliases expanded: a "billion laughs" stops here
MAX_BYTES = 8 * 1024 * 1024
MAX_DOCUMENTS = 10_000  # per file: each document costs a fixed overhead to read and check
# Budgets of values read, counted with aliases expanded, so that reading stays
# bounded however the documents of a file and the files of a run are arranged
# (10,000 documents of aliases, each just under MAX_NODES, took 19 minutes). A
# value costs up to 5 microseconds to scan, compose and walk (a field name beside
# it included), so a file's budget is read in under 3 seconds. No honest input comes
# near: the 50,000 records of benchmarks/ hold 36 values each, one per 20 bytes,
# so even 8 MiB of such records is 420,000 values, and all of them 1.8 million.
MAX_FILE_VALUES = 500_000  # per file, all its documents
MAX_RUN_VALUES = 5_000_000  # per run, all its files (a file parsed once counts once)
# Per run, the values reached through an alias (they count in the two above too).
# An anchor serves only its own document, so a record repeats a few values at most.
MAX_ALIAS_VALUES = 250_000
MAX_NUMBER_DIGITS = 500  # an integer longer than this is refused, not converted
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
    record: str | None = None  # the id of the record it is in, where the document has one


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
    read: int = 0  # documents composed, those with problems included


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


class _LongNumber(ValueError):
    """An integer written with more than MAX_NUMBER_DIGITS characters."""


class _ZeroedNumber(ValueError):
    """A decimal number, not zero, so close to zero that a 64-bit float reads it as 0
    (``1e-400``). A value silently changed by parsing could make a failing metric pass
    or a breach disappear, so it is refused. (One beyond the float range reads as
    infinity, which every numeric field of a record refuses as not finite.)"""


def _core_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar per the YAML 1.2 core schema.

    Raises _LongNumber for an integer longer than MAX_NUMBER_DIGITS: converting
    decimal digits takes time quadratic in their number (Python refuses more than
    4,300), and a longer integer could not even be printed in a message.
    """
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
        if len(value) > MAX_NUMBER_DIGITS and _digits(value) > MAX_NUMBER_DIGITS:
            raise _LongNumber(value)
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT_RE.fullmatch(value):
        folded = value.lower()
        if folded.lstrip("+-") in (".inf", ".nan"):
            return float(folded.replace(".", ""))
        number = float(value)
        if read_as_zero(value, number):
            raise _ZeroedNumber(value)
        return number
    return value


def _digits(integer: str) -> int:
    """The digits of an integer as the core schema writes it: no sign, no 0x or 0o."""
    return len(integer.lstrip("+-").removeprefix("0x").removeprefix("0o"))


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
    if tag == _FLOAT and _INT_RE.fullmatch(value):
        number: int = _core_scalar(value)
        try:
            return float(number)
        except OverflowError:  # beyond the largest float, which YAML reads as infinity
            return float("inf") if number > 0 else float("-inf")
    if tag == _FLOAT and _FLOAT_RE.fullmatch(value):
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


class _Spent(Exception):
    """A walk ran out of the file's or the run's budget at this position."""

    def __init__(self, line: int, column: int, *, aliases: bool) -> None:
        super().__init__(line, column, aliases)
        self.line = line
        self.column = column
        self.aliases = aliases  # the budget of values reached through aliases


class _Walker:
    """Turns one composed document into plain data, enforcing the limits.

    ``allowance`` is how many values the walk may visit, aliases expanded: MAX_NODES,
    or less when that is all that is left of the file's or the run's budget;
    ``alias_allowance`` how many of them it may reach through aliases. Only with
    ``track`` are aliases told apart (a node visited a second time is reached
    through one), which a text without an anchor (``&``) cannot have.
    """

    def __init__(
        self,
        allowance: int = MAX_NODES,
        alias_allowance: int = MAX_ALIAS_VALUES,
        track: bool = True,
    ) -> None:
        self.nodes = 0
        self.aliased = 0
        self.allowance = allowance
        self.alias_allowance = alias_allowance
        self.seen: set[int] | None = set() if track else None
        self.inside = False  # walking a value reached through an alias
        self.duplicates: list[Problem] = []

    def value(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.allowance:
            line, col = _mark(node)
            if self.nodes <= MAX_NODES:
                raise _Spent(line, col, aliases=False)
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
        entered = False
        if self.seen is not None:
            if self.inside or id(node) in self.seen:
                self.aliased += 1
                if self.aliased > self.alias_allowance:
                    raise _Spent(*_mark(node), aliases=True)
                entered = not self.inside
                self.inside = True
            else:
                self.seen.add(id(node))
        result: Any
        if isinstance(node, yaml.ScalarNode):
            try:
                result = _core_scalar(node.value) if node.tag == _PLAIN else _explicit_scalar(node)
                if type(result) is str and len(result) <= 32:
                    result = sys.intern(result)
            except _LongNumber:
                raise _long_number(node) from None
            except _ZeroedNumber:
                raise _zeroed_number(node) from None
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                line, col = _mark(node)
                raise YamlProblem(codes.YAML_TAG, _tag_refused(node.tag), line, col)
            result = [self.value(item, depth + 1) for item in node.value]
        else:
            result = self._mapping(node, depth)
        if entered:
            self.inside = False
        return result

    def _mapping(self, node: yaml.Node, depth: int) -> dict[str, Any]:
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
            # Every record repeats the same few dozen field names: one string each.
            key = sys.intern(key_node.value)
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
                first = _mark(key_nodes[key])[0]
                if depth == 0 and key == "kind":
                    # Two records run together: the fix is a separator, not a deletion.
                    message = (
                        f"a second 'kind' at the top level: the record from line {first} "
                        "runs into another one; put a line '---' above this one to "
                        "separate the two records"
                    )
                else:
                    message = (
                        f"duplicate key {key!r}: it is already given at line {first}; "
                        "delete one of the two"
                    )
                self.duplicates.append(Problem(codes.DUPLICATE_KEY, message, line, col))
                continue
            key_nodes[key] = key_node
            result[key] = self.value(value_node, depth + 1)
        return result


def _long_number(node: yaml.Node) -> YamlProblem:
    line, col = _mark(node)
    return YamlProblem(
        codes.YAML_LIMITS,
        f"a number with more than {MAX_NUMBER_DIGITS} digits is not allowed; put quotes "
        "around it if it is text",
        line,
        col,
    )


def number_as_written(text: str) -> str:
    """A number's text as written in a file, for a message: at most 40 characters."""
    return text if len(text) <= 40 else f"{text[:40]}..."


def _zeroed_number(node: yaml.Node) -> YamlProblem:
    line, col = _mark(node)
    shown = number_as_written(node.value)
    return YamlProblem(
        codes.YAML_LIMITS,
        f"the number {shown} is too close to zero for a record to hold: it would be read "
        "as 0; write a value that can be held (in other units if need be), or 0 if it is zero",
        line,
        col,
    )


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
        "a field name is not followed by ': ' (a colon, then a space); add them, or "
        "put quotes around a value that runs over several lines",
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
        line, column = _byte_position(text.encode("utf-8"), max(error.position, 0))
        code = error.character if isinstance(error.character, int) else 0
        # Ctrl-Z as the last character is the end-of-file mark old DOS and Windows tools
        # add; anywhere it is most often text pasted from another program.
        end = text.rstrip("\r\n")
        source = (
            "it is the end-of-file mark (Ctrl-Z) some old Windows tools add"
            if code == 0x1A and end.endswith("\x1a") and end.count("\x1a") == 1
            else "it often comes from text copied out of another program"
        )
        return Problem(
            codes.ENCODING,
            f"the file contains the control character U+{code:04X}, which YAML does not "
            f"allow; delete it ({source}), or move a binary file out of the record folders",
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
    if mark is None:
        return Problem(codes.YAML_SYNTAX, message, 1, 1)
    line, column = _mark_in(text, mark)
    if problem == "did not find expected <document start>":
        directive = _directive_before(text, mark.line)
        if directive is not None:
            # A '%' line inside a record ends it, as '...' would: say which line.
            return Problem(codes.YAML_SYNTAX, _DIRECTIVE_INSIDE, directive, 1)
    if problem in _AFTER_A_VALUE and _after_a_closing_quote(text, mark):
        return Problem(codes.YAML_SYNTAX, _QUOTE_ENDS_EARLY, line, column)
    context_mark = getattr(error, "context_mark", None)
    began = _began(context)
    if began is not None and context_mark is not None and context_mark.line + 1 != line:
        message += f" ({began} at line {context_mark.line + 1})"
    lines = text.splitlines()
    pasted = _pasted_indentation(lines, mark.line)
    if pasted is not None:
        return Problem(codes.YAML_SYNTAX, pasted[1], pasted[0], 1)
    if mark.line < len(lines) and "\t" in lines[mark.line]:
        line_text = lines[mark.line]
        if line_text[mark.column : mark.column + 1] == "\t" or line_text.startswith("\t"):
            message = "YAML syntax error: a tab is used for indentation; indent with spaces"
        elif "tab" not in message:
            message += "; indent with spaces, not tabs"
    return Problem(codes.YAML_SYNTAX, message, line, column)


# libyaml's problems when more text follows a complete value on its line.
_AFTER_A_VALUE = frozenset(
    (
        "did not find expected key",
        "did not find expected '-' indicator",
        "did not find expected ',' or ']'",
        "did not find expected ',' or '}'",
    )
)
_QUOTE_ENDS_EARLY = (
    "YAML syntax error: text follows the closing quote of a quoted value on this "
    "line; to put a quote inside a value, double it inside single quotes ('it''s') "
    'or write \\" inside double quotes'
)


def _after_a_closing_quote(text: str, mark: yaml.Mark) -> bool:
    """Whether the text before ``mark`` on its line ends with a quote: a quoted value
    (`title: "a "b" c"`, `title: 'it's'`) closed by what was meant as a quote inside
    it, libyaml's problem standing at the text after it."""
    lines = text.splitlines()
    if mark.line >= len(lines):
        return False
    return lines[mark.line][: mark.column].rstrip().endswith(('"', "'"))


def _pasted_indentation(lines: list[str], line: int) -> tuple[int, str] | None:
    """The line (1-based) at or just above ``line`` (0-based, where libyaml noticed)
    that is indented with a character that only looks like a space, or up to it one
    that starts with an invisible character, and its problem; or None."""
    # libyaml may read such a character as the start of a new stream and stumble
    # lines later, so every line up to where it did is looked at
    for number, text in enumerate(lines[: line + 1]):
        hidden = invisible_start(text)
        if hidden is not None:
            return number + 1, (
                f"YAML syntax error: this line starts with {hidden}, an invisible "
                "character (a byte-order mark left where two files were joined, or pasted "
                "with text); delete it"
            )
    for number in (line, line - 1):
        odd = lookalike_space(lines[number]) if 0 <= number < len(lines) else None
        if odd is not None:
            return number + 1, (
                f"YAML syntax error: this line is indented with {odd}, which looks like "
                "a space but is read as text (it comes with text pasted from a web page "
                "or a word processor); indent with ordinary spaces"
            )
    return None


_DIRECTIVE_INSIDE = (
    "YAML syntax error: a line starting with '%' is read as a directive, which may "
    "only stand before a document's '---'; remove it, or put quotes around a value "
    "that starts with '%'"
)


def _directive_before(text: str, line: int) -> int | None:
    """The 1-based line of the directive that ends the lines before ``line`` (0-based),
    blank lines and comments aside; None when another line does."""
    for number in range(min(line, len(lines := text.splitlines())) - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number + 1 if lines[number].startswith("%") else None
    return None


def _mark_in(text: str, mark: Any) -> tuple[int, int]:
    """The 1-based line and column of a parser's mark in ``text``.

    libyaml ends a last line that has no line break with one of its own, and puts an
    error at the end of such a file on the line after it, which the file does not
    have: that error is at the end of the last line.
    """
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if mark.line > breaks:
        last = text[max(text.rfind("\n"), text.rfind("\r")) + 1 :]
        return breaks + 1, len(last) + 1
    return mark.line + 1, mark.column + 1


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
    if "simple key" in context:
        # libyaml reports a key without ': ' on the line after it (`owner:me`).
        return "the field began"
    return None


# Where a collection stands while the scan counts its values: a sequence item, a
# mapping key (not a value) or a mapping value; or the document's root.
_ITEM, _KEY, _VALUE, _ROOT = range(4)


class _Scanner:
    """Nesting and values measured with the event parser, a document ahead of the composer.

    The C composer recurses without a guard and builds every node of a document
    before our walker can count them, so a deep or huge document is refused here,
    from the events: nesting deeper than MAX_DEPTH, more than MAX_NODES values in a
    document, or more than ``values`` in the file (``over`` says so; ``spent``
    tells it was this). ``written`` counts the values scanned (an alias once).
    """

    def __init__(self, text: str, values: int, over: str) -> None:
        self.text = text
        self.values = values
        self.over = over
        self.parser = CParser(text)
        self.written = 0
        self.problem: Problem | None = None
        self.spent = False

    def passes(self) -> bool:
        """Scan the next document: whether it may be composed (True too when there is none)."""
        get_event = self.parser.get_event
        stack: list[int] = []
        top = _ROOT
        in_document = 0
        written = self.written
        try:
            while (event := get_event()) is not None:
                kind = type(event)
                opens = kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent
                if opens or kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                    if top == _KEY:
                        top = _VALUE
                    else:
                        if top == _VALUE:
                            top = _KEY
                        in_document += 1
                        written += 1
                        if in_document > MAX_NODES:
                            return self._refuse(
                                event,
                                f"document holds more than {MAX_NODES} values; split it into "
                                "several files",
                            )
                        if written > self.values:
                            self.spent = True
                            return self._refuse(event, self.over)
                    if opens:
                        stack.append(top)
                        if len(stack) > MAX_DEPTH:
                            return self._refuse(event, _TOO_DEEP)
                        top = _KEY if kind is yaml.MappingStartEvent else _ITEM
                elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                    top = stack.pop()
                elif kind is yaml.DocumentEndEvent or kind is yaml.StreamEndEvent:
                    return True
        except yaml.YAMLError as error:
            self.problem = _syntax_problem(error, self.text)
            return False
        finally:
            self.written = written
        return True

    def _refuse(self, event: yaml.Event, message: str) -> bool:
        self.problem = _event_problem(event, message)
        return False


def _event_problem(event: yaml.Event, message: str) -> Problem:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(codes.YAML_LIMITS, message, line, column)


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
    # Positions are counted after the byte-order mark, as in the text that is parsed.
    body = raw.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in body:
        wide = _wide_encoding(body)
        if wide is not None:
            return None, Problem(
                codes.ENCODING,
                f"the file looks saved as {wide} without a byte-order mark (a NUL byte "
                "beside each letter); save it as UTF-8",
                1,
                1,
            )
        line, column = _byte_position(body, body.index(b"\x00"))
        return None, Problem(
            codes.ENCODING,
            f"the file contains NUL bytes: it looks binary, not YAML text; {_NOT_TEXT}",
            line,
            column,
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(body, error.start)
        return None, Problem(
            codes.ENCODING,
            f"the file is not valid UTF-8 text (byte 0x{body[error.start]:02x}; perhaps "
            "it was saved as Latin-1 or Windows-1252); save it as UTF-8",
            line,
            column,
        )
    return text, None


def narrowed(raw: bytes) -> bytes:
    """``raw`` without its NUL bytes: in a file saved as UTF-16 or UTF-32, which
    :func:`decode` refuses, every ASCII letter (all of a record id) then reads as in
    UTF-8, so the ids the file holds can still be found and set aside."""
    return raw.replace(b"\0", b"") if b"\0" in raw else raw


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (little- or big-endian) when ``data`` starts as mostly ASCII
    text in it would: in nine of ten of its first 64 units every byte but the one
    holding the letter is NUL (a binary file's NUL bytes fall otherwise)."""
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = [data[i : i + width] for i in range(0, min(len(data), 64 * width), width)]
        if len(units) < 4 or len(units[-1]) != width:
            continue
        for at in (0, width - 1):
            ascii_units = sum(1 for u in units if 0x09 <= u[at] < 0x7F and u.count(0) == width - 1)
            if ascii_units * 10 >= len(units) * 9:
                return name
    return None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of byte ``offset`` of UTF-8 ``data``,
    lines ended by LF, CR LF or CR, as the parser and editors count them."""
    before = data[:offset]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return line, len(before[start:].decode("utf-8", "replace")) + 1


# libyaml follows YAML 1.1, which reads NEL, LS and PS as line breaks; YAML 1.2, like
# every editor, reads them as ordinary characters. While libyaml reads the text they
# are replaced by noncharacters, one for one, so lines and columns are counted as
# the editor counts them and values keep the characters (restored in the nodes).
YAML11_BREAKS = "\x85\u2028\u2029"
_STAND_INS = "\ufdd0\ufdd1\ufdd2"
_TO_STAND_IN = str.maketrans(YAML11_BREAKS, _STAND_INS)
FROM_STAND_IN = str.maketrans(_STAND_INS, YAML11_BREAKS)


def stand_in(text: str) -> tuple[str, bool]:
    """The text with YAML 1.1-only line breaks replaced, and whether any were."""
    if not any(c in text for c in YAML11_BREAKS) or any(c in text for c in _STAND_INS):
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
            node.value = node.value.translate(FROM_STAND_IN)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


@dataclass(slots=True)
class _Reading:
    """The documents of a text, composed one at a time, each once the scan passed it.

    The scan stops at more than ``values`` values in the file (``over`` says so).
    After iterating, ``problem`` is what stopped reading early (a syntax error or a
    limit); ``written`` counts the values scanned so far. Iteration may be left
    early, and then the rest of the text is not read.
    """

    text: str
    values: int
    over: str
    documents: int | None = None  # compose at most this many
    problem: Problem | None = None
    written: int = 0
    spent: bool = False  # the scan stopped at ``values``

    def __iter__(self) -> Iterator[yaml.Node]:
        text, replaced = stand_in(self.text)
        # Only the indicator bytes can nest or separate values; few of them, few values.
        if sum(text.count(c) for c in _INDICATORS) <= _SAFE_INDICATOR_COUNT:
            scanner = None
        else:
            scanner = _Scanner(text, self.values, self.over)
        composer = _Composer(text)
        count = 0
        try:
            while self.documents is None or count < self.documents:
                if count == MAX_DOCUMENTS:
                    if composer.check_node():
                        self.problem = _too_many_documents(composer.peek_event())
                    return
                if scanner is not None:
                    passes = scanner.passes()
                    self.written = scanner.written
                    if not passes:
                        self.problem, self.spent = scanner.problem, scanner.spent
                        return
                if not composer.check_node():
                    return
                node = composer.get_node()
                if node is None:  # not after check_node(); the types allow it
                    return
                if replaced:
                    _restore([node])
                count += 1
                yield node
                del node  # so that one document's nodes are alive at a time, not two
        except yaml.YAMLError as error:
            self.problem = _syntax_problem(error, text)
        finally:
            composer.dispose()
            if scanner is not None:
                scanner.parser.dispose()


def _too_many_documents(event: yaml.Event | None) -> Problem:
    mark = event.start_mark if event is not None else None
    return Problem(
        codes.YAML_LIMITS,
        f"file holds more than {MAX_DOCUMENTS} YAML documents; split it into several files",
        mark.line + 1 if mark is not None else 1,
        mark.column + 1 if mark is not None else 1,
    )


_FILE_SPENT = (
    f"file holds more than {MAX_FILE_VALUES} values in all its documents, counted with "
    "aliases expanded (an alias bomb or an oversized file); the rest of the file is not "
    "read; split it into several files or remove the aliases"
)
_RUN_SPENT = (
    f"the files read so far hold more than {MAX_RUN_VALUES} values in all, counted with "
    "aliases expanded, the most one run reads; the rest of this file and the files after "
    "it are not read; exclude generated or oversized files in aims.yaml, or remove aliases"
)
_ALIASES_SPENT = (
    f"aliases (*name) expand to more than {MAX_ALIAS_VALUES} values in the files read so "
    "far, the most one run reads (an alias bomb); the rest of the file is not read; write "
    "the values out instead of repeating them through aliases"
)


@dataclass(slots=True)
class Budget:
    """What one run may still read, shared by all the files it parses.

    ``values`` is what is left of MAX_RUN_VALUES (values visited, aliases expanded)
    and ``aliased`` of MAX_ALIAS_VALUES (those reached through aliases). ``spent``
    turns true when a file ran out of ``values``: read no more files after it.
    """

    values: int = MAX_RUN_VALUES
    aliased: int = MAX_ALIAS_VALUES
    spent: bool = False


# A %YAML directive, at the start of a line (ended by LF, CR LF or CR).
_VERSION_DIRECTIVE = re.compile(r"(?:\A|(?<=[\r\n]))%YAML[ \t]+([^ \t\r\n#]*)")


def _other_yaml_version(text: str) -> Problem | None:
    """A file that declares a YAML version other than 1.2, which aimsctl reads: under
    YAML 1.1, ``yes`` is true, ``010`` is 8 and ``1:30`` is 90; read as 1.2 they are
    other values, so what the file means cannot be told."""
    if "%YAML" not in text:
        return None
    for match in _VERSION_DIRECTIVE.finditer(text):
        version = match.group(1)
        if version != "1.2" and _opens_a_document(text[: match.start()]):
            start = text[: match.start()].encode("utf-8")
            line, column = _byte_position(start, len(start))
            return Problem(
                codes.YAML_SYNTAX,
                f"the file declares YAML {version or '(no version)'}; records are read "
                "as YAML 1.2, where some values (yes, on, 010, 1:30) mean other things "
                "than in YAML 1.1: remove the %YAML line, after checking such values",
                line,
                column,
            )
    return None


# git's conflict markers, each a line of its own: the start of "ours" and the end of
# "theirs" (a label may follow each), the separator between them.
_CONFLICT_OPEN = re.compile(r"<<<<<<<(?:[ \t].*)?")
_CONFLICT_CLOSE = re.compile(r">>>>>>>(?:[ \t].*)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks of YAML 1.2, as lines are counted


def _conflict_markers(text: str) -> Problem | None:
    """A file git left with an unresolved merge conflict: both sides of it, between
    marker lines, are in the text, so which record it holds cannot be told (it may
    even parse, both versions' lines read as one), and libyaml's complaint about a
    marker line asks for a colon or quotes that would not help."""
    if "<<<<<<<" not in text:
        return None
    opened: int | None = None  # the line of the first start marker
    separated = False
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if opened is None:
            if _CONFLICT_OPEN.fullmatch(line):
                opened = number
        elif not separated:
            separated = line == "======="
        elif _CONFLICT_CLOSE.fullmatch(line):
            break
    else:
        return None
    assert opened is not None
    return Problem(
        codes.YAML_SYNTAX,
        "the file holds an unresolved merge conflict: git's markers (<<<<<<<, =======, "
        ">>>>>>>) stand around both versions of the lines it could not merge; keep the "
        "version you want (or combine them), delete the marker lines, then `git add` the file",
        opened,
        1,
    )


def _opens_a_document(before: str) -> bool:
    """Whether a directive after ``before`` stands where one may, before a document:
    at the start of the stream or after a '...' end marker, comments and blank lines
    aside (anywhere else it is a syntax error, reported as such)."""
    for line in reversed(before.splitlines()):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line.startswith("...")
    return True


def parse(text: str, budget: Budget | None = None) -> ParseResult:
    """All documents of a file as plain data, plus every problem found on the way.

    Reading stops where the file's budget of values runs out, or what is left of
    the run's (``budget``; a fresh one when None): the documents before are kept,
    the rest of the file is not read, and one problem says where it stopped.
    """
    declared = _other_yaml_version(text) or _conflict_markers(text)
    if declared is not None:
        return ParseResult([], [declared], 0)
    run = Budget() if budget is None else budget
    by_run = run.values < MAX_FILE_VALUES
    left = max(min(MAX_FILE_VALUES, run.values), 0)
    reading = _Reading(text, left, _RUN_SPENT if by_run else _FILE_SPENT)
    track = "&" in text  # no anchor, no alias
    documents: list[ParsedDocument] = []
    problems: list[Problem] = []
    stopped: Problem | None = None
    visited = aliased = read = 0
    with collector.paused():
        for index, node in enumerate(reading):
            read = index + 1
            walker = _Walker(min(MAX_NODES, left - visited), run.aliased - aliased, track)
            line, col = _mark(node)
            try:
                data = walker.value(node, 0)
            except _Spent as spent:
                message = _ALIASES_SPENT if spent.aliases else reading.over
                stopped = Problem(codes.YAML_LIMITS, message, spent.line, spent.column)
                run.spent = run.spent or (by_run and not spent.aliases)
                break
            except YamlProblem as problem:
                problems.append(
                    Problem(problem.code, problem.message, problem.line, problem.column)
                )
                continue
            except RecursionError:
                problems.append(Problem(codes.YAML_LIMITS, _TOO_DEEP, line, col))
                continue
            finally:
                visited += walker.nodes
                aliased += walker.aliased
                del node  # free the nodes while the next document is composed
            # A duplicate key is in a record that is read all the same: name it, so that
            # the finding can be waived for it as for any other.
            record = data.get("id") if isinstance(data, dict) else None
            problems.extend(
                replace(problem, record=record) if isinstance(record, str) else problem
                for problem in walker.duplicates
            )
            documents.append(ParsedDocument(index, data, line, col))
    if stopped is not None:
        problems.append(stopped)
    elif reading.problem is not None:
        problems.append(reading.problem)
        run.spent = run.spent or (by_run and reading.spent)
    run.values = max(run.values - max(visited, reading.written), 0)
    run.aliased = max(run.aliased - aliased, 0)
    return ParseResult(documents, problems, read)


def document_nodes(text: str, documents: int | None = None) -> list[yaml.Node]:
    """The composed documents of a text that already parsed (for locating positions):
    the first ``documents`` (those that parse read), or all of them."""
    with collector.paused():
        return list(_Reading(text, MAX_FILE_VALUES, _FILE_SPENT, documents))


def positioned_nodes(text: str) -> list[yaml.Node]:
    """The documents of a text that already parsed, each alias a scalar node of its
    own (value ``*name``) at the alias's place, not the anchored node it names: for
    work on the lines of the text, where an alias's position is where it is written.
    Only positions and scalar text are meant; tags are not resolved."""
    text, replaced = stand_in(text)
    parser = CParser(text)
    documents: list[yaml.Node] = []
    try:
        while not parser.check_event(yaml.StreamEndEvent):
            if isinstance(_next(parser), yaml.DocumentStartEvent):
                documents.append(_positioned(parser, _next(parser)))
    finally:
        parser.dispose()
    if replaced:
        _restore(documents)
    return documents


def aliases_follow_anchors(text: str) -> bool:
    """Whether every alias in ``text`` (which parses) comes after its anchor."""
    if "*" not in text:
        return True
    parser = CParser(stand_in(text)[0])
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
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (_PLAIN, _FLOAT):
        return None
    try:
        value = _core_scalar(node.value) if node.tag == _PLAIN else _explicit_scalar(node)
    except (ValueError, YamlProblem):
        return None
    if not isinstance(value, float) or math.isfinite(value):
        return None
    return number_as_written(node.value)


def overflows(node: yaml.ScalarNode) -> bool:
    """Whether a scalar of :func:`positioned_nodes` is a number beyond the float range
    (``1e400``, ``!!float 1e999``), which YAML reads as infinity: written back, it would
    be ``.inf``, not what the person wrote. ``.inf`` and ``.nan`` themselves do not."""
    if node.style or node.tag not in ("", _FLOAT):  # plain, untagged or !!float
        return False
    text = node.value
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return False
    if node.tag == _FLOAT and _INT_RE.fullmatch(text):
        if len(text) > MAX_NUMBER_DIGITS:
            return False  # refused when the file is read (too many digits)
        try:
            float(int(text, 0) if text[:2] in ("0o", "0x") else int(text))
        except OverflowError:
            return True
        return False
    return bool(_FLOAT_RE.fullmatch(text)) and not math.isfinite(float(text))


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
