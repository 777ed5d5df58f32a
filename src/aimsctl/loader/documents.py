"""A record file's bytes and its documents as plain data, as a load holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aimsctl import yamlsafe
from aimsctl.diagnostics import Diagnostic


@dataclass(slots=True, eq=False)
class SourceFile:
    """One YAML file: its repository path and its bytes, as read (valid UTF-8)."""

    path: str  # repository-relative, POSIX
    raw: bytes  # the very object the source read: not a second copy of the file
    documents: int | None = None  # how many of its documents were read; None: all
    # Its documents' data parsed again, by index, once one of them was released
    # (Document.release) and then asked for.
    reparsed: dict[int, Any] | None = None

    @property
    def text(self) -> str:
        """The decoded text, made when asked (positions are wanted in few files)."""
        return yamlsafe.decode(self.raw)[0] or ""

    def data_of(self, index: int) -> Any:
        """The data of document ``index``, parsed again (once for the whole file)."""
        if self.reparsed is None:
            parsed = yamlsafe.parse(self.text)
            self.reparsed = {document.index: document.data for document in parsed.documents}
        return self.reparsed.get(index)


_RELEASED: Any = object()


@dataclass(slots=True, eq=False)
class Document:
    """One YAML document of a record file, as plain data."""

    source: SourceFile
    index: int
    _data: Any
    line: int
    column: int

    @property
    def data(self) -> Any:
        if self._data is _RELEASED:
            self._data = self.source.data_of(self.index)
        return self._data

    def release(self) -> None:
        """Let the data go once its record is built, where nothing is likely to read it
        again (half of what validating a large repository holds); asked for anyway,
        it is parsed again from the file's bytes, which parsed before."""
        self._data = _RELEASED


@dataclass(slots=True)
class LoadedFiles:
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
