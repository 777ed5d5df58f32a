"""The Typer application: one sub-module per command, imported lazily where heavy."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl import __version__
from aimsctl.cli import (
    bias_audit,
    controls,
    diff,
    init,
    log,
    monitor,
    report,
    risk,
    rules,
    schema,
    validate,
)

app = typer.Typer(
    name="aimsctl",
    help="ISO/IEC 42001 AI management system as code: validate, score, report and diff "
    "governance records kept in git.",
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
app.add_typer(monitor.app, name="monitor")
app.command("bias-audit")(bias_audit.bias_audit)
