"""`aimsctl soa sync`: a placeholder decision for every Annex A control not yet recorded."""

from __future__ import annotations

from typing import Annotated

import typer

from aimsctl.cli.options import AsOfOpt, RepoArg, RepoOpt

app = typer.Typer(
    name="soa",
    help="Keep the Statement of Applicability complete.\n\n"
    "\b\nExample:\n  aimsctl soa sync examples/northwind --check",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.command("sync")
def sync(
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 when a control is missing or no longer in the catalogue.",
        ),
    ] = False,
) -> int:
    """Add a placeholder decision for every Annex A control the repository lacks (in
    catalogue order, in the file that holds its Annex A controls; a file of its own
    where they are kept one per file named by id), and report controls
    the catalogue no longer has. A control already recorded is never touched; the
    placeholders are reported by validate (AIMS107) until they are decided.

    \b
    Example:
      aimsctl soa sync --check
    """
    from aimsctl.authoring.soa_sync import plan
    from aimsctl.catalog import standard
    from aimsctl.cli.common import open_repository
    from aimsctl.text import plural, printable
    from aimsctl.writing import commit_all

    repository = open_repository(repo, repo_option, as_of)
    result = plan(repository)
    if result.added and result.writes:
        if check:
            print(f"missing from the Statement of Applicability: {', '.join(result.added)}")
        else:
            commit_all([written.change for written in result.writes])  # all or none
            for written in result.writes:
                print(
                    f"added {plural(len(written.added), 'placeholder decision')} to "
                    f"{printable(written.rel)}: {', '.join(written.added)}; decide each "
                    "(aimsctl validate lists them)"
                )
    for item in result.obsolete:
        renamed = f" (now {item.renamed})" if item.renamed else ""
        print(
            f"{printable(item.path)}: {item.id} is not an Annex A control of "
            f"{standard()}{renamed}; remove or rename it"
        )
    if result.invalid:
        print(
            f"not valid, so not a decision: {', '.join(result.invalid)} (aimsctl validate says why)"
        )
    if result.drafted:
        print(
            f"only in a file aims.yaml excludes (a draft), so no placeholder was added: "
            f"{', '.join(result.drafted)}; move the draft in, or delete it"
        )
    for control_id, spelt in result.spelt_otherwise:
        print(
            f"{control_id}: no placeholder was added, as the record {spelt!r} differs from it "
            "in letter case only (AIMS211); if it is meant as this control, write its id as "
            "the catalogue does"
        )
    pending = result.obsolete or result.invalid or result.drafted or result.spelt_otherwise
    if not result.added and not pending:
        if result.undecided:
            # A placeholder is a record, not a decision: `aimsctl controls` counts it
            # undecided, and validate reports it (AIMS107).
            print(
                f"every Annex A control has a record; "
                f"{plural(len(result.undecided), 'placeholder')} still to decide: "
                f"{', '.join(result.undecided)} (aimsctl validate lists them)"
            )
        else:
            print("every Annex A control has a decision on record")
    return 1 if check and (result.added or pending) else 0
