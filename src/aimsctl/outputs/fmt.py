"""What `aimsctl fmt` prints: the diffs and verdicts of a check, the files written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aimsctl.text import plural, printable
from aimsctl.writing import split_lines

if TYPE_CHECKING:
    from aimsctl.authoring.fmt import Outcome


def check_text(outcome: Outcome) -> str:
    """`--check`: each change as a diff, each file that would change, and the count."""
    lines = [
        _diff_line(line)
        for change in outcome.changes
        for line in split_lines(change.diff(outcome.shown[change.path]), keepends=True)
    ]
    lines += [f"would reformat {printable(outcome.shown[c.path])}\n" for c in outcome.changes]
    total = len(outcome.changes) + outcome.unchanged
    if outcome.changes:
        lines.append(
            f"{plural(len(outcome.changes), 'file')} would be reformatted, "
            f"{outcome.unchanged} of {plural(total, 'file')} already formatted; "
            "run `aimsctl fmt` to format them\n"
        )
    else:
        lines.append(f"{plural(total, 'file')} already formatted\n")
    return "".join(lines)


def _diff_line(line: str) -> str:
    """A line of the diff as the file holds it where that is harmless, so that `git
    apply` takes the diff: tabs and a CR LF ending stay (escaped, the diff of a CRLF or
    tab-indented comment could not be applied); every other control character, a lone
    CR included, is escaped or ends the line as LF."""
    body = line.rstrip("\r\n")
    return printable(body, keep="\t") + ("\r\n" if line.endswith("\r\n") else "\n")


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
