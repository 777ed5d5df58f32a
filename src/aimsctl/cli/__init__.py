"""Command-line entry point: exit codes and error handling around the Typer app."""

from __future__ import annotations

import os
import sys

_INTERRUPTED = 130  # no command returns it; only an interrupted run ends with it


def main(argv: list[str] | None = None) -> int:
    """Run aimsctl; returns (and exits with) the documented exit code.

    0 clean, 1 findings at error level, 2 usage error or unusable repository,
    3 internal failure (one line; the traceback only with --debug), 130 interrupted.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("AIMSCTL_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    code = _run(args, debug)
    if argv is None:
        sys.exit(code)
    return code


def _run(args: list[str], debug: bool) -> int:
    from aimsctl.cli.app import app
    from aimsctl.cli.common import UsageError
    from aimsctl.errors import ConfigError, GitError

    try:
        result = app(args=args, prog_name="aimsctl", standalone_mode=False)
    except (ConfigError, GitError, UsageError) as error:
        print(f"aimsctl: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("aimsctl: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except Exception as error:
        import click
        import typer

        if isinstance(error, click.exceptions.Abort | typer.Abort):
            print("aimsctl: interrupted", file=sys.stderr)
            return 130
        # Typer 0.22+ raises the usage errors of its own copy of click, which
        # derive from typer.TyperException rather than click.ClickException.
        show = getattr(error, "show", None)
        if isinstance(error, click.ClickException | typer.TyperException) and callable(show):
            show()
            return 2
        if debug:
            import traceback

            traceback.print_exc()
        print(
            f"aimsctl: internal error: {type(error).__name__}: {error} "
            "(run with --debug for details, and please report it)",
            file=sys.stderr,
        )
        return 3
    if result == _INTERRUPTED:  # Typer turns Ctrl-C into this exit code, silently
        print("aimsctl: interrupted", file=sys.stderr)
    return result if isinstance(result, int) else 0
