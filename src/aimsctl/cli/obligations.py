"""`aimsctl obligations`: the regulatory obligations of each AI system and their evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import OBLIGATIONS


def obligations(
    system: Annotated[
        str | None,
        typer.Argument(
            metavar="SYSTEM",
            help="Only this AI system, e.g. SYS-HIRE (a folder given here is taken as REPO).",
            show_default=False,
        ),
    ] = None,
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{OBLIGATIONS.help}.")] = "table",
) -> int:
    """The obligations each AI system takes on under the EU AI Act (by class and
    role), NYC Local Law 144 and Colorado SB 26-189, derived from its `regulation`
    and `jurisdictions`, each with the records that evidence it or what is missing.

    Status: met, missing (a system in production lacks the evidence), open (not yet
    in production), confirm (applies to some such systems only), nothing-to-report,
    not-in-force, prohibited. Retired systems are left out unless named. Exit 0 (the
    hard cases are rules of `aimsctl validate`: AIMS801, AIMS802); 2 for bad options
    or an unusable repository.

    \b
    Example:
      aimsctl obligations examples/northwind --as-of 2026-11-26
      aimsctl obligations SYS-HIRE examples/northwind --as-of 2026-11-26
    """
    import sys

    from aimsctl.cli.common import names_existing, open_repository, warn_left_out
    from aimsctl.obligations import obligations as derive

    OBLIGATIONS.check(format)
    if system is not None and repo is None and names_existing(system):
        if repo_option is None:
            repo, system = Path(system), None  # one argument, a folder: the repository
        elif not _names_a_system(system, repo_option, as_of):
            repo, system = Path(system), None  # and --repo: the same folder, or both given
    repository = open_repository(repo, repo_option, as_of)
    result = derive(repository, [system] if system is not None else None)
    sys.stdout.write(OBLIGATIONS.renderer(format)(result))
    warn_left_out(result.left_out, "systems and evidence are not shown")
    return 0


def _names_a_system(name: str, repo_option: Path, as_of: str | None) -> bool:
    """Whether ``name`` (also a folder here) is a system of the repository --repo names."""
    from aimsctl.cli.common import open_repository
    from aimsctl.records import AISystem

    repository = open_repository(None, repo_option, as_of)
    return any(system.id == name for system in repository.of_kind(AISystem))
