"""Comments moved, before ruamel.yaml reads the text, to where it keeps them: off a
list item's block-scalar line, from inside a flow collection written over several
lines, from between an explicit key's `?` and its `:`, from between a key and a value
on a later line, off a `---` line, out of documents that hold no record."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import yaml

from aimsctl import yamlsafe
from aimsctl.authoring.canonical.comment_check import BLOCK_HEADER, COMMENT, outside_values
from aimsctl.authoring.canonical.spacing import DOCUMENT_SEPARATOR


def block_comments_above(text: str) -> str:
    """``text`` with a comment on the indicator line of a list item's block scalar
    (`- |- # why`) moved to a line of its own above the item: ruamel.yaml, which
    edits the file, drops it there (and loses its neighbours' comments with it). So
    is one on the indicator line of a block scalar that holds NEL, LS or PS, which
    is written in double quotes (with no indicator line)."""
    if "#" not in text:
        return text
    lines = text.split("\n")
    moves: list[tuple[int, int]] = []  # (line, where the comment starts)

    def move(item: yaml.ScalarNode) -> None:
        line = lines[item.start_mark.line]
        header = BLOCK_HEADER.match(line, item.start_mark.column)
        found = COMMENT.search(line, header.end()) if header else None
        if found:
            moves.append((item.start_mark.line, found.start(1)))

    for root in yamlsafe.positioned_nodes(text):
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    stack.append(key)
                    breaks = isinstance(value, yaml.ScalarNode) and any(
                        c in value.value for c in yamlsafe.YAML11_BREAKS
                    )
                    if breaks and value.style in ("|", ">"):
                        move(value)
                    else:
                        stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    if isinstance(item, yaml.ScalarNode) and item.style in ("|", ">"):
                        move(item)
                    else:
                        stack.append(item)
    out: list[str] = []
    done = 0
    for number, at in sorted(moves):  # one block scalar starts on a line: one pass
        line = lines[number]
        indent = len(line) - len(line.lstrip(" "))
        out += lines[done:number]
        out += (" " * indent + line[at:].rstrip(), line[:at].rstrip())
        done = number + 1
    out += lines[done:]
    return "\n".join(out)


def _comments_moved_above(text: str, rows: list[str], moves: list[tuple[int, list[int]]]) -> str:
    """``text`` with the comments on the lines of each move on lines of their own above
    its first line, at that line's indentation; ``rows`` are outside_values(text)."""
    lines = text.split("\n")
    ordered = sorted(moves)
    if all(anchor <= found[0] for anchor, found in ordered) and all(
        earlier[-1] < anchor for (_, earlier), (anchor, _) in itertools.pairwise(ordered)
    ):
        return _comments_moved_above_apart(lines, rows, ordered)
    for anchor, found in sorted(moves, reverse=True):
        moved = []
        for number in found:
            at = COMMENT.search(rows[number])
            assert at is not None
            moved.append(lines[number][at.start(1) :].rstrip())
            lines[number] = lines[number][: at.start(1)].rstrip()
        indent = len(lines[anchor]) - len(lines[anchor].lstrip(" "))
        # Lines left empty by a comment that stood alone go: they were the comment.
        for number in reversed(found):
            if number != anchor and not lines[number].strip():
                del lines[number]
        lines[anchor:anchor] = [" " * indent + comment for comment in moved]
    return "\n".join(lines)


def _comments_moved_above_apart(
    lines: list[str], rows: list[str], moves: list[tuple[int, list[int]]]
) -> str:
    """_comments_moved_above for ``moves`` in order, each after the one before it (the
    usual case): the same lines, in one pass over them."""
    out: list[str] = []
    done = 0
    for anchor, found in moves:
        moved, kept = [], {}
        for number in found:
            at = COMMENT.search(rows[number])
            assert at is not None
            moved.append(lines[number][at.start(1) :].rstrip())
            kept[number] = lines[number][: at.start(1)].rstrip()
        first = kept.get(anchor, lines[anchor])
        indent = len(first) - len(first.lstrip(" "))
        out += lines[done:anchor]
        out += [" " * indent + comment for comment in moved]
        for number in range(anchor, found[-1] + 1):
            line = kept.get(number, lines[number])
            # Lines left empty by a comment that stood alone go: they were the comment.
            if number == anchor or number not in kept or line.strip():
                out.append(line)
        done = found[-1] + 1
    out += lines[done:]
    return "\n".join(out)


def key_comments_above(text: str) -> str:
    """``text`` with the comments between an explicit key's `?` and its `:` (on the
    key's line, or lines of their own) on lines of their own above the `?`: ruamel.yaml,
    which edits the file, writes the key without its `?` then, which does not read."""
    if "?" not in text or "#" not in text:
        return text
    rows = outside_values(text)
    moves: list[tuple[int, list[int]]] = []  # (the `?` line, lines holding a comment)
    for mapping, key, _value in _pairs(text):
        mark = key.start_mark
        before = rows[mark.line][: mark.column].rstrip()
        if mapping.flow_style or not before.endswith("?"):
            continue
        found = []
        for number in range(mark.line, len(rows)):
            if rows[number].lstrip().startswith(":"):
                break
            if COMMENT.search(rows[number]):
                found.append(number)
        if found:
            moves.append((mark.line, found))
    return _comments_moved_above(text, rows, moves)


def _pairs(text: str) -> Iterator[tuple[yaml.MappingNode, yaml.Node, yaml.Node]]:
    """Every key and value of every mapping of ``text``, with its mapping."""
    for root in yamlsafe.positioned_nodes(text):
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    stack.extend((key, value))
                    yield node, key, value


def flow_comments_above(text: str) -> str:
    """``text`` with the comments inside a flow list or mapping written over several
    lines (`tags: [bias,  # why`) on lines of their own above its key (or its list
    item's dash): ruamel.yaml, which edits the file, drops comments inside a flow
    collection."""
    if "#" not in text or not any(c in text for c in "[{"):
        return text
    rows = outside_values(text)
    moves: list[tuple[int, list[int]]] = []  # (the key's line, lines holding a comment)

    def inside(anchor: int, flow: yaml.Node) -> None:
        start, end = flow.start_mark, flow.end_mark
        found = []
        for number in range(start.line, end.line + 1):
            at = COMMENT.search(rows[number])
            if at and not (number == end.line and at.start(1) >= end.column):
                found.append(number)
        if found:
            moves.append((anchor, found))

    for root in yamlsafe.positioned_nodes(text):
        stack: list[yaml.Node] = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.flow_style:
                continue  # an outer flow collection's comments are moved whole
            pairs: list[tuple[int, yaml.Node]] = []
            if isinstance(node, yaml.MappingNode):
                pairs = [(key.start_mark.line, value) for key, value in node.value]
            elif isinstance(node, yaml.SequenceNode):
                pairs = [(item.start_mark.line, item) for item in node.value]
            for anchor, value in pairs:
                flow = isinstance(value, yaml.MappingNode | yaml.SequenceNode) and value.flow_style
                if flow and value.start_mark.line != value.end_mark.line:
                    inside(anchor, value)
                else:
                    stack.append(value)
    return _comments_moved_above(text, rows, moves)


_MARKER_COMMENT = re.compile(r"^---[ \t]+(#.*)$")


def _is_content(row: str) -> bool:
    return bool(row.strip()) and not row.lstrip().startswith("#")


def marker_comments_apart(text: str) -> str:
    """``text`` with a comment on a ``---`` line between documents on a line of its
    own: below the marker when a document follows, else above it (ruamel.yaml drops
    a comment on the marker line; the first document's marker is
    _without_first_marker's)."""
    if "---" not in text:
        return text
    lines = text.split("\n")
    rows = outside_values(text)
    first = next((n for n, row in enumerate(rows) if _is_content(row)), -1)
    markers = [n for n, row in enumerate(rows) if DOCUMENT_SEPARATOR.match(row)]
    out: list[str] = []
    at = 0
    # Each marker's stretch (up to the next marker) is looked at once: linear in the
    # lines, however many markers there are.
    for index, number in enumerate(markers):
        found = _MARKER_COMMENT.match(rows[number])
        if number == first or found is None:
            continue
        comment = lines[number][found.start(1) :].rstrip()
        following = markers[index + 1] if index + 1 < len(markers) else len(lines)
        document_follows = any(_is_content(row) for row in rows[number + 1 : following])
        out += lines[at:number]
        out += ["---", comment] if document_follows else [comment, "---"]
        at = number + 1
    out += lines[at:]
    return "\n".join(out)


# A key's line ending at its `:` (a comment may follow), then a blank line or a comment.
_KEY_THEN_GAP = re.compile(r":[ \t]*(?:#.*)?\n[ \t]*(?:#|\n)")


def value_comments_above(text: str) -> str:
    """``text`` with the comments between a key and a value that starts on a later line
    (`title:`, `# why`, then the text) on lines of their own above the key, and the
    blank lines there gone: ruamel.yaml, which edits the file, drops such a comment, and
    fails on a flow list after a blank line. A block list or mapping keeps its comments
    as the first of its lines, and is left as it is."""
    if not _KEY_THEN_GAP.search(text):
        return text
    rows = outside_values(text)
    moves: list[tuple[int, list[int]]] = []  # (the key's line, lines holding a comment)
    blank: list[int] = []
    for mapping, key, value in _pairs(text):
        block = isinstance(value, yaml.MappingNode | yaml.SequenceNode) and not value.flow_style
        between = range(key.end_mark.line + 1, value.start_mark.line)
        if mapping.flow_style or block or not between:
            continue
        blank += [n for n in between if not rows[n].strip()]
        found = [n for n in between if COMMENT.search(rows[n])]
        if found:
            moves.append((key.start_mark.line, found))
    if blank:  # gone first: the comments are found again in the text without them
        lines = text.split("\n")
        gone = set(blank)
        return value_comments_above("\n".join(x for n, x in enumerate(lines) if n not in gone))
    return _comments_moved_above(text, rows, moves)


_DOCUMENT_END = re.compile(r"^\.\.\.(?:\s|$)")


def empty_document_comments_kept(text: str) -> str:
    """``text`` with the comments of what holds no record (a document of comments only,
    what follows a `...` that ends a document) kept with a record: ruamel.yaml, which
    edits the file, drops them. Between two records, the markers of such a stretch
    become one `---`, the comments from its last `---` on below it (as a marker's
    comment goes with the record that follows) and the others above it; after the last
    record they end the file, with no marker. Each comment on a marker's line goes on a
    line of its own. An empty document holds no record (the loader skips it), so no
    record changes. A stretch with a directive (`%YAML`) or without a comment is left
    as it is."""
    if "#" not in text or ("---" not in text and "..." not in text):
        return text
    lines = text.split("\n")
    rows = outside_values(text)
    content = [n for n, row in enumerate(rows) if _is_content(row) and not _marker(row)]
    if not content:
        return text
    out: list[str] = []
    done = 0
    for gap_start, gap_end in _gaps(content, len(lines)):
        gap = range(gap_start, gap_end)
        markers = [n for n in gap if _marker(rows[n])]
        inner = gap_end < len(lines)  # a record follows
        plain = inner and len(markers) == 1 and DOCUMENT_SEPARATOR.match(rows[markers[0]])
        has_comment = any(COMMENT.search(rows[n]) for n in gap)
        directive = any(rows[n].startswith("%") for n in gap)
        if not markers or plain or not has_comment or directive:
            continue
        separators = [n for n in markers if DOCUMENT_SEPARATOR.match(rows[n])]
        last = separators[-1] if inner and separators else None
        above: list[str] = []
        below: list[str] = []
        for number in gap:
            found = COMMENT.search(rows[number])
            comment = lines[number][found.start(1) :].rstrip() if found else None
            into = below if last is not None and number >= last else above
            if not _marker(rows[number]):
                into.append(lines[number])  # a comment or a blank line
            elif comment:
                into.append(comment)
        out += lines[done:gap_start]
        out += [*above, "---", *below] if inner else above
        done = gap_end
    out += lines[done:]
    return "\n".join(out)


def _marker(row: str) -> bool:
    return bool(DOCUMENT_SEPARATOR.match(row) or _DOCUMENT_END.match(row))


def _gaps(content: list[int], end: int) -> list[tuple[int, int]]:
    """The stretches of lines between records' lines: after each line that holds a
    value up to the next such line (or the end), where they are apart."""
    gaps = [(a + 1, b) for a, b in itertools.pairwise(content) if b > a + 1]
    if content[-1] + 1 < end:
        gaps.append((content[-1] + 1, end))
    return gaps
