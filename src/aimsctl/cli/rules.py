"""`aimsctl rules` and `aimsctl rules explain CODE`: what every diagnostic code means."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimsctl.errors import UsageError

if TYPE_CHECKING:
    from aimsctl.rules.registry import Rule

app = typer.Typer(
    help="List the rules of `aimsctl validate`, or explain one.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text or json.")]
_FORMATS = ("text", "json")


def _check_format(format: str) -> None:
    if format not in _FORMATS:
        raise UsageError(f"--format {format!r} is not one of {', '.join(_FORMATS)}")


def _as_json(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": str(rule.severity),
        "summary": rule.summary,
        "why": rule.why,
        "fix": rule.fix,
        "example": rule.example,
    }


def _dump(document: dict[str, Any]) -> None:
    import json

    print(json.dumps(document, indent=2, ensure_ascii=False))


@app.callback(invoke_without_command=True)
def rules(ctx: typer.Context, format: FormatOpt = "text") -> None:
    """List every rule: code, name, default severity and summary."""
    if ctx.invoked_subcommand is not None:
        return
    from aimsctl.rules import all_rules

    _check_format(format)
    found = all_rules()
    if format == "json":
        _dump({"version": 1, "rules": [_as_json(rule) for rule in found]})
        return
    header = ("CODE", "NAME", "SEVERITY", "SUMMARY")
    rows = [header, *((r.code, r.name, str(r.severity), r.summary) for r in found)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )


def find_rule(code: str) -> Rule:
    """A rule by code (any case) or by name; UsageError when there is none."""
    from aimsctl.rules import all_rules
    from aimsctl.validation_messages import did_you_mean

    found = all_rules()
    wanted = code.strip()
    for rule in found:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    hint = did_you_mean(wanted.upper(), [r.code for r in found]) or did_you_mean(
        wanted.lower(), [r.name for r in found]
    )
    raise UsageError(f"no rule {code!r}{hint or '; `aimsctl rules` lists them'}")


@app.command("explain")
def explain(
    code: Annotated[str, typer.Argument(help="Rule code (e.g. AIMS201) or name.")],
    format: FormatOpt = "text",
) -> None:
    """Explain one rule: what it checks, why it matters, how to fix it, an example."""
    _check_format(format)
    rule = find_rule(code)
    if format == "json":
        _dump({"version": 1, "rule": _as_json(rule)})
        return
    import textwrap

    print(f"{rule.code} {rule.name} ({rule.severity})")
    for heading, text in (
        ("What it checks", rule.summary),
        ("Why it matters", rule.why),
        ("How to fix it", rule.fix),
    ):
        print(f"\n{heading}:")
        print(textwrap.fill(text, width=88, initial_indent="  ", subsequent_indent="  "))
    print("\nExample:")
    print(textwrap.indent(rule.example, "    "))
