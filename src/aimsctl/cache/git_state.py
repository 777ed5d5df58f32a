"""What the key reads of git, without running it: the commit the repository is at
and how much history it holds, the files and settings that say what git ignores
and how it converts files, and the environment and program git runs with."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from pathlib import Path

from aimsctl.cache.hashing import as_bytes
from aimsctl.gitio.git_folder import gitfile_target

# The files of a work tree's folders that git reads for the files below them.
GIT_FILES_READ = (".gitignore", ".gitattributes")


def history_state(root: Path) -> tuple[bytes, tuple[Path, Path] | None]:
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
    GIT_DIR named it, or none was found), which :func:`git_environment` compares
    GIT_DIR and GIT_INDEX_FILE with."""
    passed = b""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        state = None
        try:
            target = gitfile_target(dot_git)  # a linked work tree: "gitdir: <path>"
            if target is not None:
                dot_git = target.resolve()
            state = _repository_state(_configured_top(dot_git) or folder, dot_git, root)
        except (OSError, ValueError):  # ValueError: a NUL byte in the path it names
            pass
        if state is not None:
            top = _configured_top(dot_git) or folder
            return passed + state, (top, dot_git)
        if not passed and os.path.lexists(folder / ".git"):
            passed = b"passed " + as_bytes(str(folder)) + b"\0"
    named = os.environ.get("GIT_DIR")
    if named:
        # git's work tree: GIT_WORK_TREE, else core.worktree, else the current folder,
        # which aimsctl refuses to take (gitio.opening._named_by_environment): the root then.
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
    """:func:`history_state` of the repository whose git folder is ``dot_git`` and
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
        for name in GIT_FILES_READ:
            text = _head_of(top / below / name, 1 << 20)
            if text != b"-":
                found.append(as_bytes((below / name).as_posix()) + b"\0" + text)
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
                found.append(as_bytes(entry.name) + b":%d" % entry.stat().st_mtime_ns)
            except OSError:
                found.append(as_bytes(entry.name) + b":-")
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
                as_bytes(f"{name}/{entry.name}") + b":%d" % entry.stat().st_mtime_ns
                for entry in inner
            )
        except OSError:
            found.append(as_bytes(name) + b":-")
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


def git_environment(found: tuple[Path, Path] | None) -> bytes:
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
    return b"".join(as_bytes(name) + b"=" + as_bytes(value) + b"\0" for name, value in found_vars)


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
            followed = gitfile_target(named.absolute()) or named
            return followed.resolve() == git_dir
        if name == "GIT_INDEX_FILE":
            index = git_dir / "index"
            places = {Path(value).resolve(), (top / value).resolve()}
            return places == {index}
    except (OSError, RuntimeError, ValueError):  # a loop, a NUL byte: keyed as written
        return False
    return False


def _refs_below(folder: Path) -> list[bytes]:
    """Every loose ref below ``folder`` by name, with its first bytes."""
    found: list[bytes] = []
    for where, subfolders, names in os.walk(folder):
        subfolders.sort()
        for name in sorted(names):
            path = Path(where) / name
            found.append(as_bytes(str(path.relative_to(folder))) + b"=" + _head_of(path, 512))
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
            found.append(as_bytes(str(current.relative_to(folder))))
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
