"""Templates: shipped in the package, overridable from the repository, strict and sandboxed."""

from __future__ import annotations

import errno
import itertools
import os
import re
import signal
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import AS_OF, repository_files, write_repository

from aimsctl.reports import NAMES, Provenance, ReportError, render, render_reports
from aimsctl.reports.common import provenance_context
from aimsctl.reports.render import Renderer, RenderTimeout, run_limited
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


def test_docs_list_every_template_a_repository_can_replace() -> None:
    """docs/reports.md lists the shipped templates by the names an override takes (it
    once left out the monitoring and readiness reports' and the sparkline)."""
    docs = (Path(__file__).parents[2] / "docs" / "reports.md").read_text("utf-8")
    listing = docs.split("Every report is a Jinja template shipped inside the package:\n")[1]
    block = listing.split("```\n", 2)[1]
    listed = set(re.findall(r"\b(?:html|md)/\S+\.j2\b", block))
    folder = resources.files("aimsctl") / "templates"
    shipped = {
        f"{fmt}/{entry.name}" for fmt in ("md", "html") for entry in (folder / fmt).iterdir()
    }
    assert listed == shipped


def test_an_empty_repository_renders_under_strict_undefined(tmp_path: Path) -> None:
    root = write_repository(tmp_path / "empty", {"aims.yaml": "version: 1\norganization: E\n"})
    day = date.fromisoformat(AS_OF)
    repo = load_repository(root, day)
    for fmt in ("md", "html"):
        rendered = render_reports(
            repo, list(NAMES), fmt, Provenance("E", "", day, "none"), index=True
        )
        assert len(rendered) == len(NAMES) + 1
        assert "no AI systems" in rendered[f"inventory.{fmt}"]
        assert "holds no evaluations" in rendered[f"monitoring.{fmt}"]
        assert "holds no monitors" in rendered[f"monitoring.{fmt}"]
        assert "records no incidents" in rendered[f"monitoring.{fmt}"]
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
        (
            '{% include "../aims.yaml" %}\n',
            "report-templates/md/soa.md.j2, line 1: report template '../aims.yaml' refused: "
            "'..' would leave the templates folder",
        ),
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


BUILDS_TOO_MUCH = (
    "report-templates/md/soa.md.j2, line 1: the template sandbox refused it (templates may "
    "use only the report's data): building a value of more than 16,777,216 characters or "
    "items is not allowed"
)


@pytest.mark.parametrize(
    "template",
    [
        # Eight joins of eight copies built 4 GB (exit 0), with no repetition to refuse.
        '{% set x = "a" * 999999 %}{% set y = [x,x,x,x,x,x,x,x]|join %}'
        "{% set z = [y,y,y,y,y,y,y,y]|join %}{{ z|length }}",
        '{% set x = "a" * 999999 %}{% set y = x ~ x ~ x ~ x ~ x ~ x ~ x ~ x %}'
        "{{ (y ~ y ~ y)|length }}",
        '{% set x = "a" * 999999 %}{% set y = x + x + x + x + x + x + x + x %}'
        "{{ (y + y + y)|length }}",
        '{{ ("a" * 999999)|replace("a", "bbbbbbbbbbbbbbbbbbbb")|length }}',
        # A generator is measured too.
        '{% set x = "a" * 999999 %}{{ ([x] * 20)|map("upper")|join|length }}',
        '{{ "a"|center(100000000)|length }}',
        '{% set x = "a" * 999999 %}{{ ("%s" * 20 % ((x,) * 20))|length }}',
    ],
)
def test_a_template_that_builds_a_huge_value_is_refused_before_building_it(
    tmp_path: Path, cli: Cli, template: str
) -> None:
    root = _with_templates(tmp_path, {"md/soa.md.j2": template + "\n"})
    result = cli("report", "soa", root, "-o", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 2, result.stderr
    assert BUILDS_TOO_MUCH in result.stderr
    # What stays under the limit is built as usual.
    fine = '{{ (["ab" * 400000] * 10)|join(", ") ~ "|" ~ ("x"|replace("x", "yy")) }}\n'
    root = _with_templates(tmp_path / "fine", {"md/soa.md.j2": fine})
    ok = cli("report", "soa", root, "-o", tmp_path / "ok", "--as-of", AS_OF)
    assert ok.exit_code == 0, ok.stderr
    assert (tmp_path / "ok" / "soa.md").read_text(encoding="utf-8").endswith("|yy\n")


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
        ("a/..", "must be a folder inside the repository"),
        (".", "names the repository root"),
        ("./", "names the repository root"),
        ("./.", "names the repository root"),
        (".git", "is a hidden folder ('.git' starts with '.')"),
        (".git/hooks", "is a hidden folder ('.git' starts with '.')"),
        (".github/report-templates", "is a hidden folder ('.github' starts with '.')"),
        ("report-templates/.old", "is a hidden folder ('.old' starts with '.')"),
        ("evidence/bias-review.md", "names no folder in the repository"),
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


# --- what an override may read: only visible, real files inside its folder -----------

SECRET = "ghp_TOKEN-THAT-MUST-NOT-LEAK-1234"


def _with_secrets(tmp_path: Path, templates: dict[str, str], folder: str) -> Path:
    """A repository with secrets where a CI job would leave them, and template overrides.
    It is a git repository (one with no commits: the records are dated today), its
    config holding a secret too: a `.git` folder git cannot read would leave the dates
    from history unknown, an error that stops the report before its templates."""
    from gitrepo import git

    root = _with_templates(tmp_path, {}, folder=folder)
    git(root, "init", "-q")
    with (root / ".git" / "config").open("a") as config:
        config.write(f"[ci]\n\ttoken = {SECRET}\n")
    (root / folder).mkdir(parents=True, exist_ok=True)
    for rel in (".env", "report-templates/.env", "report-templates/md/.token"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"token = {SECRET}\n")
    for name, text in templates.items():
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _refused_run(root: Path, tmp_path: Path, cli: Cli, *args: str) -> str:
    """The one error line of a report run that must fail, checked to leak nothing."""
    out = tmp_path / "out"
    result = cli("report", "all", root, "-o", out, "--as-of", AS_OF, *args)
    assert result.exit_code == 2, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()
    return result.stderr.strip()


@pytest.mark.parametrize(
    ("folder", "include"), [(".", ".git/config"), (".", ".env"), ("./", ".env"), ("md/..", ".env")]
)
def test_the_repository_root_is_never_the_templates_folder(
    tmp_path: Path, cli: Cli, folder: str, include: str
) -> None:
    root = _with_secrets(tmp_path, {"md/soa.md.j2": f'{{% include "{include}" %}}\n'}, folder)
    line = _refused_run(root, tmp_path, cli)
    # refused as aims.yaml is read, at its line, as validate refuses it
    assert re.match(
        rf"aimsctl: error: aims\.yaml:15:12: templates: {re.escape(repr(folder))} ", line
    )


@pytest.mark.parametrize(
    ("include", "why"),
    [
        (".env", "'.env' starts with '.': hidden files and folders"),
        ("md/.token", "'.token' starts with '.'"),
        ("./.env", "'.' starts with '.'"),
        ("md/./soa.md.j2", "'.' starts with '.'"),
        (".git/config", "'.git' starts with '.'"),
        ("../.env", "'..' would leave the templates folder"),
        ("md/../../.git/config", "'..' would leave the templates folder"),
        ("/etc/passwd", "absolute names are not allowed"),
        ("//etc/passwd", "absolute names are not allowed"),
        ("md\\\\..\\\\.env", "holds no backslash or control character"),  # md\..\.env
    ],
)
def test_hidden_climbing_and_absolute_template_names_are_refused(
    tmp_path: Path, cli: Cli, include: str, why: str
) -> None:
    """A name part starting with '.' is refused wherever it is, not only first: `md/.x`
    is as hidden as `.x`, and `.` parts are refused too rather than normalized away."""
    template = f'Start\n{{% include "{include}" %}}\n'
    root = _with_secrets(tmp_path, {"md/soa.md.j2": template}, "report-templates")
    line = _refused_run(root, tmp_path, cli)
    name = include.replace("\\\\", "\\")  # as Jinja reads the string
    assert line.startswith(
        f"aimsctl: error: report-templates/md/soa.md.j2, line 2: report template {name!r} refused: "
    ), line
    assert why in line


def test_a_refused_name_is_an_error_even_where_a_missing_one_is_ignored(
    tmp_path: Path, cli: Cli
) -> None:
    template = '{% include [".env", "md/_provenance.md.j2"] ignore missing %}\n'
    root = _with_secrets(tmp_path, {"md/soa.md.j2": template}, "report-templates")
    assert "report template '.env' refused" in _refused_run(root, tmp_path, cli)


@pytest.mark.parametrize(
    ("link", "target", "shown"),
    [
        ("md/soa.md.j2", "../../.env", "report-templates/md/soa.md.j2"),  # to a secret
        ("md/soa.md.j2", "../../evidence/bias-review.md", "report-templates/md/soa.md.j2"),
        ("md/soa.md.j2", "other.md.j2", "report-templates/md/soa.md.j2"),  # stays inside
        ("md/soa.md.j2", "no-such-file", "report-templates/md/soa.md.j2"),  # dangling
        ("md", "../.git", "report-templates/md"),  # a folder on the way
    ],
)
def test_a_symbolic_link_in_the_templates_folder_is_refused(
    tmp_path: Path, cli: Cli, link: str, target: str, shown: str
) -> None:
    """Every link is refused, even one that stays inside the folder: a link is followed
    by the system, not by us, and proving that it cannot leave is harder than not
    following it."""
    root = _with_secrets(tmp_path, {"md/other.md.j2": "other\n"}, "report-templates")
    (root / ".git" / "soa.md.j2").write_text(f"{SECRET}\n")
    path = root / "report-templates" / link
    if path.is_dir():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    path.symlink_to(target)
    line = _refused_run(root, tmp_path, cli)
    assert line == (
        "aimsctl: error: report template 'md/soa.md.j2' refused: "
        f"{shown} is a symbolic link; templates are read only from real files and folders "
        "inside the templates folder, so that a link cannot bring in a file from elsewhere"
    )


def test_an_included_link_is_refused_naming_the_including_line(tmp_path: Path, cli: Cli) -> None:
    root = _with_secrets(
        tmp_path, {"md/soa.md.j2": '# SoA\n\n{% include "md/part.md.j2" %}\n'}, "report-templates"
    )
    (root / "report-templates" / "md" / "part.md.j2").symlink_to("../../.env")
    line = _refused_run(root, tmp_path, cli)
    assert line.startswith(
        "aimsctl: error: report-templates/md/soa.md.j2, line 3: report template "
        "'md/part.md.j2' refused: report-templates/md/part.md.j2 is a symbolic link"
    )


def test_the_templates_folder_itself_may_not_be_a_link(tmp_path: Path, cli: Cli) -> None:
    root = _with_secrets(tmp_path, {}, "report-templates/linked")
    (root / "real-templates" / "md").mkdir(parents=True)
    (root / "real-templates" / "md" / "soa.md.j2").write_text("linked\n")
    (root / "report-templates" / "linked").rmdir()
    (root / "report-templates" / "linked").symlink_to("../real-templates")
    line = _refused_run(root, tmp_path, cli)
    assert line == (
        "aimsctl: error: aims.yaml: templates: 'report-templates/linked' refused: "
        "report-templates/linked is a symbolic link; templates are read only from real files "
        "and folders inside the templates folder, so that a link cannot bring in a file from "
        "elsewhere"
    )


def test_a_template_that_is_not_a_regular_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    root = _with_templates(tmp_path, {})
    (root / "report-templates" / "md").mkdir(parents=True)
    os.mkfifo(root / "report-templates" / "md" / "soa.md.j2")  # would block a plain read
    line = _refused_run(root, tmp_path, cli)
    assert line == (
        "aimsctl: error: report template 'md/soa.md.j2' refused: report-templates/md/soa.md.j2 "
        "is not a regular file (a folder, pipe or device)"
    )


def test_a_template_larger_than_the_limit_is_refused(tmp_path: Path, cli: Cli) -> None:
    big = "x" * (render.MAX_TEMPLATE_BYTES + 1)
    root = _with_templates(tmp_path, {"md/soa.md.j2": big})
    line = _refused_run(root, tmp_path, cli)
    assert line == (
        "aimsctl: error: report template 'md/soa.md.j2' refused: report-templates/md/soa.md.j2 "
        "is larger than 1024 KiB, the limit for a template"
    )


def test_a_link_swapped_in_after_the_check_is_not_followed(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check and the open cannot be raced: each part is opened with O_NOFOLLOW
    relative to the folder checked before it. Here the check is made to see a regular
    file where a link already is, as if the link had been swapped in after it."""
    if not render._DIR_FD:
        pytest.skip("no dir_fd on this platform; parts are checked with lstat only")
    root = _with_secrets(tmp_path, {}, "report-templates")
    (root / "report-templates" / "md" / "soa.md.j2").symlink_to("../../.env")
    original = os.stat
    regular = original(root / "aims.yaml")

    def stale(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if path == "soa.md.j2":
            return regular
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stale)
    line = _refused_run(root, tmp_path, cli)
    assert "report-templates/md/soa.md.j2 is a symbolic link" in line


def test_an_unreadable_template_says_why(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_templates(tmp_path, {"md/soa.md.j2": "mine\n"})
    original = os.open

    def denied(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if path == "soa.md.j2":
            raise PermissionError(errno.EACCES, "Permission denied")
        return original(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    line = _refused_run(root, tmp_path, cli)
    assert line == (
        "aimsctl: error: report template report-templates/md/soa.md.j2: cannot be read: "
        "Permission denied"
    )


def test_real_files_in_real_subfolders_are_read(tmp_path: Path, cli: Cli) -> None:
    root = _with_templates(
        tmp_path,
        {
            "md/soa.md.j2": '{% include "md/parts/intro.md.j2" %}',
            "md/parts/intro.md.j2": "Our own SoA\n",
        },
    )
    out = tmp_path / "out"
    result = cli("report", "soa", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert (out / "soa.md").read_text("utf-8") == "Our own SoA\n"


# --- limits on every render: output size and CPU time --------------------------------


def test_a_render_past_the_output_limit_stops(tmp_path: Path, cli: Cli) -> None:
    """The red team's template would write 100 GB; it stops at the limit."""
    template = '{% for i in range(100000) %}{{ "x" * 1000000 }}{% endfor %}'
    root = _with_templates(tmp_path, {"md/soa.md.j2": template})
    out = tmp_path / "out"
    result = cli("report", "soa", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        "aimsctl: error: report-templates/md/soa.md.j2: the report grew larger than 256 MiB, "
        "the limit for one report, and was stopped; check the repository's templates "
        "(report-templates/md/soa.md.j2)\n"
    )
    assert not out.exists()


def test_output_is_counted_in_utf8_bytes(tmp_path: Path) -> None:
    root = _with_templates(tmp_path, {"md/soa.md.j2": "{{ 'é' * 60 }}"})  # 120 bytes
    repo = load_repository(root, date.fromisoformat(AS_OF))
    source, folder = repo.source, repo.config.templates
    assert Renderer(source, folder, max_output=120).render("md/soa.md.j2", {}) == "é" * 60
    with pytest.raises(ReportError, match="grew larger than 119 bytes"):
        Renderer(source, folder, max_output=119).render("md/soa.md.j2", {})


@pytest.mark.parametrize(
    ("template", "line"),
    [
        (  # no output at all: only the time limit can stop it
            "# SoA\n{% for i in range(100000) %}{% for j in range(100000) %}"
            "{% endfor %}{% endfor %}\n",
            2,
        ),
        (
            "{% macro again(n) %}{% for i in range(100000) %}{% set x = n + i %}"
            "{% endfor %}{{ again(n) }}{% endmacro %}\n{{ again(1) }}",
            1,
        ),
    ],
)
def test_a_render_past_the_time_limit_stops(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, template: str, line: int
) -> None:
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 0.3)
    root = _with_templates(tmp_path, {"md/soa.md.j2": template})
    out = tmp_path / "out"
    before = signal.getsignal(signal.SIGPROF)
    result = cli("report", "soa", root, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(
        f"aimsctl: error: report-templates/md/soa.md.j2, line {line}: rendering took more "
        "than 0.3 seconds of CPU time, the limit for one report, and was stopped; fix the "
        "template, or delete it to use the built-in one\n"
    ), result.stderr
    assert not out.exists()
    assert signal.getsignal(signal.SIGPROF) is before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def _index_context(reports: Any) -> dict[str, Any]:
    provenance = provenance_context(Provenance("O", "", date.fromisoformat(AS_OF), "c"))
    report = {"name": "index", "title": "Reports", "description": "", "file": "index.md"}
    return {
        "provenance": provenance,
        "standard": "ISO/IEC 42001:2023",
        "warning": None,
        "siblings": [],
        "report": report,
    } | {"reports": reports}


def test_built_in_templates_run_under_the_same_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = {"title": "T", "file": "t.md", "description": "D", "clauses": [], "document": None}
    assert "| [T](t.md) | D |" in Renderer().render("md/index.md.j2", _index_context([entry]))
    # Endless data: the built-in index template loops until a limit stops it.
    with pytest.raises(ReportError, match=r"^built-in template md/index.md.j2: the report grew"):
        Renderer(max_output=10_000).render(
            "md/index.md.j2", _index_context(itertools.repeat(entry))
        )
    if hasattr(signal, "setitimer"):
        with pytest.raises(
            ReportError,
            match=r"^built-in template md/index.md.j2(, line \d+)?: rendering took more",
        ):
            Renderer(max_seconds=0.2, max_output=2**62).render(
                "md/index.md.j2", _index_context(itertools.repeat(entry))
            )
    # render_reports takes the module's limits.
    monkeypatch.setattr(render, "MAX_OUTPUT_BYTES", 1000)
    root = write_repository(tmp_path / "repo")
    day = date.fromisoformat(AS_OF)
    with pytest.raises(ReportError, match=r"^built-in template md/soa.md.j2: .* than 1000 bytes"):
        render_reports(load_repository(root, day), ["soa"], "md", Provenance("x", "", day, "c"))


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers")
def test_the_time_limit_restores_the_previous_handler_and_timer() -> None:
    rings: list[int] = []
    previous = signal.signal(signal.SIGPROF, lambda signum, frame: rings.append(signum))
    try:
        signal.setitimer(signal.ITIMER_PROF, 1000.0, 7.0)
        assert run_limited(5.0, lambda: "done") == "done"
        assert signal.getsignal(signal.SIGPROF) is not previous
        left, interval = signal.getitimer(signal.ITIMER_PROF)
        assert 990 < left < 1001 and interval == 7.0

        def spin() -> None:
            while True:
                pass

        with pytest.raises(RenderTimeout):
            run_limited(0.05, spin)
        assert 0 < signal.getitimer(signal.ITIMER_PROF)[0] < 1001
        assert rings == []
        # A timer that fell due during the render rings once the render is over.
        signal.setitimer(signal.ITIMER_PROF, 0.01)
        with pytest.raises(RenderTimeout):
            run_limited(0.2, spin)
        while not rings:
            pass
        assert rings == [signal.SIGPROF]
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def test_an_exception_caught_inside_cannot_outlast_the_limit() -> None:
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    caught: list[str] = []

    def stubborn() -> None:
        while True:
            try:
                while True:
                    pass
            except RenderTimeout:
                caught.append("caught")
                if len(caught) == 3:
                    raise

    with pytest.raises(RenderTimeout):
        run_limited(0.05, stubborn)
    assert caught == ["caught"] * 3
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def _built_in(name: str) -> str:
    return (resources.files("aimsctl") / "templates" / name).read_text(encoding="utf-8")


# A macro of html/_macros.html.j2: its name, its one parameter and its body.
_MACRO = re.compile(r"\{% macro (\w+)\((\w+)\) -%\}\n(.*?)\n\{%- endmacro %\}", re.S)
# A macro's body written out where the built-in macros are in force, else the call.
_WRITTEN_OUT = re.compile(
    r"\{% if built_in_macros %\}\{% with (\w+) = ([\w.]+) %\}(.*?)\{% endwith %\}"
    r"\{% else %\}\{\{ m\.(\w+)\(([\w.]+)\) \}\}\{% endif %\}"
)


def test_macro_bodies_written_out_are_the_macros() -> None:
    """The register and the system documentation write m.score's and m.status's
    bodies out in their rows instead of calling them (a call per cell cost a fifth of
    those renders): each copy is the macro's body, bound to the value the call passes."""
    macros = {
        name: (parameter, body)
        for name, parameter, body in _MACRO.findall(_built_in("html/_macros.html.j2"))
    }
    written: list[tuple[str, str]] = []
    for report in ("risks", "systems"):
        for bound, value, body, macro, called in _WRITTEN_OUT.findall(
            _built_in(f"html/{report}.html.j2")
        ):
            assert (bound, body) == macros[macro], (report, macro)
            assert called == value
            written.append((report, macro))
    assert written == [
        ("risks", "score"),
        ("risks", "score"),
        ("systems", "score"),
        ("systems", "score"),
        ("systems", "status"),
    ]


def test_a_repository_that_replaces_the_macros_sees_them_in_every_row(
    tmp_path: Path, cli: Cli
) -> None:
    """Where the macros are written out, a repository's own html/_macros.html.j2 is
    still the one its reports use: every score cell and control status its own."""
    macros = {name: body for name, _, body in _MACRO.findall(_built_in("html/_macros.html.j2"))}
    own = (
        _built_in("html/_macros.html.j2")
        .replace(macros["score"], '<b class="own-score">{{ s.score if s else "none" }}</b>')
        .replace(macros["status"], '<b class="own-status">{{ value }}</b>')
    )
    root = _with_templates(tmp_path, {"html/_macros.html.j2": own})
    out = tmp_path / "out"
    result = cli("report", "all", root, "-f", "html", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    built_in_score = re.compile(r'</strong><br><small class="muted">[^<]* \(\d+\) \u00d7 ')
    for report in ("risks", "systems", "impact"):
        text = (out / f"{report}.html").read_text(encoding="utf-8")
        assert '<b class="own-score">' in text, report
        assert not built_in_score.search(text), report
    systems = (out / "systems.html").read_text(encoding="utf-8")
    assert '<b class="own-status">' in systems
    assert '<td><span class="pill status-' not in systems
