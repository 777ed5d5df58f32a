"""`aimsctl report`'s work, run by the Typer command and without Typer alike.

:func:`read` takes the everyday forms of the command's arguments as a
:class:`ReportArgs` (see :mod:`aimsctl.cli.plain`, which says why and how); :func:`run`
does what the command does, whichever way its options were read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from aimsctl.cli.common import AS_OF_VARIABLE
from aimsctl.cli.plain import read_options
from aimsctl.errors import UsageError
from aimsctl.formats import REPORT, Choices
from aimsctl.text import plural, printable
from aimsctl.vocabulary import REPORT_NAMES

COMMAND = "report"
# Report names from the vocabulary, a leaf module, so that start-up imports no
# report (Jinja); a test keeps the report registry equal to them.
REPORT_CHOICES = Choices("report", (*REPORT_NAMES, "all"))


@dataclass
class ReportArgs:
    """The options of `aimsctl report`, as the Typer command declares them; each
    field's metadata lists the option's names (none: the REPORT and REPO arguments,
    in this order) and the environment variable it reads, if any."""

    name: str | None = field(default=None, metadata={"names": ()})
    repo: Path | None = field(default=None, metadata={"names": ()})
    repo_option: Path | None = field(default=None, metadata={"names": ("--repo",)})
    as_of: str | None = field(
        default=None, metadata={"names": ("--as-of",), "envvar": AS_OF_VARIABLE}
    )
    format: str = field(default="md", metadata={"names": ("--format", "-f")})
    out: str | None = field(default=None, metadata={"names": ("--out", "-o")})
    at: str | None = field(default=None, metadata={"names": ("--at",)})
    check: bool = field(default=False, metadata={"names": ("--check",)})
    crosswalk: bool = field(default=False, metadata={"names": ("--crosswalk",)})
    force: bool = field(default=False, metadata={"names": ("--force",)})
    no_cache: bool = field(default=False, metadata={"names": ("--no-cache",)})


def read(args: list[str]) -> ReportArgs | None:
    """``args`` as a `report` run, or None (Typer then parses them)."""
    return read_options(args, COMMAND, ReportArgs)


def run(args: ReportArgs) -> int:
    """Render and write (or check, or print) the reports as the options say; the exit
    code."""
    from aimsctl import collector
    from aimsctl.cli.common import (
        out_folder,
        parse_as_of,
        refuse_planted_links,
        resolve_root,
        validate_command,
    )

    name = args.name
    if name is None:
        raise UsageError(f"missing REPORT: name one of {REPORT_CHOICES.help}")
    REPORT_CHOICES.check(name)
    REPORT.check(args.format)
    folder = out_folder(args.out)
    if folder is None:
        single = "" if name == "all" else " (or --out - to print the report)"
        raise UsageError(f"--out DIR is required: the folder the reports are written to{single}")
    to_stdout = args.out == "-"
    if to_stdout and (name == "all" or args.check):
        raise UsageError("--out - writes a single report to standard output, not all or --check")
    root = resolve_root(args.repo, args.repo_option)
    if not to_stdout:
        refuse_planted_links(root, folder, "--out")
    day = parse_as_of(args.as_of)
    # The records stay alive until the reports are out: frozen once loaded, so that no
    # collection walks them all again, freeing nothing (10,000 records: 0.4 s of 3.6 s).
    with collector.built_then_frozen() as built:
        return _made(
            name,
            root,
            day,
            args.format,
            folder,
            to_stdout,
            args.at,
            args.check,
            args.crosswalk,
            args.force,
            args.no_cache,
            built,
            validate_command(args.repo, args.repo_option, day),
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
    validate: str,
) -> int:
    """The reports rendered and written (or checked, or printed): the exit code. ``built``
    is called once the records are loaded (:func:`aimsctl.collector.built_then_frozen`);
    ``validate`` is the command that lists the errors a refusal names."""
    from aimsctl.cli.common import refuse_invalid
    from aimsctl.outputs import progress
    from aimsctl.outputs.validation.text import line
    from aimsctl.reports import (
        NAMES,
        Rendered,
        file_name,
        for_check,
        load_for_report,
        render_checked,
        render_reports,
        repository_errors,
    )
    from aimsctl.reports.files import stale_reports, write_reports

    names = list(NAMES) if name == "all" else [name]
    rendered: Rendered | None = None
    # A bar on standard error while a person watches (the reports go to files).
    with progress.shown(sys.stdout.isatty()):
        repository, provenance = load_for_report(
            root, day, at, use_cache=not no_cache, out=None if to_stdout else folder
        )
        built()
        if progress.wanted(sys.stdout.isatty()):
            # The bars are drawn by this process: the rules run here, then the reports.
            problems = repository_errors(repository)
        else:
            # The reports are rendered while the rules run, where that pays.
            problems, rendered = render_checked(
                repository,
                names,
                format,
                for_check(provenance) if check else provenance,
                line,
                out=None if to_stdout else folder,
                index=name == "all",
                crosswalk=crosswalk,
                force=force,
            )
    if problems and not force:
        # `validate` reads the working tree: the errors of a revision are found there
        # only once it is checked out.
        lists = (
            f"they are the records at {at}; `validate` lists them in a checkout of it"
            if at is not None
            else f"`{printable(validate)}`"
        )
        refuse_invalid(
            problems,
            f"reports are not rendered while validation finds errors. Fix them ({lists}), "
            "or pass --force to render anyway with a warning in every report.",
            root,
        )
        return 1

    left_out = repository.failed_files() if problems else ()
    if rendered is None:
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
