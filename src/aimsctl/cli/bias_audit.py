"""`aimsctl bias-audit`: NYC Local Law 144 selection or scoring rates and impact ratios.

The command only parses options: :mod:`aimsctl.bias_audit` reads the CSV and
computes, :mod:`aimsctl.outputs.bias_audit` renders (:data:`aimsctl.formats.BIAS_AUDIT`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt
from aimsctl.errors import UsageError
from aimsctl.formats import BIAS_AUDIT


def bias_audit(
    data: Annotated[
        Path,
        typer.Argument(
            metavar="DATA.csv",
            help="CSV, UTF-8, with a header row: one row per person assessed.",
            show_default=False,
        ),
    ],
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            metavar="COLUMN",
            help="Column saying whether the person was selected: 1/0 or true/false.",
            show_default=False,
        ),
    ] = None,
    score: Annotated[
        str | None,
        typer.Option(
            "--score",
            metavar="COLUMN",
            help="Numeric column instead: selected means strictly above the median of all rows.",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            metavar="COLUMN",
            help="A category column, e.g. sex or race (repeatable; two or more add every "
            "intersection).",
            show_default=False,
        ),
    ] = None,
    min_share: Annotated[
        str,
        typer.Option(
            "--min-share",
            metavar="SHARE",
            help="Categories under this share of their dimension's classified rows get no "
            "impact ratio (counts still listed).",
        ),
    ] = "0.02",
    threshold: Annotated[
        str,
        typer.Option(
            "--threshold",
            metavar="RATIO",
            help="Flag impact ratios under this (the four-fifths rule of thumb).",
        ),
    ] = "0.8",
    format: Annotated[str, typer.Option("--format", "-f", help=f"{BIAS_AUDIT.help}.")] = "table",
    record: Annotated[
        str | None,
        typer.Option(
            "--record",
            metavar="SYSTEM",
            help="Also make an Evaluation record of the audit for this AISystem id: written "
            'to --record-out, and under "record" in JSON.',
            show_default=False,
        ),
    ] = None,
    record_out: Annotated[
        Path | None,
        typer.Option(
            "--record-out",
            metavar="FILE",
            help="Write the record as YAML to this new file (never overwritten; - for "
            "standard output).",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Who performed the audit, for the record (default: a TODO: placeholder).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Selection or scoring rates and impact ratios per category, as NYC Local Law 144
    asks of a bias audit of an automated employment decision tool.

    Rows with no value in a category column count as unknown for it and are left out
    of its rates. Ratios under --threshold are flagged as the EEOC four-fifths rule of
    thumb reads them; the law itself sets no pass mark (docs/bias-audit.md). Exit 0;
    2 for bad options or a CSV that cannot be used (the line is named).

    \b
    Example:
      aimsctl bias-audit examples/northwind/evidence/bias-audit/hire-2026-q3-applicants.csv \\
        --outcome advanced --category sex
    """
    from aimsctl.bias_audit import audit, evaluation_record
    from aimsctl.cli.common import parse_as_of, parse_decimal
    from aimsctl.fileio import link_leads_nowhere
    from aimsctl.outputs.bias_audit import record_yaml
    from aimsctl.text import is_text, printable

    chosen = BIAS_AUDIT.check(format)
    # Read before the data, and with or without --record: a bad date is a usage error.
    today = parse_as_of(as_of)
    if record is None and (record_out is not None or by is not None):
        raise UsageError("--record-out and --by go with --record SYSTEM")
    if record is not None and record_out is None and chosen != "json":
        raise UsageError(
            "--record SYSTEM needs --record-out FILE to write the record to (or --format "
            "json, which carries it)"
        )
    if by is not None:
        by = by.strip()
        if not by:
            raise UsageError("--by is blank: name who performed the audit, or leave --by out")
    to_stdout = str(record_out) == "-"
    if record_out is not None and not to_stdout and record_out.is_file():
        raise UsageError(f"{record_out} exists; a record is never overwritten")
    nowhere = None if record_out is None or to_stdout else link_leads_nowhere(record_out)
    if nowhere is not None:
        # Written through, the record would be made wherever the link points.
        raise UsageError(
            f"{printable(str(record_out))} is {nowhere}; nothing was written (give "
            "--record-out a name that does not exist yet)"
        )
    if record_out is not None and not to_stdout and record_out.is_dir():
        raise UsageError(
            f"cannot write {record_out}: it is a folder; give --record-out a file name"
        )
    shown = str(data)
    if not is_text(shown):
        # A name that is not UTF-8 (allowed as an existing path): shown with its bad
        # bytes escaped (\xff), as validate shows one, and never named in a record.
        from aimsctl.loader import printable_path

        if record is not None:
            raise UsageError(
                f"the file name {printable(shown)} is not UTF-8, so the Evaluation "
                "record's data cannot name it; rename it using UTF-8 characters"
            )
        shown = printable_path(shown)
    result = audit(
        data,
        outcome=outcome,
        score=score,
        categories=category or [],
        min_share=parse_decimal(min_share, "--min-share", example="0.02"),
        threshold=parse_decimal(threshold, "--threshold", example="0.8"),
        shown=shown,
    )
    made = None if record is None else evaluation_record(result, record, today, by)
    if made is not None and record_out is not None:
        _write_record(record_yaml(made), record_out)
        if not to_stdout:
            print(f"wrote {printable(str(record_out))}", file=sys.stderr)
    sys.stdout.write(BIAS_AUDIT.renderer(chosen)(result, made))


def _write_record(text: str, out: Path) -> None:
    """The record through aimsctl.writing: checked, in canonical form, created without
    ever overwriting a file. A pipe or a terminal (`/dev/stdout`) is written into, and
    ``-`` is standard output (as for report's ``--out -``), never a file named ``-``."""
    import os
    import stat

    from aimsctl.authoring.canonical import canonical
    from aimsctl.writing import commit, plan_create

    text = canonical(text, str(out))
    if str(out) == "-" or (os.path.lexists(out) and not stat.S_ISREG(out.stat().st_mode)):
        from aimsctl.cli.common import write_output
        from aimsctl.writing import text_problems

        problems = text_problems(text, str(out))
        if problems:
            raise UsageError("\n".join(["the Evaluation record would not be valid:", *problems]))
        write_output(text, out)
        return
    commit(plan_create(out, text, str(out)))
