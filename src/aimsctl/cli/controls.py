"""`aimsctl controls`: the Annex A catalogue with each control's state in the repository."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import CONTROLS


def controls(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    annex: Annotated[
        bool, typer.Option("--annex", help="Only the catalogue; do not read a repository.")
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{CONTROLS.help}.")] = "text",
) -> None:
    """List the 38 ISO/IEC 42001 Annex A controls by area, with their SoA state."""
    CONTROLS.check(format)
    states = None
    if not annex:
        from aimsctl.cli.common import open_repository
        from aimsctl.soa import control_states

        states = control_states(open_repository(repo, repo_option, as_of))
    sys.stdout.write(CONTROLS.renderer(format)(states))
