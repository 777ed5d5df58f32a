"""What the cache's digests are made of: text as bytes (a file name that is not
UTF-8 kept as it is), the personalisation that makes the digests ours, and the
digest of a file's content, which the key and the per-file cache both take."""

from __future__ import annotations

import hashlib

PERSON = b"aimsctl-validate"  # BLAKE2b personalisation: these digests are ours alone


def as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def content_digest(raw: bytes) -> hashlib.blake2b:
    """The digest of a file's bytes, as the key and the per-file cache take it."""
    return hashlib.blake2b(raw, digest_size=32)
