"""An edit spliced into the text as written: only the lines the edit changed come
from ruamel.yaml's dump."""

from __future__ import annotations

import difflib


def splice(original: str, before: str, after: str) -> str | None:
    """``original`` with the change from ``before`` to ``after`` applied to its lines.

    ``before`` is ruamel's dump of ``original`` unedited and ``after`` the dump of
    the edited documents. Where ruamel lays out a line differently from the person
    (a wrapped flow mapping, another indentation), that line is kept as written;
    only the lines the edit changed come from ``after``. None when a changed line
    is one ruamel laid out differently (the caller then writes ``after``).
    """
    if before == original:
        return after
    old, ours, new = (text.splitlines(keepends=True) for text in (original, before, after))
    where: list[int | None] = [None] * len(ours)
    for tag, o1, o2, r1, _r2 in difflib.SequenceMatcher(
        None, old, ours, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            for offset in range(o2 - o1):
                where[r1 + offset] = o1 + offset
    result: list[str] = []
    position = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, ours, new, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            mapped = [where[i] for i in range(i1, i2)]
            if any(m is None for m in mapped):
                return None
            start = mapped[0]
            assert start is not None
            if mapped != list(range(start, start + len(mapped))):
                return None
            end = start + len(mapped)
        else:  # an insertion between two lines of `ours`
            previous = where[i1 - 1] if i1 > 0 else -1
            following = where[i1] if i1 < len(ours) else len(old)
            if previous is None or following is None or previous + 1 != following:
                return None
            start = end = following
        if start < position:
            return None
        result += old[position:start]
        result += new[j1:j2]
        position = end
    result += old[position:]
    return "".join(result)
