#!/usr/bin/env python3
"""Regenerate what is generated from the code, and re-run the documented examples.

In the spirit of cog: the files below are rewritten from the code and from real
runs of aimsctl, so the documentation cannot drift from what aimsctl does. Not
shipped in the wheel; run it from a development install.

Usage (from anywhere; paths are relative to the project root)::

    python scripts/regenerate.py                 # rewrite every file that is out of date
    python scripts/regenerate.py --check         # write nothing; exit 1 listing the
                                                 # out-of-date files, each with a short diff
    python scripts/regenerate.py README.md docs/risk.md   # only these sources
    python scripts/regenerate.py --list          # the sources and the setups

``tests/test_docs.py`` runs the ``--check`` logic in-process, so the suite fails
when a source is out of date. Exit codes: 0 up to date (or rewritten), 1 out of
date (``--check``), 2 a block or directive the script cannot use (file:line says
which).

What it regenerates
-------------------
1. Generated files: ``docs/rules.md`` (from the rule registry,
   ``aimsctl.rules.docs``), ``docs/records.md`` (from the kind registry,
   ``aimsctl.records.docs``) and the JSON Schemas kept in ``schemas/``
   (``aimsctl.schemas.COMMITTED``; any other ``*.json`` there is removed). A new
   generated Markdown file is one entry in ``GENERATED_MD``.
   ``docs/performance.md`` is written by ``python benchmarks/run.py`` (a long
   run) and is left alone.

2. Documented examples in ``README.md`` and ``docs/*.md``: every fenced
   ``console`` block with a line ``$ aimsctl ...``. Each command is run through
   aimsctl's real entry point, in-process, and the lines under it up to the next
   ``$`` line (or the end of the block) are replaced with what it prints, stdout
   and stderr together as a terminal shows them. The command lines themselves
   are never changed. The rules:

   * Commands run in a fresh temporary folder laid out like the project root
     (``examples/northwind`` is a copy of the bundled example), so
     ``aimsctl ... examples/northwind`` reads the example and a command that
     writes (``report --out reports``, ``init acme-aims``) writes into the
     temporary folder, never into the checkout. All commands of one block share
     that folder, in order.
   * ``--as-of`` is the block's own; a command without one runs as of
     2026-11-26 (``AIMSCTL_AS_OF``), so an example never depends on the day it
     was regenerated. ``GITHUB_ACTIONS``, ``AIMSCTL_DEBUG``, ``COLUMNS`` and
     ``LINES`` are cleared and the validation cache is a temporary folder.
   * Elisions: a documented output line that is just ``...`` (or ``…``) stands
     for any run of lines, none included; a line ending in `` ...`` stands for a
     line that starts with the text before ``...`` and any run of lines after
     it. When the output still matches, the block is left exactly as written,
     elisions and all. When it does not, the new output keeps the elisions where
     their neighbourhood allows (the lines around each one are refreshed), else
     the full output is written. Output left out must be marked so: documented
     output that stops before the real output does is out of date.
   * A 12-digit hexadecimal word (an abbreviated commit sha) matches any other:
     shas of commits made by a setup change whenever the example changes.
   * Documented output that parses as JSON matches when the real output is equal
     JSON, so an example may show JSON compacted.

   A directive in an HTML comment on the lines right before a fence (only other
   HTML comments may stand between them) changes that:

   * ``<!-- regenerate: skip (why) -->``: the block is not run. Say why.
   * ``<!-- regenerate: setup=NAME -->``: the commands run in the folder the setup
     function ``NAME`` builds (see ``SETUPS`` and ``--list``) instead of the
     project-like folder. ``setup=A,B`` gives each command of the block its own
     setup, in order (one name per command).
   * ``<!-- regenerate: setup=NAME; output-of=aimsctl ARGS -->``: for a block that
     shows output only (any fence language, e.g. the Markdown of ``diff --format
     md``): the whole block is the output of that command.

   A ``console`` block whose ``$`` commands are not aimsctl (``$ python -m
   pytest``) is not an example and is left alone; a block mixing both needs
   ``skip``.

Adding a setup: write a function ``(tmp: Path) -> Path`` that builds what the
example needs below ``tmp`` and returns the working folder, decorate it with
``@setup("name")``, and name it in the block's directive.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import io
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE_FOLDER = "examples/northwind"
DOCS_AS_OF = "2026-11-26"

# Generated from the code: each file and the module whose render_markdown() writes it,
# and the JSON Schemas.
GENERATED_MD = {
    "docs/rules.md": "aimsctl.rules.docs",
    "docs/records.md": "aimsctl.records.docs",
}
SCHEMAS = "schemas"
# Generated, or written by another generator (benchmarks/run.py): never scanned for
# examples.
NOT_EXAMPLES = frozenset({*GENERATED_MD, "docs/performance.md"})
# Environment the documented commands must not see.
CLEARED_ENV = ("GITHUB_ACTIONS", "AIMSCTL_DEBUG", "COLUMNS", "LINES")


class DocError(Exception):
    """A block or directive the script cannot use; the message names file and line."""


@dataclass(frozen=True)
class Change:
    """One file out of date: its committed text (None: missing) and the new one
    (None: to be removed), with notes on what changed (which command's output)."""

    path: str
    old: str | None
    new: str | None
    notes: tuple[str, ...] = ()

    def diff(self, limit: int = 40) -> str:
        """A unified diff, at most ``limit`` lines of it."""
        lines = list(
            difflib.unified_diff(
                (self.old or "").splitlines(keepends=True),
                (self.new or "").splitlines(keepends=True),
                f"{self.path} (committed)",
                f"{self.path} (regenerated)",
                n=2,
            )
        )
        lines = [line if line.endswith("\n") else line + "\n" for line in lines]
        if len(lines) > limit:
            lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)\n"]
        return "".join(lines)

    def describe(self) -> str:
        if self.new is None:
            state = "no longer generated: remove it"
        elif self.old is None:
            state = "missing"
        else:
            state = "out of date"
        notes = "".join(f"  {note}\n" for note in self.notes)
        return f"{self.path}: {state}\n{notes}{self.diff()}"


# Setups ------------------------------------------------------------------------

Setup = Callable[[Path], Path]
SETUPS: dict[str, Setup] = {}


def setup(name: str) -> Callable[[Setup], Setup]:
    """Register a setup function under the name a directive uses."""

    def register(function: Setup) -> Setup:
        SETUPS[name] = function
        return function

    return register


def _copy_example(target: Path) -> Path:
    shutil.copytree(PROJECT / EXAMPLE_FOLDER, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path``; fails when the example changed."""
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise DocError(f"setup: {old!r} is not in {path.name} exactly once (the example changed?)")
    path.write_text(text.replace(old, new), encoding="utf-8")


@setup("project")
def _project(tmp: Path) -> Path:
    """The default: a folder laid out like the project root (examples/northwind), in
    git with the example committed, as a checkout of aimsctl holds it (outside git the
    records are under no version control, and readiness says so)."""
    _test_helpers().committed_example(tmp, PROJECT / EXAMPLE_FOLDER, EXAMPLE_FOLDER)
    return tmp


@setup("outside-git")
def _outside_git(tmp: Path) -> Path:
    """An empty folder in no git repository, where `aimsctl init` starts one."""
    return tmp


@setup("northwind")
def _northwind(tmp: Path) -> Path:
    """The working folder is a copy of the bundled example (commands without REPO),
    committed in a git repository of its own, as a user's checkout is."""
    repo = _test_helpers().committed_example(tmp / "northwind", PROJECT / EXAMPLE_FOLDER)
    return Path(repo.root)


@setup("readme-typical-edits")
def _readme_typical_edits(tmp: Path) -> Path:
    """The example as ``my-aims`` after three typical edits: a misspelt field, a
    level off the scale, a control id that does not exist."""
    risks = _copy_example(tmp / "my-aims") / "risks"
    _edit(risks / "R-001.yaml", "\nstatus: monitoring\n", "\nstauts: monitoring\n")
    _edit(
        risks / "R-002.yaml",
        "inherent: {likelihood: 3, severity: 3}",
        "inherent: {likelihood: 6, severity: 3}",
    )
    _edit(risks / "R-003.yaml", "controls: [A.4.6, A.9.2", "controls: [A.7.9, A.9.2")
    return tmp


@setup("broken-template")
def _broken_template(tmp: Path) -> Path:
    """The example (as the working folder) with a Markdown SoA template override
    whose line 4 misspells a variable."""
    root = _copy_example(tmp / "northwind")
    with (root / "aims.yaml").open("a", encoding="utf-8") as config:
        config.write("templates: report-templates\n")
    template = root / "report-templates" / "md" / "soa.md.j2"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% extends "md/base.md.j2" %}\n{% block content %}\n\n{{ report.titel }}\n'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    return root


def _test_helpers() -> Any:
    """tests/gitrepo.py: the git repositories the tests build, shared with the docs."""
    sys.path.insert(0, str(PROJECT / "tests"))
    return importlib.import_module("gitrepo")


@setup("pull-request")
def _pull_request(tmp: Path) -> Path:
    """The example committed on ``main``, and a checked-out branch ``voice-pilot`` that
    reassesses it (see ``northwind_pull_request`` in tests/gitrepo.py)."""
    repo = _test_helpers().northwind_pull_request(tmp / "northwind", PROJECT / EXAMPLE_FOLDER)
    return Path(repo.root)


@setup("log-r7")
def _log_r7(tmp: Path) -> Path:
    """A small repository where R-7 is added, moved to another file, reassessed, and
    then edited in the working tree (status: treating, uncommitted)."""
    helpers = _test_helpers()
    repo = helpers.GitRepo(tmp / "work")
    risk, system = helpers.risk, helpers.system
    repo.write({"aims.yaml": helpers.CONFIG, "systems/SYS-A.yaml": system("SYS-A")})
    repo.write({"risks/R-7.yaml": risk("R-7")})
    repo.commit("Add R-7")
    repo.move("risks/R-7.yaml", "risks/hiring/ranking-bias.yaml")
    repo.commit("Group the hiring risks")
    repo.write({"risks/hiring/ranking-bias.yaml": risk("R-7", likelihood=4, severity=5)})
    repo.commit(
        "Reassess R-7 after the audit\n\nThe audit found more cases.",
        author=("Bo Builder", "bo@example.org"),
    )
    changed = risk("R-7", likelihood=4, severity=5, status="treating")
    repo.write({"risks/hiring/ranking-bias.yaml": changed})
    return Path(repo.root)


# Running aimsctl ---------------------------------------------------------------


def _aimsctl(module: str, name: str) -> Any:
    """A function of aimsctl, imported when first needed (the package ships no type
    information, so its functions are typed where they are used)."""
    return getattr(importlib.import_module(module), name)


@contextlib.contextmanager
def _environment(cache_dir: Path) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*CLEARED_ENV, "AIMSCTL_AS_OF")}
    saved["AIMSCTL_CACHE_DIR"] = os.environ.get("AIMSCTL_CACHE_DIR")
    try:
        for name in CLEARED_ENV:
            os.environ.pop(name, None)
        os.environ["AIMSCTL_AS_OF"] = DOCS_AS_OF
        os.environ["AIMSCTL_CACHE_DIR"] = str(cache_dir)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_aimsctl(command: str, cwd: Path) -> tuple[int, str]:
    """Run one documented command line (``aimsctl ...``) in ``cwd``: exit code and
    what it prints, stdout and stderr interleaved."""
    main: Callable[[list[str]], int] = _aimsctl("aimsctl.cli", "main")
    words = shlex.split(command, comments=True)
    if not words or words[0] != "aimsctl":
        raise DocError(f"not an aimsctl command: {command!r}")
    printed = io.StringIO()
    with (
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(printed),
        contextlib.redirect_stderr(printed),
    ):
        code = main(words[1:])
    return code, printed.getvalue()


# Matching documented output ----------------------------------------------------

_SHA = re.compile(r"\b[0-9a-f]{12}\b")
_ELLIPSES = ("...", "…")


def elision(line: str) -> str | None:
    """None for a plain line; "" for a line that is only an ellipsis; else the prefix
    a line ending in `` ...`` stands for (the text before the ellipsis)."""
    if line.strip() in _ELLIPSES:
        return ""
    for mark in _ELLIPSES:
        if line.endswith(" " + mark) and line.strip() != mark:
            return line[: -len(mark)]
    return None


def _same_line(documented: str, real: str) -> bool:
    return documented == real or _SHA.sub("<sha>", documented) == _SHA.sub("<sha>", real)


def _as_json(lines: Sequence[str]) -> tuple[bool, object]:
    text = "\n".join(lines).strip()
    if not text.startswith(("{", "[")):
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


def matches(documented: Sequence[str], real: Sequence[str]) -> bool:
    """Whether the documented output lines stand for the real ones (see the rules)."""
    if not any(elision(line) is not None for line in documented):
        if len(documented) == len(real) and all(map(_same_line, documented, real)):
            return True
        is_json, value = _as_json(documented)
        real_json, real_value = _as_json(real)
        return is_json and real_json and value == real_value

    @cache
    def at(i: int, j: int) -> bool:
        if i == len(documented):
            return j == len(real)
        prefix = elision(documented[i])
        if prefix is None:
            return j < len(real) and _same_line(documented[i], real[j]) and at(i + 1, j + 1)
        if prefix == "":
            return any(at(i + 1, k) for k in range(j, len(real) + 1))
        return (
            j < len(real)
            and real[j].startswith(prefix)
            and any(at(i + 1, k) for k in range(j + 1, len(real) + 1))
        )

    return at(0, 0)


def refreshed(documented: Sequence[str], real: Sequence[str]) -> list[str]:
    """New documented output for ``real``: the real lines, with the documented
    elisions kept where the lines around them still allow it."""
    if matches(documented, real):
        return list(documented)
    if not any(elision(line) is not None for line in documented):
        return list(real)
    keys = [
        f"\0elision {i}" if elision(line) is not None else _SHA.sub("<sha>", line)
        for i, line in enumerate(documented)
    ]
    matcher = difflib.SequenceMatcher(
        None, keys, [_SHA.sub("<sha>", line) for line in real], autojunk=False
    )
    out: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        doc_part, real_part = documented[i1:i2], real[j1:j2]
        gaps = [k for k, line in enumerate(doc_part) if elision(line) is not None]
        if tag == "equal":
            out += doc_part
        elif not gaps:
            out += real_part
        else:
            # Keep as many real lines before and after the elision as the documented
            # text had there; the elision stands for the rest.
            head, tail = gaps[0], len(doc_part) - gaps[-1] - 1
            if head + tail <= len(real_part):
                out += [*real_part[:head], doc_part[gaps[0]], *real_part[len(real_part) - tail :]]
            else:
                out += real_part
    return out if matches(out, real) else list(real)


# Markdown blocks ---------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*regenerate:\s*(?P<body>.*?)\s*-->\s*$")


@dataclass
class Directive:
    line: int  # 1-based
    skip: str | None = None
    setups: list[str] = field(default_factory=list)
    output_of: str | None = None


def parse_directive(body: str, where: str, line: int) -> Directive:
    """``skip (why)`` or ``key=value`` pairs separated by ``;`` (setup, output-of)."""
    directive = Directive(line)
    if body == "skip" or body.startswith(("skip ", "skip(")):
        reason = body[4:].strip()
        if not (reason.startswith("(") and reason.endswith(")") and reason[1:-1].strip()):
            raise DocError(f"{where}:{line}: say why a block is skipped: skip (why)")
        directive.skip = reason[1:-1].strip()
        return directive
    for part in filter(None, (p.strip() for p in body.split(";"))):
        key, equals, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not value:
            raise DocError(f"{where}:{line}: expected key=value in the directive, not {part!r}")
        if key == "setup":
            directive.setups = [name.strip() for name in value.split(",")]
            unknown = [name for name in directive.setups if name not in SETUPS]
            if unknown:
                raise DocError(
                    f"{where}:{line}: unknown setup {unknown[0]!r}; known: {', '.join(SETUPS)}"
                )
        elif key == "output-of":
            directive.output_of = value
        else:
            raise DocError(f"{where}:{line}: unknown directive key {key!r} (setup, output-of)")
    if not directive.setups and directive.output_of is None:
        raise DocError(f"{where}:{line}: an empty regenerate directive")
    return directive


@dataclass
class Example:
    """One command of a block and its documented output lines."""

    command_lines: list[str]  # as written, `$ ` and continuation lines included
    output: list[str]

    @property
    def command(self) -> str:
        joined = " ".join(line.rstrip("\\").strip() for line in self.command_lines)
        return joined.removeprefix("$ ").strip()


def _console_examples(body: list[str], where: str, line: int) -> list[Example] | None:
    """The commands of a console block, or None when it has no aimsctl command."""
    examples: list[Example] = []
    continued = False
    for text in body:
        if continued:
            examples[-1].command_lines.append(text)
            continued = text.endswith("\\")
        elif text.startswith("$ "):
            examples.append(Example([text], []))
            continued = text.endswith("\\")
        elif examples:
            examples[-1].output.append(text)
        elif text.strip():
            raise DocError(f"{where}:{line}: console block output before its first `$` line")
    ours = [e for e in examples if e.command.split(" ", 1)[0] == "aimsctl"]
    if not ours:
        return None
    if len(ours) != len(examples):
        raise DocError(
            f"{where}:{line}: a console block mixes aimsctl and other commands; "
            "give it <!-- regenerate: skip (why) -->"
        )
    return examples


@dataclass
class Block:
    """A fenced block that documents aimsctl, and where it is in its file."""

    opening: int  # 0-based index of the opening fence line
    closing: int  # 0-based index of the closing fence line
    indent: str  # the fence's indentation, which the body shares
    examples: list[Example]
    setups: list[str]  # from the directive; empty: the default setup
    output_only: bool  # output-of=: the body is output only, no `$` lines

    def where(self, path: str) -> str:
        return f"{path}:{self.opening + 1}"


def example_blocks(text: str, where: str) -> list[Block]:
    """Every block of ``text`` that the script re-runs (not the skipped ones).

    Raises DocError for a directive it cannot use: unknown, stray (not right before
    a fence), on a block that shows no aimsctl, or with the wrong number of setups.
    """
    lines = text.split("\n")
    blocks: list[Block] = []
    used: set[int] = set()
    outside: set[int] = set()  # line numbers (1-based) outside every fenced block
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            outside.add(index + 1)
            index += 1
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"].strip()
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        close = index + 1
        while close < len(lines) and not closing.match(lines[close]):
            close += 1
        if close == len(lines):
            raise DocError(f"{where}:{index + 1}: a fence that is never closed")
        directive: Directive | None = None
        above = index - 1
        while above >= 0 and _COMMENT.match(lines[above]):
            found = _DIRECTIVE.match(lines[above])
            if found:
                if directive is not None:
                    raise DocError(f"{where}:{above + 1}: two regenerate directives for one block")
                directive = parse_directive(found["body"], where, above + 1)
                used.add(above + 1)
            above -= 1
        body = [
            current[len(indent) :] if current.startswith(indent) else current
            for current in lines[index + 1 : close]
        ]
        block = _block(index, close, indent, info, body, directive, where)
        if block is not None:
            blocks.append(block)
        index = close + 1
    stray = sorted(
        number for number in outside - used if _DIRECTIVE.match(lines[number - 1]) is not None
    )
    if stray:
        raise DocError(f"{where}:{stray[0]}: a regenerate directive not right before a fence")
    return blocks


def _block(
    opening: int,
    closing: int,
    indent: str,
    info: str,
    body: list[str],
    directive: Directive | None,
    where: str,
) -> Block | None:
    """The block to re-run, or None (skipped, or not an aimsctl example)."""
    if directive is not None and directive.skip is not None:
        return None
    if directive is not None and directive.output_of is not None:
        examples = [Example([f"$ {directive.output_of}"], body)]
    elif info.split(" ", 1)[0] == "console":
        found = _console_examples(body, where, opening + 1)
        if found is None:
            if directive is not None:
                raise DocError(f"{where}:{directive.line}: a directive on a block with no aimsctl")
            return None
        examples = found
    else:
        if directive is not None:
            raise DocError(
                f"{where}:{directive.line}: a directive on a {info or 'plain'} block "
                "needs output-of=COMMAND"
            )
        return None
    setups = directive.setups if directive is not None else []
    if len(setups) not in (0, 1, len(examples)):
        raise DocError(
            f"{where}:{directive.line if directive else opening + 1}: {len(setups)} setups "
            f"for {len(examples)} commands; give one for the block or one per command"
        )
    output_only = directive is not None and directive.output_of is not None
    return Block(opening, closing, indent, examples, setups, output_only)


def run_block(block: Block) -> list[str]:
    """What each command of the block prints, each run in its setup's folder."""
    names = block.setups or ["project"]
    outputs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="aimsctl-regenerate-") as temporary:
        tmp = Path(temporary)
        with _environment(tmp / "cache"):
            shared = SETUPS[names[0]](_fresh(tmp, 0)) if len(names) == 1 else None
            for index, example in enumerate(block.examples):
                cwd = shared or SETUPS[names[index]](_fresh(tmp, index))
                outputs.append(run_aimsctl(example.command, cwd)[1])
    return outputs


def _fresh(tmp: Path, index: int) -> Path:
    folder = tmp / f"work-{index}"
    folder.mkdir()
    return folder


def regenerate_markdown(text: str, where: str) -> tuple[str, list[str]]:
    """``text`` with every example block re-run; notes naming each changed command."""
    lines = text.split("\n")
    notes: list[str] = []
    for block in reversed(example_blocks(text, where)):
        body: list[str] = []
        for example, printed in zip(block.examples, run_block(block), strict=True):
            real = printed.split("\n")
            if real and real[-1] == "":
                real.pop()
            output = refreshed(example.output, real)
            if output != example.output:
                notes.append(f"{block.where(where)}: the output of `{example.command}` changed")
            if not block.output_only:
                body += example.command_lines
            body += output
        lines[block.opening + 1 : block.closing] = [
            block.indent + line if line else line for line in body
        ]
    return "\n".join(lines), sorted(notes, key=_line_order)


def _line_order(note: str) -> int:
    return int(note.split(":", 2)[1])


# Sources -----------------------------------------------------------------------


def _generated_markdown(source: str, project: Path) -> list[Change]:
    render: Callable[[], str] = _aimsctl(GENERATED_MD[source], "render_markdown")
    return _compare(project, {source: render()})


def _generated_schemas(project: Path) -> list[Change]:
    generate: Callable[[], dict[str, str]] = _aimsctl("aimsctl.schemas", "generate")
    committed: tuple[str, ...] = _aimsctl("aimsctl.schemas", "COMMITTED")
    generated = generate()
    wanted: dict[str, str | None] = {f"{SCHEMAS}/{name}": generated[name] for name in committed}
    for stale in sorted((project / SCHEMAS).glob("*.json")):
        wanted.setdefault(f"{SCHEMAS}/{stale.name}", None)
    return _compare(project, wanted)


def _compare(
    project: Path, wanted: dict[str, str | None], notes: Sequence[str] = ()
) -> list[Change]:
    changes = []
    for rel, new in sorted(wanted.items()):
        path = project / rel
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != new:
            changes.append(Change(rel, old, new, tuple(notes)))
    return changes


def sources(project: Path = PROJECT) -> list[str]:
    """Everything the script keeps true, by the name ``regenerate.py NAME`` takes."""
    documented = ["README.md"] + [
        f"docs/{path.name}" for path in sorted((project / "docs").glob("*.md"))
    ]
    return [*GENERATED_MD, SCHEMAS, *(name for name in documented if name not in NOT_EXAMPLES)]


def changes(source: str, project: Path = PROJECT) -> list[Change]:
    """What is out of date in one source; DocError when its blocks cannot be used."""
    if source in GENERATED_MD:
        return _generated_markdown(source, project)
    if source == SCHEMAS:
        return _generated_schemas(project)
    if source not in sources(project):
        raise DocError(f"{source}: not a source; known: {', '.join(sources(project))}")
    text = (project / source).read_text(encoding="utf-8")
    new, notes = regenerate_markdown(text, source)
    return _compare(project, {source: new}, notes)


def _source_name(given: str) -> str:
    """A source as ``sources()`` names it, from a path as a shell completes it."""
    path = Path(given)
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            path = path.relative_to(PROJECT)
    return path.as_posix()


def write(change: Change, project: Path = PROJECT) -> None:
    path = project / change.path
    if change.new is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change.new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/regenerate.py",
        description="Regenerate generated files and documented examples (see the docstring).",
    )
    parser.add_argument("sources", nargs="*", help="only these sources (default: all)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when anything is out of date"
    )
    parser.add_argument("--list", action="store_true", help="list the sources and setups")
    options = parser.parse_args(argv)
    if options.list:
        print("sources:", *sources(), sep="\n  ")
        print("setups:")
        for name, function in SETUPS.items():
            print(f"  {name}: {' '.join((function.__doc__ or '').split())}")
        return 0
    stale: list[Change] = []
    try:
        for given in options.sources or sources():
            source = _source_name(given)
            stale += changes(source)
    except DocError as error:
        print(f"regenerate: error: {error}", file=sys.stderr)
        return 2
    if options.check:
        for change in stale:
            print(change.describe())
        if stale:
            print(f"{len(stale)} file(s) out of date; run `python scripts/regenerate.py`")
            return 1
        print("everything is up to date")
        return 0
    for change in stale:
        write(change)
        print(f"{'removed' if change.new is None else 'wrote'} {change.path}")
        for note in change.notes:
            print(f"  {note}")
    print(f"{len(stale)} file(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT / "src"))
    sys.exit(main())
