"""Risks and the tiers of systems: scores that move, new risks above the appetite,
tiers raised or lowered, and both judged again by BASE's risk settings where
aims.yaml changes them."""

from __future__ import annotations

from aimsctl.changes import (
    Changes,
    NewRisk,
    RelaxedRisk,
    RelaxedTier,
    RiskChange,
    ScoreState,
    TierChange,
)
from aimsctl.compare.sides import band_rank, of_other_kind, valid_record
from aimsctl.loader import CONFIG_FILE
from aimsctl.records import Risk
from aimsctl.repository import Repository
from aimsctl.scoring import UNASSESSED, RiskScore
from aimsctl.text import natural_key


def _score(repo: Repository, risk_id: str) -> ScoreState:
    return _state(repo.risk_scores[risk_id])


def _state(score: RiskScore) -> ScoreState:
    current = score.current
    return ScoreState(current.score, current.band, score.within_appetite, score.basis)


def compare_risks(changes: Changes, ids: list[str], added: set[str]) -> None:
    base, head = changes.base.repository, changes.head.repository
    for record_id in ids:
        old = valid_record(base, record_id, Risk)
        new = valid_record(head, record_id, Risk)
        # A valid record of another kind rewritten as a risk is a new risk, as an added one.
        # One added closed (a past risk recorded) no longer counts toward any tier or
        # asks for an acceptance: nothing gets worse by it.
        fresh = record_id in added or of_other_kind(base, record_id, Risk)
        if new is not None and fresh and new.status != "closed":
            assert head is not None
            score = head.risk_scores[record_id]
            if not score.within_appetite:
                path = head.entries[record_id].document.source.path
                changes.new_risks_above_appetite.append(
                    NewRisk(record_id, score.current.score, score.current.band, path)
                )
        if old is None or new is None:
            continue
        assert base is not None and head is not None
        was, now = _score(base, record_id), _score(head, record_id)
        # Its score, band or standing (docs/git.md): a basis that moves alone
        # (`residual_credit` planned, the same 5 medium from the inherent levels) is not.
        if (was.score, was.band, was.within_appetite) != (now.score, now.band, now.within_appetite):
            changes.risk_changes.append(RiskChange(record_id, was, now))


def compare_tiers(changes: Changes) -> None:
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    # A risk valid at BASE that HEAD cannot judge (invalid, unreadable) is left out of
    # its systems' tiers there: a tier that goes down with it is not lowered.
    left_out = {
        system_id
        for ref in changes.unjudged
        if (risk := valid_record(base, ref.id, Risk)) is not None
        for system_id in risk.systems
    }
    for system_id in sorted(base.tiers.keys() & head.tiers.keys(), key=natural_key):
        was, now = base.tiers[system_id], head.tiers[system_id]
        if was == now:
            continue
        # A first assessment (from `unassessed`) raises nothing, and closing every
        # risk (to `unassessed`) lowers nothing: only band to band counts.
        banded = UNASSESSED not in (was, now)
        old_rank = band_rank(head.scorer, base.scorer, was)
        new_rank = head.scorer.rank(now)
        changes.tier_changes.append(
            TierChange(
                system_id,
                was,
                now,
                banded and new_rank > old_rank,
                banded and new_rank < old_rank and system_id not in left_out,
            )
        )


def judge_by_base_settings(changes: Changes, ids: list[str]) -> None:
    """Where aims.yaml's risk settings changed, judge HEAD's risks and tiers by BASE's
    settings as well, so that risk criteria made more lenient in the same change can
    neither hide a raise nor pass for an improvement (6.1.2: the criteria a risk is
    judged by are themselves a decision to review)."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None or base.config.risk == head.config.risk:
        return
    old, new = base.scorer, head.scorer
    by_base: dict[str, RiskScore] | None = None
    # HEAD's risks hold level numbers read by HEAD's scales: BASE's settings can score
    # them only where each number names the same level at both, which a label moved to
    # another place (`Likely` now the first level) breaks as surely as a level added.
    if old.likelihood.reads_as(new.likelihood) and old.severity.reads_as(new.severity):
        by_base = head.scores_by(old)
    else:
        changes.notes.append(
            f"{CONFIG_FILE} changes how many likelihood or severity levels there are, or "
            "which level a label names, so HEAD's risks cannot be scored by BASE's settings: "
            "a raise the new scales hide cannot be seen, and a risk that goes from above the "
            "appetite to within it, or a system whose tier goes down, is listed as judged "
            "more leniently"
        )
    _relaxed_risks(changes, ids, by_base)
    tiers = None
    if by_base is not None and old.bands == new.bands:
        tiers = head.tiers_by(old, by_base)
    elif by_base is not None:
        changes.notes.append(
            f"{CONFIG_FILE} renames, adds or removes bands, so systems' tiers cannot be "
            "compared by BASE's settings: a system whose tier goes down is listed as judged "
            "more leniently"
        )
    _relaxed_tiers(changes, tiers)


def _relaxed_risks(changes: Changes, ids: list[str], by_base: dict[str, RiskScore] | None) -> None:
    """Risks within the appetite by HEAD's settings that BASE's put above it (without
    ``by_base``, BASE's settings cannot score them: those that were above it at BASE)."""
    base, head = changes.base.repository, changes.head.repository
    assert base is not None and head is not None
    for record_id in ids:
        if valid_record(head, record_id, Risk) is None:
            continue
        after = _score(head, record_id)
        if not after.within_appetite:
            continue
        before = _score(base, record_id) if valid_record(base, record_id, Risk) else None
        judged = None if by_base is None else _state(by_base[record_id])
        if judged is None:
            relaxed = before is not None and not before.within_appetite
        else:
            relaxed = not judged.within_appetite
        if relaxed:
            changes.relaxed_risks.append(RelaxedRisk(record_id, before, after, judged))


def _relaxed_tiers(changes: Changes, by_base: dict[str, str] | None) -> None:
    """Systems whose tier at HEAD is lower by HEAD's settings than by BASE's (the same
    bands at both); without ``by_base``, those whose tier goes down."""
    base, head = changes.base.repository, changes.head.repository
    assert base is not None and head is not None
    scorer = head.scorer
    if by_base is None:
        for change in changes.tier_changes:
            if change.lowered:
                changes.relaxed_tiers.append(
                    RelaxedTier(change.id, change.before, change.after, None)
                )
        return
    raised = {c.id for c in changes.tier_changes if c.raised}
    for system_id in sorted(head.tiers, key=natural_key):
        now, judged = head.tiers[system_id], by_base[system_id]
        was = base.tiers.get(system_id)
        banded = was is not None and UNASSESSED not in (was, judged)
        hidden = banded and system_id not in raised and scorer.rank(judged) > scorer.rank(was or "")
        if scorer.rank(judged) > scorer.rank(now) or hidden:
            changes.relaxed_tiers.append(RelaxedTier(system_id, was, now, judged, hidden))
