"""Reading untrusted bytes into a bundle, safely.

read_bundle() never raises: whatever the bytes, it returns a BundleRead holding
either a valid bundle or a Refusal (code, JSON path, details). In order:
size (before reading) -> encoding (UTF-8 only, BOM ignored) -> JSON with refusal
hooks (duplicate keys, NaN/Infinity, numbers beyond a double or 2^53, nesting) ->
format / version / kind -> strict models of that version and kind (NFC first) ->
cross-field rules -> integrity digest of the values as written -> signature, when
there is one (always in version 2), over the same canonical bytes.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .digest import canonical_bytes, sha256_hex
from .models import (ASSESSMENT_ID_PATTERN, BASE64_PATTERN, CRITERION_CODE_PATTERN, FORMAT,
                     KIND, KINDS, MAX_BUNDLE_BYTES, MODELS, MULTI_LINE_PATTERN, SHA256_PATTERN,
                     SINGLE_LINE_PATTERN, UNIT_CODE_PATTERN, UUID_PATTERN, VERSION, Bundle,
                     BundleV2)
from .assignment import AssignmentBundle  # joins MODELS: the reader knows assignments
from .results import BundleRead, Refusal
from .rules import check_assignment_rules, check_rules
from .signing import verify

log = logging.getLogger(__name__)

# I-JSON (RFC 7493): integers beyond this lose precision as doubles, and RFC 8785
# cannot canonicalise them.
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_SAFE_DIGITS = len(str(MAX_SAFE_INTEGER))
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc
_FOREIGN_BOMS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
                 codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}
_PATTERN_CODES = {SINGLE_LINE_PATTERN: "control_character",
                  MULTI_LINE_PATTERN: "control_character"}
_PATTERN_NAMES = {UUID_PATTERN: "uuid", ASSESSMENT_ID_PATTERN: "assessment_id",
                  UNIT_CODE_PATTERN: "unit_code", CRITERION_CODE_PATTERN: "criterion_code",
                  SHA256_PATTERN: "sha256", BASE64_PATTERN: "base64"}
_TYPE_ERRORS = {"int_type": "integer", "float_type": "number", "string_type": "string",
                "list_type": "array", "model_type": "object", "dict_type": "object",
                "bool_type": "boolean"}
_RANGE_ERRORS = {"greater_than": ("gt", ">"), "greater_than_equal": ("ge", ">="),
                 "less_than": ("lt", "<"), "less_than_equal": ("le", "<=")}
_CUSTOM_CODES = {"bad_date", "impossible_date", "bad_datetime", "datetime_without_offset",
                 "instant_out_of_range", "too_many_decimals"}
_SHOWN_CHARS = 64


def read_bundle(data: bytes, kinds: tuple[str, ...] = (KIND,)) -> BundleRead:
    """Untrusted bytes -> a valid bundle (with warnings) or a refusal. Never raises.

    kinds: the kinds of bundle the caller takes; another kind the format knows is
    refused as wrong_kind (a supervisor's assignment offered as a unit's progress)."""
    try:
        return _read(data, kinds)
    except Exception as error:
        log.exception("reading a bundle failed unexpectedly")
        return BundleRead(refusal=Refusal("reader_error", "", {"error": type(error).__name__}))


def read_bundle_file(path: str | os.PathLike[str],
                     kinds: tuple[str, ...] = (KIND,)) -> BundleRead:
    """Like read_bundle(), for a file whose size is checked before it is read."""
    refusal, data = read_file_limited(Path(path))
    if refusal is not None:
        return BundleRead(refusal=refusal)
    return read_bundle(data, kinds)


def read_file_limited(path: Path, limit: int = MAX_BUNDLE_BYTES) -> tuple[Refusal | None, bytes]:
    """The file's bytes, or a refusal: too large (by its size, before reading), not a
    regular file (a FIFO, a device, a folder: never waited on) or unreadable."""
    from ..files import NOT_REGULAR, TOO_LARGE, FileRefused, read_regular

    try:
        return None, read_regular(path, limit)
    except FileRefused as refused:
        if refused.problem == TOO_LARGE:
            return Refusal("too_large", "", {"size": refused.size, "limit": refused.limit}), b""
        if refused.problem == NOT_REGULAR:
            return Refusal("not_regular_file", "", {"kind": refused.kind}), b""
        return Refusal("unreadable", "", {"reason": refused.reason, "errno": refused.errno}), b""


def parse_untrusted_json(data: bytes, limit: int = MAX_BUNDLE_BYTES) -> Any:
    """Untrusted bytes -> the JSON document, or a Refusal: too large, not UTF-8 (a BOM
    ignored), not JSON, or JSON with what the format refuses (see parse_json)."""
    if len(data) > limit:
        return Refusal("too_large", "", {"size": len(data), "limit": limit})
    text = _decode(data)
    if isinstance(text, Refusal):
        return text
    return parse_json(text)


def _read(data: bytes, kinds: tuple[str, ...]) -> BundleRead:
    document = parse_untrusted_json(data)
    if isinstance(document, Refusal):
        return BundleRead(refusal=document)
    refusal = _check_envelope(document, kinds)
    if refusal is not None:
        return BundleRead(refusal=refusal)
    try:
        bundle = _model_of(document).model_validate(document)
    except ValidationError as error:
        return BundleRead(refusal=_signature_refusal(refusal_from_validation(error)))
    rules = check_assignment_rules if isinstance(bundle, AssignmentBundle) else check_rules
    refusal, warnings = rules(bundle)
    if refusal is not None:
        return BundleRead(refusal=refusal)
    canonical = canonical_bytes(document)
    digest = sha256_hex(canonical)
    if digest != bundle.integrity.sha256:
        return BundleRead(refusal=Refusal("digest_mismatch", "$.integrity.sha256",
                                          {"written": bundle.integrity.sha256,
                                           "computed": digest}))
    public_key = None
    if bundle.signature is not None:
        refusal, public_key = verify(bundle.signature.public_key, bundle.signature.value,
                                     canonical)
        if refusal is not None:
            return BundleRead(refusal=refusal)
    return BundleRead(bundle=bundle, warnings=tuple(warnings), sha256=digest,
                      canonical=canonical, public_key=public_key)


def _model_of(document: dict[str, Any]) -> Any:
    """The model of the document's version and kind (the envelope checked both); a
    version that is not a known number is judged, and refused, by version 1's."""
    version, kind = document.get("version"), document.get("kind")
    if type(version) is int and isinstance(kind, str) and (version, kind) in MODELS:
        return MODELS[(version, kind)]
    return BundleV2 if type(version) is int and version == 2 else Bundle


def _signature_refusal(refusal: Refusal) -> Refusal:
    """A signature member the models refused, said as what it means: an algorithm
    other than Ed25519, a key or a value that is not base64."""
    if refusal.path == "$.signature.alg" and refusal.code == "not_allowed_value":
        return Refusal("unsupported_signature", refusal.path,
                       {"found": refusal.details.get("found")})
    if refusal.path == "$.signature.public_key" and refusal.code == "bad_format":
        return Refusal("bad_public_key", refusal.path, {"expected": 32})
    if refusal.path == "$.signature.value" and refusal.code == "bad_format":
        return Refusal("bad_signature_value", refusal.path, {"expected": 64})
    return refusal


def _decode(data: bytes) -> str | Refusal:
    if data.startswith(_ZIP_SIGNATURES):
        return Refusal("archive", "", {"kind": "zip"})
    if data.startswith(_OLE_SIGNATURE):
        return Refusal("archive", "", {"kind": "ole"})
    for bom, encoding in _FOREIGN_BOMS.items():  # UTF-32 LE starts like UTF-16 LE: longest first
        if data.startswith(bom):
            return Refusal("wrong_encoding", "", {"encoding": encoding})
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")  # strict: also refuses encoded surrogates
    except UnicodeDecodeError as error:
        guessed = json.detect_encoding(data)
        if guessed.startswith(("utf-16", "utf-32")):
            try:
                data.decode(guessed)
                return Refusal("wrong_encoding", "", {"encoding": guessed[:6].upper()})
            except UnicodeDecodeError:
                pass
        if error.end == len(data) and error.reason == "unexpected end of data":
            return Refusal("truncated", "", {"offset": error.start})
        return Refusal("not_utf8", "", {"offset": error.start})
    if not text.strip():
        return Refusal("empty")
    return text


class _Refused:
    """A value a parse hook refused; found again by its path once parsing ends."""

    __slots__ = ("code", "details")

    def __init__(self, code: str, details: dict[str, Any]) -> None:
        self.code = code
        self.details = details


class _DuplicateKeys(dict):  # type: ignore[type-arg]
    __slots__ = ("key",)


def parse_json(text: str) -> Any:
    """RFC 8259 JSON with the refusals of bundle-v1; a Refusal instead of raising."""
    flagged: list[bool] = []

    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        flagged.append(True)
        seen: set[str] = set()
        duplicate = _DuplicateKeys(result)
        for key, _value in pairs:
            if key in seen:
                duplicate.key = key
                break
            seen.add(key)
        return duplicate

    def constant(name: str) -> _Refused:
        flagged.append(True)
        return _Refused("non_finite_number", {"value": name})

    def number(literal: str) -> float | _Refused:
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            flagged.append(True)
            return _Refused("number_too_large", {"value": literal[:_SHOWN_CHARS]})
        return value

    def integer(literal: str) -> int | _Refused:
        digits = len(literal) - literal.startswith("-")
        if digits <= _MAX_SAFE_DIGITS:
            value = int(literal)
            if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
                return value
        flagged.append(True)
        return _Refused("number_too_large", {"digits": digits})

    try:
        document = json.loads(text, object_pairs_hook=object_pairs, parse_constant=constant,
                              parse_float=number, parse_int=integer)
    except RecursionError:
        return Refusal("too_deep")
    except json.JSONDecodeError as error:
        return _syntax_refusal(text, error)
    if flagged:
        return _first_refused_value(document)
    return document


def _syntax_refusal(text: str, error: json.JSONDecodeError) -> Refusal:
    details = {"line": error.lineno, "column": error.colno}
    if error.msg.startswith("Invalid control character"):
        return Refusal("control_character", "", details)
    if error.msg.startswith("Unterminated string") or error.pos >= len(text.rstrip()):
        return Refusal("truncated", "", details)
    return Refusal("not_json", "", details)


def _first_refused_value(document: Any) -> Refusal:
    """The first flagged value in document order, with its path (iterative: the
    document may be nested as deep as the JSON parser allows)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, _Refused):
            return Refusal(value.code, json_path(loc), value.details)
        if isinstance(value, _DuplicateKeys):
            return Refusal("duplicate_key", json_path((*loc, value.key)),
                           {"key": value.key[:_SHOWN_CHARS]})
        if isinstance(value, dict):
            stack.extend((child, (*loc, key)) for key, child in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((value[i], (*loc, i)) for i in reversed(range(len(value))))
    raise AssertionError("a parse hook flagged a value that is not in the document")


def json_path(loc: tuple[str | int, ...]) -> str:
    """('assessments', 0, 'title') -> "$.assessments[0].title"."""
    parts = ["$"]
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part.isidentifier() and part.isascii():
            parts.append(f".{part}")
        else:
            shown = part[:_SHOWN_CHARS].replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{shown}']")
    return "".join(parts)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _shown(value: Any) -> Any:
    """A found value as a sentence may show it: short strings, numbers; else its type."""
    if isinstance(value, str):
        return value[:_SHOWN_CHARS]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return json_type(value)


def _check_envelope(document: Any, kinds: tuple[str, ...]) -> Refusal | None:
    """What the file claims to be, before its content is judged: a bundle from a
    newer version must say "update the app", not "member unknown"; an assignment
    offered where progress is expected says so."""
    if not isinstance(document, dict):
        return Refusal("not_an_object", "$", {"found": json_type(document)})
    if document.get("format") != FORMAT:
        return Refusal("wrong_format", "$.format", {"found": _shown(document.get("format"))})
    version = document.get("version")
    if type(version) is int and version > VERSION:
        return Refusal("version_too_new", "$.version", {"found": version, "supported": VERSION})
    kind = document.get("kind")
    known = KINDS.get(version) if type(version) is int else None
    if "kind" in document and known is not None:
        if kind not in known:
            return Refusal("unknown_kind", "$.kind", {"found": _shown(kind)})
        if kind not in kinds:
            return Refusal("wrong_kind", "$.kind", {"found": kind, "expected": kinds[0]})
    return None


def refusal_from_validation(error: ValidationError) -> Refusal:
    """The first error pydantic found, as a Refusal."""
    first = error.errors(include_url=False)[0]
    kind, loc, ctx = first["type"], first["loc"], first.get("ctx") or {}
    path = json_path(tuple(loc))
    found = first.get("input")
    if kind == "missing":
        return Refusal("missing_member", path)
    if kind == "extra_forbidden":
        return Refusal("unknown_member", path, {"member": str(loc[-1])[:_SHOWN_CHARS]})
    if kind in _TYPE_ERRORS:
        return Refusal("wrong_type", path, {"expected": _TYPE_ERRORS[kind],
                                            "found": json_type(found)})
    if kind == "literal_error":
        return Refusal("not_allowed_value", path, {"allowed": ctx.get("expected", ""),
                                                   "found": _shown(found)})
    if kind in _RANGE_ERRORS:
        key, relation = _RANGE_ERRORS[kind]
        return Refusal("out_of_range", path, {"limit": ctx.get(key), "relation": relation,
                                              "found": _shown(found)})
    if kind == "string_too_long":
        return Refusal("too_long", path, {"limit": ctx.get("max_length"),
                                          "length": len(found) if isinstance(found, str)
                                          else None})
    if kind == "too_long":
        return Refusal("too_many_items", path, {"limit": ctx.get("max_length")})
    if kind == "too_short":
        return Refusal("too_few_items", path, {"limit": ctx.get("min_length")})
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern in _PATTERN_CODES:
            return Refusal(_PATTERN_CODES[pattern], path)
        return Refusal("bad_format", path, {"expected": _PATTERN_NAMES.get(pattern, "pattern"),
                                            "found": _shown(found)})
    if kind == "string_unicode":
        return Refusal("invalid_text", path)
    if kind in _CUSTOM_CODES:
        return Refusal(kind, path, {key: _shown(value) for key, value in ctx.items()})
    return Refusal("invalid_value", path, {"error": kind})
