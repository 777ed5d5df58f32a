"""The formats of `aimsctl eval import`: the comparison with the previous evaluation as
a plain table, or JSON (with the record)."""

from __future__ import annotations

import json
from typing import Any

from aimsctl.eval_import import Imported, Row
from aimsctl.text import number_text, plain_table, plural, printable

HEADERS = ("METRIC", "GROUP", "BEFORE", "NOW", "TREND", "THRESHOLD", "RESULT")


def _value(value: float | None) -> str:
    return "-" if value is None else number_text(value)


def result_word(row: Row) -> str:
    """``pass``, ``FAIL``, ``NEW FAIL`` (failing now, not before), ``info`` (no
    threshold) or ``dropped``."""
    if row.change == "dropped":
        return "dropped"
    if row.passed is None:
        return "info"
    if row.passed:
        return "pass"
    return "NEW FAIL" if row.newly_failing else "FAIL"


def _labels(rows: list[Row]) -> str:
    return "; ".join(printable(row.label) for row in rows)


def render_table(imported: Imported) -> str:
    """In a dry run the record's YAML first; then where the record went, each metric
    against the previous evaluation, and the metrics newly failing, added and dropped."""
    lines: list[str] = []
    if imported.recorded:
        lines.append(
            f"Recorded already: {imported.rel} ({imported.record_id}) holds these results of "
            f"{imported.system}, performed on {imported.on}; nothing was written."
        )
    elif imported.dry_run:
        verdict = "would be refused (see below)" if imported.refused else "was not written"
        lines += [imported.text.rstrip("\n"), "", f"Dry run: {imported.rel} {verdict}."]
    else:
        lines.append(f"Wrote {imported.rel} ({imported.record_id}).")
    previous = imported.previous
    if previous is None:
        lines.append(
            f"No earlier evaluation of {imported.system}: every metric is new, and each one "
            "needed its dimension in the file."
        )
    else:
        lines.append(
            f"Compared with {previous.id} ({previous.performed.on}, stage {previous.stage}):"
        )
    lines.append("")
    lines += plain_table(
        HEADERS,
        (
            (
                row.name,
                row.group or "",
                _value(row.before),
                _value(row.value),
                row.trend,
                (row.threshold or "-") + (f" (was {row.threshold_before})" if row.loosened else ""),
                result_word(row),
            )
            for row in imported.rows
        ),
    )
    failing = imported.newly_failing
    added = [row for row in imported.rows if row.change == "added"]
    dropped = [row for row in imported.rows if row.change == "dropped"]
    inherited = [row for row in imported.rows if row.inherited]
    lines.append("")
    if failing:
        lines.append(f"Newly failing ({len(failing)}): {_labels(failing)}")
    if previous is not None and added:
        lines.append(f"Added ({len(added)}): {_labels(added)}")
    if dropped:
        lines.append(f"Dropped ({len(dropped)}): {_labels(dropped)}")
    if imported.unsettled:
        # AIMS702 reads each metric's latest measurement: leaving one out settles nothing.
        unsettled = "; ".join(
            f"{label} (failing in {where})" for label, where in imported.unsettled
        )
        lines.append(
            f"Still failing ({len(imported.unsettled)}): {unsettled}; not measured against a "
            "threshold here, each stays failing until it is measured again and passes"
        )
    loosened = [row for row in imported.rows if row.loosened]
    if loosened:
        lines.append(
            f"Threshold looser than in {previous.id if previous else 'the previous evaluation'} "
            f"({len(loosened)}): {_labels(loosened)}; `aimsctl diff` reports a threshold "
            "looser than the latest at its BASE as relaxed (threshold-relaxed)"
        )
    if inherited:
        lines.append(
            f"Taken from earlier evaluations for {plural(len(inherited), 'metric')}: "
            "what the file left out (dimension, threshold, tracked_by)."
        )
    now = [row for row in imported.rows if row.change != "dropped"]
    failed = sum(1 for row in now if row.passed is False)
    checked = sum(1 for row in now if row.passed is not None)
    lines.append(
        f"{plural(len(now), 'metric')}: {checked - failed} pass, {failed} fail, "
        f"{len(now) - checked} informational; {len(failing)} newly failing."
    )
    return "\n".join(lines) + "\n"


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "name": row.name,
        "group": row.group,
        "dimension": row.dimension,
        "before": row.before,
        "value": row.value,
        "threshold": row.threshold or None,
        "trend": row.trend or None,
        "passed": row.passed,
        "passed_before": row.passed_before,
        # Set where the threshold is looser than the previous one: `diff` calls it relaxed.
        "threshold_before": row.threshold_before or None,
        "change": row.change,
        "newly_failing": row.newly_failing,
        "inherited": list(row.inherited),
    }


def as_json(imported: Imported) -> dict[str, Any]:
    previous = imported.previous
    return {
        "id": imported.record_id,
        "path": imported.rel,
        "written": not (imported.dry_run or imported.recorded or imported.refused),
        "recorded_already": imported.recorded,
        "refused": imported.refused,
        "system": imported.system,
        "results": imported.results,
        "previous": None
        if previous is None
        else {"id": previous.id, "on": previous.performed.on.isoformat(), "stage": previous.stage},
        "metrics": [_row_json(row) for row in imported.rows if row.change != "dropped"],
        "dropped": [_row_json(row) for row in imported.rows if row.change == "dropped"],
        "still_failing": [
            {"metric": label, "evaluation": where} for label, where in imported.unsettled
        ],
        "newly_failing": [row.label for row in imported.newly_failing],
        "record": imported.record,
    }


def render_json(imported: Imported) -> str:
    return json.dumps(as_json(imported), indent=2, ensure_ascii=False) + "\n"
