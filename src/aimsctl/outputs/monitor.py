"""The formats of `aimsctl monitor check`: a plain table with the breaches, or JSON."""

from __future__ import annotations

import json

from aimsctl.monitor_check import MonitorCheck, Observed
from aimsctl.text import left_out_note, number_text, plain_table, plural, printable


def _latest(latest: Observed | None) -> str:
    if latest is None:
        return "none"
    return f"{latest.on} {number_text(latest.value)}"


def render_text(check: MonitorCheck) -> str:
    """Every monitor in a table, then each breach with what answered it, then the
    observations that could not be read; a summary line, then whether records that
    failed validation left monitors unchecked."""
    lines: list[str] = []
    if not check.monitors:
        lines.append("No monitors to check.")
    else:
        lines += plain_table(
            ("MONITOR", "SYSTEM", "METRIC", "THRESHOLD", "EVERY", "LATEST", "NEXT DUE", "STATE"),
            (
                (
                    m.id,
                    m.system,
                    m.metric,
                    m.threshold,
                    f"{m.every_days}d",
                    _latest(m.latest),
                    str(m.next_due) if m.next_due else "-",
                    m.state,
                )
                for m in check.monitors
            ),
        )
    breaches = [(m, b) for m in check.monitors for b in m.breaches]
    if breaches:
        lines += ["", f"Breaches ({len(breaches)})"]
        for monitor, breach in breaches:
            run = (
                f", {breach.observations} observations to {breach.last.on}"
                if breach.observations > 1
                else ""
            )
            answer = (
                f"followed by {breach.follow_up}"
                if breach.follow_up is not None
                else f"NOT FOLLOWED UP (on_breach: {monitor.on_breach or 'not set'})"
            )
            if breach.unjudged:
                answer += f"; {breach.unjudged}"
            lines.append(
                f"  {monitor.id}  {breach.first.on} {number_text(breach.first.value)} "
                f"outside {monitor.threshold} at {breach.first.where}{run}: {answer}"
            )
    problems = [(m, p) for m in check.monitors for p in m.problems]
    if problems:
        unusable = sum(m.unusable_count for m in check.monitors)
        total = f"{unusable:,}"
        # Rows not read (past the limit, after a row that is no CSV) may be unusable too;
        # where every row read was usable, the heading says only that reading stopped.
        if any(m.rest_not_read for m in check.monitors):
            total = f"at least {total}" if unusable else "rows not read"
        lines += ["", f"Observations that cannot be used ({total})"]
        lines += [f"  {monitor.id}  {problem}" for monitor, problem in problems]
    lines += [
        "",
        f"{plural(len(check.monitors), 'monitor')} as of {check.as_of}: {check.stale} stale, "
        f"{check.late} late, "
        f"{plural(check.breaches, 'breach', 'breaches')} ({check.unanswered} not followed up), "
        f"{check.unreadable} with unreadable observations",
    ]
    if check.left_out:
        lines.append(left_out_note(check.left_out, "{its} monitors are not checked"))
    # Record text is untrusted: shown, never obeyed by the terminal.
    return "".join(printable(line) + "\n" for line in lines)


def render_json(check: MonitorCheck) -> str:
    return json.dumps(check.as_json(), indent=2, ensure_ascii=False) + "\n"
