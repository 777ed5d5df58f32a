"""`aimsctl controls`: the Annex A catalogue with each control's state in the repository."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError
from aimsctl.formats import CONTROLS, CONTROLS_FRAMEWORK, COVERAGE


def controls(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    annex: Annotated[
        bool, typer.Option("--annex", help="Only the catalogue; do not read a repository.")
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{CONTROLS.help}.")] = "text",
    framework: Annotated[
        str,
        typer.Option(
            "--framework",
            metavar="FRAMEWORK",
            help=f"{CONTROLS_FRAMEWORK.help}: with nist-ai-rmf (or eu-ai-act), which of the "
            "72 subcategories (or the cited articles) the applicable, implemented controls "
            "reach through the crosswalk: covered (every linked control not excluded is "
            "implemented), partly covered (some are, others not), or a gap.",
        ),
    ] = "annex-a",
) -> None:
    """List the 38 ISO/IEC 42001 Annex A controls by area, with their SoA state.

    \b
    Example:
      aimsctl controls examples/northwind --framework nist-ai-rmf
    """
    if annex and (repo is not None or repo_option is not None):
        stray = repo if repo is not None else repo_option
        raise UsageError(f"--annex reads no repository; leave out {str(stray)!r}")
    if annex and as_of is not None:
        from aimsctl.cli.common import parse_as_of

        parse_as_of(as_of)  # judged nowhere here, but a bad date is still a usage error
    if CONTROLS_FRAMEWORK.check(framework) != "annex-a":
        from aimsctl.cli.common import open_repository
        from aimsctl.crosswalk import coverage
        from aimsctl.soa import control_states

        COVERAGE.check(format)
        if annex:
            raise UsageError("--annex reads no repository; coverage needs one")
        decided = control_states(open_repository(repo, repo_option, as_of))
        sys.stdout.write(COVERAGE.renderer(format)(framework, coverage(framework, decided)))
        return
    CONTROLS.check(format)
    if annex:
        sys.stdout.write(CONTROLS.renderer(format)(None))
        return
    from aimsctl.cli.common import open_repository
    from aimsctl.rules.management import status_not_met
    from aimsctl.soa import control_states

    opened = open_repository(repo, repo_option, as_of)
    # A status the organization's open nonconformities record as not met is shown
    # qualified, as the Statement of Applicability shows it.
    sys.stdout.write(CONTROLS.renderer(format)(control_states(opened), status_not_met(opened)))
