"""The format: the project's own examples (and the spec's, when the brief is beside the
repository) pass the models and the shipped JSON Schema, the
schema is what the models generate, strings come out NFC, the digest is stable."""

from __future__ import annotations

import json
import unicodedata

import jsonschema
import pytest

from store.bundle.digest import bundle_digest
from store.bundle.reader import read_bundle
from store.bundle.schema import SCHEMA_VERSIONS, schema_file, schema_text
from tests.bundle.factory import (example_document, example_paths, first_task, sealed_bytes,
                                  spec_example_paths)


def _schema_validator(version: int = 1) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_file(version).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_the_shipped_schema_is_the_generated_one(version: int) -> None:
    assert schema_file(version).read_text(encoding="utf-8") == schema_text(version), (
        "run: python -m store.bundle.schema")


def _spec_examples() -> list:
    """The spec's own files as parameters; one skipped case when the brief is absent."""
    paths = spec_example_paths()
    if not paths:
        skip = pytest.mark.skip(reason="shared/spec not beside the repo")
        return [pytest.param(None, marks=skip)]
    return paths


@pytest.mark.parametrize("path", example_paths() + _spec_examples(),
                         ids=lambda p: p.name if p else "spec")
def test_examples_pass_the_models_and_the_schema(path) -> None:  # noqa: ANN001
    data = path.read_bytes()
    read = read_bundle(data)
    assert read.ok, read.refusal
    assert read.sha256 == json.loads(data)["integrity"]["sha256"]
    errors = list(_schema_validator().iter_errors(json.loads(data)))
    assert errors == []


def test_the_schema_refuses_what_the_models_refuse_structurally() -> None:
    validator = _schema_validator()
    document = example_document()
    first_task(document)["status"] = "finished"
    document["extra"] = 1
    document["unit"]["code"] = "30 316"
    document["assessments"][0]["criteria"][0]["title"] = "bad\u0007bell"
    messages = " ".join(error.message for error in validator.iter_errors(document))
    assert "finished" in messages and "extra" in messages and "30 316" in messages
    assert "bell" in messages


def test_decomposed_vietnamese_is_accepted_and_normalised() -> None:
    document = example_document()
    title = "Khắc phục tiêu chí 3.2: hồ sơ trễ hạn"
    first_task(document)["title"] = unicodedata.normalize("NFD", title)
    document["unit"]["name"] = unicodedata.normalize("NFD", "Phường Đặng")
    read = read_bundle(sealed_bytes(document))
    assert read.ok, read.refusal
    assert read.bundle.assessments[0].tasks[0].title == title
    assert read.bundle.unit.name == "Phường Đặng"


def test_a_title_of_500_decomposed_letters_counts_as_500() -> None:
    document = example_document()
    # 500 letters with a combining mark each: 1,000 code points in NFD, 500 in NFC
    first_task(document)["title"] = unicodedata.normalize("NFD", "ế" * 500)
    assert read_bundle(sealed_bytes(document)).ok
    first_task(document)["title"] = "ế" * 501
    refusal = read_bundle(sealed_bytes(document)).refusal
    assert refusal.code == "too_long" and refusal.details["limit"] == 500


def test_the_digest_is_taken_of_the_text_as_written_not_normalised() -> None:
    document = example_document()
    first_task(document)["title"] = unicodedata.normalize("NFD", "Đặng")
    written = bundle_digest(document)
    first_task(document)["title"] = "Đặng"
    assert bundle_digest(document) != written


def test_reindenting_and_reordering_members_keep_the_bundle_valid() -> None:
    document = example_document()
    reordered = dict(reversed(list(document.items())))
    compact = json.dumps(reordered, ensure_ascii=True, separators=(",", ":")).encode()
    read = read_bundle(compact)
    assert read.ok, read.refusal
    assert read.sha256 == document["integrity"]["sha256"]


def test_a_version_1_signature_is_verified_and_never_null() -> None:
    """Version 1 made the signature optional and unverified; a version 2 reader
    verifies it wherever it is (spec/bundle-v2.md: a signature that does not verify
    is refused)."""
    document = example_document()
    document["signature"] = {"alg": "ed25519", "public_key": "A" * 43 + "=",
                             "value": "Q" * 86 + "=="}
    assert read_bundle(json.dumps(document).encode()).refusal.code == "forged"
    document["signature"] = None
    refusal = read_bundle(json.dumps(document).encode()).refusal
    assert (refusal.code, refusal.path) == ("wrong_type", "$.signature")


def test_a_parent_whose_max_differs_from_its_children_warns_but_is_accepted() -> None:
    document = example_document()
    criteria = document["assessments"][0]["criteria"]
    index = next(i for i, c in enumerate(criteria) if c["code"] == "1.1")
    criteria[index]["max_points"] = 2.5
    read = read_bundle(sealed_bytes(document))
    assert read.ok
    assert {w.code for w in read.warnings} == {"points_sum_mismatch"}
    # 1.1 no longer matches its children, and domain 1 no longer matches 1.1 to 1.6
    assert [w.details["code"] for w in read.warnings] == ["1", "1.1"]
    warning = read.warnings[1]
    assert warning.path == f"$.assessments[0].criteria[{index}].max_points"
    assert warning.details == {"code": "1.1", "max": 2.5, "sum": 2.0}
