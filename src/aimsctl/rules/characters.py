"""AIMS009: text that displays differently from what it says (Trojan Source)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.rules.registry import Finding, rule
from aimsctl.rules.texts import may_hold, non_ascii, record_texts
from aimsctl.text import BIDI_CONTROLS

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
