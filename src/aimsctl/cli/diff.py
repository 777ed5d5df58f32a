"""`aimsctl diff`: what a change does to governance, between two git revisions.

The command's work is :func:`aimsctl.cli.diff_plain.run`, which also runs it without
building the Typer app (:mod:`aimsctl.cli.plain`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import DIFF
from aimsctl.vocabulary import FAIL_ON


def diff(
    base: Annotated[
        str,
        typer.Argument(
            metavar="BASE",
            help="The git revision to compare from: a branch, tag, sha, HEAD~1 ...",
            show_default=False,
        ),
    ],
    head: Annotated[
        str | None,
        typer.Argument(
            metavar="HEAD",
            help="The git revision to compare to (default: the working tree). A folder "
            "given here, with no third argument, is taken as REPO.",
            show_default=False,
        ),
    ] = None,
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{DIFF.help}.")] = "text",
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="LIST",
            help="Exit 1 when the change makes governance worse in one of these ways "
            f"(comma-separated): {', '.join(FAIL_ON)}.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the comparison to this file."),
    ] = None,
    full_report: Annotated[
        str | None,
        typer.Option(
            "--full-report",
            metavar="URL",
            help="Where the whole comparison can be read, linked from a pull-request "
            "comment shortened to fit GitHub's size limit (default inside GitHub Actions: "
            "the workflow run's page).",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Compare the governance records at two revisions, by record id.

    Shows added, removed and changed records field by field, risk score and band
    changes (each side scored with its own aims.yaml), appetite crossings, system
    tier changes and Statement of Applicability changes. Read from git's objects:
    nothing is checked out. Exit 0; 1 when --fail-on names a way the change makes
    governance worse; 2 for an unknown revision, a folder outside git or an
    unusable aims.yaml at either revision.

    \b
    Example:
      aimsctl diff main HEAD --format md --fail-on appetite-crossed,tier-raised
    """
    from aimsctl.cli.diff_plain import DiffArgs, run

    return run(
        DiffArgs(
            base=base,
            head=head,
            repo=repo,
            repo_option=repo_option,
            as_of=as_of,
            format=format,
            fail_on=fail_on,
            output=output,
            full_report=full_report,
        )
    )
