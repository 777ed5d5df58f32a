"""A new record planned from start to end: its kind and id, its skeleton, the --set
values, the records it names, the prompts, its place, its text, the check."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aimsctl import codes, writing
from aimsctl.authoring.new.assignments import apply_set
from aimsctl.authoring.new.kind_names import resolve_kind
from aimsctl.authoring.new.must_give import MUST_GIVE, REFERENCES
from aimsctl.authoring.new.numbering import next_id
from aimsctl.authoring.new.placement import free_place, record_place, refuse_unportable
from aimsctl.authoring.new.rendering import render
from aimsctl.authoring.new.skeleton import Draft, draft, value_at
from aimsctl.authoring.new.taken_ids import ids_in_excluded_files, ids_in_unreadable_files
from aimsctl.errors import UsageError
from aimsctl.records import Record
from aimsctl.text import by_letter_case, natural_key
from aimsctl.validation_messages import ID_PATTERN, not_an_id

if TYPE_CHECKING:
    from aimsctl.diagnostics import Diagnostic
    from aimsctl.repository import Repository


@dataclass
class Made:
    change: writing.Change
    rel: str
    record_id: str
    findings: list[Diagnostic]


def make(
    repo: Repository,
    kind: str,
    record_id: str | None,
    assignments: list[str],
    ask: Callable[[Draft, str, str, Any], Any] | None = None,
) -> Made:
    """Plan a new record (nothing is written): UsageError when the id is taken or a
    field named in ``assignments`` does not exist, or the record would not be valid
    (what it holds came from the options). ``ask`` prompts for each required field
    (interactive use)."""

    model = resolve_kind(kind)
    excluded = ids_in_excluded_files(repo)
    taken = set(repo.entries) | set(repo.invalid) | set(excluded)
    taken |= ids_in_unreadable_files(repo)
    if record_id is None:
        same_kind = [
            rid
            for rid in taken
            if repo.kind_of(rid) == model.KIND or excluded.get(rid) == model.KIND
        ]
        record_id = next_id(model.KIND, sorted(same_kind), taken)
        # A file may hold another id than its name says (risks/R-026.yaml holding
        # the next id whose file does not exist yet is the free one.
        # Nor is one whose file no Windows or macOS checkout could hold beside the rest.
        # Nor one that differs from a record's id in letter case only (AIMS211).
        folded = {rid.casefold() for rid in taken}
        while record_id.casefold() in folded or not free_place(repo, model, record_id):
            taken.add(record_id)
            folded.add(record_id.casefold())
            record_id = next_id(model.KIND, sorted(same_kind), taken)
        if not re.fullmatch(ID_PATTERN, record_id):  # a numbering grown past 80 characters
            raise UsageError(
                f"the next id in the repository's numbering of {model.KIND} records would "
                f"be {len(record_id)} characters long, and an id has at most 80: give the "
                f"new record's id after the kind (`aimsctl new {model.KIND} ID`)"
            )
    elif not re.fullmatch(ID_PATTERN, record_id):
        raise UsageError(not_an_id("id", record_id))
    elif (alike := _taken_alike(record_id, taken)) is not None:
        where = repo.entries[alike].document.source.path if alike in repo.entries else None
        exists = (
            f"id {record_id!r} exists already"
            if alike == record_id
            else f"id {record_id!r} differs only in letter case from {alike!r}, the id of "
            f"a record, and would be taken for it ({codes.ID_READS_AS_ANOTHER})"
        )
        raise UsageError(
            exists
            + (f" ({where})" if where else "")
            + "; choose another, or leave ID out for the next free one"
        )
    scorer = repo.scorer
    made = draft(
        model,
        record_id,
        repo.as_of,
        tuple(scorer.likelihood.labels),
        tuple(scorer.severity.labels),
    )
    named = {a.partition("=")[0].strip() for a in assignments}
    for (must_kind, pattern), _what in MUST_GIVE.items():
        for path in _concrete(pattern, made.data) if must_kind == model.KIND else ():
            # a part of it given (`threshold.max`): the rest is not the tool's to make up
            parent_path, _, last = path.rpartition(".")
            parent = value_at(made.data, parent_path) if parent_path else made.data
            if any(name.startswith(path + ".") for name in named) and isinstance(parent, dict):
                parent[last] = {}
    for assignment in assignments:
        apply_set(made, assignment)
    given = {a.partition("=")[0].strip().split(".")[0] for a in assignments}
    unnamed: list[_NotNamed] = []  # references to give, said with the fields still missing
    for (ref_kind, name), target in REFERENCES.items():
        if ref_kind != model.KIND or name in given:
            continue
        candidates = sorted(
            (rid for rid in repo.entries if target is None or repo.kind_of(rid) == target),
            key=natural_key,  # A.2.2 before A.10.2, as every listing of ids
        )
        try:
            made.data[name] = _reference(model, name, target, candidates, made, ask)
        except _NotNamed as need:
            unnamed.append(need)
    # In a terminal a field is asked for whole, unless --set gave part of it: then the
    # rest must come from --set too, or the draft's value would stand for it unasked.
    missing = [
        f"{what}: --set {path}=..."
        for (must_kind, pattern), what in MUST_GIVE.items()
        if must_kind == model.KIND
        for path in _concrete(pattern, made.data)
        if (ask is None or path.partition(".")[0] in given) and not _was_given(path, named)
    ]
    if len(unnamed) == 1 and not missing:
        raise UsageError(unnamed[0].alone)
    if unnamed or missing:
        needs = [need.among for need in unnamed] + missing
        raise UsageError(f"a new {model.KIND} needs " + "; and ".join(needs))
    if ask is not None:
        for key in list(made.data):
            if key in ("kind", "id") or key in given or (model.KIND, key) in REFERENCES:
                continue
            # a field only a person can give is asked for with no answer ready
            owed = any(
                kind == model.KIND and (path == key or path.startswith(key + "."))
                for kind, path in MUST_GIVE
            )
            current = None if owed else made.data[key]
            made.data[key] = ask(made, key, made.notes.get(key, ""), current)
    made.path, made.rel = record_place(repo, model, record_id)
    refuse_unportable(repo.root, made.rel)
    writing.refuse_excluded(
        made.rel,
        repo.config.exclude,
        f"a {model.KIND}",
        f"keep a {model.KIND} in another folder first",
    )
    text = render(made)
    context = scales_of(repo)
    try:
        change = writing.plan_create(made.path, text, made.rel, context, root=repo.root)
    except writing.WriteRefused as refused:
        # What the record holds came from the options (or the defaults): a value no
        # record can hold is a wrong option, exit 2 as `new --help` says, not a refusal.
        raise UsageError(str(refused)) from None
    result = writing.validate(repo.root, repo.as_of, [change])
    findings = [d for d in result.diagnostics if d.record == record_id]
    return Made(change, made.rel, record_id, findings)


def _concrete(pattern: str, data: Mapping[str, Any]) -> list[str]:
    """The paths ``pattern`` names in ``data``: each `*` one per entry of its list
    (`metrics.*.value` -> `metrics.0.value`, `metrics.1.value`)."""
    head, star, tail = pattern.partition(".*")
    if not star:
        return [pattern]
    entries = value_at(data, head)
    count = len(entries) if isinstance(entries, list) else 1
    return [p for i in range(count) for p in _concrete(f"{head}.{i}{tail}", data)]


def _was_given(path: str, named: set[str]) -> bool:
    """Whether a --set gave ``path``: the field itself, what holds it (`metrics=[...]`,
    `metrics.0={...}`) or a part of it (`threshold.max=0.05`)."""
    return any(
        path == name or path.startswith(name + ".") or name.startswith(path + ".") for name in named
    )


def _reference(
    model: type[Record],
    name: str,
    target: str | None,
    candidates: list[str],
    made: Draft,
    ask: Callable[[Draft, str, str, Any], Any] | None,
) -> Any:
    listed = ", ".join(candidates[:12]) + (" …" if len(candidates) > 12 else "")
    many = name.endswith("s")
    if ask is not None and candidates:
        default = candidates[0] if len(candidates) == 1 else None
        answer = ask(made, name, f"one of: {listed}", [default] if many and default else default)
        return answer
    if len(candidates) == 1 and target is not None:
        return [candidates[0]] if many else candidates[0]
    what = target or "record"
    if not candidates:
        raise UsageError(
            f"a {model.KIND} names the {what} it is about, and the repository has none yet; "
            f"create one first (aimsctl new {what})"
        )
    option = f"--set {name}=ID (one of: {listed})"
    raise _NotNamed(
        f"say which {what} the {model.KIND} is about: {option}", f"the {what} it is about: {option}"
    )


def _taken_alike(record_id: str, taken: set[str]) -> str | None:
    """``record_id`` if it is taken, else a taken id that differs from it in letter
    case only; None when neither is."""
    if record_id in taken:
        return record_id
    alike = by_letter_case(taken).get(record_id.casefold())
    return alike[0] if alike else None


class _NotNamed(Exception):
    """A record a new record is about, which the options do not name and the
    repository cannot tell: said with every other value still to give, in one error."""

    def __init__(self, alone: str, among: str) -> None:
        super().__init__(alone)
        self.alone = alone  # the error when nothing else is missing
        self.among = among  # one of the things a new record needs


def scales_of(repo: Repository) -> dict[str, Any]:
    from aimsctl.records.base import scales_context

    return scales_context(repo.scorer.likelihood, repo.scorer.severity)
