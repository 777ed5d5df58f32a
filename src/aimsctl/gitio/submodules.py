"""Submodules: their files read at the commit a tree pins them at.

A tree holds a submodule as a gitlink (a commit of another repository); a checkout
holds that commit's files, so the files of a revision include them, nested ones too,
up to :data:`_MAX_NESTING` deep and :data:`_MAX_SUBMODULES` in all.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aimsctl import notices
from aimsctl.errors import GitError
from aimsctl.gitio.running import run_git_objects, split_z
from aimsctl.gitio.submodule_stores import STORES
from aimsctl.text import printable

if TYPE_CHECKING:
    import git


GITLINK_MODE = "160000"  # the mode of a submodule in a tree: a commit of another repository
_MAX_NESTING = 8  # submodules of submodules followed, at most
# Submodules read for one tree, nested ones counted: a commit may pin a commit whose
# tree pins many submodules in turn, each read again at every level (ten to a level,
# eight levels deep, are a hundred million), so a tree with more is refused.
_MAX_SUBMODULES = 1000


# The submodules not checked out that were named on standard error, by work tree.
_WARNED: set[tuple[str, str]] = set()


class NotPinned(GitError):
    """A submodule's repository lacks the commit a tree pins it at."""


def _submodule_git_dir(checkout: Path, path: str, parent_git_dir: Path) -> Path | None:
    """The git folder of the submodule at ``path`` of the work tree ``checkout`` (whose
    own git folder is ``parent_git_dir``): the one its checkout names, else the one
    git keeps in ``modules/<name>`` for a submodule that is not checked out. None when
    there is neither (the submodule was never initialised)."""
    found: list[Path] = []
    dot_git = checkout / path / ".git"
    try:
        if dot_git.is_file():
            text = dot_git.read_text("utf-8", "replace").strip()
            found.append((dot_git.parent / text.removeprefix("gitdir:").strip()).resolve())
        elif dot_git.is_dir():
            found.append(dot_git)
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte in the path
        pass
    found.extend(parent_git_dir / "modules" / name for name in _submodule_names(checkout, path))
    return next((folder for folder in found if (folder / "objects").is_dir()), None)


def _submodule_names(checkout: Path, path: str) -> list[str]:
    """The names .gitmodules gives the submodule at ``path`` (the path itself first,
    git's default name)."""
    names = [path]
    modules = checkout / ".gitmodules"
    try:
        # A regular file only, as git reads it: a named pipe would be waited on for
        # ever, a link to /dev/zero read without end.
        if not stat.S_ISREG(modules.lstat().st_mode):
            return names
        text = modules.read_text("utf-8", "replace")
    except OSError:
        return names
    name = None
    for line in text.splitlines():
        header = re.match(r'\s*\[\s*submodule\s+"((?:[^"\\]|\\.)*)"\s*\]', line)
        if header:
            name = re.sub(r"\\(.)", r"\1", header.group(1))
            continue
        # The value is stripped after the match: `\s*=\s*(.*?)\s*$` took a time
        # quadratic in a run of blanks inside it (a line of 300 KB, minutes).
        value = re.match(r"\s*path\s*=(.*)", line, flags=re.I)
        if value and name is not None and value.group(1).strip().strip('"').rstrip("/") == path:
            names.append(name)
    return names


def gitmodules_paths(top: Path, prefix: str) -> tuple[str, ...]:
    """The paths (from the top of the work tree) that the work tree's .gitmodules
    gives submodules below the governance root: where history looks for gitlinks.
    Reads one file and runs no git: none without a .gitmodules."""
    modules = top / ".gitmodules"
    try:
        if not stat.S_ISREG(modules.lstat().st_mode):  # as in _submodule_names
            return ()
        text = modules.read_text("utf-8", "replace")
    except OSError:
        return ()
    return paths_named(text.splitlines(), prefix)


def unchecked_submodules(top: Path, prefix: str) -> tuple[str, ...]:
    """The submodules below the governance root (``prefix`` below the work tree's top
    ``top``) that the working tree does not hold, by path relative to the root: named in
    a .gitmodules (the work tree's, and those of the submodules checked out, nested),
    with nothing at their path or an empty folder (as `git clone` without
    `--recurse-submodules` or `git submodule deinit` leaves it). Validation reads the
    files on disk, so their records are not read. Hidden paths are left out (their
    files are never records). Runs no git."""
    found: list[str] = []
    # (the top of a work tree, the governance root below it, its path below the root)
    pending: list[tuple[Path, str, str, int]] = [(top, prefix, "", 0)]
    looked = 0
    while pending and looked <= _MAX_SUBMODULES:
        checkout, below, at, depth = pending.pop()
        for path in gitmodules_paths(checkout, below):
            looked += 1
            inner = path[len(below) + 1 :] if below else path
            rel = f"{at}/{inner}" if at else inner
            if any(part in ("", ".", "..") or part.startswith(".") for part in rel.split("/")):
                continue
            folder = checkout / path
            try:
                if os.path.lexists(folder / ".git"):  # checked out: its own submodules next
                    if depth < _MAX_NESTING:
                        pending.append((folder, "", rel, depth + 1))
                    continue
                if os.path.lexists(folder):
                    if not stat.S_ISDIR(folder.lstat().st_mode):
                        continue
                    with os.scandir(folder) as listing:
                        if next(listing, None) is not None:  # files of a folder, read as such
                            continue
            except (OSError, ValueError):
                continue
            found.append(rel)
    return tuple(sorted(found))


def paths_named(lines: Iterable[str], prefix: str, named: bool = False) -> tuple[str, ...]:
    """The submodule paths below the governance root that lines of a .gitmodules give
    (``named``: the lines are already known to be in a submodule's section)."""
    found: set[str] = set()
    for line in lines:
        if re.match(r"\s*\[", line):
            named = re.match(r'\s*\[\s*submodule\s+"', line) is not None
            continue
        value = re.match(r"\s*path\s*=(.*)", line, flags=re.I)
        path = value.group(1).strip().strip('"').rstrip("/") if value and named else ""
        if path and "\0" not in path and (not prefix or path.startswith(prefix + "/")):
            found.add(path)
    return tuple(sorted(found))


def submodule_files(
    repo: git.Repo,
    entries: dict[str, tuple[str, str]],
    prefix: str,
    warn: bool = False,
    strict: bool = True,
    missing: list[str] | None = None,
) -> dict[str, tuple[str, str]]:
    """``entries`` (by path below the governance root) with the files of every
    submodule among them added, as they are at the commit it is pinned at, read from
    the submodule's own objects: the files a checkout holds, which validate reads.

    A submodule never initialised (no git folder of its own, so nothing is checked
    out) is left out, as its folder is empty on disk; with ``warn``, it is named on
    standard error (once per run: the commands that read revisions say it, not
    validate, whose cached answer could not). One
    whose repository lacks the pinned commit (not updated since the superproject
    moved it) raises GitError: its records at that commit cannot be told; not
    ``strict``, it is left out too (the dates history gives: its files then count as
    not committed, as they did before submodules were read). ``missing`` collects the
    paths of those never initialised.
    """
    if not any(mode == GITLINK_MODE for mode, _oid in entries.values()):
        return entries
    top = Path(repo.working_tree_dir or ".")
    expanded = dict(entries)
    checkout = top / prefix if prefix else top
    add_submodules(repo, expanded, "", checkout, None, 0, warn, strict, [0], missing)
    return expanded


def add_submodules(
    repo: git.Repo,
    entries: dict[str, tuple[str, str]],
    below: str,
    checkout: Path,
    git_dir: Path | None,
    depth: int,
    warn: bool,
    strict: bool,
    read: list[int],
    missing: list[str] | None = None,
) -> None:
    """Add to ``entries`` the files of the submodules listed there below ``below``
    (a path relative to the governance root, "" for all of it). ``checkout`` is the
    folder on disk those paths are in; ``git_dir`` the git folder of the submodule
    ``below`` is (None: the superproject). ``read`` counts the submodules read so far
    for the tree; past :data:`_MAX_SUBMODULES`, GitError."""
    gitlinks = sorted(
        (rel, oid)
        for rel, (mode, oid) in entries.items()
        if mode == GITLINK_MODE and (not below or rel.startswith(below + "/"))
    )
    top = Path(repo.working_tree_dir or ".")
    parent_dir = git_dir if git_dir is not None else Path(repo.common_dir)
    for rel, commit in gitlinks:
        inner = rel[len(below) + 1 :] if below else rel
        where = (checkout / inner).relative_to(top).as_posix()  # from the superproject's top
        # .gitmodules and the path it names are those of the submodule's parent.
        work, own = (top, where) if git_dir is None else (checkout, inner)
        store = _submodule_git_dir(work, own, parent_dir)
        shown = printable(where)  # a name may hold a line break or a terminal escape
        if store is None:
            if missing is not None:
                missing.append(rel)
            if warn and (str(top), where) not in _WARNED:
                _WARNED.add((str(top), where))
                notices.warn(
                    f"the submodule at {shown} is not checked out, so its files are not read "
                    "at any revision (`git submodule update --init` checks it out)"
                )
            continue
        read[0] += 1
        if read[0] > _MAX_SUBMODULES:
            raise GitError(
                f"more than {_MAX_SUBMODULES} submodules below the governance root, nested "
                f"ones counted (the last at {shown}): aimsctl reads at most "
                f"{_MAX_SUBMODULES}, so their records at that revision are not read"
            )
        STORES.setdefault(repo, set()).add(str((store / "objects").resolve()))
        try:
            output = run_git_objects(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
        except GitError:
            if not strict:
                continue
            raise NotPinned(
                f"the submodule at {shown} is pinned at commit {commit[:12]}, which its "
                f"repository ({printable(str(store))}) does not hold: run "
                "`git submodule update --init` and try again (for a commit older than "
                "the one checked out, fetch the submodule's history too: "
                f"`git -C {shown} fetch --unshallow`)"
            ) from None
        for line in split_z(output):
            meta, _tab, path = line.partition("\t")
            mode, _kind, oid = meta.split(" ")
            entries[f"{rel}/{path}"] = (mode, oid)
        if depth < _MAX_NESTING:
            add_submodules(
                repo, entries, rel, checkout / inner, store, depth + 1, warn, strict, read, missing
            )
            continue
        deeper = next(
            (
                path
                for path in sorted(entries)
                if path.startswith(f"{rel}/") and entries[path][0] == GITLINK_MODE
            ),
            None,
        )
        if warn and deeper is not None and (str(top), deeper) not in _WARNED:
            _WARNED.add((str(top), deeper))
            shown = printable((checkout / inner).relative_to(top).as_posix() + deeper[len(rel) :])
            notices.warn(
                f"the submodule at {shown} lies within more than {_MAX_NESTING} other "
                "submodules, so its files (and those of any submodule nested that deep) are "
                "not read at any revision"
            )
