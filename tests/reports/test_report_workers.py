"""Reports made on two cores: the same bytes, the same first error, in order."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, repository_files, write_repository

from aimsctl import workers
from aimsctl.reports import (
    MIN_RECORDS_ON_TWO_CORES,
    NAMES,
    Provenance,
    Rendered,
    ReportError,
    render_reports,
)
from aimsctl.reports.files import write_reports
from aimsctl.repository import load_repository

DAY = date.fromisoformat(AS_OF)
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


def _render(root: Path, fmt: str) -> Rendered:
    return render_reports(
        load_repository(root, DAY), list(NAMES), fmt, Provenance("Org", "", DAY, "c0ffee")
    )


def test_two_cores_only_for_many_records_and_several_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    least = MIN_RECORDS_ON_TWO_CORES
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    assert workers.worth_it(least, least, 9) is (sys.platform == "linux")
    assert not workers.worth_it(least - 1, least, 9)
    assert not workers.worth_it(50_000, least, 1)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 2)  # a progress bar
    assert not workers.worth_it(50_000, least, 9)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    assert not workers.worth_it(50_000, least, 9)


@linux_only
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_made_by_workers_are_the_bytes_made_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    root = write_repository(tmp_path / "repo", repository_files())
    serial = _render(root, fmt)
    made: list[bool] = []
    real = workers.made

    def spy(
        make: Callable[[int], str],
        count: int,
        parallel: bool,
        done: Callable[[], object],
        first: Sequence[int] = (),
    ) -> list[str]:
        made.append(parallel)
        return real(make, count, parallel, done, first)

    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    monkeypatch.setattr(workers, "made", spy)
    parallel = _render(root, fmt)
    assert parallel == serial
    assert made == [True]
    # The workers send the bytes to write: the same files, and nothing to rewrite.
    serial_out, parallel_out = tmp_path / "serial", tmp_path / "parallel"
    assert write_reports(serial_out, serial, lambda path: None) == (len(NAMES), 0)
    assert write_reports(parallel_out, parallel, lambda path: None) == (len(NAMES), 0)
    for file in serial:
        assert parallel.data(file) == serial.data(file) == serial[file].encode("utf-8")
        assert (parallel_out / file).read_bytes() == (serial_out / file).read_bytes()
    assert write_reports(serial_out, parallel, lambda path: None) == (0, len(NAMES))


@linux_only
def test_the_first_report_in_order_that_fails_is_the_error(tmp_path: Path) -> None:
    done: list[int] = []

    def make(index: int) -> str:
        if index in (2, 4):
            raise ReportError(f"report {index} is broken")
        return f"report {index}"

    assert workers.made(make, 2, True, lambda: done.append(1)) == ["report 0", "report 1"]
    assert len(done) == 2
    # Started from the last, finished in any order: the error is still index 2's.
    with pytest.raises(ReportError, match=r"^report 2 is broken$"):
        workers.made(make, 6, True, lambda: None, first=[5, 4])
    assert workers.made(make, 2, True, lambda: None, first=[1]) == ["report 0", "report 1"]


@linux_only
def test_a_broken_template_gives_the_serial_error_on_two_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = repository_files()
    files["aims.yaml"] = f"{files['aims.yaml']!s}templates: report-templates\n"
    files["report-templates/md/risks.md.j2"] = "{{ nothing_here }}\n"
    root = write_repository(tmp_path / "repo", files)
    with pytest.raises(ReportError) as serial:
        _render(root, "md")
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    with pytest.raises(ReportError) as parallel:
        _render(root, "md")
    assert str(parallel.value) == str(serial.value)
    assert "risks.md.j2" in str(serial.value)


def test_reports_kept_as_bytes_read_as_text_and_write_as_the_same_bytes(tmp_path: Path) -> None:
    """A worker's report comes back as its UTF-8 bytes; read, it is the text, and the
    bytes written are those of the text, whichever way it came."""
    text = "# Risque \u00e9lev\u00e9 \u2014 \U0001f6a8\n"
    rendered = Rendered({"risks.md": text.encode("utf-8"), "index.md": text})
    assert rendered == {"risks.md": text, "index.md": text}
    assert list(rendered) == ["risks.md", "index.md"]  # in the order rendered
    assert (len(rendered), rendered["risks.md"]) == (2, text)
    assert rendered.data("risks.md") == rendered.data("index.md") == text.encode("utf-8")
    wrote: list[Path] = []
    assert write_reports(tmp_path / "out", rendered, wrote.append) == (2, 0)
    assert [path.name for path in wrote] == ["risks.md", "index.md"]
    assert (tmp_path / "out" / "risks.md").read_bytes() == text.encode("utf-8")
    assert (tmp_path / "out" / "index.md").read_bytes() == text.encode("utf-8")
    assert write_reports(tmp_path / "out", rendered, wrote.append) == (0, 2)  # unchanged
