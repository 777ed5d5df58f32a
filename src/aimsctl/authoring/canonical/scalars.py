"""Step 1, on the round-trip tree: each scalar without the quoting and number form a
person chose, so that the dumper writes it in the one canonical way."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from aimsctl import writing
from aimsctl.authoring.canonical.key_order import Shape


def _plain_scalar(
    value: Any, date_field: bool = False, known: bool = False, text_field: bool = False
) -> Any:
    """``value`` without the form a person wrote it in (None: it keeps it): text
    unquoted, the emitter quotes what needs it; numbers in decimal (`010`, `0o2`,
    `0x10`, `9.0e-01` read differently, or not at all, in a YAML 1.1 reader). A number
    in a field that holds text keeps its form: validate refuses it and advises quotes
    to keep it as written, and `version: 2.10` written `2.1` would lose what that was.

    Text that looks like a date is written plain in a field that holds a date, and
    in double quotes elsewhere: plain, a YAML 1.1 reader takes it for a date. Where
    the contract is not ``known`` (a document of no kind), quoted text stays quoted
    and plain text plain."""
    if _anchored(value):
        return None
    if isinstance(value, SingleQuotedScalarString | DoubleQuotedScalarString):
        if not (known and date_field) and writing.DATE_LIKE.match(value):
            return DoubleQuotedScalarString(value)
        return str(value)
    if type(value) is str and known and not date_field and writing.DATE_LIKE.match(value):
        return DoubleQuotedScalarString(value)
    if text_field and isinstance(value, ScalarInt | ScalarFloat):
        return None
    if isinstance(value, ScalarInt):
        return int(value)
    if isinstance(value, ScalarFloat):
        return float(value)
    return None


def unquote(
    node: Any,
    shape: Shape | None,
    date_field: bool = False,
    known: bool = False,
    text_field: bool = False,
) -> None:
    """Drop the quoting and number forms a person chose (see _plain_scalar).
    ``shape`` says which keys hold dates and which text; ``known``, whether the
    document's contract is (a record of a kind, aims.yaml): below a key it does not
    describe, no date."""
    known = known or shape is not None
    if isinstance(node, CommentedMap):
        for key in list(node):
            value = node[key]
            dated = shape is not None and isinstance(key, str) and key in shape.dates
            texted = shape is not None and isinstance(key, str) and key in shape.texts
            plain = _plain_scalar(value, dated, known, texted)
            if plain is not None:
                # CommentedMap's own __setitem__ would keep the quoting.
                ordereddict.__setitem__(node, key, plain)
            else:
                inner_shape = shape.under(key) if shape is not None else None
                unquote(value, inner_shape, dated, known, texted)
    elif isinstance(node, CommentedSeq):
        inner = shape.items if shape is not None else None
        for index, value in enumerate(node):
            plain = _plain_scalar(value, date_field, known, text_field)
            if plain is not None:
                list.__setitem__(node, index, plain)
            else:
                unquote(value, inner, known=known)


def _anchored(value: Any) -> bool:
    anchor = getattr(value, "anchor", None)
    return anchor is not None and getattr(anchor, "value", None) is not None
