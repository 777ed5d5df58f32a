"""Run every rule over a repository: findings become positioned, sorted diagnostics.

The engine adds code, severity and position to what rules find, applies the
severity overrides of aims.yaml and the Waiver records, reports waivers that have
expired or cover nothing (AIMS506, AIMS507), and sorts the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from aimsctl import collector, progress, yamlsafe
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult, pointer_of
from aimsctl.loader import CONFIG_FILE
from aimsctl.records import Waiver
from aimsctl.records.check import diagnostic_at
from aimsctl.repository import Repository
from aimsctl.rules import all_rules
from aimsctl.rules.management import being_set_up, unjudged_note, unread_note
from aimsctl.rules.management.established import SET_UP_LATER
from aimsctl.rules.placeholders import waiver_not_in_force
from aimsctl.rules.registry import Finding, Rule
from aimsctl.rules.reviews import WAIVER_EXPIRED, WAIVER_UNUSED
from aimsctl.text import words


def position(repo: Repository, rule: Rule, finding: Finding) -> Diagnostic:
    """The diagnostic for a finding: at the record's key or value, or at a file."""
    entry = repo.entries.get(finding.record) if finding.record else None
    if entry is not None and finding.path is None:
        return diagnostic_at(
            entry.document,
            repo.locator,
            rule.code,
            finding.message,
            finding.parts,
            finding.at_key,
            finding.record,
            rule.severity,
        )
    path = finding.path or CONFIG_FILE
    about_config = path == CONFIG_FILE and finding.record is None
    line, column = _config_position(repo, finding) if about_config else (1, 1)
    return Diagnostic(
        rule.code,
        rule.severity,
        finding.message,
        path,
        line,
        column,
        finding.record,
        pointer_of(finding.parts),
    )


def _config_position(repo: Repository, finding: Finding) -> tuple[int, int]:
    """Where in aims.yaml a finding about a setting (``parts``) points; 1:1 for one about
    the repository as a whole. aims.yaml parsed before the rules ran, so it reads again."""
    if not finding.parts or repo.source is None:
        return 1, 1
    raw, _ = repo.source.read(CONFIG_FILE)
    text = yamlsafe.decode(raw)[0] if raw is not None else None
    if text is None:
        return 1, 1
    line, column, _ = yamlsafe.locate(yamlsafe.document_nodes(text, 1)[0], finding.parts, False)
    return line, column


def _override(diagnostic: Diagnostic, setting: str | None) -> Diagnostic | None:
    if setting is None:
        return diagnostic
    if setting == "off":
        return None
    severity = Severity(setting)
    if severity is diagnostic.severity:
        return diagnostic
    return Diagnostic(
        diagnostic.code,
        severity,
        diagnostic.message,
        diagnostic.path,
        diagnostic.line,
        diagnostic.column,
        diagnostic.record,
        diagnostic.pointer,
    )


def findings(repo: Repository) -> Iterable[Diagnostic]:
    """Every diagnostic before overrides and waivers: load, schema, then each rule."""
    yield from repo.diagnostics
    for rule in progress.each("Checking rules", list(all_rules()), size=repo.record_count):
        if rule.check is None or repo.config.rules.get(rule.code) == "off":
            continue
        for finding in rule.check(repo):
            yield position(repo, rule, finding)


def _covers(waiver: Waiver, diagnostic: Diagnostic) -> bool:
    return waiver.rule == diagnostic.code and diagnostic.record in waiver.records


def waiver_findings(
    repo: Repository, used: Mapping[str, set[str]]
) -> Iterable[tuple[Rule, Finding]]:
    """AIMS506 for each expired waiver, AIMS507 for each active one that covers no
    finding on some of its records (``used``: the records each waiver covered)."""
    for waiver in repo.of_kind(Waiver):
        if waiver.expires < repo.as_of:
            yield (
                WAIVER_EXPIRED,
                Finding(
                    f"waiver of {waiver.rule} expired on {waiver.expires}; the findings it "
                    "covered are reported again",
                    record=waiver.id,
                    parts=("expires",),
                ),
            )
            continue
        covered = used.get(waiver.id, set())
        if not covered:
            records = ", ".join(waiver.records)
            unread = _unjudged_target(repo, waiver.rule, waiver.records)
            advice = (
                f"{unread}: fix that first, then remove the waiver or correct its rule and "
                "records if it still matches nothing"
                if unread
                else "remove it or correct its rule and records"
            )
            yield (
                WAIVER_UNUSED,
                Finding(
                    f"waiver of {waiver.rule} matches no finding on {records}; {advice}",
                    record=waiver.id,
                ),
            )
            continue
        # A record the waiver names but covers nothing on would hide its finding,
        # unapproved for it, if the finding came (back) later.
        idle = [(n, r) for n, r in enumerate(waiver.records) if r not in covered]
        if idle:
            names = ", ".join(r for _, r in idle)
            them = "it" if len(idle) == 1 else "them"
            unread = _unjudged_target(repo, waiver.rule, [r for _, r in idle])
            advice = (
                f"{unread}: fix that first, then remove {them} from its records if the "
                f"waiver still matches nothing on {them}"
                if unread
                else f"remove {them} from its records"
            )
            yield (
                WAIVER_UNUSED,
                Finding(
                    f"waiver of {waiver.rule} matches no finding on {names} (it covers "
                    f"{', '.join(r for r in waiver.records if r in covered)}); {advice}",
                    record=waiver.id,
                    parts=("records", idle[0][0]),
                ),
            )


def _unjudged_target(repo: Repository, rule: str, names: list[str]) -> str:
    """Why a waiver may cover a finding on some of ``names`` after all, in the rules'
    words: a record that fails validation (its rule never runs on it, so the waiver
    cannot be judged yet), and, as AIMS201 says it of an id no record read in full
    carries, a record whose kind or id cannot be read that may be the one meant; ""
    when neither may be."""
    said: list[str] = []
    invalid = {n: kind for n in names if (kind := repo.invalid.get(n)) is not None}
    if invalid:
        # The record is there, only not valid: nothing unread can be it.
        kinds = tuple(sorted(set(invalid.values())))
        note = unjudged_note(repo, kinds, "with a finding to waive", invalid, unread=False)
        said.append(
            f"{note} ({rule} does not run on a record that fails validation, so the waiver "
            "cannot be judged yet)"
        )
    unknown = [name for name in names if repo.kind_of(name) is None]
    if unknown:
        unread = unread_note(repo, None, f"meant by {words(unknown)}", ids=set(unknown))
        if unread:
            said.append(unread)
    return "; ".join(said)


def relaxed_rules(settings: Mapping[str, str]) -> list[str]:
    """The settings of `rules:` that relax a rule: one turned off, or an error rule
    lowered to a warning ("AIMS401 off", "AIMS303 warning"), in code order."""
    severities = {rule.code: rule.severity for rule in all_rules()}
    return [
        f"{code} {setting}"
        for code, setting in sorted(settings.items())
        if setting == "off" or (setting == "warning" and severities.get(code) is Severity.ERROR)
    ]


def run(repo: Repository) -> ValidationResult:
    """Every rule over ``repo``: its diagnostics after overrides and waivers, sorted."""
    # The rules make objects; the repository's records, alive throughout, are not
    # garbage, so collections leave them out (every command that validates gains).
    with collector.alive_frozen():
        return _run(repo)


def _run(repo: Repository) -> ValidationResult:
    result = ValidationResult(
        repository=str(repo.root),
        records=repo.record_count,
        files=repo.files,
        unidentified=repo.uncounted,
    )
    result.paths = list(repo.paths)
    result.relaxed = relaxed_rules(repo.config.rules)
    result.excluded = repo.excluded
    in_force = [w for w in repo.of_kind(Waiver) if w.expires >= repo.as_of]
    # A waiver `approved_by` a `TODO:` placeholder was approved by nobody, and one that
    # gives a key twice cannot be read for certain: it waives nothing, and the findings
    # it names say why (AIMS107 or AIMS005 reports the waiver itself).
    refused = {w.id: why for w in in_force if (why := waiver_not_in_force(repo, w)) is not None}
    active = [w for w in in_force if w.id not in refused]
    unsigned = [w for w in in_force if w.id in refused]
    used: dict[str, set[str]] = {}  # waiver id: the records it covered a finding on
    later = SET_UP_LATER if being_set_up(repo) else ()
    for found in findings(repo):
        if found.code in later and found.severity is Severity.ERROR:
            found = replace(found, severity=Severity.WARNING)  # AIMS624 says why
        diagnostic = _override(found, repo.config.rules.get(found.code))
        if diagnostic is None:
            continue
        # Every waiver in force that covers the finding is used (none of them may be
        # called unused and removed: it covers the finding when another expires); the
        # finding names the first, by id. A finding on a waiver is not waivable: a
        # waiver would approve itself (its placeholder approver, its missing records).
        record = diagnostic.record
        waivable = record is not None and repo.kind_of(record) != Waiver.KIND
        waivers = [w for w in active if _covers(w, diagnostic)] if waivable else []
        if record is not None and waivers:
            for waiver in waivers:
                used.setdefault(waiver.id, set()).add(record)
            result.waived.append(diagnostic.waived(waivers[0].id))
            continue
        nobodys = [w for w in unsigned if _covers(w, diagnostic)] if waivable else []
        if record is not None and nobodys:
            for waiver in nobodys:  # it names the finding: not unused, only unapproved
                used.setdefault(waiver.id, set()).add(record)
            note = refused[nobodys[0].id]
            diagnostic = replace(diagnostic, message=f"{diagnostic.message} ({note})")
        result.diagnostics.append(diagnostic)
    # Reports about waivers are not themselves waivable, but overrides apply.
    for rule, finding in waiver_findings(repo, used):
        diagnostic = _override(position(repo, rule, finding), repo.config.rules.get(rule.code))
        if diagnostic is not None:
            result.diagnostics.append(diagnostic)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    result.waived.sort(key=Diagnostic.sort_key)
    return result
