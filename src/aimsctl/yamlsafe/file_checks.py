"""Checks of a whole text before its documents are read: a declared YAML version
other than 1.2, and git's conflict markers."""

from __future__ import annotations

import re

from aimsctl import codes
from aimsctl.yamlsafe.problems import Problem, byte_position

# A %YAML directive, at the start of a line (ended by LF, CR LF or CR).
_VERSION_DIRECTIVE = re.compile(r"(?:\A|(?<=[\r\n]))%YAML[ \t]+([^ \t\r\n#]*)")


def other_yaml_version(text: str) -> Problem | None:
    """A file that declares a YAML version other than 1.2, which aimsctl reads: under
    YAML 1.1, ``yes`` is true, ``010`` is 8 and ``1:30`` is 90; read as 1.2 they are
    other values, so what the file means cannot be told."""
    if "%YAML" not in text:
        return None
    for match in _VERSION_DIRECTIVE.finditer(text):
        version = match.group(1)
        if version != "1.2" and _opens_a_document(text[: match.start()]):
            start = text[: match.start()].encode("utf-8")
            line, column = byte_position(start, len(start))
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


def conflict_markers(text: str) -> Problem | None:
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
