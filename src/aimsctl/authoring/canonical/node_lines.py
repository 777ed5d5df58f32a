"""The lines composed nodes take: where a node ends, its scalars, and the lines
inside a multi-line value, which are the value and never touched."""

from __future__ import annotations

from collections.abc import Iterator

import yaml


def last_line(node: yaml.Node) -> int:
    """The last line (0-based) that holds part of ``node``."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style or not node.value:
            return node.end_mark.line
        return max(last_line(item) for item in node.value)
    assert isinstance(node, yaml.MappingNode)
    if node.flow_style or not node.value:
        return node.end_mark.line
    return max(max(last_line(k), last_line(v)) for k, v in node.value)


def scalar_nodes(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            yield current
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))


def protected_lines(nodes: list[yaml.Node]) -> set[int]:
    """Lines inside a multi-line value (after its first line): they are the value."""
    lines: set[int] = set()
    for root in nodes:
        for scalar in scalar_nodes(root):
            last = last_line(scalar)
            lines.update(range(scalar.start_mark.line + 1, last + 1))
    return lines
