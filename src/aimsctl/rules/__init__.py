"""The rules of `aimsctl validate`: importing this package registers every rule module."""

from aimsctl.rules import (  # noqa: F401  (each module registers its rules)
    builtin,
    characters,
    files,
    governance,
    management,
    monitoring,
    placeholders,
    references,
    regulation,
    reviews,
    risk,
    soa,
)
from aimsctl.rules.registry import RULES, Rule

__all__ = ["RULES", "Rule", "all_rules", "find_rule"]


def all_rules() -> list[Rule]:
    """Every rule, sorted by code."""
    return [RULES[code] for code in sorted(RULES)]


def find_rule(code: str) -> Rule:
    """A rule by code (any case) or by name; a usage error when there is none."""
    from aimsctl.errors import UsageError
    from aimsctl.validation_messages import did_you_mean

    found = all_rules()
    wanted = code.strip()
    for rule in found:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    # The letter O for a zero (AIMS2O1) is that code, not the nearest by spelling (AIMS621).
    written = wanted.upper().replace(" ", "")
    meant = written[:4] + written[4:].replace("O", "0")
    hint = (
        f"; did you mean {meant!r}?"
        if any(rule.code == meant for rule in found)
        else did_you_mean(wanted.upper(), [r.code for r in found])
        or did_you_mean(wanted.lower(), [r.name for r in found])
    )
    raise UsageError(f"no rule {code!r}{hint or '; `aimsctl rules` lists them'}")
