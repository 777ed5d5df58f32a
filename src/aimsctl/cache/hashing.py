"""What the cache's digests are made of: text as bytes (a file name that is not
UTF-8 kept as it is), and the personalisation that makes the digests ours."""

from __future__ import annotations

PERSON = b"aimsctl-validate"  # BLAKE2b personalisation: these digests are ours alone


def as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
