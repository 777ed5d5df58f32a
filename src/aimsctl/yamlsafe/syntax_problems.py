"""libyaml's syntax errors as problems in plain words, at the line a person would
look at: what to do, where a quote or bracket began, pasted indentation, a quote
that ends a value early."""

from __future__ import annotations

from typing import Any

import yaml

from aimsctl import codes
from aimsctl.text import invisible_start, lookalike_space
from aimsctl.yamlsafe.limits import TOO_DEEP
from aimsctl.yamlsafe.problems import Problem, byte_position

_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

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


def syntax_problem(error: yaml.YAMLError, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        # libyaml counts the offset in UTF-8 bytes.
        line, column = byte_position(text.encode("utf-8"), max(error.position, 0))
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
        return Problem(codes.YAML_LIMITS, TOO_DEEP, line, column)
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
