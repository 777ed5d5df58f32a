"""AIMS801-AIMS802: the regulatory obligations no evidence can wait for: a practice
the EU AI Act prohibits in use, and an automated employment decision tool used in
New York City without a bias audit less than a year old.

`aimsctl obligations` (:mod:`aimsctl.obligations`) lists every obligation a system
takes on; these rules report the two that make any use unlawful.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.days import add_days
from aimsctl.diagnostics import Severity
from aimsctl.records import AISystem, Evaluation
from aimsctl.rules.management import UNREAD_NAMED, unjudged_note
from aimsctl.rules.management.audits import persons_named
from aimsctl.rules.measurements import evaluations_by_system
from aimsctl.rules.registry import Finding, rule

if TYPE_CHECKING:
    from aimsctl.repository import Repository

E = Severity.ERROR

# NYC Local Law 144: a bias audit no more than one year before the tool is used.
BIAS_AUDIT_DAYS = 365
# The tag that marks an Evaluation as a bias audit; `aimsctl bias-audit --record`
# writes impact-ratio metrics, which mark it too.
BIAS_AUDIT_TAG = "bias-audit"
# Stages at which a system is used on people: tested live (validation) or in production.
IN_USE = ("validation", "production")


def is_impact_ratio(name: str) -> bool:
    """Whether a metric's name says it is an impact ratio, in any letter case and with
    any spacing or punctuation between the words (`Impact-ratio`, `impact_ratio`)."""
    return "impact ratio" in " ".join(re.split(r"[\W_]+", name.casefold()))


def is_bias_audit(evaluation: Evaluation) -> bool:
    """Whether an Evaluation is a bias audit: tagged `bias-audit`, or measuring impact
    ratios (what `aimsctl bias-audit --record` writes)."""
    if BIAS_AUDIT_TAG in evaluation.tags:
        return True
    return any(is_impact_ratio(metric.name) for metric in evaluation.metrics)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def uncompared(evaluation: Evaluation) -> list[str]:
    """The dimensions in which a bias audit's impact-ratio metrics compare nothing, in
    the order written: for a dimension the name written, for groups without one the
    group itself ("" for a metric without a group).

    A metric's group is ``dimension: category``, split on its first colon whatever the
    spacing around it (`bias-audit --record` writes `sex: Female`); a group without a
    colon (`Female`, or `sex` for a lowest ratio) is a category of one unnamed
    dimension. Names are compared with spacing collapsed and letter case folded. A
    dimension compares when it has ratios of two categories or more, or any ratio other
    than 1 (a ratio is measured against another category's rate); the unnamed one only
    by a ratio other than 1, as its groups may be dimensions' lowest ratios. A lone
    ratio of 1 is not counted: it is what a category alone gets by definition, and
    cannot be told from a measurement."""
    categories: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    measured: set[str] = set()
    for metric in evaluation.metrics:
        if not is_impact_ratio(metric.name):
            continue
        group = metric.group or ""
        dimension, colon, category = group.partition(":")
        if not colon:
            dimension, category = "", group
        key = _folded(dimension)
        shown.setdefault(key, dimension.strip() if key else group.strip())
        found = categories.setdefault(key, set())
        if _folded(category):  # a blank category names none
            found.add(_folded(category))
        if metric.value != 1:
            measured.add(key)
    # Groups without a colon (`sex`, `race` as lowest ratios; `Female`, `Male`) cannot
    # be told apart as dimensions or categories: there only a ratio other than 1 shows
    # a comparison, never the count of groups.
    return [
        shown[key]
        for key, found in categories.items()
        if key not in measured and (len(found) < 2 or not key)
    ]


def compares(evaluation: Evaluation) -> bool:
    """Whether a bias audit compares categories in every dimension it has impact ratios
    for (one without impact-ratio metrics, tagged only, is taken as written)."""
    return not uncompared(evaluation)


def uncompared_note(evaluation: Evaluation) -> str:
    """Why a bias audit that compares nothing in some dimension does not count, and
    what would make it count."""
    names = ", ".join(name or "(no group)" for name in uncompared(evaluation))
    return (
        f"compares fewer than two categories in {names}: its only impact ratio there is 1, "
        "which a category alone gets by definition, so it shows no comparison; record each "
        "category's ratio (one metric per category, group `dimension: category`) for it to "
        "count"
    )


def bias_audits(done: list[Evaluation]) -> list[Evaluation]:
    """The bias audits among a system's evaluations (``evaluations_by_system``: those
    performed by the as-of date, oldest first)."""
    return [e for e in done if is_bias_audit(e)]


def run_by_owner(repo: Repository) -> Callable[[AISystem, Evaluation], bool]:
    """Whether a bias audit of a system was performed by the system's owner, or may
    have been (names read as AIMS613 reads an auditor's: letter case, spacing,
    look-alike letters, a role's id, holder and title, each member of a team). The
    law asks for an independent audit: one the owner ran is not it."""
    persons = persons_named(repo)
    owners: dict[str, set[str]] = {}

    def ran(system: AISystem, audit: Evaluation) -> bool:
        if system.owner not in owners:
            owners[system.owner] = persons(system.owner)
        return bool(persons(audit.performed.by) & owners[system.owner])

    return ran


def independent_audits(
    repo: Repository, system: AISystem, done: list[Evaluation]
) -> tuple[list[Evaluation], list[Evaluation]]:
    """The bias audits of ``system`` among ``done``, oldest first: those its owner did
    not perform, and those it did (which count for nothing)."""
    ran = run_by_owner(repo)
    audits = bias_audits(done)
    return [a for a in audits if not ran(system, a)], [a for a in audits if ran(system, a)]


def owner_ran_note(system: AISystem, theirs: list[Evaluation]) -> str:
    """Why the owner's own audits do not count, or "" when there are none."""
    if not theirs:
        return ""
    one = len(theirs) == 1
    return (
        f"{', '.join(a.id for a in theirs[-3:])} {'was' if one else 'were'} performed by the "
        f"system's owner ({system.owner}) or may have been, and so {'is' if one else 'are'} "
        "not independent"
    )


def current_bias_audit(
    repo: Repository,
    done: list[Evaluation],
    days: int = BIAS_AUDIT_DAYS,
    counts: Callable[[Evaluation], bool] = compares,
) -> Evaluation | None:
    """The latest bias audit among a system's evaluations performed within ``days``
    before the as-of date (of those ``counts`` accepts: by default those that compare
    categories in every dimension, :func:`uncompared`)."""
    since = add_days(repo.as_of, -days)
    recent = [e for e in bias_audits(done) if e.performed.on >= since and counts(e)]
    return recent[-1] if recent else None


def _eu_class(system: AISystem) -> str | None:
    return system.regulation.eu_ai_act if system.regulation is not None else None


@rule(
    codes.PROHIBITED_PRACTICE_IN_USE,
    E,
    summary="A system classed `regulation.eu_ai_act: prohibited` is in validation or "
    "production on or after 2 February 2025, when the Act's bans apply.",
    why="EU AI Act Art. 5 bans a short list of AI practices outright (applying since 2 "
    "February 2025): no risk treatment, oversight or documentation makes their use "
    "lawful in the EU. ISO/IEC 42001 6.1.3 asks that AI risks are treated: for a "
    "prohibited practice the only treatment is to avoid it.",
    fix="Stop using the system in the EU and set its `stage` to `retired`, or change "
    "what it does so that it no longer falls under Art. 5 and record its new class. If "
    "the class was a mistake, correct `regulation.eu_ai_act`.",
    example="kind: AISystem\nid: SYS-EMOTION\n...\nstage: production\nregulation:\n"
    "  eu_ai_act: prohibited   # emotion recognition at the workplace",
)
def prohibited_practice_in_use(repo: Repository) -> Iterator[Finding]:
    for system in repo.of_kind(AISystem):
        if _eu_class(system) == "prohibited" and system.stage in IN_USE:
            # Imported (and the catalogue read) only when a system is classed so.
            from aimsctl.catalog.obligations import banned_from

            start = banned_from()
            if start is not None and repo.as_of < start:
                continue  # the ban does not apply yet, as `aimsctl obligations` says
            yield Finding(
                f"system is in {system.stage}, but its practice is prohibited by the EU AI "
                "Act (Art. 5): it may not be placed on the market, put into service or used "
                "in the EU",
                record=system.id,
                parts=("regulation", "eu_ai_act"),
            )


@rule(
    codes.BIAS_AUDIT_OVERDUE,
    E,
    summary=f"A system in production with `regulation.nyc_aedt: true` has no bias audit "
    f"performed within {BIAS_AUDIT_DAYS} days before the as-of date. A bias audit is an "
    f"Evaluation of the system tagged `{BIAS_AUDIT_TAG}` or with impact-ratio metrics "
    "(what `aimsctl bias-audit --record` writes), performed by someone other than the "
    "system's owner: names are read as AIMS613 reads an auditor's (letter case, spacing, "
    "look-alike letters, a role's id, holder and title), and an audit the owner ran is "
    "not independent, nor is one whose impact-ratio metrics compare nothing in a "
    "dimension: fewer than two categories and no ratio other than 1 (a lone ratio of 1 "
    "is what a category alone gets by definition; docs/obligations.md says how groups "
    "are read). An "
    "Evaluation that fails validation is named in the finding: it "
    "may be the audit." + UNREAD_NAMED,
    why="NYC Local Law 144 lets an employer or employment agency use an automated "
    "employment decision tool only when an independent bias audit of it was done no "
    "more than a year before, with its summary published. Control A.6.2.4 asks for "
    "verification against set criteria and clause 9.1 for the results to be kept: the "
    "audit is that evidence, and a lapsed one makes every use of the tool unlawful.",
    fix="Have the tool audited again (`aimsctl bias-audit DATA.csv ... --record SYSTEM` "
    "writes the Evaluation), publish its summary, or stop using the tool for New York "
    "City roles until the audit is done.",
    example="kind: AISystem\nid: SYS-HIRE\nstage: production\nregulation: {nyc_aedt: "
    "true}\n# the latest Evaluation tagged bias-audit was performed on 2025-04-15, as of "
    "2026-11-26",
)
def bias_audit_overdue(repo: Repository) -> Iterator[Finding]:
    by_system = evaluations_by_system(repo)
    for system in repo.of_kind(AISystem):
        regulation = system.regulation
        if regulation is None or not regulation.nyc_aedt or system.stage != "production":
            continue
        done = by_system.get(system.id, [])
        audits, theirs = independent_audits(repo, system, done)
        if current_bias_audit(repo, audits) is not None:
            continue
        since = add_days(repo.as_of, -BIAS_AUDIT_DAYS)
        found = (
            f"the latest, {audits[-1].id}, was performed on {audits[-1].performed.on}"
            if audits
            else "there is none"
        )
        if audits and not compares(audits[-1]):
            found += f" and {uncompared_note(audits[-1])}"
        if theirs:
            found += f" ({owner_ran_note(system, theirs)})"
        # An evaluation that failed validation may be the audit: said, not judged.
        unjudged = unjudged_note(repo, Evaluation.KIND, "performed")
        if unjudged:
            found += f"; {unjudged}"
        yield Finding(
            f"an automated employment decision tool in production needs a bias audit "
            f"performed within {BIAS_AUDIT_DAYS} days (on or after {since}) under NYC Local "
            f"Law 144, but {found}",
            record=system.id,
            parts=("regulation", "nyc_aedt"),
        )
