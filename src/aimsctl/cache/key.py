"""The whole-repository key: everything validating a working tree depends on, each
YAML file read once for the key and the run alike."""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from aimsctl import __version__
from aimsctl.cache.git_state import GIT_FILES_READ, git_environment, history_state
from aimsctl.cache.hashing import PERSON, as_bytes, content_digest
from aimsctl.diagnostics import Diagnostic
from aimsctl.loader import YAML_SUFFIXES, WorkingTree
from aimsctl.yamlsafe import PARSER

FORMAT = "aimsctl-validate-cache"
VERSION = 5  # bump when the key or the entry changes shape (1 was a pickle)


def _is_record_candidate(rel: str) -> bool:
    """Whether validation may read ``rel``: any YAML file, exclude patterns and hidden
    folders aside (a superset): records are read from those that are not hidden, but
    the git comparison of the working tree with HEAD (a system's material change,
    aimsctl.record_dates) reads every YAML file git does not ignore, hidden ones too;
    one whose extension is not lower-case (`R-9.YAML`, an AIMS008) is read where a
    reference it may hold the record of is set aside; a `.gitignore`, which says
    which of them git ignores; and a `.gitattributes`, which says how git converts
    them (a record git checks out as UTF-16 is told to mend the attribute)."""
    return (
        rel.endswith(YAML_SUFFIXES)
        or rel[-5:].lower().endswith(YAML_SUFFIXES)
        or rel.rpartition("/")[2] in GIT_FILES_READ
    )


def _where(real: str, real_root: str) -> str:
    """A real path as the key records it: relative when inside the repository."""
    if real == real_root:
        return "in:"
    prefix = real_root if real_root.endswith(os.sep) else real_root + os.sep
    if real.startswith(prefix):
        return "in:" + real[len(prefix) :].replace(os.sep, "/")
    return "out:" + real


def type_of(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "f"
    if stat.S_ISDIR(mode):
        return "d"
    if stat.S_ISLNK(mode):
        return "l"
    return "o"


def _scan(
    root: Path,
    update: Callable[[bytes], object],
    candidates: list[str],
    regular: set[str] | None = None,
) -> None:
    """Feed the shape of the tree below root to ``update`` (see the module docstring);
    collect the YAML paths validation may read into ``candidates``, and those of
    them the listing found to be regular files into ``regular``."""
    real_root = os.path.realpath(root)
    update(as_bytes(real_root) + b"\0")
    try:
        info = os.stat(root)
        update(b"%o:%d:%d\0" % (info.st_mode, info.st_uid, info.st_gid))
    except OSError as error:
        update(b"!" + as_bytes(type(error).__name__) + b"\0")
    stack: list[tuple[str, str]] = [("", os.fspath(root))]
    while stack:
        rel_folder, folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:  # validation reports the folder as unreadable
            update(b"!" + as_bytes(rel_folder) + b"\0" + as_bytes(type(error).__name__) + b"\0")
            continue
        update(b"[" + as_bytes(rel_folder) + b"\0")
        for entry in entries:
            rel = rel_folder + entry.name
            name = as_bytes(entry.name)
            try:
                if entry.is_symlink():
                    target = os.readlink(entry.path)
                    where = _where(os.path.realpath(entry.path), real_root)
                    try:
                        what = type_of(os.stat(entry.path).st_mode)
                    except OSError as error:  # dangling, a loop, no permission
                        what = f"!{error.errno}"
                    update(b"l" + name + b"\0" + as_bytes(target) + b"\0")
                    update(as_bytes(where) + b"\0" + as_bytes(what) + b"\0")
                    if _is_record_candidate(rel):
                        candidates.append(rel)
                elif entry.is_dir(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    update(b"d%s\0%o:%d:%d\0" % (name, info.st_mode, info.st_uid, info.st_gid))
                    if entry.name != ".git":
                        stack.append((rel + "/", entry.path))
                else:
                    is_file = entry.is_file(follow_symlinks=False)
                    update((b"f" if is_file else b"o") + name + b"\0")
                    if _is_record_candidate(rel):
                        candidates.append(rel)
                        if is_file and regular is not None:
                            regular.add(rel)
            except OSError as error:  # vanished or unreadable while listed
                update(b"?" + name + b"\0" + as_bytes(type(error).__name__) + b"\0")
                if _is_record_candidate(rel):
                    candidates.append(rel)
        update(b"]")


def _structure(root: Path) -> str:
    digest = hashlib.blake2b(digest_size=32, person=PERSON)
    _scan(root, digest.update, [])
    return digest.hexdigest()


class KeyedTree(WorkingTree):
    """A working tree that computes its cache key, reading each YAML file once for
    the key and the run alike. A file counts as read by the run (:meth:`bytes_read`,
    which git comparisons judge the tree by) only once the run asks for it, as in a
    :class:`WorkingTree`: the key reads more (files aims.yaml excludes)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._structure: str | None = None
        self._history: bytes | None = None  # git's state as the key read it
        self._ahead: dict[str, tuple[bytes | None, Diagnostic | None]] = {}
        # Each file's content digest as the key took it, with the very bytes hashed:
        # the per-file cache matches a file by it, and need not hash the file again.
        self._digests: dict[str, tuple[bytes, str]] = {}

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        if rel not in self._read and rel in self._ahead:
            self._read[rel] = self._ahead.pop(rel)
        return super().read(rel)

    def key(self, as_of: date) -> str:
        """A digest of everything in the repository that validating it depends on."""
        digest = hashlib.blake2b(digest_size=32, person=PERSON)
        digest.update(f"{FORMAT}\0{VERSION}\0{__version__}\0{as_of.isoformat()}\0".encode())
        digest.update(code_state().encode() + b"\0")
        digest.update(f"{PARSER}\0{sys.version}\0{_models_state()}\0".encode())
        history, found = history_state(self.root)
        self._history = history
        digest.update(history + b"\0")
        digest.update(git_environment(found) + b"\0")
        digest.update(as_bytes(str(self.root)) + b"\0")
        shape = hashlib.blake2b(digest_size=32, person=PERSON)
        candidates: list[str] = []
        _scan(self.root, shape.update, candidates, self._listed_regular)
        self._structure = shape.hexdigest()
        digest.update(self._structure.encode() + b"\0")
        # The submodules not checked out, each an AIMS008: .gitmodules (outside the
        # repository, or not a YAML file) is not in the shape's bytes.
        digest.update(as_bytes("\0".join(self.unchecked_submodules())) + b"\0")
        # a sparse checkout's files off the disk (its set changes, the disk may not)
        digest.update(as_bytes("\0".join(self.sparse_skipped())) + b"\0")
        for rel in candidates:
            raw, error = self.read(rel)  # kept: the run validates these very bytes
            digest.update(as_bytes(rel) + b"\0")
            if raw is not None:
                content = content_digest(raw)
                digest.update(b"b" + content.digest())
                self._digests[rel] = (raw, content.hexdigest())
            else:
                digest.update(b"e" + as_bytes(error.message if error else "") + b"\0")
        self._ahead.update(self._read)  # read for the key, not yet by the run
        self._read = {}
        return digest.hexdigest()

    def content_digest(self, rel: str, raw: bytes) -> str:
        """The hex content digest of ``raw``, the bytes read at ``rel``: the key's when
        it hashed these very bytes (the same object), else taken now."""
        kept = self._digests.get(rel)
        if kept is not None and kept[0] is raw:
            return kept[1]
        return content_digest(raw).hexdigest()

    def unchanged(self) -> bool:
        """After a run: whether the tree still has the shape its key recorded, and git
        the state (a tree changed, or a commit made, while it was being validated: the
        answer may be the new one's, so it is not cached under the old key)."""
        return (
            self._structure is not None
            and _structure(self.root) == self._structure
            and history_state(self.root)[0] == self._history
        )


@functools.cache
def code_state() -> str:
    """aimsctl's own files by size and modification time: an edited rule (in a
    development checkout, where the version does not change) is a new key."""
    return _folder_state(Path(__file__).resolve().parent.parent)  # aimsctl/, not cache/


# Files whose size and modification time change with the version of the library
# that builds the records and words their schema errors (pydantic, pydantic-core).
_MODEL_LIBRARY_FILES = ("pydantic/version.py", "pydantic_core/__init__.py")


@functools.cache
def _models_state() -> str:
    """The installed pydantic by size and modification time of the files that hold
    its version, found on the import path without importing it (a cached answer
    loads no model): an upgrade may word an error otherwise."""
    found: list[str] = []
    for name in _MODEL_LIBRARY_FILES:
        for entry in sys.path:
            try:
                info = os.stat(os.path.join(entry or os.curdir, name))
            except (OSError, ValueError):
                continue
            found.append(f"{entry}\0{name}\0{info.st_size}\0{info.st_mtime_ns}")
            break
    return "\0".join(found)


def _folder_state(package: Path) -> str:
    """Every regular file below ``package`` by path, size and modification time,
    bytecode caches left out: Python writes them after a run has keyed its entry,
    and they follow from the sources, which are counted."""
    digest = hashlib.blake2b(digest_size=16, person=PERSON)
    found: list[tuple[str, int, int]] = []
    top = str(package)
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in names:
            full = os.path.join(folder, name)
            try:
                info = os.stat(full)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                rel = os.path.relpath(full, top).replace(os.sep, "/")
                found.append((rel, info.st_size, info.st_mtime_ns))
    for rel, size, mtime in sorted(found):
        digest.update(f"{rel}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def fingerprint(root: Path, as_of: date) -> str:
    """The cache key of the working tree at root."""
    return KeyedTree(root).key(as_of)
