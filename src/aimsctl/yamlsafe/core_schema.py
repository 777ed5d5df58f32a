"""Scalars under the YAML 1.2 core schema: the tags aimsctl accepts, and plain and
explicitly tagged scalars turned into Python values."""

from __future__ import annotations

import re
from typing import Any

import yaml

from aimsctl import codes
from aimsctl.text import cluster_boundary, read_as_zero, rounded_on_reading
from aimsctl.yamlsafe.limits import MAX_NUMBER_DIGITS
from aimsctl.yamlsafe.problems import YamlProblem, node_position

_CORE = "tag:yaml.org,2002:"
STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG, NULL_TAG = (
    _CORE + t for t in ("str", "int", "float", "bool", "null")
)
MAP_TAG, SEQ_TAG = _CORE + "map", _CORE + "seq"
PLAIN = "?"  # our marker for an untagged plain scalar, resolved by the core schema

INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
FLOAT_RE = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_MAYBE_SPECIAL = frozenset("0123456789+-.~tTfFnN")


class LongNumber(ValueError):
    """An integer written with more than MAX_NUMBER_DIGITS characters."""


EXACT_WHOLE = 2**53  # every whole number up to it, and no further, a float holds


class RoundedNumber(ValueError):
    """A decimal number with more significant digits than a 64-bit float holds, which
    parsing would change (``0.79999999999999999`` read as 0.8): refused, as a number
    read as 0 is, since the change could make a failing metric pass."""


class ZeroedNumber(ValueError):
    """A decimal number, not zero, so close to zero that a 64-bit float reads it as 0
    (``1e-400``). A value silently changed by parsing could make a failing metric pass
    or a breach disappear, so it is refused. (One beyond the float range reads as
    infinity, which every numeric field of a record refuses as not finite.)"""


def core_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar per the YAML 1.2 core schema.

    Raises LongNumber for an integer longer than MAX_NUMBER_DIGITS: converting
    decimal digits takes time quadratic in their number (Python refuses more than
    4,300), and a longer integer could not even be printed in a message.
    """
    if not value:
        return None
    if value[0] not in _MAYBE_SPECIAL:
        return value
    if value in ("~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if INT_RE.fullmatch(value):
        if len(value) > MAX_NUMBER_DIGITS and _digits(value) > MAX_NUMBER_DIGITS:
            raise LongNumber(value)
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if FLOAT_RE.fullmatch(value):
        folded = value.lower()
        if folded.lstrip("+-") in (".inf", ".nan"):
            return float(folded.replace(".", ""))
        number = float(value)
        if read_as_zero(value, number):
            raise ZeroedNumber(value)
        if rounded_on_reading(value, number) is not None:
            raise RoundedNumber(value)
        if abs(number) > EXACT_WHOLE and "e" not in folded:
            raise RoundedNumber(value)  # a whole number written with a point, as an int is
        return number
    return value


def _digits(integer: str) -> int:
    """The digits of an integer as the core schema writes it: no sign, no 0x or 0o."""
    return len(integer.lstrip("+-").removeprefix("0x").removeprefix("0o"))


def explicit_scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == STR_TAG:
        return value
    if tag == NULL_TAG and core_scalar(value) is None:
        return None
    if tag == BOOL_TAG and isinstance(core_scalar(value), bool):
        return core_scalar(value)
    if tag == INT_TAG and INT_RE.fullmatch(value):
        return core_scalar(value)
    if tag == FLOAT_TAG and INT_RE.fullmatch(value):
        number: int = core_scalar(value)
        try:
            return float(number)
        except OverflowError:  # beyond the largest float, which YAML reads as infinity
            return float("inf") if number > 0 else float("-inf")
    if tag == FLOAT_TAG and FLOAT_RE.fullmatch(value):
        return float(core_scalar(value))
    line, col = node_position(node)
    if tag in (NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG):
        raise YamlProblem(
            codes.YAML_TAG,
            f"value {value!r} does not fit its tag {_short_tag(tag)}; remove the tag and "
            "write the plain value",
            line,
            col,
        )
    raise YamlProblem(
        codes.YAML_TAG,
        f"tag {_short_tag(tag)} is not allowed: governance records use plain YAML values "
        "only; remove the tag",
        line,
        col,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def tag_refused(tag: str) -> str:
    return (
        f"tag {_short_tag(tag)} is not allowed: governance records use plain YAML values "
        "only; remove the tag"
    )


def number_as_written(text: str) -> str:
    """A number's text as written in a file, for a message: at most 40 characters."""
    return text if len(text) <= 40 else f"{text[: cluster_boundary(text, 40)]}..."
