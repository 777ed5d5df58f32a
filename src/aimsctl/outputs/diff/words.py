"""What the text and the comment both say about a comparison, in the same words."""

from __future__ import annotations

from aimsctl.changes import (
    ADDED_EXCLUDED,
    ADDED_UNDECIDED,
    CHANGED,
    DECIDED,
    DECIDED_EXCLUDED,
    EXCLUDED,
    INCLUDED,
    PROGRESSED,
    REGRESSED,
    REMOVED,
    REMOVED_UNDECIDED,
    UNDECIDED,
    UNDECIDED_REGRESSED,
    Changes,
    RecordChange,
    RelaxedRisk,
    RelaxedTier,
    TierChange,
)

VALUE_WIDTH = 80


EFFECT_WORDS = {
    REGRESSED: "regressed",
    PROGRESSED: "progressed",
    EXCLUDED: "now excluded",
    ADDED_EXCLUDED: "added as excluded",
    INCLUDED: "now applicable",
    REMOVED: "removed",
    CHANGED: "changed",
    DECIDED: "decided now: applicable",
    DECIDED_EXCLUDED: "decided now: excluded",
    UNDECIDED: "undecided again (was excluded)",
    UNDECIDED_REGRESSED: "undecided again (was applicable)",
    ADDED_UNDECIDED: "added, undecided",
    REMOVED_UNDECIDED: "removed, undecided",
}


def verdict(changes: Changes) -> str:
    """The one-line verdict, without decoration."""
    worse = changes.regressions()
    if worse:
        return "governance gets worse: " + ", ".join(worse)
    return "no governance regressions"


def tier_words(change: TierChange, lenient: bool = False) -> str:
    if change.raised:
        return "raised"
    if change.lowered:
        return "lowered only by HEAD's aims.yaml" if lenient else "lowered"
    return "changed"


def relaxed_risk_words(risk: RelaxedRisk) -> str:
    judged = (
        f"{risk.by_base.text()}, above it"
        if risk.by_base
        else "cannot score it (the scales changed)"
    )
    hidden = "; it crosses the appetite by BASE's settings" if risk.hidden_raise else ""
    return f"{risk.after.text()}, within the appetite; by BASE's settings {judged}{hidden}"


def relaxed_tier_words(tier: RelaxedTier) -> str:
    before = tier.before or "new"
    judged = tier.by_base or "cannot give it (the scales or bands changed)"
    raised = ", raised" if tier.hidden_raise else ""
    return f"{before} -> {tier.after}; by BASE's settings {judged}{raised}"


def record_note(change: RecordChange) -> str:
    notes = []
    if change.previous_path is not None:
        notes.append(f"moved from {change.previous_path}")
    if change.invalid_at:
        notes.append(f"invalid at {' and '.join(change.invalid_at)}: compared as written")
    return f" ({'; '.join(notes)})" if notes else ""
