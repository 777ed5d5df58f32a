"""The bias audit's two errors: a CSV that cannot be used, and a file that did not
read the same on a later pass."""

from __future__ import annotations

from aimsctl.errors import UsageError


class DataError(UsageError):
    """The CSV cannot be used as it is: ``path:line: message``, exit 2."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}" if line is not None else f"{path}: {message}")


class Changed(Exception):
    """The file did not read the same on a later pass."""
