"""The `exclude:` globs of aims.yaml, matched without backtracking.

A pattern is gitignore-like: `*` and `?` stay within a folder, `**` crosses
folders, and `**/` stands for no folder or any number of them. aims.yaml is as
untrusted as any file, so a pattern must not be able to stall a run: translated
to a regular expression, `**a**a**a**a**b` backtracks for years over a long path.
Here a pattern is run over a path once, keeping the set of places in the path each
part of the pattern can reach (a bit per place, in one integer), so the work grows
with the pattern's length times the path's length, whatever the pattern.

Accented names are compared in one Unicode form (NFC): a glob typed on Linux and a
folder a Mac wrote decomposed look the same, so they match, as a reader expects.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property, lru_cache

from aimsctl.text import composed

# A pattern's parts: a literal run of text, or one of these wildcards.
_WILDCARDS = ("**/", "**", "*", "?")


@lru_cache(maxsize=256)
def _parts(pattern: str) -> tuple[str, ...]:
    pattern = composed(pattern)
    parts: list[str] = []
    literal: list[str] = []
    i = 0
    while i < len(pattern):
        wildcard = next((w for w in _WILDCARDS if pattern.startswith(w, i)), None)
        if wildcard is None:
            literal.append(pattern[i])
            i += 1
            continue
        if literal:
            parts.append("".join(literal))
            literal = []
        if not (wildcard in ("**", "*") and parts and parts[-1] == wildcard):
            parts.append(wildcard)  # `****` is `**`: a run of one kind folds
        i += len(wildcard)
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _between(low: int, high: int) -> int:
    """The bits from ``low`` to ``high``, both included."""
    return (1 << (high + 1)) - (1 << low)


def _lowest(bits: int) -> int:
    return (bits & -bits).bit_length() - 1


class _Path:
    """A path's places (0 before its first character, len at its end) as bits."""

    def __init__(self, text: str) -> None:
        text = composed(text)
        self.text = text
        self.end = len(text)
        self.slashes = [i for i, char in enumerate(text) if char == "/"]

    @cached_property
    def stretches(self) -> list[tuple[int, int]]:
        """Each folder's stretch of places: from just after a slash to the next one."""
        starts = [0, *(s + 1 for s in self.slashes)]
        return list(zip(starts, [*self.slashes, self.end], strict=True))

    @cached_property
    def not_slash(self) -> int:
        """The places before a character that is not a slash."""
        bits = _between(0, self.end - 1) if self.end else 0
        for slash in self.slashes:
            bits &= ~(1 << slash)
        return bits

    def starts_of(self, literal: str) -> int:
        """The places where ``literal`` begins."""
        found, at = 0, self.text.find(literal)
        while at != -1:
            found |= 1 << at
            at = self.text.find(literal, at + 1)
        return found

    def step(self, bits: int, part: str) -> int:
        """The places reachable from ``bits`` (not empty) by matching ``part``."""
        if part == "?":
            return (bits & self.not_slash) << 1
        if part == "**":
            return _between(_lowest(bits), self.end)
        if part == "**/":
            low = _lowest(bits)
            for slash in self.slashes:
                if slash >= low:
                    bits |= 1 << (slash + 1)
            return bits
        if part == "*":
            reached = 0
            for start, stop in self.stretches:
                inside = bits & _between(start, stop)
                if inside:
                    reached |= _between(_lowest(inside), stop)
            return reached
        if bits == 1:  # at the start: a literal either begins the path or not
            return 1 << len(part) if self.text.startswith(part) else 0
        return (bits & self.starts_of(part)) << len(part)

    def matched(self, pattern: str) -> bool:
        """Whether ``pattern`` matches the path whole or a folder it lies in (``a``,
        ``a/b`` of ``a/b/c.yaml``); a trailing ``/`` on the pattern is ignored."""
        bits = 1  # place 0: nothing matched yet
        for part in _parts(pattern.rstrip("/")):
            bits = self.step(bits, part)
            if not bits:
                return False
        targets = 1 << self.end
        for slash in self.slashes:
            targets |= 1 << slash
        return bool(bits & targets)


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Whether any of ``patterns`` matches ``path`` or a folder it lies in."""
    where = _Path(path)
    return any(where.matched(pattern) for pattern in patterns)
