"""The fast RFC 8785 form (store.bundle.digest.canonical_json) gives exactly the bytes
of the `rfc8785` package: on every example file the project has, on the bundles of the
review benchmark, and on generated JSON values (floats of every size, keys outside
ASCII, integers at the limits, strings with every escape)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from store.bundle.digest import canonical_json
from tests.bundle.factory import (example_paths, key_card_paths, spec_example_paths,
                                  spec_v2_paths, v2_example_paths)
from tests.review import factory as review_factory


def _same_as_rfc8785(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except Exception as error:  # noqa: BLE001 - the fast form must raise the same
        with pytest.raises(type(error)):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


@pytest.mark.parametrize("path", example_paths() + v2_example_paths() + key_card_paths(),
                         ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_project_examples(path: Path) -> None:
    _same_as_rfc8785(json.loads(path.read_bytes()))


def test_the_spec_examples() -> None:
    paths = spec_example_paths() + spec_v2_paths()
    if not paths:
        pytest.skip("the product brief (shared/) is not beside the repository")
    for path in paths:
        _same_as_rfc8785(json.loads(path.read_bytes()))


@pytest.mark.parametrize("index", [0, 1, 7, 250])
def test_the_review_fleet_bundles(index: int) -> None:
    bundle = review_factory.signed(review_factory.bundle_of(index, dt.date(2026, 11, 21)))
    _same_as_rfc8785(bundle)


FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e22, max_value=1e22),
    st.floats(min_value=-1e-3, max_value=1e-3),
    st.integers(min_value=-2**60, max_value=2**60).map(float),
    st.sampled_from([0.0, -0.0, 1e-4, 9.999999999999999e-05, 1e16, 9999999999999998.0,
                     1e21, 1e-7, 5e-324, 1.7976931348623157e308, 0.1, 1.5, 100.0, 10.0,
                     2.5e-5, 123456789012345680000.0]),
)
INTEGERS = st.one_of(st.integers(min_value=-2**53 - 2, max_value=2**53 + 2),
                     st.sampled_from([2**53 - 1, -(2**53 - 1), 2**53, -(2**53), 0]))
TEXT = st.one_of(st.text(), st.text(alphabet=st.sampled_from(
    ['"', "\\", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\u2028", "é",
     "\U0001f600", "\ue000", "\uffff", "a"])))
KEYS = st.one_of(TEXT, st.sampled_from(["a", "b", "\ue000", "\U0001f600", "é", "A", "_"]))
SCALARS = st.one_of(st.none(), st.booleans(), INTEGERS, FLOATS, TEXT)
VALUES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=5)),
    max_leaves=30)


@settings(max_examples=600, deadline=None)
@given(VALUES)
def test_generated_values(value: Any) -> None:
    _same_as_rfc8785(value)


@settings(max_examples=300, deadline=None)
@given(FLOATS)
def test_every_float(value: float) -> None:
    _same_as_rfc8785({"x": value, "y": [value, -value]})
    if math.isfinite(value):
        _same_as_rfc8785(value)


def test_what_rfc8785_refuses_is_refused() -> None:
    for value in ({"x": float("nan")}, {1: "a"}, {"x": 2**53}, {"x": "\ud800"}, {"x": object()}):
        _same_as_rfc8785(value)
