"""The hostile-input corpus: every bad input gets a plain diagnostic, never a traceback.

Three parts:

* every case file under ``tests/cases`` (records and aims.yaml) run through the
  real command line, for the exit code and plain words (``test_cases.py``
  checks their codes and lines);
* a table of inputs that cannot be plain case files: bytes, sizes, symbolic
  links, evidence paths, aims.yaml as bytes, broken report templates;
* each field of each record kind given each value of the wrong type, generated
  from one valid record per kind.

Each table entry names the exit code and the file (and line, where one exists)
that the diagnostic must name. To add a case, add a file under
``tests/cases/records`` or ``tests/cases/config`` with its ``# expect:`` header,
or a :class:`Case` to ``CASES`` below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hostile_records import (
    ALIASED_PER_DOCUMENT,
    VALID,
    Mutation,
    alias_documents,
    plain_words_problem,
    wrong_type_mutations,
)

from aimsctl import yamlsafe
from aimsctl.config import parse_config
from aimsctl.loader import Locator, parse_file
from aimsctl.records import KINDS
from aimsctl.records.base import scales_context
from aimsctl.records.check import check_document
from aimsctl.scoring import Scorer
from conftest import AS_OF, EXCLUDED_SOA, MINIMAL_CONFIG, CliResult
from factory import MINIMAL, record, waiver, yaml_of

# Long runs: left out of a plain `pytest`, run by `pytest --all` (the README, CI).
pytestmark = pytest.mark.slow

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
RECORD_FILES = sorted((CASES_DIR / "records").glob("*.yaml"))
CONFIG_FILES = sorted((CASES_DIR / "config").glob("*.yaml"))
OUTSIDE = "{outside}"  # stands for a folder outside the repository in link targets

Cli = Callable[..., CliResult]


def assert_plain(output: str) -> None:
    problem = plain_words_problem(output)
    assert problem is None, f"raw library text {problem!r} in: {output}"


def _messages(result: CliResult) -> str:
    """The diagnostic messages of a --format json run, and anything on stderr."""
    texts = [result.stderr]
    if result.stdout.strip():
        texts.extend(d["message"] for d in json.loads(result.stdout)["diagnostics"])
    return "\n".join(texts)


# --- the case files -----------------------------------------------------------------


@pytest.mark.parametrize("case", RECORD_FILES, ids=lambda p: p.stem)
def test_record_case_file_is_plain_words(case: Path, tmp_path: Path, cli: Cli) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "aims.yaml").write_text(MINIMAL_CONFIG)
    (root / "case.yaml").write_bytes(case.read_bytes())
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    diagnostics = json.loads(result.stdout)["diagnostics"]
    own = [d for d in diagnostics if d["path"] == "case.yaml"]
    assert own, "the case file gets no diagnostic"
    for diagnostic in own:
        assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1
        assert_plain(diagnostic["message"])


@pytest.mark.parametrize("case", CONFIG_FILES, ids=lambda p: p.stem)
def test_config_case_file_is_plain_words(case: Path, tmp_path: Path, cli: Cli) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "aims.yaml").write_bytes(case.read_bytes())
    result = cli("validate", root, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.fullmatch(r"aimsctl: error: aims\.yaml:\d+:\d+: .+\n", result.stderr), result.stderr
    assert_plain(result.stderr)


# --- the table ----------------------------------------------------------------------

WAIVER = yaml_of(waiver(title="t", justification="j", approved_by="a", expires="2027-01-01"))


def _control(*evidence: str) -> str:
    lines = "".join(f"  - path: {path}\n" for path in evidence)
    return (
        "kind: Control\nid: ORG-1\ntitle: t\nowner: o\napplicable: true\njustification: j\n"
        f"status: implemented\nevidence:\n{lines}"
    )


TEMPLATES_CONFIG = MINIMAL_CONFIG + "templates: report-templates\n"
TEMPLATE = "report-templates/md/soa.md.j2"


@dataclass(frozen=True)
class Case:
    """One hostile input and what the command line must answer."""

    name: str
    files: Mapping[str, str | bytes]
    exit_code: int
    path: str  # the file the diagnostic names
    line: int | None  # the line it names; None where no line exists
    code: str | None = None  # the diagnostic's code (exit 1)
    links: Mapping[str, str] = field(default_factory=dict)  # link -> target
    command: tuple[str, ...] = ("validate", "--format", "json")


def _bytes_cases() -> list[Case]:
    big = yamlsafe.MAX_BYTES
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    utf16 = ("\ufeff" + WAIVER).encode("utf-16-le")
    return [
        Case("empty-file", {"r.yaml": b""}, 1, "r.yaml", 1, "AIMS003"),
        Case("whitespace-only", {"r.yaml": b"  \n\n   \n"}, 1, "r.yaml", 1, "AIMS003"),
        Case("bom-only", {"r.yaml": b"\xef\xbb\xbf"}, 1, "r.yaml", 1, "AIMS003"),
        Case("utf16-le-bom", {"r.yaml": utf16}, 1, "r.yaml", 1, "AIMS002"),
        Case(
            "utf16-be-bom",
            {"r.yaml": ("\ufeff" + WAIVER).encode("utf-16-be")},
            1,
            "r.yaml",
            1,
            "AIMS002",
        ),
        Case(
            "utf32-bom", {"r.yaml": ("\ufeff" + WAIVER).encode("utf-32")}, 1, "r.yaml", 1, "AIMS002"
        ),
        Case("utf16-no-bom", {"r.yaml": WAIVER.encode("utf-16-le")}, 1, "r.yaml", 1, "AIMS002"),
        Case(
            "latin-1",
            {"r.yaml": b"kind: Waiver\nid: W-1\ntitle: caf\xe9\n"},
            1,
            "r.yaml",
            3,
            "AIMS002",
        ),
        Case(
            "truncated-utf8",
            {"r.yaml": b"kind: Waiver\nid: W-1\ntitle: \xe2\x82"},
            1,
            "r.yaml",
            3,
            "AIMS002",
        ),
        Case(
            "overlong-utf8", {"r.yaml": b"kind: Waiver\nid: \xc0\xafW\n"}, 1, "r.yaml", 2, "AIMS002"
        ),
        Case("png-image", {"r.yaml": png}, 1, "r.yaml", 1, "AIMS002"),
        Case("png-signature-only", {"r.yaml": png[:8]}, 1, "r.yaml", 1, "AIMS002"),
        Case("jpeg-image", {"r.yaml": b"\xff\xd8\xff\xe0\x00\x10JFIF"}, 1, "r.yaml", 1, "AIMS002"),
        Case("spreadsheet", {"r.yaml": b"PK\x03\x04\x14\x00\x06\x00"}, 1, "r.yaml", 1, "AIMS002"),
        Case("pdf", {"r.yaml": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"}, 1, "r.yaml", 1, "AIMS002"),
        Case("gzip", {"r.yaml": b"\x1f\x8b\x08\x00"}, 1, "r.yaml", 1, "AIMS002"),
        Case("nul-byte", {"r.yaml": b"kind: Waiver\nid: W-\x001\n"}, 1, "r.yaml", 2, "AIMS002"),
        Case(
            "escape-character",
            {"r.yaml": b"kind: Waiver\nid: W-1\ntitle: \x1b[31mred\n"},
            1,
            "r.yaml",
            3,
            "AIMS002",
        ),
        Case(
            "noncharacter",
            {"r.yaml": "kind: Waiver\nid: W-1\ntitle: a\ufffe\n".encode()},
            1,
            "r.yaml",
            3,
            "AIMS002",
        ),
        Case(
            "larger-than-limit",
            {"r.yaml": b"kind: Waiver\n#" + b"x" * big},
            1,
            "r.yaml",
            1,
            "AIMS007",
        ),
        Case(
            "too-many-documents",
            {"r.yaml": "---\nkind: X\n" * (yamlsafe.MAX_DOCUMENTS + 1)},
            1,
            "r.yaml",
            2 * yamlsafe.MAX_DOCUMENTS + 2,
            "AIMS006",
        ),
        Case(
            "too-many-values",
            {"r.yaml": "tags: [" + "a," * yamlsafe.MAX_NODES + "a]\n"},
            1,
            "r.yaml",
            1,
            "AIMS006",
        ),
        Case(
            "too-many-list-items",
            {"r.yaml": "tags:\n" + "- a\n" * yamlsafe.MAX_NODES},
            1,
            "r.yaml",
            yamlsafe.MAX_NODES,
            "AIMS006",
        ),
        Case(
            "deep-flow-nesting",
            {"r.yaml": "a: " + "[" * 50_000 + "]" * 50_000 + "\n"},
            1,
            "r.yaml",
            1,
            "AIMS006",
        ),
        Case(
            "deep-mapping-nesting",
            {"r.yaml": "a: " + "{b: " * 10_000 + "c" + "}" * 10_000},
            1,
            "r.yaml",
            1,
            "AIMS006",
        ),
        # 10,000 documents (2 MB), each expanding through aliases to just under the
        # limit of a document: 19 minutes before the budgets, now stopped where the
        # run's values reached through aliases run out (the anchors' line).
        Case(
            "alias-documents",
            {"r.yaml": alias_documents(10_000)},
            1,
            "r.yaml",
            3 * (yamlsafe.MAX_ALIAS_VALUES // ALIASED_PER_DOCUMENT) + 2,
            "AIMS006",
        ),
        # Python refuses to convert more than 4,300 digits, and cannot print a number
        # written with as many hex digits.
        Case(
            "number-too-long",
            {"r.yaml": "kind: Waiver\nid: W-1\ntitle: " + "1" * 5_000 + "\n"},
            1,
            "r.yaml",
            3,
            "AIMS006",
        ),
        Case(
            "hex-number-too-long",
            {"r.yaml": WAIVER.replace("title: t\n", "title: 0x" + "f" * 5_000 + "\n")},
            1,
            "r.yaml",
            3,
            "AIMS006",
        ),
    ]


def _link_cases() -> list[Case]:
    outside_record = {"secret.yaml": WAIVER.replace("W-1", "OUTSIDE-SECRET")}
    return [
        Case(
            "link-out-of-repository",
            outside_record,
            1,
            "r.yaml",
            1,
            "AIMS008",
            links={"r.yaml": f"{OUTSIDE}/secret.yaml"},
        ),
        Case("link-loop", {}, 1, "loop.yaml", 1, "AIMS008", links={"loop.yaml": "loop.yaml"}),
        Case("link-dangling", {}, 1, "r.yaml", 1, "AIMS008", links={"r.yaml": "missing.yaml"}),
        Case(
            "folder-link-out-of-repository",
            outside_record,
            1,
            "risks",
            1,
            "AIMS008",
            links={"risks": OUTSIDE},
        ),
        Case("evidence-parent", {"c.yaml": _control("../secret.pdf")}, 1, "c.yaml", 9, "AIMS206"),
        Case(
            "evidence-hidden-parent",
            {"c.yaml": _control("evidence/../../secret.pdf")},
            1,
            "c.yaml",
            9,
            "AIMS206",
        ),
        Case("evidence-absolute", {"c.yaml": _control("/etc/passwd")}, 1, "c.yaml", 9, "AIMS206"),
        Case(
            "evidence-windows-absolute",
            {"c.yaml": _control("'C:\\Users\\me\\a.pdf'")},
            1,
            "c.yaml",
            9,
            "AIMS206",
        ),
        Case(
            "evidence-link-out",
            {"c.yaml": _control("evidence/link.pdf")},
            1,
            "c.yaml",
            9,
            "AIMS206",
            links={"evidence/link.pdf": f"{OUTSIDE}/secret.yaml"},
        ),
        Case(
            "evidence-through-folder-link",
            {"c.yaml": _control("shared/secret.yaml")},
            1,
            "c.yaml",
            9,
            "AIMS206",
            links={"shared": OUTSIDE},
        ),
        Case(
            "evidence-nul-byte",
            {"c.yaml": _control('"evidence/a\\0.pdf"')},
            1,
            "c.yaml",
            9,
            "AIMS206",
        ),
        Case(
            "evidence-name-too-long",
            {"c.yaml": _control("e/" + "x" * 5000)},
            1,
            "c.yaml",
            9,
            "AIMS206",
        ),
        Case(
            "evidence-link-loop",
            {"c.yaml": _control("evidence/loop")},
            1,
            "c.yaml",
            9,
            "AIMS206",
            links={"evidence/loop": "loop"},
        ),
        Case(
            "documentation-parent",
            {
                "s.yaml": (
                    "kind: AISystem\nid: S-1\ntitle: t\nowner: o\npurpose: p\ntype: other\n"
                    "stage: proposed\nhuman_oversight: {mode: none}\ndocumentation: [../card.md]\n"
                )
            },
            1,
            "s.yaml",
            9,
            "AIMS206",
        ),
    ]


def _config_cases() -> list[Case]:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    return [
        Case("config-empty", {"aims.yaml": b""}, 2, "aims.yaml", 1),
        Case("config-comment-only", {"aims.yaml": b"# nothing\n"}, 2, "aims.yaml", 1),
        Case("config-png", {"aims.yaml": png}, 2, "aims.yaml", 1),
        Case(
            "config-utf16",
            {"aims.yaml": ("\ufeff" + MINIMAL_CONFIG).encode("utf-16")},
            2,
            "aims.yaml",
            1,
        ),
        Case(
            "config-latin-1",
            {"aims.yaml": b"version: 1\norganization: Soci\xe9t\xe9\n"},
            2,
            "aims.yaml",
            2,
        ),
        Case(
            "config-too-large",
            {"aims.yaml": MINIMAL_CONFIG.encode() + b"#" * (8 << 20)},
            2,
            "aims.yaml",
            1,
        ),
        Case("config-scalar", {"aims.yaml": b"just words\n"}, 2, "aims.yaml", 1),
        Case(
            "config-link-out",
            {"secret.yaml": MINIMAL_CONFIG},
            2,
            "aims.yaml",
            None,
            links={"aims.yaml": f"{OUTSIDE}/secret.yaml"},
        ),
    ]


def _template_cases() -> list[Case]:
    def broken(name: str, template: str | bytes, line: int | None) -> Case:
        return Case(
            name,
            {
                "aims.yaml": TEMPLATES_CONFIG,
                "controls/annex-a.yaml": EXCLUDED_SOA,
                TEMPLATE: template,
            },
            2,
            TEMPLATE,
            line,
            command=("report", "soa", "--out", "{out}"),
        )

    return [
        broken("template-syntax-error", "# {{ report.title }}\n{% for x in %}\n", 2),
        broken("template-unclosed-block", "# t\n{% if true %}\nno end\n", 3),
        broken("template-undefined-variable", "# t\n\n{{ no_such_thing }}\n", 3),
        broken("template-undefined-attribute", "{{ report.no_such_field }}\n", 1),
        broken("template-class", "{{ ''.__class__ }}\n", 1),
        broken("template-mro", "{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 1),
        broken("template-mro-method", "{{ report.__class__.mro() }}\n", 1),
        broken("template-attr-filter", "{{ ''|attr('__class__') }}\n", 1),
        broken("template-globals", "{{ cycler.__init__.__globals__ }}\n", 1),
        broken("template-lipsum-os", "{{ lipsum.__globals__['os'].system('id') }}\n", 1),
        broken("template-huge-string", "{{ 'x' * 1000000000 }}\n", 1),
        broken("template-huge-power", "{{ 10 ** (10 ** 10) }}\n", 1),
        broken("template-huge-range", "{% for i in range(10 ** 9) %}{% endfor %}\n", 1),
        broken("template-include-parent", "{% include '../../aims.yaml' %}\n", 1),
        broken("template-include-absolute", "{% include '/etc/passwd' %}\n", 1),
        broken("template-not-utf8", b"# caf\xe9 {{ report.title }}\n", None),
        broken("template-binary", b"\x89PNG\r\n\x1a\n\x00\x00", None),
    ]


CASES = _bytes_cases() + _link_cases() + _config_cases() + _template_cases()


def _build(case: Case, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    files = dict(case.files)
    files.setdefault("aims.yaml", MINIMAL_CONFIG)
    for rel, content in files.items():
        # A file the links point to lives outside the repository.
        base = outside if rel == "secret.yaml" else root
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
    if "aims.yaml" in case.links:
        (root / "aims.yaml").unlink()
    for rel, target_text in case.links.items():
        link = root / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target_text.replace(OUTSIDE, str(outside)))
    return root


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_input(case: Case, tmp_path: Path, cli: Cli) -> None:
    root = _build(case, tmp_path)
    out = tmp_path / "out"
    args = [a.replace("{out}", str(out)) for a in case.command]
    result = cli(*args, root, "--as-of", AS_OF)
    assert result.exit_code == case.exit_code, result.stderr
    assert "Traceback" not in result.stderr
    assert "OUTSIDE-SECRET" not in result.stdout + result.stderr  # nothing read from outside
    if case.exit_code == 1:
        assert result.stderr == ""
        found = [
            (d["code"], d["line"])
            for d in json.loads(result.stdout)["diagnostics"]
            if d["path"] == case.path
        ]
        assert (case.code, case.line) in found, found
        assert_plain(_messages(result))
    else:
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aimsctl: error: "), result.stderr
        where = case.path if case.line is None else f"{case.path}:{case.line}:"
        if case.command[0] == "report" and case.line is not None:
            where = f"{case.path}, line {case.line}:"
        assert where in result.stderr, result.stderr
        assert_plain(result.stderr)
        assert not out.exists()  # a failed report writes nothing


def test_large_scalar_under_the_limit_is_read(tmp_path: Path, cli: Cli) -> None:
    """A record of almost 8 MiB, nearly all one value, is an ordinary record."""
    title = "x" * (yamlsafe.MAX_BYTES - len(WAIVER) - 100)
    text = WAIVER.replace("title: t\n", f"title: {title}\n")
    assert len(text.encode()) < yamlsafe.MAX_BYTES
    root = _build(Case("large", {"r.yaml": text}, 0, "r.yaml", None), tmp_path)
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    own = [d for d in json.loads(result.stdout)["diagnostics"] if d["path"] == "r.yaml"]
    assert [d["code"] for d in own if d["code"] < "AIMS200"] == []
    assert json.loads(result.stdout)["summary"]["records"] == 1


def test_file_of_exactly_the_limit_is_read(tmp_path: Path, cli: Cli) -> None:
    padding = yamlsafe.MAX_BYTES - len(WAIVER) - 2
    text = WAIVER + "#" + "x" * padding + "\n"
    assert len(text.encode()) == yamlsafe.MAX_BYTES
    root = _build(Case("limit", {"r.yaml": text}, 0, "r.yaml", None), tmp_path)
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF, "--no-cache")
    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"] if d["path"] == "r.yaml"]
    assert "AIMS007" not in codes


def test_file_name_that_is_not_utf8(tmp_path: Path, cli: Cli) -> None:
    """A file name with bytes that are not UTF-8 is reported by a printable name."""
    root = _build(Case("name", {}, 1, "", None), tmp_path)
    (root / "risks").mkdir()
    (root / "risks" / b"r\xff.yaml".decode("utf-8", "surrogateescape")).write_text(WAIVER)
    for fmt in ("json", "sarif", "junit", "github", "text"):
        result = cli("validate", root, "--format", fmt, "--as-of", AS_OF)
        assert result.exit_code == 1, result.stderr
        # The byte as its escape, backslash and all (JSON doubles it, SARIF's URI
        # encodes it), so r<ff> and r<fe> are told apart.
        shown = {"json": "risks/r\\\\xff.yaml", "sarif": "risks/r%5Cxff.yaml"}
        assert shown.get(fmt, "risks/r\\xff.yaml") in result.stdout, fmt
        result.stdout.encode("utf-8")  # printable and writable as UTF-8
    diagnostics = json.loads(cli("validate", root, "--format", "json", "--as-of", AS_OF).stdout)
    [found] = [d for d in diagnostics["diagnostics"] if d["path"] == "risks/r\\xff.yaml"]
    assert found["code"] == "AIMS008"
    assert "rename it" in found["message"]


# --- each field of each kind, given the wrong type ------------------------------------

MUTATIONS = wrong_type_mutations()
_CONFIG = parse_config(MINIMAL_CONFIG.encode())
_SCORER = Scorer(_CONFIG.risk)
_CONTEXT = scales_context(_SCORER.likelihood, _SCORER.severity)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_record_of_each_kind_is_clean(kind: str) -> None:
    documents, problems = parse_file("r.yaml", yaml_of(VALID[kind]).encode())
    assert problems == []
    checked, diagnostics = check_document(documents[0], Locator(), _CONTEXT)
    assert diagnostics == [] and checked.record is not None


def test_every_kind_has_a_minimal_record_in_the_factory() -> None:
    assert set(MINIMAL) == set(KINDS), "add the missing kinds to MINIMAL in tests/factory.py"


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_minimal_record_of_each_kind_is_clean(kind: str) -> None:
    made = record(kind)
    documents, problems = parse_file("r.yaml", yaml_of(made).encode())
    assert problems == []
    checked, diagnostics = check_document(documents[0], Locator(), _CONTEXT)
    assert [d.message for d in diagnostics] == [] and checked.record is not None
    assert documents[0].data == made


def test_every_kind_and_every_wrong_type_is_generated() -> None:
    assert {m.kind for m in MUTATIONS} == set(VALID)
    assert {m.label for m in MUTATIONS} == {"bool", "float", "string", "list", "null", "mapping"}
    assert len(MUTATIONS) > 500


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_wrong_type_is_reported_at_its_field(mutation: Mutation) -> None:
    text = yaml_of(mutation.record)
    documents, problems = parse_file("r.yaml", text.encode())
    assert problems == []
    diagnostics = check_document(documents[0], Locator(), _CONTEXT)[1]
    if mutation.accepted:
        assert diagnostics == [], [d.message for d in diagnostics]
        return
    assert diagnostics, f"{mutation.name} was accepted"
    node = yamlsafe.document_nodes(text)[0]
    value_line = yamlsafe.locate(node, mutation.pointer, False)[0]
    key_line = yamlsafe.locate(node, mutation.pointer, True)[0]
    kind_line = yamlsafe.locate(node, ("kind",), True)[0]
    for diagnostic in diagnostics:
        assert diagnostic.path == "r.yaml"
        assert diagnostic.code in ("AIMS101", "AIMS102", "AIMS103"), diagnostic
        assert diagnostic.line in (value_line, key_line, kind_line), (diagnostic, text)
        assert_plain(diagnostic.message)
        if mutation.pointer != ("id",):
            assert diagnostic.record == mutation.record["id"]
    located = [d for d in diagnostics if d.line in (value_line, key_line)]
    assert located or mutation.label == "null", [d.message for d in diagnostics]


@pytest.mark.parametrize("character", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_are_text_not_line_breaks(
    character: str, tmp_path: Path, cli: Cli
) -> None:
    """YAML 1.2 (and every editor) reads NEL, LS and PS as text, not as line breaks:
    values keep them, and the lines of later findings are the editor's lines."""
    text = WAIVER.replace("title: t\n", f"title: one{character}two\n") + "owner: [\n"
    root = _build(Case("separators", {"r.yaml": text}, 1, "r.yaml", None), tmp_path)
    result = cli("validate", root, "--format", "json", "--as-of", AS_OF)
    found = [(d["code"], d["line"]) for d in _diagnostics_of(result) if d["path"] == "r.yaml"]
    assert found == [("AIMS001", 10)], found
    documents, _ = parse_file(
        "r.yaml", WAIVER.replace("title: t", f"title: a{character}b").encode()
    )
    assert documents[0].data["title"] == f"a{character}b"


def _diagnostics_of(result: CliResult) -> list[dict[str, object]]:
    diagnostics: list[dict[str, object]] = json.loads(result.stdout)["diagnostics"]
    return diagnostics


def test_positions_in_a_wide_mapping_name_the_first_of_duplicate_keys() -> None:
    """Wide mappings are looked up through an index; it must agree with the order."""
    keys = [f"k{i}" for i in range(200)] + ["k7"]
    text = "".join(f"{key}: {index}\n" for index, key in enumerate(keys))
    node = yamlsafe.document_nodes(text)[0]
    assert yamlsafe.locate(node, ("k7",), True) == (8, 1, True)
    assert yamlsafe.locate(node, ("k199",), False) == (200, 7, True)
    assert yamlsafe.locate(node, ("missing",), True)[2] is False
    problems = yamlsafe.parse(text).problems
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("AIMS005", 201, "duplicate key 'k7': it is already given at line 8; delete one of the two")
    ]
