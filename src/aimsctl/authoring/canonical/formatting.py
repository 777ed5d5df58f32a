"""canonical(): the steps in order, passes until the text settles, then the checks
that no value changed and no comment was lost."""

from __future__ import annotations

import math
import re
from typing import Any

from aimsctl import writing, yamlsafe
from aimsctl.authoring.canonical.comment_check import comments
from aimsctl.authoring.canonical.comment_moves import (
    block_comments_above,
    empty_document_comments_kept,
    flow_comments_above,
    key_comments_above,
    marker_comments_apart,
    value_comments_above,
)
from aimsctl.authoring.canonical.flow_layout import layout
from aimsctl.authoring.canonical.key_order import document_shape
from aimsctl.authoring.canonical.node_lines import protected_lines, scalar_nodes
from aimsctl.authoring.canonical.reordering import reorder_once
from aimsctl.authoring.canonical.scalars import unquote
from aimsctl.authoring.canonical.spacing import spaced_lines, tabs_as_spaces, yaml_lines
from aimsctl.errors import AimsctlError

_MAX_PASSES = 200


class FormatError(AimsctlError):
    """A file that cannot be put in canonical form without changing it (exit 2)."""


_START = re.compile(r"^---[ \t]*(#.*)?$")


def _without_first_marker(text: str) -> str:
    """``text`` without the ``---`` that opens its first document, a comment on that
    line kept on its own line (ruamel.yaml would lose the comments above it)."""
    lines = yaml_lines(text)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _START.match(line.rstrip("\n"))
        if match:
            lines[number] = (match.group(1) + "\n") if match.group(1) else ""
        break
    return "".join(lines)


def _once(text: str, config: bool) -> str:
    documents = writing.load_all(_without_first_marker(text))
    data = [writing.plain(d) for d in documents]
    for document, plain_data in zip(documents, data, strict=True):
        shape = document_shape(plain_data, config)
        unquote(document, shape)
        layout(document, shape, 0)
    dumped = writing.dump_all(documents) if documents else ""
    lines = yaml_lines(dumped)
    for _ in range(_MAX_PASSES):
        nodes = yamlsafe.positioned_nodes("".join(lines))
        shapes = [document_shape(d, config) for d in data]
        if not reorder_once(lines, nodes, shapes):
            break
    text_out = "".join(lines)
    nodes = yamlsafe.positioned_nodes(text_out)
    return "".join(spaced_lines(yaml_lines(text_out), protected_lines(nodes)))


def _not_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_not_finite(k) or _not_finite(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_not_finite(item) for item in value)
    return False


def _refuse_overflow(body: str, rel: str) -> None:
    """FormatError at the first number beyond the float range (``1e400``): YAML reads
    it as infinity, which the dumper would write as ``.inf``, a value the person did
    not write. The file is left as it is; validate reports the value (AIMS102)."""
    found = [
        node for root in yamlsafe.positioned_nodes(body) for node in scalar_nodes(root)
        if yamlsafe.overflows(node)
    ]  # fmt: skip
    if found:
        first = min(found, key=lambda n: (n.start_mark.line, n.start_mark.column))
        mark = first.start_mark
        raise FormatError(
            f"{rel}:{mark.line + 1}:{mark.column + 1}: {yamlsafe.number_as_written(first.value)} "
            "is beyond the largest number YAML holds, so it reads as infinity and would be "
            "written back as .inf, which is not what it says; the file was left as it is "
            "(write the number you mean)"
        )


def _shape(data: object) -> str:
    return "list" if isinstance(data, list) else "single value"


def canonical(text: str, rel: str, config: bool = False) -> str:
    """``text`` in canonical form; FormatError when it cannot be read, or formatting
    would change a value or lose a comment (it should not: please report it)."""
    # Lines end at LF, CR LF or CR, as YAML reads them; the canonical form ends them at LF,
    # or at CR LF in a file that ends every line so (a checkout with core.autocrlf=true):
    # a file's line ends are its own, as for every edit (writing.edit_text).
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and text.count("\n") == crlf == text.count("\r") else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text.removeprefix(bom).replace("\r\n", "\n").replace("\r", "\n")
    parsed = yamlsafe.parse(body)
    if parsed.problems:
        first = parsed.problems[0]
        raise FormatError(
            f"{rel}:{first.line}:{first.column}: {first.message}; fix it before formatting"
        )
    documents = [d.data for d in parsed.documents if d.data is not None]
    if not documents:
        return text  # nothing in it to format
    if not any(isinstance(d, dict) for d in documents):
        return text  # not a record file: validate says what it is
    stray = next((d for d in parsed.documents if not isinstance(d.data, dict | None)), None)
    if stray is not None:
        # A record file whose other documents fmt would pass over unsaid was counted as
        # formatted, its records left as they were.
        raise FormatError(
            f"{rel}:{stray.line}:{stray.column}: this document is a "
            f"{_shape(stray.data)}, not a record (a mapping of fields), so the file was left "
            "as it is; `aimsctl validate` says what it holds"
        )
    if any(_not_finite(d) for d in documents):
        _refuse_overflow(body, rel)
    moved = key_comments_above(block_comments_above(tabs_as_spaces(body)))
    moved = value_comments_above(flow_comments_above(moved))
    result = _once(marker_comments_apart(empty_document_comments_kept(moved)), config)
    for _ in range(3):  # a second pass settles what the first one moved
        again = _once(result, config)
        if again == result:
            break
        result = again
    if not writing.same_data(body, result):
        raise FormatError(
            f"{rel}: formatting would change a value, so it was left as it is "
            "(please report this to the aimsctl project)"
        )
    if comments(body) != comments(result):
        lost = comments(body) - comments(result)
        shown = ", ".join(sorted(lost)[:3]) or "a comment"
        raise FormatError(
            f"{rel}: formatting would lose or change a comment ({shown}), so it was left "
            "as it is (please report this to the aimsctl project)"
        )
    return bom + (result.replace("\n", newline) if newline != "\n" else result)
