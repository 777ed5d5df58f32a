"""Rules: importing this package registers every rule module."""

from aimsctl.rules import (  # noqa: F401
    builtin,
    governance,
    references,
    reviews,
    risk,
    soa,
)
