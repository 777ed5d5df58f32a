"""A problem found reading YAML, and the 1-based positions problems are given at."""

from __future__ import annotations

from dataclasses import dataclass

import yaml


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


def node_position(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of byte ``offset`` of UTF-8 ``data``,
    lines ended by LF, CR LF or CR, as the parser and editors count them."""
    before = data[:offset]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return line, len(before[start:].decode("utf-8", "replace")) + 1
