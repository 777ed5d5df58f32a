"""The Jinja environment for reports: sandboxed, strict, with repository overrides.

Templates ship inside the package (``aimsctl/templates/html/*.html.j2`` and
``templates/md/*.md.j2``). A repository may shadow any of them: ``templates:
report-templates`` in aims.yaml names a folder below the repository root whose
files take precedence (``report-templates/html/soa.html.j2`` replaces the
built-in ``html/soa.html.j2``). Override templates are read from the same place
as the records (the working tree, or a git revision with ``--at``).

Every template runs in Jinja's sandbox with ``StrictUndefined``: a misspelt
variable fails the render instead of leaving an empty cell. HTML templates are
autoescaped; Markdown templates escape record text with the ``md`` filter.
Problems become :class:`ReportError`, naming the template file and line.
"""

from __future__ import annotations

import posixpath
import types
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from aimsctl.errors import ReportError
from aimsctl.text import md_href, md_text

if TYPE_CHECKING:
    from aimsctl.loader import FileSource

PACKAGE = "aimsctl"
TEMPLATE_FOLDER = "templates"


class RepositoryTemplates(jinja2.BaseLoader):
    """Templates from a folder of the governance repository, read through its file source."""

    def __init__(self, source: FileSource, folder: str) -> None:
        self.source = source
        self.folder = folder
        self.filenames: set[str] = set()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        rel = posixpath.join(self.folder, *split_template_path(template))
        if not self.source.exists(rel):
            raise jinja2.TemplateNotFound(template)
        raw, problem = self.source.read(rel)
        if raw is None:
            why = problem.message if problem is not None else "it cannot be read"
            raise ReportError(f"report template {rel}: {why}")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ReportError(
                f"report template {rel}: not UTF-8 text (byte 0x{raw[error.start]:02x} at "
                f"offset {error.start}); save it as UTF-8"
            ) from None
        self.filenames.add(rel)
        return text, rel, lambda: True


def override_folder(folder: str) -> str:
    """The `templates:` folder of aims.yaml, checked to stay inside the repository."""
    pure = PurePosixPath(folder.strip())
    if not folder.strip() or pure.is_absolute() or ".." in pure.parts or "\\" in folder:
        raise ReportError(
            f"aims.yaml: templates: {folder!r} must be a folder inside the repository, "
            "given relative to its root (e.g. report-templates)"
        )
    return pure.as_posix()


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html", ".svg.j2"))


# What one template expression may build: enough for any report, far below what
# would exhaust memory or stall the run (`'x' * 10**9`, `10 ** 10 ** 10`).
MAX_REPEAT = 1_000_000
MAX_POWER_BITS = 4_096


class LimitedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, which refuses unsafe attributes (`__class__`, `mro`, ...),
    plus limits on the two operators that can build huge values from small ones."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
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

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Report contexts are plain dicts: `row.id` is a key, not an attribute. Taking
        # keys directly skips the sandbox's attribute probing (the most frequent
        # operation of a large report); anything else gets the full sandbox checks.
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


# Jinja's exception class names, as words for the person who wrote the template.
_ERROR_WORDS = {
    "UndefinedError": "uses a name or attribute the report does not have",
    "SecurityError": "the template sandbox refused it (templates may use only the report's data)",
}


class Renderer:
    """Renders report templates by name, turning every template problem into ReportError."""

    def __init__(self, source: FileSource | None = None, folder: str | None = None) -> None:
        self.repository: RepositoryTemplates | None = None
        loaders: list[jinja2.BaseLoader] = []
        if folder is not None:
            if source is None:
                raise ValueError("an override folder needs the repository's file source")
            folder = override_folder(folder)
            if not source.exists(folder):
                raise ReportError(
                    f"aims.yaml: templates: {folder!r} names no folder in the repository; "
                    "create it or remove the setting"
                )
            self.repository = RepositoryTemplates(source, folder)
            loaders.append(self.repository)
        loaders.append(jinja2.PackageLoader(PACKAGE, TEMPLATE_FOLDER))
        self.environment = LimitedSandbox(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=_autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.environment.filters["md"] = md_text
        self.environment.filters["mdhref"] = md_href

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

    def render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.environment.get_template(name).render(context)
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
            override = (
                frame is not None
                and self.repository is not None
                and frame[0] in self.repository.filenames
            )
            advice = "; fix the template, or delete it to use the built-in one" if override else ""
            raise ReportError(f"{where}: {words}: {detail}{advice}") from None
