"""`aimsctl export oscal`: the Annex A catalogue and the SoA as OSCAL JSON documents.

The command parses options, picks the timestamp and writes; :mod:`aimsctl.oscal`
builds the documents.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import GitError, UsageError

app = typer.Typer(
    help="Export the management system for other tools.\n\n"
    "\b\nExample:\n  aimsctl export oscal examples/northwind --out oscal --as-of 2026-11-26",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _last_modified(root: Path, as_of: str | None) -> tuple[datetime, date]:
    """--as-of at midnight UTC; else the time of the newest commit touching the
    repository's files. Never the clock: the same input gives the same bytes.

    With it, the day the date rules are checked at: --as-of, or the commit's date
    where it was made (its committer's offset), as the records' commit dates are read:
    a commit at 01:00 +02:00 on the 4th is the 3rd in UTC, and a review dated the 4th
    in it is no review in the future."""
    from aimsctl.cli.common import parse_as_of
    from aimsctl.gitio import CommitLog

    if as_of is not None:
        moment = datetime.combine(parse_as_of(as_of), time(0), tzinfo=UTC)
        _check_year(moment, f"--as-of {as_of}")
        return moment, moment.date()
    try:
        with CommitLog(root, (".yaml", ".yml")) as log:
            newest = next(log.commits(), None)
    except GitError:
        newest = None
    if newest is None:
        raise UsageError(
            f"{root} has no commit to date the export by; give --as-of YYYY-MM-DD "
            "(OSCAL documents carry a last-modified time, and aimsctl never takes it "
            "from the clock)"
        )
    made = datetime.fromisoformat(newest.date)
    moment = made.astimezone(UTC)
    _check_year(moment, f"the newest commit of {root}, {moment.date()},")
    return moment, made.date()


def _check_year(moment: datetime, what: str) -> None:
    """OSCAL dates a document within the years 1900 to 2999 only: outside them the
    documents would not be valid against the schema they declare."""
    from aimsctl.oscal import YEARS

    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise UsageError(
            f"{what} is outside the years an OSCAL document can be dated "
            f"({YEARS[0]} to {YEARS[1]}); give --as-of YYYY-MM-DD within them"
        )


@app.command("oscal")
def oscal(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder to write the OSCAL documents to (created if missing). Required.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Export even though validation finds errors."),
    ] = False,
) -> int:
    """Write OSCAL 1.2.1 JSON: a catalog of the 38 Annex A controls (ids, titles, our
    own summaries) and a component definition with each decided control's
    implementation status, justification and evidence links.

    The documents' last-modified time is --as-of (midnight UTC) or else the time of
    the newest commit touching the repository. Exit 0 when written; 1 when
    validation finds errors (without --force); 2 for bad options or an unusable
    repository or folder.

    \b
    Example:
      aimsctl export oscal examples/northwind --out oscal --as-of 2026-11-26
    """

    from aimsctl.cli.common import (
        out_folder,
        refuse_invalid,
        refuse_planted_links,
        resolve_root,
        warn_left_out,
    )
    from aimsctl.fileio import NotAllWritten, first_folder, write_all
    from aimsctl.oscal import OSCAL_VERSION, dumps, export
    from aimsctl.reports import repository_errors
    from aimsctl.repository import load_repository
    from aimsctl.text import plural, printable

    target = out_folder(out)
    if target is None:
        raise UsageError("--out DIR is required: the folder the OSCAL documents are written to")
    if out == "-":  # '-' is standard output elsewhere (report, validate, schema)
        raise UsageError(
            "--out - cannot be standard output: the export is two documents; "
            "give a folder to write them to"
        )
    root = resolve_root(repo, repo_option)
    refuse_planted_links(root, target, "--out")
    moment, day = _last_modified(root, as_of)
    # Date rules are checked at --as-of, else at the day of the newest commit.
    repository = load_repository(root, day)
    problems = repository_errors(repository)
    if problems and not force:
        refuse_invalid(
            problems,
            "nothing is exported from invalid records. Fix them (`aimsctl validate`), "
            "or pass --force.",
        )
        return 1
    # --force: a control with an error of its own is left out as one that fails
    # validation, never exported as a decision (AIMS203, AIMS204, AIMS206, ...).
    exported = export(repository, moment, {d.record for d in problems if d.record})
    if problems:  # --force: say what is missing, as the reports do
        warn_left_out(repository.failed_files(), "records are left out of the export")
        if exported.invalid:
            print(
                "aimsctl: warning: Annex A controls left out of the export, as validation "
                f"finds errors on their Control records: {', '.join(exported.invalid)}",
                file=sys.stderr,
            )
    # Everything is built before anything is written; each file is replaced atomically.
    texts = {name: dumps(document) for name, document in exported.documents.items()}
    folder = first_folder(target / name for name in texts)
    if folder is not None:
        raise UsageError(
            f"cannot write {printable(str(folder))}: it is a folder, not a file; "
            "nothing was written"
        )
    # Both files or neither: a catalog without its component is no export. Every file
    # is written before any is named: with its reader gone (`| head -1`) the run ends
    # at its first line.
    try:
        write_all({target / name: text for name, text in texts.items()})
    except NotAllWritten as error:
        raise UsageError(error.describe()) from None
    for name in texts:
        print(f"wrote {printable(str(target / name))}")
    print(
        f"OSCAL {OSCAL_VERSION}: {plural(exported.implemented, 'Annex A control')} exported"
        + (f", {len(exported.invalid)} not valid" if exported.invalid else "")
        + (f", {len(exported.undecided)} not decided yet" if exported.undecided else "")
    )
    return 0
