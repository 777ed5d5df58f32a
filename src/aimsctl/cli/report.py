"""`aimsctl report`: audit-ready Markdown or HTML reports, written to one folder.

The reports are views of the one Repository: they refuse to render while
validation finds errors (unless --force, which the reports then announce),
render the same bytes for the same input, write atomically and only the fixed
file names inside --out, and with --check compare instead of writing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aimsctl.cli.common import AsOfOpt, RepoArg, RepoOpt
from aimsctl.errors import UsageError
from aimsctl.text import plural

if TYPE_CHECKING:
    from datetime import date

    from aimsctl.diagnostics import Diagnostic
    from aimsctl.reports import Provenance
    from aimsctl.repository import Repository

REPORT_NAMES = ("soa", "inventory", "risks", "impact", "systems", "all")
FORMAT_NAMES = ("md", "html")


def report(
    name: Annotated[
        str,
        typer.Argument(
            metavar="REPORT",
            help="soa, inventory, risks, impact, systems, or all (every report and an index).",
            show_default=False,
        ),
    ],
    repo: RepoArg = None,
    repo_option: RepoOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="md (Markdown) or html (one file per report).")
    ] = "md",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder to write the reports to (created if missing). Required.",
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="REV",
            help="Report the records as they were at this git revision (read from git; "
            "the working tree is not touched).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 and list the files in --out that are missing or "
            "differ from a fresh render (the commit named in the provenance is ignored).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Render even though validation finds errors; every report then opens "
            "with a warning listing them.",
        ),
    ] = False,
) -> int:
    """Render the Statement of Applicability, inventory, risk register, impact
    assessments or system documentation as Markdown or self-contained HTML.

    Exit 0 when written (or, with --check, up to date); 1 when validation finds
    errors (without --force) or --check finds stale reports; 2 for bad options,
    an unusable repository, git revision, template or output folder.
    """
    from aimsctl.cli.common import parse_as_of, resolve_root
    from aimsctl.reports import NAMES, file_name, for_check, render_reports

    _choose("report", name, REPORT_NAMES)
    _choose("--format", format, FORMAT_NAMES)
    if out is None:
        raise UsageError("--out DIR is required: the folder the reports are written to")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file, not a folder")
    root = resolve_root(repo, repo_option)
    day = parse_as_of(as_of)
    repository, provenance = _load(root, day, at)

    problems = _errors(repository)
    if problems and not force:
        for diagnostic in problems:
            print(_line(diagnostic), file=sys.stderr)
        print(
            f"aimsctl: error: {plural(len(problems), 'validation error')}; reports are "
            "not rendered from invalid records. Fix them (`aimsctl validate`), or pass "
            "--force to render anyway with a warning in every report.",
            file=sys.stderr,
        )
        return 1

    names = list(NAMES) if name == "all" else [name]
    rendered = render_reports(
        repository,
        names,
        format,
        for_check(provenance) if check else provenance,
        out=out,
        problems=[_line(d) for d in problems],
        index=name == "all",
    )
    expected = {file_name(n, format) for n in [*names, "index"]}
    assert set(rendered) <= expected  # only the fixed file names are ever written
    if check:
        return _check(out, rendered)
    return _write(out, rendered)


def _choose(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        from aimsctl.validation_messages import did_you_mean

        hint = did_you_mean(value, list(choices))
        raise UsageError(f"{option} {value!r} is not one of {', '.join(choices)}{hint}")


def _line(d: Diagnostic) -> str:
    record = f" [{d.record}]" if d.record else ""
    return f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} {d.message}{record}"


def _errors(repository: Repository) -> list[Diagnostic]:
    from aimsctl.diagnostics import Severity
    from aimsctl.engine import run

    return [d for d in run(repository).diagnostics if d.severity is Severity.ERROR]


def _load(root: Path, day: date, at: str | None) -> tuple[Repository, Provenance]:
    """The repository (working tree, or a git revision) and where it came from."""
    from aimsctl import gitio
    from aimsctl.errors import GitError
    from aimsctl.loader import CONFIG_FILE
    from aimsctl.reports import Provenance
    from aimsctl.repository import load_repository
    from aimsctl.revision import repository_at

    if at is None:
        repository = load_repository(root, day)
        try:
            sha, dirty = gitio.head_state(root)
            commit = Provenance.commit_text(sha, dirty)
        except GitError:
            commit = Provenance.commit_text(None, False, git=False)
    else:
        # Every file, not only the YAML: the repository's own report templates too.
        sha, found = repository_at(root, at, day, suffixes=None)
        if found is None:
            raise UsageError(
                f"--at {at}: the governance repository at {root} has no {CONFIG_FILE} in "
                f"commit {sha}"
            )
        repository, commit = found, sha
    config = repository.config
    return repository, Provenance(config.organization, config.scope, day, commit)


def _check(out: Path, rendered: dict[str, str]) -> int:
    from aimsctl.reports import same_report

    stale: list[str] = []
    for file, text in rendered.items():
        path = out / file
        if path.exists() and not path.is_file():  # a folder or a pipe: never read it
            stale.append(f"{path}: differs (not a regular file)")
            continue
        try:
            existing = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            stale.append(f"{path}: missing")
            continue
        except UnicodeDecodeError:
            stale.append(f"{path}: differs (not UTF-8 text)")
            continue
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
        if not same_report(existing, text):
            stale.append(f"{path}: differs")
    if stale:
        print("\n".join(stale))
        print(
            f"{plural(len(stale), 'report')} out of date; run the same command "
            "without --check to write them"
        )
        return 1
    print(f"{plural(len(rendered), 'report')} up to date in {out}")
    return 0


def _write(out: Path, rendered: dict[str, str]) -> int:
    from aimsctl.fileio import write_atomic

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"--out {out}: cannot create the folder: {error.strerror or error}"
        ) from None
    written = unchanged = 0
    for file, text in rendered.items():
        path = out / file
        data = text.encode("utf-8")
        try:
            if path.is_file() and path.read_bytes() == data:
                unchanged += 1
                continue
            write_atomic(path, data)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        written += 1
        print(f"wrote {path}")
    print(f"{plural(written, 'report')} written, {unchanged} unchanged, in {out}")
    return 0
