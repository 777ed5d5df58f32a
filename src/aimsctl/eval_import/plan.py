"""The import planned: options checked, the record's id and place, and the repository
checked with it. Nothing is written until the change is committed."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aimsctl import writing
from aimsctl.errors import UsageError
from aimsctl.eval_import.comparison import Row, comparison_rows
from aimsctl.eval_import.record import as_written, metric_entry, record_data, round_trip_nodes
from aimsctl.eval_import.recorded import recorded_already
from aimsctl.eval_import.results import RECORD_ID, Problems
from aimsctl.eval_import.results_file import read_results
from aimsctl.formats import Choices
from aimsctl.records import AISystem, Evaluation
from aimsctl.rules.measurements import evaluations_by_system, latest_measurements
from aimsctl.text import is_text, natural_key, printable
from aimsctl.validation_messages import did_you_mean, not_an_id

if TYPE_CHECKING:
    from aimsctl.diagnostics import Diagnostic
    from aimsctl.repository import Repository


STAGES: tuple[str, ...] = typing.get_args(Evaluation.model_fields["stage"].annotation)
DEFAULT_STAGE = "periodic"


@dataclass
class Imported:
    """An import planned: the record, where it goes, and how it compares."""

    record_id: str
    rel: str
    text: str
    record: dict[str, Any]
    system: str
    on: date
    previous: Evaluation | None
    rows: list[Row]
    # What to commit to write the record; None where nothing is to be written: the
    # results are recorded already, or the record is refused.
    change: writing.Change | None
    dry_run: bool
    results: str | None  # the results file's path in the repository, if it lies there
    recorded: bool = False  # the same results are ``record_id`` already: nothing written
    # The errors the repository would gain with the record, for which the import is
    # refused (empty when it is written, or would be in a dry run).
    refused: list[str] = field(default_factory=list)
    # The metrics failing in their latest measurement (label, evaluation id) that these
    # results do not measure against a threshold: they stay failing (AIMS702).
    unsettled: list[tuple[str, str]] = field(default_factory=list)

    @property
    def newly_failing(self) -> list[Row]:
        return [row for row in self.rows if row.newly_failing]


def _around(
    repo: Repository, system: str, on: date, new_id: str, same: list[Evaluation]
) -> tuple[list[Evaluation], list[Evaluation]]:
    """The system's evaluations before the one ``new_id`` names, performed on ``on``
    (oldest first), and those of that day that come after it, in the order the rules
    read them; the records of these very results (``same``) left out."""
    ordered = [e for e in evaluations_by_system(repo).get(system, []) if e not in same]
    new_key = natural_key(new_id)
    before = [
        e
        for e in ordered
        if e.performed.on < on or (e.performed.on == on and natural_key(e.id) < new_key)
    ]
    later = [e for e in ordered if e.performed.on == on and natural_key(e.id) > new_key]
    return before, later


def _check_system(repo: Repository, system: str) -> AISystem:
    entry = repo.entries.get(system)
    why = repo.why_left_out(system, AISystem.KIND) if entry is None else None
    if why is not None:
        raise UsageError(
            f"--system {system!r} {why}, so no evaluation of it can be recorded; "
            "fix it first (aimsctl validate shows why)"
        )
    if entry is None or not isinstance(entry.record, AISystem):
        known = sorted(s.id for s in repo.of_kind(AISystem))
        hint = did_you_mean(system, known)
        raise UsageError(f"--system {system!r} is not an AISystem of the repository{hint}")
    return entry.record


def _record_id(repo: Repository, wanted: str | None, system: str, on: date) -> str:
    from aimsctl.authoring.new import free_place, ids_in_excluded_files, ids_in_unreadable_files

    taken = set(repo.entries) | set(repo.invalid) | set(ids_in_excluded_files(repo))
    taken |= ids_in_unreadable_files(repo)  # the records of a file once it is fixed
    if wanted is not None:
        if not RECORD_ID.fullmatch(wanted):
            raise UsageError(not_an_id("--id", wanted))
        if wanted in taken:
            entry = repo.entries.get(wanted)
            where = f" ({entry.document.source.path})" if entry is not None else ""
            raise UsageError(
                f"--id {wanted!r} exists already{where}; choose another, or leave --id out"
            )
        return wanted
    base = f"EVAL-{system}-{on.isoformat()}"  # as `bias-audit --record` names its record
    if not RECORD_ID.fullmatch(base):
        raise UsageError(f"cannot make an Evaluation id from {system!r}; give one with --id ID")
    # A file may hold another id than its name says (EVAL-...-20.yaml holding another
    # record): the next id whose file does not exist yet is the free one.
    candidate, number = base, 1
    while candidate in taken or not free_place(repo, Evaluation, candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _results_rel(repo: Repository, path: Path) -> str | None:
    """The results file's repository-relative path, or None when it lies outside."""
    try:
        rel = path.resolve().relative_to(repo.root.resolve())
    except ValueError:
        return None
    return rel.as_posix()


def plan_import(
    repo: Repository,
    results_path: Path,
    system: str,
    *,
    on: date,
    by: str | None,
    stage: str = DEFAULT_STAGE,
    model_version: str | None = None,
    record_id: str | None = None,
    dry_run: bool = False,
    shown: str | None = None,
) -> Imported:
    """Plan the Evaluation made from ``results_path`` (nothing is written: commit
    ``change`` to keep it). UsageError for bad options or a results file that cannot
    be used; WriteRefused when the record itself would not be valid. Where the
    repository would gain errors with it, they are in ``refused``, and ``change`` is
    None."""
    shown = shown or str(results_path)
    stage = Choices("--stage", STAGES).check(stage)
    if on > repo.as_of:
        raise UsageError(
            f"--on {on} is after the as-of date {repo.as_of}: an evaluation is recorded once "
            "it was performed"
        )
    if by is not None and not by.strip():
        raise UsageError("--by is empty: say who performed the evaluation")
    if by is None and not dry_run:
        raise UsageError(
            "say who performed the evaluation: --by WHO (a person, team or Role id); "
            "--dry-run shows the record without it"
        )
    if model_version is not None and not model_version.strip():
        raise UsageError("--model-version is empty")
    system_record = _check_system(repo, system)
    results = read_results(results_path, shown)
    results_rel = _results_rel(repo, results_path)
    named = results_rel or Path(shown).name  # what the record's description names
    if not is_text(named):
        raise UsageError(
            f"the file name {printable(named)} is not UTF-8, so the Evaluation record "
            "cannot name it; rename it using UTF-8 characters"
        )
    same = recorded_already(
        repo,
        system,
        results,
        shown,
        on,
        results_rel,
        stage=stage,
        by=by,
        model_version=model_version,
        record_id=record_id,
    )
    recorded = same[0] if same else None
    if recorded is not None:
        on = recorded.performed.on
    new_id = recorded.id if recorded is not None else _record_id(repo, record_id, system, on)
    # Compared, and its gaps filled, as when it was imported: with what comes before it
    # in the order the rules read a system's evaluations (by day, one day's by id).
    history, later = _around(repo, system, on, new_id, same)
    if later and recorded is None:
        raise UsageError(
            f"{later[0].id}, performed the same day, would count as later than {new_id} (the "
            f"evaluations of one day are read in id order), so {new_id} would not be the "
            f"system's latest; give --id an id that sorts after {later[-1].id}"
        )
    previous = history[-1] if history else None

    problems = Problems(shown)
    metrics: list[dict[str, Any]] = []
    inherited: dict[tuple[str, str], list[str]] = {}
    for given in results.metrics:
        made = metric_entry(given, history, system)
        if isinstance(made, str):
            problems.add(given.line, made)
            continue
        metrics.append({**made[0], "value": as_written(given.value)})
        inherited[given.key] = made[1]
    problems.raise_any()

    version = model_version or results.model_version or system_record.version
    record = record_data(
        new_id,
        system,
        stage,
        on,
        by,
        version,
        results,
        metrics,
        previous,
        results_rel,
        shown,
        any(inherited.values()),
    )
    new = Evaluation.model_validate(record)
    rows = comparison_rows(new, previous, inherited)
    # Each metric's latest measurement with the new record in its place among all the
    # system's evaluations done (a back-dated import has later ones that may settle it).
    judged = {metric.key for metric in new.metrics if metric.threshold is not None}
    done = [e for e in evaluations_by_system(repo).get(system, []) if e not in same]
    placed = [*history, new, *(e for e in done if e not in history)]
    unsettled = [
        (e.metrics[i].label, e.id)
        for e, i in latest_measurements(placed)
        if e is not new and e.metrics[i].passed is False and e.metrics[i].key not in judged
    ]

    from aimsctl.authoring.canonical import canonical
    from aimsctl.authoring.new import record_place, refuse_unportable, scales_of

    planned = partial(
        Imported,
        record_id=new_id,
        record=record,
        system=system,
        on=on,
        previous=previous,
        rows=rows,
        dry_run=dry_run,
        results=results_rel,
        unsettled=unsettled,
    )
    if recorded is not None:
        rel = repo.entries[recorded.id].document.source.path
        text = canonical(writing.dump_all([round_trip_nodes(record)]), rel)
        return planned(rel=rel, text=text, change=None, recorded=True)
    path, rel = record_place(repo, Evaluation, new_id)
    refuse_unportable(repo.root, rel, "--id")
    writing.refuse_excluded(
        rel, repo.config.exclude, "an Evaluation", "keep an Evaluation in another folder first"
    )
    text = canonical(writing.dump_all([round_trip_nodes(record)]), rel)
    change = writing.plan_create(path, text, rel, scales_of(repo), root=repo.root)
    # A refused record is planned all the same, so that JSON can say why, with no
    # change to commit.
    refused = _new_errors(repo, change, rel, by)
    return planned(rel=rel, text=text, change=None if refused else change, refused=refused)


def _describe(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.path}:{diagnostic.line}: {diagnostic.code} {diagnostic.message}"


def _new_errors(repo: Repository, change: writing.Change, rel: str, by: str | None) -> list[str]:
    """The errors the repository would gain with the record, one line each, and the
    advice for the usual one (empty: the record can be written). A dry run without
    --by is judged as if it were given: its placeholder is for the reader to fill."""
    from aimsctl import codes

    errors = [
        d
        for d in writing.new_errors(repo.root, repo.as_of, [change])
        if by is not None
        or not (d.code == codes.PLACEHOLDER and d.path == rel and d.pointer == "/performed/by")
    ]
    lines = [_describe(d) for d in errors]
    if any(d.code == codes.FAILING_METRIC_UNTRACKED for d in errors):
        lines.append(
            "name the open Risk or Nonconformity that takes up each failing metric: a "
            'tracked_by column (ids separated by spaces) in CSV, "tracked_by": [ids] in JSON'
        )
    return lines
