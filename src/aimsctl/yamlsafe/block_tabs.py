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

import yaml
from yaml._yaml import CParser

from aimsctl.yamlsafe.line_breaks import stand_in

_PROBLEM = "found a tab character where an indentation space is expected"
# A block header (`|` or `>`, a chomping indicator, no indentation digit), then maybe
# blank lines, then a line of spaces and a tab: the only shape that can need it.
_MAY_NEED = re.compile(r"[|>][-+]?[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*\r?\n)*( +)\t")
# The line breaks libyaml counts lines by (YAML 1.1's others are stood in for first).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Each repair reads the text again; a file with more such blocks keeps the error.
MAX_REPAIRS = 20


def for_libyaml(text: str) -> tuple[str, bool]:
    """The text libyaml is given to read: YAML 1.1's extra line breaks stood in for
    (and whether any were, to put back), and tab-led blocks given their indentation."""
    stood_in, replaced = stand_in(text)
    return indicated(stood_in), replaced


def indicated(text: str) -> str:
    """``text`` with an indentation indicator in the header of each block libyaml
    refuses only for the tab that starts its first line; ``text`` itself otherwise
    (no such block, or one this cannot mend: libyaml's error then stands)."""
    if "\t" not in text or _MAY_NEED.search(text) is None:
        return text
    mended = text
    for _ in range(MAX_REPAIRS + 1):  # the last read finds no refusal left
        error = _refusal(mended)
        if error is None:
            return mended
        fixed = _with_indicator(mended, error)
        if fixed is None:
            return text
        mended = fixed
    return text


def _refusal(text: str) -> yaml.MarkedYAMLError | None:
    """libyaml's refusal of a block for a tab in its indentation, None if it reads
    the text or stops at anything else first."""
    parser = CParser(text)
    try:
        parser.raw_scan()
    except yaml.MarkedYAMLError as error:
        return error if error.problem == _PROBLEM and error.context_mark is not None else None
    finally:
        parser.dispose()
    return None


def _with_indicator(text: str, error: yaml.MarkedYAMLError) -> str | None:
    """The text with the refused block's header given the indentation of its first
    line, the one indicator libyaml then reads without refusing it; None if none does.

    The indicator counts from the indentation of what holds the block, which the text
    does not say plainly. Too large an indicator asks for more spaces than the line
    has, and libyaml refuses it the same way; too small would read spaces into the
    text. So the largest that libyaml does not refuse at this header is the one."""
    header, tab = error.context_mark, error.problem_mark
    assert header is not None and tab is not None
    starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
    offset = starts[header.line] + header.column + 1
    if text[offset - 1 : offset] not in ("|", ">"):
        return None
    for width in range(min(tab.column, 9), 0, -1):
        trial = f"{text[:offset]}{width}{text[offset:]}"
        again = _refusal(trial)
        if again is None or again.context_mark is None or again.context_mark.line != header.line:
            return trial
    return None
