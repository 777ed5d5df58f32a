"""The HTML Statement of Applicability in a real browser: headless Chromium.

Skipped when Chromium is not installed, except in CI (``CI=true``), where a
missing browser fails the run instead of silently testing less.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from report_fixtures import AS_OF, Page

from aimsctl.catalog import annex_a
from conftest import CliResult

Cli = Callable[..., CliResult]
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any name lookup fails: a page that tried to fetch from the network would break.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _chromium()
    if found is None:
        message = "headless Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _console_problems(stderr: str) -> list[str]:
    """Console output of the page: our reports have no script, so any is a problem."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture
def soa_html(example_copy: Path, cli: Cli, tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    result = cli(
        "report", "soa", example_copy, "--format", "html", "--out", out, "--as-of", AS_OF, "--force"
    )
    assert result.exit_code == 0, result.stderr
    return out / "soa.html"


def test_rendered_dom_has_the_38_annex_a_rows(
    chromium: str,
    soa_html: Path,
    tmp_path: Path,
) -> None:
    done = _run(chromium, tmp_path / "profile", "--dump-dom", soa_html.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    page = Page(done.stdout)
    assert page.annex_rows() == list(annex_a())
    assert "Statement of Applicability" in page.text
    assert len(page.find("table")) >= 10


def test_no_console_errors(chromium: str, soa_html: Path, tmp_path: Path) -> None:
    done = _run(
        chromium,
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        soa_html.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_problems(done.stderr) == []


def test_console_check_catches_a_broken_page(chromium: str, tmp_path: Path) -> None:
    """The check above can fail: a page with a script error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><p>x</p>"
        "<script>throw new Error('broken page')</script></body></html>",
        encoding="utf-8",
    )
    done = _run(
        chromium,
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        bad.as_uri(),
    )
    assert any("broken page" in line for line in _console_problems(done.stderr))


def test_screenshot(chromium: str, soa_html: Path, tmp_path: Path) -> None:
    shot = tmp_path / "soa.png"
    done = _run(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        "--hide-scrollbars",
        soa_html.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a rendered page of tables, not a blank image
    keep = os.environ.get("AIMSCTL_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "soa.png")
