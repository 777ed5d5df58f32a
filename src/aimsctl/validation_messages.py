"""Pydantic validation errors rewritten in plain words, with their location.

A compliance officer should read "likelihood must be a level number or label",
not "Input should be a valid integer [type=int_type]".
"""

from __future__ import annotations

import json
import math
import re
import types
import unicodedata
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from aimsctl.text import clipped, drawn_alike, lookalike_key, lookalike_space, quoted

Parts = tuple[str | int, ...]

# Text that reads as a number, boolean or null: quoted in the YAML, so it is text.
# The key of an error's context that names the item of a list at fault, for a check
# made on the whole list (the finding then points at that item, not at the list).
ITEM = "item"

_LOOKS_TYPED = re.compile(r"[-+]?[0-9]+(?:\.[0-9]*)?|true|false|null|~", re.IGNORECASE)

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


# What counts as a space: `\s` is another set in each regex engine that reads these
# patterns (validate's, pydantic's Rust regex, counts U+0085 and not U+FEFF; an
# editor's, ECMAScript, the reverse; Python's `re`, as the jsonschema library uses it,
# U+0085 and U+001C-U+001F too), so every character one of them counts is named.
SPACES = "\\s\\x1c-\\x1f\\x85\\ufeff"
# The pattern of text a record must hold (records.base.Text): one character that is
# not a space. Here, where its error is worded, so the models import it from here.
NOT_BLANK = f"[^{SPACES}]"

# The form of a record id (records.md), here where its error is worded, as NOT_BLANK.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
_ID_FORM = "1-80 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"


def _field_name(parts: Parts) -> str:
    names = [p for p in parts if isinstance(p, str)]
    return names[-1] if names else "value"


# A field name shown as written: one that reads as a word. Any other (with a dot, a
# space, a quote or a `~`, only digits, empty) is shown in double quotes, JSON-escaped,
# so `a.b` (b inside a) and `"a.b"` (one field) never read the same.
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Inside quotes, what a table cell or a terminal would show as one space: a space after
# a space, or any other kind of space (no-break, ideographic...). Written as a JSON
# escape, so "a  b" and "a b" differ wherever a line's spaces are folded into one.
_FOLDED_SPACE = re.compile(r"(?<= ) |[^\S ]")
# The label of no field: the record (or file) as a whole. It has a space, so no field
# name shown as written reads as it.
_WHOLE = "the record"


def _shown_name(name: str) -> str:
    if _PLAIN_NAME.fullmatch(name):
        return name
    quoted = json.dumps(name, ensure_ascii=False)
    return _FOLDED_SPACE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def field_label(parts: Parts) -> str:
    """How a message names the value at ``parts``: `owner`, `approval.on` (the field
    names that lead to it), `entry 2 of tags`, and inside an entry of a list the entry
    by its number (`name of entry 1 of metrics`, `entry 2 of mitigations of entry 1 of
    impacts`): "metrics.name" could be any of a record's metrics. A name that is not a
    plain word is quoted (`labels."1.5"`), so two paths never read the same."""
    label = ""  # the entry of a list reached so far, named from the outside in
    names: list[str] = []  # the field names read since that entry
    for part in parts:
        if isinstance(part, str):
            names.append(_shown_name(part))
            continue
        holder = " of ".join(n for n in (".".join(names), label) if n) or _WHOLE
        label, names = f"entry {part + 1} of {holder}", []
    return " of ".join(n for n in (".".join(names), label) if n) or _WHOLE


def describe_input(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and _LOOKS_TYPED.fullmatch(value):
        return f"the quoted text {value!r}"
    return clipped(quoted(value) if isinstance(value, str) else repr(value), 60, "...")


# The allowed values as pydantic lists them for a Literal: `'a', 'b' or 'c'`.
_QUOTED = re.compile(r"'([^']*)'")
_ID_CHARACTER = re.compile(r"[A-Za-z0-9._-]")
# How pydantic labels a validator, a type or a mapping's key in an error's location:
# `function-after[...]`, `list[str]`, `[key]`.
_PYDANTIC_TAG = re.compile(r"(?:[a-z][a-z0-9-]*)?\[.*\]", re.DOTALL)


def _id_flaw(value: Any) -> str:
    """What makes a text id invalid, in words: its length or its first bad character."""
    if not isinstance(value, str) or not value:
        return ""
    if len(value) > 80:
        return f" (it is {len(value)} characters long)"
    for index, char in enumerate(value):
        if not _ID_CHARACTER.fullmatch(char) or (index == 0 and char in "._-"):
            if char == " ":
                what = "a space"
            elif char.isascii() and char.isprintable():
                what = repr(char)
            else:  # look-alikes and invisible characters, named so they can be found
                name = unicodedata.name(char, "")
                what = f"U+{ord(char):04X}" + (f" {name}" if name else "")
            where = "starts with" if index == 0 else "contains"
            return f" (it {where} {what})"
    return ""


def not_an_id(label: str, value: str) -> str:
    """ "--id 'R-0\u0410' is not a record id (it contains U+0410 ...): an id is ...": the
    words `validate` uses, for a command that refuses an id it was given."""
    return (
        f"{label} {describe_input(value)} is not a record id{_id_flaw(value)}: an id is {_ID_FORM}"
    )


_ID = re.compile(ID_PATTERN)


def _several_ids(value: Any) -> str:
    """How to list the ids of one entry written `SYS-1, SYS-2` (or with `;`): as a
    list, each its own entry."""
    if not isinstance(value, str):
        return ""
    ids = [part.strip() for part in re.split(r"[,;]", value)]
    if len(ids) < 2 or not all(_ID.fullmatch(i) for i in ids):
        return ""
    return f"; to name several, give each its own entry: [{', '.join(ids)}]"


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


def _is_mapping(annotation: Any) -> bool:
    """Whether a field holds a mapping of its own keys (aims.yaml's governance:)."""
    origin = get_origin(annotation)
    if origin is dict:
        return True
    if origin in (Union, types.UnionType):
        return any(_is_mapping(arg) for arg in get_args(annotation))
    if origin is not None and origin not in (list, tuple) and get_args(annotation):
        return _is_mapping(get_args(annotation)[0])  # Annotated[...]
    return False


def model_at(model: type[BaseModel], parts: Parts) -> type[BaseModel] | None:
    """The model class that validates the mapping found at ``parts``."""
    current: type[BaseModel] | None = model
    key = False  # the next part is a key of a mapping (a band name), not a field
    for part in parts:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        if key:
            key = False
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        key = _is_mapping(info.annotation)
        candidates = [
            c for c in _unwrap(info.annotation) if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        current = candidates[0] if candidates else None
    return current


def closest(name: str, choices: list[str]) -> str | None:
    """The choice closest to ``name`` (letter case aside; the first of equals), or
    None when none is close."""
    import difflib  # here: only a run with a misspelling needs it

    read = lookalike_key(name).casefold()  # one that reads the same comes first
    alike = next((c for c in choices if lookalike_key(c).casefold() == read), None)
    if alike is not None:
        return alike
    folded = {choice.casefold(): choice for choice in reversed(choices)}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def did_you_mean(name: str, choices: list[str]) -> str:
    """``; did you mean 'X'?`` for the choice closest to ``name`` (letter case aside),
    or nothing when none is close."""
    meant = closest(name, choices)
    if meant is None:
        return ""
    # A value that reads as the one meant ('Lik\u0435ly', a Cyrillic e) shows what
    # is wrong only by naming the character.
    return f"; did you mean {quoted(meant)}?{drawn_alike(name, meant)}"


def _where_it_went(name: str, mapping: Any, model: type[BaseModel], loc: Parts) -> str:
    """Where a missing field ``name`` was written after all, when indentation moved
    it: inside the text of another field (a line indented under a `>` or `|` value, or
    a plain value over several lines, is more of that text), or into a mapping below
    (`treatment:`) that has no field of that name."""
    if not isinstance(mapping, dict):
        return ""
    written = re.compile(rf"(?:^|\s){re.escape(name)}:(?:\s|$)")
    for key, value in mapping.items():
        if isinstance(value, str) and written.search(value):
            return (
                f" ('{name}:' is inside the text of {key!r}: a line indented as part "
                "of that text is read as text; line the field up with the other fields)"
            )
    for key, value in mapping.items():
        if isinstance(value, dict) and name in value and isinstance(key, str):
            below = model_at(model, (*loc[:-1], key))
            if below is not None and not _has_field(below, name):
                return (
                    f" ('{name}:' is indented under {key!r}, which has no such field; "
                    "line it up with the other fields)"
                )
    return ""


def _has_field(model: type[BaseModel], name: str) -> bool:
    return any(name in (field, info.alias) for field, info in model.model_fields.items())


def describe_error(
    error: ErrorDetails,
    model: type[BaseModel],
    hint: bool = True,
    written: Callable[[Parts], str | None] | None = None,
) -> tuple[str, Parts, bool]:
    """(message, location parts, whether to point at the key) for one pydantic error.

    Without ``hint``, an unknown field gets no "did you mean" (which costs a fuzzy
    match; a record with thousands of unknown fields holds no typos worth one).
    ``written`` gives the text as written of a number that reads as infinity or NaN
    at the given parts (``1e400``, beyond a float's range): the message shows it, not
    ``inf``, which the person never wrote.
    """
    message, loc, at_key = _described(error, model, hint)
    value = error.get("input")
    if written is not None and isinstance(value, float) and not math.isfinite(value):
        as_written = written(loc)
        if as_written is not None:
            read = re.escape(describe_input(value))
            message = re.sub(rf"(?<![\w.+-]){read}(?![\w.])", lambda _: as_written, message)
    return message, loc, at_key


def _described(error: ErrorDetails, model: type[BaseModel], hint: bool) -> tuple[str, Parts, bool]:
    loc: Parts = tuple(p for p in error["loc"] if isinstance(p, str | int))
    # Drop the union/function tags pydantic inserts into loc ("function-after[...]"),
    # never the field an unknown-field error names: the record's own, whatever it holds.
    last = len(loc) - 1 if error["type"] == "extra_forbidden" else len(loc)
    loc = tuple(
        p
        for i, p in enumerate(loc)
        if i == last or not (isinstance(p, str) and _PYDANTIC_TAG.fullmatch(p))
    )
    item = error.get("ctx", {}).get(ITEM)
    if isinstance(item, int):  # a check of a whole list names the item at fault
        loc = (*loc, item)
    kind = error["type"]
    name = _field_name(loc)
    label = field_label(loc)
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        fields = parent.model_fields if parent is not None else {}
        allowed = sorted(info.alias or field for field, info in fields.items())
        suggestion = did_you_mean(name, allowed) if hint else ""
        if not suggestion and allowed:
            suggestion = f"; allowed fields: {', '.join(allowed)}"
        if name.isascii() and name.isdigit() and error["input"] is None:
            # `{min: 0,95}`: inside braces a comma starts another field, `95`
            suggestion += (
                f"; if {name} is the decimals of the number before it, write them after a "
                f"point (.{name}, not ,{name}): inside {{ }} a comma starts another field"
            )
        odd = lookalike_space(name)
        if odd is not None:
            suggestion = (
                f": it is indented with {odd}, which looks like a space but is read as "
                "part of the name (it comes with text pasted from a web page or a word "
                f"processor); indent with ordinary spaces{suggestion}"
            )
        return f"unknown field {name!r}{suggestion}", loc, True
    if kind == "missing":
        went = _where_it_went(name, error["input"], model, loc)
        return f"missing required field {name!r}{went}", loc, True
    if kind in ("literal_error", "enum"):
        quoted = str(error.get("ctx", {}).get("expected", ""))
        expected = quoted.replace("'", "")
        # `stage: Development`: the allowed values are lower case, and a capital or a
        # slip of the keyboard is hard to spot in a list of five
        near = ""
        if hint and isinstance(error["input"], str):
            near = did_you_mean(error["input"], _QUOTED.findall(quoted))
        return (
            f"{label} is {describe_input(error['input'])}; it must be one of: {expected}{near}",
            loc,
            False,
        )
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == NOT_BLANK:
        said = "must not be empty" if error["input"] == "" else "must hold more than spaces"
        return f"{label} {said}", loc, False
    if kind == "string_pattern_mismatch":  # the other pattern of the contract: a record id
        shown = f"{describe_input(error['input'])}"
        flaw = _id_flaw(error["input"])
        if name == "id":
            return f"id {shown} is not valid{flaw}: use {_ID_FORM}", loc, False
        said = f"{label} {shown} is not a record id{flaw}: an id is {_ID_FORM}"
        return said + _several_ids(error["input"]), loc, False
    if kind in ("string_too_short", "too_short"):
        return f"{label} {_TYPE_WORDS[kind]}", loc, False
    if kind in _TYPE_WORDS:
        said = f"{label} {_TYPE_WORDS[kind]}, not {describe_input(error['input'])}"
        if kind in ("list_type", "tuple_type") and isinstance(error["input"], str):
            # `tags: bias, fairness` (or bullets pasted from a document) is one text
            said += "; write a list as [a, b], or one '- ' item per line"
        if kind == "string_type" and isinstance(error["input"], bool):
            said += "; put quotes around it if it is text"
        elif (
            kind == "string_type"
            and isinstance(error["input"], int | float)
            and (tuple(loc[:2]) in (("risk", "likelihood"), ("risk", "severity")))
        ):
            # Quoting would not help: a scale's label is a word, its position the number.
            said += "; a label is a word (a level's number is its place in the list)"
        elif kind == "string_type" and isinstance(error["input"], int | float):
            # `version: 3.10` is the number 3.1 before any check sees it: the digits as
            # written are gone, so the message cannot show them, only how to keep them
            said += (
                "; put quotes around it to keep it as written (unquoted, YAML reads a "
                "version 3.10 as the number 3.1)"
            )
        return said, loc, False
    if kind == "int_parsing_size":  # a whole number past what pydantic reads (a Literal's)
        return f"{label} is {describe_input(error['input'])}, too large a number", loc, False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        limit = next(iter(error.get("ctx", {}).values()), "")
        return (
            f"{label} must be {words} {limit}, not {describe_input(error['input'])}",
            loc,
            False,
        )
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if message.startswith("must "):  # aimsctl's own checks say what the value must be
        return f"{label} {message}", loc, False
    return f"{label if loc else 'record'}: {message}", loc, False
