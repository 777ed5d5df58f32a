"""Command-line entry point: exit codes and error handling around the Typer app."""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
import types
from typing import Any

from aimsctl import notices

_INTERRUPTED = 130  # no command returns it; only an interrupted run ends with it
TERMINATED = 128 + signal.SIGTERM  # 143: the exit code of a run ended by SIGTERM
PIPE_CLOSED = 128 + signal.SIGPIPE  # 141: standard output's reader went away (`| head -1`)


class Terminated(BaseException):
    """Raised by the SIGTERM handler: like KeyboardInterrupt, it is no Exception, so
    nothing catches it on the way up, and every ``finally`` and clean-up runs (a
    temporary file of ``fileio.write_atomic`` is removed, the old file is kept)."""


def _run_terminable(args: list[str], debug: bool) -> int:
    """:func:`_run`, with SIGTERM turned into :class:`Terminated` while it runs.

    SIGTERM's default action ends the process at once, leaving a half-written
    temporary file behind; raising instead lets every clean-up run, and the run ends
    with exit 143 and ``aimsctl: terminated``. The handler then puts the default back
    at once, so a second SIGTERM ends a run that does not stop; the previous handler
    is restored when the run is over. Only the main thread can set signal handlers;
    elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        return _run(args, debug)

    def terminate(signum: int, frame: types.FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    restore = signal.SIG_DFL if previous is None else previous
    try:
        try:
            return _run(args, debug)
        finally:
            signal.signal(signal.SIGTERM, restore)
    except Terminated:  # arrived after the command's own handling, before the restoration
        signal.signal(signal.SIGTERM, restore)
        return _terminated()


def main(argv: list[str] | None = None) -> int:
    """Run aimsctl; returns (and exits with) the documented exit code.

    0 clean, 1 findings at error level, 2 usage error or unusable repository,
    3 internal failure (one line; the traceback only with --debug), 130 interrupted
    (Ctrl-C), 141 standard output closed by its reader (``| head -1``: silently, as
    a program ended by SIGPIPE), 143 terminated (SIGTERM, e.g. a CI job cancelled).
    """
    if argv is None:
        _restart_in_utf8_mode()
        from aimsctl import collector

        collector.ends_with_process()  # what a command keeps to the end, kept: see there
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("AIMSCTL_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    try:
        code = _run_terminable(args, debug)
    except KeyboardInterrupt:
        # Ctrl-C before the command's own handling began (while aimsctl's modules
        # load, which takes a tenth of a second) or after it ended: no traceback.
        print("aimsctl: interrupted", file=sys.stderr)
        code = _INTERRUPTED
    if argv is None:
        from aimsctl import collector

        collector.before_exit()  # the process ends here: see there
        sys.exit(code)
    return code


def _restart_in_utf8_mode() -> None:
    """Run this process again in Python's UTF-8 mode when the locale is not UTF-8.

    Outside UTF-8 mode (``LC_ALL=C`` with ``PYTHONUTF8=0``, or a Latin-1 locale)
    Python decodes file names, arguments and git's output in the locale's encoding:
    a record in ``risks/équipe/`` was an AIMS008 "file name is not valid UTF-8" and
    not read (validate failed, diff called the record removed), ``--set title=Crédit``
    was refused as not UTF-8, and log showed authors and messages as ``\\xc3\\xa9``.
    aimsctl reads every name and text as UTF-8, as the records are; only the
    interpreter's start can say so for all of them, hence the restart, which happens
    in such a locale only. Where it cannot be done (no POSIX exec, a frozen program),
    the run goes on as before."""
    import codecs

    if sys.flags.utf8_mode or os.name != "posix" or getattr(sys, "frozen", False):
        return
    try:
        if codecs.lookup(sys.getfilesystemencoding()).name == "utf-8":
            return
    except LookupError:
        pass
    command = getattr(sys, "orig_argv", None)
    if not sys.executable or not command:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass
    try:
        os.execv(sys.executable, [command[0], "-X", "utf8", *command[1:]])
    except OSError:
        return


class _ClosedOutput:
    """Standard output when the shell closed it (``aimsctl validate >&-``): Python
    then sets ``sys.stdout`` to None. Writing to it is refused as the system refuses
    a write to a closed descriptor, so the run ends with exit 2 and says why."""

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed; nothing could be written")

    def flush(self) -> None:
        return None


class _StandardOutput:
    """Standard output while a command runs, whose failures say it was standard output.

    A full disk (``aimsctl due --format ics > /full/file``) or any other refusal
    surfaces in whichever write or flush meets it, without a file name: as
    :class:`StandardOutputError` the run ends with exit 2 and ``cannot write to
    standard output: <reason>``, whether the command printed a document, a line or
    its help. A broken pipe passes through unchanged (a reader gone is silent, exit
    141). Everything else is the stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed = False  # said once: the flush at the end of the run says it no more

    def write(self, text: str) -> int:
        try:
            if len(text) <= _PIECE:
                return int(self._stream.write(text))
            # A long document in pieces, each flushed: written whole, a write the pipe
            # took only part of (its reader gone, `| head -1`) was reported as done,
            # and the run ended with its own code, not 141.
            for start in range(0, len(text), _PIECE):
                self._stream.write(text[start : start + _PIECE])
                self._stream.flush()
            return len(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            self.failed = True
            raise _unwritable(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            self.failed = True
            raise _unwritable(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_PIECE = 32_768  # characters: at most half a Linux pipe's 64 KiB in UTF-8 ASCII


class _StandardError:
    """Standard error while a command runs. A message it cannot take (``2>/dev/full``)
    is dropped: there is nowhere left to say anything, and the run keeps its exit
    code (an unwritable error message ended it with a traceback nobody saw and exit
    120, not the 2 a CI job tests for)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed = False

    def write(self, text: str) -> int:
        try:
            self._stream.write(text)
        except OSError:
            self.failed = True
        return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            self.failed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _unwritable(error: OSError) -> Exception:
    from aimsctl.errors import UsageError
    from aimsctl.fileio import written_files
    from aimsctl.text import first_of, printable

    reason = error.strerror or str(error)
    if not reason.startswith("standard output"):  # _ClosedOutput's says so already
        reason = f"cannot write to standard output: {reason}"
    written = written_files()
    if written:  # the files are whole and kept: say so, not that nothing was written
        reason = reason.replace("; nothing could be written", "")
        names = first_of([printable(name) for name in written], shown=3)
        return UsageError(f"{reason}; what the command prints is lost, but it wrote {names}")
    return UsageError(reason)


def _run(args: list[str], debug: bool) -> int:
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    _utf8_output()
    streams = sys.stdout, sys.stderr
    output = _StandardOutput(sys.stdout)
    # With standard error closed (`2>&-`) Python sets it to None, and print(file=None)
    # writes to standard output: messages went into the document (a JSON result).
    with open(os.devnull, "w", encoding="utf-8") as nowhere:
        errors = _StandardError(nowhere if sys.stderr is None else sys.stderr)
        sys.stdout, sys.stderr = output, errors
        try:
            with notices.listening(_print_warning):
                code = _run_streams(args, debug)
        finally:
            # After a broken pipe Typer wraps both streams to hush them, and exits 1.
            broken = "PacifyFlushWrapper" in type(sys.stdout).__name__
            sys.stdout, sys.stderr = streams
            if errors.failed:  # what is left in its buffer: to /dev/null, for a quiet exit
                _discard(sys.stderr)
    try:
        sys.stdout.flush()  # here, not at exit, where a closed pipe is a message and exit 120
    except BrokenPipeError:
        broken = True
    except OSError as error:
        # What was left in the buffer did not fit (a short document on a full disk):
        # said once, here, and the rest discarded so that the exit stays quiet.
        if not output.failed:
            _print_error(str(_unwritable(error)))
        _discard_output()
        return 2
    if (broken or code == PIPE_CLOSED) and _reader_gone():
        return _pipe_closed()
    return code


def _utf8_output() -> None:
    """Standard output in UTF-8, as every file aimsctl reads and writes, whatever the
    locale says: under LC_ALL=C (without Python's UTF-8 mode) or another non-UTF-8
    locale it was ASCII, and the first record text outside it (a title with an é)
    ended the run in an internal error. The same input now gives the same bytes in
    every locale. (Standard error already escapes what its encoding cannot hold.)

    Standard input too, which only `new`'s prompts read: with PYTHONIOENCODING=latin-1
    a typed 'Crédit' went into the record as 'CrÃ©dit'. Bytes that are not UTF-8 are
    kept as surrogates, as in Python's UTF-8 mode, for the prompt to ask again."""
    import codecs

    for stream, errors in ((sys.stdout, None), (sys.stdin, "surrogateescape")):
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding is None or reconfigure is None:
            continue
        try:
            if codecs.lookup(encoding).name == "utf-8":
                continue
        except LookupError:
            pass
        if errors is None:
            reconfigure(encoding="utf-8")
        else:
            reconfigure(encoding="utf-8", errors=errors)


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has gone (``| head -1`` read
    its line and ended), asked of the pipe itself (poll's POLLERR): a broken pipe
    to another program is not mistaken for it."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _pipe_closed() -> int:
    """End the run silently with 141, as a program ended by SIGPIPE: nobody reads what
    is left to write, which goes to /dev/null so the exit itself stays quiet."""
    _discard_output()
    return PIPE_CLOSED


def _discard_output() -> None:
    """Send what is left in standard output's buffer to /dev/null: it cannot be
    written, and Python's flush at exit would otherwise report it again (``Exception
    ignored``) and end the run with exit 120."""
    _discard(sys.stdout)


def _discard(stream: Any) -> None:
    """Point the descriptor under ``stream`` at /dev/null (see :func:`_discard_output`)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _run_streams(args: list[str], debug: bool) -> int:
    undecodable = _not_utf8(args)
    if undecodable is not None:
        at = args.index(os.fsdecode(undecodable))
        option, _, value = args[at].partition("=")
        if value and option.startswith("--") and option.isascii():
            where = f" given to {option}"
        elif at and args[at - 1].startswith("-") and _is_plain(args[at - 1]):
            where = f" (after {args[at - 1]})"
        else:
            where = ""
        _print_error(
            f"the argument {undecodable!r}{where} is not UTF-8 text: aimsctl takes text, "
            "and the names of files it makes, in UTF-8"
        )
        return 2
    from aimsctl import collector

    with collector.importing():  # see there: modules load faster with the collector off
        from aimsctl.cli import plain
        from aimsctl.errors import AimsctlError

    fileio = sys.modules.get("aimsctl.fileio")  # not imported: nothing written yet
    if fileio is not None:
        fileio.forget_written()  # an earlier run in this process (tests, embedding)

    try:
        run = plain.read(args)
        if run is not None:  # everyday validate, report and diff, without the Typer app
            return run()
        with collector.importing():  # Typer, click and the app's commands
            from aimsctl.cli.app import command

            built = command()
        result = built.main(args=args, prog_name="aimsctl", standalone_mode=False)
    except AimsctlError as error:
        _print_error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        print("aimsctl: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        return _terminated()
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except Exception as error:
        import typer

        if isinstance(error, BrokenPipeError) and _reader_gone():
            return PIPE_CLOSED  # said nothing: nobody reads standard output any more
        if isinstance(error, OSError) or _is_link_loop(error):
            # A path the system refuses (a name too long, a link loop, no room): the
            # commands handle the usual cases in their own words; this is the floor.
            _print_error(_os_problem(error))
            return 2
        if isinstance(error, typer.Abort):
            print("aimsctl: interrupted", file=sys.stderr)
            return 130
        if _is_usage_error(error):
            _show_usage_error(error)
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


def _is_plain(arg: str) -> bool:
    """Whether ``arg`` is printable ASCII, to be quoted in a message as it is."""
    return arg.isascii() and arg.isprintable()


def _not_utf8(args: list[str]) -> bytes | None:
    """The first argument whose bytes are not UTF-8 (Python keeps such bytes as lone
    surrogates, which no record can hold), unless it names a path that exists: that
    is read as the system names it."""
    if all(arg.isascii() for arg in args):
        return None  # the usual case, without importing the text toolkit on start-up
    from aimsctl.text import is_text

    for arg in args:
        if not is_text(arg) and not os.path.lexists(arg):
            return os.fsencode(arg)
    return None


def _print_warning(message: str) -> None:
    """A warning core code gave (:mod:`aimsctl.notices`), on standard error; the code
    that gives it makes the quoted parts printable."""
    print(f"aimsctl: warning: {message}", file=sys.stderr)


def _print_error(message: str) -> None:
    """Each line of the message as its own ``aimsctl: error:`` line (a ConfigError
    lists every problem of aims.yaml), control characters escaped: a message quotes
    the user's input, which must not move the cursor or recolour the terminal."""
    from aimsctl.text import printable

    for line in message.split("\n"):
        print(f"aimsctl: error: {printable(line)}", file=sys.stderr)


def _show_usage_error(error: Exception) -> None:
    """Typer's usage error (the usage line, the hint, ``Error: ...``) with control and
    bidi characters escaped: its message quotes the arguments as typed, and Typer
    escapes some control characters but passes a right-to-left override through."""
    import io

    from aimsctl.text import printable

    shown = io.StringIO()
    error.show(file=shown)  # type: ignore[attr-defined]
    for line in shown.getvalue().splitlines():
        print(printable(line), file=sys.stderr)


def _terminated() -> int:
    print("aimsctl: terminated", file=sys.stderr)
    return TERMINATED


def _is_link_loop(error: Exception) -> bool:
    """Whether Python 3.11's Path.resolve() met a symbolic link loop: it raises a
    RuntimeError for it (later Pythons an OSError)."""
    return type(error) is RuntimeError and str(error).startswith("Symlink loop from ")


def _os_problem(error: Exception) -> str:
    """What the system refused, in its words: the path and the reason."""
    if not isinstance(error, OSError):
        return f"{str(error).removeprefix('Symlink loop from ')}: too many levels of symbolic links"
    reason = error.strerror or str(error)
    if error.filename is not None:
        return f"{error.filename}: {reason}"
    from aimsctl.cli.common import CWD_GONE, cwd_gone

    return CWD_GONE if isinstance(error, FileNotFoundError) and cwd_gone() else reason


def _is_usage_error(error: Exception) -> bool:
    """Whether Typer (or the click it is built on) raised a usage error to show.

    Older Typer raises click's exceptions, newer Typer those of the click copy it
    vendors (deriving from ClickException or TyperException); both can show
    themselves. aimsctl does not depend on click, so the classes are known by name.
    """
    bases = {cls.__name__ for cls in type(error).__mro__}
    known = not bases.isdisjoint({"ClickException", "TyperException"})
    return known and callable(getattr(error, "show", None))
