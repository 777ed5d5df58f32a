"""`aimsctl rules` and `aimsctl rules explain CODE`: what every diagnostic code means."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimsctl import codes
from aimsctl.formats import RULE_EXPLAIN, RULES

app = typer.Typer(
    help="List the rules of `aimsctl validate`, or explain one.\n\n"
    "\b\nExample:\n  aimsctl rules --format json",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def rules(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{RULES.help}.")] = "text",
) -> None:
    """List every rule: code, name, default severity and summary.

    \b
    Example:
      aimsctl rules --format json
    """
    RULES.check(format)
    if ctx.invoked_subcommand is not None:
        # `aimsctl rules --format json explain CODE`: the format given before the
        # subcommand is the subcommand's, unless it names its own.
        ctx.obj = format
        return
    from aimsctl.rules import all_rules

    sys.stdout.write(RULES.renderer(format)(all_rules()))


@app.command("explain")
def explain(
    ctx: typer.Context,
    code: Annotated[
        str, typer.Argument(help=f"Rule code (e.g. {codes.BROKEN_REFERENCE}) or name.")
    ],
    format: Annotated[str, typer.Option("--format", "-f", help=f"{RULE_EXPLAIN.help}.")] = "text",
) -> None:
    """Explain one rule: what it checks, why it matters, how to fix it, an example.

    \b
    Example:
      aimsctl rules explain AIMS303
    """
    from aimsctl.rules import find_rule

    source = ctx.get_parameter_source("format")
    if ctx.obj is not None and source is not None and source.name == "DEFAULT":
        format = str(ctx.obj)  # not given here: the one given to `aimsctl rules`
    RULE_EXPLAIN.check(format)
    sys.stdout.write(RULE_EXPLAIN.renderer(format)(find_rule(code)))
