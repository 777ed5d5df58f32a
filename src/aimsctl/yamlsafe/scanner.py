"""The event scan that measures a document's nesting and values before the
composer builds it."""

from __future__ import annotations

import yaml
from yaml._yaml import CParser

from aimsctl import codes
from aimsctl.yamlsafe.limits import MAX_DEPTH, MAX_NODES, TOO_DEEP
from aimsctl.yamlsafe.problems import Problem
from aimsctl.yamlsafe.syntax_problems import syntax_problem

# Where a collection stands while the scan counts its values: a sequence item, a
# mapping key (not a value) or a mapping value; or the document's root.
_ITEM, _KEY, _VALUE, _ROOT = range(4)


class Scanner:
    """Nesting and values measured with the event parser, a document ahead of the composer.

    The C composer recurses without a guard and builds every node of a document
    before our walker can count them, so a deep or huge document is refused here,
    from the events: nesting deeper than MAX_DEPTH, more than MAX_NODES values in a
    document, or more than ``values`` in the file (``over`` says so; ``spent``
    tells it was this). ``written`` counts the values scanned (an alias once).
    """

    def __init__(self, text: str, values: int, over: str) -> None:
        self.text = text
        self.values = values
        self.over = over
        self.parser = CParser(text)
        self.written = 0
        self.problem: Problem | None = None
        self.spent = False

    def passes(self) -> bool:
        """Scan the next document: whether it may be composed (True too when there is none)."""
        get_event = self.parser.get_event
        stack: list[int] = []
        top = _ROOT
        in_document = 0
        written = self.written
        try:
            while (event := get_event()) is not None:
                kind = type(event)
                opens = kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent
                if opens or kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                    if top == _KEY:
                        top = _VALUE
                    else:
                        if top == _VALUE:
                            top = _KEY
                        in_document += 1
                        written += 1
                        if in_document > MAX_NODES:
                            return self._refuse(
                                event,
                                f"document holds more than {MAX_NODES} values; split it into "
                                "several files",
                            )
                        if written > self.values:
                            self.spent = True
                            return self._refuse(event, self.over)
                    if opens:
                        stack.append(top)
                        if len(stack) > MAX_DEPTH:
                            return self._refuse(event, TOO_DEEP)
                        top = _KEY if kind is yaml.MappingStartEvent else _ITEM
                elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                    top = stack.pop()
                elif kind is yaml.DocumentEndEvent or kind is yaml.StreamEndEvent:
                    return True
        except yaml.YAMLError as error:
            self.problem = syntax_problem(error, self.text)
            return False
        finally:
            self.written = written
        return True

    def _refuse(self, event: yaml.Event, message: str) -> bool:
        self.problem = _event_problem(event, message)
        return False


def _event_problem(event: yaml.Event, message: str) -> Problem:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(codes.YAML_LIMITS, message, line, column)
