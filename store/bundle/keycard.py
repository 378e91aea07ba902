"""Key cards (spec/bundle-v2.md): what a sender hands over to be enrolled.

    {"format": "cchc-key", "version": 1, "holder": {"code", "name"},
     "public_key": B64, "created_at": date-time, "signature": B64}

self-signed over the RFC 8785 bytes of the card without `signature`. A card proves
only that its maker holds the private key; the receiver trusts it because the
fingerprint matches the one printed on the sender's signed paper report.

read_key_card() takes untrusted bytes and never raises, like read_bundle().
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import rfc8785
from pydantic import ValidationError

from .models import BASE64_PATTERN, UNIT_CODE_PATTERN, Instant, Title, _Strict, _token
from .reader import (_shown, json_type, parse_untrusted_json, read_file_limited,
                     refusal_from_validation)
from .results import Refusal
from .signing import PublicKeyViews, SigningKey, b64, verify

log = logging.getLogger(__name__)

KEY_CARD_FORMAT = "cchc-key"
KEY_CARD_VERSION = 1
# A card is a few hundred bytes; anything much larger is not one.
MAX_KEY_CARD_BYTES = 64 * 1024


class Holder(_Strict):
    code: _token(UNIT_CODE_PATTERN)  # type: ignore[valid-type]
    name: Title


class KeyCardModel(_Strict):
    format: Literal["cchc-key"]
    version: Literal[1]
    holder: Holder
    public_key: _token(BASE64_PATTERN)  # type: ignore[valid-type]
    created_at: Instant
    signature: _token(BASE64_PATTERN)  # type: ignore[valid-type]


@dataclass(frozen=True)
class KeyCard(PublicKeyViews):
    """A card whose self-signature verified. public_key: the 32 raw bytes."""

    code: str
    name: str
    public_key: bytes
    created_at: str


@dataclass(frozen=True)
class KeyCardRead:
    card: KeyCard | None = None
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.card is not None


def card_signed_bytes(card: dict[str, Any]) -> bytes:
    return rfc8785.dumps({key: value for key, value in card.items() if key != "signature"})


def make_key_card(key: SigningKey, *, code: str, name: str, created_at: str) -> dict[str, Any]:
    """The holder's card, self-signed with its key."""
    card: dict[str, Any] = {"format": KEY_CARD_FORMAT, "version": KEY_CARD_VERSION,
                            "holder": {"code": code, "name": name},
                            "public_key": key.public_key_b64, "created_at": created_at}
    card["signature"] = b64(key.sign(card_signed_bytes(card)))
    return card


def key_card_file_name(code: str) -> str:
    """key-<holder code>.json, as the spec's examples are named."""
    return f"key-{code}.json"


def read_key_card_file(path: str | os.PathLike[str]) -> KeyCardRead:
    """read_key_card() of a file: a regular file of at most MAX_KEY_CARD_BYTES, its
    size checked before it is read (a FIFO or a device is refused, never waited on)."""
    refusal, data = read_file_limited(Path(path), MAX_KEY_CARD_BYTES)
    return KeyCardRead(refusal=refusal) if refusal is not None else read_key_card(data)


def read_key_card(data: bytes) -> KeyCardRead:
    """Untrusted bytes -> a verified card or a refusal. Never raises."""
    try:
        return _read(data)
    except Exception as error:  # the boundary: a refusal, never a crash
        log.exception("reading a key card failed unexpectedly")
        return KeyCardRead(refusal=Refusal("reader_error", "", {"error": type(error).__name__}))


def _read(data: bytes) -> KeyCardRead:
    document = parse_untrusted_json(data, MAX_KEY_CARD_BYTES)
    if isinstance(document, Refusal):
        return KeyCardRead(refusal=document)
    if not isinstance(document, dict):
        return KeyCardRead(refusal=Refusal("not_an_object", "$", {"found": json_type(document)}))
    if document.get("format") != KEY_CARD_FORMAT:
        return KeyCardRead(refusal=Refusal("not_a_key_card", "$.format",
                                           {"found": _shown(document.get("format"))}))
    version = document.get("version")
    if type(version) is int and version > KEY_CARD_VERSION:
        return KeyCardRead(refusal=Refusal("version_too_new", "$.version",
                                           {"found": version, "supported": KEY_CARD_VERSION}))
    try:
        model = KeyCardModel.model_validate(document)
    except ValidationError as error:
        refusal = refusal_from_validation(error)
        if refusal.path == "$.public_key" and refusal.code == "bad_format":
            refusal = Refusal("bad_public_key", refusal.path, {"expected": 32})
        return KeyCardRead(refusal=refusal)
    # The signature is over the card as written (before NFC), like a bundle's digest.
    refusal, public_key = verify(model.public_key, model.signature,
                                 card_signed_bytes(document), at="$")
    if refusal is not None:
        if refusal.code == "forged":
            refusal = Refusal("card_signature_invalid", "$.signature", refusal.details)
        elif refusal.code == "bad_signature_value":
            refusal = Refusal("bad_signature_value", "$.signature", refusal.details)
        return KeyCardRead(refusal=refusal)
    assert public_key is not None
    return KeyCardRead(card=KeyCard(code=model.holder.code, name=model.holder.name,
                                    public_key=public_key, created_at=model.created_at))


def key_card_bytes(card: dict[str, Any]) -> bytes:
    """A card as written to its file: indented UTF-8 JSON."""
    return (json.dumps(card, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
