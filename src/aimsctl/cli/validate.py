"""`aimsctl validate`: schema, cross-record and governance checks, for people and CI."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt, use_color, write_output
from aimsctl.errors import UsageError

if TYPE_CHECKING:
    from aimsctl.diagnostics import ValidationResult

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
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Check everything but report only files changed since this git revision "
            "(plus aims.yaml); untracked and staged files count as changed.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Check everything again; do not read or write the cache."),
    ] = False,
) -> int:
    """Check every record against the contract and the governance rules.

    Exit 0 when clean, 1 with errors (or warnings under --strict), 2 when the
    repository or the --changed-since revision cannot be used.
    """
    from aimsctl.cli.common import parse_as_of, resolve_root
    from aimsctl.reporters import FORMATS, reporter

    if format not in FORMAT_NAMES:
        raise UsageError(f"--format {format!r} is not one of {', '.join(FORMAT_NAMES)}")
    if format == "auto":
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if format not in FORMATS:
        raise UsageError(f"--format {format} is not available in this version")
    root = resolve_root(repo, repo_option)
    result = check(root, parse_as_of(as_of), use_cache=not no_cache)
    if changed_since is not None:
        from aimsctl.gitio import changed_paths

        result = only_paths(result, changed_paths(root, changed_since))
    text = reporter(format)(result, use_color() and output is None)
    write_output(text, output)
    return result.exit_code(strict)


def check(root: Path, as_of: date, use_cache: bool) -> ValidationResult:
    """Validate the working tree at root, reusing the cached result when nothing changed."""
    from aimsctl.cache import ResultCache, fingerprint
    from aimsctl.engine import run
    from aimsctl.loader import WorkingTree
    from aimsctl.repository import load_repository

    source = WorkingTree(root)
    if not use_cache:
        return run(load_repository(root, as_of, source=source))
    cache = ResultCache(root)
    key = fingerprint(source, as_of)
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = run(load_repository(root, as_of, source=source))
    cache.put(key, result)
    return result


def only_paths(result: ValidationResult, changed: set[str]) -> ValidationResult:
    """The result restricted to ``changed`` files and the repository-wide aims.yaml.

    The whole repository was checked (references resolve against every record);
    only the reporting narrows, and the error and warning counts with it.
    """
    from aimsctl.loader import CONFIG_FILE, printable_path

    # Diagnostics name a file whose name is not UTF-8 by its printable form.
    keep = {printable_path(path) for path in changed} | {CONFIG_FILE}
    return replace(
        result,
        diagnostics=[d for d in result.diagnostics if d.path in keep],
        waived=[d for d in result.waived if d.path in keep],
        paths=[path for path in result.paths if path in keep],
    )
