"""``cached_parse`` asks its cache before decoding the bytes (sparing the decode of
every file a cache holds): it asks exactly when it asked after decoding, and what it
gives is what decoding first gave, for bytes that do not decode too."""

from __future__ import annotations

import pytest

from aimsctl import yamlsafe
from aimsctl.loader import parse_file
from aimsctl.loader.parsing import ParsedFile, cached_parse, parse_bytes


class _Recording:
    """A per-file cache that holds what it is given and records what it is asked."""

    def __init__(self, held: dict[str, ParsedFile] | None = None) -> None:
        self.held = dict(held or {})
        self.asked: list[str] = []

    def get(self, rel: str, raw: bytes) -> ParsedFile | None:
        self.asked.append(rel)
        return self.held.get(rel)

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None:
        self.held[rel] = parsed

    def knows(self, rel: str) -> bool:
        return rel in self.held


# Whether the cache may stand in for each parse: text without an anchor, decoded.
CASES = {
    "plain": (b"kind: Risk\nid: R-1\n", True),
    "bom": ("\ufeffkind: Risk\nid: R-1\n".encode(), True),
    "non-ascii": ("kind: Risk\ntitle: caf\u00e9 \uff06 \u20ac\n".encode(), True),
    "anchor": (b"kind: Risk\nowner: &o a\ndescription: *o\n", False),
    "ampersand-in-text": (b"kind: Risk\ntitle: R&D\n", False),
    "broken": (b"kind: [\n", True),
}
UNDECODABLE = {
    "utf-16": "kind: Risk\n".encode("utf-16"),
    "bad-utf-8": b"kind: Risk\ntitle: \xff\xfe\xfd\n",
    "nul": b"kind: Risk\x00\n",
    "png": b"\x89PNG\r\n\x1a\n",
}


def _shape(result: tuple[list, list]) -> tuple[list, list]:
    documents, problems = result
    return [(d.index, d.data, d.line, d.column, d.source.text) for d in documents], problems


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_cache_is_asked_when_it_may_stand_in(case: str) -> None:
    raw, may = CASES[case]
    cache = _Recording()
    first = cached_parse("r.yaml", raw, yamlsafe.Budget(), cache)
    replayed = cached_parse("r.yaml", raw, yamlsafe.Budget(), cache)
    assert cache.asked == (["r.yaml", "r.yaml"] if may else [])
    fresh = parse_file("r.yaml", raw, yamlsafe.Budget())
    assert _shape(first) == _shape(fresh) == _shape(replayed)


@pytest.mark.parametrize("case", sorted(UNDECODABLE))
def test_bytes_that_do_not_decode_give_the_decode_problem(case: str) -> None:
    """Even when the cache holds a parse of them (the workers', made of bytes that did
    not decode): the bytes are decoded and the problem is the decode's."""
    raw = UNDECODABLE[case]
    _, worker_parse = parse_bytes("r.yaml", raw, None)
    assert worker_parse.read is None
    for cache in (_Recording(), _Recording({"r.yaml": worker_parse})):
        budget = yamlsafe.Budget()
        found = cached_parse("r.yaml", raw, budget, cache)
        assert _shape(found) == _shape(parse_file("r.yaml", raw, yamlsafe.Budget()))
        assert found[1] and budget == yamlsafe.Budget()


def test_a_low_budget_is_never_replayed() -> None:
    raw = CASES["plain"][0]
    cache = _Recording()
    cached_parse("r.yaml", raw, yamlsafe.Budget(), cache)
    low = yamlsafe.Budget(values=yamlsafe.MAX_FILE_VALUES - 1)
    cache.asked.clear()
    found = cached_parse("r.yaml", raw, low, cache)
    assert cache.asked == []
    assert _shape(found) == _shape(
        parse_file("r.yaml", raw, yamlsafe.Budget(values=yamlsafe.MAX_FILE_VALUES - 1))
    )
