"""`aimsctl report`: audit-ready Markdown or HTML reports, written to one folder.

The reports are views of the one Repository: they refuse to render while
validation finds errors (unless --force, which the reports then announce),
render the same bytes for the same input, write atomically and only the fixed
file names inside --out, and with --check compare instead of writing.

The command's work is :func:`aimsctl.cli.report_plain.run`, which also runs it
without building the Typer app (:mod:`aimsctl.cli.plain`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt

# The command's choices live with its work (tests/cli/test_choices.py reads them here).
from aimsctl.cli.report_plain import REPORT_CHOICES as REPORT_CHOICES
from aimsctl.vocabulary import REPORT_NAMES


def report(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="REPORT",
            help=f"{', '.join(REPORT_NAMES)}, or all (every report and an index).",
            show_default=False,
        ),
    ] = None,
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="md (Markdown) or html (one file per report).")
    ] = "md",
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder to write the reports to (created if missing). Required; - writes "
            "a single report to standard output.",
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="REV",
            help="Report the records as they were at this git revision (read from git; "
            "the working tree is not touched).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 and list the files in --out that are missing or "
            "differ from a fresh render (the commit named in the provenance is ignored).",
        ),
    ] = False,
    crosswalk: Annotated[
        bool,
        typer.Option(
            "--crosswalk",
            help="In the Statement of Applicability, also show each Annex A control's NIST "
            "AI RMF subcategories and EU AI Act articles, analytic links marked.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Render even though validation finds errors; every report then opens "
            "with a warning listing them.",
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse every file again; do not read validate's per-file cache.",
        ),
    ] = False,
) -> int:
    """Render the Statement of Applicability, inventory, risk register, impact
    assessments, system documentation, testing and monitoring or management system
    report as Markdown or self-contained HTML.

    Exit 0 when written (or, with --check, up to date); 1 when validation finds
    errors (without --force) or --check finds stale reports; 2 for bad options,
    an unusable repository, git revision, template or output folder.

    \b
    Example:
      aimsctl report all examples/northwind --format html --out reports --as-of 2026-11-26
    """
    from aimsctl.cli.report_plain import ReportArgs, run

    return run(
        ReportArgs(
            name=name,
            repo=repo,
            repo_option=repo_option,
            as_of=as_of,
            format=format,
            out=out,
            at=at,
            check=check,
            crosswalk=crosswalk,
            force=force,
            no_cache=no_cache,
        )
    )
