"""The contract's key order: the shape of each mapping of a record or of aims.yaml
(its keys in order, and which of them hold a date), read from the models."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Union

from pydantic import BaseModel

# The fields every record has, first, in this order; `reviewed` goes last.
COMMON_FIRST = ("kind", "id", "title", "description", "owner", "tags")


COMMON_LAST = ("reviewed",)


@dataclass
class Shape:
    """The key order of a mapping, and the shapes of what it holds."""

    order: tuple[str, ...] = ()
    fields: dict[str, Shape] = field(default_factory=dict)
    values: Shape | None = None  # every value of a mapping keyed by name
    items: Shape | None = None  # every item of a list
    dates: frozenset[str] = frozenset()  # the keys that hold a date
    texts: frozenset[str] = frozenset()  # the keys that hold text, or a list of text

    def under(self, key: Any) -> Shape | None:
        if self.fields:
            return self.fields.get(key) if isinstance(key, str) else None
        return self.values


def _record_order(model: type[BaseModel]) -> tuple[str, ...]:
    names = [_name(model, n) for n in model.model_fields]
    first = [n for n in COMMON_FIRST if n in names]
    last = [n for n in COMMON_LAST if n in names]
    middle = [n for n in names if n not in first and n not in last]
    return (*first, *middle, *last)


def _name(model: type[BaseModel], field_name: str) -> str:
    alias = model.model_fields[field_name].alias
    return alias or field_name


def _shape_of(annotation: Any) -> Shape | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape_of(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        for member in typing.get_args(annotation):
            found = _shape_of(member)
            if found is not None:
                return found
        return None
    if origin is list:
        inner = _shape_of(typing.get_args(annotation)[0])
        return Shape(items=inner) if inner is not None else None
    if origin is dict:
        inner = _shape_of(typing.get_args(annotation)[1])
        return Shape(values=inner) if inner is not None else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_shape(annotation)
    return None


def _holds_date(annotation: Any) -> bool:
    """Whether ``annotation`` is a date (`IsoDate`, `PastDate | None`...)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _holds_date(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_holds_date(member) for member in typing.get_args(annotation))
    return annotation is date


def _holds_text(annotation: Any) -> bool:
    """Whether ``annotation`` is text or a list of text (`Text | None`, `list[RecordId]`):
    a number there is an error, whatever its form."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated or origin is list:
        return _holds_text(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [m for m in typing.get_args(annotation) if m is not type(None)]
        return bool(members) and all(_holds_text(member) for member in members)
    return annotation is str


@cache
def model_shape(model: type[BaseModel]) -> Shape:
    """The key order of ``model``'s mappings, nested models included."""
    from aimsctl.records.base import Record

    if issubclass(model, Record):
        order = _record_order(model)
    else:
        order = tuple(_name(model, n) for n in model.model_fields)
    fields: dict[str, Shape] = {}
    for name, info in model.model_fields.items():
        inner = _shape_of(info.annotation)
        if inner is not None:
            fields[_name(model, name)] = inner
    dates = frozenset(
        _name(model, name)
        for name, info in model.model_fields.items()
        if _holds_date(info.annotation)
    )
    texts = frozenset(
        _name(model, name)
        for name, info in model.model_fields.items()
        if _holds_text(info.annotation)
    )
    return Shape(order=order, fields=fields, dates=dates, texts=texts)


def document_shape(data: Any, config: bool) -> Shape | None:
    """The shape of one document: aims.yaml's, or its record kind's."""
    from aimsctl.config import AimsConfig
    from aimsctl.records import KINDS

    if config:
        return model_shape(AimsConfig)
    if isinstance(data, dict) and isinstance(data.get("kind"), str) and data["kind"] in KINDS:
        return model_shape(KINDS[data["kind"]])
    return None


def ordered(keys: list[Any], order: tuple[str, ...]) -> list[Any]:
    """``keys`` in ``order``; keys it does not name after, as they came."""
    rank = {name: index for index, name in enumerate(order)}
    known = sorted((k for k in keys if isinstance(k, str) and k in rank), key=rank.__getitem__)
    return known + [k for k in keys if not (isinstance(k, str) and k in rank)]
