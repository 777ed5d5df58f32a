"""A file's documents as plain data, with every problem found on the way, within
the budget of values one run may read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from aimsctl import codes, collector
from aimsctl.yamlsafe.file_checks import conflict_markers, other_yaml_version
from aimsctl.yamlsafe.limits import (
    MAX_ALIAS_VALUES,
    MAX_FILE_VALUES,
    MAX_NODES,
    MAX_RUN_VALUES,
    TOO_DEEP,
)
from aimsctl.yamlsafe.problems import Problem, YamlProblem, node_position
from aimsctl.yamlsafe.reading import Reading
from aimsctl.yamlsafe.walker import Spent, Walker

FILE_SPENT = (
    f"file holds more than {MAX_FILE_VALUES} values in all its documents, counted with "
    "aliases expanded (an alias bomb or an oversized file); the rest of the file is not "
    "read; split it into several files or remove the aliases"
)
_RUN_SPENT = (
    f"the files read so far hold more than {MAX_RUN_VALUES} values in all, counted with "
    "aliases expanded, the most one run reads; the rest of this file and the files after "
    "it are not read; exclude generated or oversized files in aims.yaml, or remove aliases"
)
_ALIASES_SPENT = (
    f"aliases (*name) expand to more than {MAX_ALIAS_VALUES} values in the files read so "
    "far, the most one run reads (an alias bomb); the rest of the file is not read; write "
    "the values out instead of repeating them through aliases"
)


@dataclass(slots=True)
class Budget:
    """What one run may still read, shared by all the files it parses.

    ``values`` is what is left of MAX_RUN_VALUES (values visited, aliases expanded)
    and ``aliased`` of MAX_ALIAS_VALUES (those reached through aliases). ``spent``
    turns true when a file ran out of ``values``: read no more files after it.
    """

    values: int = MAX_RUN_VALUES
    aliased: int = MAX_ALIAS_VALUES
    spent: bool = False


@dataclass(slots=True)
class ParsedDocument:
    index: int
    data: Any
    line: int
    column: int


@dataclass(slots=True)
class ParseResult:
    documents: list[ParsedDocument]
    problems: list[Problem]
    read: int = 0  # documents composed, those with problems included


def parse(text: str, budget: Budget | None = None) -> ParseResult:
    """All documents of a file as plain data, plus every problem found on the way.

    Reading stops where the file's budget of values runs out, or what is left of
    the run's (``budget``; a fresh one when None): the documents before are kept,
    the rest of the file is not read, and one problem says where it stopped.
    """
    declared = other_yaml_version(text) or conflict_markers(text)
    if declared is not None:
        return ParseResult([], [declared], 0)
    run = Budget() if budget is None else budget
    by_run = run.values < MAX_FILE_VALUES
    left = max(min(MAX_FILE_VALUES, run.values), 0)
    reading = Reading(text, left, _RUN_SPENT if by_run else FILE_SPENT)
    track = "&" in text  # no anchor, no alias
    documents: list[ParsedDocument] = []
    problems: list[Problem] = []
    stopped: Problem | None = None
    visited = aliased = read = 0
    with collector.paused():
        for index, node in enumerate(reading):
            read = index + 1
            walker = Walker(min(MAX_NODES, left - visited), run.aliased - aliased, track)
            line, col = node_position(node)
            try:
                data = walker.value(node, 0)
            except Spent as spent:
                message = _ALIASES_SPENT if spent.aliases else reading.over
                stopped = Problem(codes.YAML_LIMITS, message, spent.line, spent.column)
                run.spent = run.spent or (by_run and not spent.aliases)
                break
            except YamlProblem as problem:
                problems.append(
                    Problem(problem.code, problem.message, problem.line, problem.column)
                )
                continue
            except RecursionError:
                problems.append(Problem(codes.YAML_LIMITS, TOO_DEEP, line, col))
                continue
            finally:
                visited += walker.nodes
                aliased += walker.aliased
                del node  # free the nodes while the next document is composed
            # A duplicate key is in a record that is read all the same: name it, so that
            # the finding can be waived for it as for any other.
            record = data.get("id") if isinstance(data, dict) else None
            problems.extend(
                replace(problem, record=record) if isinstance(record, str) else problem
                for problem in walker.duplicates
            )
            documents.append(ParsedDocument(index, data, line, col))
    if stopped is not None:
        problems.append(stopped)
    elif reading.problem is not None:
        problems.append(reading.problem)
        run.spent = run.spent or (by_run and reading.spent)
    run.values = max(run.values - max(visited, reading.written), 0)
    run.aliased = max(run.aliased - aliased, 0)
    return ParseResult(documents, problems, read)
