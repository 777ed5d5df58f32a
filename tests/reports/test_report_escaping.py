"""Record text is data, never markup or template code, in HTML and in Markdown."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from report_fixtures import (
    AS_OF,
    LONG_SYSTEM_ID,
    Page,
    make_hostile,
    repository_files,
    write_repository,
)

from aimsctl.text import css_string, md_href, md_text
from conftest import CliResult

Cli = Callable[..., CliResult]
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% raw %} a|b"


def _hostile_repo(root: Path) -> Path:
    files = repository_files()
    for rel in ("systems/hire.yaml", "risks/risks.yaml"):
        text = files[rel]
        assert isinstance(text, str)
        files[rel] = text.replace("title: Applicant ranking\n", f"title: '{HOSTILE}'\n").replace(
            "title: Ranking repeats past hiring imbalances\n", f"title: '{HOSTILE}'\n"
        )
    # Document control and the system's contact are text from the repository too.
    config, hire = files["aims.yaml"], files["systems/hire.yaml"]
    assert isinstance(config, str) and isinstance(hire, str)
    assert "    id: GT-AIMS-004\n" in config and "contact: talent-ai@golden.example\n" in hire
    files["aims.yaml"] = config.replace("    id: GT-AIMS-004\n", f"    id: '{HOSTILE}'\n")
    files["systems/hire.yaml"] = hire.replace(
        "contact: talent-ai@golden.example\n", f"contact: '{HOSTILE}'\n"
    )
    controls = files["controls/annex-a.yaml"]
    assert isinstance(controls, str)
    files["controls/annex-a.yaml"] = controls.replace(
        "  - url: https://audits.golden.example/2026\n",
        "  - url: javascript:alert(document.cookie)\n",
    )
    return write_repository(root, files)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return _hostile_repo(tmp_path / "repo")


def test_html_shows_hostile_titles_as_text(hostile: Path, cli: Cli) -> None:
    out = hostile / "reports"
    result = cli("report", "all", hostile, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for name in ("inventory", "risks", "systems", "impact", "soa"):
        text = (out / f"{name}.html").read_text(encoding="utf-8")
        page = Page(text)
        assert not page.find("script"), name
        assert "<script>alert" not in text, name
        assert "javascript:" not in "".join(page.hrefs()), name
    inventory = (out / "inventory.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %} a|b" in inventory
    assert "{{ 7*7 }}" in Page(inventory).text
    soa = (out / "soa.html").read_text(encoding="utf-8")
    # A javascript: evidence "link" is shown as text, never as an href.
    assert "<code>javascript:alert(document.cookie)</code>" in soa
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %} a|b"
    assert f'<span class="doc-id">{escaped}</span>' in soa
    systems = (out / "systems.html").read_text(encoding="utf-8")
    assert f'<dt>Contact</dt><dd><span class="text">{escaped}</span></dd>' in systems


def test_the_printed_running_head_cannot_end_its_css_string_or_the_style_element(
    tmp_path: Path, cli: Cli
) -> None:
    # The organization and the document id go into CSS (the @page margin boxes): text
    # there is escaped as CSS, which HTML's escaping does not do inside <style>.
    org = 'Evil "Org" </style><script>alert(1)</script> \\ end\nnext'
    root = _hostile_repo(tmp_path / "repo")
    config = (root / "aims.yaml").read_text(encoding="utf-8")
    (root / "aims.yaml").write_text(
        config.replace("organization: Golden Test Org", f"organization: {json.dumps(org)}"),
        encoding="utf-8",
    )
    out = root / "reports"
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for name in ("soa", "risks", "index"):
        text = (out / f"{name}.html").read_text(encoding="utf-8")
        assert text.count("</style>") == 1, name
        assert not Page(text).find("script"), name
        style = text[text.index("<style>") : text.index("</style>")]
        assert f': {css_string(org)}"; }}' in style, name
    soa = (out / "soa.html").read_text(encoding="utf-8")
    marks_text = f"As of {AS_OF} \u00b7 {HOSTILE}, version 2.1"
    assert len(marks_text) > 70  # cut to one line, as a long name would run into the page
    marks = css_string(marks_text[:69] + "\u2026")
    assert f'@top-right {{ content: "{marks}"; }}' in soa


def test_markdown_escapes_markup_and_keeps_table_rows_whole(hostile: Path, cli: Cli) -> None:
    out = hostile / "reports"
    result = cli("report", "all", hostile, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    inventory = (out / "inventory.md").read_text(encoding="utf-8")
    assert "<script>" not in inventory
    assert r"\<script\>alert(1)\</script\> {{ 7\*7 }} {% raw %} a\|b" in inventory
    header = next(line for line in inventory.splitlines() if line.startswith("| System |"))
    row = next(line for line in inventory.splitlines() if line.startswith("| SYS-HIRE "))
    unescaped_pipes = row.replace("\\|", "").count("|")
    assert unescaped_pipes == header.count("|")
    risks = (out / "risks.md").read_text(encoding="utf-8")
    assert "<script>" not in risks
    soa = (out / "soa.md").read_text(encoding="utf-8")
    assert "](javascript:" not in soa
    escaped = r"\<script\>alert(1)\</script\> {{ 7\*7 }} {% raw %} a\|b"
    assert f"- **Document:** {escaped}, version 2.1\n" in soa
    systems = (out / "systems.md").read_text(encoding="utf-8")
    assert "<script>" not in systems
    assert f"- **Contact:** {escaped}\n" in systems


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", r"a \| b"),
        ("line one\nline two\n\n  three", "line one line two three"),
        ("<b>*x*_y_</b>", r"\<b\>\*x\*\_y\_\</b\>"),
        ("[link](http://x)", r"\[link\](http://x)"),
        ("back\\slash `code`", r"back\\slash \`code\`"),
        # What would start a list, a thematic break or a heading underline on a line.
        ("- not a list", r"\- not a list"),
        ("+ not a list", r"\+ not a list"),
        ("---", r"\---"),
        ("===", r"\==="),
        ("2026. A year", r"2026\. A year"),
        ("1) one", r"1\) one"),
        ("-", "-"),
        ("-5 and 1.0 and a - b", "-5 and 1.0 and a - b"),
        # GitHub renders text between two dollars as a formula.
        ("Fees of $5 and $10 a seat", r"Fees of \$5 and \$10 a seat"),
        (None, ""),
    ],
)
def test_md_filter(raw: str | None, escaped: str) -> None:
    assert md_text(raw) == escaped


def test_markdown_reports_and_risk_score_escape_dollars(tmp_path: Path, cli: Cli) -> None:
    files = repository_files()
    risks = files["risks/risks.yaml"]
    assert isinstance(risks, str)
    title = "title: Ranking repeats past hiring imbalances\n"
    assert title in risks
    files["risks/risks.yaml"] = risks.replace(title, "title: Fines of $5 to $10 per hire\n")
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    result = cli("report", "all", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for name in ("risks", "systems"):
        text = (out / f"{name}.md").read_text(encoding="utf-8")
        assert r"Fines of \$5 to \$10 per hire" in text, name
    score = cli("risk", "score", root, "--format", "md", "--as-of", AS_OF)
    assert score.exit_code == 0, score.stderr
    assert r"Fines of \$5 to \$10 per hire" in score.stdout


def test_md_href_cannot_end_the_link_early() -> None:
    assert md_href("../docs/a file (v2).md") == "../docs/a%20file%20%28v2%29.md"


def test_md_href_keeps_a_table_row_whole_and_encodes_controls_as_utf8() -> None:
    assert md_href("https://x.example/a|b\\c") == "https://x.example/a%7Cb%5Cc"
    # Each character as the bytes of its UTF-8: U+202E is %E2%80%AE, never %202E.
    assert md_href("a\u202eb\u3000c\x1bd") == "a%E2%80%AEb%E3%80%80c%1Bd"
    # Invisible characters too, so one link's target never reads as another's.
    assert md_href("a\u00adb\U000e0041") == "a%C2%ADb%F3%A0%81%81"


def test_markdown_evidence_link_with_a_pipe_keeps_the_row_whole(tmp_path: Path, cli: Cli) -> None:
    files = repository_files()
    controls = files["controls/annex-a.yaml"]
    assert isinstance(controls, str)
    files["controls/annex-a.yaml"] = controls.replace(
        "  - url: https://audits.golden.example/2026\n",
        '  - url: "https://audits.golden.example/2026?a|b\\u202e"\n',
    )
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    for name in ("soa", "readiness"):
        result = cli("report", name, root, "-o", out, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        text = (out / f"{name}.md").read_text(encoding="utf-8")
        assert "\u202e" not in text, name
        lines = text.splitlines()
        row = next(line for line in lines if line.startswith("| A.5.4 "))
        ruler = next(line for line in reversed(lines[: lines.index(row)]) if line[:4] == "|---")
        assert "https://audits.golden.example/2026?a%7Cb%E2%80%AE" in row, name
        assert row.replace("\\|", "").count("|") == ruler.count("|"), name


def test_html_evidence_link_is_percent_encoded_and_noncharacters_are_escapes(
    tmp_path: Path, cli: Cli
) -> None:
    # As written, a space and a control character in an href would be escaped as text
    # (`\\x01`), and a browser reads a backslash in an http(s) URL as a '/': a link to
    # another page. U+FFFE is a noncharacter, which HTML calls an error.
    files = repository_files()
    controls = files["controls/annex-a.yaml"]
    assert isinstance(controls, str)
    files["controls/annex-a.yaml"] = controls.replace(
        "  - url: https://audits.golden.example/2026\n",
        '  - url: "https://audits.golden.example/2026 q4\\x01a"\n',
    ).replace("description: Public audit summary", 'description: "Audit \\uFFFE report"')
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    result = cli("report", "soa", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    page = (out / "soa.html").read_text(encoding="utf-8")
    assert 'href="https://audits.golden.example/2026%20q4%01a"' in page
    assert "\ufffe" not in page
    assert r"Audit \ufffe report" in Page(page).text


# Characters an HTML document may not hold (HTML's "control" code points other than
# its whitespace: a parse error, and NUL is dropped), and the bidirectional controls
# that reorder what a reader sees.
_NOT_IN_HTML = {chr(c) for c in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
_NOT_IN_HTML |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.fixture
def controls(example_copy: Path) -> Path:
    """The example, with a risk whose title holds control characters (YAML escapes)
    and whose description holds a line break."""
    risk = example_copy / "risks" / "R-001.yaml"
    text = risk.read_text(encoding="utf-8")
    start, end = text.index("description: >-\n"), text.index("owner: ")
    risk.write_text(
        text[:start].replace(
            "title: Ranking repeats past imbalances in who was hired",
            'title: "Ranking\\0 repeats\\e[31m past\\u202Egnikniht\\N imbalances"',
        )
        + 'description: "First line.\\nSecond line."\n'
        + text[end:],
        encoding="utf-8",
    )
    return example_copy


def test_html_writes_control_characters_as_escapes_and_keeps_line_breaks(
    controls: Path, cli: Cli
) -> None:
    out = controls / "reports"
    result = cli("report", "risks", controls, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (out / "risks.html").read_text(encoding="utf-8")
    assert not _NOT_IN_HTML & set(text)
    # Shown as in the Markdown report and on a terminal: what is there, one escape each.
    assert r"Ranking\x00 repeats\x1b[31m past\u202egnikniht\x85 imbalances" in Page(text).text
    assert "First line.\nSecond line." in text


def test_html_writes_invisible_characters_as_escapes(example_copy: Path, cli: Cli) -> None:
    """A Hangul filler or a variation selector is printable to Python, so an HTML
    report wrote it as it was: a title ending in a filler read as one without."""
    risk = example_copy / "risks" / "R-001.yaml"
    text = risk.read_text(encoding="utf-8")
    title = "title: Ranking repeats past imbalances in who was hired"
    assert title in text
    risk.write_text(
        text.replace(title, 'title: "Rank\\u00ading\\u3164 repeats\\uFE00 past"'),
        encoding="utf-8",
    )
    out = example_copy / "reports"
    result = cli("report", "risks", example_copy, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    page = (out / "risks.html").read_text(encoding="utf-8")
    assert not set("\u00ad\u3164\ufe00") & set(page)
    assert r"Rank\xading\u3164 repeats\ufe00 past" in Page(page).text


def test_html_reports_with_control_characters_parse_without_errors(
    controls: Path, cli: Cli
) -> None:
    html5lib = pytest.importorskip("html5lib")
    out = controls / "reports"
    result = cli("report", "all", controls, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for page in sorted(out.glob("*.html")):
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(page.read_text(encoding="utf-8"))
        assert parser.errors == [], page.name


def test_markdown_escapes_the_system_version_an_evaluation_differs_from(
    tmp_path: Path, cli: Cli
) -> None:
    # The monitoring report names the system's documented version beside an
    # evaluation of another model version: record text like any other.
    files = repository_files()
    hire = files["systems/hire.yaml"]
    assert isinstance(hire, str) and "\nversion: 2.4.1\n" in hire
    files["systems/hire.yaml"] = hire.replace(
        "\nversion: 2.4.1\n", '\nversion: "2.4.1 <b>x</b> [y](http://z) a|b \\u202e"\n'
    )
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    result = cli("report", "monitoring", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = (out / "monitoring.md").read_text(encoding="utf-8")
    assert r"(the system documents version 2.4.1 \<b\>x\</b\> \[y\](http://z) a\|b \\u202e)" in text
    assert "<b>" not in text and "\u202e" not in text


def test_markdown_paragraph_of_record_text_starts_no_list_or_rule(tmp_path: Path, cli: Cli) -> None:
    files = repository_files()
    incident = files["incidents/inc-1.yaml"]
    assert isinstance(incident, str)
    old = "description: A résumé parser update misread files from screen readers for a week.\n"
    assert old in incident
    files["incidents/inc-1.yaml"] = incident.replace(old, "description: '- - -'\n")
    root = write_repository(tmp_path / "repo", files)
    out = tmp_path / "out"
    result = cli("report", "monitoring", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    lines = (out / "monitoring.md").read_text(encoding="utf-8").splitlines()
    # The description is a paragraph of its own: as written, a thematic break.
    assert "\\- - -" in lines and "- - -" not in lines


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def _cells(line: str) -> int:
    """Cell separators of a table row as written: pipes not escaped, outside code."""
    return len(re.findall(r"(?<!\\)\|", re.sub(r"`[^`]*`", "", line)))


def test_markdown_reports_of_hostile_titles_and_a_long_id_parse_as_text(
    example_copy: Path, cli: Cli
) -> None:
    """Every Markdown report of the example, each title hostile and a system's id 80
    characters long, read by a CommonMark parser with GFM tables: no raw HTML, no link
    but the example's own, no emphasis from a title, each table row as wide as its
    header, and no bidi control left to reorder a line."""
    plain_out, hostile_out = example_copy.parent / "plain", example_copy.parent / "hostile"
    assert cli("report", "all", example_copy, "-o", plain_out, "--as-of", AS_OF).exit_code == 0
    root = make_hostile(example_copy)
    result = cli("report", "all", root, "-o", hostile_out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    parser = MarkdownIt("commonmark").enable("table")
    shown = 0
    for page in sorted(hostile_out.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        tokens = list(_tokens(parser.parse(text)))
        plain = list(_tokens(parser.parse((plain_out / page.name).read_text(encoding="utf-8"))))
        assert [t.content for t in tokens if t.type.startswith("html")] == [], page.name
        links = [t.attrGet("href") for t in tokens if t.type == "link_open"]
        assert links == [t.attrGet("href") for t in plain if t.type == "link_open"], page.name
        emphasis = [t.type for t in tokens if t.type in ("strong_open", "em_open")]
        assert emphasis == [t.type for t in plain if t.type in ("strong_open", "em_open")]
        assert not _NOT_IN_HTML & set(text), page.name
        lines = text.splitlines()
        for row in (t for t in tokens if t.type == "tr_open" and t.map):
            header = next(i for i in range(row.map[0], -1, -1) if not lines[i - 1].startswith("|"))
            assert _cells(lines[row.map[0]]) == _cells(lines[header]), (page.name, row.map)
        words = "".join(t.content for t in tokens if t.type in ("text", "code_inline"))
        shown += words.count("<script>alert(1)</script> **b** [x](javascript:alert(1)) a|b")
        if page.stem in ("inventory", "risks", "impact", "systems"):
            assert LONG_SYSTEM_ID in words, page.name
    assert shown > 50
