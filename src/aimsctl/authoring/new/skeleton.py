"""A record's skeleton: every required field of its kind with a default or a
`TODO:` placeholder, and the comments beside them."""

from __future__ import annotations

import copy
import re
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aimsctl.authoring.canonical import model_shape
from aimsctl.authoring.new.defaults import DEFAULTS, NOTES, todo
from aimsctl.authoring.new.model_fields import allowed_values, unwrap_annotation
from aimsctl.days import add_days
from aimsctl.records import Record
from aimsctl.records.base import Happened


@dataclass
class Draft:
    """A record being made: its data, the comments beside some values, where it goes."""

    model: type[Record]
    record_id: str
    data: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)  # dotted path -> comment
    path: Path | None = None
    rel: str = ""


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
        inner, _ = unwrap_annotation(info.annotation)
        if isinstance(value, dict) and isinstance(inner, type) and issubclass(inner, BaseModel):
            # a mapping chosen whole (`human_oversight`): its fields with allowed values
            # list them too, as every other field's do
            fields = {(i.alias or n): i for n, i in inner.model_fields.items()}
            for key in value:
                choices = allowed_values(fields[key].annotation) if key in fields else ()
                if choices:
                    notes.setdefault(f"{path}.{key}", _one_of(choices))
        return value, note
    inner, metadata = unwrap_annotation(info.annotation)
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
        item, _ = unwrap_annotation(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return [_required_of(kind, item, context, f"{path}.0", notes)], note
        return [todo(_hint(name, info))], note
    if inner is int:
        return 1, note
    if inner is float:
        return 0, note
    return todo(_hint(name, info)), note


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
        body = {"title": todo("a short name for the control"), **body}
    if model.KIND == "Control":
        body["justification"] = todo(
            "say why this control applies (and set its status), or set applicable: false "
            "and say why it does not"
        )
    data.update(body)
    # Evaluation metrics: their own notes come from the nested defaults.
    for path, note in NOTES.get(model.KIND, {}).items():
        if value_at(data, path) is not _MISSING:
            notes.setdefault(path, note)
    return Draft(model, record_id, data, notes)


_MISSING = object()


def value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return _MISSING
    return data
