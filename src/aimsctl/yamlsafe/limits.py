"""How much one file, one document and one run may hold: the limits that keep
reading untrusted YAML bounded in time and memory."""

from __future__ import annotations

MAX_DEPTH = 64
MAX_NODES = 200_000  # per document, aliases expanded: a "billion laughs" stops here
MAX_BYTES = 8 * 1024 * 1024
MAX_DOCUMENTS = 10_000  # per file: each document costs a fixed overhead to read and check
# Budgets of values read, counted with aliases expanded, so that reading stays
# bounded however the documents of a file and the files of a run are arranged
# (10,000 documents of aliases, each just under MAX_NODES, took 19 minutes). A
# value costs up to 5 microseconds to scan, compose and walk (a field name beside
# it included), so a file's budget is read in under 3 seconds. No honest input comes
# near: the 50,000 records of benchmarks/ hold 36 values each, one per 20 bytes,
# so even 8 MiB of such records is 420,000 values, and all of them 1.8 million.
MAX_FILE_VALUES = 500_000  # per file, all its documents
MAX_RUN_VALUES = 5_000_000  # per run, all its files (a file parsed once counts once)
# Per run, the values reached through an alias (they count in the two above too).
# An anchor serves only its own document, so a record repeats a few values at most.
MAX_ALIAS_VALUES = 250_000
MAX_NUMBER_DIGITS = 500  # an integer longer than this is refused, not converted

TOO_DEEP = (
    f"nesting deeper than {MAX_DEPTH} levels is not allowed; records need only a few "
    "levels, so write the values out plainly"
)
