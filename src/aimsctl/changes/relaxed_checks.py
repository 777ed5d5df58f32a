"""What validate asks less of at HEAD: a setting of aims.yaml, or a waiver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aimsctl.changes.all_fields import AllFields

# What a RelaxedCheck relaxes: the `what` of its JSON.
RULE_SETTING = "rule"  # a rule's severity lowered in `rules:` (or an override removed)
WAIVER = "waiver"  # a Waiver that waives a rule on a record, or until a day, BASE did not
GOVERNANCE = "governance"  # what `governance:` asks of a system of one tier
CADENCE = "cadence"  # how often audits, reviews and policy reviews are due
ESTABLISHED = "established"  # when the first audit and review fall due
EXCLUDE = "exclude"  # files that validate read at BASE and `exclude:` leaves out at HEAD
SEVERITY_FLOOR = "severity-floor"  # a `risk.severity_floor` that holds a severity lower


@dataclass(frozen=True, slots=True)
class RelaxedCheck(AllFields):
    """A setting of aims.yaml, or a Waiver, by which validate asks less at HEAD than at
    BASE: a rule turned off or lowered, a waiver added, extended or widened, a tier's
    governance or the management cadence made laxer, files excluded, a severity floor
    lowered or removed.

    ``id`` is the setting (``rules.AIMS503``, ``governance.high.review_days``,
    ``cadence.internal_audit_days``, ``established``, ``exclude``,
    ``risk.severity_floor``) or the waiver's id;
    ``before`` and ``after`` its values (for a waiver ``{rule, records, expires}``, None
    where it is not a waiver at BASE); ``now`` says what is relaxed, from what to what,
    in words; ``records`` names the records it concerns (the records a waiver newly
    waives, or waives longer; those in the files an exclusion leaves out)."""

    what: str
    id: str
    before: Any
    after: Any
    now: str
    path: str
    records: tuple[str, ...] = ()
