"""`aimsctl risk`: the scored risk register, the likelihood x severity matrix, one risk explained.

The commands only parse options: :mod:`aimsctl.risk_register` chooses and sorts
the risks, :mod:`aimsctl.outputs.risk` renders them in the format asked for
(:mod:`aimsctl.formats`). Every number shown comes from the one scoring engine, so
the register, the matrix and the explanation never disagree about a risk.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from aimsctl.cli.common import use_color
from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt
from aimsctl.formats import RISK_MATRIX, RISK_SCORE

if TYPE_CHECKING:
    from aimsctl.repository import Repository

app = typer.Typer(
    name="risk",
    help="Score the AI risk register: bands, appetite, acceptance and system tiers.\n\n"
    "\b\nExample:\n  aimsctl risk score examples/northwind --as-of 2026-11-26",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _load(repo: RepoArg, repo_option: RepoOpt, as_of: AsOfOpt) -> Repository:
    """The repository; invalid records are skipped with one line on stderr."""
    from aimsctl.cli.common import open_repository
    from aimsctl.risk_register import load_warnings

    repository = open_repository(repo, repo_option, as_of)
    for warning in load_warnings(repository):
        print(f"aimsctl: warning: {warning}", file=sys.stderr)
    return repository


@app.command("score")
def score(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system",
            help="Only risks of these systems (repeat the option or separate ids with commas).",
            show_default=False,
        ),
    ] = None,
    band: Annotated[
        list[str] | None,
        typer.Option(
            "--band",
            help="Only risks whose current band (see risk show) is one of these (repeat the "
            "option or separate bands with commas).",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            # The statuses of aimsctl.records.risk.RiskStatus (a test keeps them in step):
            # importing the models here would slow down every `aimsctl --help`.
            help="Only risks with one of these statuses: open, treating, monitoring, closed "
            "(repeat the option or separate them with commas).",
            show_default=False,
        ),
    ] = None,
    above_appetite: Annotated[
        bool,
        typer.Option("--above-appetite", help="Only risks whose current band exceeds appetite."),
    ] = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="score (current score, highest first), inherent, residual, or id.",
        ),
    ] = "score",
    format: Annotated[str, typer.Option("--format", "-f", help=f"{RISK_SCORE.help}.")] = "table",
) -> None:
    """The risk register scored: inherent and residual bands, appetite, acceptance, tiers.

    \b
    Example:
      aimsctl risk score examples/northwind --system SYS-HIRE --as-of 2026-11-26
    """
    from aimsctl.risk_register import SORT, chosen_bands, register

    RISK_SCORE.check(format)
    SORT.check(sort)
    from aimsctl.cli.common import named

    systems = named(system, "--system", "the system whose risks to list")
    statuses = named(status, "--status", "the status of the risks to list")
    named(band, "--band", "the band of the risks to list")
    repository = _load(repo, repo_option, as_of)
    bands = chosen_bands(repository, band or [])
    chosen = register(repository, systems, bands, statuses, above_appetite, sort)
    sys.stdout.write(RISK_SCORE.renderer(format)(chosen, sys.stdout.isatty(), use_color()))


@app.command("matrix")
def matrix(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    residual: Annotated[
        bool,
        typer.Option(
            "--residual",
            help="Only the grid of risks at their current position: the residual once the "
            "treatment is in place (or, with residual_credit: planned, as soon as it is "
            "written), else inherent. Without it, the inherent grid comes first.",
        ),
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help=f"{RISK_MATRIX.help}.")] = "text",
) -> None:
    """The likelihood x severity grid with the number of open risks in each cell: at
    their inherent position, then at their current one (residual once in place).

    \b
    Example:
      aimsctl risk matrix examples/northwind --residual --as-of 2026-11-26
    """
    from aimsctl.risk_register import matrix as grid

    RISK_MATRIX.check(format)
    repository = _load(repo, repo_option, as_of)
    cells = grid(repository, residual)
    sys.stdout.write(RISK_MATRIX.renderer(format)(cells, sys.stdout.isatty(), use_color()))


@app.command("show")
def show(
    risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk's id.")],
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Explain one risk's score in words: levels, uplift, band, appetite, acceptance.

    \b
    Example:
      aimsctl risk show R-007 examples/northwind --as-of 2026-11-26
    """
    from aimsctl.outputs.risk import explanation
    from aimsctl.risk_register import find_risk

    repository = _load(repo, repo_option, as_of)
    sys.stdout.write(explanation(repository, find_risk(repository, risk_id)))


@app.command("accept")
def accept(
    risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk's id.")],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="WHO",
            help="Who accepts the risk: a Role id or holder.",
            show_default=False,
        ),
    ],
    until: Annotated[
        str,
        typer.Option(
            "--until",
            metavar="DATE",
            help="When the acceptance expires (YYYY-MM-DD).",
            show_default=False,
        ),
    ],
    rationale: Annotated[
        str,
        typer.Option("--rationale", metavar="TEXT", help="Why it is accepted.", show_default=False),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The day of the acceptance (default: the as-of date).",
            show_default=False,
        ),
    ] = None,
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Record the formal acceptance of a risk above the appetite, in place (comments kept).

    Refused, with the file left as it was (exit 1), when the risk is not valid or
    closed, a date is impossible, WHO does not hold a designated role where Roles are
    recorded, or the repository would get an error it does not have now.

    \b
    Example:
      aimsctl risk accept R-007 --by chief-risk-officer --until 2027-06-30 --rationale "Retrain"
    """
    from aimsctl.authoring.signoff import accept_risk
    from aimsctl.cli.common import open_repository, parse_date
    from aimsctl.text import printable
    from aimsctl.writing import commit

    repository = open_repository(repo, repo_option, as_of)
    expires = parse_date(until, "--until")
    done = accept_risk(
        repository,
        risk_id,
        by,
        expires,
        rationale,
        parse_date(on, "--on") if on is not None else None,
    )
    commit(done.change)
    for note in done.notes:
        print(f"aimsctl: note: {note}", file=sys.stderr)
    # What was written: --by stripped (escaped for the terminal), --until as a date.
    print(f"{risk_id} accepted by {printable(by.strip())} until {expires} ({done.rel})")
