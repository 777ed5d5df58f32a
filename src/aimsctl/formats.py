"""Every output format of every command, named in one place.

A command's ``--format`` option takes its help text and its check from here, so a
new format is one entry. Renderers are named as ``module:function`` and imported
only when chosen: ``aimsctl --help`` never loads SARIF or Rich tables.

:class:`Choices` is the same for any option with a fixed set of values (a sort
key, a report name): one message, with "did you mean", for every bad choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from aimsctl.errors import UsageError
from aimsctl.text import words


@dataclass(frozen=True)
class Choices:
    """The values an option accepts."""

    option: str
    names: tuple[str, ...]

    def check(self, value: str) -> str:
        """``value`` when it is one of the names; otherwise a usage error (exit 2)."""
        if value in self.names:
            return value
        from aimsctl.validation_messages import did_you_mean

        hint = did_you_mean(value, list(self.names))
        # `nist` for nist-ai-rmf: a name cut short is too far from it for the fuzzy
        # match, and the start of only one name can mean no other
        starts = [name for name in self.names if name.startswith(value.casefold())]
        if not hint and value and len(starts) == 1:
            hint = f"; did you mean {starts[0]!r}?"
        raise UsageError(f"{self.option} {value!r} is not one of {', '.join(self.names)}{hint}")

    def check_all(self, values: Iterable[str]) -> list[str]:
        """Each value checked, duplicates dropped, in the order given."""
        return list(dict.fromkeys(self.check(value) for value in values))

    @property
    def help(self) -> str:
        return words(self.names)


@dataclass(frozen=True)
class Formats(Choices):
    """Output formats: a name per renderer, the renderer imported when used."""

    renderers: tuple[str, ...] = ()  # "module:function", one per name

    def renderer(self, name: str) -> Any:
        module, _, function = self.renderers[self.names.index(name)].partition(":")
        return getattr(import_module(module), function)


def formats(option: str = "--format", **renderers: str) -> Formats:
    return Formats(option, tuple(renderers), tuple(renderers.values()))


_V = "aimsctl.outputs.validation"
VALIDATE = formats(
    text=f"{_V}.text:render",
    json=f"{_V}.json:render",
    sarif=f"{_V}.sarif:render",
    junit=f"{_V}.junit:render",
    github=f"{_V}.github:render",
)
# `auto` is a choice, not a renderer: GitHub annotations inside GitHub Actions, else text.
VALIDATE_CHOICES = Choices("--format", (*VALIDATE.names, "auto"))
DIFF = formats(
    text="aimsctl.outputs.diff:render_text",
    md="aimsctl.outputs.diff:render_markdown",
    json="aimsctl.outputs.diff:render_json",
)
LOG = formats(
    text="aimsctl.outputs.log:render_text",
    json="aimsctl.outputs.log:render_json",
)
RISK_SCORE = formats(
    table="aimsctl.outputs.risk:register_table",
    json="aimsctl.outputs.risk:register_json",
    csv="aimsctl.outputs.risk:register_csv",
    md="aimsctl.outputs.risk:register_markdown",
)
RISK_MATRIX = formats(
    text="aimsctl.outputs.risk:matrix_text",
    json="aimsctl.outputs.risk:matrix_json",
    md="aimsctl.outputs.risk:matrix_markdown",
)
RULES = formats(
    text="aimsctl.outputs.rules:list_text",
    json="aimsctl.outputs.rules:list_json",
)
RULE_EXPLAIN = formats(
    text="aimsctl.outputs.rules:explain_text",
    json="aimsctl.outputs.rules:explain_json",
)
CONTROLS = formats(
    text="aimsctl.outputs.controls:controls_text",
    json="aimsctl.outputs.controls:controls_json",
)
MONITOR_CHECK = formats(
    text="aimsctl.outputs.monitor:render_text",
    json="aimsctl.outputs.monitor:render_json",
)
EVAL_IMPORT = formats(
    table="aimsctl.outputs.eval_import:render_table",
    json="aimsctl.outputs.eval_import:render_json",
)
BIAS_AUDIT = formats(
    table="aimsctl.outputs.bias_audit:render_table",
    json="aimsctl.outputs.bias_audit:render_json",
    md="aimsctl.outputs.bias_audit:render_markdown",
)
CROSSWALK = formats(
    table="aimsctl.outputs.crosswalk:render_table",
    json="aimsctl.outputs.crosswalk:render_json",
    md="aimsctl.outputs.crosswalk:render_markdown",
)
CROSSWALK_FROM = Choices("--from", ("annex-a", "nist-ai-rmf", "eu-ai-act"))
# `aimsctl controls --framework`: annex-a is the catalogue itself; the others, coverage.
CONTROLS_FRAMEWORK = Choices("--framework", ("annex-a", "nist-ai-rmf", "eu-ai-act"))
COVERAGE = formats(
    text="aimsctl.outputs.crosswalk:coverage_text",
    json="aimsctl.outputs.crosswalk:coverage_json",
)
OBLIGATIONS = formats(
    table="aimsctl.outputs.obligations:render_table",
    json="aimsctl.outputs.obligations:render_json",
    md="aimsctl.outputs.obligations:render_markdown",
)
DUE = formats(
    table="aimsctl.outputs.due:render_table",
    json="aimsctl.outputs.due:render_json",
    csv="aimsctl.outputs.due:render_csv",
    ics="aimsctl.outputs.due:render_ics",
)
STATUS = formats(
    text="aimsctl.outputs.status:render_text",
    json="aimsctl.outputs.status:render_json",
)
# Reports render through Jinja templates named after the format (templates/md, templates/html).
REPORT = Choices("--format", ("md", "html"))
