"""`--set FIELD=VALUE`: the value parsed as the field's type wants it and placed in
the draft (FIELD may be dotted, `inherent.likelihood`, or number a list's entry)."""

from __future__ import annotations

import typing
from datetime import date
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aimsctl import yamlsafe
from aimsctl.authoring.new.model_fields import field_info, unwrap_annotation
from aimsctl.authoring.new.skeleton import Draft
from aimsctl.errors import UsageError
from aimsctl.text import words
from aimsctl.validation_messages import closest, did_you_mean


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


def _field_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of ``model`` as --set names it, those of its mappings dotted
    (`inherent.likelihood`), in the model's order."""
    paths: list[str] = []
    for field_name, info in model.model_fields.items():
        path = prefix + (info.alias or field_name)
        paths.append(path)
        inner, _ = unwrap_annotation(info.annotation)
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
    try:
        value = coerce(info, raw, entry=parts[-1].isdigit())
    except UsageError as error:
        raise UsageError(f"--set {name}: {error}") from None
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
    field (`tags.1=b`) is a value of the list's items. A value that opens a list or a
    mapping (`[a, b` or `{a: 1}`) for a list is refused (UsageError): taken as one
    entry, a typo would be kept as text."""
    inner, _ = unwrap_annotation(info.annotation)
    value = parse_value(raw)
    if typing.get_origin(inner) is list:
        item, _ = unwrap_annotation(typing.get_args(inner)[0])
        if entry:
            return raw.strip() if item is str and not isinstance(value, str) else value
        if isinstance(value, list):
            return value
        if isinstance(value, dict) or raw.strip().startswith(("[", "{")):
            raise UsageError(
                f"{raw.strip()!r} is no list: close it (`[a, b]`), or quote it to mean the text"
            )
        if item is str and not isinstance(value, str):
            value = raw.strip()  # a number or `true` as the words typed
        return [value]
    if inner is str and not isinstance(value, str):
        return raw.strip()
    if inner is date and isinstance(value, str):
        return value.strip()
    return value
