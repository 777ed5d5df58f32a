"""Rules: importing this package registers every rule module."""

from aimsctl.rules import builtin  # noqa: F401
