"""Helpers every command shares: the repository, --as-of, output.

No Typer here (its declarations of the shared options are in
:mod:`aimsctl.cli.options`): `validate`, `report` and `diff` run these without
building the Typer app (:mod:`aimsctl.cli.plain`)."""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl.days import iso_date, meant_date
from aimsctl.errors import UsageError
from aimsctl.text import printable, read_as_zero, rounded_on_reading, rounding_refused

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aimsctl.diagnostics import Diagnostic
    from aimsctl.repository import Repository


# The environment variable --as-of reads when the option is not given.
AS_OF_VARIABLE = "AIMSCTL_AS_OF"


class FromVariable(str):
    """An option's value the plain reader (:mod:`aimsctl.cli.plain`) took from its
    environment variable, not from the command line: an error names the variable."""

    __slots__ = ()


def parse_as_of(value: str | None) -> date:
    """--as-of's date, today without one. A value that is not a date and came from
    AIMSCTL_AS_OF names the variable: '--as-of' alone sent the user looking for an
    option their command line does not have (and the option, when it was given: it
    wins over the variable, whatever text the two hold)."""
    if value is None:
        return date.today()
    try:
        return parse_date(value, "--as-of")
    except UsageError:
        if not _from_variable(value):
            raise
    return parse_date(value, AS_OF_VARIABLE)


def _from_variable(value: str) -> bool:
    """Whether --as-of's ``value`` came from its variable, as the plain reader and
    Typer's option (:data:`aimsctl.cli.options.AsOfOpt`) mark it."""
    return isinstance(value, FromVariable)


def parse_date(value: str, option: str) -> date:
    """A date option's value; UsageError (exit 2) unless it is a date written YYYY-MM-DD
    (as in the records: not 20270630, which Python would also read)."""
    day = iso_date(value.strip())
    if day is None:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip(), flags=re.ASCII):
            raise UsageError(f"{option} {value!r} is not a day of the calendar")
        raise UsageError(
            f"{option} {value!r} is not a date; write it YYYY-MM-DD{meant_date(value)}"
        )
    return day


# `due` and `status`: --within takes at most a hundred years of days.
WITHIN_MAX = 36500

_WHOLE = re.compile(r"[+-]?[0-9]+", flags=re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", flags=re.ASCII)
_COMMA_DECIMAL = re.compile(r"[+-]?[0-9]*,[0-9]+", flags=re.ASCII)


def parse_whole(
    value: str, option: str, least: int, most: int | None = None, *, example: int
) -> int:
    """A whole-number option's value (a count, a number of days): written in ASCII
    digits, from ``least`` to ``most``; UsageError (exit 2) in one sentence that says
    how to write it, in place of the parser's generic words."""
    text = value.strip()
    if not _WHOLE.fullmatch(text):
        raise UsageError(
            f"{option} {value!r} is not a whole number; write it in digits, e.g. {option} {example}"
        )
    number = int(text)
    if number < least or (most is not None and number > most):
        limits = f"{least} or more" if most is None else f"from {least} to {most}"
        raise UsageError(f"{option} must be {limits}, not {number}")
    return number


def parse_within(value: str) -> int:
    """--within: days after the as-of date, 0 to :data:`WITHIN_MAX`."""
    return parse_whole(value, "--within", 0, WITHIN_MAX, example=30)


def parse_decimal(value: str, option: str, *, example: str) -> float:
    """A decimal option's value (a share, a ratio), written with a decimal point; a
    comma (``0,8``, as many locales write it) or a percentage (``80%``) is refused
    (exit 2) saying how to write it. The range is the caller's to check."""
    from decimal import Decimal

    text = value.strip()
    if _DECIMAL.fullmatch(text):
        number = float(text)
        # Changed by reading, a limit could pass a ratio or share it was given to refuse.
        if read_as_zero(text, number):
            raise UsageError(
                f"{option} {value!r} is too close to zero to be held: it would be read as 0"
            )
        if (held := rounded_on_reading(text, number)) is not None:
            raise UsageError(rounding_refused(f"{option} {value!r}", held))
        return number
    if _COMMA_DECIMAL.fullmatch(text):
        raise UsageError(
            f"{option} {value!r} is not a number: write the decimals after a point, "
            f"as {text.replace(',', '.')}"
        )
    if text.endswith("%") and _DECIMAL.fullmatch(text[:-1].strip()):
        fraction = format((Decimal(text[:-1].strip()) / 100).normalize(), "f")
        raise UsageError(
            f"{option} {value!r} is a percentage: write it as a fraction of one, as {fraction}"
        )
    raise UsageError(
        f"{option} {value!r} is not a number; write it as a decimal, e.g. {option} {example}"
    )


# What is said when the current folder is gone (deleted, or moved away, while the
# shell was in it): the system's own words ("No such file or directory") name no file.
CWD_GONE = (
    "the current folder no longer exists (it was deleted or moved away); "
    "cd to a folder that exists, or give absolute paths"
)


def cwd_gone() -> bool:
    """Whether the current folder no longer exists."""
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


def check_relative(path: Path) -> None:
    """UsageError (:data:`CWD_GONE`) when ``path`` is relative to a current folder that
    no longer exists: the write would otherwise fail naming the path, not the cause."""
    if not path.is_absolute() and cwd_gone():
        raise UsageError(CWD_GONE)


def resolve_root(repo: Path | None, repo_option: Path | None) -> Path:
    from aimsctl.loader import find_root
    from aimsctl.text import printable

    chosen = repo or repo_option
    if (chosen is None or not chosen.is_absolute()) and cwd_gone():
        raise UsageError(CWD_GONE)
    if repo is not None and repo_option is not None and repo.resolve() != repo_option.resolve():
        raise UsageError("give the repository either as REPO or as --repo, not both")
    start = chosen or Path.cwd()
    try:
        if chosen is not None and not chosen.exists():
            shown = printable(str(chosen))
            if shown.strip() != shown or not shown or shown.startswith("-"):
                shown = f"the repository {shown!r}"  # blank, or read as an option
            raise UsageError(f"{shown}: no such file or folder")
        return find_root(start)
    except OSError as error:  # a name too long, a symbolic link loop, no permission
        raise UsageError(
            f"{printable(str(start))}: cannot be used as the repository: {error.strerror or error}"
        ) from None


def repository_words(repo: Path | None, repo_option: Path | None) -> str:
    """The repository as the command line gave it (``nw``, ``--repo 'my aims'``), for a
    command a hint suggests to be run from the same folder; "" where none was given or
    it is the current folder, as there the command finds it again. Quoted as a shell
    reads it, and never read as an option (``-x`` is ``./-x``); the output that shows
    it makes it printable."""
    chosen = repo or repo_option
    if chosen is None:
        return ""
    try:
        if chosen.resolve() == Path.cwd().resolve():
            return ""
    except OSError:  # the current folder gone, a link loop: name it as given
        pass
    shown = shell_word(str(chosen))
    return shown if repo is not None else f"--repo {shown}"


def shell_word(path: str) -> str:
    """``path`` as one word of a command to paste into a shell: quoted as a shell reads
    it, never read as an option (``-x`` is ``./-x``), and printable."""
    import shlex

    typed = f"./{path}" if path.startswith("-") else path
    shown = shlex.quote(typed)
    if printable(shown) != shown:  # a line break, a tab, an invisible character
        shown = _ansi_c_quoted(typed)
    return shown


_C_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _ansi_c_quoted(text: str) -> str:
    """``text`` as bash and zsh read ``$'...'``: every character that would not show as
    itself (and the quote and backslash) written as the escapes of its UTF-8 bytes
    (``\\xe2\\x80\\x8f``; a byte of a name that is not UTF-8 as itself), which read the
    same in every locale, so the command shown is the one that runs when pasted."""
    out = []
    for char in text:
        if char in "\\'":
            out.append("\\" + char)
        elif char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
        elif printable(char) == char and char.isprintable():
            out.append(char)
        else:
            raw = char.encode("utf-8", "surrogateescape")
            out.append("".join(f"\\x{byte:02x}" for byte in raw))
    return "$'" + "".join(out) + "'"


def out_folder(value: str | None, option: str = "--out") -> Path | None:
    """The folder an ``--out`` option names (``-`` kept as it is: each command says what
    standard output means for it). UsageError (exit 2) when the value is blank, as
    ``--out "$REPORTS"`` with the variable unset gives: an empty name is the current
    folder, and the files went there (into the repository, run from its root); and
    when it names a file."""
    if value is None:
        return None
    if not value.strip():
        raise UsageError(
            f"{option} is empty: name the folder to write to (. for the current folder)"
        )
    out = Path(value)
    if value != "-" and out.exists() and not out.is_dir():
        from aimsctl.text import printable

        raise UsageError(f"{option} {printable(value)}: is a file, not a folder")
    return out


def names_existing(name: str, *, folder: bool = False) -> bool:
    """Whether an argument that may also be an id or a revision names an existing
    path (a folder, with ``folder``); a name the system refuses to look up (too
    long, say) names none, and is taken for the id or revision. An empty argument
    names none either (``Path("")`` is the current folder, which nobody named): it
    is the id or revision given, and refused as such (`aimsctl new Risk ''`)."""
    if not name:
        return False
    try:
        return Path(name).is_dir() if folder else Path(name).exists()
    except OSError:
        return False


def open_repository(repo: Path | None, repo_option: Path | None, as_of: str | None) -> Repository:
    """The working tree's repository, loaded as validate loads it, through its caches
    (:mod:`aimsctl.cache`): a file whose bytes a run parsed before is not parsed again
    (the per-file cache), and a committed file is not read from git and parsed again
    for the dates taken from history (the history cache). The answer is the one a load
    without them gives; where the cache folder is unusable there is none, and every
    file is parsed, as before. The caches are only read, as `report` reads them:
    `validate` alone writes them, so these commands write nothing anywhere."""
    from aimsctl import collector

    with collector.importing():  # the record models, without collections (see there)
        from aimsctl.cache import FileCache, HistoryCache
        from aimsctl.repository import load_repository

    root, day = resolve_root(repo, repo_option), parse_as_of(as_of)
    # Files are parsed on two cores where that pays, as validate and report parse them
    # (status and due at 10,000 records: about 0.4 s less).
    files = FileCache(root)
    if files.path is None:
        repository = load_repository(root, day, two_cores=True)
    else:
        repository = load_repository(root, day, parsed=files, two_cores=True)
        repository.history_memo = HistoryCache(root)
    collector.keep_to_exit(repository)  # the command's one repository, not freed at its end
    return repository


def named(values: list[str] | None, option: str, what: str) -> list[str]:
    """:func:`comma_list` of a filter option, refusing (exit 2) a value that names
    nothing (``--system "$SYSTEM"`` with the variable unset, or ``,``): dropped, it
    would leave the filter out and widen the output to everything. ``what`` says what
    to name (``the system whose monitors to check``)."""
    from aimsctl.text import comma_list

    if any(not comma_list([value]) for value in values or []):
        raise UsageError(f"{option} is blank: name {what}, or leave {option} out")
    return comma_list(values or [])


def use_color() -> bool:
    """Whether what goes to standard output is coloured: the one answer for every
    command that colours (validate's text, status, risk score and matrix).

    Only on a terminal: piped or redirected the text stays plain, whatever
    FORCE_COLOR says (the contract wants stable text there). NO_COLOR turns colour
    off when it holds a value; an empty one is as unset (no-color.org), where it
    turned colour off. TERM=dumb (or unknown) is a terminal that shows none, as
    Rich reads it: validate coloured its lines there while the tables did not."""
    from aimsctl.outputs.terminal import dumb_terminal

    if not sys.stdout.isatty() or os.environ.get("NO_COLOR", ""):
        return False
    return not dumb_terminal()


def refuse_planted_links(root: Path, target: Path, option: str) -> None:
    """UsageError (exit 2) when ``target``, a file or folder an option names, lies in
    the repository at ``root`` and it, or a folder on the way to it, is a symbolic
    link, or it lies in the repository's `.git`: a link committed there would send
    what is written where it leads (outside the repository, over other files), and
    `.git` holds git's own files. A place outside the repository is the user's."""
    from aimsctl.text import printable

    base = Path(os.path.abspath(root))
    try:
        parts = Path(os.path.abspath(target)).relative_to(base).parts
    except ValueError:
        return
    if parts and parts[0] == ".git":
        raise UsageError(
            f"{option} {printable(str(target))}: is in the repository's .git folder, which "
            "holds git's own files; nothing was written"
        )
    here = base
    for part in parts:
        here = here / part
        try:
            if not here.is_symlink():
                continue
        except OSError:
            return  # the write says why it cannot be made
        shown = printable(here.relative_to(base).as_posix())
        raise UsageError(
            f"{option} {printable(str(target))}: {shown} is a symbolic link in the "
            "repository, and a link committed there would send the files where it leads; "
            "name the real folder. Nothing was written"
        )


def write_output(text: str, output: Path | None, root: Path | None = None) -> None:
    """Write to --output (atomically) or to stdout (no --output, or ``-``, as report's
    ``--out -``: never a file named ``-`` in the current folder). No YAML file in the
    repository at ``root`` is written: an existing one (a record file, aims.yaml, a
    draft) would be lost, and a new one would be read as records by the next run."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from aimsctl.fileio import write_atomic
    from aimsctl.loader import YAML_SUFFIXES
    from aimsctl.text import printable

    check_relative(output)
    if output.is_dir():  # `--output=` too: an empty name is the current folder
        raise UsageError(f"cannot write {output}: it is a folder; give --output a file name")
    if root is not None:
        refuse_planted_links(root, output, "--output")
    if (
        root is not None
        # `report.YAML` too: the next validate refuses a YAML suffix in capitals (AIMS008)
        and output.name.lower().endswith(YAML_SUFFIXES)
        and output.resolve().is_relative_to(root.resolve())
    ):
        raise UsageError(
            f"cannot write {printable(str(output))}: it is a YAML file of the repository "
            "(a record or aims.yaml would be replaced; a new one would be read as "
            "records); give --output another file"
        )
    try:
        write_atomic(output, text, into_streams=True)
    except OSError as error:
        if isinstance(error, BrokenPipeError) and _is_standard_output(output):
            raise  # `--output /dev/stdout | head -1`: its reader went away (exit 141)
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None


def _is_standard_output(path: Path) -> bool:
    """Whether ``path`` is the file standard output writes to (``/dev/stdout``,
    ``/dev/fd/1``, or the pipe under another name)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def warn_left_out(files: tuple[str, ...], what: str) -> None:
    """On stderr, the files whose records failed validation and so are missing from
    the output (``what`` says what of theirs is missing): a short list never passes
    for a complete one."""
    if not files:
        return
    from aimsctl.text import failed_places, printable

    shown = ", ".join(printable(path) for path in files)
    print(
        f"aimsctl: warning: {failed_places(files)}, whose {what}: {shown}; run aimsctl validate",
        file=sys.stderr,
    )


def refuse_invalid(problems: Sequence[Diagnostic], refusal: str, root: Path) -> None:
    """On stderr, each validation error of the repository at ``root`` as `validate`
    prints it from the current folder, and then why the command stops (``refusal``
    says what is not made while validation finds errors, and how to go on)."""
    from aimsctl.outputs.validation.text import lines_from_here
    from aimsctl.text import plural

    for shown in lines_from_here(list(problems), str(root)):
        print(shown, file=sys.stderr)
    print(
        f"aimsctl: error: {plural(len(problems), 'validation error')}; {refusal}",
        file=sys.stderr,
    )


def validate_command(repo: Path | None, repo_option: Path | None, day: date) -> str:
    """The `aimsctl validate` that reports, run from the current folder, the errors a
    command refused on: the repository as it was given and the day it checked."""
    given = repository_words(repo, repo_option)
    return " ".join(filter(None, ["aimsctl validate", given, f"--as-of {day.isoformat()}"]))
