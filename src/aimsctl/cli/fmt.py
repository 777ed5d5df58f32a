"""`aimsctl fmt`: put record files in canonical form, keeping every comment."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoOpt


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Record files or folders to format (default: the whole repository: "
            "aims.yaml and every record file). A folder holding aims.yaml is a repository. "
            "Files that are not records of a governance repository are left alone; a "
            "folder no governance repository holds is refused.",
            show_default=False,
        ),
    ] = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
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
    from aimsctl.authoring.fmt import apply, plan, targets
    from aimsctl.cli.common import repository_words, resolve_root, shell_word
    from aimsctl.outputs.fmt import check_text, problem_lines, reformatted_line, written_summary

    if as_of is not None:
        from aimsctl.cli.common import parse_as_of

        parse_as_of(as_of)  # taken as every command takes it; formatting reads no date
    named = list(paths or [])
    root: Path | None = None
    if repo_option is not None or not named:
        root = resolve_root(None, repo_option)
    outcome = plan(targets(named, root))
    if check:
        # The command that formats what was checked, pasted where this one ran: the
        # files named that would change, or the repository as it was given.
        if named:
            words = [shell_word(outcome.shown[change.path]) for change in outcome.changes]
        else:
            words = [repository_words(None, repo_option)]
        rerun = " ".join(["aimsctl fmt", *filter(None, words)])
        sys.stdout.write(check_text(outcome, rerun, terminal=sys.stdout.isatty()))
    else:
        written = apply(outcome, lambda shown: sys.stdout.write(reformatted_line(shown)))
        sys.stdout.write(written_summary(written, outcome.unchanged))
    sys.stderr.write(problem_lines(outcome))
    return outcome.exit_code(check)
