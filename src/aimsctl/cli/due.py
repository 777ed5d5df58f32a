"""`aimsctl due`: what is overdue and what falls due soon, from every record."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt, WithinOpt
from aimsctl.formats import DUE


def due(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    within: WithinOpt = "30",
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="WHO",
            help="Only what this owner must do (an owner as written, or a Role id or "
            "holder, which also matches the role's other name).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{DUE.help}.")] = "table",
) -> None:
    """List what is overdue and what falls due within --within days: reviews, impact
    assessments, acceptances and waivers expiring, treatments, evaluations, bias
    audits, monitor observations, actions, objectives and their progress measurements, audits,
    management and policy reviews,
    incident reports to an authority, and reviews of the reports kept as controlled
    documents. `ics` is a calendar to import or subscribe to.

    \b
    Example:
      aimsctl due examples/northwind --as-of 2026-11-26 --within 30
    """
    import sys

    from aimsctl import collector

    with collector.importing():  # the record models and rules, without collections
        from aimsctl.cli.common import open_repository, parse_within, warn_left_out
        from aimsctl.due import due_list, unknown_owner
        from aimsctl.errors import UsageError

    DUE.check(format)
    days = parse_within(within)
    if owner is not None and not owner.strip():
        raise UsageError("--owner is blank: name whose items to list, or leave --owner out")
    repository = open_repository(repo, repo_option, as_of)
    result = due_list(repository, days, owner)
    sys.stdout.write(DUE.renderer(format)(result))
    warn_left_out(result.left_out, "dates are not listed")
    if format in ("json", "csv") and result.unowned:
        # The table and the calendar say it in their text; JSON and CSV hold no words.
        from aimsctl.outputs.due import unowned_note
        from aimsctl.text import printable

        print(f"aimsctl: warning: {printable(unowned_note(result))}", file=sys.stderr)
    if owner is not None and (unknown := unknown_owner(repository, owner)) is not None:
        print(f"aimsctl: warning: {unknown}", file=sys.stderr)
