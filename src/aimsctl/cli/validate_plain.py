"""`aimsctl validate` without Typer: the command's work, and a strict reader of its
arguments so that a run can skip building the Typer app.

Why: Typer coerces every option through a pydantic TypeAdapter, so building the app
for `validate` imports pydantic and builds an adapter per option, which costs more
than the whole of a cached run on a small repository; the pre-commit hook pays it
on every commit. :func:`main <aimsctl.cli.main>` first offers the arguments to
:func:`read`: the forms people and hooks type (a repository, each option at most
once, `--name value` or `--name=value`) become a :class:`ValidateArgs` run by
:func:`run`, the very code the Typer command runs. Anything else (`--help`, an
option it does not know, a repeated one, `--`, a value that starts with `-` or is
empty) is left to Typer, which parses it and words any error as always. A test
keeps the names here equal to the Typer command's, and both ways give the same
output and exit code.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

from aimsctl import collector
from aimsctl.cli.common import (
    AS_OF_VARIABLE,
    parse_as_of,
    resolve_root,
    use_color,
    write_output,
)
from aimsctl.errors import UsageError
from aimsctl.formats import VALIDATE, VALIDATE_CHOICES

COMMAND = "validate"
# --as-of's environment variable (AS_OF_VARIABLE, as AsOfOpt declares it) is used when
# the option is not given and the variable is not empty, as Typer does.


@dataclass
class ValidateArgs:
    """The options of `aimsctl validate`, as the Typer command declares them; each
    field's metadata lists the option's names (none: the REPO argument)."""

    repo: Path | None = field(default=None, metadata={"names": ()})
    repo_option: Path | None = field(default=None, metadata={"names": ("--repo",)})
    as_of: str | None = field(default=None, metadata={"names": ("--as-of",)})
    format: str = field(default="text", metadata={"names": ("--format", "-f")})
    output: Path | None = field(default=None, metadata={"names": ("--output", "-o")})
    strict: bool = field(default=False, metadata={"names": ("--strict",)})
    changed_since: str | None = field(default=None, metadata={"names": ("--changed-since",)})
    no_cache: bool = field(default=False, metadata={"names": ("--no-cache",)})
    staged: bool = field(default=False, metadata={"names": ("--staged",)})


# Option name -> (field, whether it is a flag).
_OPTIONS: dict[str, tuple[str, bool]] = {
    name: (option.name, option.type == "bool")
    for option in fields(ValidateArgs)
    for name in option.metadata["names"]
}
_PATHS = {"repo", "repo_option", "output"}


def read(args: list[str]) -> ValidateArgs | None:
    """``args`` as a `validate` run when they are in a form read exactly as Typer
    would read it; None for anything else (Typer then parses them)."""
    if not args or args[0] != COMMAND:
        return None
    given: dict[str, str | bool] = {}
    rest = iter(args[1:])
    for token in rest:
        name, value = token, None
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
        if not name.startswith("-"):
            value, name = name, "repo"
        elif name in _OPTIONS:
            name, flag = _OPTIONS[name]
            if flag:
                if value is not None:
                    return None  # `--strict=yes`: Typer's error
                given.setdefault(name, True)
                continue
            if value is None:
                value = next(rest, None)
        else:
            return None  # --help, `--`, an unknown or combined short option
        if name in given or not value or value.startswith("-"):
            return None
        given[name] = value
    if "as_of" not in given and os.environ.get(AS_OF_VARIABLE):
        given["as_of"] = os.environ[AS_OF_VARIABLE]
    values = {name: Path(str(v)) if name in _PATHS else v for name, v in given.items()}
    return ValidateArgs(**values)  # type: ignore[arg-type]


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
    if fmt in ("sarif", "junit"):
        result.source_prefix = validation.source_prefix(root)
    text = VALIDATE.renderer(fmt)(result, use_color() and args.output is None)
    write_output(text, args.output, root)
    return result.exit_code(args.strict)
