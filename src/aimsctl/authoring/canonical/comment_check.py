"""Where a text's comments are (its lines with every value blanked), and every
comment counted, for the check that formatting loses none."""

from __future__ import annotations

import re
from collections import Counter

from aimsctl import yamlsafe
from aimsctl.authoring.canonical.node_lines import scalar_nodes

COMMENT = re.compile(r"(?:^|[ \t])(#.*)$")


BLOCK_HEADER = re.compile(r"[|>][0-9+-]*")


def outside_values(text: str) -> list[str]:
    """The lines of ``text`` with every character of every value blanked: what is
    left is keys' punctuation, indicators, separators and comments."""
    lines = text.split("\n")
    masked = [list(line) for line in lines]
    for root in yamlsafe.positioned_nodes(text):
        for scalar in scalar_nodes(root):
            start, end = scalar.start_mark, scalar.end_mark
            # A block scalar starts at its indicator (`|-`); a comment after it on that
            # line is a comment, not the value.
            header = BLOCK_HEADER.match(lines[start.line], start.column) if scalar.style else None
            for number in range(start.line, min(end.line, len(lines) - 1) + 1):
                row = masked[number]
                begin = start.column if number == start.line else 0
                stop = end.column if number == end.line else len(row)
                if header is not None and number == start.line:
                    stop = header.end()
                for column in range(begin, min(stop, len(row))):
                    row[column] = " "
    return ["".join(row) for row in masked]


def comments(text: str) -> Counter[str]:
    """Every comment in ``text`` (its words, spaces at the end dropped), counted."""
    found: Counter[str] = Counter()
    for row in outside_values(text):
        match = COMMENT.search(row)
        if match:
            found[match.group(1).rstrip()] += 1
    return found
