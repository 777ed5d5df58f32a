"""`aimsctl schema`: JSON Schemas of every record kind and of aims.yaml."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

COMBINED = "record.schema.json"


def schema(
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help=f"Folder to write the schemas into. Without it, or with -, the combined "
            f"record schema ({COMBINED}) is printed to standard output.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write one JSON Schema per record kind, plus aims.yaml and a combined record schema.

    \b
    Example:
      aimsctl schema --out schemas
    """
    from aimsctl.cli.common import check_relative, out_folder
    from aimsctl.errors import UsageError
    from aimsctl.fileio import NotAllWritten, first_folder, write_all
    from aimsctl.schemas import generate
    from aimsctl.text import printable

    target = out_folder(out)
    if target is None or out == "-":  # as report's --out -: never a folder named '-'
        sys.stdout.write(generate()[COMBINED])
        return
    check_relative(target)
    files = generate()
    # Every place is checked before anything is written: a folder in one leaves none
    # written rather than some.
    folder = first_folder(target / name for name in files)
    if folder is not None:
        raise UsageError(f"cannot write {folder}: it is a folder, not a file; nothing was written")
    try:
        write_all({target / name: text for name, text in files.items()})  # all or none
    except NotAllWritten as error:
        raise UsageError(error.describe()) from None
    # Named once all are written: a reader gone from standard output (`| head -1`)
    # ends the run, which must not leave the set half written.
    for name in files:
        print(printable(str(target / name)))
