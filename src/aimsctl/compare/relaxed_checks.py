"""Checks relaxed: what validate asks at BASE and at HEAD (rule settings, a tier's
governance, the cadence, the severity floor, `exclude:`, waivers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from aimsctl import codes
from aimsctl.changes import (
    CADENCE,
    ESTABLISHED,
    EXCLUDE,
    GOVERNANCE,
    RULE_SETTING,
    SEVERITY_FLOOR,
    WAIVER,
    Changes,
    RelaxedCheck,
)
from aimsctl.compare.sides import band_rank, valid_record
from aimsctl.compare.states import RecordState
from aimsctl.config import AimsConfig, GovernancePolicy
from aimsctl.loader import (
    CONFIG_FILE,
    WorkingTree,
    is_excluded,
    printable_path,
    select_record_paths,
)
from aimsctl.records import Waiver
from aimsctl.repository import Repository
from aimsctl.rules import all_rules
from aimsctl.rules.management import ai_in_use, aims_start, being_set_up, records_start
from aimsctl.rules.management.established import set_up_later
from aimsctl.rules.placeholders import waiver_not_in_force
from aimsctl.text import first_of, natural_key, plural
from aimsctl.vocabulary import OVERSIGHT_ORDER


def relaxed_checks(changes: Changes, before: dict[str, RecordState]) -> None:
    """What HEAD's aims.yaml and waivers let validate ask less than BASE's did: rules
    turned off or lowered, a tier's governance or the management cadence made laxer,
    a severity floor lowered or removed, files BASE checked excluded, waivers added,
    extended or widened. Each is a decision
    about the management system's criteria (6.1.2, 9.1, 9.2, 9.3) that a change must
    not make unnoticed. A side without aims.yaml checks nothing to relax."""
    base, head = changes.base.repository, changes.head.repository
    if base is None or head is None:
        return
    found = [
        *_relaxed_rules(base.config, head.config),
        *_relaxed_governance(base.config, head.config),
        *_relaxed_cadence(base, head),
        *_relaxed_floor(base, head),
        *_relaxed_exclude(base, head, before),
        *_relaxed_waivers(base, head),
    ]
    changes.relaxed_checks = sorted(found, key=lambda check: natural_key(check.id))


# A rule's settings, laxest first.
_SETTINGS = ("off", "warning", "error")


def _relaxed_rules(base: AimsConfig, head: AimsConfig) -> list[RelaxedCheck]:
    """Rules whose severity at HEAD is below BASE's: turned off, an error made a warning,
    or an override that raised a rule removed (each side's setting, else the rule's own
    severity)."""
    default = {rule.code: rule.severity.value for rule in all_rules()}
    found: list[RelaxedCheck] = []
    for code in sorted(base.rules.keys() | head.rules.keys()):
        own = default.get(code, "error")  # every code has a rule; else the strictest
        was, now = base.rules.get(code, own), head.rules.get(code, own)
        if _SETTINGS.index(now) >= _SETTINGS.index(was):
            continue
        was_own = "" if code in base.rules else " (its default)"
        now_own = "" if code in head.rules else " (its default)"
        effect = (
            "its findings are no longer reported"
            if now == "off"
            else "its findings no longer fail validate (only with --strict)"
        )
        found.append(
            RelaxedCheck(
                RULE_SETTING,
                f"rules.{code}",
                was,
                now,
                f"rule {code} ({codes.name(code)}): {was}{was_own} -> {now}{now_own}; " + effect,
                CONFIG_FILE,
            )
        )
    return found


def _governance_relaxed(was: GovernancePolicy, now: GovernancePolicy) -> list[tuple[str, str]]:
    """The fields of a tier's governance that ask less at HEAD (``now``), each with what
    that means in words."""
    found: list[tuple[str, str]] = []
    if now.review_days > was.review_days:
        found.append(("review_days", "its records are due for review less often"))
    if was.impact_assessment and not now.impact_assessment:
        found.append(("impact_assessment", "it no longer needs an approved impact assessment"))
    if OVERSIGHT_ORDER.index(now.min_oversight) < OVERSIGHT_ORDER.index(was.min_oversight):
        found.append(("min_oversight", "it may have weaker human oversight"))
    if was.evaluation_days is not None and (
        now.evaluation_days is None or now.evaluation_days > was.evaluation_days
    ):
        found.append(
            (
                "evaluation_days",
                "it no longer needs a passing evaluation"
                if now.evaluation_days is None
                else "a passing evaluation may be older",
            )
        )
    if was.monitoring and not now.monitoring:
        found.append(("monitoring", "in production it no longer needs a monitor"))
    return found


def _relaxed_governance(base: AimsConfig, head: AimsConfig) -> list[RelaxedCheck]:
    """What `governance:` asks of a system of each tier of HEAD, against what BASE's asks
    of that tier: each side's own policy for it (:meth:`AimsConfig.policy`).
    A band BASE does not have is held to the policy of BASE's band at its place (its
    position from the lowest; past BASE's highest, the highest): a band renamed, or
    added above the others, cannot ask less than the one it takes the place of."""
    old_bands, new_bands = base.risk.band_names, head.risk.band_names
    found: list[RelaxedCheck] = []
    for index, band in enumerate(new_bands):
        counterpart = band if band in old_bands else old_bands[min(index, len(old_bands) - 1)]
        was, now = base.policy(counterpart), head.policy(band)
        place = (
            ""
            if counterpart == band
            else f" (no band {band} at BASE: compared with {counterpart}, at its place)"
        )
        for name, effect in _governance_relaxed(was, now):
            before, after = getattr(was, name), getattr(now, name)
            found.append(
                RelaxedCheck(
                    GOVERNANCE,
                    f"governance.{band}.{name}",
                    before,
                    after,
                    f"a system of tier {band}: {name} {_setting_text(before)} -> "
                    f"{_setting_text(after)}{place}; {effect}",
                    CONFIG_FILE,
                )
            )
    return found


def _setting_text(value: Any) -> str:
    """A setting's value as aims.yaml writes it: ``true``, ``null``, ``365``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_CADENCE_WORDS = {
    "internal_audit_days": "internal audits",
    "management_review_days": "management reviews",
    "policy_review_days": "reviews of the AI policy",
}


def _relaxed_cadence(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """The management system's cadence made longer (9.2, 9.3, A.2.4), and its start
    (`established`) moved later, or dropped where the records show no earlier one: the
    first internal audit and management review fall due later."""
    found: list[RelaxedCheck] = []
    for name, what in _CADENCE_WORDS.items():
        was, now = getattr(base.config.cadence, name), getattr(head.config.cadence, name)
        if now > was:
            found.append(
                RelaxedCheck(
                    CADENCE,
                    f"cadence.{name}",
                    was,
                    now,
                    f"{what} are due every {now} days, not every {was}",
                    CONFIG_FILE,
                )
            )
    was_day, now_day = base.config.established, head.config.established
    found.extend(_set_up_again(base, head))
    if was_day is None or (now_day is not None and now_day <= was_day):
        return found
    if now_day is None:
        start = aims_start(head)  # without `established`, the records' first day
        if start is not None and start.day <= was_day:
            return found
        effect = (
            "the records show no start, so no internal audit or management review falls due"
            if start is None
            else f"the records show the management system at work since {start.day}, so the "
            "first internal audit and management review fall due later"
        )
    else:
        # A start the records show earlier than `established` is the one counted
        # (AIMS622), so the effect may be smaller than the setting's move, or none.
        start = aims_start(head)
        if start is None or start.day >= now_day:
            effect = "the first internal audit and management review fall due later"
        elif start.day > was_day:
            effect = (
                f"the records show the management system at work since {start.day}, so the "
                "first internal audit and management review fall due later, from that day"
            )
        else:
            effect = (
                f"the records show the management system at work since {start.day}, so the "
                "first internal audit and management review fall due no later than before, "
                "counted from that day; but `established` no longer says when it started "
                f"({codes.ESTABLISHED_AFTER_RECORDS})"
            )
    said = f"established {was_day} -> {_setting_text(now_day)}; {effect}"
    if found and found[-1].id == "established":  # set up again: one line says both
        found[-1] = replace(found[-1], now=f"{said}; {found[-1].now}")
        return found
    found.append(
        RelaxedCheck(
            ESTABLISHED,
            "established",
            was_day.isoformat(),
            None if now_day is None else now_day.isoformat(),
            said,
            CONFIG_FILE,
        )
    )
    return found


def _set_up_again(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """The management system read as being set up at HEAD and not at BASE
    (AIMS624): placeholders, the policy's approval and auditors' independence are
    then warnings, not errors."""
    lowered = set_up_later(head)
    if not being_set_up(head) or being_set_up(base) or lowered is None:
        return []
    was, now = base.config.established, head.config.established
    # Where aims.yaml did not change, records did: the AI in use at BASE is gone, or
    # the policy approval, audit or review that showed the AIMS at work.
    in_use = ai_in_use(base) if was == now else None
    shown = records_start(base) if was == now and in_use is None else None
    if in_use is not None:
        why = f": at BASE {in_use.shown}, and at HEAD no record shows AI in use"
    elif shown is not None:
        why = f": at BASE {shown[1]}, and at HEAD no record shows the AIMS at work"
    else:
        why = ""
    return [
        RelaxedCheck(
            ESTABLISHED,
            "established",
            None if was is None else was.isoformat(),
            None if now is None else now.isoformat(),
            f"the management system reads as being set up ({codes.AIMS_BEING_SET_UP}){why}, "
            f"so {lowered}, not errors",
            CONFIG_FILE,
            (in_use.record,) if in_use is not None else (),
        )
    ]


def _relaxed_floor(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """The severity levels that `risk.severity_floor` holds to a lower band at HEAD than
    at BASE, or to none (6.1.2): the criterion goes whether or not a risk is floored
    today, which `risk-criteria-relaxed` judges by each risk. Levels are BASE's, matched
    by number (a level past HEAD's top is held to HEAD's top level's floor)."""
    old, new = base.scorer, head.scorer
    lowered: list[str] = []
    for level in range(1, old.severity.top + 1):
        was = old.floor(level)
        if was is None:
            continue
        now = new.floor(min(level, new.severity.top))
        if now is not None and new.rank(now) >= band_rank(new, old, was):
            continue
        name = f"a risk of severity {old.severity.label(level)} ({level})"
        lowered.append(
            f"{name} is no longer held at least {was}"
            if now is None
            else f"{name} is held at least {now}, not {was}"
        )
    if not lowered:
        return []
    return [
        RelaxedCheck(
            SEVERITY_FLOOR,
            "risk.severity_floor",
            _floors(base.config),
            _floors(head.config),
            "; ".join(lowered),
            CONFIG_FILE,
        )
    ]


def _floors(config: AimsConfig) -> list[dict[str, Any]]:
    return [floor.model_dump(mode="json") for floor in config.risk.severity_floor]


# At most this many files named in the words of an exclusion (the JSON names every record).
_FILES_SHOWN = 10


def _relaxed_exclude(
    base: Repository, head: Repository, before: dict[str, RecordState]
) -> list[RelaxedCheck]:
    """Files validate checked at BASE that are still there at HEAD but that HEAD's
    `exclude:` leaves out: their records are no longer checked at all. (The records they
    held are also removed at HEAD, and trip the gates of their kinds as removals.)"""
    patterns = tuple(head.config.exclude)
    if not patterns or head.config.exclude == base.config.exclude:
        return []
    dropped = [
        printable_path(path)
        for path in _checked_files(base)
        if is_excluded(path, patterns) and head.path_exists(path)
    ]
    if not dropped:
        return []
    left = set(dropped)
    records = sorted((i for i, s in before.items() if s.path in left), key=natural_key)
    return [
        RelaxedCheck(
            EXCLUDE,
            "exclude",
            list(base.config.exclude),
            list(head.config.exclude),
            f"{plural(len(dropped), 'file')} that BASE checked "
            f"{'is' if len(dropped) == 1 else 'are'} no longer read: "
            f"{first_of(dropped, _FILES_SHOWN)}",
            CONFIG_FILE,
            tuple(records),
        )
    ]


def _checked_files(repo: Repository) -> list[str]:
    """The files validate checks at a side, as listed: those it reads (a broken one
    too) and those it reports as unreadable by their name alone (an extension such as
    `.YAML`, a name that is not UTF-8). Excluding one that was an error is as much a
    relaxation as excluding one that held records."""
    source = repo.source if repo.source is not None else WorkingTree(repo.root)
    miscased: list[str] = []
    records = select_record_paths(source.paths(), repo.config.exclude, miscased)
    return sorted([*records, *miscased], key=printable_path)


def _waiver_data(waiver: Waiver) -> dict[str, Any]:
    return {"rule": waiver.rule, "records": list(waiver.records), "expires": str(waiver.expires)}


def _relaxed_waivers(base: Repository, head: Repository) -> list[RelaxedCheck]:
    """Waivers in force at HEAD that waive a rule on a record that no waiver of BASE
    waived it on, or until a later day: a waiver added, its expiry pushed later, or its
    rule or records widened. Judged by what is waived, not by which record waives it: a
    waiver renamed, split or merged with nothing more waived relaxes nothing, and one
    expired at HEAD waives nothing (validate reports it, AIMS506); nor does one that a
    side does not hold in force (approved by a placeholder, a key given twice): approving
    it at HEAD is what makes it waive."""
    until: dict[tuple[str, str], date] = {}  # (rule, record): the last day BASE waives it
    for waiver in base.of_kind(Waiver):
        if waiver_not_in_force(base, waiver) is not None:
            continue
        for record_id in waiver.records:
            key = (waiver.rule, record_id)
            until[key] = max(until.get(key, waiver.expires), waiver.expires)
    found: list[RelaxedCheck] = []
    for waiver in head.of_kind(Waiver):
        if waiver.expires < head.as_of or waiver_not_in_force(head, waiver) is not None:
            continue
        wider = sorted(
            {
                record_id
                for record_id in waiver.records
                if (waiver.rule, record_id) not in until
                or until[(waiver.rule, record_id)] < waiver.expires
            },
            key=natural_key,
        )
        if not wider:
            continue
        old: Waiver | None = valid_record(base, waiver.id, Waiver)
        now = (
            f"{waiver.rule} ({codes.name(waiver.rule)}) waived on {', '.join(waiver.records)} "
            f"until {waiver.expires}"
        )
        refused = waiver_not_in_force(base, old) if old is not None else None
        if old is None:
            words = f"new waiver: {now}"
        elif refused is not None:
            words = f"{now}; at BASE it waived nothing ({refused})"
        else:
            words = f"{now}; at BASE {old.rule} on {', '.join(old.records)} until {old.expires}"
        found.append(
            RelaxedCheck(
                WAIVER,
                waiver.id,
                None if old is None else _waiver_data(old),
                _waiver_data(waiver),
                words,
                head.entries[waiver.id].document.source.path,
                tuple(wider),
            )
        )
    return found
