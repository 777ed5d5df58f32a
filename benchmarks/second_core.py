"""Does a second core pay for parsing? The record files of a repository parsed in
one process, then by two worker processes (the parsed data sent back, as a parallel
validation would need).

    python benchmarks/second_core.py PATH    # e.g. a repository from generate.py
"""

from __future__ import annotations

import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from aimsctl.diagnostics import Diagnostic
from aimsctl.loader import WorkingTree, parse_file, record_paths

CHUNK = 64  # files per task


Parsed = tuple[list[tuple[int, Any, int, int]], list[Diagnostic]]


def _parse(chunk: list[tuple[str, bytes]]) -> list[Parsed]:
    """Each file's documents as plain data (what a worker would send back)."""
    out: list[Parsed] = []
    for rel, raw in chunk:
        documents, problems = parse_file(rel, raw)
        out.append(([(d.index, d.data, d.line, d.column) for d in documents], problems))
    return out


def main() -> int:
    root = Path(sys.argv[1])
    tree = WorkingTree(root)
    files = [(rel, tree.read(rel)[0] or b"") for rel in record_paths(root, [])]
    started = time.perf_counter()
    parsed = _parse(files)
    serial = time.perf_counter() - started
    started = time.perf_counter()
    chunks = [files[n : n + CHUNK] for n in range(0, len(files), CHUNK)]
    with ProcessPoolExecutor(2) as pool:
        together = [item for part in pool.map(_parse, chunks) for item in part]
    two = time.perf_counter() - started
    assert len(together) == len(parsed)
    started = time.perf_counter()
    pickle.loads(pickle.dumps(parsed))
    sent = time.perf_counter() - started
    print(
        f"{len(files):,} files: one process {serial:.2f} s, two worker processes {two:.2f} s "
        f"({serial / two:.2f}x); pickling the parsed data there and back {sent:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
