"""The validation cache: an unchanged repository is not checked twice, and a cached
answer is always the answer `--no-cache` would give.

**What an answer depends on.** The key (:meth:`KeyedTree.key`) covers the entry
format, the aimsctl version and code, the versions of the libraries that read the
YAML and build the records (PyYAML, libyaml, pydantic) and of Python, the as-of
date, the repository path and its real path, the bytes of aims.yaml, of every
YAML file (hidden ones too: git's comparison of the working tree reads them), of
every `.gitignore` and `.gitattributes` (in the folders above the repository up to
the top of the work tree too) and of the excludes and attributes files and git
config outside the repository that say what git ignores and how it converts files,
the submodules not checked out (each an AIMS008:
:meth:`aimsctl.loader.WorkingTree.unchecked_submodules`), and the shape of the whole tree below the
repository, hidden files and folders included (a `.git` folder counts as an entry,
its contents do not): every path with its type from `lstat` (file, folder,
symbolic link, other), every folder's mode and owner, every folder that cannot be
listed, and every symbolic link's target text, the real path it resolves to
(inside the repository or not) and what is there.
Other files are not hashed: validation only checks that they exist and what they
are. What the key cannot see is what a cited path meets outside the repository
or inside `.git` (a link out, `..` past the root through a link, a link back in):
so an entry also holds, for every path the records cite (evidence, systems'
documentation: :func:`cited_paths`), where it resolved and what it named, and
each is checked again before the cached answer is used. A run during which the
tree changed is not stored.

**Where** (:func:`cache_dir`): `$AIMSCTL_CACHE_DIR` (a relative one is taken from
the current folder), else `$XDG_CACHE_HOME/aimsctl` when that is an absolute path
(a relative one is ignored, as the XDG Base Directory specification says), else
`~/.cache/aimsctl`; with no home folder there is no cache. One entry per
repository, `validate-<hash of its real path>.json`, and beside it the per-file
cache, `validate-<hash>.files.json`: when the whole-repository entry misses (one
file edited), files whose bytes did not change are not parsed again
(:class:`FileCache`; what a parse depends on is listed above it); and the history
cache, `validate-<hash>.history.json`: committed files are not read from git and
parsed again for the dates taken from history (:class:`HistoryCache`).

**Trust.** An entry is data (JSON), never code, and is used only when all of this
holds; otherwise there is silently no cache (nothing read, nothing written, the
repository is checked afresh: a cache is only an optimisation, and this layer
prints nothing):

- the folder lies outside the repository being validated and outside the git work
  tree holding it, is a folder (a symbolic link to one is followed), is owned by
  the current user, and neither its group nor others may write it;
- the entry is opened without following a symbolic link and without blocking (a
  named pipe cannot hang the run), and is a regular file owned by the current
  user, not writable by group or others, of at most :data:`MAX_ENTRY_BYTES`;
- its header names this format and exactly the key asked for, and its BLAKE2b
  digest, keyed with that key, matches the payload, which must decode to a
  well-formed result. An entry for another key, a truncated or tampered one is a
  miss, and the run replaces it. The digest is not a secret (anyone can compute
  it): it detects damage and misplaced entries; the folder's permissions keep
  others from writing entries at all.

**Writing.** A new cache folder gets mode 0o700 and an entry 0o600; entries are
written with :func:`aimsctl.fileio.write_atomic` (a temporary file, then a rename
that replaces whatever was there, a link or a pipe included, without following
it), so a concurrent run reads the old entry or the new one, never half of one.
**Size.** Three entries per repository folder validated; after each write the least
recently written entries are removed until all of them total at most
:data:`MAX_CACHE_BYTES` (the new entry always stays), so the folder cannot grow
without bound however many checkouts and temporary folders a machine validates;
only files named as entries are counted (never a user's validate-report.json), and a
killed write's temporary file goes once a day old.
Systems without POSIX ownership checks (no `os.geteuid`, `O_NOFOLLOW` or `dir_fd`)
have no cache.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import posixpath
import re
import shutil
import stat
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aimsctl import __version__
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.fileio import write_atomic
from aimsctl.loader import YAML_SUFFIXES, ParsedFile, WorkingTree
from aimsctl.record_dates import FileIds
from aimsctl.yamlsafe import MAX_BYTES, PARSER

if TYPE_CHECKING:  # the models are loaded only on a miss: a cached answer needs none
    from aimsctl.repository import Repository

FORMAT = "aimsctl-validate-cache"
VERSION = 2  # bump when the key or the entry changes shape (1 was a pickle)
MAX_ENTRY_BYTES = 128 * 1024 * 1024
# The whole cache folder: each repository folder validated leaves one entry, so
# after a write the least recently written entries go until the rest fit (the
# entry just written always stays). 512 MiB holds thousands of ordinary entries.
MAX_CACHE_BYTES = 512 * 1024 * 1024
ENTRY_GLOB = "validate-*.json"
# Only names this module writes are entries: a user's own validate-report.json in
# the folder AIMSCTL_CACHE_DIR names is never counted nor removed.
ENTRY_NAME = re.compile(r"validate-[0-9a-f]{32}(?:\.files|\.history)?\.json")
# The temporary file of a write that a killed run left behind (write_atomic renames
# its file within moments): removed once it is this old, as no run still writes it.
STALE_TEMPORARY = re.compile(r"\.validate-[0-9a-f]{32}(?:\.files|\.history)?\.json\..+\.tmp")
STALE_AFTER_SECONDS = 24 * 60 * 60
_PERSON = b"aimsctl-validate"  # BLAKE2b personalisation: these digests are ours alone


def _supported() -> bool:
    """Whether this system offers what the cache's safe reads and writes need. Asked
    each time, not once on import: `os.open in os.supports_dir_fd` compares
    functions, and a test that wrapped os.open while this module was first imported
    turned the cache off for the rest of its process."""
    return (
        hasattr(os, "geteuid")
        and hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
        and os.open in os.supports_dir_fd
        and os.stat in os.supports_dir_fd
    )


def cache_dir() -> Path | None:
    """The cache folder, or None when there is none (no usable home folder)."""
    if configured := os.environ.get("AIMSCTL_CACHE_DIR"):
        return Path(os.path.abspath(configured))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "aimsctl"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    if not home.is_absolute():  # HOME set to "" or to a relative path
        return None
    return home / ".cache" / "aimsctl"


# --- the key ------------------------------------------------------------------------


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
        or rel.rpartition("/")[2] in _GIT_FILES_READ
    )


# The files of a work tree's folders that git reads for the files below them.
_GIT_FILES_READ = (".gitignore", ".gitattributes")


def _where(real: str, real_root: str) -> str:
    """A real path as the key records it: relative when inside the repository."""
    if real == real_root:
        return "in:"
    prefix = real_root if real_root.endswith(os.sep) else real_root + os.sep
    if real.startswith(prefix):
        return "in:" + real[len(prefix) :].replace(os.sep, "/")
    return "out:" + real


def _type_of(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "f"
    if stat.S_ISDIR(mode):
        return "d"
    if stat.S_ISLNK(mode):
        return "l"
    return "o"


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _scan(root: Path, update: Callable[[bytes], object], candidates: list[str]) -> None:
    """Feed the shape of the tree below root to ``update`` (see the module docstring);
    collect the YAML paths validation may read into ``candidates``."""
    real_root = os.path.realpath(root)
    update(_encode(real_root) + b"\0")
    try:
        info = os.stat(root)
        update(b"%o:%d:%d\0" % (info.st_mode, info.st_uid, info.st_gid))
    except OSError as error:
        update(b"!" + _encode(type(error).__name__) + b"\0")
    stack: list[tuple[str, str]] = [("", os.fspath(root))]
    while stack:
        rel_folder, folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:  # validation reports the folder as unreadable
            update(b"!" + _encode(rel_folder) + b"\0" + _encode(type(error).__name__) + b"\0")
            continue
        update(b"[" + _encode(rel_folder) + b"\0")
        for entry in entries:
            rel = rel_folder + entry.name
            name = _encode(entry.name)
            try:
                if entry.is_symlink():
                    target = os.readlink(entry.path)
                    where = _where(os.path.realpath(entry.path), real_root)
                    try:
                        what = _type_of(os.stat(entry.path).st_mode)
                    except OSError as error:  # dangling, a loop, no permission
                        what = f"!{error.errno}"
                    update(b"l" + name + b"\0" + _encode(target) + b"\0")
                    update(_encode(where) + b"\0" + _encode(what) + b"\0")
                    if _is_record_candidate(rel):
                        candidates.append(rel)
                elif entry.is_dir(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    update(b"d%s\0%o:%d:%d\0" % (name, info.st_mode, info.st_uid, info.st_gid))
                    if entry.name != ".git":
                        stack.append((rel + "/", entry.path))
                else:
                    regular = entry.is_file(follow_symlinks=False)
                    update((b"f" if regular else b"o") + name + b"\0")
                    if _is_record_candidate(rel):
                        candidates.append(rel)
            except OSError as error:  # vanished or unreadable while listed
                update(b"?" + name + b"\0" + _encode(type(error).__name__) + b"\0")
                if _is_record_candidate(rel):
                    candidates.append(rel)
        update(b"]")


def _structure(root: Path) -> str:
    digest = hashlib.blake2b(digest_size=32, person=_PERSON)
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
        self._ahead: dict[str, tuple[bytes | None, Diagnostic | None]] = {}

    def read(self, rel: str) -> tuple[bytes | None, Diagnostic | None]:
        if rel not in self._read and rel in self._ahead:
            self._read[rel] = self._ahead.pop(rel)
        return super().read(rel)

    def key(self, as_of: date) -> str:
        """A digest of everything in the repository that validating it depends on."""
        digest = hashlib.blake2b(digest_size=32, person=_PERSON)
        digest.update(f"{FORMAT}\0{VERSION}\0{__version__}\0{as_of.isoformat()}\0".encode())
        digest.update(_code_state().encode() + b"\0")
        digest.update(f"{PARSER}\0{sys.version}\0{_models_state()}\0".encode())
        history, found = _history_state(self.root)
        digest.update(history + b"\0")
        digest.update(_git_environment(found) + b"\0")
        digest.update(_encode(str(self.root)) + b"\0")
        shape = hashlib.blake2b(digest_size=32, person=_PERSON)
        candidates: list[str] = []
        _scan(self.root, shape.update, candidates)
        self._structure = shape.hexdigest()
        digest.update(self._structure.encode() + b"\0")
        # The submodules not checked out, each an AIMS008: .gitmodules (outside the
        # repository, or not a YAML file) is not in the shape's bytes.
        digest.update(_encode("\0".join(self.unchecked_submodules())) + b"\0")
        for rel in candidates:
            raw, error = self.read(rel)  # kept: the run validates these very bytes
            digest.update(_encode(rel) + b"\0")
            if raw is not None:
                digest.update(b"b" + hashlib.blake2b(raw, digest_size=32).digest())
            else:
                digest.update(b"e" + _encode(error.message if error else "") + b"\0")
        self._ahead.update(self._read)  # read for the key, not yet by the run
        self._read = {}
        return digest.hexdigest()

    def unchanged(self) -> bool:
        """After a run: whether the tree still has the shape its key recorded (a tree
        that changed while it was being validated is not cached)."""
        return self._structure is not None and _structure(self.root) == self._structure


@functools.cache
def _code_state() -> str:
    """aimsctl's own files by size and modification time: an edited rule (in a
    development checkout, where the version does not change) is a new key."""
    return _folder_state(Path(__file__).resolve().parent)


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
    digest = hashlib.blake2b(digest_size=16, person=_PERSON)
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


def _history_state(root: Path) -> tuple[bytes, tuple[Path, Path] | None]:
    """Which commit the repository holding ``root`` is at, and how much of its history
    was fetched: records' creation and systems' material changes come from that
    history (aimsctl.record_dates). Read from the files git keeps, without running
    git: HEAD, the branch it names and any branch that one names in turn (a
    symbolic ref; a linked work tree keeps its branches in the main repository's
    folder) and the list of a shallow clone's oldest commits, which fetching more
    history changes while HEAD stays; and what makes `git log`
    show other commits at the same HEAD: replace refs (`git replace`), the grafts
    file and the repository's config (`core.useReplaceRefs`). In a partial clone,
    also which objects it holds (:func:`_objects_state`): the dates are unknown while
    past commits' contents are missing, and known once git fetched them (a `git log
    -p` or `git show` fetches what it shows), with HEAD and every ref unchanged.

    With no `.git` above ``root``, the repository GIT_DIR names, as git (and
    :func:`aimsctl.gitio.open_repo`) then takes it. A `.git` passed over on the way (no
    HEAD to read: a linked work tree whose folder is gone) is named too: git cannot
    read the history there, which the rules say, while outside git they say nothing.

    Also the top of the work tree and the git folder found from ``root`` (None when
    GIT_DIR named it, or none was found), which :func:`_git_environment` compares
    GIT_DIR and GIT_INDEX_FILE with."""
    passed = b""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        state = None
        try:
            target = _gitfile_target(dot_git)  # a linked work tree: "gitdir: <path>"
            if target is not None:
                dot_git = target.resolve()
            state = _repository_state(_configured_top(dot_git) or folder, dot_git, root)
        except (OSError, ValueError):  # ValueError: a NUL byte in the path it names
            pass
        if state is not None:
            top = _configured_top(dot_git) or folder
            return passed + state, (top, dot_git)
        if not passed and os.path.lexists(folder / ".git"):
            passed = b"passed " + _encode(str(folder)) + b"\0"
    named = os.environ.get("GIT_DIR")
    if named:
        # git's work tree: GIT_WORK_TREE, else core.worktree, else the current folder,
        # which aimsctl refuses to take (gitio._named_by_environment): the root then.
        git_dir = Path(named).absolute()
        placed = os.environ.get("GIT_WORK_TREE")
        top = Path(os.path.abspath(placed)) if placed else _configured_top(git_dir) or root
        state = _repository_state(top, git_dir, root)
        if state is not None:
            return passed + state, None
    return passed + b"no git", None


_CONFIG_SECTION = re.compile(rb"[ \t]*\[([^\]\n]*)\][ \t]*(.*)")
_WORK_TREE_SETTING = re.compile(rb"[ \t]*worktree[ \t]*=(.*)", re.I)


def _configured_top(git_dir: Path) -> Path | None:
    """The work tree the repository's core.worktree names (relative to its git
    folder), which git reads instead of the folder holding `.git`
    (:func:`aimsctl.gitio.open_repo` reads it there too, or refuses); None where the
    repository's own config sets none (git reads it from that file alone, the last
    value winning; a linked work tree's git folder has no config)."""
    config = _head_of(git_dir / "config", 1 << 20)
    found: bytes | None = None
    section = b""
    for line in config[1:].splitlines():
        header = _CONFIG_SECTION.match(line)
        if header is not None:
            section, line = header.group(1).strip().lower(), header.group(2)
        setting = _WORK_TREE_SETTING.match(line) if section == b"core" else None
        if setting is not None:
            found = setting.group(1)
    if found is None:
        return None
    value = _config_path(found)
    return Path(os.path.normpath(git_dir.absolute() / value)) if value else None


def _repository_state(folder: Path, dot_git: Path, root: Path) -> bytes | None:
    """:func:`_history_state` of the repository whose git folder is ``dot_git`` and
    whose work tree is ``folder`` (holding the governance root ``root``); None when
    ``dot_git`` holds no HEAD. With it, what git reads besides the files below
    ``root`` to say which of them it ignores and how it converts them: the
    `.gitignore` and `.gitattributes` of each folder above ``root`` in the work tree
    (those below are in the shape's candidates), `info/exclude`, `info/attributes`,
    and the files named outside the repository (:func:`_outside_state`)."""
    head = _head_of(dot_git / "HEAD", 512)
    if not head.startswith(b"+"):
        return None
    head = head[1:]
    common = _common_dir(dot_git)
    state = [head]
    ref = b"+" + head
    for _ in range(_MAX_SYMBOLIC_REFS):  # a branch may name another branch in turn
        if not ref.startswith(b"+ref:"):
            break
        ref = _head_of(common / ref[5:].strip().decode("utf-8", "replace"))
        state.append(ref)
    state.append(_mtime_of(common / "packed-refs"))  # a branch or a replace ref
    state.append(_head_of(common / "shallow", 1 << 20))
    state.extend(_modules_state(common / "modules"))
    state.append(_head_of(common / "info" / "grafts", 1 << 20))
    state.append(_head_of(common / "info" / "exclude", 1 << 20))
    state.append(_head_of(common / "info" / "attributes", 1 << 20))
    config = _head_of(common / "config", 1 << 20)
    state.append(config)
    if b"promisor" in config.lower() or b"partialclone" in config.lower():
        state.append(_objects_state(common / "objects"))
    state.append(_lfs_state(common / "lfs" / "objects"))
    state.append(_head_of(dot_git / "config.worktree", 1 << 20))
    state.extend(_refs_below(common / "refs" / "replace"))
    state.extend(_outside_state(folder, [common / "config", dot_git / "config.worktree"]))
    state.extend(_above_root_state(folder, root))
    return hashlib.blake2b(b"\0".join(state), digest_size=16).hexdigest().encode()


# A setting of a git config file, possibly after its section header on one line;
# its value is stripped after the match (`(.*?)[ \t]*$` took a time quadratic in a
# run of blanks inside the value: half a megabyte of them held validate for minutes).
_SETTING = rb"^[ \t]*(?:\[[^\]\n]*\][ \t]*)?%s[ \t]*=(.*)$"
_EXCLUDES_FILE = re.compile(_SETTING % rb"excludesfile", re.I | re.M)
_ATTRIBUTES_FILE = re.compile(_SETTING % rb"attributesfile", re.I | re.M)
_INCLUDE_PATH = re.compile(_SETTING % rb"path", re.I | re.M)


def _outside_state(top: Path, repository_configs: list[Path]) -> list[bytes]:
    """What decides which files git ignores and how it converts them, beyond the
    repository's own files: the system and global config files git reads (and those
    they or the repository's config, ``repository_configs``, keyed already, include:
    one level deep); every excludes file: the one `core.excludesFile` names in any of
    them, and the default, `$XDG_CONFIG_HOME/git/ignore` (a file ignored there is not a
    change of the working tree: a system's material change, aimsctl.record_dates); and
    every attributes file: the one `core.attributesFile` names, the default
    `$XDG_CONFIG_HOME/git/attributes` and the system's (`working-tree-encoding` there
    changes what validate tells a record that is not UTF-8 to do)."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    configs: list[Path] = []
    if os.environ.get("GIT_CONFIG_NOSYSTEM", "").lower() not in ("1", "true", "yes", "on"):
        configs.append(Path(os.environ.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig"))
    if "GIT_CONFIG_GLOBAL" in os.environ:
        configs.append(Path(os.environ["GIT_CONFIG_GLOBAL"]))
    else:
        configs.extend((Path(home) / ".gitconfig", Path(xdg) / "git" / "config"))
    texts = [_head_of(config, 1 << 20) for config in configs]
    keyed = [_head_of(config, 1 << 20) for config in repository_configs]
    included = [
        _head_of(config.parent / _config_path(include), 1 << 20)
        for config, text in [
            *zip(configs, texts, strict=True),
            *zip(repository_configs, keyed, strict=True),
        ]
        for include in _INCLUDE_PATH.findall(text[1:])
    ]
    texts += included
    named = [Path(xdg) / "git" / "ignore", Path(xdg) / "git" / "attributes"]
    if os.environ.get("GIT_ATTR_NOSYSTEM", "").lower() not in ("1", "true", "yes", "on"):
        named.append(Path("/etc/gitattributes"))  # as /etc/gitconfig above
    for text in [*texts, *keyed]:
        for setting in (_EXCLUDES_FILE, _ATTRIBUTES_FILE):
            named.extend(top / _config_path(value) for value in setting.findall(text[1:]))
    return texts + [_head_of(path, 1 << 20) for path in named]


def _above_root_state(top: Path, root: Path) -> list[bytes]:
    """The `.gitignore` and `.gitattributes` of each folder from the work tree's
    ``top`` down to the folder above ``root``: git applies them to the files below
    ``root`` too. Only files that exist are read; nothing where ``root`` is not below
    ``top`` (git is then refused)."""
    try:
        folders = root.resolve().relative_to(top.resolve()).parents
    except (OSError, RuntimeError, ValueError):  # not below top, a loop, a NUL byte
        return []
    found: list[bytes] = []
    for below in folders:  # root's parent, ..., "." (the top)
        for name in _GIT_FILES_READ:
            text = _head_of(top / below / name, 1 << 20)
            if text != b"-":
                found.append(_encode((below / name).as_posix()) + b"\0" + text)
    return found


def _config_path(value: bytes) -> str:
    """A path as a git config file writes it (quoted or not, `~/` for home)."""
    text = value.decode("utf-8", "surrogateescape").strip(" \t")
    if text.startswith('"'):
        text = text[1:].partition('"')[0]
    else:
        # A comment after the value, and the blanks before it, are not the path.
        text = re.split(r"[ \t][#;]", text, maxsplit=1)[0].rstrip(" \t")
    return os.path.expanduser(text)


# Symbolic refs followed from HEAD, as git follows them (it gives up after 5).
_MAX_SYMBOLIC_REFS = 6


def _objects_state(objects: Path) -> bytes:
    """Which objects a repository holds, cheaply: every pack by name and modification
    time, and every folder of loose objects by modification time (a new object in it
    changes it)."""
    found: list[bytes] = []
    for folder in (objects, objects / "pack"):
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            found.append(b"-")
            continue
        for entry in entries:
            try:
                found.append(_encode(entry.name) + b":%d" % entry.stat().st_mtime_ns)
            except OSError:
                found.append(_encode(entry.name) + b":-")
    return b"\0".join(found)


def _lfs_state(objects: Path) -> bytes:
    """Which Git LFS objects a repository's store holds, cheaply: each folder of its
    two levels (`ab/cd/<sha256>`) by modification time (a new object changes its
    folder's). The history reads a record file stored with Git LFS as the content the
    store holds, and its dates are unknown while a past version is missing; `git lfs
    fetch` changes that with HEAD and every ref unchanged. Nothing without a store."""
    found: list[bytes] = []
    try:
        with os.scandir(objects) as listing:
            outer = sorted(entry.name for entry in listing if entry.is_dir(follow_symlinks=False))
    except OSError:
        return b"-"
    for name in outer:
        try:
            with os.scandir(objects / name) as listing:
                inner = sorted(listing, key=lambda entry: entry.name)
            found.extend(
                _encode(f"{name}/{entry.name}") + b":%d" % entry.stat().st_mtime_ns
                for entry in inner
            )
        except OSError:
            found.append(_encode(name) + b":-")
    return b"\0".join(found)


# GIT_* variables that change nothing a read-only git command shows, which git sets
# for a hook (found by dumping a hook's environment) or a user sets to commit: who
# commits and when, the editor, the reflog's wording, the subfolder a command was
# typed in (GIT_PREFIX: git writes it for hooks and aliases, never reads it), and
# where git keeps the programs that are not built into it (GIT_EXEC_PATH: every
# command aimsctl runs is built in). Any other GIT_* variable is keyed.
_INERT_GIT_VARIABLES = frozenset(
    {
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE",
        "GIT_EDITOR",
        "GIT_SEQUENCE_EDITOR",
        "GIT_REFLOG_ACTION",
        "GIT_PREFIX",
        "GIT_EXEC_PATH",
    }
)


def _git_environment(found: tuple[Path, Path] | None) -> bytes:
    """The variables of the environment git reads (GIT_*, such as GIT_DIR or
    GIT_NO_REPLACE_OBJECTS): they may change the history that every git command
    the run starts sees; and the git program found, if any.

    Left out: :data:`_INERT_GIT_VARIABLES`, and GIT_DIR and GIT_INDEX_FILE where they
    name what git reads without them, the git folder ``found`` from the repository
    (as git sets GIT_DIR for a hook in a linked work tree) and its index (as git sets
    GIT_INDEX_FILE=.git/index for a pre-commit hook), so that a validate in a hook
    is served what a run in the shell cached."""
    found_vars = sorted(
        (name, value)
        for name, value in os.environ.items()
        if name.startswith("GIT_")
        and name not in _INERT_GIT_VARIABLES
        and not _names_what_git_finds(name, value, found)
    )
    # Whether there is a git program at all: without one, the dates from history are
    # unknown and the rules say to install git; once it is installed they are known.
    found_vars.append(("git program", _git_program()))
    return b"".join(_encode(name) + b"=" + _encode(value) + b"\0" for name, value in found_vars)


def _git_program() -> str:
    """The git program found on PATH, which runs every git command of the run. git
    puts its own folder of programs (GIT_EXEC_PATH) first on PATH for a hook, where
    its installation keeps a copy of itself: that copy (the same size and
    modification time) is taken for the git found on PATH without it, as a run in
    the shell finds it. Any other git there is another program, keyed as found."""
    found = shutil.which("git") or ""
    exec_path = os.environ.get("GIT_EXEC_PATH", "")
    first, _, rest = os.environ.get("PATH", "").partition(os.pathsep)
    if not found or not exec_path or os.path.normpath(first) != os.path.normpath(exec_path):
        return found
    outside = shutil.which("git", path=rest)
    if not outside:
        return found
    try:
        one, other = os.stat(found), os.stat(outside)
    except (OSError, ValueError):
        return found
    same = (one.st_size, one.st_mtime_ns) == (other.st_size, other.st_mtime_ns)
    return outside if same else found


def _names_what_git_finds(name: str, value: str, found: tuple[Path, Path] | None) -> bool:
    """Whether GIT_DIR or GIT_INDEX_FILE ``value`` names the git folder (or its index)
    git finds from the repository anyway, ``found`` as (top of the work tree, git
    folder). A relative path must name it from the current folder and from the top of
    the work tree alike (git reads it from the latter once it has moved there)."""
    if found is None or not value:
        return False
    top, dot_git = found
    try:
        git_dir = dot_git.resolve()
        if name == "GIT_DIR":
            named = Path(value)
            followed = _gitfile_target(named.absolute()) or named
            return followed.resolve() == git_dir
        if name == "GIT_INDEX_FILE":
            index = git_dir / "index"
            places = {Path(value).resolve(), (top / value).resolve()}
            return places == {index}
    except (OSError, RuntimeError, ValueError):  # a loop, a NUL byte: keyed as written
        return False
    return False


def _gitfile_target(path: Path) -> Path | None:
    """The folder a `.git` file ("gitdir: <path>") at ``path`` names, relative to the
    file; None when ``path`` is no such file."""
    if not path.is_file():
        return None
    text = path.read_text("utf-8", "replace").strip()
    if not text.startswith("gitdir:"):
        return None
    return path.parent / text.removeprefix("gitdir:").strip()


def _refs_below(folder: Path) -> list[bytes]:
    """Every loose ref below ``folder`` by name, with its first bytes."""
    found: list[bytes] = []
    for where, subfolders, names in os.walk(folder):
        subfolders.sort()
        for name in sorted(names):
            path = Path(where) / name
            found.append(_encode(str(path.relative_to(folder))) + b"=" + _head_of(path, 512))
    return found


def _common_dir(dot_git: Path) -> Path:
    """The folder holding a repository's refs: a linked work tree's git folder names
    it in its `commondir` file."""
    found = _head_of(dot_git / "commondir")
    if not found.startswith(b"+"):
        return dot_git
    try:
        return (dot_git / found[1:].decode("utf-8", "replace").strip()).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop, a NUL byte
        return dot_git


_MAX_MODULES = 1000  # submodule repositories looked at, as gitio reads at most


def _modules_state(folder: Path) -> list[bytes]:
    """What fetching into the repositories git keeps for submodules changes (in
    `.git/modules`, theirs nested): a record in a submodule is dated by the commits
    that move it, read from its repository, which a shallow fetch leaves without the
    commits pinned before (`git fetch --unshallow` there, or any fetch, which writes
    FETCH_HEAD, may bring them while nothing of the superproject changes). Nothing
    when there is no such folder."""
    found: list[bytes] = []
    stack = [folder]
    for _ in range(8 * _MAX_MODULES):  # folders looked into, at most
        if not stack:
            break
        current = stack.pop()
        try:
            children = sorted(
                entry.name for entry in os.scandir(current) if entry.is_dir(follow_symlinks=False)
            )
        except (OSError, ValueError):
            continue
        if "objects" in children and (current / "HEAD").is_file():  # a repository
            found.append(_encode(str(current.relative_to(folder))))
            found.append(_head_of(current / "shallow", 1 << 20))
            found.append(_mtime_of(current / "FETCH_HEAD"))
            found.append(_mtime_of(current / "packed-refs"))
            stack.append(current / "modules")
        else:  # a folder of a name holding "/"
            stack.extend(current / name for name in reversed(children))
    return found


def _head_of(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of a small file git keeps after "+", or "-" when there
    is no such regular file (opened without blocking: a named pipe cannot hang the run)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return b"-"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b"-"
        return b"+" + handle.read(size)


def _mtime_of(path: Path) -> bytes:
    try:
        return str(path.stat().st_mtime_ns).encode()
    except OSError:
        return b"-"


def fingerprint(root: Path, as_of: date) -> str:
    """The cache key of the working tree at root."""
    return KeyedTree(root).key(as_of)


# Marks a cited path whose bytes validation reads, not only its place (a monitor's
# observations file): its probe holds a digest of its content too. No real path
# holds a NUL byte.
_CONTENT = "\0content\0"


def cited_paths(repo: Repository) -> list[str]:
    """Every path validation resolves on disk, as written: evidence paths, systems'
    documentation and evaluations' results (`path_problem` in rules/soa.py; links among
    them are harmless), and monitors' observation files, whose content it reads."""
    from aimsctl.records import AISystem, Control, Evaluation, Monitor

    found = {e.path for c in repo.of_kind(Control) for e in c.evidence if e.path is not None}
    found.update(reference for s in repo.of_kind(AISystem) for reference in s.documentation)
    found.update(e.results for e in repo.of_kind(Evaluation) if e.results is not None)
    found.update(
        _CONTENT + m.observations_file
        for m in repo.of_kind(Monitor)
        if m.observations_file is not None
    )
    return sorted(found)


def _content(root: Path, reference: str) -> str:
    """A digest of the bytes validation would read at ``reference`` (at most one byte
    more than a file may hold), or why there are none. Only a regular file is read,
    opened without blocking (a named pipe cannot hang the run)."""
    try:
        fd = os.open(
            root / posixpath.normpath(reference), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        )
    except (OSError, ValueError) as error:
        return "!" + type(error).__name__
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder cannot even be wrapped in a file
        os.close(fd)
        return "!not-a-file"
    with os.fdopen(fd, "rb") as handle:
        return hashlib.blake2b(handle.read(MAX_BYTES + 1), digest_size=32).hexdigest()


def probe(root: Path, reference: str) -> str:
    """What validation can learn from disk about a cited path: where it resolves (it
    may leave the repository through a link and come back through another) and what
    its normal form names, links followed (exists, a file, a folder); for a file whose
    content validation reads, a digest of that content too."""
    if reference.startswith(_CONTENT):
        path = reference[len(_CONTENT) :]
        return f"{probe(root, path)}\0{_content(root, path)}"
    try:
        where = os.fspath((root / reference).resolve())
    except (OSError, RuntimeError, ValueError) as error:  # a loop, a NUL byte
        where = "!" + type(error).__name__
    try:
        what = _type_of(os.stat(root / posixpath.normpath(reference)).st_mode)
    except OSError as error:
        what = f"!{error.errno}"
    except ValueError:
        what = "!ValueError"
    return f"{where}\0{what}"


def probes(repo: Repository) -> dict[str, str]:
    """The state of every cited path, to check again before a cached answer is used."""
    return {reference: probe(repo.root, reference) for reference in cited_paths(repo)}


# --- entries ------------------------------------------------------------------------

_DIAGNOSTIC: dict[str, tuple[type, ...]] = {
    "code": (str,),
    "severity": (str,),
    "message": (str,),
    "path": (str,),
    "line": (int,),
    "column": (int,),
    "record": (str, type(None)),
    "pointer": (str,),
    "waived_by": (str, type(None)),
}
_SEVERITIES = {str(severity): severity for severity in Severity}


def _digest(key: str, payload: bytes) -> str:
    return hashlib.blake2b(
        payload, key=bytes.fromhex(key), person=_PERSON, digest_size=32
    ).hexdigest()


def _diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any]:
    data = {name: getattr(diagnostic, name) for name in _DIAGNOSTIC}
    data["severity"] = str(diagnostic.severity)
    return data


def encode(key: str, result: ValidationResult, checked: dict[str, str] | None = None) -> bytes:
    """An entry: a header line (format, version, key, digest), then the payload: the
    result, and the state of each cited path (``checked``, from :func:`probes`)."""
    payload = json.dumps(
        {
            "result": {
                "repository": result.repository,
                "records": result.records,
                "files": result.files,
                "diagnostics": [_diagnostic_data(d) for d in result.diagnostics],
                "waived": [_diagnostic_data(d) for d in result.waived],
                "paths": result.paths,
            },
            "probes": checked or {},
        },
        ensure_ascii=True,  # lone surrogates (undecodable file names) survive
        separators=(",", ":"),
    ).encode("ascii")
    header = {"format": FORMAT, "version": VERSION, "key": key, "digest": _digest(key, payload)}
    return json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + payload


def _diagnostic(data: object) -> Diagnostic | None:
    if not isinstance(data, dict) or data.keys() != _DIAGNOSTIC.keys():
        return None
    for name, types in _DIAGNOSTIC.items():
        value = data[name]
        if not isinstance(value, types) or isinstance(value, bool):
            return None
    severity = _SEVERITIES.get(data["severity"])
    if severity is None:
        return None
    return Diagnostic(**{**data, "severity": severity})


def _diagnostics(data: object) -> list[Diagnostic] | None:
    if not isinstance(data, list):
        return None
    out = [_diagnostic(item) for item in data]
    return None if any(d is None for d in out) else [d for d in out if d is not None]


def decode(data: bytes, key: str) -> tuple[ValidationResult, dict[str, str]] | None:
    """The result an entry holds for ``key`` and the cited paths' states; None for
    anything else."""
    line, newline, payload = data.partition(b"\n")
    try:
        header = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: nested too deep
        return None
    if (
        not newline
        or not isinstance(header, dict)
        or header.get("format") != FORMAT
        or header.get("version") != VERSION
        or header.get("key") != key
        or not isinstance(header.get("digest"), str)
        or not header["digest"].isascii()  # compare_digest raises on other text
        or not hmac.compare_digest(header["digest"], _digest(key, payload))
    ):
        return None
    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or body.keys() != {"result", "probes"}:
        return None
    result, checked = _result(body["result"]), body["probes"]
    if (
        result is None
        or not isinstance(checked, dict)
        or not all(isinstance(state, str) for state in checked.values())
    ):
        return None
    return result, checked


def _result(data: object) -> ValidationResult | None:
    fields = ("repository", "records", "files", "diagnostics", "waived", "paths")
    if not isinstance(data, dict) or data.keys() != set(fields):
        return None
    diagnostics, waived = _diagnostics(data["diagnostics"]), _diagnostics(data["waived"])
    repository, records, files, paths = (data[name] for name in fields[:3] + fields[5:])
    if (
        diagnostics is None
        or waived is None
        or not isinstance(repository, str)
        or type(records) is not int
        or type(files) is not int
        or not isinstance(paths, list)
        or not all(isinstance(path, str) for path in paths)
    ):
        return None
    return ValidationResult(repository, records, files, diagnostics, waived, paths)


def _trusted(info: os.stat_result, is_type: Callable[[int], bool]) -> bool:
    """Of the wanted type, owned by the current user, not writable by group or others."""
    return (
        is_type(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _work_tree_top(real_root: Path) -> Path:
    """The top of the git work tree holding ``real_root`` (the nearest folder with a
    `.git` entry, read without running git), or ``real_root`` itself outside git."""
    for folder in (real_root, *real_root.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return real_root


class ResultCache:
    """One cached validation result per repository folder."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        self.root = root
        real_root = Path(os.path.realpath(root))
        folder = folder or cache_dir()
        name = hashlib.blake2b(_encode(str(real_root)), digest_size=16).hexdigest()
        # No cache: no folder, an unsupported system, or a folder inside the
        # repository or the git work tree holding it (where a pull request could
        # commit an entry, and where a new file shows in `git status`).
        self.path: Path | None = None
        if (
            folder is not None
            and _supported()
            and not Path(os.path.realpath(folder)).is_relative_to(_work_tree_top(real_root))
        ):
            self.path = folder / f"validate-{name}.json"

    def _read(self) -> bytes | None:
        return None if self.path is None else _read_entry(self.path)

    def get(self, key: str) -> ValidationResult | None:
        """The cached result for ``key``, if there is one to trust and every path it
        cites is as it was; None otherwise."""
        try:
            data = self._read()
        except OSError:
            return None
        entry = None if data is None else decode(data, key)
        if entry is None:
            return None
        result, checked = entry
        if any(probe(self.root, reference) != state for reference, state in checked.items()):
            return None
        return result

    def put(self, key: str, result: ValidationResult, checked: dict[str, str]) -> None:
        """Store a result; a cache that cannot be (safely) written is simply not used."""
        if self.path is None:
            return
        try:
            self._write(self.path, encode(key, result, checked))
        except OSError:
            return

    def _write(self, path: Path, data: bytes) -> None:
        _write_entry(path, data)


# --- the per-file cache -------------------------------------------------------------
#
# When the whole-repository entry misses (one file edited among thousands), what
# parsing gave for each file is taken from a second entry of the same repository
# folder, `validate-<hash>.files.json`, instead of parsing the file again. What a
# file's parse depends on, and where each is in the key:
#
# - the file's bytes: each file's item holds a BLAKE2b digest of them, compared
#   with the bytes read in this run; its path: the item is found by path (the path
#   is in every diagnostic and document); the positions (lines and columns of the
#   documents and of the YAML problems) are counted in those bytes alone;
# - aimsctl's code (yamlsafe, loader), the YAML library that composes and Python
#   (numbers, text): the entry's key holds aimsctl's version, :func:`_code_state`,
#   the versions of PyYAML and libyaml (yamlsafe.PARSER) and Python's;
# - the run's budget of values, which earlier files spend from: a parse is taken from
#   the cache only when it would not depend on it (a whole file's budget left, no
#   anchor in the text: loader._replayable), and the values it took are spent again;
# - nothing else: not aims.yaml (exclusions only choose which files are read; its
#   scales are used when records are checked, which happens afresh every run, as
#   do every rule and every position found by a rule), not the as-of date, not git's
#   history, not the files around it.
#
# The entry is JSON bound to its key by a keyed digest, read and written like the
# whole-repository entry (owner-only, no link followed, at most MAX_ENTRY_BYTES,
# counted in MAX_CACHE_BYTES); anything wrong with it means parsing every file.
# Each write keeps only the files of that run, so it holds one repository's files.
# A run that parsed (or lost) fewer than 1 in REWRITE_SHARE files keeps the entry
# as it is: a later run parses those few files again, which costs less than
# rewriting the entry for every file (at 10,000 files, 0.12 s against a few ms).

FILES_FORMAT = "aimsctl-parse-cache"
FILES_VERSION = 1
REWRITE_SHARE = 100


def _side_key(format_: str, version: int, real_root: str) -> str:
    """The key of an entry beside the whole result: its format, aimsctl's version and
    code, the YAML library's and Python's versions, and the repository's real path."""
    digest = hashlib.blake2b(digest_size=32, person=_PERSON)
    digest.update(f"{format_}\0{version}\0{__version__}\0".encode())
    digest.update(_code_state().encode() + b"\0")
    digest.update(f"{PARSER}\0{sys.version}\0".encode())
    digest.update(_encode(real_root) + b"\0")
    return digest.hexdigest()


def _content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=32).hexdigest()


def _parsed_data(parsed: ParsedFile) -> list[Any]:
    return [
        parsed.read,
        parsed.used,
        [list(document) for document in parsed.documents],
        [_diagnostic_data(d) for d in parsed.diagnostics],
    ]


def _parsed(data: object) -> ParsedFile | None:
    """A file's parse from its item in the entry; None for anything malformed."""
    if not isinstance(data, list) or len(data) != 4:
        return None
    read, used, documents, diagnostics = data
    if (read is not None and type(read) is not int) or type(used) is not int or used < 0:
        return None
    if not isinstance(documents, list):
        return None
    out: list[tuple[int, Any, int, int]] = []
    for document in documents:
        if (
            not isinstance(document, list)
            or len(document) != 4
            or not all(type(document[n]) is int for n in (0, 2, 3))
            or document[1] is None
        ):
            return None
        out.append((document[0], document[1], document[2], document[3]))
    found = _diagnostics(diagnostics)
    if found is None:
        return None
    return ParsedFile(read, out, found, used)


class _SideEntry:
    """A JSON entry beside a repository's whole-result entry (``SUFFIX`` names it),
    bound to its key by a keyed digest, read and written like that entry. A run
    reads the old items when first asked (``_loaded``), keeps in ``_new`` the items
    it used or added (counting the added), and :meth:`save` writes those."""

    FORMAT = ""
    VERSION = 0
    SUFFIX = ""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        whole = ResultCache(root, folder)
        self.path = None if whole.path is None else whole.path.with_suffix(self.SUFFIX)
        self.key = _side_key(self.FORMAT, self.VERSION, os.path.realpath(root))
        self._old: dict[str, Any] | None = None
        self._new: dict[str, Any] = {}
        self._added = 0

    def _loaded(self) -> dict[str, Any]:
        if self._old is None:
            self._old = self._load_body()
        return self._old

    def save(self) -> None:
        """Write the items of this run, when enough were added or dropped out (see
        REWRITE_SHARE): an entry that spares a later run all but a few stays."""
        if self.path is not None and _worth_rewriting(self._old or {}, self._new, self._added):
            self._save_body(self._new)

    def _load_body(self) -> dict[str, Any]:
        """The entry's items; empty when there is none, or anything is wrong with it."""
        try:
            data = None if self.path is None else _read_entry(self.path)
        except OSError:
            data = None
        if data is None:
            return {}
        line, newline, payload = data.partition(b"\n")
        try:
            header = json.loads(line)
        except (ValueError, RecursionError):
            return {}
        if (
            not newline
            or not isinstance(header, dict)
            or header.get("format") != self.FORMAT
            or header.get("version") != self.VERSION
            or header.get("key") != self.key
            or not isinstance(header.get("digest"), str)
            or not header["digest"].isascii()  # compare_digest raises on other text
            or not hmac.compare_digest(header["digest"], _digest(self.key, payload))
        ):
            return {}
        try:
            body = json.loads(payload)
        except (ValueError, RecursionError):
            return {}
        return body if isinstance(body, dict) else {}

    def _save_body(self, body: dict[str, Any]) -> None:
        if self.path is None:
            return
        try:
            payload = json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode(
                "ascii"
            )  # keys in the order written: a record's order is kept
        except (ValueError, RecursionError):
            return
        header = {
            "format": self.FORMAT,
            "version": self.VERSION,
            "key": self.key,
            "digest": _digest(self.key, payload),
        }
        data = json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + payload
        try:
            _write_entry(self.path, data)
        except OSError:
            return


def _worth_rewriting(old: dict[str, Any], kept: dict[str, Any], added: int) -> bool:
    """Whether an entry is written again: when enough items were added or dropped
    out (see REWRITE_SHARE); one that spares a later run all but a few stays."""
    stale = added + len(old.keys() - kept.keys())
    return stale > 0 and not (old and stale * REWRITE_SHARE < len(kept))


class FileCache(_SideEntry):
    """What parsing gave for each record file of one repository folder, by path and
    content (see the comment above); the :class:`aimsctl.loader.ParsedFiles` of a
    validation run. Load it, let the run ask and tell, then :meth:`save`."""

    FORMAT = FILES_FORMAT
    VERSION = FILES_VERSION
    SUFFIX = ".files.json"

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        super().__init__(root, folder)
        self.hits = 0

    def get(self, rel: str, raw: bytes) -> ParsedFile | None:
        item = self._loaded().get(rel)
        if not isinstance(item, list) or len(item) != 2 or item[0] != _content_digest(raw):
            return None
        parsed = _parsed(item[1])
        if parsed is not None:
            self._new[rel] = item
            self.hits += 1
        return parsed

    def put(self, rel: str, raw: bytes, parsed: ParsedFile) -> None:
        self._new[rel] = [_content_digest(raw), _parsed_data(parsed)]
        self._added += 1

    def knows(self, rel: str) -> bool:
        return rel in self._loaded() or rel in self._new


# What committed files name, by git blob id, for the dates validation takes from git
# history (:mod:`aimsctl.record_dates`), in `validate-<hash>.history.json`. A blob's
# bytes never change, so what they name does not either: the item of a blob holds
# the ids its `id` keys give and, once a run has parsed it, the material fields of
# each record, which depend on aimsctl's code, the YAML library and Python, all in
# the entry's key. The dates themselves are worked out afresh every run, from the
# commits git lists (so a new commit, a rewritten branch or a shallow clone is seen);
# only reading and parsing the blobs is spared. Read, written and rewritten like the
# per-file entry; each write keeps the blobs of that run.

HISTORY_FORMAT = "aimsctl-history-cache"
# 2: ids are found in flow and JSON records too (record_dates); 3: a Git LFS pointer
# blob is read as the content the LFS store holds for it, not as its pointer text.
HISTORY_VERSION = 3


def _file_ids(item: object) -> FileIds | None:
    """A blob's item from the entry; None for anything malformed."""
    if not isinstance(item, list) or len(item) != 2:
        return None
    ids, material = item
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    if material is None:
        return FileIds(frozenset(ids))
    if not isinstance(material, dict) or not all(isinstance(m, str) for m in material.values()):
        return None
    return FileIds(frozenset(ids), material)


class HistoryCache(_SideEntry):
    """A :class:`aimsctl.record_dates.BlobMemo` kept between runs (see the comment
    above). Load it, let the run ask and tell, then :meth:`save`."""

    FORMAT = HISTORY_FORMAT
    VERSION = HISTORY_VERSION
    SUFFIX = ".history.json"

    def get(self, sha: str) -> FileIds | None:
        old = self._loaded()
        found = self._new.get(sha)
        if found is not None:
            return _file_ids(found)
        found = _file_ids(old.get(sha))
        if found is not None:
            self._new[sha] = old[sha]
        return found

    def put(self, sha: str, found: FileIds) -> None:
        material = None if found.material is None else dict(found.material)
        self._new[sha] = [sorted(found.ids), material]
        self._added += 1


def _open_folder(folder: Path) -> int | None:
    """A handle on the cache folder when it is one to trust; None otherwise."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        trusted = _trusted(os.fstat(fd), stat.S_ISDIR)
    except OSError:
        trusted = False
    if not trusted:
        os.close(fd)
        return None
    return fd


def _read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path`` when it is one to trust; None otherwise."""
    folder = _open_folder(path.parent)
    if folder is None:
        return None
    try:
        # Nothing but a regular file is opened (a device may act on open); the
        # open neither follows a link nor waits on a pipe swapped in meanwhile.
        if not stat.S_ISREG(os.stat(path.name, dir_fd=folder, follow_symlinks=False).st_mode):
            return None
        fd = os.open(
            path.name,
            os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
            dir_fd=folder,
        )
    except OSError:  # missing, a symbolic link (ELOOP), no permission
        return None
    finally:
        os.close(folder)
    with open(fd, "rb") as handle:  # closes fd
        info = os.fstat(handle.fileno())
        if not _trusted(info, stat.S_ISREG) or info.st_size > MAX_ENTRY_BYTES:
            return None
        data = handle.read(MAX_ENTRY_BYTES + 1)
    return data if len(data) <= MAX_ENTRY_BYTES else None


def _write_entry(path: Path, data: bytes) -> None:
    """Write an entry: the folder made owner-only if new, then an atomic replace."""
    folder = path.parent
    if not os.path.lexists(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(folder, 0o700)  # whatever the umask
    fd = _open_folder(folder)
    if fd is None:
        return
    os.close(fd)
    if len(data) > MAX_ENTRY_BYTES:  # would never be read: drop the old entry
        path.unlink(missing_ok=True)
        return
    write_atomic(path, data, replace_read_only=True)  # a link or pipe too; never follows it
    if stat.S_IMODE(os.lstat(path).st_mode) != 0o600:
        os.chmod(path, 0o600)  # a new file got the umask's mode, or a planted one's
    evict(folder, keep=path.name, limit=MAX_CACHE_BYTES)


def evict(folder: Path, keep: str, limit: int) -> list[str]:
    """Remove the least recently written entries of ``folder`` until its entries
    total at most ``limit`` bytes; never ``keep``. The names removed, oldest first.

    Only regular files named as our entries are (:data:`ENTRY_NAME`) are counted or
    removed; a temporary file a killed run left (:data:`STALE_TEMPORARY`) is removed
    once a day old. Two runs evicting at once may both try to remove one entry: a
    missing file is no error.
    """
    _remove_stale_temporaries(folder)
    entries: list[tuple[int, str, int]] = []
    for candidate in folder.glob(ENTRY_GLOB):
        if not ENTRY_NAME.fullmatch(candidate.name):
            continue
        try:
            info = candidate.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            entries.append((info.st_mtime_ns, candidate.name, info.st_size))
    total = sum(size for _, _, size in entries)
    removed: list[str] = []
    for _, name, size in sorted(entries):
        if total <= limit:
            break
        if name == keep:
            continue
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue
        total -= size
        removed.append(name)
    return removed


def _remove_stale_temporaries(folder: Path) -> None:
    too_old = time.time() - STALE_AFTER_SECONDS
    for candidate in folder.glob(".validate-*.tmp"):
        if not STALE_TEMPORARY.fullmatch(candidate.name):
            continue
        try:
            info = candidate.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mtime < too_old:
                candidate.unlink()
        except OSError:
            continue
