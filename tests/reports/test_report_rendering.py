"""How reports are rendered fast: the built-in templates without the sandbox when the
repository has no templates of its own, and output counted in
blocks. Each must leave the bytes of every report, and every limit, as they were."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from http import HTTPStatus
from pathlib import Path

import jinja2
import pytest
from jinja2.compiler import CodeGenerator
from jinja2.filters import do_mark_safe
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape
from report_fixtures import (
    AS_OF,
    HIRE,
    RISKS,
    files_with_templates,
    repository_files,
    write_repository,
)

from aimsctl import reports
from aimsctl.reports import NAMES, Provenance, ReportError, render_reports
from aimsctl.reports.common import provenance_context
from aimsctl.reports.render import BuiltInEnvironment, LimitedSandbox, Renderer
from aimsctl.repository import load_repository
from aimsctl.text import printable
from conftest import CliResult
from factory import levels, risk, system, yaml_of

Cli = Callable[..., CliResult]

DAY = date.fromisoformat(AS_OF)


def _repository(tmp_path: Path, templates: dict[str, str] | None = None) -> Path:
    files = repository_files() if templates is None else files_with_templates(templates)
    return write_repository(tmp_path / "repo", files)


def _render_all(root: Path, fmt: str) -> dict[str, str]:
    return render_reports(
        load_repository(root, DAY),
        list(NAMES),
        fmt,
        Provenance("Org", "Scope", DAY, "c"),
        index=True,
    )


def test_only_a_repository_without_templates_gets_the_plain_environment(
    tmp_path: Path,
) -> None:
    assert not issubclass(BuiltInEnvironment, SandboxedEnvironment)
    assert type(Renderer().environment) is BuiltInEnvironment
    repo = load_repository(_repository(tmp_path, {"md/README.txt": "notes\n"}), DAY)
    renderer = Renderer(repo.source, repo.config.templates)
    assert type(renderer.environment) is LimitedSandbox


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_plain_environment_renders_what_the_sandbox_renders(tmp_path: Path, fmt: str) -> None:
    """Every report, byte for byte: with a templates folder that overrides nothing,
    the same built-in templates run in the sandbox."""
    plain = _render_all(_repository(tmp_path / "plain"), fmt)
    sandboxed = _render_all(_repository(tmp_path / "sandboxed", {"md/README.txt": "x\n"}), fmt)
    assert plain == sandboxed


def test_an_override_included_by_a_built_in_template_is_sandboxed(tmp_path: Path) -> None:
    """base.html.j2 (built in) includes the repository's _provenance.html.j2."""
    root = _repository(tmp_path, {"html/_provenance.html.j2": "{{ ''.__class__.__mro__ }}\n"})
    with pytest.raises(ReportError, match=r"_provenance.html.j2, line 1: the template sandbox"):
        render_reports(load_repository(root, DAY), ["soa"], "html", Provenance("x", "", DAY, "c"))


def test_the_output_limit_counts_every_byte_across_blocks() -> None:
    """Thousands of small pieces, some of them two bytes a character: the render at
    the limit passes, one byte less stops it, whichever block the limit falls in."""
    entries = [
        {"title": f"Répört {n}", "file": f"r{n}.md", "description": "é" * (n % 7)}
        for n in range(300)
    ]
    context: dict[str, object] = {
        "provenance": provenance_context(Provenance("O", "", date.fromisoformat(AS_OF), "c")),
        "standard": "ISO/IEC 42001:2023",
        "warning": None,
        "siblings": [],
        "report": {"name": "index", "title": "R", "description": "", "file": "index.md"},
        "reports": [entry | {"clauses": [], "document": None} for entry in entries],
    }
    text = Renderer().render("md/index.md.j2", context)
    size = len(text.encode("utf-8"))
    assert size > len(text)  # some characters are two bytes
    assert Renderer(max_output=size).render("md/index.md.j2", context) == text
    with pytest.raises(ReportError, match=f"grew larger than {size - 1} bytes"):
        Renderer(max_output=size - 1).render("md/index.md.j2", context)


def test_records_are_listed_with_the_numbers_in_their_ids_by_value(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    # Ids written without leading zeros (R-1 ... R-10) were listed as text sorts them:
    # the register read, and a heatmap cell "R-10, R-2", so an auditor
    # looking for R-2 found it after R-10; `risk score --sort id` alike.
    ids = ["R-2", "R-10", "R-1"]
    risks = [risk(i, systems=["SYS-9"], inherent=levels(3, 3)) for i in ids]
    root = make_repo(
        {
            "systems/SYS-9.yaml": yaml_of(system("SYS-9")),
            "systems/SYS-10.yaml": yaml_of(system("SYS-10")),
            "risks/all.yaml": yaml_of(risks),
        }
    )
    result = cli("report", "risks", root, "--as-of", "2026-11-26", "--out", "-", "--force")
    assert result.exit_code == 0, result.stderr
    register = result.stdout[result.stdout.index("## Register") :]
    rows = [line.split(" ")[1] for line in register.splitlines() if line.startswith("| R-")]
    assert rows == ["R-1", "R-2", "R-10"]
    assert "medium: **3** (R-1, R-2, R-10)" in result.stdout
    inventory = cli("report", "inventory", root, "--as-of", "2026-11-26", "--out", "-", "--force")
    systems = [
        line.split(" ")[1] for line in inventory.stdout.splitlines() if line.startswith("| SYS-")
    ]
    assert systems == ["SYS-9", "SYS-10"]
    scored = cli("risk", "score", root, "--as-of", "2026-11-26", "--sort", "id", "--format", "json")
    assert [r["id"] for r in json.loads(scored.stdout)["risks"]] == ["R-1", "R-2", "R-10"]
    assert [s["id"] for s in json.loads(scored.stdout)["systems"]] == ["SYS-9", "SYS-10"]


def test_every_markdown_heading_stands_apart_even_with_no_records(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # With no ManagementReview, "No management review is recorded." ran straight into
    # "## Nonconformity log": a heading glued to a paragraph, which Markdown renderers
    # that follow the original syntax read as one paragraph ending in "## ...".
    root = make_repo()
    out = tmp_path / "out"
    result = cli("report", "all", root, "--as-of", AS_OF, "--out", out, "--force")
    assert result.exit_code == 0, result.stderr
    glued = []
    for page in sorted(out.glob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        glued += [
            f"{page.name}:{n + 1}: {line}"
            for n, line in enumerate(lines)
            if line.startswith("#") and n and lines[n - 1].strip()
        ]
    assert len(list(out.glob("*.md"))) == len(NAMES) + 1  # every report and the index
    assert glued == []


# Values each HTML template writes through `finalize`: plain ASCII (the quick check),
# and each kind of text the quick check hands on to printable().
FINALIZED = [
    "R-001",
    "",
    "a < b & c",
    "tab\there, line\nbreak, return\r",
    "bell\x07 and escape\x1b[31m",
    "delete\x7f",
    "café, naïve",
    "zero\u200bwidth and soft\u00adhyphen",
    "right-to-left \u202eoverride",
    "symbol \u263a\ufe0f with its emoji selector",
    "\udcff a byte that is not UTF-8",
    do_mark_safe("<strong>kept</strong>"),  # Markup, as Jinja makes it
    3,
    None,
    True,
]


@pytest.mark.parametrize("value", FINALIZED, ids=repr)
def test_finalize_quick_check_answers_as_printable_does(value: object) -> None:
    """The quick check of printable ASCII text in finalize gives what the full check
    gives: printable() with line breaks and tabs kept for HTML text, anything else
    (Markdown, non-text values) as it is."""
    environment = Renderer().environment
    for name in ("html/x.html.j2", "md/x.md.j2"):
        context = EvalContext(environment, name)
        escaped = context.autoescape and type(value) is str
        expected = printable(value, keep="\t\n\r") if escaped else value
        found = environment.finalize(context, value)
        assert found == expected and type(found) is type(expected)


# Every ASCII character on its own and inside text: the one-call output's quick path
# takes printable ASCII text, so these are all the characters it ever decides on.
ASCII = [chr(code) for code in range(128)] + [f"a{chr(code)}b" for code in range(128)]


# Numbers (counts, scores): the one-call output writes an int's digits without markupsafe.
NUMBERS = [0, -12, 10**30, False, 2.5, HTTPStatus.OK]


@pytest.mark.parametrize("value", [*FINALIZED, *ASCII, *NUMBERS, 'Tom & Jerry\'s "<b>"'], ids=repr)
def test_one_call_output_writes_what_finalize_then_escape_write(value: object) -> None:
    """An HTML template writes each value in one call (`shown_html`), which skips
    markupsafe for printable ASCII text without a character to escape: the text must
    be what Jinja's own code writes, escape(finalize(value)), for every value."""
    environment = Renderer().environment
    context = EvalContext(environment, "html/x.html.j2")
    expected = escape(environment.finalize(context, value))
    assert str(environment.shown_html(value)) == str(expected)


# Record text an HTML report shows, with every kind of character finalize and escape
# treat: markup, quotes, an ampersand, a control character, a bidirectional control,
# an invisible one and non-ASCII letters.
TRICKY = 'Tom & Jerry\'s <b>"bold"</b>, café \u202eevil\u200b \x07bell\tend'


def test_html_reports_are_the_bytes_jinjas_own_compiled_code_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every HTML report, byte for byte, compiled by aimsctl's code generator (one call
    per value) and by Jinja's own (escape(finalize(value))), from records whose text
    needs each kind of escape."""
    files = repository_files()
    files["systems/hire.yaml"] = yaml_of(HIRE | {"description": TRICKY})
    files["risks/risks.yaml"] = yaml_of([RISKS[0] | {"title": TRICKY}, *RISKS[1:]])
    root = write_repository(tmp_path / "repo", files)
    ours = _render_all(root, "html")
    assert (
        "Tom &amp; Jerry&#39;s &lt;b&gt;&#34;bold&#34;&lt;/b&gt;, café \\u202eevil"
        in (ours["systems.html"])
    )

    def jinjas_own(*args: object) -> Renderer:
        renderer = Renderer()
        renderer.environment.code_generator_class = CodeGenerator
        renderer.environment.bytecode_cache = None  # never our compiled code
        return renderer

    def compiled(renderer: Renderer) -> str:
        return str(renderer.environment.compile("{{ x }}", "x.html.j2", raw=True))

    assert "environment.shown_html(" in compiled(Renderer())
    assert "environment.shown_html(" not in compiled(jinjas_own())
    monkeypatch.setattr(reports, "Renderer", jinjas_own)
    assert _render_all(root, "html") == ours


# `name.key` as the templates use it, and the cases the key taken in place hands on to
# the environment's getattr: a key shadowing a dict method, a missing key, a value
# that is not a dict, an expression before the dot, a name never set.
GETATTR = [
    ("{{ r.id }}", {"r": {"id": "R-1"}}),
    ("{{ r.values }}", {"r": {"values": "the key, not the method"}}),
    ("{{ r.a.b }}", {"r": {"a": {"b": 2}}}),
    ("{{ r.real }}", {"r": 3}),
    ("{{ r.id }}", {"r": jinja2.Undefined}),
    ("{% for r in rows %}{{ r.id }},{% endfor %}", {"rows": [{"id": 1}, {"id": 2}]}),
    ("{% set s = r.score %}{{ s.band if s else '-' }}", {"r": {"score": None}}),
    ("{{ r.nothing is defined }}", {"r": {}}),
    ("{{ r.nothing }}", {"r": {}}),
    ("{{ nowhere.id }}", {}),
]


@pytest.mark.parametrize(("template", "context"), GETATTR, ids=[t for t, _ in GETATTR])
def test_a_key_taken_in_place_reads_as_the_environment_s_getattr(
    template: str, context: dict[str, object]
) -> None:
    """A template's `name.key` on a dict takes the key in place, without the call to
    getattr: the same value, and the same error, as the call gives."""

    def rendered(generator: type[CodeGenerator]) -> str:
        environment = Renderer().environment
        environment.code_generator_class = generator
        try:
            return environment.from_string(template).render(context)
        except jinja2.UndefinedError as error:
            return f"UndefinedError: {error}"

    ours = Renderer().environment.compile(template, raw=True)
    assert "is dict and " in str(ours)
    assert rendered(type(Renderer().environment).code_generator_class) == rendered(CodeGenerator)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_register_says_which_position_is_current_as_the_scoring_credits_it(
    tmp_path: Path, fmt: str
) -> None:
    # With `residual_credit: planned` the rows showed residuals of treatments not in
    # place, under a lead saying the current risk is the residual only once it is.
    files = repository_files()
    config = files["aims.yaml"]
    assert isinstance(config, str) and "risk:\n" in config
    files["aims.yaml"] = config.replace("risk:\n", "risk:\n  residual_credit: planned\n", 1)
    page = _render_all(write_repository(tmp_path / "repo", files), fmt)[f"risks.{fmt}"]
    assert "whether or not the treatment is in place yet" in page
    assert "residual is only planned" not in page
    default = _render_all(_repository(tmp_path / "default"), fmt)[f"risks.{fmt}"]
    assert "until then it is the inherent risk and the residual is only planned" in default
