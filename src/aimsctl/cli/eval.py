"""`aimsctl eval import`: an Evaluation record from a machine-readable results file.

The command only parses options: :mod:`aimsctl.eval_import` reads the file and plans
the record, :mod:`aimsctl.outputs.eval_import` renders the comparison
(:data:`aimsctl.formats.EVAL_IMPORT`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import EVAL_IMPORT

app = typer.Typer(
    help="Record evaluations of AI systems from the results files your pipelines write.\n\n"
    "\b\nExample:\n  aimsctl eval import results.csv --system SYS-CREDIT --on 2026-11-20 "
    "--by ml-platform@northwind.example",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.command("import")
def import_(
    results: Annotated[
        Path,
        typer.Argument(
            metavar="RESULTS",
            help="The results file: CSV with a header row metric,value[,group,dimension,"
            'threshold_min,threshold_max,note,tracked_by], or JSON {"metrics": [...]} '
            "(docs/monitoring.md).",
            show_default=False,
        ),
    ],
    system: Annotated[
        str,
        typer.Option("--system", metavar="ID", help="The AISystem evaluated.", show_default=False),
    ],
    repo: RepoArg = None,
    stage: Annotated[
        str,
        typer.Option(
            "--stage",
            metavar="STAGE",
            help="pre-deployment, post-deployment, periodic or change.",
        ),
    ] = "periodic",
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The day it was performed, YYYY-MM-DD (default: the as-of date).",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Who performed it: a person, team or Role id (required unless --dry-run).",
            show_default=False,
        ),
    ] = None,
    model_version: Annotated[
        str | None,
        typer.Option(
            "--model-version",
            metavar="VERSION",
            help="The version tested (default: the file's model_version, else the "
            "system's version).",
            show_default=False,
        ),
    ] = None,
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The new record's id (default: EVAL-SYSTEM-DATE, as EVAL-SYS-HIRE-2026-11-20).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the record and the comparison; write nothing."),
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{EVAL_IMPORT.help}.")] = "table",
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
) -> int:
    """Make an Evaluation record from a results file and compare it with the system's
    previous evaluation: per metric the value before and now, the trend, pass or fail,
    and the metrics newly failing, added and dropped.

    What the file leaves out of a metric (its dimension, its threshold, and for a
    failing value the records tracking it) is taken from the latest earlier
    evaluation of the system that measured it (same name and group). The record goes
    where the repository keeps Evaluations and is kept only when the repository
    gains no error with it; nothing is ever overwritten. Exit 0; 1 when the record is
    refused; 2 for bad options or a results file that cannot be used (every problem
    at its line).

    \b
    Example:
      aimsctl eval import results.csv --system SYS-CREDIT --on 2026-11-20 \\
        --by ml-platform@northwind.example
    """
    import sys

    from aimsctl.cli.common import open_repository, parse_date
    from aimsctl.eval_import import plan_import
    from aimsctl.writing import WriteRefused, commit

    EVAL_IMPORT.check(format)
    repository = open_repository(repo, repo_option, as_of)
    day = repository.as_of
    if on is not None:
        day = parse_date(on, "--on")
    imported = plan_import(
        repository,
        results,
        system,
        on=day,
        by=by,
        stage=stage,
        model_version=model_version,
        record_id=record_id,
        dry_run=dry_run,
        shown=str(results),
    )
    if not dry_run and imported.change is not None:
        commit(imported.change)
    # A refused import's table would say it was written: only JSON (whose `written` and
    # `refused` say what happened) and a dry run print one.
    if dry_run or not imported.refused or format == "json":
        sys.stdout.write(EVAL_IMPORT.renderer(format)(imported))
    if imported.refused:  # a dry run ends as the import would: refused, exit 1
        outcome = "the import would be refused" if dry_run else "nothing was written"
        raise WriteRefused(
            "\n".join(
                [f"{imported.rel} would make the repository invalid; {outcome}:", *imported.refused]
            )
        )
    return 0
