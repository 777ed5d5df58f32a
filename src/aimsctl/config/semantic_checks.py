"""The checks that span fields: the scales, bands, matrix, appetite, governance and
rule settings agree."""

from __future__ import annotations

from collections.abc import Iterable

from aimsctl import codes, yamlsafe
from aimsctl.config.risk_scoring import MAX_LEVELS, RiskConfig
from aimsctl.config.settings import AimsConfig
from aimsctl.scoring import UNASSESSED
from aimsctl.text import composed
from aimsctl.validation_messages import did_you_mean
from aimsctl.yamlsafe.core_schema import core_scalar


def _not_text_unquoted(label: str) -> bool:
    """Whether a record writing ``label`` without quotes (`severity: +1`) reads other
    than the label without a word: a number such as `+1` or `1.0`, a boolean or null
    (a level number, or none), or other text (`Low #2` is `Low`, the rest a comment).
    One YAML cannot read unquoted, or reads as a list (`*Often*`, `[x]`), is refused
    where a record writes it so, loudly, and stays a label."""
    text = label.strip()
    try:
        if not isinstance(core_scalar(text), str):
            return True
    except ValueError:  # an integer too long to convert: a number all the same
        return True
    parsed = yamlsafe.parse(f"level: {text}\n")
    if parsed.problems or len(parsed.documents) != 1:
        return False
    data = parsed.documents[0].data
    value = data.get("level") if isinstance(data, dict) else None
    return isinstance(value, str) and value != text


def semantic_problems(config: AimsConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    """Checks that span fields: the scale, bands, matrix, appetite and governance agree."""
    risk = config.risk
    for axis in ("likelihood", "severity"):
        labels: list[str] = getattr(risk, axis)
        if not 2 <= len(labels) <= MAX_LEVELS:
            message = f"risk.{axis} must have 2 to {MAX_LEVELS} levels, not {len(labels)}"
            yield message, ("risk", axis)
        # As a record's level is looked up: letter case aside, and a label typed with a
        # combining accent the same as one typed composed (they look the same).
        folded = [composed(label).casefold() for label in labels]
        for index, label in enumerate(folded):
            if label in folded[:index]:
                yield f"risk.{axis} repeats the label {labels[index]!r}", ("risk", axis, index)
            # Digits alone, spaces between them or not ('1 2'), as the schema's pattern says.
            if all(char.isdigit() or char.isspace() for char in label):
                yield (
                    f"risk.{axis} label {labels[index]!r} is a number; labels must be words",
                    ("risk", axis, index),
                )
            elif _not_text_unquoted(labels[index]):
                yield (
                    f"risk.{axis} label {labels[index]!r} is read as something else where "
                    "a record writes it without quotes (`severity: +1` is level 1, `Low #2` "
                    "is Low); labels must be words",
                    ("risk", axis, index),
                )
    if not risk.bands:
        yield "risk.bands must list at least one band", ("risk", "bands")
        return
    names = risk.band_names
    # Told apart by their Unicode form alone, two bands look the same while their
    # governance differs. (Letter case tells bands apart: `--band` prefers the exact
    # name, and the record contract does not forbid it.)
    band_keys = [composed(name) for name in names]
    for index, band in enumerate(risk.bands):
        if band_keys[index] in band_keys[:index]:
            yield f"risk.bands repeats the band name {band.name!r}", ("risk", "bands", index)
        if band.name.casefold() == UNASSESSED:
            yield (
                f"risk.bands names a band {band.name!r}: that word is the tier of a system "
                "with no open risk; choose another name",
                ("risk", "bands", index, "name"),
            )
        if index and band.max <= risk.bands[index - 1].max:
            yield (
                f"risk.bands must be ascending: {band.name!r} (max {band.max}) does not exceed "
                f"{risk.bands[index - 1].name!r} (max {risk.bands[index - 1].max})",
                ("risk", "bands", index, "max"),
            )
    top = len(risk.likelihood) * len(risk.severity)
    if risk.bands[-1].max < top:
        yield (
            f"risk.bands must reach the highest score {top} "
            f"({len(risk.likelihood)} x {len(risk.severity)}); the last band ends at "
            f"{risk.bands[-1].max}",
            ("risk", "bands", len(risk.bands) - 1, "max"),
        )
    if risk.appetite not in names:
        yield (
            f"risk.appetite {risk.appetite!r} is not a band; choose one of {', '.join(names)}"
            f"{did_you_mean(risk.appetite, names)}",
            ("risk", "appetite"),
        )
    yield from _floor_problems(risk)
    if risk.method == "matrix":
        yield from _matrix_problems(risk)
    elif risk.matrix is not None:
        yield "risk.matrix is only used with method: matrix; remove it", ("risk", "matrix")
    defaulted = "governance" not in config.model_fields_set
    for name in config.governance:
        if name not in names and defaulted:
            # Not written: the default governance (low to critical) meets the bands written.
            yield (
                f"governance is not written, and the default one names {name!r}, which is "
                f"not a band ({', '.join(names)}); write governance: with a policy for each "
                "band",
                ("risk", "bands"),
            )
        elif name not in names:
            yield (
                f"governance names {name!r}, which is not a band ({', '.join(names)})"
                f"{did_you_mean(name, names)}",
                ("governance", name),
            )
    for code, setting in config.rules.items():
        if code not in codes.ALL:
            # A code in other letters or with O for 0 (aims204, AIMS2O4) or a rule's name
            # (placeholder): the code meant; no guess between codes a digit apart.
            named = {codes.name(known): known for known in codes.ALL}
            written = code.strip().upper()
            meant = written[:4] + written[4:].replace("O", "0")
            hint = (
                f"; did you mean {meant!r}?"
                if meant in codes.ALL
                else f"; {code!r} is the name of rule {named[code.strip().casefold()]}: write "
                "its code"
                if code.strip().casefold() in named
                else ""
            )
            yield (
                f"rules: unknown rule code {code!r}; `aimsctl rules` lists them{hint}",
                ("rules", code),
            )
        elif code in codes.UNSILENCEABLE and setting != "error":
            yield (
                f"rules: {code} cannot be {setting!r}: {codes.unsilenceable_why(code)}",
                ("rules", code),
            )


def _floor_problems(risk: RiskConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    folded = [label.casefold() for label in risk.severity]
    for index, floor in enumerate(risk.severity_floor):
        where: tuple[str | int, ...] = ("risk", "severity_floor", index)
        severity = floor.severity
        if isinstance(severity, bool) or (
            isinstance(severity, int) and not 1 <= severity <= len(folded)
        ):
            yield (
                f"risk.severity_floor severity {severity!r} is not a level from 1 to {len(folded)}",
                (*where, "severity"),
            )
        elif isinstance(severity, str) and severity.strip().casefold() not in folded:
            yield (
                f"risk.severity_floor severity {severity!r} is not a label of risk.severity "
                f"({', '.join(risk.severity)})",
                (*where, "severity"),
            )
        if floor.min_band not in risk.band_names:
            yield (
                f"risk.severity_floor min_band {floor.min_band!r} is not a band "
                f"({', '.join(risk.band_names)}){did_you_mean(floor.min_band, risk.band_names)}",
                (*where, "min_band"),
            )


def _matrix_problems(risk: RiskConfig) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    rows, cols = len(risk.likelihood), len(risk.severity)
    if risk.matrix is None:
        yield (
            "method: matrix needs risk.matrix (rows = likelihood, columns = severity)",
            (
                "risk",
                "method",
            ),
        )
        return
    if len(risk.matrix) != rows:
        yield (
            f"risk.matrix must have {rows} rows (one per likelihood level), not {len(risk.matrix)}",
            ("risk", "matrix"),
        )
    names = risk.band_names
    for r, row in enumerate(risk.matrix):
        if len(row) != cols:
            yield (
                f"risk.matrix row {r + 1} must have {cols} cells (one per severity level), "
                f"not {len(row)}",
                ("risk", "matrix", r),
            )
        for c, cell in enumerate(row):
            if cell not in names:
                yield (
                    f"risk.matrix cell {cell!r} is not a band ({', '.join(names)})"
                    f"{did_you_mean(cell, names)}",
                    ("risk", "matrix", r, c),
                )
