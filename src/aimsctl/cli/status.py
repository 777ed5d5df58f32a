"""`aimsctl status`: where the management system stands, on one screen."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt, WithinOpt
from aimsctl.formats import STATUS


def status(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    within: WithinOpt = "30",
    format: Annotated[str, typer.Option("--format", "-f", help=f"{STATUS.help}.")] = "text",
) -> None:
    """Show the AI systems by tier and stage, validation, what is overdue and what
    falls due within --within days, the placeholders left, and how ready each clause
    4 to 10 and each Annex A area is for an audit.

    \b
    Example:
      aimsctl status examples/northwind --as-of 2026-11-26
    """
    import sys

    from aimsctl import collector

    with collector.importing():  # the record models and rules, without collections
        from aimsctl.cli.common import (
            open_repository,
            parse_within,
            repository_words,
            use_color,
        )
        from aimsctl.status import status as build

    STATUS.check(format)
    days = parse_within(within)
    repository = open_repository(repo, repo_option, as_of)
    result = build(repository, days)
    render = STATUS.renderer(format)
    # The commands status suggests name the repository as it was given, so they run
    # from the same folder.
    given = repository_words(repo, repo_option)
    sys.stdout.write(render(result, sys.stdout.isatty(), use_color(), repository=given))
