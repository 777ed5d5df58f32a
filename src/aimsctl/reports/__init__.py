"""Audit-ready reports: each a plain context built from the Repository, rendered by Jinja.

``render_reports`` returns the reports by file name (:class:`Rendered`); the
command line decides what to write. The same repository, options and provenance
always render the same bytes: nothing here reads the clock, and every list is
sorted or in catalogue order.
"""

from __future__ import annotations

import functools
import itertools
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from aimsctl import collector, progress, workers
from aimsctl.catalog import standard
from aimsctl.days import earliest_day, iso_date
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.errors import GitError, ReportError, UsageError
from aimsctl.formats import REPORT as REPORT_FORMATS
from aimsctl.reports import (
    impact,
    inventory,
    management,
    monitoring,
    readiness,
    risks,
    soa,
    systems,
)
from aimsctl.reports.common import (
    Context,
    Provenance,
    Shared,
    bands_context,
    document_context,
    link_base,
    provenance_context,
)
from aimsctl.reports.render import Renderer
from aimsctl.vocabulary import REPORT_NAMES, ReportName

if TYPE_CHECKING:
    from aimsctl.gitio import HeadChanges
    from aimsctl.repository import Repository

__all__ = [
    "COMMIT_PLACEHOLDER",
    "NAMES",
    "REPORTS",
    "Provenance",
    "Rendered",
    "ReportError",
    "ReportInfo",
    "file_name",
    "for_check",
    "load_for_report",
    "render_checked",
    "render_reports",
    "repository_errors",
    "same_report",
]

INDEX = "index"
# Stands in for the commit in renders compared by `--check` (see `same_report`):
# drawn afresh by each run, so no record's text can hold it (text that did would be
# taken for the commit, and could be anything in the file on disk). Letters and
# digits only, which no output format escapes.
COMMIT_PLACEHOLDER = "AIMSCTLCOMMIT" + secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class ReportInfo:
    name: ReportName
    title: str
    description: str
    # The clauses and Annex A items of ISO/IEC 42001 the report is evidence for,
    # printed on the report and in the index.
    clauses: tuple[str, ...]
    # The report's context from the repository, the relative path from the reports to
    # it (None: no links to its files) and what the reports of one render share.
    build: Callable[[Repository, str | None, Shared | None], Context]


# One entry per name of aimsctl.vocabulary.REPORT_NAMES, in that order (a test checks).
REPORTS: dict[str, ReportInfo] = {
    info.name: info
    for info in (
        ReportInfo(
            "soa",
            "Statement of Applicability",
            "Every ISO/IEC 42001 Annex A control, included or excluded with its "
            "justification, implementation status, last review, evidence and the risks "
            "it treats.",
            ("6.1.3",),
            soa.build,
        ),
        ReportInfo(
            "inventory",
            "AI system inventory",
            "Every AI system with its purpose, life-cycle stage, derived tier, oversight, "
            "regulatory category, data, third parties, open risks and impact assessment.",
            ("4.1", "A.4"),
            inventory.build,
        ),
        ReportInfo(
            "risks",
            "AI risk register",
            "Every risk with inherent and residual score and band, treatment, appetite "
            "verdict and acceptance, and likelihood-by-severity heatmaps.",
            ("6.1.2", "6.1.3", "8.2", "8.3"),
            risks.build,
        ),
        ReportInfo(
            "impact",
            "AI system impact assessments",
            "Each impact assessment: stakeholders and engagement, vulnerable groups, "
            "scored impacts by dimension, mitigations, decision and approval.",
            ("6.1.4", "8.4", "A.5"),
            impact.build,
        ),
        ReportInfo(
            "systems",
            "AI system documentation",
            "For each system, a part for its users (purpose, version, how to use it, how "
            "well it performs and how it is monitored, limitations, contact) and the "
            "internal detail (data, oversight, risks and treatments, controls, assessments, "
            "evaluations, incidents).",
            ("A.6.2.7", "A.8.2"),
            systems.build,
        ),
        ReportInfo(
            "monitoring",
            "Testing and monitoring",
            "Evaluations due and every evaluation with its verdict, monitors and their "
            "freshness, breaches and what followed them, and incidents with their "
            "reporting deadlines.",
            ("9.1", "A.6.2.4", "A.6.2.6", "A.8.4"),
            monitoring.build,
        ),
        ReportInfo(
            "management",
            "AI management system",
            "The policy register, the responsibility chart, the objectives and their "
            "progress, the audit programme with its coverage of clauses 4 to 10 and Annex A, "
            "the management reviews and the nonconformity log with its ageing.",
            ("5.2", "5.3", "6.2", "9.2", "9.3", "10.2"),
            management.build,
        ),
        ReportInfo(
            "readiness",
            "Stage 1 audit readiness",
            "For every requirement of clauses 4 to 10 and every Annex A control, the "
            "documented information that evidences it (linked), what is missing, and "
            "what is overdue or falls due soon.",
            ("4", "5", "6", "7.5", "8", "9", "10", "Annex A"),
            readiness.build,
        ),
    )
}
NAMES: tuple[str, ...] = REPORT_NAMES


def file_name(name: str, fmt: str) -> str:
    return f"{name}.{fmt}"


def _warning(
    problems: Sequence[str], left_out: Sequence[str] = (), limit: int = 20
) -> Context | None:
    if not problems:
        return None
    return {
        "errors": len(problems),
        "problems": list(problems[:limit]),
        "more": max(0, len(problems) - limit),
        # Every file whose records are missing from the report, however many errors
        # there are: a report that drops a record never passes for a complete one.
        "left_out": list(left_out),
    }


class Rendered(Mapping[str, str]):
    """The reports of one render: each one's text by its file name, in the order
    rendered, and :meth:`data`, the bytes to write.

    A report a worker made (on two cores) is kept as the UTF-8 bytes it sent back,
    encoded there, in parallel: text would be encoded by pickle in the worker, decoded
    here, and encoded again to be written. The command writes the bytes as they came;
    the text is decoded only when asked for (``--check``, a test). At 10,000 records
    the HTML is 32 MB (systems 14 MB, risks 12 MB): the command spent 45-50 ms of CPU
    encoding it after the last report came back, and 70-75 ms receiving the two large
    ones, against 15-25 ms and 50-55 ms now."""

    __slots__ = ("_made",)

    def __init__(self, made: dict[str, str | bytes]) -> None:
        self._made = made

    def __getitem__(self, file: str) -> str:
        made = self._made[file]
        return made.decode("utf-8") if isinstance(made, bytes) else made

    def __iter__(self) -> Iterator[str]:
        return iter(self._made)

    def __len__(self) -> int:
        return len(self._made)

    def __repr__(self) -> str:
        return f"Rendered({dict(self)!r})"

    def data(self, file: str) -> bytes:
        """The report ``file`` as the UTF-8 bytes to write."""
        made = self._made[file]
        return made if isinstance(made, bytes) else made.encode("utf-8")


def render_reports(
    repo: Repository,
    names: Sequence[str],
    fmt: str,
    provenance: Provenance,
    out: Path | None = None,
    problems: Sequence[str] = (),
    index: bool = False,
    crosswalk: bool = False,
    left_out: Sequence[str] = (),
) -> Rendered:
    """Render reports by name (and the index linking them), by file name.

    ``out`` is where the files will be written: evidence and documentation paths
    get relative links only when it lies inside the repository. ``problems`` are
    the validation errors of a forced run, announced at the top of every report,
    with ``left_out``, the files whose records failed validation and are missing.
    ``crosswalk`` adds to the SoA each control's NIST AI RMF subcategories and EU AI
    Act articles (``aimsctl report soa --crosswalk``).
    Raises ReportError for a broken, missing or unreadable template.
    """
    if fmt not in REPORT_FORMATS.names:
        raise ValueError(f"unknown report format {fmt!r}")
    with collector.alive_frozen():
        return _render_reports(
            repo, names, fmt, provenance, out, problems, index, crosswalk, left_out
        )


# Below this many records rendering every report takes a fraction of a second, less
# than forking two workers and collecting their results would save. Since the reports
# render while the rules run, two cores pay from a few hundred records (`report all
# --format html`, medians of interleaved runs: 500 records 567 -> 519 ms, 1,000
# records 703-729 -> 618-640 ms); the bundled example (83) stays on one.
MIN_RECORDS_ON_TWO_CORES = 500
# The reports with a section or row per record, longest to make first: on two cores
# they start first, so that both finish at about the same time.
_LONGEST = ("systems", "risks", "readiness")


def _render_reports(
    repo: Repository,
    names: Sequence[str],
    fmt: str,
    provenance: Provenance,
    out: Path | None,
    problems: Sequence[str],
    index: bool,
    crosswalk: bool,
    left_out: Sequence[str],
) -> Rendered:
    renderer = Renderer(repo.source, repo.config.templates)
    parallel = workers.worth_it(repo.record_count, MIN_RECORDS_ON_TWO_CORES, len(names))
    setup = _Setup(
        repo, renderer, names, fmt, provenance, out, _warning(problems, left_out), index, crosswalk
    )
    longest = [setup.names.index(name) for name in _LONGEST if name in setup.names]
    with progress.task("Rendering reports", len(names), repo.record_count) as advance:
        texts = workers.made(
            lambda number: setup.render(number, parallel), len(names), parallel, advance, longest
        )
    return setup.rendered(texts, setup.shared)


class _Setup:
    """What every report of one render is made from: the renderer, the context the
    reports share, one entry per report; :meth:`render` makes one report."""

    def __init__(
        self,
        repo: Repository,
        renderer: Renderer,
        names: Sequence[str],
        fmt: str,
        provenance: Provenance,
        out: Path | None,
        warning: object,
        index: bool,
        crosswalk: bool,
    ) -> None:
        self.repo, self.renderer, self.fmt, self.index = repo, renderer, fmt, index
        self.base = link_base(repo.root, out)
        self.shared: Context = {
            "format": fmt,
            "provenance": provenance_context(provenance),
            "standard": standard(),
            "warning": warning,
            "bands": bands_context(repo),
            "appetite": repo.config.risk.appetite,
            "crosswalk": soa.crosswalk_context() if crosswalk else None,
        }
        self.listed: list[Context] = [
            {
                "name": REPORTS[name].name,
                "title": REPORTS[name].title,
                "description": REPORTS[name].description,
                "file": file_name(name, fmt),
                "clauses": list(REPORTS[name].clauses),
                "document": document_context(repo, REPORTS[name].name),
            }
            for name in names
        ]
        self.shared["siblings"] = self.listed if index else []
        self.names = [entry["name"] for entry in self.listed]
        # Parts of one report's context are shared with another only when nothing but
        # the built-in templates render them: a repository's template could change a
        # shared dict (`row.update(...)` is allowed in the sandbox), and so another report.
        self.parts = Shared() if renderer.repository is None else None

    def render(self, number: int, encoded: bool) -> str | bytes:
        """The report ``listed[number]``; as UTF-8 bytes when ``encoded`` (made by a
        worker, which sends the bytes to write: see Rendered)."""
        info = REPORTS[self.listed[number]["name"]]
        # The context lives until the template has rendered it, and so do the parts
        # reports share: see collector.kept.
        with collector.kept():
            context = (
                self.shared
                | info.build(self.repo, self.base, self.parts)
                | {"report": self.listed[number]}
            )
        text = self.renderer.render(f"{self.fmt}/{info.name}.{self.fmt}.j2", context)
        return text.encode("utf-8") if encoded else text

    def index_entry(self) -> Context:
        return {
            "name": INDEX,
            "title": "AI management system reports",
            "description": "",
            "file": file_name(INDEX, self.fmt),
            "clauses": [],
            "document": None,
        }

    def render_index(self, shared: Context) -> str:
        entry = self.index_entry()
        return self.renderer.render(
            f"{self.fmt}/{INDEX}.{self.fmt}.j2",
            shared | {"report": entry, "reports": self.listed},
        )

    def rendered(self, texts: Sequence[str | bytes], shared: Context) -> Rendered:
        """The reports made, in order, and the index if asked for (rendered with
        ``shared``)."""
        rendered: dict[str, str | bytes] = {}
        for entry, text in zip(self.listed, texts, strict=True):
            rendered[entry["file"]] = text
        if self.index:
            rendered[file_name(INDEX, self.fmt)] = self.render_index(shared)
        return Rendered(rendered)


# Stands in for the --force warning in the reports rendered while the rules run (see
# render_checked), as COMMIT_PLACEHOLDER does for the commit: letters and digits, which
# no output format escapes, drawn afresh by each run.
_WARNING_PLACEHOLDER = "AIMSCTLWARNING" + secrets.token_hex(16)
# The report that reads git history as the rules do (the dates records were made): on
# two cores it is rendered after the rules, by the worker that ran them, which has the
# history made already.
_AFTER_RULES = "readiness"
# Reports made from the same rows, rendered one after the other by one worker so that
# the rows are made once (Shared): every risk's row is in the register and in its
# system's documentation. At 50,000 records each worker took 0.6-0.9 s making them.
_TOGETHER = ("systems", "risks")


class _Invalid(Exception):
    """The rules found validation errors (``args[0]``) and the run does not go on
    without --force: the reports being rendered are dropped."""


class _NotSpliced(Exception):
    """A report rendered beside the rules did not hold the warning's place once."""


def render_checked(
    repo: Repository,
    names: Sequence[str],
    fmt: str,
    provenance: Provenance,
    describe: Callable[[Diagnostic], str],
    out: Path | None = None,
    index: bool = False,
    crosswalk: bool = False,
    force: bool = False,
) -> tuple[list[Diagnostic], Rendered | None]:
    """The repository's validation errors (:func:`repository_errors`) and the reports
    :func:`render_reports` renders after them: with each error as ``describe`` words
    it in the warning of a ``force`` run, and none (None) with errors without ``force``.

    On two cores, with the built-in templates, the reports are rendered while the
    rules run, the rules in one worker and the reports in both: the reports' bytes
    depend on the rules only through the --force warning at their top, which is
    rendered in its place afterwards (with nothing, when there are no errors). At
    10,000 records the rules took a core's half second while the other core was
    idle. Errors without ``force`` end the workers and drop what they made.
    Should anything raise on the way, the rules and the reports are made again one
    after the other, so that the error is the one that order raises.
    """
    if fmt not in REPORT_FORMATS.names:
        raise ValueError(f"unknown report format {fmt!r}")
    with collector.alive_frozen():
        try:
            made = _beside_rules(
                repo, names, fmt, provenance, describe, out, index, crosswalk, force
            )
        except _Invalid as invalid:
            return list(invalid.args[0]), None
        except Exception:  # made again in order below, raising as that order does
            made = None
        if made is not None:
            return made
        problems = repository_errors(repo)
        if problems and not force:
            return problems, None
        return problems, render_reports(
            repo,
            names,
            fmt,
            provenance,
            out,
            [describe(problem) for problem in problems],
            index,
            crosswalk,
            repo.failed_files() if problems else (),
        )


def _beside_rules(
    repo: Repository,
    names: Sequence[str],
    fmt: str,
    provenance: Provenance,
    describe: Callable[[Diagnostic], str],
    out: Path | None,
    index: bool,
    crosswalk: bool,
    force: bool,
) -> tuple[list[Diagnostic], Rendered] | None:
    """See :func:`render_checked`: None where the reports are not rendered beside the
    rules."""
    renderer = Renderer(repo.source, repo.config.templates)
    # A repository's templates may show the warning anywhere, or not at all.
    if renderer.repository is not None or not workers.worth_it(
        repo.record_count, MIN_RECORDS_ON_TWO_CORES, len(names) + 1
    ):
        return None
    setup = _Setup(
        repo, renderer, names, fmt, provenance, out, _WARNING_PLACEHOLDER, index, crosswalk
    )
    # The tiers (and the scores and look-ups they are made from), which the rules and
    # every report read, are made here once rather than in both workers (at 10,000
    # records 0.13 s of CPU each).
    repo.tiers  # noqa: B018
    # The first task runs the rules, first in order so that their errors come before
    # any report's, then renders the report that reads the history they read.
    tasks, then = _tasks(setup.names)

    def make(number: int) -> object:
        report = tasks[number]
        if number == 0:
            problems = repository_errors(repo)
            if problems and not force:
                raise _Invalid(problems)
            return problems, None if report is None else setup.render(report, True)
        assert report is not None
        return setup.render(report, True)

    longest = [0, *(tasks.index(setup.names.index(n)) for n in _LONGEST if n in setup.names)]
    with progress.task("Rendering reports", len(tasks), repo.record_count) as advance:
        made = workers.made(
            make, len(tasks), True, advance, list(dict.fromkeys(longest)), then=then
        )
    first = made[0]
    assert isinstance(first, tuple)
    problems, made[0] = first
    texts: list[bytes] = [b""] * len(setup.listed)
    for report, text in zip(tasks, made, strict=True):
        if report is not None:
            assert isinstance(text, bytes)
            texts[report] = text
    warning = _warning(
        [describe(problem) for problem in problems],
        repo.failed_files() if problems else (),
    )
    shared = setup.shared | {"warning": warning}
    # The warning as the templates write it: the index rendered both ways differs
    # only there.
    held = setup.render_index(setup.shared)
    real = setup.render_index(shared)
    at = held.find(_WARNING_PLACEHOLDER)
    before, after_text = held[:at], held[at + len(_WARNING_PLACEHOLDER) :]
    if (
        at < 0
        or not real.startswith(before)
        or not real.endswith(after_text)
        or len(real) < len(before) + len(after_text)
    ):
        raise _NotSpliced
    written = real[len(before) : len(real) - len(after_text)].encode("utf-8")
    rendered: dict[str, str | bytes] = {
        entry["file"]: _splice(text, written)
        for entry, text in zip(setup.listed, texts, strict=True)
    }
    if index:
        rendered[file_name(INDEX, fmt)] = real
    return list(problems), Rendered(rendered)


def _tasks(names: Sequence[str]) -> tuple[list[int | None], dict[int, int]]:
    """The report (number in ``names``) each task of :func:`_beside_rules` renders, and
    which task the worker that made another makes next: the first, after the rules,
    the report that reads their history (None if not asked for); the reports that
    share their rows one after the other in one worker."""
    after = names.index(_AFTER_RULES) if _AFTER_RULES in names else None
    tasks = [after, *(number for number in range(len(names)) if number != after)]
    together = [tasks.index(names.index(name)) for name in _TOGETHER if name in names]
    return tasks, dict(itertools.pairwise(together))


_PLACEHOLDER_BYTES = _WARNING_PLACEHOLDER.encode("ascii")


def _splice(text: bytes, warning: bytes) -> bytes:
    """``text`` with the warning in the one place held for it. (``replace`` copies the
    text at memory speed: slices joined took 30-40 ms for the 14 MB of systems.html.)"""
    if text.count(_PLACEHOLDER_BYTES) != 1:
        raise _NotSpliced
    return text.replace(_PLACEHOLDER_BYTES, warning, 1)


def report_files_below(root: Path, out: Path | None) -> frozenset[str]:
    """The paths, relative to the repository root, of every file a report run may write
    into ``out`` (each report and the index, in either format); none when ``out`` lies
    outside the repository."""
    if out is None:
        return frozenset()
    root_resolved, out_resolved = root.resolve(), out.resolve()
    if not out_resolved.is_relative_to(root_resolved):
        return frozenset()
    folder = PurePosixPath(out_resolved.relative_to(root_resolved).as_posix())
    return frozenset(
        (folder / file_name(name, fmt)).as_posix()
        for name in (*NAMES, INDEX)
        for fmt in REPORT_FORMATS.names
    )


def load_for_report(
    root: Path, day: date, at: str | None, use_cache: bool = False, out: Path | None = None
) -> tuple[Repository, Provenance]:
    """The repository to report on (the working tree, or git revision ``at``) and
    where it came from: the commit, and whether the tree differs from it. The
    reports in ``out`` (the folder they are written to) are no uncommitted change:
    a run writing into the repository must not make the next run name another
    commit text, so that the same records render the same bytes.

    With ``use_cache``, the working tree's files are parsed through validate's
    per-file cache (:class:`aimsctl.cache.FileCache`): a file whose bytes a
    validate run parsed before is not parsed again, nor is a committed file read
    again for the records' dates taken from git (:class:`aimsctl.cache.HistoryCache`).
    The caches are only read: a report writes nothing but its files (``--check``
    not even those)."""
    from aimsctl import gitio
    from aimsctl.cache import FileCache, HistoryCache
    from aimsctl.loader import CONFIG_FILE
    from aimsctl.repository import load_repository
    from aimsctl.revision import repository_at

    if at is None:
        files = FileCache(root) if use_cache else None
        repository = load_repository(root, day, parsed=files, two_cores=True)
        if files is not None and files.path is not None:
            repository.history_memo = HistoryCache(root)
        commit, committed = _working_commit(root, repository, report_files_below(root, out))
    else:
        # Every file, not only the YAML: the repository's own report templates too.
        revisions = gitio.Revisions(root)
        sha, found = repository_at(root, at, day, suffixes=None, revisions=revisions)
        if found is None:
            raise UsageError(
                f"--at {at}: the governance repository at {root} has no {CONFIG_FILE} in "
                f"commit {sha}"
            )
        found.history_at = sha  # the records' dates as the rules judged them at that commit
        repository, commit, committed = found, sha, _days(revisions.committed(sha))
    collector.keep_to_exit(repository)  # not freed record by record once the reports are out
    config = repository.config
    day_of, everywhere = committed
    provenance = Provenance(config.organization, config.scope, day, commit, day_of, everywhere)
    return repository, provenance


def _days(stamp: str | None) -> tuple[date | None, date | None]:
    """A commit's day from its ISO 8601 date: the committer's own, as record dates read
    it; and the earliest day its moment fell on anywhere (at UTC-12). Only a commit
    later than the as-of date by that day is later wherever the as-of date was meant:
    a commit made in Auckland on the 8th is the 7th in UTC, where CI runs."""
    if not stamp:
        return None, None
    return iso_date(stamp[:10]), earliest_day(stamp)


def _working_commit(
    root: Path, repository: Repository, written: frozenset[str]
) -> tuple[str, tuple[date | None, date | None]]:
    """The commit a report of the working tree names (HEAD's, and whether the tree
    differs from it, ``written``, the report files of the run, aside) and its day; the comparison
    is kept for the records' dates, which then compare no more.

    On two cores a worker compares while this process makes the tiers, which the rules
    and every report read: both took a core while the other was idle (at 10,000
    records 0.11 s and 0.06 s, at 50,000 0.43 s and 0.3 s)."""
    find = functools.partial(_compared, root, repository.files_read(), written)
    if workers.worth_it(repository.record_count, MIN_RECORDS_ON_TWO_CORES, 2):
        commit, compared = workers.beside(find, lambda: repository.tiers)
    else:
        commit, compared = find()
    if compared is None:
        return commit, (None, None)
    repository.head_changes = compared
    return commit, _days(compared.committed)


def _compared(
    root: Path, read: Mapping[str, bytes] | None, written: frozenset[str]
) -> tuple[str, HeadChanges | None]:
    """The commit text and the working tree compared with HEAD (None where git cannot
    tell): see :func:`_working_commit`."""
    from aimsctl import gitio

    try:
        compared = gitio.head_changes(root, read)
    except gitio.NotInRepository:
        return Provenance.commit_text(None, False, git=False), None
    except GitError as error:  # git cannot be run, or the repository is unusable
        return Provenance.commit_unknown(str(error)), None
    return Provenance.commit_text(compared.sha, compared.dirty(written)), compared


def repository_errors(repository: Repository) -> list[Diagnostic]:
    """The validation errors that keep reports from rendering (without --force)."""
    from aimsctl.engine import run

    return [d for d in run(repository).diagnostics if d.severity is Severity.ERROR]


def for_check(provenance: Provenance) -> Provenance:
    """The provenance to render with when comparing against files on disk."""
    return replace(provenance, commit=COMMIT_PLACEHOLDER, committed=None)


def same_report(existing: str, rendered: str) -> bool:
    """Whether a file on disk is the report ``rendered`` (made with :func:`for_check`).

    Everything must match byte for byte except the commit named in the
    provenance, which may be any text on one line: a report committed to the
    repository it describes cannot name the commit that contains it, so the
    commit alone never makes a report stale. A file that ends every line at CR LF
    (a checkout with core.autocrlf=true) is read with LF line ends, as git reads it.
    """
    existing = _lf_checkout(existing, rendered)
    if COMMIT_PLACEHOLDER not in rendered:
        return existing == rendered
    ours, theirs = rendered.split("\n"), existing.split("\n")
    if len(ours) != len(theirs):
        return False
    for line, found in zip(ours, theirs, strict=True):
        if COMMIT_PLACEHOLDER not in line:
            if line != found:
                return False
            continue
        if not _same_around_commits(line.split(COMMIT_PLACEHOLDER), found):
            return False
    return True


def _lf_checkout(existing: str, rendered: str) -> str:
    """``existing`` with LF line ends where it ends every line at CR LF and ``rendered``
    has no CR: the file git's core.autocrlf=true checks out for a committed report."""
    crlf = existing.count("\r\n")
    if crlf and existing.count("\n") == crlf == existing.count("\r") and "\r" not in rendered:
        return existing.replace("\r\n", "\n")
    return existing


def _same_around_commits(parts: list[str], found: str) -> bool:
    """Whether ``found`` is ``parts`` with any text between them: each part found
    at its first place after the last (which is never worse for the parts after),
    so a line with many commits is not matched by backtracking."""
    first, *middle, last = parts
    if not found.startswith(first):
        return False
    at = len(first)
    for part in middle:
        at = found.find(part, at)
        if at == -1:
            return False
        at += len(part)
    return len(found) - len(last) >= at and found.endswith(last)
