"""The names the loader gives files: aims.yaml, the YAML extensions, and a path as
printable text."""

from __future__ import annotations

CONFIG_FILE = "aims.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


def printable_path(rel: str) -> str:
    """A path as text that can be printed and written as UTF-8.

    A file name that is not valid UTF-8 arrives from the file system with its bad
    bytes as lone surrogates; each becomes its escape here (``\\xff``), as
    :func:`aimsctl.text.printable` shows it, so two names that differ only in such
    bytes are told apart in every output. A name that is UTF-8 is kept as it is.
    """
    shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return rel if shown == rel else shown  # not a second copy of every path a load keeps
