"""Reports made on two cores: the same bytes, the same first error, in order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from report_fixtures import AS_OF, git, repository_files, write_repository

from aimsctl import workers
from aimsctl.outputs.validation.text import line
from aimsctl.reports import (
    MIN_RECORDS_ON_TWO_CORES,
    NAMES,
    REPORTS,
    Provenance,
    Rendered,
    ReportError,
    _Setup,
    _tasks,
    load_for_report,
    render_checked,
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


# --- the reports rendered while the rules run (report_plain: render_checked) -----------


def _broken_files() -> dict[str, str | bytes]:
    """Errors the rules find (a missing Annex A control, a risk without its fields) and
    a system whose record fails validation, left out of every report."""
    files = repository_files(omit=("A.9.2",))
    files["risks/bad.yaml"] = "kind: Risk\nid: R-9\ntitle: Broken\nstatus: open\n"
    chat = files["systems/chat.yaml"]
    assert isinstance(chat, str) and "\nstage: development\n" in chat
    files["systems/chat.yaml"] = chat.replace("\nstage: development\n", "\nstage: bogus\n")
    return files


def _checked(
    root: Path, names: Sequence[str], fmt: str, force: bool, index: bool
) -> tuple[list[str], dict[str, bytes] | None]:
    problems, rendered = render_checked(
        load_repository(root, DAY),
        names,
        fmt,
        Provenance("Org", "", DAY, "c0ffee"),
        line,
        index=index,
        force=force,
    )
    files = None if rendered is None else {file: rendered.data(file) for file in rendered}
    return [line(problem) for problem in problems], files


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """worth_it always, and each workers.made call's (count, parallel)."""
    calls: list[tuple[int, bool]] = []
    real = workers.made

    def spy(
        make: Callable[[int], object],
        count: int,
        parallel: bool,
        done: Callable[[], object],
        first: Sequence[int] = (),
        then: Mapping[int, int] | None = None,
    ) -> list[object]:
        calls.append((count, parallel))
        return real(make, count, parallel, done, first, then=then)

    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    monkeypatch.setattr(workers, "made", spy)
    return calls


@linux_only
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    ("broken", "force", "names"),
    [
        (False, False, list(NAMES)),
        (False, False, ["soa", "risks"]),  # readiness, whose worker runs the rules, not asked
        (True, True, list(NAMES)),
        (True, True, ["readiness"]),
        (True, False, list(NAMES)),
    ],
)
def test_reports_rendered_while_the_rules_run_are_the_bytes_rendered_after_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    broken: bool,
    force: bool,
    names: list[str],
) -> None:
    """The rules in one worker while both render the reports, the --force warning put
    in its place afterwards: the same errors, and the same bytes as the rules then the
    reports in one process (or none, refused without --force)."""
    root = write_repository(tmp_path / "repo", _broken_files() if broken else repository_files())
    index = len(names) > 1
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: False)
    serial = _checked(root, names, fmt, force, index)
    calls = _spied(monkeypatch)
    parallel = _checked(root, names, fmt, force, index)
    # The rules are the first task, then readiness's (which reads the same history).
    assert calls == [(len(names) + ("readiness" not in names), True)]
    assert parallel == serial
    problems, files = parallel
    assert bool(problems) is broken
    if broken and not force:
        assert files is None
        return
    assert files is not None
    assert sorted(files) == sorted(
        [f"{name}.{fmt}" for name in names] + ([f"index.{fmt}"] if index else [])
    )
    warned = [file for file, data in files.items() if b"while validation finds errors" in data]
    assert warned == (list(files) if broken else [])
    assert not any(b"AIMSCTLWARNING" in data for data in files.values())


@linux_only
@pytest.mark.parametrize("names", [list(NAMES), ["risks", "soa", "systems"], ["risks", "soa"]])
def test_the_reports_sharing_rows_are_rendered_by_one_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: list[str]
) -> None:
    """The register and the systems' documentation show the same risk rows: one worker
    renders both, so that it makes them once; readiness follows the rules."""
    root = write_repository(tmp_path / "repo", repository_files())
    log = tmp_path / "rendered"
    real = _Setup.render

    def render(setup: _Setup, number: int, encoded: bool) -> str | bytes:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {setup.names[number]}\n")
        return real(setup, number, encoded)

    monkeypatch.setattr(_Setup, "render", render)
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: False)
    serial = _checked(root, names, "html", False, True)
    log.unlink()
    _spied(monkeypatch)
    assert _checked(root, names, "html", False, True) == serial
    by_report = dict(line.split()[::-1] for line in log.read_text().splitlines())
    assert sorted(by_report) == sorted(names)
    assert os.getpid() not in {int(pid) for pid in by_report.values()}
    if "systems" in names:
        assert by_report["systems"] == by_report["risks"]
    numbers, then = _tasks(names)
    tasks = [None if number is None else names[number] for number in numbers]
    assert tasks[0] == ("readiness" if "readiness" in names else None)
    assert sorted(tasks[1:]) == sorted(name for name in names if name != "readiness")
    follows = {tasks[made]: tasks[next_one] for made, next_one in then.items()}
    assert follows == ({"systems": "risks"} if "systems" in names else {})


@linux_only
def test_a_repository_with_its_own_templates_renders_after_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its templates may show the warning anywhere, so no place is held for it: the
    rules run, then the reports are rendered (on two cores), with the warning."""
    files = _broken_files()
    files["aims.yaml"] = f"{files['aims.yaml']!s}templates: report-templates\n"
    files["report-templates/md/soa.md.j2"] = (
        "{% if warning %}{{ warning.errors }} errors{% endif %}\n# {{ report.title }}\n"
    )
    root = write_repository(tmp_path / "repo", files)
    calls = _spied(monkeypatch)
    problems, rendered = _checked(root, list(NAMES), "md", True, True)
    assert calls == [(len(NAMES), True)]
    assert rendered is not None
    assert rendered["soa.md"] == f"{len(problems)} errors# Statement of Applicability\n".encode()


@linux_only
@pytest.mark.parametrize("broken", [False, True])
def test_a_report_that_fails_beside_the_rules_raises_as_after_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    """A report that raises is the same error either way; with errors in the records
    (no --force), the refusal comes first, as when the rules ran before any report."""
    root = write_repository(tmp_path / "repo", _broken_files() if broken else repository_files())

    def broken_build(*args: object) -> dict[str, object]:
        raise ReportError("the risks report is broken")

    monkeypatch.setitem(REPORTS, "risks", replace(REPORTS["risks"], build=broken_build))
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: False)
    outcomes = []
    for spy in (False, True):
        if spy:
            calls = _spied(monkeypatch)
        try:
            outcomes.append(_checked(root, list(NAMES), "md", False, True))
        except ReportError as error:
            outcomes.append(str(error))
    assert calls[0] == (len(NAMES), True)
    assert outcomes[1] == outcomes[0]
    if broken:
        problems, files = outcomes[0]
        assert problems and files is None
    else:
        assert outcomes[0] == "the risks report is broken"


# --- the commit found beside the tiers (load_for_report) ---------------------------------


@linux_only
@pytest.mark.parametrize("state", ["committed", "edited", "damaged", "not in git"])
def test_the_commit_found_beside_the_tiers_is_the_one_found_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    """On two cores a worker compares the tree with HEAD while the tiers are made here:
    the same commit text (a report written inside the repository no change), the same
    comparison kept for the records' dates, the tiers made in this process."""
    root = write_repository(tmp_path / "repo", repository_files())
    if state != "not in git":
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "records")
        sha = git(root, "rev-parse", "HEAD").strip()
    out = root / "reports"
    out.mkdir()
    (out / "soa.md").write_text("an earlier report\n", encoding="utf-8")
    if state == "edited":
        policy = next(root.glob("policies/*.yaml"))
        policy.write_text(policy.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    if state == "damaged":
        (root / ".git" / "HEAD").write_text("")
    expected = {
        "committed": lambda text: text == sha,
        "edited": lambda text: text == f"{sha} with uncommitted changes",
        "damaged": lambda text: text.startswith("unknown: "),
        "not in git": lambda text: text == "not a git repository",
    }[state]
    calls: list[bool] = []
    real = workers.beside

    def spy(there: Callable[[], object], here: Callable[[], object]) -> object:
        calls.append(True)
        return real(there, here)

    monkeypatch.setattr(workers, "beside", spy)
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: False)
    alone, alone_provenance = load_for_report(root, DAY, None, out=out)
    assert calls == []
    monkeypatch.setattr(workers, "worth_it", lambda size, least, tasks: True)
    beside, beside_provenance = load_for_report(root, DAY, None, out=out)
    assert calls == [True]
    assert expected(beside_provenance.commit), beside_provenance.commit
    assert beside_provenance == alone_provenance
    assert beside.head_changes == alone.head_changes
    assert (beside.head_changes is None) is (state in ("damaged", "not in git"))
    assert "tiers" in vars(beside)  # made in this process, for the workers forked later
