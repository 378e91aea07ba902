"""Ed25519 signatures of bundles and key cards (spec/bundle-v2.md, Signatures and keys).

A signature covers the same RFC 8785 bytes as the integrity digest (the object
without `integrity` and `signature`); a key card is self-signed over the RFC 8785
bytes of the card without `signature`. Keys travel as standard base64 with padding
of their 32 raw bytes; people compare fingerprints, never keys.

`cryptography` is imported only where a key is used, so reading fingerprints (the
review's overview) costs nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .results import Refusal

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALGORITHM = "ed25519"
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
SEED_BYTES = 32
FINGERPRINT_HEX_DIGITS = 20


def fingerprint(public_key: bytes) -> str:
    """SHA-256 of the 32 raw bytes, first 20 hex digits in groups of 4:
    '3f2a 9c1b 77d0 e5a1 0b44'."""
    head = hashlib.sha256(public_key).hexdigest()[:FINGERPRINT_HEX_DIGITS]
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def normalise_fingerprint(typed: str) -> str:
    """A fingerprint as a person types it (any case, spaces or none, dashes) in the
    shown form, so that it compares with fingerprint(); '' if it cannot be one."""
    digits = "".join(ch for ch in typed.lower() if ch not in " -:\t")
    if len(digits) != FINGERPRINT_HEX_DIGITS or any(ch not in "0123456789abcdef"
                                                    for ch in digits):
        return ""
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_b64(text: str, length: int) -> bytes | None:
    """Strict standard base64 with padding of exactly `length` bytes, else None
    (no white space, no URL-safe letters, no stray padding bits)."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    if len(data) != length or b64(data) != text:
        return None
    return data


class PublicKeyViews:
    """The two ways a public key (self.public_key, 32 raw bytes) is shown: to people
    as a fingerprint, in files as base64."""

    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def public_key_b64(self) -> str:
        return b64(self.public_key)


@dataclass(frozen=True)
class SigningKey(PublicKeyViews):
    """A private key with its public half. Never logged, never put in a bundle:
    repr() shows the fingerprint only."""

    private: "Ed25519PrivateKey"
    public_key: bytes  # 32 raw bytes

    def __repr__(self) -> str:
        return f"SigningKey({self.fingerprint})"

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    @classmethod
    def generate(cls) -> "SigningKey":
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls.of(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> "SigningKey":
        """The key of a fixed 32-byte seed (RFC 8032): for examples and tests only."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls.of(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def of(cls, private: "Ed25519PrivateKey") -> "SigningKey":
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        return cls(private, private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def signature_member(key: SigningKey, canonical: bytes) -> dict[str, str]:
    """The `signature` member of a bundle whose canonical bytes are `canonical`."""
    return {"alg": ALGORITHM, "public_key": key.public_key_b64,
            "value": b64(key.sign(canonical))}


def verify(public_key_b64: str, value_b64: str, data: bytes, *,
           at: str = "$.signature") -> tuple[Refusal | None, bytes | None]:
    """(None, the 32 raw key bytes) when value is the key's signature of data, else
    (a refusal, None): bad_public_key, bad_signature_value or forged. `at` is the
    JSON path of the signature object (its members are named below it)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public_key = decode_b64(public_key_b64, PUBLIC_KEY_BYTES)
    if public_key is None:
        return Refusal("bad_public_key", f"{at}.public_key",
                       {"expected": PUBLIC_KEY_BYTES}), None
    value = decode_b64(value_b64, SIGNATURE_BYTES)
    if value is None:
        return Refusal("bad_signature_value", f"{at}.value",
                       {"expected": SIGNATURE_BYTES}), None
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(value, data)
    except (InvalidSignature, ValueError):
        return Refusal("forged", at, {"fingerprint": fingerprint(public_key)}), None
    return None, public_key
