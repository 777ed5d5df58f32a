"""The text's white space: lines broken where YAML breaks them, blank lines as the
canonical form has them, no trailing spaces, and separating tabs made spaces."""

from __future__ import annotations

import re

from aimsctl.authoring.canonical.comment_check import COMMENT, outside_values

DOCUMENT_SEPARATOR = re.compile(r"^---(?:\s|$)")


# What YAML strips from a line's end: spaces, tabs and the line break. Python's
# str.rstrip() would also take a no-break or ideographic space, which is content.
YAML_WHITE = " \t\r\n"


def spaced_lines(lines: list[str], protected: set[int]) -> list[str]:
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
            if DOCUMENT_SEPARATOR.match(kept[-1]):
                continue
        elif DOCUMENT_SEPARATOR.match(text):
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


def yaml_lines(text: str) -> list[str]:
    """The lines of ``text``, ends kept, broken at newlines only: YAML counts no other
    character as a line break (str.splitlines() also breaks at NEL and others)."""
    return _LINE.findall(text)


def tabs_as_spaces(text: str) -> str:
    """``text`` with each tab that separates (outside values and comments) a space:
    YAML reads both alike, and ruamel.yaml, which edits the file, refuses some tabs
    that libyaml reads (`title: t<TAB># note`)."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    for number, row in enumerate(outside_values(text)):
        match = COMMENT.search(row)
        limit = match.start(1) if match else len(row)
        if "\t" in row[:limit]:
            line = lines[number]
            lines[number] = "".join(
                " " if at < limit and row[at] == "\t" else char for at, char in enumerate(line)
            )
    return "\n".join(lines)
