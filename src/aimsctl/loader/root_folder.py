"""Finding the repository's root, the folder holding aims.yaml, and what to say
when there is none."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from aimsctl.errors import ConfigError
from aimsctl.loader.names import CONFIG_FILE
from aimsctl.text import first_of, path_key, printable, words


def find_root(start: Path, as_paths: bool = False) -> Path:
    """The folder holding aims.yaml: ``start`` or its nearest parent. ``as_paths``: the
    command takes repositories' folders as paths (`fmt`), not as `--repo`, which the
    advice for a folder above some then names."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        name = config_name(folder)
        if name == CONFIG_FILE:
            return folder
        if name is not None:
            # Found on Windows and macOS only: stop here on every machine, with the
            # reason, rather than load it there and look further up on Linux.
            raise ConfigError(
                f"no {CONFIG_FILE} in this folder, only {printable(name)!r}, which differs "
                f"in letter case: Windows and macOS read it as {CONFIG_FILE}, git and a "
                f"Linux CI do not; rename it to {CONFIG_FILE}",
                printable(str(folder / name)),
                line=None,
            )
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
        # A path from the current folder, as the option will be read (the folder looked
        # in may be another: `aimsctl validate mono`), quoted as a shell reads it:
        # `--repo gov docs` would pass two arguments.
        if as_paths:
            folders = " ".join(
                printable(shlex.quote(_from_here(start / name))) for name in below[:_BELOW_SHOWN]
            )
            advice = f"below it, {held} one: name the repository folders instead ({folders})"
        else:
            option = printable(shlex.quote(_from_here(start / below[0])))
            advice = f"below it, {held} one: pass the repository's folder (`--repo {option}`)"
    else:
        advice = "pass the repository path or run `aimsctl init`"
    raise ConfigError(
        f"no {CONFIG_FILE} found in {shown} or any parent folder; {advice}", shown, line=None
    )


def config_name(folder: Path) -> str | None:
    """The name ``folder`` lists aims.yaml under: :data:`CONFIG_FILE` as written, else
    a file named so but for letter case or accent encoding (`AIMS.yaml`), which a file
    system that ignores them (Windows, macOS) opens as aims.yaml and git and Linux do
    not; None when there is neither. A folder that cannot be listed is left to the file
    system."""
    try:
        names = os.listdir(folder)
    except (OSError, ValueError):
        return CONFIG_FILE if (folder / CONFIG_FILE).is_file() else None
    if CONFIG_FILE in names and (folder / CONFIG_FILE).is_file():
        return CONFIG_FILE
    key = path_key(CONFIG_FILE)
    alike = sorted(n for n in names if path_key(n) == key and (folder / n).is_file())
    return alike[0] if alike else None


def _from_here(folder: Path) -> str:
    """``folder`` from the current folder when it lies below it, else in full."""
    try:
        return folder.relative_to(Path.cwd().resolve()).as_posix()
    except (OSError, ValueError):  # the current folder deleted, or not above it
        return str(folder)


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
            if config_name(start / sub) == CONFIG_FILE:
                found.append(sub)
            elif depth + 1 < _BELOW_DEPTH:
                pending.append((sub, depth + 1))
    return sorted(found)
