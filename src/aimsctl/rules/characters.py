"""AIMS009, AIMS011, AIMS012: text that displays differently from what it says (Trojan
Source, hidden characters, letters of another script drawn alike)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aimsctl import codes
from aimsctl.diagnostics import Severity
from aimsctl.rules.registry import Finding, rule
from aimsctl.rules.texts import non_ascii_texts
from aimsctl.text import BIDI_REORDERING, first_invisible

if TYPE_CHECKING:
    from aimsctl.repository import Repository


@rule(
    codes.BIDI_CONTROL,
    Severity.WARNING,
    summary="A field name or value contains a bidirectional embedding, override or "
    "isolate (U+202A to U+202E, U+2066 to U+2069, such as U+202E RIGHT-TO-LEFT "
    "OVERRIDE), which makes text display in another order than it is stored.",
    why="Reviewers approve records by reading them in a diff or a report; a hidden "
    "reordering can make an id, an owner or a justification read as something it is not "
    "(the Trojan Source attack). Documented information must be accurate and readable "
    "by the people who control it (7.5.2, 7.5.3).",
    fix="Delete the invisible control character (your editor may show it as a marker, or "
    "`aimsctl validate` prints it as an escape like \\u202e). Right-to-left text itself "
    "is fine, and so are the directional marks Arabic and Hebrew writers type (U+200E "
    "LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK, U+061C ARABIC LETTER MARK): they "
    "reorder nothing, and are not reported.",
    example='owner: "ciso@acme.example\\u202e\\u2066 (not really)\\u2069"   # YAML escapes',
)
def bidi_control(repo: Repository) -> Iterator[Finding]:
    for record_id, parts, is_key, text in non_ascii_texts(repo):
        found = next((char for char in text if char in BIDI_REORDERING), None)
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
    for record_id, parts, is_key, text in non_ascii_texts(repo):
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


# Scripts whose letters are drawn alike (Cyrillic a, es and o and the Latin a, c and o;
# the Greek capital eta and the Latin H): a word mixing two of them reads as another word.
LOOK_ALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _script(char: str) -> str | None:
    """The look-alike script of a letter (None for anything else: digits, signs such as
    the micro sign, letters of other scripts)."""
    if char.isascii():
        return "LATIN" if char.isalpha() else None
    if not char.isalpha():
        return None
    script = unicodedata.name(char, "").split(" ", 1)[0]
    return script if script in LOOK_ALIKE_SCRIPTS else None


def mixed_letter(text: str) -> tuple[str, str] | None:
    """In a text written as one word (no space in it), the first letter of a look-alike
    script other than the one most of its letters are in (Latin first on a tie), with
    that majority script; None when its letters are of one script."""
    if text.isascii() or any(char.isspace() for char in text):
        return None
    letters = [(char, script) for char in text if (script := _script(char)) is not None]
    counts = {s: sum(1 for _, script in letters if script == s) for s in LOOK_ALIKE_SCRIPTS}
    present = [s for s in LOOK_ALIKE_SCRIPTS if counts[s]]
    if len(present) < 2:
        return None
    major = max(present, key=lambda s: counts[s])  # the first of equals: Latin
    return next(char for char, script in letters if script != major), major


# Dashes drawn like the hyphen-minus (the em dash and the horizontal bar are longer).
_HYPHEN_LOOKALIKES = frozenset("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d")


def hyphen_lookalike(text: str) -> str | None:
    """In a text written as one word, the first dash drawn like a hyphen that is not
    one and joins two Latin letters (`nyc\u2011ll144`, `hr\u2011analytics`); None
    otherwise. A range (`2019\u20132023`, `Q1\u2013Q4`, `A.5.2\u2013A.5.5`) has a digit
    beside its dash, and a web address (a page titled with an en dash) is left alone."""
    if text.isascii() or any(char.isspace() for char in text) or "://" in text:
        return None
    for index in range(1, len(text) - 1):
        if text[index] in _HYPHEN_LOOKALIKES and all(
            char.isascii() and char.isalpha() for char in (text[index - 1], text[index + 1])
        ):
            return text[index]
    return None


@rule(
    codes.MIXED_SCRIPT,
    Severity.WARNING,
    summary="A value written as one word (no space in it: an id, a reference, an address, "
    "a tag) mixes Latin letters with Cyrillic or Greek ones, letters drawn alike, such as "
    "a Cyrillic es (U+0441) for the `c` of `ciso@acme.example`, or joins Latin letters "
    "with a dash drawn like the hyphen (U+2010-U+2013, U+2212 MINUS SIGN, a small or "
    "full-width hyphen-minus), as word processors and chat tools write one: "
    "`nyc\\u2011ll144\\u2011notice` is not the tag `nyc-ll144-notice` (a dash beside a digit, as "
    "in a range, and a web address are not reported). Words of one script, "
    "and sentences with words of several, are not reported.",
    why="A name that reads as `ciso@acme.example` but holds another letter is a different "
    "name to every check: an approver who looks like a Role is not one, and a reference "
    "that looks right names nothing, or something else. Documented information must be "
    "accurate and readable by the people who control it (7.5.2, 7.5.3).",
    fix="Type the word again in one script (`aimsctl validate` names the letter that "
    "differs and its code point, such as U+0441 CYRILLIC SMALL LETTER ES).",
    example='approved_by: "\\u0441iso@acme.example"   # a Cyrillic es, YAML escapes',
)
def mixed_script(repo: Repository) -> Iterator[Finding]:
    for record_id, parts, is_key, text in non_ascii_texts(repo):
        found = mixed_letter(text)
        if found is None:
            dash = hyphen_lookalike(text)
            if dash is not None:
                name = unicodedata.name(dash, "").lower()
                yield Finding(
                    f"{'field name' if is_key else 'value'} joins its letters with "
                    f"U+{ord(dash):04X} ({name}), drawn like a hyphen: it reads as another "
                    "word than it is; type the hyphen again as '-'",
                    record=record_id,
                    parts=parts,
                    at_key=is_key,
                )
            continue
        letter, major = found
        minor = _script(letter) or ""
        name = unicodedata.name(letter, "").lower()
        where = "field name" if is_key else "value"
        yield Finding(
            f"{where} mixes {major.title()} letters with a {minor.title()} one, "
            f"U+{ord(letter):04X} ({name}), drawn alike: it reads as another word "
            "than it is; type it again in one script",
            record=record_id,
            parts=parts,
            at_key=is_key,
        )
