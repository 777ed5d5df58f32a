"""The git attributes aimsctl asks about (`git check-attr` only reads them)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from aimsctl.errors import GitDirMismatch, GitError, UntrustedRepository
from aimsctl.gitio.opening import may_be_in_git, open_repo
from aimsctl.gitio.prefix import root_prefix
from aimsctl.gitio.running import run_git


def checkout_encodings(root: Path, rels: Iterable[str]) -> dict[str, str]:
    """The encoding git writes each of the files ``rels`` (below ``root``) in when it
    checks them out (`working-tree-encoding` in .gitattributes), for those that have
    one other than UTF-8; git stores them as UTF-8. `git check-attr` reads attributes
    only: no program runs. Empty outside git, or where git cannot tell: this only
    words an error better."""
    wanted = sorted(set(rels))
    if not wanted or not may_be_in_git(root):
        return {}
    try:
        with open_repo(root) as repo:
            folder = f"{root_prefix(repo, root)}/".removeprefix("/")
            output = run_git(
                repo,
                "check-attr",
                "-z",
                "working-tree-encoding",
                "--",
                *(folder + rel for rel in wanted),
            )
    except (GitError, GitDirMismatch, UntrustedRepository):  # an error is being worded
        return {}
    fields = output.split("\0")
    found: dict[str, str] = {}
    for path, _name, value in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
        if value not in ("unspecified", "unset", "set") and value.upper().replace("-", "") != (
            "UTF8"
        ):
            found[path.removeprefix(folder)] = value
    return found
