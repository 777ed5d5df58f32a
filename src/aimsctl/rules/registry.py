"""The rule registry: every diagnostic code, its name, default severity and documentation.

Codes are named in :mod:`aimsctl.codes`. Load and schema codes are produced by
the loader and the record checker; the others by check functions registered
with :func:`rule`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity

if TYPE_CHECKING:
    from aimsctl.repository import Repository


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports; the engine adds code, severity and position.

    ``record`` is the record id the finding is about and ``parts`` the path of the
    offending key or value inside it; ``at_key`` points at the key instead of the
    value. A finding with no record points at ``path`` (default aims.yaml).
    """

    message: str
    record: str | None = None
    parts: tuple[str | int, ...] = ()
    at_key: bool = False
    path: str | None = None


Check = Callable[["Repository"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # one of aimsctl.codes; the rule's name comes from there
    severity: Severity
    summary: str
    why: str
    fix: str
    example: str
    check: Check | None = None

    @property
    def name(self) -> str:
        return codes.name(self.code)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code not in codes.ALL:
        raise ValueError(f"rule code {rule.code} is not named in aimsctl.codes")
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    RULES[rule.code] = rule
    return rule


def rule(
    code: str, severity: Severity, *, summary: str, why: str, fix: str, example: str
) -> Callable[[Check], Check]:
    """Decorator registering a check function as a rule."""

    def wrap(check: Check) -> Check:
        register(Rule(code, severity, summary, why, fix, example, check))
        return check

    return wrap
