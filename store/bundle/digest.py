"""The integrity digest: SHA-256 of the RFC 8785 (JCS) form of the bundle without its
`integrity` and `signature` members, taken of the values exactly as written."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

UNSIGNED_MEMBERS = ("integrity", "signature")


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """The bytes the digest (and a signature) cover."""
    return rfc8785.dumps({key: value for key, value in document.items()
                          if key not in UNSIGNED_MEMBERS})


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle_digest(document: dict[str, Any]) -> str:
    return sha256_hex(canonical_bytes(document))

