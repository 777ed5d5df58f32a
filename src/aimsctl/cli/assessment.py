"""`aimsctl assessment approve`: sign off an impact assessment in place."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt

app = typer.Typer(
    name="assessment",
    help="Sign off AI system impact assessments.\n\n"
    "\b\nExample:\n"
    "  aimsctl assessment approve IA-FRAUD-2026 examples/northwind --by chief-risk-officer "
    "--decision proceed",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DECISIONS = ("proceed", "proceed-with-conditions", "do-not-proceed")


@app.command("approve")
def approve(
    assessment_id: Annotated[str, typer.Argument(metavar="ID", help="The assessment's id.")],
    by: Annotated[
        str,
        typer.Option(
            "--by", metavar="WHO", help="Who approves it: a Role id or holder.", show_default=False
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The day of the approval (default: the as-of date).",
            show_default=False,
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision",
            help="proceed, proceed-with-conditions or do-not-proceed (needed when the "
            "assessment records none).",
            show_default=False,
        ),
    ] = None,
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Approve an impact assessment in place (status, approval, decision; comments kept).

    Refused, with the file left as it was (exit 1), when the assessment is not valid,
    is superseded, is approved already (by another or on another day) or still holds
    placeholders, the date is impossible, WHO holds no
    Role where Roles are recorded, or the repository would get an error it does not
    have now.

    \b
    Example:
      aimsctl assessment approve IA-FRAUD-2026 --by chief-risk-officer --decision proceed
    """
    from aimsctl.authoring.signoff import approve_assessment
    from aimsctl.cli.common import open_repository, parse_date
    from aimsctl.formats import Choices
    from aimsctl.text import printable
    from aimsctl.writing import commit

    if decision is not None:
        Choices("--decision", DECISIONS).check(decision)
    repository = open_repository(repo, repo_option, as_of)
    when = parse_date(on, "--on") if on is not None else repository.as_of
    done = approve_assessment(repository, assessment_id, by, when, decision)
    if not done.change.changed:  # the same approval again: nothing to write
        print(f"{assessment_id} is approved already by {printable(by.strip())} on {when}")
        return
    commit(done.change)
    # What was written: --by stripped (escaped for the terminal), --on as a date.
    print(f"{assessment_id} approved by {printable(by.strip())} on {when} ({done.rel})")
