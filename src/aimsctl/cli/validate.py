"""`aimsctl validate`: schema, cross-record and governance checks, for people and CI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import VALIDATE_CHOICES


def validate(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help=f"{VALIDATE_CHOICES.help}."),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Check the working tree and this git revision, and report what the "
            "change brings: findings in files changed since REV (untracked and staged "
            "files count), new findings in any file, and findings on aims.yaml.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Check everything again; do not read or write the cache."),
    ] = False,
    staged: Annotated[
        bool,
        typer.Option(
            "--staged",
            help="Check what the next commit will hold (git's index), not the working "
            "tree: what the pre-commit hook runs.",
        ),
    ] = False,
) -> int:
    """Check every record against the contract and the governance rules.

    Exit 0 when clean, 1 with errors (or warnings under --strict), 2 when the
    repository or the --changed-since revision cannot be used.

    \b
    Example:
      aimsctl validate examples/northwind --as-of 2026-11-26
    """
    from aimsctl.cli.validate_plain import ValidateArgs, run

    return run(
        ValidateArgs(
            repo=repo,
            repo_option=repo_option,
            as_of=as_of,
            format=format,
            output=output,
            strict=strict,
            changed_since=changed_since,
            no_cache=no_cache,
            staged=staged,
        )
    )
