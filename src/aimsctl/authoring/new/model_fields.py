"""What a model's fields take: annotations without Annotated and None, allowed
values, the field a dotted path names."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo


def unwrap_annotation(annotation: Any) -> tuple[Any, list[Any]]:
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
    inner, _ = unwrap_annotation(annotation)
    if typing.get_origin(inner) is list:
        inner, _ = unwrap_annotation(typing.get_args(inner)[0])
    if typing.get_origin(inner) is Literal:
        return tuple(str(v) for v in typing.get_args(inner))
    return ()


def field_info(model: type[BaseModel], parts: list[str]) -> FieldInfo | None:
    current: Any = model
    info: FieldInfo | None = None
    for part in parts:
        if part.isdigit():
            inner, _ = unwrap_annotation(info.annotation if info else None)
            if typing.get_origin(inner) is list:
                current, _ = unwrap_annotation(typing.get_args(inner)[0])
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = {(i.alias or n): i for n, i in current.model_fields.items()}
        if part not in fields:
            return None
        info = fields[part]
        current, _ = unwrap_annotation(info.annotation)
    return info
