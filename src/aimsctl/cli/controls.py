"""`aimsctl controls`: the Annex A catalogue with each control's state in the repository."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError


def controls(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    annex: Annotated[
        bool, typer.Option("--annex", help="Only the catalogue; do not read a repository.")
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List the 38 ISO/IEC 42001 Annex A controls by area, with their SoA state."""
    import json

    from aimsctl.catalog import annex_a_areas
    from aimsctl.cli.common import open_repository
    from aimsctl.records import Control

    if format not in ("text", "json"):
        raise UsageError(f"--format {format!r} is not one of text, json")
    states: dict[str, str] = {}
    if not annex:
        repository = open_repository(repo, repo_option, as_of)
        for control in repository.of_kind(Control):
            if not control.applicable:
                states[control.id] = "excluded"
            else:
                states[control.id] = control.status or "applicable, no status"
    if format == "json":
        rows = [
            {"id": c.id, "title": c.title, "area": area.id, "area_title": area.title}
            | ({} if annex else {"state": states.get(c.id, "missing")})
            for area in annex_a_areas()
            for c in area.controls
        ]
        print(json.dumps({"version": 1, "controls": rows}, indent=2))
        return
    width = max(len(c.id) for area in annex_a_areas() for c in area.controls)
    for area in annex_a_areas():
        print(f"{area.id} {area.title}")
        for c in area.controls:
            state = "" if annex else f"  [{states.get(c.id, 'missing')}]"
            print(f"  {c.id.ljust(width)}  {c.title}{state}")
    if not annex:
        total = sum(len(a.controls) for a in annex_a_areas())
        missing = sum(1 for a in annex_a_areas() for c in a.controls if c.id not in states)
        print(f"\n{total - missing} of {total} Annex A controls decided, {missing} missing")
