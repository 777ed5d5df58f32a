"""Step 2, on the dumped text: block mappings put in the contract's key order by
moving each key's lines, with the comments and blank lines above it."""

from __future__ import annotations

import yaml

from aimsctl import yamlsafe
from aimsctl.authoring.canonical.key_order import Shape
from aimsctl.authoring.canonical.node_lines import last_line


def reorder_once(lines: list[str], nodes: list[yaml.Node], shapes: list[Shape | None]) -> bool:
    """Put each block mapping found out of order in order, what one put in order holds
    left to the next pass; False when none is out of order.

    ``nodes`` are the positions of ``lines`` when the pass began. Putting a mapping in
    order moves lines within its own lines only, and as many as there are, so every
    position outside it still holds: the mappings beside it and in other documents are
    put in order in the same pass, and only what it holds, whose lines moved, waits for
    the text to be read again. A file of many records out of order takes as many passes
    as mappings out of order are nested, not one pass (and one parse of the whole file)
    per mapping."""
    found = False
    for root, shape in zip(nodes, shapes, strict=False):
        if shape is not None and _reorder_in(lines, root, shape):
            found = True
    return found


def _reorder_in(lines: list[str], node: yaml.Node, shape: Shape) -> bool:
    """Put ``node``, or else what it holds, in order (see :func:`reorder_once`);
    whether any lines moved."""
    if isinstance(node, yaml.SequenceNode):
        if shape.items is None:
            return False
        found = False
        for item in node.value:
            if _reorder_in(lines, item, shape.items):
                found = True
        return found
    if not isinstance(node, yaml.MappingNode):
        return False
    pairs = node.value
    keys = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in pairs]
    if shape.order and not node.flow_style and len(pairs) > 1:
        rank = {name: index for index, name in enumerate(shape.order)}
        known = sorted(
            (i for i, k in enumerate(keys) if isinstance(k, str) and k in rank),
            key=lambda i: (rank[str(keys[i])], i),
        )
        wanted = known + [i for i, k in enumerate(keys) if not (isinstance(k, str) and k in rank)]
        if wanted != list(range(len(keys))):
            first, before = _permute(lines, pairs, wanted)
            # An alias must follow its anchor: such keys keep the order they have. Only
            # lines with an alias among them can put one before its anchor.
            block = lines[first : first + len(before)]
            if not any("*" in line for line in block) or yamlsafe.aliases_follow_anchors(
                "".join(lines)
            ):
                return True
            lines[first : first + len(before)] = before
    found = False
    for key, (_, value) in zip(keys, pairs, strict=True):
        inner = shape.under(key)
        if inner is not None and _reorder_in(lines, value, inner):
            found = True
    return found


def _permute(
    lines: list[str], pairs: list[tuple[yaml.Node, yaml.Node]], wanted: list[int]
) -> tuple[int, list[str]]:
    """Move the lines of each key (with the comment and blank lines above it) so the
    keys come in the ``wanted`` order. Lines above the first key stay on top. The
    index of the first line replaced and the lines it replaced (as many as it put)."""
    starts = [key.start_mark.line for key, _ in pairs]
    ends = [max(last_line(key), last_line(value)) for key, value in pairs]
    column = pairs[0][0].start_mark.column
    limit = len(lines)
    for index in range(len(pairs)):
        # Comment lines indented deeper than the keys end the value above them.
        stop = starts[index + 1] if index + 1 < len(pairs) else limit
        while ends[index] + 1 < stop and _deeper_comment(lines[ends[index] + 1], column):
            ends[index] += 1
    units: list[list[str]] = []
    for index in range(len(pairs)):
        begin = starts[index] if index == 0 else ends[index - 1] + 1
        units.append(lines[begin : ends[index] + 1])
    first, last = starts[0], ends[-1]
    # A list item's first key shares its line with the dash (`- description: ...`):
    # the dash stays at the top and goes to the key now first, on that key's line.
    lead = lines[first][:column]
    if lead.strip():
        units[0][0] = " " * column + units[0][0][column:]
        head = units[wanted[0]]
        at = starts[wanted[0]] - (ends[wanted[0] - 1] + 1 if wanted[0] else starts[0])
        head[at] = lead + head[at][column:]
    # A key that was first has no lines above it in its unit, and the key now first
    # brings its own: those stay, and blank lines at the very top are dropped later.
    before = lines[first : last + 1]
    lines[first : last + 1] = [line for index in wanted for line in units[index]]
    return first, before


def _deeper_comment(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and len(line) - len(stripped) > column
