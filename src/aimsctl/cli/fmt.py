"""`aimsctl fmt`: put record files in canonical form, keeping every comment."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import RepoOpt


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Record files or folders to format (default: the whole repository: "
            "aims.yaml and every record file). A folder holding aims.yaml is a repository. "
            "Files that are not records of a governance repository are left alone.",
            show_default=False,
        ),
    ] = None,
    repo_option: RepoOpt = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; show a diff of what would change and exit 1 when a file "
            "is not in canonical form (for CI and pre-commit).",
        ),
    ] = False,
) -> int:
    """Rewrite record files in canonical form: the contract's key order, two-space
    indentation, quotes only where needed, dates unquoted, one `---` between
    documents. Every comment stays.

    Formatting never changes a value (the result is read back and compared before
    anything is written) and a formatted file formats to the same bytes. Exit 0;
    with --check, 1 when a file would change; 2 when a file cannot be read as YAML.

    \b
    Example:
      aimsctl fmt --check
      aimsctl fmt risks/R-007.yaml
    """
    from aimsctl.authoring.fmt import plan, targets
    from aimsctl.cli.common import resolve_root
    from aimsctl.errors import AimsctlError
    from aimsctl.text import plural, printable
    from aimsctl.writing import commit, split_lines

    named = list(paths or [])
    root: Path | None = None
    if repo_option is not None or not named:
        root = resolve_root(None, repo_option)
    outcome = plan(targets(named, root))
    if check:
        for change in outcome.changes:
            for line in split_lines(change.diff(outcome.shown[change.path])):
                print(printable(line))
        for change in outcome.changes:
            print(f"would reformat {printable(outcome.shown[change.path])}")
        total = len(outcome.changes) + outcome.unchanged
        if outcome.changes:
            print(
                f"{plural(len(outcome.changes), 'file')} would be reformatted, "
                f"{outcome.unchanged} of {plural(total, 'file')} already formatted; "
                "run `aimsctl fmt` to format them"
            )
        else:
            print(f"{plural(total, 'file')} already formatted")
    else:
        written = 0
        for change in outcome.changes:
            try:
                commit(change)
            except AimsctlError as error:
                outcome.problems.append(str(error))
                continue
            written += 1
            print(f"reformatted {printable(outcome.shown[change.path])}")
        print(
            f"{plural(written, 'file')} reformatted, "
            f"{plural(outcome.unchanged, 'file')} left unchanged"
        )
    for problem in outcome.problems:
        for line in problem.split("\n"):
            print(f"aimsctl: error: {printable(line)}", file=sys.stderr)
    if outcome.problems:
        return 2
    return 1 if check and outcome.changes else 0
