"""`aimsctl new`: write a new record of any kind, ready to fill in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimsctl.cli.options import AsOfOpt, RepoOpt

if TYPE_CHECKING:
    from aimsctl.authoring.new import Draft


def new(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="The kind of record: AISystem, Risk, ImpactAssessment, Control, Waiver, "
            "Evaluation, Monitor, Incident, Policy, Role, Objective, InternalAudit, "
            "ManagementReview or Nonconformity (any letter case; `risk` and `risks` work).",
            show_default=False,
        ),
    ],
    record_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="The new record's id (default: the next free one in the repository's "
            "numbering for the kind, e.g. R-026 after R-025).",
            show_default=False,
        ),
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Argument(
            metavar="REPO",
            help="Governance repository (default: the current folder or the nearest parent "
            "holding aims.yaml).",
            show_default=False,
        ),
    ] = None,
    repo_option: RepoOpt = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="Give a field its value (repeatable): --set title='Chat assistant', "
            "--set systems=SYS-HIRE, --set inherent.likelihood=4, --set tags='[a, b]'.",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input", help="Never prompt, even in a terminal: flags and placeholders only."
        ),
    ] = False,
    as_of: AsOfOpt = None,
) -> int:
    """Write a new record with every required field: what only you can write is a
    `TODO:` placeholder (validate reports each one), allowed values are listed in a
    comment beside the field. Prints the new file's path.

    In a terminal, asks for each required field (Enter keeps the value shown); with
    --no-input or when not in a terminal, only --set and the defaults are used, and
    what no default can stand for must come from --set (a Waiver's rule, a measured
    value, a risk's rating before treatment, an incident's severity, a Monitor's
    threshold, an auditor's independence, the day a review was held, an evaluation
    performed or an incident happened and was detected). The
    record is checked before it is written, and nothing is ever overwritten. Exit 0;
    2 when the id or the file exists, an option is wrong, or a question is left
    unanswered (Ctrl-D), and then nothing is written.

    \b
    Example:
      aimsctl new Risk --set systems=SYS-HIRE --set title='Ranking favours past hires' \\
        --set inherent.likelihood=Likely --set inherent.severity=Major
    """
    from aimsctl.authoring.fmt import shown_path
    from aimsctl.authoring.new import make
    from aimsctl.cli.common import names_existing, open_repository
    from aimsctl.outputs.validation.text import lines_from_here
    from aimsctl.text import printable
    from aimsctl.writing import commit

    if repo is None and record_id is not None and names_existing(record_id, folder=True):
        repo, record_id = Path(record_id), None  # `aimsctl new Risk my-aims`
    repository = open_repository(repo, repo_option, as_of)
    # A closed standard input (`<&-`) is None: nobody to ask, as without a terminal.
    interactive = (
        not no_input and sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    )
    made = make(repository, kind, record_id, list(assignments or []), _ask if interactive else None)
    commit(made.change)
    print(printable(shown_path(made.change.path)))
    if made.findings:
        print(
            f"{made.record_id}: what is left to do (aimsctl validate reports it):", file=sys.stderr
        )
        for finding in lines_from_here(made.findings, str(repository.root)):
            print(f"  {finding}", file=sys.stderr)
    return 0


def _ask(draft: Draft, name: str, note: str, current: Any) -> Any:
    from aimsctl.authoring.new import coerce, field_info
    from aimsctl.errors import UsageError

    info = field_info(draft.model, [name])
    label = f"{name} ({note})" if note else name
    shown = None if current is None else _shown(current)
    while True:
        if current is None:  # nothing to keep: an answer is needed (Enter asks again)
            answer = _prompt(name, label)
        else:
            answer = _prompt(name, label, default=shown, show_default=True)
            if answer == shown:
                return current
        if info is None:
            return answer
        try:
            return coerce(info, answer)
        except UsageError as error:  # a list typed with a bracket missing
            print(f"{error}; type it again", file=sys.stderr)


def _prompt(name: str, label: str, **options: Any) -> str:
    """The answer typed at ``label``, asked again while it is not UTF-8 text: a record
    holds UTF-8 only, and such bytes (a Latin-1 terminal's 'é') ended the run in an
    internal error, exit 3, kept as surrogates or refused by a strict decoder.

    Standard input ending at the prompt (Ctrl-D) is no answer: exit 2, as a field
    missing without a terminal, and nothing written. Typer turns it into the Abort
    of Ctrl-C, which ended the run as "interrupted", exit 130."""
    from aimsctl.errors import UsageError
    from aimsctl.text import is_text

    while True:
        try:
            answer = str(typer.prompt(label, **options))
        except UnicodeDecodeError:
            answer = None
        except typer.Abort as abort:
            # Typer raises Abort "from None": the EOFError it replaced is its context.
            if not isinstance(abort.__context__, EOFError):
                raise
            print(file=sys.stderr)  # the prompt's line was left open
            raise UsageError(
                f"no answer for {name}: standard input ended (Ctrl-D); nothing was "
                "written. Answer each question, or give the values with --set and --no-input"
            ) from None
        if answer is not None and is_text(answer):
            return answer
        print("that answer is not UTF-8 text; type it again", file=sys.stderr)


def _shown(value: Any) -> str:
    from aimsctl.writing import dump_all, to_round_trip

    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return dump_all([to_round_trip(value, flow=True)]).strip().removesuffix("...").strip()
