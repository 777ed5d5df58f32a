"""`aimsctl export oscal`: the documents load with compliance-trestle's OSCAL models,
validate against NIST's OSCAL 1.2.1 JSON Schemas, carry the SoA faithfully and are
the same bytes on every run."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema import Draft7Validator, validators
from trestle.oscal import OSCAL_VERSION_REGEX
from trestle.oscal.catalog import Catalog
from trestle.oscal.component import ComponentDefinition

from aimsctl.catalog import annex_a, annex_a_areas
from aimsctl.oscal import CATALOG_FILE, COMPONENT_FILE, NAMESPACE, OSCAL_VERSION, stable_uuid
from conftest import AS_OF, EXAMPLE, MINIMAL_CONFIG, PROJECT, CliResult, excluded_soa, write_files

Cli = Callable[..., CliResult]
SCHEMAS = PROJECT / "tests" / "data" / f"oscal-{OSCAL_VERSION}"


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    # OSCAL's patterns use Unicode classes (\p{L}) that Python's re cannot read.
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})


def schema_errors(document: dict[str, Any], model: str) -> list[str]:
    schema = json.loads((SCHEMAS / f"oscal_{model}_schema.json").read_text(encoding="utf-8"))
    assert schema["$id"].startswith(f"http://csrc.nist.gov/ns/oscal/{OSCAL_VERSION}/")
    validator = OscalValidator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_schema_checks_check_uris_and_dates() -> None:
    """jsonschema checks the uri, uri-reference and date-time formats (of OSCAL's
    schemas here, SARIF's in tests/outputs) only with rfc3986-validator and
    rfc3339-validator installed; without them every such check passed silently."""
    checker = Draft7Validator.FORMAT_CHECKER
    assert not checker.conforms("a b", "uri-reference")
    assert not checker.conforms("relative/path", "uri")
    assert not checker.conforms("2026-13-01T00:00:00Z", "date-time")
    assert checker.conforms("https://example.org/a%20b", "uri")
    assert checker.conforms("2026-11-26T00:00:00Z", "date-time")


def export(cli: Cli, repo: Path, out: Path, *extra: str) -> dict[str, dict[str, Any]]:
    result = cli("export", "oscal", repo, "--out", out, *extra)
    assert result.exit_code == 0, result.stderr
    return {
        name: json.loads((out / name).read_text(encoding="utf-8"))
        for name in (CATALOG_FILE, COMPONENT_FILE)
    }


@pytest.fixture
def northwind(cli: Cli, tmp_path: Path) -> dict[str, dict[str, Any]]:
    return export(cli, EXAMPLE, tmp_path / "oscal", "--as-of", AS_OF)


def test_the_version_written_is_one_trestle_models(northwind: dict[str, dict[str, Any]]) -> None:
    assert regex.fullmatch(OSCAL_VERSION_REGEX, OSCAL_VERSION)
    for name, kind in ((CATALOG_FILE, "catalog"), (COMPONENT_FILE, "component-definition")):
        assert northwind[name][kind]["metadata"]["oscal-version"] == OSCAL_VERSION


def test_the_catalog_loads_with_trestle_and_validates_against_the_schema(
    northwind: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    document = northwind[CATALOG_FILE]
    assert schema_errors(document, "catalog") == []
    loaded = Catalog.oscal_read(tmp_path / "oscal" / CATALOG_FILE)
    assert loaded is not None
    found = [
        control.id
        for group in loaded.groups or []
        for inner in [group, *(getattr(group, "groups", None) or [])]
        for control in getattr(inner, "controls", None) or []
    ]
    assert found == list(annex_a())  # all 38, in catalogue order
    assert [group.id for group in loaded.groups or []] == [area.id for area in annex_a_areas()]


def test_the_catalog_holds_ids_titles_and_our_summaries_only(
    northwind: dict[str, dict[str, Any]],
) -> None:
    catalog = annex_a()
    groups = northwind[CATALOG_FILE]["catalog"]["groups"]
    controls = [
        c for g in groups for inner in [g, *g.get("groups", [])] for c in inner.get("controls", [])
    ]
    for control in controls:
        assert control["title"] == catalog[control["id"]].title
        assert [part["name"] for part in control["parts"]] == ["guidance"]
        assert control["parts"][0]["prose"] == catalog[control["id"]].summary


def test_the_component_definition_loads_with_trestle_and_validates(
    northwind: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    assert schema_errors(northwind[COMPONENT_FILE], "component") == []
    loaded = ComponentDefinition.oscal_read(tmp_path / "oscal" / COMPONENT_FILE)
    assert loaded is not None and loaded.components is not None
    implementations = loaded.components[0].control_implementations or []
    assert implementations[0].source == CATALOG_FILE
    ids = [r.control_id for r in implementations[0].implemented_requirements]
    assert ids == list(annex_a())


def _requirements(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    component = document["component-definition"]["components"][0]
    requirements = component["control-implementations"][0]["implemented-requirements"]
    return {r["control-id"]: r for r in requirements}


def _props(requirement: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in requirement["props"]}


def test_status_justification_and_evidence_follow_the_soa(
    northwind: dict[str, dict[str, Any]],
) -> None:
    from aimsctl.records import Control
    from aimsctl.repository import load_repository

    repo = load_repository(EXAMPLE, date.fromisoformat(AS_OF))
    requirements = _requirements(northwind[COMPONENT_FILE])
    controls = {c.id: c for c in repo.of_kind(Control)}
    expected = {"implemented": "implemented", "partial": "partial", "planned": "planned"}
    seen_evidence = 0
    for control_id, requirement in requirements.items():
        control = controls[control_id]
        props = _props(requirement)
        assert requirement["description"].startswith(control.justification.strip())
        if not control.applicable:
            assert props["implementation-status"] == "not-applicable"
            assert props["applicable"] == "false"
        else:
            assert props["status"] == control.status
            assert props["implementation-status"] == expected.get(control.status or "", "planned")
        hrefs = [link["href"] for link in requirement.get("links", [])]
        assert len(hrefs) == len(control.evidence)
        for link in requirement.get("links", []):
            assert link["rel"] == "evidence"
        seen_evidence += len(hrefs)
    assert seen_evidence > 0
    # A link's text: the evidence's description, then its date in brackets.
    assert requirements["A.2.2"]["links"][0]["text"] == "Group AI Policy, version 2.1 (2026-09-24)"
    # A.4.4 is excluded in the example; A.2.2 implemented with its policy as evidence.
    assert _props(requirements["A.4.4"])["implementation-status"] == "not-applicable"
    assert _props(requirements["A.2.2"])["implementation-status"] == "implemented"


def test_uuids_are_derived_not_random() -> None:
    assert stable_uuid("component", "Acme") == stable_uuid("component", "Acme")
    assert stable_uuid("component", "Acme") != stable_uuid("component", "Acme Ltd")
    # Marked version 4 (RFC 4122 variant): OSCAL admits 4 and 5, trestle's SSP assembly
    # admits 4 alone.
    assert stable_uuid("x")[14] == "4" and stable_uuid("x")[19] in "89ab"


def test_same_input_same_bytes(cli: Cli, tmp_path: Path) -> None:
    export(cli, EXAMPLE, tmp_path / "one", "--as-of", AS_OF)
    export(cli, EXAMPLE, tmp_path / "two", "--as-of", AS_OF)
    for name in (CATALOG_FILE, COMPONENT_FILE):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def _commit_at(repo: Path, when: str, home: Path) -> None:
    """``repo`` made a git repository of one commit, dated ``when`` (any date git takes)."""
    environment = {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": os.environ["PATH"],
        "HOME": str(home),
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "soa"]):
        subprocess.run(["git", *args], cwd=repo, env=environment, check=True)


def test_a_changed_soa_changes_the_document_uuid_not_the_component(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    soa = excluded_soa("2026-01-05")
    repo = make_repo({"controls/a.yaml": soa})
    first = export(cli, repo, tmp_path / "a", "--as-of", AS_OF)
    changed = soa.replace("Outside the scope of this test repository.", "Not used here.", 1)
    (repo / "controls" / "a.yaml").write_text(changed, encoding="utf-8")
    second = export(cli, repo, tmp_path / "b", "--as-of", AS_OF)
    one, two = first[COMPONENT_FILE], second[COMPONENT_FILE]
    assert one["component-definition"]["uuid"] != two["component-definition"]["uuid"]
    component = "component-definition", "components"
    assert one[component[0]][component[1]][0]["uuid"] == two[component[0]][component[1]][0]["uuid"]
    assert first[CATALOG_FILE] == second[CATALOG_FILE]


def test_without_as_of_the_time_is_the_last_commit(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    repo = make_repo({"controls/a.yaml": excluded_soa("2026-01-05")})
    _commit_at(repo, "2026-03-04T05:06:07+02:00", tmp_path)
    documents = export(cli, repo, tmp_path / "out")
    metadata = documents[COMPONENT_FILE]["component-definition"]["metadata"]
    assert metadata["last-modified"] == "2026-03-04T03:06:07Z"


def test_without_as_of_the_date_rules_run_at_the_commits_own_date(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit at 01:00 +02:00 on 4 March is 3 March in UTC: the date rules ran at
    the UTC day, so reviews dated the 4th in that very commit were 'after the as-of
    date 2026-03-03' (AIMS508) and nothing was exported (exit 1)."""
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    repo = make_repo({"controls/a.yaml": excluded_soa("2026-03-04")})
    _commit_at(repo, "2026-03-04T01:00:00+02:00", tmp_path)
    documents = export(cli, repo, tmp_path / "out")
    metadata = documents[COMPONENT_FILE]["component-definition"]["metadata"]
    assert metadata["last-modified"] == "2026-03-03T23:00:00Z"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("controls/a.yaml", excluded_soa("2026-01-05").replace("this test", "the", 1)),
        ("risks/new.yml", "kind: Risk\n"),
    ],
    ids=["edited", "new"],
)
def test_without_as_of_records_not_committed_export_nothing(
    cli: Cli,
    make_repo: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    text: str,
) -> None:
    """Dated by the newest commit, an export of records edited since claimed that
    commit's time: two different documents (two document UUIDs) with one
    last-modified, older than what they say. A usage error naming the files; with
    --as-of the export goes ahead."""
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    repo = make_repo({"controls/a.yaml": excluded_soa("2026-01-05")})
    _commit_at(repo, "2026-03-04T05:06:07+02:00", tmp_path)
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")
    result = cli("export", "oscal", repo, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"record files differ from the last commit ({path})" in result.stderr
    assert "commit them, or give --as-of" in result.stderr
    assert not (tmp_path / "out").exists()
    export(cli, repo, tmp_path / "out", "--as-of", "2026-03-05", "--force")


def test_without_as_of_yaml_files_that_are_not_records_do_not_stop_the_export(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal counted every .yaml/.yml file below the root: a new CI workflow,
    an edited .pre-commit-config.yaml or a draft in a folder aims.yaml excludes
    (none of them read, none in the documents) stopped the export (exit 2). Only the
    record files the loader reads, and aims.yaml, count; a record edited beside
    them is still named alone."""
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    config = f"{MINIMAL_CONFIG}exclude: [drafts/**]\n"
    repo = make_repo({"controls/a.yaml": excluded_soa("2026-01-05")}, config=config)
    _commit_at(repo, "2026-03-04T05:06:07+02:00", tmp_path)
    write_files(
        repo,
        {
            ".github/workflows/ci.yml": "on: push\n",
            ".pre-commit-config.yaml": "repos: []\n",
            "drafts/R-9.yaml": "kind: Risk\n",
        },
    )
    documents = export(cli, repo, tmp_path / "out")
    metadata = documents[COMPONENT_FILE]["component-definition"]["metadata"]
    assert metadata["last-modified"] == "2026-03-04T03:06:07Z"
    (repo / "risks").mkdir()
    (repo / "risks/new.yaml").write_text("kind: Risk\n", encoding="utf-8")
    result = cli("export", "oscal", repo, "--out", tmp_path / "again")
    assert result.exit_code == 2
    assert "record files differ from the last commit (risks/new.yaml):" in result.stderr
    assert not (tmp_path / "again").exists()


@pytest.mark.parametrize("as_of", ["3000-01-01", "1899-12-31"])
def test_a_date_oscal_cannot_hold_exports_nothing(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path, as_of: str
) -> None:
    # OSCAL's date-time pattern admits the years 1900 to 2999 only.
    repo = make_repo({"controls/a.yaml": excluded_soa("1899-01-05")})
    result = cli("export", "oscal", repo, "--out", tmp_path / "out", "--as-of", as_of, "--force")
    assert result.exit_code == 2
    assert "outside the years an OSCAL document can be dated (1900 to 2999)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_commit_dated_after_2999_asks_for_a_date(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIMSCTL_AS_OF", raising=False)
    repo = make_repo({"controls/a.yaml": excluded_soa("2026-01-05")})
    when = "@32503680000 +0000"  # 3000-01-01T00:00:00Z
    _commit_at(repo, when, tmp_path)
    result = cli("export", "oscal", repo, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "3000-01-01, is outside the years" in result.stderr
    assert "give --as-of" in result.stderr
    assert not (tmp_path / "out").exists()


def test_invalid_records_export_nothing(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({"controls/a.yaml": "kind: Control\nid: A.2.2\napplicable: maybe\n"})
    result = cli("export", "oscal", repo, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "nothing is exported" in result.stderr
    assert not (tmp_path / "out").exists()


def test_undecided_controls_are_left_out_and_named(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    soa = excluded_soa("2026-01-05").split("---\n")
    repo = make_repo({"controls/a.yaml": "---\n".join(soa[1:])})  # A.2.2 has no record
    result = cli("export", "oscal", repo, "--out", tmp_path / "out", "--as-of", AS_OF, "--force")
    assert result.exit_code == 0, result.stderr
    document = json.loads((tmp_path / "out" / COMPONENT_FILE).read_text(encoding="utf-8"))
    assert "A.2.2" not in _requirements(document)
    assert "left out: A.2.2." in document["component-definition"]["components"][0]["remarks"]
    assert schema_errors(document, "component") == []
    assert "37 Annex A controls exported, 1 not decided yet" in result.stdout


def test_with_force_an_invalid_control_is_left_out_as_invalid_with_a_warning(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """A Control record validation refuses is no decision, as `aimsctl controls` and
    the SoA report say ('invalid'): --force exported it as 'not decided yet' and said
    nothing of the file left out, where report --force warns."""
    soa = excluded_soa("2026-01-05").split("---\n")
    invalid = "kind: Control\nid: A.2.2\napplicable: maybe\njustification: Policy.\n"
    repo = make_repo({"controls/a.yaml": "---\n".join([invalid, *soa[1:]])})
    result = cli("export", "oscal", repo, "--out", tmp_path / "out", "--as-of", AS_OF, "--force")
    assert result.exit_code == 0, result.stderr
    assert "whose records are left out of the export: controls/a.yaml" in result.stderr
    assert "37 Annex A controls exported, 1 not valid\n" in result.stdout
    document = json.loads((tmp_path / "out" / COMPONENT_FILE).read_text(encoding="utf-8"))
    remarks = document["component-definition"]["components"][0]["remarks"]
    assert "Left out, as their Control record fails validation: A.2.2." in remarks
    assert "Not decided yet" not in remarks
    assert schema_errors(document, "component") == []
    assert "AI policy  [invalid]" in cli("controls", repo, "--as-of", AS_OF).stdout


def test_with_force_a_control_with_an_error_of_its_own_is_left_out_as_invalid(
    cli: Cli, tmp_path: Path
) -> None:
    """--force exported controls whose records pass the schema but break a rule as
    decisions: an exclusion with no reason as not-applicable, evidence outside the
    repository as links, an applicable control with no status."""
    import shutil

    repo = shutil.copytree(EXAMPLE, tmp_path / "repo")
    soa = repo / "controls" / "annex-a.yaml"
    text = soa.read_text(encoding="utf-8")
    text = text.replace("path: evidence/policy/ai-policy.md", "path: ../../../etc/passwd", 1)
    soa.write_text(text, encoding="utf-8")
    table = cli("validate", repo, "--as-of", AS_OF).stdout
    assert "AIMS206 evidence path '../../../etc/passwd' leads outside" in table
    result = cli("export", "oscal", repo, "--out", tmp_path / "out", "--as-of", AS_OF, "--force")
    assert result.exit_code == 0, result.stderr
    assert (
        "Annex A controls left out of the export, as validation finds errors on their "
        "Control records: A.2.2\n" in result.stderr
    )
    document = json.loads((tmp_path / "out" / COMPONENT_FILE).read_text(encoding="utf-8"))
    assert "A.2.2" not in _requirements(document)
    assert "etc/passwd" not in json.dumps(document)
    remarks = document["component-definition"]["components"][0]["remarks"]
    assert "Left out, as their Control record fails validation: A.2.2." in remarks
    assert ", 1 not valid" in result.stdout


def test_a_control_scoped_to_some_systems_says_which(
    northwind: dict[str, dict[str, Any]],
) -> None:
    """A control's `systems` (records.md: optional scope, default all) was dropped, so
    a control scoped to four systems read as implemented for all of them."""
    from aimsctl.records import Control
    from aimsctl.repository import load_repository

    repo = load_repository(EXAMPLE, date.fromisoformat(AS_OF))
    requirements = _requirements(northwind[COMPONENT_FILE])
    scoped = 0
    for control in repo.of_kind(Control):
        if control.id not in requirements:
            continue
        requirement = requirements[control.id]
        named = [p["value"] for p in requirement["props"] if p["name"] == "ai-system"]
        expected = sorted(control.systems) if control.applicable else []
        assert sorted(named) == expected
        if expected:
            scoped += 1
            assert (
                f"Applies to these AI systems only: {', '.join(expected)}."
                in (requirement["description"])
            )
    assert scoped >= 2
    assert "SYS-CREDIT" in [
        p["value"] for p in requirements["A.6.1.2"]["props"] if p["name"] == "ai-system"
    ]


def test_trestle_assembles_an_ssp_from_the_component_definition(cli: Cli, tmp_path: Path) -> None:
    """docs/interop.md: an SSP can be built from the component definition with
    `trestle author`. Its SSP assembly refused version 5 UUIDs."""
    import shutil
    import sys

    trestle = Path(sys.executable).with_name("trestle")
    if not trestle.exists():
        pytest.skip("the trestle command is not installed beside this Python")
    out = tmp_path / "out"
    export(cli, EXAMPLE, out, "--as-of", AS_OF)
    work = tmp_path / "ws"
    work.mkdir()

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(trestle), *args], cwd=work, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    run("init")
    run("import", "-f", str(out / CATALOG_FILE), "-o", "annex-a")
    run("import", "-f", str(out / COMPONENT_FILE), "-o", "aims")
    shutil.copy(out / CATALOG_FILE, work / CATALOG_FILE)  # the component's `source`
    profile = {
        "profile": {
            "uuid": "2b7a1d3e-5c4f-4a6b-9d8e-0f1a2b3c4d5e",
            "metadata": {
                "title": "Annex A, all controls",
                "last-modified": "2026-11-26T00:00:00+00:00",
                "version": "1",
                "oscal-version": OSCAL_VERSION,
            },
            "imports": [{"href": "trestle://catalogs/annex-a/catalog.json", "include-all": {}}],
        }
    }
    (work / "profiles" / "all").mkdir(parents=True)
    (work / "profiles" / "all" / "profile.json").write_text(json.dumps(profile), "utf-8")
    run("author", "ssp-generate", "-p", "all", "-cd", "aims", "-o", "ssp-md")
    run("author", "ssp-assemble", "-m", "ssp-md", "-o", "ssp", "-cd", "aims")
    assembled = work / "system-security-plans" / "ssp" / "system-security-plan.json"
    ssp = json.loads(assembled.read_text(encoding="utf-8"))["system-security-plan"]
    ids = {r["control-id"] for r in ssp["control-implementation"]["implemented-requirements"]}
    assert {"A.2.2", "A.4.4"} <= ids
    run("validate", "-f", str(assembled))


def test_out_must_be_a_folder(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = cli("export", "oscal", EXAMPLE, "--out", target, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr
    assert cli("export", "oscal", EXAMPLE, "--as-of", AS_OF).exit_code == 2


def test_out_dash_is_refused_not_a_folder_named_dash(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out -` is standard output for report, validate and schema; the export is
    two documents, so it is refused (exit 2): it made a folder named '-' in the
    current folder and wrote both documents there."""
    monkeypatch.chdir(tmp_path)
    result = cli("export", "oscal", EXAMPLE, "--out", "-", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "--out - cannot be standard output" in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_a_folder_in_a_documents_place_writes_neither(cli: Cli, tmp_path: Path) -> None:
    # The catalog was written, then the component definition failed: a fresh catalog
    # beside no component definition (or a stale one), with exit 2.
    (tmp_path / "out" / COMPONENT_FILE).mkdir(parents=True)
    result = cli("export", "oscal", EXAMPLE, "--out", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out" / CATALOG_FILE).exists()
    assert result.stdout == ""


def test_the_schema_check_itself_rejects_bad_documents(
    northwind: dict[str, dict[str, Any]],
) -> None:
    document = json.loads(json.dumps(northwind[CATALOG_FILE]))
    document["catalog"]["groups"][0]["id"] = "2 not a token"
    assert schema_errors(document, "catalog") != []
    document = json.loads(json.dumps(northwind[COMPONENT_FILE]))
    del document["component-definition"]["metadata"]["last-modified"]
    assert schema_errors(document, "component") != []


def test_record_text_of_any_shape_stays_valid_oscal(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    soa = excluded_soa("2026-01-05").split("---\n")
    odd = (
        "kind: Control\nid: A.2.2\napplicable: true\nstatus: implemented\n"
        "owner: '  ai-lead@acme.example  '\n"
        'justification: "Line one.\\n\\nLine two, after a blank line."\n'
        "implementation: Dépôt signé\n"
        "reviewed: {on: 2026-01-05, by: auditor@acme.example}\n"
        "evidence:\n"
        '  - {path: "policies/ai policy (v2).pdf", description: "Signed\\npolicy"}\n'
        '  - {url: "https://intranet.acme.example/ai policy/é", description: "Portal copy"}\n'
    )
    repo = make_repo(
        {"controls/a.yaml": "---\n".join([odd, *soa[1:]]), "policies/ai policy (v2).pdf": "%"}
    )
    documents = export(cli, repo, tmp_path / "out", "--as-of", AS_OF, "--force")
    document = documents[COMPONENT_FILE]
    assert schema_errors(document, "component") == []
    requirement = _requirements(document)["A.2.2"]
    assert [link["href"] for link in requirement["links"]] == [
        "policies/ai%20policy%20%28v2%29.pdf",
        "https://intranet.acme.example/ai%20policy/%C3%A9",
    ]
    assert requirement["links"][0]["text"] == "Signed policy"
    assert _props(requirement)["owner"] == "ai-lead@acme.example"
    assert "Line two" in requirement["description"] and "Dépôt signé" in requirement["description"]
    ComponentDefinition.oscal_read(tmp_path / "out" / COMPONENT_FILE)


# What ECMA-262's \\s matches (JSON Schema reads patterns as ECMA-262 does): U+FEFF
# among them, which neither Python's str.split nor the regex package count as space.
_ECMA_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def test_a_property_value_shows_invisible_and_bidi_characters_as_escapes(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """An owner ending in a byte order mark made a property value that ECMA-262
    validators (ajv, as GRC tools use) refuse against OSCAL's StringDatatype
    (``^\\S(.*\\S)?$``), and a right-to-left override showed the owner reversed:
    property values are written as the reports write record text, escapes visible."""
    soa = excluded_soa("2026-01-05").split("---\n")
    control = (
        "kind: Control\nid: A.2.2\napplicable: true\nstatus: implemented\n"
        'owner: "Zo\u00eb \\u202eowner\\ufeff"\n'
        "justification: Policy.\nreviewed: {on: 2026-01-05, by: auditor@acme.example}\n"
    )
    repo = make_repo({"controls/a.yaml": "---\n".join([control, *soa[1:]])})
    documents = export(cli, repo, tmp_path / "out", "--as-of", AS_OF, "--force")
    requirement = _requirements(documents[COMPONENT_FILE])["A.2.2"]
    assert _props(requirement)["owner"] == "Zo\u00eb \\u202eowner\\ufeff"
    ecma_string = regex.compile(f"^[^{_ECMA_SPACE}](.*[^{_ECMA_SPACE}])?$")
    assert all(ecma_string.fullmatch(prop["value"]) for prop in requirement["props"])


def test_an_evidence_path_with_a_colon_stays_a_relative_reference(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    soa = excluded_soa("2026-01-05").split("---\n")
    control = (
        "kind: Control\nid: A.2.2\napplicable: true\nstatus: implemented\nowner: ai-lead\n"
        "justification: Policy.\nreviewed: {on: 2026-01-05, by: auditor@acme.example}\n"
        'evidence:\n  - {path: "minutes:2026.md"}\n  - {url: "mailto:ai-lead@acme.example"}\n'
    )
    repo = make_repo({"controls/a.yaml": "---\n".join([control, *soa[1:]]), "minutes:2026.md": "x"})
    documents = export(cli, repo, tmp_path / "out", "--as-of", AS_OF, "--force")
    requirement = _requirements(documents[COMPONENT_FILE])["A.2.2"]
    # Not a URI of scheme "minutes": the file of that name in the repository. A URL
    # that is no http(s) address is text, as in the reports.
    assert [link["href"] for link in requirement["links"]] == ["minutes%3A2026.md"]
    assert requirement["remarks"] == (
        "Evidence kept as text, as only an http(s) address is linked: "
        "`mailto:ai-lead@acme.example`."
    )


def test_record_text_is_escaped_markdown_and_a_script_url_is_never_a_link(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # OSCAL's markup types are Markdown: a GRC tool would render a link or emphasis
    # written in a record, and an href of javascript: runs where it is clicked.
    soa = excluded_soa("2026-01-05").split("---\n")
    control = (
        "kind: Control\nid: A.2.2\napplicable: true\nstatus: implemented\nowner: ai-lead\n"
        'justification: "[click](javascript:alert(1)) **bold**\\n\\n# Heading"\n'
        "reviewed: {on: 2026-01-05, by: auditor@acme.example}\n"
        "evidence:\n"
        '  - {path: "policy.md", description: "[Policy](javascript:x) *v2*"}\n'
        '  - {url: "javascript:alert(1)", description: "portal"}\n'
        '  - {url: "https://intranet.acme.example/p", description: "_intranet_"}\n'
    )
    repo = make_repo(
        {"controls/a.yaml": "---\n".join([control, *soa[1:]]), "policy.md": "x"},
        config='version: 1\norganization: "Acme *R&D*"\n',
    )
    documents = export(cli, repo, tmp_path / "out", "--as-of", AS_OF)
    document = documents[COMPONENT_FILE]
    assert schema_errors(document, "component") == []
    requirement = _requirements(document)["A.2.2"]
    assert requirement["description"] == (
        "\\[click\\](javascript:alert(1)) \\*\\*bold\\*\\*\n\n\\# Heading"
    )
    assert requirement["links"] == [
        {"href": "policy.md", "rel": "evidence", "text": "\\[Policy\\](javascript:x) \\*v2\\*"},
        {"href": "https://intranet.acme.example/p", "rel": "evidence", "text": "\\_intranet\\_"},
    ]
    assert requirement["remarks"] == (
        "Evidence kept as text, as only an http(s) address is linked: "
        "`javascript:alert(1)` (portal)."
    )
    component = document["component-definition"]["components"][0]
    assert component["title"] == "Acme \\*R\\&D\\* AI management system"
    ComponentDefinition.oscal_read(tmp_path / "out" / COMPONENT_FILE)


def test_a_url_with_an_unclosed_bracket_is_exported_not_a_crash(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    soa = excluded_soa("2026-01-05").split("---\n")
    control = (
        "kind: Control\nid: A.2.2\napplicable: true\nstatus: implemented\nowner: ai-lead\n"
        "justification: Policy.\nreviewed: {on: 2026-01-05, by: auditor@acme.example}\n"
        'evidence:\n  - {url: "https://[intranet/policy"}\n'
    )
    repo = make_repo({"controls/a.yaml": "---\n".join([control, *soa[1:]])})
    documents = export(cli, repo, tmp_path / "out", "--as-of", AS_OF)
    requirement = _requirements(documents[COMPONENT_FILE])["A.2.2"]
    # No host can be read from it, so it is no web address: text, as in the reports.
    assert "links" not in requirement
    assert requirement["remarks"].endswith(": `https://[intranet/policy`.")


def _hrefs(cli: Cli, make_repo: Callable[..., Path], out: Path, urls: list[str]) -> list[str]:
    """The hrefs the export gives an implemented A.2.2 whose evidence is ``urls``."""
    soa = excluded_soa("2026-01-05").split("---\n")
    control = (
        "kind: Control\nid: A.2.2\napplicable: true\nstatus: implemented\nowner: ai-lead\n"
        "justification: Policy.\nreviewed: {on: 2026-01-05, by: auditor@acme.example}\n"
        "evidence:\n" + "".join(f'  - {{url: "{url}"}}\n' for url in urls)
    )
    repo = make_repo({"controls/a.yaml": "---\n".join([control, *soa[1:]])})
    documents = export(cli, repo, out, "--as-of", AS_OF)
    requirement = _requirements(documents[COMPONENT_FILE])["A.2.2"]
    return [link["href"] for link in requirement["links"]]


def test_an_evidence_url_becomes_a_valid_uri_reference(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # The schema's format `uri-reference` (RFC 3986): no '%' but in an escape, no
    # brackets but around an IP literal host, one '#'.
    urls = [
        "https://dash.acme.example/uptime/100%",
        "https://wiki.acme.example/a[1]?q=[x]#b#c",
        "https://[2001:db8::1]:8443/ai%20policy",
    ]
    assert _hrefs(cli, make_repo, tmp_path / "out", urls) == [
        "https://dash.acme.example/uptime/100%25",
        "https://wiki.acme.example/a%5B1%5D?q=%5Bx%5D#b%23c",
        "https://[2001:db8::1]:8443/ai%20policy",
    ]


def test_an_evidence_url_whose_authority_is_no_host_and_port_stays_a_uri_reference(
    cli: Cli, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # Records validate with these URLs, and each was written as it was: a port of
    # letters, a second '@', text after an IP literal, an IP literal that is no IPv6
    # address; none is a uri-reference (RFC 3986), the schema's format for href.
    urls = [
        "https://intranet:8x/policy",
        "https://ai-lead@acme@intranet/policy",
        "https://[::1]x/policy",
        "https://user:pw@[v1.fe]:8443/policy",
    ]
    assert _hrefs(cli, make_repo, tmp_path / "out", urls) == [
        "https://intranet%3A8x/policy",
        "https://ai-lead%40acme@intranet/policy",
        "https://%5B%3A%3A1%5Dx/policy",
        "https://user:pw@[v1.fe]:8443/policy",
    ]


NC_WHY = "NC-2026-01 records it as not met and is verifying, not closed"


def test_a_control_an_open_nonconformity_records_as_not_met_is_qualified(
    northwind: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The example's A.8.4 is implemented by its record, and NC-2026-01 (verifying)
    records it as not met: its implementation-status stays `implemented`, with a
    remark saying why, the requirement's remarks qualify it as the SoA report does,
    and a `not-met` property names the nonconformity. No other control is touched,
    and the document stays valid OSCAL that trestle reads."""
    requirements = _requirements(northwind[COMPONENT_FILE])
    a84 = requirements["A.8.4"]
    [status] = [p for p in a84["props"] if p["name"] == "implementation-status"]
    assert status == {
        "name": "implementation-status",
        "value": "implemented",
        "remarks": f"{NC_WHY}.",
    }
    assert _props(a84)["status"] == "implemented"
    assert [p["value"] for p in a84["props"] if p["name"] == "not-met"] == ["NC-2026-01"]
    assert all(p["ns"] == NAMESPACE for p in a84["props"] if p["name"] == "not-met")
    assert a84["remarks"] == f"Implementation status implemented; {NC_WHY}."
    touched = [
        control_id
        for control_id, requirement in requirements.items()
        if "not met" in json.dumps(requirement)
    ]
    assert touched == ["A.8.4"]
    assert schema_errors(northwind[COMPONENT_FILE], "component") == []
    loaded = ComponentDefinition.oscal_read(tmp_path / "oscal" / COMPONENT_FILE)
    assert loaded is not None and loaded.components is not None


def test_a_nonconformity_closed_for_good_qualifies_nothing(cli: Cli, tmp_path: Path) -> None:
    import shutil

    repo = shutil.copytree(EXAMPLE, tmp_path / "repo")
    path = repo / "nonconformities" / "NC-2026-01.yaml"
    text = path.read_text(encoding="utf-8")
    closed = (
        "status: closed\neffectiveness:\n  on: 2026-11-20\n"
        "  by: internal-audit@northwind.example\n  effective: true\n"
    )
    path.write_text(text.replace("status: verifying\n", closed), encoding="utf-8")
    document = export(cli, repo, tmp_path / "out", "--as-of", AS_OF)[COMPONENT_FILE]
    a84 = _requirements(document)["A.8.4"]
    assert "not met" not in json.dumps(document)
    assert "remarks" not in a84
    assert [p for p in a84["props"] if p["name"] == "implementation-status"] == [
        {"name": "implementation-status", "value": "implemented"}
    ]
    assert schema_errors(document, "component") == []
