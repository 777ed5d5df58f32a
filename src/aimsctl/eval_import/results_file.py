"""A results file read from disk: its size, its encoding, and the reader its suffix
calls for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from aimsctl import yamlsafe
from aimsctl.errors import UsageError
from aimsctl.eval_import.csv_results import parse_csv
from aimsctl.eval_import.json_results import parse_json
from aimsctl.eval_import.results import MAX_METRICS, Results

MAX_BYTES = yamlsafe.MAX_BYTES  # a results file larger than a record file is refused


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        info = os.stat(path)
    except OSError as error:
        raise UsageError(f"{shown}: cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{shown}: is not a file; give the results file (.csv or .json)")
    if info.st_size > MAX_BYTES:
        raise UsageError(
            f"{shown}: is larger than {MAX_BYTES // (1024 * 1024)} MiB; a results file holds "
            f"the measurements of one evaluation (at most {MAX_METRICS:,})"
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{shown}: cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{shown}: is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return raw


def _decode(raw: bytes, path: Path, shown: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = _not_text(path, shown) or "is not UTF-8 text; save it as UTF-8"
        raise UsageError(f"{shown}:{line}: {problem}") from None
    if "\x00" in text:  # UTF-16 without a byte-order mark, say
        line = text[: text.index("\x00")].count("\n") + 1
        problem = _not_text(path, shown) or "holds a NUL character: this is not a text file"
        raise UsageError(f"{shown}:{line}: {problem}")
    return text


def _not_text(path: Path, shown: str) -> str | None:
    """Where git writes the results file in another encoding on checkout, the attribute
    that does it (saving the file as UTF-8 would not last); None otherwise."""
    from aimsctl.loader import checkout_encoding_advice

    where = path.absolute()
    advice = checkout_encoding_advice(
        where.parent,
        where.name,
        shown=shown,
        read="results files are read",
        files=f"the {path.suffix.casefold()} files",
    )
    return None if advice is None else f"is not UTF-8 text: {advice}"


def read_results(path: Path, shown: str) -> Results:
    """The measurements of a results file, by its suffix (``.csv`` or ``.json``).
    UsageError listing every problem, each at its line."""
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".json"):
        # A folder (RESULTS and REPO swapped, or RESULTS left out) or a name without an
        # extension was told 'not none'.
        if path.is_dir():
            problem = "is a folder"
        elif not path.suffix:
            problem = "has no extension"
        else:
            problem = f"ends in {path.suffix}"
        raise UsageError(f"{shown}: {problem}; give a results file ending in .csv or .json")
    text = _decode(_read_bytes(path, shown), path, shown)
    return parse_csv(text, shown) if suffix == ".csv" else parse_json(text, shown)
