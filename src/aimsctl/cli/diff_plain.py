"""`aimsctl diff`'s work, run by the Typer command and without Typer alike.

:func:`read` takes the everyday forms of the command's arguments as a
:class:`DiffArgs` (see :mod:`aimsctl.cli.plain`, which says why and how); :func:`run`
does what the command does, whichever way its options were read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from aimsctl.cli.common import AS_OF_VARIABLE, names_existing
from aimsctl.cli.plain import read_options
from aimsctl.errors import UsageError
from aimsctl.formats import DIFF, Choices
from aimsctl.vocabulary import FAIL_ON

COMMAND = "diff"
FAIL_ON_CHOICES = Choices("--fail-on", FAIL_ON)


@dataclass
class DiffArgs:
    """The options of `aimsctl diff`, as the Typer command declares them; each field's
    metadata lists the option's names (none: the BASE, HEAD and REPO arguments, in
    this order) and the environment variable it reads, if any."""

    base: str = field(metadata={"names": ()})
    head: str | None = field(default=None, metadata={"names": ()})
    repo: Path | None = field(default=None, metadata={"names": ()})
    repo_option: Path | None = field(default=None, metadata={"names": ("--repo",)})
    as_of: str | None = field(
        default=None, metadata={"names": ("--as-of",), "envvar": AS_OF_VARIABLE}
    )
    format: str = field(default="text", metadata={"names": ("--format", "-f")})
    # A list, as Typer gives it: `--fail-on a,b --fail-on c`. The plain reader takes
    # one --fail-on (a repeated one is left to Typer).
    fail_on: list[str] | None = field(default=None, metadata={"names": ("--fail-on",)})
    output: Path | None = field(default=None, metadata={"names": ("--output", "-o")})
    full_report: str | None = field(default=None, metadata={"names": ("--full-report",)})


def read(args: list[str]) -> DiffArgs | None:
    """``args`` as a `diff` run, or None (Typer then parses them)."""
    return read_options(args, COMMAND, DiffArgs)


def run(args: DiffArgs) -> int:
    """Compare the two revisions as the options say, print or write the comparison;
    the exit code (1 when a --fail-on gate trips)."""
    from aimsctl import collector
    from aimsctl.cli.common import parse_as_of, resolve_root, write_output
    from aimsctl.compare import compare
    from aimsctl.loader import ParseMemo
    from aimsctl.outputs import progress
    from aimsctl.revision import load_revision, load_worktree, parted_note
    from aimsctl.text import comma_list

    format, fail_on, output = args.format, args.fail_on, args.output
    DIFF.check(format)
    gates = FAIL_ON_CHOICES.check_all(comma_list(fail_on or []))
    if fail_on and not gates:
        # `--fail-on "$GATES"` with GATES unset would gate nothing and pass.
        raise UsageError(f"--fail-on names no gate; name one or more of {', '.join(FAIL_ON)}")
    head, repo = _head_or_repo(args.head, args.repo, args.repo_option)
    root = resolve_root(repo, args.repo_option)
    day = parse_as_of(args.as_of)
    memo = ParseMemo()  # files identical on both sides are parsed and checked once
    # A bar on standard error while a person watches the text output (not in CI).
    with progress.shown(format == "text" and (output is not None or sys.stdout.isatty())):
        before = load_revision(root, args.base, day, "BASE", memo)
        after = (
            load_worktree(root, day, memo=memo)
            if head is None
            else load_revision(root, head, day, "HEAD", memo)
        )
        changes = compare(before, after)
        parted = parted_note(root, before, after, memo)
        if parted is not None:  # first: it says how to read everything else
            changes.notes.insert(0, parted)
        collector.keep_to_exit((memo, before, after))  # not freed record by record at the end
    write_output(DIFF.renderer(format)(changes, args.full_report or _run_page()), output, root)
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
