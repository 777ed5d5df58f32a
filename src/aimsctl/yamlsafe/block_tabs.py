"""Block text whose first line starts with a tab, made readable to libyaml.

YAML finds a literal or folded block's indentation from its first line's leading
spaces; a tab after them is part of the text (`description: |` then `  <TAB>make`).
libyaml refuses such a block ("found a tab character where an indentation space is
expected") unless its header says the indentation (`|2`); PyYAML's pure-Python reader
and the round-trip writer read it. So where libyaml refuses a block for that reason
alone, the header is given the indentation it would have found, and the text is read
as the writer meant it. Only the header line changes, after its indicator, so every position but a
comment's on that line stays where it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml
from yaml._yaml import CParser

from aimsctl.yamlsafe.line_breaks import stand_in

_PROBLEM = "found a tab character where an indentation space is expected"
# A block header (`|` or `>`, a chomping indicator, no indentation digit), then maybe
# blank lines, then a line of spaces and a tab: the only shape that can need it.
_MAY_NEED = re.compile(r"[|>][-+]?[ \t]*(?:#[^\r\n]*)?(?:\r\n?|\n)(?:[ \t]*(?:\r\n?|\n))*( +)\t")
# The line breaks libyaml counts lines by (YAML 1.1's others are stood in for first).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Each repair reads the text again, and tries up to nine headers on the text up to the
# block: a file with more such blocks, or longer than a record file needs to be (the
# limit bounds what a hostile file costs), keeps libyaml's error.
MAX_REPAIRS = 10
MAX_TEXT = 128 * 1024  # characters


def for_libyaml(text: str) -> tuple[str, bool]:
    """The text libyaml is given to read: YAML 1.1's extra line breaks stood in for
    (and whether any were, to put back), and tab-led blocks given their indentation."""
    stood_in, replaced = stand_in(text)
    return indicated(stood_in), replaced


@lru_cache(maxsize=4)  # one file is read, then located in, several times over
def indicated(text: str) -> str:
    """``text`` with an indentation indicator in the header of each block libyaml
    refuses only for the tab that starts its first line; ``text`` itself otherwise
    (no such block, or one this cannot mend: libyaml's error then stands)."""
    if "\t" not in text or len(text) > MAX_TEXT or _MAY_NEED.search(text) is None:
        return text
    mended = text
    for _ in range(MAX_REPAIRS + 1):  # the last read finds no refusal left
        error = _scan_error(mended)
        if error is None or not _refused(error):
            return mended
        fixed = _with_indicator(mended, error)
        if fixed is None:
            return text
        mended = fixed
    return text


def _scan_error(text: str) -> yaml.MarkedYAMLError | None:
    """The error libyaml's scanner stops at in ``text``, None if it reads it all."""
    parser = CParser(text)
    try:
        parser.raw_scan()
    except yaml.MarkedYAMLError as error:
        return error
    finally:
        parser.dispose()
    return None


def _refused(error: yaml.MarkedYAMLError, header_line: int | None = None) -> bool:
    """Whether ``error`` is libyaml refusing a block for a tab in its indentation (at
    the header on ``header_line``, when given)."""
    header = error.context_mark
    return (
        error.problem == _PROBLEM
        and header is not None
        and error.problem_mark is not None
        and (header_line is None or header.line == header_line)
    )


def _with_indicator(text: str, error: yaml.MarkedYAMLError) -> str | None:
    """The text with the refused block's header given the indentation of its first
    line; None where no indicator gives exactly that.

    The indicator counts from the indentation of what holds the block, which the text
    does not say plainly. Too large an indicator asks for more spaces than the line
    has, and libyaml refuses it the same way; too small would read spaces into the
    text. So an indicator is right when libyaml takes it and refuses the one above it
    (or it is the line's own indentation, which nothing can exceed); past nine, the
    largest there is, nothing says so, and the error stands."""
    header, tab = error.context_mark, error.problem_mark
    assert header is not None and tab is not None
    starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
    offset = starts[header.line] + header.column + 1
    if text[offset - 1 : offset] not in ("|", ">"):
        return None
    # YAML lets no blank line before the first line hold more spaces than its
    # indentation (nor a tab): libyaml, told the indentation, would read them as text.
    for line in range(header.line + 1, tab.line):
        blank = _LINE_BREAK.sub("", text[starts[line] : starts[line + 1]])
        if blank.strip(" ") or len(blank) > tab.column:
            return None
    end = starts[tab.line + 1] if tab.line + 1 < len(starts) else len(text)
    most = min(tab.column, 9)
    for width in range(most, 0, -1):
        trial = f"{text[:offset]}{width}{text[offset:]}"
        again = _scan_error(trial[: end + 1])  # the text up to the block's first line
        if again is not None and _refused(again, header.line):
            continue
        if again is not None and again.problem_mark and again.problem_mark.line <= tab.line:
            return None  # another error, before the block is read
        return trial if width < most or width == tab.column else None
    return None
