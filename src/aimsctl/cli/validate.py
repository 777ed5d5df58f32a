"""`aimsctl validate`: schema, cross-record and governance checks, for people and CI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt, UsageError, use_color, write_output

FORMAT_NAMES = ("text", "json", "sarif", "junit", "github", "auto")


def validate(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="text, json, sarif, junit, github or auto."),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
) -> int:
    """Check every record against the contract and the governance rules.

    Exit 0 when clean, 1 with errors (or warnings under --strict), 2 when the
    repository cannot be used.
    """
    from aimsctl.cli.common import open_repository
    from aimsctl.engine import run
    from aimsctl.reporters import FORMATS, reporter

    if format not in FORMAT_NAMES:
        raise UsageError(f"--format {format!r} is not one of {', '.join(FORMAT_NAMES)}")
    if format == "auto":
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if format not in FORMATS:
        raise UsageError(f"--format {format} is not available in this version")
    repository = open_repository(repo, repo_option, as_of)
    result = run(repository)
    text = reporter(format)(result, use_color() and output is None)
    write_output(text, output)
    return result.exit_code(strict)
