"""`aimsctl init`: start a governance repository that validates clean."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt
from aimsctl.errors import UsageError


def init(
    folder: Annotated[
        str,  # not a Path: Typer reads an empty one as "." (`init "$UNSET"`: this folder)
        typer.Argument(
            metavar="DIR",
            help="The folder to create the repository in (created when missing).",
            show_default=False,
        ),
    ],
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Copy the bundled example (Northwind Group, a complete fictional AIMS) "
            "instead of the starter repository.",
        ),
    ] = False,
    organization: Annotated[
        str | None,
        typer.Option(
            "--organization", help="The organization's name, for aims.yaml.", show_default=False
        ),
    ] = None,
    as_of: AsOfOpt = None,
) -> int:
    """Create a governance repository: aims.yaml with every setting explained, the
    folder layout, all Annex A controls ready to decide, an example system, risk and
    impact assessment, a pre-commit hook and a GitHub Actions workflow.

    Runs `git init` when DIR is not inside a git repository. Never overwrites a
    file: when any file to create exists, exit 2 and write nothing.

    \b
    Example:
      aimsctl init acme-aims --organization "Acme Corp"
    """
    from aimsctl import gitio
    from aimsctl.cli.common import parse_as_of
    from aimsctl.scaffold import (
        DEFAULT_ORGANIZATION,
        create,
        example_files,
        starter_files,
    )
    from aimsctl.text import printable

    if not folder.strip():
        raise UsageError("DIR is empty: name the folder to create the repository in")
    directory = Path(folder)
    if example and organization is not None:
        raise UsageError("--organization does not apply to --example, which is Northwind's")
    if organization is not None and not organization.strip():
        raise UsageError("--organization must not be empty")
    # The example's dates are its own, but a bad date is still a usage error.
    today = parse_as_of(as_of)
    prefix = gitio.work_tree_prefix(directory)
    if prefix is None:
        gitio.check_init(directory)
    if example:
        files = example_files()
    else:
        files = starter_files(
            today,
            organization.strip() if organization else DEFAULT_ORGANIZATION,
            prefix or "",
        )
    create(directory, files)
    shown = printable(str(directory))  # as typed, but never an escape sequence or a line break
    if prefix is None:
        # Before anything is printed: a reader gone from standard output ends the run,
        # which must not leave the files without their git repository.
        try:
            gitio.init_repository(directory)
        except gitio.GitError:
            print(f"Created {len(files)} files in {shown}.")
            raise
    # In a command to paste into a shell: quoted where needed (a space, a quote), and
    # never read as an option (-x is ./-x).
    typed = str(directory)
    argument = printable(shlex.quote(f"./{typed}" if typed.startswith("-") else typed))
    print(f"Created {len(files)} files in {shown}.")
    if prefix is None:
        print(f"Initialized a git repository in {shown}.")
    elif prefix and not example:
        print(
            f"{shown} lies inside the git repository as {printable(prefix)}/: move its "
            ".github/ folder and .pre-commit-config.yaml to the top of that repository."
        )
    print("Next:")
    if example:
        print(f"  aimsctl validate {argument} --as-of 2026-11-26   (see its README.md)")
    else:
        print(
            "  edit aims.yaml (organization, scope), then decide each control in "
            "controls/annex-a.yaml"
        )
        print(
            "  replace the examples in systems/, risks/ and assessments/ with your own "
            "(roles/roles.yaml names the example system too)"
        )
        # the starter's audit names no auditor, so it is no plan yet (AIMS612)
        print(
            "  name who audits the first internal audit in audits/AUD-FIRST.yaml "
            "(until then it is no plan)"
        )
        # the starter's policy is a draft: only top management can approve it (AIMS601)
        print(
            "  once top management has approved the AI policy: record who and when in "
            "policies/POL-AI.yaml"
        )
        # init cannot know when top management established the AIMS (AIMS624)
        print(
            "  once top management has established the management system: set "
            "`established` in aims.yaml (what is left to decide is then an error, as it "
            "is once the policy is approved or a system goes into production)"
        )
        # the starter holds no review: none was held yet (aimsctl due lists the first)
        print(
            "  once top management has held its first review: "
            f"aimsctl new ManagementReview {argument}"
        )
        print(f"  aimsctl validate {argument}")
    return 0
