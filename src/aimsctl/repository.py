"""The loaded repository: configuration, records by id and kind, and load diagnostics.

Every command is a view over one :class:`Repository`, loaded once.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from aimsctl import codes, collector
from aimsctl.config import AimsConfig, parse_config
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.errors import ConfigError, UsageError
from aimsctl.loader import (
    CONFIG_FILE,
    Document,
    FileSource,
    Locator,
    ParsedFiles,
    ParseMemo,
    WorkingTree,
    config_encoding_error,
    explain_checkout_encodings,
    load_files,
    miscased_problems,
    select_record_paths,
)
from aimsctl.records import AISystem, Control, ImpactAssessment, Record, Risk, Role
from aimsctl.records.base import scales_context
from aimsctl.records.check import Checked, check_document, diagnostic_at, record_position
from aimsctl.records.role import acceptance_refused
from aimsctl.scoring import RiskScore, Scorer
from aimsctl.soa import implemented
from aimsctl.text import natural_key, path_key
from aimsctl.yamlsafe import narrowed

if TYPE_CHECKING:
    from aimsctl.gitio import HeadChanges
    from aimsctl.record_dates import BlobMemo, RecordDates
    from aimsctl.rules.measurements import Series

R = TypeVar("R", bound=Record)


@dataclass(slots=True)
class Entry:
    """A valid record and the document it came from."""

    record: Record
    document: Document


@dataclass(frozen=True, slots=True)
class Unidentified:
    """A record left out because its kind or its id cannot be read (AIMS101, or
    AIMS003 for a list where a record belongs): a rule that finds no record of a kind,
    or none with an id, cannot tell that this is not the one."""

    path: str
    line: int
    kind: str | None  # None: it may be of any kind
    id: str | None  # None: it may carry any id


# The kinds whose records show work done, not only what is claimed (see
# Repository.control_files).
_RECORDS_OF_WORK = frozenset(
    {
        "Evaluation",
        "Monitor",
        "Incident",
        "InternalAudit",
        "ManagementReview",
        "Nonconformity",
        "ImpactAssessment",
        "Policy",
    }
)


@dataclass
class Repository:
    root: Path
    config: AimsConfig
    as_of: date
    entries: dict[str, Entry] = field(default_factory=dict)
    # Ids of records that exist but failed validation, with their kind: references
    # to them are not reported again as broken.
    invalid: dict[str, str | None] = field(default_factory=dict)
    # Records whose kind or id cannot be read, in the order read (their files sorted).
    unidentified: list[Unidentified] = field(default_factory=list)
    # Records beyond the first that share an id (each left out, as the first is).
    duplicates: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # record files read, sorted
    excluded: int = 0  # YAML files `exclude:` leaves out (validate says how many)
    source: FileSource | None = None
    locator: Locator = field(default_factory=Locator)
    # A working tree takes creation and material-change dates from its git history;
    # a revision read from git objects has none (diff), or its commit's (report --at).
    history_from_git: bool = False
    # The files that stand for the working tree in the history (git's index for
    # `validate --staged`); None: the working tree itself.
    history_tree: Mapping[str, bytes] | None = None
    # The source is git's index of the working tree at `root` (`validate --staged`):
    # a path it lacks may be on disk, not added yet.
    staged: bool = False
    # The blob id of each of those files, by path, where git's index names it.
    history_tree_ids: Mapping[str, str] | None = None
    history_at: str | None = None  # the commit whose history gives the dates
    # What committed files name, kept between runs (validate's cache); None: one run's.
    history_memo: BlobMemo | None = None
    # The working tree compared with HEAD earlier in the run (report provenance, or
    # the history), with the bytes this load read: the history and readiness take it
    # rather than hash every file again.
    head_changes: HeadChanges | None = field(default=None, repr=False, compare=False)
    # Each monitor's observations as this load read them, by monitor id: several rules
    # and reports read them, and a CSV file of thousands of rows is parsed once.
    series: dict[str, Series] = field(default_factory=dict, repr=False, compare=False)

    @property
    def files(self) -> int:
        return len(self.paths)

    def path_exists(self, rel: str) -> bool:
        """Whether a repository-relative path exists where the records were read from."""
        source = self.source if self.source is not None else WorkingTree(self.root)
        return source.exists(rel)

    @cached_property
    def control_files(self) -> frozenset[str]:
        """The record files that hold Control records and no record of work done (an
        evaluation, a monitor, an incident, an audit, a review, a nonconformity, an
        impact assessment, a policy): the Statement of Applicability, which states
        what is claimed. A Role or a Risk put beside the controls does not change it."""
        kinds: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.values():
            kinds[entry.document.source.path].add(entry.record.KIND)
        return frozenset(
            path
            for path, found in kinds.items()
            if Control.KIND in found and not found & _RECORDS_OF_WORK
        )

    @cached_property
    def _paths_by_key(self) -> dict[str, list[str]]:
        source = self.source if self.source is not None else WorkingTree(self.root)
        found: dict[str, list[str]] = defaultdict(list)
        for rel in source.paths():
            found[path_key(rel)].append(rel)
        return found

    def spelled_otherwise(self, rel: str) -> str | None:
        """The file of the repository that ``rel`` (which names none) names on Windows or
        macOS only: it differs in letter case, in the Unicode form of an accented
        letter, or writes '\\' for '/' (:func:`aimsctl.text.path_key`); None if none."""
        written = posixpath.normpath(rel.replace("\\", "/"))
        # A path listed as it is written (a dangling link, say) names itself, no other.
        others = [path for path in self._paths_by_key.get(path_key(written), ()) if path != rel]
        return min(others) if others else None

    def of_kind(self, kind: type[R]) -> list[R]:
        """Valid records of one kind, sorted by id (numbers by value: R-2 before R-10).
        A new list each time (a caller may change it), copied from the one kept for the
        kind: the rules ask for the risks some forty times, and a Role or AISystem list
        once per record."""
        found = self._of_kind.get(kind)
        if found is None:
            entries = self._by_kind.get(kind.KIND, ())
            found = self._of_kind[kind] = [e.record for e in entries if isinstance(e.record, kind)]
        return list(found)  # type: ignore[arg-type]

    @cached_property
    def _of_kind(self) -> dict[type[Record], list[Record]]:
        return {}

    @cached_property
    def _by_kind(self) -> dict[str, list[Entry]]:
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for record_id in sorted(self.entries, key=natural_key):
            entry = self.entries[record_id]
            grouped[entry.record.kind].append(entry)
        return grouped

    @property
    def record_count(self) -> int:
        """Records with a readable id, valid or not (those of :attr:`uncounted` aside)."""
        return len(self.entries) + len(self.invalid) + self.duplicates

    @property
    def uncounted(self) -> int:
        """Records whose id cannot be read: :attr:`record_count` leaves them out (one
        whose kind alone cannot be read has an id, and is counted there)."""
        return sum(1 for u in self.unidentified if u.id is None)

    def kind_of(self, record_id: str) -> str | None:
        """The kind of a record id, valid or not; None when no such record exists."""
        if record_id in self.entries:
            return self.entries[record_id].record.kind
        return self.invalid.get(record_id)

    def exists(self, record_id: str) -> bool:
        return record_id in self.entries or record_id in self.invalid

    def failed_files(self) -> tuple[str, ...]:
        """The files with a record that failed validation (a schema error, a duplicate
        id, bad YAML), sorted: what a list drawn from the valid records leaves out. An
        error that keeps the record (a duplicate key, a rule's finding) is no reason."""
        return tuple(sorted({d.path for d in self.diagnostics if self.left_out_by(d)}))

    def left_out_by(self, diagnostic: Diagnostic) -> bool:
        """Whether a load diagnostic left its record (or its file's records) out."""
        return diagnostic.severity is Severity.ERROR and (
            diagnostic.code in codes.LEAVES_RECORD_OUT or diagnostic.record in self.invalid
        )

    def files_read(self) -> Mapping[str, bytes] | None:
        """The bytes of the working tree's files as this load read them, by path (None
        for a revision read from git): what git comparisons judge the tree by."""
        return self.source.bytes_read() if isinstance(self.source, WorkingTree) else None

    @cached_property
    def history(self) -> RecordDates | None:
        """Dates from git history: when records never reviewed were created, when
        systems last changed significantly. None where there is no history to ask."""
        if self.history_at is None:
            if not self.history_from_git:
                return None
            from aimsctl.gitio.opening import may_be_in_git  # imports no other git module

            if not may_be_in_git(self.root):
                # No git could find a repository here: no history, as record_dates would
                # answer, without importing the modules that read git (6 ms of the
                # example's validate outside git). Where no record wants a date it
                # answers an empty RecordDates instead, which every rule reads as None.
                return None
        from aimsctl.record_dates import record_dates

        # Never reviewed, or by a review that does not count: due from creation.
        unreviewed = [
            record.id
            for kind in (AISystem, Risk, Control)
            for record in self.of_kind(kind)
            if record.reviewed is None or not record.reviewed.counts(self.as_of)
        ]
        systems = [system.id for system in self.of_kind(AISystem)]
        dates = record_dates(
            self.root,
            self.as_of,
            unreviewed,
            systems,
            self.files_read(),
            self.history_memo,
            at=self.history_at,
            tree=self.history_tree,
            compared=self.head_changes,
            tree_ids=self.history_tree_ids,
        )
        if self.head_changes is None and dates is not None:  # readiness asks it again
            self.head_changes = dates.head_changes
        return dates

    @cached_property
    def unread_texts(self) -> dict[str, str]:
        """The text of each record file that could not be read in full (a YAML error,
        a tag, too deep): records in it may exist without being loaded."""
        texts: dict[str, str] = {}
        for diagnostic in self.diagnostics:
            if diagnostic.code in codes.UNREADABLE and diagnostic.path not in texts:
                raw = self.source.unread_text(diagnostic.path) if self.source else None
                text = narrowed(raw).decode("utf-8", "replace") if raw else ""
                texts[diagnostic.path] = text
        return texts

    @cached_property
    def unread_from(self) -> tuple[tuple[str, int], ...]:
        """Each record file that could not be read in full, with the line where reading
        stopped (the records from there on may exist without being loaded), sorted."""
        return tuple(
            sorted({(d.path, d.line) for d in self.diagnostics if d.code in codes.UNREADABLE})
        )

    def unread_file_naming(self, record_id: str) -> str | None:
        """An unreadable record file whose text mentions ``record_id`` (or, where no text
        could be read, whose name does): the record may be in it, so a reference to it
        cannot be judged."""
        return next(
            (
                path
                for path, text in self.unread_texts.items()
                if record_id in (text or posixpath.basename(path))
            ),
            None,
        )

    def why_left_out(self, record_id: str, kind: str | None = None) -> str | None:
        """Why no valid record ``record_id`` (of ``kind``; None: of any kind) is here
        though one may exist, as words that follow its id: validation refused it (or
        its kind cannot be read), or a file that cannot be read may hold it. None when
        nothing suggests it exists: then it is unknown. A command asked about it says
        this rather than "no such record", and the user fixes that first."""
        if record_id in self.invalid and (kind is None or self.invalid[record_id] in (kind, None)):
            return "is not valid"
        if record_id not in self.entries:
            unread = self.unread_file_naming(record_id)  # a file read in part names no record
            if unread is not None:
                return f"may be in {unread}, which cannot be read"
        return None

    def require_systems(self, system_ids: Iterable[str], shown: str, purpose: str) -> None:
        """Raise UsageError unless each id names a valid AISystem of the repository: one
        left out (:meth:`why_left_out`) is to be fixed first, an unknown one may be a
        typo. ``shown`` is how an id is named (``"--system {id!r}"``), ``purpose`` what
        cannot be done for it ("its monitors cannot be checked")."""
        known = sorted(s.id for s in self.of_kind(AISystem))
        for system_id in system_ids:
            named = shown.format(id=system_id)
            why = self.why_left_out(system_id, AISystem.KIND)
            if why is not None:
                raise UsageError(
                    f"{named} {why}, so {purpose}; fix it first (aimsctl validate shows why)"
                )
            if system_id not in known:
                from aimsctl.validation_messages import did_you_mean

                hint = did_you_mean(system_id, known)
                raise UsageError(f"{named} is not a system of the repository{hint}")

    @cached_property
    def scorer(self) -> Scorer:
        return Scorer(self.config.risk)

    @cached_property
    def risk_scores(self) -> dict[str, RiskScore]:
        """Each risk's score by the repository's own settings."""
        return self.scores_by(self.scorer)

    def scores_by(self, scorer: Scorer) -> dict[str, RiskScore]:
        """Each risk's score by ``scorer``: the repository's own settings, or another
        revision's (diff judges a change by both). A treatment control counts as
        implemented for a risk only when it applies to every system of the risk
        (AIMS205 says why not) and the SoA decides it (a placeholder justification
        decides nothing, as `aimsctl controls` says); an acceptance counts only when
        its signer may accept the risk (AIMS305 says why not)."""
        in_place = {
            control.id: control for control in self.of_kind(Control) if implemented(control)
        }

        def treats(risk: Risk) -> Callable[[str], bool]:
            return lambda c: c in in_place and not in_place[c].left_out(risk.systems)

        roles = self.of_kind(Role)

        def designated(risk: Risk) -> Callable[[str], bool]:
            return lambda by: acceptance_refused(roles, risk, by) is None

        as_of = self.as_of
        return {
            risk.id: scorer.assess(risk, as_of, treats(risk), designated(risk))
            for risk in self.of_kind(Risk)
        }

    @cached_property
    def risks_by_system(self) -> dict[str, list[Risk]]:
        grouped: dict[str, list[Risk]] = defaultdict(list)
        for risk in self.of_kind(Risk):
            for system_id in dict.fromkeys(risk.systems):
                grouped[system_id].append(risk)
        return grouped

    @cached_property
    def assessments_by_system(self) -> dict[str, list[ImpactAssessment]]:
        """Valid impact assessments grouped by the system they assess, each list by id."""
        grouped: dict[str, list[ImpactAssessment]] = defaultdict(list)
        for assessment in self.of_kind(ImpactAssessment):
            grouped[assessment.system].append(assessment)
        return grouped

    @cached_property
    def tiers(self) -> dict[str, str]:
        """Every system's derived tier."""
        return self.tiers_by(self.scorer, self.risk_scores)

    def tiers_by(self, scorer: Scorer, scores: Mapping[str, RiskScore]) -> dict[str, str]:
        """Every system's tier from ``scores``, made by ``scorer`` (see :meth:`scores_by`)."""
        return {
            system.id: scorer.tier(
                (risk, scores[risk.id]) for risk in self.risks_by_system.get(system.id, ())
            )
            for system in self.of_kind(AISystem)
        }


def _index(repo: Repository, checked: list[Checked]) -> None:
    """Records by id; a duplicate id is reported at every place it occurs."""
    places: dict[str, list[Checked]] = defaultdict(list)
    for item in checked:
        if item.id is not None:
            places[item.id].append(item)
        # A scalar or an empty document holds no record; a mapping or a list may.
        document = item.document
        if (item.kind is None or item.id is None) and _may_hold_record(document.data):
            line = record_position(document, repo.locator)[0]  # where AIMS101 says it
            repo.unidentified.append(Unidentified(document.source.path, line, item.kind, item.id))
    for record_id, items in places.items():
        if len(items) > 1:
            # Each other place at its `id`, where this finding points too: a record's
            # first line may be a comment above it.
            at = {id(o): repo.locator.position(o.document, ("id",), False) for o in items}
            for item in items:
                others = ", ".join(
                    f"{o.document.source.path}:{at[id(o)][0]}:{at[id(o)][1]}"
                    for o in items
                    if o is not item
                )
                repo.diagnostics.append(
                    diagnostic_at(
                        item.document,
                        repo.locator,
                        codes.DUPLICATE_ID,
                        f"duplicate id {record_id!r}: also used at {others}",
                        ("id",),
                        record=record_id,
                    )
                )
            repo.invalid[record_id] = items[0].kind
            repo.duplicates += len(items) - 1
            continue
        item = items[0]
        if item.record is not None:
            repo.entries[record_id] = Entry(item.record, item.document)
        else:
            repo.invalid[record_id] = item.kind


def _may_hold_record(data: object) -> bool:
    return isinstance(data, dict) or (isinstance(data, list) and bool(data))


def load_repository(
    root: Path,
    as_of: date,
    source: FileSource | None = None,
    memo: ParseMemo | None = None,
    parsed: ParsedFiles | None = None,
    release: Callable[[Document], bool] | None = None,
    two_cores: bool = False,
) -> Repository:
    """Read, validate and index every record of a repository.

    ``source`` defaults to the working tree at ``root``; a :class:`FileTree` reads a
    git revision instead (``root`` then only names it). Loads that share a ``memo``
    parse and check an identical file once; ``parsed``, a per-file cache, stands in
    for parsing files it has seen (records are still checked every time);
    ``release`` says of a valid record's document whether its data may be let go
    (:meth:`aimsctl.loader.Document.release`) once the record is built;
    ``two_cores`` lets a second core parse files (see ``load_files``). Raises
    ConfigError (exit 2) when aims.yaml is unusable; every other problem becomes a
    diagnostic.
    """
    source = source or WorkingTree(root)
    raw, problem = source.read(CONFIG_FILE)
    if raw is None:
        if problem is not None and source.exists(CONFIG_FILE):
            raise ConfigError(problem.message, line=None)
        raise ConfigError(
            f"no {CONFIG_FILE} in {root}; run `aimsctl init` to create one", line=None
        )
    try:
        config = parse_config(raw)
    except ConfigError as error:
        if isinstance(source, WorkingTree):
            raise config_encoding_error(root, raw, error) from None
        raise
    repo = Repository(
        root=root,
        config=config,
        as_of=as_of,
        source=source,
        history_from_git=isinstance(source, WorkingTree),
    )
    # Reading files and building records makes objects that hold no cycle: a
    # collection meanwhile would walk everything read so far and free nothing.
    with collector.paused():
        miscased: list[str] = []
        excluded: list[str] = []
        paths = select_record_paths(source.paths(), config.exclude, miscased, excluded)
        repo.excluded = len(excluded)
        # Each file's records are built as soon as it is read, while the next files are
        # parsed, and a record's data let go (``release``) before the next file's is
        # held: at 50,000 records every parse held at once was most of the peak.
        checked: list[Checked] = []
        problems: list[Diagnostic] = []
        check = _checker(repo, raw, memo, release, checked, problems)
        loaded = load_files(source, paths, memo, parsed, two_cores, check)
        repo.paths = loaded.paths
        repo.diagnostics.extend(source.listing_problems(config.exclude))
        repo.diagnostics.extend(miscased_problems(miscased))
        if isinstance(source, WorkingTree):
            repo.diagnostics.extend(explain_checkout_encodings(root, loaded.diagnostics))
        else:
            repo.diagnostics.extend(loaded.diagnostics)
        repo.diagnostics.extend(problems)
        _index(repo, checked)
    return repo


def _checker(
    repo: Repository,
    raw: bytes,
    memo: ParseMemo | None,
    release: Callable[[Document], bool] | None,
    checked: list[Checked],
    found: list[Diagnostic],
) -> Callable[[list[Document]], None]:
    """What builds the record of each document of a file as it is read (see
    :func:`load_repository`): each one checked goes to ``checked``, its problems to
    ``found``, in the order read."""
    scorer = repo.scorer
    context = scales_context(scorer.likelihood, scorer.severity)

    def check(documents: list[Document]) -> None:
        for document in documents:
            if memo is None:
                item, problems = check_document(document, repo.locator, context)
            else:
                key = (id(document), raw)  # the same document under the same aims.yaml
                if key not in memo.checks:
                    memo.checks[key] = check_document(document, repo.locator, context)
                item, problems = memo.checks[key]
            if release is not None and item.record is not None and release(document):
                document.release()
            checked.append(item)
            found.extend(problems)

    return check
