"""Exceptions the core raises for an unusable input, mapped to exit 2 by the CLI.

This module imports nothing heavy, so the CLI can name these exceptions without
loading GitPython.
"""

from __future__ import annotations


class GitError(Exception):
    """A git operation cannot be done: no repository, no commits, an unknown revision.

    The message is written for the person at the terminal, in plain words.
    """
