"""The line breaks of YAML 1.1 only (NEL, LS, PS), stood in for while libyaml reads
a text and put back into the values afterwards."""

from __future__ import annotations

import yaml

# libyaml follows YAML 1.1, which reads NEL, LS and PS as line breaks; YAML 1.2, like
# every editor, reads them as ordinary characters. While libyaml reads the text they
# are replaced by noncharacters, one for one, so lines and columns are counted as
# the editor counts them and values keep the characters (restored in the nodes).
YAML11_BREAKS = "\x85\u2028\u2029"
_STAND_INS = "\ufdd0\ufdd1\ufdd2"
_TO_STAND_IN = str.maketrans(YAML11_BREAKS, _STAND_INS)
FROM_STAND_IN = str.maketrans(_STAND_INS, YAML11_BREAKS)


def stand_in(text: str) -> tuple[str, bool]:
    """The text with YAML 1.1-only line breaks replaced, and whether any were."""
    if not any(c in text for c in YAML11_BREAKS) or any(c in text for c in _STAND_INS):
        return text, False
    return text.translate(_TO_STAND_IN), True


def restore_breaks(nodes: list[yaml.Node]) -> None:
    """Put the replaced characters back into every scalar (each node once)."""
    seen: set[int] = set()
    stack: list[yaml.Node] = list(nodes)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            node.value = node.value.translate(FROM_STAND_IN)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
