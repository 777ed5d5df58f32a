"""Files git writes in another encoding than UTF-8 on checkout
(`working-tree-encoding`): the advice that names the attribute."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from aimsctl import codes, yamlsafe
from aimsctl.diagnostics import Diagnostic
from aimsctl.errors import ConfigError
from aimsctl.loader.names import CONFIG_FILE


def _checkout_encoding(
    rel: str, encoding: str, read: str = "records are read", files: str = "the YAML files"
) -> str:
    return (
        f"git checks this file out as {encoding} (`working-tree-encoding={encoding}` in "
        f".gitattributes), and {read} as UTF-8: remove that attribute for {files} and "
        "stage .gitattributes (`git add .gitattributes`), then check them out again "
        f"(`git checkout -- {rel}`)"
    )


def checkout_encoding_advice(
    folder: Path, rel: str, *, shown: str, read: str, files: str
) -> str | None:
    """Why the file ``rel`` below ``folder`` is not UTF-8, where git writes it in another
    encoding on checkout (`working-tree-encoding` in .gitattributes), in the words a
    record gets (:func:`explain_checkout_encodings`): "save it as UTF-8" would be undone
    by the next checkout. ``shown`` is the file as the user names it, ``read`` says what
    reads it ("observations are read"), ``files`` which files the attribute should leave
    alone ("the CSV files"). None where git does not convert it, or cannot tell. For
    a file already found not to be UTF-8 text: this asks git."""
    from aimsctl.gitio import checkout_encodings

    encoding = checkout_encodings(folder, [rel]).get(rel)
    return None if encoding is None else _checkout_encoding(shown, encoding, read, files)


def explain_checkout_encodings(root: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` of the working tree, where a file that is not UTF-8 is so
    because git writes it in another encoding on checkout (`working-tree-encoding`):
    then "save it as UTF-8" would be undone by the next checkout, and the message
    names the attribute instead. Asks git only when some file was not text."""
    unreadable = [d.path for d in diagnostics if d.code == codes.ENCODING]
    if not unreadable:
        return diagnostics
    from aimsctl.gitio import checkout_encodings

    found = checkout_encodings(root, unreadable)
    return [
        replace(d, message=_checkout_encoding(d.path, found[d.path]))
        if d.code == codes.ENCODING and d.path in found
        else d
        for d in diagnostics
    ]


def config_encoding_error(root: Path, raw: bytes, error: ConfigError) -> ConfigError:
    """``error``, met parsing the work tree's aims.yaml, worded as
    :func:`explain_checkout_encodings` words a record's when git writes the file in
    another encoding than UTF-8."""
    if yamlsafe.decode(raw)[0] is not None:
        return error
    from aimsctl.gitio import checkout_encodings

    encoding = checkout_encodings(root, [CONFIG_FILE]).get(CONFIG_FILE)
    if encoding is None:
        return error
    return ConfigError(
        _checkout_encoding(CONFIG_FILE, encoding), error.path, error.line, error.column
    )
