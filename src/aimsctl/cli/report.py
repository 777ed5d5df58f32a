"""`aimsctl report`: audit-ready Markdown or HTML reports, written to one folder.

The reports are views of the one Repository: they refuse to render while
validation finds errors (unless --force, which the reports then announce),
render the same bytes for the same input, write atomically and only the fixed
file names inside --out, and with --check compare instead of writing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError
from aimsctl.formats import REPORT, Choices
from aimsctl.text import plural, printable
from aimsctl.vocabulary import REPORT_NAMES

# Report names from the vocabulary, a leaf module, so that start-up imports no
# report (Jinja); a test keeps the report registry equal to them.
REPORT_CHOICES = Choices("report", (*REPORT_NAMES, "all"))


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
    from aimsctl import collector
    from aimsctl.cli.common import out_folder, parse_as_of, resolve_root

    if name is None:
        raise UsageError(f"missing REPORT: name one of {REPORT_CHOICES.help}")
    REPORT_CHOICES.check(name)
    REPORT.check(format)
    folder = out_folder(out)
    if folder is None:
        single = "" if name == "all" else " (or --out - to print the report)"
        raise UsageError(f"--out DIR is required: the folder the reports are written to{single}")
    to_stdout = out == "-"
    if to_stdout and (name == "all" or check):
        raise UsageError("--out - writes a single report to standard output, not all or --check")
    root = resolve_root(repo, repo_option)
    day = parse_as_of(as_of)
    # The records stay alive until the reports are out: frozen once loaded, so that no
    # collection walks them all again, freeing nothing (10,000 records: 0.4 s of 3.6 s).
    with collector.built_then_frozen() as built:
        return _made(
            name, root, day, format, folder, to_stdout, at, check, crosswalk, force, no_cache, built
        )


def _made(
    name: str,
    root: Path,
    day: date,
    format: str,
    folder: Path,
    to_stdout: bool,
    at: str | None,
    check: bool,
    crosswalk: bool,
    force: bool,
    no_cache: bool,
    built: Callable[[], None],
) -> int:
    """The reports rendered and written (or checked, or printed): the exit code. ``built``
    is called once the records are loaded (:func:`aimsctl.collector.built_then_frozen`)."""
    from aimsctl.cli.common import refuse_invalid
    from aimsctl.outputs import progress
    from aimsctl.outputs.validation.text import line
    from aimsctl.reports import (
        NAMES,
        file_name,
        for_check,
        load_for_report,
        render_reports,
        repository_errors,
    )
    from aimsctl.reports.files import stale_reports, write_reports

    # A bar on standard error while a person watches (the reports go to files).
    with progress.shown(sys.stdout.isatty()):
        repository, provenance = load_for_report(
            root, day, at, use_cache=not no_cache, out=None if to_stdout else folder
        )
        built()
        problems = repository_errors(repository)
    if problems and not force:
        refuse_invalid(
            problems,
            "reports are not rendered from invalid records. Fix them (`aimsctl validate`), "
            "or pass --force to render anyway with a warning in every report.",
        )
        return 1

    left_out = repository.failed_files() if problems else ()
    names = list(NAMES) if name == "all" else [name]
    with progress.shown(sys.stdout.isatty()):
        rendered = render_reports(
            repository,
            names,
            format,
            for_check(provenance) if check else provenance,
            out=None if to_stdout else folder,
            problems=[line(d) for d in problems],
            index=name == "all",
            crosswalk=crosswalk,
            left_out=left_out,
        )
    expected = {file_name(n, format) for n in [*names, "index"]}
    assert set(rendered) <= expected  # only the fixed file names are ever written
    if left_out:
        from aimsctl.cli.common import warn_left_out

        warn_left_out(left_out, "records are left out of the reports")
    if to_stdout:
        [text] = rendered.values()
        sys.stdout.write(text)
        return 0
    if check:
        stale = stale_reports(folder, rendered)
        for entry in stale:
            print(printable(entry))
        if stale:
            print(
                f"{plural(len(stale), 'report')} out of date; run the same command "
                "without --check to write them"
            )
            return 1
        print(f"{plural(len(rendered), 'report')} up to date in {printable(str(folder))}")
        return 0
    written, unchanged = write_reports(
        folder, rendered, lambda path: print(f"wrote {printable(str(path))}")
    )
    shown = printable(str(folder))
    print(f"{plural(written, 'report')} written, {unchanged} unchanged, in {shown}")
    return 0
