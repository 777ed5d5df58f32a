"""Entries: the whole result's (one per repository folder) and the base of those
beside it, each a header and a JSON payload bound to its key by a keyed digest."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from pathlib import Path
from typing import Any

from aimsctl import __version__
from aimsctl.cache.cited import probe
from aimsctl.cache.hashing import PERSON, as_bytes
from aimsctl.cache.key import FORMAT, VERSION, code_state
from aimsctl.cache.storage import cache_dir, read_entry, supported, work_tree_top, write_entry
from aimsctl.diagnostics import Diagnostic, Severity, ValidationResult
from aimsctl.yamlsafe import PARSER

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
    "identity": (str,),
}
_SEVERITIES = {str(severity): severity for severity in Severity}


def _digest(key: str, payload: bytes) -> str:
    return hashlib.blake2b(
        payload, key=bytes.fromhex(key), person=PERSON, digest_size=32
    ).hexdigest()


def diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any]:
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
                "diagnostics": [diagnostic_data(d) for d in result.diagnostics],
                "waived": [diagnostic_data(d) for d in result.waived],
                "paths": result.paths,
                "unidentified": result.unidentified,
                "relaxed": result.relaxed,
                "excluded": result.excluded,
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


def decode_diagnostics(data: object) -> list[Diagnostic] | None:
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
    fields = (
        "repository",
        "records",
        "files",
        "diagnostics",
        "waived",
        "paths",
        "unidentified",
        "relaxed",
        "excluded",
    )
    if not isinstance(data, dict) or data.keys() != set(fields):
        return None
    diagnostics, waived = (
        decode_diagnostics(data["diagnostics"]),
        decode_diagnostics(data["waived"]),
    )
    repository, records, files, paths, unidentified, relaxed, excluded = (
        data[name] for name in fields[:3] + fields[5:]
    )
    if (
        diagnostics is None
        or waived is None
        or not isinstance(repository, str)
        or type(records) is not int
        or type(files) is not int
        or type(unidentified) is not int
        or type(excluded) is not int
        or not isinstance(paths, list)
        or not all(isinstance(path, str) for path in paths)
        or not isinstance(relaxed, list)
        or not all(isinstance(setting, str) for setting in relaxed)
    ):
        return None
    return ValidationResult(
        repository,
        records,
        files,
        diagnostics,
        waived,
        paths,
        unidentified=unidentified,
        relaxed=relaxed,
        excluded=excluded,
    )


class ResultCache:
    """One cached validation result per repository folder."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        self.root = root
        real_root = Path(os.path.realpath(root))
        folder = folder or cache_dir()
        name = hashlib.blake2b(as_bytes(str(real_root)), digest_size=16).hexdigest()
        # No cache: no folder, an unsupported system, or a folder inside the
        # repository or the git work tree holding it (where a pull request could
        # commit an entry, and where a new file shows in `git status`).
        self.path: Path | None = None
        if (
            folder is not None
            and supported()
            and not Path(os.path.realpath(folder)).is_relative_to(work_tree_top(real_root))
        ):
            self.path = folder / f"validate-{name}.json"

    def _read(self) -> bytes | None:
        return None if self.path is None else read_entry(self.path)

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
        write_entry(path, data)


REWRITE_SHARE = 100


def _side_key(format_: str, version: int, real_root: str) -> str:
    """The key of an entry beside the whole result: its format, aimsctl's version and
    code, the YAML library's and Python's versions, and the repository's real path."""
    digest = hashlib.blake2b(digest_size=32, person=PERSON)
    digest.update(f"{format_}\0{version}\0{__version__}\0".encode())
    digest.update(code_state().encode() + b"\0")
    digest.update(f"{PARSER}\0{sys.version}\0".encode())
    digest.update(as_bytes(real_root) + b"\0")
    return digest.hexdigest()


class SideEntry:
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
            data = None if self.path is None else read_entry(self.path)
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
            write_entry(self.path, data)
        except OSError:
            return


def _worth_rewriting(old: dict[str, Any], kept: dict[str, Any], added: int) -> bool:
    """Whether an entry is written again: when enough items were added or dropped
    out (see REWRITE_SHARE); one that spares a later run all but a few stays."""
    stale = added + len(old.keys() - kept.keys())
    return stale > 0 and not (old and stale * REWRITE_SHARE < len(kept))
