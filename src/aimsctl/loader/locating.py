"""Positions inside documents, composed again only for the files that need one."""

from __future__ import annotations

from typing import Any

from aimsctl import yamlsafe
from aimsctl.loader.documents import Document


class Locator:
    """Positions inside documents, composed again only for files that need one."""

    def __init__(self) -> None:
        self._nodes: dict[int, list[Any]] = {}

    def _root(self, document: Document) -> Any:
        key = id(document.source)
        if key not in self._nodes:
            source = document.source
            self._nodes[key] = yamlsafe.document_nodes(source.text, source.documents)
        nodes = self._nodes[key]
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
