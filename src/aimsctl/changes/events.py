"""What a change does to the management system, in words: a nonconformity raised,
an audit completed, a policy approved, a review held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from aimsctl.text import plural
from aimsctl.vocabulary import is_placeholder

# What a change does to the management system, named in words (5.2, 9.2, 9.3, 10.2):
# the `event` of a ManagementEvent.
RAISED = "raised"  # a nonconformity recorded
CLOSED = "closed"  # a nonconformity's status became closed
REOPENED = "reopened"  # ... and left closed again
COMPLETED = "completed"  # an internal audit's status became completed
APPROVED = "approved"  # a policy approved: newly, in a new version, or again
RETIRED = "retired"  # a policy's status became retired
HELD = "held"  # a management review recorded
_NOUNS = {
    "Nonconformity": "nonconformity",
    "InternalAudit": "internal audit",
    "Policy": "policy",
    "ManagementReview": "management review",
}
MANAGEMENT_EVENT_KINDS: tuple[str, ...] = tuple(_NOUNS)
# The kinds of the management system in words, for people: ``internal audit``.
NOUNS: dict[str, str] = {
    **_NOUNS,
    "Objective": "objective",
    "ImpactAssessment": "impact assessment",
    "AISystem": "AI system",
}


@dataclass(frozen=True, slots=True)
class ManagementEvent:
    """Something that happened to the management system: a nonconformity raised, closed
    or reopened, an internal audit completed, a policy approved or retired, a management
    review held. ``detail`` says more in words (dates, version, outcome)."""

    kind: str
    id: str
    event: str
    detail: str = ""
    path: str = ""

    @property
    def noun(self) -> str:
        """The kind in words: ``internal audit``."""
        return _NOUNS.get(self.kind, self.kind)

    @property
    def words(self) -> str:
        """``nonconformity NC-1 closed``: the kind in words, the id and what happened."""
        return f"{self.noun} {self.id} {self.event}"

    def text(self) -> str:
        """The event in one line, for people: its words and, in brackets, the detail."""
        return self.words + (f" ({self.detail})" if self.detail else "")

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "event": self.event}


def _get(data: Any, *keys: str) -> Any:
    """A value inside plain data (validated, or as written), or None."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _word(value: Any) -> str:
    """A scalar as text (a date as YYYY-MM-DD); anything else as nothing."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str | int | float | date):
        return str(value)
    return ""


def _listed(data: Any, key: str) -> list[Any]:
    value = _get(data, key)
    return value if isinstance(value, list) else []


def _nonconformity_events(before: Any, after: Any) -> list[tuple[str, str]]:
    status, was = _word(_get(after, "status")), _word(_get(before, "status"))
    events: list[tuple[str, str]] = []
    if before is None:
        where = _word(_get(after, "reference"))
        source = _word(_get(after, "source"))
        detail = ", ".join(
            part
            for part in (
                f"from {source}" if source else "",
                f"requirement {where}" if where else "",
            )
            if part
        )
        events.append((RAISED, detail))
    if status == "closed" and (before is None or was != "closed"):
        review = _get(after, "effectiveness")
        on, effective = _word(_get(review, "on")), _get(review, "effective")
        if isinstance(effective, bool) and on:
            verdict = "effective" if effective else "not effective"
            events.append((CLOSED, f"effectiveness reviewed on {on}: {verdict}"))
        else:
            events.append((CLOSED, "no effectiveness review recorded"))
    elif before is not None and was == "closed" and status and status != "closed":
        events.append((REOPENED, f"now {status}"))
    return events


_FINDINGS = {
    "major-nonconformity": ("major nonconformity", "major nonconformities"),
    "minor-nonconformity": ("minor nonconformity", "minor nonconformities"),
    "observation": ("observation", "observations"),
    "opportunity": ("opportunity", "opportunities"),
}


def _audit_events(before: Any, after: Any) -> list[tuple[str, str]]:
    if _word(_get(after, "status")) != "completed":
        return []
    if before is not None and _word(_get(before, "status")) == "completed":
        return []
    start, end = _word(_get(after, "performed", "from")), _word(_get(after, "performed", "to"))
    found: dict[str, int] = {}
    for finding in _listed(after, "findings"):
        kind = _word(_get(finding, "type"))
        if kind:
            found[kind] = found.get(kind, 0) + 1
    parts = [f"performed {start} to {end}"] if start and end else []
    parts.append(
        ", ".join(
            plural(n, *_FINDINGS.get(kind, (kind, kind))) for kind, n in sorted(found.items())
        )
        or "no findings"
    )
    return [(COMPLETED, "; ".join(parts))]


def _policy_events(before: Any, after: Any) -> list[tuple[str, str]]:
    status, was = _word(_get(after, "status")), _word(_get(before, "status"))
    version = _word(_get(after, "version"))
    # An approval not recorded (AIMS604), or by a `TODO:` approver (AIMS601), approves
    # nothing: deleting one, or writing a placeholder over the approver, is no event.
    approval = _get(after, "approval")
    signed = isinstance(approval, dict) and not is_placeholder(_word(approval.get("by")))
    if status == "approved" and signed:
        again = before is not None and was == "approved"
        if (
            not again
            or _word(_get(before, "version")) != version
            or _get(before, "approval") != _get(after, "approval")
        ):
            by, on = _word(_get(after, "approval", "by")), _word(_get(after, "approval", "on"))
            detail = ", ".join(
                part
                for part in (
                    f"version {version}" if version else "",
                    " ".join(p for p in (f"by {by}" if by else "", f"on {on}" if on else "") if p),
                )
                if part
            )
            return [(APPROVED, detail)]
    if status == "retired" and (before is None or was != "retired"):
        return [(RETIRED, f"version {version}" if version else "")]
    return []


def _review_events(before: Any, after: Any) -> list[tuple[str, str]]:
    if before is not None:
        return []
    held = _word(_get(after, "held"))
    inputs = len({_word(item) for item in _listed(after, "inputs")} - {""})
    actions = len(_listed(after, "actions"))
    parts = [f"on {held}" if held else "", f"{inputs} of 7 inputs", plural(actions, "action")]
    return [(HELD, ", ".join(part for part in parts if part))]


_EVENTS = {
    "Nonconformity": _nonconformity_events,
    "InternalAudit": _audit_events,
    "Policy": _policy_events,
    "ManagementReview": _review_events,
}


def management_events(
    kind: str | None, record_id: str, before: Any, after: Any, path: str = ""
) -> list[ManagementEvent]:
    """What a change to one record does to the management system, in words.

    ``before`` and ``after`` are the record's data (validated JSON, or as written in
    its file; None where it is absent). A removed record is no event.
    """
    if kind not in _EVENTS or not isinstance(after, dict):
        return []
    if before is not None and not isinstance(before, dict):
        return []  # what it was is unknown
    return [
        ManagementEvent(kind, record_id, event, detail, path)
        for event, detail in _EVENTS[kind](before, after)
    ]
