"""Templates: shipped in the package, overridable from the repository, strict and sandboxed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from report_fixtures import AS_OF, repository_files, write_repository

from aimsctl.reports import NAMES, Provenance, ReportError, render_reports
from aimsctl.repository import load_repository
from conftest import CliResult

Cli = Callable[..., CliResult]


def _with_templates(
    tmp_path: Path, templates: dict[str, str], folder: str = "report-templates"
) -> Path:
    files = repository_files()
    files["aims.yaml"] = f"{files['aims.yaml']!s}templates: {folder}\n"
    files.update({f"report-templates/{name}": text for name, text in templates.items()})
    return write_repository(tmp_path / "repo", files)


def test_every_report_template_ships_in_the_package() -> None:
    folder = resources.files("aimsctl") / "templates"
    for fmt in ("md", "html"):
        names = {entry.name for entry in (folder / fmt).iterdir()}
        for report in (*NAMES, "index", "base"):
            assert f"{report}.{fmt}.j2" in names


def test_an_empty_repository_renders_under_strict_undefined(tmp_path: Path) -> None:
    root = write_repository(tmp_path / "empty", {"aims.yaml": "version: 1\norganization: E\n"})
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    for fmt in ("md", "html"):
        rendered = render_reports(
            repo, list(NAMES), fmt, Provenance("E", "", day, "none"), index=True
        )
        assert len(rendered) == 6
        assert "no AI systems" in rendered[f"inventory.{fmt}"]
        assert "holds no risks" in rendered[f"risks.{fmt}"]
        assert rendered[f"soa.{fmt}"].count("missing") >= 38


def test_override_shadows_a_built_in_template(tmp_path: Path, cli: Cli) -> None:
    root = _with_templates(
        tmp_path,
        {
            "md/soa.md.j2": (
                '{% extends "md/base.md.j2" %}\n{% block content %}\n'
                "Custom SoA of {{ provenance.organization | md }}: "
                "{{ summary.annex_a.excluded }} excluded.\n{% endblock %}\n"
            ),
        },
    )
    out = tmp_path / "out"
    result = cli("report", "all", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    soa = (out / "soa.md").read_text("utf-8")
    assert "Custom SoA of Golden Test Org: 36 excluded." in soa
    assert "- **Git commit:**" in soa  # the built-in base layout still applies
    assert "Custom SoA" not in (out / "risks.md").read_text("utf-8")


def test_override_of_a_partial_changes_every_report(tmp_path: Path, cli: Cli) -> None:
    root = _with_templates(
        tmp_path,
        {
            "html/_provenance.html.j2": '<p class="prov">Records of {{ provenance.organization }}'
            " as of {{ provenance.as_of }}, commit {{ provenance.commit }}</p>\n",
        },
    )
    out = tmp_path / "out"
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    for path in out.iterdir():
        assert '<p class="prov">Records of Golden Test Org as of 2026-11-26' in path.read_text(
            "utf-8"
        ), path.name


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("# {{ report.title }\n", "report-templates/md/soa.md.j2, line 1: syntax error"),
        (
            "# {{ report.title }}\n\n{% for area in areas %}\n{{ area.titel }}\n{% endfor %}\n",
            "report-templates/md/soa.md.j2, line 4: uses a name or attribute the report "
            "does not have: 'dict object' has no attribute 'titel'; fix the template",
        ),
        (
            "{{ no_such_variable }}\n",
            "report-templates/md/soa.md.j2, line 1: uses a name or attribute the report "
            "does not have: 'no_such_variable' is undefined",
        ),
        (
            "{{ ''.__class__.__mro__ }}\n",
            "report-templates/md/soa.md.j2, line 1: the template sandbox refused it",
        ),
        ('{% include "md/nope.md.j2" %}\n', "report template 'md/nope.md.j2' not found"),
        ('{% include "../aims.yaml" %}\n', "report template '../aims.yaml' not found"),
        (
            "{{ 1 / 0 }}\n",
            "report-templates/md/soa.md.j2, line 1: the template failed (ZeroDivisionError)",
        ),
    ],
)
def test_broken_override_is_exit_2_naming_file_and_line(
    tmp_path: Path,
    cli: Cli,
    template: str,
    message: str,
) -> None:
    root = _with_templates(tmp_path, {"md/soa.md.j2": template})
    out = tmp_path / "out"
    result = cli("report", "soa", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert result.stderr.startswith("aimsctl: error: ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_broken_override_fails_check_too(tmp_path: Path, cli: Cli) -> None:
    root = _with_templates(tmp_path, {"html/_macros.html.j2": "{% macro band(x %}\n"})
    result = cli(
        "report", "risks", root, "-f", "html", "-o", tmp_path / "o", "--check", "--as-of", AS_OF
    )
    assert result.exit_code == 2
    assert "report-templates/html/_macros.html.j2, line 1: syntax error" in result.stderr


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("no-such-folder", "names no folder in the repository"),
        ("../outside", "must be a folder inside the repository"),
        ("/etc", "must be a folder inside the repository"),
    ],
)
def test_bad_templates_setting_is_exit_2(
    tmp_path: Path,
    cli: Cli,
    folder: str,
    message: str,
) -> None:
    root = _with_templates(tmp_path, {}, folder=folder)
    result = cli("report", "soa", root, "-o", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert message in result.stderr


def test_built_in_templates_are_used_for_what_the_folder_lacks(tmp_path: Path) -> None:
    root = _with_templates(tmp_path, {"md/README.txt": "only notes here\n"})
    day = date.fromisoformat(AS_OF)
    rendered = render_reports(
        load_repository(root, day), ["soa"], "md", Provenance("x", "", day, "c")
    )
    assert rendered["soa.md"].startswith("# Statement of Applicability\n")


def test_render_error_is_a_report_error_in_the_library(tmp_path: Path) -> None:
    root = _with_templates(tmp_path, {"md/risks.md.j2": "{{ risks[0].nope }}"})
    day = date.fromisoformat(AS_OF)
    with pytest.raises(ReportError, match=r"report-templates/md/risks.md.j2, line 1"):
        render_reports(load_repository(root, day), ["risks"], "md", Provenance("x", "", day, "c"))


def _docs_example(path: str) -> str:
    """A template shown in docs/reports.md under its file name."""
    docs = (Path(__file__).parents[2] / "docs" / "reports.md").read_text("utf-8")
    marker = f"`report-templates/{path}`:\n\n```jinja\n"
    assert marker in docs, f"docs/reports.md lost its example {path}"
    return docs.split(marker, 1)[1].split("\n```\n", 1)[0] + "\n"


def test_the_documented_override_example_works(tmp_path: Path, cli: Cli) -> None:
    root = _with_templates(
        tmp_path,
        {name: _docs_example(name) for name in ("html/_provenance.html.j2", "md/soa.md.j2")},
    )
    out = tmp_path / "out"
    for fmt in ("md", "html"):
        result = cli("report", "all", root, "-f", fmt, "-o", out, "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr
    assert "Confidential: prepared for the certification audit" in (out / "risks.html").read_text(
        "utf-8"
    )
    soa = (out / "soa.md").read_text("utf-8")
    assert "2 of 38 Annex A controls apply; 1 are implemented." in soa
    assert "| A.5.4 Assessing AI system impact on individuals or groups of individuals |" in soa
