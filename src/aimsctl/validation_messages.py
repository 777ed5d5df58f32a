"""Pydantic validation errors rewritten in plain words, with their location.

A compliance officer should read "likelihood must be a level number or label",
not "Input should be a valid integer [type=int_type]".
"""

from __future__ import annotations

import difflib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

Parts = tuple[str | int, ...]

_TYPE_WORDS = {
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "date_type": "must be a date written YYYY-MM-DD",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


def _field_name(parts: Parts) -> str:
    names = [p for p in parts if isinstance(p, str)]
    return names[-1] if names else "value"


def describe_input(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes reachable through Optional, list, tuple and dict."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple, dict):
        found: list[Any] = []
        for arg in get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    if origin is not None and get_args(annotation):  # Annotated[...]
        return _unwrap(get_args(annotation)[0])
    return [annotation]


def model_at(model: type[BaseModel], parts: Parts) -> type[BaseModel] | None:
    """The model class that validates the mapping found at ``parts``."""
    current: type[BaseModel] | None = model
    for part in parts:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        candidates = [
            c for c in _unwrap(info.annotation) if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        current = candidates[0] if candidates else None
    return current


def did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def describe_error(error: ErrorDetails, model: type[BaseModel]) -> tuple[str, Parts, bool]:
    """(message, location parts, whether to point at the key) for one pydantic error."""
    loc: Parts = tuple(p for p in error["loc"] if isinstance(p, str | int))
    # Drop union/function tags pydantic inserts into loc (e.g. "function-after[...]").
    loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
    kind = error["type"]
    name = _field_name(loc)
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        allowed = sorted(parent.model_fields) if parent is not None else []
        hint = did_you_mean(name, allowed)
        if not hint and allowed:
            hint = f"; allowed fields: {', '.join(allowed)}"
        return f"unknown field {name!r}{hint}", loc, True
    if kind == "missing":
        return f"missing required field {name!r}", loc, True
    if kind in ("literal_error", "enum"):
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return (
            f"{name} is {describe_input(error['input'])}; it must be one of: {expected}",
            loc,
            False,
        )
    if kind == "string_pattern_mismatch" and name == "id":
        return (
            f"id {describe_input(error['input'])} is not valid: use 1-80 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit",
            loc,
            False,
        )
    if kind in _TYPE_WORDS:
        return f"{name} {_TYPE_WORDS[kind]}, not {describe_input(error['input'])}", loc, False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{name} {error['msg'].lower().replace('input should be', 'must be')}", loc, False
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    dotted = ".".join(p for p in loc if isinstance(p, str)) or "record"
    return f"{dotted}: {message}", loc, False
