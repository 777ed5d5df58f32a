"""`aimsctl validate`'s work, run by the Typer command and without Typer alike.

:func:`read` takes the everyday forms of the command's arguments as a
:class:`ValidateArgs` (see :mod:`aimsctl.cli.plain`, which says why and how); :func:`run`
does what the command does, whichever way its options were read.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from aimsctl import collector
from aimsctl.cli.common import (
    AS_OF_VARIABLE,
    parse_as_of,
    resolve_root,
    use_color,
    write_output,
)
from aimsctl.cli.plain import read_options
from aimsctl.errors import UsageError
from aimsctl.formats import VALIDATE, VALIDATE_CHOICES

COMMAND = "validate"


@dataclass
class ValidateArgs:
    """The options of `aimsctl validate`, as the Typer command declares them; each
    field's metadata lists the option's names (none: the REPO argument) and the
    environment variable it reads, if any."""

    repo: Path | None = field(default=None, metadata={"names": ()})
    repo_option: Path | None = field(default=None, metadata={"names": ("--repo",)})
    as_of: str | None = field(
        default=None, metadata={"names": ("--as-of",), "envvar": AS_OF_VARIABLE}
    )
    format: str = field(default="text", metadata={"names": ("--format", "-f")})
    output: Path | None = field(default=None, metadata={"names": ("--output", "-o")})
    strict: bool = field(default=False, metadata={"names": ("--strict",)})
    changed_since: str | None = field(default=None, metadata={"names": ("--changed-since",)})
    no_cache: bool = field(default=False, metadata={"names": ("--no-cache",)})
    staged: bool = field(default=False, metadata={"names": ("--staged",)})


def read(args: list[str]) -> ValidateArgs | None:
    """``args`` as a `validate` run, or None (Typer then parses them)."""
    return read_options(args, COMMAND, ValidateArgs)


def run(args: ValidateArgs) -> int:
    """Validate as the options say, print or write the report; the exit code."""
    fmt = VALIDATE_CHOICES.check(args.format)
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    root = resolve_root(args.repo, args.repo_option)
    day = parse_as_of(args.as_of)
    if args.staged and args.changed_since is not None:
        raise UsageError("use --staged or --changed-since, not both")
    with collector.importing():  # the run's modules, without collections that free nothing
        from aimsctl import validation
        from aimsctl.outputs import progress

    # A bar on standard error while a person watches the text output (not in CI).
    people = fmt == "text" and (args.output is not None or sys.stdout.isatty())
    with progress.shown(people):
        if args.staged:
            result = validation.check_staged(root, day, use_cache=not args.no_cache)
        elif args.changed_since is None:
            result = validation.check(root, day, use_cache=not args.no_cache)
        else:
            with collector.importing():
                from aimsctl.changed import check_changes

            result = check_changes(root, args.changed_since, day)
    if fmt in ("sarif", "junit", "github"):
        result.source_prefix = validation.source_prefix(root)
    text = VALIDATE.renderer(fmt)(result, use_color() and args.output is None)
    write_output(text, args.output, root)
    return result.exit_code(args.strict)
