"""`aimsctl new`: a record of any kind, every required field present, ready to fill in.

What the tool cannot know starts as a `TODO:` placeholder, which `aimsctl validate`
reports (AIMS107) until it is replaced. A field with allowed values gets a valid
one, the others listed in a comment beside it; a level gets the middle of the
repository's scale; the day an assessment or a nonconformity is made or raised gets
the as-of date. What only a person can claim and no placeholder can stand for (a
measured value, an auditor's independence, the day a review was held) must be given
(MUST_GIVE). The record lands
where the repository keeps that kind, under the next free id of the repository's
own numbering, and is checked before it is written. Nothing is ever overwritten.
"""

from __future__ import annotations

import copy
import os
import re
import types
import typing
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aimsctl import writing, yamlsafe
from aimsctl.authoring.canonical import canonical, model_shape
from aimsctl.days import add_days
from aimsctl.errors import UsageError
from aimsctl.fileio import case_twin, windows_device
from aimsctl.loader import is_excluded
from aimsctl.record_dates import id_keys
from aimsctl.records import KINDS, Record
from aimsctl.records.base import Happened
from aimsctl.text import words, wrap_words
from aimsctl.validation_messages import ID_PATTERN, closest, did_you_mean
from aimsctl.vocabulary import PLACEHOLDER

if TYPE_CHECKING:
    from aimsctl.repository import Repository

# The first id of a kind in a repository that numbers none yet: PREFIX + 001.
DEFAULT_PREFIX: dict[str, str] = {
    "AISystem": "SYS-",
    "Risk": "R-",
    "ImpactAssessment": "IA-",
    "Control": "ORG-",
    "Waiver": "WVR-",
    "Evaluation": "EVAL-",
    "Monitor": "MON-",
    "Incident": "INC-",
    "Policy": "POL-",
    "Role": "ROLE-",
    "Objective": "OBJ-",
    "InternalAudit": "AUD-",
    "ManagementReview": "MR-",
    "Nonconformity": "NC-",
}
DEFAULT_WIDTH = 3

# Fields that name other records: (kind, field) -> the kind they name (None: any).
REFERENCES: dict[tuple[str, str], str | None] = {
    ("Risk", "systems"): "AISystem",
    ("ImpactAssessment", "system"): "AISystem",
    ("Evaluation", "system"): "AISystem",
    ("Monitor", "system"): "AISystem",
    ("Incident", "systems"): "AISystem",
    ("Waiver", "records"): None,
}

# Required fields no placeholder can stand in for, with what to give: without a
# prompt, they must come from --set. A rule code cannot be a placeholder (the record
# would not be valid with one), and a number written for a person to replace would
# be taken for theirs: a metric's `value: 0` read as measured, so an Evaluation with
# a threshold passed on a value nobody measured; a Monitor's `threshold: {min: 0}`
# never breached. A `*` stands for every entry of the list.
MUST_GIVE: dict[tuple[str, str], str] = {
    ("Waiver", "rule"): "the code of the rule it waives, e.g. AIMS501 (`aimsctl rules` lists them)",
    ("Evaluation", "metrics.*.value"): "the measured value of each metric, a number no "
    "placeholder can stand for (`aimsctl eval import` makes an Evaluation from a results file)",
    ("Monitor", "threshold"): "its threshold, the acceptable range of the metric, which no "
    "placeholder can stand for (--set threshold.min=N, --set threshold.max=N, or both)",
    # A date of something done that the rules count from: the as-of date written for
    # the user would be taken for theirs. A review "held" today answered an overdue
    # review cadence, an evaluation "performed" today the re-evaluation cadence, an
    # incident "detected" today moved its reporting deadline.
    ("Evaluation", "performed.on"): "the day it was performed, YYYY-MM-DD (the "
    "re-evaluation cadence counts from it)",
    ("Incident", "occurred"): "the day it happened, YYYY-MM-DD",
    ("Incident", "detected"): "the day it was detected, YYYY-MM-DD (reporting deadlines "
    "count from it)",
    ("ManagementReview", "held"): "the day the review was held, YYYY-MM-DD (the next "
    "review falls due from it)",
    # AIMS613 trusts `independent: true`: a default would claim it for the user.
    ("InternalAudit", "independent"): "whether its auditor is independent of what they "
    "audit, which only you can say (true or false)",
}


def _todo(what: str) -> str:
    return f"{PLACEHOLDER} {what}"


# Values better than the first allowed one, by kind and field path. A callable gets
# the as-of date.
DEFAULTS: dict[str, dict[str, Any]] = {
    "AISystem": {
        "stage": "proposed",
        "type": "other",
        "human_oversight": {
            # the weakest: the strongest, claimed for the user, hid AIMS402
            "mode": "none",
            "description": _todo("how people oversee the system's outputs"),
        },
    },
    "Risk": {"status": "open"},
    "ImpactAssessment": {"status": "draft"},
    "Control": {
        "applicable": True,
        "status": "not-started",
        "owner": _todo("who owns the control"),
    },
    "Evaluation": {"stage": "pre-deployment"},
    "Monitor": {"dimension": "performance", "every_days": 30, "threshold": {"min": 0}},
    "Incident": {"status": "open"},
    "Policy": {"status": "draft", "version": "0.1"},
    "Objective": {"status": "planned", "due": lambda today: add_days(today, 365)},
    "InternalAudit": {
        "status": "planned",
        "planned": lambda today: add_days(today, 30),
        "scope": ["4", "5", "6", "7", "8", "9", "10"],
    },
    "Nonconformity": {"status": "open", "source": "other"},
}

# Comments beside a value the tool chose that a person must check.
NOTES: dict[str, dict[str, str]] = {
    "Evaluation": {"metrics.0.value": f"{PLACEHOLDER} the measured value"},
    "Monitor": {"threshold": f"{PLACEHOLDER} the acceptable range: {{min}}, {{max}} or both"},
    "InternalAudit": {
        "independent": "true only when the auditor is independent of what they audit",
        "scope": "clauses, Annex A ids or AISystem ids",
    },
}


@dataclass
class Draft:
    """A record being made: its data, the comments beside some values, where it goes."""

    model: type[Record]
    record_id: str
    data: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)  # dotted path -> comment
    path: Path | None = None
    rel: str = ""


# --- the kind, its id and its place -------------------------------------------------------


def resolve_kind(name: str) -> type[Record]:
    """The kind named (any letter case, or its folder: `risk`, `risks`, `system`)."""
    folded = name.strip().casefold()
    for kind, model in KINDS.items():
        aliases = {kind.casefold(), model.FOLDER.casefold(), model.FOLDER.casefold().rstrip("s")}
        if kind == "AISystem":
            aliases |= {"system", "systems", "ai-system"}
        if kind == "ImpactAssessment":
            aliases |= {"assessment", "assessments", "impact-assessment"}
        if folded in aliases:
            return model
    hint = did_you_mean(name, list(KINDS)) or f"; use one of: {', '.join(KINDS)}"
    raise UsageError(f"unknown kind {name!r}{hint}")


_NUMBERED = re.compile(r"^(.*?)([0-9]+)$")
# A year within an id's prefix (`NC-2026-` of `NC-2026-04`): the ids of one numbering
# by year differ there, so they count as one numbering.
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def next_id(kind: str, used: list[str], taken: set[str]) -> str:
    """The next id in the repository's numbering for ``kind``: the numbering that holds
    most of its numbered ids (`R-025` -> `R-026`, `RSK-0099` -> `RSK-0100`, padded as
    its ids are), a numbering by year going on in its latest year (`NC-2025-05`,
    `NC-2026-03` -> `NC-2026-04`). Where no numbering holds most of them (ids named by
    system and month, `EVAL-ASSIST-2026-10`, or two numberings as large), or there
    are none, the kind's own (`R-001`): the most used prefix would name the new record
    after another's system. Never an id in ``taken``."""
    groups: dict[tuple[str, int], list[int]] = {}
    for record_id in used:
        if kind == "Control" and record_id.startswith("A."):
            continue  # Annex A ids are the catalogue's, not a numbering
        if "EXAMPLE" in record_id:
            continue  # the examples `aimsctl init` writes, to be replaced
        if not re.fullmatch(ID_PATTERN, record_id):
            continue  # not an id (a draft's, say): no numbering, nor thousands of digits
        match = _NUMBERED.match(record_id)
        if match:
            prefix, digits = match.groups()
            groups.setdefault((prefix, len(digits)), []).append(int(digits))
    numberings: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for prefix, width in groups:
        numberings.setdefault((_YEAR.sub("{year}", prefix), width), []).append((prefix, width))
    sizes = sorted(sum(len(groups[g]) for g in members) for members in numberings.values())
    total = sum(sizes)
    if sizes and sizes[-1] * 2 > total:
        members = max(numberings.values(), key=lambda m: sum(len(groups[g]) for g in m))
        # its latest year (the prefixes differ only there), else its one prefix
        prefix, width = max(members, key=lambda g: [int(y) for y in _YEAR.findall(g[0])])
        number = max(groups[(prefix, width)]) + 1
    else:
        prefix, width, number = DEFAULT_PREFIX.get(kind, kind.upper() + "-"), DEFAULT_WIDTH, 1
    while True:
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in taken:
            return candidate
        number += 1


def ids_in_excluded_files(repo: Repository) -> dict[str, str]:
    """Ids (with their kind) in YAML files the repository excludes (drafts): an id a
    draft uses is not free."""
    from aimsctl.loader import YAML_SUFFIXES, walk_files

    found: dict[str, str] = {}
    patterns = tuple(repo.config.exclude)
    if not patterns:
        return found
    for rel in sorted(walk_files(repo.root)):  # not the file system's order: a later
        # draft's kind for an id wins, and the kind decides the numbering it counts in
        if not rel.endswith(YAML_SUFFIXES) or not is_excluded(rel, patterns):
            continue
        try:
            raw = (repo.root / rel).read_bytes()[: yamlsafe.MAX_BYTES]
        except OSError:
            continue
        text, _ = yamlsafe.decode(raw)
        parsed = yamlsafe.parse(text) if text is not None else None
        if parsed is None or parsed.problems:  # a draft half written: its id keys
            for record_id in id_keys(raw):
                found.setdefault(record_id, "")
        for document in parsed.documents if parsed is not None else ():
            data = document.data
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                found[data["id"]] = str(data.get("kind"))
    return found


def ids_in_unreadable_files(repo: Repository) -> set[str]:
    """Ids the ``id`` keys of record files that could not be read as YAML give: the
    file holds those records once it is fixed, so their ids are not free."""
    from aimsctl import codes

    found: set[str] = set()
    for rel in sorted({d.path for d in repo.diagnostics if d.code in codes.UNREADABLE}):
        try:
            found |= id_keys((repo.root / rel).read_bytes())
        except OSError:
            continue
    return found


def record_place(repo: Repository, model: type[Record], record_id: str) -> tuple[Path, str]:
    """Where a new record of ``model`` goes: the folder most of its records are in
    (the kind's usual folder when it has none), as ``<id>.yaml`` (or ``.yml`` when
    the repository's files of that kind end so)."""
    folders: Counter[str] = Counter()
    suffixes: Counter[str] = Counter()
    for entry in repo.entries.values():
        if entry.record.kind == model.KIND:
            rel = entry.document.source.path
            folders[rel.rpartition("/")[0]] += 1
            suffixes[".yml" if rel.endswith(".yml") else ".yaml"] += 1
    folder = folders.most_common(1)[0][0] if folders else model.FOLDER
    suffix = suffixes.most_common(1)[0][0] if suffixes else ".yaml"
    rel = f"{folder}/{record_id}{suffix}" if folder else f"{record_id}{suffix}"
    return repo.root / rel, rel


def unportable(root: Path, rel: str) -> str | None:
    """Why a new file at ``rel`` would leave a repository that a colleague on Windows or
    macOS cannot check out whole, or None: its name is one Windows reserves for a
    device (``con.yaml``), or it differs only in letter case from a file or folder
    that exists (``r-1.yaml`` beside ``R-1.yaml``), which a file system that ignores
    case holds as one."""
    device = windows_device(rel.rpartition("/")[2])
    if device is not None:
        return (
            f"{rel} would be named as the device {device}, a name Windows reserves "
            "(CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9, with any extension): no Windows "
            "checkout of the repository could hold the file"
        )
    twin = case_twin(root, rel)
    if twin is not None:
        return (
            f"{rel} differs only in letter case from {twin}, which exists: Windows and "
            "macOS keep one file for both names, so a checkout there would lose one"
        )
    return None


def free_place(repo: Repository, model: type[Record], record_id: str) -> bool:
    """Whether the file a new record ``record_id`` would get (:func:`record_place`) does not
    exist and would not make the repository unportable (:func:`unportable`)."""
    path, rel = record_place(repo, model, record_id)
    return not os.path.lexists(path) and unportable(repo.root, rel) is None


def refuse_unportable(root: Path, rel: str, option: str = "id") -> None:
    """UsageError when a new record file at ``rel`` would be :func:`unportable`."""
    problem = unportable(root, rel)
    if problem is not None:
        raise UsageError(f"{problem}; choose another {option}")


# --- the record's fields ----------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The annotation without Annotated and None, with the metadata it carried."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation, metadata = args[0], [*metadata, *args[1:]]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation, metadata


def allowed_values(annotation: Any) -> tuple[str, ...]:
    """The values a Literal field (or a list of them) allows; () for any other."""
    inner, _ = _unwrap(annotation)
    if typing.get_origin(inner) is list:
        inner, _ = _unwrap(typing.get_args(inner)[0])
    if typing.get_origin(inner) is Literal:
        return tuple(str(v) for v in typing.get_args(inner))
    return ()


def _hint(name: str, info: FieldInfo) -> str:
    text = (info.description or "").strip()
    # the first sentence: "e.g." and "i.e." end none (`What was measured, e.g. `recall``
    # once gave the placeholder "what was measured, e.g")
    sentence = (
        re.split(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.;:])\s+(?=[A-Z(`])", text, maxsplit=1)[0].rstrip(
            ".;:"
        )
        if text
        else ""
    )
    sentence = re.sub(r"`", "", sentence)
    if not sentence or len(sentence) > 80:
        sentence = name.replace("_", " ")
    return sentence[:1].lower() + sentence[1:]


@dataclass
class _Context:
    today: date
    likelihood: tuple[str, ...]
    severity: tuple[str, ...]


def _middle(labels: tuple[str, ...]) -> str:
    return labels[(len(labels) - 1) // 2]


def _default(
    kind: str, path: str, name: str, info: FieldInfo, context: _Context, notes: dict[str, str]
) -> tuple[Any, str | None]:
    """A value for a required field, and the comment to put beside it (if any)."""
    overrides = DEFAULTS.get(kind, {})
    allowed = allowed_values(info.annotation)
    note = NOTES.get(kind, {}).get(path)
    if path in overrides:
        value = overrides[path]
        # a copy: a --set into the draft must not change the defaults of the next one
        value = value(context.today) if callable(value) else copy.deepcopy(value)
        if allowed and note is None:
            note = _one_of(allowed, list_field=isinstance(value, list))
        inner, _ = _unwrap(info.annotation)
        if isinstance(value, dict) and isinstance(inner, type) and issubclass(inner, BaseModel):
            # a mapping chosen whole (`human_oversight`): its fields with allowed values
            # list them too, as every other field's do
            fields = {(i.alias or n): i for n, i in inner.model_fields.items()}
            for key in value:
                choices = allowed_values(fields[key].annotation) if key in fields else ()
                if choices:
                    notes.setdefault(f"{path}.{key}", _one_of(choices))
        return value, note
    inner, metadata = _unwrap(info.annotation)
    metadata = [*metadata, *info.metadata]
    if allowed:
        if typing.get_origin(inner) is list:
            return [allowed[0]], note or _one_of(allowed, list_field=True)
        return allowed[0], note or _one_of(allowed)
    if name in ("likelihood", "severity") or (name == "severity" and kind == "Incident"):
        labels = context.likelihood if name == "likelihood" else context.severity
        return _middle(labels), note or f"a level: 1 to {len(labels)}, or {', '.join(labels)}"
    if inner is bool:
        return False, note
    if inner is date:
        if any(isinstance(m, Happened) for m in metadata):
            return context.today.isoformat(), note
        return add_days(context.today, 90).isoformat(), note
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return _required_of(kind, inner, context, path, notes), note
    if typing.get_origin(inner) is list:
        item, _ = _unwrap(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return [_required_of(kind, item, context, f"{path}.0", notes)], note
        return [_todo(_hint(name, info))], note
    if inner is int:
        return 1, note
    if inner is float:
        return 0, note
    return _todo(_hint(name, info)), note


def _one_of(allowed: tuple[str, ...], list_field: bool = False) -> str:
    return ("any of: " if list_field else "one of: ") + ", ".join(allowed)


def _required_of(
    kind: str,
    model: type[BaseModel],
    context: _Context,
    prefix: str,
    notes: dict[str, str],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    order = model_shape(model).order
    fields = {(info.alias or name): info for name, info in model.model_fields.items()}
    for key in order:
        info = fields[key]
        path = f"{prefix}.{key}" if prefix else key
        required = info.is_required() or path in DEFAULTS.get(kind, {})
        if key in ("kind", "id") or not required:
            continue
        value, note = _default(kind, path, key, info, context, notes)
        data[key] = value
        if note:
            notes[path] = note
    # A metric's value, for instance, is a number only a person can give.
    for path, note in NOTES.get(kind, {}).items():
        if path.startswith(prefix + "." if prefix else "") and path not in notes:
            rest = path[len(prefix) + 1 :] if prefix else path
            if "." not in rest and rest in data:
                notes[path] = note
    return data


def draft(
    model: type[Record],
    record_id: str,
    today: date,
    likelihood: tuple[str, ...],
    severity: tuple[str, ...],
) -> Draft:
    """Every required field of ``model`` with its default or placeholder."""
    context = _Context(today, likelihood, severity)
    notes: dict[str, str] = {}
    data: dict[str, Any] = {"kind": model.KIND, "id": record_id}
    body = _required_of(model.KIND, model, context, "", notes)
    if model.KIND == "Control" and record_id.startswith("A."):
        body.pop("title", None)  # the catalogue names Annex A controls
    elif model.KIND == "Control":
        body = {"title": _todo("a short name for the control"), **body}
    if model.KIND == "Control":
        body["justification"] = _todo(
            "say why this control applies (and set its status), or set applicable: false "
            "and say why it does not"
        )
    data.update(body)
    # Evaluation metrics: their own notes come from the nested defaults.
    for path, note in NOTES.get(model.KIND, {}).items():
        if _get(data, path) is not _MISSING:
            notes.setdefault(path, note)
    return Draft(model, record_id, data, notes)


_MISSING = object()


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return _MISSING
    return data


# --- --set FIELD=VALUE --------------------------------------------------------------------


def parse_value(text: str) -> Any:
    """A value as given on the command line: a flow list or mapping (`[a, b]`), a
    number, `true`/`false`, `null`, or else the text itself."""
    stripped = text.strip()
    parsed = yamlsafe.parse(stripped)
    if parsed.problems or len(parsed.documents) != 1:
        return text
    value = parsed.documents[0].data
    if isinstance(value, dict | list) and not stripped.startswith(("[", "{")):
        return text
    if isinstance(value, str) and not stripped.startswith(("'", '"')):
        # Text as given: YAML would drop a `# ...` tail, an `&anchor` or a `!!tag`,
        # and join lines.
        return stripped
    return value


def field_info(model: type[BaseModel], parts: list[str]) -> FieldInfo | None:
    current: Any = model
    info: FieldInfo | None = None
    for part in parts:
        if part.isdigit():
            inner, _ = _unwrap(info.annotation if info else None)
            if typing.get_origin(inner) is list:
                current, _ = _unwrap(typing.get_args(inner)[0])
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = {(i.alias or n): i for n, i in current.model_fields.items()}
        if part not in fields:
            return None
        info = fields[part]
        current, _ = _unwrap(info.annotation)
    return info


def _field_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of ``model`` as --set names it, those of its mappings dotted
    (`inherent.likelihood`), in the model's order."""
    paths: list[str] = []
    for field_name, info in model.model_fields.items():
        path = prefix + (info.alias or field_name)
        paths.append(path)
        inner, _ = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            paths.extend(_field_paths(inner, path + "."))
    return paths


def _field_hint(model: type[BaseModel], name: str) -> str:
    """ "Did you mean" for a --set name that is no field: the closest field, or, for a
    field of a mapping named alone (`likelyhood`), each path to the field meant
    (`inherent.likelihood` or `residual.likelihood`)."""
    paths = _field_paths(model)
    if "." in name:
        return did_you_mean(name, paths)
    hint = did_you_mean(name, [path for path in paths if "." not in path])
    if hint:
        return hint
    leaf = closest(name, [path.rpartition(".")[2] for path in paths if "." in path])
    meant = [repr(path) for path in paths if "." in path and path.rpartition(".")[2] == leaf]
    return f"; did you mean {words(meant)}?" if meant else ""


def apply_set(draft_: Draft, assignment: str) -> None:
    """Apply one ``FIELD=VALUE`` (FIELD may be dotted: ``inherent.likelihood=4``)."""
    name, equals, raw = assignment.partition("=")
    name = name.strip()
    if not equals or not name:
        raise UsageError(f"--set {assignment!r}: write it FIELD=VALUE")
    parts = name.split(".")
    if parts[0] in ("kind", "id"):
        raise UsageError(f"--set {name}: give the id as the ID argument; the kind is KIND")
    info = field_info(draft_.model, parts)
    if info is None:
        hint = _field_hint(draft_.model, name)
        raise UsageError(f"--set {name}: {draft_.model.KIND} has no field {name!r}{hint}")
    value = coerce(info, raw, entry=parts[-1].isdigit())
    target: Any = draft_.data
    for index, part in enumerate(parts[:-1]):
        following = parts[index + 1]
        if isinstance(target, list):
            position = _entry(target, part, name)
            if position == len(target):
                target.append([] if following.isdigit() else {})
            target = target[position]
            continue
        if part not in target or not isinstance(target[part], dict | list):
            target[part] = [] if following.isdigit() else {}
        target = target[part]
    last = parts[-1]
    if isinstance(target, list):
        position = _entry(target, last, name)
        if position == len(target):
            target.append(value)
        target[position] = value
    else:
        target[last] = value
    # A comment beside what the tool chose goes with it, within the value and around:
    # `threshold.max=0.05` left "TODO: the acceptable range" above the threshold, and
    # `metrics=[...]` "TODO: the measured value" beside the value given.
    for path in list(draft_.notes):
        if path == name or path.startswith(name + ".") or name.startswith(path + "."):
            del draft_.notes[path]


def _entry(entries: list[Any], part: str, name: str) -> int:
    """The list entry ``part`` names: one that exists, or the next one (entries are
    numbered from 0 and given in order: ``metrics.0.name``, then ``metrics.1.name``)."""
    position = int(part)
    if position > len(entries):
        raise UsageError(
            f"--set {name}: entry {position} comes after entry {len(entries)}, which is not "
            f"given yet; number the entries from 0, in order"
        )
    return position


def coerce(info: FieldInfo, raw: str, entry: bool = False) -> Any:
    """``raw`` as the field's type wants it: text stays text (`version=2.1` is "2.1"),
    a single value of a list field becomes a list of one, and one ``entry`` of a list
    field (`tags.1=b`) is a value of the list's items."""
    inner, _ = _unwrap(info.annotation)
    value = parse_value(raw)
    if typing.get_origin(inner) is list:
        item, _ = _unwrap(typing.get_args(inner)[0])
        if entry:
            return raw.strip() if item is str and not isinstance(value, str) else value
        if not isinstance(value, list):
            value = [raw.strip() if item is str else value]
        return value
    if inner is str and not isinstance(value, str):
        return raw.strip()
    if inner is date and isinstance(value, str):
        return value.strip()
    return value


# --- the text ---------------------------------------------------------------------------


def _optional_lines(model: type[Record], data: Mapping[str, Any]) -> list[str]:
    order = model_shape(model).order
    fields = {(i.alias or n): i for n, i in model.model_fields.items()}
    rest = [k for k in order if k not in data and k not in ("kind", "id")]
    if not rest:
        return []
    lines = ["# Optional fields (see `aimsctl schema` and the record reference):"]
    plain = [k for k in rest if not allowed_values(fields[k].annotation)]
    lines += wrap_words(", ".join(plain), 96, "#   ")
    for key in rest:
        allowed = allowed_values(fields[key].annotation)
        if allowed:
            lines += wrap_words(f"{key}: {', '.join(allowed)}", 96, "#   ", "#     ")
    return lines


def render(draft_: Draft) -> str:
    """The draft as the text of a record file, in canonical form."""
    header = [
        f"# {draft_.model.KIND} {draft_.record_id}: made by `aimsctl new`. Replace every "
        f"`{PLACEHOLDER}`",
        "# (`aimsctl validate` lists them) and check each value the comments point at.",
    ]
    body = writing.dump_all([writing.to_round_trip(draft_.data)])
    shown = draft_.rel or "new record"
    lines = canonical("\n".join([*header, body]), shown).splitlines()
    nodes = yamlsafe.document_nodes("\n".join(lines) + "\n")
    above: dict[int, list[str]] = {}
    for path, note in sorted(draft_.notes.items()):
        parts: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in path.split("."))
        line, _column, found = yamlsafe.locate(nodes[0], parts, at_key=False)
        if not found:
            continue
        key_line, key_column, _ = yamlsafe.locate(nodes[0], parts, at_key=True)
        if line == key_line and "#" not in lines[line - 1]:
            lines[line - 1] += f"  # {note}"
        else:  # a block list or mapping: the note goes above its key
            above.setdefault(key_line, []).append(" " * (key_column - 1) + f"# {note}")
    out: list[str] = []
    for number, text_line in enumerate(lines, start=1):
        out += above.get(number, [])
        out.append(text_line)
    text = "\n".join([*out, *_optional_lines(draft_.model, draft_.data)]) + "\n"
    return canonical(text, shown)


# --- the whole ------------------------------------------------------------------------


@dataclass
class Made:
    change: writing.Change
    rel: str
    record_id: str
    findings: list[str]


def make(
    repo: Repository,
    kind: str,
    record_id: str | None,
    assignments: list[str],
    ask: Callable[[Draft, str, str, Any], Any] | None = None,
) -> Made:
    """Plan a new record (nothing is written): UsageError when the id is taken or a
    field named in ``assignments`` does not exist, WriteRefused when the record would
    not be valid. ``ask`` prompts for each required field (interactive use)."""

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
        while not free_place(repo, model, record_id):
            taken.add(record_id)
            record_id = next_id(model.KIND, sorted(same_kind), taken)
    elif not re.fullmatch(ID_PATTERN, record_id):
        raise UsageError(
            f"id {record_id!r} is not a record id: letters, digits, '.', '_' and '-', starting "
            "with a letter or digit, at most 80 characters"
        )
    elif record_id in taken:
        where = repo.entries[record_id].document.source.path if record_id in repo.entries else None
        raise UsageError(
            f"id {record_id!r} exists already"
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
            parent = _get(made.data, parent_path) if parent_path else made.data
            if any(name.startswith(path + ".") for name in named) and isinstance(parent, dict):
                parent[last] = {}
    for assignment in assignments:
        apply_set(made, assignment)
    given = {a.partition("=")[0].strip().split(".")[0] for a in assignments}
    for (ref_kind, name), target in REFERENCES.items():
        if ref_kind != model.KIND or name in given:
            continue
        candidates = sorted(
            rid for rid in repo.entries if target is None or repo.kind_of(rid) == target
        )
        value = _reference(model, name, target, candidates, made, ask)
        made.data[name] = value
    missing = [
        f"{what}: --set {path}=..."
        for (must_kind, pattern), what in MUST_GIVE.items()
        if must_kind == model.KIND and ask is None
        for path in _concrete(pattern, made.data)
        if not _was_given(path, named)
    ]
    if missing:
        raise UsageError(f"a new {model.KIND} needs " + "; and ".join(missing))
    if ask is not None:
        for key in list(made.data):
            if key in ("kind", "id") or key in given or (model.KIND, key) in REFERENCES:
                continue
            # a field only a person can give is asked for with no answer ready
            current = None if (model.KIND, key) in MUST_GIVE else made.data[key]
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
    change = writing.plan_create(made.path, text, made.rel, context, root=repo.root)
    result = writing.validate(repo.root, repo.as_of, [change])
    findings = [
        f"{d.path}:{d.line}:{d.column}: {d.severity.value} {d.code} {d.message}"
        for d in result.diagnostics
        if d.record == record_id
    ]
    return Made(change, made.rel, record_id, findings)


def _concrete(pattern: str, data: Mapping[str, Any]) -> list[str]:
    """The paths ``pattern`` names in ``data``: each `*` one per entry of its list
    (`metrics.*.value` -> `metrics.0.value`, `metrics.1.value`)."""
    head, star, tail = pattern.partition(".*")
    if not star:
        return [pattern]
    entries = _get(data, head)
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
    raise UsageError(
        f"say which {what} the {model.KIND} is about: --set {name}=ID (one of: {listed})"
    )


def scales_of(repo: Repository) -> dict[str, Any]:
    from aimsctl.records.base import scales_context

    return scales_context(repo.scorer.likelihood, repo.scorer.severity)
