"""What `aimsctl fmt` prints: the diffs and verdicts of a check, the files written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimsctl.text import beyond_yaml_escaped, plural, printable
from aimsctl.writing import split_lines

if TYPE_CHECKING:
    from aimsctl.authoring.fmt import Outcome


def check_text(outcome: Outcome, rerun: str, terminal: bool = False) -> str:
    """`--check`: each change as a diff, each file that would change, and the count,
    with ``rerun``, the command that formats them from the current folder. The diff
    holds each file's own text, so that `git apply` and `patch` take it
    (:func:`_diff_line`); shown on a ``terminal``, a character that shows as nothing
    is escaped instead, so that what is seen is what is there."""
    lines = [
        _diff_line(line, terminal)
        for change in outcome.changes
        for line in split_lines(change.diff(outcome.shown[change.path]), keepends=True)
    ]
    lines += [f"would reformat {printable(outcome.shown[c.path])}\n" for c in outcome.changes]
    total = len(outcome.changes) + outcome.unchanged
    if outcome.changes:
        lines.append(
            f"{plural(len(outcome.changes), 'file')} would be reformatted, "
            f"{outcome.unchanged} of {plural(total, 'file')} already formatted; "
            f"run `{printable(rerun)}` to format them\n"
        )
    else:
        lines.append(f"{plural(total, 'file')} already formatted\n")
    return "".join(lines)


def _diff_line(line: str, terminal: bool) -> str:
    """A line of the diff as the file holds it, so that `git apply` and `patch` take
    the diff: a byte-order mark, a zero-width space, LS, PS and NEL, tabs and a CR LF
    ending stay (escaped, the context line no longer matched the file, and the diff
    could not be applied). What no YAML file can hold (in a file name) is escaped, a
    lone CR included, or ends the line as LF: no escape sequence reaches a terminal.
    On a ``terminal`` (:func:`aimsctl.text.printable`), read by a person, not by
    `patch`, every other character that shows as nothing is escaped too, tabs kept."""
    body = line.rstrip("\r\n")
    shown = printable(body, keep="\t") if terminal else beyond_yaml_escaped(body, keep="\t")
    return shown + ("\r\n" if line.endswith("\r\n") else "\n")


def reformatted_line(shown: str) -> str:
    """Said as each file is written, so that what was written is said if the run stops."""
    return f"reformatted {printable(shown)}\n"


def written_summary(written: int, unchanged: int) -> str:
    return f"{plural(written, 'file')} reformatted, {plural(unchanged, 'file')} left unchanged\n"


def problem_lines(outcome: Outcome) -> str:
    """Each file that could not be formatted, as error lines for standard error."""
    return "".join(
        f"aimsctl: error: {printable(line)}\n"
        for problem in outcome.problems
        for line in problem.split("\n")
    )
