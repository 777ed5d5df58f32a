"""`aimsctl validate`: schema, cross-record and governance checks, for people and CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt, use_color, write_output
from aimsctl.errors import UsageError
from aimsctl.formats import VALIDATE, VALIDATE_CHOICES


def validate(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help=f"{VALIDATE_CHOICES.help}."),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
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
    from aimsctl.cli.common import parse_as_of, resolve_root

    VALIDATE_CHOICES.check(format)
    if format == "auto":
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    root = resolve_root(repo, repo_option)
    day = parse_as_of(as_of)
    if staged and changed_since is not None:
        raise UsageError("use --staged or --changed-since, not both")
    from aimsctl.outputs import progress

    # A bar on standard error while a person watches the text output (not in CI).
    people = format == "text" and (output is not None or sys.stdout.isatty())
    with progress.shown(people):
        if staged:
            from aimsctl.validation import check_staged

            result = check_staged(root, day, use_cache=not no_cache)
        elif changed_since is None:
            from aimsctl.validation import check

            result = check(root, day, use_cache=not no_cache)
        else:
            from aimsctl.changed import check_changes

            result = check_changes(root, changed_since, day)
    if format in ("sarif", "junit"):
        from aimsctl.validation import source_prefix

        result.source_prefix = source_prefix(root)
    text = VALIDATE.renderer(format)(result, use_color() and output is None)
    write_output(text, output)
    return result.exit_code(strict)
