"""`aimsctl soa sync`: placeholders for missing Annex A controls, nothing else touched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aimsctl.catalog import annex_a
from conftest import AS_OF, CliResult

Cli = Callable[..., CliResult]


def _without(path: Path, ids: set[str]) -> None:
    documents = path.read_text(encoding="utf-8").split("\n---\n")
    kept = [d for d in documents if not any(f"\nid: {i}\n" in f"\n{d}\n" for i in ids)]
    path.write_text("\n---\n".join(kept), encoding="utf-8")


def test_sync_adds_what_is_missing_and_touches_no_decided_control(
    cli: Cli, example_copy: Path
) -> None:
    path = example_copy / "controls/annex-a.yaml"
    _without(path, {"A.2.3", "A.6.2.4"})
    before = path.read_text(encoding="utf-8")
    check = cli("soa", "sync", "--check", example_copy, "--as-of", AS_OF)
    assert check.exit_code == 1 and "A.2.3, A.6.2.4" in check.stdout
    assert path.read_text(encoding="utf-8") == before
    result = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    # Every line that was there is still there, in the same order.
    old_lines = before.splitlines()
    new_lines = iter(after.splitlines())
    assert all(any(line == new for new in new_lines) for line in old_lines)
    assert after.index("id: A.2.3") < after.index("id: A.3.2")
    assert after.index("id: A.6.2.3") < after.index("id: A.6.2.4") < after.index("id: A.6.2.5")
    validated = cli("validate", example_copy, "--as-of", AS_OF, "--format", "json")
    assert '"AIMS107"' in validated.stdout and validated.stdout.count('"AIMS107"') == 2
    again = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    # A placeholder is a record, not a decision (aimsctl controls: 'still placeholders'):
    # the run said 'every Annex A control has a decision on record'.
    assert again.stdout == (
        "every Annex A control has a record; 2 placeholders still to decide: A.2.3, A.6.2.4 "
        "(aimsctl validate lists them)\n"
    )
    assert "2 still placeholders" in cli("controls", example_copy, "--as-of", AS_OF).stdout
    assert path.read_text(encoding="utf-8") == after
    assert cli("fmt", "--check", path).exit_code == 0


def test_a_control_placed_first_goes_below_the_files_header_comment(
    cli: Cli, example_copy: Path
) -> None:
    """A.2.2 opens the catalogue, so its placeholder is the file's first document: below
    the comment that heads the file, not above it; the next control keeps its own."""
    path = example_copy / "controls/annex-a.yaml"
    header = path.read_text(encoding="utf-8").split("\n\n")[0] + "\n\n"
    assert header.startswith("# Northwind Group Statement of Applicability")
    _without(path, {"A.2.2"})  # with the header, which stood above it
    rest = "# A.2.3 Alignment with other policies\n" + path.read_text(encoding="utf-8")
    path.write_text(header + rest, encoding="utf-8")
    result = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(header + "# A.2.2 AI policy\n")
    assert after.endswith("status: not-started\n---\n" + rest)
    assert cli("fmt", "--check", path).exit_code == 0


def test_sync_reports_controls_the_catalogue_does_not_have(
    cli: Cli, make_repo: Callable[..., Path]
) -> None:
    root = make_repo(
        {"controls/old.yaml": "kind: Control\nid: A.9.9\napplicable: false\njustification: x\n"}
    )
    result = cli("soa", "sync", root, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "A.9.9 is not an Annex A control" in result.stdout
    created = (root / "controls/annex-a.yaml").read_text(encoding="utf-8")
    assert created.count("kind: Control") == len(annex_a())
    assert (root / "controls/old.yaml").read_text() == (
        "kind: Control\nid: A.9.9\napplicable: false\njustification: x\n"
    )


def test_a_control_record_that_is_not_valid_is_no_decision(cli: Cli, example_copy: Path) -> None:
    """soa sync --check, controls and the SoA report agree: an invalid Control record is
    no decision (check once passed, and controls called it missing)."""
    path = example_copy / "controls/annex-a.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("id: A.7.4\n")
    status = text.index("status: ", start)
    path.write_text(text[:status] + "status: done-ish" + text[text.index("\n", status) :])
    check = cli("soa", "sync", "--check", example_copy, "--as-of", AS_OF)
    assert check.exit_code == 1 and "not valid, so not a decision: A.7.4" in check.stdout
    assert "every Annex A control has a decision" not in check.stdout
    listed = cli("controls", example_copy, "--as-of", AS_OF)
    assert "A.7.4" in listed.stdout and "[invalid]" in listed.stdout
    assert "1 not valid" in listed.stdout
    report = cli("report", "soa", example_copy, "--out", "-", "--force", "--as-of", AS_OF)
    assert "| A.7.4 Quality of data for AI systems | **invalid** |" in report.stdout
    synced = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert path.read_text(encoding="utf-8").count("id: A.7.4\n") == 1  # no second record
    assert synced.exit_code == 0


def test_a_control_in_a_file_that_cannot_be_read_gets_no_second_record(
    cli: Cli, example_copy: Path
) -> None:
    # The SoA kept in controls/soa.yaml, a YAML error at its top: sync wrote all 38
    # placeholders to a new controls/annex-a.yaml, and fixing the error left every
    # control recorded twice (76 AIMS105 errors).
    path = example_copy / "controls/soa.yaml"
    text = (example_copy / "controls/annex-a.yaml").read_text(encoding="utf-8")
    (example_copy / "controls/annex-a.yaml").unlink()
    path.write_text("bad: [\n" + text, encoding="utf-8")
    check = cli("soa", "sync", "--check", example_copy, "--as-of", AS_OF)
    assert check.exit_code == 1
    assert "missing from the Statement of Applicability" not in check.stdout
    assert "not valid, so not a decision: A.2.2, A.2.3," in check.stdout  # catalogue order
    assert check.stdout.index("A.9.4") < check.stdout.index("A.10.2")
    synced = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert synced.exit_code == 0, synced.stderr
    assert sorted(p.name for p in (example_copy / "controls").iterdir()) == [
        "organization.yaml",
        "soa.yaml",
    ]
    path.write_text(text, encoding="utf-8")
    assert cli("validate", example_copy, "--as-of", AS_OF).exit_code == 0


def test_a_risk_with_a_controls_id_does_not_stand_in_for_the_control(
    cli: Cli, example_copy: Path
) -> None:
    _without(example_copy / "controls/annex-a.yaml", {"A.5.5"})
    risk = example_copy / "risks/R-001.yaml"
    risk.write_text(risk.read_text(encoding="utf-8").replace("id: R-001\n", "id: A.5.5\n", 1))
    check = cli("soa", "sync", "--check", example_copy, "--as-of", AS_OF)
    assert check.exit_code == 1 and "missing from the Statement of Applicability: A.5.5" in (
        check.stdout
    )


def test_sync_writes_nothing_through_a_symbolic_link(
    cli: Cli, example_copy: Path, tmp_path: Path
) -> None:
    # The controls folder leads outside the repository: the loader does not read it
    # (AIMS008), so every control looks missing; sync must not append them out there.
    outside = tmp_path / "outside"
    outside.mkdir()
    (example_copy / "controls").rename(outside / "controls")
    (example_copy / "controls").symlink_to(outside / "controls")
    before = {p.name: p.read_bytes() for p in (outside / "controls").iterdir()}
    result = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "aimsctl: error: controls is a symbolic link: aimsctl writes records only through "
        "real folders and files; nothing was written"
    )
    assert {p.name: p.read_bytes() for p in (outside / "controls").iterdir()} == before


def test_sync_never_writes_where_aims_yaml_excludes(cli: Cli, example_copy: Path) -> None:
    # controls/ excluded: every run added all 38 controls to controls/annex-a.yaml
    # again, which validate never read.
    config = example_copy / "aims.yaml"
    text = config.read_text(encoding="utf-8")
    assert "exclude: [" in text
    config.write_text(text.replace("exclude: [", 'exclude: ["controls/**", '), encoding="utf-8")
    before = (example_copy / "controls/annex-a.yaml").read_bytes()
    for args in (["--check"], []):
        result = cli("soa", "sync", *args, example_copy, "--as-of", AS_OF)
        assert result.exit_code == 2 and "excluded by aims.yaml" in result.stderr
    assert (example_copy / "controls/annex-a.yaml").read_bytes() == before


def test_a_control_drafted_in_an_excluded_file_gets_no_placeholder(
    cli: Cli, example_copy: Path
) -> None:
    # A.5.4 prepared in drafts/ (aims.yaml excludes drafts/**): sync added a placeholder
    # for it, a second record once the draft was moved in (AIMS105).
    path = example_copy / "controls/annex-a.yaml"
    documents = path.read_text(encoding="utf-8").split("\n---\n")
    (draft,) = [d for d in documents if "\nid: A.5.4\n" in f"\n{d}"]
    path.write_text("\n---\n".join(d for d in documents if d is not draft), encoding="utf-8")
    (example_copy / "drafts/A.5.4.yaml").write_text(draft, encoding="utf-8")
    check = cli("soa", "sync", "--check", example_copy, "--as-of", AS_OF)
    assert check.exit_code == 1
    assert check.stdout == (
        "only in a file aims.yaml excludes (a draft), so no placeholder was added: A.5.4; "
        "move the draft in, or delete it\n"
    )
    synced = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert synced.exit_code == 0, synced.stderr
    assert "id: A.5.4" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("valid", [True, False])
def test_a_control_whose_id_a_record_spells_in_another_case_gets_no_placeholder(
    cli: Cli, example_copy: Path, valid: bool
) -> None:
    """`id: a.5.2`, meant to decide A.5.2 (valid, or without the title only Annex A
    controls take from the catalogue): sync added an undecided A.5.2 beside it, two
    records read as one, the decision undone. It now adds none and names the record."""
    path = example_copy / "controls/annex-a.yaml"
    text = path.read_text(encoding="utf-8")
    spelt = "id: a.5.2\n" + ("title: Impact assessment process\n" if valid else "")
    assert "\nid: A.5.2\n" in text
    path.write_text(text.replace("\nid: A.5.2\n", f"\n{spelt}", 1), encoding="utf-8")
    said = (
        "A.5.2: no placeholder was added, as the record 'a.5.2' differs from it in letter "
        "case only (AIMS211); if it is meant as this control, write its id as the catalogue "
        "does\n"
    )
    check = cli("soa", "sync", "--check", example_copy, "--as-of", AS_OF)
    assert (check.exit_code, check.stdout) == (1, said)
    before = path.read_bytes()
    synced = cli("soa", "sync", example_copy, "--as-of", AS_OF)
    assert (synced.exit_code, synced.stdout) == (0, said)
    assert path.read_bytes() == before


def _one_file_each(cli: Cli, tmp_path: Path, leave_out: set[str]) -> Path:
    """A repository made by `aimsctl init`, its annex-a.yaml split into one file per
    control named by its id (``controls/A.2.3.yaml``), without ``leave_out``."""
    assert cli("init", tmp_path / "base").exit_code == 0
    root = tmp_path / "base"
    whole = root / "controls/annex-a.yaml"
    for document in whole.read_text(encoding="utf-8").split("\n---\n"):
        (control,) = [line[4:] for line in document.splitlines() if line.startswith("id: ")]
        if control not in leave_out:
            (root / f"controls/{control}.yaml").write_text(
                document.rstrip("\n") + "\n", encoding="utf-8"
            )
    whole.unlink()
    return root


def test_controls_kept_one_per_file_get_a_file_each(cli: Cli, tmp_path: Path) -> None:
    """Where every Annex A control has a file of its own named by its id, sync put every
    missing placeholder into one of those files (A.2.2 at the top of A.2.3.yaml): a
    file whose name no longer said what it held. Each gets its own file now, in the
    form the placeholder writer gives, and the output names every file written."""
    root = _one_file_each(cli, tmp_path, {"A.2.2", "A.6.2.4"})
    before = {path.name: path.read_bytes() for path in (root / "controls").iterdir()}
    result = cli("soa", "sync", root, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "added 1 placeholder decision to controls/A.2.2.yaml: A.2.2; decide each "
        "(aimsctl validate lists them)\n"
        "added 1 placeholder decision to controls/A.6.2.4.yaml: A.6.2.4; decide each "
        "(aimsctl validate lists them)\n"
    )
    after = {path.name: path.read_bytes() for path in (root / "controls").iterdir()}
    assert set(after) - set(before) == {"A.2.2.yaml", "A.6.2.4.yaml"}
    assert all(after[name] == data for name, data in before.items())
    from aimsctl.authoring.soa_sync import placeholder
    from aimsctl.writing import dump_all

    catalogue = annex_a()
    for control in ("A.2.2", "A.6.2.4"):
        written = (root / f"controls/{control}.yaml").read_text(encoding="utf-8")
        expected = dump_all([placeholder(catalogue[control], "ai-governance-lead")])
        assert written == expected
    assert cli("fmt", "--check", root / "controls").exit_code == 0
    again = cli("soa", "sync", root, "--as-of", AS_OF)
    assert again.stdout.startswith("every Annex A control has a record; 38 placeholders")


def test_controls_one_per_file_are_written_all_or_none(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A placeholder file that cannot be written (here: made by someone else after the
    plan) leaves no other placeholder file behind: nothing is written."""
    import aimsctl.authoring.soa_sync as soa_sync

    root = _one_file_each(cli, tmp_path, {"A.2.2", "A.6.2.4"})
    planned = soa_sync.plan

    def plan_then_race(repo: Any) -> soa_sync.Sync:
        sync = planned(repo)
        (root / "controls/A.6.2.4.yaml").write_text("# someone else's\n", encoding="utf-8")
        return sync

    monkeypatch.setattr(soa_sync, "plan", plan_then_race)
    result = cli("soa", "sync", root, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "controls/A.6.2.4.yaml exists; aimsctl never overwrites a file; nothing was written "
        "(the 1 file(s) written before it were taken back)\n"
    )
    assert not (root / "controls/A.2.2.yaml").exists()
    assert (root / "controls/A.6.2.4.yaml").read_text(encoding="utf-8") == "# someone else's\n"


def test_a_mixed_layout_keeps_the_placeholders_in_one_file(cli: Cli, tmp_path: Path) -> None:
    """One file holding two controls among files of one each: not the one-per-file
    layout, so the placeholders go where they always went (the file holding most)."""
    root = _one_file_each(cli, tmp_path, {"A.2.2", "A.6.2.4"})
    controls = root / "controls"
    pair = controls / "A.3.2.yaml"
    pair.write_text(
        pair.read_text(encoding="utf-8")
        + "---\n"
        + (controls / "A.3.3.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (controls / "A.3.3.yaml").unlink()
    result = cli("soa", "sync", root, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "added 2 placeholder decisions to controls/A.3.2.yaml: A.2.2, A.6.2.4;"
    )
    assert not (controls / "A.2.2.yaml").exists()
