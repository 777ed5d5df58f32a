"""Reading and planning a write: :class:`Change`; a file's text as read (its
byte-order mark and line ends kept); an edit applied with every other line kept; and
the refusals that come before anything is written (symbolic links, excluded paths,
a file that exists)."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aimsctl import yamlsafe
from aimsctl.errors import UsageError
from aimsctl.fileio import read_regular
from aimsctl.writing.anchors import moved_anchors, moved_anchors_message, shared_values
from aimsctl.writing.checking import same_data, text_problems
from aimsctl.writing.refused import WriteRefused
from aimsctl.writing.splicing import splice
from aimsctl.writing.yaml_round_trip import dump_all, load_all


@dataclass(frozen=True, slots=True)
class Change:
    """A planned write: ``path`` goes from ``old`` (None: it does not exist) to ``new``."""

    path: Path
    old: bytes | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old is None or self.old != self.new.encode("utf-8")

    def diff(self, shown: str) -> str:
        """A unified diff of the change, the file named ``shown``; a last line without
        its line end is marked as `diff` and `patch` mark it."""
        before = "" if self.old is None else self.old.decode("utf-8", "replace")
        lines = difflib.unified_diff(
            split_lines(before, keepends=True),
            split_lines(self.new, keepends=True),
            (shown if shown.startswith("/") else f"a/{shown}")
            if self.old is not None
            else "/dev/null",
            shown if shown.startswith("/") else f"b/{shown}",
        )
        return "".join(
            line if line.endswith(("\n", "\r")) else f"{line}\n\\ No newline at end of file\n"
            for line in lines
        )


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of ``text``, broken at LF, CR LF and CR only, as YAML breaks them:
    str.splitlines() also breaks at NEL, LS and PS, which a value may hold."""
    found = _LINE.findall(text)
    return found if keepends else [line.rstrip("\r\n") for line in found]


def read_text(path: Path, shown: str) -> tuple[bytes, str]:
    """The bytes of a YAML file and its text; UsageError when it cannot be read."""
    try:
        # Never a plain read: a named pipe with a record's name would block the run.
        # One byte past the limit is enough for decode to call the file too large.
        found = read_regular(os.fspath(path), True, yamlsafe.MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{shown} is a folder, not a file") from None
    except OSError as error:
        raise UsageError(f"{shown}: cannot be read: {error.strerror or error}") from None
    if found is None:
        if path.is_dir():
            raise UsageError(f"{shown} is a folder, not a file")
        raise UsageError(
            f"{shown}: not a regular file (a named pipe, socket or device); nothing was written"
        )
    raw = found
    text, problem = yamlsafe.decode(raw)
    if text is None:
        assert problem is not None
        raise WriteRefused(f"{shown}:{problem.line}:{problem.column}: {problem.message}")
    # The decoder drops a byte-order mark; the text keeps it, so an edit writes it back.
    return raw, (_BOM + text if raw.startswith(_BOM.encode()) else text)


_BOM = "\ufeff"


def _split_newlines(text: str) -> tuple[str, str, str]:
    """(text with LF line ends and no BOM, the BOM, the line end the file uses)."""
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    return body.replace("\r\n", "\n"), bom, newline


def _mixed_line_ends(text: str) -> bool:
    """Whether ``text`` ends its lines in more than one way, or with a lone CR (which
    ruamel.yaml reads as a line end): it is written back with one kind only."""
    crlf = text.count("\r\n")
    return text.count("\r") > crlf or 0 < crlf < text.count("\n")


def _restore_newlines(text: str, bom: str, newline: str) -> str:
    return bom + (text.replace("\n", newline) if newline != "\n" else text)


def edit_text(
    text: str,
    edit: Callable[[list[Any]], None],
    rel: str,
    context: dict[str, Any] | None = None,
    records: bool = True,
    new_problems_only: bool = False,
) -> str:
    """``text`` with ``edit`` applied to its round-trip documents, every line the edit
    does not reach kept as written.

    Raises WriteRefused when ``text`` cannot be read as YAML, or has records the
    record checker refuses (with ``records``); and when the result would have any
    problem (with ``new_problems_only``: any it did not have before, so records
    already broken elsewhere in the file do not stop an edit that leaves them be).
    """
    before_problems = text_problems(text, rel, context, records or new_problems_only)
    yaml_level = text_problems(text, rel, context, records=False)
    if yaml_level or (before_problems and not new_problems_only):
        raise WriteRefused(
            "\n".join([f"{rel} has problems; fix them first (aimsctl validate):", *before_problems])
        )
    if _mixed_line_ends(text):
        raise WriteRefused(
            f"{rel} mixes line ends (CRLF with LF, or lone carriage returns): an edit would "
            f"rewrite them all; nothing was written. `aimsctl fmt {rel}` makes them one kind."
        )
    body, bom, newline = _split_newlines(text)
    ended = body.endswith("\n") or not body  # a last line without its line end stays so
    documents = load_all(body)
    before = dump_all(documents)
    shared = shared_values(documents, body)
    edit(documents)
    moved = moved_anchors(documents, shared)
    if moved:
        # ruamel.yaml would write the value out in full at its first alias instead,
        # a line the change does not touch, and the splice below would take it.
        raise WriteRefused(moved_anchors_message(rel, moved))
    after = dump_all(documents)
    spliced = splice(body if ended else body + "\n", before, after)
    if spliced is None or not same_data(spliced, after):
        # ruamel.yaml lays the lines around the change out otherwise than the file
        # does: writing its layout would rewrite lines the change does not touch, and
        # some comments are lost in its round trip.
        raise WriteRefused(
            f"{rel}: this change cannot be made without rewriting lines it does not "
            "touch; nothing was written. Put the file in canonical form with "
            f"`aimsctl fmt {rel}` (every comment stays), then run this again."
        )
    new = spliced if ended else spliced.removesuffix("\n")
    result = _restore_newlines(new, bom, newline)
    problems = text_problems(result, rel, context, records or new_problems_only)
    if new_problems_only:
        problems = _beyond(problems, before_problems)
    if problems:
        raise WriteRefused(
            "\n".join([f"the change would break {rel}; nothing was written:", *problems])
        )
    return result


def _beyond(after: list[str], before: list[str]) -> list[str]:
    """The problems of ``after`` that ``before`` does not have (positions ignored)."""

    def key(line: str) -> str:
        return line.split(": ", 1)[1] if ": " in line else line

    left = Counter(key(line) for line in before)
    found = []
    for line in after:
        if left[key(line)] > 0:
            left[key(line)] -= 1
        else:
            found.append(line)
    return found


def refuse_links(root: Path, rel: str) -> None:
    """UsageError when the file ``rel`` below ``root``, or a folder on the way to it,
    is a symbolic link. A write through one lands where the link leads (outside the
    repository, or on a record the loader reads at another path), or replaces the
    link with a copy that no longer follows its target."""
    here = root
    for part in rel.split("/"):
        here = here / part
        try:
            info = os.lstat(here)
        except FileNotFoundError:
            return  # made by the write
        except OSError as error:
            raise UsageError(f"{rel}: cannot be written: {error.strerror or error}") from None
        if stat.S_ISLNK(info.st_mode):
            shown = here.relative_to(root).as_posix()
            raise UsageError(
                f"{shown} is a symbolic link: aimsctl writes records only through real "
                "folders and files; nothing was written"
            )


def plan_edit(
    path: Path,
    edit: Callable[[list[Any]], None],
    rel: str,
    context: dict[str, Any] | None = None,
    records: bool = True,
    new_problems_only: bool = False,
    root: Path | None = None,
) -> Change:
    """The change ``edit`` makes to the file at ``path`` (nothing is written yet);
    with ``root``, the repository ``rel`` is in (see :func:`refuse_links`)."""
    if root is not None:
        refuse_links(root, rel)
    raw, text = read_text(path, rel)
    return Change(path, raw, edit_text(text, edit, rel, context, records, new_problems_only))


def refuse_excluded(rel: str, exclude: Sequence[str], written: str, instead: str) -> None:
    """UsageError when aims.yaml's ``exclude`` covers ``rel``: ``written`` (a record,
    say) put there would never be read, and every run would add it again. ``instead``
    says where else to keep it."""
    from aimsctl.loader import is_excluded

    if is_excluded(rel, exclude):
        raise UsageError(
            f"{rel} is excluded by aims.yaml (exclude:), so {written} written there would "
            f"never be read; nothing was written. Narrow the exclude globs, or {instead}"
        )


def plan_create(
    path: Path,
    text: str,
    rel: str,
    context: dict[str, Any] | None = None,
    root: Path | None = None,
) -> Change:
    """A new file holding ``text``, checked like any write; UsageError when ``path``
    exists (nothing is ever overwritten). With ``root``, the repository ``rel`` is in,
    no symbolic link may lie on the way (:func:`refuse_links`)."""
    if root is not None:
        refuse_links(root, rel)
    if os.path.lexists(path):
        raise UsageError(f"{rel} exists; aimsctl never overwrites a file")
    problems = text_problems(text, rel, context)
    if problems:
        raise WriteRefused(
            "\n".join([f"{rel} would not be valid; nothing was written:", *problems])
        )
    return Change(path, None, text)
