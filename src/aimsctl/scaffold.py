"""`aimsctl init`: a new governance repository that validates clean, or the example.

The starter repository has aims.yaml with every setting written out and
explained, the folder layout of the record contract, a Statement of
Applicability listing all Annex A controls ready to decide, one consistent
example system, risk and impact assessment, a first management system (the AI
policy, roles, an objective, a planned audit, a first review, a nonconformity),
and the files that run aimsctl in pre-commit and GitHub Actions. Its files are
Jinja templates shipped in the package, ``aimsctl/starter/<path>.j2``, laid out
like the repository they make.

Nothing is ever overwritten: :func:`create` checks every target first and writes
nothing when one exists, or when the folder lies inside another governance
repository. Nothing here prints.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2

from aimsctl import __version__
from aimsctl.catalog import annex_a_areas
from aimsctl.days import add_days
from aimsctl.errors import ScaffoldError

EXAMPLE_PACKAGE_DIR = "_example"  # inside the wheel: aimsctl/_example
DEFAULT_ORGANIZATION = "Example Organization"
CONTROL_OWNER = "ai-governance-lead"

# Files and folders of a source checkout that are never part of the example.
_SKIPPED = frozenset({"__pycache__", ".DS_Store"})


# --- the bundled example ------------------------------------------------------------


def example_root() -> Traversable:
    """The bundled example repository (Northwind Group).

    Installed from a wheel it is package data, ``aimsctl/_example``; in a source
    checkout (an editable install) it is the project's ``examples/northwind``.
    """
    packaged = resources.files("aimsctl").joinpath(EXAMPLE_PACKAGE_DIR)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "examples" / "northwind"
    if checkout.is_dir():
        return checkout
    raise ScaffoldError(
        "the bundled example is missing from this installation of aimsctl; reinstall it"
    )


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name in _SKIPPED:
            continue
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            yield from _walk(item, rel + "/")
        else:
            yield rel, item


def example_files() -> dict[str, bytes]:
    """Every file of the bundled example, by path relative to its root."""
    return {rel: item.read_bytes() for rel, item in _walk(example_root())}


# --- the starter repository ---------------------------------------------------------

STARTER_PACKAGE_DIR = "starter"  # the templates, inside the package: aimsctl/starter

# The files of a new repository, in the order they are listed. Each is rendered from
# the template at the same path plus ".j2" below aimsctl/starter; dot-files keep their
# leading dot there (the wheel ships them, which tests/test_scaffold.py checks).
STARTER_FILES = (
    "aims.yaml",
    "systems/SYS-EXAMPLE.yaml",
    "risks/R-EXAMPLE-1.yaml",
    "assessments/IA-EXAMPLE.yaml",
    "controls/annex-a.yaml",
    "policies/POL-AI.yaml",
    "roles/roles.yaml",
    "objectives/OBJ-SOA.yaml",
    "audits/AUD-FIRST.yaml",
    # No management review: one is a record of a meeting held, which init cannot know
    # of. The first falls due a cadence after `established` (`due`, AIMS617).
    "nonconformities/NC-SOA.yaml",
    "evidence/README.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/aimsctl.yml",
)
TEMPLATE_SUFFIX = ".j2"
# The GitHub Action (action.yml at the top of aimsctl's repository) the starter
# workflow uses, at the tag of the version that writes it: v<version>.
ACTION = "aimsctl/aimsctl"
# Days from `aimsctl init` to the first internal audit the starter plans, and to
# the due date of its example objective: both within the first cadence period.
FIRST_AUDIT_DAYS = 300
OBJECTIVE_DAYS = 365


@cache
def _starter_environment() -> jinja2.Environment:
    # The templates are aimsctl's own, so no sandbox; and they write YAML, Markdown
    # and shell, never HTML, so nothing is escaped. Whitespace is left as written.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("aimsctl", STARTER_PACKAGE_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def starter_files(
    today: date,
    organization: str = DEFAULT_ORGANIZATION,
    governance_path: str = "",
) -> dict[str, bytes]:
    """The files of a new governance repository, by path relative to its root.

    ``today`` dates the example impact assessment and is offered, as a comment, as
    the day the management system was established (only top management can say); the
    policy is a draft, claiming no approval. ``governance_path`` is
    where the repository lies below the top of an existing git work tree ("" at the
    top); the pre-commit and GitHub Actions files then name that folder.
    """
    variables = {
        # Quoted only where the name would read back as something else, as `aimsctl
        # fmt` writes it: any name reads back unchanged, whatever it holds.
        "organization_yaml": _yaml_scalar(organization),
        "today": today.isoformat(),
        # The first internal audit, planned within the first year, and the example
        # objective, due at its end.
        "first_audit": add_days(today, FIRST_AUDIT_DAYS).isoformat(),
        "objective_due": add_days(today, OBJECTIVE_DAYS).isoformat(),
        "version": __version__,
        "action": ACTION,
        "governance_path": governance_path,
        # The folder as pre-commit (which splits its entry as a shell does) and YAML
        # read it back, whatever its name holds: spaces, quotes, `#`, a line break.
        "hook_entry_yaml": _yaml_scalar(_hook_entry(governance_path)),
        "governance_yaml": (
            json.dumps(governance_path or ".", ensure_ascii=False)
            if governance_path.isprintable()
            else _yaml_scalar(governance_path)
        ),
        "governance_shown": (
            governance_path if governance_path.isprintable() else ascii(governance_path)
        ),
        "areas": annex_a_areas(),
        "control_owner": CONTROL_OWNER,
    }
    environment = _starter_environment()
    return {
        path: environment.get_template(path + TEMPLATE_SUFFIX).render(variables).encode("utf-8")
        for path in STARTER_FILES
    }


def starter_example(record_id: str, today: date) -> Any:
    """The data of one of the example records init writes (vocabulary.STARTER_EXAMPLES)
    in a repository made on ``today``, as the loader reads it back."""
    from aimsctl.loader import parse_file

    [rel] = [rel for rel in STARTER_FILES if rel.endswith(f"/{record_id}.yaml")]
    documents, _ = parse_file(rel, starter_files(today)[rel])
    return documents[0].data


def _hook_entry(governance_path: str) -> str:
    """The pre-commit hook's command: ``aimsctl validate --staged`` and the folder,
    quoted for the shell-like split pre-commit makes of it."""
    entry = "aimsctl validate --staged"
    return f"{entry} {shlex.quote(governance_path)}" if governance_path else entry


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML value in canonical form (see aimsctl.authoring.canonical)."""
    from aimsctl.writing import dump_all

    return dump_all([{"v": text}]).removeprefix("v: ").removesuffix("\n")


# --- writing ------------------------------------------------------------------------


def conflicts(target: Path, files: Mapping[str, bytes]) -> list[str]:
    """The paths (relative to ``target``) that exist already or cannot be created."""
    found: set[str] = set()
    for rel in files:
        path = target / rel
        if path.exists() or path.is_symlink():
            found.add(rel)
            continue
        parent = path.parent
        while parent != target and parent != parent.parent:
            if parent.exists() and not parent.is_dir():
                found.add(parent.relative_to(target).as_posix())
                break
            parent = parent.parent
    return sorted(found)


def enclosing_repository(target: Path) -> Path | None:
    """The governance repository ``target`` would lie inside: the nearest folder above
    it that holds aims.yaml (its records would be read as that repository's)."""
    from aimsctl.loader import CONFIG_FILE
    from aimsctl.loader.root_folder import config_name

    resolved = target.resolve()
    return next((f for f in resolved.parents if config_name(f) == CONFIG_FILE), None)


def create(target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` below ``target``, each whole or not at all, overwriting nothing
    (also a file that appears at a name after the check).

    Every target is checked before anything is written: when one exists,
    ScaffoldError lists them all and nothing is written; a symbolic link on the way
    to one is refused (UsageError), never written through. When writing fails part
    way, or the run is interrupted (Ctrl-C, SIGTERM), the files written so far and
    the folders made for them are removed again.
    """
    from aimsctl.fileio import create_exclusive

    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder")
    outer = enclosing_repository(target)
    if outer is not None:
        raise ScaffoldError(
            f"{target} lies inside the governance repository {outer} (it holds aims.yaml), "
            "which would read the new repository's files as its own records; nothing was "
            "written. Choose a folder outside it."
        )
    existing = conflicts(target, files)
    if existing:
        shown = ", ".join(existing[:20]) + (" …" if len(existing) > 20 else "")
        raise ScaffoldError(
            f"{target} already has {len(existing)} of the files to create ({shown}); "
            "nothing was written. Move them away, or choose an empty folder."
        )
    from aimsctl.writing import refuse_links

    for rel in sorted(files):
        # A linked folder (risks -> a shared folder) would take the file out of the
        # new repository, where its validate never reads it.
        refuse_links(target, rel)
    created_dirs = [d for d in _parents(target, files) if not d.exists()]
    written: list[Path] = []
    taken: Path | None = None
    try:
        for rel in sorted(files):
            path = target / rel
            written.append(path)  # first: an interrupt may come as the write returns
            try:
                # Never a replace: a file saved at the name since the check is kept.
                create_exclusive(path, files[rel])
            except FileExistsError:
                written.pop()  # someone else's, not to be removed below
                taken = path
                raise
    except BaseException as error:
        # A failed write, and as well Ctrl-C or SIGTERM part way: a folder left with
        # some of the files would be refused by the next `init` (they exist).
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        for folder in sorted(created_dirs, key=lambda d: len(d.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if taken is not None:
            raise ScaffoldError(
                f"{taken} appeared while init was writing; nothing was left "
                "behind, and that file is kept"
            ) from None
        if not isinstance(error, OSError):
            raise
        raise ScaffoldError(
            f"cannot write {target}: {error.strerror or error}; nothing was left behind"
        ) from None


def _parents(target: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Every folder the files need: ``target``, its ancestors and its subfolders."""
    folders = {target, *target.parents}
    for rel in files:
        parent = (target / rel).parent
        while parent != target and target in parent.parents:
            folders.add(parent)
            parent = parent.parent
    return sorted(folders)
