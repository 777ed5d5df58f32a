"""The Jinja environment for reports: strict, bounded, with sandboxed repository overrides.

Templates ship inside the package (``aimsctl/templates/html/*.html.j2`` and
``templates/md/*.md.j2``). A repository may shadow any of them: ``templates:
report-templates`` in aims.yaml names a folder below the repository root whose
files take precedence (``report-templates/html/soa.html.j2`` replaces the
built-in ``html/soa.html.j2``). Override templates are read from the same place
as the records (the working tree, or a git revision with ``--at``).

A template is written by whoever can change the repository (a pull request), and
reports are published (CI artifacts), so what an override can read is confined
to the templates folder:

- the folder is never the repository root and never hidden: no part of its path
  starts with ``.`` (``.``, ``./``, ``.git``, ``.github/x`` are refused);
- no part of a template name starts with ``.`` (``.env``, ``.git/config``, ``md/.x``),
  is ``..``, or is absolute, and it holds no backslash or control character;
- in the working tree, nothing on the way from the repository root to the file
  (the folder, its subfolders, the file) may be a symbolic link: each part is
  checked with ``lstat`` and opened relative to the one before with
  ``O_NOFOLLOW``, so a link swapped in after the check is not followed either;
  the file must be a regular file of at most :data:`MAX_TEMPLATE_BYTES`;
- from a git tree (``--at``) a name is an exact path below the folder; a committed
  symbolic link (mode 120000) on the way, the folder's included, is refused as in
  the working tree, never followed nor skipped for the built-in template.

A refused template is a :class:`ReportError` naming it and why, never a silent
fallback to the built-in one.

Every template runs with ``StrictUndefined``: a misspelt variable fails the render
instead of leaving an empty cell. When the repository names a templates folder,
every template (its own and the built-in ones, which may include or import its
overrides) runs in Jinja's sandbox. Without one only the built-in templates, our
own code, are rendered: they run unsandboxed, in an environment otherwise the same
(:class:`BuiltInEnvironment`), which renders a large report in half the time. HTML
templates are autoescaped; Markdown templates escape record text with the ``md``
filter. Each render is bounded: at most :data:`MAX_OUTPUT_BYTES` of output and
:data:`MAX_RENDER_SECONDS` of CPU time (where ``signal.setitimer`` exists and the
render runs in the main thread). Problems become :class:`ReportError`,
naming the template file and line.
"""

from __future__ import annotations

import errno
import functools
import os
import posixpath
import re
import signal
import stat
import threading
import time
import types
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from aimsctl.errors import ReportError
from aimsctl.links import first_link
from aimsctl.reports.compiled import FOLDER_NAME, CompiledTemplates
from aimsctl.text import (
    NAME_CONTROLS,
    Markdown,
    css_string,
    html_id,
    markdown_html,
    md_href,
    md_text,
    printable,
    shown_as_is,
)

if TYPE_CHECKING:
    from aimsctl.loader import FileSource

PACKAGE = "aimsctl"
TEMPLATE_FOLDER = "templates"
# Where the built-in templates' compiled code is kept (aimsctl.reports.compiled).
COMPILED_FOLDER = Path(__file__).resolve().parent.parent / TEMPLATE_FOLDER / FOLDER_NAME

# Limits of one render. The largest honest report, `systems.html` of a 50,000-record
# repository (benchmarks/generate.py), is 53 MiB and takes about 7 seconds of CPU
# time; the limits leave room for repositories several times that size on slower
# machines. Time is CPU time, so a busy machine does not stop an honest render.
MAX_OUTPUT_BYTES = 256 * 1024 * 1024
MAX_RENDER_SECONDS = 120.0
# The largest built-in template is under 7 KB.
MAX_TEMPLATE_BYTES = 1024 * 1024
# Output is measured this many chunks at a time, so a render is stopped at most this
# many chunks past MAX_OUTPUT_BYTES (and never returned when over it).
_BLOCK_CHUNKS = 64

T = TypeVar("T")


class TemplateRefused(ReportError):
    """An override template that may not be read: outside the folder, hidden or a link."""


def _refused(name: str, why: str) -> TemplateRefused:
    return TemplateRefused(f"report template {name!r} refused: {why}")


def template_parts(name: str) -> list[str]:
    """The parts of a template name, or TemplateRefused saying why it may not be read."""
    if NAME_CONTROLS.search(name) or "\\" in name:
        raise _refused(name, "a template name holds no backslash or control character")
    if name.startswith("/"):
        raise _refused(name, "absolute names are not allowed; name templates as in md/soa.md.j2")
    parts = [part for part in name.split("/") if part]
    if not parts:
        raise _refused(name, "the name is empty")
    if ".." in parts:
        raise _refused(name, "'..' would leave the templates folder")
    hidden = next((part for part in parts if part.startswith(".")), None)
    if hidden is not None:
        raise _refused(
            name,
            f"{hidden!r} starts with '.': hidden files and folders (such as .env or .git) "
            "are never read as templates",
        )
    return parts


_DIR_FD = (
    os.open in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _not_a_link(shown: str) -> str:
    return (
        f"{shown} is a symbolic link; templates are read only from real files and folders "
        "inside the templates folder, so that a link cannot bring in a file from elsewhere"
    )


def _check_part(info: os.stat_result, shown: str, last: bool) -> bool:
    """Whether the walk goes on (False: no such template); refuses links and non-files."""
    if stat.S_ISLNK(info.st_mode):
        raise ReportError(_not_a_link(shown))
    if not last:
        return stat.S_ISDIR(info.st_mode)
    if not stat.S_ISREG(info.st_mode):
        raise ReportError(f"{shown} is not a regular file (a folder, pipe or device)")
    return True


def _read_limited(handle: Any, shown: str, limit: int) -> bytes:
    data: bytes = handle.read(limit + 1)
    if len(data) > limit:
        raise ReportError(f"{shown} is larger than {limit // 1024} KiB, the limit for a template")
    return data


def read_below(root: Path, parts: list[str], limit: int = MAX_TEMPLATE_BYTES) -> bytes | None:
    """The bytes of the file ``root/parts...``, None when there is none.

    Raises ReportError (naming the repository path) when a part below ``root`` is a
    symbolic link, when the file is not a regular file or larger than ``limit``, or
    when it cannot be read. Where the system allows, each part is opened relative to
    the folder before it, without following links, so the check cannot be raced.
    """
    if not _DIR_FD:
        return _read_below_by_path(root, parts, limit)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            shown = "/".join(parts[: index + 1])
            try:
                info = os.stat(part, dir_fd=fd, follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):
                return None
            if not _check_part(info, shown, last):
                return None
            kind = os.O_NONBLOCK if last else os.O_DIRECTORY
            try:
                opened = os.open(part, os.O_RDONLY | os.O_NOFOLLOW | _CLOEXEC | kind, dir_fd=fd)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR):
                    raise ReportError(_not_a_link(shown)) from None
                raise
            os.close(fd)
            fd = opened
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the check
            raise ReportError(f"{'/'.join(parts)} is not a regular file")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return _read_limited(handle, "/".join(parts), limit)
    finally:
        if fd >= 0:
            os.close(fd)


def _read_below_by_path(root: Path, parts: list[str], limit: int) -> bytes | None:
    """:func:`read_below` where there is no ``dir_fd`` (Windows): lstat each part."""
    for index in range(len(parts)):
        shown = "/".join(parts[: index + 1])
        try:
            info = os.lstat(root.joinpath(*parts[: index + 1]))
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not _check_part(info, shown, index == len(parts) - 1):
            return None
    with root.joinpath(*parts).open("rb") as handle:
        return _read_limited(handle, "/".join(parts), limit)


class RepositoryTemplates(jinja2.BaseLoader):
    """Templates from a folder of the governance repository, read through its file source.

    Every name is checked (:func:`template_parts`) before anything is read, and a
    working tree is read without following symbolic links (:func:`read_below`).
    """

    def __init__(self, source: FileSource, folder: str) -> None:
        self.source = source
        self.folder = folder
        self.filenames: set[str] = set()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = template_parts(template)
        rel = posixpath.join(self.folder, *parts)
        raw = self._read(template, rel)
        if raw is None:
            raise jinja2.TemplateNotFound(template)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ReportError(
                f"report template {rel}: not UTF-8 text (byte 0x{raw[error.start]:02x} at "
                f"offset {error.start}); save it as UTF-8"
            ) from None
        self.filenames.add(rel)
        return text, rel, lambda: True

    def _read(self, template: str, rel: str) -> bytes | None:
        from aimsctl.loader import WorkingTree

        if isinstance(self.source, WorkingTree):
            try:
                return read_below(self.source.root, rel.split("/"))
            except ReportError as error:
                raise _refused(template, str(error)) from None
            except OSError as error:
                why = error.strerror or str(error)
                raise ReportError(f"report template {rel}: cannot be read: {why}") from None
        from aimsctl.loader import FileTree

        # A committed link is refused as the working tree refuses it: never followed,
        # and never a silent fall back to the built-in template.
        linked = first_link(rel, self.source.links) if isinstance(self.source, FileTree) else None
        if linked is not None:
            raise _refused(template, _not_a_link(linked))
        if not self.source.exists(rel):
            return None
        raw, problem = self.source.read(rel)
        if raw is None:
            why = problem.message if problem is not None else "it cannot be read"
            raise ReportError(f"report template {rel}: {why}")
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise _refused(
                template,
                f"{rel} is larger than {MAX_TEMPLATE_BYTES // 1024} KiB, the limit for a template",
            )
        return raw


def override_folder(folder: str) -> str:
    """The `templates:` folder of aims.yaml, checked to be a visible folder below the
    root (:func:`aimsctl.config.templates_folder`, which validate applies too)."""
    from aimsctl.config import templates_folder

    try:
        return templates_folder(folder)
    except ValueError as error:
        raise ReportError(f"aims.yaml: templates: {error}") from None


def _check_folder(source: FileSource, folder: str) -> None:
    """ReportError unless ``folder`` is a real folder of the repository (no link on the way)."""
    from aimsctl.loader import FileTree, WorkingTree

    missing = ReportError(
        f"aims.yaml: templates: {folder!r} names no folder in the repository; "
        "create it or remove the setting"
    )
    if not isinstance(source, WorkingTree):
        # A folder of the revision's own files: never one reached through a link.
        linked = first_link(folder, source.links) if isinstance(source, FileTree) else None
        if linked is not None:
            raise ReportError(f"aims.yaml: templates: {folder!r} refused: {_not_a_link(linked)}")
        inside = folder + "/"
        if not any(path.startswith(inside) for path in source.paths()):
            raise missing
        return
    path = source.root
    for part in folder.split("/"):
        path = path / part
        try:
            info = os.lstat(path)
        except (OSError, ValueError):
            raise missing from None
        if stat.S_ISLNK(info.st_mode):
            shown = path.relative_to(source.root).as_posix()
            raise ReportError(f"aims.yaml: templates: {folder!r} refused: {_not_a_link(shown)}")
        if not stat.S_ISDIR(info.st_mode):
            raise missing


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html", ".svg.j2"))


def _html_text(value: Any) -> Any:
    """A value an HTML template writes, before it is escaped: control characters
    (which HTML forbids, and NUL a browser drops), bidirectional controls and
    invisible characters written as escapes, as ``md`` does in Markdown; line breaks
    and tabs stay. Anything but plain text (numbers, Markup) as it is."""
    if type(value) is str and not shown_as_is(value):
        return printable(value, keep="\t\n\r")
    return value


@jinja2.pass_eval_context
def _finalize(eval_context: jinja2.nodes.EvalContext, value: Any) -> Any:
    """Each value a template writes where :func:`_shown_html` does not: Markdown
    templates (as it is) and HTML written where autoescape is switched at run time
    (:func:`_html_text`)."""
    # Printable ASCII text is settled here, without the look-up of autoescape.
    if type(value) is not str or (value.isascii() and value.isprintable()):
        return value
    return _html_text(value) if eval_context.autoescape else value


# The characters markupsafe's escape() replaces, and the only ones: text without any
# of them is its own escape (a test holds this against markupsafe for every ASCII
# character).
_HTML_SPECIAL = re.compile("[&<>\"']")


def _shown_html(value: Any) -> Any:
    """What an HTML template writes for ``{{ value }}``: ``escape(_html_text(value))``
    in one call (:class:`_OneCallOutput`). A large report writes a million values,
    nearly all printable ASCII text without a character to escape: for those the
    value itself is the answer, without the two calls and the Markup built around it
    (`risks.html` of 10,000 records: 0.40-0.42 s of CPU time before, 0.32-0.36 s
    after). Anything else goes the whole way, through markupsafe."""
    if type(value) is str and value.isascii() and value.isprintable():
        return escape(value) if _HTML_SPECIAL.search(value) else value
    if type(value) is int:  # a count or a score: digits, nothing to escape
        return str(value)
    return escape(_html_text(value))


class _OneCallOutput(CodeGenerator):
    """Jinja's code generator, except that in an autoescaped template each ``{{ value }}``
    compiles to one call, ``environment.shown_html(value)``, instead of
    ``escape(environment.finalize(context.eval_ctx, value))``: the same text out.
    Markdown templates, and a template that switches autoescape at run time, compile
    as Jinja compiles them. (The piece's type does not matter: every piece a template
    writes is joined into the text of its block, macro or page.)"""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.shown_html(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """In the sandbox, ``a ~ b`` compiles to ``environment.bounded_concat(join, (a, b))``,
        which measures the pieces before joining them (:meth:`LimitedSandbox.bounded_concat`)."""
        if not isinstance(self.environment, LimitedSandbox):
            super().visit_Concat(node, frame)
            return
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.bounded_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """``name.key`` on a plain dict compiles to the key taken in place, as
        :meth:`KeysFirst.getattr` takes it, without the call; anything else (not a
        dict, no such key, a name not set) to the call, which does the rest:
        ``(l_1_r['id'] if type(l_1_r) is dict and 'id' in l_1_r else
        environment.getattr(<r>, 'id'))``. Only on a variable, which the test reads
        without side effects; an expression (``r.a.b``'s ``r.a``) is the call's.

        Why: `row.key` is the most frequent operation of a large report, a Python call
        each (600,000 in `systems.html` of 10,000 records)."""
        if self.environment.is_async or not isinstance(node.node, nodes.Name):
            super().visit_Getattr(node, frame)
            return
        ref = frame.symbols.ref(node.node.name)
        key = repr(node.attr)
        self.write(f"({ref}[{key}] if type({ref}) is dict and {key} in {ref} else ")
        self.write("environment.getattr(")
        self.visit(node.node, frame)
        self.write(f", {key}))")


# What one template expression may build: enough for any report, far below what
# would exhaust memory or stall the run (`'x' * 10**9`, `10 ** 10 ** 10`, eight joins
# of eight copies of a long string).
MAX_REPEAT = 1_000_000
MAX_POWER_BITS = 4_096
MAX_VALUE = 16 * 1024 * 1024  # characters of one string, or items of one list, built


class KeysFirst(jinja2.Environment):
    """Jinja's environment, in which `row.id` on a dict is its key `id` even where a
    dict method has that name (`row.values`): report contexts are plain dicts; each
    value an HTML template writes is finalized and escaped in one call
    (:class:`_OneCallOutput`)."""

    code_generator_class = _OneCallOutput
    # An attribute of the instance's class, not a method: no bound method is made for
    # each of the million values a large report writes.
    shown_html = staticmethod(_shown_html)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Taking keys directly also skips Jinja's attribute probing (and, in the
        # sandbox, its checks), the most frequent operation of a large report;
        # anything else gets the full lookup (and checks).
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


class BuiltInEnvironment(KeysFirst):
    """The environment of the built-in templates when the repository has none of its
    own: they are our code, so they run without the sandbox's checks on every
    attribute and call. Escaping is Jinja's own (markupsafe), as in the sandbox."""


def _too_long(size: int) -> None:
    if size > MAX_VALUE:
        raise SecurityError(
            f"building a value of more than {MAX_VALUE:,} characters or items is not allowed"
        )


def _size(value: Any) -> int:
    """A value's length as text: a string's or a list's own; anything else as printed."""
    return len(value) if isinstance(value, str | list | tuple) else len(str(value))


# The filters that can make a value much longer than their input, and the check each
# gets before it runs (:func:`_bounded`).
_GROWING_FILTERS = ("join", "replace", "center", "indent", "wordwrap", "truncate", "format")


def _check_filter(name: str, value: Any, given: list[Any]) -> None:
    """Refuse what ``name`` would build from ``value`` and its arguments past
    :data:`MAX_VALUE`, measured before it is built."""
    if name == "join" and isinstance(value, list | tuple | str):
        sep = max((len(a) for a in given if isinstance(a, str)), default=0)
        _too_long(sum(_size(item) for item in value) + sep * len(value))
    elif name == "replace" and isinstance(value, str) and len(given) >= 2:
        old, new = str(given[0]), str(given[1])
        grows = max(len(new) - len(old), 0)
        _too_long(len(value) + (value.count(old) if old else len(value) + 1) * grows)
    else:
        # A width (padded on every line), or what is formatted in.
        numbers = [a for a in given if isinstance(a, int) and not isinstance(a, bool)]
        lines = value.count("\n") + 1 if isinstance(value, str) else 1
        _too_long(_size(value) + max(numbers, default=0) * lines + sum(_size(a) for a in given))


def _bounded(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` (a Jinja filter), checked by :func:`_check_filter` first. The copy
    keeps what Jinja reads of the filter (whether it is passed the eval context)."""
    passed = getattr(original, "jinja_pass_arg", None) is not None

    @functools.wraps(original)
    def limited(*args: Any, **kwargs: Any) -> Any:
        head = args[:1] if passed else ()
        value, *rest = args[len(head) :]
        if name == "join" and not isinstance(value, str | list | tuple):
            value = list(value)  # a generator (`|map(...)|join`) is measured too
        _check_filter(name, value, [*rest, *kwargs.values()])
        return original(*head, value, *rest, **kwargs)

    return limited


class LimitedSandbox(KeysFirst, SandboxedEnvironment):
    """Jinja's sandbox, which refuses unsafe attributes (`__class__`, `mro`, ...),
    plus limits on what builds huge values from small ones: repetition and powers,
    and, measured before anything is built, joining (`~`, `+`, `|join`), formatting
    (`%`, `|format`), `|replace` and the filters that pad to a width."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in _GROWING_FILTERS:
            self.filters[name] = _bounded(name, self.filters[name])

    def bounded_concat(self, join: Callable[[Any], str], values: tuple[Any, ...]) -> str:
        _too_long(sum(_size(value) for value in values))
        return join(values)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "+" and isinstance(left, str | list | tuple):
            _too_long(_size(left) + _size(right))
        if operator == "%" and isinstance(left, str):
            pieces = right if isinstance(right, tuple) else (right,)
            _too_long(len(left) + sum(_size(piece) for piece in pieces))
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_REPEAT
                ):
                    raise SecurityError(
                        f"repeating a value into more than {MAX_REPEAT} items is not allowed"
                    )
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and max(left.bit_length(), 1) * right > MAX_POWER_BITS
        ):
            raise SecurityError(f"a power larger than {MAX_POWER_BITS} bits is not allowed")
        return super().call_binop(context, operator, left, right)


# Jinja's exception class names, as words for the person who wrote the template.
_ERROR_WORDS = {
    "UndefinedError": "uses a name or attribute the report does not have",
    "SecurityError": "the template sandbox refused it (templates may use only the report's data)",
}


class Renderer:
    """Renders report templates by name, turning every template problem into ReportError."""

    def __init__(
        self,
        source: FileSource | None = None,
        folder: str | None = None,
        *,
        max_output: int | None = None,
        max_seconds: float | None = None,
    ) -> None:
        self.max_output = MAX_OUTPUT_BYTES if max_output is None else max_output
        self.max_seconds = MAX_RENDER_SECONDS if max_seconds is None else max_seconds
        self.repository: RepositoryTemplates | None = None
        loaders: list[jinja2.BaseLoader] = []
        if folder is not None:
            if source is None:
                raise ValueError("an override folder needs the repository's file source")
            folder = override_folder(folder)
            _check_folder(source, folder)
            self.repository = RepositoryTemplates(source, folder)
            loaders.append(self.repository)
        loaders.append(jinja2.PackageLoader(PACKAGE, TEMPLATE_FOLDER))
        # The sandbox whenever the repository has templates of its own: a built-in
        # template that includes or imports one of them runs it, so it is sandboxed too.
        kind = BuiltInEnvironment if self.repository is None else LimitedSandbox
        self.environment = kind(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            finalize=_finalize,
            # Our own templates' compiled code is kept beside them, as Python keeps
            # bytecode; a repository's templates are always compiled afresh.
            bytecode_cache=(
                CompiledTemplates(COMPILED_FOLDER) if self.repository is None else None
            ),
        )
        # The register's and the system documentation's rows write m.score's and
        # m.status's bodies out instead of calling them, a call per cell being a fifth
        # of those renders; a repository with templates of its own may replace the
        # macros (html/_macros.html.j2), so its reports call them.
        self.environment.globals["built_in_macros"] = self.repository is None
        self.environment.filters["md"] = md_text
        self.environment.filters["mdhtml"] = _markdown_html_filter
        self.environment.filters["mdhref"] = md_href
        self.environment.filters["html_id"] = _html_id_filter
        self.environment.filters["css"] = css_string

    def label(self, filename: str | None, name: str | None) -> str:
        """How a template is named in an error: its repository path, or built-in NAME."""
        if (
            filename is not None
            and self.repository is not None
            and filename in self.repository.filenames
        ):
            return filename
        if name is not None:
            return f"built-in template {name}"
        return f"template {filename}" if filename else "a report template"

    def _frame(self, traceback: types.TracebackType | None) -> tuple[str, int] | None:
        """The innermost template file and line of a render error's traceback."""
        found: tuple[str, int] | None = None
        names = self._template_files()
        while traceback is not None:
            filename = traceback.tb_frame.f_code.co_filename
            if filename in names:
                found = (names[filename], traceback.tb_lineno)
            traceback = traceback.tb_next
        return found

    def _template_files(self) -> dict[str, str]:
        """Every loaded template's code filename, with the label errors use for it."""
        files: dict[str, str] = {}
        if self.repository is not None:
            files.update({name: name for name in self.repository.filenames})
        cache: Any = self.environment.cache or {}
        for template in list(cache.values()):
            filename = template.filename
            if filename is not None and filename not in files:
                files[filename] = self.label(filename, template.name)
        return files

    def _name_label(self, name: str) -> str:
        """How the template a render starts from is named: its repository path or built-in."""
        if self.repository is not None:
            rel = posixpath.join(self.repository.folder, name)
            if rel in self.repository.filenames:
                return rel
        return f"built-in template {name}"

    def _advice(self, frame: tuple[str, int] | None) -> str:
        override = (
            frame is not None
            and self.repository is not None
            and frame[0] in self.repository.filenames
        )
        return "; fix the template, or delete it to use the built-in one" if override else ""

    def _generate(self, name: str, context: dict[str, Any]) -> str:
        """The rendered text, stopped with ReportError once it outgrows ``max_output``."""
        chunks = self.environment.get_template(name).generate(context)
        blocks: list[str] = []
        size = 0
        # Counted a block of chunks at a time: a large report is millions of chunks,
        # and a Python step for each cost more than the rest of the accounting.
        while batch := list(islice(chunks, _BLOCK_CHUNKS)):
            block = "".join(batch)
            size += len(block) if block.isascii() else len(block.encode("utf-8", "surrogatepass"))
            if size > self.max_output:
                where = self._name_label(name)
                overrides = sorted(self.repository.filenames) if self.repository else []
                advice = (
                    f"; check the repository's templates ({', '.join(overrides)})"
                    if overrides
                    else ""
                )
                raise ReportError(
                    f"{where}: the report grew larger than {_size_text(self.max_output)}, "
                    f"the limit for one report, and was stopped{advice}"
                )
            blocks.append(block)
        return "".join(blocks)

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render template ``name``; every problem, and a render past the limits on output
        size and time, becomes a ReportError naming the template (and line)."""
        try:
            return run_limited(self.max_seconds, lambda: self._generate(name, context))
        except TemplateRefused as error:
            frame = self._frame(error.__traceback__)
            origin = f"{frame[0]}, line {frame[1]}: " if frame else ""
            raise ReportError(f"{origin}{error}") from None
        except RenderTimeout as error:
            frame = self._frame(error.__traceback__)
            where = f"{frame[0]}, line {frame[1]}" if frame else self._name_label(name)
            raise ReportError(
                f"{where}: rendering took more than {self.max_seconds:g} seconds of CPU "
                f"time, the limit for one report, and was stopped{self._advice(frame)}"
            ) from None
        except MemoryError:
            raise ReportError(
                f"{self._name_label(name)}: rendering needed more memory than is available"
            ) from None
        except jinja2.TemplateSyntaxError as error:
            where = self.label(error.filename, error.name)
            raise ReportError(
                f"{where}, line {error.lineno}: syntax error: {error.message}"
            ) from None
        except jinja2.TemplateNotFound as error:
            frame = self._frame(error.__traceback__)
            origin = f"{frame[0]}, line {frame[1]}: " if frame else ""
            raise ReportError(
                f"{origin}report template {error.name!r} not found (neither in the "
                "repository's templates folder nor built in)"
            ) from None
        except (
            jinja2.TemplateError,
            TypeError,
            ValueError,
            ArithmeticError,
            LookupError,
            AttributeError,
            RecursionError,
        ) as error:
            frame = self._frame(error.__traceback__)
            where = f"{frame[0]}, line {frame[1]}" if frame else f"report template {name}"
            detail = str(error) or type(error).__name__
            words = _ERROR_WORDS.get(
                type(error).__name__, f"the template failed ({type(error).__name__})"
            )
            raise ReportError(f"{where}: {words}: {detail}{self._advice(frame)}") from None


def _size_text(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MiB" if size % mib == 0 else f"{size} bytes"


class RenderTimeout(Exception):
    """Raised (from a SIGPROF handler) in a render that ran past its CPU time limit."""


# After the limit, the alarm rings again at this interval until the render stops, so
# that code catching the first exception cannot keep the render going.
_RING_AGAIN = 0.25


def run_limited(seconds: float, function: Callable[[], T]) -> T:
    """``function()``, with RenderTimeout raised inside it once it has used more than
    ``seconds`` of CPU time.

    Uses ``signal.setitimer(ITIMER_PROF)``, which counts the process's CPU time (user
    and system), not the wall clock: on a busy shared runner an honest render gets
    as long as it needs, while a template loop (even one that writes nothing) still
    stops, because the SIGPROF handler raises in the function's bytecode. After the
    limit the timer rings again every :data:`_RING_AGAIN` seconds, in case code
    catches the exception, until the function ends; the handler raises only while
    the function is on the stack, so no ring escapes into the code after it.
    Nothing is limited where the platform has no ``setitimer`` (Windows), outside
    the main thread (only it receives signals), or for ``seconds`` <= 0. The previous
    SIGPROF handler is restored afterwards, and a profiling timer that was running
    is set again with its remaining time (ringing at once if it fell due meanwhile).
    """
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or not hasattr(signal, "SIGPROF")
        or threading.current_thread() is not threading.main_thread()
    ):
        return function()

    def limited() -> T:
        return function()

    def ring(signum: int, frame: types.FrameType | None) -> None:
        while frame is not None:
            if frame.f_code is limited.__code__:
                raise RenderTimeout
            frame = frame.f_back

    previous = signal.signal(signal.SIGPROF, ring)
    started = time.process_time()
    delay, interval = signal.setitimer(signal.ITIMER_PROF, seconds, _RING_AGAIN)
    try:
        return limited()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL if previous is None else previous)
        if delay > 0:
            left = delay - (time.process_time() - started)
            signal.setitimer(signal.ITIMER_PROF, max(left, 1e-6), interval)


def _markdown_html_filter(value: object) -> str:
    """In an HTML template (followed by ``safe``), text that may be :class:`Markdown`
    built by aimsctl (a message with a code span) as the HTML it shows, and any other
    text escaped as autoescape and ``_finalize`` would write it."""
    if isinstance(value, str) and not isinstance(value, Markdown):
        value = printable(value, keep="\t\n\r")
    return markdown_html(value)


def _html_id_filter(record_id: str, prefix: str) -> str:
    """``{{ r.id | html_id("r") }}``: :func:`aimsctl.text.html_id` as a Jinja filter."""
    return html_id(prefix, record_id)
