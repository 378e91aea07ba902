"""The checked-in example bundles are what the project's own code makes, they read as
valid, and they have the shape of the spec's own examples when the brief is there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from store.bundle.reader import read_bundle
from tests.bundle.factory import example_paths, spec_example_paths
from tests.examples.make_examples import make_examples

# Members that differ on every run of the generator.
PER_RUN = ("bundle_id", "integrity")


def _without_per_run(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in PER_RUN}


def test_there_are_checked_in_examples() -> None:
    assert example_paths(), "run: python -m tests.examples.make_examples"


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_a_checked_in_example_reads_as_valid(path: Path) -> None:
    read = read_bundle(path.read_bytes())
    assert read.ok, read.refusal


def test_the_checked_in_examples_are_what_the_generator_makes(tmp_path: Path) -> None:
    made = make_examples(tmp_path)
    assert [p.name for p in made] == [p.name for p in example_paths()], (
        "run: python -m tests.examples.make_examples")
    for new, old in zip(made, example_paths(), strict=True):
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


def test_our_examples_have_the_members_of_the_spec_examples() -> None:
    spec_paths = spec_example_paths()
    if not spec_paths:
        pytest.skip("shared/spec is not beside the repository")
    ours = json.loads(example_paths()[0].read_bytes())
    spec = json.loads(spec_paths[0].read_bytes())
    our_paths, spec_paths_found = _member_paths(ours), _member_paths(spec)
    assert our_paths <= spec_paths_found, "members the spec's example does not have"
    # A member the spec's example has below an object that is null in ours (an evidence
    # item without a file) is fine; a member missing beside its siblings is not.
    for path in spec_paths_found - our_paths:
        assert path.rsplit(".", 1)[0] in our_paths, path
    assert read_bundle(spec_paths[0].read_bytes()).ok
