"""The validation cache: an unchanged repository is not checked twice.

A result is reused only when everything it depends on is the same: the aimsctl
version, the as-of date, aims.yaml, the bytes of every YAML file, and the list of
every other file (evidence paths must exist). It lives in the user's cache folder
(`$AIMSCTL_CACHE_DIR`, else `$XDG_CACHE_HOME/aimsctl`, else `~/.cache/aimsctl`),
never in the repository. Pickle is safe here because only aimsctl writes that
folder, as the same user; a damaged entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from datetime import date
from pathlib import Path

from aimsctl import __version__
from aimsctl.diagnostics import ValidationResult
from aimsctl.fileio import write_atomic
from aimsctl.loader import YAML_SUFFIXES, FileSource

_FORMAT = 1  # bump when the pickled shape changes


def cache_dir() -> Path:
    if configured := os.environ.get("AIMSCTL_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aimsctl"


def fingerprint(source: FileSource, as_of: date) -> str:
    """A digest of everything a validation result depends on."""
    digest = hashlib.blake2b(digest_size=32)
    digest.update(f"{_FORMAT}\0{__version__}\0{as_of.isoformat()}\0".encode())
    for rel in sorted(source.paths()):
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        if rel.endswith(YAML_SUFFIXES):
            raw, error = source.read(rel)
            content = raw if raw is not None else repr(error).encode()
            digest.update(hashlib.blake2b(content, digest_size=32).digest())
    return digest.hexdigest()


class ResultCache:
    """One cached validation result per repository folder."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=16).hexdigest()
        self.path = (folder or cache_dir()) / f"validate-{name}.pickle"

    def get(self, key: str) -> ValidationResult | None:
        try:
            with self.path.open("rb") as handle:
                stored_key, result = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return None
        if stored_key != key or not isinstance(result, ValidationResult):
            return None
        return result

    def put(self, key: str, result: ValidationResult) -> None:
        """Store a result; a cache that cannot be written is simply not used."""
        try:
            write_atomic(self.path, pickle.dumps((key, result), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return
