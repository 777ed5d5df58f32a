"""Text that reads as other text: a non-breaking hyphen for a hyphen, a Cyrillic or
full-width letter for a Latin one. Every check treats such a text as what it is, and
every message and diff shows how it differs from what it reads as (Unicode audit)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

from conftest import CliResult
from gitrepo import git

Cli = Callable[..., CliResult]
AS_OF = "2026-11-26"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _diff_markdown_log(cli: Cli, repo: Path) -> tuple[str, str, str]:
    """What diff (text and Markdown) and log say of R-001's last commit."""
    args = ("HEAD~1", "HEAD", "--repo", repo, "--as-of", AS_OF)
    text = cli("diff", *args).stdout
    markdown = cli("diff", *args, "-f", "md").stdout
    log = cli("log", "R-001", "--repo", repo, "--as-of", AS_OF).stdout
    return text, markdown, log


def _messages(cli: Cli, root: Path, code: str) -> list[str]:
    result = cli("validate", root, "--as-of", AS_OF, "--format", "json", "--no-cache")
    return [d["message"] for d in json.loads(result.stdout)["diagnostics"] if d["code"] == code]


def test_a_reference_is_pointed_at_the_invalid_id_that_reads_as_it(
    example_copy: Path, cli: Cli
) -> None:
    """R-025 written in full-width digits: AIMS201's hint named R-024, a different risk
    that exists, and following it linked the wrong record. A Cyrillic A in SYS-FRAUD:
    the hint looked like the reference itself."""
    _edit(example_copy / "risks/R-025.yaml", "id: R-025", "id: R-\uff10\uff12\uff15")
    _edit(example_copy / "systems/SYS-FRAUD.yaml", "id: SYS-FRAUD", "id: SYS-FR\u0410UD")
    found = _messages(cli, example_copy, "AIMS201")
    assert any(
        m.endswith("'R-025', which does not exist; did you mean the record whose id "
                   "'R-\\uff10\\uff12\\uff15' is invalid?")
        for m in found
    ), found  # fmt: skip
    assert not any("R-024" in m for m in found)
    assert any(m.endswith("whose id 'SYS-FR\\u0410UD' is invalid?") for m in found), found


def test_a_value_that_reads_as_the_one_meant_names_the_character(
    example_copy: Path, cli: Cli
) -> None:
    """ "it must be one of ... Likely ..., not 'Likely'; did you mean 'Likely'?" said
    nothing a reader could act on."""
    _edit(example_copy / "risks/R-001.yaml", "likelihood: Likely", "likelihood: Lik\u0435ly")
    (message,) = [m for m in _messages(cli, example_copy, "AIMS102") if "likelihood" in m]
    assert message.endswith(
        "did you mean 'Likely'? ('Lik\\u0435ly' holds U+0435 cyrillic small letter ie)"
    )


def test_a_tag_joined_by_a_dash_drawn_like_a_hyphen_is_reported(
    example_copy: Path, cli: Cli
) -> None:
    """`nyc\u2011ll144\u2011notice` took R-005 out of the Local Law 144 notice
    obligation's evidence while validate read clean."""
    _edit(example_copy / "risks/R-005.yaml", "nyc-ll144-notice", "nyc\u2011ll144\u2011notice")
    assert _messages(cli, example_copy, "AIMS012") == [
        "value joins its letters with U+2011 (non-breaking hyphen), drawn like a hyphen: it "
        "reads as another word than it is; type the hyphen again as '-'"
    ]


def test_an_auditor_written_with_a_cyrillic_letter_is_still_the_owner(
    example_copy: Path, cli: Cli
) -> None:
    """One Cyrillic a in the auditor's address turned AIMS613, an error, into AIMS012's
    warning: with AIMS012 set off, the owner audited their own system unreported."""
    audit = example_copy / "audits/AUD-2026.yaml"
    _edit(
        audit,
        "auditor: Harbour Assurance LLP, with Group Internal Audit",
        "auditor: head-of-digit\u0430l-service@northwind.example",
    )
    (message,) = _messages(cli, example_copy, "AIMS613")
    assert "they own A.8.2, SYS-ASSIST" in message


def test_new_names_the_character_that_makes_an_id_invalid(example_copy: Path, cli: Cli) -> None:
    result = cli("new", "Risk", "R-0\u041026", "--no-input", "--repo", example_copy)
    assert result.exit_code == 2
    assert result.stderr == (
        "aimsctl: error: id 'R-0\u041026' is not a record id (it contains U+0410 CYRILLIC "
        "CAPITAL LETTER A): an id is 1-80 ASCII letters, digits, '.', '_' or '-', starting "
        "with a letter or digit\n"
    )


def test_diff_and_log_show_how_two_values_that_read_the_same_differ(
    example_copy: Path, cli: Cli
) -> None:
    """An owner's hyphen replaced by a non-breaking one read `"a-b" -> "a-b"` in diff,
    its Markdown and log: a reviewer could not see what changed."""

    git(example_copy, "init", "-q")
    git(example_copy, "add", "-A")
    git(example_copy, "commit", "-qm", "base")
    _edit(example_copy / "risks/R-001.yaml", "owner: hr-analytics", "owner: hr\u2011analytics")
    git(example_copy, "commit", "-qam", "owner")
    was = '"hr-analytics-lead@northwind.example"'
    now = '"hr\\u2011analytics-lead@northwind.example"'
    text, markdown, log = _diff_markdown_log(cli, example_copy)
    assert f"owner: {was} -> {now}" in text
    assert f"| owner | `{was}` | `{now}` |" in markdown
    assert f"owner: {was} -> {now}" in log


def test_a_dash_in_a_range_or_a_web_address_is_typography_not_a_lookalike(
    example_copy: Path, cli: Cli
) -> None:
    """En dashes in ranges (`Q1\u2013Q4`, `FY2019\u2013FY2023`, `A.5.2\u2013A.5.5`), an em
    dash, and a web address whose page title holds one were reported, and `--strict`
    failed on correct typography (review)."""
    tags = ', "Q1\u2013Q4", "FY2019\u2013FY2023", "A.5.2\u2013A.5.5", "a\u2014b"]'
    _edit(example_copy / "systems/SYS-ASSIST.yaml", "eu-transparency]", "eu-transparency" + tags)
    _edit(
        example_copy / "systems/SYS-ASSIST.yaml",
        "  - https://www.northwind.example/ai/nora",
        "  - https://www.northwind.example/ai/nora\n"
        "  - https://en.wikipedia.org/wiki/Mann\u2013Whitney_U_test",
    )
    assert _messages(cli, example_copy, "AIMS012") == []


def test_diff_and_log_say_in_words_that_only_the_unicode_composition_changed(
    example_copy: Path, cli: Cli
) -> None:
    """A title rewritten from decomposed (NFD) to composed (NFC) accents read
    `"Nguyễn ..." -> "Nguyễn ..."`: two values alike, and no word on what changed."""
    nfc = "Nguy\u1ec5n \u2014 ranking repeats past imbalances"
    nfd = unicodedata.normalize("NFD", nfc)
    old = "title: Ranking repeats past imbalances in who was hired"
    _edit(example_copy / "risks/R-001.yaml", old, f"title: {nfd}")
    git(example_copy, "init", "-q")
    git(example_copy, "add", "-A")
    git(example_copy, "commit", "-qm", "base")
    _edit(example_copy / "risks/R-001.yaml", nfd, nfc)
    git(example_copy, "commit", "-qam", "composed")
    said = "(same text, Unicode composition changed: decomposed -> composed)"
    text, markdown, log = _diff_markdown_log(cli, example_copy)
    assert f'title: "{nfc}" {said}' in text
    assert f'| title | `"{nfd}"` | {said} |' in markdown
    assert f'title: "{nfc}" {said}' in log
