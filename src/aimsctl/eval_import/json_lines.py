"""Where a JSON results file holds what the decoder's hooks refuse. The hooks see a
value, never its place; only when they refuse one is the text walked token by token,
so that every such value is reported at its line, all at once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# One JSON token after optional whitespace: a string, a number, a name, or punctuation.
# Anything else ends the walk: the decoder already said the file is JSON up to there.
_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
      | (?P<name>-?Infinity|NaN|true|false|null)
      | (?P<mark>[{}\[\]:,])
    )""",
    re.VERBOSE | re.DOTALL,
)


@dataclass
class _Object:
    keys: set[str] = field(default_factory=set)
    key: str | None = None  # the key whose value comes next or is being read
    expects_key: bool = True


@dataclass(frozen=True)
class Checks:
    """The hooks' own judgements, each returning why a token is refused, or None."""

    key_twice: Callable[[str], str]
    text: Callable[[str | None, str], str | None]
    number: Callable[[str], str | None]
    constant: Callable[[str], str]


def refused_lines(text: str, checks: Checks) -> list[tuple[int, str]]:
    """Each refused key, text, number or constant with the line it is on."""
    found: list[tuple[int, str]] = []
    stack: list[_Object | None] = []  # None stands for a list
    for line, kind, token in _tokens(text):
        top = stack[-1] if stack else None
        if kind == "mark":
            if token in "{[":
                stack.append(_Object() if token == "{" else None)
            elif token in "}]" and stack:
                stack.pop()
            elif token == "," and top is not None:
                top.expects_key = True
            continue
        if kind == "string" and top is not None and top.expects_key:
            key = _decoded(token)
            top.expects_key = False
            if key is None:
                continue
            if key in top.keys:
                found.append((line, checks.key_twice(key)))
            top.keys.add(key)
            top.key = key
            why = checks.text(None, key)
        elif kind == "string":
            value = _decoded(token)
            why = None if value is None else checks.text(_holder(stack), value)
        elif kind == "number":
            why = checks.number(token)
        else:
            why = checks.constant(token) if token.endswith(("Infinity", "NaN")) else None
        if why is not None:
            found.append((line, why))
    return found


def _holder(stack: list[_Object | None]) -> str | None:
    """The key a value sits under: its object's, or the key of the list it is in."""
    for level in reversed(stack):
        if level is not None:
            return level.key
    return None


def _decoded(token: str) -> str | None:
    try:
        value = json.loads(token, strict=False)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _tokens(text: str) -> Iterator[tuple[int, str, str]]:
    line, counted, at = 1, 0, 0
    while (match := _TOKEN.match(text, at)) is not None and match.lastgroup is not None:
        start = match.start(match.lastgroup)
        line += text.count("\n", counted, start)
        counted = start
        yield line, match.lastgroup, match.group(match.lastgroup)
        at = match.end()
