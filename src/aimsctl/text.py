"""The one text toolkit every output uses: words, plain tables, Markdown, CSS strings,
band colours.

Markdown here is written for GitHub and any CommonMark renderer, from untrusted
record text: whatever a title holds, it shows as the same text, never as markup,
a link, raw HTML or an @-mention. :class:`Markdown` marks text that is already
Markdown (built by these functions), so tables escape everything else.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

# --- words --------------------------------------------------------------------------


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 risk``, ``2 risks``; ``many`` for irregular plurals."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def a_kind(kind: str) -> str:
    """A record kind with its article: ``an AISystem``, ``a Risk``."""
    return f"an {kind}" if kind[:1] in "AEIOU" else f"a {kind}"


def read_as_zero(text: str, number: float) -> bool:
    """Whether ``number``, read from the decimal ``text``, is 0 only because a float
    cannot hold a number that close to zero (``1e-400``): parsing changed it, and a
    value changed by parsing could turn a breach into a pass."""
    mantissa = text.lower().partition("e")[0]
    return number == 0 and any(digit in mantissa for digit in "123456789")


def rounded_on_reading(text: str, number: float) -> str | None:
    """The number a float holds for the decimal ``text`` (as :func:`repr` writes it)
    where that is not the number written (``0.79999999999999999`` is held as 0.8);
    None where it is. A value changed by parsing could turn a breach into a pass, as one
    read as 0 could. A decimal of 15 significant digits or fewer always reads back as
    written, so only longer ones are compared; a whole number written with a point
    (``9007199254740993.0``, held as 9007199254740992.0) is one too, where a reader has
    not refused it as a whole number beyond ±2**53 in its own words first."""
    head = text.lower().partition("e")[0]
    mantissa = head.lstrip(" +-").lstrip("0.").rstrip(" 0.")
    if len(mantissa) <= 15 or sum(c.isdigit() for c in mantissa) <= 15:
        return None
    held = repr(number)
    return None if Decimal(text.strip()) == Decimal(held) else held


def rounding_refused(number: str, held: str) -> str:
    """Why a decimal ``number`` is refused: a float would hold it as ``held``
    (:func:`rounded_on_reading`), in words every reader of numbers uses."""
    return (
        f"{number} has more digits than can be held: it would be read as {held}; write "
        "at most 15 significant digits, rounded as you mean it"
    )


def words(names: Sequence[str], last: str = "or") -> str:
    """``a, b or c``: names as a phrase for help texts and messages."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def failing_validation(ids: Sequence[str]) -> str:
    """ "SYS-A fails validation", "SYS-A and SYS-B fail validation": records named as left
    out, wherever a judgement could not be made without them."""
    verb = "fails" if len(ids) == 1 else "fail"
    return f"{words(ids, 'and')} {verb} validation"


def first_of(names: Sequence[str], shown: int = 10) -> str:
    """``a, b, c and 7 more``: the first ``shown`` of ``names`` as given, then how many
    are left, so a message naming files stays readable however many there are."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def comma_list(values: Sequence[str]) -> list[str]:
    """The names of a repeatable, comma-separated option: ``-x a,b -x c`` is a, b, c.

    Spaces around a name are dropped, and so are empty names.
    """
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def failed_places(files: Sequence[str]) -> str:
    """ "2 files with records that failed validation": the files (or the folders a sparse
    checkout left off the disk, or that could not be listed) whose records a command
    leaves out, counted in words."""
    if all(path.endswith((".yaml", ".yml")) for path in files):
        return f"{plural(len(files), 'file')} with records that failed validation"
    places = "file or folder" if len(files) == 1 else "files or folders"
    return f"{len(files)} {places} with records that failed validation or were not read"


def left_out_note(
    files: Sequence[str], consequence: str, validate: str = "aimsctl validate"
) -> str:
    """A line of a command's own output (not only its warning on standard error) that
    names the files whose records failed validation and what that leaves unknown, so
    a summary drawn from the other records never reads as complete. ``consequence``
    may say ``{its}``: "its" for one file, "their" for more; ``validate`` is the
    command that says why (naming the repository where the output suggests commands)."""
    shown = ", ".join(printable(path) for path in files)
    said = consequence.format(its="its" if len(files) == 1 else "their")
    return f"Incomplete: {failed_places(files)} left out ({shown}), so {said}; run {validate}"


_NUMBERS = re.compile(r"(\d+)")
_LONGEST_NUMBER = 4_300  # digits int() converts (Python's limit); a longer run stays text


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders the numbers inside ids by value: A.2.2 < A.10.1, R-9 < R-10.

    Ids equal by value (R-01, R-1) are ordered by their text, last: the order never
    depends on the order they came in (a set's changes with Python's hash seed). The
    text may be any file's: a run of more digits than int() converts sorts as text."""
    parts = [
        (0, int(part)) if part.isdecimal() and len(part) <= _LONGEST_NUMBER else (1, part)
        for part in _NUMBERS.split(text)
        if part
    ]
    return (*parts, (-1, text))


def wrap_words(text: str, width: int, indent: str = "", later: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` characters (a longer word stays whole),
    broken between words only: a value such as `human-in-the-loop` is typed into
    records as printed, so it is never split at a hyphen. ``indent`` starts the first
    line, ``later`` the others (``indent`` when not given)."""
    import textwrap

    wrapper = textwrap.TextWrapper(
        width,
        initial_indent=indent,
        subsequent_indent=indent if later is None else later,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text)


def plain_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Left-aligned columns two spaces apart; stable for pipes and diffs. Cells are
    made :func:`printable`, and padded by the width a terminal draws them (a Chinese
    character takes two columns, a combining accent none)."""
    body = [[printable(cell) for cell in row] for row in [list(headers), *rows]]
    drawn = [[shown_width(cell) for cell in row] for row in body]
    widths = [max(row[i] for row in drawn) for i in range(len(headers))]
    return [
        "  ".join(
            cell + " " * (width - used)
            for cell, used, width in zip(row, used_row, widths, strict=True)
        ).rstrip()
        for row, used_row in zip(body, drawn, strict=True)
    ]


def shown_width(text: str) -> int:
    """How many terminal columns ``text`` takes, as Rich counts them for a wide or
    combining character: two for a wide one (Chinese, Japanese, Korean, most emoji),
    none for what is drawn as part of the character before it (an accent, a skin tone,
    what a joiner adds to an emoji) or as nothing. Measured here, not with Rich: this
    layer does not import it."""
    if text.isascii():
        return len(text)
    width = 0
    for at, char in enumerate(text):
        if char == "\ufe0f" and _emoji_selector(text, at):  # drawn as an emoji: wide
            width += unicodedata.east_asian_width(text[at - 1]) not in ("W", "F")
            continue
        joined = _joins_previous(char) or (at > 0 and text[at - 1] == _ZWJ)
        if not joined and unicodedata.category(char) != "Cf":
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


# Characters that change how a terminal or a log shows text: C0 and C1 controls
# (escape sequences, carriage returns, a newline that starts a `::` workflow command
# in a GitHub Actions log), line and paragraph separators, and the bidirectional
# controls that reorder what is displayed (Trojan Source); noncharacters; and lone
# surrogates, which stand for the bytes of a file name that is not UTF-8 and cannot be
# written out.
# The ASCII control characters: no file or folder name a person means holds one (a
# NUL cannot even be passed to the system).
NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Of those, the ones that reorder what follows (embeddings, overrides, isolates: Trojan
# Source). The marks (U+061C, U+200E, U+200F) only give their place a direction, and
# Arabic and Hebrew writers type them.
BIDI_REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters that show as nothing, so two ids, field names or paths that differ only
# by them read the same (`SYS-A` and `SYS-\u200bA`, `ab` and `a\u00adb`): every format
# character (Unicode category Cf: the soft hyphen, zero-width space, word joiner and
# invisible operators, a byte order mark inside text, the Mongolian vowel separator,
# the tag characters that can spell out hidden ASCII, the number signs whose look
# depends on the font) and what else Unicode lets a renderer show as nothing (its
# default ignorable code points: the combining grapheme joiner, the Hangul fillers,
# the variation selectors). Written as character-class ranges for a regex. The joiners
# ZWNJ and ZWJ (U+200C, U+200D) are not here: Persian, Indic scripts and emoji need
# them (printable() escapes a ZWJ that joins nothing); nor are the bidirectional
# controls (BIDI_CONTROLS), escaped with the others.
INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b\u2060-\u2065\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# Unicode's noncharacters (U+FDD0-U+FDEF and the last two code points of each plane):
# kept for a program's own use, never text to show; XML cannot carry U+FFFE or U+FFFF
# and HTML calls every one of them an error.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
# The emoji presentation selectors: one right after a symbol (`\u26a0\ufe0f`, the
# warning sign drawn as an emoji) is how emoji are written, and stays.
_EMOJI_SELECTORS = "\ufe0e\ufe0f"
_UNPRINTABLE = re.compile(
    f"[\x00-\x1f\x7f-\x9f\u200d\u2028\u2029\ud800-\udfff{BIDI_CONTROLS}{INVISIBLE}{NONCHARACTERS}]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What YAML 1.2 allows no file to hold (its c-printable is everything else).
_BEYOND_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


# Characters that look like a space and that YAML reads as text, not as indentation:
# they come with text pasted from a web page or a word processor.
_LOOKALIKE_SPACES = "[\u00a0\u2000-\u200a\u202f\u205f\u3000]"


def lookalike_space(text: str) -> str | None:
    """``U+00A0 (no-break space)`` for the first character of ``text``'s leading
    white space that only looks like a space, or None."""
    indent = text[: len(text) - len(text.lstrip())]
    found = re.search(_LOOKALIKE_SPACES, indent)
    if found is None:
        return None
    odd = found.group()
    return f"U+{ord(odd):04X} ({unicodedata.name(odd).lower()})"


# Characters that show as nothing: a byte-order mark left where two files were
# joined, zero-width spaces and joiners that come with pasted text.
_INVISIBLE_START = "[ ]*([\ufeff\u200b-\u200d\u2060])"


def invisible_start(text: str) -> str | None:
    """``U+FEFF (zero width no-break space)`` for an invisible character that starts
    ``text`` (after any spaces), or None."""
    found = re.match(_INVISIBLE_START, text)
    if found is None:
        return None
    odd = found.group(1)
    return f"U+{ord(odd):04X} ({unicodedata.name(odd).lower()})"


def composed(text: str) -> str:
    """``text`` in one Unicode form (NFC): an accent typed as one character, and one
    typed as a letter and a combining mark (as some editors and PDFs write it, and
    macOS a file name), come out the same, as they look."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


_ZWJ = "\u200d"


def _joins_previous(char: str) -> bool:
    """Whether ``char`` is drawn as part of the character before it: a combining mark,
    a zero-width joiner, a variation selector, an emoji skin-tone modifier or a tag
    character (a subdivision flag's letters)."""
    code = ord(char)
    return (
        code == 0x200D
        or 0x1160 <= code <= 0x11FF  # a Hangul vowel or final consonant (NFD Korean)
        or 0xD7B0 <= code <= 0xD7FF
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Mc", "Me")
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def cluster_boundary(text: str, at: int) -> int:
    """``at``, or the nearest index before it that falls between two visible
    characters of ``text``: a cut there never leaves an accent without its letter
    (NFD), nor splits an emoji sequence (joined by U+200D, with a skin tone or a
    selector) or a flag (regional indicators pair up from the start of their run)."""
    at = max(0, min(at, len(text)))
    while 0 < at < len(text) and (_joins_previous(text[at]) or text[at - 1] == _ZWJ):
        at -= 1
    if 0 < at < len(text) and _regional(text[at]) and _regional(text[at - 1]):
        run = at
        while run > 0 and _regional(text[run - 1]):
            run -= 1
        at -= (at - run) % 2
    return at


def clipped(text: str, width: int, tail: str = "…") -> str:
    """``text`` when it has at most ``width`` characters, else cut between two visible
    characters (:func:`cluster_boundary`) so that with ``tail`` it has at most that."""
    if len(text) <= width:
        return text
    return text[: cluster_boundary(text, width - len(tail))] + tail


def name_key(name: str) -> str:
    """``name`` as it is compared with another person's or role's name: composed
    (:func:`composed`), so two spellings that look the same are the same name.
    Letter case still counts: a difference one can see is left to the person."""
    return composed(name)


_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-")
)
_SPACES = re.compile(r"\s+")
# Cyrillic and Greek letters drawn like a Latin one (Unicode's confusables), as that
# letter: `ciso` with a Cyrillic es reads as `ciso`, and is folded to it.
_DRAWN_LATIN = str.maketrans(
    {
        **dict(
            zip(
                "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb\u0501",
                "aeopcyxijshd",
                strict=True,
            )
        ),
        **dict(
            zip(
                "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408\u0405",
                "ABEKMHOPCTXIJS",
                strict=True,
            )
        ),
        **dict(
            zip(
                "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
                "ABEZHIKMNOPTYX",
                strict=True,
            )
        ),
        **dict(zip("\u03bf\u03bd\u03b9\u03ba\u03c1\u03c5", "ovikpu", strict=True)),
    }
)


def lookalike_key(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms folded (a full-width letter is
    the letter, a no-break space a space), what shows as nothing dropped
    (:func:`as_shown`), dashes as a hyphen and Cyrillic or Greek letters drawn like
    Latin ones as those letters. Two texts with one key cannot be told apart by eye."""
    if text.isascii():
        return text
    shown = unicodedata.normalize("NFKC", as_shown(text))
    return shown.translate(_DASHES).translate(_DRAWN_LATIN)


def by_letter_case(ids: Iterable[str]) -> dict[str, list[str]]:
    """``ids`` grouped by their case-folded form, each group sorted: record ids are
    ASCII and case-sensitive, so ids in one group are told apart by case alone and
    read as one another (AIMS211)."""
    groups: dict[str, list[str]] = {}
    for record_id in sorted(set(ids)):
        groups.setdefault(record_id.casefold(), []).append(record_id)
    return groups


def person_key(name: str) -> str:
    """``name`` as a check that two names are *not* one person compares it: looser
    than :func:`name_key`, so that no spelling gets past it. Names that look alike
    (:func:`lookalike_key`) are one, spaces are collapsed and trimmed, and letter case
    does not count."""
    return _SPACES.sub(" ", lookalike_key(name)).strip().casefold()


def lookalikes_escaped(text: str) -> str:
    """``text`` with each character that is not ASCII but is read as ASCII (a dash, a
    full-width or Cyrillic letter drawn like a Latin one) written as its escape
    (``\\u2011``), so that two texts that look the same show how they differ."""
    if text.isascii():
        return text
    return "".join(
        char
        if char.isascii() or not lookalike_key(char).isascii() or not lookalike_key(char)
        else f"\\u{ord(char):04x}"
        for char in text
    )


def lookalikes_told_apart(first: str, second: str) -> tuple[str, str]:
    """Two texts that read the same, each with the lookalikes where it differs from
    the other escaped (:func:`lookalikes_escaped`); what both hold in the same place
    (an em dash in a title) stays as written."""
    import difflib  # here: only a change between lookalikes needs it

    out: tuple[list[str], list[str]] = ([], [])
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    for tag, start, end, other, other_end in matcher.get_opcodes():
        parts = (first[start:end], second[other:other_end])
        for kept, part in zip(out, parts, strict=True):
            kept.append(part if tag == "equal" else lookalikes_escaped(part))
    return "".join(out[0]), "".join(out[1])


def _form(text: str) -> str:
    if unicodedata.is_normalized("NFC", text):
        return "composed"
    return "decomposed" if unicodedata.is_normalized("NFD", text) else "partly composed"


def composition_change(first: str, second: str) -> str:
    """``decomposed -> composed`` when two texts differ only in how their accents are
    written (one after :func:`composed`): they show the same, so only words can say
    what changed; "" otherwise."""
    if first == second or composed(first) != composed(second):
        return ""
    return f"{_form(first)} -> {_form(second)}"


def drawn_alike(shown: str, meant: str) -> str:
    """`` ('Lik\\u0435ly' holds U+0435 ...)`` when ``shown`` differs from ``meant`` but
    reads the same (:func:`lookalike_key`): naming the character is the only way to say
    what is wrong; in words when only the Unicode composition differs; "" otherwise."""
    if shown == meant or lookalike_key(shown).casefold() != lookalike_key(meant).casefold():
        return ""
    if composition_change(shown, meant):
        forms = f"{_form(shown)}, not {_form(meant)}"
        return f" (same text, Unicode composition differs: {forms})"
    odd = next((c for c in shown if not c.isascii() and lookalike_key(c).isascii()), None)
    if odd is None:
        return ""
    name = unicodedata.name(odd, "").lower()
    return f" ('{lookalikes_escaped(shown)}' holds U+{ord(odd):04X}{f' {name}' if name else ''})"


def path_key(path: str) -> str:
    """``path`` as a file system that ignores what git does not would compare it: '\\'
    taken for '/' (Windows), accents in one Unicode form (NFC: macOS may write a name
    decomposed) and letter case folded (Windows, macOS). Two paths with one key name
    one file on some laptop, and two (or one missing) in git and on Linux."""
    return composed(path.replace("\\", "/")).casefold()


def has_words(text: str) -> bool:
    """Whether ``text`` says anything: some letter or digit, not only spaces or
    punctuation (`-`, `...`); a reason or a note without one says nothing."""
    return any(character.isalnum() for character in text)


def is_text(value: str) -> bool:
    """Whether ``value`` is Unicode text: a lone surrogate (JSON's ``\\ud800`` escape
    alone, or the bytes of an argument or file name that is not UTF-8, as Python
    keeps them) is not, and no record or output can hold it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str, keep: str = "") -> str:
    """Text for a terminal or a log, one line: every control character written as an
    escape (``\\n``, ``\\x1b``, ``\\u202e``), and so is every character that shows as
    nothing (``\\u200b``, ``\\u00ad``, ``\\U000e0041``: :data:`INVISIBLE`; a zero-width
    joiner unless it joins two emoji or two letters of a script that needs it), so what
    is shown is what is there; a byte of a file name or argument that is not UTF-8 is
    shown as that byte (``\\xff``). The characters in ``keep`` stay as they are (an
    HTML report keeps line breaks)."""
    return _UNPRINTABLE.sub(lambda match: _escaped(match, keep), text)


def beyond_yaml_escaped(text: str, keep: str = "") -> str:
    """``text`` as it is, but for the characters no YAML file can hold (the control
    characters other than tab, line feed, carriage return and NEL; a lone surrogate,
    as a byte of a file name that is not UTF-8 is kept; U+FFFE and U+FFFF), written as
    :func:`printable` writes them: for output that must hold a record file's own text
    (a diff `git apply` reads), where a terminal still gets no escape sequence, which
    needs ESC or a C1 control. The characters in ``keep`` stay as they are."""
    return _BEYOND_YAML.sub(lambda match: _escaped(match, keep), text)


def _escaped(match: re.Match[str], keep: str) -> str:
    char = match.group()
    if char in keep:
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python keeps it
        return f"\\x{code - 0xDC00:02x}"
    if _emoji_selector(match.string, match.start()) or _joining(match.string, match.start()):
        return char
    if code < 0x100:
        return f"\\x{code:02x}"
    # Eight digits past U+FFFF, as Python and YAML write them: `\ue0041` would
    # read as U+E004 and a 1.
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _emoji_selector(text: str, at: int) -> bool:
    """Whether the character at ``at`` is an emoji selector right after a symbol."""
    return text[at] in _EMOJI_SELECTORS and at > 0 and unicodedata.category(text[at - 1]) == "So"


def _joining(text: str, at: int) -> bool:
    """Whether the character at ``at`` is a zero-width joiner that is part of what it
    joins: two emoji (the first may end in a skin tone or a selector: 👩🏽‍💻), or two
    letters or marks of a script that writes with it (a Devanagari half form). Alone,
    or next to a Latin letter (`SYS-\u200dA`), it only hides a difference."""
    if text[at] != _ZWJ or at == 0:
        return False
    before = text[at - 1]
    if at + 1 < len(text) and unicodedata.category(text[at + 1]) == "So":
        code = ord(before)
        if unicodedata.category(before) == "So" or 0x1F3FB <= code <= 0x1F3FF:
            return True
        if before in _EMOJI_SELECTORS:
            return True
    # After a letter of such a script it shapes that letter, even at a word's end.
    return _script_letter(before)


# The scripts whose writers type a zero-width joiner to shape letters: Arabic (and
# Persian, Urdu), Syriac and Thaana; the Indic scripts from Devanagari to Sinhala
# (half forms, Malayalam chillu); Myanmar. Between two letters of any other script
# (Cyrillic, Greek, Chinese) it shapes nothing and only hides a difference.
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0x1000, 0x109F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


def _script_letter(char: str) -> bool:
    """A letter or mark of a script that shapes letters with a zero-width joiner."""
    code = ord(char)
    return unicodedata.category(char)[0] in "LM" and any(
        low <= code <= high for low, high in _JOINING_SCRIPTS
    )


def quoted(text: str) -> str:
    """``text`` as ``repr`` quotes it for a message, except a zero-width joiner that
    :func:`printable` keeps (inside an emoji): ``repr`` escapes every one."""
    shown = repr(text)
    if _ZWJ not in text:
        return shown
    quote = shown[0]
    return (
        quote
        + "".join(
            char
            if _joining(text, at)
            else "\\" + char
            if char in (quote, "\\")
            else repr(char)[1:-1]
            for at, char in enumerate(text)
        )
        + quote
    )


_INVISIBLE = re.compile(f"[{INVISIBLE}]")


# What shows as nothing, joiners too: taken out, a text reads as it shows.
_SHOWS_AS_NOTHING = re.compile(f"[{INVISIBLE}{BIDI_CONTROLS}\u200c\u200d]")


def as_shown(text: str) -> str:
    """``text`` without the characters that show as nothing (:data:`INVISIBLE`, the
    bidirectional marks and the joiners): ``\u200bTODO:`` reads as ``TODO:``, as
    AIMS011 says it does."""
    return _SHOWS_AS_NOTHING.sub("", text)


def first_invisible(text: str) -> str | None:
    """The first character of ``text`` that shows as nothing (:data:`INVISIBLE`, as
    :func:`printable` escapes it: an emoji selector after a symbol shows), or None."""
    for found in _INVISIBLE.finditer(text):
        if not _emoji_selector(text, found.start()):
            return found.group()
    return None


def shown_as_is(text: str) -> bool:
    """Whether :func:`printable` may leave ``text`` as it is: a quick test that a caller
    can run on every value (true for nearly all). False may still mean nothing to
    escape (an emoji's selector)."""
    if text.isascii():
        return text.isprintable()
    return _UNPRINTABLE.search(text) is None


# --- Markdown -----------------------------------------------------------------------


class Markdown(str):
    """Text that is already Markdown, made by this module: written out as it is."""

    __slots__ = ()


# Characters that could start markup inside a line: emphasis, code, links, images,
# HTML, entities, headings, strikethrough, table cells, math (GitHub renders
# `$...$` as a formula), and the escape itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>&#~$])")
# An @ that GitHub would read as a mention (not the @ inside an e-mail address).
_MENTION = re.compile(r"(?<![\w.+-])@(?=[A-Za-z0-9])")
_WORD_JOINER = "\u2060"
# What makes a line that starts with it a list item, a thematic break or a setext
# heading underline (`- x`, `---`, `+ x`, `===`, `1. x`, `1) x`): escaped at the start.
# A lone `-` or `=`, the placeholder of many a table cell, stays as it is.
_MD_LINE_START = re.compile(
    r"^(?:[-+](?=\s)|-(?=(?:\s*-){2}[-\s]*$)|=(?==+$)|\d{1,9}(?=[.)](?:\s|$)))"
)


def md_text(value: object) -> Markdown:
    """Record text as one line of Markdown that shows exactly that text.

    Line breaks and runs of spaces become one space (a table row is one line);
    markup characters are backslash-escaped, so ``<img>`` shows as text and ``|``
    cannot split a table cell, nor a leading ``- `` or ``1. `` start a list when the
    text is a paragraph of its own; a word joiner after a leading ``@`` keeps
    ``@org/team`` from notifying anyone. ``None`` is the empty string.
    """
    if value is None:
        return Markdown("")
    if isinstance(value, Markdown):
        return value
    text = _MD_SPECIAL.sub(r"\\\1", printable(" ".join(str(value).split())))
    text = _MD_LINE_START.sub(_escape_line_start, text)
    return Markdown(_MENTION.sub("@" + _WORD_JOINER, text))


def md_paragraphs(value: object) -> Markdown:
    """Record text as Markdown paragraphs that show exactly that text: each paragraph
    (text between blank lines) as :func:`md_text` writes it, one blank line between."""
    paragraphs = re.split(r"\n[^\S\n]*\n", str(value).strip()) if value is not None else []
    return Markdown("\n\n".join(md_text(part) for part in paragraphs if part.strip()))


def _escape_line_start(match: re.Match[str]) -> str:
    found = match.group()
    return f"\\{found}" if found in "-+=" else f"{found}\\"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def md_code(value: object) -> Markdown:
    """Text as an inline code span, however many backticks it holds.

    The span's fence is one backtick longer than the longest run inside; spaces
    pad text that starts or ends with a backtick or a space. Control, bidirectional
    and invisible characters are written as escapes, as :func:`md_text` writes them.
    """
    text = printable(" ".join(str(value).split()))
    fence = "`" * (_longest_backtick_run(text) + 1)
    if text[:1] in ("`", " ") or text[-1:] in ("`", " "):
        text = f" {text} "
    return Markdown(f"{fence}{text}{fence}")


# What an HTML template's autoescape writes for each character it escapes.
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def markdown_html(value: object) -> str:
    """The HTML that shows what ``value`` shows: Markdown built by this module
    (:func:`md_text` pieces and :func:`md_code` spans) with each backslash escape undone
    and each code span a ``<code>`` element, any other text as it is; every character
    escaped as an HTML template's autoescape escapes it. A message written once as
    Markdown shows its code as code in an HTML report too, not as backticks."""
    if not isinstance(value, Markdown):
        return ("" if value is None else str(value)).translate(_HTML_ESCAPES)
    out: list[str] = []
    at = 0
    while at < len(value):
        char = value[at]
        if char == "\\" and at + 1 < len(value):
            out.append(value[at + 1].translate(_HTML_ESCAPES))
            at += 2
            continue
        if char == "`":
            fence = value[at : len(value) - len(value[at:].lstrip("`"))]
            close = re.compile(rf"(?<!`){fence}(?!`)").search(value, at + len(fence))
            if close is not None:
                code = value[at + len(fence) : close.start()]
                if len(code) > 2 and code[0] == code[-1] == " " and code.strip():
                    code = code[1:-1]
                out.append(f"<code>{code.translate(_HTML_ESCAPES)}</code>")
                at = close.end()
                continue
            out.append(fence)
            at += len(fence)
            continue
        out.append(char.translate(_HTML_ESCAPES))
        at += 1
    return "".join(out)


def md_fence(text: str, info: str = "") -> list[str]:
    """A fenced code block holding ``text``: the fence outlasts any backtick run in it."""
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return [fence + info, *text.split("\n"), fence]


# A pipe not already escaped: GitHub splits a table row on it, even inside code.
_BARE_PIPE = re.compile(r"(?<!\\)\|")


def md_table(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> list[str]:
    """A GitHub table. Cells that are not :class:`Markdown` are escaped as text; in
    Markdown cells (code spans, links) every bare ``|`` is escaped."""

    def cell(value: object) -> str:
        if isinstance(value, Markdown):
            return _BARE_PIPE.sub(r"\\|", value)
        return md_text(value)

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return lines


# Whitespace, what ends the target or the link, a table cell's pipe, the escape, and
# the characters printable() escapes (control and bidirectional controls, invisible
# characters), so a link's target never reads as another's.
_HREF_UNSAFE = re.compile(
    f"[\\s()<>\\[\\]|\\\\\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}{INVISIBLE}{NONCHARACTERS}]"
)


def html_id(prefix: str, record_id: str) -> str:
    """The HTML id of a record's place in a report: ``c-A_6_2_4`` for ``("c", "A.6.2.4")``.

    Record ids hold letters, digits, '.', '_' and '-'; a dot is written as '_', so
    that ``#c-A_6_2_4`` selects the element in CSS (and querySelector, and
    accessibility tools) without escaping. The prefix is letters only.

    Two ids never share an HTML id, so a link never lands on another record: an id
    that holds a '_' (``R_1``, which ``R.1`` would otherwise meet) is written after
    two dashes, its '_' doubled and each dot as ``_-`` (``r--R__1``; ``R.1`` is
    ``r-R_1``). Ids start with a letter or digit, so nothing else starts ``prefix--``.
    """
    if "_" not in record_id:
        return f"{prefix}-{record_id.replace('.', '_')}"
    return f"{prefix}--{record_id.replace('_', '__').replace('.', '_-')}"


def is_web_url(text: str) -> bool:
    """An http(s) link with a host; anything else (javascript:, file:, data:) is not linked."""
    if ":" not in text:  # no scheme: a path (most references), without parsing it
        return False
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def md_href(value: object) -> str:
    """A link target for Markdown ``[text](target)``: spaces, brackets and parentheses
    percent-encoded so the target cannot end early, and so are ``|`` (which splits a
    table row even inside a link), ``\\`` and control, bidirectional and invisible
    characters (each as the percent-encoded bytes of its UTF-8)."""
    return _HREF_UNSAFE.sub(
        lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), str(value)
    )


# Everything a CSS string may hold as itself here: any other character is escaped.
_CSS_ESCAPED = re.compile("[^A-Za-z0-9 .,:-]")


def css_string(value: object) -> str:
    """``value`` as the inside of a double-quoted CSS string (``content: "..."``): every
    character but letters, digits, space and ``.,:-`` written as a six-digit hex escape
    and a space (which the escape consumes), so no quote, backslash or line break can end
    the string and no ``</style>`` the style element, whatever record text it holds.
    What would not show (a line separator, a bidirectional control) is first written
    as its escape (:func:`printable`), as the report's body shows it."""
    return _CSS_ESCAPED.sub(lambda m: f"\\{ord(m.group()):06X} ", printable(str(value), "\t\n\r"))


# --- band colours -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BandColour:
    terminal: str  # a Rich colour name
    fill: str  # HTML background
    ink: str  # HTML text on that background


# Lowest band first. With more or fewer bands than colours, each band takes the
# nearest colour by rank; a single band takes the top colour.
BAND_COLOURS: tuple[BandColour, ...] = (
    BandColour("green", "#c9ecd2", "#0c3d1b"),
    BandColour("yellow", "#fbeaa4", "#4a3a00"),
    BandColour("dark_orange", "#fdd0a2", "#5c2700"),
    BandColour("red", "#f5b5b5", "#5e0b0b"),
)


def band_colour(rank: int, count: int) -> BandColour:
    """The colour of the band at ``rank`` (0 = lowest) among ``count`` bands."""
    top = len(BAND_COLOURS) - 1
    if count <= 1:
        return BAND_COLOURS[top]
    return BAND_COLOURS[round(rank * top / (count - 1))]


def csv_problem(error: Exception) -> str:
    """What a CSV reader's error (``csv.Error``, read strictly) means, in words."""
    text = str(error)
    if "new-line character seen in unquoted field" in text:
        return "a line break inside an unquoted field (a stray carriage return?)"
    if "unexpected end of data" in text:
        return "the file ends inside a quoted field (an unclosed quote?)"
    if "expected after" in text:
        return "text after a quoted field's closing quote (a quote inside one is written twice)"
    return f"not valid CSV: {text}"


# --- numbers as people write them ---------------------------------------------------


def number_text(value: float) -> str:
    """A number as people write it: ``0.8``, ``12``, ``1e-06``; never rounded, so a
    value just past a limit never shows as the limit."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def decimals_of(value: float) -> int:
    """How many decimals ``value`` has as written at its shortest (0.8: 1, 0.025: 3, 2: 0)."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def percent_text(share: float) -> str:
    """A share (0.025) as the percentage it is (``2.5%``), exactly: ``0.07 * 100`` is
    7.000000000000001 in floating point, and ``{:g}`` rounds to six digits."""
    return f"{format((Decimal(repr(share)) * 100).normalize(), 'f')}%"


# A number as aimsctl reads one: ASCII digits, '.' for decimals, no digit separators.
_PLAIN = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
# Signs that look like '-' (minus, dashes, the small and fullwidth hyphen-minus).
_MINUS_LOOKALIKES = "\u2212\u2010\u2011\u2012\u2013\u2014\ufe63\uff0d"
_DECIMAL_COMMA = r"([-+]?[0-9]*),([0-9]+)"
# Digits grouped in threes by one separator (a space, a no-break or thin space, an
# apostrophe, an underscore, ',' or '.'), then decimals after the other of ',' and '.'.
_GROUPED = (
    r"(?P<sign>[-+]?)(?P<lead>[0-9]{1,3})"
    r"(?P<groups>(?P<sep>[ \u00a0\u202f\u2009'_,.])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:(?P<point>[.,])(?P<decimals>[0-9]+))?"
)
_NOT_MEASURED = {"", "nan", "n/a", "na", "null", "none", "-", "--", "?", "#n/a"}


def number_advice(text: str, *, row: bool = True, quoted: bool = False) -> str:
    """How to write ``text`` (which was refused as a number) so it is read, as a clause
    to add to the refusal (``": write ..."``), or "" when there is nothing to say.
    ``row``: the text is a cell of a CSV row, which may be left out when it has no number.
    ``quoted``: the text is a YAML value, which is text only where it was quoted when
    it is written as a number is.

    Nothing is guessed: a comma that may be a decimal comma or a thousands separator
    (``1,000``) is named as both readings, and the writer picks one."""
    value = text.strip()
    if quoted and re.fullmatch(_PLAIN, value) and _held_as_written(value):
        # Only the quotes are wrong: '0.958' was told to drop its "digit separator"
        # and write 0958, a number a thousand times the one written.
        spaces = "" if value == text else " and the spaces around it"
        return f": write it without quotes{spaces}, and it is read as a number"
    if value.lower() in _NOT_MEASURED:
        said = "it is empty" if not value else "it marks no number"
        return f": {said}; write the number{', or leave the row out' if row else ''}"
    if value.lower().lstrip("+-") in ("inf", "infinity"):
        return ": a number must be finite"
    if value[:1] in _MINUS_LOOKALIKES and re.fullmatch(_PLAIN, value[1:]):
        return (
            f": write its minus sign as '-' (the text has U+{ord(value[0]):04X}, which "
            "looks like one)"
        )
    if value.endswith("%") and re.fullmatch(_PLAIN, value[:-1].rstrip()):
        return (
            ": write it without '%', as a share (85% is 0.85) or in percent (85), the way "
            "the other values are written"
        )
    if (comma := re.fullmatch(_DECIMAL_COMMA, value)) is not None:
        whole, decimals = comma.groups()
        digits = whole.lstrip("+-")
        if len(decimals) == 3 and 1 <= len(digits) <= 3 and not digits.startswith("0"):
            return (
                f": its comma may separate thousands ({whole}{decimals}) or decimals "
                f"({whole}.{decimals}); write the number you mean that way, with no comma"
            )
        return f": write decimals with a point ({whole or '0'}.{decimals}), not a comma"
    grouped = re.fullmatch(_GROUPED, value)
    if grouped is not None and grouped["point"] != grouped["sep"]:
        sign, lead, groups, decimals = grouped.group("sign", "lead", "groups", "decimals")
        bare = sign + lead + groups.replace(grouped["sep"], "")
        bare += f".{decimals}" if decimals else ""
        return f": write it with no digit separators ({bare}), decimals after a point"
    if any(char.isdigit() and not char.isascii() for char in value):
        return ": write its digits as 0 to 9"
    return ""


def _held_as_written(value: str) -> bool:
    """Whether the plain number ``value`` would be read as written: finite, not 0 for
    being too close to it, not rounded (a record refuses those, AIMS006)."""
    number = float(value)
    return (
        math.isfinite(number)
        and not read_as_zero(value, number)
        and rounded_on_reading(value, number) is None
    )


def semicolon_columns(cells: Sequence[str]) -> str:
    """For a CSV header row that was refused: when it is one cell holding ';', a
    clause saying the file is separated by semicolons (as a spreadsheet saves CSV
    where the decimal separator is a comma) and how to save it; "" otherwise."""
    if len(cells) != 1 or ";" not in cells[0]:
        return ""
    return (
        "; its columns are separated by ';', as a spreadsheet saves CSV where decimals "
        "are written with a comma: separate them with commas, and write decimals with a "
        "point"
    )


def declared_separator(cells: Sequence[str]) -> str | None:
    """The column separator a CSV file's first row declares, as a spreadsheet writes
    and reads it (``sep=,`` or ``sep=;`` on a line of its own), or None when the row is
    no such line. A file that declares ',' is read with that line skipped; one that
    declares another separator is refused (:func:`separator_refused`)."""
    found = re.fullmatch(r"sep=(.)", ",".join(cells).strip(), re.IGNORECASE)
    return found.group(1) if found is not None else None


def separator_refused(separator: str) -> str:
    """Why a CSV file whose first line declares ``separator`` (not ',') is refused."""
    return (
        f"starts with 'sep={separator}', a spreadsheet's note that its columns are "
        f"separated by {separator!r}: save it with commas between columns (its first "
        "line then says sep=, or nothing)"
    )


# What a spreadsheet takes for the start of a formula when a CSV cell begins with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value for a CSV cell: text that a spreadsheet would run as a formula
    (``=HYPERLINK(...)``, ``+1``, ``@SUM``) gets a leading apostrophe, which shows it
    as the text it is; numbers and everything else are left as they are.

    A carriage return in text becomes a line feed: ``csv.writer`` with ``"\n"`` line
    endings quotes a cell holding a line feed, but not one holding only a carriage
    return, which every reader takes for the end of the row."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")
