"""store.clock: the local day of an instant from a file, as the overview shows it."""

from __future__ import annotations

import datetime as dt

import pytest

from store.clock import checked_instant, checked_local_day, to_local


@pytest.mark.parametrize("value", [
    "2026-11-20T16:59:59Z",         # still the 20th in Vietnam
    "2026-11-20T17:00:00Z",         # the 21st in Vietnam
    "2026-11-21T00:30:00+07:00",
    "2026-11-20T23:30:00-05:00",
    "2026-11-21T08:00:00",          # no offset: Vietnam's time
    "2099-12-31T20:00:00Z",         # 2100 in Vietnam: still within the years taken
    "2100-12-31T17:00:00Z",         # 2101 in Vietnam: refused
    "1999-12-31T17:00:00Z",         # 2000 in Vietnam, 1999 in UTC: refused
    "0001-01-01T00:00:00+23:59",    # no UTC form: refused
    "yesterday", "",
])
def test_the_local_day_is_the_day_of_the_checked_instant(value: str) -> None:
    instant = checked_instant(value)
    expected = None if instant is None else to_local(instant).date()
    assert checked_local_day(value) == expected


def test_the_local_day_crosses_midnight_at_seven_utc() -> None:
    assert checked_local_day("2026-11-20T17:00:00Z") == dt.date(2026, 11, 21)
    assert checked_local_day("2101-01-01T00:00:00Z") is None
