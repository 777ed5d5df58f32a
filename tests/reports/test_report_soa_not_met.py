"""A control an open nonconformity records as not met: the Statement of Applicability
(Markdown and HTML) and `aimsctl controls` (text and JSON) keep the status its record
gives, qualified in the words readiness, `status` and `obligations` use; nothing is
qualified where no nonconformity is open or its closure stands. (The OSCAL export:
tests/test_oscal.py.)"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLE, CliResult, excluded_soa

Cli = Callable[..., CliResult]
EXAMPLE_WHY = "NC-2026-01 records it as not met and is verifying, not closed"
QUALIFIED = f"implemented; {EXAMPLE_WHY}"
SMALL_WHY = "NC-1 records it as not met and is open, not closed"
# NC-2026-01 as its closure stands: its actions are done (by 2026-10-21), and an
# effectiveness review found them effective.
CLOSED = (
    "status: closed\n"
    "effectiveness:\n"
    "  on: 2026-11-20\n"
    "  by: internal-audit@northwind.example\n"
    "  effective: true\n"
    "  note: The quarterly exercise on the triage system reached the DPO in time.\n"
)


def _soa(cli: Cli, root: Path, out: Path) -> dict[str, str]:
    texts = {}
    for fmt in ("md", "html"):
        result = cli("report", "soa", root, "-f", fmt, "-o", out, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
        texts[fmt] = (out / f"soa.{fmt}").read_text(encoding="utf-8")
    return texts


def _readiness(cli: Cli, root: Path, out: Path) -> str:
    result = cli("report", "readiness", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return (out / "readiness.md").read_text(encoding="utf-8")


def _md_row(text: str, control_id: str) -> list[str]:
    row = next(line for line in text.splitlines() if line.startswith(f"| {control_id} "))
    return [cell.strip() for cell in row.split(" | ")]


def _controls(cli: Cli, root: Path) -> tuple[str, dict[str, dict[str, object]]]:
    text = cli("controls", root, "--as-of", AS_OF)
    assert text.exit_code == 0, text.stderr
    data = cli("controls", root, "--as-of", AS_OF, "--format", "json")
    assert data.exit_code == 0, data.stderr
    rows = {row["id"]: row for row in json.loads(data.stdout)["controls"]}
    return text.stdout, rows


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, root)
    return root


def test_the_example_soa_qualifies_a84_as_readiness_and_status_say(
    cli: Cli, example: Path, tmp_path: Path
) -> None:
    texts = _soa(cli, example, tmp_path / "reports")
    # The judgement readiness makes, in its words.
    assert EXAMPLE_WHY in _readiness(cli, example, tmp_path / "reports")
    md = texts["md"]
    # The status cell: the record's status, then the nonconformity's finding.
    assert _md_row(md, "A.8.4")[3] == QUALIFIED
    assert _md_row(md, "A.8.3")[3] == "implemented"  # the other controls stay plain
    assert md.count("records it as not met") == 1
    assert (
        "The statuses are counted as the Control records state them, but the "
        "organization's open nonconformities record 1 of these controls as not met, as "
        "its row says: A.8.4 (implemented)." in md
    )
    page = texts["html"]
    row = page[page.index('data-control="A.8.4"') :]
    row = row[: row.index("</tr>")]
    assert '<span class="pill status-implemented">implemented</span>' in row
    assert f'<strong class="verdict-above">{EXAMPLE_WHY}</strong>' in row
    assert page.count("records it as not met") == 1
    assert '<a href="#c-A_8_4">A.8.4</a> (implemented)' in page


def test_the_example_controls_list_qualifies_a84_and_keeps_its_state(
    cli: Cli, example: Path
) -> None:
    text, rows = _controls(cli, example)
    assert f"Communication of incidents  [{QUALIFIED}]\n" in text
    assert text.count("records it as not met") == 1
    assert rows["A.8.4"]["state"] == "implemented"  # the record's status, as before
    assert rows["A.8.4"]["not_met"] == [EXAMPLE_WHY]
    assert [i for i, row in rows.items() if row["not_met"]] == ["A.8.4"]


def test_a_closure_that_stands_qualifies_nothing_in_the_example(
    cli: Cli, example: Path, tmp_path: Path
) -> None:
    path = example / "nonconformities/NC-2026-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("status: verifying\n")
    path.write_text(text.replace("status: verifying\n", CLOSED), encoding="utf-8")
    texts = _soa(cli, example, tmp_path / "reports")
    assert "NC-2026-01 records it" not in _readiness(cli, example, tmp_path / "reports")
    assert _md_row(texts["md"], "A.8.4")[3] == "implemented"
    for page in texts.values():
        assert "records it as not met" not in page
        assert "The statuses are counted as" not in page
    listing, rows = _controls(cli, example)
    assert "Communication of incidents  [implemented]\n" in listing
    assert all(row["not_met"] == [] for row in rows.values())


def _small(make_repo: Callable[..., Path], nonconformity: str | None) -> Path:
    """A.2.2 implemented, with evidence; every other control excluded; one
    nonconformity citing A.2.2 (``nonconformity`` ends it: its status and closure)."""
    controls = excluded_soa("2026-10-01").replace(
        "id: A.2.2\napplicable: false\njustification: Outside the scope of this test repository.\n",
        "id: A.2.2\napplicable: true\njustification: We publish an AI policy.\n"
        "status: implemented\nowner: ciso@acme.example\n"
        "evidence:\n  - path: evidence/policy-briefing.md\n    description: the briefing\n",
    )
    files = {
        "controls/annex-a.yaml": controls,
        "evidence/policy-briefing.md": "# Briefing on the AI policy\n\nHeld for all staff.\n",
    }
    if nonconformity is not None:
        files["nonconformities/NC-1.yaml"] = (
            "kind: Nonconformity\nid: NC-1\ntitle: The AI policy is not communicated\n"
            "description: Nobody outside the board has read it.\nowner: ciso@acme.example\n"
            "raised: 2026-09-01\nsource: internal-audit\nreference: A.2.2\n" + nonconformity
        )
    return make_repo(files)


CLOSED_SMALL = (
    "correction: The policy was sent to all staff.\n"
    "root_cause: The policy was approved without a plan to communicate it.\n"
    "actions:\n"
    "  - description: Brief every team on the policy.\n"
    "    owner: ciso@acme.example\n"
    "    due: 2026-10-31\n"
    "    done: 2026-10-15\n"
    "effectiveness:\n"
    "  on: 2026-11-10\n"
    "  by: auditor@acme.example\n"
    "  effective: true\n"
    "status: closed\n"
)


@pytest.mark.parametrize(
    ("nonconformity", "why"),
    [
        pytest.param("status: open\n", SMALL_WHY, id="open"),
        pytest.param(None, None, id="no-nonconformity"),
        pytest.param(CLOSED_SMALL, None, id="closed"),
    ],
)
def test_a_small_repository_qualifies_only_while_the_nonconformity_is_open(
    cli: Cli,
    make_repo: Callable[..., Path],
    tmp_path: Path,
    nonconformity: str | None,
    why: str | None,
) -> None:
    root = _small(make_repo, nonconformity)
    texts = _soa(cli, root, tmp_path / "reports")
    shown = f"implemented; {why}" if why else "implemented"
    assert _md_row(texts["md"], "A.2.2")[3] == shown
    listing, rows = _controls(cli, root)
    assert f"AI policy  [{shown}]\n" in listing
    assert rows["A.2.2"]["state"] == "implemented"
    assert rows["A.2.2"]["not_met"] == ([why] if why else [])
    for text in (*texts.values(), listing):
        assert text.count("records it as not met") == (1 if why else 0)
