"""The built-in templates' compiled code, kept beside them as Python keeps bytecode
(aimsctl.reports.compiled): a kept entry renders the same bytes as compiling
afresh, anything that does not match is compiled again, and nothing is kept for a
repository's own templates or where Python is told not to write bytecode."""

from __future__ import annotations

import signal
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest
from report_fixtures import AS_OF, files_with_templates, repository_files, write_repository

from aimsctl.reports import NAMES, Provenance, render, render_reports
from aimsctl.reports import compiled as compiled_module
from aimsctl.repository import load_repository
from conftest import CliResult

DAY = date.fromisoformat(AS_OF)
MAGIC = b"aimsctl compiled template 1\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of compiled templates of the test's own, written even on a machine
    that sets PYTHONDONTWRITEBYTECODE."""
    kept = tmp_path / "templates" / "__pycache__"
    kept.parent.mkdir()
    monkeypatch.setattr(render, "COMPILED_FOLDER", kept)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return kept


def _repository(tmp_path: Path, templates: dict[str, str] | None = None) -> Path:
    files = repository_files() if templates is None else files_with_templates(templates)
    return write_repository(tmp_path / "repo", files)


def _render_all(root: Path) -> dict[str, str]:
    repo = load_repository(root, DAY)
    provenance = Provenance("Org", "Scope", DAY, "c")
    return {
        f"{fmt}/{name}": text
        for fmt in ("md", "html")
        for name, text in render_reports(repo, list(NAMES), fmt, provenance, index=True).items()
    }


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counted(self: jinja2.Environment, *args: object, **kwargs: object) -> object:
        compiled.append(str(args[1] if len(args) > 1 else kwargs.get("name")))
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return compiled


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every report of the fixture repository in both formats, every template
    compiled afresh (nothing kept)."""
    with monkeypatch.context() as patch:
        patch.setattr(render, "COMPILED_FOLDER", tmp_path / "unused" / "__pycache__")
        patch.setattr(sys, "dont_write_bytecode", True)
        return _render_all(_repository(tmp_path / "fresh"))


def test_kept_code_renders_the_same_bytes_without_compiling(
    tmp_path: Path, folder: Path, fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    assert _render_all(root) == fresh
    entries = sorted(folder.iterdir())
    # One entry per template the reports use, in both formats (base and macros too).
    assert len(entries) >= 2 * len(NAMES)
    assert all(entry.read_bytes().startswith(MAGIC) for entry in entries)
    compiled = _count_compiles(monkeypatch)
    assert _render_all(root) == fresh
    assert compiled == []
    assert sorted(folder.iterdir()) == entries


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut short"),
        pytest.param(lambda data: data[: data.index(b"\n", len(MAGIC)) + 1], id="no code"),
        pytest.param(
            lambda data: data[: data.index(b"\n", len(MAGIC)) + 1] + b"\xff\x00junk",
            id="not code",
        ),
        pytest.param(lambda data: b"x" + data, id="another form"),
        pytest.param(
            lambda data: data.replace(data[len(MAGIC) : len(MAGIC) + 8], b"0" * 8, 1),
            id="another checksum",
        ),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_damaged_entry_is_compiled_again_and_replaced(
    tmp_path: Path,
    folder: Path,
    fresh: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[bytes], bytes],
) -> None:
    root = _repository(tmp_path)
    _render_all(root)
    kept = {entry: entry.read_bytes() for entry in folder.iterdir()}
    for entry, data in kept.items():
        entry.write_bytes(damage(data))
    compiled = _count_compiles(monkeypatch)
    assert _render_all(root) == fresh
    assert len(compiled) == len(kept)
    assert {entry: entry.read_bytes() for entry in folder.iterdir()} == kept


def test_code_compiled_by_another_aimsctl_is_not_used(
    tmp_path: Path, folder: Path, fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry's checksum covers the Jinja, Python and aimsctl that compiled it
    (here: aimsctl's code edited in a development checkout)."""
    root = _repository(tmp_path)
    _render_all(root)
    count = len(list(folder.iterdir()))
    monkeypatch.setattr(compiled_module, "code_state", lambda: "an edited aimsctl")
    compiled = _count_compiles(monkeypatch)
    assert _render_all(root) == fresh
    assert len(compiled) == count


def test_nothing_is_kept_where_python_writes_no_bytecode(
    tmp_path: Path, folder: Path, fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _render_all(_repository(tmp_path)) == fresh
    assert not folder.exists()


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(
    tmp_path: Path, fresh: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "installed-read-only"
    blocker.write_text("a file where the templates' folder would be\n")
    monkeypatch.setattr(render, "COMPILED_FOLDER", blocker / "__pycache__")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert _render_all(_repository(tmp_path)) == fresh
    assert blocker.is_file()


def test_a_repositorys_own_templates_are_never_kept(tmp_path: Path, folder: Path) -> None:
    override = "{% extends 'md/base.md.j2' %}\n"
    root = _repository(tmp_path, {"md/README.txt": "notes\n", "md/extra.md.j2": override})
    repo = load_repository(root, DAY)
    assert render.Renderer(repo.source, repo.config.templates).environment.bytecode_cache is None
    _render_all(root)
    assert not folder.exists()


def test_report_all_twice_through_the_cli_writes_the_same_files(
    tmp_path: Path, folder: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    outputs = []
    compiled: list[str] = []
    for run in ("first", "second"):
        if run == "second":
            compiled = _count_compiles(monkeypatch)
        out = tmp_path / run
        result = cli(
            "report", "all", str(root), "--as-of", AS_OF, "--format", "html", "--out", str(out)
        )
        assert result.exit_code == 0, result.output
        outputs.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert folder.is_dir() and any(folder.iterdir())
    assert compiled == []


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(signal.SIGPROF, id="the render's CPU-time limit"),
        pytest.param(signal.SIGINT, id="Ctrl-C"),
    ],
)
def test_a_render_stopped_while_an_entry_is_written_leaves_no_temporary_file(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, stop: signal.Signals
) -> None:
    """The signal arrives the moment the temporary file exists, before its name is
    known to the code that would remove it."""
    original = tempfile.mkstemp

    def interrupted(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = original(*args, **kwargs)
        signal.raise_signal(stop)
        return made

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    renderer = render.Renderer(max_seconds=60)
    with pytest.raises((render.ReportError, KeyboardInterrupt)) as caught:
        renderer.render("md/soa.md.j2", {})
    if stop == signal.SIGPROF:
        assert "CPU time" in str(caught.value)
    # The folder made for the entry is taken away again with the temporary file.
    assert not folder.exists() or sorted(path.name for path in folder.iterdir()) == []
    assert sorted(path.name for path in folder.parent.iterdir()) == []


def test_an_error_in_a_kept_template_names_the_same_file_and_line(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def error(fmt: str) -> str:
        with pytest.raises(render.ReportError) as caught:
            render.Renderer().render(f"{fmt}/soa.{fmt}.j2", {})
        return str(caught.value)

    fresh = {fmt: error(fmt) for fmt in ("md", "html")}
    assert all(", line " in message for message in fresh.values()), fresh
    assert any(folder.iterdir())
    compiled = _count_compiles(monkeypatch)
    assert {fmt: error(fmt) for fmt in ("md", "html")} == fresh
    assert compiled == []
