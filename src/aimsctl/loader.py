"""Find the record files of a repository and read them into raw documents.

The loader knows files, bytes and YAML; it knows nothing of record kinds. Every
problem it meets becomes a diagnostic at a position, never an exception.
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from aimsctl import codes, globs, progress, yamlsafe
from aimsctl.diagnostics import Diagnostic, Severity
from aimsctl.errors import ConfigError
from aimsctl.fileio import read_regular
from aimsctl.links import Unfollowed, follow_links
from aimsctl.text import first_of, printable, words

CONFIG_FILE = "aims.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path) -> Path:
    """The folder holding aims.yaml: ``start`` or its nearest parent."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    shown = printable(str(start))  # a line break in the name would start a second line
    below = _configs_below(start)
    if below:
        # At the top of a monorepo (where pre-commit runs hooks), `aimsctl init` would
        # start a second governance repository: name the ones there are (a few: a
        # folder of test fixtures may hold hundreds).
        names = [printable(name) for name in below]
        listed = (
            words(names, "and") if len(names) <= _BELOW_SHOWN else first_of(names, _BELOW_SHOWN)
        )
        held = f"{listed} holds" if len(names) == 1 else f"{listed} hold"
        # Quoted as a shell reads it: `--repo gov docs` would pass two arguments.
        option = printable(shlex.quote(below[0]))
        advice = f"below it, {held} one: pass the repository's folder (`--repo {option}`)"
    else:
        advice = "pass the repository path or run `aimsctl init`"
    raise ConfigError(
        f"no {CONFIG_FILE} found in {shown} or any parent folder; {advice}", shown, line=None
    )


_BELOW_DEPTH = 3  # governance/, teams/ops/aims/: how deep a monorepo keeps them
_BELOW_FOLDERS = 2000  # folders looked into at most: an error must not walk a disk
_BELOW_SHOWN = 3  # folders the message names before it counts the rest


def _configs_below(start: Path) -> list[str]:
    """The folders below ``start`` (at most three levels, not hidden, no link followed)
    that hold aims.yaml, as paths from ``start``, sorted; a bounded look: at most
    :data:`_BELOW_FOLDERS` folders, each checked for aims.yaml (and listed, where no
    aims.yaml is found), breadth first in name order, so the same ones each run."""
    found: list[str] = []
    pending = [("", 0)]
    looked = 0
    while pending and looked < _BELOW_FOLDERS:
        rel, depth = pending.pop(0)
        try:
            with os.scandir(start / rel if rel else start) as entries:
                folders = sorted(
                    entry.name
                    for entry in entries
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
                )
        except OSError:
            continue
        # Each subfolder counts as it is checked: a folder of thousands of folders
        # would otherwise cost a look into each of them for one listing.
        for name in folders[: _BELOW_FOLDERS - looked]:
            looked += 1
            sub = f"{rel}/{name}" if rel else name
            if (start / sub / CONFIG_FILE).is_file():
                found.append(sub)
            elif depth + 1 < _BELOW_DEPTH:
                pending.append((sub, depth + 1))
    return sorted(found)


@dataclass(slots=True, eq=False)
class SourceFile:
    """One YAML file: its repository path and its bytes, as read (valid UTF-8)."""

    path: str  # repository-relative, POSIX
    raw: bytes  # the very object the source read: not a second copy of the file
    documents: int | None = None  # how many of its documents were read; None: all
    # Its documents' data parsed again, by index, once one of them was released
    # (Document.release) and then asked for.
    reparsed: dict[int, Any] | None = None

    @property
    def text(self) -> str:
        """The decoded text, made when asked (positions are wanted in few files)."""
        return yamlsafe.decode(self.raw)[0] or ""

    def data_of(self, index: int) -> Any:
        """The data of document ``index``, parsed again (once for the whole file)."""
        if self.reparsed is None:
            parsed = yamlsafe.parse(self.text)
            self.reparsed = {document.index: document.data for document in parsed.documents}
        return self.reparsed.get(index)


_RELEASED: Any = object()


@dataclass(slots=True, eq=False)
class Document:
    """One YAML document of a record file, as plain data."""

    source: SourceFile
    index: int
    _data: Any
    line: int
    column: int

    @property
    def data(self) -> Any:
        if self._data is _RELEASED:
            self._data = self.source.data_of(self.index)
        return self._data

    def release(self) -> None:
        """Let the data go once its record is built, where nothing is likely to read it
        again (half of what validating a large repository holds); asked for anyway,
        it is parsed again from the file's bytes, which parsed before."""
        self._data = _RELEASED


@dataclass(slots=True)
class LoadedFiles:
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


def is_excluded(path: str, patterns: Iterable[str]) -> bool:
    """True when ``path`` or one of its parent folders matches an exclude glob."""
    return globs.excluded(path, patterns)


def select_record_paths(
    paths: Iterable[str], exclude: Iterable[str], miscased: list[str] | None = None
) -> list[str]:
    """The record files among repository paths: YAML, not hidden, not excluded, sorted.

    ``miscased`` gets, sorted, the paths that would be record files but for the case
    of their extension (``R-9.YAML``, ``R-9.Yml``): they are not read, and each is
    reported (:func:`miscased_problems`) rather than silently left out.
    """
    patterns = tuple(exclude)
    records: list[str] = []
    others: list[str] = []
    for rel in paths:
        if not rel.endswith(YAML_SUFFIXES):
            if miscased is not None and _miscased(rel) and _selected(rel, patterns):
                others.append(rel)
        elif (
            rel != CONFIG_FILE
            and not rel.startswith(".")
            and "/." not in rel
            and not (patterns and is_excluded(rel, patterns))
        ):
            records.append(rel)
    if miscased is not None:
        miscased.extend(sorted(others))
    return sorted(records)


def _selected(rel: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``rel`` is neither hidden nor excluded."""
    return not (rel.startswith(".") or "/." in rel or (patterns and is_excluded(rel, patterns)))


def _miscased(rel: str) -> bool:
    """Whether ``rel`` ends in .yaml or .yml in another case (not lower-case), and is
    not aims.yaml at the root so named (on a file system that ignores case, that file
    is read as aims.yaml)."""
    return (
        rel.endswith(("L", "l"))  # most files of a listing are left here, cheaply
        and rel[-5:].lower().endswith(YAML_SUFFIXES)
        and rel.lower() != CONFIG_FILE
    )


def miscased_problems(paths: Iterable[str]) -> list[Diagnostic]:
    """An AIMS008 for each file whose extension is .yaml or .yml in another case
    (``select_record_paths`` collects them): read on no system, its records would
    vanish without a word while validation passes."""
    problems = []
    for rel in paths:
        stem, _, suffix = rel.rpartition("/")[2].rpartition(".")
        problems.append(
            _unreadable(
                printable_path(rel),
                f"file name ends in .{suffix}, so its records are not read: aimsctl reads "
                "only the lower-case extensions .yaml and .yml; rename it to "
                f"{printable(stem)}.{suffix.lower()}, or exclude it in aims.yaml",
            )
        )
    return problems


_FOLDER_UNREADABLE = (
    "folder cannot be read (permission denied, or it vanished), so the records in it "
    "were not checked; fix its permissions or exclude it in aims.yaml"
)
SUBMODULE_NOT_CHECKED_OUT = (
    "folder is a submodule that is not checked out, so the records in it were not "
    "checked; run `git submodule update --init --recursive` (in CI, check out "
    "submodules too), or exclude it in aims.yaml"
)
FOLDER_LINK_OUT = (
    "folder is a symbolic link leading outside the repository, so the files in it "
    "are not read; move them into the repository, or exclude the folder in aims.yaml"
)


def walk_files(root: Path, skipped: list[tuple[str, str]] | None = None) -> Iterator[str]:
    """Every file below root as a relative POSIX path, hidden folders pruned.

    Symbolic links to folders are not followed. Folders that cannot be listed, and
    linked folders that lead outside the repository, are added to ``skipped`` as
    (relative path, why), so their files are reported rather than silently missed.
    """

    def failed(error: OSError) -> None:
        if skipped is not None and error.filename is not None:
            rel = os.path.relpath(error.filename, root).replace(os.sep, "/")
            skipped.append((rel, _FOLDER_UNREADABLE))

    for folder, dirs, files in os.walk(root, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        if skipped is not None:
            for name in dirs:
                linked = Path(folder, name)
                if linked.is_symlink() and not _inside(linked, root):
                    skipped.append((prefix + name, FOLDER_LINK_OUT))
        for name in files:
            yield prefix + name


def _unchecked_submodules(root: Path) -> tuple[str, ...]:
    """:meth:`WorkingTree.unchecked_submodules`: the work tree's top is the nearest
    folder holding `.git`; gitio (costly to import) is loaded only where it holds a
    .gitmodules file."""
    start = Path(os.path.abspath(root))
    for top in (start, *start.parents):
        try:
            if not os.path.lexists(top / ".git"):
                continue
            if not stat.S_ISREG(os.lstat(top / ".gitmodules").st_mode):
                return ()
        except (OSError, ValueError):
            return ()
        from aimsctl.gitio import unchecked_submodules

        prefix = start.relative_to(top).as_posix()
        return unchecked_submodules(top, "" if prefix == "." else prefix)
    return ()


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symbolic links followed, lies inside ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return False


def record_paths(root: Path, exclude: Iterable[str]) -> list[str]:
    """Repository-relative paths of every record file in a working tree, sorted."""
    return select_record_paths(walk_files(root), exclude)


class FileSource(Protocol):
    """Where a repository's files come from: a working tree or a git revision."""

    def paths(self) -> Iterable[str]: ...

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]: ...

    def exists(self, rel: str) -> bool: ...

    def is_file(self, rel: str) -> bool: ...

    def link_trouble(self, rel: str) -> Unfollowed | None:
        """Why a symbolic link on the way to ``rel`` cannot be followed inside the
        repository; None when none is in the way."""
        ...

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]: ...


def _checkout_encoding(
    rel: str, encoding: str, read: str = "records are read", files: str = "the YAML files"
) -> str:
    return (
        f"git checks this file out as {encoding} (`working-tree-encoding={encoding}` in "
        f".gitattributes), and {read} as UTF-8: remove that attribute for {files} and "
        "stage .gitattributes (`git add .gitattributes`), then check them out again "
        f"(`git checkout -- {rel}`)"
    )


def checkout_encoding_advice(
    folder: Path, rel: str, *, shown: str, read: str, files: str
) -> str | None:
    """Why the file ``rel`` below ``folder`` is not UTF-8, where git writes it in another
    encoding on checkout (`working-tree-encoding` in .gitattributes), in the words a
    record gets (:func:`explain_checkout_encodings`): "save it as UTF-8" would be undone
    by the next checkout. ``shown`` is the file as the user names it, ``read`` says what
    reads it ("observations are read"), ``files`` which files the attribute should leave
    alone ("the CSV files"). None where git does not convert it, or cannot tell. For
    a file already found not to be UTF-8 text: this asks git."""
    from aimsctl.gitio import checkout_encodings

    encoding = checkout_encodings(folder, [rel]).get(rel)
    return None if encoding is None else _checkout_encoding(shown, encoding, read, files)


def explain_checkout_encodings(root: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` of the working tree, where a file that is not UTF-8 is so
    because git writes it in another encoding on checkout (`working-tree-encoding`):
    then "save it as UTF-8" would be undone by the next checkout, and the message
    names the attribute instead. Asks git only when some file was not text."""
    unreadable = [d.path for d in diagnostics if d.code == codes.ENCODING]
    if not unreadable:
        return diagnostics
    from aimsctl.gitio import checkout_encodings

    found = checkout_encodings(root, unreadable)
    return [
        replace(d, message=_checkout_encoding(d.path, found[d.path]))
        if d.code == codes.ENCODING and d.path in found
        else d
        for d in diagnostics
    ]


def config_encoding_error(root: Path, raw: bytes, error: ConfigError) -> ConfigError:
    """``error``, met parsing the work tree's aims.yaml, worded as
    :func:`explain_checkout_encodings` words a record's when git writes the file in
    another encoding than UTF-8."""
    if yamlsafe.decode(raw)[0] is not None:
        return error
    from aimsctl.gitio import checkout_encodings

    encoding = checkout_encodings(root, [CONFIG_FILE]).get(CONFIG_FILE)
    if encoding is None:
        return error
    return ConfigError(
        _checkout_encoding(CONFIG_FILE, encoding), error.path, error.line, error.column
    )


def _problem(path: str, problem: yamlsafe.Problem) -> Diagnostic:
    return Diagnostic(
        problem.code,
        Severity.ERROR,
        problem.message,
        path,
        problem.line,
        problem.column,
        problem.record,
    )


class WorkingTree:
    """Files on disk below ``root``; each file is read once per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listing: list[str] | None = None
        self._skipped: list[tuple[str, str]] = []
        self._folders_inside: dict[str, bool] = {}
        self._read: dict[str, tuple[bytes | None, Diagnostic | None]] = {}
        self._unchecked: tuple[str, ...] | None = None

    def paths(self) -> Iterable[str]:
        if self._listing is None:
            self._listing = sorted(walk_files(self.root, self._skipped))
        return self._listing

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]:
        """An AIMS008 for every folder (not excluded) whose files could not be listed,
        and for every submodule that is not checked out (:meth:`unchecked_submodules`)."""
        self.paths()
        patterns = tuple(exclude)
        skipped = [
            *self._skipped,
            *((folder, SUBMODULE_NOT_CHECKED_OUT) for folder in self.unchecked_submodules()),
        ]
        return [
            _unreadable(folder, why)
            for folder, why in sorted(skipped)
            if not (patterns and is_excluded(folder + "/", patterns))
        ]

    def unchecked_submodules(self) -> tuple[str, ...]:
        """The submodules below the root that are not checked out, whose records are
        then not on disk (:func:`aimsctl.gitio.unchecked_submodules`). Without a
        .gitmodules at the top of the git work tree, a few `lstat` calls and no git."""
        if self._unchecked is None:
            self._unchecked = _unchecked_submodules(self.root)
        return self._unchecked

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        if rel not in self._read:
            folder = rel.rpartition("/")[0]
            if folder and folder not in self._folders_inside:
                self._folders_inside[folder] = _inside(self.root / folder, self.root)
            if folder and not self._folders_inside[folder]:
                self._read[rel] = (
                    None,
                    _unreadable(
                        rel,
                        "file lies in a folder reached through a symbolic link that leads "
                        "outside the repository; it is not read",
                    ),
                )
            else:
                self._read[rel] = read_bytes(self.root, rel)
        return self._read[rel]

    def exists(self, rel: str) -> bool:
        return path_exists(self.root / rel)

    def bytes_read(self) -> Mapping[str, bytes]:
        """The bytes of every file read so far, by path: a view, not a copy (at 50,000
        files a copy would add 2 MB to the peak memory of validation)."""
        return _BytesRead(self._read)

    def is_file(self, rel: str) -> bool:
        """Whether ``rel`` is a regular file (links followed), not a folder or a device."""
        try:
            return stat.S_ISREG((self.root / rel).stat().st_mode)
        except (OSError, ValueError):
            return False

    def link_trouble(self, rel: str) -> Unfollowed | None:
        try:
            target = (self.root / rel).resolve()
        except (OSError, RuntimeError, ValueError):
            return Unfollowed.LOOP
        return None if target.is_relative_to(self.root.resolve()) else Unfollowed.OUTSIDE


class _BytesRead(Mapping[str, bytes]):
    """The files a :class:`WorkingTree` read, by path, that it could read."""

    def __init__(self, read: dict[str, tuple[bytes | None, Diagnostic | None]]) -> None:
        self._read = read

    def __getitem__(self, rel: str) -> bytes:
        raw = self._read[rel][0]
        if raw is None:
            raise KeyError(rel)
        return raw

    def __iter__(self) -> Iterator[str]:
        return (rel for rel, (raw, _) in self._read.items() if raw is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, slots=True)
class FileTree:
    """Files held in memory, e.g. read from a git revision.

    ``links`` holds the target of each symbolic link of the revision, by path: a path
    through one is answered as a checkout of the revision answers it.
    """

    files: dict[str, bytes]
    links: Mapping[str, str] = field(default_factory=dict)

    def _followed(self, rel: str) -> str | None:
        if not self.links:
            return rel
        found = follow_links(rel, self.links)
        return found if isinstance(found, str) else None

    def paths(self) -> Iterable[str]:
        return self.files

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        target = rel if rel in self.files else self._followed(rel)
        if target is not None and target in self.files:
            return self.files[target], None
        return None, Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, "file is missing", rel, 1, 1)

    def exists(self, rel: str) -> bool:
        target = self._followed(rel.rstrip("/"))
        if target is None:
            return False
        if target in ("", ".") or target in self.files:
            return True
        prefix = target + "/"
        return any(p.startswith(prefix) for p in self.files)

    def is_file(self, rel: str) -> bool:
        """Whether ``rel`` is a file; a path that only prefixes files is a folder."""
        target = self._followed(rel)
        return target is not None and target in self.files

    def link_trouble(self, rel: str) -> Unfollowed | None:
        found = follow_links(rel, self.links) if self.links else None
        return found if isinstance(found, Unfollowed) else None

    def listing_problems(self, exclude: Iterable[str]) -> list[Diagnostic]:
        return []


def path_exists(path: Path) -> bool:
    """Whether ``path`` exists; False, not an error, for a name no file can have
    (too long, or holding a NUL byte) or one behind a symbolic link loop."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def read_bytes(root: Path, rel: str) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes, or a diagnostic saying why they cannot be read.

    Reads at most one byte more than yamlsafe.MAX_BYTES, so a huge file costs no
    memory (it is then reported as too large); never opens anything but a regular
    file (a named pipe would block the run) or a symbolic link out of the repository.
    Plain ``os`` calls, not pathlib's: a large repository reads thousands of files.
    """
    full = os.path.join(root, rel)
    try:
        info = os.lstat(full)
        follow = stat.S_ISLNK(info.st_mode)
        if follow:
            problem = _link_problem(root, Path(full))
            if problem is not None:
                return None, _unreadable(rel, problem)
            info = os.stat(full)
        if not stat.S_ISREG(info.st_mode):
            return None, _unreadable(rel, _NOT_REGULAR)
        data = read_regular(full, follow, yamlsafe.MAX_BYTES + 1)
        return (data, None) if data is not None else (None, _unreadable(rel, _NOT_REGULAR))
    except FileNotFoundError:
        message = "file disappeared while the repository was being read; run again"
    except PermissionError:
        message = "file cannot be read (permission denied); fix its permissions"
    except OSError as error:
        message = f"file cannot be read: {error.strerror or error}"
    return None, _unreadable(rel, message)


_NOT_REGULAR = (
    "not a regular file (a named pipe, socket or device); remove it or exclude it in aims.yaml"
)


def _link_problem(root: Path, link: Path) -> str | None:
    """Why a symbolic link is not read (it leads nowhere, in a loop, or out of the
    repository); None when it leads to a place inside."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return "symbolic link points to a file that does not exist; fix or remove the link"
    except (RuntimeError, OSError):  # RuntimeError: a loop, before Python 3.13
        return "symbolic link loop: the link leads back to itself; remove it"
    if not target.is_relative_to(root.resolve()):
        return "symbolic link leads outside the repository; it is not read"
    return None


def _unreadable(rel: str, message: str) -> Diagnostic:
    return Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, message, rel, 1, 1)


def parse_file(
    rel: str, raw: bytes, budget: yamlsafe.Budget | None = None
) -> tuple[list[Document], list[Diagnostic]]:
    """The documents of one file and the problems met reading them.

    ``budget`` is what is left of the run's budget of values, which this file
    spends from (None: the file's own limits only).
    """
    text, parsed = _parse(rel, raw, budget)
    return _documents(rel, raw if text is not None else None, parsed), parsed.diagnostics


@dataclass(slots=True)
class ParsedFile:
    """What parsing one file's bytes gave, in plain data: what a per-file cache keeps
    (:class:`aimsctl.cache.FileCache`). It depends on the file's path and bytes alone
    when the file was parsed with the whole of a file's budget of values and holds no
    anchor (see :func:`_replayable`)."""

    read: int | None  # documents composed (SourceFile.documents)
    documents: list[tuple[int, Any, int, int]]  # index, data, line, column
    diagnostics: list[Diagnostic]
    used: int  # values the parse took from the run's budget


def _parse(rel: str, raw: bytes, budget: yamlsafe.Budget | None) -> tuple[str | None, ParsedFile]:
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        return None, ParsedFile(None, [], [_problem(rel, problem)], 0)
    return text, _parse_text(rel, text, budget)


def _parse_text(rel: str, text: str, budget: yamlsafe.Budget | None) -> ParsedFile:
    run = budget if budget is not None else yamlsafe.Budget()
    before = run.values
    parsed = yamlsafe.parse(text, run)
    diagnostics = [_problem(rel, p) for p in parsed.problems]
    documents = [
        (d.index, d.data, d.line, d.column)
        for d in parsed.documents
        if d.data is not None  # an empty document, e.g. after a trailing `---`
    ]
    if not documents and not diagnostics:
        diagnostics.append(
            Diagnostic(
                codes.NOT_A_RECORD,
                Severity.ERROR,
                "file holds no record; add one or exclude the file in aims.yaml",
                rel,
                1,
                1,
            )
        )
    return ParsedFile(parsed.read, documents, diagnostics, before - run.values)


def _documents(rel: str, raw: bytes | None, parsed: ParsedFile) -> list[Document]:
    """The documents of a parse; none when ``raw`` (the file's bytes) was not text."""
    if raw is None:
        return []
    source = SourceFile(rel, raw, parsed.read)
    return [Document(source, *document) for document in parsed.documents]


def _replayable(text: str, budget: yamlsafe.Budget) -> bool:
    """Whether parsing ``text`` with ``budget`` gives what it gives with a fresh budget,
    so a per-file cache may stand in for the parse: the run's budget still holds a
    whole file's values (so the file's own limit applies, as in a fresh run) and the
    text has no anchor (so no alias spends from the run's budget of aliased values,
    which earlier files may have used)."""
    return budget.values >= yamlsafe.MAX_FILE_VALUES and not budget.spent and "&" not in text


class ParsedFiles(Protocol):
    """A per-file cache of parses, keyed by a file's path and bytes."""

    def get(self, rel: str, raw: bytes) -> ParsedFile | None: ...

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None: ...

    def knows(self, rel: str) -> bool:
        """Whether it holds a parse of some bytes of ``rel`` (no side effect)."""
        ...


# Below this many files to parse, two workers save less than starting them and
# sending their results back costs (docs/performance.md has the figures).
MIN_FILES_ON_TWO_CORES = 2_000
_FILES_PER_TASK = 64


class _ParsedByWorkers:
    """The parses two worker processes made ahead of a load, in front of ``cache``:
    a file is taken from them only for the very bytes they parsed, and only where
    :func:`_cached_parse` may take a stored parse (each was made with a whole
    file's budget, as a cache's are); what they parsed is stored in ``cache``."""

    def __init__(self, cache: ParsedFiles | None, made: dict[str, tuple[bytes, ParsedFile]]):
        self.cache = cache
        self.made = made

    def get(self, rel: str, raw: bytes) -> ParsedFile | None:
        found = self.cache.get(rel, raw) if self.cache is not None else None
        made = self.made.pop(rel, None)  # a load asks once for each file
        if found is None and made is not None and made[0] is raw:
            found = made[1]
            if self.cache is not None:
                self.cache.put(rel, raw, found)
        return found

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None:
        if self.cache is not None:
            self.cache.put(rel, raw, parsed)

    def knows(self, rel: str) -> bool:
        return rel in self.made or (self.cache is not None and self.cache.knows(rel))


def _parsed_on_two_cores(
    source: FileSource, paths: list[str], cache: ParsedFiles | None, memo: ParseMemo | None
) -> ParsedFiles | None:
    """``cache``, with the files it does not know parsed by two workers in front of
    it when there are enough of them (see :mod:`aimsctl.workers`)."""
    from aimsctl import workers

    wanted: list[tuple[str, bytes]] = []
    for rel in paths:
        if cache is not None and cache.knows(rel):
            continue
        raw, _ = source.read(rel)  # kept by the source: the load reads these bytes
        if raw is None or b"&" in raw:  # an anchor's aliases spend the run's budget
            continue
        if memo is None or (rel, raw) not in memo.files:
            wanted.append((rel, raw))
    tasks = [wanted[n : n + _FILES_PER_TASK] for n in range(0, len(wanted), _FILES_PER_TASK)]
    if not workers.worth_it(len(wanted), MIN_FILES_ON_TWO_CORES, len(tasks)):
        return cache

    def parse(number: int) -> tuple[bytes, list[tuple[str, int | None, list[Diagnostic], int]]]:
        """One task's parses: the documents packed as plain data, which keeps which
        texts were interned (field names, short values), so the load shares them as a
        parse in its own process does; the rest of each parse beside it."""
        found = [(rel, _parse(rel, raw, None)[1]) for rel, raw in tasks[number]]
        documents = workers.pack([parsed.documents for _, parsed in found])
        return documents, [(rel, p.read, p.diagnostics, p.used) for rel, p in found]

    made: dict[str, tuple[bytes, ParsedFile]] = {}
    raws = dict(wanted)
    for documents, parts in workers.made(parse, len(tasks), True, lambda: None):
        for (rel, read, diagnostics, used), each in zip(
            parts, workers.unpack(documents), strict=True
        ):
            made[rel] = (raws[rel], ParsedFile(read, each, diagnostics, used))
    return _ParsedByWorkers(cache, made)


def printable_path(rel: str) -> str:
    """A path as text that can be printed and written as UTF-8.

    A file name that is not valid UTF-8 arrives from the file system with its bad
    bytes as lone surrogates; each becomes its escape here (``\\xff``), as
    :func:`aimsctl.text.printable` shows it, so two names that differ only in such
    bytes are told apart in every output. A name that is UTF-8 is kept as it is.
    """
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class ParseMemo:
    """Results shared by several loads in one run.

    `aimsctl diff` reads two revisions whose files are mostly identical; a git object
    is read once (``blobs``, contents by object id), a file with the same path and
    bytes is parsed (and its records checked, under the same aims.yaml) once, and
    both sides hold the very same objects.
    """

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.files: dict[tuple[str, bytes], tuple[list[Document], list[Diagnostic]]] = {}
        self.checks: dict[tuple[int, bytes], Any] = {}
        # The run's budget of values: a file parsed once spends from it once.
        self.budget = yamlsafe.Budget()
        self.spent_in: str | None = None  # the file the budget ran out in


def _not_read(rel: str, spent_in: str) -> Diagnostic:
    """The diagnostic of a file left unread because the run's budget ran out."""
    return Diagnostic(
        codes.YAML_LIMITS,
        Severity.ERROR,
        f"file not read: the files read before it hold more than {yamlsafe.MAX_RUN_VALUES} "
        f"values in all, counted with aliases expanded, the most one run reads (the limit "
        f"was reached in {spent_in}); exclude generated or oversized files in aims.yaml, "
        "or remove aliases",
        rel,
        1,
        1,
    )


def load_files(
    source: FileSource,
    paths: Iterable[str],
    memo: ParseMemo | None = None,
    cache: ParsedFiles | None = None,
    two_cores: bool = False,
) -> LoadedFiles:
    """Every file's documents and the problems met reading them.

    Files are read until the run's budget of values (``memo.budget``, or the load's
    own) runs out; each file after that gets one AIMS006 and is not parsed.
    ``cache`` stands in for parsing a file whose bytes it has seen, where the
    parse would not depend on what earlier files spent (:func:`_replayable`).
    With ``two_cores``, the files neither ``cache`` nor ``memo`` holds are parsed
    ahead by two workers where there are enough of them; their parses are then
    taken exactly as a cache's are, so the result is the same.
    """
    loaded = LoadedFiles()
    run = memo if memo is not None else ParseMemo()
    paths = list(paths)
    if two_cores:
        cache = _parsed_on_two_cores(source, paths, cache, memo)
    for rel in progress.each("Reading records", paths):
        shown = printable_path(rel)
        loaded.paths.append(shown)
        if shown != rel:
            loaded.diagnostics.append(
                _unreadable(
                    shown,
                    "file name is not valid UTF-8, so the file is not read; rename it "
                    "using UTF-8 characters",
                )
            )
            continue
        if run.spent_in is not None and memo is None:
            loaded.diagnostics.append(_not_read(rel, run.spent_in))
            continue
        raw, error = source.read(rel)
        if raw is None:
            assert error is not None
            loaded.diagnostics.append(error)
            continue
        if memo is not None and (rel, raw) in memo.files:
            documents, diagnostics = memo.files[rel, raw]
        elif run.spent_in is not None:
            loaded.diagnostics.append(_not_read(rel, run.spent_in))
            continue
        elif cache is not None:
            documents, diagnostics = _cached_parse(rel, raw, run.budget, cache)
            if run.budget.spent:
                run.spent_in = rel
            if memo is not None:
                memo.files[rel, raw] = documents, diagnostics
        else:
            documents, diagnostics = parse_file(rel, raw, run.budget)
            if run.budget.spent:
                run.spent_in = rel
            if memo is not None:
                memo.files[rel, raw] = documents, diagnostics
        loaded.documents.extend(documents)
        loaded.diagnostics.extend(diagnostics)
    return loaded


def _cached_parse(
    rel: str, raw: bytes, budget: yamlsafe.Budget, cache: ParsedFiles
) -> tuple[list[Document], list[Diagnostic]]:
    """A file's documents and problems from ``cache`` when it holds them and the parse
    would not depend on the budget; else parsed, and stored when it may be replayed."""
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        return [], [_problem(rel, problem)]
    replayable = _replayable(text, budget)
    if replayable:
        found = cache.get(rel, raw)
        if found is not None and found.used <= budget.values:
            budget.values -= found.used
            return _documents(rel, raw, found), list(found.diagnostics)
    parsed = _parse_text(rel, text, budget)
    # Stored only when the parse did not run out of the run's budget (it cannot, given
    # a whole file's budget) and was not clamped at zero: then a replay subtracts
    # exactly what parsing again would.
    if replayable and not budget.spent and budget.values > 0:
        cache.put(rel, raw, parsed)
    return _documents(rel, raw, parsed), parsed.diagnostics


class Locator:
    """Positions inside documents, composed again only for files that need one."""

    def __init__(self) -> None:
        self._nodes: dict[int, list[Any]] = {}

    def _root(self, document: Document) -> Any:
        key = id(document.source)
        if key not in self._nodes:
            source = document.source
            self._nodes[key] = yamlsafe.document_nodes(source.text, source.documents)
        nodes = self._nodes[key]
        return nodes[document.index] if document.index < len(nodes) else None

    def position(
        self, document: Document, parts: tuple[str | int, ...], at_key: bool = False
    ) -> tuple[int, int]:
        if not parts:
            return document.line, document.column
        root = self._root(document)
        if root is None:
            return document.line, document.column
        line, column, _found = yamlsafe.locate(root, parts, at_key)
        return line, column

    def written_unheld_number(self, document: Document, parts: tuple[str | int, ...]) -> str | None:
        """The text as written of the number at ``parts`` that reads as infinity or NaN
        (``1e400``), or None (see yamlsafe.written_unheld_number)."""
        root = self._root(document) if parts else None
        return None if root is None else yamlsafe.written_unheld_number(root, parts)
