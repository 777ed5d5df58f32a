"""Property-based fuzzing of reading and checking records.

Generated valid records of every kind stay valid; mutated records (a field
dropped, added or given another type) and mutated YAML bytes (bytes flipped,
text cut short, YAML indicators inserted) never raise, always get diagnostics
with a path and a line >= 1 in plain words, and never leave the exit-code
contract (0 or 1 for record problems under a valid aims.yaml).

The default run is small and deterministic (profile ``aimsctl-ci``,
derandomized). The long run is ``HYPOTHESIS_PROFILE=long``: see
docs/reliability.md for the command and its last result.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hostile_records import plain_words_problem, replaced
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimsctl import codes, yamlsafe
from aimsctl.catalog import annex_a
from aimsctl.cli import main
from aimsctl.config import DEFAULT_LIKELIHOOD, DEFAULT_SEVERITY, parse_config
from aimsctl.engine import run
from aimsctl.loader import FileTree, Locator, ParseMemo, load_files, parse_file
from aimsctl.records import KINDS
from aimsctl.records.base import scales_context
from aimsctl.records.check import check_document
from aimsctl.repository import load_repository
from aimsctl.scoring import Scorer
from aimsctl.validation_messages import ID_PATTERN
from aimsctl.yamlsafe.walker import Walker
from conftest import MINIMAL_CONFIG
from factory import yaml_of

# Long runs: left out of a plain `pytest`, run by `pytest --all` (the README, CI).
pytestmark = pytest.mark.slow

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("aimsctl-ci", derandomize=True, database=None, **_COMMON)
settings.register_profile("aimsctl-long", derandomize=False, database=None, **_COMMON)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
PROFILE = settings.get_profile("aimsctl-long" if LONG else "aimsctl-ci")


def examples(ci: int, long: int) -> settings:
    """The settings of one property: ``ci`` examples by default, ``long`` in the long run."""
    return settings(PROFILE, max_examples=long if LONG else ci)


AS_OF = date(2026, 11, 26)
_CONFIG = parse_config(MINIMAL_CONFIG.encode())
_SCORER = Scorer(_CONFIG.risk)
_CONTEXT = scales_context(_SCORER.likelihood, _SCORER.severity)
_CODE = re.compile(r"AIMS\d{3}")

# --- valid records ------------------------------------------------------------------

# Required text holds a character that is not a space (records.base.Text).
text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda value: value.strip() != ""
)
optional_text = st.one_of(
    st.none(), st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
)
ids = st.from_regex(ID_PATTERN.replace("^", r"\A").replace("$", r"\Z"), fullmatch=True).filter(
    lambda value: not value.startswith("A.")
)
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.dates().map(date.isoformat),
)
levels_on = {
    "likelihood": st.one_of(
        st.integers(1, len(DEFAULT_LIKELIHOOD)),
        st.sampled_from(DEFAULT_LIKELIHOOD).flatmap(
            lambda label: st.sampled_from([label, label.lower(), label.upper()])
        ),
    ),
    "severity": st.one_of(
        st.integers(1, len(DEFAULT_SEVERITY)),
        st.sampled_from(DEFAULT_SEVERITY).flatmap(
            lambda label: st.sampled_from([label, label.lower(), label.upper()])
        ),
    ),
}
texts = st.lists(text, max_size=3)
id_lists = st.lists(ids, min_size=1, max_size=3)
review = st.fixed_dictionaries({"on": dates, "by": text})


def _enum(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


def _common(kind: str) -> dict[str, st.SearchStrategy[Any]]:
    return {"kind": st.just(kind), "id": ids, "title": text}


_COMMON_OPTIONAL: dict[str, st.SearchStrategy[Any]] = {
    "description": optional_text,
    "tags": texts,
    "reviewed": review,
}

systems = st.fixed_dictionaries(
    {
        **_common("AISystem"),
        "owner": text,
        "purpose": text,
        "type": _enum("predictive", "generative", "agentic", "rule-based", "other"),
        "stage": _enum("proposed", "development", "validation", "production", "retired"),
        "human_oversight": st.fixed_dictionaries(
            {"mode": _enum("none", "periodic-review", "human-on-the-loop", "human-in-the-loop")},
            optional={"description": optional_text},
        ),
    },
    optional={
        **_COMMON_OPTIONAL,
        "intended_users": texts,
        "foreseeable_misuse": texts,
        "decisions": optional_text,
        "stakeholders": st.lists(
            st.fixed_dictionaries(
                {"group": text},
                optional={"vulnerable": st.booleans(), "description": text},
            ),
            max_size=2,
        ),
        "data": st.lists(
            st.fixed_dictionaries(
                {"name": text, "stage": _enum("training", "validation", "test", "input", "output")},
                optional={
                    "source": text,
                    "personal": st.booleans(),
                    "sensitive": st.booleans(),
                    "provenance": text,
                },
            ),
            max_size=2,
        ),
        "third_parties": st.lists(
            st.fixed_dictionaries(
                {"name": text, "supplies": _enum("model", "data", "platform", "service")}
            ),
            max_size=2,
        ),
        "ai_roles": st.lists(_enum("provider", "producer", "customer", "partner"), max_size=2),
        "jurisdictions": texts,
        "regulation": st.fixed_dictionaries(
            {},
            optional={
                "eu_ai_act": _enum(
                    "prohibited", "high", "limited", "minimal", "gpai", "not-applicable"
                ),
                "eu_role": _enum("provider", "deployer", "importer", "distributor"),
                "nyc_aedt": st.booleans(),
                "colorado_consequential": st.booleans(),
            },
        ),
        "documentation": texts,
    },
)

levels = st.fixed_dictionaries(levels_on)
risks = st.fixed_dictionaries(
    {
        **_common("Risk"),
        "owner": text,
        "description": text,
        "systems": id_lists,
        "inherent": levels,
        "status": _enum("open", "treating", "monitoring", "closed"),
    },
    optional={
        "tags": texts,
        "reviewed": review,
        "sources": st.lists(_enum("machine-learning", "hardware", "other"), max_size=2),
        "objectives": st.lists(_enum("fairness", "privacy", "safety"), max_size=2),
        "data_stage": _enum("training", "input", "output"),
        "misuse": st.booleans(),
        "affects": st.lists(_enum("individuals", "groups", "society", "organization"), max_size=2),
        "affects_vulnerable": st.booleans(),
        "treatment": st.fixed_dictionaries(
            {"option": _enum("mitigate", "avoid", "transfer", "accept")},
            optional={
                "controls": st.lists(ids, max_size=2),
                "plan": text,
                "due": dates,
                "owner": text,
            },
        ),
        "residual": levels,
        "acceptance": st.fixed_dictionaries(
            {"by": text, "on": dates, "rationale": text, "expires": dates}
        ),
    },
)

assessments = st.fixed_dictionaries(
    {
        **_common("ImpactAssessment"),
        "system": ids,
        "status": _enum("draft", "in-review", "approved", "superseded"),
        "assessed": st.fixed_dictionaries({"on": dates, "by": text}),
    },
    optional={
        **_COMMON_OPTIONAL,
        "owner": text,
        "approval": st.fixed_dictionaries({"by": text, "on": dates}),
        "next_review": dates,
        "stakeholders": st.lists(
            st.fixed_dictionaries(
                {"group": text},
                optional={
                    "vulnerable": st.booleans(),
                    "concerns": texts,
                    "engagement": st.lists(
                        st.fixed_dictionaries(
                            {"method": _enum("interview", "survey", "panel"), "on": dates},
                            optional={"summary": text},
                        ),
                        max_size=2,
                    ),
                },
            ),
            max_size=2,
        ),
        "impacts": st.lists(
            st.fixed_dictionaries(
                {
                    "dimension": _enum("fairness", "privacy", "human-rights"),
                    "scope": _enum("individual", "group", "society"),
                    "description": text,
                    **levels_on,
                },
                optional={"groups": texts, "mitigations": st.lists(ids, max_size=2)},
            ),
            max_size=2,
        ),
        "decision": _enum("proceed", "proceed-with-conditions", "do-not-proceed"),
        "conclusion": text,
    },
)

evidence = st.one_of(
    st.fixed_dictionaries({"path": text}, optional={"description": text, "date": dates}),
    st.fixed_dictionaries({"url": text}, optional={"description": text, "date": dates}),
)
_CONTROL_OPTIONAL: dict[str, st.SearchStrategy[Any]] = {
    **_COMMON_OPTIONAL,
    "owner": text,
    "basis": st.lists(
        _enum("risk-treatment", "legal", "contractual", "best-practice", "business"), max_size=2
    ),
    "status": _enum("not-started", "planned", "partial", "implemented"),
    "implementation": text,
    "evidence": st.lists(evidence, max_size=2),
    "systems": st.lists(ids, max_size=2),
}
_CONTROL_REQUIRED: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.just("Control"),
    "applicable": st.booleans(),
    "justification": st.text(max_size=30),
}
controls = st.one_of(
    st.fixed_dictionaries(
        {**_CONTROL_REQUIRED, "id": ids, "title": text}, optional=_CONTROL_OPTIONAL
    ),
    st.fixed_dictionaries(
        {**_CONTROL_REQUIRED, "id": st.sampled_from(sorted(annex_a()))},
        optional={**_CONTROL_OPTIONAL, "title": text},
    ),
)

waivers = st.fixed_dictionaries(
    {
        **_common("Waiver"),
        # An unknown code is an error, and so is one whose findings leave a record out.
        "rule": st.sampled_from(sorted(codes.ALL - codes.UNSILENCEABLE)),
        "records": id_lists,
        "justification": text,
        "approved_by": text,
        "expires": dates,
    },
    optional={**_COMMON_OPTIONAL, "owner": text},
)

records = st.one_of(systems, risks, assessments, controls, waivers)


def _check(raw: bytes) -> list[Any]:
    """Read and check one file; every diagnostic, after asserting the contract of each."""
    documents, diagnostics = parse_file("r.yaml", raw)
    locator = Locator()
    for document in documents:
        diagnostics.extend(check_document(document, locator, _CONTEXT)[1])
    line_count = raw.count(b"\n") + raw.count(b"\r") + 2
    for diagnostic in diagnostics:
        assert diagnostic.path == "r.yaml"
        assert _CODE.fullmatch(diagnostic.code), diagnostic
        assert 1 <= diagnostic.line <= line_count, diagnostic
        assert diagnostic.column >= 1, diagnostic
        assert diagnostic.message, diagnostic
        assert plain_words_problem(diagnostic.message) is None, diagnostic.message
    return diagnostics


@examples(ci=150, long=30_000)
@given(records)
def test_generated_records_stay_valid(record: dict[str, Any]) -> None:
    raw = yaml_of(record).encode("utf-8")
    documents, problems = parse_file("r.yaml", raw)
    assert problems == []
    checked, diagnostics = check_document(documents[0], Locator(), _CONTEXT)
    assert diagnostics == [], ([d.message for d in diagnostics], raw.decode())
    assert checked.record is not None and checked.record.id == record["id"]


# --- mutated records ----------------------------------------------------------------

json_values: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text, dates),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=8,
)


def _pointers(value: Any, pointer: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*pointer, key))
            found.extend(_pointers(item, (*pointer, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*pointer, index))
            found.extend(_pointers(item, (*pointer, index)))
    return found


def _dropped(record: dict[str, Any], pointer: tuple[str | int, ...]) -> dict[str, Any]:
    copied = replaced(record, pointer, None)
    parent: Any = copied
    for part in pointer[:-1]:
        parent = parent[part]
    del parent[pointer[-1]]
    return copied


@examples(ci=150, long=30_000)
@given(records, st.data())
def test_mutated_records_are_reported_never_raised(
    record: dict[str, Any], data: st.DataObject
) -> None:
    pointers = _pointers(record)
    action = data.draw(st.sampled_from(["drop", "insert", "retype"]))
    if action == "insert":
        name = data.draw(text.filter(lambda n: n not in KINDS[record["kind"]].model_fields))
        mutated = {**record, name: data.draw(json_values)}
    else:
        pointer = data.draw(st.sampled_from(pointers))
        if action == "drop":
            mutated = _dropped(record, pointer)
        else:
            mutated = replaced(record, pointer, data.draw(json_values))
    diagnostics = _check(yaml_of(mutated).encode("utf-8"))
    required = {
        name for name, info in KINDS[record["kind"]].model_fields.items() if info.is_required()
    }
    if action == "insert":
        assert "AIMS104" in {d.code for d in diagnostics}
    if action == "drop" and len(pointer) == 1 and pointer[0] in required:
        assert diagnostics, f"dropping {pointer[0]} went unnoticed"


# --- mutated YAML bytes -------------------------------------------------------------

INDICATORS = [
    b":",
    b": ",
    b"-",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"?",
    b"&a ",
    b"*a",
    b"!",
    b"!!python/name:os.system ",
    b"|",
    b">",
    b"#",
    b"'",
    b'"',
    b"%",
    b"@",
    b"`",
    b"\t",
    b"\n",
    b"\r",
    b"---\n",
    b"...\n",
    b"<<: ",
    b"\\",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xe2\x80\x8b",
]


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    raw = bytearray(yaml_of(draw(records)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(raw)))
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat"]))
        if operation == "flip" and raw:
            raw[min(position, len(raw) - 1)] = draw(st.integers(0, 255))
        elif operation == "truncate":
            del raw[position:]
        elif operation == "insert":
            raw[position:position] = draw(st.sampled_from(INDICATORS))
        elif operation == "delete":
            del raw[position : position + draw(st.integers(1, 8))]
        else:
            line_end = raw.find(b"\n", position)
            if line_end >= 0:
                start = raw.rfind(b"\n", 0, position) + 1
                raw[line_end + 1 : line_end + 1] = raw[start : line_end + 1]
    return bytes(raw)


@examples(ci=250, long=30_000)
@given(mutated_bytes())
def test_mutated_yaml_bytes_are_reported_never_raised(raw: bytes) -> None:
    _check(raw)


@examples(ci=150, long=10_000)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_reported_never_raised(raw: bytes) -> None:
    _check(raw)


# --- alias-heavy documents and multi-document files ---------------------------------

SCALARS = ["x", "1", "-2", "0x1F", "1.5e3", "true", "on", "~", "''", '"q"', "R-1", "!!str 3"]
FIELDS = ["k", "kind", "id", "title", "tags", "owner", "systems", "records", "k2"]


@st.composite
def alias_heavy(draw: st.DrawFn) -> bytes:
    """A document of anchors and aliases, nested and fanned out (up to 30 aliases in a
    list, four levels deep: far past the limits), in flow and block style, aliases of
    single values used as keys, and fields of a valid record given aliased values.
    About one document in three also breaks one rule: merge keys (``<<``), an anchor
    used in its own value (a cycle), aliases of lists as keys, an anchor defined
    twice, or an alias of no anchor. Sometimes long enough for the event scan,
    sometimes repeated as several documents."""
    odd = draw(st.sampled_from([None] * 9 + ["merge", "cycle", "key", "twice", "undefined"]))
    defined: list[str] = []  # anchors defined so far
    single: list[str] = []  # those of single values
    names = iter(range(1_000_000))

    def fresh() -> str:
        return f"a{next(names)}"

    def rarely(rule: str) -> bool:
        return odd == rule and draw(st.integers(0, 4)) == 0

    def alias() -> str:
        if rarely("undefined"):
            return "*undefined"
        if defined:
            return "*" + draw(st.sampled_from(defined))
        return draw(st.sampled_from(SCALARS))

    def key() -> str:
        choice = draw(st.integers(0, 9))
        if choice == 0 and single:
            return "*" + draw(st.sampled_from(single)) + " "  # an alias as a key
        if choice == 1 and rarely("merge"):
            return "<<"
        if choice == 2 and defined and rarely("key"):
            return "*" + draw(st.sampled_from(defined)) + " "
        return draw(st.sampled_from(FIELDS))

    def anchored(depth: int) -> str:
        name = draw(st.sampled_from(defined)) if defined and rarely("twice") else fresh()
        if rarely("cycle"):
            defined.append(name)  # used inside its own value
            inner = value(depth + 1)
        else:
            inner = value(depth + 1)
            defined.append(name)
        if inner[:1] in ("*", "&"):
            inner = f"[{inner}]"  # an anchor cannot stand on an alias or another anchor
        if inner[:1] not in ("[", "{"):
            single.append(name)
        return f"&{name} {inner}"

    def value(depth: int) -> str:
        choice = draw(st.integers(0, 6 if depth < 4 else 2))
        if choice == 0:
            return draw(st.sampled_from(SCALARS))
        if choice in (1, 2):
            return alias()
        if choice == 3:
            return anchored(depth)
        if choice == 4:
            return "[" + ", ".join(value(depth + 1) for _ in range(draw(st.integers(0, 4)))) + "]"
        if choice == 5:
            pairs = (f"{key()}: {value(depth + 1)}" for _ in range(draw(st.integers(0, 3))))
            merge = [f"<<: {alias()}"] if rarely("merge") else []
            return "{" + ", ".join([*merge, *pairs]) + "}"
        return "[" + ", ".join(alias() for _ in range(draw(st.integers(1, 30)))) + "]"

    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(yaml_of(draw(records)).rstrip("\n"))
    for _ in range(draw(st.integers(1, 8))):
        style = draw(st.integers(0, 2))
        if style == 0:
            lines.append(f"{key()}: {value(0)}")
        elif style == 1:  # a block list
            lines.append(f"{key()}:")
            lines.extend(f"  - {value(1)}" for _ in range(draw(st.integers(1, 4))))
        else:  # a block mapping, anchored
            name = fresh()
            lines.append(f"{key()}: &{name}")
            lines.extend(f"  {key()}: {value(1)}" for _ in range(draw(st.integers(1, 3))))
            defined.append(name)
    if draw(st.integers(0, 9)) == 0:  # past 5,000 indicator bytes: the event scan reads it
        lines.append("pad: [" + ",".join(["x"] * 5_001) + "]")
    document = "\n".join(lines) + "\n"
    return ("---\n" + document).encode() * draw(st.integers(1, 3))


# Pieces of a multi-document file beside whole records.
DOCUMENT_PIECES = [
    b"---\n",
    b"--- \n",
    b"...\n",
    b"---\n...\n",
    b"--- # a comment\n",
    b"# only a comment\n",
    b"\n\n",
    b"%YAML 1.2\n---\n",
    b"%YAML 1.1\n---\nkind: Risk\n",
    b"%YAML 1.2\n%YAML 1.2\n---\n",
    b"%YAML 2.0\n---\n",
    b"%TAG !e! tag:example.com,2000:\n--- !e!thing x\n",
    b"%TAG ! tag:yaml.org,2002:\n--- !str x\n",
    b"%TAG !! tag:example.com,2000:\n--- !!str x\n",
    b"%FOO bar baz\n---\n",
    b"--- |\n  a block value\n",
    b"--- >-\n  folded\n",
    b"--- [a, b]\n",
    b"--- just a scalar\n",
    b"--- !!map {}\n",
    b"--- !!python/object:os.system\n",
    b"--- &a {k: *a}\n",
    b"--- *a\n",
    b"--- &r {kind: Waiver}\n--- *r\n",
    b"...\n---\n",
    b"--- \xef\xbb\xbfkind: X\n",
    b"---\nkind: Risk\nkind: Risk\n",
]


@st.composite
def multi_document(draw: st.DrawFn) -> bytes:
    """A file of many documents: records, mutated records and alias-heavy ones between
    empty documents, ``---`` and ``...`` markers, directives (%YAML, %TAG, unknown),
    comments and documents that are scalars or lists; sometimes thousands of
    ``---``, past the event scan's threshold or past MAX_DOCUMENTS."""
    parts: list[bytes] = []
    for _ in range(draw(st.integers(1, 25))):
        piece = draw(st.integers(0, 5))
        if piece == 0:
            parts.append(b"---\n" + yaml_of(draw(records)).encode())
        elif piece == 1:
            parts.append(draw(alias_heavy()))
        else:
            parts.append(draw(st.sampled_from(DOCUMENT_PIECES)))
    if draw(st.integers(0, 3)) == 0:  # one mutated record among them
        parts.insert(draw(st.integers(0, len(parts))), b"---\n" + draw(mutated_bytes()))
    if draw(st.integers(0, 19)) == 0:
        separator = draw(st.sampled_from([b"---\n", b"--- a\n", b"---\n...\n"]))
        parts.append(separator * draw(st.sampled_from([1_700, yamlsafe.MAX_DOCUMENTS + 1])))
    raw = b"".join(parts)
    return raw.removeprefix(b"---\n") if draw(st.booleans()) else raw


@examples(ci=100, long=40_000)
@given(alias_heavy())
def test_alias_heavy_documents_are_reported_never_raised(raw: bytes) -> None:
    _check(raw)


@examples(ci=100, long=30_000)
@given(multi_document())
def test_multi_document_files_are_reported_never_raised(raw: bytes) -> None:
    _check(raw)


@examples(ci=50, long=20_000)
@given(
    st.lists(
        st.one_of(alias_heavy(), multi_document(), records.map(lambda r: yaml_of(r).encode())),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 3_000),
    st.integers(0, 1_000),
)
def test_the_run_budget_holds_across_files(files: list[bytes], values: int, aliased: int) -> None:
    """Values visited never pass what the run had (one more per file: the value that
    ran over), and once it ran out every later file gets one AIMS006 and is not read."""
    memo = ParseMemo()
    memo.budget = yamlsafe.Budget(values=values, aliased=aliased)
    tree = FileTree({f"r{index}.yaml": raw for index, raw in enumerate(files)})
    paths = sorted(tree.files)
    visited: list[int] = []
    walk = Walker.value

    def counting(self: Walker, node: Any, depth: int) -> Any:
        visited.append(1)
        return walk(self, node, depth)

    with mock.patch.object(Walker, "value", counting):
        loaded = load_files(tree, paths, memo)
    assert len(visited) <= values + len(files)
    assert 0 <= memo.budget.values <= values and 0 <= memo.budget.aliased <= aliased
    for diagnostic in loaded.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
        assert plain_words_problem(diagnostic.message) is None, diagnostic.message
    if memo.spent_in is None:
        return
    for rel in paths[paths.index(memo.spent_in) + 1 :]:
        own = [(d.code, d.line, d.column) for d in loaded.diagnostics if d.path == rel]
        assert own == [("AIMS006", 1, 1)], (rel, own)
        assert not any(document.source.path == rel for document in loaded.documents)


# --- the exit-code contract ---------------------------------------------------------


@examples(ci=30, long=3_000)
@given(
    st.lists(
        st.one_of(
            records.map(lambda r: yaml_of(r).encode()),
            mutated_bytes(),
            alias_heavy(),
            multi_document(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_record_problems_exit_0_or_1_under_a_valid_config(files: list[bytes]) -> None:
    tree = {f"r{index}.yaml": raw for index, raw in enumerate(files)}
    tree["aims.yaml"] = MINIMAL_CONFIG.encode()
    repository = load_repository(Path("/nonexistent-repo"), AS_OF, source=FileTree(tree))
    result = run(repository)
    assert result.exit_code() in (0, 1) and result.exit_code(strict=True) in (0, 1)
    for diagnostic in result.diagnostics:
        assert diagnostic.path in tree, diagnostic
        assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic


@examples(ci=8, long=300)
@given(st.one_of(mutated_bytes(), alias_heavy(), multi_document()))
def test_command_line_exits_0_or_1_for_any_record(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "aims.yaml").write_text(MINIMAL_CONFIG)
        (root / "r.yaml").write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(
                [
                    "validate",
                    str(root),
                    "--as-of",
                    AS_OF.isoformat(),
                    "--no-cache",
                    "--format",
                    "json",
                ]
            )
    assert code in (0, 1), err.getvalue()
    assert err.getvalue() == ""


@examples(ci=100, long=20_000)
@given(st.text(max_size=200))
def test_any_text_parses_to_data_or_positioned_problems(value: str) -> None:
    result = yamlsafe.parse(value)
    lines = value.count("\n") + value.count("\r") + 2
    for problem in result.problems:
        assert _CODE.fullmatch(problem.code)
        assert 1 <= problem.line <= lines and problem.column >= 1, problem
        assert plain_words_problem(problem.message) is None, problem.message
    for document in result.documents:
        assert document.line >= 1
