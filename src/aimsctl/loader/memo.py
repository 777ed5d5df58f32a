"""What several loads in one run share (ParseMemo)."""

from __future__ import annotations

from typing import Any

from aimsctl import yamlsafe
from aimsctl.diagnostics import Diagnostic
from aimsctl.loader.documents import Document


class ParseMemo:
    """Results shared by several loads in one run.

    `aimsctl diff` reads two revisions whose files are mostly identical; a git object
    is read once (``blobs``, contents by object id), a file with the same path and
    bytes is parsed (and its records checked, under the same aims.yaml) once, and
    both sides hold the very same objects. The git repository both are read from is
    opened once (``revisions``: the :class:`aimsctl.gitio.Revisions` the first read
    from git made, held here untyped, as this layer does not know git).
    """

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.files: dict[tuple[str, bytes], tuple[list[Document], list[Diagnostic]]] = {}
        self.checks: dict[tuple[int, bytes], Any] = {}
        # The run's budget of values: a file parsed once spends from it once.
        self.budget = yamlsafe.Budget()
        self.spent_in: str | None = None  # the file the budget ran out in
        self.revisions: object | None = None
