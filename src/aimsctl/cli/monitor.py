"""`aimsctl monitor check`: read every monitor's observations, report breaches and
staleness."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import MONITOR_CHECK

app = typer.Typer(
    help="Check the monitors of AI systems: their observations, breaches and staleness.\n\n"
    "\b\nExample:\n  aimsctl monitor check examples/northwind --as-of 2026-11-26",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.command("check")
def check(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system",
            metavar="ID",
            help="Only the monitors of these systems (repeat the option or separate ids "
            "with commas).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{MONITOR_CHECK.help}.")] = "text",
) -> int:
    """Read each monitor's observations (inline or from its CSV file) and report the
    breaches of its threshold, what followed each, and the monitors gone stale.

    A monitor whose next observation is overdue is late; one with none within twice
    its interval is stale. Exit 0 when no monitor is stale and every breach was
    followed up (a late monitor does not fail the run); 1 when a monitor is stale,
    its observations or its record cannot be read, or a breach was not followed up;
    2 for bad options or an unusable repository.

    \b
    Example:
      aimsctl monitor check examples/northwind --system SYS-TRIAGE --as-of 2026-11-26
    """
    import sys

    from aimsctl.cli.common import named, open_repository, warn_left_out
    from aimsctl.monitor_check import check_monitors

    MONITOR_CHECK.check(format)
    wanted = named(system, "--system", "the system whose monitors to check")
    repository = open_repository(repo, repo_option, as_of)
    result = check_monitors(repository, wanted)
    sys.stdout.write(MONITOR_CHECK.renderer(format)(result))
    warn_left_out(result.left_out, "monitors are not checked")
    return result.exit_code
