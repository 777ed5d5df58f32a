"""The walker that turns one composed document into plain data, within the limits
of depth, values and aliases, and notes duplicate keys."""

from __future__ import annotations

import sys
from typing import Any

import yaml

from aimsctl import codes
from aimsctl.text import rounded_on_reading, rounding_refused
from aimsctl.yamlsafe.core_schema import (
    EXACT_WHOLE,
    MAP_TAG,
    PLAIN,
    SEQ_TAG,
    STR_TAG,
    LongNumber,
    RoundedNumber,
    ZeroedNumber,
    core_scalar,
    explicit_scalar,
    number_as_written,
    tag_refused,
)
from aimsctl.yamlsafe.limits import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    TOO_DEEP,
)
from aimsctl.yamlsafe.problems import Problem, YamlProblem, node_position


class Spent(Exception):
    """A walk ran out of the file's or the run's budget at this position."""

    def __init__(self, line: int, column: int, *, aliases: bool) -> None:
        super().__init__(line, column, aliases)
        self.line = line
        self.column = column
        self.aliases = aliases  # the budget of values reached through aliases


class Walker:
    """Turns one composed document into plain data, enforcing the limits.

    ``allowance`` is how many values the walk may visit, aliases expanded: MAX_NODES,
    or less when that is all that is left of the file's or the run's budget;
    ``alias_allowance`` how many of them it may reach through aliases. Only with
    ``track`` are aliases told apart (a node visited a second time is reached
    through one), which a text without an anchor (``&``) cannot have.
    """

    def __init__(
        self,
        allowance: int = MAX_NODES,
        alias_allowance: int = MAX_ALIAS_VALUES,
        track: bool = True,
    ) -> None:
        self.nodes = 0
        self.aliased = 0
        self.allowance = allowance
        self.alias_allowance = alias_allowance
        self.seen: set[int] | None = set() if track else None
        self.inside = False  # walking a value reached through an alias
        self.duplicates: list[Problem] = []

    def value(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.allowance:
            line, col = node_position(node)
            if self.nodes <= MAX_NODES:
                raise Spent(line, col, aliases=False)
            raise YamlProblem(
                codes.YAML_LIMITS,
                f"document expands to more than {MAX_NODES} values (alias bomb or oversized "
                "document); split it or remove the aliases",
                line,
                col,
            )
        if depth > MAX_DEPTH:
            line, col = node_position(node)
            raise YamlProblem(codes.YAML_LIMITS, TOO_DEEP, line, col)
        entered = False
        if self.seen is not None:
            if self.inside or id(node) in self.seen:
                self.aliased += 1
                if self.aliased > self.alias_allowance:
                    raise Spent(*node_position(node), aliases=True)
                entered = not self.inside
                self.inside = True
            else:
                self.seen.add(id(node))
        result: Any
        if isinstance(node, yaml.ScalarNode):
            try:
                result = core_scalar(node.value) if node.tag == PLAIN else explicit_scalar(node)
                if type(result) is str and len(result) <= 32:
                    result = sys.intern(result)
            except LongNumber:
                raise _long_number(node) from None
            except ZeroedNumber:
                raise _zeroed_number(node) from None
            except RoundedNumber:
                raise _rounded_number(node) from None
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ_TAG:
                line, col = node_position(node)
                raise YamlProblem(codes.YAML_TAG, tag_refused(node.tag), line, col)
            result = [self.value(item, depth + 1) for item in node.value]
        else:
            result = self._mapping(node, depth)
        if entered:
            self.inside = False
        return result

    def _mapping(self, node: yaml.Node, depth: int) -> dict[str, Any]:
        if node.tag != MAP_TAG:
            line, col = node_position(node)
            raise YamlProblem(codes.YAML_TAG, tag_refused(node.tag), line, col)
        result: dict[str, Any] = {}
        key_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (PLAIN, STR_TAG):
                line, col = node_position(key_node)
                raise YamlProblem(
                    codes.YAML_TAG,
                    "a field name must be plain text, not a list, mapping or tagged value; "
                    "write the field name as a word",
                    line,
                    col,
                )
            # Every record repeats the same few dozen field names: one string each.
            key = sys.intern(key_node.value)
            if key == "<<" and key_node.tag == PLAIN:
                line, col = node_position(key_node)
                raise YamlProblem(
                    codes.YAML_TAG,
                    "merge keys (<<) are not supported: governance records use plain YAML "
                    "values only; write the fields out in full",
                    line,
                    col,
                )
            if key in result:
                line, col = node_position(key_node)
                first = node_position(key_nodes[key])[0]
                if depth == 0 and key == "kind":
                    # Two records run together: the fix is a separator, not a deletion.
                    message = (
                        f"a second 'kind' at the top level: the record from line {first} "
                        "runs into another one; put a line '---' above this one to "
                        "separate the two records"
                    )
                else:
                    message = (
                        f"duplicate key {key!r}: it is already given at line {first}; "
                        "delete one of the two"
                    )
                self.duplicates.append(Problem(codes.DUPLICATE_KEY, message, line, col))
                continue
            key_nodes[key] = key_node
            result[key] = self.value(value_node, depth + 1)
        return result


def _long_number(node: yaml.Node) -> YamlProblem:
    line, col = node_position(node)
    return YamlProblem(
        codes.YAML_LIMITS,
        f"a number with more than {MAX_NUMBER_DIGITS} digits is not allowed; put quotes "
        "around it if it is text",
        line,
        col,
    )


def _rounded_number(node: yaml.Node) -> YamlProblem:
    line, col = node_position(node)
    shown = f"the number {number_as_written(node.value)}"
    held = rounded_on_reading(node.value, float(node.value))
    why = (
        rounding_refused(shown, held)
        if held is not None
        else f"{shown} is a whole number beyond ±2**53 ({EXACT_WHOLE}): a record holds "
        "numbers as 64-bit floats, which cannot hold every whole number that large "
        "exactly; give it in larger units"
    )
    return YamlProblem(codes.YAML_LIMITS, why, line, col)


def _zeroed_number(node: yaml.Node) -> YamlProblem:
    line, col = node_position(node)
    shown = number_as_written(node.value)
    return YamlProblem(
        codes.YAML_LIMITS,
        f"the number {shown} is too close to zero for a record to hold: it would be read "
        "as 0; write a value that can be held (in other units if need be), or 0 if it is zero",
        line,
        col,
    )
