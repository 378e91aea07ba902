"""The integrity digest: SHA-256 of the RFC 8785 (JCS) form of the bundle without its
`integrity` and `signature` members, taken of the values exactly as written.

The RFC 8785 form is made by the standard library's C JSON encoder when it gives the
same bytes as `rfc8785` for sure (sorted keys, no white space, the same string
escapes; numbers made to print as JCS prints them), and by `rfc8785` otherwise:
a receiver checks thousands of files, and the pure-Python encoder was half of the
work of reading one. Tests compare both on every example file and on generated input.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

UNSIGNED_MEMBERS = ("integrity", "signature")

# JCS (ECMAScript) and Python's repr() write a float the same way in this range,
# except that an integral value has no ".0" in JCS: such a value is written as an int.
_PLAIN_FLOATS_FROM = 1e-4
_PLAIN_FLOATS_BELOW = 1e16
_INT_LIMIT = 2**53 - 1
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True,
                            separators=(",", ":"), check_circular=False)


class _NotPlain(Exception):
    """A value the fast form cannot be sure to write as rfc8785 does."""


def _plain(value: Any) -> Any:
    """The value with every float the JSON encoder would write otherwise than JCS made
    an int; _NotPlain for anything the encoder might write differently (subclasses of
    the JSON types included: they go the slow, sure way)."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is dict:
        try:
            # JCS sorts keys by UTF-16 code units, Python by code points: the same
            # order for ASCII keys (a bundle's members are). join() refuses a key
            # that is not a str.
            ascii_keys = "".join(value).isascii()
        except TypeError:
            raise _NotPlain from None
        if not ascii_keys or any(type(key) is not str for key in value):
            raise _NotPlain
        return {key: member if type(member) is str else _plain(member)
                for key, member in value.items()}
    if kind is list or kind is tuple:
        return [item if type(item) is str else _plain(item) for item in value]
    if kind is float:
        magnitude = abs(value)
        if magnitude < _PLAIN_FLOATS_BELOW and value.is_integer():
            return int(value)
        if _PLAIN_FLOATS_FROM <= magnitude < _PLAIN_FLOATS_BELOW:
            return value
        raise _NotPlain  # NaN and the infinities too
    if kind is int and -_INT_LIMIT <= value <= _INT_LIMIT:
        return value
    raise _NotPlain


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 form of a JSON value, the bytes of rfc8785.dumps(value) (which
    also raises what it raises)."""
    try:
        return _ENCODER.encode(_plain(value)).encode("utf-8")
    except (_NotPlain, RecursionError, UnicodeEncodeError):
        return rfc8785.dumps(value)


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """The bytes the digest (and a signature) cover."""
    return canonical_json({key: value for key, value in document.items()
                           if key not in UNSIGNED_MEMBERS})


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle_digest(document: dict[str, Any]) -> str:
    return sha256_hex(canonical_bytes(document))
