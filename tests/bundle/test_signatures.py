"""Format version 2 and its signatures: what the reader accepts and refuses, the v2
JSON Schema against the spec's and our own files, and an exported file verified with
`cryptography` and `rfc8785` alone (not through the project's reader)."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
import rfc8785

from store.bundle.digest import canonical_bytes
from store.bundle.export import ExportDone, export_bundle
from store.bundle.keycard import make_key_card, read_key_card
from store.bundle.reader import read_bundle
from store.bundle.schema import schema_file
from store.bundle.signing import (SigningKey, b64, decode_b64, fingerprint,
                                  normalise_fingerprint, signature_member)
from store.demo import DEMO_OFFICER, DEMO_UNIT
from tests.bundle.factory import (fixed_key, key_card_paths, seal, sign, spec_v2_paths,
                                  to_bytes, v2_example_paths)


@functools.cache
def _v2_example() -> dict:
    return json.loads(v2_example_paths()[0].read_bytes())


def _document() -> dict:
    """A fresh signed v2 bundle to change (our own example, signed by its key)."""
    return copy.deepcopy(_v2_example())


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_file(2).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _refusal(document: dict):  # noqa: ANN202
    read = read_bundle(to_bytes(document))
    assert not read.ok
    return read.refusal


# -- the spec's files and ours -----------------------------------------------------------

def _spec_v2(prefix: str) -> list[Path]:
    return [path for path in spec_v2_paths() if path.name.startswith(prefix)]


def test_the_spec_v2_progress_bundle_is_read_with_its_signer_and_passes_the_schema() -> None:
    paths = _spec_v2("cchc-3")
    if not paths:
        pytest.skip("shared/spec is not beside the repository")
    data = paths[0].read_bytes()
    read = read_bundle(data)
    assert read.ok, read.refusal
    assert read.bundle.version == 2 and read.public_key is not None
    [card] = [read_key_card(p.read_bytes()).card for p in _spec_v2("key-30316")]
    assert card.public_key == read.public_key
    causes = {c.code: (c.cause, c.cause_kind) for c in read.bundle.assessments[0].criteria}
    assert causes["1.2"] == ("Cán bộ phụ trách kiêm nhiệm nhiều việc, chưa theo dõi sát "
                             "thời hạn", "subjective")
    assert list(_validator().iter_errors(json.loads(data))) == []


def test_the_spec_key_cards_verify_and_the_assignment_is_not_taken_as_progress() -> None:
    if not spec_v2_paths():
        pytest.skip("shared/spec is not beside the repository")
    cards = [read_key_card(p.read_bytes()) for p in _spec_v2("key-")]
    assert [c.card.code for c in cards] == ["30316", "SNV-87"]
    assert cards[1].card.fingerprint == fingerprint(cards[1].card.public_key)
    [assignment] = _spec_v2("cchc-assign-")
    refusal = read_bundle(assignment.read_bytes()).refusal
    assert (refusal.code, refusal.path, refusal.details["found"]) == (
        "wrong_kind", "$.kind", "assignment")
    read = read_bundle(assignment.read_bytes(), kinds=("progress", "assignment"))
    assert read.ok, read.refusal  # the assignment model joined the reader (issue 14)
    assert read.bundle.kind == "assignment" and read.public_key == cards[1].card.public_key


def test_our_examples_and_a_fresh_export_pass_the_v2_schema(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    done = export_bundle(demo_db, unit=DEMO_UNIT, officer=DEMO_OFFICER, target_dir=tmp_path,
                         generator="cchc test", key=fixed_key())
    assert isinstance(done, ExportDone)
    validator = _validator()
    for path in [*v2_example_paths(), done.path]:
        assert list(validator.iter_errors(json.loads(path.read_bytes()))) == [], path


def test_the_v2_schema_refuses_an_unsigned_or_causeless_file() -> None:
    document = _document()
    del document["signature"]
    del document["assessments"][0]["criteria"][0]["cause"]
    document["assessments"][0]["criteria"][1]["cause_kind"] = "lazy"
    messages = " ".join(error.message for error in _validator().iter_errors(document))
    assert "signature" in messages and "cause" in messages and "lazy" in messages


# -- verification outside the app -------------------------------------------------------

def _verify_with_cryptography_alone(path: Path) -> str:
    """What a city's own system does, with cryptography and rfc8785 only."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    document = json.loads(path.read_bytes())
    content = rfc8785.dumps({k: v for k, v in document.items()
                             if k not in ("integrity", "signature")})
    assert hashlib.sha256(content).hexdigest() == document["integrity"]["sha256"]
    key = base64.b64decode(document["signature"]["public_key"])
    Ed25519PublicKey.from_public_bytes(key).verify(
        base64.b64decode(document["signature"]["value"]), content)  # raises if forged
    return hashlib.sha256(key).hexdigest()[:20]


def test_an_exported_file_verifies_with_cryptography_directly(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    from cryptography.exceptions import InvalidSignature

    key = fixed_key(7)
    done = export_bundle(demo_db, unit=DEMO_UNIT, officer=DEMO_OFFICER, target_dir=tmp_path,
                         generator="cchc test", key=key)
    assert _verify_with_cryptography_alone(done.path).replace(" ", "") == \
        key.fingerprint.replace(" ", "") == done.fingerprint.replace(" ", "")
    altered = json.loads(done.path.read_bytes())
    altered["assessments"][0]["tasks"][0]["title"] += " (đã sửa)"
    seal(altered)  # a forger can recompute the digest, not the signature
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(to_bytes(altered))
    with pytest.raises(InvalidSignature):
        _verify_with_cryptography_alone(tampered)


# -- what the reader refuses --------------------------------------------------------------

def test_content_changed_after_signing_is_refused_as_forged() -> None:
    document = _document()
    document["assessments"][0]["tasks"][0]["owner"] = "Người khác"
    refusal = _refusal(seal(document))
    assert (refusal.code, refusal.path) == ("forged", "$.signature")
    assert refusal.details["fingerprint"] == fingerprint(base64.b64decode(
        document["signature"]["public_key"]))


@pytest.mark.parametrize("signed", ["file bytes", "digest text", "digest bytes"])
def test_a_signature_over_other_bytes_is_refused_as_forged(signed: str) -> None:
    document = _document()
    key = fixed_key(3)
    canonical = canonical_bytes(document)
    data = {"file bytes": to_bytes(document), "digest text": hashlib.sha256(
        canonical).hexdigest().encode(), "digest bytes": hashlib.sha256(canonical).digest()}
    document["signature"] = {"alg": "ed25519", "public_key": key.public_key_b64,
                             "value": b64(key.sign(data[signed]))}
    assert _refusal(document).code == "forged"


def test_a_signature_that_verifies_for_another_file_is_refused() -> None:
    other = _document()
    other["sequence"] = 2
    sign(other, fixed_key(4))
    document = sign(_document(), fixed_key(5))
    document["signature"] = other["signature"]  # valid, but for the other file's bytes
    assert _refusal(document).code == "forged"


@pytest.mark.parametrize("public_key, code", [
    (b64(bytes(31)), "bad_public_key"),  # 31 bytes
    (b64(bytes(33)), "bad_public_key"),
    ("not base64!", "bad_public_key"),  # characters outside base64
    ("AAAA" * 10 + "AAA", "bad_public_key"),  # no padding
    ("A" * 42 + "B=", "bad_public_key"),  # stray padding bits: not the canonical form
    ("", "bad_public_key"),
])
def test_a_public_key_of_the_wrong_length_or_bad_base64_is_refused(public_key: str,
                                                                   code: str) -> None:
    document = _document()
    document["signature"]["public_key"] = public_key
    refusal = _refusal(document)
    assert (refusal.code, refusal.path) == (code, "$.signature.public_key")


def test_a_signature_value_that_is_not_64_bytes_is_refused() -> None:
    document = _document()
    document["signature"]["value"] = b64(bytes(63))
    refusal = _refusal(document)
    assert (refusal.code, refusal.path) == ("bad_signature_value", "$.signature.value")


@pytest.mark.parametrize("alg", ["rsa", "ED25519", "ed448", ""])
def test_an_algorithm_other_than_ed25519_is_refused(alg: str) -> None:
    document = _document()
    document["signature"]["alg"] = alg
    refusal = _refusal(document)
    assert (refusal.code, refusal.path, refusal.details["found"]) == (
        "unsupported_signature", "$.signature.alg", alg)


def test_a_version_2_file_must_be_signed_and_carry_every_member() -> None:
    document = _document()
    del document["signature"]
    assert (_refusal(document).code, _refusal(document).path) == ("missing_member",
                                                                  "$.signature")
    document = _document()
    del document["assignments_held"]
    assert _refusal(sign(document)).path == "$.assignments_held"
    document = _document()
    del document["assessments"][0]["criteria"][2]["cause_kind"]
    assert _refusal(sign(document)).path == "$.assessments[0].criteria[2].cause_kind"


def test_causes_and_assignments_held_follow_their_rules() -> None:
    document = _document()
    document["assessments"][0]["criteria"][0]["cause_kind"] = "unknown"
    assert _refusal(sign(document)).code == "not_allowed_value"
    document = _document()
    document["assessments"][0]["criteria"][0]["cause"] = "x\u0007"
    assert _refusal(sign(document)).code == "control_character"
    document = _document()
    document["assessments"][0]["criteria"][0]["cause"] = "dòng một\ndòng hai"
    assert read_bundle(to_bytes(sign(document))).ok
    held = {"issuer": "SNV-87", "sequence": 3, "sha256": "a" * 64}
    document = _document()
    document["assignments_held"] = [held]
    assert read_bundle(to_bytes(sign(document))).ok
    document["assignments_held"] = [held, {**held, "sequence": 4}]
    refusal = _refusal(sign(document))
    assert (refusal.code, refusal.path) == ("duplicate_issuer",
                                            "$.assignments_held[1].issuer")
    document["assignments_held"] = [{**held, "issuer": f"U{n}"} for n in range(51)]
    assert _refusal(sign(document)).code == "too_many_items"


def test_a_version_1_file_keeps_the_version_1_rules_under_a_version_2_reader() -> None:
    from tests.bundle.factory import example_document

    document = example_document()
    assert read_bundle(to_bytes(document)).ok  # no causes, no assignments_held, unsigned
    document["assignments_held"] = []
    assert _refusal(seal(document)).code == "unknown_member"


# -- key cards ----------------------------------------------------------------------------

def test_a_key_card_round_trips_and_a_changed_card_fails_its_self_signature() -> None:
    key = fixed_key(9)
    card = make_key_card(key, code="30317", name="Phường 2",
                         created_at="2026-11-21T08:00:00+07:00")
    read = read_key_card(to_bytes(card))
    assert read.ok and (read.card.code, read.card.fingerprint) == ("30317", key.fingerprint)
    card["holder"]["code"] = "30318"  # a card edited to speak for another unit
    refusal = read_key_card(to_bytes(card)).refusal
    assert (refusal.code, refusal.path) == ("card_signature_invalid", "$.signature")


@pytest.mark.parametrize("change, code", [
    (lambda c: c.update(public_key=b64(bytes(16))), "bad_public_key"),
    (lambda c: c.update(public_key="%%%"), "bad_public_key"),
    (lambda c: c.update(signature=b64(bytes(10))), "bad_signature_value"),
    (lambda c: c.update(format="cchc-bundle"), "not_a_key_card"),
    (lambda c: c.update(version=2), "version_too_new"),
    (lambda c: c.update(extra=1), "unknown_member"),
    (lambda c: c["holder"].update(code="30 316"), "bad_format"),
])
def test_a_bad_key_card_is_refused_with_its_reason(change, code: str) -> None:  # noqa: ANN001
    card = json.loads(key_card_paths()[0].read_bytes())
    change(card)
    assert read_key_card(to_bytes(card)).refusal.code == code


def test_a_key_card_that_is_not_json_or_too_large_is_refused() -> None:
    assert read_key_card(b"{\xc3\x28}").refusal.code == "not_utf8"
    assert read_key_card(b"[1]").refusal.code == "not_an_object"
    assert read_key_card(b" " * 70_000).refusal.code == "too_large"


# -- the primitives -----------------------------------------------------------------------

def test_fingerprints_are_20_hex_digits_of_the_sha256_in_groups_of_4() -> None:
    key = SigningKey.from_seed(bytes(32))
    shown = fingerprint(key.public_key)
    assert shown == " ".join(hashlib.sha256(key.public_key).hexdigest()[i:i + 4]
                             for i in range(0, 20, 4))
    assert normalise_fingerprint(shown.upper().replace(" ", "")) == shown
    assert normalise_fingerprint(shown.replace(" ", "-")) == shown
    assert normalise_fingerprint(shown[:-1]) == "" and normalise_fingerprint("x" * 20) == ""


def test_a_signing_key_never_shows_its_private_half() -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, PrivateFormat, NoEncryption

    key = fixed_key(1)
    raw = key.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    for text in (repr(key), str(key), f"{key!r}"):
        assert raw.hex() not in text and b64(raw) not in text and key.fingerprint in text


def test_strict_base64_takes_only_the_canonical_form() -> None:
    assert decode_b64(b64(b"\x01" * 32), 32) == b"\x01" * 32
    assert decode_b64(b64(b"\x01" * 32).rstrip("="), 32) is None
    assert decode_b64(" " + b64(b"\x01" * 32), 32) is None
    assert decode_b64("ü" * 44, 32) is None
    member = signature_member(fixed_key(), b"data")
    assert set(member) == {"alg", "public_key", "value"} and member["alg"] == "ed25519"
