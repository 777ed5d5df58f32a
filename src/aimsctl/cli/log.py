"""`aimsctl log`: the history of one record from git, across renames and moves."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import LOG


def log(
    record_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The record's id, e.g. R-007.", show_default=False),
    ],
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{LOG.help}.")] = "text",
    max_count: Annotated[
        str | None,
        typer.Option(
            "--max-count",
            "-n",
            metavar="N",
            help="Show at most this many changes (newest first).",
            show_default=False,
        ),
    ] = None,
) -> int:
    """The commits that changed one record, newest first: author, commit date,
    subject and the fields each one changed. Uncommitted changes come first.

    The record is followed by id, so moving it to another file is one change.
    Exit 0; 2 for an unknown id or a folder outside git.

    \b
    Example:
      aimsctl log R-007 examples/northwind
    """
    from aimsctl.cli.common import parse_as_of, parse_whole, resolve_root
    from aimsctl.config import load_config
    from aimsctl.record_log import record_history

    LOG.check(format)
    if as_of is not None:
        parse_as_of(as_of)  # taken as every command takes it; the history has no due dates
    most = None if max_count is None else parse_whole(max_count, "--max-count", 1, example=10)
    root = resolve_root(repo, repo_option)
    config = load_config(root)
    history = record_history(root, record_id, config.exclude, most)
    print(LOG.renderer(format)(history), end="")
    return 0
