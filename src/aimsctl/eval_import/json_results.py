"""A results file in JSON. The decoder's hooks refuse what JSON allows but a record
cannot hold (a key twice, NaN, a number read as 0); each problem is placed at the
line its value starts on."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from aimsctl import codes, yamlsafe
from aimsctl.eval_import import json_lines
from aimsctl.eval_import.results import (
    MAX_METRICS,
    Given,
    Problems,
    Results,
    check_duplicates,
    dimension_problem,
    threshold_of,
    tracked_ids,
)
from aimsctl.records.base import EXACT_WHOLE
from aimsctl.records.evaluation import Threshold
from aimsctl.rules.measurements import inexact_whole, written_whole
from aimsctl.text import is_text, read_as_zero, rounded_on_reading, rounding_refused
from aimsctl.validation_messages import did_you_mean

TOP_KEYS = ("model_version", "data", "metrics")
METRIC_KEYS = ("name", "value", "dimension", "group", "threshold", "note", "tracked_by")


def _key_twice(key: str) -> str:
    return f"the key {key!r} appears twice in one object"


def _half_pair(key: str | None, text: str) -> str | None:
    """Why a key or text cannot be held: an escape such as \\ud800 gives half a pair."""
    if is_text(text):
        return None
    where = "a key" if key is None else repr(key)
    return (
        f"{where} holds half of a UTF-16 surrogate pair (an escape such as "
        "\\ud800 without its partner), which is no character"
    )


def _not_a_number(name: str) -> str:
    return f"{name} is not a number JSON allows"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(_key_twice(key))
        if (why := _half_pair(None, key)) is not None:
            raise ValueError(why)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and (why := _half_pair(key, text)) is not None:
                raise ValueError(why)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(_not_a_number(name))


def _zeroed(text: str) -> str | None:
    """Why a decimal number cannot be held: a float reads it as 0, or as a neighbouring
    number (more significant digits than it holds)."""
    if written_whole(text) is not None:
        return None
    number = float(text)
    if read_as_zero(text, number):
        return f"the number {text[:40]} is too close to zero to be held: it would be read as 0"
    held = rounded_on_reading(text, number)
    return None if held is None else rounding_refused(f"the number {text[:40]}", held)


def _json_float(text: str) -> int | float:
    """A JSON decimal number; one so close to zero that a float reads it as 0 is
    refused (in our words, as a hook's ValueError), never silently taken as 0. A whole
    number written with a point (``9007199254740993.0``) is that whole number, judged
    as one written in digits is (beyond ±2**53 it is refused, not rounded)."""
    whole = written_whole(text)
    if whole is not None and abs(whole) > EXACT_WHOLE:
        return whole
    if (why := _zeroed(text)) is not None:
        raise ValueError(why)
    return float(text)


_REFUSED = json_lines.Checks(
    key_twice=_key_twice, text=_half_pair, number=_zeroed, constant=_not_a_number
)


def _json_int(text: str) -> int | float:
    """A JSON whole number, kept exact; one longer than 400 characters is past 1e308
    and so taken as an infinite float ("too large"), where int() would refuse more
    than 4,300 digits in Python's words."""
    return int(text) if len(text) <= 400 else float(text)


_NUMBER_PROBLEMS = ("the number ", "a number with more than ")


def _locator(text: str) -> Callable[[tuple[str | int, ...]], int | None]:
    """The line a JSON value starts on, read through yamlsafe (JSON is YAML)."""
    parsed = yamlsafe.parse(text)
    # A number a record could not hold (AIMS006: 9007199254740993.00, 1e-400) is this
    # reader's to refuse in its own words, and its place is still to be found.
    numbers = all(
        p.code == codes.YAML_LIMITS and p.message.startswith(_NUMBER_PROBLEMS)
        for p in parsed.problems
    )
    if not numbers or len(parsed.documents) > 1 or not (nodes := yamlsafe.document_nodes(text, 1)):
        return lambda parts: None
    node = nodes[0]

    def line_of(parts: tuple[str | int, ...]) -> int | None:
        return yamlsafe.locate(node, parts, at_key=False)[0]

    return line_of


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def parse_json(text: str, shown: str) -> Results:
    """A JSON results file: ``{"metrics": [{"name", "value", ...}], ...}``."""
    problems = Problems(shown)
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
    except json.JSONDecodeError as error:
        problems.add(error.lineno, f"is not JSON: {error.msg}")
        problems.fail()
    except RecursionError:
        problems.add(None, "cannot be used as JSON: its lists and objects nest too deeply")
        problems.fail()
    except ValueError as error:  # a duplicate key or NaN, raised by the hooks in our words
        for line, why in json_lines.refused_lines(text, _REFUSED) or [(0, str(error))]:
            problems.add(line, f"cannot be used as JSON: {why}")
        problems.fail()
    line_of = _locator(text)
    shape = '{"metrics": [{"name": ..., "value": ...}, ...]}'
    if not isinstance(data, dict):
        problems.add(1, f"must be a JSON object {shape}, not {_kind_of(data)}")
        problems.fail()
    _unknown(data, TOP_KEYS, (), line_of, problems)
    texts: dict[str, str | None] = {}
    for key in ("model_version", "data"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.add(line_of((key,)), f"{key} must be text, not {_kind_of(value)}")
        texts[key] = value.strip() if isinstance(value, str) and value.strip() else None
    raw = data.get("metrics")
    metrics: list[Given] = []
    if not isinstance(raw, list) or not raw:
        what = (
            "missing" if "metrics" not in data else "an empty list" if raw == [] else _kind_of(raw)
        )
        problems.add(line_of(("metrics",)), f"metrics must be a non-empty list {shape}: {what}")
    elif len(raw) > MAX_METRICS:
        problems.add(line_of(("metrics",)), f"more than {MAX_METRICS:,} metrics; split the file")
    else:
        for index, item in enumerate(raw):
            given = _json_metric(item, index, line_of, problems)
            if given is not None:
                metrics.append(given)
    check_duplicates(metrics, problems)
    problems.raise_any()
    return Results(tuple(metrics), texts["model_version"], texts["data"])


def _unknown(
    data: dict[str, Any],
    known: tuple[str, ...],
    parts: tuple[str | int, ...],
    line_of: Callable[[tuple[str | int, ...]], int | None],
    problems: Problems,
) -> None:
    where = _path(parts)
    for key in data:
        if key not in known:
            hint = did_you_mean(key, list(known)) or f"; known: {', '.join(known)}"
            problems.add(line_of((*parts, key)), f"{where}{key[:40]!r} is not a known key{hint}")


def _path(parts: tuple[str | int, ...]) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    return f"{text}: " if text else ""


def _json_number(value: Any) -> float | str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, not {_kind_of(value)}"
    try:
        number = float(value)
    except OverflowError:
        return "is too large"
    if not math.isfinite(number):
        return "is too large"
    return (inexact_whole(value) if isinstance(value, int) else None) or number


def _json_metric(
    item: Any,
    index: int,
    line_of: Callable[[tuple[str | int, ...]], int | None],
    problems: Problems,
) -> Given | None:
    at: tuple[str | int, ...] = ("metrics", index)
    line = line_of(at)
    if not isinstance(item, dict):
        problems.add(line, f"metrics[{index}] must be an object, not {_kind_of(item)}")
        return None
    bad = len(problems.found)
    _unknown(item, METRIC_KEYS, at, line_of, problems)
    prefix = f"metrics[{index}]"
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(line, f"{prefix}.name must be the name of what was measured")
    value = _json_number(item.get("value"))
    if isinstance(value, str):
        problems.add(line_of((*at, "value")), f"{prefix}.value {value}")
    texts: dict[str, str | None] = {}
    for key in ("dimension", "group", "note"):
        text = item.get(key)
        if text is not None and not isinstance(text, str):
            problems.add(line_of((*at, key)), f"{prefix}.{key} must be text, not {_kind_of(text)}")
        texts[key] = text.strip() if isinstance(text, str) and text.strip() else None
    dimension = texts["dimension"]
    if dimension is not None and (why := dimension_problem(dimension)) is not None:
        problems.add(line_of((*at, "dimension")), f"{prefix}.{why}")
    threshold = _json_threshold(item.get("threshold"), (*at, "threshold"), line_of, problems)
    tracked: tuple[str, ...] = ()
    raw_ids = item.get("tracked_by")
    if raw_ids is not None:
        if not isinstance(raw_ids, list) or not all(isinstance(i, str) for i in raw_ids):
            problems.add(line_of((*at, "tracked_by")), f"{prefix}.tracked_by must be a list of ids")
        else:
            tracked, why_not = tracked_ids(" ".join(raw_ids))
            if why_not is not None:
                problems.add(line_of((*at, "tracked_by")), f"{prefix}.{why_not}")
    if len(problems.found) > bad or not isinstance(name, str) or isinstance(value, str):
        return None
    return Given(
        name=name.strip(),
        value=value,
        line=line,
        group=texts["group"],
        dimension=dimension,
        threshold=threshold,
        note=texts["note"],
        tracked_by=tracked,
    )


def _json_threshold(
    raw: Any,
    at: tuple[str | int, ...],
    line_of: Callable[[tuple[str | int, ...]], int | None],
    problems: Problems,
) -> Threshold | None:
    where = _path(at).rstrip(": ")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add(line_of(at), f'{where} must be an object {{"min": ..., "max": ...}}')
        return None
    bad = len(problems.found)
    _unknown(raw, ("min", "max"), at, line_of, problems)
    bounds: dict[str, float | None] = {}
    for key in ("min", "max"):
        bound = None if raw.get(key) is None else _json_number(raw[key])
        if isinstance(bound, str):
            problems.add(line_of((*at, key)), f"{where}.{key} {bound}")
            bound = None
        bounds[key] = bound
    threshold = threshold_of(bounds["min"], bounds["max"])
    if isinstance(threshold, str):
        problems.add(line_of(at), f"{where}: {threshold}")
        return None
    if threshold is None and len(problems.found) == bad:
        problems.add(line_of(at), f"{where} must give min, max or both")
    return threshold
