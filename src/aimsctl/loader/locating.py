"""Positions inside documents, composed again only for the files that need one."""

from __future__ import annotations

from typing import Any

from aimsctl import yamlsafe
from aimsctl.loader.documents import Document, SourceFile

# How many files' composed documents are kept. Findings come rule by rule, record by
# record, so the same file is asked about again soon or much later; keeping every file
# asked about made a repository with a finding on each record hold all their nodes,
# and the collections walking them took most of the run (10,000 records: positions
# 4.2 s of a 7.3 s validate; 1.0 s of 3.9 s with the last 64 kept).
KEPT_FILES = 64


class Locator:
    """Positions inside documents, composed again only for files that need one; the
    last :data:`KEPT_FILES` files composed are kept."""

    def __init__(self) -> None:
        self._nodes: dict[SourceFile, list[Any]] = {}  # a file is its own key (eq=False)

    def _root(self, document: Document) -> Any:
        source = document.source
        nodes = self._nodes.get(source)
        if nodes is None:
            if len(self._nodes) >= KEPT_FILES:
                del self._nodes[next(iter(self._nodes))]  # the one composed first
            nodes = self._nodes[source] = yamlsafe.document_nodes(source.text, source.documents)
        return nodes[document.index] if document.index < len(nodes) else None

    def position(
        self, document: Document, parts: tuple[str | int, ...], at_key: bool = False
    ) -> tuple[int, int]:
        if not parts:
            return document.line, document.column
        root = self._root(document)
        if root is None:
            return document.line, document.column
        line, column, _found = yamlsafe.locate(root, parts, at_key)
        return line, column

    def written_unheld_number(self, document: Document, parts: tuple[str | int, ...]) -> str | None:
        """The text as written of the number at ``parts`` that reads as infinity or NaN
        (``1e400``), or None (see yamlsafe.written_unheld_number)."""
        root = self._root(document) if parts else None
        return None if root is None else yamlsafe.written_unheld_number(root, parts)
