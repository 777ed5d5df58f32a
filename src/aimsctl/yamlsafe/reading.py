"""A text's documents composed one at a time, each once the scan let it through."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from aimsctl import codes
from aimsctl.yamlsafe.block_tabs import for_libyaml
from aimsctl.yamlsafe.composer import Composer
from aimsctl.yamlsafe.limits import MAX_DOCUMENTS
from aimsctl.yamlsafe.line_breaks import restore_breaks
from aimsctl.yamlsafe.problems import Problem

if TYPE_CHECKING:
    from aimsctl.yamlsafe.scanner import Scanner

# The C composer recurses without a guard, and builds every node before the walker
# counts them. Every level of nesting, every value after the first in a collection
# and every document needs one of these indicator bytes, so their count bounds
# depth, values and documents, and lets ordinary files skip the slower event scan.
_INDICATORS = "[{-:?,"
_SAFE_INDICATOR_COUNT = 5_000


@dataclass(slots=True)
class Reading:
    """The documents of a text, composed one at a time, each once the scan passed it.

    The scan stops at more than ``values`` values in the file (``over`` says so).
    After iterating, ``problem`` is what stopped reading early (a syntax error or a
    limit); ``written`` counts the values scanned so far. Iteration may be left
    early, and then the rest of the text is not read.
    """

    text: str
    values: int
    over: str
    documents: int | None = None  # compose at most this many
    problem: Problem | None = None
    written: int = 0
    spent: bool = False  # the scan stopped at ``values``

    def __iter__(self) -> Iterator[yaml.Node]:
        text, replaced = for_libyaml(self.text)
        # Only the indicator bytes can nest or separate values; few of them, few values.
        scanner: Scanner | None = None
        if sum(text.count(c) for c in _INDICATORS) > _SAFE_INDICATOR_COUNT:
            # Imported here: few files need the scan (or a syntax error's words, below),
            # and every run of validate pays for what a module imports at its start.
            from aimsctl.yamlsafe.scanner import Scanner

            scanner = Scanner(text, self.values, self.over)
        composer = Composer(text)
        count = 0
        try:
            while self.documents is None or count < self.documents:
                if count == MAX_DOCUMENTS:
                    if composer.check_node():
                        self.problem = _too_many_documents(composer.peek_event())
                    return
                if scanner is not None:
                    passes = scanner.passes()
                    self.written = scanner.written
                    if not passes:
                        self.problem, self.spent = scanner.problem, scanner.spent
                        return
                if not composer.check_node():
                    return
                node = composer.get_node()
                if node is None:  # not after check_node(); the types allow it
                    return
                if replaced:
                    restore_breaks([node])
                count += 1
                yield node
                del node  # so that one document's nodes are alive at a time, not two
        except yaml.YAMLError as error:
            from aimsctl.yamlsafe.syntax_problems import syntax_problem

            self.problem = syntax_problem(error, text)
        finally:
            composer.dispose()
            if scanner is not None:
                scanner.parser.dispose()


def _too_many_documents(event: yaml.Event | None) -> Problem:
    mark = event.start_mark if event is not None else None
    return Problem(
        codes.YAML_LIMITS,
        f"file holds more than {MAX_DOCUMENTS} YAML documents; split it into several files",
        mark.line + 1 if mark is not None else 1,
        mark.column + 1 if mark is not None else 1,
    )
