"""Step 1, on the round-trip tree: flow mappings in key order, and a flow collection
too wide for its line written as a block."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from aimsctl import writing
from aimsctl.authoring.canonical.key_order import Shape, ordered

LINE_WIDTH = 100


def _flow_text(node: Any) -> str:
    return writing.dump_all([node]).rstrip("\n").removesuffix("\n...")


def layout(node: Any, shape: Shape | None, column: int) -> None:
    """Flow mappings put in key order; a flow collection too wide for its line
    becomes a block. ``column`` is where the keys or dashes of ``node`` start."""
    if isinstance(node, CommentedMap):
        if node.fa.flow_style() and shape is not None and shape.order and not node.ca.items:
            for key in ordered(list(node), shape.order):
                node.move_to_end(key)
        for key in list(node):
            value = node[key]
            inner = shape.under(key) if shape is not None else None
            if (
                writing.is_flow(value)
                and column + len(str(key)) + 2 + len(_flow_text(value)) > LINE_WIDTH
            ):
                value.fa.set_block_style()
            if not node.fa.flow_style():
                nested = column + writing.MAPPING_INDENT
                if isinstance(value, CommentedSeq) and not value.fa.flow_style():
                    nested = column + writing.SEQUENCE_DASH_OFFSET
                layout(value, inner, nested)
            else:
                layout(value, inner, column)
    elif isinstance(node, CommentedSeq):
        inner = shape.items if shape is not None else None
        for value in node:
            if writing.is_flow(value) and column + 2 + len(_flow_text(value)) > LINE_WIDTH:
                value.fa.set_block_style()
            layout(value, inner, column + 2)
