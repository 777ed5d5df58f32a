"""AIMS009, AIMS011: text that displays differently from what it says (Trojan Source)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.rules.registry import Finding, rule
from aimsctl.rules.texts import invisible, may_hold, non_ascii, record_texts
from aimsctl.text import BIDI_CONTROLS, first_invisible

if TYPE_CHECKING:
    from aimsctl.repository import Repository


@rule(
    codes.BIDI_CONTROL,
    Severity.WARNING,
    summary="A field name or value contains a bidirectional control character (such as "
    "U+202E RIGHT-TO-LEFT OVERRIDE), which makes text display in another order than it "
    "is stored.",
    why="Reviewers approve records by reading them in a diff or a report; a hidden "
    "reordering can make an id, an owner or a justification read as something it is not "
    "(the Trojan Source attack). Documented information must be accurate and readable "
    "by the people who control it (7.5.2, 7.5.3).",
    fix="Delete the invisible control character (your editor may show it as a marker, or "
    "`aimsctl validate` prints it as an escape like \\u202e). Right-to-left text itself "
    "is fine; only the explicit control characters are reported.",
    example='owner: "ciso@acme.example\\u202e\\u2066 (not really)\\u2069"   # YAML escapes',
)
def bidi_control(repo: Repository) -> Iterator[Finding]:
    for record_id, entry in repo.entries.items():
        if not may_hold(entry.document, non_ascii):
            continue
        for parts, is_key, text in record_texts(entry.document.data):
            found = next((char for char in text if char in BIDI_CONTROLS), None)
            if found is not None:
                where = "field name" if is_key else "value"
                yield Finding(
                    f"{where} contains the bidirectional control character "
                    f"U+{ord(found):04X}, which reorders how the text is shown; delete it",
                    record=record_id,
                    parts=parts,
                    at_key=is_key,
                )


@rule(
    codes.INVISIBLE_CHARACTER,
    Severity.WARNING,
    summary="A field name or value contains a character that shows as nothing (such as "
    "U+00AD SOFT HYPHEN, U+200B ZERO WIDTH SPACE or a tag character), so it reads the "
    "same as a text without it.",
    why="Two names, ids or references that read the same but differ are different to "
    "every check: an approver who looks like the owner is not the same person to a "
    "separation-of-duties check, and a reference that looks right names nothing. "
    "Documented information must be accurate and readable by the people who control it "
    "(7.5.2, 7.5.3).",
    fix="Delete the invisible character (`aimsctl validate` prints it as an escape, such as "
    "\\xad or \\u200b). The zero-width joiners (U+200C, U+200D) that some scripts and "
    "emoji need, and an emoji's presentation selector right after the symbol, are not "
    "reported.",
    example='approved_by: "ciso\\u00ad@acme.example"   # YAML escapes',
)
def invisible_character(repo: Repository) -> Iterator[Finding]:
    for record_id, entry in repo.entries.items():
        if not may_hold(entry.document, invisible):
            continue
        for parts, is_key, text in record_texts(entry.document.data):
            found = first_invisible(text)
            if found is not None:
                where = "field name" if is_key else "value"
                name = unicodedata.name(found, "").lower()
                yield Finding(
                    f"{where} contains U+{ord(found):04X}{f' ({name})' if name else ''}, "
                    "which shows as nothing, so it reads as the text without it; delete it",
                    record=record_id,
                    parts=parts,
                    at_key=is_key,
                )
