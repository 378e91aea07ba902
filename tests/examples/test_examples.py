"""The checked-in example files: the format 2 ones are what the project's own code
makes, all read as valid, and they have the shape of the spec's own examples when the
brief is there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from store.bundle.keycard import read_key_card
from store.bundle.reader import read_bundle
from store.bundle.signing import fingerprint
from tests.bundle.factory import (example_paths, key_card_paths, spec_example_paths,
                                  spec_v2_paths, v2_example_paths)
from tests.examples.make_examples import example_key, make_examples

# Members that differ on every run of the generator (the bundle id is random, and the
# digest and signature cover it).
PER_RUN = ("bundle_id", "integrity", "signature")


def _without_per_run(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in PER_RUN}


def test_there_are_checked_in_examples() -> None:
    assert example_paths(), "the format 1 example is missing from tests/examples/v1"
    assert v2_example_paths() and key_card_paths(), "run: python -m tests.examples.make_examples"


@pytest.mark.parametrize("path", example_paths() + v2_example_paths(), ids=lambda p: p.name)
def test_a_checked_in_example_reads_as_valid(path: Path) -> None:
    read = read_bundle(path.read_bytes())
    assert read.ok, read.refusal


def test_the_format_2_example_is_signed_by_the_example_key_and_its_card_matches() -> None:
    read = read_bundle(v2_example_paths()[0].read_bytes())
    [card_path] = key_card_paths()
    card = read_key_card(card_path.read_bytes())
    assert card.ok, card.refusal
    assert read.public_key == card.card.public_key == example_key().public_key
    assert card.card.code == read.bundle.unit.code
    assert card.card.fingerprint == fingerprint(read.public_key)


def test_the_checked_in_examples_are_what_the_generator_makes(tmp_path: Path) -> None:
    made = make_examples(tmp_path)
    checked_in = v2_example_paths() + key_card_paths()
    assert sorted(p.name for p in made) == sorted(p.name for p in checked_in), (
        "run: python -m tests.examples.make_examples")
    for old in checked_in:
        new = tmp_path / old.name
        assert _without_per_run(json.loads(new.read_bytes())) == \
            _without_per_run(json.loads(old.read_bytes())), (
            "stale example: run python -m tests.examples.make_examples")


def _member_paths(value: Any, prefix: str = "$") -> set[str]:
    """Every member name at every depth ("$.assessments[].criteria[].code"), not values."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            paths |= {f"{prefix}.{key}"} | _member_paths(item, f"{prefix}.{key}")
        return paths
    if isinstance(value, list):
        return set().union(*(_member_paths(item, f"{prefix}[]") for item in value))
    return set()


def _assert_same_members(ours: dict[str, Any], spec: dict[str, Any]) -> None:
    our_paths, spec_paths_found = _member_paths(ours), _member_paths(spec)
    assert our_paths <= spec_paths_found, "members the spec's example does not have"
    # A member the spec's example has below an object that is null in ours (an evidence
    # item without a file) is fine; a member missing beside its siblings is not.
    for path in spec_paths_found - our_paths:
        assert path.rsplit(".", 1)[0] in our_paths, path


def _spec_file(paths: list[Path], prefix: str) -> Path:
    found = [path for path in paths if path.name.startswith(prefix)]
    if not found:
        pytest.skip("shared/spec is not beside the repository")
    return found[0]


def test_our_format_1_example_has_the_members_of_the_spec_example() -> None:
    spec = _spec_file(spec_example_paths(), "cchc-")
    _assert_same_members(json.loads(example_paths()[0].read_bytes()),
                         json.loads(spec.read_bytes()))
    assert read_bundle(spec.read_bytes()).ok


def test_our_format_2_example_has_the_members_of_the_spec_example() -> None:
    spec = _spec_file(spec_v2_paths(), "cchc-3")  # the progress bundle, not the assignment
    _assert_same_members(json.loads(v2_example_paths()[0].read_bytes()),
                         json.loads(spec.read_bytes()))
    assert read_bundle(spec.read_bytes()).ok


def test_our_key_card_has_the_members_of_the_spec_cards_and_both_verify() -> None:
    spec = _spec_file(spec_v2_paths(), "key-")
    _assert_same_members(json.loads(key_card_paths()[0].read_bytes()),
                         json.loads(spec.read_bytes()))
    assert read_key_card(spec.read_bytes()).ok
