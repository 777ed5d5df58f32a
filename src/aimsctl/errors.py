"""Exceptions the core raises for an unusable input, mapped to exit 2 by the CLI.

This module imports nothing heavy, so the CLI can name these exceptions without
loading pydantic, YAML or GitPython.
"""

from __future__ import annotations


class ConfigError(Exception):
    """aims.yaml cannot be used; the message names the file and line."""

    def __init__(
        self, message: str, path: str = "aims.yaml", line: int | None = 1, column: int = 1
    ) -> None:
        where = f"{path}:{line}:{column}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.message = message
        self.path = path
        self.line = line
        self.column = column


class GitError(Exception):
    """A git operation cannot be done: no repository, no commits, an unknown revision.

    The message is written for the person at the terminal, in plain words.
    """
