"""`aimsctl diff --format json`: the binding JSON shape."""

from __future__ import annotations

import json

from aimsctl.changes import Changes


def render_json(changes: Changes, full_report: str | None = None) -> str:
    """The binding JSON shape, always complete (``full_report`` does not apply)."""
    return json.dumps(changes.as_json(), indent=2, ensure_ascii=False) + "\n"
