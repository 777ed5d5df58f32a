"""The Typer declarations of the options many commands share: the repository,
--as-of and --within (what to do with their values is in :mod:`aimsctl.cli.common`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.common import AS_OF_VARIABLE, WITHIN_MAX, FromVariable

RepoArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="REPO",
        help="Governance repository (default: the current folder or the nearest parent "
        "holding aims.yaml).",
        show_default=False,
    ),
]
RepoOpt = Annotated[
    Path | None,
    typer.Option("--repo", metavar="PATH", help="Governance repository (same as REPO)."),
]


def _marked_if_from_variable(context: typer.Context, value: str | None) -> str | None:
    """--as-of's value, marked when the parser took it from AIMSCTL_AS_OF rather than
    the command line, so that an error names where it came from."""
    source = context.get_parameter_source("as_of")
    from_variable = value is not None and getattr(source, "name", None) == "ENVIRONMENT"
    return FromVariable(value) if from_variable and value is not None else value


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        envvar=AS_OF_VARIABLE,
        callback=_marked_if_from_variable,
        help="Treat this date (YYYY-MM-DD) as today for every date rule.",
        show_default=False,
    ),
]
# Read as text and parsed by common.parse_within: its own words for a value that is
# no whole number of days or out of range, not the parser's.
WithinOpt = Annotated[
    str,
    typer.Option(
        "--within",
        metavar="DAYS",
        help=f"Also list what falls due this many days after the as-of date (0 to {WITHIN_MAX}).",
    ),
]
