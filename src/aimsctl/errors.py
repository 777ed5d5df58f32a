"""The errors aimsctl raises for input it cannot use: one base, handled in one place.

Every error here is something the person at the terminal can fix, so the command
line prints it as one line, ``aimsctl: error: <message>``, and exits with the
error's ``exit_code`` (2: a usage error or an unusable repository). Anything
else that escapes is an internal failure (exit 3).

This module imports nothing heavy, so the CLI can name these exceptions without
loading pydantic, YAML or GitPython.
"""

from __future__ import annotations


class AimsctlError(Exception):
    """A problem with the input or the options, explained in plain words."""

    exit_code = 2


class UsageError(AimsctlError):
    """Bad arguments or an unusable path."""


class ConfigError(AimsctlError):
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


class GitError(AimsctlError):
    """A git operation cannot be done: no repository, no commits, an unknown revision."""


class ReportError(AimsctlError):
    """A report cannot be rendered: a template is broken, missing or unreadable.

    The message names the template (a repository path for an override, or
    ``built-in template NAME``) and, where known, the line.
    """


class ScaffoldError(AimsctlError):
    """A new repository cannot be created as asked; nothing was written."""


class RecordNotFound(AimsctlError, LookupError):
    """No record with the id exists (in the repository, or in its git history)."""
