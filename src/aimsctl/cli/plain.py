"""Commands run without building the Typer app: a strict reader of their arguments.

Why: building the Typer app costs 45-50 ms a run (importing Typer, declaring the
app's 21 commands, and a pydantic TypeAdapter per option, as Typer 0.29 coerces
values), more than a cached `validate` of a small repository; the pre-commit hook
runs `validate` on every commit and CI runs `report` and `diff` on every pull
request. :func:`main <aimsctl.cli.main>` first offers the arguments to :func:`read`.

Each command run this way has a module of its own (:data:`COMMANDS`): a dataclass of
its options, as the Typer command declares them (each field's metadata lists the
option's names; none for a positional argument, which are read in the order of the
fields), a ``read(args)`` that hands the arguments to :func:`read_options`, and a
``run(options)`` holding the command's work, which the Typer command calls too:
one home for it. The forms people, hooks and CI type (positionals in order, each
option at most once, `--name value`, `--name=value` or a short alias, flags) become
the dataclass; anything else (`--help`, an option it does not know, a repeated one,
`--`, a value that starts with `-` or is empty, a positional too many or one
missing) is None, and Typer parses the arguments and words any error as always.
Tests keep each dataclass equal to its Typer command's parameters, and both ways
give the same output and exit code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import MISSING, Field, fields
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

from aimsctl import collector
from aimsctl.cli.common import FromVariable

T = TypeVar("T")

# Command -> the module holding its options, `read` and `run`.
COMMANDS = {
    "validate": "aimsctl.cli.validate_plain",
    "report": "aimsctl.cli.report_plain",
    "diff": "aimsctl.cli.diff_plain",
}


def read(args: list[str]) -> Callable[[], int] | None:
    """The run ``args`` ask for, when the command is one of :data:`COMMANDS` and its
    arguments are in a form read exactly as Typer would read it; None for anything
    else (Typer then parses them)."""
    name = COMMANDS.get(args[0]) if args else None
    if name is None:
        return None
    with collector.importing():  # see there: modules load faster with the collector off
        module = import_module(name)
    options = module.read(args)
    return None if options is None else partial(module.run, options)


def read_options(args: list[str], command: str, options: type[T]) -> T | None:
    """``args`` (the command's name first) as the dataclass ``options``, or None when
    they are not in a form this reader takes (see the module's docstring).

    A field typed ``bool`` is a flag; ``Path`` values become paths; a ``list``
    option takes one value (repeated, it is left to Typer, which joins the values);
    a field whose metadata names an ``envvar`` takes the variable's value when the
    option is not given and the variable is not empty, as Typer reads it. A
    positional field without a default is required."""
    if not args or args[0] != command:
        return None
    table = {name: option for option in fields(options) for name in option.metadata["names"]}  # type: ignore[arg-type]
    positionals = [option for option in fields(options) if not option.metadata["names"]]  # type: ignore[arg-type]
    given: dict[str, Any] = {}
    placed = 0
    rest = iter(args[1:])
    for token in rest:
        name, value = token, None
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
        if not name.startswith("-"):
            if placed == len(positionals) or not token:
                return None  # a positional too many (Typer's error), or an empty one
            option = positionals[placed]
            placed += 1
            given[option.name] = _value(option, token)
            continue
        if name not in table:
            return None  # --help, `--`, `-`, an unknown or combined short option
        option = table[name]
        if _kind(option) == "bool":
            if value is not None:
                return None  # `--strict=yes`: Typer's error
            given.setdefault(option.name, True)
            continue
        if value is None:
            value = next(rest, None)
        # `-` alone is a value (`--out -`: standard output), as Typer reads it.
        if option.name in given or not value or (value.startswith("-") and value != "-"):
            return None
        given[option.name] = _value(option, value)
    if any(option.default is MISSING for option in positionals[placed:]):
        return None  # a required positional is missing: Typer's error
    for option in fields(options):  # type: ignore[arg-type]
        variable = option.metadata.get("envvar")
        if variable and option.name not in given and os.environ.get(variable):
            given[option.name] = _value(option, FromVariable(os.environ[variable]))
    return options(**given)


def _kind(option: Field[Any]) -> str:
    """The field's annotation as written (``Path | None``), whether or not its module
    keeps annotations as strings."""
    if isinstance(option.type, str):
        return option.type
    return getattr(option.type, "__name__", str(option.type).replace("pathlib.", ""))


def _value(option: Field[Any], value: str) -> Any:
    """``value`` as the field's type holds it."""
    kind = _kind(option)
    if kind.startswith("Path"):
        return Path(value)
    if kind.startswith("list["):
        return [value]
    return value
