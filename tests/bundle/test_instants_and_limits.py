"""Values that parse but name nothing the app can hold are refused by the reader, with
their path (issue 10, item 3): instants outside 2000-2100 in UTC or in Vietnam's
time, points too large to stay finite."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from store.bundle.reader import read_bundle
from tests.conftest import FIXED_TODAY
from tests.review import factory
from tui.i18n import set_language

TASK = "$.assessments[0].tasks[0]"


def _read(change: Callable[[dict], object]):  # noqa: ANN202 - BundleRead
    bundle = factory.bundle_of(1, FIXED_TODAY)
    change(bundle)
    bundle["integrity"] = {"sha256": factory.digest(bundle)}
    return read_bundle(json.dumps(bundle, ensure_ascii=False).encode("utf-8"))


def _task(bundle: dict) -> dict:
    return bundle["assessments"][0]["tasks"][0]


def _set_instant(where: str, value: str) -> Callable[[dict], None]:
    def change(bundle: dict) -> None:
        if where == "created_at":
            bundle["created_at"] = value
        elif where == "updated_at":
            _task(bundle)["updated_at"] = value
        else:
            _task(bundle)["history"][0]["at"] = value
    return change


PATHS = {"created_at": "$.created_at", "updated_at": f"{TASK}.updated_at",
         "history": f"{TASK}.history[0].at"}


@pytest.mark.parametrize("where", list(PATHS))
@pytest.mark.parametrize("value", [
    "0001-01-01T00:00:00+23:59",   # no UTC form at all (OverflowError before)
    "9999-12-31T23:59:59-23:59",   # no UTC form either, the other way
    "9999-12-31T23:59:59+00:00",   # a UTC form, but none in Vietnam's time
    "1999-12-31T23:59:59Z",        # before 2000
    "2000-01-01T05:00:00+07:00",   # 1999 in UTC
    "2100-12-31T23:00:00Z",        # 2101 in Vietnam's time
    "2101-01-01T00:00:00+07:00",   # 2100 in UTC, 2101 where it was written
])
def test_instants_outside_the_years_are_refused_with_their_path(where: str,
                                                                value: str) -> None:
    read = _read(_set_instant(where, value))
    assert not read.ok
    assert read.refusal.code == "instant_out_of_range"
    assert read.refusal.path == PATHS[where]
    assert read.refusal.details == {"value": value, "first": 2000, "last": 2100}


@pytest.mark.parametrize("value", ["2000-01-01T07:00:00+07:00", "2000-01-01T00:00:00Z",
                                   "2100-12-31T16:59:59Z", "2100-12-31T23:59:59.999+07:00"])
def test_instants_at_the_edges_are_accepted(value: str) -> None:
    for where in PATHS:
        assert _read(_set_instant(where, value)).ok, (where, value)


def test_the_refusal_is_worded() -> None:
    from tui.words.bundle import refusal_sentence

    refusal = _read(_set_instant("created_at", "0001-01-01T00:00:00+23:59")).refusal
    set_language("en")
    assert refusal_sentence(refusal) == (
        "The date and time “0001-01-01T00:00:00+23:59” falls outside the years 2000–2100 "
        "once converted to UTC or to Vietnam's time. (at $.created_at)")
    set_language("vi")
    assert "nằm ngoài khoảng năm 2000–2100" in refusal_sentence(refusal)


@pytest.mark.parametrize("value", [1.7e308, 1e300, 10_000.01])
def test_points_beyond_the_limit_are_refused_not_an_error(value: float) -> None:
    def change(bundle: dict) -> None:
        bundle["assessments"][0]["criteria"][1]["max_points"] = value
    read = _read(change)
    assert read.refusal is not None and read.refusal.code == "out_of_range"
    assert read.refusal.path == "$.assessments[0].criteria[1].max_points"


def test_points_at_the_limit_are_accepted() -> None:
    def change(bundle: dict) -> None:
        assessment = bundle["assessments"][0]
        assessment.update(max_points=10_000, score=10_000)
    read = _read(change)
    assert read.ok, read.refusal
