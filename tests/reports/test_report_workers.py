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
    ReportError,
    render_reports,
    render_valid_reports,
)
from aimsctl.repository import load_repository

DAY = date.fromisoformat(AS_OF)
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


def _render(root: Path, fmt: str) -> dict[str, str]:
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
    real = workers.made_unless

    def spy(
        check: Callable[[], bool],
        make: Callable[[int], str],
        count: int,
        parallel: bool,
        done: Callable[[], object],
        first: Sequence[int] = (),
    ) -> list[str] | None:
        made.append(parallel)
        return real(check, make, count, parallel, done, first)

    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    monkeypatch.setattr(workers, "made_unless", spy)
    assert _render(root, fmt) == serial
    valid = render_valid_reports(
        load_repository(root, DAY), list(NAMES), fmt, Provenance("Org", "", DAY, "c0ffee")
    )
    assert valid.errors == []
    assert valid.files == serial
    assert made == [True, True]


# What the check in the parent saw last; a worker sees what was there when it was forked.
_SEEN = ["before the check"]


def _checked(passes: bool) -> Callable[[], bool]:
    def check() -> bool:
        _SEEN.append("checked")
        return passes

    return check


@pytest.mark.parametrize("parallel", [True, False] if sys.platform == "linux" else [False])
def test_the_check_runs_while_the_work_is_made_and_a_failing_one_drops_it(
    parallel: bool,
) -> None:
    del _SEEN[1:]
    made: list[int] = []

    def make(index: int) -> str:
        made.append(index)
        return f"{index}: {_SEEN[-1]}"

    expected = ["0: before the check", "1: before the check"] if parallel else None
    results = workers.made_unless(_checked(True), make, 2, parallel, lambda: None)
    assert results == (expected or ["0: checked", "1: checked"])
    assert _SEEN == ["before the check", "checked"]
    made.clear()
    assert workers.made_unless(_checked(False), make, 2, parallel, lambda: None) is None
    assert made == []  # serially nothing is made; workers' work never comes back
    assert workers._JOB is None


@linux_only
def test_an_invalid_repository_renders_nothing_on_two_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = repository_files()
    files["risks/broken.yaml"] = "kind: Risk\nid: R-BROKEN\ntitle: No owner\n"
    root = write_repository(tmp_path / "repo", files)
    repo = load_repository(root, DAY)
    provenance = Provenance("Org", "", DAY, "c0ffee")
    serial = render_valid_reports(repo, list(NAMES), "md", provenance)
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    parallel = render_valid_reports(load_repository(root, DAY), list(NAMES), "md", provenance)
    assert serial.files is None and parallel.files is None
    assert serial.errors == parallel.errors and serial.errors
    forced = render_valid_reports(repo, list(NAMES), "md", provenance, force=True)
    assert forced.errors == serial.errors
    assert forced.files is not None
    assert all("fail validation" in text for text in forced.files.values())


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
    assert workers._JOB is None  # nothing of the job outlives the workers


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
