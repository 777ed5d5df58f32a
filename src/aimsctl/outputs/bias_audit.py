"""What `aimsctl bias-audit` prints: a plain table, JSON, a publishable Markdown summary,
and the YAML of the Evaluation record it can make.

Each renderer takes the :class:`~aimsctl.bias_audit.Audit` (and the record, which
only JSON carries) and returns the whole output. JSON keeps every number as
computed; the table and Markdown show rates rounded to four decimals, and impact
ratios and shares cut (not rounded) to four and two, so a ratio under the threshold
or a share under --min-share never shows as the limit itself.
Column names, category values and the file name are untrusted text: printable in
the table, escaped in Markdown, quoted where needed in YAML.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from aimsctl.bias_audit.result import is_four_fifths, uncompared
from aimsctl.text import (
    BIDI_CONTROLS,
    Markdown,
    decimals_of,
    md_code,
    md_table,
    md_text,
    number_text,
    percent_text,
    plain_table,
    printable,
    wrap_words,
)

if TYPE_CHECKING:
    from aimsctl.bias_audit import Audit, Dimension, Group

NONE = "-"
PLACES = 4


def _cut(value: float, places: int = PLACES, scale: int = 1) -> str:
    """``value`` times ``scale`` to ``places`` decimals, cut toward minus infinity (never
    rounded up). The float is read as its shortest decimal (0.3, not 0.29999...)."""
    exact = Decimal(repr(value)) * scale
    return format(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR), "f")


def _rate(value: float) -> str:
    return f"{value:.{PLACES}f}"


def _number(value: float | None) -> str:
    """The median as held, never rounded: a score equal to the median as shown is not
    above it (0.12345678906 shown as 0.1234567891 would put that score above)."""
    return number_text(value) if value is not None else NONE


def _percent(value: float, audit: Audit) -> str:
    """A share in percent, cut to two decimals, or to as many as --min-share has as a
    percentage (0.0225: 2.25%), so a share under it never shows as that limit."""
    return f"{_cut(value, max(2, decimals_of(audit.min_share) - 2), 100)}%"


def _share_limit(audit: Audit) -> str:
    return percent_text(audit.min_share)


def _threshold(audit: Audit) -> str:
    """--threshold as given, never rounded (0.8000001 is not 0.8)."""
    return number_text(audit.threshold)


def _flag_basis(audit: Audit) -> str:
    if is_four_fifths(audit.threshold):
        return "the four-fifths rule of thumb"
    return "--threshold; the four-fifths rule of thumb is 0.8"


def _words(audit: Audit) -> dict[str, str]:
    """The words that differ between selection and scoring."""
    if audit.mode == "selection":
        return {"selected": "selected", "rate": "selection rate", "Rate": "Selection rate"}
    return {"selected": "above median", "rate": "scoring rate", "Rate": "Scoring rate"}


def _measured(audit: Audit) -> str:
    if audit.mode == "selection":
        return (
            f"selection rate: the share of a category selected (column {audit.column!r}: "
            "1 or true is selected, 0 or false is not)"
        )
    return (
        f"scoring rate: the share of a category scoring above {_number(audit.median)}, the "
        f"median of column {audit.column!r} over all {audit.rows:,} rows (a score equal to "
        "the median is not above it)"
    )


def _ratio(group: Group, audit: Audit) -> str:
    """An impact ratio cut to four decimals, or to as many as --threshold has, so a ratio
    under it never shows as the threshold, nor one at or above it as under it."""
    places = max(PLACES, decimals_of(audit.threshold))
    return NONE if group.impact_ratio is None else _cut(group.impact_ratio, places)


def _note(group: Group, audit: Audit, dimension: Dimension, short: bool = False) -> str:
    if group.excluded:
        where = "" if short else " of the classified rows"
        return f"excluded: under {_share_limit(audit)}{where}"
    if group.impact_ratio is None:
        if any(g.selected for g in dimension.excluded):  # the reference is never one of them
            return f"none {_words(audit)['selected']} outside the excluded: no ratio"
        return f"no category {_words(audit)['selected']}: no ratio"
    if group.below_threshold:
        return f"under {_threshold(audit)}"
    if group.rate == dimension.highest_rate:
        return f"highest {_words(audit)['rate']}"
    return ""


def _none_flagged(audit: Audit) -> str:
    """The line for no ratio under the threshold, which is not a pass when there is no
    ratio at all, nor in a dimension where fewer than two categories have one."""
    if all(group.impact_ratio is None for group in audit.groups):
        return (
            f"No category has an impact ratio (none {_words(audit)['selected']}, or every "
            "one excluded): nothing was compared."
        )
    nothing = _uncompared_text(audit)
    if not nothing:
        return f"No impact ratio is under {_threshold(audit)}."
    compared = [d.name for d in audit.dimensions if d not in uncompared(audit.dimensions)]
    if not compared:
        return nothing
    return f"{nothing} No impact ratio is under {_threshold(audit)} in {', '.join(compared)}."


def _uncompared_text(audit: Audit) -> str:
    """The sentence naming the dimensions where nothing was compared (fewer than two
    categories with an impact ratio), or "" when every dimension compared some."""
    names = [d.name for d in uncompared(audit.dimensions)]
    if not names:
        return ""
    return (
        f"Nothing was compared in {', '.join(names)}: fewer than two categories have an "
        "impact ratio there (one category alone, the others excluded or unknown), and the "
        "ratio of the only category is 1 by definition, not a measurement."
    )


def _dimension_note(dimension: Dimension) -> list[str]:
    """Under a dimension's table: that nothing was compared in it, when so."""
    if dimension.compared >= 2:
        return []
    have = "no category has" if not dimension.compared else "only one category has"
    return [f"Nothing compared in {dimension.name}: {have} an impact ratio."]


def _flagged_text(audit: Audit) -> str:
    flagged = audit.flagged
    if not flagged:
        return _none_flagged(audit)
    listed = "; ".join(f"{g.dimension}: {g.category} ({_ratio(g, audit)})" for g in flagged)
    nothing = _uncompared_text(audit)
    return (
        f"{len(flagged)} {'category has' if len(flagged) == 1 else 'categories have'} an "
        f"impact ratio under {_threshold(audit)}: {listed}." + (f" {nothing}" if nothing else "")
    )


def _reading(audit: Audit) -> str:
    """How to read a flagged ratio: the four-fifths rule of thumb, or the audit's own
    limit beside it (a ratio under 0.5 is not what that rule flags)."""
    rule = "the four-fifths rule of thumb of the US EEOC's Uniform Guidelines (29 CFR 1607.4(D))"
    if is_four_fifths(audit.threshold):
        start = f"An impact ratio under {_threshold(audit)} suggests adverse impact under {rule}."
    else:
        start = (
            f"An impact ratio under {_threshold(audit)}, the limit this audit was given, is "
            f"flagged; {rule} flags one under 0.8."
        )
    return (
        f"{start} NYC Local Law 144 asks for these figures to be computed and published, but "
        "sets no ratio that passes or fails."
    )


# --- table ----------------------------------------------------------------------------


def render_table(audit: Audit, record: dict[str, Any] | None = None) -> str:
    """Plain columns for a terminal or a pipe; the record is not shown (see --record-out)."""
    words = _words(audit)
    if audit.mode == "selection":
        measured = f"selection rate = share of a category selected ({audit.column!r} is 1 or true)"
        overall = f"{audit.selected:,} selected, selection rate {_rate(audit.rate)}"
    else:
        measured = f"scoring rate = share of a category above the median of {audit.column!r}"
        overall = f"{audit.selected:,} above the median, scoring rate {_rate(audit.rate)}"
    fields = [
        ("Rows", f"{audit.rows:,}"),
        ("Measured", measured),
        *(
            [("Median", f"{_number(audit.median)} (a score equal to it is not above it)")]
            if audit.mode == "scoring"
            else []
        ),
        ("Overall", overall),
        (
            "Impact ratio",
            f"rate / highest rate in its dimension; categories under {_share_limit(audit)} "
            "of the dimension are excluded",
        ),
        ("Flagged", f"impact ratio under {_threshold(audit)} ({_flag_basis(audit)})"),
    ]
    lines = [f"Bias audit of {audit.data}", *(f"{f'{k}:':<14}{v}" for k, v in fields)]
    headers = (
        "CATEGORY",
        "COUNT",
        "SHARE",
        words["selected"].upper(),
        words["rate"].upper(),
        "IMPACT RATIO",
        "NOTE",
    )
    for dimension in audit.dimensions:
        lines += [
            "",
            f"{dimension.name}: {dimension.classified:,} classified, {dimension.unknown:,} unknown",
        ]
        if dimension.groups:
            lines += plain_table(
                headers,
                (
                    (
                        g.category,
                        f"{g.count:,}",
                        _percent(g.share, audit),
                        f"{g.selected:,}",
                        _rate(g.rate),
                        _ratio(g, audit),
                        _note(g, audit, dimension, short=True),
                    )
                    for g in dimension.groups
                ),
            )
        lines += _dimension_note(dimension)
    flagged = audit.flagged
    lines.append("")
    if flagged:
        lines.append(f"Under {_threshold(audit)} ({len(flagged)}):")
        lines += plain_table(
            ("", "DIMENSION", "CATEGORY", "IMPACT RATIO"),
            (("", g.dimension, g.category, _ratio(g, audit)) for g in flagged),
        )[1:]
        if nothing := _uncompared_text(audit):
            lines += ["", *wrap_words(nothing, 88)]
    else:
        lines += wrap_words(_none_flagged(audit), 88)
    lines += ["", *wrap_words(_reading(audit), 88)]
    return "".join(printable(line) + "\n" for line in lines)


# --- JSON -----------------------------------------------------------------------------


def render_json(audit: Audit, record: dict[str, Any] | None = None) -> str:
    """The binding shape of cli-v2.md and more keys; with ``--record``, the Evaluation
    record under ``record``."""
    data = audit.as_json()
    if record is not None:
        data["record"] = record
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


# --- Markdown -------------------------------------------------------------------------


def render_markdown(audit: Audit, record: dict[str, Any] | None = None) -> str:
    """A summary to publish: what was measured, every dimension's table, the excluded
    categories with their counts and the reason, the unknowns, how to read the ratios."""
    words = _words(audit)
    columns = [md_code(name) for name in audit.categories]
    intersections = len(audit.dimensions) - len(audit.categories)
    dimensions_text = ", ".join(columns) + (
        f", and their {'intersection' if intersections == 1 else 'intersections'}"
        if intersections
        else ""
    )
    lines = [
        f"# Bias audit: {words['rate']}s and impact ratios",
        "",
        *md_table(
            ("Item", "Value"),
            [
                ("Data", md_code(audit.data)),
                ("People assessed (rows)", f"{audit.rows:,}"),
                ("Measured", _measured(audit)),
                ("Categories", Markdown(dimensions_text)),
                (
                    "Impact ratio",
                    "a category's rate divided by the highest rate in its dimension, "
                    "among the categories not excluded",
                ),
                (
                    "Excluded from impact ratios",
                    f"categories under {_share_limit(audit)} of the rows classified in "
                    "their dimension",
                ),
                (
                    f"Overall {words['rate']}",
                    f"{_rate(audit.rate)} ({audit.selected:,} of {audit.rows:,})",
                ),
            ],
        ),
    ]
    for dimension in audit.dimensions:
        lines += [
            "",
            f"## {md_text(dimension.name)}",
            "",
            f"{dimension.classified:,} classified; {dimension.unknown:,} unknown (no value: "
            "left out of every rate and ratio of this dimension).",
        ]
        if dimension.groups:
            lines += [
                "",
                *md_table(
                    (
                        "Category",
                        "Count",
                        "Share",
                        words["selected"].capitalize(),
                        words["Rate"],
                        "Impact ratio",
                        "Note",
                    ),
                    [
                        (
                            g.category,
                            f"{g.count:,}",
                            _percent(g.share, audit),
                            f"{g.selected:,}",
                            _rate(g.rate),
                            _ratio(g, audit),
                            _note(g, audit, dimension),
                        )
                        for g in dimension.groups
                    ],
                ),
            ]
        if note := _dimension_note(dimension):
            lines += ["", *(md_text(line) for line in note)]
    excluded = [g for g in audit.groups if g.excluded]
    lines += ["", "## Excluded categories", ""]
    if excluded:
        lines += [
            f"These categories hold under {_share_limit(audit)} of the rows classified in "
            "their dimension: too few for a stable rate, so they get no impact ratio and are "
            "not the reference for others. Their counts are reported in full.",
            "",
            *md_table(
                (
                    "Dimension",
                    "Category",
                    "Count",
                    "Share",
                    words["selected"].capitalize(),
                    words["Rate"],
                ),
                [
                    (
                        g.dimension,
                        g.category,
                        f"{g.count:,}",
                        _percent(g.share, audit),
                        f"{g.selected:,}",
                        _rate(g.rate),
                    )
                    for g in excluded
                ],
            ),
        ]
    else:
        lines.append(f"None: every category holds at least {_share_limit(audit)} of its dimension.")
    lines += [
        "",
        "## Unknown categories",
        "",
        "Rows with no value in a category column are counted here and left out of that "
        "dimension's rates and ratios.",
        "",
        *md_table(
            ("Dimension", "Rows without a value"),
            [(d.name, f"{d.unknown:,}") for d in audit.dimensions],
        ),
        "",
        "## Reading the impact ratios",
        "",
        md_text(_flagged_text(audit)),
        "",
        md_text(_reading(audit)),
        "",
        f"Rates are rounded to {PLACES} decimals; impact ratios and shares are cut, not "
        "rounded, so none shows as its limit while under it.",
    ]
    return "\n".join(lines) + "\n"


# --- the Evaluation record as YAML ----------------------------------------------------

# A string written plain: starts with a letter, no character YAML gives a meaning to.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()@+-]*")
# Words some YAML readers take for booleans or null.
_RESERVED = frozenset(("true", "false", "null", "yes", "no", "on", "off", "y", "n"))
_WIDTH = 88
_ESCAPED = frozenset("\u2028\u2029\ufeff\u0085" + BIDI_CONTROLS)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: control, invisible and non-character code points
    escaped, printable text kept as it is."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F or (
            char not in _ESCAPED and (0xA0 <= code < 0xD800 or 0xE000 <= code < 0xFFFE)
        ):
            out.append(char)
        elif code >= 0x10000:
            out.append(f"\\U{code:08x}")
        else:
            out.append(f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    return _quoted(text)


def _folded(text: str, indent: str) -> list[str] | None:
    """A long one-line text as a folded block (``>-``) wrapped at spaces, when folding
    gives it back exactly: single spaces only, every character printable as it is."""
    if len(text) <= _WIDTH - len(indent) or text != " ".join(text.split()):
        return None
    if _quoted(text) != f'"{text}"' or text[0] in "#":
        return None
    width = _WIDTH - len(indent) - 2
    return [f"{indent}  {line}" for line in wrap_words(text, width)]


def _flow(value: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{key}: {_scalar(item)}" for key, item in value.items()) + "}"


def _yaml_lines(value: dict[str, Any], indent: str, in_list: bool = False) -> list[str]:
    lines = []
    for key, item in value.items():
        if item is None:
            continue
        if isinstance(item, dict):
            if in_list and not any(isinstance(v, dict | list) for v in item.values()):
                lines.append(f"{indent}{key}: {_flow(item)}")
            else:
                lines += [f"{indent}{key}:", *_yaml_lines(item, indent + "  ")]
        elif isinstance(item, list):
            lines.append(f"{indent}{key}:")
            for element in item:
                if not isinstance(element, dict):
                    lines.append(f"{indent}  - {_scalar(element)}")
                    continue
                inner = _yaml_lines(element, indent + "    ", in_list=True)
                lines += [f"{indent}  - {inner[0].lstrip()}", *inner[1:]]
        elif isinstance(item, str) and (folded := _folded(item, indent)) is not None:
            lines += [f"{indent}{key}: >-", *folded]
        else:
            lines.append(f"{indent}{key}: {_scalar(item)}")
    return lines


def record_yaml(record: dict[str, Any]) -> str:
    """The record as one YAML document, laid out like the records of the example."""
    return "\n".join(_yaml_lines(record, "")) + "\n"
