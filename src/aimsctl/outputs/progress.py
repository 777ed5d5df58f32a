"""A Rich progress bar on standard error, only when a person is watching.

Commands wrap their long work in :func:`shown`: the bar is installed (see
:mod:`aimsctl.progress`) when standard error is a terminal, the output is for
people (not JSON, SARIF and the like, not a pipe), and no CI system runs the
command (``CI`` set) nor a dumb terminal (``TERM=dumb``). The bar is transient and
lives on standard error, so standard output never changes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aimsctl import progress


class RichBar:
    """One Rich progress bar per long loop, on ``console``."""

    def __init__(self, console: Any) -> None:
        self.console = console

    @contextmanager
    def task(self, description: str, total: int) -> Iterator[progress.Advance]:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=self.console,
            transient=True,
        ) as bar:
            handle = bar.add_task(description, total=total)
            yield lambda: bar.advance(handle)


def wanted(for_people: bool) -> bool:
    """Whether a bar may be shown: output for people, standard error a terminal, and
    no CI system (``CI`` set) nor a dumb terminal (``TERM=dumb``, as colour reads it)."""
    from aimsctl.outputs.terminal import dumb_terminal

    if not for_people or os.environ.get("CI") or dumb_terminal():
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def shown(for_people: bool) -> Iterator[None]:
    """Show the progress of the long loops run inside, where :func:`wanted` allows."""
    if not wanted(for_people):
        yield
        return
    from rich.console import Console

    with progress.installed(RichBar(Console(file=sys.stderr, force_terminal=True))):
        yield
