"""The built-in report templates, compiled once and kept beside them.

Jinja compiles a template on its first use in a process: it parses it, writes it
out as Python and compiles that. For the HTML reports this took about 0.2 s of
every `report` run, a third of `report all` on the bundled example. Python keeps
the bytecode of aimsctl's modules in ``__pycache__`` folders so that it compiles
them once; the built-in templates' compiled code is kept the same way, in
``aimsctl/templates/__pycache__``.

Compiled code is code, so it is kept only where aimsctl's own code lives, and is
trusted exactly as much as that code: nothing in a governance repository, in the
cache folder of `validate` (which may lie inside the repository) or anywhere else
is ever loaded as code. A repository's own templates are never kept (the renderer
uses this cache only when there are none). As with Python's bytecode, nothing is
written when ``PYTHONDONTWRITEBYTECODE`` (or ``-B``) asks for that, or where the
folder cannot be written (an installation owned by someone else); the template is
then compiled on each run, as before.

An entry is used only if it was compiled from the same template text, at the same
path, by the same Jinja, Python and aimsctl code (:func:`aimsctl.cache.key.code_state`:
in a development checkout an edited environment setting is a new aimsctl); anything
else, a damaged file included, is compiled again and the entry replaced.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import types
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from aimsctl import __version__
from aimsctl.cache.key import code_state
from aimsctl.fileio import write_atomic

# The folder Python itself keeps compiled code in: the cache key of `validate`
# (code_state) leaves ``__pycache__`` folders out, as they follow from the sources.
FOLDER_NAME = "__pycache__"
_SUFFIX = ".jinja"
# An entry: this line, the checksum (hexadecimal) and a newline, then the marshalled
# code. Not Jinja's own form, which reads the checksum with pickle.
_MAGIC = b"aimsctl compiled template 1\n"


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache over one folder, one file per template, written whole
    (:func:`aimsctl.fileio.write_atomic`) so that runs in parallel never read half a one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        salt = "\0".join((jinja2.__version__, sys.version, __version__, code_state()))
        self._salt = salt.encode("utf-8", "surrogatepass") + b"\0"

    def get_source_checksum(self, source: str) -> str:
        # Jinja checks an entry by its source's checksum: the salt makes the checksum
        # change with anything else the compiled code depends on.
        text = source.encode("utf-8", "surrogatepass")
        return hashlib.sha256(self._salt + text).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}{_SUFFIX}"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._path(bucket), "rb") as file:
                data = file.read()
        except OSError:
            return
        head = _MAGIC + bucket.checksum.encode("ascii") + b"\n"
        if not data.startswith(head):
            return  # another template text, Jinja, Python or aimsctl: compiled again
        try:
            code = marshal.loads(data[len(head) :])
        except (ValueError, EOFError, TypeError):
            return  # damaged: compiled again
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if sys.dont_write_bytecode or bucket.code is None:
            return
        data = _MAGIC + bucket.checksum.encode("ascii") + b"\n" + marshal.dumps(bucket.code)
        try:
            # Whole or not at all, also when the render's CPU-time limit or a Ctrl-C
            # stops it midway (no temporary file left behind).
            write_atomic(self._path(bucket), data, replace_read_only=True)
        except OSError:
            return  # a folder this user cannot write, a full disk: compiled on each run
