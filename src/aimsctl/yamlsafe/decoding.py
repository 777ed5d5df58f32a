"""A file's bytes to text: UTF-8 only, with a plain problem for the other encodings
and the binary files that end up among records."""

from __future__ import annotations

import codecs

from aimsctl import codes
from aimsctl.yamlsafe.limits import MAX_BYTES
from aimsctl.yamlsafe.problems import Problem, byte_position

# Byte-order marks of the encodings YAML files are wrongly saved in most often;
# the UTF-32 marks come first because they begin with the UTF-16 ones.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# The first bytes of binary files that end up with a .yaml name.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
)
_NOT_TEXT = "move it out of the record folders, or exclude it in aims.yaml"


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) to text, or a problem at the first bad byte."""
    if len(raw) > MAX_BYTES:
        return None, Problem(
            codes.FILE_TOO_LARGE,
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it into smaller "
            "files, or exclude it in aims.yaml if it is not a record",
            1,
            1,
        )
    for bom, encoding in _OTHER_BOMS:
        if raw.startswith(bom):
            return None, Problem(
                codes.ENCODING,
                f"the file is saved as {encoding} (it starts with a {encoding} byte-order "
                "mark); save it as UTF-8",
                1,
                1,
            )
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            return None, Problem(
                codes.ENCODING, f"the file is {what}, not YAML text; {_NOT_TEXT}", 1, 1
            )
    # Positions are counted after the byte-order mark, as in the text that is parsed.
    body = raw.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in body:
        wide = _wide_encoding(body)
        if wide is not None:
            return None, Problem(
                codes.ENCODING,
                f"the file looks saved as {wide} without a byte-order mark (a NUL byte "
                "beside each letter); save it as UTF-8",
                1,
                1,
            )
        line, column = byte_position(body, body.index(b"\x00"))
        return None, Problem(
            codes.ENCODING,
            f"the file contains NUL bytes: it looks binary, not YAML text; {_NOT_TEXT}",
            line,
            column,
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = byte_position(body, error.start)
        return None, Problem(
            codes.ENCODING,
            f"the file is not valid UTF-8 text (byte 0x{body[error.start]:02x}; perhaps "
            "it was saved as Latin-1 or Windows-1252); save it as UTF-8",
            line,
            column,
        )
    return text, None


def narrowed(raw: bytes) -> bytes:
    """``raw`` without its NUL bytes: in a file saved as UTF-16 or UTF-32, which
    :func:`decode` refuses, every ASCII letter (all of a record id) then reads as in
    UTF-8, so the ids the file holds can still be found and set aside."""
    return raw.replace(b"\0", b"") if b"\0" in raw else raw


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (little- or big-endian) when ``data`` starts as mostly ASCII
    text in it would: in nine of ten of its first 64 units every byte but the one
    holding the letter is NUL (a binary file's NUL bytes fall otherwise)."""
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = [data[i : i + width] for i in range(0, min(len(data), 64 * width), width)]
        if len(units) < 4 or len(units[-1]) != width:
            continue
        for at in (0, width - 1):
            ascii_units = sum(1 for u in units if 0x09 <= u[at] < 0x7F and u.count(0) == width - 1)
            if ascii_units * 10 >= len(units) * 9:
                return name
    return None
