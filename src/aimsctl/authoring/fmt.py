"""`aimsctl fmt`: which files to format, what formatting each would change, and the
writing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aimsctl.authoring.canonical import FormatError, canonical
from aimsctl.errors import AimsctlError, ConfigError, UsageError
from aimsctl.writing import Change, WriteRefused, commit, read_text, refuse_links


@dataclass(frozen=True, slots=True)
class Target:
    """One file to format: where it is, how to show it, and whether it is aims.yaml."""

    path: Path
    shown: str
    config: bool
    root: Path | None = None  # the repository: no symbolic link on the way from it


def _no_links(target: Target) -> None:
    """UsageError when ``target`` is a symbolic link, or reached through a linked
    folder below its repository: formatting would replace the link with a copy of
    the file it leads to (one outside the repository, or a record read twice)."""
    absolute = Path(os.path.abspath(target.path))
    top = Path(os.path.abspath(target.root)) if target.root is not None else None
    if top is not None and absolute.is_relative_to(top):
        refuse_links(top, absolute.relative_to(top).as_posix())
    else:
        refuse_links(absolute.parent, absolute.name)


@dataclass
class Outcome:
    changes: list[Change] = field(default_factory=list)  # files that would change
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # files that cannot be formatted
    shown: dict[Path, str] = field(default_factory=dict)

    def exit_code(self, check: bool) -> int:
        """2 when a file cannot be formatted; with --check, 1 when one would change."""
        if self.problems:
            return 2
        return 1 if check and self.changes else 0


def apply(outcome: Outcome, written: Callable[[str], object]) -> int:
    """Write each change, calling ``written`` with the file as shown once it is (so a
    run stopped half way has said what it wrote); a file that cannot be written joins
    the problems. How many were written."""
    count = 0
    for change in outcome.changes:
        try:
            commit(change)
        except AimsctlError as error:
            outcome.problems.append(str(error))
            continue
        count += 1
        written(outcome.shown[change.path])
    return count


def shown_path(path: Path) -> str:
    """The path relative to the current folder when it lies below it, else absolute."""
    try:
        relative = os.path.relpath(path, Path.cwd())
    except (ValueError, OSError):  # another drive; the current folder deleted
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _repository_files(root: Path) -> list[Target]:
    from aimsctl.config import load_config
    from aimsctl.loader import CONFIG_FILE, record_paths

    config = load_config(root)
    rels = [CONFIG_FILE, *record_paths(root, config.exclude)]
    return [Target(root / rel, shown_path(root / rel), rel == CONFIG_FILE, root) for rel in rels]


def _root_of(path: Path) -> Path | None:
    """The nearest folder above ``path`` whose listing holds aims.yaml as written (an
    `AIMS.yaml` only Windows and macOS open as one is none, as on Linux)."""
    from aimsctl.loader import CONFIG_FILE
    from aimsctl.loader.root_folder import config_name

    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        if config_name(candidate) == CONFIG_FILE:
            return candidate
    return None


def targets(paths: Iterable[Path], root: Path | None) -> list[Target]:
    """The files to format: the whole repository without ``paths``; else each file
    named (a record file or aims.yaml of a governance repository; anything else, such
    as a workflow file or YAML outside a governance repository, is left alone) and
    the record files below each folder named (ConfigError for a folder that no
    governance repository holds)."""
    from aimsctl.config import load_config
    from aimsctl.loader import CONFIG_FILE, find_root, is_excluded, record_paths

    named = list(paths)
    if not named:
        if root is None:
            raise UsageError("no governance repository here (no aims.yaml); name one")
        return _repository_files(root)
    found: dict[Path, Target] = {}
    for path in named:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder")
        # A linked file is judged where it stands, not where it leads (plan refuses it).
        linked_file = path.is_symlink() and not path.is_dir()
        located = path.parent.resolve() / path.name if linked_file else path.resolve()
        owner = root if root is not None and _inside(located, root) else _root_of(located)
        if owner is None:
            if path.is_dir():
                # A folder no governance repository holds (the top of a monorepo, say)
                # has no record to check: refused, naming the repositories below it,
                # so that `fmt --check .` there cannot pass having checked nothing.
                find_root(located, as_paths=True)
            continue
        try:
            config = load_config(owner)
        except ConfigError:
            if path.is_file() and path.resolve() == (owner / CONFIG_FILE).resolve():
                found[_key(path)] = Target(path, shown_path(path), True, owner)
                continue
            raise
        if path.is_dir():
            below = path.resolve().relative_to(owner.resolve()).as_posix()
            prefix = "" if below == "." else below + "/"
            rels = [rel for rel in record_paths(owner, config.exclude) if rel.startswith(prefix)]
            if prefix == "":
                rels.insert(0, CONFIG_FILE)
            for rel in rels:
                full = owner / rel
                target = Target(full, shown_path(full), rel == CONFIG_FILE, owner)
                found.setdefault(_key(full), target)
            continue
        rel = located.relative_to(owner.resolve()).as_posix()
        if rel == CONFIG_FILE:
            found[_key(path)] = Target(path, shown_path(path), True, owner)
            continue
        hidden = rel.startswith(".") or "/." in rel
        if not rel.endswith((".yaml", ".yml")) or hidden or is_excluded(rel, config.exclude):
            continue
        found[_key(path)] = Target(path, shown_path(path), False, owner)
    return sorted(found.values(), key=lambda t: t.shown)


def _key(path: Path) -> Path:
    """The file ``path`` names, once however it is named; a link is its own (refused)."""
    return Path(os.path.abspath(path)) if path.is_symlink() else path.resolve()


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def plan(files: list[Target]) -> Outcome:
    """What formatting would change in each file (nothing is written)."""
    outcome = Outcome()
    for target in files:
        try:
            _no_links(target)
            raw, text = read_text(target.path, target.shown)
            new = canonical(text, target.shown, target.config)
        except (FormatError, UsageError, WriteRefused) as error:  # each names the file
            outcome.problems.append(str(error))
            continue
        except Exception as error:
            outcome.problems.append(f"{target.shown}: {error}")
            continue
        change = Change(target.path, raw, new)
        if change.changed:
            outcome.changes.append(change)
            outcome.shown[target.path] = target.shown
        else:
            outcome.unchanged += 1
    return outcome
