"""The rules of `aimsctl validate`: importing this package registers every rule module."""

from aimsctl.rules import (  # noqa: F401  (each module registers its rules)
    builtin,
    governance,
    references,
    reviews,
    risk,
    soa,
)
from aimsctl.rules.registry import RULES, Rule

__all__ = ["RULES", "Rule", "all_rules"]


def all_rules() -> list[Rule]:
    """Every rule, sorted by code."""
    return [RULES[code] for code in sorted(RULES)]
