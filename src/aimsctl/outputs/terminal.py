"""Rich renderables as the text a terminal would be sent, for the outputs that draw
Rich tables when standard output is a terminal (`risk`, `status`), and what the
environment says of that terminal: the one place that reads TERM and COLUMNS."""

from __future__ import annotations

import io
import os
import sys
from typing import Any


def dumb_terminal() -> bool:
    """Whether TERM names a terminal that shows no colour and moves no cursor
    (``dumb``, or ``unknown``, as Rich reads it): no colour, no progress bar."""
    return os.environ.get("TERM", "").strip().lower() in ("dumb", "unknown")


def _columns() -> int | None:
    """The width COLUMNS gives on a dumb terminal, else None (Rich asks the terminal).

    Rich takes a dumb terminal to be 80 columns whatever COLUMNS says (and ignores a
    width it is given unless it is given a height too): at COLUMNS=120 it folded a
    93-character path in a note over two lines."""
    columns = os.environ.get("COLUMNS", "").strip()
    if dumb_terminal() and columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None


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
    width = width if width is not None else _columns()
    return Console(
        file=screen,
        force_terminal=True,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        width=width,
        # On a dumb terminal Rich honours a width only with a height.
        height=25 if width is not None else None,
    )


def on_terminal(color: bool, *renderables: Any, width: int | None = None) -> str:
    """Rich renderables as the text a terminal on stdout would be sent; ``width``
    fixes the terminal's width (by default Rich asks the terminal, or COLUMNS).
    Lines of text (a ``str`` or a ``Text``) go through :func:`_prose`."""
    from rich.text import Text

    screen = _Screen(getattr(sys.stdout, "encoding", None) or "utf-8")
    console = _console(color, width, screen)
    for renderable in renderables:
        if isinstance(renderable, str | Text):
            _prose(console, renderable)
        else:
            console.print(renderable)
    return screen.getvalue()


def _prose(console: Any, renderable: Any) -> None:
    """A line of text wrapped between words at the console's width, where a word
    longer than that (a path, a record id) stays whole on its line, for the terminal
    to wrap as it wraps the plain layout: Rich folded it at the edge, so a path in a
    note could no longer be copied or opened as printed."""
    text = console.render_str(renderable) if isinstance(renderable, str) else renderable.copy()
    text.overflow = "ignore"  # Text.wrap then breaks between words only, and crops nothing
    for line in text.wrap(console, console.width):
        console.print(line, soft_wrap=True)


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
