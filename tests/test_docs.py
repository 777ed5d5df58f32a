"""Generated files and documented examples are up to date: ``scripts/regenerate.py --check``.

One test per source the script keeps true (docs/rules.md, docs/records.md,
schemas/, README.md, docs/*.md), run in-process; a failure shows the diff and
the fix is `python scripts/regenerate.py` (or, for an example whose output
changed by mistake, the code). The rules the script follows (elisions, shas,
JSON, directives) are tested below on small texts.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from conftest import PROJECT

SCRIPT = PROJECT / "scripts" / "regenerate.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["regenerate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


regenerate = _load()


@pytest.mark.parametrize("source", regenerate.sources())
def test_source_is_up_to_date(source: str) -> None:
    stale = regenerate.changes(source)
    if stale:
        pytest.fail(
            "\n".join(change.describe() for change in stale)
            + f"\nregenerate with `python scripts/regenerate.py {source}`",
            pytrace=False,
        )


def test_the_risk_guide_shows_every_risk_command() -> None:
    blocks = regenerate.example_blocks((PROJECT / "docs" / "risk.md").read_text("utf-8"), "")
    commands = {e.command.split()[2] for block in blocks for e in block.examples}
    assert commands == {"score", "matrix", "show"}


def test_check_exits_1_listing_what_is_stale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = regenerate.Change("docs/x.md", "old\n", "new\n", ("docs/x.md:3: changed",))
    monkeypatch.setattr(regenerate, "changes", lambda source: [stale])
    assert regenerate.main(["--check", "docs/x.md"]) == 1
    out = capsys.readouterr().out
    assert "docs/x.md: out of date\n  docs/x.md:3: changed\n" in out
    assert "-old\n+new\n" in out


# --- the rules for documented output ------------------------------------------------


def test_an_ellipsis_line_stands_for_any_run_of_lines() -> None:
    documented = ["head", "...", "tail"]
    assert regenerate.matches(documented, ["head", "tail"])
    assert regenerate.matches(documented, ["head", "a", "b", "tail"])
    assert not regenerate.matches(documented, ["head", "a", "other"])
    assert regenerate.matches(["head", "…"], ["head", "a"])


def test_a_line_ending_in_an_ellipsis_stands_for_its_start_and_what_follows() -> None:
    documented = ["A", "  in force: ..."]
    assert regenerate.matches(documented, ["A", "  in force: none was recorded, or", "more"])
    assert not regenerate.matches(documented, ["A", "  not in force"])


def test_shas_match_any_sha_and_json_matches_as_json() -> None:
    assert regenerate.matches(["d687c0c57461  added"], ["0123456789ab  added"])
    assert not regenerate.matches(["d687c0c57461  added"], ["0123456789ab  moved"])
    assert regenerate.matches(['{"a": [1, 2]}'], ["{", '  "a": [', "    1,", "    2", "  ]", "}"])


def test_refreshed_output_keeps_the_elisions() -> None:
    documented = ["Risk R-7: 4 changes", "...", "last line"]
    real = ["Risk R-7: 5 changes", "x", "y", "last line"]
    assert regenerate.refreshed(documented, real) == ["Risk R-7: 5 changes", "...", "last line"]
    assert regenerate.refreshed(["a", "b"], ["a", "c"]) == ["a", "c"]
    assert regenerate.refreshed(documented, ["Risk R-7: 4 changes", "z", "last line"]) == (
        documented
    )


CONSOLE = "```console\n$ aimsctl rules explain AIMS303\n...\n```\n"


def test_directives() -> None:
    skipped = "<!-- regenerate: skip (a sketch) -->\n" + CONSOLE
    assert regenerate.example_blocks(skipped, "d.md") == []
    [block] = regenerate.example_blocks(CONSOLE, "d.md")
    assert [e.command for e in block.examples] == ["aimsctl rules explain AIMS303"]
    assert block.setups == []
    text = "<!-- regenerate: setup=log-r7; output-of=aimsctl log R-7 -->\n```text\nout\n```\n"
    [block] = regenerate.example_blocks(text, "d.md")
    assert block.output_only and block.setups == ["log-r7"]
    assert block.examples[0].output == ["out"]
    assert regenerate.example_blocks("```console\n$ python -m pytest\n```\n", "d.md") == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<!-- regenerate: setup=nowhere -->\n" + CONSOLE, "d.md:1: unknown setup 'nowhere'"),
        ("<!-- regenerate: skip -->\n" + CONSOLE, "d.md:1: say why"),
        ("<!-- regenerate: setup=northwind -->\n\n" + CONSOLE, "d.md:1: a regenerate directive"),
        ("<!-- regenerate: setup=northwind -->\n```yaml\na: 1\n```\n", "needs output-of"),
        ("```console\n$ aimsctl rules\n$ ls\n```\n", "mixes aimsctl and other commands"),
        (
            "<!-- regenerate: setup=northwind,log-r7,northwind -->\n" + CONSOLE,
            "3 setups for 1 commands",
        ),
    ],
)
def test_directives_it_cannot_use_are_errors(text: str, problem: str) -> None:
    with pytest.raises(regenerate.DocError, match=problem):
        regenerate.example_blocks(text, "d.md")


def _clauses_in(cell: str) -> set[str]:
    """The clauses a README table cell names, a range (`A.2.2-A.2.4`) as each of its own."""
    named: set[str] = set()
    for item in (part.strip() for part in cell.split(",")):
        first, _, last = item.partition("-")
        if last:
            stem, _, start = first.rpartition(".")
            named.update(f"{stem}.{n}" for n in range(int(start), int(last.rpartition(".")[2]) + 1))
        elif item:
            named.add(item)
    return named


def test_the_readme_kind_table_names_each_kinds_clauses() -> None:
    from aimsctl.records import KINDS

    rows: dict[str, str] = {}
    for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].strip("`") in KINDS and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[2]
    assert set(rows) == set(KINDS)
    for kind, model in KINDS.items():
        assert _clauses_in(rows[kind]) == set(model.CLAUSES), kind
