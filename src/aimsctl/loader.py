"""Find the record files of a repository and read them into raw documents.

The loader knows files, bytes and YAML; it knows nothing of record kinds. Every
problem it meets becomes a diagnostic at a position, never an exception.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from aimsctl import yamlsafe
from aimsctl.diagnostics import Diagnostic, Severity

CONFIG_FILE = "aims.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True, eq=False)
class SourceFile:
    """One YAML file: its repository path and its decoded text."""

    path: str  # repository-relative, POSIX
    text: str


@dataclass(slots=True, eq=False)
class Document:
    """One YAML document of a record file, as plain data."""

    source: SourceFile
    index: int
    data: Any
    line: int
    column: int


@dataclass(slots=True)
class LoadedFiles:
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob: `*` stays within a folder, `**` crosses folders."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def is_excluded(path: str, patterns: Iterable[str]) -> bool:
    """True when ``path`` or one of its parent folders matches an exclude glob."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(
        _glob_regex(p.rstrip("/")).fullmatch(prefix) for p in patterns for prefix in prefixes
    )


def select_record_paths(paths: Iterable[str], exclude: Iterable[str]) -> list[str]:
    """The record files among repository paths: YAML, not hidden, not excluded, sorted."""
    patterns = tuple(exclude)
    return sorted(
        rel
        for rel in paths
        if rel.endswith(YAML_SUFFIXES)
        and rel != CONFIG_FILE
        and not rel.startswith(".")
        and "/." not in rel
        and not (patterns and is_excluded(rel, patterns))
    )


def walk_files(root: Path) -> Iterator[str]:
    """Every file below root as a relative POSIX path, hidden folders pruned."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for name in files:
            yield prefix + name


def record_paths(root: Path, exclude: Iterable[str]) -> list[str]:
    """Repository-relative paths of every record file in a working tree, sorted."""
    return select_record_paths(walk_files(root), exclude)


class FileSource(Protocol):
    """Where a repository's files come from: a working tree or a git revision."""

    def paths(self) -> Iterable[str]: ...

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]: ...

    def exists(self, rel: str) -> bool: ...


def _problem(path: str, problem: yamlsafe.Problem) -> Diagnostic:
    return Diagnostic(
        problem.code, Severity.ERROR, problem.message, path, problem.line, problem.column
    )


class WorkingTree:
    """Files on disk below ``root``; each file is read once per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listing: list[str] | None = None
        self._read: dict[str, tuple[bytes | None, Diagnostic | None]] = {}

    def paths(self) -> Iterable[str]:
        if self._listing is None:
            self._listing = sorted(walk_files(self.root))
        return self._listing

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        if rel not in self._read:
            self._read[rel] = read_bytes(self.root, rel)
        return self._read[rel]

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()


@dataclass(frozen=True, slots=True)
class FileTree:
    """Files held in memory, e.g. read from a git revision."""

    files: dict[str, bytes]

    def paths(self) -> Iterable[str]:
        return self.files

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        if rel in self.files:
            return self.files[rel], None
        return None, Diagnostic("AIMS008", Severity.ERROR, "file is missing", rel, 1, 1)

    def exists(self, rel: str) -> bool:
        prefix = rel.rstrip("/") + "/"
        return rel in self.files or any(p.startswith(prefix) for p in self.files)


def read_bytes(root: Path, rel: str) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes, or a diagnostic saying why they cannot be read."""
    full = root / rel
    try:
        if full.is_symlink() and not full.resolve().is_relative_to(root.resolve()):
            return None, Diagnostic(
                "AIMS008",
                Severity.ERROR,
                "symbolic link leads outside the repository; it is not read",
                rel,
                1,
                1,
            )
        return full.read_bytes(), None
    except FileNotFoundError:
        message = "file disappeared while the repository was being read"
    except PermissionError:
        message = "file cannot be read (permission denied); fix its permissions"
    except OSError as error:
        message = f"file cannot be read: {error.strerror or error}"
    return None, Diagnostic("AIMS008", Severity.ERROR, message, rel, 1, 1)


def parse_file(rel: str, raw: bytes) -> tuple[list[Document], list[Diagnostic]]:
    """The documents of one file and the problems met reading them."""
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        return [], [_problem(rel, problem)]
    source = SourceFile(rel, text)
    parsed = yamlsafe.parse(text)
    diagnostics = [_problem(rel, p) for p in parsed.problems]
    documents = [
        Document(source, d.index, d.data, d.line, d.column)
        for d in parsed.documents
        if d.data is not None  # an empty document, e.g. after a trailing `---`
    ]
    if not documents and not diagnostics:
        diagnostics.append(
            Diagnostic(
                "AIMS003",
                Severity.ERROR,
                "file holds no record; add one or exclude the file in aims.yaml",
                rel,
                1,
                1,
            )
        )
    return documents, diagnostics


def load_files(source: FileSource, paths: Iterable[str]) -> LoadedFiles:
    loaded = LoadedFiles()
    for rel in paths:
        loaded.paths.append(rel)
        raw, error = source.read(rel)
        if raw is None:
            assert error is not None
            loaded.diagnostics.append(error)
            continue
        documents, diagnostics = parse_file(rel, raw)
        loaded.documents.extend(documents)
        loaded.diagnostics.extend(diagnostics)
    return loaded


class Locator:
    """Positions inside documents, composed again only for files that need one."""

    def __init__(self) -> None:
        self._nodes: dict[int, list[Any]] = {}

    def position(
        self, document: Document, parts: tuple[str | int, ...], at_key: bool = False
    ) -> tuple[int, int]:
        if not parts:
            return document.line, document.column
        key = id(document.source)
        if key not in self._nodes:
            self._nodes[key] = yamlsafe.document_nodes(document.source.text)
        nodes = self._nodes[key]
        if document.index >= len(nodes):
            return document.line, document.column
        line, column, _found = yamlsafe.locate(nodes[document.index], parts, at_key)
        return line, column
