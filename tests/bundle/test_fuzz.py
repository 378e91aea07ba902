"""Mutated bundles (flipped bytes, cuts, duplicate keys, swapped types): only a
refusal (or "already imported" / "conflicting id") ever comes out, never an
exception, and the review database stays byte-for-byte the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.bundle.digest import bundle_digest
from store.bundle.receive import receive_bundle
from store.migrations import open_database
from tests.bundle.factory import database_bytes, example_document, to_bytes

ORIGINAL = to_bytes(example_document())
NO_CHANGE_VERDICTS = {"refused", "already_imported", "conflicting_id"}
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A review database that already holds the original bundle."""
    path = tmp_path_factory.mktemp("fuzz") / "review.db"
    db = open_database(path)
    assert receive_bundle(db, ORIGINAL, "original.json").verdict == "accepted"
    yield db
    db.dispose()


def _assert_only_refusals(db, data: bytes) -> None:  # noqa: ANN001
    before = database_bytes(Path(db.path))
    result = receive_bundle(db, data, "mutated.json")
    assert result.verdict in NO_CHANGE_VERDICTS
    if result.refusal is not None:
        assert result.refusal.code != "reader_error", "an unexpected exception was caught"
    assert database_bytes(Path(db.path)) == before


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(ORIGINAL) - 1), st.integers(1, 255)),
                      min_size=1, max_size=4))
def test_flipped_bytes(review, flips: list[tuple[int, int]]) -> None:  # noqa: ANN001
    data = bytearray(ORIGINAL)
    for position, mask in flips:
        data[position] ^= mask
    _assert_only_refusals(review, bytes(data))


@FUZZ
@given(cut=st.integers(0, len(ORIGINAL) - 1))
def test_cut_files(review, cut: int) -> None:  # noqa: ANN001
    _assert_only_refusals(review, ORIGINAL[:cut])


def _objects(value: Any, found: list[dict]) -> list[dict]:
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            _objects(item, found)
    elif isinstance(value, list):
        for item in value:
            _objects(item, found)
    return found


def _leaves(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, (*path, i))]
    return [path]


DOCUMENT = example_document()
OBJECT_COUNT = len(_objects(DOCUMENT, []))
LEAVES = _leaves(DOCUMENT)
OTHER_TYPES = [None, True, False, 0, -1, 12.0, 1.005, "", "x", "12", [], {}, [1], {"a": 1}]


@FUZZ
@given(which=st.integers(0, OBJECT_COUNT - 1), key_index=st.integers(0, 20),
       value=st.sampled_from(OTHER_TYPES))
def test_duplicate_keys(review, which: int, key_index: int, value: Any) -> None:  # noqa: ANN001
    document = example_document()
    target = _objects(document, [])[which]
    key = list(target)[key_index % len(target)]
    marker = "__duplicate_marker__"
    target[marker] = value
    text = json.dumps(document, ensure_ascii=False)
    # The marker becomes a second copy of an existing member of the same object.
    data = text.replace(json.dumps(marker), json.dumps(key), 1).encode()
    _assert_only_refusals(review, data)


@FUZZ
@given(leaf=st.sampled_from(LEAVES), value=st.sampled_from(OTHER_TYPES), reseal=st.booleans())
def test_swapped_types(review, leaf: tuple, value: Any, reseal: bool) -> None:  # noqa: ANN001
    document = example_document()
    target = document
    for part in leaf[:-1]:
        target = target[part]
    target[leaf[-1]] = value
    if reseal and isinstance(document.get("integrity"), dict):
        document["integrity"] = {"sha256": bundle_digest(document)}
    _assert_only_refusals(review, json.dumps(document).encode())
