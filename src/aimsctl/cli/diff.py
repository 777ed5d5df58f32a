"""`aimsctl diff`: what a change does to governance, between two git revisions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aimsctl.cli.common import names_existing
from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError
from aimsctl.formats import DIFF, Choices
from aimsctl.vocabulary import FAIL_ON

FAIL_ON_CHOICES = Choices("--fail-on", FAIL_ON)


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
    from aimsctl.cli.common import comma_list, parse_as_of, resolve_root, write_output
    from aimsctl.compare import compare
    from aimsctl.loader import ParseMemo
    from aimsctl.outputs import progress
    from aimsctl.revision import load_revision, load_worktree

    DIFF.check(format)
    gates = FAIL_ON_CHOICES.check_all(comma_list(fail_on or []))
    if fail_on and not gates:
        # `--fail-on "$GATES"` with GATES unset would gate nothing and pass.
        raise UsageError(f"--fail-on names no gate; name one or more of {', '.join(FAIL_ON)}")
    head, repo = _head_or_repo(head, repo, repo_option)
    root = resolve_root(repo, repo_option)
    day = parse_as_of(as_of)
    memo = ParseMemo()  # files identical on both sides are parsed and checked once
    # A bar on standard error while a person watches the text output (not in CI).
    with progress.shown(format == "text" and (output is not None or sys.stdout.isatty())):
        before = load_revision(root, base, day, "BASE", memo)
        after = (
            load_worktree(root, day, memo=memo)
            if head is None
            else load_revision(root, head, day, "HEAD", memo)
        )
        changes = compare(before, after)
    write_output(DIFF.renderer(format)(changes, full_report or _run_page()), output, root)
    tripped = changes.tripped(gates)
    if tripped:
        from aimsctl.text import printable

        # An invalid record's id is as written: never a terminal escape or a line break.
        found = "; ".join(f"{name}: {', '.join(ids)}" for name, ids in tripped.items())
        print(f"aimsctl: governance gets worse ({printable(found)})", file=sys.stderr)
        unjudged = changes.unjudged_in(tripped)
        if unjudged:
            ids = printable(", ".join(unjudged))
            print(
                f"aimsctl: invalid or unreadable at HEAD, so the gates cannot judge: {ids}",
                file=sys.stderr,
            )
        return 1
    return 0


def _run_page() -> str | None:
    """The page of the GitHub Actions run this is part of, where its artifacts are."""
    import os

    parts = [os.environ.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run = os.environ.get("GITHUB_RUN_ID", "")
    if os.environ.get("GITHUB_ACTIONS") != "true" or not all(parts) or not run.isdigit():
        return None
    return f"{parts[0].rstrip('/')}/{parts[1]}/actions/runs/{run}"


def _head_or_repo(
    head: str | None, repo: Path | None, repo_option: Path | None
) -> tuple[str | None, Path | None]:
    """Read `diff BASE FOLDER` as BASE and REPO, and refuse an ambiguous name."""
    if head is None or repo is not None or repo_option is not None:
        return head, repo
    if not names_existing(head, folder=True):
        return head, repo
    folder = Path(head)
    from aimsctl import gitio

    if gitio.is_revision(folder, head):
        raise UsageError(
            f"{head!r} is both a folder and a git revision; give the revision as HEAD and "
            f"the folder with --repo (e.g. `aimsctl diff BASE {head} --repo {head}`)"
        )
    return None, folder
