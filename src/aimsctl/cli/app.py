"""The Typer application: one sub-module per command, imported lazily where heavy."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from aimsctl import __version__
from aimsctl.cli import (
    assessment,
    bias_audit,
    controls,
    crosswalk,
    diff,
    due,
    eval,
    export,
    fmt,
    init,
    log,
    monitor,
    new,
    obligations,
    report,
    risk,
    rules,
    schema,
    soa,
    status,
    validate,
)

app = typer.Typer(
    name="aimsctl",
    help="ISO/IEC 42001 AI management system as code: validate, score, report and diff "
    "governance records kept in git.",
    epilog="Every command also takes --debug (or AIMSCTL_DEBUG=1): an internal error "
    "(exit 3) then shows its traceback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"aimsctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """aimsctl: the AI management system as code."""


app.command("validate")(validate.validate)
app.command("controls")(controls.controls)
app.command("schema")(schema.schema)
app.add_typer(rules.app, name="rules")
app.add_typer(risk.app, name="risk")
app.command("report")(report.report)
app.command("diff")(diff.diff)
app.command("log")(log.log)
app.command("init")(init.init)
app.command("new")(new.new)
app.command("fmt")(fmt.fmt)
app.add_typer(assessment.app, name="assessment")
app.add_typer(soa.app, name="soa")
app.add_typer(monitor.app, name="monitor")
app.add_typer(eval.app, name="eval")
app.command("bias-audit")(bias_audit.bias_audit)
app.command("crosswalk")(crosswalk.crosswalk)
app.add_typer(export.app, name="export")
app.command("obligations")(obligations.obligations)
app.command("due")(due.due)
app.command("status")(status.status)


def command() -> Any:
    """The app as the command it runs: every value an option takes shown as a word
    (``--band BAND``, ``--as-of DATE``), not as its Python type (``<list[str]>``),
    and every positional argument in upper case (``REPO``), with no type after it,
    written in the usage line as the command-line contract writes it: ``KIND [ID]
    [REPO]``, ``[PATH]...``.

    A parameter that names its own ``metavar`` keeps it; the rest take their name.

    Piped or redirected, the help is laid out at a fixed width, as a terminal's would
    be at 80 columns: COLUMNS (20 gave 50-column lines, 300 gave 78) no longer
    changes the bytes. Subcommands take the width from the root.
    """
    import sys

    import typer.main

    built = typer.main.get_command(app)
    _words(built)
    if not sys.stdout.isatty():
        built.context_settings = {**(built.context_settings or {}), "terminal_width": 80}
    return built


def _words(command: Any) -> None:
    for param in command.params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        if param.metavar is None:
            param.metavar = param.name.upper()
        if param.param_type_name == "argument":
            param.get_usage_pieces = _usage_piece(param)
            if hasattr(param, "display_type_rich"):
                param.display_type_rich = _no_type
    for sub in getattr(command, "commands", {}).values():
        _words(sub)


def _usage_piece(argument: Any) -> Any:
    """How the usage line shows a positional argument: ``NAME`` when required,
    ``[NAME]`` when not, ``...`` after one that takes several. Each Typer release
    words it its own way (0.29 writes a required one ``{NAME}``, as click writes a
    choice, and wraps a metavar that has brackets in a second pair; 0.27 drops the
    ``...`` of one that has a metavar), so the line is ours."""

    def pieces(ctx: Any) -> list[str]:
        name = argument.metavar
        shown = name if argument.required else f"[{name}]"
        return [shown + ("..." if argument.nargs != 1 else "")]

    return pieces


def _no_type(ctx: Any) -> None:
    """What a positional argument shows after its name in the help: nothing."""
    return None
