"""`aimsctl export oscal`: the Annex A catalogue and the SoA as OSCAL JSON documents.

The command parses options and writes; :mod:`aimsctl.oscal` picks the timestamp and
builds the documents.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError

app = typer.Typer(
    help="Export the management system for other tools.\n\n"
    "\b\nExample:\n  aimsctl export oscal examples/northwind --out oscal --as-of 2026-11-26",
    no_args_is_help=True,
    rich_markup_mode=None,
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

    The documents' last-modified time is --as-of (midnight UTC), else the time of
    the newest commit touching the repository (record files changed since it are
    refused: commit them, or give --as-of), else (no commit yet) today at midnight
    UTC. Exit 0 when written; 1 when
    validation finds errors (without --force); 2 for bad options or an unusable
    repository or folder.

    \b
    Example:
      aimsctl export oscal examples/northwind --out oscal --as-of 2026-11-26
    """

    from aimsctl.cli.common import (
        out_folder,
        parse_as_of,
        refuse_invalid,
        refuse_planted_links,
        resolve_root,
        validate_command,
        warn_left_out,
    )
    from aimsctl.fileio import NotAllWritten, first_folder, write_all
    from aimsctl.oscal import OSCAL_VERSION, dumps, export, last_modified
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
    given = parse_as_of(as_of) if as_of is not None else None
    moment, day = last_modified(root, given, parse_as_of(None))
    # Date rules are checked at --as-of, else at the day of the newest commit, else today.
    repository = load_repository(root, day)
    problems = repository_errors(repository)
    if problems and not force:
        refuse_invalid(
            problems,
            "nothing is exported while validation finds errors. Fix them "
            f"(`{printable(validate_command(repo, repo_option, day))}`), or pass --force.",
            root,
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
