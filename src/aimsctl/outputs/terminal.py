"""Rich renderables as the text a terminal would be sent, for the outputs that draw
Rich tables when standard output is a terminal (`risk`, `status`)."""

from __future__ import annotations

import io
import sys
from typing import Any


class _Screen(io.StringIO):
    """What Rich would write to the terminal, kept as text.

    Rich sees a terminal with stdout's encoding, so it makes the same choices
    (colour system from TERM, width from the terminal or COLUMNS, box characters
    by encoding) as when it wrote to stdout itself.
    """

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]  # StringIO's is None, read-only
        return self._encoding

    def isatty(self) -> bool:
        return True


def _console(color: bool, width: int | None, screen: _Screen) -> Any:
    """The Console that draws on ``screen`` as on the terminal on stdout."""
    from rich.console import Console

    # Without colour (NO_COLOR), no escape sequences at all: not even bold or italic.
    # The caller has decided it is a terminal (cli.common.use_color decides colour):
    # Rich would otherwise decide again from FORCE_COLOR and TTY_COMPATIBLE, and an
    # empty FORCE_COLOR left the tables uncoloured where validate's lines were not.
    return Console(
        file=screen,
        force_terminal=True,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        width=width,
    )


def on_terminal(color: bool, *renderables: Any, width: int | None = None) -> str:
    """Rich renderables as the text a terminal on stdout would be sent; ``width``
    fixes the terminal's width (by default Rich asks the terminal, or COLUMNS)."""
    screen = _Screen(getattr(sys.stdout, "encoding", None) or "utf-8")
    console = _console(color, width, screen)
    for renderable in renderables:
        console.print(renderable)
    return screen.getvalue()


def fits(table: Any, width: int | None = None) -> bool:
    """Whether Rich can draw ``table`` at ``width`` (else the terminal's) with every
    cell of a column that does not wrap whole (a record id, a date) and every
    wrapping column at its ``min_width`` or its longest word, whichever is more.

    Narrower, Rich cuts what does not wrap (``R-0…``, or a column of record ids to
    nothing), folds words and draws past the edge, so a caller shows its plain
    layout instead, where ids and paths stay whole for the terminal to wrap.
    Reckoned high: every column's padding and a border on each side."""
    from rich.measure import Measurement

    console = _console(False, width, _Screen("utf-8"))
    options = console.options
    _top, right, _bottom, left = table.padding
    needed = 0
    for column in table.columns:
        sizes = [Measurement.get(console, options, cell) for cell in (column.header, *column.cells)]
        if column.no_wrap:
            needed += max(size.maximum for size in sizes)
        else:
            needed += max([column.min_width or 0, *(size.minimum for size in sizes)])
        needed += left + right
    if table.box is not None:
        needed += len(table.columns) + 1
    return needed <= int(console.width)
