"""The formats of `aimsctl log`: plain text and JSON.

Each function takes the :class:`~aimsctl.record_log.History` of one record and
returns the whole output as a string.
"""

from __future__ import annotations

import json

from aimsctl.fielddiff import pair_line, readable
from aimsctl.record_log import (
    ADDED,
    MOVED,
    REMOVED,
    REPAIRED,
    UNKNOWN,
    UNREADABLE,
    History,
    LogEntry,
)
from aimsctl.text import plural, printable
from aimsctl.validation_messages import field_label

VALUE_WIDTH = 60


def _what(entry: LogEntry) -> str:
    if entry.change in (UNREADABLE, REPAIRED):
        return f"{entry.change} in {entry.path}"
    if entry.change == ADDED:
        return f"added in {entry.path}"
    if entry.change == UNKNOWN:
        return f"cannot be told in {entry.path}"
    if entry.change == REMOVED:
        return f"removed from {entry.path}"
    if entry.previous_path is None:
        return f"changed in {entry.path}"
    verb = "moved" if entry.change == MOVED else "changed and moved"
    return f"{verb} from {entry.previous_path} to {entry.path}"


def render_text(history: History) -> str:
    """The history for people: one block per commit, newest first."""
    where = history.path or "removed from the working tree"
    kind = f"{history.kind} " if history.kind else ""
    count = plural(len(history.entries), "change")
    if history.capped:  # --max-count: "1 change" read as the record's whole history
        count = f"the latest {count} (--max-count); older ones are not shown"
    lines = [f"{kind}{history.id} ({where}): {count}"]
    for entry in history.entries:
        lines.append("")
        what = _what(entry)
        if entry.commit is None:
            lines.append(f"uncommitted  working tree  {what}")
        else:
            lines.append(
                f"{entry.commit[:12]}  {entry.date}  {entry.author} <{entry.email}>  {what}"
            )
            lines.append(f"    {entry.subject}")
        if entry.note:
            lines.append(f"    note: {entry.note}")
        lines.extend(f"    event: {event}" for event in entry.events)
        lines.extend(
            f"    {field_label(line.parts)}: {pair_line(line.before, line.after, VALUE_WIDTH)}"
            for change in entry.fields
            for line in readable(change)
        )
    if history.shallow:
        lines.append("")
        lines.append(
            "note: this is a shallow clone; older history was not fetched (git fetch --unshallow)"
        )
    if history.lfs_unfetched:
        lines.append("")
        lines.append(
            "note: record files are stored with Git LFS and the content of some past "
            "versions was not fetched, so changes in them are not shown (git lfs fetch --all)"
        )
    # Paths, commit subjects and author names are untrusted: shown, never obeyed.
    return "".join(printable(line) + "\n" for line in lines)


def render_json(history: History) -> str:
    """The JSON shape documented for `aimsctl log --format json` (docs/git.md)."""
    return json.dumps(history.as_json(), indent=2, ensure_ascii=False) + "\n"
