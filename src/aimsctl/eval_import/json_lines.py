"""Where a JSON results file holds what the decoder's hooks refuse. The hooks see a
value, never its place; only when they refuse one is the text walked token by token,
so that every such value is reported at its line, all at once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# The tokens the walk needs, each matched where the last ended (never searched for: a
# search would start again inside an unterminated string at each escaped quote): a
# key (a string followed by a colon), any other string, a number that may be read as
# 0 or as a neighbour, a name, and brackets. What lies between them (whitespace,
# commas, colons, and numbers that cannot be read as 0 or as another number: no
# negative exponent, fewer than 20 zeros after the point, at most 16 characters
# before any exponent, so 15 digits at most) is skipped by the engine, not by a
# Python step each. Every repetition is possessive (`*+`): nothing is given back,
# so no state is kept per character and a failed match costs one pass.
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_HELD = (
    r"(?![-0-9.]{17})-?(?:0|[1-9][0-9]*+)(?:\.(?!0{20})[0-9]++)?+(?:[eE]\+?[0-9]++)?+(?![.eE0-9])"
)
_TOKEN = re.compile(
    rf"""(?:[ \t\r\n,:]|{_HELD})*+
    (?:
        (?P<key>{_STRING})(?=[ \t\r\n]*+:)
      | (?P<string>{_STRING})
      | (?P<number>-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][+-]?[0-9]++)?+)
      | (?P<name>-?Infinity|NaN|true|false|null)
      | (?P<mark>[{{}}\[\]])
    )""",
    re.VERBOSE | re.DOTALL,
)
# Problems listed at most: a file of a million NaNs is told so without a million lines.
LIMIT = 100


@dataclass
class _Object:
    keys: set[str] = field(default_factory=set)
    key: str | None = None  # the key whose value comes next or is being read


@dataclass(frozen=True)
class Checks:
    """The hooks' own judgements, each returning why a token is refused, or None."""

    key_twice: Callable[[str], str]
    text: Callable[[str | None, str], str | None]
    number: Callable[[str], str | None]
    constant: Callable[[str], str]


def refused_lines(text: str, checks: Checks) -> list[tuple[int, str]]:
    """Each refused key, text, number or constant with the line it is on, at most
    :data:`LIMIT` of them (and a line saying so when there are more)."""
    found: list[tuple[int, str]] = []
    stack: list[_Object | None] = []  # None stands for a list
    for line, kind, token in _tokens(text):
        if len(found) >= LIMIT:
            found.append((line, f"and more from here on: only the first {LIMIT} are listed"))
            break
        top = stack[-1] if stack else None
        why: str | None = None
        if kind == "mark":
            if token in "{[":
                stack.append(_Object() if token == "{" else None)
            elif stack:
                stack.pop()
            continue
        if kind == "key" and top is not None:
            key = _decoded(token)
            if key is None:
                continue
            if key in top.keys:
                found.append((line, checks.key_twice(key)))
            top.keys.add(key)
            top.key = key
            why = checks.text(None, key)
        elif kind == "string":
            # Only an escape can make half a surrogate pair: other text is taken as is.
            value = _decoded(token) if "\\u" in token else None
            why = None if value is None else checks.text(_holder(stack), value)
        elif kind == "number":
            why = checks.number(token)
        elif kind == "name" and token.endswith(("Infinity", "NaN")):
            why = checks.constant(token)
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
